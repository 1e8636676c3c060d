"""Test selection: ``@pytest.mark.slow`` tests run only with ``POLICY_SLOW_TESTS=1``.

The default suite stays within about ten minutes on two cores; the slow runs (500
random games against brute force, every command on every user game) are for solver
changes: ``POLICY_SLOW_TESTS=1 python -m pytest -m slow``.
"""

from __future__ import annotations

import os

import pytest


def pytest_collection_modifyitems(config, items):
    if os.environ.get("POLICY_SLOW_TESTS"):
        return
    skip = pytest.mark.skip(reason="slow; run with POLICY_SLOW_TESTS=1 -m slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)

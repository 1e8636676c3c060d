"""The bundled games by kind, for tests of questions that only one kind answers."""

from __future__ import annotations

from policy.kinds import kind_of
from policy.loader import bundled_games, load_spec


def bundled_of_kind(kind: str) -> list[str]:
    """Names of the bundled games of the kind named ``kind`` (``"normal form"``, …)."""
    return sorted(name for name, path in bundled_games().items()
                  if kind_of(load_spec(path)).name == kind)


#: The bundled normal-form (matrix) games.
MATRIX_GAMES = bundled_of_kind("normal form")

"""policy: answer regulation questions with game theory.

The public API, exported lazily (PEP 562): ``import policy`` (and so the command
line, ``import policy.cli``) loads no heavy library; ``policy.load`` imports the
stages it needs on first use.

>>> import policy
>>> game = policy.load("inspection")
>>> game.players
('regulator', 'platform')
"""

from __future__ import annotations

import importlib
import sys

__version__ = "0.1.0"

#: Each public name → the module that defines it.
_EXPORTS = {
    "load": "policy.api",
    "solve": "policy.api",
    "check_game": "policy.api",
    "full_report": "policy.api",
    "load_game": "policy.loader",
    "GameSpec": "policy.spec",
    "find_equilibria": "policy.equilibria",
    "Equilibrium": "policy.equilibria",
    "EquilibriumSet": "policy.equilibria",
    "NumericGame": "policy.numeric",
    "SymbolicGame": "policy.symbolic",
    "PolicyError": "policy.errors",
    "GameFileError": "policy.errors",
    "ModelError": "policy.errors",
    "SolverError": "policy.errors",
}

__all__ = ["__version__", *_EXPORTS]


def load_ipython_extension(shell) -> None:
    """``%load_ext policy``: show results and reports as HTML in this IPython shell
    (done by itself when ``policy`` is imported inside IPython or Jupyter)."""
    from .report.notebook import register_formatters

    register_formatters(shell)


def _running_shell():
    """The IPython shell ``policy`` is imported in, if any (IPython is never imported here)."""
    ipython = sys.modules.get("IPython")
    return ipython.get_ipython() if ipython is not None and hasattr(ipython, "get_ipython") else None


if (_shell := _running_shell()) is not None:
    load_ipython_extension(_shell)


def __getattr__(name: str):
    """Import a public name's module on first use (PEP 562)."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'policy' has no attribute '{name}'")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})

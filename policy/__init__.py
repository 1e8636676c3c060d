"""policy: answer regulation questions with game theory.

>>> import policy
>>> game = policy.load("inspection")
>>> game.players
('regulator', 'platform')
"""

__version__ = "0.1.0"

import sys

from .api import check_game, full_report, load, solve  # noqa: E402
from .equilibria import Equilibrium, EquilibriumSet, find_equilibria  # noqa: E402
from .errors import GameFileError, ModelError, PolicyError, SolverError  # noqa: E402
from .loader import load_game  # noqa: E402
from .numeric import NumericGame  # noqa: E402
from .spec import GameSpec  # noqa: E402
from .symbolic import SymbolicGame  # noqa: E402


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

__all__ = [
    "__version__",
    "load",
    "solve",
    "check_game",
    "full_report",
    "load_game",
    "find_equilibria",
    "GameSpec",
    "SymbolicGame",
    "NumericGame",
    "Equilibrium",
    "EquilibriumSet",
    "PolicyError",
    "GameFileError",
    "ModelError",
    "SolverError",
]

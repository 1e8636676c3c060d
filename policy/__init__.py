"""policy: answer regulation questions with game theory.

>>> import policy
>>> game = policy.load("inspection")
>>> game.players
('regulator', 'platform')
"""

__version__ = "0.1.0"

from .api import check_game, full_report, load, solve  # noqa: E402
from .equilibria import Equilibrium, EquilibriumSet, find_equilibria  # noqa: E402
from .errors import GameFileError, ModelError, PolicyError, SolverError  # noqa: E402
from .loader import load_game  # noqa: E402
from .numeric import NumericGame  # noqa: E402
from .spec import GameSpec  # noqa: E402
from .symbolic import SymbolicGame  # noqa: E402

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

"""Every pure profile ranked by the cost of implementing it (mode ``rank``).

Examples
--------
>>> import policy
>>> ranked = rank_profiles(policy.load("inspection"))
>>> [("/".join(r.target.values()), r.cost) for r in ranked][:2]
[('trust/comply', Fraction(4, 1)), ('inspect/comply', None)]
"""

from __future__ import annotations

import itertools
from typing import Mapping

from ..symbolic import SymbolicGame
from .implementation import cheapest_implementation
from .problem import profile_key
from .results import ImplementationResult
from .selection_target import refuse_repeated_search
from .solver import DEFAULT_SOLVER, SolverOptions

__all__ = ["rank_profiles"]


def rank_profiles(game: SymbolicGame, values: Mapping[str, object] | None = None, *,
                  robust: str = "nash", margin=None, transfers: bool = False,
                  solver: SolverOptions = DEFAULT_SOLVER) -> list[ImplementationResult]:
    """The cheapest implementation of every pure profile, cheapest first (infeasible last).

    Selection targets answered by a search (:mod:`policy.optimize.selection_search`)
    are refused here: one search per profile would take too long."""
    refuse_repeated_search(game, robust, "--mode rank")
    results = []
    for profile in itertools.product(*(range(len(s)) for s in game.strategies)):
        target = {p: game.strategies[i][profile[i]] for i, p in enumerate(game.players)}
        results.append(cheapest_implementation(game, target, values, robust=robust, margin=margin,
                                               transfers=transfers, solver=solver))
    return sorted(results, key=lambda r: (r.cost is None, float(r.cost or 0),
                                          profile_key(game, r.target)))

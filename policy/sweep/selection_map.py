"""Where each equilibrium is the selected one: risk dominance (2×2 games) or the
logit limit (any game, :func:`logit_map`) over a sweep's grid.

Part of the sweep stage (after :mod:`.numpy_engine`, whose compiled payoffs it
evaluates): for a 2×2 game, at every grid point, the pure profile that is
risk-dominant (:func:`policy.selection.risk_dominance`: two strict equilibria, the
larger Nash product of deviation losses wins), or none (fewer than two strict
equilibria, or a tie within :data:`~.numpy_engine.SWEEP_TOLERANCE` of the squared
payoff scale). Floats, vectorised over the grid: a map to look at, whose every point
could be checked by ``policy solve --set …``.

Examples
--------
>>> import policy
>>> from policy.sweep import GridAxis
>>> game = policy.load("platform_entry")
>>> found = risk_dominance_map(game, [GridAxis.parse("scale_levy=0:1:3")], game.values_with({}))
>>> found.labels.tolist(), found.profiles
([-1, 2, 2], ((0, 0), (0, 1), (1, 0), (1, 1)))
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np

from .numpy_engine import SWEEP_TOLERANCE, compile_payoffs

__all__ = ["CRITERIA", "RiskDominanceMap", "risk_dominance_map", "logit_map"]

#: What ``policy sweep --select`` can map: the risk-dominant equilibrium (2×2 games)
#: or the end of the principal logit branch (any game, at most
#: ``POLICY_LIMIT_LOGIT_MAP_POINTS`` grid points).
CRITERIA = ("risk-dominant", "logit")


@dataclass(frozen=True, eq=False)
class RiskDominanceMap:
    """Per grid point (axes in order, first axis slowest), the index into ``profiles``
    of the risk-dominant profile, or -1 where none is."""

    axes: tuple
    profiles: tuple[tuple[int, ...], ...]
    labels: np.ndarray
    #: the selection criterion mapped (its name in words)
    criterion: str = "risk dominance"

    def counts(self) -> dict[int, int]:
        """Label → number of grid points, labels in increasing order."""
        values, counts = np.unique(self.labels, return_counts=True)
        return {int(v): int(c) for v, c in zip(values, counts)}


def risk_dominance_map(game, axes: Sequence, values: Mapping) -> RiskDominanceMap:
    """The risk-dominant pure profile at every point of the grid of ``axes`` (a 2×2
    game; ``values`` fix every other name)."""
    if tuple(game.shape) != (2, 2):
        raise ValueError(f"a risk-dominance map needs a 2×2 game; {game.name} is "
                         f"{'×'.join(map(str, game.shape))}")
    names = [a.name for a in axes]
    grids = np.meshgrid(*[a.values() for a in axes], indexing="ij")
    columns = [g.reshape(-1) for g in grids]
    payoffs = compile_payoffs(game, names, values)(*columns)  # (points, players, 2, 2)
    A, B = payoffs[:, 0], payoffs[:, 1]
    scale = np.maximum(np.max(np.abs(payoffs.reshape(len(A), -1)), axis=1), 1.0)
    tolerance = SWEEP_TOLERANCE * scale
    profiles = tuple(itertools.product(range(2), range(2)))
    labels = np.full(len(A), -1)
    for (r, c), (s, d) in (((0, 0), (1, 1)), ((0, 1), (1, 0))):
        u_a, v_a = A[:, r, c] - A[:, s, c], B[:, r, c] - B[:, r, d]
        u_b, v_b = A[:, s, d] - A[:, r, d], B[:, s, d] - B[:, s, c]
        both_strict = (u_a > tolerance) & (v_a > tolerance) & (u_b > tolerance) & (v_b > tolerance)
        gap = u_a * v_a - u_b * v_b
        tie = np.abs(gap) <= tolerance * scale
        labels[both_strict & ~tie & (gap > 0)] = profiles.index((r, c))
        labels[both_strict & ~tie & (gap < 0)] = profiles.index((s, d))
    return RiskDominanceMap(tuple(axes), profiles, labels.reshape(grids[0].shape))


def logit_map(game, axes: Sequence, values: Mapping) -> RiskDominanceMap:
    """The pure profile at which the principal logit branch ends, at every point of the
    grid of ``axes`` (any game; ``values`` fix every other name), or -1 where it ends at
    a mixed equilibrium or its end could not be certified.

    Each point's payoffs are the compiled floats; its branch is traced and its end
    certified by :func:`policy.logit.logit_limit` (interval arithmetic). The number of
    points is bounded by ``POLICY_LIMIT_LOGIT_MAP_POINTS`` (each traces one path).

    >>> import policy
    >>> from policy.sweep import GridAxis
    >>> game = policy.load("platform_entry")
    >>> found = logit_map(game, [GridAxis.parse("scale_levy=0:1:3")], game.values_with({}))
    >>> found.labels.tolist(), found.criterion
    ([-1, 2, 2], 'logit limit')
    """
    from ..errors import ModelError
    from ..limits import exceeded, limit
    from ..logit import logit_limit
    from ..numeric import NumericGame

    names = [a.name for a in axes]
    total = int(np.prod([a.points for a in axes]))
    if total > limit("logit_map_points"):
        raise ModelError(f"--select logit traces one logit path per grid point: the grid has "
                         f"{total} points, at most {limit('logit_map_points')} are allowed "
                         f"(use fewer points, or {exceeded('logit_map_points')})")
    if sum(game.shape) > limit("selection_strategies"):
        raise ModelError(f"--select logit: {game.name} has {sum(game.shape)} strategies in all, "
                         f"more than {limit('selection_strategies')} "
                         f"({exceeded('selection_strategies')})")
    grids = np.meshgrid(*[a.values() for a in axes], indexing="ij")
    columns = [g.reshape(-1) for g in grids]
    payoffs = compile_payoffs(game, names, values)(*columns)  # (points, players, *shape)
    profiles = tuple(itertools.product(*(range(k) for k in game.shape)))
    labels = np.full(total, -1)
    for point in range(total):
        numeric = NumericGame.from_arrays(*payoffs[point], players=game.players,
                                          strategies=game.strategies)
        certified = logit_limit(numeric).equilibrium
        if certified is not None and all(len(s) == 1 for s in certified.supports):
            labels[point] = profiles.index(tuple(s[0] for s in certified.supports))
    return RiskDominanceMap(tuple(axes), profiles, labels.reshape(grids[0].shape),
                            criterion="logit limit")

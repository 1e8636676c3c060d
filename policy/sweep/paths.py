"""Sweep extras for phase diagrams: the symbolic boundaries that separate regions,
equilibrium paths along one axis, and maps of the cheapest policy over a grid (each
used after a sweep, by :func:`policy.api.sweep_extras`).

* :func:`separating_boundaries` keeps the lines from :func:`policy.analysis.boundaries`
  that actually separate two regions of a computed sweep (a condition of a profile
  that is never an equilibrium on the grid draws no line).
* :func:`equilibrium_paths` solves up to ``MAX_PATH_POINTS`` points of a one-axis
  sweep with the exact engine and returns every equilibrium's probabilities and
  payoffs, grouped into branches by support (one line per branch in the figures).
* :func:`policy_map` solves the cheapest implementation of a target at every grid
  point (one verified LP or MILP per point), so the cost and the control values can
  be drawn over parameter space.

Examples
--------
>>> import policy
>>> from policy.sweep import GridAxis
>>> game = policy.load("platform_entry")
>>> paths = equilibrium_paths(game, GridAxis.parse("entry_subsidy=0:2:5"))
>>> [branch.label for branch in paths.branches]
['expand·stay_out', 'restrain·enter', 'mixed {expand} × {enter, stay_out}', \
'mixed {expand, restrain} × {enter, stay_out}']
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable, Mapping, Sequence

import numpy as np
import sympy

from ..equilibria import find_equilibria
from ..errors import ModelError
from ..limits import exceeded, limit
from ..symbolic import SymbolicGame
from .labels import support_label

__all__ = ["Boundary", "separating_boundaries", "Branch", "EquilibriumPaths",
           "equilibrium_paths", "PolicyMap", "policy_map", "check_policy_axes", "MAX_PATH_POINTS"]

#: Points of a one-axis sweep solved exactly for the probability and payoff lines.
MAX_PATH_POINTS = 201


# --------------------------------------------------------------------------------------
# boundaries
# --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Boundary:
    """A line (two axes) or a point (one axis) where ``expression`` is zero,
    solved as ``lhs = rhs`` for the last axis it involves."""

    expression: sympy.Expr
    lhs: sympy.Symbol
    rhs: sympy.Expr
    crossings: int         # neighbouring grid points on different sides, in different regions

    @property
    def equation(self) -> str:
        """E.g. ``"scale_levy = 2 - entry_subsidy"``."""
        return f"{self.lhs} = {self.rhs}"


def _solved(expression: sympy.Expr, symbols: Sequence[sympy.Symbol]) -> tuple[sympy.Symbol, sympy.Expr]:
    symbol = next(s for s in reversed(symbols) if expression.coeff(s) != 0)
    return symbol, sympy.expand(symbol - expression / expression.coeff(symbol))


def separating_boundaries(result, game: SymbolicGame, lines: Sequence[sympy.Expr]) -> tuple[Boundary, ...]:
    """The ``lines`` (linear in the sweep's axes) that separate different regions.

    A line is kept when, among pairs of neighbouring grid points on different sides
    of it (or one on it), at least two (and at least 5%) have different labels.
    """
    symbols = [game.symbols[a.name] for a in result.axes]
    mesh = np.meshgrid(*(a.values() for a in result.axes), indexing="ij")
    kept = []
    for line in lines:
        function = sympy.lambdify(symbols, line, modules="numpy")
        side = np.sign(np.broadcast_to(np.asarray(function(*mesh), dtype=float), result.grid.shape))
        crossed = differing = 0
        for axis in range(result.grid.ndim):
            first = [slice(None)] * result.grid.ndim
            second = [slice(None)] * result.grid.ndim
            first[axis], second[axis] = slice(None, -1), slice(1, None)
            a, b = tuple(first), tuple(second)
            across = side[a] != side[b]
            crossed += int(across.sum())
            differing += int((across & (result.grid[a] != result.grid[b])).sum())
        if differing >= 2 and differing >= 0.05 * crossed or (result.grid.ndim == 1 and differing):
            kept.append(Boundary(line, *_solved(line, symbols), differing))
    return tuple(kept)


# --------------------------------------------------------------------------------------
# equilibrium paths along one axis
# --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Branch:
    """Equilibria with one support, along the axis (NaN where there is none).

    ``probabilities[k][i][j]``: point k, player i, strategy j; ``payoffs[k][i]``.
    """

    label: str
    supports: tuple[tuple[int, ...], ...]
    probabilities: np.ndarray
    payoffs: np.ndarray


@dataclass(frozen=True)
class EquilibriumPaths:
    """Every equilibrium at up to ``MAX_PATH_POINTS`` points of one axis."""

    axis: str
    x: np.ndarray
    players: tuple[str, ...]
    strategies: tuple[tuple[str, ...], ...]
    branches: tuple[Branch, ...]


def _sample_indices(points: int, limit: int) -> np.ndarray:
    return np.unique(np.round(np.linspace(0, points - 1, min(points, limit))).astype(int))


def equilibrium_paths(game: SymbolicGame, axis, values: Mapping[str, object] | None = None, *,
                      mixed: bool = True, limit: int = MAX_PATH_POINTS) -> EquilibriumPaths:
    """Solve sampled points of ``axis`` exactly; group equilibria by support.

    Where a support has a continuum (a component), the first extreme point is drawn.
    """
    current = game.values_with(values)
    indices = _sample_indices(axis.points, limit)
    method = "auto" if mixed and len(game.players) == 2 else "pure"
    width = max(len(s) for s in game.strategies)
    n = len(game.players)
    found: dict[tuple, dict[int, tuple]] = {}
    for k, index in enumerate(indices):
        overrides = dict(current)
        overrides[axis.name] = sympy.Rational(axis.exact(int(index)))
        for equilibrium in find_equilibria(game.bind(overrides), method=method).equilibria:
            found.setdefault(equilibrium.supports, {}).setdefault(k, equilibrium)
    branches = []
    for supports in sorted(found, key=lambda s: (sum(len(x) for x in s), s)):
        probabilities = np.full((len(indices), n, width), np.nan)
        payoffs = np.full((len(indices), n), np.nan)
        for k, equilibrium in found[supports].items():
            for i, strategy in enumerate(equilibrium.strategies):
                probabilities[k, i, :len(strategy)] = [float(p) for p in strategy]
            payoffs[k] = [float(v) for v in equilibrium.payoffs]
        branches.append(Branch(support_label(game, supports), supports, probabilities, payoffs))
    x = np.array([float(axis.exact(int(i))) for i in indices])
    return EquilibriumPaths(axis.name, x, tuple(game.players), tuple(map(tuple, game.strategies)),
                            tuple(branches))


# --------------------------------------------------------------------------------------
# the cheapest policy over a grid
# --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PolicyMap:
    """Cheapest implementation of ``target`` at every grid point.

    ``cost`` and each ``controls[name]`` have the grid's shape; NaN where the target
    cannot be implemented within the bounds (and budget). ``verified`` (same shape)
    is true where the policy was re-solved and checked; a policy found but not
    verified keeps its cost and controls, to be shown apart, never as an answer.
    """

    game: str
    axes: tuple
    target: dict[str, str]
    robust: str
    cost: np.ndarray
    controls: dict[str, np.ndarray]
    statuses: dict[str, int]
    verified: np.ndarray
    seconds: float = field(compare=False, default=0.0)

    @property
    def feasible_points(self) -> int:
        """Points where a policy was found (verified or not)."""
        return int(np.isfinite(self.cost).sum())

    @property
    def verified_points(self) -> int:
        return int(self.verified.sum())

    @property
    def unverified_points(self) -> int:
        """Points where a policy was found but failed verification."""
        return self.feasible_points - self.verified_points


def check_policy_axes(game: SymbolicGame, axes: Sequence, target: Mapping[str, str],
                      max_points: int | None = None) -> None:
    """Raise :class:`ModelError` unless a policy map over ``axes`` makes sense
    (``max_points``: default the ``policy_map_points`` limit)."""
    if not game.spec.controls:
        raise ModelError(f"{game.name} declares no controls: there is no policy to map")
    if not target:
        raise ModelError(f"{game.name} declares no target; give one with --target player=strategy")
    chosen = [a.name for a in axes if a.name in {c.name for c in game.spec.controls}]
    if chosen:
        raise ModelError(f"--optimize chooses the controls, so they cannot be varied: "
                         f"{', '.join(chosen)}; vary parameters instead")
    total = int(np.prod([a.points for a in axes]))
    max_points = max_points or limit("policy_map_points")
    if total > max_points:
        raise ModelError(f"--optimize solves one LP per point: the grid has {total} points, at "
                         f"most {max_points} are allowed (use fewer points, e.g. "
                         f"{axes[0].name}={axes[0].start}:{axes[0].stop}:51, or "
                         f"{exceeded('policy_map_points')})")


def policy_map(game: SymbolicGame, axes: Sequence, target: Mapping[str, str],
               values: Mapping[str, object] | None = None, *, robust: str = "nash",
               margin=None, transfers: bool = False, solver=None,
               max_points: int | None = None,
               progress: Callable[[int, int], None] | None = None) -> PolicyMap:
    """Solve :func:`policy.optimize.cheapest_implementation` at every grid point."""
    from ..optimize import SolverOptions, cheapest_implementation
    from ..optimize.selection_target import refuse_repeated_search

    refuse_repeated_search(game, robust, "sweep --optimize")
    started = time.perf_counter()
    check_policy_axes(game, axes, target, max_points)
    shape = tuple(a.points for a in axes)
    total = int(np.prod(shape))
    current = game.values_with(values)
    cost = np.full(total, np.nan)
    controls = {c.name: np.full(total, np.nan) for c in game.spec.controls}
    statuses: dict[str, int] = {}
    verified = np.zeros(total, dtype=bool)
    for flat in range(total):
        overrides = dict(current)
        for axis, index in zip(axes, np.unravel_index(flat, shape)):
            overrides[axis.name] = sympy.Rational(axis.exact(int(index)))
        result = cheapest_implementation(game, target, overrides, robust=robust, margin=margin,
                                         transfers=transfers, solver=solver or SolverOptions(),
                                         threshold=False)
        statuses[result.status] = statuses.get(result.status, 0) + 1
        if result.cost is not None:
            cost[flat] = float(result.cost)
            for name, value in result.controls.items():
                controls[name][flat] = float(value)
            verified[flat] = bool(result.verified)
        if progress:
            progress(flat + 1, total)
    return PolicyMap(game.name, tuple(axes), dict(target), robust, cost.reshape(shape),
                     {k: v.reshape(shape) for k, v in controls.items()},
                     dict(sorted(statuses.items())), verified.reshape(shape),
                     time.perf_counter() - started)

"""Game trees over a grid and under uncertainty: the subgame-perfect outcome at every
point, each point solved exactly.

Where this sits: the sweep stage for game trees, after :mod:`policy.tree_equilibria`
(every point is :func:`~policy.tree_equilibria.solve_tree` on the tree bound at that
point, exact) and :mod:`policy.tree_analysis` (the credible-threat conditions whose
linear pieces are drawn as the boundaries of the phase diagram); before the reports.

A point's *label* is its set of subgame-perfect outcomes and how many equilibria
there are: each distinct outcome written as the leaves it reaches (the actions
from the root, joined by ``→``; several leaves when chance moves or mixing split the
play, ``;`` between them), outcomes separated by `` | ``, then ``(k SPE)``. Points
where the tree is not defined (an assumption fails, a probability leaves [0, 1])
get the label ``outside the model: …``. Grid points are numbered row-major over the
axes, as in :mod:`policy.sweep.grid`; chunks of points run here or on Dask workers
and are merged in order, so both give the same result.

Examples
--------
>>> from policy.api import load
>>> from policy.sweep.grid import GridAxis
>>> swept = sweep_tree(load("chain_store"), [GridAxis.parse("d=0:4:5")])
>>> [(region.points, region.label) for region in swept.regions]
... # doctest: +NORMALIZE_WHITESPACE
[(3, 'enter → accommodate → enter → accommodate (1 SPE)'),
 (2, 'outside the model: assumption d > u fails')]
"""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Callable, Mapping, Sequence

import numpy as np
import sympy

from ..errors import ModelError
from ..limits import exceeded, limit
from ..tree_analysis import node_paths
from ..tree_equilibria import solve_tree
from ..tree_model import TreeGame
from .grid import GridAxis, check_names, point_values

__all__ = ["TreeRegion", "TreeSweep", "TreeUncertainty", "sweep_tree", "uncertainty_tree",
           "tree_boundary_lines", "point_label", "TREE_CHUNK"]

#: Grid points solved together (locally, or as one task on a Dask worker).
TREE_CHUNK = 64


@dataclass(frozen=True)
class TreeRegion:
    """Points sharing one label: the distinct SPE outcomes (each the leaves reached),
    the number of SPE, and whether that list was complete at every point."""

    label: str
    outcomes: tuple[tuple[str, ...], ...]
    spe: int
    complete: bool
    points: int


@dataclass(frozen=True)
class TreeSweep:
    """Per grid point a label index (``grid``); the labels with their outcomes."""

    game: str
    axes: tuple[GridAxis, ...]
    labels: tuple[str, ...]
    details: tuple[tuple[tuple[tuple[str, ...], ...], int, bool], ...]  # outcomes, spe, complete
    grid: np.ndarray
    values: dict[str, sympy.Expr]
    seconds: float = field(compare=False, default=0.0)

    @property
    def points(self) -> int:
        return int(self.grid.size)

    @property
    def regions(self) -> tuple[TreeRegion, ...]:
        counts = np.bincount(self.grid.reshape(-1), minlength=len(self.labels))
        regions = [TreeRegion(label, *detail, int(count))
                   for label, detail, count in zip(self.labels, self.details, counts) if count]
        return tuple(sorted(regions, key=lambda r: r.label))

    @property
    def incomplete_points(self) -> int:
        counts = np.bincount(self.grid.reshape(-1), minlength=len(self.labels))
        return int(sum(c for (_, _, complete), c in zip(self.details, counts) if not complete))


@dataclass(frozen=True)
class TreeUncertainty:
    """How often each label occurs when the parameters that declare a ``dist:`` are drawn."""

    game: str
    samples: int
    seed: int
    parameters: tuple[str, ...]
    distributions: dict[str, str]
    regions: tuple[tuple[TreeRegion, float, float], ...]   # region, 95% interval low, high
    seconds: float = field(compare=False, default=0.0)


def _outcome_words(paths: Sequence[str], eq) -> tuple[str, ...]:
    return tuple(paths[leaf] for leaf, _ in eq.outcome)


_OUTSIDE = re.compile(r"assumption '(.*)' does not hold")


def point_label(game: TreeGame, values: Mapping[str, object]) -> tuple[str, tuple, int, bool]:
    """The label of the tree at ``values`` and its parts: (label, outcomes, SPE, complete).

    >>> from policy.api import load
    >>> point_label(load("chain_store"), {"d": 3})[0]
    'enter → accommodate → enter → accommodate (1 SPE)'
    """
    try:
        tree = game.bind(values)
    except ModelError as err:
        found = _OUTSIDE.search(str(err))
        reason = (f"assumption {found.group(1)} fails" if found else
                  "a probability leaves [0, 1]" if "between 0 and 1" in str(err) else
                  "a payoff or probability is not a rational number")
        return f"outside the model: {reason}", (), 0, True
    solution = solve_tree(tree, nash=False)
    paths = node_paths(tree)
    outcomes = tuple(dict.fromkeys(_outcome_words(paths, eq) for eq in solution.spe))
    words = " | ".join("; ".join(outcome) for outcome in outcomes) or "no equilibrium found"
    count = len(solution.spe)
    more = "" if solution.spe_complete else ", may be incomplete"
    return f"{words} ({count} SPE{more})", outcomes, count, solution.spe_complete


def _rational(value) -> sympy.Rational:
    value = Fraction(value)
    return sympy.Rational(value.numerator, value.denominator)


def _label_chunk(game: TreeGame, axes: tuple[GridAxis, ...], base: Mapping[str, sympy.Expr],
                 start: int, stop: int):
    """Labels of grid points ``start`` … ``stop - 1`` (runs here or on a Dask worker):
    (labels in order of first appearance, their details, the label index per point)."""
    labels: dict[str, int] = {}
    details: list[tuple] = []
    indices = np.empty(stop - start, dtype=np.int32)
    for offset, flat in enumerate(range(start, stop)):
        point = {**base, **{k: _rational(v) for k, v in point_values(axes, flat).items()}}
        label, outcomes, count, complete = point_label(game, point)
        if label not in labels:
            labels[label] = len(details)
            details.append((outcomes, count, complete))
        indices[offset] = labels[label]
    return tuple(labels), tuple(details), indices


def sweep_tree(game: TreeGame, axes: Sequence[GridAxis], values: Mapping[str, object] | None = None,
               *, progress: Callable[[int, int], None] | None = None, client=None,
               chunk: int = TREE_CHUNK) -> TreeSweep:
    """The subgame-perfect outcome at every point of a grid of one or two axes.

    ``client``: a ``dask.distributed.Client``; chunks of points are then solved on its
    workers and merged in order (the same result as a local run).

    Raises
    ------
    ModelError
        When an axis is not a parameter or control (or is given twice), or the grid has
        more points than the limit ``tree_sweep_points``.
    """
    started = time.perf_counter()
    names = [a.name for a in axes]
    check_names(game, names)
    if not 1 <= len(axes) <= 2:
        raise ModelError(f"--vary: a sweep has one or two axes, got {len(axes)}")
    total = math.prod(a.points for a in axes)
    if total > limit("tree_sweep_points"):
        raise ModelError(f"the grid has {total} points; a sweep of a game tree solves every point "
                         f"exactly, and at most {limit('tree_sweep_points')} are allowed (use "
                         f"fewer points or {exceeded('tree_sweep_points')})")
    # a varied parameter needs no value of its own: each point gives one
    base = game.values_with({**{a.name: a.start for a in axes},
                             **{k: v for k, v in (values or {}).items() if k not in names}})
    starts = list(range(0, total, chunk))
    stops = [min(total, s + chunk) for s in starts]
    if client is None:
        pieces = (_label_chunk(game, tuple(axes), base, a, b) for a, b in zip(starts, stops))
    else:
        futures = client.map(_label_chunk, [game] * len(starts), [tuple(axes)] * len(starts),
                             [base] * len(starts), starts, stops, pure=False)
        pieces = (future.result() for future in futures)
    labels: dict[str, int] = {}
    details: list[tuple] = []
    grid = np.empty(total, dtype=np.int32)
    for start, (local, local_details, indices) in zip(starts, pieces):
        remap = []
        for label, detail in zip(local, local_details):
            if label not in labels:
                labels[label] = len(details)
                details.append(detail)
            remap.append(labels[label])
        grid[start:start + len(indices)] = np.asarray(remap, dtype=np.int32)[indices]
        if progress:
            progress(start + len(indices), total)
    return TreeSweep(game.name, tuple(axes), tuple(labels), tuple(details),
                     grid.reshape(tuple(a.points for a in axes)), dict(base),
                     time.perf_counter() - started)


def tree_boundary_lines(game: TreeGame, result: TreeSweep) -> list[sympy.Expr]:
    """The linear pieces, in the swept symbols, of the credible-threat conditions of every
    pure SPE met on the grid (each analysed at one point of its region) and of the
    assumptions: ``lhs - rhs`` with the other symbols at their values, normalised."""
    from ..tree_analysis import analyze_tree

    names = [a.name for a in result.axes]
    varied = {game.symbols[n] for n in names}
    fixed = {game.symbols[k]: v for k, v in result.values.items() if k not in names}
    relations = list(game.spec.assumptions)
    flat = result.grid.reshape(-1)
    for index, label in enumerate(result.labels):
        if label.startswith("outside the model"):
            continue
        where = int(np.argmax(flat == index))
        if flat[where] != index:
            continue
        point = {**result.values, **{k: _rational(v)
                                      for k, v in point_values(result.axes, where).items()}}
        analysis = analyze_tree(game, point)
        relations += [c.condition for eq in analysis.equilibria for c in eq.conditions]
    found: dict[str, sympy.Expr] = {}
    for relation in relations:
        if not isinstance(relation, sympy.core.relational.Relational):
            continue
        line = sympy.expand((relation.lhs - relation.rhs).xreplace(fixed))
        if not line.free_symbols or not line.free_symbols <= varied:
            continue
        if not line.is_polynomial(*varied) or sympy.Poly(line, *varied).total_degree() != 1:
            continue
        coefficients = [line.coeff(s) for s in sorted(varied, key=str)]
        lead = next(c for c in coefficients if c != 0)
        key = sympy.expand(line / lead)
        found.setdefault(str(key), key)
    return [found[k] for k in sorted(found)]


def uncertainty_tree(game: TreeGame, samples: int, seed: int = 0,
                     values: Mapping[str, object] | None = None) -> TreeUncertainty:
    """Draw the parameters that declare a ``dist:`` and solve the tree at each draw
    (each drawn number taken exactly, as the rational it is in binary).

    Raises
    ------
    ModelError
        When no parameter declares a distribution, or there are more draws than the
        limit ``tree_sweep_points``.
    """
    from ..optimize.scenarios import sample_scenarios
    from .sampling import wilson_interval

    started = time.perf_counter()
    if samples < 1:
        raise ModelError("--samples must be at least 1")
    if samples > limit("tree_sweep_points"):
        raise ModelError(f"--samples {samples}: a game tree is solved exactly at every draw, and "
                         f"at most {limit('tree_sweep_points')} draws are allowed "
                         f"({exceeded('tree_sweep_points')})")
    base = game.values_with(values)
    draws = sample_scenarios(game, samples, seed, base)
    uncertain = [p for p in game.spec.parameters if p.distribution is not None]
    names = [p.name for p in uncertain]
    labels: dict[str, int] = {}
    details: list[tuple] = []
    counts: list[int] = []
    for draw in draws:
        point = {**base, **{n: _rational(float(draw[n])) for n in names}}
        label, outcomes, count, complete = point_label(game, point)
        if label not in labels:
            labels[label] = len(details)
            details.append((outcomes, count, complete))
            counts.append(0)
        counts[labels[label]] += 1
    regions = []
    for label, index in labels.items():
        low, high = wilson_interval(counts[index], samples)
        regions.append((TreeRegion(label, *details[index], counts[index]), low, high))
    regions.sort(key=lambda item: (-item[0].points, item[0].label))
    return TreeUncertainty(game.name, samples, seed, tuple(names),
                           {p.name: str(p.distribution) for p in uncertain}, tuple(regions),
                           time.perf_counter() - started)

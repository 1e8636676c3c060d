"""SymbolicGame + grid → every equilibrium at every grid point (phase diagrams).

Notation: a *grid* varies one or two parameters or controls over evenly spaced
values, both ends included (``start:stop:points``); every other symbol keeps its
current value. A grid point's *label* is its equilibrium set, written as one
support per player for each equilibrium; a *region* is the set of points sharing
a label.

How it works, and why it is right:

1. Payoffs are compiled once per game (``sympy.lambdify`` of our own parsed
   expression trees — never of user text) and evaluated for a whole chunk of
   points at once, so memory stays bounded by the chunk size.
2. Pure equilibria, for any number of players: a profile is an equilibrium when
   each player's payoff equals the maximum over its own strategies.
3. Mixed equilibria, two players: batched support enumeration over equal-size
   supports, which is complete for nondegenerate games.
4. Any point that might be degenerate is solved again by the exact engine
   (:func:`policy.equilibria.find_equilibria`, rational arithmetic at the exact
   grid value). A point is treated as possibly degenerate when, within the
   tolerance, some player has tied pure best responses, or some mixed strategy
   with support size k makes more than k pure strategies of the opponent
   indifferent (von Stengel's definition of degeneracy, tested for every support),
   or an even number of equilibria was found (nondegenerate games have an odd
   number). The test is conservative: it may send a nondegenerate point to the
   exact engine, never the reverse. Exact payoffs come from the trees compiled
   to Fraction arithmetic (no sympy substitution per point), and points with
   equal exact payoffs are solved once.

That is the numpy path. When numba is importable, grids of 20,000 points or
more run compiled kernels instead (``POLICY_SWEEP_ENGINE=numpy`` forces the
numpy path; ``numba`` forces the kernels at any size):

- When every payoff is a polynomial with rational coefficients in the varied
  symbols and the numbers stay inside int64 (:mod:`policy.integer_kernels`),
  every point is decided exactly in integers — pure equilibria by best-response
  intervals along grid rows, all equilibria of two-player games by vertex
  enumeration of both best-response polytopes — and nothing is re-solved.
  ``exact_points`` then counts the degenerate points.
- Otherwise a kernel generated from the payoff trees (:mod:`policy.kernels`)
  does steps 2–4's float tests in one pass per point, with the same tolerances
  and flags, and flagged points go to the exact engine as above.

Examples
--------
>>> import policy
>>> result = sweep(policy.load("platform_entry"), [GridAxis.parse("entry_subsidy=0:2:5")])
>>> for region in result.regions:
...     print(region.points, region.label)
2 expand·stay_out | restrain·enter | mixed {expand, restrain} × {enter, stay_out}
1 expand·stay_out | restrain·enter | mixed {expand} × {enter, stay_out}
2 restrain·enter
"""

from __future__ import annotations

import functools
import itertools
import math
import operator
import re
import time
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Callable, Mapping, Sequence

import numpy as np
import sympy

from . import integer_kernel as integer_kernels, float_kernel as kernels
from ..equilibria import find_equilibria
from ..errors import ExpressionError, ModelError
from ..expressions import parse_expression
from ..limits import exceeded, limit
from ..numeric import NumericGame
from ..symbolic import SymbolicGame

__all__ = ["GridAxis", "Region", "SweepResult", "UncertaintyResult", "sweep", "uncertainty",
           "wilson_interval", "to_saved_points",
           "SWEEP_TOLERANCE"]

#: Relative tolerance below which payoff differences count as ties (then exact).
SWEEP_TOLERANCE = 1e-9
#: Points evaluated together by numpy; bounds memory at a few hundred MB for 3×3 games.
CHUNK = 200_000
#: Points per chunk for the compiled kernel (13 bytes each, plus the int32 grid).
KERNEL_CHUNK = 4_000_000
#: Smallest chunk given to the compiled kernel when the engine is ``auto``.
KERNEL_MIN_POINTS = 20_000


@dataclass(frozen=True)
class GridAxis:
    """One varied symbol: ``points`` evenly spaced values from ``start`` to ``stop``."""

    name: str
    start: Fraction
    stop: Fraction
    points: int

    @classmethod
    def parse(cls, text: str) -> "GridAxis":
        """Parse ``name=start:stop:points``.

        >>> GridAxis.parse("s=0:1:401")
        GridAxis(name='s', start=Fraction(0, 1), stop=Fraction(1, 1), points=401)
        """
        name, sep, spec = text.partition("=")
        parts = spec.split(":")
        if not sep or len(parts) != 3:
            raise ModelError(f"--vary '{text}': expected name=start:stop:points, e.g. s=0:1:101")
        if not re.fullmatch(r"\s*[0-9]{1,12}\s*", parts[2]):
            raise ModelError(f"--vary '{text}': the number of points must be a whole number, "
                             f"got '{parts[2][:40]}'; e.g. s=0:1:101")
        points = int(parts[2])
        try:
            start, stop = (parse_expression(p.strip(), {}) for p in parts[:2])
        except ExpressionError as err:
            raise ModelError(f"--vary '{text}': start and stop must be numbers such as 0 or "
                             f"1/2: {err.message}") from None
        if not (start.is_Rational and stop.is_Rational):
            raise ModelError(f"--vary '{text}': start and stop must be rational numbers such as 0 "
                             "or 1/2, not sqrt(2)")
        if points < 2 or start == stop:
            raise ModelError(f"--vary '{text}': need at least 2 points and start != stop")
        return cls(name.strip(), Fraction(str(start)), Fraction(str(stop)), points)

    def exact(self, index: int) -> Fraction:
        return self.start + (self.stop - self.start) * index / (self.points - 1)

    def values(self) -> np.ndarray:
        return np.linspace(float(self.start), float(self.stop), self.points)

    def __str__(self) -> str:
        return f"{self.name}={self.start}:{self.stop}:{self.points}"


@dataclass(frozen=True)
class Region:
    """Points sharing one equilibrium set."""

    label: str
    supports: tuple[tuple[tuple[str, ...], ...], ...]
    points: int


@dataclass(frozen=True)
class SweepResult:
    """Per-point labels (indices into ``labels``) on the grid, and region counts."""

    game: str
    axes: tuple[GridAxis, ...]
    labels: tuple[str, ...]
    supports: tuple[tuple[tuple[tuple[str, ...], ...], ...], ...]
    grid: np.ndarray                 # int32 label index per point, shape = axis sizes
    degenerate_points: int
    exact_points: int
    mixed_computed: bool
    values: dict[str, sympy.Expr]
    seconds: float = field(compare=False, default=0.0)

    @functools.cached_property
    def regions(self) -> tuple[Region, ...]:
        # bincount copies its input to intp: count in pieces, not 8 bytes per point at once
        flat = self.grid.reshape(-1)
        counts = np.zeros(len(self.labels), dtype=np.int64)
        for start in range(0, len(flat), CHUNK):
            counts += np.bincount(flat[start:start + CHUNK], minlength=len(self.labels))
        regions = [Region(label, supports, int(count))
                   for label, supports, count in zip(self.labels, self.supports, counts) if count]
        return tuple(sorted(regions, key=lambda r: r.label))

    @property
    def points(self) -> int:
        return int(self.grid.size)


def _support_label(game: SymbolicGame, supports: tuple[tuple[int, ...], ...]) -> str:
    if all(len(s) == 1 for s in supports):
        return "·".join(game.strategies[i][s[0]] for i, s in enumerate(supports))
    return "mixed " + " × ".join("{" + ", ".join(game.strategies[i][k] for k in s) + "}"
                                 for i, s in enumerate(supports))


def _label(game: SymbolicGame, equilibria: Sequence[tuple[tuple[int, ...], ...]]) -> tuple[str, tuple]:
    ordered = sorted(set(equilibria), key=lambda sup: (sum(len(s) for s in sup), sup))
    names = tuple(tuple(tuple(game.strategies[i][k] for k in s) for i, s in enumerate(sup))
                  for sup in ordered)
    text = " | ".join(_support_label(game, sup) for sup in ordered) or "no pure equilibrium"
    return text, names


# --------------------------------------------------------------------------------------
# compiled payoffs
# --------------------------------------------------------------------------------------

def _bound_payoffs(game: SymbolicGame, names: Sequence[str],
                   values: Mapping[str, sympy.Expr]) -> list[sympy.Expr]:
    """Payoff expressions (profile-major, then player) with every unvaried symbol replaced."""
    varied = {game.symbols[name] for name in names}
    fixed = {game.symbols[k]: v for k, v in values.items() if k not in set(names)}
    bound = [expr.xreplace(fixed) for row in game.spec.payoffs for expr in row]
    for expr in bound:
        if expr.free_symbols - varied:
            missing = ", ".join(sorted(str(s) for s in expr.free_symbols - varied))
            raise ModelError(f"no value for {missing}; give one with --set {missing.split(', ')[0]}=…")
    return bound


def _compile(game: SymbolicGame, names: Sequence[str], values: Mapping[str, sympy.Expr]):
    """A function (arrays of the named symbols' values) → payoffs (points, players, *shape)."""
    varied = [game.symbols[name] for name in names]
    shape = game.shape
    n = len(shape)
    functions = [sympy.lambdify(varied, bound, modules="numpy")
                 for bound in _bound_payoffs(game, names, values)]

    def evaluate(*columns: np.ndarray) -> np.ndarray:
        count = len(columns[0])
        out = np.empty((count, len(functions)))
        with np.errstate(all="ignore"):
            for k, function in enumerate(functions):
                out[:, k] = np.broadcast_to(np.asarray(function(*columns), dtype=float), (count,))
        # flat order: profile-major, then player → (points, players, *shape)
        return np.moveaxis(out.reshape(count, *shape, n), -1, 1)

    return evaluate


# --------------------------------------------------------------------------------------
# vectorised equilibria
# --------------------------------------------------------------------------------------

def _pure(payoffs: np.ndarray, tolerance: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pure-equilibrium mask (points, *shape) and a per-point 'has ties' flag."""
    count, n = payoffs.shape[:2]
    mask = np.ones((count, *payoffs.shape[2:]), dtype=bool)
    ties = np.zeros(count, dtype=bool)
    for i in range(n):
        array = payoffs[:, i]
        best = array.max(axis=1 + i, keepdims=True)
        near = array >= best - tolerance.reshape((-1,) + (1,) * (n))
        mask &= near
        ties |= (near.sum(axis=1 + i) > 1).reshape(count, -1).any(axis=1)
    return mask, ties


def _solve_batched(matrices: np.ndarray, rhs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Solve many small systems; returns solutions and a 'nearly singular' flag.

    A system counts as nearly singular when |det| is below 1e-10 times Hadamard's
    bound (the product of its row norms): those points go to the exact engine.
    """
    with np.errstate(all="ignore"):
        determinant = np.linalg.det(matrices)
        hadamard = np.prod(np.linalg.norm(matrices, axis=2), axis=1)
    bad = ~np.isfinite(determinant) | (np.abs(determinant) <= 1e-10 * np.maximum(hadamard, 1e-300))
    solutions = np.zeros(rhs.shape)
    good = ~bad
    if good.any():
        solutions[good] = np.linalg.solve(matrices[good], rhs[good][..., None])[..., 0]
    return solutions, bad


def _indifference(block: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For blocks (points, k, k): the mix q (len k) making all k rows equal, and value v.

    Solves ``block @ q = v·1, Σq = 1`` as a (k+1)×(k+1) system.
    """
    count, k, _ = block.shape
    system = np.zeros((count, k + 1, k + 1))
    system[:, :k, :k] = block
    system[:, :k, k] = -1
    system[:, k, :k] = 1
    rhs = np.zeros((count, k + 1))
    rhs[:, k] = 1
    solution, bad = _solve_batched(system, rhs)
    return solution[:, :k], solution[:, k], bad


def _two_player_mixed(A: np.ndarray, B: np.ndarray, tolerance: np.ndarray):
    """Equal-size support enumeration (k >= 2) for all points; returns the list of
    (supports, found-mask) and a 'possibly degenerate' flag per point."""
    count, m, n = A.shape
    found = []
    doubtful = np.zeros(count, dtype=bool)
    for k in range(2, min(m, n) + 1):
        for rows in itertools.combinations(range(m), k):
            for cols in itertools.combinations(range(n), k):
                r, c = list(rows), list(cols)
                y, v, bad_y = _indifference(A[:, r][:, :, c])
                x, w, bad_x = _indifference(np.swapaxes(B[:, r][:, :, c], 1, 2))
                tol = tolerance[:, None]
                positive = (x > tol).all(axis=1) & (y > tol).all(axis=1)
                near_zero = ((np.abs(x) <= tol).any(axis=1) | (np.abs(y) <= tol).any(axis=1))
                full_y = np.zeros((count, n))
                full_y[:, c] = y
                full_x = np.zeros((count, m))
                full_x[:, r] = x
                row_values = np.einsum("pij,pj->pi", A, full_y)
                col_values = np.einsum("pij,pi->pj", B, full_x)
                outside_rows = [i for i in range(m) if i not in rows]
                outside_cols = [j for j in range(n) if j not in cols]
                best_ok = np.ones(count, dtype=bool)
                tie_outside = np.zeros(count, dtype=bool)
                if outside_rows:
                    gap = v[:, None] - row_values[:, outside_rows]
                    best_ok &= (gap > -tolerance[:, None]).all(axis=1)
                    tie_outside |= (np.abs(gap) <= tolerance[:, None]).any(axis=1)
                if outside_cols:
                    gap = w[:, None] - col_values[:, outside_cols]
                    best_ok &= (gap > -tolerance[:, None]).all(axis=1)
                    tie_outside |= (np.abs(gap) <= tolerance[:, None]).any(axis=1)
                hit = positive & best_ok & ~bad_x & ~bad_y
                # a candidate on the edge (a probability or an outside payoff gap within the
                # tolerance of zero) could be an equilibrium or not: let the exact engine decide
                plausible = (x > -tol).all(axis=1) & (y > -tol).all(axis=1) & best_ok
                doubtful |= bad_x | bad_y | ((near_zero | tie_outside) & plausible)
                found.append(((tuple(rows), tuple(cols)), hit))
    doubtful |= _extra_indifference(A, B, tolerance)
    return found, doubtful


def _extra_indifference(A: np.ndarray, B: np.ndarray, tolerance: np.ndarray) -> np.ndarray:
    """Whether some mixed strategy with support size k makes k+1 opponent strategies
    indifferent (degeneracy), for either player, at each point."""
    count, m, n = A.shape
    flag = np.zeros(count, dtype=bool)
    for own, payoff_of_other in ((m, np.swapaxes(B, 1, 2)), (n, A)):
        # payoff_of_other[:, j, i]: the opponent's payoff from its strategy j against our i
        other = payoff_of_other.shape[1]
        for k in range(1, min(own, other - 1) + 1):
            for support in itertools.combinations(range(own), k):
                for group in itertools.combinations(range(other), k + 1):
                    block = payoff_of_other[:, list(group)][:, :, list(support)]  # (p, k+1, k)
                    # unknowns q (k) and v: block q - v = 0 (k+1 eqs), Σq = 1 → k+2 eqs, k+1 unknowns
                    system = np.zeros((count, k + 2, k + 1))
                    system[:, :k + 1, :k] = block
                    system[:, :k + 1, k] = -1
                    system[:, k + 1, :k] = 1
                    rhs = np.zeros((count, k + 2))
                    rhs[:, k + 1] = 1
                    # least squares by the normal equations; a nearly singular one is doubtful
                    transpose = np.swapaxes(system, 1, 2)
                    solution, singular = _solve_batched(transpose @ system, system[:, k + 1])
                    residual = np.abs(np.einsum("pij,pj->pi", system, solution) - rhs).max(axis=1)
                    q = solution[:, :k]
                    flag |= singular | ((residual <= tolerance * 10) & (q >= -tolerance[:, None]).all(axis=1))
    return flag


# --------------------------------------------------------------------------------------
# the sweep
# --------------------------------------------------------------------------------------

class _Classifier:
    """Labels points (columns of values of the varied symbols) by their equilibrium set."""

    def __init__(self, game: SymbolicGame, names: Sequence[str], current: Mapping[str, sympy.Expr],
                 mixed: bool) -> None:
        self.game = game
        self.names = list(names)
        self.current = dict(current)
        self.two = len(game.players) == 2 and mixed
        self.index: dict[str, int] = {}
        self.supports: list[tuple] = []
        self.degenerate = 0
        self.exact = 0
        self.solved: dict[tuple, int] = {}
        self.known: dict[frozenset, int] = {}

    @functools.cached_property
    def evaluate(self):
        """Payoffs of a chunk of points (numpy path), compiled on first use."""
        return _compile(self.game, self.names, self.current)

    @functools.cached_property
    def exact_payoffs(self) -> "_ExactPayoffs":
        return _ExactPayoffs(self.game, self.names, self.current)

    def label_of(self, equilibria) -> int:
        key = frozenset(equilibria)
        if key not in self.known:
            text, supports = _label(self.game, equilibria)
            if text not in self.index:
                self.index[text] = len(self.supports)
                self.supports.append(supports)
            self.known[key] = self.index[text]
        return self.known[key]

    def classify(self, columns: Sequence[np.ndarray], exact_point: Callable[[int], dict]) -> np.ndarray:
        """Label index per point; ``exact_point(k)`` gives exact values of point k."""
        game = self.game
        count = len(columns[0])
        payoffs = self.evaluate(*columns)
        finite = np.isfinite(payoffs).reshape(count, -1).all(axis=1)
        if not finite.all():
            _raise_not_finite(exact_point(int(np.flatnonzero(~finite)[0])))
        scale = np.maximum(1.0, np.abs(payoffs).reshape(count, -1).max(axis=1))
        tolerance = SWEEP_TOLERANCE * scale
        pure_mask, ties = _pure(payoffs, tolerance)
        doubtful = ties.copy()
        found_mixed = []
        if self.two:
            found_mixed, flagged = _two_player_mixed(payoffs[:, 0], payoffs[:, 1], tolerance)
            doubtful |= flagged
        profiles = list(itertools.product(*(range(k) for k in game.shape)))
        pure_flat = pure_mask.reshape(count, -1)
        if self.two:
            counts = pure_flat.sum(axis=1) + sum(hit.astype(int) for _, hit in found_mixed)
            doubtful |= counts % 2 == 0  # nondegenerate games have an odd number
        pattern = np.concatenate([pure_flat] + [hit[:, None] for _, hit in found_mixed], axis=1) \
            if found_mixed else pure_flat
        keys, inverse = np.unique(pattern, axis=0, return_inverse=True)
        labels = []
        for key in keys:
            equilibria = [tuple((s,) for s in profiles[k]) for k in np.flatnonzero(key[:len(profiles)])]
            equilibria += [sup for (sup, _), on in zip(found_mixed, key[len(profiles):]) if on]
            labels.append(self.label_of(equilibria))
        result = np.asarray(labels, dtype=np.int32)[inverse.reshape(-1)]
        self.solve_exactly(result, np.flatnonzero(doubtful), exact_point)
        self.degenerate += int(ties.sum())
        return result

    def classify_grid(self, axes: Sequence[GridAxis], start: int, stop: int,
                      out: np.ndarray | None = None) -> np.ndarray | None:
        """Labels of flat grid points [start, stop) by a compiled kernel — exact in integers
        when the payoffs allow it, else the float kernel (same tests as :meth:`classify`)
        with doubtful points solved by the exact engine — or None when the game has no
        compiled form. The labels are written into ``out`` when it is given."""
        form = _integer_payoffs(self.game, tuple(self.names), tuple(self.current.items()),
                                tuple(axes), self.two)
        if form is not None:
            return self.classify_integer_grid(form, axes, start, stop, out)
        module = _kernel_module(self.game, tuple(self.names))
        if module is None:
            return None
        _bound_payoffs(self.game, self.names, self.current)   # every symbol has a value
        fixed = _fixed_values(self.game, self.names, self.current)
        values = np.zeros((len(axes), max(a.points for a in axes)))
        for k, axis in enumerate(axes):
            values[k, :axis.points] = axis.values()
        outer = np.array([a.points for a in axes[:-1]] or [1], dtype=np.int64)
        segment_start, segment_stop = kernels.segments(start, stop, axes[-1].points)
        codes = np.empty(stop - start, dtype=np.int64)
        flags = np.empty(stop - start, dtype=np.uint8)
        with kernels.interrupt_after():  # numba's compiler must not see a KeyboardInterrupt
            if self.two:
                m, n = self.game.shape
                module.classify_mixed(values, fixed, axes[-1].points, outer, segment_start, segment_stop,
                                      start, kernels.pair_table(m, n), kernels.group_table(m, n),
                                      codes, flags)
            else:
                module.classify_pure(values, fixed, axes[-1].points, outer, segment_start, segment_stop,
                                     start, codes, flags)
        not_finite = np.flatnonzero(flags & kernels.NOT_FINITE)
        if len(not_finite):
            _raise_not_finite(_point_values(axes, start + int(not_finite[0])))
        distinct, inverse = kernels.dense_labels(codes[:, None], out=out)
        result = _relabel(inverse, [self.label_of(self.decode(int(code[0]))) for code in distinct])
        self.solve_exactly(result, np.flatnonzero(flags & kernels.DOUBTFUL),
                           lambda k: _point_values(axes, start + k))
        self.degenerate += int(np.count_nonzero(flags & kernels.TIES))
        return self.in_first_appearance_order(result)

    def classify_integer_grid(self, form: "integer_kernels.IntegerPayoffs", axes: Sequence[GridAxis],
                              start: int, stop: int, out: np.ndarray | None = None) -> np.ndarray:
        """Labels of flat grid points [start, stop), every one decided exactly in int64
        (written into ``out`` when it is given)."""
        shape = self.game.shape
        outer = np.array([a.points for a in axes[:-1]] or [1], dtype=np.int64)
        segment_start, segment_stop = kernels.segments(start, stop, axes[-1].points)
        codes = np.empty((stop - start, form.words), dtype=np.int64)
        flags = np.empty(stop - start, dtype=np.uint8)
        lines, line_payoffs = integer_kernels.line_table(shape)
        if self.two:
            m, n = shape
            integer_kernels.vertex_codes(
                form.coefficients, form.exponents, outer, axes[-1].points, segment_start,
                segment_stop, start, m, n, lines, line_payoffs, integer_kernels.vertex_bases(m, n),
                integer_kernels.vertex_bases(n, m), codes, flags)
        else:
            integer_kernels.pure_codes(
                form.coefficients, form.exponents, outer, axes[-1].points, segment_start,
                segment_stop, start, math.prod(shape), lines, line_payoffs, codes, flags)
        distinct, inverse = kernels.dense_labels(codes, out=out)
        result = _relabel(inverse, [self.label_of(self.decode_integer(code)) for code in distinct])
        self.degenerate += int(np.count_nonzero(flags & kernels.TIES))
        self.exact += int(np.count_nonzero(flags & kernels.DEGENERATE))
        return result

    def in_first_appearance_order(self, result: np.ndarray) -> np.ndarray:
        """``result`` (this classifier's only labels) renumbered in place so that labels
        are numbered in order of first appearance, unused ones dropped — as the integer
        kernels number them — so every path and every chunk size numbers a grid alike."""
        order = kernels.first_appearances(result, len(self.supports))
        if np.array_equal(order, np.arange(len(self.supports))):
            return result
        remap = np.full(len(self.supports), -1, dtype=np.int32)
        remap[order] = np.arange(len(order), dtype=np.int32)
        result[...] = remap[result]
        texts = list(self.index)
        self.index = {texts[old]: new for new, old in enumerate(order)}
        self.supports = [self.supports[old] for old in order]
        self.known = {key: int(remap[old]) for key, old in self.known.items() if remap[old] >= 0}
        self.solved = {key: int(remap[old]) for key, old in self.solved.items() if remap[old] >= 0}
        return result

    def decode_integer(self, code: np.ndarray) -> list[tuple[tuple[int, ...], ...]]:
        """Equilibrium supports from an integer kernel's code (one or more int64 words)."""
        bits = [64 * w + b for w, word in enumerate(code.tolist()) for b in range(64)
                if int(word) >> b & 1]
        if self.two:
            return [integer_kernels.support_pair(bit, self.game.shape[1]) for bit in bits]
        profiles = list(itertools.product(*(range(k) for k in self.game.shape)))
        return [tuple((s,) for s in profiles[bit]) for bit in bits]

    def decode(self, code: int) -> list[tuple[tuple[int, ...], ...]]:
        """Equilibrium supports from a kernel code (pure profiles, then support pairs)."""
        shape = self.game.shape
        profiles = list(itertools.product(*(range(k) for k in shape)))
        candidates = [tuple((s,) for s in profile) for profile in profiles]
        if self.two:
            candidates += kernels.support_pairs(*shape)
        return [support for k, support in enumerate(candidates) if code >> k & 1]

    def solve_exactly(self, result: np.ndarray, positions: np.ndarray,
                      exact_point: Callable[[int], dict]) -> None:
        """Label ``positions`` with the exact engine (games with equal exact payoffs once)."""
        method = "auto" if self.two else "pure"
        for position in positions:
            point = exact_point(int(position))
            flat = self.exact_payoffs.evaluate(point)
            if flat is not None and not self.two:  # cheaper than a cache lookup
                result[position] = self.label_of(_exact_pure_supports(flat, self.game.shape))
                self.exact += 1
                continue
            key = None if flat is None else tuple(flat)
            label = self.solved.get(key) if key is not None else None
            if label is None:
                numeric = self.exact_payoffs.game(point, flat) if flat is not None else \
                    self.game.bind(self._overrides(point))
                label = self.label_of([eq.supports for eq in find_equilibria(numeric, method=method).equilibria])
                if key is not None:
                    self.solved[key] = label
            result[position] = label
            self.exact += 1

    def _overrides(self, point: Mapping[str, Fraction]) -> dict[str, sympy.Expr]:
        overrides = dict(self.current)
        overrides.update({k: sympy.Rational(v) for k, v in point.items()})
        return overrides


def _relabel(inverse: np.ndarray, labels: Sequence[int]) -> np.ndarray:
    """``inverse`` (int32) replaced in place by ``labels[inverse]``, and returned."""
    table = np.asarray(labels, dtype=np.int32)
    if not np.array_equal(table, np.arange(len(table))):
        inverse[...] = table[inverse]
    return inverse


def _exact_pure_supports(flat: Sequence[Fraction], shape: tuple[int, ...]) -> list[tuple]:
    """Pure equilibria from exact payoffs (profile-major, then player), as the exact
    engine's ``pure`` method finds them: every player's payoff equals its best deviation."""
    n = len(shape)
    profiles = list(itertools.product(*(range(k) for k in shape)))
    is_equilibrium = [True] * len(profiles)
    for player, lines in enumerate(integer_kernels.deviation_lines(shape)):
        own = flat[player::n]  # this player's payoffs as integers over one denominator
        denominator = math.lcm(*(value.denominator for value in own))
        own = [value.numerator * (denominator // value.denominator) for value in own]
        for line in lines:
            values = [own[k] for k in line]
            best = max(values)
            for k, value in zip(line, values):
                if value != best:
                    is_equilibrium[k] = False
    return [tuple((s,) for s in profile) for profile, on in zip(profiles, is_equilibrium) if on]


def _raise_not_finite(point: Mapping[str, Fraction]) -> None:
    where = ", ".join(f"{k}={v}" for k, v in point.items())
    raise ModelError(f"payoffs are not finite at {where} (division by zero?)")


class _ExactPayoffs:
    """Payoffs evaluated exactly (Fractions) from the sympy trees, compiled once per game.

    :meth:`game` gives the same :class:`NumericGame` as ``SymbolicGame.bind`` when every
    payoff is rational at the point (:meth:`evaluate` is not None), without sympy substitution.
    """

    def __init__(self, game: SymbolicGame, names: Sequence[str], current: Mapping[str, sympy.Expr]):
        self.symbolic = game
        self.names = list(names)
        self.current = dict(current)
        position = {game.symbols[name]: k for k, name in enumerate(names)}
        self.functions = [_fraction_function(expr, position)
                          for expr in _bound_payoffs(game, names, current)]

    def evaluate(self, point: Mapping[str, Fraction]) -> list[Fraction] | None:
        """Exact payoffs (profile-major, then player), or None if one is not rational."""
        arguments = [point[name] for name in self.names]
        flat = [function(arguments) for function in self.functions]
        return None if any(value is None for value in flat) else flat

    def game(self, point: Mapping[str, Fraction], flat: Sequence[Fraction]) -> NumericGame:
        """The game ``SymbolicGame.bind`` gives at ``point``, from its exact payoffs ``flat``."""
        n = len(self.symbolic.players)
        exact = [list(flat[player::n]) for player in range(n)]
        floats = [[float(value) for value in values] for values in exact]
        values = dict(self.current)
        values.update({k: sympy.Rational(v) for k, v in point.items()})
        return NumericGame.with_payoffs(self.symbolic, values, floats, exact)


def _fraction_function(expr: sympy.Expr, position: Mapping[sympy.Symbol, int]
                       ) -> Callable[[Sequence[Fraction]], Fraction | None]:
    """``expr`` as a function of the varied values (Fractions) → Fraction, or None when
    the value is not a rational number (or not defined) at that point."""
    if expr.is_Rational:
        constant = Fraction(int(expr.p), int(expr.q))
        return lambda values: constant
    if expr.is_Symbol:
        k = position[expr]
        return lambda values: values[k]
    parts = [_fraction_function(a, position) for a in expr.args]

    def evaluated(values):
        results = [part(values) for part in parts]
        return None if any(r is None for r in results) else results

    if expr.is_Add:
        # every part is a Fraction, so no start value is needed (one operation fewer)
        return lambda values: None if (r := evaluated(values)) is None else functools.reduce(operator.add, r)
    if expr.is_Mul:
        return lambda values: None if (r := evaluated(values)) is None else functools.reduce(operator.mul, r)
    if isinstance(expr, (sympy.Min, sympy.Max, sympy.Abs)):
        function = {sympy.Min: min, sympy.Max: max, sympy.Abs: lambda v: abs(v)}[expr.func]
        return lambda values: None if (r := evaluated(values)) is None else function(*r)
    if expr.is_Pow and expr.args[1].is_Integer:
        exponent = int(expr.args[1])
        base = parts[0]

        def power(values):
            value = base(values)
            return None if value is None or (value == 0 and exponent < 0) else value ** exponent
        return power
    return lambda values: None  # sqrt, exp, log, irrational constants: sympy decides


@functools.lru_cache(maxsize=32)
def _kernel_module(game: SymbolicGame, names: tuple[str, ...]):
    """The compiled float kernel module for this game and varied symbols, or None (numpy
    path); the other symbols' values are given to it at run time (:func:`_fixed_values`)."""
    shape = game.shape
    bits = math.prod(shape) + (len(kernels.support_pairs(*shape)) if len(shape) == 2 else 0)
    if bits > kernels.MAX_CODE_BITS:
        return None
    try:
        source = kernels.kernel_source([expr for row in game.spec.payoffs for expr in row],
                                       [game.symbols[name] for name in names], shape, SWEEP_TOLERANCE,
                                       [game.symbols[name] for name in _fixed_names(game, names)])
    except NotImplementedError:
        return None
    return kernels.compiled_kernel(source)


def _fixed_names(game: SymbolicGame, names: Sequence[str]) -> list[str]:
    """The symbols that are not varied, in declaration order."""
    return [name for name in game.symbols if name not in names]


def _fixed_values(game: SymbolicGame, names: Sequence[str], current: Mapping[str, sympy.Expr]) -> np.ndarray:
    """Float values of the symbols that are not varied (nan where a value is not real)."""
    values = []
    for name in _fixed_names(game, names):
        try:
            values.append(float(current[name]))
        except TypeError:
            values.append(math.nan)
    return np.array(values or [0.0])


@functools.lru_cache(maxsize=32)
def _integer_payoffs(game: SymbolicGame, names: tuple[str, ...], current: tuple[tuple[str, sympy.Expr], ...],
                     axes: tuple[GridAxis, ...], two_player_mixed: bool):
    """The game's payoffs as integer polynomials of the grid indices, or None
    (see :func:`policy.integer_kernels.integer_form`)."""
    if kernels.numba is None:
        return None
    return integer_kernels.integer_form(
        _bound_payoffs(game, names, dict(current)), [game.symbols[name] for name in names], game.shape,
        [(a.start, a.stop, a.points) for a in axes], mixed=two_player_mixed)


def _use_kernel(points: int) -> bool:
    """Compiled kernel for this many points? ``auto``: numba when importable, from
    :data:`KERNEL_MIN_POINTS` points on (below, JIT loading costs more than it saves)."""
    choice = kernels.engine_choice()
    return choice == "numba" or (choice == "auto" and points >= KERNEL_MIN_POINTS)


def sweep(game: SymbolicGame, axes: Sequence[GridAxis], values: Mapping[str, object] | None = None,
          *, mixed: bool = True, chunk: int | None = None, max_points: int | None = None,
          progress: Callable[[int, int], None] | None = None, client=None) -> SweepResult:
    """Every equilibrium at every grid point (pure for n players, all for two players).

    Parameters
    ----------
    axes : one or more :class:`GridAxis` (names must be parameters or controls)
    values : overrides for the symbols that are not varied
    mixed : compute mixed equilibria of two-player games (else pure only)
    max_points : largest grid accepted (default: the limit ``grid_points``)
    progress : called with (points done, total) after each chunk
    client : a ``dask.distributed.Client``; chunks are then classified on its workers
        and merged in chunk order, so the result is identical to a local run
    """
    started = time.perf_counter()
    names = [a.name for a in axes]
    _check_names(game, names)
    total = math.prod(a.points for a in axes)
    max_points = max_points or limit("grid_points")
    if total > max_points:
        raise ModelError(f"the grid has {total} points; at most {max_points} are allowed "
                         f"(use fewer points or {exceeded('grid_points')})")
    current = game.values_with({k: v for k, v in (values or {}).items()})
    merged = _Classifier(game, names, current, mixed)
    chunk = chunk or (KERNEL_CHUNK if _use_kernel(total) else CHUNK)
    starts = list(range(0, total, chunk))
    grid = np.empty(total, dtype=np.int32)
    views = [grid[start:start + chunk] for start in starts]
    if client is None:   # chunks write their labels into the grid
        pieces = (_classify_chunk(game, tuple(axes), current, mixed, start, chunk, out=view)
                  for start, view in zip(starts, views))
    else:
        futures = client.map(_classify_chunk, [game] * len(starts), [tuple(axes)] * len(starts),
                             [current] * len(starts), [mixed] * len(starts), starts,
                             [chunk] * len(starts), pure=False)
        pieces = (future.result() for future in futures)
    done = 0
    for view, (local_labels, local_supports, indices, degenerate, exact) in zip(views, pieces):
        remap = np.array([_merge_label(merged, text, supports)
                          for text, supports in zip(local_labels, local_supports)], dtype=np.int32)
        if not np.array_equal(remap, np.arange(len(remap))):
            view[...] = remap[indices]
        elif indices is not view:   # classified on a Dask worker
            view[...] = indices
        merged.degenerate += degenerate
        merged.exact += exact
        done += len(indices)
        if progress:
            progress(done, total)
    return SweepResult(game.name, tuple(axes), tuple(merged.index), tuple(merged.supports),
                       grid.reshape(tuple(a.points for a in axes)), merged.degenerate,
                       merged.exact, merged.two, current, time.perf_counter() - started)


def _merge_label(classifier: "_Classifier", text: str, supports: tuple) -> int:
    if text not in classifier.index:
        classifier.index[text] = len(classifier.supports)
        classifier.supports.append(supports)
    return classifier.index[text]


def _classify_chunk(game: SymbolicGame, axes: tuple[GridAxis, ...], current, mixed: bool,
                    start: int, size: int, out: np.ndarray | None = None):
    """One chunk of a grid, classified from scratch (runs locally or on a Dask worker);
    its labels are written into ``out`` when it is given (a local run's grid)."""
    total = math.prod(a.points for a in axes)
    stop = min(total, start + size)
    classifier = _Classifier(game, [a.name for a in axes], current, mixed)
    labels = classifier.classify_grid(axes, start, stop, out) if _use_kernel(stop - start) else None
    if labels is None:
        flat = np.arange(start, stop)
        indices = np.unravel_index(flat, tuple(a.points for a in axes))
        columns = [a.values()[index] for a, index in zip(axes, indices)]
        labels = classifier.in_first_appearance_order(
            classifier.classify(columns, lambda k: _point_values(axes, int(flat[k]))))
        if out is not None:
            out[...] = labels
            labels = out
    return (tuple(classifier.index), tuple(classifier.supports), labels, classifier.degenerate,
            classifier.exact)


def _check_names(game: SymbolicGame, names: Sequence[str]) -> None:
    for name in names:
        if name not in game.symbols:
            raise ModelError(f"--vary: '{name}' is not a parameter or control of {game.name}; "
                             f"declared: {', '.join(game.symbols) or '(none)'}")
    if len(set(names)) != len(names):
        raise ModelError(f"--vary: '{next(n for n in names if names.count(n) > 1)}' is varied "
                         "twice; vary each name once")


@dataclass(frozen=True)
class UncertaintyResult:
    """How often each equilibrium set occurs when parameters are drawn at random."""

    game: str
    samples: int
    seed: int
    parameters: tuple[str, ...]
    distributions: dict[str, str]
    regions: tuple[tuple[Region, float, float], ...]   # region, 95% interval low, high
    exact_points: int
    mixed_computed: bool
    seconds: float = field(compare=False, default=0.0)


def wilson_interval(successes: int, trials: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """Wilson score interval for a proportion (95% by default).

    >>> tuple(round(v, 4) for v in wilson_interval(50, 100))
    (0.4038, 0.5962)
    """
    if trials == 0:
        return 0.0, 1.0
    p = successes / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def uncertainty(game: SymbolicGame, samples: int, seed: int = 0,
                values: Mapping[str, object] | None = None, *, mixed: bool = True,
                chunk: int = CHUNK) -> UncertaintyResult:
    """Draw the parameters that declare a ``dist:`` and classify each draw's equilibria."""
    from ..optimize import sample_scenarios

    started = time.perf_counter()
    if samples < 1:
        raise ModelError("--samples must be at least 1")
    if samples > limit("samples"):
        raise ModelError(f"--samples {samples} is too many; at most {limit('samples')} are "
                         f"allowed ({exceeded('samples')})")
    current = game.values_with({k: v for k, v in (values or {}).items()})
    uncertain = [p for p in game.spec.parameters if p.distribution is not None]
    draws = sample_scenarios(game, samples, seed, current)
    names = [p.name for p in uncertain]
    classifier = _Classifier(game, names, current, mixed)
    labels = np.empty(samples, dtype=np.int32)
    for start in range(0, samples, chunk):
        block = draws[start:start + chunk]
        columns = [np.array([float(d[n]) for d in block]) for n in names]
        labels[start:start + len(block)] = classifier.classify(
            columns, lambda k, block=block: {n: Fraction(float(block[k][n])) for n in names})
    counts = np.bincount(labels, minlength=len(classifier.supports))
    regions = []
    for label, supports, count in zip(classifier.index, classifier.supports, counts):
        if count:
            low, high = wilson_interval(int(count), samples)
            regions.append((Region(label, supports, int(count)), low, high))
    regions.sort(key=lambda item: (-item[0].points, item[0].label))
    return UncertaintyResult(game.name, samples, seed, tuple(names),
                             {p.name: str(p.distribution) for p in uncertain}, tuple(regions),
                             classifier.exact, classifier.two, time.perf_counter() - started)


def _point_values(axes: Sequence[GridAxis], flat_index: int) -> dict[str, Fraction]:
    indices = np.unravel_index(flat_index, tuple(a.points for a in axes))
    return {a.name: a.exact(int(i)) for a, i in zip(axes, indices)}


def to_saved_points(result: SweepResult, suffix: str,
                    columns: Mapping[str, np.ndarray] | None = None) -> str | bytes:
    """Per-point results as CSV text (axis values, region label, then ``columns``,
    e.g. a policy map's cost, controls and ``verified`` flags, each shaped like the
    grid) or NPZ bytes. Boolean columns are kept as booleans (``0``/``1`` in CSV)."""
    import io

    extra = {name: (np.asarray(values, dtype=bool) if np.asarray(values).dtype == bool
                    else np.asarray(values, dtype=float))
             for name, values in (columns or {}).items()}
    values = np.meshgrid(*(a.values() for a in result.axes), indexing="ij")
    flat_labels = result.grid.reshape(-1)
    if suffix == ".npz":
        buffer = io.BytesIO()
        np.savez_compressed(buffer, labels=np.array(result.labels), grid=result.grid,
                            **{a.name: a.values() for a in result.axes}, **extra)
        return buffer.getvalue()
    if suffix != ".csv":
        raise ModelError(f"--save: use a .csv or .npz file name, not '{suffix or 'no extension'}'")
    header = ",".join([a.name for a in result.axes] + ["region"] + list(extra))
    rows = [header]
    flat = [v.reshape(-1) for v in values]
    extra_flat = [v.reshape(-1) for v in extra.values()]
    for k, label in enumerate(flat_labels):
        text = result.labels[label].replace('"', "'")
        rows.append(",".join(repr(float(c[k])) for c in flat) + f',"{text}"'
                    + "".join(f",{int(c[k])}" if c.dtype == bool else f",{float(c[k])!r}"
                              for c in extra_flat))
    return "\n".join(rows) + "\n"

"""NumericGame → :class:`EquilibriumSet`: every Nash equilibrium, verified.

Notation (two-player games): the row player has ``m`` strategies and payoff
matrix ``A``; the column player has ``n`` strategies and payoff matrix ``B``.
Mixed strategies are ``x`` (length m) and ``y`` (length n).

Methods
-------
``exact`` (the default), two players
    Finds every vertex of the two best-response polytopes that belongs to an
    equilibrium, ``P = {x >= 0 : Bᵀx <= 1}`` and ``Q = {y >= 0 : Ay <= 1}`` (payoffs
    shifted to be positive), and keeps the completely labelled pairs: these are
    exactly the *extreme* equilibria, also in degenerate games (von Stengel,
    "Computing equilibria for two-person games", 2002). Payoffs are scaled to
    integers (a positive multiple, which changes no best response). The polytope of
    the player with fewer strategies is enumerated by reverse search (lexicographic
    pivoting) in fraction-free integer arithmetic (:mod:`policy.vertex_enumeration`),
    so the work follows its number of vertices, not the ``C(m+n, m)`` candidate
    bases; for each vertex, the vertices of the other polytope on its complementary
    face (the other player's strategies it is a best response to, and that make it
    one) are found by one exact solve, or by enumerating that face when it is
    degenerate (vertices whose solve shows they answer nothing are dropped inside
    the compiled search, :func:`policy.vertex_enumeration.search_vertices`). The work is bounded by ``POLICY_LIMIT_EXACT_BASES`` (bases visited);
    past it the equilibria found are reported with ``complete=False`` and a note
    saying how far the search got. Games whose payoffs are not all rational solve every square
    system in floating point instead, every vertex then rechecked within the
    tolerance.
    Equilibria that share vertices form convex sets (maximal bicliques of the
    "compatible pair" graph); connected sets are reported as components, so a
    continuum of equilibria is shown as its extreme points plus the convex sets
    joining them.
``exact``, three or more players
    Support enumeration with exact polynomial solving
    (:mod:`policy.support_enumeration`): every equilibrium, irrational ones as exact
    algebraic numbers (:mod:`policy.algebraic`); continua are reported as components
    with ``supports`` and example points. Past its work limits the end of the logit
    path (:mod:`policy.logit`), certified (:mod:`policy.certify`), is added.
``support``, ``vertex``, ``lemke-howson``
    nashpy's algorithms. What they return is polished to exact rationals where
    possible and verified; they may miss equilibria (the result says so).
``pure``
    Pure equilibria only, by checking every profile (any number of players).

Every reported equilibrium is checked as a best response for each player:
exactly when the game is rational, else within :data:`FLOAT_TOLERANCE`.

Examples
--------
>>> from policy.numeric import NumericGame
>>> pennies = NumericGame.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
>>> result = find_equilibria(pennies)
>>> [eq.strategies for eq in result.equilibria]
[((Fraction(1, 2), Fraction(1, 2)), (Fraction(1, 2), Fraction(1, 2)))]
>>> result.degenerate, result.complete
(False, True)
"""

from __future__ import annotations

import itertools
import math
import time
import warnings
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Iterable, Sequence

import numpy as np

from .algebraic import Algebraic
from .best_response import (best_response_mask, common_denominator, expected_payoffs,
                            integer_payoff_rows, integer_rows, is_best_response_profile,
                            payoff_scale)
from .errors import ModelError
from .limits import exceeded, is_work_watched, limit, report_work, run_with_time_limit
from .logit import logit_limit
from .numeric import FLOAT_TOLERANCE, NumericGame
from .support_enumeration import enumerate_supports
from .vertex_enumeration import face_vertices, search_vertices, solve_integer

__all__ = [
    "METHODS",
    "Equilibrium",
    "Component",
    "EquilibriumSet",
    "find_equilibria",
    "MAX_EXACT_SYSTEMS",
]

METHODS = ("auto", "exact", "support", "vertex", "lemke-howson", "pure")

#: Games whose payoffs are not all rational are enumerated by solving every linear
#: system of both polytopes in floating point; above this many systems per polytope,
#: ``auto`` falls back to Lemke–Howson from every starting label (not complete) and
#: says so. Rational games are enumerated exactly by pivoting, bounded by the work
#: limit ``POLICY_LIMIT_EXACT_BASES`` instead (:mod:`policy.vertex_enumeration`).
MAX_EXACT_SYSTEMS = 2_000_000

Number = Fraction | Algebraic | float


@dataclass(frozen=True)
class Equilibrium:
    """One (extreme) Nash equilibrium.

    Attributes
    ----------
    strategies : tuple per player of probabilities (Fraction when exact, else float)
    payoffs : expected payoff per player
    exact : whether the numbers are exact rationals
    verified : whether the best-response check passed (always True for reported ones)
    pareto_dominated : whether another reported equilibrium gives every player at least
        as much and someone strictly more
    """

    strategies: tuple[tuple[Number, ...], ...]
    payoffs: tuple[Number, ...]
    exact: bool
    verified: bool = True
    pareto_dominated: bool = False

    @property
    def supports(self) -> tuple[tuple[int, ...], ...]:
        """Indices of the strategies each player uses with positive probability."""
        return tuple(tuple(i for i, p in enumerate(s) if p > 0) for s in self.strategies)

    @property
    def is_pure(self) -> bool:
        return all(len(s) == 1 for s in self.supports)


@dataclass(frozen=True)
class Component:
    """A connected set of equilibria with more than one point (a continuum).

    ``equilibria`` are indices into :attr:`EquilibriumSet.equilibria`.

    Two players: ``convex_sets`` lists the maximal convex pieces: for each, the row
    player's extreme strategies and the column player's extreme strategies; every
    pair of mixtures of them is an equilibrium; ``equilibria`` are its extreme points.

    Three or more players: ``supports`` (each player's strategy indices) is a support
    profile whose equilibria form a continuum, ``equilibria`` are examples on it (not
    its extreme points), and ``convex_sets`` is empty.
    """

    equilibria: tuple[int, ...]
    convex_sets: tuple[tuple[tuple[tuple[Number, ...], ...], tuple[tuple[Number, ...], ...]], ...]
    supports: tuple[tuple[int, ...], ...] | None = None


@dataclass(frozen=True)
class EquilibriumSet:
    """All equilibria found for a game, with the diagnostics needed to trust them."""

    game: NumericGame
    equilibria: tuple[Equilibrium, ...]
    components: tuple[Component, ...]
    method: str
    complete: bool
    degenerate: bool | None
    degeneracy_reason: str
    exact: bool
    tolerance: float | None
    notes: tuple[str, ...] = ()
    seconds: float = field(default=0.0, compare=False)

    def __len__(self) -> int:
        return len(self.equilibria)

    def __iter__(self):
        return iter(self.equilibria)

    def pure(self) -> tuple[Equilibrium, ...]:
        return tuple(eq for eq in self.equilibria if eq.is_pure)

    def __repr__(self) -> str:
        flags = [f"method {self.method}",
                 "exact arithmetic" if self.exact else f"tolerance {self.tolerance:g}"]
        if self.degenerate:
            flags.append("degenerate")
        if not self.complete:
            flags.append("may be incomplete")
        return (f"EquilibriumSet({self.game.name!r}: {len(self.equilibria)} equilibria, "
                f"{len(self.components)} continua; {', '.join(flags)})")


# --------------------------------------------------------------------------------------
# exact helpers
# --------------------------------------------------------------------------------------

def _solve_exact(matrix: list[list[Fraction]], rhs: list[Fraction]) -> list[Fraction] | None:
    """Solve a square system exactly by Gaussian elimination; None when singular."""
    size = len(rhs)
    rows = [list(matrix[i]) + [rhs[i]] for i in range(size)]
    for col in range(size):
        pivot = next((r for r in range(col, size) if rows[r][col] != 0), None)
        if pivot is None:
            return None
        rows[col], rows[pivot] = rows[pivot], rows[col]
        pivot_row = rows[col]
        inverse = 1 / pivot_row[col]
        for r in range(size):
            if r != col and rows[r][col] != 0:
                factor = rows[r][col] * inverse
                row = rows[r]
                for c in range(col, size + 1):
                    row[c] -= factor * pivot_row[c]
    return [rows[i][size] / rows[i][i] for i in range(size)]


def _shifted_integers(array: np.ndarray) -> list[list[int]]:
    """``_shifted(array, True)`` times a positive constant, as integers (the same
    best responses, so the same normalised polytope vertices and labels)."""
    rows, scale = integer_rows(array)
    low = min(min(row) for row in rows)
    high = max(max(row) for row in rows)
    constant = (high - low) or scale
    return [[v - low + constant for v in row] for row in rows]


def _two_player_exact_payoffs(game: NumericGame, strategies) -> tuple[Fraction, Fraction]:
    """Expected payoffs of a rational mixed profile of an exact two-player game."""
    x, dx = common_denominator(strategies[0])
    y, dy = common_denominator(strategies[1])
    result = []
    for M, scale in integer_payoff_rows(game):
        total = sum(x[i] * sum(M[i][j] * y[j] for j in range(len(y))) for i in range(len(x)))
        result.append(Fraction(total, dx * dy * scale))
    return tuple(result)


def _payoffs_at(game: NumericGame, strategies: Sequence[Sequence[Number]], exact: bool) -> tuple:
    if exact and game.n_players == 2:
        return _two_player_exact_payoffs(game, strategies)
    arrays = game.exact_payoffs if exact else game.payoffs
    result = []
    for array in arrays:
        value = expected_payoffs(array, strategies)
        result.append(value if exact else float(value))
    return tuple((Fraction(v) if isinstance(v, int) else v) if exact else v for v in result)


def _mark_pareto(equilibria: list[Equilibrium], tolerance: float) -> list[Equilibrium]:
    marked = []
    for eq in equilibria:
        dominated = any(
            all(o >= s - tolerance for o, s in zip(other.payoffs, eq.payoffs))
            and any(o > s + tolerance for o, s in zip(other.payoffs, eq.payoffs))
            for other in equilibria if other is not eq)
        marked.append(Equilibrium(eq.strategies, eq.payoffs, eq.exact, eq.verified, dominated))
    return marked


def _sort_key(eq: Equilibrium):
    # Deterministic order: by each player's probabilities, highest weight on earlier
    # strategies first (so pure profiles appear in file order).
    return tuple(tuple(-float(p) for p in s) for s in eq.strategies) + \
        tuple(tuple(-p if eq.exact else 0 for p in s) for s in eq.strategies)


# --------------------------------------------------------------------------------------
# vertex enumeration of the best-response polytopes
# --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Vertex:
    point: tuple[Number, ...]     # unnormalised vertex of the polytope (or, in exact
                                  # arithmetic, a positive integer multiple of it)
    labels: frozenset[int]        # tight constraints (labels 0..m+n-1)


#: Up to this many linear systems per polytope every system is checked exactly (in
#: integers), without the floating-point prefilter: cheaper for small games.
EXHAUSTIVE_SYSTEMS = 300


def _polytope_vertices(payoff_float: np.ndarray | None, payoff_exact: list[list[int]] | None,
                       own_labels: int, offset_own: int, offset_other: int) -> list[_Vertex]:
    """Vertices of ``{z >= 0 : Mᵀ z <= 1}`` where ``M`` (k × l) is positive.

    ``payoff_exact``, when given, is ``M`` times a positive constant as integer rows
    (the vertices are then found exactly, scaled by the inverse of that constant,
    which changes neither their labels nor the normalised strategies);
    ``payoff_float`` is ``M`` in floating point (may be None when ``payoff_exact`` is
    given and the game is small enough to check every system exactly).

    ``z`` has k entries with labels ``offset_own + i`` when ``z_i = 0`` and the l
    constraints have labels ``offset_other + j`` when tight. Returns non-zero vertices.
    """
    exact = payoff_exact is not None
    if exact:
        k, l = len(payoff_exact), len(payoff_exact[0])
    else:
        k, l = payoff_float.shape
    found: dict[tuple, _Vertex] = {}
    exhaustive = exact and math.comb(k + l, k) - 1 <= EXHAUSTIVE_SYSTEMS
    if not exhaustive:
        scale = float(np.max(np.abs(payoff_float)))
    for size in range(1, min(k, l) + 1):
        support_list = list(itertools.combinations(range(k), size))
        tight_list = list(itertools.combinations(range(l), size))
        if exhaustive:
            for cols_used in tight_list:
                for rows_used in support_list:
                    _exact_vertex(payoff_exact, rows_used, cols_used, k, l,
                                  offset_own, offset_other, found)
            continue
        supports = np.array(support_list, dtype=np.intp)
        tights = np.array(tight_list, dtype=np.intp)
        # systems[t, s] : M[supports[s]][:, tights[t]]ᵀ  (size × size)
        block = payoff_float[supports[None, :, :, None], tights[:, None, None, :]]  # t,s,i,j
        systems = np.swapaxes(block, -1, -2).reshape(-1, size, size)
        pairs = [(t, s) for t in range(len(tights)) for s in range(len(supports))]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            condition = np.linalg.cond(systems)
        condition = np.where(np.isfinite(condition), condition, np.inf)
        solvable = condition < 1e12
        candidates = set(np.flatnonzero(~solvable).tolist())
        if solvable.any():
            index = np.flatnonzero(solvable)
            solutions = np.linalg.solve(systems[index], np.ones((len(index), size, 1)))[..., 0]
            # Forward-error bound (cond × eps) with a wide safety margin decides which
            # float solutions are close enough to feasible to be rechecked exactly.
            slack = np.maximum(1e-9, condition[index] * 1e-12)
            full = np.zeros((len(index), k))
            rows = supports[[pairs[i][1] for i in index]]
            np.put_along_axis(full, rows, solutions, axis=1)
            products = full @ payoff_float / scale * scale
            feasible = (solutions.min(axis=1) >= -slack) & \
                (products.max(axis=1) <= 1 + slack * max(1.0, scale))
            candidates.update(index[feasible].tolist())
        for flat in sorted(candidates):
            t, s = pairs[flat]
            rows_used, cols_used = supports[s], tights[t]
            if exact:
                _exact_vertex(payoff_exact, rows_used.tolist(), cols_used.tolist(), k, l,
                              offset_own, offset_other, found)
                continue
            if not solvable[flat]:
                continue
            matrix = payoff_float[np.ix_(rows_used, cols_used)].T
            solution = np.linalg.solve(matrix, np.ones(size))
            tol = FLOAT_TOLERANCE
            if solution.min() < -tol:
                continue
            point = [0.0] * k
            for i, v in zip(rows_used, solution):
                point[i] = float(max(v, 0.0))
            products = np.array(point) @ payoff_float
            if products.max() > 1 + tol:
                continue
            labels = {offset_own + i for i in range(k) if point[i] <= tol}
            labels |= {offset_other + j for j in range(l) if abs(products[j] - 1) <= tol}
            key = tuple(round(v, 9) for v in point)
            if key not in found:
                found[key] = _Vertex(tuple(point), frozenset(labels))
    return list(found.values())


def _exact_vertex(M: list[list[int]], rows_used: Sequence[int], cols_used: Sequence[int],
                  k: int, l: int, offset_own: int, offset_other: int,
                  found: dict[tuple, _Vertex]) -> None:
    """Add to ``found`` the vertex where ``z`` is supported on ``rows_used`` and the
    constraints ``cols_used`` are tight, if that system is regular and the point is
    feasible — all in exact integer arithmetic (``z = numerators / det``)."""
    solved = solve_integer([[M[i][j] for i in rows_used] for j in cols_used])
    if solved is None:
        return
    numerators, det = solved
    if min(numerators) < 0:
        return
    point = [0] * k
    for i, v in zip(rows_used, numerators):
        point[i] = v
    products = [0] * l
    for j in range(l):
        total = 0
        for i in rows_used:
            v = point[i]
            if v:
                total += v * M[i][j]
        if total > det:
            return
        products[j] = total
    divisor = math.gcd(det, *numerators)
    key = (det // divisor,) + tuple(v // divisor for v in point)
    if key in found:
        return
    labels = {offset_own + i for i in range(k) if point[i] == 0}
    labels |= {offset_other + j for j in range(l) if products[j] == det}
    found[key] = _Vertex(tuple(point), frozenset(labels))  # the vertex times det (> 0)


def _normalise(point: Sequence[Number], exact: bool) -> tuple[Number, ...]:
    total = sum(point)
    if exact and isinstance(total, int):  # integer multiple of a vertex (exact engine)
        return tuple(Fraction(v, total) for v in point)
    return tuple((Fraction(v) / total) if exact else float(v) / float(total) for v in point)


def _shifted(array: np.ndarray, exact: bool) -> np.ndarray:
    """``array`` mapped affinely onto [1, 2]: positive, as the polytopes need, and
    well scaled for the float prefilter whether payoffs are 1e-9 or 1e9 (a positive
    affine map changes no best response)."""
    values = array.reshape(-1)
    low, high = min(values), max(values)
    spread = (high - low) or 1
    one = Fraction(1) if exact else 1.0
    return (array - low) / (spread if exact else float(spread)) + one


def _describe_degeneracy(game: NumericGame, side: int, vertex: _Vertex, m: int, exact: bool) -> str:
    names = game.strategies
    point = _normalise(vertex.point, exact)
    support = [names[side][i] for i, p in enumerate(point) if p > 0]
    other = 1 - side
    if side == 0:
        best = sorted(j - m for j in vertex.labels if j >= m)
    else:
        best = sorted(i for i in vertex.labels if i < m)
    best_names = [names[other][j] for j in best]
    mixed = ", ".join(f"{names[side][i]}={_fmt(p)}" for i, p in enumerate(point) if p > 0)
    uses = f"{len(support)} strateg{'y' if len(support) == 1 else 'ies'}"
    return (f"against {game.players[side]}'s strategy ({mixed}), which uses {uses}, "
            f"{game.players[other]} has {len(best_names)} pure best responses "
            f"({', '.join(best_names)})")


def _fmt(value: Number) -> str:
    return str(value) if isinstance(value, Fraction) else f"{value:.6g}"


def _maximal_bicliques(edges: set[tuple[int, int]]) -> list[tuple[frozenset[int], frozenset[int]]]:
    """Maximal bicliques of a bipartite graph (closure of neighbourhood intersections)."""
    left_neighbours: dict[int, frozenset[int]] = {}
    for u, v in edges:
        left_neighbours[u] = left_neighbours.get(u, frozenset()) | {v}
    closed: set[frozenset[int]] = set(left_neighbours.values())
    frontier = set(closed)
    while frontier:
        new = set()
        for a in frontier:
            for b in closed:
                c = a & b
                if c and c not in closed:
                    new.add(c)
        closed |= new
        frontier = new
    result = []
    for right in closed:
        left = frozenset(u for u, nbrs in left_neighbours.items() if right <= nbrs)
        result.append((left, right))
    return result


def _two_player_exact(game: NumericGame, every_system: bool = False
                      ) -> tuple[list[Equilibrium], list[Component], bool | None, str, bool,
                                 list[str]]:
    """Every extreme equilibrium of a two-player game, its components, whether the
    game is degenerate (and why), whether the list is complete, and notes.

    Rational games are solved by pivoting (:func:`_pivoting_pairs`) unless
    ``every_system`` asks for the former engine (the tests' oracle)."""
    if game.is_exact and not every_system:
        p_vertices, q_vertices, edges, degenerate, reason, complete, notes = _pivoting_pairs(game)
    else:
        p_vertices, q_vertices, edges, degenerate, reason = _every_system_pairs(game,
                                                                                game.is_exact)
        complete, notes = True, []
    exact = game.is_exact
    by_pair: dict[tuple[int, int], Equilibrium] = {}
    for a, b in edges:
        strategies = (_normalise(p_vertices[a].point, exact), _normalise(q_vertices[b].point, exact))
        by_pair[(a, b)] = Equilibrium(strategies, _payoffs_at(game, strategies, exact), exact)
    equilibria = sorted(by_pair.values(), key=_sort_key)
    index_of = {id(eq): i for i, eq in enumerate(equilibria)}
    pair_index = {pair: index_of[id(eq)] for pair, eq in by_pair.items()}
    components = _components(edges, pair_index, p_vertices, q_vertices, exact)
    return equilibria, components, degenerate, reason, complete, notes


def _pivoting_pairs(game: NumericGame):
    """Exact engine: the vertices of the smaller-dimensional polytope by lexicographic
    pivoting, and for each the vertices of the other polytope on its complementary
    face (the strategies of the other player that are best responses to it and that
    it answers with best responses); every equilibrium vertex pair is found that way.

    Returns both polytopes' equilibrium vertices (in the order the former
    enumeration of every basis met them, so that ties among sorted results fall the
    same way), the completely labelled pairs, the degeneracy flag and reason,
    whether the enumeration finished within ``POLICY_LIMIT_EXACT_BASES``, and notes.
    """
    m, n = game.shape
    A_int, B_int = (_shifted_integers(a) for a in game.exact_payoffs)
    # Each polytope as (rows of M, label offset of its own coordinates, of its constraints):
    # P = {x >= 0 : Bᵀx <= 1} (x_i = 0 is label i, (Bᵀx)_j = 1 is label m+j);
    # Q = {y >= 0 : Ay <= 1} (y_j = 0 is label m+j, (Ay)_i = 1 is label i).
    sides = ((B_int, 0, m), ([list(column) for column in zip(*A_int)], m, 0))
    main = 0 if m <= n else 1
    other = 1 - main
    budget = limit("exact_bases")
    main_vertices: list = []   # those in an equilibrium
    other_vertices: list = []
    other_index: dict[frozenset[int], int] = {}
    pairs: set[tuple[int, int]] = set()
    faces: dict[tuple, object] = {}  # degenerate faces, enumerated once
    first_degenerate = _FirstDegenerate(sides[main][0])
    progress = {"reached": 0, "answered": 0, "stopped": False}

    def answer(vertex, remaining: int) -> int:
        progress["reached"] += 1
        first_degenerate.offer(vertex)
        key = (tuple(sorted(vertex.tight)), frozenset(vertex.support))
        face = faces.get(key)
        spent = 0
        if face is None:
            face = face_vertices(sides[other][0], key[0], key[1], max(remaining, 0))
            spent = face.bases
            if spent:
                faces[key] = face
        if face.vertices:
            a = len(main_vertices)
            main_vertices.append(vertex)
            for w in face.vertices:
                labels = _global_labels(w, *sides[other][1:])
                b = other_index.setdefault(labels, len(other_vertices))
                if b == len(other_vertices):
                    other_vertices.append(w)
                pairs.add((a, b))
        if face.complete:
            progress["answered"] += 1
        else:
            progress["stopped"] = True
        return spent

    def report(bases: int, vertices: int) -> None:
        report_work(bases=bases, vertices=vertices, equilibria=len(pairs))

    search = search_vertices(sides[main][0], budget, answer, partner=sides[other][0],
                             progress=report if is_work_watched() else None)
    # the vertices skipped answer nothing: each was reached, and its (empty) answer found
    progress["reached"] += search.skipped
    progress["answered"] += search.skipped
    work = search.bases
    complete = search.complete and not progress["stopped"]
    notes = []
    if not complete:
        notes.append(
            f"the exact enumeration stopped at its work limit after {work:,} bases "
            f"(POLICY_LIMIT_EXACT_BASES is {budget:,}): {progress['reached']:,} vertices of "
            f"{game.players[main]}'s best-response polytope were reached, the answers to "
            f"{progress['answered']:,} of them found and {len(pairs):,} extreme "
            f"equilibri{'um' if len(pairs) == 1 else 'a'} found so far, so other equilibria "
            f"may exist; {exceeded('exact_bases')}")
    degenerate, reason = _pivoting_degeneracy(game, sides, main, first_degenerate.found,
                                              complete)
    # both sides' vertices in the former engine's order
    order = {main: _by_first_basis(main_vertices, sides[main][0]),
             other: _by_first_basis(other_vertices, sides[other][0])}
    lists = {side: [_as_labelled(vertices[i], *sides[side][1:]) for i in order[side]]
             for side, vertices in ((main, main_vertices), (other, other_vertices))}
    position = {side: {old: new for new, old in enumerate(order[side])} for side in (0, 1)}
    edges = set()
    for a, b in pairs:
        ends = {main: position[main][a], other: position[other][b]}
        edges.add((ends[0], ends[1]))
    return lists[0], lists[1], edges, degenerate, reason, complete, notes


class _FirstDegenerate:
    """Keeps, of the vertices offered, the degenerate one the former engine met first."""

    def __init__(self, M):
        self.M = M
        self.found = None
        self.key = None

    def offer(self, vertex) -> None:
        if vertex.is_degenerate:
            key = _first_basis(vertex, self.M)
            if self.key is None or key < self.key:
                self.found, self.key = vertex, key


def _global_labels(vertex, own: int, constraints: int) -> frozenset[int]:
    return frozenset({own + i for i in vertex.zeros} | {constraints + j for j in vertex.tight})


def _as_labelled(vertex, own: int, constraints: int) -> _Vertex:
    return _Vertex(vertex.point, _global_labels(vertex, own, constraints))


def _first_basis(vertex, M) -> tuple:
    """Where the enumeration of every basis first met ``vertex``: its support size, the
    lexicographically first regular square system among its tight constraints (the
    greedy choice is the first, as for any matroid), then its support."""
    support = vertex.support
    chosen: list[int] = []
    echelon: list[tuple[int, list[Fraction]]] = []  # (pivot position, reduced vector)
    for j in sorted(vertex.tight):
        if len(chosen) == len(support):
            break
        vector = [Fraction(M[i][j]) for i in support]
        for lead, row in echelon:
            if vector[lead]:
                factor = vector[lead] / row[lead]
                vector = [v - factor * r for v, r in zip(vector, row)]
        lead = next((i for i, v in enumerate(vector) if v), None)
        if lead is not None:
            echelon.append((lead, vector))
            chosen.append(j)
    return (len(support), tuple(chosen), support)


def _by_first_basis(vertices, M) -> list[int]:
    keys = [(len(v.support), tuple(sorted(v.tight)), v.support) if not v.is_degenerate
            else _first_basis(v, M) for v in vertices]
    return sorted(range(len(vertices)), key=keys.__getitem__)


def _pivoting_degeneracy(game: NumericGame, sides, main: int, main_first,
                         main_complete: bool) -> tuple[bool | None, str]:
    """Whether the game is degenerate, and why: the first degenerate vertex of P, else
    of Q (in the former engine's order). ``main_first`` is that vertex of the polytope
    enumerated for the equilibria (or None); the other polytope is enumerated here,
    within ``POLICY_LIMIT_DEGENERACY_BASES``, unless the answer is already known."""
    m = game.shape[0]

    def describe(vertex, side):
        if vertex is None:
            return ""
        return _describe_degeneracy(game, side, _as_labelled(vertex, *sides[side][1:]), m, True)

    found = {main: describe(main_first, main)}
    if main == 1 or not found[main]:
        first = _FirstDegenerate(sides[1 - main][0])
        search = search_vertices(sides[1 - main][0], limit("degeneracy_bases"),
                                 lambda vertex, remaining: first.offer(vertex) or 0)
        if search.complete:
            found[1 - main] = describe(first.found, 1 - main)
    for side in (0, 1):
        if side not in found:
            if found.get(1 - side):
                return True, found[1 - side]
            player = game.players[side]
            return None, (f"not checked: {player}'s best-response polytope has more than "
                          f"{limit('degeneracy_bases'):,} bases ({exceeded('degeneracy_bases')})")
        if found[side]:
            return True, found[side]
    if not main_complete:
        return None, "not checked: the enumeration stopped at its work limit"
    return False, ""


def _every_system_pairs(game: NumericGame, exact: bool):
    """The former engine: the vertices of both polytopes by solving every square
    system (``C(m+n, m)`` of them), the completely labelled pairs and the degeneracy
    reason. Used for games whose payoffs are not all rational (labels decided within
    the float tolerance) and, with ``exact``, as the tests' oracle for the pivoting
    engine."""
    m, n = game.shape
    if exact:
        A_int, B_int = (_shifted_integers(a) for a in game.exact_payoffs)
        A_int_t = [list(column) for column in zip(*A_int)]
        if math.comb(m + n, m) - 1 <= EXHAUSTIVE_SYSTEMS:  # no float prefilter needed
            A_float = B_float = None
        else:
            A_float, B_float = (np.array(_shifted(a, True).tolist(), dtype=float)
                                for a in game.exact_payoffs)
    else:
        A_int = B_int = A_int_t = None
        A_float, B_float = (_shifted(a, False) for a in game.payoffs)
    # P: x in R^m, x_i >= 0 (label i), (Bᵀx)_j <= 1 (label m+j)
    p_vertices = _polytope_vertices(B_float, B_int, m, 0, m)
    # Q: y in R^n, y_j >= 0 (label m+j), (Ay)_i <= 1 (label i)
    q_vertices = _polytope_vertices(None if A_float is None else A_float.T, A_int_t, n, m, 0)
    reason = ""
    for side, vertices, dimension in ((0, p_vertices, m), (1, q_vertices, n)):
        for vertex in vertices:
            if len(vertex.labels) > dimension:
                reason = _describe_degeneracy(game, side, vertex, m, exact)
                break
        if reason:
            break
    everything = frozenset(range(m + n))
    edges = {(a, b) for a, pv in enumerate(p_vertices) for b, qv in enumerate(q_vertices)
             if pv.labels | qv.labels == everything}
    return p_vertices, q_vertices, edges, bool(reason), reason


def _components(edges, pair_index, p_vertices, q_vertices, exact) -> list[Component]:
    # connected components of the bipartite graph, by union-find over vertices
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def find(node):
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for a, b in edges:
        parent[find(("p", a))] = find(("q", b))
    groups: dict[tuple[str, int], set[tuple[int, int]]] = {}
    for a, b in edges:
        groups.setdefault(find(("p", a)), set()).add((a, b))
    components = []
    for group in groups.values():
        if len(group) < 2:
            continue
        cliques = sorted(_maximal_bicliques(group), key=lambda c: (sorted(c[0]), sorted(c[1])))
        convex_sets = tuple(
            (tuple(sorted((_normalise(p_vertices[a].point, exact) for a in left), key=_vec_key)),
             tuple(sorted((_normalise(q_vertices[b].point, exact) for b in right), key=_vec_key)))
            for left, right in cliques)
        components.append(Component(tuple(sorted(pair_index[e] for e in group)),
                                    tuple(sorted(convex_sets, key=lambda c: (_vec_key(c[0][0]),
                                                                              _vec_key(c[1][0]))))))
    return sorted(components, key=lambda c: c.equilibria)


def _vec_key(vector):
    return tuple(-float(v) for v in vector)


# --------------------------------------------------------------------------------------
# pure equilibria (any number of players)
# --------------------------------------------------------------------------------------

def _pure_equilibria(game: NumericGame) -> tuple[list[Equilibrium], bool, str]:
    exact = game.is_exact
    arrays = game.exact_payoffs if exact else game.payoffs
    shape = game.shape
    is_equilibrium = np.ones(shape, dtype=bool)
    tie_reason = ""
    for player, array in enumerate(arrays):
        is_best = best_response_mask(array, player, exact)
        is_equilibrium &= is_best
        if not tie_reason:
            counts = np.sum(is_best, axis=player)
            if np.any(counts > 1):
                where = np.unravel_index(int(np.argmax(counts > 1)), counts.shape)
                others = [i for i in range(len(shape)) if i != player]
                against = ", ".join(f"{game.players[o]}={game.strategies[o][where[k]]}"
                                    for k, o in enumerate(others))
                tied = [game.strategies[player][s] for s in range(shape[player])
                        if is_best[tuple(list(where[:player]) + [s] + list(where[player:]))]]
                tie_reason = (f"against {against}, {game.players[player]} has {len(tied)} pure "
                              f"best responses ({', '.join(tied)})")
    equilibria = []
    for profile in zip(*np.nonzero(is_equilibrium)):
        strategies = tuple(
            tuple((Fraction(1) if exact else 1.0) if s == chosen else (Fraction(0) if exact else 0.0)
                  for s in range(shape[p])) for p, chosen in enumerate(profile))
        payoffs = tuple(Fraction(a[profile]) if exact else float(a[profile]) for a in arrays)
        equilibria.append(Equilibrium(strategies, payoffs, exact))
    return sorted(equilibria, key=_sort_key), bool(tie_reason), tie_reason


# --------------------------------------------------------------------------------------
# nashpy methods, polished and verified
# --------------------------------------------------------------------------------------

#: Seconds one Lemke–Howson path may take: nashpy's pivoting can cycle forever on
#: degenerate games, so each path is stopped after this long (main thread only).
LEMKE_HOWSON_SECONDS = 5.0


class _PathTimeout(Exception):
    pass


def _nashpy_candidates(game: NumericGame, method: str,
                       notes: list[str]) -> list[tuple[np.ndarray, np.ndarray]]:
    import nashpy

    A, B = game.payoffs
    nash_game = nashpy.Game(A, B)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # degeneracy is reported by us, with its reason
        if method == "support":
            found = list(nash_game.support_enumeration(non_degenerate=False))
        elif method == "vertex":
            found = list(nash_game.vertex_enumeration())
        else:
            found, stopped = [], []
            for label in range(sum(game.shape)):
                try:
                    found.append(run_with_time_limit(
                        lambda: nash_game.lemke_howson(initial_dropped_label=label),
                        LEMKE_HOWSON_SECONDS, _PathTimeout))
                except _PathTimeout:
                    stopped.append(label)
                except Exception:  # nashpy raises on some degenerate games  # noqa: BLE001
                    continue
            if stopped:
                notes.append(f"Lemke–Howson paths from {len(stopped)} of {sum(game.shape)} labels "
                             f"did not finish within {LEMKE_HOWSON_SECONDS:g} s (cycling on a "
                             "degenerate game) and were stopped")
    return [(np.asarray(x, dtype=float), np.asarray(y, dtype=float)) for x, y in found
            if np.all(np.isfinite(x)) and np.all(np.isfinite(y))]


def _polish(game: NumericGame, x: np.ndarray, y: np.ndarray) -> tuple[tuple, bool] | None:
    """Turn a float candidate into an exact equilibrium, or a verified float one."""
    if game.is_exact:
        A, B = game.exact_payoffs
        tol = 1e-7
        rows = [i for i in range(len(x)) if x[i] > tol]
        cols = [j for j in range(len(y)) if y[j] > tol]
        exact = _exact_on_supports(A, B, rows, cols)
        if exact is not None and is_best_response_profile(game, exact):
            return exact, True
        for bound in (10**3, 10**6, 10**9):
            guess = tuple(tuple(Fraction(float(v)).limit_denominator(bound) for v in vec)
                          for vec in (x, y))
            guess = tuple(tuple(v / sum(vec) for v in vec) for vec in guess)
            if is_best_response_profile(game, guess):
                return guess, True
    candidate = (tuple(float(v) for v in x), tuple(float(v) for v in y))
    if is_best_response_profile(game, candidate, exact=False):
        return candidate, False
    return None


def _exact_on_supports(A, B, rows, cols):
    """Solve the indifference equations on given supports exactly (square case only)."""
    if len(rows) != len(cols) or not rows:
        return None
    k = len(rows)
    # column mix y: A[rows, cols] y = v 1, sum y = 1 → unknowns y (k) and v
    matrix = [[A[i, j] for j in cols] + [Fraction(-1)] for i in rows] + [[Fraction(1)] * k + [Fraction(0)]]
    rhs = [Fraction(0)] * k + [Fraction(1)]
    y_sol = _solve_exact(matrix, rhs)
    matrix = [[B[i, j] for i in rows] + [Fraction(-1)] for j in cols] + [[Fraction(1)] * k + [Fraction(0)]]
    x_sol = _solve_exact(matrix, rhs)
    if y_sol is None or x_sol is None:
        return None
    x = [Fraction(0)] * A.shape[0]
    y = [Fraction(0)] * A.shape[1]
    for i, v in zip(rows, x_sol[:k]):
        x[i] = v
    for j, v in zip(cols, y_sol[:k]):
        y[j] = v
    return tuple(x), tuple(y)


# --------------------------------------------------------------------------------------
# entry point
# --------------------------------------------------------------------------------------

def _system_count(m: int, n: int) -> int:
    return math.comb(m + n, m) - 1


def find_equilibria(game: NumericGame, method: str = "auto") -> EquilibriumSet:
    """Find the Nash equilibria of ``game`` and verify each before returning it.

    Parameters
    ----------
    game : NumericGame
    method : {"auto", "exact", "support", "vertex", "lemke-howson", "pure"}
        ``auto`` is ``exact`` (complete and exact: vertex enumeration for two
        players, support enumeration for three or more, each within its limits),
        except for large two-player games in floating point (Lemke–Howson).

    Returns
    -------
    EquilibriumSet
        ``complete`` says whether every extreme equilibrium is guaranteed to be
        listed; ``degenerate`` and ``degeneracy_reason`` say whether (and why)
        the game is degenerate; ``notes`` explain anything else a reader should know.

    Examples
    --------
    A degenerate game with a continuum of equilibria (Nashpy issue #222):

    >>> game = NumericGame.from_arrays([[-3, 3], [-3, 5]], [[2, 7], [4, 2]])
    >>> result = find_equilibria(game)
    >>> [tuple(map(str, eq.strategies[0])) for eq in result.equilibria]
    [('2/7', '5/7'), ('0', '1')]
    >>> len(result.components), result.degenerate
    (1, True)
    """
    if method not in METHODS:
        raise ModelError(f"unknown method '{method}'; choose one of {', '.join(METHODS)}")
    started = time.perf_counter()
    notes: list[str] = []
    two = game.n_players == 2
    if method == "auto":
        if not two:
            method = "exact"
        elif not game.is_exact and _system_count(*game.shape) > MAX_EXACT_SYSTEMS:
            method = "lemke-howson"
            notes.append(f"the game is too large for complete enumeration in floating point "
                         f"({game.shape[0]}×{game.shape[1]}, payoffs not all rational); "
                         "Lemke–Howson from every label was used instead and may miss equilibria")
        else:
            method = "exact"
    if method not in ("pure", "exact") and not two:
        raise ModelError(f"method '{method}' needs a two-player game; {game.name} has "
                         f"{game.n_players} players (use 'exact' or 'pure')")
    components: list[Component] = []
    exact = game.is_exact
    if method == "exact" and two:
        equilibria, components, degenerate, reason, complete, exact_notes = _two_player_exact(game)
        notes.extend(exact_notes)
    elif method == "exact":
        equilibria, components, degenerate, reason, complete = _n_player_exact(game, notes)
    elif method == "pure":
        equilibria, degenerate, reason = _pure_equilibria(game)
        complete = False
        degenerate = degenerate if two else None
        notes.append("only pure equilibria were computed (method 'pure')")
        if not equilibria:
            notes.append("the game has no pure-strategy equilibrium")
    else:
        degenerate, reason = _degeneracy_only(game)
        equilibria = []
        rejected = 0
        for x, y in _nashpy_candidates(game, method, notes):
            polished = _polish(game, x, y)
            if polished is None:
                rejected += 1
                continue
            strategies, is_exact = polished
            equilibria.append(Equilibrium(strategies, _payoffs_at(game, strategies, is_exact),
                                          is_exact))
        exact = all(eq.exact for eq in equilibria) and game.is_exact
        equilibria = _dedupe(equilibria)
        complete = False
        notes.append(f"nashpy's {method} method does not guarantee every equilibrium"
                     + (" (and this game is degenerate)" if degenerate else "")
                     + "; use method 'exact' for a complete list")
        if rejected:
            notes.append(f"{rejected} candidate(s) returned by nashpy failed the best-response "
                         "check and were dropped")
    for eq in equilibria:
        if not is_best_response_profile(game, eq.strategies, exact=eq.exact):
            raise AssertionError(f"internal error: unverified equilibrium {eq}")  # pragma: no cover
    if not exact:
        notes.extend(_inexact_notes(game, equilibria))
    scale = max(payoff_scale(a) for a in game.payoffs)
    equilibria = _mark_pareto(list(equilibria), 0 if exact else FLOAT_TOLERANCE * scale)
    return EquilibriumSet(
        game=game, equilibria=tuple(equilibria), components=tuple(components), method=method,
        complete=complete, degenerate=degenerate, degeneracy_reason=reason,
        exact=exact, tolerance=None if exact else FLOAT_TOLERANCE, notes=tuple(notes),
        seconds=time.perf_counter() - started)


def _n_player_exact(game: NumericGame, notes: list[str]
                    ) -> tuple[list[Equilibrium], list[Component], bool, str, bool]:
    """Support enumeration (:mod:`policy.support_enumeration`) for three or more players.

    A game with irrational payoffs is solved as the rational game its float payoffs
    are exactly (every float is a rational number); its equilibria are then given as
    floats and checked within the tolerance.
    """
    rational = game if game.is_exact else NumericGame.from_arrays(
        *[np.vectorize(Fraction, otypes=[object])(a) for a in game.payoffs], name=game.name,
        players=game.players, strategies=game.strategies)
    found = enumerate_supports(rational)
    notes.extend(found.notes)
    by_profile = []
    for profile in found.profiles:
        strategies = profile if game.is_exact else tuple(tuple(float(p) for p in s)
                                                         for s in profile)
        by_profile.append(Equilibrium(strategies, _payoffs_at(game, strategies, game.is_exact),
                                      game.is_exact))
    if found.limited:
        by_profile.extend(_logit_fallback(game, by_profile, notes))
    order = sorted(range(len(by_profile)), key=lambda k: _sort_key(by_profile[k]))
    position = {old: new for new, old in enumerate(order)}
    components = [Component(tuple(sorted(position[k] for k in continuum.points)), (),
                            continuum.supports) for continuum in found.continua]
    degenerate, reason = found.degenerate, found.degeneracy_reason
    if not degenerate:  # ties among pure best responses make a game degenerate too
        _, degenerate, reason = _pure_equilibria(game)
    return [by_profile[k] for k in order], components, degenerate, reason, found.complete


def _logit_fallback(game: NumericGame, found: Sequence[Equilibrium],
                    notes: list[str]) -> list[Equilibrium]:
    """The end of the logit path (:mod:`policy.logit`), certified (:mod:`policy.certify`),
    when support enumeration stopped at a size limit: at least one equilibrium for
    games past exact enumeration, unless the certificate fails (then it says so)."""
    limit_point = logit_limit(game)
    certified = limit_point.equilibrium
    if certified is None:
        notes.append("the logit path (the fallback past the enumeration's limits) gave no "
                     f"certified equilibrium: {limit_point.reason}")
        return []
    close = [eq for eq in found if all(
        np.allclose([float(p) for p in s], t, atol=1e-9)
        for s, t in zip(eq.strategies, certified.probabilities))]
    if close:
        return []
    if certified.exact is not None:
        strategies = certified.exact
        notes.append("one equilibrium was found past the enumeration's limits by following the "
                     "logit path to its end (then checked exactly)")
        return [Equilibrium(strategies, _payoffs_at(game, strategies, True), True)]
    strategies = certified.probabilities
    notes.append("one equilibrium was found past the enumeration's limits by following the logit "
                 "path to its end; interval arithmetic proves an exact equilibrium lies within "
                 f"{certified.radius:.1g} of each probability shown (it is not exactly rational)")
    return [Equilibrium(strategies, _payoffs_at(game, strategies, False), False)]


def _inexact_notes(game: NumericGame, equilibria: Sequence[Equilibrium]) -> list[str]:
    """The flags a float result carries: what was not verified exactly, and near-ties."""
    unverified = sum(not eq.exact for eq in equilibria)
    why = ("payoffs are not all rational" if not game.is_exact
           else "nashpy's answer could not be recomputed exactly")
    notes = [f"{unverified} equilibri{'um was' if unverified == 1 else 'a were'} not verified "
             f"exactly ({why}): best responses were checked in floating point, with payoff "
             f"differences below {FLOAT_TOLERANCE:g} × the largest payoff counted as ties"]
    near = _near_tie(game)
    if near:
        notes.append(near)
    return notes


def _near_tie(game: NumericGame) -> str:
    """A sentence naming two strategies whose payoffs differ, but by less than the
    float tolerance (so they were treated as a tie), or "" when there are none."""
    for player, array in enumerate(game.payoffs):
        tolerance = FLOAT_TOLERANCE * payoff_scale(array)
        own = np.moveaxis(array, player, 0).reshape(array.shape[player], -1)
        for i, j in itertools.combinations(range(len(own)), 2):
            gap = np.abs(own[i] - own[j])
            if np.any((gap > 0) & (gap <= tolerance)):
                names = game.strategies[player]
                return (f"{game.players[player]}'s payoffs for {names[i]} and {names[j]} differ "
                        "by less than the tolerance somewhere and were treated as equal; exact "
                        "(rational) payoffs would separate them")
    return ""


def _degeneracy_only(game: NumericGame) -> tuple[bool | None, str]:
    if not game.is_exact and _system_count(*game.shape) > MAX_EXACT_SYSTEMS:
        return None, "not checked: the game is too large for vertex enumeration"
    _, _, degenerate, reason, _, _ = _two_player_exact(game)
    return degenerate, reason


def _dedupe(equilibria: Iterable[Equilibrium]) -> list[Equilibrium]:
    unique: dict[tuple, Equilibrium] = {}
    for eq in equilibria:
        key = tuple(tuple(round(float(p), 9) for p in s) for s in eq.strategies)
        if key not in unique or (eq.exact and not unique[key].exact):
            unique[key] = eq
    return sorted(unique.values(), key=_sort_key)

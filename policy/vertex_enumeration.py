"""Exact vertex enumeration of best-response polytopes: reverse search, lexicographic pivoting.

Stage 5 of the data flow (between :mod:`policy.numeric` and
:mod:`policy.equilibria`): pure functions on integer matrices, used by the exact
two-player engine of :func:`policy.equilibria.find_equilibria`.

Notation
--------
``M`` is a ``k × l`` matrix of *positive* integers, given as ``k`` rows. Its
polytope is ``{z ∈ Rᵏ : z >= 0, Mᵀz <= 1}``: bounded (``M > 0``) and with the
origin as a vertex. In slack form ``Mᵀz + s = 1``; the ``k + l`` variables are
``z_0 … z_{k-1}`` (indices ``0 … k-1``) and ``s_0 … s_{l-1}`` (indices
``k … k+l-1``). A vertex's *zeros* are the ``i`` with ``z_i = 0``; its *tight*
constraints are the ``j`` with ``(Mᵀz)_j = 1``, i.e. ``s_j = 0``.

Method
------
Reverse search (Avis & Fukuda, 1992) over the *lexico-feasible bases* of the
polytope. The right-hand side is perturbed symbolically to
``1 + (ε, ε², …, εˡ)``; the perturbed polytope is simple, its vertices are exactly
the lexico-feasible bases, and one lexicographic ratio test per non-basic column
gives each of its neighbours. Every vertex of the real polytope is the value of
at least one lexico-feasible basis, so visiting them all finds every vertex, on
degenerate polytopes too, and the work follows the number of (perturbed)
vertices rather than the ``C(k+l, k)`` candidate bases.

Each basis other than the origin's has one *parent*: the next basis of the
simplex method minimising ``sum(z)`` (whose only optimum is the origin) with
Bland's rule and the lexicographic ratio test, which never cycles. These parent
links form a tree rooted at the origin; the search walks it depth first, testing
for each neighbour whether this basis is its parent from the objective row and
one tableau row (no pivot). Reverse search rather than a graph search with a set
of visited bases: no memory per basis, one pivot per basis (going back restores
the parent's saved tableau; the tree is only as deep as the longest simplex
path), and its subtrees are independent, so it could be split across processes.

Arithmetic is fraction-free (Bareiss): the tableau holds ``det · A_B⁻¹[A | b]``
as integers with ``det`` the (positive) determinant of the basis, every
division is exact, and vertices come out as integer multiples of themselves.
The numbers are Python integers, or int64 in the compiled kernel
(:mod:`policy.integer_pivoting`, numba) that takes over long searches: it detects
exactly every number that would not fit, and the subtree below such a pivot is
searched with Python integers (handing back to the kernel each child whose
numbers fit again). Both visit the same bases in the same order.

Examples
--------
The polytope of a 2 × 2 identity matrix is the unit square:

>>> result = polytope_vertices([[1, 0], [0, 1]], max_bases=100)
>>> sorted(v.point for v in result.vertices), result.complete
([(0, 1), (1, 0), (1, 1)], True)
"""

from __future__ import annotations

import functools
import importlib.util
import itertools
import math
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

__all__ = ["Vertex", "VertexEnumeration", "Search", "ENGINES", "polytope_vertices",
           "search_vertices", "face_vertices", "solve_integer"]


@dataclass(frozen=True)
class Vertex:
    """A non-zero vertex ``z`` of ``{z >= 0 : Mᵀz <= 1}``.

    Attributes
    ----------
    point : a positive integer multiple of ``z`` (``z = point / scale``)
    scale : that positive integer
    zeros : the ``i`` with ``z_i = 0``
    tight : the ``j`` with ``(Mᵀz)_j = 1``
    """

    point: tuple[int, ...]
    scale: int
    zeros: frozenset[int]
    tight: frozenset[int]

    @functools.cached_property
    def support(self) -> tuple[int, ...]:
        """The ``i`` with ``z_i > 0``, in increasing order."""
        return tuple(i for i, v in enumerate(self.point) if v)

    @property
    def is_degenerate(self) -> bool:
        """More tight constraints than the vertex has positive entries."""
        return len(self.tight) > len(self.support)


@dataclass(frozen=True)
class VertexEnumeration:
    """The vertices found, the lexico-feasible bases visited, and whether that was all.

    ``complete`` is False when the search stopped at its bound on bases; the
    vertices listed are then real vertices, but others may exist.
    """

    vertices: tuple[Vertex, ...]
    bases: int
    complete: bool


def solve_integer(matrix: list[list[int]]) -> tuple[list[int], int] | None:
    """Solve ``matrix · z = 1`` for an integer square matrix without fractions
    (Bareiss elimination, then back substitution: every division is exact).

    Returns ``(numerators, det)`` with ``det > 0`` and ``z = numerators / det``, or
    None when the matrix is singular.

    Examples
    --------
    >>> solve_integer([[2, 0], [0, 3]])
    ([3, 2], 6)
    >>> solve_integer([[1, 1], [1, 1]]) is None
    True
    """
    size = len(matrix)
    rows = [list(row) + [1] for row in matrix]
    previous = 1
    for col in range(size):
        pivot = col
        while pivot < size and rows[pivot][col] == 0:
            pivot += 1
        if pivot == size:
            return None
        if pivot != col:
            rows[col], rows[pivot] = rows[pivot], rows[col]
        pivot_row = rows[col]
        a = pivot_row[col]
        for r in range(col + 1, size):
            row = rows[r]
            b = row[col]
            if b:
                rows[r] = [(a * v - b * w) // previous for v, w in zip(row, pivot_row)]
            elif a != previous:
                rows[r] = [a * v // previous for v in row]
        previous = a
    det = rows[size - 1][size - 1]  # ± the determinant; det · z is integral (Cramer)
    numerators = [0] * size
    for i in range(size - 1, -1, -1):
        row = rows[i]
        total = det * row[size]
        for j in range(i + 1, size):
            total -= row[j] * numerators[j]
        numerators[i] = total // row[i]
    if det < 0:
        return [-v for v in numerators], -det
    return numerators, det


class _Tableau:
    """The fraction-free dictionary of one basis: ``rows[r]`` holds, for the basic
    variable ``basis[r]``, the entries of the non-basic columns ``nonbasic[c]``
    and then the right-hand side, all times ``det``."""

    def __init__(self, M: Sequence[Sequence[int]]):
        k, l = len(M), len(M[0])
        self.k, self.l = k, l
        self.rows = [[M[i][j] for i in range(k)] + [1] for j in range(l)]
        self.basis = [k + j for j in range(l)]
        self.nonbasic = list(range(k))
        self.det = 1
        # det × the reduced costs of the objective sum(z), minimised at the origin only
        self.objective = [1] * k + [0]

    def inverse_entry(self, r: int, j: int) -> int:
        """``det · (A_B⁻¹)[r, j]``: the tableau column of the slack of constraint j."""
        slack = self.k + j
        if self.basis[r] == slack:
            return self.det
        if slack in self.basis:
            return 0
        return self.rows[r][self.nonbasic.index(slack)]

    def leaving_row(self, c: int) -> int | None:
        """The lexicographic ratio test for entering column ``c`` (None: unbounded)."""
        rows = self.rows
        best: list[int] = []
        best_rhs = best_col = 0
        for r, row in enumerate(rows):
            a = row[c]
            if a <= 0:
                continue
            rhs = row[-1]
            if not best:
                best, best_rhs, best_col = [r], rhs, a
                continue
            left, right = rhs * best_col, best_rhs * a
            if left < right:
                best, best_rhs, best_col = [r], rhs, a
            elif left == right:
                best.append(r)
        if not best:
            return None
        if len(best) == 1:
            return best[0]
        for j in range(self.l):  # ties: compare (A_B⁻¹)_r / a_r lexicographically
            values = [(self.inverse_entry(r, j), rows[r][c], r) for r in best]
            low = None
            kept = []
            for value, a, r in values:
                if low is None:
                    low, low_a, kept = value, a, [r]
                    continue
                left, right = value * low_a, low * a
                if left < right:
                    low, low_a, kept = value, a, [r]
                elif left == right:
                    kept.append(r)
            best = kept
            if len(best) == 1:
                return best[0]
        raise AssertionError("internal error: lexicographic ratio test tied")  # pragma: no cover

    def pivot(self, r: int, c: int) -> None:
        """Exchange ``basis[r]`` and ``nonbasic[c]`` (fraction-free; exact divisions).

        The rows are replaced, never changed in place, so a saved :meth:`state`
        stays valid."""
        rows, det = self.rows, self.det
        pivot_row = rows[r]
        p = pivot_row[c]
        new_rows = []
        for i, row in enumerate(rows):
            if i == r:
                new = list(pivot_row)
                new[c] = det
            else:
                a = row[c]
                if a == 0:
                    new = row if p == det else [v * p // det for v in row]
                else:
                    new = [(v * p - a * w) // det for v, w in zip(row, pivot_row)]
                    new[c] = -a
            new_rows.append(new)
        objective = self.objective
        a = objective[c]
        objective = [(v * p - a * w) // det for v, w in zip(objective, pivot_row)]
        objective[c] = -a
        self.objective = objective
        self.rows = new_rows
        self.det = p
        self.basis = list(self.basis)
        self.nonbasic = list(self.nonbasic)
        self.basis[r], self.nonbasic[c] = self.nonbasic[c], self.basis[r]

    def is_parent_of_neighbour(self, r: int, c: int) -> bool:
        """Whether the pivot ``(r, c)`` leads to a basis whose parent is this one: the
        basis where the simplex method minimising ``sum(z)`` with Bland's rule (the
        smallest improving variable enters) and the lexicographic ratio test goes next.
        Its reduced costs are read off this tableau's objective and row ``r``."""
        objective, row = self.objective, self.rows[r]
        back = objective[c]
        if back <= 0:  # the leaving variable would not improve the objective there
            return False
        leaving, p = self.basis[r], row[c]
        for j, variable in enumerate(self.nonbasic):
            if variable < leaving and j != c and p * objective[j] - back * row[j] < 0:
                return False  # a smaller improving variable would enter instead
        return True

    def state(self) -> tuple:
        return self.rows, self.basis, self.nonbasic, self.det, self.objective

    def restore(self, state: tuple) -> None:
        self.rows, self.basis, self.nonbasic, self.det, self.objective = state

    def vertex(self) -> tuple[int, Vertex | None, bool]:
        """The label mask (variables at zero), the vertex of the current basis (None at
        the origin), and whether a basic variable is zero (only then can other bases
        have the same vertex)."""
        k = self.k
        point = [0] * k
        zero_mask = 0
        for v in self.nonbasic:
            zero_mask |= 1 << v
        degenerate = False
        for r, v in enumerate(self.basis):
            value = self.rows[r][-1]
            if value == 0:
                zero_mask |= 1 << v
                degenerate = True
            elif v < k:
                point[v] = value
        if not any(point):
            return zero_mask, None, degenerate
        zeros = frozenset(i for i in range(k) if not point[i])
        tight = frozenset(j for j in range(self.l) if zero_mask >> (k + j) & 1)
        return zero_mask, Vertex(tuple(point), self.det, zeros, tight), degenerate


def polytope_vertices(M: Sequence[Sequence[int]], max_bases: int,
                      engine: str = "auto") -> VertexEnumeration:
    """Every non-zero vertex of ``{z >= 0 : Mᵀz <= 1}`` for a positive integer ``M``.

    Parameters
    ----------
    M : k rows of l positive integers
    max_bases : stop after visiting this many lexico-feasible bases (the origin's
        included); the result then has ``complete=False``
    engine : one of :data:`ENGINES` (all give the same result)

    Examples
    --------
    A degenerate vertex: in the triangle ``z1 + z2 <= 1``, the constraint ``z1 <= 1``
    (given twice) also passes through (1, 0), which is then tight three times:

    >>> result = polytope_vertices([[1, 1, 1], [1, 0, 0]], max_bases=100)
    >>> sorted((tuple(v / s for v in p.point), sorted(p.tight))
    ...        for p in result.vertices for s in [p.scale])
    [((0.0, 1.0), [0]), ((1.0, 0.0), [0, 1, 2])]
    >>> polytope_vertices([[1, 1, 1], [1, 0, 0]], max_bases=1).complete
    False
    """
    found: list[Vertex] = []

    def keep(vertex: Vertex, remaining: int) -> int:
        found.append(vertex)
        return 0

    search = search_vertices(M, max_bases, keep, engine=engine)
    return VertexEnumeration(tuple(found), search.bases, search.complete)


#: The engines of :func:`search_vertices`: ``compiled`` pivots in int64 (numba,
#: :mod:`policy.integer_pivoting`) and falls back to Python integers below any pivot
#: whose numbers would leave int64; ``python`` uses Python integers throughout;
#: ``auto`` starts with Python integers and hands the rest of the search to the
#: compiled kernel after :data:`COMPILED_AFTER` bases (small polytopes are done before
#: the kernel would have loaded).
ENGINES = ("auto", "compiled", "python")
COMPILED_AFTER = 2_000
#: Bases between two calls of ``progress`` (and between two chances for Ctrl-C).
PROGRESS_EVERY = 16_384


@dataclass(frozen=True)
class Search:
    """How a :func:`search_vertices` run went.

    Attributes
    ----------
    bases : the work done: lexico-feasible bases visited plus what ``visit`` spent
    complete : whether the search finished (False: it stopped at ``max_bases``)
    vertices : the non-zero vertices reached (passed to ``visit`` or skipped)
    skipped : those not passed to ``visit`` because they answer nothing in ``partner``
    engine : ``compiled`` or ``python``, the engine that ran
    """

    bases: int
    complete: bool
    vertices: int
    skipped: int
    engine: str


def search_vertices(M: Sequence[Sequence[int]], max_bases: int,
                    visit: Callable[[Vertex, int], int], *,
                    partner: Sequence[Sequence[int]] | None = None,
                    engine: str = "auto",
                    progress: Callable[[int, int], None] | None = None) -> Search:
    """Call ``visit(vertex, remaining)`` once for every non-zero vertex of
    ``{z >= 0 : Mᵀz <= 1}`` as the reverse search reaches it, without keeping them.

    ``visit`` returns the work it spent itself, counted with the bases against
    ``max_bases`` (``remaining`` is what is left of it).

    Parameters
    ----------
    partner : an ``l × k`` positive integer matrix ``N`` (the other player's polytope
        ``{w >= 0 : Nᵀw <= 1}``). A vertex with as many tight constraints as positive
        coordinates whose complementary face of that polytope is a single point
        outside it (the solution of ``N[T, S]ᵀ w_T = 1``, ``S`` its support and ``T``
        its tight constraints, is not in it) is counted in ``skipped`` instead of
        being visited: it belongs to no equilibrium.
    engine : one of :data:`ENGINES`; every engine visits the same vertices in the
        same order and returns the same counts.
    progress : called with (bases, vertices) every :data:`PROGRESS_EVERY` bases or so.

    Examples
    --------
    >>> supports = []
    >>> search = search_vertices([[1, 0], [0, 1]], 100,
    ...                          lambda v, left: supports.append(v.support) or 0)
    >>> search.bases, search.complete, sorted(supports)
    (4, True, [(0,), (0, 1), (1,)])
    """
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    run = _Search(M, max_bases, visit, partner, progress)
    handover = None
    if engine != "python" and _HAVE_NUMBA and _compiled_fits(M, partner):
        handover = 0 if engine == "compiled" else COMPILED_AFTER
    complete = run.subtree(_Tableau(M), handover)
    return Search(run.bases, complete, run.reached, run.skipped, run.engine)


_INT64_SAFE = 2 ** 62
#: numba is importable (checked without importing it: that takes a while)
_HAVE_NUMBA = importlib.util.find_spec("numba") is not None


def _compiled_fits(M, partner) -> bool:
    """Whether every input number fits int64 with room for a sign change."""
    return all(abs(v) < _INT64_SAFE for matrix in (M, partner or ()) for row in matrix for v in row)


class _Search:
    """One reverse search: its counters, the labels of degenerate vertices already
    visited, and the two engines that walk the tree."""

    def __init__(self, M, max_bases, visit, partner, progress):
        self.M, self.k, self.l = M, len(M), len(M[0])
        self.max_bases, self.visit, self.partner = max_bases, visit, partner
        self.progress = progress
        self.bases = 1  # the origin's basis
        self.reached = self.skipped = 0
        self.next_report = PROGRESS_EVERY
        self.repeated: set[int] = set()  # label masks of degenerate vertices (several bases each)
        self.engine = "python"
        self.scratch = None  # the kernel's partner matrix and work arrays, made once

    def arrive(self, tableau: _Tableau) -> None:
        """After a pivot: hand the new basis's vertex to ``visit`` (once per vertex)."""
        labels, vertex, degenerate = tableau.vertex()
        if vertex is None or (degenerate and labels in self.repeated):
            return
        self.reached += 1
        if degenerate:
            self.repeated.add(labels)
        elif self.partner is not None and _answers_nothing(self.partner, vertex):
            self.skipped += 1
            return
        self.bases += self.visit(vertex, self.max_bases - self.bases)

    def report(self) -> None:
        if self.progress is not None and self.bases >= self.next_report:
            self.next_report = self.bases + PROGRESS_EVERY
            self.progress(self.bases, self.reached)

    def subtree(self, tableau: _Tableau, handover: int | None = None,
                nested: bool = False) -> bool:
        """Search the subtree below ``tableau`` with Python integers; False if it
        stopped at ``max_bases``. From ``handover`` bases on, the rest of the search
        goes to the compiled kernel (:meth:`compiled`) as soon as its numbers fit;
        when ``nested`` (below a pivot too large for the kernel), each child whose
        numbers fit has its subtree searched by the kernel."""
        # The parents' tableaux and where each left off; the reverse-search tree is no
        # deeper than the longest simplex path to the origin, so all of them are kept.
        path: list[tuple[tuple, int]] = []
        next_column = 0
        k = self.k
        while True:
            moved = False
            while next_column < k:
                c = next_column
                next_column += 1
                if tableau.objective[c] <= 0:
                    continue  # moving away from the origin along c lowers sum(z): no child
                r = tableau.leaving_row(c)
                if r is None or not tableau.is_parent_of_neighbour(r, c):
                    continue
                if self.bases >= self.max_bases:
                    return False
                self.bases += 1
                path.append((tableau.state(), next_column))
                tableau.pivot(r, c)
                next_column = 0
                self.arrive(tableau)
                self.report()
                if nested and _fits_int64(tableau.state()):
                    if not self.compiled(tableau):
                        return False
                    saved, next_column = path.pop()
                    tableau.restore(saved)
                    continue
                moved = True
                break
            if handover is not None and self.bases >= handover:
                if _fits_int64(tableau.state(), *(saved for saved, _ in path)):
                    return self.compiled(tableau, path, next_column)
                handover = self.bases + PROGRESS_EVERY
            if moved:
                continue
            if not path:
                return True
            saved, next_column = path.pop()
            tableau.restore(saved)

    def compiled(self, tableau: _Tableau | None = None, path: Sequence[tuple[tuple, int]] = (),
                 next_column: int = 0) -> bool:
        """The same search with the int64 kernel, from the origin or from ``tableau``
        (its parents' saved states and next columns in ``path``); below a pivot that
        would leave int64 the subtree is searched by :meth:`subtree`. False if it
        stopped at ``max_bases``."""
        from . import integer_pivoting as kernel

        kernel.warm_up()
        self.engine = "compiled"
        k, l = self.k, self.l
        field = kernel.FIELDS
        state = np.zeros(len(kernel.FIELDS), np.int64)
        stacks = _kernel_stacks(max(16, 2 * len(path)), k, l)
        for depth, (saved, column) in enumerate(path):
            for array, value in zip(stacks, _kernel_node(saved, k, l) + (column,)):
                array[depth] = value
        T, basis, nonbasic, where, det = _kernel_node(
            tableau.state() if tableau is not None else _Tableau(self.M).state(), k, l)
        state[field["det"]] = det
        state[field["depth"]] = len(path)
        state[field["next_column"]] = next_column
        if self.scratch is None:
            self.scratch = (np.array(self.partner, dtype=np.int64) if self.partner is not None
                            else np.zeros((0, 0), np.int64),
                            np.zeros(l, np.int64), np.zeros((k + 1, k + 2), np.int64),
                            np.zeros(k + 1, np.int64))
        while True:
            state[field["bases"]] = self.bases
            state[field["max_bases"]] = self.max_bases
            state[field["pause"]] = self.next_report if self.progress is not None else \
                self.bases + PROGRESS_EVERY
            skipped_before = state[field["skipped"]]
            status = kernel.search(T, basis, nonbasic, where, state, *stacks, *self.scratch)
            skipped = int(state[field["skipped"]] - skipped_before)
            self.skipped += skipped
            self.reached += skipped
            self.bases = int(state[field["bases"]])
            if status == kernel.DONE:
                return True
            if status == kernel.LIMIT:
                return False
            if status == kernel.GROW:
                stacks = _kernel_stacks(2 * len(stacks[0]), k, l, stacks)
            elif status == kernel.VERTEX:
                self.arrive(_tableau_of(T, basis, nonbasic, state[field["det"]], k, l))
            elif status == kernel.OVERFLOW:
                tableau = _tableau_of(T, basis, nonbasic, state[field["det"]], k, l)
                self.bases += 1  # the kernel checked the limit before this pivot
                tableau.pivot(int(state[field["row"]]), int(state[field["column"]]))
                self.arrive(tableau)
                if not self.subtree(tableau, nested=True):
                    return False
            self.report()


def _fits_int64(*states: tuple) -> bool:
    """Whether every number of these tableau states fits the kernel's int64."""
    return all(abs(v) < _INT64_SAFE for rows, _, _, det, objective in states
               for v in itertools.chain(itertools.chain.from_iterable(rows), objective, (det,)))


def _kernel_node(state: tuple, k: int, l: int) -> tuple:
    """A saved :class:`_Tableau` state as the kernel's arrays: the tableau (objective
    last), basis, non-basic variables, where each variable is, and det."""
    rows, basis, nonbasic, det, objective = state
    T = np.array(list(rows) + [objective], dtype=np.int64)
    where = np.zeros(k + l, np.int64)
    for r, v in enumerate(basis):
        where[v] = r
    for c, v in enumerate(nonbasic):
        where[v] = -1 - c
    return T, np.array(basis, np.int64), np.array(nonbasic, np.int64), where, det


def _kernel_stacks(depth: int, k: int, l: int, old: tuple | None = None) -> tuple:
    """The kernel's stacks of parent tableaux for ``depth`` parents (the ``old`` ones
    copied in)."""
    stacks = (np.zeros((depth, l + 1, k + 1), np.int64), np.zeros((depth, l), np.int64),
              np.zeros((depth, k), np.int64), np.zeros((depth, k + l), np.int64),
              np.zeros(depth, np.int64), np.zeros(depth, np.int64))
    if old is not None:
        for new, saved in zip(stacks, old):
            new[:len(saved)] = saved
    return stacks


def _tableau_of(T, basis, nonbasic, det, k: int, l: int) -> _Tableau:
    """The Python-integer tableau equal to the kernel's current one."""
    tableau = _Tableau.__new__(_Tableau)
    tableau.k, tableau.l = k, l
    rows = T.tolist()
    tableau.rows = rows[:l]
    tableau.objective = rows[l]
    tableau.basis = basis.tolist()
    tableau.nonbasic = nonbasic.tolist()
    tableau.det = int(det)
    return tableau


def _answers_nothing(partner, vertex: Vertex) -> bool:
    """Whether the complementary face of a non-degenerate ``vertex`` in ``partner``'s
    polytope is one point outside that polytope (see :func:`search_vertices`)."""
    allowed = sorted(vertex.tight)
    solved = solve_integer([[partner[i][j] for i in allowed] for j in vertex.support])
    if solved is None:
        return False
    return _checked_vertex(partner, allowed, *solved, len(partner), len(partner[0])) is None


def face_vertices(M: Sequence[Sequence[int]], allowed: Sequence[int], tight: frozenset[int],
                  max_bases: int) -> VertexEnumeration:
    """The non-zero vertices of ``{z >= 0 : Mᵀz <= 1}`` with ``z_i = 0`` outside
    ``allowed`` and the constraints ``tight`` tight (a face of the polytope).

    When ``allowed`` and ``tight`` have the same size the face is found by one
    linear solve if that system is regular (no bases counted); otherwise the
    vertices of the smaller polytope on ``allowed`` are enumerated, within
    ``max_bases``, and those with ``tight`` tight kept.

    Examples
    --------
    >>> face = face_vertices([[2, 1], [1, 2]], [0, 1], frozenset({0, 1}), max_bases=100)
    >>> [(v.point, v.scale) for v in face.vertices]
    [((1, 1), 3)]
    """
    k, l = len(M), len(M[0])
    allowed = sorted(allowed)
    if not allowed:
        return VertexEnumeration((), 0, True)
    if len(allowed) == len(tight):
        columns = sorted(tight)
        solved = solve_integer([[M[i][j] for i in allowed] for j in columns])
        if solved is not None:
            numerators, det = solved
            vertex = _checked_vertex(M, allowed, numerators, det, k, l)
            return VertexEnumeration(() if vertex is None else (vertex,), 0, True)
    inner = polytope_vertices([M[i] for i in allowed], max_bases)
    vertices = []
    for v in inner.vertices:
        if tight <= v.tight:
            point = [0] * k
            for i, value in zip(allowed, v.point):
                point[i] = value
            vertices.append(Vertex(tuple(point), v.scale,
                                   frozenset(i for i in range(k) if not point[i]), v.tight))
    return VertexEnumeration(tuple(vertices), inner.bases, inner.complete)


def _checked_vertex(M, allowed, numerators, det, k, l) -> Vertex | None:
    """The vertex ``numerators / det`` on ``allowed`` if it lies in the polytope."""
    if min(numerators) < 0:
        return None
    point = [0] * k
    for i, v in zip(allowed, numerators):
        point[i] = v
    if not any(point):
        return None  # pragma: no cover  (z = 0 solves no system M z = 1)
    tight = set()
    for j in range(l):
        total = sum(point[i] * M[i][j] for i in allowed if point[i])
        if total > det:
            return None
        if total == det:
            tight.add(j)
    divisor = math.gcd(det, *point)
    return Vertex(tuple(v // divisor for v in point), det // divisor,
                  frozenset(i for i in range(k) if not point[i]), frozenset(tight))

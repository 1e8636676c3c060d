"""Compiled fraction-free pivoting in int64 for :mod:`policy.vertex_enumeration` (numba).

Stage 5 of the data flow, used only by :func:`policy.vertex_enumeration.search_vertices`
(its ``compiled`` engine): the same reverse search, the same lexicographic ratio
test and the same parent test as the Python-integer path, on a tableau of int64
numbers, with every number that could leave int64 detected exactly.

Notation
--------
As in :mod:`policy.vertex_enumeration`: ``M`` is ``k × l``, the tableau ``T`` has
one row per basic variable (``l`` rows) and a last row for the objective
``sum(z)``; its columns are the ``k`` non-basic variables and the right-hand side.
Every entry is ``det`` times its value, with ``det > 0`` the determinant of the
basis; a pivot replaces each entry ``v`` by ``(v·p - a·w) / det`` (an exact
division).

Exactness
---------
Each product is computed twice: in float64, which says how large it is, and in
wrapping int64 arithmetic, which gives it modulo ``2⁶⁴``. When the float estimate
of an entry's new value shows it lies well inside int64, the new value is
recovered exactly from its residue by multiplying with the inverse of ``det``
modulo ``2⁶⁴`` (an exact division, as for any fraction-free pivot); otherwise the
pivot is *not* done and the caller is told so (status :data:`OVERFLOW`): the
subtree below that pivot is searched with Python integers, then this search
resumes. Signs of ``a·b - c·d`` (ratio and parent tests) are decided from the float
values when they are far from a tie, else exactly in 128-bit arithmetic built from
two 64-bit halves. Nothing is ever rounded.

The kernel returns to Python at every vertex the caller must see, when its stack
of parent tableaux is full, every ``pause`` bases (so that Ctrl-C and a progress
indicator are served), at the work limit, and at the end.

Examples
--------
The residue trick: ``(v·p - a·w) / det`` is exact even when the products leave int64.

>>> if AVAILABLE:  # (10¹⁸ · 3³⁹ - 6 · 3³⁹) / 3³⁹, its first product near 2¹²¹
...     det = 3 ** 39
...     shift, inverse = divisor(det)
...     print(fused(10 ** 18, det, 6, det, det, float(det), shift, inverse))
... else:
...     print((10 ** 18 - 6, True))
(999999999999999994, True)
"""

from __future__ import annotations

import functools
import signal
import threading

import numpy as np

try:  # numba is a dependency, but the Python-integer path works without it
    import numba
except ImportError:  # pragma: no cover - exercised only without numba
    numba = None

__all__ = ["AVAILABLE", "DONE", "VERTEX", "OVERFLOW", "LIMIT", "GROW", "PAUSE", "FIELDS",
           "search", "divisor", "fused", "warm_up"]

#: Whether the compiled path can be used (numba is importable).
AVAILABLE = numba is not None

#: What :func:`search` stopped for.
DONE, VERTEX, OVERFLOW, LIMIT, GROW, PAUSE = range(6)

#: Positions in the ``state`` array shared with the caller.
FIELDS = {name: i for i, name in enumerate(
    ("det", "depth", "next_column", "bases", "skipped", "row", "column", "max_bases", "pause"))}
_DET, _DEPTH, _NEXT, _BASES, _SKIPPED, _ROW, _COLUMN, _MAX, _PAUSE = range(9)


def _jit(function):
    if numba is None:  # pragma: no cover
        return function
    return numba.njit(cache=True, nogil=True, error_model="numpy")(function)


_M32 = np.uint64(0xFFFFFFFF)
_S32 = np.uint64(32)
_ONE = np.uint64(1)
_ZERO = np.uint64(0)
#: Products below this (in absolute value) are exact in int64, and so is their difference.
_SMALL = 2.0 ** 61
#: Relative error allowed for a float product or a difference of two (generous).
_ROUNDING = 2.0 ** -48
_LOWEST = np.int64(-2 ** 63)


@_jit
def _unsigned_product(a, b):
    """``a·b`` for uint64 ``a, b`` as (high, low) 64-bit halves."""
    a0 = a & _M32
    a1 = a >> _S32
    b0 = b & _M32
    b1 = b >> _S32
    p00 = a0 * b0
    p01 = a0 * b1
    p10 = a1 * b0
    p11 = a1 * b1
    middle = (p00 >> _S32) + (p01 & _M32) + (p10 & _M32)
    low = (p00 & _M32) | (middle << _S32)
    high = p11 + (p01 >> _S32) + (p10 >> _S32) + (middle >> _S32)
    return high, low


@_jit
def _product(a, b):
    """``a·b`` for int64 ``a, b`` as a signed 128-bit number (two's complement halves)."""
    ua = np.uint64(a)
    ub = np.uint64(b)
    if a < 0:
        ua = ~ua + _ONE
    if b < 0:
        ub = ~ub + _ONE
    high, low = _unsigned_product(ua, ub)
    if (a < 0) != (b < 0):
        low = ~low + _ONE
        high = ~high + (_ONE if low == _ZERO else _ZERO)
    return high, low


@_jit
def _sign_of_difference(a, b, c, d):
    """The sign of ``a·b - c·d`` for int64 numbers, exactly."""
    x = float(a) * float(b)
    y = float(c) * float(d)
    difference = x - y
    bound = (abs(x) + abs(y)) * _ROUNDING
    if difference > bound:
        return 1
    if difference < -bound:
        return -1
    if abs(x) < _SMALL and abs(y) < _SMALL:
        exact = a * b - c * d
        return (exact > 0) - (exact < 0)
    h1, l1 = _product(a, b)
    h2, l2 = _product(c, d)
    s1 = np.int64(h1)
    s2 = np.int64(h2)
    if s1 != s2:
        return 1 if s1 > s2 else -1
    if l1 != l2:
        return 1 if l1 > l2 else -1
    return 0


@_jit
def divisor(d):
    """For ``d > 0``: its power of two ``shift`` and the inverse of its odd part modulo
    ``2⁶⁴`` (Newton's iteration: each step doubles the correct low bits)."""
    shift = 0
    while (d >> shift) & 1 == 0:
        shift += 1
    odd = np.uint64(d >> shift)
    inverse = odd  # correct to 3 bits: odd² = 1 (mod 8)
    for _ in range(5):
        inverse = inverse * (np.uint64(2) - odd * inverse)
    return shift, inverse


@_jit
def _quotient(residue, estimate, error, shift, inverse):
    """The integer ``q = x / d`` from ``x mod 2⁶⁴`` (``residue``), an estimate of ``q``
    within ``error``, and :func:`divisor` of ``d > 0``; ``ok`` is False when ``q``
    might not fit (then nothing is claimed)."""
    if abs(estimate) + error + 1.0 >= 2.0 ** (62 - shift):
        return np.int64(0), False
    u = np.uint64(residue) >> np.uint64(shift)
    scaled = np.int64((u * inverse) << np.uint64(shift))
    return scaled >> np.int64(shift), True


@_jit
def fused(v, p, a, w, det, fdet, shift, inverse):
    """``(v·p - a·w) / det`` for a positive ``det`` dividing it, and whether it fit."""
    x = float(v) * float(p)
    y = float(a) * float(w)
    if abs(x) < _SMALL and abs(y) < _SMALL:
        return (v * p - a * w) // det, True
    return _quotient(v * p - a * w, (x - y) / fdet, (abs(x) + abs(y)) / fdet * _ROUNDING,
                     shift, inverse)


@_jit
def _signed_fused(v, p, a, w, d):
    """``(v·p - a·w) / d`` for any non-zero ``d`` dividing it (Bareiss steps)."""
    if d < 0:
        if v == _LOWEST or a == _LOWEST or d == _LOWEST:  # its negation leaves int64
            return np.int64(0), False
        v = -v
        a = -a
        d = -d
    shift, inverse = divisor(d)
    return fused(v, p, a, w, d, float(d), shift, inverse)


@_jit
def _inverse_entry(T, r, slack, where, det):
    """``det · (A_B⁻¹)[r, j]`` for the slack of constraint j (its tableau column)."""
    at = where[slack]
    if at >= 0:
        return det if at == r else np.int64(0)
    return T[r, -at - 1]


@_jit
def _leaving_row(T, c, k, l, where, det, ties):
    """The lexicographic ratio test for entering column ``c``: the row, -1 when
    unbounded, -2 if it tied (impossible for a lexico-feasible basis)."""
    count = 0
    best_rhs = np.int64(0)
    best_a = np.int64(0)
    for r in range(l):
        a = T[r, c]
        if a <= 0:
            continue
        rhs = T[r, k]
        if count == 0:
            ties[0] = r
            count = 1
            best_rhs = rhs
            best_a = a
            continue
        sign = _sign_of_difference(rhs, best_a, best_rhs, a)
        if sign < 0:
            ties[0] = r
            count = 1
            best_rhs = rhs
            best_a = a
        elif sign == 0:
            ties[count] = r
            count += 1
    if count == 0:
        return -1
    if count == 1:
        return ties[0]
    for j in range(l):  # ties: compare (A_B⁻¹)_r / a_r lexicographically
        slack = k + j
        kept = 0
        low = np.int64(0)
        low_a = np.int64(0)
        for t in range(count):
            r = ties[t]
            value = _inverse_entry(T, r, slack, where, det)
            a = T[r, c]
            if t == 0:
                low = value
                low_a = a
                kept = 1
                continue
            sign = _sign_of_difference(value, low_a, low, a)
            if sign < 0:
                low = value
                low_a = a
                ties[0] = r
                kept = 1
            elif sign == 0:
                ties[kept] = r
                kept += 1
        count = kept
        if count == 1:
            return ties[0]
    return -2


@_jit
def _is_parent(T, r, c, k, l, basis, nonbasic):
    """Whether this basis is the parent of the one reached by pivoting on ``(r, c)``
    (the simplex method minimising ``sum(z)``, Bland's rule, lexicographic ratio test)."""
    back = T[l, c]
    if back <= 0:
        return False
    leaving = basis[r]
    p = T[r, c]
    for j in range(k):
        if nonbasic[j] < leaving and j != c and _sign_of_difference(p, T[l, j], back, T[r, j]) < 0:
            return False
    return True


@_jit
def _pivot(T, old, r, c, k, l, det, shift, inverse):
    """Write into ``T`` (equal to ``old`` on entry) the tableau after exchanging
    ``basis[r]`` and ``nonbasic[c]``; False (``T`` then half written) if a number
    would leave int64."""
    fdet = float(det)
    p = old[r, c]
    for i in range(l + 1):
        if i == r:
            T[i, c] = det
            continue
        a = old[i, c]
        if a == 0:
            if p == det:
                continue
            for col in range(k + 1):
                value, ok = fused(old[i, col], p, np.int64(0), np.int64(0), det, fdet, shift,
                                  inverse)
                if not ok:
                    return False
                T[i, col] = value
        else:
            for col in range(k + 1):
                value, ok = fused(old[i, col], p, a, old[r, col], det, fdet, shift, inverse)
                if not ok:
                    return False
                T[i, col] = value
            T[i, c] = -a
    return True


@_jit
def _kind_of_basis(T, basis, k, l):
    """0: the origin (no positive coordinate); 1: a vertex with no basic variable at
    zero (no other basis has it); 2: a vertex some other bases may share."""
    positive = False
    degenerate = False
    for r in range(l):
        value = T[r, k]
        if value == 0:
            degenerate = True
        elif basis[r] < k:
            positive = True
    if not positive:
        return 0
    return 2 if degenerate else 1


@_jit
def _answers_nothing(T, basis, nonbasic, k, l, partner, work, numerators):
    """Whether the vertex of this (non-degenerate) basis answers nothing in the
    partner's polytope: the square system of its complementary face has a unique
    solution outside that polytope. False when it may answer something, or when
    that cannot be decided in int64 (the caller decides with Python integers)."""
    size = 0
    for r in range(l):  # the face's equations: the vertex's support, in increasing order
        if basis[r] < k:
            size += 1
    rows = np.empty(size, np.int64)
    columns = np.empty(size, np.int64)
    n = 0
    for v in range(k):
        for r in range(l):
            if basis[r] == v:
                rows[n] = v
                n += 1
    n = 0
    for j in range(l):  # its unknowns: the tight constraints (non-basic slacks)
        for c in range(k):
            if nonbasic[c] == k + j:
                columns[n] = j
                n += 1
    if n != size:  # pragma: no cover - a non-degenerate basis has as many of each
        return False
    for e in range(size):
        for u in range(size):
            work[e, u] = partner[columns[u], rows[e]]
        work[e, size] = 1
    previous = np.int64(1)
    for col in range(size):  # Bareiss elimination: every division exact
        pivot = col
        while pivot < size and work[pivot, col] == 0:
            pivot += 1
        if pivot == size:
            return False  # singular: the face is enumerated by the caller
        if pivot != col:
            for u in range(size + 1):
                held = work[col, u]
                work[col, u] = work[pivot, u]
                work[pivot, u] = held
        a = work[col, col]
        for e in range(col + 1, size):
            b = work[e, col]
            if b != 0 or a != previous:
                for u in range(size + 1):
                    value, ok = _signed_fused(work[e, u], a, b, work[col, u], previous)
                    if not ok:
                        return False
                    work[e, u] = value
        previous = a
    det = work[size - 1, size - 1]
    for e in range(size - 1, -1, -1):  # back substitution, sums in float and modulo 2⁶⁴
        residue = det * work[e, size]
        estimate = float(det) * float(work[e, size])
        magnitude = abs(estimate)
        for u in range(e + 1, size):
            residue -= work[e, u] * numerators[u]
            term = float(work[e, u]) * float(numerators[u])
            estimate -= term
            magnitude += abs(term)
        d = work[e, e]
        if d < 0:
            residue = -residue
            estimate = -estimate
            d = -d
        shift, inverse = divisor(d)
        value, ok = _quotient(residue, estimate / float(d),
                              magnitude / float(d) * _ROUNDING * (size + 1), shift, inverse)
        if not ok:
            return False
        numerators[e] = value
    if det < 0:
        det = -det
        for u in range(size):
            numerators[u] = -numerators[u]
    for u in range(size):
        if numerators[u] < 0:
            return True  # not a point of the partner's polytope
    fdet = float(det)
    for j in range(k):  # the partner's constraints, each at most det
        estimate = 0.0
        magnitude = 0.0
        for u in range(size):
            term = float(numerators[u]) * float(partner[columns[u], j])
            estimate += term
            magnitude += abs(term)
        error = magnitude * _ROUNDING * (size + 1) + 1.0
        if estimate - error > fdet:
            return True
        if estimate + error < fdet:
            continue
        if magnitude >= _SMALL / (size + 1):
            return False  # too close to call in int64
        total = np.int64(0)
        for u in range(size):
            total += numerators[u] * partner[columns[u], j]
        if total > det:
            return True
    return False


@_jit
def search(T, basis, nonbasic, where, state, stack_T, stack_basis, stack_nonbasic,
           stack_where, stack_det, stack_next, partner, ties, work, numerators):
    """Continue the reverse search from ``state`` until it must report (see the
    status constants). ``T``, ``basis``, ``nonbasic``, ``where`` (a basic variable's
    row, or ``-1 - column`` for a non-basic one) and ``state`` are the current node;
    the ``stack_*`` arrays hold its ancestors. ``partner`` (empty when unused) is the
    other polytope's matrix whose faces prune vertices that answer nothing."""
    k = nonbasic.shape[0]
    l = basis.shape[0]
    det = state[_DET]
    depth = state[_DEPTH]
    next_column = state[_NEXT]
    bases = state[_BASES]
    shift, inverse = divisor(det)
    status = DONE
    while True:
        if bases >= state[_PAUSE]:
            status = PAUSE
            break
        child = False
        while next_column < k:
            c = next_column
            next_column += 1
            if T[l, c] <= 0:
                continue  # moving away from the origin along c lowers sum(z): no child
            r = _leaving_row(T, c, k, l, where, det, ties)
            if r == -2:  # pragma: no cover
                raise AssertionError("internal error: lexicographic ratio test tied")
            if r < 0 or not _is_parent(T, r, c, k, l, basis, nonbasic):
                continue
            if bases >= state[_MAX]:
                status = LIMIT
                break
            if depth == stack_T.shape[0]:
                next_column = c
                status = GROW
                break
            stack_T[depth] = T
            stack_basis[depth] = basis
            stack_nonbasic[depth] = nonbasic
            stack_where[depth] = where
            stack_det[depth] = det
            stack_next[depth] = next_column
            p = T[r, c]
            if not _pivot(T, stack_T[depth], r, c, k, l, det, shift, inverse):
                T[:, :] = stack_T[depth]
                state[_ROW] = r
                state[_COLUMN] = c
                status = OVERFLOW
                break
            depth += 1
            bases += 1
            leaving = basis[r]
            entering = nonbasic[c]
            basis[r] = entering
            nonbasic[c] = leaving
            where[entering] = r
            where[leaving] = -1 - c
            det = p
            shift, inverse = divisor(det)
            next_column = 0
            kind = _kind_of_basis(T, basis, k, l)
            if kind == 2 or (kind == 1 and partner.shape[0] == 0):
                status = VERTEX
            elif kind == 1:
                if _answers_nothing(T, basis, nonbasic, k, l, partner, work, numerators):
                    state[_SKIPPED] += 1
                else:
                    status = VERTEX
            child = True
            break
        if status != DONE:
            break
        if child:
            continue
        if depth == 0:
            break
        depth -= 1
        T[:, :] = stack_T[depth]
        basis[:] = stack_basis[depth]
        nonbasic[:] = stack_nonbasic[depth]
        where[:] = stack_where[depth]
        det = stack_det[depth]
        next_column = stack_next[depth]
        shift, inverse = divisor(det)
    state[_DET] = det
    state[_DEPTH] = depth
    state[_NEXT] = next_column
    state[_BASES] = bases
    return status


@functools.lru_cache(maxsize=None)
def warm_up() -> None:
    """Compile (or load from numba's disk cache) :func:`search` with Ctrl-C held
    until it is done: a KeyboardInterrupt raised inside numba's compiler would leave
    it broken for the rest of the process. Once per process (a Ctrl-C raised here
    is not cached: the next call tries again)."""
    received: list[int] = []
    main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, lambda number, frame: received.append(number)) \
        if main else None
    try:
        T = np.array([[1, 1], [1, 0]], np.int64)
        state = np.zeros(len(FIELDS), np.int64)
        state[_DET], state[_MAX], state[_PAUSE] = 1, 10, 10
        stack = np.zeros((2, 2, 2), np.int64)
        search(T, np.array([1], np.int64), np.array([0], np.int64), np.array([-1, 0], np.int64),
               state, stack, np.zeros((2, 1), np.int64), np.zeros((2, 1), np.int64),
               np.zeros((2, 2), np.int64), np.zeros(2, np.int64), np.zeros(2, np.int64),
               np.ones((1, 1), np.int64), np.zeros(1, np.int64), np.zeros((1, 2), np.int64),
               np.zeros(1, np.int64))
    finally:
        if main:
            signal.signal(signal.SIGINT, previous)
    if received:
        raise KeyboardInterrupt

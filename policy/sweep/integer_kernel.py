"""Exact sweep kernels: payoffs as int64 polynomials of the grid indices.

On a grid every varied value is rational: ``x = start + step·i = (a + b·i) / c``.
When every payoff is a polynomial with rational coefficients in the varied
symbols (payoffs affine in taxes, subsidies, costs, …), each player's payoffs,
multiplied by one positive integer per player, are polynomials with *integer*
coefficients in the grid indices. Multiplying a player's payoffs by a positive
constant changes no best response, so the equilibria are those of the integer
game. :func:`integer_form` finds these polynomials and bounds every number the
kernels below form; when all stay below 2**62 the kernels decide every
comparison exactly in int64 — no tolerance, no doubtful points, no exact
re-solve in Python. Otherwise :func:`integer_form` returns None and the sweep
uses the float kernels of :mod:`policy.sweep.float_kernel` with the exact engine behind them.

Two kernels, compiled once per machine (the game enters as data, so a new game
or a new ``--set`` value compiles nothing):

- :func:`pure_codes`: bit ``k`` of a point's code says pure profile ``k`` is an
  equilibrium (any number of players).
- :func:`vertex_codes`: two-player games. Vertex enumeration of both
  best-response polytopes ``P = {x ≥ 0 : Bᵀx ≤ 1}`` and ``Q = {y ≥ 0 : Ay ≤ 1}``
  (payoffs shifted to be positive), each vertex found from its support ``S``
  and a set ``J`` of ``|S|`` binding constraints by Cramer's rule with explicit
  determinants. Every vertex is found this way, degenerate ones included, and
  vertices are told apart by their label sets. Every complementary pair of
  nonzero vertices is an extreme equilibrium (von Stengel, *Computing equilibria
  for two-person games*, 2002, §3); the code has one bit per pair of supports
  ``(S, T)``, so degenerate games — ties, continua of equilibria — come out
  exactly as the exact engine lists them. A vertex with more labels than its
  dimension makes the point degenerate (flag :data:`DEGENERATE`).

Examples
--------
>>> import sympy
>>> s = sympy.Symbol("s")
>>> form = integer_form([s / 2, sympy.Integer(1)], [s], (2,), [(0, 1, 11)])
>>> form.exponents.tolist()         # monomials: 1, i
[[0], [1]]
>>> form.coefficients.tolist()      # s/2 and 1 at s = i/10 are i/20 and 1; times 20:
[[0, 1], [20, 0]]
"""

from __future__ import annotations

import functools
import itertools
import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Sequence

import numpy as np
import sympy

from .float_kernel import DEGENERATE, TIES, njit, numba

__all__ = ["IntegerPayoffs", "integer_form", "deviation_lines", "pure_codes", "vertex_codes",
           "vertex_bases", "support_pair", "MAX_WORDS"]

#: Largest magnitude any intermediate integer may reach.
SAFE = 2 ** 62
#: Highest total degree of a payoff polynomial handled exactly.
MAX_DEGREE = 8
#: Largest support of a vertex system (explicit determinants up to 4×4).
MAX_SUPPORT = 4
#: Most 64-bit words of a two-player code: one bit per pair of supports.
MAX_WORDS = 4


@dataclass(frozen=True)
class IntegerPayoffs:
    """Payoff ``k`` at grid indices ``i`` is ``Σ_t coefficients[k, t] · Π_a i_a ** exponents[t, a]``
    times a positive constant of its player (``k`` runs profile-major, then player)."""

    coefficients: np.ndarray      # int64 (payoffs, monomials)
    exponents: np.ndarray         # int64 (monomials, axes)
    bounds: tuple[int, ...]       # per player: largest |payoff| over the grid
    words: int                    # int64 words per point code


def integer_form(payoffs: Sequence[sympy.Expr], varied: Sequence[sympy.Symbol], shape: tuple[int, ...],
                 axes: Sequence[tuple[Fraction, Fraction, int]], *, mixed: bool = False
                 ) -> IntegerPayoffs | None:
    """The integer polynomials of ``payoffs`` (profile-major, then player) on the grid
    ``axes`` (start, stop, points per varied symbol), or None when the payoffs are not
    polynomials with rational coefficients or some intermediate could exceed int64.

    ``mixed``: sized for :func:`vertex_codes` (two players), else for :func:`pure_codes`.
    """
    n = len(shape)
    indices = [sympy.Symbol(f"grid_index_{k}") for k in range(len(varied))]
    substitution = {}
    for symbol, index, (start, stop, points) in zip(varied, indices, axes):
        step = (Fraction(stop) - Fraction(start)) / (points - 1)
        substitution[symbol] = sympy.Rational(start.numerator, start.denominator) + \
            sympy.Rational(step.numerator, step.denominator) * index
    polynomials = []
    for expr in payoffs:
        if not expr.is_polynomial(*varied):
            return None
        try:
            poly = sympy.Poly(expr, *varied)
        except sympy.PolynomialError:
            return None
        if poly.domain not in (sympy.ZZ, sympy.QQ) or poly.total_degree() > MAX_DEGREE:
            return None
        on_grid = sympy.Poly(poly.as_expr().xreplace(substitution), *indices)
        polynomials.append({monomial: Fraction(int(c.p), int(c.q))
                            for monomial, c in on_grid.terms() if c != 0})
    monomials = sorted({m for terms in polynomials for m in terms}) or [(0,) * len(varied)]
    position = {m: k for k, m in enumerate(monomials)}
    largest = [points - 1 for _, _, points in axes]
    coefficients = np.zeros((len(payoffs), len(monomials)), dtype=np.int64)
    bounds = []
    for player in range(n):
        own = polynomials[player::n]
        scale = math.lcm(*(c.denominator for terms in own for c in terms.values()))
        integers = [{m: int(c * scale) for m, c in terms.items()} for terms in own]
        divisor = math.gcd(*(c for terms in integers for c in terms.values())) or 1
        bound = 0
        for k, terms in zip(range(player, len(payoffs), n), integers):
            total = 0
            for monomial, c in terms.items():
                total += abs(c // divisor) * math.prod(top ** e for top, e in zip(largest, monomial))
            if total >= SAFE:
                return None
            bound = max(bound, total)
            for monomial, c in terms.items():
                coefficients[k, position[monomial]] = c // divisor
        bounds.append(bound)
    words = 1
    if mixed:
        m, n_ = shape
        size = min(m, n_)
        pairs = ((1 << m) - 1) * ((1 << n_) - 1)
        words = -(-pairs // 64)
        # shifted payoffs are at most M; Cramer numerators times payoffs at most k·k!·M^k
        if size > MAX_SUPPORT or words > MAX_WORDS or any(
                size * math.factorial(size) * (2 * b + 1) ** size >= SAFE for b in bounds):
            return None
    elif math.prod(shape) > 63:
        return None
    return IntegerPayoffs(coefficients, np.array(monomials, dtype=np.int64).reshape(len(monomials), -1),
                          tuple(bounds), words)


@functools.lru_cache(maxsize=64)
def deviation_lines(shape: tuple[int, ...]) -> tuple[tuple[tuple[int, ...], ...], ...]:
    """Per player, the flat profile indices that differ only in that player's strategy.

    >>> deviation_lines((2, 2))
    (((0, 2), (1, 3)), ((0, 1), (2, 3)))
    """
    profiles = list(itertools.product(*(range(k) for k in shape)))
    position = {profile: k for k, profile in enumerate(profiles)}
    return tuple(tuple(tuple(position[p[:player] + (c,) + p[player + 1:]] for c in range(size))
                       for p in profiles if p[player] == 0)
                 for player, size in enumerate(shape))


def line_table(shape: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    """:func:`deviation_lines` as int64 rows (player, size, flat profiles…) and the
    payoff index of each entry (``profile · players + player``)."""
    n = len(shape)
    rows = [(player, line) for player, lines in enumerate(deviation_lines(shape)) for line in lines]
    table = np.zeros((len(rows), 2 + max(shape)), dtype=np.int64)
    payoff = np.zeros((len(rows), max(shape)), dtype=np.int64)
    for r, (player, line) in enumerate(rows):
        table[r, :2 + len(line)] = (player, len(line)) + line
        payoff[r, :len(line)] = [k * n + player for k in line]
    return table, payoff


def vertex_bases(own: int, other: int) -> np.ndarray:
    """Rows (k, support mask, support…, binding…) for every support ``S`` of the own
    variables and every set of ``|S|`` binding constraints (opponent strategies).

    >>> vertex_bases(2, 2).tolist()
    [[1, 1, 0, 0, 0, 0], [1, 1, 0, 0, 1, 0], [1, 2, 1, 0, 0, 0], [1, 2, 1, 0, 1, 0], [2, 3, 0, 1, 0, 1]]
    """
    rows = []
    for k in range(1, min(own, other) + 1):
        for support in itertools.combinations(range(own), k):
            for binding in itertools.combinations(range(other), k):
                pad = [0] * (min(own, other) - k)
                rows.append([k, sum(1 << s for s in support), *support, *pad, *binding, *pad])
    return np.array(rows, dtype=np.int64)


def support_pair(bit: int, n: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The supports of code bit ``bit`` of :func:`vertex_codes` (``n`` column strategies).

    >>> support_pair(0, 3), support_pair(3 * 7 + 3, 3)    # masks {0}·{0}; {2}·{2}
    (((0,), (0,)), ((2,), (2,)))
    """
    rows, cols = (mask + 1 for mask in divmod(bit, (1 << n) - 1))
    return (tuple(k for k in range(rows.bit_length()) if rows >> k & 1),
            tuple(k for k in range(cols.bit_length()) if cols >> k & 1))


# --------------------------------------------------------------------------------------
# kernels
# --------------------------------------------------------------------------------------

@njit()
def _row_polynomials(coefficients, exponents, outer, reduced):
    """``reduced[k, q]``: coefficient of ``j**q`` (j the last index) of payoff k with the
    outer indices fixed."""
    reduced[:] = 0
    d = exponents.shape[1]
    for t in range(exponents.shape[0]):
        factor = np.int64(1)
        for a in range(d - 1):
            for _ in range(exponents[t, a]):
                factor *= outer[a]
        q = exponents[t, d - 1]
        for k in range(coefficients.shape[0]):
            reduced[k, q] += coefficients[k, t] * factor


@njit()
def _evaluate(reduced, j, payoffs):
    degree = reduced.shape[1] - 1
    if degree == 1:
        for k in range(reduced.shape[0]):
            payoffs[k] = reduced[k, 0] + reduced[k, 1] * j
        return
    for k in range(reduced.shape[0]):
        value = reduced[k, degree]
        for q in range(degree - 1, -1, -1):
            value = value * j + reduced[k, q]
        payoffs[k] = value


@njit()
def _pure(payoffs, lines, line_payoffs, everything):
    """(bits of the pure equilibria, some player has tied best responses)."""
    code = everything
    ties = False
    for r in range(lines.shape[0]):
        size = lines[r, 1]
        best = payoffs[line_payoffs[r, 0]]
        for c in range(1, size):
            best = max(best, payoffs[line_payoffs[r, c]])
        count = 0
        for c in range(size):
            if payoffs[line_payoffs[r, c]] == best:
                count += 1
            else:
                code &= ~(np.int64(1) << lines[r, 2 + c])
        ties = ties or count > 1
    return code, ties


@njit()
def _outer_indices(row, outer_shape, outer):
    remaining = row
    for a in range(len(outer_shape) - 1, -1, -1):
        outer[a] = remaining % outer_shape[a]
        remaining //= outer_shape[a]


@njit(parallel=True, entry=True)
def pure_codes(coefficients, exponents, outer_shape, last, segment_start, segment_stop, first,
               profiles, lines, line_payoffs, codes, flags):
    """Pure equilibria of flat grid points [segment_start, segment_stop) per segment.

    ``codes[p, 0]``: bit k set when pure profile k is an equilibrium at point
    ``first + p``; ``flags[p]``: :data:`TIES` | :data:`DEGENERATE` when a player has
    tied best responses. Payoffs affine in the last index go through
    :func:`_affine_row` (intervals, no per-point work but the writes).
    """
    everything = (np.int64(1) << profiles) - 1
    degree = exponents[:, -1].max()
    for segment in numba.prange(len(segment_start)):
        start = segment_start[segment]
        stop = segment_stop[segment]
        row = start // last
        outer = np.empty(len(outer_shape), dtype=np.int64)
        _outer_indices(row, outer_shape, outer)
        reduced = np.empty((coefficients.shape[0], max(degree, 1) + 1), dtype=np.int64)
        _row_polynomials(coefficients, exponents, outer, reduced)
        if degree <= 1:
            _affine_row(reduced, start - row * last, stop - row * last, profiles, lines, line_payoffs,
                        codes[start - first:stop - first, 0], flags[start - first:stop - first])
            continue
        payoffs = np.empty(coefficients.shape[0], dtype=np.int64)
        for flat in range(start, stop):
            _evaluate(reduced, flat - row * last, payoffs)
            code, ties = _pure(payoffs, lines, line_payoffs, everything)
            codes[flat - first, 0] = code
            flags[flat - first] = np.uint8(TIES | DEGENERATE) if ties else np.uint8(0)


@njit()
def _at_least(d0, d1, low, high):
    """Narrow [low, high] to the integers j with d0 + d1·j >= 0 (empty: low > high)."""
    if d1 == 0:
        return (low, high) if d0 >= 0 else (high + 1, high)
    if d1 > 0:
        return max(low, -(d0 // d1)), high          # j >= ceil(-d0 / d1)
    return low, min(high, d0 // -d1)                 # j <= floor(d0 / -d1)


@njit()
def _affine_row(reduced, j_start, j_stop, profiles, lines, line_payoffs, codes, flags):
    """Pure equilibria on one grid row where payoff k is ``reduced[k, 0] + reduced[k, 1]·j``:
    each comparison of two payoffs holds on a half-line of j, so each profile is an
    equilibrium on an interval and ties sit at integer roots (or everywhere)."""
    high = j_stop - 1
    low_of = np.full(profiles, j_start, dtype=np.int64)
    high_of = np.full(profiles, high, dtype=np.int64)
    best_low = np.empty(line_payoffs.shape[1], dtype=np.int64)
    best_high = np.empty(line_payoffs.shape[1], dtype=np.int64)
    codes[:] = 0
    flags[:] = 0
    tie = np.uint8(TIES | DEGENERATE)
    for r in range(lines.shape[0]):
        size = lines[r, 1]
        for a in range(size):            # where entry a is a best response in this line
            lo, hi = j_start, high
            pa = line_payoffs[r, a]
            for b in range(size):
                if b != a:
                    pb = line_payoffs[r, b]
                    lo, hi = _at_least(reduced[pa, 0] - reduced[pb, 0], reduced[pa, 1] - reduced[pb, 1],
                                       lo, hi)
            best_low[a], best_high[a] = lo, hi
            k = lines[r, 2 + a]
            low_of[k] = max(low_of[k], lo)
            high_of[k] = min(high_of[k], hi)
        for a in range(size):            # ties: two best responses with equal payoffs
            if best_low[a] > best_high[a]:
                continue
            pa = line_payoffs[r, a]
            for b in range(a + 1, size):
                pb = line_payoffs[r, b]
                d0 = reduced[pa, 0] - reduced[pb, 0]
                d1 = reduced[pa, 1] - reduced[pb, 1]
                if d1 == 0:
                    if d0 == 0:
                        for j in range(best_low[a], best_high[a] + 1):
                            flags[j - j_start] = tie
                elif d0 % d1 == 0:
                    root = -(d0 // d1)
                    if best_low[a] <= root <= best_high[a]:
                        flags[root - j_start] = tie
    for k in range(profiles):
        bit = np.int64(1) << k
        for j in range(low_of[k], high_of[k] + 1):
            codes[j - j_start] |= bit


@njit()
def _minor3(matrix, r0, r1, r2, c0, c1, c2):
    return (matrix[r0, c0] * (matrix[r1, c1] * matrix[r2, c2] - matrix[r1, c2] * matrix[r2, c1])
            - matrix[r0, c1] * (matrix[r1, c0] * matrix[r2, c2] - matrix[r1, c2] * matrix[r2, c0])
            + matrix[r0, c2] * (matrix[r1, c0] * matrix[r2, c1] - matrix[r1, c1] * matrix[r2, c0]))


@njit()
def _determinant(matrix, k):
    """Exact determinant of the leading k×k block (k <= 4), by cofactor expansion: no
    intermediate exceeds k!·max|entry|**k."""
    if k == 1:
        return matrix[0, 0]
    if k == 2:
        return matrix[0, 0] * matrix[1, 1] - matrix[0, 1] * matrix[1, 0]
    if k == 3:
        return _minor3(matrix, 0, 1, 2, 0, 1, 2)
    return (matrix[0, 0] * _minor3(matrix, 1, 2, 3, 1, 2, 3) - matrix[0, 1] * _minor3(matrix, 1, 2, 3, 0, 2, 3)
            + matrix[0, 2] * _minor3(matrix, 1, 2, 3, 0, 1, 3) - matrix[0, 3] * _minor3(matrix, 1, 2, 3, 0, 1, 2))


@njit()
def _vertices(payoff, bases, own_offset, other_offset, labels, supports, system, numerators, saved):
    """Nonzero vertices of ``{v ≥ 0 : payoffᵀ v ≤ 1}`` (``payoff``: own × other, positive).

    Writes each vertex's label mask (own strategy s at zero: bit own_offset + s;
    binding opponent strategy j: bit other_offset + j) and support mask; returns
    (count, some vertex has more labels than the dimension).
    """
    own, other = payoff.shape
    everyone = (np.int64(1) << own) - 1
    width = (bases.shape[1] - 2) // 2
    count = 0
    degenerate = False
    for b in range(bases.shape[0]):
        k = bases[b, 0]
        if k == 1:                       # v_s = 1 / payoff[s, j]
            numerators[0] = 1
            scale = payoff[bases[b, 2], bases[b, 2 + width]]
        elif k == 2:                     # Cramer's rule written out
            s0, s1 = bases[b, 2], bases[b, 3]
            j0, j1 = bases[b, 2 + width], bases[b, 3 + width]
            determinant = payoff[s0, j0] * payoff[s1, j1] - payoff[s1, j0] * payoff[s0, j1]
            if determinant == 0:
                continue
            sign = np.int64(1) if determinant > 0 else np.int64(-1)
            numerators[0] = (payoff[s1, j1] - payoff[s1, j0]) * sign
            numerators[1] = (payoff[s0, j0] - payoff[s0, j1]) * sign
            if numerators[0] <= 0 or numerators[1] <= 0:
                continue
            scale = determinant * sign
        else:
            for a in range(k):           # equation a: Σ_c payoff[S_c, J_a] v_{S_c} = 1
                for c in range(k):
                    system[a, c] = payoff[bases[b, 2 + c], bases[b, 2 + width + a]]
            determinant = _determinant(system, k)
            if determinant == 0:
                continue
            sign = np.int64(1) if determinant > 0 else np.int64(-1)
            positive = True
            for c in range(k):           # Cramer: column c replaced by ones
                for a in range(k):
                    saved[a] = system[a, c]
                    system[a, c] = 1
                value = _determinant(system, k) * sign
                for a in range(k):
                    system[a, c] = saved[a]
                numerators[c] = value
                if value <= 0:
                    positive = False
                    break
            if not positive:
                continue
            scale = determinant * sign
        mask = (everyone & ~bases[b, 1]) << own_offset   # own strategies at zero
        feasible = True
        for j in range(other):
            value = np.int64(0)
            for c in range(k):
                value += payoff[bases[b, 2 + c], j] * numerators[c]
            if value > scale:
                feasible = False
                break
            if value == scale:
                mask |= 1 << (other_offset + j)
        if not feasible:
            continue
        seen = False
        for v in range(count):
            seen = seen or labels[v] == mask
        if seen:
            continue
        labels[count] = mask
        supports[count] = bases[b, 1]
        bits = 0
        while mask:
            bits += 1
            mask &= mask - 1
        degenerate = degenerate or bits > own
        count += 1
    return count, degenerate


@njit(parallel=True, entry=True)
def vertex_codes(coefficients, exponents, outer_shape, last, segment_start, segment_stop, first,
                 m, n, lines, line_payoffs, row_bases, column_bases, codes, flags):
    """Every extreme equilibrium of the two-player game at each point (see the module).

    ``codes[p, w]``: bit ``64 w + b`` set when supports ``support_pair(64 w + b, n)``
    form an extreme equilibrium; ``flags[p]``: :data:`TIES`, :data:`DEGENERATE`.
    """
    degree = exponents[:, -1].max()
    full = (1 << (m + n)) - 1
    profiles = m * n
    columns = (1 << n) - 1
    for segment in numba.prange(len(segment_start)):
        start = segment_start[segment]
        row = start // last
        outer = np.empty(len(outer_shape), dtype=np.int64)
        _outer_indices(row, outer_shape, outer)
        stop = segment_stop[segment]
        reduced = np.empty((coefficients.shape[0], max(degree, 1) + 1), dtype=np.int64)
        _row_polynomials(coefficients, exponents, outer, reduced)
        if degree <= 1:   # tied pure best responses for the whole row at once
            _affine_row(reduced, start - row * last, stop - row * last, profiles, lines, line_payoffs,
                        np.empty(stop - start, dtype=np.int64), flags[start - first:stop - first])
        payoffs = np.empty(coefficients.shape[0], dtype=np.int64)
        A = np.empty((n, m), dtype=np.int64)      # Q's constraints: rows of A, i.e. Aᵀ by column
        B = np.empty((m, n), dtype=np.int64)
        system = np.empty((4, 4), dtype=np.int64)
        numerators = np.empty(4, dtype=np.int64)
        saved = np.empty(4, dtype=np.int64)
        count_p = len(row_bases) + 1
        count_q = len(column_bases) + 1
        labels_p = np.empty(count_p, dtype=np.int64)
        support_p = np.empty(count_p, dtype=np.int64)
        labels_q = np.empty(count_q, dtype=np.int64)
        support_q = np.empty(count_q, dtype=np.int64)
        for flat in range(start, stop):
            _evaluate(reduced, flat - row * last, payoffs)
            if degree <= 1:
                ties = flags[flat - first] != 0
            else:
                _, ties = _pure(payoffs, lines, line_payoffs, np.int64(0))
            low_a = payoffs[0]
            low_b = payoffs[1]
            for k in range(m * n):
                low_a = min(low_a, payoffs[2 * k])
                low_b = min(low_b, payoffs[2 * k + 1])
            for r in range(m):
                for c in range(n):
                    A[c, r] = payoffs[2 * (r * n + c)] - low_a + 1
                    B[r, c] = payoffs[2 * (r * n + c) + 1] - low_b + 1
            found_p, degenerate_p = _vertices(B, row_bases, 0, m, labels_p, support_p, system, numerators,
                                            saved)
            found_q, degenerate_q = _vertices(A, column_bases, m, 0, labels_q, support_q, system,
                                              numerators, saved)
            for w in range(codes.shape[1]):
                codes[flat - first, w] = 0
            for u in range(found_p):
                for v in range(found_q):
                    if labels_p[u] | labels_q[v] == full:
                        bit = (support_p[u] - 1) * columns + support_q[v] - 1
                        codes[flat - first, bit >> 6] |= np.int64(1) << (bit & 63)
            flag = np.uint8(TIES) if ties else np.uint8(0)
            if ties or degenerate_p or degenerate_q:
                flag |= np.uint8(DEGENERATE)
            flags[flat - first] = flag

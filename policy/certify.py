"""Certify an approximate equilibrium: prove that an exact one lies next to it.

Stage 5 of the data flow, used by :mod:`policy.logit` (the end of the logit path)
and by the equilibrium engines for any numerical candidate. Given a
:class:`~policy.numeric.NumericGame` and an approximate mixed profile:

1. **Support.** Candidate supports are read off the profile (the strategies played
   with at least a share ``τ`` of the player's most likely one, for a few ``τ``;
   the strategies within a margin of the best payoff).
2. **Refinement.** On a support ``S`` (``m = Σ|S_i|`` unknowns: the probabilities on
   it), the square system ``F(x) = 0`` says, for each player, that the strategies
   of ``S_i`` earn the same payoff and that their probabilities sum to one. It is
   solved by Newton's method in :data:`DIGITS`-digit arithmetic (mpmath).
3. **Exact check.** When the game is rational and every refined probability is a
   fraction of small denominator (``limit_denominator(10**12)`` agreeing to 35
   digits), the fractions are checked exactly with
   :func:`policy.best_response.is_best_response_profile` and returned as such.
4. **Interval certificate** (otherwise). For a box ``X`` of radius ``r`` around the
   refined point ``x̃``, Krawczyk's operator (Moore, Kearfott & Cloud, *Introduction
   to Interval Analysis*, sec. 8.2), computed in outward-rounded interval arithmetic
   (``mpmath.iv``),

   ``K(X) = x̃ - Y F(x̃) + (I - Y F'(X)) (X - x̃)``   (``Y`` ≈ ``F'(x̃)⁻¹``)

   lying inside ``X`` proves that ``X`` holds exactly one root of ``F``. Over the
   whole of ``X`` the support probabilities must be > 0 and every unused strategy's
   payoff strictly below the support's: then that root is a Nash equilibrium with
   support ``S``. The payoffs enter exactly (Fractions are enclosed in intervals;
   floats are exact binary numbers).

A profile that passes neither check is not certified: :func:`try_certify` returns
the reason, :func:`certify` returns None. Nothing is returned as certified that
was not proved. A degenerate equilibrium (an unused strategy that is also a best
response, or a singular support system) cannot get an interval certificate; in a
rational game it may still pass the exact check.

Examples
--------
The stag hunt's mixed equilibrium, from a rough approximation:

>>> stag = NumericGame.from_arrays([[10, 1], [8, 5]], [[10, 8], [1, 5]])
>>> certify(stag, [(0.667, 0.333), (0.66, 0.34)]).exact
((Fraction(2, 3), Fraction(1, 3)), (Fraction(2, 3), Fraction(1, 3)))

An irrational equilibrium (a float game) gets an interval certificate:

>>> game = NumericGame.from_arrays([[2 ** 0.5, 0], [0, 1]], [[1, 0], [0, 2 ** 0.5]])
>>> found = certify(game, [(0.6, 0.4), (0.4, 0.6)])
>>> found.method, found.decimals[0][0][:12], found.radius < 1e-15
('interval', '0.5857864376', True)
>>> try_certify(game, [(0.5, 0.5), (0.1, 0.9)]).reason
'no candidate support could be certified (tried 2; last: the support system has no root near the profile)'
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Sequence

import numpy as np

from .best_response import expected_payoffs, is_best_response_profile
from .numeric import NumericGame

__all__ = ["CertifiedEquilibrium", "Certification", "certify", "try_certify", "DIGITS",
           "EXACT", "INTERVAL"]

#: Digits of the Newton refinement and of the interval arithmetic.
DIGITS = 50
#: Certified by exact rational arithmetic.
EXACT = "exact"
#: Certified by an interval (Krawczyk) test on a box around the refined point.
INTERVAL = "interval"

_RADII = (1e-20, 1e-35)
_DENOMINATOR = 10 ** 12
_SHARES = (1e-2, 1e-4, 1e-6, 1e-9)
_PAYOFF_MARGINS = (1e-6, 1e-3)
_NEWTON_ITERATIONS = 60
_ROUNDING_DENOMINATORS = (12, 100, 1000)


@dataclass(frozen=True)
class CertifiedEquilibrium:
    """An equilibrium proved to exist, given as its best approximation.

    Attributes
    ----------
    supports : tuple of tuple of int
        Each player's strategies played with positive probability.
    probabilities : tuple of tuple of float
        Each player's probabilities (0 off the support).
    decimals : tuple of tuple of str
        The same to :data:`DIGITS` significant digits, the centre of the box (exact
        values when ``exact`` is set).
    exact : tuple of tuple of Fraction, or None
        The equilibrium itself, when it is rational and was checked exactly.
    radius : float or None
        The half-width of the box (in each probability) proved to hold exactly one
        equilibrium, around ``decimals``; None for an exact equilibrium.
    method : str
        :data:`EXACT` or :data:`INTERVAL`.
    """

    supports: tuple[tuple[int, ...], ...]
    probabilities: tuple[tuple[float, ...], ...]
    decimals: tuple[tuple[str, ...], ...]
    exact: tuple[tuple[Fraction, ...], ...] | None
    radius: float | None
    method: str

    def contains(self, profile: Sequence[Sequence]) -> bool:
        """Whether ``profile`` (Fractions, ints, or floats taken as exact numbers) is
        this equilibrium: equal to :attr:`exact`, or with this support and inside the
        box, which holds only one equilibrium of that support. A way to find a
        certified equilibrium in a list found by another method.

        >>> stag = NumericGame.from_arrays([[10, 1], [8, 5]], [[10, 8], [1, 5]])
        >>> found = certify(stag, [(0.67, 0.33), (0.66, 0.34)])
        >>> found.contains([(Fraction(2, 3), Fraction(1, 3))] * 2), found.contains([(1, 0)] * 2)
        (True, False)
        """
        if len(profile) != len(self.supports) or any(
                len(row) != len(mine) for row, mine in zip(profile, self.probabilities)):
            return False
        if self.exact is not None:
            return all(Fraction(v) == e for row, exact in zip(profile, self.exact)
                       for v, e in zip(row, exact))
        import mpmath
        with mpmath.mp.workdps(DIGITS):
            for row, decimals, support in zip(profile, self.decimals, self.supports):
                for j, (value, center) in enumerate(zip(row, decimals)):
                    number = _mp_number(Fraction(value))
                    if (j in support) != (number > 0):
                        return False
                    # the decimals are the box's centre to DIGITS digits: 1e-45 of slack
                    if abs(number - mpmath.mpf(center)) > self.radius - 1e-45:
                        return False
        return True


@dataclass(frozen=True)
class Certification:
    """The answer of :func:`try_certify`: the equilibrium, or None and why."""

    equilibrium: CertifiedEquilibrium | None
    reason: str

    @property
    def certified(self) -> bool:
        return self.equilibrium is not None


def certify(game: NumericGame, profile: Sequence[Sequence[float]],
            distance: float = 0.05) -> CertifiedEquilibrium | None:
    """A certified equilibrium next to ``profile``, or None when none can be proved.

    ``profile`` holds one sequence of probabilities per player; the equilibrium
    certified differs from it by at most ``distance`` in every probability. See
    :func:`try_certify` for the reason of a None, and the module docstring for the
    method.

    >>> pd = NumericGame.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> certify(pd, [(0.01, 0.99), (0.02, 0.98)]).exact
    ((Fraction(0, 1), Fraction(1, 1)), (Fraction(0, 1), Fraction(1, 1)))
    >>> certify(pd, [(0.99, 0.01), (0.98, 0.02)]) is None   # cooperation is no equilibrium
    True
    """
    return try_certify(game, profile, distance).equilibrium


def try_certify(game: NumericGame, profile: Sequence[Sequence[float]],
                distance: float = 0.05) -> Certification:
    """:func:`certify`, with the reason when nothing could be certified.

    >>> pd = NumericGame.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> try_certify(pd, [(0.99, 0.01), (0.98, 0.02)]).reason
    'no candidate support could be certified (tried 2; last: the support system has no root near the profile)'
    """
    import mpmath

    probabilities = [np.asarray(p, dtype=float) for p in profile]
    if len(probabilities) != game.n_players or any(
            p.shape != (k,) for p, k in zip(probabilities, game.shape)):
        return Certification(None, f"the profile does not fit the game's shape {game.shape}")
    if not all(np.all(np.isfinite(p)) for p in probabilities):
        return Certification(None, "the profile has a non-finite probability")
    reason = "no candidate support"
    supports = _candidate_supports(game, probabilities)
    old_prec = mpmath.iv.prec
    try:
        with mpmath.mp.workdps(DIGITS):
            mpmath.iv.prec = mpmath.mp.prec
            for support in supports:
                found, reason = _certify_on_support(game, probabilities, support, distance)
                if found is not None:
                    return Certification(found, f"certified ({found.method})")
    finally:
        mpmath.iv.prec = old_prec
    exact = _exact_from_floats(game, probabilities, distance)
    if exact is not None:
        return Certification(exact, "certified (exact)")
    return Certification(None, f"no candidate support could be certified (tried "
                               f"{len(supports)}; last: {reason})")


def _candidate_supports(game: NumericGame, probabilities: list[np.ndarray]):
    """Supports suggested by the profile: by probability share, then by payoff."""
    candidates = []
    for share in _SHARES:
        candidates.append(tuple(tuple(int(j) for j in np.flatnonzero(p >= share * p.max()))
                                for p in probabilities))
    values = [np.asarray(expected_payoffs(array, probabilities, skip=i), dtype=float)
              for i, array in enumerate(game.payoffs)]
    spread = max(float(np.ptp(a)) for a in game.payoffs) or 1.0
    for margin in _PAYOFF_MARGINS:
        candidates.append(tuple(tuple(int(j) for j in np.flatnonzero(v >= v.max() - margin * spread))
                                for v in values))
    unique = []
    for support in candidates:
        if all(support) and support not in unique:
            unique.append(support)
    return unique


def _contract(table: np.ndarray, vectors: dict[int, Sequence], keep: Sequence[int]) -> np.ndarray:
    """Contract the object array ``table`` with ``vectors[m]`` along every axis
    ``m`` not in ``keep`` (the kept axes stay, in their order)."""
    for m in reversed(range(table.ndim)):
        if m not in keep:
            vector = np.empty(len(vectors[m]), dtype=object)
            vector[:] = list(vectors[m])
            table = np.tensordot(table, vector, axes=([m], [0]))
    return table


class _SupportSystem:
    """``F`` and ``F'`` of one support, generic over mpmath numbers or intervals.

    ``tables[i]`` is player ``i``'s payoff array with every other player's axis
    restricted to that player's support (``i``'s own axis complete)."""

    def __init__(self, tables, support, shape):
        self.tables = tables
        self.support = support
        self.shape = shape
        self.n = len(shape)
        self.offsets = np.concatenate([[0], np.cumsum([len(s) for s in support])]).astype(int)

    def split(self, x):
        return {i: list(x[self.offsets[i]:self.offsets[i + 1]]) for i in range(self.n)}

    def payoffs(self, x):
        """Each player's payoff from each of their strategies (all of them)."""
        vectors = self.split(x)
        return [_contract(self.tables[i], vectors, [i]) for i in range(self.n)]

    def residual(self, x, one):
        values = self.payoffs(x)
        vectors = self.split(x)
        rows = []
        for i, strategies in enumerate(self.support):
            rows.append(sum(vectors[i], 0 * one) - one)
            base = values[i][strategies[0]]
            rows.extend(values[i][j] - base for j in strategies[1:])
        return rows

    def jacobian(self, x, zero, one):
        vectors = self.split(x)
        size = int(self.offsets[-1])
        matrix = [[zero] * size for _ in range(size)]
        for i, strategies in enumerate(self.support):
            row = int(self.offsets[i])
            for column in range(row, row + len(strategies)):
                matrix[row][column] = one
            for k in range(self.n):
                if k == i:
                    continue
                pair = _contract(self.tables[i], vectors, [min(i, k), max(i, k)])
                if i > k:
                    pair = pair.T  # rows: i's strategies (all), columns: k's support
                for r, j in enumerate(strategies[1:], start=1):
                    for c in range(len(self.support[k])):
                        matrix[row + r][int(self.offsets[k]) + c] = pair[j][c] - pair[strategies[0]][c]
        return matrix


def _tables(game: NumericGame, support, convert):
    source = game.exact_payoffs if game.is_exact else game.payoffs
    tables = []
    for i, array in enumerate(source):
        index = np.ix_(*[range(game.shape[m]) if m == i else support[m]
                         for m in range(game.n_players)])
        sub = array[index]
        converted = np.empty(sub.shape, dtype=object)
        flat = converted.reshape(-1)
        for position, value in enumerate(sub.reshape(-1)):
            flat[position] = convert(value)
        tables.append(converted)
    return tables


def _mp_number(value):
    import mpmath
    if isinstance(value, Fraction):
        return mpmath.mpf(value.numerator) / value.denominator
    return mpmath.mpf(float(value))


def _iv_number(value):
    import mpmath
    if isinstance(value, Fraction):
        return mpmath.iv.mpf(value.numerator) / value.denominator
    return mpmath.iv.mpf(float(value))


def _certify_on_support(game, probabilities, support, distance):
    import mpmath

    mp = mpmath.mp
    system = _SupportSystem(_tables(game, support, _mp_number), support, game.shape)
    start = []
    for i, strategies in enumerate(support):
        restricted = np.maximum(probabilities[i][list(strategies)], 0.0)
        total = restricted.sum()
        restricted = restricted / total if total > 0 else np.full(len(strategies), 1 / len(strategies))
        start.extend(mp.mpf(float(v)) for v in restricted)
    x = mp.matrix(start)
    tolerance = mp.mpf(10) ** (-(DIGITS - 8))
    one, zero = mp.mpf(1), mp.mpf(0)
    for _ in range(_NEWTON_ITERATIONS):
        values = list(x)
        residual = mp.matrix(system.residual(values, one))
        jac = mp.matrix(system.jacobian(values, zero, one))
        try:
            delta = mp.lu_solve(jac, residual)
        except (ZeroDivisionError, TypeError):  # mpmath's LU meets a zero pivot
            return None, "the support system is singular"
        x = x - delta
        if mp.norm(delta, mp.inf) <= tolerance:
            break
        if mp.norm(x, mp.inf) > 1e6:
            return None, "the support system has no root near the profile"
    else:
        return None, "Newton's method did not converge on the support system"
    refined = list(x)
    if any(v <= 0 for v in refined):
        return None, "the support system's root is not a mixed strategy"
    rows = _full_profile(game, support, [float(v) for v in refined])
    if max(abs((0.0 if r is None else r) - float(p)) for row, given in zip(rows, probabilities)
           for r, p in zip(row, given)) > distance:
        return None, "the support system has no root near the profile"
    if game.is_exact:
        exact = _exact_candidate(game, support, refined)
        if exact is not None:
            return exact, ""
    return _interval_certificate(game, system, support, refined)


def _full_profile(game, support, entries):
    """Per player, ``entries`` on the support and ``zero`` elsewhere."""
    profile, position = [], 0
    for i, strategies in enumerate(support):
        row = [None] * game.shape[i]
        for j in strategies:
            row[j] = entries[position]
            position += 1
        profile.append(row)
    return profile


def _fraction_of(value) -> Fraction:
    import mpmath
    mantissa, exponent = mpmath.mpf(value).man_exp
    return Fraction(int(mantissa)) * Fraction(2) ** int(exponent)


def _exact_candidate(game, support, refined):
    """The refined point as small-denominator fractions, if that is an equilibrium."""
    import mpmath
    closeness = mpmath.mpf(10) ** -35
    fractions = []
    for value in refined:
        fraction = _fraction_of(value).limit_denominator(_DENOMINATOR)
        if abs(mpmath.mpf(fraction.numerator) / fraction.denominator - value) > closeness:
            return None
        fractions.append(fraction)
    rows = _full_profile(game, support, fractions)
    exact = tuple(tuple(Fraction(0) if v is None else v for v in row) for row in rows)
    if not is_best_response_profile(game, exact):
        return None
    return _exact_result(exact)


def _exact_result(exact) -> CertifiedEquilibrium:
    return CertifiedEquilibrium(
        supports=tuple(tuple(j for j, v in enumerate(row) if v > 0) for row in exact),
        probabilities=tuple(tuple(float(v) for v in row) for row in exact),
        decimals=tuple(tuple(str(v) for v in row) for row in exact),
        exact=exact, radius=None, method=EXACT)


def _exact_from_floats(game, probabilities, distance):
    """Fractions of small denominators within ``distance`` of ``probabilities`` that
    are exactly an equilibrium (for degenerate equilibria, where the support system
    is singular): the simplest first."""
    if not game.is_exact:
        return None
    for bound in _ROUNDING_DENOMINATORS:
        exact = []
        for p in probabilities:
            row = [Fraction(float(v)).limit_denominator(bound) if v > 1e-9 else Fraction(0)
                   for v in p]
            largest = int(np.argmax(p))
            row[largest] = 1 - (sum(row) - row[largest])
            if row[largest] < 0 or any(abs(float(f) - float(v)) > distance for f, v in zip(row, p)):
                break
            exact.append(tuple(row))
        else:
            if is_best_response_profile(game, tuple(exact)):
                return _exact_result(tuple(exact))
    return None


def _interval_certificate(game, system_mp, support, refined):
    import mpmath

    mp, iv = mpmath.mp, mpmath.iv
    size = len(refined)
    jac = mp.matrix(system_mp.jacobian(refined, mp.mpf(0), mp.mpf(1)))
    try:
        inverse = mp.inverse(jac)
    except ZeroDivisionError:
        return None, "the support system is singular at the refined point"
    system = _SupportSystem(_tables(game, support, _iv_number), support, game.shape)
    zero, one = iv.mpf(0), iv.mpf(1)
    center = [iv.mpf(v) for v in refined]
    y = [[iv.mpf(inverse[r, c]) for c in range(size)] for r in range(size)]
    at_center = system.residual(center, one)
    shift = [sum((y[r][c] * at_center[c] for c in range(size)), zero) for r in range(size)]
    reason = "the interval test failed"
    for radius in _RADII:
        width = iv.mpf([-radius, radius])
        box = [v + width for v in center]
        offsets = [b - v for b, v in zip(box, center)]  # contains X - x̃
        over_box = system.jacobian(box, zero, one)
        product = [[sum((y[r][k] * over_box[k][c] for k in range(size)), zero)
                    for c in range(size)] for r in range(size)]
        krawczyk = []
        for r in range(size):
            term = sum((((one if r == c else zero) - product[r][c]) * offsets[c]
                        for c in range(size)), zero)
            krawczyk.append(center[r] - shift[r] + term)
        inside = all(k.a > b.a and k.b < b.b for k, b in zip(krawczyk, box))
        if not inside:
            reason = "Krawczyk's test failed: the box is not proved to hold a unique root"
            continue
        if any(b.a <= 0 for b in box):
            return None, "a support probability is not proved positive"
        vectors = system.split(box)
        for i, strategies in enumerate(support):
            unused = [j for j in range(game.shape[i]) if j not in strategies]
            if not unused:
                continue
            base = strategies[0]
            table = system.tables[i]
            for j in unused:
                difference = np.take(table, j, axis=i) - np.take(table, base, axis=i)
                others = {m if m < i else m - 1: vectors[m] for m in range(game.n_players) if m != i}
                gap = _contract(difference, others, []) if difference.ndim else difference
                gap = gap.item() if isinstance(gap, np.ndarray) else gap
                if not gap.b < 0:
                    return None, "an unused strategy earns at least the support payoff"
        decimals = [mp.nstr(v, DIGITS) for v in refined]
        rows = _full_profile(game, support, decimals)
        floats = _full_profile(game, support, [float(v) for v in refined])
        return CertifiedEquilibrium(
            supports=tuple(tuple(s) for s in support),
            probabilities=tuple(tuple(0.0 if v is None else v for v in row) for row in floats),
            decimals=tuple(tuple("0" if v is None else v for v in row) for row in rows),
            exact=None, radius=radius, method=INTERVAL), ""
    return None, reason

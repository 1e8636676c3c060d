"""Real algebraic numbers: exact irrational probabilities and payoffs.

Games with three or more players can have equilibria whose probabilities are
irrational (Nau, Gomez Canovas & Hansen 2004). Every equilibrium found by the
n-player engine (:mod:`policy.support_enumeration`) lives in one number field
``Q(α)``: ``α`` is a real root of an irreducible integer polynomial (its
*minimal polynomial*), and each probability or payoff is an element
``c0 + c1·α + … + c(d-1)·α^(d-1)`` with rational ``c``.

* Arithmetic is exact: polynomials in ``α`` reduced modulo the minimal polynomial.
* Signs are decided exactly: a nonzero element (with an irreducible minimal
  polynomial, an element that is not a constant is never zero) is evaluated in
  interval arithmetic on an isolating interval of ``α``, refined by bisection
  until the interval excludes zero.
* Text is exact: radicals for fields of degree 2 (``-1 + sqrt(2)``); otherwise
  ``root of <minimal polynomial of the number> in [lo, hi]`` with decimal
  endpoints that isolate that root.

Elements that are rational are plain :class:`fractions.Fraction` values, so an
:class:`Algebraic` is always irrational, and code that handles Fractions keeps
working on rational results.

Examples
--------
>>> field = NumberField.from_polynomial([1, 0, -2], root=1)   # α = sqrt(2)
>>> x = field.generator - 1
>>> str(x), round(float(x), 12), x > 0, x < Fraction(1, 2)
('-1 + sqrt(2)', 0.414213562373, True, True)
>>> (field.generator - 1) * (field.generator + 1)
Fraction(1, 1)
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Sequence, Union

import sympy

__all__ = ["NumberField", "Algebraic", "is_exact_number"]

_X = sympy.Symbol("x")
_T = sympy.Symbol("t")

Rational = Union[int, Fraction]


def is_exact_number(value: object) -> bool:
    """Whether ``value`` is an exact number the engines accept (int, Fraction or Algebraic).

    >>> is_exact_number(Fraction(1, 3)), is_exact_number(0.5)
    (True, False)
    """
    return isinstance(value, (int, Fraction, Algebraic)) and not isinstance(value, bool)


# --------------------------------------------------------------------------------------
# polynomials with rational coefficients, lowest degree first
# --------------------------------------------------------------------------------------

def _trim(coefficients: Sequence[Fraction]) -> tuple[Fraction, ...]:
    end = len(coefficients)
    while end and coefficients[end - 1] == 0:
        end -= 1
    return tuple(coefficients[:end])


def _evaluate(coefficients: Sequence[Fraction], point: Fraction) -> Fraction:
    total = Fraction(0)
    for c in reversed(coefficients):
        total = total * point + c
    return total


def _interval_evaluate(coefficients: Sequence[Fraction], low: Fraction,
                       high: Fraction) -> tuple[Fraction, Fraction]:
    """An interval containing ``p(t)`` for every ``t`` in ``[low, high]`` (Horner)."""
    a = b = Fraction(0)
    for c in reversed(coefficients):
        products = (a * low, a * high, b * low, b * high)
        a, b = min(products) + c, max(products) + c
    return a, b


# --------------------------------------------------------------------------------------
# number fields
# --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class NumberField:
    """``Q(α)`` for the real root number ``index`` (0 = smallest) of an irreducible polynomial.

    ``minimal`` holds integer coefficients, highest degree first, primitive with a
    positive leading coefficient, of degree at least 2.
    """

    minimal: tuple[int, ...]
    index: int

    @classmethod
    def from_polynomial(cls, coefficients: Sequence[int], root: int) -> NumberField:
        """The field of the ``root``-th real root of an irreducible integer polynomial
        (coefficients highest degree first)."""
        poly = sympy.Poly(list(coefficients), _X, domain="ZZ")
        content, primitive = poly.primitive()
        if primitive.LC() < 0:
            primitive = -primitive
        if primitive.degree() < 2 or not primitive.is_irreducible:
            raise ValueError(f"{primitive.as_expr()} is not irreducible of degree >= 2")
        return cls(tuple(int(c) for c in primitive.all_coeffs()), root)

    @property
    def degree(self) -> int:
        return len(self.minimal) - 1

    @functools.cached_property
    def _monic(self) -> tuple[Fraction, ...]:
        """The minimal polynomial made monic, lowest degree first."""
        lead = self.minimal[0]
        return tuple(Fraction(c, lead) for c in reversed(self.minimal))

    @property
    def generator(self) -> Algebraic:
        """``α`` itself."""
        return Algebraic(self, (Fraction(0), Fraction(1)))

    def element(self, coefficients: Sequence[Rational]) -> Fraction | Algebraic:
        """``c0 + c1·α + …`` reduced modulo the minimal polynomial; a Fraction when rational."""
        reduced = _trim(self._reduce([Fraction(c) for c in coefficients]))
        if len(reduced) <= 1:
            return reduced[0] if reduced else Fraction(0)
        return Algebraic(self, reduced)

    def _reduce(self, coefficients: list[Fraction]) -> list[Fraction]:
        monic, degree = self._monic, self.degree
        coefficients = list(coefficients)
        for top in range(len(coefficients) - 1, degree - 1, -1):
            lead = coefficients[top]
            if lead:
                shift = top - degree
                for k in range(degree):
                    coefficients[shift + k] -= lead * monic[k]
            coefficients[top] = Fraction(0)
        return coefficients[:degree]

    def interval(self, width: Fraction | None = None) -> tuple[Fraction, Fraction]:
        """An isolating interval of ``α``, refined (by bisection) to at most ``width``."""
        return _refined_interval(self, width)


@functools.lru_cache(maxsize=4096)
def _isolating_interval(field: NumberField) -> tuple[Fraction, Fraction]:
    poly = sympy.Poly(list(field.minimal), _X, domain="ZZ")
    intervals = poly.intervals()
    if field.index >= len(intervals):
        raise ValueError(f"{poly.as_expr()} has only {len(intervals)} real roots")
    (low, high), _ = intervals[field.index]
    return Fraction(int(low.p), int(low.q)), Fraction(int(high.p), int(high.q))


_NARROWEST: dict[NumberField, tuple[Fraction, Fraction]] = {}


def _refined_interval(field: NumberField, width: Fraction | None) -> tuple[Fraction, Fraction]:
    low, high = _NARROWEST.get(field) or _isolating_interval(field)
    if width is None or high - low <= width:
        return low, high
    coefficients = tuple(Fraction(c) for c in reversed(field.minimal))
    sign_low = _evaluate(coefficients, low) > 0
    while high - low > width:
        middle = (low + high) / 2
        value = _evaluate(coefficients, middle)
        if value == 0:  # impossible for an irreducible polynomial of degree >= 2
            raise ArithmeticError("rational root of an irreducible polynomial")
        if (value > 0) == sign_low:
            low = middle
        else:
            high = middle
    _NARROWEST[field] = (low, high)
    return low, high


# --------------------------------------------------------------------------------------
# elements
# --------------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class Algebraic:
    """An irrational element of a :class:`NumberField` (see the module docstring)."""

    field: NumberField
    coefficients: tuple[Fraction, ...]   # lowest degree first, at least one non-constant term

    # ----- arithmetic -------------------------------------------------------------------
    def _coerce(self, other: object) -> tuple[Fraction, ...] | None:
        if isinstance(other, Algebraic):
            if other.field != self.field:
                raise ArithmeticError("arithmetic across different number fields is not supported")
            return other.coefficients
        if isinstance(other, (int, Fraction)) and not isinstance(other, bool):
            return (Fraction(other),)
        return None

    def __add__(self, other):
        theirs = self._coerce(other)
        if theirs is None:
            return NotImplemented
        size = max(len(self.coefficients), len(theirs))
        padded = [(self.coefficients[k] if k < len(self.coefficients) else 0)
                  + (theirs[k] if k < len(theirs) else 0) for k in range(size)]
        return self.field.element(padded)

    __radd__ = __add__

    def __neg__(self):
        return Algebraic(self.field, tuple(-c for c in self.coefficients))

    def __sub__(self, other):
        theirs = self._coerce(other)
        if theirs is None:
            return NotImplemented
        return self + self.field.element([-c for c in theirs])

    def __rsub__(self, other):
        return (-self) + other

    def __mul__(self, other):
        theirs = self._coerce(other)
        if theirs is None:
            return NotImplemented
        product = [Fraction(0)] * (len(self.coefficients) + len(theirs) - 1)
        for i, a in enumerate(self.coefficients):
            if a:
                for j, b in enumerate(theirs):
                    product[i + j] += a * b
        return self.field.element(product)

    __rmul__ = __mul__

    def __truediv__(self, other):
        if isinstance(other, (int, Fraction)) and not isinstance(other, bool):
            return self.field.element([c / Fraction(other) for c in self.coefficients])
        return NotImplemented

    # ----- value ------------------------------------------------------------------------
    def enclosure(self, width: Fraction) -> tuple[Fraction, Fraction]:
        """An interval of width at most ``width`` that contains this number."""
        field_width = width
        while True:
            low, high = _interval_evaluate(self.coefficients, *self.field.interval(field_width))
            if high - low <= width:
                return low, high
            field_width /= 16

    def sign(self) -> int:
        """-1 or 1 (an Algebraic is never zero), decided exactly."""
        width = Fraction(1, 2**10)
        while True:
            low, high = _interval_evaluate(self.coefficients, *self.field.interval(width))
            if low > 0:
                return 1
            if high < 0:
                return -1
            width /= 2**8

    def __float__(self) -> float:
        low, high = self.enclosure(Fraction(1, 2**20))
        scale = max(abs(low), abs(high))
        low, high = self.enclosure(scale / 2**64)
        return float((low + high) / 2)

    def __bool__(self) -> bool:
        return True

    # ----- comparison -------------------------------------------------------------------
    def _compare(self, other: object) -> int | None:
        if isinstance(other, float):
            return (float(self) > other) - (float(self) < other)
        if isinstance(other, Algebraic) and other.field != self.field:
            return _compare_fields(self, other)
        theirs = self._coerce(other)
        if theirs is None:
            return None
        difference = self - other
        return difference.sign() if isinstance(difference, Algebraic) else \
            (difference > 0) - (difference < 0)

    def __eq__(self, other):
        result = self._compare(other)
        return NotImplemented if result is None else result == 0

    def __lt__(self, other):
        result = self._compare(other)
        return NotImplemented if result is None else result < 0

    def __le__(self, other):
        result = self._compare(other)
        return NotImplemented if result is None else result <= 0

    def __gt__(self, other):
        result = self._compare(other)
        return NotImplemented if result is None else result > 0

    def __ge__(self, other):
        result = self._compare(other)
        return NotImplemented if result is None else result >= 0

    def __hash__(self) -> int:
        return hash(("algebraic",) + self.minimal_polynomial)

    # ----- exact description --------------------------------------------------------------
    @functools.cached_property
    def minimal_polynomial(self) -> tuple[tuple[int, ...], int]:
        """``(coefficients, index)``: this number is the ``index``-th real root of the
        irreducible integer polynomial ``coefficients`` (highest degree first)."""
        f = sympy.Poly(list(self.field.minimal), _T)
        r = sympy.Poly([sympy.Rational(c.numerator, c.denominator)
                        for c in reversed(self.coefficients)], _T)
        resultant = sympy.Poly(sympy.resultant(f.as_expr(), _X - r.as_expr(), _T), _X)
        factors = [factor for factor, _ in resultant.factor_list()[1] if factor.degree() >= 1]
        width = Fraction(1, 2**8)
        while True:
            low, high = self.enclosure(width)
            inside = [g for g in factors
                      if g.count_roots(sympy.Rational(low.numerator, low.denominator),
                                       sympy.Rational(high.numerator, high.denominator)) > 0]
            if len(inside) == 1:
                break
            width /= 2**8
        g = inside[0]
        _, g = g.primitive()
        if g.LC() < 0:
            g = -g
        below = g.count_roots(None, sympy.Rational(low.numerator, low.denominator))
        return tuple(int(c) for c in g.all_coeffs()), int(below)

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"Algebraic({self.text!r})"

    @functools.cached_property
    def text(self) -> str:
        if self.field.degree == 2:
            return str(self._radical())
        coefficients, _ = self.minimal_polynomial
        poly = sympy.Poly(list(coefficients), _X)
        digits = 4
        while True:
            low, high = self.enclosure(Fraction(1, 10**digits))
            low_text = math.floor(low * 10**digits)
            high_text = math.ceil(high * 10**digits)
            a, b = Fraction(low_text, 10**digits), Fraction(high_text, 10**digits)
            if poly.count_roots(sympy.Rational(a.numerator, a.denominator),
                                sympy.Rational(b.numerator, b.denominator)) == 1:
                return (f"root of {sympy.sstr(poly.as_expr())} in "
                        f"[{_decimal(a, digits)}, {_decimal(b, digits)}]")
            digits += 2

    def _radical(self) -> sympy.Expr:
        c, b, a = (sympy.Integer(v) for v in reversed(self.field.minimal))  # a x² + b x + c
        root = sympy.sqrt(b * b - 4 * a * c)
        low, _ = self.field.interval()
        centre = Fraction(int(-b), int(2 * a))
        alpha = (-b + root) / (2 * a) if low >= centre else (-b - root) / (2 * a)
        value = sum(sympy.Rational(k.numerator, k.denominator) * alpha**i
                    for i, k in enumerate(self.coefficients))
        return sympy.expand(value)

    def to_sympy(self) -> sympy.Expr:
        """The number as a sympy expression (radicals, or a ``CRootOf``)."""
        if self.field.degree == 2:
            return self._radical()
        coefficients, index = self.minimal_polynomial
        return sympy.CRootOf(sympy.Poly(list(coefficients), _X), index)


def _decimal(value: Fraction, digits: int) -> str:
    sign = "-" if value < 0 else ""
    scaled = abs(value) * 10**digits
    whole, fraction = divmod(int(scaled), 10**digits)
    return f"{sign}{whole}.{fraction:0{digits}d}"


def _compare_fields(a: Algebraic, b: Algebraic) -> int:
    """The sign of ``a - b`` for numbers in different fields (equal only when they have
    the same minimal polynomial and root)."""
    if a.minimal_polynomial == b.minimal_polynomial:
        return 0
    width = Fraction(1, 2**16)
    while True:
        low_a, high_a = a.enclosure(width)
        low_b, high_b = b.enclosure(width)
        if high_a < low_b:
            return -1
        if high_b < low_a:
            return 1
        width /= 2**16

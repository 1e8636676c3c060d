"""Numeric equilibria of market games and their interval-arithmetic certificates.

Where this sits in the data flow: a solver stage of market games, used by
:mod:`policy.market_equilibria` when the exact KKT cases cannot be solved, or an
exact best-response check does not finish, within the time budget.

The certificate. For a payoff ``f`` of a player's own choice ``y`` (the others
fixed) on ``[low, high]`` (``high`` may be infinite) and a candidate choice ``c``,
:func:`certify_best_response` proves ``f(y) <= f(c) + tol`` for every ``y`` in the
interval, with ``tol = 1e-9 * max(1, |f(c)|)``: a branch and bound over
sub-intervals, each bounded from above with interval arithmetic (``mpmath.iv``:
outward rounding, so the bound is rigorous), by the mean-value form
``f(m) + f'(I)(I - m)`` or, where ``f'`` has one sign on ``I``, by ``f`` at the
better end. A sub-interval is split until its bound is at most ``f(c) + tol``;
a point found with ``f`` above that proves the candidate wrong. What is certified:
no player gains more than ``tol`` by deviating anywhere in its interval (an
``tol``-equilibrium, the choices printed being the exact numbers checked). What is
not: that the list of numeric equilibria is complete.

Expressions are evaluated by walking the sympy tree (sums, products, powers,
``exp``, ``log``, ``abs``, ``min``, ``max``): no code is generated or run.

Examples
--------
>>> y = sympy.Symbol("y")
>>> certify_best_response(y*(9 - y), y, 0, None, sympy.Rational(9, 2)).holds
True
>>> certify_best_response(y*(9 - y), y, 0, None, 4).holds
False
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

import mpmath
import sympy
from mpmath import iv

__all__ = ["RELATIVE_TOLERANCE", "Certificate", "Unsupported", "evaluate",
           "certify_best_response", "find_roots"]

#: How close (relative to ``max(1, |payoff|)``) a certified choice is to the proven best.
RELATIVE_TOLERANCE = 1e-9

#: At most this many sub-intervals per certificate.
MAX_BOXES = 20_000

_DIGITS = 30


class Unsupported(Exception):
    """An expression the evaluator does not know, or a value outside its domain."""


def _number(value, ctx):
    if isinstance(value, sympy.Integer):
        return ctx.mpf(int(value))
    if isinstance(value, sympy.Rational):
        return ctx.mpf(int(value.p)) / ctx.mpf(int(value.q))
    if isinstance(value, sympy.Float):
        return ctx.mpf(str(value))
    if value is sympy.pi:
        return ctx.pi
    if value is sympy.E:
        return ctx.e
    if value in (sympy.oo,):
        return ctx.inf
    raise Unsupported(f"cannot evaluate the number {value}")


def _low(value, ctx) -> object:
    return value.a if ctx is iv else value


def evaluate(expr: sympy.Expr, env: Mapping[sympy.Symbol, object], ctx=mpmath.mp):
    """``expr`` at ``env`` (symbol → number or interval) in the mpmath context
    ``ctx`` (``mpmath.mp``: a number; ``mpmath.iv``: an enclosing interval).

    Raises
    ------
    Unsupported
        For a function the evaluator does not know, or a square root or logarithm
        of a value that may be negative.

    >>> x = sympy.Symbol("x")
    >>> evaluate(10/sympy.sqrt(x) - 1, {x: mpmath.mpf(4)})
    mpf('4.0')
    >>> evaluate(x**2, {x: iv.mpf([-1, 2])}, iv)
    mpi('0.0', '4.0')
    """
    if expr.is_Number or expr in (sympy.pi, sympy.E):
        return _number(expr, ctx)
    if expr.is_Symbol:
        if expr not in env:
            raise Unsupported(f"no value for {expr}")
        return env[expr]
    args = [evaluate(arg, env, ctx) for arg in expr.args] if not expr.is_Pow else None
    if expr.is_Add:
        total = args[0]
        for arg in args[1:]:
            total = total + arg
        return total
    if expr.is_Mul:
        product = args[0]
        for arg in args[1:]:
            product = product * arg
        return product
    if expr.is_Pow:
        base = evaluate(expr.base, env, ctx)
        exponent = expr.exp
        if exponent.is_Integer:
            if exponent < 0 and ctx is not iv and base == 0:
                raise Unsupported("division by zero")
            return base ** int(exponent)
        if _low(base, ctx) < 0:
            raise Unsupported(f"{expr.base} may be negative under a root or power")
        if exponent == sympy.Rational(1, 2):
            return ctx.sqrt(base)
        if exponent == sympy.Rational(-1, 2):
            return 1 / ctx.sqrt(base)
        if _low(base, ctx) <= 0:
            raise Unsupported(f"{expr.base} may be zero under a power")
        return ctx.exp(evaluate(exponent, env, ctx) * ctx.log(base))
    if expr.func is sympy.exp:
        return ctx.exp(args[0])
    if expr.func is sympy.log:
        if _low(args[0], ctx) <= 0:
            raise Unsupported(f"{expr.args[0]} may be non-positive in a logarithm")
        return ctx.log(args[0])
    if expr.func is sympy.Abs:
        return abs(args[0])
    if expr.func in (sympy.Min, sympy.Max) and ctx is not iv:
        return (min if expr.func is sympy.Min else max)(args)
    if expr.func in (sympy.Min, sympy.Max):
        pick = min if expr.func is sympy.Min else max
        lows = [mpmath.mpf(a.a) for a in args]
        highs = [mpmath.mpf(a.b) for a in args]
        return iv.mpf([pick(lows), pick(highs)])
    raise Unsupported(f"cannot evaluate {expr.func.__name__}")


@dataclass(frozen=True)
class Certificate:
    """The outcome of a certificate: ``holds`` True (proven within ``tolerance``),
    False (a choice gains more: ``better``), None (not decided within the budget);
    ``boxes``: sub-intervals examined."""

    holds: bool | None
    tolerance: float
    boxes: int
    how: str
    better: float | None = None


def _bound(f, fprime, y, low, high):
    """An upper bound of ``f`` over ``[low, high]`` (mpmath numbers), rigorous."""
    box = iv.mpf([low, high])
    whole = evaluate(f, {y: box}, iv)
    upper = mpmath.mpf(whole.b)
    if fprime is None or high == mpmath.inf:
        return upper
    try:
        slope = evaluate(fprime, {y: box}, iv)
    except (Unsupported, ZeroDivisionError, mpmath.libmp.ComplexResult):
        return upper
    if mpmath.mpf(slope.a) >= 0:
        return min(upper, mpmath.mpf(evaluate(f, {y: iv.mpf(high)}, iv).b))
    if mpmath.mpf(slope.b) <= 0:
        return min(upper, mpmath.mpf(evaluate(f, {y: iv.mpf(low)}, iv).b))
    middle = (low + high) / 2
    form = evaluate(f, {y: iv.mpf(middle)}, iv) + slope * (box - iv.mpf(middle))
    return min(upper, mpmath.mpf(form.b))


def certify_best_response(f: sympy.Expr, y: sympy.Symbol, low: sympy.Expr,
                          high: sympy.Expr | None, choice: sympy.Expr,
                          end: float | None = None) -> Certificate:
    """Whether ``choice`` is within the tolerance of the best payoff ``f`` (in ``y``)
    over ``[low, high]`` (``high`` None: unbounded), proven with interval
    arithmetic (see the module); ``end``: a processor-time deadline
    (``time.process_time()``), after which the answer is None.

    >>> y = sympy.Symbol("y")
    >>> c = certify_best_response(10*y/sympy.sqrt(y + 1) - y, y, 0, 100, sympy.Float(30.0))
    >>> c.holds, c.better is not None
    (False, True)
    """
    iv.dps = mpmath.mp.dps = _DIGITS
    try:
        value = evaluate(f, {y: iv.mpf(str(sympy.Float(choice, _DIGITS)))}, iv)
    except (Unsupported, ZeroDivisionError, mpmath.libmp.ComplexResult) as err:
        return Certificate(None, 0.0, 0, f"not decided: {err}")
    candidate = mpmath.mpf(value.a)
    tolerance = RELATIVE_TOLERANCE * max(1, abs(candidate))
    target = candidate + tolerance
    try:
        fprime = sympy.diff(f, y)
        evaluate(fprime, {y: iv.mpf(str(sympy.Float(choice, _DIGITS)))}, iv)
    except (Unsupported, ZeroDivisionError, mpmath.libmp.ComplexResult, TypeError):
        fprime = None
    try:
        start = _number(sympy.sympify(low), mpmath.mp)
        stop = mpmath.inf if high is None or high is sympy.oo else _number(sympy.sympify(high),
                                                                           mpmath.mp)
    except Unsupported as err:
        return Certificate(None, float(tolerance), 0, f"not decided: {err}")
    if not mpmath.isfinite(start):
        return Certificate(None, float(tolerance), 0,
                           "not decided: an interval unbounded below is not certified")
    stack = [(start, stop)]
    boxes = 0
    while stack:
        a, b = stack.pop()
        boxes += 1
        if boxes > MAX_BOXES or (end is not None and time.process_time() > end):
            return Certificate(None, float(tolerance), boxes,
                               "not decided: the interval bound did not finish within its budget")
        try:
            upper = _bound(f, fprime, y, a, b)
        except (Unsupported, ZeroDivisionError, mpmath.libmp.ComplexResult):
            upper = mpmath.inf
        if upper <= target:
            continue
        middle = (a + b) / 2 if b != mpmath.inf else a + max(1, abs(a))
        try:
            here = mpmath.mpf(evaluate(f, {y: iv.mpf(middle)}, iv).a)
        except (Unsupported, ZeroDivisionError, mpmath.libmp.ComplexResult):
            here = None
        if here is not None and here > target:
            return Certificate(False, float(tolerance), boxes,
                               f"a deviation to {float(middle):.6g} gains more than "
                               f"{float(tolerance):.1e}", float(middle))
        if b - a < mpmath.mpf(10) ** (-_DIGITS + 5) * max(1, abs(a)):
            return Certificate(None, float(tolerance), boxes,
                               "not decided: the payoff could not be bounded near "
                               f"{float(a):.6g}")
        stack += [(middle, b), (a, middle)]
    return Certificate(True, float(tolerance), boxes,
                       f"interval arithmetic over the whole interval ({boxes} sub-intervals): "
                       f"no deviation gains more than {float(tolerance):.1e}")


def find_roots(equations: Sequence[sympy.Expr], unknowns: Sequence[sympy.Symbol],
               starts: Sequence[Sequence[float]], end: float) -> list[tuple[mpmath.mpf, ...]]:
    """Solutions of ``equations = 0`` found by Newton's method (``mpmath.findroot``)
    from each of ``starts``, in order, until the processor-time deadline ``end``.

    >>> x = sympy.Symbol("x")
    >>> [round(float(r[0]), 6) for r in find_roots([x**2 - 2], [x], [[1.0]], time.process_time() + 5)]
    [1.414214]
    """
    mpmath.mp.dps = _DIGITS
    functions: list[Callable] = [
        (lambda *v, e=e: evaluate(e, dict(zip(unknowns, v)), mpmath.mp)) for e in equations]
    found = []
    for start in starts:
        if time.process_time() > end:
            break
        try:
            if len(unknowns) == 1:
                root = (mpmath.findroot(functions[0], mpmath.mpf(start[0]), tol=1e-25,
                                        maxsteps=60),)
            else:
                root = tuple(mpmath.findroot(functions, [mpmath.mpf(s) for s in start],
                                             tol=1e-25, maxsteps=60))
        except (Unsupported, ValueError, ZeroDivisionError, TypeError, OverflowError,
                mpmath.libmp.ComplexResult):
            continue
        if all(isinstance(r, mpmath.mpf) for r in root):
            found.append(root)
    return found

"""Equilibria of market games at given values, from first-order (KKT) conditions, verified.

Where this sits in the data flow: a solver stage of market games, after the model
(:mod:`policy.market`) and before the symbolic analysis
(:mod:`policy.market_analysis`, which reuses :func:`kkt_cases`) and the reports.

The method. With the notation of :mod:`policy.market` (player ``k`` chooses
``x_k`` on ``[low_k, high_k]``; a member deviating to ``y``), let
``d_k = ∂u_k/∂y`` at ``y = x_k``. A profile satisfies the Karush–Kuhn–Tucker
conditions when, for each ``k``, either ``low_k < x_k < high_k`` and ``d_k = 0``
(interior), or ``x_k = low_k`` and ``d_k <= 0`` (a firm produces nothing, or
exits), or ``x_k = high_k`` and ``d_k >= 0`` (at capacity). :func:`kkt_cases`
solves every combination with sympy, exactly. Each profile found is then
*verified*: for every player, with the others fixed, the payoff as a function of
its own choice is maximised over the whole interval exactly
(:func:`best_response`: every critical point and endpoint of a polynomial
payoff; otherwise a polynomial second derivative proven non-positive, i.e.
concavity), and the profile's choice must reach that maximum. Populations of
identical firms are solved for their symmetric equilibria.

With a leader (Stackelberg), the followers' KKT cases are solved with the
leader's choice ``t`` free, giving their reaction on pieces of the leader's
interval; the leader's payoff along each piece is maximised exactly over the
piece, and the best of all pieces is the leader's choice
(:func:`stackelberg_equilibria`).

Examples
--------
>>> from policy.loader import load_spec
>>> result = find_market_equilibria(MarketGame.from_spec(load_spec("cournot_entry")))
>>> [str(eq.choices[0]) for eq in result.equilibria], result.equilibria[0].verified
(['9/4'], True)
>>> [str(p) for p in result.equilibria[0].payoffs]
['49/16']
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from typing import Mapping, Sequence

import sympy

from .errors import ModelError
from .limits import exceeded, limit, run_with_time_limit
from .market import MarketGame
from .market_numeric import RELATIVE_TOLERANCE, certify_best_response, find_roots

__all__ = ["CASES", "CaseSolution", "MarketEquilibrium", "MarketEquilibria", "Undecided",
           "kkt_cases", "supremum", "best_response", "find_market_equilibria", "equilibria_at",
           "stackelberg_equilibria"]

#: Where a choice can be: at its lower bound, inside its interval, at its upper bound.
CASES = ("low", "interior", "high")


class Undecided(Exception):
    """sympy cannot decide a maximum or a sign exactly."""


class _OutOfTime(Exception):
    pass


@dataclass(frozen=True)
class CaseSolution:
    """One solution of one KKT case: the choices and the relations that must hold."""

    case: tuple[str, ...]
    choices: tuple[sympy.Expr, ...]
    conditions: tuple[sympy.Basic, ...]


@dataclass(frozen=True)
class MarketEquilibrium:
    """One equilibrium: each player's choice (exact) and payoff, the KKT case, and
    whether it passed the exact best-response check (and how)."""

    choices: tuple[sympy.Expr, ...]
    payoffs: tuple[sympy.Expr, ...]
    case: tuple[str, ...]
    verified: bool
    verified_exactly: bool
    verification: str


@dataclass(frozen=True)
class MarketEquilibria:
    """The equilibria of a market game at ``values``, with how they were found."""

    game: MarketGame
    values: Mapping[str, sympy.Expr]
    equilibria: tuple[MarketEquilibrium, ...]
    method: str
    complete: bool
    notes: tuple[str, ...] = field(default=())

    def __repr__(self) -> str:
        return (f"MarketEquilibria({self.game.name!r}: {len(self.equilibria)} equilibria; "
                f"method {self.method})")


# -- the KKT case analysis (shared with the symbolic analysis) --------------------------------

class Deadline:
    """A processor-time deadline for sympy work; :meth:`run` raises :class:`_OutOfTime`."""

    def __init__(self, seconds: float | None = None) -> None:
        seconds = limit("analysis_milliseconds") / 1000 if seconds is None else seconds
        self.end = time.process_time() + seconds

    def run(self, work):
        remaining = self.end - time.process_time()
        if remaining <= 0:
            raise _OutOfTime
        return run_with_time_limit(work, remaining, _OutOfTime, processor_time=True)


def _case_options(high: sympy.Expr | None) -> tuple[str, ...]:
    return CASES if high is not None else CASES[:2]


def kkt_cases(derivatives: Sequence[sympy.Expr], xs: Sequence[sympy.Symbol],
              lows: Sequence[sympy.Expr], highs: Sequence[sympy.Expr | None],
              deadline: Deadline, notes: set[str]) -> list[CaseSolution]:
    """Every solution of every KKT case of ``derivatives`` (``d_k`` in the ``xs``).

    A case whose equations sympy cannot solve within the deadline, or whose
    solutions form a continuum, is left out and ``notes`` says so.

    >>> x = sympy.symbols("x0 x1", real=True)
    >>> d = [10 - 2*x[0] - x[1], 10 - x[0] - 2*x[1]]   # Cournot duopoly, a - c = 10
    >>> [s.choices for s in kkt_cases(d, x, [0, 0], [None, None], Deadline(5), set())
    ...  if s.case == ("interior", "interior")]
    [(10/3, 10/3)]
    """
    options = [_case_options(high) for high in highs]
    count = 1
    for option in options:
        count *= len(option)
    if count > limit("market_cases"):
        raise ModelError(f"{count} combinations of corner and interior choices to solve; at most "
                         f"{limit('market_cases')} are allowed ({exceeded('market_cases')})")
    solutions = []
    for case in itertools.product(*options):
        fixed = {}
        for k, where in enumerate(case):
            if where == "low":
                fixed[xs[k]] = _as_expr(lows[k])
            elif where == "high":
                fixed[xs[k]] = _as_expr(highs[k])
        free = [xs[k] for k, where in enumerate(case) if where == "interior"]
        equations = [_as_expr(derivatives[k]).xreplace(fixed)
                     for k, where in enumerate(case) if where == "interior"]
        if free:
            try:
                found = deadline.run(lambda: sympy.solve(equations, free, dict=True))
            except _OutOfTime:
                notes.add("some corner/interior cases could not be solved within the time "
                          "budget (POLICY_LIMIT_ANALYSIS_MILLISECONDS); the list may be incomplete")
                continue
            except (NotImplementedError, ValueError, TypeError):
                notes.add("sympy could not solve the first-order conditions of some cases; "
                          "the list may be incomplete")
                continue
        else:
            found = [{}]
        for solution in found:
            if any(x not in solution for x in free) or any(
                    value.free_symbols & set(free) for value in solution.values()):
                notes.add("some first-order conditions have a continuum of solutions; those "
                          "cases are not listed")
                continue
            profile = {**fixed, **solution}
            choices = tuple(profile[x] for x in xs)
            conditions = []
            for k, where in enumerate(case):
                slope = _as_expr(derivatives[k]).xreplace(profile)
                if where == "interior":
                    conditions.append(sympy.Gt(choices[k], lows[k], evaluate=False))
                    if highs[k] is not None:
                        conditions.append(sympy.Lt(choices[k], highs[k], evaluate=False))
                elif where == "low":
                    conditions.append(sympy.Le(slope, 0, evaluate=False))
                else:
                    conditions.append(sympy.Ge(slope, 0, evaluate=False))
            solutions.append(CaseSolution(case, choices, tuple(conditions)))
    return solutions


def decide(relation: sympy.Basic) -> bool | None:
    """Whether a relation between numbers holds, decided exactly (None: undecided).

    >>> decide(sympy.Le(sympy.sqrt(2), sympy.Rational(3, 2))), decide(sympy.Gt(1, 2))
    (True, False)
    """
    if relation in (sympy.true, sympy.false):
        return bool(relation)
    difference = relation.lhs - relation.rhs
    sign = (difference.is_positive, difference.is_zero, difference.is_negative)
    if sign == (None, None, None):
        try:
            difference = sympy.radsimp(sympy.simplify(difference))
        except (TypeError, ValueError, NotImplementedError):
            return None
        sign = (difference.is_positive, difference.is_zero, difference.is_negative)
    positive, zero, negative = sign
    if positive is None and zero is None and negative is None:
        return None
    kind = relation.rel_op
    if kind in (">", "<"):
        if zero:
            return False
        holds = positive if kind == ">" else negative
        return bool(holds) if holds is not None else None
    if kind in (">=", "<="):
        if zero:
            return True
        holds = positive if kind == ">=" else negative
        return bool(holds) if holds is not None else None
    return bool(zero) if zero is not None else None


# -- the exact best-response check -----------------------------------------------------------

def _larger(a: sympy.Expr, b: sympy.Expr) -> bool:
    holds = decide(sympy.Gt(a, b, evaluate=False))
    if holds is None:
        raise Undecided(f"cannot compare {a} and {b} exactly")
    return holds


def _as_expr(value) -> sympy.Expr:
    return sympy.Integer(value) if isinstance(value, int) else value


def _poly(expr: sympy.Expr, y: sympy.Symbol) -> sympy.Poly:
    if not expr.is_polynomial(y):
        raise Undecided(f"{expr} is not a rational function of the player's own choice")
    poly = sympy.Poly(expr, y)
    if any(not c.is_number for c in poly.all_coeffs()):
        raise Undecided("the payoff has coefficients that are not numbers")
    return poly


def _real_roots(poly: sympy.Poly, y: sympy.Symbol, low: sympy.Expr,
                high: sympy.Expr | None) -> list[sympy.Expr]:
    """The real roots of ``poly`` in ``[low, high]``, exactly."""
    if poly.degree() < 1:
        return []
    try:
        roots = poly.real_roots()
    except (NotImplementedError, sympy.PolynomialError, ValueError) as err:
        # algebraic coefficients (a choice such as 1 + 2*sqrt(5)/3 substituted): the
        # roots in radicals, for degrees up to 4, each decided real or not exactly
        if poly.degree() > 4:
            raise Undecided(f"cannot isolate the real roots of {poly.as_expr()}: {err}") from None
        roots = []
        for root in sympy.roots(poly, multiple=True):
            root = sympy.radsimp(sympy.expand(root))
            if root.is_real is None:
                raise Undecided(f"cannot tell whether the root {root} is real") from None
            if root.is_real:
                roots.append(root)
    return [r for r in roots if not _larger(low, r) and (high is None or not _larger(r, high))]


def supremum(f: sympy.Expr, y: sympy.Symbol, low: sympy.Expr,
             high: sympy.Expr | None) -> tuple[sympy.Expr, list[sympy.Expr]]:
    """The least upper bound of a rational function ``f`` of ``y`` on ``[low, high]``
    (``high`` None: unbounded above; ``oo`` if ``f`` grows without bound) and where it
    is reached (no point: approached as ``y`` grows, never reached), exactly: every
    real critical point in the interval, both ends, and the limit at infinity.

    Raises
    ------
    Undecided
        When ``f`` is not a ratio of polynomials in ``y`` with numeric coefficients,
        has a pole in the interval, or two values cannot be compared exactly.

    >>> y = sympy.Symbol("y")
    >>> supremum(-(y - 3)**2 + 1, y, 0, None), supremum(y**2, y, -1, 2)
    ((1, [3]), (4, [2]))
    >>> supremum(12*y/(1 + y) - y, y, 0, None)   # price 12/(1 + q), unit cost 1
    (13 - 4*sqrt(3), [-1 + 2*sqrt(3)])
    """
    low = _as_expr(low)
    high = None if high is None else _as_expr(high)
    numerator, denominator = sympy.fraction(sympy.cancel(sympy.together(sympy.expand(f))))
    top, bottom = _poly(numerator, y), _poly(denominator, y)
    if bottom.degree() >= 1 and _real_roots(bottom, y, low, high):
        raise Undecided(f"the payoff {f} has a pole in the interval")
    slope = top.diff(y) * bottom - top * bottom.diff(y)
    points = [low, *_real_roots(slope, y, low, high)] + ([high] if high is not None else [])
    values = [sympy.radsimp(sympy.expand(top.eval(point) / bottom.eval(point)))
              for point in points]
    limit = None
    if high is None:
        ratio = top.LC() / bottom.LC()
        if top.degree() > bottom.degree():
            if _larger(ratio, 0):
                return sympy.oo, []
        elif top.degree() == bottom.degree():
            limit = ratio
        else:
            limit = sympy.Integer(0)
    best = values[0]
    for value in values[1:]:
        if _larger(value, best):
            best = value
    if limit is not None and _larger(limit, best):
        return limit, []
    return best, [p for p, v in zip(points, values) if not _larger(best, v)]


def best_response(f: sympy.Expr, y: sympy.Symbol, low: sympy.Expr, high: sympy.Expr | None,
                  choice: sympy.Expr) -> tuple[bool | None, str]:
    """Whether ``choice`` maximises ``f`` (a payoff in the player's own choice ``y``,
    the others fixed) on ``[low, high]``, exactly; and how that was decided. None:
    undecided.

    >>> y = sympy.Symbol("y")
    >>> best_response(y*(9 - y), y, 0, None, sympy.Rational(9, 2))
    (True, 'global maximum over the interval (payoff a ratio of polynomials in the choice)')
    >>> best_response(y*(9 - y), y, 0, None, 4)[0]
    False
    """
    value = f.xreplace({y: choice})
    try:
        best, _ = supremum(f, y, low, high)
    except Undecided:
        pass
    else:
        if best is sympy.oo:
            return False, "the payoff grows without bound in the player's own choice"
        return (not _larger(best, value),
                "global maximum over the interval (payoff a ratio of polynomials in the choice)")
    try:  # concavity: the second derivative is a polynomial whose largest value is <= 0
        curvature, _ = supremum(sympy.diff(f, y, 2), y, low, high)
        slope = sympy.diff(f, y).xreplace({y: choice})
    except Undecided:
        return None, "not decided: the payoff is not a polynomial, nor provably concave"
    if curvature is sympy.oo or _larger(curvature, 0):
        return None, "not decided: the payoff is not concave on the interval"
    at_low = decide(sympy.Eq(choice, low))
    at_high = high is not None and decide(sympy.Eq(choice, high))
    if at_low:
        holds = decide(sympy.Le(slope, 0, evaluate=False))
    elif at_high:
        holds = decide(sympy.Ge(slope, 0, evaluate=False))
    else:
        holds = decide(sympy.Eq(slope, 0))
    return holds, "concave payoff and the first-order (KKT) condition holds"


# -- solving at given values ------------------------------------------------------------------

@dataclass(frozen=True)
class _Bound:
    """The game at values: each player's payoff in (own, profile), bounds."""

    payoffs: tuple[sympy.Expr, ...]  # in y (own) and xs
    lows: tuple[sympy.Expr, ...]
    highs: tuple[sympy.Expr | None, ...]
    xs: tuple[sympy.Symbol, ...]
    y: sympy.Symbol

    def slope(self, k: int) -> sympy.Expr:
        return sympy.diff(self.payoffs[k], self.y).xreplace({self.y: self.xs[k]})

    def own(self, k: int, profile: Sequence[sympy.Expr]) -> sympy.Expr:
        """Player k's payoff in its own choice y, the others at ``profile``."""
        return self.payoffs[k].xreplace({x: v for x, v in zip(self.xs, profile)})

    def payoff(self, k: int, profile: Sequence[sympy.Expr]) -> sympy.Expr:
        return sympy.radsimp(sympy.expand(self.own(k, profile).xreplace({self.y: profile[k]})))


def _bind(game: MarketGame, values: Mapping[str, sympy.Expr]) -> _Bound:
    game.counts_at(values)
    xs = tuple(sympy.Dummy(f"x{k}", real=True) for k in range(len(game.players)))
    y = sympy.Dummy("y", real=True)
    payoffs = tuple(game.at(values, game.payoff_of(k, y, xs)) for k in range(len(xs)))
    lows = tuple(game.at(values, p.variable.low) for p in game.spec.players)
    highs = tuple(None if p.variable.high is None else game.at(values, p.variable.high)
                  for p in game.spec.players)
    return _Bound(payoffs, lows, highs, xs, y)


def _certify(bound: _Bound, k: int, profile: Sequence[sympy.Expr]):
    """The interval-arithmetic certificate of player k's choice at ``profile``, with a
    processor-time budget of its own (POLICY_LIMIT_ANALYSIS_MILLISECONDS)."""
    end = time.process_time() + limit("analysis_milliseconds") / 1000
    try:
        return Deadline().run(lambda: certify_best_response(
            bound.own(k, profile), bound.y, bound.lows[k], bound.highs[k], profile[k], end))
    except _OutOfTime:
        return None


def _verify(bound: _Bound, profile: Sequence[sympy.Expr],
            players: Sequence[int], deadline: Deadline | None = None) -> tuple[bool, bool, str]:
    """(verified, decided exactly for every player, how) for ``players`` at ``profile``,
    within the deadline (a check cut short is not a verification). A player whose exact
    check is undecided or out of time gets the interval-arithmetic certificate of
    :mod:`policy.market_numeric` instead."""
    hows = []
    numeric = []
    deadline = deadline or Deadline()
    for k in players:
        if not any(v.has(sympy.Float) for v in profile):
            try:
                holds, how = deadline.run(lambda k=k: best_response(
                    bound.own(k, profile), bound.y, bound.lows[k], bound.highs[k], profile[k]))
            except _OutOfTime:
                holds, how = None, ("not decided: the best-response check did not finish "
                                    "within the time budget (POLICY_LIMIT_ANALYSIS_MILLISECONDS)")
        else:
            holds, how = None, "not decided exactly: the choices are decimal numbers"
        if holds is None:
            certificate = _certify(bound, k, profile)
            if certificate is None or certificate.holds is None:
                return False, False, how
            if not certificate.holds:
                return False, False, f"player {k + 1} gains by deviating ({certificate.how})"
            numeric.append(certificate.tolerance)
            continue
        if not holds:
            return False, True, f"player {k + 1} gains by deviating"
        hows.append(how)
    if numeric:
        exact = f"; exactly for the others: {'; '.join(sorted(set(hows)))}" if hows else ""
        return True, False, (f"verified numerically (interval arithmetic over each player's "
                             f"whole interval, within {RELATIVE_TOLERANCE:g} relative: no "
                             f"deviation gains more than {max(numeric):.1e}){exact}")
    return True, True, "; ".join(sorted(set(hows)))


def find_market_equilibria(game: MarketGame, values: Mapping[str, object] | None = None
                           ) -> MarketEquilibria:
    """Every equilibrium of ``game`` at its values updated with ``values`` (symmetric
    within each population), each verified by the exact best-response check; with a
    leader, the subgame-perfect (Stackelberg) outcome.

    Raises
    ------
    ModelError
        When a value breaks the game (a count that is not a whole number, …).
    """
    return equilibria_at(game, game.values_with(values))


def equilibria_at(game: MarketGame, current: Mapping[str, sympy.Expr]) -> MarketEquilibria:
    """:func:`find_market_equilibria` at ``current``: exact values of every parameter
    and control (numbers, not texts)."""
    problem = game.value_problem(current)
    if problem:
        raise ModelError(f"{game.name}: {problem}")
    if game.leader_index is not None:
        return stackelberg_equilibria(game, current)
    bound = _bind(game, current)
    notes: set[str] = set()
    deadline = Deadline()
    solutions = kkt_cases([bound.slope(k) for k in range(len(bound.xs))], bound.xs, bound.lows,
                          bound.highs, deadline, notes)
    equilibria = _equilibria_of(bound, solutions, range(len(bound.xs)), notes, deadline)
    method = "kkt"
    if any("could not be solved" in n or "could not solve" in n for n in notes):
        method = "kkt, then numeric (findroot) with interval certificates"
        equilibria += _numeric_equilibria(bound, equilibria, notes)
    if any(p.is_population for p in game.spec.players):
        notes.add("within each population, only symmetric equilibria (every member choosing "
                  "the same) are computed")
    return MarketEquilibria(game, current, tuple(equilibria), method,
                            complete=not any("incomplete" in n for n in notes),
                            notes=tuple(sorted(notes)))


def _starts(low: sympy.Expr, high: sympy.Expr | None) -> list[float]:
    """Deterministic starting points inside ``[low, high]`` for Newton's method."""
    start = float(low)
    if high is None:
        scale = max(1.0, abs(start))
        return [start + scale * s for s in (0.5, 2.0, 8.0, 0.1, 32.0)]
    width = float(high) - start
    return [start + width * s for s in (0.5, 0.1, 0.9, 0.01, 0.3)]


def _numeric_equilibria(bound: _Bound, exact: Sequence[MarketEquilibrium],
                        notes: set[str]) -> list[MarketEquilibrium]:
    """Equilibria found numerically where the exact KKT cases were not all solved: the
    first-order conditions of every case solved with Newton's method from
    deterministic starting points, each candidate rounded to 15 digits and kept only
    when every player's choice passes the interval-arithmetic certificate
    (:func:`policy.market_numeric.certify_best_response`). Never complete."""
    end = time.process_time() + limit("analysis_milliseconds") / 1000
    count = len(bound.xs)
    derivatives = [bound.slope(k) for k in range(count)]
    candidates: list[tuple[tuple[str, ...], tuple[sympy.Expr, ...]]] = []
    for case in itertools.product(*[_case_options(high) for high in bound.highs]):
        if time.process_time() > end:
            break
        fixed = {bound.xs[k]: _as_expr(bound.lows[k] if where == "low" else bound.highs[k])
                 for k, where in enumerate(case) if where != "interior"}
        free = [k for k, where in enumerate(case) if where == "interior"]
        if not free:
            candidates.append((case, tuple(fixed[x] for x in bound.xs)))
            continue
        starts = list(zip(*[_starts(bound.lows[k], bound.highs[k]) for k in free]))
        equations = [derivatives[k].xreplace(fixed) for k in free]
        try:
            roots = Deadline(max(end - time.process_time(), 0.001)).run(
                lambda: find_roots(equations, [bound.xs[k] for k in free], starts, end))
        except _OutOfTime:
            break
        for root in roots:
            values = dict(fixed)
            values.update({bound.xs[k]: sympy.Float(r, 15) for k, r in zip(free, root)})
            candidates.append((case, tuple(values[x] for x in bound.xs)))
    found: list[MarketEquilibrium] = []
    seen = [tuple(float(c) for c in eq.choices) for eq in exact]
    for case, choices in candidates:
        numbers = tuple(float(c) for c in choices)
        if any(float(c) < float(low) or (high is not None and float(c) > float(high))
               for c, low, high in zip(choices, bound.lows, bound.highs)):
            continue
        if any(all(abs(a - b) <= 1e-9 * max(1.0, abs(a)) for a, b in zip(numbers, other))
               for other in seen):
            continue
        seen.append(numbers)
        verified, _, how = _verify(bound, choices, range(count))
        if not verified:
            if "gains by deviating" not in how:
                notes.add("a numeric candidate could not be certified within the time budget; "
                          "it is not listed (the list may be incomplete)")
            continue
        payoffs = tuple(sympy.Float(bound.payoff(k, choices), 15) for k in range(count))
        found.append(MarketEquilibrium(choices, payoffs, case, True, False, how))
    notes.add("equilibria found numerically (Newton's method from a few starting points per "
              "case) are certified one by one but the list may be incomplete")
    return found


def _simplest(value: sympy.Expr) -> sympy.Expr:
    """An exact choice in its simplest radical form (nested square roots denested:
    ``sqrt(30*sqrt(3) + 52)`` is ``5 + 3*sqrt(3)``), so that the exact checks that
    follow compare and maximise small numbers.

    >>> _simplest(-13 + (-15*sympy.sqrt(3) + 10*sympy.sqrt(30*sympy.sqrt(3) + 52))/2)
    12 + 15*sqrt(3)/2
    """
    value = sympy.radsimp(sympy.expand(value))
    if value.has(sympy.Pow):
        value = sympy.radsimp(sympy.expand(sympy.sqrtdenest(value)))
    return value


def _equilibria_of(bound: _Bound, solutions: Sequence[CaseSolution], players: Sequence[int],
                   notes: set[str], deadline: Deadline) -> list[MarketEquilibrium]:
    found: list[MarketEquilibrium] = []
    seen: list[tuple[sympy.Expr, ...]] = []
    for solution in solutions:
        if not all(choice.is_real is not False for choice in solution.choices):
            continue
        holds = [decide(relation) for relation in solution.conditions]
        if False in holds:
            continue
        if None in holds:
            notes.add("a candidate's conditions could not be decided exactly; it is not listed "
                      "(the list may be incomplete)")
            continue
        choices = tuple(_simplest(c) for c in solution.choices)
        if any(all(decide(sympy.Eq(a, b)) for a, b in zip(choices, other)) for other in seen):
            continue
        seen.append(choices)
        verified, exactly, how = _verify(bound, choices, players, deadline)
        payoffs = tuple(bound.payoff(k, choices) for k in range(len(choices)))
        found.append(MarketEquilibrium(choices, payoffs, solution.case, verified, exactly, how))
    return found


# -- Stackelberg ------------------------------------------------------------------------------

def _region(conditions: Sequence[sympy.Basic], t: sympy.Symbol, low: sympy.Expr,
            high: sympy.Expr | None) -> sympy.Set:
    """The leader's choices in ``[low, high]`` where every condition holds."""
    region: sympy.Set = sympy.Interval(low, sympy.oo if high is None else high)
    for relation in conditions:
        if not relation.free_symbols:
            if decide(relation) is False:
                return sympy.EmptySet
            continue
        try:
            part = sympy.solve_univariate_inequality(relation, t, relational=False,
                                                     domain=sympy.S.Reals)
        except (NotImplementedError, ValueError, TypeError) as err:
            raise Undecided(f"cannot solve {relation} for the leader's choice: {err}") from None
        region = region.intersect(part)
    return region


def _pieces(region: sympy.Set) -> list[sympy.Interval]:
    if region is sympy.EmptySet:
        return []
    if isinstance(region, sympy.Union):
        return [piece for arg in region.args for piece in _pieces(arg)]
    if isinstance(region, sympy.FiniteSet):
        return [sympy.Interval(point, point) for point in region]
    if isinstance(region, sympy.Interval):
        return [region]
    raise Undecided(f"cannot read the region {region}")


def stackelberg_equilibria(game: MarketGame, values: Mapping[str, sympy.Expr]
                           ) -> MarketEquilibria:
    """The subgame-perfect outcome with ``game``'s leader moving first, at ``values``
    (the values of every parameter and control)."""
    bound = _bind(game, values)
    leader = game.leader_index
    followers = [k for k in range(len(bound.xs)) if k != leader]
    t = bound.xs[leader]
    notes: set[str] = {"the leader chooses first and the followers see its choice "
                       "(Stackelberg); followers reply with an equilibrium of their own game"}
    deadline = Deadline()
    solutions = kkt_cases([bound.slope(k) for k in followers], [bound.xs[k] for k in followers],
                          [bound.lows[k] for k in followers], [bound.highs[k] for k in followers],
                          deadline, notes)
    best = None
    candidates: list[tuple[sympy.Expr, tuple[sympy.Expr, ...], tuple[str, ...]]] = []
    exact = True
    for solution in solutions:
        reaction = dict(zip([bound.xs[k] for k in followers], solution.choices))
        profile = tuple(t if k == leader else reaction[bound.xs[k]] for k in range(len(bound.xs)))
        value = sympy.expand(bound.own(leader, profile).xreplace({bound.y: t}))
        try:
            pieces = deadline.run(lambda: _pieces(_region(solution.conditions, t,
                                                          bound.lows[leader], bound.highs[leader])))
            for piece in pieces:
                high = None if piece.end is sympy.oo else piece.end
                top, points = deadline.run(lambda: supremum(value, t, piece.start, high))
                if top is sympy.oo:
                    raise ModelError(f"{game.name}: the leader's payoff grows without bound")
                if best is None or _larger(top, best):
                    best, candidates = top, []
                if not _larger(best, top):
                    case = tuple("leader" if k == leader else solution.case[followers.index(k)]
                                 for k in range(len(bound.xs)))
                    candidates += [(point, profile, case) for point in points]
        except (Undecided, _OutOfTime) as err:
            exact = False
            notes.add("a piece of the leader's problem was not solved exactly ("
                      + (str(err) or "out of time: POLICY_LIMIT_ANALYSIS_MILLISECONDS")
                      + "); the answer may be incomplete")
    equilibria: list[MarketEquilibrium] = []
    seen: list[tuple[sympy.Expr, ...]] = []
    for point, profile, case in candidates:
        choices = tuple(sympy.radsimp(sympy.expand(c.xreplace({t: point}))) for c in profile)
        if any(all(decide(sympy.Eq(a, b)) for a, b in zip(choices, other)) for other in seen):
            continue
        seen.append(choices)
        verified, exactly, how = _verify(bound, choices, followers, deadline)
        how = ("leader: global maximum of its payoff along the followers' reaction; "
               f"followers: {how}")
        payoffs = tuple(bound.payoff(k, choices) for k in range(len(choices)))
        equilibria.append(MarketEquilibrium(choices, payoffs, case, verified and exact,
                                            exactly and exact, how))
    return MarketEquilibria(game, values, tuple(equilibria), "stackelberg",
                            complete=exact and not any("incomplete" in n for n in notes),
                            notes=tuple(sorted(notes)))

"""SymbolicGame → conditions, closed forms and thresholds, in sympy.

Notation: ``u_i(s)`` is player i's payoff at pure profile ``s`` (a sympy
expression in parameters and controls); ``(d, s_-i)`` is ``s`` with player i
switched to strategy ``d``.

* **Conditions.** A pure profile ``s`` is a Nash equilibrium exactly when
  ``u_i(s) - u_i(d, s_-i) >= 0`` for every player i and deviation d. Each
  inequality is simplified and classified under the game's *domain*: declared
  ``range``s, ``positive`` flags, control ``bounds`` and the ``assumptions:``
  list. When an inequality and the domain are linear, the classification is
  exact (a rational simplex, :mod:`policy.rational_lp`): ``always`` (it holds on the whole domain),
  ``never`` (it fails everywhere), or it is kept; kept inequalities implied by
  the others are dropped as redundant. Non-linear ones are classified by sympy's
  sign reasoning where it can, and otherwise kept as they are.
* **Mixed equilibria** (two players). For every pair of supports of equal size
  ≥ 2 the indifference equations are solved symbolically; the result lists each
  player's probabilities and payoff as expressions and the conditions under which
  they form an equilibrium (probabilities in [0, 1], no profitable deviation
  outside the support).
* **Thresholds.** For each kept condition and each parameter or control in it,
  the critical value at which the condition switches, as an expression and as a
  number at the current values.
* **Leader commitment** (leader with two strategies, one follower): the
  commitment that makes the follower just indifferent, as an expression, with its
  validity conditions, matched to the numeric optimum at the current values.

Examples
--------
>>> import policy
>>> result = analyze(policy.load("inspection"))
>>> [(c.status, [str(r) for r in c.holds_when]) for c in result.conditions][:2]
[('conditional', ['c <= 0']), ('never', [])]
>>> mixed = result.mixed[0]
>>> mixed.strategies["regulator"]["inspect"]
(g - subsidy)/(f + g)
"""

from __future__ import annotations

import itertools
import math
import time
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Mapping, Sequence

import numpy as np
import sympy

from .limits import limit, run_with_time_limit
from .rational_lp import INFEASIBLE, UNBOUNDED, maximize
from .support_enumeration import support_payoff
from .symbolic import SymbolicGame

__all__ = [
    "ProfileCondition",
    "MixedEquilibrium",
    "Threshold",
    "CommitmentFormula",
    "Analysis",
    "analyze",
    "domain_of",
    "relation_text",
]

#: Expressions with more operations than this are not simplified further (kept correct
#: but unsimplified, and the analysis says so).
MAX_SIMPLIFY_OPS = 400

THRESHOLDS_CUT = "some thresholds were not derived within the analysis time budget"
MIXED_CUT = "some mixed equilibria were not derived within the analysis time budget"
MIXED_TOO_LARGE = ("mixed equilibria on supports with payoffs too large to multiply out were not "
                   "derived")
N_PLAYER_MIXED_OPEN = ("with three or more players, closed forms are derived on the supports of "
                       "the mixed equilibria at the current values; sympy found none for some")
COMMITMENT_CUT = "the commitment formula was not derived within the analysis time budget"
UNSIMPLIFIED = ("some expressions were too large to simplify within the budget and are "
                "shown unsimplified (still exact)")


@dataclass(frozen=True)
class ProfileCondition:
    """When a pure profile is a Nash equilibrium.

    ``status`` is ``always``, ``never`` or ``conditional``; ``holds_when`` lists
    the non-redundant inequalities (each ``expression >= 0`` as a sympy relation).
    """

    profile: dict[str, str]
    status: str
    holds_when: tuple[sympy.Basic, ...]
    at_current: bool


@dataclass(frozen=True)
class MixedEquilibrium:
    """A closed-form mixed equilibrium on given supports, with validity conditions."""

    support: dict[str, tuple[str, ...]]
    strategies: dict[str, dict[str, sympy.Expr]]
    payoffs: dict[str, sympy.Expr]
    valid_when: tuple[sympy.Basic, ...]
    status: str
    at_current: bool


@dataclass(frozen=True)
class Threshold:
    """A critical value of one parameter or control for one condition."""

    profile: dict[str, str]
    condition: sympy.Basic
    parameter: str
    value: sympy.Expr
    at_current: sympy.Expr | None


@dataclass(frozen=True)
class CommitmentFormula:
    """The leader's commitment that makes the follower just indifferent."""

    leader: str
    strategy: str
    probability: sympy.Expr
    followers: dict[str, str]
    valid_when: tuple[sympy.Basic, ...]
    at_current: sympy.Expr | None


@dataclass(frozen=True)
class Analysis:
    game: str
    conditions: tuple[ProfileCondition, ...]
    mixed: tuple[MixedEquilibrium, ...]
    thresholds: tuple[Threshold, ...]
    commitment: tuple[CommitmentFormula, ...]
    domain: tuple[sympy.Basic, ...]
    values: dict[str, sympy.Expr]
    notes: tuple[str, ...] = ()
    seconds: float = field(default=0.0, compare=False)


# --------------------------------------------------------------------------------------
# the domain: what we know about the symbols
# --------------------------------------------------------------------------------------

def domain_of(game: SymbolicGame) -> tuple[sympy.Basic, ...]:
    """Known relations: ranges, positivity, control bounds and the file's assumptions."""
    relations: list[sympy.Basic] = []
    for parameter in game.spec.parameters:
        symbol = game.symbols[parameter.name]
        if parameter.positive:
            relations.append(sympy.Gt(symbol, 0))
        if parameter.range:
            relations += [sympy.Ge(symbol, parameter.range[0]), sympy.Le(symbol, parameter.range[1])]
    for control in game.spec.controls:
        symbol = game.symbols[control.name]
        if control.bounds:
            relations += [sympy.Ge(symbol, control.bounds[0]), sympy.Le(symbol, control.bounds[1])]
    relations += [r for r in game.spec.assumptions if isinstance(r, sympy.core.relational.Relational)]
    return tuple(r for r in relations if r is not sympy.true)


def _as_constraint(relation: sympy.Basic) -> tuple[sympy.Expr, bool] | None:
    """A relation as ``(g, strict)`` meaning ``g >= 0`` (or ``g > 0``); None if unusable."""
    if _too_large(relation):
        return None
    if isinstance(relation, (sympy.Gt, sympy.Ge)):
        return sympy.expand(relation.lhs - relation.rhs), isinstance(relation, sympy.Gt)
    if isinstance(relation, (sympy.Lt, sympy.Le)):
        return sympy.expand(relation.rhs - relation.lhs), isinstance(relation, sympy.Lt)
    return None


def _is_linear(expr: sympy.Expr, symbols=None) -> bool:
    symbols = sorted(expr.free_symbols, key=str) if symbols is None else symbols
    if not symbols:
        return True
    try:
        return sympy.Poly(expr, *symbols).total_degree() <= 1
    except sympy.PolynomialError:
        return False


def _linear_coefficients(expr: sympy.Expr, symbols) -> list[Fraction] | None:
    """The slopes of linear ``expr`` in ``symbols`` and its constant, as Fractions
    (None when a coefficient is not rational, e.g. ``sqrt(2)*a``).

    >>> a, b = sympy.symbols("a b")
    >>> _linear_coefficients(2*a - b/3 + 1, [a, b])
    [Fraction(2, 1), Fraction(-1, 3), Fraction(1, 1)]
    """
    terms = dict(sympy.Poly(expr, *symbols).terms())
    units = [tuple(int(k == j) for k in range(len(symbols))) for j in range(len(symbols))]
    values = [terms.get(unit, sympy.Integer(0)) for unit in units]
    values.append(terms.get((0,) * len(symbols), sympy.Integer(0)))
    if not all(v.is_Rational for v in values):
        return None
    return [Fraction(int(v.p), int(v.q)) for v in values]


class _Decider:
    """Decides questions about ``g >= 0`` / ``g > 0`` systems on the game's domain.

    Every question is one exact feasibility test (:func:`policy.rational_lp.maximize`) of a
    linear system with strict and non-strict inequalities: maximise a slack ``t``
    (at most 1) with every strict ``g > 0`` written ``g >= t``; the system is
    feasible exactly when the maximum is positive. Non-linear pieces make a
    question undecided (``None``), never wrongly decided.
    """

    def __init__(self, domain: Sequence[sympy.Basic], positive: Sequence[sympy.Symbol] = ()) -> None:
        pieces = [_as_constraint(r) for r in domain]
        # sympy folds "b > 0" to True for a positive symbol, so positivity is passed apart
        pieces += [(symbol, True) for symbol in positive]
        self.domain = [p for p in pieces if p is not None and _is_linear(p[0])]
        self.ignored = len(pieces) - len(self.domain)
        self._memo: dict[tuple, bool | None] = {}
        self._box = _box_of(self.domain)

    def feasible(self, constraints: Sequence[tuple[sympy.Expr, bool]]) -> bool | None:
        key = tuple(sorted((sympy.srepr(g), strict) for g, strict in constraints))
        if key not in self._memo:
            self._memo[key] = self._feasible(constraints)
        return self._memo[key]

    def _feasible(self, constraints: Sequence[tuple[sympy.Expr, bool]]) -> bool | None:
        if self._box is not None and len(constraints) == 1 and _is_linear(constraints[0][0]):
            # one linear constraint on a box: its supremum decides it exactly, without an LP
            return _feasible_on_box(*constraints[0], self._box)
        system = list(self.domain) + list(constraints)
        if not all(_is_linear(g) for g, _ in system):
            return None
        if any(g.is_number and (g < 0 or (strict and g <= 0)) for g, strict in system):
            return False
        system = [(g, strict) for g, strict in system if not g.is_number]
        if not system:
            return True
        # maximise t  s.t.  -g + t <= 0 (strict) / -g <= 0, t <= 1;  variables free
        symbols = sorted(set().union(*(g.free_symbols for g, _ in system)), key=str)
        rows, bounds = [], []
        for g, strict in system:
            coefficients = _linear_coefficients(g, symbols)
            if coefficients is None:
                return None
            *slopes, constant = coefficients
            rows.append([-v for v in slopes] + [1 if strict else 0])
            bounds.append(constant)
        rows.append([0] * len(symbols) + [1])
        bounds.append(1)
        optimum = maximize([0] * len(symbols) + [1], rows, bounds)
        if optimum.status == INFEASIBLE:
            return False
        return optimum.status == UNBOUNDED or optimum.value > 0

    def sign(self, expr: sympy.Expr) -> int:
        """+1 or -1 when ``expr`` has that strict sign on the whole domain, else 0."""
        if expr.is_positive:
            return 1
        if expr.is_negative:
            return -1
        if self.feasible([(-expr, False)]) is False:
            return 1
        if self.feasible([(expr, False)]) is False:
            return -1
        return 0

    def _numerator(self, expr: sympy.Expr) -> tuple[sympy.Expr, int]:
        numerator, denominator = sympy.fraction(sympy.together(expr))
        if denominator.is_number:
            return sympy.expand(numerator / denominator), 1
        return sympy.expand(numerator), self.sign(sympy.expand(denominator))

    def classify(self, expr: sympy.Expr) -> str:
        """``always``, ``never`` or ``conditional`` for ``expr >= 0`` on the domain."""
        if expr.is_number:
            return "always" if expr >= 0 else "never"
        if _too_large(expr):
            return "conditional"
        numerator, sign = self._numerator(expr)
        if sign == 0:
            return "never" if self.jointly_impossible([expr]) else "conditional"
        target = numerator * sign
        if self.feasible([(-target, True)]) is False:
            return "always"
        if self.feasible([(target, False)]) is False:
            return "never"
        return "conditional"

    def implied(self, expr: sympy.Expr, others: Sequence[sympy.Expr]) -> bool:
        """Whether ``expr >= 0`` follows from ``others >= 0`` on the domain."""
        if any(_too_large(e) for e in (expr, *others)):
            return False
        numerator, sign = self._numerator(expr)
        pieces = [self._numerator(o) for o in others]
        if sign == 0 or any(s == 0 for _, s in pieces):
            return False
        return self.feasible([(n * s, False) for n, s in pieces]
                             + [(-numerator * sign, True)]) is False

    def jointly_impossible(self, expressions: Sequence[sympy.Expr]) -> bool:
        """Whether ``e >= 0`` for every expression is impossible on the domain.

        Rational expressions are split by the sign of their denominators, each case
        decided exactly.
        """
        if any(_too_large(e) for e in expressions):
            return False
        pieces = [sympy.fraction(sympy.together(e)) for e in expressions]
        denominators = sorted({sympy.expand(d) for _, d in pieces if not d.is_number}, key=str)
        if len(denominators) > 3:
            return False
        for signs in itertools.product((1, -1), repeat=len(denominators)):
            sign_of = dict(zip(denominators, signs))
            case = [(sign * d, True) for sign, d in zip(signs, denominators)]
            for numerator, denominator in pieces:
                factor = (sign_of[sympy.expand(denominator)] if not denominator.is_number
                          else (1 if denominator > 0 else -1))
                case.append((sympy.expand(numerator) * factor, False))
            if self.feasible(case) is not False:
                return False
        return True


@dataclass(frozen=True)
class _Bound:
    """One end of a symbol's interval: ``value`` (None: unbounded) and whether it is attained."""

    value: sympy.Rational | None
    closed: bool


def _box_of(domain: Sequence[tuple[sympy.Expr, bool]]) -> dict[sympy.Symbol, list[_Bound]] | None:
    """The domain as ``{symbol: [lower, upper]}`` when every piece bounds one symbol
    (and the box is not empty); None otherwise."""
    box: dict[sympy.Symbol, list[_Bound]] = {}
    for g, strict in domain:
        if g.is_number:
            if g < 0 or (strict and g <= 0):
                return None
            continue
        if len(g.free_symbols) != 1:
            return None
        (symbol,) = g.free_symbols
        slope = g.coeff(symbol)
        end = -g.subs(symbol, 0) / slope  # g >= 0  <=>  symbol >= end (slope > 0) or <= end
        lower, upper = box.setdefault(symbol, [_Bound(None, False), _Bound(None, False)])
        if slope > 0:
            if lower.value is None or end > lower.value or (end == lower.value and strict):
                box[symbol][0] = _Bound(end, not strict)
        elif upper.value is None or end < upper.value or (end == upper.value and strict):
            box[symbol][1] = _Bound(end, not strict)
    for lower, upper in box.values():
        if lower.value is not None and upper.value is not None and (
                lower.value > upper.value
                or (lower.value == upper.value and not (lower.closed and upper.closed))):
            return None
    return box


def _feasible_on_box(g: sympy.Expr, strict: bool, box: Mapping[sympy.Symbol, list[_Bound]]) -> bool:
    """Whether linear ``g >= 0`` (``g > 0`` when strict) holds somewhere in the box."""
    supremum = g.subs({symbol: 0 for symbol in g.free_symbols})
    attained = True
    for symbol in g.free_symbols:
        slope = g.coeff(symbol)
        lower, upper = box.get(symbol, (_Bound(None, False), _Bound(None, False)))
        end = upper if slope > 0 else lower
        if end.value is None:
            return True
        supremum += slope * end.value
        attained = attained and end.closed
    return bool(supremum > 0 or (supremum == 0 and attained and not strict))


def expanded_terms(expr: sympy.Basic) -> int:
    """An upper estimate of the terms of ``expr`` once multiplied out.

    Sums add, products multiply and ``base**k`` (whole ``k > 0``) gives
    ``C(terms + k - 1, k)``, the number of monomials of degree ``k``; anything else
    counts its pieces as atoms. Computed without expanding anything.

    >>> a, b, c = sympy.symbols("a b c")
    >>> expanded_terms((a + b + c)**2), expanded_terms((a + b)*(a + c) + 1)
    (6, 5)
    """
    if isinstance(expr, sympy.Add):
        return sum(expanded_terms(arg) for arg in expr.args)
    if isinstance(expr, sympy.Mul):
        return math.prod(expanded_terms(arg) for arg in expr.args)
    if isinstance(expr, sympy.Pow):
        base, exponent = expr.args
        terms = expanded_terms(base)
        if exponent.is_Integer:
            k = abs(int(exponent))
            return math.comb(terms + k - 1, k) if terms > 1 else 1
        return terms
    if isinstance(expr, sympy.core.relational.Relational):
        return expanded_terms(expr.lhs) + expanded_terms(expr.rhs)
    return 1


class OutOfTime(Exception):
    """The analysis time budget ran out during a piece of sympy work."""


@dataclass
class Budget:
    """A deadline in processor time for sympy work, and the notes of what was cut short.

    Processor time (not wall-clock time), so that what is derived does not depend on
    how busy the machine is. :meth:`attempt` runs one piece of work; when the
    deadline has passed (or passes during it, interrupted by ``SIGPROF`` in the main
    thread) it returns the fallback instead. Outside the main thread the work cannot
    be interrupted, so only the check before each piece applies.
    """

    deadline: float
    notes: set[str] = field(default_factory=set)

    @classmethod
    def starting_now(cls, notes: set[str], seconds: float | None = None) -> "Budget":
        seconds = limit("analysis_milliseconds") / 1000 if seconds is None else seconds
        return cls(time.process_time() + seconds, notes)

    def attempt(self, work, fallback, note: str = UNSIMPLIFIED):
        remaining = self.deadline - time.process_time()
        if remaining <= 0:
            self.notes.add(note)
            return fallback()
        try:
            return run_with_time_limit(work, remaining, OutOfTime, processor_time=True)
        except OutOfTime:
            self.notes.add(note)
            return fallback()


def _too_large(expr: sympy.Basic) -> bool:
    return expanded_terms(expr) > limit("expanded_terms")


def _simplify(expr: sympy.Expr, notes: set[str], budget: Budget | None = None) -> sympy.Expr:
    if _too_large(expr) or sympy.count_ops(expr) > MAX_SIMPLIFY_OPS:
        notes.add(UNSIMPLIFIED)
        return expr

    def work():
        if expr.is_polynomial() and _is_linear(expr):
            return sympy.expand(expr)  # nothing to cancel or factor
        result = sympy.cancel(sympy.together(expr))
        factored = sympy.factor(result)
        return factored if sympy.count_ops(factored) < sympy.count_ops(result) else result

    return work() if budget is None else budget.attempt(work, lambda: expr)


def relation_text(expr: sympy.Expr, sign_of=None) -> sympy.Basic:
    """``expr >= 0`` written readably: positive terms left, negative terms right.

    ``sign_of`` (optional) tells the sign of a denominator on the domain (+1, -1 or
    0), so that ``(g - s)/(f + g) >= 0`` can be written ``g >= s`` when ``f + g > 0``.

    >>> a, b = sympy.symbols("a b", real=True)
    >>> relation_text(a - b - 2)
    a >= b + 2
    """
    if _too_large(expr):
        return sympy.Ge(expr, 0, evaluate=False)
    numerator, denominator = sympy.fraction(sympy.together(expr))
    sign = 1 if denominator.is_positive else -1 if denominator.is_negative else 0
    if sign == 0 and sign_of is not None:
        sign = sign_of(sympy.expand(denominator))
    if sign == 0:
        return sympy.Ge(sympy.together(expr), 0, evaluate=False)
    expr = sympy.expand(numerator * sign)
    terms = sympy.Add.make_args(expr)
    left = [t for t in terms if not t.could_extract_minus_sign()]
    right = [-t for t in terms if t.could_extract_minus_sign()]
    if not left:
        return sympy.Le(sympy.Add(*right), 0, evaluate=False)
    return sympy.Ge(sympy.Add(*left), sympy.Add(*right), evaluate=False)


# --------------------------------------------------------------------------------------
# pure profiles
# --------------------------------------------------------------------------------------

def _payoff_table(game: SymbolicGame):
    shape = game.shape
    table = {}
    for profile, row in zip(itertools.product(*(range(k) for k in shape)), game.spec.payoffs):
        table[profile] = row
    return table


def _pure_conditions(game, table, decider, values, notes, budget: Budget):
    conditions = []
    for profile in table:
        inequalities = []
        status = "always"
        for i in range(len(profile)):
            for d in range(game.shape[i]):
                if d == profile[i]:
                    continue
                away = profile[:i] + (d,) + profile[i + 1:]
                difference = _simplify(table[profile][i] - table[away][i], notes, budget)
                verdict = budget.attempt(lambda: decider.classify(difference), lambda: "conditional")
                if verdict == "never":
                    status = "never"
                elif verdict == "conditional":
                    inequalities.append(difference)
        if status != "never" and inequalities:
            status = "conditional"
        kept: list[sympy.Expr] = []
        if status == "conditional":
            unique = list(dict.fromkeys(inequalities))
            for k, expr in enumerate(unique):
                others = kept + unique[k + 1:]
                if not budget.attempt(lambda: decider.implied(expr, others), lambda: False):
                    kept.append(expr)
            if not kept:
                status = "always"
            elif budget.attempt(lambda: decider.jointly_impossible(kept), lambda: False):
                status, kept = "never", []
        names = {p: game.strategies[i][profile[i]] for i, p in enumerate(game.players)}
        holds_now = all(_holds_at(table[profile][i] - table[profile[:i] + (d,) + profile[i + 1:]][i],
                                  values)
                        for i in range(len(profile)) for d in range(game.shape[i]))
        conditions.append(ProfileCondition(names, status, tuple(_relation(e, decider, budget) for e in kept),
                                           holds_now))
    return conditions


def _relation(expr: sympy.Expr, decider: _Decider, budget: Budget) -> sympy.Basic:
    """:func:`relation_text` within the budget (else ``expr >= 0`` as it is)."""
    return budget.attempt(lambda: relation_text(expr, decider.sign),
                          lambda: sympy.Ge(expr, 0, evaluate=False))


def _evaluate(expr: sympy.Expr, values: Mapping[sympy.Symbol, sympy.Expr]) -> sympy.Expr:
    return sympy.nsimplify(expr.xreplace(values)) if expr.free_symbols else expr


def _holds_at(expr: sympy.Expr, values: Mapping[sympy.Symbol, sympy.Expr], strict: bool = False) -> bool:
    """Whether ``expr >= 0`` (``> 0``) at ``values``; False where ``expr`` is undefined
    there (a closed form whose denominator vanishes does not describe that point)."""
    value = _evaluate(expr, values)
    if not (value.is_number and value.is_extended_real and value.is_finite):
        return False
    return bool(value > 0 if strict else value >= 0)


# --------------------------------------------------------------------------------------
# closed-form mixed equilibria
# --------------------------------------------------------------------------------------

def _solve_indifference(matrix_rows, size):
    """Probabilities p (len size) and value v with rows·p = v and Σp = 1."""
    p = sympy.symbols(f"p0:{size}")
    v = sympy.Symbol("v")
    equations = [sympy.Eq(sum(c * q for c, q in zip(row, p)), v) for row in matrix_rows]
    equations.append(sympy.Eq(sum(p), 1))
    solution = sympy.solve(equations, [*p, v], dict=True)
    if len(solution) != 1 or any(s not in solution[0] for s in (*p, v)):
        return None
    return [solution[0][q] for q in p], solution[0][v]


def _mixed_equilibria(game, table, decider, values, notes, max_size: int, budget: Budget):
    if len(game.players) != 2:
        return []
    m, n = game.shape
    A = [[table[(i, j)][0] for j in range(n)] for i in range(m)]
    B = [[table[(i, j)][1] for j in range(n)] for i in range(m)]

    def on_supports(rows, cols):
        if any(_too_large(table[(i, j)][k]) for i in rows for j in cols for k in (0, 1)):
            notes.add(MIXED_TOO_LARGE)
            return None
        # column mix y makes the row player indifferent over `rows`
        column = _solve_indifference([[A[i][j] for j in cols] for i in rows], len(rows))
        row = _solve_indifference([[B[i][j] for i in rows] for j in cols], len(rows))
        if column is None or row is None:
            return None
        y, row_value = column
        x, column_value = row
        x = [_simplify(e, notes) for e in x]
        y = [_simplify(e, notes) for e in y]
        conditions = [*x, *y]  # each >= 0
        for i in range(m):
            if i not in rows:
                conditions.append(row_value - sum(A[i][j] * q for j, q in zip(cols, y)))
        for j in range(n):
            if j not in cols:
                conditions.append(column_value - sum(B[i][j] * q for i, q in zip(rows, x)))
        conditions = [_simplify(c, notes) for c in conditions]
        verdicts = [decider.classify(c) for c in conditions]
        if "never" in verdicts or decider.jointly_impossible(conditions):
            return None
        kept = [c for c, v in zip(conditions, verdicts) if v == "conditional"]
        kept = list(dict.fromkeys(kept))
        status = "conditional" if kept else "always"
        holds_now = all(_holds_at(c, values) for c in conditions) and \
            all(_holds_at(q, values, strict=True) for q in (*x, *y))
        return (MixedEquilibrium(
            support={game.players[0]: tuple(game.strategies[0][i] for i in rows),
                     game.players[1]: tuple(game.strategies[1][j] for j in cols)},
            strategies={
                game.players[0]: {game.strategies[0][i]: x[k] for k, i in enumerate(rows)},
                game.players[1]: {game.strategies[1][j]: y[k] for k, j in enumerate(cols)}},
            payoffs={game.players[0]: _simplify(row_value, notes),
                     game.players[1]: _simplify(column_value, notes)},
            valid_when=tuple(relation_text(c, decider.sign) for c in kept), status=status,
            at_current=holds_now))

    results = []
    for size in range(2, min(m, n, max_size) + 1):
        for rows in itertools.combinations(range(m), size):
            for cols in itertools.combinations(range(n), size):
                found = budget.attempt(lambda: on_supports(rows, cols), lambda: None, MIXED_CUT)
                if found is not None:
                    results.append(found)
    if min(m, n) > max_size:
        notes.add(f"mixed equilibria with supports larger than {max_size}×{max_size} were not "
                  "derived symbolically")
    return results


def _n_player_mixed(game, table, decider, values, notes, budget: Budget, found=None):
    """Closed forms of the mixed equilibria of a game with three or more players.

    The supports are those of the mixed equilibria found at the current values (the
    exact n-player engine); on each, sympy solves the indifference equations with
    the parameters left symbolic, and the solution that evaluates to the equilibrium
    found is kept, with the conditions (probabilities nonnegative, unused strategies
    no better) under which it is one. ``found``: those equilibria, when the caller has
    them already.
    """
    if found is None:
        from .equilibria import find_equilibria

        found = find_equilibria(game.bind({str(k): v for k, v in values.items()}))
    results = []
    for eq in found.equilibria:
        if eq.is_pure:
            continue
        closed = budget.attempt(lambda: _closed_form_on(game, table, decider, values, notes, eq),
                                lambda: False, MIXED_CUT)
        if closed:
            results.append(closed)
        elif closed is None:
            notes.add(N_PLAYER_MIXED_OPEN)
    return results


def _canonical(expr: sympy.Expr) -> sympy.Expr:
    """One form for a rational function, whatever form sympy's solver returned it in
    (which can depend on hash order): the canonical quotient (``cancel``) over one fixed
    order of the generators, its denominator factored."""
    numerator, denominator = sympy.fraction(sympy.cancel(sympy.together(expr)))
    if numerator.is_number and denominator.is_number:
        return numerator / denominator
    # the generators (symbols, and radicals such as sqrt(B)) in one fixed order
    generators = sorted({g for part in (numerator, denominator) if not part.is_number
                         for g in sympy.Poly(part).gens}, key=str)
    top, bottom = sympy.Poly(numerator, *generators), sympy.Poly(denominator, *generators)
    if bottom.LC() < 0:  # the sign on the numerator, by one fixed order of the symbols
        top, bottom = -top, -bottom
    return top.as_expr() / sympy.factor(bottom.as_expr())


def _closed_form_on(game, table, decider, values, notes, eq) -> MixedEquilibrium | None:
    supports = eq.supports
    unknowns = [[sympy.Symbol(f"q{i}_{k}") for k in range(1, len(s))] for i, s in enumerate(supports)]
    probabilities = [[1 - sum(own, sympy.Integer(0))] + own for own in unknowns]
    n = len(supports)
    arrays = [np.empty(game.shape, dtype=object) for _ in range(n)]
    for profile, row in table.items():
        for player in range(n):
            arrays[player][profile] = row[player]

    def payoff(player, strategy):
        return sympy.expand(support_payoff(arrays[player], player, strategy, supports,
                                           probabilities, coefficient=lambda value: value))

    equations = [payoff(i, s) - payoff(i, supports[i][0])
                 for i in range(n) for s in supports[i][1:]]
    flat = [u for own in unknowns for u in own]
    solutions = sympy.solve(equations, flat, dict=True) if equations else [{}]
    target = [float(p) for i, s in enumerate(supports) for p in
              [eq.strategies[i][k] for k in s][1:]]
    chosen = None
    for solution in solutions:
        if set(solution) != set(flat):
            continue
        at_values = [complex(sympy.N(solution[u].subs(values), 30)) for u in flat]
        if all(abs(a.imag) < 1e-12 and abs(a.real - b) < 1e-9 for a, b in zip(at_values, target)):
            chosen = solution
            break
    if chosen is None:
        return None
    probabilities = [[_canonical(p.subs(chosen)) for p in ps] for ps in probabilities]
    values_of = [_canonical(payoff(i, supports[i][0]).subs(chosen)) for i in range(n)]
    conditions = [p for ps in probabilities for p in ps]
    for i in range(n):
        for s in range(game.shape[i]):
            if s not in supports[i]:
                conditions.append(values_of[i] - payoff(i, s).subs(chosen))
    # kept as they are (canonical, not classified): deciding them costs more than they
    # tell, and the equilibrium exists at the current values anyway
    kept = list(dict.fromkeys(c for c in map(_canonical, conditions) if not c.is_number))
    return MixedEquilibrium(
        support={game.players[i]: tuple(game.strategies[i][k] for k in s)
                 for i, s in enumerate(supports)},
        strategies={game.players[i]: {game.strategies[i][k]: p for k, p in zip(s, ps)}
                    for i, (s, ps) in enumerate(zip(supports, probabilities))},
        payoffs={game.players[i]: values_of[i] for i in range(n)},
        valid_when=tuple(relation_text(c, decider.sign) for c in kept),
        status="conditional" if kept else "always", at_current=True)


# --------------------------------------------------------------------------------------
# thresholds and commitment
# --------------------------------------------------------------------------------------

def _declared_interval(game: SymbolicGame, name: str) -> tuple[sympy.Expr, sympy.Expr] | None:
    """The ``range`` of a parameter or the ``bounds`` of a control, if declared."""
    for item in game.spec.parameters:
        if item.name == name and item.range:
            return sympy.Rational(item.range[0]), sympy.Rational(item.range[1])
    for item in game.spec.controls:
        if item.name == name and item.bounds:
            return sympy.Rational(item.bounds[0]), sympy.Rational(item.bounds[1])
    return None


def _critical_values(game, expr, symbol, values):
    """Where ``expr`` (a condition's ``lhs - rhs``) changes sign in ``symbol``.

    Yields ``(value, at_current)``. Factors of the numerator that are linear in
    ``symbol`` give a closed form in the other symbols; the other factors are taken
    at the current values and their real roots found exactly (rationals, or
    algebraic numbers as ``CRootOf``). Constant roots outside the declared range
    or bounds are left out.
    """
    numerator = sympy.fraction(sympy.together(expr))[0]
    if _too_large(numerator) or not numerator.is_polynomial(symbol):
        return
    interval = _declared_interval(game, str(symbol))
    others = {k: v for k, v in values.items() if k != symbol}
    for factor, _ in sympy.factor_list(numerator)[1]:
        degree = sympy.degree(factor, symbol)
        if degree < 1:
            continue
        if degree == 1:
            slope = factor.coeff(symbol)
            value = sympy.cancel(-(factor - slope * symbol) / slope)
            if value.is_number and interval is not None and not interval[0] <= value <= interval[1]:
                continue  # a constant threshold outside the declared range is never crossed
            number = value.xreplace(values)
            yield value, (sympy.nsimplify(number) if number.is_number and number.is_finite
                          else None)
            continue
        at_current = sympy.expand(factor.xreplace(others))
        if at_current.free_symbols != {symbol}:
            continue
        try:
            roots = sympy.Poly(at_current, symbol).real_roots()
        except (sympy.PolynomialError, NotImplementedError):
            continue
        for root in dict.fromkeys(roots):
            if interval is None or interval[0] <= root <= interval[1]:
                yield root, root


def _thresholds(game, conditions, values, budget: Budget):
    results = []
    seen = set()
    for condition in conditions:
        for relation in condition.holds_when:
            expr = relation.lhs - relation.rhs
            for symbol in sorted(expr.free_symbols, key=str):
                critical = budget.attempt(lambda: list(_critical_values(game, expr, symbol, values)),
                                          list, THRESHOLDS_CUT)
                for value, at_current in critical:
                    key = (tuple(condition.profile.items()), str(relation), str(symbol), str(value))
                    if key in seen:
                        continue
                    seen.add(key)
                    results.append(Threshold(condition.profile, relation, str(symbol), value,
                                             at_current))
    return results


def _commitment_formulas(game, table, values, notes, decider):
    """Indifference commitments of a two-strategy leader, kept when they match the
    numeric optimal commitment at the current values."""
    spec = game.spec
    if spec.leader is None or len(game.players) != 2:
        return []
    leader = game.players.index(spec.leader)
    follower = 1 - leader
    if game.shape[leader] != 2:
        notes.add("closed-form commitment is derived for leaders with two strategies only")
        return []
    from .optimize import optimal_commitment

    numeric = optimal_commitment(game, {str(k): v for k, v in values.items()})
    if not numeric.commitment:
        return []
    optimum = numeric.commitment[game.strategies[leader][0]]
    response = numeric.followers[game.players[follower]]
    p = sympy.Symbol("p", real=True)

    def payoff(player, leader_choice, follower_choice):
        profile = [0, 0]
        profile[leader], profile[follower] = leader_choice, follower_choice
        return table[tuple(profile)][player]

    target = game.strategies[follower].index(response)
    results = []
    for deviation in range(game.shape[follower]):
        if deviation == target:
            continue
        gain = [payoff(follower, s, target) - payoff(follower, s, deviation) for s in (0, 1)]
        roots = sympy.solve(sympy.Eq(p * gain[0] + (1 - p) * gain[1], 0), p)
        if len(roots) != 1:
            continue
        root = sympy.factor(sympy.cancel(roots[0]))
        number = root.xreplace(values)
        if not number.is_number or sympy.nsimplify(number) != sympy.nsimplify(optimum):
            continue
        valid = [root, 1 - root]
        for other in range(game.shape[follower]):
            if other != target:
                g = [payoff(follower, s, target) - payoff(follower, s, other) for s in (0, 1)]
                valid.append(sympy.cancel(root * g[0] + (1 - root) * g[1]))
        results.append(CommitmentFormula(
            leader=spec.leader, strategy=game.strategies[leader][0], probability=root,
            followers={game.players[follower]: response},
            valid_when=tuple(relation_text(v, decider.sign) for v in dict.fromkeys(valid)
                             if not (v.is_number and v >= 0)),
            at_current=sympy.nsimplify(number)))
    if not results:
        notes.add(f"the optimal commitment at the current values ({spec.leader} plays "
                  f"{game.strategies[leader][0]} with probability {optimum}) is not an "
                  "indifference point, so it has no closed form here")
    return results


def analyze(game: SymbolicGame, values: Mapping[str, object] | None = None, *,
            max_support: int = 3, equilibria=None) -> Analysis:
    """Conditions, closed-form mixed equilibria, thresholds and commitment formulas.

    Parameters
    ----------
    game : SymbolicGame
    values : overrides of the current values (used for the "at current" numbers)
    max_support : largest support size for symbolic mixed equilibria (default 3)
    equilibria : the game's :class:`~policy.equilibria.EquilibriumSet` at these values,
        when the caller has solved it already (three or more players: the closed forms
        are derived on its supports); solved here otherwise
    """
    started = time.perf_counter()
    notes: set[str] = set()
    current = game.values_with(values)
    game.bind(values)  # refuses payoffs that are not finite, real and of bounded size here
    substitution = {game.symbols[k]: v for k, v in current.items()}
    table = _payoff_table(game)
    domain = domain_of(game)
    decider = _Decider(domain, [s for s in game.symbols.values() if s.is_positive])
    budget = Budget.starting_now(notes)
    conditions = _pure_conditions(game, table, decider, substitution, notes, budget)
    two = len(game.players) == 2
    mixed = _mixed_equilibria(game, table, decider, substitution, notes, max_support, budget) \
        if two else []
    thresholds = _thresholds(game, conditions, substitution, budget)
    commitment = budget.attempt(
        lambda: _commitment_formulas(game, table, substitution, notes, decider), list,
        COMMITMENT_CUT)
    if not two:  # a budget of its own, so that it never cuts the parts above
        mixed = _n_player_mixed(game, table, decider, substitution, notes,
                                Budget.starting_now(notes), equilibria)
    return Analysis(game.name, tuple(conditions), tuple(mixed), tuple(thresholds),
                    tuple(commitment), domain, current, tuple(sorted(notes)),
                    time.perf_counter() - started)


def boundaries(analysis: Analysis, game: SymbolicGame, names: Sequence[str],
               values: Mapping[str, sympy.Expr]) -> list[sympy.Expr]:
    """Region boundaries in the named symbols: each kept condition's ``lhs - rhs``,
    with every other symbol at ``values``, when it is linear and not constant.

    >>> import policy
    >>> game = policy.load("platform_entry")
    >>> lines = boundaries(analyze(game), game, ["entry_subsidy"], game.values_with({}))
    >>> sorted(str(line) for line in lines)[:2]
    ['entry_subsidy + 2', 'entry_subsidy - 1']
    """
    varied = {game.symbols[n] for n in names}
    fixed = {game.symbols[k]: v for k, v in values.items() if k not in set(names)}
    relations = [r for c in analysis.conditions for r in c.holds_when]
    relations += [r for m in analysis.mixed for r in m.valid_when]
    found: dict[str, sympy.Expr] = {}
    for relation in relations:
        if _too_large(relation):
            continue
        expr = sympy.together(relation.lhs - relation.rhs).xreplace(fixed)
        numerator = sympy.expand(sympy.fraction(sympy.together(expr))[0])
        if not numerator.free_symbols or not numerator.free_symbols <= varied:
            continue
        for line in _boundary_pieces(numerator, varied):
            # normalise so that each line appears once
            coefficients = [line.coeff(s) for s in sorted(varied, key=str)]
            lead = next(c for c in coefficients if c != 0)
            key = sympy.expand(line / lead)
            found.setdefault(str(key), key)
    return [found[k] for k in sorted(found)]


def _boundary_pieces(numerator: sympy.Expr, varied: set[sympy.Symbol]) -> list[sympy.Expr]:
    """The linear pieces of ``numerator = 0``: its factors that are linear, and for a
    non-linear factor in one symbol ``symbol - root`` for each real root (algebraic
    roots as 30-digit decimals, for drawing)."""
    if _is_linear(numerator):
        return [numerator]
    pieces = []
    for factor, _ in sympy.factor_list(numerator)[1]:
        if not factor.free_symbols:
            continue
        if _is_linear(factor):
            pieces.append(factor)
        elif len(factor.free_symbols) == 1:
            (symbol,) = factor.free_symbols
            for root in dict.fromkeys(sympy.Poly(factor, symbol).real_roots()):
                pieces.append(symbol - (root if root.is_Rational else root.evalf(30)))
    return pieces

"""Closed forms of market equilibria in the parameters, free entry, comparative statics.

Where this sits in the data flow: the analysis stage of market games, beside
:mod:`policy.analysis` for the normal form; after the model (:mod:`policy.market`)
and the solver (:mod:`policy.market_equilibria`, whose KKT case analysis
:func:`~policy.market_equilibria.kkt_cases` it runs with the parameters left as
symbols), before the reports.

*Closed forms.* Every combination of corner and interior choices is solved with
the parameters symbolic (a population's count ``N`` included), giving each
player's choice and payoff as expressions and the relations under which the
case is an equilibrium (``valid_when``: interior choices inside their interval,
the sign of the marginal payoff at a corner, the second-order condition
``∂²u/∂y² <= 0`` unless it always holds). With a leader, the followers' cases
are solved as functions of the leader's choice and substituted into the leader's
payoff, whose own corner and interior cases are then solved (a local analysis:
``policy solve`` checks the leader's choice globally at given values).
Relations are divided by the factors known to be positive (declared ``positive:
true``) and those identical to a declared assumption are left out.

*Free entry.* For a population whose count is a parameter ``N``: the profit of a
member in the closed form that holds at the current values, the break-even
``N`` (where that profit is 0, solved for ``N``), and the equilibrium number of
firms: the largest whole ``N >= 1`` at which a member does not lose money,
checked exactly at it and at ``N + 1``.

*Comparative statics.* The derivative of each choice and payoff of the closed
form that holds at the current values, and of the break-even ``N``, with respect
to each parameter and control.

All sympy work runs within the processor-time budget of ``policy analyze``
(``POLICY_LIMIT_ANALYSIS_MILLISECONDS``); what does not fit is left out and the
notes say so.

Examples
--------
>>> from policy.loader import load_spec
>>> analysis = analyze_market(MarketGame.from_spec(load_spec("cournot_entry")))
>>> form = analysis.closed_forms[0]
>>> form.choices, form.payoffs, form.at_current
(((a - c)/(b*(N + 1)),), (-F + (a - c)**2/(b*(N + 1)**2),), True)
>>> entry = analysis.free_entry[0]
>>> entry.number_of_firms, entry.break_even
(5, (-1 + (a - c)/(sqrt(F)*sqrt(b)),))
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Mapping, Sequence

import sympy

from .analysis import _as_constraint, _Decider, _is_linear
from .market import MarketGame
from .market_equilibria import Deadline, _OutOfTime, decide, find_market_equilibria, kkt_cases

__all__ = ["ClosedForm", "FreeEntry", "Sensitivity", "Threshold", "MarketAnalysis",
           "analyze_market",
           "clean_relation", "firms_at"]


@dataclass(frozen=True)
class ClosedForm:
    """One KKT case in closed form: choices and payoffs in the parameters, and when it
    is an equilibrium (``at_current``: at the current values; None: undecided)."""

    case: tuple[str, ...]
    choices: tuple[sympy.Expr, ...]
    payoffs: tuple[sympy.Expr, ...]
    valid_when: tuple[sympy.Basic, ...]
    at_current: bool | None


@dataclass(frozen=True)
class Sensitivity:
    """d(what)/d(parameter), as an expression and at the current values."""

    what: str
    parameter: str
    derivative: sympy.Expr
    at_current: sympy.Expr | None


@dataclass(frozen=True)
class FreeEntry:
    """How many firms of a population break even (the count a parameter)."""

    population: str
    count: str
    profit: sympy.Expr
    break_even: tuple[sympy.Expr, ...]
    break_even_at_current: float | None
    number_of_firms: int | None
    explanation: str
    sensitivity: tuple[Sensitivity, ...] = ()


@dataclass(frozen=True)
class Threshold:
    """Where a condition of the current equilibrium switches, for one parameter or
    control: ``relation`` holds on one side of ``parameter = value``."""

    relation: sympy.Basic
    parameter: str
    value: sympy.Expr
    at_current: sympy.Expr | None


@dataclass(frozen=True)
class MarketAnalysis:
    """Everything ``policy analyze`` says about a market game."""

    game: MarketGame
    values: Mapping[str, sympy.Expr]
    closed_forms: tuple[ClosedForm, ...]
    free_entry: tuple[FreeEntry, ...]
    comparative_statics: tuple[Sensitivity, ...]
    notes: tuple[str, ...] = field(default=())
    thresholds: tuple[Threshold, ...] = field(default=())


def _timed(deadline: Deadline, work, fallback):
    try:
        return deadline.run(work)
    except _OutOfTime:
        return fallback


def _tidy(expr: sympy.Expr, deadline: Deadline) -> sympy.Expr:
    """A shorter form of ``expr`` when one is found within the deadline."""
    def work():
        shapes = [_grouped(expr), sympy.factor(sympy.cancel(sympy.together(expr))), expr]
        return min(shapes, key=sympy.count_ops)
    return _timed(deadline, work, expr)


def _grouped(expr: sympy.Expr) -> sympy.Expr:
    """The terms of ``expr`` with a denominator factored together, the others apart:
    ``-F + (a - c)**2/(b*(N + 1)**2)`` rather than one fraction."""
    polynomial, fractional = sympy.Integer(0), sympy.Integer(0)
    for term in sympy.Add.make_args(sympy.expand(expr)):
        if sympy.fraction(term)[1] == 1:
            polynomial += term
        else:
            fractional += term
    return sympy.factor(polynomial) + sympy.factor(sympy.together(fractional))


def clean_relation(relation: sympy.Basic, deadline: Deadline | None = None) -> sympy.Basic:
    """``relation`` as ``expression REL 0`` with factors known to be positive divided
    out (negative ones flip it); ``true``/``false`` when that decides it.

    >>> a, c = sympy.symbols("a c", real=True)
    >>> b, N = sympy.symbols("b N", positive=True)
    >>> clean_relation(sympy.Gt((a - c)/(b*(N + 1)), 0))
    a - c > 0
    >>> clean_relation(sympy.Le(-2*b, 0))
    True
    """
    deadline = deadline or Deadline()
    if relation in (sympy.true, sympy.false):
        return relation
    difference = _timed(deadline, lambda: sympy.factor(sympy.together(relation.lhs - relation.rhs)),
                        relation.lhs - relation.rhs)
    numerator, denominator = sympy.fraction(difference)
    kept, flip = sympy.Integer(1), False
    for factor in (*sympy.Mul.make_args(numerator), *sympy.Mul.make_args(denominator)):
        if factor.is_positive:
            continue
        if factor.is_negative:
            flip = not flip
            continue
        if factor.is_Pow and factor.exp.is_even and factor.base.is_real:
            kept *= factor  # a square: only its zero matters; keep it
            continue
        kept *= factor
    operator = {">": sympy.Gt, "<": sympy.Lt, ">=": sympy.Ge, "<=": sympy.Le, "==": sympy.Eq,
                "!=": sympy.Ne}[relation.rel_op]
    if flip:
        operator = {sympy.Gt: sympy.Lt, sympy.Lt: sympy.Gt, sympy.Ge: sympy.Le,
                    sympy.Le: sympy.Ge}.get(operator, operator)
    if kept.is_Mul and kept.args[0] == -1:
        kept = sympy.expand(kept) if kept.is_polynomial() else kept
    result = operator(kept, 0)
    return result


def _decide_at(relation: sympy.Basic, at: Mapping[sympy.Symbol, sympy.Expr]) -> bool | None:
    if relation in (sympy.true, sympy.false):
        return bool(relation)
    if not relation.free_symbols <= set(at):
        return None
    return decide(relation.func(relation.lhs.xreplace(at), relation.rhs.xreplace(at),
                                evaluate=False))


def analyze_market(game: MarketGame, values: Mapping[str, object] | None = None
                   ) -> MarketAnalysis:
    """Closed forms, free entry and comparative statics of ``game`` (see the module)."""
    current = game.values_with(values)
    at = {game.symbols[name]: value for name, value in current.items()}
    notes: set[str] = set()
    deadline = Deadline()
    spec = game.spec
    count = len(spec.players)
    xs = tuple(sympy.Dummy(f"x{k}", real=True) for k in range(count))
    y = sympy.Dummy("y", real=True)
    payoffs = [game.payoff_of(k, y, xs) for k in range(count)]
    lows = [p.variable.low for p in spec.players]
    highs = [p.variable.high for p in spec.players]
    assumed = {clean_relation(a) for a in spec.assumptions if isinstance(a, sympy.Rel)}
    domain = _Decider([a for a in spec.assumptions if isinstance(a, sympy.Rel)],
                      [s for s in game.symbols.values() if s.is_positive])
    leader = game.leader_index

    def slope(k):
        return sympy.diff(payoffs[k], y).xreplace({y: xs[k]})

    def second(k):
        return sympy.diff(payoffs[k], y, 2).xreplace({y: xs[k]})

    raw: list[tuple[tuple[str, ...], tuple[sympy.Expr, ...], list[sympy.Basic]]] = []
    if leader is None:
        for solution in kkt_cases([slope(k) for k in range(count)], xs, lows, highs,
                                  deadline, notes):
            profile = dict(zip(xs, solution.choices))
            conditions = list(solution.conditions)
            conditions += [sympy.Le(second(k).xreplace(profile), 0, evaluate=False)
                           for k in range(count) if solution.case[k] == "interior"]
            raw.append((solution.case, solution.choices, conditions))
    else:
        followers = [k for k in range(count) if k != leader]
        t = xs[leader]
        for solution in kkt_cases([slope(k) for k in followers], [xs[k] for k in followers],
                                  [lows[k] for k in followers], [highs[k] for k in followers],
                                  deadline, notes):
            reaction = dict(zip([xs[k] for k in followers], solution.choices))
            following = list(solution.conditions) + [
                sympy.Le(second(k).xreplace(reaction), 0, evaluate=False)
                for k in followers if solution.case[followers.index(k)] == "interior"]
            value = payoffs[leader].xreplace({y: t, **reaction})
            leading = sympy.diff(value, t)
            for top in kkt_cases([leading], [t], [lows[leader]], [highs[leader]], deadline,
                                 notes):
                chosen = top.choices[0]
                conditions = list(top.conditions)
                if top.case[0] == "interior":
                    conditions.append(sympy.Le(sympy.diff(value, t, 2).xreplace({t: chosen}), 0,
                                               evaluate=False))
                conditions += [c.xreplace({t: chosen}) for c in following]
                choices = tuple(chosen if k == leader else reaction[xs[k]].xreplace({t: chosen})
                                for k in range(count))
                case = tuple(f"leader {top.case[0]}" if k == leader
                             else solution.case[followers.index(k)] for k in range(count))
                raw.append((case, choices, conditions))
            raw += _kinks(solution, reaction, following, xs, leader, followers, lows[leader],
                          highs[leader], deadline)
        notes.add("with a leader, valid_when lists the conditions of one piece of the "
                  "followers' reaction (the leader's first-order condition on it, or a kink "
                  "where a follower starts or stops producing: a limit quantity); which closed "
                  "form is the leader's best over its whole interval is decided at the current "
                  "values by the exact solve (at_current)")
    solved = (find_market_equilibria(game, current).equilibria if leader is not None else ())
    forms: list[ClosedForm] = []
    for case, choices, conditions in raw:
        cleaned = []
        impossible = False
        for relation in conditions:
            relation = _with_roots_known(clean_relation(_split_roots(relation), deadline))
            if relation is sympy.false or (isinstance(relation, sympy.Rel)
                                           and clean_relation(relation.negated) in assumed):
                impossible = True  # never holds, or contradicts a declared assumption
                break
            if relation is sympy.true or relation in assumed or relation in cleaned:
                continue
            cleaned.append(relation)
        if impossible or _contradictory(cleaned, domain):
            continue
        cleaned = _without_implied(cleaned)
        choices = tuple(_split_roots(_tidy(c, deadline)) for c in choices)
        profile = dict(zip(xs, choices))
        values_of = tuple(_tidy(payoffs[k].xreplace({y: choices[k]}).xreplace(profile), deadline)
                          for k in range(count))
        if any(_same(choices, form.choices, deadline) for form in forms):
            continue
        holds = [_decide_at(r, at) for r in cleaned]
        at_current = False if False in holds else (None if None in holds else True)
        if leader is not None and at_current is not False:
            at_current = _is_solved(choices, solved, at)
        forms.append(ClosedForm(case, choices, values_of, tuple(cleaned), at_current))
    forms.sort(key=lambda form: form.at_current is not True)
    current_form = next((f for f in forms if f.at_current), None)
    statics = _comparative_statics(game, current_form, at, deadline) if current_form else ()
    entry = _free_entry(game, current_form, at, current, deadline, notes) if current_form else ()
    if deadline.end <= time.process_time():
        notes.add("the time budget of policy analyze ran out; some results may be missing or "
                  "unsimplified (POLICY_LIMIT_ANALYSIS_MILLISECONDS)")
    thresholds = _thresholds(game, current_form, at, deadline) if current_form else ()
    return MarketAnalysis(game, current, tuple(forms), entry, statics, tuple(sorted(notes)),
                          thresholds)


def _thresholds(game: MarketGame, form: ClosedForm, at: Mapping[sympy.Symbol, sympy.Expr],
                deadline: Deadline) -> tuple[Threshold, ...]:
    """For each condition of the current closed form and each parameter or control in
    it, the value where the condition switches (the others at their values): e.g. the
    subsidy below which an entrant stops producing."""
    found = []
    for relation in form.valid_when:
        for name, symbol in game.symbols.items():
            if symbol not in relation.free_symbols:
                continue
            roots = _timed(deadline, lambda r=relation, x=symbol: sympy.solve(
                sympy.Eq(r.lhs, r.rhs), x), None) or []
            for root in roots:
                root = _tidy(root, deadline)
                value = root.xreplace(at)
                found.append(Threshold(relation, name, root,
                                       sympy.radsimp(value) if value.is_number else None))
    return tuple(found)


def _kinks(solution, reaction, following, xs, leader, followers, low, high, deadline):
    """Leader choices where one of the followers' conditions binds (a follower starts
    or stops producing): candidates for the leader's optimum at a kink of its payoff."""
    t = xs[leader]
    found = []
    for relation in solution.conditions:
        if t not in relation.free_symbols:
            continue
        roots = _timed(deadline, lambda r=relation: sympy.solve(sympy.Eq(r.lhs, r.rhs), t), [])
        for root in roots:
            closed = [{sympy.StrictGreaterThan: sympy.Ge, sympy.StrictLessThan: sympy.Le}.get(
                type(c), c.func)(c.lhs, c.rhs, evaluate=False).xreplace({t: root})
                for c in following]
            closed.append(sympy.Ge(root, low, evaluate=False))
            if high is not None:
                closed.append(sympy.Le(root, high, evaluate=False))
            choices = tuple(root if k == leader else reaction[xs[k]]
                            .xreplace({t: root}) for k in range(len(followers) + 1))
            case = tuple("leader at a kink" if k == leader else solution.case[followers.index(k)]
                         for k in range(len(followers) + 1))
            found.append((case, choices, closed))
    return found


def _same(first: Sequence[sympy.Expr], second: Sequence[sympy.Expr], deadline: Deadline) -> bool:
    return all(_timed(deadline, lambda a=a, b=b: sympy.cancel(sympy.together(a - b)) == 0, False)
               for a, b in zip(first, second))


def _is_solved(choices: Sequence[sympy.Expr], solved, at) -> bool | None:
    """Whether ``choices`` at the current values are an equilibrium the exact solve found."""
    values = [c.xreplace(at) for c in choices]
    if not all(v.is_number for v in values):
        return None
    return any(all(decide(sympy.Eq(v, w)) for v, w in zip(values, eq.choices))
               for eq in solved if eq.verified)


def _parameters(game: MarketGame) -> list[tuple[str, sympy.Symbol]]:
    return list(game.symbols.items())


def _derivatives(what: str, expr: sympy.Expr, game: MarketGame,
                 at: Mapping[sympy.Symbol, sympy.Expr], deadline: Deadline) -> list[Sensitivity]:
    result = []
    for name, symbol in _parameters(game):
        if symbol not in expr.free_symbols:
            continue
        derivative = _tidy(sympy.diff(expr, symbol), deadline)
        value = _timed(deadline, lambda d=derivative: sympy.radsimp(sympy.expand(d.xreplace(at))),
                       None)
        result.append(Sensitivity(what, name, derivative,
                                  value if value is not None and value.is_number else None))
    return result


def _comparative_statics(game: MarketGame, form: ClosedForm,
                         at: Mapping[sympy.Symbol, sympy.Expr],
                         deadline: Deadline) -> tuple[Sensitivity, ...]:
    result: list[Sensitivity] = []
    for player, choice, payoff in zip(game.spec.players, form.choices, form.payoffs):
        result += _derivatives(f"{player.name}.{player.variable.name}", choice, game, at, deadline)
        result += _derivatives(f"{player.name}.payoff", payoff, game, at, deadline)
    return tuple(result)


def firms_at(profit: sympy.Expr, n: sympy.Symbol, roots: Sequence[sympy.Expr],
             at: Mapping[sympy.Symbol, sympy.Expr], deadline: Deadline
             ) -> tuple[int | None, str, list[float | None]]:
    """The equilibrium number of firms at ``at`` (every symbol but ``n``): the largest
    whole ``n >= 1`` with ``profit >= 0`` and ``profit < 0`` at ``n + 1``, checked
    exactly near each break-even root (``roots``, solutions of ``profit = 0`` for
    ``n``); 0 when one firm loses money; None when no such ``n`` is found. Also the
    explanation and the roots' values (None: not a real number).

    >>> n, F = sympy.Symbol("N", positive=True), sympy.Symbol("F", positive=True)
    >>> firms_at(81/(n + 1)**2 - F, n, [9/sympy.sqrt(F) - 1], {F: 2}, Deadline(2))[0]
    5
    """
    def profit_at(number: int) -> sympy.Expr:
        return sympy.radsimp(sympy.expand(profit.xreplace({**at, n: sympy.Integer(number)})))

    def breaks_even(number: int) -> bool | None:
        return decide(sympy.Ge(profit_at(number), 0, evaluate=False))

    numbers = []
    for root in roots:
        value = _timed(deadline, lambda r=root: sympy.N(r.xreplace(at), 30), None)
        real = value is not None and value.is_real and value.is_finite
        numbers.append(float(value) if real else None)  # aligned with roots
    if breaks_even(1) is False:
        return 0, "a single firm does not break even", numbers
    for candidate in sorted({math.floor(v) for v in numbers if v is not None and v >= 1},
                            reverse=True):
        if breaks_even(candidate) and breaks_even(candidate + 1) is False:
            return (candidate, f"with {candidate} firms each makes {profit_at(candidate)} >= 0; "
                               f"with {candidate + 1} each makes {profit_at(candidate + 1)} < 0",
                    numbers)
    return (None, "no whole number of firms where entry stops was found: a member breaks even "
                  "however many firms there are, or the break-even equation was not solved",
            numbers)


def _free_entry(game: MarketGame, form: ClosedForm, at: Mapping[sympy.Symbol, sympy.Expr],
                current: Mapping[str, sympy.Expr], deadline: Deadline,
                notes: set[str]) -> tuple[FreeEntry, ...]:
    result = []
    for k, player in enumerate(game.spec.players):
        if not (player.count.is_Symbol and str(player.count) in game.symbols):
            continue
        n = player.count
        profit = form.payoffs[k]
        others = {s: v for s, v in at.items() if s != n}

        roots = _timed(deadline, lambda: tuple(sympy.solve(sympy.Eq(profit, 0), n)), None)
        if roots is None:
            notes.add("the break-even number of firms was not solved within the time budget")
            roots = ()
        roots = tuple(_tidy(r, deadline) for r in roots)
        number, explanation, numbers = firms_at(profit, n, roots, others, deadline)
        if number == 0:
            explanation = f"a single firm of {player.name} does not break even"
        relevant = [r for r, v in zip(roots, numbers) if v is not None and v >= 1] or list(roots)
        sensitivity: list[Sensitivity] = []
        if len(relevant) == 1:
            sensitivity = _derivatives(f"break-even {n}", relevant[0], game, others, deadline)
        result.append(FreeEntry(
            player.name, str(n), profit, tuple(relevant),
            max((v for v in numbers if v is not None and v >= 1), default=None), number,
            explanation,
            tuple(sensitivity)))
    return tuple(result)


def _split_roots(expr: sympy.Basic) -> sympy.Basic:
    """Square roots with a positive whole factor taken out, so that one number is
    written one way: ``sqrt(15*a - 15*c)`` is ``sqrt(15)*sqrt(a - c)``.

    >>> a, c = sympy.symbols("a c", real=True)
    >>> _split_roots(sympy.sqrt(15*a - 15*c)/15)
    sqrt(15)*sqrt(a - c)/15
    """
    def split(power):
        factor, rest = sympy.factor_terms(power.base).as_coeff_Mul()
        if factor.is_positive and factor != 1:
            return sympy.sqrt(factor) * sympy.sqrt(rest)
        return power
    return expr.replace(lambda e: e.is_Pow and e.exp == sympy.Rational(1, 2), split)


def _with_roots_known(relation: sympy.Basic) -> sympy.Basic:
    """``relation`` decided when it follows from real square roots being non-negative
    (a choice that is a real number has real roots): ``sqrt(a - c) < 0`` is false,
    ``sqrt(a - c) >= 0`` true; otherwise unchanged.

    >>> a, c = sympy.symbols("a c", real=True)
    >>> [_with_roots_known(r(sympy.sqrt(a - c), 0)) for r in (sympy.Lt, sympy.Ge, sympy.Gt)]
    [False, True, sqrt(a - c) > 0]
    """
    if not isinstance(relation, sympy.Rel) or relation.rel_op not in ("<", "<=", ">", ">="):
        return relation
    roots = {p: sympy.Dummy(nonnegative=True) for p in relation.atoms(sympy.Pow)
             if p.exp == sympy.Rational(1, 2)}
    if not roots:
        return relation
    difference = (relation.lhs - relation.rhs).xreplace(roots)
    if difference.is_negative:
        return sympy.sympify(relation.rel_op in ("<", "<="))
    nonnegative, positive = difference.is_nonnegative, difference.is_positive
    if relation.rel_op == ">=" and nonnegative:
        return sympy.true
    if relation.rel_op == "<" and nonnegative:
        return sympy.false
    if relation.rel_op == ">" and positive:
        return sympy.true
    if relation.rel_op == "<=" and positive:
        return sympy.false
    return relation


def _without_implied(relations: Sequence[sympy.Basic]) -> list[sympy.Basic]:
    """``relations`` without those a stricter one of the list implies: ``x >= 0``
    beside ``x > 0`` (and ``x <= 0`` beside ``x < 0``).

    >>> x = sympy.Symbol("x")
    >>> _without_implied([sympy.Gt(x, 0), sympy.Ge(x, 0)])
    [x > 0]
    """
    stricter = {(r.lhs - r.rhs, r.rel_op) for r in relations if isinstance(r, sympy.Rel)}
    weak = {">=": ">", "<=": "<"}
    return [r for r in relations if not (isinstance(r, sympy.Rel) and r.rel_op in weak
                                         and (r.lhs - r.rhs, weak[r.rel_op]) in stricter)]


def _contradictory(relations: Sequence[sympy.Basic], domain: _Decider) -> bool:
    """Whether the linear ones among ``relations`` cannot hold together on the declared
    assumptions (``a <= 0 and a > 0``), decided exactly; a case that cannot happen is
    not listed. Non-linear relations are left out of the test, never decided."""
    pieces = [_as_constraint(r) for r in relations]
    linear = [p for p in pieces if p is not None and _is_linear(p[0])]
    return bool(linear) and domain.feasible(linear) is False

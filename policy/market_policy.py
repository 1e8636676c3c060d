"""The regulator's best instrument in a market game: welfare at the equilibrium, maximised.

Where this sits in the data flow: the optimisation stage of market games (beside
:mod:`policy.optimize` for the normal form), after the solver
(:mod:`policy.market_equilibria`) and the closed forms
(:mod:`policy.market_analysis`), before the reports.

Notation. The file's ``welfare:`` declares the objective
``W = CS + Σ_k n_k u_k − public costs`` (:meth:`policy.market.MarketGame.welfare_of`:
consumer surplus ``CS = ∫_0^Q P − Q·P(Q)`` of the inverse demand ``P``, each
firm's profit ``u_k`` counted ``n_k`` times) and the instrument ``c``, a control
on ``[low, high]`` (a per-unit tax or subsidy, an entry subsidy, a licence fee).
``W(c)`` is welfare at the market equilibrium when the regulator sets ``c``.

The method (:func:`optimize_welfare`):

1. *Closed forms in the instrument.* Every parameter but ``c`` is set to its
   value and the closed forms of :func:`~policy.market_analysis.analyze_market`
   are computed with ``c`` symbolic: each KKT case (interior, or a firm producing
   nothing: the corner where it exits) gives the equilibrium choices as
   functions of ``c`` and the interval of ``c`` where the case is an equilibrium.
   ``W`` along each piece is maximised exactly
   (:func:`~policy.market_equilibria.supremum`: the first-order condition's real
   roots, the piece's ends), which also gives an upper bound of ``W`` on
   ``[low, high]``.
2. *Every candidate re-solved.* The bounds, the pieces' maximisers and ends
   (kinks, where a firm starts or stops producing), the control's current value
   and a grid of :data:`GRID_POINTS` points are each solved exactly
   (:func:`~policy.market_equilibria.equilibria_at`, every equilibrium verified
   by the exact best-response check) and ``W`` is computed there exactly. With
   several equilibria at a point, the lowest welfare counts (pessimistic).
3. *The answer*: the candidate with the highest ``W`` (ties: the lowest value
   of the instrument). It is *optimal* (``status``) when it reaches the upper bound
   of step 1 and the closed forms are complete; otherwise it is the best found
   (the grid refined by a golden-section search when no closed form is found),
   compared with the bounds and every grid point, and the notes say so.
4. *In the parameters*: at an interior optimum, the first-order condition
   ``dW/dc = 0`` of the closed form that holds there is solved for ``c`` with
   every parameter symbolic (``(a - c)/N`` for ``N`` Cournot firms), and the
   root equal to the optimum at the current values is kept; at a kink, the
   condition that switches solved for ``c``. The second-order condition
   ``d²W/dc² < 0`` is checked exactly at an interior optimum.

Examples
--------
Three Cournot firms, inverse demand ``10 - Q``, unit cost 1, a per-unit subsidy
``s``: the subsidy that brings the price down to marginal cost, ``(a - c)/N = 3``.

>>> from policy.readers.yaml_market import load_market_text
>>> game = MarketGame.from_spec(load_market_text(
...     "parameters: {N: {value: 3, positive: true}, a: 10, c: 1}\\n"
...     "controls: {s: {value: 0, bounds: [0, 20]}}\\n"
...     "market: {totals: {Q: q}, define: {price: a - Q}}\\n"
...     "players: {firms: {count: N, choose: {q: [0, oo]}, payoff: (price - c + s)*q}}\\n"
...     "welfare: {consumers: price, public_cost: {firms: s*q}}\\n"))
>>> policy = optimize_welfare(game)
>>> policy.value, policy.objective, policy.closed_form, policy.status, policy.verified
(3, 81/2, (a - c)/N, 'optimal', True)
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Mapping

import sympy

from .errors import ModelError
from .limits import exceeded, limit
from .market import MarketGame
from .market_equilibria import (Deadline, MarketEquilibrium, Undecided, _OutOfTime, _pieces,
                                _region, decide, equilibria_at, supremum)

__all__ = ["GRID_POINTS", "REFINE_STEPS", "CheckedPoint", "WelfarePolicy", "optimize_welfare",
           "fixed_except"]

#: Points of the grid every answer is compared with (the bounds included).
GRID_POINTS = 21
#: Golden-section steps refining the best grid point when no closed form is found.
REFINE_STEPS = 24


@dataclass(frozen=True)
class CheckedPoint:
    """One value of the instrument, solved exactly: welfare there (None: no verified
    equilibrium), how many equilibria, and why it was checked (``bound``, ``grid``,
    ``stationary point``, ``kink``, ``current``, ``refined``)."""

    value: sympy.Expr
    objective: sympy.Expr | None
    equilibria: int
    source: str


@dataclass(frozen=True)
class WelfarePolicy:
    """The regulator's best value of its instrument, how it was found and checked.

    ``closed_form`` is the optimum as an expression in the parameters (None: not
    found); ``upper_bound`` the largest welfare any closed form reaches on the
    instrument's interval (None: not found); ``baseline`` welfare at the
    instrument's current value.
    """

    game: MarketGame
    values: Mapping[str, sympy.Expr]
    instrument: str
    bounds: tuple[sympy.Expr, sympy.Expr]
    value: sympy.Expr | None
    objective: sympy.Expr | None
    equilibrium: MarketEquilibrium | None
    baseline: sympy.Expr | None
    method: str
    closed_form: sympy.Expr | None
    second_order: str
    status: str
    verified: bool
    verification: str
    upper_bound: sympy.Expr | None
    checked: tuple[CheckedPoint, ...]
    notes: tuple[str, ...] = field(default=())
    mode: str = "welfare"

    @property
    def succeeded(self) -> bool:
        """Whether a value was found and verified."""
        return self.value is not None and self.verified

    def __repr__(self) -> str:
        return (f"WelfarePolicy({self.game.name!r}: {self.instrument} = {self.value}, "
                f"welfare {self.objective}; {self.status})")


def fixed_except(game: MarketGame, values: Mapping[str, sympy.Expr], keep: str) -> MarketGame:
    """``game`` with every parameter and control but ``keep`` replaced by its value
    (a game whose only symbol is ``keep``).

    >>> from policy.loader import load_spec
    >>> game = MarketGame.from_spec(load_spec("scale_vs_niche"))
    >>> reduced = fixed_except(game, game.default_values(), "subsidy")
    >>> list(reduced.symbols), reduced.spec.players[1].payoff
    (['subsidy'], q*(-Q + subsidy + 7))
    """
    at = {symbol: values[name] for name, symbol in game.symbols.items() if name != keep}
    spec = game.spec

    def put(expr):
        return None if expr is None else sympy.sympify(expr).xreplace(at)

    players = tuple(dataclasses.replace(
        p, payoff=put(p.payoff), count=put(p.count),
        variable=dataclasses.replace(p.variable, low=put(p.variable.low),
                                     high=put(p.variable.high))) for p in spec.players)
    welfare = spec.welfare
    if welfare is not None:
        welfare = dataclasses.replace(
            welfare, demand=put(welfare.demand),
            public_costs=tuple((name, put(cost)) for name, cost in welfare.public_costs))
    reduced = dataclasses.replace(
        spec, parameters=(), controls=tuple(c for c in spec.controls if c.name == keep),
        players=players, assumptions=(), welfare=welfare, vary=(),
        definitions=tuple((name, put(expr)) for name, expr in spec.definitions))
    return MarketGame.from_spec(reduced)


def _exact(expr: sympy.Expr) -> sympy.Expr:
    return sympy.radsimp(sympy.expand(expr))


class _Evaluator:
    """Welfare at the equilibrium for values of the instrument, each solved once."""

    def __init__(self, game: MarketGame, current: Mapping[str, sympy.Expr], name: str):
        self.game, self.current, self.name = game, dict(current), name
        self.points: list[CheckedPoint] = []
        self.solved: dict[sympy.Expr, tuple[sympy.Expr | None, MarketEquilibrium | None]] = {}
        self.several = 0
        self.unverified = 0
        self.skipped = 0

    def at(self, value: sympy.Expr, source: str) -> sympy.Expr | None:
        value = _exact(value)
        for point in self.points:
            if decide(sympy.Eq(point.value, value)):
                return point.objective
        if len(self.points) >= limit("market_policy_points"):
            self.skipped += 1
            return None
        result = equilibria_at(self.game, {**self.current, self.name: value})
        verified = [eq for eq in result.equilibria if eq.verified]
        if len(verified) < len(result.equilibria) or not result.complete:
            self.unverified += 1
        objective, chosen = None, None
        for eq in verified:
            welfare = _exact(self.game.at({**self.current, self.name: value},
                                          self.game.welfare_of(eq.choices)))
            if objective is None or decide(sympy.Lt(welfare, objective)):
                objective, chosen = welfare, eq
        if len(verified) > 1:
            self.several += 1
        self.points.append(CheckedPoint(value, objective, len(result.equilibria), source))
        self.solved[value] = (objective, chosen)
        return objective

    def best(self) -> CheckedPoint | None:
        found = None
        for point in self.points:
            if point.objective is None:
                continue
            if found is None or decide(sympy.Gt(point.objective, found.objective)) or (
                    decide(sympy.Eq(point.objective, found.objective))
                    and decide(sympy.Lt(point.value, found.value))):
                found = point
        return found


def optimize_welfare(game: MarketGame, values: Mapping[str, object] | None = None
                     ) -> WelfarePolicy:
    """The value of the file's instrument that maximises its ``welfare:`` at the
    market equilibrium, verified (see the module).

    Raises
    ------
    ModelError
        When the file declares no ``welfare:``, or a value breaks the game.
    """
    spec = game.spec
    if spec.welfare is None:
        raise ModelError(f"{game.name} declares no welfare: objective, so optimize has nothing "
                         "to maximise; add a welfare: section with the instrument, the consumers' "
                         "inverse demand and the public costs (docs/game-files.md)")
    current = game.values_with(values)
    problem = game.value_problem(current)
    if problem:
        raise ModelError(f"{game.name}: {problem}")
    name = spec.welfare.instrument
    control = next(c for c in spec.controls if c.name == name)
    at = {symbol: current[n] for n, symbol in game.symbols.items()}
    low, high = (_exact(sympy.sympify(b).xreplace(at)) for b in control.bounds)
    notes: set[str] = set()
    evaluator = _Evaluator(game, current, name)
    symbol = game.symbols[name]

    # 1. closed forms in the instrument, W maximised along each piece
    forms, upper, exact, candidates = _pieces_of(game, current, name, low, high, notes)
    # 2. every candidate re-solved
    evaluator.at(low, "bound")
    evaluator.at(high, "bound")
    baseline = evaluator.at(current[name], "current")
    for value, source in candidates:
        evaluator.at(value, source)
    for i in range(1, GRID_POINTS - 1):
        evaluator.at(low + (high - low) * sympy.Rational(i, GRID_POINTS - 1), "grid")
    best = evaluator.best()
    method = "closed form" if exact and forms else "numeric"
    if method == "numeric" and best is not None and high != low:
        _refine(evaluator, best, low, high)
        best = evaluator.best()
        notes.add("no complete closed form of welfare in the instrument: the best grid point "
                  f"was refined by {REFINE_STEPS} golden-section steps, each solved exactly")
    if evaluator.skipped:
        notes.add(f"{evaluator.skipped} more values of {name} were not solved: at most "
                  f"{limit('market_policy_points')} are ({exceeded('market_policy_points')})")
    if evaluator.several:
        notes.add(f"at {evaluator.several} values of {name} there are several equilibria; "
                  "welfare there is the lowest among them (pessimistic)")
    if evaluator.unverified:
        notes.add(f"at {evaluator.unverified} values of {name} some equilibrium did not pass "
                  "the exact check or the list may be incomplete; only verified equilibria count")
    if best is None:
        return WelfarePolicy(
            game, current, name, (low, high), None, None, None, baseline, method, None, "",
            "no equilibrium", False, f"no verified equilibrium at any of the {len(evaluator.points)} "
            f"values of {name} checked", upper, tuple(evaluator.points), tuple(sorted(notes)))
    proven = (exact and upper is not None and decide(sympy.Ge(best.objective, upper)) is True)
    status = "optimal" if proven else "best found"
    checked = len(evaluator.points)
    verification = (f"the equilibrium at {name} = {best.value} re-solved and verified exactly; "
                    f"welfare compared exactly at {checked} values of {name} (both bounds, "
                    f"{GRID_POINTS - 2} grid points"
                    + (", the maximisers and ends of every closed form's piece" if forms else "")
                    + ")")
    if proven:
        verification += ("; it reaches the largest welfare of every closed form on "
                          f"[{low}, {high}], so no value of {name} does better")
    else:
        if game.leader_index is not None and upper is not None:
            notes.add("the answer is the best of the values checked, not proven optimal: with a "
                      "leader the closed forms are local (the leader's best on one piece of the "
                      f"followers' reaction), and together they allow welfare up to {upper}")
        else:
            notes.add("the answer is the best of the values checked, not proven optimal"
                      + ("" if upper is None else
                         f": the closed forms allow welfare up to {upper}"))
    if method == "numeric" and evaluator.solved and best.value not in (low, high):
        closed_form, second_order = None, (
            "found numerically: welfare in the instrument has no closed form sympy maximises "
            "exactly; the best of the values solved exactly")
    else:
        closed_form, second_order = _in_parameters(game, current, name, best, forms, symbol,
                                                   low, high, notes)
    return WelfarePolicy(
        game, current, name, (low, high), best.value, best.objective,
        evaluator.solved[best.value][1], baseline, method, closed_form, second_order, status,
        True, verification, upper, tuple(evaluator.points), tuple(sorted(notes)))


def _pieces_of(game, current, name, low, high, notes):
    """Closed forms of the game with only the instrument symbolic, and along each
    piece of the instrument's interval where one is an equilibrium: W's maximisers
    and the piece's ends. Returns (forms with W, upper bound, complete, candidates)."""
    from .market_analysis import analyze_market

    reduced = fixed_except(game, current, name)
    symbol = reduced.symbols[name]
    try:
        analysis = analyze_market(reduced, {name: current[name]})
    except ModelError as err:
        notes.add(f"no closed form in the instrument: {err}")
        return [], None, False, []
    complete = not any("incomplete" in n or "time budget" in n for n in analysis.notes)
    deadline = Deadline()
    forms, candidates, upper = [], [], None
    for form in analysis.closed_forms:
        welfare = reduced.welfare_of(form.choices)
        try:
            pieces = deadline.run(lambda: _pieces(_region(form.valid_when, symbol, low, high)))
            for piece in pieces:
                top, points = deadline.run(lambda: supremum(welfare, symbol, piece.start,
                                                            piece.end))
                if upper is None or decide(sympy.Gt(top, upper)):
                    upper = top
                for point in points:
                    inside = decide(sympy.Gt(point, piece.start)) and decide(
                        sympy.Lt(point, piece.end))
                    candidates.append((point, "stationary point" if inside else "kink"))
                candidates += [(piece.start, "kink"), (piece.end, "kink")]
            forms.append((form, welfare, pieces))
        except (Undecided, _OutOfTime, ModelError) as err:
            complete = False
            notes.add("welfare along a closed form was not maximised exactly ("
                      + (str(err) or "out of time: POLICY_LIMIT_ANALYSIS_MILLISECONDS") + ")")
    candidates = [(value, source) for value, source in candidates
                  if value.is_number and value.is_real and value.is_finite]
    return forms, upper, complete, candidates


def _refine(evaluator: _Evaluator, best: CheckedPoint, low, high) -> None:
    """A golden-section search around the best grid point, on exact rationals."""
    step = (high - low) / (GRID_POINTS - 1)
    left, right = max(low, best.value - step), min(high, best.value + step)
    ratio = (math.sqrt(5) - 1) / 2

    def rational(x: float) -> sympy.Rational:
        return sympy.Rational(x).limit_denominator(10 ** 6)

    def score(x):
        value = evaluator.at(rational(x), "refined")
        return -math.inf if value is None else float(value)

    a, b = float(left), float(right)
    c, d = b - ratio * (b - a), a + ratio * (b - a)
    fc, fd = score(c), score(d)
    for _ in range(REFINE_STEPS):
        if fc >= fd:
            b, d, fd = d, c, fc
            c = b - ratio * (b - a)
            fc = score(c)
        else:
            a, c, fc = c, d, fd
            d = a + ratio * (b - a)
            fd = score(d)


def _in_parameters(game, current, name, best, forms, symbol, low, high, notes):
    """The optimum as an expression in the parameters, and the second-order check."""
    second_order = ""
    inside = decide(sympy.Gt(best.value, low)) and decide(sympy.Lt(best.value, high))
    if not inside:
        return None, f"a corner: {name} at its {'lower' if best.value == low else 'upper'} bound"
    for _form, welfare, pieces in forms:
        if not any(decide(sympy.Gt(best.value, p.start)) and decide(sympy.Lt(best.value, p.end))
                   for p in pieces):
            continue
        slope = _exact(sympy.diff(welfare, symbol).xreplace({symbol: best.value}))
        if slope != 0:
            continue
        curvature = _exact(sympy.diff(welfare, symbol, 2).xreplace({symbol: best.value}))
        sign = "< 0" if decide(sympy.Lt(curvature, 0)) else ("= 0" if curvature == 0 else "> 0")
        second_order = (f"first-order condition dW/d{name} = 0 and second-order condition "
                        f"d²W/d{name}² = {curvature} {sign} at {name} = {best.value}")
        break
    else:
        second_order = (f"{name} = {best.value} is a kink: a condition of the equilibrium "
                        "switches there")
    return _symbolic_optimum(game, current, name, best.value, notes), second_order


def _symbolic_optimum(game, current, name, value, notes):
    """The root of ``dW/dc = 0`` (or of a switching condition) with every parameter
    symbolic that equals ``value`` at the current values; None when none is found."""
    from .market_analysis import analyze_market

    symbol = game.symbols[name]
    at = {s: current[n] for n, s in game.symbols.items() if n != name}
    try:
        analysis = analyze_market(game, {**{k: str(v) for k, v in current.items()},
                                         name: str(value)})
    except ModelError:
        return None
    form = next((f for f in analysis.closed_forms if f.at_current), None)
    if form is None:
        return None
    deadline = Deadline()
    welfare = game.welfare_of(form.choices)
    equations = [sympy.diff(welfare, symbol)] + [r.lhs - r.rhs for r in form.valid_when
                                                 if symbol in r.free_symbols]
    for equation in equations:
        try:
            roots = deadline.run(lambda e=equation: sympy.solve(e, symbol))
        except (_OutOfTime, NotImplementedError, ValueError, TypeError):
            notes.add("the optimum was not solved in the parameters within the time budget")
            return None
        for root in roots:
            there = root.xreplace(at)
            if there.is_number and decide(sympy.Eq(_exact(there), value)):
                try:
                    return deadline.run(lambda r=root: sympy.factor(sympy.cancel(r)))
                except _OutOfTime:
                    return root
    return None

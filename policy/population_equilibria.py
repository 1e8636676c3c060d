"""Equilibria of population games: pure ones as counts ("k of N enter") and the
symmetric mixed ones, exactly, each verified.

Where this sits in the data flow: the solver stage of population games, after the
model (:mod:`policy.population`, whose notation this module uses) and before the
reports.

*Counts.* ``k`` members choosing the first strategy ``A`` is an equilibrium when
no member of ``A`` gains by switching (``k = 0`` or ``u_A(k) >= u_B(k - 1)``) and
no member of ``B`` does (``k = N`` or ``u_B(k) >= u_A(k + 1)``). Up to
``POLICY_LIMIT_POPULATION_EXACT_COUNTS`` (2,000) members every ``k`` is checked
exactly; beyond, both
inequalities are solved for ``k`` over the reals by sympy and the whole numbers in
the solution are the equilibria, the ends of every run checked exactly again. The
equilibria are reported as runs of consecutive counts.

*Symmetric mixed.* Every member chooses ``A`` with probability ``p``; the others'
choices make the number of other ``A`` members binomial ``(N - 1, p)``, so a member
is indifferent when ``D(p) = sum_j C(N-1, j) p^j (1-p)^(N-1-j) (u_A(j+1) - u_B(j)) = 0``,
a polynomial of degree ``N - 1``. Its real roots in ``(0, 1)`` are found exactly
(sympy's real-root isolation) up to ``POLICY_LIMIT_POPULATION_MIXED_MEMBERS`` (60)
members; each is an equilibrium (indifference makes any mixture a best response), stated as a root
of that polynomial when it is not rational.

Examples
--------
>>> from policy.loader import load_spec
>>> result = find_population_equilibria(PopulationGame.from_spec(load_spec("entry_population")))
>>> [(run.low, run.high) for run in result.counts]
[(2, 2)]
>>> [round(float(eq.probability), 4) for eq in result.symmetric]
[0.22]
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Mapping

import sympy

from .errors import ModelError
from .limits import exceeded, limit
from .market_equilibria import Deadline, _OutOfTime, decide
from .population import PopulationGame

__all__ = ["CountRun", "SymmetricEquilibrium",
           "PopulationEquilibria", "find_population_equilibria", "indifference_polynomial"]



@dataclass(frozen=True)
class CountRun:
    """Consecutive equilibrium counts: ``low`` … ``high`` members choose the first
    strategy (the rest the second); ``verified``: every condition decided exactly."""

    low: int
    high: int
    verified: bool


@dataclass(frozen=True)
class SymmetricEquilibrium:
    """Every member chooses the first strategy with ``probability`` (exact: a rational
    or a root of :attr:`polynomial`); ``payoff`` its expected payoff, approximately."""

    probability: sympy.Expr
    polynomial: sympy.Expr
    payoff: float
    verified: bool


@dataclass(frozen=True)
class PopulationEquilibria:
    """The equilibria of a population game at ``values``."""

    game: PopulationGame
    values: Mapping[str, sympy.Expr]
    members: int
    counts: tuple[CountRun, ...]
    symmetric: tuple[SymmetricEquilibrium, ...]
    complete: bool
    notes: tuple[str, ...] = field(default=())

    def __repr__(self) -> str:
        return (f"PopulationEquilibria({self.game.name!r}: {len(self.counts)} runs of counts, "
                f"{len(self.symmetric)} symmetric mixed)")


def _stays(game: PopulationGame, values, members: int):
    """The two staying conditions as functions of ``k`` (sympy expressions ≥ 0)."""
    k = game.count_symbol
    count = sympy.Integer(members)
    first = game.at(values, game.payoff(0, k, count) - game.payoff(1, k - 1, count))
    second = game.at(values, game.payoff(1, k, count) - game.payoff(0, k + 1, count))
    return k, first, second


def _holds(expr: sympy.Expr, k: sympy.Symbol, value: int) -> bool | None:
    number = expr.xreplace({k: sympy.Integer(value)})
    if number.has(sympy.zoo, sympy.nan):
        return None
    return decide(sympy.Ge(number, 0, evaluate=False))


def _is_equilibrium(k, first, second, value: int, members: int) -> bool | None:
    checks = []
    if value >= 1:
        checks.append(_holds(first, k, value))
    if value <= members - 1:
        checks.append(_holds(second, k, value))
    if False in checks:
        return False
    return None if None in checks else True


def _runs(values: list[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for value in sorted(values):
        if runs and runs[-1][1] == value - 1:
            runs[-1] = (runs[-1][0], value)
        else:
            runs.append((value, value))
    return runs


def _integers_in(region: sympy.Set, low: int, high: int) -> list[tuple[int, int]]:
    """Runs of whole numbers in ``region`` ∩ [low, high]."""
    pieces = region.args if isinstance(region, sympy.Union) else (region,)
    runs = []
    for piece in pieces:
        if piece is sympy.EmptySet:
            continue
        if isinstance(piece, sympy.FiniteSet):
            runs += [(int(v), int(v)) for v in piece if v.is_integer and low <= v <= high]
            continue
        if not isinstance(piece, sympy.Interval):
            raise ModelError(f"cannot read the solution set {piece}")
        start = low if piece.start == -sympy.oo else math.ceil(piece.start)
        if piece.start != -sympy.oo and piece.left_open and start == piece.start:
            start += 1
        stop = high if piece.end == sympy.oo else math.floor(piece.end)
        if piece.end != sympy.oo and piece.right_open and stop == piece.end:
            stop -= 1
        start, stop = max(start, low), min(stop, high)
        if start <= stop:
            runs.append((start, stop))
    return runs


def _count_runs(k, first, second, members: int, deadline: Deadline,
                notes: set[str]) -> list[CountRun]:
    if members <= limit("population_exact_counts"):
        found, undecided = [], False
        for value in range(members + 1):
            holds = deadline.run(lambda v=value: _is_equilibrium(k, first, second, v, members))
            if holds is None:
                undecided = True
            elif holds:
                found.append(value)
        if undecided:
            notes.add("some counts could not be decided exactly and are not listed")
        return [CountRun(low, high, True) for low, high in _runs(found)]
    try:
        stay_first = deadline.run(lambda: sympy.solve_univariate_inequality(
            sympy.Ge(first, 0), k, relational=False, domain=sympy.S.Reals))
        stay_second = deadline.run(lambda: sympy.solve_univariate_inequality(
            sympy.Ge(second, 0), k, relational=False, domain=sympy.S.Reals))
    except (_OutOfTime, NotImplementedError, ValueError, TypeError):
        notes.add(f"the counts of this population of {members} members could not be solved as "
                  "inequalities in k; none are listed (the list may be incomplete)")
        return []
    allowed_first = sympy.Union(stay_first.intersect(sympy.Interval(1, members)),
                                sympy.FiniteSet(0))
    allowed_second = sympy.Union(stay_second.intersect(sympy.Interval(0, members - 1)),
                                 sympy.FiniteSet(members))
    runs = []
    for low, high in _integers_in(allowed_first.intersect(allowed_second), 0, members):
        ends = [_is_equilibrium(k, first, second, v, members) for v in {low, high}]
        runs.append(CountRun(low, high, all(e is True for e in ends)))
    return runs


def indifference_polynomial(game: PopulationGame, values: Mapping[str, sympy.Expr],
                            members: int, p: sympy.Symbol) -> sympy.Expr:
    """``D(p)``: the first strategy's expected gain over the second when every other
    member chooses the first with probability ``p`` (see the module)."""
    count = sympy.Integer(members)
    total = sympy.Integer(0)
    for j in range(members):
        gain = game.at(values, game.payoff(0, sympy.Integer(j + 1), count)
                       - game.payoff(1, sympy.Integer(j), count))
        total += sympy.binomial(members - 1, j) * p**j * (1 - p)**(members - 1 - j) * gain
    return sympy.expand(total)


def _symmetric(game: PopulationGame, values, members: int, deadline: Deadline,
               notes: set[str]) -> list[SymmetricEquilibrium]:
    if members > limit("population_mixed_members"):
        notes.add(f"the symmetric mixed equilibrium is computed exactly for populations of up "
                  f"to {limit('population_mixed_members')} members; this one has {members} "
                  f"(not computed; {exceeded('population_mixed_members')})")
        return []
    p = sympy.Symbol("p", real=True)
    try:
        polynomial = deadline.run(lambda: indifference_polynomial(game, values, members, p))
    except _OutOfTime:
        notes.add("the indifference polynomial was not built within the time budget")
        return []
    if polynomial.has(sympy.zoo, sympy.nan) or not polynomial.is_polynomial(p):
        notes.add("a payoff is undefined at some count, so the symmetric mixed equilibrium is "
                  "not computed")
        return []
    if polynomial == 0:
        notes.add("every member is indifferent whatever the others do: every mixture is an "
                  "equilibrium")
        return []
    try:
        roots = deadline.run(lambda: [r for r in sympy.Poly(polynomial, p).real_roots()
                                      if 0 < r < 1])
    except (_OutOfTime, NotImplementedError, sympy.PolynomialError):
        notes.add("the indifference polynomial could not be solved exactly within the time "
                  "budget; symmetric mixed equilibria are not listed")
        return []
    found = []
    count = sympy.Integer(members)
    for root in sorted(set(roots), key=lambda r: float(r)):
        value = float(root)
        payoff = sum(math.comb(members - 1, j) * value**j * (1 - value)**(members - 1 - j)
                     * float(game.at(values, game.payoff(1, sympy.Integer(j), count)))
                     for j in range(members))
        found.append(SymmetricEquilibrium(root, polynomial, payoff, True))
    return found


def find_population_equilibria(game: PopulationGame, values: Mapping[str, object] | None = None
                               ) -> PopulationEquilibria:
    """Every pure equilibrium (as runs of counts) and every symmetric mixed equilibrium
    of ``game`` at its values updated with ``values``.

    Raises
    ------
    ModelError
        When a value breaks the game (a count that is not a whole number, …).
    """
    current = game.values_with(values)
    problem = game.value_problem(current)
    if problem:
        raise ModelError(f"{game.name}: {problem}")
    members = int(game.at(current, game.spec.count))
    notes: set[str] = set()
    deadline = Deadline()
    k, first, second = _stays(game, current, members)
    try:
        runs = _count_runs(k, first, second, members, deadline, notes)
    except _OutOfTime:
        notes.add("the counts were not all checked within the time budget "
                  "(POLICY_LIMIT_ANALYSIS_MILLISECONDS); the list may be incomplete")
        runs = []
    symmetric = _symmetric(game, current, members, deadline, notes)
    return PopulationEquilibria(game, current, members, tuple(runs), tuple(symmetric),
                                complete=not any("incomplete" in n or "not computed" in n
                                                 or "not listed" in n for n in notes),
                                notes=tuple(sorted(notes)))

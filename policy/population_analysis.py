"""When is a count an equilibrium of a population game: the two staying conditions in
``k`` and the parameters, the counts where they switch, and the value of each control
where they switch (so the controls that make a target count ``k`` an equilibrium:
``V/(k + 1) - F <= fee <= V/k - F`` for the bundled entry game).

Where this sits in the data flow: the analysis stage of population games (beside
:mod:`policy.analysis` and :mod:`policy.market_analysis`), after the model
(:mod:`policy.population`, whose notation it uses) and the solver
(:mod:`policy.population_equilibria`). sympy work runs within the analysis budget.

Examples
--------
>>> from policy.loader import load_spec
>>> analysis = analyze_population(PopulationGame.from_spec(load_spec("entry_population")))
>>> [(str(c.holds_when), [str(t) for t in c.thresholds]) for c in analysis.conditions]
[('-F + V/k - fee >= 0', ['V/(F + fee)']), ('F - V/(k + 1) + fee >= 0', ['(-F + V - fee)/(F + fee)'])]
>>> [[(name, str(value)) for name, value in c.controls] for c in analysis.conditions]
[[('fee', '-F + V/k')], [('fee', '(-F*k - F + V)/(k + 1)')]]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

import sympy

from .market_analysis import _tidy, _timed
from .market_equilibria import Deadline
from .population import PopulationGame
from .population_equilibria import PopulationEquilibria, find_population_equilibria

__all__ = ["StayCondition", "PopulationAnalysis", "analyze_population"]


@dataclass(frozen=True)
class StayCondition:
    """No member of ``strategy`` gains by switching: ``holds_when`` (in ``k``, the number
    choosing the first strategy), needed when ``applies``; ``thresholds``: the ``k``
    where it switches."""

    strategy: str
    holds_when: sympy.Basic
    applies: str
    thresholds: tuple[sympy.Expr, ...]
    at_current: tuple[float, ...]
    #: control name → the control's value (in ``k``) where the condition switches: the
    #: intervention that makes a target count ``k`` an equilibrium
    controls: tuple[tuple[str, sympy.Expr], ...] = ()


@dataclass(frozen=True)
class PopulationAnalysis:
    """Everything ``policy analyze`` says about a population game."""

    game: PopulationGame
    values: Mapping[str, sympy.Expr]
    conditions: tuple[StayCondition, ...]
    equilibria: PopulationEquilibria
    notes: tuple[str, ...] = field(default=())


def _solved(gain: sympy.Expr, symbol: sympy.Symbol) -> list[sympy.Expr] | None:
    """The roots of ``gain = 0`` in ``symbol``; None when sympy has no method (a
    payoff with ``min``/``max``, say)."""
    try:
        return sympy.solve(sympy.Eq(gain, 0), symbol)
    except (NotImplementedError, ValueError, TypeError):
        return None


def analyze_population(game: PopulationGame, values: Mapping[str, object] | None = None,
                       equilibria: PopulationEquilibria | None = None) -> PopulationAnalysis:
    """The staying conditions of ``game`` in closed form, their thresholds, and the
    equilibria at the current values (``equilibria`` when already solved)."""
    current = game.values_with(values)
    at = {game.symbols[name]: value for name, value in current.items()}
    deadline = Deadline()
    k = game.count_symbol
    spec = game.spec
    first, second = spec.strategies
    gains = [(first, game.payoff(0, k) - game.payoff(1, k - 1),
              f"{k} >= 1 (someone chooses {first})"),
             (second, game.payoff(1, k) - game.payoff(0, k + 1),
              f"{k} <= {spec.count} - 1 (someone chooses {second})")]
    notes: set[str] = set()
    conditions = []
    for strategy, gain, applies in gains:
        gain = _tidy(gain, deadline)
        roots = _timed(deadline, lambda g=gain: _solved(g, k), None)
        if roots is None:
            notes.add("some thresholds were not solved (sympy has no method for them, or the "
                      "time budget ran out)")
            roots = []
        roots = tuple(_tidy(r, deadline) for r in roots)
        numbers = []
        for root in roots:
            value = root.xreplace(at)
            if value.is_number and value.is_real:
                numbers.append(float(value))
        switches = []
        for control in spec.controls:
            symbol = game.symbols[control.name]
            if symbol not in gain.free_symbols:
                continue
            solved = _timed(deadline, lambda g=gain, x=symbol: _solved(g, x), None)
            if solved is None:
                notes.add("some thresholds were not solved (sympy has no method for them, or "
                          "the time budget ran out)")
                solved = []
            switches += [(control.name, _tidy(value, deadline)) for value in solved]
        conditions.append(StayCondition(strategy, sympy.Ge(gain, 0), applies, roots,
                                        tuple(numbers), tuple(switches)))
    solved = equilibria or find_population_equilibria(game, current)
    return PopulationAnalysis(game, current, tuple(conditions), solved,
                              tuple(sorted(notes | set(solved.notes))))

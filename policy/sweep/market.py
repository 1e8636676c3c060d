"""A market game along one parameter: the equilibrium choices, payoffs and (free entry)
number of firms at every point of a one-axis grid, each point solved exactly.

Where this sits: the sweep stage for market games, after
:mod:`policy.market_equilibria` (each point is an exact, verified solve) and
:mod:`policy.market_analysis` (the break-even profit, solved once in closed form,
gives the number of firms at every point through
:func:`~policy.market_analysis.firms_at`); before the reports, which draw it.

Examples
--------
>>> from fractions import Fraction
>>> from policy.loader import load_spec
>>> from policy.market import MarketGame
>>> from policy.sweep.grid import GridAxis
>>> game = MarketGame.from_spec(load_spec("cournot_entry"))
>>> swept = sweep_market(game, GridAxis("F", Fraction(1), Fraction(4), 4))
>>> swept.firms
((8, 5, 4, 3),)
>>> [round(row[0], 4) for row in swept.choices]
[2.25, 2.25, 2.25, 2.25]
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Mapping

import sympy

from ..errors import ModelError
from ..limits import limit
from ..market import MarketGame
from ..market_analysis import analyze_market, firms_at
from ..market_equilibria import Deadline, find_market_equilibria
from .grid import GridAxis

__all__ = ["MarketSweep", "sweep_market", "MAX_MARKET_POINTS"]

#: Most points of a market sweep (each is an exact solve).
MAX_MARKET_POINTS = 201


@dataclass(frozen=True)
class MarketSweep:
    """Per grid point: the first equilibrium's choices and payoffs (floats; None where
    there is none), how many equilibria, whether all were verified, and the free-entry
    number of firms of each population whose count is a parameter (``populations``)."""

    axis: GridAxis
    players: tuple[str, ...]
    variables: tuple[str, ...]
    values: tuple[sympy.Rational, ...]
    choices: tuple[tuple[float | None, ...], ...]
    payoffs: tuple[tuple[float | None, ...], ...]
    equilibria: tuple[int, ...]
    verified: tuple[bool, ...]
    populations: tuple[str, ...]
    firms: tuple[tuple[int | None, ...], ...]
    seconds: float


def sweep_market(game: MarketGame, axis: GridAxis,
                 values: Mapping[str, object] | None = None) -> MarketSweep:
    """Solve ``game`` at every point of ``axis`` (the other names at their values).

    Raises
    ------
    ModelError
        When the axis is not a parameter or control, or has too many points.
    """
    start = time.process_time()
    if axis.name not in game.symbols:
        raise ModelError(f"--vary {axis}: '{axis.name}' is not a parameter or control of "
                         f"{game.name}; declared: {', '.join(game.symbols)}")
    if axis.points > MAX_MARKET_POINTS:
        raise ModelError(f"--vary {axis}: a market sweep solves every point exactly; at most "
                         f"{MAX_MARKET_POINTS} points are allowed")
    base = game.values_with(values)
    analysis = analyze_market(game, base)
    entries = [(entry, game.symbols[entry.count]) for entry in analysis.free_entry]
    points = [sympy.Rational(axis.exact(i).numerator, axis.exact(i).denominator)
              for i in range(axis.points)]
    choices, payoffs, counts, verified = [], [], [], []
    firms: list[list[int | None]] = [[] for _ in entries]
    for point in points:
        current = {**base, axis.name: point}
        try:
            solved = find_market_equilibria(game, current)
        except ModelError:
            solved = None
        first = solved.equilibria[0] if solved and solved.equilibria else None
        choices.append(tuple(float(c) for c in first.choices) if first else
                       (None,) * len(game.players))
        payoffs.append(tuple(float(u) for u in first.payoffs) if first else
                       (None,) * len(game.players))
        counts.append(len(solved.equilibria) if solved else 0)
        verified.append(bool(solved) and all(eq.verified for eq in solved.equilibria))
        at = {game.symbols[name]: value for name, value in current.items()}
        for column, (entry, n) in zip(firms, entries):
            others = {s: v for s, v in at.items() if s != n}
            column.append(firms_at(entry.profit, n, entry.break_even, others,
                                   Deadline(limit("analysis_milliseconds") / 1000))[0])
    return MarketSweep(axis, game.players, tuple(p.variable.name for p in game.spec.players),
                       tuple(points), tuple(choices), tuple(payoffs), tuple(counts),
                       tuple(verified), tuple(entry.population for entry, _ in entries),
                       tuple(tuple(column) for column in firms), time.process_time() - start)

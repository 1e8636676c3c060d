"""A population game along one parameter: the pure equilibria (counts) and the
symmetric mixed equilibria at every point of a one-axis grid, each point solved
exactly.

Where this sits: the sweep stage for population games, after
:mod:`policy.population_equilibria` (each point is an exact, verified solve:
counts checked one by one up to ``POLICY_LIMIT_POPULATION_EXACT_COUNTS`` members,
solved as inequalities in the count beyond; the symmetric mixed equilibrium a root
of the indifference polynomial up to ``POLICY_LIMIT_POPULATION_MIXED_MEMBERS``);
before the reports, which draw it. The axis may be the population's size ``N``
(then every point must be a whole number of at least 1) or any parameter or
control.

Examples
--------
>>> from fractions import Fraction
>>> from policy.loader import load_spec
>>> from policy.population import PopulationGame
>>> from policy.sweep.grid import GridAxis
>>> game = PopulationGame.from_spec(load_spec("entry_population"))
>>> swept = sweep_population(game, GridAxis("F", Fraction(1), Fraction(4), 4))
>>> [point.counts for point in swept.points]   # k enter when 12/k >= F >= 12/(k + 1)
[((10, 10),), ((5, 6),), ((3, 4),), ((2, 3),)]
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Mapping

import sympy

from ..errors import ModelError
from ..population import PopulationGame
from ..population_equilibria import find_population_equilibria
from .grid import GridAxis

__all__ = ["PopulationPoint", "PopulationSweep", "sweep_population", "MAX_POPULATION_POINTS"]

#: Most points of a population sweep (each is an exact solve).
MAX_POPULATION_POINTS = 201


@dataclass(frozen=True)
class PopulationPoint:
    """One point: the axis value, the number of members, the runs of equilibrium
    counts ``(low, high)`` (members choosing the first strategy), the symmetric mixed
    probabilities (exact), whether every answer was verified and complete, what
    broke the game there (None: nothing) and the solve's notes (what was not
    computed, and why)."""

    value: sympy.Rational
    members: int | None
    counts: tuple[tuple[int, int], ...]
    symmetric: tuple[sympy.Expr, ...]
    verified: bool
    complete: bool
    problem: str | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class PopulationSweep:
    """A population game solved at every point of one axis."""

    axis: GridAxis
    population: str
    strategies: tuple[str, ...]
    points: tuple[PopulationPoint, ...]
    seconds: float
    #: what ``--save`` names in its refusal (population sweeps are in sweep.json)
    kind = "population"

    @property
    def values(self) -> tuple[sympy.Rational, ...]:
        return tuple(point.value for point in self.points)


def sweep_population(game: PopulationGame, axis: GridAxis,
                     values: Mapping[str, object] | None = None) -> PopulationSweep:
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
    if axis.points > MAX_POPULATION_POINTS:
        raise ModelError(f"--vary {axis}: a population sweep solves every point exactly; at "
                         f"most {MAX_POPULATION_POINTS} points are allowed")
    base = game.values_with(values)
    points = []
    for i in range(axis.points):
        exact = axis.exact(i)
        value = sympy.Rational(exact.numerator, exact.denominator)
        try:
            solved = find_population_equilibria(game, {**{k: str(v) for k, v in base.items()},
                                                       axis.name: str(value)})
        except ModelError as err:
            points.append(PopulationPoint(value, None, (), (), False, False, str(err)))
            continue
        points.append(PopulationPoint(
            value, int(solved.members),
            tuple((int(run.low), int(run.high)) for run in solved.counts),
            tuple(eq.probability for eq in solved.symmetric),
            all(run.verified for run in solved.counts)
            and all(eq.verified for eq in solved.symmetric), solved.complete,
            notes=solved.notes))
    spec = game.spec
    return PopulationSweep(axis, spec.population, tuple(spec.strategies), tuple(points),
                           time.process_time() - start)

"""The population kind: N identical members choosing between two strategies; pure
equilibria as counts ("k of N enter") and symmetric mixed equilibria.

Where it sits: behind :mod:`policy.kinds`, after the stages it calls —
:mod:`policy.population` (the model), :mod:`policy.population_equilibria`,
:mod:`policy.population_analysis` and :mod:`policy.report.population` — each
imported by the question that needs it; ``sweep`` (one axis, e.g. the number of
members ``N``) by :mod:`policy.sweep.population`. The questions it does not answer
yet (``optimize``, ``uncertainty``, ``export``) raise a
:class:`~policy.errors.ModelError` naming the kind, as for markets
(:class:`~policy.kinds.market.Market`, whose answers to them it shares).

Examples
--------
>>> from policy.api import load
>>> game = load("entry_population")
>>> POPULATION.owns(game), POPULATION.name
(True, 'population')
>>> [(run.low, run.high) for run in POPULATION.solve(game, {"F": 2}).counts]
[(5, 6)]
"""

from __future__ import annotations

from pathlib import Path
from typing import Mapping, Sequence

from ..errors import GameFileError, ModelError
from ..population import PopulationGame
from ..spec import PopulationSpec
from .market import Market

__all__ = ["Population", "POPULATION"]


class Population(Market):
    """Population games: identical members, two strategies, counts and symmetric mixing."""

    name = "population"
    not_yet = ("optimize", "uncertainty")

    def describes(self, spec) -> bool:
        return isinstance(spec, PopulationSpec)

    def owns(self, game) -> bool:
        return isinstance(game, PopulationGame)

    def model(self, spec: PopulationSpec) -> PopulationGame:
        return PopulationGame.from_spec(spec)

    def check(self, game: PopulationGame, path: Path) -> tuple[dict, list[str]]:
        """Validate ``game`` and look for likely mistakes (unused names, missing values)."""
        spec = game.spec
        problem = game.value_problem(game.default_values())
        if problem:
            raise GameFileError(f"{path}: the default values: {problem}")
        used = {str(s) for expr in (*spec.payoffs, spec.count) for s in expr.free_symbols}
        problems = []
        for item in (*spec.parameters, *spec.controls):
            if item.name not in used:
                kind = "parameter" if item in spec.parameters else "control"
                section = "parameters" if kind == "parameter" else "controls"
                problems.append(f"{path}:{spec.line_of(f'{section}.{item.name}')}: {kind} "
                                f"'{item.name}' is not used by any payoff")
        for parameter in spec.parameters:
            if parameter.value is None:
                problems.append(f"{path}:{spec.line_of('parameters.' + parameter.name)}: "
                                f"parameter '{parameter.name}' has no value; solve needs "
                                f"--set {parameter.name}=…")
        summary = {"name": spec.name, "path": str(path), "players": [spec.population],
                   "kind": self.name, "parameters": len(spec.parameters),
                   "controls": len(spec.controls),
                   "text": (f"population game: {spec.count} {spec.population} choosing "
                            f"{' or '.join(spec.strategies)}; {len(spec.parameters)} parameters, "
                            f"{len(spec.controls)} controls")}
        return summary, problems

    def solve(self, game: PopulationGame, values: Mapping[str, object] | None = None, *,
              method: str = "auto"):
        from ..population_equilibria import find_population_equilibria

        if method != "auto":
            raise ModelError(f"--method {method} applies to normal-form games; population "
                             "games are solved by counts and the symmetric mixed equilibrium "
                             "(method auto)")
        return find_population_equilibria(game, values)

    def analyze(self, game: PopulationGame, values: Mapping[str, object] | None = None, *,
                max_support: int = 3, equilibria=None):
        from ..population_analysis import analyze_population

        return analyze_population(game, values, equilibria)

    def default_mode(self, game: PopulationGame) -> str:
        raise self._not_yet("optimize", game)

    def optimize(self, game: PopulationGame, values: Mapping[str, object] | None = None,
                 **options):
        raise self._not_yet("optimize", game)

    def sweep(self, game: PopulationGame, axes: Sequence, values=None, **options):
        """The equilibria at every point of one axis (``options`` of the normal-form
        sweep, such as ``mixed`` or ``engine``, do not apply and are ignored)."""
        from ..sweep.population import sweep_population

        if len(axes) != 1:
            raise ModelError(f"--vary: a sweep of a population game has one axis, got "
                             f"{len(axes)}")
        return sweep_population(game, axes[0], values)

    def sweep_extras(self, game: PopulationGame, result, values=None, **options) -> dict:
        """Nothing beside the sweep itself (``--optimize`` maps apply to normal-form
        games)."""
        if options.get("optimize"):
            raise self._not_yet("optimize", game)
        return {}

    def report_part(self, part: str, game: PopulationGame, result, command: str, **extras):
        """The report of ``part`` (solve, analyze or sweep; the others are not available
        yet)."""
        from ..report import population

        builders = {"solve": population.build_population_solve_report,
                    "analyze": population.build_population_analyze_report}
        if part == "sweep":
            return population.build_population_sweep_report(game, result, command, **extras)
        if part in self.not_yet:
            raise self._not_yet(part, game)
        if part not in builders:
            raise ModelError(f"unknown report part '{part}'; choose "
                             f"{', '.join([*builders, 'sweep', *self.not_yet])}")
        return builders[part](game, result, command)

    def full_report(self, game: PopulationGame, values: Mapping[str, object] | None = None, *,
                    axes: Sequence | None = None, samples: int = 0, seed: int = 0,
                    command: str = "", timestamp: str | None = None):
        """Solve, analyze and (``axes``, else the file's first ``vary:`` axis) a sweep as
        one report; the stages not available yet are skipped, with the reason."""
        from ..report.population import build_population_full_report

        solved = self.solve(game, values)
        analysis = self.analyze(game, values, equilibria=solved)
        grid = list(axes) if axes else self.default_axes(game)
        skipped = self.skipped()
        sweep = None
        if grid:
            sweep = self.report_part("sweep", game, self.sweep(game, grid, values), command)
        else:
            skipped["sweep"] = "the file declares no vary: axis"
        return build_population_full_report(
            game, self.report_part("solve", game, solved, command),
            self.report_part("analyze", game, analysis, command), command, skipped,
            timestamp, sweep)


#: The one population kind (it holds no state).
POPULATION = Population()


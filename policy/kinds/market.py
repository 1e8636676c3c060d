"""The market kind: firms (or populations of N identical firms) choosing quantities,
prices or capacities on intervals, with a leader moving first when one is declared.

Where it sits: behind :mod:`policy.kinds`, after the stages it calls —
:mod:`policy.market` (the model), :mod:`policy.market_equilibria` (equilibria from
KKT conditions, verified exactly), :mod:`policy.market_analysis` (closed forms,
free entry, comparative statics) and :mod:`policy.report.market` — each imported by
the question that needs it.

``optimize`` maximises the file's ``welfare:`` over its instrument
(:mod:`policy.market_policy`). Questions this kind does not answer yet
(``uncertainty``, ``export``) raise a :class:`~policy.errors.ModelError` naming the
kind; ``policy report`` skips them and says why.

Examples
--------
>>> from policy.api import load
>>> game = load("cournot_entry")
>>> MARKET.owns(game), MARKET.name
(True, 'market')
>>> [str(eq.choices[0]) for eq in MARKET.solve(game, {"N": 2}).equilibria]
['3']
>>> MARKET.optimize(game)
Traceback (most recent call last):
...
policy.errors.ModelError: cournot_entry declares no welfare: objective, so optimize has nothing to maximise; add a welfare: section with the instrument, the consumers' inverse demand and the public costs (docs/game-files.md)
>>> MARKET.optimize(load("scale_vs_niche")).status
'best found'
"""

from __future__ import annotations

from pathlib import Path
from typing import Mapping, Sequence

from ..errors import GameFileError, ModelError
from ..market import MarketGame
from ..spec import MarketSpec

__all__ = ["Market", "MARKET", "NOT_YET"]

#: The questions market (and population) games do not answer yet, and what the
#: report says instead ({kind}: the kind's name). Markets answer ``sweep`` (one axis).
NOT_YET = {
    "optimize": "the regulator's optimal policy is not available yet for {kind} games",
    "sweep": "phase diagrams are not available yet for {kind} games",
    "uncertainty": "uncertainty analysis is not available yet for {kind} games",
}


class Market:
    """Market games: continuous choices, populations of identical firms, leaders."""

    name = "market"
    #: The questions of :data:`NOT_YET` this kind does not answer.
    not_yet = ("uncertainty",)
    #: What ``optimize`` does on a market game: maximise the file's ``welfare:``.
    mode = "welfare"

    def describes(self, spec) -> bool:
        return isinstance(spec, MarketSpec)

    def owns(self, game) -> bool:
        return isinstance(game, MarketGame)

    def model(self, spec: MarketSpec) -> MarketGame:
        return MarketGame.from_spec(spec)

    def _not_yet(self, question: str, game: MarketGame):
        return ModelError(f"{question} is not available yet for {self.name} games ({game.name} "
                          f"is a {self.name} game); solve, analyze and report are")

    def value_problem(self, game: MarketGame, values: Mapping[str, object]) -> str | None:
        return game.value_problem(values)

    def check(self, game: MarketGame, path: Path) -> tuple[dict, list[str]]:
        """Validate ``game`` (read from ``path``) and look for likely mistakes: declared
        names no payoff, count or bound uses; parameters without a value."""
        spec = game.spec
        problem = game.value_problem(game.default_values())
        if problem:
            raise GameFileError(f"{path}: the default values: {problem}")
        used: set[str] = set()
        for player in spec.players:
            for expr in (player.payoff, player.count, player.variable.low,
                         player.variable.high):
                if expr is not None:
                    used |= {str(s) for s in expr.free_symbols}
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
        shape = ", ".join(f"{p.name} ({'' if not p.is_population else f'{p.count} firms, '}"
                          f"{p.variable.name})" for p in spec.players)
        summary = {"name": spec.name, "path": str(path), "players": list(spec.player_names),
                   "kind": self.name, "parameters": len(spec.parameters),
                   "controls": len(spec.controls),
                   "text": (f"market game, {len(spec.players)} players: {shape}; "
                            f"{len(spec.parameters)} parameters, {len(spec.controls)} controls")}
        return summary, problems

    def solve(self, game: MarketGame, values: Mapping[str, object] | None = None, *,
              method: str = "auto"):
        from ..market_equilibria import find_market_equilibria

        if method != "auto":
            raise ModelError(f"--method {method} applies to normal-form games; market games "
                             "are solved from their first-order (KKT) conditions (method auto)")
        return find_market_equilibria(game, values)

    def analyze(self, game: MarketGame, values: Mapping[str, object] | None = None, *,
                max_support: int = 3, equilibria=None):
        from ..market_analysis import analyze_market

        return analyze_market(game, values)

    def default_mode(self, game: MarketGame) -> str:
        return self.mode

    def optimize(self, game: MarketGame, values: Mapping[str, object] | None = None, *,
                 mode: str | None = None, **options):
        """The instrument's value maximising the file's ``welfare:`` at the equilibrium,
        verified (the normal-form options, such as ``target`` or ``robust``, do not
        apply: a market's regulator maximises welfare)."""
        from ..market_policy import optimize_welfare

        if mode not in (None, self.mode):
            raise ModelError(f"--mode {mode} applies to normal-form games; optimize on a market "
                             "game maximises the welfare: the file declares")
        return optimize_welfare(game, values)

    def default_axes(self, game: MarketGame, analysis=None) -> list:
        """The file's first ``vary:`` axis (a market sweep has one axis), else none."""
        from ..sweep import GridAxis

        return [GridAxis.parse(text) for text in game.spec.vary[:1]]

    def sweep(self, game: MarketGame, axes: Sequence, values=None, **options):
        """The equilibrium at every point of one axis (``options`` of the normal-form
        sweep, such as ``mixed`` or ``engine``, do not apply and are ignored)."""
        from ..sweep.market import sweep_market

        if len(axes) != 1:
            raise ModelError(f"--vary: a sweep of a market game has one axis, got {len(axes)}")
        return sweep_market(game, axes[0], values)

    def sweep_extras(self, game: MarketGame, result, values=None, **options) -> dict:
        """Nothing beside the sweep itself (``--optimize`` maps apply to normal-form
        games)."""
        if options.get("optimize"):
            raise ModelError("--optimize maps the cheapest policy of a normal-form game; on a "
                             f"market game ({game.name}) run policy optimize at each value")
        return {}

    def uncertainty(self, game: MarketGame, samples: int, seed: int = 0, values=None, **options):
        raise self._not_yet("uncertainty", game)

    def report_part(self, part: str, game: MarketGame, result, command: str, **extras):
        """The report of ``part`` (solve, analyze, optimize or sweep; uncertainty is not
        available yet)."""
        from ..report import market

        builders = {"solve": market.build_market_solve_report,
                    "analyze": market.build_market_analyze_report,
                    "optimize": market.build_market_optimize_report}
        if part == "sweep":
            return market.build_market_sweep_report(game, result, command, **extras)
        if part in self.not_yet:
            raise self._not_yet(part, game)
        if part not in builders:
            raise ModelError(f"unknown report part '{part}'; choose "
                             f"{', '.join([*builders, 'sweep', *self.not_yet])}")
        return builders[part](game, result, command)

    def full_report(self, game: MarketGame, values: Mapping[str, object] | None = None, *,
                    axes: Sequence | None = None, samples: int = 0, seed: int = 0,
                    command: str = "", timestamp: str | None = None):
        """Solve, analyze and (``axes``, else the file's first ``vary:`` axis) a sweep as
        one report; the stages not available yet are listed as skipped, with the reason."""
        from ..report.market import build_market_full_report

        solved = self.solve(game, values)
        analysis = self.analyze(game, values)
        grid = list(axes) if axes else self.default_axes(game)
        skipped = self.skipped()
        optimize = None
        if game.spec.welfare is not None:
            optimize = self.report_part("optimize", game, self.optimize(game, values), command)
        else:
            skipped["optimize"] = "the file declares no welfare: objective to maximise"
        sweep = None
        if grid:
            sweep = self.report_part("sweep", game, self.sweep(game, grid, values), command)
        else:
            skipped["sweep"] = "the file declares no vary: axis"
        return build_market_full_report(
            game, self.report_part("solve", game, solved, command),
            self.report_part("analyze", game, analysis, command), command, skipped,
            timestamp, sweep, optimize)

    def skipped(self) -> dict[str, str]:
        """What ``policy report`` leaves out for this kind, with the reason."""
        return {part: NOT_YET[part].format(kind=self.name) for part in self.not_yet}

    def export(self, game: MarketGame, values: Mapping[str, object], fmt: str) -> str:
        raise self._not_yet("export", game)


#: The one market kind (it holds no state).
MARKET = Market()

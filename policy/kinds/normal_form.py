"""The normal-form kind: games in strategic form (YAML normal form, Gambit ``.nfg``).

Where it sits: behind :mod:`policy.kinds` (the interface every kind answers), after
the stages it calls — :mod:`policy.symbolic` (the model), :mod:`policy.equilibria`,
:mod:`policy.analysis`, :mod:`policy.optimize`, :mod:`policy.sweep`
and :mod:`policy.report` — each imported by the question that
needs it, so that loading a game loads neither numpy, PuLP, numba nor matplotlib.

Examples
--------
>>> from policy.api import load
>>> game = load("inspection")
>>> NORMAL_FORM.owns(game)
True
>>> NORMAL_FORM.default_mode(game)
'commit'
"""

from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path
from typing import Mapping, Sequence

import sympy

from ..errors import GameFileError, ModelError
from ..spec import GameSpec
from ..limits import exceeded, limit
from ..symbolic import SymbolicGame

__all__ = ["NormalForm", "NORMAL_FORM", "MODES", "EXPORT_FORMATS", "REPORT_GRID_POINTS", "REPORT_SAMPLES"]

#: What ``optimize`` can do: the leader's optimal commitment, the cheapest controls
#: implementing a target, or every pure profile ranked by its cheapest implementation.
MODES = ("commit", "implement", "rank")
#: The formats :meth:`NormalForm.export` writes.
EXPORT_FORMATS = ("nfg",)
#: Points per axis of the default sweep in ``policy report``.
REPORT_GRID_POINTS = 101
#: Points per axis of the probe that estimates how degenerate the report's grid is.
REPORT_PROBE_POINTS = 11
#: Draws of the uncertain parameters in ``policy report``.
REPORT_SAMPLES = 2000


class NormalForm:
    """Games in strategic form: players, strategies and a payoff per profile."""

    name = "normal form"

    def describes(self, spec) -> bool:
        return isinstance(spec, GameSpec)

    def owns(self, game) -> bool:
        return isinstance(game, SymbolicGame)

    def model(self, spec: GameSpec) -> SymbolicGame:
        return SymbolicGame.from_spec(spec)

    def check(self, game: SymbolicGame, path: Path) -> tuple[dict, list[str]]:
        """Validate ``game`` (read from ``path``) and look for likely mistakes.

        Returns a summary and a list of problems: declared names no payoff uses,
        parameters without a value, players whose payoffs never change.
        """
        spec = game.spec
        _refuse_bad_defaults(game, path)
        problems = []
        used: set[str] = set()
        for row in spec.payoffs:
            for expr in row:
                used |= {str(s) for s in expr.free_symbols}
        if spec.objective is not None:
            used |= {str(s) for s in spec.objective.free_symbols}
        for item in (*spec.parameters, *spec.controls):
            if item.name not in used:
                kind = "parameter" if item in spec.parameters else "control"
                line = spec.line_of(f"{'parameters' if kind == 'parameter' else 'controls'}."
                                    f"{item.name}")
                problems.append(f"{path}:{line}: {kind} '{item.name}' is not used by any payoff")
        for parameter in spec.parameters:
            if parameter.value is None:
                problems.append(f"{path}:{spec.line_of('parameters.' + parameter.name)}: "
                                f"parameter '{parameter.name}' has no value; solve needs "
                                f"--set {parameter.name}=…")
        for index, player in enumerate(spec.players):
            if len({row[index] for row in spec.payoffs}) == 1:
                problems.append(f"{path}: player '{player.name}' gets the same payoff everywhere")
        shape = " × ".join(f"{p.name} ({len(p.strategies)})" for p in spec.players)
        summary = {
            "name": spec.name, "path": str(path), "players": list(spec.player_names),
            "profiles": len(spec.payoffs), "parameters": len(spec.parameters),
            "controls": len(spec.controls),
            "text": (f"{len(spec.players)} players: {shape}; {len(spec.payoffs)} profiles, "
                     f"{len(spec.parameters)} parameters, {len(spec.controls)} controls"),
        }
        return summary, problems

    def value_problem(self, game: SymbolicGame, values: Mapping[str, sympy.Expr]) -> str | None:
        """What breaks ``game`` at ``values`` (all of its names), in words naming the
        payoff or assumption: an assumption that does not hold, a payoff that divides
        by zero or whose sign cannot be decided exactly. None when nothing does."""
        problem = _value_problem(game, values)
        return problem[3] if problem else None

    def solve(self, game: SymbolicGame, values: Mapping[str, object] | None = None, *,
              method: str = "auto"):
        from ..equilibria import find_equilibria

        return find_equilibria(game.bind(values or {}), method=method)

    def select(self, game: SymbolicGame, result, *, seed: int = 0):
        """Which of ``result``'s equilibria each selection criterion picks
        (:func:`policy.selection.select_equilibrium`)."""
        from ..selection import select_equilibrium

        return select_equilibrium(result, seed=seed)

    def analyze(self, game: SymbolicGame, values: Mapping[str, object] | None = None, *,
                max_support: int = 3, equilibria=None):
        from ..analysis import analyze

        return analyze(game, values, max_support=max_support, equilibria=equilibria)

    def default_mode(self, game: SymbolicGame) -> str:
        """What ``policy optimize`` does without ``--mode``: what the file declares.

        An ``objective:`` → ``commit``; a ``target:`` → ``implement``; a ``leader`` →
        ``commit``; otherwise ``rank`` (every pure profile by its cheapest implementation).
        """
        spec = game.spec
        if spec.objective is not None and spec.leader:
            return "commit"
        if spec.target:
            return "implement"
        if spec.leader:
            return "commit"
        return "rank"

    def optimize(self, game: SymbolicGame, values: Mapping[str, object] | None = None, *,
                 mode: str | None = None, target: Mapping[str, str] | None = None,
                 robust: str | None = "nash", margin=None, transfers: bool = False,
                 pessimistic: bool = False, scenarios: int = 0, seed: int = 0,
                 confidence: float = 1.0, solver: str = "cbc", time_limit: float | None = None,
                 basin_share=None, path=None):
        """Run the optimisation ``mode`` (default: :meth:`default_mode`); ``path``
        applies to game trees only.

        Returns a CommitmentResult, an ImplementationResult, or (mode ``rank``) a list
        of them.
        """
        from ..optimize import (SolverOptions, cheapest_implementation, optimal_commitment,
                                rank_profiles)

        if path:
            raise ModelError("--path applies to game trees; a matrix game's target is "
                             "--target player=strategy")
        robust = robust or "nash"
        mode = mode or ("implement" if target else self.default_mode(game))
        options = SolverOptions(solver, time_limit)
        if mode == "commit":
            return optimal_commitment(game, values, pessimistic=pessimistic, margin=margin,
                                      solver=options)
        if mode == "implement":
            goal = dict(target or game.spec.target)
            if not goal:
                raise ModelError(f"{game.name} declares no target; give one with "
                                 "--target player=strategy (or use --mode rank)")
            return cheapest_implementation(game, goal, values, robust=robust, margin=margin,
                                           transfers=transfers, scenarios=scenarios, seed=seed,
                                           confidence=confidence, solver=options,
                                           basin_share=basin_share)
        if mode == "rank":
            return rank_profiles(game, values, robust=robust, margin=margin,
                                 transfers=transfers, solver=options)
        raise ModelError(f"unknown mode '{mode}'; choose commit, implement or rank")

    def default_axes(self, game: SymbolicGame, analysis=None) -> list:
        """The sweep ``policy report`` draws when no ``--vary`` is given: the file's
        ``vary:`` axes if it declares them; else the first two parameters with a
        declared ``range`` that appear in a threshold of ``analysis`` (else the first
        two with a range), then controls with bounds, each over its range with
        :data:`REPORT_GRID_POINTS` points. Empty when nothing has a range.
        """
        from ..sweep import GridAxis

        if game.spec.vary:
            return [GridAxis.parse(text) for text in game.spec.vary]
        in_thresholds = ({t.parameter for t in analysis.thresholds} if analysis is not None
                         else set())
        candidates = [(p.name, p.range) for p in game.spec.parameters if p.range]
        candidates += [(c.name, c.bounds) for c in game.spec.controls if c.bounds]
        ranked = sorted(candidates, key=lambda item: item[0] not in in_thresholds)
        axes = []
        for name, (low, high) in ranked[:2]:
            if low != high:
                axes.append(GridAxis(name, Fraction(str(low)), Fraction(str(high)),
                                     REPORT_GRID_POINTS))
        return axes

    def report_grid(self, game: SymbolicGame, values: Mapping[str, object] | None = None,
                    analysis=None) -> tuple[list, str | None]:
        """The grid of ``policy report``'s phase diagram, and why it is coarser than
        :meth:`default_axes` when it is (else None).

        Points where the float engines cannot decide (ties: degenerate games) are
        solved one by one by the exact engine; for two-player games larger than 2×2
        (2×2 grids and pure equilibria are decided exactly at any size) a grid
        degenerate everywhere would take minutes. A probe of
        :data:`REPORT_PROBE_POINTS` points per axis estimates how many points the
        full grid would send to the exact engine; past the limit
        ``report_exact_points`` the diagram gets fewer points per axis, the same
        for every run (the estimate counts points, never seconds). A file's
        ``vary:`` grid is drawn as declared.
        """
        from ..sweep import GridAxis
        from ..sweep.exact import runs_engine_per_point

        axes = self.default_axes(game, analysis)
        if not axes or game.spec.vary:
            return axes, None
        if len(game.players) > 2:
            return self._n_player_report_grid(axes)
        if not runs_engine_per_point(game, two_player_mixed=True):
            return axes, None
        full = math.prod(a.points for a in axes)
        probe = self.sweep(game, [GridAxis(a.name, a.start, a.stop, min(a.points, REPORT_PROBE_POINTS))
                                  for a in axes], values)
        share = probe.exact_points / probe.points
        budget = limit("report_exact_points")
        if share * full <= budget:
            return axes, None
        points = max(REPORT_PROBE_POINTS, int((budget / share) ** (1 / len(axes))))
        while points > REPORT_PROBE_POINTS and share * points ** len(axes) > budget:
            points -= 1  # the root's rounding
        if points >= max(a.points for a in axes):
            return axes, None
        coarse = [GridAxis(a.name, a.start, a.stop, min(a.points, points)) for a in axes]
        example = f"{axes[0].name}={axes[0].start}:{axes[0].stop}:{axes[0].points}"
        note = (f"The diagram has {points} points per axis, not {axes[0].points}: the game is "
                f"degenerate at {share:.0%} of a {probe.points}-point probe of this grid, and "
                f"each such point is solved exactly, one by one; {points} points per axis keep "
                f"that within {budget:,} points ({exceeded('report_exact_points')}). "
                f"`policy sweep` draws any grid, e.g. `--vary {example}`.")
        return coarse, note

    @staticmethod
    def _n_player_report_grid(axes: list) -> tuple[list, str | None]:
        """With three or more players every point of the diagram is solved completely
        (mixed equilibria included) by the exact engine, so the grid keeps within
        ``n_player_sweep_points`` points: a coarser diagram, never a pure-only one."""
        from ..sweep import GridAxis

        budget = limit("n_player_sweep_points")
        if math.prod(a.points for a in axes) <= budget:
            return axes, None
        points = int(budget ** (1 / len(axes)))
        while (points + 1) ** len(axes) <= budget:
            points += 1  # the root's rounding
        while points > 2 and points ** len(axes) > budget:
            points -= 1
        coarse = [GridAxis(a.name, a.start, a.stop, min(a.points, points)) for a in axes]
        example = f"{axes[0].name}={axes[0].start}:{axes[0].stop}:{axes[0].points}"
        note = (f"The diagram has {points} points per axis, not {axes[0].points}: with three or "
                f"more players each point is solved completely (mixed equilibria included) by "
                f"the exact engine, within {budget:,} points "
                f"({exceeded('n_player_sweep_points')}). `policy sweep` draws finer grids "
                f"(pure equilibria only past that limit), e.g. `--vary {example}`.")
        return coarse, note

    def sweep(self, game: SymbolicGame, axes: Sequence, values: Mapping[str, object] | None = None,
              *, mixed: bool = True, progress=None, client=None, engine: str | None = None):
        from ..sweep import sweep

        return sweep(game, axes, values, mixed=mixed, progress=progress, client=client,
                     engine=engine)

    def sweep_extras(self, game: SymbolicGame, result, values: Mapping[str, object] | None = None,
                     *, boundaries: bool = True, optimize: bool = False,
                     target: Mapping[str, str] | None = None, robust: str = "nash",
                     mixed: bool = True, progress=None, analysis=None,
                     select: str | None = None) -> dict:
        """What a sweep report shows beside its regions, as keyword arguments of
        :func:`policy.report.build_sweep_report`: the boundaries from ``analyze`` that
        separate regions, equilibrium paths for a one-axis sweep, and (``optimize``) the
        cheapest policy for ``target`` (default: the file's) at every grid point; for 2×2
        games, the risk-dominant equilibrium at every grid point (when some point has one).
        ``select`` (:data:`policy.sweep.selection_map.CRITERIA`) asks for one selection map:
        ``risk-dominant`` (2×2 games) or ``logit`` (the end of the logit path at each
        point, any game). ``analysis``: an :class:`policy.analysis.Analysis` already
        computed at ``values``.
        """
        from ..analysis import analyze
        from ..analysis import boundaries as condition_lines
        from ..sweep import equilibrium_paths, policy_map, separating_boundaries

        names = [a.name for a in result.axes]
        extras: dict = {}
        if boundaries:
            lines = condition_lines(analysis or analyze(game, values), game, names, result.values)
            extras["boundaries"] = separating_boundaries(result, game, lines)
        if len(result.axes) == 1:
            extras["paths"] = equilibrium_paths(game, result.axes[0], values, mixed=mixed)
        if optimize:
            extras["policy_map"] = policy_map(game, result.axes, dict(target or game.spec.target),
                                              values, robust=robust, progress=progress)
        from ..sweep.selection_map import CRITERIA, logit_map, risk_dominance_map

        if select is not None and select not in CRITERIA:
            raise ModelError(f"unknown selection criterion '{select}'; choose "
                             f"{', '.join(CRITERIA)}")
        if select == "logit":
            extras["selection_map"] = logit_map(game, result.axes, result.values)
        elif select == "risk-dominant" and game.shape != (2, 2):
            raise ModelError(f"--select risk-dominant maps 2×2 games; {game.name} is "
                             f"{'×'.join(map(str, game.shape))} (try --select logit)")
        elif game.shape == (2, 2):
            found = risk_dominance_map(game, result.axes, result.values)
            if select or (found.labels >= 0).any():  # "none" everywhere says nothing
                extras["selection_map"] = found
        return extras

    def uncertainty(self, game: SymbolicGame, samples: int, seed: int = 0,
                    values: Mapping[str, object] | None = None, *, mixed: bool = True):
        from ..sweep import uncertainty

        return uncertainty(game, samples, seed, values, mixed=mixed)

    def report_part(self, part: str, game: SymbolicGame, result, command: str, **extras):
        """The report of ``part`` (solve, analyze, optimize, sweep, uncertainty).

        ``extras``: ``values`` for optimize (the values the policy was chosen at), the
        keyword arguments of :func:`policy.report.build_sweep_report` for sweep; for
        solve, ``selection`` (default: :meth:`select` of ``result``, the likely outcome).
        """
        from .. import report

        builders = {"solve": report.build_solve_report, "analyze": report.build_analyze_report,
                    "optimize": report.build_optimize_report,
                    "sweep": report.build_sweep_report,
                    "uncertainty": report.build_uncertainty_report}
        if part not in builders:
            raise ModelError(f"unknown report part '{part}'; choose {', '.join(builders)}")
        if part == "optimize":
            return builders[part](game, result, command, extras["values"])
        if part == "solve" and extras.get("selection") is None:
            extras["selection"] = self.select(game, result)
        return builders[part](game, result, command, **extras)

    def full_report(self, game: SymbolicGame, values: Mapping[str, object] | None = None, *,
                    axes: Sequence | None = None, samples: int = REPORT_SAMPLES, seed: int = 0,
                    command: str = "", timestamp: str | None = None):
        """Run the whole pipeline (solve, analyze, optimize, a sweep, uncertainty) and
        return one :class:`policy.report.Report` of kind ``report``.

        Stages that do not apply (no controls or leader to optimise, no ranges to
        sweep, no distributions to sample) are skipped and the report says why.
        """
        from ..optimize import cheapest_implementation
        from ..report.document import build_full_report
        from ..report.summary import recommended_controls

        values = dict(values or {})
        current = game.values_with(values)
        spec = game.spec
        parts: dict = {}
        skipped: dict[str, str] = {}
        solved = self.solve(game, values)
        parts["solve"] = self.report_part("solve", game, solved, command)
        analysis = self.analyze(game, values, equilibria=solved)  # not solved again
        parts["analyze"] = self.report_part("analyze", game, analysis, command)
        if spec.controls or spec.leader:
            result = self.optimize(game, values)
            parts["optimize"] = self.report_part("optimize", game, result, command,
                                                 values=current)
            if getattr(result, "mode", None) == "implement" and result.other_equilibria:
                unique = cheapest_implementation(game, result.target, values, robust="unique")
                parts["optimize_unique"] = self.report_part("optimize", game, unique, command,
                                                            values=current)
                parts.update(self._selected_policies(game, result.target, values, command,
                                                     current))
        else:
            skipped["optimize"] = "the game declares no regulator controls and no leader"
        grid, note = (list(axes), None) if axes else self.report_grid(game, values, analysis)
        if grid:
            swept = self.sweep(game, grid, values)
            extras = self.sweep_extras(game, swept, values, analysis=analysis)
            parts["sweep"] = self.report_part("sweep", game, swept, command, note=note, **extras)
        else:
            skipped["sweep"] = "no parameter declares a range and no control has bounds"
        if any(p.distribution is not None for p in spec.parameters):
            drawn = self.uncertainty(game, samples, seed, values)
            parts["uncertainty"] = self.report_part("uncertainty", game, drawn, command)
            policy = recommended_controls(parts.get("optimize"))
            if policy:  # the same draws with the recommended controls in place
                drawn = self.uncertainty(game, samples, seed, {**values, **policy})
                parts["uncertainty_policy"] = self.report_part("uncertainty", game, drawn,
                                                               command)
        else:
            skipped["uncertainty"] = "no parameter declares a distribution (dist:)"
        return build_full_report(game, parts, command, skipped, timestamp)

    def _selected_policies(self, game: SymbolicGame, target, values, command, current) -> dict:
        """For a game with several equilibria: the cheapest policies making the target
        the equilibrium risk dominance and the logit limit select (parts
        ``optimize_risk_dominant`` and ``optimize_logit``; exact for 2×2 games, the best
        a bounded search finds otherwise), and the one whose replicator basin holds at
        least 90% of starting points (``optimize_basin``, searched, seed 0); a notion
        the game does not allow (risk dominance beyond two players, controls without
        bounds) is left out."""
        from ..optimize import cheapest_implementation

        parts = {}
        for robust in ("risk-dominant", "logit", "basin"):
            try:
                result = cheapest_implementation(game, target, values, robust=robust)
            except ModelError:
                continue
            parts[f"optimize_{robust.replace('-', '_')}"] = self.report_part(
                "optimize", game, result, command, values=current)
        return parts

    def export(self, game: SymbolicGame, values: Mapping[str, object], fmt: str) -> str:
        """``game`` at ``values`` as a Gambit strategic-form file (``fmt`` ``nfg``)."""
        from ..readers.nfg import to_nfg

        if fmt not in EXPORT_FORMATS:
            raise ModelError(f"unknown export format '{fmt}'; choose {', '.join(EXPORT_FORMATS)}")
        return to_nfg(game.spec, values)


#: The one normal-form kind (it holds no state).
NORMAL_FORM = NormalForm()


def _refuse_bad_defaults(game: SymbolicGame, path: Path) -> None:
    """Raise GameFileError (file:line: field:) when the default values break the file
    (see :func:`_value_problem`), or its ``vary:`` grid is larger than allowed."""
    spec = game.spec
    points = math.prod(int(axis.rsplit(":", 1)[1]) for axis in spec.vary)
    if spec.vary and points > limit("grid_points"):  # what sweep and report would refuse
        raise GameFileError(f"{path}:{spec.line_of('vary')}: vary: the grid has {points} points; "
                            f"at most {limit('grid_points')} are allowed (use fewer points or "
                            f"{exceeded('grid_points')})")
    problem = _value_problem(game, game.default_values(), "the default values")
    if problem:
        line_path, field_path, message, _ = problem
        raise GameFileError(f"{path}:{spec.line_of(line_path)}: {field_path}: {message}")


def _value_problem(game: SymbolicGame, values: Mapping[str, sympy.Expr],
                   where: str | None = None) -> tuple[str, str, str, str] | None:
    """What breaks the game at ``values`` (``where`` names them; default: the values
    themselves), as ``(line path, field, message, message naming the payoff)``: an ``assumptions:`` relation that
    does not hold, a payoff that divides by zero, or a payoff whose sign cannot be
    decided exactly (``1/(log(6)-log(2)-log(3))``). Relations and payoffs with a symbol
    that has no value are left to the commands, which ask for ``--set`` first."""
    spec = game.spec
    at = {game.symbols[name]: value for name, value in values.items()}

    def shown(expr: sympy.Basic) -> str:
        names = sorted((str(s) for s in expr.free_symbols if s in at), key=list(values).index)
        return ", ".join(f"{name} = {values[name]}" for name in names)

    for index, relation in enumerate(spec.assumptions):
        if relation.free_symbols <= set(at) and relation.xreplace(at) is sympy.false:
            field_path = f"assumptions[{index}]"
            message = (f"'{relation}' does not hold at {where or shown(relation)}"
                       + (f" ({shown(relation)})" if where else ""))
            return field_path, field_path, message, f"assumption {message}"
    for profile, payoffs in zip(spec.profiles(), spec.payoffs):
        for index, expr in enumerate(payoffs):
            if not expr.free_symbols <= set(at):
                continue
            value = expr.xreplace(at)
            line_path = "payoffs." + ".".join(profile)
            payoff = f"the payoff of {spec.players[index].name} at ({', '.join(profile)}), {expr},"
            if value.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
                message = (f"division by zero at {where or shown(expr)}"
                           + (f" ({shown(expr)})" if where else ""))
                return (line_path, f"{line_path}[{index}]", f"{message}: {expr}",
                        f"{payoff} divides by zero at {shown(expr)}")
            if value.is_extended_real is False:
                continue  # the numeric stage says: not a finite real number, at these values
            if not _sign_is_decided(value):
                return (line_path, f"{line_path}[{index}]",
                        _UNDECIDED_SIGN.format(value, where or shown(expr)),
                        f"{payoff} is {value} at {shown(expr)}, a number whose sign cannot "
                        "be decided exactly (a hidden zero?); write the payoff so that it is "
                        "a rational number there")
    return None


_UNDECIDED_SIGN = ("the sign of {} cannot be decided exactly (a hidden zero?); write the payoff "
                   "so that it is a rational number at {}")


def _sign_is_decided(value: sympy.Expr) -> bool:
    """Whether sympy can tell, exactly, that a number and every denominator in it are
    negative, zero or positive (no numeric guessing)."""
    parts = [value, *(p.base for p in sympy.preorder_traversal(value)
                      if isinstance(p, sympy.Pow) and p.exp.is_negative)]
    return all(part.is_rational or any((part.is_zero, part.is_positive, part.is_negative))
               for part in parts)

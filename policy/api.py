"""The small Python API behind the CLI (re-exported by :mod:`policy`).

Examples
--------
>>> import policy
>>> game = policy.load("inspection")
>>> result = policy.solve(game, {"f": 12})
>>> result
EquilibriumSet('inspection': 1 equilibria, 0 continua; method exact, exact arithmetic)
>>> [str(p) for p in result.equilibria[0].strategies[0]]
['1/4', '3/4']
"""

from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path
from typing import Iterable, Mapping, Sequence

import sympy

from .equilibria import EquilibriumSet, find_equilibria
from .errors import GameFileError, ModelError
from .limits import exceeded, limit
from .gamefile import load_game, parse_assignment, resolve_game_path, value_problem
from .symbolic import SymbolicGame

__all__ = ["load", "solve", "optimize", "default_mode", "parse_overrides", "check_game",
           "new_game_text", "sweep_extras", "default_axes", "full_report"]


def load(game: str | Path) -> SymbolicGame:
    """Load a game file (YAML or ``.nfg``) or a bundled game by name."""
    if isinstance(game, SymbolicGame):
        return game
    return SymbolicGame.from_spec(load_game(resolve_game_path(game)))


def parse_overrides(game: SymbolicGame, assignments: Iterable[str]) -> dict[str, sympy.Expr]:
    """``["f=12", "c=1/2"]`` → ``{"f": 12, "c": 1/2}``, checked against the game."""
    result: dict[str, sympy.Expr] = {}
    for text in assignments:
        name, value = parse_assignment(text, game.spec)
        if name in result:
            raise GameFileError(f"--set '{text}': '{name}' is set twice; set each name once")
        problem = value_problem(game.spec, name, value)
        if problem:
            raise GameFileError(f"--set '{text}': {problem}")
        result[name] = value
    if result:
        problem = _value_problem(game, {**game.default_values(), **result})
        if problem:
            shown = " ".join(f"--set {text}" for text in assignments)
            raise GameFileError(f"{shown}: {problem[3]}")
    return result


def solve(game: SymbolicGame | str | Path, values: Mapping[str, object] | None = None,
          method: str = "auto") -> EquilibriumSet:
    """Every Nash equilibrium of ``game`` at its values updated with ``values``."""
    symbolic = load(game)
    return find_equilibria(symbolic.bind(values or {}), method=method)


def check_game(game: str | Path) -> tuple[dict, list[str]]:
    """Validate a game and look for likely mistakes.

    Returns a summary and a list of problems: declared names no payoff uses,
    parameters without a value, players whose payoffs never change.
    """
    path = resolve_game_path(game)
    symbolic = SymbolicGame.from_spec(load_game(path))
    spec = symbolic.spec
    _refuse_bad_defaults(symbolic, path)
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
            line = spec.line_of(f"{'parameters' if kind == 'parameter' else 'controls'}.{item.name}")
            problems.append(f"{path}:{line}: {kind} '{item.name}' is not used by any payoff")
    for parameter in spec.parameters:
        if parameter.value is None:
            problems.append(f"{path}:{spec.line_of('parameters.' + parameter.name)}: parameter "
                            f"'{parameter.name}' has no value; solve needs --set {parameter.name}=…")
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


_TEMPLATE = Path(__file__).with_name("template.yaml")


def new_game_text(name: str) -> str:
    """A commented game file named ``name`` to start from (it loads and solves)."""
    import re

    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", name) or len(name) > 80:
        raise ModelError(f"game name '{name[:90]}' is not allowed: use at most 80 letters, digits, "
                         "'_', '-' or '.', starting with a letter or digit")
    return _TEMPLATE.read_text(encoding="utf-8").replace("__NAME__", name)


def default_mode(game: SymbolicGame) -> str:
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


def optimize(game: SymbolicGame | str | Path, *, mode: str | None = None,
             target: Mapping[str, str] | None = None, values: Mapping[str, object] | None = None,
             robust: str = "nash", margin=None, transfers: bool = False, pessimistic: bool = False,
             scenarios: int = 0, seed: int = 0, confidence: float = 1.0,
             solver: str = "cbc", time_limit: float | None = None):
    """Run the optimisation ``mode`` (default: :func:`default_mode`) and return its result.

    Returns a CommitmentResult, an ImplementationResult, or (mode ``rank``) a list of them.
    """
    from .optimize import (SolverOptions, cheapest_implementation, optimal_commitment,
                           rank_profiles)

    symbolic = load(game)
    mode = mode or ("implement" if target else default_mode(symbolic))
    options = SolverOptions(solver, time_limit)
    if mode == "commit":
        return optimal_commitment(symbolic, values, pessimistic=pessimistic, margin=margin,
                                  solver=options)
    if mode == "implement":
        goal = dict(target or symbolic.spec.target)
        if not goal:
            raise ModelError(f"{symbolic.name} declares no target; give one with "
                             "--target player=strategy (or use --mode rank)")
        return cheapest_implementation(symbolic, goal, values, robust=robust, margin=margin,
                                       transfers=transfers, scenarios=scenarios, seed=seed,
                                       confidence=confidence, solver=options)
    if mode == "rank":
        return rank_profiles(symbolic, values, robust=robust, margin=margin, transfers=transfers,
                             solver=options)
    raise ModelError(f"unknown mode '{mode}'; choose commit, implement or rank")


def sweep_extras(game: SymbolicGame, result, values: Mapping[str, object] | None = None, *,
                 boundaries: bool = True, optimize: bool = False,
                 target: Mapping[str, str] | None = None, robust: str = "nash",
                 mixed: bool = True, progress=None, analysis=None) -> dict:
    """What a sweep report shows beside its regions, as keyword arguments of
    :func:`policy.report.build_sweep_report`: the boundaries from ``analyze`` that
    separate regions, equilibrium paths for a one-axis sweep, and (``optimize``) the
    cheapest policy for ``target`` (default: the file's) at every grid point.
    ``analysis``: an :class:`policy.analysis.Analysis` already computed at ``values``.
    """
    from .analysis import analyze
    from .analysis import boundaries as condition_lines
    from .sweep import equilibrium_paths, policy_map, separating_boundaries

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
    return extras


#: Points per axis of the default sweep in ``policy report``.
REPORT_GRID_POINTS = 101
#: Draws of the uncertain parameters in ``policy report``.
REPORT_SAMPLES = 2000


def default_axes(game: SymbolicGame, analysis=None) -> list:
    """The sweep ``policy report`` draws when no ``--vary`` is given: the file's
    ``vary:`` axes if it declares them; else the first two parameters with a declared
    ``range`` that appear in a threshold of ``analysis`` (else the first two with a
    range), then controls with bounds, each over its range with
    ``REPORT_GRID_POINTS`` points. Empty when nothing has a range.
    """
    from .sweep import GridAxis

    if game.spec.vary:
        return [GridAxis.parse(text) for text in game.spec.vary]
    in_thresholds = {t.parameter for t in analysis.thresholds} if analysis is not None else set()
    candidates = [(p.name, p.range) for p in game.spec.parameters if p.range]
    candidates += [(c.name, c.bounds) for c in game.spec.controls if c.bounds]
    ranked = sorted(candidates, key=lambda item: item[0] not in in_thresholds)
    axes = []
    for name, (low, high) in ranked[:2]:
        if low != high:
            axes.append(GridAxis(name, Fraction(str(low)), Fraction(str(high)), REPORT_GRID_POINTS))
    return axes


def full_report(game: SymbolicGame | str | Path, values: Mapping[str, object] | None = None, *,
                axes: Sequence | None = None, samples: int = REPORT_SAMPLES, seed: int = 0,
                command: str = "", timestamp: str | None = None):
    """Run the whole pipeline (solve, analyze, optimize, a sweep, uncertainty) and
    return one :class:`policy.report.Report` of kind ``report``.

    Stages that do not apply (no controls or leader to optimise, no ranges to
    sweep, no distributions to sample) are skipped and the report says why.
    """
    from .analysis import analyze
    from .optimize import cheapest_implementation
    from .report import (build_analyze_report, build_optimize_report, build_solve_report,
                         build_sweep_report, build_uncertainty_report)
    from .report.document import build_full_report, recommended_controls
    from .sweep import sweep, uncertainty

    symbolic = load(game)
    values = dict(values or {})
    current = symbolic.values_with(values)
    spec = symbolic.spec
    parts: dict = {}
    skipped: dict[str, str] = {}
    parts["solve"] = build_solve_report(symbolic, solve(symbolic, values), command)
    analysis = analyze(symbolic, values)
    parts["analyze"] = build_analyze_report(symbolic, analysis, command)
    if spec.controls or spec.leader:
        result = optimize(symbolic, values=values)
        parts["optimize"] = build_optimize_report(symbolic, result, command, current)
        if getattr(result, "mode", None) == "implement" and result.other_equilibria:
            unique = cheapest_implementation(symbolic, result.target, values, robust="unique")
            parts["optimize_unique"] = build_optimize_report(symbolic, unique, command, current)
    else:
        skipped["optimize"] = "the game declares no regulator controls and no leader"
    grid = list(axes) if axes else default_axes(symbolic, analysis)
    if grid:
        swept = sweep(symbolic, grid, values)
        extras = sweep_extras(symbolic, swept, values, analysis=analysis)
        parts["sweep"] = build_sweep_report(symbolic, swept, command, **extras)
    else:
        skipped["sweep"] = "no parameter declares a range and no control has bounds"
    if any(p.distribution is not None for p in spec.parameters):
        drawn = uncertainty(symbolic, samples, seed, values)
        parts["uncertainty"] = build_uncertainty_report(symbolic, drawn, command)
        policy = recommended_controls(parts.get("optimize"))
        if policy:  # the same draws with the recommended controls in place
            drawn = uncertainty(symbolic, samples, seed, {**values, **policy})
            parts["uncertainty_policy"] = build_uncertainty_report(symbolic, drawn, command)
    else:
        skipped["uncertainty"] = "no parameter declares a distribution (dist:)"
    return build_full_report(symbolic, parts, command, skipped, timestamp)

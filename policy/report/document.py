"""Report builders: result objects → typed report data (no rendering here).

The report package's flow: result objects (:class:`~policy.EquilibriumSet`,
analysis, optimize and sweep results) → ``build_*_report`` here → a typed report
(:mod:`.model`) → Markdown and JSON (:mod:`.render`), HTML (:mod:`.html`),
terminal text (:mod:`.text`) → files (:mod:`.writer`). The full report's summary
in plain words is built here too, from the stage reports.
"""

from __future__ import annotations

import functools
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import sympy

from .. import __version__
from ..algebraic import Algebraic
from ..equilibria import Equilibrium, EquilibriumSet
from ..loader import bundled_games
from ..symbolic import SymbolicGame
from . import figures as drawing  # looked up at call time (tests replace the drawing functions)
from .model import (REPORT_FIGURE_PREFIX, AnalyzeReport, Boundary, Candidate, CommitmentPolicy,
                    Component, Condition, ConditionThreshold, ControlDetail, Equilibria,
                    EquilibriumItem, FullReport, ImplementationPolicy, LeaderCommitment,
                    MixedEquilibrium, OptimizeReport, Outcome, ParameterDetail, Paths,
                    PayoffEntry, PolicyControl, PolicyMap, Provenance, PureCommitment,
                    RankedPolicies, Region, SimultaneousEquilibrium, SolveReport, Stages,
                    BasinItem, BasinsItem, LogitLimit, LogitPoint, SelectionMap, SelectionRegion, NashProductPair, RiskDominant,
                    SelectionDocument,
                    StrictThreshold, SweepReport, UncertaintyReport)
from .summary import plain_summary, sentence_markdown, sentence_text

__all__ = ["build_solve_report", "build_optimize_report", "build_analyze_report", "build_sweep_report",
           "build_uncertainty_report", "build_full_report", "latex", "provenance", "number_json",
           "exact_text", "equilibria_document", "selection_document", "commitment_document",
           "implementation_document"]


def exact_text(value: Any) -> str:
    """Exact text of a number: ``"2/7"``, ``"4"``, ``"sqrt(2)"``.

    >>> exact_text(Fraction(2, 7)), exact_text(sympy.Integer(4)), exact_text(0.5)
    ('2/7', '4', '0.5')
    """
    if isinstance(value, float):
        return repr(value)
    return str(value)


def number_json(value: Any) -> int | float:
    """A JSON number: integers stay integers, everything else becomes a float.

    >>> number_json(Fraction(4)), number_json(Fraction(1, 4)), number_json(sympy.Rational(3, 2))
    (4, 0.25, 1.5)
    """
    if isinstance(value, sympy.Basic):
        if value.is_Integer:
            return int(value)
        return float(value.evalf(17))
    if isinstance(value, Fraction):
        return int(value) if value.denominator == 1 else float(value)
    if isinstance(value, int):
        return value
    number = float(value)
    return 0.0 if number == 0 else number  # no "-0.0" in reports


def provenance(game: SymbolicGame, command: str, **extra: Any) -> Provenance:
    """Where a report comes from: tool version, command, input file and hash."""
    source = game.spec.source
    return Provenance(tool=f"policy {__version__}", command=command,
                      input=_input_path(source.path) if source else None,
                      input_format=source.format if source else None,
                      input_sha256=source.sha256 if source else None,
                      extra=extra, libraries=library_versions())


@functools.lru_cache(maxsize=1)
def library_versions() -> str:
    """The versions that shape a report's numbers, text and figures.

    >>> "sympy" in library_versions()
    True
    """
    from importlib.metadata import PackageNotFoundError, version

    names = ("nashpy", "pulp", "sympy", "numpy", "matplotlib", "latex2mathml", "markdown-it-py")
    found = []
    for name in names:
        try:
            found.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            found.append(f"{name} (not installed)")
    return ", ".join(found)


def _input_path(path: str) -> str:
    """The input as the user gave it; a bundled game as ``games/<file>``, so reports
    do not depend on where the tool is installed."""
    resolved = Path(path).resolve()
    bundled = bundled_games().get(resolved.stem)
    if bundled is not None and bundled.resolve() == resolved:
        return f"games/{resolved.name}"
    return str(path)


def _strategies_json(result: EquilibriumSet, eq: Equilibrium, exact: bool) -> dict[str, Any]:
    game = result.game
    return {
        player: {strategy: (exact_text(p) if exact else number_json(p))
                 for strategy, p in zip(game.strategies[i], eq.strategies[i])}
        for i, player in enumerate(game.players)
    }


def _equilibrium_item(result: EquilibriumSet, eq: Equilibrium) -> EquilibriumItem:
    game = result.game
    return EquilibriumItem(
        strategies=_strategies_json(result, eq, exact=False),
        payoffs={player: number_json(v) for player, v in zip(game.players, eq.payoffs)},
        exact=_strategies_json(result, eq, exact=True) if eq.exact else None,
        exact_payoffs=({player: exact_text(v) for player, v in zip(game.players, eq.payoffs)}
                       if eq.exact else None),
        pure=eq.is_pure, pareto_dominated=eq.pareto_dominated, verified=eq.verified,
        verified_exactly=eq.verified and eq.exact)


def _component(result: EquilibriumSet, component) -> Component:
    game = result.game
    if component.supports is not None:
        return Component(equilibria=list(component.equilibria), convex_sets=[], supports={
            player: [game.strategies[i][s] for s in support]
            for i, (player, support) in enumerate(zip(game.players, component.supports))})
    pieces = []
    for row_points, column_points in component.convex_sets:
        pieces.append({
            game.players[0]: [{s: exact_text(p) for s, p in zip(game.strategies[0], point)}
                              for point in row_points],
            game.players[1]: [{s: exact_text(p) for s, p in zip(game.strategies[1], point)}
                              for point in column_points],
        })
    return Component(equilibria=list(component.equilibria), convex_sets=pieces)


def _symbol_table(game: SymbolicGame, values: dict[str, sympy.Expr]
                  ) -> tuple[tuple[ParameterDetail, ...], tuple[ControlDetail, ...]]:
    parameters = tuple(ParameterDetail(
        name=p.name, value=exact_text(values[p.name]) if p.name in values else None,
        default=exact_text(p.value) if p.value is not None else None,
        description=p.description, unit=p.unit,
        range=[exact_text(v) for v in p.range] if p.range else None,
        positive=p.positive,
        distribution=str(p.distribution) if p.distribution else None,
    ) for p in game.spec.parameters)
    controls = tuple(ControlDetail(
        name=c.name, value=exact_text(values[c.name]), default=exact_text(c.value),
        description=c.description, unit=c.unit,
        bounds=[exact_text(v) for v in c.bounds] if c.bounds else None,
        cost=exact_text(c.cost), type=c.type,
    ) for c in game.spec.controls)
    return parameters, controls


def equilibria_document(result: EquilibriumSet) -> Equilibria:
    """The equilibria of a solve, with how they were found (part of a solve report)."""
    return Equilibria(
        method=result.method, complete=result.complete, exact_arithmetic=result.exact,
        tolerance=result.tolerance, degenerate=result.degenerate,
        degeneracy_reason=result.degeneracy_reason,
        equilibria=tuple(_equilibrium_item(result, eq) for eq in result.equilibria),
        components=tuple(_component(result, c) for c in result.components),
        notes=list(result.notes))


def _equilibrium_name(result: EquilibriumSet, index: int) -> str:
    """``#3 (restrain, enter)`` for a pure equilibrium, ``#2 (mixed)`` otherwise."""
    eq = result.equilibria[index]
    if eq.is_pure:
        names = ", ".join(result.game.strategies[i][s[0]] for i, s in enumerate(eq.supports))
        return f"#{index + 1} ({names})"
    return f"#{index + 1} (mixed)"


def _percent_text(share: float) -> str:
    return f"{100 * share:.1f}%"


#: The criteria in the order the report names them: JSON key, words.
SELECTION_CRITERIA = (("risk_dominance", "risk dominance"), ("payoff_dominance", "payoff dominance"),
                      ("logit_limit", "the logit path"), ("replicator", "replicator dynamics"),
                      ("best_response", "best-response dynamics"))


def _selection_words(result: EquilibriumSet, selection, selected: dict[str, int | None]
                     ) -> list[str]:
    """The likely outcome in plain sentences: each criterion's answer, then where they
    agree and disagree."""
    name = functools.partial(_equilibrium_name, result)
    count = len(result.equilibria)
    if count == 0:
        return ["No equilibrium was found, so there is nothing to select."]
    sentences = []
    if count == 1:
        sentences.append(f"There is a single equilibrium, {name(0)}, so there is nothing to "
                         "choose between; the dynamics below say whether play gets there.")
    risk = selection.risk_dominance
    if risk.equilibrium is not None:
        beaten = [(p, p.equilibria[1] if p.equilibria[0] == risk.equilibrium else p.equilibria[0])
                  for p in risk.pairs if risk.equilibrium in p.equilibria]
        against = "; ".join(
            f"{exact_text(p.products[p.equilibria.index(risk.equilibrium)])} against "
            f"{exact_text(p.products[p.equilibria.index(other)])} for {name(other)}"
            for p, other in beaten)
        sentences.append(f"Risk dominance selects {name(risk.equilibrium)}: the product of the "
                         f"two players' losses from deviating from it is {against}, so it is the "
                         "safer bet when each side is unsure what the other will do.")
    elif count > 1:
        sentences.append(f"Risk dominance selects nothing here ({risk.reason}).")
    payoff = selection.payoff_dominance
    if payoff.equilibrium is not None:
        sentences.append(f"Payoff dominance selects {name(payoff.equilibrium)}: every player "
                         "earns more there than in any other equilibrium.")
    elif count > 1:
        sentences.append(f"Payoff dominance selects nothing here ({payoff.reason}).")
    logit = selection.logit
    if logit.equilibrium is not None:
        turning = " (it turns back on itself on the way)" if logit.has_turning_point else ""
        if logit.bifurcations:
            turning += (" after crossing a bifurcation, where another branch meets it: a "
                        "knife-edge case, which a small change of the payoffs tips one way or "
                        "the other")
        sentences.append(f"The logit path, along which players err less and less, ends at "
                         f"{name(logit.equilibrium)}{turning}.")
    else:
        sentences.append(f"The logit path gives no answer: {logit.reason}.")
    for basin in selection.basins:
        words = dict(SELECTION_CRITERIA)[basin.dynamic]
        if not basin.points:
            sentences.append(f"The basins of {words} were {basin.note}.")
            continue
        parts = [f"{name(s.equilibrium)} from {_percent_text(s.share)} (95% interval "
                 f"{_percent_text(s.interval_95[0])}–{_percent_text(s.interval_95[1])})"
                 for s in basin.shares if s.equilibrium is not None]
        unsettled = basin.share_of(None)
        text = (f"Starting from {basin.points} random mixes of strategies, {words} "
                f"reach " + ("; ".join(parts) if parts else "no listed equilibrium"))
        if unsettled.count:
            text += f"; {_percent_text(unsettled.share)} do not settle at a listed equilibrium"
        sentences.append(text + ".")
    if count > 1:
        sentences.append(_agreement(selected, name))
    return sentences


def _agreement(selected: dict[str, int | None], name) -> str:
    words = dict(SELECTION_CRITERIA)
    by_equilibrium: dict[int, list[str]] = {}
    for key, index in selected.items():
        if index is not None:
            by_equilibrium.setdefault(index, []).append(words[key])
    if not by_equilibrium:
        return "No criterion selects an equilibrium, so the outcome depends on expectations alone."

    def listed(items: list[str]) -> str:
        return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]

    if len(by_equilibrium) == 1 and sum(map(len, by_equilibrium.values())) == 1:
        (index, (criterion,)), = by_equilibrium.items()
        return (f"Only {criterion} selects an equilibrium, {name(index)}; no other criterion "
                "does, so the outcome remains open.")
    if len(by_equilibrium) == 1:
        (index, criteria), = by_equilibrium.items()
        silent = [words[k] for k, v in selected.items() if v is None]
        return (f"The criteria that give an answer agree: {name(index)} is the likely outcome "
                f"(selected by {listed(criteria)}"
                + (f"; {listed(silent)} select{'s' if len(silent) == 1 else ''} nothing" if silent
                   else "") + ").")
    ranked = sorted(by_equilibrium.items(), key=lambda item: (-len(item[1]), item[0]))
    return ("The criteria disagree: " + "; ".join(
        f"{listed(criteria)} select{'s' if len(criteria) == 1 else ''} {name(index)}"
        for index, criteria in ranked) + ".")


#: The most points of the logit path a report's JSON holds (evenly spread over the
#: traced points, the first and the last always included).
LOGIT_PATH_POINTS = 41


def logit_path_points(game, logit, most: int = LOGIT_PATH_POINTS) -> tuple[LogitPoint, ...]:
    """The traced branch of ``logit`` (a :class:`policy.selection.LogitSelection`),
    thinned to at most ``most`` points, λ to 6 significant digits and probabilities to
    6 decimals (so that the JSON does not depend on the last bits of the arithmetic).

    >>> from policy.numeric import NumericGame
    >>> from policy.equilibria import find_equilibria
    >>> from policy.selection import logit_selection
    >>> pd = NumericGame.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> points = logit_path_points(pd, logit_selection(find_equilibria(pd)), most=3)
    >>> [(p.lambda_, p.profile["row"]) for p in points][:1], len(points)
    ([(0.0, [0.5, 0.5])], 3)
    """
    count = len(logit.lambdas)
    if count == 0:
        return ()
    keep = sorted({round(k * (count - 1) / (most - 1)) for k in range(most)}) if count > most \
        else range(count)
    return tuple(LogitPoint(
        lambda_=float(f"{logit.lambdas[k]:.6g}"),
        profile={player: [round(float(p), 6) + 0.0 for p in logit.profiles[i][k]]
                 for i, player in enumerate(game.players)}) for k in keep)


def selection_document(result: EquilibriumSet, selection) -> SelectionDocument:
    """Which equilibrium each criterion of a :class:`policy.selection.Selection` picks,
    as report data (indices into the solve report's ``equilibria``)."""
    game = result.game
    risk = selection.risk_dominance
    risk_dominant = None
    if risk.equilibrium is not None:
        eq = result.equilibria[risk.equilibrium]
        products = {str(risk.equilibrium): None}
        for pair in (p for p in risk.pairs if risk.equilibrium in p.equilibria):
            for index, product in zip(pair.equilibria, pair.products):
                products[str(index)] = exact_text(product)
        risk_dominant = RiskDominant(
            equilibrium=risk.equilibrium,
            profile={p: game.strategies[i][s[0]] for i, (p, s) in
                     enumerate(zip(game.players, eq.supports))},
            nash_products=products)
    basins = {}
    for basin in selection.basins:
        basins[basin.dynamic] = BasinsItem(
            points=basin.points, seed=basin.seed, steps=basin.steps, step_size=basin.step_size,
            shares=tuple(BasinItem(equilibrium=s.equilibrium, count=s.count, share=s.share,
                                   interval_95=list(s.interval_95)) for s in basin.shares),
            note=basin.note or None)
    logit = selection.logit
    selected = {"risk_dominance": risk.equilibrium,
                "payoff_dominance": selection.payoff_dominance.equilibrium,
                "logit_limit": logit.equilibrium,
                **{basin.dynamic: basin.largest for basin in selection.basins}}
    return SelectionDocument(
        risk_dominant=risk_dominant, risk_dominance=risk.reason,
        nash_products=tuple(NashProductPair(equilibria=list(p.equilibria),
                                            nash_products=[exact_text(v) for v in p.products],
                                            dominant=p.dominant) for p in risk.pairs),
        payoff_dominant=selection.payoff_dominance.equilibrium,
        payoff_dominance=selection.payoff_dominance.reason,
        logit_limit=logit.equilibrium,
        logit=LogitLimit(equilibrium=logit.equilibrium, match=logit.match, status=logit.status,
                         steps=logit.steps, points=logit.points,
                         turning_point=logit.has_turning_point,
                         bifurcations=list(logit.bifurcations), reason=logit.reason,
                         path=logit_path_points(game, logit)),
        basins=basins, selected=selected,
        summary=_selection_words(result, selection, selected))


def build_solve_report(game: SymbolicGame, result: EquilibriumSet, command: str,
                       selection=None, draw: bool = True) -> SolveReport:
    """Everything ``policy solve`` reports, as data (``selection``: a
    :class:`policy.selection.Selection` of ``result``, shown as "the likely outcome",
    with its figure unless ``draw`` is False)."""
    values = dict(result.game.values)
    spec = game.spec
    parameters, controls = _symbol_table(game, values)
    profiles = []
    numeric = result.game
    flat_exact = [a.reshape(-1) for a in numeric.exact_payoffs] if numeric.is_exact else None
    flat_float = [a.reshape(-1) for a in numeric.payoffs]
    for index, (profile, expressions) in enumerate(zip(spec.profiles(), spec.payoffs)):
        profiles.append(PayoffEntry(
            profile=dict(zip(game.players, profile)),
            symbolic=[str(e) for e in expressions],
            latex=[latex(e) for e in expressions],
            values=[exact_text(a[index]) if flat_exact else number_json(f[index])
                    for a, f in zip(flat_exact or flat_float, flat_float)],
        ))
    return SolveReport(
        game=game.name, title=spec.title, description=spec.description, claim=spec.claim,
        players=list(game.players),
        strategies={p: list(s) for p, s in zip(game.players, game.strategies)},
        parameters={p.name: number_json(values[p.name]) for p in spec.parameters},
        controls={c.name: number_json(values[c.name]) for c in spec.controls},
        solution=equilibria_document(result),
        selection=selection_document(result, selection) if selection is not None else None,
        payoff_table=tuple(profiles),
        parameter_details=parameters,
        control_details=controls,
        provenance=provenance(game, command, method=result.method),
        figures=tuple(sorted(drawing.selection_figure(selection, game.players,
                                                      game.strategies).items()))
        if selection is not None and draw else ())


def _value_json(value: Any) -> Any:
    if value is None:
        return None
    return number_json(value)


def _exact_json(value: Any) -> Any:
    if value is None:
        return None
    return exact_text(value) if isinstance(value, (Fraction, Algebraic)) else repr(float(value))


def commitment_document(result) -> CommitmentPolicy:
    """A commitment result as report data (the optimize report's policy)."""
    return CommitmentPolicy(
        leader=result.leader,
        objective=result.objective,
        pessimistic=result.pessimistic,
        margin=exact_text(result.margin),
        commitment={s: number_json(p) for s, p in result.commitment.items()},
        commitment_exact={s: _exact_json(p) for s, p in result.commitment.items()},
        followers={player: strategy if isinstance(strategy, str) else
                   {name: exact_text(p) for name, p in strategy.items()}
                   for player, strategy in result.followers.items()},
        leader_value=_value_json(result.leader_value),
        leader_value_exact=_exact_json(result.leader_value),
        status=result.status,
        verified=result.verified,
        verification=result.verification,
        best_pure_commitment=_pure_commitment(result.best_pure),
        simultaneous_equilibria=tuple(SimultaneousEquilibrium(
            strategies={p: {s: exact_text(v) for s, v in mix.items() if v}
                        for p, mix in item["strategies"].items()},
            leader_value=number_json(item["leader_value"])) for item in result.simultaneous),
        value_of_commitment=_value_json(result.value_of_commitment),
        candidates=tuple(Candidate(followers=c.followers, status=c.status,
                                   leader_value=_value_json(c.value))
                         for c in result.candidates),
        threshold=_threshold(getattr(result, "threshold", None)),
        solver=result.solver,
    )


def _pure_commitment(best: dict[str, Any]) -> PureCommitment | None:
    """The best pure commitment (``{}`` from optimize when there is none)."""
    if not best:
        return None
    return PureCommitment(strategy=best["strategy"], followers=best["followers"],
                          leader_value=number_json(best["leader_value"]))


def implementation_document(result) -> ImplementationPolicy:
    """An implementation result as report data (the optimize report's policy)."""
    return ImplementationPolicy(
        target=result.target,
        robust=result.robust,
        margin=exact_text(result.margin),
        controls={k: number_json(v) for k, v in result.controls.items()},
        controls_exact={k: _exact_json(v) for k, v in result.controls.items()},
        transfers={outcome: {p: number_json(v) for p, v in pays.items()}
                   for outcome, pays in result.transfers.items()},
        cost=_value_json(result.cost),
        cost_exact=_exact_json(result.cost),
        status=result.status,
        explanation=result.explanation,
        verified=result.verified,
        verification=result.verification,
        other_equilibria=[{p: {s: exact_text(v) for s, v in mix.items()} for p, mix in eq.items()}
                          for eq in result.other_equilibria],
        lower_bound=_value_json(result.lower_bound),
        scenarios=result.scenarios,
        confidence=result.confidence,
        scenarios_satisfied=result.scenarios_satisfied,
        threshold=_threshold(getattr(result, "threshold", None)),
        solver=result.solver,
    )


def _threshold(threshold) -> StrictThreshold | None:
    """Where a strict requirement starts (the margin-0 optimum), or None."""
    if threshold is None:
        return None
    return StrictThreshold(value_exact=_exact_json(threshold.value),
                           point_exact={k: _exact_json(v) for k, v in threshold.point.items()},
                           attained=threshold.attained, indifferent=list(threshold.indifferent),
                           statement=threshold.statement, used=threshold.used)


def build_optimize_report(game: SymbolicGame, result, command: str,
                          values: dict[str, Any] | None = None) -> OptimizeReport:
    """Everything ``policy optimize`` reports, as data (commit, implement or rank)."""
    if isinstance(result, list):
        policy: CommitmentPolicy | ImplementationPolicy | RankedPolicies = RankedPolicies(
            robust=result[0].robust if result else None,
            profiles=tuple(implementation_document(r) for r in result))
        solver = result[0].solver if result else None
    elif result.mode == "commit":
        policy = commitment_document(result)
        solver = result.solver
    else:
        policy = implementation_document(result)
        solver = result.solver
    spec = game.spec
    return OptimizeReport(
        game=game.name, title=spec.title, policy=policy,
        parameters={k: number_json(v) for k, v in (values or {}).items()
                    if k in {p.name for p in spec.parameters}},
        control_details=policy_controls(spec),
        budget=exact_text(spec.budget) if spec.budget is not None else None,
        provenance=provenance(game, command, solver=solver))


def policy_controls(spec) -> tuple[PolicyControl, ...]:
    """The controls of a game as an optimize report lists them (any kind of game)."""
    return tuple(PolicyControl(
        name=c.name, description=c.description, default=exact_text(c.value),
        bounds=[exact_text(b) for b in c.bounds] if c.bounds else None,
        cost=exact_text(c.cost), fixed_cost=exact_text(c.fixed_cost), type=c.type,
    ) for c in spec.controls)


def _at(expr: Any, substitution: dict) -> Any:
    value = expr.xreplace(substitution) if isinstance(expr, sympy.Basic) else expr
    if isinstance(value, sympy.Basic) and value.is_number:
        return number_json(sympy.nsimplify(value)) if value.is_real else None
    return None


def latex(expr: Any) -> str:
    """LaTeX for an expression or relation, multi-letter names set upright.

    >>> x, price = sympy.symbols("x price")
    >>> print(latex(abs(x) * price))
    \\mathrm{price} \\cdot \\left\\vert {x}\\right\\vert
    """
    if not isinstance(expr, sympy.Basic):
        return str(expr)
    names = {s: r"\mathrm{" + str(s).replace("_", r"\_") + "}" for s in expr.free_symbols
             if len(str(s)) > 1}
    text = sympy.latex(expr, symbol_names=names, mul_symbol="dot" if names else None)
    return text.replace("|", r"\vert ").strip()  # a bare | would split a table cell


def build_analyze_report(game: SymbolicGame, analysis, command: str) -> AnalyzeReport:
    """Everything ``policy analyze`` reports, as data (expressions as sympy-readable text)."""
    substitution = {game.symbols[k]: v for k, v in analysis.values.items()}
    return AnalyzeReport(
        game=game.name,
        title=game.spec.title,
        players=list(game.players),
        values={k: number_json(v) for k, v in analysis.values.items()},
        domain=[str(r) for r in analysis.domain],
        conditions=tuple(Condition(profile=c.profile, status=c.status,
                                   holds_when=[str(r) for r in c.holds_when],
                                   holds_when_latex=[latex(r) for r in c.holds_when],
                                   at_current=c.at_current) for c in analysis.conditions),
        mixed=tuple(MixedEquilibrium(
            support={p: list(s) for p, s in m.support.items()},
            strategies={p: {s: str(e) for s, e in mix.items()} for p, mix in m.strategies.items()},
            strategies_latex={p: {s: latex(e) for s, e in mix.items()}
                              for p, mix in m.strategies.items()},
            at_current_values={p: {s: _at(e, substitution) for s, e in mix.items()}
                               for p, mix in m.strategies.items()},
            payoffs={p: str(e) for p, e in m.payoffs.items()},
            valid_when=[str(r) for r in m.valid_when],
            valid_when_latex=[latex(r) for r in m.valid_when],
            status=m.status, at_current=m.at_current) for m in analysis.mixed),
        thresholds=tuple(ConditionThreshold(
            profile=t.profile, condition=str(t.condition), condition_latex=latex(t.condition),
            parameter=t.parameter, value=str(t.value), value_latex=latex(t.value),
            at_current=number_json(t.at_current) if t.at_current is not None else None)
            for t in analysis.thresholds),
        commitment=tuple(LeaderCommitment(
            leader=c.leader, strategy=c.strategy, probability=str(c.probability),
            probability_latex=latex(c.probability), followers=c.followers,
            valid_when=[str(r) for r in c.valid_when],
            valid_when_latex=[latex(r) for r in c.valid_when],
            at_current=number_json(c.at_current) if c.at_current is not None else None)
            for c in analysis.commitment),
        notes=list(analysis.notes),
        provenance=provenance(game, command),
    )


def _selection_map(game: SymbolicGame, found) -> SelectionMap:
    total = found.labels.size
    return SelectionMap(criterion=found.criterion, regions=tuple(SelectionRegion(
        profile=({p: game.strategies[i][found.profiles[label][i]]
                  for i, p in enumerate(game.players)} if label >= 0 else None),
        points=count, share=round(count / total, 6))
        for label, count in sorted(found.counts().items(), key=lambda item: (item[0] < 0, item[0]))))


def build_sweep_report(game: SymbolicGame, result, command: str, *, boundaries=(),
                       paths=None, policy_map=None, selection_map=None, draw: bool = True,
                       note: str | None = None) -> SweepReport:
    """The phase diagram of a sweep: grid, regions with their supports, figures.

    Optional: ``boundaries`` from analyze that separate regions (drawn dashed),
    ``paths`` (a one-axis sweep's equilibrium lines), a ``policy_map`` and a ``note``
    on the grid (why ``policy report`` drew fewer points). ``draw=False``: no figures (``--no-report``: nothing rendered that nobody reads).
    """
    regions = result.regions
    figures = drawing.phase_diagram(result, boundaries) if draw else {}
    if paths is not None:
        figures.update(drawing.paths_figure(paths) if draw else {})
    if policy_map is not None:
        figures.update(drawing.policy_figure(policy_map) if draw else {})
    if selection_map is not None:
        figures.update(drawing.selection_map_figure(selection_map, game.players, game.strategies)
                       if draw else {})
    return SweepReport(
        game=game.name,
        title=game.spec.title,
        players=list(game.players),
        grid={a.name: [number_json(a.start), number_json(a.stop), a.points] for a in result.axes},
        points=result.points,
        fixed={k: number_json(v) for k, v in result.values.items()
               if k not in {a.name for a in result.axes}},
        mixed_computed=result.mixed_computed,
        regions=tuple(Region(label=r.label, supports=[[list(s) for s in sup] for sup in r.supports],
                             points=r.points, share=round(r.points / result.points, 6))
                      for r in regions),
        degenerate_points=result.degenerate_points,
        exact_points=result.exact_points,
        note=note,
        boundaries=tuple(Boundary(equation=b.equation, expression=str(b.expression),
                                  latex=latex(sympy.Eq(b.lhs, b.rhs)), crossings=b.crossings)
                         for b in boundaries),
        paths=(Paths(points=len(paths.x), branches=[b.label for b in paths.branches])
               if paths is not None else None),
        policy=_policy_map(policy_map) if policy_map is not None else None,
        selection=_selection_map(game, selection_map) if selection_map is not None else None,
        figure_names=sorted(figures),
        provenance=provenance(game, command),
        figures=tuple(sorted(figures.items())))


def _policy_map(policy_map) -> PolicyMap:
    """Summary of a policy map: cost range, control ranges, statuses."""
    def value_range(values) -> list[float] | None:  # over verified points only
        finite = values[policy_map.verified & np.isfinite(values)]
        return [number_json(float(finite.min())), number_json(float(finite.max()))] if finite.size else None

    return PolicyMap(target=dict(policy_map.target), robust=policy_map.robust,
                     feasible_points=policy_map.feasible_points,
                     verified_points=policy_map.verified_points,
                     unverified_points=policy_map.unverified_points,
                     statuses=dict(policy_map.statuses),
                     cost_range=value_range(policy_map.cost),
                     control_ranges={name: value_range(values)
                                     for name, values in sorted(policy_map.controls.items())})


def build_uncertainty_report(game: SymbolicGame, result, command: str) -> UncertaintyReport:
    """How often each equilibrium set occurs under the declared distributions."""
    return UncertaintyReport(
        game=game.name,
        title=game.spec.title,
        players=list(game.players),
        samples=result.samples,
        seed=result.seed,
        distributions=result.distributions,
        mixed_computed=result.mixed_computed,
        outcomes=tuple(Outcome(label=region.label,
                               supports=[[list(s) for s in sup] for sup in region.supports],
                               count=region.points,
                               share=round(region.points / result.samples, 6),
                               interval_95=[round(low, 6), round(high, 6)])
                       for region, low, high in result.regions),
        exact_points=result.exact_points,
        provenance=provenance(game, command),
    )


def build_full_report(game: SymbolicGame, parts: dict[str, Any], command: str,
                      notes: dict[str, str] | None = None, timestamp: str | None = None) -> FullReport:
    """The whole pipeline in one report: a summary in plain words, then each stage.

    ``parts`` maps ``solve``, ``analyze``, ``optimize``, ``optimize_unique``,
    ``optimize_risk_dominant``, ``optimize_logit``, ``optimize_basin``, ``sweep``,
    ``uncertainty`` and ``uncertainty_policy`` to their reports (a stage
    left out, or ``None``, was skipped; ``notes`` says why).
    Figures are the sweep's, renamed ``report-<name>`` (see :data:`REPORT_FIGURE_PREFIX`)
    so that a later ``policy sweep`` into the same folder never replaces them.
    """
    stages = Stages(**parts)
    sentences = plain_summary(stages)
    solver = stages.optimize.provenance.extra["solver"] if stages.optimize is not None else None
    figures = tuple((REPORT_FIGURE_PREFIX + name, data) for name, data in
                    sorted((*stages.solve.figures,
                            *(stages.sweep.figures if stages.sweep is not None else ()))))
    return FullReport(
        game=game.name,
        title=game.spec.title,
        summary=[sentence_text(s) for s in sentences],
        summary_markdown=[sentence_markdown(s) for s in sentences],
        description=game.spec.description,
        claim=game.spec.claim,
        references=list(game.spec.references),
        stages=stages,
        skipped=dict(sorted((notes or {}).items())),
        provenance=provenance(game, command, solver=solver, method=stages.solve.solution.method,
                              **({"generated": timestamp} if timestamp else {})),
        figure_names=[name for name, _ in figures],
        figures=figures)

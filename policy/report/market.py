"""Reports of market games: typed data, builders, Markdown and terminal text.

Where this sits: in the report package, beside the normal-form reports
(:mod:`.model`, :mod:`.document`, :mod:`.render`, :mod:`.text`). Results of
:mod:`policy.market_equilibria` and :mod:`policy.market_analysis` → the builders
here → :class:`MarketSolveReport`, :class:`MarketAnalyzeReport`,
:class:`MarketFullReport` (frozen data; exact values as text, display values as
JSON numbers) → Markdown (registered with :func:`.render.register_markdown`, so
:func:`.render.to_markdown`, the HTML page and :func:`.writer.write_report` take
them like any report) and terminal lines (registered with
:func:`.text.register_summary`).

The JSON of ``policy solve --json`` lists ``"equilibria"``, each with
``"choices"`` (player → variable → float) and ``"exact"`` (the same as exact
text); ``policy analyze --json`` lists ``"closed_forms"`` (``"choices"``,
``"payoffs"``, ``"valid_when"`` as expression text) and ``"free_entry"``
(population → the equilibrium number of firms and the break-even count).

Examples
--------
>>> from policy.api import load, solve
>>> game = load("cournot_entry")
>>> report = build_market_solve_report(game, solve(game), "policy solve cournot_entry")
>>> report.equilibria[0].choices, report.equilibria[0].exact
({'firms': {'q': 2.25}}, {'firms': {'q': '9/4'}})
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar, Mapping

from . import figures as drawing
from .document import latex, number_json, provenance
from .model import REPORT_FIGURE_PREFIX, ParameterDetail, Provenance, _Document
from .render import display_number, register_markdown, table, _header, _provenance
from .text import register_summary
from .words import escape

__all__ = ["ThresholdItem", "MarketSweepPoint", "MarketSweepReport", "build_market_sweep_report",
           "MarketPlayerDetail", "MarketEquilibriumItem", "MarketSolveReport", "ClosedFormItem",
           "SensitivityItem", "FreeEntryItem", "MarketAnalyzeReport", "MarketFullReport",
           "build_market_solve_report", "build_market_analyze_report",
           "build_market_full_report", "WelfareCheck", "WelfarePolicyItem",
           "MarketOptimizeReport", "build_market_optimize_report"]


# -- data ---------------------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class MarketPlayerDetail:
    """A player of a market game as the report lists it."""

    name: str
    description: str
    count: str
    variable: str
    interval: list[str]
    payoff: str
    payoff_latex: str


@dataclass(frozen=True, kw_only=True)
class MarketEquilibriumItem:
    """One equilibrium: choices and payoffs as floats, exactly, and how it was verified."""

    choices: dict[str, dict[str, int | float]]
    exact: dict[str, dict[str, str]]
    payoffs: dict[str, int | float]
    exact_payoffs: dict[str, str]
    case: dict[str, str]
    verified: bool
    verified_exactly: bool
    verification: str


@dataclass(frozen=True, kw_only=True)
class MarketSolveReport(_Document):
    """Everything ``policy solve`` reports on a market game."""

    kind: ClassVar[str] = "solve"
    game: str
    title: str
    description: str
    claim: str
    game_kind: str = "market"
    players: list[str]
    leader: str | None
    market: list[MarketPlayerDetail]
    totals: dict[str, str]
    definitions: dict[str, str]
    parameters: dict[str, int | float]
    controls: dict[str, int | float]
    method: str
    complete: bool
    equilibria: tuple[MarketEquilibriumItem, ...]
    notes: list[str]
    parameter_details: tuple[ParameterDetail, ...]
    provenance: Provenance


@dataclass(frozen=True, kw_only=True)
class ClosedFormItem:
    """One KKT case in closed form (expressions as sympy-readable text and LaTeX)."""

    case: dict[str, str]
    choices: dict[str, dict[str, str]]
    choices_latex: dict[str, dict[str, str]]
    payoffs: dict[str, str]
    payoffs_latex: dict[str, str]
    valid_when: list[str]
    valid_when_latex: list[str]
    at_current: bool | None


@dataclass(frozen=True, kw_only=True)
class SensitivityItem:
    """A derivative of an equilibrium outcome with respect to a parameter."""

    of: str
    parameter: str
    derivative: str
    derivative_latex: str
    at_current: int | float | None
    at_current_exact: str | None


@dataclass(frozen=True, kw_only=True)
class FreeEntryItem:
    """How many firms of a population the market supports."""

    count: str
    number_of_firms: int | None
    break_even: list[str]
    break_even_latex: list[str]
    break_even_at_current: float | None
    profit: str
    profit_latex: str
    explanation: str
    sensitivity: tuple[SensitivityItem, ...]


@dataclass(frozen=True, kw_only=True)
class ThresholdItem:
    """Where a condition of the current equilibrium switches, for one name."""

    condition: str
    condition_latex: str
    parameter: str
    value: str
    value_latex: str
    at_current: int | float | None
    at_current_exact: str | None


@dataclass(frozen=True, kw_only=True)
class MarketAnalyzeReport(_Document):
    """Everything ``policy analyze`` reports on a market game."""

    kind: ClassVar[str] = "analyze"
    game: str
    title: str
    players: list[str]
    values: dict[str, int | float]
    closed_forms: tuple[ClosedFormItem, ...]
    free_entry: dict[str, FreeEntryItem]
    comparative_statics: tuple[SensitivityItem, ...]
    thresholds: tuple[ThresholdItem, ...]
    notes: list[str]
    provenance: Provenance


@dataclass(frozen=True, kw_only=True)
class MarketSweepPoint:
    """One point of a market sweep."""

    value: int | float
    value_exact: str
    choices: dict[str, dict[str, int | float | None]]
    payoffs: dict[str, int | float | None]
    equilibria: int
    verified: bool
    firms: dict[str, int | None]


@dataclass(frozen=True, kw_only=True)
class MarketSweepReport(_Document):
    """A market game along one parameter (``policy sweep``)."""

    kind: ClassVar[str] = "sweep"
    game: str
    title: str
    players: list[str]
    grid: dict[str, list]
    fixed: dict[str, int | float]
    points: tuple[MarketSweepPoint, ...]
    figure_names: list[str] = field(metadata={"key": "figures"})
    provenance: Provenance
    figures: tuple[tuple[str, bytes | str], ...] = field(default=(), metadata={"json": False})


@dataclass(frozen=True, kw_only=True)
class WelfareCheck:
    """One value of the instrument solved exactly, and welfare there."""

    value: int | float
    value_exact: str
    welfare: int | float | None
    welfare_exact: str | None
    equilibria: int
    source: str


@dataclass(frozen=True, kw_only=True)
class WelfarePolicyItem:
    """The regulator's best value of its instrument (``policy optimize`` on a market)."""

    mode: str = "welfare"
    instrument: str
    bounds: list[str]
    controls: dict[str, int | float | None]
    controls_exact: dict[str, str | None]
    welfare: int | float | None
    welfare_exact: str | None
    baseline: int | float | None
    baseline_exact: str | None
    choices: dict[str, dict[str, int | float]]
    exact: dict[str, dict[str, str]]
    method: str
    closed_form: str | None
    closed_form_latex: str | None
    second_order: str
    upper_bound: str | None
    status: str
    verified: bool
    verification: str
    checked: tuple[WelfareCheck, ...]
    notes: list[str]


@dataclass(frozen=True, kw_only=True)
class MarketOptimizeReport(_Document):
    """Everything ``policy optimize`` reports on a market game."""

    kind: ClassVar[str] = "optimize"
    game: str
    title: str
    players: list[str]
    values: dict[str, int | float]
    welfare: dict[str, str]
    policy: WelfarePolicyItem
    provenance: Provenance


@dataclass(frozen=True, kw_only=True)
class MarketFullReport(_Document):
    """The whole pipeline on a market game: a summary, the equilibria, the analysis,
    and what was skipped, with the reason."""

    kind: ClassVar[str] = "report"
    game: str
    title: str
    summary: list[str]
    description: str
    claim: str
    references: list[str]
    solve: MarketSolveReport
    analyze: MarketAnalyzeReport
    sweep: MarketSweepReport | None = field(default=None, metadata={"omit_none": True})
    optimize: MarketOptimizeReport | None = field(default=None, metadata={"omit_none": True})
    skipped: dict[str, str]
    provenance: Provenance
    figure_names: list[str] = field(default_factory=list, metadata={"key": "figures"})
    figures: tuple[tuple[str, bytes | str], ...] = field(default=(), metadata={"json": False})


# -- builders -----------------------------------------------------------------------------

def _interval(variable) -> list[str]:
    return [str(variable.low), "oo" if variable.high is None else str(variable.high)]


def _case_names(game, case) -> dict[str, str]:
    return dict(zip(game.players, case))


def build_market_solve_report(game, result, command: str) -> MarketSolveReport:
    """``policy solve`` on a market game, as data."""
    spec = game.spec
    values = result.values
    players = list(game.players)
    variables = [p.variable.name for p in spec.players]
    items = []
    for eq in result.equilibria:
        items.append(MarketEquilibriumItem(
            choices={p: {v: number_json(c)} for p, v, c in zip(players, variables, eq.choices)},
            exact={p: {v: str(c)} for p, v, c in zip(players, variables, eq.choices)},
            payoffs={p: number_json(u) for p, u in zip(players, eq.payoffs)},
            exact_payoffs={p: str(u) for p, u in zip(players, eq.payoffs)},
            case=_case_names(game, eq.case), verified=eq.verified,
            verified_exactly=eq.verified_exactly, verification=eq.verification))
    parameters = {p.name: number_json(values[p.name]) for p in spec.parameters}
    return MarketSolveReport(
        game=game.name, title=spec.title, description=spec.description, claim=spec.claim,
        players=players, leader=spec.leader,
        market=[MarketPlayerDetail(name=p.name, description=p.description, count=str(p.count),
                                   variable=p.variable.name, interval=_interval(p.variable),
                                   payoff=str(p.payoff), payoff_latex=latex(p.payoff))
                for p in spec.players],
        totals={total: variable for total, variable in spec.totals},
        definitions={name: str(expr) for name, expr in spec.definitions},
        parameters=parameters,
        controls={c.name: number_json(values[c.name]) for c in spec.controls},
        method=result.method, complete=result.complete, equilibria=tuple(items),
        notes=list(result.notes),
        parameter_details=tuple(ParameterDetail(
            name=p.name, value=str(values[p.name]),
            default=None if p.value is None else str(p.value), description=p.description,
            unit=p.unit or None, range=[str(r) for r in p.range] if p.range else None,
            positive=p.positive, distribution=str(p.distribution) if p.distribution else None)
            for p in spec.parameters),
        provenance=provenance(game, command, method=result.method))


def _exact_number(value) -> tuple[int | float | None, str | None]:
    if value is None or not getattr(value, "is_number", False) or value.is_real is False:
        return None, None
    return number_json(value), str(value)


def _sensitivity(item) -> SensitivityItem:
    number, exact = _exact_number(item.at_current)
    return SensitivityItem(of=item.what, parameter=item.parameter, derivative=str(item.derivative),
                           derivative_latex=latex(item.derivative), at_current=number,
                           at_current_exact=exact)


def build_market_analyze_report(game, analysis, command: str) -> MarketAnalyzeReport:
    """``policy analyze`` on a market game, as data."""
    players = list(game.players)
    variables = [p.variable.name for p in game.spec.players]
    forms = tuple(ClosedFormItem(
        case=_case_names(game, form.case),
        choices={p: {v: str(c)} for p, v, c in zip(players, variables, form.choices)},
        choices_latex={p: {v: latex(c)} for p, v, c in zip(players, variables, form.choices)},
        payoffs={p: str(u) for p, u in zip(players, form.payoffs)},
        payoffs_latex={p: latex(u) for p, u in zip(players, form.payoffs)},
        valid_when=[str(r) for r in form.valid_when],
        valid_when_latex=[latex(r) for r in form.valid_when],
        at_current=form.at_current) for form in analysis.closed_forms)
    entry = {item.population: FreeEntryItem(
        count=item.count, number_of_firms=item.number_of_firms,
        break_even=[str(r) for r in item.break_even],
        break_even_latex=[latex(r) for r in item.break_even],
        break_even_at_current=item.break_even_at_current, profit=str(item.profit),
        profit_latex=latex(item.profit), explanation=item.explanation,
        sensitivity=tuple(_sensitivity(s) for s in item.sensitivity))
        for item in analysis.free_entry}
    return MarketAnalyzeReport(
        game=game.name, title=game.spec.title, players=players,
        values={k: number_json(v) for k, v in analysis.values.items()},
        closed_forms=forms, free_entry=entry,
        comparative_statics=tuple(_sensitivity(s) for s in analysis.comparative_statics),
        thresholds=tuple(ThresholdItem(
            condition=str(t.relation), condition_latex=latex(t.relation), parameter=t.parameter,
            value=str(t.value), value_latex=latex(t.value),
            at_current=_exact_number(t.at_current)[0], at_current_exact=_exact_number(
                t.at_current)[1]) for t in analysis.thresholds),
        notes=list(analysis.notes), provenance=provenance(game, command))


def build_market_sweep_report(game, sweep, command: str, draw: bool = True,
                              **extras) -> MarketSweepReport:
    """``policy sweep`` on a market game, as data, with its figure (unless ``draw`` is
    False)."""
    axis = sweep.axis
    points = tuple(MarketSweepPoint(
        value=number_json(value), value_exact=str(value),
        choices={p: {v: c} for p, v, c in zip(sweep.players, sweep.variables, choices)},
        payoffs=dict(zip(sweep.players, payoffs)), equilibria=count, verified=verified,
        firms={population: column[i] for population, column in zip(sweep.populations,
                                                                    sweep.firms)})
        for i, (value, choices, payoffs, count, verified) in enumerate(zip(
            sweep.values, sweep.choices, sweep.payoffs, sweep.equilibria, sweep.verified)))
    figures = tuple(sorted(drawing.market_figure(sweep).items())) if draw else ()
    fixed = {k: number_json(v) for k, v in game.values_with({}).items() if k != axis.name}
    return MarketSweepReport(
        game=game.name, title=game.spec.title, players=list(sweep.players),
        grid={axis.name: [str(axis.start), str(axis.stop), axis.points]}, fixed=fixed,
        points=points, figure_names=[name for name, _ in figures],
        provenance=provenance(game, command, method="kkt at every point"), figures=figures)


def _welfare_text(game) -> dict[str, str]:
    welfare = game.spec.welfare
    parts = {"instrument": welfare.instrument}
    if welfare.demand is not None:
        parts["consumer_surplus"] = (f"integral of {welfare.demand} over {welfare.total} from 0, "
                                     f"minus {welfare.total}*({welfare.demand})")
    parts["profits"] = "every firm's payoff (each member of a population counted)"
    for name, cost in welfare.public_costs:
        parts[f"public_cost.{name}" if name else "public_cost"] = str(cost)
    return parts


def build_market_optimize_report(game, policy, command: str) -> MarketOptimizeReport:
    """``policy optimize`` on a market game (a :class:`~policy.market_policy.WelfarePolicy`),
    as data."""
    players = list(game.players)
    variables = [p.variable.name for p in game.spec.players]
    eq = policy.equilibrium
    chosen = {} if eq is None else dict(zip(players, zip(variables, eq.choices)))
    number, exact = _exact_number(policy.value)
    item = WelfarePolicyItem(
        instrument=policy.instrument, bounds=[str(b) for b in policy.bounds],
        controls={policy.instrument: number}, controls_exact={policy.instrument: exact},
        welfare=_exact_number(policy.objective)[0], welfare_exact=_exact_number(policy.objective)[1],
        baseline=_exact_number(policy.baseline)[0],
        baseline_exact=_exact_number(policy.baseline)[1],
        choices={p: {v: number_json(c)} for p, (v, c) in chosen.items()},
        exact={p: {v: str(c)} for p, (v, c) in chosen.items()},
        method=policy.method,
        closed_form=None if policy.closed_form is None else str(policy.closed_form),
        closed_form_latex=None if policy.closed_form is None else latex(policy.closed_form),
        second_order=policy.second_order,
        upper_bound=None if policy.upper_bound is None else str(policy.upper_bound),
        status=policy.status, verified=policy.verified, verification=policy.verification,
        checked=tuple(WelfareCheck(
            value=number_json(point.value), value_exact=str(point.value),
            welfare=_exact_number(point.objective)[0],
            welfare_exact=_exact_number(point.objective)[1], equilibria=point.equilibria,
            source=point.source) for point in sorted(policy.checked, key=lambda p: float(p.value))),
        notes=list(policy.notes))
    return MarketOptimizeReport(
        game=game.name, title=game.spec.title, players=players,
        values={k: number_json(v) for k, v in policy.values.items()},
        welfare=_welfare_text(game), policy=item,
        provenance=provenance(game, command, method=f"welfare, {policy.method}"))


def _summary(solve: MarketSolveReport, analyze: MarketAnalyzeReport,
             optimize: MarketOptimizeReport | None = None) -> list[str]:
    sentences = []
    verified = [eq for eq in solve.equilibria if eq.verified]
    if not solve.equilibria:
        sentences.append("No equilibrium was found at the current values.")
    for eq in solve.equilibria:
        parts = [f"{player} chooses {variable} = {display_number(exact, eq.choices[player][variable])}"
                 for player, chosen in eq.exact.items() for variable, exact in chosen.items()]
        payoffs = ", ".join(f"{player} {display_number(text, eq.payoffs[player])}"
                            for player, text in eq.exact_payoffs.items())
        check = ("verified exactly" if eq.verified_exactly else eq.verification
                 if eq.verified else "NOT verified: " + eq.verification)
        sentences.append(f"At the current values, {'; '.join(parts)} (payoffs: {payoffs}; "
                         f"{check}).")
    if solve.leader and verified:
        sentences.append(f"{solve.leader} moves first and the others see its choice.")
    for population, item in analyze.free_entry.items():
        if item.number_of_firms is not None:
            sentences.append(f"Free entry: the market supports {item.number_of_firms} "
                             f"{'firm' if item.number_of_firms == 1 else 'firms'} of "
                             f"{population} ({item.explanation}).")
    for form in analyze.closed_forms:
        if form.at_current:
            shown = "; ".join(f"{p}.{v} = {text}" for p, chosen in form.choices.items()
                              for v, text in chosen.items())
            sentences.append(f"In closed form: {shown}.")
            break
    for item in analyze.thresholds:
        if item.parameter in solve.controls:  # what the regulator's instrument must do
            now = display_number(item.at_current_exact, item.at_current) \
                if item.at_current is not None else "—"
            sentences.append(f"The condition {item.condition} of this equilibrium switches "
                             f"at {item.parameter} = {item.value} ({now} at the current "
                             "values).")
    if optimize is not None:
        sentences.append(_policy_sentence(optimize.policy))
    return sentences


def _policy_sentence(policy: WelfarePolicyItem) -> str:
    name = policy.instrument
    if not policy.verified or policy.controls_exact[name] is None:
        return (f"No value of {name} could be recommended: {policy.verification}.")
    value = display_number(policy.controls_exact[name], policy.controls[name])
    welfare = display_number(policy.welfare_exact, policy.welfare)
    baseline = ("" if policy.baseline_exact is None else
                f", against {display_number(policy.baseline_exact, policy.baseline)} at its "
                "current value")
    closed = "" if policy.closed_form is None else f"; in closed form {name} = {policy.closed_form}"
    return (f"The regulator's best {name} is {value} ({policy.status}: welfare "
            f"{welfare}{baseline}{closed}).")


def build_market_full_report(game, solve: MarketSolveReport, analyze: MarketAnalyzeReport,
                             command: str, skipped: Mapping[str, str],
                             timestamp: str | None = None,
                             sweep: MarketSweepReport | None = None,
                             optimize: MarketOptimizeReport | None = None) -> MarketFullReport:
    """``policy report`` on a market game: the solve, analyze and (when the file
    declares ``vary:``) sweep parts, a summary, and the stages skipped with the reason.
    The sweep's figures are renamed ``report-…``."""
    spec = game.spec
    figures = tuple((REPORT_FIGURE_PREFIX + name, data)
                    for name, data in (sweep.figures if sweep is not None else ()))
    return MarketFullReport(
        sweep=sweep, optimize=optimize, figure_names=[name for name, _ in figures],
        figures=figures, game=game.name, title=spec.title,
        summary=_summary(solve, analyze, optimize),
        description=spec.description, claim=spec.claim, references=list(spec.references),
        solve=solve, analyze=analyze, skipped=dict(sorted(skipped.items())),
        provenance=provenance(game, command, method=solve.method,
                              **({"generated": timestamp} if timestamp else {})))


# -- Markdown -----------------------------------------------------------------------------

def _game_markdown(doc: MarketSolveReport) -> list[str]:
    lines = ["## The market", ""]
    if doc.description:
        lines += [escape(doc.description), ""]
    if doc.claim:
        lines += [f"**Claim tested:** {escape(doc.claim)}", ""]
    lines += table(["Player", "Firms", "Chooses", "Payoff of one firm"], [
        (f"`{p.name}`" + (" (leader)" if p.name == doc.leader else ""), f"`{p.count}`",
         f"`{p.variable}` in [{p.interval[0]}, {p.interval[1]}"
         + (")" if p.interval[1] == "oo" else "]"), f"${p.payoff_latex}$") for p in doc.market])
    lines.append("")
    if doc.totals:
        lines += ["Totals: " + ", ".join(f"`{t}` is the sum of every firm's `{v}`"
                                         for t, v in doc.totals.items()) + ".", ""]
    if doc.parameter_details:
        lines += ["### Parameters", ""]
        lines += table(["Name", "Value", "Meaning", "Range"], [
            (f"`{p.name}`", display_number(p.value),
             escape(p.description + (f" ({p.unit})" if p.unit else "")) or "—",
             f"[{p.range[0]}, {p.range[1]}]" if p.range else "—") for p in doc.parameter_details])
        lines.append("")
    return lines


def _equilibria_markdown(doc: MarketSolveReport) -> list[str]:
    count = len(doc.equilibria)
    lines = ["## Equilibria", "",
             f"{count} {'equilibrium' if count == 1 else 'equilibria'} at the current values "
             f"(method `{doc.method}`, {'complete' if doc.complete else 'may be incomplete'}).", ""]
    rows = []
    for number, eq in enumerate(doc.equilibria, start=1):
        for player in doc.players:
            for variable, exact in eq.exact[player].items():
                rows.append((str(number), f"`{player}`", f"`{doc.market[doc.players.index(player)].count}`",
                             f"`{variable}` = {display_number(exact, eq.choices[player][variable])}",
                             display_number(eq.exact_payoffs[player], eq.payoffs[player]),
                             eq.case[player], "yes" if eq.verified else "**no**"))
    if rows:
        lines += table(["#", "Player", "Firms", "Choice", "Payoff (one firm)", "Case", "Verified"],
                       rows)
        lines.append("")
    for number, eq in enumerate(doc.equilibria, start=1):
        lines.append(f"- Equilibrium {number}: {escape(eq.verification)}.")
    lines += [f"- {escape(note)}." for note in doc.notes]
    lines.append("")
    return lines


def _solve_markdown(doc: MarketSolveReport) -> list[str]:
    return _header(doc, "Equilibria of ") + _game_markdown(doc) + _equilibria_markdown(doc)


def _analysis_body(doc: MarketAnalyzeReport) -> list[str]:
    lines = ["## Closed forms", ""]
    for form in doc.closed_forms:
        case = ", ".join(f"`{p}` {c}" for p, c in form.case.items())
        status = {True: "an equilibrium at the current values", False: "not at the current values",
                  None: "undecided at the current values"}[form.at_current]
        lines += [f"### {case} ({status})", ""]
        rows = [(f"`{p}`", f"`{v}` = ${text}$", f"${form.payoffs_latex[p]}$")
                for p, chosen in form.choices_latex.items() for v, text in chosen.items()]
        lines += table(["Player", "Choice", "Payoff (one firm)"], rows) + [""]
        lines += ["Valid when: " + ("; ".join(f"${r}$" for r in form.valid_when_latex)
                                   or "always (under the declared assumptions)") + ".", ""]
    for population, item in doc.free_entry.items():
        lines += [f"## Free entry: how many firms of `{population}`", ""]
        lines += [f"Profit of one firm with `{item.count}` firms: ${item.profit_latex}$.", ""]
        if item.break_even_latex:
            lines += ["It breaks even at " + " or ".join(f"${item.count} = {r}$"
                                                         for r in item.break_even_latex)
                      + (f" (≈ {item.break_even_at_current:.4g} now)"
                         if item.break_even_at_current is not None else "") + ".", ""]
        shown = "—" if item.number_of_firms is None else str(item.number_of_firms)
        lines += [f"Equilibrium number of firms: **{shown}** ({escape(item.explanation)}).", ""]
        if item.sensitivity:
            lines += table(["Parameter", f"d(break-even {item.count})/d(parameter)",
                            "At current values"],
                           [(f"`{s.parameter}`", f"${s.derivative_latex}$",
                             display_number(s.at_current_exact, s.at_current)
                             if s.at_current is not None else "—") for s in item.sensitivity])
            lines.append("")
    if doc.thresholds:
        lines += ["## Thresholds", "",
                  "Where a condition of the equilibrium that holds now switches, for each "
                  "parameter or control it involves (the others at their current values):", ""]
        lines += table(["Condition", "Name", "Switches at", "At current values"], [
            (f"${t.condition_latex}$", f"`{t.parameter}`", f"${t.value_latex}$",
             display_number(t.at_current_exact, t.at_current) if t.at_current is not None
             else "—") for t in doc.thresholds])
        lines.append("")
    if doc.comparative_statics:
        lines += ["## Comparative statics", "",
                  "Derivatives of the equilibrium that holds at the current values:", ""]
        lines += table(["Of", "With respect to", "Derivative", "At current values"], [
            (f"`{s.of}`", f"`{s.parameter}`", f"${s.derivative_latex}$",
             display_number(s.at_current_exact, s.at_current) if s.at_current is not None else "—")
            for s in doc.comparative_statics])
        lines.append("")
    if doc.notes:
        lines += ["## Notes", ""] + [f"- {escape(n)}." for n in doc.notes] + [""]
    return lines


def _analyze_markdown(doc: MarketAnalyzeReport) -> list[str]:
    return _header(doc, "Closed forms of ") + _analysis_body(doc)


def _sweep_body(doc: MarketSweepReport, figure_prefix: str = "") -> list[str]:
    (name, (start, stop, count)), = doc.grid.items()
    lines = [f"`{name}` from {start} to {stop}, {count} points, each solved exactly (the "
             "first equilibrium shown; the other names at their current values).", ""]
    if doc.figure_names:
        lines += [f"![Choices, payoffs and number of firms along {name}]"
                  f"({figure_prefix}sweep.png)", ""]
    step = max(1, (len(doc.points) - 1) // 10)
    shown = list(doc.points[::step])
    if doc.points and shown[-1] is not doc.points[-1]:
        shown.append(doc.points[-1])
    populations = list(doc.points[0].firms) if doc.points else []
    header = [f"`{name}`", *(f"`{p}`.{v}" for p in doc.players
                             for v in doc.points[0].choices[p]), *(f"`{p}` payoff"
                                                                  for p in doc.players),
              *(f"firms of `{p}`" for p in populations), "Equilibria"]
    rows = []
    for point in shown:
        def cell(value):
            return "—" if value is None else f"{value:.4g}"
        rows.append((display_number(point.value_exact),
                     *(cell(c) for p in doc.players for c in point.choices[p].values()),
                     *(cell(point.payoffs[p]) for p in doc.players),
                     *("—" if point.firms[p] is None else str(point.firms[p])
                       for p in populations),
                     f"{point.equilibria}" + ("" if point.verified else " (not all verified)")))
    lines += table(header, rows) + [""]
    return lines


def _sweep_markdown(doc: MarketSweepReport) -> list[str]:
    return _header(doc, "Along one axis: ") + ["## Equilibrium along the axis", ""] + \
        _sweep_body(doc)


def _policy_body(doc: MarketOptimizeReport) -> list[str]:
    policy = doc.policy
    name = policy.instrument
    lines = [f"The regulator chooses `{name}` in [{policy.bounds[0]}, {policy.bounds[1]}] to "
             "maximise welfare at the market equilibrium:", ""]
    lines += [f"- `{key}`: {escape(text)}" for key, text in doc.welfare.items()
              if key != "instrument"] + [""]
    lines += [escape(_policy_sentence(policy)), ""]
    if policy.controls_exact[name] is not None:
        rows = [(f"`{p}`", f"`{v}` = {display_number(text, policy.choices[p][v])}")
                for p, chosen in policy.exact.items() for v, text in chosen.items()]
        lines += table(["Player", f"Choice at {name} = {policy.controls_exact[name]}"], rows)
        lines.append("")
    if policy.closed_form_latex is not None:
        lines += [f"In the parameters: ${name} = {policy.closed_form_latex}$.", ""]
    lines += [f"- Method: {policy.method}; status: {policy.status}.",
              f"- Verified: {'yes' if policy.verified else '**no**'} — "
              f"{escape(policy.verification)}."]
    if policy.second_order:
        lines.append(f"- {escape(policy.second_order)}.")
    lines += [f"- {escape(note)}." for note in policy.notes]
    lines.append("")
    shown = [c for c in policy.checked if c.source != "grid" or c.welfare is not None]
    step = max(1, len(shown) // 12)
    lines += table([f"`{name}`", "Welfare", "Equilibria", "Checked because"], [
        (display_number(c.value_exact, c.value),
         "—" if c.welfare_exact is None else display_number(c.welfare_exact, c.welfare),
         str(c.equilibria), c.source) for c in shown
        if c.source != "grid" or shown.index(c) % step == 0])
    lines.append("")
    return lines


def _optimize_markdown(doc: MarketOptimizeReport) -> list[str]:
    return _header(doc, "The regulator's best policy in ") + ["## Welfare", ""] + \
        _policy_body(doc)


def _demoted(lines: list[str]) -> list[str]:
    return ["#" + line if line.startswith("#") else line for line in lines]


def _full_markdown(doc: MarketFullReport) -> list[str]:
    title = escape(doc.title) or doc.game
    lines = [f"# {title} (`{doc.game}`)", "", "## Summary", ""]
    for sentence in doc.summary:
        lines += [escape(sentence), ""]
    lines += _game_markdown(doc.solve) + _equilibria_markdown(doc.solve)
    lines += ["## Closed forms, free entry and comparative statics", ""]
    lines += _demoted(_analysis_body(doc.analyze))
    if doc.sweep is not None:
        lines += ["## Where the outcome changes: along one parameter", ""]
        lines += _sweep_body(doc.sweep, REPORT_FIGURE_PREFIX)
    if doc.optimize is not None:
        lines += ["## What the regulator should do", ""] + _policy_body(doc.optimize)
    headings = {"optimize": "## What the regulator should do",
                "sweep": "## Where the outcome changes: phase diagram",
                "uncertainty": "## Uncertainty"}
    for kind, heading in headings.items():
        if kind in doc.skipped:
            lines += [heading, "", f"Not computed: {escape(doc.skipped[kind])}.", ""]
    if doc.references:
        lines += ["## References", ""] + [f"- {escape(r)}" for r in doc.references] + [""]
    lines += ["## Provenance", ""] + _provenance(doc.provenance) + [""]
    return lines


register_markdown(MarketSolveReport, _solve_markdown)
register_markdown(MarketAnalyzeReport, _analyze_markdown)
register_markdown(MarketFullReport, _full_markdown)
register_markdown(MarketSweepReport, _sweep_markdown)
register_markdown(MarketOptimizeReport, _optimize_markdown)


# -- terminal text ------------------------------------------------------------------------

def _solve_text(report: MarketSolveReport) -> str:
    count = len(report.equilibria)
    title = f"{report.game} — {report.title}" if report.title else report.game
    lines = [title, f"{count} {'equilibrium' if count == 1 else 'equilibria'} "
                    f"({report.method}, "
                    f"{'exact' if all(eq.verified_exactly for eq in report.equilibria) else 'some certified numerically'}, "
                    f"{'complete' if report.complete else 'may be incomplete'}):"]
    for number, eq in enumerate(report.equilibria, start=1):
        parts = [f"{player}: {variable} = {display_number(text, eq.choices[player][variable])}"
                 for player, chosen in eq.exact.items() for variable, text in chosen.items()]
        payoffs = ", ".join(display_number(eq.exact_payoffs[p], eq.payoffs[p])
                            for p in report.players)
        flag = ("" if eq.verified_exactly else " (" + eq.verification + ")" if eq.verified
                else " (NOT verified)")
        lines.append(f"  {number}. " + " | ".join(parts) + f" | payoffs: {payoffs}{flag}")
    lines += [f"note: {note}" for note in report.notes]
    return "\n".join(lines)


def _analyze_text(report: MarketAnalyzeReport) -> str:
    lines = [f"{report.game} — {report.title}" if report.title else report.game]
    for form in report.closed_forms:
        shown = "; ".join(f"{p}.{v} = {text}" for p, chosen in form.choices.items()
                          for v, text in chosen.items())
        when = " and ".join(form.valid_when) or "always"
        mark = {True: " (now)", False: "", None: " (undecided now)"}[form.at_current]
        lines.append(f"  {shown}  when {when}{mark}")
    for population, item in report.free_entry.items():
        shown = "—" if item.number_of_firms is None else item.number_of_firms
        lines.append(f"  free entry: {shown} firms of {population}; break-even "
                     f"{item.count} = {' or '.join(item.break_even) or '—'}")
    return "\n".join(lines)


register_summary(MarketSolveReport, _solve_text)
register_summary(MarketAnalyzeReport, _analyze_text)


def _sweep_text(report: MarketSweepReport) -> str:
    (name, (start, stop, count)), = report.grid.items()
    lines = [f"{report.game} — {report.title}" if report.title else report.game,
             f"{name} from {start} to {stop} ({count} points):"]
    for point in (report.points[0], report.points[-1]):
        choices = ", ".join(f"{p}.{v} = {'—' if c is None else f'{c:.4g}'}"
                            for p, chosen in point.choices.items() for v, c in chosen.items())
        firms = "".join(f"; {f} firms of {p}" for p, f in point.firms.items())
        lines.append(f"  {name} = {point.value_exact}: {choices}{firms}")
    return "\n".join(lines)


register_summary(MarketSweepReport, _sweep_text)


def _optimize_text(report: MarketOptimizeReport) -> str:
    policy = report.policy
    lines = [f"{report.game} — {report.title}" if report.title else report.game,
             _policy_sentence(policy)]
    for player, chosen in policy.exact.items():
        for variable, text in chosen.items():
            lines.append(f"  {player}: {variable} = "
                         f"{display_number(text, policy.choices[player][variable])}")
    lines.append(f"{'verified' if policy.verified else 'NOT verified'}: {policy.verification}")
    if policy.second_order:
        lines.append(policy.second_order)
    lines += [f"note: {note}" for note in policy.notes]
    return "\n".join(lines)


register_summary(MarketOptimizeReport, _optimize_text)


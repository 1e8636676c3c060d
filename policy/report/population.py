"""Reports of population games: typed data, builders, Markdown and terminal text.

Where this sits: in the report package, beside :mod:`.market`. Results of
:mod:`policy.population_equilibria` and :mod:`policy.population_analysis` → the
builders here → :class:`PopulationSolveReport`, :class:`PopulationAnalyzeReport`,
:class:`PopulationFullReport` → Markdown (registered with
:func:`.render.register_markdown`) and terminal lines
(:func:`.text.register_summary`).

``policy solve --json`` lists ``"equilibria"``: pure ones with ``"counts"``
(population → strategy → how many members), runs of consecutive counts with
``"counts_up_to"`` as well; symmetric mixed ones with ``"symmetric"`` (population →
strategy → probability, a float) and ``"exact"`` (the same as exact text).

Examples
--------
>>> from policy.api import load, solve
>>> game = load("entry_population")
>>> report = build_population_solve_report(game, solve(game), "policy solve entry_population")
>>> report.equilibria[0].counts
{'entrants': {'enter': 2, 'stay_out': 8}}
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar, Mapping

from . import figures as drawing
from .document import latex, number_json, provenance
from .model import REPORT_FIGURE_PREFIX, Provenance, _Document
from .render import _header, _provenance, display_number, register_markdown, table
from .text import register_summary
from .words import escape

__all__ = ["PopulationEquilibriumItem", "PopulationSolveReport", "StayConditionItem",
           "PopulationAnalyzeReport", "PopulationFullReport", "build_population_solve_report",
           "build_population_analyze_report", "build_population_full_report",
           "PopulationSweepPoint", "PopulationSweepReport", "build_population_sweep_report"]


@dataclass(frozen=True, kw_only=True)
class PopulationEquilibriumItem:
    """A pure equilibrium (counts; a run when ``counts_up_to`` is given) or a symmetric
    mixed one (probabilities)."""

    counts: dict[str, dict[str, int]] | None = field(default=None, metadata={"omit_none": True})
    counts_up_to: dict[str, dict[str, int]] | None = field(default=None,
                                                           metadata={"omit_none": True})
    symmetric: dict[str, dict[str, float]] | None = field(default=None,
                                                          metadata={"omit_none": True})
    exact: dict[str, dict[str, str]] | None = field(default=None, metadata={"omit_none": True})
    payoff: float | None = field(default=None, metadata={"omit_none": True})
    verified: bool
    verification: str


@dataclass(frozen=True, kw_only=True)
class PopulationSolveReport(_Document):
    """Everything ``policy solve`` reports on a population game."""

    kind: ClassVar[str] = "solve"
    game: str
    title: str
    description: str
    claim: str
    game_kind: str = "population"
    players: list[str]
    members: int
    count: str
    strategies: list[str]
    payoffs: dict[str, str]
    payoffs_latex: dict[str, str]
    parameters: dict[str, int | float]
    controls: dict[str, int | float]
    complete: bool
    equilibria: tuple[PopulationEquilibriumItem, ...]
    notes: list[str]
    provenance: Provenance


@dataclass(frozen=True, kw_only=True)
class StayConditionItem:
    strategy: str
    holds_when: str
    holds_when_latex: str
    applies: str
    thresholds: list[str]
    thresholds_latex: list[str]
    at_current: list[float]
    controls: dict[str, list[str]]
    controls_latex: dict[str, list[str]]


@dataclass(frozen=True, kw_only=True)
class PopulationAnalyzeReport(_Document):
    """Everything ``policy analyze`` reports on a population game."""

    kind: ClassVar[str] = "analyze"
    game: str
    title: str
    players: list[str]
    values: dict[str, int | float]
    conditions: tuple[StayConditionItem, ...]
    notes: list[str]
    provenance: Provenance
    #: the name of the count of members choosing the first strategy (``k`` unless a
    #: parameter or control is named so)
    count: str = "k"


@dataclass(frozen=True, kw_only=True)
class PopulationSweepPoint:
    """One point of a population sweep: the pure equilibria as runs of counts of the
    first strategy (``[low, high]``), the symmetric mixed probabilities of the first
    strategy (floats, and exact text), and what broke the game there."""

    value: int | float
    value_exact: str
    members: int | None
    counts: list[list[int]]
    symmetric: list[float]
    symmetric_exact: list[str]
    verified: bool
    complete: bool
    problem: str | None = field(default=None, metadata={"omit_none": True})
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class PopulationSweepReport(_Document):
    """A population game along one parameter (``policy sweep``)."""

    kind: ClassVar[str] = "sweep"
    game: str
    title: str
    players: list[str]
    strategies: list[str]
    grid: dict[str, list]
    fixed: dict[str, int | float]
    points: tuple[PopulationSweepPoint, ...]
    figure_names: list[str] = field(metadata={"key": "figures"})
    provenance: Provenance
    figures: tuple[tuple[str, bytes | str], ...] = field(default=(), metadata={"json": False})


@dataclass(frozen=True, kw_only=True)
class PopulationFullReport(_Document):
    """The whole pipeline on a population game, with what was skipped and why."""

    kind: ClassVar[str] = "report"
    game: str
    title: str
    summary: list[str]
    description: str
    claim: str
    references: list[str]
    solve: PopulationSolveReport
    analyze: PopulationAnalyzeReport
    sweep: PopulationSweepReport | None = field(default=None, metadata={"omit_none": True})
    skipped: dict[str, str]
    provenance: Provenance
    figure_names: list[str] = field(default_factory=list, metadata={"key": "figures"})
    figures: tuple[tuple[str, bytes | str], ...] = field(default=(), metadata={"json": False})


def build_population_solve_report(game, result, command: str) -> PopulationSolveReport:
    """``policy solve`` on a population game, as data."""
    spec = game.spec
    first, second = spec.strategies
    population, members = spec.population, result.members
    items = []
    for run in result.counts:
        items.append(PopulationEquilibriumItem(
            counts={population: {first: run.low, second: members - run.low}},
            counts_up_to=(None if run.high == run.low else
                          {population: {first: run.high, second: members - run.high}}),
            verified=run.verified,
            verification=("every member's switch checked exactly" if run.verified else
                          "not decided exactly")))
    for eq in result.symmetric:
        items.append(PopulationEquilibriumItem(
            symmetric={population: {first: float(eq.probability),
                                    second: 1 - float(eq.probability)}},
            exact={population: {first: str(eq.probability), second: str(1 - eq.probability)}},
            payoff=eq.payoff, verified=eq.verified,
            verification=f"indifference: a root in (0, 1) of the degree-{members - 1} "
                         "polynomial D(p) (exact real-root isolation)"))
    values = result.values
    return PopulationSolveReport(
        game=game.name, title=spec.title, description=spec.description, claim=spec.claim,
        players=[population], members=members, count=str(spec.count),
        strategies=list(spec.strategies),
        payoffs={s: str(u) for s, u in zip(spec.strategies, spec.payoffs)},
        payoffs_latex={s: latex(u) for s, u in zip(spec.strategies, spec.payoffs)},
        parameters={p.name: number_json(values[p.name]) for p in spec.parameters},
        controls={c.name: number_json(values[c.name]) for c in spec.controls},
        complete=result.complete, equilibria=tuple(items), notes=list(result.notes),
        provenance=provenance(game, command, method="counts and symmetric mixed"))


def build_population_analyze_report(game, analysis, command: str) -> PopulationAnalyzeReport:
    """``policy analyze`` on a population game, as data."""
    return PopulationAnalyzeReport(
        game=game.name, title=game.spec.title, players=[game.spec.population],
        count=str(game.count_symbol),
        values={k: number_json(v) for k, v in analysis.values.items()},
        conditions=tuple(StayConditionItem(
            strategy=c.strategy, holds_when=str(c.holds_when),
            holds_when_latex=latex(c.holds_when), applies=c.applies,
            thresholds=[str(t) for t in c.thresholds],
            thresholds_latex=[latex(t) for t in c.thresholds],
            at_current=list(c.at_current),
            controls={name: [str(v) for n, v in c.controls if n == name]
                      for name in dict(c.controls)},
            controls_latex={name: [latex(v) for n, v in c.controls if n == name]
                            for name in dict(c.controls)}) for c in analysis.conditions),
        notes=list(analysis.notes), provenance=provenance(game, command))


def build_population_sweep_report(game, sweep, command: str, draw: bool = True,
                                  **extras) -> PopulationSweepReport:
    """``policy sweep`` on a population game, as data, with its figure (unless ``draw``
    is False)."""
    axis = sweep.axis
    points = tuple(PopulationSweepPoint(
        value=number_json(point.value), value_exact=str(point.value), members=point.members,
        counts=[[low, high] for low, high in point.counts],
        symmetric=[float(p) for p in point.symmetric],
        symmetric_exact=[str(p) for p in point.symmetric], verified=point.verified,
        complete=point.complete, problem=point.problem, notes=list(point.notes))
        for point in sweep.points)
    figures = tuple(sorted(drawing.population_figure(sweep).items())) if draw else ()
    fixed = {k: number_json(v) for k, v in game.values_with({}).items() if k != axis.name}
    return PopulationSweepReport(
        game=game.name, title=game.spec.title, players=[sweep.population],
        strategies=list(sweep.strategies),
        grid={axis.name: [str(axis.start), str(axis.stop), axis.points]}, fixed=fixed,
        points=points, figure_names=[name for name, _ in figures],
        provenance=provenance(game, command, method="counts and symmetric mixed at every point"),
        figures=figures)


def _equilibrium_words(report: PopulationSolveReport, eq: PopulationEquilibriumItem) -> str:
    population = report.players[0]
    first = report.strategies[0]
    if eq.counts is not None:
        low = eq.counts[population][first]
        shown = (str(low) if eq.counts_up_to is None
                 else f"{low} to {eq.counts_up_to[population][first]}")
        return f"{shown} of {report.members} {population} choose {first}"
    probability = eq.exact[population][first]
    return (f"every member chooses {first} with probability "
            f"{display_number(probability, eq.symmetric[population][first])}")


def build_population_full_report(game, solve: PopulationSolveReport,
                                 analyze: PopulationAnalyzeReport, command: str,
                                 skipped: Mapping[str, str],
                                 timestamp: str | None = None,
                                 sweep: PopulationSweepReport | None = None
                                 ) -> PopulationFullReport:
    """``policy report`` on a population game (with ``sweep``: its figures renamed
    ``report-…``)."""
    spec = game.spec
    figures = tuple((REPORT_FIGURE_PREFIX + name, data)
                    for name, data in (sweep.figures if sweep is not None else ()))
    summary = [f"At the current values: {_equilibrium_words(solve, eq)}"
               + ("" if eq.verified else " (NOT verified)") + "." for eq in solve.equilibria]
    for condition in analyze.conditions:
        if condition.thresholds:
            summary.append(f"A member of {condition.strategy} stays while "
                           f"{condition.holds_when} (switching at {analyze.count} = "
                           f"{' or '.join(condition.thresholds)}).")
    return PopulationFullReport(
        game=game.name, title=spec.title, summary=summary, description=spec.description,
        claim=spec.claim, references=list(spec.references), solve=solve, analyze=analyze,
        skipped=dict(sorted(skipped.items())), sweep=sweep,
        figure_names=[name for name, _ in figures], figures=figures,
        provenance=provenance(game, command, method="counts and symmetric mixed",
                              **({"generated": timestamp} if timestamp else {})))


def _game_markdown(doc: PopulationSolveReport) -> list[str]:
    lines = ["## The population", ""]
    if doc.description:
        lines += [escape(doc.description), ""]
    if doc.claim:
        lines += [f"**Claim tested:** {escape(doc.claim)}", ""]
    lines += [f"`{doc.count}` = {doc.members} identical members of `{doc.players[0]}`; "
              f"`n_<strategy>` counts the members choosing a strategy, the member itself "
              "included.", ""]
    lines += table(["Strategy", "Payoff of a member"],
                   [(f"`{s}`", f"${doc.payoffs_latex[s]}$") for s in doc.strategies])
    lines.append("")
    return lines


def _equilibria_markdown(doc: PopulationSolveReport) -> list[str]:
    lines = ["## Equilibria", "", f"{len(doc.equilibria)} at the current values "
             f"({'complete' if doc.complete else 'may be incomplete'}):", ""]
    lines += [f"- {escape(_equilibrium_words(doc, eq))}: "
              + ("verified" if eq.verified else "**not verified**")
              + f" ({escape(eq.verification)})." for eq in doc.equilibria]
    lines += [f"- {escape(note)}." for note in doc.notes]
    lines.append("")
    return lines


def _analysis_body(doc: PopulationAnalyzeReport) -> list[str]:
    lines = ["## When is a count an equilibrium?", "",
             f"`{doc.count}` members choose the first strategy.", ""]
    lines += table(["Members of", "Stay when", "Needed when", f"Switches at {doc.count} =",
                    "Now"], [
        (f"`{c.strategy}`", f"${c.holds_when_latex}$", escape(c.applies),
         "; ".join(f"${t}$" for t in c.thresholds_latex) or "—",
         ", ".join(f"{v:.4g}" for v in c.at_current) or "—") for c in doc.conditions])
    lines.append("")
    rows = [(f"`{c.strategy}`", f"`{name}`", "; ".join(f"${v}$" for v in values))
            for c in doc.conditions for name, values in c.controls_latex.items()]
    if rows:
        lines += ["The regulator's controls where each condition switches (as a function of "
                  f"the target count `{doc.count}`: between them, `{doc.count}` members "
                  "choosing the first "
                  "strategy is an equilibrium):", ""]
        lines += table(["Members of", "Control", "Switches at"], rows) + [""]
    if doc.notes:
        lines += ["## Notes", ""] + [f"- {escape(n)}." for n in doc.notes] + [""]
    return lines


def _solve_markdown(doc: PopulationSolveReport) -> list[str]:
    return _header(doc, "Equilibria of ") + _game_markdown(doc) + _equilibria_markdown(doc)


def _analyze_markdown(doc: PopulationAnalyzeReport) -> list[str]:
    return _header(doc, "Conditions of ") + _analysis_body(doc)


def _full_markdown(doc: PopulationFullReport) -> list[str]:
    lines = [f"# {escape(doc.title) or doc.game} (`{doc.game}`)", "", "## Summary", ""]
    for sentence in doc.summary:
        lines += [escape(sentence), ""]
    lines += _game_markdown(doc.solve) + _equilibria_markdown(doc.solve)
    lines += ["#" + line if line.startswith("#") else line for line in _analysis_body(doc.analyze)]
    if doc.sweep is not None:
        lines += ["## Where the outcome changes: along one parameter", ""]
        lines += _sweep_body(doc.sweep, REPORT_FIGURE_PREFIX)
    for kind, heading in (("optimize", "## What the regulator should do"),
                          ("sweep", "## Where the outcome changes: phase diagram"),
                          ("uncertainty", "## Uncertainty")):
        if kind in doc.skipped:
            lines += [heading, "", f"Not computed: {escape(doc.skipped[kind])}.", ""]
    if doc.references:
        lines += ["## References", ""] + [f"- {escape(r)}" for r in doc.references] + [""]
    lines += ["## Provenance", ""] + _provenance(doc.provenance) + [""]
    return lines


def _counts_text(point: PopulationSweepPoint) -> str:
    if point.problem is not None:
        return "—"
    return ", ".join(str(low) if low == high else f"{low}–{high}" for low, high in point.counts) \
        or "none"


def _mixed_text(point: PopulationSweepPoint) -> str:
    if point.problem is not None:
        return "—"
    if point.symmetric:
        return ", ".join(display_number(e, v) for e, v in zip(point.symmetric_exact,
                                                             point.symmetric))
    return "not computed" if any("not computed" in n for n in point.notes) else "none"


def _sweep_body(doc: PopulationSweepReport, figure_prefix: str = "") -> list[str]:
    (name, (start, stop, count)), = doc.grid.items()
    first = doc.strategies[0]
    lines = [f"`{name}` from {start} to {stop}, {count} points, each solved exactly (the "
             "other names at their current values).", ""]
    if doc.figure_names:
        lines += [f"![Equilibrium counts and symmetric mixing along {name}]"
                  f"({figure_prefix}sweep.png)", ""]
    step = max(1, (len(doc.points) - 1) // 10)
    shown = list(doc.points[::step])
    if doc.points and shown[-1] is not doc.points[-1]:
        shown.append(doc.points[-1])
    rows = []
    for point in shown:
        rows.append((display_number(point.value_exact), "—" if point.members is None
                     else str(point.members), _counts_text(point), _mixed_text(point),
                     "yes" if point.verified and point.complete else
                     ("no: " + escape(point.problem) if point.problem else "not all")))
    lines += table([f"`{name}`", "Members", f"Pure: members choosing `{first}`",
                    f"Symmetric mixed: P(`{first}`)", "Verified, complete"], rows) + [""]
    notes = sorted({note for point in doc.points for note in point.notes})
    lines += [f"- {escape(note)}." for note in notes]
    return lines + ([""] if notes else [])


def _sweep_markdown(doc: PopulationSweepReport) -> list[str]:
    return _header(doc, "Along one axis: ") + ["## Equilibria along the axis", ""] + \
        _sweep_body(doc)


register_markdown(PopulationSweepReport, _sweep_markdown)
register_markdown(PopulationSolveReport, _solve_markdown)
register_markdown(PopulationAnalyzeReport, _analyze_markdown)
register_markdown(PopulationFullReport, _full_markdown)


def _solve_text(report: PopulationSolveReport) -> str:
    lines = [f"{report.game} — {report.title}" if report.title else report.game,
             f"{len(report.equilibria)} "
             f"{'equilibrium' if len(report.equilibria) == 1 else 'equilibria'} "
             f"({'complete' if report.complete else 'may be incomplete'}):"]
    lines += [f"  {number}. {_equilibrium_words(report, eq)}"
              + ("" if eq.verified else " (NOT verified)")
              for number, eq in enumerate(report.equilibria, start=1)]
    lines += [f"note: {note}" for note in report.notes]
    return "\n".join(lines)


def _analyze_text(report: PopulationAnalyzeReport) -> str:
    lines = [f"{report.game} — {report.title}" if report.title else report.game]
    for c in report.conditions:
        lines.append(f"  {c.strategy} stays when {c.holds_when} ({c.applies}); switches at {report.count} = "
                     + (" or ".join(c.thresholds) or "—"))
    return "\n".join(lines)


def _sweep_text(report: PopulationSweepReport) -> str:
    (name, (start, stop, count)), = report.grid.items()
    first = report.strategies[0]
    lines = [f"{report.game} — {report.title}" if report.title else report.game,
             f"{name} from {start} to {stop} ({count} points):"]
    for point in (report.points[0], report.points[-1]):
        mixed = (", ".join(f"{v:.4g}" for v in point.symmetric) if point.symmetric
                 else _mixed_text(point))
        lines.append(f"  {name} = {point.value_exact}: {_counts_text(point)} choose {first}; "
                     f"symmetric mixed P({first}) = {mixed}")
    return "\n".join(lines)


register_summary(PopulationSweepReport, _sweep_text)
register_summary(PopulationSolveReport, _solve_text)
register_summary(PopulationAnalyzeReport, _analyze_text)

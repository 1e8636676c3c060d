"""Reports of the regulator's questions on game trees: ``optimize``, ``sweep`` and
``uncertainty``, as typed data with their Markdown and terminal text.

Where this sits in the report package: beside :mod:`.tree` (the solve and analyze
reports of trees, and the full report, which embeds these through
:func:`stage_markdown`); it registers its renderers with
:func:`.render.register_markdown` and :func:`.text.register_summary` when imported,
as :mod:`.market` does. The JSON mirrors the matrix-game reports where the same
thing is said (``status``, ``controls``, ``controls_exact``, ``cost``,
``cost_exact``, ``verified``, ``verification``, ``explanation``, ``threshold``;
``grid``, ``points``, ``regions``, ``boundaries``, ``figures``; ``samples``,
``outcomes`` with ``interval_95``), with ``"kind": "tree"``; a tree's region has
``outcomes`` (each the leaves its SPE reach) and ``spe`` (how many) where a matrix
game's has supports.

Examples
--------
>>> from policy.api import load
>>> from policy.sweep.grid import GridAxis
>>> from policy.sweep.tree import sweep_tree
>>> game = load("chain_store")
>>> report = build_tree_sweep_report(game, sweep_tree(game, [GridAxis.parse("d=0:4:3")]),
...                                  "policy sweep chain_store --vary d=0:4:3", draw=False)
>>> [(r["label"], r["points"]) for r in report.document["regions"]]
[('enter → accommodate → enter → accommodate (1 SPE)', 2), \
('outside the model: assumption d > u fails', 1)]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

import sympy

from . import figures as drawing
from .document import (_exact_json, _threshold, _value_json, exact_text, latex, number_json,
                       policy_controls, provenance)
from .model import REPORT_FIGURE_PREFIX, PolicyControl, Provenance, StrictThreshold, _Document
from .render import _header, display_number, register_markdown, table
from .text import register_summary
from .words import escape

__all__ = ["TreeOptimizeReport", "TreeSweepReport", "TreeUncertaintyReport",
           "build_tree_optimize_report", "build_tree_sweep_report",
           "build_tree_uncertainty_report", "stage_markdown", "stage_sentences",
           "prefixed_figures"]

#: Conditions of the chosen policy listed in Markdown (all of them are in the JSON).
SHOWN_CONDITIONS = 30


@dataclass(frozen=True, kw_only=True)
class TreeOptimizeReport(_Document):
    """``policy optimize`` on a tree: the cheapest controls for the target, verified."""

    kind: ClassVar[str] = "optimize"
    game: str
    game_kind: str = field(default="tree", metadata={"key": "kind"})
    title: str
    mode: str = "implement"
    target: dict[str, Any]
    robust: str
    margin: str
    controls: dict[str, int | float]
    controls_exact: dict[str, str | None]
    cost: int | float | None
    cost_exact: str | None
    status: str
    explanation: str
    verified: bool
    unique: bool | None
    verification: str
    equilibria: list[dict[str, Any]]
    conditions: list[dict[str, Any]]
    shared_subgames: list[str]
    threshold: StrictThreshold | None
    solver: str
    parameters: dict[str, int | float]
    control_details: tuple[PolicyControl, ...]
    budget: str | None
    provenance: Provenance


@dataclass(frozen=True, kw_only=True)
class TreeSweepReport(_Document):
    """``policy sweep`` on a tree: the SPE outcome over a grid, a phase diagram."""

    kind: ClassVar[str] = "sweep"
    game: str
    game_kind: str = field(default="tree", metadata={"key": "kind"})
    title: str
    players: list[str]
    grid: dict[str, list[Any]]
    points: int
    fixed: dict[str, int | float]
    regions: tuple[dict[str, Any], ...]
    incomplete_points: int
    note: str | None = field(default=None, metadata={"omit_none": True})
    boundaries: tuple[dict[str, Any], ...]
    figure_names: list[str] = field(metadata={"key": "figures"})
    provenance: Provenance
    figures: tuple[tuple[str, bytes | str], ...] = field(default=(), metadata={"json": False})


@dataclass(frozen=True, kw_only=True)
class TreeUncertaintyReport(_Document):
    """``policy uncertainty`` on a tree: how often each SPE outcome occurs."""

    kind: ClassVar[str] = "uncertainty"
    game: str
    game_kind: str = field(default="tree", metadata={"key": "kind"})
    title: str
    players: list[str]
    samples: int
    seed: int
    distributions: dict[str, str]
    outcomes: tuple[dict[str, Any], ...]
    provenance: Provenance


# -- building ----------------------------------------------------------------------------

def _play_json(item: dict) -> dict[str, Any]:
    return {"play": item["play"], "probabilities": [exact_text(p) for p in item["probabilities"]],
            "payoffs": [exact_text(v) for v in item["payoffs"]], "follows": item["follows"]}


def build_tree_optimize_report(game, result, command: str,
                               values: dict[str, Any] | None = None) -> TreeOptimizeReport:
    """``policy optimize`` on a tree, as data."""
    spec = game.spec
    return TreeOptimizeReport(
        game=game.name, title=spec.title, target=result.target, robust=result.robust,
        margin=exact_text(result.margin),
        controls={k: number_json(v) for k, v in result.controls.items()},
        controls_exact={k: _exact_json(v) for k, v in result.controls.items()},
        cost=_value_json(result.cost), cost_exact=_exact_json(result.cost),
        status=result.status, explanation=result.explanation, verified=result.verified,
        unique=result.unique, verification=result.verification,
        equilibria=[_play_json(item) for item in result.equilibria],
        conditions=[{"player": c.player, "node": c.node, "action": c.action,
                     "alternative": c.alternative, "gain": _exact_json(c.gain),
                     "targeted": c.targeted} for c in result.conditions],
        shared_subgames=list(result.shared_subgames), threshold=_threshold(result.threshold),
        solver=result.solver,
        parameters={k: number_json(v) for k, v in (values or {}).items()
                    if k in {p.name for p in spec.parameters}},
        control_details=policy_controls(spec),
        budget=exact_text(spec.budget) if spec.budget is not None else None,
        provenance=provenance(game, command, method="MILP over subgames, verified by "
                              "re-solving", solver=result.solver))


def build_tree_sweep_report(game, result, command: str, *, boundaries=(), draw: bool = True,
                            note: str | None = None) -> TreeSweepReport:
    """``policy sweep`` on a tree, as data, with its phase diagram (unless ``draw`` is
    False); ``boundaries``: :class:`policy.sweep.Boundary` lines drawn dashed."""
    figures = drawing.phase_diagram(result, boundaries) if draw else {}
    return TreeSweepReport(
        game=game.name, title=game.spec.title, players=list(game.players),
        grid={a.name: [number_json(a.start), number_json(a.stop), a.points] for a in result.axes},
        points=result.points,
        fixed={k: number_json(v) for k, v in result.values.items()
               if k not in {a.name for a in result.axes}},
        regions=tuple({"label": r.label, "outcomes": [list(o) for o in r.outcomes],
                       "spe": r.spe, "complete": r.complete, "points": r.points,
                       "share": round(r.points / result.points, 6)} for r in result.regions),
        incomplete_points=result.incomplete_points, note=note,
        boundaries=tuple({"equation": b.equation, "expression": str(b.expression),
                          "latex": latex(sympy.Eq(b.lhs, b.rhs)), "crossings": b.crossings}
                         for b in boundaries),
        figure_names=sorted(figures),
        provenance=provenance(game, command, method="backward induction at every point"),
        figures=tuple(sorted(figures.items())))


def build_tree_uncertainty_report(game, result, command: str) -> TreeUncertaintyReport:
    """``policy uncertainty`` on a tree, as data."""
    return TreeUncertaintyReport(
        game=game.name, title=game.spec.title, players=list(game.players),
        samples=result.samples, seed=result.seed, distributions=result.distributions,
        outcomes=tuple({"label": region.label, "outcomes": [list(o) for o in region.outcomes],
                        "spe": region.spe, "count": region.points,
                        "share": round(region.points / result.samples, 6),
                        "interval_95": [round(low, 6), round(high, 6)]}
                       for region, low, high in result.regions),
        provenance=provenance(game, command, method="backward induction at every draw"))


def prefixed_figures(report: TreeSweepReport | None) -> tuple[tuple[str, bytes | str], ...]:
    """A sweep's figures renamed for the full report (``report-sweep.png`` …)."""
    return tuple((REPORT_FIGURE_PREFIX + name, data)
                 for name, data in (report.figures if report is not None else ()))


def stage_sentences(stages: dict) -> list[str]:
    """Plain-words summary sentences of the optimize and sweep stages of a full report."""
    sentences = []
    policy = stages.get("optimize")
    if policy is not None:
        goal = ("the unique subgame-perfect outcome" if policy.robust == "unique"
                else "a subgame-perfect outcome")
        target = _plain_target(policy.target)
        if policy.cost is None:
            sentences.append(f"No policy within the control bounds makes the target ({target}) "
                             f"{goal}: {policy.explanation}.")
        else:
            controls = ", ".join(f"{k} = {display_number(policy.controls_exact[k] or v)}"
                                 for k, v in policy.controls.items())
            found = ("it was verified by re-solving the tree" if policy.verified
                     else "it FAILED verification by re-solving the tree")
            extra = (" (other subgame-perfect equilibria remain)" if policy.unique is False
                     else "")
            sentences.append(f"The cheapest policy making the target ({target}) {goal} sets "
                             f"{controls}, at a cost of "
                             f"{display_number(policy.cost_exact or policy.cost)}; {found}{extra}.")
    swept = stages.get("sweep")
    if swept is not None:
        inside = [r for r in swept.regions if not r["label"].startswith("outside the model")]
        axes = " and ".join(swept.grid)
        outside = 1 - sum(r["share"] for r in inside)
        where = (f" ({100 * outside:.0f}% of the grid lies outside the model's assumptions)"
                 if outside > 0 else "")
        if len(inside) == 1:
            sentences.append(f"Over {swept.points} values of {axes}{where}, the subgame-perfect "
                             f"outcome is the same wherever the model applies: "
                             f"{inside[0]['label']}.")
        elif inside:
            largest = max(inside, key=lambda r: r["points"])
            sentences.append(f"Over {swept.points} values of {axes}{where}, {len(inside)} "
                             f"different sets of subgame-perfect outcomes occur; the most common "
                             f"({100 * largest['share']:.0f}% of the grid): {largest['label']}.")
    return sentences


# -- rendering ---------------------------------------------------------------------------

def _target_words(target: dict[str, Any]) -> str:
    parts = []
    if target.get("path"):
        parts.append("the path " + " → ".join(f"*{escape(a)}*" for a in target["path"]))
    parts += [f"*{escape(action)}* at “{escape(label)}”"
              for label, action in target.get("actions", {}).items()]
    return " and ".join(parts)


def _optimize_body(doc: TreeOptimizeReport) -> list[str]:
    goal = ("the unique subgame-perfect outcome" if doc.robust == "unique"
            else "the outcome of a subgame-perfect equilibrium")
    lines = [f"Target: {_target_words(doc.target)}, as {goal}"
             + (f" (every decision at or below it strictly preferred by the margin "
                f"{doc.margin})" if doc.robust == "unique" else "") + ".", ""]
    if doc.cost is None:
        lines += [f"**No policy found** ({doc.status}): {escape(doc.explanation)}.", ""]
        return lines
    if doc.controls:
        lines += table(["Control", "Value"], [
            (f"`{name}`", display_number(doc.controls_exact[name] or value))
            for name, value in doc.controls.items()]) + [""]
    else:
        lines += ["The game declares no controls: the target holds as the tree is.", ""]
    lines += [f"Cost: {display_number(doc.cost_exact or doc.cost)} (solver status: "
              f"{doc.status}).", ""]
    check = "passed" if doc.verified else "FAILED"
    lines += [f"**Verification {check}:** {escape(doc.verification)}.", ""]
    if doc.threshold is not None:
        lines += [f"Threshold: {escape(doc.threshold.statement)} ({escape(doc.threshold.used)}).",
                  ""]
    if doc.conditions:
        lines += ["What holds at these controls: each decision's choice beats each "
                  "alternative by this much (exact), given what is played afterwards:", ""]
        lines += table(["Player", "At", "Chooses", "Over", "By", "Subgame of the target"], [
            (escape(c["player"]), escape(c["node"]), escape(c["action"]),
             escape(c["alternative"]), display_number(c["gain"]),
             "yes" if c["targeted"] else "below it")
            for c in doc.conditions[:SHOWN_CONDITIONS]])
        if len(doc.conditions) > SHOWN_CONDITIONS:
            lines += ["", f"({len(doc.conditions)} conditions in all; every one is in the JSON.)"]
        lines.append("")
    if doc.equilibria:
        lines += ["Subgame-perfect equilibria at these controls:", ""]
        lines += [f"{k}. {escape('; '.join(e['play']))}"
                  + ("" if e["follows"] else " — does **not** follow the target")
                  for k, e in enumerate(doc.equilibria, start=1)] + [""]
    return lines


def _optimize_markdown(doc: TreeOptimizeReport) -> list[str]:
    return _header(doc, "Cheapest policy for ") + _optimize_body(doc)


def _sweep_body(doc: TreeSweepReport, figure_prefix: str = "") -> list[str]:
    grid = ", ".join(f"`{k}` from {v[0]} to {v[1]} ({v[2]} points)" for k, v in doc.grid.items())
    lines = [f"Varied: {grid}; {doc.points} points in all, each solved exactly by backward "
             "induction. Other values: "
             + (", ".join(f"`{k}` = {display_number(v)}" for k, v in doc.fixed.items()) or "none")
             + ".", ""]
    if doc.note:
        lines += [doc.note, ""]
    if doc.figure_names:
        lines += ["![Phase diagram: regions of the grid labelled by their subgame-perfect "
                  f"outcomes]({figure_prefix}sweep.png)", ""]
    if doc.boundaries:
        lines += ["Dashed lines: where a credible-threat condition of `policy analyze` (or an "
                  "assumption) switches, at the other values above:", ""]
        lines += [f"- ${b['latex']}$" for b in doc.boundaries] + [""]
    lines += table(["Subgame-perfect outcomes (number of SPE)", "Points", "Share"], [
        (escape(r["label"]), str(r["points"]), f"{100 * r['share']:.2f}%") for r in doc.regions])
    lines.append("")
    if doc.incomplete_points:
        lines += [f"- At {doc.incomplete_points} points the list of SPE may be incomplete "
                  "(see `policy solve` there).", ""]
    return lines


def _sweep_markdown(doc: TreeSweepReport) -> list[str]:
    return _header(doc, "Phase diagram of ") + _sweep_body(doc)


def _uncertainty_body(doc: TreeUncertaintyReport) -> list[str]:
    lines = [f"{doc.samples} draws (seed {doc.seed}) of "
             + ", ".join(f"`{k}` ~ {v}" for k, v in doc.distributions.items())
             + "; other values as declared; the tree solved exactly at each draw.", ""]
    lines += table(["Subgame-perfect outcomes (number of SPE)", "Draws", "Share",
                    "95% interval (Wilson)"], [
        (escape(o["label"]), str(o["count"]), f"{100 * o['share']:.1f}%",
         f"{100 * o['interval_95'][0]:.1f}% – {100 * o['interval_95'][1]:.1f}%")
        for o in doc.outcomes])
    return lines + [""]


def _uncertainty_markdown(doc: TreeUncertaintyReport) -> list[str]:
    return _header(doc, "Uncertainty: ") + _uncertainty_body(doc)


def stage_markdown(stage: str, doc, figure_prefix: str = REPORT_FIGURE_PREFIX) -> list[str]:
    """A stage's section of a tree's full report (no title or provenance)."""
    if stage == "optimize":
        return _optimize_body(doc)
    if stage == "sweep":
        return _sweep_body(doc, figure_prefix)
    return _uncertainty_body(doc)


def _optimize_text(report: TreeOptimizeReport) -> str:
    lines = [f"{report.game} — {report.title}" if report.title else report.game,
             f"target: {_plain_target(report.target)} ({report.robust})"]
    if report.cost is None:
        lines.append(f"no policy ({report.status}): {report.explanation}")
        return "\n".join(lines)
    lines.append("controls: " + (", ".join(
        f"{k} = {display_number(report.controls_exact[k] or v)}"
        for k, v in report.controls.items()) or "none")
        + f"; cost {display_number(report.cost_exact or report.cost)}")
    lines.append(f"verification {'passed' if report.verified else 'FAILED'}: {report.verification}")
    if report.threshold is not None:
        lines.append(f"threshold: {report.threshold.statement}")
    return "\n".join(lines)


def _plain_target(target: dict[str, Any]) -> str:
    parts = ["path " + " → ".join(target["path"])] if target.get("path") else []
    parts += [f"{label}: {action}" for label, action in target.get("actions", {}).items()]
    return "; ".join(parts)


def _sweep_text(report: TreeSweepReport) -> str:
    lines = [f"{report.game} — {report.points} points, {len(report.regions)} regions"]
    for region in sorted(report.regions, key=lambda r: -r["points"]):
        lines.append(f"  {100 * region['share']:6.2f}%  {region['label']}")
    if report.boundaries:
        lines.append("boundaries: " + "; ".join(b["equation"] for b in report.boundaries))
    return "\n".join(lines)


def _uncertainty_text(report: TreeUncertaintyReport) -> str:
    lines = [f"{report.game} — {report.samples} draws of "
             + ", ".join(f"{k} ~ {v}" for k, v in report.distributions.items())]
    for o in report.outcomes:
        low, high = o["interval_95"]
        lines.append(f"  {100 * o['share']:5.1f}%  [{100 * low:.1f}%, {100 * high:.1f}%]  "
                     f"{o['label']}")
    return "\n".join(lines)


register_markdown(TreeOptimizeReport, _optimize_markdown)
register_markdown(TreeSweepReport, _sweep_markdown)
register_markdown(TreeUncertaintyReport, _uncertainty_markdown)
register_summary(TreeOptimizeReport, _optimize_text)
register_summary(TreeSweepReport, _sweep_text)
register_summary(TreeUncertaintyReport, _uncertainty_text)

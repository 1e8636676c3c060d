"""Reports of game trees: typed data (frozen dataclasses), their Markdown and terminal text.

Where this sits in the report package: the tree kind's counterpart of
:mod:`.model` (data), :mod:`.document` (builders), :mod:`.render` and :mod:`.text`
(rendering): this module registers its renderers there when it is imported
(:func:`.render.register_markdown`, :func:`.text.register_summary`), as
:mod:`.market` does. A tree's solve report holds the JSON
contract of ``policy solve TREE --json``: ``"kind": "tree"``, the players, the
information sets per player (``label``, ``actions``), ``"spe"`` and
``"equilibria"`` (each with ``behaviour``: per player a list aligned with
``infosets`` of action → probability maps; ``payoffs``; the same under ``exact``
as strings), ``"spe_complete"`` and ``"complete"`` (whether each list is every one).

Examples
--------
>>> from policy.api import load
>>> game = load("chain_store")
>>> from policy.kinds.tree import TREE
>>> report = build_tree_solve_report(game, TREE.solve(game), "policy solve chain_store")
>>> report.document["kind"], report.document["spe"][0]["behaviour"]["incumbent"][0]
('tree', {'fight': 0.0, 'accommodate': 1.0})
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, ClassVar

from ..limits import exceeded, limit
from .document import _symbol_table, exact_text, number_json, provenance
from .model import REPORT_FIGURE_PREFIX, ControlDetail, ParameterDetail, Provenance, _Document
from .render import register_markdown
from .tree_policy import (TreeOptimizeReport, TreeSweepReport, TreeUncertaintyReport,
                          prefixed_figures, stage_markdown, stage_sentences)
from .text import register_summary
from .tree_drawing import draw_tree, leaf_count
from .words import escape

__all__ = ["TreeEquilibriumItem", "TreeSolveReport", "TreeFullReport", "TreeAnalyzeReport",
           "build_tree_analyze_report", "tree_analyze_markdown", "tree_analyze_summary",
           "build_tree_solve_report", "build_tree_full_report", "tree_solve_markdown",
           "tree_full_markdown", "tree_solve_summary", "node_paths", "tree_figures",
           "TREE_FIGURE"]

#: Nodes drawn in a report's outline of the tree; larger trees are cut there.
OUTLINE_NODES = 200
#: The file name of a tree's drawing (``report-tree.svg`` in the full report).
TREE_FIGURE = "tree.svg"


@dataclass(frozen=True, kw_only=True)
class TreeEquilibriumItem:
    """One equilibrium of a tree, as the JSON holds it."""

    behaviour: dict[str, list[dict[str, float]]]
    payoffs: dict[str, float]
    exact: dict[str, Any]
    outcome: list[dict[str, Any]]
    pure: bool
    verified: bool


@dataclass(frozen=True, kw_only=True)
class TreeSolveReport(_Document):
    """Everything ``policy solve`` reports on a game tree."""

    kind: ClassVar[str] = "solve"
    game: str
    game_kind: str = field(default="tree", metadata={"key": "kind"})
    title: str
    description: str
    claim: str
    players: list[str]
    infosets: dict[str, list[dict[str, Any]]]
    parameters: dict[str, int | float]
    controls: dict[str, int | float]
    method: str
    exact_arithmetic: bool
    subgames: int
    spe: tuple[TreeEquilibriumItem, ...]
    spe_complete: bool
    equilibria: tuple[TreeEquilibriumItem, ...]
    complete: bool
    equilibria_method: str
    notes: list[str]
    outline: list[str]
    parameter_details: tuple[ParameterDetail, ...]
    control_details: tuple[ControlDetail, ...]
    provenance: Provenance
    figures: tuple[tuple[str, bytes | str], ...] = field(default=(), metadata={"json": False})
    #: Why the tree is not drawn (too many leaves), or "".
    drawing_note: str = field(default="", metadata={"json": False})


@dataclass(frozen=True, kw_only=True)
class TreeAnalyzeReport(_Document):
    """``policy analyze`` on a tree: the credible-threat conditions of each pure SPE."""

    kind: ClassVar[str] = "analyze"
    game: str
    game_kind: str = field(default="tree", metadata={"key": "kind"})
    title: str
    parameters: dict[str, int | float]
    controls: dict[str, int | float]
    equilibria: list[dict[str, Any]]
    skipped: list[str]
    provenance: Provenance


@dataclass(frozen=True, kw_only=True)
class TreeFullReport(_Document):
    """``policy report`` on a tree: a summary in plain words, the solve, what was skipped."""

    kind: ClassVar[str] = "report"
    game: str
    title: str
    summary: list[str]
    summary_markdown: list[str]
    description: str
    claim: str
    references: list[str]
    solve: TreeSolveReport
    analyze: TreeAnalyzeReport | None = field(default=None, metadata={"omit_none": True})
    optimize: TreeOptimizeReport | None = field(default=None, metadata={"omit_none": True})
    sweep: TreeSweepReport | None = field(default=None, metadata={"omit_none": True})
    uncertainty: TreeUncertaintyReport | None = field(default=None, metadata={"omit_none": True})
    skipped: dict[str, str]
    provenance: Provenance
    figure_names: list[str] = field(default_factory=list, metadata={"key": "figures"})
    figures: tuple[tuple[str, bytes | str], ...] = field(default=(), metadata={"json": False})


# -- building ----------------------------------------------------------------------------

def node_paths(tree) -> list[str]:
    """Each node named by the actions leading to it (``enter → fight``; the root ``start``)."""
    paths = ["start"] * len(tree.nodes)
    for index, node in enumerate(tree.nodes):
        if node.infoset is None:
            continue
        actions = tree.infosets[node.infoset].actions
        for action, child in zip(actions, node.children):
            paths[child] = action if index == 0 else f"{paths[index]} → {action}"
    return paths


def _item(game, tree, eq, paths: list[str]) -> TreeEquilibriumItem:
    players = list(tree.players)
    behaviour: dict[str, list[dict[str, float]]] = {p: [] for p in players}
    exact: dict[str, list[dict[str, str]]] = {p: [] for p in players}
    for index, player in enumerate(players):
        for h in tree.player_infosets(index):
            actions = tree.infosets[h].actions
            probabilities = eq.behaviour[h]
            behaviour[player].append({a: float(p) for a, p in zip(actions, probabilities)})
            exact[player].append({a: exact_text(p) for a, p in zip(actions, probabilities)})
    pure = all(len([p for p in b if p]) <= 1 for b in eq.behaviour)
    return TreeEquilibriumItem(
        behaviour=behaviour,
        payoffs={p: number_json(v) for p, v in zip(players, eq.payoffs)},
        exact={"behaviour": exact,
               "payoffs": {p: exact_text(v) for p, v in zip(players, eq.payoffs)}},
        outcome=[{"leaf": paths[leaf], "probability": float(p), "exact": exact_text(p)}
                 for leaf, p in eq.outcome],
        pure=pure, verified=eq.verified)


def _outline(game, tree, paths: list[str]) -> list[str]:
    """The tree as nested Markdown list lines (text escaped), at most OUTLINE_NODES nodes."""
    lines: list[str] = []
    stack = [(0, 0, "")]
    while stack and len(lines) < OUTLINE_NODES:
        index, depth, via = stack.pop()
        node = tree.nodes[index]
        indent = "  " * depth
        label = f" “{escape(node.label)}”" if node.label else ""
        if node.kind == "leaf":
            payoffs = ", ".join(f"{escape(p)} {_number(v)}"
                                for p, v in zip(tree.players, tree.payoffs[index]))
            lines.append(f"{indent}- {via}payoffs{label}: {payoffs}")
            continue
        infoset = tree.infosets[node.infoset]
        if node.kind == "chance":
            lines.append(f"{indent}- {via}chance{label}:")
            moves = [f"{escape(a)} ({_number(p)})"
                     for a, p in zip(infoset.actions, tree.chance[node.infoset])]
        else:
            who = escape(tree.players[infoset.player])
            lines.append(f"{indent}- {via}**{who}** decides{label} (information set "
                         f"“{escape(infoset.label)}”):")
            moves = [f"*{escape(a)}*" for a in infoset.actions]
        for move, child in reversed(list(zip(moves, node.children))):
            stack.append((child, depth + 1, f"{move} → "))
    if stack:
        lines.append(f"- … ({len(tree.nodes)} nodes in all; the first {OUTLINE_NODES} are shown)")
    return lines


def tree_figures(solution, draw: bool = True) -> tuple[tuple[tuple[str, str], ...], str]:
    """The drawing of a solved tree (:data:`TREE_FIGURE`, the play of the first
    subgame-perfect equilibrium highlighted) and a note: no drawing and a note naming
    the limit when the tree has more leaves than ``POLICY_LIMIT_TREE_DRAWING_LEAVES``;
    neither when ``draw`` is false.

    >>> from policy.api import load, solve
    >>> figures, note = tree_figures(solve(load("chain_store")))
    >>> [name for name, _ in figures], note
    (['tree.svg'], '')
    """
    if not draw:
        return (), ""
    tree, most = solution.tree, limit("tree_drawing_leaves")
    leaves = leaf_count(tree)
    if leaves > most:
        return (), (f"The tree has {leaves} leaves, more than the {most} a report draws "
                    f"(limit tree_drawing_leaves: {exceeded('tree_drawing_leaves')}); "
                    "its outline is shown instead.")
    outcome = solution.spe[0].outcome if solution.spe else ()
    return ((TREE_FIGURE, draw_tree(tree, outcome)),), ""


def build_tree_solve_report(game, solution, command: str, draw: bool = True) -> TreeSolveReport:
    """Everything ``policy solve`` reports on a tree, as data, with the tree's drawing
    (unless ``draw`` is false)."""
    tree = solution.tree
    values = dict(tree.values)
    spec = game.spec
    figures, drawing_note = tree_figures(solution, draw)
    parameters, controls = _symbol_table(game, values)
    paths = node_paths(tree)
    infosets = {player: [{"label": tree.infosets[h].label,
                          "actions": list(tree.infosets[h].actions)}
                         for h in tree.player_infosets(index)]
                for index, player in enumerate(tree.players)}
    return TreeSolveReport(
        game=game.name, title=spec.title, description=spec.description, claim=spec.claim,
        players=list(tree.players), infosets=infosets,
        parameters={p.name: number_json(values[p.name]) for p in spec.parameters},
        controls={c.name: number_json(values[c.name]) for c in spec.controls},
        method="backward induction over subgames", exact_arithmetic=True,
        subgames=solution.subgames,
        spe=tuple(_item(game, tree, eq, paths) for eq in solution.spe),
        spe_complete=solution.spe_complete,
        equilibria=tuple(_item(game, tree, eq, paths) for eq in solution.equilibria),
        complete=solution.equilibria_complete,
        equilibria_method=("every extreme equilibrium of the reduced strategic form"
                           if len(tree.players) == 2 else "the subgame-perfect equilibria"),
        notes=list(solution.notes),
        outline=_outline(game, tree, paths), parameter_details=parameters,
        control_details=controls,
        provenance=provenance(game, command, method="backward induction over subgames"),
        figures=figures, drawing_note=drawing_note)


def _path_words(item: TreeEquilibriumItem) -> str:
    if len(item.outcome) == 1:
        return item.outcome[0]["leaf"]
    return "; ".join(f"{o['leaf']} ({_number(Fraction(o['exact']))})" for o in item.outcome)


def _payoff_words(players: list[str], item: TreeEquilibriumItem) -> str:
    return ", ".join(f"{p} {_number(Fraction(item.exact['payoffs'][p]))}" for p in players)


def _same_behaviour(a: TreeEquilibriumItem, b: TreeEquilibriumItem) -> bool:
    return a.exact["behaviour"] == b.exact["behaviour"]


def _enumerated(solve: TreeSolveReport) -> bool:
    """Whether the whole tree's Nash equilibria were enumerated (two players)."""
    return bool(solve.equilibria) and len(solve.players) == 2


def summary_sentences(solve: TreeSolveReport) -> list[str]:
    """The plain-words summary of a tree's report (plain text, no Markdown)."""
    players, spe = solve.players, solve.spe
    sentences = []
    plays = list(dict.fromkeys((_path_words(eq), _payoff_words(players, eq)) for eq in spe))
    if not spe:
        sentences.append("No subgame-perfect equilibrium was found (see the notes).")
    elif len(spe) == 1 and solve.spe_complete:
        sentences.append(f"In the only subgame-perfect equilibrium play goes: "
                         f"{plays[0][0]}; payoffs: {plays[0][1]}.")
    elif len(plays) == 1:
        which = (f"In all {len(spe)} subgame-perfect equilibria" if solve.spe_complete else
                 f"In the {len(spe)} subgame-perfect "
                 f"{'equilibrium' if len(spe) == 1 else 'equilibria'} found")
        sentences.append(f"{which} play goes: {plays[0][0]}; payoffs: {plays[0][1]}."
                         + (" They differ only in what would be done off that path."
                            if len(spe) > 1 else ""))
    else:
        listed = "; ".join(f"({k}) {path}, payoffs {payoffs}"
                           for k, (path, payoffs) in enumerate(plays[:5], start=1))
        more = "" if len(plays) <= 5 else f" (the first 5 of {len(plays)})"
        found = "" if solve.spe_complete else " found"
        sentences.append(f"There are {len(spe)} subgame-perfect equilibria{found}, with "
                         f"{len(plays)} different plays{more}: {listed}.")
    if spe and not solve.spe_complete:
        sentences.append("Others may exist (see the notes): the list of subgame-perfect "
                         "equilibria is not proven complete.")
    if _enumerated(solve):
        others = [eq for eq in solve.equilibria
                  if not any(_same_behaviour(eq, s) for s in spe)]
        count = len(solve.equilibria)
        if others:
            sentences.append(
                f"Of the {count} extreme Nash equilibria of the whole tree, {len(others)} "
                f"{'is' if len(others) == 1 else 'are'} not subgame perfect: "
                f"{'it rests' if len(others) == 1 else 'they rest'} on threats or promises "
                "that would not be carried out once their moment came (for example, play "
                f"going {_path_words(others[0])}).")
        elif solve.complete:
            sentences.append(f"Every one of the {count} extreme Nash equilibria of the whole "
                             "tree is subgame perfect: no equilibrium rests on an empty threat."
                             if count > 1 else "The only Nash equilibrium of the whole tree is "
                             "subgame perfect.")
    return sentences


def build_tree_analyze_report(game, analysis, command: str) -> TreeAnalyzeReport:
    """``policy analyze`` on a tree, as data."""
    from .document import latex

    values = dict(analysis.values)
    spec = game.spec
    return TreeAnalyzeReport(
        game=game.name, title=spec.title,
        parameters={p.name: number_json(values[p.name]) for p in spec.parameters},
        controls={c.name: number_json(values[c.name]) for c in spec.controls},
        equilibria=[{"spe": item.index + 1, "play": list(item.play),
                     "conditions": [{"player": c.player, "node": c.node, "action": c.action,
                                     "alternative": c.alternative,
                                     "condition": str(c.condition),
                                     "latex": latex(c.condition), "holds": c.holds,
                                     "threshold": (str(c.threshold) if c.threshold is not None
                                                   else None)}
                                    for c in item.conditions],
                     "always": item.always}
                    for item in analysis.equilibria],
        skipped=list(analysis.skipped),
        provenance=provenance(game, command, method="backward induction over subgames"))


def build_tree_full_report(game, solve: TreeSolveReport, command: str,
                           skipped: dict[str, str], timestamp: str | None = None,
                           analyze: TreeAnalyzeReport | None = None,
                           **stages) -> TreeFullReport:
    """``policy report`` on a tree: the summary, the solve and analyze reports, the
    ``stages`` computed (``optimize``, ``sweep``, ``uncertainty``: reports of
    :mod:`.tree_policy`), the skipped stages."""
    sentences = summary_sentences(solve) + stage_sentences(stages)
    spec = game.spec
    figures = (tuple((REPORT_FIGURE_PREFIX + name, data) for name, data in solve.figures)
               + prefixed_figures(stages.get("sweep")))
    return TreeFullReport(
        game=game.name, title=spec.title, summary=sentences,
        summary_markdown=[escape(s) for s in sentences], description=spec.description,
        claim=spec.claim, references=list(spec.references), solve=solve, analyze=analyze,
        **stages, skipped=dict(sorted(skipped.items())),
        figure_names=[name for name, _ in figures], figures=figures,
        provenance=provenance(game, command, method=solve.method,
                              **({"generated": timestamp} if timestamp else {})))


# -- rendering ---------------------------------------------------------------------------

def _number(value: Fraction | int | str) -> str:
    """An exact number, with a decimal beside a fraction: ``2/7 ≈ 0.2857``.

    >>> _number(Fraction(2, 7)), _number(Fraction(-3))
    ('2/7 ≈ 0.2857', '-3')
    """
    value = Fraction(value)
    if value.denominator == 1:
        return str(value.numerator)
    return f"{value} ≈ {float(value):.4g}"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header),
            *("| " + " | ".join(row) + " |" for row in rows)]


def _provenance(doc: Provenance) -> list[str]:
    rows = [["Tool", doc.tool], ["Command", f"`{doc.command}`"],
            ["Input", f"`{doc.input}` ({doc.input_format})"],
            ["Input SHA-256", f"`{doc.input_sha256}`"]]
    rows += [[key.replace("_", " ").capitalize(), f"`{value}`"]
             for key, value in [*doc.extra.items(), ("libraries", doc.libraries)]]
    return _table(["Provenance", ""], rows)


def _behaviour_text(doc: TreeSolveReport, item: TreeEquilibriumItem, player: str) -> str:
    parts = []
    for infoset, choice in zip(doc.infosets[player], item.exact["behaviour"][player]):
        used = [(a, p) for a, p in choice.items() if p != "0"]
        if not used:
            text = "any (never reached by own play)"
        elif len(used) == 1:
            text = used[0][0]
        else:
            text = ", ".join(f"{a} {_number(Fraction(p))}" for a, p in used)
        parts.append(f"{infoset['label']}: {text}")
    return "; ".join(parts) or "(no move)"


def _equilibria_lines(doc: TreeSolveReport, items, heading: str, complete: bool,
                      markdown: bool) -> list[str]:
    flag = "complete" if complete else "may be incomplete"
    noun = heading if len(items) != 1 else heading.replace("equilibria", "equilibrium")
    lines = [f"{heading} ({len(items)}, exact, {flag})", ""] if markdown else \
        [f"{len(items)} {noun} (exact, {flag}):"]
    for number, item in enumerate(items, start=1):
        if markdown:
            lines.append(f"{number}. Play: {escape(_path_words(item))}; payoffs: "
                         f"{escape(_payoff_words(doc.players, item))}"
                         + ("" if item.pure else " (mixed)"))
            lines += [f"   - {escape(p)}: {escape(_behaviour_text(doc, item, p))}"
                      for p in doc.players]
        else:
            behaviour = " | ".join(f"{p}: {_behaviour_text(doc, item, p)}" for p in doc.players)
            lines.append(f"  {number}. {behaviour} | play: {_path_words(item)} | payoffs: "
                         f"{_payoff_words(doc.players, item)}")
    if markdown:
        lines.append("")
    return lines


def _tree_section(doc: TreeSolveReport, figure: str | None) -> list[str]:
    """"The tree": its drawing (``figure``, a file name) with a caption, or its outline."""
    lines = ["### The tree", ""]
    if figure is None:
        note = [escape(doc.drawing_note), ""] if doc.drawing_note else []
        return lines + note + doc.outline + [""]
    if not doc.spe:
        play = "no play is highlighted, as no subgame-perfect equilibrium was found"
    else:
        play = "the thick line is the play of the subgame-perfect equilibrium" + (
            f" (the first of the {len(doc.spe)} listed below)" if len(doc.spe) > 1 else "")
    players = ", ".join(escape(p) for p in doc.players)
    return lines + [
        f"![The game tree, with the play of the subgame-perfect equilibrium highlighted]"
        f"({figure})", "",
        f"*Each decision node (a dot) is labelled by the player who moves there and each "
        f"branch by its action; chance moves (squares) give each branch's probability under "
        f"it; the leaves show the payoffs ({players}); a dashed line joins the nodes of one "
        f"information set (the player moving there does not know which of them play has "
        f"reached); {play}.*", ""]


def _figure_named(figures, name: str) -> str | None:
    """The name of the figure among ``figures`` whose name ends with ``name``, if any."""
    return next((own for own, _ in figures if own.endswith(name)), None)


def _solve_body(doc: TreeSolveReport, figure: str | None = None) -> list[str]:
    lines = ["## The game", ""]
    if doc.description:
        lines += [escape(doc.description), ""]
    if doc.claim:
        lines += [f"**Claim tested:** {escape(doc.claim)}", ""]
    lines += _table(["Player", "Information sets (actions)"], [
        [f"**{escape(p)}**", "; ".join(f"{escape(i['label'])} ({', '.join(map(escape, i['actions']))})"
                                     for i in doc.infosets[p]) or "—"] for p in doc.players])
    lines.append("")
    if doc.parameter_details:
        lines += ["### Parameters", ""]
        lines += _table(["Name", "Value", "Meaning"], [
            [f"`{p.name}`", _number(p.value) if p.value is not None else "—",
             escape(p.description) or "—"] for p in doc.parameter_details])
        lines.append("")
    if doc.control_details:
        lines += ["### Regulator controls", ""]
        lines += _table(["Name", "Value", "Meaning"], [
            [f"`{c.name}`", _number(c.value), escape(c.description) or "—"]
            for c in doc.control_details])
        lines.append("")
    lines += _tree_section(doc, figure)
    lines += _equilibria_lines(doc, doc.spe, "## Subgame-perfect equilibria", doc.spe_complete,
                               True)
    if _enumerated(doc):
        lines += ["Nash equilibria of the whole tree: every extreme equilibrium of its reduced "
                  "strategic form, as behaviour strategies.", ""]
        lines += _equilibria_lines(doc, doc.equilibria, "## Nash equilibria", doc.complete, True)
    else:
        lines += ["## Nash equilibria", "",
                  f"With {len(doc.players)} players the Nash equilibria of the whole tree are not "
                  "enumerated; the subgame-perfect equilibria above are Nash equilibria (each "
                  "was checked as one).", ""]
    lines += ["## How they were found", "",
              f"Backward induction over the {doc.subgames} subgames in exact rational "
              "arithmetic; a subgame where several players move without seeing each other is "
              "solved as a matrix game by the exact engine, and every tie or equilibrium "
              "branches. Each equilibrium was checked independently: no player gains by "
              "deviating in any subgame (subgame-perfect ones) or in the whole tree (Nash).", ""]
    if doc.notes:
        lines += ["Notes:", ""] + [f"- {escape(n)}" for n in doc.notes] + [""]
    return lines


def tree_solve_markdown(doc: TreeSolveReport) -> list[str]:
    """``solve.md`` of a tree."""
    title = escape(doc.title) or doc.game
    return ([f"# Equilibria of {title} (`{doc.game}`)", ""] + _provenance(doc.provenance)
            + [""] + _solve_body(doc, _figure_named(doc.figures, TREE_FIGURE)))


def _analyze_body(doc: TreeAnalyzeReport) -> list[str]:
    lines = ["For each pure subgame-perfect equilibrium: at each decision, the action "
             "chosen must be at least as good for its player as every other, given what "
             "everybody does afterwards. These inequalities make the threats and promises "
             "credible; in a perfect-information tree they are exactly the conditions under "
             "which the equilibrium stays subgame perfect.", ""]
    for item in doc.equilibria:
        lines += [f"### Subgame-perfect equilibrium {item['spe']}: "
                  f"{escape('; '.join(item['play']))}", ""]
        if item["conditions"]:
            lines += _table(["Player", "At", "Prefers", "To", "When", "Threshold",
                             "Holds here"], [
                [escape(c["player"]), escape(c["node"]), escape(c["action"]),
                 escape(c["alternative"]), f"${c['latex']}$",
                 f"`{c['threshold']}`" if c["threshold"] else "—",
                 "yes" if c["holds"] else "no"]
                for c in item["conditions"]])
            lines.append("")
        if item["always"]:
            lines += [f"{item['always']} more comparison(s) hold whatever the values.", ""]
    if doc.skipped:
        lines += ["Not analysed: " + "; ".join(escape(s) for s in doc.skipped) + ".", ""]
    return lines


def tree_analyze_markdown(doc: TreeAnalyzeReport) -> list[str]:
    """``analyze.md`` of a tree."""
    title = escape(doc.title) or doc.game
    return ([f"# Credible threats in {title} (`{doc.game}`)", ""] + _provenance(doc.provenance)
            + [""] + _analyze_body(doc))


def tree_analyze_summary(report: TreeAnalyzeReport) -> str:
    """A few lines for the terminal: each pure SPE's conditions."""
    lines = [f"{report.game} — {report.title}" if report.title else report.game]
    for item in report.equilibria:
        lines.append(f"SPE {item['spe']} ({'; '.join(item['play'])}):")
        lines += [f"  {c['player']} at {c['node']}: {c['action']} over {c['alternative']} "
                  f"when {c['condition']}" + ("" if c["holds"] else " (fails here)")
                  for c in item["conditions"]]
        if item["always"]:
            lines.append(f"  {item['always']} more comparison(s) hold whatever the values")
    lines += [f"not analysed: {s}" for s in report.skipped]
    return "\n".join(lines)


_STAGE_HEADINGS = {"analyze": "## When is each outcome an equilibrium?",
                   "optimize": "## What the regulator should do",
                   "sweep": "## Where the outcome changes: phase diagram",
                   "uncertainty": "## Uncertainty"}


def tree_full_markdown(doc: TreeFullReport) -> list[str]:
    """``index.md`` of a tree's report."""
    title = escape(doc.title) or doc.game
    lines = [f"# {title} (`{doc.game}`)", "", "## Summary", ""]
    for sentence in doc.summary_markdown:
        lines += [sentence, ""]
    lines += _solve_body(doc.solve, _figure_named(doc.figures, REPORT_FIGURE_PREFIX + TREE_FIGURE))
    if doc.analyze is not None:
        lines += [_STAGE_HEADINGS["analyze"], ""] + _analyze_body(doc.analyze)
    for kind, heading in _STAGE_HEADINGS.items():
        stage = getattr(doc, kind) if kind != "analyze" else None
        if stage is not None:
            lines += [heading, ""] + stage_markdown(kind, stage)
        elif kind in doc.skipped:
            lines += [heading, "", f"Not computed: {escape(doc.skipped[kind])}.", ""]
    if doc.references:
        lines += ["## References", ""] + [f"- {escape(r)}" for r in doc.references] + [""]
    lines += ["## Provenance", ""] + _provenance(doc.provenance) + [""]
    return lines


def tree_solve_summary(report: TreeSolveReport) -> str:
    """A few lines for the terminal: each subgame-perfect and Nash equilibrium.

    >>> from policy.api import load, solve
    >>> game = load("chain_store")
    >>> print(tree_solve_summary(build_tree_solve_report(game, solve(game), "")))
    ... # doctest: +ELLIPSIS
    chain_store — ...
    1 subgame-perfect equilibrium (exact, complete):
      1. ...
    """
    lines = [f"{report.game} — {report.title}" if report.title else report.game]
    lines += _equilibria_lines(report, report.spe, "subgame-perfect equilibria",
                               report.spe_complete, False)
    if _enumerated(report):
        lines += _equilibria_lines(report, report.equilibria, "Nash equilibria",
                                   report.complete, False)
    lines += [f"note: {note}" for note in report.notes]
    return "\n".join(lines)


register_markdown(TreeSolveReport, tree_solve_markdown)
register_markdown(TreeAnalyzeReport, tree_analyze_markdown)
register_markdown(TreeFullReport, tree_full_markdown)
register_summary(TreeSolveReport, tree_solve_summary)
register_summary(TreeAnalyzeReport, tree_analyze_summary)

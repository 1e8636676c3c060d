"""Render typed reports as JSON and GitHub-flavoured Markdown (deterministic).

The report package's flow: result objects → typed report (:mod:`.model`, built by
:mod:`.document`) → Markdown and JSON here → HTML (:mod:`.html`, from this
Markdown) → files (:mod:`.writer`). Renderers read the reports' attributes; the
JSON is each report's :func:`~.model.json_document`.
"""

from __future__ import annotations

import functools
import json
from fractions import Fraction
from typing import Any, Iterable

from .model import (REPORT_FIGURE_PREFIX, AnalyzeReport, CommitmentPolicy, Equilibria, FullReport,
                    ImplementationPolicy, OptimizeReport, PayoffEntry, PolicyMap, Provenance,
                    Report, SelectionDocument, SolveReport, SweepReport, UncertaintyReport,
                    json_document)
from .words import equilibrium_set_words, escape, profile_text, region_words

__all__ = ["to_json", "to_markdown", "register_markdown", "display_number", "table", "equilibria_markdown", "selection_markdown",
           "commitment_markdown", "implementation_markdown"]


def to_json(report: Report) -> str:
    """The report's document as indented JSON ending in a newline."""
    return json.dumps(json_document(report), indent=2, ensure_ascii=False, allow_nan=False) + "\n"

#: Irrational numbers with longer exact text are shown as decimals in Markdown.
_LONGEST_EXACT_TEXT = 40


def display_number(text: str | float | int | None, approximately: float | None = None) -> str:
    """A number for people: exact text kept when short, else 4 significant digits.

    An irrational number's exact text (``approximately`` its value) is kept when it
    is short; a long one (a root of a stated polynomial) is left to the JSON report
    (its `"exact"` strings).

    >>> display_number("2/7"), display_number("123456789/1000"), display_number(0.25)
    ('2/7 ≈ 0.2857', '≈ 1.235e+05', '0.25')
    >>> display_number("-1 + sqrt(2)", 0.41421356)
    '-1 + sqrt(2) ≈ 0.4142'
    """
    if text is None:
        return "—"
    if isinstance(text, (int, float)):
        return f"{text:.4g}"
    try:
        value = Fraction(text)
    except (ValueError, ZeroDivisionError):
        if approximately is None:
            return text
        if len(text) <= _LONGEST_EXACT_TEXT:
            return f"{text} ≈ {approximately:.4g}"
        return f"≈ {approximately:.4g} (algebraic)"
    if value.denominator == 1:
        return str(value.numerator)
    if len(text) <= 9:
        return f"{text} ≈ {float(value):.4g}"
    return f"≈ {float(value):.4g}"


def code(text: str) -> str:
    """Text as a Markdown code span, safe in a table cell (code spans show entities
    literally, so nothing is HTML-escaped here).

    >>> print(code("s >= w | t"))
    `s >= w \\| t`
    """
    return "`" + str(text).replace("`", "'").replace("|", "\\|").replace("\n", " ").strip() + "`"


def table(header: Iterable[str], rows: Iterable[Iterable[str]]) -> list[str]:
    header = list(header)
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return lines


def _mixed(strategies: dict[str, str], approximately: dict[str, float] | None = None) -> str:
    used = [(s, p) for s, p in strategies.items() if p != "0"]
    if len(used) == 1:
        return f"`{used[0][0]}`"
    return ", ".join(f"`{s}` {display_number(p, approximately and approximately[s])}"
                     for s, p in used)


def _float_mixed(strategies: dict[str, float]) -> str:
    used = [(s, p) for s, p in strategies.items() if abs(p) > 1e-12]
    if len(used) == 1 and abs(used[0][1] - 1) < 1e-12:
        return f"`{used[0][0]}`"
    return ", ".join(f"`{s}` {p:.4g}" for s, p in used)


def _provenance(provenance: Provenance) -> list[str]:
    rows = [("Tool", provenance.tool), ("Command", f"`{provenance.command}`"),
            ("Input", f"`{provenance.input}` ({provenance.input_format})"),
            ("Input SHA-256", f"`{provenance.input_sha256}`")]
    rows += [(key.replace("_", " ").capitalize(), f"`{value}`") for key, value in
             [*provenance.extra.items(), ("libraries", provenance.libraries)]]
    return table(["Provenance", ""], rows)


def _game_section(doc: SolveReport) -> list[str]:
    lines = ["## The game", ""]
    if doc.description:
        lines += [escape(doc.description), ""]
    if doc.claim:
        lines += [f"**Claim tested:** {escape(doc.claim)}", ""]
    lines += table(["Player", "Strategies"],
                   [(f"`{p}`", ", ".join(f"`{s}`" for s in doc.strategies[p]))
                    for p in doc.players])
    lines.append("")
    if doc.parameter_details:
        lines += ["### Parameters", ""]
        lines += table(["Name", "Value", "Meaning", "Range"], [
            (f"`{p.name}`", display_number(p.value),
             escape(p.description + (f" ({p.unit})" if p.unit else "")) or "—",
             f"[{p.range[0]}, {p.range[1]}]" if p.range else "—")
            for p in doc.parameter_details])
        lines.append("")
    if doc.control_details:
        lines += ["### Regulator controls", ""]
        lines += table(["Name", "Value", "Meaning", "Bounds", "Cost per unit"], [
            (f"`{c.name}`", display_number(c.value), escape(c.description) or "—",
             f"[{c.bounds[0]}, {c.bounds[1]}]" if c.bounds else "—",
             display_number(c.cost))
            for c in doc.control_details])
        lines.append("")
    lines += _payoff_tables(doc)
    return lines


def _payoff_tables(doc: SolveReport) -> list[str]:
    players = doc.players
    rows = doc.payoff_table
    lines = ["### Payoffs", "",
             f"Each cell lists the payoffs of {', '.join(f'`{p}`' for p in players)}, in that order.", ""]
    if len(players) == 2:
        row_player, column_player = players
        columns = doc.strategies[column_player]
        for key, title in (("symbolic", "As written in the game file"), ("values", "At these values")):
            lines += [f"{title}:", ""]
            body = []
            for strategy in doc.strategies[row_player]:
                cells = [f"`{strategy}`"]
                for column in columns:
                    entry = next(r for r in rows if r.profile == {row_player: strategy,
                                                                  column_player: column})
                    cells.append(_symbolic_cell(entry) if key == "symbolic"
                                 else ", ".join(display_number(v) for v in entry.values))
                body.append(cells)
            lines += table([f"{row_player} \\ {column_player}"] + [f"`{c}`" for c in columns], body)
            lines.append("")
    else:
        lines += table(["Profile", "As written", "At these values"], [
            (_profile_text(r.profile),
             _symbolic_cell(r),
             ", ".join(display_number(v) for v in r.values)) for r in rows])
        lines.append("")
    return lines


def _symbolic_cell(entry: PayoffEntry) -> str:
    """Payoff expressions of one profile as inline math."""
    return ", ".join(f"${text}$" for text in entry.latex)


def _equilibria_section(players: list[str], doc: Equilibria) -> list[str]:
    count = len(doc.equilibria)
    lines = ["## Equilibria", ""]
    if not count:
        lines += ["No equilibrium was found by this method.", ""]
    else:
        check = ("each verified as a best response for every player"
                 + (", in exact arithmetic" if doc.exact_arithmetic
                    else " within the float tolerance; not verified exactly"))
        kind = "extreme equilibria" if doc.components else "equilibria"
        if count == 1:
            head = ("The game has exactly one equilibrium" if doc.complete
                    else "One equilibrium was found")
        else:
            head = f"All {count} {kind}" if doc.complete else f"{count} {kind} were found"
        lines += [f"{head} ({check}):", ""]
        body = []
        for number, eq in enumerate(doc.equilibria, start=1):
            shown = [(_mixed(eq.exact[p], eq.strategies[p]) if eq.exact is not None
                      else _float_mixed(eq.strategies[p])) for p in players]
            payoffs = ", ".join(display_number(eq.exact_payoffs[p], eq.payoffs[p])
                                if eq.exact_payoffs is not None
                                else display_number(eq.payoffs[p]) for p in players)
            notes = ["pure" if eq.pure else "mixed"]
            if eq.pareto_dominated:
                notes.append("Pareto-dominated")
            if not eq.verified_exactly:
                notes.append("not verified exactly")
            body.append([str(number)] + shown + [payoffs, ", ".join(notes)])
        lines += table(["#"] + [f"`{p}`" for p in players] + ["Payoffs", "Notes"], body)
        lines.append("")
    if doc.components:
        lines += ["### Continua of equilibria", ""]
        for number, component in enumerate(doc.components, start=1):
            members = ", ".join(f"#{i + 1}" for i in component.equilibria)
            if component.supports is not None:
                used = "; ".join(f"`{p}` mixes " + ", ".join(f"`{s}`" for s in strategies)
                                 if len(strategies) > 1 else f"`{p}` plays `{strategies[0]}`"
                                 for p, strategies in component.supports.items())
                lines += [f"Component {number}: infinitely many equilibria in which {used}; "
                          f"{members} are examples on it, not the whole set.", ""]
                continue
            lines += [f"Component {number} joins equilibria {members}. Every pair of mixtures "
                      "below is an equilibrium:", ""]
            for piece in component.convex_sets:
                parts = []
                for p in players:
                    points = [_mixed(point) for point in piece[p]]
                    parts.append(f"`{p}` plays " + (points[0] if len(points) == 1 else
                                                   "any mixture of (" + ") and (".join(points) + ")"))
                lines.append("- " + "; ".join(parts))
            lines.append("")
    return lines


def _diagnostics(doc: Equilibria) -> list[str]:
    lines = ["## Diagnostics", ""]
    arithmetic = ("exact rational arithmetic" if doc.exact_arithmetic
                  else f"floating point, tolerance {doc.tolerance:g} relative to the largest payoff")
    lines.append(f"- Method: `{doc.method}`; {arithmetic}.")
    lines.append("- Complete: " + ("yes, every extreme equilibrium is listed." if doc.complete
                                   else "not guaranteed."))
    if doc.degenerate is None:
        lines.append("- Degenerate: not determined for this game.")
    elif doc.degenerate:
        lines.append(f"- Degenerate: yes — {escape(doc.degeneracy_reason)}.")
    else:
        lines.append("- Degenerate: no.")
    lines += [f"- {escape(note)}." for note in doc.notes]
    lines.append("")
    return lines


def equilibria_markdown(players: list[str], equilibria: Equilibria) -> list[str]:
    """The equilibria of a solve and how they were found (its two report sections)."""
    return _equilibria_section(players, equilibria) + _diagnostics(equilibria)


#: The selection criteria in the order of the table: JSON key, name in the table.
_CRITERIA = (("risk_dominance", "Risk dominance (Harsanyi–Selten)"),
             ("payoff_dominance", "Payoff dominance"),
             ("logit_limit", "Logit limit (McKelvey–Palfrey)"),
             ("replicator", "Replicator dynamics (largest basin)"),
             ("best_response", "Best-response dynamics (largest basin)"))


def selection_markdown(doc: SelectionDocument, figure: str | None = None) -> list[str]:
    """The "likely outcome" section: each criterion's answer in words, then a table
    (and the ``figure`` of the logit path and the basins, when drawn)."""
    lines = ["## The likely outcome", ""]
    for sentence in doc.summary:
        lines += [escape(sentence), ""]
    rows = []
    for key, label in _CRITERIA:
        index = doc.selected.get(key)
        if key == "risk_dominance":
            detail = doc.risk_dominance
        elif key == "payoff_dominance":
            detail = doc.payoff_dominance
        elif key == "logit_limit":
            detail = (f"{doc.logit.status} after {doc.logit.steps} steps"
                      + ("; turning point" if doc.logit.turning_point else "")
                      + (f"; {len(doc.logit.bifurcations)} bifurcation(s) crossed"
                         if doc.logit.bifurcations else "")
                      + (f"; matched {doc.logit.match}" if doc.logit.match else
                         f"; {doc.logit.reason}"))
        else:
            basin = doc.basins[key]
            detail = (f"{basin.points} starting points, seed {basin.seed}: " + ", ".join(
                f"{'#' + str(s.equilibrium + 1) if s.equilibrium is not None else 'none'} "
                f"{100 * s.share:.1f}% [{100 * s.interval_95[0]:.1f}, "
                f"{100 * s.interval_95[1]:.1f}]" for s in basin.shares)
                + (f" ({basin.note})" if basin.note else ""))
        rows.append((label, f"#{index + 1}" if index is not None else "—", escape(detail)))
    lines += table(["Criterion", "Selects", "Detail"], rows)
    lines.append("")
    if figure:
        lines += [f"![The logit path, and where each dynamic leads from each starting point]"
                  f"({figure})", ""]
    return lines


def _header(doc: Report, heading: str) -> list[str]:
    """The report's title line and its provenance table."""
    title = escape(doc.title) or doc.game
    return [f"# {heading}{title} (`{doc.game}`)", ""] + _provenance(doc.provenance) + [""]


def _solve_markdown(doc: SolveReport) -> list[str]:
    lines = _header(doc, "Equilibria of ")
    lines += _game_section(doc)
    lines += equilibria_markdown(doc.players, doc.solution)
    if doc.selection is not None:
        lines += selection_markdown(doc.selection, "selection.png" if doc.figures else None)
    return lines


def _exact_or(value_exact: str | None, value: Any) -> str:
    return display_number(value_exact) if value_exact is not None else display_number(value)


def commitment_markdown(doc: CommitmentPolicy) -> list[str]:
    """The optimal-commitment section of a report."""
    lines = ["## Optimal commitment", ""]
    kind = "pessimistic (guaranteed whatever equilibrium the followers pick)" if doc.pessimistic \
        else "optimistic (followers break ties in the leader's favour)"
    answer = "a pure equilibrium" if all(isinstance(s, str) for s in doc.followers.values()) \
        else "an equilibrium of their own game (here a mixed one)"
    lines += [f"The leader `{doc.leader}` commits to a mixed strategy, then the followers play "
              f"{answer}. Objective: {escape(doc.objective)}; {kind}"
              + (f", margin {doc.margin}" if doc.margin != "0" else "") + ".", ""]
    if not doc.commitment:
        lines += [f"**No commitment works** (status: {doc.status}): {escape(doc.verification)}.", ""]
        return lines
    lines += table(["Leader strategy", "Probability"],
                   [(f"`{s}`", _exact_or(doc.commitment_exact[s], p))
                    for s, p in doc.commitment.items()])
    lines += ["", "Followers respond with " + _profile_text(doc.followers)
              + f"; the leader's value is **{_exact_or(doc.leader_value_exact, doc.leader_value)}**.", ""]
    lines += [f"- Status: {doc.status}; verified: {'yes' if doc.verified else 'NO'} — "
              f"{escape(doc.verification)}."]
    if doc.best_pure_commitment:
        best = doc.best_pure_commitment
        lines.append(f"- Best pure commitment: `{best.strategy}` (followers: "
                     + _profile_text(best.followers)
                     + f"), value {display_number(best.leader_value)}.")
    values = [display_number(item.leader_value) for item in doc.simultaneous_equilibria]
    if values:
        lines.append(f"- Leader's value in the simultaneous-move equilibria: {', '.join(values)}.")
    if doc.value_of_commitment is not None:
        lines.append(f"- Value of commitment (over the best simultaneous equilibrium): "
                     f"{display_number(doc.value_of_commitment)}.")
    lines += ["", "### Every follower profile considered", ""]
    lines += table(["Followers", "Status", "Leader value"], [
        (", ".join(f"`{s}`" for s in c.followers.values()), c.status,
         display_number(c.leader_value)) for c in doc.candidates])
    lines.append("")
    return lines


def implementation_markdown(item: ImplementationPolicy, heading: str) -> list[str]:
    """A cheapest-implementation section of a report, under ``heading``."""
    target = _profile_text(item.target)
    lines = [heading, "", f"Target: {target}; robustness: **{item.robust}**"
             + (f" (margin {item.margin})" if item.margin != "0" else "") + ".", ""]
    if item.cost is None:
        lines += [f"**Cannot be implemented** (status: {item.status}): {escape(item.explanation)}.", ""]
        return lines
    lines += table(["Control", "Value"], [(f"`{k}`", _exact_or(item.controls_exact[k], v))
                                          for k, v in item.controls.items()])
    lines.append("")
    for outcome, pays in item.transfers.items():
        lines.append(f"- Promised transfers paid at `{outcome}`: "
                     + ", ".join(f"`{p}` {display_number(v)}" for p, v in pays.items()))
    lines += [f"- Cost to the regulator: **{_exact_or(item.cost_exact, item.cost)}**.",
              f"- Status: {item.status}; verified: {'yes' if item.verified else 'NO'} — "
              f"{escape(item.verification)}."]
    if item.scenarios:
        lines.append(f"- Sampled scenarios: {item.scenarios} (required share {item.confidence:g}); "
                     f"the target is an equilibrium in {item.scenarios_satisfied} of them.")
    for eq in item.other_equilibria:
        lines.append("- Other equilibrium (selection risk): "
                     + "; ".join(f"`{p}` " + ", ".join(f"`{s}` {display_number(v)}" for s, v in mix.items())
                                 for p, mix in eq.items()))
    lines.append("")
    return lines


def _selected_policies_markdown(stages) -> list[str]:
    """The policies making the goal the *selected* outcome, and every notion side by side."""
    from ..optimize.status import SEARCH_BEST_FOUND

    chosen = [(stage.policy, heading) for stage, heading in (
        (stages.optimize_risk_dominant, "### Making the goal the risk-dominant outcome"),
        (stages.optimize_logit, "### Making the goal the logit limit"),
        (stages.optimize_basin, "### Making the goal the outcome adjusting play reaches")
    ) if stage is not None]
    if not chosen:
        return []
    lines = []
    for policy, heading in chosen:
        lines += implementation_markdown(policy, heading)
    rows = []
    for stage in (stages.optimize, stages.optimize_unique, stages.optimize_risk_dominant,
                  stages.optimize_logit, stages.optimize_basin):
        if stage is None or stage.policy.mode != "implement":
            continue
        item = stage.policy
        rows.append((f"`{item.robust}`", _profile_text(item.target) if item.cost is not None
                     else "—",
                     (_exact_or(item.cost_exact, item.cost)
                      + (" (best found by search)" if item.status == SEARCH_BEST_FOUND else ""))
                     if item.cost is not None else "cannot be done",
                     ", ".join(f"`{k}` {_exact_or(item.controls_exact[k], v)}"
                               for k, v in item.controls.items()) or "—",
                     "yes" if item.verified else "no"))
    lines += ["### Side by side: how firmly the goal holds, and what it costs", ""]
    lines += table(["Robustness", "Target", "Cost", "Controls", "Verified"], rows)
    lines.append("")
    return lines


def _optimize_markdown(doc: OptimizeReport) -> list[str]:
    lines = _header(doc, "Policy for ")
    if doc.control_details:
        lines += table(["Control", "Meaning", "Default", "Bounds", "Cost per unit"], [
            (f"`{c.name}`", escape(c.description) or "—", display_number(c.default),
             f"[{c.bounds[0]}, {c.bounds[1]}]" if c.bounds else "—", display_number(c.cost))
            for c in doc.control_details])
        lines.append("")
    if doc.budget is not None:
        lines += [f"Budget: {display_number(doc.budget)}.", ""]
    policy = doc.policy
    if policy.mode == "commit":
        lines += commitment_markdown(policy)
    elif policy.mode == "implement":
        lines += implementation_markdown(policy, "## Cheapest implementation")
    else:
        lines += ["## Every pure profile, cheapest implementation first", ""]
        lines += table(["Profile", "Cost", "Verified"], [
            (_profile_text(item.target),
             _exact_or(item.cost_exact, item.cost) if item.cost is not None else "infeasible",
             "yes" if item.verified else "—") for item in policy.profiles])
        lines.append("")
        for number, item in enumerate(policy.profiles, start=1):
            lines += implementation_markdown(item, f"### {number}. " + code(profile_text(item.target)))
    return lines


def _profile_text(profile: dict[str, str]) -> str:
    return code(profile_text(profile))


def _analyze_markdown(doc: AnalyzeReport) -> list[str]:
    lines = _header(doc, "When is each outcome an equilibrium? ")
    if doc.domain:
        lines += ["Known relations used to simplify (ranges, positivity, bounds, assumptions): "
                  + ", ".join(code(r) for r in doc.domain) + ".", ""]
    lines += ["## Pure profiles", ""]
    lines += table(["Profile", "Equilibrium", "Exactly when", "At current values"], [
        (_profile_text(c.profile), c.status,
         "; ".join(f"${r}$" for r in c.holds_when_latex) or "—",
         "yes" if c.at_current else "no") for c in doc.conditions])
    lines.append("")
    if doc.mixed:
        lines += ["## Mixed equilibria in closed form", ""]
        for item in doc.mixed:
            support = " × ".join("{" + ", ".join(f"`{s}`" for s in strategies) + "}"
                                 for strategies in item.support.values())
            lines += [f"### Supports {support} ({item.status})", ""]
            rows = []
            for player, mix in item.strategies_latex.items():
                for strategy, expression in mix.items():
                    rows.append((f"`{player}`", f"`{strategy}`", f"${expression}$",
                                 display_number(item.at_current_values[player][strategy])))
            lines += table(["Player", "Strategy", "Probability", "At current values"], rows)
            lines.append("")
            if item.valid_when_latex:
                lines += ["Valid when: " + "; ".join(f"${r}$" for r in item.valid_when_latex) + ".", ""]
            lines += [f"An equilibrium at the current values: {'yes' if item.at_current else 'no'}.", ""]
    if doc.thresholds:
        lines += ["## Thresholds", "",
                  "Where a condition switches, for each parameter or control it involves:", ""]
        lines += table(["Profile", "Condition", "Parameter", "Critical value", "At current values"], [
            (_profile_text(t.profile), f"${t.condition_latex}$", f"`{t.parameter}`",
             f"${t.value_latex}$", display_number(t.at_current)) for t in doc.thresholds])
        lines.append("")
    for c in doc.commitment:
        lines += ["## Leader commitment", "",
                  f"`{c.leader}` plays `{c.strategy}` with probability ${c.probability_latex}$ "
                  f"(= {display_number(c.at_current)} now), which makes "
                  + ", ".join(f"`{p}` choose `{s}`" for p, s in c.followers.items())
                  + " just worthwhile; valid when "
                  + ("; ".join(f"${v}$" for v in c.valid_when_latex) or "always") + ".", ""]
    if doc.notes:
        lines += ["## Notes", ""] + [f"- {escape(n)}." for n in doc.notes] + [""]
    return lines


def _sweep_markdown(doc: SweepReport, figure_prefix: str = "") -> list[str]:
    """The sweep section; its figures are named ``figure_prefix`` + the sweep's name."""
    lines = _header(doc, "Phase diagram of ")
    grid = ", ".join(f"`{k}` from {v[0]} to {v[1]} ({v[2]} points)" for k, v in doc.grid.items())
    lines += [f"Varied: {grid}; {doc.points} points in all. Other values: "
              + (", ".join(f"`{k}` = {display_number(v)}" for k, v in doc.fixed.items()) or "none")
              + ".", ""]
    if doc.note:
        lines += [doc.note, ""]  # our words; the names in it are identifiers
    lines += ["![Phase diagram: regions of the grid labelled by their equilibrium set]"
              f"({figure_prefix}sweep.png)", ""]
    if doc.boundaries:
        lines += ["Dashed lines: region boundaries from `policy analyze` (where a condition "
                  "switches), at the other values above:", ""]
        lines += [f"- ${b.latex}$" for b in doc.boundaries] + [""]
    lines += ["## Regions", "", "Each region is labelled by its equilibrium set.", ""]
    lines += table(["Equilibrium set", "Points", "Share"], [
        (escape(region_words(doc.players, r, not doc.mixed_computed)), str(r.points),
         f"{100 * r.share:.2f}%") for r in doc.regions])
    lines += ["", f"- {doc.exact_points} points were degenerate or possibly so (ties on the grid) "
              "and were solved in exact arithmetic; "
              f"{doc.degenerate_points} of them have tied pure best responses."]
    if not doc.mixed_computed:
        lines.append("- Only pure equilibria were computed (--pure, or three or more players on "
                     "a grid larger than the limit n_player_sweep_points, where the exact engine "
                     "would run at every point; `policy solve --set …` gives every equilibrium "
                     "at one point).")
    lines.append("")
    if doc.paths is not None:
        lines += ["## Equilibria along the axis", "",
                  f"Every equilibrium at {doc.paths.points} points, solved exactly; one colour "
                  "per equilibrium (support), probabilities per player and payoffs.", "",
                  f"![Equilibrium probabilities and payoffs along the axis]({figure_prefix}paths.png)",
                  ""]
    if doc.policy is not None:
        lines += _policy_map_markdown(doc.policy, figure_prefix)
    if doc.selection is not None:
        how = ("(two strict equilibria, the larger Nash product of deviation losses); "
               "elsewhere none is (one strict equilibrium or none, or a tie)."
               if doc.selection.criterion == "risk dominance" else
               "(where the principal branch, traced from uniform play, ends: certified at each "
               "point); elsewhere it ends at a mixed equilibrium or could not be certified.")
        lines += ["## Which equilibrium is selected", "",
                  f"Where each pure profile is the equilibrium {doc.selection.criterion} selects "
                  + how, "",
                  f"![Which equilibrium {doc.selection.criterion} selects over the grid]"
                  f"({figure_prefix}selection-map.png)", ""]
        lines += table(["Selected", "Points", "Share"], [
            (_profile_text(r.profile) if r.profile is not None else "none", str(r.points),
             f"{100 * r.share:.2f}%") for r in doc.selection.regions])
        lines.append("")
    return lines


def _policy_map_markdown(policy: PolicyMap, figure_prefix: str = "") -> list[str]:
    target = ", ".join(f"`{p}` = `{s}`" for p, s in policy.target.items())
    lines = ["## Cheapest policy over the grid", "",
             f"At each point, the cheapest controls that make {target} a {policy.robust} "
             "equilibrium, verified by re-solving the game. Lowest and highest values "
             "over the verified points:", "",
             f"![Cost and control values of the cheapest policy over the grid]({figure_prefix}policy.png)",
             ""]
    rows = [("cost", policy.cost_range)] + list(policy.control_ranges.items())
    lines += table(["Quantity", "Lowest", "Highest"], [
        (f"`{name}`", *([display_number(v) for v in span] if span else ["—", "—"]))
        for name, span in rows])
    statuses = ", ".join(f"{status}: {count}" for status, count in policy.statuses.items())
    lines += ["", f"- Implementable at {policy.feasible_points} points, verified at "
              f"{policy.verified_points}; solver statuses: {statuses}."]
    if policy.unverified_points:
        lines.append(f"- {policy.unverified_points} points whose policy failed verification "
                     "are left out of the ranges above and crossed out in the figure.")
    lines.append("")
    return lines


def _uncertainty_markdown(doc: UncertaintyReport) -> list[str]:
    lines = _header(doc, "Uncertainty: ")
    lines += [f"{doc.samples} draws (seed {doc.seed}) of "
              + ", ".join(f"`{k}` ~ {v}" for k, v in doc.distributions.items())
              + "; other values as declared.", ""]
    lines += table(["Equilibrium set", "Draws", "Share", "95% interval (Wilson)"], [
        (escape(equilibrium_set_words(doc.players, o.supports, not doc.mixed_computed)),
         str(o.count),
         f"{100 * o.share:.1f}%",
         f"{100 * o.interval_95[0]:.1f}% – {100 * o.interval_95[1]:.1f}%")
        for o in doc.outcomes])
    lines += ["", f"- {doc.exact_points} draws were possibly degenerate and were solved exactly.", ""]
    return lines


def _body(renderer, doc: Report) -> list[str]:
    """A stage's Markdown without its title and provenance, headings one level down."""
    body = renderer(doc)[len(_header(doc, "")):]  # every renderer starts with _header
    return _demoted(body)


def _demoted(lines: list[str]) -> list[str]:
    return ["#" + line if line.startswith("#") else line for line in lines]


def _full_markdown(doc: FullReport) -> list[str]:
    stages, skipped = doc.stages, doc.skipped
    title = escape(doc.title) or doc.game
    lines = [f"# {title} (`{doc.game}`)", "", "## Summary", ""]
    for sentence in doc.summary_markdown:
        lines += [sentence, ""]
    lines += _game_section(stages.solve)
    lines += _equilibria_section(stages.solve.players, stages.solve.solution)
    lines += _demoted(_diagnostics(stages.solve.solution))
    if stages.solve.selection is not None:
        lines += selection_markdown(stages.solve.selection,
                                    REPORT_FIGURE_PREFIX + "selection.png"
                                    if stages.solve.figures else None)
    sections = [("analyze", "## When is each outcome an equilibrium?", _analyze_markdown),
                ("optimize", "## What the regulator should do", _optimize_markdown),
                ("sweep", "## Where the outcome changes: phase diagram",
                 functools.partial(_sweep_markdown, figure_prefix=REPORT_FIGURE_PREFIX)),
                ("uncertainty", "## Uncertainty", _uncertainty_markdown)]
    for kind, heading, renderer in sections:
        stage = getattr(stages, kind)
        if stage is not None:
            lines += [heading, ""] + _body(renderer, stage)
            if kind == "optimize" and stages.optimize_unique is not None:
                lines += implementation_markdown(stages.optimize_unique.policy,
                                                 "### Making the goal the only outcome")
            if kind == "optimize":
                lines += _selected_policies_markdown(stages)
        elif kind in skipped:
            lines += [heading, "", f"Not computed: {escape(skipped[kind])}.", ""]
    if doc.references:
        lines += ["## References", ""] + [f"- {escape(r)}" for r in doc.references] + [""]
    lines += ["## Provenance", ""] + _provenance(doc.provenance) + [""]
    return lines


_MARKDOWN = {SolveReport: _solve_markdown, OptimizeReport: _optimize_markdown,
             AnalyzeReport: _analyze_markdown, SweepReport: _sweep_markdown,
             UncertaintyReport: _uncertainty_markdown, FullReport: _full_markdown}


def register_markdown(report_type: type, renderer) -> None:
    """Render reports of ``report_type`` (another kind's, e.g. markets) with
    ``renderer`` (report → list of Markdown lines); its module registers it on import."""
    _MARKDOWN[report_type] = renderer


def to_markdown(report: Report) -> str:
    """The report as GitHub-flavoured Markdown ending in a newline."""
    renderer = _MARKDOWN.get(type(report))
    if renderer is None:
        raise ValueError(f"no Markdown renderer for {type(report).__name__}")
    lines = renderer(report)
    return "\n".join(lines).rstrip("\n") + "\n"

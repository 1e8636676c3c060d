"""Short plain-text summaries for the terminal (the full story is in the reports).

The report package's flow: result objects → typed report (:mod:`.model`) → these
few lines for the terminal (Markdown, HTML and JSON go to files).
"""

from __future__ import annotations

from .model import (AnalyzeReport, EquilibriumItem, ImplementationPolicy, OptimizeReport,
                    SolveReport, SweepReport, UncertaintyReport)
from .render import display_number
from .words import equilibrium_set_words, profile_text, region_words

__all__ = ["register_summary", "solve_summary", "optimize_summary", "analyze_summary", "sweep_summary",
           "uncertainty_summary"]


#: Terminal summaries of other kinds' reports (e.g. markets), by report type.
_SUMMARIES: dict[type, object] = {}


def register_summary(report_type: type, summary) -> None:
    """Summarise reports of ``report_type`` with ``summary`` (report → text) in
    :func:`solve_summary`, :func:`analyze_summary`, :func:`optimize_summary`,
    :func:`sweep_summary` and :func:`uncertainty_summary`; its module registers it on
    import."""
    _SUMMARIES[report_type] = summary


def _strategy_text(eq: EquilibriumItem, player: str) -> str:
    if eq.exact is not None:
        used = [(s, p) for s, p in eq.exact[player].items() if p != "0"]
        if len(used) == 1:
            return used[0][0]
        return ", ".join(f"{s} {display_number(p, eq.strategies[player][s])}" for s, p in used)
    used = [(s, p) for s, p in eq.strategies[player].items() if abs(p) > 1e-12]
    if len(used) == 1:
        return used[0][0]
    return ", ".join(f"{s} {p:.4g}" for s, p in used)


def _title_line(report) -> str:
    return f"{report.game} — {report.title}" if report.title else report.game


def solve_summary(report: SolveReport) -> str:
    """A few lines: the game, each equilibrium, and the diagnostics that matter.

    >>> import policy
    >>> from policy.report import build_solve_report
    >>> game = policy.load("inspection")
    >>> print(solve_summary(build_solve_report(game, policy.solve(game), "policy solve inspection")))
    inspection — Regulator inspects a platform
    1 equilibrium (exact, complete):
      1. regulator: inspect 2/7 ≈ 0.2857, trust 5/7 ≈ 0.7143 | platform: comply 13/14 ≈ 0.9286, violate 1/14 ≈ 0.07143 | payoffs: -2/7 ≈ -0.2857, 0
    """
    if type(report) in _SUMMARIES:
        return _SUMMARIES[type(report)](report)
    solution = report.solution
    players = report.players
    count = len(solution.equilibria)
    flags = ["exact" if solution.exact_arithmetic else f"tolerance {solution.tolerance:g}",
             "complete" if solution.complete else "may be incomplete"]
    lines = [_title_line(report),
             f"{count} {'equilibrium' if count == 1 else 'equilibria'} ({', '.join(flags)}):"]
    for number, eq in enumerate(solution.equilibria, start=1):
        parts = [f"{p}: {_strategy_text(eq, p)}" for p in players]
        payoffs = ", ".join(display_number(eq.exact_payoffs[p], eq.payoffs[p])
                            if eq.exact_payoffs is not None
                            else display_number(eq.payoffs[p]) for p in players)
        extra = " (Pareto-dominated)" if eq.pareto_dominated else ""
        lines.append(f"  {number}. " + " | ".join(parts) + f" | payoffs: {payoffs}{extra}")
    for number, component in enumerate(solution.components, start=1):
        members = ", ".join(str(i + 1) for i in component.equilibria)
        if component.supports is not None:
            lines.append(f"  continuum {number}: infinitely many equilibria with the supports of "
                         f"{members}; those listed are examples")
            continue
        lines.append(f"  continuum {number}: equilibria {members} are joined by convex sets "
                     "of equilibria (see the report)")
    if solution.degenerate:
        lines.append(f"degenerate: {solution.degeneracy_reason}")
    lines += [f"note: {note}" for note in solution.notes]
    if report.selection is not None:
        lines.append("likely outcome:")
        lines += [f"  {sentence}" for sentence in report.selection.summary]
    return "\n".join(lines)


def _threshold_text(item, indent: str) -> list[str]:
    """The exact threshold of a strict requirement and the value used beside it."""
    threshold = item.threshold
    if not threshold:
        return []
    return [f"{indent}threshold: {threshold.statement}", f"{indent}{threshold.used}"]


def _implementation_text(item: ImplementationPolicy) -> list[str]:
    target = profile_text(item.target)
    if item.cost is None:
        return [f"{target}: cannot be implemented ({item.status}): {item.explanation}"]
    controls = ", ".join(f"{k}={display_number(item.controls_exact[k])}" for k in item.controls)
    lines = [f"{target} ({item.robust}): cost {display_number(item.cost_exact)}"
             + (f"; controls {controls}" if controls else "")]
    for outcome, pays in item.transfers.items():
        lines.append("  transfers at " + outcome + ": "
                     + ", ".join(f"{p} {display_number(v)}" for p, v in pays.items()))
    lines += _threshold_text(item, "  ")
    lines.append(f"  {'verified' if item.verified else 'NOT verified'}: {item.verification}")
    return lines


def optimize_summary(report: OptimizeReport) -> str:
    """A few lines for the terminal: the policy, its cost or value, its verification."""
    if type(report) in _SUMMARIES:
        return _SUMMARIES[type(report)](report)
    policy = report.policy
    lines = [_title_line(report)]
    if policy.mode == "commit":
        if not policy.commitment:
            lines.append(f"no commitment works ({policy.status}): {policy.verification}")
            return "\n".join(lines)
        mix = ", ".join(f"{s} {display_number(policy.commitment_exact[s])}"
                        for s, p in policy.commitment.items() if p)
        lines.append(f"{policy.leader} commits to: {mix}")
        lines.append("followers: " + profile_text(policy.followers)
                     + f"; leader value {display_number(policy.leader_value_exact)}")
        if policy.value_of_commitment is not None:
            lines.append(f"value of commitment: {display_number(policy.value_of_commitment)}")
        lines += _threshold_text(policy, "")
        lines.append(f"{'verified' if policy.verified else 'NOT verified'}: {policy.verification}")
    elif policy.mode == "implement":
        lines += _implementation_text(policy)
    else:
        for item in policy.profiles:
            lines += _implementation_text(item)
    return "\n".join(lines)


def analyze_summary(report: AnalyzeReport) -> str:
    """Plain-text conditions, closed forms and thresholds for the terminal."""
    if type(report) in _SUMMARIES:
        return _SUMMARIES[type(report)](report)
    lines = [_title_line(report), "pure profiles:"]
    for c in report.conditions:
        profile = profile_text(c.profile)
        when = "; ".join(c.holds_when)
        lines.append(f"  {profile}: {c.status}" + (f" — when {when}" if when else "")
                     + (" (an equilibrium now)" if c.at_current else ""))
    for m in report.mixed:
        parts = [f"{p}: " + ", ".join(f"{s} = {e}" for s, e in mix.items())
                 for p, mix in m.strategies.items()]
        lines.append("mixed: " + " | ".join(parts) + f" [{m.status}"
                     + (f"; valid when {'; '.join(m.valid_when)}" if m.valid_when else "")
                     + "]")
    for c in report.commitment:
        lines.append(f"commitment: {c.leader} plays {c.strategy} with probability "
                     f"{c.probability} (= {display_number(c.at_current)} now)")
    if report.thresholds:
        lines.append(f"thresholds: {len(report.thresholds)} (see the report)")
    lines += [f"note: {n}" for n in report.notes]
    return "\n".join(lines)


def sweep_summary(report: SweepReport) -> str:
    """Regions of a sweep, largest first."""
    if type(report) in _SUMMARIES:
        return _SUMMARIES[type(report)](report)
    lines = [f"{report.game} — {report.points} points, {len(report.regions)} regions"]
    for region in sorted(report.regions, key=lambda r: -r.points):
        lines.append(f"  {100 * region.share:6.2f}%  " + region_words(
            report.players, region, pure_only=not report.mixed_computed))
    lines.append(f"{report.exact_points} possibly degenerate points solved exactly")
    if report.boundaries:
        lines.append("boundaries: " + "; ".join(b.equation for b in report.boundaries))
    if report.policy is not None:
        policy = report.policy
        span = policy.cost_range
        lines.append(f"cheapest policy for {profile_text(policy.target)}"
                     f" ({policy.robust}): implementable at {policy.feasible_points} of "
                     f"{report.points} points ({policy.verified_points} verified, "
                     f"{policy.unverified_points} NOT verified)"
                     + (f", verified cost {span[0]:g} to {span[1]:g}" if span else ""))
    return "\n".join(lines)


def uncertainty_summary(report: UncertaintyReport) -> str:
    """Shares of each equilibrium set with 95% intervals."""
    if type(report) in _SUMMARIES:
        return _SUMMARIES[type(report)](report)
    lines = [f"{report.game} — {report.samples} draws of "
             + ", ".join(f"{k} ~ {v}" for k, v in report.distributions.items())]
    for o in report.outcomes:
        low, high = o.interval_95
        lines.append(f"  {100 * o.share:5.1f}%  [{100 * low:.1f}%, {100 * high:.1f}%]  "
                     + equilibrium_set_words(report.players, o.supports,
                                             pure_only=not report.mixed_computed))
    return "\n".join(lines)

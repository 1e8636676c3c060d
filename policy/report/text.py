"""Short plain-text summaries for the terminal (the full story is in the reports)."""

from __future__ import annotations

from .document import Report, equilibrium_set_words
from .render import display_number, profile_text

__all__ = ["solve_summary", "optimize_summary", "analyze_summary", "sweep_summary",
           "uncertainty_summary"]


def _strategy_text(eq: dict, player: str) -> str:
    if "exact" in eq:
        used = [(s, p) for s, p in eq["exact"][player].items() if p != "0"]
        if len(used) == 1:
            return used[0][0]
        return ", ".join(f"{s} {display_number(p)}" for s, p in used)
    used = [(s, p) for s, p in eq["strategies"][player].items() if abs(p) > 1e-12]
    if len(used) == 1:
        return used[0][0]
    return ", ".join(f"{s} {p:.4g}" for s, p in used)


def solve_summary(report: Report) -> str:
    """A few lines: the game, each equilibrium, and the diagnostics that matter.

    >>> import policy
    >>> from policy.report import build_solve_report
    >>> game = policy.load("inspection")
    >>> print(solve_summary(build_solve_report(game, policy.solve(game), "policy solve inspection")))
    inspection — Regulator inspects a platform
    1 equilibrium (exact, complete):
      1. regulator: inspect 2/7 ≈ 0.2857, trust 5/7 ≈ 0.7143 | platform: comply 13/14 ≈ 0.9286, violate 1/14 ≈ 0.07143 | payoffs: -2/7 ≈ -0.2857, 0
    """
    doc = report.document
    players = doc["players"]
    count = len(doc["equilibria"])
    flags = ["exact" if doc["exact_arithmetic"] else f"tolerance {doc['tolerance']:g}",
             "complete" if doc["complete"] else "may be incomplete"]
    lines = [f"{doc['game']} — {doc['title']}" if doc["title"] else doc["game"],
             f"{count} {'equilibrium' if count == 1 else 'equilibria'} ({', '.join(flags)}):"]
    for number, eq in enumerate(doc["equilibria"], start=1):
        parts = [f"{p}: {_strategy_text(eq, p)}" for p in players]
        payoffs = ", ".join(display_number(eq["exact_payoffs"][p]) if "exact_payoffs" in eq
                            else display_number(eq["payoffs"][p]) for p in players)
        extra = " (Pareto-dominated)" if eq["pareto_dominated"] else ""
        lines.append(f"  {number}. " + " | ".join(parts) + f" | payoffs: {payoffs}{extra}")
    for number, component in enumerate(doc["components"], start=1):
        members = ", ".join(str(i + 1) for i in component["equilibria"])
        lines.append(f"  continuum {number}: equilibria {members} are joined by convex sets "
                     "of equilibria (see the report)")
    if doc["degenerate"]:
        lines.append(f"degenerate: {doc['degeneracy_reason']}")
    lines += [f"note: {note}" for note in doc["notes"]]
    return "\n".join(lines)


def _threshold_text(item: dict, indent: str) -> list[str]:
    """The exact threshold of a strict requirement and the value used beside it."""
    threshold = item.get("threshold")
    if not threshold:
        return []
    return [f"{indent}threshold: {threshold['statement']}", f"{indent}{threshold['used']}"]


def _implementation_text(item: dict) -> list[str]:
    target = profile_text(item["target"])
    if item["cost"] is None:
        return [f"{target}: cannot be implemented ({item['status']}): {item['explanation']}"]
    controls = ", ".join(f"{k}={display_number(item['controls_exact'][k])}" for k in item["controls"])
    lines = [f"{target} ({item['robust']}): cost {display_number(item['cost_exact'])}"
             + (f"; controls {controls}" if controls else "")]
    for outcome, pays in item["transfers"].items():
        lines.append("  transfers at " + outcome + ": "
                     + ", ".join(f"{p} {display_number(v)}" for p, v in pays.items()))
    lines += _threshold_text(item, "  ")
    lines.append(f"  {'verified' if item['verified'] else 'NOT verified'}: {item['verification']}")
    return lines


def optimize_summary(report: Report) -> str:
    """A few lines for the terminal: the policy, its cost or value, its verification."""
    doc = report.document
    lines = [f"{doc['game']} — {doc['title']}" if doc["title"] else doc["game"]]
    if doc["mode"] == "commit":
        if not doc["commitment"]:
            lines.append(f"no commitment works ({doc['status']}): {doc['verification']}")
            return "\n".join(lines)
        mix = ", ".join(f"{s} {display_number(doc['commitment_exact'][s])}"
                        for s, p in doc["commitment"].items() if p)
        lines.append(f"{doc['leader']} commits to: {mix}")
        lines.append("followers: " + profile_text(doc["followers"])
                     + f"; leader value {display_number(doc['leader_value_exact'])}")
        if doc["value_of_commitment"] is not None:
            lines.append(f"value of commitment: {display_number(doc['value_of_commitment'])}")
        lines += _threshold_text(doc, "")
        lines.append(f"{'verified' if doc['verified'] else 'NOT verified'}: {doc['verification']}")
    elif doc["mode"] == "implement":
        lines += _implementation_text(doc)
    else:
        for item in doc["profiles"]:
            lines += _implementation_text(item)
    return "\n".join(lines)


def analyze_summary(report: Report) -> str:
    """Plain-text conditions, closed forms and thresholds for the terminal."""
    doc = report.document
    lines = [f"{doc['game']} — {doc['title']}" if doc["title"] else doc["game"], "pure profiles:"]
    for c in doc["conditions"]:
        profile = profile_text(c["profile"])
        when = "; ".join(c["holds_when"])
        lines.append(f"  {profile}: {c['status']}" + (f" — when {when}" if when else "")
                     + (" (an equilibrium now)" if c["at_current"] else ""))
    for m in doc["mixed"]:
        parts = [f"{p}: " + ", ".join(f"{s} = {e}" for s, e in mix.items())
                 for p, mix in m["strategies"].items()]
        lines.append("mixed: " + " | ".join(parts) + f" [{m['status']}"
                     + (f"; valid when {'; '.join(m['valid_when'])}" if m["valid_when"] else "")
                     + "]")
    for c in doc["commitment"]:
        lines.append(f"commitment: {c['leader']} plays {c['strategy']} with probability "
                     f"{c['probability']} (= {display_number(c['at_current'])} now)")
    if doc["thresholds"]:
        lines.append(f"thresholds: {len(doc['thresholds'])} (see the report)")
    lines += [f"note: {n}" for n in doc["notes"]]
    return "\n".join(lines)


def sweep_summary(report: Report) -> str:
    """Regions of a sweep, largest first."""
    doc = report.document
    lines = [f"{doc['game']} — {doc['points']} points, {len(doc['regions'])} regions"]
    for region in sorted(doc["regions"], key=lambda r: -r["points"]):
        lines.append(f"  {100 * region['share']:6.2f}%  "
                     + equilibrium_set_words(doc["players"], region["supports"]))
    lines.append(f"{doc['exact_points']} possibly degenerate points solved exactly")
    if doc["boundaries"]:
        lines.append("boundaries: " + "; ".join(b["equation"] for b in doc["boundaries"]))
    if "policy" in doc:
        policy = doc["policy"]
        span = policy["cost_range"]
        lines.append(f"cheapest policy for {profile_text(policy['target'])}"
                     f" ({policy['robust']}): implementable at {policy['feasible_points']} of "
                     f"{doc['points']} points ({policy['verified_points']} verified, "
                     f"{policy['unverified_points']} NOT verified)"
                     + (f", verified cost {span[0]:g} to {span[1]:g}" if span else ""))
    return "\n".join(lines)


def uncertainty_summary(report: Report) -> str:
    """Shares of each equilibrium set with 95% intervals."""
    doc = report.document
    lines = [f"{doc['game']} — {doc['samples']} draws of "
             + ", ".join(f"{k} ~ {v}" for k, v in doc["distributions"].items())]
    for o in doc["outcomes"]:
        low, high = o["interval_95"]
        lines.append(f"  {100 * o['share']:5.1f}%  [{100 * low:.1f}%, {100 * high:.1f}%]  "
                     + equilibrium_set_words(doc["players"], o["supports"]))
    return "\n".join(lines)

"""The full report's summary in plain words, for a reader who knows no game theory.

Part of the report package's flow: stage reports (:mod:`.model`, built by
:mod:`.document`) → summary sentences here → the full report keeps them as plain
text (JSON, terminal) and as Markdown (where formulas become MathML in HTML).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from .model import (EquilibriumItem, ImplementationPolicy, OptimizeReport, Stages,
                    UncertaintyReport)
from .words import equilibrium_set_words, escape, profile_text, response_text

__all__ = ["Maths", "Sentence", "sentence_text", "sentence_markdown", "plain_summary",
           "recommended_controls", "ROBUSTNESS_WORDS"]


@dataclass(frozen=True)
class Maths:
    """A formula inside a summary sentence: plain text for the terminal and JSON,
    LaTeX for Markdown and HTML (where it becomes MathML, never emphasis)."""

    plain: str
    latex: str


#: A summary sentence: text and formulas, in reading order.
Sentence = tuple  # of str | Maths


def sentence_text(sentence: Sentence) -> str:
    """The sentence as plain text (formulas as written in the game file's syntax).

    >>> sentence_text(("at ", Maths("a >= b", "a \\\\geq b"), "."))
    'at a >= b.'
    """
    return "".join(part.plain if isinstance(part, Maths) else part for part in sentence)


def sentence_markdown(sentence: Sentence) -> str:
    """The sentence as Markdown: text escaped literally, formulas as ``$latex$``.

    >>> print(sentence_markdown(("at *", Maths("a >= b", "a \\\\geq b"), ".")))
    at \\*$a \\geq b$.
    """
    return "".join(f"${part.latex}$" if isinstance(part, Maths) else escape(part, strip=False)
                   for part in sentence).strip()


def _conjunction(plain: list[str], latex_forms: list[str]) -> list:
    """``a and b and c`` with each relation a formula."""
    parts: list = []
    for k, (text, latex_text) in enumerate(zip(plain, latex_forms)):
        parts += ([" and "] if k else []) + [Maths(text, latex_text)]
    return parts


def _equilibrium_words(eq: EquilibriumItem) -> str:
    parts = []  # rounded numbers: the floats (exact ones may be irrational text)
    for player, mix in eq.strategies.items():
        used = [(s, p) for s, p in mix.items() if p != 0]
        if len(used) == 1:
            parts.append(f"{player} plays {used[0][0]}")
        else:
            parts.append(f"{player} mixes " + " and ".join(
                f"{s} ({_percent(p)})" for s, p in used))
    payoffs = eq.payoffs
    return "; ".join(parts) + " (payoffs " + ", ".join(
        f"{p} {_short_number(v)}" for p, v in payoffs.items()) + ")"


def _float(value: Any) -> float:
    """A report number (exact text such as ``"2/3"``, or a JSON number) as a float."""
    return float(Fraction(value)) if isinstance(value, str) else float(value)


def _percent(value: Any) -> str:
    return f"{100 * _float(value):.0f}%"


def _short_number(value: Any) -> str:
    return f"{_float(value):.4g}"


def _settings(controls: dict[str, Any], optimize: OptimizeReport) -> list[str]:
    """``name = value`` for each control a policy moves away from its declared value."""
    declared = _declared_controls(optimize)
    return [f"{name} = {_short_number(value)}" for name, value in controls.items()
            if _float(value) != float(declared.get(name, 0))]


def _declared_controls(optimize: OptimizeReport) -> dict[str, Fraction]:
    """Each control's value as the game file declares it."""
    return {c.name: Fraction(c.default) for c in optimize.control_details}


def _robustness_words(players: list[str], uncertainty: UncertaintyReport,
                      under_policy: UncertaintyReport | None, policy: str,
                      target: dict[str, str] | None) -> Sentence:
    """What the draws measure (each parameter's ``dist:``): how often the goal is an
    equilibrium and the most common equilibrium set, without intervention and under
    the recommended policy."""
    def situation(report: UncertaintyReport) -> str:
        top = report.outcomes[0]
        low, high = top.interval_95
        goal = ""
        if target:
            hits = sum(outcome.count for outcome in report.outcomes
                       if any(all(support == [target[p]] for p, support in zip(players, eq)
                                  if p in target) for eq in outcome.supports))
            goal = (f"the goal ({profile_text(target)}) is an equilibrium in "
                    f"{100 * hits / report.samples:.0f}% of draws, and ")
        return (f"{goal}the most common situation is "
                f"{equilibrium_set_words(players, top.supports, not report.mixed_computed)}, "
                f"in {100 * top.share:.0f}% "
                f"of draws (95% interval {100 * low:.0f}–{100 * high:.0f}%)")

    drawn = ", ".join(f"{name} from {dist}" for name, dist in uncertainty.distributions.items())
    text = (f"Robustness: drawing {drawn}, as each uncertain parameter's dist: declares "
            f"({uncertainty.samples} draws): without intervention {situation(uncertainty)}")
    if under_policy is not None and under_policy.outcomes:
        text += f"; under the recommended policy ({policy}) {situation(under_policy)}"
    elif target:
        text += " (the recommended policy changes no control)"
    return (text + ".",)


def plain_summary(stages: Stages) -> list[Sentence]:
    """Sentences for a reader who knows no game theory: what happens now, what the
    regulator should do and at what cost, and how robust that is."""
    sentences: list[Sentence] = []
    solve = stages.solve
    equilibria = solve.solution.equilibria
    if len(equilibria) == 1:
        sentences.append(("At the current values there is exactly one stable outcome (equilibrium): "
                          + _equilibrium_words(equilibria[0]) + ".",))
    elif equilibria:
        sentences.append((f"At the current values there are {len(equilibria)} stable outcomes "
                          "(equilibria), so what happens depends on what each side expects: "
                          + "; or ".join(_equilibrium_words(eq) for eq in equilibria) + ".",))
    else:
        sentences.append(("No equilibrium was found at the current values.",))
    if len(equilibria) > 1 and solve.selection is not None:
        sentences.append((solve.selection.summary[-1],))
    optimize = stages.optimize
    recommended = _recommended(optimize)
    if optimize is not None:
        unique = stages.optimize_unique
        selecting = tuple(stage.policy for stage in (stages.optimize_risk_dominant,
                                                     stages.optimize_logit, stages.optimize_basin)
                          if stage is not None)
        sentences += _policy_words(optimize, unique.policy if unique is not None else None,
                                   selecting)
        if recommended is not None:
            sentences += _why_words(optimize, stages.analyze)
    uncertainty = stages.uncertainty
    if uncertainty is not None and uncertainty.outcomes:
        policy = ", ".join(_settings(recommended.controls, optimize)) if recommended else ""
        sentences.append(_robustness_words(
            solve.players, uncertainty, stages.uncertainty_policy if policy else None, policy,
            recommended.target if recommended else None))
    sweep = stages.sweep
    if sweep is not None and sweep.boundaries:
        sentences.append(("The phase diagram shows where this changes: the outcome switches at ",
                          *_joined([Maths(b.equation, b.latex) for b in sweep.boundaries], "; "),
                          "."))
    return sentences


def _joined(parts: list, separator: str) -> list:
    joined: list = []
    for k, part in enumerate(parts):
        joined += ([separator] if k else []) + [part]
    return joined


def _implementations(optimize: OptimizeReport) -> tuple[ImplementationPolicy, ...]:
    """The implementations an optimize report holds (none for a commitment)."""
    policy = optimize.policy
    if policy.mode == "commit":
        return ()
    return (policy,) if policy.mode == "implement" else policy.profiles


def _recommended(optimize: OptimizeReport | None) -> ImplementationPolicy | None:
    """The implementation the summary recommends: the verified one (``implement``),
    the cheapest verified profile (``rank``); none for commitments or when nothing
    was verified."""
    if optimize is None:
        return None
    return next((item for item in _implementations(optimize)
                 if item.cost is not None and item.verified), None)


def recommended_controls(optimize: OptimizeReport | None) -> dict[str, Fraction]:
    """The exact control values of the policy the summary recommends that differ from
    the declared ones (empty if none, or if it changes nothing)."""
    item = _recommended(optimize)
    if item is None:
        return {}
    declared = _declared_controls(optimize)
    return {name: Fraction(value) for name, value in item.controls_exact.items()
            if Fraction(value) != declared.get(name, 0)}


ROBUSTNESS_WORDS = {
    "nash": "a stable outcome (no one gains by changing their choice alone)",
    "strict": "a strictly stable outcome (everyone loses by changing their choice alone)",
    "dominant": "everyone's best choice whatever the others do, so the only outcome",
    "unique": "the only outcome (the only equilibrium, mixed ones included)",
    "risk-dominant": "the outcome risk dominance selects (the safer bet when each side is "
                     "unsure of the other)",
    "logit": "the outcome the logit path selects (where players who err less and less end up)",
    "basin": "the outcome that adjusting play (replicator dynamics) reaches from most starting "
             "points (at least the required share, estimated by sampling)",
}


def _why_words(optimize: OptimizeReport, analyze) -> list[Sentence]:
    """The symbolic reason behind the recommendation, from the analysis."""
    if optimize.mode == "commit":
        return [(f"Why: {c.leader} plays {c.strategy} with probability ",
                 Maths(c.probability, c.probability_latex),
                 f" (now {_short_number(c.at_current)}), the level at which "
                 + ", ".join(f"{p} prefers {s}" for p, s in c.followers.items()),
                 *([" — valid when ", *_conjunction(c.valid_when, c.valid_when_latex)]
                   if c.valid_when else []), ".")
                for c in analyze.commitment if c.at_current is not None][:1]
    if optimize.mode != "implement":
        return []
    target = optimize.policy.target
    return [(f"Why: “{profile_text(target)}” is a stable outcome exactly when ",
             *_conjunction(condition.holds_when, condition.holds_when_latex),
             " (from the symbolic analysis).")
            for condition in analyze.conditions
            if condition.profile == target and condition.holds_when][:1]


def _failed_words(item: ImplementationPolicy, what: str, optimize: OptimizeReport) -> Sentence:
    """A policy that failed its check: said, with the reason, never recommended."""
    changes = ", ".join(_settings(item.controls, optimize)) or "no change"
    return (f"{what} ({changes}, cost {_short_number(item.cost)}) failed verification, so it "
            f"is not recommended: {item.verification}.",)


def _commitment_words(commitment) -> list[Sentence]:
    if not commitment.commitment:
        return [(f"The {commitment.leader} cannot find a commitment that works "
                 f"({commitment.status}).",)]
    plan = " and ".join(f"{s} {_percent(p)} of the time" for s, p in commitment.commitment.items()
                        if p)
    if not commitment.verified:
        return [(f"The best commitment found for the {commitment.leader} ({plan}) failed "
                 f"verification, so it is not recommended: {commitment.verification}.",)]
    words = [f"What the {commitment.leader} should do: commit in advance to {plan}; "
             + ", ".join(f"{p} then chooses {s}" if isinstance(s, str) else
                         f"{p} then mixes {response_text(s)}"
                         for p, s in commitment.followers.items())
             + f", and the {commitment.leader}'s objective ({commitment.objective}) is "
             f"{_short_number(commitment.leader_value)}."]
    gain = commitment.value_of_commitment
    if gain is not None and gain > 0:
        words.append(f"Committing is worth {_short_number(gain)} more than the best outcome "
                     "of moving at the same time as the others.")
    elif gain is not None:
        words.append("Committing gains nothing over the best outcome of moving at the same "
                     "time as the others, but it selects that outcome.")
    words.append("This was verified by solving the game again with the commitment in place.")
    return [(w,) for w in words]


def _policy_words(optimize: OptimizeReport, unique: ImplementationPolicy | None,
                  selecting: tuple[ImplementationPolicy, ...] = ()) -> list[Sentence]:
    if optimize.mode == "commit":
        return _commitment_words(optimize.policy)
    feasible = [p for p in _implementations(optimize) if p.cost is not None]
    item = _recommended(optimize)
    words: list[Sentence] = []
    if feasible and not feasible[0].verified:
        head = ("The cheapest policy found" if optimize.mode == "implement" else
                f"The cheapest policy found, for “{profile_text(feasible[0].target)}”,")
        words.append(_failed_words(feasible[0], head, optimize))
    if item is None:
        if not feasible:
            first = _implementations(optimize)[0]
            words.append((f"The regulator cannot bring about “{profile_text(first.target)}” "
                          f"with the controls available: {first.explanation}.",))
        return words
    target = profile_text(item.target)
    changes = _settings(item.controls, optimize)
    action = ("needs to do nothing" if not changes else "should set " + ", ".join(changes))
    head = ("The cheapest outcome to bring about is" if optimize.mode == "rank"
            else "Goal:")
    words.append((f"{head} “{target}”. To make it {ROBUSTNESS_WORDS[item.robust]}, the "
                  f"regulator {action}, at a cost of {_short_number(item.cost)}; verified by "
                  "solving the game again.",))
    if item.other_equilibria:
        words.append((f"But {len(item.other_equilibria)} other equilibri"
                      f"{'um remains' if len(item.other_equilibria) == 1 else 'a remain'}, "
                      "so the goal is not guaranteed (selection risk).",))
    if unique is not None and unique.cost is not None and not unique.verified:
        words.append(_failed_words(unique, "The cheapest policy found to make it the only outcome",
                                   optimize))
    elif unique is not None and unique.cost is not None:
        words.append(("To make it the only outcome (the only equilibrium, mixed ones included), "
                      "the regulator should set " + (", ".join(_settings(unique.controls, optimize))
                                                     or "nothing")
                      + f", at a cost of {_short_number(unique.cost)}; verified by solving the "
                      "game again."
                      + (" A cheaper policy with the same effect may exist (the search covers "
                         "policies that remove the alternatives one by one through dominance)."
                         if unique.lower_bound is not None
                         and unique.lower_bound < unique.cost else ""),))
    elif unique is not None:
        words.append((f"It cannot be made the only outcome with the controls available: "
                      f"{unique.explanation}.",))
    from ..optimize.status import SEARCH_BEST_FOUND

    for selected in selecting:
        if selected.cost is not None and selected.verified:
            words.append((f"To make “{profile_text(selected.target)}” "
                          f"{ROBUSTNESS_WORDS[selected.robust]}, the regulator should set "
                          + (", ".join(_settings(selected.controls, optimize)) or "nothing")
                          + f", at a cost of {_short_number(selected.cost)}"
                          + (" (the cheapest a bounded search found, not proven cheapest)"
                             if selected.status == SEARCH_BEST_FOUND else "")
                          + ("; verified by solving the game again and estimating the basin "
                             "again with a fresh sample of starting points."
                             if selected.robust == "basin"
                             else "; verified by solving the game again."),))
    return words

"""Explanations in words: why no policy works, and where a strict requirement starts.

The computing modules (:mod:`.implementation`, :mod:`.uniqueness`, :mod:`.commitment`)
find the facts — which deviations cannot be deterred and by how much, the smallest
budget that works, the margin-0 optimum — and the functions here only phrase them,
so every result says the same thing the same way.

Examples
--------
>>> from fractions import Fraction
>>> format_number(Fraction(4, 3)), format_number(0.25), format_number(2 ** 0.5)
('4/3', '1/4', '1.41421')
>>> over_budget(5, Fraction(6))
'infeasible within the budget 5; the smallest budget that works is 6'
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Mapping, Sequence

from .results import StrictThreshold

__all__ = ["format_number", "describe_threshold", "solver_stopped", "unbounded", "over_budget",
           "undeterred_deviations", "per_completion", "no_completion", "unbounded_search_note",
           "not_eliminated"]


def format_number(value) -> str:
    """A Fraction as it is; a float as a small fraction when it is one, else 6 digits."""
    if isinstance(value, Fraction):
        return str(value)
    fraction = Fraction(value).limit_denominator(1000)
    if abs(float(fraction) - value) < 1e-9:
        return str(fraction)
    return f"{value:.6g}"


def solver_stopped(status: str) -> str:
    return f"the solver stopped with status '{status}'"


def unbounded(game) -> str:
    """Why the cost has no lower bound: controls that earn money without a bound."""
    earning = [c.name for c in game.spec.controls if c.cost < 0 and not c.bounds]
    if earning:
        return (f"the cost has no lower bound: {', '.join(earning)} "
                f"{'earns' if len(earning) == 1 else 'earn'} money (negative cost) and "
                f"{'has' if len(earning) == 1 else 'have'} no bounds; declare bounds: [low, high]")
    return "the cost has no lower bound; give the controls bounds: [low, high]"


def over_budget(budget, smallest) -> str:
    return (f"infeasible within the budget {budget}; the smallest budget "
            f"that works is {format_number(smallest)}")


def undeterred_deviations(game, undeterred: Sequence[tuple[int, int, tuple, float]], robust: str,
                          margin, has_controls: bool, scenario_count: int) -> str:
    """Deviations ``(player, deviation, profile, best gain)`` that no control within its
    bounds deters, at most five named (or why all of them at once is what fails)."""
    blocked: list[str] = []
    for i, d, at, best in undeterred:
        text = (f"{game.players[i]}'s deviation to {game.strategies[i][d]}"
                + (f" against {'/'.join(game.strategies[j][at[j]] for j in range(len(at)) if j != i)}"
                   if robust == "dominant" else "")
                + (" cannot be deterred within the control bounds" if has_controls
                   else " cannot be deterred: the game declares no controls")
                + f" (it still gains {format_number(float(margin) - best)} at best)")
        if text not in blocked:
            blocked.append(text)
    if blocked:
        return "; ".join(blocked[:5]) + (f" (and {len(blocked) - 5} more)" if len(blocked) > 5 else "")
    return ("each deviation can be deterred on its own, but not all at once within the bounds"
            + (" in enough scenarios" if scenario_count else ""))


def per_completion(results: Sequence[Any]) -> str:
    """Each completion of a target with its explanation."""
    return "; ".join(f"{'/'.join(r.target.values())}: {r.explanation}" for r in results)


def no_completion(results: Sequence[Any]) -> str:
    return f"no completion of the target can be implemented — {per_completion(results)}"


def unbounded_search_note(game, reach: float) -> str:
    """``unique`` searches controls without bounds within ±reach: say so."""
    free = [c.name for c in game.spec.controls if not c.bounds]
    if not free:
        return ""
    return (f" (controls without bounds, {', '.join(free)}, were searched within "
            f"±{format_number(reach)})")


def not_eliminated(standing: Sequence[str], margin) -> str:
    """The strategies that even the most eliminating controls leave standing."""
    return (f"{', '.join(standing)} cannot be eliminated within the control bounds: even the "
            "controls that remove the most strategies by iterated strict dominance (margin "
            f"{margin}) leave {'it' if len(standing) == 1 else 'them'} standing")


def describe_threshold(used: Mapping[str, Any], zero: Mapping[str, Any], indifferent: list[str],
                       margin, what: str, used_value, zero_value) -> StrictThreshold:
    """The threshold in words: which values must be passed, who is indifferent there,
    and how far the values used are from it."""
    moved = [n for n in used if used[n] != zero.get(n)]
    at_threshold = ", ".join(f"{n} = {format_number(zero[n])}" for n in (moved or zero))
    if indifferent:
        condition = " and ".join(f"{n} {'>' if used[n] > zero[n] else '<'} {format_number(zero[n])}"
                                 for n in moved) or f"{what} beyond {format_number(zero_value)}"
        statement = f"{condition}; at {at_threshold} " + "; ".join(indifferent)
    else:
        statement = (f"the bound {what} {format_number(zero_value)} is attained: at {at_threshold} "
                     "every deviation already loses")
    words = ", ".join(f"used {n} = {format_number(used[n])} = threshold "
                      f"{'+' if used[n] > zero[n] else '-'} {format_number(abs(used[n] - zero[n]))}"
                      for n in moved)
    words = (words + "; " if words else "") + \
        f"margin {format_number(margin)}, {what} {format_number(used_value)} " \
        f"(at the threshold {format_number(zero_value)})"
    return StrictThreshold(zero_value, dict(zero), not indifferent, tuple(indifferent), statement,
                           words)

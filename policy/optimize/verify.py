"""Verification of an implementation: substitute the chosen controls (and pay the
promised transfers), re-solve the game, and check the target.

This is the last computing step of ``implement`` before the result is built; it
relies on :mod:`policy.equilibria` (re-solving) and :mod:`policy.best_response` (the
target in each sampled scenario), never on the LP that chose the policy.
"""

from __future__ import annotations

import dataclasses
import itertools
from fractions import Fraction

import numpy as np
import sympy

from ..best_response import is_pure_equilibrium
from ..equilibria import EquilibriumSet, find_equilibria
from ..numeric import FLOAT_TOLERANCE

__all__ = ["bind_controls", "other_equilibria", "verify_implementation"]


def bind_controls(game, base, chosen, promised=None):
    """The numeric game at ``base`` with the controls ``chosen`` and, when given, the
    promised transfers paid; returns (the game, the values substituted)."""
    overrides = dict(base)
    overrides.update({k: sympy.Rational(v.numerator, v.denominator) if isinstance(v, Fraction)
                      else sympy.Float(v, 17) for k, v in chosen.items()})
    numeric = game.bind({k: v for k, v in overrides.items() if k in game.symbols})
    return _with_transfers(numeric, promised or {}), overrides


def other_equilibria(game, result: EquilibriumSet, profile) -> tuple[bool, list[dict]]:
    """Whether the pure ``profile`` is among ``result``'s equilibria, and every other
    equilibrium as player → {strategy: probability}."""
    names = game.strategies
    others = []
    target_found = False
    for eq in result.equilibria:
        is_target = eq.is_pure and all(s[profile[i]] == 1 for i, s in enumerate(eq.strategies))
        target_found = target_found or is_target
        if not is_target:
            others.append({p: {names[i][k]: pr for k, pr in enumerate(eq.strategies[i]) if pr}
                           for i, p in enumerate(game.players)})
    return target_found, others


def _with_transfers(numeric, promised):
    """The game with promised transfers added: a transfer paid at outcome k to player i
    adds to i's payoff at k."""
    if not promised:
        return numeric
    exact = numeric.is_exact and all(isinstance(v, Fraction) for v in promised.values())
    arrays = [a.copy() for a in (numeric.exact_payoffs if exact else numeric.payoffs)]
    profiles = list(itertools.product(*(range(k) for k in numeric.shape)))
    for (k, i), amount in promised.items():
        arrays[i][profiles[k]] += amount if exact else float(amount)
    floats = tuple(np.asarray(a, dtype=float) for a in arrays)
    return dataclasses.replace(numeric, payoffs=floats, exact_payoffs=tuple(arrays) if exact else None)


def _scenarios_satisfied(game, profile, control_values, scenario_values, robust, margin,
                         promised) -> int:
    """In how many scenarios the target is an equilibrium at the chosen controls."""
    satisfied = 0
    for scenario in scenario_values:
        scenario_overrides = dict(scenario)
        scenario_overrides.update(control_values)
        scenario_game = _with_transfers(
            game.bind({k: v for k, v in scenario_overrides.items() if k in game.symbols}), promised)
        if is_pure_equilibrium(scenario_game, profile, margin if robust != "nash" else 0,
                               robust == "dominant"):
            satisfied += 1
    return satisfied


def verify_implementation(game, base, profile, chosen, scenario_values, robust, margin, promised,
                           required):
    """Apply the controls (and promised transfers), re-solve the game, check the target.

    With several scenarios, the target must also be an equilibrium in at least
    ``required`` of them, each re-solved at the chosen controls. Returns (verified,
    text, other equilibria, scenarios satisfied or None)."""
    numeric, overrides = bind_controls(game, base, chosen, promised)
    solved = find_equilibria(numeric)
    listed, others = other_equilibria(game, solved, profile)
    # checked directly too: an enumeration stopped by a limit may not list the target
    target_found = listed or is_pure_equilibrium(numeric, profile, 0, False)
    satisfied = None
    if len(scenario_values) > 1:
        satisfied = _scenarios_satisfied(game, profile, {k: overrides[k] for k in chosen},
                                         scenario_values, robust, margin, promised)
    how = "exactly" if numeric.is_exact else f"within tolerance {FLOAT_TOLERANCE:g}"
    if not target_found:
        return False, f"the target is NOT an equilibrium at the chosen controls (checked {how})", \
            others, satisfied
    if satisfied is not None and satisfied < required:
        return False, (f"the policy holds in only {satisfied} of {len(scenario_values)} sampled "
                       f"scenarios; {required} were required"), others, satisfied
    text = f"the target is an equilibrium at the chosen controls (re-solved, checked {how})"
    if robust == "dominant" and others:
        return False, text + ", but other equilibria remain although dominance was required", \
            others, satisfied
    if solved.components:
        text += (f"; infinitely many other equilibria exist (a continuum; {len(others)} listed) "
                 "(selection risk)")
    elif not solved.complete:
        unproven = "the enumeration is not complete" + (f": {solved.notes[0]}" if solved.notes else "")
        text += (f"; at least {len(others)} other equilibri"
                 f"{'um also exists' if len(others) == 1 else 'a also exist'} (selection risk; "
                 f"{unproven})" if others else f"; no other equilibrium was found, but {unproven}")
    elif others:
        text += (f"; {len(others)} other equilibri"
                 f"{'um also exists' if len(others) == 1 else 'a also exist'} (selection risk)")
    else:
        text += "; it is the only equilibrium"
    return True, text, others, satisfied

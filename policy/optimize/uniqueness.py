"""The cheapest policy that leaves a target profile the *only* equilibrium.

A profile that is the unique survivor of iterated elimination of strictly dominated
strategies (IESDS) is the unique Nash equilibrium, mixed equilibria included, for any
number of players. ``cheapest_unique`` finds the cheapest controls (bounds, budget,
binary controls and fixed costs as in :func:`policy.optimize.cheapest_implementation`)
under which the target is that survivor, as one MILP over elimination orders:

* ``gone[i, s, r]`` — strategy ``s`` of player ``i`` is eliminated by round ``r``
  (monotone in ``r``; never for the target's strategies; for every other strategy by
  the last round ``R``, the number of non-target strategies, enough because every
  useful round removes at least one);
* ``by[i, s, r, t]`` — ``s`` is eliminated at round ``r`` by the pure strategy ``t``,
  which must still survive round ``r - 1``;
* ``t`` beats ``s`` by the margin ε against every opponent profile whose strategies all
  survive round ``r - 1`` (a big-M constraint, relaxed when ``by`` is off or when some
  opponent strategy is already gone).

The MILP's answer is then checked independently of it: the controls are substituted,
IESDS is run exactly (Fractions) on the bound game, and two-player games are also
solved completely by :func:`policy.equilibria.find_equilibria`. Uniqueness can also
hold without dominance-solvability, so the ``nash`` and ``strict`` optimal policies
are candidates too when re-solving proves them unique; the cheapest candidate is
returned, with the ``nash`` cost as a lower bound.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from fractions import Fraction
from typing import Mapping, Sequence

import numpy as np
import pulp
import sympy

from ..equilibria import find_equilibria
from ..errors import ModelError, SolverError
from .exact_lp import LinearProgram, LinearProgramBuilder, exact_solution, to_pulp
from ..numeric import FLOAT_TOLERANCE
from ..symbolic import SymbolicGame

__all__ = ["cheapest_unique", "iterated_elimination"]


def iterated_elimination(arrays: Sequence[np.ndarray], margin, tolerance=0):
    """Iterated elimination of strategies strictly dominated by a pure strategy.

    Every round removes, simultaneously, each surviving strategy that some other
    surviving strategy beats by at least ``margin`` against every surviving profile of
    the others (with a positive margin the result does not depend on the order).

    Parameters
    ----------
    arrays : one payoff array per player, indexed by the pure profile
    margin : the dominance margin ε (exact when the payoffs are Fractions)
    tolerance : slack allowed in float comparisons (0 for exact payoffs)

    Returns
    -------
    rounds : list of rounds, each a list of ``(player, strategy)`` eliminated in it
    survivors : the surviving strategy indices of every player
    """
    alive = [list(range(n)) for n in arrays[0].shape]
    rounds = []
    while True:
        removed = []
        for i, array in enumerate(arrays):
            others = [alive[j] if j != i else [None] for j in range(len(alive))]
            contexts = list(itertools.product(*others))

            def payoff(strategy, context):
                return array[tuple(strategy if k == i else c for k, c in enumerate(context))]

            for s in alive[i]:
                if any(all(payoff(t, o) - payoff(s, o) >= margin - tolerance for o in contexts)
                       for t in alive[i] if t != s):
                    removed.append((i, s))
        if not removed:
            return rounds, alive
        rounds.append(removed)
        for i, s in removed:
            alive[i] = [k for k in alive[i] if k != s]


def _tags(game: SymbolicGame) -> list[list[str]]:
    """Constraint-name pieces for every strategy: readable when that stays unambiguous."""
    def clean(text):
        return re.sub(r"\W", "_", str(text))

    tags = [[f"{clean(p)}_{clean(s)}" for s in game.strategies[i]]
            for i, p in enumerate(game.players)]
    flat = [t for row in tags for t in row]
    if len(set(flat)) < len(flat):
        tags = [[f"p{i}_s{k}" for k in range(len(row))] for i, row in enumerate(tags)]
    return tags


@dataclasses.dataclass(frozen=True)
class _Model:
    """The exact MILP, its PuLP model, and the names needed to read it back.

    ``gone[i][s][r]`` is the name of the binary "strategy s of player i is eliminated
    by round r", or None where it is the constant 0 (round 0, the target's strategies).
    """

    lp: LinearProgram
    problem: pulp.LpProblem
    pulp_variables: dict
    variables: dict
    gone: list

    def value(self, name) -> float:
        return 0.0 if name is None else float(self.pulp_variables[name].value() or 0.0)


def search_reach(affine, margin) -> float:
    """How far a control without bounds is searched: ten times what it takes, at its
    smallest effect, to overturn the largest payoff difference by the margin. The big-M
    constraints need bounded payoffs, so such controls get these bounds in the MILP."""
    constants = [abs(float(v)) for row in affine.constant[0] for v in row]
    effects = [abs(float(v)) for row in affine.coefficient[0] for grad in row for v in grad if v]
    return 10 * (1 + 2 * max(constants, default=0) + float(margin)) / min(effects, default=1)


def _scale(affine, controls, reach) -> float:
    """The largest |payoff| anywhere in the box of control values searched."""
    largest = 1.0
    widths = [max(abs(float(b)) for b in c.bounds) if c.bounds else reach for c in controls.values()]
    for k, row in enumerate(affine.constant[0]):
        for i, constant in enumerate(row):
            largest = max(largest, abs(float(constant)) + sum(
                abs(float(g)) * w for g, w in zip(affine.coefficient[0][k][i], widths)))
    return largest


def _build(game, profile, affine, margin, require_all: bool = True) -> _Model:
    """The IESDS MILP; without ``require_all``, it eliminates as much as it can instead."""
    from .implementation import _control_specs, _control_variables, _profile_index

    controls = _control_specs(game)
    reach = Fraction(search_reach(affine, margin)).limit_denominator(1) + 1  # a whole-number bound
    scale = Fraction(_scale(affine, controls, float(reach))).limit_denominator(1) + 1
    shape = game.shape
    n = len(shape)
    lp = LinearProgramBuilder()
    variables, cost = _control_variables(lp, controls, reach)
    if game.spec.budget is not None:
        lp.add(cost, "<=", Fraction(game.spec.budget), "budget")
    tags = _tags(game)
    rounds = sum(size - 1 for size in shape)
    gone = [[[None] * (rounds + 1) for _ in range(size)] for size in shape]
    for i in range(n):
        for s in range(shape[i]):
            if s == profile[i]:
                continue
            for r in range(1, rounds + 1):
                gone[i][s][r] = lp.variable(f"gone_{tags[i][s]}_round_{r}", 0, 1, integer=True)
                if r > 1:
                    lp.add({gone[i][s][r - 1]: 1, gone[i][s][r]: -1}, "<=", 0,
                           f"monotone_{tags[i][s]}_round_{r}")
            if require_all:
                lp.add({gone[i][s][rounds]: 1}, "==", 1, f"eliminated_{tags[i][s]}")
    names = list(affine.controls)
    big = 2 * scale + Fraction(margin) + 1
    for i in range(n):
        others = [range(shape[j]) if j != i else [None] for j in range(n)]
        contexts = list(itertools.product(*others))
        for s in range(shape[i]):
            if s == profile[i]:
                continue
            for r in range(1, rounds + 1):
                by = {}
                for t in range(shape[i]):
                    if t == s:
                        continue
                    by[t] = lp.variable(f"by_{tags[i][t]}_over_{tags[i][s]}_round_{r}", 0, 1,
                                        integer=True)
                    if gone[i][t][r - 1] is not None:
                        lp.add({by[t]: 1, gone[i][t][r - 1]: 1}, "<=", 1,
                               f"dominator_alive_{tags[i][t]}_over_{tags[i][s]}_round_{r}")
                    for o in contexts:
                        at = tuple(t if k == i else c for k, c in enumerate(o))
                        away = tuple(s if k == i else c for k, c in enumerate(o))
                        k_at, k_away = _profile_index(shape, at), _profile_index(shape, away)
                        constant = (Fraction(affine.constant[0][k_at][i])
                                    - Fraction(affine.constant[0][k_away][i]))
                        # gain(t over s at o) >= margin - big (1 - by) - big Σ gone(o_j, r-1)
                        terms = [(variables[name], Fraction(a) - Fraction(b)) for name, a, b in zip(
                            names, affine.coefficient[0][k_at][i], affine.coefficient[0][k_away][i])]
                        terms.append((by[t], -big))
                        terms += [(gone[j][o[j]][r - 1], big) for j in range(n)
                                  if j != i and gone[j][o[j]][r - 1] is not None]
                        versus = "_".join(tags[j][o[j]] for j in range(n) if j != i)
                        lp.add(terms, ">=", Fraction(margin) - big - constant,
                               f"dominates_{tags[i][t]}_over_{tags[i][s]}_round_{r}_vs_{versus}")
                newly = {gone[i][s][r]: 1}
                if gone[i][s][r - 1] is not None:
                    newly[gone[i][s][r - 1]] = -1
                for t, name in by.items():
                    newly[name] = newly.get(name, 0) - 1
                lp.add(newly, "<=", 0, f"dominator_needed_{tags[i][s]}_round_{r}")
    if require_all:
        model = lp.build(cost, maximize=False)
    else:
        model = lp.build({gone[i][s][rounds]: 1 for i in range(n) for s in range(shape[i])
                          if s != profile[i]}, maximize=True)
    problem, pulp_variables = to_pulp(model, "unique_implementation")
    return _Model(model, problem, pulp_variables, variables, gone)


def _reach_note(game, affine, margin) -> str:
    free = [c.name for c in game.spec.controls if not c.bounds]
    if not free:
        return ""
    from .implementation import _fmt

    return (f" (controls without bounds, {', '.join(free)}, were searched within "
            f"±{_fmt(search_reach(affine, margin))})")


def _solve(problem, solver):
    """Solve, never trusting a point that breaks the programme's own constraints: CBC's
    preprocessing returned such "optimal" points on these MILPs (found by the
    brute-force test), so CBC then solves again with preprocessing off."""
    from .implementation import SolveInfo, SolverOptions, _run

    @dataclasses.dataclass(frozen=True)
    class NoPreprocessing(SolverOptions):
        def make(self):
            made = super().make()
            made.options = list(made.options or []) + ["preprocess off"]
            return made

    info = _run(problem, solver)
    if info.status in ("optimal", "time limit, best found") and not problem.valid(1e-6):
        if solver.name == "cbc":
            try:
                info = _run(problem, NoPreprocessing(solver.name, solver.time_limit))
            except SolverError:
                return SolveInfo("not solved", info.solver, info.seconds)
        if info.status in ("optimal", "time limit, best found") and not problem.valid(1e-6):
            return SolveInfo("not solved", info.solver, info.seconds)
    return info


def _exact_cost(game, chosen) -> Fraction:
    """Σ cost·control + Σ fixed_cost·[control ≠ 0], from the exact control values."""
    total = Fraction(0)
    for control in game.spec.controls:
        value = Fraction(chosen[control.name])
        total += Fraction(control.cost) * value
        if control.fixed_cost and value != 0:
            total += Fraction(control.fixed_cost)
    return total


def _check(game, base, profile, chosen, margin):
    """Is ``profile`` the only equilibrium at ``chosen``? Returns (unique, how, others, text)."""
    overrides = dict(base)
    overrides.update({k: sympy.Rational(v.numerator, v.denominator) if isinstance(v, Fraction)
                      else sympy.Float(v, 17) for k, v in chosen.items()})
    numeric = game.bind({k: v for k, v in overrides.items() if k in game.symbols})
    exact = numeric.is_exact
    arrays = numeric.exact_payoffs if exact else numeric.payoffs
    rounds, survivors = iterated_elimination(arrays, margin if exact else float(margin),
                                             0 if exact else FLOAT_TOLERANCE)
    how = "exactly" if exact else f"within tolerance {FLOAT_TOLERANCE:g}"
    solvable = survivors == [[s] for s in profile]
    order = "; ".join(f"round {k + 1}: " + ", ".join(f"{game.players[i]}'s {game.strategies[i][s]}"
                                                      for i, s in removed)
                      for k, removed in enumerate(rounds))
    names = game.strategies
    others, complete = [], False
    if len(game.players) == 2:
        result = find_equilibria(numeric)
        complete = result.complete
        for eq in result.equilibria:
            if not (eq.is_pure and all(s[profile[i]] == 1 for i, s in enumerate(eq.strategies))):
                others.append({p: {names[i][k]: pr for k, pr in enumerate(eq.strategies[i]) if pr}
                               for i, p in enumerate(game.players)})
        found = any(eq.is_pure and all(s[profile[i]] == 1 for i, s in enumerate(eq.strategies))
                    for eq in result.equilibria)
        enumerated_unique = complete and found and not others and not result.components
    else:
        enumerated_unique = False
    if solvable:
        text = (f"checked {how}: iterated elimination of strictly dominated strategies (margin "
                f"{margin}) leaves only the target ({order}), so it is the only equilibrium, "
                "mixed ones included")
        if len(game.players) == 2:
            if not enumerated_unique:  # cannot happen unless an engine is wrong: never hide it
                return False, others, text + ", but the complete enumeration disagrees"
            text += "; the complete exact enumeration of equilibria agrees"
        return True, others, text
    if enumerated_unique:
        return True, others, (f"checked {how}: the complete enumeration of equilibria finds only the "
                              "target, so it is the only equilibrium, mixed ones included (the game "
                              "is not dominance-solvable at these controls)")
    return False, others, (f"checked {how}: the target is NOT the unique survivor of iterated "
                           "elimination" + (f" ({order})" if order else "")
                           + (f"; {len(others)} other equilibria remain" if others else ""))


def _explain(game, profile, affine, margin, solver) -> str:
    """Which strategies survive even the controls that eliminate the most."""
    model = _build(game, profile, affine, margin, require_all=False)
    if _solve(model.problem, solver).status != "optimal":
        return "no order of elimination removes every other strategy within the control bounds"
    standing = [f"{game.players[i]}'s {game.strategies[i][s]}" for i, row in enumerate(model.gone)
                for s, by_round in enumerate(row)
                if s != profile[i] and round(model.value(by_round[-1])) == 0]
    return (f"{', '.join(standing)} cannot be eliminated within the control bounds: even the "
            "controls that remove the most strategies by iterated strict dominance (margin "
            f"{margin}) leave {'it' if len(standing) == 1 else 'them'} standing")


def _unique_profile(game, profile, values, margin, solver):
    """The IESDS MILP for one full profile, verified: an ImplementationResult."""
    from .implementation import (ImplementationResult, _control_specs, _flatten, _fmt,
                           _settle_free_controls, affine_payoffs)

    base = game.values_with(values)
    affine = affine_payoffs(game, [base])
    controls = _control_specs(game)
    model = _build(game, profile, affine, margin)
    info = _solve(model.problem, solver)
    target = {p: game.strategies[i][profile[i]] for i, p in enumerate(game.players)}
    common = dict(game=game.name, target=target, robust="unique", margin=margin, transfers={},
                  scenarios=0, confidence=1.0, scenarios_satisfied=None, solver=solver.name)
    if info.status not in ("optimal", "time limit, best found"):
        if info.status != "infeasible":
            explanation = f"the solver stopped with status '{info.status}'"
        else:
            explanation = _explain(game, profile, affine, margin, solver) + _reach_note(
                game, affine, margin)
            if game.spec.budget is not None:
                unlimited = _unique_profile(SymbolicGame(dataclasses.replace(game.spec, budget=None)),
                                            profile, values, margin, solver)
                if unlimited.cost is not None:
                    explanation = (f"infeasible within the budget {game.spec.budget}; the smallest "
                                   f"budget that works is {_fmt(unlimited.cost)}")
        return ImplementationResult(status=info.status, controls={}, cost=None,
                                    explanation=explanation, verified=False, verification="",
                                    other_equilibria=[], seconds=info.seconds, **common)
    floats = {name: v.value() for name, v in model.pulp_variables.items()}
    exact_inputs = all(isinstance(v, Fraction) for table in (affine.constant, affine.coefficient)
                       for v in _flatten(table))
    solution = exact_solution(model.lp, floats) if exact_inputs else None
    if info.status == "optimal" and controls:
        solution, floats = _settle_free_controls(model.lp, solution, floats, controls,
                                                 model.variables, solver, exact_inputs)
    chosen = {}
    for name, control in controls.items():
        variable = model.variables[name]
        if control.type != "continuous":
            chosen[name] = Fraction(round(floats[variable] or 0))
        else:
            chosen[name] = (solution.values[variable] if solution is not None
                            else float(floats[variable] or 0.0))
    verified, others, text = _check(game, base, profile, chosen, margin)
    text += _reach_note(game, affine, margin)
    if solution is None or not solution.certified:
        text += "; optimal in floating point, exact optimality not certified"
    return ImplementationResult(status=info.status, controls=chosen, cost=_exact_cost(game, chosen),
                                explanation="", verified=verified, verification=text,
                                other_equilibria=others, seconds=info.seconds, **common)


def cheapest_unique(game: SymbolicGame, target: Mapping[str, str],
                    values: Mapping[str, object] | None, margin: Fraction, solver):
    """Cheapest controls under which ``target`` is the only equilibrium, verified.

    ``target`` may leave players free (every completion is tried). The ``nash`` and
    ``strict`` optimal policies are candidates too when re-solving proves the target
    unique there; the cheapest candidate is returned. ``lower_bound`` is the ``nash``
    cost: no policy making the target the only equilibrium can cost less.
    """
    from .implementation import _completions, _profile_key, cheapest_implementation

    if margin <= 0:
        raise ModelError("--robust unique needs a positive --margin (strict dominance)")
    candidates = [_unique_profile(game, p, values, margin, solver) for p in _completions(game, target)]
    policies = []
    for robust in ("nash", "strict"):
        try:
            policies.append(cheapest_implementation(game, target, values, robust=robust,
                                                    margin=margin if robust == "strict" else None,
                                                    solver=solver))
        except SolverError:  # e.g. CBC on an unbounded LP: no candidate, no lower bound
            policies.append(None)
    lower = policies[0]
    base = game.values_with(values)
    for result in policies:
        if result is None or result.cost is None:
            continue
        profile = _profile_key(game, result.target)
        verified, others, text = _check(game, base, profile, result.controls, margin)
        if verified:
            candidates.append(dataclasses.replace(
                result, robust="unique", margin=margin, verified=True, verification=text,
                other_equilibria=others, cost=_exact_cost(game, result.controls)))
    feasible = [r for r in candidates if r.cost is not None and r.verified] or \
        [r for r in candidates if r.cost is not None]
    bound = lower.cost if lower is not None else None
    if not feasible:
        first = candidates[0]
        explanation = "; ".join(f"{'/'.join(r.target.values())}: {r.explanation}" for r in candidates) \
            if len(candidates) > 1 else first.explanation
        status = ("infeasible" if all(r.status == "infeasible" for r in candidates)
                  else next(r.status for r in candidates if r.status != "infeasible"))
        return dataclasses.replace(first, target=first.target if len(candidates) == 1 else dict(target),
                                   status=status, explanation=explanation, lower_bound=bound,
                                   seconds=sum(r.seconds for r in candidates))
    best = min(feasible, key=lambda r: (float(r.cost), _profile_key(game, r.target)))
    if bound is not None and best.cost <= bound:
        note = (f"; its cost equals the cost of making the target an equilibrium at all "
                f"({bound}), so this is the cheapest possible policy")
    else:
        note = (f"; the cost of making the target an equilibrium at all is {bound}, so a cheaper "
                "policy that gives uniqueness without dominance-solvability may exist"
                if bound is not None else "")
    return dataclasses.replace(best, verification=best.verification + note, lower_bound=bound)

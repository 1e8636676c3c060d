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
IESDS is run exactly (Fractions) on the bound game, and the game is also solved
completely by :func:`policy.equilibria.find_equilibria` (any number of players; an
enumeration stopped by a limit proves nothing, and then IESDS alone decides). Uniqueness can also
hold without dominance-solvability, so the ``nash`` and ``strict`` optimal policies
are candidates too when re-solving proves them unique; the cheapest candidate is
returned, with the ``nash`` cost as a lower bound.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from fractions import Fraction
from typing import Callable, Mapping, Sequence

import numpy as np
import pulp

from ..equilibria import find_equilibria
from ..errors import ModelError
from ..numeric import FLOAT_TOLERANCE
from ..symbolic import SymbolicGame
from . import explain
from . import solver as lp_solver
from .controls import add_budget, chosen_controls, control_variables, exact_cost, settle_free_controls
from .exact_lp import LinearProgram, LinearProgramBuilder, exact_solution, to_pulp
from .problem import ImplementationProblem, completions, profile_index, profile_key
from .results import ImplementationResult
from .status import INFEASIBLE, OPTIMAL, has_solution
from .verify import bind_controls, other_equilibria

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


@dataclasses.dataclass(frozen=True)
class _Elimination:
    """What the dominance rows of the MILP read: the problem, the control variables,
    the ``gone`` binaries, the constraint-name tags and the big-M constant."""

    problem: ImplementationProblem
    variables: dict
    gone: list
    tags: list
    big: Fraction


def _elimination_variables(lp: LinearProgramBuilder, problem: ImplementationProblem, tags,
                           require_all: bool) -> list:
    """``gone[i][s][r]`` binaries, monotone in r; with ``require_all`` every non-target
    strategy is gone by the last round."""
    shape, profile = problem.shape, problem.profile
    rounds = sum(size - 1 for size in shape)
    gone = [[[None] * (rounds + 1) for _ in range(size)] for size in shape]
    for i in range(len(shape)):
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
    return gone


def _dominates_row(lp: LinearProgramBuilder, e: _Elimination, step, by: str, context) -> None:
    """For ``step`` = (player i, strategy s, dominator t, round r):
    gain(t over s at the opponents' ``context``) >= margin - big (1 - by) - big Σ gone(o_j, r-1)."""
    i, s, t, r = step
    problem, gone, tags = e.problem, e.gone, e.tags
    shape, affine, n = problem.shape, problem.affine, len(problem.shape)
    at = tuple(t if k == i else c for k, c in enumerate(context))
    away = tuple(s if k == i else c for k, c in enumerate(context))
    k_at, k_away = profile_index(shape, at), profile_index(shape, away)
    constant = Fraction(affine.constant[0][k_at][i]) - Fraction(affine.constant[0][k_away][i])
    terms = [(e.variables[name], Fraction(a) - Fraction(b)) for name, a, b in zip(
        affine.controls, affine.coefficient[0][k_at][i], affine.coefficient[0][k_away][i])]
    terms.append((by, -e.big))
    terms += [(gone[j][context[j]][r - 1], e.big) for j in range(n)
              if j != i and gone[j][context[j]][r - 1] is not None]
    versus = "_".join(tags[j][context[j]] for j in range(n) if j != i)
    lp.add(terms, ">=", Fraction(problem.margin) - e.big - constant,
           f"dominates_{tags[i][t]}_over_{tags[i][s]}_round_{r}_vs_{versus}")


def _elimination_round(lp: LinearProgramBuilder, e: _Elimination, i: int, s: int, r: int) -> None:
    """Strategy s of player i is newly gone at round r only if some ``by[t]``: a strategy
    t alive at round r - 1 that beats it against every opponent profile still alive."""
    shape, tags, gone = e.problem.shape, e.tags, e.gone
    n = len(shape)
    contexts = list(itertools.product(*[range(shape[j]) if j != i else [None] for j in range(n)]))
    by = {}
    for t in range(shape[i]):
        if t == s:
            continue
        by[t] = lp.variable(f"by_{tags[i][t]}_over_{tags[i][s]}_round_{r}", 0, 1, integer=True)
        if gone[i][t][r - 1] is not None:
            lp.add({by[t]: 1, gone[i][t][r - 1]: 1}, "<=", 1,
                   f"dominator_alive_{tags[i][t]}_over_{tags[i][s]}_round_{r}")
        for context in contexts:
            _dominates_row(lp, e, (i, s, t, r), by[t], context)
    newly = {gone[i][s][r]: 1}
    if gone[i][s][r - 1] is not None:
        newly[gone[i][s][r - 1]] = -1
    for t, name in by.items():
        newly[name] = newly.get(name, 0) - 1
    lp.add(newly, "<=", 0, f"dominator_needed_{tags[i][s]}_round_{r}")


def _build(problem: ImplementationProblem, require_all: bool = True) -> _Model:
    """The IESDS MILP; without ``require_all``, it eliminates as much as it can instead."""
    affine, margin, shape, profile = problem.affine, problem.margin, problem.shape, problem.profile
    reach = Fraction(search_reach(affine, margin)).limit_denominator(1) + 1  # a whole-number bound
    scale = Fraction(_scale(affine, problem.controls, float(reach))).limit_denominator(1) + 1
    lp = LinearProgramBuilder()
    variables, cost = control_variables(lp, problem.controls, reach)
    add_budget(lp, problem.game, cost)
    tags = _tags(problem.game)
    gone = _elimination_variables(lp, problem, tags, require_all)
    elimination = _Elimination(problem, variables, gone, tags, 2 * scale + Fraction(margin) + 1)
    for i in range(len(shape)):
        for s in range(shape[i]):
            if s == profile[i]:
                continue
            for r in range(1, len(gone[i][s])):
                _elimination_round(lp, elimination, i, s, r)
    if require_all:
        model = lp.build(cost, maximize=False)
    else:
        model = lp.build({gone[i][s][-1]: 1 for i in range(len(shape)) for s in range(shape[i])
                          if s != profile[i]}, maximize=True)
    pulp_problem, pulp_variables = to_pulp(model, "unique_implementation")
    return _Model(model, pulp_problem, pulp_variables, variables, gone)


def _reach_note(problem: ImplementationProblem) -> str:
    return explain.unbounded_search_note(problem.game, search_reach(problem.affine, problem.margin))


def _elimination_order(game, rounds) -> str:
    return "; ".join(f"round {k + 1}: " + ", ".join(f"{game.players[i]}'s {game.strategies[i][s]}"
                                                     for i, s in removed)
                     for k, removed in enumerate(rounds))


def _check(game, base, profile, chosen, margin):
    """Is ``profile`` the only equilibrium at ``chosen``? Returns (unique, others, text)."""
    numeric, _ = bind_controls(game, base, chosen)
    exact = numeric.is_exact
    arrays = numeric.exact_payoffs if exact else numeric.payoffs
    rounds, survivors = iterated_elimination(arrays, margin if exact else float(margin),
                                             0 if exact else FLOAT_TOLERANCE)
    how = "exactly" if exact else f"within tolerance {FLOAT_TOLERANCE:g}"
    solvable = survivors == [[s] for s in profile]
    order = _elimination_order(game, rounds)
    result = find_equilibria(numeric)
    found, others = other_equilibria(game, result, profile)
    complete = result.complete and not result.components
    enumerated_unique = complete and found and not others
    if solvable:
        text = (f"checked {how}: iterated elimination of strictly dominated strategies (margin "
                f"{margin}) leaves only the target ({order}), so it is the only equilibrium, "
                "mixed ones included")
        if complete:
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


def _explain(problem: ImplementationProblem) -> str:
    """Which strategies survive even the controls that eliminate the most."""
    game, profile = problem.game, problem.profile
    model = _build(problem, require_all=False)
    if lp_solver.run_checked(model.problem, problem.solver).status != OPTIMAL:
        return "no order of elimination removes every other strategy within the control bounds"
    standing = [f"{game.players[i]}'s {game.strategies[i][s]}" for i, row in enumerate(model.gone)
                for s, by_round in enumerate(row)
                if s != profile[i] and round(model.value(by_round[-1])) == 0]
    return explain.not_eliminated(standing, problem.margin)


def _explain_failure(problem: ImplementationProblem, status: str) -> str:
    if status != INFEASIBLE:
        return explain.solver_stopped(status)
    budget = problem.game.spec.budget
    if budget is not None:
        unlimited = _unique_profile(problem.without_budget())
        if unlimited.cost is not None:
            return explain.over_budget(budget, unlimited.cost)
    return _explain(problem) + _reach_note(problem)


def _unique_profile(problem: ImplementationProblem) -> ImplementationResult:
    """The IESDS MILP for one full profile, verified: an ImplementationResult."""
    game, solver = problem.game, problem.solver
    model = _build(problem)
    info = lp_solver.run_checked(model.problem, solver)
    common = dict(game=game.name, target=problem.target_names, robust="unique",
                  margin=problem.margin, transfers={}, scenarios=0, confidence=1.0,
                  scenarios_satisfied=None, solver=solver.name, seconds=info.seconds)
    if not has_solution(info.status):
        return ImplementationResult(status=info.status, controls={}, cost=None,
                                    explanation=_explain_failure(problem, info.status),
                                    verified=False, verification="", other_equilibria=[], **common)
    floats = {name: v.value() for name, v in model.pulp_variables.items()}
    solution = exact_solution(model.lp, floats) if problem.exact_inputs else None
    if info.status == OPTIMAL and problem.controls:
        solution, floats = settle_free_controls(model.lp, solution, floats, problem.controls,
                                                model.variables, solver, problem.exact_inputs)
    chosen = chosen_controls(problem.controls, model.variables, solution, floats)
    verified, others, text = _check(game, problem.base, problem.profile, chosen, problem.margin)
    text += _reach_note(problem)
    if solution is None or not solution.certified:
        text += "; optimal in floating point, exact optimality not certified"
    return ImplementationResult(status=info.status, controls=chosen, cost=exact_cost(game, chosen),
                                explanation="", verified=verified, verification=text,
                                other_equilibria=others, **common)


def _proven_unique(game, policies, values, margin) -> list[ImplementationResult]:
    """The equilibrium policies under which re-solving proves the target unique."""
    base = game.values_with(values)
    proven = []
    for result in policies:
        if result is None or result.cost is None:
            continue
        profile = profile_key(game, result.target)
        verified, others, text = _check(game, base, profile, result.controls, margin)
        if verified:
            proven.append(dataclasses.replace(
                result, robust="unique", margin=margin, verified=True, verification=text,
                other_equilibria=others, cost=exact_cost(game, result.controls)))
    return proven


def _lower_bound_note(best: ImplementationResult, bound) -> str:
    if bound is not None and best.cost <= bound:
        return (f"; its cost equals the cost of making the target an equilibrium at all "
                f"({bound}), so this is the cheapest possible policy")
    return (f"; the cost of making the target an equilibrium at all is {bound}, so a cheaper "
            "policy that gives uniqueness without dominance-solvability may exist"
            if bound is not None else "")


def cheapest_unique(game: SymbolicGame, target: Mapping[str, str],
                    values: Mapping[str, object] | None, margin: Fraction, solver,
                    equilibrium_policies: Callable[[], Sequence[ImplementationResult | None]]):
    """Cheapest controls under which ``target`` is the only equilibrium, verified.

    ``target`` may leave players free (every completion is tried). The ``nash`` and
    ``strict`` optimal policies (``equilibrium_policies()``, in that order; None where
    the solver failed) are candidates too when re-solving proves the target unique
    there; the cheapest candidate is returned. ``lower_bound`` is the ``nash`` cost: no
    policy making the target the only equilibrium can cost less.
    """
    if margin <= 0:
        raise ModelError("--robust unique needs a positive --margin (strict dominance)")
    candidates = [_unique_profile(ImplementationProblem(game, p, values, "unique", margin,
                                                        solver=solver))
                  for p in completions(game, target)]
    policies = equilibrium_policies()
    lower = policies[0]
    candidates += _proven_unique(game, policies, values, margin)
    feasible = [r for r in candidates if r.cost is not None and r.verified] or \
        [r for r in candidates if r.cost is not None]
    bound = lower.cost if lower is not None else None
    if not feasible:
        first = candidates[0]
        explanation = explain.per_completion(candidates) if len(candidates) > 1 else first.explanation
        status = (INFEASIBLE if all(r.status == INFEASIBLE for r in candidates)
                  else next(r.status for r in candidates if r.status != INFEASIBLE))
        return dataclasses.replace(first, target=first.target if len(candidates) == 1 else dict(target),
                                   status=status, explanation=explanation, lower_bound=bound,
                                   seconds=sum(r.seconds for r in candidates))
    best = min(feasible, key=lambda r: (float(r.cost), profile_key(game, r.target)))
    return dataclasses.replace(best, verification=best.verification + _lower_bound_note(best, bound),
                               lower_bound=bound)

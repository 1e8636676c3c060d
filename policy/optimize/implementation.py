"""The cheapest policy making a target profile an equilibrium (mode ``implement``).

Choose control values within their bounds (and the game's ``budget``) that minimise
the regulator's cost ``Σ cost·control + Σ fixed_cost·[control ≠ 0]`` such that a
target profile is a Nash equilibrium (``nash``), a strict one with margin ε
(``strict``), a dominant-strategy equilibrium with margin ε (``dominant``), the
only equilibrium (``unique``, :mod:`policy.optimize.uniqueness`), or the equilibrium
selected by risk dominance or the logit limit (``risk-dominant``, ``logit``; exactly
for 2×2 games, :mod:`policy.optimize.selection_target`, by a bounded search otherwise,
:mod:`policy.optimize.selection_search`). Optional transfers
(k-implementation, Monderer & Tennenholtz, JAIR 2004): non-negative promised payments
per outcome, paid only at the outcome reached. Optional sampled scenarios of uncertain
parameters: the policy must work in every scenario, or in a given fraction of them.

One :class:`~policy.optimize.problem.ImplementationProblem` per full profile is built
into one exact (MI)LP from these blocks, each a small function:

* controls, fixed-cost switches and cost (:func:`policy.optimize.controls.control_variables`);
* transfers (:func:`_transfer_variables`, :func:`_pay_transfers_at_target`);
* the budget (:func:`policy.optimize.controls.add_budget`);
* per scenario, an optional "this scenario counts" switch and the incentive rows:
  every deviation of :func:`deviation_rows` loses at least the margin
  (:func:`_scenario_rows`, :func:`_incentive_row`);
* enough scenarios (:func:`_enough_scenarios`).

The solution is recovered exactly, free controls are settled at their declared values,
the policy is verified by re-solving the game (:mod:`policy.optimize.verify`), and a
failure is explained (:mod:`policy.optimize.explain`). With a strict margin, the
margin-0 optimum gives the threshold where the requirement starts.

Examples
--------
>>> import policy
>>> result = cheapest_implementation(policy.load("inspection"),
...                                  {"regulator": "trust", "platform": "comply"})
>>> result.status, result.cost, result.verified
('optimal', Fraction(4, 1), True)
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from fractions import Fraction
from typing import Mapping

from ..errors import ModelError, SolverError
from ..limits import exceeded, limit
from ..symbolic import SymbolicGame
from . import explain
from . import solver as lp_solver
from .controls import add_budget, chosen_controls, control_variables, settle_free_controls
from .exact_lp import LinearProgramBuilder, exact_solution, to_pulp
from .problem import (DEFAULT_MARGIN, ROBUSTNESS, ImplementationProblem, completions,
                      profile_index, profile_key)
from .results import ImplementationResult, StrictThreshold
from .solver import DEFAULT_SOLVER, SolverOptions
from .status import INFEASIBLE, OPTIMAL, UNBOUNDED, has_solution, with_solution, without_solution
from .selection_target import SELECTION_ROBUSTNESS, cheapest_selected
from .uniqueness import cheapest_unique
from .verify import verify_implementation

__all__ = ["cheapest_implementation", "implement_profile", "deviation_rows"]


def cheapest_implementation(game: SymbolicGame, target: Mapping[str, str],
                            values: Mapping[str, object] | None = None, *, robust: str = "nash",
                            margin: Fraction | float | None = None, transfers: bool = False,
                            scenarios: int = 0, seed: int = 0, confidence: float = 1.0,
                            solver: SolverOptions = DEFAULT_SOLVER,
                            threshold: bool = True, basin_share=None) -> ImplementationResult:
    """Cheapest controls (and transfers) making ``target`` an equilibrium.

    ``target`` maps player names to strategies; players left out are free (every
    completion is tried and the cheapest kept). ``threshold``: with a strict margin,
    also solve the margin-0 LP for :attr:`ImplementationResult.threshold` (turn off
    where only the policy is wanted, e.g. a policy map over a grid). ``basin_share``
    (``basin`` only; default 9/10) and ``seed`` (its starting points) are described in
    :func:`policy.optimize.selection_target.cheapest_selected`.
    """
    if robust not in ROBUSTNESS:
        raise ModelError(f"unknown robustness '{robust}'; choose one of {', '.join(ROBUSTNESS)}")
    if not 0 < confidence <= 1:
        raise ModelError(f"confidence must be in (0, 1], got {confidence}")
    if scenarios > limit("scenarios"):
        raise ModelError(f"--scenarios {scenarios} is too many; at most {limit('scenarios')} "
                         f"are allowed ({exceeded('scenarios')})")
    margin = Fraction(margin) if margin is not None else (
        Fraction(0) if robust == "nash" else DEFAULT_MARGIN)
    if robust in SELECTION_ROBUSTNESS:
        if transfers or scenarios:
            raise ModelError(f"--robust {robust} cannot be combined with transfers or scenarios")
        return cheapest_selected(game, target, values, robust=robust, margin=margin,
                                 solver=solver, basin_share=basin_share, seed=seed)
    if basin_share is not None:
        raise ModelError("--basin-share applies only to --robust basin")
    if robust == "unique":
        if transfers or scenarios:
            raise ModelError("--robust unique cannot be combined with transfers or scenarios")
        return cheapest_unique(game, target, values, margin, solver,
                               lambda: _equilibrium_policies(game, target, values, margin, solver))
    problems = [ImplementationProblem(game, profile, values, robust, margin, transfers, scenarios,
                                      seed, confidence, solver)
                for profile in completions(game, target)]
    results = [implement_profile(problem) for problem in problems]
    feasible = [r for r in results if r.cost is not None]
    statuses = [r.status for r in results]
    if feasible:
        best = min(feasible, key=lambda r: (r.cost, profile_key(game, r.target)))
        return dataclasses.replace(best, status=with_solution(statuses),
                                   threshold=_strict_threshold(game, best, values, transfers, solver)
                                   if threshold else None)
    if len(results) == 1:
        return results[0]
    return ImplementationResult(game.name, dict(target), robust, margin, without_solution(statuses),
                                {}, {}, None, explain.no_completion(results), False, "", [],
                                scenarios, confidence, None, solver.name,
                                sum(r.seconds for r in results))


def _equilibrium_policies(game, target, values, margin, solver) -> list[ImplementationResult | None]:
    """The ``nash`` and ``strict`` optimal policies, candidates for ``unique`` (None where
    the solver failed, e.g. CBC on an unbounded LP)."""
    policies = []
    for robust in ("nash", "strict"):
        try:
            policies.append(cheapest_implementation(game, target, values, robust=robust,
                                                    margin=margin if robust == "strict" else None,
                                                    solver=solver))
        except SolverError:  # e.g. CBC on an unbounded LP: no candidate, no lower bound
            policies.append(None)
    return policies


# --------------------------------------------------------------------------------------
# the LP, block by block
# --------------------------------------------------------------------------------------

def deviation_rows(shape, target, robust):
    """(player, deviation, profile_at, profile_away) pairs that must not pay."""
    rows = []
    n = len(shape)
    for i in range(n):
        if robust == "dominant":
            others = itertools.product(*(range(shape[j]) if j != i else [target[i]] for j in range(n)))
            contexts = list(others)
        else:
            contexts = [tuple(target)]
        for context in contexts:
            for d in range(shape[i]):
                if d == target[i]:
                    continue
                away = list(context)
                away[i] = d
                rows.append((i, d, tuple(context), tuple(away)))
    return rows


def _transfer_variables(lp: LinearProgramBuilder, problem: ImplementationProblem) -> dict:
    """A non-negative promised payment per outcome and player (when transfers are on)."""
    payment = {}
    if problem.transfers:
        ceiling = 4 * problem.scale + problem.margin + 1
        shape = problem.shape
        for k, p in enumerate(itertools.product(*(range(s) for s in shape))):
            for i in range(len(shape)):
                payment[(k, i)] = lp.variable(f"transfer_{i}_{'_'.join(map(str, p))}", 0, ceiling)
    return payment


def _pay_transfers_at_target(cost: dict, problem: ImplementationProblem, payment: dict) -> None:
    """Only the transfers promised at the target are paid (the outcome reached)."""
    if problem.transfers:
        target_index = profile_index(problem.shape, problem.profile)
        cost.update({payment[(target_index, i)]: Fraction(1) for i in range(len(problem.shape))})


def _incentive_row(problem: ImplementationProblem, w: int, row, variables, payment):
    """Player i's gain from staying rather than deviating, in scenario w, as
    (terms, constant, name): the row is ``terms + constant >= margin``."""
    i, d, at, away = row
    affine, game, shape = problem.affine, problem.game, problem.shape
    k_at, k_away = profile_index(shape, at), profile_index(shape, away)
    constant = Fraction(affine.constant[w][k_at][i]) - Fraction(affine.constant[w][k_away][i])
    terms = [(variables[n], Fraction(a) - Fraction(b)) for n, a, b in zip(
        affine.controls, affine.coefficient[w][k_at][i], affine.coefficient[w][k_away][i])]
    if problem.transfers:
        terms += [(payment[(k_at, i)], Fraction(1)), (payment[(k_away, i)], Fraction(-1))]
    label = (f"ic_{game.players[i]}_to_{game.strategies[i][d]}"
             + ("_vs_" + "_".join(game.strategies[j][at[j]] for j in range(len(at)) if j != i)
                if problem.robust == "dominant" else "")
             + (f"_scenario_{w}" if len(problem.scenario_values) > 1 else ""))
    return terms, constant, label


def _scenario_rows(lp: LinearProgramBuilder, problem: ImplementationProblem, w: int, rows,
                   variables, payment):
    """Scenario w's incentive rows; when only a share of the scenarios must hold, they
    are switched off by a binary "scenario w counts" (returned, else None)."""
    use = None
    if problem.required < len(problem.scenario_values):
        use = lp.variable(f"scenario_{w}_counts", 0, 1, integer=True)
    margin = problem.margin
    for row in rows:
        terms, constant, label = _incentive_row(problem, w, row, variables, payment)
        if use is None:
            lp.add(terms, ">=", margin - constant, label)
        else:
            big = 4 * problem.scale * (1 + len(problem.affine.controls)) + margin + 1
            lp.add(terms + [(use, -big)], ">=", margin - constant - big, label)
    return use


def _enough_scenarios(lp: LinearProgramBuilder, problem: ImplementationProblem, counted) -> None:
    if counted:
        lp.add({u: 1 for u in counted}, ">=", problem.required, "enough_scenarios")


def _implementation_lp(problem: ImplementationProblem, rows):
    """The exact MILP of ``problem``: (model, control variables, transfer variables)."""
    lp = LinearProgramBuilder()
    variables, total_cost = control_variables(lp, problem.controls)
    payment = _transfer_variables(lp, problem)
    _pay_transfers_at_target(total_cost, problem, payment)
    add_budget(lp, problem.game, total_cost)
    counted = [_scenario_rows(lp, problem, w, rows, variables, payment)
               for w in range(len(problem.scenario_values))]
    _enough_scenarios(lp, problem, [u for u in counted if u is not None])
    return lp.build(total_cost, maximize=False), variables, payment


# --------------------------------------------------------------------------------------
# solving one profile
# --------------------------------------------------------------------------------------

def implement_profile(problem: ImplementationProblem) -> ImplementationResult:
    """The cheapest policy for one full profile, verified (or explained when none exists)."""
    game = problem.game
    rows = deviation_rows(problem.shape, problem.profile, problem.robust)
    model, variables, payment = _implementation_lp(problem, rows)
    pulp_problem, pulp_variables = to_pulp(model, "implementation")
    info = lp_solver.run(pulp_problem, problem.solver)
    common = dict(game=game.name, target=problem.target_names, robust=problem.robust,
                  margin=problem.margin, scenarios=problem.scenarios,
                  confidence=problem.confidence, solver=problem.solver.name, seconds=info.seconds)
    if not has_solution(info.status):
        return ImplementationResult(status=info.status, controls={}, transfers={}, cost=None,
                                    explanation=_explain_failure(problem, rows, info.status),
                                    verified=False, verification="", other_equilibria=[],
                                    scenarios_satisfied=None, **common)
    floats = {name: v.value() for name, v in pulp_variables.items()}
    solution = exact_solution(model, floats) if problem.exact_inputs else None
    if info.status == OPTIMAL and problem.controls:
        solution, floats = settle_free_controls(model, solution, floats, problem.controls,
                                                variables, problem.solver, problem.exact_inputs)
    chosen = chosen_controls(problem.controls, variables, solution, floats)
    if solution is not None:
        cost = model.value(solution.values)  # recomputed from the exact controls
    else:
        cost = float(sum(float(c) * float(floats[v] or 0.0) for v, c in model.objective))
    promised = {key: solution.values[name] if solution is not None else float(floats[name] or 0.0)
                for key, name in payment.items()}
    verified, verification, others, satisfied = verify_implementation(
        game, problem.base, problem.profile, chosen, problem.scenario_values, problem.robust,
        problem.margin, {key: amount for key, amount in promised.items() if amount},
        problem.required)
    if solution is None or not solution.certified:
        verification += "; optimal in floating point, exact optimality not certified"
    return ImplementationResult(status=info.status, controls=chosen,
                                transfers=_paid_at_target(problem, promised), cost=cost,
                                explanation="", verified=verified, verification=verification,
                                other_equilibria=others, scenarios_satisfied=satisfied, **common)


def _paid_at_target(problem: ImplementationProblem, promised) -> dict:
    """The transfers paid at the target outcome, as {"s1/s2": {player: amount}}."""
    target_index = profile_index(problem.shape, problem.profile)
    paid: dict = {}
    for i, player in enumerate(problem.game.players):
        amount = promised.get((target_index, i))
        if amount:
            paid.setdefault("/".join(problem.target_names.values()), {})[player] = amount
    return paid


def _explain_failure(problem: ImplementationProblem, rows, status: str) -> str:
    if status == UNBOUNDED:
        return explain.unbounded(problem.game)
    if status != INFEASIBLE:
        return explain.solver_stopped(status)
    budget = problem.game.spec.budget
    if budget is not None:
        unlimited = implement_profile(problem.without_budget()).cost
        if unlimited is not None:
            return explain.over_budget(budget, unlimited)
    return explain.undeterred_deviations(problem.game, _undeterred(problem, rows), problem.robust,
                                         problem.margin, bool(problem.controls), problem.scenarios)


def _undeterred(problem: ImplementationProblem, rows) -> list[tuple[int, int, tuple, float]]:
    """Deviations some scenario leaves profitable (by less than the margin) whatever the
    controls within their bounds, with the best gain reached: (i, d, at, best)."""
    if problem.transfers:  # transfers can deter any single deviation
        return []
    affine, shape, controls, margin = problem.affine, problem.shape, problem.controls, problem.margin
    undeterred = []
    for i, d, at, away in rows:
        for w in range(len(affine.constant)):
            k_at, k_away = profile_index(shape, at), profile_index(shape, away)
            best = float(affine.constant[w][k_at][i]) - float(affine.constant[w][k_away][i])
            for name, a, b in zip(affine.controls, affine.coefficient[w][k_at][i],
                                  affine.coefficient[w][k_away][i]):
                c = float(a) - float(b)
                low, high = (float(v) for v in controls[name].bounds) if controls[name].bounds \
                    else (-math.inf, math.inf)
                best += max(c * low, c * high) if c else 0
            if best < float(margin) - 1e-12:
                undeterred.append((i, d, at, best))
                break
    return undeterred


# --------------------------------------------------------------------------------------
# where a strict requirement starts
# --------------------------------------------------------------------------------------

def _strict_threshold(game, best: ImplementationResult, values, transfers,
                      solver) -> StrictThreshold | None:
    """The margin-0 infimum beside a strict/dominant answer; None when it does not apply
    (nash, no margin, no answer) or is not computed (scenarios, transfers: the
    indifferences would involve sampled or promised payoffs)."""
    if best.robust == "nash" or not best.margin or best.cost is None or best.scenarios \
            or transfers:
        return None
    profile = profile_key(game, best.target)
    problem = ImplementationProblem(game, profile, values, best.robust, Fraction(0), solver=solver)
    zero = implement_profile(problem)
    if zero.cost is None:
        return None
    indifferent = _indifferent_at(problem, zero.controls)
    return explain.describe_threshold(best.controls, zero.controls, indifferent, best.margin,
                                      "cost", best.cost, zero.cost)


def _indifferent_at(problem: ImplementationProblem, controls) -> list[str]:
    """Who is indifferent (gains nothing by deviating) at the margin-0 controls."""
    game, shape, affine, profile = problem.game, problem.shape, problem.affine, problem.profile
    indifferent = []
    for i, d, at, away in deviation_rows(shape, profile, problem.robust):
        k_at, k_away = profile_index(shape, at), profile_index(shape, away)
        gain = affine.constant[0][k_at][i] - affine.constant[0][k_away][i] + sum(
            (a - b) * controls.get(n, 0) for n, a, b in zip(
                affine.controls, affine.coefficient[0][k_at][i], affine.coefficient[0][k_away][i]))
        if gain <= 0:
            against = ("" if problem.robust != "dominant" else " against " + "/".join(
                game.strategies[j][at[j]] for j in range(len(at)) if j != i))
            text = (f"{game.players[i]} is indifferent between {game.strategies[i][profile[i]]} "
                    f"and {game.strategies[i][d]}{against}")
            if text not in indifferent:
                indifferent.append(text)
    return indifferent

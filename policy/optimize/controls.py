"""The control-variable block shared by every ``implement`` LP, and reading it back.

:func:`control_variables` adds one variable per control (its bounds and type), an
on/off switch per fixed cost and returns the regulator's cost
``Σ cost·control + Σ fixed_cost·[control ≠ 0]``; :func:`add_budget` caps it.
After the solve, :func:`settle_free_controls` moves controls that do not affect the
cost back towards their declared values, and :func:`chosen_controls` reads the
controls (exact where the LP was solved exactly).

Examples
--------
>>> import policy
>>> from policy.optimize.exact_lp import LinearProgramBuilder
>>> from policy.optimize.problem import control_specs
>>> lp = LinearProgramBuilder()
>>> control_variables(lp, control_specs(policy.load("inspection")))
({'subsidy': 'control_subsidy'}, {'control_subsidy': Fraction(1, 1)})
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any, Mapping

from ..errors import ModelError
from ..symbolic import SymbolicGame
from . import solver as lp_solver
from .exact_lp import (Constraint, ExactSolution, LinearProgram, LinearProgramBuilder, Variable,
                       exact_solution, to_pulp)
from .status import OPTIMAL

__all__ = ["control_variables", "add_budget", "settle_free_controls",
           "chosen_controls", "exact_cost"]


def control_variables(lp: LinearProgramBuilder, controls: Mapping[str, Any],
                      reach: Fraction | None = None) -> tuple[dict[str, str], dict[str, Fraction]]:
    """One variable per control (its bounds and type; ``±reach`` when it has no bounds
    and ``reach`` is given), an on/off switch per fixed cost, and the regulator's cost
    ``Σ cost·control + Σ fixed_cost·[control ≠ 0]`` as coefficients by variable name."""
    variables: dict[str, str] = {}
    cost: dict[str, Fraction] = {}

    def pay(name: str, amount) -> None:
        cost[name] = cost.get(name, Fraction(0)) + Fraction(amount)

    for name, control in controls.items():
        low, high = control.bounds if control.bounds else (
            (None, None) if reach is None else (-reach, reach))
        if control.type == "binary":
            low, high = 0, 1
        variables[name] = lp.variable(f"control_{name}", low, high,
                                      integer=control.type != "continuous")
        if control.cost:
            pay(variables[name], control.cost)
    for name, control in controls.items():
        if not control.fixed_cost:
            continue
        if control.type == "binary":
            pay(variables[name], control.fixed_cost)
            continue
        if control.bounds is None:
            raise ModelError(f"control '{name}' has a fixed_cost but no bounds; give it "
                             "bounds: [low, high]")
        low, high = (Fraction(b) for b in control.bounds)
        switch = lp.variable(f"on_{name}", 0, 1, integer=True)
        lp.add({variables[name]: 1, switch: -high}, "<=", 0, f"fixed_cost_switch_upper_{name}")
        lp.add({variables[name]: 1, switch: -low}, ">=", 0, f"fixed_cost_switch_lower_{name}")
        pay(switch, control.fixed_cost)
    return variables, cost


def add_budget(lp: LinearProgramBuilder, game: SymbolicGame, cost: Mapping[str, Fraction]) -> None:
    """The cost stays within the game's ``budget`` (when it declares one)."""
    if game.spec.budget is not None:
        lp.add(cost, "<=", Fraction(game.spec.budget), "budget")


def settle_free_controls(model: LinearProgram, solution: ExactSolution | None, floats, controls,
                         variables, solver, exact_inputs):
    """Second stage: keep the optimal cost, move controls as little as possible from their
    declared values (so a free instrument is not set to an arbitrary level).

    Returns the (exact solution, float values) of the second stage, or the first
    stage's when the second gives no better-founded answer."""
    best = solution.objective if solution is not None else Fraction(
        sum(float(c) * float(floats[v] or 0.0) for v, c in model.objective))
    extra = [Constraint("keep_optimal_cost", model.objective, "<=", best)]
    moves, objective = [], []
    for name, control in controls.items():
        width = Fraction(control.bounds[1] - control.bounds[0]) if control.bounds else Fraction(1)
        move = f"move_{name}"
        moves.append(Variable(move, Fraction(0)))
        value = Fraction(control.value)
        extra.append(Constraint(f"move_up_{name}", ((move, Fraction(1)), (variables[name], Fraction(-1))),
                                ">=", -value))
        extra.append(Constraint(f"move_down_{name}", ((move, Fraction(1)), (variables[name], Fraction(1))),
                                ">=", value))
        objective.append((move, 1 / (width or 1)))
    second = model.with_constraints(extra, moves, objective)
    slack = {"keep_optimal_cost": 1e-9 * max(1.0, abs(float(best)))}
    problem, pulp_variables = to_pulp(second, "implementation_settle", slack)
    if lp_solver.run(problem, solver).status != OPTIMAL:  # keep the first-stage answer
        return solution, floats
    second_floats = {name: v.value() for name, v in pulp_variables.items()}
    if not exact_inputs:
        return None, second_floats
    settled = exact_solution(second, second_floats)
    if settled is None:
        return solution, floats
    first_stage = {v.name: settled.values[v.name] for v in model.variables}
    certified = solution is not None and solution.certified  # the cost is the proven optimum
    return ExactSolution(first_stage, model.value(first_stage), certified, settled.method), \
        second_floats


def chosen_controls(controls: Mapping[str, Any], variables: Mapping[str, str],
                    solution: ExactSolution | None, floats) -> dict[str, Fraction | float]:
    """The control values of a solved LP: integers rounded, continuous ones exact when
    the LP was solved exactly, else floats."""
    chosen: dict[str, Fraction | float] = {}
    for name, control in controls.items():
        variable = variables[name]
        if control.type != "continuous":
            chosen[name] = Fraction(round(floats[variable] or 0))
        else:
            chosen[name] = (solution.values[variable] if solution is not None
                            else float(floats[variable] or 0.0))
    return chosen


def exact_cost(game: SymbolicGame, chosen) -> Fraction:
    """Σ cost·control + Σ fixed_cost·[control ≠ 0], from the exact control values."""
    total = Fraction(0)
    for control in game.spec.controls:
        value = Fraction(chosen[control.name])
        total += Fraction(control.cost) * value
        if control.fixed_cost and value != 0:
            total += Fraction(control.fixed_cost)
    return total

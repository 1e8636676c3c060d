"""SymbolicGame + target/controls → policy results, with PuLP.

Two questions a regulator asks, each solved exactly as a (mixed-integer) linear
programme built from small named constraint blocks:

``optimal_commitment`` (mode ``commit``)
    The game's leader commits to a mixed strategy ``x`` over its strategies; the
    other players (followers) then play a pure Nash equilibrium of the induced
    game. Optimistic version (followers break ties in the leader's favour): one LP
    per follower profile ``f`` — maximise the leader's objective subject to ``f``
    being an equilibrium against ``x`` — best kept (Conitzer & Sandholm, EC 2006).
    Pessimistic version: one MILP per ``f`` that also requires every *other*
    follower profile either to be broken by a deviation that gains at least the
    margin, or to give the leader at least the guaranteed value.

``cheapest_implementation`` (mode ``implement``)
    Choose control values within their bounds (and the game's ``budget``) that
    minimise the regulator's cost ``Σ cost·control + Σ fixed_cost·[control ≠ 0]``
    such that a target profile is a Nash equilibrium (``nash``), a strict one with
    margin ε (``strict``), a dominant-strategy equilibrium with margin ε
    (``dominant``), or the only equilibrium (``unique``, :mod:`policy.uniqueness`:
    iterated elimination of dominated strategies as a MILP). Optional transfers
    (k-implementation, Monderer & Tennenholtz, JAIR 2004): non-negative promised
    payments per outcome, paid only at the outcome reached. Optional sampled
    scenarios of uncertain parameters: the policy must work in every scenario, or
    in a given fraction of them (one MILP).

Every answer is verified: the chosen controls (or commitment) are substituted back,
the game is solved again by :mod:`policy.equilibria`, and the result says whether
the target is an equilibrium and which other equilibria exist (the selection risk).

Solver statuses are mapped to our own strings: ``optimal``, ``infeasible``,
``unbounded``, ``time limit, best found``, ``time limit, no solution``,
``not solved``. PuLP reports "Optimal" for a MIP stopped by its time limit with a
solution; only ``sol_status`` tells them apart, and we use it. CBC stopped by its
time limit before any solution may call a MIP "Integer infeasible": a MIP reported
infeasible once its time limit has passed is ``time limit, no solution``.

Examples
--------
>>> import policy
>>> from policy.optimize import optimal_commitment
>>> result = optimal_commitment(policy.load("inspection"))
>>> result.commitment, result.followers, result.leader_value
({'inspect': Fraction(2, 7), 'trust': Fraction(5, 7)}, {'platform': 'comply'}, Fraction(-2, 7))
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import time
import warnings
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Mapping, Sequence

import numpy as np
import pulp
import sympy

from .best_response import is_pure_equilibrium
from .equilibria import EquilibriumSet, find_equilibria
from .exact_lp import (Constraint, ExactSolution, LinearProgram, LinearProgramBuilder, Variable,
                       exact_solution, to_pulp)
from .errors import ModelError, SolverError
from .gamefile import make_symbol
from .limits import exceeded, limit
from .numeric import FLOAT_TOLERANCE, to_fraction
from .symbolic import SymbolicGame

__all__ = [
    "SOLVERS",
    "ROBUSTNESS",
    "SolverOptions",
    "CommitmentResult",
    "ImplementationResult",
    "StrictThreshold",
    "optimal_commitment",
    "cheapest_implementation",
    "rank_profiles",
    "affine_payoffs",
    "sample_scenarios",
]

SOLVERS = {"cbc": "PULP_CBC_CMD", "highs": "HiGHS"}
ROBUSTNESS = ("nash", "strict", "dominant", "unique")
#: Default margin ε for strict/dominant implementation and pessimistic commitment.
DEFAULT_MARGIN = Fraction(1, 1000)


@dataclass(frozen=True)
class SolverOptions:
    """Which LP/MILP solver to use and how long it may run (seconds)."""

    name: str = "cbc"
    time_limit: float | None = None

    def make(self) -> pulp.LpSolver:
        if self.name not in SOLVERS:
            raise ModelError(f"unknown solver '{self.name}'; choose one of {', '.join(SOLVERS)}")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # PuLP 3.3 announces 4.0 changes
            solver = pulp.getSolver(SOLVERS[self.name], msg=False, timeLimit=self.time_limit)
        if not solver.available():
            hint = " (pip install highspy)" if self.name == "highs" else ""
            raise SolverError(f"solver '{self.name}' is not available on this machine{hint}")
        return solver


@dataclass(frozen=True)
class SolveInfo:
    status: str
    solver: str
    seconds: float = field(compare=False)


def _run(problem: pulp.LpProblem, options: SolverOptions) -> SolveInfo:
    solver = options.make()
    started = time.perf_counter()
    try:
        problem.solve(solver)
    except pulp.PulpSolverError as err:  # pragma: no cover - solver crashed
        raise SolverError(f"solver '{options.name}' failed: {err}") from None
    seconds = time.perf_counter() - started
    status, solution = problem.status, problem.sol_status
    if solution == pulp.LpSolutionOptimal or (status == pulp.LpStatusOptimal and solution == 0
                                              and not problem.isMIP()):
        text = "optimal"
    elif solution == pulp.LpSolutionIntegerFeasible:
        text = "time limit, best found"
    elif status == pulp.LpStatusInfeasible or solution == pulp.LpSolutionInfeasible:
        # CBC stopped by its time limit before finding a solution may say "Integer
        # infeasible": that is no proof, so it is not reported as one.
        stopped = (options.time_limit is not None and problem.isMIP()
                   and seconds >= options.time_limit)
        text = "time limit, no solution" if stopped else "infeasible"
    elif status == pulp.LpStatusUnbounded or solution == pulp.LpSolutionUnbounded:
        text = "unbounded"
    elif status == pulp.LpStatusNotSolved and options.time_limit is not None:
        text = "time limit, no solution"
    elif status == pulp.LpStatusOptimal:
        text = "optimal"
    else:
        text = "not solved"
    return SolveInfo(text, options.name, seconds)


def _number(value: Any) -> Fraction | float:
    fraction = to_fraction(value)
    if fraction is not None:
        return fraction
    return float(value)


# --------------------------------------------------------------------------------------
# payoffs as arrays
# --------------------------------------------------------------------------------------

def _profile_index(shape: Sequence[int], profile: Sequence[int]) -> int:
    index = 0
    for size, choice in zip(shape, profile):
        index = index * size + choice
    return index


def _objective_values(game: SymbolicGame, numeric_payoffs: list[list], objective: sympy.Expr | None,
                      leader: int, values: Mapping[str, sympy.Expr]) -> list:
    """The leader's objective at every pure profile (leader payoff by default)."""
    if objective is None:
        return [row[leader] for row in numeric_payoffs]
    substitution = {game.symbols[k]: v for k, v in values.items() if k in game.symbols}
    players = {name: make_symbol(name) for name in game.players}
    result = []
    for row in numeric_payoffs:
        expr = objective.xreplace(substitution)
        expr = expr.xreplace({players[p]: sympy.nsimplify(row[i]) if isinstance(row[i], float)
                              else sympy.Rational(row[i].numerator, row[i].denominator)
                              for i, p in enumerate(game.players)})
        if not expr.is_number:
            raise ModelError(f"objective {objective} does not evaluate to a number")
        result.append(_number(expr))
    return result


def _bound_payoffs(game: SymbolicGame, values: Mapping[str, sympy.Expr]) -> list[list]:
    numeric = game.bind(values)
    arrays = numeric.exact_payoffs if numeric.is_exact else numeric.payoffs
    flat = [a.reshape(-1) for a in arrays]
    return [[_number(flat[p][k]) for p in range(len(arrays))] for k in range(len(flat[0]))]


# --------------------------------------------------------------------------------------
# optimal commitment
# --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CommitmentCandidate:
    """The LP for one follower profile: its status and value."""

    followers: dict[str, str]
    status: str
    value: Fraction | float | None


@dataclass(frozen=True)
class CommitmentResult:
    """The leader's optimal commitment and everything needed to trust it."""

    game: str
    leader: str
    objective: str
    pessimistic: bool
    margin: Fraction
    status: str
    commitment: dict[str, Fraction | float]
    followers: dict[str, str]
    leader_value: Fraction | float | None
    exact: bool
    verified: bool
    verification: str
    best_pure: dict[str, Any]
    simultaneous: list[dict[str, Any]]
    candidates: tuple[CommitmentCandidate, ...]
    solver: str
    seconds: float = field(compare=False)
    mode: str = "commit"
    threshold: "StrictThreshold | None" = None

    @property
    def value_of_commitment(self) -> Fraction | float | None:
        """Commitment value minus the leader's best value in a simultaneous equilibrium."""
        values = [s["leader_value"] for s in self.simultaneous]
        if self.leader_value is None or not values:
            return None
        return self.leader_value - max(values)

    def _repr_html_(self) -> str:  # notebooks: the section a report shows
        from .report.html import result_html

        return result_html(self)


def _follower_profiles(shape: Sequence[int], leader: int) -> list[tuple[int, ...]]:
    others = [range(k) for i, k in enumerate(shape) if i != leader]
    return list(itertools.product(*others))


def _full_profile(leader: int, leader_choice: int, followers: Sequence[int]) -> tuple[int, ...]:
    result = list(followers)
    result.insert(leader, leader_choice)
    return tuple(result)


def _commitment_lp(shape, payoffs, objective_values, leader, follower_profile, margin,
                   pessimistic, all_profiles) -> tuple[LinearProgram, list[str]]:
    """One LP (a MILP when pessimistic) for a follower profile, with exact coefficients;
    returns it and the names of the commitment probabilities."""
    m = shape[leader]
    followers = [i for i in range(len(shape)) if i != leader]
    lp = LinearProgramBuilder()
    x = [lp.variable(f"x_{s}", 0, 1) for s in range(m)]
    lp.add({xs: 1 for xs in x}, "==", 1, "probabilities_sum_to_one")

    def expected(player_or_objective, profile_of_followers):
        coefficients = []
        for s in range(m):
            index = _profile_index(shape, _full_profile(leader, s, profile_of_followers))
            if player_or_objective == "objective":
                coefficients.append(Fraction(objective_values[index]))
            else:
                coefficients.append(Fraction(payoffs[index][player_or_objective]))
        return coefficients

    def deviation_gain(i, profile_of_followers, deviation):
        """Coefficients (per leader strategy) of follower i's gain from deviating."""
        position = followers.index(i)
        moved = list(profile_of_followers)
        moved[position] = deviation
        at = expected(i, profile_of_followers)
        away = expected(i, tuple(moved))
        return [a - b for a, b in zip(away, at)]

    # incentive constraints: no follower gains by deviating from the chosen profile
    for position, i in enumerate(followers):
        for deviation in range(shape[i]):
            if deviation == follower_profile[position]:
                continue
            gain = deviation_gain(i, follower_profile, deviation)
            lp.add(zip(x, gain), "<=", -margin, f"ic_follower{i}_to_{deviation}")
    value_terms = dict(zip(x, expected("objective", follower_profile)))
    if not pessimistic or len(followers) == 1 and margin > 0:
        # one follower with a strict margin: its response is unique, nothing else to rule out
        return lp.build(value_terms, maximize=True), x
    value = lp.variable("guaranteed_value")
    lp.add([(value, Fraction(1))] + [(v, -c) for v, c in value_terms.items()], "<=", 0,
           "value_at_chosen_profile")
    spread = max(abs(Fraction(v)) for row in payoffs for v in row) * 2 + \
        max(abs(Fraction(v)) for v in objective_values) * 2 + margin + 1
    for g in all_profiles:
        if g == follower_profile:
            continue
        tag = "_".join(map(str, g))
        ok = lp.variable(f"z_{tag}_leader_ok", 0, 1, integer=True)
        breakers = []
        # value <= objective at g + 2·spread·(1 - ok)
        lp.add([(value, Fraction(1)), (ok, 2 * spread)]
               + [(xs, -c) for xs, c in zip(x, expected("objective", g))], "<=", 2 * spread,
               f"pessimistic_value_at_{tag}")
        for position, i in enumerate(followers):
            for deviation in range(shape[i]):
                if deviation == g[position]:
                    continue
                z = lp.variable(f"z_{tag}_f{i}_to_{deviation}", 0, 1, integer=True)
                breakers.append(z)
                gain = deviation_gain(i, g, deviation)
                # gain >= margin - 2·spread·(1 - z)
                lp.add(list(zip(x, gain)) + [(z, -2 * spread)], ">=", margin - 2 * spread,
                       f"break_{tag}_f{i}_to_{deviation}")
        lp.add({ok: 1, **{z: 1 for z in breakers}}, ">=", 1, f"either_{tag}_broken_or_acceptable")
    return lp.build({value: 1}, maximize=True), x


def _expected_value(vector, shape, table, leader, followers_profile, column=None):
    total = 0
    for s, p in enumerate(vector):
        index = _profile_index(shape, _full_profile(leader, s, followers_profile))
        total += p * (table[index] if column is None else table[index][column])
    return total


def _is_follower_equilibrium(vector, shape, payoffs, leader, profile, margin, exact) -> bool:
    followers = [i for i in range(len(shape)) if i != leader]
    for position, i in enumerate(followers):
        here = _expected_value(vector, shape, payoffs, leader, profile, i)
        for deviation in range(shape[i]):
            if deviation == profile[position]:
                continue
            moved = list(profile)
            moved[position] = deviation
            there = _expected_value(vector, shape, payoffs, leader, tuple(moved), i)
            if exact:
                if there > here - margin:
                    return False
            elif float(there) > float(here) - float(margin) + FLOAT_TOLERANCE:
                return False
    return True


def optimal_commitment(game: SymbolicGame, values: Mapping[str, object] | None = None, *,
                       leader: str | None = None, pessimistic: bool = False,
                       margin: Fraction | float | None = None,
                       solver: SolverOptions = SolverOptions(),
                       compare: bool = True) -> CommitmentResult:
    """The leader's best mixed commitment when followers then play a pure equilibrium.

    Parameters
    ----------
    game : SymbolicGame
        Its ``leader`` (or ``leader=``) commits; everyone else follows.
    values : overrides of parameter and control values.
    pessimistic : bool
        Guarantee the value whatever pure equilibrium the followers pick.
    margin : number
        Followers' preference for the chosen response must be strict by this much
        (default 0 when optimistic, :data:`DEFAULT_MARGIN` when pessimistic).
    compare : bool
        Also solve the simultaneous-move game and the best pure commitment (the value
        of commitment); turn off to time the LPs alone.
    """
    spec = game.spec
    leader_name = leader or spec.leader
    if leader_name is None:
        raise ModelError(f"{game.name} declares no leader, so --mode commit has no one to commit; "
                         f"add 'leader: PLAYER' to the file (players: {', '.join(game.players)})")
    if leader_name not in game.players:
        raise ModelError(f"leader '{leader_name}' is not a player; players: {', '.join(game.players)}")
    leader_index = game.players.index(leader_name)
    margin = Fraction(margin) if margin is not None else (DEFAULT_MARGIN if pessimistic else Fraction(0))
    all_values = game.values_with(values)
    payoffs = _bound_payoffs(game, all_values)
    objective_values = _objective_values(game, payoffs, spec.objective, leader_index, all_values)
    shape = game.shape
    profiles = _follower_profiles(shape, leader_index)
    followers = [i for i in range(len(shape)) if i != leader_index]
    exact_inputs = all(isinstance(v, Fraction) for row in payoffs for v in row) and \
        all(isinstance(v, Fraction) for v in objective_values)
    started = time.perf_counter()
    candidates = []
    best = None
    statuses = []
    certified = []
    for profile in profiles:
        lp, x = _commitment_lp(shape, payoffs, objective_values, leader_index, profile,
                               margin, pessimistic, profiles)
        problem, variables = to_pulp(lp, "commitment")
        info = _run(problem, solver)
        statuses.append(info.status)
        names = {game.players[i]: game.strategies[i][profile[k]] for k, i in enumerate(followers)}
        if info.status not in ("optimal", "time limit, best found"):
            candidates.append(CommitmentCandidate(names, info.status, None))
            continue
        floats = {name: v.value() for name, v in variables.items()}
        solution = exact_solution(lp, floats) if exact_inputs else None
        if solution is not None:
            vector = [solution.values[name] for name in x]
            certified.append(solution.certified)
        else:
            raw = [max(0.0, floats[name] or 0.0) for name in x]
            vector = [v / sum(raw) for v in raw]
            certified.append(False)
        achieved = _guaranteed_value(vector, shape, payoffs, objective_values, leader_index,
                                     profile, profiles, margin, pessimistic, exact_inputs)
        candidates.append(CommitmentCandidate(names, info.status, achieved))
        if achieved is not None and (best is None or achieved > best[0] + (0 if exact_inputs else 1e-12)):
            best = (achieved, vector, profile, info, certified[-1])
    seconds = time.perf_counter() - started
    simultaneous = _simultaneous(game, all_values, leader_index, objective_values) if compare else []
    best_pure = (_best_pure(game, shape, payoffs, objective_values, leader_index, profiles, pessimistic)
                 if compare else {})
    objective_text = str(spec.objective) if spec.objective is not None else f"{leader_name}'s payoff"
    if best is None:
        status = _status_without_solution(statuses)
        return CommitmentResult(game.name, leader_name, objective_text, pessimistic, margin, status,
                                {}, {}, None, exact_inputs, False,
                                "no follower profile can be induced by any commitment"
                                + (" with this margin" if margin else ""),
                                best_pure, simultaneous, tuple(candidates), solver.name, seconds)
    value, vector, profile, info, proven = best
    verified, verification = _verify_commitment(game, all_values, leader_index, vector, profile,
                                                margin, exact_inputs)
    if not proven:
        verification += "; optimal in floating point, exact optimality not certified"
    exact = exact_inputs and all(isinstance(p, Fraction) for p in vector)
    commitment = dict(zip(game.strategies[leader_index], vector))
    threshold = None
    if pessimistic and margin and exact:
        threshold = _commitment_threshold(game, values, leader_name, commitment, value, margin,
                                          solver)
    return CommitmentResult(
        game.name, leader_name, objective_text, pessimistic, margin,
        _status_with_solution(statuses), commitment,
        {game.players[i]: game.strategies[i][profile[k]] for k, i in enumerate(followers)},
        value, exact, verified, verification, best_pure, simultaneous, tuple(candidates),
        solver.name, seconds, threshold=threshold)


def _commitment_threshold(game, values, leader, commitment, value, margin, solver):
    """The margin-0 pessimistic commitment beside the one with a margin (exact inputs)."""
    zero = optimal_commitment(game, values, leader=leader, pessimistic=True, margin=0,
                              solver=solver, compare=False)
    if not zero.commitment or not zero.exact:
        return None
    leader_index = game.players.index(leader)
    shape = game.shape
    payoffs = _bound_payoffs(game, game.values_with(values))
    vector = [zero.commitment[s] for s in game.strategies[leader_index]]
    followers = [i for i in range(len(shape)) if i != leader_index]
    profile = tuple(game.strategies[i].index(zero.followers[game.players[i]]) for i in followers)
    indifferent = []
    for position, i in enumerate(followers):
        here = _expected_value(vector, shape, payoffs, leader_index, profile, i)
        for d in range(shape[i]):
            moved = list(profile)
            moved[position] = d
            if d != profile[position] and _expected_value(
                    vector, shape, payoffs, leader_index, tuple(moved), i) == here:
                indifferent.append(f"{game.players[i]} is indifferent between "
                                   f"{game.strategies[i][profile[position]]} and "
                                   f"{game.strategies[i][d]}")
    return _describe_threshold(commitment, zero.commitment, indifferent, margin, "leader value",
                               value, zero.leader_value)


def _status_without_solution(statuses: Sequence[str]) -> str:
    """No candidate LP gave a solution: "infeasible" only when every one was proven so."""
    unproven = [s for s in statuses if s != "infeasible"]
    return unproven[0] if unproven else "infeasible"


def _status_with_solution(statuses: Sequence[str]) -> str:
    """Some candidate gave a solution: "optimal" only when every other one was solved
    to optimality or proven infeasible (else the best found may not be the best)."""
    if all(s in ("optimal", "infeasible") for s in statuses):
        return "optimal"
    return "time limit, best found"


def _guaranteed_value(vector, shape, payoffs, objective_values, leader, profile, profiles, margin,
                      pessimistic, exact):
    value = _expected_value(vector, shape, objective_values, leader, profile)
    if not pessimistic:
        return value
    # recompute the pessimistic value: worst objective over every follower equilibrium
    worst = value
    for other in profiles:
        if other != profile and _is_follower_equilibrium(vector, shape, payoffs, leader, other,
                                                         0, exact):
            worst = min(worst, _expected_value(vector, shape, objective_values, leader, other))
    return worst


def _verify_commitment(game, values, leader, vector, profile, margin, exact) -> tuple[bool, str]:
    shape = game.shape
    payoffs = _bound_payoffs(game, values)
    if not _is_follower_equilibrium(vector, shape, payoffs, leader, profile, margin, exact):
        return False, "the followers' profile is not an equilibrium against the commitment"
    how = "exactly" if exact and all(isinstance(p, Fraction) for p in vector) else \
        f"within tolerance {FLOAT_TOLERANCE:g}"
    return True, (f"re-checked {how}: no follower gains by deviating"
                  + (f" (each by at least {margin})" if margin else ""))


def _simultaneous(game, values, leader, objective_values) -> list[dict[str, Any]]:
    result = find_equilibria(game.bind(values))
    shape = game.shape
    items = []
    for eq in result.equilibria:
        leader_value = 0
        for profile in itertools.product(*(range(k) for k in shape)):
            probability = 1
            for player, choice in enumerate(profile):
                probability *= eq.strategies[player][choice]
            if probability:
                leader_value += probability * objective_values[_profile_index(shape, profile)]
        items.append({"strategies": {p: dict(zip(game.strategies[i], eq.strategies[i]))
                                     for i, p in enumerate(game.players)},
                      "leader_value": leader_value})
    return items


def _best_pure(game, shape, payoffs, objective_values, leader, profiles, pessimistic):
    best = None
    for s in range(shape[leader]):
        vector = [Fraction(int(k == s)) for k in range(shape[leader])]
        equilibria = [f for f in profiles
                      if _is_follower_equilibrium(vector, shape, payoffs, leader, f, 0, True)]
        if not equilibria:
            continue
        values = [(objective_values[_profile_index(shape, _full_profile(leader, s, f))], f)
                  for f in equilibria]
        value, f = (min if pessimistic else max)(values, key=lambda item: item[0])
        if best is None or value > best[0]:
            best = (value, s, f)
    if best is None:
        return {}
    followers = [i for i in range(len(shape)) if i != leader]
    value, s, f = best
    return {"strategy": game.strategies[leader][s],
            "followers": {game.players[i]: game.strategies[i][f[k]] for k, i in enumerate(followers)},
            "leader_value": value}


# --------------------------------------------------------------------------------------
# cheapest implementation
# --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class AffinePayoffs:
    """Payoffs as ``constant + Σ coefficient·control`` at every profile, per scenario.

    ``constant[w][k][i]`` and ``coefficient[w][k][i][c]``: scenario w, profile k,
    player i, control c.
    """

    controls: tuple[str, ...]
    constant: list
    coefficient: list


def affine_payoffs(game: SymbolicGame, scenarios: Sequence[Mapping[str, sympy.Expr]]) -> AffinePayoffs:
    """Split every payoff into a constant and linear terms in the controls.

    Raises
    ------
    ModelError
        When a payoff is not affine in the controls (naming it and its line).
    """
    spec = game.spec
    controls = tuple(c.name for c in spec.controls)
    symbols = [game.symbols[c] for c in controls]
    parameter_names = [p.name for p in spec.parameters]
    pieces = []
    for profile, row in zip(spec.profiles(), spec.payoffs):
        per_player = []
        for player, expr in enumerate(row):
            gradient = [sympy.diff(expr, s) for s in symbols]
            if any(g.free_symbols & set(symbols) or g.has(sympy.Min, sympy.Max, sympy.Abs)
                   for g in gradient) or (expr.has(sympy.Min, sympy.Max, sympy.Abs) and any(
                       a.free_symbols & set(symbols) for a in expr.atoms(sympy.Min, sympy.Max, sympy.Abs))):
                field = "payoffs." + ".".join(profile) + f"[{player}]"
                line = spec.line_of(field)
                where = f"{spec.source.path}:{line}: " if spec.source and line else ""
                raise ModelError(f"{where}{field}: payoff '{expr}' is not affine in the controls "
                                 f"({', '.join(controls)}); optimize needs payoffs linear in each "
                                 "control, with no products of controls")
            constant = expr.xreplace({s: sympy.S.Zero for s in symbols})  # a bare control too
            per_player.append((constant, gradient))
        pieces.append(per_player)
    constants, coefficients = [], []
    for scenario in scenarios:
        substitution = {game.symbols[k]: v for k, v in scenario.items() if k in parameter_names}
        constants.append([[_evaluate(c, substitution) for c, _ in row] for row in pieces])
        coefficients.append([[[_evaluate(g, substitution) for g in grad] for _, grad in row]
                             for row in pieces])
    return AffinePayoffs(controls, constants, coefficients)


def _evaluate(expr: sympy.Expr, substitution) -> Fraction | float:
    value = expr.xreplace(substitution)
    if not value.is_number:
        missing = ", ".join(sorted(str(s) for s in value.free_symbols))
        raise ModelError(f"no value for {missing}; give one with --set {missing.split(', ')[0]}=…")
    return _number(value)


def sample_scenarios(game: SymbolicGame, count: int, seed: int,
                     base: Mapping[str, sympy.Expr]) -> list[dict[str, sympy.Expr]]:
    """``count`` draws of the parameters that declare a ``dist``; others keep ``base``."""
    rng = np.random.default_rng(seed)
    uncertain = [p for p in game.spec.parameters if p.distribution is not None]
    if not uncertain:
        raise ModelError(f"{game.name} declares no parameter with a 'dist:'; scenarios need one")
    draws = {}
    for parameter in uncertain:
        kind, args = parameter.distribution.kind, [float(a) for a in parameter.distribution.args]
        if kind == "uniform":
            draws[parameter.name] = rng.uniform(args[0], args[1], count)
        elif kind == "normal":
            draws[parameter.name] = rng.normal(args[0], args[1], count)
        elif kind == "triangular":
            draws[parameter.name] = rng.triangular(args[0], args[1], args[2], count)
        else:
            draws[parameter.name] = rng.lognormal(args[0], args[1], count)
    scenarios = []
    for k in range(count):
        scenario = dict(base)
        for name, values in draws.items():
            scenario[name] = sympy.Float(float(values[k]), 17)
        scenarios.append(scenario)
    return scenarios


@dataclass(frozen=True)
class ImplementationResult:
    """The cheapest policy making a target profile an equilibrium, verified."""

    game: str
    target: dict[str, str]
    robust: str
    margin: Fraction
    status: str
    controls: dict[str, Fraction | float]
    transfers: dict[str, dict[str, Fraction | float]]
    cost: Fraction | float | None
    explanation: str
    verified: bool
    verification: str
    other_equilibria: list[dict[str, Any]]
    scenarios: int
    confidence: float
    scenarios_satisfied: int | None
    solver: str
    seconds: float = field(compare=False)
    mode: str = "implement"
    threshold: "StrictThreshold | None" = None
    #: ``unique`` only: the ``nash`` cost, below which no policy makes the target unique
    lower_bound: Fraction | float | None = None

    def _repr_html_(self) -> str:  # notebooks: the section a report shows
        from .report.html import result_html

        return result_html(self)


@dataclass(frozen=True)
class StrictThreshold:
    """Where a strict requirement starts: the exact optimum of the same LP with margin 0
    (for an implementation: its cost and controls; for a pessimistic commitment: the
    leader's value and the commitment).

    ``statement`` says the threshold and whether it is attained, e.g. "entry_subsidy
    > 1; at entry_subsidy = 1 entrant is indifferent between enter and stay_out";
    ``used`` says the value used and its distance from the threshold.
    """

    value: Fraction | float  # the infimum cost, or the leader's supremum value
    point: dict[str, Fraction | float]  # controls, or commitment probabilities, there
    attained: bool
    indifferent: tuple[str, ...]
    statement: str
    used: str


def _strict_threshold(game, best: ImplementationResult, values, transfers, solver):
    """The margin-0 infimum beside a strict/dominant answer; None when it does not apply
    (nash, no margin, no answer) or is not computed (scenarios, transfers: the
    indifferences would involve sampled or promised payoffs)."""
    if best.robust == "nash" or not best.margin or best.cost is None or best.scenarios \
            or transfers:
        return None
    profile = _profile_key(game, best.target)
    zero = _implement_profile(game, profile, values, best.robust, Fraction(0), False, 0, 0, 1.0,
                              solver)
    if zero.cost is None:
        return None
    base = game.values_with(values)
    affine = affine_payoffs(game, [base])
    shape = game.shape
    indifferent = []
    for i, d, at, away in _deviation_rows(shape, profile, best.robust):
        k_at, k_away = _profile_index(shape, at), _profile_index(shape, away)
        gain = affine.constant[0][k_at][i] - affine.constant[0][k_away][i] + sum(
            (a - b) * zero.controls.get(n, 0) for n, a, b in zip(
                affine.controls, affine.coefficient[0][k_at][i], affine.coefficient[0][k_away][i]))
        if gain <= 0:
            against = ("" if best.robust != "dominant" else " against " + "/".join(
                game.strategies[j][at[j]] for j in range(len(at)) if j != i))
            text = (f"{game.players[i]} is indifferent between {game.strategies[i][profile[i]]} "
                    f"and {game.strategies[i][d]}{against}")
            if text not in indifferent:
                indifferent.append(text)
    return _describe_threshold(best.controls, zero.controls, indifferent, best.margin, "cost",
                               best.cost, zero.cost)


def _describe_threshold(used: Mapping[str, Any], zero: Mapping[str, Any], indifferent: list[str],
                        margin, what: str, used_value, zero_value) -> StrictThreshold:
    """The threshold in words: which values must be passed, who is indifferent there,
    and how far the values used are from it."""
    moved = [n for n in used if used[n] != zero.get(n)]
    at_threshold = ", ".join(f"{n} = {_fmt(zero[n])}" for n in (moved or zero))
    if indifferent:
        condition = " and ".join(f"{n} {'>' if used[n] > zero[n] else '<'} {_fmt(zero[n])}"
                                 for n in moved) or f"{what} beyond {_fmt(zero_value)}"
        statement = f"{condition}; at {at_threshold} " + "; ".join(indifferent)
    else:
        statement = (f"the bound {what} {_fmt(zero_value)} is attained: at {at_threshold} "
                     "every deviation already loses")
    words = ", ".join(f"used {n} = {_fmt(used[n])} = threshold "
                      f"{'+' if used[n] > zero[n] else '-'} {_fmt(abs(used[n] - zero[n]))}"
                      for n in moved)
    words = (words + "; " if words else "") + \
        f"margin {_fmt(margin)}, {what} {_fmt(used_value)} (at the threshold {_fmt(zero_value)})"
    return StrictThreshold(zero_value, dict(zero), not indifferent, tuple(indifferent), statement,
                           words)


def _control_specs(game: SymbolicGame):
    return {c.name: c for c in game.spec.controls}


def _deviation_rows(shape, target, robust):
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


def cheapest_implementation(game: SymbolicGame, target: Mapping[str, str],
                            values: Mapping[str, object] | None = None, *, robust: str = "nash",
                            margin: Fraction | float | None = None, transfers: bool = False,
                            scenarios: int = 0, seed: int = 0, confidence: float = 1.0,
                            solver: SolverOptions = SolverOptions(),
                            threshold: bool = True) -> ImplementationResult:
    """Cheapest controls (and transfers) making ``target`` an equilibrium.

    ``target`` maps player names to strategies; players left out are free (every
    completion is tried and the cheapest kept). ``threshold``: with a strict margin,
    also solve the margin-0 LP for :attr:`ImplementationResult.threshold` (turn off
    where only the policy is wanted, e.g. a policy map over a grid).
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
    if robust == "unique":
        if transfers or scenarios:
            raise ModelError("--robust unique cannot be combined with transfers or scenarios")
        from .uniqueness import cheapest_unique

        return cheapest_unique(game, target, values, margin, solver)
    completions = _completions(game, target)
    results = [_implement_profile(game, profile, values, robust, margin, transfers, scenarios, seed,
                                  confidence, solver) for profile in completions]
    feasible = [r for r in results if r.cost is not None]
    statuses = [r.status for r in results]
    if feasible:
        best = min(feasible, key=lambda r: (r.cost, _profile_key(game, r.target)))
        return dataclasses.replace(best, status=_status_with_solution(statuses),
                                   threshold=_strict_threshold(game, best, values, transfers, solver)
                                   if threshold else None)
    if len(results) == 1:
        return results[0]
    explanation = "; ".join(f"{'/'.join(r.target.values())}: {r.explanation}" for r in results)
    return ImplementationResult(game.name, dict(target), robust, margin,
                                _status_without_solution(statuses), {}, {}, None,
                                f"no completion of the target can be implemented — {explanation}",
                                False, "", [], scenarios, confidence, None, solver.name,
                                sum(r.seconds for r in results))


def _profile_key(game, target: Mapping[str, str]):
    return tuple(game.strategies[i].index(target[p]) for i, p in enumerate(game.players))


def _completions(game: SymbolicGame, target: Mapping[str, str]) -> list[tuple[int, ...]]:
    for player, strategy in target.items():
        if player not in game.players:
            raise ModelError(f"target: '{player}' is not a player; players: {', '.join(game.players)}")
        index = game.players.index(player)
        if strategy not in game.strategies[index]:
            raise ModelError(f"target: '{strategy}' is not a strategy of {player}; strategies: "
                             f"{', '.join(game.strategies[index])}")
    choices = [[game.strategies[i].index(target[p])] if p in target else range(len(game.strategies[i]))
               for i, p in enumerate(game.players)]
    return list(itertools.product(*choices))


def _control_variables(lp: LinearProgramBuilder, controls: Mapping[str, Any],
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


def _implement_profile(game, profile, values, robust, margin, transfers, scenario_count, seed,
                       confidence, solver) -> ImplementationResult:
    spec = game.spec
    base = game.values_with(values)
    scenario_values = (sample_scenarios(game, scenario_count, seed, base) if scenario_count
                       else [base])
    affine = affine_payoffs(game, scenario_values)
    shape = game.shape
    target_names = {p: game.strategies[i][profile[i]] for i, p in enumerate(game.players)}
    controls = _control_specs(game)
    lp = LinearProgramBuilder()
    variables, total_cost = _control_variables(lp, controls)
    payment = {}
    scale = Fraction(_payoff_scale(affine, controls)).limit_denominator(1)
    if transfers:
        ceiling = 4 * scale + margin + 1
        for k, p in enumerate(itertools.product(*(range(s) for s in shape))):
            for i in range(len(shape)):
                payment[(k, i)] = lp.variable(f"transfer_{i}_{'_'.join(map(str, p))}", 0, ceiling)
    target_index = _profile_index(shape, profile)
    if transfers:
        total_cost.update({payment[(target_index, i)]: Fraction(1) for i in range(len(shape))})
    if spec.budget is not None:
        lp.add(total_cost, "<=", Fraction(spec.budget), "budget")
    rows = _deviation_rows(shape, profile, robust)
    names = list(affine.controls)
    keep = []
    required = len(scenario_values) if confidence >= 1 else math.ceil(confidence * len(scenario_values))
    exact_inputs = all(isinstance(v, Fraction) for table in (affine.constant, affine.coefficient)
                       for v in _flatten(table))
    for w in range(len(scenario_values)):
        use = None
        if required < len(scenario_values):
            use = lp.variable(f"scenario_{w}_counts", 0, 1, integer=True)
            keep.append(use)
        for i, d, at, away in rows:
            k_at, k_away = _profile_index(shape, at), _profile_index(shape, away)
            constant = Fraction(affine.constant[w][k_at][i]) - Fraction(affine.constant[w][k_away][i])
            terms = [(variables[n], Fraction(a) - Fraction(b)) for n, a, b in zip(
                names, affine.coefficient[w][k_at][i], affine.coefficient[w][k_away][i])]
            if transfers:
                terms += [(payment[(k_at, i)], Fraction(1)), (payment[(k_away, i)], Fraction(-1))]
            label = (f"ic_{game.players[i]}_to_{game.strategies[i][d]}"
                     + ("_vs_" + "_".join(game.strategies[j][at[j]] for j in range(len(at)) if j != i)
                        if robust == "dominant" else "")
                     + (f"_scenario_{w}" if len(scenario_values) > 1 else ""))
            if use is None:
                lp.add(terms, ">=", margin - constant, label)
            else:
                big = 4 * scale * (1 + len(names)) + margin + 1
                lp.add(terms + [(use, -big)], ">=", margin - constant - big, label)
    if keep:
        lp.add({u: 1 for u in keep}, ">=", required, "enough_scenarios")
    model = lp.build(total_cost, maximize=False)
    problem, pulp_variables = to_pulp(model, "implementation")
    info = _run(problem, solver)
    common = dict(game=game.name, target=target_names, robust=robust, margin=margin,
                  scenarios=scenario_count, confidence=confidence, solver=solver.name,
                  seconds=info.seconds)
    if info.status not in ("optimal", "time limit, best found"):
        explanation = _explain_infeasible(game, profile, affine, rows, margin, transfers, info,
                                          values, robust, scenario_count, seed, confidence, solver)
        return ImplementationResult(status=info.status, controls={}, transfers={}, cost=None,
                                    explanation=explanation, verified=False, verification="",
                                    other_equilibria=[], scenarios_satisfied=None, **common)
    floats = {name: v.value() for name, v in pulp_variables.items()}
    solution = exact_solution(model, floats) if exact_inputs else None
    if info.status == "optimal" and names:
        solution, floats = _settle_free_controls(model, solution, floats, controls, variables,
                                                 solver, exact_inputs)
    if solution is not None:
        point = solution.values
        chosen = {n: point[variables[n]] for n in names}
        cost = model.value(point)  # recomputed from the exact controls
    else:
        chosen = {n: float(floats[variables[n]] or 0.0) for n in names}
        cost = float(sum(float(c) * float(floats[v] or 0.0) for v, c in total_cost.items()))
    for name, control in controls.items():
        if control.type != "continuous":
            chosen[name] = Fraction(round(floats[variables[name]] or 0))
    promised = {key: solution.values[name] if solution is not None else float(floats[name] or 0.0)
                for key, name in payment.items()}
    paid = {}
    for i, player in enumerate(game.players):
        amount = promised.get((target_index, i))
        if amount:
            paid.setdefault("/".join(target_names.values()), {})[player] = amount
    verified, verification, others, satisfied = _verify_implementation(
        game, base, profile, chosen, scenario_values, robust, margin,
        {key: amount for key, amount in promised.items() if amount}, required)
    if solution is None or not solution.certified:
        verification += "; optimal in floating point, exact optimality not certified"
    return ImplementationResult(status=info.status, controls=chosen, transfers=paid, cost=cost,
                                explanation="", verified=verified, verification=verification,
                                other_equilibria=others, scenarios_satisfied=satisfied, **common)


def _flatten(table):
    for item in table:
        if isinstance(item, list):
            yield from _flatten(item)
        else:
            yield item


def _settle_free_controls(model, solution, floats, controls, variables, solver, exact_inputs):
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
    if _run(problem, solver).status != "optimal":  # keep the first-stage answer
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


def _payoff_scale(affine: AffinePayoffs, controls) -> float:
    largest = 1.0
    reach = [max(abs(float(b)) for b in c.bounds) if c.bounds else 1.0 for c in controls.values()]
    for w in range(len(affine.constant)):
        for k in range(len(affine.constant[w])):
            for i in range(len(affine.constant[w][k])):
                value = abs(float(affine.constant[w][k][i])) + sum(
                    abs(float(b)) * r for b, r in zip(affine.coefficient[w][k][i], reach))
                largest = max(largest, value)
    return largest


def _explain_infeasible(game, profile, affine, rows, margin, transfers, info, values, robust,
                        scenario_count, seed, confidence, solver) -> str:
    if info.status == "unbounded":
        return _explain_unbounded(game)
    if info.status != "infeasible":
        return f"the solver stopped with status '{info.status}'"
    if game.spec.budget is not None:
        unlimited = _implement_without_budget(game, profile, values, robust, margin, transfers,
                                              scenario_count, seed, confidence, solver)
        if unlimited is not None:
            return (f"infeasible within the budget {game.spec.budget}; the smallest budget "
                    f"that works is {_fmt(unlimited)}")
    controls = _control_specs(game)
    shape = game.shape
    blocked = []
    for i, d, at, away in rows:
        for w in range(len(affine.constant)):
            k_at, k_away = _profile_index(shape, at), _profile_index(shape, away)
            best = float(affine.constant[w][k_at][i]) - float(affine.constant[w][k_away][i])
            for name, a, b in zip(affine.controls, affine.coefficient[w][k_at][i],
                                  affine.coefficient[w][k_away][i]):
                c = float(a) - float(b)
                low, high = (float(v) for v in controls[name].bounds) if controls[name].bounds \
                    else (-math.inf, math.inf)
                best += max(c * low, c * high) if c else 0
            if best < float(margin) - 1e-12 and not transfers:
                text = (f"{game.players[i]}'s deviation to {game.strategies[i][d]}"
                        + (f" against {'/'.join(game.strategies[j][at[j]] for j in range(len(at)) if j != i)}"
                           if robust == "dominant" else "")
                        + (" cannot be deterred within the control bounds" if controls
                           else " cannot be deterred: the game declares no controls")
                        + f" (it still gains {_fmt(float(margin) - best)} at best)")
                if text not in blocked:
                    blocked.append(text)
                break
    if blocked:
        return "; ".join(blocked[:5]) + (f" (and {len(blocked) - 5} more)" if len(blocked) > 5 else "")
    return ("each deviation can be deterred on its own, but not all at once within the bounds"
            + (" in enough scenarios" if scenario_count else ""))


def _explain_unbounded(game) -> str:
    """Why the cost has no lower bound: controls that earn money without a bound."""
    earning = [c.name for c in game.spec.controls if c.cost < 0 and not c.bounds]
    if earning:
        return (f"the cost has no lower bound: {', '.join(earning)} "
                f"{'earns' if len(earning) == 1 else 'earn'} money (negative cost) and "
                f"{'has' if len(earning) == 1 else 'have'} no bounds; declare bounds: [low, high]")
    return "the cost has no lower bound; give the controls bounds: [low, high]"


def _implement_without_budget(game, profile, values, robust, margin, transfers, scenario_count,
                              seed, confidence, solver):
    spec = dataclasses.replace(game.spec, budget=None)
    result = _implement_profile(SymbolicGame(spec), profile, values, robust, margin, transfers,
                                scenario_count, seed, confidence, solver)
    return result.cost


def _fmt(value) -> str:
    if isinstance(value, Fraction):
        return str(value)
    fraction = Fraction(value).limit_denominator(1000)
    if abs(float(fraction) - value) < 1e-9:
        return str(fraction)
    return f"{value:.6g}"


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


def _verify_implementation(game, base, profile, chosen, scenario_values, robust, margin, promised,
                           required):
    """Apply the controls (and promised transfers), re-solve the game, check the target.

    With several scenarios, the target must also be an equilibrium in at least
    ``required`` of them, each re-solved at the chosen controls."""
    overrides = dict(base)
    overrides.update({k: sympy.Rational(v.numerator, v.denominator) if isinstance(v, Fraction)
                      else sympy.Float(v, 17) for k, v in chosen.items()})
    numeric = _with_transfers(game.bind({k: v for k, v in overrides.items() if k in game.symbols}),
                              promised)
    result: EquilibriumSet = find_equilibria(numeric)
    names = game.strategies
    others = []
    target_found = False
    for eq in result.equilibria:
        is_target = eq.is_pure and all(s[profile[i]] == 1 for i, s in enumerate(eq.strategies))
        target_found = target_found or is_target
        if not is_target:
            others.append({p: {names[i][k]: pr for k, pr in enumerate(eq.strategies[i]) if pr}
                           for i, p in enumerate(game.players)})
    satisfied = None
    if len(scenario_values) > 1:
        satisfied = 0
        for scenario in scenario_values:
            scenario_overrides = dict(scenario)
            scenario_overrides.update({k: overrides[k] for k in chosen})
            scenario_game = _with_transfers(
                game.bind({k: v for k, v in scenario_overrides.items() if k in game.symbols}), promised)
            if is_pure_equilibrium(scenario_game, profile, margin if robust != "nash" else 0,
                                    robust == "dominant"):
                satisfied += 1
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
    if others:
        text += (f"; {len(others)} other equilibri{'um also exists' if len(others) == 1 else 'a also exist'}"
                 " (selection risk)")
    else:
        text += "; it is the only equilibrium"
    return True, text, others, satisfied


def rank_profiles(game: SymbolicGame, values: Mapping[str, object] | None = None, *,
                  robust: str = "nash", margin=None, transfers: bool = False,
                  solver: SolverOptions = SolverOptions()) -> list[ImplementationResult]:
    """The cheapest implementation of every pure profile, cheapest first (infeasible last)."""
    results = []
    for profile in itertools.product(*(range(len(s)) for s in game.strategies)):
        target = {p: game.strategies[i][profile[i]] for i, p in enumerate(game.players)}
        results.append(cheapest_implementation(game, target, values, robust=robust, margin=margin,
                                               transfers=transfers, solver=solver))
    return sorted(results, key=lambda r: (r.cost is None, float(r.cost or 0),
                                          _profile_key(game, r.target)))

"""The leader's optimal commitment (mode ``commit``).

The game's leader commits to a mixed strategy ``x`` over its strategies; the other
players (followers) then play a pure Nash equilibrium of the induced game.
Optimistic version (followers break ties in the leader's favour): one LP per follower
profile ``f`` — maximise the leader's objective subject to ``f`` being an equilibrium
against ``x`` — best kept (Conitzer & Sandholm, EC 2006). Pessimistic version: one
MILP per ``f`` that also requires every *other* follower profile either to be broken
by a deviation that gains at least the margin, or to give the leader at least the
guaranteed value.

One :class:`CommitmentProblem` (payoffs bound at the given values, the leader's
objective at every profile) is built into each candidate LP by small blocks:
:func:`_probability_variables`, :func:`_follower_incentive_rows` and, when
pessimistic, :func:`_pessimistic_rows`. The best candidate is recovered exactly and
re-checked; with a margin, the margin-0 optimum gives the threshold.

With two or more followers, the followers' own game at a commitment may have mixed
equilibria too. The chosen commitment's followers' game is solved completely
(:func:`_follower_responses`, the exact engines): a pessimistic guarantee is the worst
over *every* follower equilibrium, mixed ones included. Pure commitments are also
tried against every follower equilibrium (:func:`_pure_commitment_mixed_followers`),
which answers games whose followers have only mixed equilibria. Mixed commitments
against mixed follower equilibria are not searched: that problem is not linear (and
its optimum may not be attained), and the result says so.

The follower checks here (:func:`_is_follower_equilibrium`) take expectations over
the leader's *mixed* commitment with the followers pure, a case
:mod:`policy.best_response` does not cover (its pure check has every player pure,
its mixed check includes the leader's own best response).

Examples
--------
>>> import policy
>>> result = optimal_commitment(policy.load("inspection"))
>>> result.commitment, result.followers, result.leader_value
({'inspect': Fraction(2, 7), 'trust': Fraction(5, 7)}, {'platform': 'comply'}, Fraction(-2, 7))
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Mapping, Sequence

import numpy as np
import sympy

from ..best_response import expected_payoffs, is_best_response_profile
from ..equilibria import Equilibrium, find_equilibria
from ..errors import ModelError
from ..spec import make_symbol
from ..numeric import FLOAT_TOLERANCE, NumericGame
from ..symbolic import SymbolicGame
from . import explain
from . import solver as lp_solver
from .exact_lp import LinearProgram, LinearProgramBuilder, exact_solution, to_pulp
from .problem import DEFAULT_MARGIN, profile_index
from .results import CommitmentCandidate, CommitmentResult, StrictThreshold
from .scenarios import number
from .solver import DEFAULT_SOLVER, SolverOptions
from .status import has_solution, with_solution, without_solution

__all__ = ["CommitmentProblem", "optimal_commitment"]


# --------------------------------------------------------------------------------------
# payoffs as tables
# --------------------------------------------------------------------------------------

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
        result.append(number(expr))
    return result


def _bound_payoffs(game: SymbolicGame, values: Mapping[str, sympy.Expr]) -> list[list]:
    """Every player's payoff at every pure profile (row-major), exact where possible."""
    numeric = game.bind(values)
    arrays = numeric.exact_payoffs if numeric.is_exact else numeric.payoffs
    flat = [a.reshape(-1) for a in arrays]
    return [[number(flat[p][k]) for p in range(len(arrays))] for k in range(len(flat[0]))]


def _full_profile(leader: int, leader_choice: int, followers: Sequence[int]) -> tuple[int, ...]:
    result = list(followers)
    result.insert(leader, leader_choice)
    return tuple(result)


def _expected_value(vector, shape, table, leader, followers_profile, column=None):
    """Expectation of ``table`` (one column of it) over the leader's mixed ``vector``,
    the followers playing ``followers_profile``."""
    total = 0
    for s, p in enumerate(vector):
        index = profile_index(shape, _full_profile(leader, s, followers_profile))
        total += p * (table[index] if column is None else table[index][column])
    return total


def _is_follower_equilibrium(vector, shape, payoffs, leader, profile, margin, exact) -> bool:
    """Whether no follower gains (by at least ``margin``, strictly) by deviating from the
    pure ``profile`` against the leader's mixed ``vector``."""
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


@dataclass(frozen=True)
class CommitmentProblem:
    """The leader (by index) commits; the followers answer with a pure equilibrium."""

    game: SymbolicGame
    leader: int
    pessimistic: bool
    margin: Fraction
    values: dict  # every parameter and control value
    payoffs: list  # payoffs[k][player] at profile k
    objective_values: list  # the leader's objective at profile k
    solver: SolverOptions

    @classmethod
    def from_game(cls, game: SymbolicGame, values, leader: str, pessimistic: bool, margin,
                  solver: SolverOptions) -> "CommitmentProblem":
        index = game.players.index(leader)
        margin = Fraction(margin) if margin is not None else (
            DEFAULT_MARGIN if pessimistic else Fraction(0))
        all_values = game.values_with(values)
        payoffs = _bound_payoffs(game, all_values)
        objective = _objective_values(game, payoffs, game.spec.objective, index, all_values)
        return cls(game, index, pessimistic, margin, all_values, payoffs, objective, solver)

    @property
    def shape(self) -> tuple[int, ...]:
        return self.game.shape

    @property
    def followers(self) -> list[int]:
        return [i for i in range(len(self.shape)) if i != self.leader]

    @property
    def follower_profiles(self) -> list[tuple[int, ...]]:
        others = [range(k) for i, k in enumerate(self.shape) if i != self.leader]
        return list(itertools.product(*others))

    @property
    def exact_inputs(self) -> bool:
        return all(isinstance(v, Fraction) for row in self.payoffs for v in row) and \
            all(isinstance(v, Fraction) for v in self.objective_values)

    def follower_names(self, profile) -> dict[str, str]:
        game = self.game
        return {game.players[i]: game.strategies[i][profile[k]] for k, i in enumerate(self.followers)}


# --------------------------------------------------------------------------------------
# the LP of one follower profile, block by block
# --------------------------------------------------------------------------------------

def _expected_coefficients(problem: CommitmentProblem, column, followers_profile) -> list[Fraction]:
    """Per leader strategy: a follower's payoff (``column`` its index) or the objective
    (``column`` "objective") when the followers play ``followers_profile``."""
    coefficients = []
    for s in range(problem.shape[problem.leader]):
        index = profile_index(problem.shape, _full_profile(problem.leader, s, followers_profile))
        if column == "objective":
            coefficients.append(Fraction(problem.objective_values[index]))
        else:
            coefficients.append(Fraction(problem.payoffs[index][column]))
    return coefficients


def _deviation_gain(problem: CommitmentProblem, i: int, followers_profile, deviation) -> list[Fraction]:
    """Coefficients (per leader strategy) of follower i's gain from deviating."""
    position = problem.followers.index(i)
    moved = list(followers_profile)
    moved[position] = deviation
    at = _expected_coefficients(problem, i, followers_profile)
    away = _expected_coefficients(problem, i, tuple(moved))
    return [a - b for a, b in zip(away, at)]


def _probability_variables(lp: LinearProgramBuilder, problem: CommitmentProblem) -> list[str]:
    x = [lp.variable(f"x_{s}", 0, 1) for s in range(problem.shape[problem.leader])]
    lp.add({xs: 1 for xs in x}, "==", 1, "probabilities_sum_to_one")
    return x


def _follower_incentive_rows(lp: LinearProgramBuilder, problem: CommitmentProblem, x,
                             follower_profile) -> None:
    """No follower gains (at least the margin) by deviating from the chosen profile."""
    for position, i in enumerate(problem.followers):
        for deviation in range(problem.shape[i]):
            if deviation == follower_profile[position]:
                continue
            gain = _deviation_gain(problem, i, follower_profile, deviation)
            lp.add(zip(x, gain), "<=", -problem.margin, f"ic_follower{i}_to_{deviation}")


def _spread(problem: CommitmentProblem) -> Fraction:
    """A big-M: more than any payoff or objective difference plus the margin."""
    return max(abs(Fraction(v)) for row in problem.payoffs for v in row) * 2 + \
        max(abs(Fraction(v)) for v in problem.objective_values) * 2 + problem.margin + 1


def _broken_or_acceptable(lp: LinearProgramBuilder, problem: CommitmentProblem, x, value, g,
                          spread) -> None:
    """Follower profile g either gives the leader at least ``value`` or is broken by a
    deviation gaining at least the margin."""
    tag = "_".join(map(str, g))
    ok = lp.variable(f"z_{tag}_leader_ok", 0, 1, integer=True)
    breakers = []
    # value <= objective at g + 2·spread·(1 - ok)
    lp.add([(value, Fraction(1)), (ok, 2 * spread)]
           + [(xs, -c) for xs, c in zip(x, _expected_coefficients(problem, "objective", g))],
           "<=", 2 * spread, f"pessimistic_value_at_{tag}")
    for position, i in enumerate(problem.followers):
        for deviation in range(problem.shape[i]):
            if deviation == g[position]:
                continue
            z = lp.variable(f"z_{tag}_f{i}_to_{deviation}", 0, 1, integer=True)
            breakers.append(z)
            gain = _deviation_gain(problem, i, g, deviation)
            # gain >= margin - 2·spread·(1 - z)
            lp.add(list(zip(x, gain)) + [(z, -2 * spread)], ">=", problem.margin - 2 * spread,
                   f"break_{tag}_f{i}_to_{deviation}")
    lp.add({ok: 1, **{z: 1 for z in breakers}}, ">=", 1, f"either_{tag}_broken_or_acceptable")


def _pessimistic_rows(lp: LinearProgramBuilder, problem: CommitmentProblem, x, follower_profile,
                      value_terms) -> str:
    """The guaranteed value: at most the objective at the chosen profile and at every
    other follower profile not broken; returns its variable."""
    value = lp.variable("guaranteed_value")
    lp.add([(value, Fraction(1))] + [(v, -c) for v, c in value_terms.items()], "<=", 0,
           "value_at_chosen_profile")
    spread = _spread(problem)
    for g in problem.follower_profiles:
        if g != follower_profile:
            _broken_or_acceptable(lp, problem, x, value, g, spread)
    return value


def _commitment_lp(problem: CommitmentProblem, follower_profile) -> tuple[LinearProgram, list[str]]:
    """One LP (a MILP when pessimistic) for a follower profile, with exact coefficients;
    returns it and the names of the commitment probabilities."""
    lp = LinearProgramBuilder()
    x = _probability_variables(lp, problem)
    _follower_incentive_rows(lp, problem, x, follower_profile)
    value_terms = dict(zip(x, _expected_coefficients(problem, "objective", follower_profile)))
    if not problem.pessimistic or len(problem.followers) == 1 and problem.margin > 0:
        # one follower with a strict margin: its response is unique, nothing else to rule out
        return lp.build(value_terms, maximize=True), x
    value = _pessimistic_rows(lp, problem, x, follower_profile, value_terms)
    return lp.build({value: 1}, maximize=True), x


# --------------------------------------------------------------------------------------
# the followers' own game (two or more followers), mixed equilibria included
# --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FollowerResponses:
    """Every equilibrium of the followers' game at one commitment (mixed ones included,
    each verified by the engine), the leader's objective at each, and whether the list
    is complete."""

    game: NumericGame
    equilibria: tuple[Equilibrium, ...]
    values: tuple[Any, ...]
    complete: bool


def _followers_game(problem: CommitmentProblem, vector) -> tuple[NumericGame, np.ndarray]:
    """The followers' game when the leader plays ``vector``: each follower's payoff and
    the leader's objective are expectations over the commitment."""
    game, followers = problem.game, problem.followers
    shape = tuple(problem.shape[i] for i in followers)
    arrays = [np.empty(shape, dtype=object) for _ in followers]
    objective = np.empty(shape, dtype=object)
    for profile in itertools.product(*(range(k) for k in shape)):
        for position, i in enumerate(followers):
            arrays[position][profile] = _expected_value(vector, problem.shape, problem.payoffs,
                                                        problem.leader, profile, i)
        objective[profile] = _expected_value(vector, problem.shape, problem.objective_values,
                                             problem.leader, profile)
    numeric = NumericGame.from_arrays(*arrays, name=f"{game.name} (followers)",
                                      players=[game.players[i] for i in followers],
                                      strategies=[game.strategies[i] for i in followers])
    return numeric, objective


def _follower_responses(problem: CommitmentProblem, vector) -> FollowerResponses:
    """Every equilibrium of the followers' game at ``vector`` (two or more followers)."""
    numeric, objective = _followers_game(problem, vector)
    result = find_equilibria(numeric)
    return FollowerResponses(numeric, result.equilibria,
                             tuple(expected_payoffs(objective, eq.strategies)
                                   for eq in result.equilibria), result.complete)


@dataclass(frozen=True)
class _MixedAnswer:
    """A pure commitment and the follower equilibrium (possibly mixed) it is judged by."""

    vector: list
    responses: FollowerResponses
    chosen: int

    @property
    def value(self):
        return self.responses.values[self.chosen]


def _pure_commitment_mixed_followers(problem: CommitmentProblem) -> _MixedAnswer | None:
    """The best pure commitment judged by every follower equilibrium, mixed ones
    included: the best one (optimistic) or the worst (pessimistic, complete lists only)."""
    best = None
    for s in range(problem.shape[problem.leader]):
        vector = [Fraction(int(k == s)) for k in range(problem.shape[problem.leader])]
        responses = _follower_responses(problem, vector)
        if not responses.values or (problem.pessimistic and not responses.complete):
            continue
        pick = min if problem.pessimistic else max
        chosen = pick(range(len(responses.values)), key=lambda k: responses.values[k])
        answer = _MixedAnswer(vector, responses, chosen)
        if best is None or answer.value > best.value:
            best = answer
    return best


def _follower_profile(problem: CommitmentProblem, strategies) -> dict[str, Any]:
    """A follower profile for the result: a strategy's name where a follower is pure,
    its probabilities (positive ones) where it mixes."""
    game, profile = problem.game, {}
    for position, i in enumerate(problem.followers):
        mix = strategies[position]
        used = [k for k, p in enumerate(mix) if p > 0]
        profile[game.players[i]] = game.strategies[i][used[0]] if len(used) == 1 else \
            {game.strategies[i][k]: mix[k] for k in used}
    return profile


def _responses_text(responses: FollowerResponses) -> str:
    count = len(responses.equilibria)
    mixed = sum(1 for eq in responses.equilibria if not eq.is_pure)
    return (f"the followers' game at this commitment has {count} equilibri"
            f"{'um' if count == 1 else 'a'}" + (f" ({mixed} mixed)" if mixed else "")
            + ("" if responses.complete else ", a list that may be incomplete"))


# --------------------------------------------------------------------------------------
# solving
# --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Solved:
    """One candidate's LP answer: its status, the commitment and the value it guarantees."""

    status: str
    vector: list | None = None
    value: Any = None
    certified: bool = False


def _solve_candidate(problem: CommitmentProblem, profile) -> _Solved:
    lp, x = _commitment_lp(problem, profile)
    pulp_problem, variables = to_pulp(lp, "commitment")
    info = lp_solver.run(pulp_problem, problem.solver)
    if not has_solution(info.status):
        return _Solved(info.status)
    floats = {name: v.value() for name, v in variables.items()}
    solution = exact_solution(lp, floats) if problem.exact_inputs else None
    if solution is not None:
        vector = [solution.values[name] for name in x]
    else:
        raw = [max(0.0, floats[name] or 0.0) for name in x]
        vector = [v / sum(raw) for v in raw]
    certified = solution is not None and solution.certified
    return _Solved(info.status, vector, _guaranteed_value(problem, vector, profile), certified)


def _guaranteed_value(problem: CommitmentProblem, vector, profile):
    shape, leader = problem.shape, problem.leader
    value = _expected_value(vector, shape, problem.objective_values, leader, profile)
    if not problem.pessimistic:
        return value
    # recompute the pessimistic value: worst objective over every follower equilibrium
    worst = value
    for other in problem.follower_profiles:
        if other != profile and _is_follower_equilibrium(vector, shape, problem.payoffs, leader,
                                                         other, 0, problem.exact_inputs):
            worst = min(worst, _expected_value(vector, shape, problem.objective_values, leader,
                                               other))
    return worst


def _leader_name(game: SymbolicGame, leader: str | None) -> str:
    leader_name = leader or game.spec.leader
    if leader_name is None:
        raise ModelError(f"{game.name} declares no leader, so --mode commit has no one to commit; "
                         f"add 'leader: PLAYER' to the file (players: {', '.join(game.players)})")
    if leader_name not in game.players:
        raise ModelError(f"leader '{leader_name}' is not a player; players: {', '.join(game.players)}")
    return leader_name


def optimal_commitment(game: SymbolicGame, values: Mapping[str, object] | None = None, *,
                       leader: str | None = None, pessimistic: bool = False,
                       margin: Fraction | float | None = None,
                       solver: SolverOptions = DEFAULT_SOLVER,
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
    leader_name = _leader_name(game, leader)
    problem = CommitmentProblem.from_game(game, values, leader_name, pessimistic, margin, solver)
    exact_inputs = problem.exact_inputs
    started = time.perf_counter()
    candidates, statuses, best = [], [], None
    for profile in problem.follower_profiles:
        solved = _solve_candidate(problem, profile)
        statuses.append(solved.status)
        candidates.append(CommitmentCandidate(problem.follower_names(profile), solved.status,
                                              solved.value))
        if solved.value is not None and (
                best is None or solved.value > best[0].value + (0 if exact_inputs else 1e-12)):
            best = (solved, profile)
    several = len(problem.followers) >= 2
    responses = _follower_responses(problem, best[0].vector) if best and several else None
    value = best[0].value if best else None
    if best and pessimistic and responses and responses.values:
        value = min(value, *responses.values)
    mixed = _pure_commitment_mixed_followers(problem) if several else None
    seconds = time.perf_counter() - started
    simultaneous = _simultaneous(problem) if compare else []
    best_pure = _best_pure(problem) if compare else {}
    spec = game.spec
    objective_text = str(spec.objective) if spec.objective is not None else f"{leader_name}'s payoff"
    common = (game.name, leader_name, objective_text, pessimistic, problem.margin)
    if mixed is not None and (best is None or mixed.value > value):
        return _mixed_result(problem, mixed, best is not None, common, statuses, best_pure,
                             simultaneous, tuple(candidates), seconds)
    if best is None:
        return CommitmentResult(*common, without_solution(statuses), {}, {}, None, exact_inputs,
                                False, "no follower profile can be induced by any commitment"
                                + (" with this margin" if problem.margin else "")
                                + ("; and no pure commitment leaves the followers a game whose "
                                   "equilibria are all known" if several and pessimistic else ""),
                                best_pure, simultaneous, tuple(candidates), solver.name, seconds)
    solved, profile = best
    verified, verification = _verify_commitment(problem, solved.vector, profile)
    if not solved.certified:
        verification += "; optimal in floating point, exact optimality not certified"
    if responses is not None:
        verification += "; " + _responses_text(responses)
        if value != solved.value:
            verification += (f"; a mixed one gives the leader only {value}, the value "
                             "guaranteed here (commitments that also rule out mixed follower "
                             "equilibria were not searched)")
    exact = exact_inputs and all(isinstance(p, Fraction) for p in solved.vector)
    commitment = dict(zip(game.strategies[problem.leader], solved.vector))
    threshold = None
    if pessimistic and problem.margin and exact and value == solved.value:
        threshold = _commitment_threshold(game, values, leader_name, commitment, solved.value,
                                          problem.margin, solver)
    return CommitmentResult(*common, with_solution(statuses), commitment,
                            problem.follower_names(profile), value, exact, verified,
                            verification, best_pure, simultaneous, tuple(candidates), solver.name,
                            seconds, threshold=threshold)


def _mixed_result(problem: CommitmentProblem, mixed: _MixedAnswer, pure_possible: bool, common,
                  statuses, best_pure, simultaneous, candidates, seconds) -> CommitmentResult:
    """The result when a pure commitment answered by a (mixed) follower equilibrium is best."""
    game = problem.game
    strategies = mixed.responses.equilibria[mixed.chosen].strategies
    verified = is_best_response_profile(mixed.responses.game, strategies)
    verification = ("re-checked exactly: no follower gains by deviating from its strategy "
                    "against the commitment" if verified else
                    "the followers' profile is not an equilibrium against the commitment")
    verification += "; " + _responses_text(mixed.responses) + (
        ", judged by the worst for the leader" if problem.pessimistic else
        ", the best for the leader chosen")
    verification += ("; it beats every mixed commitment answered by a pure follower equilibrium"
                     if pure_possible else
                     "; no commitment makes any pure follower profile an equilibrium")
    verification += "; mixed commitments against mixed follower equilibria were not searched"
    numbers = [*mixed.vector, *(p for s in strategies for p in s), mixed.value]
    exact = problem.exact_inputs and all(isinstance(p, Fraction) for p in numbers)
    return CommitmentResult(*common, with_solution(statuses) if pure_possible else "optimal",
                            dict(zip(game.strategies[problem.leader], mixed.vector)),
                            _follower_profile(problem, strategies), mixed.value, exact, verified,
                            verification, best_pure, simultaneous, candidates,
                            problem.solver.name, seconds)


def _commitment_threshold(game, values, leader, commitment, value, margin,
                          solver) -> StrictThreshold | None:
    """The margin-0 pessimistic commitment beside the one with a margin (exact inputs)."""
    zero = optimal_commitment(game, values, leader=leader, pessimistic=True, margin=0,
                              solver=solver, compare=False)
    if not zero.commitment or not zero.exact:
        return None
    problem = CommitmentProblem.from_game(game, values, leader, True, 0, solver)
    vector = [zero.commitment[s] for s in game.strategies[problem.leader]]
    profile = tuple(game.strategies[i].index(zero.followers[game.players[i]])
                    for i in problem.followers)
    return explain.describe_threshold(commitment, zero.commitment,
                                      _indifferent_followers(problem, vector, profile), margin,
                                      "leader value", value, zero.leader_value)


def _indifferent_followers(problem: CommitmentProblem, vector, profile) -> list[str]:
    game, shape, leader = problem.game, problem.shape, problem.leader
    indifferent = []
    for position, i in enumerate(problem.followers):
        here = _expected_value(vector, shape, problem.payoffs, leader, profile, i)
        for d in range(shape[i]):
            moved = list(profile)
            moved[position] = d
            if d != profile[position] and _expected_value(
                    vector, shape, problem.payoffs, leader, tuple(moved), i) == here:
                indifferent.append(f"{game.players[i]} is indifferent between "
                                   f"{game.strategies[i][profile[position]]} and "
                                   f"{game.strategies[i][d]}")
    return indifferent


def _verify_commitment(problem: CommitmentProblem, vector, profile) -> tuple[bool, str]:
    exact = problem.exact_inputs
    if not _is_follower_equilibrium(vector, problem.shape, problem.payoffs, problem.leader, profile,
                                    problem.margin, exact):
        return False, "the followers' profile is not an equilibrium against the commitment"
    how = "exactly" if exact and all(isinstance(p, Fraction) for p in vector) else \
        f"within tolerance {FLOAT_TOLERANCE:g}"
    return True, (f"re-checked {how}: no follower gains by deviating"
                  + (f" (each by at least {problem.margin})" if problem.margin else ""))


def _simultaneous(problem: CommitmentProblem) -> list[dict[str, Any]]:
    """Every equilibrium of the simultaneous-move game and the leader's objective there."""
    game, shape = problem.game, problem.shape
    result = find_equilibria(game.bind(problem.values))
    items = []
    for eq in result.equilibria:
        leader_value = 0
        for profile in itertools.product(*(range(k) for k in shape)):
            probability = 1
            for player, choice in enumerate(profile):
                probability *= eq.strategies[player][choice]
            if probability:
                leader_value += probability * problem.objective_values[profile_index(shape, profile)]
        items.append({"strategies": {p: dict(zip(game.strategies[i], eq.strategies[i]))
                                     for i, p in enumerate(game.players)},
                      "leader_value": leader_value})
    return items


def _best_pure(problem: CommitmentProblem) -> dict[str, Any]:
    """The best pure commitment (the worst follower equilibrium when pessimistic)."""
    shape, leader, payoffs = problem.shape, problem.leader, problem.payoffs
    best = None
    for s in range(shape[leader]):
        vector = [Fraction(int(k == s)) for k in range(shape[leader])]
        equilibria = [f for f in problem.follower_profiles
                      if _is_follower_equilibrium(vector, shape, payoffs, leader, f, 0, True)]
        if not equilibria:
            continue
        values = [(problem.objective_values[profile_index(shape, _full_profile(leader, s, f))], f)
                  for f in equilibria]
        value, f = (min if problem.pessimistic else max)(values, key=lambda item: item[0])
        if best is None or value > best[0]:
            best = (value, s, f)
    if best is None:
        return {}
    value, s, f = best
    return {"strategy": problem.game.strategies[leader][s], "followers": problem.follower_names(f),
            "leader_value": value}

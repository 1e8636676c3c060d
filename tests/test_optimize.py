"""Specification of policy optimisation: commitment and cheapest implementation."""

from __future__ import annotations

import json
from fractions import Fraction as F

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import policy
from policy.cli import cli
from policy.errors import ModelError
from policy.readers.yaml_normal_form import load_game_text
from policy.optimize import (SolverOptions, cheapest_implementation, optimal_commitment,
                             rank_profiles)
from policy.symbolic import SymbolicGame
from bundled import MATRIX_GAMES


def game_from(text: str, name: str = "game") -> SymbolicGame:
    return SymbolicGame.from_spec(load_game_text(text, path=f"{name}.yaml"))


# Conitzer & Sandholm (EC 2006), Figure 1: committing to a mixed strategy beats every
# pure commitment, and both beat the simultaneous-move equilibrium.
CONITZER_SANDHOLM = """
players: {leader: [U, D], follower: [L, R]}
leader: leader
payoffs:
  U: {L: [2, 1], R: [4, 0]}
  D: {L: [1, 0], R: [3, 1]}
"""


def test_mixed_commitment_beats_every_pure_commitment():
    result = optimal_commitment(game_from(CONITZER_SANDHOLM))
    assert result.commitment == {"U": F(1, 2), "D": F(1, 2)}
    assert result.followers == {"follower": "R"}
    assert result.leader_value == F(7, 2)
    assert result.best_pure == {"strategy": "D", "followers": {"follower": "R"}, "leader_value": F(3)}
    assert [item["leader_value"] for item in result.simultaneous] == [F(2)]
    assert result.value_of_commitment == F(3, 2)
    assert result.verified and result.exact and result.status == "optimal"


def test_pessimistic_commitment_keeps_a_strict_margin():
    result = optimal_commitment(game_from(CONITZER_SANDHOLM), pessimistic=True, margin=F(1, 100))
    # the follower must strictly prefer R by 1/100: 1 - 2x >= 1/100 → x = 99/200
    assert result.commitment == {"U": F(99, 200), "D": F(101, 200)}
    assert result.leader_value == F(3) + F(99, 200)
    assert result.verified


def test_inspection_leader_inspects_just_enough_to_deter():
    result = optimal_commitment(policy.load("inspection"), {"f": 12})
    g, f = 4, 12
    assert result.commitment["inspect"] == F(g, f + g)
    assert result.followers == {"platform": "comply"}


def test_commitment_with_two_followers_and_an_objective():
    game = policy.load("regulatory_capture")
    result = optimal_commitment(game)
    assert result.commitment == {"protect": 0, "neutral": 1}
    assert result.followers == {"incumbent": "compete", "entrant": "enter"}
    assert result.leader_value == 3


def test_commitment_needs_a_leader():
    with pytest.raises(ModelError, match="declares no leader"):
        optimal_commitment(policy.load("battle_of_sexes"))


# -- implementation ------------------------------------------------------------------------

def test_dominant_implementation_of_entry_uses_the_subsidy_and_the_free_levy():
    result = cheapest_implementation(policy.load("platform_entry"), {"entrant": "enter"},
                                     robust="dominant", margin=F(1, 10))
    # entering must beat staying out against expansion: a + q - k - w + subsidy >= 1/10
    assert result.controls["entry_subsidy"] == F(11, 10)
    assert result.controls["scale_levy"] == F(21, 10)  # free, just enough for restrain
    assert result.cost == F(11, 10)
    assert result.target == {"incumbent": "restrain", "entrant": "enter"}
    assert result.verified and result.other_equilibria == []


def test_nash_implementation_reports_the_selection_risk():
    result = cheapest_implementation(policy.load("platform_entry"), {"entrant": "enter"})
    assert result.cost == 0 and result.verified
    assert {"incumbent": {"expand": 1}, "entrant": {"stay_out": 1}} in result.other_equilibria


def test_infeasible_target_names_the_deviation_that_cannot_be_deterred():
    result = cheapest_implementation(policy.load("enforcement"),
                                     {"regulator": "no_audit", "market": "comply"})
    assert result.status == "infeasible" and result.cost is None
    assert result.explanation == ("market's deviation to evade cannot be deterred within the "
                                  "control bounds (it still gains 10 at best)")


def test_budget_too_small_reports_the_smallest_budget_that_works():
    text = """
controls:
  subsidy: {value: 0, bounds: [0, 10], cost: 1, description: grant}
budget: 1
players: {firm: [enter, out], rival: [stay]}
payoffs:
  enter: {stay: [subsidy - 3, 0]}
  out: {stay: [0, 0]}
"""
    result = cheapest_implementation(game_from(text), {"firm": "enter"})
    assert result.status == "infeasible"
    assert result.explanation == "infeasible within the budget 1; the smallest budget that works is 3"


def test_non_affine_payoff_is_refused_naming_it():
    text = """
controls:
  tax: {value: 0, bounds: [0, 2], description: t}
  grant: {value: 0, bounds: [0, 2], description: g}
players: {firm: [a, b], rival: [c]}
payoffs:
  a: {c: [tax*grant, 0]}
  b: {c: [0, 0]}
"""
    with pytest.raises(ModelError) as caught:
        cheapest_implementation(game_from(text, "nonaffine"), {"firm": "a"})
    assert str(caught.value) == (
        "nonaffine.yaml:7: payoffs.a.c[0]: payoff 'grant*tax' is not affine in the controls "
        "(tax, grant); optimize needs payoffs linear in each control, with no products of controls")


def test_binary_instrument_with_fixed_cost_is_chosen_when_cheaper():
    text = """
controls:
  licence: {type: binary, fixed_cost: 2, description: licensing regime on or off}
  subsidy: {value: 0, bounds: [0, 10], cost: 1, description: grant per entrant}
players: {entrant: [enter, out], market: [stay]}
payoffs:
  enter: {stay: [-5 + 6*licence + subsidy, 0]}
  out: {stay: [0, 0]}
"""
    result = cheapest_implementation(game_from(text), {"entrant": "enter"})
    assert result.controls == {"licence": 1, "subsidy": 0} and result.cost == 2
    cheaper_subsidy = cheapest_implementation(game_from(text.replace("-5 +", "-1 +")),
                                              {"entrant": "enter"})
    assert cheaper_subsidy.controls == {"licence": 0, "subsidy": 1} and cheaper_subsidy.cost == 1


def test_scenarios_make_the_policy_robust_and_are_reproducible():
    game = policy.load("platform_entry")
    robust = cheapest_implementation(game, {"entrant": "enter"}, robust="strict", scenarios=40,
                                     seed=7)
    again = cheapest_implementation(game, {"entrant": "enter"}, robust="strict", scenarios=40,
                                    seed=7)
    assert robust == again
    assert robust.scenarios_satisfied == 40 and robust.verified
    relaxed = cheapest_implementation(game, {"entrant": "enter"}, robust="strict", scenarios=40,
                                      seed=7, confidence=0.5)
    assert relaxed.controls["scale_levy"] <= robust.controls["scale_levy"]


def test_scenarios_need_a_distribution():
    with pytest.raises(ModelError, match="declares no parameter with a 'dist:'"):
        cheapest_implementation(policy.load("battle_of_sexes"), {"row": "opera"}, scenarios=5)


def test_ranking_lists_every_profile_cheapest_first():
    ranked = rank_profiles(policy.load("open_source_ai"))
    assert [r.cost for r in ranked] == [0, F(1, 2), None, None]
    assert ranked[1].target == {"incumbent": "open", "small_dev": "open"}


def test_highs_gives_the_same_answers_as_cbc_when_installed():
    pytest.importorskip("highspy", reason="HiGHS is optional (pip install highspy)")
    game = game_from(CONITZER_SANDHOLM)
    assert optimal_commitment(game, solver=SolverOptions("highs")).leader_value == F(7, 2)
    entry = cheapest_implementation(policy.load("platform_entry"), {"entrant": "enter"},
                                    robust="dominant", margin=F(1, 10), solver=SolverOptions("highs"))
    assert entry.cost == F(11, 10)


# -- k-implementation (Monderer & Tennenholtz 2004) ------------------------------------------

def closed_form_cost(arrays, target):
    """Σ over players of max(0, best deviation gain at the target)."""
    total = F(0)
    for i, array in enumerate(arrays):
        here = array[target]
        best = max(array[target[:i] + (d,) + target[i + 1:]] for d in range(array.shape[i]))
        total += max(F(0), best - here)
    return total


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(2, 3), min_size=2, max_size=3), st.integers(0, 2**32 - 1))
def test_transfer_cost_equals_the_closed_form_on_random_games(shape, seed):
    rng = np.random.default_rng(seed)
    arrays = [np.array([F(int(v), 4) for v in rng.integers(-20, 20, int(np.prod(shape)))],
                       dtype=object).reshape(shape) for _ in shape]
    players = {f"p{i}": [f"s{i}_{k}" for k in range(n)] for i, n in enumerate(shape)}
    lines = ["players:"] + [f"  {p}: [{', '.join(s)}]" for p, s in players.items()] + ["payoffs:"]

    def nest(prefix, depth, indent):
        for k, strategy in enumerate(players[f"p{depth}"]):
            here = prefix + (k,)
            if depth == len(shape) - 1:
                lines.append(" " * indent + f"{strategy}: [" +
                             ", ".join(f'"{a[here]}"' for a in arrays) + "]")
            else:
                lines.append(" " * indent + f"{strategy}:")
                nest(here, depth + 1, indent + 2)

    nest((), 0, 2)
    game = game_from("\n".join(lines))
    target = tuple(int(v) for v in rng.integers(0, shape))
    names = {f"p{i}": players[f"p{i}"][k] for i, k in enumerate(target)}
    result = cheapest_implementation(game, names, transfers=True)
    assert result.cost == closed_form_cost(arrays, target)


# -- every bundled game, through the CLI -----------------------------------------------------

#: What ``policy optimize GAME`` does by default on each bundled game (the mode its file
#: implies: commit with a leader, implement with a target, else rank) and its exit code:
#: 0 when a policy reaches the goal, 1 when none does. Matching pennies has no controls
#: and no pure equilibrium, so no profile can be implemented.
BUNDLED_OPTIMIZE = {
    "audit_and_entry": ("rank", 0),
    "battle_of_sexes": ("rank", 0), "chicken": ("rank", 0), "enforcement": ("commit", 0),
    "entry_deterrence": ("rank", 0), "inspection": ("commit", 0),
    "matching_pennies": ("rank", 1), "open_source_ai": ("rank", 0),
    "platform_entry": ("implement", 0), "prisoners_dilemma": ("rank", 0),
    "regulatory_capture": ("commit", 0), "self_regulation": ("rank", 0),
}


def test_every_bundled_game_has_an_expected_optimize_outcome():
    assert sorted(BUNDLED_OPTIMIZE) == MATRIX_GAMES


@pytest.mark.parametrize("name", sorted(BUNDLED_OPTIMIZE))
def test_every_bundled_game_optimises_to_a_verified_policy_or_an_explanation(name, tmp_path):
    result = CliRunner().invoke(cli, ["optimize", name, "--json", "--out", str(tmp_path)])
    mode, exit_code = BUNDLED_OPTIMIZE[name]
    assert result.exit_code == exit_code, result.output
    doc = json.loads(result.stdout)
    assert doc["mode"] == mode
    if mode == "rank":  # exit 1 exactly when no profile can be reached
        assert any(item["cost"] is not None for item in doc["profiles"]) == (exit_code == 0)
    items = doc["profiles"] if doc["mode"] == "rank" else [doc]
    for item in items:
        if item["mode"] == "commit":
            assert item["verified"] or item["status"] != "optimal"
        else:
            assert item["verified"] if item["cost"] is not None else item["explanation"]
    assert (tmp_path / name / "optimize.md").exists()


def test_optimize_json_has_the_documented_fields(tmp_path):
    runner = CliRunner()
    commit = json.loads(runner.invoke(cli, ["optimize", "inspection", "--mode", "commit", "--json",
                                            "--no-report"]).stdout)
    assert {"mode", "leader", "commitment", "followers", "leader_value", "status",
            "verified"} <= set(commit)
    assert commit["commitment"] == {"inspect": 2 / 7, "trust": 5 / 7}
    implement = runner.invoke(cli, ["optimize", "platform_entry", "--target", "entrant=enter",
                                    "--target", "incumbent=restrain", "--robust", "dominant",
                                    "--margin", "1/2", "--json", "--no-report"])
    doc = json.loads(implement.stdout)
    assert {"mode", "target", "controls", "cost", "status", "verified", "other_equilibria"} <= set(doc)
    assert doc["controls"] == {"scale_levy": 2.5, "entry_subsidy": 1.5} and doc["cost"] == 1.5


def test_optimize_exits_1_when_no_policy_reaches_the_target():
    result = CliRunner().invoke(cli, ["optimize", "battle_of_sexes", "--target", "row=opera",
                                      "--target", "column=football", "--no-report"])
    assert result.exit_code == 1
    assert "cannot be implemented" in result.stdout


def test_optimize_reports_are_deterministic(tmp_path):
    runner = CliRunner()
    outputs = []
    for _ in range(2):
        runner.invoke(cli, ["optimize", "platform_entry", "--out", str(tmp_path)])
        outputs.append((tmp_path / "platform_entry" / "optimize.json").read_bytes())
    assert outputs[0] == outputs[1]


def test_bad_target_is_a_usage_error():
    result = CliRunner().invoke(cli, ["optimize", "platform_entry", "--target", "entrant=fly"])
    assert result.exit_code == 2
    assert "target: 'fly' is not a strategy of entrant; strategies: enter, stay_out" in result.stderr


@pytest.mark.parametrize("status, sol_status, mip, expected", [
    (1, 1, False, "optimal"),
    (1, 2, True, "time limit, best found"),   # PuLP says "Optimal" here; sol_status knows better
    (-1, -1, False, "infeasible"),
    (-2, -2, False, "unbounded"),
    (0, 0, True, "time limit, no solution"),
])
def test_solver_statuses_are_reported_honestly(monkeypatch, status, sol_status, mip, expected):
    import pulp

    from policy.optimize.solver import run as _run

    problem = pulp.LpProblem("stub", pulp.LpMinimize)
    x = problem.add_variable("x", 0, 1, "Integer" if mip else "Continuous")
    problem += x

    def fake_solve(self, solver=None, **kwargs):
        self.status, self.sol_status = status, sol_status
        return status

    monkeypatch.setattr(pulp.LpProblem, "solve", fake_solve)
    assert _run(problem, SolverOptions("cbc", time_limit=1)).status == expected


def test_pessimistic_commitment_with_two_followers_guards_against_every_equilibrium():
    game = policy.load("regulatory_capture")
    optimistic = optimal_commitment(game)
    pessimistic = optimal_commitment(game, pessimistic=True, margin=F(1, 100))
    assert pessimistic.verified
    assert pessimistic.leader_value <= optimistic.leader_value
    # whatever pure equilibrium the followers pick against the commitment, the leader gets
    # at least the reported value (recomputed by brute force here)
    from policy.optimize.commitment import _bound_payoffs, _is_follower_equilibrium, _expected_value
    import itertools as it

    values = game.values_with({})
    payoffs = _bound_payoffs(game, values)
    leader = game.players.index("regulator")
    vector = [pessimistic.commitment[s] for s in game.strategies[leader]]
    for profile in it.product(range(2), range(2)):
        if _is_follower_equilibrium(vector, game.shape, payoffs, leader, profile, 0, True):
            value = _expected_value(vector, game.shape, [row[leader] for row in payoffs], leader,
                                    profile)
            assert value >= pessimistic.leader_value


# Followers who play matching pennies whatever the leader does: no pure follower profile
# is ever an equilibrium, so only a mixed follower equilibrium answers a commitment.
MATCHING_PENNIES_FOLLOWERS = """
players: {boss: [a, b], f1: [h, t], f2: [h, t]}
leader: boss
payoffs:
  a:
    h: {h: [3, 1, -1], t: [0, -1, 1]}
    t: {h: [0, -1, 1], t: [3, 1, -1]}
  b:
    h: {h: [1, 2, -2], t: [1, -2, 2]}
    t: {h: [1, -2, 2], t: [1, 2, -2]}
"""


def test_followers_with_only_mixed_equilibria_answer_a_pure_commitment():
    result = optimal_commitment(game_from(MATCHING_PENNIES_FOLLOWERS))
    # at a the followers mix 1/2-1/2 and the boss expects 3 half the time: 3/2 > 1 at b
    assert result.commitment == {"a": 1, "b": 0}
    assert result.followers == {"f1": {"h": F(1, 2), "t": F(1, 2)},
                                "f2": {"h": F(1, 2), "t": F(1, 2)}}
    assert result.leader_value == F(3, 2)
    assert result.verified and result.exact
    assert "mixed commitments against mixed follower equilibria were not searched" \
        in result.verification


def test_a_mixed_commitment_answer_says_so_in_every_format(tmp_path):
    path = tmp_path / "pennies.yaml"
    path.write_text(MATCHING_PENNIES_FOLLOWERS)
    out = CliRunner().invoke(cli, ["optimize", str(path), "--mode", "commit", "--out",
                                   str(tmp_path / "r")])
    assert out.exit_code == 0, out.output
    assert "followers: f1=(h 1/2, t 1/2), f2=(h 1/2, t 1/2); leader value 3/2" in out.output
    document = json.loads((tmp_path / "r" / "pennies" / "optimize.json").read_text())
    assert document["followers"]["f1"] == {"h": "1/2", "t": "1/2"}
    markdown = (tmp_path / "r" / "pennies" / "optimize.md").read_text()
    assert "an equilibrium of their own game (here a mixed one)" in markdown


# At a the followers coordinate (both pure equilibria give the boss 10, the mixed one 5);
# at b they have dominant strategies and the boss gets 6.
COORDINATING_FOLLOWERS = """
players: {boss: [a, b], f1: [h, t], f2: [h, t]}
leader: boss
payoffs:
  a:
    h: {h: [10, 1, 1], t: [0, 0, 0]}
    t: {h: [0, 0, 0], t: [10, 1, 1]}
  b:
    h: {h: [6, 1, 1], t: [6, 1, 0]}
    t: {h: [6, 0, 1], t: [6, 0, 0]}
"""


def test_a_pessimistic_guarantee_covers_mixed_follower_equilibria_too():
    game = game_from(COORDINATING_FOLLOWERS)
    result = optimal_commitment(game, pessimistic=True)
    # committing to a guarantees 10 against pure follower equilibria, but their mixed
    # equilibrium (1/2 each) gives 5; b guarantees 6
    assert result.commitment == {"a": 0, "b": 1}
    assert result.leader_value == 6 and result.verified
    # the guarantee holds against every follower equilibrium at the commitment,
    # recomputed here from the followers' game by brute force over a fine grid
    grid = [F(k, 20) for k in range(21)]
    for p, q in ((p, q) for p in grid for q in grid):
        f1 = [(1 - q) * 1 + q * 1, (1 - q) * 0 + q * 0]   # at b: h pays 1, t pays 0
        f2 = [(1 - p) * 1 + p * 1, 0]
        if (p == 0 or f1[1] >= f1[0]) and (p == 1 or f1[0] >= f1[1]) and \
                (q == 0 or f2[1] >= f2[0]) and (q == 1 or f2[0] >= f2[1]):
            assert 6 >= result.leader_value


def test_a_mixed_follower_equilibrium_lowers_the_guarantee_of_a_mixed_commitment():
    # with b removed the boss must commit to a, and the guarantee is the mixed equilibrium's 5
    text = COORDINATING_FOLLOWERS.replace("boss: [a, b]", "boss: [a]").split("  b:")[0]
    result = optimal_commitment(game_from(text), pessimistic=True)
    assert result.commitment == {"a": 1}
    assert result.leader_value == 5
    assert "a mixed one gives the leader only 5" in result.verification


# ---------------------------------------------------------------------------------------
# exact optima (issue 13, items 1-4)
# ---------------------------------------------------------------------------------------

USER_GAMES = __import__("pathlib").Path(__file__).parent / "data" / "user_games"


def test_licensing_fine_is_exactly_40_thirds_at_cost_4_thirds_and_verified():
    game = policy.load(str(USER_GAMES / "licensing.yaml"))
    result = cheapest_implementation(game, dict(game.spec.target))
    assert result.controls == {"fine": F(40, 3)}
    assert result.cost == F(4, 3)
    assert result.verified and "not certified" not in result.verification


def test_pessimistic_inspection_commitment_is_exactly_4001_over_14000_and_verified():
    game = policy.load("inspection")
    pessimistic = optimal_commitment(game, pessimistic=True)
    assert pessimistic.commitment == {"inspect": F(4001, 14000), "trust": F(9999, 14000)}
    assert pessimistic.verified and pessimistic.exact
    assert optimal_commitment(game).commitment["inspect"] == F(2, 7)


def test_cost_is_recomputed_from_the_exact_controls():
    game = policy.load(str(USER_GAMES / "licensing.yaml"))
    result = cheapest_implementation(game, dict(game.spec.target))
    assert result.cost == F(1, 10) * result.controls["fine"]


def _time_out_candidate(monkeypatch, status, which=1):
    """The ``which``-th LP solved reports ``status`` (as if its time limit had passed)."""
    import policy.optimize.solver as optimize

    real, calls = optimize.run, []

    def run(problem, options):
        calls.append(problem)
        info = real(problem, options)
        if len(calls) == which:
            return optimize.SolveInfo(status, info.solver, info.seconds)
        return info

    monkeypatch.setattr(optimize, "run", run)


def test_a_candidate_that_timed_out_means_the_result_is_not_called_optimal(monkeypatch):
    _time_out_candidate(monkeypatch, "time limit, no solution")
    result = optimal_commitment(policy.load("inspection"))
    assert result.commitment  # the other candidate still gives a commitment
    assert result.status == "time limit, best found"


def test_a_candidate_that_timed_out_means_the_result_is_not_called_infeasible(monkeypatch):
    # every completion of the target is infeasible except one that ran out of time
    game = game_from("""
players: {a: [x, y], b: [x, y]}
controls: {t: {value: 0, bounds: [0, 1], cost: 1}}
payoffs:
  x: {x: [0, 0], y: [0, 5]}
  y: {x: [5, 0], y: [0, 0]}
""")
    _time_out_candidate(monkeypatch, "time limit, no solution", which=2)
    result = cheapest_implementation(game, {"a": "x"}, robust="strict")
    assert result.cost is None
    assert result.status == "time limit, no solution"


def test_transfers_are_verified_by_re_solving_the_game_with_the_transfers_paid():
    game = policy.load("inspection")
    result = cheapest_implementation(game, {"regulator": "trust", "platform": "comply"},
                                     transfers=True)
    assert result.transfers == {"trust/comply": {"platform": 4}}
    assert result.verified and "re-solved" in result.verification


def test_verification_applies_the_promised_transfers():
    from policy.optimize.verify import verify_implementation as _verify_implementation

    game = policy.load("inspection")
    base = game.values_with({})
    trust_comply = (1, 0)  # outcome 2; the platform (player 1) violates unless paid 4 there
    paid = _verify_implementation(game, base, trust_comply, {"subsidy": F(0)}, [base], "nash",
                                  F(0), {(2, 1): F(4)}, 1)
    unpaid = _verify_implementation(game, base, trust_comply, {"subsidy": F(0)}, [base], "nash",
                                    F(0), {}, 1)
    assert paid[0] and not unpaid[0] and "NOT an equilibrium" in unpaid[1]


def test_scenario_verification_requires_the_share_of_scenarios():
    from policy.optimize import sample_scenarios
    from policy.optimize.verify import verify_implementation as _verify_implementation

    game = policy.load("platform_entry")
    base = game.values_with({})
    scenarios = sample_scenarios(game, 20, 3, base)
    free = {"scale_levy": F(0), "entry_subsidy": F(0)}
    restrain_enter = (game.strategies[0].index("restrain"), game.strategies[1].index("enter"))
    enough = _verify_implementation(game, base, restrain_enter, free, scenarios, "nash", F(0), {}, 1)
    assert enough[0]
    ok, text, _, satisfied = _verify_implementation(game, base, restrain_enter, free, scenarios,
                                                    "nash", F(0), {}, satisfied_plus_one(enough))
    assert not ok and f"only {enough[3]} of 20" in text


def satisfied_plus_one(verification) -> int:
    return verification[3] + 1


# ---------------------------------------------------------------------------------------
# strict inequalities: the exact threshold, whether it is attained, the value used (item 5)
# ---------------------------------------------------------------------------------------

def test_dominance_threshold_is_stated_exactly_and_not_attained():
    result = cheapest_implementation(policy.load("platform_entry"), {"entrant": "enter"},
                                     robust="dominant")
    threshold = result.threshold
    assert threshold.point == {"scale_levy": 2, "entry_subsidy": 1} and threshold.value == 1
    assert not threshold.attained
    assert threshold.statement.startswith("scale_levy > 2 and entry_subsidy > 1; at scale_levy = 2")
    assert "entrant is indifferent between enter and stay_out" in threshold.statement
    assert "used entry_subsidy = 1001/1000 = threshold + 1/1000" in threshold.used


def test_a_threshold_that_already_holds_strictly_is_said_to_be_attained():
    result = cheapest_implementation(policy.load("platform_entry"), {"entrant": "enter"},
                                     robust="strict")
    assert result.threshold.attained and "is attained" in result.threshold.statement
    assert result.threshold.value == result.cost == 0


def test_nash_implementation_has_no_strict_threshold():
    assert cheapest_implementation(policy.load("platform_entry"), {"entrant": "enter"}).threshold is None


def test_threshold_is_in_the_json_and_the_text(tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["optimize", "platform_entry", "--robust", "dominant", "--json",
                                 "--no-report"])
    document = json.loads(result.stdout)
    threshold = document["threshold"]
    assert threshold["point_exact"] == {"scale_levy": "2", "entry_subsidy": "1"}
    assert threshold["attained"] is False
    text = runner.invoke(cli, ["optimize", "platform_entry", "--robust", "dominant", "--no-report"])
    assert "threshold: scale_levy > 2 and entry_subsidy > 1" in text.output


def test_pessimistic_commitment_states_its_threshold_and_margin():
    result = optimal_commitment(policy.load("inspection"), pessimistic=True)
    threshold = result.threshold
    assert threshold.point == {"inspect": F(2, 7), "trust": F(5, 7)} and not threshold.attained
    assert threshold.statement.startswith("inspect > 2/7")
    assert "platform is indifferent between comply and violate" in threshold.statement
    assert "used inspect = 4001/14000 = threshold + 1/14000" in threshold.used
    text = CliRunner().invoke(cli, ["optimize", "inspection", "--mode", "commit", "--pessimistic",
                                    "--no-report"]).output
    assert "threshold: inspect > 2/7" in text and "NOT verified" not in text


def test_a_degenerate_vertex_falls_back_to_the_exact_simplex():
    from policy.optimize.exact_lp import Constraint, LinearProgram, Variable, exact_solution

    # minimise y subject to y >= x, y >= 2x, y >= -x: all three tight at the origin; the
    # basis of the first two has a negative dual multiplier, so no certificate from it
    lp = LinearProgram(
        (Variable("x", F(-1), F(1)), Variable("y")),
        (Constraint("a", (("y", F(1)), ("x", F(-1))), ">=", F(0)),
         Constraint("b", (("y", F(1)), ("x", F(-2))), ">=", F(0)),
         Constraint("c", (("y", F(1)), ("x", F(1))), ">=", F(0))),
        (("y", F(1)),), maximize=False)
    solution = exact_solution(lp, {"x": 1e-12, "y": 1e-12})
    assert solution.values == {"x": 0, "y": 0} and solution.certified
    assert solution.method == "exact simplex"


def test_a_float_answer_that_is_not_exactly_feasible_is_not_passed_off_as_exact():
    from policy.optimize.exact_lp import Constraint, LinearProgram, Variable, exact_solution

    lp = LinearProgram((Variable("k", F(0), F(5), integer=True),),
                       (Constraint("c", (("k", F(3)),), ">=", F(7)),), (("k", F(1)),), False)
    assert exact_solution(lp, {"k": 2.0}) is None  # 3*2 < 7: the rounded integer fails
    assert exact_solution(lp, {"k": 3.0}).values == {"k": 3}

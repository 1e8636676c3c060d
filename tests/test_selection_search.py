"""The search for the cheapest controls that make a target the *selected* equilibrium
(policy/optimize/selection_search.py): risk dominance in two-player games of any size,
the logit limit with any number of players, discrete controls and fixed costs. Each
answer is checked against a hand computation or re-verified independently here."""

from __future__ import annotations

import json
import math
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import policy
from policy.cli import cli
from policy.equilibria import find_equilibria
from policy.errors import ModelError
from policy.optimize import cheapest_implementation
from policy.optimize.verify import bind_controls
from policy.selection import logit_selection

MARGIN = Fraction(1, 1000)

#: The stag hunt of issue 18, (10,10), (1,8), (8,1), (5,5), with a subsidy ``s`` paid
#: to each hunter who hunts stag. Deviation losses: 2 + s at (stag, stag), 4 - s at
#: (hare, hare); Nash products (2 + s)² and (4 - s)², whose difference is 12s - 12.
STAG_SUBSIDY = """\
name: stag_subsidy
players:
  row: [stag, hare]
  column: [stag, hare]
controls:
  subsidy: {{value: 0, bounds: [0, 6], cost: 1, {kind}description: paid per stag hunter}}
target: {{row: stag, column: stag}}
payoffs:
  stag: {{stag: [10 + subsidy, 10 + subsidy], hare: [1 + subsidy, 8]}}
  hare: {{stag: [8, 1 + subsidy], hare: [5, 5]}}
"""

#: Three standards; a bonus ``b`` paid to each firm when both choose ``low``. Nash
#: products of (low, low) against (mid, mid) and (high, high): (2 + b)² against 4
#: and 9, so (2 + b)² - 9 ≥ 1/1000 needs b ≥ √9.001 - 2.
COORDINATION_3X3 = (Path(__file__).parent / "data" / "selection" / "three_standards.yaml").read_text()

#: Three hunters: stag pays 9 (plus the bonus) when all three hunt it, else 0; hare
#: always pays 4.
STAG_HUNT_3 = """\
name: stag_hunt_three
players:
  a: [stag, hare]
  b: [stag, hare]
  c: [stag, hare]
controls:
  bonus: {value: 0, bounds: [0, 30], cost: 1, description: paid to each hunter of a stag}
payoffs:
  stag:
    stag: {stag: [9 + bonus, 9 + bonus, 9 + bonus], hare: [0, 0, 4]}
    hare: {stag: [0, 4, 0], hare: [0, 4, 4]}
  hare:
    stag: {stag: [4, 0, 0], hare: [4, 0, 4]}
    hare: {stag: [4, 4, 0], hare: [4, 4, 4]}
"""


def _load(tmp_path, text, name="game.yaml"):
    path = tmp_path / name
    path.write_text(text)
    return policy.load(str(path))


def _logit_end(game, controls):
    """Our own re-solve at ``controls``: the strategies the logit path ends at."""
    numeric, _ = bind_controls(game, game.values_with({}), controls)
    solved = find_equilibria(numeric)
    index = logit_selection(solved).equilibrium
    return None if index is None else solved.equilibria[index].strategies


# -- the stag hunt, by hand -------------------------------------------------------------

def test_a_continuous_stag_subsidy_is_solved_exactly_at_the_hand_threshold(tmp_path):
    # 12s - 12 ≥ 1/1000: s = 1 + 1/12000, the exact 2×2 method.
    game = _load(tmp_path, STAG_SUBSIDY.format(kind=""))
    result = cheapest_implementation(game, {"row": "stag", "column": "stag"},
                                     robust="risk-dominant")
    assert result.status == "optimal" and result.verified
    assert result.controls == {"subsidy": Fraction(12001, 12000)}


@pytest.mark.parametrize("robust", ["risk-dominant", "logit"])
def test_an_integer_stag_subsidy_is_searched_and_needs_two(tmp_path, robust):
    # s = 1 ties the Nash products (9 = 9), so no criterion selects (stag, stag); s = 2
    # gives 16 against 4.
    game = _load(tmp_path, STAG_SUBSIDY.format(kind="type: integer, "))
    result = cheapest_implementation(game, {"row": "stag", "column": "stag"}, robust=robust)
    assert result.status == "best found by search" and result.verified
    assert result.controls == {"subsidy": 2} and result.cost == 2
    assert "not proven cheapest" in result.verification
    assert _logit_end(game, {"subsidy": Fraction(2)}) == ((1, 0), (1, 0))
    assert _logit_end(game, {"subsidy": Fraction(1)}) != ((1, 0), (1, 0))


STAG_CAMPAIGN = """\
name: stag_campaign
players:
  row: [stag, hare]
  column: [stag, hare]
controls:
  campaign: {value: 0, bounds: [0, 1], cost: 0, fixed_cost: 3, type: binary, description: on or off}
payoffs:
  stag: {stag: [10 + 3 * campaign, 10 + 3 * campaign], hare: [1 + 3 * campaign, 8]}
  hare: {stag: [8, 1 + 3 * campaign], hare: [5, 5]}
"""


def test_a_binary_campaign_with_a_fixed_cost_is_paid_only_when_it_tips_the_hunt(tmp_path):
    # the campaign adds 3 per stag hunter: Nash products 5² = 25 against 1² = 1
    game = _load(tmp_path, STAG_CAMPAIGN)
    result = cheapest_implementation(game, {"row": "stag", "column": "stag"},
                                     robust="risk-dominant")
    assert result.controls == {"campaign": 1} and result.cost == 3 and result.verified
    assert "Nash products 25 against 1" in result.verification


# -- a 3×3 game --------------------------------------------------------------------------

def test_a_3x3_bonus_for_risk_dominance_lands_on_the_hand_threshold(tmp_path):
    game = _load(tmp_path, COORDINATION_3X3)
    result = cheapest_implementation(game, {"firm_a": "low", "firm_b": "low"},
                                     robust="risk-dominant")
    bonus = result.controls["bonus"]
    assert result.status == "best found by search" and result.verified
    assert (2 + bonus) ** 2 - 9 >= MARGIN  # the hand condition holds …
    assert bonus - (math.sqrt(9.001) - 2) < 1e-6  # … and the search stopped just past it
    assert result.cost == bonus
    assert "Nash products" in result.verification and "6 other equilibria" in result.verification


def test_a_3x3_bonus_for_the_logit_limit_is_verified_by_retracing_and_a_bit_less_fails(tmp_path):
    game = _load(tmp_path, COORDINATION_3X3)
    result = cheapest_implementation(game, {"firm_a": "low", "firm_b": "low"}, robust="logit")
    bonus = result.controls["bonus"]
    assert result.verified and "the logit path ends at the target" in result.verification
    low_low = ((1, 0, 0), (1, 0, 0))
    assert _logit_end(game, {"bonus": bonus}) == low_low
    assert _logit_end(game, {"bonus": bonus * Fraction(99, 100)}) != low_low
    # the logit limit asks for more than risk dominance here, never less than 1
    assert 1 < bonus < Fraction(11, 10)


# -- three players ----------------------------------------------------------------------

def test_a_three_player_stag_hunt_is_tipped_for_the_logit_limit(tmp_path):
    game = _load(tmp_path, STAG_HUNT_3)
    all_stag = ((1, 0), (1, 0), (1, 0))
    assert _logit_end(game, {"bonus": Fraction(0)}) != all_stag
    result = cheapest_implementation(game, {"a": "stag", "b": "stag", "c": "stag"},
                                     robust="logit")
    bonus = result.controls["bonus"]
    assert result.verified and result.status == "best found by search"
    assert _logit_end(game, {"bonus": bonus}) == all_stag
    assert _logit_end(game, {"bonus": bonus * Fraction(99, 100)}) != all_stag
    with pytest.raises(ModelError, match="not defined for stag_hunt_three"):
        cheapest_implementation(game, {"a": "stag"}, robust="risk-dominant")


# -- random games, against a hand formula ------------------------------------------------

RANDOM_3X3 = """\
name: random_three
players:
  row: [r1, r2, r3]
  column: [c1, c2, c3]
controls:
  bonus: {{value: 0, bounds: [0, 20], cost: 1, description: paid to both at r1 and c1}}
payoffs:
{rows}
"""


def _hand_threshold(A, B):
    """The smallest bonus at (r1, c1) making it strict by the margin and beating every
    other strict equilibrium (each independent of the bonus) on Nash products, or None
    when there is no other strict equilibrium."""
    rivals = [(s, d) for s in (1, 2) for d in (1, 2)
              if all(A[s][d] > A[t][d] for t in range(3) if t != s)
              and all(B[s][d] > B[s][e] for e in range(3) if e != d)]
    if not rivals:
        return None
    need = [max(A[s][0] - A[0][0] for s in (1, 2)) + MARGIN,
            max(B[0][d] - B[0][0] for d in (1, 2)) + MARGIN]
    for s, d in rivals:
        x, y = A[0][0] - A[s][0], B[0][0] - B[0][d]
        rival = (A[s][d] - A[0][d]) * (B[s][d] - B[s][0]) + MARGIN
        # (x + b)(y + b) = rival: the larger root
        need.append(Fraction((-(x + y) + math.sqrt((x - y) ** 2 + 4 * rival)) / 2))
    return max(need)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.integers(0, 9), min_size=18, max_size=18))
def test_random_3x3_risk_dominance_targets_match_the_hand_formula(tmp_path, numbers):
    A = [numbers[0:3], numbers[3:6], numbers[6:9]]
    B = [numbers[9:12], numbers[12:15], numbers[15:18]]
    threshold = _hand_threshold(A, B)
    assume(threshold is not None and threshold <= 19)
    strategies = ("r1", "r2", "r3"), ("c1", "c2", "c3")
    rows = "\n".join(
        f"  {r}: {{" + ", ".join(
            f"{c}: [{A[i][j]}{' + bonus' if (i, j) == (0, 0) else ''}, "
            f"{B[i][j]}{' + bonus' if (i, j) == (0, 0) else ''}]"
            for j, c in enumerate(strategies[1])) + "}"
        for i, r in enumerate(strategies[0]))
    game = _load(tmp_path, RANDOM_3X3.format(rows=rows))
    result = cheapest_implementation(game, {"row": "r1", "column": "c1"}, robust="risk-dominant")
    assert result.verified, result.verification
    bonus = result.controls["bonus"]
    assert float(bonus) >= float(threshold) - 1e-12
    assert bonus - max(threshold, 0) < Fraction(1, 1000)


# -- limits, the command line and the report -----------------------------------------------

def test_the_search_is_bounded_by_a_count_of_evaluations(monkeypatch, tmp_path):
    game = _load(tmp_path, COORDINATION_3X3)
    monkeypatch.setenv("POLICY_LIMIT_SELECTION_EVALUATIONS", "2")
    stopped = cheapest_implementation(game, {"firm_a": "low"}, robust="risk-dominant")
    # the grid has 2 levels (0 fails, 4 holds), then the line search finds the budget spent
    assert stopped.controls == {"bonus": 4} and stopped.verified
    assert "POLICY_LIMIT_SELECTION_EVALUATIONS" in stopped.verification
    # mid can never be selected: the first completion spends the 2 evaluations on its
    # grid, the next one finds none left
    nothing = cheapest_implementation(game, {"firm_a": "mid"}, robust="risk-dominant")
    assert nothing.status == "not solved" and nothing.cost is None
    assert "POLICY_LIMIT_SELECTION_EVALUATIONS" in nothing.explanation


def test_a_target_no_control_can_select_says_the_search_is_no_proof(tmp_path):
    game = _load(tmp_path, COORDINATION_3X3)
    result = cheapest_implementation(game, {"firm_a": "mid", "firm_b": "mid"},
                                     robust="risk-dominant")
    assert result.status == "none found by search" and result.cost is None
    assert "This is not a proof that no control values do" in result.explanation


def test_the_cli_answers_a_3x3_risk_dominance_target(tmp_path):
    path = tmp_path / "three.yaml"
    path.write_text(COORDINATION_3X3)
    run = CliRunner().invoke(cli, ["optimize", str(path), "--robust", "risk-dominant",
                                   "--json", "--no-report"])
    assert run.exit_code == 0, run.output
    document = json.loads(run.output)
    assert document["status"] == "best found by search" and document["verified"] is True
    assert document["robust"] == "risk-dominant"


def test_the_full_report_of_a_3x3_game_compares_the_notions_side_by_side(tmp_path):
    path = tmp_path / "three.yaml"
    path.write_text(COORDINATION_3X3)
    out = tmp_path / "out"
    run = CliRunner().invoke(cli, ["report", str(path), "--out", str(out)])
    assert run.exit_code == 0, run.output
    markdown = (out / "three_standards" / "index.md").read_text()
    assert "| `nash` | `firm_a=low, firm_b=low` | 0 |" in markdown
    assert "| `risk-dominant` | `firm_a=low, firm_b=low` | ≈ 1 (best found by search) |" \
        in markdown
    assert "| `logit` | `firm_a=low, firm_b=low` | ≈ 1.001 (best found by search) |" in markdown
    assert "(the cheapest a bounded search found, not proven cheapest)" in markdown


# -- a basin target ----------------------------------------------------------------------

def _hand_stag_basin(subsidy: float) -> float:
    """Stag's replicator basin in STAG_SUBSIDY by hand: with x, y the shares hunting
    stag, each gains 6y - b (b = 4 - s) by stag over hare, so ẋ = x(1-x)(6y - b) and
    ẏ = y(1-y)(6x - b) up to the payoff scale; dy/dx separates and
    x^b (1-x)^(6-b) / (y^b (1-y)^(6-b)) is constant on orbits. The separatrix through
    the saddle (b/6, b/6) is x^b (1-x)^(6-b) = y^b (1-y)^(6-b), y ≠ x; stag's basin
    lies above it: ∫ (1 - φ(x)) dx, φ the other root (bisection, midpoint rule)."""
    b = 4 - subsidy
    if b <= 0:
        return 1.0
    saddle = b / 6

    def level(t):
        return b * math.log(t) + (6 - b) * math.log(1 - t)

    def other_root(x):
        target = level(x)
        low, high = (saddle, 1 - 1e-300) if x < saddle else (1e-300, saddle)
        for _ in range(80):
            mid = (low + high) / 2
            if (level(mid) > target) == (level(low) > target):
                low = mid
            else:
                high = mid
        return (low + high) / 2

    n = 4000
    return sum(1 - other_root((k + 0.5) / n) for k in range(n)) / n


def test_hand_basin_of_the_plain_stag_hunt_is_the_known_one():
    assert _hand_stag_basin(0) == pytest.approx(0.2636, abs=5e-4)


def test_a_stag_subsidy_for_a_90_percent_basin_agrees_with_the_hand_separatrix(tmp_path):
    game = _load(tmp_path, STAG_SUBSIDY.format(kind=""))
    result = cheapest_implementation(game, {"row": "stag", "column": "stag"}, robust="basin")
    subsidy = float(result.controls["subsidy"])
    assert result.status == "best found by search" and result.verified
    # the true basin at the chosen subsidy holds at least 90% of starting points, and
    # not by much more than the sampling room the search keeps (about 2.6 points)
    assert 0.9 <= _hand_stag_basin(subsidy) <= 0.96
    assert _hand_stag_basin(subsidy * 0.9) < _hand_stag_basin(subsidy)
    assert "with a fresh seed (1; 2,000 starting points" in result.verification
    assert "a statistical statement" in result.verification


def test_a_smaller_basin_share_costs_less_and_the_seed_is_used(tmp_path):
    game = _load(tmp_path, STAG_SUBSIDY.format(kind=""))
    half = cheapest_implementation(game, {"row": "stag", "column": "stag"}, robust="basin",
                                   basin_share="1/2", seed=7)
    assert half.verified and "with a fresh seed (8;" in half.verification
    assert 0.5 <= _hand_stag_basin(float(half.controls["subsidy"])) <= 0.58
    assert half.cost < Fraction(3, 2)  # where a 90% basin needs about 2.9


def test_basin_options_are_checked_with_clear_errors(tmp_path):
    path = tmp_path / "stag.yaml"
    path.write_text(STAG_SUBSIDY.format(kind=""))
    runner = CliRunner()
    wrong = runner.invoke(cli, ["optimize", str(path), "--robust", "basin", "--basin-share", "1.5",
                                "--no-report"])
    assert wrong.exit_code == 2
    assert wrong.output == "error: --basin-share must be between 0 and 1 (exclusive), got 1.5\n"
    alone = runner.invoke(cli, ["optimize", str(path), "--basin-share", "0.5", "--no-report"])
    assert alone.exit_code == 2
    assert alone.output == "error: --basin-share applies only with --robust basin\n"


def test_rankings_and_policy_maps_refuse_a_search_per_profile(tmp_path):
    path = tmp_path / "three.yaml"
    path.write_text(COORDINATION_3X3)
    run = CliRunner().invoke(cli, ["optimize", str(path), "--mode", "rank", "--robust", "logit",
                                   "--no-report"])
    assert run.exit_code == 2
    assert run.output == ("error: --mode rank with --robust logit would run a bounded search for "
                          "every profile; ask for one target instead (policy optimize GAME "
                          "--target player=strategy --robust logit)\n")


def test_too_many_controls_for_the_grid_are_refused_naming_the_limit(tmp_path, monkeypatch):
    monkeypatch.setenv("POLICY_LIMIT_SELECTION_EVALUATIONS", "3")
    game = _load(tmp_path, STAG_CAMPAIGN.replace(
        "  campaign:", "  other: {value: 0, bounds: [0, 1], cost: 1}\n  campaign:"))
    with pytest.raises(ModelError) as raised:
        cheapest_implementation(game, {"row": "stag", "column": "stag"}, robust="risk-dominant")
    assert str(raised.value) == (
        "the selection search over 2 controls needs a grid of 4 points, more than the 3 "
        "evaluations allowed (set POLICY_LIMIT_SELECTION_EVALUATIONS to raise this limit)")

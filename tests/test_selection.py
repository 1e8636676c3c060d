"""Equilibrium selection (policy/selection.py): risk and payoff dominance, the logit
limit as an index into the solved list, basins of attraction of the replicator and
best-response dynamics; each checked against a hand computation."""

from __future__ import annotations

import itertools
import json
import math
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from policy.best_response import is_best_response_profile
from policy.cli import cli
from policy.equilibria import find_equilibria
from policy.loader import load_game
from policy.numeric import NumericGame
from policy.selection import (BEST_RESPONSE, REPLICATOR, basins, logit_selection,
                              payoff_dominance, risk_dominance, select_equilibrium)
from policy.symbolic import SymbolicGame

DATA = Path(__file__).parent / "data" / "nfg"

#: The stag hunt of the issue: (10, 10), (1, 8), (8, 1), (5, 5).
STAG = NumericGame.from_arrays([[10, 1], [8, 5]], [[10, 8], [1, 5]],
                               strategies=[["stag", "hare"], ["stag", "hare"]])
STAG_STAG, MIXED, HARE_HARE = 0, 1, 2


@pytest.fixture(scope="module")
def stag():
    solved = find_equilibria(STAG)
    assert [eq.strategies for eq in solved.equilibria] == [
        ((1, 0), (1, 0)), ((Fraction(2, 3), Fraction(1, 3)),) * 2, ((0, 1), (0, 1))]
    return solved


# -- risk and payoff dominance ----------------------------------------------------------

def test_stag_hunt_hare_hare_is_risk_dominant_with_nash_products_16_against_4(stag):
    # Deviation losses: at (stag, stag) each player loses 10 - 8 = 2 by switching to
    # hare, product 4; at (hare, hare) each loses 5 - 1 = 4, product 16.
    risk = risk_dominance(stag)
    assert risk.equilibrium == HARE_HARE
    (pair,) = risk.pairs
    assert pair.equilibria == (STAG_STAG, HARE_HARE)
    assert pair.products == (4, 16) and pair.dominant == HARE_HARE


def test_stag_hunt_stag_stag_is_payoff_dominant(stag):
    assert payoff_dominance(stag).equilibrium == STAG_STAG


def test_a_tie_of_nash_products_selects_nothing_and_says_so():
    sexes = find_equilibria(NumericGame.from_arrays([[2, 0], [0, 1]], [[1, 0], [0, 2]]))
    risk = risk_dominance(sexes)
    assert risk.equilibrium is None and risk.pairs[0].products == (2, 2)
    assert risk.reason == ("no equilibrium is risk-dominant: two strict equilibria have equal "
                           "Nash products")
    assert payoff_dominance(sexes).equilibrium is None


def test_risk_dominance_is_not_defined_beyond_two_players_or_without_two_strict_equilibria():
    three = find_equilibria(SymbolicGame.from_spec(load_game(DATA / "2x2x2.nfg")).bind())
    assert risk_dominance(three).reason == (
        "not defined: risk dominance by Nash products compares strict equilibria of two-player "
        "games; this game has 3 players")
    pd = find_equilibria(NumericGame.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]]))
    assert risk_dominance(pd).reason == ("not defined: it compares pairs of strict equilibria, "
                                         "and the game has one")
    assert payoff_dominance(pd).reason == "not defined: the game has a single equilibrium"


def test_a_three_by_three_game_compares_every_pair_of_strict_equilibria():
    diagonal = NumericGame.from_arrays([[3, 0, 0], [0, 2, 0], [0, 0, 1]],
                                       [[3, 0, 0], [0, 2, 0], [0, 0, 1]])
    risk = risk_dominance(find_equilibria(diagonal))
    strict = sorted({i for pair in risk.pairs for i in pair.equilibria})
    assert len(strict) == 3 and len(risk.pairs) == 3
    solved = find_equilibria(diagonal)
    assert solved.equilibria[risk.equilibrium].strategies == ((1, 0, 0), (1, 0, 0))


# -- the logit limit ---------------------------------------------------------------------

def test_stag_hunt_logit_limit_is_hare_hare_as_the_hand_computed_branch_says(stag):
    # On the symmetric branch both play stag with probability p and
    # p / (1 - p) = exp(λ (6p - 4)) in the game's payoffs (stag earns 6p - 4 more than
    # hare): p = 1/2 at λ = 0, and for λ > 0 the solution through it has p < 1/2,
    # falling to 0 as λ grows: the branch ends at (hare, hare).
    found = logit_selection(stag)
    assert found.equilibrium == HARE_HARE and found.match == "exact"
    scale = 9  # the largest max - min of one player's payoffs
    for lam, row, column in zip(found.lambdas, found.profiles[0], found.profiles[1]):
        p = row[0]
        assert abs(p - column[0]) < 1e-9 and p <= 0.5 + 1e-12
        if 1e-12 < p < 0.5 - 1e-9:
            assert math.log(p / (1 - p)) == pytest.approx(lam / scale * (6 * p - 4), abs=1e-7)


#: A 3×3 game whose principal branch turns back twice (tests/test_logit.py).
TURNING = NumericGame.from_arrays([[1, 9, 1], [9, 3, 2], [7, 1, 6]],
                                  [[5, 8, 4], [2, 3, 1], [7, 1, 7]])


def test_a_branch_with_turning_points_ends_at_a_listed_verified_equilibrium():
    solved = find_equilibria(TURNING)
    found = logit_selection(solved)
    assert found.has_turning_point and found.status == "converged"
    eq = solved.equilibria[found.equilibrium]
    assert eq.strategies == ((1, 0, 0), (0, 1, 0))
    assert is_best_response_profile(TURNING, eq.strategies)


def test_the_three_player_logit_limit_is_found_among_the_exact_equilibria():
    game = SymbolicGame.from_spec(load_game(DATA / "2x2x2.nfg")).bind()
    solved = find_equilibria(game)
    found = logit_selection(solved)
    assert found.equilibrium is not None and found.match == "exact"
    assert found.bifurcations  # McKelvey & McLennan's game: one near λ ≈ 0.64
    assert is_best_response_profile(game, solved.equilibria[found.equilibrium].strategies)


def test_a_path_stopped_by_its_step_limit_selects_nothing(monkeypatch, stag):
    monkeypatch.setenv("POLICY_LIMIT_LOGIT_STEPS", "2")
    found = logit_selection(stag)
    assert found.equilibrium is None
    assert found.reason == "the path did not converge: step limit reached"


def test_the_logit_limit_of_selection_is_bounded_by_the_number_of_strategies(monkeypatch, stag):
    monkeypatch.setenv("POLICY_LIMIT_SELECTION_STRATEGIES", "3")
    found = logit_selection(stag)
    assert found.equilibrium is None and found.steps == 0
    assert found.reason == ("not computed: the game has 4 strategies in all, more than 3 (set "
                            "POLICY_LIMIT_SELECTION_STRATEGIES to raise this limit)")


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(-9, 9), min_size=4, max_size=4))
def test_in_symmetric_2x2_games_the_logit_limit_is_the_risk_dominant_equilibrium(payoffs):
    # In symmetric 2×2 games with two strict equilibria the principal branch stays
    # symmetric and ends at the risk-dominant one (McKelvey & Palfrey 1995; Turocy 2005).
    a = [payoffs[0:2], payoffs[2:4]]
    game = NumericGame.from_arrays(a, [list(column) for column in zip(*a)])
    solved = find_equilibria(game)
    risk = risk_dominance(solved)
    if risk.equilibrium is None:
        return
    assert logit_selection(solved).equilibrium == risk.equilibrium


def test_in_asymmetric_2x2_games_the_logit_limit_may_differ_from_risk_dominance():
    # found by hypothesis: Nash products 6 (top-left) against 5 (bottom-right), yet the
    # principal branch ends at bottom-right; both answers are reported as they are
    solved = find_equilibria(NumericGame.from_arrays([[0, 0], [-2, 5]], [[0, -3], [0, 1]]))
    risk = risk_dominance(solved)
    logit = logit_selection(solved)
    assert [list(s) for s in solved.equilibria[risk.equilibrium].strategies] == [[1, 0], [1, 0]]
    assert [list(s) for s in solved.equilibria[logit.equilibrium].strategies] == [[0, 1], [0, 1]]


# -- basins of attraction ----------------------------------------------------------------

def _stag_basin_of_the_replicator() -> float:
    """The hand computation: with x, y the shares playing stag, the replicator is
    ẋ = x(1-x)(6y-4)/9, ẏ = y(1-y)(6x-4)/9, so dy/dx separates and
    x⁴(1-x)² / (y⁴(1-y)²) is constant on orbits. The separatrix (the saddle
    (2/3, 2/3)'s stable curve) is x²(1-x) = y²(1-y), y ≠ x; stag's basin lies above it:
    its area is ∫ (1 - φ(x)) dx, φ(x) the other root, by bisection and the midpoint rule."""
    def other_root(x):
        c = x * x * (1 - x)
        low, high = (2 / 3, 1.0) if x < 2 / 3 else (0.0, 2 / 3)
        for _ in range(60):
            mid = (low + high) / 2
            if (low * low * (1 - low) - c > 0) == (mid * mid * (1 - mid) - c > 0):
                low = mid
            else:
                high = mid
        return (low + high) / 2

    n = 20_000
    return sum(1 - other_root((k + 0.5) / n) for k in range(n)) / n


def test_stag_hunt_replicator_basins_agree_with_the_hand_computed_separatrix(stag):
    exact = _stag_basin_of_the_replicator()
    assert exact == pytest.approx(0.2636, abs=5e-4)
    found = basins(stag, REPLICATOR)
    share = found.share_of(STAG_STAG)
    assert share.interval_95[0] <= exact <= share.interval_95[1]
    assert found.share_of(HARE_HARE).share > 0.7
    assert found.largest == HARE_HARE


def test_stag_hunt_best_response_basins_agree_with_the_hand_computation(stag):
    # Best responses switch at x = 2/3 and y = 2/3. In the square where both exceed 2/3
    # play goes to (stag, stag); where both are below, to (hare, hare). From x > 2/3,
    # y < 2/3, x = x0 e^{-t} and 1 - y = (1 - y0) e^{-t}: y reaches 2/3 first (then both
    # head for stag) iff y0 > 1 - x0/2, a triangle of area ∫_{2/3}^{1} (x/2 - 1/3) dx
    # = 1/36; the same by symmetry in the other corner. Stag's basin: 1/9 + 2/36 = 1/6.
    found = basins(stag, BEST_RESPONSE)
    share = found.share_of(STAG_STAG)
    assert share.interval_95[0] <= 1 / 6 <= share.interval_95[1]
    assert found.share_of(HARE_HARE).interval_95[0] <= 5 / 6 <= found.share_of(HARE_HARE).interval_95[1]
    assert found.largest == HARE_HARE


def test_basins_are_seeded_and_deterministic(stag):
    assert basins(stag, REPLICATOR, seed=3) == basins(stag, REPLICATOR, seed=3)
    assert basins(stag, REPLICATOR, seed=3) != basins(stag, REPLICATOR, seed=4)
    counts = basins(stag, BEST_RESPONSE, points=500)
    assert sum(s.count for s in counts.shares) == counts.points == 500


def test_the_work_limit_counts_points_never_seconds(monkeypatch, stag):
    monkeypatch.setenv("POLICY_LIMIT_BASIN_WORK", "1000000")  # 1,000 steps × 4 × 2 each
    fewer = basins(stag, REPLICATOR)
    assert fewer.points == 125 and "POLICY_LIMIT_BASIN_WORK" in fewer.note
    monkeypatch.setenv("POLICY_LIMIT_BASIN_WORK", "1000")
    none = basins(stag, REPLICATOR)
    assert none.points == 0 and none.shares == () and none.note.startswith("not computed")


def test_replicator_play_cycles_around_matching_pennies_and_never_settles():
    pennies = find_equilibria(NumericGame.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]]))
    cycling = basins(pennies, REPLICATOR, points=300)
    assert cycling.share_of(None).share > 0.9 and cycling.largest is None


def test_three_players_get_basins_too():
    game = SymbolicGame.from_spec(load_game(DATA / "2x2x2.nfg")).bind()
    solved = find_equilibria(game)
    found = basins(solved, BEST_RESPONSE, points=300)
    assert sum(s.count for s in found.shares) == 300
    assert all(s.equilibrium is None or 0 <= s.equilibrium < len(solved.equilibria)
               for s in found.shares)


def test_select_equilibrium_answers_every_criterion(stag):
    chosen = select_equilibrium(stag, points=500)
    assert chosen.selected() == {"risk dominance": HARE_HARE, "payoff dominance": STAG_STAG,
                                 "logit limit": HARE_HARE, "replicator dynamics": HARE_HARE,
                                 "best-response dynamics": HARE_HARE}


# -- the solve command ---------------------------------------------------------------------

STAG_YAML = """\
name: stag_hunt
title: Stag hunt
players:
  row: {strategies: [stag, hare]}
  column: {strategies: [stag, hare]}
payoffs:
  stag: {stag: [10, 10], hare: [1, 8]}
  hare: {stag: [8, 1], hare: [5, 5]}
"""


def test_solve_json_has_the_selection_contract(tmp_path):
    path = tmp_path / "stag_hunt.yaml"
    path.write_text(STAG_YAML)
    result = CliRunner().invoke(cli, ["solve", str(path), "--json", "--no-report"])
    assert result.exit_code == 0, result.output
    selection = json.loads(result.output)["selection"]
    assert selection["risk_dominant"] == {"equilibrium": 2,
                                          "profile": {"row": "hare", "column": "hare"},
                                          "nash_products": {"2": "16", "0": "4"}}
    assert selection["payoff_dominant"] == 0 and selection["logit_limit"] == 2
    replicator = selection["basins"]["replicator"]
    assert [s["equilibrium"] for s in replicator["shares"]] == [0, 2]
    assert all(len(s["interval_95"]) == 2 for s in replicator["shares"])
    assert selection["selected"] == {"risk_dominance": 2, "payoff_dominance": 0,
                                     "logit_limit": 2, "replicator": 2, "best_response": 2}
    assert selection["summary"][-1] == (
        "The criteria disagree: risk dominance, the logit path, replicator dynamics and "
        "best-response dynamics select #3 (hare, hare); payoff dominance selects #1 (stag, stag).")


def test_solve_markdown_and_text_say_the_likely_outcome(tmp_path):
    path = tmp_path / "stag_hunt.yaml"
    path.write_text(STAG_YAML)
    result = CliRunner().invoke(cli, ["solve", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "likely outcome:" in result.output
    assert "Risk dominance selects #3 (hare, hare)" in result.output
    markdown = (tmp_path / "out" / "stag_hunt" / "solve.md").read_text()
    assert "## The likely outcome" in markdown
    assert "| Risk dominance (Harsanyi–Selten) | #3 |" in markdown
    again = CliRunner().invoke(cli, ["solve", str(path), "--out", str(tmp_path / "again")])
    assert again.exit_code == 0
    assert (tmp_path / "again" / "stag_hunt" / "solve.md").read_bytes() == markdown.encode()
    assert ((tmp_path / "again" / "stag_hunt" / "solve.json").read_bytes()
            == (tmp_path / "out" / "stag_hunt" / "solve.json").read_bytes())


# -- interventions that tip the selection ---------------------------------------------------

def _no_levy(tmp_path) -> Path:
    """platform_entry with the free scale levy fixed at 0: only the paid subsidy is left."""
    text = (Path(__file__).parent.parent / "games" / "platform_entry.yaml").read_text()
    path = tmp_path / "no_levy.yaml"
    path.write_text(text.replace("    bounds: [0, 5]\n    cost: 0", "    bounds: [0, 0]\n    cost: 0", 1))
    return path


def _selected_after(game, controls, robust):
    """Re-solve ``game`` with ``controls`` ourselves and ask the selection criterion."""
    from policy.optimize.verify import bind_controls

    numeric, _ = bind_controls(game, game.values_with({}), controls)
    solved = find_equilibria(numeric)
    index = risk_dominance(solved).equilibrium if robust == "risk-dominant" \
        else logit_selection(solved).equilibrium
    return solved.equilibria[index].strategies


@pytest.mark.parametrize("robust, levy, subsidy, cost", [
    ("nash", Fraction(0), Fraction(0), Fraction(0)),
    ("unique", Fraction(2001, 1000), Fraction(0), Fraction(0)),
    ("risk-dominant", Fraction(1, 3000), Fraction(0), Fraction(0)),
    ("logit", Fraction(1, 300), Fraction(0), Fraction(0))])
def test_platform_entry_cheapest_intervention_under_each_notion_verified(robust, levy, subsidy,
                                                                         cost):
    # The levy is free (it is never collected once it deters expansion). At the default
    # values the two strict equilibria tie: Nash products (6 - 5)(2 - 0) = 2 at
    # (restrain, enter) and (12 - 10)(0 + 1) = 2 at (expand, stay_out). A levy ℓ makes
    # them (1 + ℓ)·2 and (2 - ℓ)·1: the difference 3ℓ ≥ 1/1000 at ℓ = 1/3000.
    import policy
    from policy.optimize import cheapest_implementation

    game = policy.load("platform_entry")
    result = cheapest_implementation(game, {"entrant": "enter"}, robust=robust)
    assert result.target == {"incumbent": "restrain", "entrant": "enter"}
    assert result.controls == {"scale_levy": levy, "entry_subsidy": subsidy}
    assert result.cost == cost and result.verified
    if robust in ("risk-dominant", "logit"):
        assert _selected_after(game, result.controls, robust) == ((0, 1), (1, 0))


@pytest.mark.parametrize("robust, subsidy", [
    ("nash", Fraction(0)), ("unique", Fraction(1001, 1000)),
    ("risk-dominant", Fraction(1, 3000)), ("logit", Fraction(1, 300))])
def test_without_the_levy_tipping_the_selection_costs_far_less_than_uniqueness(tmp_path, robust,
                                                                              subsidy):
    # With only the subsidy σ: products (2 + σ)·1 against 2·(1 - σ), so σ = 1/3000
    # makes entry risk-dominant, where making it the only equilibrium needs σ > 1.
    import policy
    from policy.optimize import cheapest_implementation

    game = policy.load(str(_no_levy(tmp_path)))
    result = cheapest_implementation(game, {"entrant": "enter"}, robust=robust)
    assert result.controls["entry_subsidy"] == subsidy and result.cost == subsidy
    assert result.verified
    if robust in ("risk-dominant", "logit"):
        assert _selected_after(game, result.controls, robust) == ((0, 1), (1, 0))


STAG_BONUS = """\
name: stag_bonus
players:
  row: {strategies: [stag, hare]}
  column: {strategies: [stag, hare]}
controls:
  bonus: {value: 0, bounds: [0, 10], cost: 2, description: paid to each hunter when both hunt stag}
payoffs:
  stag: {stag: [10 + bonus, 10 + bonus], hare: [1, 8]}
  hare: {stag: [8, 1], hare: [5, 5]}
"""


def test_an_irrational_optimum_is_said_and_a_rational_point_next_to_it_is_verified(tmp_path):
    # (2 + b)² - 16 ≥ 1/1000: b ≥ sqrt(16.001) - 2, irrational.
    import policy
    from policy.optimize import cheapest_implementation

    path = tmp_path / "stag_bonus.yaml"
    path.write_text(STAG_BONUS)
    result = cheapest_implementation(policy.load(str(path)), {"row": "stag", "column": "stag"},
                                     robust="risk-dominant")
    bonus = result.controls["bonus"]
    assert 0 <= bonus - (math.sqrt(16.001) - 2) < 1e-6
    assert (2 + bonus) ** 2 - 16 >= Fraction(1, 1000)
    assert result.verified and "the exact optimum is irrational" in result.verification


def test_no_control_can_make_staying_out_risk_dominant():
    import policy
    from policy.optimize import cheapest_implementation

    result = cheapest_implementation(policy.load("platform_entry"), {"entrant": "stay_out"},
                                     robust="risk-dominant")
    assert result.cost is None and result.status == "infeasible" and not result.verified
    assert result.explanation == (
        "no control values within the bounds make expand, stay_out the selected equilibrium; "
        "no control values within the bounds make restrain, stay_out the selected equilibrium")


def test_the_search_is_bounded_by_a_count_of_faces(monkeypatch):
    import policy
    from policy.optimize import cheapest_implementation

    monkeypatch.setenv("POLICY_LIMIT_SELECTION_FACES", "3")
    result = cheapest_implementation(policy.load("platform_entry"), {"entrant": "enter"},
                                     robust="risk-dominant")
    assert result.status == "not solved" and "POLICY_LIMIT_SELECTION_FACES" in result.explanation


def test_risk_dominance_targets_are_refused_beyond_two_players_and_say_why():
    import policy
    from policy.errors import ModelError
    from policy.optimize import cheapest_implementation

    with pytest.raises(ModelError) as raised:
        cheapest_implementation(policy.load("audit_and_entry"), {"entrant": "enter"},
                                robust="risk-dominant")
    assert str(raised.value) == (
        "--robust risk-dominant is not defined for audit_and_entry: risk dominance by Nash "
        "products compares strict equilibria of two-player games, and it has 3 players "
        "(try --robust logit)")


def test_optimize_cli_risk_dominant(tmp_path):
    result = CliRunner().invoke(cli, ["optimize", "platform_entry", "--robust", "risk-dominant",
                                      "--json", "--no-report"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["robust"] == "risk-dominant" and document["verified"] is True
    assert document["controls_exact"] == {"scale_levy": "1/3000", "entry_subsidy": "0"}


def test_the_full_report_compares_every_notion_side_by_side(tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["report", str(_no_levy(tmp_path)), "--out", str(out)])
    assert result.exit_code == 0, result.output
    markdown = (out / "platform_entry" / "index.md").read_text()  # the name: in the file
    assert "### Side by side: how firmly the goal holds, and what it costs" in markdown
    for row in ("| `nash` | `incumbent=restrain, entrant=enter` | 0 |",
                "| `unique` | `incumbent=restrain, entrant=enter` | 1001/1000 ≈ 1.001 |",
                "| `risk-dominant` | `incumbent=restrain, entrant=enter` | 1/3000 ≈ 0.0003333 |",
                "| `logit` | `incumbent=restrain, entrant=enter` | 1/300 ≈ 0.003333 |"):
        assert row in markdown


# -- the sweep's selection map ----------------------------------------------------------------

def test_the_risk_dominance_map_agrees_with_risk_dominance_point_by_point():
    import policy
    from policy.sweep import GridAxis
    from policy.sweep.selection_map import risk_dominance_map

    game = policy.load("platform_entry")
    axes = [GridAxis.parse("a=0:2:5"), GridAxis.parse("entry_subsidy=0:2:5")]
    found = risk_dominance_map(game, axes, game.values_with({}))
    for (i, a), (j, subsidy) in itertools.product(enumerate(axes[0].values()),
                                                  enumerate(axes[1].values())):
        values = {"a": Fraction(a).limit_denominator(100),
                  "entry_subsidy": Fraction(subsidy).limit_denominator(100)}
        solved = policy.solve(game, values)
        index = risk_dominance(solved).equilibrium
        expected = (-1 if index is None else found.profiles.index(
            tuple(s[0] for s in solved.equilibria[index].supports)))
        assert found.labels[i, j] == expected, values


def test_a_sweep_of_a_2x2_game_maps_the_selected_equilibrium(tmp_path):
    result = CliRunner().invoke(cli, ["sweep", "platform_entry", "--vary", "entry_subsidy=0:1:3",
                                      "--no-boundaries", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    document = json.loads((tmp_path / "platform_entry" / "sweep.json").read_text())
    # σ = 0: the products tie (2 and 2); σ = 1/2: 2.5 against 1; σ = 1: staying out is
    # no longer strict (the entrant is indifferent against expansion)
    assert document["selection"] == {"criterion": "risk dominance", "regions": [
        {"profile": {"incumbent": "restrain", "entrant": "enter"}, "points": 1, "share": 0.333333},
        {"profile": None, "points": 2, "share": 0.666667}]}
    assert (tmp_path / "platform_entry" / "selection-map.svg").exists()


THREE_STANDARDS = (DATA.parent / "selection" / "three_standards.yaml").read_text()


def test_the_logit_map_of_a_3x3_game_agrees_with_the_logit_limit_point_by_point(tmp_path):
    import policy
    from policy.sweep import GridAxis
    from policy.sweep.selection_map import logit_map

    path = tmp_path / "three.yaml"
    path.write_text(THREE_STANDARDS)
    game = policy.load(str(path))
    axis = GridAxis.parse("bonus=0:2:9")
    found = logit_map(game, [axis], game.values_with({}))
    assert found.criterion == "logit limit"
    for i, bonus in enumerate(axis.values()):
        solved = policy.solve(game, {"bonus": Fraction(bonus).limit_denominator(100)})
        index = logit_selection(solved).equilibrium
        eq = solved.equilibria[index] if index is not None else None
        expected = (found.profiles.index(tuple(s[0] for s in eq.supports))
                    if eq is not None and eq.is_pure else -1)
        assert found.labels[i] == expected, bonus
    # (high, high) without the bonus; (low, low) once it passes about 1.0012
    assert found.labels[0] == found.profiles.index((2, 2))
    assert found.labels[-1] == found.profiles.index((0, 0))


def test_sweep_select_logit_maps_any_game_within_its_limit(tmp_path, monkeypatch):
    path = tmp_path / "three.yaml"
    path.write_text(THREE_STANDARDS)
    runner = CliRunner()
    run = runner.invoke(cli, ["sweep", str(path), "--vary", "bonus=0:2:5", "--select", "logit",
                              "--no-boundaries", "--out", str(tmp_path / "out")])
    assert run.exit_code == 0, run.output
    document = json.loads((tmp_path / "out" / "three_standards" / "sweep.json").read_text())
    # at bonus 1, low and high pay 3 each: symmetric, so the branch picks neither
    assert document["selection"] == {"criterion": "logit limit", "regions": [
        {"profile": {"firm_a": "low", "firm_b": "low"}, "points": 2, "share": 0.4},
        {"profile": {"firm_a": "high", "firm_b": "high"}, "points": 2, "share": 0.4},
        {"profile": None, "points": 1, "share": 0.2}]}
    assert "--select=logit" in document["provenance"]["command"]
    refused = runner.invoke(cli, ["sweep", str(path), "--vary", "bonus=0:2:5", "--select",
                                  "risk-dominant", "--no-report"])
    assert refused.exit_code == 2
    assert refused.output == ("error: --select risk-dominant maps 2×2 games; three_standards is "
                              "3×3 (try --select logit)\n")
    monkeypatch.setenv("POLICY_LIMIT_LOGIT_MAP_POINTS", "4")
    limited = runner.invoke(cli, ["sweep", str(path), "--vary", "bonus=0:2:5", "--select",
                                  "logit", "--no-report"])
    assert limited.exit_code == 2
    assert limited.output == (
        "error: --select logit traces one logit path per grid point: the grid has 5 points, at "
        "most 4 are allowed (use fewer points, or set POLICY_LIMIT_LOGIT_MAP_POINTS to raise "
        "this limit)\n")


def test_the_solve_json_holds_the_logit_path_thinned_and_ending_at_the_limit(tmp_path):
    run = CliRunner().invoke(cli, ["solve", "inspection", "--json", "--no-report"])
    assert run.exit_code == 0, run.output
    document = json.loads(run.output)
    logit = document["selection"]["logit"]
    path = logit["path"]
    assert logit["points"] > 41 and len(path) == 41  # thinned, bounded
    assert path[0] == {"lambda": 0.0, "profile": {"regulator": [0.5, 0.5],
                                                  "platform": [0.5, 0.5]}}
    lambdas = [p["lambda"] for p in path]
    assert lambdas == sorted(lambdas)  # no turning point on this branch
    end = document["equilibria"][document["selection"]["logit_limit"]]
    for player, row in path[-1]["profile"].items():
        expected = [float(Fraction(v)) for v in end["exact"][player].values()]
        assert row == pytest.approx(expected, abs=1e-4)

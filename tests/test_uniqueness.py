"""Specification of ``--robust unique``: the cheapest controls that leave the target the
only equilibrium, found through iterated elimination of strictly dominated strategies
and checked exactly."""

from __future__ import annotations

import itertools
import json
from fractions import Fraction as F

import numpy as np
import pytest
from click.testing import CliRunner

import policy
from policy.cli import cli
from policy.equilibria import find_equilibria
from policy.readers.yaml_normal_form import load_game_text
from policy.optimize import DEFAULT_MARGIN, cheapest_implementation
from policy.symbolic import SymbolicGame
from policy.optimize.uniqueness import iterated_elimination


def game_from(text: str, name: str = "game") -> SymbolicGame:
    return SymbolicGame.from_spec(load_game_text(text, path=f"{name}.yaml"))


def bound(game: SymbolicGame, controls) -> list:
    values = {k: v for k, v in controls.items()}
    return game.bind(values).exact_payoffs


def test_platform_entry_is_made_the_only_outcome_for_free_by_the_levy():
    result = cheapest_implementation(policy.load("platform_entry"), {"entrant": "enter"},
                                     robust="unique")
    assert result.status == "optimal"
    assert result.cost == 0
    assert result.verified
    assert result.target == {"incumbent": "restrain", "entrant": "enter"}
    assert result.controls["scale_levy"] > 2 and result.controls["entry_subsidy"] == 0
    assert result.other_equilibria == []
    assert result.lower_bound == 0
    assert "cheapest possible" in result.verification
    assert "only equilibrium" in result.verification


def test_cli_optimize_platform_entry_robust_unique(tmp_path):
    run = CliRunner().invoke(cli, ["optimize", "platform_entry", "--robust", "unique", "--json",
                                   "--no-report"])
    assert run.exit_code == 0, run.output
    document = json.loads(run.stdout)
    assert document["robust"] == "unique"
    assert document["cost_exact"] == "0"
    assert document["verified"] is True


# The column player's R only loses once the row player's B is gone, and B goes only
# when the control x makes T better against R too: two rounds of elimination.
TWO_ROUNDS = """
players: {row: [T, B], col: [L, R]}
controls:
  x: {value: 0, bounds: [0, 5], cost: 1}
target: {row: T, col: L}
payoffs:
  T: {L: [2, 1], R: [x, 0]}
  B: {L: [1, 0], R: [1, 1]}
"""


def test_a_target_reached_in_two_rounds_of_elimination():
    game = game_from(TWO_ROUNDS)
    result = cheapest_implementation(game, {"row": "T", "col": "L"}, robust="unique")
    assert result.verified and result.status == "optimal"
    assert result.controls["x"] == 1 + DEFAULT_MARGIN
    assert result.cost == 1 + DEFAULT_MARGIN
    rounds, survivors = iterated_elimination(bound(game, result.controls), DEFAULT_MARGIN)
    assert [sorted(r) for r in rounds] == [[(0, 1)], [(1, 1)]]
    assert survivors == [[0], [0]]
    # being an equilibrium at all is free: a cheaper policy giving uniqueness might exist
    assert result.lower_bound == 0
    assert "cheaper" in result.verification


def test_a_control_without_bounds_is_searched_and_said_so():
    game = game_from(TWO_ROUNDS.replace("bounds: [0, 5], cost: 1", "cost: 0"))
    result = cheapest_implementation(game, {"row": "T", "col": "L"}, robust="unique")
    assert result.verified and result.cost == 0 and result.controls["x"] > 1
    assert "without bounds, x, were searched within" in result.verification


THREE_PLAYERS = """
players: {a: [x, y], b: [x, y], c: [x, y]}
controls:
  s: {value: 0, bounds: [0, 3], cost: 1}
payoffs:
  x:
    x: {x: [1, 1, s], y: [1, 1, 1]}
    y: {x: [1, 0, 0], y: [1, 0, 1]}
  y:
    x: {x: [0, 0, s], y: [0, 0, 1]}
    y: {x: [0, 1, 0], y: [0, 1, 1]}
"""


def test_three_player_game_eliminates_in_three_rounds():
    game = game_from(THREE_PLAYERS)
    result = cheapest_implementation(game, {"a": "x", "b": "x", "c": "x"}, robust="unique")
    assert result.verified
    assert result.cost == 1 + DEFAULT_MARGIN
    rounds, survivors = iterated_elimination(bound(game, result.controls), DEFAULT_MARGIN)
    assert rounds == [[(0, 1)], [(1, 1)], [(2, 1)]]
    assert survivors == [[0], [0], [0]]
    assert "eliminat" in result.verification


def test_three_players_uniqueness_is_confirmed_by_the_complete_enumeration():
    # a grant above c = 1 makes funding dominant; the n-player engine (mixed equilibria
    # included) finds the target alone at the chosen grant
    result = cheapest_implementation(policy.load("self_regulation"),
                                     {"op_a": "fund", "op_b": "fund", "op_c": "fund"},
                                     robust="unique")
    assert result.verified and result.cost == 1 + DEFAULT_MARGIN
    assert "the complete exact enumeration of equilibria agrees" in result.verification


def test_an_incomplete_enumeration_is_said_in_the_verification(monkeypatch):
    # With the n-player engine stopped by its work limit, no other equilibrium is found,
    # but the tool must not call the target "the only equilibrium".
    monkeypatch.setenv("POLICY_LIMIT_SUPPORT_WORK", "1")
    result = cheapest_implementation(game_from(THREE_PLAYERS), {"a": "x", "b": "x", "c": "x"},
                                     robust="nash")
    assert result.verified
    assert "it is the only equilibrium" not in result.verification
    assert "at least 1 other equilibrium also exists (selection risk; the enumeration is not " \
        "complete" in result.verification


COORDINATION = """
players: {row: [T, B], col: [L, R]}
controls:
  x: {value: 0, bounds: [0, 1/2], cost: 1}
payoffs:
  T: {L: [2, 1], R: [x, 0]}
  B: {L: [1, 0], R: [1, 1]}
"""


def test_unique_is_infeasible_when_no_strategy_can_be_eliminated():
    result = cheapest_implementation(game_from(COORDINATION), {"row": "T", "col": "L"},
                                     robust="unique")
    assert result.status == "infeasible"
    assert result.cost is None and not result.verified
    assert "row's B" in result.explanation and "col's R" in result.explanation
    assert "cannot be eliminated" in result.explanation


def test_cli_unique_infeasible_exits_1(tmp_path):
    path = tmp_path / "coordination.yaml"
    path.write_text(COORDINATION + "target: {row: T, col: L}\n")
    run = CliRunner().invoke(cli, ["optimize", str(path), "--robust", "unique", "--no-report"])
    assert run.exit_code == 1, run.output
    assert "cannot be eliminated" in run.output


# (B, R) is the unique equilibrium, strict, but no strategy is dominated: uniqueness
# without dominance-solvability. A verified-unique strict policy must never sit beside
# a report that the target cannot be made the only outcome.
UNIQUE_NOT_DOMINANCE_SOLVABLE = """
players: {row: [T, M, B], col: [L, C, R]}
payoffs:
  T: {L: [0, 4], C: [4, 0], R: [5, 3]}
  M: {L: [4, 0], C: [0, 4], R: [5, 3]}
  B: {L: [3, 5], C: [3, 5], R: [6, 6]}
"""


def test_a_verified_unique_strict_policy_makes_unique_feasible():
    game = game_from(UNIQUE_NOT_DOMINANCE_SOLVABLE)
    target = {"row": "B", "col": "R"}
    strict = cheapest_implementation(game, target, robust="strict")
    assert strict.verified and strict.other_equilibria == []
    unique = cheapest_implementation(game, target, robust="unique")
    assert unique.cost == 0 and unique.verified
    assert unique.other_equilibria == []
    assert "not dominance-solvable" in unique.verification or "enumeration" in unique.verification


def _random_game(rng) -> str:
    rows, cols = int(rng.integers(2, 4)), int(rng.integers(2, 4))
    payoffs = {}
    for r, c in itertools.product(range(rows), range(cols)):
        cell = []
        for _ in range(2):
            constant = int(rng.integers(-3, 4))
            weight = int(rng.choice([-1, 0, 0, 1]))
            cell.append(f"{constant} + {weight}*u" if weight else str(constant))
        payoffs.setdefault(f"r{r}", {})[f"c{c}"] = f"[{cell[0]}, {cell[1]}]"
    lines = ["players: {row: [" + ", ".join(f"r{r}" for r in range(rows)) + "], col: ["
             + ", ".join(f"c{c}" for c in range(cols)) + "]}",
             "controls:", "  u: {value: 0, bounds: [0, 3], cost: 1}", "payoffs:"]
    for r, row in payoffs.items():
        lines.append(f"  {r}: {{" + ", ".join(f"{c}: {v}" for c, v in row.items()) + "}")
    return "\n".join(lines) + "\n"


def _grid_unique(game, target_index, u) -> bool:
    arrays = bound(game, {"u": u})
    _, survivors = iterated_elimination(arrays, DEFAULT_MARGIN)
    if survivors != [[s] for s in target_index]:
        return False
    equilibria = find_equilibria(game.bind({"u": u}))
    return len(equilibria.equilibria) == 1


@pytest.mark.parametrize("seed", range(25))
def test_no_cheaper_grid_point_makes_the_target_dominance_solvable(seed):
    rng = np.random.default_rng(seed)
    game = game_from(_random_game(rng))
    target_index = (0, 0)
    result = cheapest_implementation(game, {"row": "r0", "col": "c0"}, robust="unique")
    grid = [F(k, 8) for k in range(25)]
    working = [u for u in grid if _grid_unique(game, target_index, u)]
    if result.cost is None:
        assert result.status == "infeasible"
        assert working == [], f"grid point u={working[0]} works but unique was infeasible"
        return
    assert result.verified, result.verification
    eq = find_equilibria(game.bind(dict(result.controls)))
    assert len(eq.equilibria) == 1 and eq.complete
    assert all(u >= result.cost for u in working), (
        f"u={min(working)} is cheaper than the MILP's {result.cost}")


# Without the switch z the target (B, R) is an equilibrium, but only weakly, beside
# three others; z = 1 makes (B, R) strict and the only equilibrium, although no strategy
# is ever dominated.
STRICT_MAKES_UNIQUE = """
name: strict_makes_unique
players: {row: [T, M, B], col: [L, C, R]}
controls:
  z: {value: 0, type: binary, cost: 1}
target: {row: B, col: R}
payoffs:
  T: {L: [4 - z, 4], C: [4, 0], R: [6 - z, 3]}
  M: {L: [4, 0], C: [0, 4], R: [5, 3]}
  B: {L: [3, 5], C: [3, 5], R: [6, 6]}
"""


def test_the_report_never_says_only_outcome_impossible_when_a_strict_policy_is_unique():
    from policy.api import full_report

    game = game_from(STRICT_MAKES_UNIQUE, "strict_makes_unique")
    target = {"row": "B", "col": "R"}
    assert cheapest_implementation(game, target, robust="dominant").cost is None
    strict = cheapest_implementation(game, target, robust="strict")
    assert strict.verified and strict.other_equilibria == []
    unique = cheapest_implementation(game, target, robust="unique")
    assert unique.cost == 1 and unique.verified and unique.lower_bound == 0
    assert "may exist" in unique.verification
    summary = " ".join(full_report(game).document["summary"])
    assert "cannot be made the only outcome" not in summary
    assert "To make it the only outcome" in summary and "z = 1" in summary


def test_sweep_maps_the_cheapest_unique_policy():
    run = CliRunner().invoke(cli, ["sweep", "platform_entry", "--vary", "s=0:4:3", "--optimize",
                                   "--robust", "unique", "--no-boundaries", "--no-report", "--json"])
    assert run.exit_code == 0, run.output
    policy_map = json.loads(run.stdout)["policy"]
    assert policy_map["robust"] == "unique"
    # the levy is free wherever it can make restraint dominant (s up to its bound 5)
    assert policy_map["feasible_points"] == 3 and policy_map["verified_points"] == 3


def _random_three_player_game(rng) -> str:
    lines = ["players: {a: [x, y], b: [x, y], c: [x, y]}",
             "controls:", "  u: {value: 0, bounds: [0, 3], cost: 1}", "payoffs:"]
    for first in ("x", "y"):
        lines.append(f"  {first}:")
        for second in ("x", "y"):
            cells = []
            for third in ("x", "y"):
                cell = []
                for _ in range(3):
                    constant, weight = int(rng.integers(-2, 3)), int(rng.choice([-1, 0, 0, 1]))
                    cell.append(f"{constant} + {weight}*u" if weight else str(constant))
                cells.append(f"{third}: [{', '.join(cell)}]")
            lines.append(f"    {second}: {{{', '.join(cells)}}}")
    return "\n".join(lines) + "\n"


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(25, 125))
def test_brute_force_agrees_on_many_random_games(seed):
    rng = np.random.default_rng(seed)
    three = seed % 2 == 1
    game = game_from(_random_three_player_game(rng) if three else _random_game(rng))
    target = {"a": "x", "b": "x", "c": "x"} if three else {"row": "r0", "col": "c0"}
    result = cheapest_implementation(game, target, robust="unique")
    grid = [F(k, 8) for k in range(25)]
    if three:  # dominance-solvability alone: no complete enumeration for 3 players
        working = [u for u in grid if iterated_elimination(bound(game, {"u": u}), DEFAULT_MARGIN)[1]
                   == [[0], [0], [0]]]
    else:
        working = [u for u in grid if _grid_unique(game, (0, 0), u)]
    if result.cost is None:
        assert result.status == "infeasible" and working == []
        return
    assert result.verified, result.verification
    assert all(u >= result.cost for u in working)

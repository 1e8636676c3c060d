"""Numerical edge cases: many equilibria, payoffs from 1e-9 to 1e9, near-ties, huge
rationals. Every answer is exact and verified, or flagged as not verified exactly."""

from __future__ import annotations

import json
import math
from fractions import Fraction as F
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import policy
from policy.cli import cli
from policy.best_response import is_best_response_profile
from policy.equilibria import find_equilibria
from policy.gamefile import load_game_text
from policy.numeric import FLOAT_TOLERANCE, NumericGame
from policy.symbolic import SymbolicGame

STENGEL = Path(__file__).parent / "data" / "nfg" / "stengel_6x6.nfg"


def stengel() -> NumericGame:
    """von Stengel's (1999) 6×6 game with 75 equilibria, exact integer payoffs."""
    return policy.load(STENGEL).bind()


def profiles(result) -> list[tuple]:
    return sorted(tuple(tuple(F(p) for p in s) for s in eq.strategies) for eq in result.equilibria)


def rounded(result, digits: int = 9) -> list[tuple]:
    return sorted(tuple(round(float(p), digits) for s in eq.strategies for p in s)
                  for eq in result.equilibria)


def bind(text: str) -> NumericGame:
    return SymbolicGame.from_spec(load_game_text(text)).bind()


def two_by_two(row_a_x: str) -> str:
    """Row's payoff for (b, x) is ``row_a_x``; for (a, x) it is 1: b is better iff row_a_x > 1."""
    return ("players: {r: [a, b], c: [x, y]}\npayoffs:\n"
            "  a: {x: [1, 1], y: [0, 0]}\n"
            f"  b: {{x: [{row_a_x}, 0], y: [0, 1]}}\n")


# -- von Stengel's 6×6 game ------------------------------------------------------------

def test_von_stengel_6x6_has_all_75_equilibria_exact_and_verified():
    result = find_equilibria(stengel())
    assert len(result.equilibria) == 75
    assert result.complete and result.exact and result.degenerate is False
    assert all(eq.exact and is_best_response_profile(result.game, eq.strategies)
               for eq in result.equilibria)
    assert len({eq.strategies for eq in result.equilibria}) == 75


def test_von_stengel_6x6_equals_gambit_enummixed_rational():
    gbt = pytest.importorskip("pygambit")
    gambit = gbt.nash.enummixed_solve(gbt.read_nfg(str(STENGEL)), rational=True)
    theirs = sorted(tuple(tuple(F(str(eq[strategy])) for strategy in player.strategies)
                          for player in eq.game.players) for eq in gambit.equilibria)
    assert profiles(find_equilibria(stengel())) == theirs


# -- scale -----------------------------------------------------------------------------

@pytest.mark.parametrize("power", [-9, -6, -3, 3, 6, 9])
def test_scaling_every_payoff_by_a_power_of_ten_changes_no_equilibrium(power):
    game = stengel()
    factor = F(10) ** power
    scaled = NumericGame.from_arrays(*(a * factor for a in game.exact_payoffs))
    assert profiles(find_equilibria(scaled)) == profiles(find_equilibria(game))


def test_mixed_scales_in_one_game_are_exact():
    # Row payoffs ×1e9, column payoffs ×1e-9, and per-column offsets from 1e-9 to 1e9
    # added to the row player's payoffs: no best response changes.
    A, B = stengel().exact_payoffs
    offsets = [F(10) ** 9, F(1, 10**9), 0, -F(10) ** 9, F(7, 10**9), 3 * F(10) ** 8]
    A_mixed = np.array([[A[i, j] * 10**9 + offsets[j] for j in range(6)] for i in range(6)],
                       dtype=object)
    mixed = find_equilibria(NumericGame.from_arrays(A_mixed, B * F(1, 10**9)))
    assert mixed.exact and profiles(mixed) == profiles(find_equilibria(stengel()))


@pytest.mark.parametrize("power", [-9, 0, 9])
def test_float_games_at_any_scale_find_the_same_equilibria(power):
    # sqrt(2) makes the payoffs irrational, so the float path runs: its tolerance is
    # relative to the largest payoff, so 1e-9 and 1e9 behave like 1.
    A, B = (a.astype(float) for a in stengel().payoffs)
    factor = math.sqrt(2) * 10.0**power
    result = find_equilibria(NumericGame.from_arrays(A * factor, B * factor))
    assert not result.exact and result.tolerance == FLOAT_TOLERANCE
    assert len(result.equilibria) == 75
    assert rounded(result, 6) == rounded(find_equilibria(stengel()), 6)


def test_tiny_float_payoffs_are_not_all_ties():
    # Matching pennies at 1e-9 (irrational): one mixed equilibrium, not every profile.
    pennies = np.array([[1, -1], [-1, 1]]) * math.sqrt(2) * 1e-9
    result = find_equilibria(NumericGame.from_arrays(pennies, -pennies))
    assert rounded(result) == [(0.5, 0.5, 0.5, 0.5)]
    assert not result.degenerate


# -- near-ties ---------------------------------------------------------------------------

def test_exact_rationals_separate_a_relative_difference_of_1e_minus_12():
    strict = find_equilibria(bind(two_by_two("1.000000000001")))
    tie = find_equilibria(bind(two_by_two("1")))
    assert strict.exact
    assert len(strict.equilibria) == 2 and len(tie.equilibria) == 4
    assert ((F(1), F(0)), (F(1), F(0))) not in profiles(strict)  # (a, x) is no equilibrium


def test_yaml_floats_keep_every_digit_they_were_written_with():
    # A double would round 1.00000000000000000001 to 1.0 and create a false tie.
    game = bind(two_by_two("1.00000000000000000001"))
    assert game.exact_payoffs[0][1, 0] == F(10**20 + 1, 10**20)
    assert len(find_equilibria(game).equilibria) == 2


def test_yaml_decimals_are_exact_decimal_values_not_binary_doubles():
    game = bind("players: {r: [a], c: [x]}\npayoffs:\n  a: {x: [0.1, 2.5e-3]}\n")
    assert [a[0, 0] for a in game.exact_payoffs] == [F(1, 10), F(1, 400)]


def test_float_path_flags_a_near_tie_instead_of_answering_silently():
    result = find_equilibria(bind(two_by_two("sqrt(2)*(1 + 1/10^12)").replace("[1, 1]", "[sqrt(2), 1]")))
    assert not result.exact
    assert any("not verified exactly" in note for note in result.notes)
    assert any("r's payoffs for a and b differ by less than the tolerance" in note
               for note in result.notes)


# -- large rationals -------------------------------------------------------------------

BIG = 10**30 + 57  # 31 digits


def test_thirty_digit_rationals_give_exact_equilibria():
    p, q = F(BIG, 10**31 + 9), F(10**32 + 3, BIG)
    # A 2×2 game without pure equilibria: the mixed one has 30-digit probabilities.
    A = [[p, 0], [0, q]]
    B = [[0, q], [p, 0]]
    (eq,) = find_equilibria(NumericGame.from_arrays(A, B)).equilibria
    assert eq.exact
    assert eq.strategies[1] == (q / (p + q), p / (p + q))  # row indifferent
    assert eq.strategies[0] == (p / (p + q), q / (p + q))  # column indifferent
    assert max(x.denominator for s in eq.strategies for x in s) > 10**30


def test_an_affine_map_with_thirty_digit_coefficients_changes_no_equilibrium():
    A, B = stengel().exact_payoffs
    scale, shift = F(BIG, 10**31 + 9), F(-(10**33) - 1, BIG)
    mapped = NumericGame.from_arrays(A * scale + shift, B * scale - shift)
    assert profiles(find_equilibria(mapped)) == profiles(find_equilibria(stengel()))


def test_reports_keep_thirty_digit_fractions_exactly(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text(f"players: {{r: [a, b], c: [x, y]}}\npayoffs:\n"
                    f"  a: {{x: ['{BIG}/7', 0], y: [0, 1]}}\n"
                    f"  b: {{x: [0, 1], y: [1, 0]}}\n")
    result = CliRunner().invoke(cli, ["solve", str(path), "--json", "--no-report"])
    assert result.exit_code == 0, result.output
    (eq,) = json.loads(result.stdout)["equilibria"]
    assert eq["verified_exactly"] is True
    assert F(eq["exact"]["c"]["x"]) == F(7, BIG + 7)


# -- what reports say -------------------------------------------------------------------

def test_reports_mark_float_equilibria_as_not_verified_exactly(tmp_path):
    path = tmp_path / "irrational.yaml"
    path.write_text("players: {r: [a, b], c: [x, y]}\npayoffs:\n"
                    "  a: {x: [sqrt(2), 0], y: [0, 1]}\n  b: {x: [0, 1], y: [1, 0]}\n")
    result = CliRunner().invoke(cli, ["solve", str(path), "--out", str(tmp_path / "r"),
                                      "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["exact_arithmetic"] is False and doc["tolerance"] == FLOAT_TOLERANCE
    assert [eq["verified_exactly"] for eq in doc["equilibria"]] == [False]
    markdown = (tmp_path / "r" / "irrational" / "solve.md").read_text()
    assert "within the float tolerance; not verified exactly" in markdown
    assert "mixed, not verified exactly" in markdown


def test_reports_of_rational_games_say_exact_arithmetic(tmp_path):
    result = CliRunner().invoke(cli, ["solve", str(STENGEL), "--out", str(tmp_path), "--json"])
    doc = json.loads(result.stdout)
    assert doc["exact_arithmetic"] is True and doc["tolerance"] is None
    assert all(eq["verified_exactly"] for eq in doc["equilibria"])
    assert "in exact arithmetic" in (tmp_path / "stengel_6x6" / "solve.md").read_text()

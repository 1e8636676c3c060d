"""Gambit .nfg files: both versions read, profile order converted, round trips exact."""

from __future__ import annotations

from fractions import Fraction as F

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from policy.equilibria import find_equilibria
from policy.errors import GameFileError
from policy.gamefile import load_game
from policy.nfg import parse_nfg, to_nfg
from policy.symbolic import SymbolicGame

from pathlib import Path

DATA = Path(__file__).parent / "data"


def test_selten_e02_from_gambit_has_the_published_equilibrium_set():
    # gambitproject/gambit contrib/games/e02.nfg; gambit-enummixed lists the two
    # extreme equilibria (1,0,0; 1,0) and (1,0,0; 1/2,1/2), joined by a continuum.
    spec = load_game(DATA / "e02.nfg")
    assert spec.title == "Selten (IJGT, 75), Figure 2, normal form"
    assert spec.player_names == ("Player_1", "Player_2")
    assert spec.players[0].description == "Player 1"
    result = find_equilibria(SymbolicGame.from_spec(spec).bind())
    assert {eq.strategies for eq in result.equilibria} == {
        ((F(1), F(0), F(0)), (F(1), F(0))),
        ((F(1), F(0), F(0)), (F(1, 2), F(1, 2))),
    }
    assert len(result.components) == 1 and result.degenerate


def test_outcome_version_and_payoff_version_agree():
    outcome = load_game(DATA / "pd_outcome.nfg")
    payoff = parse_nfg('NFG 1 R "PD" { "Row" "Column" } { { "Cooperate" "Defect" } '
                       '{ "Cooperate" "Defect" } }\n3 3 5 0 0 5 1 1\n')
    assert outcome.payoffs == payoff.payoffs
    assert outcome.payoff(("Defect", "Cooperate")) == (5, 0)


def test_profiles_are_reordered_first_player_slowest():
    # 2x3: NFG lists (r1,c1) (r2,c1) (r1,c2) (r2,c2) (r1,c3) (r2,c3)
    spec = parse_nfg('NFG 1 R "t" { "R" "C" } { 2 3 }\n' + " ".join(
        f"{k} 0" for k in range(6)) + "\n")
    assert [row[0] for row in spec.payoffs] == [0, 2, 4, 1, 3, 5]
    # 2x2x2: NFG index = a + 2b + 4c
    three = parse_nfg('NFG 1 R "t" { "A" "B" "C" } { 2 2 2 }\n' + " ".join(
        f"{k} 0 0" for k in range(8)) + "\n")
    assert [row[0] for row in three.payoffs] == [0, 4, 2, 6, 1, 5, 3, 7]


def test_decimals_and_fractions_stay_exact():
    spec = parse_nfg('NFG 1 R "t" { "A" "B" } { 1 1 }\n0.1 3/2\n')
    assert spec.payoffs == ((sympy.Rational(1, 10), sympy.Rational(3, 2)),)


@pytest.mark.parametrize("text, message", [
    ("hello", "<string>:1: not a Gambit strategic-form file: it must start with 'NFG 1 R'"),
    ('NFG 2 R "t" { "A" "B" } { 1 1 }\n1 1', "<string>:1: header: only version 1"),
    ('NFG 1 R "t" { "A" } { 1 }\n1', "<string>:1: players: a game needs at least 2 players, found 1"),
    ('NFG 1 R "t" { "A" "B" } { 2 2 }\n1 2 3', "<string>:2: payoffs: expected 8 payoffs (4 profiles × 2 players), found 3"),
    ('NFG 1 R "t" { "A" "B" } { 1 1 }\n1 x', "<string>:2: payoffs: unexpected 'x' among the payoffs; expected numbers"),
    ('NFG 1 R "t" { "A" "B" } { 1 1 }\n1 1/0', "<string>:2: payoffs: division by zero"),
    ('NFG 1 R "t" { "A" "B" } { { "a" } { "b" } }\n""\n{ { "o" 1, 2 } }\n5', "<string>:4: profile 1: outcome number 5 is not between 0 and 1"),
    ('NFG 1 R "t { "A" "B" } { 1 1 }\n1 1', "<string>:1: unexpected text"),
])
def test_bad_files_give_one_located_error(text, message):
    with pytest.raises(GameFileError) as caught:
        parse_nfg(text)
    assert str(caught.value).startswith(message)


def test_bundled_yaml_game_round_trips_through_nfg():
    spec = load_game(Path(__file__).parents[1] / "games" / "platform_entry.yaml")
    values = SymbolicGame.from_spec(spec).default_values()
    back = parse_nfg(to_nfg(spec, values))
    assert back.player_names == spec.player_names
    assert [p.strategies for p in back.players] == [p.strategies for p in spec.players]
    subs = {spec.symbols[k]: v for k, v in values.items()}
    assert back.payoffs == tuple(tuple(e.xreplace(subs) for e in row) for row in spec.payoffs)


payoff_values = st.fractions(min_value=-50, max_value=50, max_denominator=12)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(1, 3), min_size=2, max_size=3), st.data())
def test_random_games_survive_export_and_import(shape, data):
    import math

    count = math.prod(shape)
    numbers = data.draw(st.lists(payoff_values, min_size=count * len(shape),
                                 max_size=count * len(shape)))
    text = ('NFG 1 R "random" { ' + " ".join(f'"P{i}"' for i in range(len(shape))) + " } { "
            + " ".join(map(str, shape)) + " }\n" + " ".join(str(v) for v in numbers) + "\n")
    spec = parse_nfg(text)
    again = parse_nfg(to_nfg(spec))
    assert again.payoffs == spec.payoffs
    assert [p.strategies for p in again.players] == [p.strategies for p in spec.players]

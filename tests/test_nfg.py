"""Gambit ``.nfg`` files: both versions read, profile order converted, round trips exact."""

from __future__ import annotations

import hashlib
import json
import itertools
import math
import re
from fractions import Fraction as F
from pathlib import Path

import pytest

from policy.tree_spec import TreeSpec
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from policy.errors import GameFileError, ModelError
from policy.loader import bundled_games, load_game
from policy.readers.nfg import is_display_name, parse_nfg, to_nfg
from policy.spec import FileLimits, GameSpec, Player
from bundled import MATRIX_GAMES

DATA = Path(__file__).parent / "data" / "nfg"
FIXTURES = sorted(p.name for p in DATA.glob("*.nfg"))
R = sympy.Rational


def load(name: str) -> GameSpec:
    return load_game(DATA / name)


# -- the fixtures --------------------------------------------------------------------

def test_the_fixtures_are_there():
    assert {"prisoners_dilemma.nfg", "e02.nfg", "e02_outcome.nfg", "2x2x2.nfg",
            "coord3.nfg", "labels.nfg"} <= set(FIXTURES)


@pytest.mark.parametrize("name", FIXTURES)
def test_fixture_loads_with_source_title_and_provenance(name):
    spec = load(name)
    path = DATA / name
    assert spec.name == path.stem
    assert spec.source.format == "nfg" and spec.source.path == str(path)
    assert spec.source.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert spec.title and spec.description  # provenance lives in the NFG comment field
    assert len(spec.payoffs) == math.prod(spec.shape)
    assert all(all(isinstance(v, sympy.Rational) for v in row) for row in spec.payoffs)
    assert all(is_display_name(p.name) for p in spec.players)
    assert all(is_display_name(s) for p in spec.players for s in p.strategies)


def test_prisoners_dilemma_from_gambit():
    spec = load("prisoners_dilemma.nfg")
    assert spec.title == "Two person Prisoner's Dilemma game"
    assert spec.player_names == ("Player 1", "Player 2")  # Gambit's labels, as written
    assert [p.description for p in spec.players] == ["Player 1", "Player 2"]
    assert spec.players[0].strategies == ("1", "2")
    assert spec.payoffs == ((9, 9), (0, 10), (10, 0), (1, 1))
    assert spec.payoff(("2", "1")) == (10, 0)


def test_payoff_version_and_outcome_version_of_e02_are_the_same_game():
    payoff, outcome = load("e02.nfg"), load("e02_outcome.nfg")
    assert payoff.players == outcome.players
    assert payoff.payoffs == outcome.payoffs
    assert payoff.shape == (3, 2)
    # e02.nfg lists 1 1 | 0 2 | 0 2 | 1 1 | 0 3 | 2 0, first player fastest
    assert payoff.payoffs == ((1, 1), (1, 1), (0, 2), (0, 3), (0, 2), (2, 0))


def test_three_player_fixture_profile_order():
    spec = load("2x2x2.nfg")
    # outcome k of the file sits at NFG position k: (1,1,1) (2,1,1) (1,2,1) (2,2,1) (1,1,2) ...
    assert spec.payoff(("1", "1", "1")) == (9, 8, 12)
    assert spec.payoff(("2", "2", "1")) == (9, 8, 2)
    assert spec.payoff(("2", "1", "2")) == (3, 4, 6)
    assert spec.payoff(("1", "2", "2")) == (3, 4, 6)
    assert spec.payoff(("1", "2", "1")) == (0, 0, 0)
    assert spec.payoffs[1] == (0, 0, 0)  # (s_1, s_1, s_2) is outcome 5
    assert spec.payoffs[4] == (0, 0, 0)  # (s_2, s_1, s_1) is outcome 2


def test_labels_are_kept_when_unambiguous_else_converted_and_numbers_stay_exact():
    spec = load("labels.nfg")
    assert spec.title == 'Label conversion: "quoted" title'
    assert spec.player_names == ("Firm A", "p_2", "max")
    assert [p.description for p in spec.players] == ["Firm A", "", "max"]
    assert spec.players[0].strategies == ("enter market", "s_2", "2nd try", "enter_market")
    assert spec.players[1].strategies == ("yes", "no")
    assert spec.players[2].strategies == ("l_vy", "I")  # non-ASCII is still converted
    assert spec.payoff(("enter market", "yes", "l_vy")) == (R(1, 3), R(-1, 4), 2)
    assert spec.payoff(("s_2", "yes", "l_vy")) == (0, 0, 0)  # outcome 0
    assert spec.payoff(("2nd try", "yes", "l_vy")) == (15, 2, R(-7, 2))
    assert spec.payoff(("enter_market", "no", "I")) == (0, 0, 0)
    assert spec.payoff(("2nd try", "no", "I")) == (R(1, 3), R(-1, 4), 2)
    assert spec.line_of("players.max") == 1
    assert spec.line_of("payoffs.enter market.yes.l_vy") == 8
    assert spec.line_of("payoffs.2nd try.no.I") == 9


# -- profile order --------------------------------------------------------------------

def test_2x3_profile_order_first_player_slowest():
    # NFG lists (r1,c1) (r2,c1) (r1,c2) (r2,c2) (r1,c3) (r2,c3); payoff k = NFG position
    text = ('NFG 1 R "2x3" { "Row" "Col" } { { "r1" "r2" } { "c1" "c2" "c3" } }\n'
            + " ".join(f"{k} {-k}" for k in range(6)) + "\n")
    spec = parse_nfg(text)
    assert list(spec.profiles()) == [("r1", "c1"), ("r1", "c2"), ("r1", "c3"),
                                     ("r2", "c1"), ("r2", "c2"), ("r2", "c3")]
    assert [row[0] for row in spec.payoffs] == [0, 2, 4, 1, 3, 5]
    assert spec.payoff(("r2", "c1")) == (1, -1)
    assert spec.payoff(("r1", "c3")) == (4, -4)
    # and back: to_nfg writes NFG order again
    assert to_nfg(spec).split("\n\n", 1)[1].split() == text.split("\n", 1)[1].split()


def test_2x2x2_profile_order_first_player_slowest():
    # NFG position of (a, b, c) is a + 2b + 4c
    text = ('NFG 1 R "2x2x2" { "A" "B" "C" } { 2 2 2 }\n'
            + " ".join(f"{k} {10 * k} {100 * k}" for k in range(8)) + "\n")
    spec = parse_nfg(text)
    assert [row[0] for row in spec.payoffs] == [0, 4, 2, 6, 1, 5, 3, 7]
    for a, b, c in itertools.product(range(2), repeat=3):
        k = a + 2 * b + 4 * c
        assert spec.payoff((f"{a + 1}", f"{b + 1}", f"{c + 1}")) == (k, 10 * k, 100 * k)
    outcome = parse_nfg('NFG 1 R "2x2x2" { "A" "B" "C" } { 2 2 2 }\n{\n'
                        + "".join(f'{{ "o{k}" {k}, {10 * k}, {100 * k} }}\n' for k in range(8))
                        + "}\n1 2 3 4 5 6 7 8\n")
    assert outcome.payoffs == spec.payoffs  # outcome k+1 holds payoff k
    assert parse_nfg(to_nfg(spec)).payoffs == spec.payoffs


def test_d_data_type_commas_and_whitespace_are_accepted():
    spec = parse_nfg('NFG 1 D "t"{"A""B"}{{"a"}{"b" "c"}}""{{"x" 1,2,}{"y" 3 4}}1\n2')
    assert spec.payoffs == ((1, 2), (3, 4))
    assert parse_nfg('NFG 1 R "t" { "A" "B" } { 1 1 } +.5 -2.5E-1').payoffs == (
        (R(1, 2), R(-1, 4)),)


# -- errors ---------------------------------------------------------------------------

HEAD = 'NFG 1 R "t" { "A" "B" }'
NAMED = HEAD + ' { { "a" } { "b" "c" } }\n""\n'


@pytest.mark.parametrize("text, message", [
    ("", "bad.nfg:1: header: the file is empty; a Gambit strategic game starts with "
         "'NFG 1 R \"title\"'"),
    ("EFG 2 R \"tree\" { }", "bad.nfg:1: header: not a Gambit strategic-form (.nfg) file: "
                             "expected 'NFG 1 R' at the start, found 'EFG'"),
    ('NFG 2 R "t" { "A" "B" } { 1 1 } 1 1',
     "bad.nfg:1: header: NFG version '2' is not supported; only version 1 exists"),
    ('NFG 1 Q "t" { "A" "B" } { 1 1 } 1 1',
     "bad.nfg:1: header: expected 'R' (or 'D') after 'NFG 1', found 'Q'"),
    ('NFG 1 R { "A" "B" } { 1 1 } 1 1',
     "bad.nfg:1: title: expected the game title (a quoted string), found '{'"),
    ('NFG 1 R "t"\n{ "A" }\n{ 1 }\n1',
     "bad.nfg:2: players: a game needs at least 2 players, found 1"),
    ('NFG 1 R "t" { "A" "B }\n{ 1 1 }\n1 1',
     "bad.nfg:1: players: unterminated string: this '\"' has no closing quote"),
    (HEAD + "\n{ 2 }\n1 1",
     "bad.nfg:2: strategies: expected 2 strategy counts, one per player, found 1"),
    (HEAD + "\n{ 2 0 }\n1 1",
     "bad.nfg:2: strategies: player 'B' has no strategies"),
    (HEAD + " { 2 2 }\n1 2\n3 4\n5 6\n7",
     "bad.nfg:5: payoffs: expected 8 payoffs (4 profiles × 2 players), found 7"),
    (HEAD + " { 1 1 }\n1 2\n3",
     "bad.nfg:3: payoffs: more than 2 payoffs: the game has 1 profile × 2 players"),
    (HEAD + " { 1 1 }\n1\nx",
     "bad.nfg:3: payoffs: expected a payoff (number 2 of 2), found 'x'"),
    (HEAD + " { 1 1 }\n1 2/0", "bad.nfg:2: payoffs: division by zero in '2/0'; "
     "a fraction needs a non-zero denominator"),
    (NAMED + '{ { "w" 1, 2 }\n{ "x" 3, 4 }\n{ "y" 5 }\n}\n1 2',
     "bad.nfg:5: outcomes[3]: outcome 3 has 1 payoff; expected 2, one per player"),
    (NAMED + '{ { "w" 1, 2 }\n{ 3, 4 }\n}\n1 2',
     "bad.nfg:4: outcomes[2]: expected the outcome's name (a quoted string), found '3'"),
    (NAMED + '{ { "w" 1, 2 } }\n1\n4',
     "bad.nfg:5: profiles: profile 2 refers to outcome 4, but the file defines 1 outcome "
     "(0 means no outcome: all payoffs 0)"),
    (NAMED + '{ { "w" 1, 2 } }\n1',
     "bad.nfg:4: profiles: expected 2 outcome numbers (one per profile), found 1"),
])
def test_bad_files_give_one_located_error(text, message):
    with pytest.raises(GameFileError) as caught:
        parse_nfg(text, path="bad.nfg")
    assert str(caught.value) == message


def test_limits_are_respected():
    three = 'NFG 1 R "t" { "A" "B" "C" } { 2 2 2 }\n' + "0 " * 24
    with pytest.raises(GameFileError, match=r"^bad.nfg:1: players: more than 2 players; at "
                                            r"most 2 are allowed \(set POLICY_LIMIT_PLAYERS to raise this limit\)"):
        parse_nfg(three, path="bad.nfg", limits=FileLimits(max_players=2))
    with pytest.raises(GameFileError, match=r"^bad.nfg:1: strategies: player 'A' has more than "
                                            r"1 strategies \(set POLICY_LIMIT_STRATEGIES to raise this limit\)"):
        parse_nfg(three, path="bad.nfg", limits=FileLimits(max_strategies=1))
    with pytest.raises(GameFileError, match=r"^bad.nfg:1: strategies: the game has more than 7 "
                                            r"pure profiles \(set POLICY_LIMIT_PROFILES to raise this limit\)"):
        parse_nfg(three, path="bad.nfg", limits=FileLimits(max_profiles=7))
    with pytest.raises(GameFileError, match=r"at most 10 are allowed \(set POLICY_LIMIT_FILE_BYTES"):
        parse_nfg(three, path="bad.nfg", limits=FileLimits(max_bytes=10))
    huge = 'NFG 1 R "t" { "A" "B" } { 1 1 } 1' + "0" * 100 + " 1"
    with pytest.raises(GameFileError, match="has 101 digits; at most 60 are allowed"):
        parse_nfg(huge)


def test_load_game_reports_nfg_errors_with_the_file_path(tmp_path):
    path = tmp_path / "broken.nfg"
    path.write_text('NFG 1 R "t" { "A" "B" } { 1 1 }\n1 1 1\n')
    with pytest.raises(GameFileError) as caught:
        load_game(path)
    assert str(caught.value) == (f"{path}:2: payoffs: more than 2 payoffs: the game has "
                                 "1 profile × 2 players")


# -- writing --------------------------------------------------------------------------

@pytest.mark.parametrize("name", FIXTURES)
def test_fixtures_round_trip_through_to_nfg(name):
    spec = load(name)
    text = to_nfg(spec)
    again = parse_nfg(text, path=name)
    assert again.payoffs == spec.payoffs
    assert again.player_names == spec.player_names
    assert [p.strategies for p in again.players] == [p.strategies for p in spec.players]
    assert again.title == spec.title and again.description == spec.description
    assert to_nfg(again) == text  # a fixed point: deterministic output
    assert text.endswith("\n") and text.startswith("NFG 1 R ")


@pytest.mark.parametrize("name", MATRIX_GAMES)
def test_bundled_games_export_at_their_values_and_read_back(name):
    spec = load_game(bundled_games()[name])
    if isinstance(spec, TreeSpec):
        pytest.skip("a tree exports its reduced strategic form (tests/test_trees.py)")
    missing = [p.name for p in spec.parameters if p.value is None]
    if missing:
        with pytest.raises(ModelError, match=f"parameter '{missing[0]}'"):
            to_nfg(spec)
        return
    back = parse_nfg(to_nfg(spec))
    assert back.player_names == spec.player_names
    assert [p.strategies for p in back.players] == [p.strategies for p in spec.players]
    values = {spec.symbols[p.name]: p.value for p in (*spec.parameters, *spec.controls)}
    for exact, read in zip(spec.payoffs, back.payoffs):
        for e, r in zip(exact, read):
            e = e.xreplace(values)
            assert r == e if e.is_Rational else abs(r - e) < 1e-15 * max(1, abs(e))


def parametric_game() -> GameSpec:
    from policy.readers.yaml_normal_form import load_game_text

    return load_game_text("""
name: levy
parameters: {g: {value: 2}, f: {}}
controls: {levy: {value: 1/4, bounds: [0, 1]}}
players: {firm: [comply, evade], agency: [audit, skip]}
payoffs:
  comply: {audit: [-levy, 1], skip: [-levy, 0]}
  evade: {audit: [-f, f - 1], skip: [g, sqrt(g)]}
""")


def test_to_nfg_substitutes_values_exactly():
    spec = parametric_game()
    text = to_nfg(spec, {"f": R(7, 2)})
    assert text == ('NFG 1 R "levy" { "firm" "agency" }\n'
                    '{ { "comply" "evade" } { "audit" "skip" } }\n""\n\n'
                    "-1/4 1\n-7/2 5/2\n-1/4 0\n2 1.4142135623730950\n")
    assert to_nfg(spec, {"f": 1, "levy": "1/3", "g": 0.1}).splitlines()[-1] == \
        "1/10 0.31622776601683793"
    back = parse_nfg(text)
    assert back.payoff(("evade", "skip"))[1] == R(14142135623730950, 10**16)


def test_to_nfg_names_a_missing_or_unknown_value():
    spec = parametric_game()
    with pytest.raises(ModelError) as caught:
        to_nfg(spec)
    assert str(caught.value) == ("parameter 'f' of levy has no value; give one in the file "
                                 "or with --set f=…")
    with pytest.raises(ModelError, match="'x' is not a parameter or control of levy; "
                                         "declared: g, f, levy"):
        to_nfg(spec, {"f": 1, "x": 2})
    with pytest.raises(ModelError, match=r"payoff of agency at \(evade, skip\) is .*not a finite "
                                         "real number"):
        to_nfg(spec, {"f": 1, "g": -1})


# -- properties -----------------------------------------------------------------------

payoff_values = st.one_of(st.integers(-20, 20),
                          st.fractions(min_value=-20, max_value=20, max_denominator=12))


@st.composite
def small_games(draw) -> GameSpec:
    shape = draw(st.lists(st.integers(1, 3), min_size=2, max_size=3))
    players = tuple(Player(f"P{i}", tuple(f"s{i}_{k}" for k in range(n)))
                    for i, n in enumerate(shape))
    payoffs = tuple(tuple(R(draw(payoff_values)) for _ in shape)
                    for _ in range(math.prod(shape)))
    return GameSpec(name="random", title=draw(st.text(max_size=20)), players=players,
                    payoffs=payoffs)


@settings(max_examples=80, deadline=None)
@given(small_games())
def test_random_games_survive_to_nfg_and_parse_nfg(spec):
    again = parse_nfg(to_nfg(spec))
    assert again.payoffs == spec.payoffs
    assert again.players == tuple(Player(p.name, p.strategies, p.name) for p in spec.players)
    assert again.title == (spec.title or spec.name).replace("\\", "/").strip()


def outcome_version(spec: GameSpec) -> str:
    """The game in the outcome version, outcomes numbered in a scrambled order."""
    shape = spec.shape
    nfg_order = []
    for reversed_choice in itertools.product(*(range(n) for n in reversed(shape))):
        index = 0
        for n, c in zip(shape, reversed_choice[::-1]):
            index = index * n + c
        nfg_order.append(spec.payoffs[index])
    distinct = sorted(set(nfg_order), key=str)
    lines = [f'NFG 1 R "{spec.title}" {{ ' + " ".join(f'"{p.name}"' for p in spec.players) + " }",
             "{ " + " ".join("{ " + " ".join(f'"{s}"' for s in p.strategies) + " }"
                             for p in spec.players) + " }", '""', "{"]
    lines += [f'{{ "o{k}" ' + ", ".join(str(v) for v in row) + " }" for k, row in
              enumerate(distinct, 1)]
    lines += ["}", " ".join(str(distinct.index(row) + 1) for row in nfg_order)]
    return "\n".join(lines) + "\n"


@settings(max_examples=60, deadline=None)
@given(small_games())
def test_payoff_and_outcome_versions_give_the_same_game(spec):
    spec = GameSpec(name="game", players=spec.players, payoffs=spec.payoffs, title="t")
    from_payoffs = parse_nfg(to_nfg(spec))
    from_outcomes = parse_nfg(outcome_version(spec))
    assert from_outcomes.payoffs == from_payoffs.payoffs == spec.payoffs
    assert from_outcomes.players == from_payoffs.players


label = st.text(max_size=8)


@settings(max_examples=80, deadline=None)
@given(st.lists(label, min_size=2, max_size=4), st.lists(label, min_size=1, max_size=4))
def test_any_labels_become_distinct_valid_names(player_labels, strategy_labels):
    def quoted(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    text = ("NFG 1 R \"t\" { " + " ".join(map(quoted, player_labels)) + " } { "
            + " ".join("{ " + " ".join(map(quoted, strategy_labels)) + " }"
                       for _ in player_labels) + " }\n"
            + "0 " * (len(player_labels) * len(strategy_labels) ** len(player_labels)))
    spec = parse_nfg(text)
    assert [p.description for p in spec.players] == player_labels
    assert len(set(spec.player_names)) == len(player_labels)
    assert all(is_display_name(name) for name in spec.player_names)
    for player in spec.players:
        assert len(set(player.strategies)) == len(strategy_labels)
        assert all(is_display_name(s) for s in player.strategies)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(FIXTURES), st.data())
def test_damaged_files_raise_only_game_file_errors(name, data):
    text = (DATA / name).read_text()
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, min(len(text), start + 12)))
    junk = data.draw(st.text(alphabet='{}",\\ 0123456789./-+eNFGR\n\x00é', max_size=6))
    damaged = text[:start] + junk + text[end:]
    try:
        spec = parse_nfg(damaged, path="damaged.nfg")
    except GameFileError as err:
        assert str(err).startswith("damaged.nfg:") and err.line is not None and err.field
    else:
        assert len(spec.payoffs) == math.prod(spec.shape)


# -- EXPECTED.md: the documented equilibria are equilibria of the parsed files -------

def expected_equilibria() -> list[tuple[str, list[F], list[F]]]:
    """(fixture, probabilities, payoffs) for every ``NE,`` line of EXPECTED.md."""
    cases, files = [], []
    for line in (DATA / "EXPECTED.md").read_text().splitlines():
        if line.startswith("## "):
            files = re.findall(r"[\w.-]+\.nfg", line)
        elif line.startswith("NE,"):
            probabilities, _, payoffs = line.partition("payoffs")
            for name in files:
                cases.append((name, [F(p) for p in probabilities.split(",")[1:]],
                              [F(v) for v in payoffs.split("(")[0].split(",")]))
    return cases


def test_expected_md_covers_the_published_games():
    counts: dict[str, int] = {}
    for name, _, _ in expected_equilibria():
        counts[name] = counts.get(name, 0) + 1
    assert counts == {"prisoners_dilemma.nfg": 1, "e02.nfg": 2, "e02_outcome.nfg": 2,
                      "2x2x2.nfg": 9, "coord3.nfg": 7}


@pytest.mark.parametrize("name, probabilities, payoffs", expected_equilibria())
def test_expected_equilibria_are_equilibria(name, probabilities, payoffs):
    spec = load(name)
    mixed, position = [], 0
    for n in spec.shape:
        mixed.append(probabilities[position:position + n])
        position += n
    assert position == len(probabilities) and all(sum(m) == 1 for m in mixed)
    for i, player in enumerate(spec.players):
        values = []
        for k in range(len(player.strategies)):
            total = F(0)
            for choice, row in zip(itertools.product(*(range(n) for n in spec.shape)),
                                   spec.payoffs):
                if choice[i] == k:
                    weight = math.prod(mixed[j][c] for j, c in enumerate(choice) if j != i)
                    total += weight * F(int(row[i].p), int(row[i].q))
            values.append(total)
        best = max(values)
        assert all(values[k] == best for k in range(len(values)) if mixed[i][k] > 0), player.name
        assert best == payoffs[i]


# -- Gambit labels survive (issue 13 item 16) ------------------------------------------

GAMBIT_NUMBERED = ('NFG 1 R "Numbered" { "Player 1" "Player 2" } { 2 2 }\n'
                   "3 3  5 0  0 5  1 1\n")


def test_gambit_labels_are_kept_as_written_in_the_spec():
    spec = parse_nfg(GAMBIT_NUMBERED, path="numbered.nfg")
    assert spec.player_names == ("Player 1", "Player 2")
    assert [p.strategies for p in spec.players] == [("1", "2"), ("1", "2")]
    assert spec.payoff(("2", "1")) == (5, 0)  # first player fastest in the file
    assert to_nfg(spec).splitlines()[:2] == [
        'NFG 1 R "Numbered" { "Player 1" "Player 2" }', '{ { "1" "2" } { "1" "2" } }']


def test_gambit_labels_show_in_text_json_and_options(tmp_path):
    from click.testing import CliRunner

    from policy.cli import cli

    path = tmp_path / "numbered.nfg"
    path.write_text(GAMBIT_NUMBERED)
    runner = CliRunner()
    text = runner.invoke(cli, ["solve", str(path), "--no-report"])
    assert text.exit_code == 0, text.output
    assert "Player 1: 2 | Player 2: 2" in text.stdout
    doc = json.loads(runner.invoke(cli, ["solve", str(path), "--json", "--no-report"]).stdout)
    assert doc["players"] == ["Player 1", "Player 2"]
    assert doc["strategies"] == {"Player 1": ["1", "2"], "Player 2": ["1", "2"]}
    target = runner.invoke(cli, ["optimize", str(path), "--mode", "implement",
                                 "--target", "Player 1=2", "--target", "Player 2=2",
                                 "--json", "--no-report"])
    assert target.exit_code == 0, target.output
    assert json.loads(target.stdout)["target"] == {"Player 1": "2", "Player 2": "2"}
    exported = tmp_path / "out.nfg"
    assert runner.invoke(cli, ["export", str(path), "-o", str(exported)]).exit_code == 0
    assert exported.read_text().splitlines()[:2] == to_nfg(parse_nfg(GAMBIT_NUMBERED)).splitlines()[:2]

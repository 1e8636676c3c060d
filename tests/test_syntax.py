"""Specification of policy.syntax: the small texts files and the command line share.

Each syntax is parsed in one place; a file's ``vary:`` and ``assumptions:`` and the
command line's ``--vary``, ``--set`` and ``--target`` accept the same texts.
"""

from __future__ import annotations

import textwrap
from fractions import Fraction

import pytest
import sympy
from hypothesis import given
from hypothesis import strategies as st

from policy.errors import GameFileError, ModelError
from policy.readers.yaml_normal_form import load_game_text
from policy.sweep import GridAxis
from policy.syntax import (DISTRIBUTIONS, parse_assignment, parse_axis, parse_choice,
                           parse_distribution, parse_relation, split_axis, split_relation)

GAME = """\
parameters: {a: {value: 1, range: [0, 5]}, b: 2}
players: {row: [up, down], col: [left, right]}
payoffs:
  up: {left: [a, 0], right: [0, b]}
  down: {left: [0, 1], right: [1, 0]}
"""


def game_with(extra: str):
    return load_game_text(GAME + textwrap.dedent(extra), path="g.yaml")


fractions = st.fractions(min_value=-1000, max_value=1000, max_denominator=1000)


@given(start=fractions, stop=fractions, points=st.integers(2, 10**6))
def test_an_axis_printed_by_the_sweep_parses_back_to_itself(start, stop, points):
    if start == stop:
        return
    axis = GridAxis("a", start, stop, points)
    assert parse_axis(str(axis)) == ("a", start, stop, points)
    assert GridAxis.parse(str(axis)) == axis


@pytest.mark.parametrize("text", ["a=0:5:101", " a = 0 : 5 : 3", "b=-1/2:1/2:11", "a=0.25:1:2"])
def test_a_file_vary_axis_is_a_valid_command_line_axis(text):
    spec = game_with(f"vary: [{text!r}]\n")
    name, *_ = parse_axis(spec.vary[0])
    assert name == split_axis(text)[0] == text.split("=")[0].strip()


@pytest.mark.parametrize("text", ["a", "a=0:1", "a=0:1:2:3", "=", "a:0:1:2"])
def test_texts_without_the_axis_form_are_refused_by_file_and_command_line(text):
    assert split_axis(text) is None
    with pytest.raises(ModelError, match=r"expected name=start:stop:points"):
        parse_axis(text)
    with pytest.raises(GameFileError, match=r"expected name=start:stop:points"):
        game_with(f"vary: [{text!r}]\n")


def test_an_assignment_takes_exact_numbers_for_declared_names():
    spec = game_with("")
    assert parse_assignment("a = 1/3", spec) == ("a", sympy.Rational(1, 3))
    assert parse_assignment("b=2.5", spec) == ("b", sympy.Rational(5, 2))
    with pytest.raises(GameFileError, match=r"^--set 'a': expected NAME=VALUE, e.g. --set a=12$"):
        parse_assignment("a", spec)
    with pytest.raises(GameFileError, match=r"^--set 'a=x': "):
        parse_assignment("a=x", spec)


def test_a_choice_is_one_player_and_one_strategy():
    assert parse_choice(" Player 1 = 2 ") == ("Player 1", "2")
    for text in ("platform", "=comply", "platform=", " = "):
        with pytest.raises(ModelError, match=r"expected PLAYER=STRATEGY"):
            parse_choice(text)


@pytest.mark.parametrize("text, expected", [
    ("a < b", sympy.Lt), ("a <= b", sympy.Le), ("a > b", sympy.Gt), ("a >= b", sympy.Ge),
    ("a == b", sympy.Eq), ("a != b", sympy.Ne),
])
def test_a_relation_in_a_file_is_the_relation_parse_relation_gives(text, expected):
    spec = game_with(f"assumptions: [{text!r}]\n")
    a, b = spec.symbols["a"], spec.symbols["b"]
    assert parse_relation(text, spec.symbols) == expected(a, b) == spec.assumptions[0]


@pytest.mark.parametrize("text", ["a", "a < b < 3", "a <> b"])
def test_a_relation_has_exactly_one_comparison(text):
    assert split_relation(text) is None
    with pytest.raises(GameFileError):
        parse_relation(text, game_with("").symbols)


@pytest.mark.parametrize("kind", sorted(DISTRIBUTIONS))
def test_every_distribution_kind_parses_in_a_file_and_alone(kind):
    args = ", ".join(str(k) for k in range(1, DISTRIBUTIONS[kind] + 1))
    text = f"{kind}({args})"
    spec = load_game_text(GAME.replace("b: 2}", f"b: {{value: 2, dist: {text!r}}}}}"),
                          path="g.yaml")
    parsed = parse_distribution(text)
    assert parsed == (kind, tuple(sympy.Integer(k) for k in range(1, DISTRIBUTIONS[kind] + 1)))
    assert (spec.parameters[1].distribution.kind, spec.parameters[1].distribution.args) == parsed
    assert all(isinstance(a, sympy.Rational) for a in parsed[1])
    assert Fraction(str(parsed[1][0])) == 1

"""Specification of policy.spec: the data model every reader produces (data only)."""

from __future__ import annotations

import dataclasses

import pytest
import sympy

from policy.errors import GameFileError
from policy.readers.yaml_normal_form import load_game_text
from policy.spec import (Control, GameDeclarations, GameSpec, Parameter, Player, make_symbol,
                         value_problem)
from policy.syntax import parse_assignment

GAME = """\
parameters: {a: {value: 1, range: [0, 5], positive: true}}
controls: {t: {value: 0, bounds: [0, 1], type: binary}}
players: {row: [up, down], col: [left]}
payoffs: {up: {left: [a, t]}, down: {left: [0, 0]}}
"""


def test_what_any_game_declares_is_apart_from_the_normal_form_table():
    shared = {f.name for f in dataclasses.fields(GameDeclarations)}
    normal_form = {f.name for f in dataclasses.fields(GameSpec)} - shared
    assert normal_form == {"players", "payoffs"}
    assert {"parameters", "controls", "assumptions", "leader", "target", "vary", "source"} <= shared
    with pytest.raises(TypeError):
        GameSpec("g", (Player("a", ("x",)),), ((0,),))  # players and payoffs are keyword-only


def test_specs_compare_by_content_not_by_source_lines():
    one = load_game_text(GAME, path="g.yaml")
    again = load_game_text("\n\n" + GAME, path="g.yaml")
    assert one.lines != again.lines
    assert dataclasses.replace(again, source=one.source) == one


@pytest.mark.parametrize("assignment, problem", [
    ("a=0", "value 0 is not positive but the parameter is declared positive"),
    ("a=6", "value 6 is outside its range [0, 5]"),
    ("t=2", "value 2 is outside its bounds [0, 1]"),
    ("t=1/2", "value 1/2 of a binary control must be a whole number"),
    ("a=5", None), ("t=1", None),
])
def test_a_set_value_and_a_file_value_are_refused_in_the_same_words(assignment, problem):
    spec = load_game_text(GAME, path="g.yaml")
    name, number = parse_assignment(assignment, spec)
    assert value_problem(spec, name, number) == problem
    if problem is None:
        return
    section = "parameters" if name == "a" else "controls"
    value = assignment.partition("=")[2]
    text = GAME.replace("value: 1, range" if name == "a" else "value: 0, bounds",
                        f"value: '{value}', range" if name == "a" else f"value: '{value}', bounds")
    with pytest.raises(GameFileError) as caught:
        load_game_text(text, path="g.yaml")
    assert str(caught.value).endswith(f"{section}.{name}.value: {problem}")


def test_symbols_are_real_and_positive_as_declared():
    spec = GameSpec(name="g", parameters=(Parameter("a", None, positive=True),),
                    controls=(Control("t", sympy.Integer(0)),),
                    players=(Player("row", ("up",)), Player("col", ("left",))), payoffs=((0, 0),))
    assert spec.symbols == {"a": make_symbol("a", positive=True), "t": make_symbol("t")}
    assert spec.symbols["a"].is_positive and spec.symbols["t"].is_real

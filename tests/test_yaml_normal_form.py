"""Specification of policy.readers.yaml_normal_form: YAML game files → validated GameSpec.

A game file is untrusted. It either loads into a GameSpec or fails with exactly one
GameFileError whose text starts with ``file:line: field:`` so the user can go
straight to the problem.
"""

from __future__ import annotations

import hashlib
import textwrap

import pytest
import sympy

import policy.readers.yaml_normal_form as yaml_normal_form
from policy.errors import GameFileError
from policy.loader import load_game
from policy.readers.yaml_normal_form import load_game_text
from policy.spec import Distribution, FileLimits, make_symbol
from policy.syntax import parse_assignment

COORDINATION = """\
players:
  row: [up, down]
  col: [left, right]
payoffs:
  up: {left: [1, 1], right: [0, 0]}
  down: {left: [0, 0], right: [1, 1]}
"""

NAME_RULES = ("is not allowed: use ASCII letters, digits and _ (not starting with a digit), "
              "and not a function name or keyword "
              "(min, max, abs, sqrt, exp, log, import, True, …)")
TOP_LEVEL = ("name, title, description, claim, references, parameters, assumptions, "
             "controls, players, leader, payoffs, objective, target, budget, vary")

g_pos = make_symbol("g", positive=True)
f, c, subsidy = (make_symbol(name) for name in ("f", "c", "subsidy"))


def load(text: str, **kwargs):
    return load_game_text(textwrap.dedent(text), path="g.yaml", **kwargs)


def error(text: str, **kwargs) -> str:
    """The one-line message of the GameFileError that loading ``text`` must raise."""
    with pytest.raises(GameFileError) as caught:
        load(text, **kwargs)
    return str(caught.value)


def file_error(path, **kwargs) -> str:
    with pytest.raises(GameFileError) as caught:
        load_game(path, **kwargs)
    return str(caught.value)


# -- games that load ---------------------------------------------------------------------

def test_the_docstring_example_loads():
    block = yaml_normal_form.__doc__.split("::\n", 1)[1].split("\nExamples", 1)[0]
    spec = load_game_text(textwrap.dedent(block), path="docs/inspection.yaml")

    assert spec.name == "inspection"
    assert spec.title == "Regulator inspects a platform"
    assert spec.player_names == ("regulator", "platform")
    assert spec.shape == (2, 2)
    assert spec.leader == "regulator"
    assert [p.name for p in spec.parameters] == ["g", "f", "c"]
    assert [p.value for p in spec.parameters] == [4, 10, 1]
    g_param = spec.parameters[0]
    assert g_param.positive and g_param.range == (0, 10)
    assert g_param.description == "gain from a violation"
    assert spec.assumptions == (sympy.Lt(g_pos, f),)
    (control,) = spec.controls
    assert (control.name, control.value, control.bounds, control.cost) == ("subsidy", 0, (0, 5), 1)
    assert spec.symbols == {"g": g_pos, "f": f, "c": c, "subsidy": subsidy}
    assert spec.payoff(("inspect", "comply")) == (-c, subsidy)
    assert spec.payoff(("inspect", "violate")) == (f - c, -f)
    assert spec.payoff(("trust", "violate")) == (-g_pos, g_pos)
    assert spec.source.format == "yaml"
    assert spec.source.sha256 == hashlib.sha256(textwrap.dedent(block).encode()).hexdigest()


def test_payoffs_are_in_profile_order_first_player_slowest_on_a_2x3_game():
    # The payoff mapping lists strategies out of order; the players' lists decide.
    spec = load("""\
        players:
          row: [a, b]
          col: [x, y, z]
        payoffs:
          b: {z: [6, -6], x: [4, -4], y: [5, -5]}
          a: {y: [2, -2], z: [3, -3], x: [1, -1]}
        """)
    assert list(spec.profiles()) == [("a", "x"), ("a", "y"), ("a", "z"),
                                     ("b", "x"), ("b", "y"), ("b", "z")]
    assert spec.payoffs == tuple((k, -k) for k in range(1, 7))
    assert spec.payoff(("b", "y")) == (5, -5)
    assert spec.shape == (2, 3)


def test_payoffs_are_in_profile_order_first_player_slowest_on_a_2x2x2_game():
    spec = load("""\
        players: {p: [p0, p1], q: [q0, q1], r: [r0, r1]}
        payoffs:
          p0:
            q0: {r0: [0, 10, 100], r1: [1, 11, 101]}
            q1: {r0: [2, 12, 102], r1: [3, 13, 103]}
          p1:
            q0: {r0: [4, 14, 104], r1: [5, 15, 105]}
            q1: {r0: [6, 16, 106], r1: [7, 17, 107]}
        """)
    assert spec.payoffs == tuple((k, 10 + k, 100 + k) for k in range(8))
    assert list(spec.profiles())[5] == ("p1", "q0", "r1")
    assert spec.payoff(("p1", "q0", "r1")) == (5, 15, 105)


def test_payoff_values_are_exact():
    spec = load("""\
        players: {a: [x], b: [y]}
        payoffs: {x: {y: [0.1, "1/3"]}}
        """)
    assert spec.payoffs == ((sympy.Rational(1, 10), sympy.Rational(1, 3)),)


def test_parameters_with_positive_range_and_distribution():
    spec = load("""\
        parameters:
          g: {value: 2, positive: true, range: [1, 3], dist: "uniform(1, 3)", unit: EUR}
          f: {value: "1/3", dist: "triangular(0, 1/2, 1)"}
          n: {description: left open}
          k: 7
        players: {a: [x], b: [y]}
        payoffs: {x: {y: [g*f, n + k]}}
        """)
    g_param, f_param, n_param, k_param = spec.parameters
    assert g_param.value == 2 and g_param.positive and g_param.range == (1, 3)
    assert g_param.distribution == Distribution("uniform", (1, 3))
    assert str(g_param.distribution) == "uniform(1, 3)"
    assert g_param.unit == "EUR"
    assert g_param.symbol.is_positive
    assert f_param.value == sympy.Rational(1, 3)
    assert f_param.distribution == Distribution("triangular", (0, sympy.Rational(1, 2), 1))
    assert f_param.symbol.is_real and f_param.symbol.is_positive is None
    assert n_param.value is None and n_param.description == "left open"
    assert k_param.value == 7
    assert spec.payoffs == ((g_pos * f, make_symbol("n") + make_symbol("k")),)


def test_controls_binary_gets_bounds_zero_one():
    spec = load("""\
        controls:
          audit: {type: binary, fixed_cost: 3}
          tax: {bounds: [1, 4], cost: "1/2"}
          inspectors: {type: integer, value: 2, bounds: [0, 10]}
        players: {a: [x], b: [y]}
        payoffs: {x: {y: [audit + tax, inspectors]}}
        """)
    audit, tax, inspectors = spec.controls
    assert (audit.type, audit.bounds, audit.value, audit.fixed_cost) == ("binary", (0, 1), 0, 3)
    assert tax.value == 1  # defaults to the lower bound
    assert tax.cost == sympy.Rational(1, 2)
    assert (inspectors.type, inspectors.value) == ("integer", 2)


def test_yes_no_on_off_stay_names_not_booleans():
    spec = load("""\
        players:
          voter: [yes, no]
          switch: [on, off]
        target: {voter: no}
        payoffs:
          yes: {on: [1, 2], off: [3, 4]}
          no: {on: [5, 6], off: [7, 8]}
        """)
    assert spec.players[0].strategies == ("yes", "no")
    assert spec.players[1].strategies == ("on", "off")
    assert spec.target == (("voter", "no"),)
    assert spec.payoff(("no", "off")) == (7, 8)


def test_anchors_and_aliases_within_the_budget_are_fine():
    spec = load("""\
        players: {a: [x, y], b: [u, v]}
        payoffs:
          x: {u: &tie [1, 1], v: *tie}
          y: {u: *tie, v: [0, 0]}
        """)
    assert spec.payoffs == ((1, 1), (1, 1), (1, 1), (0, 0))


def test_field_lines_are_recorded():
    spec = load(COORDINATION)
    assert spec.line_of("players.col") == 3
    assert spec.line_of("payoffs.down.right") == 6
    assert spec.line_of("nowhere") is None


def test_a_file_loads_with_its_name_and_hash(tmp_path):
    path = tmp_path / "coordination.yaml"
    path.write_text(COORDINATION, encoding="utf-8")
    spec = load_game(path)
    assert spec.name == "coordination"
    assert spec.source.path == str(path)
    assert spec.source.sha256 == hashlib.sha256(COORDINATION.encode()).hexdigest()


def test_a_utf8_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + COORDINATION.encode())
    assert load_game(path).shape == (2, 2)


# -- every error names file:line: field ---------------------------------------------------

@pytest.mark.parametrize("text, message", [
    pytest.param(
        "payoffs: {}\n",
        "g.yaml:1: missing 'players': a mapping of player names to strategy lists",
        id="missing-players"),
    pytest.param(
        "players:\n  a: [x]\npayoffs: {x: [1]}\n",
        "g.yaml:1: players: a game needs at least 2 players, found 1",
        id="one-player"),
    pytest.param(
        "players: [a, b]\npayoffs: {}\n",
        "g.yaml:1: players: expected a mapping of player names to strategy lists",
        id="players-as-list"),
    pytest.param(
        "players:\n  a: x\n  b: [y]\npayoffs: {}\n",
        "g.yaml:2: players.a: expected a non-empty list of strategy names",
        id="strategies-not-a-list"),
    pytest.param(
        "players:\n  a: []\n  b: [y]\npayoffs: {}\n",
        "g.yaml:2: players.a: expected a non-empty list of strategy names",
        id="no-strategies"),
    pytest.param(
        "players:\n  a: [x, y, x]\n  b: [y]\npayoffs: {}\n",
        "g.yaml:2: players.a[2]: duplicate strategy 'x'; the strategies of a player must have "
        "different names",
        id="duplicate-strategy"),
    pytest.param(
        "players:\n  a: [x]\n  a: [y]\npayoffs: {}\n",
        "g.yaml:3: players.a: duplicate key 'a'; each key may appear once",
        id="duplicate-yaml-key"),
    pytest.param(
        COORDINATION + "title: one\ntitle: two\n",
        "g.yaml:8: title: duplicate key 'title'; each key may appear once",
        id="duplicate-top-level-key"),
    pytest.param(
        "players:\n  max: [x]\n  b: [y]\npayoffs: {}\n",
        f"g.yaml:2: players.max: player name 'max' {NAME_RULES}",
        id="reserved-player-name"),
    pytest.param(
        "parameters: {import: 1}\n" + COORDINATION,
        f"g.yaml:1: parameters.import: parameter name 'import' {NAME_RULES}",
        id="reserved-parameter-name"),
    pytest.param(
        "controls: {sqrt: {value: 1}}\n" + COORDINATION,
        f"g.yaml:1: controls.sqrt: control name 'sqrt' {NAME_RULES}",
        id="reserved-control-name"),
    pytest.param(
        "players:\n  a: [lévy]\n  b: [y]\npayoffs: {}\n",
        f"g.yaml:2: players.a[0]: strategy name 'lévy' {NAME_RULES}",
        id="non-ascii-strategy"),
    pytest.param(
        "players:\n  \u0430: [x]\n  b: [y]\npayoffs: {}\n",
        f"g.yaml:2: players.\u0430: player name '\u0430' {NAME_RULES}",
        id="cyrillic-player"),
    pytest.param(
        "players:\n  1st: [x]\n  b: [y]\npayoffs: {}\n",
        f"g.yaml:2: players.1st: player name '1st' {NAME_RULES}",
        id="name-starts-with-digit"),
    pytest.param(
        "players:\n  a: [1, 2]\n  b: [y]\npayoffs: {}\n",
        f"g.yaml:2: players.a[0]: strategy name '1' {NAME_RULES}",
        id="numeric-strategy"),
    pytest.param(
        "players:\n  [a]: [x]\n  b: [y]\npayoffs: {}\n",
        "g.yaml:2: players: a mapping key is a list or mapping; keys must be plain names",
        id="non-scalar-key"),
    pytest.param(
        "players:\n  a: {strategies: [x], colour: red}\n  b: [y]\npayoffs: {}\n",
        "g.yaml:2: players.a.colour: unknown key 'colour'; allowed: strategies, description",
        id="unknown-player-key"),
    pytest.param(
        "players:\n  a: [x]\n  b: [y]\n",
        "g.yaml:1: missing 'payoffs': a mapping nested by strategy in player order, "
        "e.g. payoffs: {x: {y: [0, 0]}}",
        id="missing-payoffs"),
    pytest.param(
        COORDINATION.replace("right: [1, 1]}", "}").replace("[0, 0], }", "[0, 0]}"),
        "g.yaml:6: payoffs.down: missing col's strategy 'right'",
        id="missing-profile"),
    pytest.param(
        COORDINATION.replace("right: [0, 0]}", "right: [0, 0], middle: [2, 2]}"),
        "g.yaml:5: payoffs.up.middle: 'middle' is not a strategy of col; strategies: left, right",
        id="extra-strategy-key"),
    pytest.param(
        COORDINATION.replace("left: [1, 1]", "left: [1, 1, 1]"),
        "g.yaml:5: payoffs.up.left: expected a list of 2 payoffs (one per player: row, col), "
        "got 3 values",
        id="too-many-payoffs"),
    pytest.param(
        COORDINATION.replace("left: [1, 1]", "left: [1]"),
        "g.yaml:5: payoffs.up.left: expected a list of 2 payoffs (one per player: row, col), "
        "got 1 value",
        id="too-few-payoffs"),
    pytest.param(
        COORDINATION.replace("left: [1, 1]", "left: 1"),
        "g.yaml:5: payoffs.up.left: expected a list of 2 payoffs (one per player: row, col), "
        "got the single value '1'",
        id="payoff-not-a-list"),
    pytest.param(
        COORDINATION.replace("left: [1, 1]", "left: {x: [1, 1]}"),
        "g.yaml:5: payoffs.up.left: expected a list of 2 payoffs (one per player: row, col), "
        "got a mapping (nested one level too deep?)",
        id="payoffs-nested-too-deep"),
    pytest.param(
        "players: {a: [x], b: [y]}\npayoffs: [1, 2]\n",
        "g.yaml:2: payoffs: expected a mapping from a's strategies (x) to payoffs",
        id="payoffs-not-a-mapping"),
    pytest.param(
        "parameters: {c: 1, b: 2}\n" + COORDINATION.replace("left: [1, 1]", "left: [x, 1]"),
        "g.yaml:6: payoffs.up.left[0]: unknown symbol 'x' at column 1; declared: b, c",
        id="unknown-symbol"),
    pytest.param(
        COORDINATION.replace("left: [1, 1]", "left: [1, 2*fine]"),
        "g.yaml:5: payoffs.up.left[1]: unknown symbol 'fine' at column 3; declared: (none)",
        id="unknown-symbol-none-declared"),
    pytest.param(
        COORDINATION.replace("left: [1, 1]", "left: ['__import__(\"os\")', 1]"),
        "g.yaml:5: payoffs.up.left[0]: unknown function '__import__' at column 1; "
        "allowed functions: abs, exp, log, max, min, sqrt",
        id="python-in-payoff"),
    pytest.param(
        COORDINATION + "solver: lemke\n",
        f"g.yaml:7: solver: unknown key 'solver'; allowed: {TOP_LEVEL}",
        id="unknown-top-level-key"),
    pytest.param(
        COORDINATION + "leader: referee\n",
        "g.yaml:7: leader: leader 'referee' is not a player; players: row, col",
        id="leader-not-a-player"),
    pytest.param(
        COORDINATION + "target: {row: sideways}\n",
        "g.yaml:7: target.row: 'sideways' is not a strategy of row; strategies: up, down",
        id="target-unknown-strategy"),
    pytest.param(
        COORDINATION + "target: {referee: up}\n",
        "g.yaml:7: target.referee: 'referee' is not a player; players: row, col",
        id="target-unknown-player"),
    pytest.param(
        "parameters: {g: 1, f: 2}\nassumptions: ['g + f']\n" + COORDINATION,
        "g.yaml:2: assumptions[0]: expected one comparison (<, <=, >, >=, ==, !=) in 'g + f'",
        id="assumption-without-comparison"),
    pytest.param(
        "parameters: {g: 1, f: 2}\nassumptions: ['0 < g < f']\n" + COORDINATION,
        "g.yaml:2: assumptions[0]: expected one comparison (<, <=, >, >=, ==, !=) in '0 < g < f'",
        id="assumption-chained"),
    pytest.param(
        "parameters: {g: 1, f: 2}\nassumptions: ['g < h']\n" + COORDINATION,
        "g.yaml:2: assumptions[0]: unknown symbol 'h' at column 2; declared: f, g",
        id="assumption-unknown-symbol"),
    pytest.param(
        "assumptions: ['1 > 2']\n" + COORDINATION,
        "g.yaml:1: assumptions[0]: assumption '1 > 2' is always false; an assumption must "
        "hold for some values of the parameters",
        id="assumption-always-false"),
    pytest.param(
        "assumptions: g < f\n" + COORDINATION,
        "g.yaml:1: assumptions: expected a list of relations such as \"g < f\"",
        id="assumptions-not-a-list"),
    pytest.param(
        "parameters: {g: {value: 1, dist: 'beta(1, 2)'}}\n" + COORDINATION,
        "g.yaml:1: parameters.g.dist: unknown distribution 'beta(1, 2)'; allowed: uniform(a, b), "
        "normal(a, b), triangular(a, b, c), lognormal(a, b)",
        id="unknown-distribution"),
    pytest.param(
        "parameters: {g: {value: 1, dist: 'uniform(3, 1)'}}\n" + COORDINATION,
        "g.yaml:1: parameters.g.dist: uniform(a, b) needs a < b, got uniform(3, 1)",
        id="uniform-reversed"),
    pytest.param(
        "parameters: {g: {value: 1, dist: 'normal(0, 0)'}}\n" + COORDINATION,
        "g.yaml:1: parameters.g.dist: normal(mu, sigma) needs sigma > 0, got normal(0, 0)",
        id="normal-zero-sigma"),
    pytest.param(
        "parameters: {g: {value: 1, dist: 'triangular(0, 2, 1)'}}\n" + COORDINATION,
        "g.yaml:1: parameters.g.dist: triangular(a, m, b) needs a <= m <= b and a < b, "
        "got triangular(0, 2, 1)",
        id="triangular-mode-outside"),
    pytest.param(
        "parameters: {g: {value: 1, dist: 'uniform(1)'}}\n" + COORDINATION,
        "g.yaml:1: parameters.g.dist: uniform() takes 2 numeric arguments, got '1'",
        id="distribution-arity"),
    pytest.param(
        "parameters: {g: {value: 1, dist: 'normal(0, s)'}}\n" + COORDINATION,
        "g.yaml:1: parameters.g.dist: distribution arguments must be numbers, e.g. "
        "uniform(1, 3): unknown symbol 's' at column 2; "
        "declared: (none)",
        id="distribution-symbolic-argument"),
    pytest.param(
        "parameters: {g: {value: 1, dist: 3}}\n" + COORDINATION,
        "g.yaml:1: parameters.g.dist: expected text such as 'uniform(1, 3)'",
        id="distribution-not-text"),
    pytest.param(
        "parameters: {g: {value: -1, positive: true}}\n" + COORDINATION,
        "g.yaml:1: parameters.g.value: value -1 is not positive but the parameter is declared "
        "positive",
        id="positive-violated"),
    pytest.param(
        "parameters: {g: {value: 1, positive: yes}}\n" + COORDINATION,
        "g.yaml:1: parameters.g.positive: expected true or false",
        id="positive-yes-is-not-a-boolean"),
    pytest.param(
        "parameters: {g: {value: 11, range: [0, 10]}}\n" + COORDINATION,
        "g.yaml:1: parameters.g.value: value 11 is outside its range [0, 10]",
        id="value-outside-range"),
    pytest.param(
        "parameters: {g: {value: 1, range: [10, 0]}}\n" + COORDINATION,
        "g.yaml:1: parameters.g.range: low 10 is above high 0; write [low, high] with "
        "low <= high",
        id="range-reversed"),
    pytest.param(
        "parameters: {g: {value: 1, range: 5}}\n" + COORDINATION,
        "g.yaml:1: parameters.g.range: expected a list of two numbers [low, high], e.g. [0, 10]",
        id="range-not-a-pair"),
    pytest.param(
        "parameters: {g: {value: 1, vaule: 2}}\n" + COORDINATION,
        "g.yaml:1: parameters.g.vaule: unknown key 'vaule'; allowed: value, description, range, "
        "positive, dist, unit",
        id="misspelt-parameter-key"),
    pytest.param(
        "parameters:\n  g: 1\n  f: g\n" + COORDINATION,
        "g.yaml:3: parameters.f.value: expected a number, got 'g'; names cannot be used here",
        id="parameter-value-uses-a-name"),
    pytest.param(
        "parameters: [g, f]\n" + COORDINATION,
        "g.yaml:1: parameters: expected a mapping of parameter names to {value: …}",
        id="parameters-as-list"),
    pytest.param(
        "controls: {s: {value: 6, bounds: [0, 5]}}\n" + COORDINATION,
        "g.yaml:1: controls.s.value: value 6 is outside its bounds [0, 5]",
        id="control-outside-bounds"),
    pytest.param(
        "controls: {s: {type: binary, value: 2}}\n" + COORDINATION,
        "g.yaml:1: controls.s.value: value 2 is outside its bounds [0, 1]",
        id="binary-control-value-two"),
    pytest.param(
        "controls: {s: {type: binary, bounds: [0, 2]}}\n" + COORDINATION,
        "g.yaml:1: controls.s.bounds: a binary control has bounds [0, 1]",
        id="binary-control-other-bounds"),
    pytest.param(
        "controls: {s: {type: integer, value: 1/2, bounds: [0, 3]}}\n" + COORDINATION,
        "g.yaml:1: controls.s.value: value 1/2 of a integer control must be a whole number",
        id="integer-control-fraction"),
    pytest.param(
        "controls: {s: {type: discrete}}\n" + COORDINATION,
        "g.yaml:1: controls.s.type: unknown type 'discrete'; allowed: continuous, binary, integer",
        id="unknown-control-type"),
    pytest.param(
        "parameters: {s: 1}\ncontrols: {s: {value: 1}}\n" + COORDINATION,
        "g.yaml:2: controls.s: 's' is declared both as a parameter and a control; names must "
        "be unique, so rename one",
        id="parameter-and-control"),
    pytest.param(
        "name: 'my game'\n" + COORDINATION,
        "g.yaml:1: name: game name 'my game' is not allowed: use at most 80 letters, digits, "
        "'_', '-' or '.', starting with a letter or digit",
        id="bad-game-name"),
    pytest.param(
        "title: 3\n" + COORDINATION,
        "g.yaml:1: title: expected text, got int",
        id="title-not-text"),
    pytest.param(
        COORDINATION + "references: see paper\n",
        "g.yaml:7: references: expected a list of texts, e.g. [\"Author (2020), Title\"]",
        id="references-not-a-list"),
    pytest.param(
        COORDINATION + "budget: lots\n",
        "g.yaml:7: budget: expected a number, got 'lots'; names cannot be used here",
        id="budget-not-a-number"),
    pytest.param(
        COORDINATION + "objective: welfare\n",
        "g.yaml:7: objective: unknown symbol 'welfare' at column 1; declared: col, row",
        id="objective-unknown-symbol"),
])
def test_errors_name_file_line_and_field(text, message):
    assert error(text) == message


def test_errors_are_single_lines_with_location_attributes():
    with pytest.raises(GameFileError) as caught:
        load(COORDINATION + "leader: referee\n")
    err = caught.value
    assert (err.path, err.line, err.field) == ("g.yaml", 7, "leader")
    assert "\n" not in str(err)
    assert err.exit_code == 2


# -- hostile and malformed files --------------------------------------------------------------

@pytest.mark.parametrize("text, message", [
    pytest.param(
        COORDINATION + "title: [unclosed\n",
        "g.yaml:8: invalid YAML: expected ',' or ']', but got '<stream end>'",
        id="unclosed-bracket"),
    pytest.param(
        "players:\n\trow: [up]\n",
        "g.yaml:2: invalid YAML: found character '\\t' that cannot start any token",
        id="tab-indent"),
    pytest.param(
        "players:\n  row: [up, down]\n col: [x]\n",
        "g.yaml:3: invalid YAML: expected <block end>, but found '<block mapping start>'",
        id="bad-indent"),
    pytest.param(
        "players: {a: [x], b: [y]}\npayoffs: {x: {y: [1, 1]}}\nkey: 'unterminated\n",
        "g.yaml:4: invalid YAML: found unexpected end of stream",
        id="unterminated-quote"),
])
def test_yaml_syntax_errors_give_the_line(text, message):
    assert error(text) == message


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n"])
def test_an_empty_file_is_explained(text):
    assert error(text) == "g.yaml: the file is empty; a game needs 'players' and 'payoffs'"


@pytest.mark.parametrize("text", ["- 1\n- 2\n", "hello\n", "42\n", "---\n"])
def test_a_file_that_is_not_a_mapping_is_explained(text):
    assert error(text) == "g.yaml:1: a game file must be a mapping with 'players' and 'payoffs'"


def test_an_empty_file_on_disk(tmp_path):
    path = tmp_path / "empty.yaml"
    path.write_bytes(b"")
    assert file_error(path) == (
        f"{path}: the file is empty; a game needs 'players' and 'payoffs'")


def test_non_utf8_bytes_are_refused_with_line_and_offset(tmp_path):
    data = b"players:\n  a: [x]\n  b: [caf\xe9]\npayoffs: {}\n"
    path = tmp_path / "latin1.yaml"
    path.write_bytes(data)
    assert file_error(path) == (
        f"{path}:3: not UTF-8 text (byte 0xe9 at offset 27); save the file as UTF-8")


def test_a_file_over_the_size_limit_is_refused_before_reading(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text(COORDINATION, encoding="utf-8")
    size = len(COORDINATION.encode())
    assert file_error(path, limits=FileLimits(max_bytes=100)) == (
        f"{path}: file is {size} bytes; at most 100 are allowed (set POLICY_LIMIT_FILE_BYTES to raise this limit)")
    assert error(COORDINATION, limits=FileLimits(max_bytes=100)) == (
        f"g.yaml: text is {size} characters; at most 100 are allowed "
        "(set POLICY_LIMIT_FILE_BYTES to raise this limit)")


def test_missing_files_and_folders_are_explained(tmp_path):
    assert file_error(tmp_path / "nope.yaml") == f"{tmp_path / 'nope.yaml'}: no such file"
    assert file_error(tmp_path) == (
        f"{tmp_path}: is a directory; expected a game file (.yaml, .yml or .nfg)")


def test_a_billion_laughs_anchor_bomb_is_refused_by_the_node_budget():
    lines = ["lol0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, 9):
        lines.append(f"lol{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * 9) + "]")
    bomb = "\n".join(lines) + "\n" + COORDINATION  # 9**9 = 387 million strings if expanded
    message = error(bomb)
    assert message.startswith("g.yaml:")
    assert message.split(": ", 1)[1] == (
        f"file expands to more than {FileLimits().max_nodes} YAML nodes "
        "(anchors/aliases?); simplify it or set POLICY_LIMIT_YAML_NODES to raise this limit")


def test_the_node_budget_can_be_lowered():
    assert error(COORDINATION, limits=FileLimits(max_nodes=5)) == (
        "g.yaml:3: file expands to more than 5 YAML nodes (anchors/aliases?); "
        "simplify it or set POLICY_LIMIT_YAML_NODES to raise this limit")


def test_deeply_nested_yaml_is_refused():
    assert error("players: " + "[" * 5000 + "]" * 5000 + "\n") == (
        "g.yaml:1: lists and mappings nested deeper than 100 levels "
        "(set POLICY_LIMIT_YAML_DEPTH to raise this limit)")


@pytest.mark.parametrize("payoff, shown", [
    (".nan", "nan"), (".NaN", "nan"), (".inf", "inf"), ("-.inf", "-inf"), ("+.Inf", "inf"),
])
def test_nan_and_infinite_payoffs_are_refused(payoff, shown):
    assert error(COORDINATION.replace("left: [1, 1]", f"left: [{payoff}, 1]")) == (
        f"g.yaml:5: payoffs.up.left[0]: expected a finite number, got {shown}")


@pytest.mark.parametrize("payoff, message", [
    ("true", "expected a number or expression, got the boolean True"),
    ("null", "expected a number or expression, got an empty value (null)"),
    ("~", "expected a number or expression, got an empty value (null)"),
    ("'nan'", "unknown symbol 'nan' at column 1; declared: (none)"),
    ("1e400", "number 1e400 has exponent 400; at most ±100 is allowed (set POLICY_LIMIT_EXPONENT to raise this limit)"),
    ("'9**9**9'", "exponent 387420489 at column 2 is too large; at most ±100 is allowed (set POLICY_LIMIT_EXPONENT to raise this limit)"),
])
def test_payoffs_that_are_not_finite_numbers_are_refused(payoff, message):
    assert error(COORDINATION.replace("left: [1, 1]", f"left: [{payoff}, 1]")) == (
        f"g.yaml:5: payoffs.up.left[0]: {message}")


@pytest.mark.parametrize("text, field, tag", [
    pytest.param(
        COORDINATION.replace("left: [1, 1]", "left: [!!python/object:os.system 'ls', 1]"),
        "g.yaml:5: payoffs.up.left[0]: ", "tag:yaml.org,2002:python/object:os.system",
        id="quoted-scalar"),
    pytest.param(
        COORDINATION + "title: !!python/name:os.system\n",
        "g.yaml:7: title: ", "tag:yaml.org,2002:python/name:os.system",
        id="plain-scalar"),
    pytest.param(
        COORDINATION + "description: !!python/object/new:os.system {}\n",
        "g.yaml:7: description: ", "tag:yaml.org,2002:python/object/new:os.system",
        id="mapping"),
    pytest.param(
        COORDINATION + "references: !!python/object/apply:os.system ['touch pwned']\n",
        "g.yaml:7: references: ", "tag:yaml.org,2002:python/object/apply:os.system",
        id="sequence"),
    pytest.param(
        "!!python/object/apply:os.system ['touch pwned']\n",
        "g.yaml:1: ", "tag:yaml.org,2002:python/object/apply:os.system",
        id="whole-file"),
    pytest.param(
        COORDINATION + "title: !!set {a, b}\n",
        "g.yaml:7: title: ", "tag:yaml.org,2002:set",
        id="set"),
    pytest.param(
        COORDINATION + "title: !custom text\n",
        "g.yaml:7: title: ", "!custom",
        id="local-tag"),
])
def test_python_and_other_yaml_tags_are_refused_and_nothing_runs(text, field, tag, tmp_path,
                                                                  monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert error(text) == (f"{field}unsupported YAML tag '{tag}'; only plain text, numbers, "
                           "true/false, lists and mappings are allowed")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("value, kind", [
    ("2001-12-14", "date"), ("!!binary aGVsbG8=", "bytes"),
])
def test_other_yaml_value_types_are_refused(value, kind):
    assert error(COORDINATION + f"title: {value}\n") == (
        f"g.yaml:7: title: unsupported YAML value of type {kind}; write a number, an "
        "expression or quoted text")


def test_too_many_strategies_are_refused():
    strategies = ", ".join(f"s{i}" for i in range(6))
    text = f"players:\n  a: [{strategies}]\n  b: [y]\npayoffs: {{}}\n"
    assert error(text, limits=FileLimits(max_strategies=5)) == (
        "g.yaml:2: players.a: 6 strategies; at most 5 are allowed "
        "(set POLICY_LIMIT_STRATEGIES to raise this limit)")


def test_default_strategy_limit():
    strategies = ", ".join(f"s{i}" for i in range(FileLimits().max_strategies + 1))
    text = f"players:\n  a: [{strategies}]\n  b: [y]\npayoffs: {{}}\n"
    assert error(text) == (
        f"g.yaml:2: players.a: {FileLimits().max_strategies + 1} strategies; at most "
        f"{FileLimits().max_strategies} are allowed (set POLICY_LIMIT_STRATEGIES to raise this limit)")


def test_too_many_players_and_profiles_are_refused():
    assert error(COORDINATION, limits=FileLimits(max_players=1)) == (
        "g.yaml:1: players: 2 players; at most 1 are allowed (set POLICY_LIMIT_PLAYERS to raise this limit)")
    assert error(COORDINATION, limits=FileLimits(max_profiles=3)) == (
        "g.yaml:1: players: the game has more than 3 pure profiles "
        "(set POLICY_LIMIT_PROFILES to raise this limit)")


# -- --set name=value -------------------------------------------------------------------------

SET_GAME = """\
name: coordination
parameters: {g: 1, f: 2}
controls: {s: {value: 0, bounds: [0, 5]}}
players: {a: [x], b: [y]}
payoffs: {x: {y: [g + s, f]}}
"""


@pytest.mark.parametrize("text, name, value", [
    ("g=2/3", "g", sympy.Rational(2, 3)),
    (" f = 0.5 ", "f", sympy.Rational(1, 2)),
    ("s=2.5e0", "s", sympy.Rational(5, 2)),
    ("g=-1", "g", sympy.Integer(-1)),
    ("g=max(1, 2)^2", "g", sympy.Integer(4)),
])
def test_parse_assignment_accepts_numbers_for_declared_names(text, name, value):
    assert parse_assignment(text, load(SET_GAME)) == (name, value)


@pytest.mark.parametrize("text, message", [
    ("g", "--set 'g': expected NAME=VALUE, e.g. --set g=12"),
    ("x=1", "--set 'x=1': 'x' is not a parameter or control of coordination; declared: g, f, s"),
    ("g=", "--set 'g=': empty expression; write a number or a formula such as f - c"),
    ("g=1/0", "--set 'g=1/0': division by zero at column 2"),
    ("g=f", "--set 'g=f': unknown symbol 'f' at column 1; declared: (none)"),
    ("g=__import__('os')", "--set 'g=__import__('os')': unknown function '__import__' at "
                           "column 1; allowed functions: abs, exp, log, max, min, sqrt"),
    ("g=1e999", "--set 'g=1e999': number 1e999 has exponent 999; at most ±100 is allowed (set POLICY_LIMIT_EXPONENT to raise this limit)"),
])
def test_parse_assignment_errors(text, message):
    with pytest.raises(GameFileError) as caught:
        parse_assignment(text, load(SET_GAME))
    assert str(caught.value) == message


def test_parse_assignment_with_nothing_declared():
    with pytest.raises(GameFileError) as caught:
        parse_assignment("g=1", load(COORDINATION))
    assert str(caught.value) == (
        "--set 'g=1': 'g' is not a parameter or control of g; declared: (none)")

"""Every error message, as a user meets it: one row per message.

Each row is a bad input (a small game file, command-line options, an environment
variable) and what the one line on stderr must say: ``error: FILE:LINE: FIELD: ``
for problems in a game file, the option and the offending text for problems on
the command line, and always a fragment saying what is allowed.

Messages with no row, and why:

- ``no such file`` / ``cannot read file`` (``load_game``): the CLI resolves the
  game first, so a missing file gets the bundled-games message (row
  ``game-not-found``); an unreadable file needs a failing disk.
- ``text is N characters`` (``load_game_text``, ``parse_nfg``) and ``expected the
  file's text``: Python API only; the CLI reads files, limited by ``file-too-big``.
- ``invalid YAML: nested too deeply`` / ``YAML nested too deeply`` / ``input
  nested too deeply``: the nesting limit (``yaml-nesting``) refuses such input first.
- ``expected a number, got '…'`` (a non-real number), ``the value must be a real
  number`` (``--set``), ``expression … is not finite``, the parser's own ``empty
  expression``: the expression parser refuses such values earlier.
- ``numeric.py`` (``NumericGame.from_arrays``), ``to_nfg``'s name and value checks,
  ``SymbolicGame.values_with``'s undeclared name, ``leader … is not a player``
  (optimize), ``unknown method/mode/solver/robustness``, ``confidence``,
  ``--samples must be at least 1``: Python API only; the CLI validates first
  (click choices and ranges, the loader).
- ``solver 'highs' is not available`` and ``cannot write report`` /
  ``cannot create report folder``: checked line for line in ``test_failures.py``.
- ``solver … failed``, ``cannot reach the Dask scheduler``, ``objective … does not
  evaluate to a number``, ``no value for …; give one with --set`` (optimize and
  sweep): need a broken solver or network, or are caught earlier by
  ``no value for … in GAME`` (row ``parameter-without-value``).
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from policy.cli import cli

TAIL = "players: {a: [x, y], b: [l, r]}\npayoffs: {x: {l: [1, 1], r: [0, 0]}, y: {l: [0, 0], r: [1, 1]}}\n"
ONE = "players: {a: [x], b: [l]}\n"
HEAD = 'NFG 1 R "t" { "A" "B" }'
GAME = """\
parameters:
  c: {value: 1}
controls:
  s: {value: 0, bounds: [0, 5], cost: 1}
players: {a: [x, y], b: [l, r]}
payoffs:
  x: {l: [c, s], r: [0, 0]}
  y: {l: [0, 0], r: [1, 1]}
"""


def payoff(expression: str) -> str:
    """A game whose first payoff (line 3, field payoffs.x.l[0]) is ``expression``."""
    return f"parameters: {{c: 1}}\n{ONE}payoffs: {{x: {{l: [{expression}, 0]}}}}\n"


def row(id, text, args=("check", "{game}"), where=None, *fragments, env=None, name="g.yaml",
        code=2):
    return pytest.param(text, list(args), where, fragments, env or {}, name, code, id=id)


PAYOFF = "3: payoffs.x.l[0]"
CASES = [
    # -- reading the file ------------------------------------------------------------
    row("file-too-big", TAIL, ("check", "{game}"), None, "file is 96 bytes; at most 10 are allowed",
        "set POLICY_LIMIT_FILE_BYTES", env={"POLICY_LIMIT_FILE_BYTES": "10"}),
    row("directory", None, ("check", "{dir}"), None, "is a directory; expected a game file (.yaml"),
    row("game-not-found", None, ("check", "no_such_game"), None,
        "no_such_game: no such file, and no bundled game of that name; bundled games: audit_and_entry, battle_of_sexes"),
    row("not-utf8", b"title: \xff\n" + TAIL.encode(), ("check", "{game}"), "1",
        "not UTF-8 text (byte 0xff at offset 7); save the file as UTF-8"),
    row("limit-variable", TAIL, ("check", "{game}"), None,
        "environment variable POLICY_LIMIT_PLAYERS is 'many'; expected a positive whole number "
        "(default 10)", env={"POLICY_LIMIT_PLAYERS": "many"}),
    # -- YAML --------------------------------------------------------------------------
    row("yaml-nesting", "title: [[[1]]]\n" + TAIL, ("check", "{game}"), "1",
        "nested deeper than 2 levels (set POLICY_LIMIT_YAML_DEPTH", env={"POLICY_LIMIT_YAML_DEPTH": "2"}),
    row("yaml-invalid", "title: a: b\n" + TAIL, ("check", "{game}"), "1",
        "invalid YAML: mapping values are not allowed here"),
    row("yaml-character", "title: \x07\n" + TAIL, ("check", "{game}"), "1",
        "invalid YAML: character U+0007 is not allowed in YAML text"),
    row("empty-file", "# nothing\n", ("check", "{game}"), None,
        "the file is empty; a game needs 'players' and 'payoffs'"),
    row("not-a-mapping", "- 1\n", ("check", "{game}"), "1",
        "a game file must be a mapping with 'players' and 'payoffs'"),
    row("yaml-nodes", TAIL, ("check", "{game}"), "1",
        "file expands to more than 5 YAML nodes", "set POLICY_LIMIT_YAML_NODES",
        env={"POLICY_LIMIT_YAML_NODES": "5"}),
    row("yaml-tag", "title: !!python/name:os.system x\n" + TAIL, ("check", "{game}"), "1: title",
        "unsupported YAML tag 'tag:yaml.org,2002:python/name:os.system'; only plain text, numbers"),
    row("yaml-key-not-plain", "? [a, b]\n: 1\n" + TAIL, ("check", "{game}"), "1",
        "a mapping key is a list or mapping; keys must be plain names"),
    row("yaml-duplicate-key", "title: a\ntitle: b\n" + TAIL, ("check", "{game}"), "2: title",
        "duplicate key 'title'; each key may appear once"),
    row("yaml-digits", "parameters: {c: " + "1" * 61 + "}\n" + TAIL, ("check", "{game}"),
        "1: parameters.c", "has 61 digits; at most 60 are allowed"),
    row("yaml-bad-value", "title: !!int abc\n" + TAIL, ("check", "{game}"), "1: title",
        "unsupported YAML value ('abc' is not a valid int); write a number, an expression or quoted text"),
    row("yaml-value-type", "title: 2001-01-01\n" + TAIL, ("check", "{game}"), "1: title",
        "unsupported YAML value of type date; write a number, an expression or quoted text"),
    # -- top level -----------------------------------------------------------------------
    row("unknown-key", "colour: red\n" + TAIL, ("check", "{game}"), "1: colour",
        "unknown key 'colour'; allowed: name, title, description"),
    row("game-name", "name: a b\n" + TAIL, ("check", "{game}"), "1: name",
        "game name 'a b' is not allowed: use at most 80 letters, digits"),
    row("title-not-text", "title: 3\n" + TAIL, ("check", "{game}"), "1: title",
        "expected text, got int"),
    row("references", "references: 3\n" + TAIL, ("check", "{game}"), "1: references",
        "expected a list of texts, e.g. [\"Author (2020), Title\"]"),
    row("leader", "leader: z\n" + TAIL, ("check", "{game}"), "1: leader",
        "leader 'z' is not a player; players: a, b"),
    row("objective-name-clash", "parameters: {a: 1}\nobjective: a\n" + TAIL, ("check", "{game}"),
        "2: objective", "player 'a' has the same name as a parameter", "rename one of them"),
    # -- parameters ------------------------------------------------------------------------
    row("parameters-not-mapping", "parameters: [c]\n" + TAIL, ("check", "{game}"), "1: parameters",
        "expected a mapping of parameter names to {value: …}"),
    row("parameter-key", "parameters:\n  c: {valu: 1}\n" + TAIL, ("check", "{game}"),
        "2: parameters.c.valu", "unknown key 'valu'; allowed: value, description, range"),
    row("parameter-name", "parameters:\n  sqrt: 1\n" + TAIL, ("check", "{game}"), "2: parameters.sqrt",
        "parameter name 'sqrt' is not allowed: use ASCII letters, digits and _"),
    row("parameter-value-name", "parameters:\n  c: {value: g}\n" + TAIL, ("check", "{game}"),
        "2: parameters.c.value", "expected a number, got 'g'; names cannot be used here"),
    row("parameter-positive-flag", "parameters:\n  c: {value: 1, positive: 2}\n" + TAIL,
        ("check", "{game}"), "2: parameters.c.positive", "expected true or false"),
    row("parameter-not-positive", "parameters:\n  c: {value: -1, positive: true}\n" + TAIL,
        ("check", "{game}"), "2: parameters.c.value",
        "value -1 is not positive but the parameter is declared positive"),
    row("parameter-outside-range", "parameters:\n  c: {value: 11, range: [0, 10]}\n" + TAIL,
        ("check", "{game}"), "2: parameters.c.value", "value 11 is outside its range [0, 10]"),
    row("range-not-pair", "parameters:\n  c: {value: 1, range: [0]}\n" + TAIL, ("check", "{game}"),
        "2: parameters.c.range", "expected a list of two numbers [low, high], e.g. [0, 10]"),
    row("range-reversed", "parameters:\n  c: {value: 1, range: [5, 1]}\n" + TAIL, ("check", "{game}"),
        "2: parameters.c.range", "low 5 is above high 1; write [low, high] with low <= high"),
    row("unit-not-text", "parameters:\n  c: {value: 1, unit: 3}\n" + TAIL, ("check", "{game}"),
        "2: parameters.c.unit", "expected text, got int"),
    row("both-parameter-and-control", "parameters: {c: 1}\ncontrols: {c: 1}\n" + TAIL,
        ("check", "{game}"), "2: controls.c",
        "'c' is declared both as a parameter and a control; names must be unique, so rename one"),
    # -- distributions -----------------------------------------------------------------------
    row("dist-not-text", "parameters:\n  c: {value: 1, dist: 3}\n" + TAIL, ("check", "{game}"),
        "2: parameters.c.dist", "expected text such as 'uniform(1, 3)'"),
    row("dist-unknown", "parameters:\n  c: {value: 1, dist: 'poisson(2)'}\n" + TAIL,
        ("check", "{game}"), "2: parameters.c.dist",
        "unknown distribution 'poisson(2)'; allowed: uniform(a, b), normal(a, b), triangular(a, b, c)"),
    row("dist-argument", "parameters:\n  c: {value: 1, dist: 'uniform(a, 2)'}\n" + TAIL,
        ("check", "{game}"), "2: parameters.c.dist",
        "distribution arguments must be numbers, e.g. uniform(1, 3): unknown symbol 'a'"),
    row("dist-arity", "parameters:\n  c: {value: 1, dist: 'uniform(1)'}\n" + TAIL,
        ("check", "{game}"), "2: parameters.c.dist", "uniform() takes 2 numeric arguments, got '1'"),
    row("dist-uniform", "parameters:\n  c: {value: 1, dist: 'uniform(2, 1)'}\n" + TAIL,
        ("check", "{game}"), "2: parameters.c.dist", "uniform(a, b) needs a < b, got uniform(2, 1)"),
    row("dist-sigma", "parameters:\n  c: {value: 1, dist: 'normal(0, 0)'}\n" + TAIL,
        ("check", "{game}"), "2: parameters.c.dist", "normal(mu, sigma) needs sigma > 0"),
    row("dist-triangular", "parameters:\n  c: {value: 1, dist: 'triangular(0, 5, 1)'}\n" + TAIL,
        ("check", "{game}"), "2: parameters.c.dist", "triangular(a, m, b) needs a <= m <= b and a < b"),
    # -- controls --------------------------------------------------------------------------------
    row("controls-not-mapping", "controls: 3\n" + TAIL, ("check", "{game}"), "1: controls",
        "expected a mapping of control names to {value: …, bounds: …}"),
    row("control-type", "controls:\n  s: {type: real}\n" + TAIL, ("check", "{game}"),
        "2: controls.s.type", "unknown type 'real'; allowed: continuous, binary, integer"),
    row("control-binary-bounds", "controls:\n  s: {type: binary, bounds: [0, 2]}\n" + TAIL,
        ("check", "{game}"), "2: controls.s.bounds", "a binary control has bounds [0, 1]"),
    row("control-outside-bounds", "controls:\n  s: {value: 9, bounds: [0, 5]}\n" + TAIL,
        ("check", "{game}"), "2: controls.s.value", "value 9 is outside its bounds [0, 5]"),
    row("control-whole-number", "controls:\n  s: {type: integer, value: 1/2}\n" + TAIL,
        ("check", "{game}"), "2: controls.s.value",
        "value 1/2 of a integer control must be a whole number"),
    # -- players ---------------------------------------------------------------------------------
    row("players-missing", "title: t\n", ("check", "{game}"), "1",
        "missing 'players': a mapping of player names to strategy lists"),
    row("players-not-mapping", "players: [a, b]\npayoffs: {}\n", ("check", "{game}"), "1: players",
        "expected a mapping of player names to strategy lists"),
    row("one-player", "players: {a: [x]}\npayoffs: {x: [1]}\n", ("check", "{game}"), "1: players",
        "a game needs at least 2 players, found 1"),
    row("too-many-players", TAIL, ("check", "{game}"), "1: players",
        "2 players; at most 1 are allowed (set POLICY_LIMIT_PLAYERS", env={"POLICY_LIMIT_PLAYERS": "1"}),
    row("player-name", "players: {1a: [x], b: [l]}\npayoffs: {}\n", ("check", "{game}"),
        "1: players.1a", "player name '1a' is not allowed: use ASCII letters"),
    row("no-strategies", "players: {a: [], b: [l]}\npayoffs: {}\n", ("check", "{game}"),
        "1: players.a", "expected a non-empty list of strategy names"),
    row("too-many-strategies", TAIL, ("check", "{game}"), "1: players.a",
        "2 strategies; at most 1 are allowed (set POLICY_LIMIT_STRATEGIES",
        env={"POLICY_LIMIT_STRATEGIES": "1"}),
    row("strategy-name", "players: {a: [x, 1y], b: [l]}\npayoffs: {}\n", ("check", "{game}"),
        "1: players.a[1]", "strategy name '1y' is not allowed: use ASCII letters"),
    row("duplicate-strategy", "players: {a: [x, x], b: [l]}\npayoffs: {}\n", ("check", "{game}"),
        "1: players.a[1]", "duplicate strategy 'x'; the strategies of a player must have different names"),
    row("too-many-profiles", TAIL, ("check", "{game}"), "1: players",
        "the game has more than 3 pure profiles (set POLICY_LIMIT_PROFILES",
        env={"POLICY_LIMIT_PROFILES": "3"}),
    # -- payoffs -----------------------------------------------------------------------------------
    row("payoffs-missing", ONE, ("check", "{game}"), "1",
        "missing 'payoffs': a mapping nested by strategy in player order, e.g. payoffs: {x: {l: [0, 0]}}"),
    row("payoffs-not-mapping", ONE + "payoffs: 3\n", ("check", "{game}"), "2: payoffs",
        "expected a mapping from a's strategies (x) to payoffs"),
    row("payoffs-unknown-strategy", ONE + "payoffs: {x: {l: [1, 1]}, z: 1}\n", ("check", "{game}"),
        "2: payoffs.z", "'z' is not a strategy of a; strategies: x"),
    row("payoffs-missing-strategy", TAIL.replace(", y: {l: [0, 0], r: [1, 1]}", ""),
        ("check", "{game}"), "2: payoffs", "missing a's strategy 'y'"),
    row("payoffs-count", ONE + "payoffs: {x: {l: [1]}}\n", ("check", "{game}"), "2: payoffs.x.l",
        "expected a list of 2 payoffs (one per player: a, b), got 1 value"),
    # -- assumptions and target ------------------------------------------------------------------------
    row("assumptions-not-list", "assumptions: c < 1\n" + TAIL, ("check", "{game}"), "1: assumptions",
        "expected a list of relations such as \"g < f\""),
    row("assumption-not-text", "assumptions: [3]\n" + TAIL, ("check", "{game}"), "1: assumptions[0]",
        "expected a relation such as \"g < f\""),
    row("assumption-no-comparison", "assumptions: ['1']\n" + TAIL, ("check", "{game}"),
        "1: assumptions[0]", "expected one comparison (<, <=, >, >=, ==, !=) in '1'"),
    row("assumption-false", "assumptions: ['1 > 2']\n" + TAIL, ("check", "{game}"), "1: assumptions[0]",
        "assumption '1 > 2' is always false; an assumption must hold for some values"),
    row("target-not-mapping", "target: a\n" + TAIL, ("check", "{game}"), "1: target",
        "expected a mapping of player names to strategies"),
    row("target-player", "target: {z: x}\n" + TAIL, ("check", "{game}"), "1: target.z",
        "'z' is not a player; players: a, b"),
    row("target-strategy", "target: {a: q}\n" + TAIL, ("check", "{game}"), "1: target.a",
        "'q' is not a strategy of a; strategies: x, y"),
    # -- expressions (the first payoff) ------------------------------------------------------------------
    row("expr-digits", payoff("'" + "1" * 61 + " + c'"), ("check", "{game}"), PAYOFF,
        "has 61 digits; at most 60 are allowed (set POLICY_LIMIT_NUMBER_DIGITS"),
    row("expr-literal-exponent", payoff("'1e200'"), ("check", "{game}"), PAYOFF,
        "number 1e200 has exponent 200; at most ±100 is allowed"),
    row("expr-character", payoff("'c $ 1'"), ("check", "{game}"), PAYOFF,
        "unexpected character '$' at column 3; expressions may use numbers, declared names"),
    row("expr-expected", payoff("'(c'"), ("check", "{game}"), PAYOFF,
        "expected ')' at column 3, found the end"),
    row("expr-depth", payoff("'((c))'"), ("check", "{game}"), PAYOFF,
        "expression nested deeper than 1 levels", env={"POLICY_LIMIT_EXPRESSION_DEPTH": "1"}),
    row("expr-empty", payoff("''"), ("check", "{game}"), PAYOFF,
        "empty expression; write a number or a formula such as f - c"),
    row("expr-unexpected", payoff("'c c'"), ("check", "{game}"), PAYOFF,
        "unexpected 'c' at column 3; expected an operator (+ - * / ** ^) or the end"),
    row("expr-division-by-zero", payoff("'c/0'"), ("check", "{game}"), PAYOFF,
        "division by zero at column 2"),
    row("expr-complex-exponent", payoff("'2^((-1)^(1/2))'"), ("check", "{game}"), PAYOFF,
        "exponent at column 2 is not a real number"),
    row("expr-exponent", payoff("'c^1000'"), ("check", "{game}"), PAYOFF,
        "exponent 1000 at column 2 is too large; at most ±100 is allowed"),
    row("expr-zero-negative-power", payoff("'0^-1'"), ("check", "{game}"), PAYOFF,
        "division by zero (0 to a negative power) at column 2"),
    row("expr-power-bits", payoff("'(2^100)^100'"), ("check", "{game}"), PAYOFF,
        "power at column 8 gives a number with about 10001 bits; at most 4096 are allowed"),
    row("expr-result-bits", payoff("'(2^100)^40 * (2^100)^40'"), ("check", "{game}"), PAYOFF,
        "product at column 12 gives a number with 8001 bits; at most 4096 are allowed"),
    row("expr-function-not-called", payoff("'c + sqrt'"), ("check", "{game}"), PAYOFF,
        "function 'sqrt' at column 5 must be called, e.g. sqrt(x)"),
    row("expr-unknown-symbol", payoff("'g'"), ("check", "{game}"), PAYOFF,
        "unknown symbol 'g' at column 1; declared: c"),
    row("expr-expected-operand", payoff("'c + *'"), ("check", "{game}"), PAYOFF,
        "expected a number, name or '(' at column 5, found '*'"),
    row("expr-unknown-function", payoff("'foo(c)'"), ("check", "{game}"), PAYOFF,
        "unknown function 'foo' at column 1; allowed functions: abs, exp, log, max, min, sqrt"),
    row("expr-arity", payoff("'sqrt(c, c)'"), ("check", "{game}"), PAYOFF,
        "sqrt() at column 1 takes 1 argument, got 2"),
    row("expr-no-arguments", payoff("'max()'"), ("check", "{game}"), PAYOFF,
        "max() at column 1 takes at least 1 argument, got 0"),
    row("expr-log", payoff("'log(0)'"), ("check", "{game}"), PAYOFF,
        "log() at column 1 needs a positive argument, got 0"),
    row("expr-sqrt", payoff("'sqrt(-1)'"), ("check", "{game}"), PAYOFF,
        "sqrt() at column 1 needs a non-negative argument, got -1"),
    row("expr-exp", payoff("'exp(10000)'"), ("check", "{game}"), PAYOFF,
        "exp() at column 1 needs an argument between -2839 and 2839"),
    row("expr-length", payoff("'c + c + c'"), ("check", "{game}"), PAYOFF,
        "expression is 9 characters long; at most 5 are allowed",
        env={"POLICY_LIMIT_EXPRESSION_LENGTH": "5"}),
    row("expr-not-real", payoff("'(-1)^(1/2)'"), ("check", "{game}"), PAYOFF,
        "expression '(-1)^(1/2)' is not a real number"),
    row("expr-boolean", payoff("true"), ("check", "{game}"), PAYOFF,
        "expected a number or expression, got the boolean True"),
    row("expr-integer-bits", payoff("5000"), ("check", "{game}"), PAYOFF,
        "integer with 13 bits is too large; at most 10 are allowed",
        env={"POLICY_LIMIT_NUMBER_BITS": "10"}),
    row("expr-infinite", payoff(".inf"), ("check", "{game}"), PAYOFF,
        "expected a finite number, got inf"),
    row("expr-null", payoff("~"), ("check", "{game}"), PAYOFF,
        "expected a number or expression, got an empty value (null)"),
    # -- values met while solving ----------------------------------------------------------------------
    row("substituted-exp", payoff("'exp(c)'"), ("solve", "{game}", "--no-report", "--set", "c=10000"),
        None, "exp(10000) needs an argument between -2839 and 2839"),
    row("substituted-exponent", payoff("'2^c'"), ("solve", "{game}", "--no-report", "--set", "c=1000"),
        None, "2**c has the exponent 1000; at most ±100 is allowed"),
    row("substituted-size", payoff("'c^50'"), ("solve", "{game}", "--no-report", "--set", "c=2^100"),
        None, "gives a number with 5001 bits; at most 4096 are allowed"),
    row("parameter-without-value", "parameters: {c: {}}\n" + ONE + "payoffs: {x: {l: [c, 0]}}\n",
        ("solve", "{game}", "--no-report"), None, "no value for c in g; give one in the file or with --set c=…"),
    row("export-not-real", payoff("'sqrt(c)'"), ("export", "{game}", "--set", "c=-1"), None,
        "payoff of a at (x, l) is I, not a finite real number, at these values"),
    # -- Gambit .nfg files ---------------------------------------------------------------------
    row("nfg-empty", "", ("check", "{game}"), "1: header",
        "the file is empty; a Gambit strategic game starts with 'NFG 1 R \"title\"'", name="g.nfg"),
    row("nfg-not-nfg", "GAME 1", ("check", "{game}"), "1: header",
        "not a Gambit strategic-form (.nfg) file: expected 'NFG 1 R' at the start, found 'GAME'",
        name="g.nfg"),
    row("nfg-version", "NFG 2 R", ("check", "{game}"), "1: header",
        "NFG version '2' is not supported; only version 1 exists", name="g.nfg"),
    row("nfg-version-word", "NFG x R", ("check", "{game}"), "1: header",
        "expected the version 1 after 'NFG', found 'x'", name="g.nfg"),
    row("nfg-kind", "NFG 1 X", ("check", "{game}"), "1: header",
        "expected 'R' (or 'D') after 'NFG 1', found 'X'", name="g.nfg"),
    row("nfg-unterminated", 'NFG 1 R "t', ("check", "{game}"), "1: title",
        "unterminated string: this '\"' has no closing quote", name="g.nfg"),
    row("nfg-title", "NFG 1 R t", ("check", "{game}"), "1: title",
        "expected the game title (a quoted string), found 't'", name="g.nfg"),
    row("nfg-player-name", 'NFG 1 R "t" { "A" 3 }', ("check", "{game}"), "1: players",
        "expected a quoted player name or '}', found '3'", name="g.nfg"),
    row("nfg-one-player", 'NFG 1 R "t" { "A" }', ("check", "{game}"), "1: players",
        "a game needs at least 2 players, found 1", name="g.nfg"),
    row("nfg-too-many-players", 'NFG 1 R "t" { "A" "B" "C" }', ("check", "{game}"), "1: players",
        "more than 2 players; at most 2 are allowed (set POLICY_LIMIT_PLAYERS",
        env={"POLICY_LIMIT_PLAYERS": "2"}, name="g.nfg"),
    row("nfg-strategy-counts", HEAD + " { 2 }", ("check", "{game}"), "1: strategies",
        "expected 2 strategy counts, one per player, found 1", name="g.nfg"),
    row("nfg-strategy-count-word", HEAD + " { 1 x }", ("check", "{game}"), "1: strategies",
        "expected the number of strategies of player 'B' (a whole number), found 'x'", name="g.nfg"),
    row("nfg-strategies-close", HEAD + " { 1 1 1 }", ("check", "{game}"), "1: strategies",
        "expected '}' after the strategies of the 2 players, found '1'", name="g.nfg"),
    row("nfg-strategy-name", HEAD + ' { { "a" 1 } }', ("check", "{game}"), "1: strategies",
        "expected a quoted strategy name of player 'A' or '}', found '1'", name="g.nfg"),
    row("nfg-no-strategies", HEAD + " { 0 1 }", ("check", "{game}"), "1: strategies",
        "player 'A' has no strategies", name="g.nfg"),
    row("nfg-too-many-strategies", HEAD + " { 2 1 }", ("check", "{game}"), "1: strategies",
        "player 'A' has more than 1 strategies (set POLICY_LIMIT_STRATEGIES",
        env={"POLICY_LIMIT_STRATEGIES": "1"}, name="g.nfg"),
    row("nfg-too-many-profiles", HEAD + " { 2 2 }", ("check", "{game}"), "1: strategies",
        "the game has more than 3 pure profiles (set POLICY_LIMIT_PROFILES",
        env={"POLICY_LIMIT_PROFILES": "3"}, name="g.nfg"),
    row("nfg-body", HEAD + " { 1 1 } x", ("check", "{game}"), "1: payoffs",
        "expected the payoffs (numbers) or the outcome list ('{') after the strategies, found 'x'",
        name="g.nfg"),
    row("nfg-payoff-word", HEAD + " { 1 1 } 1 x", ("check", "{game}"), "1: payoffs",
        "expected a payoff (number 2 of 2), found 'x'", name="g.nfg"),
    row("nfg-fraction-digits", HEAD + " { 1 1 } 1 1/" + "1" * 61, ("check", "{game}"), "1: payoffs",
        "has 61 digits; at most 60 are allowed (set POLICY_LIMIT_NUMBER_DIGITS", name="g.nfg"),
    row("nfg-number-exponent", HEAD + " { 1 1 } 1 1e200", ("check", "{game}"), "1: payoffs",
        "number 1e200 has exponent 200; at most ±100 is allowed", name="g.nfg"),
    row("nfg-division-by-zero", HEAD + " { 1 1 } 1 1/0", ("check", "{game}"), "1: payoffs",
        "division by zero in '1/0'; a fraction needs a non-zero denominator", name="g.nfg"),
    row("nfg-too-few-payoffs", HEAD + " { 1 1 } 1", ("check", "{game}"), "1: payoffs",
        "expected 2 payoffs (1 profile × 2 players), found 1", name="g.nfg"),
    row("nfg-too-many-payoffs", HEAD + " { 1 1 } 1 1 1", ("check", "{game}"), "1: payoffs",
        "more than 2 payoffs: the game has 1 profile × 2 players", name="g.nfg"),
    row("nfg-after-payoffs", HEAD + ' { 1 1 } 1 1 "x"', ("check", "{game}"), "1: payoffs",
        "unexpected '\"x\"' after the last payoff; the file must end there", name="g.nfg"),
    row("nfg-outcome-list", HEAD + " { 1 1 } { 3 }", ("check", "{game}"), "1: outcomes",
        "expected '{' opening an outcome or '}' closing the outcome list, found '3'", name="g.nfg"),
    row("nfg-too-many-outcomes", HEAD + ' { 1 1 } { { "o" 1 1 } { "p" 1 1 } }', ("check", "{game}"),
        "1: outcomes", "more than 1 outcomes (set POLICY_LIMIT_PROFILES",
        env={"POLICY_LIMIT_PROFILES": "1"}, name="g.nfg"),
    row("nfg-outcome-name", HEAD + " { 1 1 } { { 1 1 } }", ("check", "{game}"), "1: outcomes[1]",
        "expected the outcome's name (a quoted string), found '1'", name="g.nfg"),
    row("nfg-outcome-too-few", HEAD + ' { 1 1 } { { "o" 1 } }', ("check", "{game}"), "1: outcomes[1]",
        "outcome 1 has 1 payoff; expected 2, one per player", name="g.nfg"),
    row("nfg-outcome-too-many", HEAD + ' { 1 1 } { { "o" 1 1 1 } }', ("check", "{game}"),
        "1: outcomes[1]", "outcome 1 has more than 2 payoffs; expected one per player", name="g.nfg"),
    row("nfg-outcome-close", HEAD + ' { 1 1 } { { "o" 1 1 "x" } }', ("check", "{game}"),
        "1: outcomes[1]", "expected '}' closing outcome 1, found '\"x\"'", name="g.nfg"),
    row("nfg-profiles-missing", HEAD + ' { 1 1 } { { "o" 1 1 } }', ("check", "{game}"), "1: profiles",
        "expected 1 outcome numbers (one per profile), found 0", name="g.nfg"),
    row("nfg-profile-word", HEAD + ' { 1 1 } { { "o" 1 1 } } x', ("check", "{game}"), "1: profiles",
        "expected an outcome number (0 to 1), found 'x'", name="g.nfg"),
    row("nfg-profile-outcome", HEAD + ' { 1 1 } { { "o" 1 1 } } 2', ("check", "{game}"), "1: profiles",
        "profile 1 refers to outcome 2, but the file defines 1 outcome (0 means no outcome", name="g.nfg"),
    row("nfg-too-many-profile-numbers", HEAD + ' { 1 1 } { { "o" 1 1 } } 1 1', ("check", "{game}"),
        "1: profiles", "more than 1 outcome numbers: the game has 1 profile", name="g.nfg"),
    row("nfg-after-profiles", HEAD + ' { 1 1 } { { "o" 1 1 } } 1 "x"', ("check", "{game}"),
        "1: profiles", "unexpected '\"x\"' after the last outcome number; the file must end there",
        name="g.nfg"),
    # -- command-line options -------------------------------------------------------------------------
    row("set-format", GAME, ("solve", "{game}", "--no-report", "--set", "c"), None,
        "--set 'c': expected NAME=VALUE, e.g. --set c=12"),
    row("set-unknown-name", GAME, ("solve", "{game}", "--no-report", "--set", "z=1"), None,
        "--set 'z=1': 'z' is not a parameter or control of g; declared: c, s"),
    row("set-value", GAME, ("solve", "{game}", "--no-report", "--set", "c=1/0"), None,
        "--set 'c=1/0': division by zero at column 2"),
    row("set-twice", GAME, ("solve", "{game}", "--no-report", "--set", "c=1", "--set", "c=2"), None,
        "--set 'c=2': 'c' is set twice; set each name once"),
    row("method-two-players", "players: {a: [x], b: [l], d: [u]}\npayoffs: {x: {l: {u: [1, 1, 1]}}}\n",
        ("solve", "{game}", "--no-report", "--method", "support"), None,
        "method 'support' needs a two-player game; g has 3 players (use 'exact' or 'pure')"),
    row("target-format", GAME, ("optimize", "{game}", "--no-report", "--target", "a"), None,
        "--target 'a': expected PLAYER=STRATEGY, e.g. --target platform=comply"),
    row("target-not-a-player", GAME, ("optimize", "{game}", "--no-report", "--target", "z=x"), None,
        "target: 'z' is not a player; players: a, b"),
    row("target-not-a-strategy", GAME, ("optimize", "{game}", "--no-report", "--target", "a=q"), None,
        "target: 'q' is not a strategy of a; strategies: x, y"),
    row("margin-text", GAME, ("optimize", "{game}", "--no-report", "--margin", "e"), None,
        "--margin 'e': expected a non-negative number such as 1/100: unknown symbol 'e'"),
    row("margin-negative", GAME, ("optimize", "{game}", "--no-report", "--margin", "-1"), None,
        "--margin '-1': expected a non-negative number such as 1/100"),
    row("no-leader", GAME, ("optimize", "{game}", "--no-report", "--mode", "commit"), None,
        "g declares no leader, so --mode commit has no one to commit; add 'leader: PLAYER' to the "
        "file (players: a, b)"),
    row("no-target", GAME, ("optimize", "{game}", "--no-report", "--mode", "implement"), None,
        "g declares no target; give one with --target player=strategy (or use --mode rank)"),
    row("not-affine", GAME.replace("[c, s]", "[c, s*s]"),
        ("optimize", "{game}", "--no-report", "--target", "a=x"), "7: payoffs.x.l[1]",
        "payoff 's**2' is not affine in the controls (s); optimize needs payoffs linear in each control"),
    row("fixed-cost-without-bounds", GAME.replace("bounds: [0, 5], cost: 1", "fixed_cost: 1"),
        ("optimize", "{game}", "--no-report", "--target", "a=x"), None,
        "control 's' has a fixed_cost but no bounds; give it bounds: [low, high]"),
    row("scenarios-without-dist", GAME, ("optimize", "{game}", "--no-report", "--target", "a=x",
                                         "--scenarios", "5"), None,
        "g declares no parameter with a 'dist:'; scenarios need one"),
    row("scenarios-too-many", GAME, ("optimize", "{game}", "--no-report", "--target", "a=x",
                                     "--scenarios", "3"), None,
        "--scenarios 3 is too many; at most 2", env={"POLICY_LIMIT_SCENARIOS": "2"}),
    row("vary-format", GAME, ("sweep", "{game}", "--no-report", "--vary", "c"), None,
        "--vary 'c': expected name=start:stop:points, e.g. s=0:1:101"),
    row("vary-points", GAME, ("sweep", "{game}", "--no-report", "--vary", "c=0:1:x"), None,
        "--vary 'c=0:1:x': the number of points must be a whole number, got 'x'; e.g. s=0:1:101"),
    row("vary-start", GAME, ("sweep", "{game}", "--no-report", "--vary", "c=a:1:3"), None,
        "--vary 'c=a:1:3': start and stop must be numbers such as 0 or 1/2: unknown symbol 'a'"),
    row("vary-irrational", GAME, ("sweep", "{game}", "--no-report", "--vary", "c=0:sqrt(2):3"), None,
        "--vary 'c=0:sqrt(2):3': start and stop must be rational numbers such as 0 or 1/2"),
    row("vary-too-few-points", GAME, ("sweep", "{game}", "--no-report", "--vary", "c=0:1:1"), None,
        "--vary 'c=0:1:1': need at least 2 points and start != stop"),
    row("vary-three-axes", GAME, ("sweep", "{game}", "--no-report", "--vary", "c=0:1:3",
                                  "--vary", "s=0:1:3", "--vary", "c=0:2:3"), None,
        "--vary: at most two axes are supported, got 3"),
    row("report-three-axes", GAME, ("report", "{game}", "--vary", "c=0:1:3", "--vary", "s=0:1:3",
                                    "--vary", "c=0:2:3"), None,
        "--vary: at most two axes are supported, got 3"),
    row("vary-unknown-name", GAME, ("sweep", "{game}", "--no-report", "--vary", "z=0:1:3"), None,
        "--vary: 'z' is not a parameter or control of g; declared: c, s"),
    row("vary-twice", GAME, ("sweep", "{game}", "--no-report", "--vary", "c=0:1:3",
                             "--vary", "c=0:2:3"), None, "--vary: 'c' is varied twice; vary each name once"),
    row("grid-too-big", GAME, ("sweep", "{game}", "--no-report", "--vary", "c=0:1:10"), None,
        "the grid has 10 points; at most 5 are allowed", env={"POLICY_LIMIT_GRID_POINTS": "5"}),
    row("set-division-by-zero", payoff("'1/(c-2)'"),
        ("solve", "{game}", "--no-report", "--set", "c=2"), None,
        "--set c=2: the payoff of a at (x, l), 1/(c - 2), divides by zero at c = 2"),
    row("set-division-by-zero-optimize", payoff("'1/(c-2)'"),
        ("optimize", "{game}", "--no-report", "--set", "c=2"), None,
        "--set c=2: the payoff of a at (x, l), 1/(c - 2), divides by zero at c = 2"),
    row("set-undecidable-sign", payoff("'1/(log(c) - log(2) - log(3))'"),
        ("solve", "{game}", "--no-report", "--set", "c=6"), None,
        "--set c=6: the payoff of a at (x, l), 1/(log(c) - log(3) - log(2)), is "
        "1/(-log(3) - log(2) + log(6)) at c = 6, a number whose sign cannot be decided exactly"),
    row("sweep-not-finite", payoff("'1/c'"), ("sweep", "{game}", "--no-report", "--vary", "c=-1:1:3"),
        None, "payoffs are not finite at c=0 (division by zero?)"),
    row("save-suffix", GAME, ("sweep", "{game}", "--no-report", "--vary", "c=0:1:3",
                              "--save", "out.txt"), None, "--save: use a .csv or .npz file name, not '.txt'"),
    row("executor", GAME, ("sweep", "{game}", "--no-report", "--vary", "c=0:1:3",
                           "--executor", "spark"), None,
        "--executor 'spark': expected local, dask or dask://HOST:PORT"),
    row("optimize-map-no-controls", payoff("c"), ("sweep", "{game}", "--no-report", "--vary",
                                                  "c=0:1:3", "--optimize", "--target", "a=x"), None,
        "g declares no controls: there is no policy to map"),
    row("optimize-map-no-target", GAME, ("sweep", "{game}", "--no-report", "--vary", "c=0:1:3",
                                         "--optimize"), None,
        "g declares no target; give one with --target player=strategy"),
    row("optimize-map-varies-control", GAME, ("sweep", "{game}", "--no-report", "--vary", "s=0:1:3",
                                              "--optimize", "--target", "a=x"), None,
        "--optimize chooses the controls, so they cannot be varied: s; vary parameters instead"),
    row("optimize-map-too-big", GAME, ("sweep", "{game}", "--no-report", "--vary", "c=0:1:101",
                                       "--vary", "c=0:1:101", "--optimize", "--target", "a=x"), None,
        "--optimize solves one LP per point: the grid has 10201 points, at most 10000 are allowed"),
    row("samples-too-many", GAME, ("uncertainty", "{game}", "--no-report", "--samples", "3"), None,
        "--samples 3 is too many; at most 2 are allowed", env={"POLICY_LIMIT_SAMPLES": "2"}),
    row("report-game-and-all", GAME, ("report", "{game}", "--all"), None,
        "give one GAME, or --all for every bundled game, not both or neither"),
    row("report-all-with-set", None, ("report", "--all", "--set", "c=1"), None,
        "--set and --vary apply to one GAME, not to --all"),
    row("new-exists", "", ("new", "g", "--out", "{game}"), None, "exists; use --force to overwrite it"),
    row("new-name", None, ("new", "a b", "--out", "{game}"), None,
        "game name 'a b' is not allowed: use at most 80 letters, digits"),
]


@pytest.mark.parametrize("text, args, where, fragments, env, name, code", CASES)
def test_each_message_is_one_line_naming_where_what_and_what_is_allowed(
        text, args, where, fragments, env, name, code, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    game = tmp_path / name
    if text is not None:
        game.write_bytes(text if isinstance(text, bytes) else text.encode())
    args = [a.format(game=game, dir=tmp_path) for a in args]
    result = CliRunner().invoke(cli, args, env=env)
    assert result.exit_code == code, result.output
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1, result.stderr
    if where is not None:
        assert result.stderr.startswith(f"error: {game}:{where}: "), result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr

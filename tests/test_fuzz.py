"""Fuzzing: hostile text never escapes as anything but the project's own errors.

Generated inputs go to the expression parser, the YAML reader, the ``.nfg`` reader
and the command line (``policy check`` and ``policy solve`` on a file). For every
input:

* only :class:`policy.errors.PolicyError` (or success) comes out; on the command
  line, exit code 0, 1 or 2 and never a traceback or an internal error (3);
* it finishes within 2 s (a hang guard with a wide margin, not a speed claim);
* nothing is executed: an audit hook fails the test on any ``exec`` or ``compile``
  of code that is not a library module being imported (sympy imports some of its
  modules lazily), any ``os.system`` and any process start while the input is handled.

The inputs mix random text with the known attacks (``__import__``, attribute and
subscript access, lambdas, comprehensions, ``9**9**9**9``, deep nesting, long
strings, NaN and infinities, non-UTF-8 bytes, duplicate keys, anchors, huge
strategy counts, Unicode look-alikes). :data:`EXAMPLES` gives the number of
inputs per target: 10,000 in all.
"""

from __future__ import annotations

import sys
import time
from contextlib import contextmanager

import pytest
import sympy
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policy.cli import cli
from policy.errors import PolicyError
from policy.expressions import parse_expression
from policy.readers.nfg import parse_nfg
from policy.readers.yaml_normal_form import load_game_text

#: Generated inputs per target.
EXAMPLES = {"expressions": 5_000, "yaml": 2_500, "nfg": 2_000, "cli": 500}
#: Longest time one input may take (a hang guard, generous on a slow CI machine).
SECONDS_PER_INPUT = 2.0
#: Audit events that mean some code ran that a game file should never cause.
FORBIDDEN_EVENTS = ("exec", "compile", "os.system", "os.exec", "os.spawn", "os.posix_spawn",
                    "os.fork", "subprocess.Popen", "ctypes.dlopen")


def _is_module_import(event: str, args: tuple) -> bool:
    """Whether an ``exec`` event runs the body of a module file (a lazy library import)."""
    code = args[0] if event == "exec" and args else None
    return getattr(code, "co_name", "") == "<module>" and code.co_filename.endswith(".py")

_watch = {"armed": False, "events": []}


def _audit(event: str, args: tuple) -> None:
    if _watch["armed"] and event in FORBIDDEN_EVENTS and not _is_module_import(event, args):
        _watch["events"].append((event, repr(args)[:200]))


sys.addaudithook(_audit)  # cannot be removed; it only records while armed


@contextmanager
def hostile_input(shown: object):
    """Handle one input: it must finish in time and execute nothing."""
    _watch["events"].clear()
    _watch["armed"] = True
    started = time.process_time()  # processor time: a bound on work, not on the machine's load
    try:
        yield
    finally:
        _watch["armed"] = False
    elapsed = time.process_time() - started
    assert not _watch["events"], f"{shown!r} executed code: {_watch['events']}"
    assert elapsed < SECONDS_PER_INPUT, f"{shown!r} took {elapsed:.2f} s"


def fuzz_settings(target: str):
    return settings(max_examples=EXAMPLES[target], deadline=None, database=None,
                    suppress_health_check=list(HealthCheck))


# -- generated text ------------------------------------------------------------------

ATTACKS = [
    "__import__('os').system('touch CANARY')", "().__class__.__bases__[0].__subclasses__()",
    "f.__class__", "f[0]", "f['a']", "lambda: 1", "(lambda x: x)(1)", "[c for c in 'ab']",
    "{c: 1 for c in 'ab'}", "9**9**9**9", "2^2^2^2^2^2", "exp(exp(exp(exp(100))))",
    "((f + 1)**100)**100", "exp(f)**100", "f**f**f", "1e999999", "1/0", "0**-1", "log(0)",
    "sqrt(-1)", "nan", "inf", "-inf", "oo", "zoo", "NaN", "1e308*1e308", "(" * 500 + "1" + ")" * 500,
    "-" * 500 + "1", "abs(" * 50 + "1" + ")" * 50, "1" * 5000, "9" * 61, "eval('1')",
    "exec('1')", "open('x')", "getattr(f, 'x')", "f.real", "f if f else 1", "f and 1",
    "f @ f", "f // 2", "f % 2", "f == 1", "~f", "f; 1", "\x00", "\ufeff1", "ｆ", "fіne",
    "а", "١٢", "²", "1_000", "0x10", "1j", "b'1'", "'1'", '"f"', "`f`", "f\\\n+1",
    "max()", "min(f,)", "sqrt(f, f)", "exp", "exp(", "exp)", "((((", "))))", "*", "**",
]
TOKENS = ["f", "g", "c", "1", "0", "2.5", "1e3", "1/3", "+", "-", "*", "/", "**", "^", "(",
          ")", ",", " ", "max", "min", "abs", "sqrt", "exp", "log", "__import__", ".", "[",
          "]", "'", "lambda", ":", "for", "in", "9", "e", "E", "_", "x", "\t"]


def expression_text() -> st.SearchStrategy[str]:
    """Random text, token soup and known attacks, sometimes combined."""
    soup = st.lists(st.sampled_from(TOKENS), max_size=40).map("".join)
    attack = st.sampled_from(ATTACKS)
    combined = st.tuples(attack, st.sampled_from(["+", "*", "**", "(", ","]), soup).map("".join)
    return st.one_of(st.text(max_size=80), soup, attack, combined)


SYMBOLS = {name: sympy.Symbol(name, real=True) for name in ("f", "g", "c")}


@fuzz_settings("expressions")
@given(expression_text())
def test_the_expression_parser_raises_only_its_own_errors(text):
    with hostile_input(text):
        try:
            parse_expression(text, SYMBOLS)
        except PolicyError:
            pass


SCALARS = st.one_of(
    expression_text().map(lambda t: '"' + t.replace("\\", "\\\\").replace('"', '\\"') + '"'),
    st.sampled_from([".nan", ".inf", "-.inf", "1e400", "1" * 5000, "0x1f", "0o17", "1_000",
                     "true", "null", "~", "!!python/object/apply:os.system ['touch CANARY']",
                     "!!python/name:os.system", "!!binary aGk=", "2001-12-14", "*a", "&a 1",
                     "[1, 2]", "{a: 1}", "'f'", "f - c", "-f", "1/2", "0.5"]),
)
NAMES = st.sampled_from(["regulator", "firm", "inspect", "trust", "comply", "cheat", "f",
                         "fіne", "trиst", "max", "pi", "1a", "a b", "<<", "", "payoffs"])


@st.composite
def yaml_games(draw) -> str:
    """A game-shaped YAML text with random names, sizes, scalars and corruptions."""
    players = draw(st.lists(NAMES, min_size=0, max_size=4))
    strategies = draw(st.lists(NAMES, min_size=0, max_size=3))
    count = draw(st.sampled_from([None, 3, 201]))
    if count:
        strategies = [f"s{k}" for k in range(count)]
    lines = ["parameters: {f: %s, g: {value: %s}}" % (draw(SCALARS), draw(SCALARS)),
             "players:"]
    lines += [f"  {p}: [{', '.join(strategies)}]" for p in players]
    lines.append("payoffs:")
    for first in strategies[:3]:
        lines.append(f"  {first}:")
        for second in strategies[:3]:
            lines.append(f"    {second}: [{draw(SCALARS)}, {draw(SCALARS)}]")
    text = "\n".join(lines) + "\n"
    cut = draw(st.integers(0, len(text)))
    return draw(st.sampled_from([
        text,
        text[:cut] + draw(st.text(max_size=20)) + text[cut:],
        text + text[:cut],  # duplicate keys
        draw(st.text(max_size=200)),
        "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
            f"{k}: &{k} [{', '.join(['*' + chr(ord(k) - 1)] * 10)}]\n" for k in "bcdefgh"),
        "[" * 5000 + "]" * 5000,
        "{a: " * 3000 + "1" + "}" * 3000,
    ]))


@fuzz_settings("yaml")
@given(yaml_games())
def test_the_yaml_reader_raises_only_its_own_errors(text):
    with hostile_input(text[:200]):
        try:
            load_game_text(text, path="fuzz.yaml")
        except PolicyError:
            pass


NFG_TOKENS = ['NFG', '1', 'R', '"t"', '{', '}', '"A"', '"B"', '"a"', '"b"', '2', '3', '0',
              '-1', '1/2', '0.5', '1e3', '1/0', '9' * 70, '1e999', 'nan', 'inf', '"', '\\"',
              ',', ' ', '\n', '1000000', '10000', '"а"', '__import__("os")', '"unterminated']


@st.composite
def nfg_texts(draw) -> str:
    """A valid prologue with a random body, token soup, or random text."""
    soup = " ".join(draw(st.lists(st.sampled_from(NFG_TOKENS), max_size=60)))
    prologue = 'NFG 1 R "t" { "A" "B" } '
    return draw(st.sampled_from([
        prologue + soup,
        prologue + "{ { \"a\" \"b\" } { \"x\" } } " + soup,
        soup,
        draw(st.text(max_size=120)),
        prologue + "{ " * 2000,
    ]))


@fuzz_settings("nfg")
@given(nfg_texts())
def test_the_nfg_reader_raises_only_its_own_errors(text):
    with hostile_input(text[:200]):
        try:
            parse_nfg(text, path="fuzz.nfg")
        except PolicyError:
            pass


@st.composite
def game_files(draw) -> tuple[str, bytes]:
    """A file name and its bytes: YAML or NFG text, or raw bytes (not UTF-8)."""
    suffix = draw(st.sampled_from([".yaml", ".nfg"]))
    text = draw(yaml_games() if suffix == ".yaml" else nfg_texts())
    data = text.encode("utf-8", "surrogatepass")
    if draw(st.booleans()) and draw(st.booleans()):
        data = draw(st.binary(max_size=40)) + data
    return "game" + suffix, data


@pytest.fixture(scope="module")
def runner():
    runner = CliRunner()
    runner.invoke(cli, ["check", "inspection"])  # import lazily loaded modules first
    runner.invoke(cli, ["solve", "--no-report", "inspection"])
    return runner


@fuzz_settings("cli")
@given(file=game_files(), command=st.sampled_from(["check", "solve"]))
def test_check_and_solve_exit_with_one_line_on_any_file(runner, tmp_path_factory, file, command):
    name, data = file
    path = tmp_path_factory.mktemp("fuzz") / name
    path.write_bytes(data)
    args = [command, str(path)] + (["--no-report"] if command == "solve" else [])
    with hostile_input(data[:200]):
        result = runner.invoke(cli, args)
    assert result.exit_code in (0, 1, 2), result.output
    if result.exit_code == 2:
        assert result.stderr.count("\n") == 1 and result.stderr.startswith(f"error: {path}")
    assert "Traceback" not in result.output


FUZZ_TESTS = {
    "expressions": test_the_expression_parser_raises_only_its_own_errors,
    "yaml": test_the_yaml_reader_raises_only_its_own_errors,
    "nfg": test_the_nfg_reader_raises_only_its_own_errors,
    "cli": test_check_and_solve_exit_with_one_line_on_any_file,
}


def test_ten_thousand_inputs_in_all():
    """The fuzz tests of this module run the examples the docstring promises, together."""
    found = {name for name, value in globals().items()
             if name.startswith("test_") and hasattr(value, "hypothesis")}
    assert found == {test.__name__ for test in FUZZ_TESTS.values()}
    run = {target: test._hypothesis_internal_use_settings.max_examples
           for target, test in FUZZ_TESTS.items()}
    assert run == EXAMPLES and sum(run.values()) >= 10_000

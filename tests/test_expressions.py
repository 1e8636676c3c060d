"""Specification of policy.expressions: untrusted payoff text → exact sympy expression.

The parser is a whitelist: numbers, declared names, + - * / ** ^, parentheses and
six functions. Everything else is an ExpressionError with a message that says
where the problem is and what is allowed. Nothing in the text is ever executed.
"""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
import sympy
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from policy.errors import ExpressionError, GameFileError
from policy.expressions import (
    FUNCTIONS,
    RESERVED_NAMES,
    ExpressionLimits,
    is_valid_name,
    read_expression,
    number_to_expr,
    parse_expression,
    parse_scalar,
)

g, f = sympy.symbols("g f", real=True)
SYMBOLS = {"g": g, "f": f}
ALLOWED = ("expressions may use numbers, declared names, + - * / ** ^, parentheses and "
           "abs, exp, log, max, min, sqrt")


def parse(text: str, symbols=None, **kwargs) -> sympy.Expr:
    return parse_expression(text, SYMBOLS if symbols is None else symbols, **kwargs)


def error(text, symbols=None, **kwargs) -> str:
    """The message of the ExpressionError that parsing ``text`` must raise."""
    with pytest.raises(ExpressionError) as caught:
        parse(text, symbols, **kwargs)
    return str(caught.value)


def exact(value) -> sympy.Rational:
    value = Fraction(value)
    return sympy.Rational(value.numerator, value.denominator)


# -- exact arithmetic ----------------------------------------------------------------

def test_one_third_stays_an_exact_rational():
    result = parse("1/3")
    assert result == sympy.Rational(1, 3)
    assert isinstance(result, sympy.Rational)
    assert parse("1/3 + 1/3 + 1/3") == 1


@pytest.mark.parametrize("text, value", [
    ("0.1", "1/10"),
    ("0.1 + 0.2", "3/10"),  # not 0.30000000000000004
    ("2.5e3", "2500"),
    ("2.5E3", "2500"),
    ("1.5e-2", "3/200"),
    ("1e+2", "100"),
    (".5", "1/2"),
    ("5.", "5"),
    ("007", "7"),
    ("123456789012345678901234567890", "123456789012345678901234567890"),
])
def test_decimal_literals_mean_exactly_what_they_say(text, value):
    result = parse(text)
    assert result == exact(value)
    assert isinstance(result, sympy.Rational)
    assert not result.atoms(sympy.Float)


def test_integers_come_back_as_sympy_integers():
    assert isinstance(parse("2.5e3"), sympy.Integer)
    assert isinstance(number_to_expr("40"), sympy.Integer)


def test_results_never_contain_floats():
    result = parse("0.3*g + f/0.7 - 1.25")
    assert not result.atoms(sympy.Float)
    assert result == sympy.Rational(3, 10) * g + f * sympy.Rational(10, 7) - sympy.Rational(5, 4)


# -- precedence and associativity ------------------------------------------------------

@pytest.mark.parametrize("text, value", [
    ("-2**2", "-4"),        # unary minus binds looser than a power, as in maths and Python
    ("-2^2", "-4"),
    ("(-2)**2", "4"),
    ("2**-1", "1/2"),       # a signed exponent needs no parentheses
    ("2^-2", "1/4"),
    ("2^3", "8"),           # ^ is a power, not xor
    ("2**3**2", "512"),     # powers are right-associative: 2**(3**2)
    ("2^3^2", "512"),
    ("(2**3)**2", "64"),
    ("10 - 4 - 3", "3"),    # minus is left-associative: (10-4)-3
    ("8/4/2", "1"),         # so is division: (8/4)/2
    ("2 + 3*4", "14"),
    ("(2 + 3)*4", "20"),
    ("2*3^2", "18"),
    ("2*-3", "-6"),
    ("--2", "2"),
    ("+-+2", "-2"),
    ("1 - -1", "2"),
    ("12/4*3", "9"),
])
def test_precedence_and_associativity_follow_ordinary_maths(text, value):
    assert parse(text) == exact(value)


# -- functions -------------------------------------------------------------------------

@pytest.mark.parametrize("text, value", [
    ("min(3, 1, 2)", sympy.Integer(1)),
    ("max(3, 1, 2)", sympy.Integer(3)),
    ("min(7)", sympy.Integer(7)),
    ("abs(-3/2)", sympy.Rational(3, 2)),
    ("sqrt(9/4)", sympy.Rational(3, 2)),
    ("sqrt(2)", sympy.sqrt(2)),
    ("sqrt(2)**2", sympy.Integer(2)),
    ("exp(0)", sympy.Integer(1)),
    ("log(1)", sympy.Integer(0)),
    ("log(exp(2))", sympy.Integer(2)),
    ("exp(1)", sympy.E),
    ("2^3 - max(1, 2)", sympy.Integer(6)),
])
def test_functions_evaluate_exactly(text, value):
    assert parse(text) == value


def test_functions_of_symbols_stay_symbolic():
    assert parse("min(g, f)") == sympy.Min(g, f)
    assert parse("max(g, 0)") == sympy.Max(g, 0)
    assert parse("abs(g - f)") == sympy.Abs(g - f)
    assert parse("log(f) + exp(g) + sqrt(f)") == sympy.log(f) + sympy.exp(g) + sympy.sqrt(f)


def test_the_function_whitelist_is_exactly_six_functions():
    assert sorted(FUNCTIONS) == ["abs", "exp", "log", "max", "min", "sqrt"]


@pytest.mark.parametrize("text, message", [
    ("abs(1, 2)", "abs() at column 1 takes 1 argument, got 2"),
    ("1 + log(2, 3)", "log() at column 5 takes 1 argument, got 2"),
    ("sqrt()", "sqrt() at column 1 takes 1 argument, got 0"),
    ("exp(1, 2, 3)", "exp() at column 1 takes 1 argument, got 3"),
    ("min()", "min() at column 1 takes at least 1 argument, got 0"),
    ("2*max()", "max() at column 3 takes at least 1 argument, got 0"),
    ("max(1,)", "expected a number, name or '(' at column 7, found ')'"),
    ("max(1, 2", "expected ')' at column 9, found the end"),
    ("max", "function 'max' at column 1 must be called, e.g. max(x)"),
    ("g + sqrt", "function 'sqrt' at column 5 must be called, e.g. sqrt(x)"),
    ("floor(2.5)", "unknown function 'floor' at column 1; "
                   "allowed functions: abs, exp, log, max, min, sqrt"),
    ("Max(1, 2)", "unknown function 'Max' at column 1; "
                  "allowed functions: abs, exp, log, max, min, sqrt"),
])
def test_function_misuse_is_explained(text, message):
    assert error(text) == message


# -- declared symbols --------------------------------------------------------------------

def test_declared_symbols_are_the_objects_given():
    assert parse("g") is g
    assert parse("f - g/3") == f - g / 3


@pytest.mark.parametrize("text, symbols, message", [
    ("x", SYMBOLS, "unknown symbol 'x' at column 1; declared: f, g"),
    ("2*g + fine", SYMBOLS, "unknown symbol 'fine' at column 7; declared: f, g"),
    ("G", SYMBOLS, "unknown symbol 'G' at column 1; declared: f, g"),  # names are case-sensitive
    ("x", {}, "unknown symbol 'x' at column 1; declared: (none)"),
    # sympy would read these as constants; here they are just undeclared names
    ("pi", {}, "unknown symbol 'pi' at column 1; declared: (none)"),
    ("E", {}, "unknown symbol 'E' at column 1; declared: (none)"),
    ("I", {}, "unknown symbol 'I' at column 1; declared: (none)"),
    ("oo", {}, "unknown symbol 'oo' at column 1; declared: (none)"),
    ("nan", {}, "unknown symbol 'nan' at column 1; declared: (none)"),
    ("inf", {}, "unknown symbol 'inf' at column 1; declared: (none)"),
])
def test_unknown_symbols_name_the_column_and_the_declared_names(text, symbols, message):
    assert error(text, symbols) == message


@pytest.mark.parametrize("name", ["scale_levy", "g", "_private", "x1", "Fine2",
                                  # names sympy gives a meaning to are plain symbols to our parser
                                  "N", "S", "E", "I", "Q", "O", "lambda", "beta", "gamma",
                                  "pi", "oo", "zoo", "nan", "Abs", "Max", "zeta", "Symbol"])
def test_valid_names(name):
    assert is_valid_name(name)


@pytest.mark.parametrize("name", ["N", "S", "E", "I", "Q", "O", "lambda", "beta", "gamma",
                                  "pi", "oo", "zoo", "nan", "Abs", "Max", "zeta", "Symbol"])
def test_sympy_names_parse_as_the_declared_symbol_never_a_sympy_object(name):
    symbol = sympy.Symbol(name, real=True)
    expr = parse_expression(f"2*{name} + 1", {name: symbol})
    assert expr == 2 * symbol + 1
    assert expr.free_symbols == {symbol}


@pytest.mark.parametrize("text", ["T - S", "N*(N + 1)/2", "lambda*beta - gamma", "E**2 + I",
                                  "max(S, 0) - log(Q)", "sqrt(N)/(N + 1)"])
def test_read_expression_reads_back_what_str_prints(text):
    names = ("T", "S", "N", "lambda", "beta", "gamma", "E", "I", "Q")
    symbols = {name: sympy.Symbol(name, real=True) for name in names}
    expr = parse_expression(text, symbols)
    assert read_expression(str(expr), symbols) == expr
    assert read_expression(str(expr)) == expr.xreplace(
        {s: sympy.Symbol(s.name) for s in expr.free_symbols})


@pytest.mark.parametrize("name", [
    "max", "min", "abs", "sqrt", "exp", "log", "import", "if", "True", "None", "1a", "a b", "a-b", "", "lévy",
    "\u0430",  # Cyrillic a, looks like 'a'
    "x\u200b",  # zero-width space
    3, None, b"g",
])
def test_invalid_names(name):
    assert not is_valid_name(name)


def test_every_reserved_name_is_refused():
    assert "max" in RESERVED_NAMES and "import" in RESERVED_NAMES
    assert not any(is_valid_name(name) for name in RESERVED_NAMES)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(RESERVED_NAMES)) | st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,8}", fullmatch=True))
def test_a_declared_valid_name_reads_back_as_its_own_symbol(name):
    """Whatever is_valid_name accepts, the parser reads as that name's symbol, alone and in
    a formula; so accepting a name the parser treats otherwise (a function) fails here."""
    assume(is_valid_name(name))
    symbol = sympy.Symbol(name, real=True)
    assert parse_expression(name, {name: symbol}) == symbol
    assert parse_expression(f"2*{name} - 1", {name: symbol}) == 2 * symbol - 1


# -- syntax errors ---------------------------------------------------------------------

@pytest.mark.parametrize("text, message", [
    ("", "empty expression; write a number or a formula such as f - c"),
    ("   ", "empty expression; write a number or a formula such as f - c"),
    ("1 2", "unexpected '2' at column 3; expected an operator (+ - * / ** ^) or the end of "
     "the expression"),
    ("g f", "unexpected 'f' at column 3; expected an operator (+ - * / ** ^) or the end of "
     "the expression"),
    ("(1 + 2", "expected ')' at column 7, found the end"),
    ("1 + 2)", "unexpected ')' at column 6; expected an operator (+ - * / ** ^) or the end of "
     "the expression"),
    ("1 +", "expected a number, name or '(' at column 4, found the end of the expression"),
    ("* 2", "expected a number, name or '(' at column 1, found '*'"),
    ("1.5.5", "unexpected '.5' at column 4; expected an operator (+ - * / ** ^) or the end of "
     "the expression"),
    ("2 ** * 3", "expected a number, name or '(' at column 6, found '*'"),
    ("1 % 2", f"unexpected character '%' at column 3; {ALLOWED}"),
    ("1 +\n2", f"unexpected character U+000A at column 4; {ALLOWED}"),
    ("\x00", f"unexpected character U+0000 at column 1; {ALLOWED}"),
])
def test_syntax_errors_say_where(text, message):
    assert error(text) == message


def test_non_text_is_refused():
    with pytest.raises(ExpressionError, match="^expected an expression as text, got int$"):
        parse_expression(3, {})


def test_expression_errors_are_game_file_errors():
    # So the CLI reports them like any other problem in a game file.
    assert issubclass(ExpressionError, GameFileError)


# -- hostile input -----------------------------------------------------------------------

def test_python_code_is_never_executed(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    message = error("__import__('os').system('touch pwned')")
    assert message == ("unknown function '__import__' at column 1; "
                       "allowed functions: abs, exp, log, max, min, sqrt")
    assert not (tmp_path / "pwned").exists()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("text", [
    "__import__('os').system('touch pwned')",
    "exec('open(\"pwned\", \"w\")')",
    "eval('1')",
    "open('pwned', 'w')",
    "getattr(g, '__class__')",
    "g.__class__",
    "(1).__class__.__bases__[0].__subclasses__()",
    "g[0]",
    "lambda: 0",
    "lambda x: x",
    "[x for x in (1, 2)]",
    "{1: 2}",
    "'text'",
    '"text"',
    "f'{g}'",
    "g if f else 1",
    "g < f",
    "g == f",
    "g; 1",
    "g, f",
    "g = 1",
    "`g`",
    "Symbol('x')",
    "S('1/3')",
    "Integer(2)",
    "True",
    "None",
    "1j",
    "2 @ 3",
    "1 // 2",
    "\\x41",
])
def test_hostile_text_is_an_expression_error_and_runs_nothing(text, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ExpressionError):
        parse(text)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("text, message", [
    ("9**9**9**9", "exponent 387420489 at column 5 is too large; at most ±100 is allowed (set POLICY_LIMIT_EXPONENT to raise this limit)"),
    ("2**101", "exponent 101 at column 2 is too large; at most ±100 is allowed (set POLICY_LIMIT_EXPONENT to raise this limit)"),
    ("2**-101", "exponent -101 at column 2 is too large; at most ±100 is allowed (set POLICY_LIMIT_EXPONENT to raise this limit)"),
    ("(10**100)**100",
     "power at column 10 gives a number with about 33220 bits; at most 4096 are allowed (set POLICY_LIMIT_NUMBER_BITS to raise this limit)"),
    ("1e999999", "number 1e999999 has exponent 999999; at most ±100 is allowed (set POLICY_LIMIT_EXPONENT to raise this limit)"),
    ("1e-999999", "number 1e-999999 has exponent -999999; at most ±100 is allowed (set POLICY_LIMIT_EXPONENT to raise this limit)"),
    ("1" + "0" * 60, "number 10000000000000000000… has 61 digits; at most 60 are allowed (set POLICY_LIMIT_NUMBER_DIGITS to raise this limit)"),
])
def test_huge_numbers_are_refused_before_they_are_computed(text, message):
    assert error(text) == message


def test_sixty_digits_and_exponent_one_hundred_are_still_fine():
    assert parse("9" * 60) == 10 ** 60 - 1
    assert parse("1e100") == 10 ** 100
    assert parse("2**100") == 2 ** 100
    assert parse("(2**40)**100") == 2 ** 4000  # 4001 bits: under the 4096-bit limit


def test_a_power_of_a_big_product_is_refused_without_computing_it():
    # Each factor is 3**2500 (3963 bits); the power would have 63 million bits and
    # took half a minute to build before the size was estimated first.
    product = "*".join(["(3**50)**50"] * 160)
    assert len(product) < ExpressionLimits().max_length
    with pytest.raises(ExpressionError, match=r"^(power|product) at column \d+ gives a number "
                                              r"with (about )?\d+ bits; at most 4096 are allowed \(set POLICY_LIMIT_NUMBER_BITS to raise this limit\)$"):
        parse(f"({product})**100")


@pytest.mark.parametrize("text, message", [
    # Numbers of more than 4300 digits cannot even be printed by Python; every
    # operator's result is bounded, not only powers.
    ("(3**50)**50 * (3**50)**50",
     "product at column 13 gives a number with 7925 bits; at most 4096 are allowed (set POLICY_LIMIT_NUMBER_BITS to raise this limit)"),
    ("1/(3**50)**50 / (3**50)**50",
     "quotient at column 15 gives a number with 7925 bits; at most 4096 are allowed (set POLICY_LIMIT_NUMBER_BITS to raise this limit)"),
    ("1/((3**50)**50 + 1) + 1/((3**50)**50 + 2)",
     "sum at column 21 gives a number with 7925 bits; at most 4096 are allowed (set POLICY_LIMIT_NUMBER_BITS to raise this limit)"),
    ("1/((3**50)**50 + 1) - 1/((3**50)**50 + 2)",
     "difference at column 21 gives a number with 7925 bits; at most 4096 are allowed (set POLICY_LIMIT_NUMBER_BITS to raise this limit)"),
    ("2**((3**50)**50 * (3**50)**50 * (3**50)**50)",
     "product at column 17 gives a number with 7925 bits; at most 4096 are allowed (set POLICY_LIMIT_NUMBER_BITS to raise this limit)"),
])
def test_every_operator_bounds_the_numbers_it_makes(text, message):
    assert error(text) == message


def test_deep_nesting_is_refused_without_recursing():
    deep = "(" * 10_000 + "1" + ")" * 10_000
    assert error(deep) == "expression is 20001 characters long; at most 2000 are allowed (set POLICY_LIMIT_EXPRESSION_LENGTH to raise this limit)"
    long_limits = ExpressionLimits(max_length=100_000)
    assert error(deep, limits=long_limits) == (
        "expression nested deeper than 40 levels "
        "(at column 41; set POLICY_LIMIT_EXPRESSION_DEPTH to raise this limit)")
    assert error("-" * 10_000 + "1", limits=long_limits) == (
        "expression nested deeper than 40 levels "
        "(at column 41; set POLICY_LIMIT_EXPRESSION_DEPTH to raise this limit)")
    assert error("2^" * 10_000 + "2", limits=long_limits) == (
        "expression nested deeper than 40 levels "
        "(at column 82; set POLICY_LIMIT_EXPRESSION_DEPTH to raise this limit)")
    assert error("abs(" * 10_000 + "1" + ")" * 10_000, limits=long_limits) == (
        "expression nested deeper than 40 levels "
        "(at column 161; set POLICY_LIMIT_EXPRESSION_DEPTH to raise this limit)")


def test_forty_levels_of_nesting_are_allowed():
    assert parse("(" * 40 + "1" + ")" * 40) == 1
    assert error("(" * 41 + "1" + ")" * 41) == (
        "expression nested deeper than 40 levels "
        "(at column 41; set POLICY_LIMIT_EXPRESSION_DEPTH to raise this limit)")


def test_a_ten_megabyte_expression_is_refused_by_its_length():
    text = "1+" * 5_000_000 + "1"
    assert error(text) == "expression is 10000001 characters long; at most 2000 are allowed (set POLICY_LIMIT_EXPRESSION_LENGTH to raise this limit)"


@pytest.mark.parametrize("text, shown, column", [
    ("\u0430", "'\u0430'", 1),           # Cyrillic а, looks like Latin a
    ("g + \u0430", "'\u0430'", 5),
    ("\u0435xp(1)", "'\u0435'", 1),      # Cyrillic е in 'exp'
    ("m\u0456n(1, 2)", "'\u0456'", 2),   # Ukrainian і in 'min'
    ("\u0261", "'\u0261'", 1),           # Latin script g (ɡ)
    ("\uff11", "'\uff11'", 1),           # full-width digit 1
    ("\u09ea", "'\u09ea'", 1),           # Bengali four, looks like 8
    ("1\u0663", "'\u0663'", 2),          # Arabic-Indic three
    ("g\u200b", "U+200B", 2),            # zero-width space
    ("2 \u00d7 3", "'\u00d7'", 3),       # multiplication sign
    ("2 \u2212 3", "'\u2212'", 3),       # minus sign
    ("2\u00b2", "'\u00b2'", 2),          # superscript two
])
def test_unicode_look_alikes_are_refused(text, shown, column):
    symbols = {"a": sympy.Symbol("a", real=True), **SYMBOLS}
    assert error(text, symbols) == f"unexpected character {shown} at column {column}; {ALLOWED}"


# -- undefined values --------------------------------------------------------------------

@pytest.mark.parametrize("text, message", [
    ("1/0", "division by zero at column 2"),
    ("0/0", "division by zero at column 2"),
    ("g/(f - f)", "division by zero at column 2"),
    ("1 + g/(2 - 2*1)", "division by zero at column 6"),
    ("0**-1", "division by zero (0 to a negative power) at column 2"),
    ("(1 - 1)^(-2)", "division by zero (0 to a negative power) at column 8"),
    ("log(0)", "log() at column 1 needs a positive argument, got 0"),
    ("log(-1/2)", "log() at column 1 needs a positive argument, got -1/2"),
    ("1 + sqrt(-1)", "sqrt() at column 5 needs a non-negative argument, got -1"),
    ("(-1)**(1/2)", "expression '(-1)**(1/2)' is not a real number"),
    ("(-8)^(1/3)", "expression '(-8)^(1/3)' is not a real number"),
])
def test_undefined_and_complex_values_are_refused(text, message):
    assert error(text) == message


def test_symbolic_arguments_are_not_judged():
    # log(g) is fine for positive g; the model decides later.
    assert parse("log(g) + sqrt(f) + 1/g") == sympy.log(g) + sympy.sqrt(f) + 1 / g


# -- parse_scalar: YAML values -------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    (0.1, sympy.Rational(1, 10)),
    (0.25, sympy.Rational(1, 4)),
    (2.5e3, sympy.Integer(2500)),
    (-1.5, sympy.Rational(-3, 2)),
    (3, sympy.Integer(3)),
    (-7, sympy.Integer(-7)),
    ("1/3", sympy.Rational(1, 3)),
    ("g - 1", g - 1),
])
def test_scalars_keep_their_decimal_meaning(value, expected):
    assert parse_scalar(value, SYMBOLS) == expected


@pytest.mark.parametrize("value, message", [
    (float("nan"), "expected a finite number, got nan"),
    (float("inf"), "expected a finite number, got inf"),
    (float("-inf"), "expected a finite number, got -inf"),
    (True, "expected a number or expression, got the boolean True"),
    (False, "expected a number or expression, got the boolean False"),
    (None, "expected a number or expression, got an empty value (null)"),
    ([1, 2], "expected a number or expression, got a list"),
    ({"a": 1}, "expected a number or expression, got a mapping"),
    (b"1", "expected a number or expression, got bytes"),
    (1e300, "number 1e+300 has exponent +300; at most ±100 is allowed (set POLICY_LIMIT_EXPONENT to raise this limit)"),
    pytest.param(10 ** 5000, "integer with 16610 bits is too large; at most 4096 are allowed (set POLICY_LIMIT_NUMBER_BITS to raise this limit)",
                 id="10**5000"),
    ("nan", "unknown symbol 'nan' at column 1; declared: f, g"),
    ("1/0", "division by zero at column 2"),
])
def test_scalars_that_are_not_finite_numbers_are_refused(value, message):
    with pytest.raises(ExpressionError) as caught:
        parse_scalar(value, SYMBOLS)
    assert str(caught.value) == message


# -- properties ------------------------------------------------------------------------------

# A small expression language model: each node is (text, precedence, Fraction value or
# None when the value is undefined). Precedences: 1 sum, 2 product, 3 unary, 4 power, 5 atom.

def _wrap(node, at_least):
    text, precedence, value = node
    return text if precedence >= at_least else f"({text})"


def _binary(op, left, right):
    lv, rv = left[2], right[2]
    if op in "+-":
        text = f"{_wrap(left, 1)} {op} {_wrap(right, 2)}"
        value = None if None in (lv, rv) else (lv + rv if op == "+" else lv - rv)
        return text, 1, value
    text = f"{_wrap(left, 2)} {op} {_wrap(right, 3)}"
    if None in (lv, rv) or (op == "/" and rv == 0):
        return text, 2, None
    return text, 2, lv * rv if op == "*" else lv / rv


def _negate(node):
    return f"-{_wrap(node, 3)}", 3, None if node[2] is None else -node[2]


def _power(base, op, exponent):
    value = base[2]
    if value is not None and value == 0 and exponent < 0:
        value = None
    elif value is not None:
        value = value ** exponent
    return f"{_wrap(base, 5)}{op}{exponent}", 4, value


def _call(name, args):
    text = f"{name}({', '.join(a[0] for a in args)})"
    values = [a[2] for a in args]
    if None in values:
        return text, 5, None
    value = {"min": min, "max": max}[name](values) if name != "abs" else abs(values[0])
    return text, 5, value


_numbers = st.one_of(
    st.integers(0, 30).map(str),
    st.sampled_from(["0.5", "0.1", "2.5", ".25", "1e2", "1.5e-1", "3.", "12.75"]),
).map(lambda text: (text, 5, Fraction(text)))

_leaves = _numbers | st.builds(_power, _numbers, st.sampled_from(["**", "^"]),
                               st.integers(-3, 3))


def _extend(children):
    return st.one_of(
        st.builds(_binary, st.sampled_from("+-*/"), children, children),
        st.builds(_negate, children),
        st.builds(_call, st.sampled_from(["min", "max"]), st.lists(children, min_size=1,
                                                                   max_size=3)),
        st.builds(lambda child: _call("abs", [child]), children),
    )


expression_trees = st.recursive(_leaves, _extend, max_leaves=12)


@settings(max_examples=400, deadline=2000)
@given(expression_trees)
def test_parsing_agrees_with_fraction_arithmetic(node):
    text, _, value = node
    assume(text.count("(") + text.count("-") + text.count("^") + text.count("**") < 38)
    if value is None:
        with pytest.raises(ExpressionError, match="division by zero"):
            parse_expression(text, {})
    else:
        result = parse_expression(text, {})
        assert isinstance(result, sympy.Rational)
        assert result == sympy.Rational(value.numerator, value.denominator), text


@settings(max_examples=400, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_any_text_gives_an_expression_or_an_expression_error(text):
    try:
        result = parse_expression(text, SYMBOLS)
    except ExpressionError:
        return
    assert isinstance(result, sympy.Expr)


_grammar_text = st.lists(
    st.sampled_from(list("0123456789.eE+-*/^(), gf") + [
        "**", "min(", "max(", "abs(", "sqrt(", "exp(", "log(", "9**9", "1e99", "0"]),
    max_size=40,
).map("".join)


@settings(max_examples=400, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(_grammar_text)
def test_near_miss_text_gives_an_expression_or_an_expression_error(text):
    try:
        result = parse_expression(text, SYMBOLS)
    except ExpressionError:
        return
    assert isinstance(result, sympy.Expr)
    assert not result.atoms(sympy.Float)
    assert not result.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo)


@settings(max_examples=300, deadline=2000)
@given(st.floats(allow_nan=True, allow_infinity=True))
def test_a_float_scalar_is_its_decimal_text_or_an_error(value):
    try:
        result = parse_scalar(value, {})
    except ExpressionError:
        assert not math.isfinite(value) or "e" in repr(value)
        return
    assert result == exact(repr(value))

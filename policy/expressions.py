"""Safe expressions: text from an untrusted game file → sympy expression.

Game files come from anyone, so payoff text is never given to ``eval``,
``sympify`` or ``parse_expr`` (all of which evaluate Python). Instead a small
recursive-descent parser accepts exactly this grammar::

    expr   := term (("+" | "-") term)*
    term   := unary (("*" | "/") unary)*
    unary  := ("-" | "+") unary | power
    power  := atom (("**" | "^") unary)?          # right-associative
    atom   := NUMBER | NAME | FUNC "(" expr ("," expr)* ")" | "(" expr ")"
    FUNC   := min | max | abs | sqrt | exp | log

Numbers are exact: ``1/3`` is the Rational 1/3 and ``0.1`` is 1/10. Names must
be declared by the game (parameters and controls). Limits (see
:class:`ExpressionLimits`) bound the text length, nesting depth, digits in a
number and the size of numeric powers, so no input can make the parser or sympy
run for long.

Examples
--------
>>> import sympy
>>> g, f = sympy.symbols("g f", real=True)
>>> parse_expression("f - g/3", {"g": g, "f": f})
f - g/3
>>> parse_expression("1/3 + 0.5", {})
5/6
>>> parse_expression("__import__('os')", {})
Traceback (most recent call last):
...
policy.errors.ExpressionError: unknown function '__import__' at column 1; allowed functions: abs, exp, log, max, min, sqrt
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Callable, Mapping

import mpmath
import sympy

from .errors import ExpressionError
from .limits import exceeded, limit

__all__ = [
    "ExpressionLimits",
    "FUNCTIONS",
    "RESERVED_NAMES",
    "parse_expression",
    "parse_scalar",
    "read_expression",
    "DecimalFloat",
    "is_valid_name",
    "number_to_expr",
    "oversized",
    "substitute",
]


@dataclass(frozen=True)
class ExpressionLimits:
    """Bounds that keep parsing cheap whatever the input.

    Each default is the current value of a limit in :mod:`policy.limits`
    (``POLICY_LIMIT_EXPRESSION_LENGTH`` … in the environment raise them).

    Attributes
    ----------
    max_length : int
        Longest accepted expression text, in characters.
    max_depth : int
        Deepest nesting of parentheses, function calls and unary signs.
    max_digits : int
        Most digits in one numeric literal (before any exponent).
    max_power : int
        Largest absolute numeric exponent in ``a ** n`` and in ``1e<n>`` literals.
    max_result_bits : int
        Largest numerator or denominator (in bits) any operator may produce.
    max_arguments : int
        Most arguments of one ``max``/``min`` call, nested calls counted together.
    """

    max_length: int = field(default_factory=lambda: limit("expression_length"))
    max_depth: int = field(default_factory=lambda: limit("expression_depth"))
    max_digits: int = field(default_factory=lambda: limit("number_digits"))
    max_power: int = field(default_factory=lambda: limit("exponent"))
    max_result_bits: int = field(default_factory=lambda: limit("number_bits"))
    max_arguments: int = field(default_factory=lambda: limit("function_arguments"))

#: The functions an expression may call, with their sympy counterparts and arity.
FUNCTIONS: Mapping[str, tuple[Callable[..., sympy.Expr], int | None]] = {
    "abs": (sympy.Abs, 1),
    "exp": (sympy.exp, 1),
    "log": (sympy.log, 1),
    "max": (sympy.Max, None),
    "min": (sympy.Min, None),
    "sqrt": (sympy.sqrt, 1),
}

#: Names a game may not declare: function names, and words that would read as
#: YAML or Python keywords. Every other identifier is a plain symbol to our parser
#: (``N``, ``S``, ``E``, ``I``, ``lambda``, ``beta``, ``gamma`` …): symbols are
#: created with ``sympy.Symbol(name)``, never looked up by name through sympy.
RESERVED_NAMES = frozenset(FUNCTIONS) | {
    "true", "false", "True", "False", "None",
    "and", "or", "not", "if", "else", "for", "in", "is", "import",
}

#: Function names as sympy prints them, read back by :func:`read_expression`.
_PRINTED_FUNCTIONS = re.compile(r"\b(Abs|Max|Min)(?=\()")

_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_TOKEN_RE = re.compile(
    r"""
    (?P<space>[ \t]+)
  | (?P<number>(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)  # ASCII digits only
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>\*\*|[-+*/^(),])
    """,
    re.VERBOSE,
)
_BAD_VALUES = (sympy.zoo, sympy.nan, sympy.oo, -sympy.oo)


def is_valid_name(name: object) -> bool:
    """Whether ``name`` may be declared as a parameter, control, player or strategy.

    ASCII identifiers only (no Unicode look-alikes), and not a reserved name.

    >>> is_valid_name("scale_levy"), is_valid_name("max"), is_valid_name("lévy")
    (True, False, False)
    """
    return isinstance(name, str) and bool(_NAME_RE.match(name)) and name not in RESERVED_NAMES


@dataclass(frozen=True)
class _Token:
    kind: str  # "number", "name", "op", "end", or "bad" (a character not allowed)
    text: str
    column: int  # 1-based


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    while position < len(text):
        match = _TOKEN_RE.match(text, position)
        if match is None:
            # Reported only when the parser reaches it, so errors come in reading order.
            tokens.append(_Token("bad", text[position], position + 1))
            break
        kind = match.lastgroup
        if kind != "space":
            tokens.append(_Token(kind, match.group(), position + 1))
        position = match.end()
    tokens.append(_Token("end", "", len(text) + 1))
    return tokens


def number_to_expr(text: str, limits: ExpressionLimits | None = None) -> sympy.Rational:
    """Turn a numeric literal into an exact sympy Rational.

    >>> number_to_expr("0.1"), number_to_expr("2.5e3")
    (1/10, 2500)
    """
    limits = limits or ExpressionLimits()
    mantissa, _, exponent = text.lower().partition("e")
    digits = sum(ch.isdigit() for ch in mantissa)
    if digits > limits.max_digits:
        raise ExpressionError(
            f"number {text[:20]}… has {digits} digits; at most {limits.max_digits} are allowed "
            f"({exceeded('number_digits')})"
        )
    if exponent and abs(int(exponent)) > limits.max_power:
        raise ExpressionError(
            f"number {text[:40]} has exponent {exponent[:20]}; at most ±{limits.max_power} is "
            f"allowed ({exceeded('exponent')})"
        )
    value = Fraction(text)
    return sympy.Rational(value.numerator, value.denominator)


class _Parser:
    def __init__(self, text: str, symbols: Mapping[str, sympy.Symbol],
                 limits: ExpressionLimits) -> None:
        self.tokens = _tokenize(text)
        self.index = 0
        self.symbols = symbols
        self.limits = limits
        self.depth = 0

    # -- helpers -------------------------------------------------------------
    @property
    def current(self) -> _Token:
        token = self.tokens[self.index]
        if token.kind == "bad":
            shown = repr(token.text) if token.text.isprintable() else f"U+{ord(token.text):04X}"
            raise ExpressionError(
                f"unexpected character {shown} at column {token.column}; expressions may use "
                "numbers, declared names, + - * / ** ^, parentheses and "
                + ", ".join(sorted(FUNCTIONS)))
        return token

    def advance(self) -> _Token:
        token = self.current
        self.index += 1
        return token

    def expect(self, text: str) -> None:
        token = self.current
        if token.text != text:
            found = f"'{token.text}'" if token.kind != "end" else "the end"
            raise ExpressionError(f"expected '{text}' at column {token.column}, found {found}")
        self.advance()

    def enter(self, token: _Token) -> None:
        self.depth += 1
        if self.depth > self.limits.max_depth:
            raise ExpressionError(
                f"expression nested deeper than {self.limits.max_depth} levels "
                f"(at column {token.column}; {exceeded('expression_depth')})"
            )

    # -- grammar -------------------------------------------------------------
    def parse(self) -> sympy.Expr:
        if self.current.kind == "end":
            raise ExpressionError("empty expression; write a number or a formula such as f - c")
        expr = self.expr()
        if self.current.kind != "end":
            raise ExpressionError(
                f"unexpected '{self.current.text}' at column {self.current.column}; expected an "
                "operator (+ - * / ** ^) or the end of the expression"
            )
        return expr

    def expr(self) -> sympy.Expr:
        result = self.term()
        while self.current.text in ("+", "-"):
            token = self.advance()
            right = self.term()
            result = self.sized(result + right if token.text == "+" else result - right, token)
        return result

    def term(self) -> sympy.Expr:
        result = self.unary()
        while self.current.text in ("*", "/"):
            token = self.advance()
            right = self.unary()
            if token.text == "*":
                result = self.sized(result * right, token)
            else:
                if right.is_zero:
                    raise ExpressionError(f"division by zero at column {token.column}")
                result = self.sized(result / right, token)
        return result

    def unary(self) -> sympy.Expr:
        token = self.current
        if token.text in ("-", "+"):
            self.advance()
            self.enter(token)
            operand = self.unary()
            self.depth -= 1
            return -operand if token.text == "-" else operand
        return self.power()

    def power(self) -> sympy.Expr:
        base = self.atom()
        if self.current.text in ("**", "^"):
            token = self.advance()
            self.enter(token)
            exponent = self.unary()
            self.depth -= 1
            return self.checked_power(base, exponent, token)
        return base

    def checked_power(self, base: sympy.Expr, exponent: sympy.Expr, token: _Token) -> sympy.Expr:
        if exponent.is_number:
            if not exponent.is_real:
                raise ExpressionError(f"exponent at column {token.column} is not a real number")
            if abs(exponent) > self.limits.max_power:
                raise ExpressionError(
                    f"exponent {exponent} at column {token.column} is too large; "
                    f"at most ±{self.limits.max_power} is allowed ({exceeded('exponent')})"
                )
            if base.is_zero and exponent.is_negative:
                raise ExpressionError(f"division by zero (0 to a negative power) at column {token.column}")
            if base.is_number and exponent.is_Rational:
                # Estimate before sympy builds the number: a power of a big product
                # such as (3**2500 * ...)**100 would otherwise take seconds to compute.
                largest = max((max(abs(r.p), r.q) for r in base.atoms(sympy.Rational)), default=1)
                bits = abs(exponent.p) // exponent.q * math.log2(largest)
                if bits > self.limits.max_result_bits + 1:
                    raise ExpressionError(
                        f"power at column {token.column} gives a number with about "
                        f"{math.floor(bits) + 1} bits; at most {self.limits.max_result_bits} "
                        f"are allowed ({exceeded('number_bits')})"
                    )
        elif base.is_number and base.is_Rational and abs(base) > 1:
            pass  # e.g. 2**x: symbolic, nothing is evaluated now
        return self.sized(sympy.Pow(base, exponent), token)

    def sized(self, result: sympy.Expr, token: _Token) -> sympy.Expr:
        """``result`` of the operator or function ``token``, unless it is too big to handle.

        Every operator is checked (not only powers): sums and products of big numbers
        also grow, a number of more than 4300 digits cannot even be printed, and
        sympy merges powers (``(x**100)**100`` is ``x**10000``).
        """
        problem = oversized(result, self.limits)
        if problem:
            what = {"+": "sum", "-": "difference", "*": "product", "/": "quotient",
                    "**": "power", "^": "power"}.get(token.text, f"{token.text}()")
            raise ExpressionError(f"{what} at column {token.column} {problem}")
        return result

    def atom(self) -> sympy.Expr:
        token = self.current
        if token.kind == "number":
            self.advance()
            return number_to_expr(token.text, self.limits)
        if token.kind == "name":
            self.advance()
            if self.current.text == "(":
                return self.call(token)
            if token.text in FUNCTIONS:
                raise ExpressionError(
                    f"function '{token.text}' at column {token.column} must be called, "
                    f"e.g. {token.text}(x)"
                )
            if token.text not in self.symbols:
                declared = ", ".join(sorted(self.symbols)) or "(none)"
                raise ExpressionError(
                    f"unknown symbol '{token.text}' at column {token.column}; declared: {declared}"
                )
            return self.symbols[token.text]
        if token.text == "(":
            self.advance()
            self.enter(token)
            inner = self.expr()
            self.depth -= 1
            self.expect(")")
            return inner
        found = f"'{token.text}'" if token.kind != "end" else "the end of the expression"
        raise ExpressionError(f"expected a number, name or '(' at column {token.column}, found {found}")

    def check_arguments(self, name: _Token, function, args: list) -> None:
        """Refuse a max/min with too many arguments before sympy compares them pairwise
        (nested calls of the same function are flattened, so they count together)."""
        count = sum(len(a.args) if isinstance(a, function) else 1 for a in args)
        if count > self.limits.max_arguments:
            raise ExpressionError(
                f"{name.text}() at column {name.column} has more than "
                f"{self.limits.max_arguments} arguments (nested {name.text} counted together) "
                f"({exceeded('function_arguments')})")

    def call(self, name: _Token) -> sympy.Expr:
        if name.text not in FUNCTIONS:
            raise ExpressionError(
                f"unknown function '{name.text}' at column {name.column}; "
                f"allowed functions: {', '.join(sorted(FUNCTIONS))}"
            )
        function, arity = FUNCTIONS[name.text]
        self.expect("(")
        self.enter(name)
        args = [] if self.current.text == ")" else [self.expr()]
        while args and self.current.text == ",":
            self.advance()
            args.append(self.expr())
            if arity is None:
                self.check_arguments(name, function, args)
        self.depth -= 1
        self.expect(")")
        if arity is not None and len(args) != arity:
            raise ExpressionError(
                f"{name.text}() at column {name.column} takes {arity} argument, got {len(args)}"
            )
        if not args:
            raise ExpressionError(
                f"{name.text}() at column {name.column} takes at least 1 argument, got 0")
        if name.text == "log" and args[0].is_number and not args[0].is_positive:
            raise ExpressionError(
                f"log() at column {name.column} needs a positive argument, got {args[0]}")
        if name.text == "sqrt" and args[0].is_number and args[0].is_negative:
            raise ExpressionError(
                f"sqrt() at column {name.column} needs a non-negative argument, got {args[0]}")
        if name.text == "exp" and _exp_too_large(args[0], self.limits):
            raise ExpressionError(f"exp() at column {name.column} {_exp_problem(self.limits)}")
        return self.sized(function(*args), name)


def _magnitude_bits(value: sympy.Expr) -> float:
    """About log2 |value| of a number whose parts are within the limits (-inf for 0).

    Numbers that cannot be evaluated to a finite value count as infinitely large.
    """
    approx = sympy.N(value, 15)
    bits = -math.inf
    for part in approx.as_real_imag():
        if part.is_zero:
            continue
        if not part.is_Float:
            return math.inf
        bits = max(bits, float(mpmath.mag(mpmath.mpf(part._mpf_))))
    return bits


def _exp_problem(limits: ExpressionLimits) -> str:
    """What is wrong with a number ``exp()`` refuses."""
    bound = math.floor(limits.max_result_bits * math.log(2))
    return (f"needs an argument between -{bound} and {bound}, so that its result has at most "
            f"{limits.max_result_bits} bits ({exceeded('number_bits')})")


def _exp_too_large(argument: sympy.Expr, limits: ExpressionLimits) -> bool:
    """Whether ``exp(argument)``, a number, would exceed ``limits.max_result_bits``.

    Decided before sympy builds or evaluates it: ``exp(2**4000)`` takes long to evaluate.
    """
    if not argument.is_number:
        return False
    if _magnitude_bits(argument) > 16:
        return True
    return abs(float(sympy.re(sympy.N(argument, 15)))) * math.log2(math.e) > limits.max_result_bits


def oversized(result: sympy.Expr, limits: ExpressionLimits | None = None) -> str | None:
    """Why ``result`` is too big to handle, or None when it is within the limits.

    Too big: a rational with more than ``max_result_bits`` bits in its numerator or
    denominator, a power with a numeric exponent beyond ``max_power``, or a number
    (such as ``exp(3000)``) larger than ``2**max_result_bits``.

    >>> oversized(sympy.Integer(2)**5000)
    'gives a number with 5001 bits; at most 4096 are allowed (set POLICY_LIMIT_NUMBER_BITS to raise this limit)'
    """
    limits = limits or ExpressionLimits()
    for rational in result.atoms(sympy.Rational):
        bits = max(abs(rational.p).bit_length(), abs(rational.q).bit_length())
        if bits > limits.max_result_bits:
            return (f"gives a number with {bits} bits; at most {limits.max_result_bits} are "
                    f"allowed ({exceeded('number_bits')})")
    for power in result.atoms(sympy.Pow):
        if power.exp.is_Rational and abs(power.exp) > limits.max_power:
            return (f"gives a power with exponent {power.exp}; at most ±{limits.max_power} is "
                    f"allowed ({exceeded('exponent')})")
    if result.is_number and not result.is_Rational:
        bits = _magnitude_bits(result)
        if bits > limits.max_result_bits:
            shown = "an infinite number" if bits == math.inf else f"about 2**{int(bits)}"
            return (f"gives {shown}; at most 2**{limits.max_result_bits} is allowed "
                    f"({exceeded('number_bits')})")
    return None


def substitute(expr: sympy.Expr, values: Mapping[sympy.Symbol, sympy.Expr],
               limits: ExpressionLimits | None = None) -> sympy.Expr:
    """``expr`` with symbols replaced by ``values``, rebuilt from the leaves up.

    Each part is checked with :func:`oversized` before the next is built on it, so
    values cannot make a payoff that takes long to compute (``x**y`` with ``y``
    huge, ``exp(exp(x))`` with ``x`` large).

    >>> x = sympy.Symbol("x", real=True)
    >>> substitute(sympy.exp(x) + x**2, {x: sympy.Integer(3)})
    9 + exp(3)
    >>> substitute(sympy.exp(sympy.exp(x)), {x: sympy.Integer(100)})
    Traceback (most recent call last):
    ...
    policy.errors.ExpressionError: exp(exp(100)) needs an argument between -2839 and 2839, so that its result has at most 4096 bits (set POLICY_LIMIT_NUMBER_BITS to raise this limit)
    """
    limits = limits or ExpressionLimits()
    if expr in values:
        return values[expr]
    if not expr.args or not expr.free_symbols:
        return expr
    args = [substitute(arg, values, limits) for arg in expr.args]
    if expr.func is sympy.exp and _exp_too_large(args[0], limits):
        raise ExpressionError(f"exp({str(args[0])[:40]}) {_exp_problem(limits)}")
    if expr.func is sympy.Pow and args[1].is_number and abs(args[1]) > limits.max_power:
        raise ExpressionError(f"{expr} has the exponent {args[1]}; at most ±{limits.max_power} "
                              f"is allowed ({exceeded('exponent')})")
    result = expr.func(*args)
    problem = oversized(result, limits)
    if problem:
        raise ExpressionError(f"{str(result)[:60]} {problem}")
    return result


def parse_expression(text: str, symbols: Mapping[str, sympy.Symbol],
                     limits: ExpressionLimits | None = None) -> sympy.Expr:
    """Parse ``text`` into a sympy expression over ``symbols``, safely.

    Parameters
    ----------
    text : str
        The expression, e.g. ``"f - c"``.
    symbols : mapping of str to sympy.Symbol
        The declared names an expression may use.
    limits : ExpressionLimits
        Size bounds; see :class:`ExpressionLimits`.

    Returns
    -------
    sympy.Expr
        A finite, real-valued-looking expression (``zoo``/``nan``/``oo`` refused).

    Raises
    ------
    ExpressionError
        With a message naming the column and what is allowed.

    Examples
    --------
    >>> parse_expression("2^3 - max(1, 2)", {})
    6
    >>> parse_expression("9**9**9**9", {})
    Traceback (most recent call last):
    ...
    policy.errors.ExpressionError: exponent 387420489 at column 5 is too large; at most ±100 is allowed (set POLICY_LIMIT_EXPONENT to raise this limit)
    """
    if not isinstance(text, str):
        raise ExpressionError(f"expected an expression as text, got {type(text).__name__}")
    limits = limits or ExpressionLimits()
    if len(text) > limits.max_length:
        raise ExpressionError(
            f"expression is {len(text)} characters long; at most {limits.max_length} are allowed "
            f"({exceeded('expression_length')})"
        )
    if not text.strip():
        raise ExpressionError("empty expression; write a number or a formula such as f - c")
    expr = _Parser(text, symbols, limits).parse()
    if any(expr.has(bad) for bad in _BAD_VALUES):
        raise ExpressionError(f"expression '{text}' is not finite (division by zero?)")
    if expr.is_number and expr.is_real is False:
        raise ExpressionError(f"expression '{text}' is not a real number")
    return expr


class _AnySymbol(dict):
    """Symbols made on demand: every identifier that is not a function is a symbol."""

    def __contains__(self, name: object) -> bool:
        return True

    def __missing__(self, name: str) -> sympy.Symbol:
        symbol = self[name] = sympy.Symbol(name)
        return symbol


def read_expression(text: str, symbols: Mapping[str, sympy.Symbol] | None = None,
                    limits: ExpressionLimits | None = None) -> sympy.Expr:
    """Read back an expression this tool printed (e.g. in ``--json`` output), safely.

    The same parser as :func:`parse_expression` (nothing is evaluated), also
    accepting the spellings sympy prints (``Abs``, ``Max``, ``Min``). Use this, not
    ``sympy.sympify`` (which calls ``eval`` and reads ``S``, ``N``, ``E``, ``I``,
    ``beta``, ``gamma`` … as sympy objects).

    Parameters
    ----------
    text : str
        An expression as printed, e.g. ``"-S + T"``.
    symbols : mapping of str to sympy.Symbol, optional
        The symbols to use (e.g. ``spec.symbols``, which carry the game's
        assumptions); without it every name becomes ``sympy.Symbol(name)``.
    limits : ExpressionLimits
        Size bounds; see :class:`ExpressionLimits`.

    Examples
    --------
    >>> read_expression("Max(0, S) + N/2")
    N/2 + Max(0, S)
    >>> read_expression("N").is_Symbol
    True
    """
    if not isinstance(text, str):
        raise ExpressionError(f"expected an expression as text, got {type(text).__name__}")
    known = _AnySymbol(symbols or {})
    return parse_expression(_PRINTED_FUNCTIONS.sub(lambda m: m.group(1).lower(), text),
                            known, limits)


class DecimalFloat(float):
    """A YAML float that keeps the decimal text it was written as.

    A double holds about 17 significant digits, so ``1.00000000000000000001``
    would silently become ``1.0``; :func:`parse_scalar` reads ``text`` instead,
    exactly.

    >>> parse_scalar(DecimalFloat("1.00000000000000000001"), {})
    100000000000000000001/100000000000000000000
    """

    text: str

    def __new__(cls, text: str) -> "DecimalFloat":
        number = super().__new__(cls, text)
        number.text = text
        return number


def parse_scalar(value: object, symbols: Mapping[str, sympy.Symbol],
                 limits: ExpressionLimits | None = None) -> sympy.Expr:
    """Turn a YAML scalar (int, float or expression text) into a sympy expression.

    Floats keep their decimal meaning exactly (``0.1`` → 1/10, never the binary
    double nearest to it; a :class:`DecimalFloat` keeps every digit it was
    written with); booleans, NaN and infinities are refused.

    >>> parse_scalar(0.25, {}), parse_scalar(3, {}), parse_scalar("1/3", {})
    (1/4, 3, 1/3)
    """
    if isinstance(value, bool):
        raise ExpressionError(f"expected a number or expression, got the boolean {value}")
    limits = limits or ExpressionLimits()
    if isinstance(value, int):
        if value.bit_length() > limits.max_result_bits:
            raise ExpressionError(f"integer with {value.bit_length()} bits is too large; "
                                  f"at most {limits.max_result_bits} are allowed "
                                  f"({exceeded('number_bits')})")
        return sympy.Integer(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ExpressionError(f"expected a finite number, got {value}")
        return number_to_expr(value.text if isinstance(value, DecimalFloat) else repr(value),
                              limits)
    if isinstance(value, str):
        return parse_expression(value, symbols, limits)
    kind = {type(None): "an empty value (null)", list: "a list", dict: "a mapping"}
    raise ExpressionError(
        f"expected a number or expression, got {kind.get(type(value), type(value).__name__)}"
    )

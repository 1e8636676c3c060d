"""The small text syntaxes that game files and the command line share, parsed once here.

Where this sits in the data flow: after :mod:`policy.expressions` (which turns one
maths text into a sympy expression) and before :mod:`policy.spec`, the readers
(:mod:`policy.readers`) and the command line, which all call these functions
instead of splitting texts themselves. Nothing here reads files, knows YAML or
builds a game: each function takes one text and returns plain values (names,
exact numbers, sympy relations), or raises the error its callers have always
shown for that text.

========================  ==========================================  ============================
syntax                    example                                     parsed by
========================  ==========================================  ============================
``NAME=VALUE``            ``--set f=12``, ``--set c=1/3``             :func:`parse_assignment`
``NAME=START:STOP:N``     ``--vary s=0:1:101``, file ``vary:``        :func:`split_axis`,
                                                                      :func:`parse_axis`
``PLAYER=STRATEGY``       ``--target platform=comply``                :func:`parse_choice`
relation                  ``g < f`` (file ``assumptions:``)           :func:`split_relation`,
                                                                      :func:`parse_relation`
distribution              ``uniform(1, 3)`` (a parameter's ``dist:``)  :func:`parse_distribution`
========================  ==========================================  ============================

Untrusted texts: numbers and expressions go through the whitelist parser of
:mod:`policy.expressions` only (nothing is evaluated).

Examples
--------
>>> split_axis("a =0:5:101")
('a', '0', '5', '101')
>>> parse_axis("s=0:1/2:3")
('s', Fraction(0, 1), Fraction(1, 2), 3)
>>> parse_choice("platform = comply")
('platform', 'comply')
>>> parse_distribution("uniform(1, 3)")
('uniform', (1, 3))
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Mapping, Protocol, Sequence

import sympy

from .errors import ExpressionError, GameFileError, ModelError
from .expressions import ExpressionLimits, parse_expression, parse_scalar

__all__ = [
    "DISTRIBUTIONS",
    "RELATIONS",
    "parse_assignment",
    "split_axis",
    "parse_axis",
    "parse_choice",
    "split_relation",
    "parse_relation",
    "parse_distribution",
]


# -- NAME=VALUE ---------------------------------------------------------------------------

class _Named(Protocol):
    name: str


class Declarations(Protocol):
    """What :func:`parse_assignment` needs of a game: its name and declared names
    (a :class:`policy.spec.GameSpec` is one)."""

    name: str
    parameters: Sequence[_Named]
    controls: Sequence[_Named]


def parse_assignment(text: str, spec: Declarations) -> tuple[str, sympy.Expr]:
    """Parse a ``name=value`` override (``--set``) against a game's declared names.

    The value is a number or a numeric expression such as ``1/3``; whether it
    respects the declared range or bounds is :func:`policy.spec.value_problem`'s
    question.

    >>> from types import SimpleNamespace as Game
    >>> game = Game(name="g", parameters=[Game(name="f")], controls=[])
    >>> parse_assignment("f = 2/3", game)
    ('f', 2/3)
    >>> parse_assignment("x=1", game)
    Traceback (most recent call last):
    ...
    policy.errors.GameFileError: --set 'x=1': 'x' is not a parameter or control of g; declared: f
    """
    name, sep, value = text.partition("=")
    name = name.strip()
    declared = [item.name for item in (*spec.parameters, *spec.controls)]
    if not sep:
        raise GameFileError(f"--set '{text}': expected NAME=VALUE, e.g. --set {name or 'f'}=12")
    if name not in declared:
        raise GameFileError(
            f"--set '{text}': '{name}' is not a parameter or control of {spec.name}; "
            f"declared: {', '.join(declared) or '(none)'}")
    try:
        number = parse_expression(value.strip(), {})
    except ExpressionError as err:
        raise GameFileError(f"--set '{text}': {err.message}") from err
    if not (number.is_number and number.is_real):
        raise GameFileError(f"--set '{text}': the value must be a real number, e.g. 12 or 1/3")
    return name, number


# -- NAME=START:STOP:POINTS ---------------------------------------------------------------

def split_axis(text: object) -> tuple[str, str, str, str] | None:
    """The four parts of ``name=start:stop:points`` (name stripped), or ``None`` when
    ``text`` does not have that form. The parts are checked by the caller
    (:func:`parse_axis` for ``--vary``, the YAML reader for ``vary:``).

    >>> split_axis("s=0:1:101"), split_axis("s=0:1"), split_axis(3)
    (('s', '0', '1', '101'), None, None)
    """
    if not isinstance(text, str):
        return None
    name, sep, spec = text.partition("=")
    parts = spec.split(":")
    if not sep or len(parts) != 3:
        return None
    return name.strip(), parts[0], parts[1], parts[2]


def parse_axis(text: str) -> tuple[str, Fraction, Fraction, int]:
    """Parse a ``--vary`` axis ``name=start:stop:points`` into exact bounds.

    Start and stop are rational numbers (``1/2``, ``0.25``), points a whole number
    of at least 2; the name is not checked against a game here.

    >>> parse_axis("s=0:1:401")
    ('s', Fraction(0, 1), Fraction(1, 1), 401)
    >>> parse_axis("s=0:1:x")
    Traceback (most recent call last):
    ...
    policy.errors.ModelError: --vary 's=0:1:x': the number of points must be a whole number, got 'x'; e.g. s=0:1:101
    """
    parts = split_axis(text)
    if parts is None:
        raise ModelError(f"--vary '{text}': expected name=start:stop:points, e.g. s=0:1:101")
    name, start_text, stop_text, points_text = parts
    if not re.fullmatch(r"\s*[0-9]{1,12}\s*", points_text):
        raise ModelError(f"--vary '{text}': the number of points must be a whole number, "
                         f"got '{points_text[:40]}'; e.g. s=0:1:101")
    points = int(points_text)
    try:
        start, stop = (parse_expression(p.strip(), {}) for p in (start_text, stop_text))
    except ExpressionError as err:
        raise ModelError(f"--vary '{text}': start and stop must be numbers such as 0 or "
                         f"1/2: {err.message}") from None
    if not (start.is_Rational and stop.is_Rational):
        raise ModelError(f"--vary '{text}': start and stop must be rational numbers such as 0 "
                         "or 1/2, not sqrt(2)")
    if points < 2 or start == stop:
        raise ModelError(f"--vary '{text}': need at least 2 points and start != stop")
    return name, Fraction(str(start)), Fraction(str(stop)), points


# -- PLAYER=STRATEGY ----------------------------------------------------------------------

def parse_choice(text: str) -> tuple[str, str]:
    """Parse ``player=strategy`` (``--target``): one player's pure strategy.

    The names are not checked against a game here.

    >>> parse_choice("platform=")
    Traceback (most recent call last):
    ...
    policy.errors.ModelError: --target 'platform=': expected PLAYER=STRATEGY, e.g. --target platform=comply
    """
    player, sep, strategy = text.partition("=")
    if not sep or not player.strip() or not strategy.strip():
        raise ModelError(f"--target '{text}': expected PLAYER=STRATEGY, e.g. "
                         "--target platform=comply")
    return player.strip(), strategy.strip()


# -- relations ----------------------------------------------------------------------------

#: The comparison operators of a relation, with their sympy classes.
RELATIONS: Mapping[str, type] = {"<": sympy.Lt, "<=": sympy.Le, ">": sympy.Gt, ">=": sympy.Ge,
                                 "==": sympy.Eq, "!=": sympy.Ne}
_RELATION_RE = re.compile(r"(<=|>=|==|!=|<|>)")


def split_relation(text: str) -> tuple[str, str, str] | None:
    """``left``, operator, ``right`` of a text with exactly one comparison, else ``None``.

    >>> split_relation("g < f"), split_relation("0 < g < f")
    (('g ', '<', ' f'), None)
    """
    parts = _RELATION_RE.split(text)
    if len(parts) != 3:
        return None
    return parts[0], parts[1], parts[2]


def parse_relation(text: str, symbols: Mapping[str, sympy.Symbol],
                   limits: ExpressionLimits | None = None) -> sympy.Basic:
    """A relation such as ``g < f`` as a sympy relation over ``symbols``.

    Raises
    ------
    GameFileError
        Without a location (the caller adds file, line and field): the text has
        not exactly one comparison, or a side is not a valid expression
        (an :class:`~policy.errors.ExpressionError`).

    Examples
    --------
    >>> g, f = sympy.symbols("g f")
    >>> parse_relation("g <= 2*f", {"g": g, "f": f})
    g <= 2*f
    >>> parse_relation("g", {"g": g})
    Traceback (most recent call last):
    ...
    policy.errors.GameFileError: expected one comparison (<, <=, >, >=, ==, !=) in 'g'
    """
    parts = split_relation(text)
    if parts is None:
        raise GameFileError(f"expected one comparison (<, <=, >, >=, ==, !=) in '{text}'")
    left, operator, right = parts
    return RELATIONS[operator](parse_scalar(left, symbols, limits),
                               parse_scalar(right, symbols, limits))


# -- distributions ------------------------------------------------------------------------

#: The distributions a parameter's ``dist:`` may name, with their number of arguments.
DISTRIBUTIONS: Mapping[str, int] = {"uniform": 2, "normal": 2, "triangular": 3, "lognormal": 2}


def parse_distribution(text: object) -> tuple[str, tuple[sympy.Rational, ...]]:
    """Kind and exact arguments of a distribution text such as ``triangular(0, 1, 4)``.

    Raises
    ------
    GameFileError
        Without a location: an unknown kind, arguments that are not numbers or not
        as many as the kind takes, or arguments that break the kind's rules
        (``a < b``, ``sigma > 0``, ``a <= m <= b``).

    Examples
    --------
    >>> parse_distribution("triangular(0, 1/2, 1)")
    ('triangular', (0, 1/2, 1))
    >>> parse_distribution("normal(0, 0)")
    Traceback (most recent call last):
    ...
    policy.errors.GameFileError: normal(mu, sigma) needs sigma > 0, got normal(0, 0)
    """
    if not isinstance(text, str):
        raise GameFileError("expected text such as 'uniform(1, 3)'")
    match = re.fullmatch(r"\s*([a-z]+)\s*\(([^()]*)\)\s*", text)
    if not match or match.group(1) not in DISTRIBUTIONS:
        kinds = ", ".join(f"{k}({', '.join('abc'[:n])})" for k, n in DISTRIBUTIONS.items())
        raise GameFileError(f"unknown distribution '{text[:40]}'; allowed: {kinds}")
    kind = match.group(1)
    try:
        args = tuple(parse_expression(part, {}) for part in match.group(2).split(","))
    except ExpressionError as err:
        raise GameFileError(f"distribution arguments must be numbers, e.g. uniform(1, 3): "
                            f"{err.message}") from err
    if len(args) != DISTRIBUTIONS[kind] or not all(a.is_Rational for a in args):
        raise GameFileError(
            f"{kind}() takes {DISTRIBUTIONS[kind]} numeric arguments, got '{match.group(2)}'"
        )
    if kind in ("uniform",) and not args[0] < args[1]:
        raise GameFileError(f"uniform(a, b) needs a < b, got {text}")
    if kind in ("normal", "lognormal") and not args[1] > 0:
        raise GameFileError(f"{kind}(mu, sigma) needs sigma > 0, got {text}")
    if kind == "triangular" and not (args[0] <= args[1] <= args[2] and args[0] < args[2]):
        raise GameFileError(f"triangular(a, m, b) needs a <= m <= b and a < b, got {text}")
    return kind, args

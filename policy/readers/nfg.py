"""Gambit strategic-form game files (``.nfg``) ↔ :class:`~policy.spec.GameSpec`.

Where this sits in the data flow: one of the readers of :mod:`policy.readers`.
:mod:`policy.loader` reads a file's text and passes a ``.nfg`` (or any text starting
with ``NFG``) to :func:`parse_nfg`; :func:`to_nfg` writes a spec back (``policy
export --to nfg``).

Gambit's ``.nfg`` format comes in two versions, and both are read:

*payoff version*
    ``NFG 1 R "title" { "P1" "P2" } { 3 2 }`` (strategy counts) or
    ``{ { "a" "b" "c" } { "x" "y" } }`` (strategy names), an optional comment
    string, then every player's payoff for every pure profile.
*outcome version*
    the same prologue, then a list of outcomes ``{ { "name" 1, 2 } ... }`` and one
    outcome number per profile; outcome ``0`` is the null outcome (all payoffs 0).

In both versions profiles are listed with the **first** player's strategy changing
**fastest** (like an odometer read right to left). :class:`GameSpec` stores them in
``itertools.product`` order, first player **slowest**, so the reader and the writer
convert between the two. The format is documented in Gambit's manual ("Game
representation formats"); the tokens follow Gambit's own reader
(``src/games/file.cc``): whitespace is insignificant, labels are double-quoted with
``\\"`` for an embedded quote, numbers are integers, decimals (``0.1``, ``-2.5e3``)
or fractions (``3/2``), all exact. As in Gambit, either form of the strategy list may
go with either body: a ``{`` after the prologue starts an outcome list, a number
starts the payoffs. Commas may separate an outcome's payoffs (a trailing one too) but
not the payoffs of the payoff version. The writer replaces ``\\`` in the title and
comment with ``/``, because Gambit's reader keeps ``\\\\`` as two backslashes and
cannot read a label that ends in one.

A file is untrusted input: a small hand-written tokenizer reads it (nothing is
evaluated), sizes are checked against :class:`~policy.spec.FileLimits`, and
every problem is one :class:`~policy.errors.GameFileError` naming the file, the
line of the offending token and the field.

Labels are arbitrary text in ``.nfg`` files. Player and strategy names never
appear in expressions, so a label is kept as written (``"Player 1"``, ``"1"``,
``"enter market"``) when :func:`is_display_name` accepts it and it is not taken;
otherwise it is converted: characters other than ASCII letters, digits and ``_``
become ``_``; an empty label becomes ``p_<k>`` / ``s_<k>`` (its 1-based
position); a label starting with a digit or equal to a reserved name gets the
prefix ``p_`` (players) or ``s_`` (strategies); repeated names get ``_2``, ``_3``
…. A player's original label is kept in :attr:`Player.description`.

Examples
--------
>>> spec = parse_nfg('''NFG 1 R "Prisoner's dilemma" { "Row" "Column" }
... { { "Cooperate" "Defect" } { "Cooperate" "Defect" } }
... 3 3   5 0   0 5   1 1
... ''', path="pd.nfg")
>>> spec.name, spec.title, spec.player_names
('pd', "Prisoner's dilemma", ('Row', 'Column'))
>>> spec.payoff(("Defect", "Cooperate"))
(5, 0)
>>> list(spec.profiles())[1], spec.payoffs[1]
(('Cooperate', 'Defect'), (0, 5))
>>> print(to_nfg(spec), end="")
NFG 1 R "Prisoner's dilemma" { "Row" "Column" }
{ { "Cooperate" "Defect" } { "Cooperate" "Defect" } }
""
<BLANKLINE>
3 3
5 0
0 5
1 1
"""

from __future__ import annotations

import hashlib
import itertools
import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Mapping

import sympy

from ..errors import ExpressionError, GameFileError, ModelError
from ..expressions import (RESERVED_NAMES, is_valid_name, number_to_expr, parse_expression,
                           substitute)
from ..limits import exceeded
from ..spec import FileLimits, GameSpec, Player, Source
from .source_text import check_text_length

__all__ = ["parse_nfg", "to_nfg"]

#: Longest identifier made from a label (longer labels are cut before de-duplication).
MAX_NAME_LENGTH = 64

_TOKEN_RE = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<lbrace>\{)
  | (?P<rbrace>\})
  | (?P<comma>,)
  | (?P<string>"[^"\\]*(?:\\.[^"\\]*)*")
  | (?P<number>[+-]?(?:[0-9]+/[0-9]+|(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)
      (?=[\s{},"]|\Z))
  | (?P<word>[^\s{},"]+)
    """,
    re.VERBOSE | re.DOTALL,
)
_ESCAPE_RE = re.compile(r'\\(["\\])')
_DIGITS_RE = re.compile(r"[0-9]+\Z")
_DESCRIBE = {"lbrace": "'{'", "rbrace": "'}'", "comma": "','"}


@dataclass(frozen=True)
class _Token:
    kind: str  # lbrace, rbrace, comma, string, number, word, end, unterminated
    text: str
    line: int

    def describe(self) -> str:
        """The token as shown in an error message."""
        if self.kind == "end":
            return "the end of the file"
        if self.kind in _DESCRIBE:
            return _DESCRIBE[self.kind]
        text = self.text if len(self.text) <= 30 else self.text[:27] + "..."
        shown = text.encode("unicode_escape", "backslashreplace").decode("ascii")
        return f"'{shown}'"


class _Lexer:
    """Tokens of an ``.nfg`` text, produced on demand (one token of look-ahead)."""

    def __init__(self, text: str, path: str) -> None:
        self.text = text
        self.path = path
        self.position = 0
        self.line = 1
        self.last_line = 1
        self._next: _Token | None = None

    def error(self, message: str, field: str | None, line: int | None = None) -> GameFileError:
        return GameFileError(message, path=self.path,
                             line=self.peek_raw().line if line is None else line, field=field)

    def peek_raw(self) -> _Token:
        if self._next is None:
            self._next = self._scan()
        return self._next

    def peek(self, field: str) -> _Token:
        """The next token; an unterminated string is reported here, in ``field``."""
        token = self.peek_raw()
        if token.kind == "unterminated":
            raise self.error("unterminated string: this '\"' has no closing quote", field)
        return token

    def take(self, field: str) -> _Token:
        token = self.peek(field)
        if token.kind != "end":
            self._next = None
        return token

    def expect(self, kind: str, field: str, what: str) -> _Token:
        """Take a token of ``kind`` or fail with 'expected <what>, found <token>'."""
        token = self.peek(field)
        if token.kind != kind:
            raise self.error(f"expected {what}, found {token.describe()}", field)
        return self.take(field)

    def _scan(self) -> _Token:
        text = self.text
        while self.position < len(text):
            match = _TOKEN_RE.match(text, self.position)
            if match is None:  # only a '"' whose string never ends gets here
                return _Token("unterminated", '"', self.line)
            kind = match.lastgroup or "word"
            value = match.group()
            line = self.line
            self.line += value.count("\n")
            self.position = match.end()
            if kind != "space":
                self.last_line = line
                return _Token(kind, value, line)
        return _Token("end", "", self.last_line)


def _unquote(token: _Token) -> str:
    r"""The text of a quoted label: ``\"`` is a quote, ``\\`` a backslash.

    >>> _unquote(_Token("string", r'"say \"hi\" \\ or \n"', 1))
    'say "hi" \\ or \\n'
    """
    return _ESCAPE_RE.sub(r"\1", token.text[1:-1])


_DISPLAY_NAME_RE = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_ '()+\-]*[A-Za-z0-9_')])?\Z")


def is_display_name(label: str) -> bool:
    """Whether a Gambit label can be kept as written as a player or strategy name.

    Player and strategy names never appear in expressions, so they need not be
    identifiers; they must only be unambiguous in ``--target PLAYER=STRATEGY``,
    in field paths (``payoffs.a.b``) and in printed profiles: ASCII letters,
    digits, ``_``, inner spaces, ``'``, ``(``, ``)``, ``+`` and ``-``, no leading
    or trailing space, at most ``MAX_NAME_LENGTH`` characters.

    >>> is_display_name("Player 1"), is_display_name("2"), is_display_name("a=b")
    (True, True, False)
    """
    return (isinstance(label, str) and len(label) <= MAX_NAME_LENGTH
            and bool(_DISPLAY_NAME_RE.match(label)))


def _identifier(label: str, prefix: str, position: int, taken: set[str]) -> str:
    """A valid, unused name for ``label`` (added to ``taken``).

    >>> taken = set()
    >>> [_identifier(s, "s_", k, taken) for k, s in enumerate(
    ...     ["Player 1", "", "2", "max", "Player 1", "lévy", " x"], 1)]
    ['Player 1', 's_2', '2', 'max', 'Player_1', 'l_vy', 'x']
    """
    if is_display_name(label) and label not in taken:
        taken.add(label)
        return label
    name = re.sub(r"[^A-Za-z0-9_]", "_", label.strip())
    if not name:
        name = f"{prefix}{position}"
    elif name[0] in "0123456789" or name in RESERVED_NAMES:
        name = prefix + name
    name = name[:MAX_NAME_LENGTH]
    if not is_valid_name(name):  # pragma: no cover - defensive; the rules above suffice
        name = f"{prefix}{position}"
    candidate, counter = name, 2
    while candidate in taken:
        candidate, counter = f"{name}_{counter}", counter + 1
    taken.add(candidate)
    return candidate


def _game_name(path: str) -> str:
    """The game's name from the file stem, as letters, digits, ``_``, ``.`` and ``-``.

    >>> [_game_name(p) for p in ("contrib/games/2x2x2-nau.nfg", "<string>", "my game!.nfg")]
    ['2x2x2-nau', 'game', 'my_game']
    """
    if path == "<string>":
        return "game"
    stem = re.sub(r"[^A-Za-z0-9_.-]", "_", Path(path).stem)
    return stem.strip("_.-")[:80] or "game"


class _Parser:
    """Recursive-descent reader of one ``.nfg`` text, following Gambit's grammar."""

    def __init__(self, text: str, path: str, limits: FileLimits) -> None:
        self.lexer = _Lexer(text, path)
        self.path = path
        self.limits = limits
        self.numbers: dict[str, sympy.Rational] = {}
        self.lines: dict[str, int] = {}

    # -- small helpers ---------------------------------------------------------------
    def number(self, field: str, what: str) -> sympy.Rational:
        token = self.lexer.peek(field)
        if token.kind != "number":
            raise self.lexer.error(f"expected {what}, found {token.describe()}", field)
        self.lexer.take(field)
        cached = self.numbers.get(token.text)
        if cached is not None:
            return cached
        value = self.convert(token, field)
        if len(self.numbers) < 100_000:
            self.numbers[token.text] = value
        return value

    def convert(self, token: _Token, field: str) -> sympy.Rational:
        text = token.text
        numerator, slash, denominator = text.partition("/")
        max_digits = self.limits.expressions.max_digits
        if slash:
            digits = max(len(numerator.lstrip("+-")), len(denominator))
            if digits > max_digits:
                raise self.lexer.error(f"number {text[:20]}… has {digits} digits; at most "
                                       f"{max_digits} are allowed ({exceeded('number_digits')})",
                                       field, token.line)
            if int(denominator) == 0:
                raise self.lexer.error(f"division by zero in '{text}'; a fraction needs a non-zero "
                                       "denominator", field, token.line)
            return sympy.Rational(int(numerator), int(denominator))
        try:
            return number_to_expr(text, self.limits.expressions)
        except ExpressionError as err:
            raise self.lexer.error(err.message, field, token.line) from None

    def count(self, field: str, what: str) -> tuple[int, _Token]:
        """A non-negative whole number written as plain digits (strategy count, outcome)."""
        token = self.lexer.peek(field)
        if token.kind != "number" or not _DIGITS_RE.match(token.text):
            raise self.lexer.error(f"expected {what}, found {token.describe()}", field)
        self.lexer.take(field)
        digits = token.text.lstrip("0") or "0"
        return (int(digits) if len(digits) <= 12 else 10**12), token

    # -- the file --------------------------------------------------------------------
    def parse(self) -> tuple[str, str, list[tuple[str, int]], list[list[str]], list[tuple]]:
        title = self.header()
        players = self.player_labels()
        strategies = self.strategy_labels(players)
        comment = ""
        token = self.lexer.peek("description")
        if token.kind == "string":
            self.lexer.take("description")
            comment = _unquote(token)
            self.lines["description"] = token.line
        shape = [len(s) for s in strategies]
        token = self.lexer.peek("payoffs")
        self.lines["payoffs"] = token.line
        if token.kind == "lbrace":
            table = self.outcome_body(shape)
        elif token.kind == "number":
            table = self.payoff_body(shape)
        else:
            raise self.lexer.error(
                "expected the payoffs (numbers) or the outcome list ('{') after the "
                f"strategies, found {token.describe()}", "payoffs")
        return title, comment, players, strategies, table

    def header(self) -> str:
        token = self.lexer.peek("header")
        if token.kind == "end":
            raise self.lexer.error("the file is empty; a Gambit strategic game starts with "
                                   "'NFG 1 R \"title\"'", "header")
        if token.kind != "word" or token.text != "NFG":
            raise self.lexer.error("not a Gambit strategic-form (.nfg) file: expected 'NFG 1 R' "
                                   f"at the start, found {token.describe()}", "header")
        self.lexer.take("header")
        token = self.lexer.take("header")
        if token.kind == "number" and token.text != "1":
            raise self.lexer.error(f"NFG version {token.describe()} is not supported; only "
                                   "version 1 exists", "header", token.line)
        if token.text != "1":
            raise self.lexer.error(f"expected the version 1 after 'NFG', found "
                                   f"{token.describe()}", "header", token.line)
        token = self.lexer.take("header")
        if token.kind != "word" or token.text not in ("R", "D"):
            raise self.lexer.error(f"expected 'R' (or 'D') after 'NFG 1', found "
                                   f"{token.describe()}", "header", token.line)
        token = self.lexer.expect("string", "title", "the game title (a quoted string)")
        self.lines["title"] = token.line
        return _unquote(token)

    def player_labels(self) -> list[tuple[str, int]]:
        start = self.lexer.expect("lbrace", "players", "'{' and the quoted player names")
        self.lines["players"] = start.line
        labels: list[tuple[str, int]] = []
        while True:
            token = self.lexer.peek("players")
            if token.kind == "rbrace":
                break
            if token.kind != "string":
                raise self.lexer.error(
                    f"expected a quoted player name or '}}', found {token.describe()}", "players")
            if len(labels) >= self.limits.max_players:
                raise self.lexer.error(f"more than {self.limits.max_players} players; at most "
                                       f"{self.limits.max_players} are allowed "
                                       f"({exceeded('players')})", "players")
            self.lexer.take("players")
            labels.append((_unquote(token), token.line))
        if len(labels) < 2:
            raise self.lexer.error(f"a game needs at least 2 players, found {len(labels)}",
                                   "players")
        self.lexer.take("players")
        return labels

    def strategy_labels(self, players: list[tuple[str, int]]) -> list[list[str]]:
        field = "strategies"
        self.lexer.expect("lbrace", field, "'{' and the strategies of each player")
        named = self.lexer.peek(field).kind == "lbrace"
        result: list[list[str]] = []
        profiles = 1
        for index, (player, _) in enumerate(players):
            token = self.lexer.peek(field)
            if token.kind == "rbrace":
                kind = "strategy lists" if named else "strategy counts"
                raise self.lexer.error(f"expected {len(players)} {kind}, one per player, found "
                                       f"{index}", field)
            if named:
                labels = self.strategy_names(player)
            else:
                count, token = self.count(field, f"the number of strategies of player '{player}' "
                                                 "(a whole number)")
                self.check_strategy_count(count, player, token.line)
                labels = [str(k) for k in range(1, count + 1)]
            profiles *= len(labels)
            if profiles > self.limits.max_profiles:
                raise self.lexer.error(
                    f"the game has more than {self.limits.max_profiles} pure profiles "
                    f"({exceeded('profiles')})", field, token.line)
            result.append(labels)
        token = self.lexer.peek(field)
        if token.kind != "rbrace":
            raise self.lexer.error(f"expected '}}' after the strategies of the {len(players)} "
                                   f"players, found {token.describe()}", field)
        self.lexer.take(field)
        return result

    def strategy_names(self, player: str) -> list[str]:
        field = "strategies"
        start = self.lexer.expect("lbrace", field, f"'{{' and the strategy names of player "
                                                   f"'{player}'")
        labels: list[str] = []
        while True:
            token = self.lexer.peek(field)
            if token.kind == "rbrace":
                break
            if token.kind != "string":
                raise self.lexer.error(f"expected a quoted strategy name of player '{player}' or "
                                       f"'}}', found {token.describe()}", field)
            self.check_strategy_count(len(labels) + 1, player, token.line)
            self.lexer.take(field)
            labels.append(_unquote(token))
        self.check_strategy_count(len(labels), player, start.line)
        self.lexer.take(field)
        return labels

    def check_strategy_count(self, count: int, player: str, line: int) -> None:
        if count == 0:
            raise self.lexer.error(f"player '{player}' has no strategies", "strategies", line)
        if count > self.limits.max_strategies:
            raise self.lexer.error(
                f"player '{player}' has more than {self.limits.max_strategies} strategies "
                f"({exceeded('strategies')})", "strategies", line)

    def payoff_body(self, shape: list[int]) -> list[tuple]:
        players = len(shape)
        profiles = _product(shape)
        needed = profiles * players
        table: list[tuple] = []
        row: list[sympy.Rational] = []
        line = 0
        for k in range(needed):
            token = self.lexer.peek("payoffs")
            if token.kind == "end":
                raise self.lexer.error(
                    f"expected {needed} payoffs ({_plural(profiles, 'profile')} × {players} "
                    f"players), found {k}", "payoffs")
            if not row:
                line = token.line
            row.append(self.number("payoffs", f"a payoff (number {k + 1} of {needed})"))
            if len(row) == players:
                table.append((tuple(row), line))
                row = []
        token = self.lexer.peek("payoffs")
        if token.kind == "number":
            raise self.lexer.error(f"more than {needed} payoffs: the game has "
                                   f"{_plural(profiles, 'profile')} × {players} players", "payoffs")
        if token.kind != "end":
            raise self.lexer.error(f"unexpected {token.describe()} after the last payoff; the "
                                   "file must end there", "payoffs")
        return table

    def outcome_body(self, shape: list[int]) -> list[tuple]:
        players = len(shape)
        profiles = _product(shape)
        outcomes = self.outcome_list(players)
        zero = tuple(sympy.Integer(0) for _ in range(players))
        table: list[tuple] = []
        for k in range(1, profiles + 1):
            token = self.lexer.peek("profiles")
            if token.kind == "end":
                raise self.lexer.error(f"expected {profiles} outcome numbers (one per profile), "
                                       f"found {k - 1}", "profiles")
            number, token = self.count("profiles", f"an outcome number (0 to {len(outcomes)})")
            if number > len(outcomes):
                raise self.lexer.error(f"profile {k} refers to outcome {token.text[:20]}, but "
                                       f"the file defines {_plural(len(outcomes), 'outcome')} (0 "
                                       "means no outcome: all payoffs 0)", "profiles", token.line)
            table.append((outcomes[number - 1] if number else zero, token.line))
        token = self.lexer.peek("profiles")
        if token.kind == "number":
            raise self.lexer.error(f"more than {profiles} outcome numbers: the game has "
                                   f"{_plural(profiles, 'profile')}", "profiles")
        if token.kind != "end":
            raise self.lexer.error(f"unexpected {token.describe()} after the last outcome number; "
                                   "the file must end there", "profiles")
        return table

    def outcome_list(self, players: int) -> list[tuple]:
        self.lexer.take("outcomes")  # the '{' seen by parse()
        outcomes: list[tuple] = []
        while True:
            token = self.lexer.peek("outcomes")
            if token.kind == "rbrace":
                self.lexer.take("outcomes")
                return outcomes
            if token.kind != "lbrace":
                raise self.lexer.error("expected '{' opening an outcome or '}' closing the "
                                       f"outcome list, found {token.describe()}", "outcomes")
            if len(outcomes) >= self.limits.max_profiles:
                raise self.lexer.error(f"more than {self.limits.max_profiles} outcomes "
                                       f"({exceeded('profiles')})", "outcomes")
            self.lexer.take("outcomes")
            number = len(outcomes) + 1
            field = f"outcomes[{number}]"
            self.lexer.expect("string", field, "the outcome's name (a quoted string)")
            values: list[sympy.Rational] = []
            for index in range(players):
                token = self.lexer.peek(field)
                if token.kind == "rbrace":
                    raise self.lexer.error(f"outcome {number} has {_plural(index, 'payoff')}; "
                                           f"expected {players}, one per player", field)
                values.append(self.number(field, "a payoff (a number)"))
                if self.lexer.peek(field).kind == "comma":
                    self.lexer.take(field)
            token = self.lexer.peek(field)
            if token.kind == "number":
                raise self.lexer.error(f"outcome {number} has more than {players} payoffs; "
                                       "expected one per player", field)
            if token.kind != "rbrace":
                raise self.lexer.error(f"expected '}}' closing outcome {number}, found "
                                       f"{token.describe()}", field)
            self.lexer.take(field)
            outcomes.append(tuple(values))


def _plural(count: int, word: str) -> str:
    """``1 profile``, ``2 profiles``.

    >>> _plural(1, "outcome"), _plural(3, "outcome")
    ('1 outcome', '3 outcomes')
    """
    return f"{count} {word}{'' if count == 1 else 's'}"


def _product(numbers: list[int]) -> int:
    result = 1
    for number in numbers:
        result *= number
    return result


def parse_nfg(text: str, path: str = "<string>", sha256: str | None = None,
              limits: FileLimits | None = None) -> GameSpec:
    """Read a Gambit strategic-form game (``.nfg``, payoff or outcome version).

    Parameters
    ----------
    text : str
        The file's text.
    path : str
        Used in error messages, for :attr:`GameSpec.source` and for the game's name
        (the file stem; ``"game"`` for ``"<string>"``).
    sha256 : str, optional
        SHA-256 of the file's bytes; by default that of ``text`` encoded as UTF-8.
    limits : FileLimits
        Largest text, number of players, strategies per player and pure profiles.

    Returns
    -------
    GameSpec
        Players with identifier names (original label in ``description``),
        strategies with identifier names, exact rational payoffs in
        ``itertools.product`` order (first player slowest), the NFG title as
        ``title``, the NFG comment as ``description`` and ``Source(path, "nfg", sha256)``.

    Raises
    ------
    GameFileError
        For anything wrong with the file (the only exception it raises), naming
        the path, the line of the offending token and a field: ``header``,
        ``title``, ``players``, ``strategies``, ``description``, ``payoffs``,
        ``outcomes``, ``outcomes[k]`` (outcome *k*, counted from 1 as in the file)
        or ``profiles`` (the outcome numbers).

    Examples
    --------
    A 3x2 game in the outcome version; profiles are listed first player fastest:

    >>> spec = parse_nfg('''NFG 1 R "Selten (IJGT, 75), Figure 2, normal form"
    ... { "Player 1" "Player 2" } { { "1" "2" "3" } { "1" "2" } }
    ... { { "" 1, 1 } { "" 0, 2 } { "" 0, 2 } { "" 1, 1 } { "" 0, 3 } { "" 2, 0 } }
    ... 1 2 3 4 5 6
    ... ''')
    >>> spec.player_names, spec.players[0].description, spec.players[0].strategies
    (('Player 1', 'Player 2'), 'Player 1', ('1', '2', '3'))
    >>> spec.payoffs[:2]  # (1, 1) then (1, 2): the second player changes fastest here
    ((1, 1), (1, 1))
    >>> spec.payoff(("3", "2"))
    (2, 0)

    Numbers are exact; errors are located:

    >>> parse_nfg('NFG 1 R "t" { "A" "B" } { 1 1 } 0.1 -3/2').payoffs
    ((1/10, -3/2),)
    >>> parse_nfg('NFG 1 R "t" { "A" "B" }\\n{ 2 2 }\\n1 2 3', path="bad.nfg")
    Traceback (most recent call last):
    ...
    policy.errors.GameFileError: bad.nfg:3: payoffs: expected 8 payoffs (4 profiles × 2 players), found 3
    """
    if not isinstance(text, str):
        raise GameFileError(f"expected the file's text, got {type(text).__name__}", path=path)
    limits = limits or FileLimits()
    check_text_length(text, path, limits)
    if sha256 is None:
        sha256 = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    text = text[1:] if text.startswith("\ufeff") else text
    parser = _Parser(text, path, limits)
    title, comment, player_labels, strategy_labels, table = parser.parse()

    taken_players: set[str] = set()
    players = []
    lines = parser.lines
    for position, ((label, line), labels) in enumerate(zip(player_labels, strategy_labels), 1):
        name = _identifier(label, "p_", position, taken_players)
        taken: set[str] = set()
        strategies = tuple(_identifier(s, "s_", k, taken) for k, s in enumerate(labels, 1))
        players.append(Player(name, strategies, label))
        lines[f"players.{name}"] = line

    # NFG lists profiles with the first player's strategy changing fastest: profile
    # (c_1, ..., c_n) is entry c_1 + n_1 * (c_2 + n_2 * (c_3 + ...)). GameSpec wants
    # itertools.product order (first player slowest).
    shape = [len(p.strategies) for p in players]
    strides = [_product(shape[:i]) for i in range(len(shape))]
    payoffs = []
    for choice in itertools.product(*(range(n) for n in shape)):
        values, line = table[sum(c * s for c, s in zip(choice, strides))]
        payoffs.append(values)
        names = ".".join(p.strategies[c] for p, c in zip(players, choice))
        lines[f"payoffs.{names}"] = line
    return GameSpec(
        name=_game_name(path),
        title=title.strip(),
        description=comment.strip(),
        players=tuple(players),
        payoffs=tuple(payoffs),
        source=Source(path=path, format="nfg", sha256=sha256),
        lines=lines,
    )


# --------------------------------------------------------------------------------------
# writing
# --------------------------------------------------------------------------------------

def _quote(text: str) -> str:
    r"""A quoted label. Backslashes become ``/``: Gambit's reader mangles them.

    >>> print(_quote('say "hi" C:\\temp'))
    "say \"hi\" C:/temp"
    """
    return '"' + text.replace("\\", "/").replace('"', '\\"') + '"'


def _evaluate(expr: object, substitution: Mapping[sympy.Symbol, sympy.Expr]) -> sympy.Expr | None:
    """A payoff at the given values: an exact Rational, a Float, or None if not finite/real."""
    if isinstance(expr, bool) or not isinstance(expr, (int, Fraction, sympy.Basic)):
        return None
    if not isinstance(expr, sympy.Basic):
        return sympy.Rational(expr)
    try:
        value = substitute(expr, substitution)
    except ExpressionError:
        return None
    if value.is_Rational:
        return value
    if not value.is_number or value.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
        return None
    approx = value.evalf(30)
    if not approx.is_Float or not approx.is_finite:
        return None
    return approx


def _shown(expr: object, substitution: Mapping[sympy.Symbol, sympy.Expr]) -> str:
    """A payoff at the given values for an error message, or why it has no value there."""
    if not isinstance(expr, sympy.Basic):
        return repr(expr)
    try:
        return str(substitute(expr, substitution))
    except ExpressionError as err:
        return f"{expr} ({err.message})"


def _format_number(value: sympy.Expr) -> str:
    """An exact rational as ``p/q`` (integers plainly), anything else to 17 digits.

    >>> [_format_number(v) for v in (sympy.Integer(-3), sympy.Rational(3, 2), sympy.sqrt(2))]
    ['-3', '3/2', '1.4142135623730950']
    """
    if value.is_Integer:
        return str(int(value))
    if value.is_Rational:
        return f"{value.p}/{value.q}"
    return format(Decimal(str(sympy.Float(value.evalf(30), 30))), ".17g").replace("E", "e")


def _as_number(name: str, value: object) -> sympy.Expr:
    """A value given for a parameter or control, as an exact sympy number if possible."""
    if isinstance(value, bool):
        raise ModelError(f"value of '{name}' must be a number, got {value}")
    if isinstance(value, int):
        return sympy.Integer(value)
    if isinstance(value, Fraction):
        return sympy.Rational(value.numerator, value.denominator)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ModelError(f"value of '{name}' must be finite, got {value}")
        return number_to_expr(repr(value))
    if isinstance(value, str):
        try:
            value = parse_expression(value, {})
        except ExpressionError as err:
            raise ModelError(f"value of '{name}': {err.message}") from None
    if isinstance(value, sympy.Basic) and value.is_number and value.is_real:
        return value
    raise ModelError(f"value of '{name}' must be a real number, got {value!r}")


def to_nfg(spec: GameSpec, values: Mapping[str, sympy.Expr] | None = None) -> str:
    """Write a game as a Gambit ``.nfg`` file (payoff version, with strategy names).

    Parameters
    ----------
    spec : GameSpec
        The game. Player and strategy names are written as labels, the title is
        ``spec.title`` (or ``spec.name``), the comment is ``spec.description``.
    values : mapping of str to number, optional
        Values of declared parameters and controls (sympy numbers, ints,
        fractions, floats or numeric text such as ``"1/3"``); every name not given
        takes its ``Parameter.value`` / ``Control.value``.

    Returns
    -------
    str
        The file: one line per pure profile in NFG order (first player fastest),
        exact rationals as ``p/q``, integers plainly, irrational values as decimals
        with 17 significant digits. Deterministic; ends with a newline.

    Raises
    ------
    ModelError
        When a parameter has no value (naming it), a name in ``values`` is not
        declared, or a payoff is not a finite real number at these values.

    Examples
    --------
    >>> from policy.spec import Parameter, Player, make_symbol
    >>> f, c = make_symbol("f"), make_symbol("c")
    >>> spec = GameSpec(name="game", title="Inspection",
    ...     parameters=(Parameter("f", sympy.Rational(3, 2)), Parameter("c", None)),
    ...     players=(Player("regulator", ("inspect", "trust")), Player("firm", ("comply", "cheat"))),
    ...     payoffs=((-c, 0), (f - c, -f), (0, 0), (-1, 1)))
    >>> print(to_nfg(spec, {"c": sympy.Rational(1, 4)}), end="")
    NFG 1 R "Inspection" { "regulator" "firm" }
    { { "inspect" "trust" } { "comply" "cheat" } }
    ""
    <BLANKLINE>
    -1/4 0
    0 0
    5/4 -3/2
    -1 1
    >>> to_nfg(spec)
    Traceback (most recent call last):
    ...
    policy.errors.ModelError: parameter 'c' of game has no value; give one in the file or with --set c=…
    """
    given = dict(values or {})
    declared = [item.name for item in (*spec.parameters, *spec.controls)]
    for name in given:
        if name not in declared:
            raise ModelError(f"'{name}' is not a parameter or control of {spec.name}; declared: "
                             f"{', '.join(declared) or '(none)'}")
    symbols = spec.symbols
    substitution: dict[sympy.Symbol, sympy.Expr] = {}
    for item in (*spec.parameters, *spec.controls):
        value = given.get(item.name, item.value)
        if value is None:
            raise ModelError(f"parameter '{item.name}' of {spec.name} has no value; give one in "
                             f"the file or with --set {item.name}=…")
        substitution[symbols[item.name]] = _as_number(item.name, value)

    shape = spec.shape
    rows = []
    # NFG order: the first player's strategy changes fastest.
    for reversed_choice in itertools.product(*(range(n) for n in reversed(shape))):
        choice = reversed_choice[::-1]
        index = 0
        for n, c in zip(shape, choice):
            index = index * n + c
        texts = []
        for player, expr in zip(spec.players, spec.payoffs[index]):
            value = _evaluate(expr, substitution)
            if value is None:
                profile = ", ".join(p.strategies[c] for p, c in zip(spec.players, choice))
                raise ModelError(f"payoff of {player.name} at ({profile}) is "
                                 f"{_shown(expr, substitution)}, not a finite real number, at "
                                 "these values")
            texts.append(_format_number(value))
        rows.append(" ".join(texts))
    players = " ".join(_quote(p.name) for p in spec.players)
    strategies = " ".join("{ " + " ".join(_quote(s) for s in p.strategies) + " }"
                          for p in spec.players)
    return (f"NFG 1 R {_quote(spec.title or spec.name)} {{ {players} }}\n"
            f"{{ {strategies} }}\n"
            f"{_quote(spec.description)}\n\n"
            + "\n".join(rows) + "\n")

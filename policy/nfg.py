"""Gambit strategic-form files (``.nfg``) ↔ :class:`GameSpec`.

Both versions of the format are read: the *payoff* version (payoffs listed
profile by profile) and the *outcome* version (a list of named outcomes, then
one outcome number per profile, 0 meaning all-zero payoffs). In both, profiles
are listed with the **first** player's strategy changing fastest; ``GameSpec``
orders them the other way round (first player slowest), so indices are
converted. Labels become identifiers (``"Player 1"`` → ``Player_1``,
``"1"`` → ``s_1``); numbers are exact (``0.1`` → 1/10, ``3/2``).

Examples
--------
>>> spec = parse_nfg('NFG 1 R "PD" { "Row" "Col" } { 2 2 }\\n3 3 5 0 0 5 1 1\\n')
>>> spec.player_names, spec.players[0].strategies
(('Row', 'Col'), ('s_1', 's_2'))
>>> spec.payoff(("s_2", "s_1"))
(5, 0)
>>> print(to_nfg(spec).splitlines()[0])
NFG 1 R "PD" { "Row" "Col" } { { "s_1" "s_2" } { "s_1" "s_2" } }
"""

from __future__ import annotations

import hashlib
import itertools
import re
from pathlib import Path
from typing import Mapping

import sympy

from .errors import ExpressionError, GameFileError, ModelError
from .expressions import is_valid_name, number_to_expr
from .gamefile import DEFAULT_FILE_LIMITS, FileLimits, GameSpec, Player, Source

__all__ = ["parse_nfg", "to_nfg"]

_TOKEN_RE = re.compile(r'\s*(?:(?P<string>"(?:[^"\\]|\\.)*")|(?P<brace>[{}])|(?P<comma>,)'
                       r'|(?P<number>[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?(?:/\d+)?)'
                       r'|(?P<word>[A-Za-z]+))')


class _Tokens:
    def __init__(self, text: str, path: str) -> None:
        self.path = path
        self.items: list[tuple[str, str, int]] = []
        position, line = 0, 1
        while True:
            match = _TOKEN_RE.match(text, position)
            if match is None:
                rest = text[position:]
                if rest.strip():
                    line += rest[: len(rest) - len(rest.lstrip())].count("\n")
                    bad = rest.strip()[:20]
                    raise GameFileError(f"unexpected text '{bad}'", path=path, line=line)
                break
            line += text[position:match.start(match.lastgroup)].count("\n")
            kind = match.lastgroup
            value = match.group(kind)
            self.items.append((kind, value, line))
            line += value.count("\n")
            position = match.end()
        self.index = 0

    def peek(self) -> tuple[str, str, int]:
        if self.index < len(self.items):
            return self.items[self.index]
        last = self.items[-1][2] if self.items else 1
        return ("end", "", last)

    def take(self, kind: str, field: str) -> str:
        token = self.peek()
        if token[0] != kind:
            found = "the end of the file" if token[0] == "end" else f"'{token[1][:20]}'"
            raise GameFileError(f"expected {kind}, found {found}", path=self.path,
                                line=token[2], field=field)
        self.index += 1
        return token[1]

    def error(self, message: str, field: str) -> GameFileError:
        return GameFileError(message, path=self.path, line=self.peek()[2], field=field)


def _unquote(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text[1:-1])


def _identifier(label: str, prefix: str, taken: set[str]) -> str:
    name = re.sub(r"[^A-Za-z0-9_]", "_", label.strip())
    if not name or not is_valid_name(name):
        name = f"{prefix}{name}"
    if not is_valid_name(name):
        name = f"{prefix}x"
    candidate, counter = name, 2
    while candidate in taken:
        candidate, counter = f"{name}_{counter}", counter + 1
    taken.add(candidate)
    return candidate


def _number(tokens: _Tokens, field: str, limits: FileLimits) -> sympy.Expr:
    text = tokens.take("number", field)
    numerator, _, denominator = text.partition("/")
    try:
        value = number_to_expr(numerator.lstrip("+"), limits.expressions)
        if denominator:
            if int(denominator) == 0:
                raise tokens.error("division by zero", field)
            value = value / number_to_expr(denominator, limits.expressions)
    except ExpressionError as err:
        raise tokens.error(err.message, field) from None
    return value


def parse_nfg(text: str, path: str = "<string>", sha256: str | None = None,
              limits: FileLimits = DEFAULT_FILE_LIMITS) -> GameSpec:
    """Read a Gambit ``.nfg`` file (payoff or outcome version) into a GameSpec."""
    tokens = _Tokens(text, path)
    if tokens.peek()[1] != "NFG":
        raise GameFileError("not a Gambit strategic-form file: it must start with 'NFG 1 R'",
                            path=path, line=1)
    tokens.take("word", "header")
    if tokens.take("number", "header") != "1":
        raise tokens.error("only version 1 of the NFG format is supported", "header")
    if tokens.take("word", "header") not in ("R", "D"):
        raise tokens.error("expected 'R' or 'D' after the version", "header")
    title = _unquote(tokens.take("string", "title"))
    tokens.take("brace", "players")
    player_labels = []
    while tokens.peek()[0] == "string":
        player_labels.append(_unquote(tokens.take("string", "players")))
    if tokens.take("brace", "players") != "}":
        raise tokens.error("expected '}' after the player names", "players")
    if len(player_labels) < 2:
        raise tokens.error(f"a game needs at least 2 players, found {len(player_labels)}", "players")
    if len(player_labels) > limits.max_players:
        raise tokens.error(f"{len(player_labels)} players; at most {limits.max_players}", "players")
    tokens.take("brace", "strategies")
    strategy_labels: list[list[str]] = []
    outcome_version = tokens.peek()[0] == "brace"
    for index in range(len(player_labels)):
        field = f"strategies[{index}]"
        if outcome_version:
            if tokens.take("brace", field) != "{":
                raise tokens.error("expected '{' opening a list of strategy names", field)
            labels = []
            while tokens.peek()[0] == "string":
                labels.append(_unquote(tokens.take("string", field)))
            tokens.take("brace", field)
        else:
            count = _number(tokens, field, limits)
            if not count.is_Integer or not 1 <= count <= limits.max_strategies:
                raise tokens.error(f"strategy count {count} must be a whole number from 1 to "
                                   f"{limits.max_strategies}", field)
            labels = [str(k + 1) for k in range(int(count))]
        if not labels or len(labels) > limits.max_strategies:
            raise tokens.error(f"player {index + 1} needs 1 to {limits.max_strategies} strategies",
                               field)
        strategy_labels.append(labels)
    if tokens.take("brace", "strategies") != "}":
        raise tokens.error("expected '}' closing the strategy lists", "strategies")
    shape = [len(s) for s in strategy_labels]
    profiles = 1
    for k in shape:
        profiles *= k
    if profiles > limits.max_profiles:
        raise tokens.error(f"the game has {profiles} pure profiles; at most {limits.max_profiles}",
                           "strategies")
    if tokens.peek()[0] == "string":
        tokens.take("string", "comment")
    n = len(shape)
    payoffs_nfg_order: list[tuple[sympy.Expr, ...]] = []
    if tokens.peek()[0] == "brace":  # outcome version
        tokens.take("brace", "outcomes")
        outcomes: list[tuple[sympy.Expr, ...]] = []
        while tokens.peek() == ("brace", "{", tokens.peek()[2]):
            field = f"outcomes[{len(outcomes) + 1}]"
            tokens.take("brace", field)
            tokens.take("string", field)
            values = []
            while tokens.peek()[0] in ("number", "comma"):
                if tokens.peek()[0] == "comma":
                    tokens.take("comma", field)
                    continue
                values.append(_number(tokens, field, limits))
            if len(values) != n:
                raise tokens.error(f"an outcome needs {n} payoffs, found {len(values)}", field)
            if tokens.take("brace", field) != "}":
                raise tokens.error("expected '}' closing the outcome", field)
            outcomes.append(tuple(values))
        tokens.take("brace", "outcomes")
        for k in range(profiles):
            field = f"profile {k + 1}"
            index = _number(tokens, field, limits)
            if not index.is_Integer or not 0 <= index <= len(outcomes):
                raise tokens.error(f"outcome number {index} is not between 0 and {len(outcomes)}",
                                   field)
            payoffs_nfg_order.append(outcomes[int(index) - 1] if index else
                                     tuple(sympy.Integer(0) for _ in range(n)))
    else:
        numbers = []
        while tokens.peek()[0] == "number":
            numbers.append(_number(tokens, "payoffs", limits))
        if tokens.peek()[0] != "end":
            raise tokens.error(f"unexpected '{tokens.peek()[1][:20]}' among the payoffs; "
                               "expected numbers", "payoffs")
        if len(numbers) != profiles * n:
            raise tokens.error(f"expected {profiles * n} payoffs ({profiles} profiles × {n} players), "
                               f"found {len(numbers)}", "payoffs")
        payoffs_nfg_order = [tuple(numbers[k * n:(k + 1) * n]) for k in range(profiles)]
    if tokens.peek()[0] != "end":
        raise tokens.error(f"unexpected '{tokens.peek()[1][:20]}' after the payoffs", "payoffs")
    taken_players: set[str] = set()
    players = []
    for label, strategies in zip(player_labels, strategy_labels):
        taken: set[str] = set()
        players.append(Player(_identifier(label, "p_", taken_players),
                              tuple(_identifier(s, "s_", taken) for s in strategies), label))
    # NFG lists profiles with the first player fastest; GameSpec wants it slowest.
    payoffs = []
    for profile in itertools.product(*(range(k) for k in shape)):
        index, stride = 0, 1
        for player, choice in enumerate(profile):
            index += choice * stride
            stride *= shape[player]
        payoffs.append(payoffs_nfg_order[index])
    stem = re.sub(r"[^A-Za-z0-9_.-]", "_", Path(path).stem) if path != "<string>" else "game"
    return GameSpec(
        name=stem.lstrip("_.-") or "game", players=tuple(players), payoffs=tuple(payoffs),
        title=title,
        source=Source(path, "nfg", sha256 or hashlib.sha256(text.encode()).hexdigest()))


def _number_text(value: sympy.Expr) -> str:
    if value.is_Rational:
        return str(value)
    return format(float(value.evalf(20)), ".17g")


def to_nfg(spec: GameSpec, values: Mapping[str, sympy.Expr] | None = None) -> str:
    """The game as a Gambit ``.nfg`` file (payoff version) at the given values."""
    substitution = {}
    for item in (*spec.parameters, *spec.controls):
        value = (values or {}).get(item.name, item.value)
        if value is None:
            raise ModelError(f"parameter '{item.name}' has no value; give one with --set "
                             f"{item.name}=…")
        substitution[item.symbol] = sympy.sympify(value)

    def quote(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    players = " ".join(quote(p.name) for p in spec.players)
    strategies = " ".join("{ " + " ".join(quote(s) for s in p.strategies) + " }"
                          for p in spec.players)
    shape = spec.shape
    numbers = []
    # NFG order: first player's strategy changes fastest
    for reversed_profile in itertools.product(*(range(k) for k in reversed(shape))):
        profile = tuple(reversed(reversed_profile))
        index = 0
        for player, choice in enumerate(profile):
            index = index * shape[player] + choice
        for expr in spec.payoffs[index]:
            value = expr.xreplace(substitution)
            if not value.is_number:
                raise ModelError(f"payoff {expr} does not evaluate to a number")
            numbers.append(_number_text(value))
    title = spec.title or spec.name
    return (f"NFG 1 R {quote(title)} {{ {players} }} {{ {strategies} }}\n\n"
            + " ".join(numbers) + "\n")

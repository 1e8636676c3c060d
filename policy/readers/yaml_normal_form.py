"""YAML normal-form game files → :class:`~policy.spec.GameSpec`: parsing and validation only.

Where this sits in the data flow: one of the readers of :mod:`policy.readers`.
:mod:`policy.loader` reads a file's text (:mod:`policy.readers.source_text`) and
passes it to :func:`load_game_text`, which returns a :class:`~policy.spec.GameSpec`
for :mod:`policy.symbolic`. The small texts inside a file (relations, ``dist:``,
``vary:`` axes) are parsed by :mod:`policy.syntax`, as on the command line.

A game file is untrusted input. It is read as UTF-8 text of bounded size, parsed
by PyYAML's safe composer (no Python objects), walked with a node budget (so YAML
anchor bombs cannot expand), and every scalar that holds maths goes through the
whitelist parser in :mod:`policy.expressions`. Every error names the file, the
line and the field.

The YAML shape (see ``docs/game-files.md`` and ``policy new``)::

    name: inspection
    title: Regulator inspects a platform
    parameters:
      g: {value: 4, description: gain from a violation, range: [0, 10], positive: true}
      f: {value: 10, description: fine when caught}
      c: {value: 1, description: cost of one inspection}
    assumptions: ["g < f"]
    controls:
      subsidy: {value: 0, bounds: [0, 5], cost: 1}
    players:
      regulator: [inspect, trust]
      platform: [comply, violate]
    leader: regulator
    payoffs:
      inspect:
        comply:  [-c, subsidy]
        violate: [f - c, -f]
      trust:
        comply:  [0, subsidy]
        violate: [-g, g]

Examples
--------
>>> spec = load_game_text('''
... players: {row: [up, down], column: [left, right]}
... payoffs:
...   up: {left: [1, 1], right: [0, 0]}
...   down: {left: [0, 0], right: ["1/2", "1/2"]}
... ''', path="coordination.yaml")
>>> spec.name, spec.player_names, spec.payoff(("down", "right"))
('coordination', ('row', 'column'), (1/2, 1/2))
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any, Iterator, Mapping

import sympy
import yaml

from ..errors import ExpressionError, GameFileError
from ..expressions import DecimalFloat, is_valid_name, parse_scalar
from ..limits import exceeded, limit
from ..spec import (CONTROL_TYPES, Control, Distribution, FileLimits, GameSpec, Parameter, Player,
                    Source, control_value_problem, make_symbol, parameter_value_problem)
from ..syntax import parse_relation, split_axis
from .source_text import check_text_length, line_at

__all__ = ["load_game_text", "read_yaml_document", "SpecBuilder", "TOP_LEVEL_KEYS", "PARAMETER_KEYS", "CONTROL_KEYS"]

TOP_LEVEL_KEYS = (
    "name", "title", "description", "claim", "references", "parameters", "assumptions",
    "controls", "players", "leader", "payoffs", "objective", "target", "budget", "vary",
)
PARAMETER_KEYS = ("value", "description", "range", "positive", "dist", "unit")
CONTROL_KEYS = ("value", "description", "bounds", "cost", "fixed_cost", "type", "unit")
_GAME_NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*\Z")


# --------------------------------------------------------------------------------------
# YAML → plain data with line numbers
# --------------------------------------------------------------------------------------

class _Tree:
    """Plain Python data from a YAML node graph, with a line for every field path."""

    def __init__(self, path: str, limits: FileLimits) -> None:
        self.path = path
        self.limits = limits
        self.lines: dict[str, int] = {}
        self._loader = yaml.SafeLoader("")

    def error(self, message: str, field_path: str | None, line: int | None = None) -> GameFileError:
        parent = field_path
        while line is None and parent is not None:
            # A synthetic field (e.g. 'parameters.g.value' for 'g: 1') has no line of
            # its own: use the line of the nearest enclosing field instead.
            line = self.lines.get(parent)
            shorter = re.sub(r"(\[\d+\]|\.[^.\[\]]*)\Z", "", parent)
            parent = shorter if shorter != parent else None
        return GameFileError(message, path=self.path, line=line, field=field_path or None)

    def check_size(self, root: yaml.Node) -> None:
        """Refuse a node graph that expands to more than ``max_nodes`` nodes.

        Counted on the graph (each distinct node once, its expanded size memoised), so
        an anchor bomb is refused at once rather than after walking half a million nodes.
        """
        sizes: dict[int, int] = {}

        def size(node: yaml.Node) -> int:
            known = sizes.get(id(node))
            if known is not None:
                return known
            total = 1
            children = node.value if isinstance(node, yaml.SequenceNode) else (
                [part for pair in node.value for part in pair]
                if isinstance(node, yaml.MappingNode) else [])
            for child in children:
                total += size(child)
                if total > self.limits.max_nodes:
                    raise self.error(
                        f"file expands to more than {self.limits.max_nodes} YAML nodes "
                        f"(anchors/aliases?); simplify it or {exceeded('yaml_nodes')}",
                        None, child.start_mark.line + 1)
            sizes[id(node)] = total
            return total

        size(root)

    def convert(self, node: yaml.Node, field_path: str) -> Any:
        self.lines.setdefault(field_path, node.start_mark.line + 1)
        if node.tag not in _PLAIN_TAGS:
            raise self.error(f"unsupported YAML tag '{node.tag}'; only plain text, numbers, "
                             "true/false, lists and mappings are allowed", field_path,
                             node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise self.error("a mapping key is a list or mapping; keys must be plain names",
                                     field_path,
                                     key_node.start_mark.line + 1)
                key = key_node.value  # raw text: 'no'/'off' stay names, not booleans
                child = f"{field_path}.{key}" if field_path else key
                if key in result:
                    raise self.error(f"duplicate key '{key}'; each key may appear once", child, key_node.start_mark.line + 1)
                self.lines[child] = key_node.start_mark.line + 1
                result[key] = self.convert(value_node, child)
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, f"{field_path}[{i}]") for i, item in enumerate(node.value)]
        if node.tag == "tag:yaml.org,2002:str" or node.style in ("'", '"'):
            return _Raw(node.value)
        if node.tag == "tag:yaml.org,2002:bool" and node.value.lower() not in ("true", "false"):
            return _Raw(node.value)  # YAML 1.1 yes/no/on/off: a name (e.g. a strategy 'no')
        digits = sum(ch.isdigit() for ch in node.value.lower().partition("e")[0])
        if node.tag in _NUMBER_TAGS and digits > self.limits.expressions.max_digits:
            raise self.error(f"number {node.value[:20]}… has {digits} digits; at most "
                             f"{self.limits.expressions.max_digits} are allowed "
                             f"({exceeded('number_digits')})", field_path, node.start_mark.line + 1)
        try:
            value = self._loader.construct_object(node)
        except (yaml.YAMLError, ValueError, AttributeError) as err:
            # PyYAML raises ValueError/AttributeError for e.g. '!!int abc', '!!timestamp abc'
            problem = (getattr(err, "problem", None)
                       or f"'{node.value[:40]}' is not a valid {node.tag.rpartition(':')[2]}")
            raise self.error(f"unsupported YAML value ({problem}); write a number, "
                             "an expression or quoted text", field_path,
                             node.start_mark.line + 1) from None
        if isinstance(value, float) and _PLAIN_DECIMAL.fullmatch(node.value):
            return DecimalFloat(node.value)  # every digit kept, not just a double's 17
        if value is None or isinstance(value, (bool, int, float)):
            return value
        raise self.error(f"unsupported YAML value of type {type(value).__name__}; write a "
                         "number, an expression or quoted text", field_path,
                         node.start_mark.line + 1)


_PLAIN_TAGS = frozenset(f"tag:yaml.org,2002:{kind}" for kind in (
    "map", "seq", "str", "int", "float", "bool", "null", "timestamp", "binary"))


#: A YAML float written as a plain decimal (``-1.25``, ``.5``, ``2.5e+3``).
_PLAIN_DECIMAL = re.compile(r"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_NUMBER_TAGS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")


class _Raw(str):
    """A YAML string scalar (kept apart from numbers and booleans)."""


_QUOTED_OR_COMMENT = re.compile(r'"(?:[^"\\]|\\.)*"|\'[^\']*\'|#[^\n]*')
_BRACKET = re.compile(r"[\[\]{}]")


def _check_nesting(text: str, path: str) -> None:
    """Refuse flow lists and mappings nested beyond the limit, before PyYAML reads them.

    PyYAML needs seconds for ``[[[[…]]]]`` thousands deep. Brackets inside quotes and
    comments are skipped; the count is a cheap upper bound of the real nesting.
    """
    deepest = limit("yaml_depth")
    stripped = _QUOTED_OR_COMMENT.sub(lambda m: "\n" * m.group().count("\n"), text)
    depth = 0
    for match in _BRACKET.finditer(stripped):
        depth += 1 if match.group() in "[{" else -1
        if depth > deepest:
            raise GameFileError(
                f"lists and mappings nested deeper than {deepest} levels "
                f"({exceeded('yaml_depth')})",
                path=path, line=line_at(stripped, match.start()))


def load_game_text(text: str, path: str = "<string>", sha256: str | None = None,
                   limits: FileLimits | None = None) -> GameSpec:
    """Validate a YAML game given as text; ``path`` is used in messages and for the name."""
    tree, data, default_name, source = read_yaml_document(text, path, sha256, limits)
    return SpecBuilder(tree, data, default_name).build(source)


def read_yaml_document(text: str, path: str = "<string>", sha256: str | None = None,
                       limits: FileLimits | None = None) -> tuple["_Tree", dict, str, Source]:
    """The checks every YAML game file passes, whatever its kind: bounded text, safe
    YAML, a node budget. Returns the tree (lines of every field), the plain data, the
    default game name and the source; a kind's builder (:class:`SpecBuilder` or a
    subclass) turns them into its specification."""
    limits = limits or FileLimits()
    check_text_length(text, path, limits)
    sha256 = sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest()
    _check_nesting(text, path)
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        raise GameFileError(
            f"invalid YAML: {err.problem or err.context}",
            path=path, line=mark.line + 1 if mark else None) from None
    except yaml.reader.ReaderError as err:
        raise GameFileError(
            f"invalid YAML: character U+{err.character:04X} is not allowed in YAML text",
            path=path, line=line_at(text, err.position)) from None
    except yaml.YAMLError as err:
        raise GameFileError(f"invalid YAML: {err}", path=path) from None
    except RecursionError:
        raise GameFileError("invalid YAML: nested too deeply", path=path) from None
    tree = _Tree(path, limits)
    if node is None:
        raise GameFileError("the file is empty; a game needs 'players' and 'payoffs'", path=path)
    try:
        tree.check_size(node)
        data = tree.convert(node, "")
    except RecursionError:
        raise GameFileError("YAML nested too deeply", path=path) from None
    if not isinstance(data, dict):
        raise GameFileError("a game file must be a mapping with 'players' and 'payoffs'",
                            path=path, line=1)
    default_name = Path(path).stem if path != "<string>" else "game"
    return tree, data, default_name, Source(path=path, format="yaml", sha256=sha256)


# --------------------------------------------------------------------------------------
# plain data → GameSpec
# --------------------------------------------------------------------------------------

class SpecBuilder:
    """Plain data with lines → a validated :class:`~policy.spec.GameSpec` (the parts every
    kind shares, :meth:`parameters`, :meth:`controls`, :meth:`assumptions` …, are reused by
    the readers of other kinds of YAML games)."""

    def __init__(self, tree: _Tree, data: dict[str, Any], default_name: str) -> None:
        self.tree = tree
        self.data = data
        self.default_name = default_name
        self.limits = tree.limits

    def fail(self, message: str, field_path: str) -> GameFileError:
        return self.tree.error(message, field_path)

    def expr(self, value: Any, field_path: str, symbols: Mapping[str, sympy.Symbol]) -> sympy.Expr:
        try:
            return parse_scalar(value, symbols, self.limits.expressions)
        except ExpressionError as err:
            raise self.fail(err.message, field_path) from err

    def number(self, value: Any, field_path: str) -> sympy.Expr:
        try:
            result = parse_scalar(value, {}, self.limits.expressions)
        except ExpressionError as err:
            if err.message.startswith("unknown symbol"):  # not "declared: (none)": g may be declared
                raise self.fail(f"expected a number, got '{value}'; names cannot be used here",
                                field_path) from err
            raise self.fail(err.message, field_path) from err
        if not (result.is_number and result.is_real):
            raise self.fail(f"expected a number, got '{value}'", field_path)
        return result

    def text(self, key: str, default: str = "") -> str:
        value = self.data.get(key, default)
        if value is None:
            return default
        if isinstance(value, (bool, int, float)) or not isinstance(value, str):
            raise self.fail(f"expected text, got {type(value).__name__}", key)
        return str(value).strip()

    def mapping(self, value: Any, field_path: str, what: str) -> dict[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self.fail(f"expected a mapping of {what}", field_path)
        return value

    def check_keys(self, value: dict[str, Any], allowed: tuple[str, ...], field_path: str) -> None:
        for key in value:
            if key not in allowed:
                where = f"{field_path}.{key}" if field_path else key
                raise self.fail(f"unknown key '{key}'; allowed: {', '.join(allowed)}", where)

    def name(self, value: Any, field_path: str, what: str) -> str:
        if not is_valid_name(value):
            raise self.fail(
                f"{what} name '{value}' is not allowed: use ASCII letters, digits and _ "
                "(not starting with a digit), and not a function name or keyword "
                "(min, max, abs, sqrt, exp, log, import, True, …)", field_path)
        return str(value)

    def pair(self, value: Any, field_path: str) -> tuple[sympy.Expr, sympy.Expr]:
        if not isinstance(value, list) or len(value) != 2:
            raise self.fail("expected a list of two numbers [low, high], e.g. [0, 10]", field_path)
        low = self.number(value[0], f"{field_path}[0]")
        high = self.number(value[1], f"{field_path}[1]")
        if not low <= high:
            raise self.fail(f"low {low} is above high {high}; write [low, high] with low <= high",
                            field_path)
        return low, high

    def build(self, source: Source) -> GameSpec:
        self.check_keys(self.data, TOP_LEVEL_KEYS, "")
        name = self.data.get("name", self.default_name)
        if not isinstance(name, str) or not _GAME_NAME_RE.match(name) or len(name) > 80:
            raise self.fail(f"game name '{str(name)[:90]}' is not allowed: use at most 80 letters, "
                            "digits, '_', '-' or '.', starting with a letter or digit", "name")
        parameters = self.parameters()
        controls = self.controls()
        seen: dict[str, str] = {}
        for kind, items in (("parameters", parameters), ("controls", controls)):
            for item in items:
                if item.name in seen:
                    raise self.fail(f"'{item.name}' is declared both as a parameter and a control; "
                                    "names must be unique, so rename one",
                                    f"{kind}.{item.name}")
                seen[item.name] = kind
        symbols = {item.name: item.symbol for item in (*parameters, *controls)}
        players = self.players()
        payoffs = self.payoffs(players, symbols)
        leader = self.data.get("leader")
        if leader is not None and leader not in [p.name for p in players]:
            raise self.fail(f"leader '{leader}' is not a player; players: "
                            + ", ".join(p.name for p in players), "leader")
        references = self.data.get("references") or []
        if not isinstance(references, list) or not all(isinstance(r, str) for r in references):
            raise self.fail("expected a list of texts, e.g. [\"Author (2020), Title\"]", "references")
        return GameSpec(
            name=str(name),
            title=self.text("title"),
            description=self.text("description"),
            claim=self.text("claim"),
            references=tuple(str(r) for r in references),
            players=players,
            payoffs=payoffs,
            parameters=parameters,
            controls=controls,
            assumptions=self.assumptions(symbols),
            leader=leader,
            objective=self.objective(players, symbols),
            target=self.target(players),
            budget=(self.number(self.data["budget"], "budget")
                    if self.data.get("budget") is not None else None),
            vary=self.vary(symbols),
            source=source,
            lines=dict(self.tree.lines),
        )

    def objective(self, players: tuple[Player, ...],
                  symbols: Mapping[str, sympy.Symbol]) -> sympy.Expr | None:
        """What a leader maximises: an expression in parameters, controls and players'
        payoffs (a player's name stands for its payoff), e.g. ``incumbent + entrant``."""
        if self.data.get("objective") is None:
            return None
        for player in players:
            if player.name in symbols:
                raise self.fail(f"player '{player.name}' has the same name as a parameter or "
                                "control, so an objective cannot refer to its payoff; rename one of them",
                                "objective")
        scope = dict(symbols)
        scope.update({p.name: make_symbol(p.name) for p in players})
        return self.expr(self.data["objective"], "objective", scope)

    def declared(self, section: str, what: str, shape: str,
                 keys: tuple[str, ...]) -> Iterator[tuple[str, str, dict[str, Any]]]:
        """Field path, name and keys of each entry of ``parameters:`` or ``controls:``
        (a bare value ``g: 1`` stands for ``g: {value: 1}``), checked one at a time."""
        for key, value in self.mapping(self.data.get(section), section, shape).items():
            where = f"{section}.{key}"
            name = self.name(key, where, what)
            if not isinstance(value, dict):
                value = {"value": value}
            self.check_keys(value, keys, where)
            yield where, name, value

    def parameters(self) -> tuple[Parameter, ...]:
        result = []
        for where, name, value in self.declared("parameters", "parameter",
                                                "parameter names to {value: …}", PARAMETER_KEYS):
            positive = value.get("positive", False)
            if not isinstance(positive, bool):
                raise self.fail("expected true or false", f"{where}.positive")
            number = (self.number(value["value"], f"{where}.value")
                      if value.get("value") is not None else None)
            span = self.pair(value["range"], f"{where}.range") if "range" in value else None
            problem = number is not None and parameter_value_problem(number, span, positive)
            if problem:
                raise self.fail(problem, f"{where}.value")
            dist = None
            if value.get("dist") is not None:
                try:
                    dist = Distribution.from_text(value["dist"])
                except GameFileError as err:
                    raise self.fail(err.message, f"{where}.dist") from err
            result.append(Parameter(name=name, value=number,
                                    description=self.plain(value, "description", where),
                                    range=span, positive=positive, distribution=dist,
                                    unit=self.plain(value, "unit", where)))
        return tuple(result)

    def plain(self, value: dict[str, Any], key: str, where: str) -> str:
        text = value.get(key, "")
        if text is None:
            return ""
        if not isinstance(text, str):
            raise self.fail(f"expected text, got {type(text).__name__}", f"{where}.{key}")
        return str(text).strip()

    def controls(self) -> tuple[Control, ...]:
        result = []
        for where, name, value in self.declared("controls", "control",
                                                "control names to {value: …, bounds: …}",
                                                CONTROL_KEYS):
            kind = value.get("type", "continuous")
            if kind not in CONTROL_TYPES:
                raise self.fail(f"unknown type '{kind}'; allowed: {', '.join(CONTROL_TYPES)}",
                                f"{where}.type")
            bounds = self.pair(value["bounds"], f"{where}.bounds") if "bounds" in value else None
            if kind == "binary":
                if bounds is not None and tuple(bounds) != (0, 1):
                    raise self.fail("a binary control has bounds [0, 1]", f"{where}.bounds")
                bounds = (sympy.Integer(0), sympy.Integer(1))
            default = bounds[0] if bounds else sympy.Integer(0)
            number = (self.number(value["value"], f"{where}.value")
                      if value.get("value") is not None else default)
            problem = control_value_problem(number, bounds, kind)
            if problem:
                raise self.fail(problem, f"{where}.value")
            result.append(Control(
                name=name, value=number, bounds=bounds,
                cost=self.number(value.get("cost", 0), f"{where}.cost"),
                fixed_cost=self.number(value.get("fixed_cost", 0), f"{where}.fixed_cost"),
                type=kind, description=self.plain(value, "description", where),
                unit=self.plain(value, "unit", where)))
        return tuple(result)

    def players(self) -> tuple[Player, ...]:
        raw = self.data.get("players")
        if raw is None:
            raise self.fail("missing 'players': a mapping of player names to strategy lists",
                            "players" if "players" in self.data else "")
        if not isinstance(raw, dict):
            raise self.fail("expected a mapping of player names to strategy lists", "players")
        if len(raw) < 2:
            raise self.fail(f"a game needs at least 2 players, found {len(raw)}", "players")
        if len(raw) > self.limits.max_players:
            raise self.fail(f"{len(raw)} players; at most {self.limits.max_players} are allowed "
                            f"({exceeded('players')})", "players")
        players = []
        profiles = 1
        for key, value in raw.items():
            where = f"players.{key}"
            name = self.name(key, where, "player")
            description = ""
            if isinstance(value, dict):
                self.check_keys(value, ("strategies", "description"), where)
                description = self.plain(value, "description", where)
                value = value.get("strategies")
                where = f"{where}.strategies"
            if not isinstance(value, list) or not value:
                raise self.fail("expected a non-empty list of strategy names", where)
            if len(value) > self.limits.max_strategies:
                raise self.fail(f"{len(value)} strategies; at most {self.limits.max_strategies} "
                                f"are allowed ({exceeded('strategies')})", where)
            strategies = []
            for index, strategy in enumerate(value):
                strategy_name = self.name(strategy if isinstance(strategy, str) else repr(strategy),
                                          f"{where}[{index}]", "strategy")
                if strategy_name in strategies:
                    raise self.fail(f"duplicate strategy '{strategy_name}'; the strategies of a player "
                                    "must have different names", f"{where}[{index}]")
                strategies.append(strategy_name)
            profiles *= len(strategies)
            if profiles > self.limits.max_profiles:
                raise self.fail(f"the game has more than {self.limits.max_profiles} pure profiles "
                                f"({exceeded('profiles')})", "players")
            players.append(Player(name, tuple(strategies), description))
        return tuple(players)

    def payoffs(self, players: tuple[Player, ...],
                symbols: Mapping[str, sympy.Symbol]) -> tuple[tuple[sympy.Expr, ...], ...]:
        raw = self.data.get("payoffs")
        if raw is None:
            example = "".join("{" + f"{p.strategies[0]}: " for p in players)
            raise self.fail(f"missing 'payoffs': a mapping nested by strategy in player order, "
                            f"e.g. payoffs: {example}[{', '.join('0' for _ in players)}]"
                            + "}" * len(players), "")
        result: list[tuple[sympy.Expr, ...]] = []

        def walk(node: Any, depth: int, where: str) -> None:
            if depth == len(players):
                if not isinstance(node, list) or len(node) != len(players):
                    if isinstance(node, list):
                        got = f"{len(node)} value" + ("" if len(node) == 1 else "s")
                    elif isinstance(node, dict):
                        got = "a mapping (nested one level too deep?)"
                    else:
                        got = f"the single value {str(node)[:40]!r}"
                    raise self.fail(f"expected a list of {len(players)} payoffs (one per player: "
                                    f"{', '.join(p.name for p in players)}), got {got}", where)
                result.append(tuple(self.expr(v, f"{where}[{i}]", symbols)
                                    for i, v in enumerate(node)))
                return
            player = players[depth]
            if not isinstance(node, dict):
                raise self.fail(f"expected a mapping from {player.name}'s strategies "
                                f"({', '.join(player.strategies)}) to payoffs", where)
            for key in node:
                if key not in player.strategies:
                    raise self.fail(f"'{key}' is not a strategy of {player.name}; strategies: "
                                    f"{', '.join(player.strategies)}", f"{where}.{key}")
            for strategy in player.strategies:
                if strategy not in node:
                    raise self.fail(f"missing {player.name}'s strategy '{strategy}'", where)
                walk(node[strategy], depth + 1, f"{where}.{strategy}")

        walk(raw, 0, "payoffs")
        return tuple(result)

    def assumptions(self, symbols: Mapping[str, sympy.Symbol]) -> tuple[sympy.Basic, ...]:
        raw = self.data.get("assumptions") or []
        if not isinstance(raw, list):
            raise self.fail("expected a list of relations such as \"g < f\"", "assumptions")
        result = []
        for index, text in enumerate(raw):
            where = f"assumptions[{index}]"
            result.append(self.relation(text, where, symbols))
        return tuple(result)

    def relation(self, text: Any, where: str, symbols: Mapping[str, sympy.Symbol]) -> sympy.Basic:
        if not isinstance(text, str):
            raise self.fail("expected a relation such as \"g < f\"", where)
        try:
            relation = parse_relation(text, symbols, self.limits.expressions)
        except GameFileError as err:
            raise self.fail(err.message, where) from err
        if relation is sympy.false:
            raise self.fail(f"assumption '{text}' is always false; an assumption must hold for "
                            "some values of the parameters", where)
        return relation

    def target(self, players: tuple[Player, ...]) -> tuple[tuple[str, str], ...]:
        raw = self.data.get("target")
        if raw is None:
            return ()
        if not isinstance(raw, dict):
            raise self.fail("expected a mapping of player names to strategies", "target")
        by_name = {p.name: p for p in players}
        result = []
        for player, strategy in raw.items():
            if player not in by_name:
                raise self.fail(f"'{player}' is not a player; players: {', '.join(by_name)}",
                                f"target.{player}")
            if strategy not in by_name[player].strategies:
                raise self.fail(f"'{strategy}' is not a strategy of {player}; strategies: "
                                f"{', '.join(by_name[player].strategies)}", f"target.{player}")
            result.append((player, str(strategy)))
        return tuple(result)


    def vary(self, symbols: Mapping[str, sympy.Symbol]) -> tuple[str, ...]:
        """The default phase-diagram axes: one or two ``name=start:stop:points``."""
        raw = self.data.get("vary")
        if raw is None:
            return ()
        if not isinstance(raw, list) or not 1 <= len(raw) <= 2:
            raise self.fail("expected a list of one or two axes, e.g. [\"a=0:5:101\"]", "vary")
        result = []
        for index, item in enumerate(raw):
            where = f"vary[{index}]"
            parts = split_axis(item)
            if parts is None:
                raise self.fail(f"'{item}': expected name=start:stop:points, e.g. a=0:5:101", where)
            name, start_text, stop_text, points = parts
            if name not in symbols:
                raise self.fail(f"'{name}' is not a parameter or control; declared: "
                                + (", ".join(symbols) or "(none)"), where)
            start, stop = (self.number(part.strip(), where) for part in (start_text, stop_text))
            if not points.strip().isdigit() or int(points) < 2 or start == stop:
                raise self.fail(f"'{item}': need start != stop and a whole number of points "
                                "(at least 2)", where)
            result.append(item.replace(" ", ""))
        return tuple(result)

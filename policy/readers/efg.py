"""Gambit extensive-form files (``.efg``) ↔ :class:`~policy.tree_spec.TreeSpec`.

Where this sits: one of the readers of :mod:`policy.readers`; :mod:`policy.loader`
sends a ``.efg`` file (or any text starting with ``EFG``) to :func:`parse_efg`, and
``policy export --to efg`` writes a tree with :func:`to_efg`.

The format (Gambit's manual, "Game representation formats"): a prologue
``EFG 2 R "title" { "Player 1" "Player 2" }`` and an optional comment string, then
one line per node in pre-order::

    p "name" player infoset "infoset name" { "action" … } outcome "outcome name" { payoffs }
    c "name" infoset "infoset name" { "action" probability … } outcome …
    t "name" outcome "outcome name" { payoffs }

An information set's name and actions may be left out after its first node; an
outcome's name and payoffs after its first use; outcome ``0`` is none. Outcomes may
sit on any node: a leaf's payoff is the sum of the outcomes along its path. Numbers
are integers, decimals or fractions, all read exactly; labels are kept as written
(player labels that could not be told apart in the output are renamed, like in
:mod:`policy.readers.nfg`). The tokens are read by the ``.nfg`` reader's lexer.
The checks of :mod:`policy.readers.tree_checks` apply: probabilities adding up to
1, the nodes of an information set offering the same actions, perfect recall
(games without it, such as Gambit's ``wichardt.efg``, are refused).

Examples
--------
>>> spec = parse_efg('''EFG 2 R "Entry" { "Entrant" "Incumbent" }
... p "" 1 1 "E" { "out" "in" } 0
... t "" 1 "Out" { 0 2 }
... p "" 2 1 "I" { "fight" "share" } 2 "bonus" { 1/2, 0 }
... t "" 3 "war" { -1.5 -1 }
... t "" 4 "peace" { 1 1 }
... ''', path="entry.efg")
>>> spec.name, spec.players, [n.kind for n in spec.nodes]
('entry', ('Entrant', 'Incumbent'), ['player', 'leaf', 'player', 'leaf', 'leaf'])
>>> spec.leaf_payoffs()[3]
(-1, -1)
>>> print(to_efg(spec), end="")
EFG 2 R "Entry" { "Entrant" "Incumbent" }
""
<BLANKLINE>
p "" 1 1 "E" { "out" "in" } 0
t "" 1 "Out" { 0, 2 }
p "" 2 1 "I" { "fight" "share" } 2 "bonus" { 1/2, 0 }
t "" 3 "war" { -3/2, -1 }
t "" 4 "peace" { 1, 1 }
"""

from __future__ import annotations

import hashlib
from typing import Mapping

import sympy

from ..errors import ExpressionError, GameFileError, ModelError
from ..expressions import substitute
from ..spec import FileLimits, Source
from ..tree_spec import Infoset, Outcome, TreeNode, TreeSpec
from .nfg import _format_number, _game_name, _identifier, _Parser, _quote, _unquote
from .source_text import check_text_length
from .tree_checks import check_perfect_recall, check_probabilities

__all__ = ["parse_efg", "to_efg"]


class _EfgParser(_Parser):
    """Reader of one ``.efg`` text (the ``.nfg`` reader's lexer and numbers)."""

    def label(self, field: str) -> str:
        return _unquote(self.lexer.expect("string", field, "a quoted label"))

    def labels(self, field: str) -> list[str]:
        self.lexer.expect("lbrace", field, "'{'")
        found = []
        while self.lexer.peek(field).kind == "string":
            found.append(self.label(field))
        self.lexer.expect("rbrace", field, "'}' or a quoted label")
        return found

    def whole(self, field: str, what: str) -> int:
        token = self.lexer.peek(field)
        if token.kind != "number" or not token.text.isdigit():
            raise self.lexer.error(f"expected {what} (a whole number), found "
                                   f"{token.describe()}", field)
        self.lexer.take(field)
        return int(token.text)

    def parse(self, source: Source) -> TreeSpec:
        lexer = self.lexer
        word = lexer.take("header")
        if word.kind != "word" or word.text != "EFG":
            raise lexer.error("an .efg file starts with 'EFG 2 R'", "header", word.line)
        version = lexer.take("header")
        if version.text != "2":
            raise lexer.error(f"unsupported .efg version {version.describe()}; only version 2 "
                              "is read", "header", version.line)
        kind = lexer.take("header")
        if kind.text not in ("R", "D"):
            raise lexer.error(f"expected R or D after 'EFG 2', found {kind.describe()}",
                              "header", kind.line)
        title = self.label("title")
        raw_players = self.labels("players")
        if not raw_players:
            raise lexer.error("a game needs at least one player", "players")
        if len(raw_players) > self.limits.max_players:
            raise lexer.error(f"{len(raw_players)} players; at most {self.limits.max_players} "
                              "are allowed", "players")
        taken: set[str] = set()
        players = tuple(_identifier(label, "p_", k, taken)
                        for k, label in enumerate(raw_players, start=1))
        comment = self.label("comment") if lexer.peek("comment").kind == "string" else ""
        nodes: list[dict] = []
        lines: list[int] = []
        infosets: list[dict] = []
        by_number: dict[tuple[int | None, int], int] = {}
        outcomes: list[Outcome] = []
        outcome_index: dict[int, int] = {}
        open_children: list[int] = []  # how many children each open node still needs

        def outcome(field: str) -> int | None:
            number = self.whole(field, "an outcome number")
            label = self.label(field) if lexer.peek(field).kind == "string" else None
            payoffs = None
            if lexer.peek(field).kind == "lbrace":
                lexer.take(field)
                payoffs = []
                while lexer.peek(field).kind in ("number", "comma"):
                    if lexer.peek(field).kind == "comma":
                        lexer.take(field)
                        continue
                    payoffs.append(self.number(field, "a payoff"))
                lexer.expect("rbrace", field, "'}' or a payoff")
                if len(payoffs) != len(players):
                    raise lexer.error(f"outcome {number} has {len(payoffs)} payoffs; expected "
                                      f"{len(players)} (one per player)", field)
            if number == 0:
                return None
            if number not in outcome_index:
                if payoffs is None:
                    raise lexer.error(f"outcome {number} is used before its payoffs are given",
                                      field)
                outcomes.append(Outcome(label or "", tuple(payoffs)))
                outcome_index[number] = len(outcomes) - 1
            elif payoffs is not None and tuple(payoffs) != outcomes[outcome_index[number]].payoffs:
                raise lexer.error(f"outcome {number} is given different payoffs here than "
                                  "before", field)
            return outcome_index[number]

        while True:
            token = lexer.peek("nodes")
            if token.kind == "end":
                break
            if nodes and not open_children:
                raise lexer.error(f"the tree is complete, but the file goes on with "
                                  f"{token.describe()}", "nodes")
            lexer.take("nodes")
            field = f"node {len(nodes) + 1}"
            if token.kind != "word" or token.text not in ("p", "c", "t"):
                raise lexer.error(f"expected a node type p, c or t, found {token.describe()}",
                                  field, token.line)
            label = self.label(field)
            record = {"kind": {"p": "player", "c": "chance", "t": "leaf"}[token.text],
                      "label": label, "infoset": None, "children": [], "outcome": None}
            if token.text == "t":
                record["outcome"] = outcome(field)
                count = 0
            else:
                player: int | None = None
                if token.text == "p":
                    player = self.whole(field, "a player number")
                    if not 1 <= player <= len(players):
                        raise lexer.error(f"player {player} does not exist; players are "
                                          f"numbered 1 to {len(players)}", field, token.line)
                    player -= 1
                number = self.whole(field, "an information set number")
                name = self.label(field) if lexer.peek(field).kind == "string" else None
                actions = probabilities = None
                if lexer.peek(field).kind == "lbrace":
                    lexer.take(field)
                    actions, probabilities = [], []
                    while lexer.peek(field).kind == "string":
                        actions.append(self.label(field))
                        if player is None:
                            probabilities.append(self.number(field, "a probability"))
                            if lexer.peek(field).kind == "comma":
                                lexer.take(field)
                    lexer.expect("rbrace", field, "'}' or a quoted action")
                    if not actions:
                        raise lexer.error("a decision needs at least one action", field)
                key = (player, number)
                if key not in by_number:
                    if actions is None:
                        raise lexer.error(f"information set {number} is used before its "
                                          "actions are given", field)
                    infosets.append({"player": player, "label": name or "",
                                     "actions": tuple(actions), "number": number,
                                     "probabilities": tuple(probabilities)
                                     if player is None else None,
                                     "node": len(nodes)})
                    by_number[key] = len(infosets) - 1
                else:
                    known = infosets[by_number[key]]
                    if actions is not None and tuple(actions) != known["actions"]:
                        raise lexer.error(
                            f"the nodes of information set {number} offer different actions: "
                            f"{', '.join(known['actions'])} at node {known['node'] + 1}, "
                            f"{', '.join(actions)} here; they must offer the same actions",
                            field, token.line)
                    if player is None and probabilities is not None and \
                            tuple(probabilities) != known["probabilities"]:
                        raise lexer.error(f"chance information set {number} is given different "
                                          "probabilities here than before", field, token.line)
                record["infoset"] = by_number[key]
                record["outcome"] = outcome(field)
                count = len(infosets[by_number[key]]["actions"])
            if open_children:
                parent = open_children[-1]
                nodes[parent]["children"].append(len(nodes))
                if len(nodes[parent]["children"]) == len(
                        infosets[nodes[parent]["infoset"]]["actions"]):
                    open_children.pop()
            nodes.append(record)
            lines.append(token.line)
            if count:
                open_children.append(len(nodes) - 1)
        if not nodes:
            raise lexer.error("the file has no nodes", "nodes")
        if open_children:
            raise lexer.error(f"the file ends before the tree is complete: node "
                              f"{open_children[-1] + 1} needs more children", "nodes")
        tree_nodes = tuple(TreeNode(n["kind"], n["label"], n["infoset"], tuple(n["children"]),
                                    n["outcome"]) for n in nodes)
        tree_infosets = tuple(Infoset(i["player"], i["label"], i["actions"], i["number"],
                                      i["probabilities"]) for i in infosets)

        def fail(message: str, node: int) -> GameFileError:
            return GameFileError(message, path=self.path, line=lines[node],
                                 field=f"node {node + 1}")

        check_probabilities(tree_infosets, fail, {k: i["node"] for k, i in enumerate(infosets)})
        check_perfect_recall(tree_nodes, tree_infosets, players, fail,
                             lambda node: f"{node + 1} (line {lines[node]})")
        return TreeSpec(name=_game_name(self.path), title=title, description=comment,
                        source=source, players=players,
                        player_labels=tuple(raw_players), infosets=tree_infosets,
                        nodes=tree_nodes, outcomes=tuple(outcomes),
                        node_fields=tuple(f"node {k + 1} (line {line})"
                                          for k, line in enumerate(lines)))


def parse_efg(text: str, path: str = "<string>", sha256: str | None = None,
              limits: FileLimits | None = None) -> TreeSpec:
    """Read a Gambit ``.efg`` text; ``path`` is used in messages and for the name."""
    limits = limits or FileLimits()
    check_text_length(text, path, limits)
    sha256 = sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest()
    return _EfgParser(text, path, limits).parse(Source(path=path, format="efg", sha256=sha256))


def _value(expr: sympy.Expr, at: Mapping[sympy.Symbol, sympy.Expr], what: str) -> str:
    try:
        value = substitute(expr, at) if expr.free_symbols else expr
    except ExpressionError as err:
        raise ModelError(f"{what}: {err.message}") from None
    if value.free_symbols or not value.is_real:
        raise ModelError(f"{what} is {value}, not a real number")
    return _format_number(value)


def to_efg(spec: TreeSpec, values: Mapping[str, sympy.Expr] | None = None) -> str:
    """The tree as a Gambit ``.efg`` text, payoffs and probabilities at ``values``
    (default: the file's values). Outcomes are numbered in order of first use."""
    defaults = {p.name: p.value for p in spec.parameters if p.value is not None}
    defaults.update({c.name: c.value for c in spec.controls})
    defaults.update(values or {})
    symbols = spec.symbols
    missing = [name for name in symbols if name not in defaults]
    if missing:
        raise ModelError(f"no value for {', '.join(missing)}; give one with --set "
                         f"{missing[0]}=…")
    at = {symbols[name]: value for name, value in defaults.items() if name in symbols}
    names = " ".join(_quote(p) for p in (spec.player_labels or spec.players))
    lines = [f"EFG 2 R {_quote(spec.title)} {{ {names} }}", _quote(spec.description), ""]
    numbers: dict[int, int] = {}

    def outcome(index: int | None) -> str:
        if index is None:
            return "0"
        # Gambit accepts the name and payoffs at every use of an outcome: always written
        numbers.setdefault(index, len(numbers) + 1)
        item = spec.outcomes[index]
        payoffs = ", ".join(_value(v, at, f"the payoff of {p}")
                            for p, v in zip(spec.players, item.payoffs))
        return f"{numbers[index]} {_quote(item.label)} {{ {payoffs} }}"

    for node in spec.nodes:
        if node.kind == "leaf":
            lines.append(f"t {_quote(node.label)} {outcome(node.outcome)}")
            continue
        infoset = spec.infosets[node.infoset]
        if node.kind == "chance":
            moves = " ".join(f"{_quote(a)} {_value(p, at, f'the probability of {a}')}"
                             for a, p in zip(infoset.actions, infoset.probabilities))
            lines.append(f"c {_quote(node.label)} {infoset.number} {_quote(infoset.label)} "
                         f"{{ {moves} }} {outcome(node.outcome)}")
        else:
            moves = " ".join(_quote(a) for a in infoset.actions)
            lines.append(f"p {_quote(node.label)} {infoset.player + 1} {infoset.number} "
                         f"{_quote(infoset.label)} {{ {moves} }} {outcome(node.outcome)}")
    return "\n".join(lines) + "\n"

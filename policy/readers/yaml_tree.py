"""YAML game trees → :class:`~policy.tree_spec.TreeSpec`: parsing and validation only.

Where this sits: one of the readers of :mod:`policy.readers`. :mod:`policy.loader`
reads every YAML file with :func:`~policy.readers.yaml_normal_form.read_yaml_document`
and sends one with a top-level ``tree:`` key here (:func:`is_tree_document`). The
declarations shared with matrix games (name, texts, ``parameters``, ``controls``,
``assumptions``, ``vary``) are read exactly as in
:mod:`policy.readers.yaml_normal_form`, with the same messages; every maths text
goes through :mod:`policy.expressions` (never ``eval``).

The shape (``policy new --tree`` writes a commented one)::

    players: [incumbent, entrant]
    parameters:
      q: {value: 1/2, description: probability of an audit, range: [0, 1]}
    tree:                        # a node
      player: entrant            # a decision node: whose move ...
      moves:                     # ... and its actions, each leading to a node
        stay_out: [0, 2]         # a leaf: payoffs in player order
        enter:
          player: incumbent
          infoset: after_entry   # optional: nodes naming one infoset share it
          moves:
            fight: [-1, -1]
            accommodate:
              chance:            # a chance node: action → probability and next node
                audit: {probability: q, next: [1, 0]}
                none: {probability: 1 - q, next: [1, 1]}

A node may carry a ``label``; a leaf may be written ``{payoffs: [...], label: ...}``.
Information sets are numbered per player in order of first appearance (pre-order);
an unnamed one is named after the path of actions leading to it (``enter``,
``enter.accommodate``; the root is ``root``). Errors name the file, line and field.

Examples
--------
>>> spec = load_tree_text('''
... players: [a, b]
... tree:
...   player: a
...   moves:
...     out: [1, 1]
...     enter: {player: b, moves: {l: [2, 0], r: [0, 2]}}
... ''')
>>> [node.kind for node in spec.nodes], spec.leaf_payoffs()[4]
(['player', 'leaf', 'player', 'leaf', 'leaf'], (0, 2))
>>> [(i.label, i.actions) for i in spec.infosets]
[('root', ('out', 'enter')), ('enter', ('l', 'r'))]
"""

from __future__ import annotations

import re
from typing import Any


from ..errors import GameFileError
from ..spec import FileLimits, Source
from ..tree_spec import (Infoset, Outcome, TargetError, TreeNode, TreeSpec, TreeTarget,
                         resolve_target)
from .tree_checks import check_perfect_recall, check_probabilities
from .yaml_normal_form import SpecBuilder, _Tree, read_yaml_document

__all__ = ["load_tree_text", "build_tree_spec", "is_tree_document", "TREE_KEYS"]

#: The top-level keys of a tree file.
TREE_KEYS = ("name", "title", "description", "claim", "references", "parameters",
             "assumptions", "controls", "budget", "players", "tree", "target", "vary")
_TARGET_KEYS = ("path", "actions")
_NODE_KEYS = ("player", "moves", "infoset", "label", "chance", "payoffs")


def is_tree_document(data: dict) -> bool:
    """Whether a YAML game file's data declares a tree (a top-level ``tree:`` key).

    >>> is_tree_document({"players": ["a"], "tree": [0]}), is_tree_document({"players": {}})
    (True, False)
    """
    return "tree" in data


def build_tree_spec(tree: _Tree, data: dict, default_name: str, source: Source) -> TreeSpec:
    """The tree specification of a YAML document read by
    :func:`policy.readers.yaml_normal_form.read_yaml_document`."""
    return _TreeBuilder(tree, data, default_name).build_tree(source)


def load_tree_text(text: str, path: str = "<string>", sha256: str | None = None,
                   limits: FileLimits | None = None) -> TreeSpec:
    """Validate a YAML game tree given as text; ``path`` is used in messages and the name."""
    return build_tree_spec(*read_yaml_document(text, path, sha256, limits))


class _Shape:
    """Nodes and information sets, for :func:`~policy.tree_spec.resolve_target`."""

    def __init__(self, nodes, infosets) -> None:
        self.nodes, self.infosets = nodes, infosets


class _TreeBuilder(SpecBuilder):
    """The declarations as for matrix games, then the players and the tree."""

    def build_tree(self, source: Source) -> TreeSpec:
        self.check_keys(self.data, TREE_KEYS, "")
        name = self.data.get("name", self.default_name)
        if not isinstance(name, str) or not re.match(r"[A-Za-z0-9][A-Za-z0-9_.-]*\Z", name) \
                or len(name) > 80:
            raise self.fail(f"game name '{str(name)[:90]}' is not allowed: use at most 80 letters, "
                            "digits, '_', '-' or '.', starting with a letter or digit", "name")
        parameters, controls = self.parameters(), self.controls()
        symbols = {item.name: item.symbol for item in (*parameters, *controls)}
        for item in controls:
            if any(p.name == item.name for p in parameters):
                raise self.fail(f"'{item.name}' is declared both as a parameter and a control; "
                                "names must be unique, so rename one", f"controls.{item.name}")
        players, descriptions = self.tree_players()
        self.players_ = players
        self.symbols_ = symbols
        self.nodes: list[dict] = []
        self.infosets: list[dict] = []
        self.named: dict[str, int] = {}
        self.outcomes: list[Outcome] = []
        if self.data.get("tree") is None:
            raise self.fail("missing 'tree': the root node, e.g. tree: {player: "
                            f"{players[0]}, moves: {{…}}}}", "")
        self.node(self.data["tree"], "tree", ())
        nodes = tuple(TreeNode(n["kind"], n["label"], n["infoset"], tuple(n["children"]),
                               n["outcome"]) for n in self.nodes)
        fields = tuple(n["field"] for n in self.nodes)
        # infosets numbered per player in order of first appearance (pre-order)
        infosets = tuple(Infoset(i["player"], i["label"], i["actions"], i["number"],
                                 i["probabilities"]) for i in self.infosets)
        first = {index: i["node"] for index, i in enumerate(self.infosets)}

        def fail(message: str, node: int) -> GameFileError:
            return self.fail(message, fields[node])

        check_probabilities(infosets, fail, first)
        check_perfect_recall(nodes, infosets, players, fail,
                             lambda node: f"at {fields[node]}")
        references = self.data.get("references") or []
        if not isinstance(references, list) or not all(isinstance(r, str) for r in references):
            raise self.fail("expected a list of texts, e.g. [\"Author (2020), Title\"]",
                            "references")
        target = self.tree_target()
        try:
            resolve_target(_Shape(nodes, infosets), target)
        except TargetError as err:
            raise self.fail(err.message, f"target.{err.field}") from None
        return TreeSpec(
            name=str(name), title=self.text("title"), description=self.text("description"),
            claim=self.text("claim"), references=tuple(str(r) for r in references),
            parameters=parameters, controls=controls, assumptions=self.assumptions(symbols),
            vary=self.vary(symbols), source=source, lines=dict(self.tree.lines),
            players=players, player_descriptions=descriptions, infosets=infosets,
            nodes=nodes, outcomes=tuple(self.outcomes), node_fields=fields,
            tree_target=target,
            budget=(self.number(self.data["budget"], "budget")
                    if self.data.get("budget") is not None else None))

    def tree_target(self) -> TreeTarget:
        """``target:`` — ``path: [action, …]`` from the root and/or ``actions: {information
        set: action}``; the names are checked against the tree by the caller."""
        raw = self.data.get("target")
        if raw is None:
            return TreeTarget()
        if not isinstance(raw, dict) or not raw:
            raise self.fail("expected {path: [action, …]} (the actions played from the root) "
                            "and/or {actions: {information set: action}}", "target")
        self.check_keys(raw, _TARGET_KEYS, "target")
        path = raw.get("path", [])
        if "path" in raw and (not isinstance(path, list) or not path
                              or not all(isinstance(a, str) for a in path)):
            raise self.fail("expected a non-empty list of actions from the root, e.g. "
                            "[enter, accommodate]", "target.path")
        actions = self.mapping(raw.get("actions"), "target.actions",
                               "information set labels to actions")
        for label, action in actions.items():
            if not isinstance(action, str):
                raise self.fail("expected the name of an action", f"target.actions.{label}")
        return TreeTarget(path=tuple(path), actions=tuple((str(k), v) for k, v in actions.items()))

    def tree_players(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        raw = self.data.get("players")
        if raw is None:
            raise self.fail("missing 'players': a list of player names, e.g. players: "
                            "[regulator, incumbent]", "")
        if isinstance(raw, dict):
            items = list(raw.items())
        elif isinstance(raw, list):
            items = [(name, None) for name in raw]
        else:
            raise self.fail("expected a list of player names", "players")
        if not 1 <= len(items) <= self.limits.max_players:
            raise self.fail(f"{len(items)} players; a tree has 1 to {self.limits.max_players}",
                            "players")
        names, descriptions = [], []
        for index, (key, value) in enumerate(items):
            where = f"players.{key}" if isinstance(raw, dict) else f"players[{index}]"
            name = self.name(key, where, "player")
            if name in names:
                raise self.fail(f"duplicate player '{name}'", where)
            description = ""
            if isinstance(value, dict):
                self.check_keys(value, ("description",), where)
                description = self.plain(value, "description", where)
            elif value is not None:
                raise self.fail("expected {description: …} or nothing", where)
            names.append(name)
            descriptions.append(description)
        return tuple(names), tuple(descriptions)

    def payoff_list(self, value: Any, where: str) -> int:
        players = self.players_
        if not isinstance(value, list) or len(value) != len(players):
            got = (f"{len(value)} value{'' if len(value) == 1 else 's'}" if isinstance(value, list)
                   else repr(str(value)[:40]))
            raise self.fail(f"expected a list of {len(players)} payoffs (one per player: "
                            f"{', '.join(players)}), got {got}", where)
        payoffs = tuple(self.expr(v, f"{where}[{i}]", self.symbols_) for i, v in enumerate(value))
        self.outcomes.append(Outcome("", payoffs))
        return len(self.outcomes) - 1

    def node(self, value: Any, where: str, path: tuple[str, ...]) -> int:
        index = len(self.nodes)
        record = {"kind": "leaf", "label": "", "infoset": None, "children": [],
                  "outcome": None, "field": where}
        self.nodes.append(record)
        if isinstance(value, list):
            record["outcome"] = self.payoff_list(value, where)
            return index
        if not isinstance(value, dict):
            raise self.fail("expected a node: a list of payoffs (a leaf), or a mapping with "
                            "'player' and 'moves', or with 'chance'", where)
        self.check_keys(value, _NODE_KEYS, where)
        label = value.get("label")
        if label is not None:
            if not isinstance(label, str):
                raise self.fail("expected text", f"{where}.label")
            record["label"] = str(label)
        kinds = [key for key in ("payoffs", "moves", "chance") if key in value]
        if len(kinds) != 1:
            raise self.fail("a node has exactly one of 'payoffs' (a leaf), 'moves' (a player's "
                            "decision, with 'player') or 'chance' (a chance move)", where)
        if kinds == ["payoffs"]:
            for key in ("player", "infoset"):
                if key in value:
                    raise self.fail(f"a leaf has no '{key}'", f"{where}.{key}")
            record["outcome"] = self.payoff_list(value["payoffs"], f"{where}.payoffs")
            return index
        if kinds == ["chance"]:
            if "player" in value:
                raise self.fail("a chance node has no 'player'", f"{where}.player")
            return self.chance(value, where, path, record, index)
        player = value.get("player")
        if player not in self.players_:
            raise self.fail(f"'{player}' is not a player; players: {', '.join(self.players_)}",
                            f"{where}.player")
        moves = value["moves"]
        if not isinstance(moves, dict) or not moves:
            raise self.fail("expected a mapping of actions to nodes", f"{where}.moves")
        actions = tuple(self.name(a, f"{where}.moves.{a}", "action") for a in moves)
        record["kind"] = "player"
        record["infoset"] = self.infoset(value, where, path, self.players_.index(player),
                                         actions, None, index)
        for action in actions:
            record["children"].append(self.node(moves[action], f"{where}.moves.{action}",
                                                path + (action,)))
        return index

    def chance(self, value: dict, where: str, path: tuple[str, ...], record: dict,
               index: int) -> int:
        moves = value["chance"]
        if not isinstance(moves, dict) or not moves:
            raise self.fail("expected a mapping of outcomes to {probability: …, next: …}",
                            f"{where}.chance")
        actions, probabilities, nexts = [], [], []
        for action, move in moves.items():
            at = f"{where}.chance.{action}"
            actions.append(self.name(action, at, "chance outcome"))
            if not isinstance(move, dict) or set(move) != {"probability", "next"}:
                raise self.fail("expected {probability: …, next: …} (a probability and the "
                                "node that follows)", at)
            probability = self.expr(move["probability"], f"{at}.probability", self.symbols_)
            probabilities.append(probability)
            nexts.append((move["next"], f"{at}.next", action))
        record["kind"] = "chance"
        record["infoset"] = self.infoset(value, where, path, None, tuple(actions),
                                         tuple(probabilities), index)
        for child, at, action in nexts:
            record["children"].append(self.node(child, at, path + (action,)))
        return index

    def infoset(self, value: dict, where: str, path: tuple[str, ...], player: int | None,
                actions: tuple[str, ...], probabilities, node: int) -> int:
        name = value.get("infoset")
        if name is not None and player is None:
            raise self.fail("chance nodes have no information set", f"{where}.infoset")
        if name is not None:
            name = self.name(name, f"{where}.infoset", "information set")
            known = self.named.get(name)
            if known is not None:
                infoset = self.infosets[known]
                other = self.nodes[infoset["node"]]["field"]
                if infoset["player"] != player:
                    raise self.fail(
                        f"information set '{name}' belongs to "
                        f"{self.players_[infoset['player']]} (at {other}); this node is "
                        f"{self.players_[player]}'s", f"{where}.player")
                if set(infoset["actions"]) != set(actions) or len(actions) != len(set(actions)):
                    raise self.fail(
                        f"the nodes of information set '{name}' offer different actions: "
                        f"{', '.join(infoset['actions'])} at {other}, {', '.join(actions)} "
                        "here; a player cannot tell these nodes apart, so they must offer "
                        "the same actions", f"{where}.moves")
                if infoset["actions"] != actions:
                    raise self.fail(f"write the actions of information set '{name}' in the "
                                    f"same order at every node ({', '.join(infoset['actions'])}, "
                                    f"as at {other})", f"{where}.moves")
                return known
        number = 1 + sum(1 for i in self.infosets if i["player"] == player)
        label = name or (".".join(path) if path else "root")
        self.infosets.append({"player": player, "label": label, "actions": actions,
                              "number": number, "probabilities": probabilities, "node": node})
        if name is not None:
            self.named[name] = len(self.infosets) - 1
        return len(self.infosets) - 1


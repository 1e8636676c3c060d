"""Checks every tree reader runs on the tree it read (YAML trees, Gambit ``.efg``).

Where this sits: stage 3, shared by :mod:`policy.readers.yaml_tree` and
:mod:`policy.readers.efg`. Each check raises through the reader's ``fail(message,
node)`` callback, which knows the file, line and field of a node.

The checks: the probabilities of each chance move add up to exactly 1 (as
expressions: ``q`` and ``1 - q`` do) and none is a negative number; the nodes of an
information set belong to one player and offer the same actions; perfect recall
(every node of an information set is reached after the same own moves of its
player, so a player never forgets what they did or knew).

Examples
--------
>>> import sympy
>>> from policy.tree_spec import Infoset, TreeNode
>>> q = sympy.Symbol("q")
>>> chance = Infoset(None, "", ("a", "b"), 1, (q, 1 - q))
>>> check_probabilities([chance], lambda message, node: ValueError(message), {0: 0})
>>> bad = Infoset(None, "", ("a", "b"), 1, (q, q))
>>> check_probabilities([bad], lambda message, node: ValueError(message), {0: 0})
Traceback (most recent call last):
...
ValueError: the probabilities of a, b add up to 2*q, not 1
"""

from __future__ import annotations

from typing import Callable, Mapping, Sequence

import sympy

from ..errors import GameFileError
from ..tree_spec import Infoset, TreeNode

__all__ = ["check_probabilities", "check_perfect_recall"]

Fail = Callable[[str, int], GameFileError]


def check_probabilities(infosets: Sequence[Infoset], fail: Fail,
                        first_node: Mapping[int, int]) -> None:
    """Each chance information set's probabilities add up to 1; none is negative.

    ``first_node`` maps an information set to the node that declared it (for messages).
    """
    for index, infoset in enumerate(infosets):
        if infoset.probabilities is None:
            continue
        for action, probability in zip(infoset.actions, infoset.probabilities):
            if probability.is_number and probability < 0:
                raise fail(f"the probability of {action} is {probability}; probabilities "
                           "must be between 0 and 1", first_node[index])
        total = sympy.expand(sum(infoset.probabilities, sympy.Integer(0)))
        if total != 1:
            raise fail(f"the probabilities of {', '.join(infoset.actions)} add up to {total}, "
                       "not 1", first_node[index])


def check_perfect_recall(nodes: Sequence[TreeNode], infosets: Sequence[Infoset],
                         players: Sequence[str], fail: Fail,
                         describe: Callable[[int], str]) -> None:
    """Every node of an information set follows the same last own move of its player.

    With that, by induction on the depth, the whole sequence of the player's own
    information sets and actions is the same at every node of the set (perfect recall).
    ``describe(node)`` names a node in the message.
    """
    seen: dict[int, tuple[int, tuple]] = {}
    stack: list[tuple[int, tuple]] = [(0, (None,) * len(players))]
    while stack:
        index, last = stack.pop()
        node = nodes[index]
        if node.kind == "player":
            infoset = infosets[node.infoset]
            player = infoset.player
            before = last[player]
            if node.infoset in seen and seen[node.infoset][1] != before:
                other = seen[node.infoset][0]
                raise fail(
                    f"perfect recall violated: the nodes {describe(other)} and {describe(index)} "
                    f"of one information set of {players[player]} follow different moves of "
                    f"that player ({_move(before, infosets)} here, "
                    f"{_move(seen[node.infoset][1], infosets)} there); a player may not "
                    "forget what they did or knew", index)
            seen.setdefault(node.infoset, (index, before))
            for position, child in reversed(list(enumerate(node.children))):
                stack.append((child, last[:player] + ((node.infoset, position),)
                              + last[player + 1:]))
        else:  # children in reverse, so that nodes are visited in pre-order
            stack.extend((child, last) for child in reversed(node.children))


def _move(move: tuple[int, int] | None, infosets: Sequence[Infoset]) -> str:
    if move is None:
        return "no earlier move"
    infoset = infosets[move[0]]
    where = f" at {infoset.label}" if infoset.label else ""
    return f"'{infoset.actions[move[1]]}'{where}"

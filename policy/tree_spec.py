"""The data model of a game tree (extensive form): what a tree file declares, as frozen data.

Where this sits in the data flow: stage 3, next to :mod:`policy.spec` (whose
:class:`~policy.spec.GameDeclarations` it extends). The tree readers
(:mod:`policy.readers.yaml_tree`, :mod:`policy.readers.efg`) produce a
:class:`TreeSpec`; :mod:`policy.tree_model` turns it into a game to solve. No file
is read here.

Notation: a tree is a list of :class:`TreeNode` in pre-order (the root first, a
node's subtrees in the order of its actions). A decision node belongs to an
:class:`Infoset` (a player's information set; chance nodes have chance
information sets, which carry the probabilities). An :class:`Outcome` attached to
a node pays its payoffs to every play passing through it: a leaf's payoff is the
sum of the outcomes along its path (Gambit's convention).

Examples
--------
>>> spec = TreeSpec(name="t", players=("a", "b"),
...                 infosets=(Infoset(player=0, label="", actions=("l", "r"), number=1),),
...                 nodes=(TreeNode("player", infoset=0, children=(1, 2)),
...                        TreeNode("leaf", outcome=0), TreeNode("leaf", outcome=1)),
...                 outcomes=(Outcome("", (sympy.Integer(1), sympy.Integer(0))),
...                           Outcome("", (sympy.Integer(0), sympy.Integer(1)))))
>>> spec.player_names, spec.leaf_payoffs()
(('a', 'b'), {1: (1, 0), 2: (0, 1)})
>>> spec.parent_of()
(None, 0, 0)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy

from .spec import GameDeclarations

__all__ = ["TreeNode", "Infoset", "Outcome", "TreeSpec", "TreeTarget", "TargetError",
           "NODE_KINDS", "resolve_target"]

#: What a node is: a decision of a player, a chance move, or the end of play.
NODE_KINDS = ("player", "chance", "leaf")


@dataclass(frozen=True)
class TreeNode:
    """One node: its kind, label, information set, children (one per action) and outcome."""

    kind: str
    label: str = ""
    infoset: int | None = None
    children: tuple[int, ...] = ()
    outcome: int | None = None


@dataclass(frozen=True)
class Infoset:
    """An information set: whose it is (``None``: chance), its label, its actions and,
    for chance, their probabilities (expressions); ``number`` as in the file."""

    player: int | None
    label: str
    actions: tuple[str, ...]
    number: int
    probabilities: tuple[sympy.Expr, ...] | None = None


@dataclass(frozen=True)
class Outcome:
    """Payoffs (one per player) paid to every play through a node carrying it."""

    label: str
    payoffs: tuple[sympy.Expr, ...]


@dataclass(frozen=True)
class TreeTarget:
    """What ``policy optimize`` should bring about in a tree (a file's ``target:``).

    ``path``: the actions played from the root, in order (a chance move's outcome
    names the branch followed); it may stop before a leaf. ``actions``: information
    set label → the action to be played there, on or off the path.

    >>> str(TreeTarget(path=("enter", "accommodate"), actions=(("first_market", "fight"),)))
    'path enter → accommodate; first_market: fight'
    """

    path: tuple[str, ...] = ()
    actions: tuple[tuple[str, str], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.path or self.actions)

    def as_json(self) -> dict:
        return {"path": list(self.path), "actions": dict(self.actions)}

    def __str__(self) -> str:
        parts = [f"path {' → '.join(self.path)}"] if self.path else []
        parts += [f"{infoset}: {action}" for infoset, action in self.actions]
        return "; ".join(parts)


class TargetError(ValueError):
    """A target naming an action or information set the tree does not have; ``field``
    says which part of the target (``path[1]``, ``actions.after_entry``)."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.message, self.field = message, field


def resolve_target(tree, target: TreeTarget) -> dict[int, int]:
    """The decision nodes a target constrains: node → the index of its required action.

    ``tree`` is a :class:`TreeSpec` or anything with its ``nodes`` and ``infosets``.
    Path steps at chance nodes choose the branch followed and constrain nothing.

    Raises
    ------
    TargetError
        When a step is not an action of the node reached, the path goes past a leaf,
        an information set label is unknown (or a chance move), an action is not one of
        the set's, or the path and ``actions`` ask for different actions at one set.

    >>> spec = TreeSpec(name="t", players=("a",),
    ...                 infosets=(Infoset(player=0, label="root", actions=("l", "r"), number=1),),
    ...                 nodes=(TreeNode("player", infoset=0, children=(1, 2)),
    ...                        TreeNode("leaf", outcome=0), TreeNode("leaf", outcome=0)),
    ...                 outcomes=(Outcome("", (sympy.Integer(0),)),))
    >>> resolve_target(spec, TreeTarget(path=("r",)))
    {0: 1}
    >>> resolve_target(spec, TreeTarget(path=("r", "x")))
    Traceback (most recent call last):
    ...
    policy.tree_spec.TargetError: the path reaches the end of play after r; it cannot go on with 'x'
    """
    nodes, infosets = tree.nodes, tree.infosets
    required: dict[int, int] = {}
    node = 0
    for step, action in enumerate(target.path):
        where = f"path[{step}]"
        if nodes[node].kind == "leaf":
            done = " → ".join(target.path[:step]) or "the start"
            raise TargetError(f"the path reaches the end of play after {done}; it cannot go on "
                              f"with '{action}'", where)
        offered = infosets[nodes[node].infoset].actions
        if action not in offered:
            raise TargetError(f"'{action}' is not an action here; "
                              f"{'chance outcomes' if nodes[node].kind == 'chance' else 'actions'}"
                              f" at this point of the path: {', '.join(offered)}", where)
        index = offered.index(action)
        if nodes[node].kind == "player":
            required[node] = index
        node = nodes[node].children[index]
    by_label = {i.label: h for h, i in enumerate(infosets) if i.player is not None}
    for label, action in target.actions:
        where = f"actions.{label}"
        if label not in by_label:
            raise TargetError(f"'{label}' is not an information set of a player; information "
                              f"sets: {', '.join(by_label) or '(none)'}", where)
        h = by_label[label]
        if action not in infosets[h].actions:
            raise TargetError(f"'{action}' is not an action of information set '{label}'; "
                              f"actions: {', '.join(infosets[h].actions)}", where)
        index = infosets[h].actions.index(action)
        for n, candidate in enumerate(nodes):
            if candidate.kind == "player" and candidate.infoset == h:
                if required.get(n, index) != index:
                    raise TargetError(f"the path plays {infosets[h].actions[required[n]]} at "
                                      f"information set '{label}', not {action}", where)
                required[n] = index
    return dict(sorted(required.items()))


@dataclass(frozen=True)
class TreeSpec(GameDeclarations):
    """A validated game tree: players, information sets, nodes (pre-order), outcomes.

    ``node_fields`` names each node's place in the file (for messages:
    ``tree.moves.enter``, ``node 3 (line 5)``), when known; ``player_labels`` are the
    players' labels as written in a Gambit file (``players`` are names made from them).
    """

    players: tuple[str, ...] = field(kw_only=True)
    infosets: tuple[Infoset, ...] = field(kw_only=True)
    nodes: tuple[TreeNode, ...] = field(kw_only=True)
    outcomes: tuple[Outcome, ...] = field(kw_only=True)
    player_descriptions: tuple[str, ...] = field(default=(), kw_only=True)
    player_labels: tuple[str, ...] = field(default=(), kw_only=True)
    node_fields: tuple[str, ...] = field(default=(), kw_only=True, compare=False, repr=False)
    tree_target: TreeTarget = field(default=TreeTarget(), kw_only=True)

    @property
    def player_names(self) -> tuple[str, ...]:
        return self.players

    def parent_of(self) -> tuple[int | None, ...]:
        """The parent of every node (``None`` for the root)."""
        parents: list[int | None] = [None] * len(self.nodes)
        for index, node in enumerate(self.nodes):
            for child in node.children:
                parents[child] = index
        return tuple(parents)

    def leaf_payoffs(self) -> dict[int, tuple[sympy.Expr, ...]]:
        """Each leaf's payoffs: the outcomes along its path added up (sympy expressions)."""
        zero = tuple(sympy.Integer(0) for _ in self.players)
        result: dict[int, tuple[sympy.Expr, ...]] = {}
        stack = [(0, zero)]
        while stack:
            index, paid = stack.pop()
            node = self.nodes[index]
            if node.outcome is not None:
                paid = tuple(a + b for a, b in zip(paid, self.outcomes[node.outcome].payoffs))
            if node.kind == "leaf":
                result[index] = paid
            stack.extend((child, paid) for child in node.children)
        return dict(sorted(result.items()))

    def player_infosets(self, player: int) -> list[int]:
        """The information sets of ``player``, in the order of their numbers."""
        own = [i for i, infoset in enumerate(self.infosets) if infoset.player == player]
        return sorted(own, key=lambda i: (self.infosets[i].number, i))

    def __repr__(self) -> str:
        return (f"TreeSpec({self.name!r}: players {', '.join(self.players)}; "
                f"{len(self.nodes)} nodes, {len(self.infosets)} information sets)")

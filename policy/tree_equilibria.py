"""Game trees → subgame-perfect and Nash equilibria, every one verified exactly.

Where this sits: stage 5, after :mod:`policy.tree_model` (a :class:`NumericTree`) and
next to :mod:`policy.equilibria`, whose exact matrix engines solve the simultaneous
parts of a tree.

Notation. Nodes are numbered in pre-order (root 0). A *subgame root* is a decision
or chance node whose subtree contains every node of each information set it meets.
The *region* of a subgame root is its subtree with every deeper subgame root cut
off: those become terminals worth the payoffs of an equilibrium chosen for them. A
*plan* of a player in a region is a reduced pure strategy there: an action at each
of the player's information sets that the player's own earlier actions do not
exclude. A *behaviour* gives, for each information set, a probability per action;
an empty behaviour ``()`` means the player's own strategy never reaches that
information set, so any behaviour there gives the same equilibrium.

*Subgame-perfect equilibria* (:func:`solve_tree`): backward induction over subgame
roots, deepest first. A region where no one or one player moves is decided by
expectation or by maximisation (every maximising plan is kept: ties branch); a
region where two or more players move is a matrix game over their plans, solved by
:func:`policy.equilibria.find_equilibria` (exact; every extreme equilibrium), and
each equilibrium branches. So in a perfect-information tree every pure SPE is
listed. *Nash equilibria* of a two-player tree: every extreme equilibrium of its
reduced strategic form, by the same exact engine, shown as behaviours.

*Verification* is independent of the solvers: :func:`best_response_value` computes a
player's best payoff against the others' behaviours by dynamic programming over the
player's information sets (perfect recall), and an equilibrium is verified when no
player gains by deviating — from the root for Nash equilibria, from every subgame
root for subgame-perfect ones (in perfect-information trees, at every decision
node: the one-shot deviation principle).

Examples
--------
Selten's entry game: the threat to fight is not credible (one SPE), though
(out, fight) and the continuum it starts (fight with probability 1/2 or more)
are Nash equilibria.

>>> from policy.readers.yaml_tree import load_tree_text
>>> from policy.tree_model import TreeGame
>>> tree = TreeGame.from_spec(load_tree_text('''
... players: [entrant, incumbent]
... tree:
...   player: entrant
...   moves:
...     out: [0, 2]
...     enter: {player: incumbent, moves: {fight: [-1, -1], share: [1, 1]}}
... ''')).bind()
>>> solution = solve_tree(tree)
>>> [([list(map(str, b)) for b in eq.behaviour], eq.payoffs) for eq in solution.spe]
[([['0', '1'], ['0', '1']], (Fraction(1, 1), Fraction(1, 1)))]
>>> [[list(map(str, b)) for b in eq.behaviour] for eq in solution.equilibria]
[[['1', '0'], ['1', '0']], [['0', '1'], ['0', '1']], [['1', '0'], ['1/2', '1/2']]]
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction
from typing import Mapping, Sequence

from .errors import ModelError
from .limits import exceeded, limit
from .tree_model import NumericTree

__all__ = ["TreeEquilibrium", "TreeSolution", "solve_tree", "subgame_roots",
           "expected_payoffs", "best_response_value", "is_nash", "is_subgame_perfect",
           "reduced_strategic_form", "reduced_game_spec", "region_of", "region_plans",
           "MAX_SPE"]

#: Most subgame-perfect equilibria listed; past it the list is marked incomplete.
MAX_SPE = 1000
#: Largest matrix game (profiles of the movers' plans) solved completely when two
#: players move in a subgame; larger ones get their pure equilibria only, marked
#: incomplete (and the whole tree's Nash equilibria are not enumerated).
EXACT_TWO_PLAYER_PROFILES = 256
#: The same for three or more movers (support enumeration).
EXACT_N_PLAYER_PROFILES = 64

Behaviour = tuple[tuple[Fraction, ...], ...]  # per information set (chance ones: ())


@dataclass(frozen=True)
class TreeEquilibrium:
    """One equilibrium of a tree: a behaviour per information set (indices of
    :attr:`NumericTree.infosets`; ``()`` for chance and for sets the player's own
    strategy never reaches), the payoffs, the probability of each leaf reached, and
    whether the exact check passed."""

    behaviour: Behaviour
    payoffs: tuple[Fraction, ...]
    outcome: tuple[tuple[int, Fraction], ...]
    verified: bool


@dataclass(frozen=True)
class TreeSolution:
    """The subgame-perfect equilibria and (two players) the Nash equilibria of a tree."""

    tree: NumericTree
    spe: tuple[TreeEquilibrium, ...]
    spe_complete: bool
    equilibria: tuple[TreeEquilibrium, ...]
    equilibria_complete: bool
    subgames: int
    notes: tuple[str, ...] = ()

    @property
    def exact(self) -> bool:
        return True


# --------------------------------------------------------------------------------------
# structure
# --------------------------------------------------------------------------------------

def subgame_roots(tree: NumericTree) -> list[int]:
    """The nodes (decision or chance) that root a subgame, in pre-order.

    >>> from policy.readers.yaml_tree import load_tree_text
    >>> from policy.tree_model import TreeGame
    >>> tree = TreeGame.from_spec(load_tree_text('''
    ... players: [a, b]
    ... tree:
    ...   player: a
    ...   moves:
    ...     l: {player: b, infoset: h, moves: {x: [1, 0], y: [0, 1]}}
    ...     r: {player: b, infoset: h, moves: {x: [0, 1], y: [1, 0]}}
    ... ''')).bind()
    >>> subgame_roots(tree)
    [0]
    """
    nodes = tree.nodes
    n = len(nodes)
    first: dict[int, int] = {}
    last: dict[int, int] = {}
    for index, node in enumerate(nodes):
        if node.kind == "player":
            first.setdefault(node.infoset, index)
            last[node.infoset] = index
    size = [1] * n
    low = list(range(n))
    high = list(range(n))
    for index in range(n - 1, -1, -1):
        node = nodes[index]
        if node.kind == "player":
            low[index] = min(low[index], first[node.infoset])
            high[index] = max(high[index], last[node.infoset])
        for child in node.children:
            size[index] += size[child]
            low[index] = min(low[index], low[child])
            high[index] = max(high[index], high[child])
    return [index for index, node in enumerate(nodes)
            if node.kind != "leaf" and low[index] >= index and high[index] < index + size[index]]


def _region(tree: NumericTree, root: int, stops: set[int]) -> list[int]:
    """The nodes of ``root``'s region, in pre-order (cut at ``stops`` other than root)."""
    found, stack = [], [root]
    while stack:
        index = stack.pop()
        found.append(index)
        if index != root and index in stops:
            continue
        stack.extend(reversed(tree.nodes[index].children))
    return sorted(found)


def region_of(tree: NumericTree, root: int, roots: set[int]) -> list[int]:
    """The nodes of the region of subgame root ``root`` (``roots``: every subgame root),
    in pre-order: its subtree with the deeper subgame roots kept as terminals, their
    subtrees cut off."""
    return _region(tree, root, roots)


def region_plans(tree: NumericTree, root: int, roots: set[int]) -> tuple[list[int], list[list]]:
    """The players who move in the region of ``root`` and the reduced plans of each
    (a plan: sorted ``(information set, action index)`` pairs), as the solver uses them.

    Raises
    ------
    ModelError
        When a player has more plans than ``POLICY_LIMIT_PROFILES``.
    """
    region = _region(tree, root, roots)
    movers = sorted({tree.infosets[tree.nodes[i].infoset].player for i in region
                     if tree.nodes[i].kind == "player" and (i == root or i not in roots)})
    cap = limit("profiles")
    try:
        return movers, [_plans(tree, root, roots, player, cap) for player in movers]
    except _TooLarge as err:
        raise ModelError(f"the subgame at {node_name(tree, root)} has more than {cap} reduced "
                         f"strategies for one player ({err.args[0]} found); "
                         f"{exceeded('profiles')}") from None


# --------------------------------------------------------------------------------------
# reduced strategic form of a region
# --------------------------------------------------------------------------------------

Plan = tuple[tuple[int, int], ...]  # sorted (information set, action index)


def node_name(tree: NumericTree, node: int) -> str:
    """A node named by the actions leading to it (``enter → fight``; the root ``start``)."""
    parents = {child: (index, action) for index, n in enumerate(tree.nodes)
               for action, child in enumerate(n.children)}
    names = []
    while node in parents:
        node, action = parents[node]
        names.append(tree.infosets[tree.nodes[node].infoset].actions[action])
    return " → ".join(reversed(names)) or "start"


def _merge(a: Plan, b: Plan) -> Plan | None:
    merged = dict(a)
    for infoset, action in b:
        if merged.get(infoset, action) != action:
            return None
        merged[infoset] = action
    return tuple(sorted(merged.items()))


def _plans(tree: NumericTree, root: int, terminal: set[int], player: int,
           cap: int) -> list[Plan]:
    """The reduced pure strategies of ``player`` below ``root`` (``terminal`` nodes end play)."""
    order = _region(tree, root, terminal)
    if _plan_count(tree, order, root, terminal, player, cap) > cap:
        raise _TooLarge()
    plans: dict[int, list[Plan]] = {}
    for index in reversed(order):
        node = tree.nodes[index]
        if node.kind == "leaf" or (index != root and index in terminal):
            plans[index] = [()]
            continue
        infoset = tree.infosets[node.infoset]
        if node.kind == "player" and infoset.player == player:
            result = [p for action, child in enumerate(node.children)
                      for p in (_merge(((node.infoset, action),), q) for q in plans[child])
                      if p is not None]
        else:
            result = [()]
            for child in node.children:
                result = _combined(result, plans[child], cap)
        plans[index] = list(dict.fromkeys(result))
        if len(plans[index]) > cap:
            raise _TooLarge()
    return plans[root]


def _plan_count(tree: NumericTree, order: list[int], root: int, terminal: set[int],
                player: int, cap: int) -> int:
    """How many reduced strategies ``player`` has in the region ``order`` (at most
    ``cap + 1``), counted without listing them, when each of the player's information
    sets there is one node (then the plans below different branches never clash); 0,
    meaning "not counted", otherwise."""
    own = [tree.nodes[i].infoset for i in order if tree.nodes[i].kind == "player"
           and (i == root or i not in terminal)
           and tree.infosets[tree.nodes[i].infoset].player == player]
    if len(own) != len(set(own)):
        return 0
    count: dict[int, int] = {}
    for index in reversed(order):
        node = tree.nodes[index]
        if node.kind == "leaf" or (index != root and index in terminal):
            count[index] = 1
        elif node.kind == "player" and tree.infosets[node.infoset].player == player:
            count[index] = min(sum(count[c] for c in node.children), cap + 1)
        else:
            total = 1
            for child in node.children:
                total = min(total * count[child], cap + 1)
            count[index] = total
    return count[root]


def _combined(first: list[Plan], second: list[Plan], cap: int) -> list[Plan]:
    """Every compatible merge of a plan of ``first`` with one of ``second`` (each once),
    stopping as soon as there are more than ``cap``: the product of two long lists is
    never built only to be refused (a 10^5-node tree would take gigabytes)."""
    combined: dict[Plan, None] = {}
    for a in first:
        for b in second:
            merged = _merge(a, b)
            if merged is not None and merged not in combined:
                combined[merged] = None
                if len(combined) > cap:
                    raise _TooLarge()
    return list(combined)


class _TooLarge(Exception):
    pass


def _play(tree: NumericTree, root: int, terminal: Mapping[int, tuple[Fraction, ...]],
          choices: Mapping[int, int]) -> tuple[Fraction, ...]:
    """Expected payoffs below ``root`` when the players follow ``choices`` (pure)."""
    total = [Fraction(0)] * tree.n_players
    stack = [(root, Fraction(1))]
    while stack:
        index, weight = stack.pop()
        if index != root and index in terminal:
            value = terminal[index]
        elif tree.nodes[index].kind == "leaf":
            value = tree.payoffs[index]
        else:
            node = tree.nodes[index]
            if node.kind == "chance":
                stack.extend((child, weight * p) for child, p in
                             zip(node.children, tree.chance[node.infoset]) if p)
            else:
                stack.append((node.children[choices[node.infoset]], weight))
            continue
        for i in range(tree.n_players):
            total[i] += weight * value[i]
    return tuple(total)


def reduced_strategic_form(tree: NumericTree, root: int = 0,
                           terminal: Mapping[int, tuple[Fraction, ...]] | None = None,
                           ) -> tuple[list[int], list[list[Plan]], dict]:
    """The players who move below ``root``, their plans, and the payoffs of each plan profile.

    Returns ``(movers, plans, payoffs)`` with ``payoffs[profile]`` the payoff tuple of
    every player, ``profile`` one plan index per mover.

    Raises
    ------
    ModelError
        When the reduced strategic form has more profiles than ``POLICY_LIMIT_PROFILES``.
    """
    terminal = dict(terminal or {})
    stops = set(terminal)
    region = _region(tree, root, stops)
    movers = sorted({tree.infosets[tree.nodes[i].infoset].player for i in region
                     if tree.nodes[i].kind == "player" and (i == root or i not in stops)})
    cap = limit("profiles")
    try:
        plans = [_plans(tree, root, stops, player, cap) for player in movers]
    except _TooLarge:
        raise ModelError(f"the reduced strategic form has more than {cap} strategies for one "
                         f"player; {exceeded('profiles')}") from None
    count = 1
    for own in plans:
        count *= len(own)
    if count > cap:
        raise ModelError(f"the reduced strategic form has {count} profiles; at most {cap} are "
                         f"allowed ({exceeded('profiles')})")
    payoffs = {}
    for profile in itertools.product(*(range(len(own)) for own in plans)):
        choices: dict[int, int] = {}
        for own, k in zip(plans, profile):
            choices.update(own[k])
        payoffs[profile] = _play(tree, root, terminal, choices)
    return movers, plans, payoffs


def _behaviour_of(plans: Sequence[Plan], weights: Sequence[Fraction],
                  infosets: Sequence[int], actions: Mapping[int, int]
                  ) -> dict[int, tuple[Fraction, ...]]:
    """A mixed strategy over plans → a behaviour at each of ``infosets`` (Kuhn)."""
    result = {}
    for infoset in infosets:
        mass = [Fraction(0)] * actions[infoset]
        for plan, weight in zip(plans, weights):
            action = dict(plan).get(infoset)
            if action is not None and weight:
                mass[action] += weight
        total = sum(mass)
        result[infoset] = tuple(m / total for m in mass) if total else ()
    return result


def _region_equilibria(tree: NumericTree, root: int,
                       terminal: Mapping[int, tuple[Fraction, ...]], notes: list[str],
                       whole_tree: bool = False, ties: list[tuple[int, bool]] | None = None
                       ) -> tuple[list[tuple[dict, tuple[Fraction, ...]]], bool]:
    """Every (extreme) equilibrium of a region as ``(behaviour per infoset, payoffs)``,
    and whether that list is complete.

    When one player moves and several plans are best, every one is listed and, if
    ``ties`` is given, ``(root, whether the tied plans give someone different
    payoffs)`` is appended to it: mixtures of tied plans are equilibria too."""
    node = tree.nodes[root]
    if not whole_tree and all(c in terminal or tree.nodes[c].kind == "leaf"
                              for c in node.children):
        result = _one_move(tree, root, terminal)
        _record_tie(ties, root, result)
        return result, True
    movers, plans, payoffs = reduced_strategic_form(tree, root, terminal)
    region = _region(tree, root, set(terminal))
    own = {player: sorted({tree.nodes[i].infoset for i in region
                           if tree.nodes[i].kind == "player"
                           and (i == root or i not in terminal)
                           and tree.infosets[tree.nodes[i].infoset].player == player})
           for player in movers}
    actions = {h: len(tree.infosets[h].actions) for hs in own.values() for h in hs}
    if not movers:
        return [({}, payoffs[()])], True
    if len(movers) == 1:
        player = movers[0]
        best = max(value[player] for value in payoffs.values())
        result = []
        for (k,), value in payoffs.items():
            if value[player] == best:
                weights = [Fraction(int(j == k)) for j in range(len(plans[0]))]
                result.append((_behaviour_of(plans[0], weights, own[player], actions), value))
        _record_tie(ties, root, result)
        return result, True
    from .equilibria import find_equilibria
    from .numeric import NumericGame

    shape = tuple(len(p) for p in plans)
    arrays = []
    for player in movers:
        array = [payoffs[profile][player] for profile in itertools.product(*map(range, shape))]
        arrays.append(_nested(array, shape))
    count = len(payoffs)
    largest = EXACT_TWO_PLAYER_PROFILES if len(movers) == 2 else EXACT_N_PLAYER_PROFILES
    method = "exact" if count <= largest else "pure"
    if method == "pure" and whole_tree:
        raise ModelError(f"its reduced strategic form has {count} profiles, more than "
                         f"{largest} (the sequence form is not implemented yet)")
    found = find_equilibria(NumericGame.from_arrays(*arrays, name=tree.name), method=method)
    # the whole tree: every extreme equilibrium is the complete answer (as for matrix
    # games); a subgame: its extreme equilibria alone do not give every SPE
    complete = found.complete and (whole_tree or not found.components)
    if method != "exact":
        size = " × ".join(str(n) for n in shape)
        notes.append(f"the subgame at {node_name(tree, root)} is a matrix game of {size} "
                     f"reduced strategies, more than {largest} profiles; only its pure "
                     "equilibria were computed, so equilibria may be missing")
    if found.components and whole_tree:
        notes.append("the whole tree has continua of Nash equilibria; their extreme points "
                     "are listed")
    elif found.components:
        notes.append(f"the subgame at {node_name(tree, root)} has a continuum of equilibria; "
                     "its extreme equilibria are combined, not every point of the continuum")
    result = []
    for eq in found.equilibria:
        if not all(isinstance(p, Fraction) for s in eq.strategies for p in s):
            complete = False
            notes.append(f"an irrational equilibrium of the subgame at {node_name(tree, root)} "
                         "was left out (trees are solved with rational behaviours)")
            continue
        behaviour: dict[int, tuple[Fraction, ...]] = {}
        for index, player in enumerate(movers):
            behaviour.update(_behaviour_of(plans[index], eq.strategies[index], own[player],
                                           actions))
        value = _mixed_value(payoffs, [eq.strategies[i] for i in range(len(movers))],
                             tree.n_players)
        result.append((behaviour, value))
    unique = {tuple(sorted(b.items())): (b, v) for b, v in result}  # one per behaviour (Kuhn)
    return list(unique.values()), complete


def _record_tie(ties: list[tuple[int, bool]] | None, root: int,
                result: Sequence[tuple[dict, tuple[Fraction, ...]]]) -> None:
    """Note in ``ties`` that one mover at ``root`` has several best plans, and whether
    they give someone different payoffs (see :func:`_ties_note`)."""
    if len(result) > 1 and ties is not None:
        ties.append((root, len({value for _, value in result}) > 1))


def _one_move(tree: NumericTree, root: int, terminal: Mapping[int, tuple[Fraction, ...]]
              ) -> list[tuple[dict, tuple[Fraction, ...]]]:
    """The equilibria of a region that is one move (every child ends the region): the
    expectation at a chance node; at a decision, every action best for its player (ties
    branch). What the general path gives such a region, without building its strategic
    form: in a perfect-information tree every region is one move."""
    node = tree.nodes[root]
    values = [terminal[c] if c in terminal else tree.payoffs[c] for c in node.children]
    if node.kind == "chance":
        probabilities = tree.chance[node.infoset]
        return [({}, tuple(sum((p * v[i] for p, v in zip(probabilities, values) if p),
                               Fraction(0)) for i in range(tree.n_players)))]
    player = tree.infosets[node.infoset].player
    best = max(v[player] for v in values)
    width = len(values)
    return [({node.infoset: tuple(Fraction(int(j == k)) for j in range(width))}, value)
            for k, value in enumerate(values) if value[player] == best]


def _nested(flat: list, shape: tuple[int, ...]) -> list:
    if len(shape) == 1:
        return list(flat)
    step = len(flat) // shape[0]
    return [_nested(flat[k * step:(k + 1) * step], shape[1:]) for k in range(shape[0])]


def _mixed_value(payoffs: Mapping, strategies: Sequence[Sequence[Fraction]],
                 n_players: int) -> tuple[Fraction, ...]:
    total = [Fraction(0)] * n_players
    for profile, value in payoffs.items():
        weight = Fraction(1)
        for strategy, k in zip(strategies, profile):
            weight *= strategy[k]
        if weight:
            for i in range(n_players):
                total[i] += weight * value[i]
    return tuple(total)


# --------------------------------------------------------------------------------------
# subgame-perfect equilibria
# --------------------------------------------------------------------------------------

class _Solution:
    """One SPE of a subgame: its payoffs, this region's behaviour, the children's SPE."""

    __slots__ = ("value", "own", "children")

    def __init__(self, value, own, children) -> None:
        self.value, self.own, self.children = value, own, children

    def behaviour(self) -> dict[int, tuple[Fraction, ...]]:
        result: dict[int, tuple[Fraction, ...]] = {}
        stack = [self]
        while stack:
            solution = stack.pop()
            result.update(solution.own)
            stack.extend(solution.children)
        return result


def _subgame_perfect(tree: NumericTree, roots: list[int], notes: list[str]
                     ) -> tuple[list[dict[int, tuple[Fraction, ...]]], bool]:
    if not roots:  # a tree that is one leaf: nobody moves
        return [{}], True
    root_set = set(roots)
    solutions: dict[int, list[_Solution]] = {}
    complete = True
    ties: list[tuple[int, bool]] = []
    for root in reversed(roots):
        inner = [i for i in _region(tree, root, root_set) if i != root and i in root_set]
        found: list[_Solution] = []
        for combination in itertools.product(*(solutions[i] for i in inner)):
            terminal = {i: s.value for i, s in zip(inner, combination)}
            equilibria, whole = _region_equilibria(tree, root, terminal, notes, ties=ties)
            complete = complete and whole
            for own, value in equilibria:
                found.append(_Solution(value, own, combination))
            if len(found) > MAX_SPE:
                break
        if len(found) > MAX_SPE:
            found = found[:MAX_SPE]
            complete = False
            notes.append(f"more than {MAX_SPE} subgame-perfect equilibria; the first "
                         f"{MAX_SPE} are listed")
        for i in inner:
            del solutions[i]
        solutions[root] = found
    if ties:
        notes.append(_ties_note(tree, ties))
        complete = complete and not any(matters for _, matters in ties)
    return [s.behaviour() for s in solutions[0]], complete


def _ties_note(tree: NumericTree, ties: Sequence[tuple[int, bool]]) -> str:
    """What ties in one-mover subgames mean for the list of subgame-perfect equilibria.

    Mixtures of tied actions are subgame perfect too. When the tied actions give the
    same payoffs to everybody, those mixtures change nothing earlier in the tree (a
    continuum through the listed equilibria); when they give someone different
    payoffs, a mixture can make an earlier player indifferent in turn and start
    subgame-perfect equilibria in mixed behaviours that are not listed."""
    nodes: dict[int, bool] = {}
    for node, matters in ties:
        nodes[node] = nodes.get(node, False) or matters
    where = node_name(tree, min(nodes))
    more = f" and {len(nodes) - 1} more nodes" if len(nodes) > 1 else ""
    if any(nodes.values()):
        return (f"ties (at {where}{more}): a player is indifferent between actions that "
                "give others different payoffs; mixtures of them are subgame perfect too "
                "and can lead to subgame-perfect equilibria in mixed behaviours that are "
                "not listed (every pure one is)")
    return (f"ties (at {where}{more}): mixtures of the tied actions are subgame perfect "
            "too (a continuum through the listed equilibria, with the same payoffs)")


# --------------------------------------------------------------------------------------
# evaluation and the independent checks
# --------------------------------------------------------------------------------------

def _probability(tree: NumericTree, behaviour: Mapping[int, tuple[Fraction, ...]], node: int,
                 action: int) -> Fraction:
    infoset = tree.nodes[node].infoset
    if tree.nodes[node].kind == "chance":
        return tree.chance[infoset][action]
    return behaviour[infoset][action]


def expected_payoffs(tree: NumericTree, behaviour: Mapping[int, tuple[Fraction, ...]],
                     root: int = 0) -> tuple[tuple[Fraction, ...], dict[int, Fraction]]:
    """The payoffs from ``root`` under ``behaviour`` and the probability of each leaf reached.

    Raises ModelError when play reaches an information set with an empty behaviour.
    """
    total = [Fraction(0)] * tree.n_players
    leaves: dict[int, Fraction] = {}
    stack = [(root, Fraction(1))]
    while stack:
        index, weight = stack.pop()
        node = tree.nodes[index]
        if node.kind == "leaf":
            leaves[index] = weight
            for i in range(tree.n_players):
                total[i] += weight * tree.payoffs[index][i]
            continue
        if node.kind == "player" and not behaviour.get(node.infoset):
            raise ModelError(f"play reaches node {index}, whose information set has no "
                             "behaviour")
        for action, child in enumerate(node.children):
            p = _probability(tree, behaviour, index, action)
            if p:
                stack.append((child, weight * p))
    return tuple(total), dict(sorted(leaves.items()))


def best_response_value(tree: NumericTree, behaviour: Mapping[int, tuple[Fraction, ...]],
                        player: int, root: int = 0) -> Fraction:
    """The most ``player`` can get from ``root`` when the others follow ``behaviour``.

    Dynamic programming over the player's information sets: each leaf's payoff,
    weighted by the chance and other players' probabilities leading to it, is
    credited to the player's last own move before it; an information set is worth its
    best action (perfect recall: each set follows one own move).
    """
    credit: dict[object, Fraction] = {}
    below: dict[object, list[int]] = {}
    order: list[int] = []
    stack: list[tuple[int, Fraction, object]] = [(root, Fraction(1), None)]
    while stack:
        index, weight, key = stack.pop()
        node = tree.nodes[index]
        if node.kind == "leaf":
            credit[key] = credit.get(key, Fraction(0)) + weight * tree.payoffs[index][player]
            continue
        infoset = node.infoset
        if node.kind == "player" and tree.infosets[infoset].player == player:
            if infoset not in below.setdefault(key, []):
                below[key].append(infoset)
                order.append(infoset)
            stack.extend((child, weight, (infoset, action))
                         for action, child in enumerate(node.children))
            continue
        for action, child in enumerate(node.children):
            p = _probability(tree, behaviour, index, action) if (
                node.kind == "chance" or behaviour.get(infoset)) else Fraction(0)
            if p:
                stack.append((child, weight * p, key))
    value: dict[int, Fraction] = {}
    for infoset in reversed(order):
        value[infoset] = max(credit.get((infoset, a), Fraction(0))
                             + sum((value[h] for h in below.get((infoset, a), ())), Fraction(0))
                             for a in range(len(tree.infosets[infoset].actions)))
    return credit.get(None, Fraction(0)) + sum((value[h] for h in below.get(None, ())),
                                               Fraction(0))


def is_nash(tree: NumericTree, behaviour: Mapping[int, tuple[Fraction, ...]],
            root: int = 0) -> bool:
    """Whether no player gains by deviating from ``behaviour`` in the game from ``root``."""
    payoffs, _ = expected_payoffs(tree, behaviour, root)
    return all(best_response_value(tree, behaviour, i, root) == payoffs[i]
               for i in range(tree.n_players))


def _fully_specified(tree: NumericTree, behaviour: Mapping[int, tuple[Fraction, ...]]) -> bool:
    return all(behaviour.get(node.infoset) for node in tree.nodes if node.kind == "player")


def is_subgame_perfect(tree: NumericTree, behaviour: Mapping[int, tuple[Fraction, ...]],
                       roots: Sequence[int] | None = None) -> bool:
    """Whether ``behaviour`` is a Nash equilibrium of every subgame.

    In a perfect-information tree (every information set one node) and with every
    behaviour given, this is the one-shot deviation check at every decision node.
    """
    roots = subgame_roots(tree) if roots is None else roots
    decisions = [n.infoset for n in tree.nodes if n.kind == "player"]
    singletons = len(decisions) == len(set(decisions))
    if singletons and _fully_specified(tree, behaviour):
        value: dict[int, tuple[Fraction, ...]] = {}
        for index in range(len(tree.nodes) - 1, -1, -1):
            node = tree.nodes[index]
            if node.kind == "leaf":
                value[index] = tree.payoffs[index]
                continue
            probabilities = [_probability(tree, behaviour, index, a)
                             for a in range(len(node.children))]
            if 1 in probabilities:  # a pure move (or a sure chance move): no arithmetic
                value[index] = value[node.children[probabilities.index(1)]]
            else:
                value[index] = tuple(sum((p * value[c][i] for p, c in zip(probabilities,
                                                                         node.children)),
                                         Fraction(0))
                                     for i in range(tree.n_players))
            if node.kind == "player":
                player = tree.infosets[node.infoset].player
                if any(value[c][player] > value[index][player] for c in node.children):
                    return False
        return True
    return all(is_nash(tree, behaviour, root) for root in roots)


# --------------------------------------------------------------------------------------
# the entry point
# --------------------------------------------------------------------------------------

def _equilibrium(tree: NumericTree, behaviour: Mapping[int, tuple[Fraction, ...]],
                 verified: bool) -> TreeEquilibrium:
    payoffs, leaves = expected_payoffs(tree, behaviour)
    return TreeEquilibrium(
        behaviour=tuple(behaviour.get(h, ()) if tree.infosets[h].player is not None else ()
                        for h in range(len(tree.infosets))),
        payoffs=payoffs, outcome=tuple((leaf, p) for leaf, p in leaves.items() if p),
        verified=verified)


def solve_tree(tree: NumericTree, *, nash: bool = True) -> TreeSolution:
    """Every subgame-perfect equilibrium of ``tree`` and, for two players (``nash``),
    every extreme Nash equilibrium of its reduced strategic form; each verified exactly.
    With three or more players the Nash list holds the subgame-perfect equilibria,
    checked as Nash equilibria of the whole tree, and is marked incomplete.

    Raises
    ------
    ModelError
        When a subgame's reduced strategic form is larger than the limits allow.
    """
    notes: list[str] = []
    roots = subgame_roots(tree)
    behaviours, spe_complete = _subgame_perfect(tree, roots, notes)
    spe = []
    for behaviour in behaviours:
        verified = is_subgame_perfect(tree, behaviour, roots)
        if not verified:  # pragma: no cover - a bug in the solver, never a result
            raise AssertionError(f"internal error: unverified subgame-perfect equilibrium "
                                 f"{behaviour}")
        spe.append(_equilibrium(tree, behaviour, verified))
    if len(spe) > 1:  # the key reads every behaviour: not for one equilibrium
        spe.sort(key=_order)
    equilibria: list[TreeEquilibrium] = []
    complete = False
    if nash and tree.n_players == 2:
        try:
            found, complete = _region_equilibria(tree, 0, {}, notes, whole_tree=True)
        except ModelError as err:
            notes.append(f"Nash equilibria of the whole tree were not computed: {err}")
            found = []
        seen = set()
        for behaviour, _ in found:
            full = {h: behaviour.get(h, ()) for h in range(len(tree.infosets))}
            key = tuple(full.values())
            if key in seen:  # mixtures of plans with one behaviour (Kuhn): listed once
                continue
            seen.add(key)
            if not is_nash(tree, full):  # pragma: no cover - a bug in the solver
                raise AssertionError(f"internal error: unverified equilibrium {full}")
            equilibria.append(_equilibrium(tree, full, True))
        if not complete:  # the subgame-perfect ones are Nash equilibria too: never none
            equilibria += [eq for eq in spe if eq.behaviour not in seen]
        equilibria.sort(key=_order)
    elif nash:
        for eq in spe:
            full = dict(enumerate(eq.behaviour))
            if not is_nash(tree, full):  # pragma: no cover - an SPE is a Nash equilibrium
                raise AssertionError(f"internal error: unverified equilibrium {full}")
        equilibria = list(spe)
        notes.append(f"the whole tree's Nash equilibria are enumerated for two players only; "
                     f"with {tree.n_players} players the Nash equilibria listed are the "
                     "subgame-perfect ones (each checked as a Nash equilibrium of the whole "
                     "tree), so the list may be incomplete")
    return TreeSolution(tree=tree, spe=tuple(spe), spe_complete=spe_complete,
                        equilibria=tuple(equilibria), equilibria_complete=complete,
                        subgames=len(roots), notes=tuple(dict.fromkeys(notes)))


def _order(eq: TreeEquilibrium):
    """Pure equilibria first, then by behaviour (largest probability of earlier actions)."""
    pure = all(len([p for p in b if p]) <= 1 for b in eq.behaviour)
    return (not pure, tuple(tuple(-p for p in b) for b in eq.behaviour))


def plan_name(tree: NumericTree, player: int, plan: Plan) -> str:
    """A reduced strategy's name: its action at each of the player's information sets (in
    their order), ``*`` where the player's own earlier moves exclude the set."""
    chosen = dict(plan)
    return "/".join(tree.infosets[h].actions[chosen[h]] if h in chosen else "*"
                    for h in tree.player_infosets(player))


def reduced_game_spec(tree: NumericTree):
    """The reduced strategic form of ``tree`` as a normal-form :class:`~policy.spec.GameSpec`
    (what ``policy export --to nfg`` writes). Players who never move get one strategy.

    >>> from policy.readers.yaml_tree import load_tree_text
    >>> from policy.tree_model import TreeGame
    >>> tree = TreeGame.from_spec(load_tree_text('''
    ... players: [a, b]
    ... tree: {player: a, moves: {out: [1, 1], enter: {player: b, moves: {l: [2, 0], r: [0, 2]}}}}
    ... ''')).bind()
    >>> spec = reduced_game_spec(tree)
    >>> [p.strategies for p in spec.players], spec.payoff(("enter", "r"))
    ([('out', 'enter'), ('l', 'r')], (0, 2))
    """
    import sympy

    from .spec import GameSpec, Player

    movers, plans, payoffs = reduced_strategic_form(tree)
    players, index_of = [], {}
    for player, name in enumerate(tree.players):
        if player in movers:
            k = movers.index(player)
            index_of[player] = k
            players.append(Player(name, tuple(plan_name(tree, player, p) for p in plans[k])))
        else:
            players.append(Player(name, ("none",)))
    rows = []
    for profile in itertools.product(*(range(len(p.strategies)) for p in players)):
        key = tuple(profile[player] for player in movers)
        rows.append(tuple(sympy.Rational(v.numerator, v.denominator) for v in payoffs[key]))
    return GameSpec(name=tree.name, title=f"{tree.name}: reduced strategic form",
                    players=tuple(players), payoffs=tuple(rows))

"""Game trees → the credible-threat conditions of each pure subgame-perfect equilibrium.

Where this sits: stage 6 (analysis), after :mod:`policy.tree_equilibria`. For each
pure subgame-perfect equilibrium found at the given values, and each decision node
of a one-node information set, the condition that the action chosen there is at
least as good for its player as every other action, given what everybody does
afterwards: ``V(chosen) >= V(other)``, in the parameters and controls (sympy),
with chance probabilities as written. These are the inequalities that make each
threat or promise credible; in a perfect-information tree they are together exactly
the conditions under which the profile stays subgame perfect (the one-shot
deviation principle). Decisions at information sets with several nodes are not
analysed (their condition depends on where play reaches the set), and mixed
equilibria are not either: the result says how many were left out.

Examples
--------
>>> from policy.api import load
>>> analysis = analyze_tree(load("chain_store"))
>>> first = analysis.equilibria[0].conditions[0]
>>> first.player, first.action, first.alternative, str(first.condition), first.holds
('entrant_1', 'enter', 'stay_out', 'd >= u', True)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import sympy

from .tree_equilibria import solve_tree
from .tree_model import TreeGame

__all__ = ["ThreatCondition", "SpeConditions", "TreeAnalysis", "analyze_tree", "node_paths"]


@dataclass(frozen=True)
class ThreatCondition:
    """At a decision node: ``player`` prefers ``action`` to ``alternative`` when
    ``condition`` holds (a sympy relation, or ``true`` when it always does);
    ``threshold``: the same condition solved for its one parameter, when it is linear
    in a single one (``k <= 1``)."""

    player: str
    node: str
    action: str
    alternative: str
    condition: sympy.Basic
    holds: bool
    threshold: sympy.Basic | None = None


@dataclass(frozen=True)
class SpeConditions:
    """The conditions of one pure subgame-perfect equilibrium (``index`` in the solve's
    list), of which ``always`` hold for every value of the parameters."""

    index: int
    play: tuple[str, ...]
    conditions: tuple[ThreatCondition, ...]
    always: int


@dataclass(frozen=True)
class TreeAnalysis:
    """The conditions of every pure SPE at the values used; ``skipped`` says what was
    not analysed (mixed equilibria, decisions at information sets with several nodes)."""

    equilibria: tuple[SpeConditions, ...]
    values: tuple[tuple[str, sympy.Expr], ...]
    skipped: tuple[str, ...]


def node_paths(spec) -> list[str]:
    """Each node named by the actions leading to it (``enter → fight``; the root
    ``start``), for a :class:`~policy.tree_spec.TreeSpec` or a bound tree."""
    paths = ["start"] * len(spec.nodes)
    for index, node in enumerate(spec.nodes):
        if node.infoset is None:
            continue
        for action, child in zip(spec.infosets[node.infoset].actions, node.children):
            paths[child] = action if index == 0 else f"{paths[index]} → {action}"
    return paths


def analyze_tree(game: TreeGame, values: Mapping[str, object] | None = None,
                 solution=None) -> TreeAnalysis:
    """The credible-threat conditions of each pure SPE of ``game`` at ``values``
    (``solution``: :func:`policy.tree_equilibria.solve_tree`'s answer there, if known)."""
    tree = game.bind(values or {})
    solution = solution or solve_tree(tree, nash=False)
    spec = game.spec
    payoffs = spec.leaf_payoffs()
    at = {game.symbols[name]: value for name, value in tree.values}
    decisions = [n.infoset for n in spec.nodes if n.kind == "player"]
    shared = {h for h in decisions if decisions.count(h) > 1}
    paths = node_paths(spec)
    results, skipped = [], []
    mixed = 0
    for index, eq in enumerate(solution.spe):
        if any(len([p for p in b if p]) > 1 for b in eq.behaviour):
            mixed += 1
            continue
        value: dict[int, tuple[sympy.Expr, ...]] = {}
        conditions: list[ThreatCondition] = []
        always = 0
        for node_index in range(len(spec.nodes) - 1, -1, -1):
            node = spec.nodes[node_index]
            if node.kind == "leaf":
                value[node_index] = payoffs[node_index]
                continue
            infoset = spec.infosets[node.infoset]
            if node.kind == "chance":
                value[node_index] = tuple(
                    sympy.expand(sum((p * value[c][i] for p, c in
                                      zip(infoset.probabilities, node.children)),
                                     sympy.Integer(0)))
                    for i in range(len(spec.players)))
                continue
            choice = eq.behaviour[node.infoset]
            if not choice:  # never reached by its player's own play: no condition
                value[node_index] = value[node.children[0]]
                continue
            chosen = choice.index(1)
            value[node_index] = value[node.children[chosen]]
            if node.infoset in shared:
                continue
            player = infoset.player
            for other, child in enumerate(node.children):
                if other == chosen:
                    continue
                difference = sympy.expand(value[node.children[chosen]][player]
                                          - value[child][player])
                relation = _relation(value[node.children[chosen]][player],
                                     value[child][player], difference)
                if relation is sympy.true:
                    always += 1
                    continue
                holds = bool(sympy.expand(difference.xreplace(at)) >= 0)
                conditions.append(ThreatCondition(
                    player=spec.players[player], node=paths[node_index],
                    action=infoset.actions[chosen], alternative=infoset.actions[other],
                    condition=relation, holds=holds, threshold=_threshold(difference)))
        play = tuple(paths[leaf] for leaf, _ in eq.outcome)
        results.append(SpeConditions(index=index, play=play,
                                     conditions=tuple(reversed(conditions)), always=always))
    if mixed:
        skipped.append(f"{mixed} mixed subgame-perfect equilibri{'um' if mixed == 1 else 'a'} "
                       "(conditions are derived for pure ones)")
    if shared:
        skipped.append("decisions at information sets with several nodes (their condition "
                       "depends on where play reaches the set)")
    return TreeAnalysis(equilibria=tuple(results), values=tuple(tree.values),
                        skipped=tuple(skipped))


def _relation(chosen: sympy.Expr, other: sympy.Expr, difference: sympy.Expr) -> sympy.Basic:
    """``chosen >= other`` as a readable relation: ``true`` when it holds whatever the
    values, else the terms of ``chosen - other`` with a minus sign moved to the right.

    >>> a, b = sympy.symbols("a b")
    >>> _relation(2 * a, a + b, a - b)
    a >= b
    """
    if difference.is_number:
        return sympy.true if difference >= 0 else sympy.false
    if difference.is_nonnegative:
        return sympy.true
    terms = sympy.Add.make_args(difference)
    right = [-t for t in terms if t.could_extract_minus_sign()]
    left = [t for t in terms if not t.could_extract_minus_sign()]
    return sympy.Ge(sympy.Add(*left), sympy.Add(*right))


def _threshold(difference: sympy.Expr) -> sympy.Basic | None:
    """``difference >= 0`` solved for its one symbol when it is linear in it, else None.

    >>> k = sympy.Symbol("k")
    >>> _threshold(1 - k), _threshold(2 * k - 1), _threshold(k**2 - 1)
    (k <= 1, k >= 1/2, None)
    """
    symbols = difference.free_symbols
    if len(symbols) != 1:
        return None
    (symbol,) = symbols
    polynomial = sympy.Poly(difference, symbol) if difference.is_polynomial(symbol) else None
    if polynomial is None or polynomial.degree() != 1:
        return None
    slope, intercept = polynomial.all_coeffs()
    if not (slope.is_number and intercept.is_number) or slope == 0:
        return None
    bound = -intercept / slope
    return sympy.Ge(symbol, bound) if slope > 0 else sympy.Le(symbol, bound)

"""A game tree to solve: :class:`TreeGame` (symbolic) and :class:`NumericTree` (exact numbers).

Where this sits: stage 4, after the tree readers (:mod:`policy.tree_spec`) and
before the tree solvers (:mod:`policy.tree_equilibria`). :class:`TreeGame` keeps the
specification and its symbols; :meth:`TreeGame.bind` substitutes values and gives a
:class:`NumericTree` whose leaf payoffs and chance probabilities are exact
``Fraction`` s. Trees are solved in exact arithmetic only: a payoff or probability
that is not a rational number at the values (``sqrt(2)``) is refused with a
:class:`~policy.errors.ModelError` naming it.

Examples
--------
>>> from policy.readers.yaml_tree import load_tree_text
>>> game = TreeGame.from_spec(load_tree_text('''
... players: [a, b]
... parameters: {q: 1/3}
... tree:
...   chance:
...     h: {probability: q, next: [1, 0]}
...     t: {probability: 1 - q, next: [0, 1]}
... '''))
>>> tree = game.bind({"q": "1/4"})
>>> tree.chance[0], tree.payoffs[1]
((Fraction(1, 4), Fraction(3, 4)), (Fraction(1, 1), Fraction(0, 1)))
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Mapping

import sympy

from .errors import ModelError
from .expressions import substitute
from .syntax import parse_assignment
from .tree_spec import Infoset, TreeNode, TreeSpec

__all__ = ["TreeGame", "NumericTree"]


@dataclass(frozen=True)
class TreeGame:
    """A game tree with symbolic payoffs and probabilities (its :class:`TreeSpec`)."""

    spec: TreeSpec

    @classmethod
    def from_spec(cls, spec: TreeSpec) -> "TreeGame":
        return cls(spec)

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def players(self) -> tuple[str, ...]:
        return self.spec.players

    @property
    def symbols(self) -> dict[str, sympy.Symbol]:
        return self.spec.symbols

    def default_values(self) -> dict[str, sympy.Expr]:
        """Declared values: parameters that have one, and every control."""
        values = {p.name: p.value for p in self.spec.parameters if p.value is not None}
        values.update({c.name: c.value for c in self.spec.controls})
        return values

    def values_with(self, overrides: Mapping[str, object] | None = None) -> dict[str, sympy.Expr]:
        """Default values updated with ``overrides`` (numbers or texts)."""
        values = self.default_values()
        for name, value in (overrides or {}).items():
            if name not in self.symbols:
                raise ModelError(f"'{name}' is not a parameter or control of {self.name}; "
                                 "declared: " + (", ".join(self.symbols) or "(none)"))
            values[name] = parse_assignment(f"{name}={value}", self.spec)[1]
        missing = [name for name in self.symbols if name not in values]
        if missing:
            raise ModelError(f"no value for {', '.join(missing)} in {self.name}; give one in "
                             f"the file or with --set {missing[0]}=…")
        return values

    def value_problem(self, values: Mapping[str, sympy.Expr]) -> str | None:
        """What breaks the tree at ``values`` (a probability outside [0, 1], a payoff that
        is not a rational number, an assumption that fails), in words; None if nothing."""
        try:
            self.bind(values)
        except ModelError as err:
            return str(err)
        return None

    def bind(self, overrides: Mapping[str, object] | None = None) -> "NumericTree":
        """Substitute numbers for every symbol (defaults, then ``overrides``)."""
        values = self.values_with(overrides)
        at = {self.symbols[name]: value for name, value in values.items()}
        spec = self.spec
        for relation in spec.assumptions:
            if relation.xreplace(at) is sympy.false:
                raise ModelError(f"assumption '{relation}' does not hold at these values")

        def exact(expr: sympy.Expr, what: str) -> Fraction:
            value = substitute(expr, at) if expr.free_symbols else expr
            if not value.is_Rational:
                raise ModelError(f"{what} is {value} at these values; trees are solved in exact "
                                 "arithmetic, so it must be a rational number")
            return Fraction(int(value.p), int(value.q))

        chance: dict[int, tuple[Fraction, ...]] = {}
        for index, infoset in enumerate(spec.infosets):
            if infoset.probabilities is None:
                continue
            numbers = tuple(exact(p, f"the probability of {a} ({p})")
                            for a, p in zip(infoset.actions, infoset.probabilities))
            for action, number in zip(infoset.actions, numbers):
                if not 0 <= number <= 1:
                    raise ModelError(f"the probability of {action} is {number} at these values; "
                                     "it must be between 0 and 1")
            chance[index] = numbers
        payoffs = {leaf: tuple(exact(v, f"the payoff of {spec.players[i]} at leaf "
                                        f"{_where(spec, leaf)} ({v})")
                               for i, v in enumerate(values_))
                   for leaf, values_ in spec.leaf_payoffs().items()}
        return NumericTree(name=spec.name, players=spec.players, nodes=spec.nodes,
                           infosets=spec.infosets, chance=chance, payoffs=payoffs,
                           values=tuple(values.items()))

    def __repr__(self) -> str:
        return f"TreeGame({self.name!r}, players={self.players}, nodes={len(self.spec.nodes)})"


def _where(spec: TreeSpec, node: int) -> str:
    if spec.node_fields:
        return spec.node_fields[node]
    return spec.nodes[node].label or f"#{node}"


@dataclass(frozen=True)
class NumericTree:
    """A game tree at given values: exact leaf payoffs and chance probabilities.

    ``chance`` maps a chance information set to its probabilities; ``payoffs`` a leaf
    node to its payoffs (one per player).
    """

    name: str
    players: tuple[str, ...]
    nodes: tuple[TreeNode, ...]
    infosets: tuple[Infoset, ...]
    chance: Mapping[int, tuple[Fraction, ...]]
    payoffs: Mapping[int, tuple[Fraction, ...]]
    values: tuple[tuple[str, sympy.Expr], ...] = field(default=(), compare=False)

    @property
    def n_players(self) -> int:
        return len(self.players)

    def player_infosets(self, player: int) -> list[int]:
        """The information sets of ``player`` in the order of their numbers."""
        own = [i for i, infoset in enumerate(self.infosets) if infoset.player == player]
        return sorted(own, key=lambda i: (self.infosets[i].number, i))

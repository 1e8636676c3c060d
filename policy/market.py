"""MarketSpec → :class:`MarketGame`: each player's payoff as a function of its own choice.

Where this sits in the data flow: the model stage of market games (beside
:mod:`policy.symbolic` for the normal form), after the reader
(:mod:`policy.readers.yaml_market`) and before the solvers
(:mod:`policy.market_equilibria`, :mod:`policy.market_analysis`).

Notation. Player ``k`` chooses ``x_k`` on ``[low_k, high_k]``; a population of
``n_k`` identical firms is represented by one member whose choice is ``y`` while
the other ``n_k - 1`` members choose ``x_k`` (so a symmetric equilibrium has
``y = x_k``). A total ``Q`` of the variable ``q`` is the sum over players choosing
``q`` of ``n_j x_j``, the deviating member's part replaced by ``y``::

    Q = y + (n_k - 1) x_k + sum_{j != k} n_j x_j

Examples
--------
>>> from policy.loader import load_spec
>>> game = MarketGame.from_spec(load_spec("cournot_entry"))
>>> y, x = sympy.Symbol("y"), sympy.Symbol("x")
>>> game.payoff_of(0, y, (x,))
-F + y*(a - b*(x*(N - 1) + y) - c)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

import sympy

from .errors import ModelError
from .expressions import substitute
from .spec import MarketSpec
from .syntax import parse_assignment

__all__ = ["MarketGame"]


@dataclass(frozen=True)
class MarketGame:
    """A market game: players (or populations of identical firms) choosing numbers."""

    spec: MarketSpec

    @classmethod
    def from_spec(cls, spec: MarketSpec) -> "MarketGame":
        return cls(spec)

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def players(self) -> tuple[str, ...]:
        return self.spec.player_names

    @property
    def symbols(self) -> dict[str, sympy.Symbol]:
        return self.spec.symbols

    @property
    def leader_index(self) -> int | None:
        """The index of the player who moves first (Stackelberg), or None."""
        return self.players.index(self.spec.leader) if self.spec.leader else None

    def payoff_of(self, k: int, own: sympy.Expr, profile: Sequence[sympy.Expr]) -> sympy.Expr:
        """The payoff of (one member of) player ``k`` choosing ``own`` while every
        player ``j`` (the other members of ``k`` included) chooses ``profile[j]``."""
        spec = self.spec
        player = spec.players[k]
        replace: dict[sympy.Symbol, sympy.Expr] = {player.variable.symbol: own}
        for j, other in enumerate(spec.players):  # another player's choice named in the payoff
            if j != k and other.variable.name != player.variable.name:
                replace.setdefault(other.variable.symbol, profile[j])
        for total, variable in spec.totals:
            amount = sympy.Integer(0)
            for j, other in enumerate(spec.players):
                if other.variable.name != variable:
                    continue
                if j == k:
                    amount += own + (other.count - 1) * profile[j]
                else:
                    amount += other.count * profile[j]
            replace[sympy.Symbol(total, real=True)] = amount
        return player.payoff.xreplace(replace)

    def totals_at(self, profile: Sequence[sympy.Expr]) -> dict[sympy.Symbol, sympy.Expr]:
        """Each total's value when every player ``j`` chooses ``profile[j]`` (each
        member of a population counted)."""
        result = {}
        for total, variable in self.spec.totals:
            result[sympy.Symbol(total, real=True)] = sum(
                (player.count * profile[j] for j, player in enumerate(self.spec.players)
                 if player.variable.name == variable), sympy.Integer(0))
        return result

    def consumer_surplus(self, quantity: sympy.Expr) -> sympy.Expr:
        """Consumer surplus of the declared inverse demand ``P`` at total ``quantity``:
        ``∫_0^quantity P(z) dz − quantity·P(quantity)`` (0 when the file declares no
        ``welfare: consumers:``). The integral of a ratio of polynomials is found by
        sympy's rational-function algorithm (no heuristics).

        >>> from policy.readers.yaml_market import load_market_text
        >>> game = MarketGame.from_spec(load_market_text(
        ...     "parameters: {a: 10, b: 1}\\n"
        ...     "controls: {s: {value: 0, bounds: [0, 5]}}\\n"
        ...     "market: {totals: {Q: q}, define: {price: a - b*Q}}\\n"
        ...     "players: {firm: {choose: {q: [0, oo]}, payoff: (price + s)*q}}\\n"
        ...     "welfare: {consumers: price}\\n"))
        >>> game.consumer_surplus(sympy.Integer(4))   # the triangle b*Q**2/2
        8*b
        """
        welfare = self.spec.welfare
        if welfare is None or welfare.demand is None:
            return sympy.Integer(0)
        from sympy.integrals.rationaltools import ratint

        z = sympy.Dummy("z", real=True)
        demand = welfare.demand.xreplace({sympy.Symbol(welfare.total, real=True): z})
        antiderivative = ratint(sympy.cancel(demand), z)
        return (antiderivative.xreplace({z: quantity}) - antiderivative.xreplace({z: 0})
                - quantity * demand.xreplace({z: quantity}))

    def welfare_of(self, profile: Sequence[sympy.Expr]) -> sympy.Expr:
        """The file's ``welfare:`` when every player ``j`` chooses ``profile[j]``:
        consumer surplus + the profits of every firm (each member of a population
        counted) − the public costs.

        Raises
        ------
        ModelError
            When the file declares no ``welfare:``.
        """
        welfare = self.spec.welfare
        if welfare is None:
            raise ModelError(f"{self.name} declares no welfare: objective; add a welfare: "
                             "section (docs/game-files.md)")
        totals = self.totals_at(profile)
        value = sympy.Integer(0)
        if welfare.demand is not None:
            value += self.consumer_surplus(totals[sympy.Symbol(welfare.total, real=True)])
        for k, player in enumerate(self.spec.players):
            value += player.count * self.payoff_of(k, profile[k], profile)
        players = {p.name: (k, p) for k, p in enumerate(self.spec.players)}
        for name, cost in welfare.public_costs:
            if name:
                k, player = players[name]
                value -= player.count * cost.xreplace({player.variable.symbol: profile[k],
                                                       **totals})
            else:
                value -= cost.xreplace(totals)
        return value

    def default_values(self) -> dict[str, sympy.Expr]:
        """Declared values: parameters that have one, and every control."""
        values = {p.name: p.value for p in self.spec.parameters if p.value is not None}
        values.update({c.name: c.value for c in self.spec.controls})
        return values

    def values_with(self, overrides: Mapping[str, object] | None = None) -> dict[str, sympy.Expr]:
        """Default values updated with ``overrides`` (numbers or texts such as ``"1/3"``)."""
        values = self.default_values()
        for name, value in (overrides or {}).items():
            if name not in self.symbols:
                raise ModelError(f"'{name}' is not a parameter or control of {self.name}; "
                                 "declared: " + (", ".join(self.symbols) or "(none)"))
            _, number = parse_assignment(f"{name}={value}", self.spec)
            values[name] = number
        missing = [name for name in self.symbols if name not in values]
        if missing:
            raise ModelError(f"no value for {', '.join(missing)} in {self.name}; give one in the "
                             f"file or with --set {missing[0]}=…")
        return values

    def at(self, values: Mapping[str, sympy.Expr], expr: sympy.Expr) -> sympy.Expr:
        """``expr`` with the values of the parameters and controls substituted (bounded:
        :func:`policy.expressions.substitute`)."""
        return substitute(expr, {self.symbols[name]: value for name, value in values.items()})

    def counts_at(self, values: Mapping[str, sympy.Expr]) -> tuple[sympy.Integer, ...]:
        """How many firms each player is at ``values``.

        Raises
        ------
        ModelError
            When a count is not a whole number of at least 1.
        """
        counts = []
        for player in self.spec.players:
            count = self.at(values, player.count)
            if not (count.is_integer and count >= 1):
                raise ModelError(f"{player.name} is a population of {player.count} = {count} "
                                 "firms; a number of firms is a whole number, at least 1")
            counts.append(count)
        return tuple(counts)

    def value_problem(self, values: Mapping[str, sympy.Expr]) -> str | None:
        """What breaks the game at ``values``: an assumption that does not hold, a count
        that is not a whole number, bounds the wrong way round. None when nothing does."""
        at = {self.symbols[name]: value for name, value in values.items()}
        for relation in self.spec.assumptions:
            if relation.free_symbols <= set(at) and relation.xreplace(at) is sympy.false:
                return f"assumption '{relation}' does not hold"
        for player in self.spec.players:
            if player.count.free_symbols <= set(at):
                count = player.count.xreplace(at)
                if not (count.is_integer and count >= 1):
                    return (f"{player.name} is a population of {player.count} = {count} firms; "
                            "a number of firms is a whole number, at least 1")
            low, high = player.variable.low, player.variable.high
            if high is not None and (low - high).free_symbols <= set(at):
                if (low - high).xreplace(at).is_positive:
                    return (f"the interval of {player.name}'s {player.variable.name} is empty: "
                            f"{low} > {high}")
        return None

    def __repr__(self) -> str:
        return f"MarketGame({self.name!r}, players={', '.join(self.players)})"

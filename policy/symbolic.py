"""GameSpec → :class:`SymbolicGame`: payoffs as sympy expressions, indexed by profile.

A ``SymbolicGame`` is immutable. It knows the declared symbols, their default
values, and can be bound to numbers (:meth:`SymbolicGame.bind`), which gives a
:class:`policy.numeric.NumericGame`.

Examples
--------
>>> from policy.readers.yaml_normal_form import load_game_text
>>> game = SymbolicGame.from_spec(load_game_text('''
... parameters: {a: 2}
... players: {row: [up, down], column: [left, right]}
... payoffs:
...   up: {left: [a, 1], right: [0, 0]}
...   down: {left: [0, 0], right: [1, a]}
... ''', path="coordination.yaml"))
>>> game
SymbolicGame('coordination', players=row(up, down) × column(left, right), symbols=a)
>>> game.payoff(0, ("up", "left"))
a
>>> game.bind({"a": 3}).exact_payoffs[0].tolist()
[[Fraction(3, 1), Fraction(0, 1)], [Fraction(0, 1), Fraction(1, 1)]]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Mapping

import sympy

from .errors import ModelError
from .spec import GameSpec
from .syntax import parse_assignment

if TYPE_CHECKING:  # pragma: no cover
    from .numeric import NumericGame

__all__ = ["SymbolicGame"]


@dataclass(frozen=True)
class SymbolicGame:
    """A game whose payoffs are sympy expressions in parameters and controls."""

    spec: GameSpec

    @classmethod
    def from_spec(cls, spec: GameSpec) -> "SymbolicGame":
        return cls(spec)

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def players(self) -> tuple[str, ...]:
        return self.spec.player_names

    @property
    def strategies(self) -> tuple[tuple[str, ...], ...]:
        return tuple(p.strategies for p in self.spec.players)

    @property
    def shape(self) -> tuple[int, ...]:
        return self.spec.shape

    @property
    def symbols(self) -> dict[str, sympy.Symbol]:
        return self.spec.symbols

    def payoff(self, player: int, profile: tuple[str, ...]) -> sympy.Expr:
        """Payoff expression of ``player`` (an index) at a pure profile of names."""
        return self.spec.payoff(profile)[player]

    def default_values(self) -> dict[str, sympy.Expr]:
        """Declared values: parameters that have one, and every control."""
        values = {p.name: p.value for p in self.spec.parameters if p.value is not None}
        values.update({c.name: c.value for c in self.spec.controls})
        return values

    def values_with(self, overrides: Mapping[str, object] | None = None) -> dict[str, sympy.Expr]:
        """Default values updated with ``overrides`` (numbers or ``name=value`` texts)."""
        values = self.default_values()
        for name, value in (overrides or {}).items():
            if name not in self.symbols:
                raise ModelError(
                    f"'{name}' is not a parameter or control of {self.name}; declared: "
                    + (", ".join(self.symbols) or "(none)"))
            _, number = parse_assignment(f"{name}={value}", self.spec)
            values[name] = number
        missing = [name for name in self.symbols if name not in values]
        if missing:
            raise ModelError(
                f"no value for {', '.join(missing)} in {self.name}; give one in the file "
                f"or with --set {missing[0]}=…")
        return values

    def bind(self, overrides: Mapping[str, object] | None = None) -> "NumericGame":
        """Substitute numbers for every symbol: defaults, then ``overrides``."""
        from .numeric import NumericGame

        return NumericGame.from_symbolic(self, self.values_with(overrides))

    def __repr__(self) -> str:
        players = " × ".join(f"{p}({', '.join(s)})" for p, s in zip(self.players, self.strategies))
        return (f"SymbolicGame({self.name!r}, players={players}, "
                f"symbols={', '.join(self.symbols) or '(none)'})")

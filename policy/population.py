"""PopulationSpec → :class:`PopulationGame`: a member's payoff by how many choose each strategy.

Where this sits in the data flow: the model stage of population games (beside
:mod:`policy.symbolic` and :mod:`policy.market`), after the reader
(:mod:`policy.readers.yaml_population`) and before the solver
(:mod:`policy.population_equilibria`).

Notation. ``N`` members choose between strategies ``A`` and ``B`` (the file's
first and second); ``k`` members choose ``A``. ``u_A(k)`` is the payoff of a
member choosing ``A`` when ``k`` members (itself included) choose ``A`` and
``N - k`` choose ``B``; ``u_B(k)`` that of a member choosing ``B`` in the same
state. A member of ``A`` stays when ``u_A(k) >= u_B(k - 1)`` (switching makes the
state ``k - 1``); a member of ``B`` stays when ``u_B(k) >= u_A(k + 1)``.

Examples
--------
>>> from policy.loader import load_spec
>>> game = PopulationGame.from_spec(load_spec("entry_population"))
>>> k = sympy.Symbol("k")
>>> game.payoff(0, k), game.payoff(1, k)
(-F + V/k - fee, 0)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import sympy

from .errors import ModelError
from .expressions import substitute
from .spec import PopulationSpec
from .syntax import parse_assignment

__all__ = ["PopulationGame"]


@dataclass(frozen=True)
class PopulationGame:
    """A population of identical members choosing between two strategies."""

    spec: PopulationSpec

    @classmethod
    def from_spec(cls, spec: PopulationSpec) -> "PopulationGame":
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
    def count_symbol(self) -> sympy.Symbol:
        """How many members choose the first strategy, as a symbol: ``k``, or ``k_``,
        ``k__``… when a parameter or control already has that name (it must not be
        taken for it).

        >>> from policy.readers.yaml_population import load_population_text
        >>> game = PopulationGame.from_spec(load_population_text(
        ...     "parameters: {k: {value: 3}}\\npopulation: {name: users, count: 4, "
        ...     "strategies: [join, out], payoffs: {join: n_join - k, out: 0}}"))
        >>> game.count_symbol
        k_
        """
        name = "k"
        while name in self.symbols:
            name += "_"
        return sympy.Symbol(name, real=True)

    def payoff(self, strategy: int, first: sympy.Expr, count: sympy.Expr | None = None
               ) -> sympy.Expr:
        """The payoff of a member choosing ``strategies[strategy]`` when ``first``
        members choose the first strategy and ``count - first`` the second (``count``:
        the population's declared count)."""
        spec = self.spec
        count = spec.count if count is None else count
        counts = {spec.count_symbol(spec.strategies[0]): first,
                  spec.count_symbol(spec.strategies[1]): count - first}
        return spec.payoffs[strategy].xreplace(counts)

    def default_values(self) -> dict[str, sympy.Expr]:
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
        """``expr`` with the values substituted (bounded: :func:`policy.expressions.substitute`)."""
        return substitute(expr, {self.symbols[name]: value for name, value in values.items()})

    def value_problem(self, values: Mapping[str, sympy.Expr]) -> str | None:
        """What breaks the game at ``values`` (an assumption that does not hold, a count
        that is not a whole number), or None."""
        at = {self.symbols[name]: value for name, value in values.items()}
        for relation in self.spec.assumptions:
            if relation.free_symbols <= set(at) and relation.xreplace(at) is sympy.false:
                return f"assumption '{relation}' does not hold"
        if self.spec.count.free_symbols <= set(at):
            count = self.spec.count.xreplace(at)
            if not (count.is_integer and count >= 1):
                return (f"{self.spec.population} is a population of {self.spec.count} = {count} "
                        "members; a number of members is a whole number, at least 1")
        return None

    def __repr__(self) -> str:
        return f"PopulationGame({self.name!r}, {self.spec.count} {self.spec.population})"

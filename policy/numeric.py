"""SymbolicGame + values → :class:`NumericGame`: exact Rational payoffs plus a float view.

When every payoff evaluates to a rational number (the usual case: parameters are
decimals or fractions), ``exact_payoffs`` holds :class:`fractions.Fraction`
arrays and every later computation can be checked exactly. Otherwise (``sqrt``,
``exp`` of a rational …) ``exact_payoffs`` is ``None`` and solvers use floats
with the documented tolerance :data:`FLOAT_TOLERANCE`.

Examples
--------
>>> game = NumericGame.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]], name="pd")
>>> game
NumericGame('pd', 2×2, exact)
>>> game.payoffs[0]
array([[3., 0.],
       [5., 1.]])
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Mapping, Sequence

import numpy as np
import sympy

from .errors import ExpressionError, ModelError
from .expressions import substitute

if TYPE_CHECKING:  # pragma: no cover
    from .symbolic import SymbolicGame

__all__ = ["NumericGame", "FLOAT_TOLERANCE", "to_fraction"]

#: Relative tolerance used when a game is not exactly rational: payoff
#: differences below ``FLOAT_TOLERANCE × max|payoff|`` count as ties.
FLOAT_TOLERANCE = 1e-9


def to_fraction(value: object) -> Fraction | None:
    """An exact Fraction for a rational sympy number, int, or Fraction; else None.

    >>> to_fraction(sympy.Rational(2, 7)), to_fraction(sympy.sqrt(2))
    (Fraction(2, 7), None)
    """
    if isinstance(value, Fraction):
        return value
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return Fraction(int(value))
    if isinstance(value, sympy.Basic) and value.is_Rational:
        return Fraction(int(value.p), int(value.q))
    return None


def _frozen(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array


@dataclass(frozen=True, eq=False)
class NumericGame:
    """A game with numeric payoffs: one array per player, axes in player order.

    Attributes
    ----------
    name : str
    players : tuple of str
    strategies : tuple of tuple of str
    payoffs : tuple of float ndarrays, one per player, shape = ``shape``
    exact_payoffs : tuple of object ndarrays of Fraction, or None when irrational
    values : tuple of (name, sympy number) pairs used to build the game
    """

    name: str
    players: tuple[str, ...]
    strategies: tuple[tuple[str, ...], ...]
    payoffs: tuple[np.ndarray, ...]
    exact_payoffs: tuple[np.ndarray, ...] | None
    values: tuple[tuple[str, sympy.Expr], ...] = ()

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(len(s) for s in self.strategies)

    @property
    def is_exact(self) -> bool:
        return self.exact_payoffs is not None

    @property
    def n_players(self) -> int:
        return len(self.players)

    @classmethod
    def from_symbolic(cls, game: "SymbolicGame", values: Mapping[str, sympy.Expr]) -> "NumericGame":
        """Evaluate every payoff of ``game`` at ``values`` (name → number)."""
        symbols = game.symbols
        substitution = {symbols[name]: sympy.sympify(value) if not isinstance(value, sympy.Basic)
                        else value for name, value in values.items() if name in symbols}
        shape = game.shape
        n = len(shape)
        exact: list[list[Fraction]] | None = [[] for _ in range(n)]
        floats: list[list[float]] = [[] for _ in range(n)]
        for profile, row in zip(game.spec.profiles(), game.spec.payoffs):
            for player, expr in enumerate(row):
                try:
                    value = substitute(expr, substitution)
                except ExpressionError as err:
                    raise ModelError(f"payoff of {game.players[player]} at {'/'.join(profile)}: "
                                     f"{err.message}") from None
                if not value.is_number:
                    missing = ", ".join(sorted(str(s) for s in value.free_symbols))
                    raise ModelError(f"payoff of {game.players[player]} at "
                                     f"{'/'.join(profile)} still depends on {missing}")
                number = sympy.nsimplify(value) if value.is_Float else value
                if number.is_real is False or number.has(sympy.zoo, sympy.nan, sympy.oo):
                    raise ModelError(f"payoff of {game.players[player]} at {'/'.join(profile)} "
                                     f"is {value}, not a finite real number")
                fraction = to_fraction(number)
                if fraction is None:
                    exact = None
                elif exact is not None:
                    exact[player].append(fraction)
                floats[player].append(float(number.evalf(30)))
        return cls.with_payoffs(game, values, floats, exact)

    @classmethod
    def with_payoffs(cls, game: "SymbolicGame", values: Mapping[str, object],
                     floats: Sequence[Sequence[float]],
                     exact: Sequence[Sequence[Fraction]] | None) -> "NumericGame":
        """``game``'s players and strategies with these payoffs (one flat list per player,
        profile-major), recording the ``values`` they were evaluated at."""
        used = tuple(sorted((name, sympy.sympify(v)) for name, v in values.items()))
        return cls._build(game.name, game.players, game.strategies, floats, exact, used)

    @classmethod
    def from_arrays(cls, *arrays: Sequence, name: str = "game",
                    players: Sequence[str] | None = None,
                    strategies: Sequence[Sequence[str]] | None = None) -> "NumericGame":
        """Build a game from one payoff array per player (ints, Fractions or floats).

        Integers and Fractions stay exact; floats make the game inexact unless every
        float is a whole number.
        """
        if len(arrays) < 2:
            raise ModelError("give one payoff array per player (at least two)")
        arrays_np = [np.array(a, dtype=object) for a in arrays]
        shape = arrays_np[0].shape
        if len(shape) != len(arrays_np) or any(a.shape != shape for a in arrays_np):
            raise ModelError(f"expected {len(arrays_np)} arrays of {len(arrays_np)} dimensions "
                             f"and equal shape, got shapes {[a.shape for a in arrays_np]}")
        players = tuple(players or (["row", "column"] if len(shape) == 2
                                    else [f"player{i + 1}" for i in range(len(shape))]))
        strategies = tuple(tuple(s) for s in (strategies or [
            [f"{p[0]}{j + 1}" for j in range(k)] for p, k in zip(players, shape)]))
        exact: list[list[Fraction]] | None = []
        floats = []
        for array in arrays_np:
            flat = list(array.reshape(-1))
            floats.append([float(v) for v in flat])
            if exact is not None:
                converted = [to_fraction(v) if not isinstance(v, float)
                             else (Fraction(v) if v.is_integer() else None) for v in flat]
                if any(c is None for c in converted):
                    exact = None
                else:
                    exact.append(converted)
        if any(not np.all(np.isfinite(f)) for f in floats):
            raise ModelError("payoffs must be finite numbers")
        return cls._build(name, players, strategies, floats, exact, ())

    @classmethod
    def _build(cls, name, players, strategies, floats, exact, values) -> "NumericGame":
        shape = tuple(len(s) for s in strategies)
        float_arrays = tuple(_frozen(np.array(f, dtype=float).reshape(shape)) for f in floats)
        exact_arrays = None
        if exact is not None:
            exact_arrays = []
            for values_of_player in exact:
                array = np.empty(len(values_of_player), dtype=object)
                array[:] = values_of_player
                exact_arrays.append(_frozen(array.reshape(shape)))
            exact_arrays = tuple(exact_arrays)
        return cls(name=name, players=tuple(players), strategies=tuple(strategies),
                   payoffs=float_arrays, exact_payoffs=exact_arrays, values=tuple(values))

    def strategy_index(self, player: int, strategy: str) -> int:
        return self.strategies[player].index(strategy)

    def __repr__(self) -> str:
        size = "×".join(str(k) for k in self.shape)
        return f"NumericGame({self.name!r}, {size}, {'exact' if self.is_exact else 'float'})"

"""The exact engine behind the float engines: doubtful grid points solved in rational
arithmetic at the exact grid value.

Exact payoffs come from the payoff trees compiled to :class:`~fractions.Fraction`
arithmetic (:class:`ExactPayoffs`, no sympy substitution per point); pure games are
decided in integers along each player's deviation lines (:func:`exact_pure_supports`),
two-player games by :func:`policy.equilibria.find_equilibria`, and points with equal
exact payoffs are solved once (the :class:`~.labels.LabelTable`'s ``solved`` cache).

Examples
--------
>>> import policy
>>> game = policy.load("platform_entry")
>>> exact = ExactPayoffs(game, ["entry_subsidy"], game.values_with({}))
>>> flat = exact.evaluate({"entry_subsidy": Fraction(1, 2)})
>>> exact_pure_supports(flat, game.shape)
[((0,), (1,)), ((1,), (0,))]
"""

from __future__ import annotations

import functools
import itertools
import operator
from fractions import Fraction
from typing import Callable, Mapping, Sequence

import numpy as np
import sympy

from ..best_response import common_denominator
from ..equilibria import find_equilibria
from ..numeric import NumericGame
from ..symbolic import SymbolicGame
from .grid import bound_payoffs
from .integer_kernel import deviation_lines
from .labels import LabelTable

__all__ = ["ExactPayoffs", "exact_pure_supports", "sign_pattern_2x2", "solve_exactly",
           "runs_engine_per_point"]


def runs_engine_per_point(game: SymbolicGame, two_player_mixed: bool) -> bool:
    """Whether :func:`solve_exactly` runs the exact engine once per doubtful point
    (distinct payoffs): two-player games larger than 2×2 with mixed equilibria. Pure
    equilibria are decided in plain integers, and 2×2 games once per sign pattern
    (:func:`sign_pattern_2x2`), both cheap however many points are doubtful.

    >>> from policy.loader import load_spec
    >>> runs_engine_per_point(SymbolicGame.from_spec(load_spec("inspection")), True)
    False
    """
    return two_player_mixed and game.shape != (2, 2)


def solve_exactly(game: SymbolicGame, labels: LabelTable, exact_payoffs: "ExactPayoffs",
                  two_player_mixed: bool, result: np.ndarray, positions: np.ndarray,
                  exact_point: Callable[[int], dict]) -> int:
    """Label ``positions`` of ``result`` with the exact engine (games with equal exact
    payoffs once); ``exact_point(k)`` gives the exact values of point k. Returns how
    many points were solved."""
    method = "auto" if two_player_mixed else "pure"
    for position in positions:
        point = exact_point(int(position))
        flat = exact_payoffs.evaluate(point)
        if flat is not None and not two_player_mixed:  # cheaper than a cache lookup
            result[position] = labels.label_of(exact_pure_supports(flat, game.shape))
            continue
        key = None if flat is None else (
            sign_pattern_2x2(flat) if two_player_mixed and game.shape == (2, 2) else tuple(flat))
        label = labels.solved.get(key) if key is not None else None
        if label is None:
            numeric = exact_payoffs.game(point, flat) if flat is not None else \
                game.bind(exact_payoffs.overrides(point))
            found = find_equilibria(numeric, method=method)
            label = labels.label_of([eq.supports for eq in found.equilibria],
                                    complete=found.complete or method == "pure")
            if key is not None:
                labels.solved[key] = label
        result[position] = label
    return len(positions)


def sign_pattern_2x2(flat: Sequence[Fraction]) -> tuple[str, int, int, int, int]:
    """What decides every equilibrium support of a 2×2 game: the sign of each
    player's payoff difference between its two strategies, against each strategy of
    the other (``flat``: profile-major, then player).

    Best responses are these signs; the completely mixed equilibrium exists exactly
    when a player's two differences are non-zero with opposite signs (it makes the
    other indifferent at a probability strictly between 0 and 1); a zero difference
    is an indifference, which decides where continua of equilibria lie and which
    pure profiles are their extreme points. So two 2×2 games with one sign pattern
    have the same equilibrium supports, and the exact engine runs at most 81 times
    on a 2×2 grid however degenerate it is (tests/test_sweep.py checks it against the
    engine on random games).

    >>> sign_pattern_2x2([3, 3, 0, 5, 5, 0, 1, 1])   # prisoner's dilemma: defecting pays
    ('2x2', -1, -1, -1, -1)
    """
    a = flat[0::2]  # row player's payoffs at (0,0), (0,1), (1,0), (1,1)
    b = flat[1::2]
    differences = (a[0] - a[2], a[1] - a[3], b[0] - b[1], b[2] - b[3])
    return ("2x2", *((d > 0) - (d < 0) for d in differences))


def exact_pure_supports(flat: Sequence[Fraction], shape: tuple[int, ...]) -> list[tuple]:
    """Pure equilibria from exact payoffs (profile-major, then player), as the exact
    engine's ``pure`` method finds them: every player's payoff equals its best deviation.

    The same decision as :func:`policy.best_response.best_response_mask` on exact
    payoffs, in plain integers along each deviation line: a doubtful point costs a
    few microseconds, not numpy's per-call overhead (a grid can be all doubtful)."""
    n = len(shape)
    profiles = list(itertools.product(*(range(k) for k in shape)))
    is_equilibrium = [True] * len(profiles)
    for player, lines in enumerate(deviation_lines(shape)):
        own, _ = common_denominator(flat[player::n])  # this player's payoffs as integers
        for line in lines:
            values = [own[k] for k in line]
            best = max(values)
            for k, value in zip(line, values):
                if value != best:
                    is_equilibrium[k] = False
    return [tuple((s,) for s in profile) for profile, on in zip(profiles, is_equilibrium) if on]


class ExactPayoffs:
    """Payoffs evaluated exactly (Fractions) from the sympy trees, compiled once per game.

    :meth:`game` gives the same :class:`NumericGame` as ``SymbolicGame.bind`` when every
    payoff is rational at the point (:meth:`evaluate` is not None), without sympy substitution.
    """

    def __init__(self, game: SymbolicGame, names: Sequence[str], current: Mapping[str, sympy.Expr]):
        self.symbolic = game
        self.names = list(names)
        self.current = dict(current)
        position = {game.symbols[name]: k for k, name in enumerate(names)}
        self.functions = [_fraction_function(expr, position)
                          for expr in bound_payoffs(game, names, current)]

    def evaluate(self, point: Mapping[str, Fraction]) -> list[Fraction] | None:
        """Exact payoffs (profile-major, then player), or None if one is not rational."""
        arguments = [point[name] for name in self.names]
        flat = [function(arguments) for function in self.functions]
        return None if any(value is None for value in flat) else flat

    def game(self, point: Mapping[str, Fraction], flat: Sequence[Fraction]) -> NumericGame:
        """The game ``SymbolicGame.bind`` gives at ``point``, from its exact payoffs ``flat``."""
        n = len(self.symbolic.players)
        exact = [list(flat[player::n]) for player in range(n)]
        floats = [[float(value) for value in values] for values in exact]
        return NumericGame.with_payoffs(self.symbolic, self.overrides(point), floats, exact)

    def overrides(self, point: Mapping[str, Fraction]) -> dict[str, sympy.Expr]:
        """The symbols' values at ``point`` (for ``SymbolicGame.bind``)."""
        overrides = dict(self.current)
        overrides.update({k: sympy.Rational(v) for k, v in point.items()})
        return overrides


def _fraction_function(expr: sympy.Expr, position: Mapping[sympy.Symbol, int]
                       ) -> Callable[[Sequence[Fraction]], Fraction | None]:
    """``expr`` as a function of the varied values (Fractions) → Fraction, or None when
    the value is not a rational number (or not defined) at that point."""
    if expr.is_Rational:
        constant = Fraction(int(expr.p), int(expr.q))
        return lambda values: constant
    if expr.is_Symbol:
        k = position[expr]
        return lambda values: values[k]
    parts = [_fraction_function(a, position) for a in expr.args]

    def evaluated(values):
        results = [part(values) for part in parts]
        return None if any(r is None for r in results) else results

    if expr.is_Add:
        # every part is a Fraction, so no start value is needed (one operation fewer)
        return lambda values: None if (r := evaluated(values)) is None else functools.reduce(operator.add, r)
    if expr.is_Mul:
        return lambda values: None if (r := evaluated(values)) is None else functools.reduce(operator.mul, r)
    if isinstance(expr, (sympy.Min, sympy.Max, sympy.Abs)):
        function = {sympy.Min: min, sympy.Max: max, sympy.Abs: lambda v: abs(v)}[expr.func]
        return lambda values: None if (r := evaluated(values)) is None else function(*r)
    if expr.is_Pow and expr.args[1].is_Integer:
        exponent = int(expr.args[1])
        base = parts[0]

        def power(values):
            value = base(values)
            return None if value is None or (value == 0 and exponent < 0) else value ** exponent
        return power
    return lambda values: None  # sqrt, exp, log, irrational constants: sympy decides

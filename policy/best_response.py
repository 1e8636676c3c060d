"""Best responses and equilibrium checks: the one place that decides whether a
profile of a :class:`~policy.numeric.NumericGame` is an equilibrium.

Every stage asks this question — the equilibrium engines verify what they found,
``optimize`` verifies a policy by re-solving, sweeps label points exactly — and all
of them ask it here, so "equilibrium" means the same thing everywhere:

- :func:`best_response_mask` — for one player, which profiles give that player a
  best response (the building block of pure-equilibrium enumeration);
- :func:`pure_equilibrium_mask` — every pure equilibrium of a table at once;
- :func:`is_pure_equilibrium` — one pure profile, optionally with a strictness
  ``margin`` (every deviation loses at least that much) or as a profile of
  dominant strategies;
- :func:`is_best_response_profile` — a mixed profile, every player's strategy a
  best response to the others'.

Decisions are exact (:class:`fractions.Fraction` payoffs, integer arithmetic where
it is faster) when the game is rational, and otherwise within
:data:`~policy.numeric.FLOAT_TOLERANCE` relative to the largest payoff.

Examples
--------
>>> pd = NumericGame.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
>>> pure_equilibrium_mask(pd).tolist()
[[False, False], [False, True]]
>>> is_pure_equilibrium(pd, (1, 1)), is_pure_equilibrium(pd, (1, 1), dominant=True)
(True, True)
>>> is_pure_equilibrium(pd, (1, 1), margin=2)   # defecting gains only 1 against cooperation
False
"""

from __future__ import annotations

import itertools
import math
import weakref
from fractions import Fraction
from numbers import Number
from typing import Sequence

import numpy as np

from .algebraic import is_exact_number
from .numeric import FLOAT_TOLERANCE, NumericGame

__all__ = ["best_response_mask", "pure_equilibrium_mask", "is_pure_equilibrium",
           "is_best_response_profile", "payoff_scale", "expected_payoffs",
           "integer_rows", "integer_payoff_rows", "common_denominator"]


def payoff_scale(array: np.ndarray) -> float:
    """The largest absolute payoff: float ties are decided within ``FLOAT_TOLERANCE``
    times this (relative, so the same game at 1e-9 or 1e9 has the same ties).

    >>> payoff_scale(np.array([[1.0, -4.0], [2.0, 3.0]]))
    4.0
    """
    return float(np.max(np.abs(array)))


def best_response_mask(array: np.ndarray, player: int, exact: bool) -> np.ndarray:
    """Boolean array of ``array``'s shape: whether ``player``'s strategy in each
    profile is a best response to the others' strategies in it. ``array`` holds
    ``player``'s payoffs (Fractions when ``exact``; floats are compared within
    ``FLOAT_TOLERANCE`` times :func:`payoff_scale`).

    >>> best_response_mask(np.array([[3, 0], [5, 1]]), 0, exact=True).tolist()
    [[False, False], [True, True]]
    """
    if exact:
        return (array == np.maximum.reduce(array, axis=player, keepdims=True)).astype(bool)
    best = np.max(array, axis=player, keepdims=True)
    return array >= best - FLOAT_TOLERANCE * payoff_scale(array)


def pure_equilibrium_mask(game: NumericGame) -> np.ndarray:
    """Boolean array of the game's shape: which pure profiles are equilibria."""
    exact = game.is_exact
    arrays = game.exact_payoffs if exact else game.payoffs
    mask = np.ones(game.shape, dtype=bool)
    for player, array in enumerate(arrays):
        mask &= best_response_mask(array, player, exact)
    return mask


def is_pure_equilibrium(game: NumericGame, profile: Sequence[int], margin: Number = 0,
                        dominant: bool = False) -> bool:
    """Whether no player gains by deviating from the pure ``profile``.

    Parameters
    ----------
    margin : every deviation must lose at least this much (0: weak equilibrium)
    dominant : the profile's strategies must do so against every profile of the
        others, not only against ``profile`` (dominant strategies)

    Float games allow ``FLOAT_TOLERANCE`` (absolute) of slack, as the optimizer's
    verification always has.
    """
    arrays = game.exact_payoffs if game.is_exact else game.payoffs
    slack = 0 if game.is_exact else FLOAT_TOLERANCE
    for player, array in enumerate(arrays):
        contexts = [tuple(profile)]
        if dominant:
            contexts = list(itertools.product(*(range(k) if j != player else [profile[player]]
                                                for j, k in enumerate(array.shape))))
        for context in contexts:
            here = array[context]
            for deviation in range(array.shape[player]):
                if deviation == profile[player]:
                    continue
                away = list(context)
                away[player] = deviation
                if array[tuple(away)] > here - margin + slack:
                    return False
    return True


def common_denominator(probabilities: Sequence) -> tuple[list[int], int]:
    """Rational probabilities as integers over one positive denominator.

    >>> common_denominator([Fraction(1, 2), Fraction(1, 3), Fraction(1, 6)])
    ([3, 2, 1], 6)
    """
    denominator = math.lcm(*(p.denominator for p in probabilities))
    return [p.numerator * (denominator // p.denominator) for p in probabilities], denominator


def integer_rows(array: np.ndarray) -> tuple[list[list[int]], int]:
    """A rational 2-d ``array`` as integer rows times ``1 / scale`` (scale > 0).

    >>> integer_rows(np.array([[1, Fraction(1, 2)]], dtype=object))
    ([[2, 1]], 2)
    """
    values = [Fraction(v) for v in array.reshape(-1).tolist()]
    scale = math.lcm(*(v.denominator for v in values))
    cols = array.shape[1]
    ints = [v.numerator * (scale // v.denominator) for v in values]
    return [ints[i:i + cols] for i in range(0, len(ints), cols)], scale


_INTEGER_PAYOFF_ROWS: "weakref.WeakKeyDictionary[NumericGame, tuple]" = weakref.WeakKeyDictionary()


def integer_payoff_rows(game: NumericGame) -> tuple[tuple[list[list[int]], int], ...]:
    """:func:`integer_rows` of each player's exact payoffs of a two-player game,
    computed once per game.

    >>> integer_payoff_rows(NumericGame.from_arrays([[1, Fraction(1, 2)]], [[0, 2]]))
    (([[2, 1]], 2), ([[0, 2]], 1))
    """
    rows = _INTEGER_PAYOFF_ROWS.get(game)
    if rows is None:
        rows = _INTEGER_PAYOFF_ROWS[game] = tuple(integer_rows(a) for a in game.exact_payoffs)
    return rows


def _two_player_exact_best_responses(game: NumericGame, strategies) -> bool:
    """:func:`is_best_response_profile` for an exact two-player game, in integers."""
    x, dx = common_denominator(strategies[0])
    y, dy = common_denominator(strategies[1])
    if min(x) < 0 or min(y) < 0 or sum(x) != dx or sum(y) != dy:  # not probabilities
        return False
    (A, _), (B, _) = integer_payoff_rows(game)
    m, n = len(x), len(y)
    # payoffs of each pure strategy, times a positive constant
    rows = [sum(A[i][j] * y[j] for j in range(n)) for i in range(m)]
    cols = [sum(B[i][j] * x[i] for i in range(m)) for j in range(n)]
    return (sum(x[i] * rows[i] for i in range(m)) == max(rows) * dx
            and sum(y[j] * cols[j] for j in range(n)) == max(cols) * dy)


def expected_payoffs(array: np.ndarray, strategies: Sequence[Sequence[Number]],
                     skip: int | None = None):
    """Contract ``array`` with every player's strategy except ``skip``: the expected
    payoff (``skip`` None) or the payoff of each of ``skip``'s pure strategies.

    >>> expected_payoffs(np.array([[3, 0], [5, 1]]), [(0.5, 0.5), (1, 0)], skip=0).tolist()
    [3.0, 5.0]
    """
    result = array
    for player in reversed(range(len(strategies))):
        if player == skip:
            continue
        vector = np.array(strategies[player], dtype=object if result.dtype == object else float)
        result = np.tensordot(result, vector, axes=([player], [0]))
    return result.item() if isinstance(result, np.ndarray) and result.ndim == 0 else result


def is_best_response_profile(game: NumericGame, strategies: Sequence[Sequence[Number]],
                             exact: bool = True) -> bool:
    """Whether every player's strategy is a best response to the others'.

    Exact (Fractions) when ``exact`` and the game is rational; otherwise within
    ``FLOAT_TOLERANCE`` relative to the largest payoff.

    >>> pd = NumericGame.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> is_best_response_profile(pd, [(0, 1), (0, 1)]), is_best_response_profile(pd, [(1, 0), (1, 0)])
    (True, False)
    """
    use_exact = exact and game.is_exact and all(is_exact_number(p) for s in strategies for p in s)
    if use_exact and game.n_players == 2 and tuple(map(len, strategies)) == game.shape and all(
            isinstance(p, (int, Fraction)) for s in strategies for p in s):
        return _two_player_exact_best_responses(game, strategies)
    arrays = game.exact_payoffs if use_exact else game.payoffs
    for player, array in enumerate(arrays):
        probabilities = strategies[player]
        if use_exact:
            if any(p < 0 for p in probabilities) or sum(probabilities) != 1:
                return False
        else:
            if min(probabilities) < -FLOAT_TOLERANCE or abs(sum(probabilities) - 1) > FLOAT_TOLERANCE:
                return False
        values = expected_payoffs(array, strategies, skip=player)  # payoff of each pure strategy
        values = list(values.reshape(-1)) if hasattr(values, "reshape") else [values]
        best = max(values)
        achieved = sum(p * v for p, v in zip(probabilities, values))
        if use_exact:
            if achieved != best:
                return False
        else:
            scale = payoff_scale(game.payoffs[player])
            if float(best) - float(achieved) > FLOAT_TOLERANCE * scale:
                return False
    return True

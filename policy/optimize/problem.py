"""The question ``implement`` answers for one full profile, as one frozen object.

:class:`ImplementationProblem` holds everything the cheapest-implementation LP is
built from (game, target profile, values, robustness, margin, transfers, scenarios,
solver options) and derives, once, what the constraint blocks read: the values, the
sampled scenarios, the affine payoffs, the controls and the big-M scale. Every block
of :mod:`policy.optimize.implementation` takes this object instead of ten arguments.

Examples
--------
>>> import policy
>>> game = policy.load("inspection")
>>> problem = ImplementationProblem(game, (1, 0))
>>> problem.target_names, problem.exact_inputs, problem.required
({'regulator': 'trust', 'platform': 'comply'}, True, 1)
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from typing import Any, Mapping, Sequence

import sympy

from ..errors import ModelError
from ..symbolic import SymbolicGame
from .scenarios import AffinePayoffs, affine_payoffs, payoff_scale, sample_scenarios
from .solver import SolverOptions

__all__ = ["ROBUSTNESS", "DEFAULT_MARGIN", "ImplementationProblem", "profile_index",
           "profile_key", "completions", "control_specs"]

#: How firmly the target must hold: an equilibrium, a strict one, in dominant strategies,
#: the only one, the one selected by risk dominance or by the logit limit, or the one
#: whose replicator basin holds at least a share of starting points
#: (:mod:`policy.optimize.selection_target`).
ROBUSTNESS = ("nash", "strict", "dominant", "unique", "risk-dominant", "logit", "basin")
#: Default margin ε for strict/dominant implementation and pessimistic commitment.
DEFAULT_MARGIN = Fraction(1, 1000)


def profile_index(shape: Sequence[int], profile: Sequence[int]) -> int:
    """The row of a pure profile in the flat payoff tables (row-major order).

    >>> profile_index((2, 3), (1, 2))
    5
    """
    index = 0
    for size, choice in zip(shape, profile):
        index = index * size + choice
    return index


def profile_key(game: SymbolicGame, target: Mapping[str, str]) -> tuple[int, ...]:
    """A full target (player → strategy) as strategy indices."""
    return tuple(game.strategies[i].index(target[p]) for i, p in enumerate(game.players))


def completions(game: SymbolicGame, target: Mapping[str, str]) -> list[tuple[int, ...]]:
    """Every full profile agreeing with ``target`` (players left out are free).

    Raises
    ------
    ModelError
        When the target names an unknown player or strategy.
    """
    for player, strategy in target.items():
        if player not in game.players:
            raise ModelError(f"target: '{player}' is not a player; players: {', '.join(game.players)}")
        index = game.players.index(player)
        if strategy not in game.strategies[index]:
            raise ModelError(f"target: '{strategy}' is not a strategy of {player}; strategies: "
                             f"{', '.join(game.strategies[index])}")
    choices = [[game.strategies[i].index(target[p])] if p in target else range(len(game.strategies[i]))
               for i, p in enumerate(game.players)]
    return list(itertools.product(*choices))


def control_specs(game: SymbolicGame) -> dict[str, Any]:
    """The game's controls by name."""
    return {c.name: c for c in game.spec.controls}


@dataclass(frozen=True)
class ImplementationProblem:
    """Make ``profile`` an equilibrium (``robust``: nash, strict, dominant) as cheaply as
    possible; the derived properties are computed once, when first read."""

    game: SymbolicGame
    profile: tuple[int, ...]
    values: Mapping[str, object] | None = None
    robust: str = "nash"
    margin: Fraction = Fraction(0)
    transfers: bool = False
    scenarios: int = 0
    seed: int = 0
    confidence: float = 1.0
    solver: SolverOptions = SolverOptions()

    def without_budget(self) -> "ImplementationProblem":
        """The same problem in the game without its ``budget``."""
        spec = dataclasses.replace(self.game.spec, budget=None)
        return dataclasses.replace(self, game=SymbolicGame(spec))

    @cached_property
    def base(self) -> dict[str, sympy.Expr]:
        """Every parameter and control value (the file's, then ``values``)."""
        return self.game.values_with(self.values)

    @cached_property
    def scenario_values(self) -> list[dict[str, sympy.Expr]]:
        """The sampled scenarios, or just ``[base]``."""
        if self.scenarios:
            return sample_scenarios(self.game, self.scenarios, self.seed, self.base)
        return [self.base]

    @cached_property
    def affine(self) -> AffinePayoffs:
        return affine_payoffs(self.game, self.scenario_values)

    @cached_property
    def controls(self) -> dict[str, Any]:
        return control_specs(self.game)

    @property
    def shape(self) -> tuple[int, ...]:
        return self.game.shape

    @property
    def target_names(self) -> dict[str, str]:
        return {p: self.game.strategies[i][self.profile[i]] for i, p in enumerate(self.game.players)}

    @property
    def required(self) -> int:
        """How many scenarios the policy must hold in."""
        count = len(self.scenario_values)
        return count if self.confidence >= 1 else math.ceil(self.confidence * count)

    @cached_property
    def exact_inputs(self) -> bool:
        return self.affine.is_exact

    @cached_property
    def scale(self) -> Fraction:
        """A whole-number bound on |payoff| within the control bounds (for big-M rows)."""
        return Fraction(payoff_scale(self.affine, self.controls)).limit_denominator(1)

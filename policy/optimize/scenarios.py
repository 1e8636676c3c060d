"""Payoffs as the optimisation LPs see them: affine in the controls, per sampled scenario.

:func:`affine_payoffs` splits every payoff into ``constant + Σ coefficient·control``
(checking that it is affine in the controls); :func:`sample_scenarios` draws the
parameters that declare a ``dist:``. Both feed the constraint blocks of
:mod:`policy.optimize.implementation` and :mod:`policy.optimize.uniqueness`.

Examples
--------
>>> import policy
>>> game = policy.load("inspection")
>>> affine = affine_payoffs(game, [game.values_with({})])
>>> affine.controls, len(affine.constant[0])
(('subsidy',), 4)
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Mapping, Sequence

import numpy as np
import sympy

from ..errors import ModelError
from ..numeric import to_fraction
from ..symbolic import SymbolicGame

__all__ = ["AffinePayoffs", "affine_payoffs", "sample_scenarios", "number", "payoff_scale",
           "flatten"]


def number(value: Any) -> Fraction | float:
    """A sympy (or Python) number as an exact Fraction when it is rational, else a float.

    >>> number(sympy.Rational(2, 3)), number(0.5)
    (Fraction(2, 3), 0.5)
    """
    fraction = to_fraction(value)
    if fraction is not None:
        return fraction
    return float(value)


def flatten(table):
    """Every number of a nested list.

    >>> list(flatten([[1, [2]], 3]))
    [1, 2, 3]
    """
    for item in table:
        if isinstance(item, list):
            yield from flatten(item)
        else:
            yield item


@dataclass(frozen=True)
class AffinePayoffs:
    """Payoffs as ``constant + Σ coefficient·control`` at every profile, per scenario.

    ``constant[w][k][i]`` and ``coefficient[w][k][i][c]``: scenario w, profile k,
    player i, control c.
    """

    controls: tuple[str, ...]
    constant: list
    coefficient: list

    @property
    def is_exact(self) -> bool:
        """Whether every constant and coefficient is a Fraction (the LP can be solved exactly)."""
        return all(isinstance(v, Fraction) for table in (self.constant, self.coefficient)
                   for v in flatten(table))


def affine_payoffs(game: SymbolicGame, scenarios: Sequence[Mapping[str, sympy.Expr]]) -> AffinePayoffs:
    """Split every payoff into a constant and linear terms in the controls.

    Raises
    ------
    ModelError
        When a payoff is not affine in the controls (naming it and its line).
    """
    spec = game.spec
    controls = tuple(c.name for c in spec.controls)
    symbols = [game.symbols[c] for c in controls]
    parameter_names = [p.name for p in spec.parameters]
    pieces = []
    for profile, row in zip(spec.profiles(), spec.payoffs):
        per_player = []
        for player, expr in enumerate(row):
            gradient = [sympy.diff(expr, s) for s in symbols]
            if any(g.free_symbols & set(symbols) or g.has(sympy.Min, sympy.Max, sympy.Abs)
                   for g in gradient) or (expr.has(sympy.Min, sympy.Max, sympy.Abs) and any(
                       a.free_symbols & set(symbols) for a in expr.atoms(sympy.Min, sympy.Max, sympy.Abs))):
                field = "payoffs." + ".".join(profile) + f"[{player}]"
                line = spec.line_of(field)
                where = f"{spec.source.path}:{line}: " if spec.source and line else ""
                raise ModelError(f"{where}{field}: payoff '{expr}' is not affine in the controls "
                                 f"({', '.join(controls)}); optimize needs payoffs linear in each "
                                 "control, with no products of controls")
            constant = expr.xreplace({s: sympy.S.Zero for s in symbols})  # a bare control too
            per_player.append((constant, gradient))
        pieces.append(per_player)
    constants, coefficients = [], []
    for scenario in scenarios:
        substitution = {game.symbols[k]: v for k, v in scenario.items() if k in parameter_names}
        constants.append([[_evaluate(c, substitution) for c, _ in row] for row in pieces])
        coefficients.append([[[_evaluate(g, substitution) for g in grad] for _, grad in row]
                             for row in pieces])
    return AffinePayoffs(controls, constants, coefficients)


def _evaluate(expr: sympy.Expr, substitution) -> Fraction | float:
    value = expr.xreplace(substitution)
    if not value.is_number:
        missing = ", ".join(sorted(str(s) for s in value.free_symbols))
        raise ModelError(f"no value for {missing}; give one with --set {missing.split(', ')[0]}=…")
    return number(value)


def payoff_scale(affine: AffinePayoffs, controls) -> float:
    """The largest |payoff| over every scenario within the controls' bounds (1 at least;
    a control without bounds counts as reaching 1): the size of the big-M constants."""
    largest = 1.0
    reach = [max(abs(float(b)) for b in c.bounds) if c.bounds else 1.0 for c in controls.values()]
    for w in range(len(affine.constant)):
        for k in range(len(affine.constant[w])):
            for i in range(len(affine.constant[w][k])):
                value = abs(float(affine.constant[w][k][i])) + sum(
                    abs(float(b)) * r for b, r in zip(affine.coefficient[w][k][i], reach))
                largest = max(largest, value)
    return largest


def sample_scenarios(game: SymbolicGame, count: int, seed: int,
                     base: Mapping[str, sympy.Expr]) -> list[dict[str, sympy.Expr]]:
    """``count`` draws of the parameters that declare a ``dist``; others keep ``base``."""
    rng = np.random.default_rng(seed)
    uncertain = [p for p in game.spec.parameters if p.distribution is not None]
    if not uncertain:
        raise ModelError(f"{game.name} declares no parameter with a 'dist:'; scenarios need one")
    draws = {}
    for parameter in uncertain:
        kind, args = parameter.distribution.kind, [float(a) for a in parameter.distribution.args]
        if kind == "uniform":
            draws[parameter.name] = rng.uniform(args[0], args[1], count)
        elif kind == "normal":
            draws[parameter.name] = rng.normal(args[0], args[1], count)
        elif kind == "triangular":
            draws[parameter.name] = rng.triangular(args[0], args[1], args[2], count)
        else:
            draws[parameter.name] = rng.lognormal(args[0], args[1], count)
    scenarios = []
    for k in range(count):
        scenario = dict(base)
        for name, values in draws.items():
            scenario[name] = sympy.Float(float(values[k]), 17)
        scenarios.append(scenario)
    return scenarios

"""The grid of a sweep and what it produces: axes, regions, the per-point result.

First module of :mod:`policy.sweep` (it imports no other): a :class:`GridAxis` is one
varied symbol, ``points`` evenly spaced values from ``start`` to ``stop``, both ends
included; a :class:`SweepResult` holds one label index per grid point; a
:class:`Region` is the set of points sharing a label. Grid points are numbered
row-major (C order) over the axes, as :func:`numpy.unravel_index` numbers them.

Examples
--------
>>> axis = GridAxis.parse("s=0:1:5")
>>> axis.exact(1), point_values([axis], 3)
(Fraction(1, 4), {'s': Fraction(3, 4)})
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Mapping, Sequence

import numpy as np
import sympy

from ..errors import ModelError
from ..symbolic import SymbolicGame
from ..syntax import parse_axis

__all__ = ["GridAxis", "Region", "SweepResult", "CHUNK", "bound_payoffs", "check_names",
           "point_values", "raise_not_finite"]

#: Points evaluated together by numpy; bounds memory at a few hundred MB for 3×3 games.
CHUNK = 200_000


@dataclass(frozen=True)
class GridAxis:
    """One varied symbol: ``points`` evenly spaced values from ``start`` to ``stop``."""

    name: str
    start: Fraction
    stop: Fraction
    points: int

    @classmethod
    def parse(cls, text: str) -> "GridAxis":
        """Parse ``name=start:stop:points`` (:func:`policy.syntax.parse_axis`).

        >>> GridAxis.parse("s=0:1:401")
        GridAxis(name='s', start=Fraction(0, 1), stop=Fraction(1, 1), points=401)
        """
        return cls(*parse_axis(text))

    def exact(self, index: int) -> Fraction:
        return self.start + (self.stop - self.start) * index / (self.points - 1)

    def values(self) -> np.ndarray:
        return np.linspace(float(self.start), float(self.stop), self.points)

    def __str__(self) -> str:
        return f"{self.name}={self.start}:{self.stop}:{self.points}"


@dataclass(frozen=True)
class Region:
    """Points sharing one equilibrium set."""

    label: str
    supports: tuple[tuple[tuple[str, ...], ...], ...]
    points: int


@dataclass(frozen=True)
class SweepResult:
    """Per-point labels (indices into ``labels``) on the grid, and region counts."""

    game: str
    axes: tuple[GridAxis, ...]
    labels: tuple[str, ...]
    supports: tuple[tuple[tuple[tuple[str, ...], ...], ...], ...]
    grid: np.ndarray                 # int32 label index per point, shape = axis sizes
    degenerate_points: int
    exact_points: int
    mixed_computed: bool
    values: dict[str, sympy.Expr]
    seconds: float = field(compare=False, default=0.0)

    @functools.cached_property
    def regions(self) -> tuple[Region, ...]:
        # bincount copies its input to intp: count in pieces, not 8 bytes per point at once
        flat = self.grid.reshape(-1)
        counts = np.zeros(len(self.labels), dtype=np.int64)
        for start in range(0, len(flat), CHUNK):
            counts += np.bincount(flat[start:start + CHUNK], minlength=len(self.labels))
        regions = [Region(label, supports, int(count))
                   for label, supports, count in zip(self.labels, self.supports, counts) if count]
        return tuple(sorted(regions, key=lambda r: r.label))

    @property
    def points(self) -> int:
        return int(self.grid.size)


def bound_payoffs(game: SymbolicGame, names: Sequence[str],
                   values: Mapping[str, sympy.Expr]) -> list[sympy.Expr]:
    """Payoff expressions (profile-major, then player) with every unvaried symbol replaced."""
    varied = {game.symbols[name] for name in names}
    fixed = {game.symbols[k]: v for k, v in values.items() if k not in set(names)}
    bound = [expr.xreplace(fixed) for row in game.spec.payoffs for expr in row]
    for expr in bound:
        if expr.free_symbols - varied:
            missing = ", ".join(sorted(str(s) for s in expr.free_symbols - varied))
            raise ModelError(f"no value for {missing}; give one with --set {missing.split(', ')[0]}=…")
    return bound


def check_names(game: SymbolicGame, names: Sequence[str]) -> None:
    """Raise :class:`ModelError` unless every varied name is a symbol of ``game``, once."""
    for name in names:
        if name not in game.symbols:
            raise ModelError(f"--vary: '{name}' is not a parameter or control of {game.name}; "
                             f"declared: {', '.join(game.symbols) or '(none)'}")
    if len(set(names)) != len(names):
        raise ModelError(f"--vary: '{next(n for n in names if names.count(n) > 1)}' is varied "
                         "twice; vary each name once")


def point_values(axes: Sequence[GridAxis], flat_index: int) -> dict[str, Fraction]:
    """The exact value of each axis at grid point ``flat_index`` (row-major)."""
    indices = np.unravel_index(flat_index, tuple(a.points for a in axes))
    return {a.name: a.exact(int(i)) for a, i in zip(axes, indices)}


def raise_not_finite(point: Mapping[str, Fraction]) -> None:
    """Raise the :class:`ModelError` for a payoff that is not finite at ``point``."""
    where = ", ".join(f"{k}={v}" for k, v in point.items())
    raise ModelError(f"payoffs are not finite at {where} (division by zero?)")

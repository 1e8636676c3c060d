"""One classifier per chunk of points: each point's equilibrium set as a label number,
by the engine the package docstring's dispatch table picks.

:class:`Classifier` runs the numpy engine on columns of values (:meth:`~Classifier.classify`)
or a compiled kernel on a range of flat grid points (:meth:`~Classifier.classify_grid`),
sends doubtful points to the exact engine, and counts the points with tied best
responses (``degenerate``) and those decided exactly (``exact``).

Examples
--------
>>> import policy
>>> from policy.sweep import GridAxis
>>> axis = GridAxis.parse("entry_subsidy=0:2:5")
>>> game = policy.load("platform_entry")
>>> classifier = Classifier(game, ["entry_subsidy"], game.values_with({}), mixed=False)
>>> classifier.classify([axis.values()], lambda k: {"entry_subsidy": axis.exact(k)}).tolist()
[1, 1, 1, 0, 0]
>>> list(classifier.labels.index)
['restrain·enter', 'expand·stay_out | restrain·enter']
"""

from __future__ import annotations

import functools
from typing import Callable, Mapping, Sequence

import numpy as np
import sympy

from ..limits import limit
from ..symbolic import SymbolicGame
from . import compiled
from .exact import ExactPayoffs, solve_exactly
from .float_kernel import DEGENERATE, DOUBTFUL, NOT_FINITE, TIES, dense_labels
from .grid import GridAxis, point_values, raise_not_finite
from .labels import LabelTable, relabel
from .numpy_engine import compile_payoffs, numpy_equilibria

__all__ = ["Classifier"]


class Classifier:
    """Labels points (columns of values of the varied symbols) by their equilibrium set."""

    def __init__(self, game: SymbolicGame, names: Sequence[str], current: Mapping[str, sympy.Expr],
                 mixed: bool, points: int | None = None) -> None:
        self.game = game
        self.names = list(names)
        self.current = dict(current)
        self.two = len(game.players) == 2 and mixed
        #: three or more players, mixed equilibria wanted, and a grid of ``points`` small
        #: enough to run the exact n-player engine at every point
        self.every_point = (len(game.players) > 2 and mixed and points is not None
                            and points <= limit("n_player_sweep_points"))
        self.labels = LabelTable(game)
        self.degenerate = 0
        self.exact = 0

    @functools.cached_property
    def evaluate(self):
        """Payoffs of a chunk of points (numpy path), compiled on first use."""
        return compile_payoffs(self.game, self.names, self.current)

    @functools.cached_property
    def exact_payoffs(self) -> ExactPayoffs:
        return ExactPayoffs(self.game, self.names, self.current)

    @property
    def mixed_computed(self) -> bool:
        return self.two or self.every_point

    def classify(self, columns: Sequence[np.ndarray], exact_point: Callable[[int], dict]) -> np.ndarray:
        """Label index per point by the numpy engine; ``exact_point(k)`` gives exact values of point k."""
        count = len(columns[0])
        if self.every_point:  # every equilibrium, mixed ones included, point by point
            result = np.zeros(count, dtype=np.int32)
            self.solve_exactly(result, np.arange(count), exact_point)
            return result
        payoffs = self.evaluate(*columns)
        finite = np.isfinite(payoffs).reshape(count, -1).all(axis=1)
        if not finite.all():
            raise_not_finite(exact_point(int(np.flatnonzero(~finite)[0])))
        found = numpy_equilibria(payoffs, self.game.shape, self.two)
        labels = [self.labels.label_of(equilibria) for equilibria in found.equilibria]
        result = np.asarray(labels, dtype=np.int32)[found.inverse]
        self.solve_exactly(result, np.flatnonzero(found.doubtful), exact_point)
        self.degenerate += int(found.ties.sum())
        return result

    def classify_grid(self, axes: Sequence[GridAxis], start: int, stop: int,
                      out: np.ndarray | None = None) -> np.ndarray | None:
        """Labels of flat grid points [start, stop) by a compiled kernel — exact in integers
        when the payoffs allow it, else the float kernel (same tests as :meth:`classify`)
        with doubtful points solved by the exact engine — or None when the game has no
        compiled form. The labels are written into ``out`` when it is given."""
        form = compiled.integer_payoffs(self.game, tuple(self.names), tuple(self.current.items()),
                                        tuple(axes), self.two)
        if form is not None:
            return self.classify_integer_grid(form, axes, start, stop, out)
        module = compiled.float_kernel_module(self.game, tuple(self.names))
        if module is None:
            return None
        codes, flags = compiled.float_codes(module, self.game, self.names, self.current, axes, start,
                                            stop, self.two)
        not_finite = np.flatnonzero(flags & NOT_FINITE)
        if len(not_finite):
            raise_not_finite(point_values(axes, start + int(not_finite[0])))
        distinct, inverse = dense_labels(codes[:, None], out=out)
        result = relabel(inverse, [self.labels.label_of(compiled.decode_float(int(code[0]), self.game.shape,
                                                                               self.two))
                                   for code in distinct])
        self.solve_exactly(result, np.flatnonzero(flags & DOUBTFUL),
                           lambda k: point_values(axes, start + k))
        self.degenerate += int(np.count_nonzero(flags & TIES))
        return self.labels.in_first_appearance_order(result)

    def classify_integer_grid(self, form, axes: Sequence[GridAxis], start: int, stop: int,
                              out: np.ndarray | None = None) -> np.ndarray:
        """Labels of flat grid points [start, stop), every one decided exactly in int64
        (written into ``out`` when it is given)."""
        codes, flags = compiled.integer_codes(form, self.game.shape, axes, start, stop, self.two)
        distinct, inverse = dense_labels(codes, out=out)
        result = relabel(inverse, [self.labels.label_of(compiled.decode_integer(code, self.game.shape,
                                                                                 self.two))
                                   for code in distinct])
        self.degenerate += int(np.count_nonzero(flags & TIES))
        self.exact += int(np.count_nonzero(flags & DEGENERATE))
        return result

    def solve_exactly(self, result: np.ndarray, positions: np.ndarray,
                      exact_point: Callable[[int], dict]) -> None:
        """Label ``positions`` with the exact engine (:func:`.exact.solve_exactly`)."""
        if len(positions):
            self.exact += solve_exactly(self.game, self.labels, self.exact_payoffs,
                                        self.mixed_computed, result, positions, exact_point)

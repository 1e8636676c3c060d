"""Equilibrium-set labels of grid points, numbered in order of first appearance.

A point's *label* is its equilibrium set written as one support per player for each
equilibrium (``"expand·stay_out | mixed {expand} × {enter, stay_out}"``), sorted by
support size, then by strategy indices. Every engine of :mod:`policy.sweep` gives
equilibrium supports; a :class:`LabelTable` turns them into label numbers, and
:meth:`LabelTable.in_first_appearance_order` renumbers them as the integer kernels
number them, so every engine and every chunk size numbers a grid alike.

Examples
--------
>>> import policy
>>> game = policy.load("platform_entry")
>>> set_label(game, [((1,), (0,)), ((0,), (1,))])[0]
'expand·stay_out | restrain·enter'
>>> table = LabelTable(game)
>>> table.label_of([((0,), (1,))]), table.label_of([]), table.label_of([((0,), (1,))])
(0, 1, 0)
>>> result = np.array([1, 1, 0], dtype=np.int32)
>>> table.in_first_appearance_order(result).tolist(), list(table.index)
([0, 0, 1], ['no pure equilibrium', 'expand·stay_out'])
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from ..symbolic import SymbolicGame
from .float_kernel import first_appearances

__all__ = ["support_label", "set_label", "LabelTable", "relabel"]


def support_label(game: SymbolicGame, supports: tuple[tuple[int, ...], ...]) -> str:
    """One equilibrium's supports as text: ``a·b`` when pure, else ``mixed {…} × {…}``."""
    if all(len(s) == 1 for s in supports):
        return "·".join(game.strategies[i][s[0]] for i, s in enumerate(supports))
    return "mixed " + " × ".join("{" + ", ".join(game.strategies[i][k] for k in s) + "}"
                                 for i, s in enumerate(supports))


#: The end of the label of a point whose exact answer is not complete (a continuum, an
#: undecided support, a size limit): its own region, and said in every report.
INCOMPLETE = " (may be incomplete)"


def set_label(game: SymbolicGame, equilibria: Sequence[tuple[tuple[int, ...], ...]],
              complete: bool = True) -> tuple[str, tuple]:
    """The label of an equilibrium set (supports as strategy indices) and its supports
    as strategy names, equilibria ordered by support size, then indices; labels of
    answers that are not complete end with :data:`INCOMPLETE`."""
    ordered = sorted(set(equilibria), key=lambda sup: (sum(len(s) for s in sup), sup))
    names = tuple(tuple(tuple(game.strategies[i][k] for k in s) for i, s in enumerate(sup))
                  for sup in ordered)
    text = " | ".join(support_label(game, sup) for sup in ordered) or "no pure equilibrium"
    return text + ("" if complete else INCOMPLETE), names


class LabelTable:
    """The labels met so far (``index``: text → number; ``supports`` by number), with
    caches from equilibrium sets (``known``) and exact payoffs (``solved``) to numbers."""

    def __init__(self, game: SymbolicGame) -> None:
        self.game = game
        self.index: dict[str, int] = {}
        self.supports: list[tuple] = []
        self.known: dict[frozenset, int] = {}
        self.solved: dict[tuple, int] = {}

    def add(self, text: str, supports: tuple) -> int:
        """The number of the label ``text`` (with these ``supports``), new ones last."""
        if text not in self.index:
            self.index[text] = len(self.supports)
            self.supports.append(supports)
        return self.index[text]

    def label_of(self, equilibria, complete: bool = True) -> int:
        """The number of the label of this equilibrium set (supports as indices)."""
        key = frozenset(equilibria) if complete else (frozenset(equilibria), INCOMPLETE)
        if key not in self.known:
            self.known[key] = self.add(*set_label(self.game, equilibria, complete))
        return self.known[key]

    def in_first_appearance_order(self, result: np.ndarray) -> np.ndarray:
        """``result`` (this table's only labels) renumbered in place so that labels
        are numbered in order of first appearance, unused ones dropped — as the integer
        kernels number them — so every path and every chunk size numbers a grid alike."""
        order = first_appearances(result, len(self.supports))
        if np.array_equal(order, np.arange(len(self.supports))):
            return result
        remap = np.full(len(self.supports), -1, dtype=np.int32)
        remap[order] = np.arange(len(order), dtype=np.int32)
        result[...] = remap[result]
        texts = list(self.index)
        self.index = {texts[old]: new for new, old in enumerate(order)}
        self.supports = [self.supports[old] for old in order]
        self.known = {key: int(remap[old]) for key, old in self.known.items() if remap[old] >= 0}
        self.solved = {key: int(remap[old]) for key, old in self.solved.items() if remap[old] >= 0}
        return result


def relabel(inverse: np.ndarray, labels: Sequence[int]) -> np.ndarray:
    """``inverse`` (int32) replaced in place by ``labels[inverse]``, and returned."""
    table = np.asarray(labels, dtype=np.int32)
    if not np.array_equal(table, np.arange(len(table))):
        inverse[...] = table[inverse]
    return inverse

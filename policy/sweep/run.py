"""The sweep itself: a grid cut into chunks, each classified (here or on Dask workers)
and merged in chunk order into one :class:`~.grid.SweepResult`.

Every chunk numbers its labels in order of first appearance; merging renumbers them
into the grid's own table, so the result does not depend on the chunk size or on
where the chunks ran.
"""

from __future__ import annotations

import math
import time
from typing import Callable, Mapping, Sequence

import numpy as np

from ..errors import ModelError
from ..limits import exceeded, limit
from ..symbolic import SymbolicGame
from .classify import Classifier
from .compiled import KERNEL_CHUNK, use_kernel
from .grid import CHUNK, GridAxis, SweepResult, check_names, point_values

__all__ = ["sweep"]


def sweep(game: SymbolicGame, axes: Sequence[GridAxis], values: Mapping[str, object] | None = None,
          *, mixed: bool = True, chunk: int | None = None, max_points: int | None = None,
          progress: Callable[[int, int], None] | None = None, client=None,
          engine: str | None = None) -> SweepResult:
    """Every equilibrium at every grid point (pure for n players, all for two players).

    Parameters
    ----------
    axes : one or more :class:`GridAxis` (names must be parameters or controls)
    values : overrides for the symbols that are not varied
    mixed : compute mixed equilibria of two-player games (else pure only)
    max_points : largest grid accepted (default: the limit ``grid_points``)
    progress : called with (points done, total) after each chunk
    engine : ``auto``, ``numba`` or ``numpy`` (default: ``POLICY_SWEEP_ENGINE``, else
        ``auto``); every engine gives the same labels
    client : a ``dask.distributed.Client``; chunks are then classified on its workers
        and merged in chunk order, so the result is identical to a local run
    """
    started = time.perf_counter()
    names = [a.name for a in axes]
    check_names(game, names)
    total = math.prod(a.points for a in axes)
    max_points = max_points or limit("grid_points")
    if total > max_points:
        raise ModelError(f"the grid has {total} points; at most {max_points} are allowed "
                         f"(use fewer points or {exceeded('grid_points')})")
    current = game.values_with({k: v for k, v in (values or {}).items()})
    merged = Classifier(game, names, current, mixed, total)
    chunk = chunk or (KERNEL_CHUNK if use_kernel(total, engine) else CHUNK)
    starts = list(range(0, total, chunk))
    grid = np.empty(total, dtype=np.int32)
    views = [grid[start:start + chunk] for start in starts]
    if client is None:   # chunks write their labels into the grid
        pieces = (_classify_chunk(game, tuple(axes), current, mixed, start, chunk, out=view,
                                  engine=engine)
                  for start, view in zip(starts, views))
    else:
        futures = client.map(_classify_chunk, [game] * len(starts), [tuple(axes)] * len(starts),
                             [current] * len(starts), [mixed] * len(starts), starts,
                             [chunk] * len(starts), engine=engine, pure=False)
        pieces = (future.result() for future in futures)
    done = 0
    for view, (local_labels, local_supports, indices, degenerate, exact) in zip(views, pieces):
        remap = np.array([merged.labels.add(text, supports)
                          for text, supports in zip(local_labels, local_supports)], dtype=np.int32)
        if not np.array_equal(remap, np.arange(len(remap))):
            view[...] = remap[indices]
        elif indices is not view:   # classified on a Dask worker
            view[...] = indices
        merged.degenerate += degenerate
        merged.exact += exact
        done += len(indices)
        if progress:
            progress(done, total)
    return SweepResult(game.name, tuple(axes), tuple(merged.labels.index), tuple(merged.labels.supports),
                       grid.reshape(tuple(a.points for a in axes)), merged.degenerate,
                       merged.exact, merged.mixed_computed, current, time.perf_counter() - started)


def _classify_chunk(game: SymbolicGame, axes: tuple[GridAxis, ...], current, mixed: bool,
                    start: int, size: int, out: np.ndarray | None = None,
                    engine: str | None = None):
    """One chunk of a grid, classified from scratch (runs locally or on a Dask worker);
    its labels are written into ``out`` when it is given (a local run's grid)."""
    total = math.prod(a.points for a in axes)
    stop = min(total, start + size)
    classifier = Classifier(game, [a.name for a in axes], current, mixed, total)
    labels = (classifier.classify_grid(axes, start, stop, out)
              if use_kernel(stop - start, engine) and not classifier.every_point else None)
    if labels is None:
        flat = np.arange(start, stop)
        indices = np.unravel_index(flat, tuple(a.points for a in axes))
        columns = [a.values()[index] for a, index in zip(axes, indices)]
        labels = classifier.labels.in_first_appearance_order(
            classifier.classify(columns, lambda k: point_values(axes, int(flat[k]))))
        if out is not None:
            out[...] = labels
            labels = out
    return (tuple(classifier.labels.index), tuple(classifier.labels.supports), labels, classifier.degenerate,
            classifier.exact)

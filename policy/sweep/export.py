"""Saved points (``policy sweep --save``): every grid point's axis values, region label
and extra columns (a policy map's cost, controls, ``verified``) as CSV or NPZ.

CSV is produced in pieces of :data:`SAVE_CHUNK` rows (:func:`saved_points_chunks`), so
a 10^6-point grid is written without ever holding the whole text in memory; the
pieces joined are exactly :func:`to_saved_points`' text. NPZ is compressed in memory
(it is a fraction of the CSV's size).

Examples
--------
>>> import policy
>>> from policy.sweep import GridAxis, sweep
>>> result = sweep(policy.load("platform_entry"), [GridAxis.parse("entry_subsidy=0:2:3")], mixed=False)
>>> print(to_saved_points(result, ".csv"), end="")
entry_subsidy,region
0.0,"expand·stay_out | restrain·enter"
1.0,"expand·stay_out | restrain·enter"
2.0,"restrain·enter"
"""

from __future__ import annotations

import io
from typing import Iterator, Mapping

import numpy as np

from ..errors import ModelError
from .grid import SweepResult

__all__ = ["SAVE_CHUNK", "saved_points_chunks", "to_saved_points"]

#: CSV rows formatted and written together by :func:`saved_points_chunks`.
SAVE_CHUNK = 20_000


def saved_points_chunks(result: SweepResult, suffix: str,
                        columns: Mapping[str, np.ndarray] | None = None) -> bytes | Iterator[str]:
    """Per-point results as pieces of CSV text (axis values, region label, then
    ``columns``, each shaped like the grid), or NPZ bytes. Boolean columns are kept as
    booleans (``0``/``1`` in CSV). The suffix is checked at once, before any piece."""
    if not hasattr(result, "labels"):  # a market or population sweep: points in sweep.json
        raise ModelError("--save writes the points of a normal-form sweep; a "
                         f"{getattr(result, 'kind', 'market')} game's sweep is in sweep.json")
    extra = {name: (np.asarray(values, dtype=bool) if np.asarray(values).dtype == bool
                    else np.asarray(values, dtype=float))
             for name, values in (columns or {}).items()}
    if suffix == ".npz":
        buffer = io.BytesIO()
        np.savez_compressed(buffer, labels=np.array(result.labels), grid=result.grid,
                            **{a.name: a.values() for a in result.axes}, **extra)
        return buffer.getvalue()
    if suffix != ".csv":
        raise ModelError(f"--save: use a .csv or .npz file name, not '{suffix or 'no extension'}'")
    return _csv_chunks(result, extra)


def _csv_chunks(result: SweepResult, extra: Mapping[str, np.ndarray]) -> Iterator[str]:
    yield ",".join([a.name for a in result.axes] + ["region"] + list(extra)) + "\n"
    axis_values = [a.values() for a in result.axes]
    flat_labels = result.grid.reshape(-1)
    extra_flat = [v.reshape(-1) for v in extra.values()]
    texts = [label.replace('"', "'") for label in result.labels]
    for start in range(0, len(flat_labels), SAVE_CHUNK):
        stop = min(len(flat_labels), start + SAVE_CHUNK)
        indices = np.unravel_index(np.arange(start, stop), result.grid.shape)
        flat = [values[index] for values, index in zip(axis_values, indices)]
        extra_part = [c[start:stop] for c in extra_flat]
        rows = []
        for k, label in enumerate(flat_labels[start:stop]):
            rows.append(",".join(repr(float(c[k])) for c in flat) + f',"{texts[label]}"'
                        + "".join(f",{int(c[k])}" if c.dtype == bool else f",{float(c[k])!r}"
                                  for c in extra_part) + "\n")
        yield "".join(rows)


def to_saved_points(result: SweepResult, suffix: str,
                    columns: Mapping[str, np.ndarray] | None = None) -> str | bytes:
    """:func:`saved_points_chunks` as one CSV text or NPZ bytes."""
    saved = saved_points_chunks(result, suffix, columns)
    return saved if isinstance(saved, bytes) else "".join(saved)

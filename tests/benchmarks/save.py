"""Benchmark of `policy sweep --save` memory (not run by the test suite).

    python tests/benchmarks/save.py                # 1000×1000 grid (10⁶ points)
    python tests/benchmarks/save.py --points 300

Sweeps platform_entry over a square grid once, then writes the per-point CSV twice,
each measured with tracemalloc (Python and numpy allocations; peak above what was
allocated before the write): the CSV built whole in memory and then written
(`to_saved_points`, as `--save` did before it streamed), and the CSV written in
pieces (`saved_points_chunks` through the atomic writer, as `--save` does now). Both
files are checked to be byte-identical.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # measure this checkout

import policy  # noqa: E402
from policy.report.writer import write_files  # noqa: E402
from policy.sweep import GridAxis, saved_points_chunks, sweep, to_saved_points  # noqa: E402


def measured(write) -> tuple[float, float]:
    """Peak MB allocated by ``write()`` above what was allocated before, and seconds."""
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    started = time.perf_counter()
    write()
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return (peak - before) / 1e6, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=1000, help="points per axis")
    points = parser.parse_args().points
    result = sweep(policy.load("platform_entry"), [GridAxis.parse(f"entry_subsidy=0:2:{points}"),
                                                   GridAxis.parse(f"scale_levy=0:3:{points}")])
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        whole, whole_seconds = measured(
            lambda: write_files(folder, {"whole.csv": to_saved_points(result, ".csv")}))
        streamed, streamed_seconds = measured(
            lambda: write_files(folder, {"streamed.csv": saved_points_chunks(result, ".csv")}))
        size = (folder / "whole.csv").stat().st_size / 1e6
        assert (folder / "whole.csv").read_bytes() == (folder / "streamed.csv").read_bytes()
    print(f"{result.points:,} points, CSV {size:.1f} MB")
    print(f"built whole, then written: peak +{whole:.1f} MB ({whole_seconds:.2f} s)")
    print(f"written in pieces:         peak +{streamed:.1f} MB ({streamed_seconds:.2f} s)")


if __name__ == "__main__":
    main()

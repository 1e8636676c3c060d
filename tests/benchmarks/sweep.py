"""Benchmark of `policy sweep` (not run by the test suite).

    python tests/benchmarks/sweep.py              # 1000×1000 grid (--points 1000)
    python tests/benchmarks/sweep.py --points 300 # smaller grid
    python tests/benchmarks/sweep.py --huge       # 10⁸ points: time and peak memory only

A 3×3 two-player game whose payoffs depend on two parameters (s, a), swept over
a square grid. Measured in the same run: points per second of `policy.sweep`
(pure equilibria only, and all equilibria), against the obvious alternative —
sympy substitution plus nashpy's support enumeration at each point (timed on a
random subsample and extrapolated) — and QuantEcon's support enumeration per
point when quantecon is installed (both with payoffs already numeric and including
the sympy substitution). Timed paths: the integer kernels (the default here: the
payoffs are polynomials), the float kernel with the exact engine behind it (what
non-polynomial payoffs get), and the numpy path. Fast runs are repeated and the
median is reported. Agreement with the exact engine is checked on the subsample.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import sympy

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # measure this checkout

from policy.equilibria import find_equilibria  # noqa: E402
from policy.readers.yaml_normal_form import load_game_text  # noqa: E402
import policy.sweep.compiled as sweep_module  # noqa: E402
from policy.sweep.float_kernel import ENGINE_VARIABLE, numba  # noqa: E402
from policy.sweep import GridAxis, sweep  # noqa: E402
from policy.sweep.labels import set_label  # noqa: E402
from policy.symbolic import SymbolicGame  # noqa: E402


def numba_available() -> bool:
    return numba is not None

GAME = """
name: bench3x3
parameters: {s: 1, a: 1}
players: {row: [r1, r2, r3], column: [c1, c2, c3]}
payoffs:
  r1: {c1: [3 + s, 2], c2: [1, 4 - a], c3: [2*s, 1]}
  r2: {c1: [2, 3 + a], c2: [4 - s, 1], c3: [1, 2 + s]}
  r3: {c1: [1 + a, 1], c2: [2, 2*a], c3: [3, 3 - s]}
"""


@contextlib.contextmanager
def _path(engine: str):
    """``integer``: the integer kernels; ``float``: the float kernel + exact engine; ``numpy``."""
    os.environ[ENGINE_VARIABLE] = "numpy" if engine == "numpy" else "numba"
    original = sweep_module.integer_payoffs
    if engine == "float":
        sweep_module.integer_payoffs = lambda *args: None
    try:
        yield
    finally:
        sweep_module.integer_payoffs = original
        del os.environ[ENGINE_VARIABLE]


def _timed_sweep(game, axes, mixed: bool, engine: str, repeat: int = 1):
    """The result and the median of ``repeat`` timed runs."""
    times = []
    with _path(engine):
        for _ in range(repeat):
            started = time.perf_counter()
            result = sweep(game, axes, mixed=mixed)
            times.append(time.perf_counter() - started)
    return result, statistics.median(times)


def _per_point_rate(solve, sample, matrices_at) -> tuple[float, float]:
    """Points/s of ``solve(A, B)`` per sampled point: with payoffs already numeric, and
    including sympy substitution of the point's values."""
    numeric = [matrices_at(flat) for flat in sample]
    started = time.perf_counter()
    for A, B in numeric:
        solve(A, B)
    bare = len(sample) / (time.perf_counter() - started)
    started = time.perf_counter()
    for flat in sample:
        solve(*matrices_at(flat))
    return bare, len(sample) / (time.perf_counter() - started)


def huge(game) -> None:
    """Pure equilibria on 10⁸ points: seconds per run and the process's peak memory."""
    import resource

    axes = [GridAxis.parse("s=0:3:10000"), GridAxis.parse("a=0:3:10000")]
    times = []
    for _ in range(5):
        started = time.perf_counter()
        result = sweep(game, axes, mixed=False, max_points=10 ** 8)
        times.append(time.perf_counter() - started)
        regions = len(result.regions)
        del result
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024   # KiB on Linux
    print(f"10⁸ points, pure equilibria: first run {times[0]:.2f} s, median of the next 4 "
          f"{statistics.median(times[1:]):.2f} s ({1e8 / statistics.median(times[1:]):,.0f} points/s), "
          f"{regions} regions; peak memory (ru_maxrss) {peak:,.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=1000, help="grid points per axis")
    parser.add_argument("--sample", type=int, default=200, help="points for the per-point baselines")
    parser.add_argument("--skip-numpy-mixed", action="store_true",
                        help="skip the (slow) numpy path for all equilibria")
    parser.add_argument("--huge", action="store_true",
                        help="only time pure equilibria on a 10000×10000 grid and report peak memory")
    args = parser.parse_args()
    game = SymbolicGame.from_spec(load_game_text(GAME, path="bench3x3.yaml"))
    if args.huge:
        return huge(game)
    axes = [GridAxis.parse(f"s=0:3:{args.points}"), GridAxis.parse(f"a=0:3:{args.points}")]
    total = args.points ** 2
    print(f"3×3 game, {args.points}×{args.points} = {total} points\n")
    print("| method | points/s | note |\n|---|---|---|")
    rates = {}
    runs = [("integer", False, 1, "integer kernel, first run (JIT compile or disk cache load)"),
            ("integer", False, 9, "integer kernel (median of 9 runs)"),
            ("integer", True, 5, "integer kernel (median of 5 runs)"),
            ("float", False, 1, "float kernel + exact engine for tied points"),
            ("float", True, 1, "float kernel + exact engine for possibly degenerate points"),
            ("numpy", False, 1, "numpy path")]
    if not args.skip_numpy_mixed:
        runs.append(("numpy", True, 1, "numpy path"))
    for engine, mixed, repeat, note in runs:
        if engine != "numpy" and not numba_available():
            continue
        result, seconds = _timed_sweep(game, axes, mixed, engine, repeat)
        name = f"policy sweep, {'all' if mixed else 'pure'} equilibria, {note}"
        rates[(engine, mixed)] = total / seconds
        solved = "degenerate, solved exactly in the kernel" if engine == "integer" else "solved exactly"
        print(f"| {name} | {total / seconds:,.0f} | {seconds:.3f} s, {len(result.regions)} regions, "
              f"{result.exact_points} points {solved} |")
    rng = np.random.default_rng(0)
    sample = rng.integers(0, total, args.sample)
    matrices = [[game.spec.payoff((r, c)) for c in game.strategies[1]] for r in game.strategies[0]]

    def matrices_at(flat):
        i, j = np.unravel_index(flat, (args.points, args.points))
        values = {game.symbols["s"]: axes[0].values()[i], game.symbols["a"]: axes[1].values()[j]}
        return tuple(np.array([[float(cell[p].subs(values)) for cell in row] for row in matrices])
                     for p in (0, 1))

    import nashpy

    def nashpy_solve(A, B):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return list(nashpy.Game(A, B).support_enumeration())

    baselines = {"nashpy": _per_point_rate(nashpy_solve, sample, matrices_at)}
    try:
        from quantecon.game_theory import NormalFormGame, Player, support_enumeration

        def quantecon_solve(A, B):
            return support_enumeration(NormalFormGame((Player(A), Player(B.T))))

        quantecon_solve(*matrices_at(sample[0]))  # JIT compile outside the timing
        baselines["QuantEcon"] = _per_point_rate(quantecon_solve, sample, matrices_at)
    except ImportError:
        print("| QuantEcon | — | not installed (pip install quantecon) |")
    for name, (bare, with_subs) in baselines.items():
        print(f"| {name} support enumeration per point, payoffs already numeric | {bare:,.0f} | "
              f"{args.sample} sampled points |")
        print(f"| sympy.subs + {name} support enumeration per point | {with_subs:,.0f} | "
              f"{args.sample} sampled points |")
    best = "integer" if ("integer", True) in rates else "numpy"
    print()
    for name, (bare, with_subs) in baselines.items():
        print(f"ratio, all equilibria ({best}): {rates[(best, True)] / bare:,.0f}× {name} per point "
              f"(numeric payoffs), {rates[(best, True)] / with_subs:,.0f}× with sympy substitution")
    for engine in ("float", "numpy"):
        if (engine, True) in rates and ("integer", True) in rates:
            print(f"integer kernels / {engine} path: pure "
                  f"{rates[('integer', False)] / rates[(engine, False)]:,.1f}×, all equilibria "
                  f"{rates[('integer', True)] / rates[(engine, True)]:,.1f}×")
    # agreement with the exact engine on the sample
    result, _ = _timed_sweep(game, axes, True, best)
    disagreements = 0
    for flat in sample:
        i, j = np.unravel_index(flat, (args.points, args.points))
        exact = find_equilibria(game.bind({"s": sympy.Rational(str(axes[0].exact(int(i)))),
                                           "a": sympy.Rational(str(axes[1].exact(int(j))))}))
        label = set_label(game, [eq.supports for eq in exact.equilibria])[0]
        disagreements += result.labels[result.grid[i, j]] != label
    print(f"agreement with the exact engine on {args.sample} sampled points: "
          f"{args.sample - disagreements}/{args.sample}")


if __name__ == "__main__":
    main()

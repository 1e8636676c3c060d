"""Benchmark of `policy sweep` (not run by the test suite).

    python tests/benchmarks/sweep.py              # 1000×1000 grid (--points 1000)
    python tests/benchmarks/sweep.py --points 300 # smaller grid

A 3×3 two-player game whose payoffs depend on two parameters (s, a), swept over
a square grid. Measured in the same run: points per second of `policy.sweep`
(pure equilibria only, and all equilibria), against the obvious alternative —
sympy substitution plus nashpy's support enumeration at each point (timed on a
random subsample and extrapolated) — and QuantEcon's support enumeration per
point when quantecon is installed (both with payoffs already numeric and including
the sympy substitution). The compiled (numba) and numpy paths are both timed.
Agreement with the exact engine is checked on the subsample.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import sympy

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # measure this checkout

from policy.equilibria import find_equilibria  # noqa: E402
from policy.gamefile import load_game_text  # noqa: E402
from policy.kernels import ENGINE_VARIABLE, numba  # noqa: E402
from policy.sweep import GridAxis, _label, sweep  # noqa: E402
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


def _timed_sweep(game, axes, mixed: bool, engine: str):
    os.environ[ENGINE_VARIABLE] = engine
    try:
        started = time.perf_counter()
        result = sweep(game, axes, mixed=mixed)
        return result, time.perf_counter() - started
    finally:
        del os.environ[ENGINE_VARIABLE]


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=1000, help="grid points per axis")
    parser.add_argument("--sample", type=int, default=200, help="points for the per-point baselines")
    parser.add_argument("--skip-numpy-mixed", action="store_true",
                        help="skip the (slow) numpy path for all equilibria")
    args = parser.parse_args()
    game = SymbolicGame.from_spec(load_game_text(GAME, path="bench3x3.yaml"))
    axes = [GridAxis.parse(f"s=0:3:{args.points}"), GridAxis.parse(f"a=0:3:{args.points}")]
    total = args.points ** 2
    print(f"3×3 game, {args.points}×{args.points} = {total} points\n")
    print("| method | points/s | note |\n|---|---|---|")
    rates = {}
    runs = [("numba", False, "compiled kernel (first run: JIT compile or disk cache load)"),
            ("numba", False, "compiled kernel"), ("numba", True, "compiled kernel"),
            ("numpy", False, "numpy path")]
    if not args.skip_numpy_mixed:
        runs.append(("numpy", True, "numpy path"))
    for engine, mixed, note in runs:
        if engine == "numba" and not numba_available():
            continue
        result, seconds = _timed_sweep(game, axes, mixed, engine)
        name = f"policy sweep, {'all' if mixed else 'pure'} equilibria, {note}"
        rates[(engine, mixed)] = total / seconds
        print(f"| {name} | {total / seconds:,.0f} | {seconds:.2f} s, {len(result.labels)} regions, "
              f"{result.exact_points} points solved exactly |")
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
    best = "numba" if ("numba", True) in rates else "numpy"
    print()
    for name, (bare, with_subs) in baselines.items():
        print(f"ratio, all equilibria ({best}): {rates[(best, True)] / bare:,.0f}× {name} per point "
              f"(numeric payoffs), {rates[(best, True)] / with_subs:,.0f}× with sympy substitution")
    if ("numpy", True) in rates and ("numba", True) in rates:
        print(f"numba / numpy path: pure {rates[('numba', False)] / rates[('numpy', False)]:,.1f}×, "
              f"all equilibria {rates[('numba', True)] / rates[('numpy', True)]:,.1f}×")
    # agreement with the exact engine on the sample
    result, _ = _timed_sweep(game, axes, True, best)
    disagreements = 0
    for flat in sample:
        i, j = np.unravel_index(flat, (args.points, args.points))
        exact = find_equilibria(game.bind({"s": sympy.Rational(str(axes[0].exact(int(i)))),
                                           "a": sympy.Rational(str(axes[1].exact(int(j))))}))
        label = _label(game, [eq.supports for eq in exact.equilibria])[0]
        disagreements += result.labels[result.grid[i, j]] != label
    print(f"agreement with the exact engine on {args.sample} sampled points: "
          f"{args.sample - disagreements}/{args.sample}")


if __name__ == "__main__":
    main()

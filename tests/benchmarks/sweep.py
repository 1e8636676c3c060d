"""Benchmark of `policy sweep` (not run by the test suite).

    python tests/benchmarks/sweep.py              # 1000×1000 grid
    python tests/benchmarks/sweep.py --points 300 # smaller grid

A 3×3 two-player game whose payoffs depend on two parameters (s, a), swept over
a square grid. Measured in the same run: points per second of `policy.sweep`
(pure equilibria only, and all equilibria), against the obvious alternative —
sympy substitution plus nashpy's support enumeration at each point (timed on a
random subsample and extrapolated) — and QuantEcon's pure-equilibrium search per
point when quantecon is installed. Agreement with the exact engine is checked on
the subsample.
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
import sympy

import policy
from policy.gamefile import load_game_text
from policy.equilibria import find_equilibria
from policy.sweep import GridAxis, _label, sweep
from policy.symbolic import SymbolicGame

GAME = """
name: bench3x3
parameters: {s: 1, a: 1}
players: {row: [r1, r2, r3], column: [c1, c2, c3]}
payoffs:
  r1: {c1: [3 + s, 2], c2: [1, 4 - a], c3: [2*s, 1]}
  r2: {c1: [2, 3 + a], c2: [4 - s, 1], c3: [1, 2 + s]}
  r3: {c1: [1 + a, 1], c2: [2, 2*a], c3: [3, 3 - s]}
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=1000, help="grid points per axis")
    parser.add_argument("--sample", type=int, default=200, help="points for the per-point baselines")
    args = parser.parse_args()
    game = SymbolicGame.from_spec(load_game_text(GAME, path="bench3x3.yaml"))
    axes = [GridAxis.parse(f"s=0:3:{args.points}"), GridAxis.parse(f"a=0:3:{args.points}")]
    total = args.points ** 2
    print(f"3×3 game, {args.points}×{args.points} = {total} points\n")
    print("| method | points/s | note |\n|---|---|---|")
    rates = {}
    for mixed, name in ((False, "policy sweep, pure equilibria"), (True, "policy sweep, all equilibria")):
        started = time.perf_counter()
        result = sweep(game, axes, mixed=mixed)
        seconds = time.perf_counter() - started
        rates[name] = total / seconds
        print(f"| {name} | {rates[name]:,.0f} | {seconds:.1f} s, {len(result.labels)} regions, "
              f"{result.exact_points} points solved exactly |")
    rng = np.random.default_rng(0)
    sample = rng.integers(0, total, args.sample)
    s, a = sympy.symbols("s a", real=True)
    matrices = [[game.spec.payoff((r, c)) for c in game.strategies[1]] for r in game.strategies[0]]
    import nashpy

    started = time.perf_counter()
    nashpy_sets = []
    for flat in sample:
        i, j = np.unravel_index(flat, (args.points, args.points))
        values = {game.symbols["s"]: axes[0].values()[i], game.symbols["a"]: axes[1].values()[j]}
        A = np.array([[float(cell[0].subs(values)) for cell in row] for row in matrices])
        B = np.array([[float(cell[1].subs(values)) for cell in row] for row in matrices])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            nashpy_sets.append(list(nashpy.Game(A, B).support_enumeration()))
    seconds = time.perf_counter() - started
    rates["sympy + nashpy"] = args.sample / seconds
    print(f"| sympy.subs + nashpy support enumeration, per point | {rates['sympy + nashpy']:,.0f} | "
          f"{args.sample} sampled points |")
    try:
        import quantecon as qe

        started = time.perf_counter()
        for flat in sample:
            i, j = np.unravel_index(flat, (args.points, args.points))
            values = {game.symbols["s"]: axes[0].values()[i], game.symbols["a"]: axes[1].values()[j]}
            A = np.array([[float(cell[0].subs(values)) for cell in row] for row in matrices])
            B = np.array([[float(cell[1].subs(values)) for cell in row] for row in matrices])
            qe.game_theory.support_enumeration(qe.game_theory.NormalFormGame(
                (qe.game_theory.Player(A), qe.game_theory.Player(B.T))))
        seconds = time.perf_counter() - started
        rates["quantecon"] = args.sample / seconds
        print(f"| sympy.subs + QuantEcon support enumeration, per point | {rates['quantecon']:,.0f} | "
              f"{args.sample} sampled points |")
    except ImportError:
        print("| QuantEcon | — | not installed (pip install quantecon) |")
    # agreement with the exact engine on the sample
    result = sweep(game, axes, mixed=True)
    disagreements = 0
    for flat in sample:
        i, j = np.unravel_index(flat, (args.points, args.points))
        exact = find_equilibria(game.bind({"s": sympy.Rational(str(axes[0].exact(int(i)))),
                                           "a": sympy.Rational(str(axes[1].exact(int(j))))}))
        label = _label(game, [eq.supports for eq in exact.equilibria])[0]
        disagreements += result.labels[result.grid[i, j]] != label
    print(f"\nratio, all equilibria: {rates['policy sweep, all equilibria'] / rates['sympy + nashpy']:,.0f}× "
          "sympy+nashpy")
    print(f"agreement with the exact engine on {args.sample} sampled points: "
          f"{args.sample - disagreements}/{args.sample}")
    _ = policy


if __name__ == "__main__":
    main()

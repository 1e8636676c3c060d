"""Benchmark of the logit path and its certified limit against pygambit's
``logit_solve`` (not run by the test suite; pygambit is an optional oracle).

    python tests/benchmarks/logit.py              # 8 random games per shape
    python tests/benchmarks/logit.py --games 3

Random games with integer payoffs -20…20 (fixed seeds), one table row per shape:
median processor seconds per game of ``logit_path`` (the branch), of
``logit_limit`` (the branch plus the certificate of its end) and of pygambit's
``logit_solve`` (the branch, no certificate), measured in the same run; how many of
our limits were certified (exactly or by intervals); how many of Gambit's answers are
equilibria (regret at most 1e-6 of the payoff range) and agree with ours (every
probability within 1e-4).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # measure this checkout

from policy.logit import logit_limit, logit_path  # noqa: E402
from policy.numeric import NumericGame  # noqa: E402

SHAPES = [(2, 2, 2), (3, 3, 3), (5, 5, 5), (2, 2, 2, 2), (3, 3, 3, 3), (2, 2, 2, 2, 2),
          (10, 10), (20, 20)]


def regret(arrays, profile) -> float:
    worst = 0.0
    for i, array in enumerate(arrays):
        table = array
        for m in reversed(range(len(arrays))):
            if m != i:
                table = np.tensordot(table, profile[m], axes=([m], [0]))
        worst = max(worst, float(np.max(table) - table @ profile[i]))
    return worst


def timed(function):
    start = time.process_time()
    result = function()
    return result, time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--games", type=int, default=8)
    options = parser.parse_args()
    try:
        import pygambit as gbt
    except ImportError:  # pragma: no cover
        gbt = None
    print("| shape | games | path (s) | limit, certified (s) | gambit logit_solve (s) "
          "| ratio limit / gambit | certified (exact + interval) | gambit equilibria "
          "| agree |")
    print("|---|---|---|---|---|---|---|---|---|")
    for shape in SHAPES:
        rng = np.random.default_rng(sum(shape) * 100 + len(shape))
        paths, limits, gambits = [], [], []
        exact = interval = gambit_ok = agree = 0
        for _ in range(options.games):
            arrays = [rng.integers(-20, 21, size=shape) for _ in shape]
            game = NumericGame.from_arrays(*[a.tolist() for a in arrays])
            _, seconds = timed(lambda: logit_path(game))
            paths.append(seconds)
            limit, seconds = timed(lambda: logit_limit(game))
            limits.append(seconds)
            found = limit.equilibrium
            if found is not None:
                exact += found.method == "exact"
                interval += found.method == "interval"
            if gbt is None:
                continue
            g = gbt.Game.from_arrays(*arrays)
            result, seconds = timed(lambda: gbt.nash.logit_solve(g))
            gambits.append(seconds)
            theirs = [np.array([float(result.equilibria[0][s]) for s in player.strategies])
                      for player in g.players]
            scale = max(float(np.ptp(a)) for a in arrays) or 1.0
            if regret([a.astype(float) for a in arrays], theirs) <= 1e-6 * scale:
                gambit_ok += 1
                if found is not None and max(
                        float(np.max(np.abs(np.array(ours) - t)))
                        for ours, t in zip(found.probabilities, theirs)) < 1e-4:
                    agree += 1
        size = "×".join(map(str, shape))
        path_s, limit_s = statistics.median(paths), statistics.median(limits)
        if gambits:
            gambit_s = statistics.median(gambits)
            tail = (f"{gambit_s:.3f} | {limit_s / gambit_s:.2f} | {exact} + {interval} | "
                    f"{gambit_ok} | {agree} |")
        else:
            tail = f"— | — | {exact} + {interval} | — | — |"
        print(f"| {size} | {options.games} | {path_s:.3f} | {limit_s:.3f} | {tail}")


if __name__ == "__main__":
    main()

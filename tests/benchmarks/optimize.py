"""Benchmark of `policy optimize` (not run by the test suite).

    python tests/benchmarks/optimize.py            # full run, a few minutes
    python tests/benchmarks/optimize.py --quick    # smaller sizes

Measures, in one run on this machine:
1. optimal commitment (one LP per follower profile) for leaders with 2..50 strategies
   and 1..3 followers with up to 10 strategies, CBC against HiGHS;
2. the scenario MILP (policy must work in 90% of K sampled scenarios) for K = 10..1000,
   CBC against HiGHS;
3. cheapest implementation by LP against brute force over a grid of control values.
"""

from __future__ import annotations

import argparse
import itertools
import time
from fractions import Fraction

import numpy as np
import sympy

from policy.spec import Control, Distribution, GameSpec, Parameter, Player
from policy.optimize import SolverOptions, cheapest_implementation, optimal_commitment
from policy.symbolic import SymbolicGame


def random_game(shape, seed, leader=0) -> SymbolicGame:
    rng = np.random.default_rng(seed)
    players = tuple(Player(f"p{i}", tuple(f"s{i}_{k}" for k in range(n))) for i, n in enumerate(shape))
    payoffs = tuple(tuple(sympy.Integer(int(v)) for v in rng.integers(0, 100, len(shape)))
                    for _ in range(int(np.prod(shape))))
    return SymbolicGame(GameSpec(name="random", players=players, payoffs=payoffs,
                                 leader=f"p{leader}"))


def entry_game() -> SymbolicGame:
    """Two controls, an uncertain scale advantage: the platform-entry structure."""
    s, a, levy, subsidy = (sympy.Symbol(n, real=True) for n in ("s", "a", "levy", "subsidy"))
    payoffs = ((10 - 4 + s - 3 - levy, 4 + a - 3 - 3 + subsidy), (10 + s - levy, sympy.Integer(0)),
               (sympy.Integer(6), 4 + a - 3 + subsidy), (sympy.Integer(10), sympy.Integer(0)))
    return SymbolicGame(GameSpec(
        name="entry", players=(Player("incumbent", ("expand", "restrain")),
                               Player("entrant", ("enter", "stay_out"))),
        payoffs=payoffs,
        parameters=(Parameter("s", sympy.Integer(2), distribution=Distribution("uniform", (0, 4))),
                    Parameter("a", sympy.Integer(1),
                              distribution=Distribution("triangular", (0, 1, 3)))),
        controls=(Control("levy", sympy.Integer(0), (0, 5), sympy.Rational(1, 4)),
                  Control("subsidy", sympy.Integer(0), (0, 5), sympy.Integer(1)))))


def timed(function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - started


def solvers():
    names = ["cbc"]
    try:
        SolverOptions("highs").make()
        names.append("highs")
    except Exception:  # noqa: BLE001
        print("(HiGHS not installed: pip install highspy)")
    return names


def bench_commitment(quick: bool) -> None:
    print("\n## Optimal commitment: seconds in the LPs (follower profiles = LPs solved)")
    leaders = [2, 10, 50] if quick else [2, 5, 10, 20, 50]
    followers = [(10,), (5, 5), (4, 4, 4)] if quick else [(10,), (10, 10), (5, 5, 5), (10, 10, 10)]
    names = solvers()
    print("| leader strategies | followers | LPs | " + " | ".join(names) + " | same value |")
    print("|---|---|---|" + "---|" * len(names) + "---|")
    for m, shape in itertools.product(leaders, followers):
        game = random_game((m, *shape), seed=m * 31 + len(shape))
        results = {name: timed(optimal_commitment, game, solver=SolverOptions(name), compare=False)
                   for name in names}
        values = {float(r.leader_value) for r, _ in results.values()}
        same = max(values) - min(values) < 1e-6
        cells = " | ".join(f"{r.seconds:.2f}" for r, _ in results.values())
        print(f"| {m} | {'×'.join(map(str, shape))} | {int(np.prod(shape))} | {cells} | {same} |")


def bench_scenarios(quick: bool) -> None:
    print("\n## Scenario MILP (dominant, 90% of K scenarios): seconds")
    names = solvers()
    print("| K | " + " | ".join(names) + " | cost (each) |")
    print("|---|" + "---|" * len(names) + "---|")
    for k in ([10, 100] if quick else [10, 100, 300, 1000]):
        cells, costs = [], []
        for name in names:
            result, seconds = timed(cheapest_implementation, entry_game(), {"entrant": "enter"},
                                    robust="dominant", scenarios=k, seed=1, confidence=0.9,
                                    solver=SolverOptions(name, time_limit=120))
            cells.append(f"{seconds:.2f} ({result.status})")
            costs.append(f"{float(result.cost):.4f}" if result.cost is not None else "—")
        print(f"| {k} | " + " | ".join(cells) + f" | {', '.join(costs)} |")


def bench_brute_force(quick: bool) -> None:
    print("\n## Cheapest implementation: LP against brute force over a control grid")
    game = entry_game()
    result, lp_seconds = timed(cheapest_implementation, game, {"entrant": "enter"},
                               robust="dominant", margin=Fraction(1, 100))
    points = 201 if quick else 1001
    started = time.perf_counter()
    levy, subsidy = np.meshgrid(np.linspace(0, 5, points), np.linspace(0, 5, points))
    s, a, eps = 2.0, 1.0, 0.01
    ok = ((10 - (10 + s - levy) >= eps)                       # restrain beats expand vs stay_out
          & (6 - (10 - 4 + s - 3 - levy) >= eps)              # ... and vs enter
          & ((4 + a - 3 - 3 + subsidy) >= eps)                # enter beats stay_out vs expand
          & ((4 + a - 3 + subsidy) >= eps))                   # ... and vs restrain
    cost = np.where(ok, 0.25 * levy + subsidy, np.inf)
    brute = float(cost.min())
    brute_seconds = time.perf_counter() - started
    print(f"| method | seconds | cost |\n|---|---|---|\n| LP (exact) | {lp_seconds:.3f} | "
          f"{float(result.cost):.6f} |\n| grid {points}×{points} (numpy) | {brute_seconds:.3f} | "
          f"{brute:.6f} |")
    print(f"grid error: {brute - float(result.cost):.2e} (grid step {5 / (points - 1):.3g})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    bench_commitment(args.quick)
    bench_scenarios(args.quick)
    bench_brute_force(args.quick)


if __name__ == "__main__":
    main()

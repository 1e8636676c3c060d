"""Benchmark of market and population games (issue 17): processor seconds of solve and
analyze on the bundled games, pure counts of populations up to a million members, and
the exact symmetric mixed equilibrium up to 60 members. Run by hand:

    python tests/benchmarks/markets.py
"""

from __future__ import annotations

import time

from policy import api


def seconds(work) -> tuple[float, object]:
    start = time.process_time()
    result = work()
    return time.process_time() - start, result


def main() -> None:
    print("| game | solve (s) | analyze (s) | equilibria |")
    print("|---|---|---|---|")
    for name in ("cournot_entry", "scale_vs_niche", "entry_population"):
        game = api.load(name)
        solve_time, solved = seconds(lambda: api.solve(game))
        analyze_time, _ = seconds(lambda: api.analyze(game))
        found = len(getattr(solved, "equilibria", ())) or (
            len(solved.counts) + len(solved.symmetric))
        print(f"| {name} | {solve_time:.3f} | {analyze_time:.3f} | {found} |")
    print()
    print("| members N | solve (s): counts and symmetric mixed | counts | symmetric p |")
    print("|---|---|---|---|")
    for members in (10, 30, 60, 1_000, 10_000, 1_000_000):
        game = api.load("entry_population")
        spent, result = seconds(lambda: api.solve(game, {"N": members}))
        runs = ", ".join(f"{r.low}" if r.low == r.high else f"{r.low}–{r.high}"
                         for r in result.counts)
        mixed = ", ".join(f"{float(eq.probability):.6g}" for eq in result.symmetric) or "—"
        print(f"| {members:,} | {spent:.3f} | {runs} | {mixed} |")


if __name__ == "__main__":
    main()

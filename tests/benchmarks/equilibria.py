"""Benchmark of the exact two-player engine (not run by the test suite).

    python tests/benchmarks/equilibria.py            # 6×6 … 20×20 and 5×50, 50×5
    python tests/benchmarks/equilibria.py --quick    # up to 12×12
    python tests/benchmarks/equilibria.py --python   # also the Python-integer path alone

Random games with integer payoffs in [-20, 20] (``numpy.random.default_rng(1)``,
the square sizes drawn in order 6, 8, …, then the rectangular ones), as in issue 19.
Measured in one run on this machine: `policy.equilibria.find_equilibria` (method
``auto``: exact pivoting), pygambit's ``enummixed_solve`` (rational) when pygambit
is installed, and ``lrsnash`` (Debian's ``lrslib``) when it is on the PATH — both
GPL, used here only as a yardstick. Each alternative runs in a subprocess with a
time budget (``--gambit-budget`` 60 s, ``--lrs-budget`` 600 s); past it the size is
marked "stopped" and larger square ones are skipped for that tool
(``--rectangular`` runs the rectangular games alone, every tool again). The extreme equilibria are compared with
pygambit's and the count with lrsnash's. With ``--python``, policy is also timed
with the compiled kernel switched off (``policy.vertex_enumeration.COMPILED_AFTER``
set past any search: Python integers only, the engine before the kernel) and the
two answers compared.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # measure this checkout

from policy import vertex_enumeration  # noqa: E402
from policy.equilibria import find_equilibria  # noqa: E402
from policy.numeric import NumericGame  # noqa: E402

SQUARE = (6, 8, 10, 12, 14, 16, 18, 20)
RECTANGULAR = ((5, 50), (50, 5))

_GAMBIT = r"""
import json, sys, time
from fractions import Fraction
import numpy as np
import pygambit as gbt
A, B = json.load(sys.stdin)
game = gbt.Game.from_arrays(np.array(A), np.array(B))
started = time.perf_counter()
found = gbt.nash.enummixed_solve(game, rational=True).equilibria
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "equilibria": sorted(
    [[[str(Fraction(eq[s])) for s in player.strategies] for player in game.players]
     for eq in found])}))
"""


def games(quick: bool, rectangular_only: bool = False):
    rng = np.random.default_rng(1)
    shapes = [(s, s) for s in SQUARE if not quick or s <= 12] + ([] if quick else list(RECTANGULAR))
    for shape in shapes:
        A, B = rng.integers(-20, 21, shape).tolist(), rng.integers(-20, 21, shape).tolist()
        if not rectangular_only or shape[0] != shape[1]:
            yield shape, A, B


def run_policy(A, B, compiled_after=None):
    game = NumericGame.from_arrays(A, B)
    default = vertex_enumeration.COMPILED_AFTER
    vertex_enumeration.COMPILED_AFTER = default if compiled_after is None else compiled_after
    try:
        return _timed(game)
    finally:
        vertex_enumeration.COMPILED_AFTER = default


def _timed(game):
    started = time.perf_counter()
    result = find_equilibria(game)
    seconds = time.perf_counter() - started
    found = sorted([[str(p) for p in s] for s in eq.strategies] for eq in result.equilibria)
    return seconds, result, found


def run_gambit(A, B, budget):
    try:
        done = subprocess.run([sys.executable, "-c", _GAMBIT], input=json.dumps([A, B]),
                              capture_output=True, text=True, timeout=budget, check=True)
    except subprocess.TimeoutExpired:
        return None
    return json.loads(done.stdout)


def run_lrsnash(A, B, budget):
    m, n = len(A), len(A[0])
    text = f"{m} {n}\n\n" + "\n".join(" ".join(map(str, r)) for r in A) + "\n\n" + \
        "\n".join(" ".join(map(str, r)) for r in B) + "\n"
    with tempfile.NamedTemporaryFile("w", suffix=".game", delete=False) as handle:
        handle.write(text)
    started = time.perf_counter()
    try:
        done = subprocess.run(["lrsnash", handle.name], capture_output=True, text=True,
                              timeout=budget)
    except subprocess.TimeoutExpired:
        return None
    finally:
        Path(handle.name).unlink()
    seconds = time.perf_counter() - started
    count = next(int(line.split(":")[1]) for line in done.stdout.splitlines()
                 if line.startswith("*Number of equilibria found"))
    return {"seconds": seconds, "count": count}


def add_cells(cells, theirs, budget, absent):
    """Append one tool's three cells; a tool stopped by its budget is not run again."""
    if theirs is None:
        cells += [f"stopped at {budget:g} s", "—", "—"]
        return False, "skipped (stopped on a smaller game)"
    cells += [f"{theirs['seconds']:.3g} s", *theirs["cells"]]
    return True, absent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--rectangular", action="store_true",
                        help="only the rectangular games (the same draws as in a full run)")
    parser.add_argument("--gambit-budget", type=float, default=60.0,
                        help="seconds pygambit may take per game")
    parser.add_argument("--lrs-budget", type=float, default=600.0,
                        help="seconds lrsnash may take per game")
    parser.add_argument("--python", action="store_true",
                        help="also time policy with Python integers only (no compiled kernel)")
    args = parser.parse_args()
    try:
        import pygambit  # noqa: F401
        gambit, gambit_absent = True, "not installed"
    except ImportError:
        gambit, gambit_absent = False, "not installed"
    lrs, lrs_absent = shutil.which("lrsnash") is not None, "not installed"
    before = "| policy, Python integers only | after / before | same answer " if args.python else ""
    print(f"| size | policy | equilibria (complete) {before}| pygambit enummixed "
          "| policy / pygambit | same as pygambit | lrsnash | lrsnash equilibria "
          "| policy / lrsnash |")
    print("|---|---|---" + "|---" * (3 if args.python else 0) + "|---|---|---|---|---|---|")
    for shape, A, B in games(args.quick, args.rectangular):
        seconds, result, ours = run_policy(A, B)
        cells = [f"{shape[0]}×{shape[1]}", f"{seconds:.3g} s",
                 f"{len(result.equilibria)} ({result.complete})"]
        if args.python:
            python_seconds, _, python_ours = run_policy(A, B, compiled_after=10**18)
            cells += [f"{python_seconds:.3g} s", f"{seconds / python_seconds:.2g}",
                      str(python_ours == ours)]
        if gambit:
            theirs = run_gambit(A, B, args.gambit_budget)
            if theirs is not None:
                same = sorted(theirs["equilibria"]) == ours
                theirs["cells"] = [f"{seconds / theirs['seconds']:.2g}", str(same)]
            gambit, gambit_absent = add_cells(cells, theirs, args.gambit_budget, gambit_absent)
        else:
            cells += [gambit_absent, "—", "—"]
        if lrs:
            theirs = run_lrsnash(A, B, args.lrs_budget)
            if theirs is not None:
                theirs["cells"] = [str(theirs["count"]), f"{seconds / theirs['seconds']:.2g}"]
            lrs, lrs_absent = add_cells(cells, theirs, args.lrs_budget, lrs_absent)
        else:
            cells += [lrs_absent, "—", "—"]
        print("| " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()

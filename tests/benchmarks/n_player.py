"""Benchmark of the n-player engine (support enumeration, exact) against pygambit's
``enumpoly_solve`` (not run by the test suite; pygambit is an optional oracle, GPL).

    python tests/benchmarks/n_player.py              # Gambit's games and 5 random games per shape
    python tests/benchmarks/n_player.py --games 2

Rows: the n-player games of Gambit's repository kept in ``tests/data`` and random
games with integer payoffs -20…20 (numpy seeds 0, 1, …). For each: processor
seconds of ``policy.equilibria.find_equilibria`` and of pygambit's
``enumpoly_solve(stop_after=None)``, measured in the same run, their ratio, the
number of equilibria each returns, whether every equilibrium pygambit returns is
among ours (probabilities within 1e-6), and how many of pygambit's are not
equilibria (regret above 1e-6 times the payoff range).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # measure this checkout

from policy.equilibria import find_equilibria  # noqa: E402
from policy.loader import load_game  # noqa: E402
from policy.numeric import NumericGame  # noqa: E402
from policy.symbolic import SymbolicGame  # noqa: E402

FILES = [ROOT / "tests" / "data" / "nfg" / "2x2x2.nfg"] + sorted(
    (ROOT / "tests" / "data" / "n_player").glob("*.nfg"))
SHAPES = [(2, 2, 2), (3, 2, 2), (2, 2, 2, 2), (3, 3, 2), (3, 3, 3)]


def regret(arrays, profile) -> float:
    worst = 0.0
    for i, array in enumerate(arrays):
        table = np.asarray(array, dtype=float)
        for m in reversed(range(len(arrays))):
            if m != i:
                table = np.tensordot(table, np.asarray(profile[m], dtype=float), axes=([m], [0]))
        worst = max(worst, float(table.max() - table @ np.asarray(profile[i], dtype=float)))
    return worst


def ours(game: NumericGame):
    started = time.process_time()
    result = find_equilibria(game)
    seconds = time.process_time() - started
    return seconds, result, [[[float(p) for p in s] for s in eq.strategies] for eq in result]


GAMBIT_SECONDS = 60


def _gambit_child(path: str, answer) -> None:
    import pygambit

    game = pygambit.read_nfg(path)
    started = time.process_time()
    found = pygambit.nash.enumpoly_solve(game, stop_after=None).equilibria
    seconds = time.process_time() - started
    answer.put((seconds, [[[float(eq[s]) for s in p.strategies] for p in game.players]
                          for eq in found]))


def gambits(path: Path):
    """pygambit's answer, in a child process stopped after GAMBIT_SECONDS (enumpoly can
    hang: gambit#1055); (None, []) when it does not finish."""
    import multiprocessing

    answer = multiprocessing.Queue()
    child = multiprocessing.Process(target=_gambit_child, args=(str(path), answer))
    child.start()
    child.join(GAMBIT_SECONDS)
    if child.is_alive():
        child.kill()
        child.join()
        return None, []
    return answer.get()


def row(name: str, game: NumericGame, path: Path) -> str:
    mine_seconds, result, mine = ours(game)
    their_seconds, theirs = gambits(path)
    if their_seconds is None:
        return (f"| {name} | {'×'.join(map(str, game.shape))} | {mine_seconds:.3f} s | "
                f"{len(mine)}{'' if result.complete else ' (incomplete)'} | no answer in "
                f"{GAMBIT_SECONDS} s | — | — | — |")
    scale = max(float(np.ptp(a)) for a in game.payoffs) or 1.0
    wrong = sum(regret(game.payoffs, p) > 1e-6 * scale for p in theirs)
    covered = all(any(all(np.allclose(a, b, atol=1e-6) for a, b in zip(p, q)) for q in mine)
                  for p in theirs if regret(game.payoffs, p) <= 1e-6 * scale)
    ratio = mine_seconds / their_seconds if their_seconds > 0 else float("inf")
    return (f"| {name} | {'×'.join(map(str, game.shape))} | {mine_seconds:.3f} s | "
            f"{len(mine)}{'' if result.complete else ' (incomplete)'} | {their_seconds:.3f} s | "
            f"{len(theirs)}{f', {wrong} not Nash' if wrong else ''} | {ratio:.0f}× | "
            f"{'yes' if covered else 'no'} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--games", type=int, default=5, help="random games per shape")
    arguments = parser.parse_args()
    import tempfile

    print("| Game | Shape | policy | policy equilibria | pygambit enumpoly | pygambit equilibria "
          "| policy / pygambit | pygambit's ⊆ ours |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for path in FILES:
        game = SymbolicGame(load_game(path)).bind({})
        print(row(path.name, game, path), flush=True)
    ratios: dict[tuple[int, ...], list[float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        for shape in SHAPES:
            for seed in range(arguments.games):
                rng = np.random.default_rng(seed)
                arrays = [rng.integers(-20, 21, size=shape).tolist() for _ in shape]
                game = NumericGame.from_arrays(*arrays, name=f"random{seed}")
                path = Path(folder) / f"random_{'x'.join(map(str, shape))}_{seed}.nfg"
                path.write_text(_nfg(arrays, shape))
                line = row(f"random seed {seed}", game, path)
                print(line, flush=True)
                ratio = line.split("|")[7].strip(" ×—")
                if ratio:
                    ratios.setdefault(shape, []).append(float(ratio))
    for shape, values in ratios.items():
        print(f"median ratio {'×'.join(map(str, shape))}: {statistics.median(values):.0f}×")


def _nfg(arrays, shape) -> str:
    """A payoff-version .nfg of integer arrays (first player fastest, as the format says)."""
    players = " ".join(f'"P{i + 1}"' for i in range(len(shape)))
    counts = " ".join(str(n) for n in shape)
    values = []
    for index in np.ndindex(*reversed(shape)):
        profile = tuple(reversed(index))
        values.extend(str(np.asarray(arrays[i])[profile]) for i in range(len(shape)))
    return f'NFG 1 R "random" {{ {players} }} {{ {counts} }}\n\n' + " ".join(values) + "\n"


if __name__ == "__main__":
    main()

"""Benchmark of the command line's start-up (not run by the test suite).

    python tests/benchmarks/startup.py            # 21 runs of each (--runs 21)
    python tests/benchmarks/startup.py --runs 51
    python tests/benchmarks/startup.py --against ../main   # also another checkout's

Measured in the same run, alternating: the wall-clock time of ``policy --help``
(the console script's own code: ``python -m policy --help`` from this checkout)
against ``python -c "import click"``, the floor any click command line pays, and
``python -c "pass"``, the interpreter alone. Prints the median of each, and the
ratio of the first two (issue 14 asks for at most 2). ``--against DIR`` adds
``policy --help`` from another checkout (e.g. before a change) to the same run. Tests never assert times;
``tests/test_cli.py`` checks instead that ``--help`` imports no heavy library.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[2]
HELP = [sys.executable, "-m", "policy", "--help"]
COMMANDS = {
    "policy --help": (HELP, CHECKOUT),
    'python -c "import click"': ([sys.executable, "-c", "import click"], CHECKOUT),
    'python -c "pass"': ([sys.executable, "-c", "pass"], CHECKOUT),
}


def seconds(command: list[str], checkout: Path) -> float:
    """Wall-clock seconds of one run of ``command`` importing ``policy`` from
    ``checkout`` (its output discarded)."""
    environment = {**os.environ, "PYTHONPATH": str(checkout)}
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, env=environment, cwd=checkout, check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21, help="runs of each command")
    parser.add_argument("--against", type=Path, default=None,
                        help="also time policy --help from this checkout")
    arguments = parser.parse_args()
    runs = arguments.runs
    commands = dict(COMMANDS)
    if arguments.against:
        commands[f"policy --help ({arguments.against})"] = (HELP, arguments.against.resolve())
    times: dict[str, list[float]] = {name: [] for name in commands}
    for command, checkout in commands.values():  # warm the file cache once
        seconds(command, checkout)
    for _ in range(runs):
        for name, (command, checkout) in commands.items():
            times[name].append(seconds(command, checkout))
    medians = {name: statistics.median(values) for name, values in times.items()}
    print(f"| command | median of {runs} runs (ms) |\n|---|---|")
    for name, median in medians.items():
        print(f"| `{name}` | {1000 * median:.0f} |")
    floor = medians['python -c "import click"']
    print(f"\n`policy --help` / `import click`: {medians['policy --help'] / floor:.2f}")
    if arguments.against:
        before = medians[f"policy --help ({arguments.against})"]
        print(f"`policy --help` ({arguments.against}) / `import click`: {before / floor:.2f}")


if __name__ == "__main__":
    main()

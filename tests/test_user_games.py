"""Games nobody bundled: every command answers, honestly and in time, on each of them.

``tests/data/user_games/`` holds games written from scratch the way different users
would write them (``corpus_*``), and the cases other tests of this issue added there
(``exact_*``, ``analysis_*``, ``input_*``): every file in the folder is run. On each
file, as a user would on the command line (``python -m policy ... --out TMP``):

* ``check``, ``solve``, ``analyze``;
* ``optimize --mode rank``; ``--mode implement`` with ``--robust nash``, ``strict``
  and ``dominant`` when the file declares a target; ``--mode commit`` with and
  without ``--pessimistic`` when it declares a leader;
* a small ``sweep`` (5 points per axis, on the file's ``vary:`` axes or else on two
  parameters or controls with a declared range or bounds);
* ``report``.

A run fails on any "NOT verified" in its output (every answer printed must have been
checked), an internal error (exit 3, "internal error" or a traceback), exit 2 (the
files are valid, so a usage or input error is a bug), and on taking more than
:data:`SECONDS_PER_RUN` (the subprocess is stopped). Exit 1 (check warnings, no
policy reaches the goal) is an answer. The runs go in parallel, one per core.
"""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from policy import load

FOLDER = Path(__file__).parent / "data" / "user_games"
FILES = sorted(p for p in FOLDER.iterdir() if p.suffix in (".yaml", ".yml", ".nfg"))
#: Longest one command may take on a game of this size (a hang guard, not a benchmark).
SECONDS_PER_RUN = 10.0
#: Points per axis of the small sweep.
SWEEP_POINTS = 5


@dataclass(frozen=True)
class Run:
    """One command on one game file, and what it printed."""

    file: Path
    args: tuple[str, ...]
    exit_code: int | None  # None: stopped after SECONDS_PER_RUN
    output: str

    @property
    def shown(self) -> str:
        return f"python -m policy {' '.join(self.args)}"


def _axis(name: str, low, high) -> str:
    return f"{name}={low}:{high}:{SWEEP_POINTS}"


def sweep_axes(path: Path) -> tuple[str, ...]:
    """The file's ``vary:`` axes at :data:`SWEEP_POINTS` points, else two ranged names."""
    spec = load(str(path)).spec
    if spec.vary:
        return tuple(_axis(*_name_and_ends(axis)) for axis in spec.vary)
    ranged = [(p.name, *p.range) for p in spec.parameters if p.range and p.range[0] < p.range[1]]
    ranged += [(c.name, *c.bounds) for c in spec.controls if c.bounds and c.bounds[0] < c.bounds[1]]
    return tuple(_axis(*axis) for axis in ranged[:2])


def _name_and_ends(axis: str) -> tuple[str, str, str]:
    name, ends = axis.split("=", 1)
    start, stop, _ = ends.split(":")
    return name, start, stop


def commands(path: Path) -> list[tuple[str, ...]]:
    """Every command that applies to the game in ``path``."""
    spec = load(str(path)).spec
    game = str(path)
    runs: list[tuple[str, ...]] = [("check", game), ("solve", game), ("analyze", game),
                                   ("optimize", game, "--mode", "rank")]
    if spec.target:
        runs += [("optimize", game, "--mode", "implement", "--robust", robust)
                 for robust in ("nash", "strict", "dominant")]
    if spec.leader:
        runs += [("optimize", game, "--mode", "commit"),
                 ("optimize", game, "--mode", "commit", "--pessimistic")]
    axes = sweep_axes(path)
    if axes:
        runs.append(("sweep", game, *[arg for axis in axes for arg in ("--vary", axis)]))
    runs.append(("report", game))
    return runs


def run(path: Path, args: tuple[str, ...], out: Path) -> Run:
    full = args if args[0] == "check" else (*args, "--out", str(out))
    try:
        done = subprocess.run([sys.executable, "-m", "policy", *full], capture_output=True,
                              text=True, timeout=SECONDS_PER_RUN, cwd=out)
    except subprocess.TimeoutExpired as stopped:
        return Run(path, full, None, f"{stopped.stdout or ''}{stopped.stderr or ''}")
    return Run(path, full, done.returncode, done.stdout + done.stderr)


CASES = [(path, args) for path in FILES for args in commands(path)]


@pytest.fixture(scope="module")
def runs(request, tmp_path_factory) -> dict[tuple[Path, tuple[str, ...]], Run]:
    """The selected commands (all, unless ``-k`` picks some), in parallel: one per core."""
    selected = [(item.callspec.params["path"], item.callspec.params["args"])
                for item in request.session.items
                if getattr(item, "originalname", "") == "test_every_command_answers_verified_and_in_time"]

    def one(case):
        path, args = case
        return case, run(path, args, tmp_path_factory.mktemp(path.stem))

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        return dict(pool.map(one, selected))


def test_the_corpus_has_twenty_games_with_gambit_files_among_them():
    corpus = [p for p in FILES if p.name.startswith("corpus_")]
    assert len(corpus) >= 20
    assert sum(p.suffix == ".nfg" for p in corpus) >= 3
    assert all(p.read_text().lstrip().startswith(("#", "NFG")) for p in corpus)


@pytest.mark.slow  # every command on every file: minutes (POLICY_SLOW_TESTS=1)
@pytest.mark.parametrize("path, args", CASES,
                         ids=[f"{p.stem}-{'-'.join(a[:1] + a[2:])}" for p, a in CASES])
def test_every_command_answers_verified_and_in_time(runs, path, args):
    result = runs[path, args]
    assert result.exit_code is not None, f"{result.shown}: still running after {SECONDS_PER_RUN} s"
    assert result.exit_code in (0, 1), f"{result.shown}: exit {result.exit_code}\n{result.output}"
    assert "Traceback" not in result.output and "internal error" not in result.output, (
        f"{result.shown}:\n{result.output}")
    assert "NOT verified" not in result.output, f"{result.shown}:\n{result.output}"

"""Failures: time-outs, infeasible and unbounded problems, a missing solver, a full disk,
a read-only folder, Ctrl-C. Each gives a clear message and the documented exit code,
writes nothing half-way and leaves earlier reports intact."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pulp
import pytest
from click.testing import CliRunner

from policy.cli import cli

ROOT = Path(__file__).resolve().parents[1]

UNBOUNDED = """\
name: unbounded
controls:
  levy: {value: 0, cost: -1, description: 'a levy the regulator collects, unbounded'}
players: {firm: [comply, violate], market: [stay]}
payoffs:
  comply: {stay: [levy, 0]}
  violate: {stay: [1, 0]}
"""


def many_instruments(count: int = 40) -> str:
    """A MILP that CBC cannot finish in a few milliseconds: many on/off instruments,
    300 sampled scenarios, a 90% chance constraint."""
    weights = [[(7 * i + 11 * k) % 28 + 3 for i in range(count)] for k in range(3)]
    controls = "\n".join(f"  k{i}: {{type: binary, fixed_cost: {(13 * i) % 36 + 5}, "
                         f"description: instrument {i}}}" for i in range(count))
    terms = [" + ".join(f"{w}*k{i}" for i, w in enumerate(row)) for row in weights]
    return f"""name: instruments
parameters:
  s: {{value: 0, description: shock, dist: 'uniform(-20, 20)'}}
controls:
{controls}
players: {{firm: [comply, a, b, c], market: [stay]}}
payoffs:
  comply: {{stay: [0, 0]}}
  a: {{stay: [101 + s - ({terms[0]}), 0]}}
  b: {{stay: [97 - s - ({terms[1]}), 0]}}
  c: {{stay: [113 + s/2 - ({terms[2]}), 0]}}
"""


@pytest.fixture
def runner():
    return CliRunner()


def write(tmp_path: Path, text: str, name: str) -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(text)
    return path


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file in ``folder`` (hidden temporaries included) with its bytes."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())} if folder.exists() else {}


def solve_twice(runner, tmp_path, patch, monkeypatch):
    """Solve inspection into a fresh folder, then again with ``patch`` applied.

    Returns (second result, files before, files after)."""
    out = tmp_path / "reports"
    first = runner.invoke(cli, ["solve", "inspection", "--out", str(out)])
    assert first.exit_code == 0, first.output
    before = snapshot(out / "inspection")
    patch(monkeypatch)
    result = runner.invoke(cli, ["solve", "inspection", "--set", "f=12", "--out", str(out)])
    return result, before, snapshot(out / "inspection")


# -- solver outcomes ---------------------------------------------------------------------

def test_a_time_limit_too_short_for_the_milp_is_reported_as_such_never_as_infeasible(
        runner, tmp_path):
    game = write(tmp_path, many_instruments(), "instruments")
    result = runner.invoke(cli, ["optimize", str(game), "--mode", "implement", "--target",
                                 "firm=comply", "--scenarios", "300", "--seed", "1",
                                 "--confidence", "0.9", "--time-limit", "0.01", "--json",
                                 "--no-report"])
    doc = json.loads(result.stdout)
    statuses = {item["status"] for item in doc["results"]} if "results" in doc else {doc["status"]}
    assert statuses <= {"time limit, no solution", "time limit, best found", "optimal"}
    assert result.exit_code in (0, 1)


def test_an_infeasible_target_exits_1_and_names_the_deviation(runner, tmp_path):
    game = write(tmp_path, UNBOUNDED.replace("cost: -1", "bounds: [0, 1/2], cost: 1"), "capped")
    result = runner.invoke(cli, ["optimize", str(game), "--mode", "implement", "--target",
                                 "firm=comply", "--no-report"])
    assert result.exit_code == 1
    assert "cannot be implemented (infeasible)" in result.stdout
    assert "firm's deviation to violate cannot be deterred within the control bounds" in result.stdout


def test_an_unbounded_cost_exits_1_and_says_which_control_needs_bounds(runner, tmp_path):
    game = write(tmp_path, UNBOUNDED, "unbounded")
    result = runner.invoke(cli, ["optimize", str(game), "--mode", "implement", "--target",
                                 "firm=comply", "--no-report"])
    assert result.exit_code == 1
    assert "(unbounded)" in result.stdout
    assert ("the cost has no lower bound: levy earns money (negative cost) and has no bounds; "
            "declare bounds: [low, high]") in result.stdout


def test_a_missing_solver_is_one_line_and_exit_2(runner, monkeypatch, tmp_path):
    monkeypatch.setattr(pulp.HiGHS, "available", lambda self: False)  # as without highspy
    result = runner.invoke(cli, ["optimize", "platform_entry", "--solver", "highs",
                                 "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr == ("error: solver 'highs' is not available on this machine "
                             "(pip install highspy)\n")
    assert not any(tmp_path.iterdir())


# -- the file system ---------------------------------------------------------------------

def test_a_disk_full_while_writing_a_file_keeps_earlier_reports_and_leaves_no_temporary(
        runner, tmp_path, monkeypatch):
    def fill_the_disk(monkeypatch):
        real_fsync = os.fsync
        calls = []

        def fsync(fd):
            calls.append(fd)
            if len(calls) == 2:  # the second file cannot be flushed to disk
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return real_fsync(fd)

        monkeypatch.setattr(os, "fsync", fsync)

    result, before, after = solve_twice(runner, tmp_path, fill_the_disk, monkeypatch)
    assert result.exit_code == 2
    assert result.stderr.endswith("cannot write report: No space left on device\n")
    assert result.stderr.count("\n") == 1
    assert after == before


def test_a_read_only_report_folder_keeps_earlier_reports(runner, tmp_path, monkeypatch):
    import tempfile

    def make_read_only(monkeypatch):
        def refuse(*args, **kwargs):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

        monkeypatch.setattr(tempfile, "mkstemp", refuse)

    result, before, after = solve_twice(runner, tmp_path, make_read_only, monkeypatch)
    assert result.exit_code == 2
    assert result.stderr.endswith("cannot write report: Permission denied\n")
    assert after == before


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="root ignores file permissions")
def test_a_chmod_read_only_report_folder_exits_2(runner, tmp_path):
    out = tmp_path / "reports"
    assert runner.invoke(cli, ["solve", "inspection", "--out", str(out)]).exit_code == 0
    folder = out / "inspection"
    before = snapshot(folder)
    folder.chmod(0o555)
    try:
        result = runner.invoke(cli, ["solve", "inspection", "--set", "f=12", "--out", str(out)])
    finally:
        folder.chmod(0o755)
    assert result.exit_code == 2 and "cannot write report: Permission denied" in result.stderr
    assert snapshot(folder) == before


# -- Ctrl-C ------------------------------------------------------------------------------

def test_ctrl_c_while_solving_exits_130_and_writes_nothing(runner, tmp_path, monkeypatch):
    import policy.equilibria

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(policy.equilibria, "find_equilibria", interrupted)
    result = runner.invoke(cli, ["solve", "inspection", "--out", str(tmp_path)])
    assert result.exit_code == 130
    assert result.stderr == "interrupted; nothing was written\n"
    assert not any(tmp_path.iterdir())


def test_ctrl_c_while_writing_restores_the_earlier_reports(runner, tmp_path, monkeypatch):
    def interrupt_the_second_rename(monkeypatch):
        real_replace = os.replace
        calls = []

        def replace(source, target):
            calls.append(target)
            if len(calls) == 2:
                raise KeyboardInterrupt
            return real_replace(source, target)

        monkeypatch.setattr(os, "replace", replace)

    result, before, after = solve_twice(runner, tmp_path, interrupt_the_second_rename, monkeypatch)
    assert result.exit_code == 130
    assert result.stderr == "interrupted; nothing was written\n"
    assert after == before


def random_nfg(path: Path, size: int, seed: int) -> Path:
    """A random two-player game with integer payoffs in [-20, 20], as a Gambit file."""
    import numpy as np

    rng = np.random.default_rng(seed)
    A, B = rng.integers(-20, 21, (size, size)), rng.integers(-20, 21, (size, size))
    path.write_text(f'NFG 1 R "random" {{ "row" "column" }} {{ {size} {size} }}\n\n'
                    + " ".join(f"{A[i, j]} {B[i, j]}" for j in range(size) for i in range(size))
                    + "\n")
    return path


def read_until(descriptor: int, wanted: bytes, seconds: float) -> bytes:
    """What a pseudo-terminal shows until ``wanted`` appears (or ``seconds`` pass, or it closes)."""
    import select

    seen = b""
    deadline = time.monotonic() + seconds
    while wanted not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([descriptor], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(descriptor, 4096)
            except OSError:  # the other end closed
                break
            if not chunk:
                break
            seen += chunk
    return seen


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_a_long_exact_solve_shows_its_progress_on_a_terminal_and_stops_on_sigint(tmp_path):
    import pty

    game = random_nfg(tmp_path / "random20.nfg", 20, seed=7)  # a run of a minute or more
    out = tmp_path / "reports"
    terminal, stderr = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "policy", "solve", str(game), "--json",
                                "--out", str(out)], cwd=ROOT,
                               env={**os.environ, "PYTHONPATH": str(ROOT)},
                               stdout=subprocess.PIPE, stderr=stderr)
    os.close(stderr)
    try:
        shown = read_until(terminal, b"equilibria so far", 300)
        assert b"\rsolving: " in shown and b" bases, " in shown and b" vertices, " in shown
        process.send_signal(signal.SIGINT)
        stdout, _ = process.communicate(timeout=120)
        shown += read_until(terminal, b"written\r\n", 10)
    finally:
        process.kill()
        os.close(terminal)
    assert process.returncode == 130
    assert stdout == b""  # the JSON document is never half written, nor is the report
    # the indicator's line is erased, then one line says what happened
    assert shown.endswith(b"\rinterrupted; nothing was written\r\n")
    assert b"Traceback" not in shown
    assert not out.exists()


def test_sigint_to_a_running_sweep_exits_130_with_one_line_and_no_files(tmp_path):
    command = [sys.executable, "-m", "policy", "sweep", "platform_entry",
               "--vary", "entry_subsidy=0:3:2001", "--vary", "scale_levy=0:4:2001",
               "--out", str(tmp_path / "reports"), "--save", str(tmp_path / "points.csv")]
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(5)  # after start-up (about 1 s), well inside a sweep of four million points (~25 s)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert stderr == "interrupted; nothing was written\n" and stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == []

"""A corpus of hostile game files, tried as a new user would: ``policy check FILE``
and ``policy solve FILE``.

Each file in ``tests/data/hostile/`` (plus a few generated here: 10 MB, 10,000
strategies, deep nesting) must give exit code 2 and exactly one line on stderr,
``error: FILE…``, with no traceback, within 2 s of processor time, and must not
create the ``CANARY`` file its payload tries to ``touch``. The time is measured in
the process (click's runner); a subprocess run per file checks the real exit code
and stderr, where interpreter start-up would blur the time.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from click.testing import CliRunner

from policy.cli import cli

HOSTILE = Path(__file__).parent / "data" / "hostile"
ROOT = Path(__file__).resolve().parent.parent
SECONDS = 2.0

GENERATED = {
    "ten_megabytes.yaml": lambda: b"players: {a: [x], b: [y]}\n# " + b"x" * 10_000_000 + b"\n",
    "ten_thousand_strategies.yaml": lambda: (
        "players: {a: [" + ", ".join(f"s{k}" for k in range(10_000)) + "], b: [y]}\n"
        "payoffs: {}\n").encode(),
    "deep_lists.yaml": lambda: b"players: " + b"[" * 100_000 + b"]" * 100_000 + b"\n",
    "deep_parentheses.yaml": lambda: (
        "players: {a: [x], b: [y]}\npayoffs: {x: {y: ['" + "(" * 1000 + "1" + ")" * 1000
        + "', 0]}}\n").encode(),
    "ten_megabyte_expression.yaml": lambda: (
        "players: {a: [x], b: [y]}\npayoffs: {x: {y: ['" + "1+" * 2_000_000 + "1', 0]}}\n"
    ).encode(),
    "deep_braces.nfg": lambda: b'NFG 1 R "t" ' + b"{ " * 100_000,
}


#: Valid games that make sympy work hard; they are accepted, and every command must
#: still answer quickly (see test_every_command_answers_quickly_on_every_hostile_file).
ACCEPTED = {"power_of_a_sum.yaml"}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("generated")
    for name, make in GENERATED.items():
        (folder / name).write_bytes(make())
    refused = [p for p in sorted(HOSTILE.iterdir()) if p.name not in ACCEPTED]
    return refused + sorted(folder.iterdir())


def test_the_corpus_covers_every_kind_of_attack():
    names = {p.name for p in HOSTILE.iterdir()} | set(GENERATED)
    for expected in ("anchor_bomb.yaml", "python_object_tag.yaml", "import_call.yaml",
                     "attribute_access.yaml", "subscript.yaml", "lambda.yaml",
                     "comprehension.yaml", "power_tower.yaml", "non_utf8.yaml", "non_utf8.nfg",
                     "nan_payoff.yaml", "inf_parameter.yaml", "nan_inf.nfg",
                     "duplicate_keys.yaml", "huge_strategy_count.nfg", "huge_profile_count.nfg",
                     "lookalike_names.yaml", "lookalike_strategy.yaml", "ten_megabytes.yaml",
                     "deep_lists.yaml", "deep_parentheses.yaml"):
        assert expected in names


@pytest.mark.parametrize("command", ["check", "solve"])
def test_each_hostile_file_gives_one_line_and_exit_code_2_in_time(corpus, command, tmp_path,
                                                                  monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    for path in corpus:
        started = time.process_time()
        result = runner.invoke(cli, [command, str(path)])
        elapsed = time.process_time() - started
        assert result.exit_code == 2, (path.name, result.output)
        assert result.stderr.startswith(f"error: {path}"), (path.name, result.stderr)
        assert result.stderr.count("\n") == 1, (path.name, result.stderr)
        assert elapsed < SECONDS, (path.name, elapsed)
    assert list(tmp_path.iterdir()) == []  # no CANARY, no report


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "POLICY_DEBUG"}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run([sys.executable, "-m", "policy", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=60)


def test_as_a_subprocess_each_file_prints_one_line_and_exits_2(corpus, tmp_path):
    """As a new user would run it (``solve``; ``check`` reads files the same way and
    is covered in-process above, which keeps this test at one process per file)."""
    runs = [("solve", path) for path in corpus]
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda run: _run([run[0], str(run[1])], tmp_path), runs))
    for (command, path), result in zip(runs, results):
        assert result.returncode == 2, (command, path.name, result.stderr)
        assert result.stderr.startswith(f"error: {path}"), (command, path.name, result.stderr)
        assert result.stderr.count("\n") == 1, (command, path.name, result.stderr)
        assert result.stdout == ""
    assert not (tmp_path / "CANARY").exists()


#: Processor seconds (beyond importing the command line) a command may use on a hostile
#: file; wall-clock time only guards against a hang (HANG_SECONDS), since it depends on
#: how busy the machine is.
ANSWER_SECONDS = 3.0
HANG_SECONDS = 60
COMMANDS = {
    "check": ["check"],
    "solve": ["solve", "--no-report"],
    "analyze": ["analyze", "--no-report"],
    "optimize": ["optimize", "--no-report"],
    "sweep": ["sweep", "--vary", "a=0:2:3", "--no-report"],
    "report": ["report", "--out", "{out}"],
}
#: Still slower than the bound: the report's phase diagram evaluates (a+…+h)**100 exactly
#: (Fractions) at each of its 10,201 points, about 1.5 s of the 3.5 s the report takes
#: (the exact engine itself runs at most 81 times on a 2×2 grid now).
NOT_BOUNDED_YET = {("power_of_a_sum.yaml", "report")}


def _run_timed(command: list[str], **options) -> tuple[subprocess.CompletedProcess, float]:
    """Run ``command`` (a hang guard of HANG_SECONDS wall-clock) and return it with the
    processor time (user + system) it used: a bound on work, not on how busy the
    machine is."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    run = subprocess.run(command, timeout=HANG_SECONDS, **options)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return run, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


@pytest.fixture(scope="module")
def start_up_seconds() -> float:
    """The processor time the interpreter takes to import the command line, measured
    once, so that the bound below is about the command's own work."""
    return _run_timed([sys.executable, "-c", "import policy.cli"], check=True)[1]


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("name", ["max_240_arguments.yaml", "power_of_a_sum.yaml"])
def test_every_command_answers_quickly_on_every_hostile_file(name, command, tmp_path,
                                                              start_up_seconds):
    if (name, command) in NOT_BOUNDED_YET:
        pytest.xfail("exact payoffs evaluated at every point of the report's grid")
    argv = [a.replace("{out}", str(tmp_path / "out")) for a in COMMANDS[command]]
    try:
        run, seconds = _run_timed([sys.executable, "-m", "policy", argv[0], str(HOSTILE / name),
                                   *argv[1:]], capture_output=True, text=True, cwd=tmp_path)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{command} {name}: no answer within {HANG_SECONDS} s (a hang)")
    assert run.returncode in (0, 1, 2), (run.stdout, run.stderr)
    assert "Traceback" not in run.stdout + run.stderr
    assert "internal error" not in run.stdout + run.stderr
    assert seconds < ANSWER_SECONDS + start_up_seconds, (
        f"{command} {name}: {seconds:.2f} s of processor time")


def test_a_max_with_too_many_arguments_is_refused_with_the_limit_to_raise(tmp_path):
    run = subprocess.run([sys.executable, "-m", "policy", "check",
                          str(HOSTILE / "max_240_arguments.yaml")],
                         capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert run.returncode == 2
    assert "max() at column 1 has more than 16 arguments" in run.stderr
    assert "POLICY_LIMIT_FUNCTION_ARGUMENTS" in run.stderr

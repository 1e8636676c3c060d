"""The command line, driven through click's CliRunner: outputs, files, exit codes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from policy.cli import cli

INSPECTION = """\
name: inspection
title: Regulator inspects a platform
parameters:
  g: {value: 4, description: gain from a violation, range: [0, 10], positive: true}
  f: {value: 10, description: fine when caught}
  c: {value: 1, description: cost of one inspection}
assumptions: ["g < f"]
controls:
  subsidy: {value: 0, bounds: [0, 5], cost: 1, description: grant per complying firm}
players:
  regulator: [inspect, trust]
  platform: [comply, violate]
leader: regulator
payoffs:
  inspect:
    comply:  [-c, subsidy]
    violate: [f - c, -f]
  trust:
    comply:  [0, subsidy]
    violate: [-g, g]
"""


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def game_file(tmp_path: Path) -> Path:
    path = tmp_path / "inspection.yaml"
    path.write_text(INSPECTION)
    return path


def test_solve_json_prints_exactly_the_documented_document(runner, game_file, tmp_path):
    result = runner.invoke(cli, ["solve", str(game_file), "--json", "--out", str(tmp_path / "r")])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["game"] == "inspection"
    assert doc["players"] == ["regulator", "platform"]
    assert doc["strategies"] == {"regulator": ["inspect", "trust"], "platform": ["comply", "violate"]}
    assert doc["parameters"] == {"g": 4, "f": 10, "c": 1}
    assert doc["degenerate"] is False and doc["components"] == []
    (eq,) = doc["equilibria"]
    assert eq["strategies"]["regulator"] == {"inspect": 2 / 7, "trust": 5 / 7}
    assert eq["strategies"]["platform"] == {"comply": 13 / 14, "violate": 1 / 14}
    assert eq["payoffs"] == {"regulator": -2 / 7, "platform": 0}
    assert eq["exact"] == {"regulator": {"inspect": "2/7", "trust": "5/7"},
                           "platform": {"comply": "13/14", "violate": "1/14"}}
    assert (tmp_path / "r" / "inspection" / "solve.md").exists()
    assert json.loads((tmp_path / "r" / "inspection" / "solve.json").read_text()) == doc


def test_solve_set_overrides_values_and_is_recorded(runner, game_file, tmp_path):
    result = runner.invoke(cli, ["solve", str(game_file), "--set", "f=12", "--json", "--no-report"])
    doc = json.loads(result.stdout)
    assert doc["parameters"]["f"] == 12
    assert doc["equilibria"][0]["exact"]["regulator"] == {"inspect": "1/4", "trust": "3/4"}
    assert "--set=f=12" in doc["provenance"]["command"]


def test_reports_are_byte_identical_across_runs(runner, game_file, tmp_path):
    outputs = []
    for _ in range(2):
        runner.invoke(cli, ["solve", str(game_file), "--out", str(tmp_path)])
        outputs.append([(tmp_path / "inspection" / name).read_bytes()
                        for name in ("solve.md", "solve.json")])
    assert outputs[0] == outputs[1]


def test_hostile_payoff_is_refused_with_exit_2_and_nothing_runs(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    bad = tmp_path / "bad.yaml"
    bad.write_text(INSPECTION.replace("[-g, g]", "[-g, \"__import__('os').system('touch pwned')\"]"))
    result = runner.invoke(cli, ["solve", str(bad)])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"error: {bad}:20: payoffs.trust.violate[1]: unknown function '__import__' at column 1; "
        "allowed functions: abs, exp, log, max, min, sqrt")
    assert not (tmp_path / "pwned").exists()
    assert not (tmp_path / "reports").exists()


@pytest.mark.parametrize("args, message", [
    (["solve", "no_such_game"], "error: no_such_game: no such file, and no bundled game"),
    (["solve", "{game}", "--set", "zz=1"], "error: --set 'zz=1': 'zz' is not a parameter or control"),
    (["solve", "{game}", "--set", "f"], "error: --set 'f': expected NAME=VALUE, e.g. --set f=12"),
    (["solve", "{game}", "--set", "f=abc"], "error: --set 'f=abc': unknown symbol 'abc'"),
    (["solve", "{game}", "--method", "magic"], "Invalid value for '--method'"),
])
def test_bad_usage_exits_2_with_one_clear_line(runner, game_file, args, message):
    args = [a.replace("{game}", str(game_file)) for a in args]
    result = runner.invoke(cli, args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_check_reports_problems_with_exit_1(runner, tmp_path):
    path = tmp_path / "unused.yaml"
    path.write_text(INSPECTION.replace("  c: {value: 1, description: cost of one inspection}\n",
                                       "  c: {value: 1, description: cost of one inspection}\n"
                                       "  unused: {value: 3}\n"))
    result = runner.invoke(cli, ["check", str(path)])
    assert result.exit_code == 1
    assert f"{path}:7: parameter 'unused' is not used by any payoff" in result.stderr


def test_check_accepts_a_good_file(runner, game_file):
    result = runner.invoke(cli, ["check", str(game_file)])
    assert result.exit_code == 0
    assert "2 players: regulator (2) × platform (2); 4 profiles" in result.stdout


def test_new_writes_a_template_that_checks_and_solves(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(cli, ["new", "my_game"]).exit_code == 0
    assert runner.invoke(cli, ["check", "my_game.yaml"]).exit_code == 0
    solved = runner.invoke(cli, ["solve", "my_game.yaml", "--json", "--no-report"])
    assert solved.exit_code == 0 and json.loads(solved.stdout)["game"] == "my_game"
    again = runner.invoke(cli, ["new", "my_game"])
    assert again.exit_code == 2 and "exists; use --force" in again.stderr


def test_export_nfg_round_trips_through_solve(runner, game_file, tmp_path):
    out = tmp_path / "inspection.nfg"
    assert runner.invoke(cli, ["export", str(game_file), "--to", "nfg", "-o", str(out)]).exit_code == 0
    assert out.read_text().startswith("NFG 1 R")
    from_nfg = json.loads(runner.invoke(cli, ["solve", str(out), "--json", "--no-report"]).stdout)
    from_yaml = json.loads(runner.invoke(cli, ["solve", str(game_file), "--json",
                                               "--no-report"]).stdout)
    assert [e["exact"] for e in from_nfg["equilibria"]] == [e["exact"] for e in from_yaml["equilibria"]]


def test_a_failed_write_leaves_earlier_reports_intact_and_no_temporary_files(
        runner, game_file, tmp_path, monkeypatch):
    import os

    out = tmp_path / "r"
    assert runner.invoke(cli, ["solve", str(game_file), "--out", str(out)]).exit_code == 0
    before = {p.name: p.read_bytes() for p in (out / "inspection").iterdir()}
    real_replace = os.replace
    calls = []

    def failing_replace(source, target):
        calls.append(target)
        if len(calls) == 2:  # the second file fails, as on a full disk
            raise OSError(28, "No space left on device")
        return real_replace(source, target)

    monkeypatch.setattr(os, "replace", failing_replace)
    result = runner.invoke(cli, ["solve", str(game_file), "--set", "f=12", "--out", str(out)])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"error: {out / 'inspection'}: cannot write report: No space left on device"
    after = {p.name: p.read_bytes() for p in (out / "inspection").iterdir()}
    assert set(after) == set(before)  # no temporary files left behind
    assert after == before  # both files exactly as they were


def test_help_ends_with_examples(runner):
    result = runner.invoke(cli, ["--help"])
    assert result.exit_code == 0 and "policy solve inspection" in result.output


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


@pytest.mark.parametrize("args", [
    ["solve", "platform_entry"],
    ["analyze", "platform_entry"],
    ["optimize", "platform_entry"],
    ["sweep", "platform_entry", "--vary", "w=0:6:7"],
    ["sweep", "platform_entry", "--vary", "s=0:4:3", "--vary", "w=0:6:3", "--optimize"],
    ["uncertainty", "platform_entry", "--samples", "20"],
], ids=lambda args: "-".join(a for a in args if not a.startswith("-"))[:40])
def test_no_report_renders_and_writes_nothing(runner, tmp_path, monkeypatch, args):
    import policy.report.figures

    out = tmp_path / "out"
    (out / "platform_entry").mkdir(parents=True)
    (out / "platform_entry" / "sweep.png").write_bytes(b"an earlier figure")
    before = _tree(out)

    def no_drawing(*_args, **_kwargs):
        raise AssertionError("a figure was drawn with --no-report")

    for name in ("phase_diagram", "paths_figure", "policy_figure"):
        monkeypatch.setattr(policy.report.figures, name, no_drawing)
    result = runner.invoke(cli, [*args, "--out", str(out), "--no-report"])
    assert result.exit_code == 0, result.output
    assert _tree(out) == before


def test_a_command_never_touches_the_files_another_commands_report_shows(runner, tmp_path):
    out = tmp_path / "out"
    made = runner.invoke(cli, ["report", "platform_entry", "--samples", "20", "--vary",
                               "w=0:6:7", "--out", str(out)])
    assert made.exit_code == 0, made.output
    folder = out / "platform_entry"
    shown = set(re.findall(r"\]\(([^)]+\.png)\)", (folder / "index.md").read_text()))
    assert shown and all(name.startswith("report-") for name in shown)
    report_files = {name: (folder / name).read_bytes() for name in shown}
    for axes in (["--vary", "w=0:6:7"], ["--vary", "s=0:4:3", "--vary", "w=0:6:3"]):
        swept = runner.invoke(cli, ["sweep", "platform_entry", *axes, "--out", str(out)])
        assert swept.exit_code == 0, swept.output
    assert {name: (folder / name).read_bytes() for name in shown} == report_files
    # the two-axis sweep removed the one-axis sweep's paths figure: nothing stale is left
    sweep_files = {p.name for p in folder.iterdir() if not p.name.startswith(("report", "index"))}
    assert sweep_files == {"sweep.md", "sweep.json", "sweep.png", "sweep.svg"}
    assert all((folder / name).exists() for name in
               re.findall(r"\]\(([^)]+\.png)\)", (folder / "sweep.md").read_text()))

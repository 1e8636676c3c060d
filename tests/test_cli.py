"""The command line, driven through click's CliRunner: outputs, files, exit codes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import click
import numpy as np
import pytest
import sympy
from click.testing import CliRunner

from policy.cli import cli
from policy.expressions import parse_scalar, read_expression
from policy.loader import load_game

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


# -- games whose parameter names sympy would misread (issue 13 item 11) ---------------

USER_GAMES = Path(__file__).parent / "data" / "user_games"
RELATION = re.compile(r"\s*(>=|<=|>|<)\s*")


def read_condition(text: str, symbols: dict) -> sympy.Basic:
    """An inequality printed in JSON, read back with policy.expressions only."""
    left, relation, right = RELATION.split(text)
    operators = {">=": sympy.Ge, "<=": sympy.Le, ">": sympy.Gt, "<": sympy.Lt}
    return operators[relation](read_expression(left, symbols), read_expression(right, symbols))


@pytest.mark.parametrize("name, equilibrium", [
    ("input_prisoners_dilemma_trps", {"row": "defect", "column": "defect"}),
    ("input_entry_n_firms", {"entrant": "enter", "incumbents": "accommodate"}),
])
def test_games_named_with_sympy_letters_solve_and_analyze_and_round_trip_json(
        runner, name, equilibrium):
    path = USER_GAMES / f"{name}.yaml"
    spec = load_game(path)
    solved = runner.invoke(cli, ["solve", str(path), "--json", "--no-report"])
    assert solved.exit_code == 0, solved.output
    pure = [{player: next(s for s, p in mix.items() if read_expression(p) == 1)
             for player, mix in eq["exact"].items()}
            for eq in json.loads(solved.stdout)["equilibria"] if eq["pure"]]
    assert equilibrium in pure
    analyzed = runner.invoke(cli, ["analyze", str(path), "--json", "--no-report"])
    assert analyzed.exit_code == 0, analyzed.output
    doc = json.loads(analyzed.stdout)
    at = {spec.symbols[n]: parse_scalar(v, {}) for n, v in doc["values"].items()}
    now = [c["profile"] for c in doc["conditions"] if c["at_current"]]
    assert equilibrium in now
    for condition in (c for c in doc["conditions"] if c["status"] == "conditional"):
        read = [read_condition(text, spec.symbols) for text in condition["holds_when"]]
        assert read[0].free_symbols <= set(spec.symbols.values())
        assert all(bool(r.xreplace(at)) for r in read) == condition["at_current"]
    for threshold in doc["thresholds"]:
        value = read_expression(threshold["value"], spec.symbols)
        assert value.free_symbols <= set(spec.symbols.values())
        assert float(value.xreplace(at)) == pytest.approx(threshold["at_current"])


# -- options that do not apply are usage errors (issue 13 item 17) --------------------

@pytest.mark.parametrize("args, message", [
    (["optimize", "{game}", "--mode", "commit", "--robust", "strict"],
     "error: --robust applies to --mode implement and rank, not to commit mode"),
    (["optimize", "{game}", "--robust", "strict"],  # the file's leader: commit by default
     "error: --robust applies to --mode implement and rank, not to commit mode"),
    (["optimize", "{game}", "--mode", "commit", "--transfers"],
     "error: --transfers applies to --mode implement and rank, not to commit mode"),
    (["optimize", "{game}", "--mode", "commit", "--scenarios", "10"],
     "error: --scenarios applies to --mode implement, not to commit mode"),
    (["optimize", "{game}", "--mode", "rank", "--scenarios", "10"],
     "error: --scenarios applies to --mode implement, not to rank mode"),
    (["optimize", "{game}", "--mode", "commit", "--target", "platform=comply"],
     "error: --target applies to --mode implement, not to commit mode"),
    (["optimize", "{game}", "--mode", "rank", "--target", "platform=comply"],
     "error: --target applies to --mode implement, not to rank mode"),
    (["optimize", "{game}", "--mode", "implement", "--target", "platform=comply", "--pessimistic"],
     "error: --pessimistic applies to --mode commit, not to implement mode"),
    (["optimize", "{game}", "--mode", "rank", "--pessimistic"],
     "error: --pessimistic applies to --mode commit, not to rank mode"),
    (["optimize", "{game}", "--mode", "implement", "--target", "platform=comply",
      "--confidence", "0.9"], "error: --confidence applies only with --scenarios N (N > 0)"),
    (["optimize", "{game}", "--mode", "implement", "--target", "platform=comply", "--seed", "3"],
     "error: --seed applies only with --scenarios N (N > 0) or --robust basin"),
    (["optimize", "{game}", "--mode", "implement", "--target", "platform=comply",
      "--scenarios", "0", "--seed", "3"],
     "error: --seed applies only with --scenarios N (N > 0) or --robust basin"),
    (["sweep", "{game}", "--vary", "f=1:2:3", "--target", "platform=comply"],
     "error: --target applies only with --optimize"),
    (["sweep", "{game}", "--vary", "f=1:2:3", "--robust", "strict"],
     "error: --robust applies only with --optimize"),
])
def test_options_that_do_not_apply_are_usage_errors(runner, game_file, tmp_path, args, message):
    args = [a.replace("{game}", str(game_file)) for a in args]
    result = runner.invoke(cli, [*args, "--no-report"])
    assert result.exit_code == 2, result.output
    assert result.stderr == message + "\n"
    assert not (tmp_path / "reports").exists()


@pytest.mark.parametrize("args", [
    ["optimize", "{game}", "--mode", "commit", "--pessimistic", "--margin", "1/100"],
    ["optimize", "{game}", "--mode", "implement", "--target", "platform=comply",
     "--robust", "strict", "--transfers"],
    ["optimize", "{game}", "--mode", "rank", "--robust", "strict"],
    ["sweep", "{game}", "--vary", "f=1:2:3", "--optimize", "--target", "platform=comply",
     "--robust", "strict"],
])
def test_options_that_apply_are_accepted(runner, game_file, args):
    args = [a.replace("{game}", str(game_file)) for a in args]
    result = runner.invoke(cli, [*args, "--no-report"])
    assert result.exit_code in (0, 1), result.output
    assert "error:" not in result.stderr


# -- check finds what solve would trip on (issue 13 item 12) --------------------------

def two_by_two(a_value: str, payoff: str, extra: str = "") -> str:
    return (f"parameters:\n  a: {{value: {a_value}, range: [0, 10]}}\n"
            "  b: {value: 2, range: [0, 10], positive: true}\n"
            'assumptions: ["a > b"]\n'
            "players: {row: [x, y], column: [x, y]}\n"
            f'payoffs:\n  x: {{x: ["{payoff}", b], y: [0, 0]}}\n  y: {{x: [0, 0], y: [1, 2]}}\n'
            + extra)


@pytest.mark.parametrize("text, message", [
    (two_by_two("1", "a"),
     "g.yaml:4: assumptions[0]: 'a > b' does not hold at the default values (a = 1, b = 2)"),
    (two_by_two("3", "1/(a - 3)"),
     "g.yaml:7: payoffs.x.x[0]: division by zero at the default values (a = 3): 1/(a - 3)"),
    (two_by_two("3", "1/(log(6) - log(2) - log(3))"),
     "g.yaml:7: payoffs.x.x[0]: the sign of 1/(-log(3) - log(2) + log(6)) cannot be decided "
     "exactly (a hidden zero?); write the payoff so that it is a rational number at the "
     "default values"),
    (two_by_two("3", "a", 'vary: ["a=0:10:20000", "b=1:2:20000"]\n'),
     "g.yaml:9: vary: the grid has 400000000 points; at most 100000000 are allowed "
     "(use fewer points or set POLICY_LIMIT_GRID_POINTS to raise this limit)"),
])
def test_check_refuses_defaults_that_solve_would_trip_on(runner, tmp_path, text, message):
    path = tmp_path / "g.yaml"
    path.write_text(text)
    result = runner.invoke(cli, ["check", str(path)])
    assert result.exit_code == 2, result.output
    assert result.stderr == f"error: {tmp_path}/{message}\n"


@pytest.mark.parametrize("assignment, message", [
    ("a=11", "--set 'a=11': value 11 is outside its range [0, 10]"),
    ("b=0", "--set 'b=0': value 0 is not positive but the parameter is declared positive"),
    ("subsidy=6", "--set 'subsidy=6': value 6 is outside its bounds [0, 5]"),
])
def test_set_obeys_the_ranges_and_bounds_of_the_file(runner, tmp_path, assignment, message):
    path = tmp_path / "g.yaml"
    path.write_text(two_by_two("3", "a + subsidy")
                    + "controls: {subsidy: {value: 0, bounds: [0, 5], cost: 1}}\n")
    assert runner.invoke(cli, ["check", str(path)]).exit_code == 0
    for command in ("solve", "analyze", "optimize"):
        result = runner.invoke(cli, [command, str(path), "--set", assignment, "--no-report"])
        assert result.exit_code == 2, result.output
        assert result.stderr == f"error: {message}\n"


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
    assert sweep_files == {"sweep.md", "sweep.json", "sweep.png", "sweep.svg",
                           "selection-map.png", "selection-map.svg"}
    assert all((folder / name).exists() for name in
               re.findall(r"\]\(([^)]+\.png)\)", (folder / "sweep.md").read_text()))


def test_the_robust_choices_are_the_ones_optimize_knows():
    from policy.equilibria import METHODS
    from policy.kinds import EXPORT_FORMATS
    from policy.kinds.normal_form import MODES
    from policy.optimize import OPTIMIZE_ROBUSTNESS, ROBUSTNESS, SOLVERS, TREE_ROBUSTNESS
    from policy.sweep.float_kernel import ENGINES
    from policy.sweep.selection_map import CRITERIA

    choices = {(name, param.name): tuple(param.type.choices)
               for name, command in cli.commands.items() for param in command.params
               if isinstance(param.type, click.Choice)}
    assert OPTIMIZE_ROBUSTNESS == (*ROBUSTNESS, "spe") and set(TREE_ROBUSTNESS) < set(
        OPTIMIZE_ROBUSTNESS)
    assert choices == {("sweep", "robust"): ROBUSTNESS,
                       ("optimize", "robust"): OPTIMIZE_ROBUSTNESS,
                       ("optimize", "mode"): MODES, ("optimize", "solver"): tuple(SOLVERS),
                       ("solve", "method"): METHODS, ("export", "fmt"): EXPORT_FORMATS,
                       ("sweep", "engine"): ENGINES, ("sweep", "select"): CRITERIA}


# -- start-up: heavy libraries only for the commands that need them --------------------

HEAVY_LIBRARIES = ("sympy", "numpy", "numba", "matplotlib", "pulp", "nashpy", "yaml")
LOADED_AFTER = """
import sys
from policy.cli import cli
try:
    cli({arguments!r}, prog_name="policy")
except SystemExit:
    pass
print(" ".join(sorted({{name.split(".")[0] for name in sys.modules}})), file=sys.stderr)
"""


@pytest.mark.parametrize("arguments", [["--help"], ["--version"]])
def test_the_help_loads_no_heavy_library(arguments):
    import subprocess
    import sys

    run = subprocess.run([sys.executable, "-c", LOADED_AFTER.format(arguments=arguments)],
                         capture_output=True, text=True, check=True)
    loaded = set(run.stderr.splitlines()[-1].split())
    assert "click" in loaded and "policy" in loaded
    assert not loaded & set(HEAVY_LIBRARIES)


# -- the provenance command line, written back from the parsed parameters -------------

@pytest.mark.parametrize("arguments, command", [
    (["solve", "inspection", "--set", "f = 12", "--method", "exact"],
     "policy solve inspection '--set=f = 12' --method=exact"),
    (["solve", "inspection", "--method", "auto"], "policy solve inspection"),
    (["analyze", "inspection", "--max-support", "2"], "policy analyze inspection --max-support=2"),
    (["optimize", "platform_entry", "--scenarios", "5", "--seed", "2", "--confidence", "0.8"],
     "policy optimize platform_entry --scenarios=5 --seed=2 --confidence=0.8"),
    (["optimize", "platform_entry", "--target", "entrant = enter", "--robust", "strict",
      "--margin", "1/100", "--set", "s=1"],
     "policy optimize platform_entry '--target=entrant = enter' --robust=strict "
     "--margin=1/100 --set=s=1"),
    (["uncertainty", "platform_entry", "--samples", "30"],
     "policy uncertainty platform_entry --samples=30 --seed=0"),
    (["sweep", "platform_entry", "--vary", "w=0:3:4", "--set", "s=1", "--optimize", "--robust",
      "strict", "--target", "entrant=enter", "--pure"],
     "policy sweep platform_entry --vary=w=0:3:4 --set=s=1 --pure --optimize "
     "--target=entrant=enter --robust=strict"),
    (["sweep", "platform_entry", "--vary", "w=0:3:4", "--robust", "nash", "--optimize",
      "--no-boundaries"],
     "policy sweep platform_entry --vary=w=0:3:4 --no-boundaries --optimize"),
])
def test_the_report_records_the_command_as_parsed(runner, tmp_path, arguments, command):
    result = runner.invoke(cli, [*arguments, "--out", str(tmp_path)])
    assert result.exit_code in (0, 1), result.output
    written = next(tmp_path.glob(f"*/{arguments[0]}.json"))
    assert json.loads(written.read_text())["provenance"]["command"] == command


def test_an_exact_solve_stopped_at_its_work_limit_says_how_far_it_got(runner, tmp_path):
    rng = np.random.default_rng(12)
    A, B = rng.integers(-20, 21, (12, 12)), rng.integers(-20, 21, (12, 12))
    game = tmp_path / "random12.nfg"
    game.write_text('NFG 1 R "random" { "row" "column" } { 12 12 }\n\n'
                    + " ".join(f"{A[i, j]} {B[i, j]}" for j in range(12) for i in range(12)) + "\n")
    result = runner.invoke(cli, ["solve", str(game), "--json", "--no-report"],
                           env={"POLICY_LIMIT_EXACT_BASES": "300"})
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["complete"] is False
    (note,) = [n for n in document["notes"] if "work limit" in n]
    found = len(document["equilibria"])
    assert note.startswith("the exact enumeration stopped at its work limit after 300 bases "
                           "(POLICY_LIMIT_EXACT_BASES is 300): ")
    assert " vertices of row's best-response polytope were reached, the answers to " in note
    assert note.endswith(f" of them found and {found} extreme equilibri{'um' if found == 1 else 'a'}"
                         " found so far, so other equilibria may exist; "
                         "set POLICY_LIMIT_EXACT_BASES to raise this limit")
    text = runner.invoke(cli, ["solve", str(game), "--no-report"],
                         env={"POLICY_LIMIT_EXACT_BASES": "300"}).stdout
    assert "(exact, may be incomplete)" in text and f"note: {note}" in text

"""Phase-diagram extras: boundaries that separate regions, equilibrium paths, policy maps."""

import csv
from pathlib import Path
import io
import json
import math
import subprocess
import sys

import numpy as np
import pytest
import sympy
from click.testing import CliRunner

import policy
from policy.analysis import analyze, boundaries
from policy.cli import cli
from policy.errors import ModelError
from policy.optimize import cheapest_implementation
from policy.sweep import equilibrium_paths, policy_map, separating_boundaries
from policy.sweep import GridAxis, sweep


@pytest.fixture(scope="module")
def platform():
    return policy.load("platform_entry")


@pytest.fixture(scope="module")
def platform_analysis(platform):
    return analyze(platform)


def test_boundaries_are_the_published_thresholds_and_only_those_that_separate(platform,
                                                                          platform_analysis):
    axes = [GridAxis.parse("w=0:6:31"), GridAxis.parse("a=0:5:26")]
    result = sweep(platform, axes)
    lines = boundaries(platform_analysis, platform, ["w", "a"], result.values)
    kept = separating_boundaries(result, platform, lines)
    # entry pays against an expanding incumbent iff a > w + k - q = w - 1;
    # the incumbent restrains against entry iff w > s = 2
    assert sorted(b.equation for b in kept) == ["a = w - 1", "w = 2"]
    assert "a + 1" in {str(line) for line in lines}  # a = -1 is outside the grid: dropped
    assert all(b.crossings >= 2 for b in kept)


def test_one_axis_boundaries_are_points(platform, platform_analysis):
    axis = GridAxis.parse("entry_subsidy=0:3:31")
    result = sweep(platform, [axis])
    lines = boundaries(platform_analysis, platform, ["entry_subsidy"], result.values)
    assert [b.equation for b in separating_boundaries(result, platform, lines)] == \
        ["entry_subsidy = 1"]


def test_equilibrium_paths_agree_with_the_exact_engine(platform):
    axis = GridAxis.parse("w=0:6:13")
    paths = equilibrium_paths(platform, axis)
    assert list(paths.x) == [float(axis.exact(k)) for k in range(13)]
    for k, x in enumerate(paths.x):
        solved = policy.solve(platform, {"w": sympy.Rational(axis.exact(k))})
        expected = sorted(tuple(float(p) for s in eq.strategies for p in s)
                          + tuple(float(v) for v in eq.payoffs) for eq in solved.equilibria)
        drawn = sorted(tuple(float(b.probabilities[k, i, j]) for i in range(2) for j in range(2))
                       + tuple(float(v) for v in b.payoffs[k]) for b in paths.branches
                       if not math.isnan(b.payoffs[k, 0]))
        assert len(drawn) == len(expected)
        for got, want in zip(drawn, expected):
            assert got == pytest.approx(want)


def test_paths_are_subsampled_to_the_limit(platform):
    paths = equilibrium_paths(platform, GridAxis.parse("w=0:6:1001"), limit=11)
    assert len(paths.x) == 11 and paths.x[0] == 0 and paths.x[-1] == 6


def test_policy_map_equals_pointwise_cheapest_implementation(platform):
    axes = [GridAxis.parse("s=0:4:5"), GridAxis.parse("w=0:6:4")]
    found = policy_map(platform, axes, {"entrant": "enter"}, robust="dominant")
    assert found.cost.shape == (5, 4)
    for i in range(5):
        for j in range(4):
            single = cheapest_implementation(
                platform, {"entrant": "enter"},
                {"s": sympy.Rational(axes[0].exact(i)), "w": sympy.Rational(axes[1].exact(j))},
                robust="dominant")
            if single.cost is None:
                assert math.isnan(found.cost[i, j])
            else:
                assert found.cost[i, j] == pytest.approx(float(single.cost))
                for name, value in single.controls.items():
                    assert found.controls[name][i, j] == pytest.approx(float(value))
    assert found.verified_points == found.feasible_points == int(np.isfinite(found.cost).sum())


def test_policy_map_refuses_what_makes_no_sense(platform):
    with pytest.raises(ModelError, match="cannot be varied: entry_subsidy"):
        policy_map(platform, [GridAxis.parse("entry_subsidy=0:1:3")], {"entrant": "enter"})
    with pytest.raises(ModelError, match="at most 10 are allowed"):
        policy_map(platform, [GridAxis.parse("s=0:1:11")], {"entrant": "enter"}, max_points=10)
    with pytest.raises(ModelError, match="no controls"):
        policy_map(policy.load("matching_pennies"), [GridAxis.parse("x=0:1:3")], {"a": "b"})


def test_sweep_cli_draws_paths_boundaries_and_the_policy_map(tmp_path):
    runner = CliRunner()
    out = tmp_path / "reports"
    one = runner.invoke(cli, ["sweep", "platform_entry", "--vary", "w=0:6:13", "--out", str(out),
                              "--json"])
    assert one.exit_code == 0, one.output
    assert {b["equation"] for b in json.loads(one.stdout)["boundaries"]} == {"w = 2"}
    folder = out / "platform_entry"
    assert (folder / "paths.svg").exists() and "paths.png" in (folder / "sweep.md").read_text()

    save = tmp_path / "points.csv"
    two = runner.invoke(cli, ["sweep", "platform_entry", "--vary", "s=0:4:3", "--vary", "w=0:6:3",
                              "--optimize", "--robust", "dominant", "--no-boundaries",
                              "--save", str(save), "--out", str(out), "--json"])
    assert two.exit_code == 0, two.output
    summary = json.loads(two.stdout)
    assert summary["boundaries"] == []
    assert summary["policy"]["target"] == {"entrant": "enter"}
    assert summary["policy"]["robust"] == "dominant"
    rows = list(csv.DictReader(io.StringIO(save.read_text())))
    assert len(rows) == 9 and {"cost", "entry_subsidy", "scale_levy"} <= set(rows[0])
    assert (folder / "policy.svg").exists()

    refused = runner.invoke(cli, ["sweep", "platform_entry", "--vary", "entry_subsidy=0:1:3",
                                  "--optimize", "--no-report"])
    assert refused.exit_code == 2 and "cannot be varied" in refused.stderr


def test_a_game_file_may_declare_the_default_axes(tmp_path):
    import re

    source = (Path(policy.__file__).parent.parent / "games" / "platform_entry.yaml").read_text()
    assert policy.load("platform_entry").spec.vary == ("a=0:5:101", "entry_subsidy=0:3:101")
    for bad, message in [('["a=0:5"]', "expected name=start:stop:points"),
                         ('["zz=0:1:3"]', "'zz' is not a parameter or control; declared: M, s"),
                         ('["a=1:1:3"]', "need start != stop"),
                         ('["a=0:1:3", "s=0:1:3", "w=0:1:3"]', "one or two axes")]:
        path = tmp_path / "game.yaml"
        path.write_text(re.sub(r"^vary: .*$", f"vary: {bad}", source, flags=re.M))
        result = CliRunner().invoke(cli, ["check", str(path)])
        assert result.exit_code == 2 and message in result.stderr, result.stderr
        assert re.search(r":\d+: vary", result.stderr)
    swept = CliRunner().invoke(cli, ["sweep", "platform_entry", "--no-report", "--pure",
                                     "--no-boundaries", "--json"])
    assert json.loads(swept.stdout)["grid"] == {"a": [0, 5, 101], "entry_subsidy": [0, 3, 101]}
    none = CliRunner().invoke(cli, ["sweep", "inspection", "--no-report"])
    assert none.exit_code == 2 and "declares no vary: axes" in none.output


def test_a_polynomial_condition_draws_its_boundary_at_its_root_where_the_regions_change():
    # licensing: operators comply when h*p*(n + 1) >= c_lic*n*(n + 1), i.e. n <= 36/5
    game = Path(__file__).parent / "data" / "user_games" / "analysis_licensing.yaml"
    run = subprocess.run([sys.executable, "-m", "policy", "sweep", str(game), "--vary",
                          "n=1:20:39", "--no-report", "--json"],
                         capture_output=True, text=True, timeout=120, check=True)
    boundaries = json.loads(run.stdout)["boundaries"]
    assert [b["equation"] for b in boundaries] == ["n = 36/5"]

"""Sweeps: the label at every grid point equals the exact single-game engine's answer."""

from __future__ import annotations

import contextlib
import json
import os

import numpy as np
import pytest
import sympy
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import policy
from policy.cli import cli
from policy.equilibria import find_equilibria
from policy.errors import ModelError
from policy.readers.yaml_normal_form import load_game_text
from policy.sweep import GridAxis, sweep
from policy.sweep.labels import set_label
from policy.symbolic import SymbolicGame


def exact_label(game, values):
    result = find_equilibria(game.bind(values))  # small grids: every equilibrium, any players
    return set_label(game, [eq.supports for eq in result.equilibria], result.complete)[0]


def assert_matches_exact_engine(game, axes):
    result = sweep(game, axes)
    for flat in range(result.points):
        index = np.unravel_index(flat, result.grid.shape)
        values = {a.name: sympy.Rational(str(a.exact(int(i)))) for a, i in zip(axes, index)}
        assert result.labels[result.grid[index]] == exact_label(game, values), values
    return result


def random_game(seed: int, shape=(2, 2), terms=("1", "s", "t"), spread: int = 2) -> SymbolicGame:
    """Payoffs Σ c·term with small integers c (default a + b·s + c·t, |c| <= 2): many
    ties and continua of equilibria on grids, as in real sweeps."""
    rng = np.random.default_rng(seed)
    players = {f"p{i}": [f"s{i}{k}" for k in range(n)] for i, n in enumerate(shape)}
    lines = ["parameters: {s: 0, t: 0}", "players:"]
    lines += [f"  {p}: [{', '.join(v)}]" for p, v in players.items()]
    lines.append("payoffs:")

    def payoff():
        coefficients = rng.integers(-spread, spread + 1, len(terms))
        return '"' + " + ".join(f"({int(c)})*{term}" for c, term in zip(coefficients, terms)) + '"'

    def nest(depth, indent):
        for strategy in players[f"p{depth}"]:
            if depth == len(shape) - 1:
                lines.append(" " * indent + f"{strategy}: [" + ", ".join(payoff() for _ in shape) + "]")
            else:
                lines.append(" " * indent + f"{strategy}:")
                nest(depth + 1, indent + 2)

    nest(0, 2)
    return SymbolicGame.from_spec(load_game_text("\n".join(lines), path=f"random{seed}.yaml"))


def two_by_two(name: str, parameters: str, up: str, down: str) -> SymbolicGame:
    """A 2×2 game (row: up/down, column: left/right); ``up``, ``down``: flow maps of payoff pairs."""
    return SymbolicGame.from_spec(load_game_text("\n".join([
        f"parameters: {parameters}", "players: {row: [up, down], column: [left, right]}",
        "payoffs:", f"  up: {up}", f"  down: {down}"]), path=f"{name}.yaml"))


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from([(2, 2), (2, 3), (3, 3)]))
def test_sweep_equals_the_exact_engine_on_random_games_and_grids(seed, shape):
    game = random_game(seed, shape)
    assert_matches_exact_engine(game, [GridAxis.parse("s=-2:2:9"), GridAxis.parse("t=-1:1:5")])


@settings(max_examples=8, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_small_three_player_sweep_equals_the_exact_engine_at_every_point(seed):
    game = random_game(seed, (2, 2, 2))
    assert_matches_exact_engine(game, [GridAxis.parse("s=-2:2:9")])


def test_platform_entry_subsidy_sweep_regions():
    game = policy.load("platform_entry")
    result = assert_matches_exact_engine(game, [GridAxis.parse("entry_subsidy=0:2:21")])
    counts = {r.label: r.points for r in result.regions}
    assert counts["restrain·enter"] == 10                     # subsidy above 1
    assert result.exact_points >= 1                            # the tie at subsidy = 1


def test_grid_errors_are_model_errors():
    game = policy.load("platform_entry")
    with pytest.raises(ModelError, match="expected name=start:stop:points"):
        GridAxis.parse("s=0:1")
    with pytest.raises(ModelError, match="'zz' is not a parameter or control"):
        sweep(game, [GridAxis.parse("zz=0:1:3")])
    with pytest.raises(ModelError, match="at most 10 are allowed"):
        sweep(game, [GridAxis.parse("s=0:1:11")], max_points=10)


def test_sweep_cli_json_summary_and_files(tmp_path):
    result = CliRunner().invoke(cli, ["sweep", "platform_entry", "--vary", "entry_subsidy=0:2:21",
                                      "--vary", "scale_levy=0:3:31", "--json", "--out",
                                      str(tmp_path), "--save", str(tmp_path / "points.csv")])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["grid"] == {"entry_subsidy": [0, 2, 21], "scale_levy": [0, 3, 31]}
    assert doc["points"] == 651 == sum(r["points"] for r in doc["regions"])
    assert all("supports" in r for r in doc["regions"])
    folder = tmp_path / "platform_entry"
    assert (folder / "sweep.md").exists() and (folder / "sweep.png").exists()
    assert (folder / "sweep.svg").exists()
    assert len((tmp_path / "points.csv").read_text().splitlines()) == 652


def test_sweep_report_files_are_byte_identical_across_runs(tmp_path):
    runner = CliRunner()
    contents = []
    for _ in range(2):
        assert runner.invoke(cli, ["sweep", "inspection", "--vary", "f=5:15:11",
                                   "--out", str(tmp_path)]).exit_code == 0
        folder = tmp_path / "inspection"
        contents.append({p.name: p.read_bytes() for p in sorted(folder.iterdir())})
    assert contents[0] == contents[1]
    assert set(contents[0]) == {"sweep.md", "sweep.json", "sweep.png", "sweep.svg", "paths.png",
                                "paths.svg"}


def test_uncertainty_shares_match_solving_each_draw_and_intervals_cover_them():
    from fractions import Fraction

    from policy.optimize import sample_scenarios
    from policy.sweep import uncertainty

    game = policy.load("platform_entry")
    result = uncertainty(game, 60, seed=3)
    expected: dict[str, int] = {}
    for draw in sample_scenarios(game, 60, 3, game.values_with({})):
        values = {k: sympy.Rational(Fraction(float(v)).numerator, Fraction(float(v)).denominator)
                  for k, v in draw.items()}
        label = exact_label(game, values)
        expected[label] = expected.get(label, 0) + 1
    assert {region.label: region.points for region, _, _ in result.regions} == expected
    for region, low, high in result.regions:
        assert low <= region.points / 60 <= high


def test_uncertainty_cli_is_reproducible_with_a_seed(tmp_path):
    runner = CliRunner()
    first = runner.invoke(cli, ["uncertainty", "platform_entry", "--samples", "200", "--seed", "5",
                                "--json", "--out", str(tmp_path)])
    second = runner.invoke(cli, ["uncertainty", "platform_entry", "--samples", "200", "--seed", "5",
                                 "--json", "--no-report"])
    assert first.exit_code == 0 and first.stdout == second.stdout
    doc = json.loads(first.stdout)
    assert sum(o["count"] for o in doc["outcomes"]) == 200
    assert (tmp_path / "platform_entry" / "uncertainty.md").exists()


def test_dask_two_worker_cluster_gives_identical_results():
    distributed = pytest.importorskip("distributed", reason="dask.distributed is optional")
    game = random_game(11, (3, 3))
    axes = [GridAxis.parse("s=-2:2:21"), GridAxis.parse("t=-1:1:11")]
    local = sweep(game, axes, chunk=40)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None,
                                  processes=True, silence_logs=50) as cluster, \
            distributed.Client(cluster) as client:
        remote = sweep(game, axes, chunk=40, client=client)
    assert remote.labels == local.labels and remote.supports == local.supports
    assert np.array_equal(remote.grid, local.grid)
    assert (remote.exact_points, remote.degenerate_points) == (local.exact_points,
                                                               local.degenerate_points)


def test_sweep_cli_with_a_local_dask_cluster(tmp_path):
    pytest.importorskip("distributed", reason="dask.distributed is optional")
    runner = CliRunner()
    args = ["sweep", "platform_entry", "--vary", "entry_subsidy=0:2:11", "--json", "--no-report"]
    local = json.loads(runner.invoke(cli, args).stdout)
    remote = runner.invoke(cli, args + ["--executor", "dask"])
    assert remote.exit_code == 0, remote.output
    remote = json.loads(remote.stdout)
    assert remote["regions"] == local["regions"]
    bad = runner.invoke(cli, args + ["--executor", "spark"])
    assert bad.exit_code == 2 and bad.stderr == (
        "error: --executor 'spark': expected local, dask or dask://HOST:PORT\n")


@settings(max_examples=6, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from([(2, 2), (2, 3), (3, 3)]))
def test_region_counts_equal_gambit_point_by_point(seed, shape):
    gbt = pytest.importorskip("pygambit", reason="pygambit (GPL) is an optional test oracle")
    from fractions import Fraction

    game = random_game(seed, shape)
    axes = [GridAxis.parse("s=-2:2:9"), GridAxis.parse("t=-1:1:5")]
    result = sweep(game, axes)
    ours = {r.label: r.points for r in result.regions}
    theirs: dict[str, int] = {}
    for i, s_value in enumerate(axes[0].exact(k) for k in range(9)):
        for t_value in (axes[1].exact(k) for k in range(5)):
            numeric = game.bind({"s": sympy.Rational(str(s_value)), "t": sympy.Rational(str(t_value))})
            A, B = (np.array([[Fraction(v) for v in row] for row in a]) for a in numeric.exact_payoffs)
            oracle = gbt.Game.from_arrays(A, B)
            equilibria = gbt.nash.enummixed_solve(oracle, rational=True).equilibria
            supports = [tuple(tuple(k for k, strategy in enumerate(player.strategies)
                                    if eq[strategy] > 0) for player in oracle.players)
                        for eq in equilibria]
            label = set_label(game, supports)[0]
            theirs[label] = theirs.get(label, 0) + 1
    assert ours == theirs


def labels_per_point(result):
    return [result.labels[k] for k in result.grid.reshape(-1)]


@contextlib.contextmanager
def engine(name: str):
    """Force the sweep engine (``numba`` or ``numpy``) inside the block."""
    from policy.sweep.float_kernel import ENGINE_VARIABLE

    before = os.environ.get(ENGINE_VARIABLE)
    os.environ[ENGINE_VARIABLE] = name
    try:
        yield
    finally:
        if before is None:
            del os.environ[ENGINE_VARIABLE]
        else:
            os.environ[ENGINE_VARIABLE] = before


@contextlib.contextmanager
def float_kernel():
    """Force the float kernel (with the exact engine behind it) instead of the integer one."""
    import policy.sweep.compiled as module

    original = module.integer_payoffs
    module.integer_payoffs = lambda *args: None
    try:
        yield
    finally:
        module.integer_payoffs = original


@pytest.mark.parametrize("seed, shape", [(0, (2, 2)), (1, (2, 3)), (2, (3, 3)), (3, (3, 2)),
                                         (4, (2, 2, 2))])
def test_float_kernel_equals_the_exact_engine_and_the_numpy_path(seed, shape):
    # fixed games: each new game costs a JIT compile of the float kernel (then cached on disk)
    pytest.importorskip("numba", reason="numba is optional")
    game = random_game(seed, shape)
    axes = [GridAxis.parse("s=-2:2:9"), GridAxis.parse("t=-1:1:5")]   # ties at s = 0, t = 0, …
    with engine("numba"), float_kernel():
        compiled = assert_matches_exact_engine(game, axes)
    with engine("numpy"):
        assert labels_per_point(compiled) == labels_per_point(sweep(game, axes))


def functions_game() -> SymbolicGame:
    """Payoffs using every function the float kernel compiles (not polynomials)."""
    return SymbolicGame.from_spec(load_game_text("\n".join([
        "parameters: {s: 1, t: 1, k: 1/3}",
        "players: {row: [up, down], column: [left, right]}",
        "payoffs:",
        '  up: {left: ["min(s, t) + k", "abs(s - 1)"], right: ["sqrt(t + 2)", "exp(s) - 2"]}',
        '  down: {left: ["log(t + 2)", "max(s, 1/2, t)"], right: ["s**2 - t/3", "2**t + 1/(t + 2)**2"]}',
    ]), path="functions.yaml"))


def test_compiled_kernel_handles_every_function_like_the_numpy_path():
    pytest.importorskip("numba", reason="numba is optional")
    game = functions_game()
    axes = [GridAxis.parse("s=-1:2:13"), GridAxis.parse("t=-1:1:9")]
    with engine("numba"):    # not polynomials: the float kernel
        compiled = sweep(game, axes)
        with pytest.raises(ModelError, match="not finite"):
            sweep(game, [GridAxis.parse("t=-3:-2:3")])
    with engine("numpy"):
        assert labels_per_point(compiled) == labels_per_point(sweep(game, axes))
        with pytest.raises(ModelError, match="not finite"):
            sweep(game, [GridAxis.parse("t=-3:-2:3")])


def test_the_float_kernel_takes_the_fixed_values_at_run_time():
    pytest.importorskip("numba", reason="numba is optional")
    from policy.sweep import float_kernel as kernels

    game = functions_game()
    axes = [GridAxis.parse("s=-1:2:25")]
    settings_ = [{"t": "1/2"}, {"t": "3/2", "k": "2"}, {"t": "-1/2", "k": "-1"}]
    with engine("numba"):
        compiled = [sweep(game, axes, values) for values in settings_[:1]]
        loaded = len(kernels._LOADED)
        compiled += [sweep(game, axes, values) for values in settings_[1:]]
        assert len(kernels._LOADED) == loaded          # no new kernel for new --set values
    with engine("numpy"):
        for result, values in zip(compiled, settings_):
            assert labels_per_point(result) == labels_per_point(sweep(game, axes, values))


def test_exact_payoffs_without_substitution_equal_bind():
    from fractions import Fraction

    from policy.sweep.exact import ExactPayoffs

    game = random_game(7, (3, 3))
    exact = ExactPayoffs(game, ["s", "t"], game.values_with({}))
    point = {"s": Fraction(-3, 7), "t": Fraction(5, 2)}
    bound = game.bind({k: sympy.Rational(v.numerator, v.denominator) for k, v in point.items()})
    built = exact.game(point, exact.evaluate(point))
    for ours, theirs in zip(built.exact_payoffs, bound.exact_payoffs):
        assert ours.tolist() == theirs.tolist()
    assert built.values == bound.values
    assert all(np.array_equal(a, b) for a, b in zip(built.payoffs, bound.payoffs))


def test_a_policy_map_keeps_unverified_points_apart(tmp_path, monkeypatch):
    """Points whose policy failed verification are counted, saved and plotted apart."""
    import csv
    import dataclasses
    import io

    import policy.optimize

    real = policy.optimize.cheapest_implementation

    def failing_where_s_is_zero(game, target, values, **options):
        result = real(game, target, values, **options)
        if values["s"] == 0:
            return dataclasses.replace(result, verified=False, verification="re-solving failed")
        return result

    monkeypatch.setattr(policy.optimize, "cheapest_implementation", failing_where_s_is_zero)
    runner = CliRunner()
    out, points = tmp_path / "out", {}
    for suffix in (".csv", ".npz"):
        points[suffix] = tmp_path / f"points{suffix}"
        result = runner.invoke(cli, ["sweep", "platform_entry", "--vary", "s=0:4:3", "--vary",
                                     "w=0:6:3", "--optimize", "--no-boundaries", "--save",
                                     str(points[suffix]), "--out", str(out), "--json"])
        assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)["policy"]
    assert summary["feasible_points"] == 9
    assert (summary["verified_points"], summary["unverified_points"]) == (6, 3)
    rows = list(csv.DictReader(io.StringIO(points[".csv"].read_text())))
    assert [row["verified"] for row in rows] == ["0"] * 3 + ["1"] * 6
    saved = np.load(points[".npz"])
    assert saved["verified"].tolist() == [[False] * 3, [True] * 3, [True] * 3]
    text = runner.invoke(cli, ["sweep", "platform_entry", "--vary", "s=0:4:3", "--vary",
                               "w=0:6:3", "--optimize", "--no-boundaries", "--no-report"])
    assert "6 verified, 3 NOT verified" in text.stdout
    markdown = next(out.glob("*/sweep*.md")).read_text()
    assert "3 points whose policy failed verification" in markdown


def _two_by_two_with_signs(signs, magnitudes, bases):
    """A 2×2 game whose payoff differences have ``signs`` (row: against each column;
    column: against each row) with the given positive ``magnitudes``."""
    from policy.numeric import NumericGame

    (a0, a1, b0, b1), (m0, m1, m2, m3), (p, q, r, s) = signs, magnitudes, bases
    A = [[p + a0 * m0, q + a1 * m1], [p, q]]
    B = [[r + b0 * m2, r], [s + b1 * m3, s]]
    return NumericGame.from_arrays(A, B)


@settings(max_examples=150, deadline=None)
@given(signs=st.tuples(*[st.sampled_from([-1, 0, 1])] * 4),
       first=st.tuples(*[st.integers(1, 9)] * 4), second=st.tuples(*[st.integers(1, 9)] * 4),
       bases=st.tuples(*[st.integers(-5, 5)] * 8))
def test_two_by_two_games_with_one_sign_pattern_have_the_same_equilibrium_supports(
        signs, first, second, bases):
    """The sweep solves one 2×2 game per sign pattern exactly and reuses its label
    (policy.sweep.exact.sign_pattern_2x2); the exact engine on both games agrees."""
    from fractions import Fraction

    from policy.sweep.exact import sign_pattern_2x2

    one = _two_by_two_with_signs(signs, first, bases[:4])
    other = _two_by_two_with_signs(signs, second, bases[4:])
    flat = [Fraction(v) for profile in zip(*(a.reshape(-1) for a in one.exact_payoffs))
            for v in profile]
    assert sign_pattern_2x2(flat) == ("2x2", *signs)
    supports = [sorted(eq.supports for eq in find_equilibria(game).equilibria)
                for game in (one, other)]
    assert supports[0] == supports[1]


def test_a_degenerate_two_by_two_grid_is_solved_once_per_sign_pattern(monkeypatch):
    """entry_deterrence is degenerate at every point of its report grid: each point
    goes to the exact engine, which runs once per sign pattern (at most 81 times)."""
    import policy.sweep.exact as exact

    calls = []
    real = exact.find_equilibria
    monkeypatch.setattr(exact, "find_equilibria", lambda *a, **k: calls.append(1) or real(*a, **k))
    game = policy.load("entry_deterrence")
    axes = [GridAxis.parse(f"{p.name}={p.range[0]}:{p.range[1]}:41")
            for p in game.spec.parameters if p.range][:2]
    result = sweep(game, axes)
    assert result.exact_points == 41 * 41
    assert 0 < len(calls) <= 81


def test_the_engine_option_chooses_the_engine_and_reads_policy_sweep_engine(monkeypatch):
    """``policy sweep --engine`` (or POLICY_SWEEP_ENGINE) picks the engine; the regions
    are the same whichever runs; an unknown engine is a usage error naming the variable."""
    import policy.sweep.compiled as compiled

    asked = []
    real = compiled.use_kernel
    monkeypatch.setattr("policy.sweep.run.use_kernel",
                        lambda points, engine=None: asked.append(engine) or real(points, engine))
    args = ["sweep", "platform_entry", "--vary", "entry_subsidy=0:2:9", "--no-report", "--json"]
    regions = {}
    for engine in ("numpy", "numba"):
        run = CliRunner().invoke(cli, args + ["--engine", engine])
        assert run.exit_code == 0, run.output
        regions[engine] = json.loads(run.stdout)["regions"]
    assert regions["numpy"] == regions["numba"]
    assert {"numpy", "numba"} <= set(asked)
    run = CliRunner().invoke(cli, args, env={"POLICY_SWEEP_ENGINE": "numpy"})
    assert run.exit_code == 0 and asked[-1] == "numpy"
    run = CliRunner().invoke(cli, args, env={"POLICY_SWEEP_ENGINE": "fast"})
    assert run.exit_code == 2
    assert "(env var: 'POLICY_SWEEP_ENGINE'): 'fast' is not one of" in run.stderr

"""Population games (issue 17, part 1): N identical members, two strategies; pure
equilibria as counts ("k of N enter"), symmetric mixed equilibria; checked against
values computed here and against the explicit-player engine."""

from __future__ import annotations

import itertools
import json
from fractions import Fraction as F

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from policy import api
from policy.cli import cli
from policy.errors import GameFileError
from policy.kinds.population import POPULATION
from policy.readers.yaml_normal_form import load_game_text
from policy.readers.yaml_population import load_population_text


def entry_counts(n: int, value: F, cost: F) -> list[int]:
    """Every k of n such that no entrant leaves and no outsider enters (brute force)."""
    found = []
    for k in range(n + 1):
        stays_in = k == 0 or value / k - cost >= 0
        stays_out = k == n or 0 >= value / (k + 1) - cost
        if stays_in and stays_out:
            found.append(k)
    return found


def counts_of(result) -> list[int]:
    return [k for run in result.counts for k in range(run.low, run.high + 1)]


@pytest.mark.parametrize("n, value, cost, fee", [(10, 12, 5, 0), (10, 12, 2, 0), (10, 12, 1, 2),
                                                 (3, 12, 1, 0), (30, 12, "1/2", 0),
                                                 (10, 12, 20, 0), (1, 1, 1, 0)])
def test_k_of_n_enter_is_every_count_where_nobody_wants_to_switch(n, value, cost, fee):
    result = api.solve("entry_population", {"N": n, "V": value, "F": cost, "fee": fee})
    assert counts_of(result) == entry_counts(n, F(value), F(str(cost)) + F(fee))
    assert all(run.verified for run in result.counts)


def test_a_million_members_are_solved_by_inequalities_in_k():
    result = api.solve("entry_population", {"N": 1_000_000, "F": "1/1000"})
    # V/F = 12000: with 12000 entrants each just covers its cost; with 11999 an
    # outsider entering would just break even (a tie), so it may stay out too.
    assert counts_of(result) == [11_999, 12_000]
    assert result.counts[0].verified
    assert any("not computed" in note for note in result.notes)


def _bisect(function, low: float, high: float) -> float:
    for _ in range(200):
        middle = (low + high) / 2
        if (function(low) > 0) == (function(middle) > 0):
            low = middle
        else:
            high = middle
    return (low + high) / 2


def test_no_symmetric_mixing_when_every_member_gains_by_entering_anyway():
    assert api.solve("entry_population", {"N": 2}).symmetric == ()  # V/2 = 6 > F = 5


@pytest.mark.parametrize("n", [3, 5, 10, 25, 50])
def test_symmetric_entry_probability_solves_the_expected_share_equation(n):
    # E[V/(1 + X)] with X ~ Bin(n - 1, p) is V (1 - (1 - p)^n)/(n p): a member is
    # indifferent when that equals the cost of entering.
    value, cost = 12.0, 5.0
    expected = _bisect(lambda p: value * (1 - (1 - p) ** n) / (n * p) - cost, 1e-12, 1.0)
    result = api.solve("entry_population", {"N": n})
    (eq,) = result.symmetric
    assert float(eq.probability) == pytest.approx(expected, abs=1e-9)
    assert eq.verified


def explicit_entry_game(n: int, value: int, cost: int) -> str:
    """The same entry game with n explicitly listed players (normal form)."""
    players = "".join(f"  p{i}: [enter, stay_out]\n" for i in range(n))

    def payoffs(profile):
        entrants = profile.count("enter")
        return [f"{value}/{entrants} - {cost}" if s == "enter" else "0" for s in profile]

    def nested(prefix):
        if len(prefix) == n:
            return "[" + ", ".join(f'"{p}"' for p in payoffs(prefix)) + "]"
        return "{" + ", ".join(f"{s}: {nested(prefix + (s,))}" for s in ("enter", "stay_out")) + "}"

    return f"players:\n{players}payoffs: {nested(())}\n"


@pytest.mark.parametrize("n", [2, 3])
def test_populations_agree_with_the_explicit_player_engine(n):
    value, cost = 12, 5
    explicit = api.load(api.kind_of(load_game_text(explicit_entry_game(n, value, cost)))
                        .model(load_game_text(explicit_entry_game(n, value, cost))))
    solved = api.solve(explicit)
    pure_counts = sorted({sum(1 for s in eq.strategies if s[0] == 1) for eq in solved.pure()})
    symmetric = sorted(float(eq.strategies[0][0]) for eq in solved.equilibria
                       if not eq.is_pure and all(s == eq.strategies[0] for s in eq.strategies))
    result = api.solve("entry_population", {"N": n, "V": value, "F": cost})
    assert counts_of(result) == pure_counts
    assert [float(eq.probability) for eq in result.symmetric] == pytest.approx(symmetric)


@settings(max_examples=20, deadline=None)
@given(n=st.integers(1, 40), value=st.integers(1, 40), cost=st.integers(1, 20))
def test_no_member_gains_by_switching_at_any_reported_count(n, value, cost):
    result = api.solve("entry_population", {"N": n, "V": value, "F": cost})
    counts = counts_of(result)
    assert counts  # a two-strategy population game always has a pure equilibrium
    for k in counts:
        assert k == 0 or F(value, k) - cost >= 0
        assert k == n or F(value, k + 1) - cost <= 0


# -- files, messages and the command line ------------------------------------------------------

@pytest.mark.parametrize("population, message", [
    ("{count: N, strategies: [a, b, c], payoffs: {a: 1, b: 0, c: 0}}",
     "p.yaml:2: population.strategies: 3 strategies; a population game has 2 for now (pure "
     "equilibria as counts and the symmetric mixed equilibrium of two strategies)"),
    ("{count: N, strategies: [a, b], payoffs: {a: 1, c: 0}}",
     "p.yaml:2: population.payoffs.c: 'c' is not a strategy; strategies: a, b"),
    ("{count: N, strategies: [a, b], payoffs: {a: n_c, b: 0}}",
     "p.yaml:2: population.payoffs.a: unknown symbol 'n_c' at column 1; declared: N, n_a, n_b"),
    ("{count: 2.5, strategies: [a, b], payoffs: {a: 1, b: 0}}",
     "p.yaml:2: population.count: count 5/2 is not a whole number of members (1 or more)"),
    ("{count: N, strategies: [a, b]}", "p.yaml:2: population: missing 'payoffs'"),
])
def test_a_bad_population_file_is_refused_with_file_line_and_field(population, message):
    with pytest.raises(GameFileError) as caught:
        load_population_text(f"parameters: {{N: 3}}\npopulation: {population}\n", path="p.yaml")
    assert str(caught.value) == message


def test_solve_json_has_counts_and_symmetric_probabilities(tmp_path):
    result = CliRunner().invoke(cli, ["solve", "entry_population", "--json", "--out",
                                      str(tmp_path)])
    assert result.exit_code == 0, result.output
    pure, mixed = json.loads(result.stdout)["equilibria"]
    assert pure["counts"] == {"entrants": {"enter": 2, "stay_out": 8}}
    assert set(mixed["symmetric"]["entrants"]) == {"enter", "stay_out"}
    assert mixed["exact"]["entrants"]["enter"].startswith("CRootOf(")


def test_the_licence_fee_threshold_is_in_closed_form():
    analysis = api.analyze("entry_population")
    assert [str(t) for t in analysis.conditions[0].thresholds] == ["V/(F + fee)"]
    assert list(itertools.chain(*(c.at_current for c in analysis.conditions))) == \
        pytest.approx([12 / 5, 12 / 5 - 1])
    result = CliRunner().invoke(cli, ["optimize", "entry_population"])
    assert result.exit_code == 2
    assert result.stderr == ("error: optimize is not available yet for population games "
                             "(entry_population is a population game); solve, analyze and "
                             "report are\n")


_SCALARS = st.one_of(st.integers(-3, 3), st.sampled_from(
    ["N", "n_enter", "n_stay_out", "1/0", "n_enter**200", "", "[", "enter", "2.5", "-1"]))
_VALUES = st.one_of(_SCALARS, st.lists(_SCALARS, max_size=3),
                    st.dictionaries(st.sampled_from(["enter", "stay_out", "x"]), _SCALARS,
                                    max_size=2))


@settings(max_examples=60, deadline=None)
@given(field=st.sampled_from(["count", "strategies", "payoffs", "payoffs.enter", "name"]),
       value=_VALUES)
def test_a_mutated_population_file_loads_or_is_refused_with_one_game_file_error(field, value):
    import yaml

    from policy.errors import ModelError
    from policy.kinds.population import POPULATION
    from policy.loader import bundled_games

    data = yaml.safe_load(bundled_games()["entry_population"].read_text(encoding="utf-8"))
    *path, last = field.split(".")
    node = data["population"]
    for key in path:
        node = node[key] if isinstance(node.get(key), dict) else node.setdefault(key, {})
    node[last] = value
    try:
        game = POPULATION.model(load_population_text(yaml.safe_dump(data), path="p.yaml"))
    except GameFileError:
        return
    try:
        api.solve(game)
    except (GameFileError, ModelError):
        pass


@pytest.mark.parametrize("target", [1, 2, 3, 6])
def test_the_fee_interval_that_makes_k_entrants_an_equilibrium(target):
    import sympy

    analysis = api.analyze("entry_population")
    game = api.load("entry_population")
    k = sympy.Symbol("k", real=True)
    at = {game.symbols["V"]: 12, game.symbols["F"]: 1, k: target}
    highest, lowest = (dict(c.controls)["fee"] for c in analysis.conditions)
    low, high = lowest.xreplace(at), highest.xreplace(at)  # V/(k+1) - F <= fee <= V/k - F
    assert (low, high) == (sympy.Rational(12, target + 1) - 1, sympy.Rational(12, target) - 1)
    for fee in (low, (low + high) / 2, high):
        result = api.solve(game, {"F": 1, "fee": str(fee)})
        assert target in counts_of(result)


def test_a_parameter_named_k_is_not_taken_for_the_count():
    # join pays n_join - k (k = 3): nobody joining and everybody joining are both stable
    text = ("parameters: {N: 8, v: 1, k: 3}\npopulation: {name: users, count: N, "
            "strategies: [join, out], payoffs: {join: v*n_join - k, out: 0}}\n")
    game = POPULATION.model(load_population_text(text, path="network.yaml"))
    n, cost = 8, 3
    by_hand = [k for k in range(n + 1)
               if (k == 0 or k - cost >= 0) and (k == n or k + 1 - cost <= 0)]
    assert counts_of(api.solve(game)) == by_hand == [0, 8]
    analysis = api.analyze(game)
    assert "k_ >= 1" in analysis.conditions[0].applies
    assert str(analysis.conditions[0].thresholds[0]) == "k/v"


def test_a_sweep_over_the_number_of_members_gives_the_counts_and_the_symmetric_mixing():
    from policy.sweep import GridAxis

    swept = api.sweep("entry_population", [GridAxis.parse("N=1:12:12")])
    for n, point in zip(range(1, 13), swept.points):
        assert point.members == n and point.verified and point.complete
        assert [k for low, high in point.counts for k in range(low, high + 1)] == \
            entry_counts(n, F(12), F(5))  # brute force: 1 for N = 1, then always 2
    # N = 2: D(p) = 7(1 - p) + p(12/2 - 5) = 7 - 6p has no root in (0, 1); N = 3:
    # D(p) = 7(1 - p)² + 2p(1 - p)(1) + p²(12/3 - 5) = 4p² - 12p + 7, root (3 - √2)/2
    assert swept.points[1].symmetric == ()
    (root,) = swept.points[2].symmetric
    assert float(root) == pytest.approx((3 - 2 ** 0.5) / 2, abs=1e-12)
    probabilities = [float(p.symmetric[0]) for p in swept.points[2:]]
    assert probabilities == sorted(probabilities, reverse=True)  # more rivals, less entry


def test_a_sweep_point_that_breaks_the_game_says_why_and_a_licence_fee_axis_works():
    from policy.sweep import GridAxis

    swept = api.sweep("entry_population", [GridAxis.parse("N=1:2:3")])
    assert swept.points[1].problem == ("entry_population: entrants is a population of N = 3/2 "
                                       "members; a number of members is a whole number, at "
                                       "least 1")
    fees = api.sweep("entry_population", [GridAxis.parse("fee=0:7:8")], {"N": 10})
    for fee, point in zip(range(8), fees.points):  # k enter while 12/k >= 5 + fee
        assert [k for low, high in point.counts for k in range(low, high + 1)] == \
            entry_counts(10, F(12), F(5 + fee))


def test_policy_sweep_on_a_population_writes_its_points_and_figure(tmp_path):
    result = CliRunner().invoke(cli, ["sweep", "entry_population", "--vary", "N=1:1000000:2",
                                      "--json", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    first, last = document["points"]
    assert (first["counts"], last["counts"]) == ([[1, 1]], [[2, 2]])  # 12/2 >= 5 > 12/3
    assert last["symmetric"] == [] and any("not computed" in n for n in last["notes"])
    assert sorted(p.name for p in (tmp_path / "entry_population").iterdir()) == \
        ["sweep.json", "sweep.md", "sweep.png", "sweep.svg"]
    for arguments, message in (
            (["--vary", "N=1:3:3", "--save", "p.csv"], "error: --save writes the points of a "
             "normal-form sweep; a population game's sweep is in sweep.json\n"),
            (["--vary", "N=1:3:3", "--vary", "F=1:2:2"], "error: --vary: a sweep of a "
             "population game has one axis, got 2\n")):
        refused = CliRunner().invoke(cli, ["sweep", "entry_population", *arguments,
                                           "--no-report"])
        assert refused.exit_code == 2 and refused.stderr == message


def test_the_population_report_draws_the_files_vary_axis():
    report = api.full_report("entry_population", command="policy report entry_population")
    assert "sweep" not in report.skipped and report.sweep.grid == {"N": ["1", "30", 30]}
    assert report.figure_names == ["report-sweep.png", "report-sweep.svg"]


def evasion_counts(n: int, gain: F, fine: F, audits: F) -> list[int]:
    """Every k of n evaders from which no evader wants to comply and no complier to
    evade, each evader caught with probability min(1, audits/k) (brute force)."""
    def evading(k):  # payoff of an evader when k evade, itself included
        return gain - fine * min(F(1), audits / k)
    return [k for k in range(n + 1)
            if (k == 0 or evading(k) >= 0) and (k == n or evading(k + 1) <= 0)]


@pytest.mark.parametrize("n, audits", [(5, 2), (7, 2), (8, 2), (10, 2), (10, 3), (30, 7),
                                       (10, 0)])
def test_supervision_crowding_mass_evasion_appears_once_n_reaches_f_audits_over_g(n, audits):
    result = api.solve("supervision_crowding", values={"N": n, "audits": audits})
    expected = evasion_counts(n, F(1), F(4), F(audits))
    assert counts_of(result) == expected
    # by hand: nobody evades when audits >= 1; everyone evades when N >= f*audits/g
    assert (0 in expected) == (audits >= 1)
    assert (n in expected) == (n >= 4 * audits)

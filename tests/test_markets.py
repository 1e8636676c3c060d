"""Market games (issue 17): continuous choices, populations of N identical firms,
Stackelberg leaders, free entry. Textbook closed forms are checked against values
computed here, independently of the library; random markets are checked with a
numeric grid oracle (no player gains by deviating); files and messages exactly."""

from __future__ import annotations

import json
import math
from fractions import Fraction as F

import pytest
import sympy
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policy import api
from policy.cli import cli
from policy.errors import GameFileError, ModelError
from policy.expressions import read_expression
from policy.kinds import kind_of
from policy.kinds.market import MARKET
from policy.readers.yaml_market import load_market_text


def market(players: str, parameters: str, leader: str | None = None) -> object:
    """A market game with inverse demand a - b*Q from its players' YAML."""
    text = (f"parameters: {{{parameters}}}\n"
            "market: {totals: {Q: q}, define: {price: a - b*Q}}\n"
            f"players:\n{players}" + (f"leader: {leader}\n" if leader else ""))
    return MARKET.model(load_market_text(text, path="market.yaml"))


def two_firms(c1, c2, a=10, b=1, leader=None):
    return market("  one: {choose: {q: [0, oo]}, payoff: (price - c1)*q}\n"
                  "  two: {choose: {q: [0, oo]}, payoff: (price - c2)*q}\n",
                  f"a: {a}, b: {{value: {b}, positive: true}}, c1: {c1}, c2: {c2}", leader)


def choices(result) -> list[tuple[F, ...]]:
    return [tuple(F(str(c)) for c in eq.choices) for eq in result.equilibria]


def payoffs(result) -> list[tuple[F, ...]]:
    return [tuple(F(str(u)) for u in eq.payoffs) for eq in result.equilibria]


# -- textbook closed forms --------------------------------------------------------------------

def test_cournot_duopoly_each_firm_produces_a_third_of_the_competitive_output():
    a, b, c = F(10), F(2), F(1)
    result = api.solve(two_firms("1", "1", a="10", b="2"))
    q = (a - c) / (3 * b)
    assert choices(result) == [(q, q)]
    assert payoffs(result) == [((a - c) ** 2 / (9 * b),) * 2]
    assert result.equilibria[0].verified and result.equilibria[0].verified_exactly


@pytest.mark.parametrize("n", [1, 2, 3, 7, 50])
def test_n_identical_firms_each_produce_a_minus_c_over_b_times_n_plus_one(n):
    a, b, c, fixed = F(10), F(1), F(1), F(2)
    result = api.solve("cournot_entry", {"N": n})
    q = (a - c) / (b * (n + 1))
    assert choices(result) == [(q,)]
    assert payoffs(result) == [((a - q * n * b - c) * q - fixed,)]
    assert result.equilibria[0].verified


def test_the_closed_form_of_cournot_entry_is_the_textbook_one():
    document = json.loads(CliRunner().invoke(cli, ["analyze", "cournot_entry", "--json",
                                                  "--no-report"]).stdout)
    first = document["closed_forms"][0]
    a, b, c, n, fixed = sympy.symbols("a b c N F")
    names = {"a": a, "b": b, "c": c, "N": n, "F": fixed}
    quantity = read_expression(first["choices"]["firms"]["q"], names)
    profit = read_expression(first["payoffs"]["firms"], names)
    assert sympy.simplify(quantity - (a - c) / (b * (n + 1))) == 0
    assert sympy.simplify(profit - ((a - c) ** 2 / (b * (n + 1) ** 2) - fixed)) == 0
    assert first["at_current"] is True and first["valid_when"] == []
    assert document["free_entry"]["firms"]["number_of_firms"] == 5


def test_stackelberg_leader_produces_half_the_competitive_output_and_the_follower_a_quarter():
    a, b, c = F(12), F(1), F(2)
    result = api.solve(two_firms("2", "2", a="12", leader="one"))
    assert choices(result) == [((a - c) / (2 * b), (a - c) / (4 * b))]
    assert payoffs(result) == [((a - c) ** 2 / (8 * b), (a - c) ** 2 / (16 * b))]
    assert result.method == "stackelberg" and result.equilibria[0].verified


def test_stackelberg_closed_forms_in_the_parameters():
    game = market("  one: {choose: {q: [0, oo]}, payoff: (price - c)*q}\n"
                  "  two: {choose: {q: [0, oo]}, payoff: (price - c)*q}\n",
                  "a: {value: 12, positive: true}, b: {value: 1, positive: true}, c: 2", "one")
    analysis = api.analyze(game)
    a, b, c = (game.symbols[name] for name in "abc")
    form = next(f for f in analysis.closed_forms if f.at_current)
    assert sympy.simplify(form.choices[0] - (a - c) / (2 * b)) == 0
    assert sympy.simplify(form.choices[1] - (a - c) / (4 * b)) == 0
    assert sympy.simplify(form.payoffs[0] - (a - c) ** 2 / (8 * b)) == 0


def test_asymmetric_cournot_interior():
    a, b, c1, c2 = F(10), F(1), F(1), F(4)
    result = api.solve(two_firms("1", "4"))
    assert choices(result) == [((a - 2 * c1 + c2) / (3 * b), (a - 2 * c2 + c1) / (3 * b))]


def test_asymmetric_cournot_the_weaker_firm_exits_when_its_cost_gap_is_too_large():
    a, b, c1 = F(10), F(1), F(1)
    result = api.solve(two_firms("1", "6"))  # a - 2*c2 + c1 = -1 < 0
    assert choices(result) == [((a - c1) / (2 * b), F(0))]
    assert result.equilibria[0].case == ("interior", "low")
    forms = api.analyze(two_firms("1", "6")).closed_forms
    exit_form = next(f for f in forms if f.at_current)
    assert exit_form.case == ("interior", "low")
    assert [str(r) for r in exit_form.valid_when] == ["a - c1 > 0", "a + c1 - 2*c2 <= 0"]


def test_the_scale_incumbent_limits_its_quantity_to_keep_the_entrant_out():
    # c_e = 11/2: the leader's first-order condition on the piece where the entrant
    # produces would leave it negative output; the leader produces just enough to
    # keep the entrant out: a + s - c_e - b*q = 0.
    result = api.solve("scale_vs_niche", {"c_e": "11/2"})
    assert choices(result) == [(F(11, 2), F(0))]
    result = api.solve("scale_vs_niche", {"c_e": "8"})  # the monopoly output deters entry
    assert choices(result) == [(F(9, 2), F(0))]
    result = api.solve("scale_vs_niche", {"c_e": "4"})
    assert choices(result) == [(F(11, 2), F(3, 4))]


@pytest.mark.parametrize("a, b, c, fixed", [(10, 1, 1, 2), (20, 2, 3, 1), (10, 1, 1, 100),
                                             (7, 1, 1, 9), (100, 1, 0, "1/10")])
def test_free_entry_is_the_largest_number_of_firms_that_breaks_even(a, b, c, fixed):
    fixed_cost = F(str(fixed))

    def profit(n):
        return F(a - c) ** 2 / (b * (n + 1) ** 2) - fixed_cost

    expected = 0
    while profit(expected + 1) >= 0:
        expected += 1
    analysis = api.analyze("cournot_entry", {"a": a, "b": b, "c": c, "F": fixed})
    assert analysis.free_entry[0].number_of_firms == expected
    if expected:
        assert math.floor(analysis.free_entry[0].break_even_at_current) == expected


def test_free_entry_falls_as_the_fixed_cost_grows():
    numbers = [api.analyze("cournot_entry", {"F": f}).free_entry[0].number_of_firms
               for f in ("1/4", 1, 2, 5, 10)]
    assert numbers == sorted(numbers, reverse=True) and numbers[0] > numbers[-1]
    sensitivity = {s.parameter: s for s in api.analyze("cournot_entry").free_entry[0].sensitivity}
    assert sensitivity["F"].at_current < 0 and sensitivity["a"].at_current > 0


def test_comparative_statics_are_the_derivatives_of_the_closed_form():
    statics = {(s.what, s.parameter): s for s in api.analyze("cournot_entry").comparative_statics}
    assert statics[("firms.q", "N")].at_current == sympy.Rational(-9, 16)  # -(a-c)/(b(N+1)^2)
    assert statics[("firms.payoff", "F")].derivative == -1


# -- random markets: no player gains by a unilateral deviation (grid oracle) --------------------

def _best_on_grid(payoff, top: F, points: int = 400) -> F:
    return max(payoff(top * i / points) for i in range(points + 1))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(a=st.integers(2, 30), b=st.integers(1, 5), c1=st.integers(0, 10), c2=st.integers(0, 10))
def test_no_firm_gains_by_deviating_in_random_asymmetric_cournot(a, b, c1, c2):
    result = api.solve(two_firms(str(c1), str(c2), a=str(a), b=str(b)))
    assert result.equilibria and all(eq.verified for eq in result.equilibria)
    for q1, q2 in choices(result):
        def one(x):
            return (a - b * (x + q2) - c1) * x

        def two(x):
            return (a - b * (q1 + x) - c2) * x

        top = F(a, b)
        assert _best_on_grid(one, top) <= one(q1)
        assert _best_on_grid(two, top) <= two(q2)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(margin=st.integers(1, 30), b=st.integers(1, 5), c=st.integers(0, 10),
       n=st.integers(1, 40))
def test_no_member_of_a_population_gains_by_deviating(margin, b, c, n):
    a = c + margin  # the file assumes a > c
    result = api.solve("cournot_entry", {"a": a, "b": b, "c": c, "N": n, "F": 0})
    (q,), = choices(result)

    def member(x):
        return (a - b * (x + (n - 1) * q) - c) * x

    assert _best_on_grid(member, F(a, b)) <= member(q)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(a=st.integers(4, 30), c1=st.integers(0, 3), c2=st.integers(0, 12))
def test_the_stackelberg_leader_cannot_do_better_along_the_followers_reply(a, c1, c2):
    result = api.solve(two_firms(str(c1), str(c2), a=str(a), leader="one"))
    assert result.equilibria
    (q1, q2), = choices(result)

    def argmax(function, low: float, high: float) -> float:
        """Ternary search: the maximiser of a concave function on [low, high]."""
        for _ in range(200):
            left, right = low + (high - low) / 3, high - (high - low) / 3
            if function(left) < function(right):
                low = left
            else:
                high = right
        return (low + high) / 2

    def reply(x: float) -> float:  # the follower's best reply, by its own search
        return argmax(lambda y: (a - x - y - c2) * y, 0.0, float(a))

    def leader(x: float) -> float:
        return (a - x - reply(x) - c1) * x

    def follower(y):
        return (a - q1 - y - c2) * y

    assert _best_on_grid(follower, F(a)) <= follower(q2)
    best_on_grid = max(leader(a * i / 1000) for i in range(1001))
    assert best_on_grid <= leader(float(q1)) + 1e-9 * a * a


# -- the file format and its messages -----------------------------------------------------------

BASE = "parameters: {a: 10}\nmarket: {totals: {Q: q}}\nplayers:\n"


@pytest.mark.parametrize("players, message", [
    ("  f: {choose: {q: [0, oo], k: [0, 1]}, payoff: a*q}\n",
     "m.yaml:4: players.f.choose: expected one choice variable and its interval, e.g. "
     "{q: [0, oo]} (one variable per player)"),
    ("  f: {choose: {q: [oo, 1]}, payoff: a*q}\n",
     "m.yaml:4: players.f.choose.q[0]: 'oo' is allowed only as the upper bound; the lower bound "
     "is a number or an expression in the parameters, e.g. 0"),
    ("  f: {choose: {q: [0, oo]}, payoff: a*q, cost: 1}\n",
     "m.yaml:4: players.f.cost: unknown key 'cost'; allowed: count, choose, payoff, description"),
    ("  f: {choose: {q: [0, oo]}}\n", "m.yaml:4: players.f: missing 'payoff'"),
    ("  f: {count: 5/2, choose: {q: [0, oo]}, payoff: a*q}\n",
     "m.yaml:4: players.f.count: count 5/2 is not a whole number of firms (1 or more)"),
    ("  f: {choose: {q: [0, oo]}, payoff: a*q}\n  g: {choose: {k: [0, 1]}, payoff: (a - q)*k}\n",
     "m.yaml:5: players.g.payoff: unknown symbol 'q' at column 6; declared: Q, a, k"),
    ("  f: {choose: {q: [0, oo]}, payoff: \"__import__('os')\"}\n",
     "m.yaml:4: players.f.payoff: unknown function '__import__' at column 1; allowed "
     "functions: abs, exp, log, max, min, sqrt"),
    ("  f: [a, b]\n", "m.yaml:4: players.f: expected {choose: {q: [0, oo]}, payoff: …} "
                      "(a market player chooses a number, not a strategy from a list)"),
])
def test_a_bad_market_file_is_refused_with_file_line_and_field(players, message):
    with pytest.raises(GameFileError) as caught:
        load_market_text(BASE + players, path="m.yaml")
    assert str(caught.value) == message


def test_a_market_file_declares_at_most_one_sweep_axis():
    with pytest.raises(GameFileError, match=r"^m.yaml:5: vary: a market game is swept along one "
                                            r'axis; give one, e.g. \["F=0:10:21"\]$'):
        load_market_text(BASE + "  f: {choose: {q: [0, oo]}, payoff: a*q}\n"
                                "vary: [\"a=0:1:2\", \"a=1:2:3\"]\n", path="m.yaml")


def test_a_population_cannot_lead():
    text = BASE + ("  f: {count: 3, choose: {q: [0, oo]}, payoff: a*q}\n"
                   "  g: {choose: {q: [0, oo]}, payoff: a*q}\nleader: f\n")
    with pytest.raises(GameFileError, match=r"^m.yaml:6: leader: leader 'f' is a population of "
                                            r"3 firms; a leader is one firm \(count 1\)$"):
        load_market_text(text, path="m.yaml")


def test_n_is_an_ordinary_parameter_name_and_a_count_must_be_whole_at_solve_time():
    game = api.load("cournot_entry")
    assert "N" in game.symbols
    with pytest.raises(GameFileError, match=r"--set N=5/2: firms is a population of N = 5/2 "
                                            r"firms; a number of firms is a whole number"):
        api.parse_overrides(game, ["N=5/2"])


# -- the command line: output contract, questions not answered yet -----------------------------

def test_solve_json_lists_choices_as_floats_and_exact_strings(tmp_path):
    result = CliRunner().invoke(cli, ["solve", "scale_vs_niche", "--json", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    (eq,) = json.loads(result.stdout)["equilibria"]
    assert eq["choices"] == {"incumbent": {"q": 5.5}, "entrant": {"q": 0.75}}
    assert eq["exact"] == {"incumbent": {"q": "11/2"}, "entrant": {"q": "3/4"}}
    assert eq["exact_payoffs"] == {"incumbent": "121/8", "entrant": "9/16"}
    assert eq["verified"] is True
    assert (tmp_path / "scale_vs_niche" / "solve.md").exists()


@pytest.mark.parametrize("command, message", [
    (["optimize", "cournot_entry"], "error: cournot_entry declares no welfare: objective, so "
     "optimize has nothing to maximise; add a welfare: section with the instrument, the "
     "consumers' inverse demand and the public costs (docs/game-files.md)\n"),
    (["sweep", "cournot_entry", "--vary", "F=1:2:3", "--vary", "a=1:2:3"], "error: --vary: a "
     "sweep of a market game has one axis, got 2\n"),
    (["sweep", "cournot_entry", "--vary", "F=1:2:3", "--save", "points.csv"], "error: --save "
     "writes the points of a normal-form sweep; a market game's sweep is in sweep.json\n"),
    (["uncertainty", "cournot_entry"], "error: uncertainty is not available yet for market "
     "games (cournot_entry is a market game); solve, analyze and report are\n"),
    (["export", "cournot_entry"], "error: export is not available yet for market games "
     "(cournot_entry is a market game); solve, analyze and report are\n"),
    (["solve", "cournot_entry", "--method", "exact"], "error: --method exact applies to "
     "normal-form games; market games are solved from their first-order (KKT) conditions "
     "(method auto)\n"),
])
def test_questions_not_answered_yet_are_usage_errors_naming_the_kind(command, message, tmp_path):
    result = CliRunner().invoke(cli, [*command, "--out", str(tmp_path)]
                                if command[0] not in ("export",) else command)
    assert result.exit_code == 2
    assert result.stderr == message


def test_the_full_report_says_which_stages_were_skipped_and_why():
    report = api.full_report("cournot_entry", command="policy report cournot_entry")
    assert set(report.skipped) == {"optimize", "uncertainty"}
    assert report.skipped["optimize"] == "the file declares no welfare: objective to maximise"
    assert "Free entry: the market supports 5 firms of firms" in " ".join(report.summary)
    assert report.figure_names == ["report-sweep.png", "report-sweep.svg"]
    assert "sweep" in api.full_report("scale_vs_niche").skipped  # no vary: axis


def test_the_sweep_shows_free_entry_concentration_as_the_fixed_cost_grows(tmp_path):
    from policy.sweep import GridAxis

    swept = api.sweep("cournot_entry", [GridAxis.parse("F=1:9:9")])
    firms = swept.firms[0]
    assert firms == tuple(math.floor(9 / math.sqrt(f) - 1 + 1e-12) for f in range(1, 10))
    assert firms == tuple(sorted(firms, reverse=True))
    assert all(swept.verified)
    result = CliRunner().invoke(cli, ["sweep", "cournot_entry", "--vary", "F=1:9:9", "--json",
                                      "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    points = json.loads(result.stdout)["points"]
    assert [p["firms"]["firms"] for p in points] == list(firms)
    assert (tmp_path / "cournot_entry" / "sweep.svg").exists()


def test_check_summarises_a_market_game():
    summary, problems = api.check_game("cournot_entry")
    assert problems == []
    assert summary["text"] == ("market game, 1 players: firms (N firms, q); 5 parameters, "
                               "0 controls")
    assert kind_of(api.load("scale_vs_niche")) is MARKET


# -- hostile files: any change to a market file loads or is refused with one error ---------------

_SCALARS = st.one_of(st.integers(-3, 3), st.sampled_from(
    ["oo", "q", "Q", "N", "a*q", "1/0", "q**200", "exp(q)", "", "price", "-1", "2.5", "[", "x y"]))
_VALUES = st.one_of(_SCALARS, st.lists(_SCALARS, max_size=3),
                    st.dictionaries(st.sampled_from(["q", "k", "Q", "count"]), _SCALARS,
                                    max_size=2))
_FIELDS = ["players.firms.count", "players.firms.choose", "players.firms.choose.q",
           "players.firms.payoff", "market.totals", "market.totals.Q", "market.define.price",
           "market", "leader", "players.firms"]


@settings(max_examples=60, deadline=None)
@given(field=st.sampled_from(_FIELDS), value=_VALUES)
def test_a_mutated_market_file_loads_or_is_refused_with_one_game_file_error(field, value):
    import yaml

    from policy.loader import bundled_games

    data = yaml.safe_load(bundled_games()["cournot_entry"].read_text(encoding="utf-8"))
    *path, last = field.split(".")
    node = data
    for key in path:
        node = node[key] if isinstance(node.get(key), dict) else node.setdefault(key, {})
    node[last] = value
    try:
        game = MARKET.model(load_market_text(yaml.safe_dump(data), path="m.yaml"))
    except GameFileError:
        return
    try:
        api.solve(game)
    except (GameFileError, ModelError):
        pass


def test_a_payoff_too_hard_to_solve_is_cut_by_the_time_budget_and_says_so(monkeypatch):
    monkeypatch.setenv("POLICY_LIMIT_ANALYSIS_MILLISECONDS", "300")
    game = market("  f: {choose: {q: [0, oo]}, payoff: \"(price - 1)*q - q**99/10**90 + q**97\"}\n"
                  "  g: {choose: {q: [0, 5]}, payoff: (price - 1)*q + exp(q)*q}\n", "a: 10, b: 1")
    result = api.solve(game)
    assert not result.complete
    assert any("could not be solved" in note or "time budget" in note for note in result.notes)
    assert all(not eq.verified or eq.verified_exactly for eq in result.equilibria)


def test_a_rational_demand_is_verified_exactly_with_irrational_quantities():
    game = MARKET.model(load_market_text(
        "parameters: {a: 12, c: 1, N: 3}\n"
        "market: {totals: {Q: q}, define: {price: a/(1 + Q)}}\n"
        "players:\n  firms: {count: N, choose: {q: [0, oo]}, payoff: (price - c)*q}\n",
        path="rational.yaml"))
    (eq,) = api.solve(game).equilibria
    assert str(eq.choices[0]) == "1 + 2*sqrt(5)/3" and eq.verified and eq.verified_exactly
    q = float(eq.choices[0])

    def member(x):
        return (12 / (1 + x + 2 * q) - 1) * x

    assert max(member(20 * i / 4000) for i in range(4001)) <= member(q) + 1e-12


def test_the_subsidy_that_keeps_the_entrant_in_is_a_threshold_in_closed_form():
    thresholds = {(t.parameter, str(t.relation)): t for t in api.analyze("scale_vs_niche").thresholds}
    subsidy = thresholds[("subsidy", "a - 3*c_e + 2*c_i + 3*s + 3*subsidy > 0")]
    game = api.load("scale_vs_niche")
    a, c_i, c_e, s = (game.symbols[name] for name in ("a", "c_i", "c_e", "s"))
    assert sympy.simplify(subsidy.value - (c_e - s - (a + 2 * c_i) / 3)) == 0
    assert subsidy.at_current == -1  # no subsidy is needed at the defaults
    at = {a: 10, c_i: 1, s: 1, c_e: sympy.Rational(11, 2)}
    assert subsidy.value.xreplace(at) == sympy.Rational(1, 2)  # what c_e = 11/2 needs
    kept_in = api.solve("scale_vs_niche", {"c_e": "11/2", "subsidy": "3/5"}).equilibria[0]
    assert kept_in.choices[1] > 0


# -- games users wrote: names, other players' choices, radicals -----------------------------------

def test_a_payoff_may_name_another_players_choice_differentiated_bertrand():
    # demand for each firm's product a - p_own + d*p_other; by hand: p = (a + c)/(2 - d)
    text = ("parameters: {a: 10, d: 1/2, c: 2}\n"
            "market: {define: {q1: a - p1 + d*p2, q2: a - p2 + d*p1}}\n"
            "players:\n  firm1: {choose: {p1: [0, 100]}, payoff: (p1 - c)*q1}\n"
            "  firm2: {choose: {p2: [0, 100]}, payoff: (p2 - c)*q2}\n")
    game = MARKET.model(load_market_text(text, path="bertrand.yaml"))
    result = api.solve(game)
    price = (F(10) + 2) / (2 - F(1, 2))
    assert choices(result) == [(price, price)] and result.complete
    assert result.equilibria[0].verified_exactly
    forms = api.analyze(game).closed_forms
    assert all("p1" not in str(c) and "p2" not in str(c) for f in forms for c in f.choices)


@pytest.mark.parametrize("names", [("x0", "y"), ("y", "x1")])
def test_parameters_named_like_the_solvers_own_symbols_are_not_taken_for_them(names):
    c1, c2 = names  # asymmetric Cournot: the weak firm (cost 7) stays out, by hand q = 9/2
    game = market(f"  one: {{choose: {{q: [0, oo]}}, payoff: (price - {c1})*q}}\n"
                  f"  two: {{choose: {{q: [0, oo]}}, payoff: (price - {c2})*q}}\n",
                  f"a: 10, b: 1, {c1}: 1, {c2}: 7")
    assert choices(api.solve(game)) == [(F(9, 2), F(0))]
    current = [f for f in api.analyze(game).closed_forms if f.at_current]
    assert [str(c) for c in current[0].choices] == [f"(a - {c1})/(2*b)", "0"]


def test_cases_whose_conditions_contradict_each_other_are_not_listed():
    text = ("parameters: {a: 10}\nmarket: {totals: {Q: q}, define: {price: a - Q}}\n"
            "players:\n  f1: {choose: {q: [0, 2]}, payoff: price*q}\n"
            "  f2: {choose: {q: [0, 2]}, payoff: price*q}\n")
    forms = api.analyze(MARKET.model(load_market_text(text, path="capacity.yaml"))).closed_forms
    # by hand: both at capacity when a >= 6, both a/3 when 0 < a < 6, nothing when a <= 0;
    # a firm at capacity beside an interior one needs a >= 6 and a < 6 at once
    assert {tuple(str(c) for c in f.choices): tuple(map(str, f.valid_when)) for f in forms} == {
        ("2", "2"): ("a - 6 >= 0",), ("a/3", "a/3"): ("a > 0", "a - 6 < 0"),
        ("0", "0"): ("a <= 0",)}


def test_an_equilibrium_with_nested_radicals_is_verified_exactly():
    # price A/(1 + Q), unit cost c: by hand 4q^2 - 96q - 99 = 0, q = 12 + 15*sqrt(3)/2
    text = ("parameters: {A: 100, c: 1}\nmarket: {totals: {Q: q}, define: {price: A/(1 + Q)}}\n"
            "players:\n  f1: {choose: {q: [0, 50]}, payoff: (price - c)*q}\n"
            "  f2: {choose: {q: [0, 50]}, payoff: (price - c)*q}\n")
    result = api.solve(MARKET.model(load_market_text(text, path="hyperbolic.yaml")))
    q = 12 + 15 * sympy.sqrt(3) / 2
    assert [eq.choices for eq in result.equilibria] == [(q, q)]
    assert result.equilibria[0].verified_exactly

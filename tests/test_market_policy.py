"""The regulator's best instrument in a market game (issue 17, item 4): welfare =
consumer surplus + profits − public costs at the market equilibrium, maximised over
a control with bounds. Every expected value is derived by hand in the test (the
derivation in the comment), never taken from the library."""

from __future__ import annotations

import json
from fractions import Fraction as F

import pytest
import sympy
from click.testing import CliRunner

from policy import api
from policy.cli import cli
from policy.errors import GameFileError
from policy.kinds.market import MARKET
from policy.market_policy import GRID_POINTS, optimize_welfare
from policy.readers.yaml_market import load_market_text


def cournot(n=3, a=10, b=1, c=1, bounds="[0, 20]"):
    """N Cournot firms, inverse demand a - b*Q, unit cost c, a per-unit subsidy s
    paid by the regulator (a public cost s*q per firm)."""
    return MARKET.model(load_market_text(
        f"parameters: {{N: {{value: {n}, positive: true}}, a: {a}, b: {{value: {b}, positive: "
        f"true}}, c: {c}}}\n"
        f"controls: {{s: {{value: 0, bounds: {bounds}}}}}\n"
        "market: {totals: {Q: q}, define: {price: a - b*Q}}\n"
        "players: {firms: {count: N, choose: {q: [0, oo]}, payoff: (price - c + s)*q}}\n"
        "welfare: {consumers: price, public_cost: {firms: s*q}}\n", path="cournot.yaml"))


def welfare_cournot(n, a, b, c, s):
    """By hand: each firm produces (a - c + s)/(b(N + 1)); the subsidy is a transfer,
    so W = ∫_0^Q (a - b z) dz - c Q = (a - c) Q - b Q²/2."""
    q = F(a - c + s) / (b * (n + 1))
    total = n * q
    return (a - c) * total - F(b) * total ** 2 / 2


@pytest.mark.parametrize("n, b", [(1, 1), (2, 1), (3, 1), (5, 2)])
def test_the_welfare_maximising_subsidy_brings_the_price_down_to_marginal_cost(n, b):
    # W(s) = (a - c) Q - b Q²/2 is largest at Q = (a - c)/b, i.e. N(a - c + s)/(N + 1) =
    # a - c: s* = (a - c)/N (a monopoly: a - c), where W = (a - c)²/(2b).
    policy = optimize_welfare(cournot(n=n, b=b))
    assert policy.value == sympy.Rational(9, n)
    assert policy.objective == sympy.Rational(81, 2 * b)
    assert F(str(policy.baseline)) == welfare_cournot(n, 10, b, 1, 0)
    assert policy.status == "optimal" and policy.verified and policy.method == "closed form"
    a, c, N = sympy.symbols("a c N", real=True)
    assert sympy.simplify(policy.closed_form.subs(
        {sym: {"a": a, "c": c, "N": N}[str(sym)] for sym in policy.closed_form.free_symbols})
        - (a - c) / N) == 0
    # second-order condition: W'' = -b (dQ/ds)² = -b (N/(b(N + 1)))²
    curvature = -F(b) * F(n, b * (n + 1)) ** 2
    assert f"d²W/ds² = {sympy.Rational(curvature.numerator, curvature.denominator)} < 0" \
        in policy.second_order
    (firm_choice,) = policy.equilibrium.choices
    assert firm_choice == sympy.Rational(9, b * n)  # Q = (a - c)/b shared by N firms


def test_a_bound_that_binds_is_the_answer_and_is_said_to_be_a_corner():
    # N = 3, s* = 3 lies above the upper bound 2; W is concave, so the answer is s = 2.
    policy = optimize_welfare(cournot(bounds="[0, 2]"))
    assert policy.value == 2 and policy.status == "optimal"
    assert F(str(policy.objective)) == welfare_cournot(3, 10, 1, 1, 2) == F(1287, 32)
    assert policy.second_order == "a corner: s at its upper bound"


def weak_entrant():
    """Cournot duopoly, costs 1 and 7, inverse demand 10 - Q; the regulator pays the
    weak firm a per-unit subsidy."""
    return MARKET.model(load_market_text(
        "parameters: {a: 10, c1: 1, c2: 7}\n"
        "controls: {subsidy: {value: 5, bounds: [0, 10]}}\n"
        "market: {totals: {Q: q}, define: {price: a - Q}}\n"
        "players:\n"
        "  strong: {choose: {q: [0, oo]}, payoff: (price - c1)*q}\n"
        "  weak: {choose: {q: [0, oo]}, payoff: (price - c2 + subsidy)*q}\n"
        "welfare: {consumers: price, public_cost: {weak: subsidy*q}}\n", path="weak.yaml"))


def test_subsidising_an_inefficient_firm_into_the_market_lowers_welfare_the_exit_corner():
    # By hand. The weak firm produces (a - 2(c2 - σ) + c1)/3 = (2σ - 3)/3 when that is
    # positive: below σ = 3/2 it exits (the corner) and the strong firm is a monopoly,
    # Q = 9/2, W = 10Q - Q²/2 - Q = 243/8 whatever σ. Above, q1 = (15 - σ)/3,
    # q2 = (2σ - 3)/3, W = 10Q - Q²/2 - q1 - 7 q2 with dW/dσ = -(21 + σ)/9 < 0.
    # So W is flat on [0, 3/2], then falls: the answer is the lowest value, σ = 0.
    policy = optimize_welfare(weak_entrant())
    assert policy.value == 0 and policy.objective == sympy.Rational(243, 8)
    assert policy.equilibrium.choices == (sympy.Rational(9, 2), 0)  # the weak firm exits
    assert policy.status == "optimal" and policy.verified
    checked = {F(str(p.value)): p for p in policy.checked}
    q1, q2 = F(15 - 5, 3), F(2 * 5 - 3, 3)
    total = q1 + q2
    assert F(str(checked[F(5)].objective)) == 10 * total - total ** 2 / 2 - q1 - 7 * q2 \
        == F(377, 18)
    assert checked[F(3, 2)].source == "kink"  # where the weak firm starts producing
    assert checked[F(3, 2)].objective == sympy.Rational(243, 8)
    assert F(str(policy.baseline)) == F(377, 18)  # the file's current subsidy, 5
    grid = {F(10 * i, GRID_POINTS - 1) for i in range(GRID_POINTS)}  # every grid point solved
    assert grid <= set(checked)


def test_a_stackelberg_leader_facing_a_subsidised_entrant_produces_the_limit_quantity():
    # scale_vs_niche at c_e = 6 (a = 10, b = 1, c_i = 1, s = 1). By hand: the entrant
    # replies max(0, (5 + σ - t)/2) to the leader's t. For σ <= 1 the leader's best is
    # the limit quantity t = 5 + σ (the entrant stays out): W = CS + profit =
    # (5 + σ)²/2 + (4 - σ)(5 + σ) = (5 + σ)(13 - σ)/2, rising on [0, 1]. For σ > 1 the
    # leader accommodates, t = (13 - σ)/2, q_e = 3(σ - 1)/4 and dW/dσ = -(35 + σ)/16 < 0.
    # Best: σ = 1, the leader produces 6, the entrant nothing, W = 36 (no subsidy paid).
    policy = api.optimize("scale_vs_niche", values={"c_e": 6})
    assert policy.value == 1 and policy.objective == 36
    assert policy.equilibrium.choices == (6, 0)
    assert policy.baseline == sympy.Rational(65, 2)  # σ = 0: 5*13/2
    assert policy.verified and policy.status == "best found"  # a leader: local closed forms
    assert any("with a leader the closed forms are local" in note for note in policy.notes)


def test_the_bundled_entrant_should_not_be_subsidised_when_it_already_produces():
    # scale_vs_niche as shipped (c_e = 4): t = (11 - σ)/2, q_e = 3(1 + σ)/4, Q = (25 + σ)/4,
    # W = 10Q - Q²/2 - 3 q_e - t with dW/dσ = -(13 + σ)/16 < 0: no subsidy, W(0) = 1127/32.
    policy = api.optimize("scale_vs_niche")
    assert policy.value == 0 and policy.objective == sympy.Rational(1127, 32)
    assert policy.equilibrium.choices == (sympy.Rational(11, 2), sympy.Rational(3, 4))


def test_without_a_closed_form_the_optimum_is_found_numerically_and_verified():
    # A monopoly facing 12/(1 + Q), unit cost 1, a per-unit subsidy s: welfare
    # ∫_0^q 12/(1 + z) dz - q is largest where the price equals marginal cost,
    # q = 11; the monopoly produces sqrt(12/(1 - s)) - 1, so s* = 11/12. Its consumer
    # surplus has a logarithm: no rational closed form, a numeric search.
    game = MARKET.model(load_market_text(
        "parameters: {a: 12, c: 1}\n"
        "controls: {s: {value: 0, bounds: [0, 19/20]}}\n"
        "market: {totals: {Q: q}, define: {price: a/(1 + Q)}}\n"
        "players: {firm: {choose: {q: [0, oo]}, payoff: (price - c + s)*q}}\n"
        "welfare: {consumers: price, public_cost: {firm: s*q}}\n", path="ratio.yaml"))
    policy = optimize_welfare(game)
    assert policy.method == "numeric" and policy.verified and policy.status == "best found"
    assert abs(float(policy.value) - 11 / 12) < 1e-3
    assert policy.second_order.startswith("found numerically")
    assert all(p.objective is None or float(p.objective) <= float(policy.objective)
               for p in policy.checked)


def test_consumer_surplus_is_the_integral_of_demand_minus_what_buyers_pay():
    # linear demand 10 - Q at Q = 4: the triangle (10 - 6)*4/2 = 8
    game = cournot()
    values = {game.symbols["b"]: 1, game.symbols["a"]: 10}
    assert game.consumer_surplus(sympy.Integer(4)).xreplace(values) == 8


def write(tmp_path, welfare: str, controls: str = "{s: {value: 0, bounds: [0, 5]}}"):
    path = tmp_path / "bad.yaml"
    path.write_text("parameters: {a: 10}\n"
                    f"controls: {controls}\n"
                    "market: {totals: {Q: q}, define: {price: a - Q}}\n"
                    "players: {firm: {choose: {q: [0, oo]}, payoff: (price + s)*q}}\n"
                    f"welfare: {welfare}\n")
    return path


@pytest.mark.parametrize("welfare, controls, message", [
    ("{instrument: t}", None, "bad.yaml:5: welfare.instrument: instrument 't' is not a declared "
     "control; controls: s"),
    ("{consumers: price}", "{s: {value: 0}}", "bad.yaml:5: welfare: the instrument 's' has no "
     "bounds; give the control bounds: [low, high] (the interval the regulator chooses in)"),
    ("{consumers: a}", None, "bad.yaml:5: welfare.consumers: consumers: the inverse demand (the "
     "price buyers pay) is a function of exactly one total, e.g. a - b*Q; this one uses none "
     "(totals: Q)"),
    ("{consumers: price, public_cost: {bank: s}}", None, "bad.yaml:5: welfare.public_cost.bank: "
     "'bank' is not a player; players: firm"),
    ("{consumers: exp(Q)}", None, "bad.yaml:5: welfare.consumers: consumers: the inverse demand "
     "must be a ratio of polynomials in Q (its consumer surplus is integrated exactly)"),
    ("{consumer: price}", None, "bad.yaml:5: welfare.consumer: unknown key 'consumer'; allowed: "
     "instrument, consumers, public_cost"),
])
def test_a_bad_welfare_section_is_refused_naming_file_line_and_field(tmp_path, welfare, controls,
                                                                     message):
    path = write(tmp_path, welfare, *([controls] if controls else []))
    with pytest.raises(GameFileError) as caught:
        api.load(str(path))
    assert str(caught.value).replace(str(tmp_path) + "/", "") == message
    result = CliRunner().invoke(cli, ["optimize", str(path), "--no-report"])
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_policy_optimize_on_a_market_prints_and_writes_the_verified_policy(tmp_path):
    result = CliRunner().invoke(cli, ["optimize", "scale_vs_niche", "--set", "c_e=6", "--json",
                                      "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    policy = json.loads(result.stdout)["policy"]
    assert policy["mode"] == "welfare" and policy["controls_exact"] == {"subsidy": "1"}
    assert policy["welfare_exact"] == "36" and policy["verified"] is True
    assert policy["exact"] == {"incumbent": {"q": "6"}, "entrant": {"q": "0"}}
    assert (tmp_path / "scale_vs_niche" / "optimize.md").read_text().count(
        "The regulator's best subsidy is 1") == 1
    text = CliRunner().invoke(cli, ["optimize", "scale_vs_niche", "--no-report"])
    assert text.exit_code == 0
    assert "The regulator's best subsidy is 0 (best found: welfare 1127/32" in text.stdout


def test_the_full_report_of_a_market_with_welfare_says_what_the_regulator_should_do():
    report = api.full_report("scale_vs_niche", command="policy report scale_vs_niche")
    assert "optimize" not in report.skipped
    assert report.optimize.policy.controls_exact == {"subsidy": "0"}
    assert any(s.startswith("The regulator's best subsidy is 0") for s in report.summary)


def test_the_values_solved_are_bounded_by_a_limit_and_the_answer_says_so(monkeypatch):
    monkeypatch.setenv("POLICY_LIMIT_MARKET_POLICY_POINTS", "4")
    policy = optimize_welfare(cournot())
    assert len(policy.checked) == 4
    assert any(note.endswith("values of s were not solved: at most 4 are (set "
                             "POLICY_LIMIT_MARKET_POLICY_POINTS to raise this limit)")
               for note in policy.notes)
    assert policy.value == 3 and policy.verified  # the bounds, 0 now, then s* = 3

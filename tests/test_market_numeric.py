"""The numeric fallback of market games (issue 17): Newton's method on the first-order
conditions where sympy finds no closed form, and the interval-arithmetic certificate
of every best response, against values derived by hand."""

from __future__ import annotations

import json

import mpmath
import sympy
from click.testing import CliRunner

from policy.cli import cli
from policy.kinds.market import MARKET
from policy.market_equilibria import find_market_equilibria
from policy.market_numeric import certify_best_response, evaluate, find_roots
from policy.readers.yaml_market import load_market_text

ISOELASTIC = """name: isoelastic
parameters: {A: {value: 10}, c: {value: 1}}
market: {totals: {Q: q}, define: {price: A/sqrt(Q)}}
players:
  one: {choose: {q: [1/100, 100]}, payoff: (price - c)*q}
  two: {choose: {q: [1/100, 100]}, payoff: (price - c)*q}
"""


def test_isoelastic_duopoly_is_solved_numerically_and_certified(tmp_path):
    # By hand: with Q = 2q the first-order condition A/sqrt(Q) - A*q/(2*Q**(3/2)) = c
    # is (3/4)*A/sqrt(Q) = c, so sqrt(Q) = 3A/(4c) = 15/2, Q = 225/4, q = 225/8; the
    # price is 10/(15/2) = 4/3 and each firm earns (4/3 - 1)*225/8 = 75/8.
    game = MARKET.model(load_market_text(ISOELASTIC, path="iso.yaml"))
    result = find_market_equilibria(game)
    assert len(result.equilibria) == 1
    eq = result.equilibria[0]
    assert [abs(float(c) - 225 / 8) < 1e-9 for c in eq.choices] == [True, True]
    assert [abs(float(u) - 75 / 8) < 1e-9 for u in eq.payoffs] == [True, True]
    assert eq.verified and not eq.verified_exactly
    assert eq.verification.startswith("verified numerically (interval arithmetic")
    assert not result.complete
    path = tmp_path / "iso.yaml"
    path.write_text(ISOELASTIC, encoding="utf-8")
    run = CliRunner().invoke(cli, ["solve", str(path), "--no-report", "--json"])
    assert run.exit_code == 0, run.output
    data = json.loads(run.output)
    item = data["equilibria"][0]
    assert (item["verified"], item["verified_exactly"]) == (True, False)
    assert "interval arithmetic" in item["verification"]
    assert data["complete"] is False
    text = CliRunner().invoke(cli, ["solve", str(path), "--no-report"]).output
    assert "NOT verified" not in text and "verified numerically" in text


def test_certificate_accepts_the_maximiser_and_refuses_another_point():
    # 10*sqrt(y) - y on [0, 100]: the slope 5/sqrt(y) - 1 vanishes at y = 25 (payoff 25)
    y = sympy.Symbol("y")
    f = 10 * sympy.sqrt(y) - y
    good = certify_best_response(f, y, 0, 100, sympy.Integer(25))
    assert good.holds is True and abs(good.tolerance - 25e-9) < 1e-15
    bad = certify_best_response(f, y, 0, 100, sympy.Integer(20))   # payoff 10*sqrt(20) - 20 < 25
    assert bad.holds is False and 10 * bad.better ** 0.5 - bad.better > 10 * 20 ** 0.5 - 20


def test_certificate_on_an_unbounded_interval():
    # y*(9 - y) on [0, oo) is largest at 9/2; the tail beyond any point is bounded too
    y = sympy.Symbol("y")
    assert certify_best_response(y * (9 - y), y, 0, None, sympy.Rational(9, 2)).holds is True
    assert certify_best_response(y * (9 - y), y, 0, None, sympy.Integer(0)).holds is False


def test_certificate_with_exp_demand():
    # y*exp(-y) on [0, 10] is largest at y = 1 (slope (1 - y)*exp(-y))
    y = sympy.Symbol("y")
    assert certify_best_response(y * sympy.exp(-y), y, 0, 10, sympy.Integer(1)).holds is True
    assert certify_best_response(y * sympy.exp(-y), y, 0, 10, sympy.Integer(2)).holds is False


def test_evaluate_encloses_and_refuses_a_negative_root():
    x = sympy.Symbol("x")
    box = evaluate(x**2 - x, {x: mpmath.iv.mpf([0, 1])}, mpmath.iv)
    assert box.a <= -0.25 and box.b >= 0      # the true range is [-1/4, 0]
    try:
        evaluate(sympy.sqrt(x), {x: mpmath.iv.mpf([-1, 1])}, mpmath.iv)
    except Exception as err:  # noqa: BLE001 - the evaluator's own exception
        assert "negative" in str(err)
    else:
        raise AssertionError("a root of a possibly negative value was evaluated")


def test_find_roots_of_a_system():
    # x + y = 3, x - y = 1: (2, 1)
    x, y = sympy.symbols("x y")
    import time
    roots = find_roots([x + y - 3, x - y - 1], [x, y], [(0.0, 0.0)], time.process_time() + 5)
    assert [(round(float(a), 9), round(float(b), 9)) for a, b in roots] == [(2.0, 1.0)]


QUADRATIC_DEMAND = """name: quadratic
parameters: {a: {value: 10}, c: {value: 1}}
assumptions: ["a > c", "c >= 0"]
market: {totals: {Q: q}, define: {price: a - Q**2}}
players:
  f1: {choose: {q: [0, oo]}, payoff: (price - c)*q}
  f2: {choose: {q: [0, oo]}, payoff: (price - c)*q}
  f3: {choose: {q: [0, oo]}, payoff: (price - c)*q}
"""


def test_analysis_lists_one_closed_form_for_price_a_minus_q_squared():
    # By hand: a - Q**2 - c - 2*Q*q = 0 with Q = 3q gives 15*q**2 = a - c, so
    # q = sqrt((a - c)/15), written once; the negative root (needing sqrt(a - c) < 0)
    # is impossible and sqrt(a - c) >= 0 beside sqrt(a - c) > 0 says nothing more.
    from policy.market_analysis import analyze_market

    a, c = sympy.symbols("a c", real=True)
    game = MARKET.model(load_market_text(QUADRATIC_DEMAND, path="quadratic.yaml"))
    forms = analyze_market(game).closed_forms
    assert len(forms) == 1
    expected = sympy.sqrt(15) * sympy.sqrt(a - c) / 15
    assert [str(q) for q in forms[0].choices] == [str(expected)] * 3
    assert [str(r) for r in forms[0].valid_when] == ["sqrt(a - c) > 0"]
    assert forms[0].at_current is True


def solve_text(text: str):
    return find_market_equilibria(MARKET.model(load_market_text(text, path="game.yaml")))


def test_cournot_with_quadratic_costs_and_a_binding_capacity():
    # By hand: slopes 20 - 4*q1 - q2 and 20 - q1 - 6*q2; the interior solution has
    # q1 = 100/23 > 4, so the big firm is at its capacity 4 (slope 20 - 16 - 8/3 = 4/3 >= 0)
    # and the small one makes 6*q2 = 16: q2 = 8/3; price 40/3, profits 112/3 and 64/3.
    result = solve_text("""name: capacity
parameters: {a: {value: 20}, d: {value: 1}}
market: {totals: {Q: q}, define: {price: a - Q}}
players:
  big: {choose: {q: [0, 4]}, payoff: price*q - d*q**2}
  small: {choose: {q: [0, 10]}, payoff: price*q - 2*d*q**2}
""")
    assert [(eq.choices, eq.payoffs, eq.verified_exactly) for eq in result.equilibria] == [
        ((4, sympy.Rational(8, 3)), (sympy.Rational(112, 3), sympy.Rational(64, 3)), True)]
    assert result.complete


def test_a_leader_with_two_followers_and_a_tax():
    # By hand: with a - c - t = 11 each follower makes (11 - L)/3; the leader maximises
    # L*(11 - L)/3, so L = 11/2, followers 11/6, leader's profit 121/12, followers' 121/36.
    result = solve_text("""name: leader
parameters: {a: {value: 12}, c: {value: 0}}
controls: {t: {value: 1}}
market: {totals: {Q: q}, define: {price: a - Q}}
players:
  lead: {choose: {q: [0, oo]}, payoff: (price - c - t)*q}
  f1: {choose: {q: [0, oo]}, payoff: (price - c - t)*q}
  f2: {choose: {q: [0, oo]}, payoff: (price - c - t)*q}
leader: lead
""")
    half, sixth = sympy.Rational(11, 2), sympy.Rational(11, 6)
    assert [eq.choices for eq in result.equilibria] == [(half, sixth, sixth)]
    assert [eq.payoffs for eq in result.equilibria] == [
        (sympy.Rational(121, 12), sympy.Rational(121, 36), sympy.Rational(121, 36))]
    assert result.equilibria[0].verified_exactly


def test_exponential_demand_is_solved_numerically():
    # price 4*exp(-Q), cost 1/2: the symmetric first-order condition is
    # 4*exp(-2q)*(1 - q) = 1/2; its residual at the answer is checked by hand below,
    # and the second firm's payoff at the answer is (4*exp(-2q) - 1/2)*q.
    result = solve_text("""name: exponential
parameters: {c: {value: 1/2}}
market: {totals: {Q: q}, define: {price: 4*exp(-Q)}}
players:
  f1: {choose: {q: [0, 10]}, payoff: (price - c)*q}
  f2: {choose: {q: [0, 10]}, payoff: (price - c)*q}
""")
    assert len(result.equilibria) == 1
    eq = result.equilibria[0]
    q = float(eq.choices[0])
    import math
    assert float(eq.choices[1]) == q
    assert abs(4 * math.exp(-2 * q) * (1 - q) - 0.5) < 1e-12
    assert abs(float(eq.payoffs[1]) - (4 * math.exp(-2 * q) - 0.5) * q) < 1e-12
    assert eq.verified and not eq.verified_exactly and not result.complete


def test_an_exact_equilibrium_whose_exact_check_is_undecided_is_certified():
    # price exp(-Q) for a monopoly: the slope exp(-q)*(1 - q) vanishes at q = 1, found
    # exactly; q*exp(-q) is neither a ratio of polynomials nor has a polynomial second
    # derivative, so the exact check cannot decide and the interval certificate does.
    result = solve_text("""name: monopoly
market: {totals: {Q: q}, define: {price: exp(-Q)}}
players:
  m: {choose: {q: [0, 10]}, payoff: price*q}
""")
    assert [(eq.choices, eq.payoffs) for eq in result.equilibria] == [((1,), (sympy.exp(-1),))]
    eq = result.equilibria[0]
    assert eq.verified and not eq.verified_exactly
    assert "interval arithmetic" in eq.verification

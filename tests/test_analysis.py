"""Symbolic analysis: conditions, closed forms and thresholds agree with the numeric engine."""

from __future__ import annotations

import json
import math
import subprocess
import sys
import tempfile
import random
from fractions import Fraction as F
from pathlib import Path

import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from click.testing import CliRunner

import policy
from policy.analysis import analyze
from policy.cli import cli
from policy.equilibria import find_equilibria
from policy.kinds import kind_of
from policy.readers.yaml_normal_form import load_game_text
from policy.loader import bundled_games


def symbols(game):
    return game.symbols


def equivalent(a, b) -> bool:
    return sympy.simplify(sympy.sympify(a) - sympy.sympify(b)) == 0


def statuses(analysis):
    return {tuple(c.profile.values()): c.status for c in analysis.conditions}


# -- published closed forms -------------------------------------------------------------

def test_parameters_that_can_only_be_negative_are_not_taken_for_non_negative():
    # sympy 1.14's rational simplex (linprog with free variables) treated every
    # parameter as non-negative, so a domain where d <= -1 was "empty" and every
    # condition on it came out "always".
    spec = load_game_text("""
parameters:
  d: {value: -2, range: [-5, -1]}
  e: {value: 0, range: [-5, 5]}
assumptions: ["d + e < -2"]
players: {row: [up, down], column: [left, right]}
payoffs:
  up:   {left: [e + 3, 1], right: [0, 0]}
  down: {left: [0, 0], right: [1, 1]}
""")
    game = kind_of(spec).model(spec)
    condition = next(c for c in analyze(game).conditions
                     if c.profile == {"row": "up", "column": "left"})
    assert condition.status == "conditional"
    assert [str(r) for r in condition.holds_when] == ["e + 3 >= 0"]


def test_inspection_game_closed_forms():
    game = policy.load("inspection")
    s = symbols(game)
    result = analyze(game)
    (mixed,) = result.mixed
    no_subsidy = {s["subsidy"]: 0}
    # Avenhaus, von Stengel & Zamir: inspect with probability g/(f+g), violate with c/(f+g)
    assert equivalent(mixed.strategies["regulator"]["inspect"].xreplace(no_subsidy),
                      s["g"] / (s["f"] + s["g"]))
    assert equivalent(mixed.strategies["platform"]["violate"], s["c"] / (s["f"] + s["g"]))
    # c is declared without a sign: violating with probability c/(f+g) needs c >= 0
    assert [str(r) for r in mixed.valid_when] == ["g >= subsidy", "f + g >= c", "c >= 0"]
    (commitment,) = result.commitment
    assert equivalent(commitment.probability.xreplace(no_subsidy), s["g"] / (s["f"] + s["g"]))
    assert commitment.at_current == sympy.Rational(2, 7)


def test_matching_pennies_is_one_half_always():
    result = analyze(policy.load("matching_pennies"))
    assert set(statuses(result).values()) == {"never"}
    (mixed,) = result.mixed
    assert mixed.status == "always"
    assert all(p == sympy.Rational(1, 2) for mix in mixed.strategies.values() for p in mix.values())


def test_battle_of_the_sexes_two_pure_and_one_mixed():
    game = policy.load("battle_of_sexes")
    result = analyze(game)
    assert sorted(statuses(result).values()) == ["always", "always", "never", "never"]
    (mixed,) = result.mixed
    numeric = find_equilibria(game.bind())
    fully_mixed = next(eq for eq in numeric.equilibria if not eq.is_pure)
    values = {game.symbols[k]: v for k, v in game.default_values().items()}
    row = [mixed.strategies[game.players[0]][s].xreplace(values) for s in game.strategies[0]]
    assert tuple(F(str(p)) for p in row) == fully_mixed.strategies[0]


def test_chicken_hawk_probability_is_v_over_c():
    game = policy.load("chicken")
    s = symbols(game)
    result = analyze(game)
    assert statuses(result)[("hawk", "hawk")] == "never"       # because C > V
    assert statuses(result)[("hawk", "dove")] == "always"
    (mixed,) = result.mixed
    assert equivalent(mixed.strategies["row"]["hawk"], s["V"] / s["C"])
    assert mixed.status == "always"


def test_prisoners_dilemma_only_mutual_defection_given_t_r_p_s():
    result = analyze(policy.load("prisoners_dilemma"))
    assert statuses(result) == {("cooperate", "cooperate"): "never",
                                ("cooperate", "defect"): "never",
                                ("defect", "cooperate"): "never",
                                ("defect", "defect"): "always"}
    assert result.mixed == ()  # its validity conditions are jointly impossible


def test_entry_deterrence_accommodation_always_and_fighting_is_never_credible():
    result = analyze(policy.load("entry_deterrence"))
    assert statuses(result)[("accommodate", "enter")] == "always"
    assert statuses(result)[("fight", "enter")] == "never"


def test_platform_entry_conditions_and_thresholds_say_when_entry_survives():
    game = policy.load("platform_entry")
    result = analyze(game)
    condition = next(c for c in result.conditions
                     if c.profile == {"incumbent": "expand", "entrant": "stay_out"})
    assert condition.status == "conditional" and condition.at_current
    texts = {str(r) for r in condition.holds_when}
    assert "k + w >= a + entry_subsidy + q" in texts
    threshold = next(t for t in result.thresholds
                     if t.profile == condition.profile and t.parameter == "entry_subsidy")
    assert threshold.at_current == 1  # a subsidy above 1 breaks the centralised equilibrium


# -- agreement with the numeric solver ----------------------------------------------------

def random_point(game, rng):
    values = {}
    for parameter in game.spec.parameters:
        low, high = parameter.range if parameter.range else (parameter.value / 2, parameter.value * 2 + 1)
        if parameter.positive:
            low = max(low, sympy.Rational(1, 10))
        values[parameter.name] = sympy.Rational(rng.randint(int(low * 10), int(high * 10)), 10)
    for control in game.spec.controls:
        low, high = control.bounds
        values[control.name] = sympy.Rational(rng.randint(int(low * 10), int(high * 10)), 10)
    return values


@pytest.mark.parametrize("name", sorted(bundled_games()))
def test_symbolic_conditions_agree_with_the_numeric_solver_at_random_points(name):
    game = policy.load(name)
    result = analyze(game)
    rng = random.Random(name)
    checked = 0
    for _ in range(12):
        point = random_point(game, rng)
        substitution = {game.symbols[k]: v for k, v in point.items()}
        if not all(bool(r.xreplace(substitution)) for r in game.spec.assumptions):
            continue
        checked += 1
        numeric = find_equilibria(game.bind(point), method="pure")
        pure = {tuple(game.strategies[i][s.index(F(1))] for i, s in enumerate(eq.strategies))
                for eq in numeric.equilibria}
        for condition in result.conditions:
            profile = tuple(condition.profile.values())
            if condition.status == "always":
                assert profile in pure, (profile, point)
            elif condition.status == "never":
                assert profile not in pure, (profile, point)
            else:
                holds = all(bool(r.xreplace(substitution)) for r in condition.holds_when)
                assert holds == (profile in pure), (profile, point, condition.holds_when)
        if len(game.players) == 2:
            full = find_equilibria(game.bind(point))
            found = {eq.strategies for eq in full.equilibria}
            for mixed in result.mixed:
                values = [[mixed.strategies[p].get(s, 0) for s in game.strategies[i]]
                          for i, p in enumerate(game.players)]
                numbers = [[sympy.nsimplify(sympy.sympify(v).xreplace(substitution)) for v in row]
                           for row in values]
                if any(not n.is_finite for row in numbers for n in row):
                    continue
                valid = all(n >= 0 for row in numbers for n in row) and all(
                    bool(r.xreplace(substitution)) for r in mixed.valid_when)
                if valid:
                    profile = tuple(tuple(F(str(n)) for n in row) for row in numbers)
                    from policy.best_response import is_best_response_profile
                    assert is_best_response_profile(full.game, profile), (point, profile)
                    if not full.components:
                        assert profile in found, (point, profile)
    assert checked or not game.spec.assumptions


def test_analyze_json_expressions_read_back_with_sympy(tmp_path):
    result = CliRunner().invoke(cli, ["analyze", "inspection", "--json", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    condition = doc["conditions"][0]
    assert condition["profile"] == {"regulator": "inspect", "platform": "comply"}
    assert condition["status"] == "conditional" and condition["holds_when"] == ["c <= 0"]
    strategies = doc["mixed"][0]["strategies"]["regulator"]
    assert sympy.simplify(sympy.sympify(strategies["inspect"])
                          - sympy.sympify("(g - subsidy)/(f + g)")) == 0
    assert all(sympy.sympify(t["value"]) is not None for t in doc["thresholds"])
    markdown = (tmp_path / "inspection" / "analyze.md").read_text()
    assert "$\\frac{g - \\mathrm{subsidy}}{f + g}$" in markdown


def test_every_bundled_game_analyses(tmp_path):
    runner = CliRunner()
    for name in sorted(bundled_games()):
        result = runner.invoke(cli, ["analyze", name, "--out", str(tmp_path), "--json"])
        assert result.exit_code == 0, (name, result.output)
        assert json.loads(result.stdout)["conditions"]


# --------------------------------------------------------------------------------------
# games nobody bundled (tests/data/user_games/analysis_*.yaml)
# --------------------------------------------------------------------------------------

USER_GAMES = Path(__file__).parent / "data" / "user_games"


@pytest.mark.parametrize("path", sorted(USER_GAMES.glob("analysis_*.yaml")), ids=lambda p: p.stem)
def test_analyze_answers_on_games_found_by_random_play(path, tmp_path):
    # fresh_games.py seeds 11-13: "Invalid comparison of non-real zoo" (a mixed closed form
    # whose denominator vanishes at the current values) and runs of 40 minutes
    run = subprocess.run([sys.executable, "-m", "policy", "analyze", str(path), "--no-report"],
                         capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "internal error" not in run.stdout + run.stderr


def test_a_closed_form_undefined_at_the_current_values_does_not_hold_there():
    game = policy.load(str(USER_GAMES / "analysis_undefined_mixed_at_defaults.yaml"))
    result = analyze(game)
    assert result.mixed
    values = {game.symbols[k]: v for k, v in result.values.items()}
    for mixed in result.mixed:
        defined = all(q.xreplace(values).is_finite for mix in mixed.strategies.values()
                      for q in mix.values())
        if not defined:
            assert mixed.at_current is False


def test_licensing_threshold_in_n_is_the_root_of_the_polynomial_condition():
    game = policy.load(str(USER_GAMES / "analysis_licensing.yaml"))
    result = analyze(game)
    in_n = [t for t in result.thresholds if t.parameter == "n"
            and str(t.condition) == "h*n*p + h*p >= c_lic*n**2 + c_lic*n"]
    assert [t.at_current for t in in_n] == [sympy.Rational(36, 5)]
    h, p, c_lic = (game.symbols[k] for k in ("h", "p", "c_lic"))
    assert sympy.simplify(in_n[0].value - h * p / c_lic) == 0


def test_thresholds_of_an_irreducible_polynomial_are_exact_algebraic_roots(tmp_path):
    text = USER_GAMES.joinpath("analysis_licensing.yaml").read_text().replace(
        "c_lic*n*(n + 1)", "c_lic*n**3")
    (tmp_path / "cubic.yaml").write_text(text)
    game = policy.load(tmp_path / "cubic.yaml")
    result = analyze(game)
    n = game.symbols["n"]
    roots = [t for t in result.thresholds if t.parameter == "n"]
    assert roots
    for t in roots:
        condition = (t.condition.lhs - t.condition.rhs).xreplace(
            {game.symbols[k]: v for k, v in result.values.items() if k != "n"})
        assert sympy.simplify(condition.xreplace({n: t.value})) == 0
        assert 1 <= t.at_current <= 20


def test_expanded_terms_estimates_before_anything_is_multiplied_out():
    from policy.analysis import expanded_terms
    a, b, c, d, e, f, g, h = sympy.symbols("a b c d e f g h")
    assert expanded_terms(a + b) == 2
    assert expanded_terms((a + b) * (c + d + e)) == 6
    assert expanded_terms((a + b + c + d + e + f + g + h) ** 100) == math.comb(107, 100)
    assert len(sympy.Add.make_args(sympy.expand((a + b + c) ** 3))) == expanded_terms((a + b + c) ** 3)


def test_the_time_budget_keeps_the_remaining_work_unsimplified(monkeypatch):
    monkeypatch.setenv("POLICY_LIMIT_ANALYSIS_MILLISECONDS", "1")
    import time as clock
    monkeypatch.setattr("policy.analysis.time.process_time", lambda: clock.perf_counter() + 10)
    result = analyze(policy.load("inspection"))
    assert any("time budget" in note or "unsimplified" in note for note in result.notes)
    assert result.conditions  # every profile is still there, conditions kept as they are


# --------------------------------------------------------------------------------------
# property: thresholds bracket every change of the equilibria along an axis
# --------------------------------------------------------------------------------------

GRID = [sympy.Rational(k, 2) for k in range(9)]  # x = 0, 1/2, ..., 4


def _polynomial_text(coefficients) -> str:
    return " + ".join(f"({c})*x**{k}" for k, c in enumerate(coefficients)) or "0"


def _pure_equilibria(payoffs, x) -> frozenset:
    value = {profile: [sympy.sympify(p).subs("x", x) for p in pair] for profile, pair in payoffs.items()}
    found = set()
    for (i, j), (a, b) in value.items():
        if a >= value[(1 - i, j)][0] and b >= value[(i, 1 - j)][1]:
            found.add((i, j))
    return frozenset(found)


polynomials = st.lists(st.integers(-3, 3), min_size=3, max_size=4).map(_polynomial_text)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(polynomials, min_size=8, max_size=8))
def test_every_change_of_the_pure_equilibria_on_a_grid_is_bracketed_by_a_threshold(texts):
    payoffs = {(i, j): (texts[4 * 0 + 2 * i + j], texts[4 + 2 * i + j]) for i in (0, 1) for j in (0, 1)}
    names = [["u", "d"], ["l", "r"]]
    lines = ["name: random_polynomial", "parameters:", "  x: {value: 1, range: [0, 4]}",
             "players:", "  row: [u, d]", "  column: [l, r]", "payoffs:"]
    for i in (0, 1):
        lines.append(f"  {names[0][i]}:")
        for j in (0, 1):
            lines.append(f"    {names[1][j]}: ['{payoffs[(i, j)][0]}', '{payoffs[(i, j)][1]}']")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "random_polynomial.yaml"
        path.write_text("\n".join(lines) + "\n")
        game = policy.load(path)
        result = analyze(game, max_support=1)
    x = game.symbols["x"]
    thresholds = [t for t in result.thresholds if t.parameter == "x"]
    for t in thresholds:  # every reported threshold is a root of its condition
        assert sympy.simplify((t.condition.lhs - t.condition.rhs).xreplace({x: t.value})) == 0
    labels = [_pure_equilibria(payoffs, point) for point in GRID]
    for left, right, a, b in zip(GRID, GRID[1:], labels, labels[1:]):
        if a != b:
            assert any(left <= t.value <= right for t in thresholds), (left, right, a, b)

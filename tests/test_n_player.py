"""Every equilibrium of games with three or more players (issue 15).

The oracles are independent of the engine: published equilibrium sets (Gambit's
catalog and regression tests, McKelvey & McLennan, Nau et al. 2004), a float
best-response check written here with numpy, the index theorem (a generic game has
an odd number of equilibria), and pygambit's ``enumpoly_solve`` where installed.
"""

from __future__ import annotations

import itertools
import json
from fractions import Fraction as F
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policy.algebraic import Algebraic
from policy.cli import cli
from policy.equilibria import find_equilibria
from policy.loader import load_game
from policy.numeric import NumericGame
from policy.support_enumeration import bezout_number, support_profiles
from policy.symbolic import SymbolicGame

DATA = Path(__file__).parent / "data" / "n_player"
NFG = Path(__file__).parent / "data" / "nfg"


def solve(path: Path):
    return find_equilibria(SymbolicGame(load_game(path)).bind({}))


def as_text(result) -> set[tuple[tuple[str, ...], ...]]:
    return {tuple(tuple(str(p) for p in s) for s in eq.strategies) for eq in result.equilibria}


def regret(payoffs: list[np.ndarray], profile) -> float:
    """The largest gain any player gets by a pure deviation, in floats (the oracle)."""
    mixed = [np.array([float(p) for p in s]) for s in profile]
    worst = 0.0
    for player, array in enumerate(payoffs):
        values = np.asarray(array, dtype=float)
        for other in reversed(range(len(mixed))):
            if other != player:
                values = np.tensordot(values, mixed[other], axes=([other], [0]))
        worst = max(worst, float(values.max() - values @ mixed[player]))
    return worst


# -- published games ---------------------------------------------------------------------

def test_mckelvey_mclennan_2x2x2_has_all_nine_equilibria_exactly():
    result = solve(NFG / "2x2x2.nfg")
    h, t, f, q = F(1, 2), F(1, 3), F(2, 5), F(1, 4)
    expected = {  # Gambit's tests/test_nash.py (test_enumpoly_unordered_behavior)
        ((f, 1 - f), (h, h), (t, 1 - t)), ((h, h), (f, 1 - f), (q, 1 - q)),
        ((h, h), (h, h), (1, 0)), ((t, 1 - t), (1, 0), (q, 1 - q)), ((1, 0), (1, 0), (1, 0)),
        ((1, 0), (0, 1), (0, 1)), ((0, 1), (q, 1 - q), (t, 1 - t)), ((0, 1), (1, 0), (0, 1)),
        ((0, 1), (0, 1), (1, 0))}
    assert {eq.strategies for eq in result.equilibria} == expected
    assert result.complete and result.exact and result.method == "exact"
    assert sum(all(len(s) == 2 for s in eq.supports) for eq in result.equilibria) == 2


def test_nau_irrational_equilibrium_is_exact_and_verified():
    result = solve(DATA / "nau2004_sec4.nfg")
    (eq,) = result.equilibria
    assert result.complete and eq.verified and eq.exact
    top = eq.strategies[0][0]
    assert isinstance(top, Algebraic) and str(top) == "53/46 - sqrt(601)/46"
    # Gambit's regression test prints it as floats
    expected = [0.6192325794725537, 0.4798042226776053, 0.3788253360656313]
    assert [float(s[0]) for s in eq.strategies] == pytest.approx(expected, abs=1e-12)
    assert regret(SymbolicGame(load_game(DATA / "nau2004_sec4.nfg")).bind({}).payoffs,
                  eq.strategies) < 1e-12


def test_van_der_laan_four_player_game_has_the_five_its_title_promises():
    # Gambit's g3.nfg is titled "... 2x2x2x2 example with no pure, and five mixed equilibria";
    # pygambit 16.7's enumpoly_solve returns only four of them; the fifth is totally mixed,
    # of degree 9, and passes the float check below as well as the exact one
    result = solve(DATA / "g3.nfg")
    assert len(result) == 5 and result.complete
    assert not any(eq.is_pure for eq in result.equilibria)
    totally_mixed = [eq for eq in result.equilibria if all(len(s) == 2 for s in eq.supports)]
    assert len(totally_mixed) == 1
    assert str(totally_mixed[0].strategies[0][0]).startswith("root of 290488176*x**9")
    payoffs = SymbolicGame(load_game(DATA / "g3.nfg")).bind({}).payoffs
    assert all(regret(payoffs, eq.strategies) < 1e-9 for eq in result.equilibria)


@pytest.mark.parametrize("name, count", [("g1.nfg", 1), ("g2.nfg", 1), ("2x2x2x2.nfg", 3),
                                         ("local_max_cut_2x2x2.nfg", 3), ("coord333.nfg", 13)])
def test_counts_published_in_gambit_titles_and_tests(name, count):
    result = solve(DATA / name)
    assert len(result) == count and result.complete


def test_coordination_game_includes_the_uniform_totally_mixed_equilibrium():
    third = (F(1, 3),) * 3
    assert (third, third, third) in {eq.strategies for eq in solve(DATA / "coord333.nfg").equilibria}


def test_a_continuum_of_totally_mixed_equilibria_is_reported_as_one():
    # Nau et al. (2004) section 5: 3 pure equilibria and a continuum of completely mixed ones
    result = solve(DATA / "nau2004_sec5.nfg")
    assert {((1, 0), (0, 1), (1, 0)), ((0, 1), (1, 0), (1, 0)), ((0, 1), (0, 1), (0, 1))} <= \
        {eq.strategies for eq in result.equilibria}
    full = [c for c in result.components if c.supports == ((0, 1), (0, 1), (0, 1))]
    assert len(full) == 1 and len(full[0].equilibria) >= 2
    assert not result.complete and result.degenerate
    for index in full[0].equilibria:
        assert all(len(s) == 2 for s in result.equilibria[index].supports)


def test_a_segment_of_equilibria_is_not_called_complete():
    # Nau et al. (2004) section 6: the equilibria form a line segment with player 3 moving
    # from (1/2, 1/2, 0, 0) to (0, 0, 1/2, 1/2); both ends are found exactly
    result = solve(DATA / "nau2004_sec6.nfg")
    h = (F(1, 2), F(1, 2))
    ends = {(h, h, (F(1, 2), F(1, 2), 0, 0)), (h, h, (0, 0, F(1, 2), F(1, 2)))}
    assert ends <= {eq.strategies for eq in result.equilibria}
    assert result.components and not result.complete
    assert all(eq.strategies[:2] == (h, h) for eq in result.equilibria)


# -- random games: the best-response oracle and the index theorem -------------------------

def random_game(shape, draw_payoff):
    arrays = [np.empty(shape, dtype=object) for _ in shape]
    for array in arrays:
        for index in np.ndindex(shape):
            array[index] = draw_payoff()
    return NumericGame.from_arrays(*arrays)


@st.composite
def games(draw, shapes, generic):
    """Generic games: payoffs drawn from a million values by a seeded generator (ties have
    probability about 1e-4 per game); games with ties: small payoffs chosen by hypothesis."""
    shape = draw(st.sampled_from(shapes))
    if generic:
        rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
        return random_game(shape, lambda: int(rng.integers(-10**6, 10**6)))
    count = int(np.prod(shape)) * len(shape)
    flat = iter(draw(st.lists(st.integers(-3, 3), min_size=count, max_size=count)))
    return random_game(shape, lambda: next(flat))


SHAPES = [(2, 2, 2), (3, 2, 2), (2, 2, 2, 2), (3, 3, 2)]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(games(SHAPES, generic=True))
def test_generic_random_games_have_an_odd_number_of_verified_equilibria(game):
    result = find_equilibria(game)
    assert result.complete and not result.degenerate
    assert len(result) % 2 == 1
    payoffs = [np.asarray(a, dtype=float) for a in game.payoffs]
    scale = max(abs(a).max() for a in payoffs)
    for eq in result.equilibria:
        assert eq.verified and eq.exact
        assert regret(payoffs, eq.strategies) <= 1e-9 * scale


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(games(SHAPES, generic=False))
def test_games_with_ties_report_only_verified_equilibria_and_say_when_incomplete(game):
    result = find_equilibria(game)
    payoffs = [np.asarray(a, dtype=float) for a in game.payoffs]
    for eq in result.equilibria:
        assert regret(payoffs, eq.strategies) <= 1e-9
    pure = find_equilibria(game, method="pure")
    assert {eq.strategies for eq in pure.equilibria} <= {eq.strategies for eq in result.equilibria}
    if result.complete:
        assert not result.components
    else:
        assert result.notes


def grid_equilibria(game, denominator):
    """Every equilibrium of a 2×2×2 game whose probabilities are multiples of
    1/denominator, found by checking each grid point exactly (the oracle)."""
    arrays = [np.asarray(a, dtype=object) for a in game.exact_payoffs]
    found = []
    grid = [F(k, denominator) for k in range(denominator + 1)]
    for p in itertools.product(grid, repeat=3):
        profile = tuple((1 - x, x) for x in p)
        if regret_exact(arrays, profile) == 0:
            found.append(profile)
    return found


def regret_exact(arrays, profile) -> F:
    worst = F(0)
    for player, array in enumerate(arrays):
        values = [F(0), F(0)]
        for index in np.ndindex(array.shape):
            weight = F(1)
            for other, choice in enumerate(index):
                if other != player:
                    weight *= profile[other][choice]
            values[index[player]] += weight * F(array[index])
        own = sum(q * v for q, v in zip(profile[player], values))
        worst = max(worst, max(values) - own)
    return worst


def support_of(profile):
    return tuple(tuple(k for k, q in enumerate(s) if q > 0) for s in profile)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(games([(2, 2, 2)], generic=False))
def test_every_grid_equilibrium_of_a_game_with_ties_is_listed_or_its_support_flagged(game):
    """Degenerate games: an equilibrium on a rational grid is either listed, or its
    support carries a continuum or is left undecided (so nothing is declared empty
    that is not)."""
    from policy.support_enumeration import enumerate_supports
    result = enumerate_supports(game)
    listed = set(result.profiles)
    flagged = {c.supports for c in result.continua} | set(result.undecided)
    for profile in grid_equilibria(game, 6):
        assert profile in listed or support_of(profile) in flagged, profile


def test_a_continuum_outside_the_simplex_does_not_make_the_answer_incomplete():
    # the followers play matching pennies; the boss's probability of `a` would have to
    # be 2 for them to be indifferent whatever they do: no such profile exists
    boss = np.array([[[3, 0], [0, 3]], [[1, 1], [1, 1]]], dtype=object)
    f1 = np.array([[[1, -1], [-1, 1]], [[2, -2], [-2, 2]]], dtype=object)
    game = NumericGame.from_arrays(boss, f1, -f1)
    result = find_equilibria(game)
    assert result.complete
    assert as_text(result) == {(("1", "0"), ("1/2", "1/2"), ("1/2", "1/2"))}


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(games(SHAPES, generic=True))
def test_many_generic_random_games_have_an_odd_number_of_equilibria(game):
    result = find_equilibria(game)
    assert result.complete and len(result) % 2 == 1


# -- pygambit as an optional oracle ------------------------------------------------------------

@pytest.mark.parametrize("name", ["g1.nfg", "g2.nfg", "2x2x2x2.nfg", "local_max_cut_2x2x2.nfg",
                                  "coord333.nfg", "nau2004_sec4.nfg", "3x3x3.nfg"])
def test_every_equilibrium_pygambit_finds_is_found(name):
    gambit = pytest.importorskip("pygambit")
    game = gambit.read_nfg(str(DATA / name))
    theirs = [[[float(eq[s]) for s in p.strategies] for p in game.players]
              for eq in gambit.nash.enumpoly_solve(game, stop_after=None).equilibria]
    ours = [[[float(p) for p in s] for s in eq.strategies] for eq in solve(DATA / name).equilibria]
    for profile in theirs:
        assert any(all(np.allclose(a, b, atol=1e-6) for a, b in zip(profile, mine))
                   for mine in ours), profile


# -- the engine's parts ---------------------------------------------------------------------

def test_support_profiles_visit_every_profile_once_smallest_first():
    shape = (2, 3, 2)
    profiles = list(support_profiles(shape))
    assert len(profiles) == len(set(profiles)) == 3 * 7 * 3
    sizes = [sum(len(s) for s in p) for p in profiles]
    assert sizes == sorted(sizes)


@pytest.mark.parametrize("players, derangements", [(2, 1), (3, 2), (4, 9), (5, 44)])
def test_bezout_number_of_two_strategy_games_counts_derangements(players, derangements):
    # McKelvey & McLennan (1997): the maximal number of totally mixed equilibria of an
    # n-player game with two strategies each is the number of derangements of n things
    assert bezout_number((2,) * players) == derangements
    assert derangements == sum(all(p[i] != i for i in range(players))
                               for p in itertools.permutations(range(players)))


def test_a_support_too_large_to_solve_is_left_undecided_and_said(monkeypatch):
    monkeypatch.setenv("POLICY_LIMIT_SUPPORT_SYSTEM_DEGREE", "1")
    result = solve(NFG / "2x2x2.nfg")
    assert not result.complete
    assert any("POLICY_LIMIT_SUPPORT_SYSTEM_DEGREE" in note for note in result.notes)
    assert len(result) == 7  # the two totally mixed ones (2 solutions generically) are left out


def test_a_work_budget_stops_the_enumeration_and_says_how_far(monkeypatch):
    monkeypatch.setenv("POLICY_LIMIT_SUPPORT_WORK", "16")  # the 8 pure profiles cost 2 each
    result = solve(NFG / "2x2x2.nfg")
    assert not result.complete and sum(eq.is_pure for eq in result) == 4
    assert len(result) <= 5  # and perhaps the logit path's end (see below)
    assert any("after 8 of 27 support profiles" in note and "POLICY_LIMIT_SUPPORT_WORK" in note
               for note in result.notes)


def test_irrational_payoffs_are_solved_as_the_floats_they_are():
    import sympy
    shape = (2, 2, 2)
    arrays = [np.zeros(shape, dtype=object) for _ in shape]
    for a, b, c in np.ndindex(shape):
        arrays[0][a, b, c] = sympy.sqrt(2) * int(a == b)
        arrays[1][a, b, c] = int(b == c)
        arrays[2][a, b, c] = int(c != a)
    game = NumericGame.from_arrays(*[a.astype(float) for a in arrays])
    result = find_equilibria(game)
    assert not result.exact and len(result) == 1
    assert regret(list(game.payoffs), result.equilibria[0].strategies) < 1e-12


# -- what users see ---------------------------------------------------------------------------

def test_solve_json_keeps_exact_irrational_strings_and_floats(tmp_path):
    out = CliRunner().invoke(cli, ["solve", str(DATA / "nau2004_sec4.nfg"), "--json",
                                    "--out", str(tmp_path)])
    assert out.exit_code == 0, out.output
    document = json.loads(out.stdout)
    (eq,) = document["equilibria"]
    assert eq["exact"]["Player 1"]["Top"] == "53/46 - sqrt(601)/46"
    assert eq["strategies"]["Player 1"]["Top"] == pytest.approx(0.6192325794725537)
    assert eq["verified_exactly"] and document["complete"]


def test_summary_of_a_game_without_pure_equilibria_lists_its_mixed_ones(tmp_path):
    out = CliRunner().invoke(cli, ["solve", str(DATA / "g3.nfg"), "--out", str(tmp_path)])
    assert out.exit_code == 0, out.output
    assert "5 equilibria (exact, complete):" in out.output
    assert "0 equilibria" not in out.output
    markdown = (tmp_path / "g3" / "solve.md").read_text()
    assert "All 5 equilibria" in markdown and "(algebraic)" in markdown


# -- past the enumeration's limits: the logit path, certified ---------------------------------

def test_past_the_limits_the_logit_path_still_finds_an_exact_equilibrium(monkeypatch):
    monkeypatch.setenv("POLICY_LIMIT_SUPPORT_WORK", "16")  # the pure profiles only
    result = solve(DATA / "g1.nfg")  # no pure equilibrium; one totally mixed, rational
    assert not result.complete
    assert [eq.strategies for eq in result.equilibria] == [
        ((F(1, 5), F(4, 5)), (F(3, 7), F(4, 7)), (F(2, 3), F(1, 3)))]
    assert result.equilibria[0].exact
    assert any("logit path" in note for note in result.notes)


def test_past_the_limits_an_irrational_equilibrium_is_certified_not_called_exact(monkeypatch):
    monkeypatch.setenv("POLICY_LIMIT_SUPPORT_WORK", "16")
    result = solve(DATA / "nau2004_sec4.nfg")
    (eq,) = result.equilibria
    assert not eq.exact and eq.verified
    expected = [0.6192325794725537, 0.4798042226776053, 0.3788253360656313]
    assert [s[0] for s in eq.strategies] == pytest.approx(expected, abs=1e-12)
    assert any("interval arithmetic proves" in note for note in result.notes)


def test_a_large_three_player_sweep_says_its_regions_count_pure_equilibria_only(tmp_path,
                                                                                 monkeypatch):
    # past n_player_sweep_points a three-player sweep counts pure equilibria only: the regions
    # must not claim "no equilibrium" where `solve` finds three mixed ones
    monkeypatch.setenv("POLICY_LIMIT_N_PLAYER_SWEEP_POINTS", "2")
    out = CliRunner().invoke(cli, ["sweep", "audit_and_entry", "--vary", "entry_subsidy=0:1/2:3",
                                   "--out", str(tmp_path)])
    assert out.exit_code == 0, out.output
    assert "no pure equilibrium (mixed ones not computed)" in out.stdout
    assert "no equilibrium\n" not in out.stdout
    markdown = (tmp_path / "audit_and_entry" / "sweep.md").read_text()
    assert "three or more players" in markdown


def test_bundled_audit_game_has_the_three_mixed_equilibria_worked_out_by_hand():
    # docs/games.md#audit_and_entry: entrant out (audit s/fine, cut k/H), in (audit
    # (s - L)/fine, cut k/((1 - m)H)), or mixing (enter 4/5, cut (E - g0)/(g - g0), audit 11/30)
    import policy
    game = policy.load("audit_and_entry")
    result = find_equilibria(game.bind({}))
    expected = {
        ((F(1, 2), F(1, 2)), (F(4, 5), F(1, 5)), (0, 1)),
        ((F(1, 3), F(2, 3)), (F(3, 5), F(2, 5)), (1, 0)),
        ((F(11, 30), F(19, 30)), (F(2, 3), F(1, 3)), (F(4, 5), F(1, 5))),
    }
    assert {eq.strategies for eq in result.equilibria} == expected and result.complete
    subsidised = find_equilibria(game.bind({"entry_subsidy": "3/2"}))
    assert [eq.strategies[2] for eq in subsidised.equilibria] == [(1, 0)]


def test_a_small_three_player_sweep_has_every_equilibrium_at_every_point():
    # the oracle: the exact engine run directly at each point of the grid
    import policy
    from policy.sweep import GridAxis, sweep
    game = policy.load("audit_and_entry")
    axis = GridAxis.parse("entry_subsidy=0:3/2:4")
    result = sweep(game, [axis])
    assert result.mixed_computed
    for k in range(axis.points):
        at_point = find_equilibria(game.bind({"entry_subsidy": str(axis.exact(k))}))
        names = {tuple(tuple(game.strategies[i][j] for j in s) for i, s in enumerate(eq.supports))
                 for eq in at_point.equilibria}
        assert set(result.supports[result.grid[k]]) == names
    assert len(set(result.supports[result.grid[0]])) == 3  # no subsidy: the three mixed ones


def test_a_sweep_point_whose_exact_answer_is_incomplete_says_so():
    # players b and c match a; a gets s when all match: at every s > 0 the equilibria with
    # all three mixing form a segment (q + r = 1), so no point's answer is complete
    out = CliRunner().invoke(cli, ["sweep", str(DATA / "segment_sweep.yaml"), "--vary", "s=1:3:3",
                                   "--no-report"])
    assert out.exit_code == 0, out.output
    assert "(may be incomplete)" in out.stdout
    from policy.sweep import GridAxis, sweep
    from policy.sweep.labels import INCOMPLETE
    game = SymbolicGame(load_game(DATA / "segment_sweep.yaml"))
    result = sweep(game, [GridAxis.parse("s=1:3:3")])
    assert all(region.label.endswith(INCOMPLETE) for region in result.regions)


def test_the_reports_phase_diagram_of_a_three_player_game_counts_mixed_equilibria():
    # audit_and_entry has no pure equilibrium: a pure-only diagram would be one region
    # "no pure equilibrium"; the report draws a grid within n_player_sweep_points instead
    import policy
    from policy.kinds import kind_of
    game = policy.load("audit_and_entry")
    kind = kind_of(game)
    grid, note = kind.report_grid(game)
    points = 1
    for axis in grid:
        points *= axis.points
    assert 0 < points <= 400 and "mixed equilibria included" in note
    result = kind.sweep(game, grid)
    assert result.mixed_computed
    # every point has an equilibrium (mixed ones counted), and every point was solved
    assert all(region.supports for region in result.regions)
    assert sum(region.points for region in result.regions) == points

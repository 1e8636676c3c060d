"""Specification of the equilibrium engine: complete, exact, verified."""

from __future__ import annotations

import warnings
from fractions import Fraction as F

import nashpy
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policy.best_response import is_best_response_profile
from policy.equilibria import find_equilibria
from policy.errors import ModelError
from policy.numeric import NumericGame


def extreme_set(result):
    """The reported equilibria as a set of exact strategy tuples."""
    return {tuple(tuple(F(p) for p in s) for s in eq.strategies) for eq in result.equilibria}


def profile(*vectors):
    return tuple(tuple(F(p) for p in v) for v in vectors)


# -- published games ----------------------------------------------------------------

def test_nashpy_issue_82_degenerate_3x5_all_eight_extreme_equilibria():
    # Players minimise in the issue, so the game we solve is (-A, -B).
    A = np.array([[0, 0, 6, 0, 0], [0, 0, 3, 2, 1], [4, 3, 0, 0, 1]])
    B = np.array([[3, 0, 2, 1, 0], [0, 2, 0, 0, 4], [4, 0, 2, 4, 4]])
    result = find_equilibria(NumericGame.from_arrays(-A, -B))
    published = {
        profile((1, 0, 0), (0, 1, 0, 0, 0)),
        profile((1, 0, 0), (0, 0, 0, 0, 1)),
        profile(("2/3", "1/3", 0), (0, 1, 0, 0, 0)),
        profile(("1/3", "1/2", "1/6"), (0, "4/9", "2/9", "1/3", 0)),
        profile((0, "1/2", "1/2"), (0, "1/2", "1/2", 0, 0)),
        profile((0, 1, 0), ("3/7", 0, "4/7", 0, 0)),
        profile((0, 1, 0), (1, 0, 0, 0, 0)),
        profile((0, 1, 0), ("3/8", 0, "1/4", "3/8", 0)),
    }
    assert extreme_set(result) == published
    assert result.degenerate is True
    assert "column has 3 pure best responses (c1, c3, c4)" in result.degeneracy_reason
    assert result.complete and result.exact
    # published costs (players minimise): J1 = 4/3, J2 = 1 at the fully mixed one
    mixed = next(eq for eq in result.equilibria if len(eq.supports[0]) == 3)
    assert mixed.payoffs == (F(-4, 3), F(-1))


def test_nashpy_issue_222_continuum_reported_as_extreme_points_and_component():
    result = find_equilibria(NumericGame.from_arrays([[-3, 3], [-3, 5]], [[2, 7], [4, 2]]))
    assert extreme_set(result) == {profile(("2/7", "5/7"), (1, 0)), profile((0, 1), (1, 0))}
    assert len(result.components) == 1
    component = result.components[0]
    assert component.equilibria == (0, 1)
    (rows, columns), = component.convex_sets
    assert set(rows) == {(F(2, 7), F(5, 7)), (F(0), F(1))} and columns == ((F(1), F(0)),)
    # every point of the segment is an equilibrium
    for t in (F(0), F(1, 3), F(1)):
        x = tuple(t * a + (1 - t) * b for a, b in zip(*rows))
        assert is_best_response_profile(result.game, (x, (F(1), F(0))))


TOLERANCE_GAME_A = [[10, 7, 4], [8, 6, 5], [11, 6, 6]]
TOLERANCE_GAME_B = [[0, 3 + F(2, 99), 5 + F(4, 99)], [0, 2 + F(2, 99), -1 + F(6, 99)],
                    [0, -2 + F(2, 99), -4 + F(4, 99)]]


def test_tolerance_game_gives_all_three_equilibria_exact_or_float():
    # nashpy's support enumeration can lose the third equilibrium here: its
    # probabilities come out as -0.0 or -1e-17 depending on the BLAS build, and an
    # exact ">= 0" test rejects the latter. We never test computed floats that way.
    floats_b = np.array([[0, 3 + 2 / 99, 5 + 4 / 99], [0, 2 + 2 / 99, -1 + 6 / 99],
                         [0, -2 + 2 / 99, -4 + 4 / 99]])
    exact = find_equilibria(NumericGame.from_arrays(TOLERANCE_GAME_A, TOLERANCE_GAME_B))
    as_floats = find_equilibria(NumericGame.from_arrays(np.array(TOLERANCE_GAME_A, float), floats_b))
    assert len(exact.equilibria) == 3 and len(as_floats.equilibria) == 3
    assert extreme_set(exact) == {
        profile(("49/99", 0, "50/99"), (0, "2/3", "1/3")),
        profile(("196/495", 0, "299/495"), ("1/2", "1/2", 0)),
        profile((0, 0, 1), (1, 0, 0)),
    }
    for eq_float, eq_exact in zip(as_floats.equilibria, exact.equilibria):
        for s_float, s_exact in zip(eq_float.strategies, eq_exact.strategies):
            assert np.allclose(s_float, [float(p) for p in s_exact], atol=1e-12)
    assert not exact.degenerate


@pytest.mark.parametrize("name, A, B, expected", [
    ("prisoners dilemma", [[3, 0], [5, 1]], [[3, 5], [0, 1]], {profile((0, 1), (0, 1))}),
    ("matching pennies", [[1, -1], [-1, 1]], [[-1, 1], [1, -1]],
     {profile(("1/2", "1/2"), ("1/2", "1/2"))}),
    ("battle of the sexes", [[3, 0], [0, 2]], [[2, 0], [0, 3]],
     {profile((1, 0), (1, 0)), profile((0, 1), (0, 1)), profile(("3/5", "2/5"), ("2/5", "3/5"))}),
    ("rock paper scissors", [[0, -1, 1], [1, 0, -1], [-1, 1, 0]],
     [[0, 1, -1], [-1, 0, 1], [1, -1, 0]], {profile(("1/3",) * 3, ("1/3",) * 3)}),
    ("chicken", [[0, -1], [1, -10]], [[0, 1], [-1, -10]],
     {profile((1, 0), (0, 1)), profile((0, 1), (1, 0)), profile(("9/10", "1/10"), ("9/10", "1/10"))}),
])
def test_textbook_games_have_their_published_equilibria(name, A, B, expected):
    result = find_equilibria(NumericGame.from_arrays(A, B))
    assert extreme_set(result) == expected, name
    assert result.complete and not result.degenerate and not result.components


def test_pareto_dominated_equilibria_are_marked():
    # stag hunt: (stag, stag) Pareto-dominates (hare, hare) and the mixed one
    result = find_equilibria(NumericGame.from_arrays([[4, 0], [3, 3]], [[4, 3], [0, 3]]))
    flags = {eq.strategies: eq.pareto_dominated for eq in result.equilibria}
    assert flags[profile((1, 0), (1, 0))] is False
    assert flags[profile((0, 1), (0, 1))] is True


def test_results_are_in_a_deterministic_order():
    game = NumericGame.from_arrays([[3, 0], [0, 2]], [[2, 0], [0, 3]])
    first = [eq.strategies for eq in find_equilibria(game).equilibria]
    assert first == [eq.strategies for eq in find_equilibria(game).equilibria]
    assert first[0] == profile((1, 0), (1, 0))


# -- n players -------------------------------------------------------------------------

def test_three_player_game_with_a_segment_of_mixed_equilibria():
    # player 1 gets 1 when all match; players 2 and 3 get 1 for matching player 1
    shape = (2, 2, 2)
    arrays = [np.zeros(shape, dtype=int) for _ in range(3)]
    for a in range(2):
        for b in range(2):
            for c in range(2):
                arrays[0][a, b, c] = int(a == b == c)
                arrays[1][a, b, c] = int(b == a)
                arrays[2][a, b, c] = int(c == a)
    result = find_equilibria(NumericGame.from_arrays(*arrays))
    assert result.method == "exact"
    found = {tuple(tuple(str(p) for p in s) for s in eq.strategies) for eq in result.equilibria}
    # pure: all match; mixed: player 1 at 1/2 and players 2, 3 with q + r = 1 (a segment, by
    # hand: player 1 is indifferent iff q·r = (1-q)(1-r)), whose ends are listed
    assert {(("1", "0"),) * 3, (("0", "1"),) * 3} <= found
    assert {(("1/2", "1/2"), ("1", "0"), ("0", "1")), (("1/2", "1/2"), ("0", "1"), ("1", "0"))} <= found
    assert all(eq.strategies[0] == (F(1, 2), F(1, 2)) and sum(eq.strategies[1][:1] + eq.strategies[2][:1]) == 1
               for eq in result.equilibria if not eq.is_pure)
    (segment,) = result.components
    assert segment.supports == ((0, 1), (0, 1), (0, 1)) and segment.convex_sets == ()
    assert not result.complete and result.degenerate
    assert any("continuum" in note for note in result.notes)


def test_three_player_game_without_pure_equilibrium_gets_its_mixed_one():
    # player 1 wants to match player 2, player 2 wants to mismatch player 1, player 3 indifferent
    arrays = [np.zeros((2, 2, 1), dtype=int) for _ in range(3)]
    for a in range(2):
        for b in range(2):
            arrays[0][a, b, 0] = int(a == b)
            arrays[1][a, b, 0] = int(a != b)
    game = NumericGame.from_arrays(*arrays)
    result = find_equilibria(game)
    assert [eq.strategies for eq in result.equilibria] == [((F(1, 2), F(1, 2)), (F(1, 2), F(1, 2)), (F(1),))]
    assert result.complete
    pure = find_equilibria(game, method="pure")
    assert pure.equilibria == () and "the game has no pure-strategy equilibrium" in pure.notes


def test_nashpy_methods_are_verified_and_flagged_incomplete():
    game = NumericGame.from_arrays([[3, 0], [0, 2]], [[2, 0], [0, 3]])
    for method in ("support", "vertex", "lemke-howson"):
        result = find_equilibria(game, method=method)
        assert not result.complete
        assert extreme_set(result) <= extreme_set(find_equilibria(game))


def test_unknown_method_and_wrong_player_count_are_model_errors():
    game = NumericGame.from_arrays([[1]], [[1]])
    with pytest.raises(ModelError, match="unknown method 'magic'"):
        find_equilibria(game, method="magic")
    three = NumericGame.from_arrays(*[np.zeros((1, 1, 1))] * 3)
    with pytest.raises(ModelError, match="needs a two-player game"):
        find_equilibria(three, method="support")


def test_irrational_payoffs_use_the_documented_float_tolerance():
    import sympy
    from policy.readers.yaml_normal_form import load_game_text
    from policy.symbolic import SymbolicGame

    spec = load_game_text("players: {r: [a, b], c: [x, y]}\npayoffs:\n"
                          "  a: {x: [sqrt(2), 0], y: [0, 1]}\n  b: {x: [0, 1], y: [1, 0]}\n")
    result = find_equilibria(SymbolicGame.from_spec(spec).bind())
    assert not result.exact and result.tolerance == 1e-9
    (eq,) = result.equilibria
    y = 1 / (1 + sympy.sqrt(2))  # row indifferent: sqrt(2) y = 1 - y
    assert abs(eq.strategies[1][0] - float(y)) < 1e-12


# -- properties --------------------------------------------------------------------------

small_games = st.integers(min_value=1, max_value=4).flatmap(
    lambda m: st.integers(min_value=1, max_value=4).flatmap(
        lambda n: st.tuples(
            st.lists(st.lists(st.integers(-3, 3), min_size=n, max_size=n), min_size=m, max_size=m),
            st.lists(st.lists(st.integers(-3, 3), min_size=n, max_size=n), min_size=m, max_size=m))))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_games)
def test_every_reported_equilibrium_is_an_exact_best_response(matrices):
    game = NumericGame.from_arrays(*matrices)
    result = find_equilibria(game)
    assert result.equilibria, "every finite game has an equilibrium"
    for eq in result.equilibria:
        assert is_best_response_profile(game, eq.strategies)
        assert all(sum(s) == 1 for s in eq.strategies)
    for component in result.components:
        for rows, columns in component.convex_sets:
            for x in rows:
                for y in columns:
                    assert is_best_response_profile(game, (x, y))


@settings(max_examples=100, deadline=None)
@given(st.integers(2, 4), st.integers(2, 4), st.integers(0, 2**32 - 1))
def test_nashpy_finds_a_subset_of_what_we_report_on_nondegenerate_games(m, n, seed):
    rng = np.random.default_rng(seed)
    A = [[F(int(v), 97) for v in row] for row in rng.integers(-500, 500, (m, n))]
    B = [[F(int(v), 89) for v in row] for row in rng.integers(-500, 500, (m, n))]
    result = find_equilibria(NumericGame.from_arrays(A, B))
    if result.degenerate:
        return
    assert len(result.equilibria) % 2 == 1  # nondegenerate games have an odd number
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = list(nashpy.Game(np.array(A, float), np.array(B, float)).support_enumeration())
    ours = [tuple(np.array(s, float) for s in eq.strategies) for eq in result.equilibria]
    for x, y in theirs:
        assert any(np.allclose(x, a, atol=1e-8) and np.allclose(y, b, atol=1e-8) for a, b in ours)


@settings(max_examples=60, deadline=None)
@given(small_games)
def test_extreme_equilibria_equal_gambit_enummixed_when_available(matrices):
    gbt = pytest.importorskip("pygambit", reason="pygambit (GPL) is an optional test oracle")
    result = find_equilibria(NumericGame.from_arrays(*matrices))
    game = gbt.Game.from_arrays(np.array(matrices[0]), np.array(matrices[1]))
    theirs = gbt.nash.enummixed_solve(game, rational=True).equilibria
    oracle = {tuple(tuple(F(eq[s]) for s in player.strategies) for player in game.players)
              for eq in theirs}
    assert extreme_set(result) == oracle

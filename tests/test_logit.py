"""The logit quantal-response path and the certificate of its end (issues 15 and 18).

Oracles are independent of ``policy.logit``/``policy.certify``: payoffs of pure
strategies are summed profile by profile here (``itertools.product``), QRE
equations and best responses are checked from those sums, exact checks use
Fractions, and pygambit's ``logit_solve`` is an optional second opinion.

Published games: McKelvey & Palfrey (1995), "Quantal response equilibria for normal
form games", *Games and Economic Behavior* 10:6–38, fit the logit QRE to O'Neill's
(1987) 4×4 card game and to Ochs's (1995) asymmetric matching pennies (section 4);
McKelvey & McLennan's 2×2×2 game with nine equilibria is Gambit's
``contrib/games/2x2x2.nfg`` (``tests/data/nfg/EXPECTED.md``).
"""

from __future__ import annotations

import importlib.util
import itertools
import math
from fractions import Fraction
from pathlib import Path

import mpmath
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policy.certify import EXACT, INTERVAL, certify, try_certify
from policy.loader import load_game
from policy.logit import CONVERGED, LAMBDA_LIMIT, STEP_LIMIT, logit_limit, logit_path
from policy.numeric import NumericGame
from policy.symbolic import SymbolicGame

DATA = Path(__file__).parent / "data" / "nfg"


# -- independent oracles --------------------------------------------------------

def strategy_payoffs(arrays, profile, player):
    """Player's payoff from each pure strategy against ``profile``, summed over
    every pure profile of the others (works with floats, Fractions, mpf)."""
    shape = np.shape(arrays[player])
    totals = [0] * shape[player]
    for pure in itertools.product(*(range(k) for k in shape)):
        weight = 1
        for m, s in enumerate(pure):
            if m != player:
                weight = weight * profile[m][s]
        totals[pure[player]] = totals[pure[player]] + weight * arrays[player][pure]
    return totals


def max_regret(game, profile):
    worst = 0.0
    for i in range(game.n_players):
        values = strategy_payoffs(game.payoffs, profile, i)
        worst = max(worst, max(values) - sum(p * v for p, v in zip(profile[i], values)))
    return worst


def is_exact_equilibrium(game, profile):
    for i in range(game.n_players):
        if any(p < 0 for p in profile[i]) or sum(profile[i]) != 1:
            return False
        values = strategy_payoffs(game.exact_payoffs, profile, i)
        if sum(p * v for p, v in zip(profile[i], values)) != max(values):
            return False
    return True


def is_float_equilibrium(game, profile, tolerance=1e-9):
    scale = max(float(np.max(np.abs(a))) for a in game.payoffs) or 1.0
    sums_ok = all(abs(sum(p) - 1) < 1e-12 and min(p) >= 0 for p in profile)
    return sums_ok and max_regret(game, profile) <= tolerance * scale


def assert_is_equilibrium(game, found):
    """What a certificate promises, checked from scratch."""
    if found.method == EXACT:
        assert game.is_exact and found.exact is not None
        assert is_exact_equilibrium(game, found.exact)
    else:
        assert found.method == INTERVAL and found.exact is None and 0 < found.radius <= 1e-10
        assert is_float_equilibrium(game, found.probabilities)
    for row, support in zip(found.probabilities, found.supports):
        assert tuple(j for j, p in enumerate(row) if p > 0) == support


def qre_residual(game, scale, lam, profile):
    """How far ``profile`` is from p_ij ∝ exp(λ v_ij / scale): the largest error in
    log(p_ij / p_ik) - λ (v_ij - v_ik) / scale, divided by 1 + λ (a probability
    error δ moves v by about δ, so this is what a point accurate to δ achieves).
    Probabilities below 1e-290 (denormal or 0 in floats, with few significant bits)
    must be ones whose exponent is that small."""
    worst = 0.0
    for i in range(game.n_players):
        values = np.array(strategy_payoffs(game.payoffs, profile, i)) / scale
        p = np.asarray(profile[i])
        live = p > 1e-290
        anchor = int(np.argmax(p))
        logs = np.log(p[live]) - np.log(p[anchor])
        exponents = lam * (values - values[anchor])
        worst = max(worst, float(np.max(np.abs(logs - exponents[live]))) / (1 + lam))
        if np.any(exponents[~live] > -650):
            return np.inf
    return worst


def game_of(*arrays):
    return NumericGame.from_arrays(*[np.asarray(a).tolist() for a in arrays])


# -- hand computations ----------------------------------------------------------

STAG_HUNT = game_of([[10, 1], [8, 5]], [[10, 8], [1, 5]])


def test_stag_hunt_the_branch_is_the_hand_computed_curve_and_ends_at_hare_hare():
    # Symmetric branch, p = P(stag) for both: v_stag - v_hare = (1 + 9p) - (5 + 3p) = 6p - 4,
    # so p = 1 / (1 + exp(-λ(6p - 4))), i.e. λ = log(p / (1 - p)) / (6p - 4): one λ for
    # each p in (0, 1/2], λ → ∞ as p → 0. The branch never turns and ends at (hare, hare).
    path = logit_path(STAG_HUNT)
    assert path.status == CONVERGED and not path.has_turning_point
    rows, columns = path.profiles
    np.testing.assert_allclose(rows, columns, atol=1e-12)
    p = rows[1:, 0]
    assert np.all(np.diff(p) < 0) and p[-1] < 1e-6
    by_hand = np.log(p / (1 - p)) / (6 * p - 4)
    np.testing.assert_allclose(path.game_lambdas[1:], by_hand, rtol=1e-7)
    limit = logit_limit(STAG_HUNT)
    assert limit.equilibrium.exact == ((0, 1), (0, 1))
    assert limit.equilibrium.method == EXACT


def test_matching_pennies_stays_uniform_all_along():
    pennies = game_of([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    path = logit_path(pennies)
    assert path.status == CONVERGED
    for profile in path.profiles:
        np.testing.assert_allclose(profile, 0.5, atol=1e-12)
    assert logit_limit(pennies).equilibrium.exact == ((Fraction(1, 2),) * 2,) * 2


# -- McKelvey & Palfrey's examples ------------------------------------------------

def test_oneill_card_game_limit_is_its_unique_equilibrium():
    # O'Neill (1987): cards 1, 2, 3, J; row wins (+5) on two jokers or two different
    # numbers. Unique equilibrium: each plays 1, 2, 3 with 1/5 and J with 2/5.
    wins = [[-5, 5, 5, -5], [5, -5, 5, -5], [5, 5, -5, -5], [-5, -5, -5, 5]]
    game = game_of(wins, -np.array(wins))
    limit = logit_limit(game)
    fifths = (Fraction(1, 5), Fraction(1, 5), Fraction(1, 5), Fraction(2, 5))
    assert limit.equilibrium.exact == (fifths, fifths)


def test_ochs_asymmetric_pennies_own_payoff_effect_and_limit():
    # Ochs (1995) game with payoff 9: Nash has row mix 1/2 and column 1/10; along the
    # whole logit branch row plays Top more than half the time and column Left at most
    # half, the "own-payoff effect" McKelvey & Palfrey explain with it.
    game = game_of([[9, 0], [0, 1]], [[0, 1], [1, 0]])
    path = logit_path(game)
    assert np.all(path.profiles[0][1:, 0] > 0.5)
    assert np.all(path.profiles[1][1:, 0] < 0.5)
    limit = logit_limit(game)
    assert limit.equilibrium.exact == ((Fraction(1, 2), Fraction(1, 2)),
                                       (Fraction(1, 10), Fraction(9, 10)))


MCKELVEY_MCLENNAN_EQUILIBRIA = [
    ((2, 5), (1, 2), (1, 3)), ((1, 2), (2, 5), (1, 4)), ((1, 2), (1, 2), (1, 1)),
    ((1, 3), (1, 1), (1, 4)), ((1, 1), (1, 1), (1, 1)), ((1, 1), (0, 1), (0, 1)),
    ((0, 1), (1, 4), (1, 3)), ((0, 1), (1, 1), (0, 1)), ((0, 1), (0, 1), (1, 1))]


def mckelvey_mclennan():
    return SymbolicGame.from_spec(load_game(DATA / "2x2x2.nfg")).bind()


def test_mckelvey_mclennan_2x2x2_limit_is_one_of_its_nine_equilibria():
    game = mckelvey_mclennan()
    limit = logit_limit(game)
    found = limit.equilibrium
    assert found is not None and is_exact_equilibrium(game, found.exact)
    listed = [tuple((Fraction(*f), 1 - Fraction(*f)) for f in eq)
              for eq in MCKELVEY_MCLENNAN_EQUILIBRIA]  # first strategy's probability each
    assert all(is_exact_equilibrium(game, eq) for eq in listed)
    assert found.exact in listed


# -- turning points -------------------------------------------------------------

#: A 3×3 game (found by search) whose principal branch turns back twice: λ rises to
#: ≈ 1.42, falls to ≈ 0.62, then rises again to infinity (Gambit's branch agrees).
TURNING = game_of([[1, 9, 1], [9, 3, 2], [7, 1, 6]], [[5, 8, 4], [2, 3, 1], [7, 1, 7]])


def test_a_branch_with_turning_points_is_followed_through_them_to_an_equilibrium():
    path = logit_path(TURNING)
    assert path.status == CONVERGED and path.has_turning_point
    lambdas = path.game_lambdas
    turn = int(np.flatnonzero(np.diff(lambdas) < 0)[0])
    assert 1.3 < lambdas[turn] < 1.5
    assert lambdas[turn:].min() < 0.7
    for k in range(path.points):  # every point is a logit QRE at its λ
        profile = [p[k] for p in path.profiles]
        assert qre_residual(TURNING, path.payoff_scale, path.lambdas[k], profile) < 1e-8
    steps = np.max(np.abs(np.diff(np.hstack(path.profiles), axis=0)), axis=1)
    assert steps.max() < 0.25  # no jump to another branch
    found = logit_limit(TURNING).equilibrium
    assert found.exact == ((1, 0, 0), (0, 1, 0))
    assert is_exact_equilibrium(TURNING, found.exact)


def test_gambit_traces_the_same_turning_branch():
    gbt = pytest.importorskip("pygambit")
    branch = gbt.qre.logit_solve_branch(gbt.Game.from_arrays(
        np.array([[1, 9, 1], [9, 3, 2], [7, 1, 6]]), np.array([[5, 8, 4], [2, 3, 1], [7, 1, 7]])))
    theirs = np.array([point.lam for point in branch])
    ours = logit_path(TURNING).game_lambdas

    def first_turn(lambdas):
        return lambdas[int(np.flatnonzero(np.diff(lambdas) < 0)[0])]
    assert first_turn(theirs) == pytest.approx(first_turn(ours), rel=0.01)


# -- the path as data, its limits and its determinism ---------------------------

def test_the_step_limit_is_a_status_never_an_equilibrium(monkeypatch):
    monkeypatch.setenv("POLICY_LIMIT_LOGIT_STEPS", "3")
    path = logit_path(TURNING)
    assert path.status == STEP_LIMIT and path.steps == 3
    assert "POLICY_LIMIT_LOGIT_STEPS" in path.message
    limit = logit_limit(TURNING)
    assert limit.equilibrium is None
    assert limit.reason == "the path did not converge: step limit reached"


def test_the_same_game_gives_the_same_path_and_lambda_ignores_the_payoff_scale():
    first, again = logit_path(TURNING), logit_path(TURNING)
    assert np.array_equal(first.lambdas, again.lambdas)
    assert all(np.array_equal(a, b) for a, b in zip(first.profiles, again.profiles))
    scaled = game_of(*(np.array(a) * 1000 + 7 for a in TURNING.payoffs))
    moved = logit_path(scaled)
    assert moved.payoff_scale == 1000 * first.payoff_scale
    np.testing.assert_allclose(moved.lambdas, first.lambdas, rtol=1e-6)


def test_a_lambda_bound_short_of_convergence_is_a_status():
    path = logit_path(STAG_HUNT, max_lambda=1.0)
    assert path.status == LAMBDA_LIMIT and not path.converged
    assert path.lambdas[-1] > 1.0 and path.regret > 1e-8


def test_tiny_and_huge_payoffs_give_the_same_certified_limit():
    for factor in (Fraction(1, 10 ** 9), Fraction(10 ** 9)):
        arrays = [np.array(a, dtype=object) * factor for a in STAG_HUNT.exact_payoffs]
        game = NumericGame.from_arrays(*[a.tolist() for a in arrays])
        assert logit_limit(game).equilibrium.exact == ((0, 1), (0, 1))


def test_a_player_with_one_strategy_is_just_part_of_the_game():
    game = game_of([[[1], [2]]], [[[0], [1]]], [[[5], [5]]])  # shape 1×2×1
    limit = logit_limit(game)
    assert limit.equilibrium.exact == ((1,), (0, 1), (1,))


def test_the_path_starts_at_uniform_play_with_lambda_zero():
    game = game_of(np.arange(12).reshape(3, 4) % 5, np.arange(12).reshape(3, 4) % 7)
    path = logit_path(game)
    assert path.lambdas[0] == 0
    np.testing.assert_allclose(path.profiles[0][0], 1 / 3)
    np.testing.assert_allclose(path.profiles[1][0], 1 / 4)


# -- certificates ---------------------------------------------------------------

def test_an_irrational_equilibrium_of_a_float_game_gets_an_interval_certificate():
    root2 = 2 ** 0.5
    game = game_of([[root2, 0], [0, 1]], [[1, 0], [0, root2]])
    found = certify(game, [(0.6, 0.4), (0.4, 0.6)])
    assert found.method == INTERVAL and found.exact is None
    with mpmath.workdps(40):
        s = mpmath.mpf(root2)  # the float payoff, exactly
        row = s / (1 + s)      # makes the column indifferent: p = s (1 - p)
        column = 1 / (1 + s)   # makes the row indifferent: s q = 1 - q
        assert abs(mpmath.mpf(found.decimals[0][0]) - row) < found.radius
        assert abs(mpmath.mpf(found.decimals[1][0]) - column) < found.radius
    assert_is_equilibrium(game, found)


def test_an_irrational_equilibrium_of_a_rational_three_player_game_is_certified():
    game = game_of([[[0, 8], [6, 5]], [[2, 4], [1, 7]]], [[[4, 0], [2, 7]], [[5, 3], [2, 0]]],
                   [[[6, 6], [5, 9]], [[9, 2], [6, 6]]])
    found = logit_limit(game).equilibrium
    assert found.method == INTERVAL and found.supports == ((0, 1),) * 3
    with mpmath.workdps(40):
        profile = [[mpmath.mpf(d) for d in row] for row in found.decimals]
        for i in range(3):
            values = strategy_payoffs(game.exact_payoffs, profile, i)
            assert abs(values[0] - values[1]) < mpmath.mpf(10) ** -25
    assert_is_equilibrium(game, found)


def test_a_certified_equilibrium_recognises_itself_in_another_methods_list():
    game = game_of([[[0, 8], [6, 5]], [[2, 4], [1, 7]]], [[[4, 0], [2, 7]], [[5, 3], [2, 0]]],
                   [[[6, 6], [5, 9]], [[9, 2], [6, 6]]])
    found = logit_limit(game).equilibrium
    assert found.method == INTERVAL
    assert found.contains(found.decimals)  # decimal strings are exact numbers
    with mpmath.workdps(60):  # the root again, from scratch: Newton on the same 3 equations
        def indifference(*q):
            profile = [(q[0], 1 - q[0]), (q[1], 1 - q[1]), (q[2], 1 - q[2])]
            return [strategy_payoffs(game.exact_payoffs, profile, i)[0]
                    - strategy_payoffs(game.exact_payoffs, profile, i)[1] for i in range(3)]
        root = mpmath.findroot(indifference, [p[0] for p in found.probabilities])
        again = [(mpmath.nstr(r, 55), mpmath.nstr(1 - r, 55)) for r in root]
    assert found.contains(again)
    moved = [(str(Fraction(row[0]) + Fraction(1, 10 ** 15)), row[1]) for row in again]
    assert not found.contains(moved)
    assert not found.contains([(1, 0), (1, 0), (1, 0)])
    pure = logit_limit(STAG_HUNT).equilibrium
    assert pure.contains([(0, 1), (0, 1)]) and not pure.contains([(1, 0), (1, 0)])


def test_a_degenerate_equilibrium_is_certified_exactly_or_not_at_all():
    # The row player is indifferent everywhere: (7/10, 3/10) against Left is one point
    # of a continuum. The support system is singular, so no interval certificate; the
    # rational game still gets its exact point, the float game nothing.
    exact = game_of([[Fraction(1, 2)] * 2] * 2, [[Fraction(3, 2), Fraction(1, 2)],
                                                 [Fraction(1, 2), Fraction(3, 2)]])
    found = certify(exact, [(0.7, 0.3), (1.0, 0.0)])
    assert found.exact == ((Fraction(7, 10), Fraction(3, 10)), (1, 0))
    floats = game_of([[0.5, 0.5], [0.5, 0.5]], [[1.5, 0.5], [0.5, 1.5]])
    assert floats.is_exact is False
    answer = try_certify(floats, [(0.7, 0.3), (1.0, 0.0)])
    assert answer.equilibrium is None and "singular" in answer.reason


def test_a_profile_far_from_every_equilibrium_is_not_certified():
    pd = game_of([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    answer = try_certify(pd, [(0.99, 0.01), (0.98, 0.02)])
    assert answer.equilibrium is None and answer.reason.startswith("no candidate support")
    assert try_certify(pd, [(0.5, 0.5)]).reason.startswith("the profile does not fit")


# -- random games ---------------------------------------------------------------

SHAPES = [(2, 2), (3, 2), (3, 3), (2, 2, 2), (3, 2, 2), (2, 2, 2, 2)]


@st.composite
def random_games(draw, exact: bool):
    shape = draw(st.sampled_from(SHAPES))
    size = math.prod(shape)
    if exact:
        numbers = st.integers(-100, 100)
    else:
        numbers = st.floats(-10, 10, allow_nan=False, allow_infinity=False, width=64)
    arrays = [np.array(draw(st.lists(numbers, min_size=size, max_size=size)),
                       dtype=object if exact else float).reshape(shape) for _ in shape]
    if not exact:
        arrays = [a + 0.25 * np.pi for a in arrays]  # non-integral: a float game
    return NumericGame.from_arrays(*[a.tolist() for a in arrays])


def check_limit(game):
    limit = logit_limit(game)
    path = limit.path
    if path.converged:
        end = [np.array(p) for p in path.end]
        assert max_regret(game, end) <= 1e-8 * path.payoff_scale * (1 + 1e-6)
    else:
        assert limit.equilibrium is None
    if limit.equilibrium is not None:
        assert_is_equilibrium(game, limit.equilibrium)
    else:
        assert limit.reason


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_games(exact=True))
def test_every_certified_limit_of_a_random_rational_game_is_an_equilibrium(game):
    check_limit(game)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_games(exact=False))
def test_every_certified_limit_of_a_random_float_game_is_an_equilibrium(game):
    check_limit(game)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_games(exact=True), st.data())
def test_certify_never_certifies_a_non_equilibrium(game, data):
    profile = []
    for k in game.shape:
        weights = data.draw(st.lists(st.integers(0, 5), min_size=k, max_size=k)
                            .filter(lambda w: sum(w) > 0))
        profile.append([w / sum(weights) for w in weights])
    found = certify(game, profile)
    if found is not None:
        assert_is_equilibrium(game, found)
        assert max(abs(a - b) for row, given in zip(found.probabilities, profile)
                   for a, b in zip(row, given)) <= 0.05


@pytest.mark.parametrize("shape", [(4, 4), (2, 2, 2), (3, 3, 2), (2, 2, 2, 2), (4, 4, 4)])
def test_the_limit_of_generic_games_is_certified_every_time(shape):
    rng = np.random.default_rng(sum(shape) * 1000 + len(shape))
    for _ in range(6):
        game = game_of(*(rng.normal(size=shape) for _ in shape))
        limit = logit_limit(game)
        assert limit.path.converged
        assert limit.equilibrium is not None, limit.reason
        assert_is_equilibrium(game, limit.equilibrium)
        for k in range(0, limit.path.points, 7):
            profile = [p[k] for p in limit.path.profiles]
            assert qre_residual(game, limit.path.payoff_scale, limit.path.lambdas[k],
                                profile) < 1e-8


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.booleans(), st.data())
def test_slow_many_random_limits_are_equilibria(exact, data):
    check_limit(data.draw(random_games(exact=exact)))


# -- pygambit as an optional oracle ---------------------------------------------

def gambit_limit(game):
    gbt = pytest.importorskip("pygambit")
    arrays = [np.array(a, dtype=int) for a in game.payoffs]
    g = gbt.Game.from_arrays(*arrays)
    profile = gbt.nash.logit_solve(g).equilibria[0]
    return [[float(profile[s]) for s in player.strategies] for player in g.players]


@pytest.mark.parametrize("seed", range(4))
def test_the_limit_agrees_with_gambits_logit_solve(seed):
    pytest.importorskip("pygambit")
    rng = np.random.default_rng(seed)
    shape = [(3, 3), (2, 2, 2), (3, 2, 2), (2, 2, 2, 2)][seed]
    game = game_of(*(rng.integers(-20, 21, size=shape) for _ in shape))
    ours = logit_limit(game).equilibrium
    theirs = gambit_limit(game)
    assert ours is not None
    assert np.max(np.abs(np.hstack(ours.probabilities) - np.hstack(theirs))) < 1e-4


def test_past_the_bifurcation_where_gambit_stops_the_path_reaches_an_equilibrium():
    # Players 1 and 2 are indifferent whenever the other mixes 1/2, so the branch keeps
    # p1 = p2 = 1/2; at λ ≈ 0.64 (game units) another branch crosses it (the orientation
    # flips). pygambit 16.7's logit_solve stops near there, at a profile whose regret is
    # about 0.21 (not an equilibrium); our path keeps its direction and ends at
    # (1/2, 1/2), (1/2, 1/2), (1, 0), an equilibrium, and reports the bifurcation.
    game = mckelvey_mclennan()
    limit = logit_limit(game)
    (crossing,) = limit.path.bifurcations
    assert crossing / limit.path.payoff_scale == pytest.approx(0.64, abs=0.05)
    half = (Fraction(1, 2), Fraction(1, 2))
    assert limit.equilibrium.exact == (half, half, (1, 0))
    assert logit_path(TURNING).bifurcations == () and logit_path(STAG_HUNT).bifurcations == ()
    if importlib.util.find_spec("pygambit") is None:
        return
    theirs = gambit_limit(game)
    if max_regret(game, [np.array(p) for p in theirs]) <= 1e-6:  # a later Gambit may pass it
        assert np.max(np.abs(np.hstack(limit.equilibrium.probabilities) - np.hstack(theirs))) < 1e-4


def test_the_example_in_the_docs_runs():
    import doctest
    docs = Path(__file__).parent.parent / "docs" / "logit.md"
    result = doctest.testfile(str(docs), module_relative=False, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0

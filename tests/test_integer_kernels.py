"""Integer sweep kernels: every grid point decided exactly in int64 equals the exact engine."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from policy.sweep.integer_kernel import integer_form, support_pair, vertex_bases
from policy.sweep import GridAxis, sweep
from policy.sweep.compiled import integer_payoffs
from test_sweep import (assert_matches_exact_engine, engine, float_kernel, labels_per_point, random_game,
                        two_by_two)

pytest.importorskip("numba", reason="numba is optional: without it sweeps use the numpy path")


def integer_sweep(game, axes, mixed=True, **options):
    """A sweep that must go through the integer kernels."""
    current = tuple(game.values_with({}).items())
    two = len(game.players) == 2 and mixed
    assert integer_payoffs(game, tuple(a.name for a in axes), current, tuple(axes), two) is not None
    with engine("numba"):
        return sweep(game, axes, mixed=mixed, **options)


GRID = [GridAxis.parse("s=-2:2:9"), GridAxis.parse("t=-1:1:5")]   # ties at s = 0, t = 0, …


@settings(max_examples=80, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from([(2, 2), (2, 3), (3, 2), (3, 3), (2, 4)]))
def test_all_equilibria_equal_the_exact_engine_on_random_games(seed, shape):
    game = random_game(seed, shape, spread=1)   # coefficients in {-1, 0, 1}: many ties
    with engine("numba"):
        result = assert_matches_exact_engine(game, GRID)
    assert labels_per_point(result) == labels_per_point(integer_sweep(game, GRID))


@settings(max_examples=6, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from([(4, 4), (3, 4)]))
def test_larger_games_use_four_by_four_determinants_and_several_code_words(seed, shape):
    game = random_game(seed, shape, spread=1)
    axes = [GridAxis.parse("s=-1:1:5"), GridAxis.parse("t=0:1:3")]
    form = integer_payoffs(game, ("s", "t"), tuple(game.values_with({}).items()), tuple(axes), True)
    assert form.words == (4 if shape == (4, 4) else 2)
    with engine("numba"):
        assert_matches_exact_engine(game, axes)


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from([(2, 2, 2), (3, 2, 2), (2, 3)]))
def test_pure_equilibria_equal_the_exact_engine_with_any_number_of_players(seed, shape):
    game = random_game(seed, shape)
    pure = integer_sweep(game, GRID, mixed=False)
    with engine("numpy"):
        assert labels_per_point(pure) == labels_per_point(sweep(game, GRID, mixed=False))
        assert pure.degenerate_points == sweep(game, GRID, mixed=False).degenerate_points
    if len(shape) > 2:
        with engine("numba"):
            assert_matches_exact_engine(game, GRID)


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 2**32 - 1), st.booleans())
def test_polynomials_of_higher_degree_are_exact_too(seed, mixed):
    # degree 2 in the last axis: the pure kernel evaluates point by point instead of by intervals
    game = random_game(seed, (2, 3), terms=("1", "s", "t", "s*t", "t**2", "s**2"))
    axes = [GridAxis.parse("s=-1:1:7"), GridAxis.parse("t=-3/2:3/2:7")]
    result = integer_sweep(game, axes, mixed=mixed)
    with engine("numpy"):
        assert labels_per_point(result) == labels_per_point(sweep(game, axes, mixed=mixed))


def test_the_integer_and_float_kernels_agree_on_a_fine_grid_with_chunks_and_partial_rows():
    game = random_game(5, (3, 3), terms=("1", "s", "t"), spread=4)
    axes = [GridAxis.parse("s=-2:2:61"), GridAxis.parse("t=-1:1:41")]
    exact = integer_sweep(game, axes, chunk=97)    # chunks end inside grid rows
    with engine("numba"), float_kernel():
        floating = sweep(game, axes)
    assert labels_per_point(exact) == labels_per_point(floating)
    assert exact.degenerate_points == floating.degenerate_points
    # every point the float kernel found doubtful but the integer kernel calls generic is not
    # degenerate by the exact engine either (the float test is conservative)
    assert exact.exact_points <= floating.exact_points


@pytest.mark.parametrize("path", ["integer", "numpy"])
def test_chunks_write_the_same_grid_as_one_chunk(path):
    # chunks meet their labels in different orders: each is renumbered into the merged labels
    game = random_game(5, (3, 3), terms=("1", "s", "t"), spread=4)
    axes = [GridAxis.parse("s=-2:2:31"), GridAxis.parse("t=-1:1:21")]
    run = integer_sweep if path == "integer" else sweep
    with engine("numba" if path == "integer" else "numpy"):
        whole, chunked = run(game, axes), run(game, axes, chunk=53)
    assert chunked.labels == whole.labels and chunked.supports == whole.supports
    assert np.array_equal(chunked.grid, whole.grid)
    assert (chunked.degenerate_points, chunked.exact_points) == (whole.degenerate_points,
                                                                 whole.exact_points)


def test_three_axes_and_one_axis():
    game = random_game(9, (2, 2), terms=("1", "s", "t"))
    with engine("numba"):
        assert_matches_exact_engine(game, [GridAxis.parse("s=-1:1:5")])
        three = two_by_two("three", "{s: 0, t: 0, u: 0}", '{left: ["s - u", "t"], right: ["u", "1 - s"]}',
                           '{left: ["t + u", "s*u"], right: ["1/2", "t - 1/3"]}')
        assert_matches_exact_engine(three, [GridAxis.parse("s=-1:1:3"), GridAxis.parse("t=0:1:4"),
                                            GridAxis.parse("u=-1:1:5")])


def test_payoffs_outside_int64_or_not_polynomial_fall_back_to_the_float_kernel():
    s, t = sympy.symbols("s t")
    axes = [(Fraction(0), Fraction(1), 11), (Fraction(0), Fraction(1), 11)]
    assert integer_form([sympy.sqrt(s + 1), t], [s, t], (2,), axes) is None
    assert integer_form([1 / (s + 1), t], [s, t], (2,), axes) is None
    assert integer_form([sympy.Float(0.1) * s, t], [s, t], (2,), axes) is None
    assert integer_form([sympy.Integer(10) ** 19 * s + sympy.Rational(1, 3), t], [s, t], (2,), axes) is None
    assert integer_form([s ** 9, t], [s, t], (2,), axes) is None          # degree above MAX_DEGREE
    # the vertex kernel needs k·k!·M^k < 2**62: fine for pure equilibria, not for mixed
    big = [sympy.Integer(10) ** 8 * s + sympy.Rational(1, 3)] * 18
    assert integer_form(big, [s, t], (3, 3), axes) is not None
    assert integer_form(big, [s, t], (3, 3), axes, mixed=True) is None
    huge = two_by_two("huge", "{s: 0, t: 0}", '{left: ["10**40*s", "t"], right: ["10**40*t + 1/7", "1 - s"]}',
                      '{left: ["t", "s*t"], right: ["1/2", "t - 1/3"]}')
    assert integer_payoffs(huge, ("s", "t"), tuple(huge.values_with({}).items()), tuple(GRID), True) is None
    with engine("numba"):
        assert_matches_exact_engine(huge, GRID)


def test_integer_form_scales_each_player_separately_and_divides_out_common_factors():
    s = sympy.Symbol("s")
    form = integer_form([s / 3, 6 * s, sympy.Rational(1, 6), sympy.Integer(4)], [s], (2, 1),
                        [(Fraction(0), Fraction(1), 3)])
    # s = i/2: player 0 has i/6 and 1/6 → ×6: i, 1; player 1 has 3i and 4 (gcd 1)
    assert form.coefficients.tolist() == [[0, 1], [0, 3], [1, 0], [4, 0]]
    assert form.bounds == (2, 6)


def test_support_bits_cover_every_pair_of_supports_once():
    pairs = {support_pair(bit, 3) for bit in range(7 * 7)}
    assert len(pairs) == 49 and ((0, 1, 2), (0, 1, 2)) in pairs
    assert len(vertex_bases(3, 3)) == 19 and len(vertex_bases(4, 4)) == 69

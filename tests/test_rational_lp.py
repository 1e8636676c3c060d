"""The exact simplex of policy.rational_lp against sympy's rational simplex (the oracle),
and against the definition: an optimal point is feasible and nothing feasible is better."""

from __future__ import annotations

from fractions import Fraction

import pytest
import scipy.optimize
from hypothesis import given, settings, strategies as st

from policy.rational_lp import INFEASIBLE, OPTIMAL, UNBOUNDED, maximize

small = st.integers(-4, 4).map(Fraction) | st.fractions(-3, 3, max_denominator=4)


@st.composite
def programmes(draw):
    n = draw(st.integers(1, 4))
    m = draw(st.integers(1, 6))
    objective = draw(st.lists(small, min_size=n, max_size=n))
    rows = draw(st.lists(st.lists(small, min_size=n, max_size=n), min_size=m, max_size=m))
    bounds = draw(st.lists(small, min_size=m, max_size=m))
    return objective, rows, bounds


def highs_answer(objective, rows, bounds):
    """The same programme in floating point (scipy's HiGHS): an independent oracle.
    (sympy 1.14's rational simplex is not one: its ``linprog`` with free variables calls
    ``x/4 <= -1`` infeasible, and its ``lpmax`` has returned points that break a
    constraint; both bugs are tested below against this module.)"""
    result = scipy.optimize.linprog([-float(c) for c in objective],
                                    A_ub=[[float(v) for v in row] for row in rows],
                                    b_ub=[float(b) for b in bounds],
                                    bounds=[(None, None)] * len(objective), method="highs")
    status = {0: OPTIMAL, 2: INFEASIBLE, 3: UNBOUNDED}[result.status]
    return status, (-result.fun if status == OPTIMAL else None)


@settings(max_examples=300, deadline=None)
@given(programmes())
def test_status_and_optimum_equal_highs(programme):
    result = maximize(*programme)
    status, value = highs_answer(*programme)
    assert result.status == status
    if status == OPTIMAL:
        assert float(result.value) == pytest.approx(value, rel=1e-9, abs=1e-9)


@settings(max_examples=200, deadline=None)
@given(programmes())
def test_an_optimal_point_is_feasible_and_attains_the_value(programme):
    objective, rows, bounds = programme
    result = maximize(objective, rows, bounds)
    if result.status != OPTIMAL:
        return
    for row, bound in zip(rows, bounds):
        assert sum(a * x for a, x in zip(row, result.point)) <= bound
    assert sum(c * x for c, x in zip(objective, result.point)) == result.value


def test_degenerate_vertices_do_not_cycle():
    # Beale's classic cycling example (for the textbook rule; Bland's rule ends)
    objective = [Fraction(3, 4), -150, Fraction(1, 50), -6]
    rows = [[Fraction(1, 4), -60, Fraction(-1, 25), 9], [Fraction(1, 2), -90, Fraction(-1, 50), 3],
            [0, 0, 1, 0], [-1, 0, 0, 0], [0, -1, 0, 0], [0, 0, -1, 0], [0, 0, 0, -1]]
    bounds = [0, 0, 1, 0, 0, 0, 0]
    result = maximize(objective, rows, bounds)
    assert result.status == OPTIMAL and result.value == Fraction(1, 20)


def test_equal_rows_and_a_redundant_artificial_row():
    # x >= 1 written twice and x <= 1: the artificial rows are redundant at level 0
    result = maximize([1], [[-1], [-1], [1]], [-1, -1, 1])
    assert result.status == OPTIMAL and result.point == (Fraction(1),)


def test_a_negative_free_variable_is_found():
    # x/4 <= -1: x = -4 maximises x/2 (sympy 1.14's linprog calls this infeasible)
    result = maximize([Fraction(1, 2)], [[Fraction(1, 4)]], [-1])
    assert (result.status, result.value, result.point) == (OPTIMAL, -2, (Fraction(-4),))


def test_an_infeasible_programme_where_sympys_lpmax_returns_a_point():
    # sympy 1.14's lpmax answers 69/146 at (-37/73, 35/146, -14/73), which breaks row 4
    F = Fraction
    rows = [[3, -1, 2], [-1, -4, F(1, 4)], [F(1, 2), F(1, 2), -2], [F(1, 4), F(-1, 2), F(3, 2)],
            [-3, 2, 0], [2, F(-3, 2), F(3, 2)]]
    bounds = [4, F(-1, 2), F(1, 4), -1, 2, F(-1, 3)]
    assert maximize([F(-3, 2), -2, -1], rows, bounds).status == INFEASIBLE
    assert highs_answer([F(-3, 2), -2, -1], rows, bounds)[0] == INFEASIBLE


def test_rows_must_match_the_objective():
    with pytest.raises(ValueError, match="one coefficient per variable"):
        maximize([1, 2], [[1]], [0])

"""cheapest_implementation against an independent exact computation (issue 13, item 7).

The same LP — controls in their bounds, every deviation from the target losing at
least the margin, minimum cost — is solved here by brute force in Fractions: every
choice of n tight constraints among the incentive constraints and the bounds is
solved exactly, infeasible points are dropped, and the cheapest vertex is the optimum
(the controls are bounded, so an optimum, if any, is at a vertex).
"""

from __future__ import annotations

import itertools
from fractions import Fraction as F

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policy.readers.yaml_normal_form import load_game_text
from policy.optimize import DEFAULT_MARGIN, cheapest_implementation
from policy.symbolic import SymbolicGame

SHAPES = [(2, 2), (2, 3), (3, 3), (2, 2, 2)]


@st.composite
def affine_games(draw):
    shape = draw(st.sampled_from(SHAPES))
    controls = [f"t{k}" for k in range(draw(st.integers(1, 2)))]
    bounds = {c: (0, draw(st.integers(1, 6))) for c in controls}
    costs = {c: F(draw(st.integers(1, 4)), draw(st.integers(1, 3))) for c in controls}
    profiles = list(itertools.product(*(range(k) for k in shape)))
    small = st.integers(-4, 4)
    payoff = {(k, i): (F(draw(small), draw(st.integers(1, 2))),
                       tuple(F(draw(st.integers(-2, 2))) for _ in controls))
              for k in range(len(profiles)) for i in range(len(shape))}
    target = draw(st.sampled_from(profiles))
    robust = draw(st.sampled_from(["nash", "strict"]))
    return shape, controls, bounds, costs, payoff, target, robust


def game_text(shape, controls, bounds, costs, payoff) -> str:
    players = [f"p{i}" for i in range(len(shape))]
    strategies = [[f"s{i}{k}" for k in range(n)] for i, n in enumerate(shape)]
    lines = ["players:"] + [f"  {p}: [{', '.join(s)}]" for p, s in zip(players, strategies)]
    lines.append("controls:")
    lines += [f"  {c}: {{value: 0, bounds: [{bounds[c][0]}, {bounds[c][1]}], cost: {costs[c]}}}"
              for c in controls]
    lines.append("payoffs:")
    written = set()
    for k, profile in enumerate(itertools.product(*(range(n) for n in shape))):
        for depth in range(len(shape) - 1):  # open each nesting level once
            if profile[:depth + 1] not in written:
                written.add(profile[:depth + 1])
                lines.append("  " * (depth + 1) + f"{strategies[depth][profile[depth]]}:")
        cells = []
        for i in range(len(shape)):
            constant, coefficients = payoff[(k, i)]
            cells.append(" + ".join([f"({constant})"] + [f"({a})*{c}" for a, c in
                                                         zip(coefficients, controls) if a]))
        lines.append("  " * len(shape) + f"{strategies[-1][profile[-1]]}: [{', '.join(cells)}]")
    return "\n".join(lines) + "\n"


def brute_force_cost(shape, controls, bounds, costs, payoff, target, margin):
    """Minimum cost over all exact vertices of the LP, or None when it is infeasible."""
    profiles = list(itertools.product(*(range(k) for k in shape)))
    index = {p: k for k, p in enumerate(profiles)}
    rows = []  # (a, b): a·t >= b
    for i in range(len(shape)):
        for d in range(shape[i]):
            if d == target[i]:
                continue
            away = list(target)
            away[i] = d
            (c_at, a_at), (c_away, a_away) = payoff[(index[target], i)], payoff[(index[tuple(away)], i)]
            rows.append(([x - y for x, y in zip(a_at, a_away)], margin - (c_at - c_away)))
    for k, c in enumerate(controls):
        unit = [F(int(j == k)) for j in range(len(controls))]
        rows.append((unit, F(bounds[c][0])))
        rows.append(([-x for x in unit], -F(bounds[c][1])))
    n = len(controls)
    best = None
    for chosen in itertools.combinations(rows, n):
        point = solve(chosen, n)
        if point is None or any(sum(x * y for x, y in zip(a, point)) < b for a, b in rows):
            continue
        cost = sum(costs[c] * v for c, v in zip(controls, point))
        best = cost if best is None else min(best, cost)
    return best


def solve(chosen, n):
    matrix = [list(a) + [b] for a, b in chosen]
    for col in range(n):
        pivot = next((r for r in range(col, n) if matrix[r][col]), None)
        if pivot is None:
            return None
        matrix[col], matrix[pivot] = matrix[pivot], matrix[col]
        for r in range(n):
            if r != col and matrix[r][col]:
                f = matrix[r][col] / matrix[col][col]
                matrix[r] = [x - f * y for x, y in zip(matrix[r], matrix[col])]
    return [matrix[k][n] / matrix[k][k] for k in range(n)]


def check(example) -> None:
    shape, controls, bounds, costs, payoff, target, robust = example
    game = SymbolicGame.from_spec(load_game_text(game_text(shape, controls, bounds, costs, payoff),
                                                 path="random.yaml"))
    names = {p: game.strategies[i][s] for i, (p, s) in enumerate(zip(game.players, target))}
    result = cheapest_implementation(game, names, robust=robust)
    margin = F(0) if robust == "nash" else DEFAULT_MARGIN
    expected = brute_force_cost(shape, controls, bounds, costs, payoff, target, margin)
    assert result.cost == expected, (result, expected)
    if expected is not None:
        assert all(isinstance(v, F) for v in result.controls.values())
        assert result.verified, result.verification


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(affine_games())
def test_cheapest_implementation_equals_brute_force_vertex_enumeration(example):
    check(example)


@pytest.mark.slow
@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(affine_games())
def test_cheapest_implementation_equals_brute_force_on_500_games(example):
    check(example)

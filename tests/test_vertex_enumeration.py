"""Specification of the exact pivoting engine (issue 19): every vertex of a
best-response polytope, degenerate ones included, and from them the same
equilibria, components and degeneracy reasons as solving every linear system."""

from __future__ import annotations

import itertools
import warnings
from fractions import Fraction as F
from pathlib import Path

import nashpy
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policy
from policy.equilibria import _two_player_exact, find_equilibria
from policy.numeric import NumericGame
from policy import vertex_enumeration
from policy.vertex_enumeration import face_vertices, polytope_vertices

NFG = Path(__file__).parent / "data" / "nfg"


# -- an independent oracle: every square system, solved with Fractions -----------------

def brute_force_vertices(M) -> set[tuple[F, ...]]:
    """The non-zero vertices of {z >= 0 : Mᵀz <= 1}: for every support S and every
    set T of |S| constraints, the solution of M[S, T]ᵀ z_S = 1 if it is unique and
    feasible."""
    k, l = len(M), len(M[0])
    found = set()
    for size in range(1, min(k, l) + 1):
        for S in itertools.combinations(range(k), size):
            for T in itertools.combinations(range(l), size):
                matrix = [[F(M[i][j]) for i in S] for j in T]
                z = gauss(matrix, [F(1)] * size)
                if z is None or min(z) < 0:
                    continue
                point = [F(0)] * k
                for i, v in zip(S, z):
                    point[i] = v
                if all(sum(point[i] * M[i][j] for i in range(k)) <= 1 for j in range(l)):
                    found.add(tuple(point))
    return found


def gauss(matrix, rhs):
    n = len(rhs)
    rows = [row + [b] for row, b in zip(matrix, rhs)]
    for col in range(n):
        pivot = next((r for r in range(col, n) if rows[r][col]), None)
        if pivot is None:
            return None
        rows[col], rows[pivot] = rows[pivot], rows[col]
        for r in range(n):
            if r != col and rows[r][col]:
                factor = rows[r][col] / rows[col][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[col])]
    return [rows[i][n] / rows[i][i] for i in range(n)]


def exact_points(enumeration) -> set[tuple[F, ...]]:
    return {tuple(F(v, vertex.scale) for v in vertex.point) for vertex in enumeration.vertices}


positive_matrices = st.integers(1, 4).flatmap(lambda k: st.integers(1, 4).flatmap(
    lambda l: st.lists(st.lists(st.integers(1, 3), min_size=l, max_size=l),
                       min_size=k, max_size=k)))


# -- the vertices ----------------------------------------------------------------------

@settings(max_examples=200, deadline=None)
@given(positive_matrices)
def test_pivoting_finds_every_vertex_of_degenerate_polytopes(M):
    result = polytope_vertices(M, max_bases=10**6)
    assert result.complete
    assert exact_points(result) == brute_force_vertices(M)
    for vertex in result.vertices:
        z = [F(v, vertex.scale) for v in vertex.point]
        assert vertex.zeros == {i for i, v in enumerate(z) if v == 0}
        assert vertex.tight == {j for j in range(len(M[0]))
                                if sum(z[i] * M[i][j] for i in range(len(M))) == 1}


def test_a_degenerate_vertex_reached_by_several_bases_is_listed_once():
    # every constraint of the triangle's corner (1, 0) is tight: three bases, one vertex
    result = polytope_vertices([[1, 1, 1], [1, 0, 0]], max_bases=100)
    assert sorted(exact_points(result)) == [(0, 1), (1, 0)]
    assert result.bases > len(result.vertices) + 1


def test_the_work_bound_stops_the_search_and_says_so():
    M = [[3, 1, 2, 5], [1, 4, 2, 2], [2, 2, 5, 1], [4, 1, 1, 3]]
    full = polytope_vertices(M, max_bases=10**6)
    for bound in range(1, full.bases):
        part = polytope_vertices(M, max_bases=bound)
        assert not part.complete and part.bases == bound
        assert exact_points(part) <= exact_points(full)
    assert polytope_vertices(M, max_bases=full.bases).complete


@settings(max_examples=100, deadline=None)
@given(positive_matrices, st.data())
def test_a_face_has_the_polytopes_vertices_that_lie_on_it(M, data):
    k, l = len(M), len(M[0])
    allowed = data.draw(st.lists(st.integers(0, k - 1), unique=True))
    tight = frozenset(data.draw(st.lists(st.integers(0, l - 1), unique=True)))
    face = face_vertices(M, allowed, tight, max_bases=10**6)
    expected = {z for z in brute_force_vertices(M)
                if all(z[i] == 0 for i in range(k) if i not in allowed)
                and all(sum(z[i] * M[i][j] for i in range(k)) == 1 for j in tight)}
    assert face.complete and exact_points(face) == expected


# -- the equilibria: the same as solving every system ---------------------------------

tie_games = st.integers(1, 5).flatmap(lambda m: st.integers(1, 5).flatmap(
    lambda n: st.tuples(*[st.lists(st.lists(st.integers(-2, 2), min_size=n, max_size=n),
                                   min_size=m, max_size=m)] * 2)))


def assert_same_as_every_system(game):
    pivoting = _two_player_exact(game)
    every_system = _two_player_exact(game, every_system=True)
    assert pivoting[4], "complete"
    # equilibria, components (maximal convex sets), degeneracy flag and its reason
    assert pivoting[:4] == every_system[:4]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tie_games)
def test_degenerate_games_have_the_same_equilibria_components_and_reason(matrices):
    assert_same_as_every_system(NumericGame.from_arrays(*matrices))


@pytest.mark.slow
@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(1, 7).flatmap(lambda m: st.integers(1, 7).flatmap(
    lambda n: st.tuples(*[st.lists(st.lists(st.integers(-3, 3), min_size=n, max_size=n),
                                   min_size=m, max_size=m)] * 2))))
def test_larger_degenerate_games_have_the_same_answers_as_every_system(matrices):
    assert_same_as_every_system(NumericGame.from_arrays(*matrices))


@pytest.mark.parametrize("name", sorted(p.name for p in NFG.glob("*.nfg")))
def test_gambit_corpus_files_have_the_same_answers(name):
    game = policy.load(NFG / name).bind()
    if game.n_players == 2:
        assert_same_as_every_system(game)


@pytest.mark.parametrize("shape", [(3, 7), (7, 3), (4, 4), (2, 9)])
def test_nondegenerate_games_equal_nashpy_vertex_enumeration(shape):
    rng = np.random.default_rng(sum(shape))
    A = [[F(int(v), 97) for v in row] for row in rng.integers(-10**6, 10**6, shape)]
    B = [[F(int(v), 89) for v in row] for row in rng.integers(-10**6, 10**6, shape)]
    result = find_equilibria(NumericGame.from_arrays(A, B))
    assert result.degenerate is False and result.complete
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = list(nashpy.Game(np.array(A, float), np.array(B, float)).vertex_enumeration())
    ours = [np.concatenate([np.array(s, float) for s in eq.strategies]) for eq in result]
    assert len(theirs) == len(ours)
    for x, y in theirs:
        assert any(np.allclose(np.concatenate([x, y]), o, atol=1e-9) for o in ours)


@settings(max_examples=100, deadline=None)
@given(tie_games)
def test_swapping_the_players_swaps_the_answer(matrices):
    # the engine enumerates the polytope of the player with fewer strategies: swapping
    # the players changes which one, and must change nothing else
    A, B = (np.array(a, dtype=object) for a in matrices)
    result = find_equilibria(NumericGame.from_arrays(A, B))
    swapped = find_equilibria(NumericGame.from_arrays(B.T, A.T))
    assert sorted(eq.strategies[::-1] for eq in swapped) == sorted(eq.strategies for eq in result)
    assert bool(swapped.degenerate) == bool(result.degenerate)


def random_game(shape, seed=1):
    rng = np.random.default_rng(seed)
    return NumericGame.from_arrays(rng.integers(-20, 21, shape), rng.integers(-20, 21, shape))


def test_gambit_enummixed_agrees_on_a_random_8x8_game():
    gbt = pytest.importorskip("pygambit", reason="pygambit (GPL) is an optional test oracle")
    game = random_game((8, 8))
    A, B = game.exact_payoffs
    theirs = gbt.nash.enummixed_solve(
        gbt.Game.from_arrays(np.array(A, dtype=int), np.array(B, dtype=int)),
        rational=True).equilibria
    oracle = sorted(tuple(tuple(F(eq[s]) for s in player.strategies)
                          for player in eq.game.players) for eq in theirs)
    assert sorted(eq.strategies for eq in find_equilibria(game)) == oracle


# -- auto stays complete; the work limit -------------------------------------------------

def test_auto_is_complete_on_games_the_former_engine_gave_up_on():
    # 12×12 and 5×50 had more than MAX_EXACT_SYSTEMS systems: Lemke–Howson, incomplete
    for shape in [(12, 12), (5, 50)]:
        result = find_equilibria(random_game(shape, seed=sum(shape)))
        assert result.method == "exact" and result.complete and result.exact
        assert not any("Lemke" in note for note in result.notes)


def test_past_the_work_limit_the_result_says_how_far_it_got(monkeypatch):
    game = random_game((6, 6))
    full = find_equilibria(game)
    monkeypatch.setenv("POLICY_LIMIT_EXACT_BASES", "20")
    part = find_equilibria(game)
    assert not part.complete and part.method == "exact"
    (note,) = [n for n in part.notes if "work limit" in n]
    assert note.startswith("the exact enumeration stopped at its work limit after 20 bases "
                           "(POLICY_LIMIT_EXACT_BASES is 20): ")
    assert f"and {len(part.equilibria)} extreme equilibri" in note
    assert note.endswith(" found so far, so other equilibria may exist; "
                         "set POLICY_LIMIT_EXACT_BASES to raise this limit")
    assert {eq.strategies for eq in part} <= {eq.strategies for eq in full}


def test_a_degeneracy_check_past_its_limit_is_reported_as_not_checked(monkeypatch):
    rng = np.random.default_rng(3)
    A = [[F(int(v), 97) for v in row] for row in rng.integers(-500, 500, (4, 4))]
    B = [[F(int(v), 89) for v in row] for row in rng.integers(-500, 500, (4, 4))]
    game = NumericGame.from_arrays(A, B)
    assert find_equilibria(game).degenerate is False
    monkeypatch.setenv("POLICY_LIMIT_DEGENERACY_BASES", "2")
    result = find_equilibria(game)
    assert result.complete and result.degenerate is None
    assert result.degeneracy_reason == (
        "not checked: column's best-response polytope has more than 2 bases "
        "(set POLICY_LIMIT_DEGENERACY_BASES to raise this limit)")


def test_the_12x12_game_of_issue_19_has_all_42_equilibria():
    # payoffs in [-20, 20] from numpy's default_rng(1), drawn for 6×6, 8×8, 10×10 first;
    # pygambit's enummixed (299 s) and lrsnash both find 42; the former engine gave 7
    rng = np.random.default_rng(1)
    for size in (6, 8, 10, 12):
        A, B = rng.integers(-20, 21, (size, size)), rng.integers(-20, 21, (size, size))
    result = find_equilibria(NumericGame.from_arrays(A, B))
    assert result.complete and result.method == "exact" and len(result.equilibria) == 42


# -- the compiled int64 kernel: the same search as Python integers ------------------------

needs_numba = pytest.mark.skipif(not vertex_enumeration._HAVE_NUMBA, reason="numba not installed")


def search_log(M, engine, partner=None, max_bases=10**6):
    """Everything a search shows: each vertex visited, in order, and its counts."""
    seen = []
    search = vertex_enumeration.search_vertices(
        M, max_bases, lambda v, left: seen.append((v.point, v.scale, v.zeros, v.tight)) or 0,
        partner=partner, engine=engine)
    return search, seen


def same_search(M, partner=None, max_bases=10**6):
    ours, our_log = search_log(M, "compiled", partner, max_bases)
    theirs, their_log = search_log(M, "python", partner, max_bases)
    assert our_log == their_log
    assert (ours.bases, ours.complete, ours.vertices, ours.skipped) == \
        (theirs.bases, theirs.complete, theirs.vertices, theirs.skipped)
    return ours


def matrices(entries, size=6):
    return st.integers(1, size).flatmap(lambda k: st.integers(1, size).flatmap(
        lambda l: st.tuples(*[st.lists(st.lists(entries, min_size=b, max_size=b),
                                       min_size=a, max_size=a) for a, b in ((k, l), (l, k))])))


@needs_numba
@settings(max_examples=150, deadline=None)
@given(matrices(st.integers(1, 3)), st.booleans(), st.integers(1, 60))
def test_the_compiled_kernel_pivots_like_python_integers_on_degenerate_polytopes(pair, pruned,
                                                                                 bound):
    # small entries: many ties, so the lexicographic rule decides most pivots
    M, partner = pair
    search = same_search(M, partner if pruned else None)
    assert search.engine == "compiled"
    same_search(M, partner if pruned else None, max_bases=bound)  # stopped at the same place


@needs_numba
@settings(max_examples=100, deadline=None)
@given(matrices(st.integers(1, 10**6)), st.integers(1, 10**6))
def test_the_compiled_kernel_pivots_like_python_integers_on_random_polytopes(pair, bound):
    M, partner = pair
    assert same_search(M, partner).engine == "compiled"
    same_search(M, partner, max_bases=bound)


@needs_numba
@settings(max_examples=60, deadline=None)
@given(matrices(st.integers(1, 10**15), size=5))
def test_numbers_leaving_int64_are_pivoted_with_python_integers_with_the_same_result(pair):
    M, partner = pair
    same_search(M, partner)


@needs_numba
def test_a_pivot_that_would_leave_int64_hands_its_subtree_to_python_integers(monkeypatch):
    M = np.random.default_rng(5).integers(1, 10**8, (5, 5)).tolist()  # 3×3 minors near 2⁸⁰
    subtrees = []
    python_subtree = vertex_enumeration._Search.subtree
    monkeypatch.setattr(vertex_enumeration._Search, "subtree",
                        lambda self, *args, **kwargs: subtrees.append(args)
                        or python_subtree(self, *args, **kwargs))
    search = same_search(M)
    assert search.engine == "compiled" and search.complete
    assert len(subtrees) > 2  # the search itself twice (one per engine), then overflows
    assert exact_points(polytope_vertices(M, 10**6, engine="compiled")) == brute_force_vertices(M)


@needs_numba
def test_numbers_too_large_for_the_kernel_are_searched_with_python_integers():
    M = [[2**62, 1], [1, 2**62]]
    search, _ = search_log(M, "compiled")
    assert search.engine == "python" and search.complete
    assert exact_points(polytope_vertices(M, 100, engine="compiled")) == brute_force_vertices(M)


@needs_numba
@pytest.mark.parametrize("seed", range(3))
def test_games_solved_by_the_compiled_kernel_have_the_same_equilibria(seed, monkeypatch):
    rng = np.random.default_rng(seed)
    game = NumericGame.from_arrays(*(rng.integers(-2, 3, (9, 10)).tolist() for _ in range(2)))
    monkeypatch.setattr(vertex_enumeration, "COMPILED_AFTER", 10**9)
    python = _two_player_exact(game)
    monkeypatch.setattr(vertex_enumeration, "COMPILED_AFTER", 0)
    assert _two_player_exact(game) == python

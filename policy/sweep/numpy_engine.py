"""The numpy engine: every equilibrium of a chunk of grid points, one array operation
at a time over the whole chunk.

Payoffs are compiled once per game (``sympy.lambdify`` of our own parsed expression
trees — never of user text) and evaluated for a whole chunk of points at once, so
memory stays bounded by the chunk size. Then, with ties decided within
:data:`SWEEP_TOLERANCE` times the point's largest payoff:

1. pure equilibria, for any number of players: a profile is an equilibrium when
   each player's payoff equals the maximum over its own strategies;
2. mixed equilibria, two players: batched support enumeration over equal-size
   supports, which is complete for nondegenerate games;
3. a point is *doubtful* (to be solved again by the exact engine, :mod:`.exact`)
   when, within the tolerance, some player has tied pure best responses, or some
   mixed strategy with support size k makes more than k pure strategies of the
   opponent indifferent (von Stengel's definition of degeneracy, tested for every
   support), or an even number of equilibria was found (nondegenerate games have an
   odd number). The test is conservative: it may send a nondegenerate point to the
   exact engine, never the reverse.

Examples
--------
>>> payoffs = np.array([[[[3., 0.], [5., 1.]], [[3., 5.], [0., 1.]]]])  # prisoner's dilemma
>>> found = numpy_equilibria(payoffs, (2, 2), two_player_mixed=True)
>>> found.equilibria, found.inverse.tolist(), found.doubtful.tolist()
([[((1,), (1,))]], [0], [False])
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np
import sympy

from ..symbolic import SymbolicGame
from .grid import bound_payoffs

__all__ = ["SWEEP_TOLERANCE", "compile_payoffs", "numpy_equilibria", "NumpyEquilibria"]

#: Relative tolerance below which payoff differences count as ties (then exact).
SWEEP_TOLERANCE = 1e-9


def compile_payoffs(game: SymbolicGame, names: Sequence[str], values: Mapping[str, sympy.Expr]):
    """A function (arrays of the named symbols' values) → payoffs (points, players, *shape)."""
    varied = [game.symbols[name] for name in names]
    shape = game.shape
    n = len(shape)
    functions = [sympy.lambdify(varied, bound, modules="numpy")
                 for bound in bound_payoffs(game, names, values)]

    def evaluate(*columns: np.ndarray) -> np.ndarray:
        count = len(columns[0])
        out = np.empty((count, len(functions)))
        with np.errstate(all="ignore"):
            for k, function in enumerate(functions):
                out[:, k] = np.broadcast_to(np.asarray(function(*columns), dtype=float), (count,))
        # flat order: profile-major, then player → (points, players, *shape)
        return np.moveaxis(out.reshape(count, *shape, n), -1, 1)

    return evaluate


def _pure(payoffs: np.ndarray, tolerance: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pure-equilibrium mask (points, *shape) and a per-point 'has ties' flag."""
    count, n = payoffs.shape[:2]
    mask = np.ones((count, *payoffs.shape[2:]), dtype=bool)
    ties = np.zeros(count, dtype=bool)
    for i in range(n):
        array = payoffs[:, i]
        best = array.max(axis=1 + i, keepdims=True)
        near = array >= best - tolerance.reshape((-1,) + (1,) * (n))
        mask &= near
        ties |= (near.sum(axis=1 + i) > 1).reshape(count, -1).any(axis=1)
    return mask, ties


def _solve_batched(matrices: np.ndarray, rhs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Solve many small systems; returns solutions and a 'nearly singular' flag.

    A system counts as nearly singular when |det| is below 1e-10 times Hadamard's
    bound (the product of its row norms): those points go to the exact engine.
    """
    with np.errstate(all="ignore"):
        determinant = np.linalg.det(matrices)
        hadamard = np.prod(np.linalg.norm(matrices, axis=2), axis=1)
    bad = ~np.isfinite(determinant) | (np.abs(determinant) <= 1e-10 * np.maximum(hadamard, 1e-300))
    solutions = np.zeros(rhs.shape)
    good = ~bad
    if good.any():
        solutions[good] = np.linalg.solve(matrices[good], rhs[good][..., None])[..., 0]
    return solutions, bad


def _indifference(block: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For blocks (points, k, k): the mix q (len k) making all k rows equal, and value v.

    Solves ``block @ q = v·1, Σq = 1`` as a (k+1)×(k+1) system.
    """
    count, k, _ = block.shape
    system = np.zeros((count, k + 1, k + 1))
    system[:, :k, :k] = block
    system[:, :k, k] = -1
    system[:, k, :k] = 1
    rhs = np.zeros((count, k + 1))
    rhs[:, k] = 1
    solution, bad = _solve_batched(system, rhs)
    return solution[:, :k], solution[:, k], bad


def _two_player_mixed(A: np.ndarray, B: np.ndarray, tolerance: np.ndarray):
    """Equal-size support enumeration (k >= 2) for all points; returns the list of
    (supports, found-mask) and a 'possibly degenerate' flag per point."""
    count, m, n = A.shape
    found = []
    doubtful = np.zeros(count, dtype=bool)
    for k in range(2, min(m, n) + 1):
        for rows in itertools.combinations(range(m), k):
            for cols in itertools.combinations(range(n), k):
                r, c = list(rows), list(cols)
                y, v, bad_y = _indifference(A[:, r][:, :, c])
                x, w, bad_x = _indifference(np.swapaxes(B[:, r][:, :, c], 1, 2))
                tol = tolerance[:, None]
                positive = (x > tol).all(axis=1) & (y > tol).all(axis=1)
                near_zero = ((np.abs(x) <= tol).any(axis=1) | (np.abs(y) <= tol).any(axis=1))
                full_y = np.zeros((count, n))
                full_y[:, c] = y
                full_x = np.zeros((count, m))
                full_x[:, r] = x
                row_values = np.einsum("pij,pj->pi", A, full_y)
                col_values = np.einsum("pij,pi->pj", B, full_x)
                outside_rows = [i for i in range(m) if i not in rows]
                outside_cols = [j for j in range(n) if j not in cols]
                best_ok = np.ones(count, dtype=bool)
                tie_outside = np.zeros(count, dtype=bool)
                if outside_rows:
                    gap = v[:, None] - row_values[:, outside_rows]
                    best_ok &= (gap > -tolerance[:, None]).all(axis=1)
                    tie_outside |= (np.abs(gap) <= tolerance[:, None]).any(axis=1)
                if outside_cols:
                    gap = w[:, None] - col_values[:, outside_cols]
                    best_ok &= (gap > -tolerance[:, None]).all(axis=1)
                    tie_outside |= (np.abs(gap) <= tolerance[:, None]).any(axis=1)
                hit = positive & best_ok & ~bad_x & ~bad_y
                # a candidate on the edge (a probability or an outside payoff gap within the
                # tolerance of zero) could be an equilibrium or not: let the exact engine decide
                plausible = (x > -tol).all(axis=1) & (y > -tol).all(axis=1) & best_ok
                doubtful |= bad_x | bad_y | ((near_zero | tie_outside) & plausible)
                found.append(((tuple(rows), tuple(cols)), hit))
    doubtful |= _extra_indifference(A, B, tolerance)
    return found, doubtful


def _extra_indifference(A: np.ndarray, B: np.ndarray, tolerance: np.ndarray) -> np.ndarray:
    """Whether some mixed strategy with support size k makes k+1 opponent strategies
    indifferent (degeneracy), for either player, at each point."""
    count, m, n = A.shape
    flag = np.zeros(count, dtype=bool)
    for own, payoff_of_other in ((m, np.swapaxes(B, 1, 2)), (n, A)):
        # payoff_of_other[:, j, i]: the opponent's payoff from its strategy j against our i
        other = payoff_of_other.shape[1]
        for k in range(1, min(own, other - 1) + 1):
            for support in itertools.combinations(range(own), k):
                for group in itertools.combinations(range(other), k + 1):
                    block = payoff_of_other[:, list(group)][:, :, list(support)]  # (p, k+1, k)
                    # unknowns q (k) and v: block q - v = 0 (k+1 eqs), Σq = 1 → k+2 eqs, k+1 unknowns
                    system = np.zeros((count, k + 2, k + 1))
                    system[:, :k + 1, :k] = block
                    system[:, :k + 1, k] = -1
                    system[:, k + 1, :k] = 1
                    rhs = np.zeros((count, k + 2))
                    rhs[:, k + 1] = 1
                    # least squares by the normal equations; a nearly singular one is doubtful
                    transpose = np.swapaxes(system, 1, 2)
                    solution, singular = _solve_batched(transpose @ system, system[:, k + 1])
                    residual = np.abs(np.einsum("pij,pj->pi", system, solution) - rhs).max(axis=1)
                    q = solution[:, :k]
                    flag |= singular | ((residual <= tolerance * 10) & (q >= -tolerance[:, None]).all(axis=1))
    return flag


@dataclass(frozen=True)
class NumpyEquilibria:
    """A chunk's equilibria: ``equilibria[k]`` lists the supports of the points whose
    pattern is ``k`` (``inverse``, one per point); ``doubtful`` points go to the exact
    engine; ``ties`` marks points where some player has tied pure best responses."""

    equilibria: list[list[tuple[tuple[int, ...], ...]]]
    inverse: np.ndarray
    doubtful: np.ndarray
    ties: np.ndarray


def numpy_equilibria(payoffs: np.ndarray, shape: tuple[int, ...], two_player_mixed: bool) -> NumpyEquilibria:
    """Every equilibrium (pure; and mixed when ``two_player_mixed``) of each point of
    finite ``payoffs`` (points, players, *shape), grouped into distinct patterns."""
    count = len(payoffs)
    scale = np.maximum(1.0, np.abs(payoffs).reshape(count, -1).max(axis=1))
    tolerance = SWEEP_TOLERANCE * scale
    pure_mask, ties = _pure(payoffs, tolerance)
    doubtful = ties.copy()
    found_mixed = []
    if two_player_mixed:
        found_mixed, flagged = _two_player_mixed(payoffs[:, 0], payoffs[:, 1], tolerance)
        doubtful |= flagged
    profiles = list(itertools.product(*(range(k) for k in shape)))
    pure_flat = pure_mask.reshape(count, -1)
    if two_player_mixed:
        counts = pure_flat.sum(axis=1) + sum(hit.astype(int) for _, hit in found_mixed)
        doubtful |= counts % 2 == 0  # nondegenerate games have an odd number
    pattern = np.concatenate([pure_flat] + [hit[:, None] for _, hit in found_mixed], axis=1) \
        if found_mixed else pure_flat
    keys, inverse = np.unique(pattern, axis=0, return_inverse=True)
    equilibria = []
    for key in keys:
        found = [tuple((s,) for s in profiles[k]) for k in np.flatnonzero(key[:len(profiles)])]
        found += [sup for (sup, _), on in zip(found_mixed, key[len(profiles):]) if on]
        equilibria.append(found)
    return NumpyEquilibria(equilibria, inverse.reshape(-1), doubtful, ties)

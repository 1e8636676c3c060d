"""Small linear programmes solved exactly over the rationals (two-phase simplex).

Where it sits in the data flow: a tool of the analysis stage (:mod:`policy.analysis`
decides the sign of linear conditions on the game's domain with it). It takes
Fractions and gives Fractions; nothing here knows about games.

The problem is ``maximise c·x subject to A x <= b`` with ``x`` free (no sign
constraint). Each free variable is split as ``x = x⁺ - x⁻``, each row gets a slack,
and rows with a negative right-hand side get an artificial variable; phase 1
minimises the artificials, phase 2 the objective. Pivoting follows Bland's rule
(lowest index enters, lowest basic index leaves among tied ratios), which never
cycles, so every call ends after finitely many pivots. The arithmetic is Python's
:class:`fractions.Fraction`, so the status and the optimum are exact.

It replaced sympy's :func:`sympy.solvers.simplex.linprog`, which is several times
slower on the analysis' problems (each pivot builds sympy matrices) and, in sympy
1.14, wrong on free variables: it calls ``x/4 <= -1`` infeasible.
``tests/test_rational_lp.py`` checks this module against scipy's HiGHS.

Examples
--------
Maximise ``x + y`` with ``x <= 2``, ``y <= 3`` and ``x + y >= 1``:

>>> from fractions import Fraction as F
>>> result = maximize([1, 1], [[1, 0], [0, 1], [-1, -1]], [2, 3, -1])
>>> result.status, result.value, result.point
('optimal', Fraction(5, 1), (Fraction(2, 1), Fraction(3, 1)))
>>> maximize([0], [[1], [-1]], [F(-1), F(0)]).status   # x <= -1 and x >= 0
'infeasible'
>>> maximize([1], [[-1]], [0]).status                  # x >= 0, maximise x
'unbounded'
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Sequence

__all__ = ["LinearOptimum", "maximize", "OPTIMAL", "INFEASIBLE", "UNBOUNDED"]

OPTIMAL, INFEASIBLE, UNBOUNDED = "optimal", "infeasible", "unbounded"


@dataclass(frozen=True)
class LinearOptimum:
    """The outcome of :func:`maximize`: ``status``, and for ``optimal`` the exact
    ``value`` and an optimal ``point`` (one value per variable)."""

    status: str
    value: Fraction | None = None
    point: tuple[Fraction, ...] | None = None


def maximize(objective: Sequence, rows: Sequence[Sequence], bounds: Sequence) -> LinearOptimum:
    """``max objective·x  s.t.  rows·x <= bounds``, ``x`` free, exactly.

    Entries may be ints or Fractions (anything :class:`fractions.Fraction` takes
    exactly). ``rows`` must all have ``len(objective)`` entries.
    """
    n = len(objective)
    if any(len(row) != n for row in rows) or len(rows) != len(bounds):
        raise ValueError("every row needs one coefficient per variable and one bound")
    m = len(rows)
    # columns: x⁺ (n), x⁻ (n), slacks (m), then one artificial per negative bound
    negative = [i for i in range(m) if Fraction(bounds[i]) < 0]
    width = 2 * n + m + len(negative)
    tableau: list[list[Fraction]] = []
    basis: list[int] = []
    for i, (row, bound) in enumerate(zip(rows, bounds)):
        coefficients = [Fraction(v) for v in row]
        line = coefficients + [-v for v in coefficients] + [Fraction(0)] * (m + len(negative))
        line.append(Fraction(bound))
        line[2 * n + i] = Fraction(1)
        if i in negative:
            line = [-v for v in line]
            artificial = 2 * n + m + negative.index(i)
            line[artificial] = Fraction(1)
            basis.append(artificial)
        else:
            basis.append(2 * n + i)
        tableau.append(line)
    artificials = set(range(2 * n + m, width))
    if artificials:
        phase_one = [Fraction(0)] * (2 * n + m) + [Fraction(-1)] * len(negative)
        _optimise(tableau, basis, phase_one, width)
        if any(line[-1] != 0 for line, column in zip(tableau, basis) if column in artificials):
            return LinearOptimum(INFEASIBLE)
        _drive_out(tableau, basis, artificials)
    cost = [Fraction(v) for v in objective]
    cost = cost + [-v for v in cost] + [Fraction(0)] * (width - 2 * n)
    if not _optimise(tableau, basis, cost, width, barred=artificials):
        return LinearOptimum(UNBOUNDED)
    values = [Fraction(0)] * width
    for line, column in zip(tableau, basis):
        values[column] = line[-1]
    point = tuple(values[j] - values[n + j] for j in range(n))
    value = sum((Fraction(c) * v for c, v in zip(objective, point)), Fraction(0))
    return LinearOptimum(OPTIMAL, value, point)


def _optimise(tableau, basis, cost, width, barred=frozenset()) -> bool:
    """Pivot until optimal (True) or unbounded (False), by Bland's rule; columns in
    ``barred`` never enter."""
    while True:
        entering = None
        for j in range(width):
            if j in barred or j in basis:
                continue
            reduced = cost[j] - sum(cost[b] * line[j] for line, b in zip(tableau, basis) if line[j])
            if reduced > 0:
                entering = j
                break
        if entering is None:
            return True
        leaving, best = None, None
        for i, line in enumerate(tableau):
            if line[entering] > 0:
                ratio = line[-1] / line[entering]
                if best is None or ratio < best or (ratio == best and basis[i] < basis[leaving]):
                    leaving, best = i, ratio
        if leaving is None:
            return False
        _pivot(tableau, basis, leaving, entering)


def _pivot(tableau, basis, row: int, column: int) -> None:
    pivot_line = tableau[row]
    pivot = pivot_line[column]
    pivot_line[:] = [v / pivot if v else v for v in pivot_line]
    for i, line in enumerate(tableau):
        factor = line[column]
        if i != row and factor:
            line[:] = [v - factor * p if p else v for v, p in zip(line, pivot_line)]
    basis[row] = column


def _drive_out(tableau, basis, artificials) -> None:
    """After phase 1, replace artificials still basic (at level 0) by other columns,
    or drop their rows when those rows are redundant."""
    for i in reversed(range(len(tableau))):
        if basis[i] not in artificials:
            continue
        line = tableau[i]
        column = next((j for j, v in enumerate(line[:-1]) if v and j not in artificials), None)
        if column is None:
            del tableau[i], basis[i]
        else:
            _pivot(tableau, basis, i, column)

"""Linear programmes kept in exact (Fraction) form beside their PuLP model.

A float solver (CBC, HiGHS) finds the optimum quickly; this module turns its answer
into an exact rational one and says whether exact optimality was proven:

1. integer and binary variables are fixed at their rounded values;
2. the constraints and bounds tight at the float solution are solved exactly
   (Gaussian elimination over Fractions) for the continuous variables;
3. the exact point is checked against every constraint and bound, and optimality
   is certified by dual multipliers on the tight set with the right signs;
4. when that certificate fails (a degenerate vertex, a wrong active set), an exact
   rational simplex (:func:`policy.rational_lp.maximize`) solves the LP with the
   integers fixed, if it has at most :data:`EXACT_SIMPLEX_LIMIT` variables times
   rows (bounds count as rows). Measured on random dense LPs (variables x rows,
   plus a bound of ±10 on each variable): 10 x 40 in 0.08 s, 20 x 80 in 1.7 s,
   25 x 150 in 6 s, 40 x 140 in 32 s, so the limit keeps it to a few seconds; the
   LPs of small games are far smaller;
5. otherwise an exact feasible point from step 2 is returned as not certified, or
   None (the caller keeps the float answer: optimal in floating point only).

Examples
--------
>>> from fractions import Fraction
>>> lp = LinearProgram((Variable("x", Fraction(0), Fraction(20)),),
...                    (Constraint("c", (("x", Fraction(3)),), ">=", Fraction(40)),),
...                    (("x", Fraction(1, 10)),), maximize=False)
>>> exact_solution(lp, {"x": 13.333333333}).values
{'x': Fraction(40, 3)}
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Mapping, Sequence

import pulp

__all__ = ["Variable", "Constraint", "LinearProgram", "ExactSolution", "LinearProgramBuilder",
           "exact_solution", "to_pulp", "EXACT_SIMPLEX_LIMIT"]

#: Largest ``variables x rows`` an LP may have for the exact rational simplex fallback.
EXACT_SIMPLEX_LIMIT = 2000
#: A constraint counts as tight at the float solution within this (relative) slack.
TIGHT_TOLERANCE = 1e-7


@dataclass(frozen=True)
class Variable:
    name: str
    low: Fraction | None = None
    high: Fraction | None = None
    integer: bool = False


@dataclass(frozen=True)
class Constraint:
    """``Σ coefficient·variable  sense  rhs`` with sense one of ``<=``, ``>=``, ``==``."""

    name: str
    coefficients: tuple[tuple[str, Fraction], ...]
    sense: str
    rhs: Fraction


@dataclass(frozen=True)
class LinearProgram:
    variables: tuple[Variable, ...]
    constraints: tuple[Constraint, ...]
    objective: tuple[tuple[str, Fraction], ...]
    maximize: bool

    def with_constraints(self, extra: Sequence[Constraint], variables: Sequence[Variable] = (),
                         objective: Sequence[tuple[str, Fraction]] | None = None,
                         maximize: bool | None = None) -> "LinearProgram":
        """The same LP with more variables/constraints and possibly a new objective."""
        return LinearProgram(self.variables + tuple(variables), self.constraints + tuple(extra),
                             self.objective if objective is None else tuple(objective),
                             self.maximize if maximize is None else maximize)

    def value(self, values: Mapping[str, Fraction]) -> Fraction:
        return sum((c * values[v] for v, c in self.objective), Fraction(0))


class LinearProgramBuilder:
    """Collects variables and constraints; :meth:`build` freezes them."""

    def __init__(self) -> None:
        self.variables: list[Variable] = []
        self.constraints: list[Constraint] = []

    def variable(self, name: str, low=None, high=None, integer: bool = False) -> str:
        self.variables.append(Variable(name, None if low is None else Fraction(low),
                                       None if high is None else Fraction(high), integer))
        return name

    def add(self, coefficients: Mapping[str, Fraction] | Sequence[tuple[str, Fraction]],
            sense: str, rhs, name: str) -> None:
        items = coefficients.items() if isinstance(coefficients, Mapping) else coefficients
        merged: dict[str, Fraction] = {}
        for variable, coefficient in items:
            merged[variable] = merged.get(variable, Fraction(0)) + Fraction(coefficient)
        self.constraints.append(Constraint(name, tuple((v, c) for v, c in merged.items() if c),
                                           sense, Fraction(rhs)))

    def build(self, objective: Mapping[str, Fraction], maximize: bool) -> LinearProgram:
        return LinearProgram(tuple(self.variables), tuple(self.constraints),
                             tuple((v, Fraction(c)) for v, c in objective.items() if c), maximize)


def to_pulp(lp: LinearProgram, name: str = "lp", slack: Mapping[str, float] | None = None):
    """The PuLP model of ``lp`` (float coefficients) and its variables by name.

    ``slack`` loosens named constraints in the float model only (a float solver may
    need room around an exact equality such as "keep the optimal cost").
    """
    problem = pulp.LpProblem(name, pulp.LpMaximize if lp.maximize else pulp.LpMinimize)
    add = getattr(problem, "add_variable", None)
    variables = {}
    for v in lp.variables:
        low = None if v.low is None else float(v.low)
        high = None if v.high is None else float(v.high)
        category = "Continuous"
        if v.integer:
            category = "Binary" if (v.low, v.high) == (0, 1) else "Integer"
        variables[v.name] = (add(v.name, low, high, category) if add is not None
                             else pulp.LpVariable(v.name, low, high, category))
    for c in lp.constraints:
        expression = pulp.lpSum(float(k) * variables[v] for v, k in c.coefficients)
        rhs = float(c.rhs) + (slack or {}).get(c.name, 0.0) * (1 if c.sense == "<=" else -1)
        if c.sense == "<=":
            problem += expression <= rhs, c.name
        elif c.sense == ">=":
            problem += expression >= rhs, c.name
        else:
            problem += expression == rhs, c.name
    problem += pulp.lpSum(float(k) * variables[v] for v, k in lp.objective)
    return problem, variables


@dataclass(frozen=True)
class ExactSolution:
    """An exact point of the LP; ``certified`` when its optimality is proven exactly."""

    values: dict[str, Fraction]
    objective: Fraction
    certified: bool
    method: str  # "tight constraints", "exact simplex", or "... (optimality not certified)"


def _rows(lp: LinearProgram, fixed: Mapping[str, Fraction], continuous: Sequence[str]):
    """Every constraint and bound as ``(a, b, is_equality)`` meaning ``a·x >= b`` (or ``=``)."""
    index = {v: k for k, v in enumerate(continuous)}
    rows = []
    for c in lp.constraints:
        a = [Fraction(0)] * len(continuous)
        b = c.rhs
        for v, k in c.coefficients:
            if v in fixed:
                b -= k * fixed[v]
            else:
                a[index[v]] += k
        if c.sense == "<=":
            a, b = [-x for x in a], -b
        rows.append((a, b, c.sense == "=="))
    for v in lp.variables:
        if v.name in fixed:
            continue
        unit = [Fraction(int(k == index[v.name])) for k in range(len(continuous))]
        if v.low is not None:
            rows.append((unit, v.low, False))
        if v.high is not None:
            rows.append(([-x for x in unit], -v.high, False))
    return rows


def _reduce(rows: list[list[Fraction]]) -> tuple[list[int], list[list[Fraction]]]:
    """Indices of a maximal linearly independent subset of ``rows`` (in order)."""
    basis: list[list[Fraction]] = []
    pivots: list[int] = []
    chosen = []
    for k, row in enumerate(rows):
        r = list(row)
        for b, p in zip(basis, pivots):
            if r[p]:
                factor = r[p] / b[p]
                r = [x - factor * y for x, y in zip(r, b)]
        pivot = next((j for j, x in enumerate(r) if x), None)
        if pivot is not None:
            basis.append(r)
            pivots.append(pivot)
            chosen.append(k)
    return chosen, basis


def _solve_square(matrix: list[list[Fraction]], rhs: list[Fraction]) -> list[Fraction] | None:
    n = len(matrix)
    a = [list(row) + [r] for row, r in zip(matrix, rhs)]
    for col in range(n):
        pivot = next((r for r in range(col, n) if a[r][col]), None)
        if pivot is None:
            return None
        a[col], a[pivot] = a[pivot], a[col]
        for r in range(n):
            if r != col and a[r][col]:
                factor = a[r][col] / a[col][col]
                a[r] = [x - factor * y for x, y in zip(a[r], a[col])]
    return [a[k][n] / a[k][k] for k in range(n)]


def _feasible(rows, x) -> bool:
    for a, b, equality in rows:
        lhs = sum((p * q for p, q in zip(a, x)), Fraction(0))
        if lhs < b or (equality and lhs != b):
            return False
    return True


def _tight_set_solution(rows, cost, x_float, n):
    """(exact point, certified) from the rows tight at ``x_float``, or None."""
    tight = []
    for k, (a, b, equality) in enumerate(rows):
        lhs = sum(float(p) * q for p, q in zip(a, x_float))
        scale = 1.0 + abs(float(b)) + sum(abs(float(p) * q) for p, q in zip(a, x_float))
        if equality or abs(lhs - float(b)) <= TIGHT_TOLERANCE * scale:
            tight.append(k)
    # equalities first, then the tightest rows, so the basis prefers what must hold
    tight.sort(key=lambda k: (not rows[k][2], k))
    chosen, _ = _reduce([rows[k][0] for k in tight])
    if len(chosen) < n:
        return None
    basis = [tight[k] for k in chosen]
    x = _solve_square([rows[k][0] for k in basis], [rows[k][1] for k in basis])
    if x is None or not _feasible(rows, x):
        return None
    # dual certificate for "minimise cost·x": cost = Σ y_k a_k, y_k >= 0 on inequalities
    transposed = [[rows[k][0][j] for k in basis] for j in range(n)]
    y = _solve_square(transposed, list(cost))
    certified = y is not None and all(v >= 0 or rows[k][2] for v, k in zip(y, basis))
    return x, certified


def _exact_simplex(rows, cost, n):
    """The exact optimum of ``min cost·x`` over ``rows`` (each ``a·x >= b`` or ``=``),
    or None when the LP is infeasible or unbounded."""
    from ..rational_lp import OPTIMAL, maximize

    upper_rows, upper_bounds = [], []
    for a, b, equality in rows:
        upper_rows.append([-p for p in a])  # a·x >= b  <=>  -a·x <= -b
        upper_bounds.append(-b)
        if equality:
            upper_rows.append(list(a))
            upper_bounds.append(b)
    result = maximize([-c for c in cost], upper_rows, upper_bounds)
    return list(result.point) if result.status == OPTIMAL else None


def exact_solution(lp: LinearProgram, float_values: Mapping[str, float]) -> ExactSolution | None:
    """The exact optimum near a float solver's answer (see the module docstring).

    None when no exact feasible point was found (too large for the exact simplex
    and the tight constraints give none): the caller keeps the float answer.
    """
    fixed = {v.name: Fraction(round(float_values.get(v.name) or 0.0)) for v in lp.variables
             if v.integer}
    continuous = [v.name for v in lp.variables if not v.integer]
    sign = -1 if lp.maximize else 1
    objective = dict(lp.objective)
    cost = [sign * objective.get(v, Fraction(0)) for v in continuous]
    rows = _rows(lp, fixed, continuous)
    x_float = [float(float_values.get(v) or 0.0) for v in continuous]

    def done(x, certified, method):
        values = dict(fixed)
        values.update(zip(continuous, x))
        ordered = {v.name: values[v.name] for v in lp.variables}
        return ExactSolution(ordered, lp.value(ordered), certified, method)

    if not continuous:  # every variable integer: the solver's point is the answer if feasible
        return done([], True, "integers") if _feasible(rows, []) else None
    found = _tight_set_solution(rows, cost, x_float, len(continuous))
    if found is not None and found[1]:
        return done(found[0], True, "tight constraints")
    if len(continuous) * max(1, len(rows)) <= EXACT_SIMPLEX_LIMIT:
        x = _exact_simplex(rows, cost, len(continuous))
        if x is not None and _feasible(rows, x):
            # the exact simplex is optimal for the integers fixed where the solver put them
            return done(x, True, "exact simplex")
    if found is not None:
        return done(found[0], False, "tight constraints (optimality not certified)")
    return None  # keep the float answer: optimal in floating point only

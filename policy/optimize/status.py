"""The status vocabulary of :mod:`policy.optimize`, in one place (as cvxpy's ``settings``).

Every LP/MILP solve is mapped to one of these strings (:func:`policy.optimize.solver.run`),
and every result (commitment, implementation, ranking) reports one of them. They are
exactly the words the CLI prints and the reports write.

A question answered by several candidate LPs (one per follower profile, one per
completion of a target) combines their statuses with :func:`without_solution` or
:func:`with_solution`.

Examples
--------
>>> with_solution([OPTIMAL, INFEASIBLE])
'optimal'
>>> with_solution([OPTIMAL, TIME_LIMIT_NO_SOLUTION])
'time limit, best found'
>>> without_solution([INFEASIBLE, TIME_LIMIT_NO_SOLUTION])
'time limit, no solution'
"""

from __future__ import annotations

from typing import Sequence

__all__ = ["OPTIMAL", "INFEASIBLE", "UNBOUNDED", "TIME_LIMIT_BEST_FOUND", "TIME_LIMIT_NO_SOLUTION",
           "NOT_SOLVED", "SEARCH_BEST_FOUND", "SEARCH_NOTHING_FOUND", "SOLUTION_PRESENT", "has_solution", "without_solution", "with_solution"]

#: Solved to proven optimality.
OPTIMAL = "optimal"
#: Proven to have no feasible point.
INFEASIBLE = "infeasible"
#: The objective has no bound.
UNBOUNDED = "unbounded"
#: Stopped by the time limit with a feasible point that may not be the best.
TIME_LIMIT_BEST_FOUND = "time limit, best found"
#: Stopped by the time limit before any feasible point.
TIME_LIMIT_NO_SOLUTION = "time limit, no solution"
#: The solver gave no usable answer.
NOT_SOLVED = "not solved"
#: A bounded search (not an LP) found this point; a cheaper one may exist.
SEARCH_BEST_FOUND = "best found by search"
#: A bounded search found no point satisfying the target (not a proof that none exists).
SEARCH_NOTHING_FOUND = "none found by search"

#: The statuses that come with a solution to read back.
SOLUTION_PRESENT = (OPTIMAL, TIME_LIMIT_BEST_FOUND, SEARCH_BEST_FOUND)


def has_solution(status: str) -> bool:
    """Whether a solve with this status left a point to read back.

    >>> has_solution(TIME_LIMIT_BEST_FOUND), has_solution(UNBOUNDED)
    (True, False)
    """
    return status in SOLUTION_PRESENT


def without_solution(statuses: Sequence[str]) -> str:
    """No candidate LP gave a solution: "infeasible" only when every one was proven so."""
    unproven = [s for s in statuses if s != INFEASIBLE]
    return unproven[0] if unproven else INFEASIBLE


def with_solution(statuses: Sequence[str]) -> str:
    """Some candidate gave a solution: "optimal" only when every other one was solved
    to optimality or proven infeasible (else the best found may not be the best)."""
    if all(s in (OPTIMAL, INFEASIBLE) for s in statuses):
        return OPTIMAL
    return TIME_LIMIT_BEST_FOUND

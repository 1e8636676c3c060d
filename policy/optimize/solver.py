"""Running PuLP: which solver, how long, and what its answer means (a :mod:`.status` word).

Callers build an exact :class:`~policy.optimize.exact_lp.LinearProgram`, turn it into
PuLP with :func:`~policy.optimize.exact_lp.to_pulp` and call :func:`run` (or
:func:`run_checked`, which never trusts a point that breaks the programme's own
constraints). PuLP reports "Optimal" for a MIP stopped by its time limit with a
solution; only ``sol_status`` tells them apart, and we use it. CBC stopped by its time
limit before any solution may call a MIP "Integer infeasible": a MIP reported
infeasible once its time limit has passed is ``time limit, no solution``.

Examples
--------
>>> SolverOptions("cbc", time_limit=5)
SolverOptions(name='cbc', time_limit=5)
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass, field

import pulp

from ..errors import ModelError, SolverError
from .status import (INFEASIBLE, NOT_SOLVED, OPTIMAL, TIME_LIMIT_BEST_FOUND,
                     TIME_LIMIT_NO_SOLUTION, UNBOUNDED, has_solution)

__all__ = ["SOLVERS", "SolverOptions", "DEFAULT_SOLVER", "SolveInfo", "run", "run_checked"]

SOLVERS = {"cbc": "PULP_CBC_CMD", "highs": "HiGHS"}


@dataclass(frozen=True)
class SolverOptions:
    """Which LP/MILP solver to use and how long it may run (seconds)."""

    name: str = "cbc"
    time_limit: float | None = None

    def make(self) -> pulp.LpSolver:
        if self.name not in SOLVERS:
            raise ModelError(f"unknown solver '{self.name}'; choose one of {', '.join(SOLVERS)}")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # PuLP 3.3 announces 4.0 changes
            solver = pulp.getSolver(SOLVERS[self.name], msg=False, timeLimit=self.time_limit)
        if not solver.available():
            hint = " (pip install highspy)" if self.name == "highs" else ""
            raise SolverError(f"solver '{self.name}' is not available on this machine{hint}")
        return solver


#: CBC (bundled with PuLP), no time limit.
DEFAULT_SOLVER = SolverOptions()


@dataclass(frozen=True)
class SolveInfo:
    """One solve: its :mod:`.status` word, the solver's name and the seconds it took."""

    status: str
    solver: str
    seconds: float = field(compare=False)


def run(problem: pulp.LpProblem, options: SolverOptions) -> SolveInfo:
    """Solve ``problem`` and map PuLP's status to ours."""
    solver = options.make()
    started = time.perf_counter()
    try:
        problem.solve(solver)
    except pulp.PulpSolverError as err:  # pragma: no cover - solver crashed
        raise SolverError(f"solver '{options.name}' failed: {err}") from None
    seconds = time.perf_counter() - started
    status, solution = problem.status, problem.sol_status
    if solution == pulp.LpSolutionOptimal or (status == pulp.LpStatusOptimal and solution == 0
                                              and not problem.isMIP()):
        text = OPTIMAL
    elif solution == pulp.LpSolutionIntegerFeasible:
        text = TIME_LIMIT_BEST_FOUND
    elif status == pulp.LpStatusInfeasible or solution == pulp.LpSolutionInfeasible:
        # CBC stopped by its time limit before finding a solution may say "Integer
        # infeasible": that is no proof, so it is not reported as one.
        stopped = (options.time_limit is not None and problem.isMIP()
                   and seconds >= options.time_limit)
        text = TIME_LIMIT_NO_SOLUTION if stopped else INFEASIBLE
    elif status == pulp.LpStatusUnbounded or solution == pulp.LpSolutionUnbounded:
        text = UNBOUNDED
    elif status == pulp.LpStatusNotSolved and options.time_limit is not None:
        text = TIME_LIMIT_NO_SOLUTION
    elif status == pulp.LpStatusOptimal:
        text = OPTIMAL
    else:
        text = NOT_SOLVED
    return SolveInfo(text, options.name, seconds)


@dataclass(frozen=True)
class _NoPreprocessing(SolverOptions):
    def make(self):
        made = super().make()
        made.options = list(made.options or []) + ["preprocess off"]
        return made


def run_checked(problem: pulp.LpProblem, options: SolverOptions) -> SolveInfo:
    """Solve, never trusting a point that breaks the programme's own constraints: CBC's
    preprocessing returned such "optimal" points on the uniqueness MILPs (found by the
    brute-force test), so CBC then solves again with preprocessing off."""
    info = run(problem, options)
    if has_solution(info.status) and not problem.valid(1e-6):
        if options.name == "cbc":
            try:
                info = run(problem, _NoPreprocessing(options.name, options.time_limit))
            except SolverError:
                return SolveInfo(NOT_SOLVED, info.solver, info.seconds)
        if has_solution(info.status) and not problem.valid(1e-6):
            return SolveInfo(NOT_SOLVED, info.solver, info.seconds)
    return info

"""Every size limit in one place; each can be raised with an environment variable.

Game files and command-line options come from anyone, so everything that could
make the tool run for long or use much memory is bounded. A limit ``NAME`` has a
built-in default and is raised (or lowered) by setting ``POLICY_LIMIT_<NAME>``
to a positive whole number, e.g. ``POLICY_LIMIT_PROFILES=1000000 policy solve big.yaml``.
The environment is read each time a limit is used. ``docs/limits.md`` lists them.

From Python, :class:`policy.spec.FileLimits` and
:class:`policy.expressions.ExpressionLimits` take their defaults from here and
can also be given explicitly.

Examples
--------
>>> limit("players", environ={})
10
>>> limit("players", environ={"POLICY_LIMIT_PLAYERS": "12"})
12
>>> exceeded("players")
'set POLICY_LIMIT_PLAYERS to raise this limit'
>>> limit("players", environ={"POLICY_LIMIT_PLAYERS": "many"})
Traceback (most recent call last):
...
policy.errors.PolicyError: environment variable POLICY_LIMIT_PLAYERS is 'many'; expected a positive whole number (default 10)
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import re
import signal
import threading
from dataclasses import dataclass
from typing import Callable, Iterator, Mapping

from .errors import PolicyError

__all__ = ["Limit", "LIMITS", "limit", "exceeded", "watching_work", "is_work_watched",
           "report_work"]


@dataclass(frozen=True)
class Limit:
    """A bound with its default and what it protects against."""

    name: str
    default: int
    guards: str

    @property
    def variable(self) -> str:
        """The environment variable that overrides the default."""
        return f"POLICY_LIMIT_{self.name.upper()}"


LIMITS: dict[str, Limit] = {limit.name: limit for limit in (
    Limit("file_bytes", 1_000_000, "size of a game file, in bytes"),
    Limit("yaml_nodes", 500_000,
          "YAML nodes read; every use of an alias counts again (anchor bombs)"),
    Limit("yaml_depth", 100, "nesting of YAML lists and mappings `[[[…]]]`"),
    Limit("players", 10, "players in a game"),
    Limit("strategies", 200, "strategies of one player"),
    Limit("profiles", 100_000, "pure profiles: the product of the strategy counts"),
    Limit("expression_length", 2_000, "characters in one expression"),
    Limit("expression_depth", 40,
          "nesting of parentheses, function calls, signs and powers in one expression"),
    Limit("number_digits", 60, "digits in one number (before its exponent)"),
    Limit("exponent", 100, "a numeric exponent: `a ** n`, `a ^ n` and `1e<n>`"),
    Limit("number_bits", 4_096, "size, in bits, of any number an operator produces"),
    Limit("function_arguments", 16,
          "arguments of one `max(…)`/`min(…)`, nested ones counted together (sympy compares "
          "them pairwise)"),
    Limit("expanded_terms", 5_000,
          "estimated terms of an expression once multiplied out; larger ones are analysed "
          "unsimplified"),
    Limit("analysis_milliseconds", 2_000,
          "processor time `policy analyze` spends simplifying and classifying before it keeps the "
          "remaining expressions unsimplified (the closed forms of mixed equilibria of games "
          "with three or more players have a budget of their own of the same size; so have "
          "the solve of a market or population game and each of its checks)"),
    Limit("exact_bases", 5_000_000,
          "bases the exact two-player engine visits (lexicographic pivoting over one "
          "best-response polytope, and the faces of the other); past it the equilibria found "
          "so far are reported, marked incomplete"),
    Limit("degeneracy_bases", 50_000,
          "bases of the second best-response polytope visited only to say whether a two-player "
          "game is degenerate; past it the result says 'not checked'"),
    Limit("grid_points", 100_000_000, "points of a `policy sweep` grid"),
    Limit("report_exact_points", 2_000,
          "points of the phase diagram of `policy report` that the exact engine solves one by "
          "one (degenerate two-player games larger than 2×2); past it the diagram is drawn on "
          "fewer points per axis, and says so"),
    Limit("policy_map_points", 10_000,
          "points of `policy sweep --optimize` (one verified LP per point)"),
    Limit("support_work", 3_000,
          "work of the n-player engine (three or more players): each support profile examined "
          "counts 1 plus the generic number of solutions of its equations; past it the "
          "enumeration stops, says how far it got, and the answer is marked incomplete"),
    Limit("support_system_degree", 12,
          "generic number of solutions (multihomogeneous Bézout number) of one support's "
          "indifference equations that the n-player engine solves exactly; larger supports are "
          "left undecided and the answer is marked incomplete"),
    Limit("n_player_sweep_points", 400,
          "points of a sweep of a game with three or more players on which every equilibrium "
          "(mixed ones included) is computed, by the exact engine at each point; the report's "
          "phase diagram is drawn with at most this many points (fewer per axis, with a note); "
          "larger `policy sweep` grids show pure equilibria only, and say so"),
    Limit("market_cases", 729,
          "combinations of corner and interior choices (3 per player with an upper bound, 2 "
          "without) whose first-order conditions a market game's solve or analysis solves"),
    Limit("market_policy_points", 120,
          "values of the instrument `policy optimize` solves exactly on a market game (bounds, "
          "the closed forms' candidates, the grid, the refinement); past it the others are not "
          "checked and the answer says so"),
    Limit("population_exact_counts", 2_000,
          "members of a population game up to which every count is checked one by one; larger "
          "populations are solved as inequalities in the count"),
    Limit("population_mixed_members", 60,
          "members of a population game up to which the symmetric mixed equilibrium (a root "
          "of a polynomial of degree N - 1) is computed exactly; larger ones say it was not"),
    Limit("samples", 10_000_000, "draws of `policy uncertainty --samples`"),
    Limit("tree_sweep_points", 10_000,
          "points of a `policy sweep` of a game tree, and draws of its `policy uncertainty` "
          "(the tree is bound and solved exactly at each)"),
    Limit("scenarios", 100_000, "scenarios of `policy optimize --scenarios`"),
    Limit("logit_steps", 10_000,
          "predictor–corrector steps (rejected ones included) tracing one logit "
          "quantal-response path"),
    Limit("basin_work", 20_000_000,
          "work of measuring one dynamic's basins of attraction (starting points × steps × payoff "
          "entries × players); past it fewer starting points are used, and the report says so"),
    Limit("selection_strategies", 60,
          "strategies of all players together in a game whose logit limit `policy solve` traces "
          "for equilibrium selection (each step of the path solves a dense system of that "
          "size); larger games get no logit limit, and the report says so"),
    Limit("selection_faces", 2_000,
          "faces of the controls' polytope examined by `optimize --robust risk-dominant` "
          "(exact candidates for the cheapest controls); past it the search stops and says so"),
    Limit("logit_map_points", 200,
          "grid points of `policy sweep --select logit`, each of which traces one logit path "
          "(its end, certified, is the selected equilibrium there)"),
    Limit("selection_evaluations", 300,
          "evaluations of the selection criterion (an exact risk-dominance check, or one logit "
          "path traced) by the search of `optimize --robust risk-dominant|logit` beyond 2×2 "
          "games or with discrete controls; half go to the grid, the rest to line searches; "
          "past it the search stops with the best point found and says so"),
    Limit("tree_drawing_leaves", 200,
          "leaves of a game tree that a report draws as a figure; larger trees are shown as a "
          "text outline (its first 200 nodes), and the report says so"),
)}

_POSITIVE_WHOLE_NUMBER = re.compile(r"[0-9][0-9_]*\Z")


def limit(name: str, environ: Mapping[str, str] | None = None) -> int:
    """The limit ``name`` now: ``POLICY_LIMIT_<NAME>`` if set, else its default.

    Raises
    ------
    PolicyError
        When the variable is set but is not a positive whole number.
    """
    bound = LIMITS[name]
    text = (os.environ if environ is None else environ).get(bound.variable)
    if text is None or not text.strip():
        return bound.default
    text = text.strip()
    if not _POSITIVE_WHOLE_NUMBER.match(text) or len(text) > 30 or int(text) < 1:
        raise PolicyError(f"environment variable {bound.variable} is {text[:40]!r}; expected a "
                          f"positive whole number (default {bound.default})")
    return int(text)


def exceeded(name: str) -> str:
    """How to raise the limit ``name``, for the end of an error message."""
    return f"set {LIMITS[name].variable} to raise this limit"


def run_with_time_limit(function, seconds: float, exception: type[BaseException], *,
                        processor_time: bool = False):
    """``function()``, interrupted by raising ``exception`` after ``seconds``.

    Wall-clock time (SIGALRM) by default; ``processor_time`` counts this process's
    CPU time instead (SIGPROF), so that what is derived within the budget does not
    depend on how busy the machine is. Signals reach only the main thread: elsewhere
    (or without interval timers) ``function`` runs unbounded and the caller's own
    checks between steps are the limit.
    """
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        return function()
    which, timer = ((signal.SIGPROF, signal.ITIMER_PROF) if processor_time
                    else (signal.SIGALRM, signal.ITIMER_REAL))

    def stop(signum, frame):
        raise exception

    previous = signal.signal(which, stop)
    signal.setitimer(timer, seconds)
    try:
        return function()
    finally:
        signal.setitimer(timer, 0)
        signal.signal(which, previous)


# -- how far a long computation has got (a progress indicator's source) -------------------

_WORK_WATCHER: contextvars.ContextVar[Callable[[dict], None] | None] = contextvars.ContextVar(
    "policy_work_watcher", default=None)


@contextlib.contextmanager
def watching_work(callback: Callable[[dict], None]) -> Iterator[None]:
    """Within the block, long computations call ``callback(counts)`` now and then
    with how far they got (e.g. ``{"bases": …, "vertices": …, "equilibria": …}``);
    the command line draws its progress indicator from it.

    Examples
    --------
    >>> seen = []
    >>> with watching_work(seen.append):
    ...     is_work_watched(), report_work(bases=10)
    (True, None)
    >>> seen, is_work_watched()
    ([{'bases': 10}], False)
    """
    token = _WORK_WATCHER.set(callback)
    try:
        yield
    finally:
        _WORK_WATCHER.reset(token)


def is_work_watched() -> bool:
    """Whether :func:`report_work` would reach anyone (so counts need be gathered)."""
    return _WORK_WATCHER.get() is not None


def report_work(**counts: int) -> None:
    """Tell the watcher of :func:`watching_work`, if any, how far the work has got."""
    callback = _WORK_WATCHER.get()
    if callback is not None:
        callback(counts)

"""The cheapest controls making a target the *selected* equilibrium, found by a search
over the controls' box: ``--robust risk-dominant`` for two-player games of any size,
``--robust logit`` for any game whose logit path :mod:`policy.selection` traces, with
continuous, integer or binary controls and fixed costs.

(2×2 games with continuous controls and no fixed cost are solved exactly instead, by
:mod:`policy.optimize.selection_target`, which calls this module for every other game.)

Notation: the controls ``x`` lie in their box ``low ≤ x ≤ high`` (bounds are required),
the regulator pays ``cost(x) = Σ c_k x_k + Σ F_k [x_k ≠ 0]`` (and at most the game's
``budget``), and the payoffs are affine in ``x``
(:func:`policy.optimize.scenarios.affine_payoffs`). The target ``a`` is a pure profile.
The **criterion** at ``x`` is:

- ``risk-dominant`` (two players only; Harsanyi & Selten's Nash products, as
  :func:`policy.selection.risk_dominance` compares them): ``a`` is a strict equilibrium
  with margin ε (every deviation loses at least ε), and for every other strict pure
  equilibrium ``b`` the Nash product of ``a``'s deviation losses exceeds ``b``'s by at
  least ε (in the 2×2 game the two span). When no other strict equilibrium is left,
  risk dominance is not defined, so the target must then be the *only* equilibrium
  (re-solved completely). Each pairwise comparison is a product of two affine
  functions of ``x``: quadratic, so the feasible set is not convex in general.
- ``logit``: the principal branch of the logit correspondence, traced from λ = 0
  (:func:`policy.logit.logit_limit`), ends at an equilibrium certified to be the
  target.
- ``basin`` (any number of players): the target is an equilibrium (the game re-solved
  at ``x``) and the lower end of the 95% Wilson interval of the share of starting
  points from which the replicator dynamics reach it
  (:func:`policy.selection.basins`, seeded) is at least the required share
  (:data:`DEFAULT_BASIN_SHARE`). This is a statistical statement: the estimate at each
  ``x`` uses the same seed (so the search is deterministic) and asks for half an
  interval's width more (:func:`basin_holds`), and the verification re-estimates at
  the chosen controls with a *fresh* seed, where the lower end must reach the share;
  when it does not, the search is run again asking for twice, then four times, that
  room (:data:`BASIN_ROOMS`).

**The search** (deterministic, bounded by a count of evaluations of the criterion,
``POLICY_LIMIT_SELECTION_EVALUATIONS``, never by time):

1. *a grid*: each continuous control at ``g`` equally spaced levels from its lower to
   its upper bound (and its declared value), each integer control at its integers (or
   ``g`` of them, evenly spread), each binary control at 0 and 1, with ``g`` as large as
   keeps the grid within half the limit. The grid points are examined from the
   cheapest up (ties: nearest the declared values) and the first where the criterion
   holds is kept: every cheaper grid point fails it.
2. *line searches*: from that point, each control with a cost, the dearest first, is
   moved down (towards its cheaper end; a free control towards its declared value)
   one grid level at a time while the criterion holds, then the switch between the last level that holds and the first that fails
   is located by bisection (:data:`BISECTIONS` halvings), and the value is rounded to
   the shortest decimal in the last interval at which the criterion still holds. Two
   passes over the controls.

The answer is *the cheapest point this search found*, not a proven optimum: between
grid points, or by trading one control against another, a cheaper point may exist
(the text says so). It is then **verified** independently of the search: the symbolic
game is re-solved at the chosen controls (:func:`policy.optimize.verify.bind_controls`,
:func:`policy.equilibria.find_equilibria`) and :mod:`policy.selection` says which
equilibrium the criterion selects (for ``logit``: the path is traced again).

Examples
--------
A 3×3 coordination game where the regulator pays a bonus ``b`` (cost 1 per unit) to
both players when they coordinate on ``low``: the Nash products of ``(low, low)``
against ``(high, high)`` and ``(mid, mid)`` are ``(2 + b)²`` against ``3² = 9`` and
``2² = 4``, so ``b ≥ √9.001 − 2 ≈ 1.0001667`` makes it risk-dominant; the search finds a point
within 10⁻⁷ of that:

>>> from policy.numeric import NumericGame
>>> from fractions import Fraction
>>> search = SelectionSearch.from_controls(
...     names=("b",), low=(Fraction(0),), high=(Fraction(4),), cost=(Fraction(1),),
...     fixed_cost=(Fraction(0),), kinds=("continuous",), declared=(Fraction(0),))
>>> def game_at(x):
...     b = x[0]
...     A = [[2 + b, 0, 0], [0, 2, 0], [0, 0, 3]]
...     return NumericGame.from_arrays(A, [list(r) for r in zip(*A)])
>>> found = search.run(lambda x: risk_dominant_at(game_at(x), (0, 0), Fraction(1, 1000)),
...                    Budget(300))
>>> found.point, found.grid_points
((Fraction(10001667, 10000000),), 21)
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Callable, Sequence

import numpy as np

from ..errors import ModelError
from ..limits import exceeded, limit
from ..numeric import NumericGame, to_fraction

__all__ = ["SelectionSearch", "SearchOutcome", "Budget", "BudgetExhausted", "BISECTIONS",
           "DEFAULT_BASIN_SHARE", "BASIN_ROOMS", "LOGIT_STEPS_PER_EVALUATION", "BASIN_WORK_PER_EVALUATION",
           "risk_dominant_at", "logit_selects", "basin_share_at", "basin_holds",
           "search_selected"]

#: Halvings of the interval between the last grid level that holds and the first that
#: fails, in each line search.
BISECTIONS = 12
#: The most levels per continuous control on the grid.
_MOST_LEVELS = 21


class BudgetExhausted(Exception):
    """The search evaluated the criterion as often as the limit allows."""


class Budget:
    """Counts evaluations of the criterion against a bound.

    >>> budget = Budget(1)
    >>> budget.spend(); budget.used
    1
    >>> budget.spend()
    Traceback (most recent call last):
    ...
    policy.optimize.selection_search.BudgetExhausted
    """

    def __init__(self, bound: int) -> None:
        self.bound = bound
        self.used = 0

    def spend(self) -> None:
        if self.used >= self.bound:
            raise BudgetExhausted
        self.used += 1

    def charge(self, units: int) -> None:
        """Count ``units`` more for an evaluation that did more work than one (a long
        logit path, a basin estimate); the next :meth:`spend` past the bound stops."""
        self.used += max(0, int(units))


@dataclass(frozen=True)
class SearchOutcome:
    """The cheapest point found (None: no point examined satisfies the criterion),
    its cost, the grid's size and the evaluations made; ``stopped`` says whether the
    evaluation limit cut the search short."""

    point: tuple[Fraction, ...] | None
    cost: Fraction | None
    grid_points: int
    evaluations: int
    stopped: bool


@dataclass(frozen=True)
class SelectionSearch:
    """The controls' box, costs and kinds (``continuous``, ``integer``, ``binary``):
    what the search moves over. Built with :meth:`from_controls`."""

    names: tuple[str, ...]
    low: tuple[Fraction, ...]
    high: tuple[Fraction, ...]
    cost: tuple[Fraction, ...]
    fixed_cost: tuple[Fraction, ...]
    kinds: tuple[str, ...]
    declared: tuple[Fraction, ...]
    budget_cap: Fraction | None = None

    @classmethod
    def from_controls(cls, *, names, low, high, cost, fixed_cost, kinds, declared,
                      budget_cap=None) -> "SelectionSearch":
        """Validate and freeze the box (each lower bound at most its upper bound)."""
        for name, lo, hi in zip(names, low, high):
            if lo > hi:
                raise ModelError(f"control '{name}': lower bound {lo} exceeds upper bound {hi}")
        return cls(tuple(names), tuple(low), tuple(high), tuple(cost), tuple(fixed_cost),
                   tuple(kinds), tuple(declared), budget_cap)

    # -- cost and grid -------------------------------------------------------------------

    def cost_of(self, point: Sequence[Fraction]) -> Fraction:
        """``Σ c_k x_k + Σ F_k [x_k ≠ 0]``."""
        return sum((c * x + (f if x != 0 else 0) for c, f, x in
                    zip(self.cost, self.fixed_cost, point)), Fraction(0))

    def _within_budget(self, point) -> bool:
        return self.budget_cap is None or self.cost_of(point) <= self.budget_cap

    def levels(self, k: int, count: int) -> list[Fraction]:
        """The grid levels of control ``k`` with at most ``count`` for a continuous one."""
        lo, hi, kind = self.low[k], self.high[k], self.kinds[k]
        if kind == "binary":
            found = [v for v in (Fraction(0), Fraction(1)) if lo <= v <= hi]
        elif kind == "integer":
            first, last = math.ceil(lo), math.floor(hi)
            if last - first + 1 <= count:
                found = [Fraction(v) for v in range(first, last + 1)]
            else:
                found = sorted({Fraction(first + round((last - first) * j / (count - 1)))
                                for j in range(count)})
        else:
            found = [lo + (hi - lo) * j / (count - 1) for j in range(count)] if hi > lo else [lo]
        declared = self.declared[k]
        if lo <= declared <= hi and (kind == "continuous" or declared.denominator == 1):
            found.append(declared)
        return sorted(set(found))

    def grid(self, bound: int) -> list[list[Fraction]]:
        """Levels per control, with as many per continuous control as keep the product
        within ``bound`` (at least two each).

        >>> box = SelectionSearch.from_controls(names=("a", "b"), low=(Fraction(0),) * 2,
        ...     high=(Fraction(1),) * 2, cost=(Fraction(1),) * 2, fixed_cost=(Fraction(0),) * 2,
        ...     kinds=("continuous", "binary"), declared=(Fraction(0),) * 2)
        >>> [len(levels) for levels in box.grid(50)]
        [21, 2]
        """
        count = _MOST_LEVELS
        while count > 2:
            levels = [self.levels(k, count) for k in range(len(self.names))]
            if math.prod(len(v) for v in levels) <= bound:
                return levels
            count -= 1
        return [self.levels(k, 2) for k in range(len(self.names))]

    def _order_key(self, point):
        distance = sum(abs(x - d) for x, d in zip(point, self.declared))
        return self.cost_of(point), distance, point

    # -- the search --------------------------------------------------------------------

    def run(self, holds: Callable[[tuple[Fraction, ...]], bool], budget: Budget) -> SearchOutcome:
        """The cheapest point found where ``holds``; see the module docstring.

        Raises
        ------
        ModelError
            When even two levels per control make more grid points than the limit of
            evaluations (too many controls for the search).
        """
        levels = self.grid(max(1, budget.bound // 2))
        size = math.prod(len(v) for v in levels)
        if size > budget.bound:
            raise ModelError(f"the selection search over {len(self.names)} controls needs a "
                             f"grid of {size:,} points, more than the "
                             f"{budget.bound:,} evaluations allowed "
                             f"({exceeded('selection_evaluations')})")
        points = sorted((p for p in itertools.product(*levels) if self._within_budget(p)),
                        key=self._order_key)
        best = None
        try:
            for point in points:
                budget.spend()
                if holds(point):
                    best = point
                    break
        except BudgetExhausted:
            return SearchOutcome(None, None, size, budget.used, True)
        if best is None:
            return SearchOutcome(None, None, size, budget.used, False)
        stopped = False
        try:
            for _ in range(2):
                for k in sorted(range(len(self.names)), key=lambda j: (-self._weight(j), j)):
                    best = self._line_search(k, best, levels[k], holds, budget)
        except BudgetExhausted:
            stopped = True
        return SearchOutcome(best, self.cost_of(best), size, budget.used, stopped)

    def _weight(self, k: int) -> Fraction:
        return abs(self.cost[k]) * (self.high[k] - self.low[k]) + self.fixed_cost[k]

    def _with(self, point, k, value):
        return point[:k] + (value,) + point[k + 1:]

    def _line_search(self, k, point, levels, holds, budget):
        """Move control ``k`` towards its cheaper end (a free control: towards its
        declared value) while the criterion holds."""
        current = self._order_key(point)[:2]
        ends = {self.low[k], self.high[k]}
        if self.kinds[k] == "continuous" or self.declared[k].denominator == 1:
            ends.add(self.declared[k])
        cheaper = sorted((v for v in set(levels) | ends
                          if self._order_key(self._with(point, k, v))[:2] < current
                          and self._within_budget(self._with(point, k, v))),
                         key=lambda v: abs(v - point[k]))
        failed = None
        for value in cheaper:  # nearest first, one level at a time
            budget.spend()
            candidate = self._with(point, k, value)
            if not holds(candidate):
                failed = value
                break
            point = candidate
        if failed is None or self.kinds[k] == "binary":
            return point
        good, bad = point[k], failed
        integer = self.kinds[k] == "integer"
        for _ in range(BISECTIONS):
            if abs(good - bad) <= (1 if integer else 0):
                break
            middle = (good + bad) / 2
            if integer:
                middle = Fraction(math.floor(middle) if good > bad else math.ceil(middle))
                if middle in (good, bad):
                    break
            budget.spend()
            if holds(self._with(point, k, middle)):
                good = middle
            else:
                bad = middle
        if not integer:
            for value in _short_decimals(bad, good):
                budget.spend()
                if holds(self._with(point, k, value)):
                    good = value
                    break
        return self._with(point, k, good)


def _short_decimals(bad: Fraction, good: Fraction) -> list[Fraction]:
    """Decimals after ``bad`` up to ``good`` (in either direction), the shortest
    first (at most four, one per number of digits), or ``good`` itself.

    >>> _short_decimals(Fraction(1), Fraction(10001, 10000))
    [Fraction(10001, 10000)]
    >>> _short_decimals(Fraction(0), Fraction(1, 3))
    [Fraction(1, 10), Fraction(1, 100), Fraction(1, 1000), Fraction(1, 10000)]
    """
    low, high = sorted((bad, good))
    found = []
    for digits in range(13):
        scale = 10 ** digits
        if good > bad:  # the smallest decimal above bad, at most good
            value = Fraction(math.floor(bad * scale) + 1, scale)
        else:
            value = Fraction(math.ceil(bad * scale) - 1, scale)
        if low < value <= high if good > bad else low <= value < high:
            if value == good:
                return found or [good]
            found.append(value)
            if len(found) == 4:
                break
    return found or [good]


# -- the criteria -----------------------------------------------------------------------

def _tables(game: NumericGame):
    return game.exact_payoffs if game.is_exact else game.payoffs


def risk_dominant_at(game: NumericGame, target: Sequence[int], margin) -> bool:
    """Whether the pure ``target`` of a two-player ``game`` is strict by ``margin`` and
    its Nash product beats every other strict pure equilibrium's by ``margin``; with no
    other strict equilibrium, whether it is the only equilibrium (re-solved).

    >>> stag = NumericGame.from_arrays([[10, 1], [8, 5]], [[10, 8], [1, 5]])
    >>> risk_dominant_at(stag, (1, 1), 0), risk_dominant_at(stag, (0, 0), 0)
    (True, False)
    """
    from ..selection import nash_products

    A, B = _tables(game)
    r, c = target
    m, n = game.shape
    if any(A[r, c] - A[s, c] < margin for s in range(m) if s != r) or any(
            B[r, c] - B[r, d] < margin for d in range(n) if d != c):
        return False
    rivals = [(s, d) for s in range(m) for d in range(n) if s != r and d != c
              and all(A[s, d] > A[t, d] for t in range(m) if t != s)
              and all(B[s, d] > B[s, e] for e in range(n) if e != d)]
    if rivals:
        return all(pa - pb >= margin for pa, pb in (nash_products((A, B), target, b)
                                                  for b in rivals))
    from ..equilibria import find_equilibria

    solved = find_equilibria(game)
    return len(solved.equilibria) == 1 and solved.complete and not solved.components


#: Logit path steps counted as one evaluation of the search's limit.
LOGIT_STEPS_PER_EVALUATION = 100
#: Basin work (starting points × steps × payoff entries × players) counted as one
#: evaluation of the search's limit.
BASIN_WORK_PER_EVALUATION = 5_000_000
#: The room (in half-widths of the 95% interval) the search asks for, in turn, until
#: the fresh sample of the verification confirms its answer.
BASIN_ROOMS = (1, 2, 4)
#: ``--basin-share`` when none is given: the target's basin must hold at least 90% of
#: the starting points (the lower end of its 95% interval).
DEFAULT_BASIN_SHARE = Fraction(9, 10)


def _pure(target: Sequence[int], shape) -> tuple:
    return tuple(tuple(Fraction(int(j == s)) for j in range(k)) for s, k in zip(target, shape))


def logit_selects(game: NumericGame, target: Sequence[int], budget: Budget | None = None) -> bool:
    """Whether the principal logit branch of ``game`` ends at an equilibrium certified
    to be the pure ``target`` (a long path is charged to ``budget``: one evaluation per
    :data:`LOGIT_STEPS_PER_EVALUATION` steps beyond the first).

    >>> stag = NumericGame.from_arrays([[10, 1], [8, 5]], [[10, 8], [1, 5]])
    >>> logit_selects(stag, (1, 1)), logit_selects(stag, (0, 0))
    (True, False)
    """
    from ..logit import logit_limit

    reached = logit_limit(game)
    if budget is not None:
        budget.charge(reached.path.steps // LOGIT_STEPS_PER_EVALUATION)
    certified = reached.equilibrium
    if certified is None:
        return False
    return certified.contains(_pure(target, game.shape))


def basin_share_at(game: NumericGame, target: Sequence[int], seed: int):
    """The replicator basin of the pure ``target`` (its :class:`~policy.selection.BasinShare`
    and the :class:`~policy.selection.Basins` it comes from), or None when the target is
    no equilibrium of ``game``.

    >>> stag = NumericGame.from_arrays([[10, 1], [8, 5]], [[10, 8], [1, 5]])
    >>> share, measured = basin_share_at(stag, (1, 1), seed=0)
    >>> share.share, share.interval_95, measured.points
    (0.737, (0.717264, 0.755828), 2000)
    """
    from ..equilibria import find_equilibria
    from ..selection import REPLICATOR, basins

    solved = find_equilibria(game)
    pure = _pure(target, game.shape)
    index = next((k for k, eq in enumerate(solved.equilibria) if eq.is_pure and
                  tuple(tuple(Fraction(p) for p in s) for s in eq.strategies) == pure), None)
    if index is None:
        return None
    measured = basins(solved, REPLICATOR, seed=seed)
    return measured.share_of(index), measured


def basin_holds(game: NumericGame, target: Sequence[int], share: Fraction, seed: int,
                budget: Budget | None = None, room: int = 1) -> bool:
    """Whether the target's replicator basin (starting points drawn with ``seed``) holds
    at least ``share`` of the starting points *with room to spare*: the lower end of its
    95% interval, less ``room`` half-widths of the interval, is at least ``share``. The
    room is what lets the verification, a fresh sample, confirm a point the search chose
    at the edge of where its own sample said yes (without it that is a coin toss).

    >>> stag = NumericGame.from_arrays([[10, 1], [8, 5]], [[10, 8], [1, 5]])
    >>> basin_holds(stag, (1, 1), Fraction(69, 100), 0), basin_holds(stag, (1, 1), Fraction(7, 10), 0)
    (True, False)
    """
    found = basin_share_at(game, target, seed)
    if found is None:
        return False
    measured_share, measured = found
    if budget is not None:
        work = measured.points * measured.steps * math.prod(game.shape) * game.n_players
        budget.charge(work // BASIN_WORK_PER_EVALUATION)
    low, high = measured_share.interval_95
    return measured.points > 0 and low - room * (high - low) / 2 >= share


# -- the question, as optimize asks it ----------------------------------------------------

def _fraction(value, what: str) -> Fraction:
    found = to_fraction(value)
    if found is None:
        raise ModelError(f"--robust risk-dominant and logit search rational values; {what} is "
                         f"{value}")
    return found


def _box(game, controls, base) -> SelectionSearch:
    names = tuple(controls)
    for control in controls.values():
        if not control.bounds:
            raise ModelError(f"--robust risk-dominant and logit need bounds on every control; "
                             f"'{control.name}' has none")
    budget = game.spec.budget
    return SelectionSearch.from_controls(
        names=names,
        low=tuple(_fraction(controls[k].bounds[0], f"the lower bound of '{k}'") for k in names),
        high=tuple(_fraction(controls[k].bounds[1], f"the upper bound of '{k}'") for k in names),
        cost=tuple(_fraction(controls[k].cost, f"the cost of '{k}'") for k in names),
        fixed_cost=tuple(_fraction(controls[k].fixed_cost, f"the fixed cost of '{k}'")
                         for k in names),
        kinds=tuple(controls[k].type for k in names),
        declared=tuple(_fraction(base[k], f"the value of '{k}'") for k in names),
        budget_cap=None if budget is None else _fraction(budget, "the budget"))


def _game_maker(game, affine):
    """x → the NumericGame at controls x, from the affine payoffs (exact when they are)."""
    shape = game.shape
    constant = np.array(affine.constant[0], dtype=object)        # (profiles, players)
    coefficient = np.array(affine.coefficient[0], dtype=object)  # (profiles, players, controls)
    exact = affine.is_exact
    if not exact:
        constant, coefficient = constant.astype(float), coefficient.astype(float)

    def at(point):
        x = np.array(point, dtype=object) if exact else np.array([float(v) for v in point])
        values = constant + (coefficient @ x if len(point) else 0)
        return NumericGame.from_arrays(*(values[:, i].reshape(shape) for i in range(len(shape))),
                                       name=game.name, players=game.players,
                                       strategies=game.strategies)
    return at


def search_selected(game, profile: Sequence[int], values, robust: str, margin: Fraction,
                    budget: Budget, *, basin_share: Fraction = DEFAULT_BASIN_SHARE,
                    seed: int = 0, room: int = 1) -> SearchOutcome:
    """The search for one full ``profile`` of a :class:`~policy.symbolic.SymbolicGame`.

    Raises
    ------
    ModelError
        Where the criterion is not defined for the game (risk dominance beyond two
        players; a logit path over more strategies than ``POLICY_LIMIT_SELECTION_STRATEGIES``;
        risk dominance with payoffs that are not rational), or a control has no bounds.
    """
    from .problem import control_specs
    from .scenarios import affine_payoffs

    if robust == "risk-dominant" and len(game.players) != 2:
        raise ModelError(f"--robust risk-dominant is not defined for {game.name}: risk dominance "
                         f"by Nash products compares strict equilibria of two-player games, and "
                         f"it has {len(game.players)} players (try --robust logit)")
    if robust != "risk-dominant" and sum(game.shape) > limit("selection_strategies"):
        raise ModelError(f"--robust {robust}: {game.name} has {sum(game.shape)} strategies in all, "
                         f"more than {limit('selection_strategies')} "
                         f"({exceeded('selection_strategies')})")
    controls = control_specs(game)
    base = game.values_with(values)
    box = _box(game, controls, base)
    affine = affine_payoffs(game, [base])
    if robust == "risk-dominant" and not affine.is_exact:
        raise ModelError("--robust risk-dominant needs rational payoffs")
    at = _game_maker(game, affine)
    target = tuple(profile)
    if robust == "risk-dominant":
        def holds(point):
            return risk_dominant_at(at(point), target, margin)
    elif robust == "logit":
        def holds(point):
            return logit_selects(at(point), target, budget)
    else:
        def holds(point):
            return basin_holds(at(point), target, basin_share, seed, budget, room)
    return box.run(holds, budget)

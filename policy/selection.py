"""EquilibriumSet → :class:`Selection`: which equilibrium is the likely outcome.

Stage 5 of the data flow, after :mod:`policy.equilibria`: a game with several
equilibria leaves open which one is played. Four criteria, each a pure function of a
solved game (:class:`~policy.equilibria.EquilibriumSet`), each saying when it is not
defined and why (definitions and references in ``docs/methods.md``):

- :func:`risk_dominance` (Harsanyi & Selten 1988, *A General Theory of Equilibrium
  Selection in Games*, §3.9): two players, pairs of strict equilibria; equilibrium
  ``a = (r, c)`` risk-dominates ``b = (r', c')`` when the Nash product of its
  deviation losses, ``(A[r,c] - A[r',c]) · (B[r,c] - B[r,c'])``, exceeds ``b``'s,
  ``(A[r',c'] - A[r,c']) · (B[r',c'] - B[r',c])`` (losses measured in the 2×2 game
  the two equilibria span; for 2×2 games this is Harsanyi and Selten's definition);
- :func:`payoff_dominance` (Harsanyi & Selten 1988): the equilibrium that is strictly
  better for every player than every other equilibrium, any number of players;
- :func:`logit_selection` (McKelvey & Palfrey 1995): the equilibrium the principal
  branch of the logit quantal-response correspondence reaches (:mod:`policy.logit`),
  certified (:mod:`policy.certify`) and found in the solved list by index;
- :func:`basins` (Weibull 1995, *Evolutionary Game Theory*, ch. 3 and 5.3): the share
  of starting points, uniform on the product of the players' strategy simplices (one
  population per player), from which the replicator dynamics ``ẋ_ij = x_ij (v_ij -
  x_i·v_i)`` or the best-response dynamics ``ẋ_i = BR_i(x) - x_i`` reach each
  equilibrium, with a 95% Wilson interval.

The dynamics are integrated by Euler steps on payoffs divided by the payoff scale
``s`` (:func:`policy.logit.payoff_range`), from starting points drawn with a seeded
generator, so the same game and seed give the same shares. A point counts as having
reached a *strict* pure equilibrium as soon as every player puts at least ``1 - δ``
on it, where ``δ`` is small enough that the equilibrium strategies stay strict best
responses in that box (both dynamics then converge to it); any other equilibrium is
reached when the last point lies within :data:`SETTLE_DISTANCE` of it (each
probability). In two-player games the best-response dynamics are followed exactly,
switch by switch (between switches a point moves straight towards the best
responses, so the next switch solves a linear equation in ``e^{-t}``); with more
players they are Euler steps, and the last point is the average of the last 200
steps, since such steps circle a mixed equilibrium at about the step size where the
continuous dynamics converge. The replicator's cycles (matching pennies) are real:
its last point is taken as it is. The work (points × steps × payoff entries) is bounded by
``POLICY_LIMIT_BASIN_WORK``: larger games get fewer points, and say so; never a
wall-clock limit.

Examples
--------
The stag hunt (10, 10), (1, 8), (8, 1), (5, 5): (hare, hare) is risk-dominant,
(stag, stag) payoff-dominant.

>>> from policy.numeric import NumericGame
>>> from policy.equilibria import find_equilibria
>>> stag = NumericGame.from_arrays([[10, 1], [8, 5]], [[10, 8], [1, 5]],
...                                strategies=[["stag", "hare"], ["stag", "hare"]])
>>> solved = find_equilibria(stag)
>>> chosen = select_equilibrium(solved, points=200)
>>> chosen.risk_dominance.equilibrium, chosen.payoff_dominance.equilibrium, chosen.logit.equilibrium
(2, 0, 2)
>>> [str(p) for p in chosen.risk_dominance.pairs[0].products]
['4', '16']
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Sequence

import numpy as np

from .equilibria import EquilibriumSet
from .limits import exceeded, limit

__all__ = ["NashProducts", "RiskDominance", "PayoffDominance", "LogitSelection", "BasinShare",
           "Basins", "Selection", "DYNAMICS", "REPLICATOR", "BEST_RESPONSE", "DEFAULT_POINTS",
           "SETTLE_DISTANCE", "risk_dominance", "payoff_dominance", "logit_selection", "basins",
           "select_equilibrium", "strict_pure_equilibria", "wilson_interval"]

REPLICATOR = "replicator"
BEST_RESPONSE = "best_response"
#: The dynamics whose basins are measured.
DYNAMICS = (REPLICATOR, BEST_RESPONSE)
#: Starting points per dynamic (fewer when the work limit asks for it).
DEFAULT_POINTS = 2000
#: Euler steps per dynamic, and their size (time in units of 1 / payoff scale).
STEPS = 1000
STEP_SIZE = {REPLICATOR: 0.1, BEST_RESPONSE: 0.05}
#: A point settles at a non-strict or mixed equilibrium when its last position is this
#: close to it in every probability.
SETTLE_DISTANCE = 0.01
_FEWEST_POINTS = 100
#: The best-response dynamics' last position is the average of its last steps.
_AVERAGED_STEPS = 200


# -- results ----------------------------------------------------------------------------

@dataclass(frozen=True)
class NashProducts:
    """One comparison of two strict equilibria (indices into the solved list): the
    Nash product of each one's deviation losses, and which is larger (None on a tie)."""

    equilibria: tuple[int, int]
    products: tuple[Fraction | float, Fraction | float]
    dominant: int | None


@dataclass(frozen=True)
class RiskDominance:
    """The risk-dominant equilibrium (index), or None and why.

    ``pairs`` lists every comparison made (empty when the criterion is not defined).
    """

    equilibrium: int | None
    pairs: tuple[NashProducts, ...]
    reason: str

    @property
    def defined(self) -> bool:
        return bool(self.pairs)


@dataclass(frozen=True)
class PayoffDominance:
    """The payoff-dominant equilibrium (index), or None and why."""

    equilibrium: int | None
    reason: str


@dataclass(frozen=True)
class LogitSelection:
    """Where the principal logit branch ends: an index into the solved list, or None.

    ``match`` says how the certified end was found in the list: ``exact`` (equal
    rationals), ``certificate`` (inside the box proved to hold exactly one
    equilibrium) or ``tolerance`` (same support, probabilities within 1e-9: for
    equilibria given as algebraic numbers or floats).
    """

    equilibrium: int | None
    match: str | None
    status: str
    steps: int
    points: int
    has_turning_point: bool
    bifurcations: tuple[float, ...]
    reason: str
    lambdas: tuple[float, ...] = field(default=(), repr=False, compare=False)
    profiles: tuple = field(default=(), repr=False, compare=False)


@dataclass(frozen=True)
class BasinShare:
    """How many starting points reached one equilibrium (``equilibrium`` None: none
    of the listed ones), their share and its 95% Wilson interval."""

    equilibrium: int | None
    count: int
    share: float
    interval_95: tuple[float, float]


@dataclass(frozen=True)
class Basins:
    """The basins of attraction of one dynamic (:data:`DYNAMICS`)."""

    dynamic: str
    points: int
    seed: int
    steps: int
    step_size: float
    shares: tuple[BasinShare, ...]
    note: str = ""
    #: For 2×2 games, each starting point's probabilities of the players' first
    #: strategies, and the index it reached (-1: none): what the figure draws.
    origins: tuple = field(default=(), compare=False, repr=False)
    outcomes: tuple = field(default=(), compare=False, repr=False)

    def share_of(self, equilibrium: int | None) -> BasinShare:
        """The share of ``equilibrium`` (an index, or None for "did not settle")."""
        for share in self.shares:
            if share.equilibrium == equilibrium:
                return share
        return BasinShare(equilibrium, 0, 0.0, wilson_interval(0, self.points))

    @property
    def largest(self) -> int | None:
        """The equilibrium reached from clearly the most starting points: its 95%
        interval lies above every other outcome's (not settling included); None when
        no basin is clearly the largest."""
        ranked = sorted(self.shares, key=lambda s: (-s.count, s.equilibrium is None,
                                                    s.equilibrium or 0))
        if not ranked or ranked[0].equilibrium is None:
            return None
        if len(ranked) > 1 and ranked[1].interval_95[1] >= ranked[0].interval_95[0]:
            return None
        return ranked[0].equilibrium


@dataclass(frozen=True)
class Selection:
    """Every criterion's answer for one solved game."""

    equilibria: int
    risk_dominance: RiskDominance
    payoff_dominance: PayoffDominance
    logit: LogitSelection
    basins: tuple[Basins, ...]

    def selected(self) -> dict[str, int | None]:
        """Criterion → the equilibrium it selects (None: none, or not defined)."""
        chosen = {"risk dominance": self.risk_dominance.equilibrium,
                  "payoff dominance": self.payoff_dominance.equilibrium,
                  "logit limit": self.logit.equilibrium}
        for basin in self.basins:
            chosen[f"{basin.dynamic.replace('_', '-')} dynamics"] = basin.largest
        return chosen


# -- helpers ----------------------------------------------------------------------------

def wilson_interval(successes: int, trials: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """Wilson score interval for a proportion (95% by default), rounded to 6 decimals.

    (The sweep stage has its own, unrounded; this stage comes before it.)

    >>> wilson_interval(50, 100)
    (0.403832, 0.596168)
    """
    if trials == 0:
        return 0.0, 1.0
    p = successes / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    return round(max(0.0, centre - half), 6), round(min(1.0, centre + half), 6)


def _tables(game):
    return game.exact_payoffs if game.is_exact else game.payoffs


def _pure_profile(eq) -> tuple[int, ...] | None:
    if not eq.is_pure:
        return None
    return tuple(s[0] for s in eq.supports)


def strict_pure_equilibria(result: EquilibriumSet) -> list[tuple[int, tuple[int, ...]]]:
    """(index, profile) of every strict pure equilibrium in ``result``: each player
    loses strictly by any deviation (exactly in rational games).

    >>> from policy.numeric import NumericGame
    >>> from policy.equilibria import find_equilibria
    >>> strict_pure_equilibria(find_equilibria(NumericGame.from_arrays([[1, 0], [0, 1]],
    ...                                                                [[1, 0], [0, 1]])))
    [(0, (0, 0)), (2, (1, 1))]
    """
    game = result.game
    tables = _tables(game)
    strict = []
    for index, eq in enumerate(result.equilibria):
        profile = _pure_profile(eq)
        if profile is None:
            continue
        if all(tables[i][profile] > tables[i][profile[:i] + (d,) + profile[i + 1:]]
               for i in range(game.n_players) for d in range(game.shape[i]) if d != profile[i]):
            strict.append((index, profile))
    return strict


def _names(game, profile) -> str:
    return "(" + ", ".join(game.strategies[i][s] for i, s in enumerate(profile)) + ")"


# -- risk and payoff dominance -----------------------------------------------------------

def nash_products(tables, a: Sequence[int], b: Sequence[int]) -> tuple:
    """The Nash products of deviation losses of two-player profiles ``a`` and ``b``
    (strict equilibria differing in both strategies), in the 2×2 game they span.

    >>> A, B = np.array([[10, 1], [8, 5]]), np.array([[10, 8], [1, 5]])
    >>> nash_products((A, B), (0, 0), (1, 1))
    (4, 16)
    """
    A, B = tables
    (r, c), (s, d) = a, b
    product_a = (A[r, c] - A[s, c]) * (B[r, c] - B[r, d])
    product_b = (A[s, d] - A[r, d]) * (B[s, d] - B[s, c])
    return _plain(product_a), _plain(product_b)


def _plain(number):
    """A numpy scalar as the Python number it is (exact ones stay exact)."""
    if isinstance(number, np.integer):
        return int(number)
    if isinstance(number, np.floating):
        return float(number)
    return number


def _tie_margin(game) -> float:
    if game.is_exact:
        return 0.0
    from .numeric import FLOAT_TOLERANCE
    scale = max(float(np.max(np.abs(a))) for a in game.payoffs)
    return FLOAT_TOLERANCE * max(scale, 1.0) ** 2


def risk_dominance(result: EquilibriumSet) -> RiskDominance:
    """The risk-dominant equilibrium of a two-player game: the strict equilibrium whose
    Nash product of deviation losses exceeds every other strict equilibrium's
    (Harsanyi & Selten 1988), compared pairwise in the 2×2 game the two span.

    Not defined (``equilibrium`` None, ``reason`` says why) with more than two players,
    with fewer than two strict equilibria, or when no strict equilibrium beats every
    other (a tie, or a cycle among three or more).

    >>> from policy.numeric import NumericGame
    >>> from policy.equilibria import find_equilibria
    >>> pennies = NumericGame.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    >>> risk_dominance(find_equilibria(pennies)).reason
    'not defined: it compares pairs of strict equilibria, and the game has none'
    """
    game = result.game
    if game.n_players != 2:
        return RiskDominance(None, (), f"not defined: risk dominance by Nash products compares "
                             f"strict equilibria of two-player games; this game has "
                             f"{game.n_players} players")
    strict = strict_pure_equilibria(result)
    if len(strict) < 2:
        count = {0: "none", 1: "one"}[len(strict)]
        return RiskDominance(None, (), f"not defined: it compares pairs of strict equilibria, "
                             f"and the game has {count}")
    tables = _tables(game)
    slack = _tie_margin(game)
    pairs = []
    for k, (i, a) in enumerate(strict):
        for j, b in strict[k + 1:]:
            pa, pb = nash_products(tables, a, b)
            dominant = i if pa - pb > slack else j if pb - pa > slack else None
            pairs.append(NashProducts((i, j), (pa, pb), dominant))
    for i, profile in strict:
        if all(p.dominant == i for p in pairs if i in p.equilibria):
            return RiskDominance(i, tuple(pairs), f"{_names(game, profile)} has the largest Nash "
                                 "product of deviation losses")
    ties = [p for p in pairs if p.dominant is None]
    why = ("two strict equilibria have equal Nash products" if ties
           else "no strict equilibrium beats every other (a cycle)")
    return RiskDominance(None, tuple(pairs), f"no equilibrium is risk-dominant: {why}")


def payoff_dominance(result: EquilibriumSet) -> PayoffDominance:
    """The payoff-dominant equilibrium: strictly better for every player than every
    other equilibrium (Harsanyi & Selten 1988); any number of players.

    >>> from policy.numeric import NumericGame
    >>> from policy.equilibria import find_equilibria
    >>> sexes = NumericGame.from_arrays([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    >>> payoff_dominance(find_equilibria(sexes)).reason
    'none: no equilibrium is better for every player than every other'
    """
    equilibria = result.equilibria
    if len(equilibria) < 2:
        return PayoffDominance(None, "not defined: the game has "
                               + ("no equilibrium" if not equilibria else "a single equilibrium"))
    slack = 0 if result.exact else _tie_margin(result.game) ** 0.5
    for i, eq in enumerate(equilibria):
        if all(all(mine - theirs > slack for mine, theirs in zip(eq.payoffs, other.payoffs))
               for j, other in enumerate(equilibria) if j != i):
            return PayoffDominance(i, "every player earns strictly more than in any other "
                                   "equilibrium")
    return PayoffDominance(None, "none: no equilibrium is better for every player than every other")


# -- the logit limit ---------------------------------------------------------------------

def logit_selection(result: EquilibriumSet) -> LogitSelection:
    """The equilibrium of ``result`` at the end of the principal logit branch.

    The branch is traced by :func:`policy.logit.logit_path` (arc-length continuation,
    through turning points; at most ``POLICY_LIMIT_LOGIT_STEPS`` steps), its end is
    certified by :func:`policy.certify.try_certify`, and the certified equilibrium is
    looked up in the solved list. None, with the reason, when the path did not
    converge, the end could not be certified, or it is not in the list.

    >>> from policy.numeric import NumericGame
    >>> from policy.equilibria import find_equilibria
    >>> pd = NumericGame.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> found = logit_selection(find_equilibria(pd))
    >>> found.equilibrium, found.match, found.status
    (0, 'exact', 'converged')
    """
    from .logit import logit_limit

    size = sum(result.game.shape)
    if size > limit("selection_strategies"):
        return LogitSelection(None, None, status="not computed", steps=0, points=0,
                              has_turning_point=False, bifurcations=(), reason=(
                                  f"not computed: the game has {size} strategies in all, more "
                                  f"than {limit('selection_strategies')} "
                                  f"({exceeded('selection_strategies')})"))
    reached = logit_limit(result.game)
    path = reached.path
    common = dict(status=path.status, steps=path.steps, points=path.points,
                  has_turning_point=path.has_turning_point,
                  bifurcations=tuple(round(b, 6) for b in path.bifurcations),
                  lambdas=tuple(float(v) for v in path.lambdas),
                  profiles=tuple(tuple(map(tuple, rows.tolist())) for rows in path.profiles))
    certified = reached.equilibrium
    if certified is None:
        return LogitSelection(None, None, reason=reached.reason, **common)
    for index, eq in enumerate(result.equilibria):
        how = _same_equilibrium(certified, eq)
        if how:
            return LogitSelection(index, how, reason="the certified end of the principal "
                                  "branch" + (" (which crosses a bifurcation)"
                                              if path.bifurcations else ""), **common)
    if result.components:
        why = ("it lies in a continuum of equilibria, not at one of the extreme points or "
               "examples listed")
    elif not result.complete:
        why = "the list may be incomplete"
    else:  # pragma: no cover - a complete list holds every isolated equilibrium
        why = "the list misses it"
    return LogitSelection(None, None, reason="the branch ends at a certified equilibrium that is "
                          f"not among those listed: {why}", **common)


def _same_equilibrium(certified, eq) -> str | None:
    values = [p for s in eq.strategies for p in s]
    if all(isinstance(p, (int, Fraction)) for p in values):
        if not certified.contains(eq.strategies):
            return None
        return "exact" if certified.exact is not None else "certificate"
    floats = [[float(p) for p in s] for s in eq.strategies]
    if all(abs(a - b) <= 1e-9 for row, mine in zip(floats, certified.probabilities)
           for a, b in zip(row, mine)) and all(
            tuple(i for i, p in enumerate(row) if p > 0) == support
            for row, support in zip(eq.strategies, certified.supports)):
        return "tolerance"
    return None


# -- basins of attraction ----------------------------------------------------------------

def _payoff_vectors(tables, probabilities, player: int) -> np.ndarray:
    """Each starting point's payoff of each of ``player``'s strategies: (points, k).

    The player's table, its own axis first, is contracted with the other players'
    probabilities from the last axis inwards, one batched product at a time."""
    n = len(tables)
    points = len(probabilities[0])
    table = np.moveaxis(tables[player], player, 0)
    others = [j for j in range(n) if j != player]
    last = probabilities[others[-1]]
    values = (last @ table.reshape(-1, table.shape[-1]).T).reshape((points,) + table.shape[:-1])
    for j in reversed(others[:-1]):
        k = values.shape[-1]
        values = np.matmul(values.reshape(points, -1, k),
                           probabilities[j][:, :, None])[..., 0].reshape(values.shape[:-1])
    return values


def _capture_radius(game, profile, scale: float) -> float:
    """``δ`` such that ``profile``'s strategies stay strict best responses while every
    other player puts at least ``1 - δ`` on theirs (each payoff moves by at most
    ``2 δ`` times the payoff range per other player, for each of two strategies)."""
    n = game.n_players
    radius = 1.0
    for i, table in enumerate(game.payoffs):
        spread = float(np.max(table) - np.min(table)) / scale
        for d in range(game.shape[i]):
            if d != profile[i]:
                loss = float(table[profile] - table[profile[:i] + (d,) + profile[i + 1:]]) / scale
                radius = min(radius, loss / (8 * max(n - 1, 1) * max(spread, 1e-300)))
    return radius


def _starting_points(shape, points: int, seed: int) -> list[np.ndarray]:
    """``points`` draws uniform on the product of simplices: one Dirichlet(1, …, 1)
    per player (normalised exponentials), players in order."""
    rng = np.random.default_rng(seed)
    draws = []
    for k in shape:
        e = rng.exponential(size=(points, k))
        draws.append(e / e.sum(axis=1, keepdims=True))
    return draws


def _step(dynamic: str, tables, probabilities, h: float) -> list[np.ndarray]:
    updated = []
    for i, p in enumerate(probabilities):
        v = _payoff_vectors(tables, probabilities, i)
        if dynamic == REPLICATOR:
            mean = np.sum(p * v, axis=1, keepdims=True)
            q = np.clip(p + h * p * (v - mean), 0.0, None)
        else:
            best = v >= v.max(axis=1, keepdims=True) - 1e-12
            target = best / best.sum(axis=1, keepdims=True)
            q = p + h * (target - p)
        updated.append(q / q.sum(axis=1, keepdims=True))
    return updated


def _best_response_flow(tables, probabilities, events: int) -> list[np.ndarray]:
    """The best-response dynamics of a two-player game followed exactly, switch by
    switch: while the best responses ``(b, c)`` stay the same the point moves
    straight towards them, ``x(t) = b + (x₀ - b) e^{-t}``, so every payoff difference
    is affine in ``s = e^{-t}`` and the next switch is the largest root in ``(0, 1)``
    (each point is moved just past it). A point with no further switch reaches
    ``(b, c)``, a pure equilibrium. At most ``events`` switches per point."""
    A, B = tables
    x, y = (p.copy() for p in probabilities)
    moving = np.ones(len(x), dtype=bool)
    for _ in range(events):
        if not moving.any():
            break
        xs, ys = x[moving], y[moving]
        row_values, column_values = ys @ A.T, xs @ B
        row_best = np.argmax(row_values, axis=1)
        column_best = np.argmax(column_values, axis=1)
        X = np.eye(A.shape[0])[row_best]
        Y = np.eye(A.shape[1])[column_best]
        s_star = np.zeros(len(xs))
        for values, best, limit_values in ((row_values, row_best, Y @ A.T),
                                           (column_values, column_best, X @ B)):
            here = values - values[np.arange(len(best)), best][:, None]
            there = limit_values - limit_values[np.arange(len(best)), best][:, None]
            with np.errstate(divide="ignore", invalid="ignore"):
                roots = np.where(there > 0, there / (there - here), 0.0)
            s_star = np.maximum(s_star, np.clip(roots, 0.0, 1.0).max(axis=1))
        s_past = s_star * (1 - 1e-9)
        x[moving] = X + (xs - X) * s_past[:, None]
        y[moving] = Y + (ys - Y) * s_past[:, None]
        finished = np.flatnonzero(moving)[s_star == 0]
        moving[finished] = False
    return [x, y]


def basins(result: EquilibriumSet, dynamic: str = REPLICATOR, points: int = DEFAULT_POINTS,
           seed: int = 0) -> Basins:
    """The share of starting points from which ``dynamic`` reaches each equilibrium.

    Starting points are uniform on the product of the players' simplices (seeded);
    the dynamic runs :data:`STEPS` Euler steps of :data:`STEP_SIZE` on payoffs divided
    by the payoff scale. Work (points × steps × payoff entries × players) is bounded by
    ``POLICY_LIMIT_BASIN_WORK``: past it fewer points are used (at least 100), and the
    note says so; a game too large even for that gets no points and a note.

    >>> from policy.numeric import NumericGame
    >>> from policy.equilibria import find_equilibria
    >>> pd = NumericGame.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> [(s.equilibrium, s.share) for s in basins(find_equilibria(pd), points=100).shares]
    [(0, 1.0)]
    """
    from .logit import payoff_range

    if dynamic not in DYNAMICS:
        raise ValueError(f"unknown dynamic {dynamic!r}; choose one of {', '.join(DYNAMICS)}")
    game = result.game
    h = STEP_SIZE[dynamic]
    per_point = STEPS * math.prod(game.shape) * game.n_players
    budget = limit("basin_work")
    note = ""
    if per_point * points > budget:
        fewer = budget // per_point
        if fewer < _FEWEST_POINTS:
            return Basins(dynamic, 0, seed, STEPS, h, (), note=(
                f"not computed: even {_FEWEST_POINTS} starting points would pass the work limit "
                f"of {budget:,} ({exceeded('basin_work')})"))
        note = (f"{fewer} starting points, not {points}: the work limit is {budget:,} "
                f"({exceeded('basin_work')})")
        points = int(fewer)
    scale = payoff_range(game)
    tables = [t / scale for t in game.payoffs]
    probabilities = _starting_points(game.shape, points, seed)
    origins = (tuple(zip(probabilities[0][:, 0].tolist(), probabilities[1][:, 0].tolist()))
               if game.shape == (2, 2) else ())
    strict = strict_pure_equilibria(result)
    boxes = [(index, profile, _capture_radius(game, profile, scale)) for index, profile in strict]
    reached = np.full(points, -1)
    active = np.ones(points, dtype=bool)
    exact_flow = dynamic == BEST_RESPONSE and game.n_players == 2
    averaged = dynamic == BEST_RESPONSE and not exact_flow
    tail = [np.zeros_like(p) for p in probabilities]
    if exact_flow:
        probabilities = _best_response_flow(tables, probabilities, STEPS)
        boxes = []
    for step in range(0 if exact_flow else STEPS):
        for index, profile, radius in boxes:
            inside = active.copy()
            for i, s in enumerate(profile):
                inside &= probabilities[i][:, s] >= 1 - radius
            reached[inside] = index
            active &= ~inside
        if not active.any():
            break
        moving = [p[active] for p in probabilities]
        moved = _step(dynamic, tables, moving, h)
        for p, q in zip(probabilities, moved):
            p[active] = q
        if averaged and step >= STEPS - _AVERAGED_STEPS:
            for total, p in zip(tail, probabilities):
                total += p
    if averaged:  # Euler steps of the best-response dynamics circle a mixed equilibrium
        probabilities = [total / _AVERAGED_STEPS for total in tail]
    strict_indices = set() if exact_flow else {index for index, _ in strict}
    for index, eq in enumerate(result.equilibria):
        if index in strict_indices or not active.any():
            continue
        close = active.copy()
        for i, s in enumerate(eq.strategies):
            target = np.array([float(v) for v in s])
            close &= np.max(np.abs(probabilities[i] - target), axis=1) <= SETTLE_DISTANCE
        reached[close] = index
        active &= ~close
    counts = {}
    for value in reached.tolist():
        key = None if value < 0 else value
        counts[key] = counts.get(key, 0) + 1
    order = sorted(counts, key=lambda k: (k is None, k if k is not None else 0))
    shares = tuple(BasinShare(k, counts[k], round(counts[k] / points, 6),
                              wilson_interval(counts[k], points)) for k in order)
    return Basins(dynamic, points, seed, STEPS, h, shares, note, origins,
                  tuple(reached.tolist()) if origins else ())


def select_equilibrium(result: EquilibriumSet, *, points: int = DEFAULT_POINTS,
                       seed: int = 0) -> Selection:
    """Every criterion at once: risk and payoff dominance, the logit limit, and the
    basins of the replicator and best-response dynamics (``points`` starting points
    drawn with ``seed``).

    >>> from policy.numeric import NumericGame
    >>> from policy.equilibria import find_equilibria
    >>> pd = NumericGame.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> select_equilibrium(find_equilibria(pd), points=100).selected()
    {'risk dominance': None, 'payoff dominance': None, 'logit limit': 0, 'replicator dynamics': 0, 'best-response dynamics': 0}
    """
    return Selection(len(result.equilibria), risk_dominance(result), payoff_dominance(result),
                     logit_selection(result),
                     tuple(basins(result, dynamic, points, seed) for dynamic in DYNAMICS))

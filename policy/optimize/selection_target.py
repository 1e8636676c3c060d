"""The cheapest controls that make a target the *selected* equilibrium
(``--robust risk-dominant`` and ``--robust logit``), for 2×2 games.

Notation: the target ``a = (r, c)`` and the other diagonal profile ``b = (r', c')``.
With the controls ``x`` the payoffs are affine in ``x``
(:func:`policy.optimize.scenarios.affine_payoffs`), and so are the deviation losses
``u_a = A[r,c] - A[r',c]``, ``v_a = B[r,c] - B[r,c']`` at the target and
``u_b = A[r',c'] - A[r,c']``, ``v_b = B[r',c'] - B[r',c]`` at ``b``. The target is
selected by risk dominance (:func:`policy.selection.risk_dominance`) when it is a
strict equilibrium (``u_a, v_a ≥ ε``) and either

- ``b`` is a strict equilibrium too (``u_b, v_b ≥ ε``) and the target's Nash product
  is larger: ``u_a v_a - u_b v_b ≥ ε`` (a bilinear condition), or
- ``b`` is no equilibrium: ``u_b ≤ -ε`` or ``v_b ≤ -ε`` (the target is then the only
  equilibrium: one of its strategies is strictly dominant).

(A margin ``ε`` keeps the answer away from knife edges, where ``b`` would be a weak
equilibrium or the products tie.) Each case is solved **exactly**: the cheapest point
of ``{x : linear constraints ≥ 0, q(x) ≥ 0}`` lies at a vertex of the polyhedron or
at a Karush–Kuhn–Tucker point of the cost on the quadric ``q = 0`` within one of its
faces; every face (set of active constraints, at most one per control) is examined
with sympy, in rational or quadratic-irrational arithmetic, and the cheapest
feasible candidate is kept (ties: the one closest to the declared values). The number
of faces examined is bounded by ``POLICY_LIMIT_SELECTION_FACES``.

In 2×2 games with two strict equilibria the principal logit branch selects the
risk-dominant one (Turocy 2005, *Games and Economic Behavior* 51:243–263), so
``--robust logit`` solves the same problem, and verifies its answer with the logit
path itself. Every policy is verified by re-solving the game at the chosen controls
and asking :mod:`policy.selection` (never the optimisation) which equilibrium is
selected.

Examples
--------
>>> import policy
>>> result = cheapest_selected(policy.load("platform_entry"), {"entrant": "enter"})
>>> result.target, result.controls, result.cost, result.verified
({'incumbent': 'restrain', 'entrant': 'enter'}, {'scale_levy': Fraction(1, 3000), 'entry_subsidy': Fraction(0, 1)}, Fraction(0, 1), True)
"""

from __future__ import annotations

import itertools
import time
from fractions import Fraction
from typing import Mapping, Sequence

import sympy

from ..errors import ModelError
from ..limits import exceeded, limit
from ..symbolic import SymbolicGame
from .problem import DEFAULT_MARGIN, completions, control_specs, profile_index
from .results import ImplementationResult
from .scenarios import affine_payoffs
from .solver import DEFAULT_SOLVER, SolverOptions
from .status import (INFEASIBLE, NOT_SOLVED, OPTIMAL, SEARCH_BEST_FOUND,
                     SEARCH_NOTHING_FOUND)

__all__ = ["SELECTION_ROBUSTNESS", "cheapest_selected", "selected_controls",
           "is_exactly_solvable", "refuse_repeated_search"]

#: The robustness notions answered here (``basin`` by the search only).
SELECTION_ROBUSTNESS = ("risk-dominant", "logit", "basin")

_ROUNDING_DIGITS = range(6, 16, 3)


# -- the exact small problem: min c·x subject to linear rows ≥ 0 and one quadric ≥ 0 --------

class _FaceLimit(Exception):
    pass


class _Search:
    """Counts the faces examined, against ``POLICY_LIMIT_SELECTION_FACES``."""

    def __init__(self) -> None:
        self.faces = 0
        self.budget = limit("selection_faces")

    def count(self) -> None:
        self.faces += 1
        if self.faces > self.budget:
            raise _FaceLimit


def _nonnegative(value) -> bool:
    """Whether an exact number (rational, or with square roots) is ≥ 0; decided by
    sympy exactly, and False when it cannot decide (never a guess)."""
    value = sympy.expand(sympy.sympify(value))
    if value.is_Rational:
        return value >= 0
    return value.is_nonnegative is True


def _is_feasible(point, rows, quadric) -> bool:
    if not all(_nonnegative(sum(sympy.Rational(a) * x for a, x in zip(coef, point))
                            + sympy.Rational(const)) for coef, const, _ in rows):
        return False
    return quadric is None or _nonnegative(quadric(point))


def _candidates(n: int, rows, quadric_parts, search: _Search, cost):
    """Every candidate optimum: vertices, and KKT points on the quadric within faces."""
    z_symbols = sympy.symbols(f"z0:{n}", real=True)
    found = []
    for size in range(n + 1):
        if quadric_parts is None and size < n:
            continue
        for active in itertools.combinations(range(len(rows)), size):
            search.count()
            if active:
                matrix = sympy.Matrix([[sympy.Rational(a) for a in rows[k][0]] for k in active])
                rhs = sympy.Matrix([-sympy.Rational(rows[k][1]) for k in active])
                if matrix.rank() < size:
                    continue
                particular, free = matrix.gauss_jordan_solve(rhs)
                origin = particular.subs({t: 0 for t in free})
                basis = matrix.nullspace()
            else:
                origin, basis = sympy.zeros(n, 1), [sympy.eye(n)[:, j] for j in range(n)]
            if size == n:
                found.append(tuple(origin))
                continue
            found += _kkt_points(origin, basis, z_symbols[:len(basis)], quadric_parts, cost)
    return found


def _kkt_points(origin, basis, z, quadric_parts, cost):
    """On the face ``x = origin + Σ z_j basis_j``: the points where the cost is
    stationary on the quadric ``q = 0`` (``Nᵀc = μ ∇_z q``), and where ``q`` itself is
    stationary (all that matters on a face where the cost is constant)."""
    x = origin + sum((b * zj for b, zj in zip(basis, z)), sympy.zeros(len(origin), 1))
    q = sympy.expand(quadric_parts(tuple(x)))
    gradient = [sympy.diff(q, zj) for zj in z]
    projected = [sum(sympy.Rational(c) * b[i] for i, c in enumerate(cost)) for b in basis]
    points = []
    multiplier = sympy.Symbol("mu", real=True)
    systems = [([g for g in gradient], list(z)),  # μ = 0 below gives q's roots on an edge
               ([p - multiplier * g for p, g in zip(projected, gradient)] + [q],
                list(z) + [multiplier])]
    for equations, unknowns in systems:
        try:
            solutions = sympy.solve(equations, unknowns, dict=True)
        except NotImplementedError:  # pragma: no cover - sympy gave up on the system
            continue
        for solution in solutions:
            point = tuple(sympy.simplify(v.subs(solution)) for v in x)
            if all(not v.free_symbols and v.is_real for v in point):
                points.append(point)
    return points


def _rational_near(point, rows, quadric, cost):
    """A rational feasible point next to an irrational optimum: each coordinate
    rounded down or up at 10⁻⁶, 10⁻⁹, … (the cheapest feasible rounding)."""
    for digits in _ROUNDING_DIGITS:
        scale = 10 ** digits
        options = []
        for x in point:
            value = sympy.Rational(sympy.floor(x * scale), scale)
            options.append((value, value + sympy.Rational(1, scale)) if value != x else (value,))
        feasible = [p for p in itertools.product(*options) if _is_feasible(p, rows, quadric)]
        if feasible:
            return min(feasible, key=lambda p: (sum(c * v for c, v in zip(cost, p)), p))
    return None


def _cheapest_point(n: int, rows, quadric_parts, cost, declared, search: _Search):
    """(point, exact optimum or None when it is irrational) of one case, or None when
    the case is infeasible."""
    quadric = quadric_parts
    candidates = [p for p in _candidates(n, rows, quadric_parts, search, cost)
                  if _is_feasible(p, rows, quadric)]
    if not candidates:
        return None

    def key(point):
        value = sum(sympy.Rational(c) * v for c, v in zip(cost, point))
        distance = sum(abs(v - sympy.Rational(d)) for v, d in zip(point, declared))
        return (float(value), float(distance), tuple(float(v) for v in point))

    best = min(candidates, key=key)
    if all(v.is_Rational for v in best):
        return best, None
    rational = _rational_near(best, rows, quadric, cost)
    return (rational, best) if rational is not None else None


# -- the 2×2 conditions -------------------------------------------------------------------

def _gap(affine, shape, at, away, player):
    """Player's payoff at ``at`` minus at ``away``, as (coefficients, constant)."""
    k_at, k_away = profile_index(shape, at), profile_index(shape, away)
    constant = Fraction(affine.constant[0][k_at][player]) - Fraction(affine.constant[0][k_away][player])
    coefficients = [Fraction(a) - Fraction(b) for a, b in zip(
        affine.coefficient[0][k_at][player], affine.coefficient[0][k_away][player])]
    return coefficients, constant


def _shifted(gap, sign: int, margin: Fraction, name: str):
    """The row ``sign · gap - margin ≥ 0``."""
    coefficients, constant = gap
    return [sign * a for a in coefficients], sign * constant - margin, name


def _affine_value(gap, point):
    return sum(sympy.Rational(a) * x for a, x in zip(gap[0], point)) + sympy.Rational(gap[1])


def _check_game(game: SymbolicGame, controls) -> None:
    if game.shape != (2, 2):
        raise ModelError(f"--robust risk-dominant and logit need a two-player game with two "
                         f"strategies each (2×2); {game.name} is "
                         f"{'×'.join(map(str, game.shape))}")
    for control in controls.values():
        if control.type != "continuous" or control.fixed_cost != 0:
            raise ModelError(f"--robust risk-dominant and logit need continuous controls without "
                             f"a fixed cost; '{control.name}' is {control.type}"
                             + (" with a fixed cost" if control.fixed_cost != 0 else ""))
        if not control.bounds:
            raise ModelError(f"--robust risk-dominant and logit need bounds on every control; "
                             f"'{control.name}' has none")


def _rows_of(game, controls, affine, profile, margin):
    """The linear rows every case shares, and the four deviation gaps."""
    shape = game.shape
    (r, c) = profile
    other = (1 - r, 1 - c)
    names = list(controls)
    rows = []
    for k, name in enumerate(names):
        low, high = (Fraction(str(b)) for b in controls[name].bounds)
        unit = [Fraction(int(j == k)) for j in range(len(names))]
        rows.append((unit, -low, f"{name}_at_least_{low}"))
        rows.append(([-a for a in unit], high, f"{name}_at_most_{high}"))
    budget = game.spec.budget
    if budget is not None:
        rows.append(([-Fraction(str(controls[n].cost)) for n in names], Fraction(str(budget)),
                     "budget"))
    u_a = _gap(affine, shape, profile, (other[0], c), 0)
    v_a = _gap(affine, shape, profile, (r, other[1]), 1)
    u_b = _gap(affine, shape, other, (r, other[1]), 0)
    v_b = _gap(affine, shape, other, (other[0], c), 1)
    rows.append(_shifted(u_a, 1, margin, "target_strict_row"))
    rows.append(_shifted(v_a, 1, margin, "target_strict_column"))
    return rows, (u_a, v_a, u_b, v_b)


def selected_controls(game: SymbolicGame, profile: Sequence[int], values=None,
                      margin: Fraction = DEFAULT_MARGIN):
    """The cheapest controls making the full 2×2 ``profile`` risk-dominant (or the only
    equilibrium), exactly: (controls, cost, note) or None when no control values do.

    >>> import policy
    >>> game = policy.load("platform_entry")
    >>> selected_controls(game, (1, 0))[:2]
    ({'scale_levy': Fraction(1, 3000), 'entry_subsidy': Fraction(0, 1)}, Fraction(0, 1))
    """
    controls = control_specs(game)
    _check_game(game, controls)
    base = game.values_with(values)
    affine = affine_payoffs(game, [base])
    if not affine.is_exact:
        raise ModelError("--robust risk-dominant and logit need rational payoffs")
    names = list(controls)
    n = len(names)
    cost = [Fraction(str(controls[name].cost)) for name in names]
    declared = [Fraction(str(base[name])) for name in names]
    rows, (u_a, v_a, u_b, v_b) = _rows_of(game, controls, affine, profile, margin)

    def product_gap(point):
        return (_affine_value(u_a, point) * _affine_value(v_a, point)
                - _affine_value(u_b, point) * _affine_value(v_b, point) - sympy.Rational(margin))

    cases = [(rows + [_shifted(u_b, 1, margin, "other_strict_row"),
                      _shifted(v_b, 1, margin, "other_strict_column")], product_gap),
             (rows + [_shifted(u_b, -1, margin, "other_not_equilibrium_row")], None),
             (rows + [_shifted(v_b, -1, margin, "other_not_equilibrium_column")], None)]
    search = _Search()
    best = None
    for case_rows, quadric in cases:
        if n == 0:
            point = ()
            check = _nonnegative(quadric(point)) if quadric else True
            found = ((), None) if check and _is_feasible((), case_rows, None) else None
        else:
            found = _cheapest_point(n, case_rows, quadric, cost, declared, search)
        if found is None:
            continue
        point, irrational = found
        value = sum(c * Fraction(int(v.p), int(v.q)) for c, v in zip(cost, point))
        if best is None or value < best[1]:
            note = ""
            if irrational is not None:
                note = ("the exact optimum is irrational (" + ", ".join(
                    f"{name} = {sympy.sstr(v)}" for name, v in zip(names, irrational))
                    + "); the controls shown are a rational point next to it")
            best = ({name: Fraction(int(v.p), int(v.q)) for name, v in zip(names, point)},
                    value, note)
    return best


# -- the result, verified ---------------------------------------------------------------------

def _verify(game, base, profile, chosen, robust):
    """Re-solve at the chosen controls and ask :mod:`policy.selection` what it selects."""
    from ..selection import logit_selection, risk_dominance
    from .verify import bind_controls, other_equilibria

    numeric, _ = bind_controls(game, base, chosen)
    from ..equilibria import find_equilibria

    solved = find_equilibria(numeric)
    found, others = other_equilibria(game, solved, profile)
    if not found:
        return False, "the target is NOT an equilibrium at the chosen controls (re-solved)", others
    index = next(k for k, eq in enumerate(solved.equilibria) if eq.is_pure and all(
        s[profile[i]] == 1 for i, s in enumerate(eq.strategies)))
    if len(solved.equilibria) == 1:
        return True, ("the target is the only equilibrium at the chosen controls (re-solved, "
                      "checked exactly), so every criterion selects it"), others
    if robust == "logit":
        selected = logit_selection(solved)
        if selected.equilibrium != index:
            return False, ("the logit path does NOT end at the target at the chosen controls "
                           f"({selected.reason})"), others
        return True, ("the logit path ends at the target at the chosen controls (re-solved, its "
                      f"end certified {selected.match}); {len(others)} other equilibria remain"), \
            others
    risk = risk_dominance(solved)
    if risk.equilibrium != index:
        return False, f"the target is NOT risk-dominant at the chosen controls ({risk.reason})", \
            others
    products = "; ".join(
        f"{_product(mine)} against {_product(theirs)}" for pair in risk.pairs
        if index in pair.equilibria
        for mine, theirs in [pair.products if pair.equilibria[0] == index
                             else pair.products[::-1]])
    return True, ("the target is the risk-dominant equilibrium at the chosen controls (re-solved, "
                  f"checked exactly; Nash products {products}); {len(others)} other equilibria "
                  "remain"), others


def _verify_basin(game, base, profile, chosen, share, seed):
    """Re-solve at the chosen controls and re-estimate the target's replicator basin with
    a fresh ``seed``: its 95% interval's lower end must be at least ``share``."""
    from ..equilibria import find_equilibria
    from .selection_search import basin_share_at
    from .verify import bind_controls, other_equilibria

    numeric, _ = bind_controls(game, base, chosen)
    solved = find_equilibria(numeric)
    found, others = other_equilibria(game, solved, profile)
    measured = basin_share_at(numeric, profile, seed) if found else None
    if measured is None:
        return False, "the target is NOT an equilibrium at the chosen controls (re-solved)", others
    basin, estimate = measured
    low, high = basin.interval_95
    text = (f"re-estimated at the chosen controls with a fresh seed ({seed}; "
            f"{estimate.points:,} starting points, uniform on the players' simplices, "
            f"replicator dynamics): the target's basin is {basin.share:.1%} of them, 95% "
            f"interval [{low:.4f}, {high:.4f}]")
    if estimate.note:
        text += f" ({estimate.note})"
    if estimate.points == 0 or low < share:
        return False, (f"{text}, whose lower end is NOT at least the required share "
                       f"{float(share):g}"), others
    return True, (f"{text}, whose lower end is at least the required share {float(share):g} "
                  "(a statistical statement: another sample of starting points gives another "
                  f"estimate); {len(others)} other equilibria remain"), others


def _product(value) -> str:
    """A Nash product as text: exact, with a decimal when its denominator is long.

    >>> _product(Fraction(4)), _product(Fraction(900100022778889, 100000000000000))
    ('4', '900100022778889/100000000000000 ≈ 9.001')
    """
    if isinstance(value, Fraction) and value.denominator > 1000:
        return f"{value} ≈ {float(value):.6g}"
    return str(value)


def is_exactly_solvable(game: SymbolicGame) -> bool:
    """Whether the exact 2×2 method applies: a 2×2 game whose controls are all
    continuous, bounded and without a fixed cost (else the search of
    :mod:`policy.optimize.selection_search` answers).

    >>> import policy
    >>> is_exactly_solvable(policy.load("platform_entry")), is_exactly_solvable(policy.load("audit_and_entry"))
    (True, False)
    """
    if game.shape != (2, 2):
        return False
    return all(c.type == "continuous" and c.fixed_cost == 0 and c.bounds
               for c in control_specs(game).values())


def refuse_repeated_search(game: SymbolicGame, robust: str, what: str) -> None:
    """Raise ModelError when ``what`` (a ranking, a policy map) would run the bounded
    search of :mod:`policy.optimize.selection_search` once per profile or point: each
    search may evaluate ``POLICY_LIMIT_SELECTION_EVALUATIONS`` games, so only single
    targets are searched.

    >>> import policy
    >>> refuse_repeated_search(policy.load("platform_entry"), "logit", "--mode rank")
    >>> refuse_repeated_search(policy.load("platform_entry"), "basin", "--mode rank")
    Traceback (most recent call last):
    ...
    policy.errors.ModelError: --mode rank with --robust basin would run a bounded search for every profile; ask for one target instead (policy optimize GAME --target player=strategy --robust basin)
    """
    if robust in SELECTION_ROBUSTNESS and (robust == "basin" or not is_exactly_solvable(game)):
        raise ModelError(f"{what} with --robust {robust} would run a bounded search for every "
                         "profile; ask for one target instead (policy optimize GAME --target "
                         f"player=strategy --robust {robust})")


def cheapest_selected(game: SymbolicGame, target: Mapping[str, str],
                      values: Mapping[str, object] | None = None, *,
                      robust: str = "risk-dominant", margin: Fraction | None = None,
                      solver: SolverOptions = DEFAULT_SOLVER, basin_share=None,
                      seed: int = 0) -> ImplementationResult:
    """The cheapest controls making ``target`` the equilibrium selected by ``robust``
    (:data:`SELECTION_ROBUSTNESS`), verified by re-solving. Players left out of the
    target are free: every completion is tried and the cheapest kept.

    2×2 games with continuous controls are solved exactly (this module); every other
    game by the bounded search of :mod:`policy.optimize.selection_search`, whose answer
    is the cheapest point it found, and says so. For ``logit`` in the exact case, when
    the logit path does not confirm the answer at ``margin`` (a near-tie), the margin is
    raised tenfold, at most three times; the result's margin says which held.

    ``basin`` (always searched): the lower end of the 95% interval of the target's
    replicator basin must be at least ``basin_share`` (default
    :data:`~policy.optimize.selection_search.DEFAULT_BASIN_SHARE`), starting points
    drawn with ``seed`` during the search and with ``seed + 1`` for the verification."""
    from .selection_search import DEFAULT_BASIN_SHARE

    if robust not in SELECTION_ROBUSTNESS:
        raise ModelError(f"unknown robustness '{robust}' here; choose "
                         f"{', '.join(SELECTION_ROBUSTNESS)}")
    margin = Fraction(margin) if margin is not None else DEFAULT_MARGIN
    share = _basin_share(basin_share if basin_share is not None else DEFAULT_BASIN_SHARE)
    if robust == "basin":
        from .selection_search import BASIN_ROOMS

        for room in BASIN_ROOMS:  # more room when the fresh sample does not confirm
            result = _searched(game, target, values, robust, margin, share, seed, room)
            if result.verified or result.cost is None:
                break
        return result
    if not is_exactly_solvable(game):
        return _searched(game, target, values, robust, margin, share, seed)
    result = _cheapest_selected(game, target, values, robust, margin)
    if robust == "logit":
        # Near a tie of the Nash products the logit branch passes close to a bifurcation
        # and may follow the other branch: a larger margin, a bounded number of times.
        for factor in (10, 100, 1000):
            if result.verified or result.cost is None:
                break
            result = _cheapest_selected(game, target, values, robust, margin * factor)
    return result


def _basin_share(value) -> Fraction:
    """``--basin-share`` as a Fraction strictly between 0 and 1.

    >>> _basin_share("0.9"), _basin_share(Fraction(3, 4))
    (Fraction(9, 10), Fraction(3, 4))
    """
    try:
        share = Fraction(str(value).strip())
    except (ValueError, ZeroDivisionError):
        raise ModelError(f"--basin-share must be a number between 0 and 1, got {value!r}") \
            from None
    if not 0 < share < 1:
        raise ModelError(f"--basin-share must be between 0 and 1 (exclusive), got {value}")
    return share


def _searched(game, target, values, robust, margin, share=None, seed=0,
              room=1) -> ImplementationResult:
    """The search's answer over every completion of ``target``, verified."""
    from .selection_search import Budget, search_selected

    started = time.perf_counter()
    base = game.values_with(values)
    budget = Budget(limit("selection_evaluations"))
    best, explanations, stopped, grids = None, [], False, 0
    for profile in completions(game, target):
        names = ", ".join(game.strategies[i][s] for i, s in enumerate(profile))
        outcome = search_selected(game, profile, values, robust, margin, budget,
                                  basin_share=share, seed=seed, room=room)
        stopped = stopped or outcome.stopped
        grids = max(grids, outcome.grid_points)
        if outcome.point is None:
            explanations.append(f"no point the search examined makes {names} the selected "
                                f"equilibrium" + (" (it was stopped by the limit)"
                                                  if outcome.stopped else ""))
            continue
        if best is None or (outcome.cost, profile) < (best[1].cost, best[0]):
            best = (profile, outcome)
    searched = (f"a search over the controls' box ({grids:,} grid points examined cheapest "
                f"first, then line searches with bisection; {budget.used:,} evaluations of "
                f"the criterion" + (f", stopped by the limit {limit('selection_evaluations'):,}: "
                                    f"{exceeded('selection_evaluations')}" if stopped else "")
                + ")")
    common = dict(game=game.name, robust=robust, margin=margin, transfers={}, scenarios=0,
                  confidence=1.0, scenarios_satisfied=None,
                  solver="search (sampled basins)" if robust == "basin"
                  else "search (exact checks)")
    if best is None:
        explanation = "; ".join(explanations) + (f"; {searched}. This is not a proof that no "
                                                 "control values do")
        return ImplementationResult(target=dict(target),
                                    status=NOT_SOLVED if stopped else SEARCH_NOTHING_FOUND,
                                    controls={}, cost=None, explanation=explanation,
                                    verified=False, verification="", other_equilibria=[],
                                    seconds=time.perf_counter() - started, **common)
    profile, outcome = best
    chosen = dict(zip((c.name for c in game.spec.controls), outcome.point))
    if robust == "basin":
        verified, verification, others = _verify_basin(game, base, profile, chosen, share,
                                                       seed + 1)
        verification += (f"; the search (seed {seed}) asked for the lower end less {room} "
                         f"half-width{'s' if room > 1 else ''} of the interval to reach it")
    else:
        verified, verification, others = _verify(game, base, profile, chosen, robust)
    verification += (f"; the cheapest point found by {searched}, not proven cheapest: the "
                     "selection is not convex in the controls, so a cheaper point may lie "
                     "between grid points")
    return ImplementationResult(
        target={p: game.strategies[i][profile[i]] for i, p in enumerate(game.players)},
        status=SEARCH_BEST_FOUND, controls=chosen, cost=outcome.cost, explanation="",
        verified=verified, verification=verification, other_equilibria=others,
        seconds=time.perf_counter() - started, **common)


def _cheapest_selected(game, target, values, robust, margin) -> ImplementationResult:
    started = time.perf_counter()
    base = game.values_with(values)
    best = None
    explanations = []
    status = INFEASIBLE
    for profile in completions(game, target):
        names = {p: game.strategies[i][profile[i]] for i, p in enumerate(game.players)}
        try:
            found = selected_controls(game, profile, values, margin)
        except _FaceLimit:
            status = NOT_SOLVED
            explanations.append(f"the search for {names} examined more faces than the limit "
                                f"{limit('selection_faces'):,} ({exceeded('selection_faces')})")
            continue
        if found is None:
            explanations.append(f"no control values within the bounds make "
                                f"{', '.join(names.values())} the selected equilibrium")
            continue
        if best is None or (found[1], profile) < (best[1][1], best[0]):
            best = (profile, found)
    common = dict(game=game.name, robust=robust, margin=margin, transfers={}, scenarios=0,
                  confidence=1.0, scenarios_satisfied=None, solver="exact (sympy)")
    if best is None:
        return ImplementationResult(target=dict(target), status=status, controls={}, cost=None,
                                    explanation="; ".join(explanations), verified=False,
                                    verification="", other_equilibria=[],
                                    seconds=time.perf_counter() - started, **common)
    profile, (chosen, cost, note) = best
    verified, verification, others = _verify(game, base, profile, chosen, robust)
    if note:
        verification += f"; {note}"
    return ImplementationResult(
        target={p: game.strategies[i][profile[i]] for i, p in enumerate(game.players)},
        status=OPTIMAL if status != NOT_SOLVED else NOT_SOLVED, controls=chosen, cost=cost,
        explanation="", verified=verified, verification=verification, other_equilibria=others,
        seconds=time.perf_counter() - started, **common)

"""NumericGame (any number of players) → every equilibrium, by support enumeration.

Stage: between the numeric game and :mod:`policy.equilibria`, which calls
:func:`enumerate_supports` for games with three or more players.

Method
------
Every Nash equilibrium has exactly one *support profile*: the strategies each
player uses with positive probability. For a support profile ``S`` the
equilibria with that support are the solutions of a polynomial system (each
player is indifferent among the strategies it uses: equations multilinear in
the other players' probabilities) that satisfy strict positivity on ``S`` and
the best-response inequalities off ``S``. So:

1. Support profiles are visited smallest first, balanced ones first (Porter,
   Nudelman & Shoham 2008); one is skipped when a strategy in it is dominated by
   another strategy given the others' supports (conditional dominance: weakly, and
   strictly against some profile of the supports, which all have positive
   probability), which no equilibrium with exactly these supports allows.
2. The system is solved exactly: a Gröbner basis (sympy, grevlex then FGLM to
   lex) decides whether it has no solution, finitely many, or infinitely many.
   Finitely many solutions are written in *rational univariate representation*:
   every unknown a polynomial ``h(t)`` in one separating unknown ``t``, a root of
   a squarefree ``g(t)`` (made squarefree, when needed, by adding the squarefree
   parts of the unknowns' eliminants: Seidenberg's lemma). Each real root of
   each irreducible factor of ``g`` is an exact solution in ``Q(α)``
   (:mod:`policy.algebraic`), so positivity and the best-response check are exact.
3. A positive-dimensional solution set is probed at rational points of its free
   unknowns; equilibria found there are reported as points of a *continuum*, and
   the result is not called complete.

A support whose system is too large to solve exactly (its multihomogeneous
Bézout number, the generic number of solutions, is above the limit
``support_system_degree``) is left undecided, and the enumeration stops when its
work (1 per support plus that number) passes ``support_work``; the result then
says so and is not complete.

Examples
--------
>>> from policy.numeric import NumericGame
>>> import numpy as np
>>> shape = (2, 2, 2)
>>> u = [np.zeros(shape, dtype=int) for _ in range(3)]
>>> # each player gets 1 for matching the next player's choice (a cyclic game)
>>> for a, b, c in np.ndindex(shape):
...     u[0][a, b, c], u[1][a, b, c], u[2][a, b, c] = int(a == b), int(b == c), int(c != a)
>>> game = NumericGame.from_arrays(*u, name="cycle")
>>> found = enumerate_supports(game)
>>> [[str(p) for s in eq for p in s] for eq in found.profiles], found.complete
([['1/2', '1/2', '1/2', '1/2', '1/2', '1/2']], True)
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction
from typing import Iterator, Sequence

import numpy as np
import sympy

from .algebraic import Algebraic, NumberField
from .best_response import expected_payoffs, is_best_response_profile
from .limits import exceeded, limit
from .numeric import NumericGame

__all__ = ["SupportEnumeration", "Continuum", "enumerate_supports", "support_profiles",
           "bezout_number", "support_payoff"]

Number = Fraction | Algebraic
Profile = tuple[tuple[Number, ...], ...]

#: Rational values tried for the free unknowns of a positive-dimensional support system.
_PROBES = (Fraction(1, 2), Fraction(1, 3), Fraction(2, 3), Fraction(1, 4), Fraction(3, 4),
           Fraction(1, 5), Fraction(2, 5), Fraction(3, 5), Fraction(4, 5), Fraction(1, 7))
_MAX_PROBES = 24
#: Equilibria kept as examples of one positive-dimensional set.
_POINTS_PER_CONTINUUM = 3


@dataclass(frozen=True)
class Continuum:
    """Infinitely many equilibria with one support profile; ``points`` are indices into
    :attr:`SupportEnumeration.profiles` of equilibria found on it."""

    supports: tuple[tuple[int, ...], ...]
    points: tuple[int, ...]


@dataclass(frozen=True)
class SupportEnumeration:
    """What support enumeration found, and how far it got.

    ``profiles`` are exact (Fractions, or :class:`~policy.algebraic.Algebraic`
    numbers of one field per equilibrium) and each has passed the exact
    best-response check. ``complete`` is True when every support profile was
    decided and none has a positive-dimensional solution set.
    """

    profiles: tuple[Profile, ...]
    continua: tuple[Continuum, ...]
    undecided: tuple[tuple[tuple[int, ...], ...], ...]
    supports_examined: int
    supports_total: int
    degenerate: bool
    degeneracy_reason: str
    notes: tuple[str, ...]
    limited: bool = False   # a size limit stopped the enumeration or left a support unsolved

    @property
    def complete(self) -> bool:
        return not self.undecided and not self.continua and \
            self.supports_examined == self.supports_total


def support_profiles(shape: Sequence[int]) -> Iterator[tuple[tuple[int, ...], ...]]:
    """Every support profile, smallest total size first, then most balanced.

    >>> list(support_profiles((2, 2)))[:5]
    [((0,), (0,)), ((0,), (1,)), ((1,), (0,)), ((1,), (1,)), ((0,), (0, 1))]
    """
    by_size = [[c for k in range(1, m + 1) for c in itertools.combinations(range(m), k)]
               for m in shape]
    sizes = sorted(set(itertools.product(*[range(1, m + 1) for m in shape])),
                   key=lambda s: (sum(s), max(s) - min(s), s))
    for size in sizes:
        yield from itertools.product(*[[c for c in options if len(c) == k]
                                       for options, k in zip(by_size, size)])


def bezout_number(support_sizes: Sequence[int]) -> int:
    """The multihomogeneous Bézout number of a support's indifference system: the
    number of solutions a generic game has with supports of these sizes.

    Player ``i`` gives ``k_i - 1`` equations, each of degree one in the unknowns of
    every other mixing player; the number is the coefficient of ``Π z_j^(k_j - 1)``
    in ``Π_i (Σ_{j≠i} z_j)^(k_i - 1)``.

    >>> bezout_number((2, 2, 2)), bezout_number((3, 3, 3)), bezout_number((2, 2, 2, 2, 2))
    (2, 10, 44)
    """
    unknowns = [k - 1 for k in support_sizes]
    mixing = [j for j, d in enumerate(unknowns) if d]
    target = tuple(unknowns[j] for j in mixing)
    counts: dict[tuple[int, ...], int] = {tuple(0 for _ in mixing): 1}
    for i in mixing:
        for _ in range(unknowns[i]):
            following: dict[tuple[int, ...], int] = {}
            for exponents, count in counts.items():
                for position, j in enumerate(mixing):
                    if j == i or exponents[position] == target[position]:
                        continue
                    raised = exponents[:position] + (exponents[position] + 1,) + \
                        exponents[position + 1:]
                    following[raised] = following.get(raised, 0) + count
            counts = following
    return counts.get(target, 0)


# --------------------------------------------------------------------------------------
# the enumeration
# --------------------------------------------------------------------------------------

def enumerate_supports(game: NumericGame) -> SupportEnumeration:
    """Every equilibrium of ``game`` with an exact certificate (see the module docstring).

    The game must be exact (rational payoffs): :attr:`NumericGame.exact_payoffs`.
    """
    if not game.is_exact:
        raise ValueError("support enumeration needs rational payoffs")
    arrays = game.exact_payoffs
    shape = game.shape
    total = int(np.prod([2**m - 1 for m in shape]))
    budget = limit("support_work")
    degree_limit = limit("support_system_degree")
    work = 0
    profiles: list[Profile] = []
    index_of: dict[tuple, int] = {}   # a profile's floats → its index in ``profiles``
    continua: list[Continuum] = []
    undecided: list[tuple[tuple[int, ...], ...]] = []
    reason = ""
    examined = too_large = 0
    for supports in support_profiles(shape):
        generic = bezout_number([len(s) for s in supports])
        work += 1 + min(generic, degree_limit)
        if work > budget:
            break
        examined += 1
        if _conditionally_dominated(arrays, supports):
            continue
        if generic > degree_limit:
            undecided.append(supports)
            too_large += 1
            continue
        outcome = _solve_support(game, arrays, supports)
        if outcome.reason and not reason:
            reason = outcome.reason
        indices = []
        for profile in outcome.profiles:
            key = tuple(tuple(float(p) for p in s) for s in profile)
            if key not in index_of:
                index_of[key] = len(profiles)
                profiles.append(profile)
            indices.append(index_of[key])
        if outcome.continuum:
            continua.append(Continuum(supports, tuple(sorted(set(indices)))))
        elif outcome.positive_dimensional:
            undecided.append(supports)
    notes = []
    if examined < total:
        notes.append(f"support enumeration stopped after {examined:,} of {total:,} support "
                     f"profiles, smallest first (limit support_work; {exceeded('support_work')})")
    if too_large:
        notes.append(f"{too_large} support profile(s) have indifference systems with more "
                     f"than {degree_limit} generic solutions and were not solved (limit "
                     f"support_system_degree; {exceeded('support_system_degree')})")
    open_ended = len(undecided) - too_large
    if open_ended:
        notes.append(f"{open_ended} support profile(s) have infinitely many solutions to their "
                     "indifference equations that probing at rational points could not settle; "
                     "equilibria with those supports may be missing")
    if continua:
        notes.append(f"{len(continua)} support profile(s) carry a continuum of equilibria; "
                     "the points listed on each are examples, not the whole set")
    degenerate = bool(reason) or bool(continua) or open_ended > 0
    if degenerate and not reason:
        reason = "a support's indifference equations have infinitely many solutions"
    return SupportEnumeration(
        profiles=tuple(profiles), continua=tuple(continua), undecided=tuple(undecided),
        supports_examined=examined, supports_total=total, degenerate=degenerate,
        degeneracy_reason=reason, notes=tuple(notes),
        limited=examined < total or bool(too_large))


def _conditionally_dominated(arrays, supports) -> bool:
    """Whether some strategy in a support is weakly dominated, strictly somewhere, by
    another pure strategy of its player against the profiles of the others' supports.

    No equilibrium has these supports: every such profile has positive probability, so
    the dominating strategy would pay strictly more than one the player uses.
    """
    for player, array in enumerate(arrays):
        index = [list(s) for s in supports]
        index[player] = list(range(array.shape[player]))
        sub = np.moveaxis(array[np.ix_(*index)], player, 0).reshape(array.shape[player], -1)
        for used in supports[player]:
            row = sub[used]
            for other in range(array.shape[player]):
                if other != used and all(a >= b for a, b in zip(sub[other], row)) and \
                        any(a > b for a, b in zip(sub[other], row)):
                    return True
    return False


@dataclass(frozen=True)
class _SupportOutcome:
    profiles: tuple[Profile, ...]
    positive_dimensional: bool
    reason: str
    continuum: bool = False    # a point found is interior: its neighbours on the set are equilibria


def _unused_strictly_worse(game: NumericGame, supports, profile: Profile) -> bool:
    """Whether every unused strategy pays strictly less than the support at ``profile``:
    then nearby solutions of the same equations are equilibria too."""
    for player, array in enumerate(game.exact_payoffs):
        values = expected_payoffs(array, profile, skip=player)
        best = values[supports[player][0]]
        if any(not values[s] < best for s in range(len(values)) if s not in supports[player]):
            return False
    return True


def _solve_support(game: NumericGame, arrays, supports) -> _SupportOutcome:
    symbols, probabilities, equations, tie = _indifference_system(arrays, supports)
    if any(e.is_number and e != 0 for e in equations):
        return _SupportOutcome((), False, "")
    equations = [e for e in equations if e != 0]
    if not symbols:
        found = _accept(game, supports, probabilities, {})
        return _SupportOutcome(tuple(found), False, tie if found else "")
    basis = sympy.groebner(equations, *symbols, order="grevlex", domain="QQ") if equations \
        else None
    if basis is not None and list(basis.exprs) == [1]:
        return _SupportOutcome((), False, "")
    if basis is not None and not basis.is_zero_dimensional:
        basis = _interior_basis(equations, symbols, probabilities)
        if list(basis.exprs) == [1] or _no_value_inside(basis, symbols):
            return _SupportOutcome((), False, "")
        equations = list(basis.exprs)
    if basis is None or not basis.is_zero_dimensional:
        found, decided, continuum = _probe_continuum(game, supports, probabilities, symbols,
                                                     equations)
        reason = (f"with supports {_support_names(game, supports)} the indifference equations "
                  "have infinitely many solutions") if found else ""
        return _SupportOutcome(tuple(found), not decided, reason, continuum)
    found = []
    for solution in _real_solutions(basis, symbols):
        found.extend(_accept(game, supports, probabilities, dict(zip(symbols, solution))))
    return _SupportOutcome(tuple(found), False, tie if found else "")


def _support_names(game: NumericGame, supports) -> str:
    return "; ".join(f"{player} {{{', '.join(game.strategies[i][s] for s in support)}}}"
                     for i, (player, support) in enumerate(zip(game.players, supports)))


def _indifference_system(arrays, supports):
    """Unknowns, each player's probability expressions on its support, the equations
    (sympy expressions, built in a sparse polynomial ring), and a note when a player is
    indifferent whatever the others do on these supports."""
    names = [f"p{player}_{k}" for player, support in enumerate(supports)
             for k in range(1, len(support))]
    ring, *generators = sympy.ring(names, sympy.QQ) if names else (None,)
    one = ring.one if ring is not None else 1
    probabilities, position = [], 0
    for support in supports:
        own = generators[position:position + len(support) - 1]
        position += len(support) - 1
        probabilities.append([one - sum(own, 0 * one)] + list(own))
    symbols = list(ring.symbols) if ring is not None else []
    equations = []
    tie = ""
    for player, array in enumerate(arrays):
        support = supports[player]
        if len(support) < 2:
            continue
        values = [support_payoff(array, player, s, supports, probabilities) for s in support]
        for value in values[1:]:
            difference = value - values[0]
            if difference == 0 and not tie:
                tie = "a player is indifferent among the strategies of its support whatever " \
                      "the others do on theirs"
            equations.append(_expression(difference))
    return symbols, [[_expression(p) for p in ps] for ps in probabilities], equations, tie


def _expression(polynomial) -> sympy.Expr:
    return polynomial.as_expr() if hasattr(polynomial, "as_expr") else sympy.Integer(polynomial)


def _ring_number(value: Fraction):
    return sympy.QQ(value.numerator, value.denominator)


def _rational(value: Fraction) -> sympy.Rational:
    return sympy.Rational(value.numerator, value.denominator)


def support_payoff(array, player, strategy, supports, probabilities, coefficient=_ring_number):
    """Player's payoff for a pure strategy against the others' probabilities on their
    supports: a polynomial in the unknowns of ``probabilities`` (ring elements, or sympy
    expressions), each entry of ``array`` turned into a coefficient by ``coefficient``
    (exact payoffs into the ring by default; symbolic payoffs may be kept as they are)."""
    index = [list(s) for s in supports]
    index[player] = [strategy]
    sub = np.take(array[np.ix_(*index)], 0, axis=player)
    others = [probabilities[j] for j in range(len(supports)) if j != player]
    terms = [((), 1)]
    for vector in others:  # every profile of the others' supports, with its probability
        terms = [(position + (k,), weight * p) for position, weight in terms
                 for k, p in enumerate(vector)]
    total = 0
    for position, weight in terms:
        value = sub[position]
        if value:
            total = total + weight * coefficient(value)
    return total


def _accept(game, supports, probabilities, assignment) -> list[Profile]:
    """The full profile at ``assignment`` if it is an equilibrium with exactly these supports."""
    profile = []
    for player, support in enumerate(supports):
        values = [_evaluate(p, assignment) for p in probabilities[player]]
        if any(not v > 0 for v in values):
            return []
        row = [Fraction(0)] * game.shape[player]
        for s, v in zip(support, values):
            row[s] = v
        profile.append(tuple(row))
    profile = tuple(profile)
    return [profile] if is_best_response_profile(game, profile) else []


def _evaluate(expression: sympy.Expr, assignment) -> Number:
    """A probability expression (affine in the unknowns) at exact values."""
    poly = sympy.Poly(expression, *assignment.keys()) if assignment else None
    if poly is None:
        value = expression
        return Fraction(int(value.p), int(value.q))
    total: Number = Fraction(0)
    for monomial, coefficient in poly.terms():
        term: Number = Fraction(int(coefficient.p), int(coefficient.q))
        for value, power in zip(assignment.values(), monomial):
            for _ in range(power):
                term = term * value
        total = total + term
    return total


# --------------------------------------------------------------------------------------
# zero-dimensional systems: rational univariate representation
# --------------------------------------------------------------------------------------

def _separating_forms(count: int) -> Iterator[tuple[int, ...]]:
    yield tuple(int(k == count - 1) for k in range(count))
    yield tuple(range(1, count + 1))
    yield tuple(3**k for k in range(count))
    rng = np.random.default_rng(20261202)
    for _ in range(8):
        yield tuple(int(v) for v in rng.integers(-9, 10, size=count))


def _real_solutions(basis, symbols) -> list[tuple[Number, ...]]:
    """Every real solution of a zero-dimensional system, exactly."""
    generators = list(basis.exprs)
    t = sympy.Symbol("t_separating")
    for attempt in range(2):
        for count, form in enumerate(_separating_forms(len(symbols))):
            if count == 0 and attempt == 0:  # the last unknown itself: no new Gröbner basis
                shape = _shape(list(basis.fglm("lex").exprs), symbols[:-1], symbols[-1])
                if shape is not None:
                    coordinates, g = shape
                    shape = ([h.subs(symbols[-1], t) for h in coordinates] + [t],
                             g.subs(symbols[-1], t))
            else:
                linear = t - sum(c * s for c, s in zip(form, symbols))
                lex = sympy.groebner(generators + [linear], *symbols, t, order="grevlex",
                                     domain="QQ").fglm("lex")
                shape = _shape(lex.exprs, symbols, t)
            if shape is None:
                continue
            coordinates, g = shape
            if sympy.degree(sympy.gcd(g, sympy.diff(g, t)), t) > 0:
                break  # not radical: make it so, then start again
            return _roots(coordinates, g, t)
        generators = generators + [_squarefree_eliminant(generators, symbols, s) for s in symbols]
    raise ArithmeticError("no separating linear form found")  # pragma: no cover


def _shape(exprs, symbols, t):
    """``([h_1(t), …], g(t))`` when the lex basis is ``x_i - h_i(t), g(t)``; else None."""
    if len(exprs) != len(symbols) + 1:
        return None
    coordinates = []
    for expression, symbol in zip(exprs, symbols):
        rest = sympy.expand(symbol - expression)
        if rest.free_symbols - {t}:
            return None
        coordinates.append(rest)
    g = exprs[-1]
    if g.free_symbols - {t}:
        return None
    return coordinates, g


def _squarefree_eliminant(generators, symbols, symbol) -> sympy.Expr:
    order = [s for s in symbols if s != symbol] + [symbol]
    lex = sympy.groebner(generators, *order, order="grevlex", domain="QQ").fglm("lex")
    return sympy.sqf_part(lex.exprs[-1])


def _roots(coordinates, g, t) -> list[tuple[Number, ...]]:
    """The solutions ``(h_1(t), …)`` at every real root ``t`` of ``g``."""
    return [tuple(_value_at(h, t, root) for h in coordinates)
            for root in _real_roots(sympy.Poly(g, t))]


def _real_roots(poly: sympy.Poly) -> list[Number]:
    """Every real root of a univariate polynomial, exactly: a Fraction, or the generator
    of the number field of an irreducible factor."""
    roots: list[Number] = []
    for factor, _ in poly.factor_list()[1]:
        if factor.degree() == 1:
            a, b = factor.all_coeffs()
            roots.append(-Fraction(int(b.p), int(b.q)) / Fraction(int(a.p), int(a.q)))
            continue
        _, integral = factor.clear_denoms(convert=True)
        roots.extend(NumberField.from_polynomial(integral.all_coeffs(), index).generator
                     for index in range(integral.count_roots()))
    return roots


def _value_at(expression, t, root: Number) -> Number:
    """A polynomial in ``t`` at an exact root (Horner; exact in the root's field)."""
    total: Number = Fraction(0)
    for c in sympy.Poly(expression, t).all_coeffs():
        total = total * root + Fraction(int(c.p), int(c.q))
    return total


# --------------------------------------------------------------------------------------
# positive-dimensional systems
# --------------------------------------------------------------------------------------

def _segment_equilibria(game, supports, probabilities, symbol) -> tuple[list[Profile], bool]:
    """Every equilibrium kind on a support with one unknown and no equation left (one
    player indifferent between two strategies against pure opponents): the constraints
    are polynomials in that unknown, so testing each of their roots in (0, 1) and a
    rational point between each pair of neighbouring roots decides the support exactly.
    Returns the equilibria at those test points (a segment is represented by its
    interior test point and its endpoints that are equilibria with this support), and
    whether a segment of equilibria was found."""
    differences = set()
    for player, array in enumerate(game.exact_payoffs):
        payoffs = [sympy.expand(support_payoff(array, player, s, supports, probabilities,
                                               _rational))
                   for s in range(array.shape[player])]
        differences.update(sympy.expand(a - b) for a, b in itertools.combinations(payoffs, 2))
    points = {Fraction(0), Fraction(1)}
    algebraic: list[Number] = []
    for difference in differences:
        poly = sympy.Poly(difference, symbol)
        if poly.degree() >= 1:
            for root in _real_roots(poly):
                if isinstance(root, Fraction):
                    points.add(root)
                else:
                    algebraic.append(root)
    ordered = sorted(p for p in points if 0 <= p <= 1)
    tests = list(ordered) + [(a + b) / 2 for a, b in zip(ordered, ordered[1:])] + \
        [a for a in algebraic if 0 < a < 1]
    found = []
    segment = False
    for k, value in enumerate(tests):
        accepted = _accept(game, supports, probabilities, {symbol: value})
        found.extend(accepted)
        segment = segment or bool(accepted and len(ordered) <= k < 2 * len(ordered) - 1)
    return found, segment


def _probe_continuum(game, supports, probabilities, symbols, equations
                     ) -> tuple[list[Profile], bool, bool]:
    """Equilibria on a positive-dimensional support, whether the support is decided, and
    whether they form a continuum.

    One unknown and no equation: decided exactly (:func:`_segment_equilibria`).
    Otherwise the free unknowns are fixed at rational values (deterministic order)
    and the rest solved exactly: what is found is real, but not necessarily all; it
    is a continuum when a point found has every unused strategy strictly worse.
    """
    if not equations and len(symbols) == 1:
        found, segment = _segment_equilibria(game, supports, probabilities, symbols[0])
        return found, True, segment
    free = _free_unknowns(equations, symbols)
    found: list[Profile] = []
    for values in itertools.islice(itertools.product(_PROBES, repeat=len(free)), _MAX_PROBES):
        if len(found) >= _POINTS_PER_CONTINUUM:
            break
        fixed = dict(zip(free, (sympy.Rational(v.numerator, v.denominator) for v in values)))
        remaining = [s for s in symbols if s not in fixed]
        reduced = [sympy.expand(e.subs(fixed)) for e in equations]
        if any(e.is_number and e != 0 for e in reduced):
            continue
        reduced = [e for e in reduced if e != 0]
        if not remaining:
            if not reduced:
                found.extend(_accept(game, supports, probabilities,
                                     {s: v for s, v in zip(free, values)}))
            continue
        if not reduced:
            continue
        basis = sympy.groebner(reduced, *remaining, order="grevlex", domain="QQ")
        if list(basis.exprs) == [1] or not basis.is_zero_dimensional:
            continue
        for solution in _real_solutions(basis, remaining):
            assignment = dict(zip(free, values))
            assignment.update(zip(remaining, solution))
            found.extend(_accept(game, supports, probabilities,
                                 {s: assignment[s] for s in symbols}))
    return found, False, any(_unused_strictly_worse(game, supports, p) for p in found)


def _interior_basis(equations, symbols, probabilities):
    """A Gröbner basis (grevlex) of the solutions with no probability zero: the ideal of
    ``equations`` saturated by the product of every probability (Rabinowitsch: add
    ``y·product − 1``, eliminate ``y``). Components on the boundary of the simplices
    (equilibria of smaller supports, enumerated on their own) are dropped, and what is
    left is often finite or empty where the equations alone were not."""
    y = sympy.Symbol("y_interior")
    product = sympy.expand(sympy.Mul(*(p for ps in probabilities for p in ps)))
    eliminated = sympy.groebner([*equations, y * product - 1], y, *symbols, order="lex",
                                domain="QQ")
    kept = [e for e in eliminated.exprs if y not in e.free_symbols]
    return sympy.groebner(kept or [sympy.Integer(0)], *symbols, order="grevlex", domain="QQ")


def _no_value_inside(basis, symbols) -> bool:
    """Whether some unknown (a probability, so in (0, 1)) is a root of a polynomial of
    the ideal none of whose real roots lies in (0, 1): then the system has no solution
    that is a profile with these supports."""
    for symbol in symbols:
        order = [s for s in symbols if s != symbol] + [symbol]
        lex = sympy.groebner(list(basis.exprs), *order, order="lex", domain="QQ")
        eliminants = [e for e in lex.exprs if e.free_symbols == {symbol}]
        if eliminants and not any(0 < root < 1
                                  for root in _real_roots(sympy.Poly(eliminants[0], symbol))):
            return True
    return False


def _free_unknowns(equations, symbols) -> list[sympy.Symbol]:
    """A maximal set of unknowns no leading monomial of a lex Gröbner basis lies in
    (an independent set: fixing them leaves finitely many solutions, generically)."""
    if not equations:
        return list(symbols)
    basis = sympy.groebner(equations, *symbols, order="lex", domain="QQ")
    leading = [sympy.Poly(e, *symbols).monoms(order="lex")[0] for e in basis.exprs]
    used_by = [frozenset(k for k, power in enumerate(m) if power) for m in leading]
    free: set[int] = set()
    for k in reversed(range(len(symbols))):
        candidate = free | {k}
        if not any(u <= candidate for u in used_by):
            free = candidate
    return [symbols[k] for k in sorted(free)]

"""Game trees → the cheapest controls that make a target the unique subgame-perfect outcome.

Where this sits: the ``optimize`` stage for game trees, after
:mod:`policy.tree_equilibria` (subgame roots, the reduced plans of a subgame, and the
exact re-solve that verifies every answer); it shares the control block, the exact
LP recovery, the solver and the status words with the matrix-game modules of
:mod:`policy.optimize`.

Notation. A *target* (:class:`~policy.tree_spec.TreeTarget`) is a path of actions
from the root and/or actions at chosen information sets. As in
:mod:`policy.tree_equilibria`, the tree is cut at its *subgame roots*; the *region*
of a root is its subtree with the deeper subgame roots kept as terminals, and a
*region profile* gives each player moving there one reduced plan. A root is
*relevant* when its region holds a targeted decision, or it lies below such a
region: only relevant regions decide whether the target is played.

The programme (a MILP, built from the named blocks below) has, with ``x`` the
controls and ``V[r, i]`` player i's value of the subgame at relevant root ``r``:

* the controls, their bounds, types, costs, fixed costs and the ``budget``
  (:func:`policy.optimize.controls.control_variables`, ``add_budget``);
* per relevant region, a binary ``y[r, k]`` per region profile ``k`` allowed by the
  target (exactly one is chosen; fixed when only one is allowed);
* ``V[r, ·]`` equals the expected payoffs of the chosen profile over the region's
  terminals (leaf payoffs, affine in ``x``, and ``V`` of deeper roots), linked by
  big-M rows whose M comes from interval bounds over the control box;
* incentive rows: under the chosen profile no mover gains by switching to another
  plan of the region, and with ``robust="unique"`` each loses at least the margin
  ε (strict preferences at every decision at or below a targeted one, off the path
  too: this is what makes threats credible or not).

In a region where one player moves (every decision of a perfect-information tree),
strict preferences make the region's choice unique, so the target is then the
*unique* subgame-perfect outcome. In a region where several players move without
seeing each other, the programme asks for a strict *pure* equilibrium of the region
only: there the target is made an SPE outcome, uniqueness is not required (mixed
equilibria of such regions are not considered), and the result says so.

Expected payoffs must be linear in the controls: a chance probability may depend on
a control only where what it multiplies does not (a product of controls, or of a
control and a later decision, is refused with a :class:`~policy.errors.ModelError`
naming the node; no search is attempted). Every control the payoffs or
probabilities use needs ``bounds`` (the big-M rows need them).

Every answer is verified by re-solving the tree exactly at the chosen controls
(:func:`policy.tree_equilibria.solve_tree`): every subgame-perfect equilibrium must
follow the target (``unique``; the list complete, and no tie in a one-player region
at or below the target, checked on the tree at those values), or one must
(``spe``). Without a policy, the explanation names the decision whose condition
cannot be met within the bounds.

Examples
--------
The entrant enters and the incumbent shares the market; a fine on sharing
(cost 1 per unit) makes fighting credible, and the entrant stays out:

>>> from policy.readers.yaml_tree import load_tree_text
>>> from policy.tree_model import TreeGame
>>> game = TreeGame.from_spec(load_tree_text('''
... players: [entrant, incumbent]
... controls: {fine: {value: 0, bounds: [0, 5], cost: 1}}
... tree:
...   player: entrant
...   moves:
...     out: [0, 2]
...     enter: {player: incumbent, moves: {fight: [-1, -1], share: [1, 1 - fine]}}
... '''))
>>> result = cheapest_tree_policy(game, TreeTarget(path=("out",)))
>>> result.status, result.controls, result.unique
('optimal', {'fine': Fraction(2001, 1000)}, True)
>>> result.threshold.statement
'fine > 2; at fine = 2 incumbent at enter is indifferent between fight and share'
"""

from __future__ import annotations

import itertools
import re
import time
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Mapping, Sequence

import sympy

from ..errors import ModelError
from ..tree_analysis import node_paths
from ..tree_equilibria import node_name, region_of, region_plans, solve_tree, subgame_roots
from ..tree_model import NumericTree, TreeGame
from ..tree_spec import TargetError, TreeTarget, resolve_target
from . import explain
from . import solver as lp_solver
from .controls import add_budget, chosen_controls, control_variables, settle_free_controls
from .exact_lp import LinearProgram, LinearProgramBuilder, exact_solution, to_pulp
from .problem import DEFAULT_MARGIN
from .results import StrictThreshold, TreeCondition, TreeImplementationResult
from .solver import DEFAULT_SOLVER, SolverOptions
from .status import INFEASIBLE, OPTIMAL, UNBOUNDED, has_solution

__all__ = ["TREE_ROBUSTNESS", "cheapest_tree_policy", "follows_target", "verify_tree_policy"]

#: How firmly the target must hold in a tree: every subgame-perfect equilibrium follows
#: it (strict preferences by the margin at and below the targeted decisions), or some
#: subgame-perfect equilibrium does (weak preferences: ties may be broken its way).
TREE_ROBUSTNESS = ("unique", "spe")
#: Most relevant regions re-solved one by one to say which decision makes a target
#: infeasible; beyond it the explanation is general.
DIAGNOSED_REGIONS = 60


# --------------------------------------------------------------------------------------
# affine forms in the controls and the subgame values
# --------------------------------------------------------------------------------------

class _Nonlinear(Exception):
    pass


class _Affine:
    """``constant + Σ coefficient·variable`` over LP variable names, exact."""

    __slots__ = ("constant", "terms")

    def __init__(self, constant=Fraction(0), terms: Mapping[str, Fraction] | None = None):
        self.constant = Fraction(constant)
        self.terms = {v: c for v, c in (terms or {}).items() if c}

    def __add__(self, other: "_Affine") -> "_Affine":
        terms = dict(self.terms)
        for v, c in other.terms.items():
            terms[v] = terms.get(v, Fraction(0)) + c
        return _Affine(self.constant + other.constant, terms)

    def __sub__(self, other: "_Affine") -> "_Affine":
        return self + other.scaled(Fraction(-1))

    def scaled(self, factor: Fraction) -> "_Affine":
        return _Affine(self.constant * factor, {v: c * factor for v, c in self.terms.items()})

    def __mul__(self, other: "_Affine") -> "_Affine":
        if not self.terms:
            return other.scaled(self.constant)
        if not other.terms:
            return self.scaled(other.constant)
        raise _Nonlinear()

    def bounds(self, box: Mapping[str, tuple[Fraction, Fraction]]) -> tuple[Fraction, Fraction]:
        low = high = self.constant
        for v, c in self.terms.items():
            a, b = c * box[v][0], c * box[v][1]
            low, high = low + min(a, b), high + max(a, b)
        return low, high

    def at(self, values: Mapping[str, Fraction]) -> Fraction:
        return self.constant + sum((c * Fraction(values[v]) for v, c in self.terms.items()),
                                   Fraction(0))


def _affine(expr: sympy.Expr, controls: Mapping[sympy.Symbol, str], what: str) -> _Affine:
    """A payoff or probability (parameters substituted) as an affine form in the controls."""
    symbols = list(controls)
    expanded = sympy.expand(expr)
    if expanded.free_symbols - set(symbols):
        missing = ", ".join(sorted(str(s) for s in expanded.free_symbols - set(symbols)))
        raise ModelError(f"no value for {missing}; give one with --set {missing.split(', ')[0]}=…")
    if symbols and not expanded.is_polynomial(*symbols) or (
            symbols and sympy.Poly(expanded, *symbols).total_degree() > 1):
        used = ", ".join(sorted(str(s) for s in expanded.free_symbols))
        raise ModelError(f"{what} is {expr}, not linear in the controls ({used}); optimize on a "
                         "tree needs payoffs and probabilities linear in each control, with no "
                         "products of controls (no search is attempted)")
    terms = {}
    for symbol, name in controls.items():
        coefficient = expanded.coeff(symbol)
        if coefficient:
            terms[name] = _rational(coefficient, what)
    constant = expanded.xreplace({s: sympy.S.Zero for s in symbols})
    return _Affine(_rational(constant, what), terms)


def _rational(value: sympy.Expr, what: str) -> Fraction:
    value = sympy.sympify(value)
    if not value.is_Rational:
        raise ModelError(f"{what} involves {value} at these values; trees are optimised in exact "
                         "arithmetic, so it must be a rational number")
    return Fraction(int(value.p), int(value.q))


# --------------------------------------------------------------------------------------
# the regions of the programme
# --------------------------------------------------------------------------------------

@dataclass
class _Region:
    """One subgame root's part of the programme."""

    root: int
    movers: list[int]
    plans: list[list]
    profiles: list[tuple[int, ...]]
    values: dict[tuple[int, ...], list[_Affine]]   # profile → expected payoff per player
    required: dict[int, int]                        # targeted nodes of the region → action
    plays: dict[tuple[int, ...], tuple]             # profile → its weights on the terminals


def _value_name(root: int, player: int) -> str:
    return f"value_{root}_{player}"


def _reach(tree: NumericTree, root: int, roots: set[int], choices: Mapping[int, int],
           probabilities: Mapping[int, list[_Affine]]) -> dict[int, _Affine]:
    """The weight (an affine form) with which the region of ``root`` ends at each terminal
    when its players follow ``choices``."""
    weights: dict[int, _Affine] = {}
    stack = [(root, _Affine(1))]
    while stack:
        index, weight = stack.pop()
        node = tree.nodes[index]
        if node.kind == "leaf" or (index != root and index in roots):
            weights[index] = weights.get(index, _Affine()) + weight
        elif node.kind == "chance":
            for child, p in zip(node.children, probabilities[node.infoset]):
                stack.append((child, weight * p))
        else:
            stack.append((node.children[choices[node.infoset]], weight))
    return weights


class _Programme:
    """The regions, affine payoffs and bounds of one tree at given parameter values."""

    def __init__(self, game: TreeGame, base: Mapping[str, sympy.Expr], target: TreeTarget):
        spec = game.spec
        self.game = game
        self.base = dict(base)
        self.tree = game.bind(base)
        tree = self.tree
        try:
            self.required = resolve_target(tree, target)
        except TargetError as err:
            raise ModelError(f"target {err.field}: {err.message}") from None
        if not self.required:
            raise ModelError(f"the target of {game.name} constrains no decision (a path through "
                             "chance moves only); name an action of a player")
        self.controls = {c.name: c for c in spec.controls}
        parameters = {game.symbols[p.name]: base[p.name] for p in spec.parameters}
        symbols = {game.symbols[c.name]: f"control_{c.name}" for c in spec.controls}
        self.roots = subgame_roots(tree)
        root_set = set(self.roots)
        size = [1] * len(tree.nodes)
        for index in range(len(tree.nodes) - 1, -1, -1):
            size[index] += sum(size[c] for c in tree.nodes[index].children)
        owner = {}
        for root in self.roots:
            for node in region_of(tree, root, root_set):
                if node == root or node not in root_set:
                    owner[node] = root
        targeted = {owner[n] for n in self.required}
        self.relevant = [r for r in self.roots
                         if any(t <= r < t + size[t] for t in targeted)]
        self.targeted = targeted
        self.size = size
        used: set[str] = set()
        probabilities = {}
        for h, infoset in enumerate(spec.infosets):
            if infoset.probabilities is not None:
                probabilities[h] = [
                    _affine(p.xreplace(parameters), symbols,
                            f"the probability of {a} (at {infoset.label or 'a chance move'})")
                    for a, p in zip(infoset.actions, infoset.probabilities)]
                used |= {v for p in probabilities[h] for v in p.terms}
        payoffs = {}
        for leaf, expressions in spec.leaf_payoffs().items():
            payoffs[leaf] = [_affine(e.xreplace(parameters), symbols,
                                     f"the payoff of {spec.players[i]} at "
                                     f"{node_name(tree, leaf)}")
                             for i, e in enumerate(expressions)]
            used |= {v for p in payoffs[leaf] for v in p.terms}
        self.used = {name for name in self.controls if f"control_{name}" in used}
        unbounded = [name for name, c in self.controls.items()
                     if c.bounds is None and (name in self.used or c.cost or c.fixed_cost)]
        if unbounded:
            raise ModelError(f"control '{unbounded[0]}' has no bounds; optimize on a tree needs "
                             "bounds: [low, high] on every control the payoffs use or that "
                             "costs something")
        self.box = {f"control_{n}": (Fraction(c.bounds[0]), Fraction(c.bounds[1]))
                    if c.bounds else (Fraction(c.value), Fraction(c.value))
                    for n, c in self.controls.items()}
        n = tree.n_players
        self.regions: dict[int, _Region] = {}
        for root in reversed(self.relevant):  # deepest first: deeper values are bounded first
            movers, plans = region_plans(tree, root, root_set)
            profiles = list(itertools.product(*(range(len(p)) for p in plans)))
            values, plays = {}, {}
            for profile in profiles:
                choices: dict[int, int] = {}
                for own, k in zip(plans, profile):
                    choices.update(own[k])
                total = [_Affine() for _ in range(n)]
                reach = _reach(tree, root, root_set, choices, probabilities)
                plays[profile] = tuple(sorted(
                    (t, w.constant, tuple(sorted(w.terms.items()))) for t, w in reach.items()
                    if w.constant or w.terms))
                for terminal, weight in reach.items():
                    for i in range(n):
                        worth = (payoffs[terminal][i] if tree.nodes[terminal].kind == "leaf"
                                 else _Affine(0, {_value_name(terminal, i): Fraction(1)}))
                        try:
                            total[i] = total[i] + weight * worth
                        except _Nonlinear:
                            raise ModelError(
                                f"in the subgame at {node_name(tree, root)}, a chance probability "
                                "that depends on a control multiplies a payoff that depends on a "
                                "control or on later decisions, so the expected payoffs are not "
                                "linear in the controls; optimize on a tree refuses this (no "
                                "search is attempted)") from None
                values[profile] = total
            for i in range(n):
                spans = [values[p][i].bounds(self.box) for p in profiles]
                self.box[_value_name(root, i)] = (min(s[0] for s in spans),
                                                  max(s[1] for s in spans))
            self.regions[root] = _Region(root, movers, plans, profiles, values,
                                         {node: a for node, a in self.required.items()
                                          if owner[node] == root}, plays)

    # -- the blocks ------------------------------------------------------------------

    def allowed(self, region: _Region) -> list[tuple[int, ...]]:
        """The region profiles that play every targeted action of the region."""
        tree = self.tree
        result = []
        for profile in region.profiles:
            plans = {p: dict(region.plans[j][profile[j]]) for j, p in enumerate(region.movers)}
            if all(plans[tree.infosets[tree.nodes[node].infoset].player].get(
                    tree.nodes[node].infoset) == action
                   for node, action in region.required.items()):
                result.append(profile)
        return result

    def plan_words(self, region: _Region, mover: int, plan: int) -> str:
        infosets = self.tree.infosets
        return "/".join(infosets[h].actions[a] for h, a in region.plans[mover][plan]) or "—"

    def build(self, roots: Sequence[int], margin: Fraction, *, budget: bool = True,
              only: tuple[int, int, int] | None = None,
              gain_of: tuple[int, tuple, int, int] | None = None):
        """The exact MILP over ``roots`` (relevant ones): (model, control variables,
        choice variables by (root, profile), incentive rows by name).

        ``only``: (root, mover, plan) keeps, at that root, only the incentive rows
        against that alternative plan; ``gain_of``: (root, profile, mover, plan)
        maximises that incentive gain instead of minimising the cost, with no incentive
        row at that root."""
        lp = LinearProgramBuilder()
        controls = {n: (c if c.bounds is not None else replace(c, bounds=(c.value, c.value)))
                    for n, c in self.controls.items()}
        variables, cost = control_variables(lp, controls)
        if budget:
            add_budget(lp, self.game, cost)
        box = self.box
        players = range(self.tree.n_players)
        for root in roots:
            for i in players:
                name = _value_name(root, i)
                lp.variable(name, *box[name])
        choices: dict[tuple[int, tuple], str] = {}
        rows: dict[str, tuple[int, tuple, int, int]] = {}
        objective = cost
        for root in roots:
            region = self.regions[root]
            allowed = self.allowed(region)
            if not allowed:
                lp.add({}, ">=", 1, f"no_profile_plays_the_target_at_{root}")
                continue
            for profile in allowed:
                label = f"{root}_{'_'.join(map(str, profile)) or 'none'}"
                y = None
                if len(allowed) > 1:
                    y = lp.variable(f"choose_{label}", 0, 1, integer=True)
                    choices[(root, profile)] = y
                for i in players:
                    _link(lp, box, _value_name(root, i), region.values[profile][i], y,
                          f"value_{label}_{i}")
                for j, player in enumerate(region.movers):
                    for plan in range(len(region.plans[j])):
                        if plan == profile[j] or (only is not None and only[:2] == (root, j)
                                                  and only[2] != plan):
                            continue
                        if gain_of is not None and gain_of[0] == root \
                                and gain_of[1:] != (profile, j, plan):
                            continue
                        other = profile[:j] + (plan,) + profile[j + 1:]
                        if region.plays[other] == region.plays[profile]:
                            continue  # the same play: differs only where play never goes
                        gain = region.values[profile][player] - region.values[other][player]
                        name = _row_name(f"ic_{self.tree.players[player]}_{label}_to_{plan}")
                        if gain_of == (root, profile, j, plan):
                            g = lp.variable("gain", *gain.bounds(box))
                            lp.add({g: 1, **{v: -c for v, c in gain.terms.items()}}, "==",
                                   gain.constant, "gain_definition")
                            objective = {g: Fraction(1)}
                            continue
                        rows[name] = (root, profile, j, plan)
                        _at_least(lp, box, gain, margin, y, name)
        if len(choices):
            for root in roots:
                ys = [y for (r, _), y in choices.items() if r == root]
                if ys:
                    lp.add({y: 1 for y in ys}, "==", 1, f"one_profile_at_{root}")
        model = lp.build(objective, maximize=gain_of is not None)
        return model, variables, choices, rows


def _row_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", text)


def _at_least(lp: LinearProgramBuilder, box, gain: _Affine, margin: Fraction, y: str | None,
              name: str) -> None:
    """``gain >= margin`` when ``y`` is chosen (always when ``y`` is None)."""
    low, _ = gain.bounds(box)
    if low >= margin:
        return  # holds whatever the controls and the choices below
    terms = dict(gain.terms)
    if y is None:
        lp.add(terms, ">=", margin - gain.constant, name)
        return
    big = margin - low
    terms[y] = terms.get(y, Fraction(0)) - big
    lp.add(terms, ">=", margin - big - gain.constant, name)


def _link(lp: LinearProgramBuilder, box, value: str, expected: _Affine, y: str | None,
          name: str) -> None:
    """``V = expected`` when ``y`` is chosen (always when ``y`` is None)."""
    terms = {value: Fraction(1), **{v: -c for v, c in expected.terms.items()}}
    if y is None:
        lp.add(terms, "==", expected.constant, name)
        return
    low, high = expected.bounds(box)
    above = box[value][1] - low
    below = high - box[value][0]
    lp.add({**terms, y: above}, "<=", above + expected.constant, f"{name}_upper")
    lp.add({**terms, y: -below}, ">=", -below + expected.constant, f"{name}_lower")


# --------------------------------------------------------------------------------------
# verification: re-solving the tree
# --------------------------------------------------------------------------------------

def follows_target(tree: NumericTree, behaviour: Sequence[tuple[Fraction, ...]],
                   required: Mapping[int, int]) -> bool:
    """Whether ``behaviour`` plays every required action (node → action index, from
    :func:`~policy.tree_spec.resolve_target`) with probability 1.

    >>> from policy.api import load
    >>> from policy.tree_equilibria import solve_tree
    >>> tree = load("chain_store").bind()
    >>> spe = solve_tree(tree, nash=False).spe[0]
    >>> follows_target(tree, spe.behaviour, {0: 1}), follows_target(tree, spe.behaviour, {0: 0})
    (True, False)
    """
    for node, action in required.items():
        choice = behaviour[tree.nodes[node].infoset]
        if not choice or choice[action] != 1:
            return False
    return True


def _ties(tree: NumericTree, behaviour, regions: Sequence[int], roots: set[int]) -> list[str]:
    """Decisions of one-player regions (among ``regions``) where the player's plan under
    ``behaviour`` is not strictly better than every other plan, in words."""
    from ..tree_equilibria import expected_payoffs, reduced_strategic_form

    full = dict(enumerate(behaviour))
    found = []
    for root in regions:
        movers, plans = region_plans(tree, root, roots)
        if len(movers) != 1:
            continue
        inner = [i for i in region_of(tree, root, roots) if i != root and i in roots]
        try:
            terminal = {i: expected_payoffs(tree, full, i)[0] for i in inner}
        except ModelError:
            found.append(f"{tree.players[movers[0]]} at {node_name(tree, root)}")
            continue
        _, plans, payoffs = reduced_strategic_form(tree, root, terminal)
        player = movers[0]
        own = [k for k, plan in enumerate(plans[0])
               if all(full[h] and full[h][a] == 1 for h, a in plan)]
        best = max(value[player] for value in payoffs.values())
        if len([k for (k,), value in payoffs.items() if value[player] == best]) > 1 or not own:
            found.append(f"{tree.players[player]} at {node_name(tree, root)}")
    return found


def verify_tree_policy(game: TreeGame, base: Mapping[str, sympy.Expr], chosen,
                       target: TreeTarget, robust: str, relevant: Sequence[int] | None = None
                       ) -> tuple[bool, bool | None, str, list[dict]]:
    """Re-solve ``game`` exactly at ``base`` with the ``chosen`` controls and check the
    target: (verified, unique, words, every SPE as {play, payoffs, follows}).

    ``verified``: ``spe`` — some subgame-perfect equilibrium follows the target;
    ``unique`` — every one does, the list is complete and no one-player region at or
    below the target has a tie, except that where several players move in a relevant
    region it means what the programme asked there: that some SPE follows it.
    ``unique``: True when every SPE follows the target and that is proven, False when
    one does not, None when undecided (an incomplete list, a tie).
    """
    values = dict(base)
    values.update({k: sympy.Rational(Fraction(v).numerator, Fraction(v).denominator)
                   for k, v in chosen.items()})
    tree = game.bind(values)
    required = resolve_target(tree, target)
    solution = solve_tree(tree, nash=False)
    roots = set(subgame_roots(tree))
    relevant = list(relevant if relevant is not None else sorted(roots))
    paths = node_paths(tree)
    found = []
    for eq in solution.spe:
        found.append({"play": [paths[leaf] for leaf, _ in eq.outcome],
                      "probabilities": [p for _, p in eq.outcome], "payoffs": list(eq.payoffs),
                      "follows": follows_target(tree, eq.behaviour, required)})
    following = sum(item["follows"] for item in found)
    count = len(found)
    shared = [r for r in relevant if len(region_plans(tree, r, roots)[0]) > 1]
    said = (f"re-solved exactly at the chosen controls: {count} subgame-perfect "
            f"equilibri{'um' if count == 1 else 'a'}"
            + ("" if solution.spe_complete else " (the list may be incomplete)")
            + f", {following} following the target")
    ties = _ties(tree, solution.spe[0].behaviour, relevant, roots) if solution.spe else []
    if following < count:
        unique: bool | None = False
    elif not solution.spe_complete or ties:
        unique = None
    else:
        unique = True
    if robust == "spe":
        verified = following > 0
    elif shared:
        verified = following > 0
    else:
        verified = unique is True
    if ties and following == count:
        said += ("; a tie at " + ", ".join(ties[:3]) + " leaves mixed equilibria possible, so "
                 "uniqueness is not proven")
    elif unique and not shared:
        said += ("; each decision at or below the target is strictly preferred, so no tie "
                 "allows another (mixed) equilibrium: the target is the unique subgame-perfect "
                 "outcome")
    elif unique:
        said += ("; every equilibrium of the subgames where several players move at once was "
                 "enumerated exactly, so the target is the unique subgame-perfect outcome")
    if shared:
        where = ", ".join(node_name(tree, r) for r in shared[:3])
        said += (f"; in the subgame{'s' if len(shared) > 1 else ''} at {where} several players "
                 "move without seeing each other: there the programme only asked for a strict "
                 "pure equilibrium, so uniqueness there was not required by the programme")
    return verified, unique, said, found


# --------------------------------------------------------------------------------------
# the entry point
# --------------------------------------------------------------------------------------

def cheapest_tree_policy(game: TreeGame, target: TreeTarget,
                         values: Mapping[str, object] | None = None, *, robust: str = "unique",
                         margin: Fraction | None = None, solver: SolverOptions = DEFAULT_SOLVER,
                         threshold: bool = True) -> TreeImplementationResult:
    """The cheapest controls making ``target`` the unique subgame-perfect outcome
    (``robust="unique"``) or the outcome of a subgame-perfect equilibrium (``"spe"``),
    verified by re-solving; ``threshold``: with a margin, also the margin-0 optimum.

    Raises
    ------
    ModelError
        When the target names no action of the tree, a control the payoffs use has
        no bounds, or the expected payoffs are not linear in the controls.
    """
    started = time.perf_counter()
    if robust not in TREE_ROBUSTNESS:
        raise ModelError(f"--robust {robust} does not apply to game trees; choose "
                         + " or ".join(TREE_ROBUSTNESS))
    margin = Fraction(margin) if margin is not None else (
        DEFAULT_MARGIN if robust == "unique" else Fraction(0))
    if not target:
        raise ModelError(f"{game.name} declares no target; give one with --path ACTION,… or "
                         "--target INFOSET=ACTION (or target: in the file)")
    base = game.values_with(values)
    programme = _Programme(game, base, target)
    result = _solve(programme, target, robust, margin, solver, started)
    if threshold and result.cost is not None and margin and robust == "unique" \
            and programme.controls:
        zero = _solve(programme, target, robust, Fraction(0), solver, started, verify=False)
        result = replace(result, threshold=_threshold(programme, result, zero, margin))
    return replace(result, seconds=time.perf_counter() - started)


def _solve(programme: _Programme, target: TreeTarget, robust: str, margin: Fraction,
           solver: SolverOptions, started: float, verify: bool = True
           ) -> TreeImplementationResult:
    game = programme.game
    model, variables, choices, rows = programme.build(programme.relevant, margin)
    problem, pulp_variables = to_pulp(model, "tree_implementation")
    info = lp_solver.run_checked(problem, solver)
    common = dict(game=game.name, target=target.as_json(), robust=robust, margin=margin,
                  solver=solver.name, seconds=time.perf_counter() - started,
                  shared_subgames=_shared(programme))
    if not has_solution(info.status):
        explanation = _explain(programme, model, info.status, margin, solver, robust)
        return TreeImplementationResult(status=info.status, controls={}, cost=None,
                                        explanation=explanation, verified=False, unique=None,
                                        verification="", equilibria=[], conditions=[],
                                        **common)
    floats = {name: v.value() for name, v in pulp_variables.items()}
    solution = exact_solution(model, floats)
    lp_controls = {n: (c if c.bounds is not None else replace(c, bounds=(c.value, c.value)))
                   for n, c in programme.controls.items()}
    if info.status == OPTIMAL and programme.controls:
        solution, floats = settle_free_controls(model, solution, floats, lp_controls, variables,
                                                solver, True)
    chosen = chosen_controls(programme.controls, variables, solution, floats)
    exact = {k: (v if isinstance(v, Fraction) else Fraction(v).limit_denominator(10 ** 12))
             for k, v in chosen.items()}
    point = solution.values if solution is not None else {
        k: Fraction(v or 0).limit_denominator(10 ** 12) for k, v in floats.items()}
    point = {**point, **{variables[k]: v for k, v in exact.items()}}
    cost = model.value(point) if solution is not None else float(
        sum(float(c) * float(floats[v] or 0.0) for v, c in model.objective))
    conditions = _conditions(programme, rows, choices, point)
    verified, unique, words, found = False, None, "", []
    if verify:
        verified, unique, words, found = verify_tree_policy(game, programme.base, exact, target,
                                                            robust, programme.relevant)
        if solution is None or not solution.certified:
            words += "; optimal in floating point, exact optimality not certified"
    return TreeImplementationResult(status=info.status, controls=chosen, cost=cost,
                                    explanation="", verified=verified, unique=unique,
                                    verification=words, equilibria=found, conditions=conditions,
                                    **common)


def _shared(programme: _Programme) -> list[str]:
    return [node_name(programme.tree, r) for r in programme.relevant
            if len(programme.regions[r].movers) > 1]


def _conditions(programme: _Programme, rows, choices, point) -> list[TreeCondition]:
    """The incentive conditions of the chosen profiles, with their exact gains."""
    tree = programme.tree
    result = []
    for name, (root, profile, j, plan) in rows.items():
        y = choices.get((root, profile))
        if y is not None and point.get(y, 0) != 1:
            continue
        region = programme.regions[root]
        player = region.movers[j]
        gain = region.values[profile][player] - region.values[
            profile[:j] + (plan,) + profile[j + 1:]][player]
        result.append(TreeCondition(
            player=tree.players[player], node=node_name(tree, root),
            action=programme.plan_words(region, j, profile[j]),
            alternative=programme.plan_words(region, j, plan),
            gain=gain.at(point),
            targeted=root in programme.targeted))
    result.sort(key=lambda c: (not c.targeted, c.node))
    return result


def _threshold(programme: _Programme, best: TreeImplementationResult,
               zero: TreeImplementationResult, margin: Fraction) -> StrictThreshold | None:
    """Where the strict requirement starts: the margin-0 optimum and who is indifferent
    there (conditions with gain 0)."""
    if zero.cost is None:
        return None
    indifferent = [f"{c.player} at {c.node} is indifferent between {c.action} and "
                   f"{c.alternative}" for c in zero.conditions if c.gain == 0]
    return explain.describe_threshold(best.controls, zero.controls,
                                      list(dict.fromkeys(indifferent))[:5], margin, "cost",
                                      best.cost, zero.cost)


# --------------------------------------------------------------------------------------
# why no policy works
# --------------------------------------------------------------------------------------

def _feasible(programme: _Programme, roots, margin, solver, **options) -> bool | None:
    model = programme.build(roots, margin, **options)[0]
    status = lp_solver.run_checked(to_pulp(model, "tree_diagnosis")[0], solver).status
    return True if has_solution(status) else (False if status == INFEASIBLE else None)


def _best_gain(programme: _Programme, roots, margin, solver, key) -> Fraction | float | None:
    model: LinearProgram = programme.build(roots, margin, gain_of=key)[0]
    problem, pulp_variables = to_pulp(model, "tree_best_gain")
    info = lp_solver.run_checked(problem, solver)
    if not has_solution(info.status):
        return None
    floats = {name: v.value() for name, v in pulp_variables.items()}
    exact = exact_solution(model, floats)
    return exact.values["gain"] if exact is not None else floats["gain"]


def _why_not(programme: _Programme, model, status: str, margin: Fraction,
             solver: SolverOptions, robust: str) -> str:
    """Which decision's condition cannot be met within the bounds, in words."""
    if status == UNBOUNDED:
        return explain.unbounded(programme.game)
    if status != INFEASIBLE:
        return explain.solver_stopped(status)
    game, tree = programme.game, programme.tree
    if game.spec.budget is not None and _feasible(programme, programme.relevant, margin, solver,
                                                  budget=False):
        unlimited = _cheapest_cost(programme, margin, solver)
        if unlimited is not None:
            return explain.over_budget(game.spec.budget, unlimited)
    strict = "strictly better (by the margin " + explain.format_number(margin) + ")" \
        if margin else "at least as good"
    if len(programme.relevant) > DIAGNOSED_REGIONS:
        return (f"no controls within the bounds make the target {_goal(robust)}; the tree has "
                f"{len(programme.relevant)} subgames at or below the target, too many to name "
                "the decision that fails")
    for root in reversed(programme.relevant):  # deepest first
        below = [r for r in programme.relevant if root <= r < root + programme.size[root]]
        if _feasible(programme, below, margin, solver, budget=False) is not False:
            continue
        region = programme.regions[root]
        where = node_name(tree, root)
        if len(region.movers) > 1:
            return (f"no pure equilibrium of the subgame at {where} (several players move "
                    "there without seeing each other) plays the target with every player "
                    f"{strict} off it, within the control bounds; optimize on trees does not "
                    "consider mixed equilibria of such subgames")
        if not region.movers:
            continue
        player = tree.players[region.movers[0]]
        allowed = programme.allowed(region) if region.required else region.profiles
        failing = []
        for profile in allowed:
            for plan in range(len(region.plans[0])):
                if plan == profile[0] or _feasible(programme, below, margin, solver, budget=False,
                                                   only=(root, 0, plan)) is not False:
                    continue  # this alternative alone can be deterred (or it is not proven)
                best = _best_gain(programme, below, margin, solver, (root, profile, 0, plan))
                shortfall = "" if best is None else (
                    f" (at best it is worse by {explain.format_number(-best)})" if best < 0 else
                    f" (at best it is better by {explain.format_number(best)})")
                after = ", given the subgame-perfect play after it" if below[1:] else ""
                failing.append(f"{programme.plan_words(region, 0, profile[0])} cannot be made "
                               f"{strict} than {programme.plan_words(region, 0, plan)} for "
                               f"{player}{after}{shortfall}")
        if region.required and failing:
            return (f"at {where}: " + "; ".join(dict.fromkeys(failing)) + " within the control "
                    "bounds")
        if region.required:
            return (f"at {where}: {player}'s targeted choice cannot be made {strict} than every "
                    "alternative at once within the control bounds")
        return (f"at {where} (below the target): no choice of {player} can be made {strict} than "
                "the others within the control bounds — a tie the controls cannot break"
                + (" (--robust spe accepts ties)" if robust == "unique" else ""))
    return ("each targeted decision can be brought about on its own, but not all at once within "
            "the control bounds")


def _explain(programme: _Programme, model, status: str, margin: Fraction,
             solver: SolverOptions, robust: str) -> str:
    """Why no policy works, in words (:func:`_why_not`), and that the game has no
    controls when it has none."""
    words = _why_not(programme, model, status, margin, solver, robust)
    if not programme.controls and status == INFEASIBLE:
        words += " (the game declares no controls)"
    return words


def _goal(robust: str) -> str:
    return ("the unique subgame-perfect outcome" if robust == "unique"
            else "a subgame-perfect outcome")


def _cheapest_cost(programme: _Programme, margin, solver) -> Fraction | float | None:
    """The optimal cost without the budget (None when there is none)."""
    model = programme.build(programme.relevant, margin, budget=False)[0]
    problem, pulp_variables = to_pulp(model, "tree_without_budget")
    if not has_solution(lp_solver.run_checked(problem, solver).status):
        return None
    floats = {name: v.value() for name, v in pulp_variables.items()}
    exact = exact_solution(model, floats)
    return exact.objective if exact is not None else float(
        sum(float(c) * float(floats[v] or 0.0) for v, c in model.objective))

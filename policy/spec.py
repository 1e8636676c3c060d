"""The data model of a game file: what a game declares, as frozen data (no reading here).

Where this sits in the data flow: every reader in :mod:`policy.readers` (YAML
normal form, Gambit ``.nfg``, later trees and populations) produces these
objects, :mod:`policy.loader` picks the reader, and the model stage
(:mod:`policy.symbolic`) turns a spec into a game to solve. This module reads no
file and knows no file format; it only depends on :mod:`policy.expressions`
(symbols, limits of maths texts), :mod:`policy.limits` and :mod:`policy.syntax`.

Two layers:

*what any game file declares*, whatever its kind
    :class:`Parameter` (with an optional :class:`Distribution`), :class:`Control`,
    :class:`Source`, :class:`FileLimits` and :class:`GameDeclarations`: the name and
    texts, parameters, controls, assumptions, leader, objective, target, budget,
    default sweep axes (``vary``), where it came from and the line of every field.
    The rules for a value of a parameter or control (:func:`value_problem`) belong
    here too, so a file and ``--set`` refuse the same values in the same words.
*the normal form*
    :class:`Player` (a player and its strategies) and :class:`GameSpec`, which adds
    the players and one payoff tuple per pure profile to the declarations. Later
    kinds of games add their own spec class next to it.

Examples
--------
>>> g = make_symbol("g", positive=True)
>>> spec = GameSpec(name="one", players=(Player("row", ("up",)), Player("col", ("left",))),
...                 payoffs=((g, 0),), parameters=(Parameter("g", sympy.Integer(2), positive=True),))
>>> spec
GameSpec('one': row(up) × col(left); parameters and controls: g)
>>> spec.payoff(("up", "left")), spec.symbols
((g, 0), {'g': g})
>>> value_problem(spec, "g", sympy.Integer(-1))
'value -1 is not positive but the parameter is declared positive'
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Iterator, Mapping

import sympy

from .expressions import ExpressionLimits
from .limits import limit
from .syntax import parse_distribution

__all__ = [
    "CONTROL_TYPES",
    "FileLimits",
    "make_symbol",
    "Distribution",
    "Parameter",
    "Control",
    "Source",
    "GameDeclarations",
    "Player",
    "GameSpec",
    "ChoiceVariable",
    "MarketPlayer",
    "MarketSpec",
    "MarketWelfare",
    "PopulationSpec",
    "value_problem",
    "parameter_value_problem",
    "control_value_problem",
]

#: The kinds of control: any number within the bounds, 0 or 1, or a whole number.
CONTROL_TYPES = ("continuous", "binary", "integer")


# --------------------------------------------------------------------------------------
# what any game file declares
# --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FileLimits:
    """Bounds on a game file; raise them by passing your own to :func:`policy.loader.load_game`.

    Each default is the current value of a limit in :mod:`policy.limits`
    (``POLICY_LIMIT_PLAYERS`` … in the environment raise them).

    Attributes
    ----------
    max_bytes : int
        Largest file accepted.
    max_nodes : int
        Most YAML nodes visited (aliases count each time they are used).
    max_players, max_strategies, max_profiles : int
        Largest game accepted.
    """

    max_bytes: int = field(default_factory=lambda: limit("file_bytes"))
    max_nodes: int = field(default_factory=lambda: limit("yaml_nodes"))
    max_players: int = field(default_factory=lambda: limit("players"))
    max_strategies: int = field(default_factory=lambda: limit("strategies"))
    max_profiles: int = field(default_factory=lambda: limit("profiles"))
    expressions: ExpressionLimits = field(default_factory=ExpressionLimits)


def make_symbol(name: str, positive: bool = False) -> sympy.Symbol:
    """The sympy symbol for a declared parameter or control (always real).

    >>> make_symbol("g", positive=True).is_positive
    True
    """
    return sympy.Symbol(name, positive=True) if positive else sympy.Symbol(name, real=True)


@dataclass(frozen=True)
class Distribution:
    """A parameter's distribution for uncertainty analysis, e.g. ``uniform(1, 3)``.

    >>> Distribution.from_text("triangular(0, 1, 4)")
    Distribution(kind='triangular', args=(0, 1, 4))
    """

    kind: str
    args: tuple[sympy.Rational, ...]

    @classmethod
    def from_text(cls, text: object) -> "Distribution":
        """Parse a ``dist:`` text (:func:`policy.syntax.parse_distribution`)."""
        return cls(*parse_distribution(text))

    def __str__(self) -> str:
        return f"{self.kind}({', '.join(str(a) for a in self.args)})"


@dataclass(frozen=True)
class Parameter:
    """A named constant of the model (a cost, a gain, a market size …)."""

    name: str
    value: sympy.Expr | None
    description: str = ""
    range: tuple[sympy.Expr, sympy.Expr] | None = None
    positive: bool = False
    distribution: Distribution | None = None
    unit: str = ""

    @property
    def symbol(self) -> sympy.Symbol:
        return make_symbol(self.name, self.positive)


@dataclass(frozen=True)
class Control:
    """An instrument the regulator sets (tax, subsidy, fine, audit rate …).

    ``cost`` is the cost per unit of the control, ``fixed_cost`` is paid when the
    control is non-zero (binary and integer controls).
    """

    name: str
    value: sympy.Expr
    bounds: tuple[sympy.Expr, sympy.Expr] | None = None
    cost: sympy.Expr = sympy.Integer(0)
    fixed_cost: sympy.Expr = sympy.Integer(0)
    type: str = "continuous"
    description: str = ""
    unit: str = ""

    @property
    def symbol(self) -> sympy.Symbol:
        return make_symbol(self.name)


@dataclass(frozen=True)
class Source:
    """Where a game came from: path, format and the SHA-256 of its bytes."""

    path: str
    format: str
    sha256: str


@dataclass(frozen=True)
class GameDeclarations:
    """What any game file declares, whatever the kind of game.

    ``leader`` and ``target`` name players (and strategies) of the kind's own
    part (for the normal form, :attr:`GameSpec.players`). ``lines`` maps field
    paths (``parameters.g.value``) to lines of the source file.
    """

    name: str
    title: str = ""
    description: str = ""
    claim: str = ""
    references: tuple[str, ...] = ()
    parameters: tuple[Parameter, ...] = ()
    controls: tuple[Control, ...] = ()
    assumptions: tuple[sympy.Basic, ...] = ()
    leader: str | None = None
    objective: sympy.Expr | None = None
    target: tuple[tuple[str, str], ...] = ()
    budget: sympy.Expr | None = None
    vary: tuple[str, ...] = ()       # default axes of `policy sweep` / `policy report`
    source: Source | None = None
    lines: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)

    @property
    def symbols(self) -> dict[str, sympy.Symbol]:
        """Declared names → sympy symbols (parameters then controls)."""
        return {item.name: item.symbol for item in (*self.parameters, *self.controls)}

    def line_of(self, field_path: str) -> int | None:
        """Line of a field in the source file, when known (for error messages)."""
        return self.lines.get(field_path)


def parameter_value_problem(number: sympy.Expr, span: tuple[sympy.Expr, sympy.Expr] | None,
                            positive: bool) -> str | None:
    """Why ``number`` may not be a parameter's value (declared ``range``/``positive``), if so.

    >>> parameter_value_problem(sympy.Integer(11), (0, 10), False)
    'value 11 is outside its range [0, 10]'
    """
    if positive and not number > 0:
        return f"value {number} is not positive but the parameter is declared positive"
    if span and not span[0] <= number <= span[1]:
        return f"value {number} is outside its range [{span[0]}, {span[1]}]"
    return None


def control_value_problem(number: sympy.Expr, bounds: tuple[sympy.Expr, sympy.Expr] | None,
                          kind: str) -> str | None:
    """Why ``number`` may not be a control's value (its ``bounds`` and ``type``), if so.

    >>> control_value_problem(sympy.Rational(1, 2), (0, 1), "binary")
    'value 1/2 of a binary control must be a whole number'
    """
    if bounds and not bounds[0] <= number <= bounds[1]:
        return f"value {number} is outside its bounds [{bounds[0]}, {bounds[1]}]"
    if kind in ("binary", "integer") and not number.is_integer:
        return f"value {number} of a {kind} control must be a whole number"
    return None


def value_problem(spec: GameDeclarations, name: str, number: sympy.Expr) -> str | None:
    """Why ``number`` may not be the value of parameter or control ``name``, if so: the
    same ``range``, ``positive`` and ``bounds`` rules (and words) as a value in the file."""
    parameter = next((p for p in spec.parameters if p.name == name), None)
    if parameter is not None:
        return parameter_value_problem(number, parameter.range, parameter.positive)
    control = next(c for c in spec.controls if c.name == name)
    return control_value_problem(number, control.bounds, control.type)


# --------------------------------------------------------------------------------------
# the normal form
# --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Player:
    """A player and its strategies, in file order."""

    name: str
    strategies: tuple[str, ...]
    description: str = ""


@dataclass(frozen=True)
class GameSpec(GameDeclarations):
    """A validated normal-form game file: names, numbers and sympy expressions, nothing solved.

    ``payoffs`` holds one tuple of per-player payoffs for every pure profile, in
    the order of ``itertools.product`` over the players' strategies (the first
    player's strategy changes slowest).
    """

    players: tuple[Player, ...] = field(kw_only=True)
    payoffs: tuple[tuple[sympy.Expr, ...], ...] = field(kw_only=True)

    @property
    def player_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.players)

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(len(p.strategies) for p in self.players)

    def profiles(self) -> Iterator[tuple[str, ...]]:
        """Every pure profile as a tuple of strategy names, in ``payoffs`` order."""
        return itertools.product(*(p.strategies for p in self.players))

    def payoff(self, profile: tuple[str, ...]) -> tuple[sympy.Expr, ...]:
        """The payoffs of a pure profile given by strategy names."""
        index = 0
        for player, strategy in zip(self.players, profile):
            index = index * len(player.strategies) + player.strategies.index(strategy)
        return self.payoffs[index]

    def __repr__(self) -> str:
        players = " × ".join(f"{p.name}({', '.join(p.strategies)})" for p in self.players)
        names = ", ".join(item.name for item in (*self.parameters, *self.controls)) or "none"
        return f"GameSpec({self.name!r}: {players}; parameters and controls: {names})"


# --------------------------------------------------------------------------------------
# markets: continuous choices and populations of identical firms
# --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ChoiceVariable:
    """A continuous choice (a quantity, price or capacity) on ``[low, high]``;
    ``high`` None: unbounded above. Bounds are expressions in the parameters."""

    name: str
    low: sympy.Expr
    high: sympy.Expr | None = None

    @property
    def symbol(self) -> sympy.Symbol:
        return sympy.Symbol(self.name, real=True)


@dataclass(frozen=True)
class MarketPlayer:
    """A player of a market game: one firm, or (``count`` not 1) a population of
    ``count`` identical firms, choosing ``variable``; ``payoff`` is one member's
    payoff in its own choice, the totals (:attr:`MarketSpec.totals`) and the
    parameters and controls, the file's ``define:`` names already substituted."""

    name: str
    variable: ChoiceVariable
    payoff: sympy.Expr
    count: sympy.Expr = sympy.Integer(1)
    description: str = ""
    payoff_text: str = ""

    @property
    def is_population(self) -> bool:
        return self.count != 1


@dataclass(frozen=True)
class MarketWelfare:
    """What the regulator maximises in a market game (the file's ``welfare:``):
    consumer surplus + every firm's profit − public costs, by choosing ``instrument``
    (a declared control with bounds).

    ``demand`` is the inverse demand (the price buyers pay) as a function of the
    total named ``total``; consumer surplus is then ``∫_0^Q demand − Q·demand(Q)``
    (None: no consumer surplus counted). ``public_costs`` are what the regulator
    pays: ``(player, cost)`` per firm of that player, in its own choice; an empty
    player name is a market-wide cost in the totals.

    >>> MarketWelfare("subsidy", sympy.Symbol("a") - sympy.Symbol("Q"), "Q").instrument
    'subsidy'
    """

    instrument: str
    demand: sympy.Expr | None = None
    total: str | None = None
    public_costs: tuple[tuple[str, sympy.Expr], ...] = ()


@dataclass(frozen=True)
class MarketSpec(GameDeclarations):
    """A validated market game file: players with continuous choices, totals over
    every firm's choice (``Q`` = the sum of every ``q``, each member of a population
    counted), named expressions (``price: a - b*Q``), nothing solved.

    >>> q, Q, a = sympy.Symbol("q", real=True), sympy.Symbol("Q", real=True), make_symbol("a")
    >>> spec = MarketSpec(name="m", parameters=(Parameter("a", sympy.Integer(10)),),
    ...                   players=(MarketPlayer("firm", ChoiceVariable("q", sympy.Integer(0)),
    ...                                         (a - Q)*q, count=sympy.Integer(2)),),
    ...                   totals=(("Q", "q"),))
    >>> spec
    MarketSpec('m': firm (2 firms) chooses q in [0, oo); parameters and controls: a)
    """

    players: tuple[MarketPlayer, ...] = field(kw_only=True)
    totals: tuple[tuple[str, str], ...] = field(kw_only=True, default=())
    definitions: tuple[tuple[str, sympy.Expr], ...] = field(kw_only=True, default=())
    welfare: MarketWelfare | None = field(kw_only=True, default=None)

    @property
    def player_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.players)

    def __repr__(self) -> str:
        players = ", ".join(
            f"{p.name}{f' ({p.count} firms)' if p.is_population else ''} chooses "
            f"{p.variable.name} in [{p.variable.low}, "
            f"{'oo)' if p.variable.high is None else str(p.variable.high) + ']'}"
            for p in self.players)
        names = ", ".join(item.name for item in (*self.parameters, *self.controls)) or "none"
        return f"MarketSpec({self.name!r}: {players}; parameters and controls: {names})"


# --------------------------------------------------------------------------------------
# populations: N identical members choosing among finitely many strategies
# --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PopulationSpec(GameDeclarations):
    """A validated population game file: ``count`` identical members, each choosing
    one of ``strategies``; ``payoffs[i]`` is the payoff of a member choosing
    ``strategies[i]``, in the counts ``n_<strategy>`` (how many members choose each
    strategy, the member itself included), parameters and controls.

    >>> n_enter = sympy.Symbol("n_enter", real=True)
    >>> PopulationSpec(name="p", population="firms", count=sympy.Integer(5),
    ...                strategies=("enter", "stay_out"), payoffs=(6/n_enter - 1, sympy.Integer(0)))
    PopulationSpec('p': 5 firms choosing enter, stay_out)
    """

    population: str = field(kw_only=True)
    count: sympy.Expr = field(kw_only=True)
    strategies: tuple[str, ...] = field(kw_only=True)
    payoffs: tuple[sympy.Expr, ...] = field(kw_only=True)

    @property
    def player_names(self) -> tuple[str, ...]:
        return (self.population,)

    def count_symbol(self, strategy: str) -> sympy.Symbol:
        """The symbol ``n_<strategy>``: how many members choose ``strategy``."""
        return sympy.Symbol(f"n_{strategy}", real=True)

    def __repr__(self) -> str:
        return (f"PopulationSpec({self.name!r}: {self.count} {self.population} choosing "
                f"{', '.join(self.strategies)})")

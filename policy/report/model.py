"""Typed report data: what each report says, as frozen dataclasses (no rendering here).

The report package's flow: result objects (equilibria, analysis, optimize, sweep)
→ :mod:`.document` builds one of these reports → :mod:`.render` (Markdown, JSON),
:mod:`.html` (HTML), :mod:`.text` (terminal) render it → :mod:`.writer` writes the
files; :mod:`.notebook` shows results and reports in IPython.

Every value is already what the JSON holds: exact numbers as text (``"2/7"``),
display numbers as JSON numbers, expressions as sympy-readable text and LaTeX.
A report's JSON is its fields in declaration order (:func:`json_document`), so
the field order here *is* the key order of the committed ``*.json`` files.

>>> region = Region(label="a", supports=[[["x"], ["y"]]], points=3, share=0.5)
>>> json_document(region)
{'label': 'a', 'supports': [[['x'], ['y']]], 'points': 3, 'share': 0.5}
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, ClassVar, Mapping

__all__ = ["json_document", "Provenance", "ParameterDetail", "ControlDetail", "PayoffEntry",
           "EquilibriumItem", "Component", "Equilibria", "RiskDominant", "NashProductPair",
           "LogitLimit", "BasinItem", "BasinsItem", "SelectionDocument", "SolveReport", "Condition",
           "MixedEquilibrium", "ConditionThreshold", "LeaderCommitment", "AnalyzeReport",
           "Region", "Boundary", "Paths", "PolicyMap", "SelectionRegion", "SelectionMap", "SweepReport", "Outcome",
           "UncertaintyReport", "StrictThreshold", "Candidate", "PureCommitment", "SimultaneousEquilibrium",
           "CommitmentPolicy", "ImplementationPolicy", "RankedPolicies", "PolicyControl",
           "OptimizeReport", "Stages", "FullReport", "Report", "REPORT_TYPES",
           "REPORT_FIGURE_PREFIX", "IndexEntry"]

#: The full report's figures are the sweep's under names only ``policy report`` uses.
REPORT_FIGURE_PREFIX = "report-"

#: ``field(metadata=...)`` flags read by :func:`json_document`.
_OMIT_NONE = {"omit_none": True}  # no key at all when the value is None
_FLATTEN = {"flatten": True}      # the part's keys spliced into the parent's
_NOT_JSON = {"json": False}       # not part of the JSON (figure bytes)


def _json_value(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return json_document(value)
    if isinstance(value, Mapping):
        return {key: _json_value(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_value(item) for item in value]
    return value


def json_document(data: Any) -> dict[str, Any]:
    """The JSON-ready mapping of a report or report part: its fields in order.

    A field named in its metadata with ``key`` appears under that key; parts marked
    ``flatten`` are spliced in; ``omit_none`` fields that are ``None`` are left out.
    """
    document: dict[str, Any] = {}
    for item in dataclasses.fields(data):
        if not item.metadata.get("json", True):
            continue
        value = getattr(data, item.name)
        if value is None and item.metadata.get("omit_none"):
            continue
        if item.metadata.get("flatten"):
            document.update(_json_value(value))
        else:
            document[item.metadata.get("key", item.name)] = _json_value(value)
    return document


class _Document:
    """What every report offers: its JSON document and its figures."""

    kind: ClassVar[str]
    figures: tuple[tuple[str, bytes | str], ...] = ()

    @property
    def document(self) -> dict[str, Any]:
        """The report as a JSON-ready mapping (what ``--json`` and ``*.json`` hold)."""
        return json_document(self)


# -- parts shared by several reports ---------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class Provenance:
    """Where a report comes from; ``extra`` (method, solver, time) sits before the
    library versions."""

    tool: str
    command: str
    input: str | None
    input_format: str | None
    input_sha256: str | None
    extra: Mapping[str, Any] = field(default_factory=dict, metadata=_FLATTEN)
    libraries: str = ""


# -- solve -----------------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class ParameterDetail:
    name: str
    value: str | None
    default: str | None
    description: str
    unit: str | None
    range: list[str] | None
    positive: bool
    distribution: str | None


@dataclass(frozen=True, kw_only=True)
class ControlDetail:
    name: str
    value: str
    default: str
    description: str
    unit: str | None
    bounds: list[str] | None
    cost: str
    type: str


@dataclass(frozen=True, kw_only=True)
class PayoffEntry:
    """One pure profile's payoffs: as written, as LaTeX, and at the values used."""

    profile: dict[str, str]
    symbolic: list[str]
    latex: list[str]
    values: list[Any]


@dataclass(frozen=True, kw_only=True)
class EquilibriumItem:
    """One equilibrium: float mixtures and payoffs, exact ones when known."""

    strategies: dict[str, dict[str, float]]
    payoffs: dict[str, int | float]
    exact: dict[str, dict[str, str]] | None = field(default=None, metadata=_OMIT_NONE)
    exact_payoffs: dict[str, str] | None = field(default=None, metadata=_OMIT_NONE)
    pure: bool
    pareto_dominated: bool
    verified: bool
    verified_exactly: bool


@dataclass(frozen=True, kw_only=True)
class Component:
    """A continuum of equilibria: its extreme equilibria and convex pieces (two players),
    or the supports it has and example equilibria on it (three or more players)."""

    equilibria: list[int]
    convex_sets: list[dict[str, list[dict[str, str]]]]
    supports: dict[str, list[str]] | None = field(default=None, metadata=_OMIT_NONE)


@dataclass(frozen=True, kw_only=True)
class Equilibria:
    """The equilibria of a solve, with how they were found."""

    method: str
    complete: bool
    exact_arithmetic: bool
    tolerance: float | None
    degenerate: bool | None
    degeneracy_reason: str
    equilibria: tuple[EquilibriumItem, ...]
    components: tuple[Component, ...]
    notes: list[str]


@dataclass(frozen=True, kw_only=True)
class RiskDominant:
    """The risk-dominant equilibrium: its index, profile, and the Nash products of
    deviation losses (exact text) of it and of each strict equilibrium it beats."""

    equilibrium: int
    profile: dict[str, str]
    nash_products: dict[str, str]


@dataclass(frozen=True, kw_only=True)
class NashProductPair:
    """One comparison of two strict equilibria by their Nash products."""

    equilibria: list[int]
    nash_products: list[str]
    dominant: int | None


@dataclass(frozen=True, kw_only=True)
class LogitPoint:
    """One point of the principal logit branch: ``lambda`` in units of 1 / the payoff
    scale (:func:`policy.logit.payoff_range`), each player's probabilities (6 decimals)."""

    lambda_: float = field(metadata={"key": "lambda"})
    profile: dict[str, list[float]]


@dataclass(frozen=True, kw_only=True)
class LogitLimit:
    """Where the principal logit branch ends (an index into the equilibria, or None),
    and the branch itself, thinned to at most ``LOGIT_PATH_POINTS`` points (the first
    and the last always among them)."""

    equilibrium: int | None
    match: str | None
    status: str
    steps: int
    points: int
    turning_point: bool
    bifurcations: list[float]
    reason: str
    path: tuple[LogitPoint, ...] = ()


@dataclass(frozen=True, kw_only=True)
class BasinItem:
    """Starting points that reached one equilibrium (``None``: none of those listed)."""

    equilibrium: int | None
    count: int
    share: float
    interval_95: list[float]


@dataclass(frozen=True, kw_only=True)
class BasinsItem:
    """One dynamic's basins of attraction."""

    points: int
    seed: int
    steps: int
    step_size: float
    shares: tuple[BasinItem, ...]
    note: str | None = field(default=None, metadata=_OMIT_NONE)


@dataclass(frozen=True, kw_only=True)
class SelectionDocument:
    """Which equilibrium each selection criterion picks (indices into ``equilibria``),
    and the likely outcome in plain words."""

    risk_dominant: RiskDominant | None
    risk_dominance: str
    nash_products: tuple[NashProductPair, ...]
    payoff_dominant: int | None
    payoff_dominance: str
    logit_limit: int | None
    logit: LogitLimit
    basins: dict[str, BasinsItem]
    selected: dict[str, int | None]
    summary: list[str]


@dataclass(frozen=True, kw_only=True)
class SolveReport(_Document):
    """Everything ``policy solve`` reports."""

    kind: ClassVar[str] = "solve"
    game: str
    title: str
    description: str
    claim: str
    players: list[str]
    strategies: dict[str, list[str]]
    parameters: dict[str, int | float]
    controls: dict[str, int | float]
    solution: Equilibria = field(metadata=_FLATTEN)
    selection: SelectionDocument | None = field(default=None, metadata=_OMIT_NONE)
    payoff_table: tuple[PayoffEntry, ...]
    parameter_details: tuple[ParameterDetail, ...]
    control_details: tuple[ControlDetail, ...]
    provenance: Provenance
    figures: tuple[tuple[str, bytes | str], ...] = field(default=(), metadata=_NOT_JSON)


# -- analyze ---------------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class Condition:
    """When a pure profile is an equilibrium."""

    profile: dict[str, str]
    status: str
    holds_when: list[str]
    holds_when_latex: list[str]
    at_current: bool


@dataclass(frozen=True, kw_only=True)
class MixedEquilibrium:
    """A mixed equilibrium in closed form on one support."""

    support: dict[str, list[str]]
    strategies: dict[str, dict[str, str]]
    strategies_latex: dict[str, dict[str, str]]
    at_current_values: dict[str, dict[str, Any]]
    payoffs: dict[str, str]
    valid_when: list[str]
    valid_when_latex: list[str]
    status: str
    at_current: bool


@dataclass(frozen=True, kw_only=True)
class ConditionThreshold:
    """Where a condition switches, for one parameter or control."""

    profile: dict[str, str]
    condition: str
    condition_latex: str
    parameter: str
    value: str
    value_latex: str
    at_current: int | float | None


@dataclass(frozen=True, kw_only=True)
class LeaderCommitment:
    """The leader's probability that makes the followers' response just worthwhile."""

    leader: str
    strategy: str
    probability: str
    probability_latex: str
    followers: dict[str, str]
    valid_when: list[str]
    valid_when_latex: list[str]
    at_current: int | float | None


@dataclass(frozen=True, kw_only=True)
class AnalyzeReport(_Document):
    """Everything ``policy analyze`` reports."""

    kind: ClassVar[str] = "analyze"
    game: str
    title: str
    players: list[str]
    values: dict[str, int | float]
    domain: list[str]
    conditions: tuple[Condition, ...]
    mixed: tuple[MixedEquilibrium, ...]
    thresholds: tuple[ConditionThreshold, ...]
    commitment: tuple[LeaderCommitment, ...]
    notes: list[str]
    provenance: Provenance


# -- sweep and uncertainty -------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class Region:
    """Grid points sharing one equilibrium set (one support per player and equilibrium)."""

    label: str
    supports: list[list[list[str]]]
    points: int
    share: float


@dataclass(frozen=True, kw_only=True)
class Boundary:
    """A region boundary from the analysis (a condition that switches)."""

    equation: str
    expression: str
    latex: str
    crossings: Any


@dataclass(frozen=True, kw_only=True)
class Paths:
    """A one-axis sweep's equilibrium lines."""

    points: int
    branches: list[str]


@dataclass(frozen=True, kw_only=True)
class PolicyMap:
    """The cheapest policy over a grid: ranges over the verified points, statuses."""

    target: dict[str, str]
    robust: str
    feasible_points: int
    verified_points: int
    unverified_points: int
    statuses: dict[str, int]
    cost_range: list[int | float] | None
    control_ranges: dict[str, list[int | float] | None]


@dataclass(frozen=True, kw_only=True)
class SelectionRegion:
    """Grid points where one pure profile is the selected equilibrium (``None``: none)."""

    profile: dict[str, str] | None
    points: int
    share: float


@dataclass(frozen=True, kw_only=True)
class SelectionMap:
    """Which equilibrium a criterion selects over the grid (2×2 games)."""

    criterion: str
    regions: tuple[SelectionRegion, ...]


@dataclass(frozen=True, kw_only=True)
class SweepReport(_Document):
    """The phase diagram of a sweep: grid, regions, boundaries, optional extras."""

    kind: ClassVar[str] = "sweep"
    game: str
    title: str
    players: list[str]
    grid: dict[str, list[Any]]
    points: int
    fixed: dict[str, int | float]
    mixed_computed: bool
    regions: tuple[Region, ...]
    degenerate_points: int
    exact_points: int
    note: str | None = field(default=None, metadata=_OMIT_NONE)
    boundaries: tuple[Boundary, ...]
    paths: Paths | None = field(default=None, metadata=_OMIT_NONE)
    policy: PolicyMap | None = field(default=None, metadata=_OMIT_NONE)
    selection: SelectionMap | None = field(default=None, metadata=_OMIT_NONE)
    figure_names: list[str] = field(metadata={"key": "figures"})
    provenance: Provenance
    figures: tuple[tuple[str, bytes | str], ...] = field(default=(), metadata=_NOT_JSON)


@dataclass(frozen=True, kw_only=True)
class Outcome:
    """How often one equilibrium set occurs among the draws."""

    label: str
    supports: list[list[list[str]]]
    count: int
    share: float
    interval_95: list[float]


@dataclass(frozen=True, kw_only=True)
class UncertaintyReport(_Document):
    """How often each equilibrium set occurs under the declared distributions."""

    kind: ClassVar[str] = "uncertainty"
    game: str
    title: str
    players: list[str]
    samples: int
    seed: int
    distributions: dict[str, str]
    mixed_computed: bool
    outcomes: tuple[Outcome, ...]
    exact_points: int
    provenance: Provenance


# -- optimize --------------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class StrictThreshold:
    """Where a strict requirement starts (the margin-0 optimum)."""

    value_exact: str | None
    point_exact: dict[str, str | None]
    attained: bool
    indifferent: list[str]
    statement: str
    used: str


@dataclass(frozen=True, kw_only=True)
class Candidate:
    """One follower profile a commitment search considered."""

    followers: dict[str, str]
    status: str
    leader_value: int | float | None


@dataclass(frozen=True, kw_only=True)
class PureCommitment:
    """The leader's best pure commitment and the followers' response to it."""

    strategy: str
    followers: dict[str, str]
    leader_value: int | float


@dataclass(frozen=True, kw_only=True)
class SimultaneousEquilibrium:
    """An equilibrium of the simultaneous game and the leader's value in it."""

    strategies: dict[str, dict[str, str]]
    leader_value: int | float


@dataclass(frozen=True, kw_only=True)
class CommitmentPolicy:
    """The leader's optimal commitment."""

    mode: str = "commit"
    leader: str
    objective: str
    pessimistic: bool
    margin: str
    commitment: dict[str, int | float]
    commitment_exact: dict[str, str | None]
    #: per follower: its strategy, or (when it mixes) strategy → exact probability
    followers: dict[str, str | dict[str, str]]
    leader_value: int | float | None
    leader_value_exact: str | None
    status: str
    verified: bool
    verification: str
    best_pure_commitment: PureCommitment | None
    simultaneous_equilibria: tuple[SimultaneousEquilibrium, ...]
    value_of_commitment: int | float | None
    candidates: tuple[Candidate, ...]
    threshold: StrictThreshold | None
    solver: str


@dataclass(frozen=True, kw_only=True)
class ImplementationPolicy:
    """The cheapest controls and transfers that make a target an equilibrium."""

    mode: str = "implement"
    target: dict[str, str]
    robust: str
    margin: str
    controls: dict[str, int | float]
    controls_exact: dict[str, str | None]
    transfers: dict[str, dict[str, int | float]]
    cost: int | float | None
    cost_exact: str | None
    status: str
    explanation: str
    verified: bool
    verification: str
    other_equilibria: list[dict[str, dict[str, str]]]
    lower_bound: int | float | None
    scenarios: int
    confidence: float
    scenarios_satisfied: int | None
    threshold: StrictThreshold | None
    solver: str


@dataclass(frozen=True, kw_only=True)
class RankedPolicies:
    """Every pure profile with its cheapest implementation, cheapest first."""

    mode: str = "rank"
    robust: str | None
    profiles: tuple[ImplementationPolicy, ...]


@dataclass(frozen=True, kw_only=True)
class PolicyControl:
    """A control as the optimize report lists it."""

    name: str
    description: str
    default: str
    bounds: list[str] | None
    cost: str
    fixed_cost: str
    type: str


@dataclass(frozen=True, kw_only=True)
class OptimizeReport(_Document):
    """Everything ``policy optimize`` reports (commit, implement or rank)."""

    kind: ClassVar[str] = "optimize"
    game: str
    title: str
    policy: CommitmentPolicy | ImplementationPolicy | RankedPolicies = field(metadata=_FLATTEN)
    parameters: dict[str, int | float]
    control_details: tuple[PolicyControl, ...]
    budget: str | None
    provenance: Provenance

    @property
    def mode(self) -> str:
        return self.policy.mode


# -- the full report -------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class Stages:
    """Each stage's report inside the full report (``None``: not computed)."""

    solve: SolveReport
    analyze: AnalyzeReport | None = field(default=None, metadata=_OMIT_NONE)
    optimize: OptimizeReport | None = field(default=None, metadata=_OMIT_NONE)
    optimize_unique: OptimizeReport | None = field(default=None, metadata=_OMIT_NONE)
    optimize_risk_dominant: OptimizeReport | None = field(default=None, metadata=_OMIT_NONE)
    optimize_logit: OptimizeReport | None = field(default=None, metadata=_OMIT_NONE)
    optimize_basin: OptimizeReport | None = field(default=None, metadata=_OMIT_NONE)
    sweep: SweepReport | None = field(default=None, metadata=_OMIT_NONE)
    uncertainty: UncertaintyReport | None = field(default=None, metadata=_OMIT_NONE)
    uncertainty_policy: UncertaintyReport | None = field(default=None, metadata=_OMIT_NONE)


@dataclass(frozen=True, kw_only=True)
class FullReport(_Document):
    """The whole pipeline: a summary in plain words, then each stage."""

    kind: ClassVar[str] = "report"
    game: str
    title: str
    summary: list[str]
    summary_markdown: list[str]
    description: str
    claim: str
    references: list[str]
    stages: Stages
    skipped: dict[str, str]
    provenance: Provenance
    figure_names: list[str] = field(metadata={"key": "figures"})
    figures: tuple[tuple[str, bytes | str], ...] = field(default=(), metadata=_NOT_JSON)


@dataclass(frozen=True, kw_only=True)
class IndexEntry:
    """One line of a reports folder's index: a full report's game, title and first
    summary sentence."""

    game: str
    title: str
    first_sentence: str

    @classmethod
    def from_json(cls, document: Mapping[str, Any]) -> "IndexEntry":
        """The entry of a ``report.json`` read back from disk.

        >>> IndexEntry.from_json({"game": "g", "title": "", "summary": []})
        IndexEntry(game='g', title='g', first_sentence='')
        """
        return cls(game=document["game"], title=document.get("title") or document["game"],
                   first_sentence=(document.get("summary") or [""])[0])


#: Every kind of report.
Report = SolveReport | AnalyzeReport | OptimizeReport | SweepReport | UncertaintyReport | FullReport
REPORT_TYPES: tuple[type, ...] = (SolveReport, AnalyzeReport, OptimizeReport, SweepReport,
                                  UncertaintyReport, FullReport)

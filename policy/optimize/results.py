"""What :mod:`policy.optimize` answers: one frozen result type per question.

:class:`CommitmentResult` (mode ``commit``), :class:`ImplementationResult` (modes
``implement`` and, as a list, ``rank``), :class:`StrictThreshold`, where a strict
requirement starts, and for game trees :class:`TreeImplementationResult` with its
:class:`TreeCondition` s. Results carry their diagnostics (status, verification, solver,
time) and know nothing about rendering: the report package renders them (and
registers their notebook HTML).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

__all__ = ["CommitmentCandidate", "CommitmentResult", "ImplementationResult", "StrictThreshold",
           "TreeCondition", "TreeImplementationResult"]


@dataclass(frozen=True)
class StrictThreshold:
    """Where a strict requirement starts: the exact optimum of the same LP with margin 0
    (for an implementation: its cost and controls; for a pessimistic commitment: the
    leader's value and the commitment).

    ``statement`` says the threshold and whether it is attained, e.g. "entry_subsidy
    > 1; at entry_subsidy = 1 entrant is indifferent between enter and stay_out";
    ``used`` says the value used and its distance from the threshold.
    """

    value: Fraction | float  # the infimum cost, or the leader's supremum value
    point: dict[str, Fraction | float]  # controls, or commitment probabilities, there
    attained: bool
    indifferent: tuple[str, ...]
    statement: str
    used: str


@dataclass(frozen=True)
class CommitmentCandidate:
    """The LP for one follower profile: its status and value."""

    followers: dict[str, str]
    status: str
    value: Fraction | float | None


@dataclass(frozen=True)
class CommitmentResult:
    """The leader's optimal commitment and everything needed to trust it."""

    game: str
    leader: str
    objective: str
    pessimistic: bool
    margin: Fraction
    status: str
    commitment: dict[str, Fraction | float]
    followers: dict[str, str]
    leader_value: Fraction | float | None
    exact: bool
    verified: bool
    verification: str
    best_pure: dict[str, Any]
    simultaneous: list[dict[str, Any]]
    candidates: tuple[CommitmentCandidate, ...]
    solver: str
    seconds: float = field(compare=False)
    mode: str = "commit"
    threshold: StrictThreshold | None = None

    @property
    def value_of_commitment(self) -> Fraction | float | None:
        """Commitment value minus the leader's best value in a simultaneous equilibrium."""
        values = [s["leader_value"] for s in self.simultaneous]
        if self.leader_value is None or not values:
            return None
        return self.leader_value - max(values)


@dataclass(frozen=True)
class ImplementationResult:
    """The cheapest policy making a target profile an equilibrium, verified."""

    game: str
    target: dict[str, str]
    robust: str
    margin: Fraction
    status: str
    controls: dict[str, Fraction | float]
    transfers: dict[str, dict[str, Fraction | float]]
    cost: Fraction | float | None
    explanation: str
    verified: bool
    verification: str
    other_equilibria: list[dict[str, Any]]
    scenarios: int
    confidence: float
    scenarios_satisfied: int | None
    solver: str
    seconds: float = field(compare=False)
    mode: str = "implement"
    threshold: StrictThreshold | None = None
    #: ``unique`` only: the ``nash`` cost, below which no policy makes the target unique
    lower_bound: Fraction | float | None = None


@dataclass(frozen=True)
class TreeCondition:
    """An incentive condition of the chosen policy in a tree: at ``node``, ``player``
    prefers ``action`` to ``alternative`` by ``gain`` (exact, at the chosen controls);
    ``targeted``: the node's subgame holds a targeted decision."""

    player: str
    node: str
    action: str
    alternative: str
    gain: Fraction | float
    targeted: bool


@dataclass(frozen=True)
class TreeImplementationResult:
    """The cheapest controls making a target the unique subgame-perfect outcome of a
    tree (``robust`` ``unique``) or an SPE outcome (``spe``), and what re-solving found.

    ``verified``: re-solving confirmed what the programme asked for; ``unique``: every
    subgame-perfect equilibrium follows the target (True), one does not (False), or
    it is not proven (None); ``equilibria``: every SPE at the chosen controls (play,
    payoffs, whether it follows the target); ``shared_subgames``: relevant subgames
    where several players move at once (uniqueness not required by the programme there).
    """

    game: str
    target: dict[str, Any]
    robust: str
    margin: Fraction
    status: str
    controls: dict[str, Fraction | float]
    cost: Fraction | float | None
    explanation: str
    verified: bool
    unique: bool | None
    verification: str
    equilibria: list[dict[str, Any]]
    conditions: list[TreeCondition]
    shared_subgames: list[str]
    solver: str
    seconds: float = field(compare=False)
    mode: str = "implement"
    threshold: StrictThreshold | None = None

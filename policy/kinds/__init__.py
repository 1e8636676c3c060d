"""Kinds of games: one solver interface that every kind of game answers.

Where it sits in the data flow: after the stages that read, model, solve, analyse,
optimise, sweep and report a game (``readers`` → ``loader`` → ``symbolic`` →
``equilibria``/``analysis``/``optimize`` → ``sweep``/``phase`` → ``report``), and
before the public API (:mod:`policy.api`) and the command line
(:mod:`policy.cli`), which ask the kind of the loaded game and never branch on it.

A kind of game (normal form; markets with continuous choices and populations of
identical firms, :mod:`.market`; populations choosing between two strategies,
:mod:`.population`; game trees, :mod:`.tree`) is an object satisfying :class:`GameKind`: the same questions, one entry
point each. :func:`kind_of` picks the kind from a game specification (what a
reader produced) or from a loaded game. ``docs/contributing.md`` says how a new
kind plugs in.

Examples
--------
>>> from policy.readers.yaml_normal_form import load_game_text
>>> spec = load_game_text("players: {a: [x, y], b: [l, r]}\\n"
...                       "payoffs: {x: {l: [1, 1], r: [0, 0]}, y: {l: [0, 0], r: [1, 1]}}")
>>> kind = kind_of(spec)
>>> kind.name
'normal form'
>>> game = kind.model(spec)
>>> kind_of(game) is kind
True
>>> len(kind.solve(game).equilibria)
3
"""

from __future__ import annotations

from typing import Any, Mapping, Protocol, Sequence, runtime_checkable

from ..errors import ModelError
from .market import MARKET
from .normal_form import EXPORT_FORMATS as NORMAL_FORM_FORMATS
from .normal_form import NORMAL_FORM
from .population import POPULATION
from .tree import EXPORT_FORMATS as TREE_FORMATS
from .tree import TREE

__all__ = ["GameKind", "KINDS", "kind_of", "REPORT_PARTS", "EXPORT_FORMATS"]

#: The parts of a report every kind builds (:meth:`GameKind.report_part`).
REPORT_PARTS = ("solve", "analyze", "optimize", "sweep", "uncertainty")


@runtime_checkable
class GameKind(Protocol):
    """What a kind of game answers; each question has one entry point.

    ``game`` is the kind's own solvable game (:meth:`model`), ``values`` a mapping
    of parameter or control names to numbers overriding the file's values.
    """

    #: How the kind is named in messages (``"normal form"``).
    name: str

    def describes(self, spec: Any) -> bool:
        """Whether ``spec`` (what a reader produced) is a game of this kind."""

    def owns(self, game: Any) -> bool:
        """Whether ``game`` (what :meth:`model` built) is a game of this kind."""

    def model(self, spec: Any) -> Any:
        """The solvable game of this kind for ``spec``."""

    def value_problem(self, game: Any, values: Mapping[str, Any]) -> str | None:
        """What breaks ``game`` at ``values`` (``--set`` ones included), if anything."""

    def check(self, game: Any, path: Any) -> tuple[dict, list[str]]:
        """A summary of ``game`` and the likely mistakes in it (``policy check``)."""

    def solve(self, game: Any, values: Mapping[str, Any] | None = None, *,
              method: str = "auto") -> Any:
        """The equilibria, verified."""

    def analyze(self, game: Any, values: Mapping[str, Any] | None = None, *,
                max_support: int = 3, equilibria: Any = None) -> Any:
        """The conditions under which each outcome is an equilibrium (symbolic);
        ``equilibria``: :meth:`solve`'s answer at these values, when already known."""

    def default_mode(self, game: Any) -> str:
        """What :meth:`optimize` does when no mode is given."""

    def optimize(self, game: Any, values: Mapping[str, Any] | None = None,
                 **options: Any) -> Any:
        """The regulator's optimal policy; ``options`` as :func:`policy.api.optimize`."""

    def default_axes(self, game: Any, analysis: Any = None) -> list:
        """The grid a report sweeps when none is given."""

    def sweep(self, game: Any, axes: Sequence[Any], values: Mapping[str, Any] | None = None,
              **options: Any) -> Any:
        """The equilibria over a grid of one or two parameters."""

    def sweep_extras(self, game: Any, result: Any, values: Mapping[str, Any] | None = None,
                     **options: Any) -> dict:
        """What a sweep report shows beside its regions (boundaries, paths, policy map)."""

    def uncertainty(self, game: Any, samples: int, seed: int = 0,
                    values: Mapping[str, Any] | None = None, **options: Any) -> Any:
        """How often each equilibrium set occurs when uncertain parameters are drawn."""

    def report_part(self, part: str, game: Any, result: Any, command: str,
                    **extras: Any) -> Any:
        """The report of one command (a name in :data:`REPORT_PARTS`) on ``result``."""

    def full_report(self, game: Any, values: Mapping[str, Any] | None = None,
                    **options: Any) -> Any:
        """The whole pipeline as one report (``policy report``)."""

    def export(self, game: Any, values: Mapping[str, Any], fmt: str) -> str:
        """``game`` at ``values`` in another file format."""


#: Every kind of game, asked in this order.
KINDS: tuple[GameKind, ...] = (NORMAL_FORM, MARKET, POPULATION, TREE)

#: Every format some kind exports to (``policy export --to``), in the order the kinds
#: list them; a kind asked for a format it does not write answers with a ModelError.
EXPORT_FORMATS = tuple(dict.fromkeys((*NORMAL_FORM_FORMATS, *TREE_FORMATS)))


def kind_of(game: Any) -> GameKind:
    """The kind of a game specification or of a loaded game.

    Raises
    ------
    ModelError
        When no kind of :data:`KINDS` handles ``game``.
    """
    for kind in KINDS:
        if kind.describes(game) or kind.owns(game):
            return kind
    raise ModelError(f"no kind of game handles a {type(game).__name__}; known kinds: "
                     + ", ".join(kind.name for kind in KINDS))

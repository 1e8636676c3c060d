"""The tree kind: games in extensive form (YAML trees, Gambit ``.efg``).

Where it sits: behind :mod:`policy.kinds`, after the stages it calls —
:mod:`policy.tree_model` (the model), :mod:`policy.tree_equilibria` (subgame-perfect
and Nash equilibria, verified), :mod:`policy.readers.efg` (export) and
:mod:`policy.report.tree` — each imported by the question that needs it.

What a tree answers today: ``check``, ``solve``, ``analyze`` (the credible-threat
conditions of each pure subgame-perfect equilibrium), ``report`` and ``export``
(``efg``, and ``nfg``: the reduced strategic form). ``optimize``, ``sweep`` and
``uncertainty`` do not apply to trees yet: they raise a
:class:`~policy.errors.ModelError` naming the kind, and ``policy report`` says
that it skipped them and why.

Examples
--------
>>> from policy.api import load
>>> game = load("chain_store")
>>> TREE.owns(game), TREE.name
(True, 'tree')
>>> TREE.optimize(game)
Traceback (most recent call last):
...
policy.errors.ModelError: optimize does not apply to game trees yet (kind 'tree'): chain_store is a tree; solve, analyze, check, report and export apply
"""

from __future__ import annotations

from pathlib import Path
from typing import Mapping, Sequence

from ..errors import GameFileError, ModelError
from ..tree_model import TreeGame
from ..tree_spec import TreeSpec

__all__ = ["TreeKind", "TREE", "EXPORT_FORMATS", "METHODS"]

#: The formats :meth:`TreeKind.export` writes: the tree, or its reduced strategic form.
EXPORT_FORMATS = ("efg", "nfg")
#: How trees are solved (``auto`` and ``exact``: backward induction over subgames).
METHODS = ("auto", "exact")

#: Why each question that does not apply to trees is skipped by ``policy report``.
NOT_YET = {
    "optimize": "the regulator's policy is not optimised on game trees yet",
    "sweep": "phase diagrams are not drawn for game trees yet",
    "uncertainty": "uncertain parameters are not sampled for game trees yet",
}


class TreeKind:
    """Games in extensive form: a tree of moves, chance and information sets."""

    name = "tree"

    def describes(self, spec) -> bool:
        return isinstance(spec, TreeSpec)

    def owns(self, game) -> bool:
        return isinstance(game, TreeGame)

    def model(self, spec: TreeSpec) -> TreeGame:
        return TreeGame.from_spec(spec)

    def value_problem(self, game: TreeGame, values: Mapping[str, object]) -> str | None:
        return game.value_problem(values)

    def _not_yet(self, question: str, game: TreeGame):
        return ModelError(f"{question} does not apply to game trees yet (kind 'tree'): "
                          f"{game.name} is a tree; solve, analyze, check, report and export apply")

    def check(self, game: TreeGame, path: Path) -> tuple[dict, list[str]]:
        """Validate ``game`` (read from ``path``): the default values must give a tree with
        probabilities in [0, 1] and rational payoffs; warn about unused names, parameters
        without a value and moves of probability 0 (the nodes after them are never reached).
        """
        spec = game.spec
        problems = []
        used: set[str] = set()
        for outcome in spec.outcomes:
            for expr in outcome.payoffs:
                used |= {str(s) for s in expr.free_symbols}
        for infoset in spec.infosets:
            for expr in infoset.probabilities or ():
                used |= {str(s) for s in expr.free_symbols}
        for item in (*spec.parameters, *spec.controls):
            if item.name not in used:
                kind = "parameter" if item in spec.parameters else "control"
                line = spec.line_of(f"{kind}s.{item.name}")
                problems.append(f"{path}:{line}: {kind} '{item.name}' is not used by any payoff "
                                "or probability")
        missing = [p for p in spec.parameters if p.value is None]
        for parameter in missing:
            problems.append(f"{path}:{spec.line_of('parameters.' + parameter.name)}: parameter "
                            f"'{parameter.name}' has no value; solve needs --set "
                            f"{parameter.name}=…")
        if not missing:
            try:
                tree = game.bind()
            except ModelError as err:
                raise GameFileError(f"{path}: the default values: {err}") from None
            for index, node in enumerate(tree.nodes):
                if node.kind == "chance":
                    for action, p in zip(tree.infosets[node.infoset].actions,
                                         tree.chance[node.infoset]):
                        if p == 0:
                            where = spec.node_fields[index] if spec.node_fields else f"#{index}"
                            problems.append(f"{path}: {where}: '{action}' has probability 0 "
                                            "at the default values, so the nodes after it are "
                                            "never reached")
        players = ", ".join(spec.players)
        summary = {
            "name": spec.name, "path": str(path), "players": list(spec.players),
            "nodes": len(spec.nodes), "parameters": len(spec.parameters),
            "controls": len(spec.controls),
            "text": (f"a game tree: {len(spec.players)} players ({players}); "
                     f"{len(spec.nodes)} nodes, {len(spec.infosets)} information sets, "
                     f"{len(spec.parameters)} parameters, {len(spec.controls)} controls"),
        }
        return summary, problems

    def solve(self, game: TreeGame, values: Mapping[str, object] | None = None, *,
              method: str = "auto"):
        """Every subgame-perfect equilibrium and (two players) every extreme Nash
        equilibrium, verified exactly (:func:`policy.tree_equilibria.solve_tree`)."""
        from ..tree_equilibria import solve_tree

        if method not in METHODS:
            raise ModelError(f"method '{method}' does not apply to game trees; choose "
                             + " or ".join(METHODS))
        return solve_tree(game.bind(values or {}))

    def analyze(self, game: TreeGame, values: Mapping[str, object] | None = None, *,
                max_support: int = 3, equilibria=None):
        """The credible-threat conditions of each pure subgame-perfect equilibrium
        (:func:`policy.tree_analysis.analyze_tree`); ``max_support`` does not apply."""
        from ..tree_analysis import analyze_tree

        return analyze_tree(game, values, equilibria)

    def default_mode(self, game: TreeGame) -> str:
        raise self._not_yet("optimize", game)

    def optimize(self, game: TreeGame, values: Mapping[str, object] | None = None, **options):
        raise self._not_yet("optimize", game)

    def default_axes(self, game: TreeGame, analysis=None) -> list:
        return []

    def sweep(self, game: TreeGame, axes: Sequence, values: Mapping[str, object] | None = None,
              **options):
        raise self._not_yet("sweep", game)

    def sweep_extras(self, game: TreeGame, result, values=None, **options) -> dict:
        raise self._not_yet("sweep", game)

    def uncertainty(self, game: TreeGame, samples: int, seed: int = 0,
                    values: Mapping[str, object] | None = None, **options):
        raise self._not_yet("uncertainty", game)

    def report_part(self, part: str, game: TreeGame, result, command: str, **extras):
        """The report of ``part``; only ``solve`` applies to trees yet."""
        from . import REPORT_PARTS

        if part not in REPORT_PARTS:
            raise ModelError(f"unknown report part '{part}'; choose {', '.join(REPORT_PARTS)}")
        from ..report.tree import build_tree_analyze_report, build_tree_solve_report

        if part == "analyze":
            return build_tree_analyze_report(game, result, command)
        if part != "solve":
            raise self._not_yet(part, game)
        return build_tree_solve_report(game, result, command, draw=extras.get("draw", True))

    def full_report(self, game: TreeGame, values: Mapping[str, object] | None = None, *,
                    axes: Sequence | None = None, samples: int = 0, seed: int = 0,
                    command: str = "", timestamp: str | None = None):
        """The solve report with a summary in plain words; the other stages are skipped,
        and the report says why."""
        from ..report.tree import build_tree_full_report

        if axes:
            raise self._not_yet("sweep (--vary)", game)
        solution = self.solve(game, values)
        solved = self.report_part("solve", game, solution, command)
        analysis = self.report_part("analyze", game, self.analyze(game, values,
                                                                  equilibria=solution), command)
        skipped = {k: v for k, v in NOT_YET.items() if k != "analyze"}
        return build_tree_full_report(game, solved, command, skipped, timestamp, analysis)

    def export(self, game: TreeGame, values: Mapping[str, object], fmt: str) -> str:
        """The tree at ``values`` as Gambit ``.efg`` (``efg``), or its reduced strategic
        form as ``.nfg`` (``nfg``)."""
        from ..readers.efg import to_efg
        from ..readers.nfg import to_nfg
        from ..tree_equilibria import reduced_game_spec

        if fmt not in EXPORT_FORMATS:
            raise ModelError(f"unknown export format '{fmt}' for a game tree; choose "
                             f"{', '.join(EXPORT_FORMATS)}")
        if fmt == "efg":
            return to_efg(game.spec, values)
        return to_nfg(reduced_game_spec(game.bind(values)))


#: The one tree kind (it holds no state).
TREE = TreeKind()

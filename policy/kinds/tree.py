"""The tree kind: games in extensive form (YAML trees, Gambit ``.efg``).

Where it sits: behind :mod:`policy.kinds`, after the stages it calls —
:mod:`policy.tree_model` (the model), :mod:`policy.tree_equilibria` (subgame-perfect
and Nash equilibria, verified), :mod:`policy.readers.efg` (export) and
:mod:`policy.report.tree` — each imported by the question that needs it.

What a tree answers: ``check``, ``solve``, ``analyze`` (the credible-threat
conditions of each pure subgame-perfect equilibrium), ``optimize`` (the cheapest
controls making a target the unique subgame-perfect outcome,
:mod:`policy.optimize.tree`), ``sweep`` and ``uncertainty`` (the subgame-perfect
outcome over a grid or over random draws, :mod:`policy.sweep.tree`), ``report`` and
``export`` (``efg``, and ``nfg``: the reduced strategic form).

Examples
--------
>>> from policy.api import load
>>> game = load("chain_store")
>>> TREE.owns(game), TREE.name, TREE.default_mode(game)
(True, 'tree', 'implement')
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

#: Points per axis of the phase diagram of ``policy report`` (each point is an exact solve).
REPORT_GRID_POINTS = 21
#: The options of ``policy optimize`` for matrix games that trees do not take.
_MATRIX_ONLY = {"transfers": "--transfers", "pessimistic": "--pessimistic",
                "scenarios": "--scenarios"}


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
        """Trees have one optimisation: the cheapest controls implementing a target."""
        return "implement"

    def optimize(self, game: TreeGame, values: Mapping[str, object] | None = None, *,
                 mode: str | None = None, target: Mapping[str, str] | None = None,
                 path: Sequence[str] | None = None, robust: str | None = None, margin=None,
                 solver: str = "cbc", time_limit: float | None = None, **options):
        """The cheapest controls making the target (``path`` from the root and ``target``:
        information set → action; default: the file's ``target:``) the unique
        subgame-perfect outcome (``robust`` ``unique``, the default) or an SPE outcome
        (``spe``), verified by re-solving (:func:`policy.optimize.tree.cheapest_tree_policy`).
        """
        from ..optimize import SolverOptions
        from ..optimize.tree import cheapest_tree_policy
        from ..tree_spec import TreeTarget

        if mode not in (None, "implement"):
            raise ModelError(f"--mode {mode} does not apply to game trees; they are optimised "
                             "in mode implement (the cheapest controls for a target)")
        for name, option in _MATRIX_ONLY.items():
            if options.get(name):
                raise ModelError(f"{option} does not apply to game trees")
        goal = (TreeTarget(path=tuple(path or ()), actions=tuple((target or {}).items()))
                if target or path else game.spec.tree_target)
        return cheapest_tree_policy(game, goal, values, robust=robust or "unique",
                                    margin=margin, solver=SolverOptions(solver, time_limit))

    def default_axes(self, game: TreeGame, analysis=None) -> list:
        """The phase diagram of ``policy report``: the file's ``vary:`` axes; else the
        first two parameters with a declared ``range`` that appear in a credible-threat
        condition of ``analysis`` (else the first two with a range), then controls with
        bounds, each with :data:`REPORT_GRID_POINTS` points."""
        from fractions import Fraction

        from ..sweep import GridAxis

        if game.spec.vary:
            return [GridAxis.parse(text) for text in game.spec.vary]
        used = ({str(s) for eq in analysis.equilibria for c in eq.conditions
                 for s in c.condition.free_symbols} if analysis is not None else set())
        candidates = [(p.name, p.range) for p in game.spec.parameters if p.range]
        candidates += [(c.name, c.bounds) for c in game.spec.controls if c.bounds]
        ranked = sorted(candidates, key=lambda item: item[0] not in used)
        return [GridAxis(name, Fraction(str(low)), Fraction(str(high)), REPORT_GRID_POINTS)
                for name, (low, high) in ranked[:2] if low != high]

    def sweep(self, game: TreeGame, axes: Sequence, values: Mapping[str, object] | None = None,
              *, mixed: bool = True, progress=None, client=None, engine: str | None = None):
        """The subgame-perfect outcome at every grid point, each solved exactly
        (:func:`policy.sweep.tree.sweep_tree`); ``engine`` (the matrix-game kernels) does
        not apply; ``mixed=False`` (``--pure``) is refused."""
        from ..sweep.tree import sweep_tree

        if not mixed:
            raise ModelError("--pure does not apply to game trees: every point is solved "
                             "completely by backward induction")
        return sweep_tree(game, axes, values, progress=progress, client=client)

    def sweep_extras(self, game: TreeGame, result, values=None, *, boundaries: bool = True,
                     optimize: bool = False, **options) -> dict:
        """The boundaries beside a tree's phase diagram: the linear pieces of the
        credible-threat conditions (and assumptions) that separate its regions."""
        from ..sweep import separating_boundaries
        from ..sweep.tree import tree_boundary_lines

        if optimize:
            raise ModelError("--optimize (a policy map over the grid) does not apply to game "
                             "trees yet; run policy optimize at the values of interest")
        if not boundaries:
            return {}
        return {"boundaries": separating_boundaries(result, game,
                                                    tree_boundary_lines(game, result))}

    def uncertainty(self, game: TreeGame, samples: int, seed: int = 0,
                    values: Mapping[str, object] | None = None, *, mixed: bool = True):
        """How often each subgame-perfect outcome occurs when the parameters that declare a
        ``dist:`` are drawn (:func:`policy.sweep.tree.uncertainty_tree`)."""
        from ..sweep.tree import uncertainty_tree

        if not mixed:
            raise ModelError("--pure does not apply to game trees")
        return uncertainty_tree(game, samples, seed, values)

    def report_part(self, part: str, game: TreeGame, result, command: str, **extras):
        """The report of ``part`` (``extras``: ``values`` for optimize, the keyword
        arguments of :func:`policy.report.tree_policy.build_tree_sweep_report` for sweep)."""
        from . import REPORT_PARTS

        if part not in REPORT_PARTS:
            raise ModelError(f"unknown report part '{part}'; choose {', '.join(REPORT_PARTS)}")
        from ..report import tree_policy
        from ..report.tree import build_tree_analyze_report, build_tree_solve_report

        if part == "analyze":
            return build_tree_analyze_report(game, result, command)
        if part == "optimize":
            return tree_policy.build_tree_optimize_report(game, result, command,
                                                          extras.get("values"))
        if part == "sweep":
            return tree_policy.build_tree_sweep_report(game, result, command, **extras)
        if part == "uncertainty":
            return tree_policy.build_tree_uncertainty_report(game, result, command)
        return build_tree_solve_report(game, result, command, draw=extras.get("draw", True))

    def full_report(self, game: TreeGame, values: Mapping[str, object] | None = None, *,
                    axes: Sequence | None = None, samples: int = 0, seed: int = 0,
                    command: str = "", timestamp: str | None = None):
        """Solve, analyze, optimize (the file's target), a phase diagram (``axes``, else
        :meth:`default_axes`) and uncertainty (parameters with a ``dist:``) as one
        report with a summary in plain words; a stage that does not apply is skipped,
        and the report says why."""
        from ..report.tree import build_tree_full_report

        spec = game.spec
        solution = self.solve(game, values)
        solved = self.report_part("solve", game, solution, command)
        analysis = self.analyze(game, values, equilibria=solution)
        analyzed = self.report_part("analyze", game, analysis, command)
        stages, skipped = {}, {}
        if spec.tree_target and spec.controls:
            stages["optimize"] = self.report_part("optimize", game, self.optimize(game, values),
                                                  command, values=game.values_with(values))
        else:
            skipped["optimize"] = ("the file declares no target:" if not spec.tree_target
                                   else "the game declares no regulator controls")
        grid = list(axes) if axes else self.default_axes(game, analysis)
        if grid:
            swept = self.sweep(game, grid, values)
            stages["sweep"] = self.report_part("sweep", game, swept, command,
                                               **self.sweep_extras(game, swept, values))
        else:
            skipped["sweep"] = "no parameter declares a range and no control has bounds"
        if any(p.distribution is not None for p in spec.parameters):
            stages["uncertainty"] = self.report_part(
                "uncertainty", game, self.uncertainty(game, samples, seed, values), command)
        else:
            skipped["uncertainty"] = "no parameter declares a distribution (dist:)"
        return build_tree_full_report(game, solved, command, skipped, timestamp, analyzed,
                                      **stages)

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

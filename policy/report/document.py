"""Report documents: JSON-ready data built from results (no rendering here)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import sympy

from .. import __version__
from ..equilibria import Equilibrium, EquilibriumSet
from ..symbolic import SymbolicGame

__all__ = ["Report", "build_solve_report", "build_optimize_report", "build_analyze_report", "build_sweep_report",
           "build_uncertainty_report", "build_full_report", "plain_summary", "latex", "provenance", "number_json",
           "exact_text"]


@dataclass(frozen=True)
class Report:
    """A report: its kind (``solve``, ``optimize`` …), the game name and the data."""

    kind: str
    game: str
    document: dict[str, Any]
    figures: tuple[tuple[str, bytes | str], ...] = ()


def exact_text(value: Any) -> str:
    """Exact text of a number: ``"2/7"``, ``"4"``, ``"sqrt(2)"``.

    >>> exact_text(Fraction(2, 7)), exact_text(sympy.Integer(4)), exact_text(0.5)
    ('2/7', '4', '0.5')
    """
    if isinstance(value, float):
        return repr(value)
    return str(value)


def number_json(value: Any) -> int | float:
    """A JSON number: integers stay integers, everything else becomes a float.

    >>> number_json(Fraction(4)), number_json(Fraction(1, 4)), number_json(sympy.Rational(3, 2))
    (4, 0.25, 1.5)
    """
    if isinstance(value, sympy.Basic):
        if value.is_Integer:
            return int(value)
        return float(value.evalf(17))
    if isinstance(value, Fraction):
        return int(value) if value.denominator == 1 else float(value)
    if isinstance(value, int):
        return value
    number = float(value)
    return 0.0 if number == 0 else number  # no "-0.0" in reports


def provenance(game: SymbolicGame, command: str, **extra: Any) -> dict[str, Any]:
    """Where a report comes from: tool version, command, input file and hash."""
    source = game.spec.source
    result = {
        "tool": f"policy {__version__}",
        "command": command,
        "input": _input_path(source.path) if source else None,
        "input_format": source.format if source else None,
        "input_sha256": source.sha256 if source else None,
    }
    result.update(extra)
    result["libraries"] = library_versions()
    return result


@functools.lru_cache(maxsize=1)
def library_versions() -> str:
    """The versions that shape a report's numbers, text and figures.

    >>> "sympy" in library_versions()
    True
    """
    from importlib.metadata import PackageNotFoundError, version

    names = ("nashpy", "pulp", "sympy", "numpy", "matplotlib", "latex2mathml", "markdown-it-py")
    found = []
    for name in names:
        try:
            found.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            found.append(f"{name} (not installed)")
    return ", ".join(found)


def _input_path(path: str) -> str:
    """The input as the user gave it; a bundled game as ``games/<file>``, so reports
    do not depend on where the tool is installed."""
    from ..gamefile import bundled_games

    resolved = Path(path).resolve()
    bundled = bundled_games().get(resolved.stem)
    if bundled is not None and bundled.resolve() == resolved:
        return f"games/{resolved.name}"
    return str(path)


def _strategies_json(result: EquilibriumSet, eq: Equilibrium, exact: bool) -> dict[str, Any]:
    game = result.game
    return {
        player: {strategy: (exact_text(p) if exact else number_json(p))
                 for strategy, p in zip(game.strategies[i], eq.strategies[i])}
        for i, player in enumerate(game.players)
    }


def _equilibrium_json(result: EquilibriumSet, eq: Equilibrium) -> dict[str, Any]:
    game = result.game
    item: dict[str, Any] = {
        "strategies": _strategies_json(result, eq, exact=False),
        "payoffs": {player: number_json(v) for player, v in zip(game.players, eq.payoffs)},
    }
    if eq.exact:
        item["exact"] = _strategies_json(result, eq, exact=True)
        item["exact_payoffs"] = {player: exact_text(v) for player, v in zip(game.players, eq.payoffs)}
    item["pure"] = eq.is_pure
    item["pareto_dominated"] = eq.pareto_dominated
    item["verified"] = eq.verified
    item["verified_exactly"] = eq.verified and eq.exact
    return item


def _component_json(result: EquilibriumSet, component) -> dict[str, Any]:
    game = result.game
    pieces = []
    for row_points, column_points in component.convex_sets:
        pieces.append({
            game.players[0]: [{s: exact_text(p) for s, p in zip(game.strategies[0], point)}
                              for point in row_points],
            game.players[1]: [{s: exact_text(p) for s, p in zip(game.strategies[1], point)}
                              for point in column_points],
        })
    return {"equilibria": list(component.equilibria), "convex_sets": pieces}


def _symbol_table(game: SymbolicGame, values: dict[str, sympy.Expr]) -> tuple[list, list]:
    parameters = [{
        "name": p.name, "value": exact_text(values[p.name]) if p.name in values else None,
        "default": exact_text(p.value) if p.value is not None else None,
        "description": p.description, "unit": p.unit,
        "range": [exact_text(v) for v in p.range] if p.range else None,
        "positive": p.positive,
        "distribution": str(p.distribution) if p.distribution else None,
    } for p in game.spec.parameters]
    controls = [{
        "name": c.name, "value": exact_text(values[c.name]), "default": exact_text(c.value),
        "description": c.description, "unit": c.unit,
        "bounds": [exact_text(v) for v in c.bounds] if c.bounds else None,
        "cost": exact_text(c.cost), "type": c.type,
    } for c in game.spec.controls]
    return parameters, controls


def equilibria_document(result: EquilibriumSet) -> dict[str, Any]:
    """The equilibria of a solve, with how they were found (part of a solve report)."""
    return {
        "method": result.method,
        "complete": result.complete,
        "exact_arithmetic": result.exact,
        "tolerance": result.tolerance,
        "degenerate": result.degenerate,
        "degeneracy_reason": result.degeneracy_reason,
        "equilibria": [_equilibrium_json(result, eq) for eq in result.equilibria],
        "components": [_component_json(result, c) for c in result.components],
        "notes": list(result.notes),
    }


def build_solve_report(game: SymbolicGame, result: EquilibriumSet, command: str) -> Report:
    """Everything ``policy solve`` reports, as data."""
    values = dict(result.game.values)
    spec = game.spec
    parameters, controls = _symbol_table(game, values)
    profiles = []
    numeric = result.game
    flat_exact = [a.reshape(-1) for a in numeric.exact_payoffs] if numeric.is_exact else None
    flat_float = [a.reshape(-1) for a in numeric.payoffs]
    for index, (profile, expressions) in enumerate(zip(spec.profiles(), spec.payoffs)):
        profiles.append({
            "profile": dict(zip(game.players, profile)),
            "symbolic": [str(e) for e in expressions],
            "latex": [latex(e) for e in expressions],
            "values": [exact_text(a[index]) if flat_exact else number_json(f[index])
                       for a, f in zip(flat_exact or flat_float, flat_float)],
        })
    document = {
        "game": game.name,
        "title": spec.title,
        "description": spec.description,
        "claim": spec.claim,
        "players": list(game.players),
        "strategies": {p: list(s) for p, s in zip(game.players, game.strategies)},
        "parameters": {p.name: number_json(values[p.name]) for p in spec.parameters},
        "controls": {c.name: number_json(values[c.name]) for c in spec.controls},
        **equilibria_document(result),
        "payoff_table": profiles,
        "parameter_details": parameters,
        "control_details": controls,
        "provenance": provenance(game, command, method=result.method),
    }
    return Report("solve", game.name, document)


def _value_json(value: Any) -> Any:
    if value is None:
        return None
    return number_json(value)


def _exact_json(value: Any) -> Any:
    if value is None:
        return None
    return exact_text(value) if isinstance(value, Fraction) else repr(float(value))


def commitment_document(result) -> dict[str, Any]:
    return {
        "mode": "commit",
        "leader": result.leader,
        "objective": result.objective,
        "pessimistic": result.pessimistic,
        "margin": exact_text(result.margin),
        "commitment": {s: number_json(p) for s, p in result.commitment.items()},
        "commitment_exact": {s: _exact_json(p) for s, p in result.commitment.items()},
        "followers": result.followers,
        "leader_value": _value_json(result.leader_value),
        "leader_value_exact": _exact_json(result.leader_value),
        "status": result.status,
        "verified": result.verified,
        "verification": result.verification,
        "best_pure_commitment": ({**result.best_pure,
                                  "leader_value": number_json(result.best_pure["leader_value"])}
                                 if result.best_pure else None),
        "simultaneous_equilibria": [
            {"strategies": {p: {s: exact_text(v) for s, v in mix.items() if v}
                            for p, mix in item["strategies"].items()},
             "leader_value": number_json(item["leader_value"])} for item in result.simultaneous],
        "value_of_commitment": _value_json(result.value_of_commitment),
        "candidates": [{"followers": c.followers, "status": c.status, "leader_value": _value_json(c.value)}
                       for c in result.candidates],
        "threshold": _threshold_json(getattr(result, "threshold", None)),
        "solver": result.solver,
    }


def implementation_document(result) -> dict[str, Any]:
    return {
        "mode": "implement",
        "target": result.target,
        "robust": result.robust,
        "margin": exact_text(result.margin),
        "controls": {k: number_json(v) for k, v in result.controls.items()},
        "controls_exact": {k: _exact_json(v) for k, v in result.controls.items()},
        "transfers": {outcome: {p: number_json(v) for p, v in pays.items()}
                      for outcome, pays in result.transfers.items()},
        "cost": _value_json(result.cost),
        "cost_exact": _exact_json(result.cost),
        "status": result.status,
        "explanation": result.explanation,
        "verified": result.verified,
        "verification": result.verification,
        "other_equilibria": [{p: {s: exact_text(v) for s, v in mix.items()} for p, mix in eq.items()}
                             for eq in result.other_equilibria],
        "lower_bound": _value_json(result.lower_bound),
        "scenarios": result.scenarios,
        "confidence": result.confidence,
        "scenarios_satisfied": result.scenarios_satisfied,
        "threshold": _threshold_json(getattr(result, "threshold", None)),
        "solver": result.solver,
    }


def _threshold_json(threshold) -> dict[str, Any] | None:
    """Where a strict requirement starts (the margin-0 optimum), or None."""
    if threshold is None:
        return None
    return {"value_exact": _exact_json(threshold.value),
            "point_exact": {k: _exact_json(v) for k, v in threshold.point.items()},
            "attained": threshold.attained, "indifferent": list(threshold.indifferent),
            "statement": threshold.statement, "used": threshold.used}


def build_optimize_report(game: SymbolicGame, result, command: str,
                          values: dict[str, Any] | None = None) -> Report:
    """Everything ``policy optimize`` reports, as data (commit, implement or rank)."""
    if isinstance(result, list):
        body = {"mode": "rank", "robust": result[0].robust if result else None,
                "profiles": [implementation_document(r) for r in result]}
        solver = result[0].solver if result else None
    elif result.mode == "commit":
        body = commitment_document(result)
        solver = result.solver
    else:
        body = implementation_document(result)
        solver = result.solver
    spec = game.spec
    document = {"game": game.name, "title": spec.title}
    document.update(body)
    document["parameters"] = {k: number_json(v) for k, v in (values or {}).items()
                              if k in {p.name for p in spec.parameters}}
    document["control_details"] = [{
        "name": c.name, "description": c.description, "default": exact_text(c.value),
        "bounds": [exact_text(b) for b in c.bounds] if c.bounds else None,
        "cost": exact_text(c.cost), "fixed_cost": exact_text(c.fixed_cost), "type": c.type,
    } for c in spec.controls]
    document["budget"] = exact_text(spec.budget) if spec.budget is not None else None
    document["provenance"] = provenance(game, command, solver=solver)
    return Report("optimize", game.name, document)


def _at(expr: Any, substitution: dict) -> Any:
    value = expr.xreplace(substitution) if isinstance(expr, sympy.Basic) else expr
    if isinstance(value, sympy.Basic) and value.is_number:
        return number_json(sympy.nsimplify(value)) if value.is_real else None
    return None


def latex(expr: Any) -> str:
    """LaTeX for an expression or relation, multi-letter names set upright.

    >>> x, price = sympy.symbols("x price")
    >>> print(latex(abs(x) * price))
    \\mathrm{price} \\cdot \\left\\vert {x}\\right\\vert
    """
    if not isinstance(expr, sympy.Basic):
        return str(expr)
    names = {s: r"\mathrm{" + str(s).replace("_", r"\_") + "}" for s in expr.free_symbols
             if len(str(s)) > 1}
    text = sympy.latex(expr, symbol_names=names, mul_symbol="dot" if names else None)
    return text.replace("|", r"\vert ").strip()  # a bare | would split a table cell


def build_analyze_report(game: SymbolicGame, analysis, command: str) -> Report:
    """Everything ``policy analyze`` reports, as data (expressions as sympy-readable text)."""
    substitution = {game.symbols[k]: v for k, v in analysis.values.items()}
    document = {
        "game": game.name,
        "title": game.spec.title,
        "players": list(game.players),
        "values": {k: number_json(v) for k, v in analysis.values.items()},
        "domain": [str(r) for r in analysis.domain],
        "conditions": [{"profile": c.profile, "status": c.status,
                        "holds_when": [str(r) for r in c.holds_when],
                        "holds_when_latex": [latex(r) for r in c.holds_when],
                        "at_current": c.at_current} for c in analysis.conditions],
        "mixed": [{"support": {p: list(s) for p, s in m.support.items()},
                   "strategies": {p: {s: str(e) for s, e in mix.items()}
                                  for p, mix in m.strategies.items()},
                   "strategies_latex": {p: {s: latex(e) for s, e in mix.items()}
                                        for p, mix in m.strategies.items()},
                   "at_current_values": {p: {s: _at(e, substitution) for s, e in mix.items()}
                                         for p, mix in m.strategies.items()},
                   "payoffs": {p: str(e) for p, e in m.payoffs.items()},
                   "valid_when": [str(r) for r in m.valid_when],
                   "valid_when_latex": [latex(r) for r in m.valid_when],
                   "status": m.status, "at_current": m.at_current} for m in analysis.mixed],
        "thresholds": [{"profile": t.profile, "condition": str(t.condition),
                        "condition_latex": latex(t.condition),
                        "parameter": t.parameter, "value": str(t.value),
                        "value_latex": latex(t.value),
                        "at_current": number_json(t.at_current) if t.at_current is not None
                        else None} for t in analysis.thresholds],
        "commitment": [{"leader": c.leader, "strategy": c.strategy,
                        "probability": str(c.probability), "probability_latex": latex(c.probability),
                        "followers": c.followers, "valid_when": [str(r) for r in c.valid_when],
                        "valid_when_latex": [latex(r) for r in c.valid_when],
                        "at_current": number_json(c.at_current) if c.at_current is not None else None}
                       for c in analysis.commitment],
        "notes": list(analysis.notes),
        "provenance": provenance(game, command),
    }
    return Report("analyze", game.name, document)


def build_sweep_report(game: SymbolicGame, result, command: str, *, boundaries=(),
                       paths=None, policy_map=None, draw: bool = True) -> Report:
    """The phase diagram of a sweep: grid, regions with their supports, figures.

    Optional: ``boundaries`` from analyze that separate regions (drawn dashed),
    ``paths`` (a one-axis sweep's equilibrium lines) and a ``policy_map``.
    ``draw=False``: no figures (``--no-report``: nothing rendered that nobody reads).
    """
    from .figures import paths_figure, phase_diagram, policy_figure

    regions = result.regions
    figures = phase_diagram(result, boundaries) if draw else {}
    document = {
        "game": game.name,
        "title": game.spec.title,
        "players": list(game.players),
        "grid": {a.name: [number_json(a.start), number_json(a.stop), a.points] for a in result.axes},
        "points": result.points,
        "fixed": {k: number_json(v) for k, v in result.values.items()
                  if k not in {a.name for a in result.axes}},
        "mixed_computed": result.mixed_computed,
        "regions": [{"label": r.label,
                     "supports": [[list(s) for s in sup] for sup in r.supports],
                     "points": r.points,
                     "share": round(r.points / result.points, 6)} for r in regions],
        "degenerate_points": result.degenerate_points,
        "exact_points": result.exact_points,
        "boundaries": [{"equation": b.equation, "expression": str(b.expression),
                        "latex": latex(sympy.Eq(b.lhs, b.rhs)),
                        "crossings": b.crossings} for b in boundaries],
    }
    if paths is not None:
        figures.update(paths_figure(paths) if draw else {})
        document["paths"] = {"points": len(paths.x),
                             "branches": [b.label for b in paths.branches]}
    if policy_map is not None:
        figures.update(policy_figure(policy_map) if draw else {})
        document["policy"] = _policy_map_document(policy_map)
    document["figures"] = sorted(figures)
    document["provenance"] = provenance(game, command)
    return Report("sweep", game.name, document, tuple(sorted(figures.items())))


def _policy_map_document(policy_map) -> dict[str, Any]:
    """Summary of a policy map: cost range, control ranges, statuses."""
    import numpy as np

    def value_range(values) -> list[float] | None:  # over verified points only
        finite = values[policy_map.verified & np.isfinite(values)]
        return [number_json(float(finite.min())), number_json(float(finite.max()))] if finite.size else None

    return {"target": dict(policy_map.target), "robust": policy_map.robust,
            "feasible_points": policy_map.feasible_points,
            "verified_points": policy_map.verified_points,
            "unverified_points": policy_map.unverified_points,
            "statuses": dict(policy_map.statuses),
            "cost_range": value_range(policy_map.cost),
            "control_ranges": {name: value_range(values)
                               for name, values in sorted(policy_map.controls.items())}}


def build_uncertainty_report(game: SymbolicGame, result, command: str) -> Report:
    """How often each equilibrium set occurs under the declared distributions."""
    document = {
        "game": game.name,
        "title": game.spec.title,
        "players": list(game.players),
        "samples": result.samples,
        "seed": result.seed,
        "distributions": result.distributions,
        "mixed_computed": result.mixed_computed,
        "outcomes": [{"label": region.label,
                      "supports": [[list(s) for s in sup] for sup in region.supports],
                      "count": region.points,
                      "share": round(region.points / result.samples, 6),
                      "interval_95": [round(low, 6), round(high, 6)]}
                     for region, low, high in result.regions],
        "exact_points": result.exact_points,
        "provenance": provenance(game, command),
    }
    return Report("uncertainty", game.name, document)


#: The full report's figures are the sweep's under names only ``policy report`` uses.
REPORT_FIGURE_PREFIX = "report-"


def build_full_report(game: SymbolicGame, parts: dict[str, Report | None], command: str,
                      notes: dict[str, str] | None = None, timestamp: str | None = None) -> Report:
    """The whole pipeline in one report: a summary in plain words, then each stage.

    ``parts`` maps ``solve``, ``analyze``, ``optimize``, ``sweep`` and ``uncertainty``
    to their reports (``None`` for a stage that was skipped; ``notes`` says why).
    Figures are the sweep's, renamed ``report-<name>`` (see :data:`REPORT_FIGURE_PREFIX`)
    so that a later ``policy sweep`` into the same folder never replaces them.
    """
    documents = {kind: (part.document if part is not None else None) for kind, part in parts.items()}
    sentences = plain_summary(documents)
    solve = documents["solve"]
    solver = documents["optimize"]["provenance"]["solver"] if documents.get("optimize") else None
    document = {
        "game": game.name,
        "title": game.spec.title,
        "summary": [sentence_text(s) for s in sentences],
        "summary_markdown": [sentence_markdown(s) for s in sentences],
        "description": game.spec.description,
        "claim": game.spec.claim,
        "references": list(game.spec.references),
        "stages": documents,
        "skipped": dict(sorted((notes or {}).items())),
        "provenance": provenance(game, command, solver=solver, method=solve["method"],
                                 **({"generated": timestamp} if timestamp else {})),
    }
    figures = tuple((REPORT_FIGURE_PREFIX + name, data) for name, data in
                    (parts["sweep"].figures if parts.get("sweep") is not None else ()))
    document["figures"] = [name for name, _ in figures]
    return Report("report", game.name, document, figures)


@dataclass(frozen=True)
class Maths:
    """A formula inside a summary sentence: plain text for the terminal and JSON,
    LaTeX for Markdown and HTML (where it becomes MathML, never emphasis)."""

    plain: str
    latex: str


#: A summary sentence: text and formulas, in reading order.
Sentence = tuple  # of str | Maths


def sentence_text(sentence: Sentence) -> str:
    """The sentence as plain text (formulas as written in the game file's syntax)."""
    return "".join(part.plain if isinstance(part, Maths) else part for part in sentence)


def sentence_markdown(sentence: Sentence) -> str:
    """The sentence as Markdown: text escaped literally, formulas as ``$latex$``."""
    from .render import escape

    return "".join(f"${part.latex}$" if isinstance(part, Maths) else escape(part, strip=False)
                   for part in sentence).strip()


def _conjunction(plain: list[str], latex_forms: list[str]) -> list:
    """``a and b and c`` with each relation a formula."""
    parts: list = []
    for k, (text, latex_text) in enumerate(zip(plain, latex_forms)):
        parts += ([" and "] if k else []) + [Maths(text, latex_text)]
    return parts


def _profile_words(profile: dict[str, str]) -> str:
    from .render import profile_text

    return profile_text(profile)


def _equilibrium_words(eq: dict[str, Any]) -> str:
    strategies = eq["exact"] if "exact" in eq else eq["strategies"]
    parts = []
    for player, mix in strategies.items():
        used = [(s, p) for s, p in mix.items() if _float(p) != 0]
        if len(used) == 1:
            parts.append(f"{player} plays {used[0][0]}")
        else:
            parts.append(f"{player} mixes " + " and ".join(
                f"{s} ({_percent(p)})" for s, p in used))
    payoffs = eq.get("exact_payoffs") or eq["payoffs"]
    return "; ".join(parts) + " (payoffs " + ", ".join(
        f"{p} {_short_number(v)}" for p, v in payoffs.items()) + ")"


def _float(value: Any) -> float:
    """A report number (exact text such as ``"2/3"``, or a JSON number) as a float."""
    return float(Fraction(value)) if isinstance(value, str) else float(value)


def _percent(value: Any) -> str:
    return f"{100 * _float(value):.0f}%"


def _short_number(value: Any) -> str:
    return f"{_float(value):.4g}"


def _settings(controls: dict[str, Any]) -> list[str]:
    """``name = value`` for each control a policy moves away from zero."""
    return [f"{name} = {_short_number(value)}" for name, value in controls.items() if value]


def equilibrium_set_words(players: list[str], supports: list[list[list[str]]]) -> str:
    """An equilibrium set (one support per player for each equilibrium) in words:
    pure ones as profiles (``a=x, b=y``), mixed ones by what each player mixes.

    >>> equilibrium_set_words(["a", "b"], [[["x"], ["y"]], [["x", "z"], ["y", "w"]]])
    '2 equilibria: a=x, b=y; and a mixed one (a mixes x and z, b mixes y and w)'
    """
    from .render import profile_text

    described = []
    for equilibrium in supports:
        if all(len(support) == 1 for support in equilibrium):
            described.append(profile_text({p: s[0] for p, s in zip(players, equilibrium)}))
        else:
            described.append("a mixed one (" + ", ".join(
                f"{p} plays {s[0]}" if len(s) == 1 else f"{p} mixes " + " and ".join(s)
                for p, s in zip(players, equilibrium)) + ")")
    if not described:
        return "no equilibrium"
    if len(described) == 1:
        single = described[0]
        return ("one equilibrium, a mixed one" + single[len("a mixed one"):]
                if single.startswith("a mixed one") else f"one equilibrium: {single}")
    return f"{len(described)} equilibria: " + "; ".join(described[:-1]) + f"; and {described[-1]}"


def _robustness_words(players: list[str], uncertainty: dict[str, Any],
                      under_policy: dict[str, Any] | None, policy: str,
                      target: dict[str, str] | None) -> Sentence:
    """What the draws measure (each parameter's ``dist:``): how often the goal is an
    equilibrium and the most common equilibrium set, without intervention and under
    the recommended policy."""
    def situation(doc: dict[str, Any]) -> str:
        top = doc["outcomes"][0]
        low, high = top["interval_95"]
        goal = ""
        if target:
            hits = sum(outcome["count"] for outcome in doc["outcomes"]
                       if any(all(support == [target[p]] for p, support in zip(players, eq)
                                  if p in target) for eq in outcome["supports"]))
            goal = (f"the goal ({_profile_words(target)}) is an equilibrium in "
                    f"{100 * hits / doc['samples']:.0f}% of draws, and ")
        return (f"{goal}the most common situation is "
                f"{equilibrium_set_words(players, top['supports'])}, in {100 * top['share']:.0f}% "
                f"of draws (95% interval {100 * low:.0f}–{100 * high:.0f}%)")

    drawn = ", ".join(f"{name} from {dist}" for name, dist in uncertainty["distributions"].items())
    text = (f"Robustness: drawing {drawn}, as each uncertain parameter's dist: declares "
            f"({uncertainty['samples']} draws): without intervention {situation(uncertainty)}")
    if under_policy is not None and under_policy["outcomes"]:
        text += f"; under the recommended policy ({policy}) {situation(under_policy)}"
    elif target:
        text += " (the recommended policy changes no control)"
    return (text + ".",)


def plain_summary(documents: dict[str, dict | None]) -> list[Sentence]:
    """Sentences for a reader who knows no game theory: what happens now, what the
    regulator should do and at what cost, and how robust that is."""
    sentences: list[Sentence] = []
    solve = documents["solve"]
    equilibria = solve["equilibria"]
    if len(equilibria) == 1:
        sentences.append(("At the current values there is exactly one stable outcome (equilibrium): "
                          + _equilibrium_words(equilibria[0]) + ".",))
    elif equilibria:
        sentences.append((f"At the current values there are {len(equilibria)} stable outcomes "
                          "(equilibria), so what happens depends on what each side expects: "
                          + "; or ".join(_equilibrium_words(eq) for eq in equilibria) + ".",))
    else:
        sentences.append(("No equilibrium was found at the current values.",))
    optimize = documents.get("optimize")
    recommended = _recommended(optimize)
    if optimize is not None:
        sentences += _policy_words(optimize, documents.get("optimize_unique"))
        if recommended is not None:
            sentences += _why_words(optimize, documents["analyze"])
    uncertainty = documents.get("uncertainty")
    if uncertainty is not None and uncertainty["outcomes"]:
        policy = ", ".join(_settings(recommended["controls"])) if recommended else ""
        sentences.append(_robustness_words(
            solve["players"], uncertainty,
            documents.get("uncertainty_policy") if policy else None, policy,
            recommended["target"] if recommended else None))
    sweep = documents.get("sweep")
    if sweep is not None and sweep["boundaries"]:
        sentences.append(("The phase diagram shows where this changes: the outcome switches at ",
                          *_joined([Maths(b["equation"], b["latex"]) for b in sweep["boundaries"]],
                                   "; "), "."))
    return sentences


def _joined(parts: list, separator: str) -> list:
    joined: list = []
    for k, part in enumerate(parts):
        joined += ([separator] if k else []) + [part]
    return joined


def _recommended(optimize: dict[str, Any] | None) -> dict[str, Any] | None:
    """The implementation the summary recommends: the verified one (``implement``),
    the cheapest verified profile (``rank``); none for commitments or when nothing
    was verified."""
    if optimize is None or optimize["mode"] == "commit":
        return None
    items = [optimize] if optimize["mode"] == "implement" else optimize["profiles"]
    return next((item for item in items if item["cost"] is not None and item["verified"]), None)


def recommended_controls(optimize: Report | None) -> dict[str, Fraction]:
    """The exact control values of the policy the summary recommends (empty if none,
    or if it changes nothing)."""
    item = _recommended(optimize.document if optimize is not None else None)
    if item is None:
        return {}
    return {name: Fraction(value) for name, value in item["controls_exact"].items()
            if Fraction(value) != 0}


ROBUSTNESS_WORDS = {
    "nash": "a stable outcome (no one gains by changing their choice alone)",
    "strict": "a strictly stable outcome (everyone loses by changing their choice alone)",
    "dominant": "everyone's best choice whatever the others do, so the only outcome",
    "unique": "the only outcome (the only equilibrium, mixed ones included)",
}


def _why_words(optimize: dict[str, Any], analyze: dict[str, Any]) -> list[Sentence]:
    """The symbolic reason behind the recommendation, from the analysis."""
    if optimize["mode"] == "commit":
        return [(f"Why: {c['leader']} plays {c['strategy']} with probability ",
                 Maths(c["probability"], c["probability_latex"]),
                 f" (now {_short_number(c['at_current'])}), the level at which "
                 + ", ".join(f"{p} prefers {s}" for p, s in c["followers"].items()),
                 *([" — valid when ", *_conjunction(c["valid_when"], c["valid_when_latex"])]
                   if c["valid_when"] else []), ".")
                for c in analyze["commitment"] if c["at_current"] is not None][:1]
    if optimize["mode"] != "implement":
        return []
    target = optimize["target"]
    return [(f"Why: “{_profile_words(target)}” is a stable outcome exactly when ",
             *_conjunction(condition["holds_when"], condition["holds_when_latex"]),
             " (from the symbolic analysis).")
            for condition in analyze["conditions"]
            if condition["profile"] == target and condition["holds_when"]][:1]


def _failed_words(item: dict[str, Any], what: str) -> Sentence:
    """A policy that failed its check: said, with the reason, never recommended."""
    changes = ", ".join(_settings(item["controls"])) or "no change"
    return (f"{what} ({changes}, cost {_short_number(item['cost'])}) failed verification, so it "
            f"is not recommended: {item['verification']}.",)


def _policy_words(optimize: dict[str, Any], unique: dict[str, Any] | None) -> list[Sentence]:
    if optimize["mode"] == "commit":
        if not optimize["commitment"]:
            return [(f"The {optimize['leader']} cannot find a commitment that works "
                     f"({optimize['status']}).",)]
        plan = " and ".join(f"{s} {_percent(p)} of the time" for s, p in optimize["commitment"].items()
                            if p)
        if not optimize["verified"]:
            return [(f"The best commitment found for the {optimize['leader']} ({plan}) failed "
                     f"verification, so it is not recommended: {optimize['verification']}.",)]
        words = [f"What the {optimize['leader']} should do: commit in advance to {plan}; "
                 + ", ".join(f"{p} then chooses {s}" for p, s in optimize["followers"].items())
                 + f", and the {optimize['leader']}'s objective ({optimize['objective']}) is "
                 f"{_short_number(optimize['leader_value'])}."]
        gain = optimize["value_of_commitment"]
        if gain is not None and gain > 0:
            words.append(f"Committing is worth {_short_number(gain)} more than the best outcome "
                         "of moving at the same time as the others.")
        elif gain is not None:
            words.append("Committing gains nothing over the best outcome of moving at the same "
                         "time as the others, but it selects that outcome.")
        words.append("This was verified by solving the game again with the commitment in place.")
        return [(w,) for w in words]
    feasible = [p for p in ([optimize] if optimize["mode"] == "implement" else optimize["profiles"])
                if p["cost"] is not None]
    item = _recommended(optimize)
    words: list[Sentence] = []
    if feasible and not feasible[0]["verified"]:
        head = ("The cheapest policy found" if optimize["mode"] == "implement" else
                f"The cheapest policy found, for “{_profile_words(feasible[0]['target'])}”,")
        words.append(_failed_words(feasible[0], head))
    if item is None:
        if not feasible:
            first = optimize if optimize["mode"] == "implement" else optimize["profiles"][0]
            words.append((f"The regulator cannot bring about “{_profile_words(first['target'])}” "
                          f"with the controls available: {first['explanation']}.",))
        return words
    target = _profile_words(item["target"])
    changes = _settings(item["controls"])
    action = ("needs to do nothing" if not changes else "should set " + ", ".join(changes))
    head = ("The cheapest outcome to bring about is" if optimize["mode"] == "rank"
            else "Goal:")
    words.append((f"{head} “{target}”. To make it {ROBUSTNESS_WORDS[item['robust']]}, the "
                  f"regulator {action}, at a cost of {_short_number(item['cost'])}; verified by "
                  "solving the game again.",))
    if item["other_equilibria"]:
        words.append((f"But {len(item['other_equilibria'])} other equilibri"
                      f"{'um remains' if len(item['other_equilibria']) == 1 else 'a remain'}, "
                      "so the goal is not guaranteed (selection risk).",))
    if unique is not None and unique["cost"] is not None and not unique["verified"]:
        words.append(_failed_words(unique, "The cheapest policy found to make it the only outcome"))
    elif unique is not None and unique["cost"] is not None:
        words.append(("To make it the only outcome (the only equilibrium, mixed ones included), "
                      "the regulator should set " + (", ".join(_settings(unique["controls"]))
                                                     or "nothing")
                      + f", at a cost of {_short_number(unique['cost'])}; verified by solving the "
                      "game again."
                      + (" A cheaper policy with the same effect may exist (the search covers "
                         "policies that remove the alternatives one by one through dominance)."
                         if unique.get("lower_bound") is not None
                         and unique["lower_bound"] < unique["cost"] else ""),))
    elif unique is not None:
        words.append((f"It cannot be made the only outcome with the controls available: "
                      f"{unique['explanation']}.",))
    return words

"""Report documents: JSON-ready data built from results (no rendering here)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import sympy

from .. import __version__
from ..equilibria import Equilibrium, EquilibriumSet
from ..symbolic import SymbolicGame

__all__ = ["Report", "build_solve_report", "provenance", "number_json", "exact_text"]


@dataclass(frozen=True)
class Report:
    """A report: its kind (``solve``, ``optimize`` …), the game name and the data."""

    kind: str
    game: str
    document: dict[str, Any]

    def _repr_markdown_(self) -> str:  # notebooks
        from .render import to_markdown

        return to_markdown(self)


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
        "input": source.path if source else None,
        "input_format": source.format if source else None,
        "input_sha256": source.sha256 if source else None,
    }
    result.update(extra)
    return result


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
        "method": result.method,
        "complete": result.complete,
        "exact_arithmetic": result.exact,
        "tolerance": result.tolerance,
        "degenerate": result.degenerate,
        "degeneracy_reason": result.degeneracy_reason,
        "equilibria": [_equilibrium_json(result, eq) for eq in result.equilibria],
        "components": [_component_json(result, c) for c in result.components],
        "notes": list(result.notes),
        "payoff_table": profiles,
        "parameter_details": parameters,
        "control_details": controls,
        "provenance": provenance(game, command, method=result.method),
    }
    return Report("solve", game.name, document)

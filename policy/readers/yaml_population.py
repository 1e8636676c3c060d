"""YAML population games → :class:`~policy.spec.PopulationSpec`: parsing and validation only.

Where this sits in the data flow: one of the readers of :mod:`policy.readers`;
:func:`policy.loader.read_yaml` hands it a YAML document with a top-level
``population:`` key. Parameters, controls, assumptions and ``vary:`` are read as in
a normal-form file (the same :class:`~.yaml_normal_form.SpecBuilder` methods and
messages); expressions go through :mod:`policy.expressions` only.

The shape (``docs/game-files.md``)::

    parameters:
      N: {value: 10, description: potential entrants, positive: true}
      V: {value: 12, description: market value shared by the entrants}
      F: {value: 5, description: entry cost}
    population:
      name: firms              # optional; default "members"
      count: N                 # N identical members
      strategies: [enter, stay_out]
      payoffs:                 # n_<strategy>: how many members choose it, the member itself included
        enter: V/n_enter - F
        stay_out: 0

Examples
--------
>>> spec = load_population_text('''
... parameters: {N: 10, V: 12, F: 5}
... population: {count: N, strategies: [enter, stay_out],
...              payoffs: {enter: V/n_enter - F, stay_out: 0}}
... ''', path="entry.yaml")
>>> spec
PopulationSpec('entry': N members choosing enter, stay_out)
>>> load_population_text('''
... parameters: {N: 10}
... population: {count: N, strategies: [a, b, c], payoffs: {a: 1, b: 0, c: 0}}
... ''', path="bad.yaml")
Traceback (most recent call last):
...
policy.errors.GameFileError: bad.yaml:3: population.strategies: 3 strategies; a population game has 2 for now (pure equilibria as counts and the symmetric mixed equilibrium of two strategies)
"""

from __future__ import annotations

from typing import Any, Mapping

import sympy

from ..spec import FileLimits, PopulationSpec, Source
from .yaml_normal_form import _GAME_NAME_RE, SpecBuilder, read_yaml_document

__all__ = ["POPULATION_FILE_KEYS", "POPULATION_KEYS", "build_population_spec",
           "is_population_document", "load_population_text"]

#: The top-level keys of a population game file.
POPULATION_FILE_KEYS = ("name", "title", "description", "claim", "references", "parameters",
                        "assumptions", "controls", "population", "vary")
#: The keys of ``population:``.
POPULATION_KEYS = ("name", "count", "strategies", "payoffs", "description")


def is_population_document(data: Mapping[str, Any]) -> bool:
    """Whether a YAML game file's data is a population game (a ``population:`` key)."""
    return isinstance(data, dict) and "population" in data


def load_population_text(text: str, path: str = "<string>", sha256: str | None = None,
                         limits: FileLimits | None = None) -> PopulationSpec:
    """Validate a YAML population game given as text; ``path`` is used in messages."""
    tree, data, default_name, source = read_yaml_document(text, path, sha256, limits)
    return build_population_spec(tree, data, default_name, source)


def build_population_spec(tree, data: dict, default_name: str,
                          source: Source) -> PopulationSpec:
    """The :class:`~policy.spec.PopulationSpec` of a YAML document already read."""
    return _PopulationBuilder(tree, data, default_name).build_population(source)


class _PopulationBuilder(SpecBuilder):
    def build_population(self, source: Source) -> PopulationSpec:
        self.check_keys(self.data, POPULATION_FILE_KEYS, "")
        name = self.data.get("name", self.default_name)
        if not isinstance(name, str) or not _GAME_NAME_RE.match(name) or len(name) > 80:
            raise self.fail(f"game name '{str(name)[:90]}' is not allowed: use at most 80 letters, "
                            "digits, '_', '-' or '.', starting with a letter or digit", "name")
        parameters, controls = self.parameters(), self.controls()
        symbols = {item.name: item.symbol for item in (*parameters, *controls)}
        if len(symbols) < len(parameters) + len(controls):
            raise self.fail("a name is declared both as a parameter and a control; names must "
                            "be unique, so rename one", "controls")
        raw = self.mapping(self.data.get("population"), "population",
                           "count, strategies and payoffs")
        self.check_keys(raw, POPULATION_KEYS, "population")
        for required in ("count", "strategies", "payoffs"):
            if raw.get(required) is None:
                raise self.fail(f"missing '{required}'", "population")
        population = self.name(raw.get("name", "members"), "population.name", "population")
        count = self.expr(raw["count"], "population.count", symbols)
        if count.is_number and not (count.is_integer and count >= 1):
            raise self.fail(f"count {count} is not a whole number of members (1 or more)",
                            "population.count")
        strategies = raw["strategies"]
        if not isinstance(strategies, list):
            raise self.fail("expected a list of two strategy names, e.g. [enter, stay_out]",
                            "population.strategies")
        if len(strategies) != 2:
            raise self.fail(f"{len(strategies)} strategies; a population game has 2 for now "
                            "(pure equilibria as counts and the symmetric mixed equilibrium of "
                            "two strategies)", "population.strategies")
        names = []
        for index, strategy in enumerate(strategies):
            where = f"population.strategies[{index}]"
            names.append(self.name(strategy, where, "strategy"))
            if f"n_{strategy}" in symbols:
                raise self.fail(f"'n_{strategy}' (the count of '{strategy}') is also a parameter "
                                "or control; rename one of them", where)
        if names[0] == names[1]:
            raise self.fail(f"duplicate strategy '{names[0]}'", "population.strategies[1]")
        scope = dict(symbols)
        scope.update({f"n_{s}": sympy.Symbol(f"n_{s}", real=True) for s in names})
        payoffs = self.mapping(raw["payoffs"], "population.payoffs",
                               "strategies to payoff expressions")
        for key in payoffs:
            if key not in names:
                raise self.fail(f"'{key}' is not a strategy; strategies: {', '.join(names)}",
                                f"population.payoffs.{key}")
        missing = [s for s in names if s not in payoffs]
        if missing:
            raise self.fail(f"missing the payoff of '{missing[0]}'", "population.payoffs")
        exprs = tuple(self.expr(payoffs[s], f"population.payoffs.{s}", scope) for s in names)
        references = self.data.get("references") or []
        if not isinstance(references, list) or not all(isinstance(r, str) for r in references):
            raise self.fail("expected a list of texts, e.g. [\"Author (2020), Title\"]", "references")
        return PopulationSpec(
            name=str(name), title=self.text("title"), description=self.text("description"),
            claim=self.text("claim"), references=tuple(str(r) for r in references),
            parameters=parameters, controls=controls, assumptions=self.assumptions(symbols),
            vary=self.vary(symbols), source=source, lines=dict(self.tree.lines),
            population=population, count=count, strategies=tuple(names), payoffs=exprs)

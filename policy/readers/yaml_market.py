"""YAML market games → :class:`~policy.spec.MarketSpec`: parsing and validation only.

Where this sits in the data flow: one of the readers of :mod:`policy.readers`.
:mod:`policy.loader` reads a YAML file once (:func:`~.yaml_normal_form.read_yaml_document`:
bounded text, safe YAML, a node budget) and hands a document with a top-level
``market:`` key to :func:`build_market_spec`. Parameters, controls, assumptions
and ``vary:`` are read exactly as in a normal-form file (the same
:class:`~.yaml_normal_form.SpecBuilder` methods, the same messages); every
expression goes through :mod:`policy.expressions` (never ``eval``/``sympify``).

The shape (``docs/game-files.md``)::

    parameters:
      N: {value: 3, description: number of firms, range: [1, 20], positive: true}
      a: {value: 10, description: demand intercept, positive: true}
      b: {value: 1, description: demand slope, positive: true}
      c: {value: 1, description: marginal cost}
    market:
      totals: {Q: q}            # Q: the sum of every firm's q (each member counted)
      define:
        price: a - b*Q          # named expressions, usable below
    players:
      firms:
        count: N                # a population of N identical firms
        choose: {q: [0, oo]}    # one continuous choice on an interval
        payoff: (price - c)*q
    leader: incumbent           # optional: a single firm that moves first (Stackelberg)
    welfare:                    # optional: what `policy optimize` maximises
      instrument: subsidy       # a control with bounds (default: the only control)
      consumers: price          # inverse demand in one total: consumer surplus
      public_cost: {firms: subsidy*q}   # per firm, in its own choice (or one expression)

Examples
--------
>>> spec = load_market_text('''
... parameters: {a: 10, c: 1, N: 2}
... market: {totals: {Q: q}, define: {price: a - Q}}
... players:
...   firms: {count: N, choose: {q: [0, oo]}, payoff: (price - c)*q}
... ''', path="cournot.yaml")
>>> spec.players[0].payoff
q*(-Q + a - c)
>>> load_market_text('''
... parameters: {a: 10}
... market: {}
... players:
...   firm: {choose: {q: [0, oo]}, payoff: (a - p)*q}
... ''', path="bad.yaml")
Traceback (most recent call last):
...
policy.errors.GameFileError: bad.yaml:5: players.firm.payoff: unknown symbol 'p' at column 6; declared: a, q
"""

from __future__ import annotations

from typing import Any, Mapping

import sympy

from ..limits import exceeded
from ..spec import ChoiceVariable, FileLimits, MarketPlayer, MarketSpec, MarketWelfare, Source
from .yaml_normal_form import _GAME_NAME_RE, SpecBuilder, read_yaml_document

__all__ = ["MARKET_KEYS", "PLAYER_KEYS", "WELFARE_KEYS", "build_market_spec", "is_market_document",
           "load_market_text"]

#: The top-level keys of a market game file.
MARKET_KEYS = ("name", "title", "description", "claim", "references", "parameters",
               "assumptions", "controls", "market", "players", "leader", "vary", "welfare")
#: The keys of a market game's ``welfare:`` (the regulator's objective).
WELFARE_KEYS = ("instrument", "consumers", "public_cost")
#: The keys of one player of a market game.
PLAYER_KEYS = ("count", "choose", "payoff", "description")
#: Spellings of "no upper bound" in ``choose: {q: [0, oo]}``.
UNBOUNDED = ("oo", "inf", "infinity")


def is_market_document(data: Mapping[str, Any]) -> bool:
    """Whether a YAML game file's data is a market game (it has a ``market:`` key)."""
    return isinstance(data, dict) and "market" in data


def load_market_text(text: str, path: str = "<string>", sha256: str | None = None,
                     limits: FileLimits | None = None) -> MarketSpec:
    """Validate a YAML market game given as text; ``path`` is used in messages."""
    tree, data, default_name, source = read_yaml_document(text, path, sha256, limits)
    return build_market_spec(tree, data, default_name, source)


def build_market_spec(tree, data: dict, default_name: str, source: Source) -> MarketSpec:
    """The :class:`~policy.spec.MarketSpec` of a YAML document already read
    (:func:`~.yaml_normal_form.read_yaml_document`)."""
    return _MarketBuilder(tree, data, default_name).build_market(source)


class _MarketBuilder(SpecBuilder):
    def build_market(self, source: Source) -> MarketSpec:
        self.check_keys(self.data, MARKET_KEYS, "")
        name = self.data.get("name", self.default_name)
        if not isinstance(name, str) or not _GAME_NAME_RE.match(name) or len(name) > 80:
            raise self.fail(f"game name '{str(name)[:90]}' is not allowed: use at most 80 letters, "
                            "digits, '_', '-' or '.', starting with a letter or digit", "name")
        parameters, controls = self.parameters(), self.controls()
        declared: dict[str, str] = {}
        for kind, items in (("parameters", parameters), ("controls", controls)):
            for item in items:
                if item.name in declared:
                    raise self.fail(f"'{item.name}' is declared both as a parameter and a control; "
                                    "names must be unique, so rename one", f"{kind}.{item.name}")
                declared[item.name] = kind
        symbols = {item.name: item.symbol for item in (*parameters, *controls)}
        market = self.mapping(self.data.get("market"), "market", "totals and define")
        self.check_keys(market, ("totals", "define"), "market")
        raw_players = self.raw_players()
        variables = self.variables(raw_players, symbols)
        totals = self.totals(market, symbols, variables)
        scope = dict(symbols)
        scope.update({v.name: v.symbol for v in variables.values()})
        scope.update({total: sympy.Symbol(total, real=True) for total, _ in totals})
        definitions = self.definitions(market, scope)
        players = self.market_players(raw_players, variables, scope, definitions, symbols)
        leader = self.data.get("leader")
        if leader is not None:
            by_name = {p.name: p for p in players}
            if not isinstance(leader, str) or leader not in by_name:
                raise self.fail(f"leader '{leader}' is not a player; players: "
                                + ", ".join(by_name), "leader")
            if by_name[leader].is_population:
                raise self.fail(f"leader '{leader}' is a population of {by_name[leader].count} "
                                "firms; a leader is one firm (count 1)", "leader")
            if len(players) < 2:
                raise self.fail("a leader needs at least one follower", "leader")
        references = self.data.get("references") or []
        if not isinstance(references, list) or not all(isinstance(r, str) for r in references):
            raise self.fail("expected a list of texts, e.g. [\"Author (2020), Title\"]", "references")
        vary = self.vary(symbols)
        if len(vary) > 1:
            raise self.fail("a market game is swept along one axis; give one, e.g. "
                            "[\"F=0:10:21\"]", "vary")
        welfare = self.welfare(controls, symbols, variables, totals, definitions, players)
        return MarketSpec(
            welfare=welfare, name=str(name), title=self.text("title"), description=self.text("description"),
            claim=self.text("claim"), references=tuple(str(r) for r in references),
            parameters=parameters, controls=controls, assumptions=self.assumptions(symbols),
            leader=leader, vary=vary, source=source, lines=dict(self.tree.lines),
            players=players, totals=totals, definitions=definitions)

    def raw_players(self) -> dict[str, dict]:
        raw = self.data.get("players")
        if raw is None:
            raise self.fail("missing 'players': a mapping of player names to "
                            "{choose: {q: [0, oo]}, payoff: …}", "")
        if not isinstance(raw, dict) or not raw:
            raise self.fail("expected a mapping of player names to "
                            "{choose: {q: [0, oo]}, payoff: …}", "players")
        if len(raw) > self.limits.max_players:
            raise self.fail(f"{len(raw)} players; at most {self.limits.max_players} are allowed "
                            f"({exceeded('players')})", "players")
        result = {}
        for key, value in raw.items():
            where = f"players.{key}"
            self.name(key, where, "player")
            if not isinstance(value, dict):
                raise self.fail("expected {choose: {q: [0, oo]}, payoff: …} (a market player "
                                "chooses a number, not a strategy from a list)", where)
            self.check_keys(value, PLAYER_KEYS, where)
            for required in ("choose", "payoff"):
                if value.get(required) is None:
                    raise self.fail(f"missing '{required}'", where)
            result[key] = value
        return result

    def variables(self, raw_players: dict[str, dict],
                  symbols: Mapping[str, sympy.Symbol]) -> dict[str, ChoiceVariable]:
        """Each player's choice variable, its bounds expressions in the parameters."""
        result = {}
        for player, value in raw_players.items():
            where = f"players.{player}.choose"
            choose = value["choose"]
            if not isinstance(choose, dict) or len(choose) != 1:
                raise self.fail("expected one choice variable and its interval, e.g. "
                                "{q: [0, oo]} (one variable per player)", where)
            (variable, bounds), = choose.items()
            self.name(variable, f"{where}.{variable}", "choice variable")
            if variable in symbols:
                raise self.fail(f"choice variable '{variable}' has the name of a parameter or "
                                "control; rename one of them", f"{where}.{variable}")
            if not isinstance(bounds, list) or len(bounds) != 2:
                raise self.fail("expected an interval [low, high], e.g. [0, oo] (oo: no upper "
                                "bound)", f"{where}.{variable}")
            low = self.bound(bounds[0], f"{where}.{variable}[0]", symbols)
            high = (None if isinstance(bounds[1], str) and bounds[1].strip() in UNBOUNDED
                    else self.bound(bounds[1], f"{where}.{variable}[1]", symbols))
            if high is not None and (high - low).is_negative:
                raise self.fail(f"low {low} is above high {high}; write [low, high] with "
                                "low <= high", f"{where}.{variable}")
            result[player] = ChoiceVariable(str(variable), low, high)
        return result

    def bound(self, value: Any, where: str, symbols: Mapping[str, sympy.Symbol]) -> sympy.Expr:
        if isinstance(value, str) and value.strip() in UNBOUNDED:
            raise self.fail(f"'{value}' is allowed only as the upper bound; the lower bound is a "
                            "number or an expression in the parameters, e.g. 0", where)
        return self.expr(value, where, symbols)

    def totals(self, market: dict, symbols: Mapping[str, sympy.Symbol],
               variables: Mapping[str, ChoiceVariable]) -> tuple[tuple[str, str], ...]:
        raw = self.mapping(market.get("totals"), "market.totals", "total names to variables")
        chosen = {v.name for v in variables.values()}
        result = []
        for total, variable in raw.items():
            where = f"market.totals.{total}"
            self.name(total, where, "total")
            if total in symbols or total in chosen:
                raise self.fail(f"total '{total}' has the name of a parameter, control or choice "
                                "variable; rename it", where)
            if not isinstance(variable, str) or variable not in chosen:
                raise self.fail(f"'{variable}' is not a choice variable; chosen: "
                                + ", ".join(sorted(chosen)), where)
            result.append((str(total), str(variable)))
        return tuple(result)

    def definitions(self, market: dict, scope: dict) -> tuple[tuple[str, sympy.Expr], ...]:
        raw = self.mapping(market.get("define"), "market.define", "names to expressions")
        result = []
        known = dict(scope)
        for name, text in raw.items():
            where = f"market.define.{name}"
            self.name(name, where, "defined")
            if name in known:
                raise self.fail(f"'{name}' is already declared (a parameter, control, choice "
                                "variable, total or earlier definition); rename it", where)
            expr = self.expr(text, where, known)
            expr = expr.xreplace({sympy.Symbol(n, real=True): e for n, e in result})
            result.append((str(name), expr))
            known[name] = sympy.Symbol(name, real=True)
        return tuple(result)

    def market_players(self, raw_players: dict[str, dict],
                       variables: Mapping[str, ChoiceVariable], scope: dict,
                       definitions: tuple[tuple[str, sympy.Expr], ...],
                       symbols: Mapping[str, sympy.Symbol]) -> tuple[MarketPlayer, ...]:
        defined = {sympy.Symbol(name, real=True): expr for name, expr in definitions}
        others = {v.name for v in variables.values()}
        players = []
        for player, value in raw_players.items():
            where = f"players.{player}"
            variable = variables[player]
            own = {k: v for k, v in scope.items() if k not in others or k == variable.name}
            own.update({name: sympy.Symbol(name, real=True) for name, _ in definitions})
            payoff = self.expr(value["payoff"], f"{where}.payoff", own)
            payoff = payoff.xreplace(defined)
            count = sympy.Integer(1)
            if value.get("count") is not None:
                count = self.expr(value["count"], f"{where}.count", symbols)
                if count.is_number and not (count.is_integer and count >= 1):
                    raise self.fail(f"count {count} is not a whole number of firms (1 or more)",
                                    f"{where}.count")
            players.append(MarketPlayer(str(player), variable, payoff, count,
                                        self.plain(value, "description", where),
                                        str(value["payoff"]).strip()))
        return tuple(players)


    def welfare(self, controls, symbols: Mapping[str, sympy.Symbol],
                variables: Mapping[str, ChoiceVariable], totals, definitions,
                players: tuple[MarketPlayer, ...]) -> MarketWelfare | None:
        """The ``welfare:`` section: the instrument (a control with bounds), the inverse
        demand whose consumer surplus counts (in exactly one total), the public costs."""
        raw = self.data.get("welfare")
        if raw is None:
            return None
        raw = self.mapping(raw, "welfare", "instrument, consumers and public_cost")
        self.check_keys(raw, WELFARE_KEYS, "welfare")
        by_name = {c.name: c for c in controls}
        instrument = raw.get("instrument")
        if instrument is None:
            if len(controls) != 1:
                raise self.fail("name the control the regulator chooses, e.g. instrument: "
                                f"subsidy ({len(controls)} controls are declared"
                                + (": " + ", ".join(by_name) if by_name else "") + ")", "welfare")
            instrument = controls[0].name
        where = "welfare.instrument" if "instrument" in raw else "welfare"
        if not isinstance(instrument, str) or instrument not in by_name:
            raise self.fail(f"instrument '{instrument}' is not a declared control; controls: "
                            + (", ".join(by_name) or "(none)"), where)
        if by_name[instrument].bounds is None:
            raise self.fail(f"the instrument '{instrument}' has no bounds; give the control "
                            "bounds: [low, high] (the interval the regulator chooses in)", where)
        totals_by_name = {name: sympy.Symbol(name, real=True) for name, _ in totals}
        defined = {sympy.Symbol(name, real=True): expr for name, expr in definitions}
        scope = {**symbols, **totals_by_name,
                 **{name: sympy.Symbol(name, real=True) for name, _ in definitions}}
        demand, total = None, None
        if raw.get("consumers") is not None:
            demand = self.expr(raw["consumers"], "welfare.consumers", scope).xreplace(defined)
            used = sorted(name for name, symbol in totals_by_name.items()
                          if symbol in demand.free_symbols)
            if len(used) != 1:
                raise self.fail("consumers: the inverse demand (the price buyers pay) is a "
                                "function of exactly one total, e.g. a - b*Q; "
                                + (f"this one uses {', '.join(used)}" if used
                                   else "this one uses none (totals: "
                                   + (", ".join(totals_by_name) or "none declared") + ")"),
                                "welfare.consumers")
            total = used[0]
            if not (demand.is_rational_function(totals_by_name[total])):
                raise self.fail(f"consumers: the inverse demand must be a ratio of polynomials "
                                f"in {total} (its consumer surplus is integrated exactly)",
                                "welfare.consumers")
        costs = []
        raw_costs = raw.get("public_cost")
        if isinstance(raw_costs, dict):
            for player, text in raw_costs.items():
                place = f"welfare.public_cost.{player}"
                if player not in variables:
                    raise self.fail(f"'{player}' is not a player; players: "
                                    + ", ".join(variables), place)
                own = {**scope, variables[player].name: variables[player].symbol}
                costs.append((str(player), self.expr(text, place, own).xreplace(defined)))
        elif raw_costs is not None:
            costs.append(("", self.expr(raw_costs, "welfare.public_cost", scope)
                          .xreplace(defined)))
        return MarketWelfare(instrument, demand, total, tuple(costs))

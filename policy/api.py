"""The public Python API, over the kinds of games (re-exported by :mod:`policy`).

Where it sits: after :mod:`policy.kinds` (and so after every stage of the data
flow), before the command line. Each function loads the game if given a path or a
bundled name, asks :func:`policy.kinds.kind_of` which kind of game it is and calls
that kind's entry point: nothing here depends on the kind.

Examples
--------
>>> import policy
>>> game = policy.load("inspection")
>>> result = policy.solve(game, {"f": 12})
>>> result
EquilibriumSet('inspection': 1 equilibria, 0 continua; method exact, exact arithmetic)
>>> [str(p) for p in result.equilibria[0].strategies[0]]
['1/4', '3/4']
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from .errors import ExpressionError, GameFileError, ModelError
from .loader import bundled_games, load_spec, resolve_game_path
from .spec import value_problem
from .syntax import parse_assignment, parse_choice as parse_target
from .kinds import kind_of
from .kinds.normal_form import MODES, REPORT_GRID_POINTS, REPORT_SAMPLES

__all__ = ["load", "list_games", "parse_overrides", "parse_target", "parse_margin", "check_game", "solve", "select", "analyze",
           "default_mode", "optimize", "default_axes", "sweep", "sweep_extras", "uncertainty",
           "report_part", "full_report", "export", "new_game_text", "MODES",
           "REPORT_GRID_POINTS", "REPORT_SAMPLES"]


def load(game: Any) -> Any:
    """Load a game file (YAML or ``.nfg``) or a bundled game by name, as the solvable
    game of its kind (a loaded game is returned as it is)."""
    if not isinstance(game, (str, Path)):
        kind_of(game)  # a game of a known kind, already loaded
        return game
    spec = load_spec(game)
    return kind_of(spec).model(spec)


def list_games() -> list[dict]:
    """The bundled games: name, title, players and path of each, sorted by name.

    >>> [game["name"] for game in list_games()][:2]
    ['audit_and_entry', 'battle_of_sexes']
    """
    rows = []
    for name, path in bundled_games().items():
        spec = load(path).spec
        rows.append({"name": name, "title": spec.title, "players": list(spec.player_names),
                     "path": str(path)})
    return rows


def parse_overrides(game: Any, assignments: Iterable[str]) -> dict[str, Any]:
    """``["f=12", "c=1/2"]`` → ``{"f": 12, "c": 1/2}``, checked against the game."""
    result: dict[str, Any] = {}
    for text in assignments:
        name, value = parse_assignment(text, game.spec)
        if name in result:
            raise GameFileError(f"--set '{text}': '{name}' is set twice; set each name once")
        problem = value_problem(game.spec, name, value)
        if problem:
            raise GameFileError(f"--set '{text}': {problem}")
        result[name] = value
    if result:
        problem = kind_of(game).value_problem(game, {**game.default_values(), **result})
        if problem:
            shown = " ".join(f"--set {text}" for text in assignments)
            raise GameFileError(f"{shown}: {problem}")
    return result


def parse_margin(text: str | None):
    """``"1/100"`` → the exact margin ε (``--margin``); None stays None.

    >>> parse_margin("1/100")
    1/100
    """
    from .expressions import parse_expression

    if text is None:
        return None
    try:
        number = parse_expression(text, {})
    except ExpressionError as err:
        raise ModelError(f"--margin '{text}': expected a non-negative number such as "
                         f"1/100: {err.message}") from None
    if not number.is_Rational or number < 0:
        raise ModelError(f"--margin '{text}': expected a non-negative number such as 1/100")
    return number


def check_game(game: str | Path) -> tuple[dict, list[str]]:
    """Validate a game and look for likely mistakes.

    Returns a summary and a list of problems: declared names no payoff uses,
    parameters without a value, players whose payoffs never change.
    """
    path = resolve_game_path(game)
    loaded = load(path)
    return kind_of(loaded).check(loaded, path)


def solve(game: Any, values: Mapping[str, object] | None = None, method: str = "auto"):
    """Every Nash equilibrium of ``game`` at its values updated with ``values``."""
    loaded = load(game)
    return kind_of(loaded).solve(loaded, values, method=method)


def select(game: Any, result, *, seed: int = 0):
    """Which equilibrium of ``result`` (from :func:`solve`) each selection criterion
    picks: risk and payoff dominance, the logit limit, basins of attraction
    (:class:`policy.selection.Selection`).

    >>> import policy
    >>> game = policy.load("prisoners_dilemma")
    >>> select(game, solve(game)).logit.equilibrium
    0
    """
    game = load(game)
    return kind_of(game).select(game, result, seed=seed)


def analyze(game: Any, values: Mapping[str, object] | None = None, *, max_support: int = 3):
    """When is each outcome an equilibrium? Conditions, closed forms, thresholds."""
    loaded = load(game)
    return kind_of(loaded).analyze(loaded, values, max_support=max_support)


def default_mode(game: Any) -> str:
    """What :func:`optimize` does without ``mode``: what the file declares.

    >>> default_mode("inspection")
    'commit'
    """
    loaded = load(game)
    return kind_of(loaded).default_mode(loaded)


def optimize(game: Any, *, mode: str | None = None, target: Mapping[str, str] | None = None,
             values: Mapping[str, object] | None = None, robust: str | None = None,
             margin=None, transfers: bool = False, pessimistic: bool = False, scenarios: int = 0,
             seed: int = 0, confidence: float = 1.0, solver: str = "cbc",
             time_limit: float | None = None, basin_share=None,
             path: Sequence[str] | None = None):
    """Run the optimisation ``mode`` (one of :data:`MODES`; default
    :func:`default_mode`) and return its result. ``robust``: default ``nash`` for
    matrix games, ``unique`` for trees; ``basin_share``: with ``robust="basin"``, the
    share of starting points the target's basin must hold (default 9/10); ``path``
    (trees): the target path from the root, and ``target`` maps information sets to
    actions.

    Returns a CommitmentResult, an ImplementationResult, (mode ``rank``) a list of
    them, or for a tree a TreeImplementationResult.
    """
    loaded = load(game)
    extra = {"path": path} if path else {}
    return kind_of(loaded).optimize(
        loaded, values, mode=mode, target=target, robust=robust, margin=margin, **extra,
        transfers=transfers, pessimistic=pessimistic, scenarios=scenarios, seed=seed,
        confidence=confidence, solver=solver, time_limit=time_limit,
        **({"basin_share": basin_share} if basin_share is not None else {}))


def default_axes(game: Any, analysis=None) -> list:
    """The sweep ``policy report`` draws when no ``--vary`` is given (see
    :meth:`policy.kinds.normal_form.NormalForm.default_axes`)."""
    loaded = load(game)
    return kind_of(loaded).default_axes(loaded, analysis)


def sweep(game: Any, axes: Sequence, values: Mapping[str, object] | None = None, *,
          mixed: bool = True, progress=None, client=None, engine: str | None = None):
    """Every equilibrium at every point of a grid of one or two axes (``engine``:
    ``auto``, ``numba`` or ``numpy``; default ``POLICY_SWEEP_ENGINE``)."""
    loaded = load(game)
    return kind_of(loaded).sweep(loaded, axes, values, mixed=mixed, progress=progress,
                                 client=client, engine=engine)


def sweep_extras(game: Any, result, values: Mapping[str, object] | None = None,
                 **options) -> dict:
    """What a sweep report shows beside its regions (boundaries, paths, a policy map),
    as keyword arguments of :func:`report_part` ``"sweep"``."""
    loaded = load(game)
    return kind_of(loaded).sweep_extras(loaded, result, values, **options)


def uncertainty(game: Any, samples: int, seed: int = 0,
                values: Mapping[str, object] | None = None, *, mixed: bool = True):
    """How often each equilibrium set occurs when the uncertain parameters are drawn."""
    loaded = load(game)
    return kind_of(loaded).uncertainty(loaded, samples, seed, values, mixed=mixed)


def report_part(part: str, game: Any, result, command: str, **extras):
    """The report of one command (solve, analyze, optimize, sweep, uncertainty)."""
    loaded = load(game)
    return kind_of(loaded).report_part(part, loaded, result, command, **extras)


def full_report(game: Any, values: Mapping[str, object] | None = None, *,
                axes: Sequence | None = None, samples: int = REPORT_SAMPLES, seed: int = 0,
                command: str = "", timestamp: str | None = None):
    """Run the whole pipeline (solve, analyze, optimize, a sweep, uncertainty) and
    return one :class:`policy.report.Report` of kind ``report``.

    Stages that do not apply (no controls or leader to optimise, no ranges to
    sweep, no distributions to sample) are skipped and the report says why.
    """
    loaded = load(game)
    return kind_of(loaded).full_report(loaded, values, axes=axes, samples=samples, seed=seed,
                                       command=command, timestamp=timestamp)


def export(game: Any, values: Mapping[str, object] | None = None, fmt: str = "nfg") -> str:
    """``game`` at its values updated with ``values``, in another format (``nfg``; for
    trees also ``efg``)."""
    loaded = load(game)
    return kind_of(loaded).export(loaded, loaded.values_with(values or {}), fmt)


_TEMPLATE = Path(__file__).with_name("template.yaml")
_TREE_TEMPLATE = Path(__file__).with_name("template_tree.yaml")


def new_game_text(name: str, tree: bool = False) -> str:
    """A commented game file named ``name`` to start from (it loads and solves): a
    matrix game, or (``tree``) a game tree."""
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", name) or len(name) > 80:
        raise ModelError(f"game name '{name[:90]}' is not allowed: use at most 80 letters, digits, "
                         "'_', '-' or '.', starting with a letter or digit")
    template = _TREE_TEMPLATE if tree else _TEMPLATE
    return template.read_text(encoding="utf-8").replace("__NAME__", name)

"""The ``policy`` command line: parse options → call the API → render → exit code.

Where it sits: the last stage of the data flow; it imports :mod:`policy.api` (and
through it the kind of the loaded game) inside each command, so that ``policy
--help`` loads neither sympy, numpy, numba, matplotlib nor PuLP.

Every option is declared once below (:data:`set_option`, :func:`vary_option`, …);
``--set``, ``--vary`` and ``--target`` have their own parameter types, choices
come from the library's constants (:class:`LibraryChoice`), and one mechanism
(:class:`PolicyGroup`) maps every failure to its exit code. The command line a
report records as its provenance is written back from the parsed parameters
(:func:`command_line`).

Exit codes: 0 success; 1 ran fine but the answer is negative (``check`` found
problems, ``optimize`` found no policy); 2 bad input or usage, a missing optional
dependency or a report that cannot be written (one line on stderr, no traceback);
3 an internal error (a bug: please report it); 130 interrupted.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

import click
from click.core import ParameterSource

from . import __version__
from .errors import ModelError, PolicyError, SolverError
from .limits import LIMITS

# -- one mechanism from failures to exit codes ----------------------------------------


def _fail(message: str, code: int) -> None:
    click.echo(message, err=True)
    raise click.exceptions.Exit(code)


@contextlib.contextmanager
def errors_to_exit_codes() -> Iterator[None]:
    """Turn every failure into one line on stderr and the documented exit code."""
    try:
        yield
    except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
        raise
    except PolicyError as err:
        _fail(f"error: {err}", err.exit_code)
    except KeyboardInterrupt:
        _fail("interrupted; nothing was written", 130)
    except RecursionError:
        _fail("error: input nested too deeply", 2)
    except Exception as err:  # noqa: BLE001 - last resort: never a traceback
        if os.environ.get("POLICY_DEBUG"):
            raise
        _fail(f"internal error (please report it, with POLICY_DEBUG=1 for details): "
              f"{type(err).__name__}: {err}", 3)


class PolicyGroup(click.Group):
    """The command group; parsing a command's parameters (their types call the
    library's parsers) and running it both go through :func:`errors_to_exit_codes`."""

    def invoke(self, ctx: click.Context) -> Any:
        with errors_to_exit_codes():
            return super().invoke(ctx)


# -- parameter types: the library's parsers and constants ------------------------------


@dataclass(frozen=True)
class Given:
    """A parsed command-line value with the text it was typed as (what the report's
    command line records)."""

    text: str
    value: Any


class AssignmentType(click.ParamType):
    """``NAME=VALUE`` (``--set``). The name and value are checked against the game
    once it is loaded (:func:`policy.api.parse_overrides`): which names exist, and
    which values they allow, depend on the game."""

    name = "assignment"

    def convert(self, value: Any, param, ctx) -> str:
        return value


class AxisType(click.ParamType):
    """``NAME=START:STOP:POINTS`` (``--vary``), parsed by
    :meth:`policy.sweep.GridAxis.parse`."""

    name = "axis"

    def convert(self, value: Any, param, ctx) -> Given:
        if isinstance(value, Given):
            return value
        from .sweep import GridAxis

        return Given(value, GridAxis.parse(value))


class TargetType(click.ParamType):
    """``PLAYER=STRATEGY`` (``--target``), parsed by :func:`policy.api.parse_target`."""

    name = "target"

    def convert(self, value: Any, param, ctx) -> Given:
        if isinstance(value, Given):
            return value
        from .api import parse_target

        return Given(value, parse_target(value))


class LibraryChoice(click.Choice):
    """A choice among the values of a library constant, imported when the choices are
    first needed (the command's help or its parsing), not when the CLI starts.

    >>> LibraryChoice("policy.equilibria", "METHODS").choices[:2]
    ('auto', 'exact')
    """

    def __init__(self, module: str, constant: str) -> None:
        self.source = (module, constant)
        self.case_sensitive = True

    @property
    def choices(self) -> tuple[str, ...]:
        module, constant = self.source
        return tuple(getattr(importlib.import_module(module), constant))


ASSIGNMENT = AssignmentType()
AXIS = AxisType()
TARGET = TargetType()


# -- every option, declared once ------------------------------------------------------

game_argument = click.argument("game")
set_option = click.option(
    "--set", "assignments", multiple=True, type=ASSIGNMENT, metavar="NAME=VALUE",
    help="Override a parameter or control (repeatable), e.g. --set f=12 --set subsidy=1/2.")
no_report_option = click.option("--no-report", is_flag=True, help="Do not write report files.")
json_option = click.option("--json", "as_json", is_flag=True,
                           help="Print exactly one JSON document on stdout.")
out_option = click.option("--out", "out_dir", type=click.Path(file_okay=False), default="reports",
                          show_default=True, help="Folder for reports (a sub-folder per game).")
timestamp_option = click.option(
    "--timestamp", is_flag=True,
    help="Record the time of generation (off by default: same input, same bytes).")


def report_options(command: Callable) -> Callable:
    """``--json``, ``--out`` and ``--no-report``: what every command writing a report takes."""
    return json_option(out_option(no_report_option(command)))


def vary_option(help: str) -> Callable:
    return click.option("--vary", "axes", multiple=True, type=AXIS,
                        metavar="NAME=START:STOP:POINTS", help=help)


def target_option(help: str) -> Callable:
    return click.option("--target", "targets", multiple=True, type=TARGET,
                        metavar="PLAYER=STRATEGY", help=help)


def robust_option(help: str) -> Callable:
    return click.option("--robust", type=LibraryChoice("policy.optimize", "ROBUSTNESS"),
                        default="nash", show_default=True, help=help)


def pure_option(help: str) -> Callable:
    return click.option("--pure", is_flag=True, help=help)


def samples_option(default: int, maximum: int | None, help: str) -> Callable:
    return click.option("--samples", type=click.IntRange(1, maximum), default=default,
                        show_default=True, help=help)


def seed_option(help: str | None = None) -> Callable:
    return click.option("--seed", type=int, default=0, show_default=True, help=help)


# -- each command's help: examples, environment, limits -------------------------------


def epilog(*examples: str, limits: Sequence[str] = (), environment: Sequence[str] = ()) -> str:
    """A command's help epilog: its examples, then the environment variables and
    size limits (:data:`policy.limits.LIMITS`, docs/limits.md) that concern it."""
    blocks = ["\b\nExamples:\n" + "\n".join(f"  {line}" for line in examples)]
    variables = [*environment, *(f"{LIMITS[name].variable}  {LIMITS[name].guards} "
                                 f"(default {LIMITS[name].default:,})".replace("`", "")
                                 for name in limits)]
    if variables:
        blocks.append("\b\nEnvironment:\n" + "\n".join(f"  {line}" for line in variables))
    return "\n\n".join(blocks)


EXAMPLES = {
    "list": ("policy list", "policy list --json"),
    "check": ("policy check my_game.yaml",),
    "solve": ("policy solve inspection",
              "policy solve games/platform_entry.yaml --set entry_subsidy=2 --json"),
    "analyze": ("policy analyze inspection",),
    "sweep": ("policy sweep platform_entry --vary entry_subsidy=0:3:301 --vary scale_levy=0:4:401",
              "policy sweep chain_store --vary d=1:6:51 --vary war=-5:1:61"),
    "uncertainty": ("policy uncertainty platform_entry --samples 5000 --seed 1",),
    "optimize": ("policy optimize platform_entry --robust unique",
                 "policy optimize platform_entry --robust risk-dominant",
                 "policy optimize inspection --mode commit --json",
                 "policy optimize scale_and_entry --path strict,restrain,enter"),
    "new": ("policy new my_game", "policy new my_tree --tree"),
    "export": ("policy export games/inspection.yaml --to nfg",
               "policy export chain_store --to efg"),
    "report": ("policy report platform_entry",),
}
#: Every command's first example, then the second ones: the group's help.
GROUP_EXAMPLES = [
    "policy list", "policy solve inspection",
    "policy solve games/platform_entry.yaml --set entry_subsidy=2 --json",
    *EXAMPLES["optimize"], *EXAMPLES["analyze"], *EXAMPLES["sweep"], *EXAMPLES["uncertainty"],
    *EXAMPLES["report"], *EXAMPLES["check"], *EXAMPLES["new"], *EXAMPLES["export"]]
ENGINE_ENVIRONMENT = ("POLICY_SWEEP_ENGINE  auto, numba or numpy: the float sweep kernels "
                      "(default auto)",
                      "POLICY_KERNEL_CACHE  folder for the compiled kernels")
DEBUG_ENVIRONMENT = ("POLICY_DEBUG=1  show the traceback of an internal error (exit 3)",
                     "POLICY_LIMIT_<NAME>  raise a size limit (docs/limits.md)")


# -- the provenance command line ------------------------------------------------------


def command_line(context: click.Context, game: str, *fields: str | tuple[str, bool],
                 given: Mapping[str, Any] | None = None) -> str:
    """The command line a report records, written back from the parsed parameters.

    ``fields`` are parameter names in the order to write them; a name is written
    when its value is not the default (a flag when set; each value of a repeatable
    option), or, as ``(name, condition)``, when ``condition`` holds. ``given``
    replaces parameter values (e.g. the file's own ``vary:`` axes).
    """
    params = {param.name: param for param in context.command.params}
    values = {**context.params, **(given or {})}
    parts = [context.info_name or context.command.name, game]
    for field in fields:
        name, condition = field if isinstance(field, tuple) else (field, None)
        param, value = params[name], values[name]
        option = param.opts[0]
        if condition is False or (condition is None and value == param.default):
            continue
        if getattr(param, "is_flag", False):
            parts.append(option if value else "")
        elif getattr(param, "multiple", False):
            parts.extend(f"{option}={_spelled(item)}" for item in value)
        else:
            parts.append(f"{option}={_spelled(value)}")
    return " ".join(["policy", *(shlex.quote(p) for p in parts if p)])


def _spelled(value: Any) -> str:
    if isinstance(value, Given):
        return value.text
    return f"{value:g}" if isinstance(value, float) else str(value)


# -- helpers shared by the commands ---------------------------------------------------


def _write_report(report, out_dir: str) -> None:
    """Write a report into OUT/<game>/ and say which files were written."""
    from .report import write_report

    written = write_report(report, Path(out_dir) / report.game)
    click.echo("wrote " + ", ".join(str(p) for p in written), err=True)


def _write_file(path: str | Path, content: str | bytes | Iterable[str], hint: str = "") -> None:
    """Write one file atomically (text, bytes or pieces of text) and say so (followed by ``hint``)."""
    from .report.writer import write_files

    target = Path(path)
    write_files(target.parent, {target.name: content})
    click.echo(f"wrote {target}{hint}", err=True)


def _emit(report, out_dir: str, no_report: bool, as_json: bool, summary: Callable) -> None:
    """Write the report files (unless told not to), then print JSON or a summary."""
    from .report import to_json

    if not no_report:
        _write_report(report, out_dir)
    click.echo(to_json(report) if as_json else summary(report) + "\n", nl=False)


def _grid(axes: Sequence[Given]) -> list:
    """The grid of one or two ``--vary`` axes."""
    if len(axes) > 2:
        raise ModelError(f"--vary: at most two axes are supported, got {len(axes)}")
    return [axis.value for axis in axes]


def _target(targets: Sequence[Given]) -> dict[str, str]:
    return dict(target.value for target in targets)


@contextlib.contextmanager
def _progress_bar(label: str, enabled: bool = True):
    """A progress callback ``(done, total)`` drawing a bar on stderr when it is a
    terminal (and ``enabled``); a no-op otherwise."""
    if not (enabled and sys.stderr.isatty()):
        yield None
        return
    with click.progressbar(length=1000, label=label, file=sys.stderr) as bar:
        def progress(done: int, total: int) -> None:
            bar.update(int(1000 * done / total) - bar.pos)

        yield progress


class WorkIndicator:
    """How far a long computation has got, as one line on ``stream`` rewritten in
    place: shown once the run has lasted ``delay`` seconds, redrawn at most every
    ``every`` seconds, erased by :meth:`close` (so a message after it, or the
    shell's prompt, starts on a clean line). Fed by :func:`policy.limits.watching_work`.

    Examples
    --------
    >>> import io
    >>> clock = iter([0.0, 1.0, 2.5, 2.6, 3.0]).__next__
    >>> stream = io.StringIO()
    >>> indicator = WorkIndicator("solving", stream, clock=clock)
    >>> for bases in (1_000, 2_000, 3_000, 4_000):
    ...     indicator({"bases": bases, "vertices": bases // 2, "equilibria": 3})
    >>> indicator.close()
    >>> [line.strip() for line in stream.getvalue().split(chr(13))]
    ['', 'solving: 2,000 bases, 1,000 vertices, 3 equilibria so far (Ctrl-C stops)', \
'solving: 4,000 bases, 2,000 vertices, 3 equilibria so far (Ctrl-C stops)', '', '']
    """

    def __init__(self, label: str, stream, *, clock: Callable[[], float] | None = None,
                 delay: float = 2.0, every: float = 0.2):
        import time

        self.label, self.stream = label, stream
        self.clock = clock or time.monotonic
        self.delay, self.every = delay, every
        self.started = self.clock()
        self.shown_at: float | None = None
        self.width = 0

    def __call__(self, counts: Mapping[str, int]) -> None:
        now = self.clock()
        if now - self.started < self.delay or (
                self.shown_at is not None and now - self.shown_at < self.every):
            return
        self.shown_at = now
        parts = [f"{counts[name]:,} {name}" for name in ("bases", "vertices", "equilibria")
                 if name in counts]
        text = f"{self.label}: {', '.join(parts)} so far (Ctrl-C stops) "
        self.width = max(self.width, len(text))
        self.stream.write("\r" + text.ljust(self.width))
        self.stream.flush()

    def close(self) -> None:
        if self.shown_at is not None:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()


@contextlib.contextmanager
def _work_indicator(label: str) -> Iterator[None]:
    """Within the block, a :class:`WorkIndicator` on stderr when it is a terminal."""
    if not sys.stderr.isatty():
        yield
        return
    from .limits import watching_work

    indicator = WorkIndicator(label, sys.stderr)
    try:
        with watching_work(indicator):
            yield
    finally:
        indicator.close()


def _given(*names: str) -> list[str]:
    """Which of these parameters of the running command were set on the command line
    (or in the environment), as ``--option`` spellings."""
    context = click.get_current_context()
    spelling = {param.name: param.opts[0] for param in context.command.params}
    return [spelling[name] for name in names
            if context.get_parameter_source(name) not in (None, ParameterSource.DEFAULT)]


def _refuse_inapplicable(options: Sequence[str], applies: str) -> None:
    """A usage error (exit 2) naming the first given option that does not apply."""
    if options:
        raise ModelError(f"{options[0]} applies {applies}")


# -- the commands ---------------------------------------------------------------------


@click.group(cls=PolicyGroup, epilog=epilog(*GROUP_EXAMPLES, environment=DEBUG_ENVIRONMENT),
             context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="policy")
def cli() -> None:
    """Answer regulation questions with game theory.

    Games are YAML files (or Gambit .nfg) with players, strategies, parameters,
    regulator controls and symbolic payoffs. GAME is a file path or the name of
    a bundled game (see `policy list`).
    """


@cli.command("list", epilog=epilog(*EXAMPLES["list"]))
@json_option
def list_games(as_json: bool) -> None:
    """List the bundled games with their titles."""
    from .api import list_games

    rows = list_games()
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    width = max((len(r["name"]) for r in rows), default=0)
    for row in rows:
        click.echo(f"{row['name']:<{width}}  {row['title']}")


@cli.command(epilog=epilog(*EXAMPLES["check"], limits=("file_bytes", "players", "profiles")))
@game_argument
@json_option
def check(game: str, as_json: bool) -> None:
    """Validate a game file; exit 1 if it has problems worth fixing."""
    from .api import check_game

    summary, problems = check_game(game)
    if as_json:
        click.echo(json.dumps({"game": summary["name"], "summary": summary,
                               "problems": problems}, indent=2))
    else:
        click.echo(f"{summary['path']}: ok — {summary['text']}")
        for problem in problems:
            click.echo(f"warning: {problem}", err=True)
    if problems:
        raise click.exceptions.Exit(1)


@cli.command(epilog=epilog(*EXAMPLES["solve"]))
@game_argument
@set_option
@click.option("--method", type=LibraryChoice("policy.equilibria", "METHODS"), default="auto",
              show_default=True,
              help="auto: complete exact enumeration for two players, pure equilibria for more.")
@report_options
def solve(game: str, assignments: tuple[str, ...], method: str, as_json: bool,
          out_dir: str, no_report: bool) -> None:
    """Find every Nash equilibrium of GAME, verified, and say which one is likely.

    The likely outcome: risk and payoff dominance, the logit limit, and the basins of
    attraction of replicator and best-response dynamics. Writes OUT/<game>/solve.md,
    solve.json and selection.png/.svg (atomically) unless --no-report.
    """
    from . import api
    from .report.text import solve_summary

    symbolic = api.load(game)
    with _work_indicator("solving"):
        result = api.solve(symbolic, api.parse_overrides(symbolic, assignments), method=method)
        command = command_line(click.get_current_context(), game, "assignments", "method")
        report = api.report_part("solve", symbolic, result, command, draw=not no_report)
    _emit(report, out_dir, no_report, as_json, solve_summary)


@cli.command(epilog=epilog(*EXAMPLES["analyze"], limits=("analysis_milliseconds",
                                                         "expanded_terms")))
@game_argument
@set_option
@click.option("--max-support", type=click.IntRange(2, 6), default=3, show_default=True,
              help="Largest support size for closed-form mixed equilibria.")
@report_options
def analyze(game: str, assignments: tuple[str, ...], max_support: int, as_json: bool,
            out_dir: str, no_report: bool) -> None:
    """When is each outcome an equilibrium? Conditions, closed forms, thresholds.

    Symbolic, in the game's parameters and controls, simplified with the declared
    ranges, positivity, bounds and assumptions. Writes OUT/<game>/analyze.md
    (LaTeX maths, rendered by GitHub) and analyze.json.
    """
    from . import api
    from .report.text import analyze_summary

    symbolic = api.load(game)
    analysis = api.analyze(symbolic, api.parse_overrides(symbolic, assignments),
                           max_support=max_support)
    command = command_line(click.get_current_context(), game, "assignments", "max_support")
    _emit(api.report_part("analyze", symbolic, analysis, command), out_dir, no_report, as_json,
          analyze_summary)


@cli.command("sweep", epilog=epilog(*EXAMPLES["sweep"], environment=ENGINE_ENVIRONMENT,
                                    limits=("grid_points", "policy_map_points")))
@game_argument
@vary_option("A parameter or control to vary (once or twice), both ends included; "
             "default: the game file's vary: axes.")
@set_option
@pure_option("Pure equilibria only (faster).")
@click.option("--save", "save_path", type=click.Path(dir_okay=False), default=None,
              help="Per-point results to a .csv or .npz file.")
@click.option("--engine", type=LibraryChoice("policy.sweep.float_kernel", "ENGINES"), default="auto",
              show_default=True, envvar="POLICY_SWEEP_ENGINE", show_envvar=True,
              help="Sweep engine: numba's compiled kernels, numpy, or auto (numba from 20,000 "
                   "points on); every engine gives the same regions.")
@click.option("--executor", default="local", show_default=True, metavar="local|dask|dask://HOST:PORT",
              help="Where chunks run: this process, a local Dask cluster (2 workers), or a "
                   "Dask scheduler. Results are identical.")
@click.option("--no-boundaries", is_flag=True,
              help="Do not run analyze to overlay the symbolic region boundaries.")
@click.option("--optimize", "optimize_map", is_flag=True,
              help="Also map the cheapest policy for --target (or the file's target) over the "
                   "grid: one verified LP per point, so use a coarse grid.")
@target_option("With --optimize: the outcome to implement (default: the file's target).")
@robust_option("With --optimize: how firmly the target must hold.")
@click.option("--select", type=LibraryChoice("policy.sweep.selection_map", "CRITERIA"),
              default=None,
              help="Map the equilibrium this criterion selects at each point: risk-dominant "
                   "(2×2 games; drawn for them by default) or logit (the end of the logit "
                   "path, any game; one path per point, so use a coarse grid).")
@report_options
def sweep_command(game: str, axes: tuple[Given, ...], assignments: tuple[str, ...], pure: bool,
                  save_path: str | None, engine: str, executor: str, no_boundaries: bool,
                  optimize_map: bool,
                  targets: tuple[Given, ...], robust: str, select: str | None, as_json: bool,
                  out_dir: str, no_report: bool) -> None:
    """Map every equilibrium over a grid of one or two parameters (a phase diagram).

    Writes OUT/<game>/sweep.md, sweep.json and figures: sweep.png/.svg (regions, with
    the boundaries from analyze dashed), paths.png/.svg for one-axis sweeps
    (equilibrium probabilities and payoffs), policy.png/.svg with --optimize and, for
    2×2 games or with --select, selection-map.png/.svg (the equilibrium risk dominance,
    or the logit path, selects at each point);
    removes the figures an earlier sweep wrote that this one does not (never the
    report-*.png of `policy report`). --save adds a `verified` column with --optimize.
    Points that may be degenerate (ties on the grid) are solved again by the exact
    engine.
    """
    from . import api
    from .report.text import sweep_summary
    from .sweep import check_policy_axes, saved_points_chunks

    if not optimize_map:
        _refuse_inapplicable(_given("targets", "robust"), "only with --optimize")
    symbolic = api.load(game)
    axes = axes or tuple(AXIS.convert(text, None, None) for text in symbolic.spec.vary)
    if not axes:
        raise ModelError(f"--vary: {symbolic.name} declares no vary: axes; give one or two "
                         "--vary NAME=START:STOP:POINTS")
    grid = _grid(axes)
    overrides = api.parse_overrides(symbolic, assignments)
    target = _target(targets) or dict(symbolic.spec.target)
    if optimize_map:
        check_policy_axes(symbolic, grid, target)
    client, cluster = _dask_client(executor)
    try:
        with _progress_bar("sweeping", enabled=not as_json) as progress:
            result = api.sweep(symbolic, grid, overrides, mixed=not pure, progress=progress,
                               client=client, engine=engine)
    finally:
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()
    with _progress_bar("optimizing", enabled=optimize_map and not as_json) as progress:
        extras = api.sweep_extras(symbolic, result, overrides, boundaries=not no_boundaries,
                                  optimize=optimize_map, target=target, robust=robust,
                                  mixed=not pure, progress=progress,
                                  **({"select": select} if select else {}))
    command = command_line(click.get_current_context(), game, "axes", "assignments", "pure",
                           "no_boundaries", "optimize_map", "targets",
                           ("robust", optimize_map and robust != "nash"), "select",
                           given={"axes": axes})
    report = api.report_part("sweep", symbolic, result, command, draw=not no_report, **extras)
    if save_path:
        _write_file(save_path, saved_points_chunks(result, Path(save_path).suffix.lower(),
                                                   _map_columns(extras)))
    if not no_report:
        _write_report(report, out_dir)
    if as_json:
        summary = {key: report.document[key] for key in ("game", "grid", "points", "regions",
                                                        "degenerate_points", "exact_points",
                                                        "boundaries", "policy", "selection")
                   if key in report.document}
        summary["seconds"] = round(result.seconds, 3)
        click.echo(json.dumps(summary, indent=2))
    else:
        click.echo(sweep_summary(report) + f"\n({result.seconds:.2f} s)")


def _map_columns(extras: dict) -> dict:
    """A policy map's per-point cost and controls, as columns for --save."""
    policy_map = extras.get("policy_map")
    if policy_map is None:
        return {}
    return {"cost": policy_map.cost, **dict(sorted(policy_map.controls.items())),
            "verified": policy_map.verified}


def _dask_client(executor: str):
    """(client, cluster) for --executor; (None, None) for local runs."""
    if executor == "local":
        return None, None
    if executor != "dask" and not executor.startswith("dask://"):
        raise ModelError(f"--executor '{executor}': expected local, dask or dask://HOST:PORT")
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise SolverError("--executor dask needs dask.distributed: pip install 'policy[dask]'") from None
    if executor == "dask":
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None,
                               silence_logs=50)
        return Client(cluster), cluster
    try:
        return Client(executor.replace("dask://", "tcp://"), timeout=10), None
    except OSError as err:
        raise SolverError(f"cannot reach the Dask scheduler at {executor}: {err}") from None


@cli.command("uncertainty", epilog=epilog(*EXAMPLES["uncertainty"], limits=("samples",)))
@game_argument
@samples_option(1000, None, "Number of random draws of the parameters that declare a dist:.")
@seed_option()
@set_option
@pure_option("Pure equilibria only.")
@report_options
def uncertainty_command(game: str, samples: int, seed: int, assignments: tuple[str, ...],
                        pure: bool, as_json: bool, out_dir: str, no_report: bool) -> None:
    """How often each equilibrium set occurs when uncertain parameters are drawn.

    Reports shares with 95% Wilson intervals; writes OUT/<game>/uncertainty.md and .json.
    """
    from . import api
    from .report.text import uncertainty_summary

    symbolic = api.load(game)
    result = api.uncertainty(symbolic, samples, seed, api.parse_overrides(symbolic, assignments),
                             mixed=not pure)
    command = command_line(click.get_current_context(), game, ("samples", True), ("seed", True),
                           "assignments", "pure")
    _emit(api.report_part("uncertainty", symbolic, result, command), out_dir, no_report, as_json,
          uncertainty_summary)


def _check_optimize_options(mode: str, scenarios: int, robust: str = "nash") -> None:
    """Options ``optimize`` would silently ignore in ``mode`` are usage errors."""
    if mode == "commit":
        _refuse_inapplicable(_given("robust", "transfers"),
                             "to --mode implement and rank, not to commit mode")
    if robust != "basin":
        _refuse_inapplicable(_given("basin_share"), "only with --robust basin")
    if mode != "implement":
        _refuse_inapplicable(_given("scenarios", "targets", "path"),
                             f"to --mode implement, not to {mode} mode")
    if mode != "commit":
        _refuse_inapplicable(_given("pessimistic"), f"to --mode commit, not to {mode} mode")
    if not scenarios:
        _refuse_inapplicable(_given("confidence"), "only with --scenarios N (N > 0)")
        if robust != "basin":
            _refuse_inapplicable(_given("seed"), "only with --scenarios N (N > 0) or --robust basin")


@cli.command(epilog=epilog(*EXAMPLES["optimize"], limits=("scenarios", "selection_evaluations")))
@game_argument
@click.option("--mode", type=LibraryChoice("policy.kinds.normal_form", "MODES"), default=None,
              help="commit: the leader's optimal mixed commitment; implement: the cheapest "
                   "controls making --target an equilibrium; rank: every profile by cost. "
                   "Default: what the file declares (objective/target/leader), else rank.")
@target_option("Target profile for --mode implement (repeatable); unnamed players are free. "
               "Game trees: INFOSET=ACTION, the action at an information set.")
@click.option("--path", "path", default=None, metavar="ACTION,ACTION,…",
              help="Game trees: the target path, the actions played from the root "
                   "(chance outcomes name the branch followed), comma-separated.")
@click.option("--robust", type=LibraryChoice("policy.optimize", "OPTIMIZE_ROBUSTNESS"),
              default=None,
              help="nash (default): an equilibrium; strict: strictly by --margin; "
                   "dominant: dominant strategies for everyone; unique: the only equilibrium "
                   "(iterated elimination of dominated strategies, checked by re-solving); "
                   "risk-dominant / logit: the equilibrium risk dominance / the logit path "
                   "selects (exact for 2×2 games, else the cheapest a bounded search finds; "
                   "checked by re-solving); basin: the replicator dynamics reach it from at "
                   "least --basin-share of starting points (95% interval, re-estimated with a "
                   "fresh seed). Game trees: unique (default): every subgame-perfect "
                   "equilibrium follows the target; spe: one does.")
@click.option("--basin-share", default=None,
              help="With --robust basin: the share of starting points the target's basin must "
                   "hold, by the lower end of its 95% interval (e.g. 0.9, 3/4). Default 0.9.")
@click.option("--margin", default=None, help="Margin ε for strict/dominant/unique/pessimistic (e.g. 1/100). "
              "Default 1/1000 (0 for nash and optimistic commitment).")
@click.option("--transfers", is_flag=True, help="Allow promised non-negative payments per outcome "
              "(k-implementation); only the payments at the reached outcome cost anything.")
@click.option("--pessimistic", is_flag=True, help="Commitment must work whatever pure equilibrium "
              "the followers pick.")
@click.option("--scenarios", type=click.IntRange(0), default=0, show_default=True,
              help="Sample this many scenarios of parameters that declare a dist:.")
@seed_option("Random seed for --scenarios, and for the starting points of --robust basin "
             "(the verification uses the next seed).")
@click.option("--confidence", type=click.FloatRange(0, 1, min_open=True), default=1.0,
              show_default=True, help="Share of scenarios in which the policy must work.")
@click.option("--solver", type=LibraryChoice("policy.optimize", "SOLVERS"), default="cbc",
              show_default=True)
@click.option("--time-limit", type=click.FloatRange(0, min_open=True), default=None,
              help="Seconds per LP/MILP; a stopped solve is reported as 'time limit, best found'.")
@set_option
@report_options
def optimize(game: str, mode: str | None, targets: tuple[Given, ...], path: str | None,
             robust: str | None, basin_share: str | None,
             margin: str | None, transfers: bool, pessimistic: bool, scenarios: int, seed: int,
             confidence: float, solver: str, time_limit: float | None,
             assignments: tuple[str, ...], as_json: bool, out_dir: str, no_report: bool) -> None:
    """Choose the regulator's intervention: optimal commitment or cheapest controls.

    Every answer is verified by re-solving the game. Exit 1 when no policy reaches
    the goal (the explanation says why). Writes OUT/<game>/optimize.md and .json.
    """
    from . import api
    from .report.text import optimize_summary

    symbolic = api.load(game)
    _check_optimize_options(mode or ("implement" if targets else api.default_mode(symbolic)),
                            scenarios, robust)
    overrides = api.parse_overrides(symbolic, assignments)
    result = api.optimize(symbolic, mode=mode, target=_target(targets) or None, values=overrides,
                          path=[a.strip() for a in path.split(",")] if path else None,
                          robust=robust, margin=api.parse_margin(margin), transfers=transfers,
                          pessimistic=pessimistic, scenarios=scenarios, seed=seed,
                          confidence=confidence, solver=solver, time_limit=time_limit,
                          basin_share=basin_share)
    command = command_line(click.get_current_context(), game, "mode", "targets", "path",
                           "robust", "basin_share", "margin", "transfers", "pessimistic",
                           "scenarios", ("seed", bool(scenarios) or robust == "basin"),
                           "confidence", "solver", "assignments")
    _emit(api.report_part("optimize", symbolic, result, command,
                          values=symbolic.values_with(overrides)),
          out_dir, no_report, as_json, optimize_summary)
    results = result if isinstance(result, list) else [result]
    if not any(_succeeded(r) for r in results):
        raise click.exceptions.Exit(1)


def _succeeded(result) -> bool:
    if hasattr(result, "succeeded"):  # a kind's own result type (market welfare)
        return result.succeeded
    if result.mode == "commit":
        return bool(result.commitment) and result.verified
    return result.cost is not None and result.verified


@cli.command(epilog=epilog(*EXAMPLES["new"]))
@click.argument("name")
@click.option("--out", "out_path", type=click.Path(dir_okay=False), default=None,
              help="Where to write the file (default: NAME.yaml).")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@click.option("--tree", is_flag=True, help="A game tree (sequential moves, chance, "
              "information sets) instead of a matrix game.")
def new(name: str, out_path: str | None, force: bool, tree: bool) -> None:
    """Write a commented game file to start from."""
    from .api import new_game_text

    path = Path(out_path or f"{name}.yaml")
    if path.exists() and not force:
        _fail(f"error: {path} exists; use --force to overwrite it", 2)
    _write_file(path, new_game_text(name, tree=tree), hint=f"; try: policy solve {path}")


@cli.command(epilog=epilog(*EXAMPLES["export"]))
@game_argument
@click.option("--to", "fmt", type=LibraryChoice("policy.kinds", "EXPORT_FORMATS"),
              default="nfg", show_default=True,
              help="Output format: Gambit strategic form (nfg; a tree's reduced strategic "
                   "form) or extensive form (efg, game trees).")
@set_option
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write to this file instead of stdout.")
def export(game: str, fmt: str, assignments: tuple[str, ...], output: str | None) -> None:
    """Export GAME (at its values, or --set ones) to another format."""
    from . import api

    symbolic = api.load(game)
    text = api.export(symbolic, api.parse_overrides(symbolic, assignments), fmt)
    if output:
        _write_file(output, text)
    else:
        click.echo(text, nl=False)


@cli.command("report", epilog=epilog(*EXAMPLES["report"], "policy report --all",
                                     environment=ENGINE_ENVIRONMENT))
@click.argument("game", required=False)
@click.option("--all", "all_games", is_flag=True, help="A report for every bundled game.")
@set_option
@vary_option("Axes of the phase diagram (once or twice); default: two parameters with a "
             "declared range that appear in a threshold, 101 points each.")
@samples_option(2000, 1_000_000, "Draws of the uncertain parameters (those that declare a dist:).")
@seed_option()
@timestamp_option
@json_option
@out_option
def report(game: str | None, all_games: bool, assignments: tuple[str, ...],
           axes: tuple[Given, ...], samples: int, seed: int, timestamp: bool, as_json: bool,
           out_dir: str) -> None:
    """Run the whole pipeline and write one report a reader needs no Python for.

    Check, solve, analyze, optimize, a phase diagram and the uncertainty: writes
    OUT/<game>/index.html (self-contained: inline CSS, SVG figures and MathML),
    index.md, report.json and its figures (report-*.png/.svg, names no other command
    writes), then OUT/index.html listing every report.
    """
    import datetime

    from . import api
    from .loader import bundled_games
    from .report import to_json
    from .report.writer import write_index, write_report

    if all_games == bool(game):
        raise ModelError("give one GAME, or --all for every bundled game, not both or neither")
    if all_games and (assignments or axes):
        raise ModelError("--set and --vary apply to one GAME, not to --all")
    names = list(bundled_games()) if all_games else [game]
    stamp = (datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
             if timestamp else None)
    grid = _grid(axes)
    written = []
    for name in names:
        symbolic = api.load(name)
        command = command_line(click.get_current_context(), name, "assignments", "axes",
                               "samples", "seed")
        with _work_indicator(f"{symbolic.name}: solving"):
            document = api.full_report(symbolic, api.parse_overrides(symbolic, assignments),
                                       axes=grid, samples=samples, seed=seed, command=command,
                                       timestamp=stamp)
        write_report(document, Path(out_dir) / symbolic.name)
        written.append(document)
        click.echo(f"wrote {Path(out_dir) / symbolic.name / 'index.html'}", err=True)
    write_index(out_dir)
    if as_json:
        click.echo(to_json(written[0]) if not all_games else json.dumps(
            [{"game": d.game, "summary": d.document["summary"]} for d in written], indent=2,
            ensure_ascii=False) + "\n", nl=False)
    else:
        for document in written:
            click.echo(f"{document.game}:\n" + "\n".join(f"  {line}" for line in
                                                       document.document["summary"]) + "\n")


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="policy")


if __name__ == "__main__":  # pragma: no cover
    main()

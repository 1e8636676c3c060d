"""The ``policy`` command line: parse options → call the API → render → exit code.

Exit codes: 0 success; 1 ran fine but the answer is negative (``check`` found
problems, ``optimize`` found no policy); 2 bad input or usage, a missing optional
dependency or a report that cannot be written (one line on stderr, no traceback);
3 an internal error (a bug: please report it); 130 interrupted.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import shlex
import sys
from pathlib import Path
from typing import Callable, Iterable, Sequence

import click
from click.core import ParameterSource

from . import __version__
from .errors import ExpressionError, ModelError, PolicyError, SolverError

EXAMPLES = """
\b
Examples:
  policy list
  policy solve inspection
  policy solve games/platform_entry.yaml --set entry_subsidy=2 --json
  policy optimize platform_entry --robust unique
  policy optimize inspection --mode commit --json
  policy analyze inspection
  policy sweep platform_entry --vary entry_subsidy=0:3:301 --vary scale_levy=0:4:401
  policy uncertainty platform_entry --samples 5000 --seed 1
  policy report platform_entry
  policy check my_game.yaml
  policy new my_game
  policy export games/inspection.yaml --to nfg
"""


def _fail(message: str, code: int) -> None:
    click.echo(message, err=True)
    raise click.exceptions.Exit(code)


def handle_errors(command: Callable) -> Callable:
    """Turn every failure into one line on stderr and the documented exit code."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
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

    return wrapper


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


def _grid(axes: Sequence[str]) -> list:
    """Parse one or two ``--vary`` axes."""
    from .sweep import GridAxis

    grid = [GridAxis.parse(a) for a in axes]
    if len(grid) > 2:
        raise ModelError(f"--vary: at most two axes are supported, got {len(grid)}")
    return grid


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


def _canonical_command(*parts: str) -> str:
    return " ".join(["policy", *(shlex.quote(p) for p in parts if p)])


set_option = click.option(
    "--set", "assignments", multiple=True, metavar="NAME=VALUE",
    help="Override a parameter or control (repeatable), e.g. --set f=12 --set subsidy=1/2.")
#: ``--robust`` (policy.optimize.ROBUSTNESS, not imported here: PuLP loads slowly).
ROBUST_CHOICES = ("nash", "strict", "dominant", "unique")
no_report_option = click.option("--no-report", is_flag=True, help="Do not write report files.")
json_option = click.option("--json", "as_json", is_flag=True,
                           help="Print exactly one JSON document on stdout.")
out_option = click.option("--out", "out_dir", type=click.Path(file_okay=False), default="reports",
                          show_default=True, help="Folder for reports (a sub-folder per game).")


@click.group(epilog=EXAMPLES, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="policy")
def cli() -> None:
    """Answer regulation questions with game theory.

    Games are YAML files (or Gambit .nfg) with players, strategies, parameters,
    regulator controls and symbolic payoffs. GAME is a file path or the name of
    a bundled game (see `policy list`).
    """


@cli.command("list", epilog=EXAMPLES)
@json_option
@handle_errors
def list_games(as_json: bool) -> None:
    """List the bundled games with their titles."""
    from .api import load
    from .gamefile import bundled_games

    rows = []
    for name, path in bundled_games().items():
        spec = load(path).spec
        rows.append({"name": name, "title": spec.title, "players": list(spec.player_names),
                     "path": str(path)})
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    width = max((len(r["name"]) for r in rows), default=0)
    for row in rows:
        click.echo(f"{row['name']:<{width}}  {row['title']}")


@cli.command(epilog=EXAMPLES)
@click.argument("game")
@json_option
@handle_errors
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


@cli.command(epilog=EXAMPLES)
@click.argument("game")
@set_option
@click.option("--method", type=click.Choice(["auto", "exact", "support", "vertex",
                                             "lemke-howson", "pure"]), default="auto",
              show_default=True,
              help="auto: complete exact enumeration for two players, pure equilibria for more.")
@json_option
@out_option
@no_report_option
@handle_errors
def solve(game: str, assignments: tuple[str, ...], method: str, as_json: bool,
          out_dir: str, no_report: bool) -> None:
    """Find every Nash equilibrium of GAME, verified, and write a report.

    Writes OUT/<game>/solve.md and solve.json (atomically) unless --no-report.
    """
    from .api import load, parse_overrides
    from .equilibria import find_equilibria
    from .report import build_solve_report
    from .report.text import solve_summary

    symbolic = load(game)
    overrides = parse_overrides(symbolic, assignments)
    result = find_equilibria(symbolic.bind(overrides), method=method)
    command = _canonical_command("solve", game, *(f"--set={a}" for a in assignments),
                                 f"--method={method}" if method != "auto" else "")
    _emit(build_solve_report(symbolic, result, command), out_dir, no_report, as_json, solve_summary)


@cli.command(epilog=EXAMPLES)
@click.argument("game")
@set_option
@click.option("--max-support", type=click.IntRange(2, 6), default=3, show_default=True,
              help="Largest support size for closed-form mixed equilibria.")
@json_option
@out_option
@no_report_option
@handle_errors
def analyze(game: str, assignments: tuple[str, ...], max_support: int, as_json: bool,
            out_dir: str, no_report: bool) -> None:
    """When is each outcome an equilibrium? Conditions, closed forms, thresholds.

    Symbolic, in the game's parameters and controls, simplified with the declared
    ranges, positivity, bounds and assumptions. Writes OUT/<game>/analyze.md
    (LaTeX maths, rendered by GitHub) and analyze.json.
    """
    from .analysis import analyze as run_analysis
    from .api import load, parse_overrides
    from .report import build_analyze_report
    from .report.text import analyze_summary

    symbolic = load(game)
    analysis = run_analysis(symbolic, parse_overrides(symbolic, assignments), max_support=max_support)
    command = _canonical_command("analyze", game, *(f"--set={a}" for a in assignments),
                                 f"--max-support={max_support}" if max_support != 3 else "")
    _emit(build_analyze_report(symbolic, analysis, command), out_dir, no_report, as_json,
          analyze_summary)


@cli.command("sweep", epilog=EXAMPLES)
@click.argument("game")
@click.option("--vary", "axes", multiple=True, metavar="NAME=START:STOP:POINTS",
              help="A parameter or control to vary (once or twice), both ends included; "
                   "default: the game file's vary: axes.")
@set_option
@click.option("--pure", is_flag=True, help="Pure equilibria only (faster).")
@click.option("--save", "save_path", type=click.Path(dir_okay=False), default=None,
              help="Per-point results to a .csv or .npz file.")
@click.option("--executor", default="local", show_default=True, metavar="local|dask|dask://HOST:PORT",
              help="Where chunks run: this process, a local Dask cluster (2 workers), or a "
                   "Dask scheduler. Results are identical.")
@click.option("--no-boundaries", is_flag=True,
              help="Do not run analyze to overlay the symbolic region boundaries.")
@click.option("--optimize", "optimize_map", is_flag=True,
              help="Also map the cheapest policy for --target (or the file's target) over the "
                   "grid: one verified LP per point, so use a coarse grid.")
@click.option("--target", "targets", multiple=True, metavar="PLAYER=STRATEGY",
              help="With --optimize: the outcome to implement (default: the file's target).")
@click.option("--robust", type=click.Choice(ROBUST_CHOICES), default="nash",
              show_default=True, help="With --optimize: how firmly the target must hold.")
@json_option
@out_option
@no_report_option
@handle_errors
def sweep_command(game: str, axes: tuple[str, ...], assignments: tuple[str, ...], pure: bool,
                  save_path: str | None, executor: str, no_boundaries: bool, optimize_map: bool,
                  targets: tuple[str, ...], robust: str, as_json: bool, out_dir: str,
                  no_report: bool) -> None:
    """Map every equilibrium over a grid of one or two parameters (a phase diagram).

    Writes OUT/<game>/sweep.md, sweep.json and figures: sweep.png/.svg (regions, with
    the boundaries from analyze dashed), paths.png/.svg for one-axis sweeps
    (equilibrium probabilities and payoffs) and policy.png/.svg with --optimize;
    removes the figures an earlier sweep wrote that this one does not (never the
    report-*.png of `policy report`). --save adds a `verified` column with --optimize.
    Points that may be degenerate (ties on the grid) are solved again by the exact
    engine.
    """
    from .api import load, parse_overrides, sweep_extras
    from .report import build_sweep_report
    from .report.text import sweep_summary
    from .sweep import check_policy_axes, saved_points_chunks, sweep

    if not optimize_map:
        _refuse_inapplicable(_given("targets", "robust"), "only with --optimize")
    symbolic = load(game)
    axes = axes or symbolic.spec.vary
    if not axes:
        raise ModelError(f"--vary: {symbolic.name} declares no vary: axes; give one or two "
                         "--vary NAME=START:STOP:POINTS")
    grid = _grid(axes)
    overrides = parse_overrides(symbolic, assignments)
    target = _parse_target(targets) or dict(symbolic.spec.target)
    if optimize_map:
        check_policy_axes(symbolic, grid, target)
    client, cluster = _dask_client(executor)
    try:
        with _progress_bar("sweeping", enabled=not as_json) as progress:
            result = sweep(symbolic, grid, overrides, mixed=not pure, progress=progress,
                           client=client)
    finally:
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()
    with _progress_bar("optimizing", enabled=optimize_map and not as_json) as progress:
        extras = sweep_extras(symbolic, result, overrides, boundaries=not no_boundaries,
                              optimize=optimize_map, target=target, robust=robust,
                              mixed=not pure, progress=progress)
    command = _canonical_command("sweep", game, *(f"--vary={a}" for a in axes),
                                 *(f"--set={a}" for a in assignments), "--pure" if pure else "",
                                 "--no-boundaries" if no_boundaries else "",
                                 "--optimize" if optimize_map else "",
                                 *(f"--target={t}" for t in targets),
                                 f"--robust={robust}" if optimize_map and robust != "nash" else "")
    report = build_sweep_report(symbolic, result, command, draw=not no_report, **extras)
    if save_path:
        _write_file(save_path, saved_points_chunks(result, Path(save_path).suffix.lower(),
                                                   _map_columns(extras)))
    if not no_report:
        _write_report(report, out_dir)
    if as_json:
        summary = {key: report.document[key] for key in ("game", "grid", "points", "regions",
                                                        "degenerate_points", "exact_points",
                                                        "boundaries", "policy")
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


@cli.command("uncertainty", epilog=EXAMPLES)
@click.argument("game")
@click.option("--samples", type=click.IntRange(1), default=1000, show_default=True,
              help="Number of random draws of the parameters that declare a dist:.")
@click.option("--seed", type=int, default=0, show_default=True)
@set_option
@click.option("--pure", is_flag=True, help="Pure equilibria only.")
@json_option
@out_option
@no_report_option
@handle_errors
def uncertainty_command(game: str, samples: int, seed: int, assignments: tuple[str, ...],
                        pure: bool, as_json: bool, out_dir: str, no_report: bool) -> None:
    """How often each equilibrium set occurs when uncertain parameters are drawn.

    Reports shares with 95% Wilson intervals; writes OUT/<game>/uncertainty.md and .json.
    """
    from .api import load, parse_overrides
    from .report import build_uncertainty_report
    from .report.text import uncertainty_summary
    from .sweep import uncertainty

    symbolic = load(game)
    result = uncertainty(symbolic, samples, seed, parse_overrides(symbolic, assignments),
                         mixed=not pure)
    command = _canonical_command("uncertainty", game, f"--samples={samples}", f"--seed={seed}",
                                 *(f"--set={a}" for a in assignments), "--pure" if pure else "")
    _emit(build_uncertainty_report(symbolic, result, command), out_dir, no_report, as_json,
          uncertainty_summary)


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


def _check_optimize_options(mode: str, scenarios: int) -> None:
    """Options ``optimize`` would silently ignore in ``mode`` are usage errors."""
    if mode == "commit":
        _refuse_inapplicable(_given("robust", "transfers"),
                             "to --mode implement and rank, not to commit mode")
    if mode != "implement":
        _refuse_inapplicable(_given("scenarios", "targets"),
                             f"to --mode implement, not to {mode} mode")
    if mode != "commit":
        _refuse_inapplicable(_given("pessimistic"), f"to --mode commit, not to {mode} mode")
    if not scenarios:
        _refuse_inapplicable(_given("confidence", "seed"), "only with --scenarios N (N > 0)")


def _parse_target(items: tuple[str, ...]) -> dict[str, str]:
    target = {}
    for item in items:
        player, sep, strategy = item.partition("=")
        if not sep or not player.strip() or not strategy.strip():
            raise ModelError(f"--target '{item}': expected PLAYER=STRATEGY, e.g. "
                             "--target platform=comply")
        target[player.strip()] = strategy.strip()
    return target


@cli.command(epilog=EXAMPLES)
@click.argument("game")
@click.option("--mode", type=click.Choice(["commit", "implement", "rank"]), default=None,
              help="commit: the leader's optimal mixed commitment; implement: the cheapest "
                   "controls making --target an equilibrium; rank: every profile by cost. "
                   "Default: what the file declares (objective/target/leader), else rank.")
@click.option("--target", "targets", multiple=True, metavar="PLAYER=STRATEGY",
              help="Target profile for --mode implement (repeatable); unnamed players are free.")
@click.option("--robust", type=click.Choice(ROBUST_CHOICES), default="nash",
              show_default=True, help="nash: an equilibrium; strict: strictly by --margin; "
              "dominant: dominant strategies for everyone; unique: the only equilibrium "
              "(iterated elimination of dominated strategies, checked by re-solving).")
@click.option("--margin", default=None, help="Margin ε for strict/dominant/unique/pessimistic (e.g. 1/100). "
              "Default 1/1000 (0 for nash and optimistic commitment).")
@click.option("--transfers", is_flag=True, help="Allow promised non-negative payments per outcome "
              "(k-implementation); only the payments at the reached outcome cost anything.")
@click.option("--pessimistic", is_flag=True, help="Commitment must work whatever pure equilibrium "
              "the followers pick.")
@click.option("--scenarios", type=click.IntRange(0), default=0, show_default=True,
              help="Sample this many scenarios of parameters that declare a dist:.")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed for --scenarios.")
@click.option("--confidence", type=click.FloatRange(0, 1, min_open=True), default=1.0,
              show_default=True, help="Share of scenarios in which the policy must work.")
@click.option("--solver", type=click.Choice(["cbc", "highs"]), default="cbc", show_default=True)
@click.option("--time-limit", type=click.FloatRange(0, min_open=True), default=None,
              help="Seconds per LP/MILP; a stopped solve is reported as 'time limit, best found'.")
@set_option
@json_option
@out_option
@no_report_option
@handle_errors
def optimize(game: str, mode: str | None, targets: tuple[str, ...], robust: str, margin: str | None,
             transfers: bool, pessimistic: bool, scenarios: int, seed: int, confidence: float,
             solver: str, time_limit: float | None, assignments: tuple[str, ...], as_json: bool,
             out_dir: str, no_report: bool) -> None:
    """Choose the regulator's intervention: optimal commitment or cheapest controls.

    Every answer is verified by re-solving the game. Exit 1 when no policy reaches
    the goal (the explanation says why). Writes OUT/<game>/optimize.md and .json.
    """
    from .api import default_mode, load, optimize as run_optimize, parse_overrides
    from .expressions import parse_expression
    from .report import build_optimize_report
    from .report.text import optimize_summary

    symbolic = load(game)
    _check_optimize_options(mode or ("implement" if targets else default_mode(symbolic)),
                            scenarios)
    overrides = parse_overrides(symbolic, assignments)
    margin_value = None
    if margin is not None:
        try:
            number = parse_expression(margin, {})
        except ExpressionError as err:
            raise ModelError(f"--margin '{margin}': expected a non-negative number such as "
                             f"1/100: {err.message}") from None
        if not number.is_Rational or number < 0:
            raise ModelError(f"--margin '{margin}': expected a non-negative number such as 1/100")
        margin_value = number
    result = run_optimize(symbolic, mode=mode, target=_parse_target(targets) or None,
                          values=overrides, robust=robust, margin=margin_value, transfers=transfers,
                          pessimistic=pessimistic, scenarios=scenarios, seed=seed,
                          confidence=confidence, solver=solver, time_limit=time_limit)
    options = [f"--mode={mode}" if mode else "", *(f"--target={t}" for t in targets),
               f"--robust={robust}" if robust != "nash" else "",
               f"--margin={margin}" if margin is not None else "",
               "--transfers" if transfers else "", "--pessimistic" if pessimistic else "",
               f"--scenarios={scenarios}" if scenarios else "",
               f"--seed={seed}" if scenarios else "",
               f"--confidence={confidence:g}" if confidence < 1 else "",
               f"--solver={solver}" if solver != "cbc" else "",
               *(f"--set={a}" for a in assignments)]
    command = _canonical_command("optimize", game, *options)
    _emit(build_optimize_report(symbolic, result, command, symbolic.values_with(overrides)),
          out_dir, no_report, as_json, optimize_summary)
    results = result if isinstance(result, list) else [result]
    if not any(_succeeded(r) for r in results):
        raise click.exceptions.Exit(1)


def _succeeded(result) -> bool:
    if result.mode == "commit":
        return bool(result.commitment) and result.verified
    return result.cost is not None and result.verified


@cli.command(epilog=EXAMPLES)
@click.argument("name")
@click.option("--out", "out_path", type=click.Path(dir_okay=False), default=None,
              help="Where to write the file (default: NAME.yaml).")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@handle_errors
def new(name: str, out_path: str | None, force: bool) -> None:
    """Write a commented game file to start from."""
    from .api import new_game_text

    path = Path(out_path or f"{name}.yaml")
    if path.exists() and not force:
        _fail(f"error: {path} exists; use --force to overwrite it", 2)
    _write_file(path, new_game_text(name), hint=f"; try: policy solve {path}")


@cli.command(epilog=EXAMPLES)
@click.argument("game")
@click.option("--to", "fmt", type=click.Choice(["nfg"]), default="nfg", show_default=True,
              help="Output format (Gambit strategic form).")
@set_option
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write to this file instead of stdout.")
@handle_errors
def export(game: str, fmt: str, assignments: tuple[str, ...], output: str | None) -> None:
    """Export GAME (at its values, or --set ones) to another format."""
    from .api import load, parse_overrides
    from .nfg import to_nfg

    symbolic = load(game)
    values = symbolic.values_with(parse_overrides(symbolic, assignments))
    text = to_nfg(symbolic.spec, values)
    if output:
        _write_file(output, text)
    else:
        click.echo(text, nl=False)


@cli.command("report", epilog=EXAMPLES)
@click.argument("game", required=False)
@click.option("--all", "all_games", is_flag=True, help="A report for every bundled game.")
@set_option
@click.option("--vary", "axes", multiple=True, metavar="NAME=START:STOP:POINTS",
              help="Axes of the phase diagram (once or twice); default: two parameters with a "
                   "declared range that appear in a threshold, 101 points each.")
@click.option("--samples", type=click.IntRange(1, 1_000_000), default=2000, show_default=True,
              help="Draws of the uncertain parameters (those that declare a dist:).")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--timestamp", is_flag=True,
              help="Record the time of generation (off by default: same input, same bytes).")
@json_option
@out_option
@handle_errors
def report(game: str | None, all_games: bool, assignments: tuple[str, ...], axes: tuple[str, ...],
           samples: int, seed: int, timestamp: bool, as_json: bool, out_dir: str) -> None:
    """Run the whole pipeline and write one report a reader needs no Python for.

    Check, solve, analyze, optimize, a phase diagram and the uncertainty: writes
    OUT/<game>/index.html (self-contained: inline CSS, SVG figures and MathML),
    index.md, report.json and its figures (report-*.png/.svg, names no other command
    writes), then OUT/index.html listing every report.
    """
    import datetime

    from .api import full_report, load, parse_overrides
    from .gamefile import bundled_games
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
        symbolic = load(name)
        command = _canonical_command(
            "report", name, *(f"--set={a}" for a in assignments), *(f"--vary={a}" for a in axes),
            f"--samples={samples}" if samples != 2000 else "", f"--seed={seed}" if seed else "")
        document = full_report(symbolic, parse_overrides(symbolic, assignments), axes=grid,
                               samples=samples, seed=seed, command=command, timestamp=stamp)
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

"""The ``policy`` command line: parse options → call the API → render → exit code.

Exit codes: 0 success; 1 ran fine but the answer is negative (``check`` found
problems); 2 bad input or usage (one line on stderr, no traceback); 3 an
internal error (a bug: please report it); 130 interrupted.
"""

from __future__ import annotations

import functools
import json
import os
import shlex
import sys
from pathlib import Path
from typing import Callable

import click

from . import __version__
from .errors import PolicyError

EXAMPLES = """
\b
Examples:
  policy list
  policy solve inspection
  policy solve games/platform_entry.yaml --set entry_subsidy=2 --json
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


def _canonical_command(*parts: str) -> str:
    return " ".join(["policy", *(shlex.quote(p) for p in parts if p)])


set_option = click.option(
    "--set", "assignments", multiple=True, metavar="NAME=VALUE",
    help="Override a parameter or control (repeatable), e.g. --set f=12 --set subsidy=1/2.")
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
@click.option("--no-report", is_flag=True, help="Do not write report files.")
@handle_errors
def solve(game: str, assignments: tuple[str, ...], method: str, as_json: bool,
          out_dir: str, no_report: bool) -> None:
    """Find every Nash equilibrium of GAME, verified, and write a report.

    Writes OUT/<game>/solve.md and solve.json (atomically) unless --no-report.
    """
    from .api import load, parse_overrides
    from .equilibria import find_equilibria
    from .report import build_solve_report, to_json, write_report
    from .report.text import solve_summary

    symbolic = load(game)
    overrides = parse_overrides(symbolic, assignments)
    result = find_equilibria(symbolic.bind(overrides), method=method)
    command = _canonical_command("solve", game, *(f"--set={a}" for a in assignments),
                                 f"--method={method}" if method != "auto" else "")
    report = build_solve_report(symbolic, result, command)
    if not no_report:
        written = write_report(report, Path(out_dir) / symbolic.name)
        click.echo("wrote " + ", ".join(str(p) for p in written), err=True)
    if as_json:
        click.echo(to_json(report), nl=False)
    else:
        click.echo(solve_summary(report))


@cli.command(epilog=EXAMPLES)
@click.argument("name")
@click.option("--out", "out_path", type=click.Path(dir_okay=False), default=None,
              help="Where to write the file (default: NAME.yaml).")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@handle_errors
def new(name: str, out_path: str | None, force: bool) -> None:
    """Write a commented game file to start from."""
    from .api import new_game_text
    from .report.writer import write_files

    path = Path(out_path or f"{name}.yaml")
    if path.exists() and not force:
        _fail(f"error: {path} exists; use --force to overwrite it", 2)
    write_files(path.parent if str(path.parent) else Path("."), {path.name: new_game_text(name)})
    click.echo(f"wrote {path}; try: policy solve {path}", err=True)


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
    from .report.writer import write_files

    symbolic = load(game)
    values = symbolic.values_with(parse_overrides(symbolic, assignments))
    text = to_nfg(symbolic.spec, values)
    if output:
        path = Path(output)
        write_files(path.parent if str(path.parent) else Path("."), {path.name: text})
        click.echo(f"wrote {path}", err=True)
    else:
        click.echo(text, nl=False)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="policy")


if __name__ == "__main__":  # pragma: no cover
    main()

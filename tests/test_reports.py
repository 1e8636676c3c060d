"""The full report (`policy report`): content, HTML that stands alone, and the
committed reports of the bundled games, which must regenerate byte for byte."""

import json
import os
import re
import shlex
import stat
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

import policy
from policy.api import full_report
from policy.cli import cli
from policy.loader import bundled_games
from policy.report import write_report
from policy.report.document import library_versions
from policy.report.html import to_html
from policy.report.render import to_json, to_markdown
from policy.report.writer import write_index

REPORTS = Path(__file__).resolve().parent.parent / "reports"
COMMITTED = sorted(path.parent.name for path in REPORTS.glob("*/report.json"))


class _Page(HTMLParser):
    """Collects what an offline, accessible page must (not) contain."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.remote: list[str] = []
        self.svg_labels: list[str | None] = []
        self.tables = self.headers = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append(tag)
        for name in ("src", "href"):
            if re.match(r"(https?:)?//", attributes.get(name) or ""):
                self.remote.append(attributes[name])
        if tag == "svg" and attributes.get("role") == "img":
            self.svg_labels.append(attributes.get("aria-label"))
        self.tables += tag == "table"
        self.headers += tag == "thead"


@pytest.fixture(scope="module")
def platform_report():
    return full_report("platform_entry", command="policy report platform_entry")


def test_the_summary_says_what_the_regulator_should_do_and_why(platform_report):
    summary = " ".join(platform_report.document["summary"])
    assert "3 stable outcomes" in summary
    assert "selection risk" in summary
    assert "To make it the only outcome" in summary and "scale_levy = 2.001" in summary
    assert "Why:" in summary and "a + entry_subsidy + q >= k" in summary
    assert "Robustness:" in summary and "95% interval" in summary


def test_sections_come_in_the_order_a_reader_needs_them(platform_report):
    from policy.report import to_markdown

    headings = [line for line in to_markdown(platform_report).splitlines() if line.startswith("## ")]
    assert headings == ["## Summary", "## The game", "## Equilibria", "## The likely outcome",
                        "## When is each outcome an equilibrium?", "## What the regulator should do",
                        "## Where the outcome changes: phase diagram", "## Uncertainty",
                        "## References", "## Provenance"]


def test_html_is_self_contained_and_accessible(platform_report):
    page = _Page()
    text = to_html(platform_report)
    page.feed(text)
    assert "script" not in page.tags and not page.remote
    assert "math" in page.tags                       # MathML, no math scripts
    assert page.tags.count("h1") == 1 and page.tables == page.headers > 0
    assert page.svg_labels and all(page.svg_labels)  # every figure has alt text
    assert text.startswith("<!DOCTYPE html>") and '<html lang="en">' in text
    assert "<title>" in text and "@media print" in text


def test_hostile_text_in_a_game_file_is_escaped(tmp_path):
    source = (Path(policy.__file__).parent.parent / "games" / "prisoners_dilemma.yaml").read_text()
    hostile = tmp_path / "hostile.yaml"
    hostile.write_text(re.sub(r"^title: .*$", 'title: "<script>alert(1)</script> $x$"', source,
                              flags=re.M))
    text = to_html(full_report(hostile))
    assert "<script>" not in text and "&lt;script&gt;" in text


def test_notebooks_show_the_same_pieces(platform_report):
    fragment = _notebook_shell().display(platform_report)
    assert '<h2 id="summary">Summary</h2>' in fragment and "<math" in fragment
    assert "<!DOCTYPE" not in fragment


def test_report_files_are_readable_and_deterministic(tmp_path):
    runner = CliRunner()
    outputs = []
    for run in range(2):
        out = tmp_path / f"run{run}"
        result = runner.invoke(cli, ["report", "inspection", "--out", str(out), "--vary", "g=0:10:21"])
        assert result.exit_code == 0, result.output
        outputs.append({p.relative_to(out).as_posix(): p.read_bytes()
                        for p in sorted(out.rglob("*")) if p.is_file()})
    assert outputs[0] == outputs[1]
    assert {"index.html", "README.md", "inspection/index.html", "inspection/index.md",
            "inspection/report.json", "inspection/report-sweep.svg"} <= set(outputs[0])
    mode = (tmp_path / "run0" / "inspection" / "index.html").stat().st_mode
    assert mode & stat.S_IRUSR and mode & stat.S_IRGRP  # not mkstemp's 0600
    stamped = runner.invoke(cli, ["report", "matching_pennies", "--out", str(tmp_path / "t"),
                                  "--timestamp", "--json"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ",
                        json.loads(stamped.stdout)["provenance"]["generated"])


def test_report_usage_errors():
    runner = CliRunner()
    assert runner.invoke(cli, ["report"]).exit_code == 2
    both = runner.invoke(cli, ["report", "--all", "--set", "f=1"])
    assert both.exit_code == 2 and "--set and --vary apply to one GAME" in both.output


def test_every_bundled_game_has_a_committed_report():
    assert COMMITTED == sorted(bundled_games()), "regenerate with: policy report --all"


@pytest.mark.parametrize("game", COMMITTED)
def test_committed_reports_regenerate_byte_for_byte(game, tmp_path):
    committed = json.loads((REPORTS / game / "report.json").read_text(encoding="utf-8"))
    recorded = committed["provenance"]["libraries"]
    if recorded != library_versions():
        # Other library releases may change figures and digits. CI installs the recorded
        # versions (.ci/constraints.txt), so there a mismatch is a failure, not a skip.
        mismatch = (f"reports/ was generated with {recorded}; installed: {library_versions()}. "
                    "Install with PIP_CONSTRAINT=.ci/constraints.txt, or regenerate with: "
                    "policy report --all (and update .ci/constraints.txt)")
        if os.environ.get("CI"):
            pytest.fail(mismatch)
        pytest.skip(mismatch)
    arguments = shlex.split(committed["provenance"]["command"])[1:]
    result = CliRunner().invoke(cli, arguments + ["--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    fresh = {p.name: p.read_bytes() for p in sorted((tmp_path / game).iterdir())}
    kept = {p.name: p.read_bytes() for p in sorted((REPORTS / game).iterdir())}
    assert sorted(fresh) == sorted(kept)
    changed = [name for name in fresh if fresh[name] != kept[name]]
    assert not changed, f"{game}: {changed} differ; regenerate with: policy report --all"


def test_ci_installs_the_library_versions_the_committed_reports_record():
    pinned = {}
    for line in (Path(__file__).parents[1] / ".ci" / "constraints.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, version = line.split("==")
            pinned[name.lower()] = version
    for game in COMMITTED:
        recorded = json.loads((REPORTS / game / "report.json").read_text())["provenance"]["libraries"]
        for library in recorded.split(", "):
            name, version = library.split(" ")
            assert pinned.get(name.lower()) == version, f"{game}: {library}; pinned: {pinned}"


def test_the_committed_index_lists_every_report(tmp_path):
    for game in COMMITTED:
        (tmp_path / game).mkdir()
        (tmp_path / game / "report.json").write_bytes((REPORTS / game / "report.json").read_bytes())
    write_index(tmp_path)
    for name in ("index.html", "README.md"):
        assert (tmp_path / name).read_bytes() == (REPORTS / name).read_bytes()


def test_write_report_names_the_full_report_files(platform_report, tmp_path):
    written = {p.name for p in write_report(platform_report, tmp_path)}
    assert {"index.html", "index.md", "report.json", "report-sweep.png", "report-sweep.svg"} <= written


class _Formatter(dict):
    """IPython's formatter API as far as policy uses it: ``for_type`` and a lookup."""

    def for_type(self, kind, function):
        self[kind] = function

    def __call__(self, obj):
        return next((f(obj) for kind, f in self.items() if isinstance(obj, kind)), None)


class _Shell:
    """A stand-in for ``get_ipython()``: a display formatter per MIME type."""

    def __init__(self):
        from types import SimpleNamespace

        self.display_formatter = SimpleNamespace(formatters={"text/html": _Formatter(),
                                                             "text/markdown": _Formatter()})

    def display(self, obj, mime="text/html"):
        return self.display_formatter.formatters[mime](obj)


def _notebook_shell():
    shell = _Shell()
    policy.load_ipython_extension(shell)
    return shell


def test_results_show_their_report_section_in_notebooks():
    from policy.optimize import cheapest_implementation, optimal_commitment

    shell = _notebook_shell()
    solved = shell.display(policy.solve("platform_entry"))
    assert "<h2>Equilibria</h2>" in solved and solved.count("<tr>") == 4  # header + 3 equilibria
    commitment = shell.display(optimal_commitment(policy.load("inspection")))
    assert "<h2>Optimal commitment</h2>" in commitment
    implementation = shell.display(cheapest_implementation(policy.load("platform_entry"),
                                                           {"entrant": "enter"}))
    assert "Cheapest implementation" in implementation and "<script" not in implementation


def test_reports_are_frozen_typed_data_whose_json_is_their_fields(platform_report):
    import dataclasses

    from policy.report import FullReport, SolveReport, to_json

    assert isinstance(platform_report, FullReport)
    assert isinstance(platform_report.stages.solve, SolveReport)
    with pytest.raises(dataclasses.FrozenInstanceError):
        platform_report.title = "changed"
    document = json.loads(to_json(platform_report))
    assert document == platform_report.document
    assert list(document)[:3] == ["game", "title", "summary"]
    assert document["stages"]["solve"]["method"] == platform_report.stages.solve.solution.method
    retitled = dataclasses.replace(platform_report, title="Another title")
    assert "# Another title (`platform_entry`)" in policy.report.to_markdown(retitled)


def test_results_know_nothing_about_rendering():
    """Only the later stages (the report package itself, the kinds, the API and the CLI) import
    ``report``; no result class has a ``_repr_html_`` of its own."""
    package = Path(policy.__file__).parent
    later = {"__init__.py", "api.py", "cli.py", "__main__.py"}
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package)
        if relative.parts[0] in later or relative.parts[0] in ("report", "kinds", "cli"):
            continue
        source = path.read_text()
        assert "_repr_html_" not in source, relative
        assert not re.search(r"^\s*(from|import)\s+(\.+|policy\.)report\b", source, re.M), relative


def test_importing_policy_in_ipython_registers_the_formatters():
    """In a running IPython (a notebook), ``import policy`` is all it takes: a fresh
    interpreter whose ``IPython.get_ipython()`` returns a shell, then ``import policy``."""
    import subprocess
    import sys

    script = ("import sys, types\n"
              "class Formatter(dict):\n"
              "    def for_type(self, kind, function):\n"
              "        self[kind] = function\n"
              "shell = types.SimpleNamespace(display_formatter=types.SimpleNamespace(\n"
              "    formatters={'text/html': Formatter(), 'text/markdown': Formatter()}))\n"
              "sys.modules['IPython'] = types.SimpleNamespace(get_ipython=lambda: shell)\n"
              "import policy\n"
              "html = shell.display_formatter.formatters['text/html'][policy.EquilibriumSet]\n"
              "print('<h2>Equilibria</h2>' in html(policy.solve('prisoners_dilemma')))\n")
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert run.stdout.strip().splitlines()[-1:] == ["True"], run.stderr


HOSTILE_TEXT = ('![x](https://evil.example/x.png) [y](https://evil.example/y) '
                '<img src="http://evil.example/z.png"> *emphasis* _under_ `tick` &amp;')

LICENSING = """\
name: licensing_words
title: "{text}"
description: "{text}"
claim: "{text}"
references: ["{text}"]
parameters:
  v: {{value: 3, description: "{text}", range: [0, 10], dist: "uniform(0, 6)"}}
  c_lic: {{value: 1, description: "{text}", range: [0, 5], positive: true}}
  n: {{value: 4, description: "{text}", range: [1, 10], positive: true}}
controls:
  fine_rate: {{value: 0, bounds: [0, 10], cost: 1, description: "{text}"}}
players:
  regulator_side: [comply, evade]
  operator_net: [enter, stay_out]
target: {{regulator_side: comply}}
payoffs:
  comply: {{enter: [2*v - c_lic*n, 1], stay_out: [v, 0]}}
  evade: {{enter: [v - fine_rate, 2], stay_out: [c_lic*n - v, 0]}}
"""


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory):
    path = tmp_path_factory.mktemp("hostile") / "licensing_words.yaml"
    path.write_text(LICENSING.format(text=HOSTILE_TEXT.replace('"', '\\"')))
    return full_report(path, command="policy report licensing_words")


def test_free_text_never_becomes_remote_tags_or_formatting(hostile_report, tmp_path):
    write_report(hostile_report, tmp_path / "licensing_words")
    write_index(tmp_path)
    page = (tmp_path / "licensing_words" / "index.html").read_text()
    for text in (page, (tmp_path / "index.html").read_text()):
        assert "<img" not in text and '<a href="http' not in text and 'src="http' not in text
        assert "<em>" not in text
    parsed = _Page()
    parsed.feed(page)
    assert not parsed.remote
    literal = HOSTILE_TEXT.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") \
        .replace('"', "&quot;")
    assert literal in page  # title, description, claim, references, parameters: all literal
    for markdown in ((tmp_path / "licensing_words" / "index.md").read_text(),
                     (tmp_path / "README.md").read_text()):
        assert "![x](https" not in markdown and "[y](https" not in markdown
        assert not re.search(r"(?<!\\)<img", markdown)  # only as escaped text


def test_conditions_in_the_summary_are_maths_not_emphasis(hostile_report):
    page = to_html(hostile_report)
    summary = page[page.index('id="summary"'):page.index("<h2>The game</h2>")]
    assert "<em>" not in summary and "c_licn" not in summary and "2v" not in summary
    assert "<math" in summary


def _summary_with(platform_report, **changes) -> str:
    """The plain summary of platform_entry with the policies of optimize stages replaced."""
    from dataclasses import replace

    from policy.report.summary import plain_summary, sentence_text

    stages = platform_report.stages
    for stage, fields in changes.items():
        part = getattr(stages, stage)
        stages = replace(stages, **{stage: replace(part, policy=replace(part.policy, **fields))})
    return " ".join(sentence_text(s) for s in plain_summary(stages))


def test_the_summary_never_recommends_a_policy_that_failed_verification(platform_report):
    reason = "re-solving with entry_subsidy = 0 finds the target is not an equilibrium"
    summary = _summary_with(platform_report, optimize={"verified": False, "verification": reason})
    assert "failed verification, so it is not recommended: " + reason in summary
    assert "needs to do nothing" not in summary and "Why:" not in summary
    assert "under the recommended policy" not in summary
    unique = _summary_with(platform_report, optimize_unique={"verified": False,
                                                             "verification": reason})
    assert "To make it the only outcome" not in unique
    assert "make it the only outcome (scale_levy = 2.001" in unique and reason in unique


def test_an_infeasible_goal_is_said_to_be_out_of_reach_not_to_have_failed(platform_report):
    why = "entrant's deviation to stay_out cannot be deterred within the control bounds"
    summary = _summary_with(platform_report, optimize={
        "verified": False, "verification": "", "cost": None, "controls": {},
        "status": "infeasible", "explanation": why})
    assert "The regulator cannot bring about “incumbent=restrain, entrant=enter” with the " \
           "controls available: " + why in summary
    assert "failed verification" not in summary


def test_the_robustness_sentence_says_what_was_drawn_in_words(platform_report, hostile_report):
    summary = " ".join(platform_report.document["summary"])
    sentence = summary[summary.index("Robustness:"):]
    assert "s from uniform(0, 4)" in sentence and "dist:" in sentence
    assert "without intervention the goal (incumbent=restrain, entrant=enter) is an " \
           "equilibrium in" in sentence
    assert "range" not in sentence and "·" not in sentence and "|" not in sentence
    assert "{" not in sentence and "mixes expand and restrain" in sentence
    assert "the recommended policy changes no control" in sentence
    hostile = " ".join(hostile_report.document["summary"])
    assert "under the recommended policy (fine_rate = 1) the goal" in hostile


DEGENERATE_3X3 = """\
name: tied_rows
parameters:
  a: {value: 1, range: [0, 2]}
  b: {value: 1, range: [0, 2]}
players:
  row: [r0, r1, r2]
  column: [c0, c1, c2]
payoffs:
  r0: {c0: [1, a], c1: [0, 1], c2: [0, b]}
  r1: {c0: [1, 0], c1: [0, 2], c2: [0, 1]}
  r2: {c0: [0, 1], c1: [a, 0], c2: [b, 2]}
"""


def test_a_report_of_a_game_degenerate_everywhere_draws_fewer_points_and_says_why(tmp_path,
                                                                                  monkeypatch):
    """Rows r0 and r1 tie against c0 at every point: each grid point goes to the exact
    engine; the report's diagram keeps within POLICY_LIMIT_REPORT_EXACT_POINTS points,
    the same for every run, and says so in its Markdown and JSON."""
    path = tmp_path / "tied_rows.yaml"
    path.write_text(DEGENERATE_3X3)
    monkeypatch.setenv("POLICY_LIMIT_REPORT_EXACT_POINTS", "400")
    report = policy.full_report(str(path), timestamp="fixed")
    sweep_part = report.stages.sweep
    assert [axis[2] for axis in sweep_part.grid.values()] == [20, 20]
    assert sweep_part.exact_points <= 400
    assert sweep_part.note.startswith("The diagram has 20 points per axis, not 101:")
    assert "POLICY_LIMIT_REPORT_EXACT_POINTS" in sweep_part.note
    assert sweep_part.note in to_markdown(report)
    assert json.loads(to_json(report))["stages"]["sweep"]["note"] == sweep_part.note
    assert policy.full_report(str(path), timestamp="fixed") == report  # deterministic


def test_a_policy_that_lowers_a_control_from_its_declared_value_is_said_not_called_nothing():
    # audit_and_entry declares fine = 6; the cheapest outcome needs fine = 0, which costs 0:
    # the summary must name the change rather than say the regulator does nothing
    text = (REPORTS / "audit_and_entry" / "index.md").read_text()
    assert "the regulator should set fine = 0, at a cost of 0" in text
    assert "needs to do nothing" not in text

"""Render reports as self-contained HTML: the Markdown rendering, converted with
markdown-it-py, math as MathML (latex2mathml), figures as inline SVG, inline CSS.

The report package's flow: result objects → typed report (:mod:`.model`) →
Markdown (:mod:`.render`) → HTML here → files (:mod:`.writer`) or a notebook
(:mod:`.notebook`). No scripts, no network: the file reads offline and prints.
Text from game files is escaped by the Markdown renderer (raw HTML is off).

>>> fragment = markdown_html("Payoff $\\\\frac{1}{2}$")
>>> "<math" in fragment and "<script" not in fragment
True
"""

from __future__ import annotations

import html
import re
from typing import Any, Iterable

from .model import IndexEntry, Report
from .render import table, to_markdown
from .words import escape

__all__ = ["to_html", "html_fragment", "markdown_html", "index_html", "index_markdown"]

STYLE = """
:root { color-scheme: light; --ink: #1d232a; --muted: #5b6570; --rule: #d4d9de; --accent: #1f5f99; }
* { box-sizing: border-box; }
body { font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       color: var(--ink); max-width: 62rem; margin: 2rem auto; padding: 0 1.25rem; }
h1 { font-size: 1.8rem; line-height: 1.25; margin-top: 0; }
h2 { font-size: 1.35rem; margin-top: 2.2rem; border-bottom: 1px solid var(--rule); padding-bottom: .25rem; }
h3 { font-size: 1.1rem; margin-top: 1.6rem; }
h4 { font-size: 1rem; margin-top: 1.2rem; }
a { color: var(--accent); }
table { border-collapse: collapse; margin: .75rem 0; display: block; overflow-x: auto; max-width: 100%; }
th, td { border: 1px solid var(--rule); padding: .3rem .6rem; text-align: left; vertical-align: top; }
th { background: #f3f5f7; }
code { font: .9em/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
       background: #f3f5f7; padding: .05rem .25rem; border-radius: 3px; }
svg { max-width: 100%; height: auto; display: block; margin: .75rem 0; }
math { font-size: 1.05em; math-style: normal; }  /* fractions at full size, not script size */
p, li { overflow-x: auto; }  /* a long formula scrolls in its paragraph, not the page */
#summary + p, #summary ~ p { max-width: 48rem; }
.summary { background: #eef5fb; border-left: 4px solid var(--accent); padding: .5rem 1rem; }
footer { color: var(--muted); font-size: .85rem; margin-top: 3rem; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; }
               svg, table { break-inside: avoid; } a { color: inherit; } }
"""


def _mathml(latex: str, options: Any = None) -> str:
    """MathML for a LaTeX string; the LaTeX itself (as code) if it cannot be converted."""
    from latex2mathml.converter import convert

    try:
        return convert(latex)
    except Exception:  # noqa: BLE001 - any converter failure: show the source instead
        return f"<code>{html.escape(latex)}</code>"


def _renderer(figures: dict[str, bytes | str]):
    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath import dollarmath_plugin

    markdown = MarkdownIt("commonmark", {"html": False}).enable("table")
    markdown.use(dollarmath_plugin, renderer=_mathml)

    def image(renderer, tokens, index, options, env) -> str:
        token = tokens[index]
        source = token.attrGet("src") or ""
        alt = html.escape("".join(child.content for child in token.children or []), quote=True)
        svg = figures.get(re.sub(r"\.png$", ".svg", str(source)))
        if isinstance(svg, str):
            return _inline_svg(svg, alt)
        return f'<img src="{html.escape(str(source), quote=True)}" alt="{alt}">'

    markdown.add_render_rule("image", image)
    return markdown


def _inline_svg(svg: str, alt: str) -> str:
    """A matplotlib SVG ready to sit inside HTML: no XML prolog, labelled for screen readers."""
    body = svg[svg.index("<svg"):]
    opening_end = body.index(">")
    return (body[:opening_end] + f' role="img" aria-label="{alt}">' + f"<title>{alt}</title>"
            + body[opening_end + 1:])


def markdown_html(markdown: str, figures: Iterable[tuple[str, bytes | str]] = ()) -> str:
    """Report Markdown as HTML, its images replaced by the matching inline SVG figures."""
    return _renderer(dict(figures)).render(markdown)


def html_fragment(report: Report, body: str | None = None) -> str:
    """The report's content as HTML (no page wrapper), e.g. for a notebook."""
    markdown = body if body is not None else to_markdown(report)
    rendered = markdown_html(markdown, report.figures)
    if report.kind == "report":  # the summary first, set apart
        rendered = rendered.replace('<h2>Summary</h2>', '<h2 id="summary">Summary</h2>', 1)
    return rendered


def to_html(report: Report, body: str | None = None) -> str:
    """One self-contained HTML page (inline CSS and SVG, MathML, no scripts)."""
    title = html.escape(report.title or report.game)
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{title} — policy report</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
            f"<main>\n{html_fragment(report, body)}</main>\n"
            "<footer>Generated by <code>policy</code>. Self-contained: no scripts, no network."
            "</footer>\n</body>\n</html>\n")


def index_html(entries: Iterable[IndexEntry]) -> str:
    """``reports/index.html``: every report in the folder, with its first summary line."""
    rows = "\n".join(
        f'<tr><th scope="row"><a href="{html.escape(game)}/index.html">{html.escape(title)}</a></th>'
        f'<td><code>{html.escape(game)}</code></td><td>{html.escape(first)}</td></tr>'
        for game, title, first in ((e.game, e.title, e.first_sentence) for e in entries))
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>policy reports</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n"
            "<h1>Reports</h1>\n<table>\n<thead><tr><th scope=\"col\">Game</th>"
            "<th scope=\"col\">Name</th><th scope=\"col\">At the current values</th></tr></thead>\n"
            f"<tbody>\n{rows}\n</tbody>\n</table>\n</main>\n</body>\n</html>\n")


def index_markdown(entries: Iterable[IndexEntry]) -> str:
    """``reports/README.md``: the same list, for browsing the folder on GitHub."""
    lines = ["# Reports", ""]
    lines += table(["Game", "Name", "At the current values"], [
        (f"[{escape(entry.title)}]({entry.game}/index.md)", f"`{entry.game}`",
         escape(entry.first_sentence)) for entry in entries])
    return "\n".join(lines) + "\n"

"""Notebook display: result objects and reports shown as HTML in IPython/Jupyter.

Results (:class:`~policy.EquilibriumSet`, commitment and implementation results)
know nothing about rendering; this module, the last step of the report package,
teaches IPython to show them: :func:`register_formatters` adds ``text/html``
formatters (and ``text/markdown`` for reports) to an IPython shell. It runs by
itself when ``policy`` is imported inside IPython or Jupyter, and through
``%load_ext policy`` (see ``policy.load_ipython_extension``).

The HTML is the section a report shows: results → typed report data
(:mod:`.document`, :mod:`.model`) → Markdown (:mod:`.render`) → HTML (:mod:`.html`).

>>> import policy
>>> page = equilibria_html(policy.solve("prisoners_dilemma"))
>>> "<h2>Equilibria</h2>" in page and "<script" not in page
True
"""

from __future__ import annotations

from typing import Any, Callable

from ..equilibria import EquilibriumSet
from ..optimize import CommitmentResult, ImplementationResult
from .document import commitment_document, equilibria_document, implementation_document
from .html import html_fragment, markdown_html
from .model import REPORT_TYPES, Report
from .render import commitment_markdown, equilibria_markdown, implementation_markdown, to_markdown

__all__ = ["register_formatters", "equilibria_html", "commitment_html", "implementation_html",
           "report_html", "report_markdown"]


def _fragment(lines: list[str]) -> str:
    return markdown_html("\n".join(lines) + "\n")


def equilibria_html(result: EquilibriumSet) -> str:
    """The equilibria and diagnostics sections of a solve, as HTML."""
    return _fragment(equilibria_markdown(list(result.game.players), equilibria_document(result)))


def commitment_html(result: CommitmentResult) -> str:
    """The optimal-commitment section of a report, as HTML."""
    return _fragment(commitment_markdown(commitment_document(result)))


def implementation_html(result: ImplementationResult) -> str:
    """The cheapest-implementation section of a report, as HTML."""
    return _fragment(implementation_markdown(implementation_document(result),
                                             "## Cheapest implementation"))


def report_html(report: Report) -> str:
    """A whole report as HTML without the page around it (the pieces of ``index.html``)."""
    return html_fragment(report)


def report_markdown(report: Report) -> str:
    """A whole report as Markdown."""
    return to_markdown(report)


#: Which function shows which type, per MIME type.
FORMATTERS: dict[str, tuple[tuple[type, Callable[[Any], str]], ...]] = {
    "text/html": ((EquilibriumSet, equilibria_html), (CommitmentResult, commitment_html),
                  (ImplementationResult, implementation_html),
                  *((kind, report_html) for kind in REPORT_TYPES)),
    "text/markdown": tuple((kind, report_markdown) for kind in REPORT_TYPES),
}


def register_formatters(shell: Any) -> None:
    """Teach an IPython shell (``get_ipython()``) to show results and reports as HTML.

    Parameters
    ----------
    shell
        Anything with IPython's ``display_formatter.formatters`` mapping of MIME
        type to formatter (each with ``for_type(type, function)``).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> class Formatter(dict):
    ...     def for_type(self, kind, function):
    ...         self[kind] = function
    >>> shell = SimpleNamespace(display_formatter=SimpleNamespace(
    ...     formatters={"text/html": Formatter(), "text/markdown": Formatter()}))
    >>> register_formatters(shell)
    >>> shell.display_formatter.formatters["text/html"][EquilibriumSet] is equilibria_html
    True
    """
    formatters = shell.display_formatter.formatters
    for mime, pairs in FORMATTERS.items():
        for kind, function in pairs:
            formatters[mime].for_type(kind, function)

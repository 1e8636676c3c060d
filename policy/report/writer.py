"""Atomic, all-or-nothing writing of report files.

The report package's last step: result objects → typed report (:mod:`.model`) →
Markdown and JSON (:mod:`.render`), HTML (:mod:`.html`) → the files written here,
all of them or none.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Iterable, Mapping

from ..errors import ReportError
from .html import index_html, index_markdown, to_html
from .model import IndexEntry, Report
from .render import to_json, to_markdown

__all__ = ["write_files", "write_report", "write_index"]


def _file_mode() -> int:
    """rw for everyone the umask allows, like a file created by ``open`` (mkstemp
    alone would give 0600)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


_FILE_MODE = _file_mode()


def _remove_quietly(paths) -> None:
    for path in paths:
        try:
            os.unlink(path)
        except OSError:
            pass


def write_files(directory: Path, files: Mapping[str, str | bytes | Iterable[str]]) -> list[Path]:
    """Write every ``name → text or bytes`` into ``directory``: all of them, or none.
    A text may also be given as an iterable of pieces, written as they come (a large
    file is then never whole in memory).

    Each file is first written to a temporary file in the same directory and
    flushed. Existing targets are kept as hard-linked backups while the
    temporary files are renamed over them; if any step fails (disk full,
    read-only folder, Ctrl-C), the backups are restored, so the earlier reports
    stay exactly as they were and no temporary file is left behind.
    """
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise ReportError(f"cannot create report folder: {err.strerror}", path=str(directory)) from None
    temporaries: list[tuple[str, Path]] = []
    backups: dict[Path, str] = {}
    replaced: list[Path] = []
    try:
        for name, text in files.items():
            handle, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=directory)
            temporaries.append((temporary, directory / name))
            binary = isinstance(text, bytes)
            os.chmod(temporary, _FILE_MODE)
            with (os.fdopen(handle, "wb") if binary
                  else os.fdopen(handle, "w", encoding="utf-8", newline="\n")) as stream:
                for piece in ((text,) if isinstance(text, (str, bytes)) else text):
                    stream.write(piece)
                stream.flush()
                os.fsync(stream.fileno())
        for _, target in temporaries:
            if target.exists():
                backup = tempfile.mktemp(prefix=f".{target.name}.", suffix=".bak", dir=directory)
                os.link(target, backup)
                backups[target] = backup
        for temporary, target in temporaries:
            os.replace(temporary, target)
            replaced.append(target)
    except BaseException as err:
        for target in replaced:
            if target in backups:
                try:
                    os.rename(backups.pop(target), target)
                except OSError:
                    pass
            else:
                _remove_quietly([target])
        _remove_quietly([t for t, _ in temporaries] + list(backups.values()))
        if isinstance(err, OSError):
            raise ReportError(f"cannot write report: {err.strerror or err}",
                              path=str(directory)) from None
        raise
    _remove_quietly(backups.values())
    return [target for _, target in temporaries]


#: The figure files each report kind writes (and so may remove when they are stale).
OWN_FIGURES = {"sweep": ("sweep.*", "paths.*", "policy.*", "selection-map.*"),
               "solve": ("selection.*", "tree.*"),
               "report": ("report-*",)}
FIGURE_SUFFIXES = (".png", ".svg")


def write_report(report: Report, directory: Path | str) -> list[Path]:
    """Write ``<kind>.md``, ``<kind>.json`` and the report's figures into ``directory``;
    the full report (kind ``report``) as ``index.md``, ``index.html``, ``report.json``
    and ``report-*.png/.svg``.

    Then remove the figures this kind wrote before that the new report no longer
    shows (a two-axis sweep after a one-axis one leaves no ``paths.png``); the files
    of other commands are never touched.
    """
    directory = Path(directory)
    files: dict[str, str | bytes] = dict(report.figures)
    markdown = to_markdown(report)
    if report.kind == "report":  # the full report, of any kind of game
        files.update({"index.md": markdown, "index.html": to_html(report, markdown),
                      "report.json": to_json(report)})
    else:
        files.update({f"{report.kind}.md": markdown, f"{report.kind}.json": to_json(report)})
    written = write_files(directory, files)
    stale = [path for pattern in OWN_FIGURES.get(report.kind, ()) for path in directory.glob(pattern)
             if path.suffix in FIGURE_SUFFIXES and path.name not in files]
    _remove_quietly(sorted(stale))
    return written


def write_index(folder: Path | str) -> list[Path]:
    """(Re)write ``index.html`` and ``README.md`` in a reports folder, listing every
    ``<game>/report.json`` in it, sorted by game name."""
    folder = Path(folder)
    entries = []
    for path in sorted(folder.glob("*/report.json")):
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # not one of ours, or unreadable: leave it out of the index
        entries.append(IndexEntry.from_json(document))
    return write_files(folder, {"index.html": index_html(entries), "README.md": index_markdown(entries)})

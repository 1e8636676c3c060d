"""Atomic, all-or-nothing writing of report files."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Mapping

from ..errors import ReportError

__all__ = ["write_files", "write_report"]


def _remove_quietly(paths) -> None:
    for path in paths:
        try:
            os.unlink(path)
        except OSError:
            pass


def write_files(directory: Path, files: Mapping[str, str | bytes]) -> list[Path]:
    """Write every ``name → text or bytes`` into ``directory``: all of them, or none.

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
            with (os.fdopen(handle, "wb") if binary
                  else os.fdopen(handle, "w", encoding="utf-8", newline="\n")) as stream:
                stream.write(text)
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


def write_report(report, directory: Path | str) -> list[Path]:
    """Write ``<kind>.md``, ``<kind>.json`` and the report's figures into ``directory``."""
    from .render import to_json, to_markdown

    files: dict[str, str | bytes] = dict(report.figures)
    files[f"{report.kind}.md"] = to_markdown(report)
    files[f"{report.kind}.json"] = to_json(report)
    return write_files(Path(directory), files)

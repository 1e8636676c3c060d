"""Atomic, all-or-nothing writing of report files."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Mapping

from ..errors import ReportError

__all__ = ["write_files", "write_report"]


def write_files(directory: Path, files: Mapping[str, str]) -> list[Path]:
    """Write every ``name → text`` into ``directory``: all of them, or none.

    Each file is first written to a temporary file in the same directory and
    flushed; only when every temporary file is complete are they renamed over
    the targets. On any failure the temporary files are removed and the earlier
    files are left as they were.
    """
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise ReportError(f"cannot create report folder: {err.strerror}", path=str(directory)) from None
    temporaries: list[tuple[str, Path]] = []
    try:
        for name, text in files.items():
            handle, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=directory)
            temporaries.append((temporary, directory / name))
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
                stream.write(text)
                stream.flush()
                os.fsync(stream.fileno())
        for temporary, target in temporaries:
            os.replace(temporary, target)
    except OSError as err:
        for temporary, _ in temporaries:
            try:
                os.unlink(temporary)
            except OSError:
                pass
        raise ReportError(f"cannot write report: {err.strerror or err}", path=str(directory)) from None
    except BaseException:
        for temporary, _ in temporaries:
            try:
                os.unlink(temporary)
            except OSError:
                pass
        raise
    return [target for _, target in temporaries]


def write_report(report, directory: Path | str) -> list[Path]:
    """Write ``<kind>.md`` and ``<kind>.json`` for ``report`` into ``directory``."""
    from .render import to_json, to_markdown

    return write_files(Path(directory), {
        f"{report.kind}.md": to_markdown(report),
        f"{report.kind}.json": to_json(report),
    })

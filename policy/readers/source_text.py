"""What every reader needs before parsing: a game file's text, bounded in size and decoded.

Where this sits in the data flow: the first step of reading a game file.
:mod:`policy.loader` calls :func:`read_text` on a path, then hands the text to the
reader of its format (:mod:`policy.readers.yaml_normal_form`,
:mod:`policy.readers.nfg`), which call :func:`check_text_length` when given text
directly. Every problem is a :class:`~policy.errors.GameFileError` naming the
path (and the line, when there is one).

Examples
--------
>>> check_text_length("x" * 11, "g.yaml", FileLimits(max_bytes=10))
Traceback (most recent call last):
...
policy.errors.GameFileError: g.yaml: text is 11 characters; at most 10 are allowed (set POLICY_LIMIT_FILE_BYTES to raise this limit)
>>> line_at("a\\nb\\nc", 4)
3
"""

from __future__ import annotations

from pathlib import Path

from ..errors import GameFileError
from ..limits import exceeded
from ..spec import FileLimits

__all__ = ["read_text", "decode", "check_text_length", "line_at"]


def read_text(path: Path, limits: FileLimits) -> tuple[str, bytes]:
    """The text of a game file and its bytes (for the hash), refusing large files.

    Raises
    ------
    GameFileError
        Too large, a directory, missing, unreadable, or not UTF-8.
    """
    try:
        size = path.stat().st_size
        if size > limits.max_bytes:
            raise GameFileError(
                f"file is {size} bytes; at most {limits.max_bytes} are allowed "
                f"({exceeded('file_bytes')})", path=str(path))
        data = path.read_bytes()
    except GameFileError:
        raise
    except IsADirectoryError:
        raise GameFileError("is a directory; expected a game file (.yaml, .yml or .nfg)", path=str(path)) from None
    except FileNotFoundError:
        raise GameFileError("no such file", path=str(path)) from None
    except OSError as err:
        raise GameFileError(f"cannot read file: {err.strerror}", path=str(path)) from None
    return decode(data, str(path)), data


def decode(data: bytes, path: str) -> str:
    """UTF-8 text (a byte-order mark dropped), or an error at the first bad byte's line."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise GameFileError(
            f"not UTF-8 text (byte 0x{data[err.start]:02x} at offset {err.start}); save the file "
            "as UTF-8",
            path=path, line=data[: err.start].count(b"\n") + 1) from None


def check_text_length(text: str, path: str, limits: FileLimits) -> None:
    """Refuse a text longer than the file limit (for text given without a file)."""
    if len(text) > limits.max_bytes:
        raise GameFileError(f"text is {len(text)} characters; at most {limits.max_bytes} are "
                            f"allowed ({exceeded('file_bytes')})", path=path)


def line_at(text: str, offset: int) -> int:
    """The 1-based line of a character offset in ``text``."""
    return text[:offset].count("\n") + 1

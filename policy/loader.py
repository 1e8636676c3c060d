"""A game by file path or bundled name → the reader of its format → a :class:`~policy.spec.GameSpec`.

Where this sits in the data flow: after the readers (:mod:`policy.readers`) and
before the model stage (:mod:`policy.symbolic`); :func:`policy.api.load` (``policy.load``) and the
command line load every game through here. This is the one place that knows
which reader reads which file and where the bundled games are.

*Choosing the reader*: a file is read as text first (bounded in size, decoded as
UTF-8: :func:`policy.readers.source_text.read_text`), then :data:`READERS`
decides by its suffix; a file of another suffix whose text starts with ``NFG``
(``EFG``) is a Gambit strategic-form (extensive-form) file; anything else is
YAML: a game tree when a line starts with the key ``tree:``
(:mod:`policy.readers.yaml_tree`), else a matrix game.

*Bundled games* are the ``.yaml``, ``.nfg`` and ``.efg`` files of the package
``policy.bundled_games`` (the repository's ``games/`` folder, installed as package
data by ``pyproject.toml``; in editable installs the folder itself), found with
:mod:`importlib.resources`; running from a checkout that is not installed, the
``games/`` folder next to the package.

Examples
--------
>>> spec = load_spec("inspection")
>>> spec.name, spec.source.format, spec.source.path.endswith("inspection.yaml")
('inspection', 'yaml', True)
>>> "prisoners_dilemma" in bundled_games()
True
"""

from __future__ import annotations

import hashlib
import importlib.resources
import os
from pathlib import Path
from typing import Callable, Mapping

from .errors import GameFileError
from .readers.efg import parse_efg
from .readers.nfg import parse_nfg
from .readers.source_text import read_text
from .readers.yaml_market import build_market_spec, is_market_document
from .readers.yaml_normal_form import SpecBuilder, read_yaml_document
from .readers.yaml_population import build_population_spec, is_population_document
from .readers.yaml_tree import build_tree_spec, is_tree_document
from .spec import FileLimits, GameSpec, MarketSpec, PopulationSpec
from .tree_spec import TreeSpec

__all__ = ["READERS", "read_yaml", "load_game", "load_spec", "bundled_games", "resolve_game_path"]

#: A reader: ``(text, path, sha256, limits) → GameSpec`` (or a kind's own spec).
Reader = Callable[..., GameSpec | MarketSpec | PopulationSpec | TreeSpec]

#: File suffix → reader, for every format but YAML. A file of another suffix is read
#: as YAML, unless its text starts with ``NFG`` or ``EFG`` (a Gambit file under
#: another name).
READERS: Mapping[str, Reader] = {".nfg": parse_nfg, ".efg": parse_efg}

#: Suffixes of the bundled game files, in the order :func:`bundled_games` lists them.
_BUNDLED_SUFFIXES = (".yaml", ".nfg", ".efg")


def read_yaml(text: str, path: str = "<string>", sha256: str | None = None,
              limits: FileLimits | None = None
              ) -> GameSpec | MarketSpec | PopulationSpec | TreeSpec:
    """A YAML game file of any kind: a market game when it has a top-level ``market:``
    key (:mod:`policy.readers.yaml_market`), a population game when it has a
    ``population:`` key (:mod:`policy.readers.yaml_population`), a game tree when it has
    a ``tree:`` key (:mod:`policy.readers.yaml_tree`), else a normal-form game."""
    tree, data, default_name, source = read_yaml_document(text, path, sha256, limits)
    if is_tree_document(data):
        return build_tree_spec(tree, data, default_name, source)
    if is_market_document(data):
        return build_market_spec(tree, data, default_name, source)
    if is_population_document(data):
        return build_population_spec(tree, data, default_name, source)
    return SpecBuilder(tree, data, default_name).build(source)


def _reader_for(path: Path, text: str) -> Reader:
    """The reader of a file: by its suffix, else by its first word, else YAML (a tree
    when it has a top-level ``tree:`` key)."""
    reader = READERS.get(path.suffix.lower())
    if reader is not None:
        return reader
    start = text.lstrip()
    if start.startswith("NFG"):
        return parse_nfg
    return parse_efg if start.startswith("EFG") else read_yaml


def load_game(path: str | Path, limits: FileLimits | None = None
              ) -> GameSpec | MarketSpec | PopulationSpec | TreeSpec:
    """Read and validate a game file (``.yaml``/``.yml``, Gambit ``.nfg`` or ``.efg``).

    Raises
    ------
    GameFileError
        One error naming file, line and field.
    """
    path = Path(path)
    limits = limits or FileLimits()
    text, data = read_text(path, limits)
    return _reader_for(path, text)(text, path=str(path), sha256=hashlib.sha256(data).hexdigest(),
                                   limits=limits)


def load_spec(name_or_path: str | Path, limits: FileLimits | None = None
              ) -> GameSpec | MarketSpec | PopulationSpec | TreeSpec:
    """Read a game file, or a bundled game given by name (see :func:`resolve_game_path`)."""
    return load_game(resolve_game_path(name_or_path), limits)


def _bundled_folder() -> Path:
    try:
        folder = importlib.resources.files("policy.bundled_games")
    except ModuleNotFoundError:  # a source checkout on sys.path, not installed
        return Path(__file__).resolve().parent.parent / "games"
    return Path(os.fspath(folder))  # a folder on disk (installed or editable), not a zip


def bundled_games() -> dict[str, Path]:
    """The games shipped with the tool: name → path, sorted by name (YAML, ``.nfg``, ``.efg``).

    >>> "inspection" in bundled_games()
    True
    """
    folder = _bundled_folder()
    return {path.stem: path
            for suffix in _BUNDLED_SUFFIXES for path in sorted(folder.glob(f"*{suffix}"))}


def resolve_game_path(name_or_path: str | Path) -> Path:
    """A game file path: an existing file, or the name of a bundled game.

    Raises
    ------
    GameFileError
        When it is neither, listing the bundled games.
    """
    path = Path(name_or_path)
    if path.exists():
        return path
    bundled = bundled_games()
    if str(name_or_path) in bundled:
        return bundled[str(name_or_path)]
    raise GameFileError(
        f"no such file, and no bundled game of that name; bundled games: "
        f"{', '.join(bundled) or '(none)'}", path=str(name_or_path))

"""Specification of policy.loader: a path or bundled name → the reader of its format → GameSpec."""

from __future__ import annotations

import importlib.resources
import os
from pathlib import Path

import pytest

from policy.errors import GameFileError
from policy.loader import READERS, bundled_games, load_game, load_spec, resolve_game_path
from policy.readers.efg import parse_efg
from policy.readers.nfg import parse_nfg
from policy.spec import GameDeclarations, GameSpec

NFG = 'NFG 1 R "t" { "A" "B" } { { "x" "y" } { "z" } }\n1 1  0 0\n'
YAML = "players: {A: [x, y], B: [z]}\npayoffs: {x: {z: [1, 1]}, y: {z: [0, 0]}}\n"


@pytest.mark.parametrize("name, text, kind", [
    ("g.nfg", NFG, "nfg"), ("g.yaml", YAML, "yaml"), ("g.yml", YAML, "yaml"),
    ("g.txt", YAML, "yaml"), ("g.txt", NFG, "nfg"), ("g.yaml", NFG, "nfg"),
])
def test_the_reader_is_chosen_by_suffix_then_by_the_first_word(tmp_path, name, text, kind):
    path = tmp_path / name
    path.write_text(text)
    spec = load_game(path)
    assert isinstance(spec, GameSpec) and isinstance(spec, GameDeclarations)
    assert spec.source.format == kind and spec.source.path == str(path)
    assert spec.payoffs == ((1, 1), (0, 0))


def test_every_reader_listed_reads_a_format_the_bundled_games_use_or_gambit_writes():
    assert READERS == {".nfg": parse_nfg, ".efg": parse_efg}


def test_bundled_games_are_the_package_data_files_found_by_importlib_resources():
    folder = Path(os.fspath(importlib.resources.files("policy.bundled_games")))
    files = sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".nfg"))
    games = bundled_games()
    assert sorted(games.values()) == files and "inspection" in games
    assert list(games) == sorted(p.stem for p in files if p.suffix == ".yaml") + sorted(
        p.stem for p in files if p.suffix == ".nfg")


def test_a_bundled_name_and_its_path_load_the_same_game():
    path = resolve_game_path("inspection")
    assert path == bundled_games()["inspection"]
    assert load_spec("inspection") == load_game(path) == load_spec(str(path))


def test_a_name_that_is_neither_a_file_nor_bundled_lists_the_bundled_games():
    with pytest.raises(GameFileError) as caught:
        load_spec("no_such_game")
    assert str(caught.value) == ("no_such_game: no such file, and no bundled game of that name; "
                                 f"bundled games: {', '.join(bundled_games())}")

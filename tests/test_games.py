"""Every bundled game is an executed example: it loads, checks, solves and reports."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from policy.api import check_game
from policy.cli import cli
from policy.loader import bundled_games

GAMES = sorted(bundled_games())


def test_the_article_games_are_bundled():
    assert {"platform_entry", "enforcement", "regulatory_capture", "open_source_ai",
            "inspection"} <= set(GAMES)


@pytest.mark.parametrize("name", GAMES)
def test_bundled_game_solves_to_json_and_writes_its_report(name, tmp_path):
    result = CliRunner().invoke(cli, ["solve", name, "--json", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["game"] == name
    assert doc["equilibria"], doc["notes"]  # every finite game has one (Nash, 1950)
    assert all(eq["verified"] for eq in doc["equilibria"])
    assert (tmp_path / name / "solve.md").read_text().startswith("# Equilibria of")


@pytest.mark.parametrize("name", GAMES)
def test_bundled_game_has_no_check_warnings_and_documents_its_parameters(name):
    summary, problems = check_game(name)
    assert problems == []
    from policy import load

    spec = load(name).spec
    assert spec.title and spec.description
    assert all(p.description for p in spec.parameters)
    assert all(c.description and c.bounds for c in spec.controls)


def test_three_player_game_with_regulator_as_leader():
    from policy import load

    spec = load("regulatory_capture").spec
    assert len(spec.players) == 3 and spec.leader == "regulator"


def test_platform_entry_at_defaults_has_the_centralised_and_the_entry_equilibria():
    from fractions import Fraction as F

    import policy

    result = policy.solve("platform_entry")
    pure = {tuple(s.index(F(1)) for s in eq.strategies) for eq in result.pure()}
    assert pure == {(0, 1), (1, 0)}  # (expand, stay_out) and (restrain, enter)
    with_subsidy = policy.solve("platform_entry", {"entry_subsidy": "3/2"})
    assert [tuple(s.index(F(1)) for s in eq.strategies) for eq in with_subsidy.equilibria] == [(1, 0)]


def test_enforcement_evasion_grows_with_the_number_of_entities():
    from fractions import Fraction as F

    import policy

    def evasion(n):
        (eq,) = policy.solve("enforcement", {"n": n}).equilibria
        return eq.strategies[1][1]

    assert evasion(1) == F(3, 50) < evasion(5) == F(7, 50) < evasion(40)

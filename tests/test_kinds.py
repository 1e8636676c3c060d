"""policy.kinds: every kind of game answers the same questions; the API picks the kind."""

from __future__ import annotations

import pytest

from policy import api
from policy.errors import ModelError
from policy.loader import bundled_games, load_game
from policy.kinds import KINDS, REPORT_PARTS, GameKind, kind_of
from policy.kinds.market import MARKET
from policy.kinds.normal_form import NORMAL_FORM
from policy.kinds.population import POPULATION
from policy.kinds.tree import TREE

#: The bundled games of each kind other than the normal form.
MARKET_GAMES = {"cournot_entry", "scale_vs_niche"}
POPULATION_GAMES = {"entry_population", "supervision_crowding"}
TREES = {"chain_store", "scale_and_entry"}


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.name)
def test_every_kind_answers_every_question(kind):
    assert isinstance(kind, GameKind)
    assert kind.name and kind.name in {k.name for k in KINDS}


@pytest.mark.parametrize("name", sorted(bundled_games()))
def test_the_kind_is_chosen_from_the_specification_and_from_the_loaded_game(name):
    expected = (MARKET if name in MARKET_GAMES else POPULATION if name in POPULATION_GAMES
                else TREE if name in TREES else NORMAL_FORM)
    spec = load_game(bundled_games()[name])
    assert kind_of(spec) is expected
    assert kind_of(api.load(name)) is expected


def test_a_game_no_kind_handles_is_refused_with_the_known_kinds():
    with pytest.raises(ModelError, match=r"^no kind of game handles a dict; known kinds: "
                       r"normal form, market, population, tree$"):
        kind_of({})
    with pytest.raises(ModelError, match="no kind of game handles a dict"):
        api.load({})


def test_the_api_answers_what_the_kind_answers():
    game = api.load("inspection")
    through_api, through_kind = api.solve(game, {"f": 12}), NORMAL_FORM.solve(game, {"f": 12})
    assert [eq.strategies for eq in through_api.equilibria] == \
        [eq.strategies for eq in through_kind.equilibria]
    assert api.default_mode(game) == NORMAL_FORM.default_mode(game) == "commit"


def test_every_report_part_is_built_and_no_other():
    game = api.load("inspection")
    result = api.solve(game)
    assert "solve" in REPORT_PARTS
    assert api.report_part("solve", game, result, "policy solve inspection").game == "inspection"
    with pytest.raises(ModelError, match="unknown report part 'tree'"):
        api.report_part("tree", game, result, "")

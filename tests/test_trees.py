"""Specification of game trees (issue 16): tree files, subgame-perfect and Nash
equilibria, every one verified, and the tree kind behind the command line."""

from __future__ import annotations

import json
import subprocess
import tempfile
from fractions import Fraction as F
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policy import api
from policy.cli import cli
from policy.errors import GameFileError, ModelError
from policy.loader import load_game
from policy.readers.efg import parse_efg, to_efg
from policy.readers.yaml_tree import load_tree_text
from policy.tree_equilibria import (_plan_count, _plans, best_response_value, is_nash,
                                    is_subgame_perfect, solve_tree, subgame_roots)
from policy.tree_model import NumericTree, TreeGame
from policy.tree_spec import Infoset, TreeNode

ENTRY = """
players: [entrant, incumbent]
tree:
  player: entrant
  moves:
    out: [0, 2]
    enter: {player: incumbent, moves: {fight: [-1, -1], share: [1, 1]}}
"""


def solved(text: str, values=None, **options):
    return solve_tree(TreeGame.from_spec(load_tree_text(text)).bind(values or {}), **options)


def behaviours(equilibria):
    return [[[str(p) for p in b] for b in eq.behaviour] for eq in equilibria]


# -- reading YAML trees -------------------------------------------------------------------

def test_a_yaml_tree_is_read_in_pre_order_with_information_sets_numbered_per_player():
    spec = load_tree_text(ENTRY, path="entry.yaml")
    assert spec.name == "entry" and spec.players == ("entrant", "incumbent")
    assert [n.kind for n in spec.nodes] == ["player", "leaf", "player", "leaf", "leaf"]
    assert [(i.player, i.label, i.actions, i.number) for i in spec.infosets] == [
        (0, "root", ("out", "enter"), 1), (1, "enter", ("fight", "share"), 1)]
    assert spec.leaf_payoffs() == {1: (0, 2), 3: (-1, -1), 4: (1, 1)}


@pytest.mark.parametrize("text, message", [
    ("players: [a, b]\nparameters: {q: 1/3}\ntree:\n  chance:\n"
     "    h: {probability: q, next: [1, 0]}\n    t: {probability: 1/2, next: [0, 1]}\n",
     "t.yaml:3: tree: the probabilities of h, t add up to q + 1/2, not 1"),
    ("players: [a, b]\ntree:\n  player: a\n  moves:\n"
     "    l: {player: b, infoset: h, moves: {x: [1, 0], y: [0, 1]}}\n"
     "    r: {player: b, infoset: h, moves: {x: [0, 1], z: [1, 0]}}\n",
     "t.yaml:6: tree.moves.r.moves: the nodes of information set 'h' offer different actions: "
     "x, y at tree.moves.l, x, z here; a player cannot tell these nodes apart, so they must "
     "offer the same actions"),
    ("players: [a, b]\ntree:\n  player: a\n  moves:\n"
     "    l: {player: a, infoset: h, moves: {x: [1, 0], y: [0, 1]}}\n"
     "    r: {player: a, infoset: h, moves: {x: [0, 1], y: [1, 0]}}\n",
     "t.yaml:6: tree.moves.r: perfect recall violated: the nodes at tree.moves.l and at "
     "tree.moves.r of one information set of a follow different moves of that player ('r' at "
     "root here, 'l' at root there); a player may not forget what they did or knew"),
    ("players: [a, b]\ntree:\n  player: c\n  moves: {x: [1, 0]}\n",
     "t.yaml:3: tree.player: 'c' is not a player; players: a, b"),
    ("players: [a, b]\ntree:\n  player: a\n  moves: {x: [1, zz]}\n",
     "t.yaml:4: tree.moves.x[1]: unknown symbol 'zz' at column 1; declared: (none)"),
    ("players: [a, b]\ntree:\n  player: a\n  moves: {x: [1]}\n",
     "t.yaml:4: tree.moves.x: expected a list of 2 payoffs (one per player: a, b), got 1 value"),
    ("players: [a, b]\ntree:\n  chance:\n    h: {probability: -1/2, next: [1, 0]}\n"
     "    t: {probability: 3/2, next: [0, 1]}\n",
     "t.yaml:2: tree: the probability of h is -1/2; probabilities must be between 0 and 1"),
    ("players: [a, b]\ntree:\n  player: a\n  payoffs: [1, 1]\n  moves: {x: [1, 0]}\n",
     "t.yaml:2: tree: a node has exactly one of 'payoffs' (a leaf), 'moves' (a player's "
     "decision, with 'player') or 'chance' (a chance move)"),
])
def test_a_broken_tree_is_refused_with_file_line_and_field(text, message):
    with pytest.raises(GameFileError) as caught:
        load_tree_text(text, path="t.yaml")
    assert str(caught.value) == message


def test_payoffs_are_parsed_by_the_whitelist_parser_never_evaluated():
    with pytest.raises(GameFileError, match="tree.moves.x"):
        load_tree_text("players: [a, b]\ntree:\n  player: a\n"
                       "  moves: {x: [\"__import__('os')\", 0]}\n", path="t.yaml")


def test_a_probability_outside_zero_one_at_the_values_is_refused_when_bound():
    game = TreeGame.from_spec(load_tree_text(
        "players: [a, b]\nparameters: {q: 1/2}\ntree:\n  chance:\n"
        "    h: {probability: q, next: [1, 0]}\n    t: {probability: 1 - q, next: [0, 1]}\n"))
    with pytest.raises(ModelError, match=r"^the probability of h is 2 at these values; it must be between 0 and 1$"):
        game.bind({"q": 2})


# -- Gambit .efg -----------------------------------------------------------------------------

EFG = """EFG 2 R "Entry with a bonus" { "Entrant" "Incumbent" }
"An outcome on an interior node adds to every leaf below it."

p "start" 1 1 "E" { "out" "in" } 0
t "" 1 "Out" { 0, 2 }
p "" 2 1 "I" { "fight" "share" } 2 "bonus" { 1/2 0.25 }
t "" 3 "war" { -1.5, -1 }
t "" 4 "peace" { 1 1 }
"""


def test_efg_outcomes_on_interior_nodes_add_up_along_the_path_exactly():
    spec = parse_efg(EFG, path="bonus.efg")
    assert spec.players == ("Entrant", "Incumbent") and spec.title == "Entry with a bonus"
    assert spec.leaf_payoffs() == {1: (0, 2), 3: (-1, F(-3, 4)), 4: (F(3, 2), F(5, 4))}
    assert spec.nodes[0].label == "start" and spec.infosets[1].label == "I"


def test_efg_round_trip_keeps_structure_labels_and_payoffs():
    spec = parse_efg(EFG, path="bonus.efg")
    again = parse_efg(to_efg(spec), path="bonus.efg")
    assert again.nodes == spec.nodes and again.infosets == spec.infosets
    assert again.leaf_payoffs() == spec.leaf_payoffs() and again.players == spec.players
    assert to_efg(again) == to_efg(spec)


def test_a_yaml_tree_exported_to_efg_reads_back_to_the_same_equilibria():
    game = api.load("scale_and_entry")
    text = api.export(game, {}, "efg")
    spec = parse_efg(text, path="scale_and_entry.efg")
    tree, back = game.bind(), TreeGame.from_spec(spec).bind()
    assert back.payoffs == tree.payoffs and back.chance == tree.chance
    assert behaviours(solve_tree(back).spe) == behaviours(solve_tree(tree).spe)


@pytest.mark.parametrize("text, message", [
    ('EFG 2 R "x" { "A" "B" }\np "" 1 1 "" { "l" "r" } 0\nt "" 1 "o" { 1 2 }\n',
     "t.efg:3: nodes: the file ends before the tree is complete: node 1 needs more children"),
    ('EFG 2 R "x" { "A" "B" }\nc "" 1 "" { "l" 1/2 "r" 1/3 } 0\nt "" 1 "o" { 1 2 }\n'
     't "" 2 "o" { 1 2 }\n', "t.efg:2: node 1: the probabilities of l, r add up to 5/6, not 1"),
    ('EFG 2 R "x" { "A" "B" }\np "" 3 1 "" { "l" } 0\nt "" 1 "o" { 1 2 }\n',
     "t.efg:2: node 1: player 3 does not exist; players are numbered 1 to 2"),
    ('EFG 2 R "x" { "A" "B" }\np "" 1 1 "" { "l" } 0\nt "" 1 "o" { 1 }\n',
     "t.efg:3: node 2: outcome 1 has 1 payoffs; expected 2 (one per player)"),
])
def test_a_broken_efg_is_refused_with_file_line_and_node(text, message):
    with pytest.raises(GameFileError) as caught:
        parse_efg(text, path="t.efg")
    assert str(caught.value) == message


@pytest.mark.parametrize("name, text", [
    ("g.efg", EFG), ("g.txt", EFG), ("g.yaml", ENTRY), ("g.txt", ENTRY)])
def test_the_loader_picks_efg_by_suffix_or_first_word_and_yaml_trees_by_their_tree_key(
        tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    spec = load_game(path)
    assert spec.source.format == ("efg" if text is EFG else "yaml")
    assert type(api.load(path)).__name__ == "TreeGame"


MIRROR = Path("/work/.mirror/gambitproject+gambit/repo")


def _gambit_efg_files() -> list[str]:
    if not MIRROR.exists():
        return []
    listed = subprocess.run(["git", "-C", str(MIRROR), "ls-tree", "-r", "--name-only", "HEAD"],
                            capture_output=True, text=True, check=False).stdout.split()
    return [name for name in listed if name.lower().endswith(".efg")]


@pytest.mark.skipif(not _gambit_efg_files(), reason="no snapshot of Gambit's repository here")
def test_every_efg_of_gambits_repository_is_read_or_refused_for_imperfect_recall():
    refused = []
    for name in _gambit_efg_files():
        data = subprocess.run(["git", "-C", str(MIRROR), "show", f"HEAD:{name}"],
                              capture_output=True, check=True).stdout
        try:
            parse_efg(data.decode("utf-8"), path=name)
        except GameFileError as err:
            assert "perfect recall violated" in str(err), (name, str(err))
            refused.append(name)
    assert "tests/test_games/not_perfect_recall.efg" in refused


# -- subgame-perfect and Nash equilibria -------------------------------------------------------

def test_selten_entry_game_has_one_spe_and_nash_equilibria_with_an_empty_threat():
    solution = solved(ENTRY)
    assert behaviours(solution.spe) == [[["0", "1"], ["0", "1"]]]
    assert solution.spe[0].payoffs == (1, 1) and solution.spe[0].outcome == ((4, 1),)
    assert behaviours(solution.equilibria) == [
        [["1", "0"], ["1", "0"]], [["0", "1"], ["0", "1"]], [["1", "0"], ["1/2", "1/2"]]]
    assert solution.spe_complete and solution.equilibria_complete


def test_a_tie_branches_so_every_pure_spe_is_listed():
    solution = solved("players: [a, b]\ntree:\n  player: a\n  moves:\n"
                      "    l: {player: b, moves: {x: [1, 0], y: [2, 0]}}\n"
                      "    r: [1, 5]\n")
    # b is indifferent; after x, a is indifferent too: (l, y), (l, x) and (r, x)
    assert sorted(behaviours(solution.spe)) == [
        [["0", "1"], ["1", "0"]], [["1", "0"], ["0", "1"]], [["1", "0"], ["1", "0"]]]


def test_a_tie_that_changes_others_payoffs_leaves_the_spe_list_not_proven_complete():
    # g = 2: bob is indifferent at the last node, where his choice moves ann's payoff
    centipede = ("players: [ann, bob]\ntree:\n  player: ann\n  moves:\n    take: [1, 0]\n"
                 "    pass:\n      player: bob\n      moves:\n        take: [0, 2]\n"
                 "        pass:\n          player: ann\n          moves:\n"
                 "            take: [3, 1]\n"
                 "            pass: {player: bob, moves: {take: [2, 4], pass: [4, 4]}}\n")
    solution = solved(centipede)
    pure = [all(p in (0, 1) for b in eq.behaviour for p in b) for eq in solution.equilibria]
    assert len(solution.spe) == 2
    assert not solution.spe_complete
    assert any(note.startswith("ties (at pass → pass → pass)") for note in solution.notes)
    # the reason: a mixed SPE the pure backward induction cannot list (bob mixes 1/2 at
    # the end, ann 2/3 take, bob 2/3 take, ann passes), checked independently
    mixed = [eq for eq, p in zip(solution.equilibria, pure) if not p and eq.behaviour[0][0] == 0]
    assert any(is_subgame_perfect(solution.tree, dict(enumerate(eq.behaviour)),
                                  subgame_roots(solution.tree)) for eq in mixed)
    assert not any(eq in solution.spe for eq in mixed)


def test_a_tie_between_identical_payoffs_keeps_the_spe_list_complete_with_a_note():
    solution = solved("players: [a, b]\ntree:\n  player: a\n  moves:\n"
                      "    l: {player: b, moves: {x: [2, 1], y: [2, 1]}}\n"
                      "    r: [1, 5]\n")
    assert len(solution.spe) == 2 and solution.spe_complete
    assert any("a continuum through the listed equilibria" in n for n in solution.notes)


def test_a_simultaneous_subgame_is_solved_by_the_matrix_engine_mixed_included():
    pennies = ("players: [a, b]\ntree:\n  player: a\n  moves:\n    out: [\"1/4\", 0]\n"
               "    play:\n      player: a\n      moves:\n"
               "        h: {player: b, infoset: guess, moves: {h: [1, -1], t: [-1, 1]}}\n"
               "        t: {player: b, infoset: guess, moves: {h: [-1, 1], t: [1, -1]}}\n")
    solution = solved(pennies)
    assert behaviours(solution.spe) == [[["1", "0"], ["1/2", "1/2"], ["1/2", "1/2"]]]
    assert solution.spe[0].payoffs == (F(1, 4), 0)


def test_chance_moves_weight_the_leaves_reached():
    solution = solved(Path(api.__file__).with_name("template_tree.yaml").read_text()
                      .replace("__NAME__", "t"))
    first = solution.spe[0]
    assert first.payoffs == (2, 2)
    expand = solution.spe[1]
    # expand, then audited (1/2) or not (1/2), then the entrant stays out either way
    assert dict(expand.outcome) == {7: F(1, 2), 10: F(1, 2)} and expand.payoffs == (5, 0)


def test_chain_store_spe_is_entry_and_accommodation_in_every_market():
    game = api.load("chain_store")
    solution = api.solve(game)
    (spe,) = solution.spe
    assert spe.payoffs == (4, 2, 2)
    tree = solution.tree
    assert all(b == (0, 1) for h, b in enumerate(spe.behaviour)
               if tree.infosets[h].player == 0)  # the incumbent never fights


def test_the_essay_game_strict_rule_restraint_and_entry():
    solution = api.solve(api.load("scale_and_entry"))
    paths = {tuple(leaf for leaf, _ in eq.outcome) for eq in solution.spe}
    assert len(paths) == 1
    assert all(eq.payoffs == (F(5, 2), 3, 3) for eq in solution.spe)
    captured = api.solve(api.load("scale_and_entry"), {"p": 1, "c": "1/10"})
    assert all(eq.payoffs[0] == 2 for eq in captured.spe)  # the rule no longer helps


def test_three_or_more_players_list_the_spe_as_nash_equilibria_marked_incomplete():
    solution = api.solve(api.load("chain_store"))
    assert solution.equilibria == solution.spe and not solution.equilibria_complete


# -- the independent oracle: backward induction by hand -----------------------------------------

@st.composite
def perfect_information_trees(draw):
    """A random perfect-information tree with chance nodes and small integer payoffs
    (ties are frequent), as a NumericTree."""
    players = draw(st.integers(2, 3))
    nodes: list = []
    infosets: list = []
    payoffs: dict = {}
    chance: dict = {}

    def build(depth: int) -> int:
        index = len(nodes)
        nodes.append(None)
        kind = draw(st.sampled_from(["leaf"] if depth == 0 else ["leaf", "player", "player",
                                                                  "chance"]))
        if kind == "leaf":
            nodes[index] = TreeNode("leaf")
            payoffs[index] = tuple(F(draw(st.integers(0, 2))) for _ in range(players))
            return index
        width = draw(st.integers(1, 3))
        actions = tuple(f"a{k}" for k in range(width))
        h = len(infosets)
        if kind == "chance":
            weights = [draw(st.integers(1, 3)) for _ in actions]
            probabilities = tuple(F(w, sum(weights)) for w in weights)
            infosets.append(Infoset(None, "", actions, h + 1, None))
            chance[h] = probabilities
        else:
            infosets.append(Infoset(draw(st.integers(0, players - 1)), "", actions, h + 1))
        children = tuple(build(depth - 1) for _ in actions)
        nodes[index] = TreeNode(kind, infoset=h, children=children)
        return index

    build(draw(st.integers(1, 4)))
    return NumericTree(name="random", players=tuple(f"p{i}" for i in range(players)),
                       nodes=tuple(nodes), infosets=tuple(infosets), chance=chance,
                       payoffs=payoffs)


def oracle_spe(tree: NumericTree, index: int = 0) -> list[tuple[dict, tuple]]:
    """Every pure SPE below ``index`` by backward induction, written for this test:
    (choices at decision nodes, payoffs)."""
    node = tree.nodes[index]
    if node.kind == "leaf":
        return [({}, tree.payoffs[index])]
    below = [oracle_spe(tree, child) for child in node.children]
    results = []
    if node.kind == "chance":
        probabilities = tree.chance[node.infoset]
        combos = [[]]
        for options in below:
            combos = [c + [o] for c in combos for o in options]
        for combo in combos:
            choices = {k: v for choice, _ in combo for k, v in choice.items()}
            value = tuple(sum(p * v[i] for p, (_, v) in zip(probabilities, combo))
                          for i in range(tree.n_players))
            results.append((choices, value))
        return results
    player = tree.infosets[node.infoset].player
    combos = [[]]
    for options in below:
        combos = [c + [o] for c in combos for o in options]
    for combo in combos:
        best = max(v[player] for _, v in combo)
        for action, (choice, value) in enumerate(combo):
            if value[player] == best:
                choices = {k: v for c, _ in combo for k, v in c.items()}
                choices[node.infoset] = action
                results.append((choices, value))
    return results


def tie_changing_payoffs(tree: NumericTree, index: int = 0) -> bool:
    """Whether backward induction ever meets a player indifferent between actions
    that give someone different payoffs (then mixed SPE may exist beyond the pure)."""
    node = tree.nodes[index]
    if node.kind != "player":
        return any(tie_changing_payoffs(tree, child) for child in node.children)
    if any(tie_changing_payoffs(tree, child) for child in node.children):
        return True
    player = tree.infosets[node.infoset].player
    combos = [[]]
    for options in (oracle_spe(tree, child) for child in node.children):
        combos = [c + [v] for c in combos for _, v in options]
    for values in combos:
        best = max(v[player] for v in values)
        if len({v for v in values if v[player] == best}) > 1:
            return True
    return False


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(perfect_information_trees())
def test_spe_of_random_perfect_information_trees_equal_backward_induction_by_hand(tree):
    solution = solve_tree(tree, nash=False)
    assert solution.spe_complete == (not tie_changing_payoffs(tree))
    found = sorted(tuple((h, b.index(1)) for h, b in enumerate(eq.behaviour) if b)
                   for eq in solution.spe)
    expected = sorted(tuple(sorted(choices.items())) for choices, _ in oracle_spe(tree))
    assert found == expected
    for eq in solution.spe:
        full = dict(enumerate(eq.behaviour))
        assert is_subgame_perfect(tree, full, subgame_roots(tree))
        assert sum(p for _, p in eq.outcome) == 1


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(perfect_information_trees())
def test_every_nash_equilibrium_of_a_two_player_tree_has_no_profitable_deviation(tree):
    if tree.n_players != 2:
        return
    solution = solve_tree(tree)
    for eq in solution.equilibria:
        full = dict(enumerate(eq.behaviour))
        assert is_nash(tree, full)
        for player in range(2):
            assert best_response_value(tree, full, player) == eq.payoffs[player]


@st.composite
def trees_with_simultaneous_stages(draw):
    """A random two-player tree whose decision nodes may be simultaneous stages: the
    first player moves, then the second chooses without seeing that move (one
    information set across the first player's actions); stages may follow each
    other (their roots are subgames) and chance may come first."""
    nodes: list = []
    infosets: list = []
    payoffs: dict = {}
    chance: dict = {}

    def leaf() -> int:
        nodes.append(TreeNode("leaf"))
        payoffs[len(nodes) - 1] = (F(draw(st.integers(-2, 2))), F(draw(st.integers(-2, 2))))
        return len(nodes) - 1

    def stage(depth: int) -> int:
        rows, columns = draw(st.integers(1, 3)), draw(st.integers(1, 3))
        first = len(infosets)
        infosets.append(Infoset(0, "", tuple(f"r{k}" for k in range(rows)), first + 1))
        second = len(infosets)
        infosets.append(Infoset(1, "", tuple(f"c{k}" for k in range(columns)), second + 1))
        index = len(nodes)
        nodes.append(None)
        kids = []
        for _ in range(rows):
            at = len(nodes)
            nodes.append(None)
            below = tuple(stage(depth - 1) if depth and draw(st.booleans()) else leaf()
                          for _ in range(columns))
            nodes[at] = TreeNode("player", infoset=second, children=below)
            kids.append(at)
        nodes[index] = TreeNode("player", infoset=first, children=tuple(kids))
        return index

    if draw(st.booleans()):
        h = len(infosets)
        infosets.append(Infoset(None, "", ("x", "y"), h + 1))
        chance[h] = (F(1, 3), F(2, 3))
        index = len(nodes)
        nodes.append(None)
        kids = (stage(1), stage(1))
        nodes[index] = TreeNode("chance", infoset=h, children=kids)
    else:
        stage(2)
    return NumericTree(name="stages", players=("p0", "p1"), nodes=tuple(nodes),
                       infosets=tuple(infosets), chance=chance, payoffs=payoffs)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(trees_with_simultaneous_stages())
def test_spe_with_simultaneous_subgames_pass_the_independent_checks(tree):
    solution = solve_tree(tree)
    assert solution.spe, "every finite game has a subgame-perfect equilibrium (Selten)"
    roots = subgame_roots(tree)
    for eq in solution.spe:
        full = dict(enumerate(eq.behaviour))
        assert is_subgame_perfect(tree, full, roots) and is_nash(tree, full)
        assert sum(p for _, p in eq.outcome) == 1
        assert all(sum(b) == 1 for b in eq.behaviour if b)
    for eq in solution.equilibria:
        assert is_nash(tree, dict(enumerate(eq.behaviour)))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(perfect_information_trees())
def test_reduced_strategies_of_a_perfect_information_tree_are_counted_as_listed(tree):
    for player in range(tree.n_players):
        listed = _plans(tree, 0, set(), player, 10 ** 9)
        order = sorted(range(len(tree.nodes)))
        assert _plan_count(tree, order, 0, set(), player, 10 ** 9) == len(listed)
        assert _plan_count(tree, order, 0, set(), player, 1) == min(len(listed), 2)


def test_a_large_perfect_information_tree_gets_its_spe_and_a_note_instead_of_nash_equilibria(
        monkeypatch):
    monkeypatch.setenv("POLICY_LIMIT_PROFILES", "20")
    nodes, infosets, payoffs = [], [], {}

    def build(depth: int) -> int:  # a complete binary tree, the players alternating
        index = len(nodes)
        nodes.append(None)
        if depth == 0:
            nodes[index] = TreeNode("leaf")
            payoffs[index] = (F(index), F(-index))
            return index
        infosets.append(Infoset(depth % 2, "", ("l", "r"), len(infosets) + 1))
        h = len(infosets) - 1
        nodes[index] = TreeNode("player", infoset=h, children=(build(depth - 1), build(depth - 1)))
        return index

    build(6)
    tree = NumericTree(name="big", players=("a", "b"), nodes=tuple(nodes),
                       infosets=tuple(infosets), chance={}, payoffs=payoffs)
    solution = solve_tree(tree)
    assert solution.notes == ("Nash equilibria of the whole tree were not computed: the reduced "
                              "strategic form has more than 20 strategies for one player; set "
                              "POLICY_LIMIT_PROFILES to raise this limit",)
    assert len(solution.spe) == 1 and solution.spe[0].verified
    assert solution.equilibria == solution.spe and not solution.equilibria_complete


def test_pygambit_agrees_on_the_nash_payoffs_of_a_two_player_tree():
    gbt = pytest.importorskip("pygambit")
    spec = parse_efg(EFG, path="bonus.efg")
    with tempfile.NamedTemporaryFile("w", suffix=".efg", delete=False) as handle:
        handle.write(to_efg(spec))
    game = gbt.read_efg(handle.name)
    Path(handle.name).unlink()
    ours = {eq.payoffs for eq in solve_tree(TreeGame.from_spec(spec).bind()).equilibria}
    theirs = {tuple(F(profile.payoff(player)) for player in game.players)
              for profile in gbt.nash.lcp_solve(game, rational=True).equilibria}
    assert theirs <= ours


# -- the command line ---------------------------------------------------------------------------

def test_solve_json_follows_the_tree_contract(tmp_path):
    result = CliRunner().invoke(cli, ["solve", "chain_store", "--json", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["kind"] == "tree" and doc["players"] == ["incumbent", "entrant_1", "entrant_2"]
    assert doc["infosets"]["entrant_1"] == [{"label": "root", "actions": ["stay_out", "enter"]}]
    (spe,) = doc["spe"]
    assert spe["behaviour"]["entrant_1"] == [{"stay_out": 0.0, "enter": 1.0}]
    assert spe["exact"]["behaviour"]["entrant_1"] == [{"stay_out": "0", "enter": "1"}]
    assert spe["payoffs"] == {"incumbent": 4, "entrant_1": 2, "entrant_2": 2}
    assert all(len(spe["behaviour"][p]) == len(doc["infosets"][p]) for p in doc["players"])
    assert doc["spe_complete"] is True and doc["complete"] is False
    assert (tmp_path / "chain_store" / "solve.md").read_text().startswith("# Equilibria of")


@pytest.mark.parametrize("command, message", [
    (["optimize", "chain_store"], "error: chain_store declares no target; give one with --path "
                                  "ACTION,… or --target INFOSET=ACTION (or target: in the file)"),
    (["optimize", "chain_store", "--path", "enter", "--transfers"],
     "error: --transfers does not apply to game trees"),
    (["optimize", "chain_store", "--path", "enter", "--robust", "strict"],
     "error: --robust strict does not apply to game trees; choose unique or spe"),
    (["sweep", "chain_store", "--vary", "m=1:5:3", "--pure"],
     "error: --pure does not apply to game trees"),
    (["uncertainty", "chain_store"],
     "error: chain_store declares no parameter with a 'dist:'; scenarios need one"),
    (["solve", "chain_store", "--method", "vertex"],
     "error: method 'vertex' does not apply to game trees; choose auto or exact"),
])
def test_options_that_do_not_apply_to_trees_are_usage_errors(command, message, tmp_path):
    result = CliRunner().invoke(cli, command + ["--no-report"])
    assert result.exit_code == 2 and result.stderr.startswith(message), result.output


def test_analyze_gives_the_credible_threat_conditions_of_each_pure_spe():
    from policy.tree_analysis import analyze_tree

    analysis = analyze_tree(api.load("scale_and_entry"))
    (spe,) = analysis.equilibria  # the mixed one is left out, and said so
    conditions = {(c.player, c.node, c.action, c.alternative): str(c.condition)
                  for c in spe.conditions}
    assert conditions[("incumbent", "strict", "restrain", "expand")] == "f*q + w >= g"
    assert conditions[("incumbent", "strict", "restrain", "lobby")] == "c + p*w >= g*p"
    assert conditions[("regulator", "start", "strict", "lax")] == "1 >= k"
    (strict,) = [c for c in spe.conditions if c.player == "regulator"]
    assert str(strict.threshold) == "k <= 1"  # supervision pays while it costs at most 1
    assert all(c.holds for c in spe.conditions)
    assert analysis.skipped[0] == ("1 mixed subgame-perfect equilibrium (conditions are "
                                   "derived for pure ones)")
    weak_audit = analyze_tree(api.load("scale_and_entry"), {"f": 1})
    assert all(eq.play != spe.play for eq in weak_audit.equilibria)  # the threat fails


def test_analyze_on_the_command_line_prints_each_condition(tmp_path):
    result = CliRunner().invoke(cli, ["analyze", "chain_store", "--no-report"])
    assert result.exit_code == 0, result.output
    assert "incumbent at enter: accommodate over fight when d >= war" in result.stdout


def test_export_writes_efg_and_the_reduced_strategic_form_as_nfg(tmp_path):
    runner = CliRunner()
    efg = runner.invoke(cli, ["export", "chain_store", "--to", "efg"])
    assert efg.exit_code == 0 and efg.stdout.startswith('EFG 2 R "Chain store')
    nfg = tmp_path / "entry.nfg"
    (tmp_path / "entry.yaml").write_text(ENTRY)
    result = runner.invoke(cli, ["export", str(tmp_path / "entry.yaml"), "--to", "nfg", "-o",
                                 str(nfg)])
    assert result.exit_code == 0, result.output
    spec = load_game(nfg)
    assert [p.strategies for p in spec.players] == [("out", "enter"), ("fight", "share")]
    normal = api.solve(api.load(nfg))
    assert len(normal.equilibria) == len(solved(ENTRY).equilibria)


def test_new_tree_writes_a_commented_template_that_checks_and_solves(tmp_path):
    path = tmp_path / "mine.yaml"
    runner = CliRunner()
    assert runner.invoke(cli, ["new", "mine", "--tree", "--out", str(path)]).exit_code == 0
    assert path.read_text().startswith("# A game tree")
    check = runner.invoke(cli, ["check", str(path)])
    assert check.exit_code == 0 and "a game tree: 2 players" in check.stdout
    assert runner.invoke(cli, ["solve", str(path), "--no-report"]).exit_code == 0


def test_check_warns_about_unused_parameters_and_moves_of_probability_zero(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text("players: [a, b]\nparameters:\n  q: 0\n  unused: 1\ntree:\n  chance:\n"
                    "    h: {probability: q, next: [1, 0]}\n"
                    "    t: {probability: 1 - q, next: [0, 1]}\n")
    summary, problems = api.check_game(path)
    assert problems == [f"{path}:4: parameter 'unused' is not used by any payoff or probability",
                        f"{path}: tree: 'h' has probability 0 at the default values, so the "
                        "nodes after it are never reached"]


def test_report_on_a_tree_solves_and_says_which_parts_were_skipped(tmp_path):
    result = CliRunner().invoke(cli, ["report", "chain_store", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    markdown = (tmp_path / "chain_store" / "index.md").read_text()
    assert "## Subgame-perfect equilibria (1, exact, complete)" in markdown
    assert "Not computed: the file declares no target:." in markdown
    assert "## Where the outcome changes: phase diagram" in markdown
    assert "](report-sweep.png)" in markdown
    assert "## When is each outcome an equilibrium?" in markdown and "$d \\geq u$" in markdown
    document = json.loads((tmp_path / "chain_store" / "report.json").read_text())
    assert document["summary"][0].startswith("In the only subgame-perfect equilibrium play goes")

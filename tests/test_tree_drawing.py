"""Specification of the drawing of game trees in reports (issue 16): an SVG whose text
stays text, with every action, probability and payoff, the information sets joined,
the play of the first subgame-perfect equilibrium highlighted, the same bytes on
every run, inlined in the self-contained HTML report; trees too large to read keep
their outline and say which limit stopped the drawing."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from fractions import Fraction as F
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from test_trees import perfect_information_trees, trees_with_simultaneous_stages

from policy import api
from policy.cli import cli
from policy.readers.efg import parse_efg
from policy.report.tree_drawing import draw_tree
from policy.tree_equilibria import solve_tree
from policy.tree_model import TreeGame

SVG = "{http://www.w3.org/2000/svg}"
BUNDLED_TREES = ("chain_store", "scale_and_entry")


def texts(svg: str, kind: str) -> list[str]:
    """The text of every ``<text class="kind">`` of a drawing, in document order."""
    root = ET.fromstring(svg)
    return [element.text or "" for element in root.iter(f"{SVG}text")
            if element.get("class") == kind]


def highlighted(svg: str) -> set[int]:
    """The nodes whose incoming branch is drawn as the play."""
    root = ET.fromstring(svg)
    return {int(path.get("data-node")) for path in root.iter(f"{SVG}path")
            if path.get("class") == "edge play"}


def expected_labels(tree):
    """What must be written on the drawing, computed from the tree directly."""
    actions, probabilities, payoffs = Counter(), Counter(), Counter()
    for node in tree.nodes:
        if node.kind == "leaf":
            continue
        infoset = tree.infosets[node.infoset]
        actions.update(infoset.actions)
        if node.kind == "chance":
            probabilities.update(str(p) for p in tree.chance[node.infoset])
    for leaf, values in tree.payoffs.items():
        payoffs["(" + ", ".join(str(v) for v in values) + ")"] += 1
    return actions, probabilities, payoffs


def reached_branches(tree, behaviour) -> set[int]:
    """The branches play takes with positive probability, walking down from the root
    (written for this test: chance probabilities and the equilibrium's behaviour)."""
    taken, stack = set(), [0]
    while stack:
        index = stack.pop()
        node = tree.nodes[index]
        if node.kind == "leaf":
            continue
        chances = (tree.chance[node.infoset] if node.kind == "chance"
                   else behaviour[node.infoset])
        for probability, child in zip(chances, node.children):
            if probability > 0:
                taken.add(child)
                stack.append(child)
    return taken


def assert_drawn_faithfully(tree, equilibrium) -> str:
    svg = draw_tree(tree, equilibrium.outcome if equilibrium else ())
    actions, probabilities, payoffs = expected_labels(tree)
    assert Counter(texts(svg, "action")) == actions
    assert Counter(texts(svg, "probability")) == probabilities
    assert Counter(texts(svg, "payoffs")) == payoffs
    movers = [tree.players[tree.infosets[n.infoset].player] if n.kind == "player" else "chance"
              for n in tree.nodes if n.kind != "leaf"]
    assert texts(svg, "mover") == movers
    expected = reached_branches(tree, equilibrium.behaviour) if equilibrium else set()
    assert highlighted(svg) == expected
    branches = [int(p.get("data-node")) for p in ET.fromstring(svg).iter(f"{SVG}path")
                if p.get("class", "").startswith("edge")]
    assert sorted(branches) == list(range(1, len(tree.nodes)))  # every branch once
    return svg


# -- the drawing ----------------------------------------------------------------------------

@pytest.mark.parametrize("game", BUNDLED_TREES)
def test_a_bundled_tree_is_drawn_with_every_label_as_text_and_its_spe_play_thick(game):
    solution = api.solve(api.load(game))
    svg = assert_drawn_faithfully(solution.tree, solution.spe[0])
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" ')
    assert "<image" not in svg and "href" not in svg and "<script" not in svg


def test_the_chain_store_play_is_entry_and_accommodation_in_both_markets():
    solution = api.solve(api.load("chain_store"))
    svg = draw_tree(solution.tree, solution.spe[0].outcome)
    tree = solution.tree
    actions = [tree.infosets[tree.nodes[p].infoset].actions[tree.nodes[p].children.index(c)]
               for c in sorted(highlighted(svg))
               for p in [next(i for i, n in enumerate(tree.nodes) if c in n.children)]]
    assert actions == ["enter", "accommodate", "enter", "accommodate"]


def test_nodes_of_one_information_set_are_joined_by_a_dashed_line():
    solution = api.solve(api.load("scale_and_entry"))
    tree = solution.tree
    root = ET.fromstring(draw_tree(tree, solution.spe[0].outcome))
    lines = [p for p in root.iter(f"{SVG}path") if p.get("class") == "infoset"]
    shared = Counter(n.infoset for n in tree.nodes if n.kind == "player")
    assert len(lines) == sum(count > 1 for count in shared.values()) == 2
    assert all(p.get("stroke-dasharray") for p in lines)
    # a line through k nodes has k points
    assert sorted(p.get("d").count(" L") + 1 for p in lines) == sorted(
        count for count in shared.values() if count > 1)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(perfect_information_trees())
def test_random_perfect_information_trees_are_drawn_faithfully(tree):
    solution = solve_tree(tree, nash=False)
    assert_drawn_faithfully(tree, solution.spe[0])


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(trees_with_simultaneous_stages())
def test_trees_with_hidden_moves_and_mixed_play_are_drawn_faithfully(tree):
    solution = solve_tree(tree, nash=False)
    assert_drawn_faithfully(tree, solution.spe[-1])  # mixed ones last


def test_leaves_are_evenly_spaced_and_each_parent_centred_on_its_children():
    solution = api.solve(api.load("chain_store"))
    tree = solution.tree
    root = ET.fromstring(draw_tree(tree, solution.spe[0].outcome))
    parent = {child: index for index, node in enumerate(tree.nodes) for child in node.children}
    position = {}
    for path in root.iter(f"{SVG}path"):
        if path.get("class", "").startswith("edge"):  # "M x y H bar V y' H x'": parent → child
            numbers = re.findall(r"-?[\d.]+", path.get("d"))
            child = int(path.get("data-node"))
            position[child] = F(numbers[-1]), F(numbers[-2])
            position[parent[child]] = F(numbers[0]), F(numbers[1])
    leaves = sorted(position[i][1] for i, n in enumerate(tree.nodes) if n.kind == "leaf")
    assert len({b - a for a, b in zip(leaves, leaves[1:])}) == 1
    for index, node in enumerate(tree.nodes):
        if node.children:
            first, last = position[node.children[0]][1], position[node.children[-1]][1]
            assert position[index][1] == (first + last) / 2


def test_labels_from_the_file_are_escaped_and_characters_xml_cannot_hold_replaced():
    spec = parse_efg('EFG 2 R "t" { "P" "Q" }\n""\n'
                     'p "" 1 1 "I" { "x<y" "</text><script>\x01" } 0\n'
                     't "" 1 "" { 1, 0 }\nt "" 2 "" { 0, 1 }\n')
    solution = solve_tree(TreeGame.from_spec(spec).bind())
    svg = draw_tree(solution.tree, solution.spe[0].outcome)
    assert "<script" not in svg and "\x01" not in svg
    assert texts(svg, "action") == ["x<y", "</text><script>\ufffd"]


def test_the_drawing_is_the_same_bytes_on_every_run():
    first = draw_tree(*_chain_store())
    assert all(draw_tree(*_chain_store()) == first for _ in range(2))


def _chain_store():
    solution = api.solve(api.load("chain_store"))
    return solution.tree, solution.spe[0].outcome


# -- in the reports ----------------------------------------------------------------------------

def report(game: str, folder: Path, *options: str, command: str = "report") -> Path:
    result = CliRunner().invoke(cli, [command, game, "--out", str(folder), *options])
    assert result.exit_code == 0, result.output
    return folder / game


def test_the_report_shows_the_drawing_in_markdown_and_inlines_it_in_the_html(tmp_path):
    folder = report("scale_and_entry", tmp_path)
    markdown = (folder / "index.md").read_text(encoding="utf-8")
    assert "![The game tree, with the play of the subgame-perfect equilibrium highlighted]" \
        "(report-tree.svg)" in markdown
    assert "(the first of the 2 listed below)" in markdown  # two SPE: the first is drawn
    svg = (folder / "report-tree.svg").read_text(encoding="utf-8")
    assert ET.fromstring(svg).tag == f"{SVG}svg"
    html = (folder / "index.html").read_text(encoding="utf-8")
    inline = html[html.index("<svg"):html.index("</svg>") + len("</svg>")]
    assert 'role="img"' in inline and texts(inline.replace(' role="img"', ""), "payoffs")
    # nothing refers outside the file: a URL appears only as a namespace's name (or in
    # the licence metadata matplotlib writes into the phase diagram), never as a source
    declared = re.findall(r'\s(\S+)="(https?://[^"]*)"', html)
    assert all(name.startswith("xmlns") or name == "rdf:resource" for name, _ in declared)
    assert len(re.findall(r"(?i)https?:", html)) == len(declared)
    assert ("xmlns", "http://www.w3.org/2000/svg") in declared
    assert json.loads((folder / "report.json").read_text(encoding="utf-8"))["figures"] == [
        "report-tree.svg", "report-sweep.png", "report-sweep.svg"]


def test_the_report_files_are_byte_identical_on_two_runs(tmp_path):
    one, two = report("chain_store", tmp_path / "one"), report("chain_store", tmp_path / "two")
    for name in ("report-tree.svg", "index.md", "index.html"):
        assert (one / name).read_bytes() == (two / name).read_bytes()


def test_solve_writes_the_drawing_beside_its_markdown(tmp_path):
    folder = report("chain_store", tmp_path, command="solve")
    assert "](tree.svg)" in (folder / "solve.md").read_text(encoding="utf-8")
    assert (folder / "tree.svg").read_text(encoding="utf-8") == draw_tree(*_chain_store())
    result = CliRunner().invoke(cli, ["solve", "chain_store", "--out", str(tmp_path / "none"),
                                      "--no-report"])
    assert result.exit_code == 0 and not (tmp_path / "none").exists()


def test_a_tree_with_more_leaves_than_the_limit_keeps_its_outline_and_names_the_limit(
        tmp_path, monkeypatch):
    monkeypatch.setenv("POLICY_LIMIT_TREE_DRAWING_LEAVES", "6")
    folder = report("chain_store", tmp_path)
    markdown = (folder / "index.md").read_text(encoding="utf-8")
    assert not (folder / "report-tree.svg").exists() and "The game tree" not in \
        (folder / "index.html").read_text(encoding="utf-8")  # the phase diagram stays
    assert ("The tree has 9 leaves, more than the 6 a report draws (limit "
            "tree\\_drawing\\_leaves: set POLICY\\_LIMIT\\_TREE\\_DRAWING\\_LEAVES to raise this "
            "limit); its outline is shown instead.") in markdown
    assert "- **entrant\\_1** decides (information set “root”):" in markdown

"""Specification of the regulator's questions on game trees (issue 16, item 3):
``optimize`` (the cheapest controls making a target the unique subgame-perfect
outcome, verified by re-solving), ``sweep`` (the SPE outcome over a grid, its
boundaries where the credible-threat conditions switch) and ``uncertainty``."""

from __future__ import annotations

import json
from fractions import Fraction as F

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policy import api
from policy.cli import cli
from policy.errors import GameFileError, ModelError
from policy.optimize.tree import cheapest_tree_policy
from policy.readers.yaml_tree import load_tree_text
from policy.sweep.grid import GridAxis
from policy.sweep.tree import sweep_tree, uncertainty_tree
from policy.tree_analysis import analyze_tree
from policy.tree_model import TreeGame
from policy.tree_spec import TreeTarget

#: Selten's entry game with a fine on sharing the market (a regulator that wants the
#: threat of a price war to be credible) and a subsidy to the entrant.
ENTRY = """
players: [entrant, incumbent]
controls:
  fine: {value: 0, bounds: [0, 5], cost: 1}
  subsidy: {value: 0, bounds: [0, 3], cost: 2}
tree:
  player: entrant
  moves:
    out: [0, 2]
    enter:
      player: incumbent
      infoset: after_entry
      moves:
        fight: [-1 + subsidy, -1]
        share: [1 + subsidy, 1 - fine]
"""


def tree(text: str) -> TreeGame:
    return TreeGame.from_spec(load_tree_text(text))


# -- optimize: answers known by hand ---------------------------------------------------

def test_the_smallest_fine_that_makes_fighting_credible_keeps_the_entrant_out():
    result = cheapest_tree_policy(tree(ENTRY), TreeTarget(path=("out",)))
    # fight credible: -1 > 1 - fine + ε, so fine = 2 + 1/1000; the subsidy stays 0
    assert result.controls == {"fine": F(2001, 1000), "subsidy": 0}
    assert result.cost == F(2001, 1000) and result.status == "optimal"
    assert result.verified and result.unique is True
    assert "the target is the unique subgame-perfect outcome" in result.verification
    assert result.threshold.point == {"fine": 2, "subsidy": 0}
    assert result.threshold.statement == ("fine > 2; at fine = 2 incumbent at enter is "
                                          "indifferent between fight and share")


def test_an_action_off_the_path_as_target_makes_a_threat_credible_without_deterring():
    # fight at after_entry only: the same fine; the entrant then stays out anyway
    result = cheapest_tree_policy(tree(ENTRY), TreeTarget(actions=(("after_entry", "fight"),)))
    assert result.controls["fine"] == F(2001, 1000) and result.unique is True


def test_a_subsidy_makes_entry_worth_it_even_against_a_credible_threat():
    # enter then fight: the fine (cost 1) makes fighting credible, the subsidy (cost 2)
    # makes entry pay although the incumbent fights: -1 + subsidy > 0
    result = cheapest_tree_policy(tree(ENTRY), TreeTarget(path=("enter", "fight")))
    assert result.controls == {"fine": F(2001, 1000), "subsidy": F(1001, 1000)}
    assert result.cost == F(2001, 1000) + 2 * F(1001, 1000)
    assert [c.gain for c in result.conditions] == [F(1, 1000), F(1, 1000)]


def test_the_target_already_played_costs_nothing():
    result = cheapest_tree_policy(tree(ENTRY), TreeTarget(path=("enter", "share")))
    assert result.cost == 0 and result.controls == {"fine": 0, "subsidy": 0}
    assert result.verified and result.unique is True


def test_an_infeasible_target_names_the_decision_that_cannot_be_brought_about():
    text = ENTRY.replace("bounds: [0, 5], cost: 1", "bounds: [0, 1], cost: 1")
    result = cheapest_tree_policy(tree(text), TreeTarget(path=("out",)))
    assert result.status == "infeasible" and result.cost is None and not result.verified
    # the fine cannot make the threat credible, so the entrant enters: the root fails
    assert result.explanation == (
        "at start: out cannot be made strictly better (by the margin 1/1000) than enter for "
        "entrant, given the subgame-perfect play after it (at best it is worse by 1) within the "
        "control bounds")
    threat = cheapest_tree_policy(tree(text), TreeTarget(actions=(("after_entry", "fight"),)))
    assert threat.explanation == (
        "at enter: fight cannot be made strictly better (by the margin 1/1000) than share for "
        "incumbent (at best it is worse by 1) within the control bounds")


def test_a_budget_too_small_is_said_with_the_budget_that_works():
    text = ENTRY.replace("tree:", "budget: 1\ntree:")
    result = cheapest_tree_policy(tree(text), TreeTarget(path=("out",)))
    assert result.explanation == ("infeasible within the budget 1; the smallest budget that "
                                  "works is 2001/1000")


def test_spe_accepts_the_threshold_itself_where_unique_needs_the_margin():
    result = cheapest_tree_policy(tree(ENTRY), TreeTarget(path=("out",)), robust="spe")
    assert result.controls["fine"] == 2 and result.verified and result.unique is False
    assert "2 subgame-perfect equilibria" in result.verification


def test_a_tie_the_controls_cannot_break_below_the_target_is_named():
    text = """
players: [a, b]
controls: {t: {value: 0, bounds: [0, 1], cost: 1}}
tree:
  player: a
  moves:
    stop: [1, 0]
    go: {player: b, moves: {left: [t, 1], right: [2, 1]}}
"""
    result = cheapest_tree_policy(tree(text), TreeTarget(path=("stop",)))
    assert result.status == "infeasible"
    assert result.explanation == (
        "at go (below the target): no choice of b can be made strictly better (by the margin "
        "1/1000) than the others within the control bounds — a tie the controls cannot break "
        "(--robust spe accepts ties)")
    assert cheapest_tree_policy(tree(text), TreeTarget(path=("stop",)), robust="spe").verified


def test_nonlinear_payoffs_in_the_controls_are_refused_with_the_payoff_named():
    text = ENTRY.replace("1 - fine]", "1 - fine*subsidy]")
    with pytest.raises(ModelError, match=r"the payoff of incumbent at enter → share is "
                                         r"-fine\*subsidy \+ 1, not linear in the controls"):
        cheapest_tree_policy(tree(text), TreeTarget(path=("out",)))


def test_a_probability_that_depends_on_a_control_is_linear_over_fixed_payoffs_only():
    text = """
players: [firm]
controls: {q: {value: 0, bounds: [0, 1], cost: 3}}
tree:
  player: firm
  moves:
    comply: [1]
    cheat:
      chance:
        caught: {probability: q, next: [-4]}
        free: {probability: 1 - q, next: [2]}
"""
    result = cheapest_tree_policy(tree(text), TreeTarget(path=("comply",)))
    # 1 > 2 - 6q + ε  ⇔  q > 1/6 + ε/6
    assert result.controls == {"q": F(1, 6) + F(1, 6000)} and result.unique is True
    later = text.replace("next: [-4]", "next: {player: firm, moves: {pay: [-4], flee: [-5]}}")
    with pytest.raises(ModelError, match="a chance probability that depends on a control "
                                         "multiplies a payoff that depends on a control or on "
                                         "later decisions"):
        cheapest_tree_policy(tree(later), TreeTarget(path=("comply",)))


def test_a_control_the_payoffs_use_needs_bounds():
    text = ENTRY.replace("fine: {value: 0, bounds: [0, 5], cost: 1}", "fine: {value: 0, cost: 1}")
    with pytest.raises(ModelError, match="control 'fine' has no bounds"):
        cheapest_tree_policy(tree(text), TreeTarget(path=("out",)))


def test_integer_controls_are_whole_numbers():
    text = ENTRY.replace("fine: {value: 0, bounds: [0, 5], cost: 1}",
                         "fine: {value: 0, bounds: [0, 5], cost: 1, type: integer}")
    result = cheapest_tree_policy(tree(text), TreeTarget(path=("out",)))
    assert result.controls["fine"] == 3 and result.unique is True


def test_in_a_subgame_with_hidden_moves_the_target_is_an_spe_and_uniqueness_is_not_claimed():
    result = api.optimize("scale_and_entry")
    assert result.controls == {"q": F(1, 8) + F(1, 8000)} and result.verified
    assert result.shared_subgames == ["strict"] and result.unique is not True
    assert "uniqueness there was not required by the programme" in result.verification
    # the threshold is the credible-threat condition of analyze: f*q + w >= g
    assert result.threshold.point == {"q": F(1, 8)}
    condition = next(c for eq in analyze_tree(api.load("scale_and_entry")).equilibria
                     for c in eq.conditions if c.alternative == "expand" and c.node == "strict")
    assert str(condition.condition) == "f*q + w >= g"


# -- file syntax -----------------------------------------------------------------------

@pytest.mark.parametrize("target, message", [
    ("target: {path: [enter, duck]}", "6: target.path[1]: 'duck' is not an action here; actions "
                                      "at this point of the path: fight, share"),
    ("target: {path: [out, more]}", "6: target.path[1]: the path reaches the end of play after "
                                    "out; it cannot go on with 'more'"),
    ("target: {actions: {nowhere: fight}}", "6: target.actions.nowhere: 'nowhere' is not an "
                                            "information set of a player; information sets: "
                                            "root, after_entry"),
    ("target: {actions: {after_entry: run}}", "6: target.actions.after_entry: 'run' is not an "
                                              "action of information set 'after_entry'; "
                                              "actions: fight, share"),
    ("target: {path: [enter, share], actions: {after_entry: fight}}",
     "6: target.actions.after_entry: the path plays share at information set 'after_entry', "
     "not fight"),
    ("target: {route: [out]}", "6: target.route: unknown key 'route'; allowed: path, actions"),
    ("target: [out]", "6: target: expected {path: [action, …]} (the actions played from the "
                      "root) and/or {actions: {information set: action}}"),
])
def test_a_bad_target_is_refused_with_file_line_and_field(target, message):
    text = ENTRY.replace("tree:", target + "\ntree:")
    with pytest.raises(GameFileError) as caught:
        load_tree_text(text, path="entry.yaml")
    assert str(caught.value) == f"entry.yaml:{message}"


def test_the_file_target_is_what_optimize_brings_about_by_default():
    game = tree(ENTRY.replace("tree:", "target:\n  path: [out]\ntree:"))
    assert game.spec.tree_target == TreeTarget(path=("out",))
    assert api.optimize(game).controls["fine"] == F(2001, 1000)


# -- hypothesis: random perfect-information trees, checked by hand ---------------------

def _leaf(draw):
    constant = draw(st.integers(-3, 3))
    slope = draw(st.integers(-1, 1))
    return [(F(constant), F(slope)), (F(draw(st.integers(-3, 3))), F(0))]


@st.composite
def random_trees(draw, depth=3):
    """A perfect-information tree of two players (nested tuples): a leaf is a list of
    (constant, slope in the control c) per player; a node is (player, [children])."""
    def node(level):
        if level == depth or (level and draw(st.booleans())):
            return _leaf(draw)
        return (draw(st.integers(0, 1)), [node(level + 1)
                                          for _ in range(draw(st.integers(2, 3)))])
    return node(0)


def _yaml(node, indent="  ") -> str:
    if isinstance(node, list):
        return "[" + ", ".join(f"{a} + {b}*c" if b else f"{a}" for a, b in node) + "]"
    player, children = node
    moves = "".join(f"\n{indent}  m{k}: {_yaml(child, indent + '    ')}"
                    for k, child in enumerate(children))
    return f"\n{indent}player: p{player}\n{indent}moves:{moves}"


def _solve_by_hand(node, c):
    """Backward induction (every tie-breaking): the set of (payoffs, path) it can give,
    and the smallest margin by which a chosen action beats the others (ties: 0)."""
    if isinstance(node, list):
        return {(tuple(a + b * c for a, b in node), ())}, None
    player, children = node
    results = [_solve_by_hand(child, c) for child in children]
    outcomes = set()
    margins = [m for _, m in results if m is not None]
    for choices in _products([sorted(r[0]) for r in results]):
        best = max(v[0][player] for v in choices)
        winners = [k for k, v in enumerate(choices) if v[0][player] == best]
        for k in winners:
            outcomes.add((choices[k][0], (k,) + choices[k][1]))
        others = [best - v[0][player] for j, v in enumerate(choices) if j not in winners]
        margins.append(F(0) if len(winners) > 1 else min(others))
    return outcomes, min(margins)


def _products(options):
    if not options:
        yield []
        return
    for first in options[0]:
        for rest in _products(options[1:]):
            yield [first] + rest


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_trees(), st.data())
def test_random_trees_the_optimum_is_checked_by_hand_at_it_and_just_below(shape, data):
    if isinstance(shape, list):
        return
    text = ("players: [p0, p1]\ncontrols: {c: {value: 0, bounds: [0, 4], cost: 1}}\ntree:"
            + _yaml(shape))
    game = tree(text)
    path, node = [], shape
    while not isinstance(node, list) and (not path or data.draw(st.booleans())):
        k = data.draw(st.integers(0, len(node[1]) - 1))
        path.append(k)
        node = node[1][k]
    target = TreeTarget(path=tuple(f"m{k}" for k in path))
    result = cheapest_tree_policy(game, target)

    def follows(outcome_path):
        return outcome_path[:len(path)] == tuple(path)

    if result.cost is None:  # no c in [0, 4] (on a fine grid) makes it unique by the margin
        assert result.status == "infeasible"
        for c in (F(k, 16) for k in range(65)):
            outcomes, margin = _solve_by_hand(shape, c)
            assert not (all(follows(p) for _, p in outcomes) and margin >= F(1, 1000))
        return
    c = F(result.controls["c"])
    outcomes, margin = _solve_by_hand(shape, c)
    assert result.verified and result.unique is True
    weak = cheapest_tree_policy(game, target, robust="spe")  # ties may go the target's way
    assert weak.verified and weak.cost <= result.cost
    assert any(follows(p) for _, p in _solve_by_hand(shape, F(weak.controls["c"]))[0])
    assert all(follows(p) for _, p in outcomes) and margin >= F(1, 1000)
    zero = result.threshold.point["c"] if result.threshold else c
    below = zero - F(1, 100)
    if below >= 0:  # cheaper than the threshold: no tie-breaking gives the target
        outcomes, _ = _solve_by_hand(shape, below)
        assert not any(follows(p) for _, p in outcomes)


# -- sweep: the phase diagram and the thresholds of analyze ----------------------------

def test_sweep_regions_switch_where_analyze_says_the_threat_becomes_credible():
    game = tree(ENTRY)
    swept = sweep_tree(game, [GridAxis.parse("fine=0:4:41")])
    labels = [swept.labels[k] for k in swept.grid]
    threshold = next(c.threshold for eq in analyze_tree(game).equilibria for c in eq.conditions
                     if c.node == "enter")
    assert str(threshold) == "fine <= 2"
    # below the threshold: entry and sharing; at it a tie (two SPE); above it: out
    assert set(labels[:20]) == {"enter → share (1 SPE)"}
    # (at the tie the incumbent's mixtures are subgame perfect too: the list is not complete)
    assert labels[20] == "out | enter → share (2 SPE, may be incomplete)"
    assert set(labels[21:]) == {"out (1 SPE)"}
    extras = api.sweep_extras(game, swept)
    assert [b.equation for b in extras["boundaries"]] == ["fine = 2"]


def test_two_axis_sweep_boundaries_are_the_credible_threat_lines():
    game = tree(ENTRY)
    axes = [GridAxis.parse("fine=0:4:17"), GridAxis.parse("subsidy=0:3:13")]
    swept = sweep_tree(game, axes)
    equations = sorted(b.equation for b in api.sweep_extras(game, swept)["boundaries"])
    assert equations == ["fine = 2", "subsidy = 1"]
    grid = np.vectorize(lambda k: swept.labels[k])(swept.grid)
    assert grid[16, 12] == "enter → fight (1 SPE)" and grid[16, 0] == "out (1 SPE)"
    assert grid[0, 0] == "enter → share (1 SPE)"


def test_points_outside_the_assumptions_are_labelled_not_solved():
    swept = sweep_tree(api.load("chain_store"), [GridAxis.parse("d=0:6:7")])
    assert [swept.labels[k] for k in swept.grid] == (
        ["outside the model: assumption d > u fails"] * 2
        + ["enter → accommodate → enter → accommodate (1 SPE)"] * 3
        + ["outside the model: assumption m > d fails"] * 2)


def test_a_sweep_past_its_point_limit_is_refused(monkeypatch):
    monkeypatch.setenv("POLICY_LIMIT_TREE_SWEEP_POINTS", "100")
    with pytest.raises(ModelError, match="the grid has 121 points; a sweep of a game tree solves "
                                         "every point exactly, and at most 100 are allowed"):
        sweep_tree(tree(ENTRY), [GridAxis.parse("fine=0:4:11"), GridAxis.parse("subsidy=0:3:11")])


def test_a_dask_sweep_of_a_tree_equals_the_local_one():
    distributed = pytest.importorskip("distributed", reason="dask.distributed is optional")
    game = tree(ENTRY)
    axes = [GridAxis.parse("fine=0:4:9"), GridAxis.parse("subsidy=0:3:7")]
    local = sweep_tree(game, axes, chunk=5)
    with distributed.Client(processes=False, dashboard_address=None) as client:
        remote = sweep_tree(game, axes, chunk=5, client=client)
    assert remote.labels == local.labels and np.array_equal(remote.grid, local.grid)


def test_uncertainty_counts_the_share_of_draws_of_each_outcome():
    text = ENTRY.replace("controls:", "parameters:\n  w: {value: 0, dist: \"uniform(0, 4)\"}\n"
                         "controls:").replace("[-1 + subsidy, -1]", "[-1 + subsidy, w - 3]")
    result = uncertainty_tree(tree(text), 400, seed=3)
    shares = {region.label: region.points for region, _, _ in result.regions}
    # the incumbent fights when w - 3 > 1, i.e. w > 4: never; shares all the time
    assert shares == {"enter → share (1 SPE)": 400}
    text = text.replace("w - 3", "w - 2")  # fights when w > 3: a quarter of the draws
    result = uncertainty_tree(tree(text), 400, seed=3)
    counts = {region.label: region.points for region, _, _ in result.regions}
    assert set(counts) == {"enter → share (1 SPE)", "out (1 SPE)"}
    assert 70 <= counts["out (1 SPE)"] <= 130


# -- the command line ------------------------------------------------------------------

@pytest.fixture
def entry_file(tmp_path):
    path = tmp_path / "entry.yaml"
    path.write_text(ENTRY)
    return path


def test_optimize_cli_json_and_exit_codes(entry_file, tmp_path):
    runner = CliRunner()
    ok = runner.invoke(cli, ["optimize", str(entry_file), "--path", "out", "--json",
                             "--no-report"])
    assert ok.exit_code == 0, ok.output
    document = json.loads(ok.stdout)
    assert document["kind"] == "tree" and document["mode"] == "implement"
    assert document["target"] == {"path": ["out"], "actions": {}}
    assert document["controls_exact"] == {"fine": "2001/1000", "subsidy": "0"}
    assert document["cost_exact"] == "2001/1000" and document["verified"] is True
    assert document["unique"] is True and document["threshold"]["value_exact"] == "2"
    infeasible = runner.invoke(cli, ["optimize", str(entry_file), "--path", "out", "--set",
                                     "subsidy=0", "--target", "after_entry=share",
                                     "--no-report"])
    assert infeasible.exit_code == 1
    bad = runner.invoke(cli, ["optimize", str(entry_file), "--path", "out,nowhere"])
    assert bad.exit_code == 2 and bad.stderr == (
        "error: target path[1]: the path reaches the end of play after out; it cannot go on "
        "with 'nowhere'\n")
    matrix = runner.invoke(cli, ["optimize", "platform_entry", "--path", "out"])
    assert matrix.exit_code == 2 and "--path applies to game trees" in matrix.stderr
    written = runner.invoke(cli, ["optimize", str(entry_file), "--target", "after_entry=fight",
                                  "--out", str(tmp_path / "out")])
    assert written.exit_code == 0
    markdown = (tmp_path / "out" / "entry" / "optimize.md").read_text()
    assert "**Verification passed:**" in markdown and "| `fine` | 2001/1000" in markdown


def test_sweep_cli_on_a_tree_with_json_save_and_dask(entry_file, tmp_path):
    runner = CliRunner()
    args = ["sweep", str(entry_file), "--vary", "fine=0:4:9", "--json", "--no-report"]
    local = runner.invoke(cli, args + ["--save", str(tmp_path / "points.csv")])
    assert local.exit_code == 0, local.output
    document = json.loads(local.stdout)
    assert document["points"] == 9 and [r["label"] for r in document["regions"]] == [
        "enter → share (1 SPE)", "out (1 SPE)", "out | enter → share (2 SPE, may be incomplete)"]
    assert [b["equation"] for b in document["boundaries"]] == ["fine = 2"]
    assert (tmp_path / "points.csv").read_text().splitlines()[1] == '0.0,"enter → share (1 SPE)"'
    pytest.importorskip("distributed", reason="dask.distributed is optional")
    remote = runner.invoke(cli, args + ["--executor", "dask"])
    assert remote.exit_code == 0, remote.output
    assert json.loads(remote.stdout)["regions"] == document["regions"]


def test_report_of_a_tree_has_its_sweep_and_optimize_sections(tmp_path):
    result = CliRunner().invoke(cli, ["report", "scale_and_entry", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    folder = tmp_path / "scale_and_entry"
    markdown = (folder / "index.md").read_text()
    assert "## What the regulator should do" in markdown
    assert "Threshold: q \\> 1/8; at q = 1/8 incumbent at strict is indifferent" in markdown
    assert "](report-sweep.png)" in markdown and (folder / "report-sweep.png").exists()
    document = json.loads((folder / "report.json").read_text())
    assert document["optimize"]["controls_exact"] == {"q": "1001/8000"}
    assert document["sweep"]["grid"] == {"g": [0, 10, 21], "f": [0, 20, 21]}
    assert "uncertainty" in document["skipped"]


def test_uncertainty_cli_on_a_tree(tmp_path):
    path = tmp_path / "drawn.yaml"
    path.write_text(ENTRY.replace("controls:", "parameters:\n  w: {value: 0, dist: \"uniform(0, 4)\"}"
                                  "\ncontrols:").replace("[-1 + subsidy, -1]", "[-1 + subsidy, w - 2]"))
    result = CliRunner().invoke(cli, ["uncertainty", str(path), "--samples", "200", "--json",
                                      "--no-report"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["kind"] == "tree" and document["samples"] == 200
    assert sum(o["count"] for o in document["outcomes"]) == 200
    assert {o["label"] for o in document["outcomes"]} == {"enter → share (1 SPE)", "out (1 SPE)"}

"""Benchmark of game trees (issue 16), in one run (not part of the test suite; pygambit
is an optional oracle, GPL, never imported by the package):

    python tests/benchmarks/trees.py                    # everything
    python tests/benchmarks/trees.py --depth 19 --efg-depth 16 --random 6 --gambit-files 0

1. **SPE of a perfect-information tree with 10^6 nodes**: a complete binary tree of
   depth 19 (1,048,575 nodes), built in memory as a ``NumericTree`` (two players, the
   mover of each node drawn at random, payoffs drawn from 0…10^9 so that no tie
   occurs). Processor seconds of ``solve_tree(tree, nash=False)`` (backward induction
   and the exact subgame-perfection check) and of ``solve_tree(tree)`` as ``policy
   solve`` runs it (then also trying the whole tree's reduced strategic form, refused
   past ``POLICY_LIMIT_PROFILES``), and the peak memory of the process doing it. The
   SPE found is compared with backward induction written here.
2. **Reading a 10^5-node .efg**: the same kind of tree of depth 16 (131,071 nodes)
   written as Gambit ``.efg``; seconds of ``load_game`` (``POLICY_LIMIT_FILE_BYTES``
   raised: the file has 4 MB) and of pygambit's ``read_efg`` on the same file, then of
   binding and solving ours; agreement: the same number of nodes, and the same payoff
   sums over the leaves.
3. **Two-player trees against pygambit**: random trees with hidden moves (simultaneous
   stages, chance first) and the two-player ``.efg`` files of Gambit's repository (from
   the local snapshot, when present). Seconds of ``solve_tree`` (every SPE, and every
   extreme Nash equilibrium of the reduced strategic form), of pygambit's ``lcp_solve``
   on the tree (sequence form) and of its ``enummixed_solve`` on the reduced strategic
   form, each pygambit call in a child process stopped after 20 s. Agreement: every
   equilibrium pygambit returns passes our exact Nash check (zero regret), lcp's are
   among ours, and enummixed's equal ours, comparing behaviour strategies at the
   information sets each player's own strategy reaches.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # measure this checkout

from policy.errors import PolicyError  # noqa: E402
from policy.loader import load_game  # noqa: E402
from policy.tree_equilibria import is_nash, solve_tree  # noqa: E402
from policy.tree_model import NumericTree, TreeGame  # noqa: E402
from policy.tree_spec import Infoset, TreeNode  # noqa: E402

MIRROR = Path("/work/.mirror/gambitproject+gambit/repo")
GAMBIT_SECONDS = 20
#: pygambit's read_efg of the 131,071-node file takes 11 to 20 processor seconds.
READ_SECONDS = 120


def seconds(work):
    started = time.process_time()
    result = work()
    return time.process_time() - started, result


def peak_megabytes() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def in_child(function, *arguments, timeout: float | None = None):
    """``function(*arguments)`` in a fresh child process (its own peak memory); None if it
    does not answer within ``timeout`` seconds."""
    context = multiprocessing.get_context("fork")
    answer = context.Queue()
    child = context.Process(target=lambda: answer.put(function(*arguments)))
    child.start()
    child.join(timeout)
    if child.is_alive():
        child.terminate()
        child.join()
        return None
    return answer.get() if not answer.empty() else None


# -- 1. a perfect-information tree with 10^6 nodes --------------------------------------------

def complete_tree(depth: int, seed: int = 0) -> NumericTree:
    """A complete binary tree in pre-order: two players, random movers, generic payoffs."""
    rng = random.Random(seed)
    nodes: list = [None] * (2 ** (depth + 1) - 1)
    infosets, payoffs = [], {}
    stack = [(0, 0)]
    while stack:
        index, level = stack.pop()
        if level == depth:
            nodes[index] = TreeNode("leaf")
            payoffs[index] = (Fraction(rng.randrange(10 ** 9)), Fraction(rng.randrange(10 ** 9)))
            continue
        h = len(infosets)
        infosets.append(Infoset(rng.randrange(2), "", ("l", "r"), h + 1))
        left, right = index + 1, index + 2 ** (depth - level)
        nodes[index] = TreeNode("player", infoset=h, children=(left, right))
        stack += [(right, level + 1), (left, level + 1)]
    return NumericTree(name=f"complete{depth}", players=("p0", "p1"), nodes=tuple(nodes),
                       infosets=tuple(infosets), chance={}, payoffs=payoffs)


def backward_induction(tree: NumericTree) -> tuple[dict[int, int], tuple]:
    """The SPE of a tie-free perfect-information tree, written for this benchmark."""
    value, choice = {}, {}
    for index in range(len(tree.nodes) - 1, -1, -1):
        node = tree.nodes[index]
        if node.kind == "leaf":
            value[index] = tree.payoffs[index]
            continue
        player = tree.infosets[node.infoset].player
        best = max(range(len(node.children)), key=lambda k: value[node.children[k]][player])
        choice[node.infoset] = best
        value[index] = value[node.children[best]]
    return choice, value[0]


def spe_case(depth: int, nash: bool) -> dict:
    tree = complete_tree(depth)
    spent, solution = seconds(lambda: solve_tree(tree, nash=nash))
    (spe,) = solution.spe
    choice, payoffs = backward_induction(tree)
    agrees = spe.payoffs == payoffs and all(spe.behaviour[h][k] == 1 for h, k in choice.items())
    return {"nodes": len(tree.nodes), "seconds": spent, "megabytes": peak_megabytes(),
            "verified": spe.verified, "agrees": agrees, "notes": solution.notes}


def report_spe(depth: int) -> None:
    print(f"## SPE of a perfect-information tree (complete binary, depth {depth})\n")
    print("| what | nodes | processor s | peak memory (MB) | SPE verified | = backward induction here |")
    print("|---|---|---|---|---|---|")
    for nash, what in ((False, "`solve_tree(tree, nash=False)`: SPE"),
                       (True, "`solve_tree(tree)`: SPE, then the reduced form tried")):
        row = in_child(spe_case, depth, nash)
        print(f"| {what} | {row['nodes']:,} | {row['seconds']:.1f} | {row['megabytes']:.0f} | "
              f"{'yes' if row['verified'] else 'NO'} | {'yes' if row['agrees'] else 'NO'} |")
        for note in row["notes"]:
            print(f"\n(note: {note})")
    print()


# -- 2. reading a 10^5-node .efg ---------------------------------------------------------------

def efg_text(depth: int, seed: int = 1) -> str:
    """A complete binary tree as Gambit .efg text: random movers, one outcome per leaf."""
    rng = random.Random(seed)
    lines = ['EFG 2 R "complete binary tree" { "Player 1" "Player 2" }', '""', ""]
    infosets = [0, 0]
    outcome = 0
    stack = [0]
    while stack:
        level = stack.pop()
        if level == depth:
            outcome += 1
            lines.append(f't "" {outcome} "" {{ {rng.randrange(10 ** 6)}, '
                         f'{rng.randrange(10 ** 6)} }}')
            continue
        player = rng.randrange(2)
        infosets[player] += 1
        lines.append(f'p "" {player + 1} {infosets[player]} "" {{ "l" "r" }} 0')
        stack += [level + 1, level + 1]
    return "\n".join(lines) + "\n"


def _gambit_read(path: str) -> dict:
    import pygambit

    spent, game = seconds(lambda: pygambit.read_efg(path))
    leaves = [node for node in game.nodes if node.is_terminal]
    sums = [sum((Fraction(str(leaf.outcome[player])) for leaf in leaves), Fraction(0))
            for player in game.players]
    return {"seconds": spent, "nodes": len(list(game.nodes)), "sums": sums}


def _ours_read(path: str) -> dict:
    spent, spec = seconds(lambda: load_game(path))
    bound_seconds, tree = seconds(lambda: TreeGame.from_spec(spec).bind())
    solve_seconds, solution = seconds(lambda: solve_tree(tree, nash=False))
    sums = [sum((payoffs[i] for payoffs in tree.payoffs.values()), Fraction(0)) for i in range(2)]
    return {"seconds": spent, "bind": bound_seconds, "solve": solve_seconds,
            "nodes": len(spec.nodes), "sums": sums, "megabytes": peak_megabytes(),
            "verified": all(eq.verified for eq in solution.spe)}


def report_efg(depth: int) -> None:
    text = efg_text(depth)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"complete{depth}.efg"
        path.write_text(text, encoding="ascii")
        os.environ["POLICY_LIMIT_FILE_BYTES"] = str(len(text) + 1)
        ours = in_child(_ours_read, str(path))
        theirs = in_child(_gambit_read, str(path), timeout=READ_SECONDS)
    print(f"## Reading a {ours['nodes']:,}-node .efg ({len(text) / 1e6:.1f} MB)\n")
    print("| | processor s |\n|---|---|")
    print(f"| ours: `load_game` (read and check) | {ours['seconds']:.2f} |")
    print(f"| ours: bind (exact payoffs) | {ours['bind']:.2f} |")
    print(f"| ours: SPE, verified ({'yes' if ours['verified'] else 'NO'}) | {ours['solve']:.2f} |")
    print(f"| ours: peak memory of the process (MB) | {ours['megabytes']:.0f} |")
    if theirs is None:
        print(f"| pygambit `read_efg` | no answer in {READ_SECONDS} s |")
    else:
        same = theirs["nodes"] == ours["nodes"] and theirs["sums"] == ours["sums"]
        print(f"| pygambit `read_efg` | {theirs['seconds']:.2f} |")
        print(f"| ours / pygambit (reading) | {ours['seconds'] / theirs['seconds']:.1f}× |")
        print(f"| same nodes and payoff sums | {'yes' if same else 'NO'} |")
    print()


# -- 3. two-player trees against pygambit ------------------------------------------------------

def staged_efg(seed: int, stages: int) -> str:
    """A random two-player tree as .efg: chance first (1/3, 2/3), then in each branch a
    simultaneous stage (player 1 moves, player 2 answers without seeing it), a few of
    whose cells lead to a further 2×2 stage (``stages`` deep); integer payoffs -5…5
    (ties occur)."""
    rng = random.Random(seed)
    lines = [f'EFG 2 R "staged {seed}" {{ "Player 1" "Player 2" }}', '""', ""]
    counters = {"infoset": [0, 0], "outcome": 0}

    def leaf() -> None:
        counters["outcome"] += 1
        lines.append(f't "" {counters["outcome"]} "" {{ {rng.randint(-5, 5)}, '
                     f'{rng.randint(-5, 5)} }}')

    def stage(depth: int, rows: int, columns: int) -> None:
        counters["infoset"][0] += 1
        counters["infoset"][1] += 1
        first, second = counters["infoset"]
        names = " ".join(f'"r{k}"' for k in range(rows))
        lines.append(f'p "" 1 {first} "" {{ {names} }} 0')
        for _ in range(rows):
            answers = " ".join(f'"c{k}"' for k in range(columns))
            lines.append(f'p "" 2 {second} "" {{ {answers} }} 0')
            for _ in range(columns):
                stage(depth - 1, 2, 2) if depth and rng.random() < 0.15 else leaf()

    lines.append('c "" 1 "" { "x" 1/3 "y" 2/3 } 0')
    for _ in range(2):
        stage(stages, rng.randint(2, 3), rng.randint(2, 3))
    return "\n".join(lines) + "\n"


def canonical(tree: NumericTree, behaviour: dict[int, tuple]) -> tuple:
    """A behaviour profile with the information sets its owner's own moves never reach
    blanked (any behaviour there is the same equilibrium)."""
    reach: dict[int, bool] = {}
    stack = [(0, [True] * tree.n_players)]
    while stack:
        index, own = stack.pop()
        node = tree.nodes[index]
        if node.kind == "leaf":
            continue
        owner = tree.infosets[node.infoset].player
        if owner is not None:
            reach[node.infoset] = reach.get(node.infoset, False) or own[owner]
        for action, child in enumerate(node.children):
            mine = list(own)
            if owner is not None:
                probabilities = behaviour.get(node.infoset) or ()
                mine[owner] = own[owner] and bool(probabilities) and probabilities[action] > 0
            stack.append((child, mine))
    return tuple(tuple(behaviour[h]) if reach.get(h) else None
                 for h in range(len(tree.infosets)) if tree.infosets[h].player is not None)


def _gambit_infosets(game) -> list:
    """pygambit's decision information sets in the order their first node comes in
    pre-order (ours are matched to them that way: the same file, the same tree)."""
    seen, stack = [], [game.root]
    while stack:
        node = stack.pop()
        if not node.is_terminal and not node.player.is_chance and node.infoset not in seen:
            seen.append(node.infoset)
        stack.extend(reversed(list(node.children)))
    return seen


def _gambit_solve(path: str, method: str) -> dict:
    import pygambit

    game = pygambit.read_efg(path)
    solver = pygambit.nash.lcp_solve if method == "lcp" else pygambit.nash.enummixed_solve
    spent, found = seconds(lambda: solver(game, rational=True).equilibria)
    infosets = _gambit_infosets(game)
    profiles = []
    for eq in found:
        behaviour = eq if method == "lcp" else eq.as_behavior()
        profiles.append([[Fraction(str(behaviour[action])) for action in infoset.actions]
                         for infoset in infosets])
    return {"seconds": spent, "profiles": profiles}


def _as_ours(tree: NumericTree, profile) -> dict[int, tuple]:
    """pygambit's behaviours (per information set, in pre-order of first nodes) as ours."""
    order = list(dict.fromkeys(node.infoset for node in tree.nodes if node.kind == "player"))
    behaviour = {}
    for h, probabilities in zip(order, profile, strict=True):
        total = sum(probabilities)
        behaviour[h] = tuple(p / total for p in probabilities) if total else ()
    return behaviour


def compare(name: str, path: Path) -> dict | None:
    try:
        tree = TreeGame.from_spec(load_game(path)).bind()
    except PolicyError as err:
        return {"name": name, "refused": str(err)}
    if tree.n_players != 2:
        return None
    spent, solution = seconds(lambda: solve_tree(tree))
    ours = {canonical(tree, dict(enumerate(eq.behaviour))) for eq in solution.equilibria}
    row = {"name": name, "nodes": len(tree.nodes), "ours": spent,
           "count": len(solution.equilibria), "complete": solution.equilibria_complete,
           "spe": len(solution.spe)}
    for method in ("lcp", "enummixed"):
        answer = in_child(_gambit_solve, str(path), method, timeout=GAMBIT_SECONDS)
        if answer is None:
            row[method] = None
            continue
        theirs = [_as_ours(tree, profile) for profile in answer["profiles"]]
        zero_regret = all(is_nash(tree, eq) for eq in theirs)  # exact, rational=True
        found = {canonical(tree, eq) for eq in theirs}
        row[method] = {"seconds": answer["seconds"], "count": len(found),
                       "zero_regret": zero_regret,
                       "agrees": found <= ours if method == "lcp" else found == ours}
    return row


def gambit_files(limit: int | None) -> list[tuple[str, Path]]:
    if not MIRROR.exists():
        return []
    listed = subprocess.run(["git", "-C", str(MIRROR), "ls-tree", "-r", "--name-only", "HEAD"],
                            capture_output=True, text=True, check=False).stdout.split()
    names = sorted(n for n in listed if n.lower().endswith(".efg"))
    folder = Path(tempfile.mkdtemp())
    files = []
    for name in names:
        data = subprocess.run(["git", "-C", str(MIRROR), "show", f"HEAD:{name}"],
                              capture_output=True, check=True).stdout
        header = data.split(b"}", 1)[0].split(b"{", 1)[-1]
        if len(re.findall(rb'"(?:[^"\\]|\\.)*"', header)) != 2:
            continue  # not a two-player game
        path = folder / name.replace("/", "__")
        path.write_bytes(data)
        files.append((name, path))
    return files[:limit] if limit is not None else files


def report_pygambit(random_trees: int, gambit_limit: int | None) -> None:
    cases = []
    with tempfile.TemporaryDirectory() as folder:
        for seed in range(random_trees):
            path = Path(folder) / f"staged{seed}.efg"
            path.write_text(staged_efg(seed, 1 + seed % 2), encoding="ascii")
            cases.append((f"random staged, seed {seed}", path))
        cases += gambit_files(gambit_limit)
        rows = [row for name, path in cases if (row := compare(name, path)) is not None]
    print("## Two-player trees against pygambit (lcp_solve on the tree, enummixed_solve on "
          "the reduced strategic form)\n")
    print("| tree | nodes | ours: SPE + every extreme Nash (s) | ours: equilibria | lcp (s) | "
          "lcp: equilibria | ours / lcp | enummixed (s) | enummixed: equilibria | "
          "ours / enummixed | pygambit's have zero regret | lcp's ⊆ ours | enummixed's = ours |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    ratios: dict[str, list[float]] = {"lcp": [], "enummixed": []}
    refused = []
    for row in rows:
        if "refused" in row:
            refused.append(row)
            continue
        cells = [row["name"], f"{row['nodes']:,}", f"{row['ours']:.3f}",
                 f"{row['count']}" + ("" if row["complete"] else " (incomplete)")]
        regret, agree = [], []
        for method in ("lcp", "enummixed"):
            answer = row[method]
            if answer is None:
                cells += [f"no answer in {GAMBIT_SECONDS} s", "—", "—"]
                continue
            ratio = row["ours"] / max(answer["seconds"], 1e-4)
            ratios[method].append(ratio)
            cells += [f"{answer['seconds']:.3f}", str(answer["count"]), f"{ratio:.1f}×" if ratio < 10 else f"{ratio:.0f}×"]
            regret.append(answer["zero_regret"])
            agree.append("yes" if answer["agrees"] else "NO")
        cells.append("yes" if all(regret) else "NO")
        cells += agree if len(agree) == 2 else agree + ["—"] * (2 - len(agree))
        print("| " + " | ".join(cells) + " |")
    for method, values in ratios.items():
        if values:
            print(f"\nmedian ratio ours / {method}: {statistics.median(values):.0f}× "
                  f"over {len(values)} trees")
    for row in refused:
        print(f"\nrefused by us: {row['name']}: {row['refused']}")
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--depth", type=int, default=19, help="depth of the SPE tree (19: 10^6 nodes)")
    parser.add_argument("--efg-depth", type=int, default=16, help="depth of the .efg tree (16: 10^5 nodes)")
    parser.add_argument("--random", type=int, default=6, help="random two-player trees")
    parser.add_argument("--gambit-files", type=int, default=None,
                        help="at most this many of Gambit's two-player .efg files (default: all)")
    options = parser.parse_args()
    report_spe(options.depth)
    report_efg(options.efg_depth)
    report_pygambit(options.random, options.gambit_files)


if __name__ == "__main__":
    main()

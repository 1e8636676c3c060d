"""A game tree drawn as SVG: deterministic bytes, text kept as ``<text>``, nothing fetched.

Where this sits: the report package (stage 8), beside :mod:`.figures` (the matplotlib
figures). A tree is drawn by hand rather than with matplotlib: its layout is a few
lines of arithmetic, and writing the SVG directly keeps every label a ``<text>``
element in the order of the tree, with no fonts, dates or hashes to pin down.
:mod:`.tree` attaches the drawing to a tree's solve report; the HTML inlines it like
the other figures (:func:`.html.markdown_html`).

Layout, left to right: the root on the left, one column per depth; the leaves in
pre-order, one row each, evenly spaced; every other node half-way between the rows
of its first and last child. A node's branches leave it through a bracket: a short
stem (the mover's name above it), a vertical bar, then one horizontal segment per
action, with the action's label above the segment and, for a chance move, its
probability below. Each leaf shows its payoffs, one per player in the order of the
legend on top. The nodes of one information set are joined by a dashed line; the
branches on the play of an equilibrium are drawn thick (their ``class`` is
``edge play``; every branch carries the index of the node it leads to in
``data-node``).

Examples
--------
>>> from policy.api import load, solve
>>> solution = solve(load("chain_store"))
>>> svg = draw_tree(solution.tree, solution.spe[0].outcome)
>>> svg.startswith("<svg") and svg.count('class="edge play"')
4
>>> sorted(play_edges(solution.tree, solution.spe[0].outcome))
[6, 12, 14, 16]
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Iterable

__all__ = ["draw_tree", "play_edges", "tree_rows", "leaf_count", "payoff_text"]

#: Geometry, in SVG pixels: distance between leaf rows (more when chance moves put
#: probabilities under their branches), margins, text metrics.
ROW = 32
CHANCE_ROW = 40
MARGIN = 12
TOP = 52
FONT_SIZE = 12
#: A generous average width of one character at FONT_SIZE (sans-serif): the layout
#: leaves room for labels from it, since no font metrics are available.
CHAR_WIDTH = 7.0

INK = "#1d232a"
BRANCH = "#5b6570"
PLAY = "#d9480f"
INFOSET = "#1f5f99"
#: Text over a line stays readable: a white outline painted under each glyph.
HALO = 'stroke="#ffffff" stroke-width="3" paint-order="stroke"'

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: str) -> str:
    """Text as XML character data: markup escaped, characters XML cannot hold replaced.

    >>> _text("a<b & \\x01")
    'a&lt;b &amp; \\ufffd'
    """
    value = _NOT_XML.sub("\ufffd", str(value))
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _width(text: str) -> float:
    return CHAR_WIDTH * len(text)


def _number(value: float) -> str:
    """A coordinate, the same text for the same value: ``12``, ``12.5``, ``12.25``."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def leaf_count(tree) -> int:
    """How many leaves a tree has (what limits its drawing)."""
    return sum(node.kind == "leaf" for node in tree.nodes)


def payoff_text(payoffs: Iterable[Fraction]) -> str:
    """A leaf's payoffs as drawn: ``(4, 2, -1/2)``.

    >>> payoff_text([Fraction(4), Fraction(-1, 2)])
    '(4, -1/2)'
    """
    return "(" + ", ".join(str(Fraction(v)) for v in payoffs) + ")"


def tree_rows(tree) -> tuple[list[int], list[float]]:
    """Each node's depth and row: leaves on rows 0, 1, 2, … in pre-order, every other
    node half-way between its first and last child (nodes are in pre-order, so a
    node's children come after it).

    >>> from policy.api import load, solve
    >>> depth, row = tree_rows(solve(load("chain_store")).tree)
    >>> depth[:4], row[:4]
    ([0, 1, 2, 2], [3.0, 0.75, 0.0, 1.5])
    """
    nodes = tree.nodes
    depth = [0] * len(nodes)
    for index, node in enumerate(nodes):
        for child in node.children:
            depth[child] = depth[index] + 1
    row = [0.0] * len(nodes)
    leaves = 0
    for index, node in enumerate(nodes):
        if node.kind == "leaf":
            row[index] = float(leaves)
            leaves += 1
    for index in range(len(nodes) - 1, -1, -1):
        children = nodes[index].children
        if children:
            row[index] = (row[children[0]] + row[children[-1]]) / 2
    return depth, row


def play_edges(tree, outcome: Iterable[tuple[int, Fraction]]) -> frozenset[int]:
    """The branches on the play of an equilibrium, each named by the node it leads to:
    every branch on the way from the root to a leaf reached with positive probability
    (``outcome``: ``(leaf, probability)`` pairs, as
    :attr:`policy.tree_equilibria.TreeEquilibrium.outcome` holds them)."""
    parent: dict[int, int] = {}
    for index, node in enumerate(tree.nodes):
        for child in node.children:
            parent[child] = index
    edges: set[int] = set()
    for leaf, probability in outcome:
        node = leaf
        while probability and node in parent and node not in edges:
            edges.add(node)
            node = parent[node]
    return frozenset(edges)


def _branches(tree, index: int) -> list[tuple[str, str | None, int]]:
    """A node's branches: (action label, probability text for chance or None, child)."""
    node = tree.nodes[index]
    infoset = tree.infosets[node.infoset]
    chances = tree.chance[node.infoset] if node.kind == "chance" else None
    return [(action, str(chances[k]) if chances is not None else None, child)
            for k, (action, child) in enumerate(zip(infoset.actions, node.children))]


def _mover(tree, index: int) -> str:
    node = tree.nodes[index]
    if node.kind == "chance":
        return "chance"
    return tree.players[tree.infosets[node.infoset].player]


def draw_tree(tree, outcome: Iterable[tuple[int, Fraction]] = ()) -> str:
    """The tree as an SVG document (text), the branches on ``outcome``'s play thick.

    The same tree and outcome give the same text, byte for byte.
    """
    outcome = tuple(outcome)
    nodes = tree.nodes
    depth, row = tree_rows(tree)
    inner = [i for i, node in enumerate(nodes) if node.kind != "leaf"]
    branches = {i: _branches(tree, i) for i in inner}
    leaves = {i: payoff_text(tree.payoffs[i]) for i, node in enumerate(nodes)
              if node.kind == "leaf"}
    step = CHANCE_ROW if any(node.kind == "chance" for node in nodes) else ROW
    stem = max((_width(_mover(tree, i)) for i in inner), default=0) * 1.1 + 16  # bold
    label = max((_width(text or "") for i in inner for a, p, _ in branches[i]
                 for text in (a, p)), default=0) + 16
    column = stem + label
    x = [MARGIN + 6 + depth[i] * column for i in range(len(nodes))]
    y = [TOP + row[i] * step for i in range(len(nodes))]
    legend = ("payoffs: (" + ", ".join(tree.players) + ")"
              + ("; thick: the equilibrium play" if outcome else "")
              + ("; dashed: one information set" if _infosets(tree) else ""))
    width = max([MARGIN + _width(legend)]
                + [x[i] + 10 + _width(text) for i, text in leaves.items()]) + MARGIN
    height = max(y) + step / 2 + MARGIN
    play = play_edges(tree, outcome)
    w, h = _number(width), _number(height)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
             f'viewBox="0 0 {w} {h}" font-family="sans-serif" font-size="{FONT_SIZE}" '
             f'fill="{INK}">',
             f'<rect width="{w}" height="{h}" fill="#ffffff"/>',
             f'<text x="{MARGIN}" y="{MARGIN + FONT_SIZE}" fill="#5b6570">{_text(legend)}</text>']
    for on_play in (False, True):  # the play drawn last, on top
        style = (f'stroke="{PLAY}" stroke-width="3"' if on_play
                 else f'stroke="{BRANCH}" stroke-width="1.2"')
        for i in inner:
            bar = _number(x[i] + stem)
            for _, _, child in branches[i]:
                if (child in play) is on_play:
                    parts.append(f'<path class="edge{" play" if on_play else ""}" '
                                 f'data-node="{child}" d="M{_number(x[i])} {_number(y[i])}'
                                 f'H{bar}V{_number(y[child])}H{_number(x[child])}" '
                                 f'fill="none" {style}/>')
    for members in _infosets(tree):
        points = " L".join(f"{_number(x[i])} {_number(y[i])}" for i in members)
        parts.append(f'<path class="infoset" d="M{points}" fill="none" stroke="{INFOSET}" '
                     'stroke-width="1.5" stroke-dasharray="5 4"/>')
    for i in inner:
        centre = (x[i] + stem + x[i] + column) / 2
        for action, probability, child in branches[i]:
            parts.append(f'<text class="action" x="{_number(centre)}" '
                         f'y="{_number(y[child] - 6)}" text-anchor="middle" {HALO}>{_text(action)}</text>')
            if probability is not None:
                parts.append(f'<text class="probability" x="{_number(centre)}" '
                             f'y="{_number(y[child] + 14)}" text-anchor="middle" '
                             f'font-style="italic" {HALO}>{_text(probability)}</text>')
    for i, node in enumerate(nodes):
        cx, cy = _number(x[i]), _number(y[i])
        if node.kind == "leaf":
            parts.append(f'<circle cx="{cx}" cy="{cy}" r="2.5"/>')
            parts.append(f'<text class="payoffs" x="{_number(x[i] + 10)}" '
                         f'y="{_number(y[i] + 4)}" {HALO}>{_text(leaves[i])}</text>')
            continue
        if node.kind == "chance":
            parts.append(f'<rect x="{_number(x[i] - 4)}" y="{_number(y[i] - 4)}" width="8" '
                         f'height="8" fill="#ffffff" stroke="{INK}" stroke-width="1.5"/>')
        else:
            parts.append(f'<circle cx="{cx}" cy="{cy}" r="4.5"/>')
        parts.append(f'<text class="mover" x="{_number(x[i] + 7)}" y="{_number(y[i] - 6)}" {HALO}'
                     + (' font-style="italic"' if node.kind == "chance" else
                        ' font-weight="bold"') + f">{_text(_mover(tree, i))}</text>")
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _infosets(tree) -> list[list[int]]:
    """The nodes of each information set with more than one node, in pre-order."""
    members: dict[int, list[int]] = {}
    for index, node in enumerate(tree.nodes):
        if node.kind == "player":
            members.setdefault(node.infoset, []).append(index)
    return [nodes for _, nodes in sorted(members.items()) if len(nodes) > 1]

"""Words shared by the report builders and renderers: the one notation for a pure
profile, equilibrium sets in words, and free text escaped as literal Markdown.

Part of the report package's flow (results → typed report → Markdown/HTML/text/JSON
→ writer); these helpers take plain values, never reports, so every module of the
package may use them.
"""

from __future__ import annotations

import re

from ..sweep.labels import INCOMPLETE

__all__ = ["escape", "profile_text", "equilibrium_set_words", "region_words"]


#: What can start a link, image, emphasis, code, raw HTML, entity, maths, table cell
#: or strikethrough anywhere in a line, and the schemes of GitHub's bare autolinks.
_MARKDOWN_SPECIAL = re.compile(r"[\\`*_\[\]<>&$|!~{}]|(?<=[A-Za-z])://|(?<=\bwww)\.")
#: What starts a block (heading, list, quote, rule, setext) at the start of a line.
_BLOCK_START = re.compile(r"^(\d+(?=[.)])|[#>+=\-])")


def escape(text: str, strip: bool = True) -> str:
    """Free text from a game file as literal Markdown, safe in a table cell or paragraph.

    Every character that could start Markdown is backslash-escaped (CommonMark shows
    an escaped character as itself), so no link, image, emphasis, raw HTML, entity or
    maths can come out of user text: ``![x](https://…)`` stays those characters, in
    the HTML too. Line breaks become spaces.

    >>> print(escape("*a* [b](https://c) <img> c_lic"))
    \\*a\\* \\[b\\](https\\://c) \\<img\\> c\\_lic
    >>> print(escape("1. not a list"), escape("- nor this"))
    1\\. not a list \\- nor this
    """
    text = re.sub(r"\s+", " ", str(text))
    text = text.strip() if strip else text
    escaped = _MARKDOWN_SPECIAL.sub(lambda match: "\\" + match.group(0), text)
    return _BLOCK_START.sub(lambda match: match.group(0) + "\\" if match.group(0)[0].isdigit()
                            else "\\" + match.group(0), escaped)


def profile_text(profile: dict[str, str | dict[str, str]]) -> str:
    """The one notation for a (partial) profile, in text, Markdown, HTML and errors: a
    strategy's name for a pure player, its probabilities (exact text) for a mixed one.

    >>> profile_text({"incumbent": "restrain", "entrant": "enter"})
    'incumbent=restrain, entrant=enter'
    >>> profile_text({"incumbent": "restrain", "entrant": {"enter": "1/3", "stay_out": "2/3"}})
    'incumbent=restrain, entrant=(enter 1/3, stay_out 2/3)'
    """
    return ", ".join(f"{player}={response_text(strategy)}" for player, strategy in profile.items())


def response_text(strategy: str | dict[str, str]) -> str:
    """A player's pure strategy, or its mixed one as ``(name probability, …)``.

    >>> response_text("enter"), response_text({"enter": "1/3", "stay_out": "2/3"})
    ('enter', '(enter 1/3, stay_out 2/3)')
    """
    if isinstance(strategy, str):
        return strategy
    return "(" + ", ".join(f"{name} {p}" for name, p in strategy.items()) + ")"


def region_words(players: list[str], region, pure_only: bool = False) -> str:
    """A sweep region in words: its equilibrium set, and whether the exact answer at its
    points was incomplete (the label says so)."""
    words = equilibrium_set_words(players, region.supports, pure_only)
    return words + (INCOMPLETE if region.label.endswith(INCOMPLETE) else "")


def equilibrium_set_words(players: list[str], supports: list[list[list[str]]],
                          pure_only: bool = False) -> str:
    """An equilibrium set (one support per player for each equilibrium) in words:
    pure ones as profiles (``a=x, b=y``), mixed ones by what each player mixes.
    ``pure_only``: only pure equilibria were computed, and the words say so.

    >>> equilibrium_set_words(["a", "b"], [], pure_only=True)
    'no pure equilibrium (mixed ones not computed)'

    >>> equilibrium_set_words(["a", "b"], [[["x"], ["y"]], [["x", "z"], ["y", "w"]]])
    '2 equilibria: a=x, b=y; and a mixed one (a mixes x and z, b mixes y and w)'
    """
    described = []
    for equilibrium in supports:
        if all(len(support) == 1 for support in equilibrium):
            described.append(profile_text({p: s[0] for p, s in zip(players, equilibrium)}))
        else:
            described.append("a mixed one (" + ", ".join(
                f"{p} plays {s[0]}" if len(s) == 1 else f"{p} mixes " + " and ".join(s)
                for p, s in zip(players, equilibrium)) + ")")
    if pure_only:
        count = len(described)
        return ("no pure equilibrium" if not count else
                f"one pure equilibrium: {described[0]}" if count == 1 else
                f"{count} pure equilibria: " + "; ".join(described[:-1])
                + f"; and {described[-1]}") + " (mixed ones not computed)"
    if not described:
        return "no equilibrium"
    if len(described) == 1:
        single = described[0]
        return ("one equilibrium, a mixed one" + single[len("a mixed one"):]
                if single.startswith("a mixed one") else f"one equilibrium: {single}")
    return f"{len(described)} equilibria: " + "; ".join(described[:-1]) + f"; and {described[-1]}"

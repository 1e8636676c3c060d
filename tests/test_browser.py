"""The HTML reports, opened in a real browser (headless Chromium through selenium).

Every report page and the index page load without console errors or broken
images, show every figure as a labelled inline SVG and every formula as MathML,
request nothing from the network, and are saved as a full-page screenshot (into
POLICY_SCREENSHOTS=DIR as well, when set, for a person to look at).

The pages tested are the committed ``reports/<game>/index.html`` when the
repository has them; otherwise ``policy report`` writes a representative subset
into a temporary folder (the whole ``--all`` run takes minutes).

Skipped, with the command to fix it, when Chromium, its driver or selenium is
missing (``.ci/run`` installs them from the system packages when it can).
"""

from __future__ import annotations

import base64
import os
import re
import shutil
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parent.parent
BUNDLED_REPORTS = REPOSITORY / "reports"
#: Generated when the repository has no bundled reports: two players with controls
#: and a phase diagram, an inspection game, three players, and no controls at all.
SUBSET = ("platform_entry", "inspection", "regulatory_capture", "matching_pennies")
CHROMIUM = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
DRIVER = ("chromedriver", "/usr/lib/chromium/chromedriver", "/usr/lib/chromium-browser/chromedriver")
INSTALL = "apt-get install chromium chromium-driver"

# --- which pages -------------------------------------------------------------

def _bundled_games() -> list[str]:
    """Games with a committed report in ``reports/``, if any."""
    return sorted(path.parent.name for path in BUNDLED_REPORTS.glob("*/index.html"))


GAMES = _bundled_games() or list(SUBSET)


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> Path:
    """The folder of reports to open: the committed one, or a freshly written subset."""
    if _bundled_games():
        return BUNDLED_REPORTS
    from click.testing import CliRunner

    from policy.cli import cli

    out = tmp_path_factory.mktemp("reports")
    for game in SUBSET:
        result = CliRunner().invoke(cli, ["report", game, "--out", str(out)])
        assert result.exit_code == 0, result.output
    return out


# --- the browser -------------------------------------------------------------

def _first_found(candidates) -> str | None:
    """The first candidate that is an executable on PATH or an existing path."""
    for name in candidates:
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="module")
def driver():
    """One headless Chromium for the whole module; skipped when none is installed."""
    chromium, chromedriver = _first_found(CHROMIUM), _first_found(DRIVER)
    if not (chromium and chromedriver):
        pytest.skip(f"headless Chromium not installed: {INSTALL}")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.skip("selenium not installed: pip install -e '.[test]'")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,900", "--force-device-scale-factor=1"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    browser = webdriver.Chrome(service=Service(chromedriver), options=options)
    try:
        yield browser
    finally:
        browser.quit()


# --- what a page looks like once rendered --------------------------------------

FACTS = """
const done = arguments[arguments.length - 1];
const box = e => { const r = e.getBoundingClientRect(); return [r.width, r.height]; };
const decodes = href => new Promise(resolve => {
    const image = new Image();
    image.onload = () => resolve(image.naturalWidth > 0);
    image.onerror = () => resolve(false);
    image.src = href;
});
const svgImages = [...document.querySelectorAll('svg image')]
    .map(i => i.getAttribute('href') || i.getAttribute('xlink:href') || '');
Promise.all(svgImages.map(decodes)).then(decoded => done({
    h1: document.querySelectorAll('h1').length,
    images: [...document.images].map(i => i.complete && i.naturalWidth > 0),
    svgImages: svgImages.map((href, k) => [href.slice(0, 22), decoded[k]]),
    figures: [...document.querySelectorAll('svg[role=img]')].map(s => ({
        label: s.getAttribute('aria-label') || '', box: box(s)})),
    svgs: document.querySelectorAll('svg').length,
    math: [...document.querySelectorAll('math')].map(m => ({
        display: getComputedStyle(m).display, box: box(m),
        inner: [...m.querySelectorAll('*')].map(e => getComputedStyle(e).display)})),
    tables: [...document.querySelectorAll('table')].map(t => t.querySelectorAll('th').length),
    scripts: document.scripts.length,
    resources: performance.getEntriesByType('resource').map(r => r.name),
    links: [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href')),
    wide: document.documentElement.scrollWidth > document.documentElement.clientWidth,
}));
"""


@dataclass
class Page:
    """A page as Chromium rendered it: console messages, the DOM facts, a screenshot."""

    path: Path
    console: list[dict]
    facts: dict
    screenshot: Path


def _screenshot(driver, target: Path) -> Path:
    """A full-page PNG (the whole scroll height, not just the window)."""
    size = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
    clip = {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True, "clip": clip})
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(base64.b64decode(shot["data"]))
    return target


def _screenshot_folders(tmp_path_factory) -> list[Path]:
    """Where screenshots go: a temporary folder, and POLICY_SCREENSHOTS if set."""
    folders = [tmp_path_factory.mktemp("screenshots")]
    if os.environ.get("POLICY_SCREENSHOTS"):
        folders.append(Path(os.environ["POLICY_SCREENSHOTS"]))
    return folders


def _render(driver, path: Path, screenshots: list[Path]) -> Page:
    """Open ``path`` in the browser; collect its console, DOM facts and screenshots."""
    driver.get_log("browser")  # drop anything left from an earlier page
    driver.get(path.resolve().as_uri())
    facts = driver.execute_async_script(FACTS)
    console = driver.get_log("browser")
    shots = [_screenshot(driver, target) for target in screenshots]
    return Page(path, console, facts, shots[0])


@pytest.fixture(scope="module")
def visit(driver, reports, tmp_path_factory):
    """``visit(name)`` → the rendered :class:`Page` of ``<name>/index.html`` (or of the
    index page for ``"index"``); each page is loaded once per module."""
    folders = _screenshot_folders(tmp_path_factory)
    pages: dict[str, Page] = {}

    def load(name: str) -> Page:
        if name not in pages:
            path = reports / "index.html" if name == "index" else reports / name / "index.html"
            pages[name] = _render(driver, path, [folder / f"{name}.png" for folder in folders])
        return pages[name]

    return load


# --- what the Markdown promises ---------------------------------------------------

def _figure_references(markdown: str) -> list[str]:
    """The figures a report's Markdown shows (``![alt](file)``)."""
    return re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", markdown)


def _formulas(markdown: str) -> int:
    """How many ``$…$`` / ``$$…$$`` formulas the Markdown has (parsed, not guessed)."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath import dollarmath_plugin

    parser = MarkdownIt("commonmark").enable("table").use(dollarmath_plugin)
    tokens = parser.parse(markdown)
    inline = [child for token in tokens for child in token.children or []]
    return sum(token.type.startswith("math_") for token in tokens + inline)


class _Attributes(HTMLParser):
    """Every (tag, attribute, value) of a document, and its tags."""

    def __init__(self) -> None:
        super().__init__()
        self.attributes: list[tuple[str, str, str]] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.add(tag)
        self.attributes += [(tag, name, value or "") for name, value in attrs]


def _parse(html: str) -> _Attributes:
    parser = _Attributes()
    parser.feed(html)
    return parser


#: Computed displays of elements inside <math> that the MathML engine lays out (an
#: unsupported element would be plain "inline").
MATHML_LAYOUT = {"block math", "none", "inline-table", "table-row", "table-cell"}

#: Attributes through which a page would fetch or navigate to something.
URL_ATTRIBUTES = {"src", "href", "xlink:href", "srcset", "action", "poster", "data"}


def _external(attribute: str, value: str) -> bool:
    """Does this attribute point outside the file (``http(s)://`` or ``//host``)?"""
    if attribute == "style":
        return re.search(r"(?i)url\(\s*['\"]?(https?:)?//", value) is not None
    return attribute in URL_ATTRIBUTES and re.match(r"(?i)\s*(https?:)?//", value) is not None


# --- the specifications -------------------------------------------------------------

@pytest.mark.parametrize("name", GAMES + ["index"])
def test_page_loads_without_console_errors(visit, name):
    severe = [entry for entry in visit(name).console if entry["level"] in ("SEVERE", "ERROR")]
    assert severe == []


@pytest.mark.parametrize("name", GAMES + ["index"])
def test_no_image_is_broken(visit, name):
    facts = visit(name).facts
    assert all(facts["images"])
    assert all(href.startswith("data:image/") and decoded
               for href, decoded in facts["svgImages"]), facts["svgImages"]


@pytest.mark.parametrize("name", GAMES + ["index"])
def test_nothing_is_fetched_and_nothing_runs(visit, name):
    page = visit(name)
    parsed = _parse(page.path.read_text(encoding="utf-8"))
    external = [(tag, attribute, value[:60]) for tag, attribute, value in parsed.attributes
                if _external(attribute, value)]
    assert external == []
    assert "script" not in parsed.tags and page.facts["scripts"] == 0
    assert page.facts["resources"] == []


@pytest.mark.parametrize("game", GAMES)
def test_every_figure_is_a_visible_labelled_inline_svg(visit, reports, game):
    figures = visit(game).facts["figures"]
    markdown = (reports / game / "index.md").read_text(encoding="utf-8")
    assert len(figures) == len(_figure_references(markdown))
    assert len(figures) == visit(game).facts["svgs"]  # no unlabelled drawing
    for figure in figures:
        assert figure["label"].strip()
        assert min(figure["box"]) > 0


@pytest.mark.parametrize("game", GAMES)
def test_every_formula_renders_as_mathml(visit, reports, game):
    math = visit(game).facts["math"]
    markdown = (reports / game / "index.md").read_text(encoding="utf-8")
    assert len(math) == _formulas(markdown) > 0
    for formula in math:  # laid out by the MathML engine, not as unknown inline tags
        assert formula["display"] in ("math", "inline math", "block math")
        assert formula["inner"] and set(formula["inner"]) <= MATHML_LAYOUT, formula
    assert all(formula["box"][0] > 0 and formula["box"][1] > 0 for formula in math)


@pytest.mark.parametrize("name", GAMES + ["index"])
def test_page_has_a_title_and_headed_tables(visit, name):
    facts = visit(name).facts
    assert facts["h1"] == 1
    assert all(headers > 0 for headers in facts["tables"])


@pytest.mark.parametrize("name", GAMES + ["index"])
def test_page_does_not_scroll_sideways(visit, name):
    assert not visit(name).facts["wide"]


def test_index_links_every_report(visit):
    links = visit("index").facts["links"]
    assert sorted(links) == sorted(f"{game}/index.html" for game in GAMES)
    assert all((visit("index").path.parent / link).is_file() for link in links)


@pytest.mark.parametrize("name", GAMES + ["index"])
def test_a_full_page_screenshot_is_saved(visit, name):
    screenshot = visit(name).screenshot
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert screenshot.stat().st_size > 1000


BROKEN = """<!DOCTYPE html><html><head><title>broken</title></head><body>
<h2>No title</h2><img src="missing.png" alt="gone"><svg width="10" height="10"></svg>
<a href="https://example.org/">out</a><script>undefinedFunction()</script></body></html>"""


def test_the_checks_catch_a_broken_page(driver, tmp_path):
    """The harness itself: a page with every fault is seen to have each of them."""
    path = tmp_path / "broken.html"
    path.write_text(BROKEN, encoding="utf-8")
    page = _render(driver, path, [tmp_path / "broken.png"])
    assert any(entry["level"] == "SEVERE" for entry in page.console)
    assert not all(page.facts["images"])
    assert page.facts["figures"] == [] and page.facts["svgs"] == 1
    assert page.facts["h1"] == 0 and page.facts["scripts"] == 1
    assert any(_external(attribute, value) for _, attribute, value in _parse(BROKEN).attributes)

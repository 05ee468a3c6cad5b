"""The built book in a real browser: headless system Chromium driven by Selenium, no
network.

Runs after `make test` has built `_build/html`. Where Chromium or its driver is missing
the tests skip with a message, except in CI (`CI=true`), where they fail: `.ci/run`
installs both from Debian. Screenshots of a few pages are written to
`_build/screenshots/` (test artefacts, not committed).
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
HTML = ROOT / "_build" / "html"
SHOTS = ROOT / "_build" / "screenshots"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


def toc_pages() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    pages = [toc["root"]]
    for part in toc.get("parts", []):
        pages += [c["file"] for c in part.get("chapters", [])]
    return pages


PAGES = toc_pages()
#: The Chinese edition (tools/editions.py) has the same pages under zh_CN/.
ZH_PAGES = [f"zh_CN/{page}" for page in PAGES]


def need_site():
    if not (HTML / "index.html").exists():
        if os.environ.get("CI"):
            pytest.fail(
                "_build/html is missing: make test builds the book before running "
                "pytest"
            )
        pytest.skip("book not built; run `make book` first")


@pytest.fixture(scope="module")
def server():
    need_site()

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(HTML))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    if not (CHROMIUM and CHROMEDRIVER):
        message = (
            "headless Chromium and chromedriver are needed "
            "(Debian packages chromium, chromium-driver)"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-sync",
        "--disable-quic",
        "--window-size=1280,1400",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


WAIT_FOR_PAGE = """
const done = arguments[arguments.length - 1];
const ready = () => {
  const mj = window.MathJax;
  const started = mj && mj.startup && mj.startup.promise;
  const math = started ? mj.startup.promise : Promise.resolve();
  const loaded = img => img.complete ? 1 :
    new Promise(r => { img.onload = img.onerror = r; });
  math.then(() => Promise.all(Array.from(document.images).map(loaded)))
    .then(() => done(true));
};
if (document.readyState === "complete") ready();
else window.addEventListener("load", ready);
"""


@pytest.mark.parametrize("page", PAGES + ZH_PAGES)
def test_page_loads_renders_math_and_images_without_errors(browser, server, page):
    browser.set_script_timeout(60)
    browser.get(f"{server}/{page}.html")
    browser.execute_async_script(WAIT_FOR_PAGE)
    main = browser.find_element("css selector", "main").text
    assert len(main) > 200, f"{page}: page looks empty"
    raw_tex = re.findall(r"\$\$|\\\(|\\\[|\\begin\{", main)
    assert not raw_tex, f"{page}: formulas left as raw TeX: {raw_tex[:3]}"
    source = (HTML / f"{page}.html").read_text()
    if 'class="math' in source:
        assert browser.find_elements("css selector", "mjx-container"), (
            f"{page}: MathJax rendered nothing"
        )
    broken = browser.execute_script(
        "return Array.from(document.images).filter(i => !(i.complete && "
        "i.naturalWidth > 0)).map(i => i.src)"
    )
    assert not broken, f"{page}: images did not load: {broken[:3]}"
    # The browser asks for /favicon.ico by itself; the book does not link one.
    errors = [
        e
        for e in browser.get_log("browser")
        if e["level"] == "SEVERE" and "favicon.ico" not in e["message"]
    ]
    assert not errors, f"{page}: console errors: {errors[:3]}"
    if page in ("book/intro", "book/ch1_background", "book/ch4_1_liver_case_study"):
        SHOTS.mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(str(SHOTS / f"{page.replace('/', '_')}.png"))


def launch_links(page: str) -> tuple[str, str]:
    """The Binder and Colab addresses a chapter page must offer."""
    repo = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"][
        "url"
    ].removeprefix("https://github.com/")
    return (
        f"https://mybinder.org/v2/gh/{repo}/main?urlpath=lab/tree/{page}.ipynb",
        f"https://colab.research.google.com/github/{repo}/blob/main/{page}.ipynb",
    )


NOTEBOOK_PAGES = [p for p in PAGES if (ROOT / f"{p}.ipynb").exists()]


@pytest.mark.parametrize("page", NOTEBOOK_PAGES)
def test_launch_links_point_at_the_notebook(page):
    need_site()
    hrefs = parsed(HTML / f"{page}.html").hrefs
    for link in launch_links(page):
        assert link in hrefs, f"{page}: no launch link {link}"


@pytest.mark.parametrize("page", NOTEBOOK_PAGES[:1])
def test_launch_links_are_live_in_the_browser(browser, server, page):
    # Once the page has finished loading (not before: an early query can see an
    # empty document), the launch buttons are real anchors in the page.
    browser.set_script_timeout(60)
    browser.get(f"{server}/{page}.html")
    browser.execute_async_script(WAIT_FOR_PAGE)
    hrefs = browser.execute_script(
        "return Array.from(document.querySelectorAll('a')).map(a => a.href)"
    )
    for link in launch_links(page):
        assert link in hrefs, f"{page}: no launch link {link} in the live page"


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])


@functools.cache
def parsed(path: Path) -> _Links:
    links = _Links()
    links.feed(path.read_text(errors="replace"))
    return links


@pytest.mark.parametrize("page", PAGES + ZH_PAGES)
def test_every_internal_link_resolves(page):
    need_site()
    source = HTML / f"{page}.html"
    bad = []
    for href in parsed(source).hrefs:
        parts = urlsplit(href)
        if parts.scheme or href.startswith(("mailto:", "javascript:", "//")):
            continue
        target = (
            (source.parent / unquote(parts.path)).resolve() if parts.path else source
        )
        if target.is_dir():
            target = target / "index.html"
        if not target.exists() or (
            parts.fragment
            and target.suffix == ".html"
            and unquote(parts.fragment) not in parsed(target).ids
        ):
            bad.append(href)
    assert not bad, f"{page}: broken internal links {bad[:5]}"


TOGGLE_STATE = """
const dialog = id => document.getElementById(id);
const shown = el => el !== null && el.offsetParent !== null &&
  getComputedStyle(el).visibility !== 'hidden' &&
  el.getBoundingClientRect().right > 0;
return {
  primaryModal: dialog('pst-primary-sidebar-modal').open,
  secondaryModal: dialog('pst-secondary-sidebar-modal').open,
  primarySidebar: shown(document.getElementById('pst-primary-sidebar')),
  header: document.querySelector('.bd-header').getBoundingClientRect().height,
};
"""


def _visible_toggle(browser, kind):
    buttons = [
        b
        for b in browser.find_elements("css selector", f".{kind}-toggle")
        if b.is_displayed()
    ]
    assert len(buttons) == 1, f"{len(buttons)} visible .{kind}-toggle buttons"
    return buttons[0]


@pytest.mark.parametrize("width", [390, 1366])
def test_sidebar_toggles_open_and_close_the_sidebars(browser, server, width):
    """The theme wires only the first toggle of each kind; book_tweaks makes that the
    visible one (a phone opens a dialog, a desktop collapses the sidebar)."""
    import time

    browser.set_window_size(width, 900)
    try:
        browser.set_script_timeout(60)
        browser.get(f"{server}/book/ch1_background.html")
        browser.execute_async_script(WAIT_FOR_PAGE)
        state = browser.execute_script(TOGGLE_STATE)
        assert state["header"] == 0, "the theme's duplicate header strip is shown"
        primary = _visible_toggle(browser, "primary")
        if width < 992:
            assert not state["primaryModal"] and not state["primarySidebar"]
            primary.click()
            time.sleep(0.3)
            assert browser.execute_script(TOGGLE_STATE)["primaryModal"]
            browser.execute_script(
                "document.getElementById('pst-primary-sidebar-modal').close()"
            )
            time.sleep(0.3)
            assert not browser.execute_script(TOGGLE_STATE)["primaryModal"]
            _visible_toggle(browser, "secondary").click()
            time.sleep(0.3)
            assert browser.execute_script(TOGGLE_STATE)["secondaryModal"]
        else:
            assert state["primarySidebar"]
            primary.click()
            time.sleep(0.5)
            after = browser.execute_script(TOGGLE_STATE)
            assert not after["primarySidebar"] and not after["primaryModal"]
            primary.click()
            time.sleep(0.5)
            assert browser.execute_script(TOGGLE_STATE)["primarySidebar"]
    finally:
        browser.set_window_size(1280, 1400)


OVERFLOW = """
const width = document.documentElement.clientWidth;
const scrollsItself = el => {
  for (let p = el; p && p !== document.body; p = p.parentElement) {
    const x = getComputedStyle(p).overflowX;
    if (x === 'auto' || x === 'scroll' || x === 'hidden') return true;
  }
  return false;
};
const wide = Array.from(document.querySelectorAll('main *')).filter(el => {
  const r = el.getBoundingClientRect();
  return r.width > 0 && r.right > width + 1 && !scrollsItself(el);
});
return [document.documentElement.scrollWidth, width,
        wide.slice(0, 3).map(el => el.tagName + '.' + el.className)];
"""


def test_no_page_is_wider_than_a_phone(browser, server):
    """At 390 px nothing but code blocks and tables (which scroll by themselves) may
    stick out of the screen."""
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 390, "height": 800, "deviceScaleFactor": 1, "mobile": True},
    )
    try:
        failures = []
        for page in PAGES + ZH_PAGES:
            browser.get(f"{server}/{page}.html")
            browser.execute_async_script(WAIT_FOR_PAGE)
            scroll, width, wide = browser.execute_script(OVERFLOW)
            assert width == 390
            if scroll > width + 1 or wide:
                failures.append(f"{page}: {scroll} px wide; {wide}")
        assert not failures, "\n".join(failures)
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


OPEN_ALL = """
document.querySelectorAll('details').forEach((d) => { d.open = true; });
document.querySelectorAll('.toggle-hidden')
  .forEach((e) => e.classList.remove('toggle-hidden'));
document.querySelectorAll('button.toggle-button').forEach((b) => {
  if (b.classList.contains('toggle-button-hidden')) b.click();
});
"""
FIGURE_SIZES = """
return Array.from(document.querySelectorAll('.bd-article .cell_output img'))
  .filter((i) => i.getClientRects().length > 0)
  .map((i) => [i.getAttribute('src'), i.naturalWidth,
               i.getBoundingClientRect().width]);
"""


def test_figures_are_shown_at_least_at_0_8_of_their_natural_width(browser, server):
    """At a desktop width every figure a cell drew is shown at 0.8 of its natural
    size or more, so its 10-point text stays legible (the figures are laid out for the
    content column)."""
    browser.set_window_size(1366, 1000)
    try:
        failures, seen = [], 0
        for page in PAGES:
            browser.get(f"{server}/{page}.html")
            browser.execute_async_script(WAIT_FOR_PAGE)
            browser.execute_script(OPEN_ALL)
            for src, natural, shown in browser.execute_script(FIGURE_SIZES):
                seen += 1
                if natural and shown / natural < 0.8:
                    failures.append(f"{page}: {src} {natural} px shown at {shown:.0f}")
        assert seen > 30, "no figures found"
        assert not failures, "\n".join(failures)
    finally:
        browser.set_window_size(1280, 1400)


def test_a_click_shows_a_figure_at_full_size_and_escape_closes_it(browser, server):
    from selenium.webdriver.common.keys import Keys

    browser.set_window_size(1000, 900)  # a figure wider than the column
    try:
        browser.get(f"{server}/book/ch4_1_liver_case_study.html")
        browser.execute_async_script(WAIT_FOR_PAGE)
        images = browser.find_elements("css selector", ".cell_output img.mt-zoomable")
        assert images, "figures are not marked zoomable"
        img = max(images, key=lambda i: int(i.get_property("naturalWidth")))
        natural = int(img.get_property("naturalWidth"))
        assert img.rect["width"] < natural
        browser.execute_script("arguments[0].scrollIntoView()", img)
        img.click()
        big = browser.find_element("css selector", ".mt-zoom img")
        browser.execute_async_script(
            "const i = arguments[0], done = arguments[1];"
            "i.complete ? done() : (i.onload = done);",
            big,
        )
        assert big.rect["width"] == natural
        browser.find_element("css selector", ".mt-zoom").send_keys(Keys.ESCAPE)
        assert not browser.find_elements("css selector", ".mt-zoom")
        img.send_keys(Keys.ENTER)  # the keyboard opens it too
        assert browser.find_elements("css selector", ".mt-zoom")
        browser.find_element("css selector", ".mt-zoom").click()
        assert not browser.find_elements("css selector", ".mt-zoom")
    finally:
        browser.set_window_size(1280, 1400)


SEARCH_RESULTS = """
const done = arguments[arguments.length - 1];
const started = Date.now();
const poll = () => {
  const items = document.querySelectorAll('#search-results ul.search li');
  const summary = document.querySelector('#search-results .search-summary');
  if (items.length || (summary && summary.textContent.trim()) ||
      Date.now() - started > 20000) {
    done(Array.from(items).map((li) => li.querySelector('a').getAttribute('href')));
  } else {
    setTimeout(poll, 200);
  }
};
poll();
"""


@pytest.mark.parametrize("term", ["肝脏", "患者"])
def test_chinese_search_finds_pages(browser, server, term):
    """The Chinese edition's search index is built with jieba's word segmentation;
    without it, Chinese words find nothing."""
    browser.set_script_timeout(30)
    browser.get(f"{server}/zh_CN/search.html?q={term}")
    hits = browser.execute_async_script(SEARCH_RESULTS)
    chapters = {h.split(".html")[0] for h in hits if h.startswith("book/ch")}
    assert len(chapters) >= 3, f"{term}: search found {hits}"


@pytest.mark.parametrize(
    "page", ["book/intro", "book/ch4_1_liver_case_study", "book/glossary"]
)
def test_language_links_land_on_the_same_page_in_the_other_edition(
    browser, server, page
):
    browser.get(f"{server}/{page}.html")
    browser.execute_async_script(WAIT_FOR_PAGE)
    assert browser.find_element("css selector", "html").get_attribute("lang") == "en"
    browser.find_element("css selector", "a.edition-link").click()
    browser.execute_async_script(WAIT_FOR_PAGE)
    assert browser.current_url == f"{server}/zh_CN/{page}.html"
    assert browser.find_element("css selector", "html").get_attribute("lang") == (
        "zh-CN"
    )
    main = browser.find_element("css selector", "main").text
    assert len(re.findall(r"[\u4e00-\u9fff]", main)) > 100, "the page is not Chinese"
    browser.find_element("css selector", "a.edition-link").click()
    browser.execute_async_script(WAIT_FOR_PAGE)
    assert browser.current_url == f"{server}/{page}.html"


@pytest.mark.parametrize("page", ZH_PAGES)
def test_chinese_pages_have_chinese_fold_out_labels(page):
    """Hints, solutions and hidden cells fold out under Chinese labels; the title,
    search placeholder and part captions are Chinese too."""
    need_site()
    source = (HTML / f"{page}.html").read_text()
    for english in (
        "Click to show",
        "Click to hide",
        "Show code cell",
        "Search this book",
    ):
        assert english not in source, f"{page}: {english!r} in the Chinese edition"
    assert "点击显示" in source
    assert "医学影像分析中的深度学习" in source
    assert "案例研究" in source  # a part caption of the table of contents

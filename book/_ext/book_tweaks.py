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
* Two editions, English and Chinese (``tools/editions.py``): every page links to the
  same page in the other edition (a header button, and ``hreflang`` alternates), and
  the part captions of ``_toc.yml``, which sphinx-external-toc inserts after Sphinx
  has translated the page, are translated from the root page's catalog. Heading
  anchors stay the English ones in both editions (MyST would otherwise replace a
  page's anchor table with the slugs of its translated headings, and every
  ``page#heading`` link into it would break).
* ``static/figure_zoom.js``: a click (or Enter) on a figure shows it at its natural
  size over the page, scrollable on a phone; a click or Escape closes it.
"""

from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.locale import init as init_locale
from sphinx.transforms import SphinxTransform
from sphinx.util.i18n import docname_to_domain


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
    " document.head.appendChild(style);"
    # The theme opens every header link in a new tab; the other edition replaces
    # this one, as a language switch does.
    " document.querySelectorAll('a.edition-link').forEach((a) =>"
    " a.removeAttribute('target')); });"
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


#: Each edition's folder under ``_build/html`` and the name of its link.
EDITIONS = {
    "en": ("", "English", "Read this page in English"),
    "zh_CN": ("zh_CN/", "中文", "阅读本页的中文版"),
}


def language(app) -> str:
    return app.config.language or "en"


def link_other_edition(app, pagename, templatename, context, doctree):
    """A header button to the same page in the other edition, and hreflang links."""
    here = language(app)
    if here not in EDITIONS or "header_buttons" not in context:
        return
    up = "../" * (pagename.count("/") + (1 if EDITIONS[here][0] else 0))
    tags = []
    for code, (folder, text, tooltip) in EDITIONS.items():
        url = f"{up}{folder}{pagename}.html"
        tags.append(
            f'<link rel="alternate" hreflang="{code.replace("_", "-")}" href="{url}">'
        )
        if code != here:
            context["header_buttons"].append(
                {
                    "type": "link",
                    "url": url,
                    "tooltip": tooltip,
                    "icon": "fas fa-language",
                    "text": text,
                    "label": f"edition-{code}",
                    "classes": "edition-link",
                }
            )
    context["metatags"] = context.get("metatags", "") + "\n".join(tags)


def translate_toc_captions(app, doctree):
    """Translate the part captions that sphinx-external-toc inserted after Sphinx's
    own translation step, from the catalog of the page that holds them."""
    if language(app) == "en":
        return
    domain = docname_to_domain(app.env.docname, app.config.gettext_compact)
    dirs = [str(Path(app.srcdir, d)) for d in app.config.locale_dirs]
    catalog, found = init_locale(dirs, app.config.language, domain)
    if not found:
        return
    for toctree in doctree.findall(addnodes.toctree):
        if toctree.get("caption"):
            toctree["caption"] = catalog.gettext(toctree["caption"])


class _SaveHeadingSlugs(SphinxTransform):
    """Before Sphinx translates the page (priority 20): keep MyST's heading anchors."""

    default_priority = 19

    def apply(self, **kwargs):
        slugs = self.env.metadata.get(self.env.docname, {}).get("myst_slugs")
        if slugs:
            self.env.temp_data["book_tweaks_slugs"] = dict(slugs)


class _RestoreHeadingSlugs(SphinxTransform):
    """After translation: MyST parsed each translated heading on its own and stored
    that heading's slug as the page's whole anchor table; put the English ones back."""

    default_priority = 21

    def apply(self, **kwargs):
        saved = self.env.temp_data.pop("book_tweaks_slugs", None)
        if saved:
            self.env.metadata[self.env.docname]["myst_slugs"] = saved


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
    app.connect("doctree-read", translate_toc_captions)
    app.add_transform(_SaveHeadingSlugs)
    app.add_transform(_RestoreHeadingSlugs)
    # After the theme's own header buttons (priority 501).
    app.connect("html-page-context", link_other_edition, priority=510)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

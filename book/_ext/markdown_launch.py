"""Sphinx extension: no Colab button on Markdown pages.

Colab opens only ``.ipynb`` files, so on a page written in MyST Markdown (such as the
introduction) its launch link would fail. Binder stays: JupyterLab opens the Markdown file
as a notebook through jupytext, which is part of the book's environment.
"""


def drop_colab_on_markdown(app, pagename, templatename, context, doctree):
    if not context.get("page_source_suffix", "").endswith(".md"):
        return
    for group in context.get("header_buttons", []):
        if group.get("label") == "launch-buttons":
            group["buttons"] = [b for b in group["buttons"] if b.get("text") != "Colab"]


def setup(app):
    app.connect("html-page-context", drop_colab_on_markdown, priority=502)  # after the theme (501)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

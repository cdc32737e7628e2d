"""The chrome every page of the static site shares: styles, navigation bars and page templates.

Every page has a ``lang``, a title, a header navigation back to the index
(and, on notebook pages, to the previous and next notebook), a ``<main>``
landmark, and a stylesheet with underlined links and text colours that meet
WCAG AA contrast (:data:`NOTEBOOK_CSS` for notebook pages, :data:`SITE_CSS`
for the index and the documents). The templates are constants: text from a
notebook or a document only ever fills their fields, escaped first.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from urllib.parse import quote

NAV_CSS = """
.site-header, .site-footer {font: 15px/1.5 system-ui, sans-serif; color: #222;}
.site-header {border-bottom: 1px solid #ccc; padding: 0.5rem 0; margin-bottom: 1rem;}
.site-footer {border-top: 1px solid #ccc; padding: 0.5rem 0; margin-top: 2rem;}
.site-nav ul {list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0.25rem 1.5rem;}
.site-nav a {color: #0d47a1; text-decoration: underline;}
.site-nav a[aria-current] {color: #222; font-weight: 600; text-decoration: none;}
"""
"""The navigation bars of every page; links are underlined, not told apart by colour alone."""

SITE_CSS = (
    NAV_CSS
    + """
body {font: 16px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 60rem; padding: 0 1rem 1.5rem; color: #222;
  background: #fff;}
a {color: #0d47a1; text-decoration: underline;}
h1 {font-size: 1.6rem;}
h2 {font-size: 1.3rem; margin-top: 2rem;}
.intro {max-width: 42rem;}
.cards {display: grid; grid-template-columns: repeat(auto-fill, minmax(17rem, 1fr)); gap: 1rem;
  list-style: none; padding: 0;}
.card {border: 1px solid #949494; border-radius: 6px; padding: 0.8rem 1rem;}
.card h3 {font-size: 1.1rem; margin: 0 0 0.4rem;}
.card p {margin: 0;}
.documents li {margin-bottom: 0.5rem;}
.table-scroll {overflow-x: auto; margin: 1rem 0;}
.table-scroll:focus-visible {outline: 2px solid #0d47a1; outline-offset: 2px;}
.document table {border-collapse: collapse;}
.document th, .document td {border: 1px solid #bbb; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top;}
.document code {font-size: 0.9em; background: #f3f3f3; padding: 0 0.2em;}
.document a, .document code, .document pre {overflow-wrap: anywhere;}
.document pre {background: #f3f3f3; padding: 0.6rem; white-space: pre-wrap; overflow-wrap: anywhere;}
"""
)
"""Style of the index and the document pages: dark text, underlined links."""

NOTEBOOK_CSS = (
    NAV_CSS
    + """
.site-header, .site-footer {padding-left: var(--jp-notebook-padding, 10px);}
:root {
  /* Prompts: full strength instead of the theme's half opacity (2.2:1 becomes 6.2:1). */
  --jp-cell-prompt-not-active-opacity: 1;
  /* Syntax colours that fall below 4.5:1 on the code cells' grey, darkened in their own hue. */
  --jp-mirror-editor-atom-color: #4b4bd6;
  --jp-mirror-editor-number-color: #007500;
  --jp-mirror-editor-variable-3-color: #00704a;
  --jp-mirror-editor-operator-color: #8a1fd6;
  --jp-mirror-editor-meta-color: #8a1fd6;
  --jp-mirror-editor-comment-color: #3a6f6f;
  --jp-mirror-editor-bracket-color: #6b6b45;
  --jp-mirror-editor-quote-color: #007500;
  --jp-mirror-editor-error-color: #c00;
  --jp-mirror-editor-hr-color: #696969;
}
.jp-RenderedHTMLCommon a:link, .jp-RenderedHTMLCommon a:visited,
.jp-RenderedText pre a:link, .jp-RenderedText pre a:visited {text-decoration: underline;}
/* nbconvert hides what overflows a code cell: wrap long lines instead, so phones show all the code. */
.jp-InputArea-editor .highlight pre {white-space: pre-wrap; overflow-wrap: anywhere;}
"""
)
"""What the site adds to nbconvert's ``lab`` page: the navigation, contrast and underlined links."""

PAGE_TEMPLATE = """{%- extends "index.html.j2" -%}
{% block jupyter_widgets %}
{%- if "widgets" in nb.metadata and not resources.widget_renderer_url %}
<script>
(function () {
  var dist = {{ (resources.jupyter_widgets_base_url ~ "@jupyter-widgets/html-manager@"
                 ~ resources.html_manager_semver_range ~ "/dist/embed-amd") | tojson }};
  var paths = {};
  ["base", "controls", "base7", "controls7", "html-manager"].forEach(function (name) {
    paths["@jupyter-widgets/" + name] = dist;
  });
  require.config({paths: paths});
}());
</script>
{%- endif %}
{{ super() }}
{% endblock jupyter_widgets %}
{% block html_head_css %}
<style>
{{ resources.kzviz_site.css }}
</style>
{% endblock html_head_css %}
{% block body_header %}
<body class="jp-Notebook" data-jp-theme-light="true" data-jp-theme-name="JupyterLab Light">
<header class="site-header">
{{ resources.kzviz_site.header }}
</header>
<main>
{% endblock body_header %}
{% block body_footer %}
</main>
<footer class="site-footer">
{{ resources.kzviz_site.footer }}
</footer>
</body>
{% endblock body_footer %}
"""
"""nbconvert's ``lab`` page with the site's navigation and styles, and require.js told where the widgets live.

``resources["kzviz_site"]`` carries the stylesheet and the two navigation
bars, built and escaped in Python: the template only places them.
``@jupyter-widgets/html-manager`` loads its icon font (Font Awesome, for
example on a Play widget) from the folder of its AMD module. Without a
``paths`` entry require.js places the modules in the page's own folder, so
the page asks its host for ``@jupyter-widgets/<hash>.woff2`` and gets a 404.
Mapping the module names to the CDN folder the script comes from fixes that.
"""

STANDALONE_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{css}</style>
</head>
<body>
<header class="site-header">
{nav}
</header>
<main{main_class}>
{body}
</main>
</body>
</html>
"""
"""The index and the document pages; every field is escaped HTML built in this module."""

CARD_TEMPLATE = """<li class="card">
<h3><a href="{href}">{title}</a></h3>
<p>{description}</p>
</li>"""

DOCUMENT_TEMPLATE = """<li><a href="{href}">{title}</a>{description}</li>"""

INDEX_LINK_TEXT = "All notebooks"


def nav(label: str, items: Sequence[tuple[str, str, str]]) -> str:
    """Render a ``<nav>`` of ``(href, text, kind)`` links; kind is ``""``, ``"prev"``, ``"next"`` or ``"current"``."""
    lines = []
    for href, text, kind in items:
        attrs = f' href="{html.escape(quote(href, safe="#"))}"'
        if kind in {"prev", "next"}:
            attrs += f' rel="{kind}"'
        elif kind == "current":
            attrs += ' aria-current="page"'
        label_html = html.escape(text)
        if kind == "prev":
            label_html = f'<span aria-hidden="true">← </span>Previous: {label_html}'
        elif kind == "next":
            label_html = f'Next: {label_html}<span aria-hidden="true"> →</span>'
        lines.append(f"<li><a{attrs}>{label_html}</a></li>")
    return f'<nav class="site-nav" aria-label="{html.escape(label)}">\n<ul>\n' + "\n".join(lines) + "\n</ul>\n</nav>"


def notebook_navs(pages: Sequence[tuple[str, str]], index: int) -> tuple[str, str]:
    """Return the header and footer navigation of notebook page `index` among ``(name, title)`` pages."""
    items = [("index.html", INDEX_LINK_TEXT, "")]
    if index > 0:
        items.append((*pages[index - 1], "prev"))
    if index + 1 < len(pages):
        items.append((*pages[index + 1], "next"))
    return nav("Site", items), nav("Previous and next notebook", items)


def site_nav(documents: Sequence[tuple[str, str, str]], current: str) -> str:
    """Return the navigation of the index and the document pages: the index, then each document."""
    items = [("index.html", INDEX_LINK_TEXT, "current" if current == "index.html" else "")]
    items += [(name, title, "current" if current == name else "") for name, title, _ in documents]
    return nav("Site", items)


def standalone_page(title: str, navigation: str, body: str, *, main_class: str = "") -> str:
    """Return a page of :data:`STANDALONE_TEMPLATE` styled by :data:`SITE_CSS` (the index and the documents).

    `title` is plain text, escaped here; `navigation` and `body` are HTML already
    escaped by the caller. `main_class` is a class name for ``<main>``.
    """
    return STANDALONE_TEMPLATE.format(
        title=html.escape(title),
        css=SITE_CSS,
        nav=navigation,
        main_class=f' class="{main_class}"' if main_class else "",
        body=body,
    )

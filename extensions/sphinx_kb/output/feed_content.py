"""The full content of a post for its feed entries (``kb_feed_content = "full"``).

A feed reader shows the entry's HTML on its own: it loads no stylesheet or script of the site, and
resolves no relative link. So the body is rendered again for the feed, from the post's doctree with
Sphinx's own HTML writer (the same translator as the page, so figures, tables, code and admonitions
look as they do there), and then:

- without the page's chrome: the header (dates, tags), "Referenced by" and "Related posts", the
  navigation trees and the title (the entry has its own); those are placeholders in the doctree,
  removed before references are resolved;
- maths as **MathML**, which browsers and the feed readers built on them show without script
  (MathML Core), converted from the TeX with ``latex2mathml`` (pure Python). The TeX travels along
  as the ``alttext``. TeX it cannot convert (an unknown command, unbalanced braces) stays TeX, in
  ``<code>``: a formula is never lost and never breaks the feed. ``aligned`` is read as ``split``
  (the same alignment inside a display), which ``latex2mathml`` knows;
- every link, image and media address made absolute from the page's address (``html_baseurl``);
- no live script: ``<script>``, frames, objects, forms and styles are removed, with every ``on*``
  attribute and any address whose scheme could run script (an author's raw HTML is text to the
  page, but the rule holds here on its own). An embedded page (``{html-embed}``) becomes a link to it.

The HTML is cached per post for the build (a post is in several feeds).
"""

from __future__ import annotations

import contextlib
import html
import re
from importlib import metadata
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

import lxml.html
from docutils import nodes
from latex2mathml.converter import convert
from sphinx import addnodes
from sphinx.errors import ExtensionError
from sphinx.util.osutil import relative_uri

from ..blog.domain import store
from ..blog.posts import post_header
from ..blog.related import post_links
from ..markup.mathjax import plain_latex
from ..urls import encode, unsafe_scheme

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sphinx.application import Sphinx
    from sphinx.builders.html import StandaloneHTMLBuilder

#: What the content depends on besides the post (for the feeds' fingerprints).
VERSION = f"latex2mathml {metadata.version('latex2mathml')}; content 1"

#: Elements that could run script, load other pages or style the reader's page: removed whole.
_DROPPED = frozenset(
    {
        "script",
        "noscript",
        "style",
        "link",
        "meta",
        "base",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "form",
        "template",
    }
)
#: Attributes holding an address.
_URL_ATTRIBUTES = ("href", "src", "poster", "cite", "data", "action", "formaction", "xlink:href")
#: A MathML placeholder in the rendered body (an element the HTML parser keeps as is).
_PLACEHOLDER = re.compile(r'<kb-math data-n="(\d+)"></kb-math>')
#: What ``latex2mathml`` writes for TeX it did not understand: an unknown command or a stray ``&``/``}``.
_NOT_CONVERTED = re.compile(r"<mi>(?:\\|&amp;</mi>|&</mi>|\}</mi>|\{</mi>)")
_CACHE = "feed_content"


def post_content(app: Sphinx, docname: str) -> str:
    """The HTML of the post *docname* for a feed (see the module docstring), cached per build."""
    cache = store(app.env).write_cache.setdefault(_CACHE, {})
    if docname not in cache:
        cache[docname] = _render(app, docname)
    return cache[docname]


def _render(app: Sphinx, docname: str) -> str:
    builder: StandaloneHTMLBuilder = app.builder  # type: ignore[assignment]
    env = app.env
    doctree = env.get_doctree(docname)
    for node in list(doctree.findall(lambda n: isinstance(n, post_header | post_links | addnodes.toctree))):
        node.parent.remove(node)
    title = next(doctree.findall(nodes.title), None)
    if title is not None and isinstance(title.parent, nodes.section) and title.parent.parent is doctree:
        title.parent.remove(title)
    with _fresh_citations(app):
        env.apply_post_transforms(doctree, docname)
    maths = _math_placeholders(doctree)
    body = _write(builder, docname, doctree)
    page = app.config.html_baseurl.rstrip("/") + "/" + encode(builder.get_target_uri(docname))
    body = _clean(body, page)
    return _PLACEHOLDER.sub(lambda match: maths[int(match[1])], body)


@contextlib.contextmanager
def _fresh_citations(app: Sphinx) -> Iterator[None]:
    """While a post's references are resolved again: sphinxcontrib-bibtex's citation nodes as they
    were read. Its transform fills the node it keeps for each citation, in place, so resolving a page
    a second time in the same process would list every reference twice (the page already did once)."""
    try:
        domain = app.env.get_domain("cite")
    except ExtensionError:
        yield
        return
    saved: list[tuple[dict[str, Any], dict[str, Any]]] = []
    for bibliography in getattr(domain, "bibliographies", {}).values():
        citations = getattr(bibliography, "citation_nodes", None)
        if isinstance(citations, dict):
            saved.append((citations, dict(citations)))
            for key, node in citations.items():
                citations[key] = node.copy()  # the node without the children a transform added
    try:
        yield
    finally:
        for citations, original in saved:
            citations.clear()
            citations.update(original)


def _write(builder: StandaloneHTMLBuilder, docname: str, doctree: nodes.document) -> str:
    """*doctree* written by the builder's HTML translator as the page *docname* would be (image and
    download paths relative to that page). The builder's per-page state is put back after."""
    saved = {
        name: getattr(builder, name, None)
        for name in ("current_docname", "imgpath", "dlpath", "fignumbers", "secnumbers")
    }
    try:
        target = builder.get_target_uri(docname)
        builder.current_docname = docname
        builder.imgpath = relative_uri(target, builder.imagedir)
        builder.dlpath = relative_uri(target, "_downloads")
        builder.fignumbers = builder.env.toc_fignumbers.get(docname, {})
        builder.secnumbers = builder.env.toc_secnumbers.get(docname, {})
        builder.post_process_images(doctree)
        doctree.settings = builder.docsettings
        visitor = builder.create_translator(doctree, builder)
        doctree.walkabout(visitor)
        return "".join(visitor.fragment)
    finally:
        for name, value in saved.items():
            setattr(builder, name, value)


def _math_placeholders(doctree: nodes.document) -> list[str]:
    """Replace each math node by a placeholder; return the HTML of each (MathML or TeX)."""
    found: list[str] = []
    for math in list(doctree.findall(lambda n: isinstance(n, nodes.math | nodes.math_block))):
        latex = plain_latex(math)
        if isinstance(math, nodes.math_block):
            # As Sphinx gives a display to MathJax: parts apart from blank lines, each with line
            # breaks a `split` (unless the author wrote the whole environment: `nowrap`).
            parts = [latex] if math.get("nowrap") else [part for part in latex.split("\n\n") if part.strip()]
            if not math.get("nowrap"):
                parts = [_split(part) for part in parts]
            number = f' <span class="eqno">({math["number"]})</span>' if math.get("number") else ""
            markup = f'<div class="math">{"".join(mathml(part, block=True) for part in parts)}{number}</div>'
        else:
            markup = mathml(latex, block=False)
        math.replace_self(nodes.raw("", f'<kb-math data-n="{len(found)}"></kb-math>', format="html"))
        found.append(markup)
    return found


def _split(part: str) -> str:
    """A part of a display with line breaks in a ``split``, unless it holds its own environment."""
    return f"\\begin{{split}}{part}\\end{{split}}" if "\\\\" in part and "\\begin{" not in part else part


def mathml(latex: str, *, block: bool) -> str:
    """*latex* as MathML with the TeX as its ``alttext``; the TeX in ``<code>`` if it cannot be
    converted."""
    source = re.sub(r"\\(begin|end)\{aligned\}", r"\\\1{split}", latex.strip())
    try:
        if _balanced(source):
            markup = convert(source, display="block" if block else "inline")
            if not _NOT_CONVERTED.search(markup):
                alt = html.escape(latex.strip(), quote=True)
                return markup.replace("<math ", f'<math alttext="{alt}" ', 1)
    except Exception:  # any failure of the converter falls back to the TeX
        pass
    return f'<code class="tex">{html.escape(latex.strip())}</code>'


def _balanced(latex: str) -> bool:
    """Whether the braces of *latex* (not counting ``\\{`` and ``\\}``) are balanced."""
    depth = 0
    for brace in re.sub(r"\\[{}\\]", "", latex):
        if brace == "{":
            depth += 1
        elif brace == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def _clean(body: str, page: str) -> str:
    """*body* without live script or chrome, with every address absolute from *page*."""
    root = lxml.html.fragment_fromstring(body, create_parent="div")
    for element in list(root.iter()):
        if not isinstance(element.tag, str):  # comments, processing instructions
            if element.getparent() is not None:
                element.drop_tree()
            continue
        tag = element.tag.lower()
        if tag == "iframe" and element.get("src") and not unsafe_scheme(element.get("src", "")):
            # An embedded page: a link to it instead of the frame.
            link = lxml.html.Element("a", href=urljoin(page, element.get("src", "")))
            link.text = element.get("title") or element.get("src")
            paragraph = lxml.html.Element("p")
            paragraph.append(link)
            element.addprevious(paragraph)
        if tag in _DROPPED or "headerlink" in (element.get("class") or "").split():
            element.drop_tree()
            continue
        for name in list(element.attrib):
            lowered = name.lower()
            if lowered.startswith("on") or lowered in {"style", "srcdoc", "formaction"}:
                del element.attrib[name]
            elif lowered in _URL_ATTRIBUTES:
                value = element.attrib[name]
                if unsafe_scheme(value):
                    del element.attrib[name]
                else:
                    element.attrib[name] = urljoin(page, value)
            elif lowered == "srcset":
                element.attrib[name] = _srcset(element.attrib[name], page)
    text = root.text or ""
    inner = "".join(lxml.html.tostring(child, encoding="unicode") for child in root)
    return (html.escape(text) + inner).strip()


def _srcset(value: str, page: str) -> str:
    """A ``srcset`` with each address absolute (and those with an unsafe scheme left out)."""
    candidates = []
    for candidate in value.split(","):
        parts = candidate.split()
        if parts and not unsafe_scheme(parts[0]):
            candidates.append(" ".join([urljoin(page, parts[0]), *parts[1:]]))
    return ", ".join(candidates)

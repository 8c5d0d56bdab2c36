"""``{html-embed}``: an HTML file of the site shown in the page, in an ``<iframe>``, with a caption.

.. code-block:: md

   :::{html-embed} attention-heatmap.html
   :title: Attention weights, layer 4
   :name: fig-heatmap
   :height: 420

   Hover a cell to see the weight.
   :::

The file is copied with the page (like a ``{download}``), so it is served by the site itself.
The frame grows to the height of its content when it loads (same-origin), starting at
``:height:`` pixels (400 by default). ``:name:`` makes the embed a reference target.

The directive gives a generic container every builder can write: the title, a line naming the
embedded page and the caption. For the HTML site, :class:`EmbedFrames` makes it a figure with the
frame (and without that line). Where a frame cannot work (text, LaTeX/PDF, man pages, EPUB, whose
readers do not run the page), :class:`EmbedLinks` points that line at the page as the HTML site
publishes it, when ``html_baseurl`` says where the site lives.
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import quote

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective

from ..builders import web_pages
from ..content.paths import is_inside
from ..warnings_ import KbWarning, warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.writers.html5 import HTML5Translator


#: Grow the frame to fit its content once loaded (only possible for pages of the same site).
_FIT = "try{this.style.height=this.contentDocument.documentElement.offsetHeight+2+'px'}catch(e){}"


#: The attribute of the container that stands for an embed: the file, as in ``env.dlfiles``.
EMBED = "kb_embed"
#: Class of the line naming the embedded page, which the HTML figure leaves out.
LINK_CLASS = "kb-embed-link"


class html_embed(nodes.General, nodes.Element):  # noqa: N801 (docutils naming)
    """An embedded HTML file in a frame; its children are the caption. Only HTML builders meet it."""


class HtmlEmbed(SphinxDirective):
    required_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec: ClassVar = {
        "title": directives.unchanged,
        "height": directives.positive_int,
        "name": directives.unchanged,
    }

    def run(self) -> list[nodes.Node]:
        relative, absolute = self.env.relfn2path(self.arguments[0])
        if not is_inside(absolute, self.env.srcdir):
            message = "embedded page %r is outside the site's source folder; it is left out"
            warn(KbWarning.PATH, message, self.arguments[0], location=self.get_location())
            return []
        if not Path(absolute).is_file():
            warn(KbWarning.EMBED, "embedded page %s not found", relative, location=self.get_location())
            return []
        self.env.note_dependency(relative)
        node = nodes.container(classes=["kb-embed"])
        # Where the HTML builders copy it, under `_downloads`, as a string (the doctree is pickled).
        node[EMBED] = Path(self.env.dlfiles.add_file(self.env.docname, relative)).as_posix()
        node["kb_embed_title"] = self.options.get("title", "")
        node["kb_embed_height"] = self.options.get("height", 400)
        self.set_source_info(node)
        self.add_name(node)
        if self.options.get("title"):
            title = nodes.paragraph(classes=["kb-embed-title"])
            title += nodes.strong(text=self.options["title"])
            node += title
        link = nodes.paragraph(classes=[LINK_CLASS])
        link += nodes.Text("Interactive page: ")
        link += nodes.literal(text=posixpath.basename(relative))
        node += link
        self.state.nested_parse(self.content, self.content_offset, node)
        return [node]


def _frames(builder: Builder) -> bool:
    """Whether *builder* writes pages that can show an embedded page in a frame (EPUB cannot:
    its manifest takes no ``.html`` files and its readers run no scripts)."""
    return web_pages(builder)


def _embeds(document: nodes.document) -> list[nodes.container]:
    return [node for node in document.findall(nodes.container) if node.get(EMBED)]


class EmbedFrames(SphinxPostTransform):
    """HTML: each embed becomes an :class:`html_embed`, a figure with the frame and the caption."""

    default_priority = 200

    def is_supported(self) -> bool:
        return _frames(self.app.builder)

    def run(self, **kwargs: Any) -> None:
        for container in _embeds(self.document):
            node = html_embed(
                filename=container[EMBED],
                title=container["kb_embed_title"],
                height=container["kb_embed_height"],
                ids=list(container["ids"]),
                names=list(container["names"]),
            )
            node.source, node.line = container.source, container.line
            node.extend(child for child in container.children if LINK_CLASS not in child.get("classes", ()))
            container.replace_self(node)


class EmbedLinks(SphinxPostTransform):
    """Other builders: the line naming the embedded page links to it on the HTML site
    (``html_baseurl``), so a reader of the PDF or the e-book can open it there."""

    default_priority = 200

    def is_supported(self) -> bool:
        return not _frames(self.app.builder)

    def run(self, **kwargs: Any) -> None:
        base = self.config.html_baseurl
        if not base:
            return
        for container in _embeds(self.document):
            url = posixpath.join(base.rstrip("/"), "_downloads", quote(container[EMBED]))
            for link in container.findall(nodes.paragraph):
                if LINK_CLASS in link["classes"]:
                    literal = link.next_node(nodes.literal)
                    literal.replace_self(nodes.reference(url, url, refuri=url))


def visit_html_embed(self: HTML5Translator, node: html_embed) -> None:
    source = posixpath.join(self.builder.dlpath, node["filename"])
    self.body.append(self.starttag(node, "figure", CLASS="kb-embed"))
    self.body.append(
        f'<iframe src="{self.attval(source)}" title="{self.attval(node["title"])}" loading="lazy" '
        f'style="height: {int(node["height"])}px" onload="{_FIT}"></iframe>\n'
    )
    if node.children:
        self.body.append("<figcaption>\n")


def depart_html_embed(self: HTML5Translator, node: html_embed) -> None:
    if node.children:
        self.body.append("</figcaption>\n")
    self.body.append("</figure>\n")


def setup(app: Sphinx) -> None:
    """Register the directive, its transforms and the HTML figure's node."""
    app.add_directive("html-embed", HtmlEmbed)
    app.add_post_transform(EmbedFrames)
    app.add_post_transform(EmbedLinks)
    app.add_node(html_embed, html=(visit_html_embed, depart_html_embed))

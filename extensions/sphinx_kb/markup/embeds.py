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
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from ..warnings_ import KbWarning, warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.writers.html5 import HTML5Translator


#: Grow the frame to fit its content once loaded (only possible for pages of the same site).
_FIT = "try{this.style.height=this.contentDocument.documentElement.offsetHeight+2+'px'}catch(e){}"


class html_embed(nodes.General, nodes.Element):  # noqa: N801 (docutils naming)
    """An embedded HTML file; its children are the caption."""


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
        if not Path(absolute).is_file():
            warn(KbWarning.EMBED, "embedded page %s not found", relative, location=self.get_location())
            return []
        self.env.note_dependency(relative)
        node = html_embed(
            filename=self.env.dlfiles.add_file(self.env.docname, relative),
            title=self.options.get("title", ""),
            height=self.options.get("height", 400),
        )
        self.set_source_info(node)
        self.add_name(node)
        if self.options.get("title"):
            title = nodes.paragraph(classes=["kb-embed-title"])
            title += nodes.strong(text=self.options["title"])
            node += title
        self.state.nested_parse(self.content, self.content_offset, node)
        return [node]


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
    app.add_directive("html-embed", HtmlEmbed)
    app.add_node(html_embed, html=(visit_html_embed, depart_html_embed))

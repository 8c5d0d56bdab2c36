"""``{kb-figure}``: any content (an image, a table, an embed, a grid) as a numbered figure.

.. code-block:: md

   :::{kb-figure} Attention maps of layer 4
   :name: fig-attention

   ![](attention.png)
   :::

Docutils' ``{figure}`` holds one image; MDX's ``<Reference id caption>`` wraps whatever it is
given. The directive makes a docutils ``figure`` of its content with the argument as caption, so
Sphinx numbers it with the other figures (``numfig``) and ``{numref}``/``{ref}`` reach it by its
``:name:``. The caption is Markdown read inline (the MDX converter writes it escaped: text).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

if TYPE_CHECKING:
    from sphinx.application import Sphinx


class KbFigure(SphinxDirective):
    """A figure of any content, captioned by the argument."""

    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec: ClassVar = {"name": directives.unchanged, "class": directives.class_option}

    def run(self) -> list[nodes.Node]:
        figure = nodes.figure(classes=["kb-figure", *self.options.get("class", [])])
        self.set_source_info(figure)
        self.state.nested_parse(self.content, self.content_offset, figure)
        if self.arguments:
            inline, messages = self.parse_inline(self.arguments[0], lineno=self.lineno)
            caption = nodes.caption(self.arguments[0], "", *inline)
            self.set_source_info(caption)
            figure += caption
            figure += messages
        self.add_name(figure)
        return [figure]


def setup(app: Sphinx) -> None:
    """Register the directive."""
    app.add_directive("kb-figure", KbFigure)

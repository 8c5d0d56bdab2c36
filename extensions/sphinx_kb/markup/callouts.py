"""GitHub alerts and Obsidian callouts as admonitions.

.. code-block:: md

   > [!NOTE]
   > A GitHub alert.

   > [!tip] A title of my own
   > An Obsidian callout; ``[!tip]-`` folds it (closed), ``[!tip]+`` makes it foldable (open).

MyST-Parser's ``alert`` extension knows only GitHub's five upper-case kinds on a line of their
own, so notes written in Obsidian would come out as quotes with ``[!tip]`` in them. This
transform finds block quotes whose first line is such a marker and makes them admonitions
furo colours by kind.

A foldable callout is an ordinary admonition in the doctree, marked with ``kb_fold``, so every
builder (text, LaTeX, man, ...) shows its title and body as it shows any admonition. Only for HTML
does :class:`FoldHtml` turn it into a ``<details>`` element (the pattern of sphinx-design's
dropdowns).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.writers.html5 import HTML5Translator

_MARKER = re.compile(r"\[!(?P<kind>[A-Za-z][\w-]*)\](?P<fold>[+-]?)[ \t]*")

#: Callout kind -> the docutils admonition class whose colours it takes in furo.
STYLES = {
    "note": "note",
    "abstract": "note",
    "summary": "note",
    "tldr": "note",
    "info": "note",
    "todo": "note",
    "example": "note",
    "quote": "note",
    "cite": "note",
    "tip": "tip",
    "hint": "hint",
    "important": "important",
    "success": "tip",
    "check": "tip",
    "done": "tip",
    "question": "hint",
    "help": "hint",
    "faq": "hint",
    "warning": "warning",
    "caution": "caution",
    "attention": "attention",
    "failure": "error",
    "fail": "error",
    "missing": "error",
    "danger": "danger",
    "error": "error",
    "bug": "error",
}
_TITLES = {"tldr": "TL;DR", "faq": "FAQ", "todo": "To do"}


#: The attribute of an admonition that folds: ``"open"`` or ``"closed"``.
FOLD = "kb_fold"


class fold(nodes.Admonition, nodes.Element):  # noqa: N801 (docutils naming)
    """A callout the reader can fold: ``<details>``; only HTML builders meet it (see :class:`FoldHtml`)."""


class fold_title(nodes.TextElement):  # noqa: N801
    """The always-visible title of a :class:`fold`: ``<summary>``."""


class CalloutTransform(SphinxTransform):
    """Replace each block quote that starts with ``[!kind]`` by an admonition."""

    default_priority = 500

    def apply(self, **kwargs: Any) -> None:
        for quote in list(self.document.findall(nodes.block_quote)):
            callout = callout_from(quote)
            if callout is not None:
                quote.replace_self(callout)


def callout_from(quote: nodes.block_quote) -> nodes.Element | None:
    """The admonition a block quote stands for, or ``None`` if it is a plain quote."""
    first = quote.children[0] if quote.children else None
    if not isinstance(first, nodes.paragraph) or not first.children or not isinstance(first[0], nodes.Text):
        return None
    match = _MARKER.match(str(first[0]))
    if match is None:
        return None
    kind = match["kind"].lower()
    title, body = _split_first_line([nodes.Text(str(first[0])[match.end() :]), *first.children[1:]])
    if not any(node.astext().strip() for node in title):
        title = [nodes.Text(_TITLES.get(kind, kind.capitalize()))]
    callout = nodes.admonition(classes=[STYLES.get(kind, "note"), f"callout-{kind}"])
    if match["fold"]:
        callout[FOLD] = "open" if match["fold"] == "+" else "closed"
    callout += nodes.title("", "", *title)
    callout.source, callout.line = quote.source, quote.line
    if body:
        paragraph = nodes.paragraph("", "", *body)
        paragraph.source, paragraph.line = first.source, first.line
        callout += paragraph
    callout.extend(quote.children[1:])
    return callout


def _split_first_line(pieces: list[nodes.Node]) -> tuple[list[nodes.Node], list[nodes.Node]]:
    """Split inline nodes at the first line break: the title line, and the rest."""
    for index, piece in enumerate(pieces):
        if isinstance(piece, nodes.Text) and "\n" in piece:
            head, _, tail = str(piece).partition("\n")
            rest = pieces[index + 1 :]
            return _detach([*pieces[:index], nodes.Text(head)]), _detach([nodes.Text(tail.lstrip()), *rest])
    return _detach(pieces), []


def _detach(pieces: list[nodes.Node]) -> list[nodes.Node]:
    """The nodes, parentless so they can move, without empty text."""
    kept = []
    for piece in pieces:
        if isinstance(piece, nodes.Text) and not str(piece):
            continue
        if piece.parent is not None:
            piece.parent.remove(piece)
        kept.append(piece)
    return kept


class FoldHtml(SphinxPostTransform):
    """HTML only: a foldable admonition becomes a :class:`fold` (``<details>``) titled by a
    :class:`fold_title` (``<summary>``); other builders keep the plain admonition."""

    default_priority = 200
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        for admonition in list(self.document.findall(nodes.admonition)):
            state = admonition.get(FOLD)
            if state is None:
                continue
            details = fold(open=state == "open", **{key: list(admonition[key]) for key in ("ids", "names", "classes")})
            details.source, details.line = admonition.source, admonition.line
            title, *body = admonition.children
            details += fold_title("", "", *title.children)
            details.extend(body)
            admonition.replace_self(details)


def visit_fold(self: HTML5Translator, node: fold) -> None:
    attributes = {"open": "open"} if node.get("open") else {}
    self.body.append(self.starttag(node, "details", CLASS="admonition", **attributes))


def depart_fold(self: HTML5Translator, node: fold) -> None:
    self.body.append("</details>\n")


def visit_fold_title(self: HTML5Translator, node: fold_title) -> None:
    self.body.append(self.starttag(node, "summary", "", CLASS="admonition-title"))


def depart_fold_title(self: HTML5Translator, node: fold_title) -> None:
    self.body.append("</summary>\n")


def setup(app: Sphinx) -> None:
    """Register the transforms and the foldable callout's HTML nodes."""
    app.add_transform(CalloutTransform)
    app.add_post_transform(FoldHtml)
    app.add_node(fold, html=(visit_fold, depart_fold))
    app.add_node(fold_title, html=(visit_fold_title, depart_fold_title))

"""Each post's language and amount of text, and the language of its page.

Reading (:class:`TextFacts`, a transform): the text a reader reads is counted, CJK characters
and other words apart (:mod:`..content.language`), into the post's record; the counts give its
reading time (:class:`.views.PostView`). Code blocks, maths (inline and displayed), raw HTML and
comments are not counted: their reading time is anybody's guess. Inline code and the title are.
The post's language is its front matter's ``lang``/``language``, else what its text's script
tells (:func:`..content.language.detect`), else (``None``) the site's ``language``.

Writing (:func:`page_context`): a post's page gets its language as ``<html lang>`` (furo prints
the context's ``language``), the labels of the language (``kb_t``, :mod:`..i18n`), and the
"Previous"/"Next" labels of furo's footer in it too: templates translate with the context's
``gettext`` (Jinja's ``_`` calls it), which is wrapped to translate those two labels with our
catalogue, and to leave every other label of the theme to the site's translator. A neighbour in
another language than the page gets ``hreflang`` on its link (``kb_hreflang``, which
``templates/page.html`` adds to furo's footer) and ``lang`` on its title.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from markupsafe import Markup, escape
from sphinx.transforms import SphinxTransform

from ..content import language
from ..i18n import labels, page_language, site_language
from .domain import store

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from sphinx.application import Sphinx

#: Nodes whose text is not counted as read: code, maths, raw markup, comments, system messages.
NOT_READ = (
    nodes.literal_block,
    nodes.math,
    nodes.math_block,
    nodes.raw,
    nodes.comment,
    nodes.substitution_definition,
    nodes.system_message,
)
#: furo's labels that belong to the post (its neighbours), translated in the post's language.
POST_LABELS = frozenset({"Previous", "Next"})


def read_text(document: nodes.Node) -> Iterator[str]:
    """The texts of *document* a reader reads (without :data:`NOT_READ`), in order."""
    stack: list[nodes.Node] = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, nodes.Text):
            yield node.astext()
        elif not isinstance(node, NOT_READ) and isinstance(node, nodes.Element):
            stack.extend(reversed(node.children))


class TextFacts(SphinxTransform):
    """Count a post's text and settle its language."""

    # After the text-making transforms (callouts, maths: 500), before "References" (700) is titled
    # in the post's language.
    default_priority = 690

    def apply(self, **kwargs: Any) -> None:
        record = store(self.env).posts.get(self.env.docname)
        if record is None:
            return
        counts = language.count("\n".join(read_text(self.document)))
        record.cjk_chars, record.words = counts.cjk, counts.words
        record.language = record.meta.language or language.detect(counts, site_language(self.config))


def page_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """``html-page-context``: the page's language, its labels and its neighbours' languages."""
    lang = page_language(app.env, pagename)
    context["kb_t"] = labels(lang)
    context["kb_site_t"] = labels(site_language(app.config))
    known = store(app.env)
    record = known.posts.get(pagename)
    if record is None:
        return
    if record.language:
        context["language"] = record.language
    site_gettext = getattr(app.builder, "templates", None) and app.builder.templates.environment.globals.get("gettext")
    if site_gettext is not None:
        context["gettext"] = _post_gettext(site_gettext, labels(lang))
    older, newer = known.neighbours(pagename) if record.listed else (None, None)
    hreflang = {}
    for key, neighbour in (("prev", older), ("next", newer)):
        if neighbour is None:
            continue
        other = page_language(app.env, neighbour.docname)
        shown = context.get(key)
        if other.lower() != lang.lower() and isinstance(shown, dict):
            hreflang[key] = other
            shown["title"] = Markup('<span lang="%s">%s</span>') % (other, escape(neighbour.title))
    context["kb_hreflang"] = hreflang


def _post_gettext(site_gettext: Callable[..., str], translate: Callable[[str], str]) -> Callable[..., str]:
    """The templates' ``gettext`` of a post's page: :data:`POST_LABELS` in the post's language."""

    def gettext(message: str, *args: Any, **kwargs: Any) -> str:
        if message in POST_LABELS and not args and not kwargs:
            return translate(message)
        return site_gettext(message, *args, **kwargs)

    return gettext


def setup(app: Sphinx) -> None:
    """Register the counting transform and the page's language."""
    app.add_transform(TextFacts)
    # After pages.page_context (450), which sets the neighbours; before furo's (500).
    app.connect("html-page-context", page_context, priority=460)

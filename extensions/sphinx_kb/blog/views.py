"""Posts as templates see them.

Listings, archive pages, post headers and feeds all show the same facts of a post: its title and
link, date, category, tags, authors and summary. :class:`Views` computes them from the store
(:mod:`.domain`), with links relative to the page that shows them, and renders the ``kb/*.html``
templates with them (users may override any of those templates). One :class:`Views` serves a
whole build; it lives in the store's write cache, which is emptied whenever posts may have changed.

Everything an author wrote is text here (titles, names, tags): the templates escape it. Links are
percent-encoded (:func:`..urls.encode`), and an author's ``url`` is used only when its scheme is
safe (:func:`..urls.unsafe_scheme`); otherwise the name links to the author's archive, as if no
``url`` were given (the warning is given once, when the post is read: :mod:`.pages`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from docutils import nodes
from markupsafe import Markup, escape
from sphinx.errors import NoUri

from ..config import kb_config
from ..i18n import labels, page_language, site_language
from ..urls import encode, unsafe_scheme
from . import ablog_adapter
from .domain import PostRecord, store
from .keys import cover_url
from .search_links import search_url

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sphinx.application import Sphinx

    from ..content.frontmatter import Author


@dataclass(frozen=True)
class Link:
    """A name and where it leads (``None``: nowhere)."""

    name: str
    url: str | None = None


@dataclass(frozen=True)
class PostView:
    """One post, seen from one page."""

    docname: str
    title: str
    url: str
    date: dt.datetime
    #: The last update, when later than :attr:`date`.
    updated: dt.datetime | None
    categories: list[Link]
    tags: list[Link]
    authors: list[Link]
    #: The summary as HTML.
    summary: Markup
    #: Whether the summary holds math, so the page must load MathJax.
    has_math: bool
    #: The link to the post's cover image (front-matter ``image``), if it has one.
    cover: str | None = None
    #: The post's language tag, and the same when it is not the language of the page showing it
    #: (for ``hreflang`` and ``lang`` on its link and summary).
    language: str = "en"
    hreflang: str | None = None
    #: The reading time in minutes (:func:`..content.language.reading_minutes`).
    minutes: int = 1

    @property
    def category(self) -> Link | None:
        """The category shown in listings: the first one."""
        return self.categories[0] if self.categories else None


class Views:
    """Views of the posts of one build."""

    def __init__(self, app: Sphinx) -> None:
        self.app = app
        self._summaries: dict[str, tuple[Markup, bool]] = {}
        #: Archive page of each tag, category and author: kind -> name -> document name.
        self._archives = {
            kind: {archive.name: archive.docname for archive in ablog_adapter.archives(app, kind)}
            for kind in ("categories", "tags", "authors")
        }
        #: Pages that show a summary with math, so they must load MathJax.
        self.pages_with_math: set[str] = set()

    def posts(self, pagename: str, docnames: Iterable[str] | None = None) -> list[PostView]:
        """Views of the posts *docnames* (all listed ones, newest first, by default)."""
        known = store(self.app.env)
        if docnames is None:
            return [self.post(record, pagename) for record in known.listed_when_read()]
        return [self.post(known.posts[name], pagename) for name in docnames if name in known.posts]

    def post(self, record: PostRecord, pagename: str) -> PostView:
        """The view of *record* from the page *pagename*."""
        summary, has_math = self._summary(record)
        assert record.date is not None, "only listed posts have views"
        config = kb_config(self.app)
        language = record.language or site_language(self.app.config)
        return PostView(
            docname=record.docname,
            title=record.title,
            url=self.url(pagename, record.docname),
            date=record.date,
            updated=record.updated if record.updated != record.date else None,
            categories=self._links(pagename, "categories", record.categories),
            tags=self._links(pagename, "tags", record.tags),
            authors=[
                Link(author.name, author_url(author) or self._archive_url(pagename, "authors", author.name))
                for author in record.meta.authors
            ],
            summary=summary,
            has_math=has_math,
            cover=cover_url(self.app, record, pagename),
            language=language,
            hreflang=language if language.lower() != page_language(self.app.env, pagename).lower() else None,
            minutes=record.minutes(config),
        )

    def url(self, pagename: str, docname: str) -> str:
        """The link from page *pagename* to page *docname*, percent-encoded (``""`` where the
        builder has no address for it: LaTeX, for a page outside its documents)."""
        try:
            return encode(self.app.builder.get_relative_uri(pagename, docname))
        except NoUri:
            return ""

    def _archive_url(self, pagename: str, kind: str, name: str) -> str | None:
        docname = self._archives[kind].get(name)
        return self.url(pagename, docname) if docname else None

    def _links(self, pagename: str, kind: str, names: list[str]) -> list[Link]:
        """Tags and categories lead to the search page filtered by them, else to their archive."""
        return [
            Link(name, search_url(self.app, pagename, kind, name) or self._archive_url(pagename, kind, name))
            for name in names
        ]

    def _summary(self, record: PostRecord) -> tuple[Markup, bool]:
        cached = self._summaries.get(record.docname)
        if cached is None:
            node = record.summary
            # Only HTML builders render nodes alone; the others show no summary, so text will do.
            render = getattr(self.app.builder, "render_partial", None)
            if node is None:
                html = ""
            elif render is None:
                html = escape(node.astext())
            else:
                html = render(node.deepcopy())["fragment"]
            has_math = node is not None and any(True for _ in node.findall(nodes.math))
            cached = self._summaries[record.docname] = (Markup(html), has_math)
        return cached

    def render(self, template: str, language: str | None = None, **context: Any) -> str:
        """Render one of our templates outside a page (for nodes placed in a doctree), with labels
        in *language* (default: the site's)."""
        context.setdefault("kb_date_format", kb_config(self.app).date_format)
        context.setdefault("kb_t", labels(language or site_language(self.app.config)))
        return self.app.builder.templates.render(template, context)


def author_url(author: Author) -> str | None:
    """The link of *author* from front matter, if there is one and its scheme is safe."""
    if author.url is None or unsafe_scheme(author.url):
        return None
    return author.url


def views(app: Sphinx) -> Views:
    """The views of *app*'s current build."""
    cache = store(app.env).write_cache
    if "views" not in cache:
        cache["views"] = Views(app)
    return cache["views"]

"""Posts as templates see them.

Listings, archive pages, post headers and feeds all show the same facts of a post: its title and
link, date, category, tags, authors and summary. :class:`Views` computes them once per build from
ablog's catalogs and our post records, with links relative to the page that shows them, and
renders the ``kb/*.html`` templates with them (users may override any of those templates).
"""

from __future__ import annotations

import datetime as dt
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from docutils import nodes
from markupsafe import Markup

from . import ablog_adapter as ablog_compat
from .posts import PostRecord, records

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ablog.blog import Blog, Catalog, Post
    from sphinx.application import Sphinx


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

    @property
    def category(self) -> Link | None:
        """The category shown in listings: the first one."""
        return self.categories[0] if self.categories else None


class Views:
    """Views of the posts of one build."""

    def __init__(self, app: Sphinx) -> None:
        self.app = app
        self._summaries: dict[str, tuple[Markup, bool]] = {}
        #: Pages that show a summary with math, so they must load MathJax.
        self.pages_with_math: set[str] = set()

    @property
    def blog(self) -> Blog:
        return ablog_compat.blog(self.app)

    def posts(self, pagename: str, posts: Iterable[Post] | None = None) -> list[PostView]:
        """Views of *posts* (all, by default), newest first, as ablog orders them."""
        known = records(self.app.env)
        chosen = self.blog.posts if posts is None else posts
        return [self.post(known[post.docname], pagename) for post in chosen if post.docname in known]

    def post(self, record: PostRecord, pagename: str) -> PostView:
        """The view of *record* from the page *pagename*."""
        summary, has_math = self._summary(record)
        assert record.date is not None, "only listed posts have views"
        return PostView(
            docname=record.docname,
            title=record.title,
            url=self.url(pagename, record.docname),
            date=record.date,
            updated=record.updated if record.updated != record.date else None,
            categories=self._links(pagename, self.blog.category, record.categories),
            tags=self._links(pagename, self.blog.tags, record.tags),
            authors=[
                Link(a.name, a.url or self.url(pagename, self.blog.author[a.name].docname)) for a in record.meta.authors
            ],
            summary=summary,
            has_math=has_math,
        )

    def url(self, pagename: str, docname: str) -> str:
        """The link from page *pagename* to page *docname*."""
        return self.app.builder.get_relative_uri(pagename, docname)

    def _links(self, pagename: str, catalog: Catalog, names: list[str]) -> list[Link]:
        return [Link(name, self.url(pagename, catalog[name].docname)) for name in names]

    def _summary(self, record: PostRecord) -> tuple[Markup, bool]:
        cached = self._summaries.get(record.docname)
        if cached is None:
            node = record.summary
            html = self.app.builder.render_partial(node.deepcopy())["fragment"] if node is not None else ""
            has_math = node is not None and any(True for _ in node.findall(nodes.math))
            cached = self._summaries[record.docname] = (Markup(html), has_math)
        return cached

    def render(self, template: str, **context: Any) -> str:
        """Render one of our templates outside a page (for nodes placed in a doctree)."""
        context.setdefault("kb_date_format", self.app.config.kb_date_format)
        return self.app.builder.templates.render(template, context)


_VIEWS: weakref.WeakKeyDictionary[Sphinx, Views] = weakref.WeakKeyDictionary()


def views(app: Sphinx) -> Views:
    """The views of *app*'s current build."""
    current = _VIEWS.get(app)
    if current is None:
        current = _VIEWS[app] = Views(app)
    return current


def forget(app: Sphinx, *args: object) -> None:
    """Start the views afresh (connected to ``env-updated``: posts may have changed)."""
    _VIEWS.pop(app, None)

"""Where we meet ablog: the only module that imports it.

ablog (https://github.com/sunpy/ablog) generates the archive pages: all posts, one page per tag,
category, author and year, and an overview of each catalog. It is fed from our store
(:mod:`.domain`) and from nothing else:

- ablog normally collects posts from ``PostNode`` s in doctrees into ``env.ablog_posts``, which is
  not merged after parallel reading (sunpy/ablog#264, #297, #327; PR #330 is open) and keeps a
  deep copy of every post's doctree in the pickled environment. Here no ``PostNode`` is made:
  :func:`load` registers every listed post of the store in ablog's :class:`~ablog.blog.Blog`
  once reading is done (``env-updated``), in every build, from the merged store. With its reading
  side unused, ablog is safe to read in parallel, and :func:`setup` says so.
- :class:`~ablog.blog.Blog` keeps one state for the whole process. :func:`load` drops it first,
  so a second build in the same process (tests, sphinx-autobuild) never sees the first one's
  posts.
- ablog compares post dates with a naive ``datetime.today()``, which fails on dates that carry an
  offset. :mod:`..content.bundles` decides what is published before ablog sees a post, so
  ablog's cut-off is moved to the end of time, in UTC.
- ablog's ``env-purge-doc`` handler deletes the standard label named like the last part of every
  page read again, so a label ``(zeta)=`` anywhere vanished when ``posts/zeta`` was re-read; the
  handler is disconnected (its reading side is unused anyway).
- ablog's templates extend ``layout.html``, which furo refuses (sunpy/ablog#108, pradyunsg/furo#86);
  ours (``templates/ablog/``) are used instead, and ablog's stylesheets are not served.

The rest of the package sees archives as :class:`Archive` values, never ablog's objects.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ablog
import ablog.blog
import ablog.post
from ablog.blog import Blog, Catalog, Collection, slugify

from ..warnings_ import KbWarning, warn

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sphinx.application import Sphinx
    from sphinx.config import Config

    from .domain import PostRecord

_END_OF_TIME = dt.datetime.max.replace(tzinfo=dt.UTC)

#: Our names of ablog's catalogs (and of its collection of all posts) -> its attribute.
_CATALOGS = {"categories": "category", "tags": "tags", "authors": "author", "years": "archive"}

__all__ = [
    "Archive",
    "archive",
    "archive_in_context",
    "archive_pages",
    "archives",
    "catalog_in_context",
    "load",
    "setup",
    "slugify",
]


@dataclass(frozen=True)
class Archive:
    """One archive page: all posts (kind ``all``), or those of one tag, category, author or year."""

    kind: str
    name: str
    #: The archive page's document name.
    docname: str
    #: Its folder in the output, where its feed goes.
    path: str
    #: Its posts, newest first.
    docnames: tuple[str, ...]


def setup(app: Sphinx) -> None:
    """Load ablog and adapt it (see the module's notes)."""
    app.setup_extension("ablog")
    ablog.blog.TOMORROW = _END_OF_TIME
    ablog.blog.FUTURE = _END_OF_TIME
    # ablog's reading side is not used (see above), so reading in parallel is safe.
    app.extensions["ablog"].parallel_read_safe = True
    # Its purge handler deletes unrelated labels (see above); its archive pages are generated
    # through archive_pages, for pages.collect_archives to leave out those that did not change.
    for event, handler in (
        ("env-purge-doc", ablog.post.purge_posts),
        ("html-collect-pages", ablog.post.generate_archive_pages),
    ):
        for listener in list(app.events.listeners.get(event, [])):
            if listener.handler is handler:
                app.disconnect(listener.id)
    app.connect("config-inited", _configure)


def _configure(app: Sphinx, config: Config) -> None:
    """``config-inited``, after ablog's: our templates, not ablog's; feeds are ours."""
    config.skip_injecting_base_ablog_templates = True
    if config.blog_baseurl:
        warn(
            KbWarning.CONFIG,
            "blog_baseurl is ignored: feeds are written by sphinx-kb from html_baseurl",
            location=f"{Path(app.confdir, 'conf.py')}:",
        )
        config.blog_baseurl = ""
    ablog_styles = Path(ablog.__file__).parent / "stylesheets"
    config.html_static_path = [p for p in config.html_static_path if Path(p) != ablog_styles]


def load(app: Sphinx, posts: list[PostRecord]) -> None:
    """Give ablog exactly *posts* (listed, with their canonical tags and categories)."""
    Blog._dict.clear()
    blog = Blog(app)
    for record in posts:
        blog.register(record.docname, _info(record))


def _info(record: PostRecord) -> dict[str, Any]:
    """The post description :meth:`ablog.blog.Blog.register` takes, from our record."""
    return {
        "docname": record.docname,
        "section": "",
        "order": 1,
        "date": record.date,
        "update": record.updated,
        "title": record.title,
        "excerpt": [],
        "tags": list(record.tags),
        "author": [author.name for author in record.meta.authors],
        "category": list(record.categories),
        "location": [],
        "language": [],
        "redirect": [],
        "nocomments": True,
        "image": None,
        "exclude": True,
        "canonical_link": None,
        "external_link": None,
        # ablog keeps it only for its own feeds and templates, which are not used.
        "doctree": None,
    }


def _blog(app: Sphinx) -> Blog:
    blog = Blog(app)
    assert blog.app is app, "load() runs at env-updated, before any archive is asked for"
    return blog


def _archive(kind: str, collection: Collection) -> Archive:
    return Archive(
        kind=kind,
        name=str(collection.name),
        docname=collection.docname,
        path=collection.path,
        docnames=tuple(post.docname for post in collection),
    )


def archives(app: Sphinx, kind: str) -> list[Archive]:
    """The non-empty archives of one kind: ``categories``, ``tags``, ``authors`` or ``years``."""
    catalog: Catalog = getattr(_blog(app), _CATALOGS[kind])
    return [_archive(kind, collection) for collection in catalog if len(collection)]


def archive(app: Sphinx, kind: str, name: str | None = None) -> Archive:
    """The archive of all posts (kind ``all``), or of one tag, category, author or year."""
    blog = _blog(app)
    if kind == "all":
        return _archive(kind, blog.posts)
    catalog: Catalog = getattr(blog, _CATALOGS[kind])
    return _archive(kind, catalog[name])


def archive_in_context(app: Sphinx, context: dict[str, Any]) -> Archive | None:
    """The archive an ablog page shows, from its template context (``None``: not an archive)."""
    collection: Collection | None = context.get("collection")
    if collection is None:
        return None
    blog = _blog(app)
    if collection is blog.posts:
        return _archive("all", collection)
    kinds = {id(getattr(blog, attribute)): kind for kind, attribute in _CATALOGS.items()}
    return _archive(kinds.get(id(collection.catalog), "other"), collection)


def archive_pages(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    """ablog's archive pages, as ``html-collect-pages`` takes them: name, context, template."""
    yield from ablog.post.generate_archive_pages(app)


def catalog_in_context(context: dict[str, Any]) -> list[tuple[str, str, int]] | None:
    """What the overview of a catalog shows, from its template context: each non-empty archive's
    name, page and number of posts (``None``: not an overview)."""
    catalog: Catalog | None = context.get("catalog")
    if catalog is None:
        return None
    return [(str(collection.name), collection.docname, len(collection)) for collection in catalog if len(collection)]

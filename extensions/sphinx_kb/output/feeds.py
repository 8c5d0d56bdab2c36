"""Atom feeds: one of all posts, and one per tag and per category.

ablog writes feeds too, but it converts every date to the build machine's local time zone and
knows nothing of per-post author links or summaries; these feeds use the dates as the authors
wrote them, so two machines build the same files. Links in a feed must be absolute, so feeds
are written only when ``html_baseurl`` says where the site lives (Read the Docs sets it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from feedgen.feed import FeedGenerator

from .. import __version__
from ..blog import ablog_adapter
from ..blog.domain import PostRecord, store
from ..config import kb_config
from ..warnings_ import KbWarning, warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from ..blog.ablog_adapter import Archive

FEED_FILE = "atom.xml"
#: The ``updated`` time of a feed with no entries (Atom requires one; the build time would
#: change the file on every build).
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def feed_path(app: Sphinx, archive: Archive | None) -> str:
    """Where the feed of *archive* (``None``: all posts) is written, relative to the output."""
    folder = app.config.blog_path if archive is None else archive.path
    return f"{folder}/{FEED_FILE}"


@dataclass(frozen=True)
class Feed:
    """One feed to write."""

    title: str
    #: Where the XML goes, relative to the output folder.
    path: str
    #: The archive page the feed mirrors (``None``: the home page).
    page: str | None
    posts: list[PostRecord]


def write_feeds(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: write every feed."""
    if exception is not None or app.builder.format != "html" or app.builder.name not in ("html", "dirhtml"):
        return
    base = app.config.html_baseurl
    if not base:
        warn(KbWarning.FEED, "html_baseurl is not set, so no Atom feed is written", location=_conf_py(app))
        return
    base = base.rstrip("/") + "/"
    for feed in feeds(app):
        target = Path(app.outdir, feed.path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(_atom(app, base, feed))


def feeds(app: Sphinx) -> list[Feed]:
    """The feed of all posts, then one per tag and per category."""
    known = store(app.env)
    title = app.config.blog_title
    result = [Feed(title, feed_path(app, None), None, known.listed())]
    for kind in ("tags", "categories"):
        for archive in ablog_adapter.archives(app, kind):
            posts = [known.posts[name] for name in archive.docnames if name in known.posts]
            result.append(Feed(f"{title}: {archive.name}", feed_path(app, archive), archive.docname, posts))
    return result


def _conf_py(app: Sphinx) -> str:
    return f"{Path(app.confdir, 'conf.py')}:"


def _url(base: str, target: str) -> str:
    return base + quote(target, safe="/#")


def _atom(app: Sphinx, base: str, feed: Feed) -> bytes:
    """The Atom document of *feed*: its newest posts, at most ``kb_feed_length`` of them."""
    posts = sorted(feed.posts, key=lambda record: (record.date, record.title), reverse=True)
    posts = posts[: kb_config(app).feed_length]
    atom = FeedGenerator()
    atom.id(_url(base, feed.path))
    atom.title(feed.title)
    if kb_config(app).feed_subtitle:
        atom.subtitle(kb_config(app).feed_subtitle)
    home = _url(base, app.builder.get_target_uri(feed.page)) if feed.page else base
    atom.link(href=home, rel="alternate")
    atom.link(href=_url(base, feed.path), rel="self")
    atom.author({"name": app.config.author or app.config.project})
    atom.language(app.config.language)
    atom.generator("sphinx-kb", __version__)
    atom.updated(max((record.updated for record in posts), default=_EPOCH))
    for record in reversed(posts):  # feedgen puts each new entry first
        url = _url(base, app.builder.get_target_uri(record.docname))
        entry = atom.add_entry()
        entry.id(url)
        entry.title(record.title)
        entry.link(href=url)
        entry.published(record.date)
        entry.updated(record.updated)
        for author in record.meta.authors:
            entry.author({"name": author.name, **({"uri": author.url} if author.url else {})})
        for name in [*record.categories, *record.tags]:
            entry.category(term=name)
        if record.summary is not None:
            entry.summary(record.summary.astext())
    return atom.atom_str(pretty=True)


def setup(app: Sphinx) -> None:
    """Write the feeds once the pages are written."""
    app.connect("build-finished", write_feeds)

"""Atom feeds: one of all posts, and one per tag and per category.

ablog writes feeds too, but it converts every date to the build machine's local time zone and
knows nothing of per-post author links or summaries; these feeds use the dates as the authors
wrote them, so two machines build the same files. Links in a feed must be absolute, so feeds
are written only when ``html_baseurl`` says where the site lives (Read the Docs sets it).

Every text of a feed is what the author wrote, as text (the XML library escapes it). XML 1.0
forbids most control characters (a form feed pasted into a summary, a NUL): they are left out, with
a warning at the post's line of that field (:class:`_Texts`). Each feed is written on its own: one
that fails is a warning naming it, and the others (and the redirects written after them) are still
written.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from feedgen.feed import FeedGenerator

from .. import __version__
from ..blog import ablog_adapter
from ..blog.domain import PostRecord, store
from ..blog.views import author_url
from ..config import kb_config
from ..i18n import site_language
from ..urls import encode
from ..warnings_ import KbWarning, warn
from . import feed_language, incremental

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from ..blog.ablog_adapter import Archive
    from ..warnings_ import Location

FEED_FILE = "atom.xml"
#: The ``updated`` time of a feed with no entries (Atom requires one; the build time would
#: change the file on every build).
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
#: A character XML 1.0 does not allow (its ``Char`` production), which lxml refuses to write.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


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
    #: Where a problem with the whole feed is reported: conf.py, or the newest post's line of the
    #: tag or category the feed is of.
    location: Location
    #: What the title is made of, for warnings: ``blog_title``, ``tag`` or ``category``.
    title_from: str = "blog_title"


def write_feeds(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: write every feed."""
    if exception is not None or app.builder.format != "html" or app.builder.name not in ("html", "dirhtml"):
        return
    base = app.config.html_baseurl
    if not base:
        warn(KbWarning.FEED, "html_baseurl is not set, so no Atom feed is written", location=_conf_py(app))
        return
    base = base.rstrip("/") + "/"
    texts = _Texts()
    done = incremental.outputs(app)
    state = incremental.config_state(app)
    for feed in feeds(app):
        try:
            target = Path(app.outdir, feed.path)
            shows = incremental.fingerprint(
                state,
                base,
                feed.title,
                feed.path,
                feed.page,
                [(r.docname, r.shown(kb_config(app))) for r in feed.posts],
            )
            if done.unchanged(feed.path, target, shows):
                # Nothing the feed shows changed (its warnings were given when it was written).
                continue
            done.write(target, _atom(app, base, feed, texts))
        except Exception as error:  # one feed that fails never stops the others
            warn(KbWarning.FEED, "the feed %s cannot be written: %s", feed.path, error, location=feed.location)


def feeds(app: Sphinx) -> list[Feed]:
    """The feed of all posts, then one per tag and per category."""
    known = store(app.env)
    title = app.config.blog_title
    result = [Feed(title, feed_path(app, None), None, known.listed(), _conf_py(app))]
    for kind in ("tags", "categories"):
        for archive in ablog_adapter.archives(app, kind):
            posts = [known.posts[name] for name in archive.docnames if name in known.posts]
            # The name comes from the front matter of its posts: a problem is reported at the newest.
            where = (posts[0].docname, posts[0].meta.line_of(kind)) if posts else _conf_py(app)
            what = "tag" if kind == "tags" else "category"
            path = feed_path(app, archive)
            result.append(Feed(f"{title}: {archive.name}", path, archive.docname, posts, where, what))
    return result


def _conf_py(app: Sphinx) -> str:
    return f"{Path(app.confdir, 'conf.py')}:"


def _url(base: str, target: str) -> str:
    return base + encode(target)


@dataclass
class _Texts:
    """Makes texts fit for XML, warning once per post and field of the characters left out."""

    warned: set[tuple[str, str]] = field(default_factory=set)

    def __call__(self, text: str, location: Location, what: str) -> str:
        """*text* without the characters XML forbids; *what* names it in the warning."""
        dropped = sorted(set(_NOT_XML.findall(text)))
        if not dropped:
            return text
        key = (str(location), what)
        if key not in self.warned:
            self.warned.add(key)
            codes = ", ".join(f"U+{ord(char):04X}" for char in dropped)
            message = "the %s has characters XML does not allow (%s); they are left out of the feeds"
            warn(KbWarning.FEED, message, what, codes, location=location)
        return _NOT_XML.sub("", text)


def _atom(app: Sphinx, base: str, feed: Feed, texts: _Texts) -> bytes:
    """The Atom document of *feed*: its newest posts, at most ``kb_feed_length`` of them."""
    posts = sorted(feed.posts, key=lambda record: (record.date, record.title), reverse=True)
    posts = posts[: kb_config(app).feed_length]
    settings = _conf_py(app)
    atom = FeedGenerator()
    feed_language.register(atom)
    atom.id(_url(base, feed.path))
    atom.title(texts(feed.title, feed.location, feed.title_from))
    if kb_config(app).feed_subtitle:
        atom.subtitle(texts(kb_config(app).feed_subtitle, settings, "kb_feed_subtitle"))
    home = _url(base, app.builder.get_target_uri(feed.page)) if feed.page else base
    atom.link(href=home, rel="alternate")
    atom.link(href=_url(base, feed.path), rel="self")
    atom.author({"name": texts(app.config.author or app.config.project, settings, "author")})
    atom.language(site_language(app.config))
    atom.generator("sphinx-kb", __version__)
    atom.updated(max((record.updated or _EPOCH for record in posts), default=_EPOCH))
    for record in reversed(posts):  # feedgen puts each new entry first
        _entry(app, atom, _url(base, app.builder.get_target_uri(record.docname)), record, texts)
    return atom.atom_str(pretty=True)


def _entry(app: Sphinx, atom: FeedGenerator, url: str, record: PostRecord, texts: _Texts) -> None:
    """Add the entry of *record* to *atom*; its texts are made fit for XML, each warned of at
    the line of its front-matter field."""

    def text(value: str, name: str, what: str) -> str:
        return texts(value, (record.docname, record.meta.line_of(name)), what)

    entry = atom.add_entry()
    feed_language.set_language(entry, record.language or site_language(app.config))
    entry.id(url)
    entry.title(text(record.title, "title", "title"))
    entry.link(href=url)
    entry.published(record.date)
    entry.updated(record.updated)
    for author in record.meta.authors:
        link = author_url(author)
        uri = {"uri": text(link, "authors", "author's url")} if link else {}
        entry.author({"name": text(author.name, "authors", "author's name"), **uri})
    for name in record.categories:
        entry.category(term=text(name, "categories", "category"))
    for name in record.tags:
        entry.category(term=text(name, "tags", "tag"))
    if record.summary is not None:
        # The description's line, or the first line when the summary is the post's first paragraph.
        entry.summary(text(record.summary.astext(), "description", "summary"))


def setup(app: Sphinx) -> None:
    """Write the feeds once the pages are written."""
    app.connect("build-finished", write_feeds)

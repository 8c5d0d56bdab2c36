"""Atom and RSS feeds: one of all posts, and one per tag and per category.

ablog writes feeds too, but it converts every date to the build machine's local time zone and
knows nothing of per-post author links or summaries; these feeds use the dates as the authors
wrote them, so two machines build the same files. Links in a feed must be absolute, so feeds
are written only when ``html_baseurl`` says where the site lives (Read the Docs sets it).

Every text of a feed is what the author wrote, as text (the XML library escapes it). XML 1.0
forbids most control characters (a form feed pasted into a summary, a NUL): they are left out, with
a warning at the post's line of that field (:class:`_Texts`). Each feed is written on its own: one
that fails is a warning naming it, and the others (and the redirects written after them) are still
written.

Each feed is written twice, as Atom (``atom.xml``) and as RSS 2.0 (``rss.xml``) beside it, from
the same entries. With ``kb_feed_content = "full"`` entries carry the whole post as HTML
(:mod:`.feed_content`) besides the summary: Atom's ``<content>``, RSS's ``<content:encoded>``.

``kb_hugo_feeds`` (a site that came from Hugo) adds copies of the RSS feeds at the addresses Hugo
gave its feeds (:func:`hugo_copies`): copies, not redirect pages, since feed readers do not follow
an HTML redirect. A copy never replaces a file something else made (a page, a file of
``html_extra_path``): it is left out with a warning, as a redirect is (:mod:`.redirects`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from feedgen.feed import FeedGenerator

from .. import __version__
from ..blog import ablog_adapter
from ..blog.domain import PostRecord, store
from ..blog.views import author_url
from ..config import kb_config
from ..content.urlize import urlize
from ..i18n import site_language
from ..urls import encode
from ..warnings_ import KbWarning, warn
from . import feed_content, feed_language, incremental

if TYPE_CHECKING:
    from sphinx.application import Sphinx

    from ..blog.ablog_adapter import Archive
    from ..warnings_ import Location

FEED_FILE = "atom.xml"
RSS_FILE = "rss.xml"
#: What Hugo named every feed file.
HUGO_FILE = "index.xml"
#: In every RSS feed near its start: a Hugo copy may be replaced or deleted only while it holds it.
MARKER = "<generator>sphinx-kb"
#: The ``updated`` time of a feed with no entries (Atom requires one; the build time would
#: change the file on every build).
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
#: A character XML 1.0 does not allow (its ``Char`` production), which lxml refuses to write.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def feed_path(app: Sphinx, archive: Archive | None) -> str:
    """Where the feed of *archive* (``None``: all posts) is written, relative to the output."""
    folder = app.config.blog_path if archive is None else archive.path
    return f"{folder}/{FEED_FILE}"


def rss_path(app: Sphinx, archive: Archive | None) -> str:
    """Where the RSS feed of *archive* (``None``: all posts) is written, relative to the output."""
    return feed_path(app, archive).removesuffix(FEED_FILE) + RSS_FILE


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
    #: Where the RSS version goes.
    rss: str = ""
    #: The addresses Hugo gave this feed (``kb_hugo_feeds``), relative to the output folder.
    hugo: tuple[str, ...] = ()


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
    known = store(app.env)
    full = kb_config(app).feed_content == "full"
    taken: set[str] = set()
    for feed in feeds(app):
        try:
            copies = [path for path in feed.hugo if _free(app, done, path, feed, taken)]
            posts = [(r.docname, known.shown(r), _page_print(app, r.docname) if full else None) for r in feed.posts]
            shows = incremental.fingerprint(
                state, feed_content.VERSION, base, feed.title, feed.path, feed.rss, feed.page, posts
            )
            files = [feed.path, feed.rss, *copies]
            # Every file is recorded as published (a list, not a short-circuiting all()).
            unchanged = [done.unchanged(path, Path(app.outdir, path), shows) for path in files]
            if all(unchanged):
                # Nothing the feed shows changed (its warnings were given when it was written).
                continue
            atom, rss = _documents(app, base, feed, texts)
            done.write(Path(app.outdir, feed.path), atom)
            done.write(Path(app.outdir, feed.rss), rss)
            for path in copies:
                # Deleted by a later build only while it is still one of our feeds.
                done.write(Path(app.outdir, path), rss, marker=MARKER)
        except Exception as error:  # one feed that fails never stops the others
            warn(KbWarning.FEED, "the feed %s cannot be written: %s", feed.path, error, location=feed.location)


def _page_print(app: Sphinx, docname: str) -> str:
    """A hash of the page of *docname* as published: Sphinx writes it again whenever its body may
    have changed, so an unchanged page means an unchanged full content."""
    try:
        return hashlib.sha256(Path(incremental.page_file(app, docname)).read_bytes()).hexdigest()
    except OSError:
        return ""


def feeds(app: Sphinx) -> list[Feed]:
    """The feed of all posts, then one per tag and per category."""
    known = store(app.env)
    title = app.config.blog_title
    hugo = kb_config(app).hugo_feeds.strip("/")
    section = hugo.rpartition("/")[2]
    root = hugo.rpartition("/")[0] + "/" if "/" in hugo else ""
    copies = (f"{root}{HUGO_FILE}", f"{root}{section}/{HUGO_FILE}") if hugo else ()
    result = [
        Feed(title, feed_path(app, None), None, known.listed(), _conf_py(app), rss=rss_path(app, None), hugo=copies)
    ]
    for kind in ("tags", "categories"):
        for archive in ablog_adapter.archives(app, kind):
            posts = [known.posts[name] for name in archive.docnames if name in known.posts]
            # The name comes from the front matter of its posts: a problem is reported at the newest.
            where = (posts[0].docname, posts[0].meta.line_of(kind)) if posts else _conf_py(app)
            what = "tag" if kind == "tags" else "category"
            path = feed_path(app, archive)
            copy = (f"{root}{kind}/{urlize(archive.name)}/{HUGO_FILE}",) if hugo else ()
            feed = Feed(
                f"{title}: {archive.name}", path, archive.docname, posts, where, what, rss_path(app, archive), copy
            )
            result.append(feed)
    return result


def _free(app: Sphinx, done: incremental.Outputs, path: str, feed: Feed, taken: set[str]) -> bool:
    """Whether the Hugo copy *path* of *feed* may be written: a file name, not one of another feed's
    copies, and no file or folder there or in its way that this build or someone else made.
    Warns (at the feed's location) when it may not."""
    reason = _bad_name(path)
    if reason is None and path in taken:
        reason = "is also the address of another feed's copy"
    if reason is None:
        target = Path(app.outdir, path)
        for count in range(1, path.count("/") + 1):
            folder = Path(app.outdir, *path.split("/")[:count])
            if folder.is_file():
                reason = f"needs a folder where the site has the file {folder.relative_to(app.outdir).as_posix()}"
                break
        if reason is None and target.is_dir():
            reason = "is a folder of the site"
        elif reason is None and target.exists() and not _ours(done, path, target):
            reason = "is already a file of the site"
    if reason is not None:
        warn(
            KbWarning.FEED,
            "the copy of the feed at Hugo's address %s %s; it is not written",
            path,
            reason,
            location=feed.location,
        )
        return False
    taken.add(path)
    return True


def _ours(done: incremental.Outputs, path: str, target: Path) -> bool:
    """Whether the file *target* is a feed copy an earlier build wrote (and nobody replaced)."""
    try:
        if path not in done.last_files or target.stat().st_mtime > done.started:
            return False
        with target.open("rb") as file:
            return MARKER.encode() in file.read(4096)
    except OSError:
        return False


def _bad_name(path: str) -> str | None:
    """Why *path* (a tag or category made into Hugo's folder name) cannot name a file, or ``None``."""
    segments = path.split("/")
    if {"", ".", ".."} & set(segments):
        return "is not a file name"
    if any(unicodedata.category(char) == "Cc" for char in path):
        return "holds a control character"
    if any(len(segment.encode()) > 255 for segment in segments):
        return "has a part longer than a file name may be"
    return None


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


def _documents(app: Sphinx, base: str, feed: Feed, texts: _Texts) -> tuple[bytes, bytes]:
    """The Atom and RSS documents of *feed*: its newest posts, at most ``kb_feed_length`` of them."""
    posts = sorted(feed.posts, key=lambda record: (record.date, record.title), reverse=True)
    posts = posts[: kb_config(app).feed_length]
    settings = _conf_py(app)
    atom = FeedGenerator()
    feed_language.register(atom)
    atom.id(_url(base, feed.path))
    title = texts(feed.title, feed.location, feed.title_from)
    atom.title(title)
    subtitle = kb_config(app).feed_subtitle
    if subtitle:
        atom.subtitle(texts(subtitle, settings, "kb_feed_subtitle"))
    home = _url(base, app.builder.get_target_uri(feed.page)) if feed.page else base
    atom.link(href=home, rel="alternate")
    atom.link(href=_url(base, feed.path), rel="self")
    atom.author({"name": texts(app.config.author or app.config.project, settings, "author")})
    atom.language(site_language(app.config))
    atom.generator("sphinx-kb", __version__)
    atom.updated(max((record.updated or _EPOCH for record in posts), default=_EPOCH))
    for record in reversed(posts):  # feedgen puts each new entry first
        _entry(app, atom, _url(base, app.builder.get_target_uri(record.docname)), record, texts)
    atom_xml = atom.atom_str(pretty=True)
    # RSS requires a description. Its own address is the `self` link, and its `<link>` is feedgen's
    # last one: the page (the `updated` time is RSS's lastBuildDate).
    if not subtitle:
        atom.description(title)
    atom.link(href=_url(base, feed.rss), rel="self", replace=True)
    atom.link(href=home, rel="alternate")
    return atom_xml, atom.rss_str(pretty=True)


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
    entry.published(record.date)  # RSS's pubDate too
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
    if kb_config(app).feed_content == "full":
        where = (record.docname, 1)
        entry.content(texts(feed_content.post_content(app, record.docname), where, "content"), type="html")


def setup(app: Sphinx) -> None:
    """Write the feeds once the pages are written."""
    app.connect("build-finished", write_feeds)

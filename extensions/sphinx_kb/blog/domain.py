"""The store: everything the site knows of its posts, kept in one Sphinx domain.

Listings, post headers, neighbours, feeds, redirects and the archives (through
:mod:`.ablog_adapter`) all read the posts from here, never from anywhere else. Keeping the state
in a :class:`~sphinx.domains.Domain` (model: ``sphinx/ext/todo.py``) is what makes it right
through incremental and parallel builds: Sphinx pickles it with the environment, calls
:meth:`KbDomain.clear_doc` before a document is read again or when it is deleted, and
:meth:`KbDomain.merge_domaindata` to take what a parallel reader process found.

Per document, the store holds

- ``posts``: the :class:`PostRecord` of each bundle (front matter, title, summary, tags...);
- ``listings``: the documents holding a ``{posts}`` listing, rewritten when posts change;
- ``numbers``: figure, table and theorem numbers of posts (:mod:`..markup.numbering`);
- ``line_maps``: for converted MDX files, the line the author wrote for each converted line;
- ``link_keys``: every link of the document to another page, as written (:mod:`.links`);
- ``links``: the link graph, the posts each document links to, resolved from ``link_keys``
  once all documents are read, with ``link_state`` (what each link resolved to, to know which
  pages to write again when posts are renamed, added or deleted).

and, for the whole site, ``backlinks`` (each post's referring posts at the last build),
``sources`` (what discovery read of each source file: is it valid UTF-8, inside the source
folder, a draft? cached so discovery need not re-read unchanged files), ``shown`` (what each
post showed on other pages at the last build) and ``post_links_shown`` (what each post's
"Referenced by" and "Related posts" showed, :mod:`.related`), to know which pages to write again.

Write-phase caches (rendered summaries) are kept on the domain object, not in its data: they are
rebuilt in every build and never pickled.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from sphinx.domains import Domain

from ..config import KbConfig, kb_config
from ..content.language import TextCounts, reading_minutes

if TYPE_CHECKING:
    from collections.abc import Set
    from pathlib import Path

    from docutils import nodes
    from sphinx import addnodes
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

    from ..content import frontmatter
    from ..content.bundles import SourceCheck

#: Figure type -> node id -> number, as in ``env.toc_fignumbers[docname]``.
Numbers = dict[str, dict[str, tuple[int, ...]]]
#: Converted file (normalized absolute path) -> the author's line of each converted line.
LineMaps = dict[str, list[int]]
#: A link as written, classified (:func:`.links.classify`): kind, target, fallback name, anchor.
LinkKey = tuple[str, str, str, str]


@dataclass
class PostRecord:
    """What the site knows of one post."""

    docname: str
    slug: str
    meta: frontmatter.FrontMatter
    #: The title shown in listings: the front-matter title, else the first heading, else the slug.
    title: str
    #: Listed on the site: published and dated. Drafts built with ``kb_show_drafts`` are not.
    listed: bool
    #: The summary shown in listings and feeds, as a paragraph node.
    summary: nodes.paragraph | None = None
    #: Canonical spellings (:mod:`..content.taxonomy`), set once all posts are read.
    tags: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    #: The post's language tag: its front matter's, else found from its text
    #: (:mod:`..content.language`); ``None``: the site's.
    language: str | None = None
    #: CJK characters and other words of the text a reader reads (:mod:`.language`).
    cjk_chars: int = 0
    words: int = 0
    #: The date of the last commit that touched the bundle (:mod:`.updated`), set after reading.
    git_updated: dt.datetime | None = None

    @property
    def date(self) -> dt.datetime | None:
        return self.meta.date

    @property
    def updated(self) -> dt.datetime | None:
        """The last update: ``lastmod`` if given and later than the date; without ``lastmod``, the
        last commit to the bundle if on a later day than the date; else the date."""
        date = self.meta.date
        if self.meta.updated is not None:
            return self.meta.updated if date and self.meta.updated > date else date
        if self.git_updated and date and self.git_updated.date() > date.astimezone(self.git_updated.tzinfo).date():
            return self.git_updated
        return date

    def minutes(self, config: KbConfig) -> int:
        """The post's reading time in minutes, at the site's reading speeds."""
        counts = TextCounts(cjk=self.cjk_chars, words=self.words)
        return reading_minutes(counts, config.reading_speed_cjk, config.reading_speed_words)

    def shown(self, config: KbConfig) -> tuple[object, ...]:
        """Everything about this post that other pages show (listings, neighbours, sidebars,
        archive pages, feeds). The summary is compared with its markup (emphasis, math), not only
        its text, and the cover by its path (the copied file's name follows it); the text's length
        by the reading time it shows, so an edit that keeps the minutes rewrites no listing."""
        return (
            self.title,
            self.date,
            self.updated,
            tuple(self.tags),
            tuple(self.categories),
            tuple(self.meta.authors),
            str(self.summary) if self.summary is not None else None,
            self.meta.cover,
            self.language,
            self.minutes(config),
        )


class KbDomain(Domain):
    """The posts of the site and what was found while reading them."""

    name = "kb"
    label = "sphinx-kb"
    #: Bump when the shape of the data changes: Sphinx then reads every document again.
    data_version = 5
    # Unannotated: Sphinx declares it a ClassVar from 9.0, an instance variable before.
    initial_data = {  # noqa: RUF012
        "posts": {},
        "listings": {},
        "numbers": {},
        "line_maps": {},
        "link_keys": {},
        "links": {},
        "link_state": {},
        "sources": {},
        "backlinks": {},
        "shown": {},
        "post_links_shown": {},
    }
    #: The per-document parts of the data, cleared and merged by document name.
    _PER_DOCUMENT: ClassVar[tuple[str, ...]] = (
        "posts",
        "listings",
        "numbers",
        "line_maps",
        "link_keys",
        "links",
        "link_state",
    )

    def __init__(self, env: BuildEnvironment) -> None:
        super().__init__(env)
        #: Caches of the writing phase (e.g. rendered summaries), dropped when posts change.
        self.write_cache: dict[str, Any] = {}

    @property
    def posts(self) -> dict[str, PostRecord]:
        """Every post built, listed or not, by document name."""
        return self.data["posts"]

    @property
    def listings(self) -> dict[str, bool]:
        """The documents that hold a ``{posts}`` listing (values are always ``True``)."""
        return self.data["listings"]

    @property
    def numbers(self) -> dict[str, Numbers]:
        return self.data["numbers"]

    @property
    def sources(self) -> dict[Path, SourceCheck]:
        """What discovery read of each source file (by path), until the file changes."""
        return self.data["sources"]

    def clear_doc(self, docname: str) -> None:
        for part in self._PER_DOCUMENT:
            self.data[part].pop(docname, None)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for part in self._PER_DOCUMENT:
            theirs = otherdata[part]
            self.data[part].update({name: theirs[name] for name in docnames if name in theirs})
        # A cache keyed by file, filled at discovery: the reader processes only add to it.
        self.sources.update(otherdata["sources"])

    def process_doc(self, env: BuildEnvironment, docname: str, document: nodes.document) -> None:
        if docname in self.posts:
            # Posts are reached through listings, never through the navigation tree.
            env.metadata[docname]["orphan"] = True

    def resolve_any_xref(  # noqa: PLR0917 (Sphinx's signature)
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        target: str,
        node: addnodes.pending_xref,
        contnode: nodes.Element,
    ) -> list[tuple[str, nodes.reference]]:
        """Nothing: posts are reached through the standard domain's labels (their slugs)."""
        return []

    # Queries ----------------------------------------------------------------------------------

    def listed(self) -> list[PostRecord]:
        """The posts shown on the site, newest first (ties: by title, then document name)."""
        posts = [record for record in self.posts.values() if record.listed and record.date is not None]
        return sorted(posts, key=lambda r: (r.date, r.title, r.docname), reverse=True)

    def listed_when_read(self) -> list[PostRecord]:
        """:meth:`listed`, computed once per build for the writing phase.

        Every page asks for its neighbours and every listing for the order: sorting all posts
        for each made writing quadratic in the number of posts. The cache is dropped when the
        posts change (:attr:`write_cache`, cleared at ``env-updated``).
        """
        order = self.write_cache.get("listed")
        if order is None:
            order = self.write_cache["listed"] = self.listed()
        return order

    def neighbours(self, docname: str) -> tuple[PostRecord | None, PostRecord | None]:
        """The older and the newer listed post next to *docname* (``None`` at either end)."""
        around = self.write_cache.get("neighbours")
        if around is None:
            order = self.listed_when_read()
            around = self.write_cache["neighbours"] = {
                record.docname: (order[i + 1] if i + 1 < len(order) else None, order[i - 1] if i > 0 else None)
                for i, record in enumerate(order)
            }
        return around.get(docname, (None, None))

    def line_maps(self, docname: str | None = None) -> LineMaps:
        """The line maps of the files converted while *docname* was read (``None``: all)."""
        if docname is not None:
            return self.data["line_maps"].get(docname, {})
        return {path: lines for maps in self.data["line_maps"].values() for path, lines in maps.items()}

    def add_line_map(self, docname: str, path: str, lines: list[int]) -> None:
        """Record the line map of *path*, converted while *docname* was read."""
        self.data["line_maps"].setdefault(docname, {})[path] = lines

    @property
    def link_keys(self) -> dict[str, list[LinkKey]]:
        """The links of each document to other pages, as written (sorted, without repeats)."""
        return self.data["link_keys"]

    @property
    def links(self) -> dict[str, list[str]]:
        """The link graph: document -> the sorted posts it links to (itself excluded).

        Filled from :attr:`link_keys` after all documents are read (:func:`.links.update_graph`),
        so it is the same after serial, parallel and incremental builds.
        """
        return self.data["links"]

    def backlinks(self, docname: str) -> list[str]:
        """The posts that link to *docname*, sorted by document name (pages that are not posts,
        such as the guide, are left out)."""
        return sorted(source for source, targets in self.links.items() if docname in targets and source in self.posts)

    def remember_shown(self) -> tuple[dict[str, tuple[Any, ...]], dict[str, tuple[Any, ...]]]:
        """Record what each listed post shows on other pages now; return that of the last build
        and the current one."""
        before: dict[str, tuple[Any, ...]] = self.data["shown"]
        now = {record.docname: record.shown(kb_config(self.env)) for record in self.listed()}
        self.data["shown"] = now
        return before, now

    def shown(self, record: PostRecord) -> tuple[Any, ...]:
        """What *record* shows on other pages (:meth:`PostRecord.shown`), as recorded by
        :meth:`remember_shown` in this build (archive pages list hundreds of posts, each many
        times)."""
        known = self.data["shown"].get(record.docname)
        return known if known is not None else record.shown(kb_config(self.env))


def store(env: BuildEnvironment) -> KbDomain:
    """The store of *env*."""
    domain = env.domains["kb"]
    assert isinstance(domain, KbDomain)
    return domain


def setup(app: Any) -> None:
    """Register the store."""
    app.add_domain(KbDomain)

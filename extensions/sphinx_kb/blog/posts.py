"""Turn each bundle's article into an ablog post.

Reading phase, per document:

1. ``source-read``: the front matter is read and validated (:mod:`.frontmatter`); each problem is
   a warning at its file and line. MyST then parses a normalized copy of the front matter, so
   downstream sees one schema whatever the author wrote.
2. :class:`PostTransform`: the post's summary is taken (the description, or the start of the
   first paragraph) and an ablog ``PostNode`` carrying the metadata is added to the doctree, so
   no ``{post}`` directive is needed in the file. A placeholder for the post header goes after the
   title; :mod:`.pages` fills it in when the page is written.
3. ``doctree-read`` (after ablog's): the post gets its last-update date and a reference label
   equal to its slug.

After reading (``env-updated``) the names of tags and categories are unified across all posts
(:mod:`.taxonomy`) and the pages whose listings or neighbours changed are rewritten.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ablog.blog import slugify
from ablog.post import PostNode
from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

from ..content import frontmatter, taxonomy
from ..content.bundles import BundleProject
from . import ablog_adapter as ablog_compat

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

#: The first level-one ATX heading of a Markdown body, outside code fences.
_INLINE_MATH = re.compile(r"(?<![\\$])\$(?!\s)([^$\n]+?)(?<![\s\\])\$(?!\d)")


class post_header(nodes.General, nodes.Element):  # noqa: N801 (docutils naming)
    """Where the post's date, category, tags and authors go; filled in by :mod:`.pages`."""


@dataclass
class PostRecord:
    """What the site knows of one post, kept in the environment."""

    docname: str
    slug: str
    meta: frontmatter.FrontMatter
    #: The title shown in listings: the front-matter title, else the first heading, else the slug.
    title: str
    #: Listed on the site: published and dated. Drafts built with ``kb_show_drafts`` are not.
    listed: bool
    #: The summary shown in listings and feeds, as a paragraph node.
    summary: nodes.paragraph | None = None
    #: Canonical spellings, set after all posts are read.
    tags: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)

    @property
    def date(self) -> dt.datetime | None:
        return self.meta.date

    @property
    def updated(self) -> dt.datetime | None:
        """The last update: ``lastmod`` if given and later than the date, else the date."""
        if self.meta.updated and self.meta.date and self.meta.updated > self.meta.date:
            return self.meta.updated
        return self.meta.date


def records(env: BuildEnvironment) -> dict[str, PostRecord]:
    """The posts of *env*, by document name."""
    return env.__dict__.setdefault("kb_posts", {})


def read_front_matter(app: Sphinx, docname: str, source: list[str]) -> None:
    """``source-read``: validate a bundle's front matter and hand MyST a normalized copy."""
    project = app.env.project
    if not isinstance(project, BundleProject) or docname not in project.bundles:
        return
    meta, problems = frontmatter.read(source[0], project.layout.timezone)
    for problem in problems:
        _warn(problem.message, docname, problem.line)
    slug = project.bundles[docname]
    heading = _first_heading(source[0])
    if meta.title is None:
        title = heading[0] if heading else slug
        _warn(f"'title' is missing; the post is listed as {title!r}", docname, 1)
        if heading is None:
            meta.title = slug
    else:
        title = meta.title
        if heading is not None:
            message = f"the title is given twice, in front matter and as '# {heading[0]}'; use '##' for sections"
            _warn(message, docname, heading[1])
    listed = meta.date is not None and project.layout.is_published(meta.draft, meta.date)
    if meta.date is None and not meta.draft:
        _warn("'date' (or 'published') is missing; the page is built but not listed", docname, 1)
    records(app.env)[docname] = PostRecord(docname, slug, meta, title, listed)
    source[0] = frontmatter.normalized_source(source[0], meta)


def _first_heading(source: str) -> tuple[str, int] | None:
    """The first level-one heading of a Markdown text past its front matter, and its line."""
    return next(
        ((title, line) for level, title, line in frontmatter.body_headings(source) if level == 1 and title), None
    )


def _warn(message: str, docname: str, line: int) -> None:
    logger.warning(message, location=(docname, line), type="kb", subtype="front_matter")


class PostTransform(SphinxTransform):
    """Give a bundle's doctree its summary, its ablog post node and a header placeholder."""

    # Before ablog's CheckFrontMatter (800) and the doctree-read event.
    default_priority = 795

    def apply(self, **kwargs: Any) -> None:
        record = records(self.env).get(self.env.docname)
        if record is None:
            return
        section = next(iter(self.document.findall(nodes.section)), None)
        if section is None:
            section = nodes.section()
            self.document += section
        limit = self.config.kb_summary_length
        record.summary = summary(self.document, record.meta.description, limit)
        header = post_header()
        _insert_after_title(section, header)
        if record.listed:
            section += self._post_node(record)
        elif record.meta.draft or record.date is not None:
            # Built only because drafts are shown (kb_show_drafts).
            _insert_after_title(section, _draft_notice())

    @staticmethod
    def _post_node(record: PostRecord) -> PostNode:
        """An ablog post node for *record*; its children become ablog's excerpt, not page text."""
        node = PostNode()
        node["date"] = record.meta.date.isoformat() if record.meta.date else None
        node["title"] = record.title
        node["tags"] = list(record.meta.tags)
        node["category"] = list(record.meta.categories)
        node["author"] = [author.name for author in record.meta.authors]
        node["redirect"] = []  # see redirects.py
        for key in ("location", "language", "canonical_link", "external_link"):
            node[key] = []
        node["image"] = None
        node["excerpt"] = None
        node["exclude"] = True
        node["nocomments"] = True
        if record.summary is not None:
            node += record.summary.deepcopy()
        return node


def _insert_after_title(section: nodes.Element, node: nodes.Node) -> None:
    index = section.first_child_matching_class(nodes.title)
    section.insert(0 if index is None else index + 1, node)


def _draft_notice() -> nodes.admonition:
    notice = nodes.admonition(classes=["warning", "kb-draft"])
    notice += nodes.title("", "Draft")
    notice += nodes.paragraph(
        "", "This post is a draft or dated in the future: it is built for preview only and listed nowhere."
    )
    return notice


def summary(document: nodes.document, description: str | None, limit: int) -> nodes.paragraph | None:
    """The summary of a post: its description, or the start of its first paragraph.

    Links become plain text (a summary sits inside a link to the post) and footnote marks,
    images and targets are dropped; inline math and emphasis are kept.
    """
    if description:
        return _with_math(description)
    for paragraph in document.findall(nodes.paragraph):
        if isinstance(paragraph.parent, nodes.section | nodes.document) and paragraph.astext().strip():
            return _shorten(_plain(paragraph.deepcopy()), limit)
    return None


def _with_math(text: str) -> nodes.paragraph:
    """A paragraph of plain *text* in which ``$...$`` is inline math (descriptions often have it)."""
    paragraph = nodes.paragraph(text)
    position = 0
    for match in _INLINE_MATH.finditer(text):
        paragraph += nodes.Text(text[position : match.start()])
        paragraph += nodes.math(match.group(1), match.group(1))
        position = match.end()
    paragraph += nodes.Text(text[position:])
    return paragraph


def _plain(paragraph: nodes.paragraph) -> nodes.paragraph:
    for node in list(paragraph.findall(_dropped)):
        node.parent.remove(node)
    for node in list(paragraph.findall(_link)):
        node.replace_self(node.children)
    paragraph.attributes.update(ids=[], names=[], classes=[])
    return paragraph


def _dropped(node: nodes.Node) -> bool:
    return isinstance(node, nodes.footnote_reference | nodes.image | nodes.target | nodes.raw)


def _link(node: nodes.Node) -> bool:
    return isinstance(node, nodes.reference | addnodes.pending_xref)


def _shorten(paragraph: nodes.paragraph, limit: int) -> nodes.paragraph:
    """Cut *paragraph* after about *limit* characters, at a word boundary where there is one."""
    used = 0
    for node in list(paragraph.findall(_is_leaf)):
        length = len(node.astext())
        if used + length <= limit:
            used += length
            continue
        kept = _cut_words(node.astext(), limit - used) if isinstance(node, nodes.Text) else ""
        end = nodes.Text(kept.rstrip(" ,;:，、；：") + "…")
        node.parent.replace(node, end)
        _drop_after(end, paragraph)
        break
    return paragraph


def _is_leaf(node: nodes.Node) -> bool:
    """Text and inline math, each counted as one piece (math is never cut in two)."""
    if isinstance(node, nodes.math):
        return True
    return isinstance(node, nodes.Text) and not isinstance(node.parent, nodes.math)


def _cut_words(text: str, room: int) -> str:
    if room <= 0:
        return ""
    cut = text[:room]
    if text[room : room + 1].isalnum() and " " in cut:
        cut = cut[: cut.rfind(" ")]
    return cut


def _drop_after(node: nodes.Node, root: nodes.Element) -> None:
    while node is not root:
        parent = node.parent
        del parent[parent.index(node) + 1 :]
        node = parent


def finish_post(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``, after ablog: set the update date and the slug label of a post."""
    env = app.env
    record = records(env).get(env.docname)
    if record is None:
        return
    # Posts are reached through listings, never through the navigation tree.
    env.metadata[env.docname]["orphan"] = True
    for info in getattr(env, "ablog_posts", {}).get(env.docname, []):
        info["update"] = record.updated
    _register_label(env, record)


def _register_label(env: BuildEnvironment, record: PostRecord) -> None:
    """Make the slug a reference target for the whole page (ablog's label is case-sensitive)."""
    std = env.domains.standard_domain
    key = record.slug.lower()
    ablog_label = std.labels.get(record.slug)
    if ablog_label and ablog_label[0] == record.docname and record.slug != key:
        del std.labels[record.slug]
        std.anonlabels.pop(record.slug, None)
    other = std.labels.get(key)
    if other and other[0] != record.docname:
        logger.warning(
            "the label %r of this post is also defined in %s", key, other[0], location=(record.docname, 1), type="kb"
        )
        return
    std.labels[key] = (record.docname, "", record.title)
    std.anonlabels[key] = (record.docname, "")


def purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    """``env-purge-doc``."""
    records(env).pop(docname, None)


def merge(app: Sphinx, env: BuildEnvironment, docnames: Iterable[str], other: BuildEnvironment) -> None:
    """``env-merge-info``: take the posts read by a parallel worker."""
    theirs = records(other)
    records(env).update({name: theirs[name] for name in docnames if name in theirs})


def unify(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-updated``: give tags and categories one spelling across all posts.

    ablog has already stored each post's names as written; they are replaced by the canonical
    spelling, and ablog's shared state is dropped so that it registers the posts afresh.
    """
    posts = [record for record in records(env).values() if record.listed]
    spelling = {
        field: taxonomy.canonical_names(name for record in posts for name in getattr(record.meta, field))
        for field in ("tags", "categories")
    }
    for record in posts:
        record.tags = taxonomy.apply(spelling["tags"], record.meta.tags)
        record.categories = taxonomy.apply(spelling["categories"], record.meta.categories)
        for info in getattr(env, "ablog_posts", {}).get(record.docname, []):
            info["tags"] = list(record.tags)
            info["category"] = list(record.categories)
    for names, kind in (("tags", "tag"), ("categories", "category")):
        _check_pages(posts, names, kind)
    ablog_compat.reset()


def _check_pages(posts: list[PostRecord], field: str, kind: str) -> None:
    # `field` is the plural ("tags", "categories"), `kind` the singular.
    """Warn of names that ablog would give the same archive page, or none (``C++`` and ``C``)."""
    pages: dict[str, list[str]] = {}
    for record in sorted(posts, key=lambda r: r.docname):
        for name in getattr(record, field):
            names = pages.setdefault(slugify(name), [])
            if name in names:
                continue
            names.append(name)
            line = record.meta.line_of(field)
            if not slugify(name):
                _warn(f"the {kind} {name!r} has no letters or digits to name its archive page", record.docname, line)
            elif len(names) > 1:
                message = f"the {field} {names[0]!r} and {name!r} would share one archive page; rename one"
                _warn(message, record.docname, line)

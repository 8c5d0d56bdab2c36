"""Turn each bundle's article into a post of the store (:mod:`.domain`).

Reading phase, per document:

1. :func:`read_front_matter` (first step of the ``source-read`` pipeline): the front matter is
   read and validated (:mod:`..content.frontmatter`); each problem is a warning at its file and
   line. The post's :class:`~.domain.PostRecord` goes into the store, and MyST parses a normalized
   copy of the front matter, so downstream sees one schema whatever the author wrote.
2. :class:`PostTransform`: the post's summary is taken (the description, or the start of the
   first paragraph) and a placeholder for the post header goes after the title; :mod:`.pages`
   fills it in when the page is written.
3. ``doctree-read``: the post's slug becomes a reference label for the whole page.

After reading (``env-updated``, :func:`unify`) the names of tags and categories are unified
across all posts (:mod:`..content.taxonomy`) and ablog is given the listed posts.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform

from ..config import kb_config
from ..content import frontmatter, taxonomy
from ..content.bundles import BundleProject
from ..i18n import labels, page_language
from ..warnings_ import KbWarning, info, warn
from . import ablog_adapter
from .domain import PostRecord, store

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

#: Inline ``$math$`` in a description.
_INLINE_MATH = re.compile(r"(?<![\\$])\$(?!\s)([^$\n]+?)(?<![\s\\])\$(?!\d)")


class post_header(nodes.General, nodes.Element):  # noqa: N801 (docutils naming)
    """Where the post's date, category, tags and authors go; filled in by :mod:`.pages`."""


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
            source[0] = _sections_under_title(source[0], title, docname)
    listed = meta.date is not None and project.layout.is_published(meta.draft, meta.date)
    if meta.date is None and not meta.draft:
        _warn("'date' (or 'published') is missing; the page is built but not listed", docname, 1)
    store(app.env).posts[docname] = PostRecord(docname, slug, meta, title, listed)
    source[0] = frontmatter.normalized_source(source[0], meta)


def _first_heading(source: str) -> tuple[str, int] | None:
    """The first level-one heading of a Markdown text past its front matter, and its line."""
    return next(
        ((title, line) for level, title, line in frontmatter.body_headings(source) if level == 1 and title), None
    )


def _sections_under_title(source: str, title: str, docname: str) -> str:
    """The body of a post with a front-matter *title* and ``#`` headings, as Hugo shows it.

    Hugo-era posts often start their sections at ``#`` (``# Introduction``); the title is the
    page's only ``#`` heading (``myst_title_to_header``), so every heading moves one level down
    and ``#`` sections become the page's top sections. A first heading that only repeats the title
    is left out, with an info line.
    """
    headings = list(frontmatter.body_headings(source))
    level, first, line = headings[0]
    drop = None
    if level == 1 and _same_title(first, title):
        drop = line
        info("the first heading '# %s' repeats the title; it is left out", first, location=(docname, line))
    sections_at_one = any(level == 1 and line != drop for level, _title, line in headings)
    if not sections_at_one and drop is None:
        return source
    return frontmatter.shift_headings(source, by=1 if sections_at_one else 0, drop_line=drop)


def _same_title(heading: str, title: str) -> bool:
    """Whether a heading's text is the title, spacing and case aside."""
    return " ".join(heading.split()).casefold() == " ".join(title.split()).casefold()


def _warn(message: str, docname: str, line: int, subtype: KbWarning = KbWarning.FRONT_MATTER) -> None:
    warn(subtype, message, location=(docname, line))


class PostTransform(SphinxTransform):
    """Give a post its summary, and its page a placeholder for the post header."""

    # Before Sphinx's domains collect (850) and the doctree-read event.
    default_priority = 795

    def apply(self, **kwargs: Any) -> None:
        record = store(self.env).posts.get(self.env.docname)
        if record is None:
            return
        section = next(iter(self.document.findall(nodes.section)), None)
        if section is None:
            section = nodes.section()
            self.document += section
        limit = kb_config(self.config).summary_length
        record.summary = summary(self.document, record.meta.description, limit)
        _insert_after_title(section, post_header(docname=self.env.docname))
        if not record.listed and (record.meta.draft or record.date is not None):
            # Built only because drafts are shown (kb_show_drafts).
            _insert_after_title(section, _draft_notice(labels(page_language(self.env, self.env.docname))))


def _insert_after_title(section: nodes.Element, node: nodes.Node) -> None:
    index = section.first_child_matching_class(nodes.title)
    section.insert(0 if index is None else index + 1, node)


def _draft_notice(t: Callable[[str], str]) -> nodes.admonition:
    """The notice of a draft; *t* translates it into the post's language."""
    notice = nodes.admonition(classes=["warning", "kb-draft"])
    notice += nodes.title("", t("Draft"))
    notice += nodes.paragraph(
        "", t("This post is a draft or dated in the future: it is built for preview only and listed nowhere.")
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
            return _detached(_shorten(_plain(paragraph.deepcopy()), limit))
    return None


def _detached(paragraph: nodes.paragraph) -> nodes.paragraph:
    """*paragraph* without the reference each copied node keeps to the post's whole doctree.

    The summary is kept in the store, which Sphinx pickles with the environment (and, with
    ``-j``, sends between processes): through that reference every post's doctree went with it,
    most of the environment's size and of its loading time.
    """
    for node in paragraph.findall():
        node.document = None
    return paragraph


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
    """``doctree-read``: make the slug of a post a reference target for the whole page.

    The slug is lowercased, so ``{ref}`` finds a post however its folder is capitalized.
    """
    env = app.env
    record = store(env).posts.get(env.docname)
    if record is None:
        return
    std = env.domains.standard_domain
    key = record.slug.lower()
    other = std.labels.get(key)
    if other and other[0] != record.docname:
        message = f"the label {key!r} of this post is also defined in {other[0]}"
        _warn(message, record.docname, 1, KbWarning.LABEL)
        return
    std.labels[key] = (record.docname, "", record.title)
    std.anonlabels[key] = (record.docname, "")


def unify(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-updated``: give tags and categories one spelling across all posts, then hand the
    listed posts to ablog for its archives."""
    posts = store(env).listed()
    spelling = {
        field: taxonomy.canonical_names(name for record in posts for name in getattr(record.meta, field))
        for field in ("tags", "categories")
    }
    for record in posts:
        record.tags = taxonomy.apply(spelling["tags"], record.meta.tags)
        record.categories = taxonomy.apply(spelling["categories"], record.meta.categories)
    for names, kind in (("tags", "tag"), ("categories", "category")):
        _check_pages(posts, names, kind)
    ablog_adapter.load(app, posts)
    store(env).write_cache.clear()


def _check_pages(posts: list[PostRecord], field: str, kind: str) -> None:
    """Warn of names that ablog would give the same archive page, or none (``C++`` and ``C``).

    *field* is the plural (``tags``), *kind* the singular (``tag``).
    """
    pages: dict[str, list[str]] = {}
    for record in sorted(posts, key=lambda r: r.docname):
        for name in getattr(record, field):
            names = pages.setdefault(ablog_adapter.slugify(name), [])
            if name in names:
                continue
            names.append(name)
            line = record.meta.line_of(field)
            if not ablog_adapter.slugify(name):
                message = f"the {kind} {name!r} has no letters or digits to name its archive page"
                _warn(message, record.docname, line, KbWarning.TAXONOMY)
            elif len(names) > 1:
                message = f"the {field} {names[0]!r} and {name!r} would share one archive page; rename one"
                _warn(message, record.docname, line, KbWarning.TAXONOMY)


def setup(app: Sphinx) -> None:
    """Register the post transform, the header placeholder and the post events."""
    app.add_transform(PostTransform)
    app.add_node(post_header)
    app.connect("doctree-read", finish_post)
    app.connect("env-updated", unify, priority=400)

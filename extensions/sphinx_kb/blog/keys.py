"""What the front-matter keys beyond dates and names do to a post's page.

- ``image`` / ``seoThumbImage`` (Hugo / Astro): the post's cover, a file of the bundle. It is
  copied with the page (like a ``{download}``, so every HTML builder publishes it) and shown in
  the post header and in listings (:func:`cover_url`, for :class:`~.views.PostView`), with the
  title as its alternative text. A cover that is missing, outside the site or a remote address is
  a warning at its line, and the post has no cover.
- ``toc: false``: furo's ``hide-toc`` (written by :func:`..content.frontmatter.normalized_source`).
- ``math: false``: the page loads no MathJax (:func:`page_context`).
- ``license``: a line at the end of the post.
- ``keywords``: ``<meta name="keywords">`` in the page's head.
- Any other key that nothing reads is one info line per key and build, naming how many posts use
  it (:func:`report_unused_keys`), so a big import is not buried under the same line per post.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from markupsafe import escape
from sphinx.transforms import SphinxTransform
from sphinx.util.osutil import relative_uri

from ..builders import web_pages
from ..content.frontmatter import unused_keys
from ..content.paths import is_inside
from ..urls import encode
from ..warnings_ import KbWarning, info, warn
from .domain import PostRecord, store

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

#: A reference with a scheme (``https:``) or a host (``//cdn``): not a file of the bundle.
_REMOTE = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*:|//)")


class PostKeys(SphinxTransform):
    """Register a post's cover as a file to publish, and add its license line."""

    # After the post transform (795), which takes the summary from the first paragraphs.
    default_priority = 800

    def apply(self, **kwargs: Any) -> None:
        record = store(self.env).posts.get(self.env.docname)
        if record is None:
            return
        if record.meta.cover:
            self._add_cover(record)
        if record.meta.license:
            section = next(iter(self.document.findall(nodes.section)), None)
            line = nodes.paragraph("", "", classes=["kb-license"])
            line += nodes.Text(f"License: {record.meta.license}")
            (section or self.document).append(line)

    def _add_cover(self, record: PostRecord) -> None:
        cover = record.meta.cover or ""
        location = (record.docname, record.meta.line_of("cover"))
        if _REMOTE.match(cover):
            message = (
                "the cover %r is not a file of the site; it is not shown (readers never load images from elsewhere)"
            )
            warn(KbWarning.FRONT_MATTER, message, cover, location=location)
            return
        relative, absolute = self.env.relfn2path(cover, record.docname)
        if not is_inside(Path(absolute), Path(self.env.srcdir)):
            warn(
                KbWarning.PATH,
                "the cover %r is outside the site's source folder; it is not shown",
                cover,
                location=location,
            )
            return
        if not Path(absolute).is_file():
            warn(
                KbWarning.FRONT_MATTER, "the cover %r is not found (looked for %s)", cover, relative, location=location
            )
            return
        self.env.note_dependency(relative)
        self.env.dlfiles.add_file(record.docname, relative)


def cover_url(app: Sphinx, record: PostRecord, pagename: str) -> str | None:
    """The link from page *pagename* to the copy of *record*'s cover; ``None`` without one (or
    for builders that publish no downloads)."""
    target = cover_path(app, record)
    return None if target is None else encode(relative_uri(app.builder.get_target_uri(pagename), target))


def cover_path(app: Sphinx, record: PostRecord) -> str | None:
    """Where the copy of *record*'s cover is, relative to the output folder (not encoded);
    ``None`` without one (or for builders that publish no downloads)."""
    if not record.meta.cover or not _publishes_downloads(app) or _REMOTE.match(record.meta.cover):
        return None
    relative, _absolute = app.env.relfn2path(record.meta.cover, record.docname)
    copied = app.env.dlfiles.get(Path(relative))
    if copied is None:
        return None
    return "_downloads/" + Path(copied[1]).as_posix()


def _publishes_downloads(app: Sphinx) -> bool:
    """Whether the builder copies ``env.dlfiles`` to ``_downloads/`` (the HTML builders but EPUB,
    whose manifest takes only the files its pages name as images)."""
    return web_pages(app.builder)


def page_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """``html-page-context``: no MathJax on a ``math: false`` page; the keywords in the head."""
    record = store(app.env).posts.get(pagename)
    if record is None:
        return
    if not record.meta.math:
        # Read by sphinx.ext.mathjax's handler (priority 500), which adds the script.
        context["has_maths_elements"] = False
    if record.meta.keywords:
        words = escape(", ".join(record.meta.keywords))
        context["metatags"] = context.get("metatags", "") + f'\n    <meta name="keywords" content="{words}" />'


def report_unused_keys(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-updated``: one info line for each front-matter key that nothing reads, at its first use."""
    posts: dict[str, list[PostRecord]] = defaultdict(list)
    for docname in sorted(store(env).posts):
        record = store(env).posts[docname]
        for key in unused_keys(record.meta):
            posts[key].append(record)
    for key in sorted(posts):
        first = posts[key][0]
        count = len(posts[key])
        info(
            "front-matter key %r is not used (%d post%s)",
            key,
            count,
            "" if count == 1 else "s",
            location=(first.docname, first.meta.line_of(key)),
        )


def setup(app: Sphinx) -> None:
    """Register the transform and the events."""
    app.add_transform(PostKeys)
    # Before sphinx.ext.mathjax's (500), which decides whether the page loads MathJax.
    app.connect("html-page-context", page_context, priority=480)
    app.connect("env-updated", report_unused_keys)

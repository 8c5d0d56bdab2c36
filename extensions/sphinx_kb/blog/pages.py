"""What a page shows around its body: the post header, neighbours, archives and feed links.

- A post's header (date, last update, category, tags, authors) replaces the placeholder that
  :mod:`.posts` put after the title, once the whole blog is known; builders other than HTML get
  one plain line with the same facts.
- A post's previous/next links in furo's footer lead to the older and newer post (from the
  store), not to the next page of the navigation tree (posts are not in it).
- ablog generates the archive pages (all posts, one per tag, category, author and year, and an
  overview of each catalog) with the ``ablog/*.html`` templates we ship for furo; they get their
  posts from the store, as :class:`~.views.PostView` objects.
- Every page links the site's Atom feed in its head; tag and category pages link their own too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.util.osutil import relative_uri

from ..config import kb_config
from ..output.feeds import feed_path
from . import ablog_adapter
from .domain import store
from .posts import post_header
from .search_links import search_url
from .views import PostView, views

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def fill_header(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: render the header of a post."""
    record = store(app.env).posts.get(docname)
    for node in list(doctree.findall(post_header)):
        if record is None or not record.listed:
            node.parent.remove(node)
            continue
        post = views(app).post(record, docname)
        if app.builder.format == "html":
            node.replace_self(nodes.raw("", views(app).render("kb/post-header.html", post=post), format="html"))
        else:
            node.replace_self(_header_line(app, post))


def _header_line(app: Sphinx, post: PostView) -> nodes.paragraph:
    """The post header as one line of text, for builders other than HTML."""
    date_format = kb_config(app).date_format
    parts = [f"Published {post.date.strftime(date_format)}"]
    if post.updated:
        parts.append(f"updated {post.updated.strftime(date_format)}")
    if post.categories:
        parts.append(", ".join(link.name for link in post.categories))
    if post.authors:
        parts.append("by " + ", ".join(link.name for link in post.authors))
    if post.tags:
        parts.append("tags: " + ", ".join(link.name for link in post.tags))
    return nodes.paragraph("", " · ".join(parts), classes=["kb-post-header"])


def page_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """``html-page-context``: neighbours, archive contents and feed links."""
    site = views(app)
    known = store(app.env)
    title = app.config.blog_title
    feeds = [(title, feed_path(app, None))]
    record = known.posts.get(pagename)
    if record is not None and record.listed:
        context["kb_post"] = site.post(record, pagename)
        older, newer = known.neighbours(pagename)
        for key, neighbour in (("prev", older), ("next", newer)):
            context[key] = (
                {"link": site.url(pagename, neighbour.docname), "title": neighbour.title} if neighbour else None
            )
    archive = ablog_adapter.archive_in_context(app, context)
    if archive is not None:
        shown = site.posts(pagename, archive.docnames)
        context["kb_posts"] = shown
        if any(post.has_math for post in shown):
            site.pages_with_math.add(pagename)
        if archive.kind in ("tags", "categories"):
            feeds.append((f"{title}: {archive.name}", feed_path(app, archive)))
        context["kb_feed"] = feeds[-1]
        if archive.kind == "all":
            context["kb_catalogs"] = _catalog_links(app, pagename)
    if pagename in site.pages_with_math:
        # Sphinx loads MathJax only where its own math nodes are; summaries are ours.
        context["has_maths_elements"] = True
    base = app.builder.get_target_uri(pagename)
    # Feeds are written only when the site knows its address (see feeds.py).
    context["kb_feeds"] = [(name, relative_uri(base, path)) for name, path in feeds] if app.config.html_baseurl else []
    context["kb_date_format"] = kb_config(app).date_format


def _catalog_links(app: Sphinx, pagename: str) -> dict[str, list[dict[str, Any]]]:
    """Categories, tags and years with their post counts, for the page of all posts."""
    site = views(app)
    return {
        kind: [
            {
                "name": archive.name,
                "count": len(archive.docnames),
                "url": search_url(app, pagename, kind, archive.name) or site.url(pagename, archive.docname),
            }
            for archive in ablog_adapter.archives(app, kind)
        ]
        for kind in ("categories", "tags", "years")
    }


def setup(app: Sphinx) -> None:
    """Register the post header and the page context."""
    app.connect("doctree-resolved", fill_header)
    # Before furo's (500), which reads the neighbours.
    app.connect("html-page-context", page_context, priority=450)

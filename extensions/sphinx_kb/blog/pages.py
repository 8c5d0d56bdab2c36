"""What a page shows around its body: the post header, neighbours, archives and feed links.

- A post's header (date, last update, category, tags, authors) replaces the placeholder that
  :mod:`.posts` put after the title, once the whole blog is known.
- A post's previous/next links in furo's footer lead to the older and newer post, not to the
  next page of the navigation tree (posts are not in it).
- ablog generates the archive pages (all posts, one per tag, category, author and year, and an
  overview of each catalog) with the ``ablog/*.html`` templates we ship for furo; they get the
  posts as :class:`~.views.PostView` objects here.
- Every page links the site's Atom feed in its head; tag and category pages link their own too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.util.osutil import relative_uri

from ..output.feeds import feed_path
from . import ablog_adapter as ablog_compat
from .posts import post_header, records
from .views import views

if TYPE_CHECKING:
    from ablog.blog import Collection
    from sphinx.application import Sphinx


def fill_header(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: render the header of a post."""
    record = records(app.env).get(docname)
    for node in list(doctree.findall(post_header)):
        if record is None or not record.listed or app.builder.format != "html":
            node.parent.remove(node)
            continue
        html = views(app).render("kb/post-header.html", post=views(app).post(record, docname))
        node.replace_self(nodes.raw("", html, format="html"))


def page_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """``html-page-context``: neighbours, archive contents and feed links."""
    blog = ablog_compat.blog(app)
    site = views(app)
    feeds = [(blog.blog_title, feed_path(app, None))]
    record = records(app.env).get(pagename)
    if record is not None and record.listed and pagename in blog.posts:
        post = blog.posts[pagename]
        context["kb_post"] = site.post(record, pagename)
        for key, neighbour in (("prev", post.prev), ("next", post.next)):
            context[key] = (
                {"link": site.url(pagename, neighbour.docname), "title": neighbour.title} if neighbour else None
            )
    collection: Collection | None = context.get("collection")
    if collection is not None:
        shown = site.posts(pagename, collection)
        context["kb_posts"] = shown
        if any(post.has_math for post in shown):
            site.pages_with_math.add(pagename)
        if collection.catalog in (blog.tags, blog.category):
            feeds.append((f"{blog.blog_title}: {collection.name}", feed_path(app, collection)))
        context["kb_feed"] = feeds[-1]
    if collection is blog.posts:
        context["kb_catalogs"] = _catalog_links(app, pagename)
    if pagename in site.pages_with_math:
        # Sphinx loads MathJax only where its own math nodes are; summaries are ours.
        context["has_maths_elements"] = True
    base = app.builder.get_target_uri(pagename)
    # Feeds are written only when the site knows its address (see feeds.py).
    context["kb_feeds"] = (
        [(title, relative_uri(base, path)) for title, path in feeds] if app.config.html_baseurl else []
    )
    context["kb_date_format"] = app.config.kb_date_format


def _catalog_links(app: Sphinx, pagename: str) -> dict[str, list[dict[str, Any]]]:
    """Categories, tags and years with their post counts, for the page of all posts."""
    blog = ablog_compat.blog(app)
    site = views(app)
    catalogs = {"categories": blog.category, "tags": blog.tags, "years": blog.archive}
    return {
        name: [
            {"name": str(coll.name), "count": len(coll), "url": site.url(pagename, coll.docname)}
            for coll in catalog
            if len(coll)
        ]
        for name, catalog in catalogs.items()
    }

"""What a page shows around its body: the post header, neighbours, archives and feed links.

- A post's header (date, last update, category, tags, authors) replaces the placeholder that
  :mod:`.posts` put after the title, once the whole blog is known; builders other than HTML get
  one plain line with the same facts.
- A post's previous/next links in furo's footer lead to the older and newer post (from the
  store), not to the next page of the navigation tree (posts are not in it).
- ablog generates the archive pages (all posts, one per tag, category, author and year, and an
  overview of each catalog) with the ``ablog/*.html`` templates we ship for furo; they get their
  posts from the store, as :class:`~.views.PostView` objects.
- Every page links the site's Atom and RSS feeds in its head; tag and category pages link their own too.

What an author wrote is text on every page (:class:`PlainTitle` for the heading MyST makes of a
front-matter title; escaping in the templates and here for the rest), an author's ``url`` with a
scheme that could run script is a warning (:func:`check_urls`), and links are percent-encoded.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from docutils import nodes
from markupsafe import escape
from sphinx.transforms import SphinxTransform
from sphinx.util.osutil import relative_uri

from ..config import kb_config
from ..i18n import labels, page_language
from ..output import incremental
from ..output.feeds import FEED_FILE, RSS_FILE, feed_path
from ..urls import encode, unsafe_scheme
from ..warnings_ import KbWarning, warn
from . import ablog_adapter
from .domain import store
from .keys import cover_url
from .posts import post_header
from .search_links import search_url
from .views import PostView, views

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from sphinx.application import Sphinx

#: The address in a ``<meta http-equiv="refresh" content="0; url=...">``.
_REFRESH_URL = re.compile(r"url\s*=\s*(.*)$", re.IGNORECASE)


class PlainTitle(SphinxTransform):
    """Show a post's front-matter title as the text the author wrote.

    MyST-Parser (``myst_title_to_header``) makes the page's heading by parsing ``# <title>`` as
    Markdown, so HTML in a title would be live on the page and ``*``, backticks or ``$`` would
    become emphasis, code or math. A title is text, as in listings, feeds and the ``<title>``: the
    heading's content is replaced by it, before Sphinx takes the page title and the table of
    contents from the heading (``doctree-read``).
    """

    # Before the post transform (795) and Sphinx's collectors.
    default_priority = 790

    def apply(self, **kwargs: Any) -> None:
        record = store(self.env).posts.get(self.env.docname)
        if record is None or record.meta.title is None:
            return
        section = next(iter(self.document.findall(nodes.section)), None)
        if section is None or not section.children or not isinstance(section[0], nodes.title):
            return
        title = section[0]
        title.children = []
        title += nodes.Text(record.meta.title)
        title.rawsource = record.meta.title


def check_urls(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``: warn of an author ``url`` whose scheme could run script (it is not used),
    and leave out a front-matter ``html_meta`` refresh to such a URL (MyST makes ``<meta>`` tags
    of it)."""
    record = store(app.env).posts.get(app.env.docname)
    if record is None:
        return
    for author in record.meta.authors:
        if author.url and unsafe_scheme(author.url):
            warn(
                KbWarning.URL,
                "the url %r of the author %r is not an http(s), mailto or relative address; it is not linked",
                author.url,
                author.name,
                location=(record.docname, record.meta.line_of("authors")),
            )
    for meta in list(doctree.findall(nodes.meta)):
        refresh = str(meta.get("http-equiv", "")).lower() == "refresh"
        url = _REFRESH_URL.search(meta.get("content", "")) if refresh else None
        if url and unsafe_scheme(url.group(1).strip("'\" ")):
            warn(
                KbWarning.URL,
                "the html_meta refresh to %r is not to an http(s), mailto or relative address; it is left out",
                url.group(1),
                location=(record.docname, meta.line or 1),
            )
            meta.parent.remove(meta)


def fill_header(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: render the header of a post (the placeholder names its post: LaTeX
    and man resolve one tree of many pages under the root document's name)."""
    for node in list(doctree.findall(post_header)):
        record = store(app.env).posts.get(node.get("docname", docname))
        if record is None or not record.listed:
            node.parent.remove(node)
            continue
        post = views(app).post(record, docname)
        language = page_language(app.env, docname)
        if app.builder.format == "html":
            html = views(app).render("kb/post-header.html", language, post=post)
            node.replace_self(nodes.raw("", html, format="html"))
        else:
            node.replace_self(_header_line(app, post, labels(language)))


def _header_line(app: Sphinx, post: PostView, t: Callable[[str], str]) -> nodes.paragraph:
    """The post header as one line of text, for builders other than HTML; *t* translates labels."""
    date_format = kb_config(app).date_format
    parts = [f"{t('Published')} {post.date.strftime(date_format)}"]
    if post.updated:
        parts.append(f"{t('Updated')} {post.updated.strftime(date_format)}")
    parts.append(t("%(minutes)s min read") % {"minutes": post.minutes})
    if post.categories:
        parts.append(", ".join(link.name for link in post.categories))
    if post.authors:
        parts.append(f"{t('By')} " + ", ".join(link.name for link in post.authors))
    if post.tags:
        parts.append(f"{t('Tags')}: " + ", ".join(link.name for link in post.tags))
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
            # furo writes the title as HTML (Sphinx's own are rendered nodes): escape ours.
            context[key] = (
                {"link": site.url(pagename, neighbour.docname), "title": escape(neighbour.title)} if neighbour else None
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
    context["kb_feeds"] = (
        [(name, encode(relative_uri(base, path))) for name, path in feeds] if app.config.html_baseurl else []
    )
    # The RSS version of each, beside it.
    context["kb_rss_feeds"] = [(name, link.removesuffix(FEED_FILE) + RSS_FILE) for name, link in context["kb_feeds"]]
    context["kb_date_format"] = kb_config(app).date_format


def collect_archives(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    """``html-collect-pages``: ablog's archive pages, but those that would show exactly what they
    showed at the last build (:mod:`..output.incremental`)."""
    for pagename, context, template in ablog_adapter.archive_pages(app):
        shows = _archive_shows(app, pagename, context) if incremental.tracked(app) else None
        if not incremental.page_unchanged(app, pagename, template, shows):
            yield pagename, context, template


def _archive_shows(app: Sphinx, pagename: str, context: dict[str, Any]) -> tuple[object, ...]:
    """Everything an archive page shows of the site's posts (see :func:`page_context` and the
    ``ablog/*.html`` templates): its title, the posts it lists with all they show, its feed, and
    for the page of all posts the catalogs."""
    known = store(app.env)
    archive = ablog_adapter.archive_in_context(app, context)
    posts: list[object] = []
    catalogs: object = None
    if archive is not None:
        for name in archive.docnames:
            record = known.posts.get(name)
            if record is not None:
                posts.append((name, known.shown(record), cover_url(app, record, pagename)))
        if archive.kind == "all":
            catalogs = _catalog_links(app, pagename)
    return (
        str(context.get("title", "")),
        str(context.get("header", "")),
        archive,
        ablog_adapter.catalog_in_context(context),
        posts,
        catalogs,
    )


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


def add_filters(app: Sphinx) -> None:
    """``builder-inited``: the template filter ``kb_url``, which percent-encodes a link
    (``{{ pathto(coll.docname)|kb_url }}``)."""
    templates = getattr(app.builder, "templates", None)
    environment = getattr(templates, "environment", None)
    if environment is not None:
        environment.filters["kb_url"] = encode


def setup(app: Sphinx) -> None:
    """Register the title transform, the post header and the page context."""
    app.add_transform(PlainTitle)
    app.connect("doctree-read", check_urls)
    app.connect("builder-inited", add_filters)
    app.connect("doctree-resolved", fill_header)
    # Before furo's (500), which reads the neighbours.
    app.connect("html-page-context", page_context, priority=450)
    app.connect("html-collect-pages", collect_archives)

"""``sitemap.xml`` and ``robots.txt``: the published pages for search engines.

The sitemap lists every page of the source folder but drafts (built with ``kb_show_drafts``)
and the archive pages ablog writes (all posts, each tag, category, author and year, and their
overviews), never the 404 page, the search page, the general index or ablog's drafts page, nor
the redirect pages of old addresses (not pages of their own). A post's ``<lastmod>`` is its last
update (front-matter ``lastmod``/``updated``, else its date); an archive's and a page with a
``{posts}`` listing's is the newest of their posts'; other pages have none (no date is better
than a wrong one). Addresses are absolute (``html_baseurl``; on Read the Docs it holds the
language and version, ``/en/latest/``), sorted, so a build and a parallel build write the same file.

``robots.txt`` allows everything and names the sitemap. An author who wants another puts their
own ``robots.txt`` in a folder of ``html_extra_path``; it is then left alone. (Crawlers read
``robots.txt`` only at the root of a host: on Read the Docs, it serves the default version's.)

Why not sphinx-sitemap (well kept, parallel safe): it takes ``<lastmod>`` only from git (the
front-matter dates are what the author says), lists every page it sees (drafts, the 404 and
search pages) unless each is excluded by a pattern, writes them in the order parallel writers
hand them over (a multiprocessing queue, started at every build), and by default puts
``language`` and ``version`` after ``html_baseurl`` a second time. Writing the file from the
store is shorter than undoing that.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING
from xml.etree import ElementTree

from ..blog import ablog_adapter
from ..blog.domain import store
from ..blog.search_links import SEARCH_PAGE
from ..config import kb_config
from . import incremental
from .social import absolute, page_url

if TYPE_CHECKING:
    from sphinx.application import Sphinx

SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"
_NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
#: Pages Sphinx writes that are not content: the general index, module index, Sphinx's search.
_NOT_CONTENT = frozenset({"genindex", "py-modindex", "search", SEARCH_PAGE})


def _builds_sitemap(app: Sphinx) -> bool:
    return app.builder.name in ("html", "dirhtml") and kb_config(app).sitemap and bool(app.config.html_baseurl)


def _archive_pages(app: Sphinx) -> dict[str, tuple[str, ...]]:
    """ablog's archive pages with their posts: each tag, category, year... and the overviews.

    Asked of ablog, not noted as pages are written: an incremental build writes only the archive
    pages that changed, and the sitemap lists them all.
    """
    known = store(app.env)
    pages: dict[str, tuple[str, ...]] = {}
    for pagename, context, _template in ablog_adapter.archive_pages(app):
        archive = ablog_adapter.archive_in_context(app, context)
        if archive is not None and archive.kind != "other" and archive.docnames:
            pages[pagename] = archive.docnames
        elif context.get("catalog") is not None:  # an overview: every tag, every year...
            pages[pagename] = tuple(post.docname for post in known.listed_when_read())
    return pages


def entries(app: Sphinx) -> list[tuple[str, dt.datetime | None]]:
    """Each published page's absolute address and last update, sorted by address."""
    known = store(app.env)
    newest = {record.docname: record.updated for record in known.listed() if record.updated is not None}
    pages: dict[str, dt.datetime | None] = {}
    excluded = _NOT_CONTENT | {app.config.notfound_pagename}
    for docname in app.env.found_docs:
        record = known.posts.get(docname)
        if docname in excluded or (record is not None and not record.listed):
            continue
        if record is not None:
            pages[docname] = record.updated
        else:
            pages[docname] = max(newest.values(), default=None) if docname in known.listings else None
    for docname, posts in _archive_pages(app).items():
        if docname not in excluded:
            pages[docname] = max((newest[name] for name in posts if name in newest), default=None)
    result = []
    for docname, updated in pages.items():
        url = page_url(app, docname)
        if url is not None:
            result.append((url, updated))
    return sorted(result, key=lambda entry: entry[0])


def sitemap(app: Sphinx) -> bytes:
    """The sitemap document."""
    ElementTree.register_namespace("", _NAMESPACE)
    root = ElementTree.Element(f"{{{_NAMESPACE}}}urlset")
    for url, updated in entries(app):
        element = ElementTree.SubElement(root, f"{{{_NAMESPACE}}}url")
        ElementTree.SubElement(element, f"{{{_NAMESPACE}}}loc").text = url
        if updated is not None:
            ElementTree.SubElement(element, f"{{{_NAMESPACE}}}lastmod").text = updated.isoformat()
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def robots(app: Sphinx) -> str:
    """The ``robots.txt`` text: everything allowed, and where the sitemap is."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {absolute(app, SITEMAP)}\n"


def _author_robots(app: Sphinx) -> bool:
    """Whether a folder of ``html_extra_path`` holds the author's own ``robots.txt``."""
    return any(Path(app.confdir, folder, ROBOTS).is_file() for folder in app.config.html_extra_path)


def write(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: write ``sitemap.xml``, and ``robots.txt`` unless the author has one."""
    if exception is not None or not _builds_sitemap(app):
        return
    # Written only when their bytes change, and deleted once they are no longer made.
    done = incremental.outputs(app)
    done.write(Path(app.outdir, SITEMAP), sitemap(app))
    if not _author_robots(app):
        done.write(Path(app.outdir, ROBOTS), robots(app).encode("utf-8"))


def setup(app: Sphinx) -> None:
    """Write the files at the end of the build."""
    app.connect("build-finished", write)

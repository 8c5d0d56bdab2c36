"""The page a server shows for a missing address (404), with the posts that best match it.

A server shows the same file for every missing address, ``/a/b/c/`` as well as ``/x``, so the page
cannot use relative links. sphinx-notfound-page (Read the Docs' own, well kept, parallel safe)
writes the page with every link and asset of the theme as an absolute path under
``notfound_urls_prefix``. This module sets that prefix from the path of ``html_baseurl`` (on
Read the Docs ``/<language>/<version>/``, as ``READTHEDOCS_CANONICAL_URL`` says; ``/`` without
it) unless ``conf.py`` sets it, and makes the links sphinx-kb adds (search page, feeds, the
``content_root`` scripts read) absolute too.

The page (``kb/notfound.html``) lists the posts whose titles, folder names and old addresses share
the most words with the missing address: ``static/kb-notfound.js`` reads
``_static/kb-notfound.json`` (each listed post's title, address, slug and old addresses, written
here) and scores each post by the words of the address it has, rarer words counting more; Chinese
and Japanese text counts by characters and pairs of characters. No matching post: the newest.

The dirhtml builder writes the page as ``404/index.html``; a copy is written as ``404.html`` too,
the file most hosts (GitHub Pages, Netlify, Read the Docs) look for. Drafts are never listed; the
page is ``noindex`` and not in the sitemap or the search index.
"""

from __future__ import annotations

import json
import posixpath
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from notfound import extension as notfound_extension
from sphinx.builders.html import StandaloneHTMLBuilder

from ..blog.domain import store
from ..blog.links import old_addresses
from ..config import kb_config
from ..urls import encode
from . import incremental

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sphinx.application import Sphinx
    from sphinx.config import Config

#: The posts' data the page reads, relative to the output folder.
DATA_PATH = "_static/kb-notfound.json"
TEMPLATE = "kb/notfound.html"
_FILE = "404.html"


def urls_prefix(html_baseurl: str) -> str:
    """The path the site is served under, from its address: ``https://h/en/latest`` -> ``/en/latest/``."""
    path = urlsplit(html_baseurl).path.strip("/")
    return f"/{path}/" if path else "/"


def configure(app: Sphinx, config: Config) -> None:
    """``config-inited``: the prefix from ``html_baseurl`` and our template, unless conf.py says otherwise."""
    if "notfound_urls_prefix" not in config._raw_config:
        config.notfound_urls_prefix = urls_prefix(config.html_baseurl or "")
    if "notfound_template" not in config._raw_config:
        config.notfound_template = TEMPLATE


def _enabled(app: Sphinx) -> bool:
    """Whether the builder writes pages for a web server (not EPUB or HTML Help)."""
    return isinstance(app.builder, StandaloneHTMLBuilder) and not app.builder.embedded


def page_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """``html-page-context``, after sphinx-kb's other handlers: the links they gave the 404 page
    are relative to its file; served at any address they must be absolute."""
    if pagename != app.config.notfound_pagename or not _enabled(app):
        return
    prefix = app.config.notfound_urls_prefix or "/"
    here = posixpath.dirname(app.builder.get_target_uri(pagename))

    def rooted(link: str) -> str:
        """*link*, relative to the page's file, as an absolute path under the prefix."""
        path, _, query = link.partition("?")
        path = posixpath.normpath(posixpath.join(here, path)) + ("/" if path.endswith("/") else "")
        return prefix + path.lstrip("./") + (f"?{query}" if query else "")

    # sphinx-notfound-page links the page whose address is the root itself (dirhtml's home page,
    # target "") to "#": lead it to the prefix.
    absolute_pathto = context["pathto"]

    def pathto(otheruri: str, resource: bool = False, baseuri: str = prefix) -> str:
        if not resource and app.builder.get_target_uri(otheruri) == "":
            return prefix
        return absolute_pathto(otheruri, resource, baseuri)

    context["pathto"] = pathto
    # The scripts (Sphinx's, kb-previews.js) find the site's files from the content root.
    context["content_root"] = prefix
    context["pageurl"] = None  # no canonical address: it is shown at every missing one
    if context.get("kb_search_page"):
        context["kb_search_page"] = rooted(context["kb_search_page"])
    for key in ("kb_feeds", "kb_rss_feeds"):
        context[key] = [(name, rooted(link)) for name, link in context.get(key, [])]
    relative_search_url = context.get("kb_search_url")
    if relative_search_url is not None:

        def search_url(kind: str, name: str) -> str | None:
            link = relative_search_url(kind, name)
            return rooted(link) if link else None

        context["kb_search_url"] = search_url
    context["kb_notfound_data"] = prefix + DATA_PATH


def collect_page(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    """``html-collect-pages``: sphinx-notfound-page's page, unless it would show what it showed at
    the last build (its context, template and the site around it; the posts it suggests are in
    :data:`DATA_PATH`, written apart)."""
    if not kb_config(app).not_found_page:
        return
    for pagename, context, template in notfound_extension.html_collect_pages(app):
        if not incremental.page_unchanged(app, pagename, template, sorted(context.items())):
            yield pagename, context, template


def posts(app: Sphinx) -> list[dict[str, Any]]:
    """What the page matches an address against: the listed posts, newest first."""
    computed = old_addresses(app.env)
    return [
        {
            "title": record.title,
            "path": encode(app.builder.get_target_uri(record.docname)),
            "slug": record.slug,
            "aliases": [*record.meta.aliases, *computed.get(record.docname, ())],
            "date": record.date.date().isoformat() if record.date else None,
        }
        for record in store(app.env).listed()
    ]


def write(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: the posts' data, and ``404.html`` beside ``404/index.html``."""
    if exception is not None or not _enabled(app) or not kb_config(app).not_found_page:
        return
    assert isinstance(app.builder, StandaloneHTMLBuilder)
    done = incremental.outputs(app)
    data = json.dumps({"version": 1, "posts": posts(app)}, ensure_ascii=False)
    done.write(Path(app.outdir, DATA_PATH), data.encode("utf-8"))
    written = Path(app.outdir, app.builder.get_outfilename(app.config.notfound_pagename))
    copy = Path(app.outdir, _FILE)
    if written.is_file() and written != copy:
        done.write(copy, written.read_bytes())


def setup(app: Sphinx) -> None:
    """Load sphinx-notfound-page and adapt it to the site."""
    app.setup_extension("notfound.extension")
    # Its page is made again only when what it shows changed (collect_page).
    for listener in list(app.events.listeners.get("html-collect-pages", [])):
        if listener.handler is notfound_extension.html_collect_pages:
            app.disconnect(listener.id)
    app.connect("html-collect-pages", collect_page)
    app.connect("config-inited", configure)
    # After pages (450) and search (500), which give the page its feed and search links.
    app.connect("html-page-context", page_context, priority=600)
    app.connect("build-finished", write)

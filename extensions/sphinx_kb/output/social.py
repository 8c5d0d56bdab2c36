"""What search engines and link previews read in a page's head: its description, its canonical
address, and Open Graph and Twitter card tags.

- ``<meta name="description">``: a post's ``description``, else its summary (the first
  paragraph); the home page's is ``kb_site_description``; another page's is its first paragraph.
- ``<link rel="canonical">``: furo writes it from Sphinx's ``pageurl`` (set when ``html_baseurl``
  is); it is replaced here by the same address percent-encoded, as every other link of the site.
- Open Graph (``og:title``, ``og:description``, ``og:url``, ``og:site_name``, ``og:image``) and
  Twitter (``twitter:card`` and the same fields): a post is ``og:type`` ``article`` with
  ``article:published_time``, ``article:modified_time``, ``article:section`` (its first category)
  and one ``article:tag`` per tag; its image is its cover (front-matter ``image``), else
  ``kb_social_image``. Addresses must be absolute, so ``og:url`` and ``og:image`` need
  ``html_baseurl``; without it a page still gets its description and titles.
- A draft built with ``kb_show_drafts`` is marked ``noindex``.

Every value is what the author wrote, as text: escaped into the attribute, never live HTML.

Why not sphinxext-opengraph (well kept, parallel safe): it reads a page's description from its
body, not from front matter; has one ``og:type`` for the whole site and no ``article:*`` tags;
takes a page's image only from a field list; escapes only ``"`` (a title's ``&`` or ``<`` reaches
the attribute as is); joins ``ogp_site_url`` with ``urljoin``, which drops the last folder of a
base without a final ``/``; and prints a line on every build without matplotlib. Each post would
need every field overridden, so the few lines here are simpler than the adapter would be.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from markupsafe import Markup, escape

from ..blog.domain import PostRecord, store
from ..blog.keys import cover_path
from ..config import _location as config_location
from ..config import kb_config
from ..i18n import page_language
from ..urls import encode
from ..warnings_ import KbWarning, warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def site_url(app: Sphinx) -> str | None:
    """``html_baseurl`` ending in ``/``, or ``None`` when the site does not know its address."""
    base = app.config.html_baseurl
    return base.rstrip("/") + "/" if base else None


def absolute(app: Sphinx, target: str) -> str | None:
    """The absolute, percent-encoded address of *target* (a path relative to the output folder)."""
    base = site_url(app)
    return None if base is None else base + encode(target)


def page_url(app: Sphinx, pagename: str) -> str | None:
    """The absolute address of the page *pagename*, or ``None`` without ``html_baseurl``."""
    return absolute(app, app.builder.get_target_uri(pagename))


def site_description(app: Sphinx) -> str:
    """``kb_site_description``, else ``kb_feed_subtitle``."""
    settings = kb_config(app)
    return settings.site_description or settings.feed_subtitle


def shorten(text: str, length: int) -> str:
    """*text* on one line, cut at a word boundary to at most about *length* characters."""
    text = " ".join(text.split())
    if len(text) <= length:
        return text
    cut = text[:length]
    # Keep whole words where there are spaces (CJK text has none: cut at the length).
    if " " in cut[length // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:") + "…"


def description(app: Sphinx, pagename: str, record: PostRecord | None, doctree: nodes.document | None) -> str:
    """What the page is about, in one paragraph of text (may be empty)."""
    if record is not None:
        if record.meta.description:
            return " ".join(record.meta.description.split())
        return " ".join(record.summary.astext().split()) if record.summary is not None else ""
    if pagename == app.config.root_doc or doctree is None:
        return site_description(app)
    first = next(iter(doctree.findall(nodes.paragraph)), None)
    return shorten(first.astext(), kb_config(app).summary_length) if first is not None else site_description(app)


def _image(app: Sphinx, record: PostRecord | None) -> str | None:
    """The absolute address of the page's preview image: the post's cover, else the site's."""
    cover = cover_path(app, record) if record is not None else None
    if cover is not None:
        return absolute(app, cover)
    image = kb_config(app).social_image
    return absolute(app, image) if image else None


def tags(app: Sphinx, pagename: str, title: str, doctree: nodes.document | None) -> list[tuple[str, str, str]]:
    """The page's ``<meta>`` tags as (attribute, name, content), in the order they are written."""
    record = store(app.env).posts.get(pagename)
    text = description(app, pagename, record, doctree)
    url = page_url(app, pagename)
    image = _image(app, record)
    result: list[tuple[str, str, str]] = []
    if text:
        result.append(("name", "description", text))
    if record is not None and not record.listed:
        result.append(("name", "robots", "noindex"))
    result += [
        ("property", "og:title", title),
        ("property", "og:type", "article" if record is not None else "website"),
        ("property", "og:site_name", app.config.project),
        # Open Graph writes a locale as language_TERRITORY (zh_CN), not as a BCP 47 tag.
        ("property", "og:locale", page_language(app.env, pagename).replace("-", "_")),
    ]
    if url:
        result.append(("property", "og:url", url))
    if text:
        result.append(("property", "og:description", text))
    if image:
        result += [("property", "og:image", image), ("property", "og:image:alt", title)]
    if record is not None:
        if record.date is not None:
            result.append(("property", "article:published_time", record.date.isoformat()))
        if record.updated is not None and record.updated != record.date:
            result.append(("property", "article:modified_time", record.updated.isoformat()))
        if record.categories:
            result.append(("property", "article:section", record.categories[0]))
        result += [("property", "article:tag", tag) for tag in record.tags]
    result.append(("name", "twitter:card", "summary_large_image" if image else "summary"))
    if kb_config(app).twitter_site:
        result.append(("name", "twitter:site", kb_config(app).twitter_site))
    result.append(("name", "twitter:title", title))
    if text:
        result.append(("name", "twitter:description", text))
    if image:
        result.append(("name", "twitter:image", image))
    return result


def page_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """``html-page-context``: the page's description, canonical address and preview tags."""
    if app.builder.format != "html" or getattr(app.builder, "embedded", False):
        return  # EPUB and HTML Help pages are not on the web
    if pagename == app.config.notfound_pagename:
        return  # shown at every missing address: it has none of its own, and is never shared
    url = page_url(app, pagename)
    if url is not None:
        context["pageurl"] = url
    record = store(app.env).posts.get(pagename)
    # A page's title is HTML in the context (Sphinx renders it from the heading): as text here.
    title = record.title if record is not None else Markup(context.get("title") or "").striptags()
    lines = [
        f'<meta {attribute}="{escape(name)}" content="{escape(content)}">'
        for attribute, name, content in tags(app, pagename, title, doctree)
    ]
    context["metatags"] = context.get("metatags", "") + "".join(f"\n    {line}" for line in lines)


def check_image(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: warn when ``kb_social_image`` names no file of the built site (the pages
    would show link previews with a broken image)."""
    image = kb_config(app).social_image
    if exception is None and image and app.builder.format == "html" and not Path(app.outdir, image).is_file():
        warn(
            KbWarning.CONFIG,
            "kb_social_image %r is not a file of the built site (put it in a folder of html_static_path)",
            image,
            # The line of conf.py that sets it.
            location=config_location(Path(app.confdir, "conf.py"), "kb_social_image"),
        )


def setup(app: Sphinx) -> None:
    """Add the tags to every HTML page."""
    app.connect("html-page-context", page_context, priority=460)
    app.connect("build-finished", check_image)

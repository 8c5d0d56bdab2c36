"""Redirects from a post's old addresses: its front-matter ``aliases`` and the addresses
``kb_old_urls`` gives it (:func:`..blog.links.old_addresses`).

An alias is an address of the old site: ``/p/old-slug/`` (Hugo's pretty URLs) or
``/2020/01/old-post.html``. Each becomes a small page at exactly that address (``p/old-slug/
index.html``, ``2020/01/old-post.html``) that sends the reader to the post. ablog can redirect
too, but only from page names, which cannot be ``.html`` files under the ``dirhtml`` builder.

An alias that is not an address of this site, or that is already the address of a page, of
any other file of the output or of another post's alias, is a warning at the post's ``aliases``
line, and no redirect is made. Redirect pages carry a marker (:data:`MARKER`), so the next build
knows the files it may replace.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from sphinx.util.osutil import relative_uri

from ..blog.domain import PostRecord, store
from ..blog.links import old_addresses
from ..warnings_ import KbWarning, warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: In every redirect page (``kb/redirect.html``): a file holding it may be replaced.
MARKER = b'<meta name="generator" content="sphinx-kb redirect">'


def alias_file(alias: str) -> str | None:
    """The file an old address names, relative to the output folder, or ``None``.

    ``/p/old/`` -> ``p/old/index.html``; ``/2020/old.html`` -> ``2020/old.html``.
    """
    parts = urlsplit(alias)
    path = parts.path.strip("/")
    segments = path.split("/")
    if parts.scheme or parts.netloc or parts.query or not path or {"", ".", ".."} & set(segments):
        return None
    return path if path.endswith((".html", ".htm")) else f"{path}/index.html"


def _warn(record: PostRecord, message: str) -> None:
    warn(KbWarning.ALIAS, message, location=(record.docname, record.meta.line_of("aliases")))


def _is_site_file(path: Path) -> bool:
    """Whether *path* is a file of the output that is not one of our redirect pages."""
    if not path.is_file():
        return False
    with path.open("rb") as file:
        return MARKER not in file.read(1024)


def redirects(app: Sphinx) -> dict[str, PostRecord]:
    """Every redirect to make: output file -> the post it leads to. Problems are warned of."""
    pages = {os.path.normpath(app.builder.get_outfilename(name)): name for name in app.env.found_docs}
    made: dict[str, PostRecord] = {}
    computed = old_addresses(app.env)  # from kb_old_urls
    for record in sorted(store(app.env).posts.values(), key=lambda r: r.docname):
        for alias in [*record.meta.aliases, *computed.get(record.docname, ())]:
            target = alias_file(alias)
            if urlsplit(alias).fragment:
                _warn(record, f"alias {alias!r}: the part after '#' never reaches a server; it is ignored")
            if target is None:
                _warn(record, f"alias {alias!r} is not an address on this site; no redirect is made")
                continue
            full = os.path.normpath(Path(app.outdir, target))
            owner = pages.get(full) or (made[target].docname if target in made else None)
            if owner is not None and owner != record.docname:
                _warn(record, f"alias {alias!r} is already the address of {owner!r}; no redirect is made")
            elif owner is None and _is_site_file(Path(full)):
                _warn(record, f"alias {alias!r} is already the file {target} of the site; no redirect is made")
            elif owner is None:
                made[target] = record
    return made


def write_redirects(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: write a redirect page for every alias."""
    if exception is not None or app.builder.format != "html":
        return
    for target, record in redirects(app).items():
        base = target.removesuffix("index.html")
        url = relative_uri(base, app.builder.get_target_uri(record.docname))
        html = app.builder.templates.render("kb/redirect.html", {"url": url, "title": record.title})
        path = Path(app.outdir, target)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")


def setup(app: Sphinx) -> None:
    """Write the redirect pages once the pages (and feeds) are written."""
    app.connect("build-finished", write_redirects, priority=600)

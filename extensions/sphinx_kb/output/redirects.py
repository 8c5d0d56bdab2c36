"""Redirects from a post's old addresses: its front-matter ``aliases`` and the addresses
``kb_old_urls`` gives it (:func:`..blog.links.old_addresses`).

An alias is an address of the old site: ``/p/old-slug/`` (Hugo's pretty URLs) or
``/2020/01/old-post.html``. Each becomes a small page at exactly that address (``p/old-slug/
index.html``, ``2020/01/old-post.html``) that sends the reader to the post. ablog can redirect
too, but only from page names, which cannot be ``.html`` files under the ``dirhtml`` builder.

An alias is percent-decoded before it names a file, as a web server decodes the address it is
asked for: ``/p/%E4%B8%AD%E6%96%87/`` is written to ``p/中文/index.html``. An alias is refused, with
a warning at the post's ``aliases`` line, when it is not an address of this site (another host, a
query, ``.`` or ``..``), cannot be a file name (a control character, a part longer than 255 bytes)
or is already the address of a page, of any other file of the output (a feed, a stylesheet; also
a file where the alias needs a folder) or of another post's alias. Redirect pages carry a marker
(:data:`MARKER`), so the next build knows the files it may replace. Each redirect is written on
its own: one that fails is a warning at its post, and the others are still written.
"""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.util.osutil import relative_uri

from ..blog.domain import PostRecord, store
from ..blog.links import old_addresses
from ..urls import encode
from ..warnings_ import KbWarning, warn
from . import incremental

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: In every redirect page (``kb/redirect.html``): a file holding it may be replaced.
MARKER = b'<meta name="generator" content="sphinx-kb redirect">'
#: The longest file name most file systems take, in bytes.
_NAME_MAX = 255


class AliasError(ValueError):
    """An alias that cannot be the address of a redirect page; the message says why."""


def alias_file(alias: str) -> str:
    """The file an old address names, relative to the output folder, percent-decoded.

    ``/p/old/`` -> ``p/old/index.html``; ``/2020/old.html`` -> ``2020/old.html``;
    ``/p/%E4%B8%AD/`` -> ``p/中/index.html``.

    :raises AliasError: if *alias* is not an address of this site or cannot name a file.
    """
    parts = urlsplit(alias)
    if parts.scheme or parts.netloc or parts.query:
        raise AliasError("is not an address on this site")
    try:
        path = unquote(parts.path, errors="strict").strip("/")
    except UnicodeDecodeError:
        raise AliasError("is not UTF-8 once its %-escapes are decoded") from None
    control = next((char for char in path if unicodedata.category(char) == "Cc"), None)
    if control is not None:
        raise AliasError(f"holds the control character U+{ord(control):04X}, which no file name can")
    segments = path.split("/")
    if not path or {"", ".", ".."} & set(segments):
        raise AliasError("is not an address on this site")
    longest = max(segments, key=lambda segment: len(segment.encode()))
    if len(longest.encode()) > _NAME_MAX:
        size = len(longest.encode())
        raise AliasError(f"has a part of {size} bytes, longer than a file name may be ({_NAME_MAX})")
    return path if path.endswith((".html", ".htm")) else f"{path}/index.html"


def _warn(record: PostRecord, message: str) -> None:
    warn(KbWarning.ALIAS, message, location=(record.docname, record.meta.line_of("aliases")))


def _site_file(outdir: Path, target: str) -> str | None:
    """The file of the output, not one of our redirect pages, that is in the way of *target*:
    *target* itself, or a file where *target* needs a folder (``blog/atom.xml`` for
    ``blog/atom.xml/index.html``). ``None`` if there is none."""
    parts = target.split("/")
    for count in range(1, len(parts) + 1):
        path = Path(outdir, *parts[:count])
        if path.is_file() and (count < len(parts) or not _is_redirect(path)):
            return "/".join(parts[:count])
        if count == len(parts) and path.is_dir():
            return "/".join(parts)
        if not path.exists():
            return None
    return None


def _is_redirect(path: Path) -> bool:
    """Whether the file *path* is one of our redirect pages (which a build may replace)."""
    with path.open("rb") as file:
        return MARKER in file.read(1024)


def redirects(app: Sphinx) -> dict[str, PostRecord]:
    """Every redirect to make: output file -> the post it leads to. Problems are warned of."""
    builder = app.builder
    if not isinstance(builder, StandaloneHTMLBuilder):
        return {}
    pages = {os.path.normpath(builder.get_outfilename(name)): name for name in app.env.found_docs}
    made: dict[str, PostRecord] = {}
    computed = old_addresses(app.env)  # from kb_old_urls
    for record in sorted(store(app.env).posts.values(), key=lambda r: r.docname):
        for alias in [*record.meta.aliases, *computed.get(record.docname, ())]:
            try:
                target = _target(app, record, alias, pages, made)
            except AliasError as reason:
                _warn(record, f"alias {alias!r} {reason}; no redirect is made")
            except (OSError, ValueError) as error:
                _warn(record, f"alias {alias!r} cannot be checked ({error}); no redirect is made")
            else:
                if target is not None:
                    made[target] = record
    return made


def _target(
    app: Sphinx, record: PostRecord, alias: str, pages: dict[str, str], made: dict[str, PostRecord]
) -> str | None:
    """The file the redirect of *alias* goes to, or ``None`` when it is already *record*'s.

    :raises AliasError: when no redirect can be made.
    """
    if urlsplit(alias).fragment:
        _warn(record, f"alias {alias!r}: the part after '#' never reaches a server; it is ignored")
    target = alias_file(alias)
    full = os.path.normpath(Path(app.outdir, target))
    owner = pages.get(full) or (made[target].docname if target in made else None)
    if owner is not None and owner != record.docname:
        raise AliasError(f"is already the address of {owner!r}")
    if owner is not None:
        return None
    existing = _site_file(Path(app.outdir), target)
    if existing is not None:
        raise AliasError(f"is already the file {existing} of the site")
    return target


def write_redirects(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: write a redirect page for every alias."""
    if exception is not None or app.builder.format != "html":
        return
    done = incremental.outputs(app) if incremental.tracked(app) else None
    for target, record in redirects(app).items():
        try:
            base = target.removesuffix("index.html")
            url = encode(relative_uri(base, app.builder.get_target_uri(record.docname)))
            html = app.builder.templates.render("kb/redirect.html", {"url": url, "title": record.title})
            path = Path(app.outdir, target)
            if done is not None:
                # Kept untouched when unchanged; deleted by a later build only while it holds the marker.
                done.write(path, html.encode("utf-8"), marker=MARKER.decode())
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(html, encoding="utf-8")
        except Exception as error:  # one redirect that fails never stops the others
            _warn(record, f"the redirect {target} cannot be written: {error}")


def setup(app: Sphinx) -> None:
    """Write the redirect pages once the pages (and feeds) are written."""
    app.connect("build-finished", write_redirects, priority=600)

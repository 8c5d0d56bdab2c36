"""Find the image a post names the way its author's editor did, and say where a missing one is.

Obsidian names a pasted image ``Pasted image 20251203174812.png`` and writes the link
percent-encoded, ``![](Pasted%20image%2020251203174812.png)``, which Markdown viewers decode
and Sphinx does not. :class:`ImageFiles` runs before Sphinx collects images (``doctree-read``)
and, for each image of the page that names a file of the site:

- if the file is there, leaves it alone;
- else if the percent-decoded path names a file inside the site, uses that;
- else warns ``kb.image`` at the image's file and line, naming the bundle's files whose names
  differ only in case, by a doubled extension (``x.png.png``) or by one or two letters
  (:func:`..content.paths.near_misses`), and replaces the image by its alt text, so that Sphinx's
  own "image file not readable" (which may name no line) is not given as well.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from docutils import nodes
from docutils.utils import get_source_line
from sphinx.transforms import SphinxTransform

from ..content.paths import is_url, near_misses, outside_files
from ..warnings_ import KbWarning, warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: How many near names a warning lists, at most.
_SUGGESTIONS = 3


class ImageFiles(SphinxTransform):
    """Decode percent-encoded image paths; report a missing image at its line, with near names."""

    # After OutsideFiles (700), which takes out images outside the site; before `doctree-read`.
    default_priority = 701

    def apply(self, **kwargs: Any) -> None:
        for image in list(self.document.findall(nodes.image)):
            uri = image.get("uri", "")
            if not uri or is_url(uri) or "://" in uri or uri.endswith(".*"):
                continue
            if self._exists(uri):
                continue
            decoded = unquote(uri)
            if decoded != uri and self._exists(decoded):
                image["uri"] = decoded
                continue
            self._missing(image, decoded)

    def _exists(self, uri: str) -> bool:
        """Whether *uri* names a file inside the source folder."""
        path = self.env.relfn2path(uri, self.env.docname)[1]
        return os.path.isfile(path) and not outside_files(path, self.env.srcdir)

    def _missing(self, image: nodes.image, uri: str) -> None:
        """Warn of a missing image at its line, and show its alt text instead."""
        relative, path = self.env.relfn2path(uri, self.env.docname)
        # Sphinx's collector will not see this image: the page is read again until the file is there.
        self.env.note_dependency(relative)
        message = f"image {uri!r} not found (looked for {Path(relative).as_posix()}); it is shown as its alt text"
        names = _near_names(Path(path), Path(self.env.doc2path(self.env.docname)).parent, Path(self.env.srcdir))
        if names:
            message += ". Did you mean " + " or ".join(repr(name) for name in names[:_SUGGESTIONS]) + "?"
        warn(KbWarning.IMAGE, "%s", message, location=self._location(image))
        alt = image.get("alt", "")
        replacement: nodes.Node = nodes.inline(alt, alt) if alt else nodes.inline()
        if not isinstance(image.parent, nodes.TextElement):
            replacement = nodes.paragraph("", "", replacement)
        image.replace_self(replacement)

    def _location(self, image: nodes.image) -> tuple[str, int | None] | nodes.Node:
        """The image's node if it (or a parent) has a line, else the first line naming it."""
        _source, line = get_source_line(image)
        if line:
            return image
        return (self.env.docname, _line_naming(self.env.doc2path(self.env.docname), image.get("uri", "")))


def _near_names(wanted: Path, bundle: Path, srcdir: Path) -> list[str]:
    """Files of the bundle near *wanted*, as paths from the image's expected folder's page."""
    folder = bundle if wanted.is_relative_to(bundle) else wanted.parent
    if not folder.is_dir() or outside_files(folder, srcdir):
        return []
    names = near_misses(wanted, folder)
    base = wanted.parent
    return [os.path.relpath(folder / name, base).replace(os.sep, "/") for name in names]


def _line_naming(path: str | os.PathLike[str], uri: str) -> int | None:
    """The first line of the file at *path* that names *uri* (or its last part), if any."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    for needle in (uri, uri.rsplit("/", 1)[-1]):
        match = re.search(re.escape(needle), text)
        if match:
            return text.count("\n", 0, match.start()) + 1
    return None


def setup(app: Sphinx) -> None:
    """Register the transform."""
    app.add_transform(ImageFiles)

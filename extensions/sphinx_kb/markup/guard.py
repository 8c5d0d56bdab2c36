"""Keep what a page reads inside the site, and a page that cannot be read from stopping the build.

Files: nothing outside the site's source folder is read or published (see
:mod:`..content.paths` for what *outside* means). Each file a page names is checked where it is
first used, and refused with a ``kb.path`` warning at the line that names it:

- images (``![alt](path)``, ``{image}``, ``{figure}``) and ``{download}`` links, by
  :class:`OutsideFiles`, before Sphinx's collectors copy them into the site (at
  ``doctree-read``): the image is replaced by its alt text, the link by its text;
- ``{raw}`` with ``:file:``: the node is removed (docutils has read the file by then);
- ``{literalinclude}``: refused before the file is read (:class:`SafeLiteralInclude`);
- ``{include}``: MyST-Parser reads the file, then offers its text at ``include-read``, where
  :func:`refuse_outside_include` empties it before anything is parsed or published;
- ``{html-embed}`` checks its own file (:mod:`.embeds`); MDX chapters, images and embeds are
  checked when converted (:mod:`.mdx.convert`); a page or article that is a link to a file
  outside is never built (:mod:`..content.bundles`).

Depth: MyST-Parser and docutils read nested markup (quotes in lists in directives, emphasis in
emphasis) by recursion, and a page nested a few hundred levels deep exhausts Python's stack.
:class:`SafeMystParser` catches that for the one page: it is shown as the text it was written in,
with one ``kb.nesting`` warning, and the rest of the site builds.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from myst_parser.parsers.sphinx_ import MystParser
from sphinx import addnodes
from sphinx.directives.code import LiteralInclude
from sphinx.transforms import SphinxTransform

from ..content import frontmatter
from ..content.paths import is_inside, is_url, outside_files
from ..warnings_ import KbWarning, warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: A line opening an ``{include}`` directive (MyST, possibly quoted or indented) or ``.. include::``.
_INCLUDE_LINE = re.compile(r"^[\s>]*(?:(?:`{3,}|~{3,}|:{3,})\s*\{include\}|\.\.\s+include::)\s*(?P<path>\S.*?)\s*$")


class OutsideFiles(SphinxTransform):
    """Take out images, downloads and raw files that are outside the source folder."""

    # Any time before `doctree-read`, where Sphinx collects (and later copies) these files.
    default_priority = 700

    def apply(self, **kwargs: Any) -> None:
        for image in list(self.document.findall(nodes.image)):
            uri = image.get("uri", "")
            if not uri or is_url(uri) or "://" in uri:
                continue
            if outside_files(self.env.relfn2path(uri, self.env.docname)[1], self.env.srcdir):
                message = "image %r is outside the site's source folder; it is left out"
                warn(KbWarning.PATH, message, uri, location=image)
                alt = image.get("alt", "")
                replacement: nodes.Node = nodes.inline(alt, alt) if alt else nodes.inline()
                if not isinstance(image.parent, nodes.TextElement):
                    replacement = nodes.paragraph("", "", replacement)
                image.replace_self(replacement)
        for download in list(self.document.findall(addnodes.download_reference)):
            target = download.get("reftarget", "")
            if not target or "://" in target:
                continue
            if not is_inside(self.env.relfn2path(target, self.env.docname)[1], self.env.srcdir):
                message = "download %r is outside the site's source folder; it is left out"
                warn(KbWarning.PATH, message, target, location=download)
                download.replace_self(download.children)
        for raw in list(self.document.findall(nodes.raw)):
            source = raw.get("source")
            if source and not is_inside(source, self.env.srcdir):
                # docutils gives the path relative to the working folder; name it whole.
                message = "raw file %r is outside the site's source folder; it is left out"
                warn(KbWarning.PATH, message, os.path.abspath(source), location=raw)
                raw.parent.remove(raw)


class SafeLiteralInclude(LiteralInclude):
    """Sphinx's ``literalinclude``, refusing files (and ``:diff:`` files) outside the source folder."""

    def run(self) -> list[nodes.Node]:
        for name in (self.arguments[0], self.options.get("diff")):
            if name and not is_url(name) and not is_inside(self.env.relfn2path(name)[1], self.env.srcdir):
                message = "included file %r is outside the site's source folder; it is left out"
                warn(KbWarning.PATH, message, name, location=self.get_location())
                return []
        return super().run()


def refuse_outside_include(app: Sphinx, relative_path: Path, parent_docname: str, content: list[str]) -> None:
    """``include-read`` (first): empty the text of an included file outside the source folder."""
    target = os.path.normpath(Path(app.srcdir, relative_path))
    if is_inside(target, app.srcdir):
        return
    content[0] = ""
    docname = app.env.docname
    line, written = _include_line(app, docname, target)
    message = "included file %r is outside the site's source folder; it is left out"
    warn(KbWarning.PATH, message, written or os.fspath(relative_path), location=(docname, line))


def _include_line(app: Sphinx, docname: str, target: str) -> tuple[int | None, str | None]:
    """The line of *docname* whose ``include`` names *target*, and the path as written there.

    ``include-read`` does not say where the file was included; ``(None, None)`` if not found.
    """
    try:
        text = Path(app.env.doc2path(docname)).read_text(encoding=app.config.source_encoding)
    except (OSError, UnicodeDecodeError):
        return None, None
    for number, line in enumerate(frontmatter.split_lines(text), start=1):
        match = _INCLUDE_LINE.match(line)
        if match and os.path.normpath(app.env.relfn2path(match["path"], docname)[1]) == target:
            return number, match["path"]
    return None, None


class SafeMystParser(MystParser):
    """MyST-Parser, except that a page nested too deeply to parse is shown as its text."""

    def parse(self, inputstring: str, document: nodes.document) -> None:
        try:
            super().parse(inputstring, document)
        except RecursionError:
            pass
        else:
            return
        # Start again from an empty document: the half-built one may be nested just as deeply.
        transformer = document.transformer
        document.__init__(document.settings, document.reporter, source=document["source"])
        document.transformer = transformer
        head, body, first_body_line = _split_front_matter(inputstring)
        message = "the page is nested too deeply to be read (quotes, lists, emphasis or directives inside one "
        location = f"{document['source']}:{first_body_line}"
        warn(KbWarning.NESTING, message + "another); its text is shown as written", location=location)
        fence = "`" * max(3, max((len(run) for run in re.findall(r"`+", body)), default=0) + 1)
        super().parse(f"{head}{fence}text\n{body}\n{fence}\n", document)


def _split_front_matter(source: str) -> tuple[str, str, int]:
    """The front matter of *source* (with its fences), the body, and the body's first written line."""
    block = frontmatter.find_block(source)
    head_lines = block.end_line if block else 0
    lines = frontmatter.split_lines(source, keepends=True)
    first = next((n for n, line in enumerate(lines[head_lines:], start=head_lines + 1) if line.strip()), 1)
    return "".join(lines[:head_lines]), "".join(lines[head_lines:]), first


def setup(app: Sphinx) -> None:
    """Register the guards (after MyST-Parser, whose parser this replaces)."""
    app.add_transform(OutsideFiles)
    app.add_directive("literalinclude", SafeLiteralInclude, override=True)
    app.connect("include-read", refuse_outside_include, priority=100)
    app.add_source_parser(SafeMystParser, override=True)

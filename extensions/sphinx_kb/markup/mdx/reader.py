"""Reading ``.mdx`` files in Sphinx: convert them to MyST before MyST-Parser parses them.

- ``source-read``: an ``.mdx`` article is converted after its front matter has been read.
- ``include-read``: an ``.mdx`` chapter, which MyST's ``{include}`` reads for the article, is
  converted the same way, relative to its own folder.
- Conversion moves lines (a one-line ``<Image />`` becomes a figure with options), so each
  converted file keeps a map from its MyST lines back to its own lines. :class:`RestoreLines`
  puts the original lines on the doctree, and :class:`LineMapFilter` on warnings MyST-Parser
  logs while it parses an article, so warnings name the line the author wrote. The maps are kept
  in the store (:mod:`...blog.domain`), per document, so they survive parallel reading. (MyST reports
  problems inside an included chapter at the article's name; those keep the chapter's
  converted line.)
- :class:`StandaloneImages`: in MDX a Markdown image alone in its paragraph is a figure,
  captioned with its title or alt text.
"""

from __future__ import annotations

import contextlib
import logging as python_logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

from ...blog.domain import store
from ...config import kb_config
from ...content import frontmatter
from ...warnings_ import KbWarning, warn
from .convert import Context, Conversion, convert

if TYPE_CHECKING:
    from sphinx.environment import BuildEnvironment


def _includers(env: BuildEnvironment) -> dict[Path, Path]:
    """Chapter -> the file that includes it, to refuse cycles."""
    return cast("dict[Path, Path]", env.temp_data.setdefault("kb_includers", {}))


def convert_article(app: Sphinx, docname: str, source: list[str]) -> None:
    """``source-read``: convert an ``.mdx`` article (its front matter is left as it is)."""
    _convert_in_place(app, Path(app.env.doc2path(docname)), source)


def convert_chapter(app: Sphinx, relative_path: Path, parent_docname: str, content: list[str]) -> None:
    """``include-read``: convert an ``.mdx`` chapter included by an article."""
    _convert_in_place(app, Path(os.path.normpath(Path(app.srcdir) / relative_path)), content)


def _convert_in_place(app: Sphinx, path: Path, text: list[str]) -> None:
    """Convert ``text[0]``, the content of *path*, if it is MDX; warn of its problems."""
    if path.suffix != ".mdx":
        return
    conversion = _convert(app, path, text[0])
    for problem in conversion.problems:
        subtype = KbWarning(problem.subtype) if problem.subtype else KbWarning.MDX
        warn(subtype, problem.message, location=f"{path}:{problem.line}")
    text[0] = conversion.text


def _convert(app: Sphinx, path: Path, text: str) -> Conversion:
    """Convert *text*, the content of *path*, past its front matter; record its line map."""
    block = frontmatter.find_block(text)
    head_lines = block.end_line if block else 0
    lines = frontmatter.split_lines(text, keepends=True)
    head, body = "".join(lines[:head_lines]), "".join(lines[head_lines:])
    includers = _includers(app.env)
    chain: list[Path] = []
    parent = includers.get(path)
    while parent is not None and parent not in chain:
        chain.append(parent)
        parent = includers.get(parent)
    embeds = Path(app.srcdir, kb_config(app).embeds_dir)
    context = Context(path, Path(app.srcdir), tuple(reversed(chain)), embeds_dir=embeds)
    conversion = convert(body, context, first_line=head_lines + 1)
    for chapter in conversion.chapters:
        includers.setdefault(chapter, path)
    conversion.text = head + conversion.text
    conversion.lines = list(range(1, head_lines + 1)) + conversion.lines
    store(app.env).add_line_map(app.env.docname, os.path.normpath(path), conversion.lines)
    return conversion


def original_line(maps: dict[str, list[int]], source: str | None, line: int | None) -> int | None:
    """The line the author wrote for *line* of the converted *source*, if it was converted."""
    if not source or not line:
        return line
    lines = maps.get(os.path.normpath(source))
    if lines and 0 < line <= len(lines):
        return lines[line - 1]
    return line


class RestoreLines(SphinxTransform):
    """Put on every node the line its source file had before conversion."""

    # Before anything reads line numbers.
    default_priority = 1

    def apply(self, **kwargs: Any) -> None:
        maps = store(self.env).line_maps(self.env.docname)
        if maps:
            self._restore(self.document, self.document.get("source"), maps)

    def _restore(self, node: nodes.Element, source: str | None, maps: dict[str, list[int]]) -> None:
        for child in node.children:
            if isinstance(child, nodes.Element):
                child_source = child.source or source
                if child.line:
                    child.line = original_line(maps, child_source, child.line)
                self._restore(child, child_source, maps)


class LineMapFilter(python_logging.Filter):
    """Give warnings located as ``(docname, line)`` in a converted article their written line.

    That is how MyST-Parser locates what it reports while parsing, in lines of the converted
    text. sphinx-kb's own warnings are located as ``"path:line"`` and pass unchanged, as do
    those located by a node (:class:`RestoreLines` has corrected its line).
    """

    def __init__(self, app: Sphinx) -> None:
        super().__init__()
        self.app = app

    def filter(self, record: python_logging.LogRecord) -> bool:
        location = getattr(record, "location", None)
        maps = store(self.app.env).line_maps() if isinstance(location, tuple) else None
        if maps and isinstance(location, tuple) and len(location) == 2 and isinstance(location[1], int):
            docname, line = location
            with contextlib.suppress(Exception):
                path = str(self.app.env.doc2path(docname))
                record.location = (docname, original_line(maps, path, line))
        return True


def install_filter(app: Sphinx) -> None:
    """``builder-inited``: put :class:`LineMapFilter` first on Sphinx's warning handlers."""
    for handler in python_logging.getLogger(logging.NAMESPACE).handlers:
        if isinstance(handler, logging.WarningStreamHandler):
            handler.filters.insert(0, LineMapFilter(app))


class StandaloneImages(SphinxTransform):
    """In MDX, a Markdown image alone in its paragraph becomes a figure with a caption."""

    default_priority = 400

    def apply(self, **kwargs: Any) -> None:
        document_source = str(self.env.doc2path(self.env.docname))
        for paragraph in list(self.document.findall(nodes.paragraph)):
            if not (paragraph.source or document_source).endswith(".mdx"):
                continue
            images = [
                child for child in paragraph.children if not (isinstance(child, nodes.Text) and not child.strip())
            ]
            if len(images) != 1 or not isinstance(images[0], nodes.image):
                continue
            image = images[0]
            caption_text = image.get("title") or image.get("alt")
            figure = nodes.figure("", classes=["kb-figure"])
            figure.source, figure.line = paragraph.source, paragraph.line
            self.document.set_id(figure)
            paragraph.remove(image)
            figure += image
            if caption_text:
                figure += nodes.caption(caption_text, caption_text)
            paragraph.replace_self(figure)


def setup(app: Sphinx) -> None:
    """Put the author's lines back, and make MDX images figures (the conversion itself is a step
    of the reading pipeline)."""
    app.connect("builder-inited", install_filter)
    app.add_transform(RestoreLines)
    app.add_transform(StandaloneImages)

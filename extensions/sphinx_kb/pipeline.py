"""The reading pipeline: what happens to an article's text before MyST-Parser parses it.

Sphinx's ``source-read`` and ``include-read`` events run their handlers by priority number, so
the order of the steps would be spread over the modules. Here one handler of each event runs the
steps in code order:

1. front matter: read, validated and stored as the post's record (:func:`.blog.posts.read_front_matter`),
   then handed to MyST as a normalized copy;
2. MDX to MyST (:mod:`.markup.mdx.reader`), for ``.mdx`` articles and chapters;
3. wikilinks (``[[Name|text]]``) to Markdown links MyST reads (:mod:`.blog.links`);
4. Pandoc citations to ``{cite}`` roles (:mod:`.markup.citations`), for every Markdown page.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from .blog import links, posts
from .markup import citations
from .markup.mdx import reader as mdx

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def read_source(app: Sphinx, docname: str, source: list[str]) -> None:
    """``source-read``: every step, in order, on the text of document *docname*."""
    posts.read_front_matter(app, docname, source)
    mdx.convert_article(app, docname, source)
    links.convert_wikilinks(app, docname, source)
    citations.convert_source(app, docname, source)


def read_include(app: Sphinx, relative_path: Path, parent_docname: str, content: list[str]) -> None:
    """``include-read``: the steps that apply to an included chapter, in order."""
    path = Path(os.path.normpath(Path(app.srcdir, relative_path)))
    mdx.convert_chapter(app, relative_path, parent_docname, content)
    links.convert_chapter_wikilinks(content)
    citations.convert_chapter(app, path, content)


def setup(app: Sphinx) -> None:
    """Connect the pipeline."""
    app.connect("source-read", read_source)
    app.connect("include-read", read_include)

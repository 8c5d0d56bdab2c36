"""What a builder makes: web pages, or something else that happens to be HTML.

Several features only make sense on web pages: scripts (link previews, embedded frames, MathJax),
and files beside the pages (downloads). The EPUB builders write HTML too (``format == "html"``),
but a book's manifest takes only the files its pages name as images, and its readers run no
scripts.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.builders import Builder


def web_pages(builder: Builder) -> bool:
    """Whether *builder* writes web pages: the ``html`` format, and not an EPUB."""
    if builder.format != "html":
        return False
    # An EPUB builder exists only once its module is imported: a web build does not import it
    # (with its own imports, a twentieth of the start of a rebuild).
    epub = sys.modules.get("sphinx.builders._epub_base")
    return epub is None or not isinstance(builder, epub.EpubBuilder)

"""Every warning sphinx-kb gives, by kind, and the one helper that gives them.

Each warning is of type ``kb`` and of one subtype below, shown after the message as
``[kb.<subtype>]``; a site silences one kind with ``suppress_warnings = ["kb.<subtype>"]`` (or all
of ours with ``"kb"``). Every warning names the file and line it is about: a ``(docname, line)``
pair, a ``"path:line"`` string or a node with a source. (Model: ``myst_parser/warnings_.py``.)

The user guide's configuration page lists the subtypes with the docstring of each member
(``{kb-warnings-table}`` in ``config.py`` reads them), so each member needs one.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Any

from sphinx.util import logging

if TYPE_CHECKING:
    from typing import TypeAlias

    from docutils import nodes

    #: Where a warning points: ``(docname, line)``, ``"path:line"`` or a node.
    Location: TypeAlias = tuple[str, int | None] | str | nodes.Node

logger = logging.getLogger("sphinx_kb")


class KbWarning(Enum):
    """The subtypes of sphinx-kb's warnings; the value is what ``suppress_warnings`` names."""

    CONFIG = "config"
    """A ``kb_*`` setting (or one of ablog's we override) has a bad value."""
    BUNDLE = "bundle"
    """Two articles in one bundle, slugs that clash, a bundle that hides a page."""
    ENCODING = "encoding"
    """A source file that is not UTF-8."""
    FRONT_MATTER = "front_matter"
    """Front matter that does not parse, a bad or missing field."""
    TAXONOMY = "taxonomy"
    """Tag or category names that would share an archive page, or have none."""
    LABEL = "label"
    """A post's slug label, an equation label or a theorem's (sphinx-proof) label, defined twice."""
    MDX = "mdx"
    """MDX that cannot be converted: an unknown component, a bad prop, code that is not run."""
    CITATION = "citation"
    """A citation of a key in no BibTeX file; a BibTeX key defined twice, or another problem in a BibTeX file."""
    EMBED = "embed"
    """An embedded HTML file that does not exist."""
    PATH = "path"
    """A file outside the site's source folder: refused, never read or published."""
    URL = "url"
    """A URL whose scheme is not http(s), mailto or relative (``javascript:`` could run script): text."""
    ALIAS = "alias"
    """An old address that cannot be redirected."""
    FEED = "feed"
    """A feed cannot be written, or a text had characters XML forbids."""
    NESTING = "nesting"
    """A page nested too deeply to be read (hundreds of levels): shown as the text it was written in."""
    LINK = "link"
    """A link that leads nowhere: an old address, a path or a heading that no post has; shown as text."""
    IMAGE = "image"
    """An image file that does not exist (with the bundle's files of a near name, if any); shown as its alt text."""
    LINK_UNPUBLISHED = "link_unpublished"
    """A note-name link (``[text](Name.md)``) or wikilink (``[[Name]]``) naming no post of the site, often a
    note never published; shown as text. Silence it alone with ``suppress_warnings = ["kb.link_unpublished"]``."""
    SEARCH = "search"
    """The search index cannot be built, or a page named ``search`` is replaced by the search page."""
    GIT = "git"
    """A shallow git clone: some posts' last update (``kb_git_dates``) is older than the history kept."""


def warn(subtype: KbWarning, message: str, *args: Any, location: Location | None) -> None:
    """Log a warning of *subtype* at *location*; *args* fill ``%`` placeholders in *message*."""
    logger.warning(message, *args, location=location, type="kb", subtype=subtype.value)


def info(message: str, *args: Any, location: Location | None = None) -> None:
    """Log an informative line (never a warning, never fails a ``-W`` build)."""
    logger.info(message, *args, location=location)

"""What the readers that know nothing of Sphinx report: a :class:`Problem` at a line.

The front-matter reader (:mod:`.content.frontmatter`), the MDX converter (:mod:`.markup.mdx`) and
the citation converter work on text alone, so they can be tested (and fuzzed) without a build.
They return their problems; the Sphinx side reports each one with :func:`.warnings_.warn`, at the
file the text came from and the problem's line.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """Something wrong in a text, at a 1-based line of its file."""

    line: int
    message: str
    #: The warning's subtype (a ``KbWarning`` value) when it is not the reader's own kind, e.g.
    #: ``url`` for a link in MDX that could run script; ``None``: the reader's kind.
    subtype: str | None = None

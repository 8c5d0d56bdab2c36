"""``xml:lang`` on each Atom entry: the language of its post.

feedgen sets ``xml:lang`` on the feed only (from ``FeedGenerator.language``, the site's
``language``); this feedgen extension sets it on each entry from the post's language
(:attr:`..blog.domain.PostRecord.language`), so a reader shows a Chinese post as Chinese in a
feed of English ones.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from feedgen.ext.base import BaseEntryExtension, BaseExtension

if TYPE_CHECKING:
    from feedgen.feed import FeedGenerator

#: The name of the extension on feedgen's objects (``entry.kb_language``).
NAME = "kb_language"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


class _Feed(BaseExtension):
    """Nothing at the feed's level: feedgen writes its ``xml:lang``."""


class _Entry(BaseEntryExtension):
    """Holds the entry's language and writes it as the entry's ``xml:lang``."""

    def __init__(self) -> None:
        self.language: str | None = None

    def extend_atom(self, entry: Any) -> Any:
        if self.language:
            entry.set(_XML_LANG, self.language)
        return entry


def register(atom: FeedGenerator) -> None:
    """Let *atom*'s entries carry a language (``set_language``)."""
    atom.register_extension(NAME, _Feed, _Entry, atom=True, rss=False)


def set_language(entry: Any, language: str) -> None:
    """Give *entry* (of a feed :func:`register` was called on) the ``xml:lang`` *language*."""
    getattr(entry, NAME).language = language

"""Addresses: which an author's URL may be a link to, and how the site writes its own links.

- :func:`unsafe_scheme`: an author's URL (a front-matter author ``url``, an MDX ``href`` or
  ``src``) becomes a link only with the scheme ``http``, ``https`` or ``mailto``, or with none (a
  relative address). Any other scheme could run script (``javascript:``, ``vbscript:``), show a
  page made of the URL itself (``data:``) or open something that is not on the web (``file:``);
  the caller warns (``kb.url``) and shows the text without the link.
- :func:`encode`: links the site writes to its own pages are percent-encoded, so a post whose
  folder is ``posts/中文`` or ``posts/a b`` is linked as ``posts/%E4%B8%AD%E6%96%87/``; Sphinx's
  ``dirhtml`` builder gives those names as they are, its ``html`` builder already encoded.
"""

from __future__ import annotations

import re
from urllib.parse import quote

#: The schemes an author's link may have.
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})

#: A URL's scheme, as browsers read it (RFC 3986: a letter, then letters, digits, ``+ - .``).
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
#: Browsers drop tabs and newlines anywhere in a URL (``java\tscript:`` is ``javascript:``) ...
_DROPPED = re.compile(r"[\t\n\r]")
#: ... and control characters and spaces around it.
_AROUND = "".join(chr(code) for code in range(0x21))


def unsafe_scheme(url: str) -> str | None:
    """The scheme of *url* if it is not one an author's link may have, else ``None``.

    *url* is read the way a browser reads it, so ``" JavaScript:..."`` and ``"java\\nscript:..."``
    are both ``javascript``. A URL without a scheme (``../other/``, ``#part``, ``//host/x``) is
    relative, and safe.
    """
    cleaned = _DROPPED.sub("", url).strip(_AROUND)
    match = _SCHEME.match(cleaned)
    if match is None:
        return None
    scheme = match.group(1).lower()
    return None if scheme in SAFE_SCHEMES else scheme


def encode(uri: str) -> str:
    """*uri*, a link the site made to one of its pages, with every character that needs it
    percent-encoded (non-ASCII letters, spaces, ``:``...).

    ``/``, ``#`` and existing ``%XX`` escapes are kept, so an already encoded link is unchanged
    (folder names with ``%``, ``#`` or ``?`` are refused when the bundles are found).
    """
    return quote(uri, safe="/#%")

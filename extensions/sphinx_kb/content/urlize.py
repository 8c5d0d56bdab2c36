"""A post's addresses on the old Hugo site: Hugo's ``urlize`` and its permalink patterns.

Hugo published a post at an address made from a permalink pattern such as ``/p/:slug/``, where
``:slug`` is the front-matter ``slug`` or else the *title* made into a URL by Hugo's ``urlize``
(``Notes on Kimi-K2.5`` -> ``notes-on-kimi-k2.5``, ``YaRN学习笔记`` -> ``yarn学习笔记``). Links in
old notes point there, so the site must compute the same addresses, exactly.

:func:`urlize` follows Hugo's ``helpers.PathSpec.URLize``: ``paths.Sanitize`` (in
``common/paths/path.go``), then lower case. The result is returned decoded (Hugo percent-encodes
it when it writes the URL; :func:`address_key` decodes links before comparing).

:func:`expand` follows ``resources/page/permalinks.go`` for the tokens that make sense for one
post of a single section. This module knows nothing of Sphinx.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import unquote

#: Characters Hugo keeps besides letters, digits and marks (``isAllowedPathCharacter``).
_KEPT = frozenset("./\\_#+~-@")
#: Go's ``unicode.IsSpace``: Latin-1 spaces, then the White_Space property.
_GO_SPACES = frozenset("\t\n\v\f\r \x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000") | frozenset(
    chr(code) for code in range(0x2000, 0x200B)
)
_HEX = frozenset("0123456789abcdefABCDEF")

#: A token of a permalink pattern, as Hugo's ``attributeRegexp`` finds them (Go's ``\w`` is ASCII).
_TOKEN = re.compile(r":([0-9A-Za-z_]+)(\[.+?\])?")
#: The tokens :func:`expand` knows; Hugo's others need a section tree or a Go date layout.
TOKENS = frozenset(
    {
        "year",
        "month",
        "monthname",
        "day",
        "weekday",
        "weekdayname",
        "yearday",
        "section",
        "sections",
        "title",
        "slug",
        "slugorfilename",
        "filename",
        "contentbasename",
        "slugorcontentbasename",
    }
)
#: Hugo's escape for a literal colon in a pattern.
_ESCAPED_COLON = "\\:"
_PLACEHOLDER = "\x00"


def _allowed(text: str, index: int) -> bool:
    char = text[index]
    if char == " ":
        return False
    category = unicodedata.category(char)
    if category[0] in "LM" or category == "Nd" or char in _KEPT:
        return True
    # A percent-escape is kept as it is.
    return char == "%" and index + 2 < len(text) and text[index + 1] in _HEX and text[index + 2] in _HEX


def sanitize(text: str) -> str:
    """Hugo's ``paths.Sanitize``: keep letters, digits and marks of any script and ``./\\_#+~-@``;
    a run of spaces becomes one ``-`` (none at either end, none next to a ``-``); drop the rest."""
    target: list[str] = []
    prepend_hyphen = was_hyphen = False
    for index, char in enumerate(text):
        if _allowed(text, index):
            was_hyphen = char == "-"
            if prepend_hyphen:
                if not was_hyphen:
                    target.append("-")
                prepend_hyphen = False
            target.append(char)
        elif target and not was_hyphen and char in _GO_SPACES:
            prepend_hyphen = True
    return "".join(target)


def _go_lower(text: str) -> str:
    """Go's ``strings.ToLower``: one character for one (Python's ``'İ'.lower()`` has two)."""
    return "".join(lower if len(lower := char.lower()) == 1 else lower[0] for char in text)


def urlize(text: str) -> str:
    """Hugo's ``urlize`` of *text*, decoded: ``Notes on Kimi-K2.5`` -> ``notes-on-kimi-k2.5``."""
    return _go_lower(sanitize(text))


@dataclass(frozen=True)
class Page:
    """What a permalink pattern may use of a post."""

    title: str
    #: The bundle folder (Hugo's ``:contentbasename`` and ``:filename`` of a page bundle).
    folder: str
    #: The section: the posts folder's last name (``posts``), Hugo's first folder under ``content``.
    section: str
    #: The front-matter ``slug``, if any.
    slug: str | None = None
    date: dt.datetime | None = None


def check_pattern(pattern: str) -> None:
    """Raise ValueError if *pattern* has a token :func:`expand` does not know."""
    for match in _TOKEN.finditer(pattern.replace(_ESCAPED_COLON, _PLACEHOLDER)):
        if match[1] not in TOKENS or match[2]:
            known = ", ".join(f":{name}" for name in sorted(TOKENS))
            raise ValueError(f"{match[0]!r} in {pattern!r} is not a permalink token sphinx-kb knows ({known})")


def expand(pattern: str, page: Page) -> str | None:
    """The address *pattern* gives *page*, or ``None`` when it needs a date the page lacks."""
    values: dict[str, str] = {}
    for match in _TOKEN.finditer(pattern.replace(_ESCAPED_COLON, _PLACEHOLDER)):
        value = _token(match[1], page)
        if value is None:
            return None
        values[match[0]] = value
    result = _TOKEN.sub(lambda m: values[m[0]], pattern.replace(_ESCAPED_COLON, _PLACEHOLDER))
    return result.replace(_PLACEHOLDER, ":")


def _token(name: str, page: Page) -> str | None:
    slug = urlize(page.slug) if page.slug else None
    if name == "title":
        return urlize(page.title)
    if name == "slug":
        return slug or urlize(page.title)
    if name in {"filename", "contentbasename"}:
        return urlize(page.folder)
    if name in {"slugorfilename", "slugorcontentbasename"}:
        return slug or urlize(page.folder)
    if name in {"section", "sections"}:
        return page.section
    return _date_token(name, page.date)


#: Go's English names, whatever the build machine's locale.
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_WEEKDAYS = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")


def _date_token(name: str, date: dt.datetime | None) -> str | None:
    if date is None:
        return None
    values = {
        "year": str(date.year),
        "month": f"{date.month:02d}",
        "monthname": _MONTHS[date.month - 1],
        "day": f"{date.day:02d}",
        # Go counts weekdays from Sunday = 0.
        "weekday": str(date.isoweekday() % 7),
        "weekdayname": _WEEKDAYS[date.isoweekday() % 7],
        "yearday": str(date.timetuple().tm_yday),
    }
    return values.get(name)


def address_key(path: str) -> str:
    """The form in which two addresses of one page compare equal: decoded, case-folded, without
    ``index.html``, ``.html`` or outer slashes: ``/p/YaRN%E5%AD%A6/`` and ``/p/yarn学`` agree."""
    path = unquote(path.split("?", 1)[0].split("#", 1)[0]).strip("/")
    if path == "index.html" or path.endswith("/index.html"):
        path = path.removesuffix("index.html").rstrip("/")
    elif path.endswith((".html", ".htm")):
        path = path.rsplit(".", 1)[0]
    return "/" + path.casefold()

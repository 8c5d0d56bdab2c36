"""Which files a site may read and publish, and which folder names can be part of an address.

Nothing outside the site's source folder is read or published. A path is *inside* when the file
it finally names, every symbolic link followed, is in the source folder, itself resolved: so
``../../etc/passwd``, ``/../../etc/passwd`` and an ``article.md`` that is a link to
``/etc/passwd`` are all outside, while a link from one bundle to an image of another is not.

A slug (a bundle's folder name) becomes part of the page's address, written unencoded by Sphinx
(``posts/<slug>/``). A folder whose name holds a character that cannot appear unencoded in a URL
path is refused rather than published at an address its links would miss: ``#`` (starts a
fragment), ``?`` (starts a query), ``%`` (starts an escape), ``\\`` (browsers read it as ``/``)
and control characters.
"""

from __future__ import annotations

import glob
import os
import re
import unicodedata
from pathlib import Path

#: A reference that is a URL (``https:``, ``data:``, ``mailto:``...) or protocol-relative (``//``).
_URL = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*:|//)")

#: Characters a slug may not hold, with the reason shown to the author.
UNSAFE_IN_SLUG = {
    "#": "starts a fragment",
    "?": "starts a query",
    "%": "starts an escape",
    "\\": "reads as '/'",
}


def is_url(reference: str) -> bool:
    """Whether *reference* names a URL rather than a file of the site."""
    return bool(_URL.match(reference))


def is_inside(path: str | os.PathLike[str], root: str | os.PathLike[str]) -> bool:
    """Whether *path*, its symbolic links followed, is *root* or inside it (also resolved).

    Paths that do not exist are resolved as far as they exist, so a missing file in the site
    is inside and ``../../missing`` is not.
    """
    real_root = os.path.realpath(root)
    real_path = os.path.realpath(path)
    return real_path == real_root or real_path.startswith(real_root.rstrip(os.sep) + os.sep)


def outside_files(path: str | os.PathLike[str], root: str | os.PathLike[str]) -> bool:
    """Whether *path* (which may end in a ``*`` glob, as image paths may) names a file outside *root*."""
    text = os.fspath(path)
    if "*" not in text:
        return not is_inside(text, root)
    directory = Path(text).parent
    return not is_inside(directory, root) or any(not is_inside(match, root) for match in glob.glob(text))


def unsafe_slug_characters(slug: str) -> list[str]:
    """The characters of *slug* that cannot appear unencoded in an address, as the author reads them."""
    found: list[str] = []
    for char in slug:
        if char in UNSAFE_IN_SLUG or unicodedata.category(char) == "Cc":
            shown = repr(char)
            if shown not in found:
                found.append(shown)
    return found


#: How many files of a folder :func:`near_misses` looks at, at most (a bundle has a handful).
_NEAR_MISS_LIMIT = 2000


def near_misses(wanted: str | os.PathLike[str], folder: str | os.PathLike[str]) -> list[str]:
    """Files under *folder* that are probably the missing file *wanted* meant, best first.

    A file is a near miss if its path (from *folder*) differs from *wanted*'s only in case, by a
    doubled or missing extension (``x.png.png`` for ``x.png`` and the other way round), or by one or
    two letters. Paths are returned from *folder*, with ``/``. Links to files outside *folder*
    are not followed.
    """
    root = Path(folder)
    try:
        target = Path(wanted).relative_to(root).as_posix()
    except ValueError:
        return []
    scored: list[tuple[int, str]] = []
    for number, path in enumerate(p for p in root.rglob("*") if p.is_file() and not p.is_symlink()):
        if number >= _NEAR_MISS_LIMIT:
            break
        candidate = path.relative_to(root).as_posix()
        score = _miss_score(target, candidate)
        if score is not None:
            scored.append((score, candidate))
    return [candidate for _score, candidate in sorted(scored)]


def _miss_score(wanted: str, candidate: str) -> int | None:
    """How far *candidate* is from *wanted* (0: case only, 1: doubled extension, 2+: letters), or
    ``None`` if it is no near miss."""
    if candidate == wanted:
        return None
    folded_wanted, folded = wanted.casefold(), candidate.casefold()
    if folded == folded_wanted:
        return 0
    for longer, shorter in ((folded, folded_wanted), (folded_wanted, folded)):
        extension = os.path.splitext(shorter)[1]
        if extension and longer == shorter + extension:
            return 1
    distance = _edit_distance(folded_wanted, folded, limit=2)
    return None if distance is None else 1 + distance


def _edit_distance(a: str, b: str, limit: int) -> int | None:
    """The Levenshtein distance of *a* and *b* if it is at most *limit*, else ``None``."""
    if abs(len(a) - len(b)) > limit:
        return None
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i]
        for j, char_b in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        if min(current) > limit:
            return None
        previous = current
    return previous[-1] if previous[-1] <= limit else None

"""One spelling for each tag and category.

Authors write ``Tutorial`` in one post and ``tutorial`` in the next; both mean the same tag. Names
are matched case-insensitively and shown in the spelling used most often (on a tie, the one that
sorts first, so the choice never depends on the order posts are read in).
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable


def key(name: str) -> str:
    """The form under which two spellings of one name are equal."""
    return unicodedata.normalize("NFKC", name).casefold()


def canonical_names(names: Iterable[str]) -> dict[str, str]:
    """Map the :func:`key` of every name to its most used spelling."""
    counts = Counter(names)
    best: dict[str, str] = {}
    for name in sorted(counts, key=lambda n: (-counts[n], n)):
        best.setdefault(key(name), name)
    return best


def apply(spelling: dict[str, str], names: Iterable[str]) -> list[str]:
    """Return *names* in their canonical spelling, without repeats."""
    result: list[str] = []
    for name in names:
        canonical = spelling.get(key(name), name)
        if canonical not in result:
            result.append(canonical)
    return result

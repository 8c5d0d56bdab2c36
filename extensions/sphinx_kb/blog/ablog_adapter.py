"""Where we meet ablog, and the workarounds its known problems need.

ablog (https://github.com/sunpy/ablog) keeps the blog: posts, their catalogs (tags, categories,
authors, years), the archive pages and redirects. Three of its habits need care here:

- It compares post dates with a naive ``datetime.today()`` to tell drafts from posts, which fails
  on dates that carry an offset. Here :mod:`.bundles` decides what is published before ablog sees
  a post, so ablog's cut-off is moved to the end of time, in UTC.
- Its :class:`~ablog.blog.Blog` keeps one state for the whole process, filled on first use. A
  second build in the same process (tests, sphinx-autobuild) would see the first one's posts, so
  the state is dropped whenever posts may have changed.
- It registers the posts lazily, from whichever event first asks; :func:`blog` makes that
  explicit.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import ablog.blog
from ablog.blog import Blog
from ablog.post import register_posts

if TYPE_CHECKING:
    from sphinx.application import Sphinx

_END_OF_TIME = dt.datetime.max.replace(tzinfo=dt.UTC)


def make_dates_aware() -> None:
    """Let ablog compare the aware dates this extension gives it."""
    ablog.blog.TOMORROW = _END_OF_TIME
    ablog.blog.FUTURE = _END_OF_TIME


def reset() -> None:
    """Drop ablog's process-wide state; the next :func:`blog` call registers the posts anew."""
    Blog._dict.clear()


def blog(app: Sphinx) -> Blog:
    """ablog's blog for *app*, with every post registered."""
    current = Blog(app)
    if current.app is not app:
        reset()
        current = Blog(app)
    if not current:
        register_posts(app)
    return current

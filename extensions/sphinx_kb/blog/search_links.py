"""Links to the search page filtered by one tag, category or year.

Where the site has its search page (:mod:`..output.search`: HTML builders, ``kb_search`` on),
every tag chip and category link leads to the list of posts filtered by that name,
``search/?tag=<name>``, which can then be narrowed by text, more tags or a year. Elsewhere (other
builders, or ``kb_search = False``) :func:`search_url` gives ``None`` and callers link the
ablog archive page instead.

The parameter names (``q``, ``tag``, ``category``, ``year``, ``sort``) are the page's URL state,
read by ``static/kb-search.js``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlencode

from ..config import kb_config
from .domain import store

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: The document name of the search page.
SEARCH_PAGE = "search"

#: The builders that get the search page (Pagefind indexes a folder of HTML pages).
BUILDERS = frozenset({"html", "dirhtml"})

#: The catalog names of the store and ablog (``tags``) -> the URL parameter (``tag``).
PARAMETERS = {"tags": "tag", "categories": "category", "years": "year"}


def has_search_page(app: Sphinx) -> bool:
    """Whether this build writes the search page."""
    return app.builder.name in BUILDERS and kb_config(app).search


def search_url(app: Sphinx, pagename: str, kind: str, name: str) -> str | None:
    """The link from *pagename* to the search page filtered by *name*, a name of *kind*
    (``tags``, ``categories`` or ``years``); ``None`` where there is no search page."""
    if not has_search_page(app) or kind not in PARAMETERS:
        return None
    # Asked for every tag chip of every listed post on every listing: the link to the search
    # page is worked out once per page.
    pages = store(app.env).write_cache.setdefault("search_page_uri", {})
    page = pages.get(pagename)
    if page is None:
        page = pages[pagename] = app.builder.get_relative_uri(pagename, SEARCH_PAGE)
    return f"{page}?{urlencode({PARAMETERS[kind]: name})}"

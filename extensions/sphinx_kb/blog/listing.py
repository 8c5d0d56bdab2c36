"""The ``{posts}`` directive: a listing of posts, newest first.

.. code-block:: md

   ```{posts}
   :limit: 10
   :category: Machine Learning
   :tags: python, cuda
   :year: 2025
   ```

Each entry shows the category, the linked title, the date and the summary; the HTML comes from
the ``kb/post-list.html`` template, the same one the archive pages use. The posts come from
ablog's blog, so listings, archives and feeds always agree.

ablog does not know which pages show a listing, so an incremental build would leave them stale
(sunpy/ablog#316). :func:`pages_to_rewrite` compares what each post shows with the previous
build and rewrites the listings, and the neighbours (previous/next links) of every post that
changed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from ..content import taxonomy
from .posts import PostRecord, records
from .views import PostView, views

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


class posts_listing(nodes.General, nodes.Element):  # noqa: N801 (docutils naming)
    """A listing to fill in when the page is written, once all posts are known."""


def _names(argument: str) -> list[str]:
    return [name.strip() for name in argument.split(",") if name.strip()]


class PostsDirective(SphinxDirective):
    """List posts, optionally only those with some tags, a category or a year."""

    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {
        "limit": directives.positive_int,
        "tags": _names,
        "category": _names,
        "year": directives.positive_int,
    }

    def run(self) -> list[nodes.Node]:
        node = posts_listing()
        self.set_source_info(node)
        node["limit"] = self.options.get("limit")
        node["tags"] = self.options.get("tags", [])
        node["category"] = self.options.get("category", [])
        node["year"] = self.options.get("year")
        listing_pages(self.env).add(self.env.docname)
        return [node]


def listing_pages(env: BuildEnvironment) -> set[str]:
    """The documents that hold a ``{posts}`` listing."""
    return env.__dict__.setdefault("kb_listing_pages", set())


def select(posts: Iterable[PostView], node: posts_listing) -> list[PostView]:
    """The posts a listing shows, in order."""
    tags = {taxonomy.key(tag) for tag in node["tags"]}
    categories = {taxonomy.key(category) for category in node["category"]}
    chosen = [
        post
        for post in posts
        if (not tags or tags & {taxonomy.key(tag.name) for tag in post.tags})
        and (not categories or categories & {taxonomy.key(c.name) for c in post.categories})
        and (node["year"] is None or post.date.year == node["year"])
    ]
    return chosen[: node["limit"]]


def resolve(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: replace each listing by its posts."""
    for node in list(doctree.findall(posts_listing)):
        shown = select(views(app).posts(docname), node)
        if app.builder.format == "html":
            html = views(app).render("kb/post-list.html", posts=shown, heading=_heading(node))
            node.replace_self(nodes.raw("", html, format="html"))
            if any(post.has_math for post in shown):
                views(app).pages_with_math.add(docname)
        else:
            items = nodes.bullet_list()
            for post in shown:
                items += nodes.list_item("", nodes.paragraph("", post.title))
            node.replace_self(items)


def _heading(node: nodes.Node) -> str:
    """The heading element for post titles: one level below the section holding the listing."""
    depth = 0
    while node.parent is not None:
        node = node.parent
        depth += isinstance(node, nodes.section)
    return f"h{min(depth + 1, 6)}"


def purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    """``env-purge-doc``."""
    listing_pages(env).discard(docname)


def merge(app: Sphinx, env: BuildEnvironment, docnames: Iterable[str], other: BuildEnvironment) -> None:
    """``env-merge-info``."""
    listing_pages(env).update(listing_pages(other) & set(docnames))


def _categories(shown: dict[str, tuple[object, ...]]) -> set[object]:
    return {category for facts in shown.values() for category in facts[4]}


def _shown(record: PostRecord) -> tuple[object, ...]:
    """Everything about a post that other pages show."""
    return (
        record.title,
        record.date,
        record.updated,
        tuple(record.tags),
        tuple(record.categories),
        tuple(record.meta.authors),
        record.summary.astext() if record.summary is not None else None,
    )


def pages_to_rewrite(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-updated``: the pages that show a post whose shown facts changed since last build.

    Every page shows the categories in its sidebar, so a new or vanished category rewrites all.
    """
    now = {name: _shown(record) for name, record in records(env).items() if record.listed}
    before: dict[str, tuple[object, ...]] = env.__dict__.get("kb_shown", {})
    env.kb_shown = now
    changed = {name for name in now.keys() | before.keys() if now.get(name) != before.get(name)}
    if not changed:
        return []
    if _categories(now) != _categories(before):
        return sorted(env.found_docs)
    rewrite = set(listing_pages(env)) | (changed & now.keys())
    for shown in (before, now):
        order = sorted(shown, key=lambda name: (shown[name][1], shown[name][0]))
        for index, name in enumerate(order):
            if name in changed:
                rewrite.update(order[max(index - 1, 0) : index + 2])
    return sorted(rewrite & env.found_docs)

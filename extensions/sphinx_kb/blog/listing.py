"""The ``{posts}`` directive: a listing of posts, newest first.

.. code-block:: md

   ```{posts}
   :limit: 10
   :category: Machine Learning
   :tags: python, cuda
   :year: 2025
   ```

Each entry shows the category, the linked title, the date and the summary; the HTML comes from
the ``kb/post-list.html`` template, the same one the archive pages use; other builders (text,
LaTeX, EPUB...) get a bullet list of linked titles with their dates. The posts come from the store
(:mod:`.domain`), like those of the archives and feeds, so they always agree.

Sphinx does not know which pages show a listing, so an incremental build would leave them stale
(ablog has the same problem, sunpy/ablog#316). :func:`pages_to_rewrite` compares what each post
shows with the previous build and rewrites the listings, and the neighbours (previous/next links)
of every post that changed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import make_refnode

from ..config import kb_config
from ..content import taxonomy
from ..i18n import labels, page_language
from .domain import store
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
        store(self.env).listings[self.env.docname] = True
        return [node]


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
            language = page_language(app.env, docname)
            html = views(app).render("kb/post-list.html", language, posts=shown, heading=_heading(node))
            node.replace_self(nodes.raw("", html, format="html"))
            if any(post.has_math for post in shown):
                views(app).pages_with_math.add(docname)
        else:
            node.replace_self(_as_list(app, docname, shown))


def _as_list(app: Sphinx, docname: str, shown: list[PostView]) -> nodes.Element:
    """A listing for builders other than HTML: linked titles with their dates."""
    if not shown:
        return nodes.paragraph("", labels(page_language(app.env, docname))("No posts yet."))
    return post_items(app, docname, shown)


def post_items(app: Sphinx, docname: str, shown: list[PostView]) -> nodes.bullet_list:
    """Linked titles with their dates, as a bullet list (unlinked where the builder has no
    address for a post, as in a LaTeX document)."""
    items = nodes.bullet_list()
    date_format = kb_config(app).date_format
    for post in shown:
        title = nodes.inline("", post.title)
        paragraph = nodes.paragraph()
        paragraph += make_refnode(app.builder, docname, post.docname, "", title) if post.url else title
        paragraph += nodes.Text(f" ({post.date.strftime(date_format)})")
        items += nodes.list_item("", paragraph)
    return items


def _heading(node: nodes.Node) -> str:
    """The heading element for post titles: one level below the section holding the listing."""
    depth = 0
    while node.parent is not None:
        node = node.parent
        depth += isinstance(node, nodes.section)
    return f"h{min(depth + 1, 6)}"


def pages_to_rewrite(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-updated``: the pages that show a post whose shown facts changed since last build.

    Every page shows the categories in its sidebar, so a new or vanished category rewrites all.
    """
    before, now = store(env).remember_shown()
    changed = {name for name in now.keys() | before.keys() if now.get(name) != before.get(name)}
    if not changed:
        return []
    if _categories(now) != _categories(before):
        return sorted(env.found_docs)
    rewrite = set(store(env).listings) | (changed & now.keys())
    for shown in (before, now):
        order = sorted(shown, key=lambda name: (shown[name][1], shown[name][0]))
        for index, name in enumerate(order):
            if name in changed:
                rewrite.update(order[max(index - 1, 0) : index + 2])
    return sorted(rewrite & env.found_docs)


def _categories(shown: dict[str, tuple[object, ...]]) -> set[object]:
    return {category for facts in shown.values() for category in facts[4]}  # type: ignore[attr-defined]


def setup(app: Sphinx) -> None:
    """Register the ``{posts}`` directive and its resolution."""
    app.add_directive("posts", PostsDirective)
    app.add_node(posts_listing)
    # After posts.unify (400), which gives tags their spelling and ablog its posts.
    app.connect("env-updated", pages_to_rewrite, priority=500)
    app.connect("doctree-resolved", resolve)

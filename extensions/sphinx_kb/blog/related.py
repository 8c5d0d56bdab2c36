"""What a post shows of the posts around it: who refers to it, what is related, and previews.

- **Referenced by**: at the end of each post, the listed posts that link to it (the link graph
  of the store, :meth:`~.domain.KbDomain.backlinks`), newest first, each with its title, date
  and category.
- **Related posts**: after it, up to ``kb_related_posts`` (5) other listed posts, ranked by
  :func:`rank_related`: the most tags and categories in common first, newest first among ties;
  a post sharing none is not related.
- **Previews**: pointing at or focusing a link to a post shows its title, date, category and
  summary (``static/kb-previews.js``), from ``_static/kb-previews.json``, written with the site
  (:func:`write_previews`); nothing is asked of another site.

How, by build phase (the pattern of sphinx-design: generic nodes, HTML only when writing, so every
builder works):

1. Reading (:class:`PostLinksPlaceholders`, after :class:`.posts.PostTransform`): two
   :class:`post_links` placeholders close the post's top section.
2. After reading (:func:`pages_to_rewrite`, ``env-updated``): what each page shows of other posts
   (both lists, and whether a post it links to has math in its preview) is compared with the last
   build; pages where it changed are written again, so an ordinary rebuild after a post is
   renamed, re-tagged, added or deleted equals a clean one.
3. Writing (:func:`fill`, ``doctree-resolved``): HTML gets the ``kb/backlinks.html`` and
   ``kb/related.html`` templates, placed at the very end of the page (after the footnotes, which
   MyST-Parser puts after the top section); other builders get a titled section with a bullet list
   of the titles and dates. An empty list shows nothing.
4. ``build-finished``: :func:`write_previews` writes the previews' data.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform

from ..builders import web_pages
from ..config import kb_config
from ..content import taxonomy
from ..i18n import labels, page_language
from ..output import incremental
from .domain import PostRecord, store
from .listing import post_items
from .views import PostView, views

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

#: The two lists: kind -> (heading, template, id of the heading on HTML pages).
LISTS: dict[str, tuple[str, str, str]] = {
    "backlinks": ("Referenced by", "kb/backlinks.html", "kb-referenced-by"),
    "related": ("Related posts", "kb/related.html", "kb-related-posts"),
}
#: Where the previews' data is written, relative to the output folder.
PREVIEWS_PATH = "_static/kb-previews.json"
#: The key of the store's data holding what each page showed at the last build.
_STATE = "post_links_shown"
#: The hash of what the states of :data:`_STATE` were made from.
_INPUTS = "post_links_inputs"
#: The key of the store's data holding the lists made from them (:func:`_lists`).
_LISTS = "post_links_lists"


class post_links(nodes.General, nodes.Element):  # noqa: N801 (docutils naming)
    """Where a post lists other posts: ``kind`` is ``backlinks`` or ``related``, ``post`` the post
    (a LaTeX or man page holds many posts in one doctree). Filled in by :func:`fill`."""


class PostLinksPlaceholders(SphinxTransform):
    """Close each post's top section with the placeholders of its two lists."""

    # After PostTransform (795), which makes sure a post has a top section.
    default_priority = 796

    def apply(self, **kwargs: Any) -> None:
        if self.env.docname not in store(self.env).posts:
            return
        section = next(iter(self.document.findall(nodes.section)), None)
        if section is None:
            return
        for kind in LISTS:
            section += post_links(kind=kind, post=self.env.docname)


# What the lists hold --------------------------------------------------------------------------


def _facets(record: PostRecord) -> set[tuple[str, str]]:
    """The tags and categories of a post, compared as :func:`.taxonomy.key` compares them."""
    return {("tag", taxonomy.key(name)) for name in record.tags} | {
        ("category", taxonomy.key(name)) for name in record.categories
    }


def rank_related(posts: list[PostRecord], limit: int) -> dict[str, list[str]]:
    """The related posts of each of *posts* (listed, newest first), at most *limit* each.

    The rule: the others sharing at least one tag or category, by the number of tags plus the
    number of categories they share, most first; among equals, in the order of *posts* (newest
    first). A post is never related to itself.
    """
    order = {record.docname: index for index, record in enumerate(posts)}
    holders: dict[tuple[str, str], list[str]] = {}
    for record in posts:
        for facet in _facets(record):
            holders.setdefault(facet, []).append(record.docname)
    related: dict[str, list[str]] = {}
    for record in posts:
        shared = Counter(other for facet in _facets(record) for other in holders[facet] if other != record.docname)
        related[record.docname] = sorted(shared, key=lambda name: (-shared[name], order[name]))[:limit]
    return related


def _lists(env: BuildEnvironment) -> dict[str, dict[str, list[str]]]:
    """Both lists of every listed post (kind -> post -> posts), computed once per build.

    Kept with the store's write caches, which are emptied whenever posts may have changed; the
    link graph they use is complete from ``env-updated`` (450) on. :func:`pages_to_rewrite`
    puts the last build's lists there when nothing they are made of changed.
    """
    known = store(env)
    cache = known.write_cache
    if "post_links" not in cache:
        listed = known.listed()
        referring: dict[str, list[str]] = {}
        for record in listed:  # newest first, so each list is too
            for target in known.links.get(record.docname, []):
                referring.setdefault(target, []).append(record.docname)
        cache["post_links"] = {
            "backlinks": referring,
            "related": rank_related(listed, kb_config(env).related_posts),
        }
    return cache["post_links"]


def related_posts(env: BuildEnvironment, docname: str) -> list[PostRecord]:
    """The posts listed under "Related posts" on post *docname*."""
    known = store(env)
    return [known.posts[name] for name in _lists(env)["related"].get(docname, [])]


def referring_posts(env: BuildEnvironment, docname: str) -> list[PostRecord]:
    """The listed posts that link to *docname*, newest first: its "Referenced by" (the store's
    :meth:`~.domain.KbDomain.backlinks`, in the order of listings)."""
    known = store(env)
    return [known.posts[name] for name in _lists(env)["backlinks"].get(docname, [])]


def _shown_posts(env: BuildEnvironment, kind: str, docname: str) -> list[PostRecord]:
    record = store(env).posts.get(docname)
    if record is None or not record.listed:
        return []
    return referring_posts(env, docname) if kind == "backlinks" else related_posts(env, docname)


def _has_math(record: PostRecord) -> bool:
    return record.summary is not None and any(True for _ in record.summary.findall(nodes.math))


def _previewed(env: BuildEnvironment, docname: str) -> list[PostRecord]:
    """The posts whose preview page *docname* may show: those it links to and those its lists name."""
    known = store(env)
    linked = [known.posts[name] for name in known.links.get(docname, []) if name in known.posts]
    return linked + [record for kind in LISTS for record in _shown_posts(env, kind, docname)]


def _needs_math(env: BuildEnvironment, docname: str) -> bool:
    """Whether a preview shown on *docname* may hold math, so the page must load MathJax."""
    return kb_config(env).link_previews and any(
        _has_math(record) for record in _previewed(env, docname) if record.listed
    )


# Incremental builds ---------------------------------------------------------------------------


def _page_state(env: BuildEnvironment, docname: str) -> tuple[object, ...]:
    """What page *docname* shows of other posts: both lists, with what they show of each post,
    and whether it loads MathJax for previews."""

    def facts(records: list[PostRecord]) -> tuple[object, ...]:
        # The language too: a link to a post in another language carries hreflang.
        return tuple((r.docname, r.title, r.date, tuple(r.categories[:1]), r.language) for r in records)

    return (*(facts(_shown_posts(env, kind, docname)) for kind in LISTS), _needs_math(env, docname))


def _state_inputs(env: BuildEnvironment) -> str:
    """A hash of everything :func:`_page_state` reads: the settings, what every listed post shows
    (title, date, tags, categories, language: the store's record of this build), whether it has
    math, and the links between pages."""
    known = store(env)
    settings = kb_config(env)
    listed = sorted(known.data["shown"].items())
    maths = sorted(name for name, record in known.posts.items() if record.listed and _has_math(record))
    links = sorted((name, tuple(targets)) for name, targets in known.links.items())
    return incremental.fingerprint(settings.related_posts, settings.link_previews, listed, maths, links)


def pages_to_rewrite(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-updated``: the pages whose lists or previews differ from those of the last build.

    :func:`.links.update_graph` already rewrites the posts whose referring posts changed, and
    :func:`.listing.pages_to_rewrite` the posts whose own facts changed; neither knows that a post's
    related list changes when *another* post is re-tagged, or that its "Referenced by" shows the
    title of the referring post.
    """
    known = store(env)
    # The states are made of these alone: when they are what the last build had (nothing
    # changed, or only text no list shows), so are the states, and no page's are worked out.
    inputs = _state_inputs(env)
    if known.data.get(_INPUTS) == inputs and _STATE in known.data and _LISTS in known.data:
        # The lists too: ranking the related posts of every post is the dear part.
        known.write_cache["post_links"] = known.data[_LISTS]
        return []
    known.data[_INPUTS] = inputs
    pages = sorted((set(known.posts) | set(known.links)) & env.found_docs)
    before: dict[str, tuple[object, ...]] = known.data.get(_STATE, {})
    now = {name: _page_state(env, name) for name in pages}
    known.data[_STATE] = now
    known.data[_LISTS] = _lists(env)
    changed = {name for name in before.keys() | now.keys() if before.get(name) != now.get(name)}
    return sorted(changed & env.found_docs)


# Writing --------------------------------------------------------------------------------------


def _html_pages(app: Sphinx) -> bool:
    """Whether the builder writes web pages that run scripts (an EPUB keeps none)."""
    return web_pages(app.builder)


def fill(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: fill in the lists of each post on the page; mark pages whose previews
    may show math."""
    site = views(app)
    for node in list(doctree.findall(post_links)):
        kind, post = node["kind"], node["post"]
        shown = [site.post(record, docname) for record in _shown_posts(app.env, kind, post)]
        heading, template, anchor = LISTS[kind]
        language = page_language(app.env, docname)
        heading = labels(language)(heading)
        if not shown:
            node.parent.remove(node)
        elif app.builder.format == "html":
            page = _page_of(node)
            node.parent.remove(node)
            # The page's end, after the footnotes MyST-Parser puts after the top section.
            html = site.render(template, language, posts=shown, heading=heading, heading_id=anchor)
            page += nodes.raw("", html, format="html")
        else:
            node.replace_self(_as_section(app, docname, heading, anchor, shown))
    if _html_pages(app) and _needs_math(app.env, docname):
        # Sphinx loads MathJax only where its own math nodes are; previews are ours.
        site.pages_with_math.add(docname)


def _page_of(node: nodes.Element) -> nodes.Element:
    """The whole page holding *node*: its document, or its part of a single-page build."""
    page = node
    while page.parent is not None and not isinstance(page, addnodes.start_of_file):
        page = page.parent
    return page


def _as_section(app: Sphinx, docname: str, heading: str, anchor: str, shown: list[PostView]) -> nodes.section:
    """A list for builders other than HTML: a section of linked titles with their dates."""
    # Writers name a section by its id (LaTeX prefixes the page's name: unique in a whole book).
    section = nodes.section("", nodes.title("", heading), ids=[anchor], classes=["kb-post-links"])
    section += post_items(app, docname, shown)
    return section


# Previews -------------------------------------------------------------------------------------


def _previews_on(app: Sphinx) -> bool:
    # Only the builders whose pages link each other by address (not singlehtml's #document-x).
    return app.builder.name in {"html", "dirhtml"} and kb_config(app).link_previews


def add_preview_script(app: Sphinx) -> None:
    """``builder-inited``: pages load the previews' script when previews are on."""
    if _previews_on(app):
        app.add_js_file("kb-previews.js", loading_method="defer")


def site_url(app: Sphinx, docname: str) -> str:
    """The address of *docname* relative to the site's root, as the script compares them:
    ``posts/a/`` (dirhtml) or ``posts/a.html``, never ending in ``index.html``."""
    return app.builder.get_target_uri(docname).removesuffix("index.html")


def previews(app: Sphinx) -> dict[str, dict[str, object]]:
    """The preview of every listed post, by :func:`site_url`. The summary is HTML rendered from the
    author's text (escaped by docutils); the script inserts the rest as text."""
    site = views(app)
    date_format = kb_config(app).date_format
    data: dict[str, dict[str, object]] = {}
    for record in store(app.env).listed():
        post = site.post(record, record.docname)
        data[site_url(app, record.docname)] = {
            "title": post.title,
            "date": post.date.strftime(date_format),
            "datetime": post.date.isoformat(),
            "category": post.category.name if post.category else "",
            "summary": str(post.summary),
            "math": post.has_math,
        }
    return data


def write_previews(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: write the previews' data, unless no listed post shows anything else
    than at the last build (rendering 500 summaries was a fifth of a rebuild with nothing
    changed)."""
    if exception is not None or not _previews_on(app):
        return
    done, target = incremental.outputs(app), Path(app.outdir, PREVIEWS_PATH)
    if incremental.tracked(app):
        known = store(app.env)
        shown = [(record.docname, known.shown(record)) for record in known.listed_when_read()]
        if done.unchanged(PREVIEWS_PATH, target, incremental.fingerprint(incremental.config_state(app), shown)):
            return
    text = json.dumps({"version": 1, "posts": previews(app)}, ensure_ascii=False, sort_keys=True)
    # Left untouched when its bytes would not change.
    done.write(target, text.encode("utf-8"))


def setup(app: Sphinx) -> None:
    """Register the placeholders, their filling, the rewrites and the previews."""
    app.add_transform(PostLinksPlaceholders)
    app.add_node(post_links)
    # After links.update_graph (450), which builds the link graph, and listing (500).
    app.connect("env-updated", pages_to_rewrite, priority=550)
    app.connect("doctree-resolved", fill)
    app.connect("builder-inited", add_preview_script)
    app.connect("build-finished", write_previews)

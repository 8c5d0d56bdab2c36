"""Links between notes (issue 8, part A): every form real notes use reaches its post and anchor,
a link that leads nowhere is one located warning and is shown as marked text, old addresses get
redirect pages, and the link graph is right after incremental and parallel builds."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

import pytest

from conftest import BASE_CONF, INDEX, Site, built, post, write
from sphinx_kb.blog.links import name_key, wikilinks_to_markdown
from sphinx_kb.content.urlize import Page, address_key, expand, urlize

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinx.testing.util import SphinxTestApp

OLD = 'kb_old_urls = ["/p/:slug/"]\nkb_old_origins = ["https://old-site.example"]\n'


# Hugo's urlize and permalinks ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Notes on Kimi-K2.5", "notes-on-kimi-k2.5"),
        ("YaRN学习笔记", "yarn学习笔记"),
        ("C++ & Rust: a tour", "c++-rust-a-tour"),
        ("  spaces  around  ", "spaces-around"),
        ("a - b", "a-b"),
        ("a--b", "a--b"),
        ("Ünïcödé Tïtle", "ünïcödé-tïtle"),
        ("100% sure (really?)", "100-sure-really"),
        ("50%2F50 split", "50%2f50-split"),
        ("user@host #1 ~tilde", "user@host-#1-~tilde"),
        ("Tab\tand\u3000ideographic space", "tab-and-ideographic-space"),
    ],
)
def test_urlize_is_hugos(title: str, expected: str):
    assert urlize(title) == expected


def test_permalink_tokens():
    page = Page("YaRN学习笔记", folder="yarn", section="posts", date=dt.datetime(2024, 3, 5, 23, 0))
    assert expand("/p/:slug/", page) == "/p/yarn学习笔记/"
    assert expand("/:year/:month/:day/:contentbasename/", page) == "/2024/03/05/yarn/"
    assert expand("/:section/:filename.html", page) == "/posts/yarn.html"
    assert expand("/:monthname/:weekdayname/:yearday/", page) == "/March/Tuesday/65/"
    assert expand(r"/a\:b/:slugorcontentbasename/", Page("T", "f", "posts", slug="My Slug")) == "/a:b/my-slug/"
    assert expand("/:year/:slug/", Page("T", "f", "posts")) is None  # no date, no address
    assert address_key("/p/YaRN%E5%AD%A6/index.html") == address_key("/p/yarn学") == "/p/yarn学"


def test_wikilinks_become_markdown_links_outside_code_and_math():
    text = "[[CLA]] and [[Kaplan scaling law|the *law*]] and `[[code]]` and $[[1]]$ and ![[img.png]] [[x]](url)\n"
    assert wikilinks_to_markdown(text) == (
        "[CLA](kb-wiki:CLA) and [the \\*law\\*](kb-wiki:Kaplan%20scaling%20law) and `[[code]]` and $[[1]]$ "
        "and ![[img.png]] [[x]](url)\n"
    )
    assert wikilinks_to_markdown("[[Name#Heading]] [[#Local]]") == (
        "[Name \\> Heading](kb-wiki:Name#Heading) [Local](kb-wiki:#Local)"
    )
    assert name_key("Kaplan%20scaling_Law.md") == name_key("kaplan-scaling law") == "kaplan-scaling-law"


# Resolution ---------------------------------------------------------------------------------

KIMI = """\
## Bellman Equation

:::{prf:theorem} Optimality
:label: bellman-equation-theorem

A theorem.
:::

$$
\\begin{equation}\\label{eq-bellman} v = r + \\gamma P v \\end{equation}
$$

### Deep heading

Same post: [thm](#bellman-equation-theorem), [thm-obsidian](<#Bellman Equation Theorem>), [eq](#eq-bellman).
"""

LINKS = """\
## Old addresses

[abs](https://old-site.example/p/notes-on-kimi-k2.5/), [abs-cn](https://old-site.example/p/yarn%E5%AD%A6%E4%B9%A0%E7%AC%94%E8%AE%B0/#方差与外推),
[root](/p/yarn学习笔记/), [root-anchor](/p/notes-on-kimi-k2.5/#bellman-equation), [alias](/2019/old-scaling.html),
[new-abs](https://notes.example.org/posts/gshard/), [slugged](/p/switch/).

## Note names

[pct](Kaplan%20scaling%20law.md), [folder](03Area/LLM/GShard.md), [by-folder](kimi.md), [by-alias](CLA.md),
[[CLA]], [[Kaplan scaling law|the law]], [[YaRN学习笔记#方差与外推]], [[notes on kimi_k2.5#Bellman Equation]].

## Paths

[rel](../yarn/article.md), [rel-folder](../yarn/), [root-path](/posts/yarn/), {doc}`../yarn/article`, {ref}`yarn`,
[theorem](../kimi/article.md#bellman-equation-theorem), [equation](../kimi/article.md#eq-bellman),
[deep](../kimi/article.md#Deep%20heading), [github](../kimi/article.md#bellman-equation).

## Same page

[[#Same Page]], [hugo](#same-page), [obsidian](<#Same Page>).
"""


def _site_files() -> dict[str, str | bytes]:
    return {
        "posts/kimi/article.md": post("Notes on Kimi-K2.5", KIMI, date="2025-01-01"),
        "posts/yarn/article.md": post("YaRN学习笔记", "## 方差与外推\n\nText.\n", date="2025-01-02"),
        "posts/scaling/article.md": post(
            "Kaplan Scaling Law", "Text.\n", date="2025-01-03", aliases="[CLA, /2019/old-scaling.html]"
        ),
        "posts/gshard/article.md": post("GShard", "Text.\n", date="2025-01-04"),
        "posts/switch/article.md": post("Switch Transformer", "Text.\n", date="2025-01-05", slug="switch"),
        "posts/links/article.md": post("Links", LINKS, date="2025-01-06"),
    }


def _links(site: Site, page: str) -> dict[str, str]:
    """Link text -> href of every link in the page's article (the text of wikilinks included)."""
    return {a.get_text(): a["href"] for a in site.article(page).select("a.reference") if a.get("href")}


def _lands(site: Site, page: str, href: str) -> tuple[str, str]:
    """The page *href* leads to from *page*, and the text of the element its fragment names."""
    target = site.resolve(page, href)
    landed = target.parent.relative_to(site.outdir).as_posix()
    fragment = unquote(urlsplit(href).fragment)
    if not fragment:
        return landed, ""
    element = site.html(landed).find(id=fragment)
    assert element is not None, f"{href}: no id {fragment!r} in {landed}"
    heading = element.find(re.compile("^h[1-6]$")) if element.name == "section" else None
    shown = heading or element
    for mark in shown.select("a.headerlink"):
        mark.decompose()
    return landed, shown.get_text(" ", strip=True)


def test_every_link_form_reaches_its_post_and_anchor(build: Callable[..., Site]):
    site = build(_site_files(), conf=OLD)
    assert site.warnings == ""
    links = _links(site, "posts/links")
    expected = {
        "abs": ("posts/kimi", ""),
        "abs-cn": ("posts/yarn", "方差与外推"),
        "root": ("posts/yarn", ""),
        "root-anchor": ("posts/kimi", "Bellman Equation"),
        "alias": ("posts/scaling", ""),
        "new-abs": ("posts/gshard", ""),
        "slugged": ("posts/switch", ""),
        "pct": ("posts/scaling", ""),
        "folder": ("posts/gshard", ""),
        "by-folder": ("posts/kimi", ""),
        "by-alias": ("posts/scaling", ""),
        "CLA": ("posts/scaling", ""),
        "the law": ("posts/scaling", ""),
        "YaRN学习笔记 > 方差与外推": ("posts/yarn", "方差与外推"),
        "notes on kimi_k2.5 > Bellman Equation": ("posts/kimi", "Bellman Equation"),
        "rel": ("posts/yarn", ""),
        "rel-folder": ("posts/yarn", ""),
        "root-path": ("posts/yarn", ""),
        "YaRN学习笔记": ("posts/yarn", ""),  # {doc} and {ref} both show the title
        "deep": ("posts/kimi", "Deep heading"),
        "github": ("posts/kimi", "Bellman Equation"),
        "Same Page": ("posts/links", "Same page"),
        "hugo": ("posts/links", "Same page"),
        "obsidian": ("posts/links", "Same page"),
    }
    for text, (page, heading) in expected.items():
        assert text in links, text
        landed, shown = _lands(site, "posts/links", links[text])
        assert (landed, shown) == (page, heading), text
    # A theorem and an equation of another post.
    landed, shown = _lands(site, "posts/links", links["theorem"])
    assert landed == "posts/kimi"
    assert "Optimality" in shown
    landed, shown = _lands(site, "posts/links", links["equation"])
    assert landed == "posts/kimi"
    assert "gamma" in shown or "v = r" in shown
    # The same, from inside the post.
    own = _links(site, "posts/kimi")
    for text in ("thm", "thm-obsidian"):
        assert _lands(site, "posts/kimi", own[text])[0] == "posts/kimi"
        assert "Optimality" in _lands(site, "posts/kimi", own[text])[1], text
    assert "v = r" in _lands(site, "posts/kimi", own["eq"])[1] or "gamma" in _lands(site, "posts/kimi", own["eq"])[1]
    # The graph: which post links to which.
    store = site.app.env.domains["kb"]
    assert store.links["posts/links"] == ["posts/gshard", "posts/kimi", "posts/scaling", "posts/switch", "posts/yarn"]
    assert store.backlinks("posts/yarn") == ["posts/links"]
    assert store.backlinks("posts/links") == []


def test_links_in_mdx_articles_and_chapters(build: Callable[..., Site]):
    files = {
        "posts/yarn/article.md": post("YaRN学习笔记", "## 方差与外推\n\nText.\n", date="2025-01-02"),
        "posts/mdx/article.mdx": (
            "---\ntitle: An MDX note\npublished: 2025-02-01\n---\n\n"
            "import Part from './chapters/part.mdx'\n\nSee [[YaRN学习笔记]].\n\n<Part />\n"
        ),
        "posts/mdx/chapters/part.mdx": "## A chapter\n\nAlso [old](/p/yarn学习笔记/#方差与外推) and [[Nowhere]].\n",
    }
    site = build(files, conf=OLD)
    links = _links(site, "posts/mdx")
    assert _lands(site, "posts/mdx", links["YaRN学习笔记"]) == ("posts/yarn", "")
    assert _lands(site, "posts/mdx", links["old"]) == ("posts/yarn", "方差与外推")
    part = site.srcdir / "posts/mdx/chapters/part.mdx"
    assert site.warnings.strip() == (
        f"{part}:3: WARNING: link '[[Nowhere]]' names no post of the site; it is shown as text [kb.link_unpublished]"
    )


# Broken links ---------------------------------------------------------------------------------

BROKEN = """\
## Broken

[gone](/p/kaplan-scaling-laws/) and [note](Kaplan%20scaling%20laws.md).

[[Never Published]] and [[Kaplan Scaling|text]] and [anchor](#no-such-place).

[far](../yarn/article.md#no-such-heading) and [elsewhere](https://example.com/p/x/).
"""


def test_broken_links_are_one_warning_each_and_shown_as_marked_text(build: Callable[..., Site]):
    files = _site_files()
    files["posts/broken/article.md"] = post("Broken", BROKEN, date="2025-01-07")
    site = build(files, conf=OLD)
    path = site.srcdir / "posts/broken/article.md"
    close = "(did you mean 'Kaplan Scaling Law' (posts/scaling)?)"
    assert site.warnings.splitlines() == [
        f"{path}:8: WARNING: link '/p/kaplan-scaling-laws/' leads to no page of the site {close}; it is shown "
        "as text [kb.link]",
        f"{path}:8: WARNING: link 'Kaplan scaling laws.md' names no post of the site {close}; it is shown as text "
        "[kb.link_unpublished]",
        f"{path}:10: WARNING: link '[[Never Published]]' names no post of the site; it is shown as text "
        "[kb.link_unpublished]",
        f"{path}:10: WARNING: link '[[Kaplan Scaling]]' names no post of the site {close}; it is shown as text "
        "[kb.link_unpublished]",
        f"{path}:10: WARNING: link '#no-such-place': no heading, label or equation 'no-such-place' on this page; "
        "it is shown as text [kb.link]",
        f"{path}:12: WARNING: link 'posts/yarn#no-such-heading': posts/yarn has no heading, label or equation "
        "'no-such-heading'; the link goes to the top of the page [kb.link]",
    ]
    article = site.article("posts/broken")
    marked = {span.get_text(): span["title"] for span in article.select("span.kb-broken-link")}
    assert marked == {
        "gone": "Broken link: /p/kaplan-scaling-laws/",
        "note": "Broken link: Kaplan scaling laws.md",
        "Never Published": "Broken link: [[Never Published]]",
        "text": "Broken link: [[Kaplan Scaling]]",
        "anchor": "Broken link: #no-such-place",
    }
    # Never a dead link: no <a> around or for them; the far link still reaches its post.
    assert not [a for a in article.find_all("a") if a.find("span", class_="kb-broken-link")]
    links = _links(site, "posts/broken")
    assert set(links) == {"far", "elsewhere"}
    assert _lands(site, "posts/broken", links["far"]) == ("posts/yarn", "")
    assert links["elsewhere"] == "https://example.com/p/x/"


def test_links_to_unpublished_notes_can_be_silenced_alone(build: Callable[..., Site]):
    files = {
        "posts/a/article.md": post(
            "A", "[[Private note]] and [draft](../draft/article.md) and [x](/p/nope/).\n", date="2025-01-01"
        ),
        "posts/draft/article.md": post("Draft", "Secret.\n", date="2025-01-01", draft="true"),
    }
    site = build(files, conf=OLD + 'suppress_warnings = ["kb.link_unpublished"]\n')
    path = site.srcdir / "posts/a/article.md"
    assert site.warnings.splitlines() == [
        f"{path}:6: WARNING: link '/p/nope/' leads to no page of the site; it is shown as text [kb.link]"
    ]
    # The draft's source is not published as a download.
    assert not list(site.outdir.rglob("_downloads/**/*.md"))
    assert [s.get_text() for s in site.article("posts/a").select(".kb-broken-link")] == ["Private note", "draft", "x"]


# Redirects ------------------------------------------------------------------------------------


def test_every_old_address_gets_a_redirect_page(build: Callable[..., Site]):
    site = build(_site_files(), conf=OLD)
    for address, page in [
        ("p/yarn学习笔记", "posts/yarn"),
        ("p/notes-on-kimi-k2.5", "posts/kimi"),
        ("p/switch", "posts/switch"),  # the front-matter slug
        ("2019/old-scaling.html", "posts/scaling"),  # an alias, as before
    ]:
        path = site.outdir / address if address.endswith(".html") else site.outdir / address / "index.html"
        html = path.read_text(encoding="utf-8")
        url = re.search(r'http-equiv="refresh" content="0; url=([^"]+)"', html)
        assert url is not None, address
        assert (path.parent / url[1]).resolve() == (site.outdir / page).resolve(), address


# Incremental and parallel builds -------------------------------------------------------------

REFERRER = """\
[t](/p/old-title/) and [[Old Title]] and [n](/p/newcomer/) and [[Newcomer]] and [g](/p/goner/) and [[Goner]] and
[s](/p/first-slug/).
"""


def _graph_site() -> dict[str, str | bytes]:
    return {
        "conf.py": BASE_CONF + OLD,
        "index.md": INDEX,
        # Far from the edited posts in time: not their neighbours, which are written again anyway.
        "posts/referrer/article.md": post("Referrer", REFERRER, date="2020-01-01"),
        "posts/filler-1/article.md": post("Filler one", "Text.\n", date="2021-01-01"),
        "posts/filler-2/article.md": post("Filler two", "Text.\n", date="2022-01-01"),
        "posts/renamed/article.md": post("Old Title", "Text.\n", date="2025-01-02"),
        "posts/goner/article.md": post("Goner", "Text.\n", date="2025-01-03"),
        "posts/slugged/article.md": post("Slugged", "Text.\n", date="2025-01-04", slug="first-slug"),
        "posts/other/article.md": post("Other", "[[Referrer]] and [[Goner]].\n", date="2019-01-05"),
    }


def _edit(files: dict[str, str | bytes]) -> dict[str, str | bytes]:
    """Rename a post, change an old address, add a post and delete one."""
    edited = {name: text for name, text in files.items() if not name.startswith("posts/goner/")}
    edited["posts/renamed/article.md"] = post("New Title", "Text.\n", date="2025-01-02")
    edited["posts/slugged/article.md"] = post("Slugged", "Text.\n", date="2025-01-04", slug="second-slug")
    edited["posts/newcomer/article.md"] = post("Newcomer", "Text.\n", date="2025-01-06")
    return edited


def _shown(site: Site, page: str) -> tuple[list[tuple[str, str]], list[str]]:
    article = site.article(page)
    links = [(a.get_text(), a["href"]) for a in article.select("a.reference")]
    broken = [span.get_text() for span in article.select(".kb-broken-link")]
    return links, broken


def test_an_ordinary_rebuild_after_renames_additions_and_deletions_equals_a_clean_build(
    tmp_path: Path, make_app: Callable[..., SphinxTestApp]
):
    files = _graph_site()
    write(tmp_path / "src", files)
    app = make_app("dirhtml", srcdir=tmp_path / "src")
    app.build()
    site = Site(app)
    assert _shown(site, "posts/referrer")[1] == ["n", "Newcomer"]
    before = site.app.env.domains["kb"]
    assert before.backlinks("posts/goner") == ["posts/other", "posts/referrer"]

    edited = _edit(files)
    for path in sorted((tmp_path / "src/posts/goner").iterdir()):
        path.unlink()
    (tmp_path / "src/posts/goner").rmdir()
    edited_files = {name: text for name, text in edited.items() if name.startswith("posts/")}
    write(
        tmp_path / "src",
        {k: v for k, v in edited_files.items() if k.startswith(("posts/renamed", "posts/slugged", "posts/newcomer"))},
    )
    # Redirects to the first slug, written by the first build, go stale (kept, like any old file).
    site.rebuild()
    app.cleanup()

    write(tmp_path / "clean", edited)
    clean = built(make_app, tmp_path / "clean")

    for page in ("posts/referrer", "posts/other", "posts/renamed", "posts/newcomer"):
        assert _shown(site, page) == _shown(clean, page), page
    assert _shown(site, "posts/referrer")[1] == ["t", "Old Title", "g", "Goner", "s"]
    store, clean_store = site.app.env.domains["kb"], clean.app.env.domains["kb"]
    assert store.links == clean_store.links
    for docname in clean_store.posts:
        assert store.backlinks(docname) == clean_store.backlinks(docname), docname
    assert store.backlinks("posts/newcomer") == ["posts/referrer"]
    assert (site.outdir / "p/second-slug/index.html").is_file()
    assert (site.outdir / "p/new-title/index.html").is_file()


def test_the_link_graph_is_the_same_after_parallel_reading(tmp_path: Path, make_app: Callable[..., SphinxTestApp]):
    files: dict[str, str | bytes] = {"conf.py": BASE_CONF + OLD, "index.md": INDEX}
    for n in range(10):
        body = f"[[Note {(n + 1) % 10}]] and [old](/p/note-{(n + 3) % 10}/) and [rel](../note-{(n * 7) % 10}/).\n"
        files[f"posts/note-{n}/article.md"] = post(f"Note {n}", body, date=f"2025-01-{n + 1:02d}")
    write(tmp_path / "serial", files)
    write(tmp_path / "parallel", files)
    graphs = []
    for name, parallel in (("serial", 0), ("parallel", 2)):
        app = make_app("dirhtml", srcdir=tmp_path / name, parallel=parallel)
        app.build()
        assert Site(app).warnings == ""
        store = app.env.domains["kb"]
        graphs.append((store.links, {doc: store.backlinks(doc) for doc in store.posts}, store.link_keys))
        app.cleanup()
    assert graphs[0] == graphs[1]
    assert graphs[0][1]["posts/note-1"] == ["posts/note-0", "posts/note-3", "posts/note-8"]

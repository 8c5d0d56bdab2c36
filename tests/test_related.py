"""What a post shows of the posts around it: "Referenced by", "Related posts" and link previews,
in every builder, after incremental builds, and in a real browser."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from test_browser import opened

from conftest import BASE_CONF, INDEX, Site, browser_test, built, post, served, write
from sphinx_kb.blog.domain import PostRecord
from sphinx_kb.blog.related import rank_related
from sphinx_kb.content.frontmatter import FrontMatter

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinx.testing.util import SphinxTestApp


def _lists(site: Site, page: str) -> dict[str, list[tuple[str, str, str, str]]]:
    """The lists closing *page*: heading -> (title, page linked to, date, category) of each entry."""
    found = {}
    for section in site.article(page).select("section.kb-post-links"):
        entries = []
        for item in section.select("li"):
            link = item.select_one("a.kb-post-card-title")
            category = item.select_one(".kb-category")
            target = site.resolve(page, link["href"]).parent.relative_to(site.outdir).as_posix()
            entries.append((link.get_text(), target, item.time.get_text(), category.get_text() if category else ""))
        found[section.h2.get_text()] = entries
    return found


def _titles(site: Site, page: str, heading: str) -> list[str]:
    return [title for title, *_ in _lists(site, page).get(heading, [])]


# Referenced by -------------------------------------------------------------------------------

TARGET = """\
The target.[^1] It links to [itself](../target/).

[^1]: A footnote.
"""


def test_referenced_by_lists_the_referring_posts_newest_first(build: Callable[..., Site]):
    site = build(
        {
            "posts/target/article.md": post("Target", TARGET, date="2024-06-01", category="Notes"),
            "posts/early/article.md": post("Early", "See [[Target]].\n", date="2025-01-01", category="Old"),
            "posts/late/article.md": post("Late", "See [t](../target/article.md).\n", date="2025-03-01"),
            "posts/twice/article.md": post(
                "<b>Bold</b> & co", "[[Target]] and [again](/posts/target/).\n", date="2025-02-01", category="Notes"
            ),
            "posts/draft/article.md": post("Draft", "[[Target]].\n", date="2025-04-01", draft="true"),
            "posts/alone/article.md": post("Alone", "Nobody links here.\n", date="2025-05-01"),
            "guide.md": "---\norphan: true\n---\n# Guide\n\nA page, not a post: [target](posts/target/article.md).\n",
        }
    )
    assert site.warnings == ""
    lists = _lists(site, "posts/target")
    # Newest first; each once; not the drafts, not pages that are not posts, not the post itself.
    assert lists["Referenced by"] == [
        ("Late", "posts/late", "2025-03-01", ""),
        ("<b>Bold</b> & co", "posts/twice", "2025-02-01", "Notes"),
        ("Early", "posts/early", "2025-01-01", "Old"),
    ]
    # A title is text: the author's markup is shown, never made an element.
    assert site.article("posts/target").select_one("section.kb-backlinks b") is None
    # The lists close the page, after the footnotes.
    article = site.article("posts/target")
    body = article.select_one("[data-pagefind-body]") or article  # the part the search indexes
    last = [child for child in body.children if getattr(child, "name", None)][-3:]
    assert [child.get("class") for child in last] == [
        ["footnote-list", "brackets"],
        ["kb-post-links", "kb-backlinks"],
        ["kb-post-links", "kb-related"],
    ]
    assert "Referenced by" not in _lists(site, "posts/alone")
    assert _titles(site, "posts/early", "Referenced by") == []


# Related posts -------------------------------------------------------------------------------

#: (folder, date, tags, category) of posts around "p" (tags x, y; category C).
RELATED = [
    ("p", "2025-01-10", "[x, y]", "C"),
    ("three", "2024-01-01", "[X, y]", "C"),  # 3 in common (tags compare in any case)
    ("two-old", "2025-01-01", "[x]", "C"),  # 2
    ("two-new", "2025-01-05", "[y]", "c"),  # 2, newer
    ("one-newest", "2025-02-01", "[x, other]", "D"),  # 1
    ("one-old", "2023-01-01", "[]", "C"),  # 1
    ("one-oldest", "2022-01-01", "[y]", "D"),  # 1, the sixth: past the limit
    ("none", "2025-03-01", "[other]", "D"),  # 0: never related
]


def _related_site() -> dict[str, str | bytes]:
    return {
        f"posts/{name}/article.md": post(name, "Text.\n", date=date, tags=tags, category=category)
        for name, date, tags, category in RELATED
    }


def test_related_posts_share_the_most_tags_and_categories_newest_first_among_equals(build: Callable[..., Site]):
    site = build(_related_site())
    assert site.warnings == ""
    assert _titles(site, "posts/p", "Related posts") == ["three", "two-new", "two-old", "one-newest", "one-old"]
    assert _lists(site, "posts/p")["Related posts"][0] == ("three", "posts/three", "2024-01-01", "C")
    assert _titles(site, "posts/none", "Related posts") == ["one-newest", "one-oldest"]


def test_the_number_of_related_posts_is_a_setting(build: Callable[..., Site]):
    site = build(_related_site(), conf="kb_related_posts = 2\n")
    assert _titles(site, "posts/p", "Related posts") == ["three", "two-new"]


def test_no_related_posts_with_zero(build: Callable[..., Site]):
    site = build(_related_site(), conf="kb_related_posts = 0\n")
    assert site.warnings == ""
    assert site.article("posts/p").select("section.kb-related") == []


def _record(name: str, date: str, tags: list[str], categories: list[str]) -> PostRecord:
    import datetime as dt

    meta = FrontMatter(title=name, date=dt.datetime.fromisoformat(date + "T00:00:00+00:00"))
    return PostRecord(f"posts/{name}", name, meta, name, True, None, tags, categories)


def test_rank_related_counts_tags_and_categories_alike():
    # Newest first, as the store lists them.
    posts = [
        _record("a", "2025-03-01", ["t"], ["c"]),
        _record("b", "2025-02-01", ["t", "u"], []),
        _record("c", "2025-01-01", [], ["c"]),
        _record("d", "2024-01-01", ["t", "u"], ["c"]),
    ]
    ranked = rank_related(posts, 5)
    assert ranked["posts/d"] == ["posts/a", "posts/b", "posts/c"]  # 2, 2 (newest first), 1
    assert ranked["posts/c"] == ["posts/a", "posts/d"]
    assert rank_related(posts, 1)["posts/d"] == ["posts/a"]


# Other builders -------------------------------------------------------------------------------

BUILDER_INDEX = """\
# Home

```{toctree}
posts/a
posts/b
```
"""


@pytest.mark.parametrize("buildername", ["text", "latex", "epub", "man"])
def test_lists_in_other_builders(build: Callable[..., Site], buildername: str):
    """Builders other than HTML get each list as a section of titles with their dates."""
    files = {
        "index.md": BUILDER_INDEX,
        "posts/a/article.md": post("First post", "Text.\n", date="2025-01-01", tags="[x]"),
        "posts/b/article.md": post("Second post", "See [[First post]].\n", date="2025-02-01", tags="[x]"),
    }
    conf = 'version = release = "1.0"\ncopyright = "2026, Test Author"\n'
    site = build(files, conf=conf, buildername=buildername)
    assert site.warnings == ""
    if buildername == "text":
        text = " ".join((site.outdir / "posts/a.txt").read_text(encoding="utf-8").split())
        assert "Referenced by ============= * Second post (2025-02-01)" in text
        assert "Related posts ============= * Second post (2025-02-01)" in text
    elif buildername == "latex":
        (tex_file,) = site.outdir.glob("*.tex")
        tex = tex_file.read_text(encoding="utf-8")
        assert re.search(r"\\section\{Referenced by\}.*?\\item.*?Second post", tex, re.DOTALL)
        assert r"\section{Related posts}" in tex
    elif buildername == "epub":
        import zipfile

        (book,) = site.outdir.glob("*.epub")
        with zipfile.ZipFile(book) as archive:
            page = archive.read("posts/a.xhtml").decode()
            assert not any(name.endswith("kb-previews.json") for name in archive.namelist())
        assert "Referenced by" in page and "Second post" in page
    else:
        (man,) = Path(site.outdir).rglob("*.1")
        text = man.read_text(encoding="utf-8")
        assert "Referenced by" in text and "Second post" in text


# Incremental builds --------------------------------------------------------------------------


def _incremental_site() -> dict[str, str | bytes]:
    """Posts far apart in time from those edited, so no other rule writes them again."""
    return {
        "conf.py": BASE_CONF,
        "index.md": INDEX,
        "posts/anchor/article.md": post("Anchor", "Text.\n", date="2020-01-01", tags="[alpha]", category="Cat"),
        "posts/filler-1/article.md": post(
            "Filler one", "See [the retagged post](../retag/).\n", date="2021-01-01", tags="[alpha]", category="Cat"
        ),
        "posts/filler-2/article.md": post("Filler two", "Text.\n", date="2022-01-01", tags="[other]"),
        "posts/ref/article.md": post("Ref title", "[[Anchor]], [[Filler one]], [[Goner]].\n", date="2025-01-01"),
        "posts/retag/article.md": post("Retag", "Plain.\n", date="2025-01-02", tags="[alpha]", category="Cat"),
        "posts/goner/article.md": post("Goner", "[[Anchor]].\n", date="2025-01-03", tags="[alpha]"),
    }


def _edit(files: dict[str, str | bytes]) -> dict[str, str | bytes]:
    """Rename a referring post, re-tag another (its summary gains math), delete one, add one."""
    edited = {name: text for name, text in files.items() if not name.startswith("posts/goner/")}
    edited["posts/ref/article.md"] = post("Ref renamed", "[[Anchor]], [[Filler one]].\n", date="2025-01-01")
    edited["posts/retag/article.md"] = post("Retag", "Now $x^2$.\n", date="2025-01-02", tags="[beta]")
    edited["posts/newcomer/article.md"] = post(
        "Newcomer", "[[Anchor]].\n", date="2025-01-04", tags="[alpha]", category="Cat"
    )
    return edited


def _seen(site: Site, page: str) -> tuple[object, ...]:
    """What a reader sees of other posts on *page*: both lists, and whether MathJax is loaded."""
    mathjax = site.html(page).find("script", src=re.compile("mathjax")) is not None
    return _lists(site, page), mathjax


def test_an_ordinary_rebuild_shows_the_lists_of_a_clean_build(tmp_path: Path, make_app: Callable[..., SphinxTestApp]):
    files = _incremental_site()
    write(tmp_path / "src", files)
    app = make_app("dirhtml", srcdir=tmp_path / "src")
    app.build()
    site = Site(app)
    assert _lists(site, "posts/filler-1") == {
        "Referenced by": [("Ref title", "posts/ref", "2025-01-01", "")],
        "Related posts": [
            ("Retag", "posts/retag", "2025-01-02", "Cat"),
            ("Anchor", "posts/anchor", "2020-01-01", "Cat"),
            ("Goner", "posts/goner", "2025-01-03", ""),
        ],
    }
    before = {page: _seen(site, page) for page in ("posts/anchor", "posts/filler-1")}
    assert before["posts/filler-1"][1] is False  # no math anywhere yet

    edited = _edit(files)
    for path in sorted((tmp_path / "src/posts/goner").iterdir()):
        path.unlink()
    (tmp_path / "src/posts/goner").rmdir()
    write(tmp_path / "src", {name: edited[name] for name in edited if name.startswith(("posts/ref/", "posts/re"))})
    write(tmp_path / "src", {"posts/newcomer/article.md": edited["posts/newcomer/article.md"]})
    site.rebuild()
    assert site.warnings == ""
    app.cleanup()

    write(tmp_path / "clean", edited)
    clean = built(make_app, tmp_path / "clean")

    pages = sorted(name.removesuffix("/article.md") for name in edited if name.endswith("/article.md"))
    for page in pages:
        assert _seen(site, page) == _seen(clean, page), page
    # The pages no other rule writes again did change: the test compares something.
    after = {page: _seen(site, page) for page in before}
    assert after != before
    assert _lists(site, "posts/filler-1") == {
        "Referenced by": [("Ref renamed", "posts/ref", "2025-01-01", "")],
        "Related posts": [
            ("Newcomer", "posts/newcomer", "2025-01-04", "Cat"),
            ("Anchor", "posts/anchor", "2020-01-01", "Cat"),
        ],
    }
    assert _titles(site, "posts/anchor", "Referenced by") == ["Newcomer", "Ref renamed"]
    # filler-1 links to a post whose summary now has math: it loads MathJax for the preview.
    assert after["posts/filler-1"][1] is True


# Previews: the data --------------------------------------------------------------------------

PREVIEW_FILES: dict[str, str | bytes] = {
    "posts/maths/article.md": post(
        "Maths <i>&</i> more", "Loss $L = x^2$ is small.\n", date="2025-12-11", category="Maths"
    ),
    "posts/plain/article.md": post("Plain", "Just text.\n", date="2025-12-10"),
    "posts/linking/article.md": post(
        "Linking", "See [the maths post](../maths/) and then [the plain post](../plain/).\n", date="2025-12-12"
    ),
    "posts/only-plain/article.md": post("Only plain", "See [[Plain]].\n", date="2025-12-09"),
    "posts/draft/article.md": post("Draft", "Text.\n", date="2025-12-13", draft="true"),
}


def _previews(site: Site) -> dict[str, dict[str, object]]:
    data = json.loads((site.outdir / "_static/kb-previews.json").read_text(encoding="utf-8"))
    assert data["version"] == 1
    return data["posts"]


def test_preview_data_is_built_with_the_site(build: Callable[..., Site]):
    site = build(PREVIEW_FILES)
    assert site.warnings == ""
    posts = _previews(site)
    assert sorted(posts) == ["posts/linking/", "posts/maths/", "posts/only-plain/", "posts/plain/"]
    maths = posts["posts/maths/"]
    assert (maths["title"], maths["date"], maths["category"], maths["math"]) == (
        "Maths <i>&</i> more",
        "2025-12-11",
        "Maths",
        True,
    )
    assert maths["summary"] == '<p>Loss <span class="math notranslate nohighlight">\\(L = x^2\\)</span> is small.</p>\n'
    assert posts["posts/plain/"]["math"] is False
    # Every page loads the script; a page loads MathJax when a post it links to has math in its summary.
    for page in ("posts/linking", "posts/only-plain"):
        assert site.html(page).find("script", src=re.compile(r"_static/kb-previews\.js")) is not None
    assert site.html("posts/linking").find("script", src=re.compile("mathjax")) is not None
    assert site.html("posts/only-plain").find("script", src=re.compile("mathjax")) is None


def test_preview_addresses_follow_the_builder(build: Callable[..., Site]):
    site = build(PREVIEW_FILES, buildername="html")
    assert "posts/maths.html" in _previews(site)


def test_previews_can_be_turned_off(build: Callable[..., Site]):
    site = build(PREVIEW_FILES, conf="kb_link_previews = False\n")
    assert not (site.outdir / "_static/kb-previews.json").exists()
    assert site.html("posts/linking").find("script", src=re.compile("kb-previews")) is None
    assert site.html("posts/linking").find("script", src=re.compile("mathjax")) is None


# Previews: in a browser ----------------------------------------------------------------------


BROWSER_FILES: dict[str, str | bytes] = {
    **PREVIEW_FILES,
    "posts/linking/article.md": post(
        "Linking",
        "See [the maths post](../maths/), then [the plain post](../plain/) and [this page](../linking/).\n",
        date="2025-12-12",
    ),
}

#: The page with the links, under the sub-path the site is served at.
PAGE = "en/latest/posts/linking/"


@pytest.fixture(scope="module")
def www(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder serving the site under a sub-path, as Read the Docs does (``/en/latest/``)."""
    from sphinx.testing.util import SphinxTestApp

    root = tmp_path_factory.mktemp("previews")
    write(root / "src", {"conf.py": BASE_CONF, "index.md": INDEX, **BROWSER_FILES})
    app = SphinxTestApp("dirhtml", srcdir=root / "src")
    try:
        app.build()
        assert Site(app).warnings == ""
    finally:
        app.cleanup()
    (root / "www/en").mkdir(parents=True)
    (root / "www/en/latest").symlink_to(app.outdir, target_is_directory=True)
    return root / "www"


@browser_test
def test_pointing_at_a_link_to_a_post_shows_its_preview_with_math(www, chromium):
    with served(www) as root, opened(chromium, root, PAGE) as (page, outside):
        link = page.locator("article a", has_text="the maths post")
        preview = page.locator(".kb-preview")
        link.hover()
        preview.wait_for(state="visible")
        assert preview.locator(".kb-preview-title").text_content() == "Maths <i>&</i> more"
        assert preview.locator("time").text_content() == "2025-12-11"
        assert preview.locator(".kb-category").text_content() == "Maths"
        assert preview.locator("i").count() == 0  # the title is text
        # MathJax, served by the site, typesets the summary's math.
        preview.locator(".kb-preview-summary mjx-container").wait_for()
        assert "Loss" in preview.inner_text() and "\\(" not in preview.inner_text()
        assert link.get_attribute("aria-describedby") == "kb-preview"
        page.mouse.move(5, 5)
        preview.wait_for(state="hidden")
        assert link.get_attribute("aria-describedby") is None
        assert outside == []


@browser_test
def test_keyboard_focus_shows_the_preview_and_escape_hides_it(www, chromium):
    with served(www) as root, opened(chromium, root, PAGE) as (page, outside):
        preview = page.locator(".kb-preview")
        title = preview.locator(".kb-preview-title")
        page.locator("article a", has_text="the maths post").focus()
        preview.wait_for(state="visible")
        assert title.text_content() == "Maths <i>&</i> more"
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "the plain post"
        page.wait_for_function("() => document.querySelector('.kb-preview-title').textContent === 'Plain'")
        assert preview.is_visible()
        page.keyboard.press("Escape")
        preview.wait_for(state="hidden")
        assert page.evaluate("document.activeElement.textContent") == "the plain post"
        # A link to the page itself has no preview.
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "this page"
        assert preview.is_hidden()
        page.keyboard.press("Shift+Tab")
        preview.wait_for(state="visible")
        assert title.text_content() == "Plain"
        assert outside == []


@browser_test
def test_no_preview_on_touch_screens(www, chromium):
    with served(www) as root:
        context = chromium.new_context(has_touch=True, is_mobile=True)
        try:
            page = context.new_page()
            asked: list[str] = []
            page.on("request", lambda request: asked.append(request.url))
            page.goto(root + PAGE, wait_until="networkidle")
            assert page.evaluate("matchMedia('(hover: none), (pointer: coarse)').matches")
            page.locator("article a", has_text="the maths post").focus()
            assert page.locator(".kb-preview").count() == 0
            assert not any(url.endswith("kb-previews.json") for url in asked)
        finally:
            context.close()

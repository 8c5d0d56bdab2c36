"""The search page in a real headless Chromium, on the site's own Pagefind index: Chinese words
inside sentences, English inflections, filters alone and combined, the state in the address,
names with markup shown as text, a site under a sub-path, and nothing loaded from elsewhere."""

from __future__ import annotations

import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

import pytest
from sphinx.testing.util import SphinxTestApp

from conftest import BASE_CONF, INDEX, NEEDS_BROWSER, post, served, write

if TYPE_CHECKING:
    from collections.abc import Iterator

pytestmark = NEEDS_BROWSER

#: The title and tag of the injection fixture, as a reader must see them.
EVIL_TITLE = "<script>alert('t')</script> \"quoted\" & <img src=x onerror=alert(1)>"
EVIL_TAG = "<img src=x onerror=alert(2)>"

POSTS = {
    "posts/memory/article.md": post(
        "显存笔记",
        date="2026-03-01",
        categories="[Systems]",
        tags="[GPU, Memory]",
        lang="zh-CN",
        body="我们发现训练时显存的占用主要来自激活值，而不是权重。\n",
    ),
    "posts/balance/article.md": post(
        "Routing experts",
        date="2025-06-01",
        categories="[Machine Learning]",
        tags="[GPU]",
        body="The router must balance the load across experts.\n",
    ),
    "posts/cache/article.md": post(
        "Key-value caches",
        date="2026-01-10",
        categories="[Machine Learning]",
        tags="[GPU, Memory]",
        body="The keys and values are kept in GPU memory between steps. 显存里保存键和值。\n",
    ),
    "posts/raft/article.md": post(
        "Raft in one page",
        date="2024-05-05",
        categories="[Systems]",
        tags="[Consensus]",
        body="A leader is elected with randomized timeouts.\n",
    ),
    "posts/evil/article.md": post(
        '"' + EVIL_TITLE.replace('"', '\\"') + '"',
        date="2023-01-01",
        categories="[Systems]",
        tags=f'["{EVIL_TAG}"]',
        description='"zebra <b>bold</b> <script>alert(3)</script>"',
        body="A zebra stays text: `<script>alert(4)</script>`.\n",
    ),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built site (one build for the module: the tests only read it)."""
    srcdir = tmp_path_factory.mktemp("search") / "src"
    write(srcdir, {"conf.py": BASE_CONF, "index.md": INDEX, **POSTS})
    app = SphinxTestApp("dirhtml", srcdir=srcdir)
    try:
        app.build()
        assert "WARNING" not in app.warning.getvalue()
    finally:
        app.cleanup()
    return Path(app.outdir)


@contextmanager
def search_page(chromium, root: str, path: str = "search/") -> Iterator[tuple[object, list[str]]]:
    """The search page at *path*, once its first search is shown; and the addresses it asked for
    elsewhere. A script that runs (an alert) fails the test."""
    page = chromium.new_page()
    outside: list[str] = []
    dialogs: list[str] = []
    page.on("request", lambda request: outside.append(request.url) if not request.url.startswith(root) else None)
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(root + path)
    page.wait_for_selector("#kb-search[data-ready]")
    try:
        yield page, outside
        assert dialogs == [], "a script from the index ran"
    finally:
        page.close()


def settle(page, before: str | None = None) -> None:
    """Wait until the page shows all of a search newer than *before* (a data-settled value)."""
    page.wait_for_function(
        "(before) => { const s = document.getElementById('kb-search').dataset.settled; return s && s !== before; }",
        arg=before,
    )


def settled(page) -> str | None:
    return page.evaluate("() => document.getElementById('kb-search').dataset.settled")


def type_query(page, text: str) -> None:
    before = settled(page)
    page.fill("input.kb-search-input", text)
    settle(page, before)


def titles(page) -> list[str]:
    return page.locator(".kb-search-result-title a").all_inner_texts()


def state(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def test_chinese_word_in_a_sentence_is_found(site, chromium):
    with served(site) as root, search_page(chromium, root) as (page, outside):
        type_query(page, "显存")
        assert sorted(titles(page)) == ["Key-value caches", "显存笔记"]
        mark = page.locator(".kb-search-result", has_text="显存笔记").locator(".kb-search-excerpt mark")
        assert mark.first.inner_text().strip() == "显存"
        # A phrase without spaces, and with them: both words, wherever they stand.
        type_query(page, "显存占用")
        assert titles(page) == ["显存笔记"]
        type_query(page, "显存 占用")
        assert titles(page) == ["显存笔记"]
        assert outside == []


def test_english_inflected_form_is_found(site, chromium):
    with served(site) as root, search_page(chromium, root) as (page, outside):
        type_query(page, "balancing")
        assert titles(page) == ["Routing experts"]
        result = page.locator(".kb-search-result").first
        assert result.locator(".kb-category").inner_text().lower() == "machine learning"
        assert result.locator(".kb-date").inner_text() == "2025-06-01"
        assert result.locator(".kb-search-excerpt mark").first.inner_text().strip() == "balance"
        type_query(page, "elections")
        assert titles(page) == ["Raft in one page"]
        assert outside == []


def test_tag_filter_lists_exactly_the_tagged_posts_newest_first(site, chromium):
    with served(site) as root, search_page(chromium, root, "search/?tag=GPU") as (page, outside):
        settle(page)
        assert titles(page) == ["显存笔记", "Key-value caches", "Routing experts"]
        assert page.locator("input[name=tag][value=GPU]").is_checked()
        # Two tags: posts with both.
        before = settled(page)
        page.locator("input[name=tag][value=Memory]").check()
        settle(page, before)
        assert titles(page) == ["显存笔记", "Key-value caches"]
        assert state(page) == {"tag": ["GPU", "Memory"]}
        count = page.locator("label", has=page.locator("input[name=category][value=Systems]")).locator(".kb-count")
        assert count.inner_text() == "1"
        assert outside == []


def test_tag_category_and_text_combined(site, chromium):
    path = "search/?q=memory&tag=GPU&category=Machine+Learning"
    with served(site) as root, search_page(chromium, root, path) as (page, outside):
        settle(page)
        assert titles(page) == ["Key-value caches"]
        before = settled(page)
        page.locator("input[name=category][value=Systems]").check()
        settle(page, before)
        assert sorted(titles(page)) == ["Key-value caches", "显存笔记"]
        before = settled(page)
        page.locator("input[name=year][value='2026']").check()
        settle(page, before)
        assert state(page) == {
            "q": ["memory"],
            "tag": ["GPU"],
            "category": ["Machine Learning", "Systems"],
            "year": ["2026"],
        }
        assert outside == []


def test_state_round_trips_through_reload_and_back(site, chromium):
    with served(site) as root, search_page(chromium, root) as (page, outside):
        type_query(page, "显存")
        assert state(page) == {"q": ["显存"]}
        before = settled(page)
        page.locator("input[name=tag][value=Memory]").check()
        settle(page, before)
        before = settled(page)
        page.select_option("select[name=sort]", "date")
        settle(page, before)
        assert state(page) == {"q": ["显存"], "tag": ["Memory"], "sort": ["date"]}
        assert titles(page) == ["显存笔记", "Key-value caches"]
        page.reload()
        page.wait_for_selector("#kb-search[data-ready]")
        assert page.input_value("input.kb-search-input") == "显存"
        assert page.locator("input[name=tag][value=Memory]").is_checked()
        assert page.input_value("select[name=sort]") == "date"
        assert titles(page) == ["显存笔记", "Key-value caches"]
        before = settled(page)
        page.go_back()
        settle(page, before)
        assert state(page) == {"q": ["显存"], "tag": ["Memory"]}
        assert page.input_value("select[name=sort]") == ""
        before = settled(page)
        page.go_back()
        settle(page, before)
        assert state(page) == {"q": ["显存"]}
        assert not page.locator("input[name=tag][value=Memory]").is_checked()
        assert sorted(titles(page)) == ["Key-value caches", "显存笔记"]
        assert outside == []


def test_tag_chip_of_a_post_opens_the_filtered_list(site, chromium):
    with served(site) as root:
        page = chromium.new_page()
        try:
            page.goto(root + "posts/raft/")
            page.locator(".kb-post-header .kb-tags a", has_text="Consensus").click()
            page.wait_for_selector("#kb-search[data-ready]")
            settle(page)
            assert urlsplit(page.url).path == "/search/"
            assert titles(page) == ["Raft in one page"]
        finally:
            page.close()


def test_names_with_markup_stay_text_in_results_and_filters(site, chromium):
    with served(site) as root, search_page(chromium, root) as (page, outside):
        type_query(page, "zebra")
        assert titles(page) == [EVIL_TITLE]
        excerpt = page.locator(".kb-search-excerpt").first.inner_text()
        # Pagefind picks the excerpt's window (the description or the body): its markup is text.
        assert "<script>alert(" in excerpt
        filters = page.locator(".kb-search-filters").inner_text()
        assert EVIL_TAG in filters
        assert page.locator("#kb-search img, #kb-search script, #kb-search b").count() == 0
        # Chosen as a filter, from the address, the tag is still text.
        before = settled(page)
        page.locator(f"input[name=tag][value='{EVIL_TAG}']").check()
        settle(page, before)
        assert titles(page) == [EVIL_TITLE]
        assert page.locator("#kb-search img, #kb-search script, #kb-search b").count() == 0
        assert outside == []


def test_unknown_filter_from_an_old_link_is_shown_and_finds_nothing(site, chromium):
    with (
        served(site) as root,
        search_page(chromium, root, "search/?tag=%3Cimg+src%3Dx+onerror%3Dalert(5)%3E") as (
            page,
            _outside,
        ),
    ):
        settle(page)
        assert titles(page) == []
        assert page.locator(".kb-search-status").inner_text().startswith("Nothing found")
        assert page.locator("#kb-search img").count() == 0


def test_works_under_a_sub_path(site, chromium, tmp_path):
    shutil.copytree(site, tmp_path / "en" / "latest")
    with served(tmp_path) as root, search_page(chromium, root, "en/latest/search/?q=balancing") as (page, outside):
        settle(page)
        link = page.locator(".kb-search-result-title a").first
        assert link.inner_text() == "Routing experts"
        assert urlsplit(link.evaluate("a => a.href")).path == "/en/latest/posts/balance/"
        assert outside == []


def test_from_a_file_the_page_says_search_needs_a_server(site, chromium):
    page = chromium.new_page()
    try:
        page.goto((site / "search" / "index.html").as_uri())
        page.wait_for_selector(".kb-search-offline", state="visible")
        assert "served over HTTP" in page.locator(".kb-search-offline").inner_text()
    finally:
        page.close()

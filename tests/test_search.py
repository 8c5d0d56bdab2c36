"""The search page and what the index reads of each page, as built (the browser tests are in
test_search_browser.py)."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import indexed_pages, indexed_urls, post
from sphinx_kb.output import search

POSTS = {
    "posts/memory/article.md": post(
        "显存笔记",
        date="2026-03-01",
        categories="[Systems]",
        tags="[GPU, Memory]",
        description="Where the memory goes.",
        lang="zh-CN",
        body="我们发现训练时显存的占用主要来自激活值。\n",
    ),
    "posts/balance/article.md": post(
        "Load balance in mixtures",
        date="2025-06-01",
        categories="[Machine Learning]",
        tags="[GPU]",
        body="The router must balance the load across experts.\n",
    ),
    "posts/draft/article.md": post("Draft", date="2025-01-01", draft="true"),
}


@pytest.fixture
def site(build):
    return build({**POSTS, "guide.md": "---\norphan: true\n---\n# Guide\n\nHow to write a note.\n"})


def query(href: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(href).query)


def test_sphinx_search_index_is_replaced_by_pagefind(site):
    assert not (site.outdir / "searchindex.js").exists()
    entry = json.loads((site.outdir / "pagefind/pagefind-entry.json").read_text())
    # One index for every page, whatever its <html lang>: posts, the guide and the home page.
    assert list(entry["languages"]) == ["zh"]
    assert entry["languages"]["zh"]["page_count"] == 4
    assert (site.outdir / "pagefind/pagefind.js").is_file()
    assert not list((site.outdir / "pagefind").glob("pagefind-ui.*")), "the unused ready-made UI is dropped"
    assert "search index: 4 pages" in site.app.status.getvalue()
    assert site.warnings == ""


def test_post_declares_its_filters_sort_key_and_result_fields(site):
    page = site.html("posts/memory")
    body = page.select_one("[data-pagefind-body]")
    assert body["data-pagefind-sort"] == "date:2026-03-01T00:00:00Z"
    filters = [(span["data-pagefind-filter"], span.get_text()) for span in page.select("[data-pagefind-filter]")]
    assert filters == [("tag", "GPU"), ("tag", "Memory"), ("category", "Systems"), ("year", "2026")]
    meta = {span["data-pagefind-meta"]: span.get_text() for span in page.select("[data-pagefind-meta]")}
    assert meta == {"title": "显存笔记", "kind": "post", "date": "2026-03-01", "category": "Systems"}
    # Filters and fields are not words of the page; the description is (hidden).
    assert not body.select("[data-pagefind-filter], [data-pagefind-meta]")
    assert body.find("p", hidden=True).get_text() == "Where the memory goes."
    assert "我们发现训练时显存的占用" in body.get_text()


def test_pagefind_reads_the_marked_part_of_each_indexed_page(site):
    sources = search.sources_folder(site.app)
    read = sorted(path.relative_to(sources).as_posix() for path in sources.rglob("*.html"))
    # The posts and pages, not the archives, the search page or the draft.
    assert read == ["guide/index.html", "index.html", "posts/balance/index.html", "posts/memory/index.html"]
    source = (sources / "posts/memory/index.html").read_text(encoding="utf-8")
    assert "<title>显存笔记" in source
    assert "我们发现训练时显存的占用" in source
    assert '<span data-pagefind-filter="tag">GPU</span>' in source
    assert "sidebar-tree" not in source, "furo's navigation is not read"
    assert indexed_pages(site.outdir)["/posts/memory/"]["meta"]["title"] == "显存笔记"


def test_search_source_is_the_part_between_the_markers():
    page = (
        "<html><head><title>A &amp; B</title></head><body><nav>menu</nav><!-- kb-search -->"
        "<p>text <!-- /kb-search --> more</p><!-- /kb-search --><footer>end</footer></body></html>"
    )
    source = search.source_text(page)
    assert "<title>A &amp; B</title>" in source
    assert '<meta name="robots" content="noindex">' in source
    # The first opening marker and the last closing one: the template's.
    assert "<p>text <!-- /kb-search --> more</p><!-- /kb-search -->" in source
    assert "menu" not in source
    assert "<footer>" not in source
    # A page of a template without the markers is read whole.
    assert search.source_text("<html><body>x</body></html>") == "<html><body>x</body></html>"


def test_post_language_sets_html_lang(site):
    # More in test_language.py.
    assert site.html("posts/memory").html["lang"] == "zh-CN"
    assert site.html("posts/balance").html["lang"] == "en"


def test_pages_are_indexed_archives_and_drafts_are_not(build):
    site = build(
        {**POSTS, "guide.md": "---\norphan: true\n---\n# Guide\n\nText.\n"}, confoverrides={"kb_show_drafts": True}
    )
    assert site.html("guide").select_one("[data-pagefind-body]") is not None
    assert site.html("guide").select_one("[data-pagefind-meta=kind]").get_text() == "page"
    for page in ("blog", "blog/tag/gpu", "posts/draft", "search"):
        assert site.html(page).select_one("[data-pagefind-body]") is None, page


def test_search_page_offers_every_filter_with_its_count(site):
    page = site.html("search")
    assert page.select_one("meta[name=robots]")["content"] == "noindex"
    form = page.select_one("#kb-search form")
    assert form.select_one("input[name=q]") is not None
    boxes = {
        (box["name"], box["value"]): box.find_parent("label").select_one(".kb-count").get_text()
        for box in form.select("input[type=checkbox]")
    }
    assert boxes == {
        ("category", "Machine Learning"): "1",
        ("category", "Systems"): "1",
        ("tag", "GPU"): "2",
        ("tag", "Memory"): "1",
        ("year", "2026"): "1",
        ("year", "2025"): "1",
    }
    pagefind = page.select_one("#kb-search")["data-pagefind"]
    assert site.resolve("search", pagefind) == site.outdir / "pagefind/pagefind.js"
    script = page.select_one('script[type=module][src*="kb-search.js"]')
    assert site.resolve("search", script["src"]).is_file()


def test_furo_search_box_and_home_link_lead_to_the_search_page(build):
    index = "# Home\n\n{ref}`Search and filter by tags or category <search>`\n\n```{posts}\n```\n"
    site = build({"index.md": index, **POSTS})
    form = site.html("posts/balance").select_one("form.sidebar-search-container")
    assert site.resolve("posts/balance", form["action"]) == site.file("search")
    link = site.article("").find("a", string="Search and filter by tags or category")
    assert site.resolve("", link["href"]) == site.file("search")
    assert site.resolve("", site.html("").select_one("link[rel=search]")["href"]) == site.file("search")


def test_tag_chips_and_category_links_lead_to_the_filtered_list(build):
    conf = 'html_sidebars = {"**": ["sidebar/search.html", "kb/sidebar/browse.html"]}\n'
    site = build(POSTS, conf=conf)
    header = site.article("posts/memory").select_one(".kb-post-header")
    category = header.select_one(".kb-category")["href"]
    assert site.resolve("posts/memory", category) == site.file("search")
    assert query(category) == {"category": ["Systems"]}
    tags = [query(a["href"]) for a in header.select(".kb-tags a")]
    assert tags == [{"tag": ["GPU"]}, {"tag": ["Memory"]}]
    card = site.article("").select_one(".kb-post-card .kb-category")
    assert query(card["href"]) == {"category": ["Systems"]}
    sidebar = {a.get_text(): a["href"] for a in site.html("posts/memory").select(".kb-sidebar a")}
    assert query(sidebar["Machine Learning"]) == {"category": ["Machine Learning"]}
    chips = {a.contents[0].strip(): a["href"] for a in site.article("blog").select(".kb-browse a")}
    assert query(chips["2025"]) == {"year": ["2025"]}
    assert site.resolve("blog", chips["GPU"]) == site.file("search")


def test_html_builder_has_the_search_page_too(build):
    site = build(POSTS, buildername="html")
    assert (site.outdir / "search.html").is_file()
    assert (site.outdir / "pagefind/pagefind-entry.json").is_file()
    page = (site.outdir / "posts/memory.html").read_text(encoding="utf-8")
    assert 'href="../search.html?tag=GPU"' in page


def test_without_kb_search_sphinx_search_and_archives_stay(build):
    site = build(POSTS, conf="kb_search = False\n")
    assert (site.outdir / "searchindex.js").is_file()
    assert not (site.outdir / "pagefind").exists()
    assert site.html("posts/memory").select_one("[data-pagefind-body]") is None
    tag = site.article("posts/memory").select_one(".kb-tags a")
    assert site.resolve("posts/memory", tag["href"]) == site.file("blog/tag/gpu")
    assert site.html("search").select_one("#kb-search") is None


def test_a_page_named_search_is_reported(build):
    site = build({**POSTS, "search.md": "# My search\n\nText.\n"})
    assert "search.md:1: WARNING: the page 'search' is replaced by the search page; rename it" in site.warnings
    assert site.html("search").select_one("#kb-search") is not None


def test_names_with_markup_are_text_in_the_index_markup(build):
    title = '"<script>alert(1)</script> & <img src=x onerror=alert(2)>"'
    site = build({"posts/x/article.md": post(title, date="2025-01-01", tags='["<img src=x onerror=alert(3)>"]')})
    page = site.html("posts/x")
    shown = "<script>alert(1)</script> & <img src=x onerror=alert(2)>"
    assert page.select_one("[data-pagefind-meta=title]").get_text() == shown
    assert page.select_one("[data-pagefind-filter=tag]").get_text() == "<img src=x onerror=alert(3)>"
    assert not page.select("[data-pagefind-filter] img, [data-pagefind-meta] script")
    search = site.html("search")
    assert search.select_one("input[name=tag]")["value"] == "<img src=x onerror=alert(3)>"
    assert not search.select("#kb-search img")


def test_other_builders_build_without_a_search_page(build):
    site = build(POSTS, buildername="text")
    assert not (site.outdir / "pagefind").exists()
    assert not (site.outdir / "search.txt").exists()
    assert site.warnings == ""


def test_a_page_whose_name_ends_in_search_keeps_the_label_of_the_search_page(build):
    # ablog drops the label named as the last part of each page it purges ("guide/search").
    index = "# Home\n\n{ref}`Search <search>`\n\n```{toctree}\nguide/search\n```\n"
    site = build({"index.md": index, "guide/search.md": "# Searching\n\nHow.\n", **POSTS})
    assert "undefined label" not in site.warnings
    link = site.article("").find("a", string="Search")
    assert site.resolve("", link["href"]) == site.file("search")


@pytest.mark.parametrize("buildername", ["dirhtml", "html"])
def test_every_document_is_indexed_wherever_it_lives(build, buildername):
    # Pagefind reads only the folders and root files of documents (``--glob``); a folder whose
    # name means something in a glob makes it read everything instead.
    pages = {
        "about.md": "# About\n\nWho writes here.\n",
        "guide/deep/page.md": "---\norphan: true\n---\n# Deep\n\nA nested page.\n",
        "notes, 2024/odd.md": "---\norphan: true\n---\n# Odd name\n\nA folder with a comma.\n",
    }
    site = build({**POSTS, **pages}, buildername=buildername)
    found = indexed_urls(site.outdir)
    suffix = "/" if buildername == "dirhtml" else ".html"
    for page in ("about", "guide/deep/page", "notes, 2024/odd", "posts/memory", "posts/balance"):
        assert any(url.startswith(f"/{page}{suffix}") for url in found), (page, found)
    assert not any(url.startswith("/blog") for url in found)

"""The blog a reader sees: home listing, post pages, archives and feeds."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from defusedxml import ElementTree

from conftest import post

ATOM = "{http://www.w3.org/2005/Atom}"

POSTS = {
    "posts/attention/article.md": post(
        "Attention, step by step",
        description="How scaled dot-product attention works.",
        published='"2026-05-08 18:28:18+08:00"',
        categories="[Machine Learning]",
        tags="[Attention, Transformers]",
        authors="[{name: Ada, url: 'https://ada.example.org'}, Grace]",
        body="## Scores\n\nThe scores are $QK^T / \\sqrt{d}$.\n",
    ),
    "posts/raft/article.md": post(
        "Raft in one page",
        date="2025-12-11 16:09:34+0800",
        lastmod="2026-01-02",
        category="Systems",
        tags="[distributed, Consensus]",
        body="Raft elects a *leader* with [randomized timeouts](https://raft.github.io) and keeps $n/2+1$ "
        "replicas in agreement; this sentence goes on long enough that the summary has to be cut before "
        "its end, at a word boundary, with an ellipsis.\n\nSecond paragraph.\n",
    ),
    "posts/随笔-一/article.md": post(
        "随笔：读论文的方法",
        date="2026-01-24",
        categories="[随笔]",
        tags="[随笔, attention]",
        body="先读摘要，再读图表。\n",
    ),
    "posts/unfinished/article.md": post("Unfinished", date="2025-01-01", draft="true"),
    "posts/scheduled/article.md": post("Scheduled", date="2999-01-01"),
}


@pytest.fixture
def blog(build):
    return build(POSTS)


def titles(soup) -> list[str]:
    return [a.get_text() for a in soup.select(".kb-post-card-title a")]


def test_home_lists_posts_newest_first_with_category_title_and_summary(blog):
    home = blog.article("")
    assert titles(home) == ["Attention, step by step", "随笔：读论文的方法", "Raft in one page"]
    first = home.select_one(".kb-post-card")
    assert first.select_one(".kb-category").get_text() == "Machine Learning"
    assert first.select_one("time")["datetime"] == "2026-05-08T18:28:18+08:00"
    assert first.select_one(".kb-post-card-summary").get_text(strip=True) == "How scaled dot-product attention works."
    link = first.select_one(".kb-post-card-title a")
    assert blog.resolve("", link["href"]) == blog.file("posts/attention")
    assert blog.warnings == ""


def test_summary_is_derived_and_cut_when_there_is_no_description(blog):
    card = blog.article("").select(".kb-post-card")[2]
    summary = card.select_one(".kb-post-card-summary")
    text = summary.get_text()
    assert text.startswith("Raft elects a leader with randomized timeouts and keeps")
    assert text.rstrip().endswith("…")
    assert len(text) < 230
    assert summary.find("a") is None, "links are flattened inside a card"
    assert summary.select_one("span.math").get_text() == r"\(n/2+1\)"
    assert "Second paragraph" not in text


def test_drafts_and_scheduled_posts_are_nowhere(blog):
    assert "posts/unfinished" not in blog.app.env.found_docs
    assert "posts/scheduled" not in blog.app.env.found_docs
    assert not (blog.outdir / "posts/unfinished").exists()
    feed = (blog.outdir / "blog/atom.xml").read_text()
    assert "Unfinished" not in feed
    assert "Scheduled" not in feed
    assert "Unfinished" not in blog.file("blog").read_text()


def test_drafts_can_be_built_for_preview_but_stay_unlisted(build):
    site = build(POSTS, confoverrides={"kb_show_drafts": True})
    notice = site.article("posts/unfinished").select_one(".kb-draft")
    assert "draft" in notice.get_text()
    assert site.article("posts/scheduled").select_one(".kb-draft") is not None
    assert "Unfinished" not in titles(site.article(""))
    assert "Unfinished" not in (site.outdir / "blog/atom.xml").read_text()
    assert site.warnings == ""


def test_search_and_filter_link_on_home(build):
    index = "# Home\n\n{ref}`Search and filter by tags or category <blog-posts>`\n\n```{posts}\n```\n"
    site = build({"index.md": index, **POSTS})
    link = site.article("").find("a", string="Search and filter by tags or category")
    page = site.resolve("", link["href"])
    assert page == site.file("blog")
    browse = site.article("blog").select_one(".kb-browse")
    assert "Machine Learning" in browse.get_text()


def test_post_page_header(blog):
    header = blog.article("posts/attention").select_one(".kb-post-header")
    assert header.select_one(".kb-date time")["datetime"] == "2026-05-08T18:28:18+08:00"
    category = header.select_one(".kb-category")
    assert category.get_text() == "Machine Learning"
    # Tags and categories lead to the search page, filtered by them (see test_search.py).
    assert blog.resolve("posts/attention", category["href"]) == blog.file("search")
    assert parse_qs(urlsplit(category["href"]).query) == {"category": ["Machine Learning"]}
    tags = {a.get_text(): a["href"] for a in header.select(".kb-tags a")}
    assert list(tags) == ["Attention", "Transformers"]
    assert blog.resolve("posts/attention", tags["Attention"]) == blog.file("search")
    assert parse_qs(urlsplit(tags["Attention"]).query) == {"tag": ["Attention"]}
    authors = [(a.get_text(), a["href"]) for a in header.select(".kb-authors a")]
    assert authors[0] == ("Ada", "https://ada.example.org")
    assert authors[1][0] == "Grace"
    assert blog.resolve("posts/attention", authors[1][1]) == blog.file("blog/author/grace")
    assert header.select_one(".kb-updated") is None


def test_post_page_shows_the_last_update(blog):
    updated = blog.article("posts/raft").select_one(".kb-post-header .kb-updated time")
    assert updated.get_text() == "2026-01-02"


def test_previous_and_next_posts(blog):
    def neighbours(page):
        footer = blog.html(page).select_one(".related-pages")
        return {
            kind: (a.select_one(".title").get_text(), blog.resolve(page, a["href"]))
            for kind, a in (("next", footer.select_one("a.next-page")), ("prev", footer.select_one("a.prev-page")))
            if a is not None
        }

    middle = neighbours("posts/随笔-一")
    assert middle["prev"] == ("Raft in one page", blog.file("posts/raft"))
    assert middle["next"] == ("Attention, step by step", blog.file("posts/attention"))
    assert "next" not in neighbours("posts/attention")
    assert "prev" not in neighbours("posts/raft")


def test_posts_are_not_in_the_navigation(blog):
    nav = blog.html("posts/raft").select_one(".sidebar-tree")
    assert "Raft in one page" not in nav.get_text()
    assert "toctree" not in blog.warnings


def test_slug_is_a_reference_label(build):
    body = "See {ref}`raft` and {doc}`/posts/raft`, and [the quote](../raft/article.md).\n"
    site = build({**POSTS, "posts/linker/article.md": post("Linker", date="2025-12-12", body=body)})
    links = site.article("posts/linker").select("p a.reference")
    assert [site.resolve("posts/linker", a["href"]) for a in links] == [site.file("posts/raft")] * 3
    assert site.warnings == ""


def test_broken_reference_is_reported(build):
    body = "See {ref}`no-such-post`.\n"
    site = build({"posts/linker/article.md": post("Linker", date="2025-12-12", body=body)})
    assert "posts/linker/article.md:6: WARNING: undefined label: 'no-such-post'" in site.warnings


def test_tag_category_and_year_archives(blog):
    tag = blog.article("blog/tag/attention")
    assert tag.h1.get_text() == "Posts tagged Attention"
    assert titles(tag) == ["Attention, step by step", "随笔：读论文的方法"]
    essay = blog.article("blog/category/随笔")
    assert titles(essay) == ["随笔：读论文的方法"]
    assert titles(blog.article("blog/tag/随笔")) == ["随笔：读论文的方法"]
    assert titles(blog.article("blog/2025")) == ["Raft in one page"]
    assert titles(blog.article("blog/2026")) == ["Attention, step by step", "随笔：读论文的方法"]
    assert titles(blog.article("blog")) == titles(blog.article(""))


def test_chinese_names_give_working_links(blog):
    card = blog.article("").select(".kb-post-card")[1]
    category = card.select_one(".kb-category")
    assert category.get_text() == "随笔"
    assert blog.resolve("", category["href"]) == blog.file("search")
    assert parse_qs(urlsplit(category["href"]).query) == {"category": ["随笔"]}
    assert blog.file("blog/category/随笔").is_file()


def test_tags_overview_with_counts(blog):
    chips = {a.contents[0].strip(): a.select_one(".kb-count").get_text() for a in blog.article("blog/tag").select("a")}
    assert chips == {
        "Attention": "2",
        "Consensus": "1",
        "distributed": "1",
        "Transformers": "1",
        "随笔": "1",
    }


def test_tags_match_case_insensitively_in_the_spelling_used_most(build):
    site = build(
        {
            "posts/a/article.md": post("A", date="2025-01-01", tags="[Tutorial]"),
            "posts/b/article.md": post("B", date="2025-01-02", tags="[tutorial]"),
            "posts/c/article.md": post("C", date="2025-01-03", tags="[tutorial]"),
        }
    )
    assert site.article("blog/tag/tutorial").h1.get_text() == "Posts tagged tutorial"
    assert titles(site.article("blog/tag/tutorial")) == ["C", "B", "A"]
    assert [a.get_text() for a in site.article("posts/a").select(".kb-tags a")] == ["tutorial"]


def test_posts_directive_filters(build):
    index = (
        "# Home\n\n## Machine learning\n\n```{posts}\n:category: machine learning\n```\n\n"
        "## Latest\n\n```{posts}\n:limit: 1\n```\n\n"
        "## Tagged\n\n```{posts}\n:tags: consensus, transformers\n:year: 2025\n```\n"
    )
    site = build({"index.md": index, **POSTS})
    lists = site.article("").select(".kb-post-list")
    assert [titles(found) for found in lists] == [
        ["Attention, step by step"],
        ["Attention, step by step"],
        ["Raft in one page"],
    ]
    assert lists[0].select_one(".kb-post-card-title").name == "h3"


def test_atom_feeds(blog):
    root = ElementTree.parse(blog.outdir / "blog/atom.xml").getroot()
    assert root.tag == f"{ATOM}feed"
    assert root.findtext(f"{ATOM}id") == "https://notes.example.org/blog/atom.xml"
    assert root.findtext(f"{ATOM}updated") == "2026-05-08T18:28:18+08:00"
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [
        "Attention, step by step",
        "随笔：读论文的方法",
        "Raft in one page",
    ]
    first = entries[0]
    assert first.findtext(f"{ATOM}id") == "https://notes.example.org/posts/attention/"
    assert first.find(f"{ATOM}link").get("href") == "https://notes.example.org/posts/attention/"
    assert first.findtext(f"{ATOM}summary") == "How scaled dot-product attention works."
    assert [c.get("term") for c in first.findall(f"{ATOM}category")] == [
        "Machine Learning",
        "Attention",
        "Transformers",
    ]
    assert [a.findtext(f"{ATOM}name") for a in first.findall(f"{ATOM}author")] == ["Ada", "Grace"]
    for entry in entries:
        for child in ("id", "title", "updated", "published", "link"):
            assert entry.find(f"{ATOM}{child}") is not None, child
    assert entries[1].findtext(f"{ATOM}id") == "https://notes.example.org/posts/%E9%9A%8F%E7%AC%94-%E4%B8%80/"


def test_feed_per_tag_and_category(blog):
    for path, expected in [
        ("blog/tag/attention/atom.xml", ["Attention, step by step", "随笔：读论文的方法"]),
        ("blog/category/随笔/atom.xml", ["随笔：读论文的方法"]),
        ("blog/category/systems/atom.xml", ["Raft in one page"]),
    ]:
        root = ElementTree.parse(blog.outdir / path).getroot()
        assert [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")] == expected
    head = blog.html("blog/tag/attention").select('link[type="application/atom+xml"]')
    assert [blog.resolve("blog/tag/attention", link["href"]).name for link in head] == ["atom.xml", "atom.xml"]
    assert blog.resolve("blog/tag/attention", head[1]["href"]) == blog.outdir / "blog/tag/attention/atom.xml"


def test_every_page_links_the_site_feed(blog):
    for page in ("", "posts/raft", "blog/2025"):
        link = blog.html(page).select_one('link[rel="alternate"][type="application/atom+xml"]')
        assert blog.resolve(page, link["href"]) == blog.outdir / "blog/atom.xml"


def test_feeds_need_a_base_url(build):
    site = build(POSTS, confoverrides={"html_baseurl": ""})
    assert "html_baseurl is not set, so no Atom feed is written" in site.warnings
    assert not (site.outdir / "blog/atom.xml").exists()
    assert site.html("posts/raft").select('link[type="application/atom+xml"]') == []


def test_aliases_redirect_to_the_post(build):
    aliases = "[/p/raft-notes/, /2020/01/raft.html]"
    site = build({"posts/raft/article.md": post("Raft", date="2025-12-11", aliases=aliases)})
    for page, file in (("p/raft-notes", site.file("p/raft-notes")), ("2020", site.outdir / "2020/01/raft.html")):
        refresh = BeautifulSoup(file.read_text(), "html.parser").select_one('meta[http-equiv="refresh"]')["content"]
        target = (file.parent / refresh.split("url=")[1]).resolve() / "index.html"
        assert target == site.file("posts/raft"), page
    assert site.warnings == ""


def test_aliases_that_cannot_be_made_are_reported(build):
    site = build(
        {
            "posts/raft/article.md": post(
                "Raft",
                date="2025-12-11",
                aliases="[/p/shared/, 'https://old.example.org/x', /posts/paxos/, /p/a/#s, /blog/]",
            ),
            "posts/paxos/article.md": post("Paxos", date="2025-12-12", aliases="[/p/shared/]"),
        }
    )
    raft = site.srcdir / "posts/raft/article.md"
    assert f"{raft}:4: WARNING: alias 'https://old.example.org/x' is not an address on this site" in site.warnings
    assert f"{raft}:4: WARNING: alias '/posts/paxos/' is already the address of 'posts/paxos'" in site.warnings
    assert f"{raft}:4: WARNING: alias '/p/shared/' is already the address of 'posts/paxos'" in site.warnings
    assert f"{raft}:4: WARNING: alias '/p/a/#s': the part after '#' never reaches a server" in site.warnings
    assert f"{raft}:4: WARNING: alias '/blog/' is already the file blog/index.html of the site" in site.warnings
    assert "All Posts" in site.file("blog").read_text()
    assert site.file("p/shared").read_text().count("../../posts/paxos/") >= 1


def test_tags_that_would_share_a_page_are_reported(build):
    site = build(
        {
            "posts/a/article.md": post("A", date="2025-01-01", tags="[C++]"),
            "posts/b/article.md": post("B", date="2025-01-02", tags="[C]"),
            "posts/c/article.md": post("C", date="2025-01-03", tags="['++']"),
        }
    )
    b = site.srcdir / "posts/b/article.md"
    c = site.srcdir / "posts/c/article.md"
    assert f"{b}:4: WARNING: the tags 'C++' and 'C' would share one archive page; rename one" in site.warnings
    assert f"{c}:4: WARNING: the tag '++' has no letters or digits to name its archive page" in site.warnings
    assert "categorys" not in site.warnings


def test_description_math_and_a_second_title(build):
    site = build(
        {
            "posts/m/article.md": post(
                "M", date="2025-01-01", description="Why $\\sqrt{d}$ matters", body="# Again\n\nText.\n"
            ),
        }
    )
    summary = site.article("").select_one(".kb-post-card-summary")
    assert summary.select_one("span.math").get_text() == r"\(\sqrt{d}\)"
    # A `#` heading in the body is a section under the title, not a second title.
    assert "given twice" not in site.warnings
    assert [h.get_text().rstrip("#¶") for h in site.article("posts/m").select("h1, h2")] == ["M", "Again"]


def test_incremental_build_updates_listings_and_neighbours(build):
    site = build({k: v for k, v in POSTS.items() if "attention" not in k})
    assert titles(site.article("")) == ["随笔：读论文的方法", "Raft in one page"]
    (site.srcdir / "posts/attention").mkdir()
    (site.srcdir / "posts/attention/article.md").write_text(POSTS["posts/attention/article.md"], encoding="utf-8")
    site.rebuild()
    assert titles(site.article("")) == ["Attention, step by step", "随笔：读论文的方法", "Raft in one page"]
    nxt = site.html("posts/随笔-一").select_one(".related-pages a.next-page .title")
    assert nxt.get_text() == "Attention, step by step"
    assert titles(site.article("blog/tag/attention")) == ["Attention, step by step", "随笔：读论文的方法"]


def test_incremental_build_updates_the_sidebar_everywhere(build):
    conf = 'html_sidebars = {"**": ["sidebar/navigation.html", "kb/sidebar/browse.html"]}\n'
    site = build({k: v for k, v in POSTS.items() if "attention" not in k}, conf=conf)
    assert "Machine Learning" not in site.html("posts/raft").select_one(".kb-sidebar").get_text()
    (site.srcdir / "posts/attention").mkdir()
    (site.srcdir / "posts/attention/article.md").write_text(POSTS["posts/attention/article.md"], encoding="utf-8")
    site.rebuild()
    assert "Machine Learning" in site.html("posts/raft").select_one(".kb-sidebar").get_text()

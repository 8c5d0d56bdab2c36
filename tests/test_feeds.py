"""Feeds as a feed reader gets them: RSS beside Atom, whole posts with readable maths and absolute
addresses and no script, and copies at the addresses a Hugo site published its feeds at."""

from __future__ import annotations

import email.utils
import html

import pytest
from bs4 import BeautifulSoup
from defusedxml import ElementTree

from conftest import png, post

ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"

FULL = 'kb_feed_content = "full"\n'

POSTS: dict[str, str | bytes] = {
    "posts/attention/article.md": post(
        "Attention, step by step",
        description="How attention works.",
        date='"2026-05-08 18:28:18+08:00"',
        tags="[Attention, Deep Learning]",
        categories="[Machine Learning]",
        body="## Scores\n\nThe scores are $\\frac{QK^\\top}{\\sqrt{d}}$ over $\\mathbb{R}^n$.\n\n"
        "$$\n\\begin{aligned} a &= \\sum_{i=1}^n x_i \\\\ b &= 2 \\end{aligned}\n$$\n\n"
        "```{figure} plot.png\n\nA plot.\n```\n\n"
        "See [Raft](../raft/article.md), the [scores](#scores) and [the spec](https://example.org/spec).\n\n"
        "Broken: $\\frac{a$ stays TeX.\n",
    ),
    "posts/attention/plot.png": png(),
    "posts/raft/article.md": post(
        "Raft in one page",
        date="2025-12-11 16:09:34+0800",
        tags="[distributed]",
        categories="[Systems]",
        body="Raft elects a leader.\n\n<script>alert(1)</script>\n\n"
        '<img src="x.png" onerror="alert(2)"> <a href="javascript:alert(3)">link</a>\n',
    ),
}


@pytest.fixture
def full(build):
    """The blog with whole posts in its feeds and Hugo's feed addresses."""
    return build(POSTS, conf=FULL + 'kb_hugo_feeds = "/post/"\n')


def entry_html(site, path: str, title: str) -> BeautifulSoup:
    """The HTML a reader shows for the Atom entry *title* of the feed at *path*."""
    root = ElementTree.parse(site.outdir / path).getroot()
    entry = next(e for e in root.findall(f"{ATOM}entry") if e.findtext(f"{ATOM}title") == title)
    content = entry.find(f"{ATOM}content")
    assert content.get("type") == "html"
    return BeautifulSoup(content.text, "html.parser")


def test_full_content_has_absolute_links_and_images(full):
    body = entry_html(full, "blog/atom.xml", "Attention, step by step")
    image = body.select_one("img")
    assert image["src"].startswith("https://notes.example.org/_images/")
    assert (full.outdir / image["src"].removeprefix("https://notes.example.org/")).is_file()
    hrefs = [a["href"] for a in body.select("a[href]")]
    assert "https://notes.example.org/posts/raft/" in hrefs
    assert "https://notes.example.org/posts/attention/#scores" in hrefs
    assert "https://example.org/spec" in hrefs
    assert all(href.startswith("https://") for href in hrefs), hrefs
    # The body without the page's chrome: no repeated title, post header or related posts.
    assert body.find("h1") is None
    assert body.select_one("h2").get_text() == "Scores"
    assert body.select(".kb-post-header, .kb-post-links, .headerlink") == []


def test_full_content_maths_are_mathml_with_the_tex(full):
    body = entry_html(full, "blog/atom.xml", "Attention, step by step")
    maths = body.find_all("math")
    inline = [m for m in maths if m.get("display") == "inline"]
    assert [m["alttext"] for m in inline] == ["\\frac{QK^\\top}{\\sqrt{d}}", "\\mathbb{R}^n"]
    assert inline[0].find("mfrac") is not None and inline[0].find("msqrt") is not None
    assert inline[1].find("mi").get_text() == "ℝ"
    # `aligned` becomes a table of aligned rows, not stray `&`.
    display = next(m for m in maths if m.get("display") == "block")
    assert len(display.find_all("mtr")) == 2
    assert display.find("munderover") is not None
    assert "&" not in display.get_text()
    # TeX the converter cannot read stays TeX, and the feed is still whole.
    assert body.select_one("code.tex").get_text() == "\\frac{a"


def test_full_content_runs_no_script(full):
    body = entry_html(full, "blog/atom.xml", "Raft in one page")
    assert "Raft elects a leader." in body.get_text()
    assert body.find("script") is None
    for element in body.find_all(True):
        assert not [name for name in element.attrs if name.lower().startswith("on")], element
        assert not element.get("href", "").lower().startswith("javascript"), element


def test_rss_is_valid_and_mirrors_atom(full):
    channel = ElementTree.parse(full.outdir / "blog/rss.xml").getroot().find("channel")
    assert channel.findtext("title") == "Test notes"
    assert channel.findtext("link") == "https://notes.example.org/"
    assert channel.findtext("description")
    assert channel.find(f"{ATOM}link").get("href") == "https://notes.example.org/blog/rss.xml"
    items = channel.findall("item")
    assert [i.findtext("title") for i in items] == ["Attention, step by step", "Raft in one page"]
    first = items[0]
    assert first.findtext("link") == "https://notes.example.org/posts/attention/"
    assert first.findtext("guid") == "https://notes.example.org/posts/attention/"
    published = email.utils.parsedate_to_datetime(first.findtext("pubDate"))
    assert published.isoformat() == "2026-05-08T18:28:18+08:00"
    assert first.findtext("description") == "How attention works."
    assert "<math" in first.findtext(CONTENT)
    assert [c.text for c in first.findall("category")] == ["Machine Learning", "Attention", "Deep Learning"]
    # A tag's RSS feed beside its Atom feed.
    tag = ElementTree.parse(full.outdir / "blog/tag/distributed/rss.xml").getroot().find("channel")
    assert [i.findtext("title") for i in tag.findall("item")] == ["Raft in one page"]


def test_pages_link_the_rss_feeds(full):
    for page, feeds in [
        ("posts/raft", ["blog/rss.xml"]),
        ("blog/tag/distributed", ["blog/rss.xml", "blog/tag/distributed/rss.xml"]),
    ]:
        links = full.html(page).select('link[rel="alternate"][type="application/rss+xml"]')
        assert [full.resolve(page, link["href"]) for link in links] == [full.outdir / feed for feed in feeds]


def test_hugo_addresses_are_copies_of_the_rss_feeds(full):
    rss = (full.outdir / "blog/rss.xml").read_bytes()
    assert (full.outdir / "index.xml").read_bytes() == rss
    assert (full.outdir / "post/index.xml").read_bytes() == rss
    # Hugo's urlize: lower case, spaces as hyphens.
    tag = full.outdir / "blog/tag/deep-learning/rss.xml"
    assert (full.outdir / "tags/deep-learning/index.xml").read_bytes() == tag.read_bytes()
    category = full.outdir / "blog/category/machine-learning/rss.xml"
    assert (full.outdir / "categories/machine-learning/index.xml").read_bytes() == category.read_bytes()


def test_summary_feeds_by_default_without_hugo_copies(build):
    site = build(POSTS)
    root = ElementTree.parse(site.outdir / "blog/atom.xml").getroot()
    assert all(e.find(f"{ATOM}content") is None for e in root.findall(f"{ATOM}entry"))
    assert (site.outdir / "blog/rss.xml").is_file()
    assert not (site.outdir / "index.xml").exists()


def test_a_hugo_copy_never_replaces_a_file_of_the_site(build):
    files = {**POSTS, "extra/index.xml": "<mine/>"}
    conf = 'kb_hugo_feeds = "/posts/"\nhtml_extra_path = ["extra"]\n'
    site = build(files, conf=conf)
    assert (site.outdir / "index.xml").read_text() == "<mine/>"
    assert "the copy of the feed at Hugo's address index.xml is already a file of the site" in site.warnings
    assert (site.outdir / "posts/index.xml").is_file()
    # The next build leaves it alone too.
    site.rebuild()
    assert (site.outdir / "index.xml").read_text() == "<mine/>"


def test_bad_feed_settings_are_refused(build):
    site = build(POSTS, conf='kb_feed_content = "everything"\nkb_hugo_feeds = "posts"\n')
    assert "expected 'summary' or 'full', got 'everything'" in site.warnings
    assert "'posts' is not a root-relative folder such as '/posts/'" in site.warnings
    assert not (site.outdir / "index.xml").exists()


def test_math_fallback_is_escaped():
    from sphinx_kb.output.feed_content import mathml

    assert mathml("\\text{<b>x</b>} \\unknowncommand", block=False) == (
        '<code class="tex">' + html.escape("\\text{<b>x</b>} \\unknowncommand") + "</code>"
    )
    assert "&lt;b&gt;" in mathml("\\text{<b>}", block=False)


def test_hostile_html_is_not_live_and_addresses_are_absolute():
    from sphinx_kb.output.feed_content import _clean

    body = BeautifulSoup(
        _clean(
            '<p onclick="steal()">Text<script>alert(1)</script> more</p>'
            '<iframe src="embed/heat.html" title="Heat map"></iframe>'
            '<a href=" JavaScript:alert(1)">j</a><style>p{}</style><form action="/x"><input></form>'
            '<img src="../../_images/a.png" srcset="a.png 1x, javascript:x 2x" onerror="alert(2)">'
            '<a class="headerlink" href="#part">¶</a>',
            "https://notes.example.org/posts/a/",
        ),
        "html.parser",
    )
    assert body.find(["script", "iframe", "style", "form", "input"]) is None
    assert all(not name.startswith("on") for element in body.find_all(True) for name in element.attrs)
    assert body.select_one("p").get_text() == "Text more"
    # An embedded page becomes a link to it; the javascript link keeps its text only.
    assert [(a.get("href"), a.get_text()) for a in body.find_all("a")] == [
        ("https://notes.example.org/posts/a/embed/heat.html", "Heat map"),
        (None, "j"),
    ]
    image = body.find("img")
    assert image["src"] == "https://notes.example.org/_images/a.png"
    assert image["srcset"] == "https://notes.example.org/posts/a/a.png 1x"

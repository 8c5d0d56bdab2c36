"""What search engines, link previews and lost readers get: description, canonical, Open Graph and
Twitter tags, sitemap.xml, robots.txt, llms.txt and the 404 page (output/social, sitemap, llms,
notfound)."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup
from defusedxml import ElementTree

from conftest import BASE_CONF, QuietHandler, browser_test, png, post, served

if TYPE_CHECKING:
    from collections.abc import Iterator

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
BASE = "https://notes.example.org/"

POSTS = {
    "posts/raft/article.md": post(
        '"Raft consensus & <log> replication"',
        description='"How Raft elects a leader & keeps <b>logs</b> in step."',
        date="2025-02-01",
        lastmod="2025-03-05",
        tags="[distributed, consensus]",
        categories="[systems]",
        image="cover.png",
        body="Raft is a consensus algorithm.\n",
    ),
    "posts/raft/cover.png": png(4, 3),
    "posts/attention/article.md": post(
        "Attention is all you need",
        date="2025-01-10",
        tags="[ml]",
        categories="[ml]",
        body="Transformers replace recurrence with attention. More words follow here.\n",
    ),
    "posts/gongshi/article.md": post(
        "分布式共识算法笔记", date="2024-12-01", aliases="[/p/old-consensus/]", body="关于共识的笔记。\n"
    ),
    "posts/secret/article.md": post("Secret draft", date="2025-01-20", draft="true", body="Not yet.\n"),
    "about.md": "# About\n\nThis site holds research notes on systems and learning.\n",
}

INDEX = """\
# Home

```{toctree}
about
```

```{posts}
```
"""


def meta(page: BeautifulSoup) -> dict[str, list[str]]:
    """Every ``<meta>`` of the head with a name or property: name -> its contents, in order."""
    found: dict[str, list[str]] = {}
    for tag in page.head.find_all("meta"):
        name = tag.get("property") or tag.get("name")
        if name:
            found.setdefault(name, []).append(tag["content"])
    return found


@pytest.fixture
def site(build):
    return build({**POSTS, "index.md": INDEX}, confoverrides={"kb_show_drafts": True})


def test_a_post_has_description_canonical_and_article_card(site):
    page = site.html("posts/raft")
    tags = meta(page)
    text = "How Raft elects a leader & keeps <b>logs</b> in step."
    title = "Raft consensus & <log> replication"
    assert tags["description"] == [text]
    assert tags["og:description"] == tags["twitter:description"] == [text]
    assert tags["og:title"] == tags["twitter:title"] == [title]
    assert tags["og:type"] == ["article"]
    assert tags["og:url"] == [BASE + "posts/raft/"]
    assert page.head.find("link", rel="canonical")["href"] == BASE + "posts/raft/"
    assert tags["og:site_name"] == ["Test notes"]
    assert tags["og:locale"] == ["en"]
    assert meta(site.html("posts/gongshi"))["og:locale"] == ["zh"]
    assert tags["article:published_time"] == ["2025-02-01T00:00:00+00:00"]
    assert tags["article:modified_time"] == ["2025-03-05T00:00:00+00:00"]
    assert tags["article:section"] == ["systems"]
    assert tags["article:tag"] == ["distributed", "consensus"]
    assert tags["twitter:card"] == ["summary_large_image"]
    # The cover, as an absolute address of the copy the site publishes.
    image = tags["og:image"][0]
    assert tags["twitter:image"] == [image]
    assert image.startswith(BASE + "_downloads/") and image.endswith("/cover.png")
    assert (site.outdir / image.removeprefix(BASE)).read_bytes() == png(4, 3)
    assert tags["og:image:alt"] == [title]
    # The author's text is text: escaped in the attribute, no element made of it.
    html = site.file("posts/raft").read_text(encoding="utf-8")
    assert 'content="How Raft elects a leader &amp; keeps &lt;b&gt;logs&lt;/b&gt; in step."' in html
    assert page.head.find("b") is None and page.head.find("log") is None


def test_summary_pages_and_home_get_their_descriptions(site):
    attention = meta(site.html("posts/attention"))
    assert attention["description"] == ["Transformers replace recurrence with attention. More words follow here."]
    assert attention["twitter:card"] == ["summary"]  # no cover, no site image
    assert "og:image" not in attention
    assert attention["og:type"] == ["article"] and attention["article:tag"] == ["ml"]
    about = meta(site.html("about"))
    assert about["description"] == ["This site holds research notes on systems and learning."]
    assert about["og:type"] == ["website"] and about["og:title"] == ["About"]
    assert "article:published_time" not in about
    # The home page: the site's description, which is empty here.
    home = meta(site.html(""))
    assert "description" not in home and home["og:url"] == [BASE]


def test_site_description_and_default_image(build):
    site = build(
        {**POSTS, "_static/card.png": png(8, 4)},
        conf='html_static_path = ["_static"]\n'
        'kb_site_description = "Notes on <systems> & learning"\nkb_social_image = "_static/card.png"\n'
        'kb_twitter_site = "@notes"\n',
    )
    home = meta(site.html(""))
    assert home["description"] == home["og:description"] == ["Notes on <systems> & learning"]
    assert home["og:image"] == [BASE + "_static/card.png"] and (site.outdir / "_static/card.png").is_file()
    assert home["twitter:site"] == ["@notes"]
    # A post without a cover shows the site's image; one with a cover its own.
    assert meta(site.html("posts/attention"))["og:image"] == [BASE + "_static/card.png"]
    assert "/_downloads/" in meta(site.html("posts/raft"))["og:image"][0]
    assert "Notes on \\<systems\\> & learning" in (site.outdir / "llms.txt").read_text(encoding="utf-8")


def test_a_social_image_that_is_not_published_is_a_warning(build):
    site = build({**POSTS, "index.md": INDEX}, conf='kb_social_image = "_static/card.png"\n')
    line = len(BASE_CONF.splitlines()) + 1
    assert site.warnings.strip() == (
        f"{site.srcdir / 'conf.py'}:{line}: WARNING: kb_social_image '_static/card.png' is not a file of the "
        "built site (put it in a folder of html_static_path) [kb.config]"
    )


def test_a_draft_is_noindex_and_in_no_list(site):
    assert meta(site.html("posts/secret"))["robots"] == ["noindex"]
    assert "secret" not in (site.outdir / "sitemap.xml").read_text(encoding="utf-8")
    assert "Secret" not in (site.outdir / "llms.txt").read_text(encoding="utf-8")
    assert "Secret" not in (site.outdir / "_static/kb-notfound.json").read_text(encoding="utf-8")


def sitemap(site) -> dict[str, str | None]:
    root = ElementTree.parse(site.outdir / "sitemap.xml").getroot()
    assert root.tag == f"{SITEMAP}urlset"
    return {url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod") for url in root}


def test_sitemap_lists_published_pages_with_their_updates(site):
    entries = sitemap(site)
    newest = "2025-03-05T00:00:00+00:00"
    assert entries == {
        BASE: newest,  # it lists the posts
        BASE + "about/": None,
        BASE + "posts/raft/": newest,
        BASE + "posts/attention/": "2025-01-10T00:00:00+00:00",
        BASE + "posts/gongshi/": "2024-12-01T00:00:00+00:00",
        BASE + "blog/": newest,
        BASE + "blog/2025/": newest,
        BASE + "blog/2024/": "2024-12-01T00:00:00+00:00",
        BASE + "blog/archive/": newest,
        BASE + "blog/tag/": newest,
        BASE + "blog/tag/distributed/": newest,
        BASE + "blog/tag/consensus/": newest,
        BASE + "blog/tag/ml/": "2025-01-10T00:00:00+00:00",
        BASE + "blog/category/": newest,
        BASE + "blog/category/systems/": newest,
        BASE + "blog/category/ml/": "2025-01-10T00:00:00+00:00",
    }
    # Not in it, though written: the draft, the 404 and search pages, ablog's drafts, redirects.
    for written in ("posts/secret", "404", "search", "blog/drafts", "p/old-consensus"):
        assert (site.outdir / written / "index.html").is_file(), written
    assert (site.outdir / "robots.txt").read_text(encoding="utf-8") == (
        f"User-agent: *\nAllow: /\n\nSitemap: {BASE}sitemap.xml\n"
    )


def test_an_authors_robots_txt_is_kept(build):
    site = build({**POSTS, "extra/robots.txt": "User-agent: *\nDisallow: /\n"}, conf='html_extra_path = ["extra"]\n')
    assert (site.outdir / "robots.txt").read_text(encoding="utf-8") == "User-agent: *\nDisallow: /\n"
    assert (site.outdir / "sitemap.xml").is_file()


def test_llms_txt_lists_posts_newest_first_then_pages(site):
    assert (site.outdir / "llms.txt").read_text(encoding="utf-8") == (
        "# Test notes\n"
        "\n"
        "## Posts\n"
        "\n"
        f"- [Raft consensus & \\<log\\> replication]({BASE}posts/raft/): "
        "How Raft elects a leader & keeps \\<b\\>logs\\</b\\> in step.\n"
        f"- [Attention is all you need]({BASE}posts/attention/): "
        "Transformers replace recurrence with attention. More words follow here.\n"
        f"- [分布式共识算法笔记]({BASE}posts/gongshi/): 关于共识的笔记。\n"
        "\n"
        "## Pages\n"
        "\n"
        f"- [About]({BASE}about/)\n"
    )


def test_without_html_baseurl_pages_keep_descriptions_and_no_file_is_written(build):
    site = build(POSTS, confoverrides={"html_baseurl": ""})
    tags = meta(site.html("posts/raft"))
    assert tags["description"] == ["How Raft elects a leader & keeps <b>logs</b> in step."]
    assert "og:url" not in tags and "og:image" not in tags
    assert site.html("posts/raft").head.find("link", rel="canonical") is None
    for name in ("sitemap.xml", "robots.txt", "llms.txt"):
        assert not (site.outdir / name).exists(), name
    # The 404 page is still written, for a site served at the root.
    assert site.html("404").select_one('link[rel="stylesheet"][href^="/_static/styles/furo.css"]') is not None


def test_settings_switch_each_file_off(build):
    site = build(POSTS, conf="kb_sitemap = False\nkb_llms_txt = False\nkb_not_found_page = False\n")
    for name in ("sitemap.xml", "robots.txt", "llms.txt", "404.html", "404/index.html", "_static/kb-notfound.json"):
        assert not (site.outdir / name).exists(), name


# The 404 page -------------------------------------------------------------------------------------

RTD = "https://notes.example.org/en/latest/"


@pytest.fixture
def rtd_site(build):
    """A site whose address has a language and version, as on Read the Docs."""
    return build({**POSTS, "index.md": INDEX}, confoverrides={"html_baseurl": RTD})


def test_the_404_page_links_absolutely_under_the_sites_path(rtd_site):
    page = rtd_site.html("404")
    assert (rtd_site.outdir / "404.html").read_bytes() == rtd_site.file("404").read_bytes()
    assert page.select_one('meta[name="robots"]')["content"] == "noindex"
    assert page.head.find("link", rel="canonical") is None and "og:url" not in meta(page)
    links = [a["href"] for a in page.select("a[href]") if not a["href"].startswith(("#", "https://"))]
    assets = [tag.get("href") or tag.get("src") for tag in page.select("link[href], script[src]")]
    assert links and assets
    for address in links + assets:
        assert address.startswith("/en/latest/"), address
        path = unquote(urlsplit(address).path).removeprefix("/en/latest/")
        target = rtd_site.outdir / path
        assert (target / "index.html" if target.is_dir() else target).is_file(), address
    section = page.select_one("#kb-notfound")
    assert section["data-root"] == "/en/latest/"
    assert section["data-posts"] == "/en/latest/_static/kb-notfound.json"
    assert page.html["data-content_root"] == "/en/latest/"


class NotFound(QuietHandler):
    """Serves the site under ``/en/latest/``, and its ``404.html`` for every missing address."""

    def translate_path(self, path: str) -> str:
        path = urlsplit(path).path
        if not path.startswith("/en/latest/"):
            return str(Path(self.directory) / "missing")
        return super().translate_path("/" + path.removeprefix("/en/latest/"))

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        if code != 404:
            super().send_error(code, message, explain)
            return
        body = (Path(self.directory) / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def served_with_404(root: Path) -> Iterator[str]:
    """The site served as Read the Docs does (see :class:`NotFound`); yields its host's address."""
    with served(root, NotFound) as address:
        yield address.rstrip("/")


def suggestions(chromium, host: str, path: str) -> tuple[list[tuple[str, str]], str, object]:
    """The suggested posts (title, address) on the page at *path*, the lead line, and the page."""
    page = chromium.new_page()
    outside: list[str] = []
    page.on("request", lambda request: outside.append(request.url) if not request.url.startswith(host) else None)
    response = page.goto(host + path, wait_until="networkidle")
    assert response.status == 404
    page.wait_for_selector(".kb-notfound-suggestions:not([hidden])")
    found = page.eval_on_selector_all(".kb-notfound-list a", "links => links.map(a => [a.textContent, a.href])")
    lead = page.text_content(".kb-notfound-lead")
    assert outside == []
    return [tuple(item) for item in found], lead, page


@browser_test
def test_a_missing_deep_address_shows_the_styled_page_and_the_matching_posts(rtd_site, chromium):
    with served_with_404(rtd_site.outdir) as host:
        found, lead, page = suggestions(chromium, host, "/en/latest/some/deep/raft-consenus/missing/")
        try:
            # Styled by the site's stylesheets: furo lays the sidebar beside the content (unstyled,
            # the page is one block), kb.css indents the list.
            assert page.evaluate("getComputedStyle(document.querySelector('.page')).display") == "flex"
            assert page.evaluate("getComputedStyle(document.querySelector('.kb-notfound-list')).paddingLeft") == "20px"
            assert lead == "Perhaps you were looking for:"
            assert found[0] == ("Raft consensus & <log> replication", host + "/en/latest/posts/raft/")
            # The suggestion leads to the post.
            page.click(".kb-notfound-list a >> nth=0")
            page.wait_for_load_state("networkidle")
            assert page.url == host + "/en/latest/posts/raft/"
            assert page.text_content("h1").startswith("Raft consensus")
        finally:
            page.close()
        # Chinese addresses match by characters; an old address's words count too.
        found, _lead, page = suggestions(chromium, host, "/en/latest/p/%E5%85%B1%E8%AF%86/")
        page.close()
        assert found[0] == ("分布式共识算法笔记", host + "/en/latest/posts/gongshi/")
        found, _lead, page = suggestions(chromium, host, "/en/latest/old-consensus.html")
        page.close()
        assert found[0][0] == "分布式共识算法笔记"
        # Nothing matches: the newest posts.
        found, lead, page = suggestions(chromium, host, "/en/latest/zzz/qqq/")
        page.close()
        assert lead == "The newest posts:"
        assert [title for title, _ in found] == [
            "Raft consensus & <log> replication",
            "Attention is all you need",
            "分布式共识算法笔记",
        ]

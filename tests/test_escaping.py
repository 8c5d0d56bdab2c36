"""Author text is text everywhere, author URLs are links only when safe, feeds are valid XML, and
aliases are checked file names: hostile front matter and MDX props, built beside good posts."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import unquote, urlsplit
from urllib.request import urlopen

import pytest
from bs4 import BeautifulSoup
from defusedxml import ElementTree
from sphinx.testing.util import SphinxTestApp

from conftest import BASE_CONF, INDEX, Site, browser_test, png, post, served, write

ATOM = "{http://www.w3.org/2005/Atom}"


def payload(mark: int) -> str:
    """Markup that, were it live, would set ``window.__pwned`` and open an alert dialog."""
    return f'<img src=x onerror="alert(window.__pwned={mark})">'


#: A formula that MathJax would make a link of, were its ``safe`` extension not loaded.
MATH_LINK = r"$\href{javascript:alert(window.__pwned=24)}{x}$"
TITLE = f"{payload(1)} *star* `code` $x$ [link](https://example.org)"
HOSTILE = post(
    f"'{TITLE}'",
    description=f"'<script>alert(window.__pwned=2)</script> {payload(3)} {MATH_LINK}'",
    date="2025-01-02",
    tags=f"['{payload(4)}', safe]",
    categories=f"['{payload(5)}']",
    authors=f"[{{name: '{payload(6)}', url: 'javascript:alert(window.__pwned=7)'}}, "
    "{name: Mallory, url: 'DATA:text/html,<script>alert(8)</script>'}, {name: Ada, url: 'https://ada.example.org'}]",
    myst="{html_meta: {'http-equiv=refresh': '0; url=javascript:alert(window.__pwned=9)'}}",
    body="## Section\n\nBody of the hostile post.\n",
)

PROPS = f"""\
import fig from "./fig.png"

<Note title='{payload(10)}'>
Note body.
</Note>

<Accordion title='{payload(11)}'>
Inside.
</Accordion>

<Tabs>
  <Tab label='{payload(12)}'>
  Tab body.
  </Tab>
</Tabs>

<Quote source='{payload(13)}'>
Quoted.
</Quote>

<Theorem title='{payload(14)}' id="thm-x">
Statement.
</Theorem>

<Image src={{fig}} alt='{payload(15)}' caption='{payload(16)} *not emphasis* but $d_k$' />

Inline <img src="./fig.png" alt='{payload(17)}' /> image and <a href="javascript:alert(window.__pwned=18)">a link</a>.

<span onclick="alert(window.__pwned=19)" title='x" onmouseover="alert(20)'>Spanned.</span>

<HtmlEmbed src="javascript:alert(window.__pwned=21)" title="Chart" />

<Definition term='Math $<img src=x onerror="alert(window.__pwned=22)">$ is TeX' id="def-x">
Defined.
</Definition>
"""

SITE = {
    "posts/hostile/article.md": HOSTILE,
    "posts/props/article.mdx": post("Props", date="2025-01-01", body=PROPS),
    "posts/props/fig.png": png(),
    "posts/good/article.md": post("Good", date="2025-01-03", tags="[safe]", body="A good post.\n"),
}

#: Scripts the theme and extensions put on pages: files of ``_static`` and these inline scripts.
THEME_INLINE_SCRIPTS = (
    "document.body.dataset.theme = ",
    "window.MathJax = ",
    "DOCUMENTATION_OPTIONS.COLLAPSE_INDEX = ",
    # The search page's note for readers who opened it as a file (kb/search.html).
    'if (location.protocol === "file:") document.querySelector(".kb-search-offline")',
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The hostile site, built once for the module (the tests that use it only read it)."""
    srcdir = tmp_path_factory.mktemp("escaping") / "src"
    write(srcdir, {"conf.py": BASE_CONF, "index.md": INDEX, **SITE})
    app = SphinxTestApp("dirhtml", srcdir=srcdir, status=StringIO(), warning=StringIO())
    try:
        app.build()
        # Sphinx registers directives for the whole process: the app is cleaned up at once, so
        # the other tests' builds start clean; what the tests read stays on disk.
        return Site(SimpleNamespace(outdir=app.outdir, srcdir=app.srcdir, warning=app.warning))  # type: ignore[arg-type]
    finally:
        app.cleanup()


def line(text: str, needle: str) -> int:
    """The 1-based line of *text* where *needle* is."""
    return text[: text.index(needle)].count("\n") + 1


def test_hostile_text_gives_exact_located_warnings(site):
    hostile = f"{site.srcdir / 'posts/hostile/article.md'}:{line(HOSTILE, 'authors:')}: WARNING: "
    props = site.srcdir / "posts/props/article.mdx"
    mdx = SITE["posts/props/article.mdx"]
    not_linked = "is not an http(s), mailto or relative address; it is not linked [kb.url]"
    left_out = "is not an http(s), mailto or relative address; it is left out [kb.url]"
    warnings = sorted(line for line in site.warnings.splitlines() if line)
    assert warnings == sorted(
        [
            f"{hostile}the url 'javascript:alert(window.__pwned=7)' of the author '{payload(6)}' {not_linked}",
            f"{hostile}the url 'DATA:text/html,<script>alert(8)</script>' of the author 'Mallory' {not_linked}",
            f"{site.srcdir / 'posts/hostile/article.md'}:1: WARNING: the html_meta refresh to "
            "'javascript:alert(window.__pwned=9)' is not to an http(s), mailto or relative address; it is left out "
            "[kb.url]",
            f"{props}:{line(mdx, '<a href')}: WARNING: "
            f"the href 'javascript:alert(window.__pwned=18)' of <a> {left_out}",
            f"{props}:{line(mdx, '<span')}: WARNING: the attribute onclick of <span> is not run; left out [kb.mdx]",
            f"{props}:{line(mdx, '<HtmlEmbed')}: WARNING: "
            f"the src 'javascript:alert(window.__pwned=21)' of <HtmlEmbed> {left_out}",
        ]
    )


# Every file of the output ------------------------------------------------------------------------

#: Attributes that hold a URL a browser may follow or load.
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "poster", "data", "srcset", "xlink:href")
#: Schemes that run script or make a page of the URL itself.
SCRIPT_SCHEMES = re.compile(r"^\s*(javascript|vbscript|data\s*:\s*text/html)", re.IGNORECASE)


def pages(site: Site) -> list[Path]:
    return sorted(path for path in site.outdir.rglob("*.html") if "_static" not in path.parts)


def injected(site: Site, path: Path, html: str | None = None) -> list[str]:
    """Elements and attributes of the HTML file *path* (or of *html*, as if it were at *path*)
    that the theme would not have written."""
    found = []
    soup = BeautifulSoup(html or path.read_text(encoding="utf-8"), "html.parser")
    for element in soup.find_all(True):
        for name, value in element.attrs.items():
            values = value if isinstance(value, list) else [value]
            if name.lower().startswith("on"):
                found.append(f"<{element.name} {name}=...>")
            if name.lower() in URL_ATTRIBUTES and any(SCRIPT_SCHEMES.match(item) for item in values):
                found.append(f"<{element.name} {name}={value!r}>")
        if element.name == "script":
            source = element.get("src")
            if source is not None:
                # A root-absolute address (the 404 page's, served at any depth) is under the site's root.
                address = unquote(urlsplit(source).path)
                folder = site.outdir if address.startswith("/") else path.parent
                target = (folder / address.lstrip("/")).resolve()
                if not (target.is_file() and site.outdir.resolve() in target.parents):
                    found.append(f"<script src={source!r}>")
            elif not element.get_text().strip().startswith(THEME_INLINE_SCRIPTS):
                found.append(f"<script>{element.get_text()[:40]!r}")
        if element.name == "meta" and str(element.get("http-equiv", "")).lower() == "refresh":
            found.append(f"<meta http-equiv=refresh content={element.get('content')!r}>")
        if element.name in ("iframe", "object", "embed", "base"):
            found.append(f"<{element.name}>")
    return found


def test_no_page_has_injected_markup_or_script_links(site):
    assert len(pages(site)) > 10
    for path in pages(site):
        assert injected(site, path) == [], path.relative_to(site.outdir)


def test_the_check_finds_injected_markup(site):
    """The scan above is not blind: it finds each kind of payload in a page that has them."""
    page = site.outdir / "posts/good/index.html"
    html = page.read_text(encoding="utf-8")
    for bad, expected in [
        (payload(1), ["<img onerror=...>"]),
        ("<script>alert(1)</script>", ["<script>'alert(1)'"]),
        ('<a href=" JavaScript:alert(1)">x</a>', ["<a href=' JavaScript:alert(1)'>"]),
        ('<script src="https://evil.example/x.js"></script>', ["<script src='https://evil.example/x.js'>"]),
        (
            '<meta http-equiv="refresh" content="0; url=javascript:x">',
            ["<meta http-equiv=refresh content='0; url=javascript:x'>"],
        ),
    ]:
        assert injected(site, page, html.replace("</article>", bad + "</article>", 1)) == expected


def test_every_feed_is_valid_atom_or_rss_with_text_only(site):
    feeds = sorted(path for path in site.outdir.rglob("atom.xml"))
    assert len(feeds) >= 4  # the site's, the tag 'safe', the hostile tag and category
    for path in feeds:
        root = ElementTree.parse(path).getroot()
        assert root.tag == f"{ATOM}feed"
        for element in root.iter():
            assert element.tag.startswith(ATOM), (path, element.tag)
            assert not SCRIPT_SCHEMES.match(element.get("href", "")), path
            if element.tag == f"{ATOM}uri":
                assert not SCRIPT_SCHEMES.match(element.text or ""), path
    rss = sorted(path for path in site.outdir.rglob("rss.xml"))
    assert {path.parent for path in rss} == {path.parent for path in feeds}
    for path in rss:
        root = ElementTree.parse(path).getroot()
        assert root.tag == "rss"
        for element in root.iter():
            # RSS's own elements have no namespace; only Atom's self link is borrowed.
            assert not element.tag.startswith("{") or element.tag == f"{ATOM}link", (path, element.tag)
            assert not SCRIPT_SCHEMES.match(element.get("href", "")), path
            if element.tag in ("link", "guid"):
                assert not SCRIPT_SCHEMES.match(element.text or ""), path


def test_the_sitemap_is_valid_with_site_addresses_only(site):
    sitemap = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    root = ElementTree.parse(site.outdir / "sitemap.xml").getroot()
    assert root.tag == f"{sitemap}urlset"
    assert all(element.tag.startswith(sitemap) for element in root.iter())
    addresses = [element.text for element in root.iter(f"{sitemap}loc")]
    assert "https://notes.example.org/posts/hostile/" in addresses
    # Tags and categories named with markup are archive pages at percent-encoded addresses.
    assert all(text.startswith("https://notes.example.org/") and "<" not in text for text in addresses)


# What a reader sees ----------------------------------------------------------------------------


def test_front_matter_title_is_text_on_the_post(site):
    page = site.html("posts/hostile")
    assert page.select_one("article h1").get_text().removesuffix("¶") == TITLE
    assert page.select_one("article h1").find_all(True) == [page.select_one("article h1 a.headerlink")]
    assert page.title.get_text().startswith(TITLE)
    assert page.select_one(".toc-tree a").get_text() == TITLE


def test_title_is_text_for_neighbours_listings_and_archives(site):
    assert site.html("posts/good").select_one(".prev-page .title").get_text() == TITLE
    assert site.html("posts/props").select_one(".next-page .title").get_text() == TITLE
    for archive in ("", "blog", "blog/2025"):
        titles = [a.get_text() for a in site.article(archive).select(".kb-post-card-title a")]
        assert TITLE in titles, archive


def test_front_matter_names_are_text(site):
    header = site.article("posts/hostile").select_one(".kb-post-header")
    assert header.select_one(".kb-category").get_text() == payload(5)
    assert [a.get_text() for a in header.select(".kb-tags a")] == [payload(4), "safe"]
    authors = {a.get_text(): a["href"] for a in header.select(".kb-authors a")}
    assert authors[payload(6)].startswith("../../blog/author/")
    assert authors["Mallory"] == "../../blog/author/mallory/"
    assert authors["Ada"] == "https://ada.example.org"
    summary = site.article("").select(".kb-post-card-summary")
    math = r"\(\href{javascript:alert(window.__pwned=24)}{x}\)"
    assert f"<script>alert(window.__pwned=2)</script> {payload(3)} {math}" in [s.get_text().strip() for s in summary]


def straight(text: str) -> str:
    """*text* with curly double quotes made straight: Sphinx typesets body text with curly ones
    (``smartquotes``, on by default), which changes no markup."""
    return text.replace("\u201c", '"').replace("\u201d", '"')


def test_mdx_string_props_are_text(site):
    page = site.article("posts/props")
    assert straight(page.select_one(".admonition-title").get_text()) == payload(10)
    assert straight(page.select_one(".sd-summary-text").get_text()) == payload(11)
    assert straight(page.select_one(".sd-tab-label").get_text().strip()) == payload(12)
    assert straight(page.select_one(".attribution").get_text()) == "—" + payload(13)
    assert payload(14) in straight(page.select_one(".proof").get_text())
    figure = page.select_one("figure")
    assert figure.img["alt"] == payload(15)
    assert straight(figure.figcaption.get_text().strip()) == f"Fig. 1 {payload(16)} *not emphasis* but \\(d_k\\)¶"
    assert figure.figcaption.select_one("span.math").get_text() == "\\(d_k\\)"
    definition = page.select_one("#def-x")
    assert definition.select_one("span.math").get_text() == '\\(<img src=x onerror="alert(window.__pwned=22)">\\)'
    assert definition.find("img") is None
    assert page.find("img", alt=payload(17)) is not None
    link = page.find("a", string="a link")
    assert link is not None and not link.has_attr("href")
    span = next(span for span in page.find_all("span") if span.get_text().strip() == "Spanned.")
    assert span["title"] == 'x" onmouseover="alert(20)'
    assert page.find("iframe") is None


def test_head_metadata_and_llms_txt_carry_the_text(site):
    """Description, Open Graph and Twitter tags hold the author's text as attribute text; llms.txt
    escapes what Markdown would read as markup."""
    head = site.html("posts/hostile").head
    description = f"<script>alert(window.__pwned=2)</script> {payload(3)} {MATH_LINK}"
    for attribute, name, text in [
        ("property", "og:title", TITLE),
        ("name", "twitter:title", TITLE),
        ("name", "description", description),
        ("property", "og:description", description),
        ("property", "article:tag", payload(4)),
        ("property", "article:section", payload(5)),
    ]:
        assert head.find("meta", attrs={attribute: name})["content"] == text, name
    assert head.find("script", string=lambda text: bool(text) and "__pwned" in text) is None
    llms = (site.outdir / "llms.txt").read_text(encoding="utf-8")
    entry = next(line for line in llms.splitlines() if "posts/hostile/" in line)
    assert re.search(r"(?<!\\)[<>]", entry) is None  # every angle bracket escaped
    assert entry.startswith('- [\\<img src=x onerror="alert(window.\\_\\_pwned=1)"\\> \\*star\\* \\`code\\`')


def test_search_data_has_titles_as_text(site):
    """Pagefind indexes what the page marks for it: the title is text there too."""
    page = site.html("posts/hostile")
    assert page.select_one('[data-pagefind-meta="title"]').get_text() == TITLE


def test_feed_entries_carry_the_text(site):
    root = ElementTree.parse(site.outdir / "blog/atom.xml").getroot()
    entry = next(e for e in root.iter(f"{ATOM}entry") if e.findtext(f"{ATOM}title") == TITLE)
    summary = (
        f"<script>alert(window.__pwned=2)</script> {payload(3)} \\href{{javascript:alert(window.__pwned=24)}}{{x}}"
    )
    assert entry.findtext(f"{ATOM}summary") == summary
    authors = [(a.findtext(f"{ATOM}name"), a.findtext(f"{ATOM}uri")) for a in entry.iter(f"{ATOM}author")]
    assert authors == [(payload(6), None), ("Mallory", None), ("Ada", "https://ada.example.org")]
    assert {c.get("term") for c in entry.iter(f"{ATOM}category")} == {payload(4), payload(5), "safe"}


# Feeds and redirects --------------------------------------------------------------------------


def test_characters_xml_forbids_are_dropped_from_feeds_with_located_warnings(build):
    site = build(
        {
            "posts/bell/article.md": post('"Bell\\a title"', date="2025-01-01", body="Form\ffeed pasted.\n"),
            "posts/ding/article.md": post(
                "Ding", date="2025-01-02", description='"Ding\\x01dong"', tags='["a\\x02b", fine]'
            ),
            "posts/zzz/article.md": post("Later", date="2025-01-03", aliases="[/p/later/]"),
        }
    )
    bell, ding = (site.srcdir / f"posts/{name}/article.md" for name in ("bell", "ding"))
    message = "has characters XML does not allow ({}); they are left out of the feeds [kb.feed]"
    assert sorted(line for line in site.warnings.splitlines() if line) == sorted(
        [
            f"{bell}:2: WARNING: the title " + message.format("U+0007"),
            f"{bell}:1: WARNING: the summary " + message.format("U+000C"),
            f"{ding}:4: WARNING: the summary " + message.format("U+0001"),
            f"{ding}:5: WARNING: the tag " + message.format("U+0002"),
        ]
    )
    root = ElementTree.parse(site.outdir / "blog/atom.xml").getroot()
    entries = {entry.findtext(f"{ATOM}title"): entry for entry in root.iter(f"{ATOM}entry")}
    assert sorted(entries) == ["Bell title", "Ding", "Later"]
    assert entries["Bell title"].findtext(f"{ATOM}summary") == "Formfeed pasted."
    assert entries["Ding"].findtext(f"{ATOM}summary") == "Dingdong"
    for tag in ("ab", "fine"):
        feed = ElementTree.parse(site.outdir / f"blog/tag/{tag}/atom.xml").getroot()
        assert [e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")] == ["Ding"]
    assert (site.outdir / "p/later/index.html").is_file()


ALIASES = [
    "/p/a\\0b/",
    "/p/" + "a" * 300 + "/",
    "/blog/atom.xml",
    "/_static/kb.css",
    "/p/%2E%2E/x/",
    "/p/%FF/",
    "/p/%E4%B8%AD%E6%96%87/",
    "/p/with space/",
]


def test_aliases_are_decoded_and_checked_and_never_stop_other_redirects(build):
    aliases = "[" + ", ".join(f'"{alias}"' for alias in ALIASES) + "]"
    site = build(
        {
            "posts/first/article.md": post("First", date="2025-01-01", aliases=aliases),
            "posts/中文 笔记/article.md": post("中文", date="2025-01-02", aliases="[/p/later/]"),
        }
    )
    first = site.srcdir / "posts/first/article.md"
    refused = [
        ("/p/a\x00b/", "holds the control character U+0000, which no file name can"),
        ("/p/" + "a" * 300 + "/", "has a part of 300 bytes, longer than a file name may be (255)"),
        ("/blog/atom.xml", "is already the file blog/atom.xml of the site"),
        ("/_static/kb.css", "is already the file _static/kb.css of the site"),
        ("/p/%2E%2E/x/", "is not an address on this site"),
        ("/p/%FF/", "is not UTF-8 once its %-escapes are decoded"),
    ]
    assert sorted(line for line in site.warnings.splitlines() if line) == sorted(
        f"{first}:4: WARNING: alias {alias!r} {reason}; no redirect is made [kb.alias]" for alias, reason in refused
    )
    assert (site.outdir / "blog/atom.xml").read_bytes().startswith(b"<?xml")
    assert "kb-redirect" not in (site.outdir / "_static/kb.css").read_text(encoding="utf-8")
    chinese = site.outdir / "p/中文/index.html"
    assert site.resolve("p/中文", redirect_url(chinese)) == site.file("posts/first")
    assert site.resolve("p/with space", redirect_url(site.outdir / "p/with space/index.html")) == site.file(
        "posts/first"
    )
    # The later post's redirect leads to its folder, percent-encoded.
    later = redirect_url(site.outdir / "p/later/index.html")
    assert later == "../../posts/%E4%B8%AD%E6%96%87%20%E7%AC%94%E8%AE%B0/"
    assert site.resolve("p/later", later) == site.file("posts/中文 笔记")
    # The listing links the post percent-encoded too.
    link = site.article("").select_one('.kb-post-card-title a[href*="posts"]')
    assert link["href"] == "posts/%E4%B8%AD%E6%96%87%20%E7%AC%94%E8%AE%B0/"


def test_a_percent_encoded_alias_is_reached_at_its_address(build):
    site = build({"posts/first/article.md": post("First", date="2025-01-01", aliases='["/p/%E4%B8%AD%E6%96%87/"]')})
    with served(site.outdir) as root, urlopen(root + "p/%E4%B8%AD%E6%96%87/") as response:
        page = response.read().decode()
    assert 'content="0; url=../../posts/first/"' in page


def redirect_url(path: Path) -> str:
    """Where the redirect page *path* sends the reader."""
    page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    return page.find("meta", attrs={"http-equiv": "refresh"})["content"].split("url=", 1)[1]


# In a browser ----------------------------------------------------------------------------------


@pytest.mark.browser
@browser_test
def test_no_injected_script_runs_in_a_browser(site, chromium):
    header = site.article("posts/hostile").select_one(".kb-post-header")
    archives = [
        unquote(a["href"]).removeprefix("../../")
        for a in header.select(".kb-category, .kb-tags a, .kb-authors a")
        if a["href"].startswith("../../")
    ]
    assert len(archives) >= 3  # the category and two tags (and the author archives)
    paths = ["", "posts/hostile/", "posts/good/", "posts/props/", "blog/", "blog/2025/", *archives]
    with served(site.outdir) as root:
        for path in [*paths, "search/?q=star"]:
            page = chromium.new_page()
            dialogs: list[str] = []
            page.on("dialog", lambda dialog, seen=dialogs: (seen.append(dialog.message), dialog.dismiss()))
            page.goto(root + path, wait_until="networkidle")
            if path.startswith("search/"):
                # The results (of the query, or of the hostile category or tag chosen as a filter)
                # list the hostile post by its title (text), with a preview of its body.
                page.wait_for_selector(".kb-search-result-title a")
                assert TITLE in page.locator(".kb-search-results").inner_text()
            page.evaluate("async () => { if (window.MathJax?.startup?.promise) await MathJax.startup.promise; }")
            page.mouse.move(200, 200)
            assert (dialogs, page.evaluate("() => window.__pwned")) == ([], None), path
            assert page.locator('[href^="javascript:" i], [src^="javascript:" i]').count() == 0, path
            page.close()

"""A post's language and reading time, and its last update from git (issue 12, items 1 and 3).

Each post's page, labels, feed entry and links to it follow its language: its `lang` front
matter, else its text's script, else the site's. Reading time counts CJK characters and other
words apart. "Updated" comes from the last commit that touched the bundle, in a real git repository
whose commits have fixed dates.
"""

from __future__ import annotations

import gettext
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from defusedxml import ElementTree

from conftest import BASE_CONF, INDEX, Site, post, write
from sphinx_kb import i18n
from sphinx_kb.content import language

ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

#: About 600 CJK characters: two minutes at 300 a minute.
CHINESE = "注意力机制把每个词和其他词联系起来。" * 33 + "\n"
#: 660 words: three minutes at 220 a minute.
ENGLISH = "Attention relates every token to every other token in the sequence. " * 60 + "\n"


def test_language_tags_are_checked_and_cased():
    assert language.normalize_tag("zh-cn") == "zh-CN"
    assert language.normalize_tag("zh_hans") == "zh-Hans"
    assert language.normalize_tag("es-419") == "es-419"
    for bad in ("English please", "", "e", 5, None, ["en"]):
        with pytest.raises(ValueError, match="is not a language tag"):
            language.normalize_tag(bad)


def test_text_is_counted_by_script():
    counts = language.count("我们用 Transformer 模型, it's GPT-4 in 2025.")
    assert (counts.cjk, counts.words) == (5, 5)
    assert language.detect(counts, "en") is None  # as many words as characters: not mostly CJK
    assert language.detect(language.count("我们使用 Transformer 模型来做注意力计算。"), "en") == "zh"
    assert language.detect(language.count("日本語のテキストです。"), "en") == "ja"
    assert language.detect(language.count("한국어 텍스트입니다"), "en") == "ko"
    # On a Chinese site, a Chinese post is in the site's language and an English one is English.
    assert language.detect(language.count("中文的文章"), "zh-CN") is None
    assert language.detect(language.count("An English post."), "zh-CN") == "en"
    assert language.detect(language.count(""), "en") is None


def test_reading_minutes_add_both_rates():
    counts = language.TextCounts(cjk=600, words=660)
    assert language.reading_minutes(counts, 300, 220) == 5
    assert language.reading_minutes(language.TextCounts(), 300, 220) == 1
    assert language.reading_minutes(language.TextCounts(words=329), 300, 220) == 1
    assert language.reading_minutes(language.TextCounts(words=331), 300, 220) == 2


def test_compiled_catalogue_matches_its_po_file():
    """The committed .mo holds exactly the .po's translations (recompile after editing the .po)."""
    for po_path in i18n.LOCALE_DIR.glob("*/LC_MESSAGES/*.po"):
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file)
        expected = {message.id: message.string for message in catalog if message.id}
        with po_path.with_suffix(".mo").open("rb") as mo_file:
            compiled = gettext.GNUTranslations(mo_file)
        shipped = {key: value for key, value in compiled._catalog.items() if key}
        assert shipped == expected, f"{po_path.with_suffix('.mo')} is out of date: run pybabel compile"
        assert all(expected.values()), "every label has a translation"


def test_every_chinese_tag_gets_the_chinese_labels():
    for tag in ("zh", "zh-CN", "zh-TW", "zh-Hans", "zh-Hant-TW", "zh_CN"):
        assert i18n.labels(tag)("Published") == "发布于", tag
    assert i18n.labels("fr")("Published") == "Published"


def _two_posts(**english: str) -> dict[str, str]:
    return {
        "posts/zh-post/article.md": post("注意力机制", CHINESE, date="2025-02-01", tags="[attention]"),
        "posts/en-post/article.md": post("Attention", ENGLISH, date="2025-01-01", tags="[attention]", **english),
    }


@pytest.fixture
def site(build):
    return build(_two_posts())


def test_page_language_follows_the_post(site):
    assert site.html("posts/zh-post").html["lang"] == "zh"  # found from the text
    assert site.html("posts/en-post").html["lang"] == "en"
    assert site.html("").html["lang"] == "en"


def test_post_chrome_follows_the_post(site):
    header = site.article("posts/zh-post").select_one(".kb-post-header")
    assert header.select_one(".kb-date").get_text(" ", strip=True).startswith("发布于")
    assert header.select_one(".kb-reading-time").get_text() == "阅读 2 分钟"
    related = site.article("posts/zh-post").select_one(".kb-related h2")
    assert related.get_text() == "相关文章"
    footer = site.html("posts/zh-post").select_one("footer .related-pages")
    assert footer.select_one(".prev-page .context").get_text(strip=True) == "上一篇"
    # The English post's chrome stays English, on the same site.
    header = site.article("posts/en-post").select_one(".kb-post-header")
    assert header.select_one(".kb-date").get_text(" ", strip=True).startswith("Published")
    assert header.select_one(".kb-reading-time").get_text() == "3 min read"
    footer = site.html("posts/en-post").select_one("footer .related-pages")
    assert footer.select_one(".next-page .context").get_text(strip=True) == "Next"


def test_site_chrome_follows_the_site(site):
    cards = site.article("").select(".kb-post-card")
    assert [card.select_one(".kb-reading-time").get_text() for card in cards] == ["2 min read", "3 min read"]
    assert site.article("blog/tag/attention").select_one(".kb-reading-time").get_text() == "2 min read"


def test_links_to_a_post_in_another_language_say_so(site):
    zh_card, en_card = site.article("").select(".kb-post-card")
    link = zh_card.select_one(".kb-post-card-title a")
    assert link["hreflang"] == "zh"
    assert zh_card.select_one(".kb-post-card-title")["lang"] == "zh"
    assert not en_card.select_one(".kb-post-card-title a").has_attr("hreflang")
    # Neighbours: the English post's newer neighbour is Chinese, and the other way round.
    next_link = site.html("posts/en-post").select_one("footer a.next-page")
    assert next_link["hreflang"] == "zh"
    assert next_link.select_one(".title span[lang=zh]").get_text() == "注意力机制"
    prev_link = site.html("posts/zh-post").select_one("footer a.prev-page")
    assert prev_link["hreflang"] == "en"
    # Related posts on the Chinese post lead to the English one.
    related = site.article("posts/zh-post").select_one(".kb-related a")
    assert related["hreflang"] == "en"


def test_feed_entries_carry_their_language(site):
    feed = ElementTree.parse(site.outdir / "blog" / "atom.xml").getroot()
    assert feed.get(XML_LANG) == "en"
    languages = {entry.findtext(f"{ATOM}title"): entry.get(XML_LANG) for entry in feed.iter(f"{ATOM}entry")}
    assert languages == {"注意力机制": "zh", "Attention": "en"}


def test_front_matter_language_wins_over_the_text(build):
    site = build({"posts/x/article.md": post("X", ENGLISH, date="2025-01-01", lang="zh-tw")})
    assert site.html("posts/x").html["lang"] == "zh-TW"
    assert site.article("posts/x").select_one(".kb-date").get_text(" ", strip=True).startswith("发布于")
    assert not site.warnings


def test_bad_language_is_reported_at_its_line(build):
    site = build({"posts/x/article.md": post("X", "Some text.\n", date="2025-01-01", lang='"not a language"')})
    assert "posts/x/article.md:4: WARNING: invalid 'lang': 'not a language' is not a language tag" in site.warnings
    assert site.html("posts/x").html["lang"] == "en"


def test_chinese_site_with_an_english_post(build):
    sidebars = 'html_sidebars = {"**": ["sidebar/brand.html", "kb/sidebar/browse.html"]}\n'
    site = build(_two_posts(), conf='language = "zh_CN"\n' + sidebars)
    assert site.html("").html["lang"] == "zh-CN"
    assert site.html("posts/zh-post").html["lang"] == "zh-CN"
    assert site.html("posts/en-post").html["lang"] == "en"
    cards = site.article("").select(".kb-post-card")
    assert [card.select_one(".kb-reading-time").get_text() for card in cards] == ["阅读 2 分钟", "阅读 3 分钟"]
    assert cards[1].select_one(".kb-post-card-title a")["hreflang"] == "en"
    assert not cards[0].select_one(".kb-post-card-title a").has_attr("hreflang")
    header = site.article("posts/en-post").select_one(".kb-post-header")
    assert header.select_one(".kb-reading-time").get_text() == "3 min read"
    # The sidebar is site chrome: Chinese on the English post's page too.
    sidebar = site.html("posts/en-post").select_one(".kb-sidebar")
    assert "全部文章" in sidebar.get_text()
    assert not site.warnings


def test_references_heading_follows_the_post(build):
    bib = "@article{vaswani2017, title={Attention Is All You Need}, author={Vaswani, A.}, year={2017}}\n"
    article = post("注意力", CHINESE + "\n见 [@vaswani2017]。\n", date="2025-01-01")
    site = build({"refs.bib": bib, "posts/zh-post/article.md": article}, conf='bibtex_bibfiles = ["refs.bib"]\n')
    headings = [h.get_text(strip=True).rstrip("#¶") for h in site.article("posts/zh-post").select("h2")]
    assert "参考文献" in headings


def test_code_and_maths_are_not_read(build):
    code = "```python\n" + "x = compute_attention(query, key, value)\n" * 300 + "```\n"
    maths = "$$\n" + "a + b = c \\\\\n" * 300 + "$$\n"
    site = build({"posts/x/article.md": post("X", "Short text.\n\n" + code + "\n" + maths, date="2025-01-01")})
    assert site.article("posts/x").select_one(".kb-reading-time").get_text() == "1 min read"


def test_reading_speeds_are_settings(build):
    site = build(_two_posts(), conf="kb_reading_speed_cjk = 100\nkb_reading_speed_words = 660\n")
    cards = site.article("").select(".kb-post-card")
    assert [card.select_one(".kb-reading-time").get_text() for card in cards] == ["6 min read", "1 min read"]


# Updated from git ---------------------------------------------------------------------------------

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _git(folder: Path, *args: str, date: str = "2025-01-01T12:00:00+00:00") -> None:
    environment = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.org",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.org",
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_DATE": date,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True, env=environment)


def _commit(folder: Path, date: str, message: str = "edit") -> None:
    _git(folder, "add", "-A", date=date)
    _git(folder, "commit", "-q", "-m", message, date=date)


def _updated(site, page: str) -> str | None:
    node = site.article(page).select_one(".kb-updated time")
    return node.get_text() if node is not None else None


def _git_site(tmp_path: Path, make_app, conf: str = ""):
    srcdir = tmp_path / "src"
    write(
        srcdir,
        {
            "conf.py": BASE_CONF + 'kb_timezone = "Asia/Shanghai"\n' + conf,
            "index.md": INDEX,
            "posts/old/article.md": post("Old", "Text.\n", date="2024-01-01"),
            "posts/new/article.md": post("New", "Text.\n", date="2024-06-01"),
            "posts/said/article.md": post("Said", "Text.\n", date="2024-01-01", lastmod="2024-02-02"),
        },
    )
    _git(srcdir, "init", "-q")
    _commit(srcdir, "2024-06-01T10:00:00+08:00", "publish")
    # A later commit to a file of one bundle, at 20:00 UTC: the next day in Shanghai.
    (srcdir / "posts" / "old" / "figure.txt").write_text("data\n", encoding="utf-8")
    (srcdir / "posts" / "said" / "article.md").write_text(
        post("Said", "Text, edited.\n", date="2024-01-01", lastmod="2024-02-02"), encoding="utf-8"
    )
    _commit(srcdir, "2024-09-09T20:00:00+00:00", "revise")

    def build(buildername: str = "dirhtml", **kwargs: object) -> Site:
        app = make_app(buildername, srcdir=srcdir, **kwargs)
        app.build()
        return Site(app)

    return srcdir, build


@needs_git
def test_updated_comes_from_the_last_commit_to_the_bundle(tmp_path, make_app):
    srcdir, build = _git_site(tmp_path, make_app)
    site = build()
    assert _updated(site, "posts/old") == "2024-09-10"  # figure.txt's commit, in kb_timezone
    assert _updated(site, "posts/new") is None  # committed on the day it is dated
    assert _updated(site, "posts/said") == "2024-02-02"  # the front matter says
    assert not site.warnings
    # Uncommitted changes do not count; a new commit does, on a rebuild.
    (srcdir / "posts" / "new" / "article.md").write_text(post("New", "Edited.\n", date="2024-06-01"), encoding="utf-8")
    site.rebuild()
    assert _updated(site, "posts/new") is None
    _commit(srcdir, "2024-12-24T09:00:00+08:00")
    site.rebuild()
    assert _updated(site, "posts/new") == "2024-12-24"
    # The listing shows the post again with its new facts (it is written again).
    assert "2024-12-24" in site.html("posts/new").select_one(".kb-post-header").get_text()


@needs_git
def test_git_dates_can_be_switched_off(tmp_path, make_app):
    _srcdir, build = _git_site(tmp_path, make_app, conf="kb_git_dates = False\n")
    site = build()
    assert _updated(site, "posts/old") is None
    assert _updated(site, "posts/said") == "2024-02-02"


@needs_git
def test_serial_and_parallel_builds_show_the_same_dates(tmp_path, make_app):
    _srcdir, build = _git_site(tmp_path, make_app)
    serial = build()
    serial_html = serial.file("posts/old").read_text(encoding="utf-8")
    parallel = build(parallel=2, freshenv=True)
    assert parallel.file("posts/old").read_text(encoding="utf-8") == serial_html
    assert _updated(parallel, "posts/old") == "2024-09-10"


@needs_git
def test_shallow_clone_gives_no_wrong_dates(tmp_path, make_app):
    source, _build = _git_site(tmp_path, make_app)
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", source.as_uri(), str(clone)], check=True, capture_output=True)
    app = make_app("dirhtml", srcdir=clone)
    app.build()
    site = Site(app)
    # The clone's only commit looks like it added every file: its date is not used.
    assert _updated(site, "posts/old") is None
    assert "the git history is shallow: 2 posts" in site.warnings
    assert "git fetch --unshallow" in site.warnings


def test_a_changed_language_rewrites_the_pages_that_link_the_post(site):
    (site.srcdir / "posts" / "zh-post" / "article.md").write_text(
        post("注意力机制", CHINESE, date="2025-02-01", tags="[attention]", lang="en"), encoding="utf-8"
    )
    site.rebuild()
    assert not site.article("").select_one(".kb-post-card-title a").has_attr("hreflang")
    assert not site.article("posts/en-post").select_one(".kb-related a").has_attr("hreflang")
    assert not site.html("posts/en-post").select_one("footer a.next-page").has_attr("hreflang")
    assert site.html("posts/zh-post").html["lang"] == "en"


def test_other_builders_translate_the_header_line(build):
    site = build(_two_posts(), buildername="text")
    text = (site.outdir / "posts" / "zh-post.txt").read_text(encoding="utf-8")
    assert "发布于 2025-02-01" in text
    assert "阅读 2 分钟" in text
    assert "相关文章" in text

"""Issue 10, items 3 and 7: the remaining MDX components, and what each front-matter key does."""

from __future__ import annotations

import pytest

from conftest import png, post

FRONT = "---\ntitle: An MDX note\npublished: 2026-01-02\n---\n"


@pytest.fixture
def mdx(build):
    """Build a site with one MDX article (body given) and extra files."""

    def site(body: str, files: dict[str, str | bytes] | None = None, **kwargs: object):
        return build({"posts/note/article.mdx": FRONT + body, **(files or {})}, **kwargs)

    return site


# Components ---------------------------------------------------------------------------------


def test_theorem_variants_are_titled_and_numbered_as_their_kind(mdx):
    site = mdx(
        '<Theorem variant="lemma" title="Small step">A lemma.</Theorem>\n\n'
        '<Theorem variant="corollary">A corollary.</Theorem>\n\n'
        '<Theorem variant="proposition">A proposition.</Theorem>\n\n'
        '<Theorem variant="lemma">Another lemma.</Theorem>\n\n'
        '<Theorem variant="proof">By induction.</Theorem>\n'
    )
    assert "has no variant" not in site.warnings
    article = site.article("posts/note")
    titles = [" ".join(title.get_text().split()) for title in article.select(".proof .admonition-title")]
    assert titles[0].startswith("Lemma 1") and "Small step" in titles[0]
    assert titles[1].startswith("Corollary 1")
    assert titles[2].startswith("Proposition 1")
    assert titles[3].startswith("Lemma 2")
    proof = article.select_one("div#proof.proof")
    assert proof is not None and " ".join(proof.get_text().split()) == "Proof. By induction."


def test_hf_user_is_a_profile_link_and_its_avatar_only_a_link(mdx):
    site = mdx(
        'Written with <HfUser username="lvwerra" name="Leandro" avatarUrl="https://cdn.example/avatar.png" />.\n\n'
        '<HfUser username="ghost" url="javascript:alert(1)" />\n'
    )
    article = site.article("posts/note")
    profile = article.find("a", string="Leandro (@lvwerra)")
    assert profile is not None and profile["href"] == "https://huggingface.co/lvwerra"
    avatar = article.find("a", string="avatar")
    assert avatar is not None and avatar["href"] == "https://cdn.example/avatar.png"
    assert not site.html("posts/note").select('img[src^="http"]')
    assert "ghost" in article.get_text() and not article.select('a[href^="javascript"]')
    assert "the url 'javascript:alert(1)' of <HfUser>" in site.warnings


def test_stack_is_a_grid_with_one_item_per_child(mdx):
    site = mdx(
        '<Stack layout="3-column" gap="1rem">\n\n<Image src="./a.png" alt="A" />\n<Image src="./b.png" alt="B" />\n\n'
        "Some *text* beside them.\n\n</Stack>\n",
        files={"posts/note/a.png": png(), "posts/note/b.png": png()},
    )
    assert "WARNING" not in site.warnings, site.warnings
    grid = site.article("posts/note").select_one(".sd-container-fluid .sd-row")
    assert grid is not None
    assert "sd-row-cols-lg-3" in grid["class"] and "sd-g-2" in grid["class"]
    items = grid.select(":scope > .sd-col")
    assert len(items) == 3
    assert items[0].img["alt"] == "A" and items[2].em.get_text() == "text"


def test_reference_is_a_captioned_numbered_figure_whose_caption_is_text(mdx):
    site = mdx(
        '<Reference id="fig-table" caption="<b>Results</b> &amp; <script>alert(1)</script>costs">\n\n'
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n</Reference>\n\nSee {numref}`fig-table`.\n",
        conf="numfig = True\n",
    )
    assert "WARNING" not in site.warnings, site.warnings
    article = site.article("posts/note")
    figure = article.select_one("figure#fig-table")
    assert figure is not None and figure.table is not None
    caption = " ".join(figure.figcaption.get_text().split())
    assert caption.startswith("Fig. 1") and "Results & alert(1)costs" in caption
    assert not article.select("figcaption b, figcaption script")
    assert article.find("a", href="#fig-table") is not None


def test_full_width_is_wide(mdx):
    site = mdx("<FullWidth>\n\nA wide paragraph.\n\n</FullWidth>\n")
    assert site.article("posts/note").select_one("div.kb-wide p").get_text() == "A wide paragraph."


def test_html_embed_is_found_in_the_embeds_folder_then_next_to_the_file(mdx):
    site = mdx(
        '<HtmlEmbed src="charts/loss.html" title={`Loss curve`} desc={`Training loss, step by step.`} />\n\n'
        '<HtmlEmbed src="local.html" />\n\n<HtmlEmbed src="nowhere.html" />\n',
        files={
            "assets/embeds/charts/loss.html": "<p>chart</p>",
            "posts/note/local.html": "<p>local</p>",
        },
    )
    frames = site.article("posts/note").select("figure.kb-embed iframe")
    assert [frame["src"].rsplit("/", 1)[-1] for frame in frames] == ["loss.html", "local.html"]
    assert frames[0]["title"] == "Loss curve"
    assert "Training loss, step by step." in site.article("posts/note").get_text()
    assert "not run" not in site.warnings
    assert (
        "article.mdx:9: WARNING: embedded page 'nowhere.html' not found "
        "(looked for assets/embeds/nowhere.html and posts/note/nowhere.html) [kb.embed]"
    ) in site.warnings


def test_html_embed_folder_is_a_setting(mdx):
    site = mdx(
        '<HtmlEmbed src="x.html" />\n',
        files={"src/embeds/x.html": "<p>x</p>"},
        conf='kb_embeds_dir = "src/embeds/"\n',
    )
    assert "WARNING" not in site.warnings, site.warnings
    assert site.article("posts/note").select_one("figure.kb-embed iframe") is not None


def test_template_literal_with_substitution_is_still_refused(mdx):
    site = mdx(
        "<Note title={`Hello ${name}`}>Body.</Note>\n\n<Note title={`Plain <b>bold</b>`}>Body.</Note>\n\n"
        "Text {`from a literal`} and {`not ${run}`}.\n"
    )
    assert "Text from a literal and ." in site.article("posts/note").get_text()
    assert "the expression {`not ${run}`} is not run" in site.warnings
    assert "the prop title={`Hello ${name}`} of <Note> is not run" in site.warnings
    titles = [title.get_text() for title in site.article("posts/note").select(".admonition-title")]
    assert "Plain <b>bold</b>" in titles


def test_new_components_build_warning_free_with_the_text_builder(mdx):
    site = mdx(
        '<Theorem variant="proof">Done.</Theorem>\n\n<HfUser username="a" name="A" avatarUrl="https://x/a.png" />\n\n'
        '<Stack layout="2-column">\n\nLeft.\n\n<Note>Right.</Note>\n\n</Stack>\n\n'
        '<Reference id="r" caption="<i>Cap</i>">\n\nInside.\n\n</Reference>\n\n<FullWidth>\n\nWide.\n\n</FullWidth>\n\n'
        '<HtmlEmbed src="e.html" />\n',
        files={"assets/embeds/e.html": "<p>e</p>"},
        buildername="text",
    )
    assert "WARNING" not in site.warnings, site.warnings
    text = (site.outdir / "posts/note.txt").read_text(encoding="utf-8")
    for expected in ("Done.", "A (@a)", "Left.", "Right.", "Cap", "Inside.", "Wide.", "e.html"):
        assert expected in text


# Front-matter keys --------------------------------------------------------------------------

DATED = {"date": "2026-01-02"}


def test_cover_image_is_shown_on_the_post_and_in_listings_and_copied(build):
    site = build(
        {
            "posts/a/article.md": post("Covered", image="cover.png", **DATED),
            "posts/a/cover.png": png(3, 3),
            "posts/b/article.md": post("Astro cover", seoThumbImage="./thumb.png", date="2026-01-03"),
            "posts/b/thumb.png": png(),
            "posts/c/article.md": post("Lost cover", image="gone.png", date="2026-01-04"),
        }
    )
    header = site.article("posts/a").select_one(".kb-post-header img.kb-cover")
    assert header is not None and header["alt"] == "Covered"
    assert site.resolve("posts/a", header["src"]).read_bytes() == png(3, 3)
    cards = {
        card.select_one(".kb-post-card-title").get_text(): card for card in site.article("").select(".kb-post-card")
    }
    card_cover = cards["Astro cover"].select_one("img.kb-post-card-cover")
    assert card_cover["alt"] == "Astro cover" and site.resolve("", card_cover["src"]).read_bytes() == png()
    assert cards["Lost cover"].select_one("img") is None
    assert "posts/c/article.md:3: WARNING: the cover 'gone.png' is not found (looked for posts/c/gone.png)" in (
        site.warnings
    )


def test_toc_false_hides_the_page_contents(build):
    body = "## One\n\nText.\n\n## Two\n\nText.\n"
    site = build(
        {
            "posts/a/article.md": post("No contents", body, toc="false", **DATED),
            "posts/b/article.md": post("Contents", body, **DATED),
        }
    )
    assert site.html("posts/a").select_one("aside.toc-drawer .toc-tree") is None
    assert "no-toc" in site.html("posts/a").select_one("aside.toc-drawer")["class"]
    assert site.html("posts/b").select_one("aside.toc-drawer .toc-tree") is not None


def test_math_false_loads_no_mathjax(build):
    body = "Inline $x^2$ here.\n"
    site = build(
        {
            "posts/a/article.md": post("No math", body, math="false", **DATED),
            "posts/b/article.md": post("Math", body, **DATED),
        }
    )

    def mathjax(page: str) -> list:
        return [script for script in site.html(page).select("script[src]") if "mathjax" in script["src"].lower()]

    assert not mathjax("posts/a")
    assert mathjax("posts/b")


def test_license_is_shown_at_the_end_and_keywords_in_the_head(build):
    site = build(
        {
            "posts/a/article.md": post(
                "Licensed",
                "Text.\n\n## Last\n\nEnd.\n",
                license="CC BY-NC <4.0>",
                keywords="[attention, 'a\"b']",
                **DATED,
            )
        }
    )
    article = site.article("posts/a")
    license_line = article.select(".kb-license")
    assert [line.get_text() for line in license_line] == ["License: CC BY-NC <4.0>"]
    assert article.select("p")[-1] is license_line[0]
    meta = site.html("posts/a").select_one('meta[name="keywords"]')
    assert meta is not None and meta["content"] == 'attention, a"b'
    assert site.html("").select_one('meta[name="keywords"]') is None


def test_updated_from_lastmod_or_modified(build):
    site = build(
        {
            "posts/a/article.md": post("Hugo", lastmod="2026-02-01", **DATED),
            "posts/b/article.md": post("Astro", modified="2026-03-01", **DATED),
        }
    )
    assert site.article("posts/a").select_one(".kb-updated time")["datetime"].startswith("2026-02-01")
    assert site.article("posts/b").select_one(".kb-updated time")["datetime"].startswith("2026-03-01")


def test_unknown_key_is_one_info_line_per_key_and_known_ignored_keys_none(build):
    files = {
        f"posts/p{number}/article.md": post(
            f"Post {number}", foo="1", weight="3", tableOfContentsAutoCollapse="true", **DATED
        )
        for number in range(3)
    }
    files["posts/p0/article.md"] = post("Post 0", bar="x", foo="1", slug="zero", **DATED)
    site = build(files)
    status = site.app.status.getvalue()
    assert status.count("front-matter key 'foo' is not used") == 1
    assert "posts/p0/article.md:4: front-matter key 'foo' is not used (3 posts)" in status
    assert "front-matter key 'bar' is not used (1 post)" in status
    for known in ("weight", "tableOfContentsAutoCollapse", "slug", "date", "title"):
        assert f"key {known!r}" not in status
    assert "WARNING" not in site.warnings, site.warnings

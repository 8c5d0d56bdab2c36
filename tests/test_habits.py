"""Markdown habits of real blogs: web-language code fences, `#` sections, Obsidian image names, proofs.

Each test builds a small site as an author moving a Hugo or Astro blog would have it, and checks
what the reader sees and that every warning names its file and line.
"""

from __future__ import annotations

import pytest

from conftest import png, post

DATE = "2024-03-01"

#: A fence of each web language, with code whose tokens any lexer for it marks.
FENCES = {
    "mdx": "# Title\n\n- an *item* with `code`\n\n> **quoted**\n",
    "jsx": 'const x = <div className="a">{1}</div>;\n',
    "tsx": "const f = (n: number): JSX.Element => <b>{n}</b>;\n",
    "astro": '<div class="card"><slot /></div>\n',
    "vue": '<template><p class="x">{{ msg }}</p></template>\n',
    "svelte": '<script>let n = 1;</script>\n<p class="x">{n}</p>\n',
}


@pytest.mark.parametrize("suffix", [".md", ".mdx"])
def test_web_language_fences_are_highlighted_without_warning(build, suffix):
    body = "".join(f"```{language}\n{code}```\n\n" for language, code in FENCES.items())
    site = build({f"posts/code/article{suffix}": post("Code", body, date=DATE)})
    assert "lexer" not in site.warnings, site.warnings
    article = site.article("posts/code")
    for language in FENCES:
        block = article.select_one(f"div.highlight-{language} pre")
        assert block is not None, language
        # Highlighted: the code is split into token spans, not one plain run of text.
        assert len(block.select("span[class]")) > 3, (language, block)


def headings(article) -> list[tuple[str, str]]:
    """The headings of a page, as (tag, text without the anchor sign)."""
    return [(h.name, h.get_text().rstrip("¶#").strip()) for h in article.select("h1, h2, h3, h4, h5, h6")]


def test_hash_headings_in_the_body_become_sections_under_the_title(build):
    body = (
        "# Introduction\n\nWhy.\n\n## Detail\n\nMore.\n\n"
        "```python\n# a comment, not a heading\n```\n\n# 介绍\n\n中文。\n"
    )
    site = build({"posts/hugo/article.md": post("Moving a blog", body, date=DATE)})
    assert site.warnings == ""
    article = site.article("posts/hugo")
    assert headings(article) == [
        ("h1", "Moving a blog"),
        ("h2", "Introduction"),
        ("h3", "Detail"),
        ("h2", "介绍"),
    ]
    # The sections are nested in the title's section, and code is as written.
    assert article.select_one("section section h2").get_text().startswith("Introduction")
    assert "# a comment, not a heading" in article.select_one("div.highlight-python pre").get_text()


def test_a_first_heading_that_repeats_the_title_is_left_out(build):
    body = "# Moving a blog\n\nText.\n\n## Part one\n\nMore.\n"
    site = build({"posts/hugo/article.md": post("Moving  a Blog", body, date=DATE)})
    assert site.warnings == ""
    path = site.srcdir / "posts/hugo/article.md"
    status = site.app.status.getvalue()
    assert f"{path}:6: the first heading '# Moving a blog' repeats the title; it is left out" in status
    assert headings(site.article("posts/hugo")) == [("h1", "Moving a Blog"), ("h2", "Part one")]


def test_a_later_heading_like_the_title_is_a_section(build):
    body = "# Start\n\nText.\n\n# Moving a blog\n\nMore.\n"
    site = build({"posts/hugo/article.mdx": post("Moving a blog", body, date=DATE)})
    assert site.warnings == ""
    assert headings(site.article("posts/hugo")) == [("h1", "Moving a blog"), ("h2", "Start"), ("h2", "Moving a blog")]


def test_percent_encoded_image_paths_are_decoded(build):
    body = "![pasted](Pasted%20image%2020251203174812.png)\n\n![in folder](assets/My%20Plot.png)\n"
    files = {
        "posts/obsidian/article.md": post("Pasted", body, date=DATE),
        "posts/obsidian/Pasted image 20251203174812.png": png(),
        "posts/obsidian/assets/My Plot.png": png(3, 3),
    }
    site = build(files)
    assert site.warnings == ""
    article = site.article("posts/obsidian")
    assert site.resolve("posts/obsidian", article.find("img", alt="pasted")["src"]).read_bytes() == png()
    assert site.resolve("posts/obsidian", article.find("img", alt="in folder")["src"]).read_bytes() == png(3, 3)


def test_a_missing_image_is_one_located_warning_with_near_names(build):
    body = (
        "![case](Qwen3-VL-architecture.png)\n\n"
        "![doubled](plot.png)\n\n"
        "```{figure} figs/lossses.png\n:alt: typo\n\nThe loss.\n```\n\n"
        "![nothing near](zzz.png)\n"
    )
    files = {
        "posts/near/article.md": post("Near", body, date=DATE),
        "posts/near/Qwen3-VL-Architecture.png": png(),
        "posts/near/plot.png.png": png(),
        "posts/near/figs/losses.png": png(),
    }
    site = build(files)
    path = site.srcdir / "posts/near/article.md"
    expected = [
        f"{path}:6: WARNING: image 'Qwen3-VL-architecture.png' not found (looked for "
        "posts/near/Qwen3-VL-architecture.png); it is shown as its alt text. "
        "Did you mean 'Qwen3-VL-Architecture.png'? [kb.image]",
        f"{path}:8: WARNING: image 'plot.png' not found (looked for posts/near/plot.png); it is shown as its alt "
        "text. Did you mean 'plot.png.png'? [kb.image]",
        f"{path}:10: WARNING: image 'figs/lossses.png' not found (looked for posts/near/figs/lossses.png); it is "
        "shown as its alt text. Did you mean 'losses.png'? [kb.image]",
        f"{path}:16: WARNING: image 'zzz.png' not found (looked for posts/near/zzz.png); it is shown as its alt "
        "text [kb.image]",
    ]
    assert site.warnings.splitlines() == expected
    article = site.article("posts/near")
    assert article.find("img") is None
    text = article.get_text()
    for alt in ("case", "doubled", "typo", "nothing near"):
        assert alt in text


def test_a_missing_mdx_import_names_the_near_file(build):
    body = 'import fig from "./Diagram.png"\n\n<Image src={fig} alt="The diagram" />\n'
    files = {"posts/astro/article.mdx": post("Astro", body, date=DATE), "posts/astro/diagram.png": png()}
    site = build(files)
    path = site.srcdir / "posts/astro/article.mdx"
    assert (
        f"{path}:8: WARNING: image './Diagram.png' not found (looked for posts/astro/Diagram.png). "
        "Did you mean './diagram.png'? [kb.mdx]"
    ) in site.warnings


ALGORITHM = "```{prf:algorithm}\n:label: %s\nStep.\n```\n\n```{prf:theorem}\nTrue.\n```\n"


def test_unlabelled_theorems_and_algorithms_of_two_posts_do_not_clash(build):
    body = ALGORITHM.replace(":label: %s\n", "")
    site = build(
        {
            "posts/one/article.md": post("One", body, date="2024-01-01"),
            "posts/two/article.md": post("Two", body, date="2024-01-02"),
        }
    )
    assert site.warnings == ""
    for page in ("posts/one", "posts/two"):
        titles = [t.get_text(" ", strip=True) for t in site.article(page).select("div.proof p.admonition-title")]
        assert [t.split()[0:2] for t in titles] == [["Algorithm", "1"], ["Theorem", "1"]], titles


def test_a_label_given_in_two_posts_is_one_located_warning(build):
    site = build(
        {
            "posts/one/article.md": post("One", ALGORITHM % "alg-search", date="2024-01-01"),
            "posts/two/article.md": post("Two", ALGORITHM % "alg-search", date="2024-01-02"),
        }
    )
    warnings = site.warnings.splitlines()
    assert len(warnings) == 1, warnings
    one, two = (site.srcdir / f"posts/{slug}/article.md" for slug in ("one", "two"))
    # Pages are read in name order: the second post is the one that repeats the label.
    assert warnings[0] == (
        f"{two}:6: WARNING: algorithm label 'alg-search' is given twice (also in {one}); references lead here "
        "[kb.label]"
    )


def test_a_missing_image_added_later_is_shown_on_the_next_build(build):
    site = build({"posts/late/article.md": post("Late", "![plot](plot.png)\n", date=DATE)})
    assert "image 'plot.png' not found" in site.warnings
    (site.srcdir / "posts/late/plot.png").write_bytes(png())
    site.rebuild()
    assert site.warnings == ""
    image = site.article("posts/late").find("img", alt="plot")
    assert site.resolve("posts/late", image["src"]).read_bytes() == png()

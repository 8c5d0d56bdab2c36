"""Markdown habits of real blogs: web-language code fences, `#` sections, Obsidian image names, proofs.

Each test builds a small site as an author moving a Hugo or Astro blog would have it, and checks
what the reader sees and that every warning names its file and line.
"""

from __future__ import annotations

import pytest

from conftest import post

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

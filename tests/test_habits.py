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

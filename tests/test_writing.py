"""What authors write: callouts, math, MyST syntax, code and sphinx-design, as the reader sees it."""

from __future__ import annotations

import pytest

from conftest import post


def page(build, body: str, **files: str):
    site = build({"posts/note/article.md": post("Note", date="2025-12-11", body=body), **files})
    return site, site.article("posts/note")


@pytest.mark.parametrize(
    ("marker", "style", "title"),
    [
        ("[!NOTE]", "note", "Note"),
        ("[!WARNING]", "warning", "Warning"),
        ("[!tip] Read this first", "tip", "Read this first"),
        ("[!abstract]", "note", "Abstract"),
        ("[!bug] A **known** bug", "error", "A known bug"),
        ("[!faq]", "hint", "FAQ"),
        ("[!whatever]", "note", "Whatever"),
    ],
)
def test_callouts_become_admonitions(build, marker, style, title):
    site, article = page(build, f"> {marker}\n> The body, with $x$.\n>\n> A second paragraph.\n")
    box = article.select_one("div.admonition")
    assert style in box["class"]
    assert box.select_one(".admonition-title").get_text() == title
    paragraphs = [p.get_text() for p in box.find_all("p", recursive=False)[1:]]
    assert paragraphs == [r"The body, with \(x\).", "A second paragraph."]
    assert article.find("blockquote") is None
    assert site.warnings == ""


def test_foldable_callouts(build):
    _site, article = page(build, "> [!example]- Closed\n> Hidden body.\n\n> [!info]+ Open\n> Shown body.\n")
    closed, opened = article.select("details.admonition")
    assert closed.summary.get_text() == "Closed"
    assert not closed.has_attr("open")
    assert "Hidden body." in closed.get_text()
    assert opened.has_attr("open")
    assert "callout-info" in opened["class"]


def test_plain_quotes_stay_quotes(build):
    _site, article = page(build, "> Just a quote, [!not] a callout.\n")
    assert article.find("blockquote").get_text(strip=True) == "Just a quote, [!not] a callout."
    assert article.select_one(".admonition") is None


def test_inline_and_display_math(build):
    body = (
        "Inline $e^{i\\pi} + 1 = 0$.\n\n"
        "$$\n\\begin{aligned} a &= b \\\\ c &= d \\end{aligned}\n$$\n\n"
        "$$\n\\begin{align} x &= 1 \\tag{1.1} \\\\ y &= 2 \\end{align}\n$$\n\n"
        "\\begin{equation}\nf(x) = \\begin{cases} 1 & x > 0 \\\\ 0 & \\text{else} \\end{cases}\n\\end{equation}\n\n"
        "$$\nM = \\begin{bmatrix} 1 & 0 \\\\ 0 & 1 \\end{bmatrix}\n$$ (eq-identity)\n\n"
        "See {eq}`eq-identity`.\n"
    )
    site, article = page(build, body)
    assert article.select_one("span.math").get_text() == r"\(e^{i\pi} + 1 = 0\)"
    blocks = [div.get_text().strip() for div in article.select("div.math")]
    assert blocks[0].startswith(r"\[\begin{split}\begin{aligned}")
    assert blocks[1].startswith(r"\begin{align}"), "a display with its own \\tag is passed on as written"
    assert blocks[2].startswith(r"(1)¶\[\begin{equation}"), "Sphinx numbers an equation environment"
    assert blocks[3].startswith("(2)") and r"\begin{bmatrix}" in blocks[3]
    assert article.select_one("#equation-eq-identity") is not None
    assert article.find("a", href="#equation-eq-identity") is not None
    assert site.warnings == ""


def test_mathjax_is_served_by_the_site(build):
    site, _article = page(build, "Inline $x$.\n")
    scripts = [s["src"] for s in site.html("posts/note").find_all("script", src=True)]
    mathjax = [src for src in scripts if "tex-chtml.js" in src]
    assert len(mathjax) == 1
    assert site.resolve("posts/note", mathjax[0]).is_file()
    assert (site.outdir / "_static/mathjax/output/chtml/fonts/woff-v2/MathJax_Main-Regular.woff").is_file()
    assert (site.outdir / "_static/mathjax/input/tex/extensions/html.js").is_file()


def test_no_cdn_anywhere_in_the_pages(build):
    site, _article = page(build, "Inline $x$ and a [link](https://example.org).\n")
    for path in site.outdir.rglob("*"):
        if path.suffix not in {".html", ".css", ".js"} or "mathjax" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for marker in ("cdn.jsdelivr", "unpkg.com", "cdnjs", "googleapis", "cloudflare"):
            assert marker not in text, f"{marker} in {path}"
    for tag in site.html("posts/note").find_all(["script", "link", "img"]):
        url = tag.get("src") or tag.get("href") or ""
        assert not url.startswith(("http:", "https:", "//")) or (tag.name == "link" and "canonical" in tag["rel"]), url


def test_myst_syntax(build):
    body = """\
:::{note}
A colon fence.
:::

Term
: Its definition.

- [x] done
- [ ] to do

A footnote.[^1]

[^1]: The note.

| a | b |
|---|---|
| 1<br>2 | 3 |

(custom-id)=
## A heading

Back to [the heading](#custom-id) and [another](#a-second-heading).

## A second heading
"""
    site, article = page(build, body)
    assert article.select_one("div.admonition.note").get_text().strip().endswith("A colon fence.")
    assert article.select_one("dl dt").get_text() == "Term"
    assert [i.has_attr("checked") for i in article.select("li.task-list-item input")] == [True, False]
    assert article.select_one("a.footnote-reference") is not None
    assert article.select_one("table td").get_text() == "12"
    assert article.select_one("section#custom-id h2") is not None
    assert article.find("a", href="#custom-id") is not None
    assert article.find("a", href="#a-second-heading") is not None
    assert site.warnings == ""


def test_code_blocks_have_a_copy_button(build):
    site, article = page(build, "```python\nprint('hi')\n```\n")
    assert article.select_one("div.highlight-python pre") is not None
    scripts = [s["src"] for s in site.html("posts/note").find_all("script", src=True)]
    assert any("copybutton.js" in src for src in scripts)


def test_sphinx_design_components(build):
    body = """\
::::{tab-set}
:::{tab-item} PyTorch
torch
:::
:::{tab-item} JAX
jax
:::
::::

:::{dropdown} More
Hidden.
:::

:::{card} A card
Body.
:::
"""
    site, article = page(build, body)
    assert [label.get_text(strip=True) for label in article.select(".sd-tab-set label")] == ["PyTorch", "JAX"]
    assert article.select_one("details.sd-dropdown summary").get_text(strip=True) == "More"
    assert article.select_one(".sd-card .sd-card-title").get_text(strip=True) == "A card"
    assert site.warnings == ""

"""MDX articles in a site: chapters, images, components, citations and equations, as read."""

from __future__ import annotations

import pytest

from conftest import png

BIB = """\
@article{vaswani2017,
  title = {Attention Is All You Need},
  author = {Vaswani, Ashish and Shazeer, Noam},
  year = {2017},
  journal = {NeurIPS}
}

@book{knuth1984,
  title = {The TeXbook},
  author = {Knuth, Donald},
  year = {1984},
  publisher = {Addison-Wesley}
}
"""

CONF = 'bibtex_bibfiles = ["refs.bib"]\n'
FRONT = "---\ntitle: {title}\npublished: 2026-01-02\ncategory: Notes\n---\n"


def article(body: str, title: str = "An MDX note") -> str:
    return FRONT.format(title=title) + body


@pytest.fixture
def mdx(build):
    """Build a site with one MDX article (body given) and extra files."""

    def site(body: str, files: dict[str, str | bytes] | None = None, **kwargs: object):
        return build({"posts/note/article.mdx": article(body), "refs.bib": BIB, **(files or {})}, conf=CONF, **kwargs)

    return site


def text_of(node) -> str:
    return " ".join(node.get_text().split())


# Chapters -------------------------------------------------------------------------------------

BOOK = """\
import Results from "./chapters/results.mdx"
import Method from './chapters/part/deep/method.mdx'

Opening paragraph.

<Method />

<Results />
"""


def test_chapters_follow_the_tags_not_the_imports(mdx):
    site = mdx(
        BOOK,
        {
            "posts/note/chapters/results.mdx": "## Results\n\nIt worked.\n",
            "posts/note/chapters/part/deep/method.mdx": "# Method\n\nWe measured.\n\n![Setup](img/setup.png)\n",
            "posts/note/chapters/part/deep/img/setup.png": png(),
            "posts/note/chapters/unused.mdx": "# Unused\n\nNever shown.\n",
        },
    )
    page = site.article("posts/note")
    assert [h.get_text(strip=True).rstrip("¶") for h in page.select("h1, h2")] == [
        "An MDX note",
        "Method",
        "Results",
    ]
    assert len(page.select("h1")) == 1, "a chapter starting at # is nested under the article title"
    figure = page.select_one("figure")
    assert text_of(figure.figcaption) == "Fig. 1 Setup¶"
    assert site.resolve("posts/note", figure.img["src"]).read_bytes() == png()
    assert "Never shown" not in page.get_text()
    assert not any("chapters" in name for name in site.app.env.found_docs)
    assert site.warnings == ""


def test_editing_a_chapter_rebuilds_its_article(mdx):
    site = mdx(
        BOOK,
        {
            "posts/note/chapters/results.mdx": "## Results\n\nIt worked.\n",
            "posts/note/chapters/part/deep/method.mdx": "# Method\n\nWe measured.\n",
        },
    )
    (site.srcdir / "posts/note/chapters/results.mdx").write_text("## Results\n\nIt worked twice.\n")
    site.rebuild()
    assert "It worked twice." in site.article("posts/note").get_text()


def test_missing_chapter_and_chapter_cycle(mdx):
    body = 'import Gone from "./chapters/gone.mdx"\nimport Loop from "./chapters/loop.mdx"\n\n<Gone />\n\n<Loop />\n'
    site = mdx(body, {"posts/note/chapters/loop.mdx": 'import Loop from "./loop.mdx"\n\nLooping.\n\n<Loop />\n'})
    path = site.srcdir / "posts/note/article.mdx"
    loop = site.srcdir / "posts/note/chapters/loop.mdx"
    assert f"{path}:9: WARNING: chapter './chapters/gone.mdx' not found" in site.warnings
    assert f"{loop}:5: WARNING: chapter './loop.mdx' includes itself; it is left out" in site.warnings
    assert "Looping." in site.article("posts/note").get_text()


# Images ---------------------------------------------------------------------------------------

IMAGES = """\
import fig from "../../assets/image/lbl.png"
import { Image } from "astro:assets"

<Image src={fig} alt="Load balancing" caption="The *approximation*" width={480} id="fig-lbl" zoomable />

As [the figure](#fig-lbl) shows, and {numref}`fig-lbl` too.

<img src="./local.png" alt="A local image" />

![Markdown image](local.png "Its title")

Inline <img src="local.png" alt="icon" /> image.
"""


def test_images_become_figures_with_their_files(mdx):
    site = mdx(IMAGES, {"assets/image/lbl.png": png(), "posts/note/local.png": png(3, 3)})
    page = site.article("posts/note")
    figures = page.select("figure")
    assert [text_of(f.figcaption) if f.figcaption else None for f in figures] == [
        "Fig. 1 The *approximation*¶",  # a string prop is text, never Markdown
        None,
        "Fig. 2 Its title¶",
    ]
    first = figures[0]
    assert first["id"] == "fig-lbl"
    assert first.img["alt"] == "Load balancing"
    assert "width: 480px" in first.img["style"]
    assert "kb-zoomable" in first["class"]
    assert site.resolve("posts/note", first.img["src"]).read_bytes() == png()
    assert site.resolve("posts/note", figures[1].img["src"]).read_bytes() == png(3, 3)
    links = page.find_all("a", href="#fig-lbl")
    assert [a.get_text() for a in links][-2:] == ["the figure", "Fig. 1"]
    assert page.find("img", alt="icon").find_parent("p") is not None
    assert site.warnings == ""


def test_missing_image_is_reported_at_its_line(mdx):
    body = 'import fig from "./nope.png"\n\nText.\n\n<Image src={fig} alt="Gone" />\n\n![Also gone](gone.png)\n'
    site = mdx(body)
    path = site.srcdir / "posts/note/article.mdx"
    assert (
        f"{path}:10: WARNING: image './nope.png' not found (looked for posts/note/nope.png) [kb.mdx]" in site.warnings
    )
    assert (
        f"{path}:12: WARNING: image 'gone.png' not found (looked for posts/note/gone.png); it is shown as its alt text"
        in site.warnings
    )
    assert "not readable" not in site.warnings
    assert "Gone" in site.article("posts/note").get_text()


# Components -----------------------------------------------------------------------------------

COMPONENTS = """\
import Note from "../../../components/Note.astro"
import Theorem from "@/components/Theorem.astro"

<Note variant="warn" title="Careful" emoji="⚠️">
  A **warning** note.
</Note>

<Note variant="success">
Done.
</Note>

<Theorem variant="lemma" title="Descent" id="lem-descent">
  If $f$ is $L$-smooth, then $f(x_{t+1}) \\le f(x_t)$.
</Theorem>

<Theorem title="Convergence" id="thm-conv">
  Gradient descent converges.
</Theorem>

<Definition term="Smoothness" id="def-smooth">
  $\\nabla f$ is $L$-Lipschitz.
</Definition>

<Algorithm title="Gradient descent" id="alg-gd">
  1. Pick $x_0$.
  2. Repeat $x_{t+1} = x_t - \\eta \\nabla f(x_t)$.
</Algorithm>

By [the lemma](#lem-descent) and {prf:ref}`thm-conv`, see {ref}`def-smooth`.

<Accordion title="Proof sketch" open>
Telescoping sums.
</Accordion>

<Accordion title="Closed">
Hidden.
</Accordion>

A claim in the text.<Sidenote>A margin note.</Sidenote> The sentence goes on.

<Wide>
A wide table would go here.
</Wide>

<Quote source="Donald Knuth">
Premature optimization is the root of all evil.
</Quote>

<Glossary term="Step size" definition="The factor eta." />

<Glossary term="Smooth">
A function with a Lipschitz gradient.
</Glossary>

<Tabs>
  <Tab label="PyTorch">
  ```python
  x = torch.zeros(3)
  ```
  </Tab>
  <Tab label="JAX">
  Use `jnp.zeros`.
  </Tab>
</Tabs>

<HtmlEmbed src="./embed/chart.html" title="Loss curve" desc="Drag to zoom." id="emb-loss" />
"""


@pytest.fixture
def components(mdx):
    return mdx(COMPONENTS, {"posts/note/embed/chart.html": "<!doctype html><p>chart</p>"})


def test_notes(components):
    page = components.article("posts/note")
    warning, success = page.select("div.admonition")[:2]
    assert "warning" in warning["class"]
    assert text_of(warning.select_one(".admonition-title")) == "⚠️ Careful"
    assert text_of(warning.find_all("p")[1]) == "A warning note."
    assert "tip" in success["class"] and text_of(success.select_one(".admonition-title")) == "Tip"
    assert components.warnings == ""


def test_theorems_definitions_and_algorithms_are_numbered_and_referenceable(components):
    page = components.article("posts/note")
    titles = [text_of(div.select_one(".admonition-title")) for div in page.select("div.proof")]
    assert titles == [
        "Lemma 1 (Descent)",
        "Theorem 1 (Convergence)",
        "Definition 1 (Smoothness)",
        "Algorithm 1 (Gradient descent)",
    ]
    assert page.select_one("#lem-descent") is not None
    for target in ("#lem-descent", "#thm-conv", "#def-smooth"):
        assert page.find("a", href=target) is not None, target


def test_accordion_sidenote_wide_quote(components):
    page = components.article("posts/note")
    opened, closed = page.select("details.sd-dropdown")
    assert opened.has_attr("open") and not closed.has_attr("open")
    assert text_of(opened.summary) == "Proof sketch"
    aside = page.select_one("aside.sd-aside")
    assert text_of(aside) == "A margin note."
    following = aside.find_next_sibling("p")
    assert text_of(following) == "A claim in the text. The sentence goes on."
    assert "A wide table" in text_of(page.select_one("div.kb-wide"))
    quote = page.select_one("blockquote")
    assert "Premature optimization" in text_of(quote)
    assert text_of(quote.select_one(".attribution")) == "—Donald Knuth"


def test_glossary_tabs_and_embed(components):
    page = components.article("posts/note")
    terms = [text_of(dt).rstrip("¶").strip() for dt in page.select("dl.glossary dt")]
    assert terms == ["Step size", "Smooth"]
    assert [text_of(label) for label in page.select(".sd-tab-set label")] == ["PyTorch", "JAX"]
    assert page.select_one(".sd-tab-set div.highlight-python") is not None
    embed = page.select_one("figure.kb-embed")
    assert embed["id"] == "emb-loss"
    frame = embed.iframe
    assert frame["title"] == "Loss curve"
    assert components.resolve("posts/note", frame["src"]).read_text() == "<!doctype html><p>chart</p>"
    assert "Drag to zoom." in text_of(embed.figcaption)


def test_unknown_component_expressions_and_exports(mdx):
    body = "export const answer = 42\n\n<Chart points={data}>\nThe caption of a chart.\n</Chart>\n\nValue: {answer}.\n"
    site = mdx(body)
    path = site.srcdir / "posts/note/article.mdx"
    assert f"{path}:6: WARNING: export statements are not run; this one is left out [kb.mdx]" in site.warnings
    assert f"{path}:8: WARNING: unknown component <Chart>; its content is kept [kb.mdx]" in site.warnings
    assert f"{path}:12: WARNING: the expression {{answer}} is not run; it is left out [kb.mdx]" in site.warnings
    text = text_of(site.article("posts/note"))
    assert "The caption of a chart." in text
    assert "Value: ." in text


def test_warnings_after_conversion_point_at_the_written_line(mdx):
    body = (
        '<Note title="Long">\nLine.\n</Note>\n\n'
        '<Image src="./a.png" alt="x" caption="c" width={3} />\n\n'
        "See {ref}`nowhere`.\n"
    )
    site = mdx(body, {"posts/note/a.png": png()})
    path = site.srcdir / "posts/note/article.mdx"
    assert f"{path}:12: WARNING: undefined label: 'nowhere'" in site.warnings


# Citations and equations ----------------------------------------------------------------------


def test_citations_in_mdx_and_md(mdx, build):
    body = (
        "Attention [@vaswani2017] and [see @knuth1984, p. 3; @vaswani2017].\n\nAgain [@knuth1984]: twice.\n\n"
        "[@knuth1984]: https://example.org/not-a-citation\n"
    )
    site = build(
        {
            "posts/note/article.mdx": article(body),
            "posts/other/article.md": article("Also [@vaswani2017].\n", title="Other"),
            "refs.bib": BIB,
        },
        conf=CONF,
    )
    page = site.article("posts/note")
    citations = [text_of(span) for span in page.select("span.bibtex-citation")]
    assert citations == [
        "[Vaswani and Shazeer, 2017]",
        "[see Knuth, 1984, p. 3, Vaswani and Shazeer, 2017]",
        "[Knuth, 1984]",
    ]
    references = page.select_one("section#references")
    assert text_of(references.h2).startswith("References")
    assert len(references.select(".citation")) == 2
    other = site.article("posts/other")
    assert text_of(other.select_one("span.bibtex-citation")) == "[Vaswani and Shazeer, 2017]"
    assert len(other.select("section#references .citation")) == 1
    assert site.warnings == ""


def test_pages_without_citations_have_no_references(mdx):
    site = mdx("Nothing cited.\n", files={"posts/cites/article.md": article("Cited [@knuth1984].\n", title="Cites")})
    assert site.article("posts/note").select_one("#references") is None
    # sphinxcontrib-bibtex formats every bibliography of the site in every build: only pages that
    # cite (or include chapters, which may) get one.
    bibliographies = site.app.env.domains["cite"].bibliographies
    assert sorted({key.docname for key in bibliographies}) == ["posts/cites"]


def test_missing_and_duplicate_keys(build):
    chapter = "A chapter.\n\nCites [@ghost].\n"
    site = build(
        {
            "posts/note/article.mdx": article('import C from "./chapters/c.mdx"\n\nCites [@nobody].\n\n<C />\n'),
            "posts/note/chapters/c.mdx": chapter,
            "refs.bib": BIB + "\n@misc{knuth1984,\n  title = {Again},\n  year = {1990}\n}\n",
        },
        conf=CONF,
    )
    path = site.srcdir / "posts/note/article.mdx"
    chapter_path = site.srcdir / "posts/note/chapters/c.mdx"
    bib = site.srcdir / "refs.bib"
    assert f"{path}:8: WARNING: citation @nobody is in no BibTeX file; it stays as text" in site.warnings
    assert f"{chapter_path}:3: WARNING: citation @ghost is in no BibTeX file; it stays as text" in site.warnings
    assert f"{bib}:15: WARNING: BibTeX key 'knuth1984' is defined again (first in refs.bib, line 8)" in site.warnings
    assert "[@nobody]" in site.article("posts/note").get_text()


def test_labelled_equations_are_referenceable(mdx):
    body = (
        "$$\nE = mc^2 \\label{eq:energy}\n$$\n\n"
        "$$\n\\htmlId{eq-force}{F = ma}\n$$\n\n"
        "\\begin{equation}\\label{eq:wave}\n\\Box u = 0\n\\end{equation}\n\n"
        "See {eq}`eq:energy`, [the force law](#eq-force) and [the wave](#eq:wave).\n\n"
        "Inline $\\htmlClass{hl}{x}$.\n"
    )
    site = mdx(body)
    page = site.article("posts/note")
    numbers = [text_of(span) for span in page.select("span.eqno")]
    assert [n.rstrip("¶") for n in numbers] == ["(1)", "(2)", "(3)"]
    links = page.select("p a.reference")
    assert [(a["href"], text_of(a)) for a in links] == [
        ("#equation-eq-energy", "(1)"),
        ("#equation-eq-force", "the force law"),
        ("#equation-eq-wave", "the wave"),
    ]
    latex = [text_of(div) for div in page.select("div.math")]
    assert "\\label" not in "".join(latex) and "\\htmlId" not in "".join(latex)
    assert latex[2].startswith("(3)") and "\\begin{equation}" in latex[2]
    assert page.select_one("span.math").get_text() == "\\(\\class{hl}{x}\\)"
    assert site.warnings == ""

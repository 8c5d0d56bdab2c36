"""Every builder, not only HTML: what our markup becomes in text, LaTeX (hence PDF), EPUB and man pages.

Folded callouts are ordinary admonitions there, an embed is its title, a link to the page on the
HTML site and its caption, sphinx-proof's theorems are titled admonitions and math cross
references are LaTeX's own (or the number, in text). Nothing the author wrote is dropped.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from conftest import post

BIB = """\
@book{knuth1984,
  title = {The TeXbook},
  author = {Knuth, Donald},
  year = {1984},
  publisher = {Addison-Wesley}
}
"""

CONF = """
bibtex_bibfiles = ["refs.bib"]
version = release = "1.0"
copyright = "2026, Test Author"
"""

#: The master document reaches the pages by its toctree, so LaTeX, EPUB and man include them.
INDEX = """\
# Home

```{toctree}
notes
mdx-notes
```
"""

NOTES = """\
# Notes

> [!example]- Folded title
> Folded body with $x^2$.

> [!info]+ Open title
> Open body.

:::{html-embed} chart.html
:title: Loss curve
:name: fig-chart

Drag to zoom.
:::

$$
L = -\\log p
$$ (eq-loss)

The loss $\\eqref{eq-loss}$ is small, as shown in [@knuth1984].
"""

MDX = """\
# MDX notes

<Note variant="warning" title="Careful">
A warning note.
</Note>

<Theorem variant="lemma" title="Descent" id="lem-descent">
The loss goes down.
</Theorem>

<Proof>
By telescoping.
</Proof>

<Accordion title="Proof sketch">
Hidden sketch.
</Accordion>

<Tabs>
  <Tab label="PyTorch">
  Torch text.
  </Tab>
  <Tab label="JAX">
  Jax text.
  </Tab>
</Tabs>

<HtmlEmbed src="./chart.html" title="Bar chart" desc="Hover a bar." />
"""

FILES: dict[str, str | bytes] = {
    "index.md": INDEX,
    "notes.md": NOTES,
    "mdx-notes.mdx": MDX,
    "chart.html": "<!doctype html><p>chart</p>",
    "refs.bib": BIB,
    "posts/note/article.md": post("A post", date="2025-12-11", body="Intro.\n\n> [!tip]- Post callout\n> Post body.\n"),
}

#: Where the HTML site publishes the embedded page (Sphinx's folder for downloads).
EMBED_URL = re.compile(r"https://notes\.example\.org/_downloads/[0-9a-f]{32}/chart\.html")


def squeeze(text: str) -> str:
    """*text* with its line breaks and runs of spaces as single spaces (the text builder wraps)."""
    return " ".join(text.split())


def test_text_builder(build):
    site = build(FILES, conf=CONF, buildername="text")
    assert site.warnings == ""
    notes = squeeze((site.outdir / "notes.txt").read_text(encoding="utf-8"))
    assert "Folded title: Folded body with x^2." in notes
    assert "Open title: Open body." in notes
    assert "**Loss curve**" in notes
    # The URL is wrapped like any long word; joined again, it is the page on the HTML site.
    link = re.search(r"Interactive page: (\S+(?: \S+)?) Drag to zoom\.", notes)
    assert link is not None and EMBED_URL.fullmatch(link[1].replace(" ", ""))
    assert "The loss (1) is small" in notes
    assert r"\href" not in notes
    assert "Knuth, 1984" in notes and "The TeXbook" in notes

    mdx = squeeze((site.outdir / "mdx-notes.txt").read_text(encoding="utf-8"))
    assert "Careful: A warning note." in mdx
    assert "Lemma 1 (Descent): The loss goes down." in mdx
    assert "Proof. By telescoping." in mdx
    assert "Proof sketch" in mdx and "Hidden sketch." in mdx
    assert "Torch text." in mdx and "Jax text." in mdx
    assert "**Bar chart**" in mdx and "Hover a bar." in mdx

    assert "Post callout: Post body." in squeeze((site.outdir / "posts/note.txt").read_text(encoding="utf-8"))


def test_latex_builder(build):
    site = build(FILES, conf=CONF, buildername="latex")
    assert site.warnings == ""
    (tex_file,) = site.outdir.glob("*.tex")
    tex = tex_file.read_text(encoding="utf-8")
    folded = tex.index(r"\begin{sphinxadmonition}{note}{Folded title}")
    assert tex.index(r"Folded body with \(x^2\).", folded) < tex.index(r"\end{sphinxadmonition}", folded)
    assert r"\begin{sphinxadmonition}{note}{Open title}" in tex
    embed = tex[tex.index(r"\sphinxstylestrong{Loss curve}") :]
    url = re.search(r"Interactive page: \\sphinxurl\{([^}]*)\}", embed)
    assert url is not None and EMBED_URL.fullmatch(url[1].replace(r"\_", "_"))
    assert embed.index("Drag to zoom.") > url.end()
    # LaTeX numbers the display itself, so the reference is LaTeX's, not the HTML page's link.
    assert r"The loss \(\eqref{equation:notes:eq-loss}\) is small" in tex
    assert r"\href{#" not in tex
    assert "Knuth" in tex and "The TeXbook" in tex
    assert r"\begin{sphinxadmonition}{note}{Lemma" in tex and "The loss goes down." in tex
    assert "Hidden sketch." in tex and "Jax text." in tex and "Hover a bar." in tex


def test_epub_builder(build):
    site = build(FILES, conf=CONF, buildername="epub")
    assert site.warnings == ""
    (book,) = site.outdir.glob("*.epub")
    with zipfile.ZipFile(book) as archive:
        names = archive.namelist()
        notes = archive.read("notes.xhtml").decode()
    # An EPUB keeps no scripts and runs no embedded page: no MathJax copy, no frame.
    assert not any(name.startswith("_static/mathjax/") for name in names)
    assert "<iframe" not in notes
    assert EMBED_URL.search(notes) and "Drag to zoom." in notes
    assert re.search(r'<details class="[^"]*callout-example[^"]*">\s*<summary', notes)
    assert "Folded body with" in notes


def test_man_builder(build):
    site = build(FILES, conf=CONF, buildername="man")
    assert site.warnings == ""
    (page,) = Path(site.outdir).rglob("*.1")
    text = page.read_text(encoding="utf-8")
    assert "Folded title" in text and "Folded body with" in text
    assert "Lemma 1" in text and "The loss goes down." in text


def test_html_keeps_frames_and_details(build):
    site = build(FILES, conf=CONF)
    notes = site.article("notes")
    details = notes.select_one("details.admonition")
    assert details.summary.get_text() == "Folded title" and not details.has_attr("open")
    embed = notes.select_one("figure.kb-embed#fig-chart")
    assert embed.iframe is not None
    assert "Interactive page" not in embed.get_text()
    # The link other builders give is where the HTML site serves the file.
    src = embed.iframe["src"]
    assert site.resolve("notes", src).read_text() == "<!doctype html><p>chart</p>"
    assert EMBED_URL.fullmatch("https://notes.example.org/" + src.split("../")[-1])
    assert notes.find("a", href="#equation-eq-loss") is not None
    lemma = site.article("mdx-notes").select_one("div.proof .admonition-title")
    assert squeeze(lemma.get_text()) == "Lemma 1 (Descent)"


@pytest.mark.parametrize("buildername", ["text", "latex", "epub"])
def test_listing_in_other_builders(build, buildername):
    """A ``{posts}`` listing is a bullet list of the posts, each with its title and date."""
    # In a LaTeX document the root page gives only the title; the listing sits on a page of its own.
    index = INDEX.replace("mdx-notes\n", "mdx-notes\narchive\n")
    files = {**FILES, "index.md": index, "archive.md": "# Archive\n\n```{posts}\n```\n"}
    site = build(files, conf=CONF, buildername=buildername)
    assert site.warnings == ""
    if buildername == "text":
        home = squeeze((site.outdir / "archive.txt").read_text(encoding="utf-8"))
        assert "* A post" in home and "2025-12-11" in home
    elif buildername == "latex":
        (tex_file,) = site.outdir.glob("*.tex")
        tex = tex_file.read_text(encoding="utf-8")
        assert r"\item" in tex and r"A post (2025\sphinxhyphen{}12\sphinxhyphen{}11)" in tex

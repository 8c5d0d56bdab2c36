"""One broken or hostile post beside a good one: one warning at its file and line, the rest builds.

Each case builds a site with a good post and one bad bundle, and checks the warning a reader of
the log sees (text, file, line), that the good post and the home listing are complete, and that a
file outside the source folder (``secret.txt``, beside it) is nowhere in the output.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from conftest import BASE_CONF, INDEX, Site, post, write
from sphinx_kb.markup.mdx import tree

if TYPE_CHECKING:
    from collections.abc import Callable

SECRET = "SECRET-MARKER-7f3a"
GOOD = post("Good post", date="2025-12-10", body="## Section\n\nGood body, complete.\n")
#: From a bundle folder (`src/posts/<slug>/`) to the file beside the source folder.
UP = "../../../secret.txt"


@dataclass
class Case:
    """A bad bundle and the one warning it must give."""

    files: dict[str, str | bytes]
    #: The file the warning names (relative to the source folder), its line, text and subtype.
    path: str
    line: int
    message: str
    subtype: str
    #: Symbolic links to make: link (relative to the source folder) -> target (relative to tmp_path).
    links: dict[str, str] = field(default_factory=dict)
    #: Other warnings that follow from the same mistake: the end of each (after the file name)
    #: or, for warnings without a file, the start.
    others: list[str] = field(default_factory=list)


def bad(body: str, title: str = "Bad post", **fields: str) -> str:
    return post(title, body=body, date="2025-12-11", **fields)


def nested_directives(depth: int) -> str:
    opening = "".join(":" * (depth + 3 - level) + "{note}\n" for level in range(depth))
    return opening + "deepest text\n" + "".join(":" * (4 + level) + "\n" for level in range(depth))


def billion_laughs() -> str:
    yaml = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        yaml += f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]\n"
    return "---\ntitle: Laughs\ndate: 2025-12-11\n" + yaml + "---\n\nStill a post.\n"


CASES = {
    "not-utf8-article": Case(
        {"posts/bad/article.md": bad("caf\xe9 au lait\n").encode("latin-1")},
        "posts/bad/article.md",
        6,
        "the file is not valid UTF-8 (invalid continuation byte: 0xe9); it is not built",
        "encoding",
    ),
    "not-utf8-page": Case(
        {"other.md": "# Other\n\nna\xefve\n".encode("latin-1")},
        "other.md",
        3,
        "the file is not valid UTF-8 (invalid continuation byte: 0xef); it is not built",
        "encoding",
    ),
    "nested-mdx": Case(
        {"posts/bad/article.mdx": bad("<Note>\n" * 199 + "deepest text\n" + "</Note>\n" * 199)},
        "posts/bad/article.mdx",
        6 + tree.MAX_DEPTH,
        f"components nest more than {tree.MAX_DEPTH} deep; <Note> and the tags inside it are left out, "
        "their text is kept",
        "mdx",
    ),
    "nested-directives": Case(
        {"posts/bad/article.md": bad(nested_directives(200))},
        "posts/bad/article.md",
        6,
        "the page is nested too deeply to be read (quotes, lists, emphasis or directives inside one another); "
        "its text is shown as written",
        "nesting",
    ),
    "nested-emphasis": Case(
        {"posts/bad/article.md": bad("*" * 3000 + "deepest text" + "*" * 3000 + "\n")},
        "posts/bad/article.md",
        6,
        "the page is nested too deeply to be read (quotes, lists, emphasis or directives inside one another); "
        "its text is shown as written",
        "nesting",
    ),
    "billion-laughs": Case(
        {"posts/bad/article.md": billion_laughs()},
        "posts/bad/article.md",
        4,
        "front matter may not use YAML anchors or aliases ('&name', '*name'); left out: "
        "'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'",
        "front_matter",
    ),
    "embed-outside": Case(
        {"posts/bad/article.md": bad(f"```{{html-embed}} {UP}\n```\n")},
        "posts/bad/article.md",
        6,
        f"embedded page '{UP}' is outside the site's source folder; it is left out",
        "path",
    ),
    "mdx-embed-outside": Case(
        {"posts/bad/article.mdx": bad(f'<HtmlEmbed src="{UP}" />\n')},
        "posts/bad/article.mdx",
        6,
        f"embedded page '{UP}' is outside the site's source folder; it is left out",
        "path",
    ),
    "image-outside": Case(
        {"posts/bad/article.md": bad(f"Text.\n\n![the alt text]({UP})\n")},
        "posts/bad/article.md",
        8,
        f"image '{UP}' is outside the site's source folder; it is left out",
        "path",
    ),
    "image-from-site-root-outside": Case(
        {"posts/bad/article.md": bad("```{image} /../secret.txt\n```\n")},
        "posts/bad/article.md",
        6,
        "image '/../secret.txt' is outside the site's source folder; it is left out",
        "path",
    ),
    "download-outside": Case(
        {"posts/bad/article.md": bad(f"Get {{download}}`the file <{UP}>`.\n")},
        "posts/bad/article.md",
        6,
        f"download '{UP}' is outside the site's source folder; it is left out",
        "path",
    ),
    "include-outside": Case(
        {"posts/bad/article.md": bad(f"Before.\n\n```{{include}} {UP}\n```\n")},
        "posts/bad/article.md",
        8,
        f"included file '{UP}' is outside the site's source folder; it is left out",
        "path",
    ),
    "literal-include-outside": Case(
        {"posts/bad/article.md": bad(f"```{{include}} {UP}\n:literal:\n```\n")},
        "posts/bad/article.md",
        6,
        f"included file '{UP}' is outside the site's source folder; it is left out",
        "path",
    ),
    "literalinclude-outside": Case(
        {"posts/bad/article.md": bad(f"```{{literalinclude}} {UP}\n```\n")},
        "posts/bad/article.md",
        6,
        f"included file '{UP}' is outside the site's source folder; it is left out",
        "path",
    ),
    "raw-file-outside": Case(
        {"posts/bad/article.md": bad(f"```{{raw}} html\n:file: {UP}\n```\n")},
        "posts/bad/article.md",
        6,
        "raw file '{tmp}/secret.txt' is outside the site's source folder; it is left out",
        "path",
    ),
    "article-links-outside": Case(
        {},
        "posts/bad/article.md",
        1,
        "posts/bad/article.md leads outside the source folder through a symbolic link; it is not built",
        "path",
        links={"posts/bad/article.md": "secret.txt"},
    ),
    "bundle-links-outside": Case(
        {},
        "posts/linked/article.md",
        1,
        "posts/linked/article.md leads outside the source folder through a symbolic link; it is not built",
        "path",
        links={"posts/linked": "elsewhere"},
    ),
    "image-links-outside": Case(
        {"posts/bad/article.md": bad("![the alt text](figure.png)\n")},
        "posts/bad/article.md",
        6,
        "image 'figure.png' is outside the site's source folder; it is left out",
        "path",
        links={"posts/bad/figure.png": "secret.txt"},
    ),
    "mdx-chapter-links-outside": Case(
        {"posts/bad/article.mdx": bad("import Part from './part.mdx'\n\n<Part />\n")},
        "posts/bad/article.mdx",
        8,
        "chapter './part.mdx' is outside the site's source folder; it is left out",
        "path",
        links={"posts/bad/part.mdx": "secret.txt"},
    ),
    "slug-with-hash": Case(
        {"posts/c#-notes/article.md": bad("Hash.\n")},
        "posts/c#-notes/article.md",
        1,
        "the bundle folder 'posts/c#-notes' has '#' in its name, which cannot be part of an address; "
        "the bundle is skipped (rename the folder)",
        "bundle",
    ),
    "slug-with-question-mark": Case(
        {"posts/why?/article.md": bad("Why.\n")},
        "posts/why?/article.md",
        1,
        "the bundle folder 'posts/why?' has '?' in its name, which cannot be part of an address; "
        "the bundle is skipped (rename the folder)",
        "bundle",
    ),
    "slug-with-percent": Case(
        {"posts/100%/article.md": bad("All.\n")},
        "posts/100%/article.md",
        1,
        "the bundle folder 'posts/100%' has '%' in its name, which cannot be part of an address; "
        "the bundle is skipped (rename the folder)",
        "bundle",
    ),
    "two-articles": Case(
        {"posts/twice/article.md": bad("One.\n"), "posts/twice/article.mdx": bad("Two.\n")},
        "posts/twice/article.mdx",
        1,
        "bundle 'twice' has two articles, posts/twice/article.md and posts/twice/article.mdx; "
        "posts/twice/article.mdx is skipped",
        "bundle",
        # Sphinx's own first look at the files, before sphinx-kb's discovery is installed.
        others=['WARNING: multiple files found for the document "posts/twice/article": '],
    ),
    "missing-title": Case(
        {"posts/bad/article.md": "---\ndate: 2025-12-11\n---\n\nText.\n"},
        "posts/bad/article.md",
        1,
        "'title' is missing; the post is listed as 'bad'",
        "front_matter",
    ),
    "missing-date": Case(
        {"posts/bad/article.md": "---\ntitle: No date\n---\n\nText.\n"},
        "posts/bad/article.md",
        1,
        "'date' (or 'published') is missing; the page is built but not listed",
        "front_matter",
    ),
    "date-that-is-no-date": Case(
        {"posts/bad/article.md": "---\ntitle: Bad date\ndate: next tuesday\n---\n\nText.\n"},
        "posts/bad/article.md",
        3,
        "invalid 'date': 'next tuesday' is not a date",
        "front_matter",
        others=["1: WARNING: 'date' (or 'published') is missing; the page is built but not listed [kb.front_matter]"],
    ),
    "slugs-differ-in-case": Case(
        {"posts/Case-Slug/article.md": bad("Upper.\n"), "posts/case-slug/article.md": bad("Lower.\n")},
        "posts/case-slug/article.md",
        1,
        "bundles posts/Case-Slug and posts/case-slug differ only in case or Unicode form (one address for "
        "both); posts/case-slug/article.md is skipped",
        "bundle",
    ),
    "slugs-differ-in-unicode-form": Case(
        {"posts/cafe\u0301/article.md": bad("Decomposed.\n"), "posts/caf\u00e9/article.md": bad("Composed.\n")},
        "posts/caf\u00e9/article.md",
        1,
        "two bundle folders are named 'caf\u00e9', in different Unicode forms (one address for both); one is "
        "built, the other skipped: rename or remove one",
        "bundle",
        # Sphinx's own first look at the files, before sphinx-kb's discovery is installed.
        others=['WARNING: multiple files found for the document "posts/caf\u00e9/article": '],
    ),
    "yaml-error": Case(
        {"posts/bad/article.md": "---\ntitle: Bad YAML\ndate: 2025-12-11\ntags: [a, b\nfoo: bar\n---\n\nText.\n"},
        "posts/bad/article.md",
        5,
        "front matter is not valid YAML: did not find expected ',' or ']', while parsing a flow sequence (line 4)",
        "front_matter",
        others=[
            "1: WARNING: 'title' is missing; the post is listed as 'bad' [kb.front_matter]",
            "1: WARNING: 'date' (or 'published') is missing; the page is built but not listed [kb.front_matter]",
        ],
    ),
    "yaml-value-error": Case(
        {"posts/bad/article.md": "---\ntitle: Bad value\ndate: 2025-12-11\nupdated: 2025-13-45\n---\n\nText.\n"},
        "posts/bad/article.md",
        4,
        "value cannot be read: month must be in 1..12",
        "front_matter",
    ),
}


@pytest.fixture
def bad_site(tmp_path: Path, make_app: Callable[..., object]) -> Callable[..., Site]:
    """Build a site with the good post, *case*'s files and links, and a secret file beside it."""

    def build(case: Case, **kwargs: object) -> Site:
        (tmp_path / "secret.txt").write_text(f"{SECRET}\n", encoding="utf-8")
        elsewhere = tmp_path / "elsewhere"
        elsewhere.mkdir(exist_ok=True)
        (elsewhere / "article.md").write_text(bad(f"{SECRET}\n", title="Elsewhere"), encoding="utf-8")
        srcdir = tmp_path / "src"
        write(srcdir, {"conf.py": BASE_CONF, "index.md": INDEX, "posts/good/article.md": GOOD, **case.files})
        for link, target in case.links.items():
            (srcdir / link).parent.mkdir(parents=True, exist_ok=True)
            os.symlink(tmp_path / target, srcdir / link)
        app = make_app("dirhtml", srcdir=srcdir, **kwargs)
        app.build()
        return Site(app)

    return build


def assert_good_post_complete(site: Site) -> None:
    article = site.article("posts/good")
    assert article.h1.get_text(strip=True).startswith("Good post")
    assert "Good body, complete." in article.get_text()
    titles = [a.get_text() for a in site.article("").select(".kb-post-card-title a")]
    assert "Good post" in titles


def assert_no_secret(site: Site) -> None:
    leaked = [path for path in site.outdir.rglob("*") if path.is_file() and SECRET.encode() in path.read_bytes()]
    assert leaked == []


@pytest.mark.parametrize("name", CASES)
def test_bad_bundle_gives_one_located_warning(bad_site, tmp_path, name):
    case = CASES[name]
    site = bad_site(case)
    message = case.message.replace("{tmp}", str(tmp_path))
    expected = f"{site.srcdir / case.path}:{case.line}: WARNING: {message} [kb.{case.subtype}]"
    warnings = [line for line in site.warnings.splitlines() if "WARNING" in line]
    assert warnings[0] == expected or warnings[-1] == expected
    others = [line for line in warnings if line != expected]
    assert len(others) == len(case.others)
    for line, other in zip(others, case.others, strict=True):
        assert line.endswith(other) if other[0].isdigit() else line.startswith(other)
    assert_good_post_complete(site)
    assert_no_secret(site)


@pytest.mark.parametrize("name", ["not-utf8-article", "embed-outside", "nested-emphasis", "slug-with-hash"])
def test_bad_bundle_fails_the_build_with_w(bad_site, name):
    site = bad_site(CASES[name], warningiserror=True)
    assert site.app.statuscode == 1


def test_what_is_left_of_bad_posts(bad_site):
    """Refused files leave what can be shown: alt text, link text, the text of a deep page."""
    image = bad_site(CASES["image-outside"])
    assert "the alt text" in image.article("posts/bad").get_text()
    assert image.article("posts/bad").find("img") is None


def test_deep_pages_show_their_text(bad_site):
    site = bad_site(CASES["nested-directives"])
    article = site.article("posts/bad")
    assert article.h1.get_text(strip=True).startswith("Bad post")
    assert "deepest text" in article.select_one("pre").get_text()


def test_deep_mdx_keeps_the_inner_text(bad_site):
    site = bad_site(CASES["nested-mdx"])
    article = site.article("posts/bad")
    assert "deepest text" in article.get_text()
    assert len(article.select("div.admonition")) == tree.MAX_DEPTH


def test_download_outside_keeps_its_text(bad_site):
    site = bad_site(CASES["download-outside"])
    article = site.article("posts/bad")
    assert "the file" in article.get_text()
    assert article.find("a", class_="download") is None


def test_billion_laughs_keeps_the_other_fields(bad_site):
    site = bad_site(CASES["billion-laughs"])
    assert site.article("posts/bad").h1.get_text(strip=True).startswith("Laughs")
    assert "Still a post." in site.article("posts/bad").get_text()


def test_unclosed_front_matter_is_named_and_the_post_builds(bad_site):
    case = Case({"posts/bad/article.md": "---\ntitle: Never closed\n\nThe body text.\n"}, "", 0, "", "")
    site = bad_site(case)
    article = site.srcdir / "posts/bad/article.md"
    assert site.warnings.splitlines() == [
        f"{article}:1: WARNING: front matter has no closing '---'; it is read as text [kb.front_matter]",
        f"{article}:1: WARNING: 'title' is missing; the post is listed as 'bad' [kb.front_matter]",
        f"{article}:1: WARNING: 'date' (or 'published') is missing; the page is built but not listed [kb.front_matter]",
    ]
    assert "The body text." in site.article("posts/bad").get_text()
    assert_good_post_complete(site)


def test_chapter_imports_resolve_from_the_importing_file(bad_site):
    case = Case(
        {
            "posts/book/article.mdx": bad("import A from './chapters/a.mdx'\n\n<A />\n", title="Book"),
            "posts/book/chapters/a.mdx": "import B from './b.mdx'\n\nChapter A text.\n\n<B />\n",
            "posts/book/chapters/b.mdx": "Chapter B text.\n",
        },
        "",
        0,
        "",
        "",
    )
    site = bad_site(case)
    assert site.warnings == ""
    text = site.article("posts/book").get_text()
    assert "Chapter A text." in text
    assert "Chapter B text." in text


def test_empty_bom_and_crlf_articles_build(bad_site):
    crlf = bad("First line.\n\nSecond line.\n", title="Windows").replace("\n", "\r\n").encode()
    mdx = ("\ufeff" + bad("<Note>\nIn a note.\n</Note>\n", title="MDX with BOM")).replace("\n", "\r\n").encode()
    case = Case(
        {
            "posts/bom/article.md": "\ufeff" + bad("After a BOM.\n", title="With BOM"),
            "posts/crlf/article.md": crlf,
            "posts/bom-mdx/article.mdx": mdx,
            "posts/empty/article.md": "",
        },
        "",
        0,
        "",
        "",
    )
    site = bad_site(case)
    empty = site.srcdir / "posts/empty/article.md"
    assert site.warnings.splitlines() == [
        f"{empty}:1: WARNING: 'title' is missing; the post is listed as 'empty' [kb.front_matter]",
        f"{empty}:1: WARNING: 'date' (or 'published') is missing; the page is built but not listed [kb.front_matter]",
    ]
    for page, title, text in [
        ("posts/bom", "With BOM", "After a BOM."),
        ("posts/crlf", "Windows", "Second line."),
        ("posts/bom-mdx", "MDX with BOM", "In a note."),
    ]:
        article = site.article(page)
        assert article.h1.get_text(strip=True).startswith(title)
        assert text in article.get_text()
    assert site.article("posts/bom-mdx").select_one("div.admonition") is not None
    assert_good_post_complete(site)


def _renamed(name: str, case: Case) -> Case:
    """*case* with its bundle ``posts/bad`` renamed after the case, so all cases fit in one site."""
    slug = f"bad-{name}"

    def rename(text: str) -> str:
        return text.replace("posts/bad/", f"posts/{slug}/").replace("'bad'", f"'{slug}'")

    return Case(
        {rename(path): content for path, content in case.files.items()},
        rename(case.path),
        case.line,
        rename(case.message),
        case.subtype,
        links={rename(link): target for link, target in case.links.items()},
        others=[rename(other) for other in case.others],
    )


def test_all_bad_bundles_at_once_beside_good_posts(bad_site, tmp_path):
    """Every broken and hostile bundle in one site: each gives its own warning(s), at its file and
    line, and every good post, listing and feed is complete."""
    cases = {name: _renamed(name, case) for name, case in CASES.items()}
    good = {
        "posts/good-two/article.md": post("第二篇好文章", date="2025-12-09", body="## 小节\n\n完整的正文。\n"),
        "posts/good-three/article.md": post("Third good post", date="2025-12-08", tags="[Safe]"),
    }
    everything = Case(
        {**good, **{path: content for case in cases.values() for path, content in case.files.items()}},
        "",
        0,
        "",
        "",
        links={link: target for case in cases.values() for link, target in case.links.items()},
    )
    site = bad_site(everything)
    warnings = [line for line in site.warnings.splitlines() if "WARNING" in line]
    for case in cases.values():
        message = case.message.replace("{tmp}", str(tmp_path))
        expected = f"{site.srcdir / case.path}:{case.line}: WARNING: {message} [kb.{case.subtype}]"
        assert expected in warnings
        for other in case.others:
            assert any(line.endswith(other) if other[0].isdigit() else line.startswith(other) for line in warnings)
    assert len(warnings) == sum(1 + len(case.others) for case in cases.values())
    assert_good_post_complete(site)
    titles = [a.get_text() for a in site.article("").select(".kb-post-card-title a")]
    assert {"Good post", "第二篇好文章", "Third good post"} <= set(titles)
    assert "完整的正文。" in site.article("posts/good-two").get_text()
    assert (site.outdir / "blog/atom.xml").is_file()
    assert_no_secret(site)


def test_a_5_mb_article_builds(build):
    """A very long article (a pasted thesis) is slow, not broken: it builds, whole, with no warning."""
    section = (
        "## Section {n}\n\n"
        "Gradient clipping bounds the update; 梯度裁剪限制每一步的更新幅度，方差因此下降。 "
        "The norm $\\|g\\|_2$ is compared with a threshold $c$, and $g \\leftarrow c\\,g/\\|g\\|_2$ when larger.\n\n"
        "```python\nscale = min(1.0, c / norm)\n```\n\n"
        "| step | norm |\n| --- | --- |\n| 1 | 0.5 |\n\n"
    )
    sections = []
    size, n = 0, 0
    while size < 5 * 1024 * 1024:
        text = section.format(n=n)
        sections.append(text)
        size += len(text.encode("utf-8"))
        n += 1
    site = build({"posts/huge/article.md": post("A very long note", "".join(sections), date="2025-12-11")})
    assert site.warnings == ""
    page = site.article("posts/huge")
    assert page.find(id=f"section-{n - 1}") is not None
    assert "A very long note" in [a.get_text() for a in site.html("").select(".kb-post-card-title a")]

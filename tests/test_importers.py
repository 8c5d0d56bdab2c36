"""`python -m sphinx_kb import hugo|astro SRC DEST`: small Hugo and Astro trees, imported and built."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from bs4 import BeautifulSoup

from conftest import png, write
from sphinx_kb.importers import main
from sphinx_kb.importers.common import Progress, Report, image_references, safe_slug
from sphinx_kb.importers.hugo import HugoConfig, old_address_settings, read_config, toml_to_yaml

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinx.testing.util import SphinxTestApp

HUGO_CONFIG = """\
baseURL = "https://old.example/"
title = "Old notes"
timeZone = "Asia/Shanghai"

[permalinks]
post = "/p/:slug/"
"""

MDX_ARTICLE = """\
---
title: Attention notes
published: 2025-03-01
---
import Intro from "./chapters/intro.mdx";
import curve from "../../assets/images/curve.png";
import loss from "@/assets/images/loss.png";

<Image src={curve} alt="The curve" />

<Image src={loss} alt="The loss" />

<Intro />

Attention [@vaswani2017].
"""

BIB = """\
@article{vaswani2017,
  title = {Attention Is All You Need},
  author = {Vaswani, Ashish},
  journal = {NeurIPS},
  year = {2017},
}
"""


def hugo_site(root: Path) -> Path:
    """A Hugo site: a leaf bundle with an image, a single-file post, a `%20` image, a Chinese
    title, TOML front matter, a folder name the build refuses, and a /static image."""
    write(
        root,
        {
            "hugo.toml": HUGO_CONFIG,
            "content/post/_index.md": "---\ntitle: Posts\n---\n",
            "content/post/yarn/index.md": "---\ntitle: YaRN学习笔记\ndate: 2024-05-01\n---\n\n"
            "![curve](curve.png)\n\n![pasted](Pasted%20image%2020251203174812.png)\n",
            "content/post/yarn/curve.png": png(),
            "content/post/yarn/Pasted image 20251203174812.png": png(),
            "content/post/single-note.md": '+++\ntitle = "A single note"\ndate = 2024-06-01T10:00:00+08:00\n'
            'tags = ["hugo"]\n+++\n\nSee ![logo](/images/logo.png) and ![gone](missing.png).\n',
            "content/post/c#-tricks/index.md": "---\ntitle: Tricks in C sharp\ndate: 2024-07-01\n---\n\nText.\n",
            "static/images/logo.png": png(),
            "static/favicon.ico": b"\x00",
        },
    )
    return root


def astro_site(root: Path) -> Path:
    """An Astro site: an MDX article with a chapter, asset images (relative and `@/` alias), an
    embedded page and a bibliography."""
    write(
        root,
        {
            "astro.config.mjs": 'export default defineConfig({ site: "https://astro.example" });\n',
            "src/content/attention/article.mdx": MDX_ARTICLE,
            "src/content/attention/chapters/intro.mdx": "## Introduction\n\nThe chapter text.\n",
            "src/content/references.bib": BIB,
            "src/content/config.ts": "export const collections = {};\n",
            "src/assets/images/curve.png": png(),
            "src/assets/images/loss.png": png(),
            "src/assets/embeds/plot.html": "<!doctype html><p>plot</p>\n",
        },
    )
    return root


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> str:
    assert main(["import", *map(str, args)]) == 0
    return capsys.readouterr().out


def row(output: str, label: str) -> list[str]:
    """The numbers of one row of the summary table."""
    match = re.search(rf"^  {label}\s+(\d+)(?:\s+(\d+))?$", output, re.MULTILINE)
    assert match, f"no {label!r} row in:\n{output}"
    return [number for number in match.groups() if number is not None]


def snapshot(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in root.rglob("*") if path.is_file()}


def build(make_app: Callable[..., SphinxTestApp], srcdir: Path) -> tuple[SphinxTestApp, str]:
    app = make_app("dirhtml", srcdir=srcdir)
    app.build()
    return app, re.sub(r"\x1b\[[0-9;]*m", "", app.warning.getvalue())


def page(app: SphinxTestApp, name: str) -> BeautifulSoup:
    return BeautifulSoup((Path(app.outdir) / name / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_hugo_import_writes_bundles_and_a_conf_py_that_builds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make_app: Callable[..., SphinxTestApp]
) -> None:
    src, dest = hugo_site(tmp_path / "hugo"), tmp_path / "site"
    output = run(capsys, "hugo", src, dest)

    posts = dest / "posts"
    assert sorted(path.name for path in posts.iterdir()) == ["c-tricks", "single-note", "yarn"]
    assert (posts / "yarn" / "article.md").is_file() and not (posts / "yarn" / "index.md").exists()
    assert (posts / "yarn" / "curve.png").read_bytes() == png()
    assert (posts / "yarn" / "Pasted image 20251203174812.png").is_file()
    single = (posts / "single-note" / "article.md").read_text(encoding="utf-8")
    assert single.startswith("---\ntitle: A single note\n") and "+++" not in single
    assert (dest / "images" / "logo.png").read_bytes() == png()
    assert not (dest / "favicon.ico").exists(), "only the static files posts name are copied"
    conf = (dest / "conf.py").read_text(encoding="utf-8")
    assert 'kb_old_urls = ["/p/:slug/"]' in conf
    assert 'kb_old_origins = ["https://old.example"]' in conf
    assert 'kb_hugo_feeds = "/post/"' in conf, "RSS copies where Hugo's feeds were"
    assert 'kb_timezone = "Asia/Shanghai"' in conf
    assert '"sphinx_kb"' in conf and 'html_theme = "furo"' in conf

    assert row(output, "posts") == ["3", "0"]
    assert row(output, "images") == ["3", "0"]
    assert row(output, "missing images") == ["1"]
    assert "SRC/content/post/_index.md: a list page" in output
    assert "DEST/posts/single-note/article.md:8: missing.png" in output
    assert "'c#-tricks' -> 'c-tricks'" in output

    app, warnings = build(make_app, dest)
    # The only warning is the image the author never had (the `%20` paste name is decoded).
    unexpected = [line for line in warnings.splitlines() if "WARNING" in line and "missing.png" not in line]
    assert unexpected == []
    assert "posts/single-note/article.md:8: WARNING: image 'missing.png' not found" in warnings
    assert page(app, "posts/yarn").select_one("h1").get_text().startswith("YaRN学习笔记")
    images = [img["src"] for img in page(app, "posts/yarn").select("article img")]
    assert len(images) == 2
    curve = next(src for src in images if src.endswith("curve.png"))
    assert (Path(app.outdir) / "posts" / "yarn" / curve).resolve().read_bytes() == png()
    assert page(app, "posts/single-note").select_one("article img")
    # The old addresses redirect: /p/<urlize(title)>/.
    redirect = Path(app.outdir) / "p" / "yarn学习笔记" / "index.html"
    assert redirect.is_file()
    assert "posts/yarn" in redirect.read_text(encoding="utf-8")
    assert (Path(app.outdir) / "p" / "a-single-note" / "index.html").is_file()


def test_a_second_run_overwrites_nothing_and_says_already_there(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src, dest = hugo_site(tmp_path / "hugo"), tmp_path / "site"
    run(capsys, "hugo", src, dest)
    (dest / "posts" / "yarn" / "article.md").write_text("---\ntitle: Edited\n---\n", encoding="utf-8")
    before = snapshot(dest)

    output = run(capsys, "hugo", src, dest)

    assert snapshot(dest) == before
    assert row(output, "posts") == ["0", "2"]
    assert row(output, "images") == ["0", "3"]
    assert "DEST/posts/yarn/article.md: exists and differs from SRC/content/post/yarn/index.md" in output
    assert "Add these lines" not in output


def test_into_an_existing_site_conf_py_is_unchanged_and_the_lines_are_printed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src, dest = hugo_site(tmp_path / "hugo"), tmp_path / "site"
    conf = 'project = "Mine"\nkb_timezone = "Asia/Shanghai"\nkb_posts_dir = "notes"\n'
    write(dest, {"conf.py": conf, "index.md": "# Mine\n"})

    output = run(capsys, "hugo", src, dest)

    assert (dest / "conf.py").read_text(encoding="utf-8") == conf
    assert (dest / "index.md").read_text(encoding="utf-8") == "# Mine\n"
    assert (dest / "notes" / "yarn" / "article.md").is_file(), "the site's kb_posts_dir is used"
    lines = output.split("Add these lines to DEST/conf.py", 1)[1]
    assert 'kb_old_urls = ["/p/:slug/"]' in lines
    assert 'kb_old_origins = ["https://old.example"]' in lines
    assert "kb_timezone" not in lines, "a setting the site already has is not repeated"


def test_astro_import_keeps_mdx_and_mirrors_assets(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make_app: Callable[..., SphinxTestApp]
) -> None:
    src, dest = astro_site(tmp_path / "astro"), tmp_path / "site"
    output = run(capsys, "astro", src, dest)

    bundle = dest / "posts" / "attention"
    assert (bundle / "chapters" / "intro.mdx").is_file()
    article = (bundle / "article.mdx").read_text(encoding="utf-8")
    assert 'from "../../assets/images/curve.png"' in article
    assert 'from "/assets/images/loss.png"' in article, "the @/ alias is written from the source folder"
    assert (dest / "assets" / "images" / "curve.png").read_bytes() == png()
    assert (dest / "assets" / "embeds" / "plot.html").is_file()
    assert (dest / "references.bib").read_text(encoding="utf-8") == BIB
    assert 'bibtex_bibfiles = ["references.bib"]' in (dest / "conf.py").read_text(encoding="utf-8")
    assert row(output, "posts") == ["1", "0"]
    assert row(output, "images") == ["2", "0"]
    assert row(output, "embeds") == ["1", "0"]
    assert row(output, "bibliographies") == ["1", "0"]
    assert row(output, "missing images") == ["0"]
    assert row(output, "warnings") == ["0"]

    app, warnings = build(make_app, dest)
    assert "WARNING" not in warnings, warnings
    html = page(app, "posts/attention")
    assert len(html.select("article img")) == 2
    assert "The chapter text." in html.get_text()
    assert "Vaswani" in html.get_text()

    second = run(capsys, "astro", src, dest)
    assert row(second, "posts") == ["0", "1"]
    assert "Everything was already there" in second


def test_not_a_site_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "empty").mkdir()
    assert main(["import", "astro", str(tmp_path / "empty"), str(tmp_path / "site")]) == 2
    assert "not an Astro site" in capsys.readouterr().err
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize(
    ("name", "expected"),
    [("yarn", "yarn"), ("c#-tricks", "c-tricks"), ("what?", "what"), ("50%25-off", "50-off"), ("a\\b", "a-b")],
)
def test_safe_slug(name: str, expected: str) -> None:
    assert safe_slug(name) == expected


def test_safe_slug_keeps_names_apart() -> None:
    assert safe_slug("Notes", ["notes"]) == "Notes-2"


def test_base_url_path_goes_into_the_pattern() -> None:
    report = Report("hugo", Path("/src"), Path("/dest"))
    config = HugoConfig(base_url="https://x.example/blog/", permalinks={"post": "/:section/:year/:slug/"})
    assert old_address_settings(config, "post", report) == (["/blog/post/:year/:slug/"], ["https://x.example"])
    # Without permalinks: Hugo's default, section and name.
    assert old_address_settings(HugoConfig(), "posts", report) == (["/posts/:slugorcontentbasename/"], [])


def test_toml_front_matter_becomes_yaml() -> None:
    text, problem = toml_to_yaml('+++\ntitle = "标题"\ndraft = true\n+++\nBody\n')
    assert problem is None
    assert text == "---\ntitle: 标题\ndraft: true\n---\nBody\n"


def test_image_references_with_lines() -> None:
    text = (
        '![a](a.png)\n<img src="b.png">\n{{< figure src="c.png" >}}\nimport d from "./d.svg";\n![u](https://x/y.png)\n'
    )
    assert list(image_references(text)) == [("a.png", 1), ("b.png", 2), ("c.png", 3), ("./d.svg", 4)]


def test_hugo_config_in_config_default_with_page_permalinks(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "config/_default/hugo.yaml": "baseurl: https://x.example/blog/\ntimezone: Europe/Paris\n"
            "permalinks:\n  page:\n    posts: /:year/:slug/\n  section:\n    posts: /list/\n",
        },
    )
    report = Report("hugo", tmp_path, tmp_path / "site")
    config = read_config(tmp_path, report)
    assert (config.base_url, config.timezone, config.permalinks) == (
        "https://x.example/blog/",
        "Europe/Paris",
        {"posts": "/:year/:slug/"},
    )
    assert old_address_settings(config, "posts", report) == (["/blog/:year/:slug/"], ["https://x.example"])
    assert report.warnings == []


def test_a_renamed_folder_keeps_its_old_folder_address(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make_app: Callable[..., SphinxTestApp]
) -> None:
    src, dest = tmp_path / "hugo", tmp_path / "site"
    write(
        src,
        {
            "hugo.toml": 'baseURL = "https://old.example/"\n[permalinks]\npost = "/p/:contentbasename/"\n',
            "content/post/my%20note/index.md": "---\ntitle: Half price\ndate: 2024-01-01\n---\n\nText.\n",
        },
    )
    output = run(capsys, "hugo", src, dest)

    assert "'my%20note' -> 'my note'" in output
    article = (dest / "posts" / "my note" / "article.md").read_text(encoding="utf-8")
    assert 'aliases: ["/p/my%20note/"]' in article
    app, warnings = build(make_app, dest)
    assert "WARNING" not in warnings, warnings
    assert (Path(app.outdir) / "p" / "my-note" / "index.html").is_file()
    assert (Path(app.outdir) / "p" / "my note" / "index.html").is_file()


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal() -> None:
    terminal, pipe = _Terminal(), io.StringIO()
    for stream in (terminal, pipe):
        progress = Progress(2, "Importing posts", stream)
        progress.step("a")
        progress.step("b")
        progress.close()
    assert "[" + "#" * 15 + "-" * 15 + "] 1/2 a" in terminal.getvalue()
    assert "] 2/2 b" in terminal.getvalue()
    assert pipe.getvalue() == ""

"""Incremental builds: after every kind of edit, an ordinary rebuild publishes exactly the files a
clean build of the same sources publishes, and a rebuild with nothing changed writes nothing of
ours and does not run Pagefind.

Each step edits the sources of one small bilingual site, rebuilds it in place (same output and
doctree folders, a new Sphinx application as ``sphinx-build`` starts one) and builds the same
sources afresh in another folder; every published file must be equal (``conftest.published_files``
names the volatile ones left out).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from conftest import BASE_CONF, built, differing_files, indexed_urls, png, post, published_files, write

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinx.application import Sphinx
    from sphinx.testing.util import SphinxTestApp

Files = dict[str, str | bytes]

#: Files Sphinx (and sphinx-copybutton) write in every build, changed or not; none is ours.
SPHINX_REWRITES = {
    "genindex/index.html",
    "objects.inv",
    ".buildinfo",
    "_static/basic.css",
    "_static/documentation_options.js",
    "_static/language_data.js",
    "_static/pygments.css",
    "_static/copybutton.js",
}

BIB = """\
@article{smith2020,
  title = {Load Balancing Revisited},
  author = {Smith, Jane},
  year = {2020},
  journal = {J}
}
"""

CATEGORIES = ["Systems", "机器学习"]
TAGS = ["Raft", "概率", "CUDA"]
COUNT = 10


def site() -> Files:
    """Ten posts in English and Chinese with tags, categories, a citation, links to the next post
    and aliases; ``note-0`` alone has the tag ``Solo`` and an image, and nothing links to it."""
    files: Files = {
        "conf.py": BASE_CONF
        + 'bibtex_bibfiles = ["refs.bib"]\n'
        # Feeds with whole posts (maths, images, links) and copies at Hugo's addresses.
        + 'kb_feed_content = "full"\nkb_hugo_feeds = "/posts/"\n',
        "index.md": "# Home\n\n```{posts}\n:limit: 5\n```\n\n```{toctree}\nabout\nsystems\n```\n",
        "about.md": "# About\n\nThis site.\n",
        "systems.md": "# Systems\n\n```{posts}\n:category: Systems\n```\n",
        "refs.bib": BIB,
    }
    for n in range(COUNT):
        chinese = n % 2 == 1
        tags = [TAGS[n % 3], TAGS[(n + 1) % 3]] + (["Solo"] if n == 0 else [])
        link = f"Next: {{ref}}`note-{n + 1}`, and [the same](../note-{n + 1}/article.md).\n" if n < COUNT - 1 else ""
        text = f"第 {n} 篇笔记讨论负载均衡。\n" if chinese else f"Note {n} is about load balancing.\n"
        image = "```{figure} plot.png\n\nA plot.\n```\n\n" if n in (0, 4) else ""
        body = f"## Part\n\n{text}\nAs shown [@smith2020].\n\n{image}{link}"
        files[f"posts/note-{n}/article.md"] = post(
            f"笔记 {n}" if chinese else f"Note {n}",
            body,
            date=f"2025-{n + 1:02d}-10 10:00:00+08:00",
            tags=f"[{', '.join(tags)}]",
            categories=f"[{CATEGORIES[n % 2]}]",
            aliases=f"[/p/old-{n}/]",
            **({"lang": "zh-CN"} if chinese else {}),
        )
        if image:
            files[f"posts/note-{n}/plot.png"] = png()
    return files


def replace(files: Files, name: str, old: str, new: str) -> None:
    text = str(files[name])
    assert old in text, (name, old)
    files[name] = text.replace(old, new, 1)


def new_post(files: Files) -> None:
    files["posts/fresh/article.md"] = post(
        "Fresh", "## Part\n\nA new note, see {ref}`note-3`.\n", date="2025-06-15", tags="[Raft]", categories="[Systems]"
    )


def body_edit(files: Files) -> None:
    replace(files, "posts/note-4/article.md", "is about load balancing", "is about consensus")


def title_change(files: Files) -> None:
    replace(files, "posts/note-6/article.md", "title: Note 6", "title: Renamed six")


def tag_change(files: Files) -> None:
    replace(files, "posts/note-7/article.md", "tags: [概率, CUDA]", "tags: [概率, Paxos]")


def category_change(files: Files) -> None:
    replace(files, "posts/note-8/article.md", "categories: [Systems]", "categories: [Theory]")


def draft_on(files: Files) -> None:
    replace(files, "posts/note-3/article.md", "title:", "draft: true\ntitle:")


def draft_off(files: Files) -> None:
    replace(files, "posts/note-3/article.md", "draft: true\n", "")


def alias_removed(files: Files) -> None:
    replace(files, "posts/note-2/article.md", "aliases: [/p/old-2/]", "aliases: []")


def post_deleted(files: Files) -> None:
    for name in [name for name in files if name.startswith("posts/note-0/")]:
        del files[name]


def bibliography_changed(files: Files) -> None:
    replace(files, "refs.bib", "Load Balancing Revisited", "Load Balancing, Third Look")


STEPS: list[Callable[[Files], None]] = [
    new_post,
    body_edit,
    title_change,
    tag_change,
    category_change,
    draft_on,
    draft_off,
    alias_removed,
    post_deleted,
    bibliography_changed,
]


def _sync(srcdir: Path, before: Files, after: Files) -> None:
    """Make *srcdir*, holding *before*, hold *after*: changed files written, removed ones deleted."""
    for name in before.keys() - after.keys():
        (srcdir / name).unlink()
    write(srcdir, {name: content for name, content in after.items() if before.get(name) != content})


def _mtimes(outdir: Path) -> dict[str, int]:
    files = (path for path in outdir.rglob("*") if path.is_file())
    return {path.relative_to(outdir).as_posix(): path.stat().st_mtime_ns for path in files}


def _written(before: dict[str, int], after: dict[str, int]) -> set[str]:
    return {name for name, mtime in after.items() if before.get(name) != mtime}


def test_a_rebuild_with_nothing_changed_writes_nothing_of_ours(tmp_path: Path, make_app: Callable[..., SphinxTestApp]):
    write(tmp_path / "src", site())
    first = built(make_app, tmp_path / "src")
    assert first.warnings == ""
    unrelated = first.outdir / "blog/tag/solo/notes.txt"
    unrelated.write_text("not ours")
    before = _mtimes(first.outdir)
    again = built(make_app, tmp_path / "src")
    written = _written(before, _mtimes(again.outdir))
    assert written <= SPHINX_REWRITES
    # Sphinx's own files are still written: the comparison does see writes.
    assert "objects.inv" in written
    # Pagefind did not run: its index is untouched.
    assert (again.outdir / "pagefind/pagefind.js").is_file()
    assert not any(name.startswith("pagefind/") for name in written)
    assert "search index" not in again.app.status.getvalue()

    # Deleting the only post with the tag Solo removes its page, its tag's page and feed, its
    # image and its redirect, and Pagefind indexes again; a file the build never wrote stays.
    files = site()
    post_deleted(files)
    _sync(tmp_path / "src", site(), files)
    # Whether the page is still there once the pages are collected, when Pagefind starts.
    left: list[bool] = []

    def page_left(app: Sphinx) -> list[object]:
        left.append((Path(app.outdir) / "posts/note-0/index.html").exists())
        return []

    after = built(make_app, tmp_path / "src", connect={"html-collect-pages": page_left})
    assert left == [False]
    for gone in ("posts/note-0/index.html", "blog/tag/solo/index.html", "blog/tag/solo/atom.xml", "p/old-0/index.html"):
        assert not (after.outdir / gone).exists(), gone
    assert not (after.outdir / "_images/note-0-plot.png").exists()
    assert (after.outdir / "_images/note-4-plot.png").is_file()
    assert not (after.outdir / "posts/note-0").exists()
    # The index was made once the page was gone: the post is not found any more.
    assert "/posts/note-0/" not in indexed_urls(after.outdir)
    assert "/posts/note-1/" in indexed_urls(after.outdir)
    assert unrelated.read_text() == "not ours"
    assert "search index" in after.app.status.getvalue()


@pytest.mark.parametrize("steps", [STEPS[:5], STEPS[5:]], ids=["posts", "drafts-aliases-deletion-bibliography"])
def test_every_edit_rebuilds_the_clean_site(
    tmp_path: Path, make_app: Callable[..., SphinxTestApp], steps: list[Callable[[Files], None]]
):
    files = site()
    for step in STEPS[: STEPS.index(steps[0])]:
        step(files)
    write(tmp_path / "src", files)
    built(make_app, tmp_path / "src")
    for number, step in enumerate(steps):
        edited = dict(files)
        step(edited)
        assert edited != files, step.__name__
        _sync(tmp_path / "src", files, edited)
        files = edited
        incremental = built(make_app, tmp_path / "src")
        write(tmp_path / f"clean-{number}", files)
        clean = built(make_app, tmp_path / f"clean-{number}")
        assert len(published_files(clean.outdir)) > 60
        assert differing_files(incremental.outdir, clean.outdir) == [], step.__name__
        # The search index holds the same pages (its files differ from run to run: conftest).
        assert indexed_urls(incremental.outdir) == indexed_urls(clean.outdir), step.__name__
        # The same warnings (links to the draft), each at its file.
        warnings = incremental.warnings.replace(str(incremental.srcdir), "<src>")
        assert warnings == clean.warnings.replace(str(clean.srcdir), "<src>"), step.__name__

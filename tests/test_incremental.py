"""Incremental builds: after every kind of edit, an ordinary rebuild publishes exactly the files a
clean build of the same sources publishes, and a rebuild with nothing changed writes nothing of
ours and does not run Pagefind. The search index is made over the last one: an edit writes only
what changed in it, and leaves nothing unused behind.

Each step edits the sources of one small bilingual site, rebuilds it in place (same output and
doctree folders, a new Sphinx application as ``sphinx-build`` starts one) and builds the same
sources afresh in another folder; every published file must be equal (``conftest.published_files``
names the volatile ones left out).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from conftest import (
    BASE_CONF,
    built,
    differing_files,
    indexed_pages,
    indexed_urls,
    png,
    post,
    published_files,
    write,
)
from sphinx_kb.output import search

if TYPE_CHECKING:
    from collections.abc import Callable

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


def _index_leftovers(outdir: Path) -> list[str]:
    """Files of the search index that its metadata does not name: one fragment per page, one
    metadata file."""
    index = outdir / "pagefind"
    fragments = list(index.glob("fragment/*.pf_fragment"))
    left = [path.name for path in fragments] if len(fragments) != len(indexed_pages(outdir)) else []
    metadata = list(index.glob("*.pf_meta"))
    return left + ([path.name for path in metadata] if len(metadata) != 1 else [])


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
    after = built(make_app, tmp_path / "src")
    for gone in ("posts/note-0/index.html", "blog/tag/solo/index.html", "blog/tag/solo/atom.xml", "p/old-0/index.html"):
        assert not (after.outdir / gone).exists(), gone
    assert not (after.outdir / "_images/note-0-plot.png").exists()
    assert (after.outdir / "_images/note-4-plot.png").is_file()
    assert not (after.outdir / "posts/note-0").exists()
    # The post is not found any more.
    assert "/posts/note-0/" not in indexed_urls(after.outdir)
    assert "/posts/note-1/" in indexed_urls(after.outdir)
    assert unrelated.read_text() == "not ours"
    assert "search index" in after.app.status.getvalue()


def test_an_edit_is_indexed_over_the_last_index(tmp_path: Path, make_app: Callable[..., SphinxTestApp]):
    files = site()
    write(tmp_path / "src", files)
    first = built(make_app, tmp_path / "src")
    fragments = tmp_path / "src/_build/dirhtml/pagefind/fragment"
    before = {path.name: path.stat().st_mtime_ns for path in fragments.iterdir()}
    edited = dict(files)
    body_edit(edited)
    _sync(tmp_path / "src", files, edited)
    again = built(make_app, tmp_path / "src")
    after = {path.name: path.stat().st_mtime_ns for path in fragments.iterdir()}
    # Pagefind wrote the edited post's page anew and kept every other one as it was.
    assert len(after.keys() - before.keys()) == 1
    assert {name: after[name] for name in before.keys() & after.keys()} == {
        name: before[name] for name in before.keys() & after.keys()
    }
    assert _index_leftovers(again.outdir) == []
    assert "consensus" in indexed_pages(again.outdir)["/posts/note-4/"]["content"]
    assert first.warnings == again.warnings == ""


def test_a_page_written_with_the_same_text_is_not_indexed_again(tmp_path: Path, make_app: Callable[..., SphinxTestApp]):
    write(tmp_path / "src", site())
    built(make_app, tmp_path / "src")
    # Every page is written again (furo's options changed), with the same text to search.
    conf = tmp_path / "src/conf.py"
    conf.write_text(conf.read_text() + 'html_theme_options = {"top_of_page_buttons": []}\n')
    before = _mtimes(tmp_path / "src/_build/dirhtml")
    again = built(make_app, tmp_path / "src")
    written = _written(before, _mtimes(again.outdir))
    assert {"posts/note-1/index.html", "index.html", "about/index.html"} <= written
    assert "search index" not in again.app.status.getvalue()
    assert not any(name.startswith("pagefind/") for name in written)


def test_an_index_that_could_not_be_made_is_made_by_the_next_build(
    tmp_path: Path, make_app: Callable[..., SphinxTestApp], monkeypatch: pytest.MonkeyPatch
):
    files = site()
    write(tmp_path / "src", files)
    built(make_app, tmp_path / "src")
    edited = dict(files)
    body_edit(edited)
    _sync(tmp_path / "src", files, edited)
    with monkeypatch.context() as patch:
        patch.setattr(search._Indexing, "start", _no_pagefind)
        failed = built(make_app, tmp_path / "src")
    assert "the search index could not be built: no Pagefind here" in failed.warnings
    # Nothing changed since, but the index is behind its pages.
    again = built(make_app, tmp_path / "src")
    assert "search index" in again.app.status.getvalue()
    assert "consensus" in indexed_pages(again.outdir)["/posts/note-4/"]["content"]


def test_an_index_made_by_another_pagefind_is_made_afresh(tmp_path: Path, make_app: Callable[..., SphinxTestApp]):
    write(tmp_path / "src", site())
    first = built(make_app, tmp_path / "src")
    fragments = {path: path.stat().st_mtime_ns for path in (first.outdir / "pagefind/fragment").iterdir()}
    # As after an upgrade of Pagefind, or new options: no page changed.
    (search.sources_folder(first.app) / "made-by.json").write_text('["another pagefind"]')
    again = built(make_app, tmp_path / "src")
    assert "search index: 13 pages" in again.app.status.getvalue()
    # Nothing of the last index was kept: every fragment was written again.
    assert all(path.stat().st_mtime_ns > mtime for path, mtime in fragments.items())
    assert _index_leftovers(again.outdir) == []


def _no_pagefind(*args: object) -> None:
    raise OSError("no Pagefind here")


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
        # The search index, made over the last one, holds the same pages with the same text,
        # fields and filters, and nothing left from before (its chunks' names differ from run to
        # run: VOLATILE_FOLDERS).
        assert indexed_pages(incremental.outdir) == indexed_pages(clean.outdir), step.__name__
        assert _index_leftovers(incremental.outdir) == [], step.__name__
        # The same warnings (links to the draft), each at its file.
        warnings = incremental.warnings.replace(str(incremental.srcdir), "<src>")
        assert warnings == clean.warnings.replace(str(clean.srcdir), "<src>"), step.__name__

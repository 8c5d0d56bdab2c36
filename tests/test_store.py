"""The store of posts (one Sphinx domain): parallel reading gives the serial site, incremental
builds the clean one, and ablog sees exactly the store's posts."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import TYPE_CHECKING

from conftest import BASE_CONF, INDEX, Site, built, differing_files, png, post, published_files, write

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinx.testing.util import SphinxTestApp

CATEGORIES = ["Machine Learning", "Systems", "数学"]
TAGS = ["MoE", "Raft", "概率", "CUDA", "Attention"]


def corpus(count: int = 14) -> dict[str, str | bytes]:
    """*count* posts in both languages with tags, categories, maths, numbered figures, citations,
    aliases, cross-references and callouts, plus an MDX article with a chapter and a listing page."""
    files: dict[str, str | bytes] = {
        "conf.py": BASE_CONF
        + 'bibtex_bibfiles = ["refs.bib"]\n'
        # Feeds with whole posts (maths, images, links) and copies at Hugo's addresses.
        + 'kb_feed_content = "full"\nkb_hugo_feeds = "/posts/"\n',
        "index.md": INDEX + "\n```{toctree}\nsystems\n```\n",
        "refs.bib": "@article{smith2020, title={A Title}, author={Smith, Jane}, year={2020}, journal={J}}\n",
        "systems.md": "# Systems\n\n```{posts}\n:category: Systems\n:limit: 3\n```\n",
    }
    for n in range(count):
        category = CATEGORIES[n % len(CATEGORIES)]
        tags = f"[{TAGS[n % len(TAGS)]}, {TAGS[(n * 2 + 1) % len(TAGS)]}]"
        body = (
            f"## Part {n}\n\n第 {n} 篇笔记讨论方差与外推, and load balancing [@smith2020].\n\n"
            f"$$\n\\begin{{equation}}\\label{{eq-{n}}} x_{n} = \\sum_i y_i \\end{{equation}}\n$$\n\n"
            f"```{{figure}} plot.png\n:name: fig-{n}\n\nA plot of note {n}.\n```\n\n"
            f"See {{numref}}`fig-{n}` and {{ref}}`note-{(n + 1) % count}`.\n\n"
            "> [!tip]- Folded\n> Hidden text.\n"
        )
        files[f"posts/note-{n}/article.md"] = post(
            f"Note {n} 笔记",
            body,
            date=f"2025-{n % 12 + 1:02d}-{n % 27 + 1:02d} 10:00:00+08:00",
            tags=tags,
            categories=f"[{category}]",
            aliases=f"[/p/old-{n}/]",
        )
        files[f"posts/note-{n}/plot.png"] = png()
    files["posts/mdx-note/article.mdx"] = (
        "---\ntitle: An MDX note\npublished: 2026-01-02\ntags: [MoE]\ncategories: [Systems]\n---\n\n"
        "import Part from './chapters/part.mdx'\n\n<Note>A note.</Note>\n\n<Part />\n"
    )
    files["posts/mdx-note/chapters/part.mdx"] = "## A chapter\n\nText of the chapter [@smith2020].\n"
    return files


def test_parallel_reading_builds_the_same_site_as_serial(tmp_path: Path, make_app: Callable[..., SphinxTestApp]):
    files = corpus()
    write(tmp_path / "serial", files)
    write(tmp_path / "parallel", files)
    serial = built(make_app, tmp_path / "serial")
    parallel = built(make_app, tmp_path / "parallel", parallel=2)
    # Every extension says it reads safely in parallel, and Sphinx did read in chunks ("a .. b").
    assert parallel.app.is_parallel_allowed("read")
    # It wrote with as many writer processes as jobs (output/parallel.py), and the same pages.
    assert isinstance(parallel.app.builder.write_documents, functools.partial)
    status = re.sub(r"\x1b\[[0-9;]*m", "", parallel.app.status.getvalue())
    assert re.search(r"reading sources\.\.\. \[ *\d+%\] \S+ \.\. \S+", status)
    assert serial.warnings == ""
    assert parallel.warnings == ""
    assert len(published_files(serial.outdir)) > 50
    assert differing_files(serial.outdir, parallel.outdir) == []
    # The pages hold what the store knows: every post listed, numbered, cited and redirected.
    home = serial.html("")
    assert len(home.select(".kb-post-card")) == 15
    assert "Fig. 1" in serial.article("posts/note-3").get_text()
    assert serial.article("posts/mdx-note").select_one("#references") is not None
    assert (serial.outdir / "p/old-7/index.html").is_file()
    # The feeds with whole posts and their copies at Hugo's addresses are among the files compared.
    for feed in ("blog/rss.xml", "index.xml", "posts/index.xml", "tags/moe/index.xml", "categories/数学/index.xml"):
        assert (serial.outdir / feed).is_file(), feed
    assert "&lt;math" in (serial.outdir / "blog/atom.xml").read_text()


def _listing(site: Site, page: str = "") -> list[str]:
    return [a.get_text(strip=True) for a in site.html(page).select(".kb-post-card-title a")]


def test_incremental_builds_keep_the_store_right(tmp_path: Path, make_app: Callable[..., SphinxTestApp]):
    files = corpus(6)
    write(tmp_path / "src", files)
    site = built(make_app, tmp_path / "src", last=False)
    assert len(_listing(site)) == 7

    # Edit a title, delete a post, add one: the next ordinary build must equal a clean one.
    article = tmp_path / "src/posts/note-2/article.md"
    article.write_text(article.read_text(encoding="utf-8").replace("Note 2 笔记", "Renamed note"), encoding="utf-8")
    for path in sorted((tmp_path / "src/posts/note-4").iterdir()):
        path.unlink()
    (tmp_path / "src/posts/note-4").rmdir()
    write(tmp_path / "src", {"posts/fresh/article.md": post("Fresh", date="2026-06-01", categories="[Systems]")})
    site.rebuild()
    site.app.cleanup()

    clean_files = dict(files)
    clean_files = {name: text for name, text in clean_files.items() if not name.startswith("posts/note-4/")}
    clean_files["posts/note-2/article.md"] = str(files["posts/note-2/article.md"]).replace(
        "Note 2 笔记", "Renamed note"
    )
    clean_files["posts/fresh/article.md"] = post("Fresh", date="2026-06-01", categories="[Systems]")
    write(tmp_path / "clean", clean_files)
    clean = built(make_app, tmp_path / "clean")

    store = site.app.env.domains["kb"]
    assert sorted(store.posts) == sorted(clean.app.env.domains["kb"].posts)
    assert "posts/note-4" not in store.posts
    for page in ("", "systems", "blog", "blog/category/systems", "posts/note-2", "posts/fresh"):
        assert _listing(site, page) == _listing(clean, page), page
    assert "Renamed note" in _listing(site)
    for page in ("posts/note-1", "posts/note-3", "posts/fresh"):
        neighbours = [a.get_text(" ", strip=True) for a in site.html(page).select(".related-pages a")]
        expected = [a.get_text(" ", strip=True) for a in clean.html(page).select(".related-pages a")]
        assert neighbours == expected, page


def test_ablog_sees_exactly_the_posts_of_eachbuilt(tmp_path: Path, make_app: Callable[..., SphinxTestApp]):
    """ablog keeps one state per process; each build must see its own posts only."""
    write(
        tmp_path / "a",
        {
            "conf.py": BASE_CONF,
            "index.md": INDEX,
            "posts/one/article.md": post("One", date="2025-01-01", tags="[Alpha]"),
        },
    )
    write(
        tmp_path / "b",
        {
            "conf.py": BASE_CONF,
            "index.md": INDEX,
            "posts/two/article.md": post("Two", date="2025-01-02", tags="[Beta]"),
        },
    )
    first = built(make_app, tmp_path / "a")
    second = built(make_app, tmp_path / "b")
    assert _listing(first, "blog") == ["One"]
    assert _listing(second, "blog") == ["Two"]
    assert not (second.outdir / "blog/tag/alpha").exists()
    assert re.search(r"Beta\s*1", second.html("blog").select_one(".kb-browse").get_text(" "))


def test_a_post_never_silently_takes_a_label_of_another_page(build):
    """ablog's purge handler deleted the label named like the last part of a page read again; a
    post's slug then took over another page's label without a word."""
    site = build(
        {
            "about.md": "# About\n\n(zeta)=\n## The zeta section\n\nText.\n",
            "links.md": "# Links\n\nSee {ref}`zeta`.\n",
            "posts/zeta/article.md": post("Zeta", date="2025-12-11"),
        },
        conf='suppress_warnings = ["toc.not_included"]\n',
    )
    article = site.srcdir / "posts/zeta/article.md"
    assert f"{article}:1: WARNING: the label 'zeta' of this post is also defined in about [kb.label]" in site.warnings
    href = site.article("links").select_one("a.reference")["href"]
    assert site.resolve("links", href) == site.file("about")
    assert href.endswith("#zeta")

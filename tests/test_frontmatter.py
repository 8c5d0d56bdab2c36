"""Front matter: one schema for Hugo and Astro spellings; each problem named with file and line."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import post
from sphinx_kb.content import frontmatter
from sphinx_kb.content.frontmatter import Author


def read(text: str) -> tuple[frontmatter.FrontMatter, list[frontmatter.Problem]]:
    return frontmatter.read(text, dt.UTC)


def test_hugo_front_matter():
    meta, problems = read(
        "---\n"
        "title: Global-batch load balancing\n"
        "description: Why the auxiliary loss should see the whole batch.\n"
        "date: 2025-12-11 16:09:34+0800\n"
        "lastmod: 2025-12-12 10:00:00+0800\n"
        "math: true\n"
        "tags:\n  - MoE\n  - Training\n"
        "categories:\n  - 'Machine Learning  '\n"
        "aliases: [/p/lbl/]\n"
        "---\n"
    )
    assert problems == []
    assert meta.title == "Global-batch load balancing"
    assert meta.date == dt.datetime(2025, 12, 11, 16, 9, 34, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    assert meta.updated.day == 12
    assert (meta.tags, meta.categories, meta.aliases) == (["MoE", "Training"], ["Machine Learning"], ["/p/lbl/"])
    assert meta.extra == {}
    assert meta.math is True
    assert meta.lines == {
        "title": 2,
        "description": 3,
        "date": 4,
        "updated": 5,
        "math": 6,
        "tags": 7,
        "categories": 10,
        "aliases": 12,
    }


def test_astro_front_matter():
    meta, problems = read(
        "---\n"
        'title: "注意力机制笔记"\n'
        'published: "2026-05-08 18:28:18+08:00"\n'
        'modified: "May. 04, 2026"\n'
        "authors:\n  - name: Ada\n    url: https://ada.example.org\n  - Grace\n"
        "category: 随笔\n"
        "tags: [Attention, attention, 机器学习]\n"
        "draft: false\n"
        "---\n"
    )
    assert problems == []
    assert meta.title == "注意力机制笔记"
    assert meta.authors == [Author("Ada", "https://ada.example.org"), Author("Grace")]
    assert meta.categories == ["随笔"]
    assert meta.tags == ["Attention", "机器学习"]
    assert meta.draft is False


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ("tags: python, CUDA ,  ", ["python", "CUDA"]),
        ("tags: 2024", ["2024"]),
        ("tags: [deep learning, 2025]", ["deep learning", "2025"]),
        ("categories: 笔记，随笔", ["笔记", "随笔"]),
    ],
)
def test_names_as_lists_or_strings(fields, expected):
    meta, problems = read(f"---\n{fields}\n---\n")
    assert problems == []
    assert (meta.tags or meta.categories) == expected


@pytest.mark.parametrize(
    ("yaml", "line", "message"),
    [
        ("title: [a, b]", 2, "invalid 'title': the title must be text, got a list"),
        ("title: ''", 2, "invalid 'title': the title is empty"),
        ("date: tomorrow", 2, "invalid 'date': 'tomorrow' is not a date"),
        ("date: 2025-13-45", 2, "value cannot be read"),
        ("tags: {a: 1}", 2, "invalid 'tags': expected a list of names, got a mapping"),
        ("tags: [a, [b]]", 2, "invalid 'tags': each name must be text, got a list"),
        ("authors: [{url: https://x.org}]", 2, "invalid 'authors': an author given as a mapping needs a 'name'"),
        ("draft: maybe", 2, "invalid 'draft': expected true or false, got str 'maybe'"),
        ("title: A\ntitle: B", 3, "duplicate key 'title'; the first value is used"),
        ("date: 2025-01-01\npublished: 2025-02-02", 3, "'published' repeats 'date'; the value of 'date' is used"),
        ("title: A\n  bad: indent", 3, "front matter is not valid YAML"),
        ("- a\n- b", 2, "front matter must be a mapping"),
    ],
)
def test_problems_have_a_line_and_a_message(yaml, line, message):
    _meta, problems = read(f"---\n{yaml}\n---\n")
    assert len(problems) == 1
    assert problems[0].line == line
    assert message in problems[0].message


def test_valid_fields_survive_an_invalid_one():
    meta, problems = read("---\ntitle: Kept\ntags: {a: 1}\ndate: 2025-01-01\n---\n")
    assert [p.line for p in problems] == [3]
    assert meta.title == "Kept"
    assert meta.date is not None
    assert meta.tags == []


def test_no_front_matter():
    assert read("# Just a page\n") == (frontmatter.FrontMatter(), [])
    problem = frontmatter.Problem(1, "front matter has no closing '---'; it is read as text")
    assert read("---\ntitle: never closed\n") == (frontmatter.FrontMatter(), [problem])


def test_normalized_source_keeps_every_body_line():
    source = "---\ntitle: T\ntags:\n  - a\n  - b\nfoo: bar\n---\n\nline 9\n"
    meta, _ = read(source)
    normalized = frontmatter.normalized_source(source, meta)
    assert normalized.splitlines()[8] == "line 9"
    assert len(normalized.splitlines()) == len(source.splitlines())
    assert frontmatter.read(normalized, dt.UTC)[0].tags == ["a", "b"]


# In a site: each problem is a warning naming the file and line, and the post still builds.


def test_invalid_fields_warn_with_file_and_line_and_the_post_builds(build):
    text = "---\ntitle: Still here\ndate: 2025-12-11\ntags: {bad: 1}\ncategories: [Notes]\n---\n\nBody text.\n"
    site = build({"posts/partial/article.md": text})
    path = site.srcdir / "posts/partial/article.md"
    assert f"{path}:4: WARNING: invalid 'tags': expected a list of names, got a mapping [kb.front_matter]" in (
        site.warnings
    )
    article = site.article("posts/partial")
    assert article.h1.get_text(strip=True).startswith("Still here")
    assert [a.get_text() for a in article.select(".kb-post-header .kb-category")] == ["Notes"]
    assert article.select(".kb-post-header .kb-tags") == []
    assert [a.get_text() for a in site.article("").select(".kb-post-card-title a")] == ["Still here"]


def test_broken_yaml_warns_once_at_its_line(build):
    text = "---\ntitle: Broken\ndate: 2025-12-11\ntags: [unclosed\n---\n\nBody text.\n"
    site = build({"posts/broken/article.md": text})
    path = site.srcdir / "posts/broken/article.md"
    lines = [line for line in site.warnings.splitlines() if "WARNING" in line]
    assert lines[0].startswith(f"{path}:5: WARNING: front matter is not valid YAML")
    assert "'title' is missing" in lines[1]
    assert "Malformed YAML" not in site.warnings
    assert "Body text." in site.article("posts/broken").get_text()


def test_missing_title_and_date(build):
    site = build(
        {
            "posts/untitled/article.md": "---\ndate: 2025-12-11\n---\n\n# Heading in the body\n\nText.\n",
            "posts/undated/article.md": "---\ntitle: Undated\n---\n\nText.\n",
        }
    )
    untitled = site.srcdir / "posts/untitled/article.md"
    undated = site.srcdir / "posts/undated/article.md"
    assert f"{untitled}:1: WARNING: 'title' is missing; the post is listed as 'Heading in the body'" in site.warnings
    assert f"{undated}:1: WARNING: 'date' (or 'published') is missing; the page is built but not listed" in (
        site.warnings
    )
    assert [a.get_text() for a in site.article("").select(".kb-post-card-title a")] == ["Heading in the body"]
    assert "given twice" not in site.warnings
    assert site.article("posts/undated").h1.get_text(strip=True).startswith("Undated")


def test_yaml_comments_are_not_titles(build):
    text = "---\ntitle: Commented\n# a YAML comment\ndate: 2025-12-11\n---\n\nText.\n"
    site = build({"posts/c/article.md": text})
    assert site.warnings == ""


def test_unknown_keys_are_kept_quietly(build):
    site = build({"posts/extra/article.md": post("Extra", date="2025-12-11", mood="true", backdrop="x.png")})
    assert site.warnings == ""
    assert site.app.env.domains["kb"].posts["posts/extra"].meta.extra == {"mood": True, "backdrop": "x.png"}


def test_front_matter_problems_fail_with_w(build):
    site = build({"posts/bad/article.md": post("Bad", date="someday")}, warningiserror=True)
    assert "invalid 'date'" in site.warnings
    assert site.app.statuscode == 1


def test_a_title_is_text_not_markdown(build):
    """MyST parses the front-matter title as Markdown to make the heading; it must stay text,
    with no role, emphasis or HTML read from it, and no warning about them."""
    title = "A {unknown}`role`, *stars*, `ticks` & <b>tags</b> [not](a-link)"
    site = build({"posts/marks/article.md": post(f"'{title}'", date="2025-12-11")})
    assert site.warnings == ""
    heading = site.article("posts/marks").h1
    assert heading.get_text().rstrip("¶").strip() == title
    assert heading.find_all(["b", "em", "code"]) == []
    assert [a.get("class") for a in heading.find_all("a")] == [["headerlink"]]
    assert site.html("posts/marks").title.get_text().startswith(title)

"""Content bundles: one folder per post, its article a page named by the slug."""

from __future__ import annotations

from conftest import png, post


def test_article_is_the_page_named_by_its_slug(build):
    site = build({"posts/load-balancing/article.md": post("Load balancing", date="2025-12-11")})
    assert site.app.env.project.path2doc("posts/load-balancing/article.md") == "posts/load-balancing"
    assert site.app.env.doc2path("posts/load-balancing", False).as_posix() == "posts/load-balancing/article.md"
    article = site.article("posts/load-balancing")
    assert article.h1.get_text(strip=True).startswith("Load balancing")
    assert not (site.outdir / "posts/load-balancing/article").exists()
    assert site.warnings == ""


def test_bundle_images_and_files_resolve_from_the_bundle(build):
    body = "![The approximation](lbl-approximation.png)\n\n{download}`the data <data/points.csv>`\n"
    site = build(
        {
            "posts/lbl/article.md": post("LBL", date="2025-12-11", body=body),
            "posts/lbl/lbl-approximation.png": png(),
            "posts/lbl/data/points.csv": "x,y\n1,2\n",
        }
    )
    article = site.article("posts/lbl")
    image = article.find("img", alt="The approximation")
    assert site.resolve("posts/lbl", image["src"]).read_bytes() == png()
    download = article.find("a", class_="download")
    assert site.resolve("posts/lbl", download["href"]).read_text() == "x,y\n1,2\n"
    assert site.warnings == ""


def test_missing_image_is_reported_with_file_and_line(build):
    body = "First line.\n\n![gone](missing.png)\n"
    site = build({"posts/lost/article.md": post("Lost", date="2025-12-11", body=body)})
    path = site.srcdir / "posts/lost/article.md"
    message = "image 'missing.png' not found (looked for posts/lost/missing.png); it is shown as its alt text"
    assert f"{path}:8: WARNING: {message} [kb.image]" in site.warnings
    assert "gone" in site.article("posts/lost").get_text()
    assert site.article("posts/lost").h1 is not None


def test_other_markdown_in_a_bundle_is_not_a_page(build):
    site = build(
        {
            "posts/book/article.md": post("Book", date="2025-12-11", body="See the chapters.\n"),
            "posts/book/chapters/intro.md": "# Intro\n\nNot a page.\n",
            "posts/book/notes.md": "# Notes\n\nNot a page either.\n",
        }
    )
    assert "posts/book/chapters/intro" not in site.app.env.found_docs
    assert "posts/book/notes" not in site.app.env.found_docs
    assert not (site.outdir / "posts/book/chapters").exists()
    assert "toctree" not in site.warnings


def test_non_ascii_slug(build):
    site = build({"posts/负载均衡/article.md": post("负载均衡", date="2025-12-11")})
    assert "posts/负载均衡" in site.app.env.found_docs
    link = site.article("").find("a", string="负载均衡")
    assert site.resolve("", link["href"]) == site.file("posts/负载均衡")


def test_mdx_and_hugo_index_files_are_articles(build):
    site = build(
        {
            "posts/from-astro/article.mdx": post("From Astro", published="2026-01-24"),
            "posts/from-hugo/index.md": post("From Hugo", date="2025-01-24"),
        }
    )
    assert {"posts/from-astro", "posts/from-hugo"} <= site.app.env.found_docs
    titles = [a.get_text() for a in site.article("").select(".kb-post-card-title a")]
    assert titles == ["From Astro", "From Hugo"]


def test_posts_folder_is_configurable(build):
    site = build(
        {"content/astro-note/article.md": post("Astro note", published="2026-01-24")},
        conf='kb_posts_dir = "content"\n',
    )
    assert "content/astro-note" in site.app.env.found_docs
    assert site.article("content/astro-note").h1 is not None
    assert [a.get_text() for a in site.article("").select(".kb-post-card-title a")] == ["Astro note"]


def test_two_articles_in_one_bundle_is_an_error_naming_both(build):
    site = build(
        {
            "posts/twice/article.md": post("Markdown one", date="2025-12-11"),
            "posts/twice/article.mdx": post("MDX one", date="2025-12-11"),
        }
    )
    assert "bundle 'twice' has two articles, posts/twice/article.md and posts/twice/article.mdx" in site.warnings
    assert site.article("posts/twice").h1.get_text(strip=True).startswith("Markdown one")


def test_slugs_differing_only_in_case_are_an_error_naming_both(build):
    site = build(
        {
            "posts/Attention/article.md": post("Upper", date="2025-12-11"),
            "posts/attention/article.md": post("Lower", date="2025-12-12"),
        }
    )
    assert "bundles posts/Attention and posts/attention differ only in case" in site.warnings
    assert "posts/Attention" in site.app.env.found_docs
    assert "posts/attention" not in site.app.env.found_docs


def test_bundle_and_plain_page_with_the_same_name(build):
    site = build(
        {
            "posts/clash/article.md": post("Bundle", date="2025-12-11"),
            "posts/clash.md": "# Plain\n",
        }
    )
    assert "posts/clash.md and the bundle posts/clash/article.md are both the page 'posts/clash'" in site.warnings
    assert site.article("posts/clash").h1.get_text(strip=True).startswith("Bundle")


def test_errors_fail_the_build_with_w(build):
    site = build(
        {
            "posts/twice/article.md": post("One", date="2025-12-11"),
            "posts/twice/index.md": post("Two", date="2025-12-11"),
        },
        warningiserror=True,
    )
    assert "bundle 'twice' has two articles, posts/twice/article.md and posts/twice/index.md" in site.warnings
    assert site.app.statuscode == 1


def test_clean_site_passes_with_w(build):
    site = build({"posts/fine/article.md": post("Fine", date="2025-12-11")}, warningiserror=True)
    assert site.app.statuscode == 0

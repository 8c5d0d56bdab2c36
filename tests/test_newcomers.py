"""A newcomer's first steps, as the README and the guide's quick start give them: the set-up
works where pip refuses (PEP 668) with the same test command as CI, and the demo becomes one's own
site by deleting the samples and writing a home page, and that site builds without a warning."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from bs4 import BeautifulSoup

ROOT = Path(__file__).parents[1]
QUICKSTART = ROOT / "docs/guide/quickstart.md"


def make_it_your_site_section() -> str:
    text = QUICKSTART.read_text(encoding="utf-8")
    start = text.index("## Make it your site")
    return text[start : text.index("\n## ", start + 1)]


def guide_home_page() -> str:
    """The home page the quick start tells a newcomer to write."""
    found = re.search(r"````markdown\n(.*?)\n\s*````", make_it_your_site_section(), re.DOTALL)
    assert found, "the quick start shows no home page"
    return re.sub(r"^   ", "", found[1], flags=re.MULTILINE) + "\n"


def test_deleting_the_samples_leaves_a_site_that_builds(tmp_path, make_app):
    section = make_it_your_site_section()
    assert "rm -r docs/posts/* docs/guide" in section
    for setting in ("project", "author", "blog_title", "html_baseurl"):
        assert f"`{setting}`" in section
    srcdir = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", srcdir, ignore=shutil.ignore_patterns("_build"))
    for sample in srcdir.joinpath("posts").iterdir():
        shutil.rmtree(sample)
    shutil.rmtree(srcdir / "guide")
    (srcdir / "index.md").write_text(guide_home_page(), encoding="utf-8")

    app = make_app("dirhtml", srcdir=srcdir)
    app.build()

    warnings = app.warning.getvalue()
    assert warnings == "", warnings
    home = BeautifulSoup((Path(app.outdir) / "index.html").read_text(encoding="utf-8"), "html.parser")
    article = home.select_one("article#furo-main-content")
    assert article.h1.get_text(strip=True).rstrip("¶") == "My notes"
    assert article.select_one(".kb-empty").get_text(strip=True) == "No posts yet."
    assert not home.select('a[href*="guide"]'), "a link to the deleted guide"
    assert (Path(app.outdir) / "blog/index.html").is_file()


def test_the_demo_home_page_is_the_one_coupling_to_the_guide():
    """Only docs/index.md names the guide, which is why the quick start replaces it; no post does."""
    naming = [
        path.relative_to(ROOT / "docs").as_posix()
        for path in (ROOT / "docs").rglob("*.md*")
        if "guide" not in path.relative_to(ROOT / "docs").parts and "_build" not in path.parts
        if re.search(r"\]\((?:\.\./)*guide/|\{doc\}`/?guide|^guide/", path.read_text(encoding="utf-8"), re.MULTILINE)
    ]
    assert naming == ["index.md"]


def test_readme_setup_works_without_pip_on_the_system_python_and_tests_as_ci_does():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci/run").read_text(encoding="utf-8")
    assert "python3 -m pip install nox" in readme
    assert "externally-managed-environment" in readme
    assert "pipx install nox" in readme
    assert "python3 -m venv .venv && .venv/bin/pip install nox" in readme
    assert "python3 -m venv .venv && .venv/bin/pip install" in ci
    # The README's test command is the one CI runs.
    assert re.search(r"^nox -s tests\b", readme, re.MULTILINE)
    assert re.search(r"^nox -s tests$", ci, re.MULTILINE)

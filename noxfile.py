"""Sessions: `nox -s docs` builds the site, `nox -s tests` runs the tests, `nox -s lint` checks
the code, `nox -s builders` builds the site as text, LaTeX, EPUB and man pages, `nox -s serve`
rebuilds the site on every change, `nox -s bench` measures search and build times, `nox -s import --
hugo SRC DEST` copies a Hugo or Astro blog into a site."""

from __future__ import annotations

import nox

nox.options.sessions = ["lint", "tests", "docs"]
nox.options.reuse_existing_virtualenvs = True

BUILD = "docs/_build"


@nox.session
def docs(session: nox.Session) -> None:
    """Build the site into docs/_build/html, failing on any warning (as Read the Docs does)."""
    session.install(".")
    session.run("sphinx-build", "-b", "dirhtml", "-W", "--keep-going", "docs", f"{BUILD}/html", *session.posargs)


@nox.session
def builders(session: nox.Session) -> None:
    """Build the site with the builders other than HTML (text, LaTeX, EPUB, man), failing on any warning."""
    session.install(".")
    for builder in ("text", "latex", "epub", "man"):
        out, doctrees = f"{BUILD}/{builder}", f"{BUILD}/doctrees-{builder}"
        session.run("sphinx-build", "-q", "-b", builder, "-d", doctrees, "-W", "--keep-going", "docs", out)


#: The oldest Sphinx we support, and the newest (whatever pip resolves).
SPHINX_VERSIONS = ["8.2", "latest"]


@nox.session
@nox.parametrize("sphinx", SPHINX_VERSIONS)
def tests(session: nox.Session, sphinx: str) -> None:
    """Run the test suite against each supported Sphinx; browser tests need Debian's chromium at
    /usr/bin/chromium."""
    pins = [] if sphinx == "latest" else [f"sphinx=={sphinx}.*"]
    session.install(".[test]", *pins)
    session.run("pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """Check code style with ruff, and types with mypy against the installed dependencies."""
    session.install("ruff>=0.6", "mypy>=1.11", "types-PyYAML", "types-python-dateutil", ".")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy")


@nox.session
def serve(session: nox.Session) -> None:
    """Serve the site on http://127.0.0.1:8000, rebuilt on every change, drafts included."""
    session.install(".", "sphinx-autobuild>=2024.4")
    session.run(
        "sphinx-autobuild",
        "-b",
        "dirhtml",
        "-D",
        "kb_show_drafts=1",
        "--watch",
        "extensions",
        "docs",
        f"{BUILD}/serve",
        *session.posargs,
    )


@nox.session
def bench(session: nox.Session) -> None:
    """Measure the search page on 500 generated posts in headless Chromium (/usr/bin/chromium), then
    clean, parallel and incremental builds of 100, 500 and 1,000 generated posts against plain
    Sphinx + MyST and Hugo (`nox -s bench -- --only build --quick`; see tests/bench.py)."""
    session.install(".[test]")
    session.run("python", "tests/bench.py", *session.posargs)


@nox.session(name="import")
def import_site(session: nox.Session) -> None:
    """Copy a Hugo or Astro blog into a sphinx-kb site: `nox -s import -- hugo|astro SRC DEST`."""
    if not session.posargs:
        session.error("usage: nox -s import -- hugo|astro SRC DEST")
    session.install(".")
    session.run("python", "-m", "sphinx_kb", "import", *session.posargs)

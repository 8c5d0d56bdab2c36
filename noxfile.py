"""Sessions: `nox -s docs` builds the site, `nox -s tests` runs the tests, `nox -s lint` checks
the code, `nox -s builders` builds the site as text, LaTeX, EPUB and man pages, `nox -s serve`
rebuilds the site on every change, `nox -s bench` measures build times."""

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


@nox.session
def tests(session: nox.Session) -> None:
    """Run the test suite; browser tests need Debian's chromium at /usr/bin/chromium."""
    session.install(".[test]")
    session.run("pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """Check code style with ruff."""
    session.install("ruff>=0.6")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


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
    """Time clean and no-change builds of generated sites of several sizes."""
    session.install(".")
    session.run("python", "tests/bench.py", *session.posargs)

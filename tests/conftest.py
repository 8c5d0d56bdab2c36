"""Shared fixtures: build a small site from a dict of files and read what a reader sees; serve
it on localhost and open it in Chromium."""

from __future__ import annotations

import functools
import gzip
import http.server
import json
import os
import re
import struct
import threading
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from bs4 import BeautifulSoup

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from sphinx.testing.util import SphinxTestApp

pytest_plugins = ("sphinx.testing.fixtures",)

BASE_CONF = """
project = "Test notes"
author = "Test Author"
extensions = ["sphinx_kb", "sphinx_design", "sphinx_copybutton"]
html_theme = "furo"
html_baseurl = "https://notes.example.org/"
exclude_patterns = ["_build"]
blog_title = "Test notes"
"""

INDEX = """\
# Home

```{posts}
```
"""

_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def png(width: int = 2, height: int = 2) -> bytes:
    """A small valid PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def post(title: str | None = "A post", body: str = "Some text.\n", **fields: str) -> str:
    """An article with front matter: *fields* are written as `key: value` lines, in order."""
    lines = [f"title: {title}"] if title is not None else []
    lines += [f"{key}: {value}" for key, value in fields.items()]
    return "---\n" + "\n".join(lines) + "\n---\n\n" + body


@dataclass
class Site:
    """A built site."""

    app: SphinxTestApp

    @property
    def outdir(self) -> Path:
        return Path(self.app.outdir)

    @property
    def srcdir(self) -> Path:
        return Path(self.app.srcdir)

    @property
    def warnings(self) -> str:
        return _ANSI.sub("", self.app.warning.getvalue())

    def file(self, page: str) -> Path:
        """The HTML file of *page* (``""`` is the home page) under the dirhtml builder."""
        path = self.outdir / page / "index.html" if page else self.outdir / "index.html"
        assert path.is_file(), f"{page!r} was not built"
        return path

    def html(self, page: str) -> BeautifulSoup:
        return BeautifulSoup(self.file(page).read_text(encoding="utf-8"), "html.parser")

    def article(self, page: str) -> BeautifulSoup:
        """The main content of *page*, without furo's sidebars and footer."""
        main = self.html(page).select_one("article#furo-main-content")
        assert main is not None
        return main

    def resolve(self, page: str, href: str) -> Path:
        """The file a relative link on *page* leads to."""
        from urllib.parse import unquote, urlsplit

        target = (self.file(page).parent / unquote(urlsplit(href).path)).resolve()
        return target / "index.html" if target.is_dir() else target

    def rebuild(self) -> None:
        self.app.warning.truncate(0)
        self.app.warning.seek(0)
        self.app.build()


@pytest.fixture
def build(tmp_path: Path, make_app: Callable[..., SphinxTestApp]) -> Callable[..., Site]:
    """Write *files* (path -> text or bytes) into a fresh source folder and build it."""

    def build(files: dict[str, str | bytes], conf: str = "", buildername: str = "dirhtml", **kwargs: object) -> Site:
        srcdir = tmp_path / "src"
        files = {"conf.py": BASE_CONF + conf, "index.md": INDEX, **files}
        write(srcdir, files)
        app = make_app(buildername, srcdir=srcdir, **kwargs)
        app.build()
        return Site(app)

    return build


#: Published files that a build may leave different from another build of the same sources:
#: Sphinx's record of the build (``.buildinfo``, and its copy when the configuration changed) and
#: Pagefind's index, whose fragment names and page numbers depend on the order its threads read
#: the pages, from one run to the next (test_search.py checks the index itself).
VOLATILE = (".buildinfo", ".buildinfo.bak")
VOLATILE_FOLDERS = (".doctrees", "pagefind")


def published_files(outdir: Path) -> dict[str, bytes]:
    """Every published file of a build, by relative path, but the volatile ones (:data:`VOLATILE`)."""
    return {
        path.relative_to(outdir).as_posix(): path.read_bytes()
        for path in sorted(outdir.rglob("*"))
        if path.is_file() and path.name not in VOLATILE and path.relative_to(outdir).parts[0] not in VOLATILE_FOLDERS
    }


def differing_files(first: Path, second: Path) -> list[str]:
    """The published files that only one of two output folders has, or that differ in content."""
    ours, theirs = published_files(first), published_files(second)
    return sorted(name for name in ours.keys() | theirs.keys() if ours.get(name) != theirs.get(name))


def indexed_pages(outdir: Path) -> dict[str, dict[str, Any]]:
    """The pages in the Pagefind index of *outdir*, by address: what Pagefind keeps of each (its
    fragment: gzipped JSON after Pagefind's signature, with ``content``, ``meta``...)."""
    pages = {}
    for fragment in (outdir / "pagefind" / "fragment").glob("*.pf_fragment"):
        data = json.loads(gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd"))
        pages[data["url"]] = data
    return pages


def indexed_urls(outdir: Path) -> list[str]:
    """The addresses of the pages in the Pagefind index of *outdir*."""
    return sorted(indexed_pages(outdir))


def write(srcdir: Path, files: dict[str, str | bytes]) -> None:
    """Write *files* under *srcdir*."""
    for name, content in files.items():
        path = srcdir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def built(
    make_app: Callable[..., SphinxTestApp],
    srcdir: Path,
    last: bool = True,
    connect: dict[str, Callable[..., object]] | None = None,
    **kwargs: object,
) -> Site:
    """Build *srcdir* with the dirhtml builder; unless more builds of the same app follow
    (``last=False``), let the next app of the test register Sphinx's nodes afresh (no "already
    registered" warnings). *connect*: handlers of events (event -> handler), last of each event."""
    app = make_app("dirhtml", srcdir=srcdir, **kwargs)
    for event, handler in (connect or {}).items():
        app.connect(event, handler, priority=10_000)
    app.build()
    if last:
        app.cleanup()
    return Site(app)


# In the browser ---------------------------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"
#: Headless, and quiet: Chromium asks nothing of the network on its own.
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: The marks of a browser test (``pytestmark = NEEDS_BROWSER`` for a whole module). It is skipped
#: where Chromium is missing, except under ``KB_REQUIRE_BROWSER`` (CI), where it then fails.
NEEDS_BROWSER = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM) and not os.environ.get("KB_REQUIRE_BROWSER"),
        reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)",
    ),
]


def browser_test(test: Callable[..., None]) -> Callable[..., None]:
    """Mark one test as a browser test (:data:`NEEDS_BROWSER`)."""
    for mark in NEEDS_BROWSER:
        test = mark(test)
    return test


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    """One headless Chromium for the whole run (each test opens its own pages)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files without logging each request."""

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def served(root: Path, handler: type[http.server.SimpleHTTPRequestHandler] = QuietHandler) -> Iterator[str]:
    """Serve the folder *root* on localhost with *handler*; yield its address (ending in ``/``)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()

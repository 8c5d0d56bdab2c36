"""The search benchmark: the search page of a generated zh/en site, measured as a reader uses it.

A site of ``--search-posts`` posts (500 by default) of the **search corpus** (short posts, see
:func:`benchmarks.corpus.make_search_site`: it keeps its own generator so the figures of
``docs/guide/search.md`` keep their meaning) is built with each engine of ``--engines``
(``none``, ``sphinx``, ``sphinx-zh`` with jieba, ``pagefind``: the default compares ``none``
and ``pagefind``), served on localhost and searched in headless Chromium
(``/usr/bin/chromium``) with 20 fixed queries whose answers are known from the topic words
(:func:`benchmarks.corpus.contains`): recall and precision, clean build time, bytes downloaded
per query and the time from the last keystroke to the first results. It prints the table of
``docs/guide/search.md`` and whether Pagefind meets the goals of issue 9 (first results within
300 ms, under 1 MB per query). A benchmark, not a test: nothing fails.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import math
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from .corpus import contains, make_search_site

if TYPE_CHECKING:
    from collections.abc import Iterator

#: The fixed queries of the search benchmark: (query, the topics a post must contain all of).
QUERIES: list[tuple[str, tuple[str, ...]]] = [
    ("方差", ("方差",)),
    ("外推", ("外推",)),
    ("显存", ("显存",)),
    ("分词", ("分词",)),
    ("词表", ("词表",)),
    ("缓存", ("缓存",)),
    ("扩容", ("扩容",)),
    ("论文", ("论文",)),
    ("梯度方差", ("梯度", "方差")),
    ("显存 调度", ("显存", "调度")),
    ("balancing", ("balance",)),
    ("converged", ("converge",)),
    ("estimates", ("estimate",)),
    ("caching", ("cache",)),
    ("quantization", ("quantize",)),
    ("sharding", ("shard",)),
    ("sampled", ("sample",)),
    ("normalizing", ("normalize",)),
    ("compression", ("compress",)),
    ("balancing caches", ("balance", "cache")),
]


def sphinx_build(source: Path, out: Path) -> float:
    """Run sphinx-build once and return the wall time in seconds."""
    return timed_build(source, out)[0]


def timed_build(source: Path, out: Path) -> tuple[float, float]:
    """Run sphinx-build once; return its wall time and the processor time it and its children
    (Pagefind) used, in seconds. Processor time varies less on a shared machine."""
    command = [sys.executable, "-m", "sphinx", "-b", "dirhtml", "-q", str(source), str(out)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


# The engines compared on the same corpus. "none" builds no search at all: the time each engine
# adds to a clean build is measured against it.

NO_SEARCH = """
kb_search = False


def setup(app):
    app.connect("builder-inited", lambda app: setattr(app.builder, "search", False))
"""
ENGINES = {
    "none": NO_SEARCH,
    "sphinx": "kb_search = False\n",
    "sphinx-zh": 'kb_search = False\nhtml_search_language = "zh"\n',
    "pagefind": "",
}
#: The goals of issue 9 for one query on 500 posts.
GOAL_MS, GOAL_BYTES = 300, 1_000_000
CHROMIUM = "/usr/bin/chromium"
_POST_URL = re.compile(r"/posts/(post-\d{4})/")
#: Files a web server sends compressed (Read the Docs does); Pagefind's chunks are gzip already.
_COMPRESSED_TYPES = ("text/", "javascript", "json", "wasm")


@contextlib.contextmanager
def served(root: Path) -> Iterator[str]:
    """Serve *root* on localhost; yield its address."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    class Server(http.server.ThreadingHTTPServer):
        def handle_error(self, request: object, client_address: object) -> None:
            pass  # a page closed while a file was still on its way

    server = Server(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


def _found_pagefind(page: Any, base: str, query: str) -> set[str]:
    """The posts the search page finds for *query*: its own preparation of the query, then
    every result of Pagefind (the page shows them 20 at a time)."""
    page.goto(base + "search/")
    page.wait_for_selector("#kb-search[data-ready]")
    urls = page.evaluate(
        """async (query) => {
            const script = document.querySelector('script[src*="kb-search.js"]').src;
            const ui = await import(script);
            const root = document.getElementById("kb-search");
            const pagefind = await import(new URL(root.dataset.pagefind, document.baseURI).href);
            const found = await ui.find(pagefind, query, {});
            return Promise.all(found.results.map(async (result) => (await result.data()).url));
        }""",
        query,
    )
    return {match[1] for url in urls if (match := _POST_URL.search(url))}


def _found_sphinx(page: Any, base: str, query: str) -> set[str]:
    """The posts Sphinx's search page lists for *query* (none if the page fails)."""
    page.goto(base + "search/?" + urlencode({"q": query}))
    page.wait_for_function(_SPHINX_DONE, timeout=30_000)
    if page.evaluate("() => window.kbFailed"):  # as with html_search_language = "zh" on Sphinx 9
        return set()
    hrefs = page.eval_on_selector_all("#search-results ul.search li > a", "links => links.map(a => a.href)")
    return {match[1] for href in hrefs if (match := _POST_URL.search(href))}


def _bytes(browser: Any, base: str, path: str, ready: str) -> tuple[int, int, int]:
    """What a reader downloads for one query, from a fresh cache: (all bytes, bytes of the
    search files only, all bytes as a server compressing text sends them)."""
    context = browser.new_context()
    context.add_init_script(_NOTE_FAILURES)
    page = context.new_page()
    sizes: list[tuple[str, int, int]] = []

    def record(response: Any) -> None:
        try:
            body = response.body()
        except Exception:  # redirects have no body
            return
        kind = response.headers.get("content-type", "")
        compressed = len(gzip.compress(body)) if any(t in kind for t in _COMPRESSED_TYPES) else len(body)
        sizes.append((response.url, len(body), compressed))

    page.on("response", record)
    page.goto(base + path)
    page.wait_for_function(ready, timeout=30_000)
    page.wait_for_load_state("networkidle")
    context.close()
    search_files = ("/pagefind/", "searchindex.js", "searchtools.js", "language_data.js", "kb-search.")
    return (
        sum(size for _, size, _ in sizes),
        sum(size for url, size, _ in sizes if any(part in url for part in search_files)),
        sum(compressed for _, _, compressed in sizes),
    )


_PAGEFIND_DONE = "() => document.getElementById('kb-search')?.dataset.done"
# Sphinx's page is done when it says it finished (it shows its results one by one before), or
# when a script failed; it shows first results with its first item, or its "did not match".
_SPHINX_DONE = (
    "() => /finished|did not match/.test(document.querySelector('#search-results .search-summary')?.innerText)"
    " || window.kbFailed"
)
_SPHINX_FIRST = (
    "() => document.querySelector('#search-results ul.search li')"
    " || /did not match/.test(document.querySelector('#search-results .search-summary')?.innerText)"
    " || window.kbFailed"
)
#: Run in every page before its own scripts: notes that a script failed.
_NOTE_FAILURES = "window.addEventListener('error', () => { window.kbFailed = true; });"


def _latency_pagefind(browser: Any, base: str, query: str) -> float:
    """Milliseconds from the last keystroke to the first results shown, from a fresh cache (the
    page open, as a reader who just arrived). A Chinese word comes as one input, as an input
    method commits it; English is typed, and the clock starts at its last letter."""
    context = browser.new_context()
    context.add_init_script(_NOTE_FAILURES)
    page = context.new_page()
    page.goto(base + "search/")
    page.wait_for_selector("#kb-search[data-ready]")
    field = page.locator("input.kb-search-input")
    field.focus()
    chinese = bool(re.search(r"[\u4e00-\u9fff]", query))
    before = "" if chinese else query[:-1]
    if before:
        page.keyboard.insert_text(before)
        page.wait_for_function(
            "(n) => document.getElementById('kb-search').dataset.done !== n",
            arg=page.evaluate(_PAGEFIND_DONE),
        )
    done = page.evaluate(_PAGEFIND_DONE)
    start = time.perf_counter()
    page.keyboard.insert_text(query if chinese else query[-1])
    page.wait_for_function("(n) => document.getElementById('kb-search').dataset.done !== n", arg=done, polling=5)
    elapsed = (time.perf_counter() - start) * 1000
    context.close()
    return elapsed


def _latency_sphinx(browser: Any, base: str, query: str) -> float:
    """Milliseconds from Enter in furo's search box to the results of Sphinx's search page."""
    context = browser.new_context()
    context.add_init_script(_NOTE_FAILURES)
    page = context.new_page()
    page.goto(base + "search/")
    page.fill("input.sidebar-search", query)
    start = time.perf_counter()
    page.press("input.sidebar-search", "Enter")
    page.wait_for_function(_SPHINX_FIRST, timeout=30_000, polling=5)
    elapsed = (time.perf_counter() - start) * 1000
    failed = page.evaluate("() => window.kbFailed")
    context.close()
    return float("nan") if failed else elapsed


@dataclass
class SearchResult:
    """The measurements of one engine on one corpus."""

    engine: str
    build_s: float
    cpu_s: float
    recall: float = 0.0
    precision: float = 0.0
    per_query: dict[str, tuple[int, int]] = field(default_factory=dict)
    bytes_median: int = 0
    bytes_max: int = 0
    search_bytes_median: int = 0
    gzip_bytes_median: int = 0
    ms_median: float = 0.0
    ms_max: float = 0.0
    index_bytes: int = 0


def measure_search(posts: int, engines: list[str], repeat: int = 1) -> list[SearchResult]:
    """Build the zh/en corpus of *posts* posts with each engine and measure it as a reader.

    The clean builds take turns, engine after engine, *repeat* rounds, and the fastest of each
    engine counts: on a shared machine, a busy minute then slows every engine alike.
    """
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        # A first build pays for what every later one finds warm (imports, file caches).
        Path(folder, "warm-up").mkdir()
        make_search_site(Path(folder, "warm-up"), 10)
        sphinx_build(Path(folder, "warm-up"), Path(folder, "warm-up", "_build"))
        sites: dict[str, dict[str, str]] = {}
        builds: dict[str, list[tuple[float, float]]] = {engine: [] for engine in engines}
        for engine in engines:
            source = Path(folder, engine, "src")
            source.mkdir(parents=True)
            sites[engine] = make_search_site(source, posts, ENGINES[engine])
        for _ in range(repeat):
            for engine in engines:
                out = Path(folder, engine, "out")
                shutil.rmtree(out, ignore_errors=True)
                builds[engine].append(timed_build(Path(folder, engine, "src"), out))
        results = [
            SearchResult(engine, min(wall for wall, _ in builds[engine]), min(cpu for _, cpu in builds[engine]))
            for engine in engines
        ]
        for result in results:
            print(f"{result.engine}: clean build {result.build_s:.1f} s, processor {result.cpu_s:.1f} s", flush=True)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            for result in results:
                if result.engine != "none":
                    _measure_reader(browser, result, Path(folder, result.engine, "out"), sites[result.engine])
            browser.close()
    return results


def _measure_reader(browser: Any, result: SearchResult, out: Path, texts: dict[str, str]) -> None:
    """Recall, precision, bytes and time to results of the built site *out*, into *result*."""
    engine = result.engine
    index = out / "pagefind" if engine == "pagefind" else out / "searchindex.js"
    result.index_bytes = (
        sum(p.stat().st_size for p in index.rglob("*") if p.is_file())
        if index.is_dir()
        else (index.stat().st_size if index.exists() else 0)
    )
    found_in, done = (_found_pagefind, _PAGEFIND_DONE) if engine == "pagefind" else (_found_sphinx, _SPHINX_DONE)
    latency = _latency_pagefind if engine == "pagefind" else _latency_sphinx
    hits = relevant_total = returned = 0
    sizes, times = [], []
    with served(out) as base:
        page = browser.new_page()
        page.add_init_script(_NOTE_FAILURES)
        for query, topics in QUERIES:
            relevant = {slug for slug, text in texts.items() if all(contains(text, t) for t in topics)}
            found = found_in(page, base, query)
            good = found & relevant
            result.per_query[query] = (len(good), len(relevant))
            hits, relevant_total, returned = hits + len(good), relevant_total + len(relevant), returned + len(found)
            sizes.append(_bytes(browser, base, "search/?" + urlencode({"q": query}), done))
            times.append(latency(browser, base, query))
        page.close()
    result.recall = hits / relevant_total
    result.precision = hits / returned if returned else 0.0
    result.bytes_median = int(statistics.median(size for size, _, _ in sizes))
    result.bytes_max = max(size for size, _, _ in sizes)
    result.search_bytes_median = int(statistics.median(size for _, size, _ in sizes))
    result.gzip_bytes_median = int(statistics.median(size for _, _, size in sizes))
    shown = [t for t in times if not math.isnan(t)]  # NaN: the page failed and showed nothing
    result.ms_median = statistics.median(shown) if shown else float("nan")
    result.ms_max = max(shown) if shown else float("nan")


def report_search(posts: int, results: list[SearchResult]) -> None:
    """Print the table of the guide (docs/guide/search.md) and the goals of issue 9."""
    base = next((r for r in results if r.engine == "none"), None)
    print(f"\nsearch on {posts} zh/en posts, {len(QUERIES)} queries (clean build: the fastest of the runs)")
    print(
        "| engine | recall | precision | clean build, s (added) | processor, s (added) | index "
        "| downloaded per query, median (max) | of it search files | gzip | keystroke to results, ms median (max) |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        if r.engine == "none":
            print(f"| none | - | - | {r.build_s:.1f} | {r.cpu_s:.1f} | - | - | - | - | - |")
            continue
        added = f" ({r.build_s - base.build_s:+.1f})" if base else ""
        cpu_added = f" ({r.cpu_s - base.cpu_s:+.1f})" if base else ""
        print(
            f"| {r.engine} | {r.recall:.0%} | {r.precision:.0%} | {r.build_s:.1f}{added} | {r.cpu_s:.1f}{cpu_added} "
            f"| {r.index_bytes / 1e6:.1f} MB "
            f"| {r.bytes_median / 1e3:.0f} kB ({r.bytes_max / 1e3:.0f} kB) | {r.search_bytes_median / 1e3:.0f} kB "
            f"| {r.gzip_bytes_median / 1e3:.0f} kB | {r.ms_median:.0f} ({r.ms_max:.0f}) |"
        )
    for r in results:
        if r.per_query:
            print(f"{r.engine}: " + ", ".join(f"{q} {hit}/{total}" for q, (hit, total) in r.per_query.items()))
    for r in results:
        if r.engine == "pagefind":
            fast, small = r.ms_max <= GOAL_MS, r.bytes_max < GOAL_BYTES
            print(f"goal: first results within {GOAL_MS} ms: {'met' if fast else 'MISSED'} (slowest {r.ms_max:.0f} ms)")
            print(
                f"goal: under {GOAL_BYTES / 1e6:.0f} MB per query: {'met' if small else 'MISSED'} "
                f"(largest {r.bytes_max / 1e3:.0f} kB)"
            )

"""Benchmarks on generated zh/en sites: the search page, and builds by site size (``nox -s bench``).

Run ``python tests/bench.py`` (what ``nox -s bench`` does), or a part of it:

- ``--only search``: the search benchmark (:mod:`benchmarks.search`): a site of ``--search-posts``
  short posts built with each engine of ``--engines`` and searched in headless Chromium; recall,
  bytes per query and time to results, against the goals of issue 9.
- ``--only build``: the build benchmark (:mod:`benchmarks.build`): for each of ``--sizes`` posts
  (default 100 500 1000) of about 1,500 words, clean, parallel and incremental builds of
  sphinx-kb against plain Sphinx + MyST and Hugo, the median of ``--repeat`` rounds: Markdown
  tables, the targets of issue 11, and JSON in ``--json`` (default ``build/bench.json``).
- ``--quick``: a small run for development (one size of 50 posts, one round, 50 search posts).

The generated corpora are described in :mod:`benchmarks.corpus`. These machines are shared:
compare figures measured in one run. A benchmark, not a test: nothing fails.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from benchmarks import build, search


def main() -> None:
    """Parse the command line and run the benchmarks it asks for."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=["build", "search"], help="run one benchmark (default: both)")
    parser.add_argument(
        "--sizes", type=int, nargs="*", default=[100, 500, 1000], help="posts of each build corpus (none: no build)"
    )
    parser.add_argument("--repeat", type=int, default=3, help="rounds of every build (the median counts)")
    parser.add_argument(
        "--systems",
        nargs="+",
        default=["kb", "floor", "hugo", "hugo-pagefind"],
        choices=["kb", "floor", "hugo", "hugo-pagefind"],
        help="what builds the build corpus (Hugo, and Hugo followed by Pagefind, only when hugo is on PATH)",
    )
    parser.add_argument("--json", type=Path, default=Path("build/bench.json"), help="where the build results go")
    parser.add_argument("--workdir", type=Path, help="keep the generated sites here (default: a temporary folder)")
    parser.add_argument("--search-posts", type=int, default=500, help="posts of the search benchmark (0: none)")
    parser.add_argument(
        "--engines",
        nargs="+",
        default=["none", "pagefind"],
        choices=sorted(search.ENGINES),
        help="search engines to compare (the guide's table: none sphinx sphinx-zh pagefind; sphinx-zh needs jieba)",
    )
    parser.add_argument("--quick", action="store_true", help="a small run: --sizes 50 --repeat 1 --search-posts 50")
    args = parser.parse_args()
    if args.quick:
        args.sizes, args.repeat, args.search_posts = [50], 1, 50
    if args.only != "build" and args.search_posts:
        search.report_search(args.search_posts, search.measure_search(args.search_posts, args.engines, args.repeat))
    if args.only != "search" and args.sizes:
        build.run_benchmark(args.sizes, args.repeat, args.systems, args.json, args.workdir)


if __name__ == "__main__":
    main()

"""``python -m sphinx_kb import hugo|astro SRC DEST``: move a Hugo or Astro blog into a sphinx-kb site.

``SRC`` is the generator's project folder (the one holding ``hugo.toml`` or ``src/``); ``DEST``
is a Sphinx source folder (the one holding, or to hold, ``conf.py``). Posts become bundles under
``DEST/posts/`` (or the site's ``kb_posts_dir``); see :mod:`.hugo` and :mod:`.astro` for what is
read and where it goes, and :mod:`.common` for the rules every import follows:

- no file is ever replaced: one already there with the same content is counted as *already
  there*, one with other content is left as it is and reported;
- into an empty (or new) ``DEST`` a complete ``conf.py`` and ``index.md`` are written, so that
  ``sphinx-build DEST OUT`` works at once; into an existing site the settings to add are printed
  and no file that the import did not create is changed;
- a summary table ends the run: posts, images, missing images, embeds, bibliographies, warnings.

The exit status is 0 when the import ran (warnings included), 2 when SRC is not a site.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import astro, hugo
from .common import Report

GENERATORS = {"hugo": hugo.run, "astro": astro.run}


def parser() -> argparse.ArgumentParser:
    """The command line of ``python -m sphinx_kb``."""
    main_parser = argparse.ArgumentParser(prog="python -m sphinx_kb", description="sphinx-kb tools.")
    commands = main_parser.add_subparsers(dest="command", required=True)
    importer = commands.add_parser(
        "import",
        help="copy a Hugo or Astro blog into a sphinx-kb site",
        description="Copy a Hugo or Astro blog into a sphinx-kb site, never replacing a file.",
    )
    importer.add_argument("generator", choices=sorted(GENERATORS), help="the generator of the old site")
    importer.add_argument("src", type=Path, help="the old site's project folder")
    importer.add_argument("dest", type=Path, help="the Sphinx source folder to import into (created if needed)")
    return main_parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line with *argv* (default: ``sys.argv[1:]``); return the exit status."""
    args = parser().parse_args(argv)
    src, dest = args.src.resolve(), args.dest.resolve()
    if not src.is_dir():
        print(f"error: {args.src} is not a folder", file=sys.stderr)
        return 2
    if dest == src or any(dest.is_relative_to(src / name) for name in ("content", "src", "static", "public")):
        print(f"error: {args.dest} is inside the site it imports from", file=sys.stderr)
        return 2
    if dest.exists() and not dest.is_dir():
        print(f"error: {args.dest} is not a folder", file=sys.stderr)
        return 2
    if (
        args.generator == "hugo"
        and not any((src / name).is_file() for name in hugo.CONFIG_NAMES)
        and not (src / "content").is_dir()
    ):
        print(f"error: {args.src} is not a Hugo site (no hugo.toml, config.toml or content/)", file=sys.stderr)
        return 2
    if args.generator == "astro" and not (src / "src" / "content").is_dir():
        print(f"error: {args.src} is not an Astro site (no src/content/)", file=sys.stderr)
        return 2
    report = Report(args.generator, src, dest)
    after = GENERATORS[args.generator](src, dest, report)
    print(report.table())
    if not any(count.new for count in report.counts.values()):
        print("\nEverything was already there: no file was written.")
    if after:
        print(after)
    return 0

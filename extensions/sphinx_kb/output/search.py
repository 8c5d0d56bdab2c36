"""The search page and its index: Pagefind, run over the built site.

Why Pagefind (the measurements are in ``docs/guide/search.md``, made with ``tests/bench.py
--search``): Sphinx's own index splits Chinese only with ``html_search_language = "zh"`` and
jieba, whose search page fails in Sphinx 9, and a reader downloads the whole index for any query.
Pagefind ships as a binary on PyPI (``pagefind[extended]``: with Chinese and Japanese word
segmentation), writes an index in chunks so that a query downloads only the chunks of its words,
and filters, sorts and counts by values pages declare in their markup.

What this module does, in the order of a build:

1. ``builder-inited``: for the ``html`` and ``dirhtml`` builders (and ``kb_search`` on), Sphinx's
   own index and search page are switched off (``builder.search``): no ``searchindex.js`` is
   built, which is most of what its search cost (stemming every word of every page);
2. ``html-page-context``: every post and every plain page says what Pagefind indexes:
   ``data-pagefind-body`` around the article (archive pages and listings of posts are left out:
   they only repeat summaries), and for posts the ``tag``, ``category`` and ``year`` filters, the
   ``date`` sort key, the description and names (searched, hidden) and the title, date and
   category shown in results (``templates/page.html`` writes
   them);
3. ``html-collect-pages``: the page ``search`` (``templates/kb/search.html``, where furo's search
   box sends its query), with the tags, categories and years as a form, so the page works as a
   plain form too;
4. ``html-collect-pages``, once every document's page is written and the pages of documents that
   are gone are deleted: Pagefind starts indexing the output folder into ``pagefind/``, in its own
   process, while Sphinx writes the archive pages, copies images and static files and writes the
   feeds (none of which Pagefind indexes: they have no ``data-pagefind-body``);
5. ``build-finished``: the build waits for Pagefind and reports what it indexed.

All pages go into one index segmented as Chinese (``force_language``), whatever their
``<html lang>``: Pagefind would otherwise make one index per language and search only the one of
the search page's language. Chinese words are then found inside sentences; English words are
indexed as written (no stemming in that index), so ``static/kb-search.js`` reduces English words
of a query to a stem that Pagefind matches as a prefix (``balancing`` -> ``balanc`` finds
``balance``), and splits Chinese queries written without spaces into words.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..blog import ablog_adapter
from ..blog.domain import PostRecord, store
from ..blog.search_links import PARAMETERS, SEARCH_PAGE, has_search_page, search_url
from ..config import kb_config
from ..warnings_ import KbWarning, info, warn
from . import incremental

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sphinx.application import Sphinx

#: Where the index goes, relative to the output folder.
INDEX_FOLDER = "pagefind"
#: The one language of the index: Pagefind segments Chinese (and Japanese) words only in it.
INDEX_LANGUAGE = "zh"
#: Parts of an article that are not text a reader searches for, or that repeat other pages
#: (listings of posts: each post is found on its own page), or would open every excerpt (the
#: post header: results show its date and category; its names are indexed from ``names``).
EXCLUDED = (".headerlink", ".kb-post-list", ".kb-post-header", "script", "style")
#: A file or folder name that means itself in a glob (letters of any script, digits, ``._-``).
_PLAIN_NAME = re.compile(r"^[\w.\-]+$")
#: The files Pagefind writes for its own ready-made interfaces, which the search page does not use.
UNUSED = ("pagefind-ui.*", "pagefind-component-ui.*", "pagefind-modular-ui.*", "pagefind-highlight.js")


def disable_sphinx_search(app: Sphinx) -> None:
    """``builder-inited``: no ``searchindex.js`` and no Sphinx search page where ours is built."""
    if has_search_page(app):
        app.builder.search = False  # type: ignore[attr-defined]


def page_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """``html-page-context``: what Pagefind indexes of this page and a helper for templates that
    link tags and categories (``kb_search_url``)."""
    context["kb_search_url"] = lambda kind, name: search_url(app, pagename, kind, name)
    if not has_search_page(app):
        return
    record = store(app.env).posts.get(pagename)
    context["kb_search_page"] = app.builder.get_relative_uri(pagename, SEARCH_PAGE)
    if record is not None and record.listed:
        context["kb_search"] = _post_markup(app, record)
    elif record is None and pagename in app.env.all_docs:
        # A page of the source folder (its listings of posts are left out: EXCLUDED).
        context["kb_search"] = {"filters": [], "meta": [("kind", "page")], "sort": None}


def filter_key(name: str) -> str:
    """The value Pagefind files a tag or category under: Pagefind 1.5 never matches a filter value
    holding ``"``, so it is stored as ``＂`` (U+FF02); ``filterKey`` in ``kb-search.js`` maps the
    names the page asks for in the same way."""
    return name.replace('"', "\uff02")


def _post_markup(app: Sphinx, record: PostRecord) -> dict[str, Any]:
    """The filters, sort key and result fields of a listed post."""
    assert record.date is not None, "listed posts are dated"
    filters = [("tag", filter_key(name)) for name in record.tags]
    filters += [("category", filter_key(name)) for name in record.categories]
    filters.append(("year", str(record.date.year)))
    meta = [("title", record.title), ("kind", "post"), ("date", record.date.strftime(kb_config(app).date_format))]
    if record.categories:
        meta.append(("category", record.categories[0]))
    # Text order is date order: UTC, to the second.
    sort = record.date.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    # Indexed with the body, hidden: the description (not always shown on the page), and the
    # categories, tags and authors of the post header, which is left out of the index (EXCLUDED).
    names = [*record.categories, *record.tags, *(author.name for author in record.meta.authors)]
    return {"filters": filters, "meta": meta, "sort": sort, "description": record.meta.description, "names": names}


def collect_pages(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    """``html-collect-pages``: the search page, with the filters it offers."""
    if not has_search_page(app):
        return
    if SEARCH_PAGE in app.env.all_docs:
        warn(
            KbWarning.SEARCH,
            "the page %r is replaced by the search page; rename it",
            SEARCH_PAGE,
            location=(SEARCH_PAGE, 1),
        )
    context = {
        "title": "Search",
        "kb_filters": _filter_choices(app),
        "kb_archive": ablog_adapter.archive(app, "all").docname,
    }
    template = "kb/search.html"
    if not incremental.page_unchanged(app, SEARCH_PAGE, template, context):
        yield SEARCH_PAGE, context, template


def _filter_choices(app: Sphinx) -> list[dict[str, Any]]:
    """Every category, tag and year with its number of posts, in the order of the archives."""
    labels = {"categories": "Category", "tags": "Tags", "years": "Year"}
    return [
        {
            "name": PARAMETERS[kind],
            "label": label,
            "values": [(archive.name, len(archive.docnames)) for archive in ablog_adapter.archives(app, kind)],
        }
        for kind, label in labels.items()
    ]


def start_index(app: Sphinx) -> list[tuple[str, dict[str, Any], str]]:
    """``html-collect-pages`` (no page of its own): every document's page is written; delete the
    pages of documents that are gone and start Pagefind, unless no page it indexes changed."""
    if has_search_page(app) and incremental.delete_gone_documents(app):
        _start_index(app)
    return []


def build_index(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: wait for Pagefind (start it first if it could not start earlier: the
    last build's record did not say which pages were documents)."""
    if not has_search_page(app):
        return
    cache = store(app.env).write_cache
    if exception is None and "pagefind" not in cache:
        _start_index(app)
    run: _Indexing | None = cache.pop("pagefind", None)
    if run is None:
        return
    if exception is not None:
        # The build failed: the next one indexes again (its index is missing).
        run.stop()
        return
    try:
        pages = run.wait()
    except (OSError, RuntimeError, subprocess.SubprocessError) as error:
        warn(KbWarning.SEARCH, "the search index could not be built: %s", error, location=_conf_py(app))
        return
    for pattern in UNUSED:
        for path in run.target.glob(pattern):
            path.unlink()
    info("search index: %d pages in %s", pages, INDEX_FOLDER)


def _start_index(app: Sphinx) -> None:
    """Start Pagefind if its index is outdated; the run (or ``None``) goes to the write cache."""
    cache = store(app.env).write_cache
    cache["pagefind"] = None
    target = Path(app.outdir, INDEX_FOLDER)
    if not _index_outdated(app, target):
        return
    # Chunk names change with their content: old ones would pile up.
    shutil.rmtree(target, ignore_errors=True)
    try:
        cache["pagefind"] = _Indexing.start(app, target)
    except OSError as error:
        warn(KbWarning.SEARCH, "the search index could not be built: %s", error, location=_conf_py(app))


def _index_outdated(app: Sphinx, target: Path) -> bool:
    """Whether Pagefind must run: its index is missing, this build deleted a page, or a page it
    indexes (a document: archive pages, the search page and redirects are not indexed) is newer
    than the index. Files are compared by time, as Sphinx compares sources and pages, so a page
    written by a build that failed before indexing is indexed by the next one."""
    if not incremental.tracked(app):
        return True
    try:
        indexed = (target / "pagefind.js").stat().st_mtime_ns
    except OSError:
        return True
    if incremental.outputs(app).deleted_pages:
        return True
    for docname in app.env.found_docs:
        try:
            if Path(incremental.page_file(app, docname)).stat().st_mtime_ns > indexed:
                return True
        except OSError:
            return True
    return False


def document_glob(app: Sphinx) -> list[str]:
    """Pagefind's ``--glob`` option naming the files it reads: the folders and root files that
    hold the documents' pages; none (every page) where a name would need quoting in a glob.

    Only documents' pages are indexed (``data-pagefind-body``); left out are the folders of
    archive pages, ``_static`` and ``_images`` where no document lives, which Pagefind would
    otherwise read through (on 500 posts, the archive pages are a quarter of the HTML).
    """
    outdir = Path(app.outdir)
    parts = set()
    for docname in app.env.found_docs:
        page = Path(incremental.page_file(app, docname)).relative_to(outdir)
        if not _PLAIN_NAME.match(page.parts[0]):
            return []
        parts.add(page.as_posix() if len(page.parts) == 1 else f"{page.parts[0]}/**/*.html")
    return ["--glob", "{" + ",".join(sorted(parts)) + "}"] if parts else []


@dataclass
class _Indexing:
    """Pagefind's binary indexing the output folder into *target*, in its own process.

    The binary, not the Python API (``pagefind.index``): the API's service can stop before it has
    finished writing the files (an empty ``pagefind.js`` was seen on 500 pages), the command
    exits only once they are written.
    """

    process: subprocess.Popen[str]
    target: Path

    @classmethod
    def start(cls, app: Sphinx, target: Path) -> _Indexing:
        """Start Pagefind over the output folder of *app*."""
        from pagefind.service import get_executable

        binary = get_executable()
        if binary is None:
            raise FileNotFoundError("Pagefind's binary is not installed (pip install 'pagefind[extended]')")
        if "extended" not in binary.name:
            warn(
                KbWarning.SEARCH,
                "%s is not Pagefind's extended build, which alone splits Chinese words; install 'pagefind[extended]'",
                binary,
                location=_conf_py(app),
            )
        command = [
            str(binary),
            "--site",
            str(app.outdir),
            "--output-subdir",
            INDEX_FOLDER,
            "--force-language",
            INDEX_LANGUAGE,
            *document_glob(app),
            *(f"--exclude-selectors={selector}" for selector in EXCLUDED),
        ]
        # What Pagefind prints is a few lines: the pipes are read once it has exited.
        process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            encoding="utf-8",
            errors="replace",
        )
        return cls(process, target)

    def wait(self) -> int:
        """Wait until Pagefind has written the index; return the number of pages it indexed."""
        out, err = self.process.communicate()
        if self.process.returncode != 0 or not (self.target / "pagefind.js").is_file():
            raise RuntimeError(f"Pagefind exited with {self.process.returncode}: {(err or out).strip()[-500:]}")
        counted = re.search(r"Indexed (\d+) pages?", out)
        return int(counted[1]) if counted else 0

    def stop(self) -> None:
        """Stop Pagefind and remove what it wrote: a later build finds the index missing."""
        self.process.kill()
        self.process.communicate()
        shutil.rmtree(self.target, ignore_errors=True)


def _conf_py(app: Sphinx) -> str | None:
    return f"{Path(app.confdir, 'conf.py')}:" if app.confdir else None


def setup(app: Sphinx) -> None:
    """Register the search page, the page markup and the indexer."""
    app.connect("builder-inited", disable_sphinx_search)
    app.connect("html-page-context", page_context)
    app.connect("html-collect-pages", collect_pages)
    # After the other handlers of the event, whose pages Pagefind does not index anyway.
    app.connect("html-collect-pages", start_index, priority=900)
    # After the other files beside the pages (feeds, redirects) are written and the record of
    # this build is made (output/incremental.py, 800): they overlap Pagefind's work.
    app.connect("build-finished", build_index, priority=900)

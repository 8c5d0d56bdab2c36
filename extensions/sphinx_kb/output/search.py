"""The search page and its index: Pagefind, run over the built pages.

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
   category shown in results (``templates/page.html`` writes them, between two markers);
3. ``html-collect-pages``: the page ``search`` (``templates/kb/search.html``, where furo's search
   box sends its query), with the tags, categories and years as a form, so the page works as a
   plain form too;
4. ``html-collect-pages``, once every document's page is written: the *search sources* are
   brought up to date (``update_sources``: for each indexed page, the part between the markers,
   kept beside the environment), and if one changed, Pagefind starts indexing them into
   ``pagefind/`` of the output, in its own process, while Sphinx writes the archive pages, copies
   images and static files and writes the feeds. It indexes over the last index, where it writes
   only the chunks and fragments that are new;
5. ``build-finished``: the build waits for Pagefind, deletes what the new index no longer uses
   and reports what it indexed.

Pagefind has no incremental mode: it reads every page again each time it runs. What makes an
edit cheap is what it does not do. It reads the sources, a third of the pages' bytes, and not the
archive pages, ``_static`` or ``_images``; it compresses and writes only the fragments and chunks
whose content changed; and it does not run at all when no source changed (a page written again
with the same text: a new stylesheet, a changed list of related posts).

All pages go into one index segmented as Chinese (``force_language``), whatever their
``<html lang>``: Pagefind would otherwise make one index per language and search only the one of
the search page's language. Chinese words are then found inside sentences; English words are
indexed as written (no stemming in that index), so ``static/kb-search.js`` reduces English words
of a query to a stem that Pagefind matches as a prefix (``balancing`` -> ``balanc`` finds
``balance``), and splits Chinese queries written without spaces into words.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gzip
import json
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
#: (listings of posts, and the "Referenced by" and related posts lists: each post is found on
#: its own page, not on every page that links to it), or would open every excerpt (the post
#: header: results show its date and category; its names are indexed from ``names``).
EXCLUDED = (".headerlink", ".kb-post-list", ".kb-post-links", ".kb-post-header", "script", "style")
#: Where the search sources are kept, in the folder of Sphinx's doctrees (``update_sources``).
SOURCES_FOLDER = "kb-search"
#: What ``templates/page.html`` writes around the part of a page that Pagefind reads.
REGION_START = "<!-- kb-search -->"
REGION_END = "<!-- /kb-search -->"
_TITLE = re.compile(r"<title>.*?</title>", re.DOTALL)
#: The folders of Pagefind's chunks and fragments, and their files' suffix.
_CHUNKS = (("fragment", ".pf_fragment"), ("index", ".pf_index"), ("filter", ".pf_filter"))
#: In the sources folder while an index is to be made: the next build makes it if this one did not.
_PENDING = "pending"
#: In the sources folder: which Pagefind, with which options, made the index.
_MADE_BY = "made-by.json"
#: Pagefind's options, but the folders.
_OPTIONS = ("--force-language", INDEX_LANGUAGE, *(f"--exclude-selectors={selector}" for selector in EXCLUDED))
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
    context["kb_search_page"] = app.builder.get_relative_uri(pagename, SEARCH_PAGE)
    if not _indexed(app, pagename):
        return
    record = store(app.env).posts.get(pagename)
    # A page of the source folder (its listings of posts are left out: EXCLUDED).
    context["kb_search"] = (
        _post_markup(app, record) if record else {"filters": [], "meta": [("kind", "page")], "sort": None}
    )


def _indexed(app: Sphinx, docname: str) -> bool:
    """Whether the page of *docname* is indexed: a listed post or a page of the source folder."""
    record = store(app.env).posts.get(docname)
    return record.listed if record is not None else docname in app.env.all_docs


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
    """``html-collect-pages`` (no page of its own): every document's page is written; bring the
    search sources up to date and start Pagefind, unless none changed."""
    if has_search_page(app):
        _start_index(app)
    return []


def build_index(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: wait for Pagefind."""
    if not has_search_page(app):
        return
    run: _Indexing | None = store(app.env).write_cache.pop("pagefind", None)
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
        # What Pagefind wrote over the last index may not fit it: the next build makes a new one.
        shutil.rmtree(run.target, ignore_errors=True)
        return
    for pattern in UNUSED:
        for path in run.target.glob(pattern):
            path.unlink()
    # If the index cannot be read, files stay unused until the next index is tidied.
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
        _remove_unreferenced(run.target)
    # Only now: a build stopped before this point leaves the mark, and the next one indexes.
    (run.sources / _PENDING).unlink(missing_ok=True)
    info("search index: %d pages in %s", pages, INDEX_FOLDER)


def _start_index(app: Sphinx) -> None:
    """Start Pagefind if the index is outdated; the run goes to the write cache."""
    sources = sources_folder(app)
    target = Path(app.outdir, INDEX_FOLDER)
    try:
        binary = _pagefind(app)
        changed = update_sources(app, sources)
        # Which Pagefind, with which options, made the index: if either changes, nothing of the
        # last index is of use (and the sources, which hold the pages' text, may not change).
        installed = binary.stat()
        made_by = json.dumps([str(binary), installed.st_size, installed.st_mtime_ns, *_OPTIONS])
        stamp = sources / _MADE_BY
        if not stamp.is_file() or stamp.read_text(encoding="utf-8") != made_by:
            shutil.rmtree(target, ignore_errors=True)
            changed = True
        if not changed and (target / "pagefind.js").is_file():
            return
        sources.mkdir(parents=True, exist_ok=True)
        # Removed once the index is written: a build that stops before makes the next one index.
        (sources / _PENDING).touch()
        stamp.write_text(made_by, encoding="utf-8")
        # Over the last index: Pagefind writes only the chunks and fragments that are new.
        store(app.env).write_cache["pagefind"] = _Indexing.start(binary, sources, target)
    except OSError as error:
        warn(KbWarning.SEARCH, "the search index could not be built: %s", error, location=_conf_py(app))


def _pagefind(app: Sphinx) -> Path:
    """Pagefind's binary, from the ``pagefind[extended]`` package."""
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
    return Path(binary)


def _remove_unreferenced(target: Path) -> None:
    """Delete the files of earlier indexes that the index in *target* does not use.

    Pagefind names chunks and fragments after their content and does not write (nor compress)
    one whose file exists, so an index made over the last one writes only what changed: on 500
    posts, an edit's indexing takes about half the time. Each name it uses is in the metadata
    file that ``pagefind-entry.json`` names; a file whose name is not there is left from an
    earlier index.
    """
    entry = json.loads((target / "pagefind-entry.json").read_text(encoding="utf-8"))
    metadata = {f"pagefind.{language['hash']}.pf_meta" for language in entry["languages"].values()}
    # The names are text in the metadata's CBOR, after gzip: a name that is there is in use.
    used = b"".join(gzip.decompress((target / name).read_bytes()) for name in metadata)
    for path in target.glob("pagefind.*.pf_meta"):
        if path.name not in metadata:
            path.unlink()
    for folder, suffix in _CHUNKS:
        for path in (target / folder).glob(f"*{suffix}"):
            if path.stem.encode() not in used:
                path.unlink()


def sources_folder(app: Sphinx) -> Path:
    """Where the search sources of the pages of this builder and output folder are kept (beside
    the environment, which builds into several output folders may share)."""
    output = incremental.fingerprint(str(Path(app.outdir).resolve()))[:12]
    return Path(app.doctreedir, SOURCES_FOLDER, f"{app.builder.name}-{output}")


def update_sources(app: Sphinx, folder: Path) -> bool:
    """Bring the search sources in *folder* up to date with the pages; return whether the index
    must be made again (a source changed or went, or the last indexing did not finish).

    A page's source is the part Pagefind reads (between the markers ``templates/page.html``
    writes), at the page's path: Pagefind then reads a third of the bytes, and only the pages it
    indexes (on 500 posts, about a quarter less time). A page newer than its source is read
    again, and its source written only if that part changed, so a page written again with the
    same text (its related posts changed) does not make Pagefind run.
    """
    changed = (folder / _PENDING).is_file()
    outputs = incremental.outputs(app)
    wanted = set()
    for docname in app.env.all_docs:
        if not _indexed(app, docname):
            continue
        page = incremental.page_file(app, docname)
        relative = outputs.relative(page)
        wanted.add(relative)
        changed |= _update_source(Path(page), folder / relative)
    for path in folder.rglob("*.html") if folder.is_dir() else ():
        if path.relative_to(folder).as_posix() not in wanted:
            path.unlink()
            changed = True
    return changed


def _update_source(page: Path, source: Path) -> bool:
    """Make *source* from *page* if the page is newer; return whether its text changed."""
    try:
        if source.stat().st_mtime_ns >= page.stat().st_mtime_ns:
            return False
    except FileNotFoundError:
        pass
    try:
        text = source_text(page.read_text(encoding="utf-8"))
    except OSError:
        return False
    if source.is_file() and source.read_text(encoding="utf-8") == text:
        # Newer than the page from now on: not read again until the page changes.
        source.touch()
        return False
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_text(text, encoding="utf-8")
    return True


def source_text(page: str) -> str:
    """What Pagefind reads of *page*: its title and the part between the markers (the indexed
    body, the filters and the result fields), in a page of its own; the whole page if it has no
    markers (a template of the site's own). The first opening marker and the last closing one are
    the template's: whatever an author's text holds lies between them."""
    start = page.find(REGION_START)
    end = page.rfind(REGION_END)
    if start < 0 or end < start:
        return page
    title = _TITLE.search(page, 0, start)
    # Not a page for search engines, should the doctree folder be published (it is inside the
    # output folder by default).
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="robots" content="noindex">'
        f"{title[0] if title else ''}</head><body>{page[start : end + len(REGION_END)]}</body></html>\n"
    )


@dataclass
class _Indexing:
    """Pagefind's binary indexing the search sources into *target*, in its own process.

    The binary, not the Python API (``pagefind.index``): the API's service can stop before it has
    finished writing the files (an empty ``pagefind.js`` was seen on 500 pages), the command
    exits only once they are written.
    """

    process: subprocess.Popen[str]
    sources: Path
    target: Path

    @classmethod
    def start(cls, binary: Path, sources: Path, target: Path) -> _Indexing:
        """Start Pagefind's *binary* over the search sources in *sources*, writing the index to
        *target*."""
        command = [str(binary), "--site", str(sources), "--output-path", str(target), *_OPTIONS]
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
        return cls(process, sources, target)

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

"""What an incremental build writes and deletes.

Sphinx writes again only the documents whose sources changed (and those the extension's
``env-updated`` handlers name). The files sphinx-kb generates beside them are handled here:

- **Generated pages** (ablog's archive pages, the search page) are rendered only when their
  *fingerprint* changed: a hash of everything the page shows, made of :func:`site_state` (the
  configuration, templates, stylesheets and scripts, the navigation tree, the sidebar's
  categories) and what the caller adds (the posts the page lists, with all they show of each).
  An unchanged page whose file exists is not rendered.
- **Files** (feeds, redirects, the previews' data) are written through :meth:`Outputs.write`,
  which leaves a file whose bytes would not change untouched (its time too); a feed also has a
  fingerprint, so an unchanged feed is not even generated.
- **Deletion**: every build records the files it published (:meth:`Outputs.finish`). A file the
  last build published that this one does not (the page and ``_sources`` copy of a deleted post,
  its images and downloads, the archive page and feed of a tag that lost its last post, the
  redirect of a removed alias) is deleted, with the folders it leaves empty. Only files of that
  record are ever deleted, never one written during this build, and a redirect only if it still
  carries the redirect marker: a file the build never wrote is never touched. It happens at
  ``build-finished``, once every file of the build is written.

The record (fingerprints and files) is a small JSON file beside the environment, one entry per
builder and output folder. It is not part of the store (:mod:`..blog.domain`): Sphinx pickles
the environment before it writes, and not at all when no source changed, so what the writing
phase learns would be lost. It is written once the build succeeded; after a failed build the next
one compares with the last successful one, so it writes again whatever may be stale.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sphinx
from sphinx.builders.html import StandaloneHTMLBuilder

from .. import __version__
from ..blog.domain import store

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

#: The record of what builds published, in the doctree folder.
RECORD_FILE = "sphinx-kb-outputs.json"
#: Bump when the fingerprints are made differently: every generated page is then written again.
_RECORD_VERSION = 1


def fingerprint(*parts: object) -> str:
    """A hash of *parts* (their ``repr``: tuples, strings, numbers, dates, dataclasses)."""
    return hashlib.sha256(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()


def _plain(value: object) -> object:
    """*value* reduced to data whose ``repr`` is the same in every build (no object addresses)."""
    if isinstance(value, str | int | float | bool | type(None) | Path):
        return value
    if isinstance(value, dict):
        return sorted(((str(key), _plain(item)) for key, item in value.items()), key=repr)
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, set | frozenset):
        return sorted((_plain(item) for item in value), key=repr)
    return type(value).__qualname__


def _navigation(env: BuildEnvironment) -> list[object]:
    """What the navigation tree of every page shows: the documents the root's toctree reaches,
    with their titles, tables of contents (holding the toctrees and their options) and numbers."""
    seen: list[str] = []
    todo = [env.config.root_doc]
    while todo:
        docname = todo.pop(0)
        if docname in seen or docname not in env.all_docs:
            continue
        seen.append(docname)
        todo.extend(env.toctree_includes.get(docname, []))
    return [
        (
            docname,
            str(env.titles.get(docname, "")),
            str(env.tocs.get(docname, "")),
            _plain(env.toc_secnumbers.get(docname, {})),
        )
        for docname in seen
    ]


def _assets(app: Sphinx) -> list[object]:
    """The stylesheets and scripts of every page, with the content of those the site serves
    (pages name them with a checksum)."""
    builder = app.builder
    static = Path(app.outdir, "_static")
    assets: list[object] = []
    for asset in [*getattr(builder, "_css_files", []), *getattr(builder, "_js_files", [])]:
        filename = str(asset.filename)
        content = ""
        path = static / filename
        if filename and "://" not in filename and path.is_file():
            content = hashlib.sha256(path.read_bytes()).hexdigest()
        assets.append((filename, _plain(getattr(asset, "_attributes", {})), content))
    return assets


def config_state(app: Sphinx) -> str:
    """The fingerprint of the versions, the builder and the whole configuration (what a feed
    shows besides its posts). Computed once per build."""
    cache = store(app.env).write_cache
    if "config_state" not in cache:
        build_info = getattr(app.builder, "build_info", None)
        cache["config_state"] = fingerprint(
            __version__,
            sphinx.__display_version__,
            app.builder.name,
            getattr(build_info, "config_hash", ""),
            getattr(build_info, "tags_hash", ""),
            sorted((item.name, repr(_plain(item.value))) for item in app.config),
        )
    return cache["config_state"]


def site_state(app: Sphinx) -> str:
    """The fingerprint of what every generated page shows besides its own content: the
    configuration (:func:`config_state`), the templates' times, the stylesheets and scripts, the
    navigation tree and the categories of the sidebar. Computed once per build."""
    cache = store(app.env).write_cache
    if "site_state" not in cache:
        from ..blog import ablog_adapter

        templates = getattr(app.builder, "templates", None)
        newest = templates.newest_template_mtime() if templates is not None else 0
        cache["site_state"] = fingerprint(
            config_state(app),
            newest,
            _assets(app),
            _navigation(app.env),
            [(archive.name, archive.docname) for archive in ablog_adapter.archives(app, "categories")],
        )
    return cache["site_state"]


class Outputs:
    """What this build publishes beside Sphinx's documents, and the record of the last build."""

    def __init__(self, app: Sphinx) -> None:
        self.app = app
        self.outdir = Path(app.outdir)
        #: The output folder as the file system names it (asked once: every published file is
        #: made relative to it).
        self._root = self.outdir.resolve()
        self._prefix = str(self._root) + os.sep
        self.started = time.time()
        self._path = Path(app.doctreedir, RECORD_FILE)
        self._key = f"{app.builder.name}:{self.outdir.resolve()}"
        last = self._load().get(self._key, {})
        #: The last build's fingerprints (page or file -> hash) and published files.
        self.last_fingerprints: dict[str, str] = last.get("fingerprints", {})
        self.last_files: set[str] = set(last.get("files", []))
        self.last_markers: dict[str, str] = last.get("markers", {})
        self.fingerprints: dict[str, str] = {}
        self.files: set[str] = set()
        #: Files of this build that a later build may delete only if they still carry this marker.
        self.markers: dict[str, str] = {}

    def _load(self) -> dict[str, Any]:
        try:
            data = json.loads(self._path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) and data.get("version") == _RECORD_VERSION else {}

    def relative(self, path: str | Path) -> str:
        """*path* (absolute, or relative to the output folder) relative to the output folder."""
        full = os.path.normpath(os.path.join(self.outdir, path))
        # Text first: thousands of files a build, and Path objects cost.
        if full.startswith(self._prefix):
            return full[len(self._prefix) :].replace(os.sep, "/")
        return Path(full).relative_to(self._root).as_posix()

    def unchanged(self, name: str, target: str | Path, print_: str) -> bool:
        """Record that *target* (a file of the output) is published with the fingerprint *print_*
        under *name*; whether it need not be made again (same fingerprint as last time, and the file
        is there)."""
        relative = self.relative(target)
        self.files.add(relative)
        self.fingerprints[name] = print_
        return self.last_fingerprints.get(name) == print_ and Path(self.outdir, relative).is_file()

    def write(self, target: str | Path, content: bytes, marker: str | None = None) -> bool:
        """Publish *content* at *target*; write it only if the file's bytes differ. Returns whether
        it was written. *marker*: the file may later be deleted only if it still holds it."""
        relative = self.relative(target)
        self.files.add(relative)
        if marker is not None:
            self.markers[relative] = marker
        path = Path(self.outdir, relative)
        with contextlib.suppress(OSError):
            if path.read_bytes() == content:
                return False
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        return True

    def publish_documents(self, paths: Iterable[str | Path]) -> None:
        """Record the files that Sphinx writes for the documents (pages, source copies, images,
        downloads) as published by this build."""
        self.files |= {self.relative(path) for path in paths}

    def finish(self) -> None:
        """Delete what the last build published and this one does not; record this build."""
        self._delete(self.last_files - self.files)
        record = self._load()
        record["version"] = _RECORD_VERSION
        record[self._key] = {
            "fingerprints": self.fingerprints,
            "files": sorted(self.files),
            "markers": self.markers,
        }
        text = json.dumps(record, ensure_ascii=False, sort_keys=True, indent=0)
        with contextlib.suppress(OSError):
            if self._path.read_text(encoding="utf-8") == text:
                return
        self._path.parent.mkdir(parents=True, exist_ok=True)
        self._path.write_text(text, encoding="utf-8")

    def _delete(self, relatives: set[str]) -> None:
        """Delete the files of *relatives* that may be deleted, with the folders they leave empty."""
        for relative in sorted(relatives):
            path = Path(self.outdir, relative)
            if self._deletable(path, relative):
                path.unlink()
                self._remove_empty_folders(path.parent)

    def _deletable(self, path: Path, relative: str) -> bool:
        """A file of the last build's record may go unless it is gone, was written during this
        build (by anything), or has lost the marker it carried (a redirect page replaced by
        someone else's file)."""
        try:
            if not path.is_file() or path.stat().st_mtime > self.started:
                return False
            marker = self.last_markers.get(relative)
            if marker is not None:
                with path.open("rb") as file:
                    return marker.encode() in file.read(4096)
        except OSError:
            return False
        return True

    def _remove_empty_folders(self, folder: Path) -> None:
        root = self.outdir.resolve()
        folder = folder.resolve()
        while folder != root and folder.is_relative_to(root):
            try:
                folder.rmdir()
            except OSError:
                return
            folder = folder.parent


def outputs(app: Sphinx) -> Outputs:
    """The :class:`Outputs` of this build (made after reading, kept with the write caches)."""
    cache = store(app.env).write_cache
    if "outputs" not in cache:
        cache["outputs"] = Outputs(app)
    return cache["outputs"]


def page_file(app: Sphinx, pagename: str) -> str:
    """The file of the page *pagename* in the output of an HTML builder (asked for every page
    several times a build: kept in the write cache)."""
    files: dict[str, str] = store(app.env).write_cache.setdefault("page_files", {})
    if pagename not in files:
        builder = app.builder
        assert isinstance(builder, StandaloneHTMLBuilder), "only HTML builders are tracked"
        files[pagename] = str(builder.get_outfilename(pagename))
    return files[pagename]


def tracked(app: Sphinx) -> bool:
    """Whether this build's outputs are recorded: the builders writing a site of pages."""
    return isinstance(app.builder, StandaloneHTMLBuilder) and app.builder.name in ("html", "dirhtml")


def page_unchanged(app: Sphinx, pagename: str, template: str, shows: object) -> bool:
    """Whether the generated page *pagename* need not be rendered: this builder is tracked, and
    the page would show what it showed at the last build (*shows* with the template and
    :func:`site_state`) and its file is there. Records the page as published either way."""
    if not tracked(app):
        return False
    print_ = fingerprint(site_state(app), pagename, template, shows)
    return outputs(app).unchanged(pagename, page_file(app, pagename), print_)


def _documents(app: Sphinx) -> set[str]:
    """The files Sphinx publishes for the documents: pages, copies of their sources, images and
    downloads (those of every document, written in this build or an earlier one)."""
    env = app.env
    files: set[str] = set()
    for docname in env.found_docs:
        files.add(page_file(app, docname))
        if app.config.html_copy_source:
            suffix = str(env.doc2path(docname, False))[len(docname) :]
            name = docname + suffix
            if suffix != app.config.html_sourcelink_suffix:
                name += app.config.html_sourcelink_suffix
            files.add(str(Path(app.outdir, "_sources", name)))
    files.update(str(Path(app.outdir, "_images", name)) for _docs, name in env.images.values())
    files.update(str(Path(app.outdir, "_downloads", name)) for _docs, name in env.dlfiles.values())
    return files


def start(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-updated`` (after the write caches are emptied): start this build's record."""
    if tracked(app):
        outputs(app)


def finish(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``, after the files beside the pages are written: delete what is no longer
    published, and record this build."""
    if exception is not None or not tracked(app):
        return
    done = outputs(app)
    done.publish_documents(_documents(app))
    done.finish()


def setup(app: Sphinx) -> None:
    """Record the outputs of each build; delete those no longer published."""
    # After posts.unify (400), which empties the write caches.
    app.connect("env-updated", start, priority=700)
    # After the feeds (500), the previews (500) and the redirects (600); the search index
    # (output/search.py) is waited for at 900.
    app.connect("build-finished", finish, priority=800)

"""Discover content bundles and name each one's document by its slug.

A bundle is a folder ``<posts>/<slug>/`` holding one article file (``article.md``,
``article.mdx`` or Hugo's ``index.md``) and whatever the article uses: images, data, chapters.
Sphinx's :class:`~sphinx.project.Project` keeps the map between source files and document names;
:class:`BundleProject` extends its discovery so that

- the article is the document ``<posts>/<slug>`` (published at ``/<posts>/<slug>/`` by the
  ``dirhtml`` builder), and relative paths in it still resolve from the bundle folder;
- every other source file inside a bundle (``chapters/*.md``) is not a page of its own;
- drafts and posts dated in the future are left out unless drafts are shown.

Discovery is also where bad files are refused, each with one warning at the file, so that the
rest of the site still builds:

- a page or article that is not valid in ``source_encoding`` (UTF-8), which Sphinx would
  otherwise fail the whole build on (``kb.encoding``);
- a page or article that is a link to a file outside the source folder, or inside a folder that
  is (``kb.path``; see :mod:`.paths`);
- a bundle whose folder name cannot be part of an address: ``#``, ``?``, ``%``, ``\\`` or a
  control character (``kb.bundle``; see :mod:`.paths`). Rename the folder.

What was read of each file is cached by modification time and size, in the store.

Sphinx creates its project before any extension can choose the class, so :func:`install` swaps
ours in at ``builder-inited``, before the builder first looks for documents.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import stat
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from sphinx.project import EXCLUDE_PATHS, Project
from sphinx.util.matching import get_matching_files

from ..warnings_ import KbWarning, info, warn
from . import frontmatter
from .paths import is_inside, unsafe_slug_characters

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sphinx.application import Sphinx


@dataclass(frozen=True)
class Layout:
    """Where bundles live and what an article file is called; plain data, so it pickles."""

    #: Folder holding the bundles, relative to the source directory, with ``/`` separators.
    posts_dir: str
    #: File names (without suffix) of an article, most preferred first.
    article_names: tuple[str, ...]
    #: Build drafts and future posts as pages too (they are never listed).
    show_drafts: bool
    #: Time zone of dates written without an offset.
    timezone: dt.tzinfo
    #: The moment of this build: posts dated later are scheduled, not published.
    now: dt.datetime

    def slug_of(self, path: PurePosixPath) -> tuple[str, bool] | None:
        """Return the bundle slug of a source path and whether the path is its article file.

        ``None`` if the path is not inside a bundle folder.
        """
        try:
            parts = path.relative_to(self.posts_dir).parts
        except ValueError:
            return None
        if len(parts) < 2:
            return None
        is_article = len(parts) == 2 and _stem(parts[1]) in self.article_names
        return parts[0], is_article

    def is_published(self, draft: bool, date: dt.datetime | None) -> bool:
        """Whether a post is public: not a draft, and not dated after this build."""
        return not draft and not (date and date > self.now)

    def docname(self, slug: str) -> str:
        """The document name of the bundle *slug*."""
        return unicodedata.normalize("NFC", f"{self.posts_dir}/{slug}")


@dataclass(frozen=True)
class SourceCheck:
    """What discovery learnt of one source file, valid while its modification time and size hold."""

    mtime_ns: int
    size: int
    #: Why the file cannot be built, as ``(line, message)``; ``None`` if it can.
    problem: tuple[int, str] | None = None
    #: Front matter ``draft`` and ``date``, for articles.
    draft: bool = False
    date: dt.datetime | None = None


class BundleProject(Project):
    """A Sphinx project in which each content bundle is one document named by its slug."""

    def __init__(
        self,
        srcdir: str | os.PathLike[str],
        source_suffix: Iterable[str],
        layout: Layout,
        encoding: str = "utf-8-sig",
    ) -> None:
        super().__init__(srcdir, source_suffix)
        self.layout = layout
        #: The encoding Sphinx reads sources in (``source_encoding``).
        self.encoding = encoding
        #: Document name -> slug, for every bundle built in this run.
        self.bundles: dict[str, str] = {}
        #: Source path -> what was read of it, so unchanged files are not read again;
        #: :func:`install` keeps it in the store, across builds.
        self.source_cache: dict[Path, SourceCheck] = {}

    def discover(self, exclude_paths: Iterable[str] = (), include_paths: Iterable[str] = ("**",)) -> set[str]:
        """Find every document: plain pages by Sphinx's rules, bundles by their slug."""
        self.docnames.clear()
        self._path_to_docname.clear()
        self._docname_to_path.clear()
        articles: dict[str, list[Path]] = defaultdict(list)
        inside: dict[str, list[Path]] = defaultdict(list)
        plain: list[Path] = []
        for filename in get_matching_files(self.srcdir, include_paths, [*exclude_paths, *EXCLUDE_PATHS]):
            path = Path(filename)
            if not filename.endswith(self.source_suffix) or not os.access(self.srcdir / path, os.R_OK):
                continue
            found = self.layout.slug_of(PurePosixPath(path.as_posix()))
            if found is None:
                plain.append(path)
            else:
                slug, is_article = found
                (articles if is_article else inside)[slug].append(path)
        # Files in a folder of the posts directory that has no article are ordinary pages.
        plain += [path for slug, paths in inside.items() if slug not in articles for path in paths]
        for path in plain:
            if self._check(path, article=False) is not None:
                self._add(super().path2doc(path), path)
        self.bundles = {}
        hidden = 0
        for slug, path in self._choose(articles).items():
            unsafe = unsafe_slug_characters(slug)
            if unsafe:
                folder = path.parent.as_posix()
                message = f"the bundle folder {folder!r} has {', '.join(unsafe)} in its name, which cannot be part "
                self._warn(message + "of an address; the bundle is skipped (rename the folder)", path)
                continue
            check = self._check(path, article=True)
            if check is None:
                continue
            if not self.layout.show_drafts and not self.layout.is_published(check.draft, check.date):
                hidden += 1
                continue
            docname = self.layout.docname(slug)
            if docname in self._docname_to_path:
                other = self._docname_to_path[docname]
                self._warn(f"{other} and the bundle {path} are both the page {docname!r}; {other} is skipped", other)
                self._forget(other)
            self._add(docname, path)
            self.bundles[docname] = slug
        if hidden:
            info("%d draft or scheduled post(s) not built (set kb_show_drafts to build them)", hidden)
        return self.docnames

    def path2doc(self, filename: str | os.PathLike[str]) -> str | None:
        """Return the document of a source file, absolute or relative.

        Sphinx looks up only relative paths in its map; MyST asks with absolute ones, and an
        article's document name cannot be derived from its path.
        """
        path = Path(filename)
        if path.is_absolute():
            with contextlib.suppress(ValueError):
                path = path.relative_to(self.srcdir)
        return super().path2doc(path)

    def _add(self, docname: str | None, path: Path) -> None:
        if docname is None:
            return
        if docname in self._docname_to_path:
            kept = self._docname_to_path[docname]
            self._warn(f"{kept} and {path} are both the page {docname!r}; {path} is skipped", path)
            return
        self.docnames.add(docname)
        self._path_to_docname[path] = docname
        self._docname_to_path[docname] = path

    def _choose(self, articles: dict[str, list[Path]]) -> dict[str, Path]:
        """Pick one article per bundle and one bundle per case-insensitive slug, warning of the rest."""
        suffixes = {suffix: rank for rank, suffix in enumerate(self.source_suffix)}

        def preference(path: Path) -> tuple[int, int]:
            name, suffix = os.path.splitext(path.name)
            return self.layout.article_names.index(name), suffixes.get(suffix, len(suffixes))

        chosen: dict[str, Path] = {}
        by_key: dict[str, str] = {}
        for slug in sorted(articles):
            # Sphinx lists files by their NFC name: folders named alike in NFC and NFD come twice.
            paths = sorted(set(articles[slug]), key=preference)
            if len(paths) < len(articles[slug]):
                message = (
                    f"two bundle folders are named {slug!r}, in different Unicode forms (one address for both); "
                    "one is built, the other skipped: rename or remove one"
                )
                self._warn(message, paths[0])
            for extra in paths[1:]:
                self._warn(f"bundle {slug!r} has two articles, {paths[0]} and {extra}; {extra} is skipped", extra)
            key = unicodedata.normalize("NFC", slug).casefold()
            if key in by_key:
                kept = chosen[by_key[key]]
                message = (
                    f"bundles {kept.parent} and {paths[0].parent} differ only in case or Unicode form "
                    f"(one address for both); {paths[0]} is skipped"
                )
                self._warn(message, paths[0])
                continue
            by_key[key] = slug
            chosen[slug] = paths[0]
        return chosen

    def _warn(self, message: str, path: Path, line: int = 1, subtype: KbWarning = KbWarning.BUNDLE) -> None:
        # A location without `:line` would be taken for a document name (and given a suffix).
        warn(subtype, message, location=f"{self.srcdir / path}:{line}")

    def _forget(self, path: Path) -> None:
        docname = self._path_to_docname.pop(path, None)
        if docname is not None:
            self.docnames.discard(docname)
            self._docname_to_path.pop(docname, None)

    def _check(self, path: Path, *, article: bool) -> SourceCheck | None:
        """What discovery knows of the source at *path*; ``None``, with a warning, if it cannot be built."""
        full = self.srcdir / path
        if not is_inside(full, self.srcdir):
            message = f"{path} leads outside the source folder through a symbolic link; it is not built"
            self._warn(message, path, 1, KbWarning.PATH)
            return None
        status = full.stat()
        if not stat.S_ISREG(status.st_mode):
            self._warn(f"{path} is not a regular file; it is not built", path, 1, KbWarning.PATH)
            return None
        check = self.source_cache.get(path)
        if check is None or (check.mtime_ns, check.size) != (status.st_mtime_ns, status.st_size):
            check = self._read(full, status, article=article)
            self.source_cache[path] = check
        if check.problem is not None:
            line, message = check.problem
            self._warn(message, path, line, KbWarning.ENCODING)
            return None
        return check

    def _read(self, full: Path, status: os.stat_result, *, article: bool) -> SourceCheck:
        """Read *full* as Sphinx will, and an article's front matter: a draft or a future date."""
        data = full.read_bytes()
        try:
            text = data.decode(self.encoding)
        except UnicodeDecodeError as err:
            # Sphinx would stop the whole build on this file; say where the first bad byte is.
            line = data.count(b"\n", 0, err.start) + 1
            bad = " ".join(f"0x{byte:02x}" for byte in data[err.start : err.end])
            message = f"the file is not valid {err.encoding.upper()} ({err.reason}: {bad}); it is not built"
            return SourceCheck(status.st_mtime_ns, status.st_size, (line, message))
        if not article:
            return SourceCheck(status.st_mtime_ns, status.st_size)
        front_matter, _problems = frontmatter.read(text, self.layout.timezone)
        return SourceCheck(status.st_mtime_ns, status.st_size, None, front_matter.draft, front_matter.date)


def _stem(name: str) -> str:
    return os.path.splitext(name)[0]


def install(app: Sphinx, layout: Layout, source_cache: dict[Path, SourceCheck]) -> None:
    """Make *app* discover documents with a :class:`BundleProject`, keeping *source_cache* (from
    the store) across builds."""
    project = BundleProject(app.srcdir, app.config.source_suffix, layout, app.config.source_encoding)
    project.restore(app.project)
    project.source_cache = source_cache
    app.project = app.env.project = project

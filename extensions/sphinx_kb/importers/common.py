"""What both importers share: a writer that never overwrites, the report, the site's ``conf.py``.

An import copies files from a Hugo or Astro site (``SRC``) into a sphinx-kb source folder
(``DEST``). Nothing here knows either generator; :mod:`.hugo` and :mod:`.astro` decide what goes
where, this module does the writing and the counting:

- :class:`Writer` writes and copies files but never replaces one: an existing file with the same
  bytes is *already there*, one with other bytes is left as it is, with a warning. So a second
  run changes nothing and says so.
- :class:`Report` counts posts, images, missing images, embeds and bibliographies, collects the
  warnings (each with the file and line it concerns) and prints the summary table.
- :func:`conf_lines` and :func:`conf_py` give the settings the imported content needs: a whole
  ``conf.py`` for an empty ``DEST``, or the lines to add to an existing one.
- :func:`safe_slug` renames a folder name the build would refuse (see :mod:`..content.paths`).
- :func:`image_references` finds the images an article names, so missing ones are reported
  before the first build.
"""

from __future__ import annotations

import ast
import re
import shutil
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TextIO
from urllib.parse import unquote

from ..config import python
from ..content.paths import UNSAFE_IN_SLUG, is_url, unsafe_slug_characters

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

#: Suffixes counted as images.
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif", ".bmp", ".ico"})
#: Suffixes Sphinx reads as pages: never copied into a shared folder, where each would be a page.
SOURCE_SUFFIXES = frozenset({".md", ".mdx", ".rst"})
#: The default folder of the bundles, as in ``kb_posts_dir``.
POSTS_DIR = "posts"

# Image references: Markdown images, <img src>, <Image src="...">, Hugo's figure shortcode, and
# MDX imports of an image file.
_MARKDOWN_IMAGE = re.compile(r"!\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'][^)]*)?\)")
_TAG_SRC = re.compile(r"<(?:img|Image)\b[^>]*?\bsrc\s*=\s*[\"']([^\"']+)[\"']", re.IGNORECASE)
_SHORTCODE_SRC = re.compile(r"\{\{[<%]\s*figure\b[^}]*?\bsrc\s*=\s*[\"']([^\"']+)[\"']")
_IMAGE_IMPORT = re.compile(r"^\s*import\s+[\w$]+\s+from\s+[\"']([^\"']+)[\"']", re.MULTILINE)


@dataclass
class Note:
    """One line of the report: something the author may want to act on, at a file and line."""

    where: str
    message: str


@dataclass
class Count:
    """How many of one kind were written now, and how many were already there."""

    new: int = 0
    there: int = 0


@dataclass
class Report:
    """What an import did, printed as a table at the end (:meth:`table`)."""

    generator: str
    source: Path
    dest: Path
    counts: dict[str, Count] = field(
        default_factory=lambda: {kind: Count() for kind in ("posts", "images", "embeds", "bibliographies", "other")}
    )
    missing_images: list[Note] = field(default_factory=list)
    warnings: list[Note] = field(default_factory=list)
    #: Folder names changed so that the build accepts them: old -> new.
    renamed: dict[str, str] = field(default_factory=dict)

    def warn(self, where: Path | str, message: str, line: int | None = None) -> None:
        """Record a warning about *where* (a file, shown relative to SRC or DEST when inside)."""
        shown = self.show(where)
        self.warnings.append(Note(f"{shown}:{line}" if line else shown, message))

    def show(self, path: Path | str) -> str:
        """*path* as the author knows it: ``SRC/...`` or ``DEST/...`` when inside either."""
        path = Path(path)
        for root, name in ((self.dest, "DEST"), (self.source, "SRC")):
            try:
                return f"{name}/{path.relative_to(root).as_posix()}"
            except ValueError:
                continue
        return str(path)

    def table(self) -> str:
        """The summary: one row per kind, then the notes, each at its file and line."""
        rows = [("", "new", "already there")]
        for kind in ("posts", "images", "embeds", "bibliographies", "other"):
            count = self.counts[kind]
            label = "other files" if kind == "other" else kind
            rows.append((label, str(count.new), str(count.there)))
        rows.append(("missing images", str(len(self.missing_images)), ""))
        rows.append(("warnings", str(len(self.warnings)), ""))
        widths = [max(len(row[column]) for row in rows) for column in range(3)]
        lines = [f"Imported {self.generator} site {self.source} into {self.dest}", ""]
        for label, new, there in rows:
            lines.append(f"  {label.ljust(widths[0])}  {new.rjust(widths[1])}  {there.rjust(widths[2])}".rstrip())
        for title, notes in (("Missing images", self.missing_images), ("Warnings", self.warnings)):
            if notes:
                lines += ["", f"{title}:"] + [f"  {note.where}: {note.message}" for note in notes]
        if self.renamed:
            lines += ["", "Renamed bundle folders (the build refuses their names):"]
            lines += [f"  {old!r} -> {new!r}" for old, new in self.renamed.items()]
        return "\n".join(lines)


class Writer:
    """Writes into DEST, never replacing a file; counts into a :class:`Report`."""

    def __init__(self, report: Report) -> None:
        self.report = report
        #: Files this run created (so later steps know what they may still change).
        self.created: set[Path] = set()

    def write(self, target: Path, data: bytes, kind: str, origin: Path | None = None) -> bool:
        """Write *data* at *target* unless a file is there; return whether it was written.

        The same bytes already there count as *already there*; other bytes are left alone with a
        warning naming *origin* (the file they would have come from).
        """
        count = self.report.counts[kind]
        if target.exists() or target.is_symlink():
            if target.is_file() and target.read_bytes() == data:
                count.there += 1
            else:
                self.report.warn(target, f"exists and differs from {self.report.show(origin or target)}; left as it is")
            return False
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("xb") as stream:  # "x": fails rather than replace a file made meanwhile
            stream.write(data)
        self.created.add(target)
        count.new += 1
        return True

    def copy(self, origin: Path, target: Path, kind: str) -> bool:
        """Copy *origin* to *target* (see :meth:`write`), keeping its modification time."""
        written = self.write(target, origin.read_bytes(), kind, origin)
        if written:
            shutil.copystat(origin, target)
        return written

    def copy_tree(self, origin: Path, target: Path, kind_of: Callable[[Path], str | None]) -> None:
        """Copy every file under *origin* to the same place under *target*; *kind_of* says how
        each counts, or ``None`` to leave it out."""
        for path in sorted(walk_files(origin)):
            kind = kind_of(path)
            if kind is not None:
                self.copy(path, target / path.relative_to(origin), kind)


def walk_files(root: Path) -> Iterator[Path]:
    """The files under *root*, hidden files and folders (``.git``, ``.DS_Store``) left out."""
    for path in sorted(root.rglob("*")):
        if any(part.startswith(".") for part in path.relative_to(root).parts):
            continue
        if path.is_file():
            yield path


def kind_of(path: Path) -> str:
    """How a copied file counts in the report."""
    return "images" if path.suffix.lower() in IMAGE_SUFFIXES else "other"


def safe_slug(name: str, taken: Iterable[str] = ()) -> str:
    """*name* as a bundle folder the build accepts: percent escapes decoded, then each character
    the build refuses (``#``, ``?``, ``%``, ``\\``, control characters) replaced by ``-``.

    A safe name is returned unchanged unless *taken* holds it (compared case-folded and in Unicode
    NFC, as the build compares slugs): then it gets ``-2``, ``-3``...
    """
    cleaned = name
    if unsafe_slug_characters(name) or name.strip() != name or name in {"", ".", ".."}:
        decoded = unquote(name)
        cleaned = "".join(
            "-" if char in UNSAFE_IN_SLUG or unicodedata.category(char) == "Cc" or char == "/" else char
            for char in decoded
        )
        cleaned = re.sub(r"-{2,}", "-", cleaned).strip(" -.") or "post"
    used = {slug_key(slug) for slug in taken}
    candidate, number = cleaned, 2
    while slug_key(candidate) in used:
        candidate, number = f"{cleaned}-{number}", number + 1
    return candidate


def slug_key(slug: str) -> str:
    """The form in which the build finds two slugs alike: case-folded, Unicode NFC."""
    return unicodedata.normalize("NFC", slug).casefold()


def image_references(text: str) -> Iterator[tuple[str, int]]:
    """The image paths an article names, with their lines: Markdown images, ``<img>``/``<Image>``
    ``src``, Hugo's ``figure`` shortcode, MDX imports of image files. URLs are left out."""
    found: list[tuple[int, str]] = []
    for pattern in (_MARKDOWN_IMAGE, _TAG_SRC, _SHORTCODE_SRC):
        found += [(match.start(1), match[1]) for match in pattern.finditer(text)]
    found += [
        (match.start(1), match[1])
        for match in _IMAGE_IMPORT.finditer(text)
        if Path(match[1].split("?", 1)[0]).suffix.lower() in IMAGE_SUFFIXES
    ]
    for offset, reference in sorted(found):
        if not is_url(reference) and not reference.startswith(("#", "{")):
            yield reference, text.count("\n", 0, offset) + 1


def find_reference(reference: str, folder: Path, root: Path) -> Path | None:
    """The file *reference* names, read from *folder* (or *root* for ``/...``), as written or
    percent-decoded (Obsidian writes ``Pasted%20image.png``); ``None`` if there is none."""
    path = reference.split("?", 1)[0].split("#", 1)[0]
    base = root if path.startswith("/") else folder
    for candidate in dict.fromkeys((path, unquote(path))):
        target = base / candidate.lstrip("/")
        if target.is_file():
            return target
    return None


def check_images(article: Path, text: str, root: Path, report: Report) -> None:
    """Record each image *text* (the article at *article*) names that is not a file under *root*."""
    for reference, line in image_references(text):
        if find_reference(reference, article.parent, root) is None:
            report.missing_images.append(Note(f"{report.show(article)}:{line}", reference))


def conf_lines(settings: dict[str, object]) -> list[str]:
    """``name = value`` lines for *settings*, in order; ``None`` values are left out."""
    return [f"{name} = {python(value)}" for name, value in settings.items() if value is not None]


def conf_py(title: str, source: str, settings: dict[str, object], baseurl: str | None) -> str:
    """A complete ``conf.py`` for an imported site: our extension, furo, and *settings*.

    :param baseurl: the old site's address, used as ``html_baseurl`` (feeds and canonical links
        need one); ``None`` writes a placeholder to change.
    """
    header = [
        f'"""Sphinx configuration of {title}, written by `{source}`."""',
        "",
        f"project = {python(title)}",
        'extensions = ["sphinx_kb", "sphinx_design", "sphinx_copybutton"]',
        'html_theme = "furo"',
        "html_title = project",
        "blog_title = project",
        'blog_path = "blog"',
        'exclude_patterns = ["_build"]',
        "# The address the site will be published at; feeds and canonical links need it.",
        f"html_baseurl = {python(baseurl or 'https://example.org/')}" + ("" if baseurl else "  # change this"),
        "",
    ]
    return "\n".join(header + conf_lines(settings)) + "\n"


def index_md(title: str) -> str:
    """The home page of an imported site: its title and the list of posts."""
    return f"# {title}\n\n```{{posts}}\n```\n"


def existing_setting(conf: Path, name: str) -> object | None:
    """The value a ``conf.py`` assigns to *name* as a literal, or ``None`` (never run: parsed)."""
    try:
        tree = ast.parse(conf.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
        return None
    value = None
    for statement in tree.body:
        if isinstance(statement, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == name for target in statement.targets
        ):
            try:
                value = ast.literal_eval(statement.value)
            except ValueError:
                value = None
    return value


def is_empty(folder: Path) -> bool:
    """Whether *folder* does not exist or holds nothing."""
    return not folder.exists() or (folder.is_dir() and not any(folder.iterdir()))


class Progress:
    """A one-line progress bar on stderr, drawn only when stderr is a terminal."""

    def __init__(self, total: int, label: str, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.total = total
        self.label = label
        self.done = 0
        self.shown = self.stream.isatty() and total > 1

    def step(self, name: str = "") -> None:
        self.done += 1
        if self.shown:
            width = 30
            filled = width * self.done // self.total
            bar = "#" * filled + "-" * (width - filled)
            text = f"\r{self.label} [{bar}] {self.done}/{self.total} {name[:30]:<30}"
            self.stream.write(text)
            self.stream.flush()

    def close(self) -> None:
        if self.shown:
            self.stream.write("\r" + " " * 80 + "\r")
            self.stream.flush()


def finish(writer: Writer, settings: dict[str, object], conf_text: str, title: str, *, empty: bool) -> str:
    """Write ``conf.py`` and ``index.md`` into a DEST that was empty; else the lines to add.

    :return: what to print after the table (empty when nothing is left to do).
    """
    report = writer.report
    conf = report.dest / "conf.py"
    if empty:
        writer.write(conf, conf_text.encode(), "other")
        writer.write(report.dest / "index.md", index_md(title).encode(), "other")
        return (
            f"\nWrote {report.show(conf)}: build with  sphinx-build -b dirhtml {report.dest} {report.dest}/_build/html"
        )
    if conf.is_file() and conf.read_text(encoding="utf-8") == conf_text:
        writer.write(conf, conf_text.encode(), "other")  # this importer's own, from an earlier run
        return ""
    # Only the settings the site does not have with these values yet.
    needed = {
        name: value
        for name, value in settings.items()
        if value is not None and existing_setting(conf, name) != _literal(value)
    }
    if not needed:
        return ""
    where = report.show(conf) if conf.is_file() else "conf.py"
    lines = conf_lines(needed)
    return f"\nAdd these lines to {where} (merge them with any value there); no file of the site was changed:\n" + (
        "\n".join(f"    {line}" for line in lines)
    )


def _literal(value: object) -> object:
    """*value* as ``ast.literal_eval`` gives it back from :func:`python`'s text."""
    return [_literal(item) for item in value] if isinstance(value, list | tuple) else value


def posts_dir_of(dest: Path) -> str:
    """The bundles folder of the site at *dest*: its ``kb_posts_dir``, else ``posts``."""
    value = existing_setting(dest / "conf.py", "kb_posts_dir")
    return value.strip("/") if isinstance(value, str) and value.strip("/") else POSTS_DIR


@dataclass
class Bundle:
    """One post of the source site, before it is written."""

    #: The article file in SRC.
    article: Path
    #: The folder copied whole with it (a leaf bundle), or ``None`` for a single-file post.
    folder: Path | None
    #: The bundle folder name it gets in DEST (already safe, see :func:`safe_slug`).
    slug: str


#: Turns the bytes of a Markdown/MDX file of a bundle into the bytes written (the article: ``True``).
Transform = Callable[[Path, bytes, bool], bytes]


def article_name(article: Path) -> str:
    """The name of the article in DEST: ``article.md`` or ``article.mdx`` whatever it was called."""
    return "article.mdx" if article.suffix.lower() == ".mdx" else "article.md"


def write_bundle(bundle: Bundle, posts: Path, writer: Writer, transform: Transform, public: Path | None) -> Path:
    """Write *bundle* as ``posts/<slug>/``: the article as ``article.md|mdx`` and every other file
    of a leaf bundle as it is; images named from the root (``/images/x.png``) are copied from
    *public* (Hugo's ``static/``, Astro's ``public/``) to the same path under DEST.

    :return: the article in DEST.
    """
    target = posts / bundle.slug
    files = [bundle.article] + (
        [path for path in walk_files(bundle.folder) if path != bundle.article] if bundle.folder else []
    )
    written_article = target / article_name(bundle.article)
    for path in files:
        is_article = path == bundle.article
        destination = written_article if is_article else target / path.relative_to(bundle.folder or path.parent)
        if path.suffix.lower() in SOURCE_SUFFIXES | {".markdown"}:
            kind = "posts" if is_article else "other"
            writer.write(destination, transform(path, path.read_bytes(), is_article), kind, path)
        else:
            writer.copy(path, destination, kind_of(path))
    pages = [written_article, *sorted(path for path in walk_files(target) if path.suffix.lower() in SOURCE_SUFFIXES)]
    for page in dict.fromkeys(pages):
        if page.is_file():
            _check_page(page, writer, public)
    return written_article


def _check_page(page: Path, writer: Writer, public: Path | None) -> None:
    """Copy what *page* names from the root out of *public*, then report the images still missing."""
    report = writer.report
    try:
        text = page.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        report.warn(page, "not UTF-8 text; its images were not checked")
        return
    for reference, _line in image_references(text):
        if not reference.startswith("/") or public is None:
            continue
        found = find_reference(reference, public, public)
        if found is not None:
            # Also on a second run, so that it is counted as already there.
            writer.copy(found, report.dest / found.relative_to(public), kind_of(found))
    check_images(page, text, report.dest, report)


def write_bibliography(origin: Path, writer: Writer, taken: list[str]) -> str:
    """Copy a ``.bib`` file to DEST's top folder under its name (or ``name-2.bib`` if another file
    holds that name); return the name for ``bibtex_bibfiles``."""
    data = origin.read_bytes()
    name, number = origin.name, 2
    while name in taken or ((writer.report.dest / name).exists() and (writer.report.dest / name).read_bytes() != data):
        name, number = f"{origin.stem}-{number}{origin.suffix}", number + 1
    writer.write(writer.report.dest / name, data, "bibliographies", origin)
    taken.append(name)
    return name

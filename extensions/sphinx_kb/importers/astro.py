"""Import an Astro site: ``src/content/<slug>/article.mdx`` with its chapters, ``src/assets/``, the ``.bib`` files.

What is read from SRC:

- ``src/content/<slug>/``: a folder holding ``article.mdx|md`` or ``index.mdx|md`` is a bundle,
  copied whole (``chapters/`` included) to ``DEST/posts/<slug>/``, the article written as
  ``article.mdx`` (or ``.md``). ``.mdx`` stays ``.mdx``: sphinx-kb's converter reads it at build
  time. A folder without an article is a collection: each bundle folder in it, and each
  ``.md``/``.mdx`` file (a single-file post, named after its file), is a post;
- ``src/assets/**`` mirrored as ``DEST/assets/**``, so that a path written from the article's
  folder still names the file: ``../../assets/x.png`` from ``src/content/<slug>/`` is
  ``src/assets/x.png``, and from ``DEST/posts/<slug>/`` it is ``DEST/assets/x.png``. Embedded
  pages (``src/assets/embeds/``) land in ``DEST/assets/embeds/``, where ``<HtmlEmbed>`` looks;
- ``public/`` files named from the root (``/images/x.png``), copied to the same path in DEST;
- ``src/content/*.bib``, copied to DEST's top folder and listed in ``bibtex_bibfiles``.

The alias ``@/`` (or ``~/``) for ``src/`` that Astro projects set in ``tsconfig.json`` means
nothing to the build, so ``"@/assets/...`` in a bundle's Markdown and MDX files is written as
``"/assets/...`` (read from the source folder: the same file).

Astro's addresses come from its routes (code), not from configuration: ``kb_old_urls`` is not
set; add the pattern the old site used by hand.
"""

from __future__ import annotations

import re
from pathlib import Path

from .common import (
    SOURCE_SUFFIXES,
    Bundle,
    Progress,
    Report,
    Writer,
    conf_py,
    finish,
    is_empty,
    kind_of,
    posts_dir_of,
    safe_slug,
    slug_key,
    walk_files,
    write_bibliography,
    write_bundle,
)

#: Article file names of an Astro bundle, first found wins.
ARTICLE_NAMES = ("article.mdx", "article.md", "index.mdx", "index.md")
#: ``"@/assets/`` or ``'~/assets/`` in a string: the project's alias for ``src/assets/``.
_ASSET_ALIAS = re.compile(r"(?P<quote>[\"'`])[@~]/assets/")
#: ``site: "https://example.org"`` in an Astro config.
_SITE = re.compile(r"\bsite\s*:\s*[\"'`](?P<url>https?://[^\"'`\s]+)[\"'`]")


def _article_of(folder: Path) -> Path | None:
    return next((folder / name for name in ARTICLE_NAMES if (folder / name).is_file()), None)


def find_posts(content: Path) -> list[tuple[Path, Path | None]]:
    """(article, bundle folder or ``None``) of every post in ``src/content``, in path order."""
    found: list[tuple[Path, Path | None]] = []
    for entry in sorted(content.iterdir()):
        if entry.name.startswith((".", "_")) or not entry.is_dir():
            continue
        article = _article_of(entry)
        if article is not None:
            found.append((article, entry))
            continue
        # A collection: bundles and single-file posts one level down.
        for child in sorted(entry.iterdir()):
            if child.name.startswith((".", "_")):
                continue
            if child.is_dir() and (article := _article_of(child)) is not None:
                found.append((article, child))
            elif child.is_file() and child.suffix.lower() in {".md", ".mdx"}:
                found.append((child, None))
    return found


def rewrite_aliases(text: str) -> str:
    """``"@/assets/x"`` -> ``"/assets/x"``: see the module docstring."""
    return _ASSET_ALIAS.sub(lambda match: f"{match['quote']}/assets/", text)


def astro_site_url(src: Path) -> str | None:
    """The ``site: "https://..."`` of ``astro.config.mjs|ts|js``, read as text (never run)."""
    for name in ("astro.config.mjs", "astro.config.ts", "astro.config.js", "astro.config.mts"):
        path = src / name
        if path.is_file():
            match = _SITE.search(path.read_text(encoding="utf-8", errors="replace"))
            if match:
                return match["url"]
    return None


def run(src: Path, dest: Path, report: Report) -> str:
    """Import the Astro site at *src* into *dest*; return what to print after the table."""
    empty = is_empty(dest)
    content = src / "src" / "content"
    writer = Writer(report)
    posts_found = find_posts(content) if content.is_dir() else []
    if not content.is_dir():
        report.warn(content, "no src/content/ folder: no posts")
    # The shared assets first, so the posts' images are found when they are checked.
    assets = src / "src" / "assets"
    if assets.is_dir():
        for path in walk_files(assets):
            relative = path.relative_to(assets)
            if path.suffix.lower() in SOURCE_SUFFIXES:
                report.warn(path, "a Markdown or MDX file among the assets would be a page; not copied")
                continue
            kind = "embeds" if relative.parts[0] == "embeds" else kind_of(path)
            writer.copy(path, dest / "assets" / relative, kind)
    posts = dest / posts_dir_of(dest)
    public = src / "public"
    taken: list[str] = []

    def transform(path: Path, data: bytes, is_article: bool) -> bytes:
        try:
            return rewrite_aliases(data.decode("utf-8")).encode("utf-8")
        except UnicodeDecodeError:
            return data

    progress = Progress(len(posts_found), "Importing posts")
    for article, folder in posts_found:
        name = folder.name if folder is not None else article.stem
        slug = safe_slug(name, taken)
        taken.append(slug)
        if slug != name and slug_key(slug) != slug_key(name):
            report.renamed[name] = slug
        write_bundle(Bundle(article, folder, slug), posts, writer, transform, public if public.is_dir() else None)
        progress.step(slug)
    progress.close()
    bibfiles: list[str] = []
    for bib in sorted(content.glob("*.bib")) if content.is_dir() else []:
        write_bibliography(bib, writer, bibfiles)
    settings: dict[str, object] = {"bibtex_bibfiles": bibfiles or None}
    title = src.resolve().name
    baseurl = astro_site_url(src)
    if empty and baseurl is None:
        report.warn(dest / "conf.py", "no `site` in astro.config: change html_baseurl to the site's address")
    text = conf_py(title, f"python -m sphinx_kb import astro {src.name} {dest.name}", settings, baseurl)
    return finish(writer, settings, text, title, empty=empty)

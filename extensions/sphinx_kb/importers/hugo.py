"""Import a Hugo site: ``content/post/**`` as bundles, ``static/`` images, the old addresses.

What is read from SRC:

- the site config: ``hugo.toml|yaml|json`` or ``config.toml|yaml|json`` at the top, else in
  ``config/_default/`` (with its ``permalinks.*`` file); keys in any case (``baseURL``,
  ``baseurl``). Used: ``title``, ``baseURL``, ``permalinks``, ``timeZone``, ``contentDir``;
- the posts under ``content/post/`` (or ``content/posts/``): a folder with ``index.md`` is a leaf
  bundle, copied whole, its ``index.md`` written as ``article.md``; every other ``.md`` file is a
  single-file post and becomes a bundle named after its file. ``_index.md`` (a list page) is not
  a post and is reported;
- ``static/`` files named by a post from the root (``/images/x.png``), copied to the same path in
  DEST, where Sphinx reads root-relative paths from;
- ``*.bib`` files at the top of SRC or in ``content/``.

Old addresses. Hugo published a post at ``baseURL`` + the permalink pattern of its section
(``/p/:slug/``). The pattern goes into ``kb_old_urls`` with the path of ``baseURL`` in front
(``https://x.example/blog/`` + ``/p/:slug/`` gives ``/blog/p/:slug/``) and ``kb_old_origins``
gets only the scheme and host: so absolute links (``https://x.example/blog/p/a/``),
root-relative ones (``/blog/p/a/``) and the redirect pages (at ``/blog/p/a/`` of the new site)
all agree. Without ``permalinks`` Hugo's default, the section and the file or folder name
(``/post/:slugorcontentbasename/``), is used.

Feeds. Hugo published RSS feeds at ``index.xml`` of the site, of its section and of each tag and
category; ``kb_hugo_feeds`` (the section's folder under the path of ``baseURL``) makes the build
write copies of the new RSS feeds there.

TOML front matter (``+++``) is rewritten as YAML, which the build reads; the values are kept.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from ..content import frontmatter, urlize
from ..content.dates import site_timezone
from .common import (
    Bundle,
    Progress,
    Report,
    Writer,
    conf_py,
    finish,
    is_empty,
    posts_dir_of,
    safe_slug,
    slug_key,
    write_bibliography,
    write_bundle,
)

#: Config files Hugo reads, first found wins.
CONFIG_NAMES = ("hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json", "config.toml", "config.yaml", "config.yml")
#: Sections holding posts, first found wins.
SECTIONS = ("post", "posts")
#: Tokens that use the folder (or file) name, which a rename changes.
_FOLDER_TOKENS = re.compile(r":(filename|contentbasename|slugorfilename|slugorcontentbasename)\b")
_TOML_BLOCK = re.compile(r"\A\ufeff?\+\+\+[ \t]*\r?\n(.*?)\r?\n\+\+\+[ \t]*(?:\r?\n|\Z)", re.DOTALL)


@dataclass
class HugoConfig:
    """What the importer uses of a Hugo config."""

    #: The file it was read from, if any.
    path: Path | None = None
    title: str = ""
    base_url: str = ""
    #: Section -> permalink pattern of its pages.
    permalinks: dict[str, str] = field(default_factory=dict)
    timezone: str | None = None
    content_dir: str = "content"


def _load(path: Path) -> dict[str, Any]:
    """A config file as a mapping, by its suffix."""
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix == ".toml":
        data = tomllib.loads(text)
    elif path.suffix == ".json":
        data = json.loads(text)
    else:
        data = yaml.safe_load(text) or {}
    if not isinstance(data, dict):
        raise ValueError("not a mapping")
    return data


def read_config(src: Path, report: Report) -> HugoConfig:
    """Read SRC's Hugo config; a missing or unreadable one is a warning and defaults are used."""
    config = HugoConfig()
    candidates = [src / name for name in CONFIG_NAMES] + [src / "config" / "_default" / name for name in CONFIG_NAMES]
    path = next((candidate for candidate in candidates if candidate.is_file()), None)
    data: dict[str, Any] = {}
    if path is None:
        report.warn(src, "no Hugo config (hugo.toml, config.toml...) found; no old addresses are set")
    else:
        try:
            data = _load(path)
            config.path = path
        except (OSError, ValueError, tomllib.TOMLDecodeError, yaml.YAMLError) as err:
            report.warn(path, f"cannot read the Hugo config: {err}")
    # Hugo's keys are case-insensitive.
    lowered = {str(key).lower(): value for key, value in data.items()}
    permalinks = lowered.get("permalinks")
    split = path.parent / "permalinks" if path is not None else None
    for suffix in (".toml", ".yaml", ".yml", ".json"):
        if permalinks is None and split is not None and split.with_suffix(suffix).is_file():
            try:
                permalinks = _load(split.with_suffix(suffix))
            except (OSError, ValueError, tomllib.TOMLDecodeError, yaml.YAMLError) as err:
                report.warn(split.with_suffix(suffix), f"cannot read the permalinks: {err}")
    config.title = str(lowered.get("title") or "")
    config.base_url = str(lowered.get("baseurl") or "")
    config.content_dir = str(lowered.get("contentdir") or "content")
    zone = lowered.get("timezone")
    if isinstance(zone, str) and zone:
        try:
            site_timezone(zone)
            config.timezone = zone
        except ValueError:
            report.warn(path or src, f"timeZone {zone!r} is not a time zone; kb_timezone is not set")
    config.permalinks = _page_permalinks(permalinks)
    return config


def _page_permalinks(value: object) -> dict[str, str]:
    """Section -> pattern, from ``{post = "/p/:slug/"}`` or ``[permalinks.page] post = ...``."""
    if not isinstance(value, dict):
        return {}
    lowered = {str(key).lower(): item for key, item in value.items()}
    if isinstance(lowered.get("page"), dict):
        lowered = {str(key).lower(): item for key, item in lowered["page"].items()}
    return {key: item for key, item in lowered.items() if isinstance(item, str)}


def old_address_settings(config: HugoConfig, section: str, report: Report) -> tuple[list[str], list[str]]:
    """``kb_old_urls`` and ``kb_old_origins`` for posts of *section*: see the module docstring."""
    pattern = config.permalinks.get(section, f"/{section}/:slugorcontentbasename/")
    if not pattern.startswith("/"):
        pattern = "/" + pattern
    origins: list[str] = []
    prefix = ""
    if config.base_url:
        parts = urlsplit(config.base_url)
        if parts.scheme in {"http", "https"} and parts.netloc:
            origins.append(f"{parts.scheme}://{parts.netloc}")
            prefix = parts.path.rstrip("/")
        elif config.base_url.startswith("/"):
            prefix = config.base_url.rstrip("/")
    # Our `:section` is the posts folder's name; Hugo's was the section's, known here.
    pattern = re.sub(r":sections?\b", section, prefix + pattern)
    try:
        urlize.check_pattern(pattern)
    except ValueError as err:
        report.warn(config.path or report.source, f"permalink not used: {err}")
        return [], origins
    return [pattern], origins


def hugo_feeds_setting(config: HugoConfig, section: str) -> str:
    """``kb_hugo_feeds``: the section's folder under the path of ``baseURL`` (``/blog/post/``), as
    :func:`old_address_settings` reads ``baseURL``."""
    prefix = ""
    if config.base_url:
        parts = urlsplit(config.base_url)
        if parts.scheme in {"http", "https"} and parts.netloc:
            prefix = parts.path
        elif config.base_url.startswith("/"):
            prefix = config.base_url
    return "/" + "/".join(folder for folder in (prefix.strip("/"), section) if folder) + "/"


def find_posts(section_dir: Path, report: Report) -> list[tuple[Path, Path | None]]:
    """(article, leaf bundle folder or ``None``) of every post under *section_dir*, in path order."""
    found: list[tuple[Path, Path | None]] = []
    for folder, folders, files in os.walk(section_dir):
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        here = Path(folder)
        names = {name.lower(): name for name in files}
        index = next((names[name] for name in ("index.md", "index.markdown") if name in names), None)
        if index is not None:
            found.append((here / index, here))
            folders[:] = []  # a leaf bundle's folders are its resources
            continue
        for name in sorted(files):
            if name.startswith("."):
                continue
            if name.lower() in {"_index.md", "_index.markdown"}:
                report.warn(here / name, "a list page, not a post; not imported")
            elif name.lower().endswith((".md", ".markdown")):
                found.append((here / name, None))
    return found


def toml_to_yaml(text: str) -> tuple[str, str | None]:
    """*text* with TOML front matter (``+++``) rewritten as YAML, and the error if it cannot be."""
    match = _TOML_BLOCK.match(text)
    if match is None:
        return text, None
    try:
        data = tomllib.loads(match[1])
    except tomllib.TOMLDecodeError as err:
        return text, f"TOML front matter not read ({err}); copied unchanged"
    block = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False, width=1000)
    return f"---\n{block}---\n" + text[match.end() :], None


def add_alias(text: str, alias: str) -> str | None:
    """*text* with *alias* added to the YAML front matter, or ``None`` if it has ``aliases``
    already or no front matter (then the author adds it)."""
    block = frontmatter.find_block(text)
    if block is None:
        return None
    front, _problems = frontmatter.read(text, dt.UTC)
    if "aliases" in front.lines:
        return None
    lines = text.splitlines(keepends=True)
    # The closing fence is the first line after the opening one that is exactly "---".
    closing = next((number for number, line in enumerate(lines[1:], start=1) if line.rstrip("\r\n") == "---"), None)
    if closing is None:
        return None
    lines.insert(closing, f"aliases: [{json.dumps(alias, ensure_ascii=False)}]\n")
    return "".join(lines)


def run(src: Path, dest: Path, report: Report) -> str:
    """Import the Hugo site at *src* into *dest*; return what to print after the table."""
    empty = is_empty(dest)
    config = read_config(src, report)
    content = src / config.content_dir
    section = next((name for name in SECTIONS if (content / name).is_dir()), None)
    if section is None:
        report.warn(content, "no content/post/ or content/posts/ folder: no posts")
        posts_found: list[tuple[Path, Path | None]] = []
        section = SECTIONS[0]
    else:
        posts_found = find_posts(content / section, report)
    old_urls, origins = old_address_settings(config, section, report)
    tz = site_timezone(config.timezone or "UTC")
    posts = dest / posts_dir_of(dest)
    writer = Writer(report)
    static = src / "static"
    taken: list[str] = []
    progress = Progress(len(posts_found), "Importing posts")
    for article, folder in posts_found:
        name = folder.name if folder is not None else article.stem
        slug = safe_slug(name, taken)
        taken.append(slug)
        if slug != name and slug_key(slug) != slug_key(name):
            report.renamed[name] = slug
        alias = _old_folder_address(article, name, slug, old_urls=old_urls, section=section, tz=tz)

        def transform(path: Path, data: bytes, is_article: bool, alias: str | None = alias) -> bytes:
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                return data
            text, problem = toml_to_yaml(text)
            if problem:
                report.warn(path, problem, 1)
            if is_article and alias:
                with_alias = add_alias(text, alias)
                if with_alias is None:
                    report.warn(path, f"renamed: add {alias!r} to its aliases to keep the old address working")
                else:
                    text = with_alias
            return text.encode("utf-8")

        write_bundle(Bundle(article, folder, slug), posts, writer, transform, static if static.is_dir() else None)
        progress.step(slug)
    progress.close()
    bibfiles: list[str] = []
    for bib in sorted([*src.glob("*.bib"), *content.glob("*.bib")]):
        write_bibliography(bib, writer, bibfiles)
    settings: dict[str, object] = {
        "kb_timezone": config.timezone,
        "kb_old_urls": old_urls or None,
        "kb_old_origins": origins or None,
        # Subscribers keep their feeds: RSS copies at the addresses Hugo gave its feeds.
        "kb_hugo_feeds": hugo_feeds_setting(config, section),
        "bibtex_bibfiles": bibfiles or None,
    }
    title = config.title or src.resolve().name
    baseurl = config.base_url if urlsplit(config.base_url).scheme in {"http", "https"} else None
    if empty and baseurl is None:
        report.warn(dest / "conf.py", "the Hugo config has no baseURL: change html_baseurl to the site's address")
    text = conf_py(title, f"python -m sphinx_kb import hugo {src.name} {dest.name}", settings, baseurl)
    return finish(writer, settings, text, title, empty=empty)


def _old_folder_address(
    article: Path, name: str, slug: str, *, old_urls: list[str], section: str, tz: dt.tzinfo
) -> str | None:
    """The old address a renamed folder loses: only when the permalink uses the folder name
    (``:contentbasename``, ``:filename``, or ``:slugor...`` without a ``slug``)."""
    if slug == name or not old_urls or not _FOLDER_TOKENS.search(old_urls[0]):
        return None
    try:
        text, _problem = toml_to_yaml(article.read_text(encoding="utf-8-sig"))
        front, _problems = frontmatter.read(text, tz)
    except (OSError, UnicodeDecodeError):
        return None
    given = front.extra.get("slug")
    page = urlize.Page(
        title=front.title or name,
        folder=name,
        section=section,
        slug=str(given) if isinstance(given, str | int) and str(given).strip() else None,
        date=front.date,
    )
    old = urlize.expand(old_urls[0], page)
    new = urlize.expand(old_urls[0], urlize.Page(page.title, slug, section, page.slug, page.date))
    return old if old and old != new else None

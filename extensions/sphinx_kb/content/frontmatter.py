"""Read an article's YAML front matter into one validated schema.

This module knows nothing of Sphinx: it turns source text into a :class:`FrontMatter` and a list
of :class:`Problem` objects, each with the line of the file it concerns. A field that is invalid
is reported and left out; everything valid is kept, so a post with a bad ``tags`` value still
gets its title and date.

YAML anchors and aliases (``&name``, ``*name``) are refused: a few hundred bytes of aliases can
stand for gigabytes of text once expanded (the "billion laughs"). Every key whose value uses one is
left out, with one problem at the first anchor or alias; the document is only parsed into events
and composed (which keeps aliases as shared references) before that check, never constructed.
A first ``---`` line without a closing one is reported, and the text is then read as Markdown.

Both Hugo and Astro spellings are accepted (``date``/``published``, ``lastmod``/``modified``,
``categories``/``category``, ``authors``/``author``, ``image``/``seoThumbImage``...). Keys the
schema does not know are kept in :attr:`FrontMatter.extra`; :func:`unused_keys` names those that
nothing reads (the build reports each once), while :data:`IGNORED_KEYS` are known and left alone.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import yaml

from ..problems import Problem
from .dates import parse_date
from .language import normalize_tag

if TYPE_CHECKING:
    from collections.abc import Iterator

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: Schema field -> the front-matter keys that spell it. When a file uses two spellings of one
#: field, the one written first is used and the other reported.
ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("title",),
    "description": ("description", "summary"),
    "date": ("date", "published", "pubDate"),
    "updated": ("lastmod", "modified", "updated", "updatedDate"),
    "tags": ("tags",),
    "categories": ("categories", "category"),
    "authors": ("authors", "author"),
    "draft": ("draft",),
    "aliases": ("aliases",),
    "cover": ("image", "cover", "seoThumbImage"),
    "toc": ("toc",),
    "math": ("math",),
    "license": ("license",),
    "keywords": ("keywords",),
    "language": ("lang", "language"),
}
_KEY_TO_FIELD = {key: name for name, keys in ALIASES.items() for key in keys}

#: Keys of Hugo and Astro front matter that have no effect here, on purpose: the order of posts is
#: by date (Hugo's ``weight``) and furo's contents never collapse (Astro's table-of-contents switch).
IGNORED_KEYS = frozenset({"weight", "tableOfContentsAutoCollapse"})
#: Keys kept in :attr:`FrontMatter.extra` that are read elsewhere: old addresses (``blog/links.py``),
#: ablog's switch, and the file-wide metadata Sphinx, MyST-Parser and furo read.
READ_ELSEWHERE = frozenset(
    {"slug", "url", "blogpost", "orphan", "nocomments", "nosearch", "tocdepth", "html_meta", "myst"}
    | {"hide-toc", "substitutions"}
)

#: An ATX heading line (``## Title ##``), and a code fence line.
_HEADING = re.compile(r"^(?P<marks>#{1,6})(?:[ \t]+(?P<title>.*?))?[ \t]*#*[ \t]*$")
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")

#: A single string of tags or categories may list several, separated by commas.
_LIST_SEPARATOR = re.compile(r"[,，]")
#: Every ASCII punctuation mark: backslash-escaped, CommonMark reads each as itself.
_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_TRUE = {"true", "yes", "on"}
_FALSE = {"false", "no", "off"}


@dataclass(frozen=True)
class Author:
    """An author as written in front matter: a name and, optionally, a link."""

    name: str
    url: str | None = None


@dataclass
class FrontMatter:
    """The validated front matter of one article."""

    title: str | None = None
    description: str | None = None
    date: dt.datetime | None = None
    updated: dt.datetime | None = None
    tags: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    authors: list[Author] = field(default_factory=list)
    draft: bool = False
    aliases: list[str] = field(default_factory=list)
    #: The cover image (``image``, ``seoThumbImage``): a file of the bundle, relative to the article.
    cover: str | None = None
    #: ``toc: false`` hides the page's contents (furo's right-hand table of contents).
    toc: bool = True
    #: ``math: false``: the page loads no MathJax.
    math: bool = True
    #: The post's license, shown at its end.
    license: str | None = None
    #: Words for ``<meta name="keywords">``.
    keywords: list[str] = field(default_factory=list)
    #: The post's language tag (``lang``, ``language``), in its usual case: ``zh-CN``, ``en``.
    language: str | None = None
    #: Keys the schema does not know, kept as YAML gave them.
    extra: dict[str, Any] = field(default_factory=dict)
    #: Line of the file (1-based) where each schema field, and each key of :attr:`extra`, was written.
    lines: dict[str, int] = field(default_factory=dict)

    def line_of(self, name: str) -> int:
        """Return the line where field *name* was written, or the front matter's first line."""
        return self.lines.get(name, 1)


@dataclass(frozen=True)
class Block:
    """Where the front matter sits in the source text."""

    #: The YAML text between the fences.
    yaml: str
    #: 1-based line number of the first YAML line (the line after the opening ``---``).
    first_line: int
    #: Number of YAML lines between the fences.
    line_count: int

    @property
    def end_line(self) -> int:
        """The 1-based line of the closing fence: the body starts on the next one."""
        return self.line_count + 2


#: A line break as Markdown counts them; ``str.splitlines`` also breaks at ``\v``, ``\x1c``, ``\u2028``...,
#: which would shift every later line number.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def split_lines(source: str, keepends: bool = False) -> list[str]:
    """The lines of *source* as Markdown counts them (at ``\n``, ``\r\n`` or ``\r`` only)."""
    if keepends:
        return [line for line in re.split(r"(?<=\n)|(?<=\r)(?!\n)", source) if line]
    lines = _LINE_BREAK.split(source)
    if lines[-1] == "":
        # Like `str.splitlines`: a final line break ends the last line, it does not start one.
        lines.pop()
    return lines


#: The opening line of front matter, as MyST-Parser reads it.
_OPENING = re.compile(r"-{3,}[ \t]*$")


def find_block(source: str) -> Block | None:
    """Locate the front matter the way MyST-Parser does.

    It is the text between a first line starting with ``---`` and the next line starting with
    ``---`` or ``...``. Without a closing line there is no front matter.
    """
    if not source.startswith("---"):
        return None
    lines = split_lines(source)
    for index in range(1, len(lines)):
        if lines[index].startswith(("---", "...")):
            body = lines[1:index]
            return Block("\n".join(body) + "\n", 2, len(body))
    return None


def has_unclosed_block(source: str) -> bool:
    """Whether *source* opens front matter with a ``---`` line and never closes it."""
    first_line = source.split("\n", 1)[0].rstrip("\r")
    return bool(_OPENING.match(first_line)) and find_block(source) is None


def body_headings(source: str) -> Iterator[tuple[int, str, int]]:
    """The ATX headings of a Markdown text after its front matter and outside code fences, as
    ``(level, title, line)``."""
    block = find_block(source)
    body_start = block.end_line if block else 0
    in_fence = False
    for number, line in enumerate(split_lines(source), start=1):
        if number <= body_start:
            continue
        if _FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence and (match := _HEADING.match(line)):
            yield len(match["marks"]), match["title"] or "", number


def shift_headings(source: str, by: int = 1, drop_line: int | None = None) -> str:
    """*source* with each ATX heading of its body *by* levels lower (by 1, ``#`` becomes ``##``),
    and the heading at *drop_line* (if any) left out; every line keeps its number.

    A heading stays at level 6 at most: Markdown has no level 7.
    """
    headings = {line: level for level, _title, line in body_headings(source)}
    if not headings:
        return source
    lines = split_lines(source, keepends=True)
    for line, level in headings.items():
        text = lines[line - 1]
        if line == drop_line:
            lines[line - 1] = text[len(text.rstrip("\r\n")) :]
        else:
            lines[line - 1] = "#" * (min(level + by, 6) - level) + text
    return "".join(lines)


def read(source: str, tz: dt.tzinfo) -> tuple[FrontMatter, list[Problem]]:
    """Read and validate the front matter at the top of *source*.

    :param tz: the zone given to dates written without an offset.
    :return: what is valid, and one :class:`Problem` for each thing that is not.
    """
    block = find_block(source)
    if block is None:
        if has_unclosed_block(source):
            return FrontMatter(), [Problem(1, "front matter has no closing '---'; it is read as text")]
        return FrontMatter(), []
    raw, lines, problems = _load_mapping(block)
    front_matter = FrontMatter()
    used: dict[str, str] = {}
    for key, value in raw.items():
        if key == "blogpost" or key in IGNORED_KEYS:
            # ablog's own front-matter switch (every bundle is already a post), and keys left alone.
            continue
        name = _KEY_TO_FIELD.get(key) if isinstance(key, str) else None
        if name is None:
            front_matter.extra[str(key)] = value
            front_matter.lines[str(key)] = lines[key]
            continue
        line = lines[key]
        if name in used:
            first = used[name]
            problems.append(Problem(line, f"{key!r} repeats {first!r}; the value of {first!r} is used"))
            continue
        used[name] = key
        front_matter.lines[name] = line
        try:
            setattr(front_matter, name, _CONVERTERS[name](value, tz))
        except ValueError as err:
            problems.append(Problem(line, f"invalid {key!r}: {err}"))
    return front_matter, problems


def normalized_source(source: str, front_matter: FrontMatter) -> str:
    """Return *source* with its front matter replaced by the validated values.

    The values are written as one line of JSON (which is YAML) padded with blank lines, so every
    line of the body keeps its number and later warnings still point at the right line.
    """
    block = find_block(source)
    if block is None and has_unclosed_block(source):
        # MyST would read the `---` as a rule opening the page (a docutils error); the text
        # after it is shown as it is, on the lines it was written on.
        return "\n" + source.split("\n", 1)[1] if "\n" in source else ""
    if block is None or block.line_count == 0:
        return source
    data = {k: v for k, v in _to_json(front_matter).items() if v not in (None, [], False) and k not in ("toc", "math")}
    data.update(front_matter.extra)
    if not front_matter.toc:
        # furo's file-wide switch for the page's contents.
        data["hide-toc"] = True
    text = json.dumps(data, ensure_ascii=False, default=str)
    lines = split_lines(source, keepends=True)
    padding = ["\n"] * max(block.line_count - 1, 0)
    return "".join([lines[0], text + "\n", *padding, *lines[1 + block.line_count :]])


def _to_json(front_matter: FrontMatter) -> dict[str, Any]:
    data = dataclasses.asdict(front_matter)
    for name in ("extra", "lines"):
        del data[name]
    if data["title"] is not None:
        # MyST makes the page heading by parsing `# <title>` as Markdown; a title is text.
        data["title"] = _MARKDOWN_PUNCTUATION.sub(r"\\\1", " ".join(data["title"].split()))
    for name in ("date", "updated"):
        if data[name] is not None:
            data[name] = data[name].isoformat()
    return data


def unused_keys(front_matter: FrontMatter) -> list[str]:
    """The keys of *front_matter* that nothing reads (neither the schema nor another stage)."""
    return [key for key in front_matter.extra if key not in READ_ELSEWHERE]


def _load_mapping(block: Block) -> tuple[dict[Any, Any], dict[Any, int], list[Problem]]:
    """Load the top-level mapping, keeping the line of each key.

    Each value is constructed on its own, so one value YAML cannot construct (``2025-13-45``)
    costs only that key; keys using anchors or aliases are left out before anything is built.
    """
    data: dict[Any, Any] = {}
    lines: dict[Any, int] = {}
    problems: list[Problem] = []
    try:
        references = _anchors_and_aliases(block.yaml)
    except yaml.YAMLError as err:
        return data, lines, [_yaml_problem(block, err, "front matter is not valid YAML")]
    loader = _Loader(block.yaml)
    try:
        root = loader.get_single_node()
    except (yaml.YAMLError, RecursionError) as err:
        loader.dispose()
        return data, lines, [_yaml_problem(block, err, "front matter is not valid YAML")]
    try:
        if root is None:
            return data, lines, problems
        if not isinstance(root, yaml.MappingNode):
            message = "front matter must be a mapping of keys to values"
            return data, lines, [Problem(block.first_line, message)]
        pairs = _without_references(root, references, block, problems)
        for key_node, value_node in pairs:
            line = block.first_line + key_node.start_mark.line
            try:
                key = loader.construct_object(key_node, deep=True)
                value = loader.construct_object(value_node, deep=True)
            except (yaml.YAMLError, ValueError, OverflowError, RecursionError) as err:
                problems.append(_yaml_problem(block, err, "value cannot be read", line))
                continue
            if not isinstance(key, str | int | float | bool):
                problems.append(Problem(line, "keys must be plain names"))
                continue
            if key in data:
                problems.append(Problem(line, f"duplicate key {key!r}; the first value is used"))
                continue
            data[key] = value
            lines[key] = line
    finally:
        loader.dispose()
    return data, lines, problems


def _anchors_and_aliases(text: str) -> list[tuple[int, int]]:
    """The offset and 0-based line of every anchor (``&a``) and alias (``*a``) in YAML *text*.

    Only parser events are made: nothing is composed or built, so this is cheap on any input.
    """
    found = []
    for event in yaml.parse(text, Loader=_Loader):
        mark = event.start_mark
        if mark is not None and (isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None):
            found.append((mark.index, mark.line))
    return found


def _without_references(
    root: yaml.MappingNode, references: list[tuple[int, int]], block: Block, problems: list[Problem]
) -> list[tuple[yaml.Node, yaml.Node]]:
    """The key/value pairs of *root* whose text holds no anchor or alias; one problem for the rest.

    A pair's text runs from its key to the next key: an alias value's node is the anchored one,
    elsewhere in the text, so the node's own marks cannot tell.
    """
    if not references:
        return list(root.value)
    starts = [key.start_mark.index for key, _value in root.value] + [len(block.yaml) + 1]
    kept, dropped = [], []
    for index, (key_node, value_node) in enumerate(root.value):
        if any(starts[index] <= offset < starts[index + 1] for offset, _line in references):
            dropped.append(key_node.value if isinstance(key_node, yaml.ScalarNode) else "?")
        else:
            kept.append((key_node, value_node))
    names = ", ".join(repr(name) for name in dropped)
    first_line = block.first_line + min(line for _offset, line in references)
    problems.append(
        Problem(first_line, f"front matter may not use YAML anchors or aliases ('&name', '*name'); left out: {names}")
    )
    return kept


def _yaml_problem(block: Block, err: BaseException, prefix: str, line: int | None = None) -> Problem:
    """A :class:`Problem` for a PyYAML error, at the line of the file and without PyYAML's own marks.

    PyYAML counts lines from the start of the YAML text and prints them (``line 2, column 7``);
    the author needs the file's line, which is where the problem is located.
    """
    if isinstance(err, RecursionError):
        return Problem(line or block.first_line, f"{prefix}: it is nested too deeply")
    if not isinstance(err, yaml.MarkedYAMLError):
        reason = getattr(err, "reason", None) or str(err)
        position = getattr(err, "position", None)
        if line is None and isinstance(position, int):
            line = block.first_line + block.yaml.count("\n", 0, position)
        return Problem(line or block.first_line, f"{prefix}: {reason}")
    mark = err.problem_mark or err.context_mark
    if mark is not None:
        line = block.first_line + mark.line
    reason = err.problem or err.context or "unreadable"
    if err.problem and err.context:
        context = err.context
        if err.context_mark is not None and err.context_mark.line != (mark.line if mark else None):
            context += f" (line {block.first_line + err.context_mark.line})"
        reason = f"{err.problem}, {context}"
    return Problem(line or block.first_line, f"{prefix}: {reason}")


def _text(value: object, what: str) -> str:
    """Return *value* as a string if it is a scalar: YAML reads ``2024`` as a number."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(f"{what} must be text, got {_describe(value)}")
    text = " ".join(str(value).split())
    if not text:
        raise ValueError(f"{what} is empty")
    return text


def _describe(value: object) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"{type(value).__name__} {value!r}"


def _as_title(value: object, tz: dt.tzinfo) -> str:
    return _text(value, "the title")


def _as_description(value: object, tz: dt.tzinfo) -> str:
    return _text(value, "the description")


def _as_date(value: object, tz: dt.tzinfo) -> dt.datetime:
    return parse_date(value, tz)


def _as_names(value: object, tz: dt.tzinfo) -> list[str]:
    """A list of names, or one string of comma-separated names; duplicates (any case) dropped."""
    if isinstance(value, str):
        items: list[object] = [part for part in _LIST_SEPARATOR.split(value) if part.strip()]
    elif isinstance(value, int | float) and not isinstance(value, bool):
        items = [value]
    elif isinstance(value, list):
        items = value
    else:
        raise ValueError(f"expected a list of names, got {_describe(value)}")
    names: list[str] = []
    seen: set[str] = set()
    for item in items:
        name = _text(item, "each name")
        if name.casefold() not in seen:
            seen.add(name.casefold())
            names.append(name)
    return names


def _as_authors(value: object, tz: dt.tzinfo) -> list[Author]:
    items = value if isinstance(value, list) else [value]
    authors = []
    for item in items:
        if isinstance(item, dict):
            if "name" not in item:
                raise ValueError("an author given as a mapping needs a 'name'")
            link = item.get("url", item.get("link"))
            url = _text(link, "an author's url") if link is not None else None
            authors.append(Author(_text(item["name"], "an author's name"), url))
        else:
            authors.append(Author(_text(item, "an author")))
    return authors


def _as_flag(value: object, tz: dt.tzinfo, otherwise: str = "the post is not a draft") -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise ValueError(f"expected true or false, got {_describe(value)}; {otherwise}")


def _as_switch(value: object, tz: dt.tzinfo) -> bool:
    """``toc`` and ``math``: on unless the author says false."""
    return _as_flag(value, tz, "it stays on")


def _as_cover(value: object, tz: dt.tzinfo) -> str:
    """A cover image's path; Hugo themes also write ``cover: {image: ..., alt: ...}``."""
    if isinstance(value, dict) and "image" in value:
        value = value["image"]
    return _text(value, "the cover image")


def _as_license(value: object, tz: dt.tzinfo) -> str:
    return _text(value, "the license")


def _as_aliases(value: object, tz: dt.tzinfo) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return [_text(item, "each alias") for item in items]


def _as_language(value: object, tz: dt.tzinfo) -> str:
    try:
        return normalize_tag(value)
    except ValueError as err:
        raise ValueError(f"{err}; the language is found from the text, else the site's is used") from None


_CONVERTERS = {
    "title": _as_title,
    "description": _as_description,
    "date": _as_date,
    "updated": _as_date,
    "tags": _as_names,
    "categories": _as_names,
    "authors": _as_authors,
    "draft": _as_flag,
    "aliases": _as_aliases,
    "cover": _as_cover,
    "toc": _as_switch,
    "math": _as_switch,
    "license": _as_license,
    "keywords": _as_names,
    "language": _as_language,
}

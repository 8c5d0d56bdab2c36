"""The ``kb_*`` settings: one dataclass that declares, checks and documents them.

Each field of :class:`KbConfig` is one setting of ``conf.py`` (``kb_`` + the field name), with its
default, its accepted types, when a change takes effect (``env``: every page is read again;
``html``: pages are only written again), its help text and a validator. From these fields:

- :func:`setup` registers every ``kb_*`` value with Sphinx;
- :func:`check` (at ``config-inited``) validates the values: a bad one is reported with one
  warning at its line in ``conf.py`` and replaced by the default, so the site still builds (and a
  ``-W`` build fails);
- :func:`kb_config` gives the code the checked values as a :class:`KbConfig`;
- the directives ``{kb-config-table}`` and ``{kb-warnings-table}`` write the guide's tables, so the
  guide cannot drift from the code. (Model: ``myst_parser/config/main.py``'s ``MdParserConfig``.)

Where the checked object lives: on Sphinx's :class:`~sphinx.config.Config` under a private name.
Sphinx does not pickle private attributes of its config, so after the environment is loaded
from its pickle :func:`kb_config` rebuilds the object from the values, which is cheap (one
check per setting), and never warns again: :func:`check` also writes the checked values back into the config
(the default for a bad value, a number for the text of ``-D kb_feed_length=10``), so
``app.config.kb_*`` holds what :func:`kb_config` returns (with a list for ``kb_article_names``),
and code still reading those values directly sees no bad one either.
"""

from __future__ import annotations

import ast
import dataclasses as dc
import datetime as dt
import inspect
import json
import re
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from sphinx.config import Config
from sphinx.util.docutils import SphinxDirective

from .content.dates import site_timezone
from .warnings_ import KbWarning, warn

if TYPE_CHECKING:
    from collections.abc import Callable
    from enum import Enum

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

#: The prefix of every setting in ``conf.py``.
PREFIX = "kb_"

#: Where :func:`check` keeps the checked settings on Sphinx's config (private: never pickled).
_ATTRIBUTE = "_kb_config"

#: Names that are folders in a path but are not a plain folder name.
_NOT_NAMES = frozenset({"", ".", ".."})
#: The values of ``kb_feed_content``.
FEED_CONTENTS = ("summary", "full")


# Validators: each takes the value from conf.py and returns it checked (and normalised), or
# raises ValueError/TypeError with a message for the site's author. Each accepts its own output.


def _type_name(value: object) -> str:
    return "None" if value is None else type(value).__name__


def _folder(value: object) -> str:
    """A folder inside the source folder: ``posts``, ``content/notes``; outer ``/`` are ignored."""
    if not isinstance(value, str):
        raise TypeError(f"expected a folder name as text, got {_type_name(value)}")
    path = value.strip("/")
    parts = path.split("/")
    if "\\" in path or any(part in _NOT_NAMES for part in parts):
        raise ValueError("expected a folder inside the source folder, such as 'posts' or 'content/notes'")
    return path


def _names(value: object) -> tuple[str, ...]:
    """A non-empty list of file names without suffix and without folders."""
    if not isinstance(value, list | tuple):
        raise TypeError(f"expected a list of file names, got {_type_name(value)}")
    if not value:
        raise ValueError("expected at least one file name")
    for name in value:
        if not isinstance(name, str):
            raise TypeError(f"expected file names as text, got {_type_name(name)} {name!r}")
        if name in _NOT_NAMES or "/" in name or "\\" in name or name.endswith((".md", ".mdx")):
            raise ValueError(f"{name!r} is not a plain file name without suffix, such as 'article'")
    return tuple(value)


def _zone(value: object) -> str:
    """An IANA time zone name or an offset from UTC."""
    if not isinstance(value, str):
        raise TypeError(f"expected a time zone name as text, got {_type_name(value)}")
    site_timezone(value)  # raises ValueError for an unknown zone
    return value


def _flag(value: object) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"expected True or False, got {_type_name(value)}")
    return value


def _positive(value: object) -> int:
    # bool is an int to Python, never to an author.
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"expected a whole number, got {_type_name(value)}")
    if value < 1:
        raise ValueError(f"expected a number above 0, got {value}")
    return value


def _count(value: object) -> int:
    """A whole number, 0 or more."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"expected a whole number, got {_type_name(value)}")
    if value < 0:
        raise ValueError(f"expected 0 or more, got {value}")
    return value


def _positive_or_none(value: object) -> int | None:
    return None if value is None else _positive(value)


#: One ``strftime`` directive, with glibc's optional flag and width (``%-d``, ``%_H``).
_DIRECTIVE = re.compile(r"%[-_0^#]?\d*[EO]?(.)")
#: Two moments that differ in every field a date format can show.
_MOMENTS = (dt.datetime(2001, 2, 3, 4, 5, 6, tzinfo=dt.UTC), dt.datetime(2012, 11, 24, 16, 17, 18, tzinfo=dt.UTC))


def _date_format(value: object) -> str:
    """A ``strftime`` format that shows some part of a date, with directives the platform knows."""
    if not isinstance(value, str):
        raise TypeError(f"expected a strftime format as text, got {_type_name(value)}")
    for directive in _DIRECTIVE.finditer(value):
        # The C library copies a directive it does not know into the output unchanged.
        if directive[1] != "%" and _MOMENTS[0].strftime(directive[0]) == directive[0]:
            raise ValueError(f"{directive[0]!r} is not a strftime directive")
    try:
        shown = {moment.strftime(value) for moment in _MOMENTS}
    except ValueError as err:
        raise ValueError(f"not a strftime format: {err}") from err
    if len(shown) == 1:
        raise ValueError("the format shows no part of the date (directives start with '%', as in '%Y-%m-%d')")
    return value


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, got {_type_name(value)}")
    return value


def _feed_content(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected 'summary' or 'full', got {_type_name(value)}")
    if value not in FEED_CONTENTS:
        raise ValueError(f"expected 'summary' or 'full', got {value!r}")
    return value


def _hugo_feeds(value: object) -> str:
    """A root-relative folder such as ``/posts/``; kept as ``/posts/`` (empty: none)."""
    if not isinstance(value, str):
        raise TypeError(f"expected the old section's address such as '/posts/' as text, got {_type_name(value)}")
    path = value.strip().strip("/")
    if not value.strip():
        return ""
    parts = path.split("/")
    if not value.strip().startswith("/") or "://" in value or "\\" in path or {"", ".", ".."} & set(parts):
        raise ValueError(f"{value!r} is not a root-relative folder such as '/posts/'")
    return f"/{path}/"


def _site_file(value: object) -> str:
    """A file of the built site, relative to its root (``_static/card.png``), or empty."""
    if not isinstance(value, str):
        raise TypeError(f"expected a path such as '_static/card.png' as text, got {_type_name(value)}")
    path = value.strip().lstrip("/")
    if "://" in path or "\\" in path or any(part in {".", ".."} for part in path.split("/")):
        raise ValueError(f"{value!r} is not a file of the site such as '_static/card.png'")
    return path


def _old_urls(value: object) -> tuple[str, ...]:
    """Hugo permalink patterns: root-relative addresses with tokens ``urlize.expand`` knows."""
    from .content.urlize import check_pattern

    if not isinstance(value, list | tuple):
        raise TypeError(f"expected a list of permalink patterns such as ['/p/:slug/'], got {_type_name(value)}")
    for pattern in value:
        if not isinstance(pattern, str):
            raise TypeError(f"expected permalink patterns as text, got {_type_name(pattern)} {pattern!r}")
        if not pattern.startswith("/") or "://" in pattern:
            raise ValueError(f"{pattern!r} is not a root-relative pattern such as '/p/:slug/'")
        check_pattern(pattern)
    return tuple(value)


def _origins(value: object) -> tuple[str, ...]:
    """Absolute ``http(s)://host`` origins, optionally with a path; kept without a trailing ``/``."""
    from urllib.parse import urlsplit

    if not isinstance(value, list | tuple):
        raise TypeError(f"expected a list of origins such as ['https://old-site.example'], got {_type_name(value)}")
    origins = []
    for origin in value:
        if not isinstance(origin, str):
            raise TypeError(f"expected origins as text, got {_type_name(origin)} {origin!r}")
        parts = urlsplit(origin)
        if parts.scheme not in {"http", "https"} or not parts.netloc or parts.query or parts.fragment:
            raise ValueError(f"{origin!r} is not an origin such as 'https://old-site.example'")
        origins.append(origin.rstrip("/"))
    return tuple(origins)


def _count_from_text(text: str) -> int | None:
    """``-D kb_feed_length=10`` gives text, since the default (``None``) has no type to convert to."""
    text = text.strip()
    if text in {"", "None", "none"}:
        return None
    if not text.isdigit():
        raise ValueError(f"expected a whole number or None, got {text!r}")
    return int(text)


def _setting(
    default: Any,
    *,
    rebuild: str,
    types: tuple[type, ...],
    validate: Callable[[object], Any],
    help: str,
    shown_type: str = "",
    from_text: Callable[[str], Any] | None = None,
) -> Any:
    """A field of :class:`KbConfig`: its default and what :func:`setup`, :func:`check` and the docs need.

    :param rebuild: Sphinx's rebuild kind: ``"env"`` (read every page again) or ``"html"``.
    :param types: the types Sphinx accepts for the value (``types=`` of ``add_config_value``).
    :param validate: returns the checked value, or raises ValueError/TypeError with a message.
    :param help: one or two sentences for the guide; `` `x` `` is shown as code.
    :param shown_type: the type as the guide names it; by default from *types*.
    :param from_text: turns the text of a ``-D`` override into a value, where Sphinx cannot.
    """
    metadata = {
        "rebuild": rebuild,
        "types": types,
        "validate": validate,
        "help": help,
        "shown_type": shown_type or " or ".join(_type_name(None) if t is type(None) else t.__name__ for t in types),
        "from_text": from_text,
    }
    return dc.field(default=default, metadata=metadata)


@dc.dataclass(frozen=True)
class KbConfig:
    """The checked ``kb_*`` settings; get them with :func:`kb_config`.

    Creating one validates every field and raises ValueError or TypeError for a bad one.
    """

    posts_dir: str = _setting(
        "posts",
        rebuild="env",
        types=(str,),
        validate=_folder,
        help="The folder holding the bundles, relative to the source folder (`docs/`). Leading and trailing "
        "`/` are ignored, and a nested path such as `content/notes` works; `..` is refused.",
    )
    article_names: tuple[str, ...] = _setting(
        ("article", "index"),
        rebuild="env",
        types=(list, tuple),
        validate=_names,
        shown_type="list of str",
        help="File names (without suffix) of an article, most preferred first.",
    )
    timezone: str = _setting(
        "UTC",
        rebuild="env",
        types=(str,),
        validate=_zone,
        help="IANA time zone (`Asia/Shanghai`, `Europe/Paris`) or offset from UTC (`+08:00`) for dates "
        "written without an offset.",
    )
    show_drafts: bool = _setting(
        False,
        rebuild="env",
        types=(bool,),
        validate=_flag,
        help='Also build drafts and future-dated posts as pages, with a "Draft" box. They are never listed. '
        "`nox -s serve` sets it with `-D kb_show_drafts=1`.",
    )
    embeds_dir: str = _setting(
        "assets/embeds",
        rebuild="env",
        types=(str,),
        validate=_folder,
        help='Where `<HtmlEmbed src="x/y.html">` is looked for first, relative to the source folder (as '
        "Astro's `src/assets/embeds/`); then next to the file that embeds it.",
    )
    summary_length: int = _setting(
        200,
        rebuild="env",
        types=(int,),
        validate=_positive,
        help="How many characters of the first paragraph make a summary, when there is no `description`.",
    )
    date_format: str = _setting(
        "%Y-%m-%d",
        rebuild="html",
        types=(str,),
        validate=_date_format,
        help="`strftime` format of dates in post headers and listings.",
    )
    reading_speed_cjk: int = _setting(
        300,
        rebuild="html",
        types=(int,),
        validate=_positive,
        help="Reading speed for Chinese, Japanese and Korean text, in characters per minute, for the reading "
        "time of posts (code and maths are not counted).",
    )
    reading_speed_words: int = _setting(
        220,
        rebuild="html",
        types=(int,),
        validate=_positive,
        help="Reading speed for text in other scripts (English...), in words per minute.",
    )
    git_dates: bool = _setting(
        True,
        rebuild="html",
        types=(bool,),
        validate=_flag,
        help='A post without `lastmod` (or `updated`) shows as "Updated" the date of the last commit that '
        "touched its bundle, when that is a later day than its date and the site is in a git work tree. "
        "Uncommitted changes do not count.",
    )
    feed_length: int | None = _setting(
        None,
        rebuild="html",
        types=(int, type(None)),
        validate=_positive_or_none,
        from_text=_count_from_text,
        help="At most this many posts in each feed; `None` means all.",
    )
    feed_subtitle: str = _setting(
        "",
        rebuild="html",
        types=(str,),
        validate=_text,
        help="The `<subtitle>` of every feed; empty means none.",
    )
    feed_content: str = _setting(
        "summary",
        rebuild="html",
        types=(str,),
        validate=_feed_content,
        help='What each feed entry carries besides its title and links: `"summary"` (the post\'s summary) or '
        '`"full"` (the summary and the whole post as HTML, with maths as MathML, every link and image address '
        "absolute and no script).",
    )
    hugo_feeds: str = _setting(
        "",
        rebuild="html",
        types=(str,),
        validate=_hugo_feeds,
        help="For a site that came from Hugo: the old section's address, such as `/posts/` or `/blog/post/`. A "
        "copy of each RSS feed is then written where Hugo published it, so subscribers keep their feeds: the "
        "section's `index.xml`, and in the folder above it (the old site's root) `index.xml`, "
        "`tags/<tag>/index.xml` and `categories/<category>/index.xml` (names as Hugo's `urlize` made them). "
        "Empty: none. `import hugo` sets it.",
    )

    site_description: str = _setting(
        "",
        rebuild="html",
        types=(str,),
        validate=_text,
        help='One sentence on what the site is: the home page\'s `<meta name="description">` and social '
        "preview, and the summary line of `llms.txt`. Empty: the feeds' subtitle (`kb_feed_subtitle`).",
    )
    social_image: str = _setting(
        "",
        rebuild="html",
        types=(str,),
        validate=_site_file,
        help="The image a shared link shows (`og:image`) for pages and posts without a cover: a file of the "
        "built site, relative to its root, such as `_static/card.png` for a file in `html_static_path` "
        "(1200×630 PNG or JPEG). Empty: none.",
    )
    twitter_site: str = _setting(
        "",
        rebuild="html",
        types=(str,),
        validate=_text,
        help="The site's account for `twitter:site`, such as `@notes`; empty means none.",
    )
    sitemap: bool = _setting(
        True,
        rebuild="html",
        types=(bool,),
        validate=_flag,
        help="Write `sitemap.xml` (every published page, with each post's last update) and a `robots.txt` "
        "naming it (unless `html_extra_path` has one). Needs `html_baseurl`.",
    )
    llms_txt: bool = _setting(
        True,
        rebuild="html",
        types=(bool,),
        validate=_flag,
        help="Write `llms.txt` (llmstxt.org): the published posts, newest first, with their summaries, and "
        "the other pages. Needs `html_baseurl`.",
    )
    not_found_page: bool = _setting(
        True,
        rebuild="html",
        types=(bool,),
        validate=_flag,
        help="Write the page a server shows for a missing address (`404.html`), with links that work at any "
        "depth and the posts whose titles best match the address.",
    )

    old_urls: tuple[str, ...] = _setting(
        (),
        rebuild="env",
        types=(list, tuple),
        validate=_old_urls,
        shown_type="list of str",
        help='The Hugo permalink patterns the posts were published under, such as `["/p/:slug/"]`. Links to '
        "those addresses lead to the posts, and each old address gets a redirect page. Tokens: `:slug` (the "
        "front-matter `slug`, else the title as Hugo's `urlize` makes it), `:title`, `:contentbasename` and "
        "`:filename` (the bundle folder), `:slugorcontentbasename`, `:year`, `:month`, `:day`, `:section` "
        "(the last folder name of `kb_posts_dir`).",
    )
    old_origins: tuple[str, ...] = _setting(
        (),
        rebuild="env",
        types=(list, tuple),
        validate=_origins,
        shown_type="list of str",
        help='Origins of the old site, such as `["https://old-site.example"]`: absolute links to them are '
        "links to this site (`html_baseurl` counts too).",
    )

    related_posts: int = _setting(
        5,
        rebuild="html",
        types=(int,),
        validate=_count,
        help="How many related posts each post lists at most: the posts sharing the most tags and categories "
        "with it, newest first among equals. `0` lists none.",
    )
    link_previews: bool = _setting(
        True,
        rebuild="html",
        types=(bool,),
        validate=_flag,
        help="Show a post's title, date, category and summary when the reader points at or focuses a link "
        "to it (not on touch screens).",
    )
    search: bool = _setting(
        True,
        rebuild="html",
        types=(bool,),
        validate=_flag,
        help="Build the search page `/search/` with its Pagefind index (HTML builders), and lead tag and "
        "category links there. `False` keeps Sphinx's own search page and index instead.",
    )

    def __post_init__(self) -> None:
        for field in dc.fields(self):
            # Frozen: normalised values are set the way dataclasses set them.
            object.__setattr__(self, field.name, field.metadata["validate"](getattr(self, field.name)))

    @property
    def tzinfo(self) -> dt.tzinfo:
        """The zone of :attr:`timezone`, for dates written without an offset."""
        return site_timezone(self.timezone)


def _conf_py_form(value: object) -> Any:
    """*value* as ``conf.py`` gives it: a list where :class:`KbConfig` holds a tuple."""
    return list(value) if isinstance(value, tuple) else value


def _config_default(field: dc.Field[Any]) -> Any:
    # A list default lets `-D kb_article_names=a,b` split at commas (Sphinx converts by the default's type).
    return _conf_py_form(field.default)


def setup(app: Sphinx) -> None:
    """Register every field of :class:`KbConfig` as ``kb_<name>``, its check and the table directives."""
    for field in dc.fields(KbConfig):
        app.add_config_value(
            PREFIX + field.name,
            _config_default(field),
            field.metadata["rebuild"],
            types=frozenset(field.metadata["types"]),
            description=field.metadata["help"].replace("`", ""),
        )
    # Before Sphinx's own type check (priority 800), which then sees only valid values: one
    # warning per bad value, ours, at its line.
    app.connect("config-inited", check, priority=450)
    app.add_directive("kb-config-table", ConfigTable)
    app.add_directive("kb-warnings-table", WarningsTable)


def check(app: Sphinx, config: Config) -> None:
    """``config-inited``: validate the ``kb_*`` values; warn of each bad one and use its default."""
    conf_py = Path(app.confdir, "conf.py") if app.confdir else None

    def report(field: dc.Field[Any], value: object, error: Exception) -> None:
        name = PREFIX + field.name
        if name in config.overrides:
            # Given with -D (or confoverrides): no file to point at.
            location, source = None, " (given with -D)"
        else:
            location, source = _location(conf_py, name), ""
        warn(
            KbWarning.CONFIG,
            "%s = %r%s: %s; the default %r is used",
            name,
            value,
            source,
            error,
            _config_default(field),
            location=location,
        )

    checked = _from_config(config, report)
    setattr(config, _ATTRIBUTE, checked)
    # Code that reads `config.kb_*` sees the checked values too: defaults instead of bad values,
    # numbers instead of the text of `-D`, folders without outer `/`.
    for field in dc.fields(checked):
        value = _conf_py_form(getattr(checked, field.name))
        if config[PREFIX + field.name] != value:
            config[PREFIX + field.name] = value


def _from_config(config: Config, report: Callable[[dc.Field[Any], object, Exception], None] | None = None) -> KbConfig:
    """The settings of *config*; a bad value is passed to *report* and replaced by its default."""
    values = {}
    for field in dc.fields(KbConfig):
        name = PREFIX + field.name
        value = config[name]
        try:
            if isinstance(value, str) and name in config.overrides and field.metadata["from_text"]:
                value = field.metadata["from_text"](value)
            values[field.name] = field.metadata["validate"](value)
        except (TypeError, ValueError) as error:
            if report:
                report(field, config[name], error)
            values[field.name] = field.default
    return KbConfig(**values)


def _location(conf_py: Path | None, name: str) -> str | None:
    """``conf.py:<line>`` of the last line that assigns *name*, or ``conf.py:`` if there is none."""
    if conf_py is None:
        return None
    assignment = re.compile(rf"\s*{re.escape(name)}\s*(?::[^=]*)?=(?!=)")
    try:
        lines = conf_py.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        lines = []
    numbers = [number for number, line in enumerate(lines, start=1) if assignment.match(line)]
    # Sphinx's own form for a file without a line ends in ":", as a location must contain one.
    return f"{conf_py}:{numbers[-1]}" if numbers else f"{conf_py}:"


def kb_config(source: Sphinx | BuildEnvironment | Config) -> KbConfig:
    """The checked ``kb_*`` settings of an app, an environment or a config."""
    config = source if isinstance(source, Config) else source.config
    checked = getattr(config, _ATTRIBUTE, None)
    if checked is None:
        # Not pickled with the environment: rebuilt from values check() already corrected.
        checked = _from_config(config)
        setattr(config, _ATTRIBUTE, checked)
    return checked


# The guide's tables.

#: Code in help texts and docstrings: `x` (Markdown) or ``x`` (reStructuredText).
_CODE = re.compile(r"``(.+?)``|`([^`]+)`")


def _inline(text: str) -> list[nodes.Node]:
    """*text* as text nodes, with its code spans as literals (never parsed as markup otherwise)."""
    result: list[nodes.Node] = []
    position = 0
    for code in _CODE.finditer(text):
        result.append(nodes.Text(text[position : code.start()]))
        literal = code[1] or code[2]
        result.append(nodes.literal(literal, literal))
        position = code.end()
    result.append(nodes.Text(text[position:]))
    return [node for node in result if node.astext()]


def python(value: object) -> str:
    """*value* as it would be written in ``conf.py``: double-quoted strings, lists (the guide's
    table of settings, and the ``conf.py`` the importers write)."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(python(item) for item in value) + "]"
    return repr(value)


def _table(headers: list[str], rows: list[list[list[nodes.Node]]], classes: list[str]) -> nodes.table:
    """A docutils table: *rows* of cells, each cell a list of inline nodes."""
    table = nodes.table(classes=classes)
    group = nodes.tgroup(cols=len(headers))
    table += group
    group.extend(nodes.colspec(colwidth=1) for _ in headers)
    head, body = nodes.thead(), nodes.tbody()
    head += nodes.row("", *(nodes.entry("", nodes.paragraph("", header)) for header in headers))
    for cells in rows:
        body += nodes.row("", *(nodes.entry("", nodes.paragraph("", "", *cell)) for cell in cells))
    group += head
    group += body
    return table


def _code(text: str) -> list[nodes.Node]:
    return [nodes.literal(text, text)]


class ConfigTable(SphinxDirective):
    """``{kb-config-table}``: every ``kb_*`` setting, its type, default and meaning."""

    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {}

    def run(self) -> list[nodes.Node]:
        rows = [
            [
                _code(PREFIX + field.name),
                _code(field.metadata["shown_type"]),
                _code(python(_config_default(field))),
                _inline(field.metadata["help"]),
            ]
            for field in dc.fields(KbConfig)
        ]
        return [_table(["Setting", "Type", "Default", "Meaning"], rows, ["kb-config-table"])]


def member_docs(enum: type[Enum]) -> dict[str, str]:
    """The docstring under each member of *enum*, read from its source (Python keeps none)."""
    body = ast.parse(textwrap.dedent(inspect.getsource(enum))).body[0]
    assert isinstance(body, ast.ClassDef)
    docs = {}
    for statement, following in zip(body.body, body.body[1:], strict=False):
        if (
            isinstance(statement, ast.Assign)
            and isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
            and isinstance(following.value.value, str)
        ):
            for target in statement.targets:
                if isinstance(target, ast.Name):
                    docs[target.id] = inspect.cleandoc(following.value.value)
    return docs


class WarningsTable(SphinxDirective):
    """``{kb-warnings-table}``: every subtype of sphinx-kb's warnings and what it reports."""

    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {}

    def run(self) -> list[nodes.Node]:
        docs = member_docs(KbWarning)
        rows = [[_code(f"kb.{member.value}"), _inline(docs.get(member.name, ""))] for member in KbWarning]
        return [_table(["Subtype", "Reported when"], rows, ["kb-warnings-table"])]

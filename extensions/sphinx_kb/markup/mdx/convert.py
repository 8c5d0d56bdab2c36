"""Convert one MDX text to MyST Markdown, with a map from each output line to its source line.

What is converted (see :mod:`.components` for each component):

- ``import`` statements are read, never run: a default import of a ``.md``/``.mdx`` file names a
  *chapter*, inserted where its tag stands with MyST's ``{include}`` (so its warnings name the
  chapter file and editing it rebuilds the article); an import of an image names a file for
  ``<Image src={...}>``. ``export`` statements are reported and left out.
- Components become MyST directives; unknown ones are reported and their children kept.
- ``{/* comments */}`` disappear, ``{"strings"}`` become their text, other expressions are
  reported and left out. Lowercase elements are HTML and pass through (``<img>`` excepted).
- Everything else, including code and math, is copied unchanged.
"""

from __future__ import annotations

import itertools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ...content.frontmatter import body_headings
from ...content.paths import is_inside, near_misses
from ...problems import Problem
from . import components
from .lexer import Kind, Token, tokenize
from .tree import (
    JS_STRING,
    TEMPLATE_LITERAL,
    Element,
    Node,
    Writer,
    build_tree,
    dedent,
    one_line,
    prop_text,
    string_value,
    template_value,
)

_IMPORT = re.compile(
    r"import\s+(?:(?P<default>[\w$]+)\s*,?\s*)?(?:\{(?P<named>[^}]*)\}\s*)?(?:\*\s+as\s+(?P<star>[\w$]+)\s*)?"
    r"from\s*(?P<quote>['\"])(?P<path>[^'\"]+)(?P=quote)|import\s*(?P<q2>['\"])(?P<bare>[^'\"]+)(?P=q2)"
)
_STATEMENT_KEYWORD = re.compile(r"^(import|export)\b", re.MULTILINE)
_JS_COMMENT = re.compile(r"^\s*(/\*.*\*/|//[^\n]*)\s*$", re.DOTALL)
#: ``{name}`` right before a code span is a MyST role, left for MyST-Parser.
_ROLE_NAME = re.compile(r"^[A-Za-z][\w:.-]*$")
CHAPTER_SUFFIXES = (".md", ".mdx")


@dataclass(frozen=True)
class Import:
    """What an import statement binds a name to."""

    module: str
    #: ``default``, ``named`` or ``namespace``.
    kind: str
    line: int


@dataclass
class Conversion:
    """The MyST text, the source line of each of its lines, and what was found on the way."""

    text: str
    lines: list[int]
    problems: list[Problem] = field(default_factory=list)
    #: Chapter files inserted, as absolute paths.
    chapters: list[Path] = field(default_factory=list)


@dataclass
class Context:
    """Where the converted text lives, so relative paths can be resolved."""

    #: The file being converted.
    path: Path
    #: The Sphinx source folder; converted paths to files are written relative to it (``/...``).
    srcdir: Path
    #: Chapters that include this file, innermost last (to refuse cycles).
    including: tuple[Path, ...] = ()
    #: Where ``<HtmlEmbed src="x/y.html">`` is looked for first (``kb_embeds_dir``), as Astro does.
    embeds_dir: Path | None = None


class Converter:
    """Convert one MDX text; see :func:`convert`."""

    def __init__(self, context: Context) -> None:
        self.context = context
        self.imports: dict[str, Import] = {}
        self.problems: list[Problem] = []
        self.chapters: list[Path] = []
        self.text = ""

    # Entry point ------------------------------------------------------------------------------

    def convert(self, text: str, first_line: int = 1) -> Conversion:
        self.text = text
        tokens, problems = tokenize(text, first_line)
        self.problems.extend(problems)
        for token in tokens:
            if token.kind is Kind.ESM:
                self._read_statements(token)
        tree, problems = build_tree(tokens, text)
        self.problems.extend(problems)
        writer = Writer()
        self.render(tree, writer)
        lines = writer.result()
        output = "\n".join(line for line, _ in lines)
        return Conversion(output, [source for _, source in lines], self.problems, self.chapters)

    def problem(self, line: int, message: str, subtype: str | None = None) -> None:
        self.problems.append(Problem(line, message, subtype))

    # ES statements ----------------------------------------------------------------------------

    def _read_statements(self, token: Token) -> None:
        starts = [match.start() for match in _STATEMENT_KEYWORD.finditer(token.text)] + [len(token.text)]
        for begin, end in itertools.pairwise(starts):
            statement = token.text[begin:end].strip()
            line = token.line + token.text.count("\n", 0, begin)
            if statement.startswith("export"):
                self.problem(line, "export statements are not run; this one is left out")
                continue
            match = _IMPORT.match(statement)
            if match is None:
                self.problem(line, f"cannot read the import statement {statement.splitlines()[0]!r}")
                continue
            module = match["path"] or match["bare"]
            if match["default"]:
                self.imports[match["default"]] = Import(module, "default", line)
            if match["star"]:
                self.imports[match["star"]] = Import(module, "namespace", line)
            for name in (match["named"] or "").split(","):
                local = name.split(" as ")[-1].strip()
                if local:
                    self.imports[local] = Import(module, "named", line)

    # Rendering --------------------------------------------------------------------------------

    def render(self, nodes: list[Node], writer: Writer) -> None:
        for node in nodes:
            if isinstance(node, Element):
                self.render_element(node, writer)
            elif node.kind in (Kind.TEXT, Kind.VERBATIM):
                writer.write(node.text, node.line)
            elif node.kind is Kind.EXPRESSION:
                self._expression(node, writer)

    def _expression(self, token: Token, writer: Writer) -> None:
        inner = token.text[1:-1]
        if _ROLE_NAME.match(inner) and self.text.startswith("`", token.end):
            writer.write(token.text, token.line)
            return
        if not inner.strip() or _JS_COMMENT.match(inner):
            return
        string = JS_STRING.match(inner)
        if string:
            writer.write(string_value(string.group(1)), token.line, copied=False)
            return
        template = TEMPLATE_LITERAL.match(inner)
        if template:
            # Static text, like a string; copied, so each of its lines keeps its source line.
            writer.write(template_value(template.group(1)), token.line)
            return
        shown = " ".join(inner.split())
        shown = shown if len(shown) <= 40 else shown[:37] + "..."
        self.problem(token.line, f"the expression {{{shown}}} is not run; it is left out")

    def render_element(self, element: Element, writer: Writer) -> None:
        imported = self.imports.get(element.name)
        if imported and imported.kind == "default" and imported.module.endswith(CHAPTER_SUFFIXES):
            self.chapter(element, imported, writer)
            return
        handler = components.handler(element.name)
        if handler is not None:
            self._report_unread_props(element)
            handler(self, element, writer)
        elif element.name and element.name[0].islower():
            components.html(self, element, writer)
        else:
            if element.name:
                self.problem(element.line, f"unknown component <{element.name}>; its content is kept")
            self.render(element.children, writer)

    def _report_unread_props(self, element: Element) -> None:
        """Props whose value would have to be run (``title={t}``) are reported, then ignored."""
        for prop in element.open.props:
            if prop.name != "src" and prop.kind in ("expression", "spread") and prop_text(prop) is None:
                shown = f"{prop.name}={{{prop.value}}}" if prop.name else f"{{...{prop.value}}}"
                self.problem(prop.line, f"the prop {shown} of <{element.name}> is not run; it is left out")

    def render_children(self, element: Element) -> tuple[list[tuple[str, int]], int]:
        """The children of *element* as dedented lines, and the longest colon fence among them."""
        inner = Writer()
        self.render(element.children, inner)
        return dedent(inner.result()), inner.fence

    def directive(
        self,
        element: Element,
        writer: Writer,
        name: str,
        argument: str = "",
        *,
        options: dict[str, str] | None = None,
        body: list[tuple[str, int]] | None = None,
        inner_fence: int = 0,
    ) -> None:
        """Write *element* as a colon-fenced MyST directive around its children (or *body*, whose
        longest colon fence is *inner_fence*)."""
        fence_below = inner_fence
        if body is None:
            body, fence_below = self.render_children(element)
        fence = ":" * max(3, fence_below + 1)
        header = f"{fence}{{{name}}} {one_line(argument)}".rstrip()
        lines = [(header, element.line)]
        lines += [(f":{key}: {one_line(value)}".rstrip(), element.line) for key, value in (options or {}).items()]
        if body:
            lines.append(("", element.line))
            lines += body
        lines.append((fence, element.end_line))
        self.write_block(element, writer, lines)
        writer.fence = max(writer.fence, len(fence))

    def write_block(self, element: Element, writer: Writer, lines: list[tuple[str, int]]) -> None:
        """Write block *lines* at the indentation of *element*'s line, set apart by blank lines."""
        indent = self._indent_of(element)
        writer.start_block(element.line)
        writer.add_lines([(indent + text if text else "", source) for text, source in lines])
        writer.add_lines([("", element.end_line)])

    def _indent_of(self, element: Element) -> str:
        """The white space before *element* on its line, if nothing else is there."""
        start = element.open.start
        before = self.text[self.text.rfind("\n", 0, start) + 1 : start]
        return before if not before.strip() else ""

    # Files ------------------------------------------------------------------------------------

    def resolve(self, reference: str, line: int, what: str) -> str | None:
        """The site path (``/...``) of a file named relative to the converted file.

        URLs are returned as they are; a missing file, or one outside the site, is a problem.
        """
        if re.match(r"^[a-z][a-z0-9+.-]*:", reference) or reference.startswith("//"):
            return reference
        target = self._path(reference)
        try:
            relative = target.relative_to(self.context.srcdir)
        except ValueError:
            relative = None
        if relative is None or not is_inside(target, self.context.srcdir):
            # Also a file of the site that is a link to one outside it.
            self.problem(line, f"{what} {reference!r} is outside the site's source folder; it is left out", "path")
            return None
        if not target.is_file():
            message = f"{what} {reference!r} not found (looked for {relative.as_posix()})"
            names = near_misses(target, self.context.path.parent)
            if names:
                message += ". Did you mean " + " or ".join(repr(f"./{name}") for name in names[:3]) + "?"
            self.problem(line, message)
            return None
        return "/" + PurePosixPath(relative).as_posix()

    def resolve_embed(self, reference: str, line: int) -> str | None:
        """The site path of an embedded page: in the embeds folder, else next to this file."""
        if self.context.embeds_dir is not None and not re.match(r"^([a-z][a-z0-9+.-]*:|/|\.\.?/)", reference):
            target = Path(os.path.normpath(self.context.embeds_dir / reference))
            if target.is_file() and is_inside(target, self.context.srcdir):
                return "/" + target.relative_to(self.context.srcdir).as_posix()
            if not self._path(reference).is_file():
                tried = [target, self._path(reference)]
                shown = " and ".join(_shown(path, self.context.srcdir) for path in tried)
                self.problem(line, f"embedded page {reference!r} not found (looked for {shown})", "embed")
                return None
        return self.resolve(reference, line, "embedded page")

    def _path(self, reference: str) -> Path:
        """The file *reference* names: ``/...`` from the source folder, else from this file."""
        base = self.context.srcdir if reference.startswith("/") else self.context.path.parent
        return Path(os.path.normpath(base / reference.lstrip("/")))

    def chapter(self, element: Element, imported: Import, writer: Writer) -> None:
        """Insert a chapter file where its tag stands, with MyST's ``{include}``."""
        target = self._path(imported.module)
        if target == self.context.path or target in self.context.including:
            self.problem(element.line, f"chapter {imported.module!r} includes itself; it is left out")
            return
        site_path = self.resolve(imported.module, element.line, "chapter")
        if site_path is None:
            return
        if element.children:
            self.problem(element.line, f"<{element.name}> is a chapter; the content inside its tag is left out")
        # From the source folder: MyST reads other paths from the article's folder, even in a chapter.
        lines = [(f"```{{include}} {site_path}", element.line)]
        if _first_heading_level(target) == 1:
            lines.append((":heading-offset: 1", element.line))
        lines += [(":relative-images:", element.line), (":relative-docs: .", element.line), ("```", element.line)]
        self.write_block(element, writer, lines)
        self.chapters.append(target)


def _shown(path: Path, srcdir: Path) -> str:
    """*path* relative to the source folder, as a message names it."""
    try:
        return path.relative_to(srcdir).as_posix()
    except ValueError:
        return path.as_posix()


def _first_heading_level(path: Path) -> int | None:
    """The level of the first heading of a Markdown file, past front matter and code fences."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    return next((level for level, _title, _line in body_headings(text)), None)


def convert(text: str, context: Context, first_line: int = 1) -> Conversion:
    """Convert MDX *text* (without front matter) to MyST; see the module docstring.

    It does not raise on any input: what it cannot read is copied as text and reported in
    :attr:`Conversion.problems`.

    :param first_line: the line number of *text*'s first line in its file.
    """
    return Converter(context).convert(text, first_line)

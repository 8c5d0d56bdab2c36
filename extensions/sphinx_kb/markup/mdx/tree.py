"""Nest the lexer's tags into elements, and write text with a map back to source lines.

Elements nest at most :data:`MAX_DEPTH` deep. Each one becomes a MyST directive, and MyST-Parser
and docutils read nested directives by recursion: a few hundred levels exhaust Python's stack
and stop the whole build. Tags opened deeper than that are left out, with one problem at the
first of them, and what they hold is kept in the innermost element that is kept.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from ...problems import Problem
from .lexer import Kind, Prop, Token

#: A JavaScript string literal, alone.
JS_STRING = re.compile(r"""^\s*("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')\s*$""")

#: A JavaScript template literal without ``${...}`` substitutions: a static string.
TEMPLATE_LITERAL = re.compile(r"^\s*`((?:[^`\\$]|\\.|\$(?!\{))*)`\s*$", re.DOTALL)
#: What a backslash escape in a template literal stands for (others stand for the character itself).
_TEMPLATE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r"}

#: HTML elements that never have children, even when written without ``/>``.
VOID_ELEMENTS = frozenset({"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"})


@dataclass
class Element:
    """A JSX element: its opening tag, children and closing tag (``None`` if self-closing)."""

    name: str
    open: Token
    close: Token | None
    children: list[Node] = field(default_factory=list)
    #: The element fills whole lines: its opening tag starts a line and its end ends one.
    block: bool = False

    @property
    def props(self) -> dict[str, Prop]:
        return {prop.name: prop for prop in self.open.props if prop.name}

    @property
    def line(self) -> int:
        return self.open.line

    @property
    def end_line(self) -> int:
        return (self.close or self.open).line + (self.close or self.open).text.count("\n")


Node = Token | Element

#: How deep components and HTML elements may nest; a real article rarely goes past five.
MAX_DEPTH = 50


def build_tree(tokens: list[Token], text: str) -> tuple[list[Node], list[Problem]]:
    """Nest *tokens* (from *text*) into elements; unclosed, stray and too deep tags are problems."""
    builder = _TreeBuilder(text)
    for token in tokens:
        builder.add(token)
    return builder.finish()


class _TreeBuilder:
    """The state of :func:`build_tree`: the open elements, innermost last."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.root: list[Node] = []
        self.stack: list[Element] = []
        self.problems: list[Problem] = []
        #: Names of the tags left out for being too deep that are still open.
        self.too_deep: list[str] = []
        self.reported_depth = False

    def add(self, token: Token) -> None:
        children = self.stack[-1].children if self.stack else self.root
        opens = token.kind is Kind.OPEN and not token.self_closing and token.name.lower() not in VOID_ELEMENTS
        if opens and len(self.stack) >= MAX_DEPTH:
            self._too_deep(token)
        elif token.kind is Kind.CLOSE and token.name in self.too_deep:
            while self.too_deep.pop() != token.name:
                pass
        elif token.kind is Kind.OPEN:
            element = Element(token.name, token, None)
            children.append(element)
            if opens:
                self.stack.append(element)
            else:
                element.block = _alone(self.text, token.start, token.end)
        elif token.kind is Kind.CLOSE:
            self._close(token)
        else:
            children.append(token)

    def _too_deep(self, token: Token) -> None:
        if not self.reported_depth:
            self.reported_depth = True
            message = f"components nest more than {MAX_DEPTH} deep; <{token.name}> and the tags inside it are left out"
            self.problems.append(Problem(token.line, message + ", their text is kept"))
        self.too_deep.append(token.name)

    def _close(self, token: Token) -> None:
        if not any(element.name == token.name for element in self.stack):
            self.problems.append(Problem(token.line, f"</{token.name}> closes nothing; it is left out"))
            return
        while self.stack[-1].name != token.name:
            unclosed = self.stack.pop()
            self.problems.append(Problem(unclosed.line, f"<{unclosed.name}> is never closed"))
        element = self.stack.pop()
        element.close = token
        element.block = _alone(self.text, element.open.start, token.end)

    def finish(self) -> tuple[list[Node], list[Problem]]:
        while self.stack:
            unclosed = self.stack.pop()
            self.problems.append(Problem(unclosed.line, f"<{unclosed.name}> is never closed; it ends with the file"))
        return self.root, self.problems


def _alone(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] has only white space before it and after it on its lines."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    after = text[end:] if line_end < 0 else text[end:line_end]
    return not text[line_start:start].strip() and not after.strip()


class Writer:
    """Text written piece by piece, remembering the source line of every output line."""

    def __init__(self) -> None:
        self.lines: list[tuple[str, int]] = []
        self._partial = ""
        self._partial_line: int | None = None
        #: The longest colon fence written, so an enclosing directive can use a longer one.
        self.fence = 0

    def write(self, text: str, line: int, copied: bool = True) -> None:
        """Write *text* that starts at source *line*; copied text advances a line per newline."""
        for index, piece in enumerate(text.split("\n")):
            source = line + index if copied else line
            if index:
                self._end_line(source - 1 if copied else source)
            if self._partial_line is None and (piece or index):
                self._partial_line = source
            self._partial += piece

    def _end_line(self, source: int) -> None:
        self.lines.append((self._partial, self._partial_line if self._partial_line is not None else source))
        self._partial = ""
        self._partial_line = None

    @property
    def at_line_start(self) -> bool:
        return not self._partial

    def start_block(self, line: int) -> None:
        """Finish the current line and leave a blank line, so a block can start."""
        if not self.at_line_start:
            self._end_line(line)
        if self.lines and self.lines[-1][0].strip():
            self.lines.append(("", line))

    def add_lines(self, lines: list[tuple[str, int]]) -> None:
        if not self.at_line_start:
            self._end_line(lines[0][1] if lines else 0)
        self.lines.extend(lines)

    def paragraph_start(self) -> int:
        """Index in :attr:`lines` where the paragraph being written began."""
        index = len(self.lines)
        while index > 0 and self.lines[index - 1][0].strip():
            index -= 1
        return index

    def result(self) -> list[tuple[str, int]]:
        """Every line written, the unfinished one included."""
        lines = list(self.lines)
        if self._partial or self._partial_line is not None or not lines:
            lines.append((self._partial, self._partial_line or (lines[-1][1] if lines else 1)))
        return lines


def dedent(lines: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Remove the indentation common to all non-blank lines, and blank lines at both ends.

    MDX ignores indentation inside components; Markdown would read four spaces as code.
    """
    while lines and not lines[0][0].strip():
        lines = lines[1:]
    while lines and not lines[-1][0].strip():
        lines = lines[:-1]
    widths = [len(text) - len(text.lstrip()) for text, _ in lines if text.strip()]
    cut = min(widths, default=0)
    return [(text[cut:] if text.strip() else "", source) for text, source in lines]


def one_line(text: str) -> str:
    """*text* with its white space runs, newlines included, made single spaces."""
    return " ".join(str(text).split())


def prop_text(prop: Prop | None) -> str | None:
    """A prop's value as text: strings as written, simple expressions (``{600}``, ``{"x"}``) read.

    ``None`` for a missing prop or an expression that would have to be run.
    """
    if prop is None:
        return None
    if prop.kind in ("string", "boolean"):
        return prop.value
    string = JS_STRING.match(prop.value)
    if string:
        return string_value(string.group(1))
    template = TEMPLATE_LITERAL.match(prop.value)
    if template:
        return template_value(template.group(1))
    if re.fullmatch(r"-?\d+(\.\d+)?|true|false", prop.value.strip()):
        return prop.value.strip()
    return None


def string_value(literal: str) -> str:
    """The value of a JavaScript string literal (read as JSON; JS-only escapes kept as written)."""
    body = literal[1:-1]
    if literal.startswith("'"):
        body = body.replace("\\'", "'").replace('"', '\\"')
    try:
        return json.loads(f'"{body}"')
    except ValueError:
        return literal[1:-1]


def template_value(body: str) -> str:
    """The value of a template literal's *body* (between the backticks) that has no ``${...}``:
    static text, which MDX authors write for multi-line props (``desc={`...`}``)."""
    return re.sub(r"\\(.)", lambda m: _TEMPLATE_ESCAPES.get(m.group(1), m.group(1)), body, flags=re.DOTALL)

"""Split MDX into tokens: text, verbatim spans, JSX tags, expressions and ES statements.

The lexer reads MDX the way MDX does, closely enough for real articles: fenced and inline code,
``$``/``$$`` math and HTML comments are *verbatim* (nothing inside them is interpreted), ``<Name
...>`` and ``</Name>`` are tags with their props (``"strings"``, ``'strings'``, ``{expressions}``,
bare booleans; tags may span lines), ``{...}`` in prose is a JavaScript expression, and lines
starting with ``import``/``export`` are ES statements. JavaScript is only scanned for its
brackets, strings and comments, never run.

It never fails: text that cannot be a tag or an expression (``a < b``, a lone ``{``) is kept as
text, with a :class:`Problem` when it looks like a mistake.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from ...problems import Problem


class Kind(Enum):
    TEXT = "text"
    #: Code, math or an HTML comment: passed on unchanged.
    VERBATIM = "verbatim"
    OPEN = "open"
    CLOSE = "close"
    EXPRESSION = "expression"
    #: An ``import``/``export`` block.
    ESM = "esm"


@dataclass(frozen=True)
class Prop:
    """A prop of a JSX tag. ``kind`` is ``string``, ``expression``, ``boolean`` or ``spread``."""

    name: str
    kind: str
    value: str
    line: int


@dataclass
class Token:
    kind: Kind
    #: The token's text in the source.
    text: str
    #: 1-based line where the token starts.
    line: int
    #: Offset of the token in the source.
    start: int = 0
    name: str = ""
    props: list[Prop] = field(default_factory=list)
    self_closing: bool = False

    @property
    def end(self) -> int:
        return self.start + len(self.text)


_FENCE = re.compile(r"[ \t>]*(`{3,}|~{3,})")
#: A LaTeX environment on its own, which MyST-Parser's ``amsmath`` reads as display math.
_AMS_BEGIN = re.compile(
    r"[ \t]*\\begin\{(equation|multline|gather|align|alignat|flalign|matrix|pmatrix|bmatrix|Bmatrix|vmatrix"
    r"|Vmatrix|eqnarray)(\*?)\}"
)
#: The first line of an ES statement; MDX takes every line up to the next blank one.
_ESM = re.compile(r"import\s+(?:[\w$]+|\{|\*|['\"])|export\s+(?:const|let|var|function|async|class|default|\{|\*)")
_NAME = re.compile(r"[A-Za-z_$][\w$.:-]*")
_AUTOLINK = re.compile(r"<[A-Za-z][\w+.-]*:[^\s<>]*>|<[^\s<>@]+@[^\s<>@]+>")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_SPECIAL = re.compile(r"[\\`$<{\n]")
_SPACE = re.compile(r"\s*")
_BACKTICKS = re.compile(r"`+")


class Lexer:
    """Tokenize one MDX text. Use :func:`tokenize`."""

    def __init__(self, text: str, first_line: int = 1) -> None:
        self.text = text
        self.first_line = first_line
        self.tokens: list[Token] = []
        self.problems: list[Problem] = []
        self._text_start: int | None = None
        #: Offsets of the newlines of the text.
        self._newlines = [match.start() for match in re.finditer("\n", text)]

    def line_at(self, position: int) -> int:
        # By bisection: counting newlines from the start for each token is quadratic in big files.
        return self.first_line + bisect.bisect_left(self._newlines, position)

    def run(self) -> list[Token]:
        position = 0
        size = len(self.text)
        while position < size:
            if position == 0 or self.text[position - 1] == "\n":
                end = self._line_start(position)
                if end is not None:
                    position = end
                    continue
            position = self._step(position)
        self._flush(size)
        return self.tokens

    # Tokens ---------------------------------------------------------------------------------

    def _emit(self, kind: Kind, start: int, end: int, **extra: Any) -> None:
        self._flush(start)
        self.tokens.append(Token(kind, self.text[start:end], self.line_at(start), start, **extra))

    def _text(self, position: int) -> None:
        if self._text_start is None:
            self._text_start = position

    def _flush(self, end: int) -> None:
        if self._text_start is not None and self._text_start < end:
            start = self._text_start
            self.tokens.append(Token(Kind.TEXT, self.text[start:end], self.line_at(start), start))
        self._text_start = None

    def _problem(self, position: int, message: str) -> None:
        self.problems.append(Problem(self.line_at(position), message))

    # Line-level constructs ------------------------------------------------------------------

    def _line_start(self, position: int) -> int | None:
        """Code fences, LaTeX environments and ES statements, which only start a line."""
        fence = _FENCE.match(self.text, position)
        if fence:
            end = self._fence_end(fence.end(), fence.group(1))
            self._emit(Kind.VERBATIM, position, end)
            return end
        environment = _AMS_BEGIN.match(self.text, position)
        if environment:
            closing = f"\\end{{{environment.group(1)}{environment.group(2)}}}"
            end = self.text.find(closing, environment.end())
            if end >= 0:
                line_end = self.text.find("\n", end)
                end = len(self.text) if line_end < 0 else line_end + 1
                self._emit(Kind.VERBATIM, position, end)
                return end
        if _ESM.match(self.text, position):
            blank = _BLANK_LINE.search(self.text, position)
            end = blank.start() + 1 if blank else len(self.text)
            self._emit(Kind.ESM, position, end)
            return end
        return None

    def _fence_end(self, after_opening: int, marker: str) -> int:
        """The end of a fenced code block: after its closing line, or the end of the text."""
        closing = re.compile(rf"^[ \t>]*{re.escape(marker[0])}{{{len(marker)},}}[ \t]*$", re.MULTILINE)
        line_end = self.text.find("\n", after_opening)
        if line_end < 0:
            return len(self.text)
        match = closing.search(self.text, line_end + 1)
        if match is None:
            return len(self.text)
        return min(match.end() + 1, len(self.text))

    # Character-level constructs ---------------------------------------------------------------

    def _step(self, position: int) -> int:
        char = self.text[position]
        if char == "\\" and position + 1 < len(self.text):
            self._text(position)
            return position + 2
        if char == "`":
            return self._code_span(position)
        if char == "$":
            return self._math(position)
        if char == "<":
            return self._angle(position)
        if char == "{":
            return self._expression(position)
        if char == "\n":
            self._text(position)
            return position + 1
        special = _SPECIAL.search(self.text, position + 1)
        self._text(position)
        return special.start() if special else len(self.text)

    def _paragraph_end(self, position: int) -> int:
        blank = _BLANK_LINE.search(self.text, position)
        return blank.start() if blank else len(self.text)

    def _code_span(self, position: int) -> int:
        backticks = _BACKTICKS.match(self.text, position)
        assert backticks is not None, "called at a backtick"
        run = backticks.group(0)
        limit = self._paragraph_end(position)
        closing = re.compile(rf"(?<!`){run}(?!`)")
        match = closing.search(self.text, position + len(run), limit)
        if match is None:
            self._text(position)
            return position + len(run)
        self._emit(Kind.VERBATIM, position, match.end())
        return match.end()

    def _math(self, position: int) -> int:
        """``$$...$$`` (may span paragraphs) or ``$...$`` (within a paragraph), as MyST reads them."""
        if self.text.startswith("$$", position):
            end = self.text.find("$$", position + 2)
            if end < 0:
                self._text(position)
                return position + 2
            self._emit(Kind.VERBATIM, position, end + 2)
            return end + 2
        limit = self._paragraph_end(position)
        end = position + 1
        while end < limit:
            if self.text[end] == "\\":
                end += 2
                continue
            if self.text[end] == "$":
                if end > position + 1:
                    self._emit(Kind.VERBATIM, position, end + 1)
                    return end + 1
                break
            end += 1
        self._text(position)
        return position + 1

    def _angle(self, position: int) -> int:
        if self.text.startswith("<!--", position):
            end = self.text.find("-->", position + 4)
            if end >= 0:
                self._emit(Kind.VERBATIM, position, end + 3)
                return end + 3
        autolink = _AUTOLINK.match(self.text, position)
        if autolink:
            self._text(position)
            return autolink.end()
        following = self.text[position + 1 : position + 2]
        if following and (following.isalpha() or following in "/>"):
            tag = _TagReader(self, position).read()
            if tag is not None:
                return tag
            self._problem(position, "'<' does not start a valid JSX tag here; it is kept as text")
        self._text(position)
        return position + 1

    def _expression(self, position: int) -> int:
        end = scan_braces(self.text, position)
        if end is None:
            self._problem(position, "'{' is never closed; it is kept as text (write \\{ for a brace)")
            self._text(position)
            return position + 1
        self._emit(Kind.EXPRESSION, position, end)
        return end


class _TagReader:
    """Read one JSX tag starting at ``<``; ``None`` if the text there is not a tag."""

    def __init__(self, lexer: Lexer, start: int) -> None:
        self.lexer = lexer
        self.text = lexer.text
        self.start = start
        self.position = start + 1

    def read(self) -> int | None:
        closing = self._skip("/")
        self._space()
        name_match = _NAME.match(self.text, self.position)
        name = name_match.group(0) if name_match else ""
        if name_match:
            self.position = name_match.end()
        props: list[Prop] = []
        while True:
            if not self._space():
                return None
            if self._skip("/>"):
                if closing:
                    return None
                return self._done(Kind.OPEN, name, props, self_closing=True)
            if self._skip(">"):
                return self._done(Kind.CLOSE if closing else Kind.OPEN, name, props)
            if closing or not name:
                return None
            prop = self._prop()
            if prop is None:
                return None
            props.append(prop)

    def _done(self, kind: Kind, name: str, props: list[Prop], self_closing: bool = False) -> int:
        self.lexer._emit(kind, self.start, self.position, name=name, props=props, self_closing=self_closing)
        return self.position

    def _skip(self, literal: str) -> bool:
        if self.text.startswith(literal, self.position):
            self.position += len(literal)
            return True
        return False

    def _space(self) -> bool:
        """Skip white space; a blank line inside a tag means it was not a tag."""
        match = _SPACE.match(self.text, self.position)
        assert match is not None, "\\s* matches anywhere"
        if "\n" in match.group(0) and _BLANK_LINE.search(match.group(0)):
            return False
        self.position = match.end()
        return self.position < len(self.text)

    def _prop(self) -> Prop | None:
        line = self.lexer.line_at(self.position)
        if self.text.startswith("{", self.position):
            end = scan_braces(self.text, self.position)
            if end is None:
                return None
            value = self.text[self.position + 1 : end - 1].strip()
            self.position = end
            return Prop("", "spread", value.removeprefix("...").strip(), line)
        name_match = _NAME.match(self.text, self.position)
        if name_match is None:
            return None
        self.position = name_match.end()
        after_name = self.position
        self._space()
        if not self._skip("="):
            self.position = after_name
            return Prop(name_match.group(0), "boolean", "true", line)
        self._space()
        quote = self.text[self.position : self.position + 1]
        if quote in ('"', "'"):
            end = self.text.find(quote, self.position + 1)
            if end < 0:
                return None
            value = self.text[self.position + 1 : end]
            self.position = end + 1
            return Prop(name_match.group(0), "string", value, line)
        if quote == "{":
            end = scan_braces(self.text, self.position)
            if end is None:
                return None
            value = self.text[self.position + 1 : end - 1].strip()
            self.position = end
            return Prop(name_match.group(0), "expression", value, line)
        return None


def scan_braces(text: str, start: int) -> int | None:
    """The end of the ``{...}`` expression opening at *start*, skipping JS strings and comments.

    ``None`` if the braces never balance.
    """
    depth = 0
    position = start
    size = len(text)
    while position < size:
        char = text[position]
        if char in "\"'`":
            position = _string_end(text, position)
            if position < 0:
                return None
            continue
        if text.startswith("//", position):
            newline = text.find("\n", position)
            position = size if newline < 0 else newline
            continue
        if text.startswith("/*", position):
            close = text.find("*/", position + 2)
            if close < 0:
                return None
            position = close + 2
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return position + 1
        position += 1
    return None


def _string_end(text: str, start: int) -> int:
    """The position after the JS string literal opening at *start*, or -1."""
    quote = text[start]
    position = start + 1
    while position < len(text):
        char = text[position]
        if char == "\\":
            position += 2
            continue
        if char == quote:
            return position + 1
        if char == "\n" and quote != "`":
            return -1
        position += 1
    return -1


def tokenize(text: str, first_line: int = 1) -> tuple[list[Token], list[Problem]]:
    """Split *text* into tokens; *first_line* is the line number of its first line."""
    lexer = Lexer(text, first_line)
    return lexer.run(), lexer.problems

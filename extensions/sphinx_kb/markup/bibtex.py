"""Read every entry of the site's BibTeX files, whatever else a file holds.

sphinxcontrib-bibtex parses ``bibtex_bibfiles`` with pybtex, whose parser is strict by default:
the first problem in a file (a key defined twice, an undefined ``@string`` such as ``month =
Sept``) raises, and every entry after it is lost, so every later citation is "in no BibTeX file".
sphinxcontrib-bibtex offers no setting for this, so :func:`setup` replaces the one name it parses
with, ``sphinxcontrib.bibtex.bibfile.Parser``, by :class:`LocatedParser`:

- problems are collected (``pybtex.errors.capture``) instead of raised, so pybtex goes on with
  the rest of the file as it does in its non-strict mode: a repeated key keeps the first entry, an
  undefined macro reads as empty text, a broken entry is skipped up to the next ``@``;
- each problem is then a ``kb.citation`` warning at its file and line (pybtex's own messages name
  no line, or a line inside a message);
- a repeated key is left to :func:`.citations.check_bibfiles`, which reports it at both lines on
  every build, so it is not reported twice.

The replacement is global to the process but only changes how errors are reported: an entry
pybtex reads is read the same way.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pybtex.errors
from pybtex.database import BibliographyDataError
from pybtex.database.input.bibtex import DuplicateField, Parser
from pybtex.scanner import PybtexSyntaxError

from ..warnings_ import KbWarning, warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: pybtex's message for a key defined twice (``BibliographyData.add_entry``).
_REPEATED = re.compile(r"^repeated bibliography entry: (?P<key>.+)$")
#: pybtex's message for a field given twice in one entry (:class:`DuplicateField`).
_DUPLICATE_FIELD = re.compile(r"^entry with key (?P<key>\S+) has a duplicate (?P<field>\S+) field$")


class LocatedParser(Parser):
    """pybtex's BibTeX parser, going on past a bad entry and reporting each problem at its line."""

    def parse_file(self, filename: Any, file_suffix: str | None = None) -> Any:
        with pybtex.errors.capture() as problems:
            data = super().parse_file(filename, file_suffix)
        path = Path(filename)
        text: str | None = None
        for problem in problems:
            if isinstance(problem, BibliographyDataError) and _REPEATED.match(str(problem)):
                continue  # reported with both lines by citations.check_bibfiles
            if text is None:
                text = _read(path, self.encoding)
            message, line = describe(problem, text)
            warn(KbWarning.CITATION, "%s", message, location=f"{path}:{line}" if line else str(path))
        return data


def describe(problem: Exception, text: str) -> tuple[str, int | None]:
    """A reader's message for one of pybtex's *problem* in a file of *text*, and its line."""
    if isinstance(problem, PybtexSyntaxError):
        # str() would repeat the line ("syntax error in line 7: ..."); the location has it.
        message = problem.args[0] if problem.args else str(problem)
        if problem.error_type == "undefined string":
            message = (
                f"BibTeX string {message!r} is not defined (no @string gives it); "
                "the field is left empty and the entry is kept"
            )
        else:
            message = f"BibTeX {problem.error_type}: {message}; the entry is skipped"
        return message, problem.lineno
    if isinstance(problem, DuplicateField):
        match = _DUPLICATE_FIELD.match(str(problem))
        if match:
            message = f"BibTeX entry {match['key']!r} has the field {match['field']!r} twice; the first is used"
            return message, entry_line(text, match["key"])
    return f"BibTeX: {problem}", None


def entry_line(text: str, key: str) -> int | None:
    """The line of the first entry of *text* with *key* (keys match without case)."""
    match = re.search(rf"@\s*\w+\s*[{{(]\s*{re.escape(key)}\s*,", text, re.IGNORECASE)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _read(path: Path, encoding: str | None) -> str:
    try:
        return path.read_text(encoding=encoding or "utf-8-sig", errors="replace")
    except OSError:
        return ""


def setup(app: Sphinx) -> None:
    """Parse the BibTeX files with :class:`LocatedParser` (sphinxcontrib-bibtex is set up first)."""
    from sphinxcontrib.bibtex import bibfile

    # The one place sphinxcontrib-bibtex makes a parser (`parse_bibdata`); see the module docstring.
    bibfile.Parser = LocatedParser

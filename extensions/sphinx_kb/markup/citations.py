"""Pandoc-style citations, cited against the site's BibTeX files with sphinxcontrib-bibtex.

.. code-block:: md

   Attention [@vaswani2017] replaced recurrence [see @bahdanau2015, sec. 3; @luong2015].

becomes ``{cite:p}`posts/x:vaswani2017``` and so on, and every page ends with a "References"
section listing what it cites. Each page's citations carry a key prefix of its own, so two
posts may cite the same work without sphinxcontrib-bibtex's "duplicate citation" warning.

A key that is in no BibTeX file is a warning at its file and line (chapters included) and the
citation stays as written; a key defined twice in the BibTeX files is a warning at the second
definition. The conversion keeps every line where it was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform

from ..blog.domain import store
from ..i18n import labels, page_language
from ..problems import Problem
from ..warnings_ import KbWarning, warn
from .mdx.lexer import Kind, tokenize
from .mdx.reader import original_line

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinx.application import Sphinx


_CITATION = re.compile(r"\[(?P<body>[^\[\]\n]*-?@\w[^\[\]]*)\](?![\[(])")
_ITEM = re.compile(r"^\s*(?P<pre>.*?)\s*(?P<minus>-?)@(?P<key>\w(?:[\w:.#$%&+?<>~/-]*\w)?)(?P<post>.*?)\s*$", re.DOTALL)
#: A citation role, or an include whose chapter may hold citations.
_MAY_CITE = re.compile(r"\{cite(?::\w+)?\}|\{include\}")
_BIB_ENTRY = re.compile(r"^\s*@(?!comment|preamble|string)\w+\s*[{(]\s*([^,\s]+)\s*,", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True)
class Citations:
    """How to convert the citations of one page."""

    #: Prepended to every key, unique to the page.
    prefix: str
    #: Whether a key is in the site's BibTeX files (``None``: no BibTeX files are configured).
    known: Callable[[str], bool] | None


def convert(text: str, citations: Citations, first_line: int = 1) -> tuple[str, list[Problem]]:
    """Replace the Pandoc citations in the prose of *text* (not in code or math) by roles."""
    problems: list[Problem] = []
    if not _CITATION.search(text):
        # Most pages cite nothing; they need not be tokenized.
        return text, problems
    tokens, _lexer_problems = tokenize(text, first_line)
    parts = []
    for token in tokens:
        if token.kind is not Kind.TEXT or "@" not in token.text:
            parts.append(token.text)
            continue

        def replace(match: re.Match[str], token_line: int = token.line, token_text: str = token.text) -> str:
            line_start = token_text.rfind("\n", 0, match.start()) + 1
            if token_text.startswith(":", match.end()) and not token_text[line_start : match.start()].strip():
                return match.group(0)
            line = token_line + token_text.count("\n", 0, match.start())
            return _role(match, citations, line, problems)

        parts.append(_CITATION.sub(replace, token.text))
    return "".join(parts), problems


def _role(match: re.Match[str], citations: Citations, line: int, problems: list[Problem]) -> str:
    targets = []
    year_only = False
    for part in match["body"].split(";"):
        item = _ITEM.match(part)
        if item is None or "@" in item["pre"]:
            return match.group(0)
        key = item["key"]
        if citations.known is None:
            problems.append(Problem(line, f"citation @{key}: the site has no bibtex_bibfiles; it stays as text"))
            return match.group(0)
        if not citations.known(key):
            problems.append(Problem(line, f"citation @{key} is in no BibTeX file; it stays as text"))
            return match.group(0)
        year_only = year_only or bool(item["minus"])
        pre, post = _note(item["pre"]), _note(item["post"].lstrip(", "))
        targets.append(f"{'{' + pre + '}' if pre else ''}{citations.prefix}{key}{'{' + post + '}' if post else ''}")
    role = "cite:yearpar" if year_only else "cite:p"
    return f"{{{role}}}`{','.join(targets)}`"


def _note(text: str) -> str:
    """Pre- or post-text of a citation, without the characters the role cannot hold."""
    return " ".join(text.translate({ord(c): None for c in "{}`"}).split())


def bibliography(prefix: str) -> str:
    """The MyST that lists a page's citations, appended to it; :class:`References` titles it
    (or removes it when the page cites nothing)."""
    return f"\n\n```{{bibliography}}\n:filter: docname in docnames\n:keyprefix: {prefix}\n```\n"


def prefix(docname: str) -> str:
    return f"{docname}:"


def known_keys(app: Sphinx) -> Callable[[str], bool] | None:
    """A test of whether a key is in the site's BibTeX files; ``None`` without BibTeX files."""
    if not app.config.bibtex_bibfiles:
        return None
    entries = app.env.get_domain("cite").bibdata.data.entries  # type: ignore[attr-defined]
    return lambda key: key in entries


def convert_source(app: Sphinx, docname: str, source: list[str]) -> None:
    """``source-read``: convert the citations of a MyST page and give it its bibliography."""
    path = Path(app.env.doc2path(docname))
    if path.suffix not in (".md", ".mdx"):
        return
    page = Citations(prefix(docname), known_keys(app))
    source[0] = _convert_file(app, path, source[0], page)
    if page.known is not None and _MAY_CITE.search(source[0]):
        # sphinxcontrib-bibtex formats every bibliography of the site on every build: a page that
        # cites nothing gets none. Included chapters are read later and may cite.
        source[0] += bibliography(page.prefix)


def convert_chapter(app: Sphinx, path: Path, content: list[str]) -> None:
    """Convert the citations of a chapter, with the key prefix of the page including it."""
    content[0] = _convert_file(app, path, content[0], Citations(prefix(app.env.docname), known_keys(app)))


def _convert_file(app: Sphinx, path: Path, text: str, page: Citations) -> str:
    """Convert and report the citations of one file, at the lines its author wrote."""
    text, problems = convert(text, page)
    maps = store(app.env).line_maps(app.env.docname)
    for problem in problems:
        line = original_line(maps, str(path), problem.line)
        warn(KbWarning.CITATION, problem.message, location=f"{path}:{line}")
    return text


def check_bibfiles(app: Sphinx) -> None:
    """``builder-inited``: report a key defined twice in the BibTeX files, at its line."""
    seen: dict[str, tuple[Path, int]] = {}
    for name in app.config.bibtex_bibfiles or ():
        path = Path(app.confdir, name)
        if not path.is_file():
            continue
        text = path.read_text(encoding=app.config.bibtex_encoding)
        for match in _BIB_ENTRY.finditer(text):
            key = match.group(1).lower()
            line = text.count("\n", 0, match.start(1)) + 1
            if key in seen:
                first, first_line = seen[key]
                warn(
                    KbWarning.CITATION,
                    "BibTeX key %r is defined again (first in %s, line %d); the first entry is used",
                    match.group(1),
                    first.name,
                    first_line,
                    location=f"{path}:{line}",
                )
            else:
                seen[key] = (path, line)


class References(SphinxTransform):
    """Title the bibliography of a page that cites something "References"; drop it otherwise."""

    default_priority = 700

    def apply(self, **kwargs: Any) -> None:
        from sphinxcontrib.bibtex.nodes import bibliography

        found = list(self.document.findall(bibliography))
        if not found or not self.config.bibtex_bibfiles:
            return
        listing = found[-1]  # the one convert_source appended
        listing.parent.remove(listing)
        if not any(node.get("refdomain") == "cite" for node in self.document.findall(addnodes.pending_xref)):
            return
        section = nodes.section(names=["references"])
        section += nodes.title("", labels(page_language(self.env, self.env.docname))("References"))
        self.document.set_id(section, suggested_prefix="references")
        section += listing
        top = next(iter(self.document.findall(nodes.section)), self.document)
        top += section


def setup(app: Sphinx) -> None:
    """Check the BibTeX files and title each page's references (the text steps are in the
    reading pipeline)."""
    app.connect("builder-inited", check_bibfiles)
    app.add_transform(References)

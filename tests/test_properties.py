"""Property tests: the readers of author text return a result and problems on any text, never raise."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from sphinx_kb.content import dates, frontmatter
from sphinx_kb.markup.mdx.convert import Context, convert

SETTINGS = settings(max_examples=300, deadline=None)

#: Text built from the pieces front matter, MDX and dates are made of, so examples reach the
#: interesting paths more often than random characters would.
PIECES = st.sampled_from(
    [
        "---",
        "...",
        "\n",
        "\r\n",
        ": ",
        "- ",
        "&a ",
        "*a",
        "<<: ",
        "[",
        "]",
        "{",
        "}",
        "'",
        '"',
        "#",
        "!!binary ",
        "title",
        "date",
        "tags",
        "draft",
        "2025-12-11",
        "16:09:34+0800",
        "May. 04, 2026",
        "\t",
        "  ",
        "<Note>",
        "</Note>",
        "<Image src={img} />",
        '<HtmlEmbed src="x.html" />',
        "import A from './a.mdx'",
        "export const x = 1",
        "```",
        "$$",
        "$",
        "`",
        "<!--",
        "-->",
        "{/* c */}",
        "\\",
        "<",
        ">",
        "/>",
        "\ufeff",
        # Line breaks for Python's `splitlines`, not for Markdown.
        "\r",
        "\x0b",
        "\u2028",
        "\x85",
    ]
)
TEXT = st.one_of(st.text(), st.lists(st.one_of(PIECES, st.text(max_size=5)), max_size=40).map("".join))


@SETTINGS
@given(TEXT)
def test_front_matter_reader_never_raises(text):
    meta, problems = frontmatter.read(text, dt.UTC)
    assert isinstance(meta, frontmatter.FrontMatter)
    assert all(isinstance(problem.line, int) and problem.line >= 1 for problem in problems)
    # What MyST is given keeps every line of the body where it was.
    normalized = frontmatter.normalized_source(text, meta)
    block = frontmatter.find_block(text)
    body_start = block.end_line if block else int(frontmatter.has_unclosed_block(text))
    lines, written = frontmatter.split_lines(normalized), frontmatter.split_lines(text)
    assert len(lines) == len(written) or normalized == ""
    assert lines[body_start:] == written[body_start:]


@SETTINGS
@given(st.one_of(TEXT, st.dates(), st.datetimes(), st.integers(), st.none(), st.floats()))
def test_date_parser_returns_a_date_or_says_why(value):
    try:
        moment = dates.parse_date(value, dt.UTC)
    except ValueError as err:
        assert str(err)
    else:
        assert moment.tzinfo is not None


@SETTINGS
@given(TEXT)
def test_mdx_converter_never_raises(text):
    conversion = convert(text, Context(Path("/site/posts/p/article.mdx"), Path("/site")), first_line=3)
    assert isinstance(conversion.text, str)
    assert len(conversion.lines) == conversion.text.count("\n") + 1
    assert all(problem.line >= 3 for problem in conversion.problems)

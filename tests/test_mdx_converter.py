"""The MDX-to-MyST converter on its own: tokens, malformed JSX, and properties for any input."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sphinx_kb.markup.mdx.convert import Context, convert
from sphinx_kb.markup.mdx.lexer import Kind, tokenize


@pytest.fixture
def context(tmp_path: Path) -> Context:
    (tmp_path / "posts/x").mkdir(parents=True)
    return Context(tmp_path / "posts/x/article.mdx", tmp_path)


def run(text: str, context: Context):
    result = convert(text, context)
    return result.text, [(p.line, p.message) for p in result.problems]


def kinds(text: str) -> list[tuple[str, str]]:
    tokens, _problems = tokenize(text)
    return [(t.kind.value, t.name or t.text) for t in tokens]


def test_props_in_every_form_and_multi_line_tags():
    tokens, problems = tokenize("<Note\n  variant=\"info\"\n  title='Its title'\n  big={3 + {a: 1}.a}\n  open\n/>")
    assert problems == []
    (tag,) = tokens
    assert (tag.kind, tag.name, tag.self_closing, tag.line) == (Kind.OPEN, "Note", True, 1)
    assert [(p.name, p.kind, p.value, p.line) for p in tag.props] == [
        ("variant", "string", "info", 2),
        ("title", "string", "Its title", 3),
        ("big", "expression", "3 + {a: 1}.a", 4),
        ("open", "boolean", "true", 5),
    ]


def test_prop_values():
    (tag,) = tokenize('<A s="x y" t=\'z\' e={f(1, "}")} b {...rest} />')[0]
    assert [(p.name, p.kind, p.value) for p in tag.props] == [
        ("s", "string", "x y"),
        ("t", "string", "z"),
        ("e", "expression", 'f(1, "}")'),
        ("b", "boolean", "true"),
        ("", "spread", "rest"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "```jsx\n<Note title={x}>{y}</Note>\n```\n",
        "~~~~\n<A/>\n```\nstill code {x}\n~~~~\n",
        "Inline `<Note />` and ``{x} ` <B>``.\n",
        "Math $a < b$ and $\\{x\\}$ and $$\\frac{a}{b} < \\left\\{ c \\right\\}$$.\n",
        "$$\n\\begin{cases} a & \\text{if } x<y \\\\ b \\end{cases}\n$$\n",
        "<!-- <Note> {x} -->\n",
        "a < b, b > c, 1 <= 2, x<3\n",
        "Escaped \\{braces\\} and \\<tags\\>.\n",
        "An autolink <https://example.org/a?b=1> and <me@example.org>.\n",
        "- list item\n    indented code-like text\n\n> quote with > and <\n",
    ],
)
def test_code_math_comments_and_plain_text_are_unchanged(text, context):
    output, problems = run(text, context)
    assert output == text
    assert problems == []


def test_jsx_looking_text_inside_fences_is_verbatim():
    tokens, _ = tokenize('Before\n\n```mdx\n<Tabs>\n  <Tab label="a">{x}</Tab>\n</Tabs>\n```\nAfter {y}\n')
    assert [t.kind for t in tokens] == [Kind.TEXT, Kind.VERBATIM, Kind.TEXT, Kind.EXPRESSION, Kind.TEXT]


def test_less_than_in_prose_is_text(context):
    output, problems = run("If a < b and b<c then a<c.\n", context)
    assert output == "If a < b and b<c then a<c.\n"
    assert [line for line, _ in problems] == [1, 1]  # neither `<c then` nor `<c.` is a tag
    assert "does not start a valid JSX tag" in problems[0][1]


def test_unclosed_tag_is_reported_and_its_content_kept(context):
    output, problems = run("<Note>\nOpen note.\n\nMore text.\n", context)
    assert problems == [(1, "<Note> is never closed; it ends with the file")]
    assert "Open note." in output and "More text." in output


def test_stray_closing_tag_and_greater_than(context):
    output, problems = run("Text > more.\n\n</Note>\n\nEnd.\n", context)
    assert problems == [(3, "</Note> closes nothing; it is left out")]
    assert output.replace("\n", "") == "Text > more.End."


def test_mismatched_nesting(context):
    _output, problems = run('<Tabs>\n<Tab label="a">\nx\n</Tabs>\n', context)
    assert problems == [(2, "<Tab> is never closed")]


def test_tag_without_end(context):
    output, problems = run('<Note title="x"\n\nNext paragraph.\n', context)
    assert output == '<Note title="x"\n\nNext paragraph.\n'
    assert problems == [(1, "'<' does not start a valid JSX tag here; it is kept as text")]


def test_expressions(context):
    text = 'A {/* gone */} B {" kept "} C {x + 1} D {/* multi\nline */} E {// line\n} F\n'
    output, problems = run(text, context)
    assert output == "A  B  kept  C  D  E  F\n"
    assert problems == [(1, "the expression {x + 1} is not run; it is left out")]


def test_unclosed_brace(context):
    output, problems = run("A { never closed\n", context)
    assert output == "A { never closed\n"
    assert problems == [(1, "'{' is never closed; it is kept as text (write \\{ for a brace)")]


def test_imports_and_exports(context):
    text = (
        'import Note from "../../components/Note.astro"\n'
        "import { Image, Picture as P } from 'astro:assets'\n"
        "import * as Icons from './icons'\n"
        "export const meta = {\n  title: 'x',\n}\n"
        "\nBody.\n"
    )
    output, problems = run(text, context)
    assert output.strip() == "Body."
    assert problems == [(4, "export statements are not run; this one is left out")]


def test_myst_roles_pass_through(context):
    output, problems = run("See {eq}`energy` and {ref}`other-post`.\n", context)
    assert output == "See {eq}`energy` and {ref}`other-post`.\n"
    assert problems == []


def test_components_become_directives(context):
    text = (
        '<Note variant="warn" title="Careful">\n    Indented **body**.\n\n'
        '    <Accordion title="More" open>\n    Inside.\n    </Accordion>\n</Note>\n'
    )
    output, problems = run(text, context)
    assert problems == []
    assert [line for line in output.split("\n") if line] == [
        "::::{admonition} Careful",
        ":class: warning",
        "Indented **body**.",
        ":::{dropdown} More",
        ":open:",
        "Inside.",
        ":::",
        "::::",
    ]


def test_line_map_points_at_the_source(context):
    text = '<Note title="T">\nBody\n</Note>\n\n<Wide>\nWide body\n</Wide>\nLast line\n'
    result = convert(text, context)
    lines = result.text.split("\n")
    assert result.lines[lines.index("Body")] == 2
    assert result.lines[lines.index("Wide body")] == 6
    assert result.lines[lines.index("Last line")] == 8
    assert result.lines[lines.index(":::{container} kb-wide")] == 5


def test_unknown_component(context):
    output, problems = run("<Chart data={points}>\nA caption.\n</Chart>\n", context)
    assert problems == [(1, "unknown component <Chart>; its content is kept")]
    assert output.strip() == "A caption."


def test_components_imported_from_anywhere_are_known(context):
    text = 'import Note from "../../../components/Note.astro"\n\n<Note>\nx\n</Note>\n'
    output, problems = run(text, context)
    assert problems == []
    assert ":::{note}" in output


# Properties ------------------------------------------------------------------------------------

#: Characters and fragments that exercise every part of the lexer.
MDX_ALPHABET = st.sampled_from(
    [
        *"ab <>/{}=\"'`$\\!-*#[]()@:;.\n\t",
        *("<Note>", "</Note>", "<Tab label='x'>", "{/*", "*/}", "```", "$$", "<A />"),
        "import A from './a.mdx'\n",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(MDX_ALPHABET, max_size=60).map("".join))
def test_converter_never_raises(context, text):
    result = convert(text, context)
    assert isinstance(result.text, str)
    assert len(result.lines) == result.text.count("\n") + 1
    for problem in result.problems:
        assert 1 <= problem.line <= text.count("\n") + 1


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(st.characters(blacklist_characters="<{}\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"), max_size=200))
def test_text_without_jsx_or_imports_converts_to_itself(context, text):
    if any(line.startswith(("import", "export")) for line in text.split("\n")):
        return
    result = convert(text, context)
    assert result.text == text
    assert result.problems == []
    assert result.lines == list(range(1, text.count("\n") + 2))


def test_props_that_would_have_to_run_are_reported(context):
    output, problems = run('<Note title={heading} variant="tip" {...rest}>\nBody.\n</Note>\n', context)
    assert problems == [
        (1, "the prop title={heading} of <Note> is not run; it is left out"),
        (1, "the prop {...rest} of <Note> is not run; it is left out"),
    ]
    assert output.startswith(":::{tip}")


def test_chapter_paths_from_the_source_folder(context):
    shared = context.srcdir / "shared"
    shared.mkdir()
    (shared / "intro.md").write_text("Shared intro.\n")
    output, problems = run('import Intro from "/shared/intro.md"\n\n<Intro />\n', context)
    assert problems == []
    assert "```{include} /shared/intro.md" in output

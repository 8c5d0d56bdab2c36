"""Each MDX component and the MyST it becomes.

=================  ========================================================================
Component          MyST (what an ``.md`` post would write)
=================  ========================================================================
``Note``           ``:::{note}`` / ``:::{warning}`` ..., or ``:::{admonition} Title`` + ``:class:``
``Theorem``        ``:::{prf:theorem} Title`` (or ``prf:lemma`` ...) + ``:label: id`` (sphinx-proof);
                   ``variant="proof"`` is ``:::{prf:proof}``
``Proof``          ``:::{prf:proof}``
``Definition``     ``:::{prf:definition} Term``
``Algorithm``      ``:::{prf:algorithm} Title``
``Accordion``      ``:::{dropdown} Title`` + ``:open:`` (sphinx-design)
``Sidenote``       ``:::{aside}`` (sphinx-design), floated beside the paragraph it belongs to
``Wide``           ``:::{container} kb-wide`` (``FullWidth`` too)
``Quote``          ``:::{epigraph}`` ending with ``-- source``
``Glossary``       ``:::{glossary}`` with one term
``HtmlEmbed``      ``:::{html-embed} file.html`` (sphinx-kb) with ``:title:`` and ``:name:``; ``src`` is
                   looked for in ``kb_embeds_dir``, then next to the file
``HfUser``         ``[Name (@user)](https://huggingface.co/user)``, and the avatar as a link
``Stack``          ``::::{grid} 1 2 2 2`` + ``:gutter:``, each child a ``:::{grid-item}`` (sphinx-design)
``Reference``      ``:::{kb-figure} Caption`` + ``:name: id``: any content as a numbered figure
``Tabs``/``Tab``   ``::::{tab-set}`` / ``:::{tab-item} Label`` (sphinx-design)
``Image``/``img``  ``:::{figure} /path`` with ``:alt:``, ``:width:``, ``:name:`` and the caption
=================  ========================================================================

Components are recognised by name, wherever they are imported from. A template literal
without ``${...}`` (``desc={`...`}``) is a static string, used like ``"..."``.

A string prop is text, as in MDX: never HTML or Markdown; only ``$...$`` is inline math, as in a
front-matter description. Where MyST reads the value as Markdown (a title, a label, a caption, a
quote's source) it is written with every ASCII punctuation mark backslash-escaped and its math as
``{math}`` roles (:func:`markdown_text`), so ``title="<b>*x*</b>"`` shows exactly ``<b>*x*</b>``;
where it is an option's value (``alt``, an embed's ``title``) it is written as it is, and the
directive keeps it as text. A lowercase HTML element's attributes are
HTML-escaped; event handlers (``onclick="..."``) are left out; and a URL (``href``, ``src``...)
whose scheme could run script (``javascript:``) is left out with a ``kb.url`` warning, the element
and its text kept.
"""

from __future__ import annotations

import html as html_escaping
import re
from collections.abc import Callable
from html.parser import HTMLParser
from typing import TYPE_CHECKING

from ...problems import Problem
from ...urls import unsafe_scheme
from .tree import Element, Node, Writer, dedent, one_line, prop_text

if TYPE_CHECKING:
    from .convert import Converter

Handler = Callable[["Converter", Element, Writer], None]

#: ``Note`` variants and the admonition each becomes.
NOTE_KINDS = {
    "info": "note",
    "note": "note",
    "remark": "hint",
    "tip": "tip",
    "success": "tip",
    "important": "important",
    "warn": "warning",
    "warning": "warning",
    "caution": "caution",
    "danger": "danger",
    "error": "error",
}

#: ``Theorem`` variants: sphinx-proof's directive for each.
THEOREM_KINDS = {
    "theorem",
    "lemma",
    "proposition",
    "corollary",
    "conjecture",
    "axiom",
    "property",
    "observation",
    "criterion",
    "remark",
    "example",
    "assumption",
}


#: ASCII punctuation, each of which CommonMark reads as itself after a backslash.
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
#: Inline math in a string prop: ``$...$``, by the rule for descriptions (``blog/posts.py``).
_MATH = re.compile(r"(?<![\\$])\$(?!\s)([^$\n]+?)(?<![\s\\])\$(?!\d)")
#: HTML attributes that hold a URL (``srcset`` holds several).
_URL_ATTRIBUTES = frozenset(
    {"href", "src", "srcset", "action", "formaction", "formAction", "poster", "cite", "data", "background"}
    | {"xlinkHref", "xlink:href", "ping", "manifest", "codebase", "longdesc"}
)
#: A name an HTML attribute may have.
_ATTRIBUTE_NAME = re.compile(r"[A-Za-z_:][\w:.-]*")


def markdown_text(text: str) -> str:
    """*text* on one line, written so that MyST reads it back as exactly that text, with its
    ``$...$`` as inline math.

    Every ASCII punctuation mark outside math gets a backslash: ``<``, ``*``, backticks, ``[``
    and the rest are then themselves, never HTML, emphasis, code or a link. Math is written as a
    ``{math}`` role, whose content MyST never reads as Markdown.
    """
    text = one_line(text)
    parts = []
    position = 0
    for match in _MATH.finditer(text):
        parts += [_PUNCTUATION.sub(r"\\\1", text[position : match.start()]), _math_role(match.group(1))]
        position = match.end()
    parts.append(_PUNCTUATION.sub(r"\\\1", text[position:]))
    return "".join(parts)


def _math_role(tex: str) -> str:
    """``{math}`tex``` with a run of backticks longer than any in *tex* (a code span's rule)."""
    fence = "`" * (max((len(run) for run in re.findall("`+", tex)), default=0) + 1)
    pad = " " if tex.startswith("`") or tex.endswith("`") else ""
    return f"{{math}}{fence}{pad}{tex}{pad}{fence}"


def _text(element: Element, name: str) -> str | None:
    return prop_text(element.props.get(name))


def _markdown(element: Element, name: str) -> str | None:
    """The string prop *name*, for a place MyST reads as Markdown (see :func:`markdown_text`)."""
    value = _text(element, name)
    return markdown_text(value) if value is not None else None


def _unsafe_url(conv: Converter, line: int, url: str, prop: str, element: Element) -> bool:
    """Whether *url*, the prop *prop* of *element*, has a scheme that could run script; if so,
    that is a ``kb.url`` problem."""
    scheme = unsafe_scheme(url)
    if scheme is None:
        return False
    message = f"the {prop} {url!r} of <{element.name}> is not an http(s), mailto or relative address; it is left out"
    conv.problems.append(Problem(line, message, "url"))  # KbWarning.URL
    return True


def _prop_line(element: Element, name: str) -> int:
    prop = element.props.get(name)
    return prop.line if prop is not None else element.line


def _name_option(element: Element) -> dict[str, str]:
    identifier = _text(element, "id")
    return {"label": identifier} if identifier else {}


def note(conv: Converter, element: Element, writer: Writer) -> None:
    variant = (_text(element, "variant") or _text(element, "type") or "note").lower()
    kind = NOTE_KINDS.get(variant)
    if kind is None:
        conv.problem(element.line, f"<{element.name}> has no variant {variant!r}; it is shown as a note")
        kind = "note"
    title = _markdown(element, "title")
    emoji = _text(element, "emoji") or _text(element, "icon")
    if emoji and emoji != "true":
        title = f"{markdown_text(emoji)} {title or kind.capitalize()}"
    if title:
        conv.directive(element, writer, "admonition", title, options={"class": kind})
    else:
        conv.directive(element, writer, kind)


def theorem(conv: Converter, element: Element, writer: Writer) -> None:
    variant = (_text(element, "variant") or _text(element, "type") or "theorem").lower()
    if variant == "proof":
        conv.directive(element, writer, "prf:proof", _markdown(element, "title") or "")
        return
    if variant in ("definition", "algorithm"):
        {"definition": definition, "algorithm": algorithm}[variant](conv, element, writer)
        return
    if variant not in THEOREM_KINDS:
        conv.problem(element.line, f"<{element.name}> has no variant {variant!r}; it is shown as a theorem")
        variant = "theorem"
    title = _markdown(element, "title") or _markdown(element, "name") or ""
    conv.directive(element, writer, f"prf:{variant}", title, options=_name_option(element))


def proof(conv: Converter, element: Element, writer: Writer) -> None:
    conv.directive(element, writer, "prf:proof")


def definition(conv: Converter, element: Element, writer: Writer) -> None:
    term = _markdown(element, "term") or _markdown(element, "title") or ""
    conv.directive(element, writer, "prf:definition", term, options=_name_option(element))


def algorithm(conv: Converter, element: Element, writer: Writer) -> None:
    title = _markdown(element, "title") or ""
    conv.directive(element, writer, "prf:algorithm", title, options=_name_option(element))


def accordion(conv: Converter, element: Element, writer: Writer) -> None:
    title = _markdown(element, "title") or _markdown(element, "summary") or "Details"
    options = {"open": ""} if _text(element, "open") in ("true", "") else {}
    conv.directive(element, writer, "dropdown", title, options=options)


def sidenote(conv: Converter, element: Element, writer: Writer) -> None:
    """A margin note. Written inside a paragraph, it goes before that paragraph, which flows
    around it."""
    if element.block:
        conv.directive(element, writer, "aside", _markdown(element, "title") or "")
        return
    aside = Writer()
    conv.directive(element, aside, "aside", _markdown(element, "title") or "")
    at = writer.paragraph_start()
    writer.lines[at:at] = aside.result()


def wide(conv: Converter, element: Element, writer: Writer) -> None:
    conv.directive(element, writer, "container", "kb-wide")


def hf_user(conv: Converter, element: Element, writer: Writer) -> None:
    """A Hugging Face profile: the name linked to the profile page, and the avatar as a link.

    The avatar is never an image: a remote image would be loaded from outside the site by every
    reader, and fetching it at build time would make the build depend on the network.
    """
    username = _text(element, "username") or _text(element, "user")
    name = _text(element, "name") or username
    if not name:
        conv.problem(element.line, f"<{element.name}> needs a username or a name")
        return
    url = _text(element, "url") or (f"https://huggingface.co/{username}" if username else None)
    if url and _unsafe_url(conv, _prop_line(element, "url"), url, "url", element):
        url = None
    label = markdown_text(f"{name} (@{username})" if username and username != name else name)
    parts = [f"[{label}](<{_destination(url)}>)" if url else label]
    avatar = _text(element, "avatarUrl") or _text(element, "avatar")
    if avatar and not _unsafe_url(conv, _prop_line(element, "avatarUrl"), avatar, "avatarUrl", element):
        parts.append(f"([avatar](<{_destination(avatar)}>))")
    writer.write(" ".join(parts), element.line, copied=False)


def _destination(url: str) -> str:
    """*url* for a Markdown link destination in ``<...>``: no line breaks, ``<``, ``>`` or spaces."""
    return re.sub(r"[\s<>]", lambda match: f"%{ord(match.group()):02X}", url.strip())


#: ``Stack`` layouts: sphinx-design's columns at each breakpoint (phones get one column).
STACK_COLUMNS = {"2-column": "1 2 2 2", "3-column": "1 2 3 3", "4-column": "1 2 4 4"}
#: ``Stack`` gaps by name, as sphinx-design's gutters (0 to 5).
_GAP_NAMES = {"none": 0, "small": 1, "sm": 1, "medium": 2, "md": 2, "large": 3, "lg": 3}


def stack(conv: Converter, element: Element, writer: Writer) -> None:
    """Children side by side: a sphinx-design grid, each child element (or run of text) an item."""
    groups: list[list[Node]] = []
    for child in element.children:
        # A block component is an item of its own; text and inline elements run together.
        if _is_block(child) or not groups or _is_block(groups[-1][-1]):
            groups.append([child])
        else:
            groups[-1].append(child)
    items: list[tuple[list[tuple[str, int]], int, int, int]] = []
    for group in groups:
        inner = Writer()
        conv.render(group, inner)
        lines = dedent(inner.result())
        if lines:
            first, last = _node_line(group[0]), _node_line(group[-1])
            items.append((lines, inner.fence, first, last))
    layout = (_text(element, "layout") or "auto").lower()
    columns = STACK_COLUMNS.get(layout)
    if columns is None:
        if layout != "auto":
            conv.problem(element.line, f"<{element.name}> has no layout {layout!r}; its children share the row")
        count = max(1, min(len(items), 4))
        columns = f"1 {min(count, 2)} {count} {count}"
    options = {"gutter": str(_gutter(conv, element))}
    item_fence = ":" * max(3, max((fence for _, fence, _, _ in items), default=0) + 1)
    body: list[tuple[str, int]] = []
    for lines, _fence, first, last in items:
        body += [(f"{item_fence}{{grid-item}}", first), *lines, (item_fence, last), ("", last)]
    conv.directive(element, writer, "grid", columns, options=options, body=body[:-1], inner_fence=len(item_fence))


def _node_line(node: Node) -> int:
    return node.line


def _is_block(node: Node) -> bool:
    return isinstance(node, Element) and node.block


def _gutter(conv: Converter, element: Element) -> int:
    """The grid's gutter for ``gap``: a name, a number of sphinx-design steps, or a CSS length."""
    gap = (_text(element, "gap") or "medium").strip().lower()
    if gap in _GAP_NAMES:
        return _GAP_NAMES[gap]
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(px|rem|em)?", gap)
    if match is None:
        conv.problem(_prop_line(element, "gap"), f"the gap {gap!r} of <{element.name}> is not understood; 2 is used")
        return 2
    number, unit = float(match.group(1)), match.group(2)
    steps = number / 8 if unit == "px" else number * 2 if unit else number
    return max(0, min(5, round(steps)))


class _TextOfHtml(HTMLParser):
    """The text of an HTML fragment: its tags left out, its character references read."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_text(fragment: str) -> str:
    """The text a reader sees of the HTML *fragment* (``<em>Fig.</em> 1 &amp; 2`` -> ``Fig. 1 & 2``)."""
    parser = _TextOfHtml()
    parser.feed(fragment)
    parser.close()
    return "".join(parser.parts)


def reference(conv: Converter, element: Element, writer: Writer) -> None:
    """Content (an image, a table, an embed...) as a numbered figure with a caption.

    The caption is HTML in the Astro component; only its text is kept, never live HTML.
    """
    caption = _text(element, "caption") or _text(element, "title") or ""
    options = {"name": identifier} if (identifier := _text(element, "id")) else {}
    conv.directive(element, writer, "kb-figure", markdown_text(html_text(caption)), options=options)


def quote(conv: Converter, element: Element, writer: Writer) -> None:
    body, _fence = conv.render_children(element)
    source = _markdown(element, "source") or _markdown(element, "author") or _markdown(element, "cite")
    if source:
        body += [("", element.end_line), (f"-- {source}", element.end_line)]
    conv.directive(element, writer, "epigraph", body=body)


def glossary(conv: Converter, element: Element, writer: Writer) -> None:
    term = _markdown(element, "term")
    if not term:
        conv.problem(element.line, f"<{element.name}> needs a term; its content is kept")
        conv.render(element.children, writer)
        return
    definition_text = _markdown(element, "definition")
    if definition_text is not None:
        body = [(definition_text, element.line)]
    else:
        body, _fence = conv.render_children(element)
    lines = [(term, element.line)] + [(f"   {text}" if text else "", source) for text, source in body]
    conv.directive(element, writer, "glossary", body=lines)


def html_embed(conv: Converter, element: Element, writer: Writer) -> None:
    source = _text(element, "src")
    if not source:
        conv.problem(element.line, f"<{element.name}> needs a src")
        return
    if _unsafe_url(conv, _prop_line(element, "src"), source, "src", element):
        return
    path = conv.resolve_embed(source, element.line)
    if path is None:
        return
    options = {key: value for key in ("title", "height") if (value := _text(element, key))}
    options.update({"name": identifier} if (identifier := _text(element, "id")) else {})
    description = _markdown(element, "desc") or _markdown(element, "description")
    body, _fence = conv.render_children(element)
    if description:
        body = [(description, element.line), *([("", element.line), *body] if body else [])]
    conv.directive(element, writer, "html-embed", path, options=options, body=body)


def tabs(conv: Converter, element: Element, writer: Writer) -> None:
    conv.directive(element, writer, "tab-set")


def tab(conv: Converter, element: Element, writer: Writer) -> None:
    label = _markdown(element, "label") or _markdown(element, "title") or _markdown(element, "value") or "Tab"
    conv.directive(element, writer, "tab-item", label)


def image(conv: Converter, element: Element, writer: Writer) -> None:
    """``<Image src={imported} ...>`` or ``<img src="...">``: a figure, or an inline image."""
    source = _image_source(conv, element)
    if source is not None and _unsafe_url(conv, _prop_line(element, "src"), source, "src", element):
        source = None
    alt = _text(element, "alt") or ""
    if source is None:
        if alt:
            writer.write(f"*{markdown_text(alt)}*", element.line, copied=False)
        return
    if not element.block:
        writer.write(f"![{markdown_text(alt)}](<{source}>)", element.line, copied=False)
        return
    options: dict[str, str] = {"alt": one_line(alt)} if alt else {}
    width = _text(element, "width")
    if width:
        options["width"] = f"{width}px" if width.isdigit() else width
    identifier = _text(element, "id")
    if identifier:
        options["name"] = identifier
    if "zoomable" in element.props and _text(element, "zoomable") != "false":
        options["figclass"] = "kb-zoomable"
    caption = _markdown(element, "caption")
    body, _fence = conv.render_children(element)
    if caption:
        body = [(caption, element.line), *body]
    conv.directive(element, writer, "figure", source, options=options, body=body)


def _image_source(conv: Converter, element: Element) -> str | None:
    prop = element.props.get("src")
    if prop is None:
        conv.problem(element.line, f"<{element.name}> has no src")
        return None
    if prop.kind == "expression" and prop.value.replace(".src", "") in conv.imports:
        imported = conv.imports[prop.value.replace(".src", "")]
        return conv.resolve(imported.module, element.line, "image")
    reference = prop_text(prop)
    if reference is None:
        conv.problem(element.line, f"the image source {{{prop.value}}} is not an imported file or a string")
        return None
    return conv.resolve(reference, element.line, "image")


def html(conv: Converter, element: Element, writer: Writer) -> None:
    """A lowercase element is HTML: written as it is, with its children converted."""
    if element.name == "img":
        image(conv, element, writer)
        return
    attributes = []
    for prop in element.open.props:
        value = prop_text(prop)
        if value is None:
            conv.problem(prop.line, f"the attribute {prop.name or '{...}'} of <{element.name}> is not run; left out")
            continue
        if not _ATTRIBUTE_NAME.fullmatch(prop.name) or prop.name.lower().startswith("on"):
            # In MDX an event handler is a function, never a string: a string one is not run.
            conv.problem(prop.line, f"the attribute {prop.name} of <{element.name}> is not run; left out")
            continue
        if prop.name in _URL_ATTRIBUTES and any(
            _unsafe_url(conv, prop.line, url, prop.name, element) for url in _urls(prop.name, value)
        ):
            continue
        name = {"className": "class", "htmlFor": "for"}.get(prop.name, prop.name)
        attributes.append(name if prop.kind == "boolean" else f'{name}="{html_escaping.escape(value, quote=True)}"')
    opening = "<" + " ".join([element.name, *attributes]) + (" />" if element.close is None else ">")
    if element.close is None:
        writer.write(opening, element.line, copied=False)
        return
    if element.block:
        # Blank lines around the children, so Markdown inside HTML is still Markdown.
        body, _fence = conv.render_children(element)
        lines = [(opening, element.line), ("", element.line), *body, ("", element.end_line)]
        conv.write_block(element, writer, [*lines, (f"</{element.name}>", element.end_line)])
        return
    writer.write(opening, element.line, copied=False)
    conv.render(element.children, writer)
    writer.write(f"</{element.name}>", element.close.line, copied=False)


def _urls(name: str, value: str) -> list[str]:
    """The URLs an attribute's value holds: one, or each candidate of a ``srcset``."""
    if name != "srcset":
        return [value]
    return [candidate.split()[0] for candidate in value.split(",") if candidate.split()]


HANDLERS: dict[str, Handler] = {
    "Note": note,
    "Aside": note,
    "Callout": note,
    "Admonition": note,
    "Theorem": theorem,
    "Proof": proof,
    "Definition": definition,
    "Algorithm": algorithm,
    "Accordion": accordion,
    "Details": accordion,
    "Sidenote": sidenote,
    "MarginNote": sidenote,
    "Wide": wide,
    "FullWidth": wide,
    "HfUser": hf_user,
    "Stack": stack,
    "Reference": reference,
    "Quote": quote,
    "Glossary": glossary,
    "HtmlEmbed": html_embed,
    "Tabs": tabs,
    "Tab": tab,
    "TabItem": tab,
    "Image": image,
    "Figure": image,
}


def handler(name: str) -> Handler | None:
    """The handler of component *name* (``Foo.Bar`` is looked up as ``Bar``)."""
    return HANDLERS.get(name.rsplit(".", 1)[-1]) if name and name[0].isupper() else None

"""Math rendered by MathJax served from the site itself.

Sphinx loads MathJax from a CDN by default, which many readers' networks block. The files of
MathJax 3.2.2 come from the ``sphinx-mathjax-offline`` distribution on PyPI (we use its files, not
its extension, which copies all 24 MB on every build); the parts a page can load are copied to
``_static/mathjax/`` and ``mathjax_path`` points there.

Equations are numbered the way a reader of LaTeX expects, in one sequence per page: every
unstarred ``equation``, ``align``, ``alignat``, ``flalign``, ``gather`` or ``multline``
environment (inside ``$$`` or on its own) and every display with a ``\\label`` gets a number, one
per display; starred environments, ``aligned`` and plain ``$$`` displays do not. Sphinx does the
numbering, so labels work across pages with ``{eq}`` and ``[text](#label)``, and ``\\eqref`` or
``\\ref`` inside math link to labels of the same page. A display with an explicit ``\\tag`` keeps
the author's tag instead, and its labels are MathJax's alone (``{eq}`` cannot reach them).

Those links and KaTeX's HTML commands are MathJax's; for the other builders :class:`PlainMath`
puts back LaTeX that LaTeX itself understands (``\\eqref`` to Sphinx's label of the display, so
the PDF shows LaTeX's own number) or, in plain text, the number.
"""

from __future__ import annotations

import copy
import re
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.fileutil import copy_asset, copy_asset_file
from sphinx.util.nodes import make_refnode

from ..builders import web_pages
from ..warnings_ import KbWarning, warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config


DISTRIBUTION = "sphinx-mathjax-offline"
#: The entry point, relative to ``_static``.
MATHJAX_PATH = "mathjax/tex-chtml.js"
#: What ``tex-chtml.js`` may load later: TeX packages, fonts, the menu and accessibility tools.
_PARTS = ("tex-chtml.js", "input/tex/extensions", "output/chtml/fonts/woff-v2", "ui", "a11y", "sre")

#: Environments that make a whole display on their own and cannot sit inside ``split``.
_TOP_LEVEL = re.compile(
    r"^\s*\\begin\{(?P<env>equation|align|alignat|flalign|gather|multline|eqnarray)(?P<star>\*?)\}"
    r".*\\end\{(?P=env)\*?\}\s*$",
    re.DOTALL,
)
_LABEL = re.compile(r"\\label\{(?P<label>[^{}]+)\}")
_TAG = re.compile(r"\\tag\*?\{")
_EQREF = re.compile(r"\\(?P<command>eqref|ref)\{(?P<label>[^{}]+)\}")
#: KaTeX's HTML commands and their MathJax equivalents (``\htmlId`` is also read as a label).
_KATEX_HTML = {"htmlId": "cssId", "htmlClass": "class", "htmlStyle": "style"}
_KATEX_COMMAND = re.compile(r"\\(?P<command>htmlId|htmlClass|htmlStyle|htmlData)\{(?P<value>[^{}]*)\}")

#: MathJax's commands that HTML alone understands: ``\\cssId{id}{math}`` and so on.
_MATHJAX_HTML = re.compile(r"\\(?:cssId|class|style)\{[^{}]*\}")

#: Attributes of a math node whose ``\\eqref`` and ``\\ref`` became links: the LaTeX before, the
#: numbers (label -> [number, first label of the display]) and the page they are numbers of.
_UNLINKED, _REFS, _REFS_DOC = "kb_unlinked", "kb_eqrefs", "kb_eqrefs_doc"

#: MathJax settings: numbering is Sphinx's (see above), so MathJax numbers nothing itself. The
#: ``ui/safe`` extension makes ``\\href{javascript:...}{x}`` (in a post, a description or an MDX
#: prop) a formula without a link: only http(s) and file links are made, as for every author URL.
MATHJAX_CONFIG: dict[str, Any] = {
    "loader": {"load": ["ui/safe"]},
    "tex": {"tags": "none"},
    "options": {"menuOptions": {"settings": {"assistiveMml": True}}},
}


def mathjax_dir() -> Path:
    """The folder holding the MathJax files shipped by :data:`DISTRIBUTION`."""
    dist = metadata.distribution(DISTRIBUTION)
    entry = next(f for f in dist.files or [] if f.name == "tex-chtml.js")
    return Path(str(dist.locate_file(entry))).parent


def configure(app: Sphinx, config: Config) -> None:
    """``config-inited``: serve MathJax from the site; a ``mathjax_path`` on a CDN is replaced,
    a local one (the site's own MathJax) is kept."""
    if config.mathjax_path.startswith(("http://", "https://", "//")):
        config.mathjax_path = MATHJAX_PATH
        if config.mathjax3_config is None:
            # A copy: MyST-Parser adds its classes to the options in place, which would change the
            # constant for the next build of the process (and its configuration's hash).
            config.mathjax3_config = copy.deepcopy(MATHJAX_CONFIG)


def copy_mathjax(app: Sphinx) -> None:
    """``builder-inited``: copy the MathJax files the pages may load into ``_static``.

    This happens before pages are written, so their links to MathJax carry its checksum. An EPUB
    gets none: it leaves every script out of the book (and would warn about MathJax's data files).
    """
    if not web_pages(app.builder):
        return
    if app.config.mathjax_path != MATHJAX_PATH:
        return
    source = mathjax_dir()
    target = Path(app.outdir, "_static", "mathjax")
    target.mkdir(parents=True, exist_ok=True)
    for part in _PARTS:
        if (source / part).is_file():
            copy_asset_file(source / part, target, force=True)
        else:
            copy_asset(source / part, target / part, force=True)


class MathBlocks(SphinxTransform):
    """Number, label and adapt display math; see the module docstring.

    MyST-Parser gives each AMS environment a random label so that Sphinx numbers it; those
    become stable labels here (``<docname>#<n>``), and they are numbered with the rest in page
    order.
    """

    default_priority = 500

    def apply(self, **kwargs: Any) -> None:
        domain = self.env.domains.math_domain
        numbered: list[tuple[nodes.math_block, list[str]]] = []
        for index, block in enumerate(self.document.findall(nodes.math_block)):
            if "amsmath" in block["classes"] and block.get("label"):
                domain.equations.pop(block["label"], None)
                block["ids"] = [i for i in block["ids"] if i != f"equation-{block['label']}"]
                del block["label"]
            if block.get("label"):  # `$$ ... $$ (label)`, numbered by MyST-Parser's rules
                numbered.append((block, [block["label"]]))
                continue
            labels = self._adapt(block, index)
            if labels:
                numbered.append((block, labels))
        numbers = self._number(domain, numbered)
        for math in self.document.findall(lambda n: isinstance(n, nodes.math | nodes.math_block)):
            latex = _katex_to_mathjax(math.astext())
            linked = _link_refs(latex, numbers)
            if linked != latex:
                # What other builders than HTML need to write these references their own way.
                math[_UNLINKED] = latex
                math[_REFS] = {label: [number, first] for label, (number, first) in numbers.items()}
                math[_REFS_DOC] = self.env.docname
            _set_latex(math, linked)

    def _adapt(self, block: nodes.math_block, index: int) -> list[str]:
        """Prepare one display; return its labels if Sphinx is to number it."""
        latex = block.astext()
        labels = [m["label"] for m in _LABEL.finditer(latex)]
        labels += [m["value"] for m in _KATEX_COMMAND.finditer(latex) if m["command"] == "htmlId"]
        top_level = _TOP_LEVEL.match(latex)
        block["number"] = None
        if top_level:
            block["nowrap"] = True
        if _TAG.search(latex):
            # The author numbered it; MathJax shows the tag, and `\eqref` finds it.
            _remove(block["classes"], "amsmath")
            return []
        if not labels and not (top_level and not top_level["star"] and top_level["env"] != "eqnarray"):
            _remove(block["classes"], "amsmath")
            return []
        latex = _LABEL.sub("", latex)
        for label in labels:
            latex = re.sub(rf"\\htmlId\{{{re.escape(label)}\}}\{{([^{{}}]*)\}}", r"\1", latex)
        _set_latex(block, latex)
        if top_level and "amsmath" not in block["classes"]:
            # MyST-Parser's renderer puts Sphinx's number beside an environment.
            block["classes"].append("amsmath")
        return labels or [f"{self.env.docname}#{index + 1}"]

    def _number(self, domain: Any, numbered: list[tuple[nodes.math_block, list[str]]]) -> dict[str, tuple[int, str]]:
        """Number this page's displays 1, 2, ... in page order; every label names its display.

        :return: label -> (number, the display's first label).
        """
        for number, (block, labels) in enumerate(numbered, start=1):
            block["label"] = labels[0]
            block["number"] = number
            block["docname"] = self.env.docname
            node_id = equation_id(labels[0])
            if node_id not in block["ids"]:
                block["ids"].append(node_id)
                self.document.ids.setdefault(node_id, block)
            for label in labels:
                if label not in domain.equations or domain.equations[label][0] == self.env.docname:
                    domain.equations[label] = (self.env.docname, number)
                else:
                    other = domain.equations[label][0]
                    warn(KbWarning.LABEL, "the equation label %r is also used in %s", label, other, location=block)
        return {label: (number, labels[0]) for number, (_block, labels) in enumerate(numbered, 1) for label in labels}


def equation_id(label: str) -> str:
    """The HTML id of the display labelled *label*, as Sphinx's math domain links to it."""
    return nodes.make_id(f"equation-{label}")


def _link_refs(latex: str, numbers: dict[str, tuple[int, str]]) -> str:
    """``\\eqref{x}`` and ``\\ref{x}`` to a display of this page become links with its number."""

    def link(match: re.Match[str]) -> str:
        found = numbers.get(match["label"])
        if found is None:
            return match.group(0)
        number, first = found
        text = f"({number})" if match["command"] == "eqref" else str(number)
        return f"\\href{{#{equation_id(first)}}}{{\\text{{{text}}}}}"

    return _EQREF.sub(link, latex)


class EquationLinks(SphinxPostTransform):
    """``[text](#label)`` to an equation keeps its text (Sphinx's math domain would replace it by
    the number); runs just before MyST-Parser resolves its links."""

    default_priority = 8

    def run(self, **kwargs: Any) -> None:
        equations = self.env.domains.math_domain.equations
        for node in list(self.document.findall(addnodes.pending_xref)):
            target = node.get("reftarget")
            if node.get("reftype") != "myst" or not node.get("refexplicit") or target not in equations:
                continue
            docname, _number = equations[target]
            node_id = equation_id(target)
            reference = make_refnode(self.app.builder, node["refdoc"], docname, node_id, node[0].deepcopy())
            node.replace_self(reference)


class PlainMath(SphinxPostTransform):
    """Builders other than HTML: math without MathJax's links and HTML commands.

    LaTeX gets ``\\eqref`` and ``\\ref`` to Sphinx's label of the display (LaTeX numbers it);
    text, man and the others get the page's number, as the HTML page shows it.
    """

    default_priority = 200

    def is_supported(self) -> bool:
        return self.app.builder.format != "html"

    def run(self, **kwargs: Any) -> None:
        latex_format = self.app.builder.format == "latex"
        for math in self.document.findall(lambda n: isinstance(n, nodes.math | nodes.math_block)):
            _set_latex(math, plain_latex(math, latex_format=latex_format))


def plain_latex(math: nodes.Element, *, latex_format: bool = False) -> str:
    """The LaTeX of *math* (a math node as the reader left it) without MathJax's links and HTML
    commands: ``\\eqref``/``\\ref`` to displays of the page become their numbers, or with
    *latex_format* references to Sphinx's labels of those displays (LaTeX numbers them)."""
    latex = math.astext()
    if _UNLINKED in math:
        refs, docname = math[_REFS], math[_REFS_DOC]

        def reference(match: re.Match[str]) -> str:
            found = refs.get(match["label"])
            if found is None:
                return match.group(0)
            number, first = found
            if latex_format:
                return f"\\{match['command']}{{equation:{docname}:{first}}}"
            return f"({number})" if match["command"] == "eqref" else str(number)

        latex = _EQREF.sub(reference, math[_UNLINKED])
    return _MATHJAX_HTML.sub("", latex)


def _remove(items: list[str], item: str) -> None:
    if item in items:
        items.remove(item)


def _katex_to_mathjax(latex: str) -> str:
    return _KATEX_COMMAND.sub(
        lambda m: f"\\{_KATEX_HTML.get(m['command'], 'class')}{{{m['value']}}}" if m["command"] != "htmlData" else "",
        latex,
    )


def _set_latex(node: nodes.Element, latex: str) -> None:
    if latex != node.astext():
        node.children = []
        node += nodes.Text(latex)
        node.rawsource = latex


def setup(app: Sphinx) -> None:
    """Serve MathJax from the site; number displays; link equations; plain maths elsewhere."""
    app.connect("config-inited", configure)
    app.connect("builder-inited", copy_mathjax)
    app.add_transform(MathBlocks)
    app.add_post_transform(EquationLinks)
    app.add_post_transform(PlainMath)

"""Math rendered by MathJax served from the site itself.

Sphinx loads MathJax from a CDN by default, which many readers' networks block. The files of
MathJax 3.2.2 come from the ``sphinx-mathjax-offline`` distribution on PyPI (we use its files, not
its extension, which copies all 24 MB on every build); the parts a page can load are copied to
``_static/mathjax/`` and ``mathjax_path`` points there.

A display that is one AMS environment (``\\begin{align} ... \\end{align}``, inside ``$$`` or on its
own) is passed to MathJax as written, and MathJax numbers it as LaTeX would: ``equation`` and
``align`` get numbers, starred forms and ``aligned`` do not, ``\\tag`` and ``\\notag`` are obeyed.
Sphinx would otherwise wrap ``$$`` blocks in ``split`` (an error in MathJax) and give MyST's
``amsmath`` blocks a second number of its own.
"""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms import SphinxTransform
from sphinx.util.fileutil import copy_asset, copy_asset_file

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
    r"^\s*\\begin\{(equation|align|alignat|flalign|gather|multline|eqnarray)\*?\}.*\\end\{\1\*?\}\s*$", re.DOTALL
)

#: MathJax settings: AMS numbering for ``equation`` and ``align`` and ``\tag``.
MATHJAX_CONFIG: dict[str, Any] = {
    "tex": {"tags": "ams", "tagSide": "right"},
    "options": {"menuOptions": {"settings": {"assistiveMml": True}}},
}


def mathjax_dir() -> Path:
    """The folder holding the MathJax files shipped by :data:`DISTRIBUTION`."""
    dist = metadata.distribution(DISTRIBUTION)
    entry = next(f for f in dist.files or [] if f.name == "tex-chtml.js")
    return Path(str(dist.locate_file(entry))).parent


def configure(app: Sphinx, config: Config) -> None:
    """``config-inited``: use the local MathJax unless the site chose another one."""
    if config.mathjax_path.startswith(("http://", "https://", "//")):
        config.mathjax_path = MATHJAX_PATH
        if config.mathjax3_config is None:
            config.mathjax3_config = MATHJAX_CONFIG


def copy_mathjax(app: Sphinx) -> None:
    """``builder-inited``: copy the MathJax files the pages may load into ``_static``.

    This happens before pages are written, so their links to MathJax carry its checksum.
    """
    if app.builder.format != "html" or app.config.mathjax_path != MATHJAX_PATH:
        return
    source = mathjax_dir()
    target = Path(app.outdir, "_static", "mathjax")
    target.mkdir(parents=True, exist_ok=True)
    for part in _PARTS:
        if (source / part).is_file():
            copy_asset_file(source / part, target, force=True)
        else:
            copy_asset(source / part, target / part, force=True)


class AmsEnvironments(SphinxTransform):
    """Pass displays that are one AMS environment to MathJax as written, for it to number."""

    default_priority = 500

    def apply(self, **kwargs: Any) -> None:
        for block in self.document.findall(nodes.math_block):
            # MyST labels its `amsmath` blocks with a random id, for Sphinx to number them.
            from_myst = "amsmath" in block["classes"]
            if (from_myst or "label" not in block) and _TOP_LEVEL.match(block.astext()):
                if from_myst:
                    block["classes"].remove("amsmath")
                    block["ids"] = [i for i in block["ids"] if i != f"equation-{block.get('label')}"]
                    block.attributes.pop("label", None)
                block["nowrap"] = True
                block["numbered"] = False

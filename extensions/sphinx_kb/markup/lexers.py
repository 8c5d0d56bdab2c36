"""Highlight the code fences of the web languages a blog's posts show, with the nearest lexer.

Astro and MDX posts carry fences marked ``mdx``, ``jsx``, ``tsx``, ``astro``, ``vue`` or
``svelte``. Pygments knows some of these names (which ones depends on its version); for any it
does not, Sphinx would warn "Pygments lexer name ... is not known" and show the code plain. Each
name Pygments does not know is registered with Sphinx (``app.add_lexer``) as the nearest lexer it
does have: MDX is Markdown, Astro and Svelte components are HTML with script, JSX and TSX fall back
to JavaScript and TypeScript.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pygments.lexers import find_lexer_class_by_name
from pygments.util import ClassNotFound

if TYPE_CHECKING:
    from pygments.lexer import Lexer
    from sphinx.application import Sphinx

#: Each language name, and the lexers to use for it, nearest first.
NEAREST: dict[str, tuple[str, ...]] = {
    "mdx": ("mdx", "markdown"),
    "jsx": ("jsx", "javascript"),
    "tsx": ("tsx", "typescript"),
    "astro": ("astro", "html"),
    "vue": ("vue", "html"),
    "svelte": ("svelte", "html"),
}


def nearest_lexer(names: tuple[str, ...]) -> type[Lexer] | None:
    """The class of the first lexer of *names* that this Pygments has."""
    for name in names:
        try:
            return find_lexer_class_by_name(name)
        except ClassNotFound:
            continue
    return None


def setup(app: Sphinx) -> None:
    """Register a lexer for each name of :data:`NEAREST` that Pygments does not know."""
    for alias, names in NEAREST.items():
        lexer = nearest_lexer(names)
        if lexer is not None and alias not in lexer.aliases:
            app.add_lexer(alias, lexer)

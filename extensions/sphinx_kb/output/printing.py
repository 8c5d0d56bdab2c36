"""A post on paper: the print stylesheet and what it needs from the pages.

``static/kb-print.css`` (loaded with ``media="print"``) leaves out what only works on a screen
(furo's header, sidebars, "Skip to content", the theme toggle, back-to-top, link previews), opens
what a reader would have to click (sphinx-design dropdowns, folded callouts, every tab with its
label), wraps code instead of cutting it, and prints each external link's address after its text.
``static/kb.js`` also opens every ``<details>`` just before printing and closes them again after,
for browsers that cannot show a closed one's content with CSS alone.

A link whose text already is its address (``<https://example.org>``) gets the class
:data:`BARE_URL` here, so that the address is not printed twice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: The class of an external link whose text is its address.
BARE_URL = "kb-bare-url"


def _same_address(text: str, uri: str) -> bool:
    """Whether a link's *text* spells its *uri* (give or take the scheme and a final slash)."""

    def plain(address: str) -> str:
        for scheme in ("mailto:", "https://", "http://"):
            address = address.removeprefix(scheme)
        return address.rstrip("/")

    return plain(text.strip()) == plain(uri)


class BareUrls(SphinxPostTransform):
    """HTML: mark the external links whose text is their address (:data:`BARE_URL`)."""

    default_priority = 900
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        for reference in self.document.findall(nodes.reference):
            uri = reference.get("refuri", "")
            external = "://" in uri or uri.startswith("mailto:")
            if external and _same_address(reference.astext(), uri):
                reference["classes"].append(BARE_URL)


def setup(app: Sphinx) -> None:
    """The print stylesheet, and the class it needs on links."""
    app.add_post_transform(BareUrls)
    app.add_css_file("kb-print.css", media="print")

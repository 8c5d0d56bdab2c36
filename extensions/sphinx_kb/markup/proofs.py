"""sphinx-proof's theorems and proofs for the builders sphinx-proof does not know.

sphinx-proof writes its blocks (``prf:theorem``, ``prf:lemma``, ..., ``prf:proof``) for HTML and
LaTeX only; the text, man and Texinfo builders stop on the first one with ``NotImplementedError``.
For those builders :class:`PlainProofs` makes each block an ordinary admonition titled the way the
HTML page titles it ("Theorem 2 (Cauchy-Schwarz)"), and a proof its paragraphs ("Proof. ...").

Labels: sphinx-proof keeps every block of the site in one table (``env.proof_list``) by label,
and names an unlabelled block ``<kind>-<serial>``, with a serial counted per page: the first
unlabelled algorithm of every post is ``algorithm-0``, and each post after the first got "duplicate
algorithm label", at a mangled path and no line. :func:`unique_labels` wraps each of its block
directives so that an unlabelled block's entry in the table is keyed by its page as well (the
block's own label and HTML id, which only its page uses, stay as sphinx-proof makes them), and a
label an author really gives twice is one ``kb.label`` warning at the block's line.

Loaded by sphinx-kb; a site may also list ``sphinx_kb.markup.proofs`` among its extensions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.domains import Domain
from sphinx.locale import get_translation
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx_proof.directive import ElementDirective
from sphinx_proof.domain import ProofDomain
from sphinx_proof.nodes import NODE_TYPES, proof_node, unenumerable_node

from ..warnings_ import KbWarning, warn

if TYPE_CHECKING:
    from collections.abc import Set

    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata

#: sphinx-proof's own translations of "Theorem", "Lemma", ...
_ = get_translation("proof")

#: The formats whose writers know sphinx-proof's nodes.
KNOWN_FORMATS = ("html", "latex")

_BLOCKS = (*NODE_TYPES.values(), unenumerable_node)


class PlainProofs(SphinxPostTransform):
    """Other builders: theorem-like blocks become titled admonitions, proofs their paragraphs."""

    default_priority = 200

    def is_supported(self) -> bool:
        return self.app.builder.format not in KNOWN_FORMATS

    def run(self, **kwargs: Any) -> None:
        for node in list(self.document.findall(lambda n: isinstance(n, _BLOCKS))):
            node.replace_self(self._admonition(node))
        for node in list(self.document.findall(proof_node)):
            # The proof's one child is an untitled admonition whose text starts "Proof. ".
            node.replace_self([child for inner in node.children for child in inner.children])

    def _admonition(self, node: nodes.Element) -> nodes.admonition:
        """The admonition standing for sphinx-proof's *node*: its title, then its content."""
        kind = _(node.get("realtype", "").title())
        number = self._number(node)
        title = nodes.title("", f"{kind} {number}" if number else kind)
        admonition = nodes.admonition(classes=node["classes"], ids=node["ids"])
        admonition.source, admonition.line = node.source, node.line
        for child in node.children:
            if isinstance(child, nodes.title):
                title.extend(child.children)  # the title the author gave, as " (Title)"
            elif isinstance(child, nodes.section):
                admonition.extend(child.children)  # sphinx-proof's untitled wrapper of the content
            else:
                admonition += child
        admonition.insert(0, title)
        return admonition

    def _number(self, node: nodes.Element) -> str:
        """The block's number, as Sphinx (or sphinx-kb, in posts) numbered it, or ``""``."""
        docname = self.env.path2doc(node.source) if node.source else None
        numbers = self.env.toc_fignumbers.get(docname or self.env.docname, {})
        number = numbers.get(node.get("countertype", ""), {}).get(node["ids"][0] if node["ids"] else "", ())
        return ".".join(map(str, number))


def unique_labels(directive: type[ElementDirective]) -> type[ElementDirective]:
    """sphinx-proof's block *directive*, keeping its labels apart from other pages' (see the notes)."""

    class UniqueLabels(directive):
        def run(self) -> list[nodes.Node]:
            proofs: dict[str, dict[str, Any]] = self.env.__dict__.setdefault("proof_list", {})
            label = self.options.get("label", "")
            if label and label in proofs:
                other = proofs.pop(label)  # sphinx-proof would replace it, with a warning of no line
                kind = self.name.split(":")[-1]
                where = self.env.doc2path(other["docname"])
                message = "%s label %r is given twice (also in %s); references lead here"
                warn(KbWarning.LABEL, message, kind, label, where, location=self.get_location())
            result = super().run()
            if not label:
                for node in result:
                    auto = node.get("label")
                    if auto and proofs.get(auto, {}).get("docname") == self.env.docname:
                        proofs[f"{self.env.docname}:{auto}"] = proofs.pop(auto)
            return result

    UniqueLabels.__name__ = UniqueLabels.__qualname__ = directive.__name__
    return UniqueLabels


def _merge_nothing(self: ProofDomain, docnames: Set[str], otherdata: dict[str, Any]) -> None:
    """sphinx-proof's domain holds no data: its theorems are in ``env.proof_list``, which its own
    ``env-merge-info`` handler merges."""


def setup(app: Sphinx) -> ExtensionMetadata:
    """Register :class:`PlainProofs` (after sphinx-proof), and let sphinx-proof read in parallel.

    sphinx-proof says it reads in parallel, but its domain has no ``merge_domaindata``, so Sphinx
    stops with ``NotImplementedError`` after the first parallel chunk (sphinx-proof 0.4.0); there
    is nothing to merge (:func:`_merge_nothing`).
    """
    app.setup_extension("sphinx_proof")
    if ProofDomain.merge_domaindata is Domain.merge_domaindata:
        ProofDomain.merge_domaindata = _merge_nothing
    for name, directive in ProofDomain.directives.items():
        if isinstance(directive, type) and issubclass(directive, ElementDirective):
            app.add_directive_to_domain("prf", name, unique_labels(directive), override=True)
    app.add_post_transform(PlainProofs)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

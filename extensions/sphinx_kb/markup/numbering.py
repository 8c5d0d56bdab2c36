"""Figure, table and theorem numbers for posts, which are in no toctree, and theorem labels.

Sphinx numbers figures (and every other enumerable node: tables, captioned code, sphinx-proof's
theorems) only in documents it reaches through the toctree. Posts are deliberately outside it
(:mod:`.bundles`), so ``{numref}`` to their figures failed and sphinx-proof could not render a
theorem at all. Here each post is numbered on its own, from 1 for each kind, the way a paper is:
numbers are taken when the post is read and handed to Sphinx after its own numbering.

sphinx-proof resolves a theorem's label only through its own ``{prf:ref}`` role; here the label
is also a standard reference target, so ``{ref}`` and MyST's ``[text](#label)`` reach it too.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.domains.std import StandardDomain

from ..blog.domain import Numbers, store

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


def _figtype(env: BuildEnvironment, node: nodes.Element) -> str | None:
    """The kind of number *node* takes, as Sphinx decides it (uncaptioned figures take none)."""
    for domain in env.domains.sorted():
        figtype = domain.get_enumerable_node_type(node)
        if isinstance(domain, StandardDomain) and not domain.get_numfig_title(node):
            continue
        if figtype:
            return figtype
    return None


def collect(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``: number the enumerable nodes of a post in page order."""
    env = app.env
    if env.docname not in store(env).posts or not env.config.numfig:
        return
    counters: Counter[str] = Counter()
    # Sphinx's math domain looks for this key whenever it resolves {eq} to the page.
    found: Numbers = {"displaymath": {}}
    for node in doctree.findall(nodes.Element):
        # Most elements have no id: asking every domain about them was most of the cost.
        figtype = _figtype(env, node) if node["ids"] else None
        if figtype:
            counters[figtype] += 1
            found.setdefault(figtype, {})[node["ids"][0]] = (counters[figtype],)
    store(env).numbers[env.docname] = found


def label_theorems(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``: make each labelled sphinx-proof block a standard reference target."""
    std = app.env.domains.standard_domain
    for node in doctree.findall(nodes.Element):
        label, kind = node.get("label"), node.get("realtype")
        # sphinx-proof names unlabelled blocks `<kind>-<serial>` and does not index them.
        if not (label and kind and node["ids"]) or re.fullmatch(rf"{kind}-\d+", label):
            continue
        title = (node.get("title") or "").strip()
        std.labels[label.lower()] = (app.env.docname, node["ids"][0], f"{kind.title()} {title}".strip())
        std.anonlabels[label.lower()] = (app.env.docname, node["ids"][0])


def assign(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-get-updated``, after Sphinx numbered the toctree: add the posts' numbers."""
    for docname, found in store(env).numbers.items():
        env.toc_fignumbers.setdefault(docname, found)
    return []


def setup(app: Sphinx) -> None:
    """Number posts as they are read, and hand the numbers to Sphinx after its own."""
    app.connect("doctree-read", collect)
    app.connect("doctree-read", label_theorems)
    app.connect("env-get-updated", assign, priority=900)

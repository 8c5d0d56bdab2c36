"""Links between notes: every form real notes use leads to its post, or is one located warning.

Notes moved from Hugo and Obsidian link to each other in many ways; each leads to the post it
means, and to the heading, theorem, figure or equation named after ``#``:

- the old site's addresses, absolute (an origin of ``kb_old_origins``) or root-relative:
  ``https://old-site.example/p/<slug>/``, ``/p/<slug>/#section`` (``kb_old_urls``, the post's
  ``aliases`` and ``url``);
- note names: ``[text](Name.md)``, ``[text](Kaplan%20scaling%20law.md)``, ``[text](03Area/GShard.md)``,
  and wikilinks ``[[Name]]``, ``[[Name|text]]``, ``[[Name#Heading]]``, ``[[#Heading]]``: the name is a
  post's title, folder, front-matter ``slug`` or alias, in any case, spaces, ``-`` and ``_`` alike;
- paths: ``../other/article.md``, ``../other/``, ``/posts/other/``, and ``{doc}``/``{ref}`` roles;
- anchors as Hugo, GitHub and Obsidian write them (``#bellman-equation``, ``#Bellman Equation``,
  ``#方差与外推``), matched to the ids MyST-Parser gives.

How, by build phase:

1. Reading, text: :func:`convert_wikilinks` (a step of :mod:`..pipeline`) turns wikilinks into
   Markdown links to ``kb-wiki:Name#Heading``, outside code and math; MyST does not parse them.
2. Reading, doctree (:class:`CollectLinks`, before MyST resolves ``#anchor`` links): anchors of the
   same page written the Obsidian or Hugo way are mapped to the page's ids, ``.md`` links MyST took
   for downloads become links again (a draft's source is never published), and every link to another
   page is recorded in the store as a :data:`~.domain.LinkKey`, as written.
3. After reading (:func:`update_graph`, ``env-updated``): the keys are resolved against all posts,
   which gives the link graph (``links``, queried with :meth:`~.domain.KbDomain.backlinks`). Pages whose
   links now resolve differently (a post renamed, added or deleted, an old address changed) are
   written again, so an ordinary rebuild equals a clean one.
4. Writing (:class:`ResolveLinks`, a post-transform before MyST-Parser's resolver): each link
   becomes a reference to its post and anchor. A link that leads nowhere is one warning at its file
   and line, with up to three close posts, and is shown as its text, marked (:class:`broken_link`).

Links MyST or Sphinx resolve themselves (labels, documents, intersphinx) are left to them.
"""

from __future__ import annotations

import difflib
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote, urlsplit

from docutils import nodes
from sphinx import addnodes
from sphinx.errors import NoUri
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import docname_join
from sphinx.util import logging as sphinx_logging
from sphinx.util.docutils import SphinxTranslator
from sphinx.util.nodes import make_refnode

from ..config import kb_config
from ..content import urlize
from ..markup.mdx.lexer import Kind, tokenize
from ..warnings_ import KbWarning, warn
from .domain import LinkKey, PostRecord, store

if TYPE_CHECKING:
    from collections.abc import Set

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

#: The scheme wikilinks are given in the Markdown MyST parses; never a real address.
WIKI = "kb-wiki:"

#: ``[[Name]]``, ``[[Name#Heading]]``, ``[[Name|text]]``; not ``![[embed]]``, not ``[[1]](url)``.
_WIKILINK = re.compile(r"(?<![!\\])\[\[(?P<body>[^\[\]\n|]+?)(?:\|(?P<text>[^\[\]\n]*?))?\]\](?![(\[:])")
#: ASCII punctuation that could start Markdown markup in a link text.
_MARKUP = re.compile(r"([\\`*_\[\]<>$~{}&!#|])")
_SEPARATORS = re.compile(r"[\s_-]+")
_SUFFIXES = (".md", ".mdx")
#: How many close posts a warning offers.
_SUGGESTIONS = 3


# 1. Wikilinks, in the text ------------------------------------------------------------------


def wikilinks_to_markdown(text: str) -> str:
    """Replace the wikilinks in the prose of *text* (not in code or math) by Markdown links to
    ``kb-wiki:`` targets. Each stays on its line."""
    if "[[" not in text:
        return text
    tokens, _problems = tokenize(text)
    return "".join(_WIKILINK.sub(_wikilink, token.text) if token.kind is Kind.TEXT else token.text for token in tokens)


def _wikilink(match: re.Match[str]) -> str:
    name, _, heading = match["body"].partition("#")
    name, heading = name.strip(), heading.strip()
    if match["text"] is not None and match["text"].strip():
        text = match["text"].strip()
    elif name and heading:
        text = f"{name} > {heading}"  # as Obsidian shows it
    else:
        text = heading or name
    target = WIKI + quote(name, safe="/") + ("#" + quote(heading, safe="") if heading else "")
    return "[" + _MARKUP.sub(r"\\\1", text) + f"]({target})"


def convert_wikilinks(app: Sphinx, docname: str, source: list[str]) -> None:
    """``source-read`` step: wikilinks of a Markdown page to Markdown links."""
    if Path(app.env.doc2path(docname)).suffix in _SUFFIXES:
        source[0] = wikilinks_to_markdown(source[0])


def convert_chapter_wikilinks(content: list[str]) -> None:
    """``include-read`` step: the same for an included chapter."""
    content[0] = wikilinks_to_markdown(content[0])


# Names and anchors --------------------------------------------------------------------------


def name_key(name: str) -> str:
    """A note name as it is compared: decoded, without ``.md``, case-folded, with spaces, ``-`` and
    ``_`` alike: ``Kaplan%20scaling_Law.md`` -> ``kaplan-scaling-law``."""
    name = unquote(name).strip()
    for suffix in _SUFFIXES:
        name = name.removesuffix(suffix)
    return _SEPARATORS.sub("-", name.casefold()).strip("-")


def squash(text: str) -> str:
    """An anchor or heading reduced to its letters and digits, case-folded: the forms Hugo, GitHub,
    Obsidian and MyST give one heading (``Bellman Equation``, ``bellman-equation``) agree."""
    return "".join(char for char in unquote(text).casefold() if char.isalnum())


# 2. Reading: classify and record links -------------------------------------------------------


@dataclass(frozen=True)
class Site:
    """What classifying a link needs to know of the site (all from ``conf.py``)."""

    #: Origins whose absolute links are this site's: ``kb_old_origins`` and ``html_baseurl``'s.
    origins: tuple[str, ...]
    #: The path ``html_baseurl`` publishes under (``/en/latest``), or ``""``.
    base_path: str
    article_names: tuple[str, ...]

    @classmethod
    def of(cls, env: BuildEnvironment) -> Site:
        settings = kb_config(env)
        origins = list(settings.old_origins)
        base = env.config.html_baseurl or ""
        base_path = ""
        if base:
            parts = urlsplit(base)
            origins.append(f"{parts.scheme}://{parts.netloc}{parts.path}".rstrip("/"))
            base_path = parts.path.rstrip("/")
        return cls(tuple(origins), base_path, settings.article_names)

    def own_path(self, url: str) -> str | None:
        """The path of an absolute *url* of this site (old or new), with its ``#anchor``; else ``None``."""
        for origin in self.origins:
            if url.casefold() == origin.casefold() or url.casefold().startswith(origin.casefold() + "/"):
                rest = url[len(origin) :]
                return rest if rest.startswith("/") else "/" + rest
        return None


def classify(target: str, docname: str, docdir: str, site: Site) -> LinkKey | None:
    """What a link target as MyST gives it names, as a key: ``(kind, path, name, anchor)``.

    Kinds: ``name`` (a wikilink), ``note`` (a ``.md`` file), ``file`` (a folder path), ``path`` (an
    address of the site, root-relative), ``any`` (a bare word MyST may resolve), ``local`` (an
    anchor of the same page). ``None``: not a link to this site (``https://elsewhere``, ``mailto:``).
    """
    if target.startswith(WIKI):
        name, _, anchor = target.removeprefix(WIKI).partition("#")
        name = unquote(name).strip()
        if not name:
            return ("local", "", "", unquote(anchor))
        return ("name", "", name_key(name.rsplit("/", 1)[-1]), unquote(anchor))
    parts = urlsplit(target)
    if parts.scheme in {"http", "https"}:
        own = site.own_path(target)
        if own is None:
            return None
        path, _, anchor = own.partition("#")
        return ("path", unquote(path), "", unquote(anchor))
    if parts.scheme:
        return None
    path, _, anchor = target.partition("#")
    path, anchor = unquote(path), unquote(anchor)
    if not path:
        return ("local", "", "", anchor)
    if path.startswith("/"):
        return ("path", path, "", anchor)
    if path.endswith(_SUFFIXES):
        stem = posixpath.splitext(path)[0]
        return ("note", _document_path(posixpath.join(docdir, stem), site), name_key(stem.rsplit("/", 1)[-1]), anchor)
    if "/" in path:
        folder = path.rstrip("/")
        return (
            "file",
            _document_path(posixpath.join(docdir, folder), site),
            name_key(folder.rsplit("/", 1)[-1]),
            anchor,
        )
    return ("any", path, name_key(path), anchor)


def _document_path(path: str, site: Site) -> str:
    """*path* normalized, without a trailing article name: ``posts/x/../y/article`` -> ``posts/y``."""
    path = posixpath.normpath(path).lstrip("/")
    head, _, last = path.rpartition("/")
    return head if head and last in site.article_names else path


def _docdir(env: BuildEnvironment, docname: str) -> str:
    """The folder of *docname*'s source, relative to the source folder."""
    source = Path(env.doc2path(docname)).relative_to(env.srcdir)
    return posixpath.dirname(source.as_posix())


class CollectLinks(SphinxTransform):
    """Reading: map same-page anchors to the page's ids, and record every link to another page."""

    # Just before MyST-Parser's ResolveAnchorIds (879) turns `#anchor` links into references.
    default_priority = 878

    def apply(self, **kwargs: Any) -> None:
        docname = self.env.docname
        self._undo_downloads(docname)
        self._map_anchors(docname)
        site, docdir = Site.of(self.env), _docdir(self.env, docname)
        keys: set[LinkKey] = set()
        for node in self.document.findall(addnodes.pending_xref):
            key = _key_of(node, docname, docdir, site)
            if key is not None and key[0] != "local":
                keys.add(key)
        for node in self.document.findall(nodes.reference):
            if _absolute(node) and (key := classify(node["refuri"], docname, docdir, site)) is not None:
                keys.add(key)
        domain = store(self.env)
        if keys:
            domain.link_keys[docname] = sorted(keys)
        else:
            domain.link_keys.pop(docname, None)

    def _undo_downloads(self, docname: str) -> None:
        """A ``.md`` link to a file that is not a page (a draft, a note never published) is a
        download to MyST: make it a link again, so the file is never copied into the site."""
        for node in list(self.document.findall(addnodes.download_reference)):
            target = node.get("reftarget", "")
            if node.get("reftype") == "myst" and target.endswith(_SUFFIXES):
                node.replace_self(_pending(docname, target, node.get("refexplicit", False), node.children, node))

    def _map_anchors(self, docname: str) -> None:
        """``[text](#Heading Text)``, ``[text](#bellman-equation)``: the id the page gives it.

        Anchors the page has as written are left to MyST-Parser; one that matches nothing becomes a
        link :class:`ResolveLinks` reports (MyST-Parser would have looked for a label elsewhere too,
        which it still does first)."""
        anchors = _local_anchors(self.document, self.env, docname)
        for node in list(self.document.findall(nodes.reference)):
            if not node.get("id_link"):
                continue
            anchor = node["refuri"][1:]
            if anchor in anchors.exact:
                continue
            found = anchors.match(anchor)
            if found is not None:
                node["refuri"] = "#" + found
                continue
            pending = _pending(docname, anchor, bool(node.children), node.children, node)
            pending["kb_anchor"] = True
            node.replace_self(pending)


def _absolute(node: nodes.Element) -> bool:
    """Whether *node* links to an absolute ``http(s)`` address (which may be one of the site's)."""
    return urlsplit(node.get("refuri", "")).scheme in {"http", "https"}


def _pending(docname: str, target: str, explicit: bool, children: list[nodes.Node], origin: nodes.Element):
    """A MyST link to *target* with *children* as its text, at the place of *origin*."""
    pending = addnodes.pending_xref(
        "", refdoc=docname, refdomain=None, reftype="myst", reftarget=target, refexplicit=explicit
    )
    pending.source, pending.line = origin.source, origin.line
    if "reftitle" in origin:
        pending["reftitle"] = origin["reftitle"]
    inner = nodes.inline("", "", classes=["xref", "myst"])
    inner += [child.deepcopy() for child in children]
    pending += inner
    return pending


def _key_of(node: addnodes.pending_xref, docname: str, docdir: str, site: Site) -> LinkKey | None:
    """The key of a cross-reference node, or ``None`` if it is not a link to a page."""
    target = node.get("reftarget", "")
    domain, kind = node.get("refdomain"), node.get("reftype")
    if kind == "myst" and domain == "doc":
        return ("note", target, name_key(target.rsplit("/", 1)[-1]), node.get("reftargetid") or "")
    if kind == "myst" and not domain:
        if node.get("kb_anchor"):
            return ("local", "", "", target)
        return classify(target, docname, docdir, site)
    if domain == "std" and kind == "doc":
        # Sphinx reads a relative name from the document's folder (`posts/` for `posts/x`); an author
        # of a bundle may mean the bundle's folder (`posts/x/`): both are kept, Sphinx's first.
        sphinx_path = docname_join(node.get("refdoc", docname), target)
        return ("doc", sphinx_path, _document_path(posixpath.join(docdir, target), site), "")
    if domain == "std" and kind == "ref":
        return ("ref", target.lower(), "", "")
    return None


@dataclass
class _Anchors:
    """The anchors of one page: the ids as written, and what each may be called."""

    exact: set[str]
    #: (squashed name, the anchor MyST resolves) in page order: headings, labels, equations.
    names: list[tuple[str, str]]

    def match(self, anchor: str) -> str | None:
        """The anchor *anchor* means, written the Hugo, GitHub or Obsidian way; ``None`` if none."""
        wanted = squash(anchor)
        if not wanted:
            return None
        return next((found for name, found in self.names if name == wanted), None)


def _local_anchors(document: nodes.document, env: BuildEnvironment, docname: str) -> _Anchors:
    slugs: dict[str, tuple[int | None, str, str]] = getattr(document, "myst_slugs", {}) or {}
    exact = set(slugs) | set(document.ids)
    exact |= {name for name, explicit in document.nametypes.items() if explicit and document.nameids.get(name)}
    names = [(squash(text), slug) for slug, (_line, _id, text) in slugs.items()]
    names += [(squash(slug), slug) for slug in slugs]
    names += [(squash(name), name) for name in sorted(exact - set(slugs))]
    names += [(squash(label), label) for label, (doc, _n) in _equations(env).items() if doc == docname]
    return _Anchors(exact, names)


def _equations(env: BuildEnvironment) -> dict[str, tuple[str, int]]:
    return env.domains.math_domain.equations


# 3. After reading: the graph -----------------------------------------------------------------


@dataclass(frozen=True)
class Anchor:
    """Where an anchor leads in a page: the node id, and the text a link without text shows."""

    id: str
    text: str


class Resolver:
    """Resolves link keys against every post of the site; built once per build, after reading."""

    def __init__(self, env: BuildEnvironment) -> None:
        self.env = env
        self.site = Site.of(env)
        domain = store(env)
        self.posts = domain.posts
        self.docs: set[str] = set(env.found_docs)
        #: Note name -> document, for titles, folders, slugs and aliases (folders and slugs win).
        self.names: dict[str, str] = {}
        #: Address (:func:`.urlize.address_key`) -> document: pages, then old addresses of posts.
        self.addresses: dict[str, str] = {}
        for docname in sorted(self.docs):
            self.addresses.setdefault(_page_address(docname), docname)
        old = old_addresses(env)
        for priority in range(3):
            for record in sorted(self.posts.values(), key=lambda r: r.docname):
                for name in _names(record)[priority]:
                    self.names.setdefault(name, record.docname)
        for record in sorted(self.posts.values(), key=lambda r: r.docname):
            for address in [*old.get(record.docname, ()), *_explicit_addresses(record)]:
                self.addresses.setdefault(urlize.address_key(address), record.docname)

    def target(self, key: LinkKey, refdoc: str) -> str | None:
        """The document *key* leads to, or ``None``."""
        kind, path, name, _anchor = key
        if kind == "name":
            return self.names.get(name)
        if kind in {"note", "file"}:
            return path if path in self.docs else self.names.get(name)
        if kind == "path":
            return self._address(path)
        if kind == "doc":
            return next((doc for doc in (path, name) if doc in self.docs), None)
        if kind == "ref":
            label = self.env.domains.standard_domain.labels.get(path)
            return label[0] if label else None
        if kind == "any":
            label = self.env.domains.standard_domain.labels.get(path.lower())
            if label:
                return label[0]
            joined = posixpath.normpath(posixpath.join(posixpath.dirname(refdoc), path))
            return joined if joined in self.docs else self.names.get(name)
        return None

    def _address(self, path: str) -> str | None:
        key = urlize.address_key(path)
        found = self.addresses.get(key)
        base = urlize.address_key(self.site.base_path) if self.site.base_path else ""
        if found is None and base and base != "/" and key.startswith(base + "/"):
            found = self.addresses.get(key[len(base) :])
        return found

    def anchor(self, docname: str, anchor: str) -> Anchor | None:
        """Where *anchor* leads in page *docname*: a heading, a label (theorem, figure) or an equation."""
        slugs: dict[str, tuple[int | None, str, str]] = self.env.metadata.get(docname, {}).get("myst_slugs", {})
        if anchor in slugs:
            return Anchor(slugs[anchor][1], slugs[anchor][2])
        candidates: list[tuple[str, Anchor]] = []
        for slug, (_line, section_id, text) in slugs.items():
            if section_id == anchor:
                return Anchor(section_id, text)
            candidates += [(squash(text), Anchor(section_id, text)), (squash(slug), Anchor(section_id, text))]
        std = self.env.domains.standard_domain
        for label, entry in sorted(std.anonlabels.items()):
            if entry[0] != docname or not entry[1]:
                continue
            title = std.labels.get(label, ("", "", ""))[2]
            if anchor.lower() == label or anchor == entry[1]:
                return Anchor(entry[1], title)
            candidates.append((squash(label), Anchor(entry[1], title)))
        from ..markup.mathjax import equation_id

        for label, (doc, number) in sorted(_equations(self.env).items()):
            if doc != docname:
                continue
            if anchor == label:
                return Anchor(equation_id(label), f"({number})")
            candidates.append((squash(label), Anchor(equation_id(label), f"({number})")))
        wanted = squash(anchor)
        return next((found for name, found in candidates if wanted and name == wanted), None)

    def suggest(self, written: str) -> list[PostRecord]:
        """Up to three posts whose title, folder or slug is closest to *written*."""
        choices: dict[str, str] = {}
        for record in sorted(self.posts.values(), key=lambda r: r.docname):
            for name in (*_names(record)[0], *_names(record)[1]):
                choices.setdefault(name, record.docname)
        query = name_key(unquote(written).split("#", 1)[0].rstrip("/").rsplit("/", 1)[-1])
        found: list[str] = []
        for name in difflib.get_close_matches(query, choices, n=10, cutoff=0.6):
            if choices[name] not in found:
                found.append(choices[name])
        return [self.posts[docname] for docname in found[:_SUGGESTIONS]]


def _names(record: PostRecord) -> tuple[list[str], list[str], list[str]]:
    """The names of a post, by priority: folder and slug, title, aliases that are names."""
    slug = record.meta.extra.get("slug")
    first = [name_key(record.slug)] + ([name_key(str(slug))] if isinstance(slug, str | int) else [])
    aliases = [name_key(alias) for alias in record.meta.aliases if "/" not in alias]
    return first, [name_key(record.title)], aliases


def _explicit_addresses(record: PostRecord) -> list[str]:
    """The old addresses a post gives itself: its ``aliases`` that are paths and Hugo's ``url``."""
    url = record.meta.extra.get("url")
    return [alias for alias in record.meta.aliases if "/" in alias] + ([url] if isinstance(url, str) else [])


def _page_address(docname: str) -> str:
    """The address of a page relative to the site's root: ``posts/x`` -> ``/posts/x``, ``a/index`` -> ``/a``."""
    if docname == "index" or docname.endswith("/index"):
        docname = docname.removesuffix("index")
    return urlize.address_key("/" + docname)


def old_addresses(env: BuildEnvironment) -> dict[str, list[str]]:
    """The addresses ``kb_old_urls`` gives each post (document -> addresses, in pattern order).

    :mod:`..output.redirects` writes a redirect page at each, as it does for ``aliases``.
    """
    settings = kb_config(env)
    if not settings.old_urls:
        return {}
    section = settings.posts_dir.rsplit("/", 1)[-1]
    result: dict[str, list[str]] = {}
    for record in sorted(store(env).posts.values(), key=lambda r: r.docname):
        slug = record.meta.extra.get("slug")
        page = urlize.Page(
            title=record.title,
            folder=record.slug,
            section=section,
            slug=str(slug) if isinstance(slug, str | int) and str(slug).strip() else None,
            date=record.date,
        )
        addresses = [address for pattern in settings.old_urls if (address := urlize.expand(pattern, page))]
        if addresses:
            result[record.docname] = list(dict.fromkeys(addresses))
    return result


def resolver(env: BuildEnvironment) -> Resolver:
    """The build's :class:`Resolver` (made after reading, kept with the write caches)."""
    cache = store(env).write_cache
    if "link_resolver" not in cache:
        cache["link_resolver"] = Resolver(env)
    return cache["link_resolver"]


def update_graph(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-updated``: resolve every recorded link; return the pages to write again.

    Those are the pages whose links lead somewhere else than at the last build (or show another
    title), and the posts whose list of referring posts changed.
    """
    domain = store(env)
    links = resolver(env)
    rewrite: set[str] = set()
    graph: dict[str, list[str]] = {}
    for docname, keys in sorted(domain.link_keys.items()):
        state = []
        targets: set[str] = set()
        for key in keys:
            target = links.target(key, docname)
            anchor = links.anchor(target, key[3]) if target and key[3] else None
            title = domain.posts[target].title if target in domain.posts else ""
            state.append((key, target or "", title, anchor.id if anchor else ""))
            if target in domain.posts and target != docname:
                targets.add(target)
        if domain.data["link_state"].get(docname) != state:
            rewrite.add(docname)
        domain.data["link_state"][docname] = state
        if targets:
            graph[docname] = sorted(targets)
    for docname in set(domain.data["link_state"]) - set(domain.link_keys):
        del domain.data["link_state"][docname]
    domain.data["links"] = graph
    before: dict[str, list[str]] = domain.data.get("backlinks", {})
    now = {target: domain.backlinks(target) for target in sorted({t for ts in graph.values() for t in ts})}
    rewrite |= {name for name in set(before) | set(now) if before.get(name) != now.get(name)}
    domain.data["backlinks"] = now
    return sorted(rewrite & env.found_docs)


# 4. Writing: resolve --------------------------------------------------------------------------


class broken_link(nodes.inline):  # noqa: N801 (docutils naming)
    """A link that leads nowhere, shown as its text with a marker; ``reftitle`` says why."""


def visit_broken_link(translator: SphinxTranslator, node: broken_link) -> None:
    translator.body.append(translator.starttag(node, "span", "", title=node["reftitle"]))


def depart_broken_link(translator: SphinxTranslator, node: broken_link) -> None:
    translator.body.append("</span>")


class ResolveLinks(SphinxPostTransform):
    """Writing: turn each link to a post into a reference, or report it and show it as text."""

    # Before MyST-Parser's MystReferenceResolver (9) and mathjax.EquationLinks (8).
    default_priority = 7

    def run(self, **kwargs: Any) -> None:
        self.links = resolver(self.env)
        self.docname = self.env.docname
        self.docdir = _docdir(self.env, self.docname)
        for node in list(self.document.findall(addnodes.pending_xref)):
            if node.get("reftype") == "myst" and node.get("refdomain") in {None, "", "doc"}:
                self._resolve_myst(node)
            elif node.get("refdomain") == "std" and node.get("reftype") == "doc":
                self._bundle_doc(node)
        for node in list(self.document.findall(nodes.reference)):
            if _absolute(node) and (key := classify(node["refuri"], self.docname, self.docdir, self.links.site)):
                self._resolve(node, key, node.children, node["refuri"])

    def _bundle_doc(self, node: addnodes.pending_xref) -> None:
        """``{doc}`../other/article``` from a bundle: the document the author means, for Sphinx."""
        key = _key_of(node, self.docname, self.docdir, self.links.site)
        if key is not None and key[1] not in self.links.docs and key[2] in self.links.docs:
            node["reftarget"] = "/" + key[2]

    def _resolve_myst(self, node: addnodes.pending_xref) -> None:
        key = _key_of(node, self.docname, self.docdir, self.links.site)
        if key is None:
            return
        children = node[0].children if node.children and node.get("refexplicit") else []
        written = _written(node, key)
        if key[0] == "local":
            if node.get("kb_anchor") and self._myst_resolves(node):
                return
            self._to_anchor(node, self.docname, key[3], children, written)
        elif key[0] == "any" and self._myst_resolves(node):
            return
        else:
            self._resolve(node, key, children, written)

    def _resolve(self, node: nodes.Element, key: LinkKey, children: list[nodes.Node], written: str) -> None:
        target = self.links.target(key, self.docname)
        if target is None:
            unpublished = key[0] in {"name", "note"}
            subtype = KbWarning.LINK_UNPUBLISHED if unpublished else KbWarning.LINK
            reason = "names no post of the site" if unpublished else "leads to no page of the site"
            self._broken(node, written, subtype, f"link {written!r} {reason}", suggest=True)
            return
        if key[3]:
            self._to_anchor(node, target, key[3], children, written)
            return
        title = self.links.posts[target].title if target in self.links.posts else _title(self.env, target)
        self._replace(node, target, "", children, title)

    def _to_anchor(self, node: nodes.Element, target: str, anchor: str, children: list[nodes.Node], written: str):
        found = self.links.anchor(target, anchor)
        if found is None and target == self.docname:
            found = _document_anchor(self.document, anchor)
        if found is not None:
            self._replace(node, target, found.id, children, found.text or _title(self.env, target))
            return
        if target == self.docname:
            message = f"link {written!r}: no heading, label or equation {anchor!r} on this page"
            self._broken(node, written, KbWarning.LINK, message, suggest=False)
            return
        title = self.links.posts[target].title if target in self.links.posts else _title(self.env, target)
        warn(
            KbWarning.LINK,
            "link %r: %s has no heading, label or equation %r; the link goes to the top of the page",
            written,
            target,
            anchor,
            location=node,
        )
        self._replace(node, target, "", children, title)

    def _replace(self, node: nodes.Element, target: str, node_id: str, children: list[nodes.Node], text: str) -> None:
        inner = nodes.inline("", "", classes=["std", "std-ref" if node_id else "std-doc"])
        inner += [child.deepcopy() for child in children] if children else [nodes.Text(text)]
        try:
            reference = make_refnode(self.app.builder, self.docname, target, node_id, inner)
        except NoUri:
            node.replace_self(inner)
            return
        if node.get("reftitle"):
            reference["reftitle"] = node["reftitle"]
        node.replace_self(reference)

    def _broken(self, node: nodes.Element, written: str, subtype: KbWarning, message: str, *, suggest: bool) -> None:
        hint = ""
        if suggest and (close := self.links.suggest(written)):
            hint = " (did you mean " + ", ".join(f"{r.title!r} ({r.docname})" for r in close) + "?)"
        warn(subtype, "%s%s; it is shown as text", message, hint, location=node)
        children = node[0].children if isinstance(node, addnodes.pending_xref) and node.children else node.children
        marker = broken_link("", "", classes=["kb-broken-link"], reftitle=f"Broken link: {written}")
        marker += [child.deepcopy() for child in children] if node.astext() else [nodes.Text(written)]
        node.replace_self(marker)

    def _myst_resolves(self, node: addnodes.pending_xref) -> bool:
        """Whether MyST-Parser will resolve *node* itself (a label, a document, intersphinx)."""
        from myst_parser.inventory import filter_sphinx_inventories
        from myst_parser.sphinx_ext.myst_refs import MystReferenceResolver
        from sphinx.ext.intersphinx import InventoryAdapter

        if node.get("reflocalid"):
            return True
        probe = MystReferenceResolver(self.document)
        with sphinx_logging.suppress_logging():
            if probe.resolve_myst_ref_any(node["refdoc"], node, node[0].deepcopy(), self.config.myst_ref_domains):
                return True
        inventories = InventoryAdapter(self.env).named_inventory
        return any(True for _ in filter_sphinx_inventories(inventories, targets=node["reftarget"]))


def _document_anchor(document: nodes.document, anchor: str) -> Anchor | None:
    """An id of the page being written, as written or squashed (headings past the slug depth)."""
    wanted = squash(anchor)
    for node_id, node in document.ids.items():
        if node_id == anchor or (wanted and squash(node_id) == wanted):
            return Anchor(node_id, node[0].astext() if isinstance(node, nodes.section) and node.children else "")
    return None


def _title(env: BuildEnvironment, docname: str) -> str:
    title = env.titles.get(docname)
    return title.astext() if title is not None else docname


def _written(node: addnodes.pending_xref, key: LinkKey) -> str:
    """The link as its author wrote it, near enough to find it in the file."""
    target: str = node.get("reftarget", "")
    if target.startswith(WIKI):
        return "[[" + unquote(target.removeprefix(WIKI)) + "]]"
    if node.get("kb_anchor"):
        return "#" + target
    if node.get("refdomain") == "doc" and node.get("reftargetid"):
        return f"{target}#{node['reftargetid']}"
    return unquote(target) if key else target


def read_again(app: Sphinx, env: BuildEnvironment, added: Set[str], changed: Set[str], removed: Set[str]) -> list[str]:
    """``env-get-outdated``: the documents to read again because a document one of their links
    names by path appeared or disappeared (a new post, a deleted one, a draft toggled).

    MyST-Parser resolves a link to a ``.md`` file while it reads the page, into a reference to the
    document if there is one and to a plain path if not; a page left unread would keep the old
    resolution, unlike a clean build.
    """
    moved = set(added) | set(removed)
    if not moved:
        return []
    site = Site.of(env)

    def names_moved(key: LinkKey) -> bool:
        # MyST names a file that is no document by its path: `posts/x/article` for `posts/x`.
        paths = {key[1], _document_path(key[1], site)} | ({key[2]} if key[0] == "doc" else set())
        return not paths.isdisjoint(moved)

    return sorted(
        docname
        for docname, keys in store(env).link_keys.items()
        if docname not in changed and any(names_moved(key) for key in keys if key[0] in {"note", "file", "doc"})
    )


def setup(app: Sphinx) -> None:
    """Register the reading and writing steps and the broken-link node."""
    app.add_transform(CollectLinks)
    app.add_post_transform(ResolveLinks)
    app.add_node(broken_link, html=(visit_broken_link, depart_broken_link))
    # After posts.unify (400), which empties the write caches this keeps its resolver in.
    app.connect("env-updated", update_graph, priority=450)
    app.connect("env-get-outdated", read_again)

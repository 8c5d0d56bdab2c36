"""sphinx-kb: a knowledge base of research notes, built with Sphinx, MyST-Parser, ablog and furo.

The package is laid out by stage, and the data flows one way:

1. ``content/``: find the bundles (``bundles``: ``posts/<slug>/article.md`` is the document
   ``posts/<slug>``), read their front matter into one schema (``frontmatter``, ``dates``) and
   give tags one spelling (``taxonomy``);
2. ``markup/``: convert what MyST does not read itself (``mdx``, ``citations``) and adjust the
   doctree (``callouts``, ``mathjax``, ``embeds``, ``numbering``); the order of the text steps is
   ``pipeline``;
3. ``blog/``: the store of every post (``domain``, a Sphinx domain), what pages show of posts
   (``posts``, ``views``, ``listing``, ``pages``) and ablog behind one adapter (``ablog_adapter``);
4. ``output/``: files beside the pages (``feeds``, ``redirects``, ``sitemap``, ``llms``), what
   search engines and link previews read (``social``), the 404 page (``notfound``) and the names
   of copied images (``images``).

Each module registers its own events, nodes and directives with a ``setup(app)`` of its own;
``docs/guide/how-it-works.md`` walks through the flow from bundle to page.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.util.typing import ExtensionMetadata

HERE = Path(__file__).parent

#: MyST syntax every post may use.
MYST_EXTENSIONS = (
    "amsmath",
    "attrs_inline",
    "colon_fence",
    "deflist",
    "dollarmath",
    "tasklist",
)


def _configure(app: Sphinx, config: Config) -> None:
    """``config-inited``: settings the bundles and templates rely on."""
    config.myst_enable_extensions = sorted(set(config.myst_enable_extensions) | set(MYST_EXTENSIONS))
    # Posts carry their title in front matter; their body starts at `##`.
    config.myst_title_to_header = True
    if "myst_heading_anchors" not in config._raw_config:
        config.myst_heading_anchors = 3
    if config.bibtex_bibfiles is None:
        # sphinxcontrib-bibtex refuses to start without; a site may have no bibliography.
        config.bibtex_bibfiles = []
    if "html_use_index" not in config._raw_config:
        # Notes have no index entries, so Sphinx's general index is an empty page, linked from
        # nowhere in furo, rendered again on every build (a fifth of a rebuild with no change).
        config.html_use_index = False
    if "bibtex_reference_style" not in config._raw_config:
        config.bibtex_reference_style = "author_year"
    # New lists: Sphinx hands every application the same default list objects, and appending to
    # them would add the folder once more in each build of the process (tests, sphinx-autobuild),
    # which changes the configuration's hash and makes Sphinx write every page again.
    config.templates_path = [*config.templates_path, str(HERE / "templates")]
    config.html_static_path = [*config.html_static_path, str(HERE / "static")]


def _install_bundles(app: Sphinx) -> None:
    """``builder-inited``: discover documents as content bundles."""
    from .blog.domain import store
    from .config import kb_config
    from .content import bundles

    settings = kb_config(app)
    layout = bundles.Layout(
        posts_dir=settings.posts_dir,
        article_names=settings.article_names,
        show_drafts=settings.show_drafts,
        timezone=settings.tzinfo,
        now=dt.datetime.now(dt.UTC),
    )
    bundles.install(app, layout, store(app.env).sources)


def setup(app: Sphinx) -> ExtensionMetadata:
    """Register sphinx-kb with Sphinx: each stage's modules, in the order of the data flow."""
    from . import config, gc_policy, i18n, pipeline
    from .blog import ablog_adapter, domain, keys, language, links, listing, pages, posts, related, updated
    from .output import (
        feeds,
        images,
        incremental,
        llms,
        notfound,
        parallel,
        printing,
        redirects,
        search,
        sitemap,
        social,
    )

    for extension in ("myst_parser", "sphinx.ext.mathjax", "sphinx_design", "sphinxcontrib.bibtex"):
        app.setup_extension(extension)
    ablog_adapter.setup(app)
    # Astro articles: converted to MyST (`mdx`), then read as Markdown.
    app.add_source_suffix(".mdx", "markdown")

    gc_policy.setup(app)
    config.setup(app)
    i18n.setup(app)
    app.connect("config-inited", _configure)
    app.connect("builder-inited", _install_bundles)

    domain.setup(app)
    pipeline.setup(app)
    _setup_markup(app)
    posts.setup(app)
    language.setup(app)
    updated.setup(app)
    links.setup(app)
    listing.setup(app)
    pages.setup(app)
    keys.setup(app)
    related.setup(app)
    images.setup(app)
    feeds.setup(app)
    redirects.setup(app)
    social.setup(app)
    sitemap.setup(app)
    notfound.setup(app)
    llms.setup(app)
    search.setup(app)
    incremental.setup(app)
    parallel.setup(app)
    app.add_css_file("kb.css")
    app.add_js_file("kb.js", loading_method="defer")
    printing.setup(app)  # after kb.css, which its rules override on paper
    # All build state is in the store (blog/domain.py), which Sphinx merges after parallel reading.
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True, "env_version": 2}


def _setup_markup(app: Sphinx) -> None:
    """The markup stage: MDX, path guards, callouts, embeds, figures, lexers, maths, proofs, BibTeX, citations,
    numbers."""
    from .markup import bibtex, callouts, citations, embeds, figures, guard, images, lexers, mathjax, numbering, proofs
    from .markup.mdx import reader as mdx

    for module in (
        mdx,
        guard,
        images,
        callouts,
        embeds,
        figures,
        lexers,
        mathjax,
        proofs,
        bibtex,
        citations,
        numbering,
    ):
        module.setup(app)

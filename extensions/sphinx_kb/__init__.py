"""sphinx-kb: a knowledge base of research notes, built with Sphinx, MyST-Parser, ablog and furo.

The data flows one way, one module per step:

``bundles`` (find ``posts/<slug>/article.md``) -> ``frontmatter`` (one schema, with ``dates``)
-> ``mdx`` (MDX to MyST) and ``citations`` -> ``posts`` (ablog post per bundle) and the doctree
transforms ``callouts``, ``mathjax`` and ``embeds`` -> ``taxonomy`` (one spelling per tag)
-> ``views`` (what templates see) -> ``listing``, ``pages`` (headers, archives) and ``feeds``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import ablog
from sphinx.errors import ConfigError
from sphinx.util import logging

__version__ = "0.1.0"

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.util.typing import ExtensionMetadata

logger = logging.getLogger(__name__)
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
    if "bibtex_reference_style" not in config._raw_config:
        config.bibtex_reference_style = "author_year"
    # ablog's templates extend `layout.html`, which furo refuses; ours are in `templates/`.
    config.skip_injecting_base_ablog_templates = True
    if config.blog_baseurl:
        logger.warning(
            "blog_baseurl is ignored: feeds are written by sphinx-kb from html_baseurl", type="kb", subtype="config"
        )
        config.blog_baseurl = ""
    config.templates_path.append(str(HERE / "templates"))
    # ablog adds the stylesheets of its own templates, which are not used.
    ablog_styles = Path(ablog.__file__).parent / "stylesheets"
    config.html_static_path[:] = [p for p in config.html_static_path if Path(p) != ablog_styles]
    config.html_static_path.append(str(HERE / "static"))


def _install_bundles(app: Sphinx) -> None:
    """``builder-inited``: discover documents as content bundles."""
    import datetime as dt

    from .content import bundles
    from .content.dates import site_timezone

    config = app.config
    try:
        timezone = site_timezone(config.kb_timezone)
    except ValueError as err:
        raise ConfigError(f"kb_timezone: {err}") from err
    layout = bundles.Layout(
        posts_dir=config.kb_posts_dir.strip("/"),
        article_names=tuple(config.kb_article_names),
        show_drafts=config.kb_show_drafts,
        timezone=timezone,
        now=dt.datetime.now(dt.UTC),
    )
    bundles.install(app, layout)


def _chapter_citations(app: Sphinx, relative_path: Path, parent_docname: str, content: list[str]) -> None:
    """``include-read``: convert the citations of an included chapter."""
    from .markup import citations

    citations.convert_chapter(app, Path(os.path.normpath(Path(app.srcdir, relative_path))), content)


def setup(app: Sphinx) -> ExtensionMetadata:
    """Register sphinx-kb with Sphinx."""
    from .blog import ablog_adapter as ablog_compat

    for extension in ("myst_parser", "ablog", "sphinx.ext.mathjax", "sphinx_design", "sphinx_proof"):
        app.setup_extension(extension)
    app.setup_extension("sphinxcontrib.bibtex")
    # Astro articles: converted to MyST (`mdx`), then read as Markdown.
    app.add_source_suffix(".mdx", "markdown")
    ablog_compat.make_dates_aware()

    app.add_config_value("kb_posts_dir", "posts", "env", types=frozenset({str}))
    app.add_config_value("kb_article_names", ["article", "index"], "env", types=frozenset({list, tuple}))
    app.add_config_value("kb_timezone", "UTC", "env", types=frozenset({str}))
    app.add_config_value("kb_show_drafts", False, "env", types=frozenset({bool}))
    app.add_config_value("kb_summary_length", 200, "env", types=frozenset({int}))
    app.add_config_value("kb_date_format", "%Y-%m-%d", "html", types=frozenset({str}))
    app.add_config_value("kb_feed_length", None, "html", types=frozenset({int, type(None)}))
    app.add_config_value("kb_feed_subtitle", "", "html", types=frozenset({str}))

    _setup_reading(app)
    _setup_writing(app)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}


def _setup_reading(app: Sphinx) -> None:
    """Configuration, discovery and everything done while pages are read."""
    from .blog import listing, posts
    from .markup import callouts, citations, embeds, mathjax, numbering
    from .markup.mdx import reader as mdx

    app.connect("config-inited", _configure)
    app.connect("config-inited", mathjax.configure)
    app.connect("builder-inited", _install_bundles)
    app.connect("builder-inited", mathjax.copy_mathjax)
    app.connect("builder-inited", mdx.install_filter)
    app.connect("builder-inited", citations.check_bibfiles)

    # Sources: front matter, then MDX, then citations.
    app.connect("source-read", posts.read_front_matter, priority=400)
    app.connect("source-read", mdx.convert_article, priority=450)
    app.connect("source-read", citations.convert_source, priority=460)
    app.connect("include-read", mdx.convert_chapter, priority=450)
    app.connect("include-read", _chapter_citations, priority=460)

    # Doctrees.
    app.add_transform(mdx.RestoreLines)
    app.add_transform(mdx.StandaloneImages)
    callouts.setup(app)
    embeds.setup(app)
    app.add_transform(mathjax.MathBlocks)
    app.add_post_transform(mathjax.EquationLinks)
    app.add_transform(citations.References)
    app.add_transform(posts.PostTransform)
    app.add_node(posts.post_header)
    app.add_directive("posts", listing.PostsDirective)
    app.add_node(listing.posts_listing)

    # The environment: posts, listings and numbers.
    app.connect("doctree-read", posts.finish_post, priority=600)
    app.connect("doctree-read", numbering.collect, priority=610)
    app.connect("doctree-read", numbering.label_theorems)
    app.connect("env-get-updated", numbering.assign, priority=900)
    for module in (posts, listing, numbering):
        app.connect("env-purge-doc", module.purge)
        app.connect("env-merge-info", module.merge)


def _setup_writing(app: Sphinx) -> None:
    """After reading: one spelling per tag, then listings, headers, pages and feeds."""
    from .blog import listing, pages, posts, views
    from .output import feeds, redirects

    app.connect("env-updated", posts.unify, priority=400)
    app.connect("env-updated", views.forget, priority=450)
    app.connect("env-updated", listing.pages_to_rewrite)
    app.connect("doctree-resolved", listing.resolve)
    app.connect("doctree-resolved", pages.fill_header)
    app.connect("html-page-context", pages.page_context, priority=450)
    app.connect("html-page-context", redirects.note_page)
    app.add_css_file("kb.css")
    app.add_js_file("kb.js", loading_method="defer")
    app.connect("build-finished", feeds.write_feeds)
    app.connect("build-finished", redirects.write_redirects)

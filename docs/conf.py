"""Configuration of the sphinx-kb site: the demo and the user guide in one."""

import os

from sphinx_kb import __version__

project = "sphinx-kb"
author = "The sphinx-kb authors"
copyright = "2026, The sphinx-kb authors"
# The EPUB builder requires a version.
version = release = __version__
language = "en"

extensions = [
    "sphinx_kb",
    "sphinx_design",
    "sphinx_copybutton",
]

# Read the Docs says where the site lives; feeds and canonical links need it.
html_baseurl = os.environ.get("READTHEDOCS_CANONICAL_URL", "https://sphinx-kb.readthedocs.io/en/latest/")
kb_feed_content = "full"

# Content bundles: docs/posts/<slug>/article.md is the page /posts/<slug>/.
kb_posts_dir = "posts"
kb_timezone = "Asia/Shanghai"
# The demo notes pretend to come from a Hugo site: links to its addresses lead to the posts here,
# and each old address gets a redirect page (see the guide's "Linking notes").
kb_old_urls = ["/p/:slug/"]
kb_old_origins = ["https://old-site.example"]

blog_title = "sphinx-kb notes"
# The home page's description and link preview, and the summary line of llms.txt.
kb_site_description = (
    "Research notes on machine learning, systems and maths, in English and Chinese, "
    "and the guide to sphinx-kb, which publishes them."
)
blog_path = "blog"
bibtex_bibfiles = ["references.bib"]

exclude_patterns = ["_build"]

html_theme = "furo"
html_title = "sphinx-kb"
html_sidebars = {
    "**": [
        "sidebar/brand.html",
        "sidebar/search.html",
        "sidebar/scroll-start.html",
        "sidebar/navigation.html",
        "kb/sidebar/browse.html",
        "sidebar/scroll-end.html",
    ]
}

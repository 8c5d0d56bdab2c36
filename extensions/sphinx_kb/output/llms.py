"""``llms.txt``: the site for language models, in the format of https://llmstxt.org.

::

    # <blog_title>

    > <kb_site_description>

    ## Posts

    - [Title](https://.../posts/slug/): summary

    ## Pages

    - [Guide page](https://.../guide/page/)

The posts are the listed ones (never drafts), newest first, each with its description or
summary; the pages are the other pages of the navigation tree, in its order. Links are absolute
(``html_baseurl``), so the file is written only when the site knows its address. Titles and
summaries are written as text on one line, with the characters that would end a Markdown link's
text or address escaped. No package writes this file for Sphinx sites of posts, and the format is
a few lines of Markdown.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from ..blog.domain import store
from ..config import kb_config
from . import incremental
from .social import description, page_url, site_description

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

LLMS_TXT = "llms.txt"
#: Characters that would end or change a Markdown link's text.
_LINK_TEXT = re.compile(r"([\\\[\]`*_<>])")


def _text(text: str) -> str:
    """*text* on one line, with what Markdown would read as markup escaped (it is text)."""
    return _LINK_TEXT.sub(r"\\\1", " ".join(text.split()))


def _address(url: str) -> str:
    """*url* (percent-encoded by the site) safe inside a Markdown link's parentheses."""
    return url.replace("(", "%28").replace(")", "%29").replace(" ", "%20")


def toctree_order(env: BuildEnvironment, root: str) -> list[str]:
    """The documents of the navigation tree from *root*, depth first, each once."""
    seen: list[str] = []
    stack = [root]
    while stack:
        docname = stack.pop()
        if docname in seen or docname not in env.found_docs:
            continue
        seen.append(docname)
        stack.extend(reversed(env.toctree_includes.get(docname, [])))
    return seen


def llms_txt(app: Sphinx) -> str:
    """The text of ``llms.txt``."""
    title = app.config.blog_title or app.config.project
    lines = [f"# {_text(title)}", ""]
    summary = site_description(app)
    if summary:
        lines += [f"> {_text(summary)}", ""]
    lines += ["## Posts", ""]
    for record in store(app.env).listed():
        url = page_url(app, record.docname) or ""
        text = description(app, record.docname, record, None)
        lines.append(f"- [{_text(record.title)}]({_address(url)})" + (f": {_text(text)}" if text else ""))
    posts = store(app.env).posts
    pages = [name for name in toctree_order(app.env, app.config.root_doc) if name not in posts]
    pages = [name for name in pages if name != app.config.root_doc]
    if pages:
        lines += ["", "## Pages", ""]
        for docname in pages:
            title_node = app.env.titles.get(docname)
            name = title_node.astext() if title_node is not None else docname
            lines.append(f"- [{_text(name)}]({_address(page_url(app, docname) or '')})")
    return "\n".join(lines) + "\n"


def write(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: write ``llms.txt`` (HTML builders, with ``html_baseurl``)."""
    if exception is not None or app.builder.name not in ("html", "dirhtml") or not app.config.html_baseurl:
        return
    if kb_config(app).llms_txt:
        incremental.outputs(app).write(Path(app.outdir, LLMS_TXT), llms_txt(app).encode("utf-8"))


def setup(app: Sphinx) -> None:
    """Write the file once the pages are written."""
    app.connect("build-finished", write)

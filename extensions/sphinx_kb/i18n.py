"""The labels sphinx-kb puts around posts, in the language of the page they are on.

The rule: post chrome follows the post, site chrome follows the site. A post's page is in the
post's language (:attr:`.blog.domain.PostRecord.language`): its ``<html lang>``, its header
("Published", "Updated", reading time), "References", "Referenced by", "Related posts" and the
"Previous"/"Next" links to its neighbours. Every other page (home, guide, archives, search) is in
the site's ``language``, and so are its listings, whatever the language of the posts they list.

The translations are a gettext catalogue shipped in the package, ``locales/<lang>/LC_MESSAGES/
sphinx_kb.po``, compiled to the ``.mo`` file beside it (committed; ``tests/test_language.py``
checks it is up to date: after editing the ``.po``, run ``pybabel compile -d
extensions/sphinx_kb/locales -D sphinx_kb``). The catalogue is registered with Sphinx
(``app.add_message_catalog``), but Sphinx keeps one translator per catalogue for the whole process,
in the site's language; since labels switch per page, :func:`labels` looks the catalogue up for a
given language with :mod:`gettext` itself. A tag's primary language chooses the catalogue:
``zh``, ``zh-CN``, ``zh-TW``, ``zh-Hans`` all get the Chinese one (simplified characters).
Languages without a catalogue get the English labels.
"""

from __future__ import annotations

import functools
import gettext
from pathlib import Path
from typing import TYPE_CHECKING

from .content.language import normalize_tag, primary

if TYPE_CHECKING:
    from collections.abc import Callable

    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

#: The name of the gettext catalogue (the ``.po``/``.mo`` files' name).
CATALOG = "sphinx_kb"
#: The folder of the catalogues, one subfolder per language.
LOCALE_DIR = Path(__file__).parent / "locales"


@functools.cache
def translations(language: str) -> gettext.NullTranslations:
    """The catalogue for *language* (a tag), or English (the messages themselves).

    Cached: the files are part of the package and never change during a run.
    """
    return gettext.translation(CATALOG, LOCALE_DIR, languages=[primary(language)], fallback=True)


def labels(language: str) -> Callable[[str], str]:
    """The function that translates a label into *language*."""
    return translations(language).gettext


def site_language(config: Config) -> str:
    """The site's language as a tag (Sphinx's ``language``, ``zh_CN`` -> ``zh-CN``; default ``en``)."""
    try:
        return normalize_tag(config.language or "en")
    except ValueError:
        return "en"


def page_language(env: BuildEnvironment, docname: str) -> str:
    """The language of page *docname*: its post's, else the site's."""
    from .blog.domain import store

    record = store(env).posts.get(docname)
    if record is not None and record.language:
        return record.language
    return site_language(env.config)


def setup(app: Sphinx) -> None:
    """Register the catalogue with Sphinx (``sphinx.locale.get_translation("sphinx_kb")`` then
    translates into the site's language)."""
    app.add_message_catalog(CATALOG, str(LOCALE_DIR))

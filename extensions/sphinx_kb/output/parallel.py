"""Writing pages with ``-j N``: N writer processes, not N - 1.

Sphinx writes in parallel like this (``Builder._write_parallel``): the main process resolves the
doctrees of a chunk of documents (references, ``doctree-resolved``) and hands the chunk to a
forked writer, which renders each page (``html-page-context``, the theme's templates) and writes
it. It starts ``N - 1`` writers, "because the main process is busy loading doctrees". On a site
of posts it is not: a page takes a writer about twice as long as resolving its doctree takes the
main process, so with ``-j 2`` the single writer works all the time, the main process waits for
it half of the time, and the writing phase is hardly faster than a serial one (measured on 500
posts with ``nox -s bench``). With N writers the main process resolves the next chunk while
they write, and every core writes.

Sphinx's own fix, every writer resolving its documents itself, is discussed upstream
(sphinx-doc/sphinx#10779, sphinx-doc/sphinx#12433); until it lands, the HTML builders of a
sphinx-kb site start N writers. The patch is on the builder object (not on Sphinx's class), only
when Sphinx writes in parallel, and only where ``_write_parallel`` is what Sphinx 8.2 and 9 have:
if it changes, Sphinx's own way is kept.
"""

from __future__ import annotations

import inspect
from functools import partial
from typing import TYPE_CHECKING

from sphinx.builders import Builder
from sphinx.builders.html import StandaloneHTMLBuilder

if TYPE_CHECKING:
    from collections.abc import Set

    from sphinx.application import Sphinx

#: The parameters of ``Builder._write_parallel`` this patch calls it with.
_EXPECTED = ["self", "docnames", "nproc"]


def _write_documents(builder: Builder, app: Sphinx, docnames: Set[str]) -> None:
    """``Builder.write_documents`` with one writer process per job."""
    names = sorted(docnames)
    if builder.parallel_ok:
        builder._write_parallel(names, nproc=app.parallel)
    else:
        builder._write_serial(names)


def more_writers(app: Sphinx) -> None:
    """``builder-inited``: give a parallel HTML build as many writers as jobs."""
    builder = app.builder
    if app.parallel < 2 or not isinstance(builder, StandaloneHTMLBuilder):
        return
    method = getattr(Builder, "_write_parallel", None)
    if method is None or list(inspect.signature(method).parameters) != _EXPECTED:
        return
    if type(builder).write_documents is not Builder.write_documents:
        # A builder with a way of its own.
        return
    builder.write_documents = partial(_write_documents, builder, app)  # type: ignore[method-assign]


def setup(app: Sphinx) -> None:
    """Patch the HTML builders' parallel writing when a build starts."""
    app.connect("builder-inited", more_writers)

"""How the build uses Python's garbage collector: long-lived objects are frozen.

A build keeps hundreds of thousands of objects for its whole life: the modules of Sphinx, docutils,
MyST, Pygments and the theme, the configuration, and the environment loaded from its pickle (every
document's titles, tables of contents, dependencies and our store). CPython's cyclic collector
scans all of them again in each full collection, and those come the more often the more objects
are made, exactly while a build makes doctrees. Measured on 500 posts (``nox -s bench``), a
rebuild with no change spent a third of its time in the collector, most of it while the
interpreter exits (its last collections walk the whole heap once more), and a clean build about a
tenth. With ``-j``, a worker forked by Sphinx that collects writes into every object it scans,
so the memory it shares with the main process is copied page by page.

``gc.freeze()`` moves every object tracked at that moment to a permanent generation that
collections skip; objects freed by reference counting are freed as before. It is what the Python
documentation recommends before ``fork()``. The build freezes:

1. at ``config-inited``: what the imports and the configuration made, so that loading the pickled
   environment does not scan it;
2. at ``builder-inited``: the loaded environment;
3. at ``env-check-consistency``, after a collection: what reading added, before the writing
   phase and its workers;
4. when the interpreter exits (``atexit``): everything, so its last collections have nothing to
   scan; memory goes back to the system with the process.

At ``build-finished`` the objects are given back to the collector (``gc.unfreeze()``), so a
process that runs several builds (the test suite, a notebook) frees each build's objects as
usual. What the freezes cost is memory only in the worst case: a cycle of frozen objects that
becomes garbage during the build is freed at ``build-finished``, not earlier.
"""

from __future__ import annotations

import atexit
import gc
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment

#: ``atexit`` handlers of this process, registered once whatever the number of builds.
_AT_EXIT: list[object] = []


def freeze(*_args: object) -> None:
    """Move every object the collector tracks now to its permanent generation."""
    gc.freeze()


def freeze_after_reading(_app: Sphinx, _env: BuildEnvironment) -> None:
    """``env-check-consistency``: collect what reading left, then freeze what stays (the
    environment, caches), so that the writing phase and its workers do not scan it."""
    gc.collect()
    gc.freeze()


def start(_app: Sphinx, _config: Config) -> None:
    """``config-inited``: freeze the imports and the configuration; freeze everything left when
    the interpreter exits."""
    gc.freeze()
    if not _AT_EXIT:
        atexit.register(gc.freeze)
        _AT_EXIT.append(gc.freeze)


def finish(_app: Sphinx, _exception: Exception | None) -> None:
    """``build-finished`` (last): give the frozen objects back to the collector."""
    gc.unfreeze()


def setup(app: Sphinx) -> None:
    """Freeze long-lived objects at the points of a build where they are known to stay."""
    # First of their events: the handlers after them already benefit.
    app.connect("config-inited", start, priority=0)
    app.connect("builder-inited", freeze, priority=0)
    app.connect("env-check-consistency", freeze_after_reading, priority=0)
    app.connect("build-finished", finish, priority=10_000)

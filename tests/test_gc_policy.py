"""The garbage collector during a build (``sphinx_kb/gc_policy.py``): long-lived objects are frozen
while the build writes, and given back afterwards, so that a process running several builds (this
test suite, a notebook) still frees each build's objects."""

from __future__ import annotations

import gc
import weakref
from typing import TYPE_CHECKING

from conftest import BASE_CONF, INDEX, built, post, write

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from sphinx.testing.util import SphinxTestApp


class _Cycle:
    """An object that refers to itself: only the cyclic collector frees it."""

    def __init__(self) -> None:
        self.me = self


def test_objects_are_frozen_while_writing_and_freed_after_the_build(
    tmp_path: Path, make_app: Callable[..., SphinxTestApp]
) -> None:
    frozen: list[int] = []
    held: dict[str, object] = {}

    def make(*_args: object) -> None:
        # Made before reading, so frozen with what reading leaves.
        cycle = _Cycle()
        held["cycle"], held["ref"] = cycle, weakref.ref(cycle)

    def count(*_args: object) -> None:
        frozen.append(gc.get_freeze_count())
        # Garbage from now on, while frozen.
        held.pop("cycle", None)

    files: dict[str, str | bytes] = {"conf.py": BASE_CONF, "index.md": INDEX}
    for n in range(3):
        files[f"posts/note-{n}/article.md"] = post(f"Note {n}", "Text.\n", date=f"2025-01-{n + 1:02d}")
    write(tmp_path / "src", files)
    site = built(make_app, tmp_path / "src", connect={"env-before-read-docs": make, "html-page-context": count})
    assert site.warnings == ""
    assert len(frozen) >= 4, "every page is written"
    # The modules and the environment, at least: objects the collections while writing skip.
    assert min(frozen) > 10_000
    # After the build nothing stays frozen: what became garbage while frozen is freed.
    assert gc.get_freeze_count() == 0
    gc.collect()
    ref = held["ref"]
    assert isinstance(ref, weakref.ref)
    assert ref() is None

"""Names of images in ``_images/``, from their source path rather than the order pages are read.

Sphinx copies every image to ``_images/<name>`` and, when two images share a file name, calls
the second one ``plot1.png``, the third ``plot2.png`` and so on, in the order documents are read.
Content bundles make that the rule, not the exception (every post may have its ``cover.png`` or
``plot.png``), and under ``-j`` the reading order changes from build to build, so the same
site came out with different image addresses (and different HTML) in parallel and serial builds.

Here an image's name is its source path with ``/`` made ``-`` (``posts/raft/roles.svg`` ->
``raft-roles.svg``, the posts folder left out; ``guide/loss.svg`` -> ``guide-loss.svg``): the
same in every build, and telling readers who save an image where it came from. Only if two paths
flatten to the same name does the second one get a number.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

# Private since Sphinx 8.1 (sphinx.util.FilenameUniqDict is its deprecated alias); the class
# ``env.images`` is, which is what this module extends.
from sphinx.util._files import FilenameUniqDict

from ..config import kb_config

if TYPE_CHECKING:
    import os

    from sphinx.application import Sphinx


class PathNamedImages(FilenameUniqDict):
    """``env.images`` whose output names come from the source paths (see the module notes)."""

    def __init__(self, posts_dir: str = "") -> None:
        super().__init__()
        self.posts_dir = posts_dir

    def add_file(self, docname: str, newfile: str | os.PathLike[str]) -> str:
        newfile = str(newfile)
        if newfile in self:
            docnames, unique_name = self[newfile]
            docnames.add(docname)
            return unique_name
        path = PurePosixPath(newfile.replace("\\", "/"))
        if self.posts_dir and path.is_relative_to(self.posts_dir):
            path = path.relative_to(self.posts_dir)
        unique_name = "-".join(path.parts)
        number = 0
        while unique_name in self._existing:
            number += 1
            unique_name = f"{'-'.join((*path.parent.parts, path.stem))}{number}{path.suffix}"
        self[newfile] = ({docname}, unique_name)
        self._existing.add(unique_name)
        return unique_name

    def __reduce__(self) -> tuple[Any, ...]:
        # dict subclasses pickle their items and __getstate__; keep posts_dir too.
        return (PathNamedImages, (self.posts_dir,), self.__getstate__(), None, iter(self.items()))


def use_path_names(app: Sphinx) -> None:
    """``builder-inited``: give the environment a :class:`PathNamedImages` (kept across builds)."""
    env = app.env
    posts_dir = kb_config(app).posts_dir
    if isinstance(env.images, PathNamedImages) and env.images.posts_dir == posts_dir:
        return
    images = PathNamedImages(posts_dir)
    for filename, (docnames, _name) in env.images.items():
        for docname in sorted(docnames):
            images.add_file(docname, filename)
    env.images = images


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", use_path_names)

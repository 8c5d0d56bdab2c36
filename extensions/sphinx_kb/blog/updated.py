"""A post's last update from git: the date of the last commit that touched its bundle.

Used only for posts whose front matter gives no ``lastmod`` (``modified``, ``updated``...), when
``kb_git_dates`` is on and the source folder is in a git work tree (:mod:`..content.history`).
The date is shown as "Updated" when it falls on a later day than the post's date (in
``kb_timezone``): the commit that publishes a post is not an update.

Once per build, after all documents are read (``env-updated``, in the main process, so a
``-j`` build sees the same dates as a serial one), one ``git log`` gives the last change of every
file under ``kb_posts_dir``; each post's record gets the newest date among its bundle's files.
Posts whose date changed since the last build are written again (their shown facts changed:
:func:`.listing.pages_to_rewrite`), with the listings that show them.

In a shallow clone (Read the Docs clones 50 commits deep), a bundle that no commit of the kept
history touched has no date, and one warning says how many posts lack one and how to fetch the
whole history.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from ..config import kb_config
from ..content.history import History, read_history
from ..warnings_ import KbWarning, warn
from .domain import store

if TYPE_CHECKING:
    import datetime as dt

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


def bundle_dates(history: History, posts_dir: str) -> tuple[dict[str, dt.datetime], set[str]]:
    """The last change of each bundle folder under *posts_dir* (``posts/raft``), and the bundle
    folders with files whose date the shallow history does not know."""
    depth = len(PurePosixPath(posts_dir).parts) + 1

    def bundle(path: str) -> str | None:
        parts = PurePosixPath(path).parts
        return "/".join(parts[:depth]) if len(parts) > depth else None

    dates: dict[str, dt.datetime] = {}
    for path, date in history.changed.items():
        folder = bundle(path)
        if folder is not None and (folder not in dates or date > dates[folder]):
            dates[folder] = date
    return dates, {folder for path in history.cut if (folder := bundle(path)) is not None}


def apply_git_dates(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-updated``: give every post the date of the last commit that touched its bundle."""
    posts = store(env).posts
    config = kb_config(app)
    history = read_history(Path(app.srcdir), config.posts_dir) if config.git_dates and posts else None
    dates, cut = bundle_dates(history, config.posts_dir) if history else ({}, set())
    unknown = []
    for docname, record in sorted(posts.items()):
        try:
            folder = Path(env.doc2path(docname)).parent.relative_to(app.srcdir).as_posix()
        except ValueError:  # not under the source folder: never read (content/paths.py)
            continue
        date = dates.get(folder)
        record.git_updated = date.astimezone(config.tzinfo) if date else None
        if date is None and folder in cut and record.listed and record.meta.updated is None:
            unknown.append(docname)
    if unknown:
        warn(
            KbWarning.GIT,
            "the git history is shallow: %d posts (%s) have no 'Updated' date from git, as no commit of the "
            "history kept touched them; fetch the whole history ('git fetch --unshallow') before building, or "
            "set kb_git_dates = False",
            len(unknown),
            ", ".join(unknown[:3]) + (", ..." if len(unknown) > 3 else ""),
            location=f"{Path(app.confdir, 'conf.py')}:",
        )


def setup(app: Sphinx) -> None:
    """Date the posts from git once all are read."""
    # Before posts.unify (400), which gives ablog the posts with their dates, and the rewrites (500).
    app.connect("env-updated", apply_git_dates, priority=390)

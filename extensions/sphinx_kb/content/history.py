"""When each file of a folder last changed, from git history.

This module knows nothing of Sphinx. :func:`read_history` runs ``git log`` once for a whole
folder (never one process per file) and returns, for every file git has seen there, the
committer date of the last commit that touched it. Uncommitted changes do not count: the date is
that of the last commit, so a build gives the same dates on every machine with the same history.

A shallow clone (``git clone --depth 50``, as Read the Docs and CI services make them) stops its
history at some commits, which git then shows as having added every file of the project. Those
commits' dates are not used: a file that no later commit touched has no known date in
:attr:`History.changed` and is named in :attr:`History.cut` instead.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

#: Separators git writes between commits and between a commit's fields (``%x1e``, ``%x1f``).
_COMMIT, _FIELD = "\x1e", "\x1f"
#: Seconds a ``git`` command may take before its answer is given up on.
_TIMEOUT = 120


@dataclass(frozen=True)
class History:
    """What git knows of a folder's files."""

    #: Path (relative to the folder git ran in, ``/`` separators) -> date of the last commit touching it.
    changed: dict[str, dt.datetime] = field(default_factory=dict)
    #: Whether the clone is shallow (its history cut).
    shallow: bool = False
    #: Files seen only in the commits where a shallow clone's history is cut: their date is unknown.
    cut: frozenset[str] = frozenset()


def _git(folder: Path, *args: str) -> str | None:
    """The output of ``git -C folder args``, or ``None`` if git is missing or fails."""
    git = shutil.which("git")
    if git is None:
        return None
    try:
        done = subprocess.run(
            [git, "-C", str(folder), *args],
            capture_output=True,
            check=False,
            timeout=_TIMEOUT,
            encoding="utf-8",
            errors="surrogateescape",
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def read_history(folder: Path, pathspec: str) -> History | None:
    """The last change of every file under *pathspec* (a path relative to *folder*).

    ``None`` if git is not installed or *folder* is not in a git work tree.
    """
    state = _git(folder, "rev-parse", "--is-inside-work-tree", "--is-shallow-repository")
    if state is None or not state.startswith("true"):
        return None
    shallow = state.split()[-1] == "true"
    # Newest first; per commit: its committer date and parents, then the files it touched (-z:
    # names as they are, whatever characters they hold), relative to *folder* (--relative).
    log = _git(folder, "log", f"--format={_COMMIT}%cI{_FIELD}%P", "--name-only", "-z", "--relative", "--", pathspec)
    if log is None:
        return None
    return parse_log(log, shallow)


def parse_log(log: str, shallow: bool) -> History:
    """Read the output of :func:`read_history`'s ``git log``."""
    changed: dict[str, dt.datetime] = {}
    at_cut: set[str] = set()
    for commit in log.split(_COMMIT)[1:]:
        header, _, names = commit.partition("\0")
        date_text, _, parents = header.partition(_FIELD)
        files = [name.strip("\n") for name in names.split("\0") if name.strip("\n")]
        if shallow and not parents.strip():
            # Where the history is cut: git shows the commit as adding every file.
            at_cut.update(files)
            continue
        date = dt.datetime.fromisoformat(date_text.strip())
        for name in files:
            if name not in changed or date > changed[name]:
                changed[name] = date
    return History(changed, shallow, frozenset(at_cut - changed.keys()))

"""Walking a folder without losing a file in silence or leaving the folder.

``Path.rglob`` drops what it cannot use without a word: a broken or looping symbolic
link, a FIFO, a device. A standard that is silently not read changes learners' credit,
so each such entry is reported. A symbolic link is followed only to a regular file
*inside* the folder being checked: a standard or a case file in a pull request must
not make the checker read ``/etc/passwd`` or the runner's secrets.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Skipped:
    """A folder entry that was not read, and why (a sentence that completes 'skipped: ')."""

    path: str
    reason: str


def inside(path: Path, root: Path) -> bool:
    """Whether ``path``, every symbolic link resolved, lies within ``root`` (also resolved)."""
    try:
        path.resolve(strict=True).relative_to(root.resolve())
    except (OSError, RuntimeError, ValueError):
        return False
    return True


def _special(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def link_problem(path: Path, root: Path) -> str | None:
    """Why the symbolic link ``path`` may not be read as a file under ``root``, or None if it may."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "a symbolic link that loops"
        return "a broken symbolic link (its target does not exist)"
    if not inside(path, root):
        return "a symbolic link that leads outside the folder being checked"
    if stat.S_ISDIR(mode):
        return None
    if not stat.S_ISREG(mode):
        return f"a symbolic link to {_special(mode)}"
    return None


def _real(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path


def _to_folder(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:
        return False


def files_under(root: Path, wanted: Callable[[str], bool]) -> tuple[list[Path], list[Skipped]]:
    """Regular files under ``root`` whose name is ``wanted``, sorted, and every entry skipped.

    Real folders are walked first; then each symbolic link to a folder inside ``root`` that
    leads somewhere not yet walked (a link back up is a loop, and reported). Entries
    whose name is not wanted are ignored quietly, except links to folders and folders that cannot
    be read, which could hide wanted files."""
    found: list[Path] = []
    skipped: list[Skipped] = []
    walked = {_real(root)}
    pending, links = [root], []
    while pending or links:
        if not pending:
            link = links.pop(0)
            if _real(link) in _real(link.parent).parents or _real(link) == _real(link.parent):
                skipped.append(Skipped(str(link), "a symbolic link that loops (to a folder above it)"))
                continue
            if _real(link) in walked:
                continue  # a second way into a folder already read: its files are read once, nothing is lost
            walked.add(_real(link))
            pending.append(link)
        folder = pending.pop()
        try:
            with os.scandir(folder) as entries:
                listed = sorted(entries, key=lambda e: e.name)
        except OSError as exc:
            skipped.append(Skipped(str(folder), f"a folder that cannot be read ({exc.strerror or exc})"))
            continue
        for entry in listed:
            path = Path(entry.path)
            try:
                mode = entry.stat(follow_symlinks=False).st_mode
            except OSError as exc:
                skipped.append(Skipped(str(path), f"cannot be read ({exc.strerror or exc})"))
                continue
            if stat.S_ISDIR(mode):
                walked.add(_real(path))
                pending.append(path)
            elif stat.S_ISLNK(mode):
                problem = link_problem(path, root)
                if problem is not None:
                    if wanted(entry.name) or _to_folder(path):
                        skipped.append(Skipped(str(path), problem))
                elif _to_folder(path):
                    links.append(path)
                elif wanted(entry.name):
                    found.append(path)
            elif not wanted(entry.name):
                continue
            elif stat.S_ISREG(mode):
                found.append(path)
            else:
                skipped.append(Skipped(str(path), f"{_special(mode)}, not a regular file"))
    return sorted(found), sorted(skipped)

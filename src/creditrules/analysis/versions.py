"""Versions of one standard over time: overlaps (A030), gaps (A031), versions never applied (A032).

On any date the evaluator uses the version in force that started last (on the
same day, the version label that sorts last). A new version may therefore leave
the previous one open-ended: that is the documented way to supersede it, not a
finding. What is reported:

* **A030** — a version is given an ``until`` that reaches past the start of the next
  version: the ``until`` says one thing, the evaluator does another;
* **A031** — a version ends (``until``) and the next one starts later: learners who
  apply in between get "no version in force";
* **A032** — a version is never the one applied: another starts on the same day with
  a label that sorts after it (and later versions cover the rest of its window).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from itertools import pairwise

from ..errors import Diagnostic
from ..loader import SourceFile
from .context import Context

END = date(9999, 12, 31)


def _window(file: SourceFile) -> tuple[date, date]:
    effective = file.standard.effective
    return effective.from_, effective.until or END


def _key(file: SourceFile) -> tuple[date, str]:
    return file.standard.effective.from_, file.standard.version


def check(context: Context) -> Iterator[Diagnostic]:
    for standard_id in context.library.ids:
        versions = sorted(context.library.versions(standard_id), key=_key)
        never = {f.path for f in versions if _never_applied(f, versions)}
        for file in versions:
            if file.path in never:
                yield _never(context, file, versions)
        live = [f for f in versions if f.path not in never]
        for older, newer in pairwise(live):
            until = older.standard.effective.until
            start = newer.standard.effective.from_
            if until is None:
                continue  # superseded by the newer version: the documented way
            if until >= start:
                yield context.at(older, ("effective", "until"), "A030",
                                 f"version {older.standard.version} is in force until {until}, but version "
                                 f"{newer.standard.version} ({newer.path}) starts on {start} and wins from then; "
                                 f"end {older.standard.version} on {start - timedelta(days=1)}")
            elif until + timedelta(days=1) < start:
                yield context.at(older, ("effective", "until"), "A031",
                                 f"no version of '{standard_id}' is in force from {until + timedelta(days=1)} to "
                                 f"{start - timedelta(days=1)}, between version {older.standard.version} and "
                                 f"version {newer.standard.version} ({newer.path}); learners who apply then get "
                                 "no decision")


def _never_applied(file: SourceFile, versions: list[SourceFile]) -> bool:
    """True when on every day of its window a later-starting version is also in force."""
    start, end = _window(file)
    later = sorted(_window(f) for f in versions if _key(f) > _key(file))
    cursor = start
    for lo, hi in later:
        if lo > cursor:
            return False
        if hi >= cursor:
            if hi >= end:
                return True
            cursor = hi + timedelta(days=1)
    return False


def _never(context: Context, file: SourceFile, versions: list[SourceFile]) -> Diagnostic:
    """A version can only be hidden from its first day by one that starts the same day and sorts after it."""
    version = file.standard.version
    start, end = _window(file)
    other = [f for f in versions if _key(f) > _key(file) and f.standard.effective.from_ == start][-1]
    rest = "" if _window(other)[1] >= end else ", and later versions cover the rest of its window"
    return context.at(file, ("effective", "from"), "A032",
                      f"version {version} of '{file.standard.id}' is never applied: version {other.standard.version} "
                      f"({other.path}) starts on the same day, {start}, and its label sorts after '{version}'"
                      f"{rest}; change its dates or remove it")

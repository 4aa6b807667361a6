"""Where the two sides of ``creditrules diff`` come from: a folder, a version, or a git revision.

A side is written as one of (tried in this order):

* a folder of standards: ``standards-old/``;
* a version label of the standard given with ``--standard``, in the ``--standards`` folder:
  ``2024.1`` — that version is evaluated as if in force on each learner's date, so two
  versions of one standard are compared on the same dates;
* a git revision, for the ``--standards`` folder as it was then: ``HEAD~1``, ``main``,
  ``v1.2``; or ``REV:PATH`` for another folder at that revision (PATH from the
  repository's root, as git writes it).

A revision is read with ``git archive`` into a temporary folder (the whole tree, so that
decision cases that name learner files elsewhere in the repository still find them);
nothing is fetched over the network. The temporary folders go when the ``Sources`` is closed.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .api import compile_standards
from .compiled import CompiledRuleset
from .compiler import CompiledLibrary
from .errors import CreditRulesError, NoVersionInForce


class SourceError(CreditRulesError):
    """A side of a diff that names nothing usable (a usage mistake)."""


@dataclass(frozen=True)
class Side:
    """One side of a diff: its label, the compiled standards, the folder they came from, and the
    version every standard of ``pinned`` is evaluated at, if one was named."""

    label: str
    kind: str  # folder | version | git
    folder: Path
    library: CompiledLibrary
    pinned: tuple[str, str] | None = None  # (standard id, version)

    def ruleset(self, standard_id: str, as_of: date) -> CompiledRuleset:
        """The ruleset that decides for ``standard_id`` on ``as_of`` on this side."""
        try:
            standard = self.library[standard_id]
        except KeyError as exc:
            raise NoVersionInForce(f"{exc.args[0]} in {self.label}") from None
        if self.pinned is None or self.pinned[0] != standard_id:
            return standard.ruleset_for(as_of)
        version = self.pinned[1]
        windows = [s for s in standard.segments if s.version == version]
        in_force = [s for s in windows if s.in_force(as_of)]
        if in_force:
            return in_force[0]
        before = [s for s in windows if s.effective_from > as_of]
        return before[0] if before else windows[-1]

    def to_dict(self) -> dict[str, object]:
        data: dict[str, object] = {"label": self.label, "kind": self.kind, "folder": str(self.folder)}
        if self.pinned is not None:
            data["standard"], data["version"] = self.pinned
        return data


class Sources:
    """Resolves the sides of a diff and owns the temporary folders git revisions are read into."""

    def __init__(self, standards: str | Path, standard: str | None):
        self.standards = Path(standards)
        self.standard = standard
        self._stack = ExitStack()
        self._current: CompiledLibrary | None = None

    def __enter__(self) -> Sources:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()

    def side(self, spec: str) -> Side:
        path = Path(spec)
        if path.is_dir():
            return Side(spec, "folder", path, compile_standards([path]))
        if self.standard is not None and self.standards.is_dir():
            library = self._library()
            standard = library.standards.get(self.standard)
            if standard is not None and spec in {s.version for s in standard.segments}:
                return Side(f"{self.standard} {spec}", "version", self.standards, library, (self.standard, spec))
        folder = self._revision(spec)
        if folder is None:
            what = f", nor a version of '{self.standard}'" if self.standard else ""
            raise SourceError(f"'{spec}' is neither a folder{what}, nor a git revision")
        return Side(spec, "git", folder, compile_standards([folder]))

    def _library(self) -> CompiledLibrary:
        if self._current is None:
            self._current = compile_standards([self.standards])
        return self._current

    # ------------------------------------------------------------ git

    def _revision(self, spec: str) -> Path | None:
        rev, _, inside = spec.partition(":")
        root = _git(["rev-parse", "--show-toplevel"], Path.cwd())
        if root is None or not rev or (
                _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], Path.cwd()) is None):
            return None
        top = Path(root.decode().strip())
        if inside:
            relative = Path(inside)
        else:
            try:
                relative = self.standards.resolve().relative_to(top)
            except ValueError:
                raise SourceError(f"--standards '{self.standards}' is not inside the git repository at {top}") from None
        archive = _git(["archive", "--format=tar", rev], top)
        if archive is None:
            return None
        target = Path(self._stack.enter_context(tempfile.TemporaryDirectory(prefix="creditrules-")))
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            _extract(tar, target)
        folder = target / relative
        if not folder.is_dir():
            raise SourceError(f"'{relative.as_posix()}' is not a folder at revision {rev}")
        return folder


def _extract(tar: tarfile.TarFile, target: Path) -> None:
    """Files and folders only, inside ``target`` (git archive writes nothing else, but say so)."""
    if hasattr(tarfile, "data_filter"):  # Python 3.11.4+, 3.10.12+
        tar.extractall(target, filter="data")
        return
    for member in tar.getmembers():
        inside = (target / member.name).resolve()
        if not (member.isfile() or member.isdir()) or not inside.is_relative_to(target.resolve()):
            continue
        tar.extract(member, target)


def _git(args: list[str], cwd: Path) -> bytes | None:
    """git's standard output, or None when git is missing or the command fails."""
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except OSError:
        return None
    return done.stdout if done.returncode == 0 else None

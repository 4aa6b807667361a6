"""The served standards: compiled once, watched, recompiled and swapped whole when the folder changes.

A request reads :attr:`ServedStandards.bundle` once and uses that :class:`Bundle` to the end, so a
reload never changes the standards under a request: the swap is one assignment of an immutable value.

Watching is cheap polling, not file-system events: every ``interval`` seconds the folder is walked as
``creditrules validate`` walks it (:func:`creditrules.loader.discover`) and each standard file's size,
modification time and inode are compared with the last walk. A folder of standards holds tens of
files, so a walk costs a few hundred microseconds; polling works the same on every file system (a
network share, a container's bind mount) and needs no dependency. A change is compiled once the
folder has stayed the same for one whole interval (an editor's save or a ``git checkout`` of many
files is taken as one change), and the result is kept only if the folder did not change while it
was compiled. A broken edit keeps the last good bundle in service; its diagnostics are in
:meth:`ServedStandards.status` and logged, until a later edit compiles.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

from ..api import compile_standards
from ..compiler import CompiledLibrary
from ..errors import Diagnostic, StandardError
from ..loader import discover
from ..messages import service_text

LOG = logging.getLogger("creditrules.serve")

Fingerprint = tuple[tuple[str, int, int, int], ...]


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class Bundle:
    """One compiled state of the folder: what every request of its generation decides with."""

    library: CompiledLibrary
    generation: int
    fingerprint: Fingerprint
    loaded_at: str


def fingerprint(folder: Path) -> Fingerprint:
    """What the folder holds, cheaply: (path, size, modification time, inode) of every standard file,
    and every entry the walk skipped (size -1), so that a new, removed or rewritten file shows."""
    files, skipped = discover([folder])
    found: list[tuple[str, int, int, int]] = []
    for path in files:
        try:
            stat = path.stat()
        except OSError:
            found.append((str(path), -2, 0, 0))
            continue
        found.append((str(path), stat.st_size, stat.st_mtime_ns, stat.st_ino))
    found.extend((d.path, -1, 0, 0) for d in skipped)
    return tuple(sorted(found))


class ServedStandards:
    """The folder of standards a server decides with, and its reloads.

    ``load()`` compiles once and raises :class:`StandardError` if the folder does not compile:
    a service never starts without a good bundle. ``start()`` polls in a daemon thread;
    ``check_now()`` is one poll step (tests and ``start`` use it)."""

    def __init__(self, folder: str | Path, interval: float = 1.0,
                 on_reload: Callable[[ServedStandards], None] | None = None):
        self.folder = Path(folder)
        self.interval = interval
        self._bundle: Bundle | None = None
        self._seen: Fingerprint | None = None
        self._pending: Fingerprint | None = None
        self._problems: tuple[Diagnostic, ...] = ()
        self._failed_at: str | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._on_reload = on_reload
        self.reloads = 0
        self.failed_reloads = 0

    # ------------------------------------------------------------ what requests see

    @property
    def loaded(self) -> bool:
        return self._bundle is not None

    @property
    def bundle(self) -> Bundle:
        bundle = self._bundle
        if bundle is None:
            raise RuntimeError("the standards are not loaded; call load() first")
        return bundle

    def relative(self, path: str) -> str:
        """A path as the service shows it: relative to the standards folder (never the server's own paths)."""
        try:
            return Path(path).relative_to(self.folder).as_posix()
        except ValueError:
            return path

    def shown(self, diagnostics: tuple[Diagnostic, ...] | list[Diagnostic]) -> list[Diagnostic]:
        return [replace(d, path=self.relative(d.path)) for d in diagnostics]

    def status(self) -> dict[str, object]:
        bundle = self.bundle
        standards = []
        for standard_id, standard in sorted(bundle.library.standards.items()):
            standards.append({
                "id": standard_id,
                "versions": [{"version": s.version, "kind": s.kind,
                              "effective_from": s.effective_from.isoformat(),
                              "effective_until": s.effective_until.isoformat() if s.effective_until else None,
                              "content_hash": s.content_hash}
                             for s in standard.segments],
            })
        return {
            "ok": not self._problems,
            "generation": bundle.generation,
            "loaded_at": bundle.loaded_at,
            "files": len(bundle.fingerprint),
            "reloads": self.reloads,
            "failed_reloads": self.failed_reloads,
            "standards": standards,
            "warnings": [d.to_dict() for d in self.shown(bundle.library.warnings)],
            "last_failed_reload": None if not self._problems else {
                "at": self._failed_at, "problems": [d.to_dict() for d in self.shown(self._problems)]},
        }

    # ------------------------------------------------------------ loading

    def load(self) -> Bundle:
        """Compile the folder now and serve the result; raise StandardError if it does not compile."""
        before = fingerprint(self.folder)
        library = compile_standards([self.folder])
        self._seen = self._pending = before
        self._bundle = Bundle(library, 1, before, _now())
        return self._bundle

    def check_now(self) -> bool:
        """One poll: compile and swap if the folder changed and has settled. True when a new bundle is served."""
        current = fingerprint(self.folder)
        if current == self._seen:
            self._pending = current
            return False
        if current != self._pending:  # still changing: wait one more interval
            self._pending = current
            return False
        try:
            library = compile_standards([self.folder])
        except StandardError as exc:
            if fingerprint(self.folder) != current:
                return False  # changed while compiling: the next poll sees it again
            self._seen = current
            self._problems = exc.diagnostics
            self._failed_at = _now()
            self.failed_reloads += 1
            LOG.warning("%s", service_text("log-reload-failed", "en", folder=str(self.folder),
                                           generation=self.bundle.generation, count=len(exc.diagnostics)))
            for diagnostic in self.shown(exc.diagnostics):
                LOG.warning("  %s", diagnostic)
            return False
        if fingerprint(self.folder) != current:
            return False
        self._seen = current
        self._problems = ()
        self._bundle = Bundle(library, self.bundle.generation + 1, current, _now())
        self.reloads += 1
        LOG.info("%s", service_text("log-reloaded", "en", folder=str(self.folder),
                                    generation=self._bundle.generation, count=len(library.standards)))
        if self._on_reload is not None:
            self._on_reload(self)
        return True

    def start(self) -> None:
        if self._thread is not None or self.interval <= 0:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="creditrules-standards-watch", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=max(5.0, self.interval * 2))
            self._thread = None

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.check_now()
            except Exception:  # a watcher that dies would silently stop reloads: log and keep polling
                LOG.exception("%s", service_text("log-watch-failed", "en", folder=str(self.folder)))

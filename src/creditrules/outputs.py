"""Where a command may write: one policy for every output file option, checked before anything is read.

A run that overwrites its own input, or writes two outputs into one file, loses data
without a word; so every output is checked against every input and every other
output, by the file it really is (through symlinks, ``..`` and hard links), before
the run starts. The rules:

- ``-`` is standard output, for options whose output is a stream; at most one option may use it.
- A new path, or a regular file, is written through ``NAME.partial`` and renamed when complete,
  so a file under its final name is always whole. A symlink is written through: the file it
  points at is replaced, the link stays.
- A character device (``/dev/null``, a terminal) is written straight to, as a stream.
- A folder, a named pipe (FIFO: with no reader it would block the run forever), a socket or a
  block device is refused.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from .errors import CreditRulesError

STDOUT = "-"


class OutputError(CreditRulesError):
    """An output option names something the run must not write to. The message is for people."""


@dataclass(frozen=True)
class Output:
    """One checked output: ``path`` is the file really written (a symlink's target), None for
    standard output; ``direct`` when it is written straight to (a character device)."""

    option: str
    given: str
    path: Path | None
    direct: bool = False

    @property
    def is_stdout(self) -> bool:
        return self.path is None


def _identity(path: Path) -> tuple[int, int] | Path:
    """What makes two names the same file: device and inode when it exists, else the resolved path."""
    try:
        info = os.stat(path)
    except OSError:
        return Path(os.path.realpath(path))
    return (info.st_dev, info.st_ino)


def _kind(mode: int) -> str | None:
    """Why a file of this mode cannot be an output, or None if it can."""
    if stat.S_ISDIR(mode):
        return "is a folder; name a file in it"
    if stat.S_ISFIFO(mode):
        return "is a named pipe (FIFO), which would block the run while nothing reads it; " \
               "use '-' and a shell pipe instead"
    if stat.S_ISSOCK(mode):
        return "is a socket; name a regular file"
    if stat.S_ISBLK(mode):
        return "is a block device; name a regular file"
    return None


def check_outputs(outputs: Sequence[tuple[str, str | Path | None]], inputs: Sequence[tuple[str, str | Path]] = (),
                  streams: bool = True) -> list[Output]:
    """Check ``(option, value)`` outputs against ``(label, path)`` inputs and each other.

    ``value`` None means the option was not given (it is left out of the result). ``streams``
    says whether ``-`` (standard output) makes sense. Raises OutputError with a message that
    names the options and files involved."""
    checked: list[Output] = []
    seen: dict[tuple[int, int] | Path, Output] = {}
    sources = [(label, _identity(Path(path))) for label, path in inputs if str(path) != STDOUT]
    stdout_by: str | None = None
    for option, value in outputs:
        if value is None:
            continue
        given = str(value)
        if given == STDOUT:
            if not streams:
                raise OutputError(f"{option}: '-' (standard output) cannot be used here; name a file")
            if stdout_by is not None:
                raise OutputError(f"{stdout_by} and {option} both name standard output ('-'); only one output "
                                  "can go there")
            stdout_by = option
            checked.append(Output(option, given, None))
            continue
        if not given.strip():
            raise OutputError(f"{option}: the file name is empty")
        path = Path(given)
        try:
            mode: int | None = os.stat(path).st_mode
        except FileNotFoundError:
            mode = None  # a new file, or a symlink to a file not made yet
        except OSError as exc:
            raise OutputError(f"{option} '{given}': {exc.strerror}") from None
        if mode is not None:
            problem = _kind(mode)
            if problem is not None:
                raise OutputError(f"{option} '{given}' {problem}")
        direct = mode is not None and stat.S_ISCHR(mode)
        real = Path(os.path.realpath(path))
        if not direct and not real.parent.is_dir():
            folder = real.parent if path.is_symlink() else path.parent
            raise OutputError(f"{option}: folder '{folder}' does not exist")
        output = Output(option, given, real if not direct else path, direct)
        if not direct:  # a device may take several outputs (two of them to /dev/null, say)
            identity = _identity(path)
            for label, source in sources:
                if source == identity:
                    raise OutputError(f"{option} '{given}' is the same file as {label}; it would be overwritten, "
                                      "so choose another name")
            other = seen.get(identity)
            if other is not None:
                raise OutputError(f"{other.option} '{other.given}' and {option} '{given}' are the same file; "
                                  "choose different names")
            seen[identity] = output
        checked.append(output)
    return checked


class Sink:
    """An output being written: a path through ``NAME.partial`` (renamed by :meth:`commit`,
    removed by :meth:`abandon`), a device written straight to, or a given stream."""

    def __init__(self, target: Output | TextIO, encoding: str = "utf-8", stdout: TextIO | None = None):
        self.partial: Path | None = None
        self.final: Path | None = None
        self.owned = False
        if isinstance(target, Output):
            self.name = target.given
            if target.path is None:
                if stdout is None:
                    raise OutputError(f"{target.option}: no standard output to write to")
                self.stream: TextIO = stdout
            elif target.direct:
                # the sink owns the file: commit() or abandon() closes it
                self.stream = open(target.path, "w", encoding=encoding, newline="")  # noqa: SIM115
                self.owned = True
            else:
                self.final = target.path
                self.partial = target.path.with_name(target.path.name + ".partial")
                self.stream = open(self.partial, "w", encoding=encoding, newline="")  # noqa: SIM115 - closed as above
                self.owned = True
        else:
            self.name = "<stream>"
            self.stream = target

    def commit(self) -> None:
        if self.owned:
            self.stream.close()
        if self.partial is not None and self.final is not None:
            os.replace(self.partial, self.final)
        elif not self.owned:
            self.stream.flush()

    def abandon(self) -> None:
        if self.owned:
            self.stream.close()
        if self.partial is not None:
            self.partial.unlink(missing_ok=True)


def write_text(target: Output, text: str, stdout: TextIO | None = None) -> None:
    """Write a whole text output at once (a schema, a summary), with the same rules as a longer one."""
    sink = Sink(target, stdout=stdout)
    try:
        sink.stream.write(text)
    except BaseException:
        sink.abandon()
        raise
    sink.commit()


__all__ = ["STDOUT", "Output", "OutputError", "Sink", "check_outputs", "write_text"]

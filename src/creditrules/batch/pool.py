"""Phase 2 in parallel: worker processes that compile the standard once and decide partitions.

Not ``multiprocessing.Pool``: when the out-of-memory killer ends one of its workers, the
pool starts another and the lost task's result never comes, so the run waits forever.
Here each worker has its own pipe and the main process waits on the pipes and on the
processes themselves: a worker that ends without being asked to stops the run at once,
with its exit code and signal, and the caller writes nothing.
"""

from __future__ import annotations

import multiprocessing
import signal
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection, wait
from typing import Any

from ..compiler import compile_library
from ..errors import CreditRulesError
from ..loader import load
from .deciding import Context, decide_partition
from .job import Job, standard_files
from .summary import PartitionCounts

Task = tuple[tuple[str, ...], int, str]  # (partition files: one per reader, depth of splitting, its name)


class WorkerDied(CreditRulesError):
    """A worker process ended in the middle of the run (killed, out of memory, crashed)."""


def _compile(job: Job) -> Context:
    """Compile the standard in this worker, from its files, and check they are the ones compiled
    in the main process."""
    standard = compile_library(load([path for path, _ in job.files]))[job.standard_id]
    found = dict(standard_files(standard))
    changed = [path for path, digest in job.files if found.get(path) != digest]
    if changed:
        raise CreditRulesError(f"standard file '{changed[0]}' changed while the batch was running; run it again")
    return Context(standard, job)


def _worker(connection: Connection, job: Job) -> None:
    """A worker's life: compile once, then decide each partition it is sent until it gets None."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the main process, which ends the workers
    try:
        context: Context | None = _compile(job)
        failure = None
    except CreditRulesError as exc:  # reported with the first task: plain text crosses processes safely
        context, failure = None, f"a worker could not compile the standard: {exc}"
    while True:
        try:
            task = connection.recv()
        except EOFError:  # the main process is gone
            return
        if task is None:
            return
        if context is None:
            connection.send(("error", failure))
            continue
        try:
            connection.send(("ok", decide_partition(context, *task)))
        except CreditRulesError as exc:
            connection.send(("error", str(exc)))
        except Exception as exc:  # the main process stops the run with this text
            connection.send(("error", f"internal error in a worker ({type(exc).__name__}: {exc}); please report it"))


def died(process: multiprocessing.process.BaseProcess, role: str, doing: str) -> WorkerDied:
    """The error for a process of the run (``role``: "worker", "reader") that ended unasked, ``doing`` what."""
    code = process.exitcode
    if code is not None and code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        how = f"was killed by {name}"
        if -code == signal.SIGKILL:
            how += " (the out-of-memory killer sends it: try fewer --workers, or a machine with more memory)"
    else:
        how = f"ended with exit code {code}"
    return WorkerDied(f"{role} process {process.pid} {how}{doing}; the run was stopped and no output was written")


def _died(process: multiprocessing.process.BaseProcess, task: Task | None) -> WorkerDied:
    return died(process, "worker", f" while deciding partition {task[2]}" if task is not None else "")


def run_in_workers(tasks: Sequence[Task], job: Job, workers: int, collect: Callable[[PartitionCounts], None]) -> None:
    """Decide ``tasks`` in ``workers`` processes, calling ``collect`` with each result as it comes."""
    context = multiprocessing.get_context()
    pending = list(reversed(tasks))  # popped from the end: the first task first
    pool: list[tuple[Any, Connection]] = []
    running: dict[Connection, Task] = {}
    try:
        for _ in range(min(workers, len(tasks))):
            mine, theirs = context.Pipe()
            process = context.Process(target=_worker, args=(theirs, job), daemon=True)
            process.start()
            theirs.close()
            pool.append((process, mine))
        by_sentinel = {process.sentinel: (process, connection) for process, connection in pool}
        by_connection = {connection: process for process, connection in pool}

        def give(connection: Connection) -> None:
            running[connection] = pending.pop()
            try:
                connection.send(running[connection])
            except OSError:  # it ended between two tasks
                by_connection[connection].join()
                raise _died(by_connection[connection], running[connection]) from None

        for _, connection in pool:
            if pending:
                give(connection)
        while running:
            ready = wait([*running, *(p.sentinel for p, c in pool if c in running)])
            for item in ready:
                if isinstance(item, int):  # a worker ended, though none was asked to
                    process, connection = by_sentinel[item]
                    if connection in running and not connection.poll():
                        process.join()
                        raise _died(process, running[connection])
                    continue
                connection = item  # type: ignore[assignment]
                try:
                    status, value = connection.recv()
                except (EOFError, OSError):
                    by_connection[connection].join()
                    raise _died(by_connection[connection], running[connection]) from None
                if status == "error":
                    raise CreditRulesError(value)
                collect(value)
                if pending:
                    give(connection)
                else:
                    del running[connection]
        for _, connection in pool:
            try:
                connection.send(None)
            except OSError:  # it ended after its last task: nothing of it is missing
                continue
        for process, _ in pool:
            process.join()
    finally:
        for process, connection in pool:
            if process.is_alive():
                process.terminate()
            process.join()
            connection.close()

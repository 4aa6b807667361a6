"""What a run hands its workers: the standard as file paths and hashes, and the run's settings.

Kept apart from the deciding code (which needs pyarrow) so that the command line can name
the standard's files, to check no output overwrites one, without importing it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..compiled import CompiledRuleset, CompiledStandard


@dataclass(frozen=True)
class Job:
    """What a worker needs: the standard as file paths and content hashes, not a pickled object."""

    standard_id: str
    files: tuple[tuple[str, str], ...]  # (path, content hash) of every file the standard is built from
    as_of: date
    trace: str
    output_format: str
    folder: str
    max_partition_bytes: int
    partitions: int


def standard_files(standard: CompiledStandard) -> tuple[tuple[str, str], ...]:
    """(path, content hash) of every file a compiled standard was built from."""
    files: dict[str, str] = {}

    def walk(ruleset: CompiledRuleset) -> None:
        for ref in ruleset.chain:
            files[ref.path] = ref.content_hash
        for certification in ruleset.certifications:
            walk(certification)

    for segment in standard.segments:
        walk(segment)
    return tuple(sorted(files.items()))

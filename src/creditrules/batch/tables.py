"""The flat rows of the CSV outputs (decisions, awards, rejects), and how a cell is written safely.

Every text cell passes through :func:`creditrules.safe_text.spreadsheet_cell`: a cell that
begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading apostrophe
(OWASP's advice against formula injection) and controls, Unicode line breaks and bidi
overrides are shown as escapes. Every text cell is quoted; numbers are not.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from types import SimpleNamespace
from typing import Any, TextIO

from ..compiled import CompiledRuleset, from_centi
from ..decision import Decision
from ..decision_format import FORMAT_VERSION
from ..jsontext import compact_json
from ..safe_text import spreadsheet_cell
from .learner_rows import LearnerOutcome

# format_version last, so that the columns before it keep their places (docs/contract.md)
AWARD_COLUMNS = ("learner", "rule", "standard", "version", "target", "course", "course_name_zh", "course_name_en",
                 "category", "outcome", "credits", "grade", "achievements", "capped_by", "format_version")
REJECT_COLUMNS = ("line", "learner", "achievement", "code", "stage", "reason", "reason_zh", "text", "format_version")


def safe_cells(row: Iterable[Any]) -> list[Any]:
    """A CSV row with every text cell made safe for spreadsheets; numbers kept as numbers."""
    return [spreadsheet_cell(cell) if isinstance(cell, str) else "" if cell is None else cell for cell in row]


class SafeWriter:
    """A CSV writer for outputs people open in spreadsheets: text quoted and neutralised."""

    def __init__(self, stream: TextIO):
        self._writer = csv.writer(stream, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC)

    def row(self, cells: Iterable[Any]) -> None:
        self._writer.writerow(safe_cells(cells))


_CACHED_CELLS = 4096  # distinct texts whose field a CsvLines keeps: rule ids, course names and the like


class CsvLines:
    """Rows as the UTF-8 bytes of the lines :class:`SafeWriter` writes for them, newline included.

    Workers encode their award and decision rows so, and the merge only interleaves lines. A
    line holds no line break of its own: text cells have theirs escaped (``spreadsheet_cell``).
    Most cells repeat from row to row (the rule, the course and its names), so the field each text
    becomes (made safe, quoted, its quotes doubled: what the csv writer writes for it) is kept, up to
    ``_CACHED_CELLS`` of them at a time. A row of text, numbers and None is joined here, as the csv
    writer would; a row holding anything else goes through the writer."""

    def __init__(self) -> None:
        self._lines: list[str] = []  # the csv writer's one write per row lands here
        self._writer = csv.writer(SimpleNamespace(write=self._lines.append), lineterminator="\n",
                                  quoting=csv.QUOTE_NONNUMERIC)
        self._fields: dict[str, str] = {}

    def line(self, cells: Iterable[Any]) -> bytes:
        row = cells if type(cells) is list else list(cells)
        known = self._fields
        fields: list[str] = []
        for cell in row:
            kind = type(cell)
            if kind is str:
                field = known.get(cell)
                if field is None:
                    field = self._text_field(cell)
            elif kind is int or kind is float or kind is bool:
                field = str(cell)  # numbers are not quoted (QUOTE_NONNUMERIC), and written as str() writes them
            elif cell is None:
                field = '""'  # as an empty text
            else:
                return self._written(row)
            fields.append(field)
        return (",".join(fields) + "\n").encode("utf-8")

    def _text_field(self, text: str) -> str:
        """The field of a text cell, kept: made safe, quoted, its quotes doubled (the csv dialect's only escape)."""
        known = self._fields
        if len(known) >= _CACHED_CELLS:
            known.clear()  # learner ids and achievement lists pass once; what repeats comes back at once
        field = known[text] = '"' + spreadsheet_cell(text).replace('"', '""') + '"'
        return field

    def _written(self, row: list[Any]) -> bytes:
        """A row with cells of other types, through the csv writer: what rows carried through JSON to the
        merge became (a str subclass its text, a tuple a list)."""
        cells: list[Any] = []
        for cell in row:
            kind = type(cell)
            if kind is str:
                cells.append(spreadsheet_cell(cell))
            elif kind is int or kind is float or kind is bool or cell is None:
                cells.append("" if cell is None else cell)
            else:
                cells.extend(safe_cells([json.loads(compact_json(cell))]))
        self._writer.writerow(cells)
        return self._lines.pop().encode("utf-8")


def award_rows(decision: Decision) -> list[list[Any]]:
    """The flat rows of a decision's awards (``AWARD_COLUMNS``): one per course credited,
    one per category award. Summing ``credits`` gives the decision's total."""
    rows: list[list[Any]] = []
    for award in decision.awards:
        achievements = ";".join(award.achievements)
        capped = award.capped_by.key.display_id if award.capped_by is not None else ""
        common = [decision.learner, award.rule, award.standard, award.version, award.target]
        if award.courses:
            for course in award.courses:
                rows.append([*common, course.code, course.name_zh, course.name_en, course.category, "",
                             from_centi(course.credits), award.grade or "", achievements, capped, FORMAT_VERSION])
        else:
            rows.append([*common, "", "", "", award.category or "", award.outcome or "",
                         from_centi(award.credits_centi), award.grade or "", achievements, capped, FORMAT_VERSION])
    return rows


def _categories(ruleset: CompiledRuleset) -> list[str]:
    return list(ruleset.program.categories) if ruleset.program is not None else []


def decision_columns(ruleset: CompiledRuleset) -> list[str]:
    """Columns of the one-row-per-learner CSV output for a ruleset."""
    return ["learner", "standard", "version", "as_of", "total", "total_cap",
            *[f"credits:{c}" for c in _categories(ruleset)], "remaining", "awards", "records_credited",
            "records_unused", "records_rejected", "format_version"]


def decision_row(decision: Decision, ruleset: CompiledRuleset, outcome: LearnerOutcome) -> list[Any]:
    by_category = dict(decision.by_category_centi)
    application = decision.application
    return [decision.learner, decision.standard.id, decision.standard.version, decision.as_of.isoformat(),
            from_centi(decision.total_centi),
            from_centi(decision.total_cap_centi) if decision.total_cap_centi is not None else "",
            *[from_centi(by_category.get(c, 0)) for c in _categories(ruleset)],
            from_centi(application.remaining_centi) if application is not None else "", len(decision.awards),
            outcome.credited, outcome.unused, outcome.rejected, FORMAT_VERSION]

"""Excel workbooks (.xlsx) as batch input: one sheet, streamed row by row, with bounds.

Read with **openpyxl** in read-only mode (the ``xlsx`` extra): rows are parsed one at a time
from the sheet's XML, so memory is one row, not the sheet. (python-calamine is faster, but builds
the whole sheet as one dense rectangle in memory: a sheet with one cell in A1 and one in XFD1048576
is 17 billion cells before a row is seen, and it does not say which cells are formulas.)

What a cell becomes (the text a CSV of the same sheet would hold, so both give the same decisions):

======================  ==============================================================================
text                    itself (an Excel error value such as ``#N/A`` rejects its row: ``cell-error``)
a whole number          its digits (``2024001.0`` → ``2024001``); 15 digits or more reject the row
                        (``long-number``: a spreadsheet keeps 15 significant digits; store ids as text)
another number          up to 15 significant digits, as the spreadsheet shows it (``0.1``, ``12.5``)
true/false              ``true`` / ``false``
a date cell             the day (``2024-06-01``), whatever ``date_format`` says (that is for text cells);
                        a date with a time of day, a time, a duration: the row is rejected (``cell-time``)
a formula               its cached value, as the spreadsheet last calculated it; a formula with no cached
                        value (a workbook written by a program and never opened) rejects its row
                        (``formula-no-value``): it is never read as empty
======================  ==============================================================================

Before openpyxl sees the file it is checked as a zip archive: not a zip (bytes renamed ``.xlsx``), an
old ``.xls``, no ``xl/workbook.xml``, more than :data:`MAX_PARTS` parts, a part that unpacks to more
than :data:`MAX_PART_BYTES`, all parts together more than :data:`MAX_TOTAL_BYTES`, or a part
compressed more than :data:`MAX_RATIO`:1: each is a CreditRulesError with the reason, never a
traceback. While reading, a sheet beyond row 1,048,576 (Excel's last) or spanning more than
:data:`MAX_CELLS` cells is stopped the same way. Zip reads stop at each part's declared size.
"""

from __future__ import annotations

import re
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zlib import error as zlib_error

from .columns import ColumnMapError, column_letter
from .errors import CreditRulesError, did_you_mean
from .messages import said

MAX_PARTS = 10_000
MAX_PART_BYTES = 512 * 1024 * 1024
MAX_TOTAL_BYTES = 1024 * 1024 * 1024
MAX_RATIO = 200  # checked for parts over 1 MiB
MAX_ROWS = 1_048_576
MAX_CELLS = 60_000_000
EXCEL_ERRORS = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
                          "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!"})
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True, slots=True)
class CellProblem:
    """A cell that cannot be read as a value: the reason code and the (English, Chinese) reason."""

    code: str
    reason: tuple[str, str]


Cell = str | date | CellProblem | None


def _error(key: str, **values: Any) -> CreditRulesError:
    return CreditRulesError(said(key, **values)[0])


def check_archive(path: Path, source: str) -> None:
    """Refuse what is not a well-sized xlsx archive, before any XML is parsed."""
    with open(path, "rb") as handle:
        start = handle.read(8)
    if start == _OLE2:
        raise _error("xlsx-old", source=source)
    if not zipfile.is_zipfile(path):
        raise _error("xlsx-not-zip", source=source, start=repr(start)[1:] if start else "nothing (an empty file)")
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _error("xlsx-unreadable", source=source, why=str(exc)) from None
    names = {part.filename for part in parts}
    if "xl/workbook.xml" not in names:
        raise _error("xlsx-not-workbook", source=source, why="it has no xl/workbook.xml (an .ods, .docx or other "
                     "archive?)", why_zh="其中没有 xl/workbook.xml（可能是 .ods、.docx 或其他压缩包）")
    if len(parts) > MAX_PARTS:
        raise _error("xlsx-not-workbook", source=source, why=f"it has {len(parts)} parts, over the limit of "
                     f"{MAX_PARTS}", why_zh=f"其中有 {len(parts)} 个部件，超过上限 {MAX_PARTS}")
    total = 0
    for part in parts:
        total += part.file_size
        if part.file_size > MAX_PART_BYTES:
            raise _error("xlsx-too-big", source=source, part=part.filename, size=part.file_size,
                         limit=MAX_PART_BYTES, what="one part", what_zh="单个部件")
        if part.file_size > 1 << 20 and part.file_size > MAX_RATIO * max(1, part.compress_size):
            raise _error("xlsx-ratio", source=source, part=part.filename,
                         ratio=part.file_size // max(1, part.compress_size), limit=MAX_RATIO)
    if total > MAX_TOTAL_BYTES:
        raise _error("xlsx-too-big", source=source, part="the workbook", size=total, limit=MAX_TOTAL_BYTES,
                     what="a whole workbook", what_zh="整个工作簿")


def _quiet(call: Any, *args: Any, **kwargs: Any) -> Any:
    """openpyxl warns about what it drops (styles, extensions); a cell it cannot read comes back as an
    error value, which rejects its row. Its warnings are not the user's business, so they are kept quiet."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return call(*args, **kwargs)


def sheet_names(path: str | Path) -> list[str]:
    """The sheet names of a workbook (after the archive checks)."""
    source = str(path)
    check_archive(Path(path), source)
    book = _open(Path(path), source, True)
    try:
        return list(book.sheetnames)
    finally:
        book.close()


def _open(path: Path, source: str, data_only: bool) -> Any:
    try:
        import openpyxl
    except ImportError:
        raise CreditRulesError(said("xlsx-missing")[0]) from None
    try:
        return _quiet(openpyxl.load_workbook, path, read_only=True, data_only=data_only)
    except Exception as exc:  # openpyxl raises many kinds (KeyError, XML parse errors, ValueError …)
        raise _error("xlsx-unreadable", source=source, why=f"{type(exc).__name__}: {exc}") from None


_FORMULA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s/>]")


def has_formulas(path: Path, part: str) -> bool:
    """Whether a sheet's XML holds a formula element, scanned in chunks (the part's size is bounded already)."""
    tail = b""
    with zipfile.ZipFile(path) as archive, archive.open(part.lstrip("/")) as stream:
        while chunk := stream.read(1 << 20):
            if _FORMULA.search(tail + chunk):
                return True
            tail = chunk[-64:]
    return False


def read_sheet(path: str | Path, source: str, sheet: str | None) -> Iterator[tuple[int, list[Cell], list[str]]]:
    """(row number, cells, cell texts) of every row of one sheet (the first when ``sheet`` is None);
    an empty row has no cells. Raises CreditRulesError for a workbook that cannot be read, and
    ColumnMapError (a usage error) for a sheet that is not there.

    A sheet with formulas is read twice in step, for the cached values and for the formulas, so a
    formula with no cached value is told from an empty cell; a sheet without is read once."""
    file = Path(path)
    check_archive(file, source)
    values = _open(file, source, True)
    formulas = None
    try:
        names = list(values.sheetnames)
        name = names[0] if sheet is None and names else sheet
        if name not in names:
            raise ColumnMapError(said("xlsx-no-sheet", source=source, sheet=name or "", hint=did_you_mean(
                name or "", names), sheets=", ".join(f"'{n}'" for n in names) or "none"))
        value_sheet = values[name]
        if not hasattr(value_sheet, "iter_rows"):
            raise _error("xlsx-sheet-other", source=source, sheet=name, kind="chart sheet")
        value_sheet.reset_dimensions()  # a declared size is not trusted: rows are as found
        value_rows = value_sheet.iter_rows(values_only=True)
        formula_rows: Iterator[Any] = iter(())
        try:
            two_passes = has_formulas(file, str(getattr(value_sheet, "_worksheet_path", "")))
        except (KeyError, OSError, zipfile.BadZipFile, zlib_error):
            two_passes = True  # cannot tell: read the formulas too
        if two_passes:
            formulas = _open(file, source, False)
            formula_sheet = formulas[name]
            formula_sheet.reset_dimensions()
            formula_rows = formula_sheet.iter_rows(values_only=True)
        cells_seen = 0
        number = 0
        while True:
            try:
                row = _quiet(next, value_rows, None)
                formula_row = _quiet(next, formula_rows, None)
            except Exception as exc:  # a malformed sheet found while streaming
                raise _error("xlsx-unreadable", source=source, why=f"{type(exc).__name__}: {exc}") from None
            if row is None:
                return
            number += 1
            if number > MAX_ROWS:
                raise _error("xlsx-too-many-rows", source=source, sheet=name, limit=MAX_ROWS)
            cells_seen += len(row)
            if cells_seen > MAX_CELLS:
                raise _error("xlsx-too-many-cells", source=source, sheet=name, limit=MAX_CELLS)
            if not any(v is not None and v != "" for v in row) and not any(
                    isinstance(f, str) and f.startswith("=") for f in formula_row or ()):
                yield number, [], []
                continue
            formula_row = tuple(formula_row or ()) + (None,) * max(0, len(row) - len(formula_row or ()))
            cells = [cell_value(v, f, f"{column_letter(i)}{number}") for i, (v, f) in enumerate(zip(row, formula_row))]
            yield number, cells, [_shown(v) for v in row]
    finally:
        values.close()
        if formulas is not None:
            formulas.close()


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime) and value.time() == time(0):
        return value.date().isoformat()
    return str(value)


def cell_value(value: Any, formula: Any, ref: str) -> Cell:
    """One cell as what a CSV of the sheet would hold, a date for a date cell, or why it cannot be read."""
    if value is None or value == "":
        if isinstance(formula, str) and formula.startswith("="):
            return CellProblem("formula-no-value", said("formula-no-value", cell=ref, value=_cut(formula)))
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date()
        return CellProblem("cell-time", said("cell-time", cell=ref, value=value.isoformat(sep=" ")))
    if isinstance(value, date):
        return value
    if isinstance(value, (time, timedelta)):
        return CellProblem("cell-time", said("cell-time", cell=ref, value=str(value)))
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        whole = int(value)
        if abs(whole) >= 10**15:
            return CellProblem("long-number", said("long-number", cell=ref, value=f"{value:.15g}"))
        return str(whole)
    if isinstance(value, float):
        return f"{value:.15g}"
    text = str(value)
    if text.strip() in EXCEL_ERRORS:
        return CellProblem("cell-error", said("cell-error", cell=ref, value=text.strip()))
    return text


def _cut(text: str) -> str:
    return text if len(text) <= 60 else text[:59] + "…"

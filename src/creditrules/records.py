"""Achievement records for batch runs: one achievement per row, each with its learner's id.

Readers stream; none holds more than one row (or one Parquet batch) in memory.
Every row read becomes a :class:`Row`: its line number, the learner it belongs to,
and either its data or the reason it could not be read. A reader never drops a
row silently: what it cannot read comes back as a row with a ``problem``.

Formats (``format_for`` picks one from the file name)::

    JSONL    one JSON object a line; blank lines are skipped     line = line in the file
    CSV      a header row, then one achievement a row, one        line = line in the file
             physical line each; UTF-8 with or without BOM, or    (the header is line 1)
             GB18030 lines (with a warning), decided line by line
    Parquet  read with pyarrow (a core dependency)               line = row number (1-based)
    XLSX     one sheet of an Excel workbook (the xlsx extra,     line = row number in the sheet
             see creditrules.xlsx); cells as a CSV would hold
             them, so both give the same decisions

An office's own headers and date format are read through a column mapping
(:mod:`creditrules.columns`): ``学号 → learner``, ``%Y/%m/%d``. A text date that does not
match the stated format rejects its row (reason code ``date-format``).

A row is the achievement's keys (see docs/learner-format.md) plus ``learner``::

    {"learner": "L-0001", "id": "A1", "code": "X-WEB", "level": "中级", "obtained": "2024-06-01", "verified": true}

CSV cells are text; empty cells are absent. A standard's attribute types turn the
text of number and true/false attributes into values (:func:`cell_types`,
:func:`typed_cells`); any other value stays text, so a wrong one is rejected with
the same reason as in a learner file.
"""

from __future__ import annotations

import codecs
import csv
import json
import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from .columns import ColumnMap, ColumnMapError, column_letter, date_example, header_fields, read_day
from .compiled import CompiledRuleset
from .errors import CreditRulesError
from .learner import json_int, json_object, normalise_code
from .messages import said
from .safe_text import surrogate_in, surrogate_reason
from .xlsx import CellProblem

LEARNER_KEY = "learner"
FORMATS = ("jsonl", "csv", "parquet", "xlsx")
PARQUET_MISSING = ("reading Parquet needs pyarrow, a dependency of creditrules that is missing here: "
                   "pip install 'pyarrow>=14'")
_SNIPPET = 200


@dataclass(frozen=True, slots=True)
class Row:
    """One record as read. ``payload`` is what a worker needs to rebuild ``data``.

    ``kind`` says how: ``json`` (the object's own JSON text, parsed later),
    ``text`` (JSON of the CSV cells, all text) or ``value`` (JSON of typed values).
    A row that could not be read has ``problem`` (English, Chinese); it has no learner unless the
    learner was read and the row is refused for another reason, which ``reason_code`` then names
    (with the row's ``achievement`` id and ``code`` when they were read)."""

    line: int
    learner: str | None
    kind: str
    payload: str
    problem: tuple[str, str] | None = None
    reason_code: str | None = None
    achievement: str | None = None
    code: str | None = None


def format_for(path: str | Path, given: str | None = None) -> str:
    """The input format: ``given``, or from the file name (``.csv``, ``.parquet``/``.pq``, ``.xlsx``, else JSONL)."""
    if given is not None:
        if given not in FORMATS:
            raise CreditRulesError(f"input format must be one of {', '.join(FORMATS)}, not '{given}'")
        return given
    name = str(path).lower()
    if name.endswith(".csv"):
        return "csv"
    if name.endswith((".parquet", ".pq")):
        return "parquet"
    if name.endswith((".xlsx", ".xlsm")):
        return "xlsx"
    return "jsonl"


# ---------------------------------------------------------------- problems, in both languages

def _bad_json(message: str) -> tuple[str, str]:
    return (f"invalid JSON: {message}", f"JSON 格式错误：{message}")


def _not_object(what: str, what_zh: str) -> tuple[str, str]:
    return (f"a record must be an object of the achievement's keys and 'learner', not {what}",
            f"每条记录应为包含成果各项与 'learner' 的对象，而不是{what_zh}")


NO_LEARNER = ("no 'learner' (the learner's id); every record needs one",
              "缺少 'learner'（学习者编号）；每条记录都必须填写")
NOT_UTF8 = ("the line is not UTF-8 text", "该行不是 UTF-8 文本")


def _cells(count: int, expected: int) -> tuple[str, str]:
    return (f"the row has {count} cells but the header has {expected}",
            f"该行有 {count} 个单元格，而表头有 {expected} 列")


def _unstorable(key: str, value: Any) -> tuple[str, str]:
    kind = type(value).__name__
    return (f"'{key}' holds a {kind}, which is not a record value", f"'{key}' 的值类型 {kind} 不能作为记录的值")


def describe(value: Any) -> tuple[str, str]:
    if isinstance(value, list):
        return "a list", "列表"
    if value is None:
        return "nothing", "空值"
    if isinstance(value, (bool, int, float)):
        return f"the value {json.dumps(value)}", f"值 {json.dumps(value)}"
    return f"'{value}'", f" '{value}'"


def learner_id(value: Any) -> str | None:
    """A learner id as learner files read it (text or a whole number, NFKC-normalised), or None."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    text = value.strip() if isinstance(value, str) and value.isascii() else normalise_code(str(value))
    return text or None


# One decoder for every line: json.loads with hooks builds a new one per call. Huge numbers
# become one reject (json_int); duplicate keys are refused (json_object).
_RECORD_DECODER = json.JSONDecoder(object_pairs_hook=json_object, parse_int=json_int)


def parse_json_object(text: str) -> dict[str, Any] | tuple[str, str]:
    """A JSONL line's object, or the (en, zh) reason it is not one."""
    try:
        # a leading BOM goes to json.loads for its own refusal, which the decoder alone would not make
        data = json.loads(text) if text.startswith("\ufeff") else _RECORD_DECODER.decode(text)
    except (ValueError, RecursionError) as exc:
        return _bad_json(str(exc))
    if not isinstance(data, dict):
        return _not_object(*describe(data))
    if "\\u" in text:  # only an escape can write a lone surrogate
        found = surrogate_in(data)
        if found is not None:
            return surrogate_reason(*found)
    return data


# ---------------------------------------------------------------- JSONL

_PLAIN = rb'"learner"\s*:\s*"([\x20\x21\x23-\x5b\x5d-\x7e]*)"'  # printable ASCII, no quote or backslash
_LEARNER_FIRST = re.compile(rb"\{\s*" + _PLAIN)
_LEARNER_ANYWHERE = re.compile(rb"[{,]\s*" + _PLAIN)


def fast_learner(raw: bytes) -> bytes | None:
    """The learner id of a JSONL line, found without parsing it, or None (then the line is parsed).

    Only for a flat object (one ``{``) with one ``"learner"`` key whose value is printable ASCII
    without escapes: there the bytes are the id. Anything else takes the parsing path, so both
    paths give the same id; the row is parsed in full later, and rejected there if it is not JSON."""
    if raw.count(b"{") != 1 or raw.count(b'"learner"') != 1 or raw[:1] != b"{":
        return None
    found = _LEARNER_FIRST.match(raw) or _LEARNER_ANYWHERE.search(raw)
    if found is None:
        return None
    return found.group(1).strip() or None


def jsonl_row(line: int, raw: bytes) -> Row:
    """One JSONL line as a row, parsed (the slow path)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return Row(line, None, "json", _snippet(raw.decode("utf-8", "replace")), NOT_UTF8)
    data = parse_json_object(text)
    if isinstance(data, tuple):
        return Row(line, None, "json", _snippet(text), data)
    learner = learner_id(data.get(LEARNER_KEY))
    if learner is None:
        return Row(line, None, "json", _snippet(text), NO_LEARNER)
    return Row(line, learner, "json", text)


def jsonl_lines(stream: Iterable[bytes], first: int = 1) -> Iterator[tuple[int, bytes]]:
    """(line number, stripped bytes) of every non-blank line; a leading BOM is dropped.

    ``first``: the number of the stream's first line, when it starts inside a file (a parallel
    reader's range): only line 1 can hold the BOM."""
    for number, line in enumerate(stream, start=first):
        if number == 1 and line.startswith(codecs.BOM_UTF8):
            line = line[len(codecs.BOM_UTF8):]  # noqa: PLW2901 - the same line, its BOM dropped
        stripped = line.strip()
        if stripped:
            yield number, stripped


def read_jsonl(stream: Iterable[bytes]) -> Iterator[Row]:
    for number, raw in jsonl_lines(stream):
        learner = fast_learner(raw)
        try:
            text = raw.decode("utf-8") if learner is not None else None
        except UnicodeDecodeError:
            text = None
        if text is None or learner is None:
            yield jsonl_row(number, raw)
        else:
            yield Row(number, learner.decode("ascii"), "json", text)


def _snippet(text: str) -> str:
    text = text.strip()
    return text if len(text) <= _SNIPPET else text[:_SNIPPET] + "…"


# ---------------------------------------------------------------- CSV

class _Decoder:
    """Decode a CSV file line by line: each line on its own, so one bad line spoils nothing else.

    Every line is tried as UTF-8 first, so a valid UTF-8 line is never garbled. A line that is
    not UTF-8 is read as GB18030 (the legacy encoding of Chinese spreadsheets), with a warning,
    unless the file has already shown it is UTF-8 (a BOM, or a line of non-ASCII UTF-8 text):
    then the line is rejected, alone."""

    def __init__(self, warnings: list[str], source: str):
        self.warnings, self.source = warnings, source
        self.utf8_seen = False
        self.warned = False

    def __call__(self, number: int, raw: bytes) -> str | tuple[str, str]:
        if number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8):]
            self.utf8_seen = True
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            if self.utf8_seen:
                return NOT_UTF8
            try:
                text = raw.decode("gb18030")
            except UnicodeDecodeError:
                return NOT_TEXT
            if not self.warned:
                self.warned = True
                self.warnings.append(f"{self.source} has lines that are not UTF-8; read them as GB18030 (save the "
                                     "file as UTF-8 to silence this warning)")
            return text
        if not self.utf8_seen and not raw.isascii():
            self.utf8_seen = True
        return text


NOT_TEXT = ("the line is neither UTF-8 nor GB18030 text", "该行既不是 UTF-8 也不是 GB18030 文本")
OPEN_QUOTE = ("a quote opened on this line is not closed; a cell cannot span lines",
              "本行有未闭合的引号；单元格不能跨行")


def _cells_of(text: str) -> list[str] | tuple[str, str]:
    """The cells of one physical line, or why they cannot be read. Strict: a quote must close on its line."""
    try:
        return next(csv.reader([text.rstrip("\r\n")], strict=True), [])
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            return OPEN_QUOTE
        return (f"unreadable CSV: {exc}", f"无法读取的 CSV：{exc}")


def read_csv(stream: IO[bytes], warnings: list[str], source: str,
             column_map: ColumnMap | None = None) -> Iterator[Row]:
    """One row per physical line, each read on its own: a broken line (bad quoting, bad bytes)
    is rejected with its line number and never swallows the lines after it. With ``column_map``
    the header is read through it and dates through its format (:func:`office_row`)."""
    decode = _Decoder(warnings, source)
    names: list[str | None] | None = None
    for number, raw in enumerate(stream, start=1):
        text = decode(number, raw)
        cells = _cells_of(text) if isinstance(text, str) else text
        if names is None:
            if isinstance(cells, tuple):
                raise CreditRulesError(f"{source}: line {number}, the header, cannot be read: {cells[0]}")
            if not cells or all(not c.strip() for c in cells):
                continue
            if column_map is not None:
                names = header_fields(column_map, cells, source, number)
                continue
            names = [normalise_code(h) for h in cells]  # type: ignore[misc]
            if LEARNER_KEY not in names:
                raise CreditRulesError(f"{source}: the header has no '{LEARNER_KEY}' column (the learner's id); "
                                       f"it has {', '.join(repr(n) for n in names) or 'no columns'}")
            duplicates = sorted({n for n in names if names.count(n) > 1})
            if duplicates:
                raise CreditRulesError(f"{source}: the header names column '{duplicates[0]}' twice")
            continue
        if isinstance(cells, tuple):
            shown = text if isinstance(text, str) else raw.decode("utf-8", "replace")
            yield Row(number, None, "text", _snippet(shown), cells)
            continue
        if not cells or all(not c.strip() for c in cells):
            continue
        if len(cells) != len(names):
            yield Row(number, None, "text", _snippet(",".join(cells)), _cells(len(cells), len(names)))
            continue
        if column_map is not None:
            yield office_row(number, names, list(cells), ",".join(cells), column_map)
            continue
        data = {name: cell.strip() for name, cell in zip(names, cells) if cell.strip()}
        learner = learner_id(data.get(LEARNER_KEY))
        if learner is None:
            yield Row(number, None, "text", _snippet(",".join(cells)), NO_LEARNER)
            continue
        yield Row(number, learner, "text", json.dumps(data, ensure_ascii=False))


def _cell_name(index: int, line: int, csv_input: bool) -> str:
    return f"{column_letter(index)}{line}" + (f" (column {index + 1} of line {line})" if csv_input else "")


def office_row(line: int, fields: list[str | None], cells: list[Any], shown: str, column_map: ColumnMap | None,
               csv_input: bool = True) -> Row:
    """One row of an office's sheet (CSV cells, or workbook cells: text, a date, or a :class:`CellProblem`)
    under the fields of its header (:func:`creditrules.columns.header_fields`).

    A value in a column without a header, a cell that cannot be read, or a text date that does not
    match the stated format rejects the row with its reason code; nothing is guessed or dropped."""
    data: dict[str, str] = {}
    problem: tuple[str, str] | None = None
    reason_code: str | None = None
    for index, cell in enumerate(cells):
        name = fields[index] if index < len(fields) else ""
        if cell is None or (isinstance(cell, str) and not cell.strip()) or name is None:
            continue  # empty, or a column the mapping ignores (whatever it holds)
        if isinstance(cell, CellProblem):
            if problem is None:
                problem, reason_code = cell.reason, cell.code
            continue
        value = cell.isoformat() if isinstance(cell, date) else cell.strip()
        if not name:
            if problem is None:
                problem = said("unnamed-column", cell=_cell_name(index, line, csv_input), value=f"'{value[:40]}'")
                reason_code = "unnamed-column"
            continue
        data[name] = value
        if isinstance(cell, str) and column_map is not None and column_map.date_format is not None and \
                name in column_map.date_fields and problem is None:
            day = read_day(value, column_map.date_format)
            if day is None:
                problem = said("date-format", field=name, value=f"'{value[:40]}'", format=column_map.date_format,
                               example=date_example(column_map.date_format), line=line)
                reason_code = "date-format"
            else:
                data[name] = day.isoformat()
    learner = learner_id(data.get(LEARNER_KEY))
    if learner is None:
        return Row(line, None, "text", _snippet(shown), problem or NO_LEARNER, reason_code)
    if problem is not None:
        return Row(line, learner, "text", _snippet(shown), problem, reason_code, data.get("id"), data.get("code"))
    return Row(line, learner, "text", json.dumps(data, ensure_ascii=False))


def read_xlsx(path: str | Path, source: str, column_map: ColumnMap | None) -> Iterator[Row]:
    """Rows of one sheet of a workbook: the first row with text is the header; empty rows are skipped."""
    from .xlsx import read_sheet

    sheet = column_map.sheet if column_map is not None else None
    fields: list[str | None] | None = None
    for number, cells, texts in read_sheet(path, source, sheet):
        if not cells:
            continue
        if fields is None:
            try:
                fields = header_fields(column_map, texts, source, number)
            except ColumnMapError as exc:
                if column_map is not None:
                    raise
                raise CreditRulesError(str(exc)) from None  # no mapping given: the input's problem, as for CSV
            continue
        yield office_row(number, fields, cells, ",".join(texts), column_map, csv_input=False)


_TRUE = {"true", "1", "yes", "y", "是", "t"}
_FALSE = {"false", "0", "no", "n", "否", "f"}
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def cell_types(ruleset: CompiledRuleset) -> dict[str, dict[str, str]]:
    """For each catalog code (and alias) a ruleset or its certifications know, the type of
    each attribute: what CSV text must become before the record is checked."""
    types: dict[str, dict[str, str]] = {}
    for stage in (*ruleset.certifications, ruleset):
        for code, info in stage.catalog.items():
            types.setdefault(code, {n: a.type for n, a in stage.kinds[info.kind].attributes.items()})
        for alias, code in stage.aliases.items():
            if code in types:
                types.setdefault(alias, types[code])
    return types


def record_fields(ruleset: CompiledRuleset) -> tuple[set[str], set[str]]:
    """The fields a record may have under a ruleset (``learner``, the built-in keys and every
    attribute of its kinds), and those that are days (``obtained`` and date attributes)."""
    from .learner import BUILTIN_KEYS

    fields = {LEARNER_KEY, *BUILTIN_KEYS}
    days = {"obtained"}
    for stage in (*ruleset.certifications, ruleset):
        for kind in stage.kinds.values():
            for name, attribute in kind.attributes.items():
                fields.add(name)
                if attribute.type == "date":
                    days.add(name)
    return fields, days


def _bool(text: str) -> bool | str:
    low = text.strip().lower()
    return True if low in _TRUE else False if low in _FALSE else text


def _number(text: str) -> int | float | str:
    text = normalise_code(text)
    if not _NUMBER.fullmatch(text):
        return text
    if text.lstrip("+-").isdigit():
        return json_int(text)  # a number too long to read rejects its record, not the run
    return float(text)


def typed_cells(cells: Mapping[str, str], types: Mapping[str, Mapping[str, str]]) -> dict[str, Any]:
    """CSV cells with ``verified`` and the number and true/false attributes of the row's kind
    turned into values; text that is not a number or true/false stays as written."""
    data: dict[str, Any] = dict(cells)
    if "verified" in data:
        data["verified"] = _bool(data["verified"])
    code = data.get("code")
    kinds = types.get(normalise_code(code)) if isinstance(code, str) else None
    if kinds:
        for name, kind in kinds.items():
            value = data.get(name)
            if isinstance(value, str):
                if kind == "number":
                    data[name] = _number(value)
                elif kind == "bool":
                    data[name] = _bool(value)
    return data


# ---------------------------------------------------------------- Parquet and Python values

def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, tuple):
        return list(value)
    raise TypeError(type(value).__name__)


def value_row(line: int, record: Any) -> Row:
    """A row from a Python mapping (an in-memory record or a Parquet row); None values are absent."""
    if not isinstance(record, Mapping):
        what = describe(record) if isinstance(record, (list, str, int, float, bool, type(None))) else (
            f"a {type(record).__name__}", f"{type(record).__name__} 类型的值")
        return Row(line, None, "value", "", _not_object(*what))
    data = {str(k): v for k, v in record.items() if v is not None}
    learner = learner_id(data.get(LEARNER_KEY))
    if learner is None:
        return Row(line, None, "value", "", NO_LEARNER)
    for key, value in data.items():
        if not isinstance(value, (str, int, float, bool, list, dict)):
            try:
                _plain(value)
            except TypeError:
                return Row(line, None, "value", "", _unstorable(key, value))
    try:
        payload = json.dumps(data, ensure_ascii=False, default=_plain, allow_nan=True)
    except (TypeError, ValueError) as exc:
        return Row(line, None, "value", "", (f"the record cannot be stored: {exc}", f"该记录无法保存：{exc}"))
    return Row(line, learner, "value", payload)


def read_parquet(path: str | Path, source: str) -> Iterator[Row]:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise CreditRulesError(PARQUET_MISSING) from None
    try:
        parquet = pq.ParquetFile(str(path))
    except Exception as exc:  # pyarrow raises its own error types
        raise CreditRulesError(f"{source}: not a Parquet file ({exc})") from None
    names = parquet.schema_arrow.names
    if LEARNER_KEY not in names:
        raise CreditRulesError(f"{source}: the Parquet file has no '{LEARNER_KEY}' column (the learner's id); "
                               f"it has {', '.join(repr(n) for n in names) or 'no columns'}")
    line = 0
    for batch in parquet.iter_batches(batch_size=16_384):
        for record in batch.to_pylist():
            line += 1
            yield value_row(line, record)


def read_values(records: Iterable[Any]) -> Iterator[Row]:
    for line, record in enumerate(records, start=1):
        yield value_row(line, record)


# ---------------------------------------------------------------- one entry point

@dataclass
class RecordSource:
    """Rows from a file (or ``-`` for standard input, JSONL or CSV) or from any iterable of mappings.

    ``warnings`` fills while reading (for instance, a CSV file read as GB18030);
    ``size`` is the file's size in bytes when known, for progress. ``column_map`` reads an office's
    headers, dates and sheet (CSV and Excel input only)."""

    source: str | Path | Iterable[Any]
    format: str | None = None
    warnings: list[str] = field(default_factory=list)
    rows_are_text: bool = False
    size: int | None = None
    position: int = 0
    column_map: ColumnMap | None = None

    def __post_init__(self) -> None:
        if isinstance(self.source, (str, Path)):
            name = str(self.source)
            self.format = format_for(name, self.format)
            if name != "-":
                path = Path(name)
                if not path.is_file():
                    raise CreditRulesError(f"input file '{name}' does not exist" if not path.exists()
                                           else f"input '{name}' is not a file")
                self.size = path.stat().st_size
            if self.format == "parquet":
                if name == "-":
                    raise CreditRulesError("Parquet cannot be read from standard input; give a file")
                try:
                    import pyarrow.parquet  # noqa: F401 - a broken installation may lack it
                except ImportError:
                    raise CreditRulesError(PARQUET_MISSING) from None
            if self.format == "xlsx":
                if name == "-":
                    raise CreditRulesError(said("xlsx-stdin")[0])
                try:
                    import openpyxl  # noqa: F401 - the xlsx extra
                except ImportError:
                    raise CreditRulesError(said("xlsx-missing")[0]) from None
            self.rows_are_text = self.format in ("csv", "xlsx")
            self._check_map(name)
        elif isinstance(self.source, Mapping):
            raise CreditRulesError("records must be an iterable of mappings (one achievement each), "
                                   "not a single mapping")
        else:
            self.format = "records"
            self._check_map("<records>")

    def _check_map(self, name: str) -> None:
        from .columns import ColumnMapError

        if self.column_map is None:
            return
        if self.format not in ("csv", "xlsx"):
            raise ColumnMapError(said("map-wrong-format", source=name, format=self.format))
        if self.format == "csv" and self.column_map.sheet is not None:
            raise ColumnMapError(said("sheet-not-xlsx", source=name, format="CSV"))

    @property
    def name(self) -> str:
        return str(self.source) if isinstance(self.source, (str, Path)) else "<records>"

    def jsonl_lines(self) -> Iterator[tuple[int, bytes]]:
        """For a JSONL source: (line number, stripped bytes) of each non-blank line, unparsed."""
        assert self.format == "jsonl" and isinstance(self.source, (str, Path))
        name = str(self.source)
        stream: IO[bytes] = sys.stdin.buffer if name == "-" else \
            open(name, "rb", buffering=1 << 20)  # noqa: SIM115 - closed below, unless it is standard input
        try:
            yield from jsonl_lines(_Counting(stream, self))  # type: ignore[arg-type]
        finally:
            if name != "-":
                stream.close()

    def __iter__(self) -> Iterator[Row]:
        if not isinstance(self.source, (str, Path)):
            yield from read_values(self.source)
            return
        name = str(self.source)
        if self.format == "parquet":
            yield from read_parquet(name, name)
            return
        if self.format == "xlsx":
            yield from read_xlsx(name, name, self.column_map)
            return
        stream: IO[bytes] = sys.stdin.buffer if name == "-" else \
            open(name, "rb", buffering=1 << 20)  # noqa: SIM115 - closed below, unless it is standard input
        try:
            counting = _Counting(stream, self)
            if self.format == "csv":
                yield from read_csv(counting, self.warnings, name, self.column_map)  # type: ignore[arg-type]
            else:
                yield from read_jsonl(counting)  # type: ignore[arg-type]
        finally:
            if name != "-":
                stream.close()


class _Counting:
    """Iterate a binary stream line by line, keeping the byte position for progress."""

    def __init__(self, stream: IO[bytes], owner: RecordSource):
        self.stream, self.owner = stream, owner

    def __iter__(self) -> Iterator[bytes]:
        owner = self.owner
        for raw in self.stream:
            owner.position += len(raw)
            yield raw

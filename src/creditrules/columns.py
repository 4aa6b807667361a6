"""Input as offices have it: their column headers, their date format, their sheet.

An office's spreadsheet says ``学号, 证书编号, 证书代码, 等级, 取得日期`` and ``2024/6/1``. A
:class:`ColumnMap` says what each header is (``学号 → learner``) and how its dates are written
(``%Y/%m/%d``), from a small YAML file::

    columns:            # the office's header → the record field
      学号: learner
      证书编号: id
      证书代码: code
      等级: level
      取得日期: obtained
    ignore: [姓名, 备注]  # columns read and dropped on purpose
    date_format: "%Y/%m/%d"
    sheet: 2024年报送     # Excel workbooks only

or from options (``--column 学号=learner --date-format %Y/%m/%d``). Nothing is guessed:

- a mapped or ignored header that the input's header lacks, a header named twice, two columns
  that give one field, a field the standard does not know: each is a :class:`ColumnMapError`
  (a usage error, exit 2), located (``map.yaml:3:3``, ``--column #2``, ``line 1``, column ``B``);
- a header that is neither mapped nor ignored keeps its own name, as without a mapping;
- a date in a text cell that does not match the stated format rejects that row, with the reason
  code ``date-format``, the row and the format expected (a date *cell* of a workbook is a date
  whatever the format); without a stated format, dates must be ``YYYY-MM-DD`` as everywhere else.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from . import _yaml
from .errors import CreditRulesError, Diagnostic, did_you_mean
from .messages import said
from .normalise import normalise

MAP_KEYS = ("columns", "ignore", "date_format", "sheet")
_DIRECTIVE = re.compile(r"%(.)")


class ColumnMapError(CreditRulesError):
    """A column mapping that cannot be used, or an input whose header does not fit it: a usage error.

    ``reason`` is the (English, Chinese) text; ``str()`` is the English."""

    def __init__(self, reason: tuple[str, str]):
        self.reason = reason
        super().__init__(reason[0])


@dataclass(frozen=True)
class ColumnMap:
    """The office's header → field, columns to drop, the date format, the sheet, and where each was stated."""

    columns: Mapping[str, str] = field(default_factory=dict)
    ignore: frozenset[str] = frozenset()
    date_format: str | None = None
    sheet: str | None = None
    origin: Mapping[str, str] = field(default_factory=dict)  # header or key → "map.yaml:3:3" / "--column #2"
    date_fields: frozenset[str] = frozenset({"obtained"})

    @property
    def is_empty(self) -> bool:
        return not self.columns and not self.ignore and self.date_format is None and self.sheet is None


def column_letter(index: int) -> str:
    """The spreadsheet name of column ``index`` (0-based): 0 → A, 27 → AB."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def check_date_format(fmt: str, where: str) -> str:
    """``fmt`` if it states a day exactly (%Y, %m and %d once each, no other directive), else ColumnMapError."""
    found = _DIRECTIVE.findall(fmt.replace("%%", ""))
    problem: tuple[str, str] | None = None
    if not fmt.strip():
        problem = ("is empty", "为空")
    elif "%" in fmt.replace("%%", "").replace("%Y", "").replace("%m", "").replace("%d", ""):
        other = next((f"%{d}" for d in found if d not in "Ymd"), "a lone %")
        problem = (f"uses {other}", f"使用了 {other}")
        if other == "%y":
            problem = ("uses %y, a two-digit year whose century would be a guess",
                       "使用了 %y，两位年份的世纪只能靠猜测")
    else:
        for needed in "Ymd":
            if found.count(needed) != 1:
                problem = (f"has %{needed} {found.count(needed)} times, not once",
                           f"中 %{needed} 出现 {found.count(needed)} 次，应恰好一次")
                break
    if problem is not None:
        raise ColumnMapError(said("bad-date-format", where=where, format=fmt, why=problem[0], why_zh=problem[1]))
    return fmt


def load_column_map(path: str | Path) -> ColumnMap:
    """Read a column mapping file (strict YAML, located errors)."""
    source = str(path)
    raw = _yaml.read(path)
    text = raw if isinstance(raw, Diagnostic) else _yaml.decode(raw, source)
    parsed = text if isinstance(text, Diagnostic) else _yaml.parse(text, source)
    if isinstance(parsed, Diagnostic):
        raise ColumnMapError((str(parsed), str(parsed)))

    def at(*path: str | int) -> str:
        line, column = parsed.locate(path)
        return f"{source}:{line}:{column}"

    data = parsed.data
    if not isinstance(data, dict):
        raise ColumnMapError(said("map-not-mapping", where=at(), what=_what(data)))
    for key in data:
        if key not in MAP_KEYS:
            raise ColumnMapError(said("map-unknown-key", where=at(key), name=key, hint=did_you_mean(key, MAP_KEYS)))
    columns = data.get("columns")
    if not isinstance(columns, dict) or not columns:
        raise ColumnMapError(said("map-no-columns", where=at("columns")))
    mapped: dict[str, str] = {}
    origin: dict[str, str] = {}
    for header, target in columns.items():
        if not isinstance(target, str) or not normalise(target):
            raise ColumnMapError(said("map-bad-entry", where=at("columns", header),
                                      what=f"the field of column '{header}'"))
        _add(mapped, origin, normalise(header), normalise(target), at("columns", header))
    ignore = data.get("ignore", [])
    if isinstance(ignore, str):
        ignore = [ignore]
    if not isinstance(ignore, list):
        raise ColumnMapError(said("map-bad-entry", where=at("ignore"), what="'ignore' (a list of headers)"))
    ignored: set[str] = set()
    for index, header in enumerate(ignore):
        if not isinstance(header, (str, int)) or isinstance(header, bool):
            raise ColumnMapError(said("map-bad-entry", where=at("ignore", index), what="each header to ignore"))
        name = normalise(str(header))
        if name in mapped or name in ignored:
            raise ColumnMapError(said("map-twice", where=at("ignore", index), header=name, first=origin[name]))
        ignored.add(name)
        origin[name] = at("ignore", index)
    settings: dict[str, str | None] = {}
    for key in ("date_format", "sheet"):
        value = data.get(key)
        if value is not None and (not isinstance(value, (str, int)) or isinstance(value, bool)):
            raise ColumnMapError(said("map-bad-entry", where=at(key), what=f"'{key}'"))
        settings[key] = None if value is None else str(value)
        if value is not None:
            origin[key] = at(key)
    if settings["date_format"] is not None:
        check_date_format(settings["date_format"], at("date_format"))
    return ColumnMap(mapped, frozenset(ignored), settings["date_format"], settings["sheet"], origin)


def _what(value: Any) -> str:
    return "a list" if isinstance(value, list) else "nothing" if value is None else f"'{value}'"


def _add(mapped: dict[str, str], origin: dict[str, str], header: str, target: str, where: str) -> None:
    if header in mapped:
        raise ColumnMapError(said("map-twice", where=where, header=header, first=origin[header]))
    for other, other_target in mapped.items():
        if other_target == target:
            raise ColumnMapError(said("map-same-field", where=where, header=header, other=other,
                                      first=origin[other], field=target))
    mapped[header] = target
    origin[header] = where


def with_options(base: ColumnMap | None, columns: Sequence[str] = (), date_format: str | None = None,
                 sheet: str | None = None) -> ColumnMap | None:
    """``base`` (a mapping file, or None) with ``--column HEADER=FIELD``, ``--date-format`` and ``--sheet`` added.

    A setting given both in the file and as an option is refused: which one was meant cannot be known."""
    if base is None and not columns and date_format is None and sheet is None:
        return None
    start = base or ColumnMap()
    mapped, origin = dict(start.columns), dict(start.origin)
    for number, text in enumerate(columns, start=1):
        header, sep, target = text.partition("=")
        if not sep or not normalise(header) or not normalise(target):
            raise ColumnMapError(said("map-bad-option", text=text))
        where = f"--column #{number} '{text}'"
        name = normalise(header)
        if name in start.ignore:
            raise ColumnMapError(said("map-twice", where=where, header=name, first=origin[name]))
        _add(mapped, origin, name, normalise(target), where)
    settings = {"date_format": start.date_format, "sheet": start.sheet}
    for key, option, value in (("date_format", "--date-format", date_format), ("sheet", "--sheet", sheet)):
        if value is None:
            continue
        if settings[key] is not None:
            raise ColumnMapError(said("map-given-twice", what=f"'{key}'", where=origin[key], option=option))
        if key == "date_format":
            check_date_format(value, option)
        settings[key] = value
        origin[key] = option
    return replace(start, columns=mapped, origin=origin, date_format=settings["date_format"],
                   sheet=settings["sheet"])


def check_fields(column_map: ColumnMap, fields: Iterable[str], standard: str) -> None:
    """Every mapped field must be one the standard's records can have (``fields``)."""
    known = sorted(set(fields))
    for header, target in column_map.columns.items():
        if target not in known:
            raise ColumnMapError(said("map-unknown-field", where=column_map.origin[header], field=target,
                                      header=header, standard=standard, hint=did_you_mean(target, known),
                                      fields=", ".join(known)))


def header_fields(column_map: ColumnMap | None, cells: Sequence[str], source: str, line: int) -> list[str | None]:
    """The field of each column of a header row: mapped, its own name, '' (no header) or None (ignored).

    Raises ColumnMapError for a mapped or ignored header the row lacks, a header named twice, two
    columns that give one field, or no column giving ``learner``."""
    names = [normalise(cell) for cell in cells]
    mapping = column_map or ColumnMap()
    shown = ", ".join(f"'{n}'" for n in names if n) or "no columns"
    for header in (*mapping.columns, *sorted(mapping.ignore)):
        if header not in names:
            raise ColumnMapError(said("header-missing", source=source, header=header, first=mapping.origin[header],
                                      line=line, hint=did_you_mean(header, [n for n in names if n]), names=shown))
    fields: list[str | None] = []
    where: dict[str, int] = {}
    seen: dict[str, int] = {}
    for index, name in enumerate(names):
        if name and name in seen:
            cells_shown = f"columns {column_letter(seen[name])} and {column_letter(index)}"
            raise ColumnMapError(said("header-twice", source=source, line=line, header=name, cells=cells_shown))
        if name:
            seen[name] = index
        if name in mapping.ignore:
            fields.append(None)
            continue
        target = mapping.columns.get(name, name) if name else ""
        if target and target in where:
            raise ColumnMapError(said("header-same-field", source=source, line=line, field=target,
                                      first=f"{column_letter(where[target])} ('{names[where[target]]}')",
                                      second=f"{column_letter(index)} ('{name}')"))
        if target:
            where[target] = index
        fields.append(target)
    if "learner" not in where:
        raise ColumnMapError(said("header-no-learner", source=source, line=line, names=shown))
    return fields


def read_day(text: str, fmt: str) -> date | None:
    """``text`` as a day in the format ``fmt``, or None if it does not match (never a guess)."""
    try:
        return datetime.strptime(text, fmt).date()
    except ValueError:
        return None


def date_example(fmt: str) -> str:
    return date(2024, 6, 1).strftime(fmt)

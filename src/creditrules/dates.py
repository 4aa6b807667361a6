"""Days are written ``YYYY-MM-DD``, and only so, wherever a date is read.

``date.fromisoformat`` and pydantic are generous: ``20240901``, ``2024-W35-1`` (an ISO
week date), ``2024-09-01T08:00+08:00`` and the unix timestamp ``1725148800`` all pass
as days, and a time zone silently shifts nothing or a whole day. A standard, a learner
record, a case file and the command line share this one reader, so a date means the
same day everywhere, and each refusal says what to write instead (English and Chinese).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

_DAY = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})\Z")
_COMPACT = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})\Z")
_WEEK = re.compile(r"[0-9]{4}-?W[0-9]{2}(-?[1-7])?\Z", re.IGNORECASE)
_ORDINAL = re.compile(r"[0-9]{4}-?[0-9]{3}\Z")
_WITH_TIME = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})[T ][0-9]")


@dataclass(frozen=True, slots=True)
class NotADay:
    """Why a value is not a day: the English and Chinese reason, each naming what to write."""

    en: str
    zh: str


def _shown(value: object) -> str:
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= 40 else text[:37] + "…'"


def parse_day(value: object) -> date | NotADay:
    """``value`` as a day, or why it is not one. A ``date`` (not a datetime) passes as it is;
    text must be exactly ``YYYY-MM-DD`` once full-width digits are read as digits."""
    if type(value) is str:
        return text_day(value)
    if isinstance(value, date) and type(value) is date:
        return value
    return _read_day(value)


@functools.lru_cache(maxsize=1 << 16)
def text_day(value: str) -> date | NotADay:
    """Text days, remembered: a province's ten million records carry a few thousand distinct days,
    and both answers (a ``date``, a :class:`NotADay`) are immutable."""
    return _read_day(value)


def _read_day(value: object) -> date | NotADay:
    from .safe_text import escape_controls

    shown = escape_controls(_shown(value))
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        en, zh = _kind(value)
        return NotADay(f"{en} is not a date; write the day as YYYY-MM-DD, e.g. 2024-09-01",
                       f"{zh}不是日期；请写作 YYYY-MM-DD，例如 2024-09-01")
    text = unicodedata.normalize("NFKC", str(value)).strip()
    found = _DAY.match(text)
    if found and isinstance(value, str):
        try:
            return date(*map(int, found.groups()))
        except ValueError:
            return NotADay(f"{shown} is not a day of the calendar; write YYYY-MM-DD, e.g. 2024-09-01",
                           f"{shown} 不是日历上的日期；请写作 YYYY-MM-DD，例如 2024-09-01")
    compact = _COMPACT.match(text)
    if compact:
        spelled = "-".join(compact.groups())
        return NotADay(f"{shown} is not a date; write {spelled}", f"{shown} 不是日期；请写作 {spelled}")
    if isinstance(value, int):
        return NotADay(f"the number {shown} is not a date (a timestamp is not accepted); write the day as "
                       "YYYY-MM-DD, e.g. 2024-09-01",
                       f"数字 {shown} 不是日期（不接受时间戳）；请写作 YYYY-MM-DD，例如 2024-09-01")
    if _WEEK.match(text):
        return NotADay(f"{shown} is a week date; write the day as YYYY-MM-DD, e.g. 2024-09-01",
                       f"{shown} 是周日期；请写作 YYYY-MM-DD，例如 2024-09-01")
    if _ORDINAL.match(text):
        return NotADay(f"{shown} is a day of the year; write the day as YYYY-MM-DD, e.g. 2024-09-01",
                       f"{shown} 是年内序日；请写作 YYYY-MM-DD，例如 2024-09-01")
    timed = _WITH_TIME.match(text)
    if timed:
        return NotADay(f"{shown} has a time of day; write the day only, e.g. {timed.group(1)}",
                       f"{shown} 含有时刻；只写日期，例如 {timed.group(1)}")
    return NotADay(f"{shown} is not a date; write YYYY-MM-DD, e.g. 2024-09-01",
                   f"{shown} 不是日期；请写作 YYYY-MM-DD，例如 2024-09-01")


def _kind(value: object) -> tuple[str, str]:
    """What a value that is not text is, in English and in Chinese."""
    if value is None:
        return "nothing", "空值"
    if isinstance(value, bool):
        return "true/false", "true/false "
    if isinstance(value, float):
        return f"the number {value!r}", f"数字 {value!r} "
    if isinstance(value, date):
        return "a date and time", "日期时间"
    if isinstance(value, (list, tuple)):
        return "a list", "列表"
    if isinstance(value, dict):
        return "a mapping", "映射"
    return type(value).__name__, type(value).__name__ + " "


def day_or_raise(value: object) -> date:
    """For pydantic: the day, or ValueError with the English reason."""
    found = parse_day(value)
    if isinstance(found, NotADay):
        raise ValueError(found.en)
    return found

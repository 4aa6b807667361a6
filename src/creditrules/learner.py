"""Learner records: read untrusted input, keep what is usable, say why the rest is not.

A learner file (YAML or JSON) is a mapping::

    id: L-0001                 # required
    name: 张伟                  # optional, never used in decisions
    achievements:
      - id: A1                 # unique within the learner
        code: X-WEB            # a catalog code, or another bank's code with an equivalence
        obtained: 2024-06-01   # YYYY-MM-DD
        verified: true         # evidence checked by the bank; false when absent
        level: 中级             # any other key is an attribute of the achievement

Structural problems reject one achievement (with its reason) and never the
others; only a record that is unusable as a whole raises :class:`LearnerError`.
Attribute values are checked against a standard later, in :func:`facts_for`.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from . import _yaml
from ._fastinit import fast_init
from ._yaml import HugeNumber
from .compiled import CompiledRuleset
from .dates import NotADay, parse_day, text_day
from .errors import Diagnostic, LearnerError, did_you_mean
from .lookalike import unusual_note
from .memo import BoundedMemo
from .normalise import normalise
from .rejection import Rejection as Rejection  # re-exported: the learner reader's result
from .safe_text import escape_controls, surrogate_in, surrogate_reason

BUILTIN_KEYS = ("id", "code", "obtained", "verified", "issuer", "region")
_BUILTIN = frozenset(BUILTIN_KEYS)
MAX_NUMBER_DIGITS = 15  # a number attribute is compared as a float, exact to 15 digits
MAX_ID_DIGITS = 64  # an id or code written as a number: as long as a code may be
MAX_SHOWN = 80  # characters of a value quoted in a reason
EARLIEST = date(1900, 1, 1)
MAX_ACHIEVEMENTS = 10_000


@fast_init
@dataclass(frozen=True, slots=True)
class Achievement:
    """One stored learning outcome, structurally valid."""

    id: str
    code: str
    obtained: date
    verified: bool = False
    issuer: str | None = None
    region: str | None = None
    attributes: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Bi:
    """A phrase in both languages, for building a bilingual reason."""

    en: str
    zh: str


_REASONS: dict[str, tuple[str, str]] = {
    "not-mapping": ("achievement {label} must be a mapping of keys, not {value}",
                    "成果 {label} 应为键值映射，而不是{value}"),
    "no-id": ("achievement {label} has no 'id'", "成果 {label} 缺少 'id'"),
    "forged-outcome": ("code '{code}' is a certified outcome of standard '{standard}': only certification issues it, "
                       "so a record cannot claim it; submit the achievements it certifies instead",
                       "代码 '{code}' 是标准 '{standard}' 认证的成果，只能经认证产生，记录不得直接申报；"
                       "请提交被认证的原始成果"),
    "duplicate-id": ("duplicate achievement id '{id}': the same record again; one copy is used",
                     "成果编号 '{id}' 重复：与另一条记录完全相同；只采用其中一条"),
    "conflicting-id": ("achievement id '{id}' is used by {count} different records; none of them is used until "
                       "each has its own id", "成果编号 '{id}' 被 {count} 条不同的记录使用；在编号各不相同之前，"
                       "这些记录均不予采用"),
    "bad-code": ("'code' must be a catalog code, not {value}", "'code' 应为目录代码，而不是{value}"),
    "no-obtained": ("'obtained' (the date it was obtained, YYYY-MM-DD) is missing",
                    "缺少 'obtained'（取得日期，格式为 YYYY-MM-DD）"),
    "date": ("'{name}': {en}", "'{name}'：{zh}"),
    "too-many-digits": ("'{name}' is a number of {digits} digits, too large (at most {limit})",
                        "'{name}' 是 {digits} 位数字，过大（最多 {limit} 位）"),
    "date-early": ("'{name}' {value} is before {earliest}", "'{name}' {value} 早于 {earliest}"),
    "bool": ("'{name}' must be true or false, not {value}", "'{name}' 应为 true 或 false，而不是{value}"),
    "text": ("'{name}' must be text, not {value}", "'{name}' 应为文本，而不是{value}"),
    "id-number": ("achievement {label} has the number {value} as its 'id'; write the id in quotes",
                  "成果 {label} 的 'id' 是数字 {value}；请把编号写在引号中"),
    "unknown-code": ("code '{code}' is not in the catalog of standard '{standard}'{hint}{odd}",
                     "代码 '{code}' 不在标准 '{standard}' 的目录中{hint}{odd}"),
    "future": ("obtained {obtained} is after the as-of date {as_of}", "取得日期 {obtained} 晚于认定日期 {as_of}"),
    "required": ("'{name}' is required for {kind} achievements but missing", "{kind}类成果必须填写 '{name}'"),
    "not-level": ("'{name}' is {value}, not a level of {scale} ({levels}){hint}",
                  "'{name}' 为{value}，不是{scale}的等级（{levels}）{hint}"),
    "number": ("'{name}' must be a number, not {value}", "'{name}' 应为数字，而不是{value}"),
    "finite": ("'{name}' must be a finite number, not {value}", "'{name}' 应为有限的数字，而不是 {value}"),
    "below-min": ("'{name}' is {value}, below the smallest allowed value {limit}",
                  "'{name}' 为 {value}，低于允许的最小值 {limit}"),
    "above-max": ("'{name}' is {value}, above the largest allowed value {limit}",
                  "'{name}' 为 {value}，高于允许的最大值 {limit}"),
    "catalog-mismatch": ("'{name}' is {value}, but the catalog of standard '{standard}' says every {code} has "
                         "{name} {fixed}; correct the record or its code",
                         "'{name}' 为{value}，但标准 '{standard}' 的目录规定 {code} 的 {name} 均为 {fixed}；"
                         "请更正记录或其代码"),
    "not-choice": ("'{name}' is {value}, not one of {values}", "'{name}' 为{value}，不在可选值 {values} 之中"),
}


def _reason(key: str, **params: Any) -> tuple[str, str, str]:
    """The English and Chinese reason for rejecting a record, and its stable code (the key)."""
    en, zh = _REASONS[key]
    return (en.format(**{k: v.en if isinstance(v, _Bi) else v for k, v in params.items()}),
            zh.format(**{k: v.zh if isinstance(v, _Bi) else v for k, v in params.items()}), key)


def _reject(achievement: str, record_code: str | None, key: str, **params: Any) -> Rejection:
    return Rejection(achievement, record_code, *_reason(key, **params))


COURSE_STATUSES = ("passed", "failed", "enrolled", "withdrawn")
CONTEXT_KEYS = ("attributes", "courses")
COURSE_KEYS = ("code", "status", "grade", "term")
MAX_COURSES = 10_000


@dataclass(frozen=True, slots=True)
class CourseRecord:
    """One course in the learner's history at the institution: taken, failed, under way or dropped."""

    code: str
    status: str  # passed | failed | enrolled | withdrawn
    grade: str | None = None
    term: str | None = None


@dataclass(frozen=True)
class LearnerContext:
    """The learner, not only their achievements: attributes (hours in residence, program…) and course
    history. Attributes are typed by the standard that reads them (its ``context: attributes:``)."""

    attributes: Mapping[str, Any] = field(default_factory=dict)
    courses: tuple[CourseRecord, ...] = ()

    @functools.cached_property
    def statuses(self) -> dict[str, frozenset[str]]:
        """Course code → every status the history records for it (a course failed, then passed, has both)."""
        found: dict[str, set[str]] = {}
        for course in self.courses:
            found.setdefault(course.code, set()).add(course.status)
        return {code: frozenset(values) for code, values in found.items()}


EMPTY_CONTEXT = LearnerContext()


@dataclass(frozen=True, slots=True)
class Learner:
    id: str
    achievements: tuple[Achievement, ...]
    rejected: tuple[Rejection, ...] = ()
    name: str | None = None
    context: LearnerContext = EMPTY_CONTEXT


normalise_code = normalise  # the one normalisation (normalise.py), under its older name


def _parse_date(value: Any, name: str = "obtained") -> date | tuple[str, str, str]:
    """A date, or the (en, zh, code) reason it is not one."""
    day = parse_day(value)
    if isinstance(day, NotADay):
        return _reason("date", name=name, en=day.en, zh=day.zh)
    if day < EARLIEST:
        return _reason("date-early", name=name, value=day.isoformat(), earliest=EARLIEST.isoformat())
    return day


def _describe(value: Any) -> str:
    return _describe_bi(value).en


def _describe_bi(value: Any) -> _Bi:
    if isinstance(value, HugeNumber) or (isinstance(value, int) and not isinstance(value, bool)
                                         and abs(value) >= _TOO_BIG):
        digits = value.digits if isinstance(value, HugeNumber) else _digits(value)
        return _Bi(f"a number of {digits} digits", f"{digits} 位数字")
    if value is None:
        return _Bi("nothing", "空值")
    if isinstance(value, bool):
        return _Bi("true/false", "true/false")
    if isinstance(value, (int, float)):
        return _Bi(f"the number {value}", f"数字 {value}")
    if isinstance(value, (list, tuple)):
        return _Bi("a list", "列表")
    if isinstance(value, dict):
        return _Bi("a mapping", "映射")
    text = value if isinstance(value, str) else str(value)
    shown = text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN] + "…"  # a quote, never a whole file
    return _Bi(f"'{shown}'", f" '{shown}'")


_TEXT_LIMIT = 10 ** 4000  # below Python's int→text limit of 4,300 digits
_TOO_BIG = 10 ** MAX_NUMBER_DIGITS


def _digits(number: int) -> int:
    """Digits of a whole number, without int→text (refused by Python past 4,300 digits)."""
    return len(str(abs(number))) if abs(number) < _TEXT_LIMIT else int(abs(number).bit_length() * 0.30103) + 1


def _oversized(raw: dict[str, Any], keys: Iterable[str] | None = None) -> tuple[str, int] | None:
    """The first key whose value is a number too long to use, and its digits: any number past
    Python's reading limit (a :class:`HugeNumber`), or an id or code of more than MAX_ID_DIGITS."""
    for key in (raw if keys is None else keys):
        value = raw.get(key)
        if value is None or type(value) is str:  # most values: nothing to measure
            continue
        if isinstance(value, HugeNumber):
            return str(key), value.digits
        if isinstance(value, int) and value.bit_length() > 14_000:  # past int→text (4,300 digits), from the API
            return str(key), _digits(value)
        if key in ("id", "code") and isinstance(value, int) and not isinstance(value, bool) \
                and _digits(value) > MAX_ID_DIGITS:
            return str(key), _digits(value)
    return None


_PLAIN_TYPES = frozenset((str, bool, type(None), int, float))
_TEXT_OR_NONE = frozenset((str, type(None)))
_LONGEST_INT_BITS = 14_000  # past this an int has no text (Python's 4,300 digits): the full checks say so


def _plain_record(raw: Any, seen: set[str], ach_id: str | None = None) -> Achievement | None:
    """The common record (a dictionary of text, true/false and ordinary numbers, with a text id,
    code and date) checked in one pass; None for anything else, which the full checks then handle.
    Whenever it returns an achievement, the full checks would return the same one.
    ``ach_id``: the record's id already normalised (:func:`_same_id`), when the caller has it."""
    if type(raw) is not dict:
        return None
    types = set(map(type, raw.values()))
    if not _PLAIN_TYPES.issuperset(types) or (int in types and any(
            type(v) is int and v.bit_length() > _LONGEST_INT_BITS for v in raw.values())):
        return None
    raw_id, raw_code, raw_day = raw.get("id"), raw.get("code"), raw.get("obtained")
    if type(raw_id) is not str or type(raw_code) is not str or type(raw_day) is not str:
        return None
    if ach_id is None:
        if not raw_id.strip():
            return None
        ach_id = normalise_code(raw_id)
    code = normalise_code(raw_code)
    if not code or ach_id in seen:
        return None
    obtained = text_day(raw_day)
    verified, issuer, region = raw.get("verified", False), raw.get("issuer"), raw.get("region")
    if type(obtained) is not date or obtained < EARLIEST or type(verified) is not bool \
            or type(issuer) not in _TEXT_OR_NONE or type(region) not in _TEXT_OR_NONE:
        return None
    seen.add(ach_id)
    return Achievement(ach_id, code, obtained, verified, issuer, region,
                       {k: v for k, v in raw.items() if k not in _BUILTIN})


def parse_achievement(raw: Any, position: int, seen: set[str]) -> Achievement | Rejection:
    """Check one raw achievement's structure. ``position`` is 1-based, used when it has no id."""
    plain = _plain_record(raw, seen)
    return plain if plain is not None else _checked_record(raw, position, seen)


def _checked_record(raw: Any, position: int, seen: set[str]) -> Achievement | Rejection:
    """Every structural check, in the order that decides which reason a bad record gets."""
    label = f"#{position}"
    if not isinstance(raw, dict):
        return _reject(label, None, "not-mapping", label=label, value=_describe_bi(raw))
    huge = _oversized(raw, ("id",))
    if huge is not None:
        return _reject(label, _code_or_none(raw), "too-many-digits", name="id", digits=huge[1], limit=MAX_ID_DIGITS)
    raw_id = raw.get("id")
    if isinstance(raw_id, float):
        return _reject(label, _code_or_none(raw), "id-number", label=label, value=repr(raw_id))
    if isinstance(raw_id, bool) or not isinstance(raw_id, (str, int)) or not str(raw_id).strip():
        return _reject(label, _code_or_none(raw), "no-id", label=label)
    ach_id = normalise_code(str(raw_id))
    huge = _oversized(raw)
    if huge is not None:
        return _reject(ach_id, _code_or_none(raw), "too-many-digits", name=huge[0], digits=huge[1],
                       limit=MAX_ID_DIGITS if huge[0] == "code" else MAX_NUMBER_DIGITS)
    if ach_id in seen:
        return _reject(ach_id, _code_or_none(raw), "duplicate-id", id=ach_id)
    raw_code = raw.get("code")
    code = normalise_code(raw_code) if isinstance(raw_code, str) else ""
    if not code:
        return _reject(ach_id, None, "bad-code", value=_describe_bi(raw_code))
    if "obtained" not in raw:
        return _reject(ach_id, code, "no-obtained")
    obtained = _parse_date(raw["obtained"])
    if isinstance(obtained, tuple):
        return Rejection(ach_id, code, *obtained)
    verified = raw.get("verified", False)
    if not isinstance(verified, bool):
        return _reject(ach_id, code, "bool", name="verified", value=_describe_bi(verified))
    texts: dict[str, str | None] = {}
    for key in ("issuer", "region"):
        value = raw.get(key)
        if value is not None and not isinstance(value, str):
            return _reject(ach_id, code, "text", name=key, value=_describe_bi(value))
        texts[key] = value
    attributes = {k: v for k, v in raw.items() if k not in _BUILTIN}
    seen.add(ach_id)
    return Achievement(ach_id, code, obtained, verified, texts["issuer"], texts["region"], attributes)


def _same_id(raw: Any) -> str | None:
    """The normalised id a raw achievement claims, or None (no usable id: labelled by position)."""
    raw_id = raw.get("id") if isinstance(raw, dict) else None
    if type(raw_id) is str:  # most ids
        return normalise_code(raw_id) if raw_id.strip() else None
    if isinstance(raw_id, bool) or not isinstance(raw_id, (str, int)) or not str(raw_id).strip():
        return None
    return normalise_code(str(raw_id))


def _content(raw: dict[str, Any]) -> str:
    return json.dumps(raw, sort_keys=True, ensure_ascii=False, default=repr)


def parse_achievements(raws: Sequence[tuple[int, Any]]) -> list[Achievement | Rejection]:
    """Check a learner's raw achievements, ``(position, raw)`` pairs: one result per pair, in
    their order. The result does not depend on the order (order-free duplicate rule):

    - records that share an id (after normalisation) and hold the same keys and values are one
      record written twice: the copy at the lowest position is checked, every other copy is
      rejected as a duplicate;
    - records that share an id but differ are all rejected: which one was meant cannot be known,
      and keeping the first would make the credit depend on row order.
    """
    ids = [_same_id(raw) for _, raw in raws]
    by_id: dict[str, list[int]] = {}
    for index, ach_id in enumerate(ids):
        if ach_id is not None:
            by_id.setdefault(ach_id, []).append(index)
    verdict: dict[int, Rejection] = {}
    for ach_id, indexes in by_id.items() if len(by_id) < len(ids) else ():  # else no id is shared
        if len(indexes) == 1:
            continue
        copies = {_content(raws[i][1]) for i in indexes}
        if len(copies) == 1:
            keep = min(indexes, key=lambda i: raws[i][0])
            for i in indexes:
                if i != keep:
                    verdict[i] = _reject(ach_id, _code_or_none(raws[i][1]), "duplicate-id", id=ach_id)
        else:
            for i in indexes:
                verdict[i] = _reject(ach_id, _code_or_none(raws[i][1]), "conflicting-id", id=ach_id,
                                     count=len(copies))
    return [verdict.get(index) or _plain_record(raw, set(), ids[index]) or _checked_record(raw, position, set())
            for index, (position, raw) in enumerate(raws)]


def _code_or_none(raw: dict[str, Any]) -> str | None:
    code = raw.get("code")
    return normalise_code(code) if isinstance(code, str) else None


def learner_from_dict(data: Any, source: str = "<learner>") -> Learner:
    """Build a Learner from parsed data; raises LearnerError only if the whole record is unusable."""
    if not isinstance(data, dict):
        # never the text itself: a case file may point at any file, and its content is not ours to show
        what = "text" if isinstance(data, str) else _describe(data)
        raise LearnerError(source, f"a learner record must be a mapping with 'id' and 'achievements', not {what}")
    raw_id = data.get("id")
    if isinstance(raw_id, (float, HugeNumber)) or (
            isinstance(raw_id, int) and not isinstance(raw_id, bool) and _digits(raw_id) > MAX_ID_DIGITS):
        raise LearnerError(source, f"the learner's 'id' is {_describe(raw_id)}; write the id in quotes, "
                                   "e.g. id: \"L-0001\"")
    if isinstance(raw_id, bool) or not isinstance(raw_id, (str, int)) or not str(raw_id).strip():
        raise LearnerError(source, "the learner has no 'id'")
    unknown = sorted(set(data) - {"id", "name", "achievements", "context"}, key=str)
    if unknown:
        first = str(unknown[0])
        more = f" (and {len(unknown) - 1} more unknown keys)" if len(unknown) > 1 else ""
        raise LearnerError(source, f"unknown key '{_describe_bi(first).en[1:-1]}'{more}"
                                   f"{did_you_mean(first, ['id', 'name', 'achievements', 'context'])}"
                                   "; a learner has id, name, achievements and context")
    raw_achievements = data.get("achievements", [])
    if raw_achievements is None:
        raw_achievements = []
    if not isinstance(raw_achievements, list):
        raise LearnerError(source, f"'achievements' must be a list, not {_describe(raw_achievements)}")
    if len(raw_achievements) > MAX_ACHIEVEMENTS:
        raise LearnerError(source, f"{len(raw_achievements)} achievements is over the limit of {MAX_ACHIEVEMENTS} "
                                   "for one learner")
    achievements: list[Achievement] = []
    rejected: list[Rejection] = []
    for result in parse_achievements(list(enumerate(raw_achievements, start=1))):
        (rejected if isinstance(result, Rejection) else achievements).append(result)  # type: ignore[arg-type]
    name = data.get("name")
    context = parse_context(data["context"], source) if data.get("context") is not None else EMPTY_CONTEXT
    return Learner(normalise_code(str(raw_id)), tuple(achievements), tuple(rejected),
                   name if isinstance(name, str) else None, context)


def _unknown_key(where: str, keys: Iterable[Any], allowed: Sequence[str]) -> str | None:
    unknown = sorted((str(k) for k in keys if k not in allowed), key=str)
    if not unknown:
        return None
    return (f"{where}: unknown key '{_describe_bi(unknown[0]).en[1:-1]}'{did_you_mean(unknown[0], allowed)}; "
            f"allowed: {', '.join(allowed)}")


def parse_context(raw: Any, source: str = "<learner>") -> LearnerContext:
    """The learner's context. It gates every award, so a context that cannot be read stops the
    evaluation (LearnerError) rather than being half used."""
    if not isinstance(raw, dict):
        raise LearnerError(source, f"'context' must be a mapping with 'attributes' and 'courses', not {_describe(raw)}")
    problem = _unknown_key("context", raw, CONTEXT_KEYS)
    if problem:
        raise LearnerError(source, problem)
    attributes = raw.get("attributes") or {}
    if not isinstance(attributes, dict):
        raise LearnerError(source, f"'context.attributes' must be a mapping of names to values, not "
                                   f"{_describe(attributes)}")
    for key, value in attributes.items():
        if not isinstance(key, str) or isinstance(value, (dict, list, HugeNumber)) or (
                isinstance(value, int) and not isinstance(value, bool) and abs(value) >= _TOO_BIG):
            raise LearnerError(source, f"context attribute {_describe(key)} must be text, a number, true/false or a "
                                       f"date, not {_describe(value)}")
        if isinstance(value, float) and not math.isfinite(value):  # json reads NaN, Infinity and 1e400 as floats
            raise LearnerError(source, f"context attribute {_describe(key)} must be a finite number, not {value!r}")
    courses = raw.get("courses") or []
    if not isinstance(courses, list):
        raise LearnerError(source, f"'context.courses' must be a list, not {_describe(courses)}")
    if len(courses) > MAX_COURSES:
        raise LearnerError(source, f"{len(courses)} courses is over the limit of {MAX_COURSES} for one learner")
    records = []
    for position, course in enumerate(courses, start=1):
        where = f"context course #{position}"
        if not isinstance(course, dict):
            raise LearnerError(source, f"{where} must be a mapping with 'code' and 'status', not {_describe(course)}")
        problem = _unknown_key(where, course, COURSE_KEYS)
        if problem:
            raise LearnerError(source, problem)
        code = course.get("code")
        if isinstance(code, int) and not isinstance(code, bool) and _digits(code) <= MAX_ID_DIGITS:
            code = str(code)
        if not isinstance(code, str) or not normalise_code(code):
            raise LearnerError(source, f"{where}: 'code' must be a course code, not {_describe(code)}")
        status = course.get("status")
        if status not in COURSE_STATUSES:
            raise LearnerError(source, f"{where} ({normalise_code(code)}): 'status' must be one of "
                                       f"{', '.join(COURSE_STATUSES)}, not {_describe(status)}"
                                       f"{did_you_mean(status, COURSE_STATUSES) if isinstance(status, str) else ''}")
        extra: dict[str, str | None] = {}
        for key in ("grade", "term"):
            value = course.get(key)
            if value is not None and (isinstance(value, (bool, dict, list, HugeNumber))
                                      or not isinstance(value, (str, int, float))):
                raise LearnerError(source, f"{where} ({normalise_code(code)}): '{key}' must be text or a number, "
                                           f"not {_describe(value)}")
            extra[key] = None if value is None else normalise_code(str(value))
        records.append(CourseRecord(normalise_code(code), status, extra["grade"], extra["term"]))
    return LearnerContext({str(k): v for k, v in sorted(attributes.items())}, tuple(records))


def json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """``object_pairs_hook`` for json.loads that refuses duplicate keys, as the YAML reader does."""
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key '{key}'")
        result[key] = value
    return result


def json_int(text: str) -> int | HugeNumber:
    """A JSON whole number; one too long to read rejects its achievement, not the file."""
    digits = len(text.lstrip("-"))
    return HugeNumber(digits) if digits > _yaml.MAX_DIGITS else int(text)


def parse_learner_text(text: str, source: str) -> Learner:
    """Parse a learner from YAML or JSON text (JSON when ``source`` ends in .json)."""
    if source.endswith(".json"):
        try:
            # NaN and Infinity parse as floats, so only the achievement holding one is rejected
            data = json.loads(text, object_pairs_hook=json_object, parse_int=json_int)
        except (ValueError, RecursionError) as exc:
            where = None
            if isinstance(exc, json.JSONDecodeError):
                where = Diagnostic(source, exc.lineno, exc.colno, "", f"invalid JSON: {exc.msg}")
            raise LearnerError(source, f"invalid JSON: {exc}", where) from None
        found = surrogate_in(data) if "\\u" in text else None  # only an escape can write a lone surrogate
        if found is not None:
            raise LearnerError(source, surrogate_reason(*found)[0])
    else:
        parsed = _yaml.parse(text, source, keep_huge=True)
        if isinstance(parsed, Diagnostic):
            raise LearnerError(source, f"line {parsed.line}, column {parsed.column}: {parsed.message}", parsed)
        data = parsed.data
    return learner_from_dict(data, source)


def load_learner(path: str | Path) -> Learner:
    """Read a learner file (YAML, or JSON by its .json suffix)."""
    source = str(path)
    raw = _yaml.read(path)
    if isinstance(raw, Diagnostic):
        raise LearnerError(source, raw.message, raw)
    return parse_learner_bytes(raw, source)


def parse_learner_bytes(raw: bytes, source: str) -> Learner:
    """Decode (UTF-8, a BOM allowed) and parse a learner record; JSON when ``source`` ends in .json."""
    text = _yaml.decode(raw, source)
    if isinstance(text, Diagnostic):
        where = f"line {text.line}, column {text.column}: " if text.line else ""
        raise LearnerError(source, f"{where}{text.message}", text)
    return parse_learner_text(text, source)


# ---------------------------------------------------------------- facts for one standard

@fast_init
@dataclass(frozen=True, slots=True)
class Fact:
    """An achievement as one standard sees it: canonical code, typed values."""

    id: str
    code: str
    kind: str
    values: dict[str, Any]  # normalised: scale levels as ranks, numbers as float
    shown: dict[str, Any]  # as written, for explanations
    received_code: str  # the code in the record, when an equivalence mapped it
    obtained: date


def facts_for(ruleset: CompiledRuleset, achievements: Iterable[Achievement], as_of: date
              ) -> tuple[list[Fact], list[Rejection], list[Rejection]]:
    """Type-check achievements against one standard's catalog.

    Returns (facts, unknown, rejected): ``unknown`` are valid records whose code this
    standard does not know (they are unused, not wrong); ``rejected`` are records
    whose values are wrong for their kind.
    """
    facts: list[Fact] = []
    unknown: list[Rejection] = []
    rejected: list[Rejection] = []
    unknown_codes = ruleset.plan.unknown_codes
    typings: BoundedMemo[Typing | _Bad] = ruleset.plan.typings
    for ach in achievements:
        code = ruleset.aliases.get(ach.code, ach.code)
        info = ruleset.catalog.get(code)
        if info is None:
            reason = unknown_codes.get(ach.code)
            if reason is None:
                reason = _unknown_code(ruleset, ach.code)
                unknown_codes.put(ach.code, reason)
            unknown.append(Rejection(ach.id, ach.code, *reason))
            continue
        if ach.obtained > as_of:
            rejected.append(_reject(ach.id, ach.code, "future", obtained=ach.obtained.isoformat(),
                                    as_of=as_of.isoformat()))
            continue
        kind = ruleset.kinds[info.kind]
        key = _typing_key(ach, kind)
        typing = typings.get(key) if key is not None else None
        if typing is None:
            typing = _type_attributes(ruleset, ach.attributes, info, kind, code)
            if key is not None:
                typings.put(key, typing)
        if isinstance(typing, _Bad):
            rejected.append(Rejection(ach.id, ach.code, typing.reason, typing.reason_zh, typing.reason_code))
            continue
        values: dict[str, Any] = {"code": code, "kind": info.kind, "obtained": ach.obtained,
                                  "verified": ach.verified, "issuer": ach.issuer, "region": ach.region}
        shown = dict(values)
        shown["code"] = ach.code
        values.update(typing.values)
        shown.update(typing.shown)
        facts.append(Fact(ach.id, code, info.kind, values, shown, ach.code, ach.obtained))
    return facts, unknown, rejected


@dataclass(frozen=True, slots=True)
class Typing:
    """A record's attributes typed against its kind: what depends on the code and those values alone."""

    values: tuple[tuple[str, Any], ...]  # normalised, in the kind's attribute order
    shown: tuple[tuple[str, Any], ...]  # as written


_KEY_TYPES = frozenset((str, bool, int, type(None)))


def _typing_key(ach: Achievement, kind: Any) -> tuple[Any, ...] | None:
    """What typing a record's attributes depends on: its code as written and the values of its kind's
    attributes, each with its type (``1`` and ``True`` are equal in Python, not here). None when a
    value is of another type (a float, say: ``-0.0 == 0.0`` would show the wrong one)."""
    attributes = ach.attributes
    key: list[Any] = [ach.code]
    for name in kind.attributes:
        raw = attributes.get(name)
        kind_of = type(raw)
        if kind_of not in _KEY_TYPES:
            return None
        key.append(kind_of)
        key.append(raw)
    return tuple(key)


def _type_attributes(ruleset: CompiledRuleset, attributes: Mapping[str, Any], info: Any, kind: Any,
                     code: str) -> Typing | _Bad:
    """Each attribute of the record's kind typed (the catalog's fixed values filled in), or the first problem."""
    values: list[tuple[str, Any]] = []
    shown: list[tuple[str, Any]] = []
    fixed = dict(info.attributes)
    for name, attr in kind.attributes.items():
        raw = attributes.get(name)
        if name in fixed:
            problem = _against_catalog(ruleset, name, attr, raw, fixed[name], code)
            if problem is not None:
                return _Bad(*problem)
            raw = fixed[name]
        if raw is None:
            if attr.required:
                return _Bad.of("required", name=name, kind=_Bi(info.kind, kind.name_zh))
            values.append((name, None))
            shown.append((name, None))
            continue
        value = _typed(ruleset, name, attr.type, attr, raw)
        if isinstance(value, _Bad):
            return value
        values.append((name, value))
        shown.append((name, raw))
    return Typing(tuple(values), tuple(shown))


def _unknown_code(ruleset: CompiledRuleset, code: str) -> tuple[str, str, str]:
    hint = did_you_mean(code, tuple(ruleset.catalog))
    return _reason("unknown-code", code=escape_controls(code), standard=ruleset.id,
                   hint=_Bi(hint, hint.replace(" (did you mean", "（是否为").replace("?)", "？）")),
                   odd=_Bi(unusual_note(code), unusual_note(code, "zh")))


def _against_catalog(ruleset: CompiledRuleset, name: str, attr: Any, raw: Any, fixed: Any, code: str
                     ) -> tuple[str, str, str] | None:
    """A record may leave out an attribute the catalog fixes for its code, or repeat it; saying
    something else is a contradiction, and the record is rejected."""
    if raw is None:
        return None
    value = _typed(ruleset, name, attr.type, attr, raw)
    if isinstance(value, _Bad):
        return (value.reason, value.reason_zh, value.reason_code)
    if value == _typed(ruleset, name, attr.type, attr, fixed):
        return None
    return _reason("catalog-mismatch", name=name, value=_describe_bi(raw), code=escape_controls(code),
                   standard=ruleset.id, fixed=escape_controls(str(fixed)))


@dataclass(frozen=True, slots=True)
class _Bad:
    reason: str
    reason_zh: str
    reason_code: str

    @classmethod
    def of(cls, key: str, **params: Any) -> _Bad:
        return cls(*_reason(key, **params))


def _typed(ruleset: CompiledRuleset, name: str, kind: str, attr: Any, raw: Any) -> Any:
    if kind == "scale":
        scale = ruleset.scales[attr.scale]
        rank = scale.rank(normalise_code(raw)) if isinstance(raw, str) else None
        if rank is None:
            hint = did_you_mean(raw, scale.levels) if isinstance(raw, str) else ""
            return _Bad.of("not-level", name=name, value=_describe_bi(raw), scale=_Bi(scale.name_en, scale.name_zh),
                           levels=", ".join(scale.levels),
                           hint=_Bi(hint, hint.replace(" (did you mean", "（是否为").replace("?)", "？）")))
        return rank
    if kind == "number":
        if isinstance(raw, bool) or not isinstance(raw, (int, float)):
            return _Bad.of("number", name=name, value=_describe_bi(raw))
        if isinstance(raw, int) and abs(raw) >= _TOO_BIG:
            return _Bad.of("too-many-digits", name=name, digits=_digits(raw), limit=MAX_NUMBER_DIGITS)
        if not math.isfinite(raw):
            return _Bad.of("finite", name=name, value=raw)
        if attr.min is not None and raw < attr.min:
            return _Bad.of("below-min", name=name, value=f"{raw:g}", limit=f"{attr.min:g}")
        if attr.max is not None and raw > attr.max:
            return _Bad.of("above-max", name=name, value=f"{raw:g}", limit=f"{attr.max:g}")
        return float(raw)
    if kind == "choice":
        if not isinstance(raw, str) or normalise_code(raw) not in attr.values:
            return _Bad.of("not-choice", name=name, value=_describe_bi(raw), values=", ".join(sorted(attr.values)))
        return normalise_code(raw)
    if kind == "bool":
        if not isinstance(raw, bool):
            return _Bad.of("bool", name=name, value=_describe_bi(raw))
        return raw
    if kind == "date":
        day = _parse_date(raw, name)
        return _Bad(*day) if isinstance(day, tuple) else day
    if not isinstance(raw, (str, int)) or isinstance(raw, bool):
        return _Bad.of("text", name=name, value=_describe_bi(raw))
    return normalise_code(str(raw))


def reject_forged_outcome(achievement: Achievement, standard: str) -> Rejection:
    """A raw record that claims a code only certification may issue: refused, never credited."""
    return _reject(achievement.id, achievement.code, "forged-outcome", code=achievement.code, standard=standard)


def context_value(ruleset: CompiledRuleset, name: str, raw: Any) -> Any:
    """A context attribute typed as the standard declares it, or None when it is missing or does not
    fit (then every condition on it fails, and the decision shows the value as written)."""
    attr = ruleset.context_attributes.get(name)
    if attr is None or raw is None:
        return None
    value = _typed(ruleset, name, attr.type, attr, raw)
    return None if isinstance(value, _Bad) else value

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

import json
import math
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Iterable, Mapping

from . import _yaml
from .compiled import CompiledRuleset
from .errors import Diagnostic, LearnerError, did_you_mean

BUILTIN_KEYS = ("id", "code", "obtained", "verified", "issuer", "region")
EARLIEST = date(1900, 1, 1)
MAX_ACHIEVEMENTS = 10_000


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
class Rejection:
    """An achievement that could not be used, and why."""

    achievement: str
    code: str | None
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"achievement": self.achievement, "code": self.code, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class Learner:
    id: str
    achievements: tuple[Achievement, ...]
    rejected: tuple[Rejection, ...] = ()
    name: str | None = None


def normalise_code(raw: str) -> str:
    """Full-width letters and digits to ASCII, surrounding spaces dropped: ``１+X `` → ``1+X``.
    The same code typed two ways must never become two codes."""
    return unicodedata.normalize("NFKC", raw).strip()


def _parse_date(value: Any) -> date | str:
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return f"must be a date written YYYY-MM-DD, not {_describe(value)}"
    text = normalise_code(value)
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return f"'{value}' is not a date; write YYYY-MM-DD"
    if len(text) != 10:
        return f"'{value}' is not a date; write YYYY-MM-DD"
    if day < EARLIEST:
        return f"{day.isoformat()} is before {EARLIEST.isoformat()}"
    return day


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"'{value}'"


def parse_achievement(raw: Any, position: int, seen: set[str]) -> Achievement | Rejection:
    """Check one raw achievement's structure. ``position`` is 1-based, used when it has no id."""
    label = f"#{position}"
    if not isinstance(raw, dict):
        return Rejection(label, None, f"achievement {label} must be a mapping of keys, not {_describe(raw)}")
    raw_id = raw.get("id")
    if isinstance(raw_id, bool) or not isinstance(raw_id, (str, int)) or not str(raw_id).strip():
        return Rejection(label, _code_or_none(raw), f"achievement {label} has no 'id'")
    ach_id = normalise_code(str(raw_id))
    if ach_id in seen:
        return Rejection(ach_id, _code_or_none(raw), f"duplicate achievement id '{ach_id}'; ids must be unique")
    raw_code = raw.get("code")
    if not isinstance(raw_code, str) or not normalise_code(raw_code):
        return Rejection(ach_id, None, f"'code' must be a catalog code, not {_describe(raw_code)}")
    code = normalise_code(raw_code)
    if "obtained" not in raw:
        return Rejection(ach_id, code, "'obtained' (the date it was obtained, YYYY-MM-DD) is missing")
    obtained = _parse_date(raw["obtained"])
    if isinstance(obtained, str):
        return Rejection(ach_id, code, f"'obtained' {obtained}")
    verified = raw.get("verified", False)
    if not isinstance(verified, bool):
        return Rejection(ach_id, code, f"'verified' must be true or false, not {_describe(verified)}")
    texts: dict[str, str | None] = {}
    for key in ("issuer", "region"):
        value = raw.get(key)
        if value is not None and not isinstance(value, str):
            return Rejection(ach_id, code, f"'{key}' must be text, not {_describe(value)}")
        texts[key] = value
    attributes = {k: v for k, v in raw.items() if k not in BUILTIN_KEYS}
    seen.add(ach_id)
    return Achievement(ach_id, code, obtained, verified, texts["issuer"], texts["region"], attributes)


def _code_or_none(raw: dict[str, Any]) -> str | None:
    code = raw.get("code")
    return normalise_code(code) if isinstance(code, str) else None


def learner_from_dict(data: Any, source: str = "<learner>") -> Learner:
    """Build a Learner from parsed data; raises LearnerError only if the whole record is unusable."""
    if not isinstance(data, dict):
        raise LearnerError(source, f"a learner record must be a mapping with 'id' and 'achievements', not {_describe(data)}")
    raw_id = data.get("id")
    if isinstance(raw_id, bool) or not isinstance(raw_id, (str, int)) or not str(raw_id).strip():
        raise LearnerError(source, "the learner has no 'id'")
    unknown = sorted(set(data) - {"id", "name", "achievements"})
    if unknown:
        raise LearnerError(source, f"unknown key '{unknown[0]}'{did_you_mean(unknown[0], ['id', 'name', 'achievements'])}"
                                   "; a learner has id, name and achievements")
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
    seen: set[str] = set()
    for position, raw in enumerate(raw_achievements, start=1):
        result = parse_achievement(raw, position, seen)
        (rejected if isinstance(result, Rejection) else achievements).append(result)  # type: ignore[arg-type]
    name = data.get("name")
    return Learner(normalise_code(str(raw_id)), tuple(achievements), tuple(rejected),
                   name if isinstance(name, str) else None)


def _json_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key '{key}'")
        result[key] = value
    return result


def parse_learner_text(text: str, source: str) -> Learner:
    """Parse a learner from YAML or JSON text (JSON when ``source`` ends in .json)."""
    if source.endswith(".json"):
        try:
            # NaN and Infinity parse as floats, so only the achievement holding one is rejected
            data = json.loads(text, object_pairs_hook=_json_pairs)
        except (ValueError, RecursionError) as exc:
            raise LearnerError(source, f"invalid JSON: {exc}") from None
    else:
        parsed = _yaml.parse(text, source)
        if isinstance(parsed, Diagnostic):
            raise LearnerError(source, f"line {parsed.line}, column {parsed.column}: {parsed.message}")
        data = parsed.data
    return learner_from_dict(data, source)


def load_learner(path: str | Path) -> Learner:
    """Read a learner file (YAML, or JSON by its .json suffix)."""
    source = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise LearnerError(source, f"cannot read the file: {exc.strerror}") from None
    text = _yaml.decode(raw, source)
    if isinstance(text, Diagnostic):
        where = f"line {text.line}, column {text.column}: " if text.line else ""
        raise LearnerError(source, f"{where}{text.message}")
    return parse_learner_text(text, source)


# ---------------------------------------------------------------- facts for one standard

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
    for ach in achievements:
        code = ruleset.aliases.get(ach.code, ach.code)
        info = ruleset.catalog.get(code)
        if info is None:
            unknown.append(Rejection(ach.id, ach.code, f"code '{ach.code}' is not in the catalog of standard "
                                                       f"'{ruleset.id}'{did_you_mean(ach.code, ruleset.catalog)}"))
            continue
        if ach.obtained > as_of:
            rejected.append(Rejection(ach.id, ach.code, f"obtained {ach.obtained.isoformat()} is after the as-of "
                                                        f"date {as_of.isoformat()}"))
            continue
        kind = ruleset.kinds[info.kind]
        values: dict[str, Any] = {"code": code, "kind": info.kind, "obtained": ach.obtained,
                                  "verified": ach.verified, "issuer": ach.issuer, "region": ach.region}
        shown = dict(values)
        shown["code"] = ach.code
        problem = None
        for name, attr in kind.attributes.items():
            raw = ach.attributes.get(name)
            if raw is None:
                if attr.required:
                    problem = f"'{name}' is required for {info.kind} achievements but missing"
                    break
                values[name] = shown[name] = None
                continue
            value = _typed(ruleset, name, attr.type, attr, raw)
            if isinstance(value, _Bad):
                problem = value.reason
                break
            values[name] = value
            shown[name] = raw
        if problem is not None:
            rejected.append(Rejection(ach.id, ach.code, problem))
            continue
        facts.append(Fact(ach.id, code, info.kind, values, shown, ach.code, ach.obtained))
    return facts, unknown, rejected


@dataclass(frozen=True, slots=True)
class _Bad:
    reason: str


def _typed(ruleset: CompiledRuleset, name: str, kind: str, attr: Any, raw: Any) -> Any:
    if kind == "scale":
        scale = ruleset.scales[attr.scale]
        rank = scale.rank(normalise_code(raw)) if isinstance(raw, str) else None
        if rank is None:
            return _Bad(f"'{name}' is {_describe(raw)}, not a level of {scale.name_en} ({', '.join(scale.levels)})"
                        + (did_you_mean(raw, scale.levels) if isinstance(raw, str) else ""))
        return rank
    if kind == "number":
        if isinstance(raw, bool) or not isinstance(raw, (int, float)):
            return _Bad(f"'{name}' must be a number, not {_describe(raw)}")
        if not math.isfinite(raw):
            return _Bad(f"'{name}' must be a finite number, not {raw}")
        if attr.min is not None and raw < attr.min:
            return _Bad(f"'{name}' is {raw:g}, below the smallest allowed value {attr.min:g}")
        if attr.max is not None and raw > attr.max:
            return _Bad(f"'{name}' is {raw:g}, above the largest allowed value {attr.max:g}")
        return float(raw)
    if kind == "choice":
        if not isinstance(raw, str) or normalise_code(raw) not in attr.values:
            return _Bad(f"'{name}' is {_describe(raw)}, not one of {', '.join(sorted(attr.values))}")
        return normalise_code(raw)
    if kind == "bool":
        if not isinstance(raw, bool):
            return _Bad(f"'{name}' must be true or false, not {_describe(raw)}")
        return raw
    if kind == "date":
        day = _parse_date(raw)
        return _Bad(f"'{name}' {day}") if isinstance(day, str) else day
    if not isinstance(raw, (str, int)) or isinstance(raw, bool):
        return _Bad(f"'{name}' must be text, not {_describe(raw)}")
    return normalise_code(str(raw))

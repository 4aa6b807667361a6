"""Credentials in: Open Badges 3.0 and CLR 2.0 achievements as a learner's records.

A learner brings verifiable credentials (JSON-LD, 1EdTech Open Badges 3.0 ``OpenBadgeCredential`` /
``AchievementCredential``, or a Comprehensive Learner Record 2.0 ``ClrCredential`` that holds several).
Each credential's ``credentialSubject.achievement`` says what was achieved: its ``id`` (a URL), its
``alignment[]`` (``targetCode``, ``targetFramework``, ``targetUrl``), its ``achievementType``; the
credential says who issued it (``issuer``) and when (``awardedDate``, else ``validFrom``, else the
VC 1.1 ``issuanceDate``). :func:`import_credentials` turns each into one achievement of a learner file,
by a **credential map** (YAML)::

    achievements:
      - alignment: {targetFramework: 1+X, targetCode: WEB-FRONTEND}   # every key given must match
        code: X-WEB                                                    # the catalogue code
        level: {result: 等级}     # an attribute from the result whose resultDescription is named 等级
      - id: https://badges.example.edu.cn/achievements/cloud-mid        # or the achievement's id
        code: X-CLOUD
        level: 中级               # or a fixed value

or, with a standard, by the standard's own declarations: an alignment ``targetCode`` that is a code of
its catalogue, or of another bank's that it declares equivalent, maps to it. Nothing is guessed: an
achievement that no entry matches, that two entries match, or whose credential is malformed, expired
or not yet valid, is reported with its place (``credential 2 (urn:uuid:…)``) and reason, and left out.

What is checked: the JSON structure, the types (``VerifiableCredential`` and an OB/CLR type), an
issuer, the dates (well-formed; ``validFrom`` not after, ``validUntil`` not before the as-of date).
What is **not**: the ``proof`` (signatures are not verified), the issuer's identity, revocation
(``credentialStatus``), the JSON-LD context (not fetched: nothing is downloaded). So every imported
achievement is ``verified: false`` unless the caller says the proofs were checked by other means
(``mark_verified``; ``--mark-verified``).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from . import _yaml
from .errors import CreditRulesError, Diagnostic
from .learner import json_object
from .messages import CREDENTIAL_REASONS, said
from .normalise import normalise
from .safe_text import escape_controls, surrogate_in, surrogate_reason

OB_TYPES = frozenset({"OpenBadgeCredential", "AchievementCredential"})
CLR_TYPES = frozenset({"ClrCredential"})
MATCH_KEYS = ("id", "alignment", "achievementType")
ALIGNMENT_KEYS = ("targetCode", "targetFramework", "targetUrl", "targetName")
MAX_CREDENTIALS = 10_000


class CredentialMapError(CreditRulesError):
    """A credential map that cannot be used (a usage error), located ``file:line:col``;
    ``reason`` is the (English, Chinese) text, ``str()`` the English."""

    def __init__(self, reason: tuple[str, str] | str):
        self.reason = (reason, reason) if isinstance(reason, str) else reason
        super().__init__(self.reason[0])


@dataclass(frozen=True)
class MapEntry:
    where: str
    match: Mapping[str, Any]
    code: str
    attributes: Mapping[str, Any]


@dataclass(frozen=True)
class CredentialMap:
    entries: tuple[MapEntry, ...]


@dataclass(frozen=True)
class Unmapped:
    """A credential or achievement left out, and why (English, Chinese), with a stable reason code."""

    where: str
    reason_code: str
    reason: str
    reason_zh: str

    def to_dict(self) -> dict[str, str]:
        return {"where": self.where, "reason_code": self.reason_code, "reason": self.reason,
                "reason_zh": self.reason_zh}

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


@dataclass
class Imported:
    """The learner file's data (``learner``), and what was left out (``unmapped``)."""

    learner: dict[str, Any]
    unmapped: list[Unmapped] = field(default_factory=list)

    def learner_json(self) -> str:
        return json.dumps(self.learner, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def _unmapped(where: str, key: str, **values: Any) -> Unmapped:
    en, zh = CREDENTIAL_REASONS[key]
    safe = {k: escape_controls(v) if isinstance(v, str) else v for k, v in values.items()}
    return Unmapped(escape_controls(where), key, en.format(**safe), zh.format(**safe))


def _read_text(path: str | Path, error: type[CreditRulesError]) -> str:
    source = str(path)
    raw = _yaml.read(path)
    text = raw if isinstance(raw, Diagnostic) else _yaml.decode(raw, source)
    if isinstance(text, Diagnostic):
        raise error(str(text))
    return text


def load_credential_map(path: str | Path) -> CredentialMap:
    """Read a credential map (strict YAML; every problem located ``file:line:col``)."""
    source = str(path)
    parsed = _yaml.parse(_read_text(path, CredentialMapError), source)
    if isinstance(parsed, Diagnostic):
        raise CredentialMapError(str(parsed))

    def at(*where: str | int) -> str:
        line, column = parsed.locate(where)
        return f"{source}:{line}:{column}"

    data = parsed.data
    if not isinstance(data, dict) or set(data) - {"achievements"} or not isinstance(data.get("achievements"), list):
        raise CredentialMapError(said("cmap-shape", where=at()))
    entries = []
    for index, item in enumerate(data["achievements"]):
        where = at("achievements", index)
        if not isinstance(item, dict):
            raise CredentialMapError(said("cmap-entry", where=where))
        code = item.get("code")
        if not isinstance(code, str) or not normalise(code):
            raise CredentialMapError(said("cmap-no-code", where=where))
        match = {k: item[k] for k in MATCH_KEYS if k in item}
        if not match:
            raise CredentialMapError(said("cmap-no-match", where=where))
        alignment = match.get("alignment")
        if alignment is not None and (not isinstance(alignment, dict) or not alignment
                                      or set(alignment) - set(ALIGNMENT_KEYS)):
            raise CredentialMapError(said("cmap-alignment", where=at("achievements", index, "alignment")))
        for key in ("id", "achievementType"):
            if key in match and not isinstance(match[key], str):
                raise CredentialMapError(said("cmap-text", where=at("achievements", index, key), name=key))
        attributes: dict[str, Any] = {}
        for name, value in item.items():
            if name in MATCH_KEYS or name == "code":
                continue
            if name in ("id", "obtained", "issuer", "verified", "learner"):
                raise CredentialMapError(said("cmap-from-credential", where=at("achievements", index, name),
                                              name=name))
            if isinstance(value, dict) and (set(value) != {"result"} or not isinstance(value["result"], str)):
                raise CredentialMapError(said("cmap-attribute", where=at("achievements", index, name)))
            if isinstance(value, list):
                raise CredentialMapError(said("cmap-list", where=at("achievements", index, name)))
            attributes[name] = value
        entries.append(MapEntry(where, match, normalise(code), attributes))
    return CredentialMap(tuple(entries))


def _no_constant(name: str) -> Any:
    """json's NaN and ±Infinity are not JSON: a level read as one would have no JSON to be written as."""
    raise ValueError(f"{name} is not a JSON number")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is too large for a number")
    return value


def load_credentials(path: str | Path) -> list[Any]:
    """The credentials in a JSON file: one credential, or a list of them (bounded read, duplicate keys refused)."""
    source = str(path)
    text = _read_text(path, CreditRulesError)
    try:
        data = json.loads(text, object_pairs_hook=json_object, parse_constant=_no_constant, parse_float=_finite_float)
    except (ValueError, RecursionError) as exc:
        raise CreditRulesError(f"{source}: invalid JSON: {exc}") from None
    found = surrogate_in(data) if "\\u" in text else None  # only an escape can write a lone surrogate
    if found is not None:
        raise CreditRulesError(f"{source}: {surrogate_reason(*found)[0]}")
    items = data if isinstance(data, list) else [data]
    if len(items) > MAX_CREDENTIALS:
        raise CreditRulesError(f"{source}: {len(items)} credentials, over the limit of {MAX_CREDENTIALS}")
    return items


def _types(value: Any) -> set[str]:
    kinds = value.get("type") if isinstance(value, dict) else None
    if isinstance(kinds, str):
        return {kinds}
    return {k for k in kinds if isinstance(k, str)} if isinstance(kinds, list) else set()


def _id_of(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("id"), str):
        return str(value["id"])
    return None


_DATE_TIME = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})(T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,9})?)?"
                        r"(Z|[+-][0-9]{2}:[0-9]{2})?)?\Z")


def _day(value: Any) -> date | None:
    """The calendar day of an ISO 8601 date-time (``2024-06-15T08:00:00+08:00``) or date, as written (in its
    own offset, not moved to UTC). Other ISO 8601 spellings (week dates, basic format) are refused."""
    found = _DATE_TIME.match(value) if isinstance(value, str) else None
    if found is None:
        return None
    try:
        return date.fromisoformat(found.group(1))
    except ValueError:
        return None


def _shown(achievement: Mapping[str, Any]) -> str:
    parts = [f"'{achievement['id']}'" if isinstance(achievement.get("id"), str) else "(no id)"]
    for align in achievement.get("alignment") or []:
        if isinstance(align, dict):
            parts.append("aligned to " + ", ".join(f"{k} '{align[k]}'" for k in ALIGNMENT_KEYS
                                                    if isinstance(align.get(k), str)))
    return "; ".join(parts)[:300]


def _matches(entry: MapEntry, achievement: Mapping[str, Any]) -> bool:
    if "id" in entry.match and achievement.get("id") != entry.match["id"]:
        return False
    if "achievementType" in entry.match and achievement.get("achievementType") != entry.match["achievementType"]:
        return False
    wanted = entry.match.get("alignment")
    if wanted is not None:
        alignments = achievement.get("alignment")
        if not isinstance(alignments, list):
            return False
        return any(isinstance(a, dict) and all(normalise(str(a.get(k, ""))) == normalise(str(v))
                                               for k, v in wanted.items()) for a in alignments)
    return True


def _results(subject: Mapping[str, Any], achievement: Mapping[str, Any]) -> dict[str, Any]:
    """The credential's results by the name (and the id) of their resultDescription."""
    names: dict[str, str] = {}
    for description in achievement.get("resultDescription") or []:
        if isinstance(description, dict) and isinstance(description.get("id"), str):
            names[description["id"]] = str(description.get("name", description["id"]))
    found: dict[str, Any] = {}
    for result in subject.get("result") or []:
        if not isinstance(result, dict):
            continue
        value = result.get("value")
        if value is None and isinstance(result.get("achievedLevel"), str):
            value = result["achievedLevel"]
        ref = result.get("resultDescription")
        if isinstance(ref, str) and isinstance(value, (str, int, float)) and not isinstance(value, bool):
            found[ref] = value
            if ref in names:
                found[names[ref]] = value
    return found


def import_credentials(credentials: list[Any], mapping: CredentialMap | None, as_of: date, *,
                       learner_id: str | None = None, known_codes: Mapping[str, str] | None = None,
                       mark_verified: bool = False, source: str = "<credentials>") -> Imported:
    """A learner file's data from credentials: one achievement per credential that maps to one code.

    ``known_codes``: the standard's catalogue codes and declared equivalents (normalised code → code),
    matched against alignment ``targetCode`` when no map entry matches. Every credential left out
    is in ``Imported.unmapped``, with its place and reason."""
    flat: list[tuple[str, Any]] = []
    for index, item in enumerate(credentials, start=1):
        where = f"{source}: credential {index}"
        if isinstance(item, dict) and _types(item) & CLR_TYPES:
            subject = item.get("credentialSubject")
            inner = subject.get("verifiableCredential") if isinstance(subject, dict) else None
            if isinstance(inner, list):
                flat.extend((f"{where} (CLR), credential {n}", c) for n, c in enumerate(inner, start=1))
                continue
        flat.append((where, item))
    achievements: list[dict[str, Any]] = []
    unmapped: list[Unmapped] = []
    seen: dict[str, str] = {}
    learner = learner_id or next((str(c["credentialSubject"]["id"]) for _, c in flat if isinstance(c, dict)
                                  and isinstance(c.get("credentialSubject"), dict)
                                  and isinstance(c["credentialSubject"].get("id"), str)), None)
    if learner is None:
        raise CreditRulesError(f"{source}: no learner id: no credential names its subject (credentialSubject.id); "
                               "give one (--learner-id)")
    for where, item in flat:
        kinds = _types(item)
        if not isinstance(item, dict) or "VerifiableCredential" not in kinds or not kinds & OB_TYPES:
            why = "an object" if not isinstance(item, dict) else \
                f"its type must include VerifiableCredential and one of {', '.join(sorted(OB_TYPES | CLR_TYPES))}"
            unmapped.append(_unmapped(where, "not-credential", why=f"expected {why}"))
            continue
        cred_id = item.get("id") if isinstance(item.get("id"), str) else None
        label = f"{where} ({cred_id})" if cred_id else where
        subject = item.get("credentialSubject")
        achievement = subject.get("achievement") if isinstance(subject, dict) else None
        if not isinstance(subject, dict) or not isinstance(achievement, dict):
            unmapped.append(_unmapped(label, "no-achievement"))
            continue
        issuer = _id_of(item.get("issuer"))
        if issuer is None:
            unmapped.append(_unmapped(label, "no-issuer"))
            continue
        dated = next(((k, item[k]) for k in ("awardedDate", "validFrom", "issuanceDate") if k in item), None)
        if dated is None:
            unmapped.append(_unmapped(label, "no-date"))
            continue
        problem = None
        for key in ("awardedDate", "validFrom", "issuanceDate", "validUntil", "expirationDate"):
            if key in item and _day(item[key]) is None:
                problem = _unmapped(label, "bad-date", name=key, value=json.dumps(item[key], ensure_ascii=False)[:60])
                break
        if problem is not None:
            unmapped.append(problem)
            continue
        start = _day(item.get("validFrom"))
        until = _day(item.get("validUntil", item.get("expirationDate")))
        if until is not None and until < as_of:
            unmapped.append(_unmapped(label, "expired", day=until.isoformat(), as_of=as_of.isoformat()))
            continue
        if start is not None and start > as_of:
            unmapped.append(_unmapped(label, "not-yet-valid", day=start.isoformat(), as_of=as_of.isoformat()))
            continue
        subject_id = subject.get("id") if isinstance(subject.get("id"), str) else None
        if subject_id is not None and learner_id is None and subject_id != learner:
            unmapped.append(_unmapped(label, "other-subject", subject=subject_id, learner=learner))
            continue
        if cred_id is not None:
            if cred_id in seen:
                unmapped.append(_unmapped(label, "duplicate", id=cred_id, first=seen[cred_id]))
                continue
            seen[cred_id] = label
        entries = [e for e in (mapping.entries if mapping else ()) if _matches(e, achievement)]
        attributes: dict[str, Any] = {}
        if len(entries) > 1:
            unmapped.append(_unmapped(label, "ambiguous", shown=_shown(achievement), count=len(entries),
                                      entries=", ".join(e.where for e in entries)))
            continue
        if entries:
            code = entries[0].code
            results = _results(subject, achievement)
            missing = None
            for name, value in entries[0].attributes.items():
                if isinstance(value, dict):
                    if value["result"] not in results:
                        missing = _unmapped(label, "no-result", name=name, result=value["result"])
                        break
                    attributes[name] = results[value["result"]]
                else:
                    attributes[name] = value
            if missing is not None:
                unmapped.append(missing)
                continue
        else:
            codes = sorted({known_codes[normalise(a["targetCode"])] for a in achievement.get("alignment") or []
                            if isinstance(a, dict) and isinstance(a.get("targetCode"), str)
                            and known_codes is not None and normalise(a["targetCode"]) in known_codes})
            if len(codes) != 1:
                unmapped.append(_unmapped(label, "ambiguous" if codes else "no-match", shown=_shown(achievement),
                                          count=len(codes), entries=", ".join(codes)))
                continue
            code = codes[0]
        record: dict[str, Any] = {"id": cred_id or f"C{len(achievements) + 1}", "code": code,
                                  "obtained": _day(dated[1]).isoformat(),  # type: ignore[union-attr]
                                  "verified": mark_verified, "issuer": issuer}
        record.update(attributes)
        achievements.append(record)
    return Imported({"id": learner, "achievements": achievements}, unmapped)

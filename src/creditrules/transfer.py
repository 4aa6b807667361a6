"""Transfer value out: a standard's conversions as data another credit bank can read (互认).

``creditrules export --standard ID`` writes one JSON-LD document, in the vocabulary of the Credential
Transparency Description Language (CTDL, Credential Engine) where it fits: each rule of each version is a
``ceterms:TransferValueProfile`` — what it is worth (``ceterms:transferValue``), for what learning it is
given (``ceterms:transferValueFrom``: the achievement codes and conditions), toward what
(``ceterms:transferValueFor``: courses or a credit category of the programme), in force when
(``ceterms:startDate``/``ceterms:endDate``). What CTDL has no term for (a rule's conditions, how hours
add up, the programme's credit categories, limits) is kept under the ``creditrules:`` prefix, so a
reader that knows CTDL reads the common part and loses nothing else. docs/credentials.md lists every key.

The bytes are deterministic: the same standards give the same file (no time stamp, versions by date,
rules in the order the standard lists them, keys in a fixed order).
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

from .compiled import CompiledRule, CompiledRuleset, CompiledStandard, from_centi

EXPORT_VERSION = 1
CONTEXT = {
    "ceterms": "https://purl.org/ctdl/terms/",
    "schema": "https://schema.org/",
    "creditrules": "urn:creditrules:terms:",
}


def _plain(value: Any) -> Any:
    if isinstance(value, (date,)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (frozenset, set)):
        return sorted((_plain(v) for v in value), key=str)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def _names(zh: str, en: str) -> dict[str, str]:
    return {"zh-CN": zh, "en-US": en}


def _from(ruleset: CompiledRuleset, rule: CompiledRule) -> list[dict[str, Any]]:
    found = []
    for slot in rule.slots:
        codes = sorted(slot.codes) if slot.codes is not None else []
        item: dict[str, Any] = {"@type": "creditrules:AchievementSpec"}
        if codes:
            item["ceterms:codedNotation"] = codes
            names = [ruleset.catalog[c] for c in codes if c in ruleset.catalog]
            if names:
                item["ceterms:name"] = [_names(n.name_zh, n.name_en) for n in names]
        item["creditrules:kinds"] = sorted(slot.kinds)
        item["creditrules:conditions"] = [{"attribute": c.attribute, "operator": c.op, "value": _plain(c.required)}
                                          for c in slot.conditions]
        found.append(item)
    return found


def _for(ruleset: CompiledRuleset, rule: CompiledRule) -> tuple[list[dict[str, Any]], int | float | None]:
    program = ruleset.program
    if rule.target == "courses" and program is not None:
        courses = [program.courses[c] for c in rule.courses if c in program.courses]
        return [{"@type": "ceterms:Course", "ceterms:codedNotation": c.code,
                 "ceterms:name": _names(c.name_zh, c.name_en), "creditrules:credits": from_centi(c.credits),
                 "creditrules:category": c.category} for c in courses], from_centi(sum(c.credits for c in courses))
    if rule.target == "category":
        category = program.categories.get(rule.category or "") if program is not None else None
        item: dict[str, Any] = {"@type": "creditrules:CreditCategory", "creditrules:id": rule.category}
        if category is not None:
            item["ceterms:name"] = _names(category.name_zh, category.name_en)
        return [item], from_centi(rule.credits) if rule.credits else None
    item = {"@type": "creditrules:CertifiedOutcome", "ceterms:codedNotation": rule.outcome}
    return [item], from_centi(rule.credits) if rule.credits else None


def _profile(standard_id: str, ruleset: CompiledRuleset, rule: CompiledRule) -> dict[str, Any]:
    targets, credits = _for(ruleset, rule)
    value: dict[str, Any] = {"@type": "schema:QuantitativeValue", "schema:unitText": "credit"}
    if rule.aggregate is not None:
        agg = rule.aggregate
        value["creditrules:per"] = {"total": agg.total, "amount": _plain(agg.per), "credits": from_centi(agg.credits),
                                    "rounding": agg.rounding}
        if agg.max is not None:
            value["schema:maxValue"] = from_centi(agg.max)
    elif credits is not None:
        value["schema:value"] = credits
    if rule.max_credits is not None:
        value["schema:maxValue"] = from_centi(rule.max_credits)
    profile: dict[str, Any] = {
        "@type": "ceterms:TransferValueProfile",
        "@id": f"urn:creditrules:{standard_id}:{ruleset.version}:{rule.id}",
        "ceterms:identifier": rule.id,
        "ceterms:name": _names(rule.name_zh, rule.name_en),
        "ceterms:versionIdentifier": ruleset.version,
        "ceterms:startDate": ruleset.effective_from.isoformat(),
    }
    if ruleset.effective_until is not None:
        profile["ceterms:endDate"] = ruleset.effective_until.isoformat()
    profile["ceterms:transferValue"] = [value]
    profile["ceterms:transferValueFrom"] = _from(ruleset, rule)
    profile["ceterms:transferValueFor"] = targets
    profile["creditrules:shape"] = rule.shape
    profile["creditrules:mode"] = rule.mode
    profile["creditrules:definedIn"] = {"standard": rule.origin.standard_id, "version": rule.origin.version}
    if rule.max_uses is not None:
        profile["creditrules:maxUses"] = rule.max_uses
    return profile


def _version(standard_id: str, ruleset: CompiledRuleset) -> dict[str, Any]:
    limits = ruleset.limits
    version: dict[str, Any] = {
        "creditrules:version": ruleset.version,
        "ceterms:startDate": ruleset.effective_from.isoformat(),
    }
    if ruleset.effective_until is not None:
        version["ceterms:endDate"] = ruleset.effective_until.isoformat()
    version["creditrules:contentHash"] = ruleset.content_hash
    version["creditrules:basedOn"] = [{"id": r.id, "version": r.version, "contentHash": r.content_hash}
                                      for r in ruleset.chain[1:]]
    if ruleset.program is not None:
        version["creditrules:program"] = {"code": ruleset.program.code, "name": _names(ruleset.program.name_zh,
                                                                                        ruleset.program.name_en),
                                          "totalCredits": from_centi(ruleset.program.total_credits)}
    version["creditrules:limits"] = _plain({
        "total": from_centi(limits.total) if limits.total is not None else None,
        "categories": {k: from_centi(v) for k, v in sorted(limits.categories.items())},
        "perAchievement": from_centi(limits.per_achievement) if limits.per_achievement is not None else None,
        "kindCounts": dict(sorted(limits.kind_counts.items())),
    })
    version["ceterms:hasTransferValueProfile"] = [_profile(standard_id, ruleset, rule) for rule in ruleset.rules]
    return version


def export_document(standard: CompiledStandard, as_of: date | None = None) -> dict[str, Any]:
    """The export of every version of ``standard`` (or of the one in force on ``as_of``), as data."""
    segments = [standard.ruleset_for(as_of)] if as_of is not None else \
        sorted(standard.segments, key=lambda s: (s.effective_from, s.version))
    first = segments[0]
    return {
        "@context": CONTEXT,
        "@type": "creditrules:TransferValueExport",
        "creditrules:exportVersion": EXPORT_VERSION,
        "creditrules:standard": {"id": standard.id, "name": _names(first.name_zh, first.name_en), "kind": first.kind},
        "creditrules:versions": [_version(standard.id, s) for s in segments],
    }


def export_text(standard: CompiledStandard, as_of: date | None = None) -> str:
    """:func:`export_document` as JSON text: UTF-8, two-space indent, byte-identical on re-runs."""
    return json.dumps(export_document(standard, as_of), ensure_ascii=False, indent=2, allow_nan=False) + "\n"

"""The ledger's policy file: which tiers of the service network may certify which outcome codes, and
which codes may be converted again by a later application.

```yaml
certifying_tiers:            # outcome code → tiers whose units may certify it
  X-WEB: [management-centre, certification-centre]
reconvertible: [TRAIN-EXT]   # outcomes of these codes may count in more than one recorded decision
```

A code the policy file does not list takes what the standard's catalog says of it (``certified_by:
[tiers]``, ``reconvertible: true`` on a catalog entry, :func:`standard_policy`); a code neither names needs
no certifying unit and counts once. Tiers are the four of the bank's network: ``management-centre``,
``certification-centre``, ``sub-centre``, ``acceptance-point``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import _yaml
from ..compiled import CompiledRuleset
from ..errors import Diagnostic
from ..normalise import normalise
from .problems import LedgerError

TIERS = ("management-centre", "certification-centre", "sub-centre", "acceptance-point")


@dataclass(frozen=True)
class Policy:
    certifying_tiers: dict[str, tuple[str, ...]] = field(default_factory=dict)
    reconvertible: frozenset[str] = frozenset()

    def tiers_for(self, code: str) -> tuple[str, ...] | None:
        return self.certifying_tiers.get(normalise(code))

    def exclusive(self, code: str) -> bool:
        return normalise(code) not in self.reconvertible


def standard_policy(ruleset: CompiledRuleset) -> Policy:
    """What the standard itself says of its codes: the catalog entries' ``certified_by`` and ``reconvertible``,
    in the conversion standard and the certification standards it uses, other banks' codes (互认) included."""
    tiers: dict[str, tuple[str, ...]] = {}
    again: set[str] = set()
    for stage in (*ruleset.certifications, ruleset):
        for code, info in stage.catalog.items():
            if info.certified_by is not None:
                tiers[normalise(code)] = info.certified_by
            if info.reconvertible:
                again.add(normalise(code))
        for alias, code in stage.aliases.items():
            target = stage.catalog.get(code)
            if target is not None and target.certified_by is not None:
                tiers[normalise(alias)] = target.certified_by
            if target is not None and target.reconvertible:
                again.add(normalise(alias))
    return Policy(tiers, frozenset(again))


def read_yaml(path: str | Path, key: str) -> Any:
    """A strict YAML file's data, or LedgerError ``key`` with the file's problem."""
    source = str(path)
    raw = _yaml.read(path)
    if isinstance(raw, Diagnostic):
        raise LedgerError(key, source=source, reason=raw.message)
    text = _yaml.decode(raw, source)
    if isinstance(text, Diagnostic):
        raise LedgerError(key, source=source, reason=text.message)
    parsed = _yaml.parse(text, source)
    if isinstance(parsed, Diagnostic):
        raise LedgerError(key, source=source, reason=f"line {parsed.line}, column {parsed.column}: {parsed.message}")
    return parsed.data


def load_policy(path: str | Path) -> Policy:
    data = read_yaml(path, "bad-policy")
    source = str(path)

    def bad(reason: str) -> LedgerError:
        return LedgerError("bad-policy", source=source, reason=reason)

    if not isinstance(data, dict):
        raise bad("a policy is a mapping with certifying_tiers and reconvertible")
    unknown = sorted(set(data) - {"certifying_tiers", "reconvertible"}, key=str)
    if unknown:
        raise bad(f"unknown key '{unknown[0]}'; a policy has certifying_tiers and reconvertible")
    tiers: dict[str, tuple[str, ...]] = {}
    raw_tiers = data.get("certifying_tiers") or {}
    if not isinstance(raw_tiers, dict):
        raise bad("certifying_tiers must map outcome codes to lists of tiers")
    for code, listed in raw_tiers.items():
        if not isinstance(listed, list) or not listed:
            raise bad(f"certifying_tiers: {code} must list at least one tier, e.g. [certification-centre]")
        for tier in listed:
            if tier not in TIERS:
                raise bad(f"certifying_tiers: {code}: unknown tier '{tier}'; tiers are {', '.join(TIERS)}")
        tiers[normalise(str(code))] = tuple(listed)
    again = data.get("reconvertible") or []
    if not isinstance(again, list) or not all(isinstance(c, str) for c in again):
        raise bad("reconvertible must be a list of outcome codes")
    return Policy(tiers, frozenset(normalise(c) for c in again))


@dataclass(frozen=True)
class Unit:
    id: str
    tier: str
    name: str
    parent: str | None = None


def load_units(path: str | Path) -> list[Unit]:
    """A units file: ``units: [{id, tier, name, parent?}, …]``."""
    data = read_yaml(path, "bad-units")
    source = str(path)

    def bad(reason: str) -> LedgerError:
        return LedgerError("bad-units", source=source, reason=reason)

    if not isinstance(data, dict) or set(data) != {"units"} or not isinstance(data["units"], list):
        raise bad("a units file is a mapping with one key, units: a list of {id, tier, name, parent}")
    units: list[Unit] = []
    seen: set[str] = set()
    for index, raw in enumerate(data["units"], start=1):
        if not isinstance(raw, dict) or not {"id", "tier", "name"} <= set(raw) or set(raw) - {
                "id", "tier", "name", "parent"}:
            raise bad(f"unit {index}: a unit has id, tier, name and, except the management centre, parent")
        unit_id, tier, name, parent = (str(raw["id"]), raw["tier"], str(raw["name"]), raw.get("parent"))
        if tier not in TIERS:
            raise bad(f"unit {unit_id}: unknown tier '{tier}'; tiers are {', '.join(TIERS)}")
        if unit_id in seen:
            raise bad(f"unit {unit_id} is listed twice")
        seen.add(unit_id)
        units.append(Unit(normalise(unit_id), tier, name, None if parent is None else normalise(str(parent))))
    return units

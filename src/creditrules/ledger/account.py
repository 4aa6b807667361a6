"""The learner's account: store outcomes, apply for a program, keep every decision final and replayable.

Model (docs/ledger.md): a *learner* has stored *outcomes* (each with the units of the service network that
received, verified and certified it); an *application* decides the learner's credit under one standard on
one day from the outcomes not already used, and is recorded as a *decision*: its exact JSON bytes, the
learner record it was decided on, the outcomes it used, the certifications it issued, and every standard
file it read, archived by content hash. Nothing recorded is ever changed (the schema refuses updates and
deletes of decisions); an outcome used by one decision is kept out of later applications unless the policy
calls its code reconvertible; a unique index makes "counted once" hold even against a bug here.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from .._version import __version__
from ..api import compile_standards
from ..compiled import CompiledRuleset, CompiledStandard, StandardRef, from_centi
from ..decision import Decision
from ..evaluator import TraceMode, evaluate, parse_day
from ..jsontext import indented_json
from ..learner import Achievement, Learner, Rejection, learner_from_dict
from ..messages import text
from ..normalise import normalise
from . import db
from .policy import Policy, Unit, standard_policy
from .problems import LedgerError, suggest

Hook = Callable[[str], None]  # called at named points inside an application's transaction (tests: crash there)


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


UNIT_KEYS = ("received_by", "verified_by", "certified_by")


def record_of(achievement: Achievement) -> dict[str, Any]:
    """The achievement as a learner file writes it (read back by :func:`learner_from_dict`)."""
    data: dict[str, Any] = {"id": achievement.id, "code": achievement.code,
                            "obtained": achievement.obtained.isoformat(), "verified": achievement.verified}
    if achievement.issuer is not None:
        data["issuer"] = achievement.issuer
    if achievement.region is not None:
        data["region"] = achievement.region
    for key, value in achievement.attributes.items():
        if key not in UNIT_KEYS:
            data[key] = _plain(value)
    return data


@dataclass(frozen=True)
class Excluded:
    """A stored outcome kept out of an application, and why (``reason`` is a ``ledger.`` message key)."""

    outcome: str
    code: str
    reason: str
    params: dict[str, Any] = field(default_factory=dict)

    def text(self, lang: str) -> str:
        return text(f"ledger.{self.reason}", lang, **self.params)

    def to_dict(self) -> dict[str, Any]:
        return {"outcome": self.outcome, "code": self.code, "reason": self.reason, **self.params,
                "message": self.text("en"), "message_zh": self.text("zh")}


@dataclass(frozen=True)
class Stored:
    learner: str
    stored: tuple[str, ...]
    same: tuple[str, ...]
    rejected: tuple[Rejection, ...]


@dataclass(frozen=True)
class Applied:
    """A recorded decision: its number, the decision, its exact JSON, and what was kept out."""

    id: int
    decision: Decision
    json: str
    excluded: tuple[Excluded, ...]


@dataclass(frozen=True)
class Replay:
    id: int
    recorded_engine: str
    as_of: str
    recorded: str
    replayed: str

    @property
    def same(self) -> bool:
        return self.recorded == self.replayed


def files_of(ruleset: CompiledRuleset) -> list[StandardRef]:
    """Every standard file a ruleset read: its chain of bases and the certification standards it uses."""
    seen: dict[str, StandardRef] = {}
    todo = [ruleset]
    while todo:
        current = todo.pop()
        for ref in current.chain:
            seen.setdefault(ref.content_hash, ref)
        todo.extend(current.certifications)
    return sorted(seen.values(), key=lambda r: (r.path, r.content_hash))


class Ledger:
    """One connection to a ledger. Not shared between threads: open one per thread or process."""

    def __init__(self, url: str, *, create: bool = False, clock: Callable[[], str] = _now):
        self.db = db.connect(url, create)
        self.where = self.db.address.shown
        self.clock = clock

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    @property
    def revision(self) -> str:
        found = self.db.one("SELECT version_num FROM alembic_version")
        return str(found[0]) if found else ""

    # ------------------------------------------------------------ units and outcomes

    def add_units(self, units: Iterable[Unit]) -> int:
        """Add service units (a unit already there with the same tier, name and parent is left as it is)."""
        units = list(units)
        with self.db.write() as conn:
            known = {row[0] for row in conn.rows("SELECT id FROM units")} | {u.id for u in units}
            for unit in units:
                if unit.parent is not None and unit.parent not in known:
                    raise LedgerError("unknown-unit", unit=unit.parent, suggest=suggest(unit.parent, known))
            pending = list(units)
            while pending:  # parents first, whatever the file's order
                ready = [u for u in pending if u.parent is None or u.parent not in {p.id for p in pending}]
                if not ready:
                    ready = pending
                for unit in ready:
                    existing = conn.one("SELECT tier, name, parent FROM units WHERE id = ?", (unit.id,))
                    if existing is None:
                        conn.run("INSERT INTO units (id, tier, name, parent) VALUES (?, ?, ?, ?)",
                                 (unit.id, unit.tier, unit.name, unit.parent))
                    elif tuple(existing) != (unit.tier, unit.name, unit.parent):
                        conn.run("UPDATE units SET tier = ?, name = ?, parent = ? WHERE id = ?",
                                 (unit.tier, unit.name, unit.parent, unit.id))
                pending = [u for u in pending if u not in ready]
            found = conn.one("SELECT COUNT(*) FROM units")
        return int(found[0]) if found else 0

    def store(self, learner: Learner, *, received_by: str | None = None, verified_by: str | None = None,
              certified_by: str | None = None) -> Stored:
        """Store a learner's outcomes. An outcome already stored with the same content is left as it is; a
        unit may be filled in later (verified, then certified), but nothing stored is changed. The
        outcomes a record rejects (a bad date, a missing code…) are not stored and come back with reasons."""
        defaults = {"received_by": received_by, "verified_by": verified_by, "certified_by": certified_by}
        stored: list[str] = []
        same: list[str] = []
        with self.db.write(learner.id) as conn:
            units = {row[0] for row in conn.rows("SELECT id FROM units")}
            conn.run("INSERT INTO learners (id, name, opened_at) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING",
                     (learner.id, None, self.clock()))
            if conn.postgres:  # a learner opened just now by this transaction or another: its lock, now
                conn.run("SELECT id FROM learners WHERE id = ? FOR UPDATE", (learner.id,))
            for achievement in learner.achievements:
                given = {k: achievement.attributes.get(k, v) for k, v in defaults.items()}
                for value in given.values():
                    if value is not None and (not isinstance(value, str) or value not in units):
                        raise LedgerError("unknown-unit", unit=str(value), suggest=suggest(str(value), units))
                record = record_of(achievement)
                body = _canonical({k: v for k, v in record.items() if k != "verified"})
                verified = 1 if achievement.verified or given["verified_by"] is not None else 0
                existing = conn.one(
                    "SELECT record, verified, received_by, verified_by, certified_by FROM outcomes "
                    "WHERE learner_id = ? AND outcome_id = ?", (learner.id, achievement.id))
                if existing is None:
                    conn.run("INSERT INTO outcomes (learner_id, outcome_id, code, obtained, verified, source, record, "
                             "received_by, verified_by, certified_by, stored_at) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                             (learner.id, achievement.id, achievement.code, achievement.obtained.isoformat(), verified,
                              achievement.issuer, body, given["received_by"], given["verified_by"],
                              given["certified_by"], self.clock()))
                    stored.append(achievement.id)
                    continue
                old_body, old_verified, *old_units = existing
                changed = old_body != body or any(
                    old is not None and new is not None and old != new for old, new in zip(old_units, given.values()))
                if changed:
                    raise LedgerError("outcome-changed", learner=learner.id, outcome=achievement.id)
                filled = [old if old is not None else new for old, new in zip(old_units, given.values())]
                if filled != list(old_units) or verified > old_verified:
                    conn.run("UPDATE outcomes SET verified = ?, received_by = ?, verified_by = ?, certified_by = ? "
                             "WHERE learner_id = ? AND outcome_id = ?",
                             (max(verified, old_verified), *filled, learner.id, achievement.id))
                    stored.append(achievement.id)
                else:
                    same.append(achievement.id)
        return Stored(learner.id, tuple(stored), tuple(same), learner.rejected)

    # ------------------------------------------------------------ applying

    def _learner_exists(self, conn: db.Connection, learner: str) -> None:
        if conn.one("SELECT 1 FROM learners WHERE id = ?", (learner,)) is None:
            known = [row[0] for row in conn.rows("SELECT id FROM learners ORDER BY id LIMIT 10000")]
            raise LedgerError("unknown-learner", learner=learner, suggest=suggest(learner, known))

    def apply(self, learner: str, standard: CompiledStandard | CompiledRuleset, as_of: date | str | None = None, *,
              policy: Policy | None = None, official: str | None = None, trace: TraceMode = "compact",
              hook: Hook | None = None) -> Applied:
        """Decide ``learner``'s credit from the stored outcomes not used before, and record the decision,
        all in one transaction holding the learner's lock: two officials applying at the same moment are
        served one after the other, and the second sees what the first used."""
        policy = policy or Policy()
        learner = normalise(str(learner))
        day = parse_day(as_of)
        ruleset = standard.ruleset_for(day) if isinstance(standard, CompiledStandard) else standard
        authority = standard_policy(ruleset)
        files = [(ref, _archived_body(ref)) for ref in files_of(ruleset)]
        with self.db.write(learner) as conn:
            self._learner_exists(conn, learner)
            tiers = dict(conn.rows("SELECT id, tier FROM units"))
            used = {row[0]: (row[1], row[2]) for row in conn.rows(
                "SELECT outcome_id, decision_id, rule FROM uses WHERE learner_id = ? AND exclusive = 1 "
                "ORDER BY decision_id", (learner,))}
            records: list[dict[str, Any]] = []
            excluded: list[Excluded] = []
            codes: dict[str, str] = {}
            for outcome_id, code, verified, body, certified_by in conn.rows(
                    "SELECT outcome_id, code, verified, record, certified_by FROM outcomes WHERE learner_id = ? "
                    "ORDER BY outcome_id", (learner,)):
                codes[outcome_id] = code
                if outcome_id in used:
                    decision_id, rule = used[outcome_id]
                    excluded.append(Excluded(outcome_id, code, "already-converted",
                                             {"decision": int(decision_id), "rule": rule}))
                    continue
                allowed = policy.tiers_for(code)
                if allowed is None:  # the policy file does not name the code: the standard may
                    allowed = authority.tiers_for(code)
                if allowed is not None:
                    shown = ", ".join(allowed)
                    if certified_by is None:
                        excluded.append(Excluded(outcome_id, code, "not-certified", {"code": code, "tiers": shown}))
                        continue
                    if tiers.get(certified_by) not in allowed:
                        excluded.append(Excluded(outcome_id, code, "no-authority",
                                                 {"unit": certified_by, "tier": tiers.get(certified_by, "?"),
                                                  "code": code, "tiers": shown}))
                        continue
                records.append({**json.loads(body), "verified": bool(verified)})
            given = {"id": learner, "achievements": records}
            decision = evaluate(ruleset, learner_from_dict(given, f"ledger learner {learner}"), day, trace=trace)
            recorded = decision.to_json()
            row = conn.one(
                "INSERT INTO decisions (learner_id, standard_id, version, ruleset_hash, as_of, engine_version, "
                "trace_mode, total_centi, official, recorded_at, input, excluded, decision) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (learner, ruleset.id, ruleset.version, ruleset.content_hash, day.isoformat(), __version__, trace,
                 decision.total_centi, official, self.clock(), _canonical(given),
                 _canonical([e.to_dict() for e in excluded]), recorded))
            assert row is not None
            decision_id = int(row[0])
            if hook:
                hook("decision-recorded")
            for ref, body in files:
                conn.run("INSERT INTO standard_files (content_hash, standard_id, version, body) VALUES (?, ?, ?, ?) "
                         "ON CONFLICT (content_hash) DO NOTHING", (ref.content_hash, ref.id, ref.version, body))
                conn.run("INSERT INTO decision_files (decision_id, content_hash, path) VALUES (?, ?, ?)",
                         (decision_id, ref.content_hash, ref.path))
            uses: dict[str, list[str]] = {}
            for award in (*decision.outcomes, *decision.awards):
                for achievement in award.achievements:
                    if achievement in codes:
                        rules = uses.setdefault(achievement, [])
                        if award.rule not in rules:
                            rules.append(award.rule)
            for outcome_id, rules in sorted(uses.items()):
                conn.run("INSERT INTO uses (decision_id, learner_id, outcome_id, rule, exclusive) "
                         "VALUES (?, ?, ?, ?, ?)",
                         (decision_id, learner, outcome_id, "+".join(rules),
                          1 if policy.exclusive(codes[outcome_id]) and authority.exclusive(codes[outcome_id])
                          else 0))
            for position, award in enumerate(decision.outcomes):
                conn.run("INSERT INTO certifications (decision_id, position, standard_id, rule, outcome_code, "
                         "credits_centi, sources) VALUES (?, ?, ?, ?, ?, ?, ?)",
                         (decision_id, position, award.standard, award.rule, award.outcome or "", award.credits_centi,
                          _canonical(list(award.achievements))))
            if hook:
                hook("uses-recorded")
        return Applied(decision_id, decision, recorded, tuple(excluded))

    # ------------------------------------------------------------ reading

    def account(self, learner: str) -> dict[str, Any]:
        """A learner's account as data: outcomes (with units and the decision that used each) and decisions."""
        learner = normalise(str(learner))
        with self.db.read() as conn:
            self._learner_exists(conn, learner)
            used: dict[str, list[int]] = {}
            for outcome_id, decision_id in conn.rows(
                    "SELECT outcome_id, decision_id FROM uses WHERE learner_id = ? ORDER BY decision_id", (learner,)):
                used.setdefault(outcome_id, []).append(int(decision_id))
            outcomes = [{"id": o, "code": c, "obtained": d, "verified": bool(v), "source": s,
                         "received_by": r, "verified_by": vb, "certified_by": cb, "stored_at": at,
                         "used_by": used.get(o, [])}
                        for o, c, d, v, s, r, vb, cb, at in conn.rows(
                            "SELECT outcome_id, code, obtained, verified, source, received_by, verified_by, "
                            "certified_by, stored_at FROM outcomes WHERE learner_id = ? ORDER BY outcome_id",
                            (learner,))]
            decisions = [{"id": int(i), "standard": s, "version": v, "as_of": a, "total": from_centi(int(t)),
                          "engine_version": e, "official": off, "recorded_at": at, "excluded": json.loads(x)}
                         for i, s, v, a, t, e, off, at, x in conn.rows(
                             "SELECT id, standard_id, version, as_of, total_centi, engine_version, official, "
                             "recorded_at, excluded FROM decisions WHERE learner_id = ? ORDER BY id", (learner,))]
            issued: dict[int, list[dict[str, Any]]] = {}
            for decision_id, standard_id, rule, code, credits, sources in conn.rows(
                    "SELECT c.decision_id, c.standard_id, c.rule, c.outcome_code, c.credits_centi, c.sources "
                    "FROM certifications c JOIN decisions d ON d.id = c.decision_id WHERE d.learner_id = ? "
                    "ORDER BY c.decision_id, c.position", (learner,)):
                issued.setdefault(int(decision_id), []).append(
                    {"standard": standard_id, "rule": rule, "outcome": code, "credits": from_centi(int(credits)),
                     "from": json.loads(sources)})
            for decision in decisions:
                decision["certifications"] = issued.get(decision["id"], [])
        return {"learner": learner, "outcomes": outcomes, "decisions": decisions}

    def decision(self, decision_id: int) -> dict[str, Any]:
        """One recorded decision's row: what was decided, on what, with which files."""
        with self.db.read() as conn:
            row = conn.one("SELECT id, learner_id, standard_id, version, ruleset_hash, as_of, engine_version, "
                           "trace_mode, input, decision FROM decisions WHERE id = ?", (int(decision_id),))
            if row is None:
                raise LedgerError("unknown-decision", decision=decision_id)
            files = conn.rows("SELECT f.content_hash, f.path, s.body FROM decision_files f LEFT JOIN standard_files s "
                              "ON s.content_hash = f.content_hash WHERE f.decision_id = ? ORDER BY f.path",
                              (int(decision_id),))
        keys = ("id", "learner", "standard", "version", "ruleset_hash", "as_of", "engine_version", "trace_mode",
                "input", "decision")
        data = dict(zip(keys, row))
        data["files"] = [(h, p, b) for h, p, b in files]
        return data

    def decision_ids(self, standard: str | None = None) -> list[int]:
        with self.db.read() as conn:
            if standard is None:
                return [int(r[0]) for r in conn.rows("SELECT id FROM decisions ORDER BY id")]
            return [int(r[0]) for r in conn.rows("SELECT id FROM decisions WHERE standard_id = ? ORDER BY id",
                                                 (standard,))]

    def replay(self, decision_id: int) -> Replay:
        """Decide a recorded decision again from its archived standard files and recorded learner record;
        the JSON must come out byte for byte as recorded (given the same engine version)."""
        row = self.decision(decision_id)
        with tempfile.TemporaryDirectory(prefix="ledger-replay-") as folder:
            paths: dict[str, str] = {}
            for content_hash, path, body in row["files"]:
                if body is None:
                    raise LedgerError("archive-missing", decision=decision_id, hash=content_hash)
                target = Path(folder) / content_hash / Path(path).name
                target.parent.mkdir()
                target.write_bytes(body.encode("utf-8"))
                paths[str(target)] = path
            library = compile_standards([folder])
            ruleset = next(s for s in library[row["standard"]].segments
                           if s.version == row["version"] and s.content_hash == row["ruleset_hash"])
            learner = learner_from_dict(json.loads(row["input"]), f"decision #{decision_id}")
            decision = evaluate(ruleset, learner, row["as_of"], trace=row["trace_mode"])
        data = decision.to_dict(trace=True)
        for step in data.get("trace", []):
            for written, recorded in paths.items():
                if step["origin"].startswith(written + ":"):
                    step["origin"] = recorded + step["origin"][len(written):]
        return Replay(int(decision_id), row["engine_version"], row["as_of"], row["decision"],
                      indented_json(data) + "\n")


def _archived_body(ref: StandardRef) -> str:
    """The text of a standard file, checked against the hash it was compiled with."""
    raw = Path(ref.path).read_bytes()
    found = hashlib.sha256(raw).hexdigest()[:16]
    if found != ref.content_hash:
        raise LedgerError("archive-mismatch", path=ref.path, found=found, expected=ref.content_hash)
    return raw.decode("utf-8")

"""The learner's account (creditrules.ledger), against SQLite and a real PostgreSQL server.

Every test that takes ``url`` runs twice: on an SQLite file and on a database of a throwaway PostgreSQL
cluster (tests/ledger_servers.py; in CI the PostgreSQL runs never skip)."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import creditrules
from creditrules.ledger import Ledger, LedgerError, Policy, load_policy, load_units, parse_url
from creditrules.ledger.migrate import revisions
from ledger_servers import postgres_server, postgres_url  # noqa: F401 - fixtures

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "ledger"
STD = "yrd-computer-application"
LEARNER = "S-2024-0001"


@pytest.fixture(scope="module")
def library() -> creditrules.CompiledLibrary:
    return creditrules.compile_standards(ROOT / "standards")


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'bank.sqlite3'}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def bank(url: str) -> str:
    """A ledger with the example units and the example student stored."""
    with Ledger(url, create=True) as ledger:
        ledger.add_units(load_units(EXAMPLES / "units.yaml"))
        ledger.store(creditrules.load_learner(EXAMPLES / "student.yaml"))
    return url


def policy() -> Policy:
    return load_policy(EXAMPLES / "policy.yaml")


# ---------------------------------------------------------------- finality, counted once, tiers

def test_an_outcome_converted_once_is_not_converted_again(bank: str, library) -> None:
    with Ledger(bank) as ledger:
        first = ledger.apply(LEARNER, library[STD], "2025-06-30", policy=policy(), official="王老师")
        second = ledger.apply(LEARNER, library[STD], "2025-06-30", policy=policy())
        account = ledger.account(LEARNER)
    assert first.id < second.id
    used_first = {a for award in first.decision.awards for a in award.achievements}
    used_second = {a for award in second.decision.awards for a in award.achievements}
    assert used_first and not used_first & used_second
    reasons = {e.outcome: e.text("en") for e in second.excluded}
    assert reasons["A1"] == (f"already converted by decision #{first.id} (rule web-core); a recorded decision is final "
                             "and an outcome counts once")
    assert {e.outcome: e.text("zh") for e in second.excluded}["A1"] == (
        f"已由第 {first.id} 号认定转换（规则 web-core）；认定一经记录即为最终结果，成果只计一次")
    by_id = {o["id"]: o for o in account["outcomes"]}
    assert by_id["A1"]["used_by"] == [first.id]
    assert [d["id"] for d in account["decisions"]] == [first.id, second.id]
    assert account["decisions"][0]["official"] == "王老师"


def test_a_unit_without_authority_earns_nothing_with_the_reason(bank: str, library) -> None:
    with Ledger(bank) as ledger:
        applied = ledger.apply(LEARNER, library[STD], "2025-06-30", policy=policy())
    reasons = {e.outcome: e.text("en") for e in applied.excluded}
    assert reasons == {"A3": "certified by AH-SC-HF (sub-centre), which may not certify X-CLOUD: only "
                             "management-centre, certification-centre may"}
    assert {e.outcome: e.text("zh") for e in applied.excluded}["A3"] == (
        "由 AH-SC-HF（sub-centre）认证，但该单位无权认证 X-CLOUD：仅 management-centre, certification-centre 可认证")
    assert "A3" not in {a for award in applied.decision.awards for a in award.achievements}
    # the sub-centre may certify competition awards: A4 counts
    assert "A4" in {a for award in applied.decision.awards for a in award.achievements}


def test_an_outcome_no_unit_certified_earns_nothing_where_the_policy_asks_for_one(bank: str, library) -> None:
    strict = Policy({"X-BIGDATA": ("certification-centre",)})
    with Ledger(bank) as ledger:
        applied = ledger.apply(LEARNER, library[STD], "2025-06-30", policy=strict)
    assert [e.text("en") for e in applied.excluded] == [
        "X-BIGDATA must be certified by a unit of tier certification-centre; no unit certified it"]


def test_a_reconvertible_code_may_count_in_a_later_decision(bank: str, library) -> None:
    again = Policy(reconvertible=frozenset({"TRAIN-EXT"}))
    with Ledger(bank) as ledger:
        first = ledger.apply(LEARNER, library[STD], "2025-06-30", policy=again)
        second = ledger.apply(LEARNER, library[STD], "2025-06-30", policy=again)
    assert "A6" in {a for award in first.decision.awards for a in award.achievements}
    assert "A6" in {a for award in second.decision.awards for a in award.achievements}
    assert "A6" not in {e.outcome for e in second.excluded}


def test_a_recorded_decision_is_never_changed(bank: str, library) -> None:
    with Ledger(bank) as ledger:
        applied = ledger.apply(LEARNER, library[STD], "2025-06-30")
        for statement in ("UPDATE decisions SET total_centi = 0 WHERE id = ?", "DELETE FROM decisions WHERE id = ?",
                          "DELETE FROM uses WHERE decision_id = ?"):
            with pytest.raises(Exception, match="a recorded decision is final"), ledger.db.write() as conn:
                conn.run(statement, (applied.id,))
        assert ledger.replay(applied.id).same


# ---------------------------------------------------------------- replay

def test_a_replay_gives_the_same_bytes_from_the_archive_after_the_files_changed(url: str, tmp_path: Path) -> None:
    folder = tmp_path / "standards"
    shutil.copytree(ROOT / "standards", folder)
    library = creditrules.compile_standards(folder)
    with Ledger(url, create=True) as ledger:
        ledger.store(creditrules.load_learner(ROOT / "examples" / "student-1x.yaml"))
        applied = ledger.apply(LEARNER, library[STD], "2025-06-30", trace="full")
        shutil.rmtree(folder)  # the standards are gone: the archive is enough
        replay = ledger.replay(applied.id)
        row = ledger.decision(applied.id)
    assert replay.same and replay.replayed == applied.json
    assert replay.recorded_engine == creditrules.__version__ and replay.as_of == "2025-06-30"
    assert {p for _, p, _ in row["files"]} == {str(folder / "yangtze-delta" / "base.yaml"),
                                              str(folder / "yangtze-delta" / "computer-application.yaml")}


def test_a_standard_file_changed_after_compiling_is_refused(url: str, tmp_path: Path) -> None:
    folder = tmp_path / "standards"
    shutil.copytree(ROOT / "standards", folder)
    library = creditrules.compile_standards(folder)
    target = folder / "yangtze-delta" / "computer-application.yaml"
    target.write_text(target.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    with Ledger(url, create=True) as ledger:
        ledger.store(creditrules.load_learner(ROOT / "examples" / "student-1x.yaml"))
        with pytest.raises(LedgerError) as caught:
            ledger.apply(LEARNER, library[STD], "2025-06-30")
        assert ledger.account(LEARNER)["decisions"] == []
    assert str(caught.value).startswith(f"standard file '{target}' has changed since it was compiled (hash ")
    assert str(caught.value).endswith("); compile again before applying")


def test_account_diff_shows_what_a_new_version_would_change_and_changes_nothing(bank: str, library) -> None:
    from creditrules.ledger import diff_recorded
    from creditrules.sources import Sources

    with Ledger(bank) as ledger:
        applied = ledger.apply(LEARNER, library[STD], "2025-06-30")
        with Sources(ROOT / "standards", STD) as sources:
            changes = diff_recorded(ledger, sources.side("2026.1"), STD)
            same = diff_recorded(ledger, sources.side("2024.1"), STD)
        assert ledger.decision(applied.id)["decision"] == applied.json
        assert ledger.decision_ids() == [applied.id]
    (change,) = changes
    assert change.changed and change.old_version == "2024.1" and change.new_version == "2026.1"
    assert ("programming-foundation", "C102", ("A2",), 4, "合格") in change.gained
    assert not any(c.changed for c in same)


# ---------------------------------------------------------------- storing

def test_storing_twice_is_harmless_and_a_changed_outcome_is_refused(bank: str) -> None:
    learner = creditrules.load_learner(EXAMPLES / "student.yaml")
    with Ledger(bank) as ledger:
        again = ledger.store(learner)
        assert again.stored == () and len(again.same) == 6
        filled = ledger.store(creditrules.learner_from_dict(
            {"id": LEARNER, "achievements": [{"id": "A6", "code": "TRAIN-EXT", "hours": 40, "obtained": "2025-03-01",
                                              "verified": True, "certified_by": "AH-CC-AOU"}]}))
        assert filled.stored == ("A6",)
        changed = creditrules.learner_from_dict(
            {"id": LEARNER, "achievements": [{"id": "A6", "code": "TRAIN-EXT", "hours": 80, "obtained": "2025-03-01"}]})
        with pytest.raises(LedgerError) as caught:
            ledger.store(changed)
    assert str(caught.value) == ("outcome A6 of learner S-2024-0001 is already stored with other content; a stored "
                                 "outcome is never changed: store it under a new id")
    assert caught.value.text("zh") == ("学习者 S-2024-0001 的成果 A6 已以不同内容存储；已存储的成果不可更改，"
                                       "请使用新编号存储")


def test_an_unknown_unit_is_refused_and_nothing_is_stored(url: str) -> None:
    with Ledger(url, create=True) as ledger:
        ledger.add_units(load_units(EXAMPLES / "units.yaml"))
        with pytest.raises(LedgerError) as caught:
            ledger.store(creditrules.load_learner(ROOT / "examples" / "student-1x.yaml"), certified_by="AH-CC-A0U")
        assert str(caught.value) == ("no service unit 'AH-CC-A0U' in the ledger (did you mean 'AH-CC-AOU'?); add it "
                                     "with 'creditrules account units'")
        with pytest.raises(LedgerError, match=r"^no learner 'S-2024-0001' in the ledger$"):
            ledger.account(LEARNER)


def test_an_unknown_learner_and_decision(bank: str, library) -> None:
    with Ledger(bank) as ledger:
        with pytest.raises(LedgerError) as caught:
            ledger.apply("S-2024-0002", library[STD], "2025-06-30")
        assert str(caught.value) == "no learner 'S-2024-0002' in the ledger (did you mean 'S-2024-0001'?)"
        assert caught.value.text("zh") == "账户库中没有学习者“S-2024-0002”（是否为“S-2024-0001”？）"
        with pytest.raises(LedgerError, match=r"^no decision #42 in the ledger$"):
            ledger.replay(42)


def test_ids_and_text_are_values_never_sql(bank: str, library) -> None:
    hostile = "x'); DROP TABLE outcomes; --"
    with Ledger(bank) as ledger:
        ledger.store(creditrules.learner_from_dict(
            {"id": hostile, "achievements": [{"id": "'; DELETE FROM decisions; --", "code": "X-WEB", "level": "中级",
                                              "obtained": "2024-06-15", "verified": True,
                                              "certified_by": "AH-CC-AOU"}]}))
        applied = ledger.apply(hostile, library[STD], "2025-06-30", official="'); DROP TABLE units; --")
        account = ledger.account(hostile)
        assert account["outcomes"][0]["id"] == "'; DELETE FROM decisions; --"
        assert account["decisions"][0]["id"] == applied.id
        assert len(ledger.account(LEARNER)["outcomes"]) == 6


# ---------------------------------------------------------------- addresses and schema

@pytest.mark.parametrize("given, shown", [
    ("mysql://bank", "mysql://bank"),
    ("sqlite:///", "sqlite:///"),
    ("", ""),
    ("postgresql://", "postgresql://"),
    ("postgresql://bank:secret@127.0.0.1:port/db", "postgresql://bank:***@127.0.0.1:port/db"),
])
def test_a_bad_address(given: str, shown: str) -> None:
    with pytest.raises(LedgerError) as caught:
        parse_url(given)
    assert str(caught.value) == (f"'{shown}' is not a ledger address; use sqlite:///PATH, "
                                 "postgresql://USER@HOST:PORT/DB or a file path")


def test_addresses() -> None:
    assert parse_url("bank.sqlite3").kind == "sqlite"
    assert parse_url("sqlite:////var/bank.sqlite3").target == "/var/bank.sqlite3"
    found = parse_url("postgres://bank:secret@db.example:5432/ledger")
    assert (found.kind, found.target, found.shown) == (
        "postgresql", "postgresql://bank:secret@db.example:5432/ledger", "postgresql://bank:***@db.example:5432/ledger")


def test_no_ledger_there(tmp_path: Path) -> None:
    with pytest.raises(LedgerError) as caught:
        Ledger(str(tmp_path / "none.sqlite3"))
    where = tmp_path / "none.sqlite3"
    assert str(caught.value) == f"no ledger at '{where}'; create it with: creditrules account init --db {where}"
    (tmp_path / "empty.sqlite3").write_bytes(b"")
    with pytest.raises(LedgerError, match=r"^no ledger at "):
        Ledger(str(tmp_path / "empty.sqlite3"))


def test_an_empty_postgres_database_is_not_a_ledger_until_init(postgres_url: str) -> None:  # noqa: F811
    with pytest.raises(LedgerError) as caught:
        Ledger(postgres_url)
    shown = postgres_url
    assert str(caught.value) == f"no ledger at '{shown}'; create it with: creditrules account init --db {shown}"


def test_a_server_that_does_not_answer(postgres_server: str) -> None:  # noqa: F811
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(LedgerError) as caught:
        Ledger(f"postgresql://bank:secret@127.0.0.1:{port}/ledger")
    assert str(caught.value).startswith(f"cannot open the ledger at 'postgresql://bank:***@127.0.0.1:{port}/ledger': ")
    assert "secret" not in str(caught.value)


def test_a_schema_newer_than_the_code_is_refused(url: str) -> None:
    with Ledger(url, create=True) as ledger:
        with ledger.db.write() as conn:
            conn.run("UPDATE alembic_version SET version_num = ?", ("0099",))
        where = ledger.where
    with pytest.raises(LedgerError) as caught:
        Ledger(url)
    assert str(caught.value) == (f"the ledger at '{where}' has schema revision 0099, newer than this creditrules "
                                 "knows (up to 0001); upgrade creditrules")


def test_both_backends_have_the_same_schema_from_the_same_revisions(tmp_path: Path, postgres_url: str) -> None:  # noqa: F811
    assert [r.id for r in revisions()] == ["0001"]
    with Ledger(str(tmp_path / "a.sqlite3"), create=True) as lite:
        tables = [r[0] for r in lite.db.rows("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                                             "'sqlite_%' ORDER BY name")]
        lite_columns = {t: [r[1] for r in lite.db.rows(f"PRAGMA table_info({t})")] for t in tables}
        assert lite.revision == "0001"
    with Ledger(postgres_url, create=True) as pg:
        pg_tables = [r[0] for r in pg.db.rows("SELECT table_name FROM information_schema.tables WHERE table_schema = "
                                              "'public' ORDER BY table_name")]
        pg_columns = {t: [r[0] for r in pg.db.rows("SELECT column_name FROM information_schema.columns WHERE "
                                                   "table_name = ? ORDER BY ordinal_position", (t,))] for t in pg_tables}
        assert pg.revision == "0001"
    assert lite_columns == pg_columns
    assert set(tables) == {"alembic_version", "units", "learners", "outcomes", "standard_files", "decisions",
                           "decision_files", "uses", "certifications"}


# ---------------------------------------------------------------- concurrency and crashes

def _many_outcomes(url: str) -> None:
    achievements = [{"id": f"T{i:02d}", "code": "TRAIN-EXT", "hours": 18, "obtained": "2025-03-01", "verified": True}
                    for i in range(12)]
    achievements += [{"id": "W1", "code": "X-WEB", "level": "中级", "obtained": "2024-06-15", "verified": True}]
    with Ledger(url, create=True) as ledger:
        ledger.store(creditrules.learner_from_dict({"id": "L-1", "achievements": achievements}))


def test_officials_applying_at_the_same_moment_never_use_one_outcome_twice(url: str, library) -> None:
    _many_outcomes(url)
    start = threading.Barrier(4)
    results: list[object] = []

    def official() -> None:
        with Ledger(url) as ledger:
            start.wait()
            try:
                results.append(ledger.apply("L-1", library[STD], "2025-06-30"))
            except Exception as exc:
                results.append(exc)

    threads = [threading.Thread(target=official) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(isinstance(r, creditrules.ledger.Applied) for r in results), results
    per_decision = [{a for award in r.decision.awards for a in award.achievements} for r in results]  # type: ignore[attr-defined]
    used = [a for found in per_decision for a in found]
    assert used and len(used) == len(set(used))  # no outcome in two decisions
    with Ledger(url) as ledger:
        rows = ledger.db.rows("SELECT outcome_id FROM uses WHERE learner_id = ?", ("L-1",))
        assert sorted(r[0] for r in rows) == sorted(used)


CRASH = """
import os, signal, sys
import creditrules
from creditrules.ledger import Ledger
library = creditrules.compile_standards(sys.argv[2])
def hook(point):
    if point == sys.argv[3]:
        os.kill(os.getpid(), signal.SIGKILL)
with Ledger(sys.argv[1]) as ledger:
    ledger.apply("S-2024-0001", library["yrd-computer-application"], "2025-06-30", hook=hook)
"""


@pytest.mark.parametrize("point", ["decision-recorded", "uses-recorded"])
def test_a_crash_mid_application_leaves_nothing_half_recorded(bank: str, library, point: str) -> None:
    done = subprocess.run([sys.executable, "-c", CRASH, bank, str(ROOT / "standards"), point],
                          env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"}, capture_output=True,
                          check=False, timeout=120)
    assert done.returncode == -9, done.stderr.decode()
    with Ledger(bank) as ledger:
        for table in ("decisions", "uses", "decision_files", "certifications"):
            assert ledger.db.one(f"SELECT COUNT(*) FROM {table}") == (0,)
        applied = ledger.apply(LEARNER, library[STD], "2025-06-30")
        assert applied.decision.awards and ledger.replay(applied.id).same


# ---------------------------------------------------------------- files

def test_a_bad_policy_or_units_file(tmp_path: Path) -> None:
    bad = tmp_path / "policy.yaml"
    bad.write_text("certifying_tiers:\n  X-WEB: [province]\n", encoding="utf-8")
    with pytest.raises(LedgerError) as caught:
        load_policy(bad)
    assert str(caught.value) == (f"{bad}: certifying_tiers: X-WEB: unknown tier 'province'; tiers are "
                                 "management-centre, certification-centre, sub-centre, acceptance-point")
    units = tmp_path / "units.yaml"
    units.write_text("units:\n  - {id: U1, tier: centre, name: x}\n", encoding="utf-8")
    with pytest.raises(LedgerError) as caught:
        load_units(units)
    assert str(caught.value) == (f"{units}: unit U1: unknown tier 'centre'; tiers are management-centre, "
                                 "certification-centre, sub-centre, acceptance-point")


def test_sqlite_rejects_a_second_exclusive_use_even_if_the_code_forgot(tmp_path: Path, library) -> None:
    url = str(tmp_path / "a.sqlite3")
    with Ledger(url, create=True) as ledger:
        ledger.store(creditrules.load_learner(ROOT / "examples" / "student-1x.yaml"))
        applied = ledger.apply(LEARNER, library[STD], "2025-06-30")
        other = ledger.apply(LEARNER, library[STD], "2025-06-30")
        used = ledger.db.one("SELECT outcome_id FROM uses WHERE decision_id = ?", (applied.id,))
        assert used is not None
        with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"), ledger.db.write() as conn:
            conn.run("INSERT INTO uses (decision_id, learner_id, outcome_id, rule, exclusive) VALUES (?, ?, ?, ?, 1)",
                     (other.id, LEARNER, used[0], "r"))


def test_postgresql_without_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if the postgres extra were not installed
    with pytest.raises(LedgerError) as caught:
        Ledger("postgresql://bank@127.0.0.1:5432/ledger")
    assert str(caught.value) == "a PostgreSQL ledger needs the postgres extra: pip install 'creditrules[postgres]'"
    assert caught.value.text("zh") == "PostgreSQL 账户库需要 postgres 扩展：pip install 'creditrules[postgres]'"


def test_a_sqlite_file_that_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("not a database, but long enough to be read as one " * 20, encoding="utf-8")
    with pytest.raises(LedgerError) as caught:
        Ledger(str(path))
    assert str(caught.value) == f"cannot open the ledger at '{path}': file is not a database"


RACE = """
import sys, time
import creditrules
from creditrules.ledger import Ledger
library = creditrules.compile_standards(sys.argv[2])
with Ledger(sys.argv[1]) as ledger:
    time.sleep(max(0.0, float(sys.argv[3]) - time.time()))
    applied = ledger.apply("L-1", library["yrd-computer-application"], "2025-06-30")
    print(applied.id)
"""


def test_processes_applying_at_the_same_moment_never_use_one_outcome_twice(url: str) -> None:
    import time

    _many_outcomes(url)
    start = str(time.time() + 6)
    env = {"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"}
    workers = [subprocess.Popen([sys.executable, "-c", RACE, url, str(ROOT / "standards"), start], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    outputs = [w.communicate(timeout=120) for w in workers]
    assert [w.returncode for w in workers] == [0, 0, 0], [err for _, err in outputs]
    with Ledger(url) as ledger:
        rows = ledger.db.rows("SELECT outcome_id, decision_id FROM uses WHERE learner_id = ?", ("L-1",))
        decisions = ledger.db.rows("SELECT id FROM decisions WHERE learner_id = ?", ("L-1",))
    assert len(decisions) == 3
    outcomes = [r[0] for r in rows]
    assert outcomes and len(outcomes) == len(set(outcomes))


def test_hours_that_earned_nothing_add_up_with_next_years(url: str, library) -> None:
    def training(outcome: str, hours: int, day: str) -> creditrules.Learner:
        return creditrules.learner_from_dict({"id": "L-7", "achievements": [
            {"id": outcome, "code": "TRAIN-EXT", "hours": hours, "obtained": day, "verified": True}]})

    with Ledger(url, create=True) as ledger:
        ledger.store(training("T2024", 6, "2024-10-01"))
        first = ledger.apply("L-7", library[STD], "2024-12-31")
        ledger.store(training("T2025", 12, "2025-03-01"))
        second = ledger.apply("L-7", library[STD], "2025-06-30")
        account = ledger.account("L-7")
    assert first.decision.total == 0 and [u.reason for u in first.decision.unused] == ["too-little"]
    (award,) = second.decision.awards
    assert award.achievements == ("T2024", "T2025") and award.credits == 1  # 18 hours: 1 credit
    assert {o["id"]: o["used_by"] for o in account["outcomes"]} == {"T2024": [second.id], "T2025": [second.id]}


def test_certifications_issued_are_in_the_account(tmp_path: Path, library) -> None:
    with Ledger(str(tmp_path / "a.sqlite3"), create=True) as ledger:
        ledger.store(creditrules.load_learner(ROOT / "examples" / "elderly.yaml"))
        learner = creditrules.load_learner(ROOT / "examples" / "elderly.yaml").id
        standards = [s for s in library.standards if library[s].segments[-1].certifications]
        applied = ledger.apply(learner, library[standards[0]], "2025-06-30")
        account = ledger.account(learner)
    issued = account["decisions"][0]["certifications"]
    assert issued and len(issued) == len(applied.decision.outcomes)
    for row, award in zip(issued, applied.decision.outcomes):
        assert (row["rule"], row["outcome"], row["from"]) == (award.rule, award.outcome, list(award.achievements))


def test_the_standard_says_which_tiers_may_certify_its_codes(url: str, library) -> None:
    """No policy file: the teachers' certification standard's catalog says principal training is certified by
    the management centre or a certification centre, so one certified by a sub-centre earns nothing."""
    teacher = {"id": "AH-T-2025-0207", "achievements": [
        {"id": "P1", "code": "TCH-PRINCIPAL", "type": "任职资格培训", "hours": 320, "assessment": "合格",
         "obtained": "2022-06-30", "verified": True, "certified_by": "AH-SC-HF"},
        {"id": "P2", "code": "TCH-PRINCIPAL", "type": "提高培训", "hours": 240, "assessment": "优秀",
         "obtained": "2025-01-10", "verified": True, "certified_by": "AH-CC-AOU"},
        {"id": "T1", "code": "TCH-TRAIN", "programme": "国培计划", "hours": 120, "assessment": "合格",
         "obtained": "2023-08-20", "verified": True, "certified_by": "AH-SC-HF"},
        {"id": "T2", "code": "TCH-TRAIN", "programme": "省培计划", "hours": 60, "assessment": "合格",
         "obtained": "2024-07-15", "verified": True}]}
    with Ledger(url, create=True) as ledger:
        ledger.add_units(load_units(EXAMPLES / "units.yaml"))
        ledger.store(creditrules.learner_from_dict(teacher))
        applied = ledger.apply("AH-T-2025-0207", library["ah-teacher-preschool"], "2025-06-30")
    assert {e.outcome: e.text("en") for e in applied.excluded} == {
        "P1": "certified by AH-SC-HF (sub-centre), which may not certify TCH-PRINCIPAL: only management-centre, "
              "certification-centre may",
        "T2": "TCH-TRAIN must be certified by a unit of tier management-centre, certification-centre, sub-centre; "
              "no unit certified it"}
    used = {a for award in (*applied.decision.outcomes, *applied.decision.awards) for a in award.achievements}
    assert {"P2", "T1"} <= used and not {"P1", "T2"} & used

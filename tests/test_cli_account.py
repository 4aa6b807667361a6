"""``creditrules account``: store, apply, show, replay and diff from the command line, in English and Chinese,
with the exact message of every error a user can hit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli_run import run
from ledger_servers import postgres_server, postgres_url  # noqa: F401 - fixtures

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "ledger"
STANDARDS = str(ROOT / "standards")


def setup(db: str) -> None:
    assert run("account", "init", "--db", db)[0] == 0
    assert run("account", "units", str(EXAMPLES / "units.yaml"), "--db", db) == (
        0, "5 service unit(s) in the ledger.\n", "")
    assert run("account", "store", "--learner", str(EXAMPLES / "student.yaml"), "--db", db) == (
        0, "Stored 6 outcome(s) of learner S-2024-0001 (0 already stored).\n", "")


def apply(db: str, *more: str) -> tuple[int, str, str]:
    return run("account", "apply", "--learner", "S-2024-0001", "--standard", "yrd-computer-application",
               "--standards", STANDARDS, "--as-of", "2025-06-30", "--policy", str(EXAMPLES / "policy.yaml"),
               "--db", db, *more)


def test_the_whole_story_in_english(tmp_path: Path) -> None:
    db = str(tmp_path / "bank.sqlite3")
    code, out, err = run("account", "init", "--db", db)
    assert (code, out, err) == (0, f"Ledger ready at {db} (schema revision 0001).\n", "")
    setup(db)
    code, out, err = apply(db, "--official", "王老师")
    assert code == 0 and err == ""
    assert out.endswith("Outcomes kept out of this application:\n"
                        "  ✗ A3 (X-CLOUD): certified by AH-SC-HF (sub-centre), which may not certify X-CLOUD: only "
                        "management-centre, certification-centre may\n"
                        "Recorded as decision #1.\n")
    code, out, _ = apply(db)
    assert code == 0
    assert ("  ✗ A1 (X-WEB): already converted by decision #1 (rule web-core); a recorded decision is final and an "
            "outcome counts once\n") in out
    assert out.endswith("Recorded as decision #2.\n")
    code, out, _ = run("account", "show", "--learner", "S-2024-0001", "--db", db)
    assert code == 0
    assert out.startswith("Account of learner S-2024-0001: 6 stored outcomes, 2 recorded decisions\nStored outcomes:\n"
                          "  ● A1 X-WEB obtained 2024-06-15, verified; received by AH-AP-QS, verified by AH-SC-HF, "
                          "certified by AH-CC-AOU; used by decision #1\n")
    assert "  #1 yrd-computer-application 2024.1 as of 2025-06-30: 12.5 credits, recorded " in out
    assert out.count("by 王老师") == 1
    code, out, _ = run("account", "replay", "1", "--db", db)
    assert code == 0 and out.startswith("Decision #1 replayed: the same ") and out.endswith(
        " bytes (engine 0.1.0, as of 2025-06-30).\n")
    code, out, _ = run("account", "diff", "2026.1", "--standard", "yrd-computer-application", "--standards",
                       STANDARDS, "--db", db)
    assert code == 0
    assert out.startswith("Recorded decisions against yrd-computer-application 2026.1: 2 of 2 would change "
                          "(none is changed)\n  #1 learner S-2024-0001 yrd-computer-application 2024.1→2026.1 as of "
                          "2025-06-30: 12.5 → 17 credits\n")
    assert "      + programming-foundation C102 from A2: 4\n" in out
    # the diff changed nothing
    assert run("account", "replay", "1", "--db", db)[0] == 0


def test_the_same_in_chinese_and_json(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'bank.sqlite3'}"
    setup(db)
    code, out, _ = apply(db, "--lang", "zh")
    assert code == 0 and out.endswith("未纳入本次申请的成果：\n  ✗ A3（X-CLOUD）：由 AH-SC-HF（sub-centre）认证，但该单位无权认证 "
                                      "X-CLOUD：仅 management-centre, certification-centre 可认证\n已记录为第 1 号认定。\n")
    code, out, _ = apply(db, "--format", "json")
    data = json.loads(out)
    assert data["decision_id"] == 2 and data["decision"]["learner"] == "S-2024-0001"
    assert {e["outcome"]: e["reason"] for e in data["excluded"]}["A1"] == "already-converted"
    code, out, _ = run("account", "show", "--learner", "S-2024-0001", "--db", db, "--lang", "zh")
    assert out.startswith("学习者 S-2024-0001 的账户：已存储成果 6 项，已记录认定 2 次\n已存储成果：\n")
    code, out, _ = run("account", "show", "--learner", "S-2024-0001", "--db", db, "--format", "json")
    account = json.loads(out)
    assert [d["id"] for d in account["decisions"]] == [1, 2]
    code, out, _ = run("account", "replay", "2", "--db", db, "--format", "json")
    assert code == 0 and json.loads(out)["learner"] == "S-2024-0001"
    code, out, _ = run("account", "diff", str(ROOT / "standards"), "--db", db, "--format", "json")
    assert code == 0 and json.loads(out)["changed"] == []


def test_the_story_on_postgresql(postgres_url: str) -> None:  # noqa: F811
    setup(postgres_url)
    code, out, _ = apply(postgres_url)
    assert code == 0 and out.endswith("Recorded as decision #1.\n")
    assert run("account", "replay", "1", "--db", postgres_url)[0] == 0


@pytest.mark.parametrize("argv, message", [
    (["show", "--learner", "L-9", "--db", "mysql://bank"],
     "creditrules: 'mysql://bank' is not a ledger address; use sqlite:///PATH, postgresql://USER@HOST:PORT/DB or a "
     "file path\n"),
    (["show", "--learner", "L-9", "--db", "{tmp}/none.sqlite3"],
     "creditrules: no ledger at '{tmp}/none.sqlite3'; create it with: creditrules account init --db {tmp}/none.sqlite3\n"),
    (["show", "--learner", "L-9", "--db", "{tmp}/bank.sqlite3"],
     "creditrules: no learner 'L-9' in the ledger\n"),
    (["show", "--learner", "S-2024-0002", "--db", "{tmp}/bank.sqlite3", "--lang", "zh"],
     "creditrules: 账户库中没有学习者“S-2024-0002”（是否为“S-2024-0001”？）\n"),
    (["replay", "7", "--db", "{tmp}/bank.sqlite3"], "creditrules: no decision #7 in the ledger\n"),
    (["apply", "--learner", "S-2024-0001", "--standard", "yrd-computer-appl", "--standards", STANDARDS, "--db",
      "{tmp}/bank.sqlite3"],
     "creditrules: --standard: no standard 'yrd-computer-appl' (did you mean 'yrd-computer-application'?)\n"),
    (["apply", "--learner", "S-2024-0001", "--standard", "yrd-computer-application", "--standards", STANDARDS,
      "--policy", "{tmp}/none.yaml", "--db", "{tmp}/bank.sqlite3"],
     "creditrules: {tmp}/none.yaml: cannot read the file: No such file or directory\n"),
    (["store", "--learner", str(EXAMPLES / "student.yaml"), "--certified-by", "AH-NOPE", "--db", "{tmp}/bank.sqlite3"],
     "creditrules: no service unit 'AH-NOPE' in the ledger; add it with 'creditrules account units'\n"),
])
def test_errors(tmp_path: Path, argv: list[str], message: str) -> None:
    setup(str(tmp_path / "bank.sqlite3"))
    code, out, err = run("account", *(a.replace("{tmp}", str(tmp_path)) for a in argv))
    assert (code, out, err) == (1, "", message.replace("{tmp}", str(tmp_path)))


def test_a_changed_outcome_and_a_schema_ahead(tmp_path: Path) -> None:
    db = str(tmp_path / "bank.sqlite3")
    setup(db)
    changed = tmp_path / "changed.yaml"
    changed.write_text("id: S-2024-0001\nachievements:\n  - {id: A6, code: TRAIN-EXT, hours: 80, obtained: 2025-03-01}\n",
                       encoding="utf-8")
    assert run("account", "store", "--learner", str(changed), "--db", db) == (
        1, "", "creditrules: outcome A6 of learner S-2024-0001 is already stored with other content; a stored outcome "
               "is never changed: store it under a new id\n")
    import sqlite3

    with sqlite3.connect(db) as raw:
        raw.execute("UPDATE alembic_version SET version_num = '0002'")
    assert run("account", "show", "--learner", "S-2024-0001", "--db", db, "--lang", "zh") == (
        1, "", f"creditrules: 账户库“{db}”的结构版本为 0002，高于本版 creditrules 所知（至 0001）；请升级 creditrules\n")


def test_a_record_the_learner_file_rejects_is_not_stored(tmp_path: Path) -> None:
    db = str(tmp_path / "bank.sqlite3")
    setup(db)
    odd = tmp_path / "odd.yaml"
    odd.write_text("id: S-2024-0001\nachievements:\n  - {id: B1, code: X-WEB, level: 中级, obtained: 2024-13-01}\n",
                   encoding="utf-8")
    code, out, err = run("account", "store", "--learner", str(odd), "--db", db)
    assert code == 1 and err == ""
    assert out.startswith("Stored 0 outcome(s) of learner S-2024-0001 (0 already stored).\nNot stored: B1: ")


def test_batch_records_its_learners_in_the_ledger(tmp_path: Path) -> None:
    db = str(tmp_path / "bank.sqlite3")
    assert run("account", "init", "--db", db)[0] == 0
    rows = tmp_path / "rows.jsonl"
    rows.write_text(
        '{"learner": "L-1", "id": "A1", "code": "X-WEB", "level": "中级", "obtained": "2024-06-15", "verified": true}\n'
        '{"learner": "L-2", "id": "A1", "code": "TRAIN-EXT", "hours": 40, "obtained": "2025-03-01", "verified": true}\n',
        encoding="utf-8")
    argv = ["batch", "--standard", "yrd-computer-application", "--standards", STANDARDS, "--input", str(rows),
            "--output", str(tmp_path / "out.jsonl"), "--as-of", "2025-06-30", "--workers", "1", "--ledger", db]
    code, out, err = run(*argv)
    assert code == 0, err
    assert out.endswith(f"ledger: 2 decision(s) recorded in {db}, 0 learner(s) not recorded\n")
    code, out, _ = run("account", "show", "--learner", "L-1", "--db", db, "--format", "json")
    account = json.loads(out)
    assert account["outcomes"][0]["used_by"] == [1]
    # a second run records again, and the account keeps the outcomes used before out
    assert run(*argv)[0] == 0
    code, out, _ = run("account", "show", "--learner", "L-1", "--db", db, "--format", "json")
    second = json.loads(out)["decisions"][1]
    assert second["total"] == 0 and second["excluded"][0]["reason"] == "already-converted"


def test_ci_installs_postgresql_before_the_tests() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    install = next(i for i, line in enumerate(script.splitlines())
                   if "apt-get install" in line and " postgresql" in line)
    lines = script.splitlines()
    update = next(i for i, line in enumerate(lines) if "apt-get update" in line)
    tests = next(i for i, line in enumerate(lines) if "python -m pytest" in line)
    assert update < install < tests


def test_the_python_example_runs(tmp_path: Path) -> None:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, str(EXAMPLES / "use_ledger.py"), str(tmp_path / "bank.sqlite3")],
                          env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"}, capture_output=True,
                          text=True, check=True)
    assert done.stdout.splitlines()[0] == "decision #1: 12.5 credits"
    assert done.stdout.splitlines()[-1] == "decision #1 replays to the same bytes: True"


def test_batch_ledger_errors_come_before_the_batch_runs(tmp_path: Path) -> None:
    argv = ["batch", "--standard", "yrd-computer-application", "--standards", STANDARDS, "--input", "-",
            "--output", str(tmp_path / "out.jsonl"), "--as-of", "2025-06-30", "--ledger", str(tmp_path / "b.sqlite3")]
    assert run(*argv) == (1, "", "creditrules: --ledger needs --input to be a file: the batch reads standard input "
                                 "only once\n")
    rows = tmp_path / "rows.jsonl"
    rows.write_text('{"learner": "L-1", "id": "A1", "code": "X-WEB", "obtained": "2024-06-15"}\n', encoding="utf-8")
    argv[argv.index("-")] = str(rows)
    assert run(*argv) == (1, "", f"creditrules: no ledger at '{tmp_path}/b.sqlite3'; create it with: creditrules "
                                 f"account init --db {tmp_path}/b.sqlite3\n")
    assert not (tmp_path / "out.jsonl").exists()


def test_a_busy_sqlite_ledger(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlite3

    from creditrules.ledger import db

    path = tmp_path / "bank.sqlite3"
    assert run("account", "init", "--db", str(path))[0] == 0
    monkeypatch.setattr(db, "BUSY_TIMEOUT_SECONDS", 0.1)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        code, out, err = run("account", "store", "--learner", str(EXAMPLES / "student.yaml"), "--db", str(path))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert (code, out, err) == (1, "", f"creditrules: the ledger at '{path}' is busy: another writer held it for over "
                                       "0.1 s; try again\n")


def test_a_replay_by_another_engine_version_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import creditrules._version

    db = str(tmp_path / "bank.sqlite3")
    setup(db)
    assert apply(db)[0] == 0
    monkeypatch.setattr(creditrules._version, "__version__", "9.9.9")
    code, out, _ = run("account", "replay", "1", "--db", db, "--lang", "zh")
    assert code == 0
    assert out.splitlines()[1] == ("第 1 号认定由 creditrules 0.1.0 作出；当前为 9.9.9，只有相同引擎版本才能逐字节重现")

"""Batch evaluation: rows in any order → one decision per learner, rejects with reasons, counts
that add up; the same bytes whatever the order of the rows and the number of workers."""

from __future__ import annotations

import codecs
import csv
import io
import json
import random
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import creditrules
from creditrules import batch as batch_module
from creditrules.batch import (
    LearnerOutcome,
    award_rows,
    decide_learner_rows,
    deciding,
    evaluate_batch,
    partitions,
    summary_text,
)
from creditrules.batch.summary import PartitionCounts
from creditrules.cli import main
from creditrules.records import PARQUET_MISSING

ROOT = Path(__file__).resolve().parents[1]
CONFLICT = "achievement id 'A1' is used by 2 different records; none of them is used until each has its own id"
STANDARD = "yrd-computer-application"
AS_OF = "2025-06-30"


@pytest.fixture(scope="module")
def standard() -> creditrules.CompiledStandard:
    return creditrules.compile_standards(ROOT / "standards")[STANDARD]


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("CREDITRULES_STANDARDS", raising=False)
    monkeypatch.delenv("CI", raising=False)


STUDENT = [  # examples/student-1x.yaml as rows
    {"id": "A1", "code": "X-WEB", "level": "中级", "obtained": "2024-06-15", "verified": True},
    {"id": "A2", "code": "X-BIGDATA", "level": "初级", "obtained": "2024-12-01", "verified": True},
    {"id": "A3", "code": "X-CLOUD", "level": "中级", "obtained": "2025-01-10", "verified": True},
    {"id": "A4", "code": "COMP-VOC", "tier": "省级", "award": "二等奖", "event": "云计算赛项",
     "organizer": "government", "obtained": "2024-11-20", "verified": True},
    {"id": "A5", "code": "COMP-VOC", "tier": "省级", "award": "一等奖", "event": "云计算赛项",
     "organizer": "government", "obtained": "2025-04-20", "verified": True},
    {"id": "A6", "code": "TRAIN-EXT", "hours": 40, "obtained": "2025-03-01", "verified": True},
    {"id": "A7", "code": "SH-1X-WEB", "level": "高级", "obtained": "2023-05-01", "verified": True},
]


def province(learners: int = 40, seed: int = 7) -> list[dict[str, Any]]:
    """Small, varied, valid rows: every learner gets some of the student's achievements."""
    rng = random.Random(seed)
    rows = []
    for number in range(learners):
        for row in rng.sample(STUDENT, rng.randint(1, len(STUDENT))):
            rows.append({"learner": f"L{number:03d}", **row})
    return rows


def jsonl(rows: list[Any]) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in rows)


def run_batch(tmp_path: Path, standard: creditrules.CompiledStandard, records: Any, name: str = "run",
              **options: Any) -> tuple[creditrules.BatchSummary, dict[str, bytes]]:
    folder = tmp_path / name
    folder.mkdir()
    paths = {"decisions": folder / "decisions.jsonl", "rejects": folder / "rejects.jsonl",
             "awards": folder / "awards.csv"}
    options.setdefault("as_of", AS_OF)
    summary = evaluate_batch(records, standard, output=paths["decisions"], rejects=paths["rejects"],
                             awards_csv=paths["awards"], **options)
    return summary, {key: path.read_bytes() for key, path in paths.items()}


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    assert "Traceback" not in out.getvalue() + err.getvalue()
    return code, out.getvalue(), err.getvalue()


def rejects_of(data: bytes) -> list[dict[str, Any]]:
    return [json.loads(line) for line in data.decode("utf-8").splitlines()]


# ---------------------------------------------------------------- counts and order

def test_counts_add_up_and_every_learner_has_one_decision(tmp_path: Path, standard):
    rows = province()
    summary, out = run_batch(tmp_path, standard, rows)
    learners = sorted({r["learner"] for r in rows})
    decisions = [json.loads(line) for line in out["decisions"].decode().splitlines()]
    assert [d["learner"] for d in decisions] == learners
    assert summary.ok and summary.adds_up
    assert summary.records_read == len(rows)
    assert summary.records_read == summary.records_credited + summary.records_unused + summary.records_rejected
    assert summary.learners_decided == summary.decisions_written == len(learners)
    credited = sum(len({a for award in d["awards"] for a in award["achievements"]}) for d in decisions)
    assert summary.records_credited == credited
    assert summary.records_unused == sum(len(d["unused"]) for d in decisions)
    assert summary.to_dict()["records"] == {
        "read": len(rows), "credited": summary.records_credited, "unused": summary.records_unused,
        "rejected": 0, "rejected_by": {"read": 0, "achievement": 0, "standard": 0, "learner": 0}, "lost": 0}


def test_the_batch_decides_a_learner_exactly_as_evaluate_does(tmp_path: Path, standard):
    rows = [{"learner": "S-2024-0001", **row} for row in STUDENT]
    _, out = run_batch(tmp_path, standard, rows, trace="full")
    expected = creditrules.evaluate(standard, creditrules.load_learner("examples/student-1x.yaml"), AS_OF)
    assert json.loads(out["decisions"]) == expected.to_dict()


@pytest.mark.parametrize(("example", "standard_id"), [
    ("elderly", "ah-senior-arts-certificate"), ("worker", "ah-worker-cnc"), ("farmer", "ah-farmer-agri")])
def test_example_learners_decide_as_evaluate_does_with_two_workers(tmp_path: Path, example: str, standard_id: str):
    """Certified outcomes (the elderly learner), limits (the worker), aggregates (the farmer):
    the batch, in two worker processes that compile the standard themselves, agrees with evaluate."""
    import yaml

    library = creditrules.compile_standards(ROOT / "standards")
    data = yaml.safe_load((ROOT / "examples" / f"{example}.yaml").read_text(encoding="utf-8"))
    rows = [{"learner": data["id"], **achievement} for achievement in data["achievements"]]
    rows += [{"learner": "other", "id": "X1", "code": "X-WEB", "level": "中级", "obtained": "2024-01-01"}]
    summary, out = run_batch(tmp_path, library[standard_id], rows, trace="full", workers=2)
    expected = creditrules.evaluate(library[standard_id], creditrules.load_learner(f"examples/{example}.yaml"), AS_OF)
    decisions = {d["learner"]: d for d in map(json.loads, out["decisions"].decode().splitlines())}
    assert decisions[data["id"]] == expected.to_dict()
    assert summary.ok and summary.records_read == len(rows)


def test_unsorted_rows_give_the_same_outputs_as_sorted(tmp_path: Path, standard):
    rows = province()
    shuffled = rows[:]
    random.Random(3).shuffle(shuffled)
    _, grouped = run_batch(tmp_path, standard, rows, "grouped")
    _, scattered = run_batch(tmp_path, standard, shuffled, "scattered")
    assert grouped["decisions"] == scattered["decisions"]
    assert grouped["awards"] == scattered["awards"]


def test_one_and_two_workers_write_the_same_bytes(tmp_path: Path, standard):
    source = tmp_path / "rows.jsonl"
    source.write_text(jsonl(province(60) + ["{broken", {"id": "X"}]), encoding="utf-8")
    one_summary, one = run_batch(tmp_path, standard, source, "one", workers=1)
    two_summary, two = run_batch(tmp_path, standard, source, "two", workers=2)
    assert one == two
    assert one_summary.to_dict()["records"] == two_summary.to_dict()["records"]
    assert two_summary.workers == 2 and two_summary.ok


def test_workers_refuse_a_standard_file_changed_since_it_was_compiled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import shutil

    shutil.copytree(ROOT / "standards", tmp_path / "standards")
    monkeypatch.chdir(tmp_path)
    standard = creditrules.compile_standards("standards")[STANDARD]
    with open("standards/yangtze-delta/computer-application.yaml", "a", encoding="utf-8") as handle:
        handle.write("# changed\n")
    with pytest.raises(creditrules.CreditRulesError) as info:
        evaluate_batch(province(20), standard, output=io.StringIO(), rejects=io.StringIO(), as_of=AS_OF, workers=2)
    assert str(info.value) == ("a worker could not compile the standard: standard file "
                               "'standards/yangtze-delta/computer-application.yaml' changed while the batch was "
                               "running; run it again")


def test_a_partition_too_big_to_load_is_split_with_the_same_result(tmp_path: Path, standard,
                                                                  monkeypatch: pytest.MonkeyPatch):
    rows = province(80)
    _, whole = run_batch(tmp_path, standard, rows, "whole")
    monkeypatch.setattr(partitions, "MAX_PARTITION_BYTES", 200)
    monkeypatch.setattr(partitions, "PARTITIONS", 2)
    summary, split = run_batch(tmp_path, standard, rows, "split")
    assert split == whole and summary.ok


def test_lines_routed_without_parsing_decide_like_parsed_lines(tmp_path: Path, standard):
    """A plain learner id is read without parsing the line; an escaped one, a learner key
    that is not first, or a nested object takes the parsing path. Same decisions."""
    rows = province(30)
    plain = tmp_path / "plain.jsonl"
    plain.write_text(jsonl(rows), encoding="utf-8")
    parsed = tmp_path / "parsed.jsonl"
    lines = []
    for n, row in enumerate(rows):
        body = {k: v for k, v in row.items() if k != "learner"}
        learner = json.dumps(row["learner"]).replace("L", "\\u004c", 1)  # escaped: must be parsed
        if n % 2:
            lines.append(json.dumps(body, ensure_ascii=True)[:-1] + f', "learner": {learner}}}')
        else:
            lines.append(f'{{"learner": {learner}, ' + json.dumps(body)[1:])
    parsed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _, fast = run_batch(tmp_path, standard, plain, "fast")
    _, slow = run_batch(tmp_path, standard, parsed, "slow")
    assert fast == slow


# ---------------------------------------------------------------- rejects

def test_bad_lines_go_to_the_rejects_with_line_numbers_and_reasons(tmp_path: Path, standard):
    source = tmp_path / "rows.jsonl"
    source.write_bytes(jsonl([
        {"learner": "L1", **STUDENT[0]},                                       # 1
        '{"learner": "L1", "id": "A2", "code": "X-W',                           # 2 cut off
        "",                                                                     # 3 blank: not a record
        {"id": "A9", "code": "X-WEB", "level": "中级", "obtained": "2024-01-01"},  # 4 no learner
        '["L1", "A3"]',                                                         # 5 not an object
        {"learner": "L1", "id": "A1", "code": "X-CLOUD", "level": "中级", "obtained": "2024-01-01"},  # 6 dup
        {"learner": "L1", "id": "A5", "code": "X-WEB", "level": "中级", "obtained": "2024/01/01"},  # 7 date
        {"learner": "L2", "id": "B1", "code": "TRAIN-EXT", "hours": -16, "obtained": "2024-01-01"},  # 8 refused
        {"learner": "L2", "code": "X-WEB", "level": "中级", "obtained": "2024-01-01"},  # 9 no id
        {"learner": True, "id": "C1", "code": "X-WEB"},                         # 10 learner not text
    ]).encode("utf-8") + b'{"learner": "L3", "id": "\xff"}\n')                 # 11 not UTF-8
    summary, out = run_batch(tmp_path, standard, source)
    assert [(r["line"], r["learner"], r["achievement"], r["stage"], r["reason"])
            for r in rejects_of(out["rejects"])] == [
        (1, "L1", "A1", "achievement", CONFLICT),
        (2, None, None, "read", "invalid JSON: Unterminated string starting at: line 1 column 39 (char 38)"),
        (4, None, None, "read", "no 'learner' (the learner's id); every record needs one"),
        (5, None, None, "read", "a record must be an object of the achievement's keys and 'learner', not a list"),
        (6, "L1", "A1", "achievement", CONFLICT),
        (7, "L1", "A5", "achievement", "'obtained': '2024/01/01' is not a date; write YYYY-MM-DD, e.g. 2024-09-01"),
        (8, "L2", "B1", "standard", "'hours' is -16, below the smallest allowed value 0"),
        (9, "L2", "#9", "achievement", "achievement #9 has no 'id'"),
        (10, None, None, "read", "no 'learner' (the learner's id); every record needs one"),
        (11, None, None, "read", "the line is not UTF-8 text"),
    ]
    first = rejects_of(out["rejects"])[1]
    assert first["reason_zh"].startswith("JSON 格式错误：") and first["text"] == '{"learner": "L1", "id": "A2", "code": "X-W'
    assert summary.records_read == 10 and summary.adds_up
    assert summary.rejected_by == {"read": 5, "achievement": 4, "standard": 1, "learner": 0}
    assert (summary.records_credited, summary.records_unused, summary.learners_decided) == (0, 0, 2)
    decisions = {d["learner"]: d for d in map(json.loads, out["decisions"].decode().splitlines())}
    assert [r["achievement"] for r in decisions["L1"]["rejected"]] == ["A1", "A1", "A5"]  # in the decision too


def test_a_learner_with_too_many_records_is_rejected_whole(standard):
    rows = [(n, {"id": f"A{n}", "code": "X-WEB", "level": "中级", "obtained": "2024-01-01"}) for n in range(10_001)]
    outcome = decide_learner_rows(standard, "L1", rows, AS_OF)
    assert outcome.decision is None and outcome.rejected == 10_001 and len(outcome.rejects) == 10_001
    assert outcome.rejects[0]["reason"] == "learner L1 has 10001 records, over the limit of 10000 for one learner"


def test_decide_learner_rows_is_the_pure_per_learner_step(standard):
    rows = [(n, {"learner": "S1", **row}) for n, row in enumerate(STUDENT, start=1)]
    rows.append((99, {"id": "A8", "code": "TRAIN-EXT", "hours": "forty", "obtained": "2025-01-01"}))
    outcome = decide_learner_rows(standard, "S1", rows, AS_OF, "none")
    assert isinstance(outcome, LearnerOutcome)
    assert outcome.decision is not None and outcome.decision.trace == ()
    assert (outcome.credited, outcome.unused, outcome.rejected, outcome.lost) == (5, 2, 1, ())
    assert outcome.rejects == [{"format_version": "1.0", "line": 99, "learner": "S1", "achievement": "A8", "code": "TRAIN-EXT",
                                "stage": "standard", "reason": "'hours' must be a number, not 'forty'",
                                "reason_zh": "'hours' 应为数字，而不是 'forty'", "reason_code": "number"}]
    rows_of_awards = award_rows(outcome.decision)
    assert sum(row[10] for row in rows_of_awards) == outcome.decision.total_credits


# ---------------------------------------------------------------- CSV and Parquet

GB_WARNING = ("{source} has lines that are not UTF-8; read them as GB18030 (save the file as UTF-8 to silence this "
              "warning)")
CSV_ROWS = ("learner,id,code,level,hours,obtained,verified\n"
            "S1,A1,X-WEB,中级,,2024-06-15,true\n"
            "S1,A6,TRAIN-EXT,,40,2025-03-01,是\n"
            "S1,A7,TRAIN-EXT,,forty,2025-03-01,1\n"
            "S2,B1,X-CLOUD,中级,,2025-01-10,maybe\n"
            ",B2,X-CLOUD,中级,,2025-01-10,true\n"
            "S2,B3,X-CLOUD\n")


def test_csv_with_a_bom_is_read_as_utf8_and_typed_by_the_standard(tmp_path: Path, standard):
    source = tmp_path / "rows.csv"
    source.write_bytes(codecs.BOM_UTF8 + CSV_ROWS.encode("utf-8"))
    summary, out = run_batch(tmp_path, standard, source)
    assert summary.warnings == [] and summary.format == "csv"
    assert [(r["line"], r["stage"], r["reason"]) for r in rejects_of(out["rejects"])] == [
        (4, "standard", "'hours' must be a number, not 'forty'"),
        (5, "achievement", "'verified' must be true or false, not 'maybe'"),
        (6, "read", "no 'learner' (the learner's id); every record needs one"),
        (7, "read", "the row has 3 cells but the header has 7"),
    ]
    decision = json.loads(out["decisions"].decode().splitlines()[0])
    assert decision["learner"] == "S1" and [a["achievements"] for a in decision["awards"]][-1] == ["A6"]
    assert summary.records_read == 6 and summary.adds_up


def test_gb18030_csv_is_read_with_a_warning(tmp_path: Path, standard):
    source = tmp_path / "rows.csv"
    source.write_bytes(CSV_ROWS.encode("gb18030"))
    summary, out = run_batch(tmp_path, standard, source)
    assert summary.warnings == [GB_WARNING.format(source=source)]
    assert json.loads(out["decisions"].decode().splitlines()[0])["awards"][0]["grade"] == "良好"
    code, _, err = cli("batch", "--standard", STANDARD, "--input", str(source), "--output",
                       str(tmp_path / "cli.jsonl"), "--as-of", AS_OF, "--workers", "1")
    assert code == 0
    assert err == f"creditrules: warning: {GB_WARNING.format(source=source)}\n"


def test_one_gb18030_line_among_utf8_lines_spoils_nothing_else(tmp_path: Path, standard):
    """Each line is decoded on its own: UTF-8 lines stay exact; a non-UTF-8 line in a file that
    has shown it is UTF-8 is rejected alone; bytes that are no text at all are rejected alone."""
    head, *rows = CSV_ROWS.splitlines(keepends=True)
    source = tmp_path / "rows.csv"
    source.write_bytes(head.encode() + rows[0].encode("utf-8") + "S3,C1,X-WEB,高级,,2024-06-15,true\n".encode("gb18030")
                       + b"S4,D1,X-WEB,\x80\xff\x80,,2024-06-15,true\n" + "".join(rows[1:]).encode("utf-8"))
    summary, out = run_batch(tmp_path, standard, source)
    decisions = {d["learner"]: d for d in map(json.loads, out["decisions"].decode().splitlines())}
    assert decisions["S1"]["awards"][0]["grade"] == "良好" and "S3" not in decisions and "S4" not in decisions
    assert [(r["line"], r["reason"], r["reason_zh"]) for r in rejects_of(out["rejects"])][:2] == [
        (3, "the line is not UTF-8 text", "该行不是 UTF-8 文本"), (4, "the line is not UTF-8 text", "该行不是 UTF-8 文本")]
    assert summary.warnings == [] and summary.adds_up and summary.records_read == 8


def test_gb18030_lines_before_any_utf8_text_are_read_as_gb18030(tmp_path: Path, standard):
    source = tmp_path / "rows.csv"
    source.write_bytes(b"learner,id,code,level,obtained\n" + "S3,C1,X-WEB,高级,2024-06-15\n".encode("gb18030")
                       + b"S4,D1,X-WEB,\xff,2024-06-15\n" + "S1,A1,X-WEB,中级,2024-06-15\n".encode())
    summary, out = run_batch(tmp_path, standard, source)
    decisions = {d["learner"]: d for d in map(json.loads, out["decisions"].decode().splitlines())}
    assert set(decisions) == {"S1", "S3"}  # both levels read right: 高级 and 中级 earn different grades
    assert summary.warnings == [GB_WARNING.format(source=source)]
    assert [(r["line"], r["reason"]) for r in rejects_of(out["rejects"])] == [
        (3, "the line is neither UTF-8 nor GB18030 text")]


@pytest.mark.parametrize(("line", "reason"), [
    ('S1,A2,"X-CLOUD,中级,,2025-01-10,true', "a quote opened on this line is not closed; a cell cannot span lines"),
    ('S1,A2,"X-CLOUD"x,中级,,2025-01-10,true', "unreadable CSV: ',' expected after '\"'"),
])
def test_broken_quoting_rejects_its_line_and_swallows_no_other(tmp_path: Path, standard, line: str, reason: str):
    head, *rows = CSV_ROWS.splitlines(keepends=True)
    source = tmp_path / "rows.csv"
    source.write_text(head + rows[0] + line + "\n" + "".join(rows[1:]) + 'S9,Z1,X-WEB,中级,,2024-06-15,"true"\n',
                      encoding="utf-8")
    summary, out = run_batch(tmp_path, standard, source)
    rejects = rejects_of(out["rejects"])
    assert (rejects[0]["line"], rejects[0]["reason"], rejects[0]["stage"]) == (3, reason, "read")
    assert summary.records_read == 8 and summary.adds_up  # every physical line after the header is counted
    assert "S9" in {json.loads(d)["learner"] for d in out["decisions"].decode().splitlines()}


def test_an_unreadable_csv_header_is_refused_with_its_line(tmp_path: Path, standard):
    source = tmp_path / "rows.csv"
    source.write_text('learner,"id,code\nS1,A1,X-WEB\n', encoding="utf-8")
    with pytest.raises(creditrules.CreditRulesError) as info:
        run_batch(tmp_path, standard, source)
    assert str(info.value) == (f"{source}: line 1, the header, cannot be read: a quote opened on this line is not "
                               "closed; a cell cannot span lines")


def test_csv_without_a_learner_column_is_refused(tmp_path: Path, standard):
    source = tmp_path / "rows.csv"
    source.write_text("id,code\nA1,X-WEB\n", encoding="utf-8")
    with pytest.raises(creditrules.CreditRulesError) as info:
        run_batch(tmp_path, standard, source)
    assert str(info.value) == f"{source}: the header has no 'learner' column (the learner's id); it has 'id', 'code'"


def test_parquet_without_pyarrow_names_it(tmp_path: Path, standard, monkeypatch: pytest.MonkeyPatch):
    """pyarrow is a dependency; a broken installation without it gets a message, not a traceback."""
    source = tmp_path / "rows.parquet"
    source.write_bytes(b"PAR1")
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    with pytest.raises(creditrules.CreditRulesError) as info:
        run_batch(tmp_path, standard, source)
    assert str(info.value) == PARQUET_MISSING == \
        "reading Parquet needs pyarrow, a dependency of creditrules that is missing here: pip install 'pyarrow>=14'"
    monkeypatch.setitem(sys.modules, "creditrules.batch.partitions", None)
    monkeypatch.delattr(batch_module, "partitions")
    (tmp_path / "rows.jsonl").write_text(jsonl(province(2)), encoding="utf-8")
    code, out, err = cli("batch", "--standard", STANDARD, "--input", str(tmp_path / "rows.jsonl"), "--output",
                         str(tmp_path / "out.jsonl"), "--as-of", AS_OF)
    assert (code, out) == (1, "")
    assert err == "creditrules: batch runs need pyarrow, a dependency of creditrules that is missing here: " \
                  "pip install 'pyarrow>=14'\n"


def test_parquet_rows_decide_like_jsonl(tmp_path: Path, standard):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    rows = province(12)
    columns = sorted({key for row in rows for key in row})
    table = pa.table({c: [row.get(c) for row in rows] for c in columns})
    pq.write_table(table, tmp_path / "rows.parquet")
    _, from_parquet = run_batch(tmp_path, standard, tmp_path / "rows.parquet", "parquet")
    _, from_records = run_batch(tmp_path, standard, rows, "records")
    assert from_parquet == from_records


# ---------------------------------------------------------------- the library on an iterable

def test_the_library_runs_on_an_in_memory_iterable_and_never_prints(standard, capsys: pytest.CaptureFixture[str]):
    out, rejects, awards = io.StringIO(), io.StringIO(), io.StringIO()
    rows = (row for row in province(5) + [{"learner": "L999"}, 42])
    summary = creditrules.evaluate_batch(rows, standard, output=out, rejects=rejects, awards_csv=awards,
                                         as_of=AS_OF, trace="none")
    assert summary.ok and summary.input == "<records>" and summary.format == "records"
    decisions = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [d["learner"] for d in decisions] == ["L000", "L001", "L002", "L003", "L004", "L999"]
    assert all("trace" not in d for d in decisions)
    assert [(r["line"], r["reason"]) for r in map(json.loads, rejects.getvalue().splitlines())] == [
        (len(province(5)) + 1, f"achievement #{len(province(5)) + 1} has no 'id'"),
        (len(province(5)) + 2, "a record must be an object of the achievement's keys and 'learner', not the value 42"),
    ]
    assert awards.getvalue().splitlines()[0] == ",".join(f'"{c}"' for c in batch_module.AWARD_COLUMNS)
    assert capsys.readouterr() == ("", "")


def test_decisions_as_csv_and_rejects_as_csv(tmp_path: Path, standard):
    rows = [{"learner": "S1", **row} for row in STUDENT] + [{"learner": "S1", "id": "A9", "code": "X-WEB"}]
    summary = evaluate_batch(rows, standard, output=tmp_path / "d.csv", rejects=tmp_path / "r.csv",
                             output_format="csv", as_of=AS_OF)
    decisions = (tmp_path / "d.csv").read_text(encoding="utf-8-sig").splitlines()
    assert decisions == [
        '"learner","standard","version","as_of","total","total_cap","credits:foundation","credits:core",'
        '"credits:elective","credits:practice","remaining","awards","records_credited","records_unused",'
        '"records_rejected","format_version"',
        '"S1","yrd-computer-application","2024.1","2025-06-30",19.5,50,4,11,4.5,0,120.5,6,5,2,1,"1.0"']
    assert (tmp_path / "r.csv").read_text(encoding="utf-8").splitlines() == [
        '"line","learner","achievement","code","stage","reason","reason_zh","text","format_version"',
        '8,"S1","A9","X-WEB","achievement","\'obtained\' (the date it was obtained, YYYY-MM-DD) is missing",'
        '"缺少 \'obtained\'（取得日期，格式为 YYYY-MM-DD）","","1.0"']
    assert summary.ok


def test_counts_that_do_not_add_up_fail_the_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    real = deciding.decide_learner_rows

    def losing(*args: Any, **kwargs: Any) -> LearnerOutcome:
        outcome = real(*args, **kwargs)
        return outcome._replace(credited=0, lost=("A1",)) if outcome.credited else outcome

    monkeypatch.setattr(deciding, "decide_learner_rows", losing)
    source = tmp_path / "rows.jsonl"
    source.write_text(jsonl([{"learner": "S1", **row} for row in STUDENT]), encoding="utf-8")
    code, out, err = cli("batch", "--standard", STANDARD, "--input", str(source), "--output",
                         str(tmp_path / "out.jsonl"), "--as-of", AS_OF, "--workers", "1")
    assert code == 1
    assert "counts do not add up: 7 read, 0 credited, 2 earned nothing, 0 rejected, 1 lost" in out
    assert err == "creditrules: the counts do not add up: some records are in no output; this is a bug, " \
                  "please report it\n"


# ---------------------------------------------------------------- the command

def test_cli_batch_writes_outputs_and_prints_counts(tmp_path: Path):
    source = tmp_path / "rows.jsonl"
    source.write_text(jsonl(province(10) + ["not json"]), encoding="utf-8")
    output = tmp_path / "decisions.jsonl"
    code, out, err = cli("batch", "--standard", STANDARD, "--input", str(source), "--output", str(output),
                         "--as-of", AS_OF, "--workers", "2", "--awards-csv", str(tmp_path / "awards.csv"),
                         "--summary", str(tmp_path / "summary.json"))
    assert (code, err) == (0, "")  # stderr is no terminal: no progress bar
    summary = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    read = summary["records"]["read"]
    assert read == len(province(10)) + 1 and summary["ok"] is True
    lines = out.splitlines()
    assert lines[0] == f"standard {STANDARD} 2024.1, as of {AS_OF}, 2 worker(s), trace compact"
    assert lines[1].split() == ["records", "read", str(read)]
    assert lines[5].split() == ["learners", "decided", "10"]
    assert lines[6:9] == [f"decisions: {output}", f"rejects:   {tmp_path / 'decisions.rejects.jsonl'}",
                           f"awards:    {tmp_path / 'awards.csv'}"]
    records = summary["records"]
    assert lines[9] == (f"ok: {read} read = {records['credited']} credited + {records['unused']} earned nothing + "
                         "1 rejected")
    assert rejects_of((tmp_path / "decisions.rejects.jsonl").read_bytes())[0]["line"] == read
    assert not list(tmp_path.glob("*.partial"))


@pytest.mark.parametrize(("argv", "code", "message"), [
    (["--input", "missing.jsonl"], 1, "creditrules: input file 'missing.jsonl' does not exist\n"),
    (["--workers", "0"], 2, "creditrules: --workers must be at least 1, not 0\n"),
    (["--as-of", "30/06/2025"], 2, "creditrules: --as-of: '30/06/2025' is not a date; write YYYY-MM-DD, e.g. 2024-09-01\n"),
    (["--as-of", "2020-01-01"], 1, "creditrules: no version of standard 'yrd-computer-application' is in force on "
                                   "2020-01-01 (versions: 2024.1 2024-09-01..2026-08-31, 2026.1 2026-09-01..)\n"),
    (["--standard", "yrd-base"], 1, "creditrules: 'yrd-base' is a base standard; evaluate a standard that extends "
                                    "it\n"),
    (["--standard", "yrd-computer-aplication"], 2,
     "creditrules: --standard: no standard 'yrd-computer-aplication' (did you mean 'yrd-computer-application'?)\n"),
    (["--output", "rows.jsonl"], 2, "creditrules: --output 'rows.jsonl' is the same file as the input "
                                    "'rows.jsonl'; it would be overwritten, so choose another name\n"),
    (["--output", "nowhere/out.jsonl"], 2, "creditrules: --output: folder 'nowhere' does not exist\n"),
    (["--format", "xml"], 2, "creditrules batch: argument --format: invalid choice: 'xml' (choose from 'jsonl', "
                             "'csv')\n"),
])
def test_cli_batch_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, argv: list[str], code: int,
                          message: str):
    (tmp_path / "rows.jsonl").write_text(jsonl(province(2)), encoding="utf-8")
    monkeypatch.setenv("CREDITRULES_STANDARDS", str(ROOT / "standards"))
    monkeypatch.chdir(tmp_path)
    options = {"--standard": STANDARD, "--input": "rows.jsonl", "--output": "out.jsonl", "--as-of": AS_OF}
    options.update(zip(argv[::2], argv[1::2]))
    got, out, err = cli("batch", *[part for pair in options.items() for part in pair])
    assert (got, out) == (code, "")
    assert err == message
    assert not (tmp_path / "out.jsonl").exists()


def test_cli_batch_reads_standard_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    rows = province(4)
    standard = creditrules.compile_standards("standards")[STANDARD]  # as the command does: same origins
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(jsonl(rows).encode("utf-8"))))
    code, _out, err = cli("batch", "--standard", STANDARD, "--input", "-", "--output", str(tmp_path / "o.jsonl"),
                         "--as-of", AS_OF, "--workers", "1")
    assert (code, err) == (0, "")
    _, expected = run_batch(tmp_path, standard, rows)
    assert (tmp_path / "o.jsonl").read_bytes() == expected["decisions"]


def test_progress_bar_only_on_a_terminal(tmp_path: Path):
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    source = tmp_path / "rows.jsonl"
    source.write_text(jsonl(province(3)), encoding="utf-8")
    err = Terminal()
    code = main(["batch", "--standard", STANDARD, "--input", str(source), "--output", str(tmp_path / "o.jsonl"),
                 "--as-of", AS_OF, "--workers", "1"], io.StringIO(), err)
    assert code == 0
    assert "\rdeciding  [" in err.getvalue() and err.getvalue().endswith("\r" + " " * 72 + "\r")


def test_summary_text_says_when_counts_do_not_add_up():
    summary = creditrules.BatchSummary("s", "1", creditrules.evaluate_batch.__globals__["date"](2025, 6, 30),
                                       "compact", 1, "<records>", "records", records_read=3,
                                       counts=PartitionCounts(credited=1))
    assert not summary.adds_up and not summary.ok
    assert summary_text(summary).splitlines()[-1] == (
        "counts do not add up: 3 read, 1 credited, 0 earned nothing, 0 rejected, 0 lost; 0 decisions written for "
        "0 learners")


# ---------------------------------------------------------------- spreadsheets, order, workers, JSON bytes

@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_cells_that_would_run_as_formulas_are_neutralised(start: str):
    """OWASP: a leading apostrophe, and the cell quoted; controls shown as escapes."""
    out = io.StringIO()
    batch_module.tables.SafeWriter(out).row([f"{start}HYPERLINK(\"http://x\")", 3, None, "plain"])
    shown = {"\t": "\\t", "\r": "\\r"}.get(start, start)
    assert out.getvalue() == f'"\'{shown}HYPERLINK(""http://x"")",3,"","plain"\n'


def test_formula_ids_are_neutralised_in_every_csv_output(tmp_path: Path, standard):
    rows = [{"learner": f"{start}cmd|' /C calc'!A0", **STUDENT[0]} for start in "=+-@"]
    rows.append({"learner": "=bad", "id": "@A9", "code": "X-WEB"})
    summary = evaluate_batch(rows, standard, output=tmp_path / "d.csv", rejects=tmp_path / "r.csv",
                             awards_csv=tmp_path / "a.csv", output_format="csv", as_of=AS_OF)
    for name in ("d.csv", "a.csv", "r.csv"):
        lines = (tmp_path / name).read_text(encoding="utf-8-sig").splitlines()[1:]
        cells = [cell for row in csv.reader(lines) for cell in row]
        assert lines and not [c for c in cells if c[:1] in ("=", "+", "-", "@")], name
    assert (tmp_path / "r.csv").read_text(encoding="utf-8").splitlines()[1].startswith(
        '5,"\'=bad","\'@A9","X-WEB","achievement",')
    assert summary.ok


def test_duplicate_ids_give_the_same_outputs_in_any_row_order(tmp_path: Path, standard):
    rows = province(30)
    rows += [{"learner": "L001", **STUDENT[0]}, {"learner": "L002", **STUDENT[1], "level": "高级"},
             {"learner": "L003", **STUDENT[2]}, {"learner": "L003", **STUDENT[2], "verified": False}]
    results = []
    for seed in (1, 2, 3):
        shuffled = rows[:]
        random.Random(seed).shuffle(shuffled)
        results.append(run_batch(tmp_path, standard, shuffled, f"order{seed}")[1])
    assert results[0]["decisions"] == results[1]["decisions"] == results[2]["decisions"]
    assert results[0]["awards"] == results[1]["awards"] == results[2]["awards"]


def test_a_worker_killed_by_sigkill_stops_the_run_with_nothing_written(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch):
    """As the out-of-memory killer would: the run ends at once, exit 1, no output under its name."""
    import os
    import re
    import signal

    from creditrules.batch import pool

    real = pool.decide_partition

    def killed(context: Any, paths: tuple[str, ...], *args: Any) -> Any:
        if paths[0].endswith(tuple(f"{n:03d}.arrow" for n in range(0, 64, 2))):
            os.kill(os.getpid(), signal.SIGKILL)
        return real(context, paths, *args)

    monkeypatch.setattr(pool, "decide_partition", killed)
    source = tmp_path / "rows.jsonl"
    source.write_text(jsonl(province(60)), encoding="utf-8")
    code, out, err = cli("batch", "--standard", STANDARD, "--input", str(source), "--output",
                         str(tmp_path / "d.jsonl"), "--awards-csv", str(tmp_path / "a.csv"), "--summary",
                         str(tmp_path / "s.json"), "--as-of", AS_OF, "--workers", "2")
    assert (code, out) == (1, "")
    assert re.fullmatch(r"creditrules: worker process \d+ was killed by SIGKILL \(the out-of-memory killer sends "
                        r"it: try fewer --workers, or a machine with more memory\) while deciding partition "
                        r"part-\d\d\d; the run was stopped and no output was written\n", err), err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rows.jsonl"]


@pytest.mark.parametrize(("action", "message"), [
    ("exit", r"creditrules: worker process \d+ ended with exit code 3 while deciding partition part-\d\d\d; the run "
             r"was stopped and no output was written\n"),
    ("raise", r"creditrules: internal error in a worker \(ValueError: boom\); please report it\n"),
])
def test_a_worker_that_exits_or_fails_stops_the_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, action: str,
                                                     message: str):
    import os
    import re

    from creditrules.batch import pool

    def failing(context: Any, path: str, *args: Any) -> Any:
        if action == "exit":
            os._exit(3)
        raise ValueError("boom")

    monkeypatch.setattr(pool, "decide_partition", failing)
    source = tmp_path / "rows.jsonl"
    source.write_text(jsonl(province(20)), encoding="utf-8")
    code, out, err = cli("batch", "--standard", STANDARD, "--input", str(source), "--output",
                         str(tmp_path / "d.jsonl"), "--as-of", AS_OF, "--workers", "2")
    assert (code, out) == (1, "")
    assert re.fullmatch(message, err), err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rows.jsonl"]


def test_decision_lines_are_the_bytes_json_would_write(standard):
    """orjson where it is byte-identical to json (Chinese text, floats, key order); json where not."""
    from creditrules.jsontext import compact_json

    person = creditrules.load_learner(ROOT / "examples" / "student-1x.yaml")
    for trace in ("full", "compact", "none"):
        data = creditrules.evaluate(standard, person, AS_OF, trace=trace).to_dict(trace=trace != "none")
        assert compact_json(data) == json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    import orjson

    pretty = creditrules.evaluate(standard, person, AS_OF).to_dict()
    assert orjson.dumps(pretty, option=orjson.OPT_INDENT_2).decode() == json.dumps(pretty, ensure_ascii=False,
                                                                                   indent=2)


def _nested(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4)


_JSON_LEAVES = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
                | st.text(st.characters(codec="utf-8")) | st.sampled_from(["学分", "良好", "\u2028", "\x00", "3e5", "7ce43e471c2ad310", ":1e5"]))


@settings(max_examples=300, deadline=None)
@given(st.recursive(_JSON_LEAVES, _nested, max_leaves=20))
def test_compact_json_is_json_for_any_value(value: Any):
    from creditrules.jsontext import compact_json

    assert compact_json(value) == json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def test_only_a_number_with_an_exponent_sends_the_output_to_json():
    """A content hash's hex ("…3e4f…", in most decisions) is text, not an exponent: orjson's bytes stand."""
    import orjson

    from creditrules.jsontext import _ZEROS, _has_exponent, compact_json, indented_json

    def exponent(value: Any) -> bool:
        return _has_exponent(orjson.dumps(value).translate(_ZEROS))

    for text in ({"content_hash": "7ce43e471c2ad310"}, ["3e45", "ab3e-1"], {"a1e": 2, "x": "x1e"}, [1, 2.5, 10]):
        assert not exponent(text)
        assert compact_json(text) == json.dumps(text, ensure_ascii=False, separators=(",", ":"))
    for number in (1e-7, -1.5e-300, 1e16, 1.2345678901234567e17, 5e-324):
        for value in (number, [number], [1, number], {"a": number}, {"h": "3e4f", "v": [number]}):
            assert exponent(value)
            assert compact_json(value) == json.dumps(value, ensure_ascii=False, separators=(",", ":"))
            assert indented_json(value) == json.dumps(value, ensure_ascii=False, indent=2)


_CSV_CELL = st.text(st.sampled_from(list('ab中"\',;\t ') + ["\x00", "\u2028", "="]), max_size=6)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(_CSV_CELL, min_size=1, max_size=4) | st.binary(max_size=12), min_size=1, max_size=12))
def test_every_physical_csv_line_is_one_row_or_skipped_blank(lines: list[Any]):
    """Whatever the quoting or the bytes of a line, it becomes exactly one row (read or rejected,
    with its own line number) and never swallows another; only blank lines are skipped."""
    from creditrules.records import read_csv

    body = []
    for line in lines:
        raw = line if isinstance(line, bytes) else ",".join(line).encode("utf-8")
        body.append(raw.replace(b"\n", b" ").replace(b"\r", b" "))
    data = b"learner,id,code\n" + b"\n".join(body) + b"\n"
    rows = list(read_csv(io.BytesIO(data), [], "x.csv"))
    expected = [n for n, raw in enumerate(body, start=2) if raw.strip(b" \t")]
    assert [row.line for row in rows] == [n for n in expected if n in {row.line for row in rows}]
    assert {row.line for row in rows} <= set(expected)
    missing = set(expected) - {row.line for row in rows}
    for n in missing:  # a line that holds only empty cells is blank too
        raw = body[n - 2]
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("gb18030")
        assert not any(c.strip() for c in next(csv.reader([text], strict=True), []))

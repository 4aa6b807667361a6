"""Workers write final lines after a merge key; the merge only interleaves them. The outputs must be
exactly what deciding each learner alone and writing its JSON and safe CSV rows in id order gives,
whatever the ids hold (quotes, backslashes, tabs, line breaks, formula starts, non-BMP characters,
numbers, ids that are prefixes of others) and however many workers share them out."""

from __future__ import annotations

import codecs
import io
import json
import re
from contextlib import ExitStack
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import creditrules
from creditrules.batch import award_rows, decide_learner_rows, decision_columns, decision_row, evaluate_batch, tables
from creditrules.batch.deciding import merge_key
from creditrules.batch.merging import _write_lines
from creditrules.errors import CreditRulesError
from creditrules.jsontext import compact_json
from creditrules.outputs import Sink
from creditrules.records import learner_id

ROOT = Path(__file__).resolve().parents[1]
AS_OF = "2025-06-30"
ROWS = [
    {"id": "A1", "code": "X-WEB", "level": "中级", "obtained": "2024-06-15", "verified": True},
    {"id": "A2", "code": "X-BIGDATA", "level": "初级", "obtained": "2024-12-01", "verified": True},
    {"id": "A6", "code": "TRAIN-EXT", "hours": 40, "obtained": "2025-03-01", "verified": True},
]
IDS: list[Any] = ["a", 'a"b', "a\\b", "a\tb", "a\nb", "a\rb", "=cmd|' /C calc'!A0", "+1", "-2", "@x", "\tlead",
                  "x\u2028y", "x\x85y", "x\u202ey", "\U0001f600", "a\U0001f600", "a\uffff", "a\ue000", "\x00",
                  "a\x01", "a\x1f", "a ", "a!", "ab", 'a"', '"', "\\", '\\\\"', "12", "007", 12, 7, "中文", "é",
                  "e\u0301", "a,b", "null", "\ufeffbom", "𝔘𝔫𝔦", "z" * 300]


@pytest.fixture(scope="module")
def standard() -> creditrules.CompiledStandard:
    return creditrules.compile_standards(ROOT / "standards")["yrd-computer-application"]


def _rows() -> list[dict[str, Any]]:
    return [{"learner": learner, **row} for learner in IDS for row in ROWS[: 1 + len(str(learner)) % 3]]


def _csv(rows: list[list[Any]]) -> bytes:
    out = io.StringIO()
    writer = tables.SafeWriter(out)
    for row in rows:
        writer.row(row)
    return codecs.BOM_UTF8 + out.getvalue().encode("utf-8")


def test_merge_keys_order_as_the_ids_do():
    ids = sorted({learner_id(i) or "" for i in IDS} | {"", "a\x00", "\x7f", "\uffff", "\U0010ffff"})
    keys = [merge_key(i.encode("utf-8")) for i in ids]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    assert all(b"\n" not in k[:-1] and b"\t" not in k[:-1] for k in keys)
    lines = [k + b"x\n" for k in keys]  # whole lines compare as their keys: the tab sorts before hex digits
    assert lines == sorted(lines)


@pytest.mark.parametrize("workers", [1, 2])
def test_awkward_ids_give_exactly_the_outputs_of_each_learner_decided_alone(tmp_path: Path, standard,
                                                                            workers: int):
    rows = _rows()
    learners = sorted({learner_id(row["learner"]) for row in rows})  # type: ignore[type-var]
    outcomes = []
    for learner in learners:
        mine = [(n, row) for n, row in enumerate(rows, start=1) if learner_id(row["learner"]) == learner]
        outcomes.append(decide_learner_rows(standard, learner, mine, AS_OF, "compact"))  # type: ignore[arg-type]
    paths = {name: tmp_path / f"{name}-{workers}" for name in ("d.jsonl", "d.csv", "a.csv", "r.jsonl", "r.csv")}
    summary = evaluate_batch(rows, standard, output=paths["d.jsonl"], rejects=paths["r.jsonl"],
                             awards_csv=paths["a.csv"], as_of=AS_OF, workers=workers)
    assert summary.ok and summary.decisions_written == len(learners)
    assert paths["d.jsonl"].read_text(encoding="utf-8") == "".join(
        compact_json(o.decision.to_dict()) + "\n" for o in outcomes if o.decision is not None)
    assert paths["a.csv"].read_bytes() == _csv(
        [list(tables.AWARD_COLUMNS)] + [row for o in outcomes if o.decision is not None
                                        for row in award_rows(o.decision)])
    evaluate_batch(rows, standard, output=paths["d.csv"], rejects=paths["r.csv"], as_of=AS_OF, workers=workers,
                   output_format="csv")
    ruleset = standard.ruleset_for(date.fromisoformat(AS_OF))
    assert paths["d.csv"].read_bytes() == _csv(
        [decision_columns(ruleset)] + [decision_row(o.decision, ruleset, o) for o in outcomes
                                       if o.decision is not None])


class _Shown(str):
    """A text whose ``str()`` is not its value: the rows once went through JSON, which keeps the value."""

    def __str__(self) -> str:
        return "shown"


@pytest.mark.parametrize("cached", [0, 2, 4096])
def test_csv_lines_are_the_lines_rows_written_as_json_then_read_back_gave(monkeypatch: pytest.MonkeyPatch,
                                                                          cached: int):
    """Before, a worker wrote each row as JSON and the merge read it back into a SafeWriter: the same bytes."""
    monkeypatch.setattr(tables, "_CACHED_CELLS", cached)
    rows = [["=cmd", "plain", 'q"uote', "line\nbreak", "中文", "\U0001f600", None, 3, 4.5, 0.1, True, 2**70],
            ["=cmd", "plain", "-1", "@x", "\ttab", "\u202e", None, -3, 1e-7, 1e17, False, ""],
            [_Shown("=x"), _Shown("plain"), "plain", "\x85", "a\u2028b", "", 0, 0.0, -0.0, "12", "007", "x"],
            [("a", "=b"), ["x\ny"], "plain", _Shown("a\nb"), 1, 2, 3, 4, 5, 6, 7, 8]] * 2
    lines = tables.CsvLines()
    for row in rows:
        out = io.StringIO()
        tables.SafeWriter(out).row(json.loads(compact_json(row)))
        assert lines.line(row) == out.getvalue().encode("utf-8")
        assert lines.line(row).count(b"\n") == 1


def test_a_learner_decided_twice_stops_the_merge_naming_them(tmp_path: Path):
    parts = [tmp_path / "p1", tmp_path / "p2"]
    for part in parts:
        part.write_bytes(merge_key('a"\n中'.encode()) + b"{}\n")
    with ExitStack() as stack, pytest.raises(CreditRulesError, match=re.escape("learner 'a\"\n中' was decided twice")):
        _write_lines(stack, [str(p) for p in parts], Sink(io.StringIO()), unique=True)

"""evaluate_dataframe on a local Spark (local[2]) decides as creditrules.evaluate does on one machine.

Needs the creditrules[spark] extra (in the test extra) and Java 17+. The Spark session
is small (two cores, four shuffle partitions, no UI) and shared by the module.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

import creditrules
from creditrules.spark import (
    COLUMNS,
    MISSING,
    SparkUnavailable,
    _library,
    decision_schema,
    evaluate_dataframe,
    standard_texts,
)

ROOT = Path(__file__).resolve().parents[1]
STANDARDS = ROOT / "standards"
STANDARD = "yrd-computer-application"
AS_OF = date(2025, 6, 30)

FIELDS = [("learner", "string"), ("id", "string"), ("code", "string"), ("obtained", "date"),
          ("verified", "boolean"), ("level", "string"), ("tier", "string"), ("award", "string"),
          ("event", "string"), ("organizer", "string"), ("hours", "double"), ("score", "double"),
          ("credits", "double")]


def province(learners: int = 240, seed: int = 7) -> list[dict[str, Any]]:
    """Achievement rows of ``learners`` learners, shuffled, every column present (None = absent).
    Mostly typical 1+X students; some records unusable on purpose (a level off the scale, an
    unknown code, a date after the as-of date) and one row with no learner id."""
    rng = random.Random(seed)
    rows = []
    for n in range(1, learners + 1):
        learner = f"L{n:05d}"
        for i in range(1, rng.choice([0, 1, 3, 5, 8, 10, 10, 12]) + 1):
            row: dict[str, Any] = dict.fromkeys(name for name, _ in FIELDS)
            row.update(learner=learner, id=f"A{i}", verified=rng.random() < 0.8,
                       obtained=AS_OF - timedelta(days=rng.randrange(0, 5 * 365)))
            kind = rng.choice(["x", "x", "x", "comp", "train", "uni", "shanghai", "bad"])
            if kind in ("x", "shanghai"):
                row.update(code="SH-1X-WEB" if kind == "shanghai" else rng.choice(["X-WEB", "X-BIGDATA", "X-CLOUD"]),
                           level=rng.choice(["初级", "中级", "高级", "中级"]))
            elif kind == "comp":
                row.update(code="COMP-VOC", tier=rng.choice(["省级", "国家级", "市级"]),
                           award=rng.choice(["一等奖", "二等奖", "三等奖"]),
                           event=rng.choice(["云计算赛项", "Web赛项", "大数据赛项"]), organizer="government")
            elif kind == "train":
                row.update(code="TRAIN-EXT", hours=float(rng.choice([8, 12, 16.5, 40, 72])))
            elif kind == "uni":
                row.update(code="UNI-DB", score=float(rng.choice([55, 60, 82.5, 91])), credits=float(rng.choice([3, 4])))
            else:
                flaw = rng.choice(["level", "code", "future"])
                row.update(code="NO-SUCH-CODE" if flaw == "code" else "X-WEB",
                           level="特级" if flaw == "level" else "中级")
                if flaw == "future":
                    row["obtained"] = AS_OF + timedelta(days=3)
            rows.append(row)
    orphan = dict.fromkeys(name for name, _ in FIELDS)
    orphan.update(id="A1", code="X-WEB", level="中级", obtained=AS_OF)
    rows.append(orphan)
    rng.shuffle(rows)
    return rows


def single_machine(rows: list[dict[str, Any]], trace: str = "compact") -> dict[Any, tuple[Any, ...]]:
    """What creditrules.evaluate decides for each learner of the rows, on this machine."""
    library = creditrules.compile_standards(STANDARDS)
    learners: dict[Any, list[dict[str, Any]]] = {}
    for row in rows:
        learners.setdefault(row["learner"], []).append(
            {k: v for k, v in row.items() if k != "learner" and v is not None})
    result = {}
    for key, achievements in learners.items():
        if key is None:
            result[None] = (None, None, None, f"{len(achievements)} achievement row(s) have no learner id")
            continue
        decision = creditrules.evaluate(library[STANDARD], {"id": key, "achievements": achievements}, AS_OF,
                                        trace=trace)  # type: ignore[arg-type]
        result[key] = (decision.total_credits, decision.to_json(trace=trace != "none", indent=None).rstrip("\n"),
                       len(decision.rejected), None)
    return result


# ---------------------------------------------------------------- a small local Spark


@pytest.fixture(scope="module")
def spark() -> Any:
    from pyspark.sql import SparkSession

    src = str(Path(creditrules.__file__).resolve().parents[1])  # the creditrules under test, for the workers
    env = {"PYSPARK_PYTHON": sys.executable, "PYSPARK_DRIVER_PYTHON": sys.executable}
    java = shutil.which("java")
    if not os.environ.get("JAVA_HOME") and java:
        env["JAVA_HOME"] = str(Path(java).resolve().parents[1])
    with pytest.MonkeyPatch.context() as patch:
        for key, value in env.items():
            patch.setenv(key, value)
        session = (SparkSession.builder.master("local[2]").appName("creditrules-test")
                   .config("spark.ui.enabled", "false")
                   .config("spark.sql.shuffle.partitions", "4")
                   .config("spark.sql.adaptive.enabled", "false")  # keep the four partitions, however small
                   .config("spark.sql.execution.arrow.maxRecordsPerBatch", "100")  # a learner across batches
                   .config("spark.default.parallelism", "2")
                   .config("spark.driver.memory", "1g")
                   .config("spark.executorEnv.PYTHONPATH", os.pathsep.join(filter(None, [
                       src, os.environ.get("PYTHONPATH", "")])))
                   .config("spark.sql.session.timeZone", "UTC")
                   .config("spark.ui.showConsoleProgress", "false")
                   .getOrCreate())
        session.sparkContext.setLogLevel("ERROR")
        yield session
        session.stop()


def frame(spark: Any, rows: list[dict[str, Any]]) -> Any:
    schema = ", ".join(f"{name} {kind}" for name, kind in FIELDS)
    return spark.createDataFrame([tuple(row[name] for name, _ in FIELDS) for row in rows], schema)


def test_spark_decides_as_one_machine(spark: Any) -> None:
    rows = province()
    result = evaluate_dataframe(frame(spark, rows), STANDARDS, STANDARD, AS_OF)
    assert tuple(result.columns) == COLUMNS
    plan = result._jdf.queryExecution().executedPlan().toString()
    assert "MapInPandas" in plan and "hashpartitioning(learner" in plan and "FlatMapGroupsInPandas" not in plan
    assert result.rdd.getNumPartitions() == 4
    got = {r["learner"]: (r["total"], r["decision"], r["rejected"], r["error"]) for r in result.collect()}
    expected = single_machine(rows)
    assert len(got) == len(expected) > 200
    assert got == expected
    decided = [json.loads(d) for _, d, _, _ in got.values() if d]
    assert sum(1 for d in decided if d["awards"]) > 100 and sum(1 for d in decided if d["rejected"]) > 10
    assert {d["trace_mode"] for d in decided} == {"compact"}


def test_standards_as_text_and_without_trace(spark: Any) -> None:
    rows = [r for r in province(learners=40, seed=11) if r["learner"] is not None]
    texts = {name: Path(name).read_text(encoding="utf-8") for name in standard_texts(STANDARDS)}
    result = evaluate_dataframe(frame(spark, rows).withColumnRenamed("learner", "who"), texts, STANDARD,
                                "2025-06-30", learner_col="who", trace="none")
    got = {r["learner"]: (r["total"], r["decision"], r["rejected"], r["error"]) for r in result.collect()}
    assert got == single_machine(rows, trace="none")


# ---------------------------------------------------------------- mistakes, found on the driver


def test_driver_side_mistakes(spark: Any) -> None:
    df = frame(spark, province(learners=3))
    with pytest.raises(creditrules.CreditRulesError) as caught:
        evaluate_dataframe(df, STANDARDS, "yrd-computer-app", AS_OF)
    assert str(caught.value) == "no standard 'yrd-computer-app' (did you mean 'yrd-computer-application'?)"
    with pytest.raises(creditrules.CreditRulesError) as caught:
        evaluate_dataframe(df, STANDARDS, STANDARD, AS_OF, learner_col="student")
    assert str(caught.value) == (
        "the DataFrame has no learner column 'student' (columns: learner, id, code, obtained, verified, level, "
        "tier, award, event, organizer, hours, score, credits); name it with learner_col=")
    with pytest.raises(creditrules.NoVersionInForce):
        evaluate_dataframe(df, STANDARDS, STANDARD, "1999-01-01")
    with pytest.raises(creditrules.StandardError):
        evaluate_dataframe(df, {"broken.yaml": "id: x\nversion: '1'\n"}, "x", AS_OF)
    with pytest.raises(creditrules.CreditRulesError) as caught:
        evaluate_dataframe(df, STANDARDS, STANDARD, AS_OF, trace="some")
    assert str(caught.value) == "trace must be one of full, compact, none, not 'some'"
    with pytest.raises(creditrules.CreditRulesError) as caught:
        evaluate_dataframe(df, ROOT / "no-such-folder", STANDARD, AS_OF)
    assert str(caught.value) == f"{ROOT / 'no-such-folder'}: no such file or folder"


def test_missing_extra_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)
    with pytest.raises(SparkUnavailable) as caught:
        decision_schema()
    assert str(caught.value) == MISSING.format(reason="import of pyspark.sql halted; None in sys.modules")
    assert str(caught.value).startswith("evaluate_dataframe needs the optional extra creditrules[spark] "
                                        "(pip install 'creditrules[spark]': pyspark, pandas and pyarrow)")


def test_workers_compile_text_to_the_same_standards() -> None:
    """Compiled from text in a temporary folder, rules keep the driver's file names and hashes."""
    texts = standard_texts(STANDARDS)
    library = _library(texts, "digest-for-test")
    assert _library(texts, "digest-for-test") is library  # once per process
    local = creditrules.compile_standards(STANDARDS)
    learner = creditrules.load_learner(ROOT / "examples" / "student-1x.yaml")
    assert (creditrules.evaluate(library[STANDARD], learner, AS_OF).to_json()
            == creditrules.evaluate(local[STANDARD], learner, AS_OF).to_json())


def test_cells_become_what_a_learner_file_holds() -> None:
    import numpy as np
    import pandas as pd

    from creditrules.spark import _plain

    cells = [None, "中级", True, np.bool_(False), np.int64(3), np.float64("nan"), float("nan"), pd.NaT, pd.NA,
             pd.Timestamp("2024-05-01 13:00"), date(2024, 1, 2), 4.5, np.array([1, 2])]
    assert [_plain(c) for c in cells] == [None, "中级", True, False, 3, None, None, None, None, date(2024, 5, 1),
                                          date(2024, 1, 2), 4.5, [1, 2]]
    assert type(_plain(np.bool_(True))) is bool and type(_plain(np.int64(3))) is int


# ---------------------------------------------------------------- a province, against creditrules batch

PROVINCE_LEARNERS = 2_000  # 1/10 of issue 12's 20,000 learners / 181,818 rows: the same shape, in CI time


def province_rows(folder: Path) -> tuple[list[str], list[dict[str, Any]], dict[str, str]]:
    """bench/province.py's rows (9.1 a learner, 5 % broken on purpose): the lines that are not JSON,
    and the rows, each value kept only where it fits its column's type (the type most rows give it)."""
    import subprocess

    source = folder / "province.jsonl"
    subprocess.run([sys.executable, str(ROOT / "bench" / "province.py"), "--output", str(source), "--learners",
                    str(PROVINCE_LEARNERS), "--achievements", str(round(PROVINCE_LEARNERS * 9.0909)), "--bad",
                    "0.05", "--seed", "12"], check=True, capture_output=True,
                   env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    broken, rows = [], []
    for line in source.read_text(encoding="utf-8").splitlines():
        try:
            rows.append(json.loads(line))
        except ValueError:
            broken.append(line)
    votes: dict[str, dict[str, int]] = {}
    for row in rows:
        for key, value in row.items():
            kind = {bool: "boolean", int: "bigint", float: "double", str: "string"}[type(value)]
            votes.setdefault(key, {}).setdefault(kind, 0)
            votes[key][kind] += 1
    types = {}
    for key, kinds in votes.items():
        types[key] = "double" if set(kinds) == {"bigint", "double"} else max(kinds, key=kinds.__getitem__)
    fitting = []
    for row in rows:
        fits = all(types[k] == {bool: "boolean", int: "bigint", float: "double", str: "string"}[type(v)]
                   or (types[k] == "double" and type(v) is int) for k, v in row.items())
        if fits:
            fitting.append({k: float(v) if types[k] == "double" else v for k, v in row.items()})
    return broken, fitting, types


def test_spark_agrees_with_creditrules_batch_on_a_province(spark: Any, tmp_path: Path) -> None:
    """Broken rows included (cut JSON, no learner, no date, bad dates, duplicate ids, refused values):
    every learner's decision is the same from Spark local[2] as from `creditrules batch` on 2 workers."""
    broken, rows, types = province_rows(tmp_path)
    source = tmp_path / "rows.jsonl"
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows) + "\n".join(broken) + "\n",
                      encoding="utf-8")
    library = creditrules.compile_standards(STANDARDS)
    summary = creditrules.evaluate_batch(source, library[STANDARD], output=tmp_path / "d.jsonl", as_of=AS_OF,
                                         workers=2)
    assert summary.ok and summary.rejected_by["read"] >= len(broken) > 10
    batch = {d["learner"]: d for d in map(json.loads, (tmp_path / "d.jsonl").read_text(encoding="utf-8").splitlines())}
    names = sorted(types)
    frame = spark.createDataFrame([tuple(row.get(n) for n in names) for row in rows],
                                  ", ".join(f"`{n}` {types[n]}" for n in names))
    result = evaluate_dataframe(frame, STANDARDS, STANDARD, AS_OF)
    got = {r["learner"]: json.loads(r["decision"]) for r in result.collect() if r["learner"] is not None}
    assert len(got) == len(batch) > PROVINCE_LEARNERS * 0.95
    differ = sorted(k for k in batch if got.get(k) != batch[k])
    assert differ == []
    duplicated = [d for d in batch.values() if any("is used by" in r["reason"] for r in d["rejected"])]
    assert duplicated  # the order-free duplicate rule was exercised

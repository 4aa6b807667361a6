"""Decide a whole province on Apache Spark: ``creditrules[spark]`` (pyspark, pandas, pyarrow).

::

    from creditrules.spark import evaluate_dataframe

    rows = spark.read.parquet("hdfs:///bank/achievements")   # one achievement per row
    decisions = evaluate_dataframe(rows, "standards/", "yrd-computer-application", "2025-06-30")
    decisions.write.parquet("hdfs:///bank/decisions")

The input holds one achievement per row: a learner-id column (``learner`` by default)
and the keys of an achievement in a learner file as columns (``id``, ``code``,
``obtained``, ``verified``, ``issuer``, ``region`` and any attribute such as ``level`` or
``hours``). A null cell is an absent key. Rows of one learner may be anywhere.

The result has one row per learner (schema :data:`DECISION_SCHEMA`):

==============  =======  ==============================================================
``learner``     string   the learner id, as text
``total``       double   converted credits
``decision``    string   the decision as one line of JSON, as ``Decision.to_json`` writes
                         it (without the trace when ``trace="none"``); null on error
``rejected``    int      achievements rejected as unusable (they are listed in the JSON)
``error``       string   why the learner could not be decided at all, else null
==============  =======  ==============================================================

How it runs: ``df.repartition(learner_col).mapInPandas(...)`` puts every row of a
learner in one partition (``groupBy().applyInPandas`` was measured about 30× slower),
and each partition groups its rows by learner. The standards travel to the workers as
text; each Python worker writes them to a temporary folder and compiles them once,
keeping the compiled library in a module global for every later task. Before anything
is shipped, the driver compiles the same text and checks the standard is in force on
``as_of``, so a bad standard fails at once, on the driver, with its usual message.

Decisions are the same as :func:`creditrules.evaluate` on one machine: the compiled
rules keep the file names the driver read (so the trace's ``origin`` agrees), and a
learner's rows are put in order of achievement id before evaluation and ids shared by
several rows follow the order-free rule of :func:`creditrules.learner.parse_achievements`,
so the decision never depends on the order a shuffle delivers rows in, and is the one
``creditrules batch`` writes (``tests/test_spark.py`` compares them on a province). A worker's memory holds one
partition's rows at a time: use enough partitions (``spark.sql.shuffle.partitions``).
Workers need creditrules (and this extra) installed, like any Python dependency.
"""

from __future__ import annotations

import hashlib
import json
import math
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import replace
from datetime import date, datetime
from functools import partial
from pathlib import Path, PurePath
from typing import Any

from .compiler import CompiledLibrary, compile_library
from .errors import CreditRulesError
from .evaluator import TRACE_MODES, evaluate, parse_day
from .loader import StandardLibrary, discover, load

MISSING = ("evaluate_dataframe needs the optional extra creditrules[spark] "
           "(pip install 'creditrules[spark]': pyspark, pandas and pyarrow); Spark also needs Java 17 or later. "
           "Import failed: {reason}")

COLUMNS = ("learner", "total", "decision", "rejected", "error")
OUTPUT_BATCH = 1024  # learners per output batch a worker hands back to Spark

_LIBRARIES: dict[str, CompiledLibrary] = {}  # per worker process: text digest → compiled library


class SparkUnavailable(CreditRulesError):
    """pyspark, pandas or pyarrow is not installed (the ``creditrules[spark]`` extra)."""


def decision_schema() -> Any:
    """The Spark schema of :func:`evaluate_dataframe`'s result."""
    types = _pyspark_types()
    return types.StructType([
        types.StructField("learner", types.StringType(), True),
        types.StructField("total", types.DoubleType(), True),
        types.StructField("decision", types.StringType(), True),
        types.StructField("rejected", types.IntegerType(), True),
        types.StructField("error", types.StringType(), True),
    ])


def evaluate_dataframe(df: Any, standards_text: Mapping[str, str] | str | Path, standard_id: str,
                       as_of: date | str, learner_col: str = "learner", trace: str = "compact") -> Any:
    """Decide every learner of ``df`` under ``standard_id`` on ``as_of``: a DataFrame of decisions.

    ``standards_text`` is a folder or file of standards (read on the driver) or a
    mapping of file name → YAML text; it must hold ``standard_id`` and every standard it
    extends or uses. ``trace`` is ``full``, ``compact`` (default) or ``none``, as for
    :func:`creditrules.evaluate`. Raises SparkUnavailable without the extra,
    StandardError for standards that do not compile, NoVersionInForce when no version is
    in force on ``as_of``, CreditRulesError for a missing standard, column or bad option.
    Nothing runs until an action (``write``, ``collect``…) is called on the result.
    """
    schema = decision_schema()
    if trace not in TRACE_MODES:
        raise CreditRulesError(f"trace must be one of {', '.join(TRACE_MODES)}, not '{trace}'")
    day = parse_day(as_of)
    if learner_col not in df.columns:
        raise CreditRulesError(f"the DataFrame has no learner column '{learner_col}' "
                               f"(columns: {', '.join(df.columns)}); name it with learner_col=")
    texts = standard_texts(standards_text)
    digest = _digest(texts)
    library = _library(texts, digest)  # on the driver: a bad standard fails here, not in a task
    try:
        standard = library[standard_id]
    except KeyError as exc:
        raise CreditRulesError(exc.args[0]) from None
    standard.ruleset_for(day)
    task = partial(_decide_partition, texts=texts, digest=digest, standard_id=standard_id,
                   as_of=day.isoformat(), learner_col=learner_col, trace=trace)
    return df.repartition(learner_col).mapInPandas(task, schema)


def standard_texts(source: Mapping[str, str] | str | Path) -> dict[str, str]:
    """File name → text of every standard file under a folder or file (as ``compile_standards``
    finds them), or the mapping itself. Bytes that are not UTF-8 survive the trip
    (``surrogateescape``), so a worker compiles exactly the bytes the driver read."""
    if isinstance(source, Mapping):
        texts = {str(name): text for name, text in source.items()}
        bad = sorted(name for name, text in texts.items() if not isinstance(text, str))
        if bad:
            raise CreditRulesError(f"standards_text['{bad[0]}'] must be the YAML text of a standard file")
        if not texts:
            raise CreditRulesError("standards_text is empty; give a folder of standards or file name → YAML text")
        return texts
    files, problems = discover([source])
    if problems:
        raise CreditRulesError(f"{problems[0].path}: {problems[0].message}")
    if not files:
        raise CreditRulesError(f"{source}: no standard files (*.yaml) found")
    return {str(path): path.read_bytes().decode("utf-8", "surrogateescape") for path in files}


def _digest(texts: Mapping[str, str]) -> str:
    hasher = hashlib.sha256()
    for name in sorted(texts):
        hasher.update(json.dumps([name, texts[name]], ensure_ascii=True).encode("ascii"))
    return hasher.hexdigest()


def _library(texts: Mapping[str, str], digest: str) -> CompiledLibrary:
    """Compile the standards once per process: write them to a temporary folder, load them
    under their own names (so rule origins read as on the driver), compile."""
    library = _LIBRARIES.get(digest)
    if library is None:
        names = sorted(texts, key=PurePath)  # the order compile_standards discovers files in
        with tempfile.TemporaryDirectory(prefix="creditrules-") as folder:
            written: dict[str, str] = {}
            for index, name in enumerate(names):
                path = Path(folder) / f"{index:05d}.yaml"
                path.write_bytes(texts[name].encode("utf-8", "surrogateescape"))
                written[str(path)] = name
            loaded = load(list(written))
            library = compile_library(StandardLibrary(tuple(replace(f, path=written[f.path])
                                                            for f in loaded.files)))
        _LIBRARIES.clear()  # one set of standards at a time is what a job ships
        _LIBRARIES[digest] = library
    return library


# ---------------------------------------------------------------- on the workers


def _decide_partition(batches: Iterator[Any], *, texts: dict[str, str], digest: str, standard_id: str,
                      as_of: str, learner_col: str, trace: str) -> Iterator[Any]:
    """mapInPandas: every batch of one partition in, one row per learner out."""
    import pandas as pd

    standard = _library(texts, digest)[standard_id]
    groups: dict[Any, list[dict[str, Any]]] = {}
    for frame in batches:
        for row in frame.to_dict("records"):
            key = _plain(row.pop(learner_col, None))
            groups.setdefault(key, []).append({k: v for k, v in ((k, _plain(v)) for k, v in row.items())
                                               if v is not None})
    rows: list[tuple[Any, ...]] = []
    for key in sorted(groups, key=lambda k: (k is None, str(k))):
        rows.append(_decide(standard, key, groups.pop(key), as_of, trace))
        if len(rows) == OUTPUT_BATCH:
            yield pd.DataFrame(rows, columns=list(COLUMNS))
            rows = []
    if rows:
        yield pd.DataFrame(rows, columns=list(COLUMNS))


def _decide(standard: Any, key: Any, achievements: list[dict[str, Any]], as_of: str,
            trace: str) -> tuple[Any, ...]:
    if key is None:
        return (None, None, None, None, f"{len(achievements)} achievement row(s) have no learner id")
    achievements.sort(key=lambda a: (str(a.get("id")), json.dumps(a, sort_keys=True, ensure_ascii=False,
                                                                   default=str)))
    learner = {"id": key if isinstance(key, (str, int)) and not isinstance(key, bool) else str(key),
               "achievements": achievements}
    try:
        decision = evaluate(standard, learner, as_of, trace=trace)  # type: ignore[arg-type]
    except CreditRulesError as exc:
        return (str(key), None, None, None, str(exc))
    text = decision.to_json(trace=trace != "none", indent=None).rstrip("\n")
    return (str(key), float(decision.total), text, len(decision.rejected), None)


def _plain(value: Any) -> Any:
    """A cell as a learner file would hold it: None for null (None, NaN, NaT, NA), Python
    scalars for numpy ones, a date for a timestamp; lists and text as they are."""
    if value is None or isinstance(value, (str, bool, list, dict)):
        return value
    if type(value).__module__ == "numpy":
        value = value.item() if getattr(value, "ndim", 0) == 0 else value.tolist()
        return _plain(value) if not isinstance(value, list) else value
    if type(value).__module__.startswith("pandas") and _is_null(value):  # NaT, NA
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, datetime):  # pandas Timestamp too
        return value.date()
    return value


def _is_null(value: Any) -> bool:
    import pandas as pd

    return bool(pd.isna(value))


def _pyspark_types() -> Any:
    try:
        import pandas  # noqa: F401
        import pyarrow  # noqa: F401
        from pyspark.sql import types
    except ImportError as exc:
        raise SparkUnavailable(MISSING.format(reason=exc)) from None
    return types


__all__ = ["COLUMNS", "MISSING", "SparkUnavailable", "decision_schema", "evaluate_dataframe", "standard_texts"]

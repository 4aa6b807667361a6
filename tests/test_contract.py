"""The contract for systems (issue 10 §1): the decision JSON has a schema, a format version and a
way back into a ``Decision``; credits are exact ``Decimal`` credits at the surface."""

from __future__ import annotations

import contextlib
import copy
import json
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

import creditrules
import strategies as S
from cli_run import run
from creditrules import Decision, DecisionFormatError
from creditrules.cases import iter_cases, learner_of
from creditrules.decision_format import FORMAT_VERSION
from creditrules.schema import OUTPUT_SCHEMAS, schema_text

ROOT = Path(__file__).resolve().parents[1]
STANDARDS = ROOT / "standards"
SCHEMAS = ROOT / "schema"


@pytest.fixture(scope="module")
def library() -> creditrules.CompiledLibrary:
    return creditrules.compile_standards(STANDARDS)


@cache
def validator(name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((SCHEMAS / OUTPUT_SCHEMAS[name][0]).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def assert_fits(name: str, data: Any) -> None:
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator(name).iter_errors(data)]
    assert errors == [], errors[:5]


def assert_round_trips(decision: Decision) -> None:
    for trace in (True, False):
        text = decision.to_json(trace=trace)
        back = Decision.from_json(text)
        assert back.to_json(trace=trace) == text
        if trace:
            assert back == decision
        assert Decision.from_dict(json.loads(text)).to_json(trace=trace) == text
        assert_fits("decision", json.loads(text))
    assert Decision.from_dict(decision.to_dict()) == decision  # the dict form, floats and all


def sample_decisions(library: creditrules.CompiledLibrary) -> list[tuple[str, Decision]]:
    """Every decision case beside the sample standards, and every example learner under every
    evaluable sample standard on every version's first day, in every trace mode."""
    found = []
    for case in iter_cases(STANDARDS):
        decision = creditrules.evaluate(library[case.standard], learner_of(case), case.as_of)
        found.append((f"{Path(case.file).name}:{case.line}", decision))
    learners = [creditrules.load_learner(path) for path in sorted((ROOT / "examples").glob("*.yaml"))]
    for standard in library.standards.values():
        if not standard.segments or standard.segments[0].kind == "base":
            continue
        for segment in standard.segments:
            for learner in learners:
                for mode in ("full", "compact", "none"):
                    decision = creditrules.evaluate(standard, learner, segment.effective_from, trace=mode)
                    found.append((f"{standard.id} {segment.version} {learner.id} {mode}", decision))
    return found


# ---------------------------------------------------------------- the schemas


@pytest.mark.parametrize("name", sorted(OUTPUT_SCHEMAS))
def test_committed_output_schemas_are_in_sync_with_the_types(name):
    file = SCHEMAS / OUTPUT_SCHEMAS[name][0]
    assert file.read_text(encoding="utf-8") == schema_text(name), (
        f"schema/{file.name} is stale; regenerate it with 'creditrules schema --{name} --output schema/{file.name}'")


@pytest.mark.parametrize("name", sorted(OUTPUT_SCHEMAS))
def test_cli_prints_each_output_schema(name):
    assert run("schema", f"--{name}") == (0, schema_text(name), "")


def test_cli_schema_flags_exclude_each_other():
    code, out, err = run("schema", "--decision", "--reject")
    assert (code, out) == (2, "")
    assert err == "creditrules schema: argument --reject: not allowed with argument --decision\n"


def test_the_decision_schema_pins_the_format_version():
    schema = json.loads(schema_text("decision"))
    assert schema["properties"]["format_version"]["const"] == FORMAT_VERSION
    assert schema["required"][0] == "format_version"
    assert schema["additionalProperties"] is False


def test_every_sample_decision_fits_the_schema_and_reads_back(library):
    decisions = sample_decisions(library)
    assert len(decisions) > 50
    for label, decision in decisions:
        try:
            assert_round_trips(decision)
        except AssertionError as exc:
            raise AssertionError(f"{label}: {exc}") from None


def test_format_version_is_the_first_key_of_every_decision(library):
    decision = creditrules.evaluate(library["yrd-computer-application"],
                                    creditrules.load_learner(ROOT / "examples" / "student-1x.yaml"), "2025-06-30")
    assert decision.to_json().startswith('{\n  "format_version": "1.0",\n  "learner": "S-2024-0001",\n')
    assert next(iter(decision.to_dict(trace=False))) == "format_version"


def _shared_budget_groups(library: creditrules.CompiledLibrary) -> list[list[creditrules.CompiledStandard]]:
    """The sample conversion standards that declare the same shared budget: what evaluate_many decides together."""
    from creditrules.limits import BudgetLimit

    groups: dict[str, list[creditrules.CompiledStandard]] = {}
    for standard in library.standards.values():
        if not standard.segments or standard.segments[-1].kind != "conversion":
            continue
        for limit, _ in standard.segments[-1].limits.award_limits:
            if isinstance(limit, BudgetLimit):
                groups.setdefault(limit.budget, []).append(standard)
    return [group for _, group in sorted(groups.items()) if len(group) > 1]


def test_decisions_of_evaluate_many_read_back_exactly(library):
    groups = _shared_budget_groups(library)
    assert groups, "the samples have standards sharing a budget"
    for group in groups:
        ids = {s.id for s in group}
        learners = [learner_of(case) for case in iter_cases(STANDARDS) if case.standard in ids]
        learners += [creditrules.load_learner(path) for path in sorted((ROOT / "examples").glob("*.yaml"))]
        for learner in learners:
            for mode in ("full", "compact", "none"):
                for decision in creditrules.evaluate_many(group, learner, "2025-06-30", trace=mode):
                    try:
                        assert_round_trips(decision)
                    except AssertionError as exc:
                        raise AssertionError(f"{sorted(ids)} {mode}: {exc}") from None


# every key the merged branches added to the decision (tables, tools, context, evaluate_many): the samples
# write each, so the round trip above covers each
ADDED_KEYS = [
    ".unit.en_one", ".eligibility[].ok", ".unused[].eligibility_failed", ".unused[].excluded_by[].failed",
    ".unused[].candidate.excluded_by.history.status", ".trace[].candidates[].excluded_by.history.course",
    ".trace[].candidates[].also_limits[].limit.kind", ".unused[].candidate.also_limits", ".trace[].requires",
    ".trace[].tally.course", ".trace[].candidates[].tally.course",
]
ADDED_VALUES = [
    (".unused[].reason", "excluded"), (".unused[].reason", "not-eligible"), (".trace[].result", "not-eligible"),
    (".trace[].candidates[].outcome", "excluded"), (".trace[].candidates[].limit.limit.kind", "category-count"),
    (".trace[].candidates[].limit.limit.kind", "budget"),
]


def test_the_sample_decisions_write_every_key_the_format_gained(library):
    keys: set[str] = set()
    values: set[tuple[str, Any]] = set()

    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                keys.add(f"{path}.{key}")
                if isinstance(value, str):
                    values.add((f"{path}.{key}", value))
                walk(value, f"{path}.{key}")
        elif isinstance(node, list):
            for value in node:
                walk(value, f"{path}[]")

    for _, decision in sample_decisions(library):
        walk(decision.to_dict(), "")
    assert [k for k in ADDED_KEYS if k not in keys] == []
    assert [v for v in ADDED_VALUES if v not in values] == []


def test_batch_rows_fit_their_schemas(library, tmp_path):
    rows = tmp_path / "rows.jsonl"
    records = [
        {"learner": "L1", "id": "A1", "code": "X-WEB", "level": "中级", "obtained": "2024-06-15", "verified": True},
        {"learner": "L1", "id": "A2", "code": "COMP-VOC", "tier": "省级", "award": "二等奖", "event": "云计算赛项",
         "organizer": "government", "obtained": "2024-05-01", "verified": True},
        {"learner": "L2", "id": "B1", "code": "X-WEB", "level": "中级", "obtained": "2030-01-01", "verified": True},
        {"learner": "L2", "id": "B2", "code": "X-WEB"},
    ]
    rows.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n{not json\n",
                    encoding="utf-8")
    out, rejects, awards = tmp_path / "d.jsonl", tmp_path / "r.jsonl", tmp_path / "a.csv"
    summary = creditrules.evaluate_batch(str(rows), library["yrd-computer-application"], output=str(out),
                                         as_of="2025-06-30", rejects=str(rejects), awards_csv=str(awards), workers=1)
    assert summary.adds_up
    decisions = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [d["learner"] for d in decisions] == ["L1", "L2"]
    for data in decisions:
        assert_fits("decision", data)
        assert Decision.from_dict(data).to_dict(trace="trace" in data) == data
    reject_rows = [json.loads(line) for line in rejects.read_text(encoding="utf-8").splitlines()]
    assert len(reject_rows) >= 2
    for data in reject_rows:
        assert next(iter(data)) == "format_version"
        assert_fits("reject", data)
    import csv

    with awards.open(encoding="utf-8-sig", newline="") as handle:
        award_rows = list(csv.DictReader(handle, quoting=csv.QUOTE_NONNUMERIC))
    assert award_rows and all(row["format_version"] == FORMAT_VERSION for row in award_rows)
    for row in award_rows:
        assert_fits("award", {k: (int(v) if isinstance(v, float) and v.is_integer() else v) for k, v in row.items()})


# ---------------------------------------------------------------- reading back


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large])
@given(S.cases())
def test_decisions_of_random_learners_read_back_exactly(case):
    standard, learner = case
    note("standard:\n" + S.dump_yaml(standard))
    note("learner:\n" + S.dump_yaml(learner))
    compiled = S.compile_in_memory(standard)
    for mode in ("full", "compact", "none"):
        decision = creditrules.evaluate(compiled, copy.deepcopy(learner), S.AS_OF, trace=mode)
        assert_round_trips(decision)


@pytest.fixture(scope="module")
def sample_json(library) -> str:
    decision = creditrules.evaluate(library["yrd-computer-application"],
                                    creditrules.load_learner(ROOT / "examples" / "student-1x.yaml"), "2025-06-30")
    return decision.to_json()


def _changed(text: str, change) -> dict[str, Any]:
    data = json.loads(text)
    change(data)
    return data


def _problems(data: Any) -> str:
    read = Decision.from_json if isinstance(data, (str, bytes)) else Decision.from_dict
    with pytest.raises(DecisionFormatError) as caught:
        read(data)
    assert str(caught.value) == "decision JSON: " + "; ".join(caught.value.problems)
    return str(caught.value)


def test_from_json_refuses_what_is_not_json():
    assert _problems("{") == ("decision JSON: not JSON: Expecting property name enclosed in double quotes: "
                              "line 1 column 2 (char 1)")
    assert _problems(b"\xff{}") == "decision JSON: not UTF-8 text (invalid start byte at byte 0)"
    assert _problems("[1, 2]") == "decision JSON: a decision is a JSON object, not [1, 2]"


def test_from_json_refuses_other_format_versions():
    assert _problems('{"learner": "L1"}') == (
        "decision JSON: format_version: missing; this is not a decision of format 1.0 (decisions written before "
        "format versions existed cannot be read back; decide them again)")
    assert _problems('{"format_version": "1.1"}') == (
        "decision JSON: format_version: '1.1' is newer than this creditrules reads (1.0); upgrade creditrules")
    assert _problems('{"format_version": "2.0"}') == (
        "decision JSON: format_version: '2.0' is not a format this creditrules reads (it reads 1.0)")
    assert _problems('{"format_version": 1}') == (
        "decision JSON: format_version: 1 is newer than this creditrules reads (1.0); upgrade creditrules")


def test_from_dict_locates_every_problem_of_the_shape(sample_json):
    def change(data: dict[str, Any]) -> None:
        del data["learner"]
        data["awards"][0]["credits"] = "4"
        data["awards"][1]["grade"] = 5
        data["unused"][0]["reason"] = "bad-luck"
        data["colour"] = "blue"

    assert _problems(_changed(sample_json, change)) == (
        "decision JSON: learner: required, but missing; awards[0].credits: must be a number, not '4'; "
        "awards[1].grade: Input should be a valid string, not 5; "
        "unused[0].reason: Input should be 'unknown-code', 'no-rule', 'conditions', 'too-little', 'conflict', "
        "'limit', 'not-best', 'excluded' or 'not-eligible', not 'bad-luck'; colour: not a key of format 1.0")


def test_from_dict_names_a_limit_kind_it_does_not_know(sample_json):
    def change(data: dict[str, Any]) -> None:
        data["unused"][1]["candidate"]["limit"]["limit"] = {"kind": "moon", "phase": "full"}

    assert _problems(_changed(sample_json, change)) == (
        "decision JSON: unused[1].candidate.limit.limit.kind: 'moon' is not one of 'total', 'category', 'rule', "
        "'rule-uses', 'achievement', 'kind-count', 'group', 'category-count', 'rule-group', 'rule-group-count', "
        "'budget'")


def test_from_dict_refuses_a_target_of_no_known_form(sample_json):
    def change(data: dict[str, Any]) -> None:
        data["trace"][0]["candidates"][0]["target"] = {"room": "B201"}

    assert _problems(_changed(sample_json, change)) == (
        "decision JSON: trace[0].candidates[0].target: not one of the forms allowed here "
        "({courses}, {outcome}, {category})")


def test_from_dict_refuses_credits_finer_than_hundredths_and_bad_days(sample_json):
    def change(data: dict[str, Any]) -> None:
        data["total"] = Decimal("19.505")
        data["as_of"] = "2025-02-30"
        data["by_category"]["core"] = 1e-9

    assert _problems(_changed(sample_json, change)) == (
        "decision JSON: as_of: '2025-02-30' is not a day (YYYY-MM-DD); "
        "total: Decimal('19.505') is not a whole number of hundredths of a credit; "
        "by_category.core: 1e-09 is not a whole number of hundredths of a credit")


def test_from_dict_refuses_derived_values_that_disagree(sample_json):
    def change(data: dict[str, Any]) -> None:
        data["application"]["remaining"] = 1
        data["trace"][0]["result"] = "no-match"
        data["awards"][0]["asked"] = 4

    assert _problems(_changed(sample_json, change)) == (
        "decision JSON: application.remaining: does not follow from the rest (it should be 120.5); "
        "awards[0].asked: present exactly when capped_by is; "
        "trace[0].result: does not follow from the rest (it should be 'awarded')")


def test_from_dict_needs_trace_and_trace_mode_together(sample_json):
    def change(data: dict[str, Any]) -> None:
        del data["trace_mode"]

    assert _problems(_changed(sample_json, change)) == (
        "decision JSON: trace: 'trace' and 'trace_mode' come together, or neither")


def test_a_decision_without_its_trace_reads_back_as_trace_mode_none(sample_json):
    decision = Decision.from_json(sample_json)
    text = decision.to_json(trace=False)
    back = Decision.from_json(text)
    assert (back.trace_mode, back.trace) == ("none", ())
    assert back.to_json(trace=False) == text


# ---------------------------------------------------------------- credits are Decimal at the surface


def test_credits_are_exact_decimals_in_python_and_numbers_in_json(sample_json):
    decision = Decision.from_json(sample_json)
    assert decision.total == Decimal("19.5") and type(decision.total) is Decimal
    assert decision.total_cap == Decimal(50)
    assert decision.by_category == {"core": Decimal(11), "elective": Decimal("4.5"), "foundation": Decimal(4)}
    assert [a.credits for a in decision.awards] == [Decimal(4), Decimal(4), Decimal(4), Decimal(3), Decimal(2),
                                                    Decimal("2.5")]
    assert decision.awards[0].course_credits == {"C101": Decimal(4)}
    assert decision.application is not None
    assert (decision.application.credited, decision.application.remaining) == (Decimal("19.5"), Decimal("120.5"))
    assert decision.application.categories[2].remaining == Decimal("15.5")
    tally = decision.awards[-1].tally
    assert tally is not None and (tally.amount, tally.credits) == (Decimal(40), Decimal("2.5"))
    limit = decision.unused[1].candidate.limit
    assert limit is not None and (limit.maximum, limit.room, limit.asked) == (1, 0, 1)  # a counted limit: counts
    data = json.loads(sample_json)
    assert (data["total"], data["awards"][-1]["credits"], data["total_cap"]) == (19.5, 2.5, 50)
    assert decision.total_centi == 1950  # the engine's hundredths, for code that needs them


def test_mypy_refuses_credits_as_float(tmp_path):
    """``total: float = decision.total`` was accepted when credits were ints; a Decimal is no float."""
    from mypy import api

    snippet = tmp_path / "use.py"
    snippet.write_text(
        "from decimal import Decimal\n"
        "import creditrules\n"
        "def f(decision: creditrules.Decision) -> None:\n"
        "    exact: Decimal = decision.total\n"
        "    total: float = decision.total\n"
        "    award: float = decision.awards[0].credits\n", encoding="utf-8")
    out, _, status = api.run(["--no-incremental", "--cache-dir", str(tmp_path / "cache"),
                              "--config-file", str(ROOT / "pyproject.toml"), "--follow-imports", "silent",
                              "--python-version", "3.11", str(snippet)])
    errors = sorted(line.split(": error: ")[1] for line in out.splitlines() if ": error: " in line)
    assert errors == [
        'Incompatible types in assignment (expression has type "Decimal", variable has type "float")  [assignment]',
        'Incompatible types in assignment (expression has type "Decimal", variable has type "float")  [assignment]',
    ], out
    assert status == 1


# ---------------------------------------------------------------- types, immutability, errors


def test_round_trip_of_a_decision_with_certified_outcomes_and_rejections(library):
    for case in iter_cases(STANDARDS):
        decision = creditrules.evaluate(library[case.standard], learner_of(case), case.as_of)
        if decision.outcomes and decision.rejected:
            break
    else:  # pragma: no cover - the samples have one
        pytest.fail("no sample decision with both certified outcomes and rejected records")
    assert Decision.from_json(decision.to_json()) == decision


def test_a_rejection_without_chinese_reads_back_equal():
    rejection = creditrules.Rejection("A1", None, "no reason in Chinese")
    assert rejection.reason_zh == "no reason in Chinese"
    assert rejection.to_dict()["reason_zh"] == "no reason in Chinese"


def test_as_of_day_is_a_date(sample_json):
    assert Decision.from_json(sample_json).as_of == date(2025, 6, 30)


# ---------------------------------------------------------------- the public API's types

# Types reachable from public signatures that are deliberately not exported, each with why.
INTERNAL = {
    "creditrules.plan.Plan": "CompiledRuleset.plan: the engine's index of a ruleset, rebuilt as the engine changes",
    "creditrules.plan.RulePlan": "the same index, per rule",
    "creditrules.model.Standard": "SourceFile.standard: the parsed file; the format is schema/standard.schema.json",
    "creditrules._yaml.Positioned": "SourceFile.positioned: YAML positions, for messages",
    "creditrules.limits.RuleLike": "AwardLimit.charged: the engine's side of a kind of award limit (the plan calls it)",
    "creditrules.limits.Problem": "AwardLimit.compile: the engine's side of a kind of award limit (the compiler calls it)",
}


def _types_in(annotation: Any):
    import typing

    if annotation is None:
        return
    yield annotation
    for arg in typing.get_args(annotation):
        yield from _types_in(arg)


def public_types() -> dict[type, str]:
    """Every creditrules class in a public signature, property or dataclass field, walked from
    ``__all__`` (and from each class found): where it was first seen."""
    import dataclasses
    import functools
    import inspect
    import typing

    found: dict[type, str] = {}
    todo = [getattr(creditrules, name) for name in creditrules.__all__ if name != "__version__"]
    walked: set[int] = set()

    def note(annotation: Any, where: str) -> None:
        for kind in _types_in(annotation):
            if isinstance(kind, type) and kind.__module__.startswith("creditrules") and kind not in found:
                found[kind] = where
                todo.append(kind)

    def hints(obj: Any) -> dict[str, Any]:
        return typing.get_type_hints(obj)

    while todo:
        obj = todo.pop()
        if id(obj) in walked:
            continue
        walked.add(id(obj))
        if not inspect.isclass(obj):
            if callable(obj):
                for name, annotation in hints(obj).items():
                    note(annotation, f"{obj.__name__}({name})")
            continue
        if obj.__module__ == "creditrules.decision_format" or f"{obj.__module__}.{obj.__name__}" in INTERNAL:
            continue  # TypedDicts: plain JSON, walked by the schema; internal types: not walked
        if dataclasses.is_dataclass(obj):
            for name, annotation in hints(obj).items():
                if not name.startswith("_"):
                    note(annotation, f"{obj.__name__}.{name}")
        for name in dir(obj):
            if name.startswith("_") and name != "__init__":
                continue
            static = inspect.getattr_static(obj, name)
            if isinstance(static, property) and static.fget is not None:
                note(hints(static.fget).get("return"), f"{obj.__name__}.{name}")
            elif isinstance(static, functools.cached_property):
                note(hints(static.func).get("return"), f"{obj.__name__}.{name}")
            elif isinstance(static, (staticmethod, classmethod)) or inspect.isfunction(static):
                function = static.__func__ if isinstance(static, (staticmethod, classmethod)) else static
                if (function.__module__ or "").startswith("creditrules"):
                    for param, annotation in hints(function).items():
                        note(annotation, f"{obj.__name__}.{name}({param})")
    return found


def test_every_type_in_a_public_signature_is_exported():
    import creditrules.decision_format as decision_format

    missing = []
    for kind, where in public_types().items():
        if getattr(creditrules, kind.__name__, None) is kind:
            continue
        if kind.__module__ == "creditrules.decision_format" and kind.__name__ in decision_format.__all__:
            continue  # the JSON's own types, public in creditrules.decision_format
        if f"{kind.__module__}.{kind.__name__}" in INTERNAL:
            continue
        missing.append(f"{kind.__module__}.{kind.__name__} (in {where})")
    assert missing == []


def test_all_names_are_unique_and_exist():
    assert len(set(creditrules.__all__)) == len(creditrules.__all__)  # sorted: tests/test_api.py
    assert all(hasattr(creditrules, name) for name in creditrules.__all__)


def test_the_walk_sees_the_decision_types():
    found = public_types()
    for kind in (creditrules.Tally, creditrules.Limit, creditrules.CourseInfo, creditrules.LimitKind,
                 creditrules.ConditionResult, creditrules.Rejection):
        assert kind in found


# ---------------------------------------------------------------- compiled standards are immutable


def test_compiled_standards_refuse_every_change(library):
    import dataclasses

    import networkx as nx

    standard = library["yrd-computer-application"]
    ruleset = standard.segments[0]
    message = "a compiled standard is read-only: compile a changed standard instead"
    assert ruleset.program is not None
    mappings = [ruleset.scales, ruleset.kinds, ruleset.catalog, ruleset.aliases, ruleset.by_code,
                ruleset.program.courses, ruleset.program.categories, ruleset.limits.categories,
                ruleset.limits.kind_counts, next(iter(ruleset.kinds.values())).attributes,
                next(iter(ruleset.scales.values())).ranks, library.standards]
    for mapping in mappings:
        key = next(iter(mapping), "x")
        for change in (lambda m: m.__setitem__("new", 1), lambda m, k=key: m.__delitem__(k), lambda m: m.clear(),
                       lambda m, k=key: m.pop(k), lambda m: m.popitem(), lambda m: m.setdefault("new", 1),
                       lambda m: m.update(new=1), lambda m: m.__ior__({"new": 1})):
            with pytest.raises(TypeError) as caught:
                change(mapping)
            assert str(caught.value) == message
    for owner, field in ((ruleset, "rules"), (standard, "segments"), (ruleset.rules[0], "credits"),
                         (ruleset.program, "courses"), (ruleset.limits, "total"), (library, "standards")):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(owner, field, None)
    for graph in (standard.graph, library.graph):
        with pytest.raises(nx.NetworkXError, match="Frozen graph can't be modified"):
            graph.add_node("new")
    assert isinstance(ruleset.rules, tuple) and isinstance(ruleset.rules[0].slots, tuple)


def test_a_compiled_standard_still_pickles_and_copies(library):
    import copy as copying
    import pickle

    standard = library["yrd-computer-application"]
    again = pickle.loads(pickle.dumps(standard))
    assert again.segments == standard.segments
    assert type(again.segments[0].catalog) is creditrules.FrozenDict
    with pytest.raises(TypeError):
        again.segments[0].catalog["new"] = 1  # type: ignore[index]
    assert copying.deepcopy(standard.segments[0]).catalog == standard.segments[0].catalog


# ---------------------------------------------------------------- a missing standard


def test_a_missing_standard_is_the_librarys_own_error_with_did_you_mean(library):
    with pytest.raises(creditrules.UnknownStandard) as caught:
        library["yrd-computer-aplication"]
    assert str(caught.value) == "no standard 'yrd-computer-aplication' (did you mean 'yrd-computer-application'?)"
    assert isinstance(caught.value, KeyError) and isinstance(caught.value, creditrules.CreditRulesError)
    with pytest.raises(KeyError) as caught:
        library["nothing-like-it"]
    assert str(caught.value) == "no standard 'nothing-like-it'"


def test_the_cli_reports_a_missing_standard_with_did_you_mean():
    code, out, err = run("evaluate", "--standards", str(STANDARDS), "--standard", "yrd-computer-aplication",
                         "--learner", str(ROOT / "examples" / "student-1x.yaml"), "--as-of", "2025-06-30")
    assert (code, out) == (2, "")
    assert err == ("creditrules: --standard: no standard 'yrd-computer-aplication' "
                   "(did you mean 'yrd-computer-application'?)\n")


# ---------------------------------------------------------------- the example


def _example():
    import importlib.util

    spec = importlib.util.spec_from_file_location("read_decision", ROOT / "examples" / "read_decision.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_example_reads_a_decision_back(tmp_path, capsys):
    example = _example()
    assert example.main([]) == 0
    assert capsys.readouterr().out.splitlines()[:2] == [
        "S-2024-0001: 19.5 credits (format 1.0, engine 0.1.0, yrd-computer-application 2024.1)",
        "  web-foundation: 4 credits"]
    bad = tmp_path / "bad.json"
    bad.write_text('{"format_version": "1.0", "learner": 7}', encoding="utf-8")
    assert example.main([str(bad)]) == 1
    assert capsys.readouterr().out.splitlines()[:2] == ["schema: learner: 7 is not of type 'string'",
                                                        "schema: : 'standard' is a required property"]


def test_from_dict_refuses_a_count_that_is_not_whole_and_a_stray_placed(sample_json):
    def change(data: dict[str, Any]) -> None:
        data["unused"][1]["candidate"]["limit"]["room"] = Decimal("0.5")
        data["unused"][1]["candidate"]["placed"] = 2

    assert _problems(_changed(sample_json, change)) == (
        "decision JSON: unused[1].candidate.placed: present exactly when the outcome is awarded or capped; "
        "unused[1].candidate.limit.room: a counted limit takes whole numbers, not Decimal('0.5')")


def test_from_dict_refuses_a_check_whose_ok_disagrees(sample_json):
    def change(data: dict[str, Any]) -> None:
        data["trace"][0]["checks"][0]["ok"] = not data["trace"][0]["checks"][0]["ok"]

    data = _changed(sample_json, change)
    assert _problems(data) == (
        f"decision JSON: trace[0].checks[0].ok: does not follow from the rest (it should be "
        f"{not data['trace'][0]['checks'][0]['ok']})")


def test_from_dict_refuses_a_condition_value_that_is_not_a_number_json_has(sample_json):
    """NaN never equals itself, so a decision holding one would not read back equal (found by the fuzz test)."""
    def change(data: dict[str, Any]) -> None:
        data["unused"][0]["nearest_miss"]["failed"][0]["required"] = [1, float("nan")]

    assert _problems(_changed(sample_json, change)) == (
        "decision JSON: condition 'level'.required: NaN and Infinity are not JSON numbers")


def test_from_json_refuses_what_is_not_text_and_what_nests_too_deeply():
    assert _problems_of(lambda: Decision.from_json(42)) == "decision JSON: decision JSON is text or bytes, not int"
    assert _problems_of(lambda: Decision.from_json("[" * 100_000 + "]" * 100_000)) == (
        "decision JSON: nested too deeply to be a decision")


def _problems_of(read) -> str:
    with pytest.raises(DecisionFormatError) as caught:
        read()
    return str(caught.value)


_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=5)
    | st.sampled_from(["1.0", "awarded", "total", "2025-06-30", "course"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=6)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*prefix, index))
    return found


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_from_dict_never_raises_anything_but_its_own_error(sample_json, data):
    """Any change anywhere in a decision — a key dropped, a value of another type — is either still a
    decision or a DecisionFormatError; never a KeyError, TypeError or anything else."""
    decision = json.loads(sample_json, parse_float=Decimal)
    paths = _paths(decision)
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(paths[1:]))
        parent = decision
        for step in path[:-1]:
            if not isinstance(parent, (dict, list)):
                break
            try:
                parent = parent[step]
            except (KeyError, IndexError, TypeError):
                break
        else:
            if isinstance(parent, dict) and data.draw(st.booleans()):
                parent.pop(path[-1], None)
            elif isinstance(parent, (dict, list)):
                with contextlib.suppress(IndexError, TypeError):
                    parent[path[-1]] = data.draw(_JSON_VALUES)
    problems: tuple[str, ...] = ()
    try:
        back = Decision.from_dict(decision)
    except DecisionFormatError as exc:
        problems = exc.problems
        assert problems, "an error lists its problems"
    else:
        assert Decision.from_json(back.to_json()) == back
    assert all(isinstance(p, str) and p for p in problems)


def test_only_the_command_line_exits():
    """The library never calls sys.exit (and never prints: ruff's T20 checks every module)."""
    import ast

    exits = []
    for path in sorted((ROOT / "src" / "creditrules").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr == "exit" and isinstance(node.value, ast.Name) \
                    and node.value.id == "sys":
                exits.append(path.relative_to(ROOT).as_posix())
    assert sorted(set(exits)) == ["src/creditrules/cli.py"]  # the command line only (__main__.py calls its main_exit)

"""Half a character (an escaped lone surrogate) is refused where it enters, with its place, never a traceback.

JSON's ``"\\ud800"`` and YAML's double-quoted ``"\\ud800"`` give Python a string that no UTF-8 output can
hold: before, a learner file holding one crashed every format of ``evaluate`` while writing, and one batch
row holding one ended the whole run. Each reader now refuses it on entry, naming where it stands.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import creditrules
from cli_run import run
from creditrules import LearnerError
from creditrules.batch import evaluate_batch
from creditrules.credentials import load_credentials
from creditrules.decision import Decision
from creditrules.errors import CreditRulesError, DecisionFormatError
from creditrules.learner import parse_learner_text

ROOT = Path(__file__).resolve().parents[1]
AS_OF = "2025-06-30"
WHY = "is an escaped lone surrogate, half of a character that no output can hold; write the character itself"


@pytest.fixture(scope="module")
def standard() -> creditrules.CompiledStandard:
    return creditrules.compile_standards(ROOT / "standards")["yrd-computer-application"]


def test_a_learner_json_file_names_the_place(tmp_path: Path):
    path = tmp_path / "learner.json"
    path.write_text('{"id": "S1", "achievements": [{"id": "A1", "code": "X-WEB\\udfff", "obtained": "2024-01-01"}]}',
                    encoding="utf-8")
    code, out, err = run("evaluate", "--standard", "yrd-computer-application", "--learner", str(path),
                         "--as-of", AS_OF, "--standards", str(ROOT / "standards"))
    assert (code, out) == (1, "")
    assert err == f"creditrules: {path}: \\udfff at 'achievements[0].code' {WHY}\n"


def test_a_learner_yaml_file_names_the_line(tmp_path: Path):
    path = tmp_path / "learner.yaml"
    path.write_text('id: "S\\ud800"\nachievements: []\n', encoding="utf-8")
    with pytest.raises(LearnerError) as caught:
        creditrules.load_learner(path)
    assert str(caught.value) == (f"{path}: line 1, column 5: 'S\\ud800' holds \\ud800, an escaped lone surrogate: "
                                 "half of a character, which no output can hold; write the character itself")


def test_a_key_is_named_as_a_key():
    with pytest.raises(LearnerError) as caught:
        parse_learner_text('{"id": "S1", "achievements": [{"id": "A1", "le\\ud800vel": 1}]}', "l.json")
    assert str(caught.value) == f"l.json: \\ud800 at the key 'achievements[0].le\\ud800vel' {WHY}"


def test_the_first_in_the_file_is_named():
    with pytest.raises(LearnerError) as caught:
        parse_learner_text('{"id": "S1", "achievements": [{"id": "A\\udc01", "k\\ud802": 1, "code": "\\udc03"}],'
                           ' "name": "\\udc04"}', "l.json")
    assert str(caught.value) == f"l.json: \\udc01 at 'achievements[0].id' {WHY}"
    with pytest.raises(LearnerError) as caught:
        parse_learner_text('{"id": "S1", "achievements": [{"id": "A1", "k\\ud802": "\\udc03"}]}', "l.json")
    assert str(caught.value) == f"l.json: \\ud802 at the key 'achievements[0].k\\ud802' {WHY}"


def test_a_pair_is_one_character_and_passes(standard):
    learner = parse_learner_text('{"id": "S\\ud83d\\ude00", "achievements": []}', "l.json")
    assert learner.id == "S😀"
    assert creditrules.evaluate(standard, learner, AS_OF).to_json().encode("utf-8")


def test_a_standard_gets_y011_at_its_line(tmp_path: Path):
    text = (ROOT / "standards" / "yangtze-delta" / "base.yaml").read_text(encoding="utf-8")
    assert "\nname_zh: " in text
    (tmp_path / "base.yaml").write_text(text.replace("\nname_zh: ", '\nname_zh: "\\ud800"\nx_name_zh: ', 1),
                                        encoding="utf-8")
    line = text.split("\nname_zh: ", 1)[0].count("\n") + 2
    problems = creditrules.validate([tmp_path])
    assert [(p.code, p.line, p.column, p.message) for p in problems] == [
        ("Y011", line, 10, "'\\ud800' holds \\ud800, an escaped lone surrogate: half of a character, which no "
                           "output can hold; write the character itself")]


def test_a_batch_row_is_rejected_and_the_rest_decided(tmp_path: Path, standard):
    rows = ['{"learner":"\\ud800x","id":"A1","code":"X-WEB","obtained":"2024-01-01","level":"中级"}',
            '{"learner":"L2","id":"A1","code":"X-WEB","obtained":"2024-01-01","level":"中级"}',
            '{"learner":"L3","id":"A1","code":"X-WEB","obtained":"2024-01-01","level":"中\\udc00级"}']
    source = tmp_path / "rows.jsonl"
    source.write_text("\n".join(rows) + "\n", encoding="utf-8")
    for workers in (1, 2):
        output, rejects = tmp_path / f"out{workers}.jsonl", tmp_path / f"rejects{workers}.jsonl"
        summary = evaluate_batch(source, standard, output=output, rejects=rejects, as_of=AS_OF, workers=workers)
        assert (summary.records_read, summary.rejected_by["read"], summary.counts.decided) == (3, 2, 1)
        assert [json.loads(line)["learner"] for line in output.read_text(encoding="utf-8").splitlines()] == ["L2"]
        refused = [json.loads(line) for line in rejects.read_text(encoding="utf-8").splitlines()]
        assert [(r["line"], r["stage"], r["reason"], r["reason_zh"]) for r in refused] == [
            (1, "read", f"\\ud800 at 'learner' {WHY}",
             "'learner' 处的 \\ud800 是孤立的代理项转义，只是半个字符，任何输出都无法保存；请直接写出该字符"),
            (3, "read", f"\\udc00 at 'level' {WHY}",
             "'level' 处的 \\udc00 是孤立的代理项转义，只是半个字符，任何输出都无法保存；请直接写出该字符")]
        assert refused[0]["text"] == rows[0]


def test_a_decision_read_back(standard):
    text = creditrules.evaluate(standard, {"id": "S1", "achievements": []}, AS_OF).to_json()
    forged = text.replace('"learner": "S1"', '"learner": "S1\\ud800"', 1)
    assert forged != text
    with pytest.raises(DecisionFormatError) as caught:
        Decision.from_json(forged)
    assert f"\\ud800 at 'learner' {WHY}" in str(caught.value)


def test_credentials(tmp_path: Path):
    path = tmp_path / "ob3.json"
    path.write_text('[{"type": ["VerifiableCredential"], "name": "证书\\udbff"}]', encoding="utf-8")
    with pytest.raises(CreditRulesError) as caught:
        load_credentials(path)
    assert str(caught.value) == f"{path}: \\udbff at '[0].name' {WHY}"


ESCAPES = st.sampled_from(["\\ud800", "\\udfff", "\\ud83d\\ude00", "\\u4e2d", "\\ud83d", "\\ude00\\ud83d", "x"])


@settings(max_examples=200, deadline=None)
@given(pieces=st.lists(st.tuples(st.sampled_from(["id", "code", "level", "event", "k\\ud800"]), ESCAPES),
                       max_size=4), learner=ESCAPES)
def test_whatever_the_escapes_a_learner_is_refused_or_writes_out(standard, pieces, learner):
    """Every parsed learner can be decided and written as UTF-8 in every format, or the file is refused."""
    record = "{" + ", ".join(f'"{key}": "A{value}"' for key, value in pieces) + "}"
    text = f'{{"id": "L{learner}", "achievements": [{record}]}}'
    try:
        parsed = parse_learner_text(text, "l.json")
    except LearnerError as exc:
        assert "escaped lone surrogate" in str(exc) or "duplicate key" in str(exc)  # noqa: PT017
        return
    decision = creditrules.evaluate(standard, parsed, AS_OF)
    decision.to_json().encode("utf-8")
    for lang in ("en", "zh"):
        creditrules.render_text(decision, standard.ruleset_for(decision.as_of), lang).encode("utf-8")

"""One learner against several standards at once (issue 9, item 4): a budget shared across standards, each course
and achievement counted once across them, one allocation, proven best."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import creditrules
from creditrules import CreditRulesError

ROOT = Path(__file__).resolve().parents[1]
AS_OF = "2025-06-30"
EXAMS = ["yrd-credit-by-exam", "yrd-accounting-competitions"]


@pytest.fixture(scope="module")
def library() -> creditrules.CompiledLibrary:
    return creditrules.compile_standards(ROOT / "standards")


def _learner(*records: dict) -> dict:
    return {"id": "M1", "context": {"attributes": {"residence_hours": 20, "program": "530302"}},
            "achievements": list(records)}


def exam(ach_id: str, code: str, score: int = 90) -> dict:
    return {"id": ach_id, "code": code, "score": score, "obtained": "2025-03-01"}


def competition(ach_id: str, tier: str = "国家级", event: str | None = None) -> dict:
    return {"id": ach_id, "code": "COMP-ACC", "tier": tier, "award": "一等奖", "event": event or f"赛项{ach_id}",
            "obtained": "2025-01-10"}


def test_the_budget_is_shared_and_cuts_the_award_placed_last(library):
    learner = _learner(exam("E1", "EXAM-ACC"), exam("E3", "EXAM-ENG"), competition("K1"))
    competitions, exams = creditrules.evaluate_many([library[i] for i in EXAMS], learner, AS_OF)  # by id
    assert (exams.standard.id, exams.total) == ("yrd-credit-by-exam", 8)
    assert (competitions.standard.id, competitions.total) == ("yrd-accounting-competitions", 2)
    capped = competitions.awards[0].to_dict()
    assert capped["capped_by"] == {"limit": {"kind": "budget", "budget": "non-traditional"}, "max": 10, "room": 2,
                                   "asked": 4}
    ruleset = library["yrd-accounting-competitions"].ruleset_for(competitions.as_of)
    assert "cut from 4 to 2 by the shared budget “all non-traditional sources together” (max 10, 2 left)" in \
        creditrules.render_text(competitions, ruleset, "en")
    assert "受限额 共享限额“非传统学习成果合计” 限制（上限 10，剩余 2），由 4 学分减为 2 学分" in \
        creditrules.render_text(competitions, ruleset, "zh")


def test_decided_alone_each_standard_ignores_the_others(library):
    learner = _learner(exam("E1", "EXAM-ACC"), exam("E3", "EXAM-ENG"), competition("K1"))
    assert creditrules.evaluate(library["yrd-credit-by-exam"], learner, AS_OF).total == 8
    assert creditrules.evaluate(library["yrd-accounting-competitions"], learner, AS_OF).total == 4


def test_one_standard_alone_is_decided_as_evaluate_decides_it(library):
    learner = _learner(exam("E1", "EXAM-ACC"), exam("E3", "EXAM-ENG"), competition("K1"))
    (alone,) = creditrules.evaluate_many([library["yrd-credit-by-exam"]], learner, AS_OF)
    assert alone.to_json() == creditrules.evaluate(library["yrd-credit-by-exam"], learner, AS_OF).to_json()


def test_an_ineligible_standard_gives_nothing_and_leaves_the_budget_to_the_others(library):
    learner = _learner(exam("E1", "EXAM-ACC"), competition("K1"), competition("K2"), competition("K3"))
    learner["context"]["attributes"]["residence_hours"] = 3
    competitions, exams = creditrules.evaluate_many([library[i] for i in EXAMS], learner, AS_OF)
    assert (exams.total, competitions.total) == (0, 10)


@pytest.mark.parametrize(("standards", "message"), [
    ([], "evaluate_many needs at least one standard"),
    (["yrd-credit-by-exam", "yrd-credit-by-exam"], "standard 'yrd-credit-by-exam' is given twice; give each standard "
                                                   "once"),
    (["yrd-credit-by-exam", "yrd-computer-application"],
     "the standards credit different programs (510201, 530302); decide standards of one program together"),
    (["yrd-credit-by-exam", "ah-elderly-cert"],
     "'ah-elderly-cert' is a certification standard; evaluate_many decides conversion standards together"),
])
def test_what_cannot_be_decided_together(library, standards, message):
    with pytest.raises(CreditRulesError) as caught:
        creditrules.evaluate_many([library[i] for i in standards], _learner(), AS_OF)
    assert str(caught.value) == message


def test_the_cli_takes_several_standards(tmp_path):
    from cli_run import run  # tests/cli_run.py: the CLI in-process

    path = tmp_path / "l.json"
    path.write_text(json.dumps(_learner(exam("E1", "EXAM-ACC"), competition("K1"))), encoding="utf-8")
    code, out, _ = run("evaluate", "--standards", str(ROOT / "standards"), "--standard", EXAMS[1], "--standard",
                       EXAMS[0], "--learner", str(path), "--as-of", AS_OF, "--format", "json", "--no-trace")
    assert code == 0
    assert [(d["standard"]["id"], d["total"]) for d in json.loads(out)] == [
        ("yrd-accounting-competitions", 4), ("yrd-credit-by-exam", 4)]


# ---------------------------------------------------------------- properties

_RECORDS = st.lists(st.one_of(
    st.builds(lambda c, s: ("exam", c, s), st.sampled_from(["EXAM-ACC", "EXAM-STAT", "EXAM-ENG"]),
              st.integers(55, 100)),
    st.builds(lambda t, e: ("comp", t, e), st.sampled_from(["国家级", "省级"]), st.sampled_from(["a", "b", "c"]))),
    max_size=6)


def _records(drawn: list) -> list[dict]:
    out = []
    for index, (what, first, second) in enumerate(drawn):
        ach_id = f"R{index}"
        out.append(exam(ach_id, first, second) if what == "exam" else competition(ach_id, first, second))
    return out


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_RECORDS)
def test_joint_decisions_hold_the_budget_beat_each_alone_and_ignore_order(library, drawn):
    records = _records(drawn)
    standards = [library[i] for i in EXAMS]
    joint = creditrules.evaluate_many(standards, _learner(*records), AS_OF)
    reverse = creditrules.evaluate_many(standards[::-1], _learner(*records[::-1]), AS_OF)
    assert [d.to_json() for d in joint] == [d.to_json() for d in reverse]
    total = sum(d.total for d in joint)
    assert total <= 10  # the shared budget
    alone = {s.id: creditrules.evaluate(s, _learner(*records), AS_OF).total for s in standards}
    assert total >= max(alone.values())  # what one standard alone can give is still possible together
    assert all(d.total <= alone[d.standard.id] for d in joint)  # each part is possible alone
    used = [a for d in joint for award in d.awards for a in award.achievements]
    assert len(used) == len(set(used))  # nothing counted twice, across standards
    more = creditrules.evaluate_many(standards, _learner(*records, exam("X9", "EXAM-STAT")), AS_OF)
    assert sum(d.total for d in more) >= total  # monotonic

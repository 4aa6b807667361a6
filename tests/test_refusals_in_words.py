"""Why an achievement earned nothing, as a learner reads it (issue 9, items 10–12).

An achievement too old for a recency window says "expired" and gives the cut-off day; the hint names the
value that would qualify as a quoted value, never spliced into a sentence; the closest rule is the one with the
fewest failed conditions, a ``when_all`` rule that lacks its other place says so; an exclusion that failed is
named in the summary; counts agree with their nouns; text and JSON show the same content hash.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import creditrules
from creditrules import render_text
from creditrules.render import render_explanation

ROOT = Path(__file__).resolve().parents[1]
STANDARD = "yrd-computer-application"
AS_OF = "2025-06-30"
SAMPLE = ROOT / "standards" / "yangtze-delta" / "computer-application.yaml"
BASE = ROOT / "standards" / "yangtze-delta" / "base.yaml"


@pytest.fixture(scope="module")
def library() -> creditrules.CompiledLibrary:
    return creditrules.compile_standards([ROOT / "standards"])


def _decide(standard: creditrules.CompiledStandard, *achievements: dict[str, object]) -> creditrules.Decision:
    return creditrules.evaluate(standard, {"id": "T", "achievements": list(achievements)}, as_of=AS_OF)


def _why(standard: creditrules.CompiledStandard, lang: str, *achievements: dict[str, object]) -> list[str]:
    decision = _decide(standard, *achievements)
    text = render_text(decision, standard.ruleset_for(decision.as_of), lang)
    return [line for line in text.split("\n") if line.startswith("  ✗ ")]


OLD_WEB = {"id": "A1", "code": "X-WEB", "level": "中级", "obtained": "2019-06-15"}


def test_an_old_certificate_is_expired_with_its_cut_off(library):
    standard = library[STANDARD]
    assert _why(standard, "en", OLD_WEB) == [
        "  ✗ A1 (X-WEB): closest rule is web-core “Web certificate (intermediate or higher) replaces core courses”, "
        "which needs obtained within 3 years: expired (obtained 2019-06-15, before the cut-off 2022-06-30)"]
    assert _why(standard, "zh", OLD_WEB) == [
        "  ✗ A1（X-WEB）：最接近的规则是 web-core“Web前端证书（中级及以上）替代专业核心课”，还需要：取得日期在3年内：已过期"
        "（取得于 2019-06-15，早于截止日期 2022-06-30）"]


def test_explain_marks_the_expired_condition(library):
    standard = library[STANDARD]
    decision = _decide(standard, OLD_WEB)
    text = render_explanation(decision, standard.ruleset_for(decision.as_of), "A1", "en")
    assert "    ✗ obtained within 3 years: has 2019-06-15 (expired: before the cut-off 2022-06-30)" in text.split("\n")
    text = render_explanation(decision, standard.ruleset_for(decision.as_of), "A1", "zh")
    assert "    ✗ 取得日期在3年内：实际为 2019-06-15（已过期：早于截止日期 2022-06-30）" in text.split("\n")


def test_the_qualifying_value_is_quoted_not_spliced(library):
    standard = library[STANDARD]
    low = {"id": "A2", "code": "X-BIGDATA", "level": "初级", "obtained": "2024-12-01"}
    assert _why(standard, "en", low)[0].endswith(
        "which needs level ≥ intermediate (has elementary) — a record with level «intermediate» or higher would "
        "qualify")
    assert _why(standard, "zh", low)[0].endswith(
        "还需要：等级不低于中级（实际为 初级）——若等级达到「中级」或以上即可认定")


def test_an_exclusion_that_failed_is_named_in_the_summary(library):
    """An industry-run provincial contest: the national rule wants another tier, the provincial rule excludes
    industry-run contests; a learner must read the second as well as the first."""
    standard = library[STANDARD]
    contest = {"id": "A4", "code": "COMP-VOC", "tier": "省级", "award": "二等奖", "event": "e", "organizer": "industry",
               "obtained": "2024-11-20"}
    assert _why(standard, "en", contest) == [
        "  ✗ A4 (COMP-VOC): closest rule is competition-national “National competition, third prize or better, gives "
        "4 elective credits”, which needs tier = national (has provincial) — a record with tier «national» would "
        "qualify; rule competition-provincial “Provincial competition, third prize or better, gives 2 elective "
        "credits (industry-run contests excluded)” excludes it: organizer none of [industry] (has industry)"]
    assert _why(standard, "zh", contest) == [
        "  ✗ A4（COMP-VOC）：最接近的规则是 competition-national“国家级竞赛三等奖及以上计选修课4学分”，还需要：级别为国家级"
        "（实际为 省级）——若级别为「国家级」即可认定；规则 competition-provincial“省级竞赛三等奖及以上计选修课2学分"
        "（行业协会主办的除外）”排除了该成果：主办方类型不属于[industry]（实际为 industry）"]
    unused = json.loads(_decide(standard, contest).to_json())["unused"][0]
    assert unused["excluded_by"] == [{"rule": "competition-provincial", "failed": [
        {"attribute": "organizer", "op": "not_in", "required": ["industry"], "actual": "industry", "ok": False}]}]


@pytest.fixture(scope="module")
def project_only(tmp_path_factory: pytest.TempPathFactory) -> creditrules.CompiledStandard:
    """The sample standard with its when_all rule as its only rule."""
    folder = tmp_path_factory.mktemp("project")
    (folder / "base.yaml").write_text(BASE.read_text(encoding="utf-8"), encoding="utf-8")
    head = SAMPLE.read_text(encoding="utf-8").split("\nrules:")[0]
    (folder / "ca.yaml").write_text(head + """
rules:
  - id: project
    name_zh: Web前端与云计算证书共同替代综合项目实训
    name_en: Web and cloud certificates together replace the integrated project
    when_all:
      - {code: X-WEB, level: {at_least: 中级}}
      - {code: X-CLOUD, level: {at_least: 中级}}
    grant: {courses: [C301]}
""", encoding="utf-8")
    return creditrules.compile_standards([folder])[STANDARD]


def test_a_when_all_rule_without_its_other_place_says_what_that_place_needs(project_only):
    web = {"id": "A1", "code": "X-WEB", "level": "中级", "obtained": "2024-06-15"}
    assert _why(project_only, "en", web) == [
        "  ✗ A1 (X-WEB): closest rule is project “Web and cloud certificates together replace the integrated "
        "project”, which needs another record for its place 2: code = X-CLOUD, level ≥ intermediate"]
    assert _why(project_only, "zh", web) == [
        "  ✗ A1（X-WEB）：最接近的规则是 project“Web前端与云计算证书共同替代综合项目实训”，还需要：另一项成果填入其第 2 项："
        "代码为X-CLOUD，等级不低于中级"]
    decision = _decide(project_only, web)
    miss = json.loads(decision.to_json())["unused"][0]["nearest_miss"]
    assert miss == {"rule": "project", "failed": [], "missing_places": [{"slot": 1, "conditions": [
        {"attribute": "code", "op": "eq", "required": "X-CLOUD"}, {"attribute": "level", "op": "ge", "required": "中级"}]}]}
    assert creditrules.Decision.from_json(decision.to_json()).to_json() == decision.to_json()  # missing_places too
    assert creditrules.Decision.from_json(decision.to_json()) == decision
    text = render_explanation(decision, project_only.ruleset_for(decision.as_of), "A1", "en").split("\n")
    assert "  A1: meets every condition of place 1" in text


def test_the_closest_rule_has_the_fewest_failed_conditions(library):
    """An old intermediate Web certificate misses web-core by one condition (its age) and the project by one
    place (no cloud certificate); web-foundation by two. The earlier of the two closest is named."""
    decision = _decide(library[STANDARD], OLD_WEB)
    assert decision.unused[0].nearest is not None and decision.unused[0].nearest[0] == "web-core"


def test_one_credit_is_singular(library):
    standard = library[STANDARD]
    decision = _decide(standard, {"id": "A6", "code": "TRAIN-EXT", "hours": 16, "obtained": "2025-03-01",
                                  "verified": True})
    lines = render_text(decision, standard.ruleset_for(decision.as_of), "en").split("\n")
    assert "Credit awarded: 1 credit (limit 50)" in lines
    assert "  ✓ 1 credit into Electives" in lines
    assert "      computed: 1 record, 16 hours → 1 credit" in lines


def test_text_and_json_show_the_same_content_hash(library):
    standard = library[STANDARD]
    decision = _decide(standard, OLD_WEB)
    data = json.loads(decision.to_json())["standard"]
    chain = ", ".join(f"{c['id']} {c['version']} ({c['content_hash']})" for c in data["chain"])
    for lang, line in (("en", f"Standards applied: {chain}; content hash {data['content_hash']}. Engine "),
                       ("zh", f"依据标准：{chain}；内容哈希 {data['content_hash']}。引擎版本 ")):
        text = render_text(decision, standard.ruleset_for(decision.as_of), lang)
        assert text.split("\n")[1].startswith(line)


def test_validate_says_one_credit(tmp_path: Path):
    """A limit of 1 credit that never binds, in the words of A020."""
    (tmp_path / "base.yaml").write_text(BASE.read_text(encoding="utf-8"), encoding="utf-8")
    text = SAMPLE.read_text(encoding="utf-8")
    text = text.replace("rules:\n", "limits:\n  categories:\n    practice: {max: 1}\n\nrules:\n", 1)
    text = text.split("\nrules:")[0] + "\nrules: []\n"
    (tmp_path / "ca.yaml").write_text(text, encoding="utf-8")
    messages = [d.message for d in creditrules.validate([tmp_path]) if d.code == "A020"]
    assert "the limit of 1 credit on category 'practice' never binds: the rules can give at most 0 credits in it" \
        in messages


def test_diff_says_one_credit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A provincial award cut from 2 credits to 1: the award and the summary agree with their numbers."""
    import shutil

    from cli_run import run

    monkeypatch.chdir(ROOT)
    old, new = tmp_path / "old", tmp_path / "new"
    for folder in (old, new):
        shutil.copytree(ROOT / "standards" / "yangtze-delta", folder)
    path = new / "computer-application.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("grant: {category: elective, credits: 2}", "grant: {category: elective, credits: 1}"),
                    encoding="utf-8")
    code, out, _ = run("diff", str(old), str(new), "--standard", STANDARD, "--learners", "examples/student-1x.yaml",
                       "--as-of", AS_OF)
    assert code == 0
    lines = out.split("\n")
    assert "  + competition-provincial → elective: 1 credit from A4" in lines
    assert lines[5].startswith("gain credit: 0 learner(s), +0 credits; lose credit: 1 learner(s), -1 credit; ")


def test_a_yes_or_no_condition_reads_in_words_in_chinese(library):
    """A learner reading Chinese sees 是/否, not the format's true/false; English keeps true and false."""
    standard = library["ah-farmer-agri"]
    learner = {"id": "L", "achievements": [{"id": "Y1", "code": "SKILL-PLANT-PROT", "level": "四级/中级工",
                                            "obtained": "2024-06-01", "verified": False}]}
    decision = creditrules.evaluate(standard, learner, AS_OF)
    ruleset = standard.ruleset_for(decision.as_of)
    zh = next(line for line in render_text(decision, ruleset, lang="zh").splitlines() if "Y1" in line)
    en = next(line for line in render_text(decision, ruleset, lang="en").splitlines() if "Y1" in line)
    assert zh.endswith("还需要：已核验为是（实际为 否）")
    assert en.endswith("which needs verified = true (has false)")

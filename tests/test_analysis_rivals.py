"""rivals.linked_pairs counts and shows exactly the pairs a pair-by-pair loop finds, and a standard of
2,000 rules that all compete gives one finding."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from hypothesis import given, settings
from hypothesis import strategies as st

import creditrules
from creditrules.analysis.rivals import SHOWN, linked_pairs

ROOT = Path(__file__).resolve().parents[1]


@st.composite
def items(draw: st.DrawFn) -> tuple[list[int], list[int], dict, dict | None]:
    n = draw(st.integers(0, 12))
    classes = draw(st.lists(st.integers(0, 3), min_size=n, max_size=n))
    awards = draw(st.lists(st.integers(0, 3), min_size=n, max_size=n))
    table = {}
    for c1 in range(4):
        for c2 in range(c1, 4):
            for differ in (True, False):
                table[(c1, c2, differ)] = table[(c2, c1, differ)] = draw(st.booleans())
    relation = None
    if draw(st.booleans()):  # awards related by more than equality, symmetrically
        relation = {}
        for a1 in range(4):
            for a2 in range(a1, 4):
                relation[(a1, a2)] = relation[(a2, a1)] = draw(st.sampled_from([None, True, False]))
    return classes, awards, table, relation


@settings(max_examples=400, deadline=None)
@given(items())
def test_linked_pairs_agrees_with_every_pair(case):
    classes, awards, table, relation = case
    relate = (lambda a, b: relation[(a, b)]) if relation is not None else (lambda a, b: a != b)
    expected = []
    for i in range(len(classes)):
        for j in range(i + 1, len(classes)):
            differ = relate(awards[i], awards[j])
            if differ is not None and table[(classes[i], classes[j], differ)]:
                expected.append((i, j))
    found = linked_pairs(classes, awards, lambda c1, c2, d: table[(c1, c2, d)],
                         (lambda a, b: relation[(a, b)]) if relation is not None else None)
    assert found.pairs == len(expected)
    assert list(found.shown) == expected[:SHOWN]


def _bench() -> ModuleType:
    """bench/validate.py, whose standard of competing rules is the one measured there."""
    spec = importlib.util.spec_from_file_location("bench_validate", ROOT / "bench" / "validate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_two_thousand_rules_that_all_compete_give_one_finding(tmp_path: Path):
    path = tmp_path / "big.yaml"
    path.write_text(_bench().competing(2000, "same"), encoding="utf-8")
    found = creditrules.validate([path])
    first_rule = path.read_text(encoding="utf-8").split("\n").index("rules:") + 1  # rule r<i> is on line +1+i
    assert [str(d) for d in found] == [
        (f"{path}:{first_rule + 2}:6: A001 1999000 pairs of rules compete for one achievement, each decided by the "
        f"order of the two in the file when nothing else tells them apart: 'r0' (line {first_rule + 1}) and 'r1' "
        f"(line {first_rule + 2}), e.g. {{code: X-A, level: 初级}}: 'r0' gives C0, 'r1' gives C1, both 4 credits at "
        f"priority 0; 'r0' (line {first_rule + 1}) and 'r2' (line {first_rule + 3}), e.g. {{code: X-A, level: 初级}}: "
        "'r0' gives C0, 'r2' gives C2, both 4 credits at priority 0; 'r0' (line "
        f"{first_rule + 1}) and 'r3' (line {first_rule + 4}), e.g. {{code: X-A, level: 初级}}: 'r0' gives C0, 'r3' "
        "gives C3, both 4 credits at priority 0; and 1998997 more pairs; give the rule that should win a higher "
        "priority or make their conditions exclusive; or, if one achievement should earn both, mark both rules "
        "`reusable: true`")]


BASE = """id: {id}
version: "1"
kind: base
name_zh: 测试通用规则
name_en: Test common rules
effective: {{from: 2024-09-01}}
source: {{citation: Illustrative test standard., illustrative: true}}
kinds:
  x_certificate: {{name_zh: 证书, name_en: Certificate}}
catalog:
  {own}: {{kind: x_certificate, name_zh: 证书, name_en: Certificate}}
equivalences:
  - {{code: {code}, same_as: {own}}}
"""


def test_one_code_recognised_as_many_gives_one_finding_per_equivalence(tmp_path: Path):
    for i in range(200):
        (tmp_path / f"s{i:03d}.yaml").write_text(BASE.format(id=f"s{i:03d}", own=f"OWN-{i}", code="SH-WEB"),
                                                 encoding="utf-8")
    found = creditrules.validate([tmp_path])
    assert [d.code for d in found] == ["A041"] * 199
    assert str(found[-1]) == (
        f"{tmp_path}/s199.yaml:13:20: A041 'SH-WEB' counts as 'OWN-199' here but as 'OWN-0' in standard 's000' "
        f"({tmp_path}/s000.yaml:13), as 'OWN-1' in standard 's001' ({tmp_path}/s001.yaml:13), as 'OWN-2' in "
        f"standard 's002' ({tmp_path}/s002.yaml:13); and 196 more standards; one code of another bank must mean "
        "one certificate")


def test_many_equivalences_leading_to_one_code_give_one_chain_finding(tmp_path: Path):
    (tmp_path / "hub.yaml").write_text(BASE.format(id="hub", own="MINE", code="HUB"), encoding="utf-8")
    for i in range(200):
        (tmp_path / f"s{i:03d}.yaml").write_text(BASE.format(id=f"s{i:03d}", own="HUB", code=f"F-{i}"),
                                                 encoding="utf-8")
    found = creditrules.validate([tmp_path])
    assert [str(d) for d in found] == [
        (f"{tmp_path}/hub.yaml:13:5: A040 equivalences chain: 200 equivalences of other standards count a code as "
        f"'HUB' — 'F-0' in standard 's000' ({tmp_path}/s000.yaml:13), 'F-1' in standard 's001' "
        f"({tmp_path}/s001.yaml:13), 'F-2' in standard 's002' ({tmp_path}/s002.yaml:13); and 197 more equivalences "
        "— and here 'HUB' counts as 'MINE'; they do not combine, so records coded 'F-0', 'F-1', 'F-2' are not "
        "recognised here; add {code: F-0, same_as: MINE} for each one that should be")]

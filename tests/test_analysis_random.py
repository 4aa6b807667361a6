"""Random standards: validate never crashes, and what A001/A002 claim holds when the rules are evaluated.

Each example is a small conversion standard whose rules draw their conditions, grants, priorities and
flags from a pool; the learners tried are the example achievements the analysis itself names, and a
few fixed ones.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import creditrules

HEAD = """\
id: test-random
version: "1"
kind: conversion
name_zh: 随机标准
name_en: Random standard
effective: {from: 2020-01-01}
source: {citation: Illustrative test standard., illustrative: true}
scales:
  x_level: {name_zh: 等级, name_en: Level, levels: [初级, 中级, 高级]}
kinds:
  cert:
    name_zh: 证书
    name_en: Certificate
    attributes:
      level: {type: scale, scale: x_level, required: true}
      score: {type: number, min: 0, max: 100}
catalog:
  X-A: {kind: cert, name_zh: 甲, name_en: A}
  X-B: {kind: cert, name_zh: 乙, name_en: B}
program:
  code: "1"
  name_zh: 专业
  name_en: Program
  total_credits: 100
  categories:
    core: {name_zh: 核心, name_en: Core, required: 50}
    elective: {name_zh: 选修, name_en: Elective, required: 10}
  courses:
    - {code: C1, name_zh: 一, name_en: One, credits: 4, category: core}  # creditrules: allow W001
    - {code: C2, name_zh: 二, name_en: Two, credits: 4, category: core}  # creditrules: allow W001
    - {code: C3, name_zh: 三, name_en: Three, credits: 3, category: core}  # creditrules: allow W001
"""

CONDITIONS = st.sampled_from([
    "level: 初级", "level: 中级", "level: 高级", "level: {at_least: 中级}", "level: [初级, 高级]",
    "level: {below: 高级}", "score: {at_least: 60}", "score: {above: 80}", "score: {at_most: 90}",
    "score: [60, 70]", "verified: true", "obtained: {within_years: 3}", "obtained: {on_or_after: 2023-01-01}",
])
GRANTS = st.sampled_from([
    "{courses: [C1]}", "{courses: [C2]}", "{courses: [C1, C2]}", "{courses: [C1, C2], mode: each}",
    "{courses: [C3]}", "{courses: [C1], grade: 优秀}", "{courses: [C1], grade: {from: level, map: {高级: 优秀}, default: 合格}}",
    "{category: elective, credits: 3}", "{category: elective, credits: 4}", "{category: core, credits: 4}",
])


@st.composite
def rules(draw: st.DrawFn) -> str:
    lines = []
    for index in range(draw(st.integers(1, 4))):
        code = draw(st.sampled_from(["X-A", "X-B", "[X-A, X-B]"]))
        conditions = draw(st.lists(CONDITIONS, max_size=3, unique_by=lambda c: c.split(":")[0]))
        when = ", ".join([f"code: {code}"] + conditions)
        lines += [f"  - id: r{index}", "    name_zh: 规则", "    name_en: Rule", f"    when: {{{when}}}",
                  f"    grant: {draw(GRANTS)}"]
        if draw(st.booleans()):
            lines.append("    reusable: true")
        if draw(st.integers(0, 3)) == 0:
            lines.append("    priority: 1")
    return "rules:\n" + "\n".join(lines) + "\n"


# a pair an A001 names: "'r0' (line 9) and 'r1'[ (line 14)][ compete for one achievement], e.g. {...}"
PAIR = re.compile(r"'(r\d+)' \([^)]*\) and '(r\d+)'(?: \([^)]*\))?(?: compete for one achievement)?, "
                  r"e\.g\. (\{[^}]*\})")


def _block(text: str, rule: str) -> str:
    """One rule's lines from the generated rules text."""
    start = text.index(f"  - id: {rule}\n")
    end = text.find("  - id: ", start + 1)
    return text[start:] if end < 0 else text[start:end]


def _learner(example: str) -> dict:
    achievement = yaml.safe_load(example)
    achievement = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in achievement.items()}
    achievement.setdefault("obtained", "2024-06-01")
    achievement.setdefault("verified", True)
    achievement["id"] = "A1"
    return {"id": "L1", "achievements": [achievement]}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rules())
def test_validate_never_crashes_and_its_claims_hold(tmp_path_factory, text: str):
    folder: Path = tmp_path_factory.mktemp("random")
    path = folder / "standard.yaml"
    path.write_text(HEAD + text, encoding="utf-8")
    found = creditrules.validate([path])
    if any(d.severity is creditrules.Severity.ERROR for d in found):
        return
    standard = creditrules.compile_standards([path])["test-random"]
    for finding in found:
        if finding.code == "A002":
            loser = re.match(r"rule '([^']+)'", finding.message)[1]
            for level in ("初级", "中级", "高级"):
                for extra in ({}, {"score": 95}, {"score": 60}):
                    for code in ("X-A", "X-B"):
                        learner = {"id": "L1", "achievements": [{"id": "A1", "code": code, "level": level,
                                                                 "obtained": "2024-06-01", "verified": True,
                                                                 **extra}]}
                        decision = creditrules.evaluate(standard, learner, "2025-06-30")
                        assert loser not in {a.rule for a in decision.awards}, (text, finding.message)
        if finding.code == "A003":
            loser, winner = re.findall(r"rule '([^']+)'", finding.message)[:2]
            for level in ("初级", "中级", "高级"):
                decision = creditrules.evaluate(standard, _learner(f"{{code: X-A, level: {level}}}"), "2025-06-30")
                awarded = {a.rule for a in decision.awards}
                assert not {loser, winner} <= awarded, (text, finding.message)
        if finding.code == "A001":
            pairs = PAIR.findall(finding.message)
            assert pairs, finding.message
            for first, second, example in pairs:  # every pair a grouped finding lists
                # the two rules alone, in either order: the order changes what the learner gets
                outcomes = []
                for pair in ((first, second), (second, first)):
                    alone = folder / f"{pair[0]}-{pair[1]}.yaml"
                    alone.write_text(HEAD + "rules:\n" + "".join(_block(text, rule) for rule in pair),
                                     encoding="utf-8")
                    decision = creditrules.evaluate(creditrules.compile_standards([alone])["test-random"],
                                                    _learner(example), "2025-06-30")
                    outcomes.append(sorted((a.rule, tuple(c.code for c in a.courses), a.category, a.credits,
                                            a.grade) for a in decision.awards))
                assert outcomes[0] != outcomes[1], (text, finding.message)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rules())
def test_grouped_a001_counts_exactly_the_pairs_that_compete(tmp_path_factory, text: str):
    """The pairs a grouped A001 counts are the pairs the one-pair check finds, rule by rule."""
    path = tmp_path_factory.mktemp("random") / "standard.yaml"
    path.write_text(HEAD + text, encoding="utf-8")
    found = creditrules.validate([path])
    if any(d.severity is creditrules.Severity.ERROR for d in found):
        return
    counted = sum(int(m[1]) if m else 1 for d in found if d.code == "A001"
                  for m in [re.match(r"(\d+) pairs of rules compete", d.message)])
    from creditrules.analysis import overlap
    from creditrules.analysis.context import Context
    from creditrules.compiler import compile_library
    from creditrules.loader import load_partial
    loaded, _, failed = load_partial([path])
    context = Context(loaded, compile_library(loaded, failed))
    ruleset = next(context.rulesets())
    dead = {re.match(r"rule '([^']+)'", d.message)[1] for d in found if d.code in ("A002", "A003")}
    live = [r for r in ruleset.rules if r.shape != "aggregate" and r.id not in dead]
    brute = sum(1 for i, first in enumerate(live) for second in live[i + 1:]
                if overlap._tie(context, ruleset, first, second) is not None)
    assert counted == brute, (text, [d.message for d in found if d.code == "A001"])

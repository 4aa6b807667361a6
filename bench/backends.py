"""The native backend against the durable-rules backend, on an identical workload.

    python bench/backends.py [--seconds 5] [--learners 200] [--trace compact]

Both evaluate the same typical 1+X students (10 achievements each, varied
deterministically) under the Computer Application Technology standard, with the same
trace mode; only the matcher differs. Prints learners/s of each and the ratio (the
target is native ≥ 25× durable), then the same for matching alone (what the backend
replaces: which achievements meet which rule slots), so the ratio can be read as
"how much slower durable_rules matches" and "how much of evaluate that is".
Needs the creditrules[durable] extra. Run by hand; never as a timed test.
"""

from __future__ import annotations

import argparse
import platform
import random
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import creditrules
from creditrules.backends.durable import DurableMatcher
from creditrules.learner import facts_for

ROOT = Path(__file__).resolve().parents[1]
AS_OF = date(2025, 6, 30)


def typical_learners(count: int, seed: int = 2025) -> list[creditrules.Learner]:
    """``count`` students of about ten achievements: 1+X certificates, competitions, training
    hours, a course from another institution, a Shanghai certificate."""
    rng = random.Random(seed)
    learners = []
    for n in range(count):
        achievements: list[dict[str, Any]] = []
        for i in range(1, 11):
            day = date.fromordinal(AS_OF.toordinal() - rng.randrange(0, 4 * 365)).isoformat()
            kind = rng.choice(["x", "x", "x", "comp", "comp", "train", "uni", "shanghai"])
            item: dict[str, Any] = {"id": f"A{i}", "obtained": day, "verified": rng.random() < 0.85}
            if kind == "x":
                item.update(code=rng.choice(["X-WEB", "X-BIGDATA", "X-CLOUD"]),
                            level=rng.choice(["初级", "中级", "高级"]))
            elif kind == "shanghai":
                item.update(code="SH-1X-WEB", level=rng.choice(["中级", "高级"]))
            elif kind == "comp":
                item.update(code="COMP-VOC", tier=rng.choice(["市级", "省级", "国家级"]),
                            award=rng.choice(["一等奖", "二等奖", "三等奖"]),
                            event=rng.choice(["云计算赛项", "Web赛项", "大数据赛项"]), organizer="government")
            elif kind == "train":
                item.update(code="TRAIN-EXT", hours=rng.choice([8, 12, 16, 24, 40]))
            else:
                item.update(code="UNI-DB", score=rng.choice([58, 65, 82, 90]), credits=rng.choice([3, 4]))
            achievements.append(item)
        learners.append(creditrules.learner_from_dict({"id": f"L{n:05d}", "achievements": achievements}))
    return learners


def rate(work: Callable[[Any], Any], items: list[Any], seconds: float) -> float:
    """Items per second, cycling through ``items`` for about ``seconds``."""
    for item in items[:20]:
        work(item)  # warm up: durable rulesets are created on first use
    count = 0
    start = time.perf_counter()
    deadline = start + seconds
    while time.perf_counter() < deadline:
        for item in items:
            work(item)
        count += len(items)
    return count / (time.perf_counter() - start)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=5.0, help="per measurement (default 5)")
    parser.add_argument("--learners", type=int, default=200, help="distinct learners cycled (default 200)")
    parser.add_argument("--trace", choices=("full", "compact", "none"), default="compact")
    args = parser.parse_args(argv)

    library = creditrules.compile_standards(ROOT / "standards")
    standard = library["yrd-computer-application"]
    ruleset = standard.ruleset_for(AS_OF)
    learners = typical_learners(args.learners)
    durable = DurableMatcher()

    native_json = [creditrules.evaluate(standard, ln, AS_OF, trace=args.trace).to_json() for ln in learners]
    durable_json = [creditrules.evaluate(standard, ln, AS_OF, trace=args.trace, matcher=durable).to_json()
                    for ln in learners]
    if native_json != durable_json:
        print("the backends disagree: this is a bug", file=sys.stderr)
        return 1
    decisions = [creditrules.evaluate(standard, ln, AS_OF, trace="none") for ln in learners]
    candidates = sum(d.search.candidates for d in decisions) / len(decisions)
    slots = sum(len(r.slots) for r in ruleset.rules)
    print(f"machine: {platform.machine()}, {platform.processor() or 'cpu'}, Python {platform.python_version()}, "
          f"one core")
    print(f"workload: {len(learners)} learners × 10 achievements, standard {ruleset.id} {ruleset.version} "
          f"({len(ruleset.rules)} rules, {slots} slots), {candidates:.1f} candidate awards per learner on average, "
          f"trace {args.trace}; decisions identical on both backends")

    native_rate = rate(lambda ln: creditrules.evaluate(standard, ln, AS_OF, trace=args.trace), learners, args.seconds)
    durable_rate = rate(lambda ln: creditrules.evaluate(standard, ln, AS_OF, trace=args.trace, matcher=durable),
                        learners, args.seconds)
    print(f"evaluate, native backend:  {native_rate:10,.0f} learners/s")
    print(f"evaluate, durable backend: {durable_rate:10,.0f} learners/s")
    verdict = "meets" if native_rate >= 25 * durable_rate else "misses"
    print(f"ratio native/durable:      {native_rate / durable_rate:10.1f}×  ({verdict} the ≥ 25× target)")

    facts = [facts_for(ruleset, ln.achievements, AS_OF)[0] for ln in learners]

    def native_match(items: list[Any]) -> set[tuple[int, int, str]]:
        found = set()
        for item in items:
            for index in ruleset.by_code.get(item.code, ()):
                for slot_index, slot in enumerate(ruleset.rules[index].slots):
                    if all(c.check(item.values.get(c.attribute), AS_OF) for c in slot.conditions):
                        found.add((index, slot_index, item.id))
        return found

    native_match_rate = rate(native_match, facts, args.seconds)
    durable_match_rate = rate(lambda items: durable.match(ruleset, items, AS_OF), facts, args.seconds)
    print(f"matching only, native:     {native_match_rate:10,.0f} learners/s")
    print(f"matching only, durable:    {durable_match_rate:10,.0f} learners/s  "
          f"({native_match_rate / durable_match_rate:.1f}× slower; "
          f"{durable_rate and (1 / durable_match_rate) / (1 / durable_rate) * 100:.0f}% of a durable evaluate)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

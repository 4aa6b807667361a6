"""Throughput of evaluate() for a typical learner: compile once, evaluate many.

    python bench/evaluate.py [--seconds 5] [--trace]

Prints the compile time, learners per second for a typical 1+X student
(about 10 achievements against the Computer Application Technology standard),
and the same for a learner whose achievements all compete (search-heavy).
Run by hand; never as a timed test.
"""

from __future__ import annotations

import argparse
import platform
import time
from pathlib import Path

import creditrules

ROOT = Path(__file__).resolve().parents[1]

TYPICAL = {
    "id": "bench-typical",
    "achievements": [
        {"id": "A1", "code": "X-WEB", "level": "中级", "obtained": "2024-06-15", "verified": True},
        {"id": "A2", "code": "X-BIGDATA", "level": "初级", "obtained": "2024-12-01", "verified": True},
        {"id": "A3", "code": "X-CLOUD", "level": "中级", "obtained": "2025-01-10", "verified": True},
        {"id": "A4", "code": "COMP-VOC", "tier": "省级", "award": "二等奖", "event": "云计算赛项",
         "organizer": "government", "obtained": "2024-11-20", "verified": True},
        {"id": "A5", "code": "COMP-VOC", "tier": "省级", "award": "一等奖", "event": "云计算赛项",
         "organizer": "government", "obtained": "2025-04-20", "verified": True},
        {"id": "A6", "code": "TRAIN-EXT", "hours": 40, "obtained": "2025-03-01", "verified": True},
        {"id": "A7", "code": "SH-1X-WEB", "level": "高级", "obtained": "2023-05-01", "verified": True},
        {"id": "A8", "code": "UNI-DB", "score": 82, "credits": 4, "obtained": "2023-01-15", "verified": True},
        {"id": "A9", "code": "COMP-VOC", "tier": "国家级", "award": "三等奖", "event": "Web赛项",
         "organizer": "government", "obtained": "2025-05-01", "verified": True},
        {"id": "A10", "code": "TRAIN-EXT", "hours": 12, "obtained": "2025-05-01", "verified": False},
    ],
}


def rate(standard: creditrules.CompiledStandard, learner: creditrules.Learner, seconds: float,
         trace: str = "full") -> tuple[float, int]:
    """Learners per second of CPU time (the machine may be shared; CPU time is what one core gives)."""
    count = 0
    start, cpu = time.perf_counter(), time.process_time()
    deadline = start + seconds
    while time.perf_counter() < deadline:
        for _ in range(50):
            creditrules.evaluate(standard, learner, "2025-06-30", trace=trace)  # type: ignore[arg-type]
        count += 50
    return count / (time.process_time() - cpu), count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    start = time.perf_counter()
    library = creditrules.compile_standards(ROOT / "standards")
    compile_ms = (time.perf_counter() - start) * 1000
    standard = library["yrd-computer-application"]
    learner = creditrules.learner_from_dict(TYPICAL)
    decision = creditrules.evaluate(standard, learner, "2025-06-30")
    print(f"machine: {platform.processor() or platform.machine()}, Python {platform.python_version()}")
    print(f"compile all standards: {compile_ms:.1f} ms")
    print(f"typical learner: {len(TYPICAL['achievements'])} achievements, {decision.search.candidates} candidate "
          f"awards, {len(decision.trace)} rules traced, total {decision.total_credits:g} credits")
    for mode in ("full", "compact", "none"):
        per_second, count = rate(standard, learner, args.seconds, mode)
        print(f"evaluate ({mode} trace): {per_second:,.0f} learners per CPU second ({count} runs)")
    full_rate, _ = rate(standard, learner, args.seconds / 2)
    json_cpu = time.process_time()
    for _ in range(200):
        creditrules.evaluate(standard, learner, "2025-06-30").to_json()
    json_rate = 200 / (time.process_time() - json_cpu)
    print(f"evaluate + to_json (full): {json_rate:,.0f} learners per CPU second; JSON adds "
          f"{(full_rate / json_rate - 1) * 100:.0f}%")


if __name__ == "__main__":
    main()

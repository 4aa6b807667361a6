"""How long allocation takes, and which path proves each answer. Run by hand; never as a timed test.

    python bench/solver.py [--learners 50] [--repeats 15] [--seed 1] [--old]

1. Typical learners, two workloads, 50 seeded learners each: (a) shaped like bench/evaluate.py's
   TYPICAL one: 6-16 records drawn from its ten, with random levels, awards, events, hours and
   dates, against the sample ``yrd-computer-application``; (b) bench/scale.py's typical
   workload: its generated 30-rule standard and its random 10-record learners, where the total
   cap can bind. Per learner: the median CPU time of ``evaluate`` (compact trace) over the
   repeats, and the paths its components took. Printed: median, max and max/median over the
   learners, and the bare-Python floor (bench/scale.py's ``Floor``: the same matching as
   dictionary look-ups) measured in the same run.
2. The cliff: 20, 30, 40 and 60 whole-course awards (2-4 credits) competing under a total cap
   of 30.5 credits, ten seeded instances each, through ``allocate`` alone: median, max,
   max/median and paths. ``--old`` also runs the former search (branch and bound with a
   200,000-node budget) on the first instance of each shape.
3. Large components: bench/scale.py's ×10 rules and ×10 achievements learners (~240 candidates
   in one component), with the exact allocator and the former one.

The plan's allocation memo is off throughout (each repeat is solved again, as a learner seen once
in a province is). In 1 and 3 the former allocator (the budgeted branch and bound for every component) runs in the
same process on the same learners, interleaved with the exact one in 1, for a fair ratio.
"""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import creditrules
from creditrules import allocate as allocate_module
from creditrules import evaluator
from creditrules.allocate import Candidate, CreditCap
from creditrules.solve.dfs import BranchAndBound, upper_bounds
from evaluate import TYPICAL  # the typical learner of bench/evaluate.py
from scale import AS_OF, Floor, compile_generated
from scale import learner as scale_learner

LEVELS = ("初级", "中级", "高级")
TIERS = ("省级", "国家级", "市级")
AWARDS = ("一等奖", "二等奖", "三等奖", "优秀奖")
EVENTS = ("云计算赛项", "Web赛项", "大数据赛项", "网络安全赛项")


def typical_learner(rng: random.Random, number: int) -> dict[str, Any]:
    """A learner like TYPICAL: its records, drawn with replacement and varied."""
    records = []
    for i in range(rng.randint(6, 16)):
        record = dict(rng.choice(TYPICAL["achievements"]), id=f"A{i + 1}")
        record["obtained"] = f"{rng.choice((2022, 2023, 2024, 2025))}-0{rng.randint(1, 6)}-1{rng.randint(0, 9)}"
        if "level" in record:
            record["level"] = rng.choice(LEVELS)
        if "tier" in record:
            record.update(tier=rng.choice(TIERS), award=rng.choice(AWARDS), event=rng.choice(EVENTS))
        if "hours" in record:
            record["hours"] = rng.choice((8, 12, 16, 24, 40, 60))
        if "score" in record:
            record["score"] = rng.randint(55, 98)
        records.append(record)
    return {"id": f"bench-{number}", "achievements": records}


def cpu_ms(action: Callable[[], Any], repeats: int) -> float:
    """Median CPU milliseconds of one call (CPU time: the machine may be shared)."""
    times = []
    for _ in range(repeats):
        start = time.process_time()
        action()
        times.append((time.process_time() - start) * 1000)
    return statistics.median(times)


def cold_allocate(*args: Any, **kwargs: Any) -> allocate_module.Allocation:
    """The exact allocator without the plan's memo: a learner evaluated again here is solved again, as a
    learner seen once is in a province (the memo would answer every repeat and time a dictionary look-up)."""
    kwargs.pop("memo", None)
    return allocate_module.allocate(*args, **kwargs)


class PathRecorder:
    """Wraps the evaluator's ``allocate`` (without its memo) to note which paths each decision's components took."""

    def __init__(self) -> None:
        self.paths: Counter[str] = Counter()
        self.original = evaluator.allocate

    def __call__(self, *args: Any, **kwargs: Any) -> allocate_module.Allocation:
        result = cold_allocate(*args, **kwargs)
        self.paths.update(result.paths)
        return result


def former_search(cands: list[Candidate], credit_caps: list[CreditCap], count_caps: list[Any],
                  total_cap: int | None) -> BranchAndBound:
    """The branch and bound as it was: a 200,000-node budget, and its bound grouping candidates
    by their first exclusive thing."""
    search = BranchAndBound(cands, credit_caps, count_caps, total_cap, 200_000)
    search.suffix = upper_bounds(cands, first_token=True)
    return search


def former_allocate(cands: list[Candidate], credit_caps: list[CreditCap], count_caps: list[Any],
                    total_cap: int | None = None, memo: Any = None) -> allocate_module.Allocation:
    """The allocator before the exact solver, for comparison in the same run: every component,
    single or not, by the former search, keeping the best set found when the budget runs out
    (then the decision was not proven best)."""
    chosen: dict[int, int] = {}
    optimal, nodes, searched = True, 0, 0
    components = allocate_module._components(cands, credit_caps, count_caps)
    for members in components:
        members.sort()
        sub = [cands[i] for i in members]
        searched += len(sub) if len(sub) > 1 else 0
        search = former_search(sub, credit_caps, count_caps, total_cap)
        if search.run() is None:
            optimal = False
        nodes += search.nodes
        for local, amount in search.best:
            chosen[members[local]] = amount
    return allocate_module.Allocation(chosen, optimal, len(components), nodes, searched)


def summary(times: list[float]) -> str:
    median = statistics.median(times)
    return f"median {median:7.3f} ms  max {max(times):7.3f} ms  max/median {max(times) / median:5.1f}"


def typical(args: argparse.Namespace, label: str, standard: creditrules.CompiledStandard,
            learners: list[creditrules.Learner]) -> None:
    print(f"== 1. {label}: {len(learners)} learners, evaluate (compact trace) ==")
    floor = Floor(standard.ruleset_for(AS_OF), AS_OF)
    recorder = PathRecorder()
    rows = []
    try:
        for person in learners:
            evaluator.allocate = recorder  # type: ignore[assignment]
            recorder.paths.clear()
            decision = creditrules.evaluate(standard, person, AS_OF, trace="compact")
            paths = dict(recorder.paths)
            assert decision.search.optimal
            evaluator.allocate = former_allocate  # type: ignore[assignment]
            unproven = not creditrules.evaluate(standard, person, AS_OF, trace="compact").search.optimal
            # the two allocators interleaved, so that the machine's load falls on both alike
            now, before = [], []
            for _ in range(args.repeats):
                for allocator, times in ((cold_allocate, now), (former_allocate, before)):
                    evaluator.allocate = allocator  # type: ignore[assignment]
                    times.append(cpu_ms(lambda p=person: creditrules.evaluate(standard, p, AS_OF, trace="compact"),
                                        1))
            achievements = list(person.achievements)
            floor_ms = cpu_ms(lambda a=achievements: floor.match(a), args.repeats * 10)
            rows.append((statistics.median(now), statistics.median(before), floor_ms, decision.search.candidates,
                         paths, unproven))
    finally:
        evaluator.allocate = recorder.original  # type: ignore[assignment]
    times = [r[0] for r in rows]
    floors = [r[2] for r in rows]
    print(f"decisions:        {summary(times)}")
    print(f"former allocator: {summary([r[1] for r in rows])}  ({sum(r[5] for r in rows)} not proven best)")
    print(f"floor (matching): {summary(floors)}")
    print(f"median decision ÷ median floor: {statistics.median(times) / statistics.median(floors):.0f}×; "
          f"median decision ÷ median with the former allocator: "
          f"{statistics.median(times) / statistics.median([r[1] for r in rows]):.2f}")
    by_path: Counter[str] = Counter()
    for row in rows:
        by_path.update(row[4])
    print(f"components by path, all learners: {dict(sorted(by_path.items()))}")
    for path in ("milp", "dfs"):
        mine = [r[0] for r in rows if path in r[4]]
        if mine:
            print(f"learners with a component solved by {path.upper()}: {len(mine)}, {summary(mine)}")
    heaviest = max(rows, key=lambda r: r[0])
    print(f"slowest: {heaviest[0]:.3f} ms, {heaviest[3]} candidates, paths {heaviest[4]}")
    print()


def sample_workload(args: argparse.Namespace) -> tuple[str, creditrules.CompiledStandard, list[creditrules.Learner]]:
    standard = creditrules.compile_standards(ROOT / "standards")["yrd-computer-application"]
    rng = random.Random(args.seed)
    learners = [creditrules.learner_from_dict(typical_learner(rng, n)) for n in range(args.learners)]
    return "sample yrd-computer-application, learners like TYPICAL", standard, learners


def generated_workload(args: argparse.Namespace, folder: Path
                       ) -> tuple[str, creditrules.CompiledStandard, list[creditrules.Learner]]:
    """bench/scale.py's typical workload: 30 two-credit course rules on 10 codes under yrd-base's
    total cap of 50 credits; 10 random records each. Past 25 candidates the cap can bind and
    every candidate competes in one component (the former search's cliff)."""
    standard = compile_generated(folder, 30)
    learners = [creditrules.learner_from_dict(scale_learner(10, seed=args.seed + n)) for n in range(args.learners)]
    return "bench/scale.py's generated typical standard (30 rules)", standard, learners


def cliff_instance(rng: random.Random, size: int) -> tuple[list[Candidate], list[CreditCap]]:
    cands = []
    for i in range(size):
        amount = rng.choice((200, 300, 400))
        cands.append(Candidate((i,), amount, False, ((("course", i), ("rule", i)),), ((0, amount),), (), index=i))
    return cands, [CreditCap("total", 3050)]


def cliff(args: argparse.Namespace) -> None:
    print("== 2. the cliff: whole-course awards competing under a total cap of 30.5 credits, allocate alone ==")
    rng = random.Random(args.seed)
    for size in (20, 30, 40, 60):
        instances = [cliff_instance(rng, size) for _ in range(10)]
        times, paths = [], Counter[str]()
        for cands, caps in instances:
            result = allocate_module.allocate(cands, caps, [], 0)
            assert result.optimal
            paths.update(result.paths)
            times.append(cpu_ms(lambda c=cands, k=caps: allocate_module.allocate(c, k, [], 0), args.repeats))
        print(f"{size:>3} candidates: {summary(times)}  paths {dict(paths)}")
        if args.old:
            cands, caps = instances[0]
            search = former_search(cands, caps, [], 0)
            start = time.process_time()
            found = search.run()
            spent = (time.process_time() - start) * 1000
            print(f"     former search (200,000-node budget), first instance: {search.nodes:,} nodes, {spent:.0f} ms, "
                  f"{'proven' if found is not None else 'NOT proven best'}")
    print()


def large(args: argparse.Namespace, folder: Path) -> None:
    print("== 3. large components: bench/scale.py's growth workloads, evaluate (compact trace) ==")
    for label, rules, achievements in (("rules ×10: 10 achievements, 300 rules", 300, 10),
                                       ("achievements ×10: 100 achievements, 30 rules", 30, 100)):
        standard = compile_generated(folder, rules)
        person = creditrules.learner_from_dict(scale_learner(achievements))
        recorder = PathRecorder()
        figures = {}
        paths: dict[str, int] = {}
        try:
            for name, allocator in (("exact", recorder), ("former", former_allocate)):
                evaluator.allocate = allocator  # type: ignore[assignment]
                decision = creditrules.evaluate(standard, person, AS_OF, trace="compact")
                paths = dict(recorder.paths) if name == "exact" else paths
                ms = cpu_ms(lambda standard=standard, person=person: creditrules.evaluate(
                    standard, person, AS_OF, trace="compact"), args.repeats)
                figures[name] = (ms, decision.search.optimal, decision.total)
        finally:
            evaluator.allocate = recorder.original  # type: ignore[assignment]
        print(f"{label}: {decision.search.candidates} candidates; exact {figures['exact'][0]:.1f} ms "
              f"(paths {paths}, total {figures['exact'][2]}); former {figures['former'][0]:.1f} ms "
              f"({'proven' if figures['former'][1] else 'NOT proven best'}, total {figures['former'][2]})")
    print()


def floor_reference(args: argparse.Namespace) -> None:
    print("== 0. machine ==")
    print(f"{platform.processor() or platform.machine()}, Python {platform.python_version()}, "
          f"highspy {__import__('importlib.metadata').metadata.version('highspy')}")
    # the first MILP of a process imports highspy (~0.2 s): pay it before measuring
    allocate_module.allocate(*cliff_instance(random.Random(0), 40), [], 0)
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--learners", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--old", action="store_true", help="also run the former budgeted search on the cliff")
    args = parser.parse_args()
    floor_reference(args)
    typical(args, *sample_workload(args))
    with tempfile.TemporaryDirectory() as folder:
        typical(args, *generated_workload(args, Path(folder)))
        cliff(args)
        large(args, Path(folder))


if __name__ == "__main__":
    main()

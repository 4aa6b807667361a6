"""The evaluation core against its targets, as ratios measured in one run. Run by hand; never as a timed test.

    python bench/core.py [--seconds 2] [--rounds 3]

The machine may be shared, so every figure is per CPU second and every speed is given as a
ratio against a bare-Python floor (``bench/scale.py``'s ``Floor``: the same matching as bare
dictionary look-ups) measured in the same rounds, interleaved; the median of the rounds is kept.

1. ``evaluate`` (compact trace) of the typical learner of ``bench/evaluate.py`` on the sample
   ``yrd-computer-application``, and of a generated 30-rule standard: learners per CPU second,
   the floor's, and evaluate ÷ floor (target: at least ¼). The same learner again and again
   is the best case for what the evaluator remembers between learners (the allocation of a
   problem of the same shape, ``creditrules.solve.shape``), so the *population* rows decide a
   stream of distinct random learners instead, each seen once (``bench/solver.py``'s learners
   like TYPICAL, and random 10-record learners of the generated standard), and say how often
   the memo answered.
2. ×100 rules on codes the learner does not hold (30 → 30 + 3,000 rules): the cost ratio
   (target: at most ×1.5).
3. ``explain`` of one learner with the full trace: milliseconds (target: at most 2 ms).
4. Decision JSON bytes against a learner's records: 20 competitions plus N training records
   that lose to the total cap, N = 40 … 320: bytes per added record must stay flat (linear).
"""

from __future__ import annotations

import argparse
import gc
import itertools
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import creditrules
from evaluate import TYPICAL
from scale import AS_OF, Floor, compile_generated, learner, machine, per_second
from solver import typical_learner


def interleaved(actions: dict[str, Callable[[], Any]], seconds: float, rounds: int) -> dict[str, float]:
    """Median calls per CPU second of each action, measured in alternating rounds."""
    rates: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(rounds):
        for name, action in actions.items():
            rates[name].append(per_second(action, seconds))
    return {name: statistics.median(values) for name, values in rates.items()}


def against_floor(label: str, standard: creditrules.CompiledStandard, person: creditrules.Learner,
                  seconds: float, rounds: int) -> float:
    floor = Floor(standard.ruleset_for(AS_OF), AS_OF)
    achievements = list(person.achievements)
    rates = interleaved({"evaluate": lambda: creditrules.evaluate(standard, person, AS_OF, trace="compact"),
                         "floor": lambda: floor.match(achievements)}, seconds, rounds)
    ratio = rates["evaluate"] / rates["floor"]
    print(f"{label:<44}{rates['evaluate']:>12,.0f}{rates['floor']:>12,.0f}{'1/' + format(1 / ratio, '.1f'):>10}"
          f"   {'met' if ratio >= 0.25 else 'missed'} (≥ 1/4)")
    return rates["evaluate"]


def population(label: str, standard: creditrules.CompiledStandard, people: list[creditrules.Learner],
               seconds: float, rounds: int) -> float:
    """evaluate ÷ floor over a stream of distinct learners, each evaluated once (the floor cycles through them)."""
    floor = Floor(standard.ruleset_for(AS_OF), AS_OF)
    memo = standard.ruleset_for(AS_OF).plan.allocations
    hits, misses = memo.hits, memo.misses
    fresh = iter(people)
    cycle = itertools.cycle([list(p.achievements) for p in people])
    rates = interleaved({"evaluate": lambda: creditrules.evaluate(standard, next(fresh), AS_OF, trace="compact"),
                         "floor": lambda: floor.match(next(cycle))}, seconds, rounds)
    ratio = rates["evaluate"] / rates["floor"]
    asked = memo.hits - hits + memo.misses - misses
    share = f"memo answered {(memo.hits - hits) / asked:.0%} of {asked:,}" if asked else "memo not asked"
    print(f"{label:<44}{rates['evaluate']:>12,.0f}{rates['floor']:>12,.0f}{'1/' + format(1 / ratio, '.1f'):>10}"
          f"   {'met' if ratio >= 0.25 else 'missed'} (≥ 1/4); {share}")
    return rates["evaluate"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=1.0, help="per measurement (default 1)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (default 3)")
    parser.add_argument("--no-freeze", action="store_true", help="leave the compiled standards to the collector")
    args = parser.parse_args()
    print(machine())
    folder = Path(tempfile.mkdtemp(prefix="creditrules-core-"))
    library = creditrules.compile_standards(ROOT / "standards")
    sample = library["yrd-computer-application"]
    generated = compile_generated(folder, 30)
    wide_folder = folder / "wide"
    wide_folder.mkdir()
    wide = compile_generated(wide_folder, 30, untouched=3000)
    if not args.no_freeze:
        gc.freeze()  # what is compiled once is never garbage: keep the collector from walking it
    typical = creditrules.learner_from_dict(TYPICAL)
    person = creditrules.learner_from_dict(learner(10))

    print("\n== 1. evaluate (compact trace) against the floor, per CPU second ==")
    print(f"{'workload':<44}{'evaluate/s':>12}{'floor/s':>12}{'ratio':>10}")
    against_floor("typical learner, yrd-computer-application", sample, typical, args.seconds, args.rounds)
    against_floor("10 achievements, generated 30 rules", generated, person, args.seconds, args.rounds)
    enough = int(args.seconds * args.rounds * 12_000) + 1_000  # more than evaluate can use up in the rounds
    rng = random.Random(7)
    population("population like TYPICAL, each seen once", sample,
               [creditrules.learner_from_dict(typical_learner(rng, n)) for n in range(enough)],
               args.seconds, args.rounds)
    population("population of generated 10-record learners", generated,
               [creditrules.learner_from_dict(learner(10, seed=1_000 + n)) for n in range(enough)],
               args.seconds, args.rounds)

    print("\n== 2. ×100 rules on codes the learner does not hold ==")
    rates = interleaved({"30": lambda: creditrules.evaluate(generated, person, AS_OF, trace="compact"),
                         "3030": lambda: creditrules.evaluate(wide, person, AS_OF, trace="compact")},
                        args.seconds, args.rounds)
    cost = rates["30"] / rates["3030"]
    print(f"30 rules: {rates['30']:,.0f}/s; 30 + 3,000 untouched rules: {rates['3030']:,.0f}/s; "
          f"cost ×{cost:.2f}   {'met' if cost <= 1.5 else 'missed'} (≤ ×1.5)")

    print("\n== 3. explain, full trace, one learner ==")
    runs = 200
    start = time.process_time()
    for _ in range(runs):
        decision = creditrules.evaluate(sample, typical, AS_OF, trace="full")
        creditrules.render_explanation(decision, sample.ruleset_for(AS_OF), "A1")
    ms = (time.process_time() - start) / runs * 1000
    print(f"evaluate --trace full + explain A1: {ms:.2f} ms   {'met' if ms <= 2 else 'missed'} (≤ 2 ms)")

    print("\n== 4. decision JSON bytes against records (20 competitions + N training records over the cap) ==")
    sizes = []
    for n in (40, 80, 160, 320):
        achievements = [{"id": f"C{i}", "code": "COMP-VOC", "tier": "国家级", "award": "一等奖", "event": f"赛项{i}",
                         "organizer": "government", "obtained": "2025-01-01", "verified": True} for i in range(20)]
        achievements += [{"id": f"T{i}", "code": "TRAIN-EXT", "hours": 16, "obtained": "2025-01-01",
                          "verified": True} for i in range(n)]
        decision = creditrules.evaluate(sample, {"id": "L", "achievements": achievements}, AS_OF, trace="compact")
        sizes.append((n, len(decision.to_json().encode())))
    for (n0, b0), (n1, b1) in itertools.pairwise(sizes):
        print(f"N {n0:>4} → {n1:>4}: {b0:>8,} → {b1:>8,} bytes, {(b1 - b0) / (n1 - n0):,.0f} bytes per added record")


if __name__ == "__main__":
    main()

"""Encoding decisions to lines: the same bytes as another commit's code, and the time per learner against it.

    python bench/encode.py --base /tmp/enc/base/src                 # compare bytes, then time (interleaved)
    python bench/encode.py --base /tmp/enc/base/src --no-time       # bytes only
    python bench/encode.py --base /tmp/enc/base/src --only base --modes compact --repeat 3 --learners 300
                                                                    # decide, then encode 3 times: for callgrind

``--base`` is the ``src`` folder of another checkout (``git archive COMMIT src | tar -x -C DIR``): its
``creditrules`` is loaded beside this one under another name, and both decide the same learners (synthetic
province rows for every conversion standard in force, the example learners against every one of them,
and learners whose ids and texts are awkward: quotes, backslashes, controls, U+2028, bidi overrides,
formula starts, non-BMP characters) in every trace mode. Every output a batch or ``evaluate`` writes for a
decision is compared byte for byte: the JSON line (``compact_json_bytes``), the indented JSON
(``Decision.to_json``), the award CSV lines and the decision CSV line (``CsvLines``), and the rejects.

The timing encodes what a batch worker encodes per learner (the JSON line and the award CSV lines) for
every decision, in rounds that alternate between the two codes, per CPU second; the ratio is new / base.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import random
import statistics
import sys
import time
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import creditrules
from province import Province

AS_OF = "2025-06-30"
MODES = ("none", "compact", "full")
AWKWARD = ['a"b', "a\\b", "a\tb", "a\nb", "a\rb", "=cmd|' /C calc'!A0", "+1", "-2", "@x", "\tlead", "x\u2028y",
           "x\u2029y", "x\x85y", "x\u202ey", "\U0001f600", "a\uffff", "\x00", "a\x1f", "a\x7f", "中文", "e\u0301",
           "a,b", "null", "\ufeffbom", "𝔘𝔫𝔦", "z" * 300, "1e16", "-0.0", "'quoted'", '"', "\\"]


def load_base(src: Path) -> ModuleType:
    """The ``creditrules`` package under ``src``, imported as ``crbase`` (its imports are relative)."""
    spec = importlib.util.spec_from_file_location("crbase", src / "creditrules" / "__init__.py",
                                                  submodule_search_locations=[str(src / "creditrules")])
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["crbase"] = module
    spec.loader.exec_module(module)
    return module


def learner_rows(learners: int, seed: int) -> list[tuple[str, list[dict[str, Any]]]]:
    """Synthetic learners (``bench/province.py``) and awkward ones, as (id, rows)."""
    args = argparse.Namespace(seed=seed, as_of=AS_OF, standards=str(ROOT / "standards"), bad=0.01,
                              learners=learners, achievements=learners * 9)
    province = Province(args)
    rng = random.Random(seed)
    found: list[tuple[str, list[dict[str, Any]]]] = []
    for number, count in enumerate(province.counts(), start=1):
        rows = [_loads(text) for text in province.learner_rows(number, count)]
        found.append((f"AH{number:07d}", [row for row in rows if isinstance(row, dict)]))
    for index, text in enumerate(AWKWARD):  # awkward ids, and awkward text in every text value
        number = rng.randrange(1, learners + 1)
        rows = [{k: (text if isinstance(v, str) and k not in ("code", "obtained", "level") else v)
                 for k, v in row.items()} for row in found[number - 1][1]]
        found.append((f"{text}{index}", [{**row, "id": f"{row.get('id')}{text}"} for row in rows]))
    return found


def _loads(text: str) -> Any:
    import json
    try:
        return json.loads(text)
    except ValueError:
        return None


class Side:
    """One code's decisions and encoders."""

    def __init__(self, package: ModuleType, name: str):
        self.name = name
        self.package = package
        batch = importlib.import_module(f"{package.__name__}.batch")
        self.tables = importlib.import_module(f"{package.__name__}.batch.tables")
        self.jsontext = importlib.import_module(f"{package.__name__}.jsontext")
        self.learner = importlib.import_module(f"{package.__name__}.learner")
        self.decide_rows = batch.decide_learner_rows
        library = package.compile_standards(ROOT / "standards")
        day = date.fromisoformat(AS_OF)
        self.rulesets = []
        for standard_id in sorted(library.standards):
            try:
                ruleset = library[standard_id].ruleset_for(day)
            except package.NoVersionInForce:
                continue
            if ruleset.kind == "conversion":
                self.rulesets.append(ruleset)

    def decide(self, people: list[tuple[str, list[dict[str, Any]]]], examples: list[Path],
               mode: str) -> list[tuple[Any, Any, Any]]:
        """(ruleset, outcome, decision) for every synthetic learner against the standard whose codes
        they hold most of, and every example learner against every standard."""
        found = []
        for index, (learner, rows) in enumerate(people):
            ruleset = self.rulesets[index % len(self.rulesets)] if index % 7 == 0 else _best(self.rulesets, rows)
            outcome = self.decide_rows(ruleset, learner, list(enumerate(rows, start=1)), AS_OF, mode)
            found.append((ruleset, outcome, outcome.decision))
        for path in examples:
            person = self.learner.load_learner(path)
            for ruleset in self.rulesets:
                decision = self.package.evaluate(ruleset, person, date.fromisoformat(AS_OF), trace=mode)
                found.append((ruleset, None, decision))
        return found

    def outputs(self, decided: list[tuple[Any, Any, Any]], mode: str) -> list[bytes]:
        """Every output of every decision, one bytes each."""
        lines = self.tables.CsvLines()
        found = []
        for ruleset, outcome, decision in decided:
            if outcome is not None:
                found.append(b"".join(self.jsontext.compact_json_bytes(item) for item in outcome.rejects))
            if decision is None:
                continue
            found.append(self.jsontext.compact_json_bytes(decision.to_dict(trace=mode != "none")))
            found.append(self.line(decision, mode != "none"))
            found.append(decision.to_json(trace=mode != "none").encode("utf-8"))
            found.append(self.jsontext.compact_json(decision.to_dict()).encode("utf-8"))
            found.append(b"".join(lines.line(row) for row in self.tables.award_rows(decision)))
            if outcome is not None:
                found.append(lines.line(self.tables.decision_row(decision, ruleset, outcome)))
        return found

    def line(self, decision: Any, trace: bool) -> bytes:
        """A decision's batch line as this code writes it (``Decision.to_json_bytes`` where there is one)."""
        if hasattr(decision, "to_json_bytes"):
            return bytes(decision.to_json_bytes(trace=trace))
        return bytes(self.jsontext.compact_json_bytes(decision.to_dict(trace=trace)))

    def encoder(self, mode: str) -> Any:
        """What a worker encodes per learner: the JSON line and the award CSV lines."""
        award_rows, trace = self.tables.award_rows, mode != "none"
        lines = self.tables.CsvLines()
        to_line = self.line

        def encode(decisions: list[Any]) -> int:
            size = 0
            for decision in decisions:
                size += len(to_line(decision, trace))
                for row in award_rows(decision):
                    size += len(lines.line(row))
            return size

        return encode


def _best(rulesets: list[Any], rows: list[dict[str, Any]]) -> Any:
    codes = {row.get("code") for row in rows}
    return max(rulesets, key=lambda r: len(codes & set(r.catalog)))


def compare(sides: list[Side], people: list[tuple[str, list[dict[str, Any]]]], examples: list[Path]) -> dict[str, Any]:
    decided: dict[str, list[list[Any]]] = {mode: [] for mode in MODES}
    compared = 0
    for mode in MODES:
        outputs = []
        for side in sides:
            found = side.decide(people, examples, mode)
            decided[mode].append([d for _, _, d in found if d is not None])
            outputs.append(side.outputs(found, mode))
        if len(outputs) == 2:
            assert len(outputs[0]) == len(outputs[1]), mode
            for index, (old, new) in enumerate(zip(*outputs)):
                if old != new:
                    raise SystemExit(f"{mode}: output {index} differs:\n{old[:400]!r}\n{new[:400]!r}")
            compared += len(outputs[0])
        print(f"{mode}: {len(decided[mode][0]):,} decisions, {len(outputs[0]):,} outputs"
              + (" byte-identical" if len(outputs) == 2 else ""))
    return {"decided": decided, "compared": compared}


def timing(sides: list[Side], decided: dict[str, list[list[Any]]], rounds: int) -> None:
    for mode in MODES:
        encoders = [side.encoder(mode) for side in sides]
        seconds: list[list[float]] = [[] for _ in sides]
        for _ in range(rounds):
            for index, encode in enumerate(encoders):
                decisions = decided[mode][index]
                start = time.process_time()
                encode(decisions)
                seconds[index].append((time.process_time() - start) / len(decisions) * 1e6)
        best = [statistics.median(s) for s in seconds]
        text = ", ".join(f"{side.name} {b:.1f} µs" for side, b in zip(sides, best))
        ratios = [n / o for o, n in zip(*seconds)] if len(sides) == 2 else []
        print(f"{mode}: per learner {text}" + (f", new/base ×{statistics.median(ratios):.2f} "
                                                f"(rounds {min(ratios):.2f}–{max(ratios):.2f})" if ratios else ""))


def repeat(side: Side, people: list[tuple[str, list[dict[str, Any]]]], modes: list[str], times: int) -> int:
    """Decide in each mode, then encode every decision ``times`` times (for an instruction count). The
    decisions are frozen out of the garbage collector's sight first: a full collection over them, due in
    one run and not the other, would count as encoding."""
    for mode in modes:
        decisions = [d for _, _, d in side.decide(people, [], mode) if d is not None]
        encode = side.encoder(mode)
        gc.collect()
        gc.freeze()
        for _ in range(times):
            encode(decisions)
        print(f"{side.name} {mode}: {len(decisions)} decisions encoded {times} times")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", type=Path, help="the src folder of the code to compare with")
    parser.add_argument("--only", choices=("new", "base"), help="one side only (for callgrind)")
    parser.add_argument("--learners", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--no-time", action="store_true")
    parser.add_argument("--modes", default=",".join(MODES), help="trace modes, comma-separated")
    parser.add_argument("--repeat", type=int, default=None,
                        help="with --only: decide, then encode every decision this many times, nothing else "
                             "(run with 0 and N under callgrind: the difference is N encodings)")
    args = parser.parse_args(argv)
    sides = []
    if args.base is not None and args.only != "new":
        sides.append(Side(load_base(args.base), "base"))
    if args.only != "base":
        sides.append(Side(creditrules, "new"))
    people = learner_rows(args.learners, args.seed)
    if args.repeat is not None:
        return repeat(sides[-1], people, args.modes.split(","), args.repeat)
    examples = sorted((ROOT / "examples").glob("*.yaml"))
    result = compare(sides, people, examples)
    if len(sides) == 2:
        print(f"compared {result['compared']:,} outputs, all byte-identical")
    if not args.no_time and args.rounds:
        timing(sides, result["decided"], args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())

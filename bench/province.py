"""A synthetic province: deterministic achievement rows for batch runs and benchmarks.

    python bench/province.py --output province.jsonl                  # 1.1M learners, 10M rows
    python bench/province.py --output small.jsonl --learners 100000 --achievements 910000

Every learner belongs to one population: the learners of one conversion standard of
the corpus (every one under ``standards/``, found by compiling it: 1+X students of the
Yangtze Delta majors, the industrial-worker credit bank's four majors, both farmer
pilots and the modern-agriculture major, kindergarten principals and special-post
teachers, elderly learners). Shares follow the seed's figures (DOMAIN.md): 1+X and
vocational-skill certificates are most of the ten million stored outcomes, so the
college majors carry most learners; the industrial-worker bank (300 workers), the farmer
pilots (80 learners) and the teachers (3,000) are small but present; a standard the
table below does not name gets ``DEFAULT_SHARE``. A learner mostly holds the codes of
their own standard (and of the certification standards it uses); one achievement in
ten comes from anywhere in the province's catalogs, as real records do. Levels lean
low (more 初级 than 高级), training hours come in the usual blocks, dates spread over the last years (a few lie in the
future), nine in ten records are verified. A fraction ``--bad`` of the rows is broken
on purpose (cut-off JSON, no learner, no date, a badly written date, a duplicate
id, an impossible value) so the rejects file has something to say.

Rows are written as JSONL, streaming: by default shuffled through a bounded window
so that one learner's rows do not arrive together (``--order grouped`` keeps them
together). The same seed and flags give the same bytes. Memory stays bounded
(the shuffle window) whatever the size.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import creditrules
from creditrules.compiled import CompiledRuleset

# conversion standard → relative share of learners (see the module's docstring); every other
# conversion standard of the corpus gets DEFAULT_SHARE
SHARES = {
    "yrd-computer-application": 0.26,
    "yrd-big-data-accounting": 0.22,
    "ah-worker-cnc": 0.08,
    "ah-worker-mechatronics": 0.07,
    "ah-worker-nev": 0.07,
    "ah-worker-chem": 0.05,
    "ah-farmer-agri": 0.06,
    "ah-farmer-qianshan": 0.03,
    "ah-farmer-yingshang": 0.03,
    "ah-teacher-preschool": 0.04,
    "ah-senior-arts-certificate": 0.09,
}
DEFAULT_SHARE = 0.02
CROSS_OVER = 0.10  # share of a learner's records drawn from the whole province catalog
CROPS = ("茶叶", "茶叶", "小麦", "水稻", "水产", "蔬菜")
HOURS = (8, 12, 16, 16, 24, 32, 32, 40, 48, 64, 80, 96, 120)
BAD_KINDS = ("cut-json", "no-learner", "no-obtained", "bad-date", "duplicate-id", "bad-value")


@dataclass(frozen=True)
class CodeInfo:
    code: str
    attributes: tuple[tuple[str, Any, bool], ...]  # (name, attribute info, required)
    scales: dict[str, tuple[str, ...]]


def populations(library: dict[str, creditrules.CompiledStandard], as_of: date) -> list[tuple[str, float]]:
    """Every conversion standard in force on ``as_of``, with its share of learners, by id."""
    found = []
    for standard_id, standard in sorted(library.items()):
        try:
            ruleset = standard.ruleset_for(as_of)
        except creditrules.NoVersionInForce:
            continue
        if ruleset.kind == "conversion":
            found.append((standard_id, SHARES.get(standard_id, DEFAULT_SHARE)))
    return found


def catalogs(standards: Path, as_of: date
             ) -> tuple[list[tuple[str, float]], dict[str, list[CodeInfo]], list[CodeInfo]]:
    """The populations; per population, the codes its standard knows (aliases included); every code of all."""
    library = creditrules.compile_standards(standards)
    found = populations(library.standards, as_of)
    per: dict[str, list[CodeInfo]] = {}
    everything: dict[str, CodeInfo] = {}
    for standard_id, _ in found:
        ruleset = library[standard_id].ruleset_for(as_of)
        infos = _codes(ruleset)
        per[standard_id] = infos
        for info in infos:
            everything.setdefault(info.code, info)
    return found, per, [everything[c] for c in sorted(everything)]


def _codes(ruleset: CompiledRuleset) -> list[CodeInfo]:
    outcomes = {r.outcome for stage in (*ruleset.certifications, ruleset) for r in stage.rules if r.outcome}
    found: dict[str, CodeInfo] = {}
    for stage in (*ruleset.certifications, ruleset):
        scales = {name: scale.levels for name, scale in stage.scales.items()}
        for code, info in sorted(stage.catalog.items()):
            if code in outcomes:
                continue  # certified outcomes are made by the engine, not stored
            kind = stage.kinds[info.kind]
            found.setdefault(code, CodeInfo(code, tuple((n, a, a.required) for n, a in kind.attributes.items()),
                                            scales))
        for alias, code in sorted(stage.aliases.items()):
            if code in found:
                found.setdefault(alias, CodeInfo(alias, found[code].attributes, found[code].scales))
    return [found[c] for c in sorted(found)]


class Province:
    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.rng = random.Random(args.seed)
        self.as_of = date.fromisoformat(args.as_of)
        found, self.per, self.everything = catalogs(Path(args.standards), self.as_of)
        self.population_ids = [p for p, _ in found]
        self.population_weights = [w for _, w in found]
        self.events = [f"{year}年{place}{name}赛项" for year in (2022, 2023, 2024, 2025)
                       for place in ("安徽省", "合肥市", "安庆市", "芜湖市", "全国")
                       for name in ("Web前端", "云计算", "大数据", "数控车", "数控铣", "会计技能", "电工")]
        self.topics = ["课程" + str(i) for i in range(1, 61)]
        self.bad_rows = 0

    def counts(self) -> Iterator[int]:
        """Achievements per learner: a gamma draw around what is left to reach the total exactly."""
        learners, total = self.args.learners, self.args.achievements
        remaining = total
        for index in range(learners):
            left = learners - index
            if left == 1:
                yield max(1, remaining)
                return
            mean = max(1.0, remaining / left)
            n = round(self.rng.gammavariate(2.0, mean / 2.0))
            n = max(1, min(n, 60, remaining - (left - 1)))
            remaining -= n
            yield n

    def value(self, name: str, attr: Any, scales: dict[str, tuple[str, ...]]) -> Any:
        rng = self.rng
        if attr.type == "scale":
            levels = scales[attr.scale]
            weights = [0.45 * (0.6 ** i) for i in range(len(levels))]
            return rng.choices(levels, weights)[0]
        if attr.type == "choice":
            return rng.choice(sorted(attr.values))
        if attr.type == "number":
            low = attr.min if attr.min is not None else 0.0
            high = attr.max if attr.max is not None else 100.0
            if name == "hours":
                value: float = rng.choice(HOURS)
            elif name in ("score", "attendance"):
                value = round(rng.gauss(78 if name == "score" else 88, 11))
            elif name == "credits":
                value = rng.choice((2, 3, 3.5, 4, 4, 4, 4.5, 5))
            else:
                value = round(rng.uniform(low, high), 1)
            return min(max(value, low), high)
        if attr.type == "bool":
            return rng.random() < 0.5
        if attr.type == "date":
            return self.obtained().isoformat()
        if name == "event":
            return rng.choice(self.events)
        if name == "crop":
            return rng.choice(CROPS)
        return rng.choice(self.topics)

    def obtained(self) -> date:
        if self.rng.random() < 0.002:
            return self.as_of + timedelta(days=self.rng.randint(1, 200))  # in the future: refused
        days = int(self.rng.expovariate(1 / 700))
        return max(date(2015, 1, 1), self.as_of - timedelta(days=days))

    def learner_rows(self, number: int, count: int) -> list[str]:
        rng = self.rng
        learner = f"AH{number:07d}"
        population = rng.choices(self.population_ids, self.population_weights)[0]
        own = self.per[population]
        rows = []
        for index in range(1, count + 1):
            info = rng.choice(self.everything if rng.random() < CROSS_OVER else own)
            row: dict[str, Any] = {"learner": learner, "id": f"A{index}", "code": info.code,
                                   "obtained": self.obtained().isoformat(), "verified": rng.random() < 0.9}
            for name, attr, required in info.attributes:
                if required or rng.random() < 0.7:
                    row[name] = self.value(name, attr, info.scales)
            text = None
            if rng.random() < self.args.bad:
                row, text = self.spoil(row, info)
                self.bad_rows += 1
            rows.append(text if text is not None else json.dumps(row, ensure_ascii=False, separators=(",", ":")))
        return rows

    def spoil(self, row: dict[str, Any], info: CodeInfo) -> tuple[dict[str, Any], str | None]:
        kind = self.rng.choice(BAD_KINDS)
        if kind == "cut-json":
            text = json.dumps(row, ensure_ascii=False, separators=(",", ":"))
            return row, text[: len(text) // 2]
        if kind == "no-learner":
            del row["learner"]
        elif kind == "no-obtained":
            del row["obtained"]
        elif kind == "bad-date":
            row["obtained"] = row["obtained"].replace("-", "/")
        elif kind == "duplicate-id":
            row["id"] = "A1"
        else:
            numbers = [n for n, a, _ in info.attributes if a.type == "number"]
            scales = [n for n, a, _ in info.attributes if a.type == "scale"]
            if numbers:
                row[numbers[0]] = -16
            elif scales:
                row[scales[0]] = "特级"
            else:
                row["verified"] = "yes"
        return row, None

    def rows(self) -> Iterator[str]:
        for number, count in enumerate(self.counts(), start=1):
            yield from self.learner_rows(number, count)


def shuffled(rows: Iterator[str], window: int, rng: random.Random) -> Iterator[str]:
    """Rows in a random order within a sliding window: bounded memory, learners scattered."""
    buffer: list[str] = []
    for row in rows:
        if len(buffer) < window:
            buffer.append(row)
            continue
        index = rng.randrange(window)
        yield buffer[index]
        buffer[index] = row
    rng.shuffle(buffer)
    yield from buffer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--output", required=True, help="JSONL file to write ('-' for standard output)")
    parser.add_argument("--learners", type=int, default=1_100_000)
    parser.add_argument("--achievements", type=int, default=None,
                        help="rows in total (default: 9.1 per learner, so 10M for 1.1M learners)")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--bad", type=float, default=0.002, help="share of rows broken on purpose (default 0.002)")
    parser.add_argument("--as-of", default="2025-06-30", help="the dates are spread back from this day")
    parser.add_argument("--order", choices=("shuffled", "grouped"), default="shuffled")
    parser.add_argument("--window", type=int, default=200_000, help="shuffle window in rows (default 200,000)")
    parser.add_argument("--standards", default=str(ROOT / "standards"))
    args = parser.parse_args(argv)
    if args.achievements is None:
        args.achievements = round(args.learners * 10_000_000 / 1_100_000)
    if args.achievements < args.learners:
        parser.error("--achievements must be at least --learners (every learner has one achievement or more)")
    start = time.perf_counter()
    province = Province(args)
    rows = province.rows()
    if args.order == "shuffled":
        rows = shuffled(rows, args.window, random.Random(args.seed + 1))
    written = 0
    with (contextlib.nullcontext(sys.stdout) if args.output == "-"
          else open(args.output, "w", encoding="utf-8", newline="\n")) as stream:
        for row in rows:
            stream.write(row)
            stream.write("\n")
            written += 1
    seconds = time.perf_counter() - start
    print(f"{written:,} rows for {args.learners:,} learners ({province.bad_rows:,} broken on purpose), seed "
          f"{args.seed}, in {seconds:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

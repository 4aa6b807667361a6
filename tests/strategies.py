"""Hypothesis strategies: small, random but valid conversion standards and learners.

A generated standard is a plain dict in the YAML format of :mod:`creditrules.model`.
Every kind carries the same three attributes (``level`` on a three-level scale,
``hours`` a number, ``event`` text), so any condition or group key fits any kind
and the compiler never has a reason to refuse a rule. :func:`compile_dicts`
writes dicts as YAML files and compiles them the ordinary way; :func:`compile_in_memory`
skips the YAML round trip (most of the cost) for the many-example tests.

The strategies also return plain dicts for learners; :func:`achievement_facts`
gives what the tests need to know about each achievement (its kind and its
attribute values as the standard reads them) without asking the engine.
"""

from __future__ import annotations

import contextlib
import hashlib
import unicodedata
import warnings
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

import creditrules

# When a test fails, hypothesis' pytest plugin imports its patch writer, which imports
# libcst, which warns (DeprecationWarning) while pytest turns warnings into errors and
# the report is lost. Import it here once, quietly, so the later import is a no-op.
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    with contextlib.suppress(Exception):  # libcst missing or broken: nothing to pre-load
        import hypothesis.extra._patching  # noqa: F401

AS_OF = date(2025, 6, 30)
STANDARD_ID = "prop-std"
LEVELS = ["初级", "中级", "高级"]
EVENTS = ["e1", "e2", "e3"]
LEARNER_EVENTS = EVENTS + ["ｅ1"]  # the full-width spelling is the same event once normalised
KIND_POOL = ["k1", "k2", "k3"]
CODE_POOL = ["X1", "X2", "X3", "X4", "X5"]
COURSE_CREDITS = [1, 2, 2.5, 3, 4, 6]
CATEGORY_CREDITS = [0.5, 1, 1.5, 2, 3, 4]


# ---------------------------------------------------------------- compiling

_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def dump_yaml(data: Any) -> str:
    return yaml.dump(data, Dumper=_DUMPER, allow_unicode=True, sort_keys=False)


def compile_dicts(tmp_path: str | Path, standards: list[dict[str, Any]]) -> creditrules.CompiledLibrary:
    """Write each standard dict to ``tmp_path`` as YAML and compile the folder, the ordinary way."""
    folder = Path(tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    for i, std in enumerate(standards):
        (folder / f"std{i}-{std['id']}.yaml").write_text(dump_yaml(std), encoding="utf-8")
    return creditrules.compile_standards(folder)


def compile_one(tmp_path: str | Path, standard: dict[str, Any]) -> creditrules.CompiledStandard:
    return compile_dicts(tmp_path, [standard])[standard["id"]]


def compile_in_memory(standard: dict[str, Any]) -> creditrules.CompiledStandard:
    """The same as :func:`compile_one` without the YAML round trip, which costs most of the time:
    validate the dict with :class:`creditrules.model.Standard` and compile it. Positions are
    unknown (every rule's origin is line 1), so compare decisions without the trace's origins."""
    from creditrules import _yaml
    from creditrules.loader import SourceFile
    from creditrules.model import Standard

    text = dump_yaml(standard)
    source = SourceFile(Standard.model_validate(standard), f"<memory>/{standard['id']}.yaml",
                        hashlib.sha256(text.encode("utf-8")).hexdigest()[:16], _yaml.Positioned(standard, {}))
    return creditrules.compile_library(creditrules.StandardLibrary((source,)))[standard["id"]]


# ---------------------------------------------------------------- helpers


def _named(label: str) -> dict[str, str]:
    return {"name_zh": f"{label}（中）", "name_en": label}


def slot_kinds(slot: dict[str, Any], catalog: dict[str, Any]) -> set[str]:
    """The kinds a slot can take, as the compiler works them out."""
    kinds: set[str] | None = None
    if "code" in slot:
        codes = slot["code"] if isinstance(slot["code"], list) else [slot["code"]]
        kinds = {catalog[c]["kind"] for c in codes}
    if "kind" in slot:
        wanted = set(slot["kind"] if isinstance(slot["kind"], list) else [slot["kind"]])
        kinds = wanted if kinds is None else kinds & wanted
    return kinds or set()


def aggregated_kinds(standard: dict[str, Any]) -> set[str]:
    result: set[str] = set()
    for rule in standard.get("rules", []):
        if "aggregate" in rule:
            result |= slot_kinds(rule["aggregate"]["where"], standard["catalog"])
    return result


def normalise_text(raw: Any) -> str:
    return unicodedata.normalize("NFKC", str(raw)).strip()


def canonical_code(standard: dict[str, Any], code: str) -> str:
    aliases = {eq["code"]: eq["same_as"] for eq in standard.get("equivalences", [])}
    return aliases.get(code, code)


def usable(standard: dict[str, Any], raw: dict[str, Any]) -> bool:
    """Whether the standard can read the record at all (known code, valid values, not in the future)."""
    return (canonical_code(standard, raw["code"]) in standard["catalog"] and raw.get("level") in LEVELS
            and date.fromisoformat(raw["obtained"]) <= AS_OF)


def achievement_facts(standard: dict[str, Any], learner: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """For each usable achievement id: its kind and attribute values (code canonical, text normalised)."""
    facts: dict[str, dict[str, Any]] = {}
    for raw in learner.get("achievements", []):
        if not usable(standard, raw):
            continue
        code = canonical_code(standard, raw["code"])
        values = {"kind": standard["catalog"][code]["kind"], "code": code, "level": raw.get("level"),
                  "hours": raw.get("hours"), "event": normalise_text(raw["event"]) if "event" in raw else None,
                  "verified": raw.get("verified", False), "issuer": raw.get("issuer")}
        facts[str(raw["id"])] = values
    return facts


# ---------------------------------------------------------------- conditions and slots


@st.composite
def conditions(draw: st.DrawFn) -> dict[str, Any]:
    """0–2 extra conditions on the shared attributes."""
    result: dict[str, Any] = {}
    size = draw(st.sampled_from([0, 0, 0, 1, 1, 2]))
    pool = draw(st.lists(st.sampled_from(["level", "hours", "verified", "event", "obtained"]),
                         min_size=size, max_size=size, unique=True))
    for attribute in pool:
        if attribute == "level":
            result["level"] = draw(st.one_of(
                st.sampled_from(LEVELS).map(lambda lv: {"at_least": lv}),
                st.lists(st.sampled_from(LEVELS), min_size=1, max_size=2, unique=True),
                st.sampled_from(LEVELS),
            ))
        elif attribute == "hours":
            result["hours"] = {"at_least": draw(st.sampled_from([0, 4, 8, 16]))}
        elif attribute == "verified":
            result["verified"] = True
        elif attribute == "event":
            result["event"] = draw(st.lists(st.sampled_from(EVENTS), min_size=1, max_size=2, unique=True))
        else:
            result["obtained"] = {"within_years": draw(st.sampled_from([1, 3, 5]))}
    return result


@st.composite
def slots(draw: st.DrawFn, codes: list[str], kinds: list[str]) -> dict[str, Any]:
    how = draw(st.sampled_from(["code", "codes", "kind"]))
    slot: dict[str, Any] = {}
    if how == "code":
        slot["code"] = draw(st.sampled_from(codes))
    elif how == "codes":
        slot["code"] = draw(st.lists(st.sampled_from(codes), min_size=1, max_size=3, unique=True))
    else:
        slot["kind"] = draw(st.sampled_from(kinds))
    slot.update(draw(conditions()))
    return slot


# ---------------------------------------------------------------- rules


@st.composite
def rules(draw: st.DrawFn, index: int, codes: list[str], kinds: list[str], courses: list[dict[str, Any]],
          categories: list[str]) -> dict[str, Any]:
    rule: dict[str, Any] = {"id": f"r{index}", **_named(f"rule {index}")}
    shape = draw(st.sampled_from(["when", "when", "when_all", "aggregate"]))
    if shape == "when":
        rule["when"] = draw(slots(codes, kinds))
    elif shape == "when_all":
        rule["when_all"] = draw(st.lists(slots(codes, kinds), min_size=2, max_size=3))
    else:
        aggregate: dict[str, Any] = {
            "where": draw(slots(codes, kinds)),
            "total": draw(st.sampled_from(["count", "hours"])),
        }
        if aggregate["total"] == "count":
            aggregate["per"] = draw(st.sampled_from([1, 2]))
        else:
            aggregate["per"] = draw(st.sampled_from([8, 16]))
        aggregate["credits"] = draw(st.sampled_from([0.5, 1, 2]))
        aggregate["rounding"] = draw(st.sampled_from(["down", "nearest", "up"]))
        aggregate["step"] = draw(st.sampled_from([0.5, 1]))
        if draw(st.booleans()):
            aggregate["max"] = draw(st.sampled_from([1, 2, 3, 5]))
        rule["aggregate"] = aggregate
    codes_of_courses = [c["code"] for c in courses]
    if draw(st.booleans()):
        grant: dict[str, Any] = {"courses": draw(st.lists(st.sampled_from(codes_of_courses), min_size=1,
                                                          max_size=min(3, len(codes_of_courses)), unique=True))}
        if len(grant["courses"]) > 1 and shape != "aggregate" and draw(st.booleans()):
            grant["mode"] = "each"  # an aggregate gives its courses together (C048)
        elif draw(st.booleans()):
            grant["mode"] = "together"
    else:
        grant = {"category": draw(st.sampled_from(categories))}
        if shape != "aggregate":
            grant["credits"] = draw(st.sampled_from(CATEGORY_CREDITS))
    if draw(st.integers(0, 3)) == 0:
        grant["grade"] = "合格"
    rule["grant"] = grant
    if draw(st.booleans()):
        rule["reusable"] = True
    if draw(st.integers(0, 2)) == 0:
        rule["priority"] = draw(st.integers(-1, 2))
    if draw(st.integers(0, 3)) == 0:
        rule["max_credits"] = draw(st.sampled_from([0, 1, 2, 3, 4.5, 6]))
    if draw(st.integers(0, 3)) == 0:
        rule["max_uses"] = draw(st.integers(1, 3))
    return rule


# ---------------------------------------------------------------- standards


@st.composite
def standards(draw: st.DrawFn, max_rules: int = 6) -> dict[str, Any]:
    """A valid conversion standard as a dict."""
    kinds = KIND_POOL[: draw(st.integers(1, 3))]
    n_codes = draw(st.integers(2, 5))
    codes = CODE_POOL[:n_codes]
    catalog = {code: {"kind": draw(st.sampled_from(kinds)), **_named(f"code {code}")} for code in codes}
    categories = [f"cat{i}" for i in range(1, draw(st.integers(1, 3)) + 1)]
    n_courses = draw(st.integers(1, 6))
    courses = [{"code": f"C{i}", **_named(f"course {i}"), "credits": draw(st.sampled_from(COURSE_CREDITS)),
                "category": draw(st.sampled_from(categories))} for i in range(1, n_courses + 1)]
    n_rules = draw(st.integers(1, max_rules))
    rule_list = [draw(rules(i, codes, kinds, courses, categories)) for i in range(1, n_rules + 1)]
    standard: dict[str, Any] = {
        "id": STANDARD_ID,
        "version": "1",
        "kind": "conversion",
        **_named("generated standard"),
        "effective": {"from": "2020-01-01"},
        "source": {"citation": "generated by hypothesis", "illustrative": True},
        "scales": {"lvl": {**_named("level"), "levels": list(LEVELS)}},
        "kinds": {k: {**_named(f"kind {k}"), "attributes": {
            "level": {"type": "scale", "scale": "lvl", "required": True},
            "hours": {"type": "number", "min": 0, "max": 200, "required": True},
            "event": {"type": "text", "required": True},
        }} for k in kinds},
        "catalog": catalog,
        "equivalences": [{"code": f"SH-{code}", "same_as": code, "region": "上海"}
                         for code in draw(st.lists(st.sampled_from(codes), max_size=2, unique=True))],
        "program": {"code": "P1", **_named("program"), "total_credits": 60,
                    "categories": {c: {**_named(c), "required": 20} for c in categories},
                    "courses": courses},
        "rules": rule_list,
    }
    limits: dict[str, Any] = {}
    if draw(st.booleans()):
        if draw(st.integers(0, 3)) == 0:
            limits["total"] = {"max_fraction": draw(st.sampled_from([0.05, 0.1, 0.125]))}
        else:
            limits["total"] = {"max": draw(st.sampled_from([0, 2, 3, 4.5, 6, 8, 10]))}
    capped = draw(st.lists(st.sampled_from(categories), unique=True, max_size=len(categories)))
    if capped:
        limits["categories"] = {c: {"max": draw(st.sampled_from([0, 1, 2, 3, 4.5, 6]))} for c in capped}
    if draw(st.booleans()):
        limits["per_achievement"] = {"max_credits": draw(st.sampled_from([0, 1, 2, 3, 4, 6]))}
    countable = [k for k in kinds if k not in aggregated_kinds(standard)]
    counted = draw(st.lists(st.sampled_from(countable), unique=True, max_size=len(countable))) if countable else []
    if counted:
        limits["kinds"] = {k: {"max_count": draw(st.integers(0, 3))} for k in counted}
    n_groups = draw(st.integers(0, 2)) if countable else 0  # C053: not on kinds an aggregate adds up
    if n_groups:
        limits["groups"] = [{"id": f"g{i}", **_named(f"group {i}"),
                             "kinds": draw(st.lists(st.sampled_from(countable), min_size=1,
                                                    max_size=len(countable), unique=True)),
                             "key": draw(st.sampled_from(["event", "event", "level"])),
                             "max": draw(st.integers(1, 2))} for i in range(1, n_groups + 1)]
    counted_categories = draw(st.lists(st.sampled_from(categories), unique=True, max_size=len(categories)))
    if counted_categories:
        limits["category_counts"] = {c: {"max_count": draw(st.integers(0, 2))} for c in counted_categories}
    n_rule_groups = draw(st.integers(0, 2))
    if n_rule_groups:
        ids = [r["id"] for r in rule_list]
        groups = []
        for i in range(1, n_rule_groups + 1):
            group: dict[str, Any] = {"id": f"rg{i}", **_named(f"rule group {i}"),
                                     "rules": draw(st.lists(st.sampled_from(ids), min_size=1, unique=True))}
            which = draw(st.sampled_from(["credits", "count", "both"]))
            if which != "count":
                group["max_credits"] = draw(st.sampled_from([0, 2, 3, 4.5, 6]))
            if which != "credits":
                group["max_count"] = draw(st.integers(0, 2))
            groups.append(group)
        limits["rule_groups"] = groups
    if limits:
        standard["limits"] = limits
    return standard


# ---------------------------------------------------------------- learners


@st.composite
def achievements(draw: st.DrawFn, ach_id: str, codes: list[str]) -> dict[str, Any]:
    """One achievement record. ``codes`` are the codes it may carry (catalog codes and other
    banks' codes an equivalence maps); now and then a record is unusable on purpose: an
    unknown code, a level not on the scale, or a date after the as-of date."""
    flaw = draw(st.sampled_from([None] * 12 + ["unknown-code", "bad-level", "future"]))
    days = draw(st.integers(0, 6 * 365))
    ach: dict[str, Any] = {
        "id": ach_id,
        "code": "ZZ9" if flaw == "unknown-code" else draw(st.sampled_from(codes)),
        "obtained": (AS_OF - timedelta(days=days if flaw != "future" else -1 - days % 30)).isoformat(),
        "level": "特级" if flaw == "bad-level" else draw(st.sampled_from(LEVELS)),
        "hours": draw(st.sampled_from([0, 4, 8, 12, 16, 20, 24, 32, 40])),
        "event": draw(st.sampled_from(LEARNER_EVENTS)),
    }
    if draw(st.booleans()):
        ach["verified"] = True
    return ach


def learner_codes(standard: dict[str, Any]) -> list[str]:
    return list(standard["catalog"]) + [eq["code"] for eq in standard.get("equivalences", [])]


def _sizes(max_achievements: int) -> st.SearchStrategy[int]:
    # uniform rather than small-biased, so most learners hold several achievements
    return st.sampled_from(list(range(max_achievements + 1)) + list(range(2, max_achievements + 1)))


@st.composite
def learners(draw: st.DrawFn, standard: dict[str, Any], max_achievements: int = 7,
             size: int | None = None) -> dict[str, Any]:
    codes = learner_codes(standard)
    n = draw(_sizes(max_achievements)) if size is None else size
    return {"id": "L1", "achievements": [draw(achievements(f"A{i}", codes)) for i in range(1, n + 1)]}


@st.composite
def cases(draw: st.DrawFn, max_rules: int = 6, max_achievements: int = 7) -> tuple[dict[str, Any], dict[str, Any]]:
    """(standard dict, learner dict)."""
    size = draw(_sizes(max_achievements))  # drawn first: late draws are the ones hypothesis zeroes most
    standard = draw(standards(max_rules=max_rules))
    learner = draw(learners(standard, max_achievements=max_achievements, size=size))
    return standard, learner


# ---------------------------------------------------------------- hand-written examples


def tiny_standard(rules: list[dict[str, Any]], limits: dict[str, Any] | None = None,
                  courses: list[tuple[str, float, str]] = (), kinds: dict[str, str] | None = None
                  ) -> dict[str, Any]:
    """A tiny conversion standard in the generated shape: categories core and elective,
    ``courses`` as (code, credits, category), ``kinds`` mapping catalog codes to kinds
    (default X1, X2 → cert). Rules need only id, shape and grant."""
    catalog = kinds or {"X1": "cert", "X2": "cert"}
    data: dict[str, Any] = {
        "id": STANDARD_ID, "version": "1", "kind": "conversion", **_named("example"),
        "effective": {"from": "2020-01-01"}, "source": {"citation": "hand-written test", "illustrative": True},
        "scales": {"lvl": {**_named("level"), "levels": list(LEVELS)}},
        "kinds": {k: {**_named(k), "attributes": {
            "level": {"type": "scale", "scale": "lvl", "required": True},
            "hours": {"type": "number", "min": 0, "max": 200, "required": True},
            "event": {"type": "text", "required": True}}} for k in sorted(set(catalog.values()))},
        "catalog": {code: {"kind": kind, **_named(code)} for code, kind in catalog.items()},
        "program": {"code": "P1", **_named("program"), "total_credits": 60,
                    "categories": {c: {**_named(c), "required": 20} for c in ("core", "elective")},
                    "courses": [{"code": c, **_named(c), "credits": cr, "category": cat} for c, cr, cat in courses]},
        "rules": [{**_named(r["id"]), **r} for r in rules],
    }
    if limits:
        data["limits"] = limits
    return data


def record(ach_id: str, code: str = "X1", **attributes: Any) -> dict[str, Any]:
    """One achievement record: level 中级, 8 hours, event e1, obtained 2024-06-01 unless given."""
    return {"id": ach_id, "code": code, "obtained": "2024-06-01", "level": "中级", "hours": 8, "event": "e1",
            **attributes}


# ---------------------------------------------------------------- allocation problems
# Plain data for the allocator alone (tests/test_properties.py turns them into Candidates and
# places them with its own reading of the semantics). Amounts are hundredths of a credit.


@st.composite
def allocation_problems(draw: st.DrawFn, max_candidates: int = 9) -> dict[str, Any]:
    """Candidates that compete hard: few tokens and owners, tight caps shared by divisible and
    whole-course awards (whose category shares may differ from their amount), count caps on
    shared items, and sometimes a total cap every candidate is charged its amount."""
    credit_limits = draw(st.lists(st.sampled_from([0, 50, 100, 200, 300, 450, 600, 900]), min_size=0, max_size=3))
    count_limits = draw(st.lists(st.integers(min_value=0, max_value=3), min_size=0, max_size=2))
    total = draw(st.none() | st.sampled_from([100, 300, 500, 800, 1200]))
    size = draw(st.integers(min_value=1, max_value=max_candidates))
    cands = []
    for _ in range(size):
        amount = draw(st.sampled_from([50, 100, 150, 200, 300, 400, 500]))
        divisible = draw(st.booleans())
        tokens = sorted(draw(st.dictionaries(st.sampled_from(["t1", "t2", "t3"]), st.sampled_from(["o1", "o2", "o3"]),
                                             max_size=2)).items())
        shares = []
        for cap in draw(st.lists(st.integers(min_value=0, max_value=len(credit_limits) - 1), unique=True)
                        if credit_limits else st.just([])):
            share = amount if divisible else draw(st.sampled_from([amount, amount // 2, 50]))
            shares.append((cap, share))
        counts = []
        for cap in draw(st.lists(st.integers(min_value=0, max_value=len(count_limits) - 1), unique=True)
                        if count_limits else st.just([])):
            counts.append((cap, draw(st.frozensets(st.sampled_from(["i1", "i2", "i3", "i4"]), min_size=1,
                                                   max_size=2))))
        cands.append({"amount": amount, "divisible": divisible, "tokens": tokens, "shares": shares,
                      "counts": counts})
    return {"credit_limits": credit_limits, "count_limits": count_limits, "total": total, "candidates": cands}


@st.composite
def knapsacks(draw: st.DrawFn, min_candidates: int = 20, max_candidates: int = 60) -> tuple[list[int], int]:
    """The cliff: whole-course awards that share nothing but a total cap they overflow.
    (amounts, cap), amounts in canonical order."""
    amounts = draw(st.lists(st.sampled_from([100, 150, 200, 250, 300, 400, 450, 600]),
                            min_size=min_candidates, max_size=max_candidates))
    fraction = draw(st.sampled_from([0.2, 0.35, 0.5, 0.7]))
    return amounts, int(sum(amounts) * fraction) // 50 * 50 + draw(st.sampled_from([0, 25, 50, 120]))


# ---------------------------------------------------------------- broken input

# The hostile classes of issue 12, as pieces of text: Unicode line breaks, C1 controls and bidi
# overrides (forged lines), look-alike and invisible characters (codes that look right), numbers
# of any size, dates that are not YYYY-MM-DD, and YAML tags.
FORGED_LINES = ["\u0085", "\u2028", "\u2029", "\x9b", "\u202e", "\u2066", "\u200f", "\r", "\x0b", "\x0c"]
LOOK_ALIKES = ["\u200b", "\u00ad", "\ufeff", "\u2212", "\u2013", "Х", "А", "Ε", "ο", "\u3000", "Ｘ"]
BIG_NUMBERS = ["9" * 16, "9" * 309, "9" * 400, "-" + "9" * 400, "9" * 400 + ".5"]
NOT_DAYS = ["20240901", "1725148800", "2024-W35-1", "2024-245", "2024-09-01T00:00:00+08:00", "2024-09-01 08:00",
            "2024-02-30", "２０２４-０９-０１"]
TAGS = ["!!binary ", "!!str ", "!!float ", "!custom ", "! ", "!<tag:x> ", "!!map ", "!!python/object "]
HOSTILE_PIECES = FORGED_LINES + LOOK_ALIKES + BIG_NUMBERS + NOT_DAYS + TAGS
PAST_ANY_LIMIT = "1" + "0" * 4301  # past Python's own int() limit: only the YAML reader meets it

# YAML-like text: the characters and words that matter to a YAML reader, in any order.
YAMLISH = st.lists(st.sampled_from(list("abc: -[]{},'\"#&*!|>%@`\t\n 0123.中级：１")
                                   + ["\r\n", "  ", "\ufeff", "id", "rules", "when", "code", "true", "no", "1e3"]
                                   + HOSTILE_PIECES + [PAST_ANY_LIMIT]),
                   max_size=120).map("".join)

# Edits that break a real standard in the ways people do: lines lost, doubled, re-indented,
# cut short, and characters such as ':' '[' tabs 'no' '1e3' typed in; and the hostile pieces.
MUTATIONS = st.lists(st.tuples(st.sampled_from(["delete", "duplicate", "insert", "replace", "truncate", "indent"]),
                                st.integers(min_value=0, max_value=10_000),
                                st.sampled_from(list(":-[]{}'\"#\t&*|>,") + ["no", "1e3", "0123", "中级", "~", "\n"]
                                                + HOSTILE_PIECES + [PAST_ANY_LIMIT])),
                      min_size=1, max_size=4)

# Text an attacker or a careless user types into an id, a name, a code or a value.
HOSTILE_TEXT = st.lists(st.one_of(st.sampled_from(HOSTILE_PIECES + ["X-WEB", "A1", "  ✓ C999 Free diploma", "中级",
                                                                    "\n", "\t", "'", '"', "]", "}", "\\"]),
                                  st.text(max_size=4)),
                        min_size=1, max_size=6).map("".join)

# A value of any type a YAML or JSON reader can give, hostile where it can be.
HOSTILE_VALUE = st.one_of(
    HOSTILE_TEXT,
    st.sampled_from(NOT_DAYS + BIG_NUMBERS),
    st.integers(min_value=-(10 ** 20), max_value=10 ** 20),
    st.sampled_from([10 ** 400, -(10 ** 400), 10 ** 308 * 2]),  # past float's range (few: they print long)
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(), st.none(),
    st.lists(HOSTILE_TEXT, max_size=2),
    st.dictionaries(HOSTILE_TEXT, HOSTILE_TEXT, max_size=2),
    st.sampled_from([date(2024, 6, 1), date(1899, 1, 1)]),
)


@st.composite
def hostile_records(draw: st.DrawFn) -> dict[str, Any]:
    """A learner whose achievements mix good fields with hostile ones, in any field."""
    achievements = []
    for index in range(draw(st.integers(min_value=1, max_value=4))):
        record: dict[str, Any] = {"id": f"A{index}", "code": "X-WEB", "level": "中级", "obtained": "2024-06-01"}
        for key in draw(st.lists(st.sampled_from(["id", "code", "level", "obtained", "verified", "issuer", "hours",
                                                  "tier", "event", "score", "credits"]), max_size=3, unique=True)):
            record[key] = draw(HOSTILE_VALUE)
        achievements.append(record)
    return {"id": draw(st.one_of(st.just("S1"), HOSTILE_TEXT, st.integers(min_value=0, max_value=10 ** 30),
                                 st.floats(allow_nan=False))),
            "name": draw(st.one_of(st.none(), HOSTILE_TEXT)), "achievements": achievements}


# One value typed as people type it: full-width forms, surrounding spaces (ideographic, no-break, tabs).
_FULL_WIDTH = {ch: chr(ord(ch) + 0xFEE0) for ch in "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-()"}


@st.composite
def typed_as_people_do(draw: st.DrawFn, value: str) -> str:
    """``value`` with some characters in full width and spaces around it: the one normalisation
    (normalise.py) must read it as ``value`` again."""
    widened = "".join(_FULL_WIDTH.get(ch, ch) if ch in _FULL_WIDTH and draw(st.booleans()) else ch for ch in value)
    pad = st.text(alphabet=" \u3000\u00a0\t", max_size=2)
    return draw(pad) + widened + draw(pad)


# Paths a case file may name for its learner: up and out, absolute, empty, odd characters.
CASE_PATHS = st.lists(st.sampled_from(["..", ".", "sub", "learner.yaml", "/", "/etc", "passwd", ".git", "config",
                                       "link", "", " ", "~", "\u2028", "%2e%2e", "\0", "C:\\"]),
                      min_size=1, max_size=6).map("/".join)


def mutate(text: str, operations: list[tuple[str, int, str]]) -> str:
    lines = text.split("\n")
    for operation, where, token in operations:
        index = where % len(lines)
        if operation == "delete":
            del lines[index]
        elif operation == "duplicate":
            lines.insert(index, lines[index])
        elif operation == "insert":
            line = lines[index]
            cut = where % (len(line) + 1)
            lines[index] = line[:cut] + token + line[cut:]
        elif operation == "replace":
            line = lines[index]
            if line:
                cut = where % len(line)
                lines[index] = line[:cut] + token + line[cut + 1:]
        elif operation == "truncate":
            lines = lines[: index + 1]
        else:
            lines[index] = "  " + lines[index]
        if not lines:
            lines = [""]
    return "\n".join(lines)

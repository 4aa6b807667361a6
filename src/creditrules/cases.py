"""Decision cases: tests that domain experts write in YAML, beside each standard.

A case file ``<name>.cases.yaml`` holds::

    standard: yrd-computer-application
    cases:
      - name: an intermediate Web certificate replaces two core courses
        as_of: 2025-06-30
        learner:                     # inline, or learner_file: ../../examples/x.yaml
          id: T1
          achievements:
            - {id: A1, code: X-WEB, level: 中级, obtained: 2024-06-15}
        expect:
          total: 8                   # converted credits
          awards:                    # the exact set of awards, in any order
            - {rule: web-core, courses: [C201], achievements: [A1]}
            - {rule: web-core, courses: [C202], achievements: [A1]}
          unused: {A2: conditions}   # optional: achievement → reason, or → {reason, rule, limit, failed}
          rejected: [A9]             # optional: achievements rejected as invalid

An expected award matches an actual one when every key it gives agrees
(rule, courses, category, outcome, credits, grade, achievements); keys left
out are not compared; ``{any: k, of: [...]}`` stands for "any k of these n".
A case may name its own ``standard``, so one file may test several standards.
``pytest`` collects every case (tests/test_decision_cases.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from . import _yaml
from .compiled import from_centi
from .compiler import CompiledLibrary
from .dates import NotADay, parse_day
from .decision import Award, Decision, Unused
from .errors import CreditRulesError, Diagnostic
from .evaluator import evaluate
from .learner import learner_from_dict, load_learner
from .loader import CASES_SUFFIXES
from .safe_text import escape_controls
from .walk import Skipped, files_under

AWARD_KEYS = ("rule", "courses", "category", "outcome", "credits", "grade", "achievements")


@dataclass(frozen=True)
class Case:
    file: str
    line: int
    standard: str
    name: str
    as_of: date
    learner: Any  # a mapping, a path (confined to the project), or why the path may not be read
    expect: dict[str, Any]

    @property
    def id(self) -> str:
        return f"{Path(self.file).name}::{self.name}"


class CaseFileError(CreditRulesError):
    """A case file, or a case's learner file, that cannot be used; the message is located and
    never quotes the content of another file."""

    def __init__(self, message: str):
        super().__init__(escape_controls(message))


@dataclass(frozen=True)
class Unreachable:
    """A ``learner_file`` that may not be read, and why: it is refused before anything is opened."""

    written: str
    reason: str


# a folder holding one of these is a project: case files may name files anywhere inside it
PROJECT_MARKERS = (".git", ".hg", "pyproject.toml")


def project_root(path: str | Path) -> Path:
    """The folder the files named by case files must stay in: the nearest folder around ``path``
    that holds ``.git``, ``.hg`` or ``pyproject.toml`` (the checkout CI runs in), else the folder
    being checked itself. A case file in a pull request cannot reach the runner's other files."""
    start = Path(path).resolve()
    if not start.is_dir():
        start = start.parent
    for folder in (start, *start.parents):
        if any((folder / marker).exists() for marker in PROJECT_MARKERS):
            return folder
    return start


def confine(case_file: Path, written: str, root: Path) -> Path | Unreachable:
    """The learner file a case names, if it lies inside ``root`` (every symbolic link resolved),
    outside any ``.git`` folder; otherwise why it may not be read."""
    if not written.strip():
        return Unreachable(written, "is empty; write a path relative to the case file")
    if "\0" in written:
        return Unreachable(written, "holds a NUL character; write a path relative to the case file")
    if Path(written).is_absolute():
        return Unreachable(written, "is an absolute path; write a path relative to the case file, inside "
                                    f"{root}")
    target = case_file.parent / written
    try:
        resolved = target.resolve()
        relative = resolved.relative_to(root.resolve())
    except ValueError:
        return Unreachable(written, f"leads outside the folder being checked ({root}); put the learner file "
                                    "inside it")
    except (OSError, RuntimeError):
        return Unreachable(written, "is a symbolic link that loops")
    if ".git" in relative.parts or ".hg" in relative.parts:
        return Unreachable(written, "is inside a version-control folder; put the learner file beside the cases")
    return target


def case_files(root: str | Path) -> list[Path]:
    return find_case_files(root)[0]


def find_case_files(root: str | Path) -> tuple[list[Path], list[Skipped]]:
    """Case files under ``root`` (or ``root`` itself), and the entries skipped on the way."""
    root = Path(root)
    if not root.is_dir():
        return [root], []
    return files_under(root, lambda name: name.endswith(CASES_SUFFIXES))


def load_cases(path: str | Path, root: Path | None = None) -> list[Case]:
    """Every case in one case file; CaseFileError (located) if the file is malformed. Learner files
    are confined to ``root`` (by default the :func:`project_root` of the case file)."""
    source = str(path)
    root = project_root(path) if root is None else root
    raw_bytes = _yaml.read(path)
    if isinstance(raw_bytes, Diagnostic):
        raise CaseFileError(str(raw_bytes))
    text = _yaml.decode(raw_bytes, source)
    if isinstance(text, Diagnostic):
        raise CaseFileError(str(text))
    parsed = _yaml.parse(text, source)
    if isinstance(parsed, Diagnostic):
        raise CaseFileError(str(parsed))
    data = parsed.data
    if not isinstance(data, dict) or not isinstance(data.get("cases"), list) or \
            not isinstance(data.get("standard", ""), str):
        raise CaseFileError(f"{source}:1:1: a case file needs 'standard: <id>' and 'cases: [...]'")
    unknown_top = set(data) - {"standard", "cases"}
    if unknown_top:
        raise CaseFileError(f"{source}:1:1: unknown key '{sorted(unknown_top)[0]}' in a case file (use standard, "
                            "cases)")
    cases = []
    for index, raw in enumerate(data["cases"]):
        line, _ = parsed.locate(("cases", index))
        where = f"{source}:{line}"
        if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
            raise CaseFileError(f"{where}: each case needs a 'name'")
        unknown = set(raw) - {"name", "standard", "as_of", "learner", "learner_file", "expect"}
        if unknown:
            raise CaseFileError(f"{where}: unknown key '{sorted(unknown)[0]}' in case '{raw['name']}'")
        standard = raw.get("standard", data.get("standard"))
        if not isinstance(standard, str) or not standard:
            raise CaseFileError(f"{where}: case '{raw['name']}' needs 'standard: <id>', in the case or at the top "
                                "of the file")
        as_of = parse_day(raw.get("as_of"))
        if isinstance(as_of, NotADay):
            raise CaseFileError(f"{where}: case '{raw['name']}' needs 'as_of: YYYY-MM-DD': {as_of.en}")
        if ("learner" in raw) == ("learner_file" in raw):
            raise CaseFileError(f"{where}: case '{raw['name']}' needs exactly one of 'learner' or 'learner_file'")
        if "learner_file" in raw and not isinstance(raw["learner_file"], str):
            raise CaseFileError(f"{where}: case '{raw['name']}': 'learner_file' must be a path written as text")
        learner = raw.get("learner") or confine(Path(source), raw["learner_file"], root)
        expect = raw.get("expect")
        if not isinstance(expect, dict):
            raise CaseFileError(f"{where}: case '{raw['name']}' needs an 'expect' mapping")
        cases.append(Case(source, line, standard, raw["name"], as_of, learner, expect))
    return cases


def iter_cases(root: str | Path) -> Iterator[Case]:
    for path in case_files(root):
        yield from load_cases(path)


def _award_view(award: Award) -> dict[str, Any]:
    return {
        "rule": award.rule,
        "courses": [c.code for c in award.courses],
        "category": award.category,
        "outcome": award.outcome,
        "credits": from_centi(award.credits_centi),
        "grade": award.grade,
        "achievements": list(award.achievements),
    }


def any_of(value: Any) -> tuple[int, list[str]] | None:
    """``{any: k, of: [a, b, c]}``: "any k of these n", when the case cannot know which (a tie the engine
    breaks by its documented order, which the expert need not restate); None for anything else."""
    if isinstance(value, dict) and set(value) == {"any", "of"} and isinstance(value["of"], list) and \
            type(value["any"]) is int and 0 <= value["any"] <= len(value["of"]):
        return value["any"], [str(v) for v in value["of"]]
    return None


def _matches(expected: dict[str, Any], actual: dict[str, Any]) -> bool:
    for key, value in expected.items():
        have = actual.get(key)
        choice = any_of(value)
        if choice is not None:
            count, among = choice
            got = [str(v) for v in have or []]
            if len(got) != count or not set(got) <= set(among):
                return False
        elif isinstance(value, list):
            if sorted(map(str, value)) != sorted(map(str, have or [])):
                return False
        elif key == "credits":
            if have is None or abs(float(value) - float(have)) > 1e-9:
                return False
        elif value != have:
            return False
    return True


@dataclass(frozen=True)
class Comparison:
    """Expected against actual, part by part, for a readable diff.

    ``awards`` lists ("matched", expected, actual) and ("missing", expected, None) in the
    order the case writes them, then ("unexpected", None, actual); ``problems`` are the one-line differences
    (empty when the case passes)."""

    total: tuple[Any, Any] | None  # (expected, actual) when the case gives a total
    awards: tuple[tuple[str, dict[str, Any] | None, dict[str, Any] | None], ...]
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def learner_of(case: Case) -> Any:
    """The case's learner record, read from its file or from the case itself."""
    if isinstance(case.learner, Unreachable):
        raise CaseFileError(f"{case.file}:{case.line}: case '{case.name}': learner_file '{case.learner.written}' "
                            f"{case.learner.reason}")
    return load_learner(case.learner) if isinstance(case.learner, Path) else \
        learner_from_dict(case.learner, f"{case.file}:{case.line}")


def check_case(case: Case, library: CompiledLibrary) -> tuple[Decision, list[str]]:
    """Run one case; the list of differences is empty when the decision is as expected."""
    decision = evaluate(library[case.standard], learner_of(case), case.as_of)
    return decision, list(compare(case, decision).problems)


def compare(case: Case, decision: Decision) -> Comparison:
    """Every difference between what the case expects and the decision."""
    problems: list[str] = []
    expect = case.expect
    unknown = set(expect) - {"total", "awards", "unused", "rejected"}
    if unknown:
        problems.append(f"unknown expectation '{sorted(unknown)[0]}' (use total, awards, unused, rejected)")
    total = None
    if "total" in expect:
        total = (expect["total"], from_centi(decision.total_centi))
        if abs(float(expect["total"]) - float(from_centi(decision.total_centi))) > 1e-9:
            problems.append(f"total: expected {expect['total']}, got {from_centi(decision.total_centi)}")
    rows: list[tuple[str, dict[str, Any] | None, dict[str, Any] | None]] = []
    if "awards" in expect:
        actual = [_award_view(a) for a in decision.awards]
        remaining = list(actual)
        for wanted in expect["awards"]:
            unknown_keys = set(wanted) - set(AWARD_KEYS)
            if unknown_keys:
                problems.append(f"unknown award key '{sorted(unknown_keys)[0]}' (use {', '.join(AWARD_KEYS)})")
                continue
            match = next((a for a in remaining if _matches(wanted, a)), None)
            if match is None:
                problems.append(f"missing award: {show_award(wanted)}")
                rows.append(("missing", wanted, None))
            else:
                remaining.remove(match)
                rows.append(("matched", wanted, match))
        for extra in remaining:
            shown = {k: v for k, v in extra.items() if v not in (None, [])}
            problems.append(f"unexpected award: {show_award(shown)}")
            rows.append(("unexpected", None, shown))
    if "unused" in expect:
        problems.extend(_compare_unused(expect["unused"], decision))
    if "rejected" in expect:
        got = sorted(r.achievement for r in decision.rejected)
        if sorted(map(str, expect["rejected"] or [])) != got:
            problems.append(f"rejected: expected {sorted(map(str, expect['rejected'] or []))}, got {got}")
    return Comparison(total, tuple(rows), tuple(problems))


UNUSED_KEYS = ("reason", "rule", "limit", "failed")


def _unused_facts(unused: Unused) -> dict[str, Any]:
    """What a case may say about an unused achievement: its reason, the rule it came closest to or lost in,
    the limit that stopped it, the attributes of the conditions it failed."""
    rule = unused.nearest[0] if unused.nearest is not None else (
        unused.candidate.rule if unused.candidate is not None else None)
    limit = unused.candidate.limit.key.to_dict() if unused.candidate is not None and \
        unused.candidate.limit is not None else None
    failed = sorted({c.attribute for c in unused.nearest[1]}) if unused.nearest is not None else []
    return {"reason": unused.reason, "rule": rule, "limit": limit, "failed": failed}


def _limit_agrees(wanted: Any, limit: dict[str, Any] | None) -> bool:
    """``limit: total`` (a kind), ``limit: same-competition`` (the group, category or rule it names) or
    ``limit: {kind: group, group: same-competition}`` (every key given agrees)."""
    if limit is None:
        return False
    if isinstance(wanted, dict):
        return all(str(limit.get(k)) == str(v) for k, v in wanted.items())
    return str(wanted) in {str(v) for v in limit.values()}


def _unused_differences(label: str, wanted: dict[str, Any], facts: dict[str, Any] | None) -> list[str]:
    if facts is None:
        return [f"unused {label}: expected reason '{wanted.get('reason')}', got 'None'"] if "reason" in wanted \
            else [f"unused {label}: expected unused, got 'None'"]
    found = []
    if "reason" in wanted and wanted["reason"] != facts["reason"]:
        found.append(f"unused {label}: expected reason '{wanted['reason']}', got '{facts['reason']}'")
    if "rule" in wanted and str(wanted["rule"]) != str(facts["rule"]):
        found.append(f"unused {label}: expected rule '{wanted['rule']}', got '{facts['rule']}'")
    if "limit" in wanted and not _limit_agrees(wanted["limit"], facts["limit"]):
        got = show_award(facts["limit"]) if facts["limit"] else "no limit"
        shown = show_award(wanted["limit"]) if isinstance(wanted["limit"], dict) else wanted["limit"]
        found.append(f"unused {label}: expected limit {shown}, got {got}")
    if "failed" in wanted:
        expected = sorted(str(a) for a in (wanted["failed"] if isinstance(wanted["failed"], list)
                                           else [wanted["failed"]]))
        if expected != facts["failed"]:
            found.append(f"unused {label}: expected failed conditions [{', '.join(expected)}], got "
                         f"[{', '.join(facts['failed'])}]")
    return found


def _compare_unused(expected: Any, decision: Decision) -> list[str]:
    """``unused`` as a mapping (achievement → reason, or → {reason, rule, limit, failed}) or a list of
    entries that name ``achievement: A5`` or ``achievements: {any: k, of: [...]}``."""
    actual = {u.achievement: _unused_facts(u) for u in decision.unused}
    entries: list[tuple[Any, dict[str, Any]]] = []
    problems: list[str] = []
    if isinstance(expected, dict):
        for ach, wanted in expected.items():
            entries.append((ach, wanted if isinstance(wanted, dict) else {"reason": wanted}))
    elif isinstance(expected, list):
        for entry in expected:
            if not isinstance(entry, dict) or ("achievement" in entry) == ("achievements" in entry):
                problems.append("each entry of a list under 'unused' needs 'achievement: <id>' or "
                                "'achievements: {any: k, of: [...]}'")
                continue
            wanted = {k: v for k, v in entry.items() if k not in ("achievement", "achievements")}
            entries.append((entry.get("achievement", entry.get("achievements")), wanted))
    elif expected is not None:
        return ["'unused' must be a mapping (achievement: reason) or a list of entries"]
    for who, wanted in entries:
        unknown = set(wanted) - set(UNUSED_KEYS)
        if unknown:
            problems.append(f"unknown unused key '{sorted(unknown, key=str)[0]}' (use {', '.join(UNUSED_KEYS)})")
            continue
        choice = any_of(who)
        if choice is None:
            problems.extend(_unused_differences(str(who), wanted, actual.get(str(who))))
            continue
        count, among = choice
        fitting = [a for a in among if a in actual and not _unused_differences(a, wanted, actual[a])]
        if len(fitting) != count:
            what = ", ".join(f"{k} {show_award(v) if isinstance(v, dict) else v}" for k, v in wanted.items())
            problems.append(f"unused: expected any {count} of [{', '.join(among)}]" + (f" with {what}" if what else "")
                            + f", got {len(fitting)}" + (f": [{', '.join(fitting)}]" if fitting else ""))
    return problems


def show_award(award: dict[str, Any]) -> str:
    """An award as a flow mapping, the way the case file writes it."""
    return "{" + ", ".join(f"{k}: {v}" for k, v in award.items()) + "}"


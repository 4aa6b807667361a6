"""``creditrules test`` output: a readable diff per failed case, its trace in brief, rule coverage.

Text for people (``FAIL`` blocks, then the summary and the rules no case awards by),
JSON for tools. Nothing here runs a case or prints.
"""

from __future__ import annotations

import json
from typing import Any

from .case_runner import CaseResult, Coverage, TestRun
from .cases import show_award
from .compiled import from_centi
from .conditions import format_value
from .decision import Decision, RuleTrace
from .render import describe_conditions, describe_limit
from .safe_text import escape_controls


def _number(value: Any) -> str:
    return format_value(float(value)) if isinstance(value, (int, float)) else str(value)


def coverage_line(coverage: Coverage) -> str:
    return (f"rule coverage: {len(coverage.covered)} of {len(coverage.rules)} rules awarded by some case "
            f"({coverage.percent:.1f}%)")


def trace_lines(decision: Decision) -> list[str]:
    """One line per rule that looked at an achievement: what it awarded, or why it did not."""
    lines = []
    for trace in decision.trace:
        if not trace.checks and not trace.candidates:
            continue
        lines.append(f"{trace.rule}: {_rule_summary(trace, decision)}")
    return lines


def _rule_summary(trace: RuleTrace, decision: Decision) -> str:
    parts = []
    for cand in trace.candidates:
        source = "+".join(cand.achievements)
        if cand.outcome in ("awarded", "capped"):
            what = f"awarded {cand.target.text} from {source}"
            if cand.outcome == "capped":
                placed = from_centi(cand.placed_centi)
                what += f" (cut to {_number(placed)} credit{'' if placed == 1 else 's'})"
        elif cand.outcome == "conflict":
            assert cand.conflict is not None
            what = (f"{cand.target.text} from {source} not used: {cand.conflict.shared} went to "
                    f"{cand.conflict.rule} → {cand.conflict.target.text}")
        elif cand.outcome == "limit" and cand.limit is not None:
            what = f"{cand.target.text} from {source} not used: stopped by {describe_limit(cand.limit.key, None)}"
        else:
            what = f"{cand.target.text} from {source} not used: the best combination does without it"
        parts.append(what)
    if not parts:
        failing = [c for c in trace.checks if not c.ok]
        for check in failing[:3]:
            failed = describe_conditions(check.failed, None, as_of=decision.as_of)
            parts.append(f"{check.achievement} does not qualify: {failed}")
        if len(failing) > 3:
            more = len(failing) - 3
            parts.append(f"{more} more {'does' if more == 1 else 'do'} not qualify")
        if not failing and trace.tally is not None:
            parts.append(f"adds up {_number(float(trace.tally.amount))} {trace.tally.unit}, not enough")
        elif not failing and trace.checks:
            ids = list(dict.fromkeys(c.achievement for c in trace.checks))
            verb = "qualifies" if len(ids) == 1 else "qualify"
            parts.append(f"{', '.join(ids)} {verb}, but not for every place the rule needs")
    return "; ".join(parts) or "nothing qualifies"


def _case_title(result: CaseResult) -> str:
    case = result.case
    return f"{case.file}:{case.line}: {case.name}"


def failure_lines(result: CaseResult) -> list[str]:
    """The FAIL block of one case: each difference, the awards as a diff, the trace in brief."""
    lines = [f"FAIL {_case_title(result)}"]
    if result.error is not None:
        return lines + [f"  cannot run the case: {result.error}"]
    comparison = result.comparison
    assert comparison is not None and result.decision is not None
    for problem in comparison.problems:
        if not problem.startswith(("missing award:", "unexpected award:")):
            lines.append(f"  {problem}")
    awards = comparison.awards
    if any(status != "matched" for status, _, _ in awards):
        lines.append("  awards (- expected, not awarded; + awarded, not expected):")
        for status, expected, actual in awards:
            mark = {"matched": " ", "missing": "-", "unexpected": "+"}[status]
            lines.append(f"    {mark} {show_award(expected if expected is not None else actual or {})}")
    lines.append(f"  trace (as of {result.case.as_of}, {result.decision.standard.id} "
                 f"{result.decision.standard.version}):")
    lines.extend(f"    {line}" for line in trace_lines(result.decision))
    return lines


def text(run: TestRun, min_coverage: float | None) -> str:
    lines: list[str] = []
    for error in run.file_errors:
        lines.append(f"ERROR {error}")
    for result in run.failed:
        lines.extend(failure_lines(result))
        lines.append("")
    passed = len(run.results) - len(run.failed)
    lines.append(f"{len(run.results)} case(s): {passed} passed, {len(run.failed)} failed"
                 + (f"; {len(run.file_errors)} case file(s) could not be read" if run.file_errors else ""))
    lines.append(coverage_line(run.coverage))
    if run.coverage.uncovered:
        lines.append("rules no case awards by:")
        lines.extend(f"  {r.path}:{r.line}:{r.column}: {r.rule} ({r.standard} {r.version})"
                     for r in run.coverage.uncovered)
    if min_coverage is not None and run.coverage.percent < min_coverage:
        lines.append(f"rule coverage {run.coverage.percent:.1f}% is below --min-coverage {_number(min_coverage)}")
    # case names, ids and expectations come from case files in pull requests: no forged lines
    return "".join(escape_controls(line) + "\n" for line in lines)


def _result_dict(result: CaseResult) -> dict[str, Any]:
    case = result.case
    data: dict[str, Any] = {"file": case.file, "line": case.line, "name": case.name, "standard": case.standard,
                            "as_of": case.as_of.isoformat(), "ok": result.ok, "error": result.error}
    if result.comparison is not None:
        data["problems"] = list(result.comparison.problems)
        if result.comparison.total is not None:
            expected, actual = result.comparison.total
            data["total"] = {"expected": expected, "actual": actual}
        data["awards"] = [{"status": status, "expected": expected, "actual": actual}
                          for status, expected, actual in result.comparison.awards]
    if result.decision is not None and not result.ok:
        data["trace"] = trace_lines(result.decision)
    return data


def as_json(run: TestRun, min_coverage: float | None) -> str:
    coverage = run.coverage
    data = {
        "ok": passed(run, min_coverage),
        "cases": len(run.results),
        "passed": len(run.results) - len(run.failed),
        "failed": len(run.failed),
        "file_errors": list(run.file_errors),
        "results": [_result_dict(r) for r in run.results],
        "coverage": {"rules": len(coverage.rules), "covered": len(coverage.covered),
                     "percent": round(coverage.percent, 1), "min": min_coverage,
                     "uncovered": [{"standard": r.standard, "version": r.version, "rule": r.rule, "path": r.path,
                                    "line": r.line, "column": r.column} for r in coverage.uncovered]},
    }
    return json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"


def passed(run: TestRun, min_coverage: float | None) -> bool:
    below = min_coverage is not None and run.coverage.percent < min_coverage
    return not run.failed and not run.file_errors and not below

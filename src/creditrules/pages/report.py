"""The standard report: one standard, as experts and reviewers check it, on one page.

For the version chosen (by date or by name): the versions on a timeline, the limits, the rules as a
table (what each asks, what it gives, its own limits, where it is written), the rule graph drawn
with its limits and credits, the static analysis' findings on the standard's files, and the decision
cases with the rules they award by. The findings and the case run are computed by the caller
(``creditrules report`` runs ``validate`` and ``test``), so this module only lays them out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from pathlib import Path

from ..case_runner import TestRun
from ..compiled import CompiledRule, CompiledRuleset, CompiledStandard, from_centi
from ..conditions import format_value
from ..errors import Diagnostic
from ..graph import localise, ruleset_graph
from ..messages import text
from ..render import category_name, code_name, credits_text, limit_text, required_text
from .html import Markup, el, generated_by, join, page, t, table
from .svg import draw


def _name(obj: CompiledRuleset | CompiledRule, lang: str) -> str:
    return obj.name_zh if lang == "zh" else obj.name_en


def _sep(lang: str) -> str:
    return "；" if lang == "zh" else "; "


def _when(rule: CompiledRule, ruleset: CompiledRuleset, lang: str) -> Markup:
    slots = []
    for slot in rule.slots:
        if slot.codes is not None:
            what = ("、" if lang == "zh" else ", ").join(f"{c} {code_name(c, ruleset, lang)}" if code_name(
                c, ruleset, lang) != c else c for c in sorted(slot.codes))
        else:
            what = text("report_any_of_kind", lang, kinds=", ".join(
                (ruleset.kinds[k].name_zh if lang == "zh" else ruleset.kinds[k].name_en) if k in ruleset.kinds else k
                for k in sorted(slot.kinds)))
        conditions = [required_text(c.attribute, c.op, c.required, ruleset, lang)
                      for c in slot.conditions if c.attribute != "code"]
        slots.append(el("div", what, (": " if lang == "en" else "：") + _sep(lang).join(conditions)
                        if conditions else ""))
    if rule.shape == "aggregate":
        slots.append(el("div", t("report_aggregate", lang), class_="why"))
    elif rule.shape == "all":
        slots.insert(0, el("div", t("report_all_of", lang), class_="why"))
    return join(slots)


def _amount(rule: CompiledRule, lang: str) -> str:
    """The credits a category or outcome grant gives: fixed, or so many per so much."""
    if rule.aggregate is None:
        return text("graph_credits", lang, credits=credits_text(rule.credits))
    return text("graph_aggregate", lang, per=format_value(float(rule.aggregate.per)), unit=rule.aggregate.total,
                credits=format_value(from_centi(rule.aggregate.credits)))


def _gives(rule: CompiledRule, ruleset: CompiledRuleset, lang: str) -> Markup:
    courses = ruleset.program.courses if ruleset.program else {}
    if rule.target == "courses":
        shown = [f"{c} {(courses[c].name_zh if lang == 'zh' else courses[c].name_en)}" if c in courses else c
                 for c in rule.courses]
        parts: list[object] = [("、" if lang == "zh" else ", ").join(shown)]
        if rule.mode == "each" and len(rule.courses) > 1:
            parts.append(el("div", t("report_each", lang), class_="why"))
    elif rule.target == "category":
        parts = [text("report_into", lang, amount=_amount(rule, lang),
                      category=category_name(rule.category, ruleset, lang))]
    else:
        parts = [text("report_outcome", lang, code=rule.outcome or "", amount=_amount(rule, lang))]
    return join(parts)


def _own_limits(rule: CompiledRule, lang: str) -> str:
    parts = []
    if rule.max_credits is not None:
        parts.append(text("report_max_credits", lang, max=credits_text(rule.max_credits)))
    if rule.max_uses is not None:
        parts.append(text("report_max_uses", lang, max=rule.max_uses))
    if rule.aggregate is not None and rule.aggregate.max is not None:
        parts.append(text("report_max_credits", lang, max=credits_text(rule.aggregate.max)))
    if rule.reusable:
        parts.append(text("report_reusable", lang))
    return _sep(lang).join(parts) or "—"


def _rules(ruleset: CompiledRuleset, lang: str) -> Markup:
    rows = []
    for rule in ruleset.rules:
        origin = rule.origin
        rows.append([el("span", rule.id, class_="id"), _name(rule, lang), _when(rule, ruleset, lang),
                     _gives(rule, ruleset, lang), _own_limits(rule, lang), rule.priority,
                     el("span", f"{origin.standard_id} {origin.version}", el("br"),
                        f"{Path(origin.path).name}:{origin.line}", class_="why")])
    return table([t("report_col_rule", lang), t("report_col_name", lang), t("report_col_when", lang),
                  t("report_col_gives", lang), t("report_col_limits", lang), t("report_col_priority", lang),
                  t("report_col_written", lang)], rows, numeric=(5,))


def _limits(ruleset: CompiledRuleset, lang: str) -> Markup:
    from ..limits import CategoryLimit, KindCountLimit, TotalLimit

    limits = ruleset.limits
    rows: list[list[object]] = []
    if limits.total is not None:
        rows.append([limit_text(TotalLimit(), ruleset, lang), credits_text(limits.total),
                     text("report_limit_source", lang, source=limits.total_source) if limits.total_source else ""])
    if limits.per_achievement is not None:
        rows.append([text("report_per_achievement", lang), credits_text(limits.per_achievement), ""])
    for category, cap in sorted(limits.categories.items()):
        rows.append([limit_text(CategoryLimit(category), ruleset, lang), credits_text(cap), ""])
    for kind, count in sorted(limits.kind_counts.items()):
        rows.append([limit_text(KindCountLimit(kind), ruleset, lang), count, text("report_achievements", lang)])
    for group in limits.groups:
        rows.append([f"“{group.name_zh if lang == 'zh' else group.name_en}”", group.max,
                     text("report_group", lang, attribute=group.key, kinds=", ".join(sorted(group.kinds)))])
    if not rows:
        return el("p", t("report_no_limits", lang))
    return table([t("report_col_limit", lang), t("report_col_max", lang), t("report_col_note", lang)], rows,
                 numeric=(1,))


def _timeline(standard: CompiledStandard, chosen: CompiledRuleset, as_of: date | None, lang: str) -> Markup:
    """The versions' windows as bars on one time axis, the chosen window marked, the as-of date a line."""
    segments = standard.segments
    start = min(s.effective_from for s in segments)
    ends = [s.effective_until for s in segments if s.effective_until is not None]
    last_start = max(s.effective_from for s in segments)
    end = max([*ends, last_start + timedelta(days=365), *([as_of + timedelta(days=90)] if as_of else [])])
    span = max(1, (end - start).days)
    width, left, row = 760, 150, 30
    height = row * len(segments) + 40

    def x(day: date) -> float:
        return left + (width - left - 10) * (day - start).days / span

    parts: list[Markup] = [el("title", text("report_timeline", lang))]
    for i, seg in enumerate(segments):
        y = 10 + i * row
        until = seg.effective_until or end
        chosen_one = seg is chosen
        label = f"{seg.version}  {seg.effective_from.isoformat()} – " + (
            seg.effective_until.isoformat() if seg.effective_until else "…")
        parts.append(el("text", seg.version, x=8, y=f"{y + 15}", font_size=12,
                        font_weight="700" if chosen_one else None))
        parts.append(el("rect", el("title", label), x=f"{x(seg.effective_from):.1f}", y=y,
                        width=f"{max(2.0, x(until) - x(seg.effective_from)):.1f}", height=row - 10, rx=3,
                        fill="#1f5fa8" if chosen_one else "#b8c4d3"))
        parts.append(el("text", label, x=f"{x(seg.effective_from) + 4:.1f}", y=f"{y + 14}", font_size=11,
                        fill="#fff" if chosen_one else "#1d2733"))
    axis_y = 10 + len(segments) * row
    parts.append(el("line", x1=left, y1=axis_y, x2=width - 10, y2=axis_y, stroke="#5b6675"))
    for year in range(start.year, end.year + 1):
        day = date(year, 1, 1)
        if start <= day <= end:
            parts.append(el("line", x1=f"{x(day):.1f}", y1=axis_y, x2=f"{x(day):.1f}", y2=axis_y + 5, stroke="#5b6675"))
            parts.append(el("text", year, x=f"{x(day) - 14:.1f}", y=axis_y + 18, font_size=11, fill="#5b6675"))
    if as_of is not None and start <= as_of <= end:
        parts.append(el("line", el("title", as_of.isoformat()), x1=f"{x(as_of):.1f}", y1=4, x2=f"{x(as_of):.1f}",
                        y2=axis_y, stroke="#a33b2b", stroke_width=2, stroke_dasharray="4 3"))
    return el("svg", *parts, xmlns="http://www.w3.org/2000/svg", viewBox=f"0 0 {width} {height}", width=width,
              height=height, role="img", aria_label=text("report_timeline", lang))


def _files(standard: CompiledStandard) -> set[str]:
    return {str(Path(ref.path).resolve()) for seg in standard.segments for ref in seg.chain}


def _findings(findings: Sequence[Diagnostic], standard: CompiledStandard, lang: str) -> Markup:
    files = _files(standard)
    mine = [d for d in findings if str(Path(d.path).resolve()) in files]
    if not mine:
        return el("p", t("report_no_findings", lang))
    rows = [[el("span", d.severity.value, class_=f"sev-{d.severity.value}"), el("span", d.code, class_="id"),
             f"{Path(d.path).name}:{d.line}:{d.column}", d.message] for d in mine]
    return join([el("p", t("report_findings_lead", lang), class_="why"),
                 table([t("report_col_severity", lang), t("report_col_code", lang), t("report_col_where", lang),
                        t("report_col_message", lang)], rows)])


def _cases(run: TestRun | None, standard: CompiledStandard, lang: str) -> Markup:
    if run is None:
        return el("p", t("report_no_cases", lang))
    results = [r for r in run.results if r.case.standard == standard.id]
    parts: list[object] = []
    if results:
        rows = []
        for result in results:
            version = result.decision.standard.version if result.decision is not None else "—"
            status = el("span", t("report_pass", lang), class_="mark-ok") if result.ok else el(
                "span", t("report_fail", lang), class_="mark-no")
            why = result.error or (_sep(lang).join(result.comparison.problems) if result.comparison else "")
            where = el("span", f"{Path(result.case.file).name}:{result.case.line}", class_="why")
            rows.append([result.case.name, where, result.case.as_of.isoformat(), version, status, why])
        passed = sum(1 for r in results if r.ok)
        parts.append(el("p", t("report_cases_lead", lang, cases=len(results), passed=passed,
                               failed=len(results) - passed)))
        parts.append(table([t("report_col_case", lang), t("report_col_file", lang), t("report_col_as_of", lang),
                            t("report_col_version", lang), t("report_col_result", lang), t("report_col_note", lang)],
                           rows))
    else:
        parts.append(el("p", t("report_no_cases", lang)))
    own = {(seg.id, seg.version) for seg in standard.segments}
    rules = [r for r in run.coverage.rules if (r.standard, r.version) in own]
    covered = set(run.coverage.covered)
    if rules:
        done = sum(1 for r in rules if r in covered)
        parts.append(el("h3", t("report_coverage", lang, covered=done, rules=len(rules),
                                percent=f"{100 * done / len(rules):.0f}")))
        parts.append(table([t("report_col_rule", lang), t("report_col_version", lang), t("report_col_written", lang),
                            t("report_col_covered", lang)],
                           [[el("span", r.rule, class_="id"), r.version, f"{Path(r.path).name}:{r.line}",
                             el("span", "✓", class_="mark-ok") if r in covered else el(
                                 "span", t("report_uncovered", lang), class_="mark-no")] for r in rules]))
    return join(parts)


def report(standard: CompiledStandard, ruleset: CompiledRuleset, lang: str = "en", as_of: date | None = None,
           findings: Iterable[Diagnostic] = (), cases: TestRun | None = None, engine: str = "") -> str:
    """The standard report for ``ruleset`` (one version of ``standard``) as one HTML page in ``lang``."""
    title = text("report_title", lang, name=_name(ruleset, lang), id=ruleset.id, version=ruleset.version)
    until = ruleset.effective_until.isoformat() if ruleset.effective_until else text("letter_open_ended", lang)
    program = ruleset.program
    body: list[object] = [
        el("h1", title),
        el("p", t("report_lead", lang, kind=ruleset.kind, start=ruleset.effective_from.isoformat(), until=until,
                  hash=ruleset.content_hash,
                  chain=", ".join(f"{r.id} {r.version} ({r.content_hash})" for r in ruleset.chain)), class_="lead"),
    ]
    if program is not None:
        body.append(el("p", t("report_program", lang, code=program.code,
                              name=program.name_zh if lang == "zh" else program.name_en,
                              credits=credits_text(program.total_credits))))
    body += [el("h2", t("report_versions", lang)),
             el("figure", _timeline(standard, ruleset, as_of, lang),
                el("figcaption", t("report_timeline_caption", lang, version=ruleset.version,
                                   as_of=as_of.isoformat() if as_of else "—")))]
    body += [el("h2", t("report_limits", lang)), _limits(ruleset, lang)]
    body += [el("h2", t("report_rules", lang, count=len(ruleset.rules))), _rules(ruleset, lang)]
    for certification in ruleset.certifications:
        body += [el("h3", t("report_certification", lang, name=_name(certification, lang), id=certification.id,
                            version=certification.version)), _rules(certification, lang)]
    graph_title = text("report_graph_title", lang, id=ruleset.id, version=ruleset.version)
    body += [el("h2", t("report_graph", lang)),
             el("figure", draw(localise(ruleset_graph(ruleset), lang), graph_title),
                el("figcaption", t("report_graph_caption", lang)), class_="graph")]
    body += [el("h2", t("report_findings", lang)), _findings(list(findings), standard, lang)]
    body += [el("h2", t("report_cases", lang)), _cases(cases, standard, lang)]
    return page(title, lang, body, footer=generated_by(lang, engine) if engine else "")


__all__ = ["report"]

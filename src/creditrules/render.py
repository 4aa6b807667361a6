"""Decisions in words, in Chinese or English, for learners and reviewers.

The trace is data (:mod:`creditrules.decision`); this module only reads it.
Every sentence comes from the one zh/en catalogue, :mod:`creditrules.messages`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .compiled import CompiledRuleset, from_centi
from .conditions import OPERATOR_WORDS_EN, OPERATOR_WORDS_ZH, format_value
from .decision import Award, ConditionResult, Conflict, Decision, Limit, Tally, Unused
from .errors import did_you_mean
from .limits import LimitKind
from .messages import BUILTIN_NAMES, RESULTS
from .messages import text as _t


def _credits(value: int) -> str:
    return format_value(float(from_centi(value)))


def _credit_word(value: int) -> str:
    return "credit" if value == 100 else "credits"


def _tally_text(tally: Tally, names: _Names) -> str:
    lang = names.lang
    unit = ("条" if lang == "zh" else "records") if tally.unit == "count" else names.attribute(tally.unit)
    text = _t("tally", lang, records=tally.records, record_word="record" if tally.records == 1 else "records",
              amount=format_value(float(tally.amount)), unit=unit, credits=_credits(tally.credits_centi),
              credit_word=_credit_word(tally.credits_centi))
    if tally.maximum_centi is not None:
        text += _t("tally_max", lang, max=_credits(tally.maximum_centi))
    if tally.needed_centi is not None:
        text += _t("tally_needed", lang, needed=_credits(tally.needed_centi))
    return text


class _Names:
    """Bilingual names of courses, categories, codes and attributes from the compiled standard."""

    def __init__(self, ruleset: CompiledRuleset | None, lang: str):
        self.ruleset, self.lang = ruleset, lang

    def course(self, code: str, zh: str, en: str) -> str:
        return zh if self.lang == "zh" else en

    def category(self, category: str | None) -> str:
        program = self.ruleset.program if self.ruleset else None
        if program is None or category not in program.categories:
            return category or ""
        info = program.categories[category]
        return info.name_zh if self.lang == "zh" else info.name_en

    def code(self, code: str | None) -> str:
        if code is None or self.ruleset is None:
            return code or ""
        info = self.ruleset.catalog.get(self.ruleset.aliases.get(code, code))
        if info is None:
            for cert in self.ruleset.certifications:
                info = cert.catalog.get(code)
                if info:
                    break
        if info is None:
            return code
        return info.name_zh if self.lang == "zh" else info.name_en

    def rule(self, rule_id: str) -> str:
        if self.ruleset is not None:
            for ruleset in (self.ruleset, *self.ruleset.certifications):
                rule = ruleset.rule(rule_id)
                if rule is not None:
                    return rule.name_zh if self.lang == "zh" else rule.name_en
        return rule_id

    def kind(self, kind: str) -> str:
        info = self.ruleset.kinds.get(kind) if self.ruleset else None
        if info is None:
            return kind
        return info.name_zh if self.lang == "zh" else info.name_en

    def group(self, group_id: str) -> str:
        groups = self.ruleset.limits.groups if self.ruleset else ()
        for group in groups:
            if group.id == group_id:
                return group.name_zh if self.lang == "zh" else group.name_en
        return group_id

    def _attribute_info(self, name: str) -> Any:
        if self.ruleset is None:
            return None
        for ruleset in (self.ruleset, *self.ruleset.certifications):
            for kind in ruleset.kinds.values():
                if name in kind.attributes:
                    return kind.attributes[name]
        return None

    def is_scale(self, name: str) -> bool:
        info = self._attribute_info(name)
        return info is not None and info.type == "scale"

    def value(self, name: str, value: Any) -> str:
        """A value as shown to a reader: scale levels in English when the scale has English labels."""
        info = self._attribute_info(name)
        if self.lang == "en" and info is not None and info.type == "scale" and self.ruleset is not None:
            scale = self.ruleset.scales.get(info.scale)
            if scale is not None:
                def one(v: Any) -> Any:
                    return scale.levels_en[scale.levels.index(v)] if v in scale.levels else v
                if isinstance(value, (list, tuple, frozenset, set)):
                    return format_value([one(v) for v in (sorted(value) if isinstance(value, (set, frozenset))
                                                          else value)])
                return format_value(one(value))
        return format_value(value)

    def attribute(self, name: str) -> str:
        if name in BUILTIN_NAMES:
            return BUILTIN_NAMES[name][self.lang]
        if self.ruleset is not None:
            for kind in self.ruleset.kinds.values():
                attr = kind.attributes.get(name)
                if attr is not None:
                    label = attr.name_zh if self.lang == "zh" else attr.name_en
                    if label:
                        return label
        return name


def _op(op: str, lang: str) -> str:
    return (OPERATOR_WORDS_ZH if lang == "zh" else OPERATOR_WORDS_EN)[op]


def _required(result: ConditionResult, names: _Names) -> str:
    lang = names.lang
    if result.op == "within_months":
        months = int(result.required)
        if months % 12 == 0:
            return f"{months // 12} 年内" if lang == "zh" else f"{months // 12} years"
        return f"{months} 个月内" if lang == "zh" else f"{months} months"
    return names.value(result.attribute, result.required)


def _actual(result: ConditionResult, names: _Names) -> str:
    if result.actual is None:
        return "（缺失）" if names.lang == "zh" else "(missing)"
    return names.value(result.attribute, result.actual)


def describe_failed(failed: Iterable[ConditionResult], names: _Names) -> str:
    lang = names.lang
    parts = [_t("failed_cond", lang, attribute=names.attribute(c.attribute), op=_op(c.op, lang),
                required=_required(c, names), actual=_actual(c, names)) for c in failed]
    return ("；" if lang == "zh" else "; ").join(parts)


def describe_conditions(results: Iterable[ConditionResult], ruleset: CompiledRuleset | None,
                        lang: str = "en") -> str:
    """Conditions with what each required and what the achievement had, e.g. 'level ≥ intermediate (has
    elementary)', for summaries outside a full decision text."""
    return describe_failed(results, _Names(ruleset, lang))


def describe_limit(key: LimitKind, ruleset: CompiledRuleset | None, lang: str = "en") -> str:
    """A limit (say, the same-competition group for 云计算赛项) in words."""
    return limit_label(key, _Names(ruleset, lang))


def _would_qualify(failed: tuple[ConditionResult, ...], code: str | None, names: _Names) -> str:
    """'a 中级 certificate would qualify', when one ordered condition is all that is missing."""
    if len(failed) != 1 or failed[0].op not in ("ge", "gt", "eq") or not names.is_scale(failed[0].attribute):
        return ""
    level = names.value(failed[0].attribute, failed[0].required)
    article = "an" if level[:1].lower() in "aeiou" else "a"
    what = f"{article} {level} {names.code(code)}" if names.lang == "en" else f"{level}{names.code(code)}"
    return _t("would_qualify", names.lang, what=what)


def limit_label(key: LimitKind, names: _Names) -> str:
    """A limit in words: each kind of limit words itself from the standard's names."""
    return key.label(names)


def _limit_text(limit: Limit, names: _Names) -> dict[str, str]:
    show = str if limit.key.counted else _credits
    return {"limit": limit_label(limit.key, names), "max": show(limit.max_value), "room": show(limit.room_value)}


def render_text(decision: Decision, ruleset: CompiledRuleset | None = None, lang: str = "en") -> str:
    """The decision as a learner or reviewer reads it."""
    names = _Names(ruleset, lang)
    std = decision.standard
    std_name = (ruleset.name_zh if lang == "zh" else ruleset.name_en) if ruleset else std.id
    lines = [_t("title", lang, learner=decision.learner, name=std_name, id=std.id, version=std.version,
                as_of=decision.as_of.isoformat()),
             _t("basis", lang, chain=", ".join(f"{i} {v} ({h})" for i, v, h in std.chain),
                engine=decision.engine_version), ""]
    if decision.outcomes:
        lines.append(_t("outcomes", lang))
        lines.extend(_award_lines(decision.outcomes, names))
        lines.append("")
    header = _t("awarded", lang, total=_credits(decision.total_centi))
    if decision.total_cap_centi is not None:
        header += _t("cap", lang, cap=_credits(decision.total_cap_centi))
    lines.append(header)
    lines.extend(_award_lines(decision.awards, names) or [_t("none_awarded", lang)])
    if decision.application is not None:
        app = decision.application
        program = app.name_zh if lang == "zh" else app.name_en
        lines += ["", _t("application", lang, program=program, required=_credits(app.total_required_centi),
                         credited=_credits(app.credited_centi), remaining=_credits(app.remaining_centi))]
        for cat in app.categories:
            lines.append(_t("cat_status", lang, name=cat.name_zh if lang == "zh" else cat.name_en,
                            required=_credits(cat.required_centi), credited=_credits(cat.credited_centi),
                            remaining=_credits(cat.remaining_centi)))
    if decision.unused:
        lines += ["", _t("unused", lang)]
        for unused in decision.unused:
            lines.append(_t("unused_line", lang, id=unused.achievement, code=unused.code or "",
                            why=_why(unused, names)))
    if decision.rejected:
        lines += ["", _t("rejected", lang)]
        for rejection in decision.rejected:
            reason = rejection.reason_zh if lang == "zh" and rejection.reason_zh else rejection.reason
            lines.append(_t("rejected_line", lang, id=rejection.achievement, reason=reason))
    return "\n".join(lines) + "\n"


def _award_lines(awards: Iterable[Award], names: _Names) -> list[str]:
    lang = names.lang
    lines = []
    for award in awards:
        grade = _t("grade", lang, grade=award.grade) if award.grade else ""
        if award.courses:
            for course in award.courses:
                lines.append(_t("course", lang, code=course.code,
                                name=names.course(course.code, course.name_zh, course.name_en),
                                credits=_credits(course.credits), credit_word=_credit_word(course.credits),
                                category=names.category(course.category), grade=grade))
        elif award.outcome is not None:
            lines.append(_t("outcome", lang, code=award.outcome, name=names.code(award.outcome),
                            credits=_credits(award.credits_centi)))
        else:
            lines.append(_t("category", lang, credits=_credits(award.credits_centi),
                            credit_word=_credit_word(award.credits_centi), category=names.category(award.category),
                            grade=grade))
        lines.append(_t("by_rule", lang, rule=award.rule,
                        rule_name=award.rule_name_zh if lang == "zh" else award.rule_name_en,
                        standard=award.standard, version=award.version, achievements=", ".join(award.achievements)))
        if award.tally is not None:
            lines.append(_t("tally_line", lang, tally=_tally_text(award.tally, names)))
        if award.capped_by is not None:
            lines.append(_t("capped", lang, asked=_credits(award.asked_centi), credits=_credits(award.credits_centi),
                            **_limit_text(award.capped_by, names)))
    return lines


def _why(unused: Unused, names: _Names) -> str:
    lang = names.lang
    code = unused.code or ""
    if unused.reason == "unknown-code":
        catalog = names.ruleset.catalog if names.ruleset else {}
        from .lookalike import unusual_note  # names an invisible or foreign character in the code

        return _t("unknown-code", lang, code=code) + did_you_mean(code, catalog) + unusual_note(code, lang)
    if unused.reason == "no-rule":
        return _t("no-rule", lang, code=f"{code} {names.code(code)}".strip())
    if unused.reason == "too-little" and unused.nearest is not None and unused.tally is not None:
        return _t("too-little", lang, rule=unused.nearest[0], rule_name=names.rule(unused.nearest[0]),
                  tally=_tally_text(unused.tally, names))
    if unused.reason == "conditions" and unused.nearest is not None:
        rule_id, failed = unused.nearest
        return _t("conditions", lang, rule=rule_id, rule_name=names.rule(rule_id),
                  failed=describe_failed(failed, names)) + _would_qualify(failed, code, names)
    cand = unused.candidate
    if cand is not None:
        if cand.outcome == "conflict":
            assert cand.conflict is not None
            return _t("conflict", lang, rule=cand.rule, shared=_shared(cand.conflict, names),
                      other=_other(cand.conflict))
        if cand.outcome == "limit" and cand.limit is not None:
            return _t("limit", lang, rule=cand.rule, **_limit_text(cand.limit, names))
        return _t("not-best", lang, rule=cand.rule)
    return unused.detail


def _shared(conflict: Conflict, names: _Names) -> str:
    word = {"course": {"en": "course", "zh": "课程"}, "achievement": {"en": "achievement", "zh": "成果"}}
    return f"{word[conflict.shared_kind][names.lang]} {conflict.shared_id}"


def _other(conflict: Conflict) -> str:
    return f"{conflict.rule} → {conflict.target.text}"


def render_explanation(decision: Decision, ruleset: CompiledRuleset | None, subject: str, lang: str = "en") -> str:
    """Every rule touching one course or one achievement, with each condition in words."""
    names = _Names(ruleset, lang)
    course_rules = set()
    if ruleset is not None:
        course_rules = {r.id for r in ruleset.rules if subject in r.courses}
    lines: list[str] = []
    for trace in decision.trace:
        checks = [c for c in trace.checks if c.achievement == subject]
        candidates = [c for c in trace.candidates if subject in c.achievements or subject in c.target.courses]
        if not (checks or candidates or trace.rule in course_rules):
            continue
        if trace.rule in course_rules:
            checks = list(trace.checks)
            candidates = list(trace.candidates)
        lines.append(_t("explain_rule", lang, rule=trace.rule,
                        rule_name=trace.name_zh if lang == "zh" else trace.name_en,
                        standard=trace.standard, version=trace.version, origin=trace.origin,
                        result=RESULTS[trace.result][lang]))
        for check in checks:
            lines.append(_t("explain_check", lang, achievement=check.achievement,
                            verdict=RESULTS["pass" if check.ok else "fail"][lang]))
            for cond in check.conditions:
                lines.append(_t("explain_cond", lang, mark="✓" if cond.ok else "✗",
                                attribute=names.attribute(cond.attribute), op=_op(cond.op, lang),
                                required=_required(cond, names), actual=_actual(cond, names)))
        for cand in candidates:
            outcome = RESULTS.get(cand.outcome, {"en": cand.outcome, "zh": cand.outcome})[lang]
            if cand.conflict is not None:
                outcome += f" ({_other(cand.conflict)}; {_shared(cand.conflict, names)})"
            elif cand.limit is not None:
                outcome += f" ({limit_label(cand.limit.key, names)})"
            lines.append(_t("explain_candidate", lang, target=cand.target.text,
                            achievements=", ".join(cand.achievements), outcome=outcome))
    if not lines:
        return _t("explain_nothing", lang, subject=subject) + "\n"
    return "\n".join(lines) + "\n"

"""Decisions in words, in Chinese or English, for learners and reviewers.

The trace is data (:mod:`creditrules.decision`); this module only reads it.
Every sentence comes from the table ``_TEXT`` so both languages say the same
things in the same order.
"""

from __future__ import annotations

from typing import Any, Iterable

from .compiled import CompiledRuleset, from_centi
from .conditions import OPERATOR_WORDS_EN, OPERATOR_WORDS_ZH, format_value
from .errors import did_you_mean
from .safe_text import escape_controls
from .decision import Award, ConditionResult, Decision, Limit, Tally

LANGS = ("en", "zh")

_TEXT: dict[str, dict[str, str]] = {
    "title": {"en": "Decision for learner {learner}: {name} ({id} {version}), as of {as_of}",
              "zh": "学习者 {learner} 的认定结果：{name}（{id} {version}），认定日期 {as_of}"},
    "basis": {"en": "Standards applied: {chain}. Engine {engine}.",
              "zh": "依据标准：{chain}。引擎版本 {engine}。"},
    "awarded": {"en": "Credit awarded: {total} credits", "zh": "认定学分：共 {total} 学分"},
    "cap": {"en": " (limit {cap})", "zh": "（上限 {cap}）"},
    "none_awarded": {"en": "  (nothing)", "zh": "  （无）"},
    "course": {"en": "  ✓ {code} {name} — {credits} {credit_word} ({category}){grade}",
               "zh": "  ✓ {code} {name} — {credits} 学分（{category}）{grade}"},
    "category": {"en": "  ✓ {credits} {credit_word} into {category}{grade}",
                 "zh": "  ✓ {credits} 学分计入{category}{grade}"},
    "outcome": {"en": "  ✓ certified {code} {name}: {credits} bank credits",
                "zh": "  ✓ 认证成果 {code} {name}：{credits} 银行学分"},
    "grade": {"en": ", grade {grade}", "zh": "，成绩 {grade}"},
    "by_rule": {"en": "      by rule {rule} “{rule_name}” ({standard} {version}) from {achievements}",
                "zh": "      依据规则 {rule}“{rule_name}”（{standard} {version}），使用成果 {achievements}"},
    "capped": {"en": "      cut from {asked} to {credits} by {limit} (max {max}, {room} left)",
               "zh": "      受限额 {limit} 限制（上限 {max}，剩余 {room}），由 {asked} 学分减为 {credits} 学分"},
    "outcomes": {"en": "Certified outcomes:", "zh": "认证成果："},
    "application": {"en": "Toward the diploma ({program}, {required} credits): {credited} credited, {remaining} to go",
                    "zh": "毕业要求（{program}，共 {required} 学分）：已认定 {credited} 学分，尚需 {remaining} 学分"},
    "cat_status": {"en": "  {name}: {credited} of {required} credited, {remaining} to go",
                   "zh": "  {name}：要求 {required}，已认定 {credited}，尚需 {remaining}"},
    "unused": {"en": "Achievements that earned nothing:", "zh": "未获认定的成果："},
    "unused_line": {"en": "  ✗ {id} ({code}): {why}", "zh": "  ✗ {id}（{code}）：{why}"},
    "rejected": {"en": "Records that could not be used:", "zh": "无法使用的记录："},
    "rejected_line": {"en": "  ✗ {id}: {reason}", "zh": "  ✗ {id}：{reason}"},
    "unknown-code": {"en": "this standard does not recognise code {code}",
                     "zh": "本标准不认可代码 {code}"},
    "no-rule": {"en": "no rule of this standard takes {code}", "zh": "本标准没有适用于 {code} 的规则"},
    "conditions": {"en": "closest rule is {rule} “{rule_name}”, which needs {failed}",
                   "zh": "最接近的规则是 {rule}“{rule_name}”，还需要：{failed}"},
    "would_qualify": {"en": " — {what} would qualify", "zh": "——若为{what}即可认定"},
    "conflict": {"en": "rule {rule} was not used: {shared} already counts for {other}",
                 "zh": "规则 {rule} 未采用：{shared} 已用于 {other}"},
    "limit": {"en": "rule {rule} was stopped by {limit} (max {max}, {room} left)",
              "zh": "规则 {rule} 受限额 {limit} 限制（上限 {max}，剩余 {room}）"},
    "not-best": {"en": "rule {rule} applies, but the best combination of awards does without it",
                 "zh": "规则 {rule} 可适用，但最优认定组合未采用"},
    "failed_cond": {"en": "{attribute} {op} {required} (has {actual})",
                    "zh": "{attribute}{op}{required}（实际为 {actual}）"},
    "too-little": {"en": "rule {rule} “{rule_name}” adds up {tally}", "zh": "规则 {rule}“{rule_name}”合计：{tally}"},
    "tally": {"en": "{records} {record_word}, {amount} {unit} → {credits} {credit_word}",
              "zh": "{records} 条记录，共 {amount} {unit} → {credits} 学分"},
    "tally_max": {"en": ", at most {max}", "zh": "，上限 {max}"},
    "tally_needed": {"en": "; the courses need {needed}", "zh": "；课程需要 {needed} 学分"},
    "tally_line": {"en": "      computed: {tally}", "zh": "      计算：{tally}"},
    "optimal_warning": {"en": "Note: the search limit was reached; this decision may not be the best possible.",
                        "zh": "注意：已达到搜索上限，本结果可能不是最优。"},
    "explain_rule": {"en": "Rule {rule} “{rule_name}” ({standard} {version}, {origin}): {result}",
                     "zh": "规则 {rule}“{rule_name}”（{standard} {version}，{origin}）：{result}"},
    "explain_check": {"en": "  {achievement}: {verdict}", "zh": "  {achievement}：{verdict}"},
    "explain_cond": {"en": "    {mark} {attribute} {op} {required}: has {actual}",
                     "zh": "    {mark} {attribute}{op}{required}：实际为 {actual}"},
    "explain_candidate": {"en": "  → {target} from {achievements}: {outcome}",
                          "zh": "  → {target}（成果 {achievements}）：{outcome}"},
    "explain_nothing": {"en": "Nothing in this decision concerns {subject}.", "zh": "本次认定中没有与 {subject} 相关的内容。"},
}

_RESULTS = {
    "awarded": {"en": "awarded", "zh": "已认定"},
    "not-awarded": {"en": "matched, not awarded", "zh": "符合条件但未采用"},
    "no-match": {"en": "no achievement qualifies", "zh": "没有符合条件的成果"},
    "capped": {"en": "awarded, cut by a limit", "zh": "已认定（受限额削减）"},
    "conflict": {"en": "not used, conflicts with another award", "zh": "未采用，与其他认定冲突"},
    "limit": {"en": "not used, stopped by a limit", "zh": "未采用，受限额限制"},
    "not-best": {"en": "not used, the best combination does without it", "zh": "未采用，最优组合不需要"},
    "pass": {"en": "meets every condition", "zh": "满足全部条件"},
    "fail": {"en": "does not meet every condition", "zh": "未满足全部条件"},
}

_BUILTIN_NAMES = {
    "code": {"en": "code", "zh": "代码"}, "kind": {"en": "kind", "zh": "类别"},
    "obtained": {"en": "obtained", "zh": "取得日期"}, "verified": {"en": "verified", "zh": "已核验"},
    "issuer": {"en": "issuer", "zh": "发证机构"}, "region": {"en": "region", "zh": "地区"},
}


def _clean(value: Any) -> Any:
    """Names come from standards and records: a newline or control character in one must not
    start a line of its own in the output (a forged award line), so it is shown escaped."""
    return escape_controls(value) if isinstance(value, str) else value


def _t(key: str, lang: str, **values: Any) -> str:
    return _TEXT[key][lang].format(**{k: _clean(v) for k, v in values.items()})


def _credits(value: int) -> str:
    return format_value(float(from_centi(value)))


def _credit_word(value: int) -> str:
    return "credit" if value == 100 else "credits"


def _tally_text(tally: Tally, names: "_Names") -> str:
    lang = names.lang
    unit = ("条" if lang == "zh" else "records") if tally.unit == "count" else names.attribute(tally.unit)
    text = _t("tally", lang, records=tally.records, record_word="record" if tally.records == 1 else "records",
              amount=format_value(float(tally.amount)), unit=unit, credits=_credits(tally.credits),
              credit_word=_credit_word(tally.credits))
    if tally.maximum is not None:
        text += _t("tally_max", lang, max=_credits(tally.maximum))
    if tally.needed is not None:
        text += _t("tally_needed", lang, needed=_credits(tally.needed))
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
        if name in _BUILTIN_NAMES:
            return _BUILTIN_NAMES[name][self.lang]
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


def _required(result: ConditionResult, names: "_Names") -> str:
    lang = names.lang
    if result.op == "within_months":
        months = int(result.required)
        if months % 12 == 0:
            return f"{months // 12} 年内" if lang == "zh" else f"{months // 12} years"
        return f"{months} 个月内" if lang == "zh" else f"{months} months"
    return names.value(result.attribute, result.required)


def _actual(result: ConditionResult, names: "_Names") -> str:
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


def describe_limit(key: str, ruleset: CompiledRuleset | None, lang: str = "en") -> str:
    """A limit key such as ``group:same-competition:云计算赛项`` in words."""
    return limit_label(key, _Names(ruleset, lang))


def _would_qualify(failed: tuple[ConditionResult, ...], code: str | None, names: _Names) -> str:
    """'a 中级 certificate would qualify', when one ordered condition is all that is missing."""
    if len(failed) != 1 or failed[0].op not in ("ge", "gt", "eq") or not names.is_scale(failed[0].attribute):
        return ""
    level = names.value(failed[0].attribute, failed[0].required)
    article = "an" if level[:1].lower() in "aeiou" else "a"
    what = f"{article} {level} {names.code(code)}" if names.lang == "en" else f"{level}{names.code(code)}"
    return _t("would_qualify", names.lang, what=what)


_LIMIT_LABELS = {
    "total": {"en": "total converted credits", "zh": "转换学分总额"},
    "category": {"en": "the limit on {name}", "zh": "{name}限额"},
    "rule": {"en": "rule {name}'s maximum credits", "zh": "规则 {name} 的学分上限"},
    "rule-uses": {"en": "rule {name}'s maximum uses", "zh": "规则 {name} 的使用次数上限"},
    "achievement": {"en": "the per-achievement limit ({name})", "zh": "单项成果学分上限（{name}）"},
    "kind-count": {"en": "the count limit on {name}", "zh": "{name}可计数量"},
    "group": {"en": "“{name}” ({value})", "zh": "“{name}”（{value}）"},
}


def limit_label(key: str, names: "_Names") -> str:
    """A limit key such as ``group:same-competition:云计算赛项`` in words."""
    kind, _, rest = key.partition(":")
    lang = names.lang
    if kind == "total":
        return _LIMIT_LABELS["total"][lang]
    if kind == "category":
        return _LIMIT_LABELS["category"][lang].format(name=names.category(rest))
    if kind == "kind-count":
        return _LIMIT_LABELS["kind-count"][lang].format(name=names.kind(rest))
    if kind == "group":
        group_id, _, value = rest.partition(":")
        return _LIMIT_LABELS["group"][lang].format(name=names.group(group_id), value=value)
    if kind in _LIMIT_LABELS:
        return _LIMIT_LABELS[kind][lang].format(name=rest)
    return key


def _limit_text(limit: Limit, names: "_Names") -> dict[str, str]:
    counted = limit.key.startswith(("kind-count:", "group:", "rule-uses:"))
    show = (lambda v: str(v)) if counted else _credits
    return {"limit": limit_label(limit.key, names), "max": show(limit.limit), "room": show(limit.room)}


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
    header = _t("awarded", lang, total=_credits(decision.total))
    if decision.total_cap is not None:
        header += _t("cap", lang, cap=_credits(decision.total_cap))
    lines.append(header)
    lines.extend(_award_lines(decision.awards, names) or [_t("none_awarded", lang)])
    if decision.application is not None:
        app = decision.application
        program = app.name_zh if lang == "zh" else app.name_en
        lines += ["", _t("application", lang, program=program, required=_credits(app.total_required),
                         credited=_credits(app.credited), remaining=_credits(app.remaining))]
        for cat in app.categories:
            lines.append(_t("cat_status", lang, name=cat.name_zh if lang == "zh" else cat.name_en,
                            required=_credits(cat.required), credited=_credits(cat.credited),
                            remaining=_credits(cat.remaining)))
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
    if not decision.search.optimal:
        lines += ["", _t("optimal_warning", lang)]
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
                            credits=_credits(award.credits)))
        else:
            lines.append(_t("category", lang, credits=_credits(award.credits),
                            credit_word=_credit_word(award.credits), category=names.category(award.category),
                            grade=grade))
        lines.append(_t("by_rule", lang, rule=award.rule,
                        rule_name=award.rule_name_zh if lang == "zh" else award.rule_name_en,
                        standard=award.standard, version=award.version, achievements=", ".join(award.achievements)))
        if award.tally is not None:
            lines.append(_t("tally_line", lang, tally=_tally_text(award.tally, names)))
        if award.capped_by is not None:
            lines.append(_t("capped", lang, asked=_credits(award.asked), credits=_credits(award.credits),
                            **_limit_text(award.capped_by, names)))
    return lines


def _why(unused: Any, names: _Names) -> str:
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
            return _t("conflict", lang, rule=cand.rule, shared=cand.shared, other=cand.conflict_with)
        if cand.outcome == "limit" and cand.limit is not None:
            return _t("limit", lang, rule=cand.rule, **_limit_text(cand.limit, names))
        return _t("not-best", lang, rule=cand.rule)
    return unused.detail


def render_explanation(decision: Decision, ruleset: CompiledRuleset | None, subject: str, lang: str = "en") -> str:
    """Every rule touching one course or one achievement, with each condition in words."""
    names = _Names(ruleset, lang)
    course_rules = set()
    if ruleset is not None:
        course_rules = {r.id for r in ruleset.rules if subject in r.courses}
    lines: list[str] = []
    for trace in decision.trace:
        checks = [c for c in trace.checks if c.achievement == subject]
        candidates = [c for c in trace.candidates if subject in c.achievements or subject in c.target.split("+")]
        if not (checks or candidates or trace.rule in course_rules):
            continue
        if trace.rule in course_rules:
            checks = list(trace.checks)
            candidates = list(trace.candidates)
        lines.append(_t("explain_rule", lang, rule=trace.rule, rule_name=trace.name_zh if lang == "zh" else trace.name_en,
                        standard=trace.standard, version=trace.version, origin=trace.origin,
                        result=_RESULTS[trace.result][lang]))
        for check in checks:
            lines.append(_t("explain_check", lang, achievement=check.achievement,
                            verdict=_RESULTS["pass" if check.ok else "fail"][lang]))
            for cond in check.conditions:
                lines.append(_t("explain_cond", lang, mark="✓" if cond.ok else "✗",
                                attribute=names.attribute(cond.attribute), op=_op(cond.op, lang),
                                required=_required(cond, names), actual=_actual(cond, names)))
        for cand in candidates:
            outcome = _RESULTS.get(cand.outcome, {"en": cand.outcome, "zh": cand.outcome})[lang]
            if cand.outcome == "conflict":
                outcome += f" ({cand.conflict_with}; {cand.shared})"
            elif cand.limit is not None:
                outcome += f" ({limit_label(cand.limit.key, names)})"
            lines.append(_t("explain_candidate", lang, target=cand.target, achievements=", ".join(cand.achievements),
                            outcome=outcome))
    if not lines:
        return _t("explain_nothing", lang, subject=subject) + "\n"
    return "\n".join(lines) + "\n"

"""Decisions in words, in Chinese or English, for learners and reviewers.

The trace is data (:mod:`creditrules.decision`); this module only reads it.
Every sentence comes from the one zh/en catalogue, :mod:`creditrules.messages`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from .compiled import DEFAULT_UNIT, CompiledRuleset, UnitInfo, from_centi
from .conditions import OPERATOR_WORDS_EN, OPERATOR_WORDS_ZH, format_value, months_before
from .dates import parse_day
from .decision import Award, ConditionResult, Conflict, Decision, Limit, Tally, Unused
from .errors import did_you_mean
from .limits import LimitKind
from .messages import BUILTIN_NAMES, COURSE_STATUS_NAMES, QUALIFYING, QUOTES, RESULTS
from .messages import text as _t

BANK_UNIT = UnitInfo("银行学分", "bank credits", "bank credits")  # a certified outcome's, unless its standard says


def _credits(value: int) -> str:
    return format_value(float(from_centi(value)))


def _credit_word(value: int, names: _Names) -> str:
    return names.unit.word(value, "en")


def _tally_text(tally: Tally, names: _Names) -> str:
    lang = names.lang
    unit = ("条" if lang == "zh" else "records") if tally.unit == "count" else names.attribute(tally.unit)
    text = _t("tally", lang, records=tally.records, record_word="record" if tally.records == 1 else "records",
              amount=format_value(float(tally.amount)), unit=unit, credits=_credits(tally.credits_centi),
              credit_word=_credit_word(tally.credits_centi, names), credit_unit=names.unit.zh)
    if tally.maximum_centi is not None:
        text += _t("tally_max", lang, max=_credits(tally.maximum_centi))
    if tally.needed_centi is not None:
        text += _t("tally_needed", lang, needed=_credits(tally.needed_centi), unit=names.unit.zh)
    if tally.course is not None:  # an aggregate grouped by course: which course these records count toward
        text = _t("tally_course", lang, course=tally.course) + text
    return text


class _Names:
    """Bilingual names of courses, categories, codes and attributes from the compiled standard."""

    def __init__(self, ruleset: CompiledRuleset | None, lang: str, unit: UnitInfo = DEFAULT_UNIT,
                 as_of: date | None = None):
        self.ruleset, self.lang, self.as_of = ruleset, lang, as_of
        self.unit = ruleset.unit if ruleset is not None else unit  # what credit numbers count

    def bank_unit(self, standard_id: str) -> UnitInfo:
        """The unit of the certification standard that certified an outcome: bank credits unless it names one."""
        if self.ruleset is not None:
            for ruleset in (self.ruleset, *self.ruleset.certifications):
                if ruleset.id == standard_id and ruleset.unit != DEFAULT_UNIT:
                    return ruleset.unit
        return BANK_UNIT

    def course(self, code: str, zh: str, en: str) -> str:
        return zh if self.lang == "zh" else en

    def category(self, category: str | None) -> str:
        program = self.ruleset.program if self.ruleset else None
        if program is None and self.ruleset is not None and category in self.ruleset.categories:
            zh, en = self.ruleset.categories[category]  # an institution-wide standard's category
            return zh if self.lang == "zh" else en
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

    def rule_group(self, group_id: str) -> str:
        names = self.ruleset.limits.rule_groups.get(group_id) if self.ruleset else None
        if names is None:
            return group_id
        return names[0] if self.lang == "zh" else names[1]

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
        """A value as shown to a reader: scale levels in English when the scale has English labels,
        yes and no in Chinese as 是 and 否 (not the format's true and false)."""
        if isinstance(value, bool) and self.lang == "zh":
            return "是" if value else "否"
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
        context = self.ruleset.context_attributes.get(name) if self.ruleset is not None else None
        if context is not None:
            label = context.name_zh if self.lang == "zh" else context.name_en
            if label:
                return label
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
            years = months // 12
            return f"{years}年内" if lang == "zh" else f"{years} year{'' if years == 1 else 's'}"
        return f"{months}个月内" if lang == "zh" else f"{months} month{'' if months == 1 else 's'}"
    return names.value(result.attribute, result.required)


def _actual(result: ConditionResult, names: _Names) -> str:
    if result.op in ("passed", "not_taken"):  # a course's statuses in the history, or none
        if result.actual is None:
            return "无记录" if names.lang == "zh" else "no record"
        return ", ".join(_status(s, names.lang) for s in str(result.actual).split(", "))
    if result.actual is None:
        return "（缺失）" if names.lang == "zh" else "(missing)"
    return names.value(result.attribute, result.actual)


def _cutoff(result: ConditionResult, names: _Names) -> date | None:
    """The first day of a recency window the achievement missed by being too old, or None."""
    if result.op != "within_months" or result.ok or names.as_of is None or result.actual is None:
        return None
    obtained = parse_day(result.actual)
    if not isinstance(obtained, date):
        return None
    cutoff = months_before(names.as_of, int(result.required))
    return cutoff if obtained < cutoff else None


def _status(status: str, lang: str) -> str:
    return COURSE_STATUS_NAMES.get(status, {}).get(lang, status)


def describe_failed(failed: Iterable[ConditionResult], names: _Names) -> str:
    lang = names.lang
    parts = []
    for c in failed:
        cutoff = _cutoff(c, names)
        key = "failed_cond" if cutoff is None else "expired"
        parts.append(_t(key, lang, attribute=names.attribute(c.attribute), op=_op(c.op, lang),
                        required=_required(c, names), actual=_actual(c, names),
                        cutoff=cutoff.isoformat() if cutoff else ""))
    return ("；" if lang == "zh" else "; ").join(parts)


def _asked(conditions: Iterable[ConditionResult], names: _Names) -> str:
    """Conditions as a standard asks them, without a record's values: 'code = X-CLOUD, level ≥ intermediate'."""
    lang = names.lang
    return ("，" if lang == "zh" else ", ").join(
        f"{names.attribute(c.attribute)}{'' if lang == 'zh' else ' '}{_op(c.op, lang)}{'' if lang == 'zh' else ' '}"
        f"{_required(c, names)}" for c in conditions)


def describe_conditions(results: Iterable[ConditionResult], ruleset: CompiledRuleset | None,
                        lang: str = "en", as_of: date | None = None) -> str:
    """Conditions with what each required and what the achievement had, e.g. 'level ≥ intermediate (has
    elementary)', for summaries outside a full decision text; with ``as_of``, a record too old for a
    recency window says it expired and gives the cut-off day."""
    return describe_failed(results, _Names(ruleset, lang, as_of=as_of))


def describe_limit(key: LimitKind, ruleset: CompiledRuleset | None, lang: str = "en") -> str:
    """A limit (say, the same-competition group for 云计算赛项) in words."""
    return limit_label(key, _Names(ruleset, lang))


def _would_qualify(failed: tuple[ConditionResult, ...], names: _Names) -> str:
    """' — a record with level «intermediate» or higher would qualify', when one condition that asks for a
    value (equal to, one of, at least, above) is all that is missing. The value is quoted, never spliced into
    a sentence: it may be any name in any script."""
    if len(failed) != 1 or failed[0].op not in QUALIFYING or isinstance(failed[0].required, bool):
        return ""
    condition = failed[0]
    lang = names.lang
    opening, closing, joiner = QUOTES[lang]
    required = condition.required
    values = list(required) if isinstance(required, (list, tuple, frozenset, set)) else [required]
    if isinstance(required, (frozenset, set)):
        values.sort(key=str)
    quoted = joiner.join(f"{opening}{names.value(condition.attribute, v)}{closing}" for v in values)
    what = QUALIFYING[condition.op][lang].format(value=quoted)
    return _t("would_qualify", lang, attribute=names.attribute(condition.attribute), what=what)


def limit_label(key: LimitKind, names: _Names) -> str:
    """A limit in words: each kind of limit words itself from the standard's names."""
    return key.label(names)


def _limit_text(limit: Limit, names: _Names) -> dict[str, str]:
    show = str if limit.key.counted else _credits
    return {"limit": limit_label(limit.key, names), "max": show(limit.max_value), "room": show(limit.room_value)}


def render_text(decision: Decision, ruleset: CompiledRuleset | None = None, lang: str = "en") -> str:
    """The decision as a learner or reviewer reads it."""
    names = _Names(ruleset, lang, decision.unit, decision.as_of)
    std = decision.standard
    std_name = (ruleset.name_zh if lang == "zh" else ruleset.name_en) if ruleset else std.id
    lines = [_t("title", lang, learner=decision.learner, name=std_name, id=std.id, version=std.version,
                as_of=decision.as_of.isoformat()),
             _t("basis", lang, chain=", ".join(f"{i} {v} ({h})" for i, v, h in std.chain),
                hash=std.content_hash, engine=decision.engine_version), ""]
    for gate in decision.eligibility:
        if not gate.ok and gate.standard == std.id:
            lines += [_t("eligibility_failed", lang, failed=describe_failed(gate.failed, names)), ""]
    if decision.outcomes:
        lines.append(_t("outcomes", lang))
        lines.extend(_award_lines(decision.outcomes, names))
        lines.append("")
    header = _t("awarded", lang, total=_credits(decision.total_centi),
                credit_word=_credit_word(decision.total_centi, names), unit=names.unit.zh)
    if decision.total_cap_centi is not None:
        header += _t("cap", lang, cap=_credits(decision.total_cap_centi))
    lines.append(header)
    lines.extend(_award_lines(decision.awards, names) or [_t("none_awarded", lang)])
    if decision.application is not None:
        app = decision.application
        program = app.name_zh if lang == "zh" else app.name_en
        lines += ["", _t("application", lang, program=program, required=_credits(app.total_required_centi),
                         credited=_credits(app.credited_centi), remaining=_credits(app.remaining_centi),
                         credit_word=_credit_word(app.total_required_centi, names), unit=names.unit.zh)]
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
                                credits=_credits(course.credits), credit_word=_credit_word(course.credits, names),
                                unit=names.unit.zh,
                                category=names.category(course.category), grade=grade))
        elif award.outcome is not None:
            unit = names.bank_unit(award.standard)
            lines.append(_t("outcome", lang, code=award.outcome, name=names.code(award.outcome),
                            credits=_credits(award.credits_centi), credit_word=unit.word(award.credits_centi, "en"),
                            unit=unit.zh))
        else:
            lines.append(_t("category", lang, credits=_credits(award.credits_centi),
                            credit_word=_credit_word(award.credits_centi, names), unit=names.unit.zh,
                            category=names.category(award.category),
                            grade=grade))
        lines.append(_t("by_rule", lang, rule=award.rule,
                        rule_name=award.rule_name_zh if lang == "zh" else award.rule_name_en,
                        standard=award.standard, version=award.version, achievements=", ".join(award.achievements)))
        if award.tally is not None:
            lines.append(_t("tally_line", lang, tally=_tally_text(award.tally, names)))
        if award.capped_by is not None:
            lines.append(_t("capped", lang, asked=_credits(award.asked_centi), credits=_credits(award.credits_centi),
                            unit=names.unit.zh,
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
        needs = [describe_failed(failed, names)] if failed else []
        needs += [_t("needs_place", lang, place=place + 1, conditions=_asked(conditions, names))
                  for place, conditions in unused.missing]
        text = _t("conditions", lang, rule=rule_id, rule_name=names.rule(rule_id),
                  failed=("；" if lang == "zh" else "; ").join(needs)) + _would_qualify(failed, names)
        for other, excluded in unused.excluded:
            text += _t("excluded", lang, rule=other, rule_name=names.rule(other),
                       failed=describe_failed(excluded, names))
        return text
    if unused.reason == "not-eligible":
        if unused.nearest is not None:
            return _t("not-eligible-rule", lang, rule=unused.nearest[0], rule_name=names.rule(unused.nearest[0]),
                      failed=describe_failed(unused.nearest[1], names))
        return _t("not-eligible", lang, failed=describe_failed(unused.eligibility, names))
    cand = unused.candidate
    if cand is not None:
        if cand.outcome == "excluded" and cand.exclusion is not None:
            return _t("excluded_history", lang, rule=cand.rule, course=cand.exclusion.course,
                      history=cand.exclusion.history_course, status=_status(cand.exclusion.status, lang))
        if cand.outcome == "conflict":
            assert cand.conflict is not None
            return _t("conflict", lang, rule=cand.rule, shared=_shared(cand.conflict, names),
                      other=_other(cand.conflict))
        if cand.outcome == "limit" and cand.limit is not None:
            text = _t("limit", lang, rule=cand.rule, **_limit_text(cand.limit, names))
            for more in cand.also_limits:  # every limit that stopped it, not only the first
                text += _t("also_limit", lang, **_limit_text(more, names))
            return text
        return _t("not-best", lang, rule=cand.rule)
    return unused.detail


def _shared(conflict: Conflict, names: _Names) -> str:
    word = {"course": {"en": "course", "zh": "课程"}, "achievement": {"en": "achievement", "zh": "成果"}}
    return f"{word[conflict.shared_kind][names.lang]} {conflict.shared_id}"


def _other(conflict: Conflict) -> str:
    return f"{conflict.rule} → {conflict.target.text}"


def render_explanation(decision: Decision, ruleset: CompiledRuleset | None, subject: str, lang: str = "en") -> str:
    """Every rule touching one course or one achievement, with each condition in words."""
    names = _Names(ruleset, lang, decision.unit, decision.as_of)
    course_rules = set()
    places = {r.id: len(r.slots) for r in ruleset.rules} if ruleset is not None else {}
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
        for cond in trace.requires:
            lines.append(_t("explain_cond", lang, mark="✓" if cond.ok else "✗",
                            attribute=names.attribute(cond.attribute), op=_op(cond.op, lang),
                            required=_required(cond, names), actual=_actual(cond, names)))
        for check in checks:
            if check.ok and places.get(trace.rule, 1) > 1:  # a when_all place: the rule needs the others too
                verdict = RESULTS["pass_place"][lang].format(place=check.slot + 1)
            else:
                verdict = RESULTS["pass" if check.ok else "fail"][lang]
            lines.append(_t("explain_check", lang, achievement=check.achievement, verdict=verdict))
            for cond in check.conditions:
                cutoff = _cutoff(cond, names)
                actual = _actual(cond, names) + (_t("explain_expired", lang, cutoff=cutoff.isoformat())
                                                 if cutoff else "")
                lines.append(_t("explain_cond", lang, mark="✓" if cond.ok else "✗",
                                attribute=names.attribute(cond.attribute), op=_op(cond.op, lang),
                                required=_required(cond, names), actual=actual))
        for cand in candidates:
            outcome = RESULTS.get(cand.outcome, {"en": cand.outcome, "zh": cand.outcome})[lang]
            if cand.conflict is not None:
                outcome += f" ({_other(cand.conflict)}; {_shared(cand.conflict, names)})"
            elif cand.limit is not None:
                outcome += f" ({'; '.join(limit_label(x.key, names) for x in (cand.limit, *cand.also_limits))})"
            lines.append(_t("explain_candidate", lang, target=cand.target.text,
                            achievements=", ".join(cand.achievements), outcome=outcome))
    if not lines:
        return _t("explain_nothing", lang, subject=subject) + "\n"
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- pieces for other front ends (pages)

def credits_text(value: int) -> str:
    """Credits held in hundredths, as shown: ``4``, ``2.5``."""
    return _credits(value)


def reason_text(unused: Unused, ruleset: CompiledRuleset | None, lang: str = "en") -> str:
    """Why an achievement earned nothing, in words (with what would qualify, when one level is missing)."""
    return _why(unused, _Names(ruleset, lang))


def tally_text(tally: Tally, ruleset: CompiledRuleset | None, lang: str = "en") -> str:
    """How an aggregate rule added up its records: ``1 record, 40 hours → 2.5 credits``."""
    return _tally_text(tally, _Names(ruleset, lang))


def capped_text(award: Award, ruleset: CompiledRuleset | None, lang: str = "en") -> str:
    """How a limit cut an award: ``cut from 3 to 2 by …``; empty when none did."""
    if award.capped_by is None:
        return ""
    return _t("capped", lang, asked=_credits(award.asked_centi), credits=_credits(award.credits_centi),
              **_limit_text(award.capped_by, _Names(ruleset, lang))).strip()


def award_lines(award: Award, ruleset: CompiledRuleset | None, lang: str = "en") -> list[str]:
    """One award in words, as the text output shows it (what it credits, by which rule, how computed)."""
    return [line.strip() for line in _award_lines([award], _Names(ruleset, lang))]


def required_text(attribute: str, op: str, required: Any, ruleset: CompiledRuleset | None, lang: str = "en") -> str:
    """A rule's condition in words, without an achievement: ``level ≥ intermediate`` / ``等级不低于中级``."""
    names = _Names(ruleset, lang)
    result = ConditionResult(attribute, op, required, None, False)
    space = "" if lang == "zh" else " "
    return f"{names.attribute(attribute)}{space}{_op(op, lang)}{space}{_required(result, names)}"


def code_name(code: str, ruleset: CompiledRuleset | None, lang: str = "en") -> str:
    """An achievement code's name from the standard's catalogue, in ``lang`` (the code itself if unknown)."""
    return _Names(ruleset, lang).code(code)


def category_name(category: str | None, ruleset: CompiledRuleset | None, lang: str = "en") -> str:
    return _Names(ruleset, lang).category(category)


def limit_text(key: LimitKind, ruleset: CompiledRuleset | None, lang: str = "en") -> str:
    """A limit in words (the same as :func:`describe_limit`)."""
    return limit_label(key, _Names(ruleset, lang))

"""Every sentence creditrules shows a person, in Chinese and English, in one catalogue.

Each entry is a key with an ``en`` and a ``zh`` text, so both languages say the same things in
the same order, and a missing translation is a missing key, not a silent fallback. Values put into
a text come from standards and records that anyone may write: :func:`text` escapes them (a line
break in a course name must not forge a line of its own).
"""

from __future__ import annotations

from typing import Any

from .safe_text import escape_controls

LANGS = ("en", "zh")

TEXT: dict[str, dict[str, str]] = {
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
    "excluded": {"en": "rule {rule} would credit {course}, but the course history holds {history} ({status})",
                 "zh": "规则 {rule} 可认定 {course}，但修读记录中已有 {history}（{status}）"},
    "not-eligible-rule": {"en": "rule {rule} “{rule_name}” needs the learner to meet {failed}",
                          "zh": "规则 {rule}“{rule_name}”要求学习者满足：{failed}"},
    "not-eligible": {"en": "the learner does not meet this standard's eligibility: {failed}",
                     "zh": "学习者不符合本标准的认定资格：{failed}"},
    "eligibility_failed": {"en": "Not eligible under this standard: {failed}. Nothing is credited.",
                           "zh": "不符合本标准的认定资格：{failed}。不予认定任何学分。"},
    "also_limit": {"en": ", and by {limit} (max {max}, {room} left)",
                   "zh": "，并受限额 {limit} 限制（上限 {max}，剩余 {room}）"},
    "not-best": {"en": "rule {rule} applies, but the best combination of awards does without it",
                 "zh": "规则 {rule} 可适用，但最优认定组合未采用"},
    "failed_cond": {"en": "{attribute} {op} {required} (has {actual})",
                    "zh": "{attribute}{op}{required}（实际为 {actual}）"},
    "too-little": {"en": "rule {rule} “{rule_name}” adds up {tally}", "zh": "规则 {rule}“{rule_name}”合计：{tally}"},
    "tally": {"en": "{records} {record_word}, {amount} {unit} → {credits} {credit_word}",
              "zh": "{records} 条记录，共 {amount} {unit} → {credits} 学分"},
    "tally_max": {"en": ", at most {max}", "zh": "，上限 {max}"},
    "tally_needed": {"en": "; the courses need {needed}", "zh": "；课程需要 {needed} 学分"},
    "tally_course": {"en": "toward {course}: ", "zh": "计入 {course}："},
    "tally_line": {"en": "      computed: {tally}", "zh": "      计算：{tally}"},
    "explain_rule": {"en": "Rule {rule} “{rule_name}” ({standard} {version}, {origin}): {result}",
                     "zh": "规则 {rule}“{rule_name}”（{standard} {version}，{origin}）：{result}"},
    "explain_check": {"en": "  {achievement}: {verdict}", "zh": "  {achievement}：{verdict}"},
    "explain_cond": {"en": "    {mark} {attribute} {op} {required}: has {actual}",
                     "zh": "    {mark} {attribute}{op}{required}：实际为 {actual}"},
    "explain_candidate": {"en": "  → {target} from {achievements}: {outcome}",
                          "zh": "  → {target}（成果 {achievements}）：{outcome}"},
    "explain_nothing": {"en": "Nothing in this decision concerns {subject}.",
                        "zh": "本次认定中没有与 {subject} 相关的内容。"},
}

RESULTS: dict[str, dict[str, str]] = {
    "awarded": {"en": "awarded", "zh": "已认定"},
    "not-awarded": {"en": "matched, not awarded", "zh": "符合条件但未采用"},
    "no-match": {"en": "no achievement qualifies", "zh": "没有符合条件的成果"},
    "capped": {"en": "awarded, cut by a limit", "zh": "已认定（受限额削减）"},
    "conflict": {"en": "not used, conflicts with another award", "zh": "未采用，与其他认定冲突"},
    "limit": {"en": "not used, stopped by a limit", "zh": "未采用，受限额限制"},
    "not-best": {"en": "not used, the best combination does without it", "zh": "未采用，最优组合不需要"},
    "excluded": {"en": "not used, the course history rules it out", "zh": "未采用，修读记录排除"},
    "not-eligible": {"en": "the learner does not meet the rule's requirements", "zh": "学习者不满足本规则的要求"},
    "pass": {"en": "meets every condition", "zh": "满足全部条件"},
    "fail": {"en": "does not meet every condition", "zh": "未满足全部条件"},
}

BUILTIN_NAMES: dict[str, dict[str, str]] = {
    "code": {"en": "code", "zh": "代码"}, "kind": {"en": "kind", "zh": "类别"},
    "obtained": {"en": "obtained", "zh": "取得日期"}, "verified": {"en": "verified", "zh": "已核验"},
    "issuer": {"en": "issuer", "zh": "发证机构"}, "region": {"en": "region", "zh": "地区"},
    "courses": {"en": "course history", "zh": "修读记录"},
}

# a course's status in the learner's history (context.courses)
COURSE_STATUS_NAMES: dict[str, dict[str, str]] = {
    "passed": {"en": "passed", "zh": "已通过"}, "failed": {"en": "failed", "zh": "未通过"},
    "enrolled": {"en": "enrolled", "zh": "在修"}, "withdrawn": {"en": "withdrawn", "zh": "已退选"},
}


LIMIT_LABELS: dict[str, dict[str, str]] = {
    "total": {"en": "total converted credits", "zh": "转换学分总额"},
    "category": {"en": "the limit on {name}", "zh": "{name}限额"},
    "rule": {"en": "rule {name}'s maximum credits", "zh": "规则 {name} 的学分上限"},
    "rule-uses": {"en": "rule {name}'s maximum uses", "zh": "规则 {name} 的使用次数上限"},
    "achievement": {"en": "the per-achievement limit ({name})", "zh": "单项成果学分上限（{name}）"},
    "kind-count": {"en": "the count limit on {name}", "zh": "{name}可计数量"},
    "group": {"en": "“{name}” ({value})", "zh": "“{name}”（{value}）"},
    "category-count": {"en": "the count limit on awards into {name}", "zh": "{name}认定次数上限"},
    "rule-group": {"en": "the credit limit of “{name}”", "zh": "“{name}”学分上限"},
    "rule-group-count": {"en": "the count limit of “{name}”", "zh": "“{name}”认定次数上限"},
    "budget": {"en": "the shared budget “{name}”", "zh": "共享限额“{name}”"},
}


def text(key: str, lang: str, **values: Any) -> str:
    """The catalogue's ``key`` in ``lang``, with ``values`` filled in (escaped)."""
    return TEXT[key][lang].format(**{k: escape_controls(v) if isinstance(v, str) else v for k, v in values.items()})

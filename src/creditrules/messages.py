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
    "explain_rule": {"en": "Rule {rule} “{rule_name}” ({standard} {version}, {origin}): {result}",
                     "zh": "规则 {rule}“{rule_name}”（{standard} {version}，{origin}）：{result}"},
    "explain_check": {"en": "  {achievement}: {verdict}", "zh": "  {achievement}：{verdict}"},
    "explain_cond": {"en": "    {mark} {attribute} {op} {required}: has {actual}",
                     "zh": "    {mark} {attribute}{op}{required}：实际为 {actual}"},
    "explain_candidate": {"en": "  → {target} from {achievements}: {outcome}",
                          "zh": "  → {target}（成果 {achievements}）：{outcome}"},
    "explain_nothing": {"en": "Nothing in this decision concerns {subject}.",
                        "zh": "本次认定中没有与 {subject} 相关的内容。"},
    # ---- the rule graph's labels (graph --format dot|mermaid|svg, the standard report)
    "graph_credits": {"en": "{credits} credits", "zh": "{credits} 学分"},
    "graph_required": {"en": "{credits} required", "zh": "要求 {credits} 学分"},
    "graph_limit": {"en": "max {max}", "zh": "上限 {max}"},
    "graph_uses": {"en": "at most {max} uses", "zh": "最多使用 {max} 次"},
    "graph_aggregate": {"en": "{credits} credits per {per} {unit}", "zh": "每 {per} {unit} 计 {credits} 学分"},
    "graph_years": {"en": "{n} years", "zh": "{n} 年内"},
    "graph_months": {"en": "{n} months", "zh": "{n} 个月内"},
    # ---- pages: every page
    "page_generated": {"en": "Made by creditrules {engine}. The same inputs always give the same decision.",
                       "zh": "由 creditrules {engine} 生成。相同的输入总是得出相同的结果。"},
    # ---- pages: the decision letter (evaluate --format html)
    "letter_title": {"en": "Credit decision for {learner}", "zh": "{learner} 的学分认定结果"},
    "letter_lead": {"en": "Under {name} ({id} {version}), as of {as_of}.",
                    "zh": "依据{name}（{id} {version}），认定日期 {as_of}。"},
    "letter_card_total": {"en": "credits awarded", "zh": "认定学分"},
    "letter_card_cap": {"en": "at most, under this standard", "zh": "本标准认定上限"},
    "letter_card_remaining": {"en": "credits still to earn, of {required}", "zh": "尚需学分（共 {required}）"},
    "letter_card_unused": {"en": "achievements not credited", "zh": "未获认定的成果"},
    "letter_outcomes": {"en": "Certified outcomes", "zh": "认证成果"},
    "letter_credited": {"en": "What was credited ({total} credits), and why", "zh": "已认定的学分（共 {total} 学分）及依据"},
    "letter_nothing": {"en": "Nothing was credited.", "zh": "没有认定任何学分。"},
    "letter_progress": {"en": "Progress toward the diploma", "zh": "毕业要求进度"},
    "letter_progress_lead": {"en": "{program} requires {required} credits: {credited} credited, {remaining} to go.",
                             "zh": "{program}共要求 {required} 学分：已认定 {credited} 学分，尚需 {remaining} 学分。"},
    "letter_bar": {"en": "{credited} of {required} credits", "zh": "{required} 学分中已认定 {credited} 学分"},
    "letter_total": {"en": "Total", "zh": "合计"},
    "letter_col_category": {"en": "Category", "zh": "课程类别"},
    "letter_col_required": {"en": "Required", "zh": "要求"},
    "letter_col_credited": {"en": "Credited", "zh": "已认定"},
    "letter_col_remaining": {"en": "To go", "zh": "尚需"},
    "letter_col_progress": {"en": "Progress", "zh": "进度"},
    "letter_courses_remaining": {"en": "Courses still to take: {courses}.", "zh": "尚需修读的课程：{courses}。"},
    "letter_not_credited": {"en": "What was not credited, and what would qualify",
                            "zh": "未获认定的成果及认定条件"},
    "letter_not_credited_lead": {"en": "Each achievement below earned nothing under this standard; the reason names "
                                       "the closest rule and what it needs.",
                                 "zh": "以下成果在本标准下未获认定；原因中列出最接近的规则及其要求。"},
    "letter_rejected": {"en": "could not be used", "zh": "无法使用"},
    "letter_basis": {"en": "The standard applied", "zh": "所依据的标准"},
    "letter_basis_lead": {"en": "{id} version {version}, in force from {start} until {until}. Each file used is "
                                "identified by its content hash: a changed file has another hash.",
                          "zh": "{id} 第 {version} 版，有效期 {start} 至 {until}。所用的每个标准文件以内容哈希标识，"
                                "文件一经改动，哈希即不同。"},
    "letter_open_ended": {"en": "further notice", "zh": "另行通知"},
    "letter_col_standard": {"en": "Standard", "zh": "标准"},
    "letter_col_version": {"en": "Version", "zh": "版本"},
    "letter_col_hash": {"en": "Content hash", "zh": "内容哈希"},
    "letter_appeal": {"en": "How to ask for a review", "zh": "如何申请复核"},
    "letter_appeal_how": {"en": "If you think this decision is wrong, or that an achievement is missing or recorded "
                                "wrongly, ask the credit bank that issued it for a review, with proof of the "
                                "achievement (certificate, award, transcript).",
                          "zh": "如认为本认定结果有误，或有成果遗漏、记录错误，请向出具本结果的学分银行申请复核，"
                                "并附上成果证明（证书、获奖证明、成绩单等）。"},
    "letter_appeal_quote": {"en": "Quote: learner {learner}, standard {id} {version} (content hash {hash}), "
                                  "as of {as_of}.",
                            "zh": "申请时请注明：学习者 {learner}，标准 {id} {version}（内容哈希 {hash}），"
                                  "认定日期 {as_of}。"},
    "letter_appeal_reproduce": {"en": "With these, the reviewer reproduces exactly this decision and checks each "
                                      "step.",
                                "zh": "复核人员据此可以完全重现本次认定，并逐项核对。"},
}

RESULTS: dict[str, dict[str, str]] = {
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

BUILTIN_NAMES: dict[str, dict[str, str]] = {
    "code": {"en": "code", "zh": "代码"}, "kind": {"en": "kind", "zh": "类别"},
    "obtained": {"en": "obtained", "zh": "取得日期"}, "verified": {"en": "verified", "zh": "已核验"},
    "issuer": {"en": "issuer", "zh": "发证机构"}, "region": {"en": "region", "zh": "地区"},
}


LIMIT_LABELS: dict[str, dict[str, str]] = {
    "total": {"en": "total converted credits", "zh": "转换学分总额"},
    "category": {"en": "the limit on {name}", "zh": "{name}限额"},
    "rule": {"en": "rule {name}'s maximum credits", "zh": "规则 {name} 的学分上限"},
    "rule-uses": {"en": "rule {name}'s maximum uses", "zh": "规则 {name} 的使用次数上限"},
    "achievement": {"en": "the per-achievement limit ({name})", "zh": "单项成果学分上限（{name}）"},
    "kind-count": {"en": "the count limit on {name}", "zh": "{name}可计数量"},
    "group": {"en": "“{name}” ({value})", "zh": "“{name}”（{value}）"},
}


def text(key: str, lang: str, **values: Any) -> str:
    """The catalogue's ``key`` in ``lang``, with ``values`` filled in (escaped)."""
    return TEXT[key][lang].format(**{k: escape_controls(v) if isinstance(v, str) else v for k, v in values.items()})

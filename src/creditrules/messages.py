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
    "basis": {"en": "Standards applied: {chain}; content hash {hash}. Engine {engine}.",
              "zh": "依据标准：{chain}；内容哈希 {hash}。引擎版本 {engine}。"},
    "awarded": {"en": "Credit awarded: {total} {credit_word}", "zh": "认定学分：共 {total} {unit}"},
    "cap": {"en": " (limit {cap})", "zh": "（上限 {cap}）"},
    "none_awarded": {"en": "  (nothing)", "zh": "  （无）"},
    "course": {"en": "  ✓ {code} {name} — {credits} {credit_word} ({category}){grade}",
               "zh": "  ✓ {code} {name} — {credits} {unit}（{category}）{grade}"},
    "category": {"en": "  ✓ {credits} {credit_word} into {category}{grade}",
                 "zh": "  ✓ {credits} {unit}计入{category}{grade}"},
    "outcome": {"en": "  ✓ certified {code} {name}: {credits} {credit_word}",
                "zh": "  ✓ 认证成果 {code} {name}：{credits} {unit}"},
    "grade": {"en": ", grade {grade}", "zh": "，成绩 {grade}"},
    "by_rule": {"en": "      by rule {rule} “{rule_name}” ({standard} {version}) from {achievements}",
                "zh": "      依据规则 {rule}“{rule_name}”（{standard} {version}），使用成果 {achievements}"},
    "capped": {"en": "      cut from {asked} to {credits} by {limit} (max {max}, {room} left)",
               "zh": "      受限额 {limit} 限制（上限 {max}，剩余 {room}），由 {asked} {unit}减为 {credits} {unit}"},
    "outcomes": {"en": "Certified outcomes:", "zh": "认证成果："},
    "application": {"en": "Toward the diploma ({program}, {required} {credit_word}): {credited} credited, "
                           "{remaining} to go",
                    "zh": "毕业要求（{program}，共 {required} {unit}）：已认定 {credited} {unit}，"
                          "尚需 {remaining} {unit}"},
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
    "would_qualify": {"en": " — a record with {attribute} {what} would qualify",
                      "zh": "——若{attribute}{what}即可认定"},
    "needs_place": {"en": "another record for its place {place}: {conditions}",
                    "zh": "另一项成果填入其第 {place} 项：{conditions}"},
    "excluded": {"en": "; rule {rule} “{rule_name}” excludes it: {failed}",
                 "zh": "；规则 {rule}“{rule_name}”排除了该成果：{failed}"},
    "expired": {"en": "{attribute} {op} {required}: expired (obtained {actual}, before the cut-off {cutoff})",
                "zh": "{attribute}{op}{required}：已过期（取得于 {actual}，早于截止日期 {cutoff}）"},
    "conflict": {"en": "rule {rule} was not used: {shared} already counts for {other}",
                 "zh": "规则 {rule} 未采用：{shared} 已用于 {other}"},
    "limit": {"en": "rule {rule} was stopped by {limit} (max {max}, {room} left)",
              "zh": "规则 {rule} 受限额 {limit} 限制（上限 {max}，剩余 {room}）"},
    "excluded_history": {"en": "rule {rule} would credit {course}, but the course history holds {history} ({status})",
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
              "zh": "{records} 条记录，共 {amount} {unit} → {credits} {credit_unit}"},
    "tally_max": {"en": ", at most {max}", "zh": "，上限 {max}"},
    "tally_needed": {"en": "; the courses need {needed}", "zh": "；课程需要 {needed} {unit}"},
    "tally_course": {"en": "toward {course}: ", "zh": "计入 {course}："},
    "tally_line": {"en": "      computed: {tally}", "zh": "      计算：{tally}"},
    "explain_rule": {"en": "Rule {rule} “{rule_name}” ({standard} {version}, {origin}): {result}",
                     "zh": "规则 {rule}“{rule_name}”（{standard} {version}，{origin}）：{result}"},
    "explain_check": {"en": "  {achievement}: {verdict}", "zh": "  {achievement}：{verdict}"},
    "explain_cond": {"en": "    {mark} {attribute} {op} {required}: has {actual}",
                     "zh": "    {mark} {attribute}{op}{required}：实际为 {actual}"},
    "explain_candidate": {"en": "  → {target} from {achievements}: {outcome}",
                          "zh": "  → {target}（成果 {achievements}）：{outcome}"},
    "explain_expired": {"en": " (expired: before the cut-off {cutoff})", "zh": "（已过期：早于截止日期 {cutoff}）"},
    "explain_nothing": {"en": "Nothing in this decision concerns {subject}.",
                        "zh": "本次认定中没有与 {subject} 相关的内容。"},
    # ---- the rule graph's labels (graph --format dot|mermaid|svg, the standard report)
    "graph_credits": {"en": "{credits} credits", "zh": "{credits} 学分"},
    "graph_required": {"en": "{credits} required", "zh": "要求 {credits} 学分"},
    "graph_limit": {"en": "max {max}", "zh": "上限 {max}"},
    "graph_uses": {"en": "at most {max} uses", "zh": "最多使用 {max} 次"},
    "graph_group": {"en": "“{name}”", "zh": "“{name}”"},
    "graph_aggregate": {"en": "{credits} per {per} {unit}", "zh": "每 {per} {unit} 计 {credits} 学分"},
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
    "letter_credited": {"en": "What was credited ({total} credits), and why",
                        "zh": "已认定的学分（共 {total} 学分）及依据"},
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
    # ---- pages: the standard report (creditrules report)
    "report_title": {"en": "{name} ({id} {version})", "zh": "{name}（{id} {version}）"},
    "report_lead": {"en": "A {kind} standard, this version in force from {start} until {until}. Content hash {hash}; "
                          "files: {chain}.",
                    "zh": "类型：{kind}；本版本有效期 {start} 至 {until}。内容哈希 {hash}；所用文件：{chain}。"},
    "report_program": {"en": "Program {code} {name}: {credits} credits to graduate.",
                       "zh": "专业 {code} {name}：毕业要求 {credits} 学分。"},
    "report_versions": {"en": "Versions", "zh": "版本"},
    "report_timeline": {"en": "The versions of the standard on a time line", "zh": "标准各版本的有效期"},
    "report_timeline_caption": {"en": "Each bar is a window in which one version applies; this report shows {version} "
                                      "(dark). The dashed line is the as-of date {as_of}.",
                                "zh": "每一条表示一个版本的有效期；本报告展示的是 {version}（深色）。"
                                      "虚线为认定日期 {as_of}。"},
    "report_limits": {"en": "Limits", "zh": "限额"},
    "report_no_limits": {"en": "This version sets no limits.", "zh": "本版本未设限额。"},
    "report_col_limit": {"en": "Limit", "zh": "限额"},
    "report_col_max": {"en": "Maximum", "zh": "上限"},
    "report_col_note": {"en": "Note", "zh": "说明"},
    "report_limit_source": {"en": "as written: {source}", "zh": "原文：{source}"},
    "report_per_achievement": {"en": "credits per achievement", "zh": "单项成果学分上限"},
    "report_achievements": {"en": "achievements", "zh": "项成果"},
    "report_group": {"en": "achievements ({kinds}) with the same {attribute} count together",
                     "zh": "{attribute} 相同的成果（{kinds}）合并计数"},
    "report_rules": {"en": "Rules ({count})", "zh": "规则（{count} 条）"},
    "report_certification": {"en": "Certification first: {name} ({id} {version})",
                             "zh": "先行认证：{name}（{id} {version}）"},
    "report_col_rule": {"en": "Rule", "zh": "规则"},
    "report_col_name": {"en": "Name", "zh": "名称"},
    "report_col_when": {"en": "Takes", "zh": "适用成果及条件"},
    "report_col_gives": {"en": "Gives", "zh": "认定"},
    "report_col_limits": {"en": "Own limits", "zh": "规则限额"},
    "report_col_priority": {"en": "Priority", "zh": "优先级"},
    "report_col_written": {"en": "Written in", "zh": "出处"},
    "report_any_of_kind": {"en": "any {kinds}", "zh": "任一{kinds}"},
    "report_aggregate": {"en": "all qualifying records added up", "zh": "所有符合条件的记录合计"},
    "report_all_of": {"en": "all of these together:", "zh": "以下成果须同时具备："},
    "report_each": {"en": "each course on its own", "zh": "逐门课程分别认定"},
    "report_into": {"en": "{amount} into {category}", "zh": "{amount}计入{category}"},
    "report_outcome": {"en": "certified outcome {code}: {amount} (bank credits)",
                       "zh": "认证成果 {code}：{amount}（银行学分）"},
    "report_max_credits": {"en": "at most {max} credits", "zh": "最多 {max} 学分"},
    "report_max_uses": {"en": "at most {max} uses", "zh": "最多使用 {max} 次"},
    "report_reusable": {"en": "may share achievements with other reusable rules", "zh": "可与其他可复用规则共用成果"},
    "report_graph": {"en": "The rule graph", "zh": "规则关系图"},
    "report_graph_title": {"en": "Rule graph of {id} {version}", "zh": "{id} {version} 的规则关系图"},
    "report_graph_caption": {"en": "Credit flows left to right: achievement codes, the rules that take them (with the "
                                   "conditions on the arrows), the courses and categories they credit, the program. "
                                   "Credits and limits are written under each name; hover for the whole text.",
                             "zh": "学分自左向右流动：成果代码、适用的规则（箭头上为条件）、"
                                   "所认定的课程和课程类别、专业。"
                                   "名称下方为学分与限额；鼠标悬停可见全文。"},
    "report_findings": {"en": "Analysis findings", "zh": "静态分析结果"},
    "report_findings_lead": {"en": "What creditrules validate finds in this standard's files (messages in English; "
                                   "codes in docs/diagnostics.md).",
                             "zh": "creditrules validate 对本标准文件的检查结果"
                                   "（说明为英文；代码含义见 docs/diagnostics.md）。"},
    "report_no_findings": {"en": "No findings: the analysis has nothing to report on this standard's files.",
                           "zh": "无：静态分析未发现本标准文件的问题。"},
    "report_col_severity": {"en": "Severity", "zh": "级别"},
    "report_col_code": {"en": "Code", "zh": "代码"},
    "report_col_where": {"en": "Where", "zh": "位置"},
    "report_col_message": {"en": "Finding", "zh": "说明"},
    "report_cases": {"en": "Decision cases", "zh": "认定案例"},
    "report_no_cases": {"en": "No decision cases were found for this standard.", "zh": "未找到本标准的认定案例。"},
    "report_cases_lead": {"en": "{cases} case(s): {passed} passed, {failed} failed.",
                          "zh": "共 {cases} 个案例：通过 {passed} 个，未通过 {failed} 个。"},
    "report_col_case": {"en": "Case", "zh": "案例"},
    "report_col_file": {"en": "File", "zh": "文件"},
    "report_col_as_of": {"en": "As of", "zh": "认定日期"},
    "report_col_version": {"en": "Version", "zh": "版本"},
    "report_col_result": {"en": "Result", "zh": "结果"},
    "report_col_covered": {"en": "Awarded by a case", "zh": "有案例认定"},
    "report_pass": {"en": "passed", "zh": "通过"},
    "report_fail": {"en": "failed", "zh": "未通过"},
    "report_uncovered": {"en": "no case awards by it", "zh": "无案例"},
    "report_coverage": {"en": "Rule coverage: {covered} of {rules} rules ({percent}%) are awarded by some case",
                        "zh": "规则覆盖率：{rules} 条规则中有 {covered} 条（{percent}%）被案例认定"},
    # ---- pages: the impact report (creditrules diff --format html)
    "impact_title": {"en": "Credit changes from {old} to {new}", "zh": "从 {old} 到 {new} 的学分变化"},
    "impact_lead": {"en": "{count} learner(s), from {source}.", "zh": "共 {count} 名学习者，来源：{source}。"},
    "impact_card_learners": {"en": "learners compared", "zh": "比较的学习者"},
    "impact_card_gain": {"en": "gain credit (+{credits} in all)", "zh": "学分增加（共 +{credits}）"},
    "impact_card_lose": {"en": "lose credit (−{credits} in all)", "zh": "学分减少（共 −{credits}）"},
    "impact_card_same": {"en": "keep the same total", "zh": "总学分不变"},
    "impact_card_not_compared": {"en": "not compared", "zh": "未能比较"},
    "impact_learners": {"en": "Learners", "zh": "学习者"},
    "impact_col_learner": {"en": "Learner", "zh": "学习者"},
    "impact_col_standard": {"en": "Standard", "zh": "标准"},
    "impact_col_before": {"en": "Before", "zh": "变更前"},
    "impact_col_after": {"en": "After", "zh": "变更后"},
    "impact_col_change": {"en": "Change", "zh": "变化"},
    "impact_col_status": {"en": "Status", "zh": "状态"},
    "impact_col_gaining": {"en": "Learners gaining", "zh": "增加的人数"},
    "impact_col_losing": {"en": "Learners losing", "zh": "减少的人数"},
    "impact_col_credits": {"en": "Credits, after minus before", "zh": "学分变化（后减前）"},
    "impact_bar": {"en": "change {change}", "zh": "变化 {change}"},
    "impact_status_gains": {"en": "gains", "zh": "增加"},
    "impact_status_loses": {"en": "loses", "zh": "减少"},
    "impact_status_changed": {"en": "same total, other awards", "zh": "总数不变，认定不同"},
    "impact_status_unchanged": {"en": "unchanged", "zh": "无变化"},
    "impact_status_not_compared": {"en": "not compared", "zh": "未能比较"},
    "impact_rules": {"en": "Through which rules", "zh": "涉及的规则"},
    "impact_rules_lead": {"en": "Credits each rule awards after the change minus before, over all learners.",
                          "zh": "每条规则在变更后与变更前认定学分之差（全部学习者合计）。"},
    "impact_details": {"en": "What changed for each learner", "zh": "每名学习者的变化"},
    "impact_detail_head": {"en": "{learner}, {standard}, as of {as_of} ({source})",
                           "zh": "{learner}，{standard}，认定日期 {as_of}（{source}）"},
    "impact_detail_totals": {"en": "{before} → {after} credits ({change}), version {old} → {new}",
                             "zh": "{before} → {after} 学分（{change}），版本 {old} → {new}"},
    "impact_before_error": {"en": "before: {error}", "zh": "变更前：{error}"},
    "impact_after_error": {"en": "after: {error}", "zh": "变更后：{error}"},
    "impact_award": {"en": "{rule} → {target}: {credits} credits from {achievements}{grade}",
                     "zh": "{rule} → {target}：{credits} 学分，使用成果 {achievements}{grade}"},
    "impact_footer": {"en": "Made by creditrules {engine}: every learner decided on both sides on the same date.",
                      "zh": "由 creditrules {engine} 生成：每名学习者在两侧按同一认定日期认定。"},
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
    "pass_place": {"en": "meets every condition of place {place}", "zh": "满足第 {place} 项的全部条件"},
    "fail": {"en": "does not meet every condition", "zh": "未满足全部条件"},
}

# the value a nearest miss needs, quoted: "a record with level «intermediate» or higher would qualify"
QUALIFYING: dict[str, dict[str, str]] = {
    "eq": {"en": "{value}", "zh": "为{value}"},
    "in": {"en": "{value}", "zh": "为{value}"},
    "ge": {"en": "{value} or higher", "zh": "达到{value}或以上"},
    "gt": {"en": "above {value}", "zh": "高于{value}"},
}
QUOTES: dict[str, tuple[str, str, str]] = {"en": ("«", "»", " or "), "zh": ("「", "」", "或")}

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


# ---------------------------------------------------------------- input as offices have it, credentials, export
# Each entry is (English, Chinese). The values put in are escaped by :func:`said`. Keys are stable reason
# codes where a record is rejected (a rejects file carries the key as ``reason_code``).

INTAKE: dict[str, tuple[str, str]] = {
    # the column mapping (file or --column options): usage errors, exit 2
    "map-not-mapping": ("{where}: a column mapping must be a mapping with 'columns' (and optionally 'ignore', "
                        "'date_format', 'sheet'), not {what}",
                        "{where}：列映射应为包含 'columns'（以及可选的 'ignore'、'date_format'、'sheet'）的映射，"
                        "而不是{what}"),
    "map-unknown-key": ("{where}: unknown key '{name}' in the column mapping; the keys are columns, ignore, "
                        "date_format, sheet{hint}",
                        "{where}：列映射中有未知的键 '{name}'；"
                        "可用的键为 columns、ignore、date_format、sheet{hint}"),
    "map-bad-entry": ("{where}: {what} must be text, e.g. 学号: learner",
                      "{where}：{what}应为文本，例如 学号: learner"),
    "map-no-columns": ("{where}: 'columns' must map the office's headers to record fields, e.g. 学号: learner",
                       "{where}：'columns' 应把表头映射为记录字段，例如 学号: learner"),
    "map-bad-option": ("--column '{text}': write HEADER=FIELD, e.g. --column 学号=learner",
                       "--column '{text}'：请写作 表头=字段，例如 --column 学号=learner"),
    "map-twice": ("{where}: column '{header}' is mapped twice (also at {first})",
                  "{where}：列 '{header}' 被映射了两次（另见 {first}）"),
    "map-same-field": ("{where}: columns '{header}' and '{other}' ({first}) both give field '{field}'; "
                       "map one column to each field",
                       "{where}：列 '{header}' 与 '{other}'（{first}）都映射到字段 '{field}'；每个字段只能来自一列"),
    "map-unknown-field": ("{where}: '{field}' (for column '{header}') is not a record field of standard "
                          "'{standard}'{hint}; the fields are {fields}",
                          "{where}：'{field}'（列 '{header}'）不是标准 '{standard}' 的记录字段{hint}；"
                          "可用字段为 {fields}"),
    "map-given-twice": ("{what} is given twice: in {where} and with {option}; give it once",
                        "{what}给出了两次：{where} 中和 {option} 选项；只能给出一次"),
    "bad-date-format": ("{where}: date format '{format}' {why}; write it with %Y, %m and %d, e.g. %Y/%m/%d",
                        "{where}：日期格式 '{format}' {why_zh}；请用 %Y、%m、%d 书写，例如 %Y/%m/%d"),
    "map-wrong-format": ("a column mapping is for CSV and Excel input; '{source}' is {format}",
                         "列映射只适用于 CSV 和 Excel 输入；'{source}' 是 {format}"),
    "sheet-not-xlsx": ("--sheet (or 'sheet' in the column mapping) is for Excel workbooks; '{source}' is {format}",
                       "--sheet（或列映射中的 'sheet'）只适用于 Excel 工作簿；'{source}' 是 {format}"),
    # the credential map (creditrules.credentials): usage errors, exit 2
    "cmap-shape": ("{where}: a credential map is a mapping with one key, 'achievements': a list of entries such as "
                   "{{alignment: {{targetCode: WEB}}, code: X-WEB}}",
                   "{where}：凭证映射应为只有一个键 'achievements' 的映射，其值为条目列表，例如 "
                   "{{alignment: {{targetCode: WEB}}, code: X-WEB}}"),
    "cmap-entry": ("{where}: an entry must be a mapping with 'code' and one of id, alignment, achievementType",
                   "{where}：每个条目应为映射，含 'code' 以及 id、alignment、achievementType 之一"),
    "cmap-no-code": ("{where}: the entry has no 'code' (the catalogue code it maps to)",
                     "{where}：该条目缺少 'code'（对应的目录代码）"),
    "cmap-no-match": ("{where}: the entry says nothing to match: give 'id', 'alignment' or 'achievementType'",
                      "{where}：该条目没有匹配依据：请给出 'id'、'alignment' 或 'achievementType'"),
    "cmap-alignment": ("{where}: 'alignment' is a mapping of targetCode, targetFramework, targetUrl, targetName",
                       "{where}：'alignment' 应为由 targetCode、targetFramework、targetUrl、targetName 组成的映射"),
    "cmap-text": ("{where}: '{name}' must be text", "{where}：'{name}' 应为文本"),
    "cmap-from-credential": ("{where}: '{name}' comes from the credential; it cannot be set here",
                             "{where}：'{name}' 取自凭证本身，不能在此设置"),
    "cmap-attribute": ("{where}: an attribute is a value, or {{result: NAME}} to take the value of the credential's "
                       "result NAME", "{where}：属性应为一个值，或写作 {{result: 名称}} 以取凭证中该结果的值"),
    "cmap-list": ("{where}: an attribute is one value, not a list", "{where}：属性应为单个值，而不是列表"),
    # the header of the input, against the mapping: exit 2
    "header-missing": ("{source}: column '{header}' of the mapping ({first}) is not in the header (line {line}){hint}; "
                       "the header has {names}",
                       "{source}：映射中的列 '{header}'（{first}）不在表头（第 {line} 行）中{hint}；表头为 {names}"),
    "header-twice": ("{source}: the header (line {line}) names column '{header}' twice ({cells}); "
                     "give each column its own header",
                     "{source}：表头（第 {line} 行）两次出现列 '{header}'（{cells}）；每列应有不同的表头"),
    "header-same-field": ("{source}: columns {first} and {second} of the header (line {line}) both give field "
                          "'{field}'; map or rename one of them",
                          "{source}：表头（第 {line} 行）的 {first} 列与 {second} 列都对应字段 '{field}'；"
                          "请重新映射或改名其中一列"),
    "header-no-learner": ("{source}: no column gives 'learner' (the learner's id): the header (line {line}) has "
                          "{names}; map one, e.g. --column 学号=learner",
                          "{source}：没有列对应 'learner'（学习者编号）：表头（第 {line} 行）为 {names}；"
                          "请映射一列，例如 --column 学号=learner"),
    "no-header": ("{source}: no header row: the sheet '{sheet}' has no row with text",
                  "{source}：没有表头：工作表 '{sheet}' 中没有含文字的行"),
    # one row rejected (reason codes)
    "date-format": ("'{field}' {value} does not match the date format {format} stated for this input (e.g. "
                    "{example}); row {line} is not used",
                    "'{field}' {value} 不符合本输入声明的日期格式 {format}（例如 {example}）；第 {line} 行不予采用"),
    "unnamed-column": ("cell {cell} holds {value} but its column has no header (merged header cells leave every "
                       "column but the first without one); give the column a header or clear the cell",
                       "单元格 {cell} 的值为 {value}，但该列没有表头（合并的表头单元格只有第一列有表头）；"
                       "请为该列加表头或清空该单元格"),
    "cell-error": ("cell {cell} holds the spreadsheet error {value}; correct the formula or the value",
                   "单元格 {cell} 是表格错误值 {value}；请改正公式或数值"),
    "formula-no-value": ("cell {cell} holds the formula {value} but no calculated value (the workbook was written by "
                         "a program and never opened in a spreadsheet); open and save it there, or write the value",
                         "单元格 {cell} 是公式 {value}，但没有计算结果（工作簿由程序生成，从未在表格软件中保存）；"
                         "请在表格软件中打开并保存，或直接填写数值"),
    "cell-time": ("cell {cell} holds a time ({value}), not a date or text",
                  "单元格 {cell} 是时刻（{value}），不是日期或文本"),
    "long-number": ("cell {cell} holds the number {value}, which a spreadsheet keeps to 15 digits only; store ids "
                    "and codes as text", "单元格 {cell} 是数字 {value}，表格软件只保留 15 位有效数字；"
                                         "编号和代码请以文本格式保存"),
    # the workbook as a whole: exit 1
    "xlsx-missing": ("reading Excel workbooks needs openpyxl: pip install 'creditrules[xlsx]'",
                     "读取 Excel 工作簿需要 openpyxl：pip install 'creditrules[xlsx]'"),
    "xlsx-stdin": ("an Excel workbook cannot be read from standard input; give a file",
                   "不能从标准输入读取 Excel 工作簿；请给出文件"),
    "xlsx-old": ("'{source}' is an Excel 97-2003 workbook (.xls), which is not read; save it as .xlsx or .csv",
                 "'{source}' 是 Excel 97-2003 工作簿（.xls），不支持读取；请另存为 .xlsx 或 .csv"),
    "xlsx-not-zip": ("'{source}' is not an Excel workbook (.xlsx): it is not a zip archive (starts with {start})",
                     "'{source}' 不是 Excel 工作簿（.xlsx）：它不是 zip 压缩包（开头为 {start}）"),
    "xlsx-not-workbook": ("'{source}' is a zip archive but not an Excel workbook: {why}",
                          "'{source}' 是 zip 压缩包，但不是 Excel 工作簿：{why_zh}"),
    "xlsx-too-big": ("'{source}': {part} unpacks to {size} bytes, over the limit of {limit} for {what}; split the "
                     "workbook or save the sheet as CSV",
                     "'{source}'：{part} 解压后为 {size} 字节，超过{what_zh}的上限 {limit}；请拆分工作簿或另存为 CSV"),
    "xlsx-ratio": ("'{source}': {part} is compressed {ratio}:1, more than {limit}:1 (a zip bomb?); it is not read",
                   "'{source}'：{part} 的压缩比为 {ratio}:1，超过 {limit}:1（疑似压缩炸弹），不予读取"),
    "xlsx-unreadable": ("'{source}' cannot be read as an Excel workbook: {why}",
                        "'{source}' 无法作为 Excel 工作簿读取：{why}"),
    "xlsx-no-sheet": ("'{source}' has no sheet '{sheet}'{hint}; its sheets are {sheets}",
                      "'{source}' 中没有工作表 '{sheet}'{hint}；工作表有 {sheets}"),
    "xlsx-too-many-rows": ("'{source}': sheet '{sheet}' goes beyond row {limit}; it is not read",
                           "'{source}'：工作表 '{sheet}' 超过第 {limit} 行，不予读取"),
    "xlsx-too-many-cells": ("'{source}': sheet '{sheet}' spans more than {limit} cells (rows × columns in use); "
                            "split it or save it as CSV",
                            "'{source}'：工作表 '{sheet}' 超过 {limit} 个单元格（行数 × 使用的列数）；"
                            "请拆分或另存为 CSV"),
    "xlsx-sheet-other": ("'{source}': sheet '{sheet}' is a {kind}, not a worksheet of cells",
                         "'{source}'：工作表 '{sheet}' 是{kind}，不是单元格工作表"),
}


# why a credential was left out of an import (creditrules.credentials); the key is the reason code
CREDENTIAL_REASONS: dict[str, tuple[str, str]] = {
    "not-credential": ("not a verifiable credential: {why}", "不是可验证凭证：{why}"),
    "no-achievement": ("credentialSubject has no 'achievement' object", "credentialSubject 中没有 'achievement' 对象"),
    "no-issuer": ("no 'issuer' (a URL or an object with 'id')", "缺少 'issuer'（URL 或含 'id' 的对象）"),
    "no-date": ("no date: neither 'awardedDate', 'validFrom' nor 'issuanceDate'",
                "缺少日期：'awardedDate'、'validFrom'、'issuanceDate' 均未给出"),
    "bad-date": ("'{name}' {value} is not a date and time (ISO 8601, e.g. 2024-06-15T00:00:00Z)",
                 "'{name}' {value} 不是日期时间（ISO 8601，例如 2024-06-15T00:00:00Z）"),
    "expired": ("the credential expired on {day} ('validUntil'), before the as-of date {as_of}",
                "凭证已于 {day} 失效（'validUntil'），早于认定日期 {as_of}"),
    "not-yet-valid": ("the credential is valid only from {day} ('validFrom'), after the as-of date {as_of}",
                      "凭证自 {day} 起才有效（'validFrom'），晚于认定日期 {as_of}"),
    "other-subject": ("the credential is about '{subject}', not learner '{learner}'",
                      "凭证的持有人是 '{subject}'，不是学习者 '{learner}'"),
    "no-match": ("no entry of the credential map matches achievement {shown}", "凭证映射中没有条目匹配成果 {shown}"),
    "ambiguous": ("achievement {shown} matches {count} entries of the credential map ({entries}); it must match one",
                  "成果 {shown} 匹配凭证映射中的 {count} 个条目（{entries}）；只能匹配一个"),
    "no-result": ("attribute '{name}' comes from the result '{result}', which the credential does not have",
                  "属性 '{name}' 取自结果 '{result}'，但凭证中没有该结果"),
    "duplicate": ("the same credential id '{id}' again (also {first}); it is imported once",
                  "凭证编号 '{id}' 重复（另见 {first}）；只导入一次"),
}


def said(key: str, **values: Any) -> tuple[str, str]:
    """The catalogue entry ``key`` of :data:`INTAKE` in English and Chinese, ``values`` filled in (escaped).

    A value ``why``/``what`` may have a Chinese twin ``why_zh``/``what_zh``; without one the English is used."""
    en, zh = INTAKE[key]
    safe = {k: escape_controls(v) if isinstance(v, str) else v for k, v in values.items()}
    for name in ("why", "what"):
        if name in safe:
            safe.setdefault(f"{name}_zh", safe[name])
    return en.format(**safe), zh.format(**safe)
# ---------------------------------------------------------------- the HTTP service (creditrules serve)
# Problem titles (one per problem type, RFC 9457) and the details the service words itself; details
# that come from the library (a learner file's syntax error, "did you mean") are the CLI's words.

SERVICE: dict[str, dict[str, str]] = {
    "invalid-learner": {"en": "The learner record cannot be used", "zh": "学习者记录无法使用"},
    "invalid-parameter": {"en": "A parameter of the request is invalid", "zh": "请求参数无效"},
    "unknown-standard": {"en": "No such standard", "zh": "没有该标准"},
    "not-found": {"en": "No such resource", "zh": "没有该资源"},
    "method-not-allowed": {"en": "Method not allowed", "zh": "不允许该请求方法"},
    "not-acceptable": {"en": "No representation the client accepts", "zh": "没有客户端可接受的表示形式"},
    "body-too-large": {"en": "The request body is too large", "zh": "请求体过大"},
    "unsupported-media-type": {"en": "Unsupported content type", "zh": "不支持的内容类型"},
    "cannot-decide": {"en": "The learner cannot be decided under this standard",
                      "zh": "无法依据该标准认定该学习者"},
    "invalid-batch": {"en": "The batch cannot be run", "zh": "批量认定无法运行"},
    "internal-error": {"en": "Internal error", "zh": "内部错误"},
    "too-large": {"en": "the request body is more than {limit} bytes, the limit for {what}",
                  "zh": "请求体超过 {limit} 字节，即{what}的上限"},
    "what-learner": {"en": "a learner record", "zh": "学习者记录"},
    "what-standard": {"en": "a standard file", "zh": "标准文件"},
    "what-batch": {"en": "a batch of records", "zh": "批量记录"},
    "media-type": {"en": "the body is sent as '{got}'; send {expected}",
                   "zh": "请求体的类型为“{got}”；请使用 {expected}"},
    "no-media-type": {"en": "the request has no Content-Type; send {expected}",
                      "zh": "请求缺少 Content-Type；请使用 {expected}"},
    "charset": {"en": "the body's charset is '{got}'; send UTF-8", "zh": "请求体的字符集为“{got}”；请使用 UTF-8"},
    "choice": {"en": "'{got}' is not one of {choices}", "zh": "“{got}”不是可选值 {choices} 之一"},
    "unknown-parameter": {"en": "'{got}' is not a parameter of this resource{hint}; its parameters are {names}",
                          "zh": "“{got}”不是该资源的参数{hint}；可用参数为 {names}"},
    "missing": {"en": "give one of the parameters {names}", "zh": "请给出参数 {names} 之一"},
    "both": {"en": "give only one of the parameters {names}", "zh": "参数 {names} 只能给出一个"},
    "empty": {"en": "'{name}' is empty; give {what}, e.g. {example}",
              "zh": "“{name}”为空；请给出{what}，例如 {example}"},
    "what-course": {"en": "a course code", "zh": "课程代码"},
    "what-achievement": {"en": "an achievement id", "zh": "成果编号"},
    "bad-path": {"en": "'{got}' is not a standard file's place in the folder; give a relative path ending "
                       "in .yaml, e.g. yangtze-delta/new.yaml",
                 "zh": "“{got}”不是标准文件在目录中的位置；请给出以 .yaml 结尾的相对路径，例如 yangtze-delta/new.yaml"},
    "no-route": {"en": "no resource at {path}; see /openapi.json", "zh": "{path} 没有资源；请参阅 /openapi.json"},
    "no-method": {"en": "{method} is not allowed here; use {allowed}", "zh": "此处不允许 {method}；请使用 {allowed}"},
    "accept": {"en": "the client accepts {got}; this resource is available as {available}",
               "zh": "客户端接受 {got}；该资源可用的类型为 {available}"},
    "not-flat": {"en": "the counts of the batch do not add up; this is a bug, please report it",
                 "zh": "批量认定的计数不一致；这是程序缺陷，请报告"},
    "log-reloaded": {"en": "standards in {folder} reloaded: generation {generation}, {count} standard(s)",
                     "zh": "已重新加载 {folder} 中的标准：第 {generation} 代，共 {count} 个标准"},
    "log-reload-failed": {"en": "standards in {folder} changed but do not compile; still serving generation "
                                "{generation}; {count} problem(s):",
                          "zh": "{folder} 中的标准已更改但无法编译；继续使用第 {generation} 代；{count} 个问题："},
    "log-watch-failed": {"en": "checking the standards in {folder} failed", "zh": "检查 {folder} 中的标准失败"},
    "log-request-failed": {"en": "{method} {path} failed", "zh": "{method} {path} 失败"},
    "internal": {"en": "the server could not answer; the error is in its log",
                 "zh": "服务器无法完成请求；错误已记入日志"},
}


def service_text(key: str, lang: str, **values: Any) -> str:
    """The service catalogue's ``key`` in ``lang`` (English for a language it does not have), filled in (escaped)."""
    entry = SERVICE[key]
    return entry.get(lang, entry["en"]).format(
        **{k: escape_controls(v) if isinstance(v, str) else v for k, v in values.items()})
# ---------------------------------------------------------------- the learner's account (creditrules.ledger)
TEXT.update({
    "ledger.bad-url": {"en": "'{url}' is not a ledger address; use sqlite:///PATH, "
                             "postgresql://USER@HOST:PORT/DB or a file path",
                       "zh": "“{url}”不是账户库地址；请使用 sqlite:///路径、"
                             "postgresql://用户@主机:端口/库 或文件路径"},
    "ledger.no-ledger": {"en": "no ledger at '{where}'; create it with: creditrules account init --db {where}",
                         "zh": "“{where}”处没有账户库；请先创建：creditrules account init --db {where}"},
    "ledger.cannot-open": {"en": "cannot open the ledger at '{where}': {reason}",
                           "zh": "无法打开账户库“{where}”：{reason}"},
    "ledger.schema-ahead": {"en": "the ledger at '{where}' has schema revision {revision}, newer than this creditrules "
                                  "knows (up to {head}); upgrade creditrules",
                            "zh": "账户库“{where}”的结构版本为 {revision}，高于本版 creditrules 所知（至 {head}）；"
                                  "请升级 creditrules"},
    "ledger.busy": {"en": "the ledger at '{where}' is busy: another writer held it for over {seconds} s; try again",
                    "zh": "账户库“{where}”正忙：其他写入已占用超过 {seconds} 秒；请稍后重试"},
    "ledger.postgres-missing": {"en": "a PostgreSQL ledger needs the postgres extra: "
                                      "pip install 'creditrules[postgres]'",
                                "zh": "PostgreSQL 账户库需要 postgres 扩展：pip install 'creditrules[postgres]'"},
    "ledger.did-you-mean": {"en": " (did you mean '{name}'?)", "zh": "（是否为“{name}”？）"},
    "ledger.unknown-learner": {"en": "no learner '{learner}' in the ledger{hint}",
                               "zh": "账户库中没有学习者“{learner}”{hint}"},
    "ledger.unknown-unit": {"en": "no service unit '{unit}' in the ledger{hint}; "
                                  "add it with 'creditrules account units'",
                            "zh": "账户库中没有服务单位“{unit}”{hint}；请用“creditrules account units”添加"},
    "ledger.unknown-decision": {"en": "no decision #{decision} in the ledger",
                                "zh": "账户库中没有第 {decision} 号认定记录"},
    "ledger.outcome-changed": {"en": "outcome {outcome} of learner {learner} is already stored with other content; "
                                     "a stored outcome is never changed: store it under a new id",
                               "zh": "学习者 {learner} 的成果 {outcome} 已以不同内容存储；已存储的成果不可更改，"
                                     "请使用新编号存储"},
    "ledger.bad-units": {"en": "{source}: {reason}", "zh": "{source}：{reason}"},
    "ledger.bad-policy": {"en": "{source}: {reason}", "zh": "{source}：{reason}"},
    "ledger.archive-mismatch": {"en": "standard file '{path}' has changed since it was compiled (hash {found}, "
                                      "compiled {expected}); compile again before applying",
                                "zh": "标准文件“{path}”在编译后已被修改（哈希 {found}，编译时 {expected}）；"
                                      "请重新编译后再申请"},
    "ledger.archive-missing": {"en": "decision #{decision} names standard file {hash}, which is not in the archive",
                               "zh": "第 {decision} 号认定所用的标准文件 {hash} 不在存档中"},
    "ledger.replay-version": {"en": "decision #{decision} was made by creditrules {recorded}; this is {running}, and "
                                    "only the same engine version replays to the same bytes",
                              "zh": "第 {decision} 号认定由 creditrules {recorded} 作出；当前为 {running}，"
                                    "只有相同引擎版本才能逐字节重现"},
    # reasons an outcome is kept out of an application
    "ledger.already-converted": {"en": "already converted by decision #{decision} (rule {rule}); "
                                       "a recorded decision is final and an outcome counts once",
                                 "zh": "已由第 {decision} 号认定转换（规则 {rule}）；"
                                       "认定一经记录即为最终结果，成果只计一次"},
    "ledger.not-certified": {"en": "{code} must be certified by a unit of tier {tiers}; no unit certified it",
                             "zh": "{code} 须由 {tiers} 级单位认证；该成果未经任何单位认证"},
    "ledger.no-authority": {"en": "certified by {unit} ({tier}), which may not certify {code}: only {tiers} may",
                            "zh": "由 {unit}（{tier}）认证，但该单位无权认证 {code}：仅 {tiers} 可认证"},
    # account and history
    "ledger.account": {"en": "Account of learner {learner}: {outcomes} stored outcomes, {decisions} recorded decisions",
                       "zh": "学习者 {learner} 的账户：已存储成果 {outcomes} 项，已记录认定 {decisions} 次"},
    "ledger.outcomes": {"en": "Stored outcomes:", "zh": "已存储成果："},
    "ledger.outcome": {"en": "  {mark} {outcome} {code} obtained {obtained}, {verified}{units}{used}",
                       "zh": "  {mark} {outcome} {code}，取得于 {obtained}，{verified}{units}{used}"},
    "ledger.verified": {"en": "verified", "zh": "已核验"},
    "ledger.unverified": {"en": "not verified", "zh": "未核验"},
    "ledger.units": {"en": "; received by {received}, verified by {verified_by}, certified by {certified}",
                     "zh": "；受理 {received}，核验 {verified_by}，认证 {certified}"},
    "ledger.used": {"en": "; used by decision #{decision}", "zh": "；已用于第 {decision} 号认定"},
    "ledger.history": {"en": "Decisions:", "zh": "认定记录："},
    "ledger.decision": {"en": "  #{decision} {standard} {version} as of {as_of}: {total} credits, recorded {recorded}"
                              "{official}",
                        "zh": "  第 {decision} 号 {standard} {version}，认定日期 {as_of}：{total} 学分，"
                              "记录于 {recorded}{official}"},
    "ledger.by": {"en": " by {official}", "zh": "，经办人 {official}"},
    "ledger.applied": {"en": "Recorded as decision #{decision}.", "zh": "已记录为第 {decision} 号认定。"},
    "ledger.excluded": {"en": "Outcomes kept out of this application:", "zh": "未纳入本次申请的成果："},
    "ledger.excluded_line": {"en": "  ✗ {outcome} ({code}): {why}", "zh": "  ✗ {outcome}（{code}）：{why}"},
    "ledger.stored": {"en": "Stored {stored} outcome(s) of learner {learner} ({same} already stored).",
                      "zh": "已为学习者 {learner} 存储成果 {stored} 项（{same} 项此前已存储）。"},
    "ledger.rejected": {"en": "Not stored: {outcome}: {reason}", "zh": "未存储：{outcome}：{reason}"},
    "ledger.batch-stdin": {"en": "--ledger needs --input to be a file: the batch reads standard input only once",
                           "zh": "--ledger 需要 --input 为文件：批处理只能读取一次标准输入"},
    "ledger.batch": {"en": "ledger: {recorded} decision(s) recorded in {where}, {refused} learner(s) not recorded",
                     "zh": "账户库：{where} 中记录认定 {recorded} 次，{refused} 名学习者未记录"},
    "ledger.units_loaded": {"en": "{count} service unit(s) in the ledger.", "zh": "账户库中共有服务单位 {count} 个。"},
    "ledger.created": {"en": "Ledger ready at {where} (schema revision {revision}).",
                       "zh": "账户库已就绪：{where}（结构版本 {revision}）。"},
    "ledger.replayed": {"en": "Decision #{decision} replayed: the same {size} bytes (engine {engine}, as of {as_of}).",
                        "zh": "第 {decision} 号认定已重现：{size} 字节完全相同（引擎 {engine}，认定日期 {as_of}）。"},
    "ledger.replay-differs": {"en": "Decision #{decision} replayed to different bytes (engine {engine}, "
                                    "as of {as_of}).",
                              "zh": "第 {decision} 号认定重现结果不同（引擎 {engine}，认定日期 {as_of}）。"},
    "ledger.diff_title": {"en": "Recorded decisions against {new}: {changed} of {total} would change (none is changed)",
                          "zh": "以 {new} 重新核对已记录认定：{total} 次中有 {changed} 次会不同（记录不作更改）"},
    "ledger.diff_line": {"en": "  #{decision} learner {learner} {standard} {old_version}→{new_version} as of {as_of}: "
                               "{old_total} → {new_total} credits",
                         "zh": "  第 {decision} 号 学习者 {learner} {standard} {old_version}→{new_version}，认定日期 "
                               "{as_of}：{old_total} → {new_total} 学分"},
    "ledger.diff_award": {"en": "      {sign} {rule} {target} from {achievements}: {credits}",
                          "zh": "      {sign} {rule} {target}（成果 {achievements}）：{credits}"},
    "ledger.diff_error": {"en": "  #{decision} learner {learner}: not compared: {error}",
                          "zh": "  第 {decision} 号 学习者 {learner}：无法比较：{error}"},
})

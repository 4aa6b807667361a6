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

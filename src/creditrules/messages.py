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
    "not-best": {"en": "rule {rule} applies, but the best combination of awards does without it",
                 "zh": "规则 {rule} 可适用，但最优认定组合未采用"},
    "failed_cond": {"en": "{attribute} {op} {required} (has {actual})",
                    "zh": "{attribute}{op}{required}（实际为 {actual}）"},
    "too-little": {"en": "rule {rule} “{rule_name}” adds up {tally}", "zh": "规则 {rule}“{rule_name}”合计：{tally}"},
    "tally": {"en": "{records} {record_word}, {amount} {unit} → {credits} {credit_word}",
              "zh": "{records} 条记录，共 {amount} {unit} → {credits} {credit_unit}"},
    "tally_max": {"en": ", at most {max}", "zh": "，上限 {max}"},
    "tally_needed": {"en": "; the courses need {needed}", "zh": "；课程需要 {needed} {unit}"},
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

"""``creditrules init``: a new standard to start from, every key explained by a comment.

The scaffold is a working example, not a form to fill in: it validates with
``--strict`` as it is (the tests check each kind, alone and extending a base), so an
author changes one thing at a time and runs ``creditrules validate`` after each.
"""

from __future__ import annotations

from datetime import date

KINDS = ("conversion", "certification", "base")

_HEAD = """\
# yaml-language-server: $schema={schema}
# {id}: {what}
# Every key is explained in docs/standard-format.md. After each change run
#   creditrules validate --strict
# and write decision cases in a file <name>.cases.yaml beside this one (docs/decision-cases.md),
# run by 'creditrules test'. Replace the example scale, kind, code{program} and rules with your own.

# The standard's name for machines: lower case; every version of this standard keeps it.
id: {id}
# This version's label, in quotes so that 2026.10 stays text. A new version gets a new label.
version: "{version}"
# base: shared scales, kinds, codes, limits and rules that other standards extend;
# certification (认证): turns records into certified outcomes with bank credits;
# conversion (转换): turns achievements into credit toward one diploma program.
kind: {kind}
# The names shown in explanations and decisions, in Chinese and in English.
name_zh: 待填写：标准的中文名称
name_en: "To do: the standard's English name"
{extends}# The days this version is in force. Leave 'until' out until a later version is decided;
# then either close this one with 'until' the day before, or let the new one supersede it.
effective:
  from: {start}
# The published document this standard follows (title, issuer, number). Keep 'illustrative: true'
# while the standard is only an example.
source:
  citation: "To do: the published document this standard follows"
  illustrative: true
"""

_EXTENDS = """\
# The standard this one builds on (the "1" of 1+N): its scales, kinds, codes, limits and rules
# apply here too. Replace one of its rules with 'replaces: true', drop one with 'remove_rules'.
extends: {extends}
"""

_SCALE = """
# Ordered levels, lowest first: conditions compare them with at_least, at_most, above, below.
scales:
  example_level:
    name_zh: 示例证书等级
    name_en: Example certificate level
    levels: [初级, 中级, 高级]
    levels_en: [elementary, intermediate, advanced]
"""

_CONVERSION = _SCALE + """
# Kinds of achievement, with the attributes their records carry. code, obtained (a date), verified,
# issuer and region are built in for every achievement.
kinds:
  example_certificate:
    name_zh: 示例职业技能等级证书
    name_en: Example skill certificate
    attributes:
      level: {type: scale, scale: example_level, required: true, name_zh: 等级, name_en: level}

# The achievement codes this standard recognises, each of one kind. Another bank's codes that count
# as one of these go under 'equivalences' (互认): - {code: SH-EXAMPLE, same_as: EXAMPLE-CERT, region: 上海}
# What a code itself fixes for every record (a qualification's grade, its occupational field) goes in
# its 'attributes', e.g. attributes: {field: 数控加工}; records may leave it out, and one that says
# otherwise is rejected.
catalog:
  EXAMPLE-CERT:
    kind: example_certificate
    name_zh: 示例证书
    name_en: Example certificate

# The diploma program credit goes to: the credit it requires in each category, and its courses
# with their credits as in the curriculum. (A standard for every program of an institution, such as a
# college's exam-credit table, has no program: it names the 'categories' its rules credit instead.)
# Credit is counted in 学分/credits; a standard that counts in another unit says so, e.g.
# unit: {name_zh: 学时, name_en: semester hours, name_en_one: semester hour}
program:
  code: "000000"
  name_zh: 待填写：专业名称
  name_en: "To do: the program's name"
  total_credits: 120
  categories:
    core: {name_zh: 专业核心课, name_en: Core courses, required: 60}
    elective: {name_zh: 选修课, name_en: Electives, required: 20}
  courses:
    - {code: EX101, name_zh: 示例核心课, name_en: Example core course, credits: 4, category: core}

# Caps on converted credit (none yet). For example, at most 30% of the program's credits in all,
# 8 per achievement, 6 in electives, and one award per competition event:
# limits:
#   total: {max_fraction: 0.3}
#   per_achievement: {max_credits: 8}
#   categories: {elective: {max: 6}}
#   groups: [{id: same-event, name_zh: 同一赛项只认定一次, name_en: one award per event, kinds: [competition], key: event}]
#   category_counts: {elective: {max_count: 2}}      # at most 2 awards into electives
#   rule_groups: [{id: by-exam, name_zh: 考试认定合计, name_en: by examination, rules: [example-core], max_count: 1}]
#   shared: {id: non-traditional, name_zh: 非传统学习成果合计, name_en: all non-traditional sources, max: 20}

# The learner, not only their achievements (none yet). Declare what the standard reads from a learner
# file's 'context' (attributes such as hours in residence; the course history is built in), then gate
# every award on it ('eligibility'; a rule may have its own 'requires'), and refuse credit for a course
# the learner already took, failed or is enrolled in, or whose higher course they passed ('not_taken'):
# context:
#   attributes:
#     residence_hours: {type: number, min: 0, name_zh: 在校已修学分, name_en: credit hours in residence}
# eligibility:
#   attributes: {residence_hours: {at_least: 12}}
# not_taken:
#   statuses: [passed, failed, enrolled]
#   higher: {EX101: [EX201]}

# The rules: each is one way to earn credit. 'when' says what one achievement must be (or
# 'when_all' for several together, 'aggregate' to add records up); 'grant' says what it gives:
# whole courses at their catalogue credits, or credits into a category. An aggregate may add records up per
# course ('by: <attribute naming the course>', 'targets: {EX101: {per: 10, max: 3}}'), each course its own award.
rules:
  - id: example-core
    name_zh: 示例证书（中级及以上，3年内取得）替代示例核心课
    name_en: Example certificate (intermediate or higher, at most 3 years old) replaces the example core course
    when:
      code: EXAMPLE-CERT
      level: {at_least: 中级}
      obtained: {within_years: 3}
      verified: true
    grant:
      courses: [EX101]
      grade: {from: level, map: {中级: 良好, 高级: 优秀}}

# Decision tables: rules that differ only in a few values, one line per row. 'when' holds what every
# row shares; a row's other keys are its conditions (as in 'when': a value, a list or operators such
# as {at_least: 60, below: 80}), and it gives 'courses' or 'credits' into the table's 'category'.
# Row N becomes the rule example-levels/row-N ('id: key' on a row makes it example-levels/key).
# An achievement meets at most one row (A050); number bands should leave no hole (A051).
tables:
  - id: example-levels
    name_zh: 示例证书按等级计选修课学分
    name_en: Example certificate gives elective credits by level
    when: {code: EXAMPLE-CERT, verified: true}
    category: elective
    rows:
      - {id: elementary, level: 初级, credits: 1}

# What the rules are meant to cover (optional): validate reports a listed code, or level, that no
# rule takes (A010, A011).
covers:
  codes: [EXAMPLE-CERT]
  levels: {example_level: all}
"""  # noqa: E501 - the template is written out as it stands; its example 'groups' line is longer

_CERTIFICATION = """
# Kinds of achievement, with the attributes their records carry. code, obtained (a date), verified,
# issuer and region are built in. The certified outcome is a kind too; its 'credits' hold the
# bank credits the certification gives.
kinds:
  example_course:
    name_zh: 示例课程学习记录
    name_en: Example course record
    attributes:
      hours: {type: number, min: 0, max: 1000, required: true, name_zh: 学时, name_en: hours}
  certified_outcome:
    name_zh: 认证成果
    name_en: Certified outcome
    attributes:
      credits: {type: number, name_zh: 银行学分, name_en: bank credits}

# The codes: the records this standard certifies, and the outcome it produces.
catalog:
  EXAMPLE-COURSE:
    kind: example_course
    name_zh: 示例课程
    name_en: Example course
  EXAMPLE-OUTCOME:
    kind: certified_outcome
    name_zh: 示例学习成果
    name_en: Example learning outcome

# The rules certify outcomes. This one adds up the hours of verified records: 1 bank credit per 18
# hours, rounded down to half credits, at most 4 (say how the policy rounds: 'rounding' down, nearest
# or up, to a multiple of 'step'; validate warns when they are left out, W020). A conversion
# standard that 'uses' this one then converts the outcome into course credit.
rules:
  - id: example-hours
    name_zh: 示例课程每18学时认证1银行学分，至多4学分
    name_en: Example courses, 1 bank credit per 18 hours, at most 4
    aggregate:
      where: {code: EXAMPLE-COURSE, verified: true}
      total: hours
      per: 18
      credits: 1
      rounding: down
      step: 0.5
      max: 4
    certify: {outcome: EXAMPLE-OUTCOME}

# What the rules are meant to cover (optional): validate reports a listed code no rule takes (A010).
covers:
  codes: [EXAMPLE-COURSE]
"""

_BASE = _SCALE + """
# Kinds of achievement shared by the standards that extend this one, with the attributes their
# records carry. code, obtained (a date), verified, issuer and region are built in.
kinds:
  example_certificate:
    name_zh: 示例职业技能等级证书
    name_en: Example skill certificate
    attributes:
      level: {type: scale, scale: example_level, required: true, name_zh: 等级, name_en: level}

# The codes every standard that extends this one recognises.
catalog:
  EXAMPLE-CERT:
    kind: example_certificate
    name_zh: 示例证书
    name_en: Example certificate

# Limits for every standard that extends this one (each may set its own instead): here at most
# 30% of the program's credits in all, and 8 credits from any one achievement.
limits:
  total: {max_fraction: 0.3}
  per_achievement: {max_credits: 8}

# Rules shared by the standards that extend this one. Credits go into a category that each of
# their programs must have (here 'elective').
rules:
  - id: example-elective
    name_zh: 示例证书（中级及以上）计选修课2学分
    name_en: Example certificate (intermediate or higher) gives 2 elective credits
    when:
      code: EXAMPLE-CERT
      level: {at_least: 中级}
      verified: true
    grant: {category: elective, credits: 2}
"""

_WHAT = {
    "conversion": "a conversion standard (转换标准): which achievements earn credit toward one program",
    "certification": "a certification standard (认证标准): which records become certified outcomes",
    "base": "a base standard: what the standards that extend it share",
}
_BODY = {"conversion": _CONVERSION, "certification": _CERTIFICATION, "base": _BASE}


def scaffold(standard_id: str, kind: str, extends: str | None, start: date, schema: str) -> str:
    """The text of a new standard of ``kind``, valid as it is."""
    head = _HEAD.format(
        schema=schema, id=standard_id, what=_WHAT[kind], kind=kind, version=f"{start.year}.1",
        start=start.isoformat(), program=", program" if kind == "conversion" else "",
        extends=_EXTENDS.format(extends=extends) if extends else "")
    return head + _BODY[kind]

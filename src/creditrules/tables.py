"""Decision tables → ordinary rules, one per row.

A row's rule is what an author would have written by hand: the table's shared ``when`` and the row's
own conditions as the rule's ``when``, and the row's courses, credits or outcome (with the table's
defaults) as its ``grant`` or ``certify``. Its id is ``TABLE/key`` when the row has an ``id``, else
``TABLE/row-N`` (N counts from 1): a slash, which no id written by hand contains, and nothing a YAML
flow mapping would need quoted, so a decision case writes ``{rule: training/tea, ...}``. So the
evaluator, allocation, explanations and decision cases see rules and nothing else; only the compiler
(positions) and the analysis (rows of one table must not overlap, bands should leave no gap) know that a
rule came from a table.
"""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import ValidationError

from .conditions import BUILTIN_ATTRIBUTES
from .model import TABLE_ROW_KEYS, DecisionTable, Rule, TableRow


def row_id(table: DecisionTable, row: TableRow, index: int) -> str:
    return f"{table.id}/{row.id}" if row.id is not None else f"{table.id}/row-{index + 1}"


def table_of(rule_id: str) -> str | None:
    """The id of the table a rule was compiled from, or None for a rule written as a rule."""
    if "/" in rule_id:
        return rule_id.split("/", 1)[0]
    return None


Problem = tuple[tuple[str | int, ...], str]  # key path inside the row, message


def expand(table: DecisionTable) -> list[tuple[Rule | None, Problem | None]]:
    """One rule per row (None where the row cannot make one), and the row's problem if it has one."""
    return [_row_rule(table, row, index) for index, row in enumerate(table.rows)]


def _row_rule(table: DecisionTable, row: TableRow, index: int) -> tuple[Rule | None, Problem | None]:
    conditions = row.conditions
    both = sorted(set(conditions) & set(table.when))
    if both:
        return None, ((both[0],), f"'{both[0]}' is set by the table's 'when' for every row; a row cannot set it "
                                  "again (move it out of 'when' to let rows differ)")
    if not conditions and not table.when:
        return None, ((), "a row needs conditions: give it attributes (code, level, score…) or give the table a "
                          "'when'")
    outcome = row.outcome or table.outcome
    grade = row.grade if row.grade is not None else table.grade
    raw: dict[str, Any] = {
        "id": "row", "priority": table.priority, "reusable": table.reusable,
        "name_zh": row.name_zh or f"{table.name_zh}（{row.id or f'第{index + 1}行'}）",
        "name_en": row.name_en or f"{table.name_en} ({row.id or f'row {index + 1}'})",
        "when": {**table.when, **conditions},
    }
    if table.max_uses is not None:
        raw["max_uses"] = table.max_uses
    if outcome is not None:
        if row.courses is not None or row.category is not None:
            return None, (("courses" if row.courses is not None else "category",),
                          "a row that certifies an outcome gives bank credits only; remove 'courses' and 'category'")
        raw["certify"] = {"outcome": outcome, "credits": row.credits}
    else:
        grant: dict[str, Any] = {}
        if row.courses is not None:
            grant["courses"] = row.courses
            grant["mode"] = row.mode or table.mode or "together"
        elif row.category is not None or table.category is not None:
            grant["category"] = row.category or table.category
        if row.credits is not None:
            grant["credits"] = row.credits
        if grade is not None:
            grant["grade"] = grade
        raw["grant"] = grant
    try:
        rule = Rule.model_validate(raw)
    except ValidationError as exc:
        error = exc.errors()[0]
        message = str(error["msg"]).removeprefix("Value error, ")
        if error["type"] == "missing":
            message = f"'{error['loc'][-1]}' is required but missing"
        elif "exactly one of them" in message:
            message = "a row gives either 'courses' or 'credits' (into its or the table's 'category'), " \
                      "exactly one of them"
        elif "needs 'credits'" in message:
            message = "a row that credits a category needs 'credits'"
        elif "certify needs 'credits'" in message:
            message = "a row that certifies an outcome needs 'credits'"
        elif "takes its credits from the course catalogue" in message:
            message = "a row's courses give their catalogue credits; remove 'credits' (or 'courses')"
        for name in (n for n in conditions if n not in BUILTIN_ATTRIBUTES):
            close = difflib.get_close_matches(name, TABLE_ROW_KEYS, n=1, cutoff=0.8)
            if close:
                return None, ((name,), f"{message}; '{name}' is read as a condition on an attribute '{name}' "
                                       f"(did you mean '{close[0]}'?)")
        return None, ((), message)
    return rule.model_copy(update={"id": row_id(table, row, index)}), None

"""Every diagnostic code, with its title and severity, as docs/diagnostics.md documents it.

One table for the tools that need more than the message: SARIF lists each
code's title as a rule, and a test keeps this table, the codes the source emits
and the headings of docs/diagnostics.md the same.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import Severity


@dataclass(frozen=True)
class Code:
    title: str  # as in the docs heading, Markdown backticks included
    severity: Severity


CODES: dict[str, Code] = {
    "Y001": Code("not readable YAML, or not UTF-8", Severity.ERROR),
    "Y002": Code("duplicate key", Severity.ERROR),
    "Y003": Code("anchors, aliases or merge keys", Severity.ERROR),
    "Y004": Code("nested too deep", Severity.ERROR),
    "Y005": Code("file too big", Severity.ERROR),
    "Y006": Code("a key that is a list or mapping", Severity.ERROR),
    "Y007": Code("empty file", Severity.ERROR),
    "Y008": Code("tab used for indentation", Severity.ERROR),
    "Y009": Code("a YAML tag", Severity.ERROR),
    "Y010": Code("a plain value that other YAML readers take for a number", Severity.ERROR),
    "Y011": Code("an escaped lone surrogate: half of a character", Severity.ERROR),
    "E001": Code("no such file or no standard files", Severity.ERROR),
    "E002": Code("the file is not a mapping", Severity.ERROR),
    "E003": Code("the same version twice", Severity.ERROR),
    "E004": Code("a folder entry that is not read", Severity.ERROR),
    "E100": Code("a key does not fit the standard format", Severity.ERROR),
    "C001": Code("`extends` or `uses` names an unknown standard", Severity.ERROR),
    "C002": Code("a standard builds on itself", Severity.ERROR),
    "C003": Code("`uses` names a standard that is not a certification standard", Severity.ERROR),
    "C004": Code("a conversion standard without a program", Severity.ERROR),
    "C005": Code("a chain of `extends` and `uses` too long", Severity.ERROR),
    "C010": Code("a bad attribute in a kind", Severity.ERROR),
    "C011": Code("a catalog entry of an unknown kind", Severity.ERROR),
    "C012": Code("a bad equivalence (互认)", Severity.ERROR),
    "C013": Code("a course in an unknown category", Severity.ERROR),
    "C014": Code("a course listed twice", Severity.ERROR),
    "C015": Code("redefining something a base defines", Severity.ERROR),
    "C016": Code("a catalog attribute that does not fit its kind", Severity.ERROR),
    "C020": Code("a rule id used twice", Severity.ERROR),
    "C021": Code("`replaces: true` with nothing to replace", Severity.ERROR),
    "C022": Code("`remove_rules` names an unknown rule", Severity.ERROR),
    "C030": Code("a slot that does not say which achievements it takes", Severity.ERROR),
    "C031": Code("an unknown code in a rule", Severity.ERROR),
    "C032": Code("an unknown kind in a rule", Severity.ERROR),
    "C033": Code("a condition on an attribute the achievements do not have", Severity.ERROR),
    "C034": Code("an operator that does not fit the attribute's type", Severity.ERROR),
    "C035": Code("a value that does not fit the attribute", Severity.ERROR),
    "C040": Code("a grant names an unknown course", Severity.ERROR),
    "C041": Code("a grant names an unknown category", Severity.ERROR),
    "C042": Code("a grade map reads an attribute the achievements do not have", Severity.ERROR),
    "C043": Code("a grade map key that is not a level", Severity.ERROR),
    "C044": Code("`certify` names an unknown outcome code", Severity.ERROR),
    "C045": Code("`grant` and `certify` in the wrong kind of standard", Severity.ERROR),
    "C046": Code("an aggregate adds up something that is not a number", Severity.ERROR),
    "C047": Code("a certified outcome's attributes do not fit its kind", Severity.ERROR),
    "C048": Code("an aggregate's grant says what only the records can", Severity.ERROR),
    "C050": Code("a category limit on an unknown category", Severity.ERROR),
    "C051": Code("a kind limit on an unknown kind", Severity.ERROR),
    "C052": Code("a group on an unknown kind or attribute", Severity.ERROR),
    "C053": Code("a count or group limit on a kind that an aggregate adds up", Severity.ERROR),
    "C054": Code("`max_fraction` without a program", Severity.ERROR),
    "C055": Code("a rule group names an unknown rule", Severity.ERROR),
    "C056": Code("an aggregate grouped `by` course that cannot be read", Severity.ERROR),
    "C060": Code("a decision table row that does not make a rule", Severity.ERROR),
    "C061": Code("`not_taken.higher` names a course the program does not have", Severity.ERROR),
    "C062": Code("a gate on a context attribute the standard does not declare", Severity.ERROR),
    "W001": Code("a course no rule can credit", Severity.WARNING),
    "W002": Code("conditions no value can meet", Severity.WARNING),
    "W003": Code("a grant larger than a limit it always counts against", Severity.WARNING),
    "W004": Code("a slot that no catalog code can fill", Severity.WARNING),
    "W020": Code("an aggregate that does not say how it rounds", Severity.WARNING),
    "W010": Code("part of a version's window has no base in force", Severity.WARNING),
    "A001": Code("two rules compete for one achievement and only their order decides", Severity.WARNING),
    "A002": Code("a rule that can never be awarded", Severity.WARNING),
    "A003": Code("a rule that another rule shadows", Severity.WARNING),
    "A004": Code("one achievement two rules need, which only one may use", Severity.WARNING),
    "A010": Code("a covered code that no rule takes", Severity.ERROR),
    "A011": Code("a covered level at which no rule takes a code", Severity.ERROR),
    "A012": Code("`covers` names something that does not exist", Severity.ERROR),
    "A020": Code("a limit that can never bind", Severity.WARNING),
    "A021": Code("a limit that leaves rules nothing to give", Severity.WARNING),
    "A030": Code("versions whose windows overlap", Severity.WARNING),
    "A031": Code("a gap between versions", Severity.WARNING),
    "A032": Code("a version that is never applied", Severity.WARNING),
    "A040": Code("equivalences that chain", Severity.WARNING),
    "A041": Code("one code recognised as two", Severity.ERROR),
    "A050": Code("two rows of one decision table take the same achievement", Severity.ERROR),
    "A051": Code("a gap between the bands of a decision table", Severity.WARNING),
}


def title(code: str) -> str:
    """The code's title without Markdown, or the code itself if it is not in the table."""
    found = CODES.get(code)
    return found.title.replace("`", "") if found else code

"""A050 rows of one decision table that overlap; A051 a gap between the bands of a table.

A decision table gives an achievement at most one row (the *unique* hit policy of DMN): two rows
that can both take one achievement are an error, found region by region as for rules (A001), and
named by their row ids. Numeric bands are read as a scale of scores: rows that agree on every other
condition and leave a hole between two bands (425–549 and 560–710, nothing for 550–559) are
reported, once per hole; below the lowest band and above the highest nothing is expected.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterator
from itertools import combinations

from ..compiled import CompiledRule, CompiledRuleset
from ..conditions import format_value
from ..errors import Diagnostic, Severity
from ..regions import Interval
from ..tables import table_of
from .context import Context, example


def check(context: Context) -> Iterator[Diagnostic]:
    for ruleset in context.rulesets():
        own = context.own_file(ruleset).path
        by_table: dict[str, list[CompiledRule]] = {}
        for rule in ruleset.rules:
            table = table_of(rule.id)
            if table is not None and rule.origin.path == own and len(rule.slots) == 1:
                by_table.setdefault(table, []).append(rule)
        for table, rows in sorted(by_table.items()):
            yield from _overlaps(context, ruleset, table, rows)
            yield from _gaps(context, ruleset, table, rows)


def _overlaps(context: Context, ruleset: CompiledRuleset, table: str,
              rows: list[CompiledRule]) -> Iterator[Diagnostic]:
    reported: set[str] = set()
    for first, second in combinations(rows, 2):
        if second.id in reported:
            continue  # one finding per row that overlaps an earlier one
        mine, theirs = context.regions(ruleset, first)[0], context.regions(ruleset, second)[0]
        both = mine.meet(theirs)
        if both is None:
            continue
        reported.add(second.id)
        yield context.at_rule(
            second, ("id",), "A050",
            f"rows '{first.id}' ({context.where(first, second.origin.path)}) and '{second.id}' of table '{table}' "
            f"both take {example(both, ruleset)}; a table gives an achievement at most one row, so narrow one "
            "of them (or write a rule outside the table where both are meant)", Severity.ERROR)


def _gaps(context: Context, ruleset: CompiledRuleset, table: str,
          rows: list[CompiledRule]) -> Iterator[Diagnostic]:
    bands: dict[tuple[str, frozenset[str], Hashable], list[tuple[Interval, CompiledRule]]] = {}
    for rule in rows:
        region = context.regions(ruleset, rule)[0]
        for name, band in region.attributes.items():
            if not isinstance(band, Interval) or region.info[name].type != "number":
                continue
            rest = tuple(sorted(((n, r) for n, r in region.attributes.items() if n != name), key=lambda p: p[0]))
            bands.setdefault((name, region.codes, rest), []).append((band, rule))
    for (name, codes, _), found in sorted(bands.items(), key=lambda item: (item[0][0], sorted(item[0][1]))):
        found.sort(key=lambda pair: (pair[0].lo, pair[0].lo_open))
        reach, reach_open, last = found[0][0].hi, found[0][0].hi_open, found[0][1]
        for band, rule in found[1:]:
            hole = band.lo > reach or (band.lo == reach and reach_open and band.lo_open)
            if hole and math.isfinite(reach):
                low = f"{format_value(reach)} {'≤' if reach_open else '<'} {name}"
                high = f"{'<' if not band.lo_open else '≤'} {format_value(band.lo)}"
                yield context.at_rule(
                    rule, ("id",), "A051",
                    f"no row of table '{table}' takes {', '.join(sorted(codes))} with {low} {high}, between rows "
                    f"'{last.id}' and '{rule.id}'; widen a band if the policy has no such gap", Severity.WARNING)
            if (band.hi, not band.hi_open) > (reach, not reach_open):
                reach, reach_open, last = band.hi, band.hi_open, rule

"""Gaps: codes and scale levels a standard says it covers (``covers:``) but no rule takes.

A standard is not expected to credit every code or level it knows — an
elementary certificate may rightly earn nothing. So gaps are only reported
against what the author declares::

    covers:
      codes: [X-WEB, X-CLOUD]          # or 'all': every code this file's catalog defines
      levels: {x_level: [中级, 高级]}    # or {x_level: all}

* **A010** — a covered code that no rule takes (in any slot, with conditions that can be met);
* **A011** — a covered level at which no rule takes a covered code (codes whose kind has no
  attribute on the scale are not concerned);
* **A012** — ``covers`` names a code, scale or level that does not exist.

Levels apply to the covered codes, or, when ``codes`` is not given, to every code some rule takes.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..compiled import CompiledRuleset
from ..errors import Diagnostic, Severity, did_you_mean
from ..loader import SourceFile
from ..regions import Finite, SlotRegion
from .context import Context


def check(context: Context) -> Iterator[Diagnostic]:
    for file in context.library.files:
        covers = file.standard.covers
        if covers is None:
            continue
        ruleset = next((r for r in context.rulesets() if r.chain[0].path == file.path), None)
        if ruleset is None:
            continue  # the standard did not compile in any window (reported elsewhere)
        slots = [region for rule in ruleset.rules for region in context.regions(ruleset, rule)
                 if not region.empty()]
        yield from _codes(context, file, ruleset, slots)
        yield from _levels(context, file, ruleset, slots)


def _covered_codes(file: SourceFile, ruleset: CompiledRuleset) -> list[tuple[str, tuple[str | int, ...]]]:
    """(code, key path of where it is named) for each covered code that exists."""
    covers = file.standard.covers
    assert covers is not None
    if covers.codes == "all":
        return [(code, ("covers", "codes")) for code in file.standard.catalog]
    return [(code, ("covers", "codes", i)) for i, code in enumerate(covers.codes or ())
            if code in ruleset.catalog]


def _codes(context: Context, file: SourceFile, ruleset: CompiledRuleset,
           slots: list[SlotRegion]) -> Iterator[Diagnostic]:
    covers = file.standard.covers
    assert covers is not None
    if isinstance(covers.codes, list):
        for i, code in enumerate(covers.codes):
            if code not in ruleset.catalog:
                yield context.at(file, ("covers", "codes", i), "A012",
                                 f"covers names unknown code '{code}'{did_you_mean(code, ruleset.catalog)}",
                                 Severity.ERROR)
    for code, keys in _covered_codes(file, ruleset):
        if not any(code in slot.codes for slot in slots):
            name = ruleset.catalog[code].name_en
            yield context.at(file, keys, "A010",
                             f"covers says code '{code}' ({name}) is covered, but no rule takes it; add a rule "
                             "for it or take it out of covers.codes", Severity.ERROR)


def _levels(context: Context, file: SourceFile, ruleset: CompiledRuleset,
            slots: list[SlotRegion]) -> Iterator[Diagnostic]:
    covers = file.standard.covers
    assert covers is not None
    if covers.codes is None:
        codes = sorted({code for slot in slots for code in slot.codes})
    else:
        codes = [code for code, _ in _covered_codes(file, ruleset)]
    for scale_id, wanted in covers.levels.items():
        keys: tuple[str | int, ...] = ("covers", "levels", scale_id)
        scale = ruleset.scales.get(scale_id)
        if scale is None:
            yield context.at(file, keys, "A012", f"covers names unknown scale '{scale_id}'"
                             f"{did_you_mean(scale_id, ruleset.scales)}", Severity.ERROR)
            continue
        levels = list(scale.levels) if wanted == "all" else []
        for i, level in enumerate([] if wanted == "all" else wanted):
            if scale.rank(level) is None:
                yield context.at(file, keys + (i,), "A012",
                                 f"'{level}' is not a level of scale '{scale_id}' ({', '.join(scale.levels)})"
                                 f"{did_you_mean(level, scale.levels)}", Severity.ERROR)
            else:
                levels.append(level)
        for code in codes:
            for attribute in _attributes_on(ruleset, code, scale_id):
                missing = [level for level in levels
                           if not any(_takes(slot, code, attribute, scale.rank(level)) for slot in slots)]
                if missing:
                    yield context.at(file, keys, "A011",
                                     f"no rule takes {code} at {' or '.join(missing)} (scale '{scale_id}', attribute "
                                     f"'{attribute}'), though covers.levels says so; add a rule or narrow "
                                     "covers.levels", Severity.ERROR)


def _attributes_on(ruleset: CompiledRuleset, code: str, scale_id: str) -> list[str]:
    kind = ruleset.kinds.get(ruleset.catalog[code].kind)
    if kind is None:
        return []
    return [name for name, attr in kind.attributes.items() if attr.type == "scale" and attr.scale == scale_id]


def _takes(slot: SlotRegion, code: str, attribute: str, rank: int | None) -> bool:
    if code not in slot.codes:
        return False
    region = slot.attributes.get(attribute)
    return region is None or not region.meet(Finite(frozenset({rank}))).empty()

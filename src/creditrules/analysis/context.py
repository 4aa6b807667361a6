"""What every check needs: the loaded files (for positions) and the compiled rulesets.

Checks never re-read YAML; they locate a finding through the ``SourceFile`` that
wrote the key, so a finding about a rule inherited from a base points at the base.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..compiled import CompiledRule, CompiledRuleset, ScaleInfo
from ..compiler import CompiledLibrary
from ..conditions import format_value
from ..errors import Diagnostic, Severity
from ..loader import SourceFile, StandardLibrary
from ..regions import Finite, SlotRegion, full, slot_region
from ..tables import row_id


@dataclass
class Context:
    library: StandardLibrary
    compiled: CompiledLibrary
    files: dict[str, SourceFile] = field(init=False)
    _memo: dict[Hashable, Any] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.files = {f.path: f for f in self.library.files}

    def rulesets(self) -> Iterator[CompiledRuleset]:
        """Every compiled window of every standard, in a stable order."""
        for standard_id in sorted(self.compiled.standards):
            yield from self.compiled.standards[standard_id].segments

    def own_file(self, ruleset: CompiledRuleset) -> SourceFile:
        return self.files[ruleset.chain[0].path]

    def remember(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """``compute()``, once per key for the life of this context (the rulesets it reads live as long)."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def regions(self, ruleset: CompiledRuleset, rule: CompiledRule) -> list[SlotRegion]:
        return self.remember(("regions", id(ruleset), rule.index),  # type: ignore[no-any-return]
                             lambda: [slot_region(slot, ruleset) for slot in rule.slots])

    def region_key(self, ruleset: CompiledRuleset, rule: CompiledRule) -> Hashable:
        """Equal for two rules of one ruleset whose slots take exactly the same achievements (as written),
        so that what is worked out for one pair of regions is worked out once."""
        return self.remember(("region-key", id(ruleset), rule.index), lambda: tuple(
            (region.codes, tuple(sorted(region.attributes.items()))) for region in self.regions(ruleset, rule)))

    # ------------------------------------------------------------ positions

    def rule_keys(self, rule: CompiledRule) -> tuple[SourceFile, tuple[str | int, ...]]:
        """The file that wrote ``rule`` and the key path of the rule in it."""
        file = self.files[rule.origin.path]
        where = self.remember(("rule-keys", file.path), lambda: _rule_keys(file))
        return file, where[rule.id]

    def at(self, file: SourceFile, keys: tuple[str | int, ...], code: str, message: str,
           severity: Severity = Severity.WARNING) -> Diagnostic:
        line, column = file.locate(*keys)
        return Diagnostic(file.path, line, column, code, message, severity)

    def at_rule(self, rule: CompiledRule, keys: tuple[str | int, ...], code: str, message: str,
                severity: Severity = Severity.WARNING) -> Diagnostic:
        file, where = self.rule_keys(rule)
        return self.at(file, where + keys, code, message, severity)

    @staticmethod
    def where(rule: CompiledRule, here: str) -> str:
        """'line 60' for a rule in the file being reported on, else 'path:60'."""
        if rule.origin.path == here:
            return f"line {rule.origin.line}"
        return f"{rule.origin.path}:{rule.origin.line}"


def _rule_keys(file: SourceFile) -> dict[str, tuple[str | int, ...]]:
    """Rule id → key path of the rule (or the table row it was compiled from) in ``file``."""
    found: dict[str, tuple[str | int, ...]] = {}
    for index, table in reversed(list(enumerate(file.standard.tables))):
        for row_index, row in reversed(list(enumerate(table.rows))):
            found[row_id(table, row, row_index)] = ("tables", index, "rows", row_index)
    for index, rule in reversed(list(enumerate(file.standard.rules))):
        found[rule.id] = ("rules", index)  # the first of a repeated id
    return found


def show_value(name: str, value: Any, region: SlotRegion) -> str:
    """A value as an author writes it: a scale rank as its level, a number without '.0'."""
    info = region.info.get(name)
    if info is not None and info.type == "scale" and isinstance(value, int):
        scale: ScaleInfo | None = region.scales.get(info.scale or "")
        if scale is not None and 0 <= value < len(scale.levels):
            return scale.levels[value]
    return format_value(value)


def example(region: SlotRegion, ruleset: CompiledRuleset, pinned: dict[str, Any] | None = None) -> str:
    """One achievement in ``region``, written as in a learner file: ``{code: X-WEB, level: 高级}``.
    Attributes the kind requires are given a value too, so the example is a record that would be accepted."""
    pinned = pinned or {}
    code = min(region.codes)
    kind = ruleset.kinds.get(ruleset.catalog[code].kind)
    declared = kind.attributes if kind else {}
    names = set(region.attributes) | set(pinned) | {n for n, a in declared.items() if a.required}
    info = {**{n: a for n, a in declared.items() if n in names}, **region.info}
    described = SlotRegion(region.codes, region.attributes, info, region.scales, region.required)
    parts = [f"code: {code}"]
    for name in sorted(names):
        if name in pinned:
            value = pinned[name]
        else:
            found = region.attributes.get(name)
            if found is None and name in declared:
                found = full(declared[name], ruleset.scales)
            values = found.examples() if found is not None else []
            if not values:
                continue
            value = values[0]
        if value is not None:
            parts.append(f"{name}: {show_value(name, value, described)}")
    return "{" + ", ".join(parts) + "}"


def sample_values(region: SlotRegion, name: str, keys: list[Any]) -> list[Any]:
    """Values of one attribute worth trying in ``region``: all of a finite set, else ``keys`` that fit
    and one more."""
    found = region.attributes.get(name)
    if found is None:
        return [None]
    if isinstance(found, Finite):
        return found.examples()
    fitting = [k for k in keys if found.admits(k)]
    return fitting + [v for v in found.examples() if v not in fitting]

"""Standards → compiled rulesets: references resolved, inheritance applied, checked.

For every version of a standard the compiler works out which versions of its
bases (``extends``) and certification inputs (``uses``) are in force at the
same time, and compiles one :class:`CompiledRuleset` per overlap window. So a
change to the province-wide base takes effect on its own date for every
standard that extends it, without touching those files.

Problems are collected over the whole library and raised once.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_FLOOR
from typing import Any

import networkx as nx

from . import chains, regions, tables
from . import graph as graphs
from .compiled import (
    DEFAULT_UNIT,
    AttributeInfo,
    CatalogInfo,
    CategoryInfo,
    CompiledAggregate,
    CompiledGate,
    CompiledNotTaken,
    CompiledRule,
    CompiledRuleset,
    CompiledSlot,
    CompiledStandard,
    CourseInfo,
    FrozenDict,
    GroupInfo,
    KindInfo,
    LimitsInfo,
    Origin,
    ProgramInfo,
    ScaleInfo,
    StandardRef,
    UnitInfo,
    to_centi,
)
from .conditions import BUILTIN_ATTRIBUTES, OPERATORS_BY_TYPE, YAML_OPERATORS, CompiledCondition, format_value
from .errors import Diagnostic, Severity, StandardError, UnknownStandard, did_you_mean
from .hints import number_fix
from .limits import AWARD_LIMITS, AwardLimit
from .loader import SourceFile, StandardLibrary
from .lookalike import unusual_note
from .model import Equivalence, Gate, GradeMap, Limits, NotTaken, Operators, Program, Rule, StandardKind
from .normalise import normalise as normalise_code
from .tables import table_of

MAX_DATE = date(9999, 12, 31)


@dataclass
class _Namespace:
    """Everything a standard sees once its bases and inputs are merged in."""

    scales: dict[str, Any] = field(default_factory=dict)
    kinds: dict[str, Any] = field(default_factory=dict)
    catalog: dict[str, Any] = field(default_factory=dict)
    equivalences: list[tuple[Equivalence, SourceFile, int]] = field(default_factory=list)
    program: tuple[Program, SourceFile] | None = None
    limits: dict[str, tuple[Any, SourceFile]] = field(default_factory=dict)
    rules: list[tuple[Rule, SourceFile, tuple[str | int, ...]]] = field(default_factory=list)  # and where
    chain: list[StandardRef] = field(default_factory=list)
    certifications: list[CompiledRuleset] = field(default_factory=list)
    kind: StandardKind = StandardKind.BASE
    unit: UnitInfo = DEFAULT_UNIT
    categories: dict[str, tuple[str, str]] = field(default_factory=dict)  # institution-wide: id → names
    context: dict[str, Any] = field(default_factory=dict)  # context attribute → (Attribute, file)
    eligibility: tuple[Gate, SourceFile] | None = None
    not_taken: tuple[NotTaken, SourceFile] | None = None


@dataclass(frozen=True)
class _Segment:
    start: date
    end: date  # inclusive; MAX_DATE for open-ended
    namespace: _Namespace
    ruleset: CompiledRuleset | None


class _Problems:
    def __init__(self) -> None:
        self.items: set[Diagnostic] = set()

    def add(self, file: SourceFile, keys: tuple[str | int, ...], code: str, message: str,
            severity: Severity = Severity.ERROR) -> None:
        line, column = file.locate(*_row_keys(file, keys))
        self.items.add(Diagnostic(file.path, line, column, code, message, severity))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return sorted(d for d in self.items if d.severity is Severity.WARNING)


def _row_keys(file: SourceFile, keys: tuple[str | int, ...]) -> tuple[str | int, ...]:
    """Where a finding about a table row's rule is written: a row holds its conditions and its grant's
    keys itself, and a condition the table shares is written once, in the table's ``when``."""
    if len(keys) < 5 or keys[0] != "tables" or keys[2] != "rows" or keys[4] not in ("when", "grant", "certify"):
        return keys
    rest = keys[5:]
    table = file.standard.tables[keys[1]] if isinstance(keys[1], int) else None
    if keys[4] == "when" and rest and table is not None and rest[0] in table.when:
        return ("tables", keys[1], "when") + rest
    return keys[:4] + rest


@dataclass(frozen=True)
class CompiledLibrary:
    """All standards of a library, compiled. ``warnings`` lists non-fatal findings."""

    standards: dict[str, CompiledStandard]
    warnings: tuple[Diagnostic, ...]
    graph: nx.DiGraph = field(repr=False, compare=False)

    def __post_init__(self) -> None:
        if type(self.standards) is not FrozenDict:
            object.__setattr__(self, "standards", FrozenDict(self.standards))
        nx.freeze(self.graph)

    def __getitem__(self, standard_id: str) -> CompiledStandard:
        """The standard of that id; :class:`UnknownStandard` (a ``KeyError`` too) names the closest id."""
        try:
            return self.standards[standard_id]
        except (KeyError, TypeError):
            hint = did_you_mean(standard_id, self.standards) if isinstance(standard_id, str) else ""
            raise UnknownStandard(f"no standard {standard_id!r}{hint}") from None


def compile_library(library: StandardLibrary, unavailable: frozenset[str] = frozenset()) -> CompiledLibrary:
    """Compile every standard; raise StandardError with every error found.

    ``unavailable`` names standards whose files failed to load: standards that build
    on them are skipped rather than reported as referring to unknown standards."""
    return _Compiler(library, unavailable).run()


class _Compiler:
    def __init__(self, library: StandardLibrary, unavailable: frozenset[str] = frozenset()):
        self.library = library
        self.unavailable = unavailable - set(library.ids)
        self.problems = _Problems()
        self.ids = set(library.ids)
        self.memo: dict[str, list[_Segment]] = {}
        self.broken: set[str] = set()  # standards with a reference already reported

    # ------------------------------------------------------------ driver

    def run(self) -> CompiledLibrary:
        standards_graph = self._dependency_graph()
        broken = chains.dependents(standards_graph, self._report_cycles(standards_graph) | self.unavailable
                                   | self.broken)
        sound = standards_graph.subgraph(node for node in standards_graph if node not in broken)
        skipped = chains.dependents(standards_graph, broken | self._report_long_chains(sound))
        for standard_id in chains.bases_first(sound):  # bases first, so no standard waits on another
            if standard_id not in skipped:
                self.memo[standard_id] = self._segments(standard_id)
        compiled: dict[str, CompiledStandard] = {}
        for standard_id in self.library.ids:
            if standard_id in skipped:
                continue  # a cycle, a chain too long, or it builds on a file that failed to load
            segments = self.memo[standard_id]
            rulesets = tuple(s.ruleset for s in segments if s.ruleset is not None)
            self._check_coverage(standard_id, segments)
            compiled[standard_id] = CompiledStandard(standard_id, rulesets, graphs.rule_graph(rulesets))
        if self.problems.errors:
            raise StandardError(self.problems.items)
        warnings = tuple(self.problems.warnings)
        for standard_id, item in compiled.items():
            own = tuple(w for w in warnings if any(w.path == f.path for f in self.library.versions(standard_id)))
            compiled[standard_id] = CompiledStandard(item.id, item.segments, item.graph, own)
        return CompiledLibrary(compiled, warnings, graphs.library_graph(self.library, compiled))

    @staticmethod
    def _references(file: SourceFile) -> list[tuple[str, str, tuple[str | int, ...]]]:
        """(how, standard id, key path) for the ``extends`` and each ``uses`` of one file."""
        std = file.standard
        found: list[tuple[str, str, tuple[str | int, ...]]] = [("extends", std.extends, ("extends",))] \
            if std.extends else []
        return found + [("uses", used, ("uses", index)) for index, used in enumerate(std.uses)]

    def _dependency_graph(self) -> nx.DiGraph:
        deps = nx.DiGraph()
        for file in self.library.files:
            std = file.standard
            deps.add_node(std.id)
            for how, target, keys in self._references(file):
                if target in self.unavailable:
                    deps.add_edge(std.id, target, how=how)
                    continue
                if target not in self.ids:
                    self.broken.add(std.id)
                    self.problems.add(file, keys, "C001",
                                      f"{how} unknown standard '{target}'{did_you_mean(target, self.ids)}")
                    continue
                if target == std.id:
                    self.broken.add(std.id)
                    self.problems.add(file, keys, "C002", f"standard '{std.id}' {how} itself")
                    continue
                deps.add_edge(std.id, target, how=how)
                if how == "uses":
                    kinds = {f.standard.kind for f in self.library.versions(target)}
                    if kinds != {StandardKind.CERTIFICATION}:
                        self.problems.add(file, keys, "C003",
                                          f"'uses' names '{target}', which is not a certification standard")
        return deps

    def _report_cycles(self, deps: nx.DiGraph) -> set[str]:
        """Report each cycle once; return the standards on a cycle."""
        cyclic: set[str] = set()
        for component in nx.strongly_connected_components(deps):
            if len(component) < 2:
                continue
            cycle = nx.find_cycle(deps.subgraph(component))
            names = [edge[0] for edge in cycle] + [cycle[0][0]]
            first = self.library.versions(min(component))[0]
            self.problems.add(first, ("extends",), "C002",
                              "standards depend on each other in a cycle: " + " → ".join(names))
            cyclic |= component
        return cyclic

    def _report_long_chains(self, deps: nx.DiGraph) -> set[str]:
        """Report where a chain of standards grows past ``MAX_CHAIN``; return the standards reported.

        Only the standard that takes a chain one past the limit is reported: the ones that build
        on it are longer still, and skipped with it."""
        longest = chains.lengths(deps)
        reported = {node for node, length in longest.items() if length == chains.MAX_CHAIN + 1}
        for node in sorted(reported):
            chain = chains.longest_chain(deps, longest, node)
            shown = " → ".join(chain[:2] + ["…", chain[-1]])
            users = len(chains.dependents(deps, {node})) - 1
            tail = ""
            if users == 1:
                tail = f"; the standard that builds on '{node}' is not compiled either"
            elif users > 1:
                tail = f"; the {users} standards that build on '{node}' are not compiled either"
            for file in self.library.versions(node):
                for how, target, keys in self._references(file):
                    if longest.get(target) == chains.MAX_CHAIN:
                        self.problems.add(file, keys, "C005",
                                          f"{how} '{target}' makes a chain of {chains.MAX_CHAIN + 1} standards "
                                          f"({shown}), more than the {chains.MAX_CHAIN} a chain may have; build on "
                                          f"a standard nearer '{chain[-1]}' instead{tail}")
        return reported

    # ------------------------------------------------------------ versions and windows

    def _segments(self, standard_id: str) -> list[_Segment]:
        """The windows of every version of a standard whose bases are compiled already."""
        result: list[_Segment] = []
        for file in self.library.versions(standard_id):
            std = file.standard
            start, end = std.effective.from_, std.effective.until or MAX_DATE
            parents: list[list[_Segment]] = []
            if std.extends and std.extends in self.ids:
                parents.append(self.memo[std.extends])  # compiled already: bases come first
            for used in std.uses:
                if used in self.ids:
                    parents.append(self.memo[used])
            for combo in itertools.product(*parents):
                lo = max([start] + [p.start for p in combo])
                hi = min([end] + [p.end for p in combo])
                if lo > hi:
                    continue
                extends_seg = combo[0] if std.extends and std.extends in self.ids else None
                uses_segs = list(combo[1:] if extends_seg else combo)
                namespace = self._namespace(file, extends_seg, uses_segs)
                ruleset = self._build(file, namespace, lo, hi)
                result.append(_Segment(lo, hi, namespace, ruleset))
        return result

    def _check_coverage(self, standard_id: str, segments: list[_Segment]) -> None:
        """A version whose window is not fully covered by its bases cannot be evaluated there."""
        if standard_id in self.broken:
            return
        for file in self.library.versions(standard_id):
            std = file.standard
            if not std.extends and not std.uses:
                continue
            start, end = std.effective.from_, std.effective.until or MAX_DATE
            covered = sorted((s.start, s.end) for s in segments if s.namespace.chain[0].path == file.path)
            cursor = start
            for lo, hi in covered:
                if lo > cursor:
                    break
                cursor = max(cursor, hi + timedelta(days=1)) if hi < MAX_DATE else MAX_DATE
            if cursor <= end and cursor != MAX_DATE:
                self.problems.add(file, ("effective",), "W010",
                                  f"from {cursor.isoformat()} no version of the standards it builds on is in force, "
                                  "so this version cannot be evaluated then", Severity.WARNING)

    # ------------------------------------------------------------ inheritance

    def _namespace(self, file: SourceFile, parent: _Segment | None, used: list[_Segment]) -> _Namespace:
        std = file.standard
        ns = _Namespace()
        if parent is not None:
            base = parent.namespace
            ns.scales, ns.kinds, ns.catalog = dict(base.scales), dict(base.kinds), dict(base.catalog)
            ns.equivalences = list(base.equivalences)
            ns.program = base.program
            ns.limits = dict(base.limits)
            ns.rules = list(base.rules)
            ns.chain = list(base.chain)
            ns.unit = base.unit
            ns.categories = dict(base.categories)
            ns.context, ns.eligibility, ns.not_taken = dict(base.context), base.eligibility, base.not_taken
        for segment in used:
            other = segment.namespace
            for table, theirs in ((ns.scales, other.scales), (ns.kinds, other.kinds), (ns.catalog, other.catalog)):
                for key, value in theirs.items():
                    table.setdefault(key, value)
            if segment.ruleset is not None:
                ns.certifications.append(segment.ruleset)
        ns.kind = std.kind
        if std.unit is not None:
            ns.unit = UnitInfo(std.unit.name_zh, std.unit.name_en, std.unit.name_en_one or std.unit.name_en)
        ref = StandardRef(std.id, std.version, file.content_hash, file.path)
        ns.chain = [ref] + ns.chain + [r for s in used for r in s.namespace.chain]

        for table_name, own in (("scales", std.scales), ("kinds", std.kinds), ("catalog", std.catalog)):
            table = getattr(ns, table_name)
            for key, value in own.items():
                if key in table and table[key][0] != value:
                    self.problems.add(file, (table_name, key), "C015",
                                      f"{table_name[:-1] if table_name != 'catalog' else 'code'} '{key}' is already "
                                      f"defined differently by a standard this one builds on; use another name")
                table[key] = (value, file)
        ns.equivalences.extend((eq, file, i) for i, eq in enumerate(std.equivalences))
        if std.context is not None:
            for key, value in std.context.attributes.items():
                if key in ns.context and ns.context[key][0] != value:
                    self.problems.add(file, ("context", "attributes", key), "C015",
                                      f"context attribute '{key}' is already defined differently by a standard this "
                                      "one builds on; use another name")
                ns.context[key] = (value, file)
        if std.eligibility is not None:
            ns.eligibility = (std.eligibility, file)
        if std.not_taken is not None:
            ns.not_taken = (std.not_taken, file)
        if std.program is not None:
            ns.program = (std.program, file)
        ns.categories.update({key: (c.name_zh, c.name_en) for key, c in std.categories.items()})
        if std.limits is not None:
            for name in Limits.model_fields:
                value = getattr(std.limits, name)
                if name in std.limits.model_fields_set:
                    if isinstance(value, dict) and name in ns.limits:
                        merged = dict(ns.limits[name][0])
                        merged.update(value)
                        ns.limits[name] = (merged, file)
                    else:
                        ns.limits[name] = (value, file)

        inherited = {rule.id for rule, _, _ in ns.rules}
        inherited_tables = {table_of(rule.id) for rule in (r for r, _, _ in ns.rules)} - {None}
        for index, rule_id in enumerate(std.remove_rules):
            if rule_id not in inherited and rule_id not in inherited_tables:
                self.problems.add(file, ("remove_rules", index), "C022",
                                  f"remove_rules names '{rule_id}', which no base standard defines"
                                  f"{did_you_mean(rule_id, inherited | inherited_tables)}")
        removed = set(std.remove_rules)
        ns.rules = [entry for entry in ns.rules if entry[0].id not in removed and table_of(entry[0].id) not in removed]
        seen: dict[str, tuple[str | int, ...]] = {}
        for index, rule in enumerate(std.rules):
            if rule.id in seen:
                first_line = file.locate(*seen[rule.id])[0]
                self.problems.add(file, ("rules", index, "id"), "C020",
                                  f"rule id '{rule.id}' is used twice in this file (first on line {first_line})")
                continue
            seen[rule.id] = ("rules", index, "id")
            position = next((i for i, (r, _, _) in enumerate(ns.rules) if r.id == rule.id), None)
            if position is not None:
                if not rule.replaces:
                    self.problems.add(file, ("rules", index, "id"), "C020",
                                      f"rule '{rule.id}' is already defined by a base standard; "
                                      "add 'replaces: true' to replace it, or choose another id")
                ns.rules[position] = (rule, file, ("rules", index))
            else:
                if rule.replaces:
                    self.problems.add(file, ("rules", index, "replaces"), "C021",
                                      f"rule '{rule.id}' says 'replaces: true' but no base standard defines it"
                                      f"{did_you_mean(rule.id, inherited)}")
                ns.rules.append((rule, file, ("rules", index)))
        for index, table in enumerate(std.tables):
            where_id: tuple[str | int, ...] = ("tables", index, "id")
            if table.id in seen or table.id in inherited:
                first = f" (first on line {file.locate(*seen[table.id])[0]})" if table.id in seen else \
                    " by a base standard as a rule"
                self.problems.add(file, where_id, "C020", f"table id '{table.id}' is already used{first}; "
                                                          "choose another id")
                continue
            seen[table.id] = where_id
            if table.replaces and table.id not in inherited_tables:
                self.problems.add(file, ("tables", index, "replaces"), "C021",
                                  f"table '{table.id}' says 'replaces: true' but no base standard defines it"
                                  f"{did_you_mean(table.id, inherited_tables)}")
            elif table.id in inherited_tables and not table.replaces:
                self.problems.add(file, where_id, "C020",
                                  f"table '{table.id}' is already defined by a base standard; "
                                  "add 'replaces: true' to replace it, or choose another id")
            ns.rules = [entry for entry in ns.rules if table_of(entry[0].id) != table.id]
            for row_index, (rule, problem) in enumerate(tables.expand(table)):
                row_where: tuple[str | int, ...] = ("tables", index, "rows", row_index)
                if problem is not None:
                    self.problems.add(file, row_where + problem[0], "C060", problem[1])
                if rule is None:
                    continue
                if rule.id in seen:
                    self.problems.add(file, row_where + ("id",), "C020",
                                      f"row id '{rule.id}' is used twice in this table (first on line "
                                      f"{file.locate(*seen[rule.id])[0]})")
                    continue
                seen[rule.id] = row_where
                ns.rules.append((rule, file, row_where))
        return ns

    # ------------------------------------------------------------ building one ruleset

    def _build(self, file: SourceFile, ns: _Namespace, start: date, end: date) -> CompiledRuleset | None:
        std = file.standard
        scales = self._scales(ns)
        kinds = self._kinds(ns, scales)
        catalog = self._catalog(ns, kinds, scales)
        aliases = self._aliases(ns, catalog)
        program = self._program(ns)
        if std.kind is StandardKind.CONVERSION and program is None and not ns.categories:
            self.problems.add(file, ("kind",), "C004",
                              "a conversion standard needs a 'program' (its own or from the standard it extends), "
                              "or, to apply to every program, the 'categories' its rules credit")
        context_attributes = self._context_attributes(ns, scales)
        context = _RuleContext(self, scales, kinds, catalog, program, std.kind, ns.categories)
        context.context_attributes = context_attributes
        eligibility = context.gate(*ns.eligibility, ("eligibility",)) if ns.eligibility is not None else None
        if ns.not_taken is not None:
            context.not_taken = context.exclusions(*ns.not_taken, ("not_taken",))
        rules = tuple(context.rule(index, rule, source, where)
                      for index, (rule, source, where) in enumerate(ns.rules))
        limits = self._limits(ns, program, kinds, rules)
        self._check_institution(file, ns, program)
        by_code: dict[str, list[int]] = {}
        for rule in rules:
            for code in _codes_of(rule, catalog):
                by_code.setdefault(code, []).append(rule.index)
        self._warn_unreachable(file, program, rules)
        self._warn_unplaceable(ns, program, limits, rules)
        digest = hashlib.sha256("|".join(f"{r.id}@{r.version}:{r.content_hash}" for r in ns.chain).encode())
        return CompiledRuleset(
            id=std.id, version=std.version, kind=std.kind.value, name_zh=std.name_zh, name_en=std.name_en,
            effective_from=start, effective_until=None if end == MAX_DATE else end, chain=tuple(ns.chain),
            content_hash=digest.hexdigest()[:16], scales=scales, kinds=kinds, catalog=catalog, aliases=aliases,
            program=program, limits=limits, rules=rules,
            by_code={code: tuple(sorted(set(ix))) for code, ix in sorted(by_code.items())},
            certifications=tuple(ns.certifications), unit=ns.unit,
            categories=dict(ns.categories) if program is None else {},
            context_attributes=context_attributes, eligibility=eligibility,
        )

    def _check_institution(self, file: SourceFile, ns: _Namespace, program: ProgramInfo | None) -> None:
        """A program that takes an institution-wide standard's rules must have the categories they credit."""
        if program is None or not ns.categories or file.standard.program is None:
            return
        for key in sorted(set(ns.categories) - set(program.categories)):
            self.problems.add(file, ("program", "categories"), "C041",
                              f"the institution-wide rules this standard extends credit category '{key}', which "
                              "this program does not have; add it to the program's categories")

    def _scales(self, ns: _Namespace) -> dict[str, ScaleInfo]:
        return {key: ScaleInfo(s.name_zh, s.name_en, tuple(s.levels), tuple(s.levels_en or s.levels))
                for key, (s, _) in ns.scales.items()}

    def _kinds(self, ns: _Namespace, scales: dict[str, ScaleInfo]) -> dict[str, KindInfo]:
        kinds: dict[str, KindInfo] = {}
        for key, (kind, file) in ns.kinds.items():
            attributes: dict[str, AttributeInfo] = {}
            for name, attr in kind.attributes.items():
                if name in BUILTIN_ATTRIBUTES:
                    self.problems.add(file, ("kinds", key, "attributes", name), "C010",
                                      f"'{name}' is built in for every achievement; remove it from the kind")
                    continue
                if attr.type.value == "scale" and attr.scale not in scales:
                    self.problems.add(file, ("kinds", key, "attributes", name, "scale"), "C010",
                                      f"unknown scale '{attr.scale}'{did_you_mean(attr.scale or '', scales)}")
                attributes[name] = AttributeInfo(
                    attr.type.value, attr.scale, frozenset(normalise_code(v) for v in attr.values or ()), attr.min,
                    attr.max, attr.required,
                    attr.name_zh, attr.name_en)
            kinds[key] = KindInfo(kind.name_zh, kind.name_en, attributes)
        return kinds

    def _context_attributes(self, ns: _Namespace, scales: dict[str, ScaleInfo]) -> dict[str, AttributeInfo]:
        attributes: dict[str, AttributeInfo] = {}
        for name, (attr, file) in sorted(ns.context.items()):
            if attr.type.value == "scale" and attr.scale not in scales:
                self.problems.add(file, ("context", "attributes", name, "scale"), "C010",
                                  f"unknown scale '{attr.scale}'{did_you_mean(attr.scale or '', scales)}")
            attributes[name] = AttributeInfo(
                attr.type.value, attr.scale, frozenset(normalise_code(v) for v in attr.values or ()), attr.min,
                attr.max, attr.required, attr.name_zh, attr.name_en)
        return attributes

    def _catalog(self, ns: _Namespace, kinds: dict[str, KindInfo], scales: dict[str, ScaleInfo]
                 ) -> dict[str, CatalogInfo]:
        catalog: dict[str, CatalogInfo] = {}
        for code, (entry, file) in ns.catalog.items():
            if entry.kind not in kinds:
                self.problems.add(file, ("catalog", code, "kind"), "C011",
                                  f"unknown kind '{entry.kind}'{did_you_mean(entry.kind, kinds)}")
            elif entry.attributes:
                self._catalog_attributes(code, entry.attributes, entry.kind, kinds[entry.kind], scales, file)
            catalog[code] = CatalogInfo(code, entry.kind, entry.name_zh, entry.name_en,
                                        tuple(sorted(entry.attributes.items())),
                                        tuple(entry.certified_by) if entry.certified_by is not None else None,
                                        entry.reconvertible)
        return catalog

    def _catalog_attributes(self, code: str, values: dict[str, Any], kind_id: str, kind: KindInfo,
                            scales: dict[str, ScaleInfo], file: SourceFile) -> None:
        """A code's fixed attributes must be attributes of its kind, with values of their type."""
        for name, value in values.items():
            keys = ("catalog", code, "attributes", name)
            attr = kind.attributes.get(name)
            if attr is None:
                built_in = " (built in: each record says its own)" if name in BUILTIN_ATTRIBUTES else ""
                self.problems.add(file, keys, "C016", f"achievements of kind '{kind_id}' have no attribute "
                                                      f"'{name}'{built_in}{did_you_mean(name, kind.attributes)}")
                continue
            problem = _fixed_value_problem(name, attr, value, scales)
            if problem:
                self.problems.add(file, keys, "C016", problem)

    def _aliases(self, ns: _Namespace, catalog: dict[str, CatalogInfo]) -> dict[str, str]:
        aliases: dict[str, str] = {}
        for eq, file, index in ns.equivalences:
            if eq.same_as not in catalog:
                self.problems.add(file, ("equivalences", index, "same_as"), "C012",
                                  f"unknown code '{eq.same_as}'{did_you_mean(eq.same_as, catalog)}")
            elif eq.code in catalog:
                self.problems.add(file, ("equivalences", index, "code"), "C012",
                                  f"'{eq.code}' is a code of this catalog already; an equivalence maps "
                                  "another bank's code onto one of ours")
            elif aliases.get(eq.code, eq.same_as) != eq.same_as:
                self.problems.add(file, ("equivalences", index, "same_as"), "C012",
                                  f"'{eq.code}' is already declared the same as '{aliases[eq.code]}'")
            else:
                aliases[eq.code] = eq.same_as
        return aliases

    def _program(self, ns: _Namespace) -> ProgramInfo | None:
        if ns.program is None:
            return None
        program, file = ns.program
        categories = {key: CategoryInfo(key, c.name_zh, c.name_en, to_centi(c.required))
                      for key, c in program.categories.items()}
        courses: dict[str, CourseInfo] = {}
        for index, course in enumerate(program.courses):
            if course.category not in categories:
                self.problems.add(file, ("program", "courses", index, "category"), "C013",
                                  f"unknown category '{course.category}'{did_you_mean(course.category, categories)}")
            if course.code in courses:
                self.problems.add(file, ("program", "courses", index, "code"), "C014",
                                  f"course '{course.code}' is listed twice")
            courses[course.code] = CourseInfo(course.code, course.name_zh, course.name_en,
                                              to_centi(course.credits), course.category)
        return ProgramInfo(program.code, program.name_zh, program.name_en, to_centi(program.total_credits),
                           categories, courses)

    def _limits(self, ns: _Namespace, program: ProgramInfo | None, kinds: dict[str, KindInfo],
                rules: tuple[CompiledRule, ...]) -> LimitsInfo:
        total = None
        total_source = ""
        if "total" in ns.limits and ns.limits["total"][0] is not None:
            limit, _ = ns.limits["total"]
            if limit.max is not None:
                total, total_source = to_centi(limit.max), format_value(float(limit.max))
            elif program is not None:
                total = int((program.total_credits * limit.max_fraction).to_integral_value(rounding=ROUND_FLOOR))
                total_source = f"{format_value(float(limit.max_fraction * 100))}% × {program.total_credits / 100:g}"
            elif ns.kind is not StandardKind.BASE:
                self.problems.add(ns.limits["total"][1], ("limits", "total", "max_fraction"), "C054",
                                  "max_fraction is a share of the program's credits, and this standard has no "
                                  "program; use 'max' instead")
        categories: dict[str, int] = {}
        if "categories" in ns.limits:
            values, file = ns.limits["categories"]
            for key, value in values.items():
                known = program.categories if program is not None else ns.categories
                if (program is not None or ns.categories) and key not in known:
                    self.problems.add(file, ("limits", "categories", key), "C050",
                                      f"unknown category '{key}'{did_you_mean(key, known)}")
                categories[key] = to_centi(value.max)
        per_achievement = None
        if "per_achievement" in ns.limits and ns.limits["per_achievement"][0] is not None:
            per_achievement = to_centi(ns.limits["per_achievement"][0].max_credits)
        aggregated_kinds = {k for r in rules if r.shape == "aggregate" for s in r.slots for k in s.kinds}
        kind_counts: dict[str, int] = {}
        if "kinds" in ns.limits:
            values, file = ns.limits["kinds"]
            for key, value in values.items():
                if key not in kinds:
                    self.problems.add(file, ("limits", "kinds", key), "C051",
                                      f"unknown kind '{key}'{did_you_mean(key, kinds)}")
                elif key in aggregated_kinds:
                    self.problems.add(file, ("limits", "kinds", key), "C053",
                                      f"kind '{key}' is added up by an aggregate rule, which a count limit cannot "
                                      "apply to; cap the aggregate with 'max' instead")
                kind_counts[key] = value.max_count
        groups: list[GroupInfo] = []
        if "groups" in ns.limits:
            values, file = ns.limits["groups"]
            for index, group in enumerate(values):
                for kind_index, kind in enumerate(group.kinds):
                    if kind not in kinds:
                        self.problems.add(file, ("limits", "groups", index, "kinds", kind_index), "C052",
                                          f"unknown kind '{kind}'{did_you_mean(kind, kinds)}")
                    elif kind in aggregated_kinds:
                        self.problems.add(file, ("limits", "groups", index, "kinds", kind_index), "C053",
                                          f"kind '{kind}' is added up by an aggregate rule, which a group limit "
                                          "cannot apply to; cap the aggregate with 'max' instead")
                    elif group.key not in kinds[kind].attributes and group.key not in BUILTIN_ATTRIBUTES:
                        self.problems.add(file, ("limits", "groups", index, "key"), "C052",
                                          f"kind '{kind}' has no attribute '{group.key}'"
                                          f"{did_you_mean(group.key, kinds[kind].attributes)}")
                groups.append(GroupInfo(group.id, group.name_zh, group.name_en, frozenset(group.kinds),
                                        group.key, group.max))
        award_limits: list[tuple[AwardLimit, int]] = []
        for limit_class in AWARD_LIMITS:  # one class each: it compiles itself (limits.py)
            if limit_class.yaml_key not in ns.limits:
                continue
            raw, file = ns.limits[limit_class.yaml_key]
            found, problems = limit_class.compile(raw, program.categories if program is not None else (),
                                                  [r.id for r in rules])
            award_limits.extend(found)
            for problem in problems:
                self.problems.add(file, ("limits",) + problem.keys, problem.code, problem.message)
        rule_groups = {g.id: (g.name_zh, g.name_en) for g in ns.limits.get("rule_groups", ((), None))[0]}
        return LimitsInfo(total, total_source, categories, per_achievement, kind_counts, tuple(groups),
                          tuple(award_limits), rule_groups)

    def _warn_unplaceable(self, ns: _Namespace, program: ProgramInfo | None, limits: LimitsInfo,
                          rules: tuple[CompiledRule, ...]) -> None:
        """A whole-course grant larger than a cap it is always charged to can never be awarded."""
        if program is None:
            return
        for rule, (_, file, at) in zip(rules, ns.rules):
            if rule.target != "courses" or not all(c in program.courses for c in rule.courses):
                continue
            credits = [program.courses[c].credits for c in rule.courses]
            smallest = min(credits) if rule.mode == "each" else sum(credits)
            caps = [("the rule's max_credits", rule.max_credits), ("the total limit", limits.total)]
            if rule.shape != "aggregate":
                caps.append(("the per-achievement limit", limits.per_achievement))
            for label, cap in caps:
                if cap is not None and smallest > cap:
                    self.problems.add(file, at + ("grant",), "W003",
                                      f"rule '{rule.id}' grants {smallest / 100:g} credits, more than {label} of "
                                      f"{cap / 100:g}, so it can never be awarded", Severity.WARNING)
                    break
            else:
                self._warn_category_caps(rule, program, limits, file, at)

    def _warn_category_caps(self, rule: CompiledRule, program: ProgramInfo, limits: LimitsInfo, file: SourceFile,
                            at: tuple[str | int, ...]) -> None:
        """Whole courses are never cut, so a category limit below a grant's share of it blocks the grant."""
        units = [(c,) for c in rule.courses] if rule.mode == "each" else [rule.courses]
        blocked: list[tuple[int, str, int]] = []
        for unit in units:
            shares: dict[str, int] = {}
            for code in unit:
                course = program.courses[code]
                shares[course.category] = shares.get(course.category, 0) + course.credits
            over = [(share, category, limits.categories[category]) for category, share in sorted(shares.items())
                    if category in limits.categories and share > limits.categories[category]]
            if not over:
                return  # this award fits
            blocked.append(over[0])
        share, category, cap = min(blocked)
        self.problems.add(file, at + ("grant",), "W003",
                          f"rule '{rule.id}' grants {share / 100:g} credits of category '{category}', more than "
                          f"that category's limit of {cap / 100:g}, so it can never be awarded", Severity.WARNING)

    def _warn_unreachable(self, file: SourceFile, program: ProgramInfo | None,
                          rules: tuple[CompiledRule, ...]) -> None:
        if program is None or file.standard.program is None:
            return
        reached = {c for r in rules for c in r.courses}
        for index, course in enumerate(file.standard.program.courses):
            if course.code not in reached:
                self.problems.add(file, ("program", "courses", index, "code"), "W001",
                                  f"no rule can credit course '{course.code}' ({course.name_en}); it can only be "
                                  "earned by study", Severity.WARNING)


def _fixed_value_problem(name: str, attr: AttributeInfo, value: Any, scales: dict[str, ScaleInfo]) -> str:
    """Why ``value`` cannot be the fixed value of attribute ``name``, or ''."""
    shown = format_value(value)
    if attr.type == "scale":
        scale = scales.get(attr.scale or "")
        if scale is not None and (not isinstance(value, str) or scale.rank(value) is None):
            return (f"'{shown}' is not a level of scale '{attr.scale}' ({', '.join(scale.levels)})"
                    f"{did_you_mean(str(value), scale.levels)}")
    elif attr.type == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return f"'{name}' is a number; '{shown}' is not"
        if (attr.min is not None and value < attr.min) or (attr.max is not None and value > attr.max):
            bounds = [f"at least {format_value(attr.min)}" if attr.min is not None else "",
                      f"at most {format_value(attr.max)}" if attr.max is not None else ""]
            return f"'{name}' is {shown}; the kind allows {' and '.join(b for b in bounds if b)}"
    elif attr.type == "bool":
        if not isinstance(value, bool):
            return f"'{name}' is true or false; '{shown}' is neither"
    elif attr.type == "choice":
        if normalise_code(str(value)) not in attr.values:
            return (f"'{shown}' is not one of {name}'s values ({', '.join(sorted(attr.values))})"
                    f"{did_you_mean(str(value), attr.values)}")
    elif attr.type == "date":
        return f"'{name}' is a date, which differs from record to record; it cannot be fixed in the catalog"
    elif isinstance(value, bool):
        return f"'{name}' is text; write '{shown}' in quotes if it is meant"
    return ""


def _codes_of(rule: CompiledRule, catalog: dict[str, CatalogInfo]) -> Iterable[str]:
    """The catalog codes whose achievements a rule may look at: the evaluator's index."""
    for slot in rule.slots:
        if slot.codes is not None:
            yield from slot.codes
        else:
            yield from (code for code, info in catalog.items() if info.kind in slot.kinds)


class _RuleContext:
    """Compiles rules against one merged namespace, reporting into the compiler's problems."""

    def __init__(self, compiler: _Compiler, scales: dict[str, ScaleInfo], kinds: dict[str, KindInfo],
                 catalog: dict[str, CatalogInfo], program: ProgramInfo | None, standard_kind: StandardKind,
                 categories: dict[str, tuple[str, str]] | None = None):
        self.problems = compiler.problems
        self.scales, self.kinds, self.catalog, self.program = scales, kinds, catalog, program
        self.standard_kind = standard_kind
        # an institution-wide conversion standard (no program) credits only the categories it names
        self.institution = categories if program is None and standard_kind is StandardKind.CONVERSION \
            and categories else None
        # a base without a program may hold rules for the standards that extend it; their
        # course and category references are checked when those standards are compiled
        self.checked_later = standard_kind is StandardKind.BASE and program is None
        self.context_attributes: dict[str, AttributeInfo] = {}
        self.not_taken: CompiledNotTaken | None = None  # the standard's exclusions, for rules without their own

    def gate(self, gate: Gate, file: SourceFile, keys: tuple[str | int, ...]) -> CompiledGate:
        """A gate on the learner: its attribute conditions compiled against the context attributes (C062)."""
        conditions: list[CompiledCondition] = []
        for attribute, raw in gate.attributes.items():
            attr = self.context_attributes.get(attribute)
            where = keys + ("attributes", attribute)
            if attr is None:
                declared = sorted(self.context_attributes)
                self.problems.add(file, where, "C062",
                                  f"'{attribute}' is not a context attribute of this standard"
                                  f"{did_you_mean(attribute, declared)}; declare it under 'context: attributes:' "
                                  f"({', '.join(declared) if declared else 'none declared'})")
                continue
            conditions.extend(self.compile_condition(attribute, attr, raw, file, where))
        return CompiledGate(tuple(conditions), tuple(gate.passed), tuple(gate.not_taken))

    def exclusions(self, not_taken: NotTaken, file: SourceFile, keys: tuple[str | int, ...]) -> CompiledNotTaken:
        """Course-history exclusions; a course they name as lower must be a course of the program (C061)."""
        for course in not_taken.higher:
            if not self.checked_later and (self.program is None or course not in self.program.courses):
                known = self.program.courses if self.program else {}
                self.problems.add(file, keys + ("higher", course), "C061",
                                  f"'{course}' is not a course of the program{did_you_mean(course, known)}; "
                                  "'higher' lists, for a course rules may credit, the courses above it")
        return CompiledNotTaken(frozenset(not_taken.statuses),
                                {course: tuple(above) for course, above in sorted(not_taken.higher.items())})

    def rule(self, index: int, rule: Rule, file: SourceFile, where: tuple[str | int, ...]) -> CompiledRule:
        if rule.when is not None:
            shape, raw_slots, slot_keys = "one", [rule.when], [where + ("when",)]
        elif rule.when_all is not None:
            shape, raw_slots = "all", rule.when_all
            slot_keys = [where + ("when_all", i) for i in range(len(rule.when_all))]
        else:
            assert rule.aggregate is not None
            shape, raw_slots, slot_keys = "aggregate", [rule.aggregate.where], [where + ("aggregate", "where")]
        slots = tuple(self.slot(raw, file, keys) for raw, keys in zip(raw_slots, slot_keys))
        aggregate = self.aggregate(rule, slots[0], file, where) if rule.aggregate else None
        if rule.aggregate is not None and rule.grant is not None:
            if rule.grant.mode == "each":
                self.problems.add(file, where + ("grant", "mode"), "C048",
                                  "an aggregate gives its courses together; 'mode: each' does not apply to it")
            if rule.grant.credits is not None:
                self.problems.add(file, where + ("grant", "credits"), "C048",
                                  "an aggregate computes its credits from the records; remove 'credits' here")
        if rule.aggregate is not None and rule.certify is not None and rule.certify.credits is not None:
            self.problems.add(file, where + ("certify", "credits"), "C048",
                              "an aggregate computes its credits from the records; remove 'credits' here")

        target, courses, mode, category, credits = "category", (), "together", None, 0
        grade = grade_from = grade_default = None
        grade_map: tuple[tuple[str, str], ...] = ()
        outcome, outcome_attributes = None, ()
        if rule.grant is not None:
            if self.standard_kind is StandardKind.CERTIFICATION:
                self.problems.add(file, where + ("grant",), "C045",
                                  "a certification standard's rules 'certify' outcomes; use 'certify', not 'grant'")
            grant = rule.grant
            if grant.courses is not None:
                target, courses, mode = "courses", tuple(grant.courses), grant.mode
                for i, code in enumerate(courses):
                    if self.checked_later:
                        break
                    if self.institution is not None:
                        self.problems.add(file, where + ("grant", "courses", i), "C040",
                                          f"course '{code}' belongs to a program, and this institution-wide "
                                          "standard has none; grant credits into one of its categories")
                        break
                    if self.program is None or code not in self.program.courses:
                        known = self.program.courses if self.program else {}
                        self.problems.add(file, where + ("grant", "courses", i), "C040",
                                          f"unknown course '{code}'{did_you_mean(code, known)}")
                credits = sum(self.program.courses[c].credits for c in courses
                              if self.program and c in self.program.courses)
            else:
                category = grant.category
                credits = to_centi(grant.credits) if grant.credits is not None else 0
                if self.institution is not None:
                    if category not in self.institution:
                        hint = did_you_mean(category or "", self.institution)
                        self.problems.add(file, where + ("grant", "category"), "C041",
                                          f"unknown category '{category}'{hint}; add it to the standard's "
                                          "'categories'")
                elif not self.checked_later and (self.program is None or category not in self.program.categories):
                    known_categories = self.program.categories if self.program else {}
                    self.problems.add(file, where + ("grant", "category"), "C041",
                                      f"unknown category '{category}'{did_you_mean(category or '', known_categories)}")
            if isinstance(grant.grade, GradeMap):
                grade_from, grade_default = grant.grade.from_, grant.grade.default
                grade_map = tuple(grant.grade.map.items())
                self.grade_map(grant.grade, slots, file, where + ("grant", "grade"))
            else:
                grade = grant.grade
        else:
            assert rule.certify is not None
            if self.standard_kind is not StandardKind.CERTIFICATION:
                self.problems.add(file, where + ("certify",), "C045",
                                  "only a certification standard can 'certify'; a conversion rule uses 'grant'")
            target, outcome = "outcome", rule.certify.outcome
            credits = to_centi(rule.certify.credits) if rule.certify.credits is not None else 0
            outcome_attributes = tuple(sorted(rule.certify.attributes.items()))
            if outcome not in self.catalog:
                self.problems.add(file, where + ("certify", "outcome"), "C044",
                                  f"unknown outcome code '{outcome}'{did_you_mean(outcome, self.catalog)}; "
                                  "add it to the catalog")
            elif self.standard_kind is StandardKind.CERTIFICATION:
                self.outcome_attributes(rule.certify.attributes, self.catalog[outcome].kind, file,
                                        where + ("certify", "attributes"))
        requires = self.gate(rule.requires, file, where + ("requires",)) if rule.requires is not None else None
        not_taken = self.exclusions(rule.not_taken, file, where + ("not_taken",)) if rule.not_taken is not None \
            else self.not_taken
        if not_taken is not None and (target != "courses" or not (not_taken.statuses or not_taken.higher)):
            not_taken = None  # only whole-course awards are suppressed; an empty exclusion is none
        line, column = file.locate(*where)
        return CompiledRule(
            index=index, id=rule.id, name_zh=rule.name_zh, name_en=rule.name_en, priority=rule.priority,
            shape=shape, slots=slots, aggregate=aggregate, target=target, courses=courses,  # type: ignore[arg-type]
            mode=mode, category=category, credits=credits, grade=grade, grade_from=grade_from, grade_map=grade_map,
            grade_default=grade_default, outcome=outcome, outcome_attributes=outcome_attributes,
            max_credits=to_centi(rule.max_credits) if rule.max_credits is not None else None,
            max_uses=rule.max_uses, reusable=rule.reusable,
            origin=Origin(file.standard.id, file.standard.version, file.path, line, column),
            requires=requires, not_taken=not_taken,
        )

    def outcome_attributes(self, values: dict[str, Any], kind: str, file: SourceFile,
                           keys: tuple[str | int, ...]) -> None:
        """The fixed attributes a certified outcome carries must fit the outcome's kind."""
        info = self.kinds.get(kind)
        if info is None:
            return
        if "credits" not in info.attributes or info.attributes["credits"].type != "number":
            self.problems.add(file, keys[:-1] + ("outcome",), "C047",
                              f"kind '{kind}' of this outcome needs a number attribute 'credits' to hold the bank "
                              "credits it certifies")
        for name, attr in info.attributes.items():
            if attr.required and name != "credits" and name not in values:
                self.problems.add(file, keys[:-1] + ("outcome",), "C047",
                                  f"outcomes of kind '{kind}' require attribute '{name}'; add it under "
                                  "certify.attributes")
        for name, value in values.items():
            attr = info.attributes.get(name)
            if attr is None:
                self.problems.add(file, keys + (name,), "C047",
                                  f"outcomes of kind '{kind}' have no attribute '{name}'"
                                  f"{did_you_mean(name, info.attributes)}")
                continue
            if name == "credits":
                self.problems.add(file, keys + (name,), "C047",
                                  "'credits' of an outcome come from the rule; set them with certify.credits")
                continue
            self._convert(name, attr, "eq", value, file, keys + (name,))

    def aggregate(self, rule: Rule, slot: CompiledSlot, file: SourceFile,
                  where: tuple[str | int, ...]) -> CompiledAggregate:
        agg = rule.aggregate
        assert agg is not None
        if agg.total != "count":
            for kind in sorted(slot.kinds):
                attr = self.kinds.get(kind, KindInfo("", "", {})).attributes.get(agg.total)
                if attr is None or attr.type != "number":
                    names = [n for n, a in self.kinds.get(kind, KindInfo("", "", {})).attributes.items()
                             if a.type == "number"]
                    self.problems.add(file, where + ("aggregate", "total"), "C046",
                                      f"kind '{kind}' has no number attribute '{agg.total}' to add up"
                                      f"{did_you_mean(agg.total, names)}; use 'count' or a number attribute")
                    break
        unstated = [key for key in ("rounding", "step") if key not in agg.model_fields_set]
        if unstated:
            self.problems.add(file, where + ("aggregate",), "W020",
                              f"this aggregate does not state {' or '.join(repr(k) for k in unstated)}, so its credits "
                              f"are rounded {agg.rounding.value} to a multiple of {format_value(float(agg.step))}; say "
                              "how the policy rounds, e.g. 'rounding: down' and 'step: 1' for whole credits",
                              Severity.WARNING)
        targets: list[tuple[str, CompiledAggregate]] = []
        if agg.by is not None:
            for kind in sorted(slot.kinds):
                attr = self.kinds.get(kind, KindInfo("", "", {})).attributes.get(agg.by)
                if attr is None or attr.type not in ("text", "choice"):
                    names = [n for n, a in self.kinds.get(kind, KindInfo("", "", {})).attributes.items()
                             if a.type in ("text", "choice")]
                    self.problems.add(file, where + ("aggregate", "by"), "C056",
                                      f"kind '{kind}' has no text attribute '{agg.by}' naming a course"
                                      f"{did_you_mean(agg.by, names)}; 'by' reads the course each record counts "
                                      "toward")
                    break
            courses = rule.grant.courses if rule.grant is not None and rule.grant.courses is not None else None
            if courses is None:
                self.problems.add(file, where + ("aggregate", "by"), "C056",
                                  "'by' adds records up per course, so the grant must list 'courses'")
            for code, target in agg.targets.items():
                if courses is not None and code not in courses:
                    self.problems.add(file, where + ("aggregate", "targets", code), "C056",
                                      f"'{code}' is not a course of this rule's grant{did_you_mean(code, courses)}")
                targets.append((code, CompiledAggregate(
                    agg.total, target.per if target.per is not None else agg.per,
                    to_centi(target.credits if target.credits is not None else agg.credits),
                    (target.rounding or agg.rounding).value, to_centi(target.step or agg.step),
                    to_centi(target.max) if target.max is not None else
                    (to_centi(agg.max) if agg.max is not None else None))))
        elif agg.targets:
            self.problems.add(file, where + ("aggregate", "targets"), "C056",
                              "'targets' sets each course's own ratio when records add up 'by' course; add 'by'")
        return CompiledAggregate(agg.total, agg.per, to_centi(agg.credits), agg.rounding.value,
                                 to_centi(agg.step), to_centi(agg.max) if agg.max is not None else None,
                                 agg.by, tuple(sorted(targets)))

    def grade_map(self, grade: GradeMap, slots: tuple[CompiledSlot, ...], file: SourceFile,
                  keys: tuple[str | int, ...]) -> None:
        for slot in slots:
            for kind in sorted(slot.kinds):
                attrs = self.kinds.get(kind, KindInfo("", "", {})).attributes
                attr = attrs.get(grade.from_)
                if attr is None:
                    hint = did_you_mean(grade.from_, attrs)
                    self.problems.add(file, keys + ("from",), "C042",
                                      f"kind '{kind}' has no attribute '{grade.from_}'{hint}")
                elif attr.type == "scale" and attr.scale in self.scales:
                    levels = self.scales[attr.scale].levels
                    for level in grade.map:
                        if level not in levels:
                            self.problems.add(file, keys + ("map", level), "C043",
                                              f"'{level}' is not a level of scale '{attr.scale}' "
                                              f"({', '.join(levels)}){did_you_mean(level, levels)}")

    # ------------------------------------------------------------ slots and conditions

    def slot(self, raw: dict[str, Any], file: SourceFile, keys: tuple[str | int, ...]) -> CompiledSlot:
        codes: frozenset[str] | None = None
        kinds: frozenset[str] = frozenset()
        conditions: list[CompiledCondition] = []
        reported = False
        if "code" not in raw and "kind" not in raw:
            self.problems.add(file, keys, "C030",
                              "say which achievements this takes: add 'code: <catalog code>' or 'kind: <kind>'")
            reported = True
        if "code" in raw:
            allowed, unknown = _narrow(raw["code"], self.catalog)
            for code in unknown:
                self.problems.add(file, keys + ("code",), "C031",
                                  f"unknown code '{code}'{did_you_mean(code, self.catalog)}{unusual_note(code)}; "
                                  "add it to the catalog")
                reported = True
            # a code whose kind is unknown is reported once, by C011
            codes = frozenset(c for c in allowed if self.catalog[c].kind in self.kinds)
            reported = reported or len(codes) < len(allowed)
            kinds = frozenset(self.catalog[c].kind for c in codes)
        if "kind" in raw:
            allowed_kinds, unknown = _narrow(raw["kind"], self.kinds)
            for kind in unknown:
                self.problems.add(file, keys + ("kind",), "C032",
                                  f"unknown kind '{kind}'{did_you_mean(kind, self.kinds)}")
                reported = True
            if codes is not None:
                codes = frozenset(c for c in codes if self.catalog[c].kind in allowed_kinds)
                kinds = kinds & allowed_kinds
            else:
                kinds = frozenset(allowed_kinds)
        reachable = codes if codes is not None else [c for c, info in self.catalog.items() if info.kind in kinds]
        if not reachable and not reported:
            self.problems.add(file, keys, "W004",
                              "no catalog code meets this slot's code and kind conditions, so the rule can never fire",
                              Severity.WARNING)
        for attribute, condition in raw.items():
            conditions.extend(self.condition(attribute, condition, kinds, file, keys + (attribute,)))
        return CompiledSlot(self._by_catalog(codes, kinds, conditions), kinds, tuple(conditions))

    def _by_catalog(self, codes: frozenset[str] | None, kinds: frozenset[str],
                    conditions: list[CompiledCondition]) -> frozenset[str] | None:
        """The codes a slot takes, without those whose catalog attributes fail its conditions: a record of
        such a code can never fill the slot, so the index, the reasons and the analysis leave it out."""
        tested = {c.attribute for c in conditions}
        candidates = codes if codes is not None else frozenset(
            c for c, info in self.catalog.items() if info.kind in kinds)
        if not any(name in tested for c in candidates for name, _ in self.catalog[c].attributes):
            return codes
        return frozenset(code for code in candidates if all(self._fixed_passes(code, c) for c in conditions))

    def _fixed_passes(self, code: str, condition: CompiledCondition) -> bool:
        fixed = dict(self.catalog[code].attributes)
        attr = self.kinds[self.catalog[code].kind].attributes.get(condition.attribute)
        if condition.attribute not in fixed or attr is None:
            return True
        value = fixed[condition.attribute]
        if attr.type == "scale":
            value = self.scales[attr.scale or ""].rank(str(value)) if attr.scale in self.scales else None
        elif attr.type == "number":
            value = float(value)
        elif attr.type in ("text", "choice"):
            value = normalise_code(str(value))
        return value is None or condition.check(value, MAX_DATE)

    def _attribute(self, name: str, kinds: frozenset[str], file: SourceFile,
                   keys: tuple[str | int, ...]) -> AttributeInfo | None:
        if name in BUILTIN_ATTRIBUTES:
            return AttributeInfo(BUILTIN_ATTRIBUTES[name])
        found: list[AttributeInfo] = []
        for kind in sorted(k for k in kinds if k in self.kinds):
            attr = self.kinds[kind].attributes.get(name)
            if attr is None:
                choices = list(self.kinds[kind].attributes) + list(BUILTIN_ATTRIBUTES)
                hint = did_you_mean(name, choices)
                self.problems.add(file, keys, "C033", f"achievements of kind '{kind}' have no attribute '{name}'{hint}")
                return None
            found.append(attr)
        if not found:
            return None
        if any((a.type, a.scale) != (found[0].type, found[0].scale) for a in found):
            self.problems.add(file, keys, "C033",
                              f"attribute '{name}' has different types in kinds {', '.join(sorted(kinds))}; "
                              "split the rule by kind")
            return None
        return found[0]

    def condition(self, attribute: str, raw: Any, kinds: frozenset[str], file: SourceFile,
                  keys: tuple[str | int, ...]) -> list[CompiledCondition]:
        attr = self._attribute(attribute, kinds, file, keys)
        if attr is None:
            return []
        return self.compile_condition(attribute, attr, raw, file, keys)

    def compile_condition(self, attribute: str, attr: AttributeInfo, raw: Any, file: SourceFile,
                          keys: tuple[str | int, ...]) -> list[CompiledCondition]:
        if isinstance(raw, Operators):
            pairs = [(name, getattr(raw, name)) for name in type(raw).model_fields if name in raw.model_fields_set]
        elif isinstance(raw, list):
            pairs = [("in_", raw)]
        else:
            pairs = [("equals", raw)]
        result = []
        for yaml_name, value in pairs:
            op = YAML_OPERATORS[yaml_name]
            shown = "in" if yaml_name == "in_" else yaml_name
            if op not in OPERATORS_BY_TYPE[attr.type]:
                allowed = sorted(k if k != "in_" else "in" for k, v in YAML_OPERATORS.items()
                                 if v in OPERATORS_BY_TYPE[attr.type])
                self.problems.add(file, keys, "C034",
                                  f"'{shown}' does not apply to '{attribute}' ({attr.type}); use one of: "
                                  f"{', '.join(allowed)}")
                continue
            operand = self.operand(attribute, attr, op, yaml_name, value, file, keys)
            if operand is _INVALID:
                continue
            required = value * 12 if yaml_name == "within_years" else value
            result.append(CompiledCondition(attribute, op, operand, required))
        self._check_satisfiable(attribute, attr, result, file, keys)
        return result

    def operand(self, attribute: str, attr: AttributeInfo, op: str, yaml_name: str, value: Any,
                file: SourceFile, keys: tuple[str | int, ...]) -> Any:
        values = value if isinstance(value, list) else [value]
        converted = []
        for item in values:
            one = self._convert(attribute, attr, op, item, file, keys)
            if one is _INVALID:
                return _INVALID
            converted.append(one)
        if op in ("in", "not_in"):
            return frozenset(converted)
        if yaml_name == "within_years":
            return value * 12
        return converted[0]

    def _convert(self, attribute: str, attr: AttributeInfo, op: str, item: Any, file: SourceFile,
                 keys: tuple[str | int, ...]) -> Any:
        kind = attr.type
        if op == "within_months":
            return item
        if kind == "date":
            return item  # pydantic made it a date already
        if kind == "scale":
            scale = self.scales.get(attr.scale or "")
            if scale is None:
                return _INVALID
            rank = scale.rank(str(item))
            if rank is None:
                self.problems.add(file, keys, "C035",
                                  f"'{item}' is not a level of scale '{attr.scale}' ({', '.join(scale.levels)})"
                                  f"{did_you_mean(str(item), scale.levels)}")
                return _INVALID
            return rank
        if kind == "number":
            if isinstance(item, bool) or not isinstance(item, (int, float)):
                self.problems.add(file, keys, "C035", f"'{attribute}' is a number; '{item}' is not"
                                  + number_fix(attribute, op, item))
                return _INVALID
            return float(item)
        if kind == "bool":
            if not isinstance(item, bool):
                self.problems.add(file, keys, "C035", f"'{attribute}' is true or false; '{item}' is neither")
                return _INVALID
            return item
        if kind == "choice":
            if normalise_code(str(item)) not in attr.values:
                self.problems.add(file, keys, "C035",
                                  f"'{item}' is not one of {attribute}'s values ({', '.join(sorted(attr.values))})"
                                  f"{did_you_mean(str(item), attr.values)}")
                return _INVALID
            return normalise_code(str(item))
        return normalise_code(str(item))  # text and code: compared as learner values are, NFKC

    def _check_satisfiable(self, attribute: str, attr: AttributeInfo, conditions: list[CompiledCondition],
                           file: SourceFile, keys: tuple[str | int, ...]) -> None:
        """Warn when the conditions on one attribute leave no value that passes."""
        if attribute in ("code", "kind"):
            return  # W004 speaks for the codes a slot admits
        region = regions.full(attr, self.scales)
        for condition in conditions:
            region = regions.of_condition(condition, region)
        if region.empty():
            self.problems.add(file, keys, "W002",
                              f"no value of '{attribute}' meets these conditions, so this rule can never fire",
                              Severity.WARNING)


def _narrow(condition: Any, universe: dict[str, Any]) -> tuple[set[str], list[str]]:
    """The names of ``universe`` a code or kind condition admits, and the names it
    mentions that do not exist. ``equals``/``in`` narrow; ``not_equals``/``not_in`` remove."""
    allowed = set(universe)
    mentioned: list[str] = []
    if isinstance(condition, Operators):
        if condition.equals is not None:
            allowed &= {str(condition.equals)}
            mentioned.append(str(condition.equals))
        if condition.in_ is not None:
            allowed &= {str(v) for v in condition.in_}
            mentioned.extend(str(v) for v in condition.in_)
        if condition.not_equals is not None:
            allowed -= {str(condition.not_equals)}
            mentioned.append(str(condition.not_equals))
        if condition.not_in is not None:
            allowed -= {str(v) for v in condition.not_in}
            mentioned.extend(str(v) for v in condition.not_in)
    elif isinstance(condition, list):
        allowed &= {str(v) for v in condition}
        mentioned.extend(str(v) for v in condition)
    else:
        allowed &= {str(condition)}
        mentioned.append(str(condition))
    unknown = [name for name in dict.fromkeys(mentioned) if name not in universe]
    return allowed, unknown


class _Invalid:
    pass


_INVALID: Any = _Invalid()

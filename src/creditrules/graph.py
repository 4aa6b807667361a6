"""The rule graph (networkx) and its exports.

Nodes are typed by a ``type`` attribute: ``code`` (an achievement code or a
certified outcome), ``rule``, ``course``, ``category``, ``program`` and
``standard``. Edges run the way credit flows: code → rule → course →
category → program, and rule → outcome code for certification rules;
standards point at the standards they extend or use.

:func:`rule_graph` holds every version of a standard, each rule as ``rule:ID@VERSION``, defined by its own
version's standard node; :func:`ruleset_graph` holds one version (``rule:ID``). Nodes carry their credits
and limits, edges what they ask (``when``: the conditions on code → rule) or give (``grant``), in both
languages; :func:`localise` picks one language for drawing and export (``label``, ``note``).
Every label written into DOT, Mermaid or GraphML is escaped, so a name such
as ``"]; evil`` cannot change the structure of the output.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

import networkx as nx

from .compiled import CompiledCondition, CompiledRule, CompiledRuleset, CompiledSlot, from_centi
from .conditions import OPERATOR_WORDS_EN, OPERATOR_WORDS_ZH, format_value
from .messages import BUILTIN_NAMES, text
from .safe_text import escape_controls

if TYPE_CHECKING:
    from .compiled import CompiledStandard
    from .loader import StandardLibrary


def _condition_words(condition: CompiledCondition, ruleset: CompiledRuleset, lang: str) -> str:
    """``level ≥ 中级`` / ``等级不低于中级``: one condition of a rule, for an edge label."""
    name = condition.attribute
    label = BUILTIN_NAMES.get(name, {}).get(lang, name)
    for kind in ruleset.kinds.values():
        info = kind.attributes.get(name)
        if info is not None:
            label = (info.name_zh if lang == "zh" else info.name_en) or name
            break
    required = condition.required
    scale = next((ruleset.scales.get(i.scale) for k in ruleset.kinds.values() for a, i in k.attributes.items()
                  if a == name and i.type == "scale" and i.scale), None)
    if lang == "en" and scale is not None and scale.levels_en:
        def english(level: object) -> object:
            return scale.levels_en[scale.levels.index(level)] if level in scale.levels else level
        many = isinstance(required, (list, tuple, set, frozenset))
        required = [english(v) for v in sorted(required, key=str)] if many else english(required)
    if condition.op == "within_months" and isinstance(required, int):
        required = text("graph_years" if required % 12 == 0 else "graph_months", lang,
                        n=required // 12 if required % 12 == 0 else required)
    words = OPERATOR_WORDS_ZH if lang == "zh" else OPERATOR_WORDS_EN
    return f"{label}{words[condition.op]}{format_value(required)}" if lang == "zh" else \
        f"{label} {words[condition.op]} {format_value(required)}"


def _slot_label(slot: CompiledSlot, ruleset: CompiledRuleset, lang: str) -> str:
    return ("，" if lang == "zh" else ", ").join(
        _condition_words(c, ruleset, lang) for c in slot.conditions if c.attribute != "code")


def _grant_label(rule: CompiledRule, lang: str) -> str:
    if rule.aggregate is not None:
        return text("graph_aggregate", lang, per=format_value(float(rule.aggregate.per)), unit=rule.aggregate.total,
                    credits=format_value(from_centi(rule.aggregate.credits)))
    return text("graph_credits", lang, credits=format_value(from_centi(rule.credits)))


def _add_ruleset(graph: nx.DiGraph, ruleset: CompiledRuleset, qualify: bool = False) -> None:
    """One version's nodes and edges; ``qualify`` names rule nodes ``rule:ID@VERSION`` so that
    several versions drawn together each keep their own wording."""
    std_node = f"standard:{ruleset.id}@{ruleset.version}"
    graph.add_node(std_node, type="standard", label=f"{ruleset.name_en} {ruleset.version}", name_zh=ruleset.name_zh,
                   version=ruleset.version)
    program = ruleset.program
    limits = ruleset.limits
    if program is not None:
        program_node = f"program:{program.code}"
        graph.add_node(program_node, type="program", label=program.name_en, name_zh=program.name_zh,
                       credits=from_centi(program.total_credits))
        if limits.total is not None:
            graph.nodes[program_node]["limit"] = from_centi(limits.total)
        for category in program.categories.values():
            node = f"category:{category.id}"
            graph.add_node(node, type="category", label=category.name_en, name_zh=category.name_zh,
                           required=from_centi(category.required))
            if category.id in limits.categories:
                graph.nodes[node]["limit"] = from_centi(limits.categories[category.id])
            graph.add_edge(node, program_node)
        for course in program.courses.values():
            node = f"course:{course.code}"
            graph.add_node(node, type="course", label=f"{course.code} {course.name_en}", name_zh=course.name_zh,
                           code=course.code, credits=from_centi(course.credits))
            graph.add_edge(node, f"category:{course.category}")
    for certification in ruleset.certifications:
        _add_ruleset(graph, certification, qualify)
        graph.add_edge(std_node, f"standard:{certification.id}@{certification.version}", relation="uses")
    for rule in ruleset.rules:
        rule_node = f"rule:{rule.id}@{ruleset.version}" if qualify else f"rule:{rule.id}"
        graph.add_node(rule_node, type="rule", label=rule.name_en, name_zh=rule.name_zh, rule=rule.id,
                       standard=rule.origin.standard_id, version=rule.origin.version)
        if rule.max_credits is not None:
            graph.nodes[rule_node]["max_credits"] = from_centi(rule.max_credits)
        if rule.max_uses is not None:
            graph.nodes[rule_node]["max_uses"] = rule.max_uses
        kinds = {kind for slot in rule.slots for kind in slot.kinds}
        groups = [g for g in limits.groups if g.kinds & kinds]
        if groups:  # "the same competition event counts once": a limit on what the rule may count
            graph.nodes[rule_node]["groups"] = [g.name_en for g in groups]
            graph.nodes[rule_node]["groups_zh"] = [g.name_zh for g in groups]
        graph.add_edge(std_node, rule_node, relation="defines")
        for slot in rule.slots:
            codes = slot.codes if slot.codes is not None else frozenset(
                c for c, info in ruleset.catalog.items() if info.kind in slot.kinds)
            for code in sorted(codes):
                info = ruleset.catalog[code]
                graph.add_node(f"code:{code}", type="code", label=f"{code} {info.name_en}", name_zh=info.name_zh,
                               code=code)
                graph.add_edge(f"code:{code}", rule_node, when=_slot_label(slot, ruleset, "en"),
                               when_zh=_slot_label(slot, ruleset, "zh"))
        for course in rule.courses:
            graph.add_edge(rule_node, f"course:{course}")
        if rule.category:
            graph.add_edge(rule_node, f"category:{rule.category}", grant=_grant_label(rule, "en"),
                           grant_zh=_grant_label(rule, "zh"))
        if rule.outcome:
            info = ruleset.catalog.get(rule.outcome)
            graph.add_node(f"code:{rule.outcome}", type="code",
                           label=f"{rule.outcome} {info.name_en if info else ''}".strip(),
                           name_zh=info.name_zh if info else "", code=rule.outcome)
            graph.add_edge(rule_node, f"code:{rule.outcome}", grant=_grant_label(rule, "en"),
                           grant_zh=_grant_label(rule, "zh"))


def rule_graph(rulesets: Iterable[CompiledRuleset]) -> nx.DiGraph:
    """Achievements → rules → courses → categories → program, for every version: each version's rules
    are their own nodes (``rule:ID@VERSION``), each pointed at by the version that writes them."""
    graph = nx.DiGraph()
    for ruleset in rulesets:
        _add_ruleset(graph, ruleset, qualify=True)
    return graph


def ruleset_graph(ruleset: CompiledRuleset) -> nx.DiGraph:
    """The rule graph of one version (rule nodes ``rule:ID``), with its limits on the nodes they bound
    (``limit`` on the program and categories, ``max_credits``/``max_uses`` and the ``groups`` that count
    what they take on rules) and what each edge
    asks or gives (``when`` on code → rule, ``grant`` on rule → category or outcome; ``_zh`` in Chinese)."""
    graph = nx.DiGraph()
    _add_ruleset(graph, ruleset)
    return graph


def localise(graph: nx.DiGraph, lang: str) -> nx.DiGraph:
    """A copy to draw or export in ``lang``: each node's ``label`` in that language and a ``note`` with
    its credits and limits; each edge's ``label`` (the conditions asked, or the credits given)."""
    shown = nx.DiGraph()
    for node, data in graph.nodes(data=True):
        attrs = dict(data)
        kind = data.get("type", "")
        if lang == "zh" and data.get("name_zh"):
            prefix = data.get("code")
            attrs["label"] = f"{prefix} {data['name_zh']}" if prefix and kind == "course" else data["name_zh"]
            if kind == "code" and prefix:
                attrs["label"] = f"{prefix} {data['name_zh']}"
        notes = []
        if kind == "course":
            notes.append(text("graph_credits", lang, credits=format_value(data["credits"])))
        if kind == "category":
            notes.append(text("graph_required", lang, credits=format_value(data["required"])))
        if kind == "program":
            notes.append(text("graph_required", lang, credits=format_value(data["credits"])))
        if "limit" in data:
            notes.append(text("graph_limit", lang, max=format_value(data["limit"])))
        if "max_credits" in data:
            notes.append(text("graph_limit", lang, max=format_value(data["max_credits"])))
        if "max_uses" in data:
            notes.append(text("graph_uses", lang, max=data["max_uses"]))
        for group in data.get("groups_zh" if lang == "zh" else "groups", ()):
            notes.append(text("graph_group", lang, name=group))
        if notes:
            attrs["note"] = ("，" if lang == "zh" else ", ").join(notes)
        shown.add_node(node, **attrs)
    for source, target, data in graph.edges(data=True):
        attrs = dict(data)
        label = data.get("when_zh" if lang == "zh" else "when") or data.get("grant_zh" if lang == "zh" else "grant")
        if label:
            attrs["label"] = label
        shown.add_edge(source, target, **attrs)
    return shown


def library_graph(library: StandardLibrary, compiled: dict[str, CompiledStandard]) -> nx.DiGraph:
    """Standards → the standards they extend or use."""
    graph = nx.DiGraph()
    for file in library.files:
        std = file.standard
        graph.add_node(std.id, type="standard", label=std.name_en, name_zh=std.name_zh)
        if std.extends:
            graph.add_edge(std.id, std.extends, relation="extends")
        for used in std.uses:
            graph.add_edge(std.id, used, relation="uses")
    return graph


# ---------------------------------------------------------------- exports

def to_json(graph: nx.DiGraph) -> str:
    data = nx.node_link_data(graph, edges="edges")
    data["nodes"] = sorted(data["nodes"], key=lambda n: n["id"])
    data["edges"] = sorted(data["edges"], key=lambda e: (e["source"], e["target"]))
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _dot_quote(text: str) -> str:
    """A DOT quoted string that shows ``text`` as written: controls, Unicode line breaks and bidi
    overrides escaped (no forged line, no reordered label), backslashes and quotes escaped so the
    label cannot close early or turn into DOT's own escapes (``\\n``, ``\\l``)."""
    return '"' + escape_controls(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _shown(node: str, data: dict[str, object]) -> str:
    """A node's label, with its note (credits, limits) when :func:`localise` wrote one."""
    label = str(data.get("label", node))
    return f"{label} · {data['note']}" if data.get("note") else label


_DOT_SHAPES = {"code": "note", "rule": "box", "course": "ellipse", "category": "folder", "program": "doubleoctagon",
               "standard": "component"}


def to_dot(graph: nx.DiGraph) -> str:
    lines = ["digraph creditrules {", "  rankdir=LR;"]
    for node, data in sorted(graph.nodes(data=True)):
        shape = _DOT_SHAPES.get(data.get("type", ""), "box")
        lines.append(f"  {_dot_quote(node)} [label={_dot_quote(_shown(node, data))}, shape={shape}];")
    for source, target, data in sorted(graph.edges(data=True)):
        label = f" [label={_dot_quote(str(data['label']))}]" if data.get("label") else ""
        lines.append(f"  {_dot_quote(source)} -> {_dot_quote(target)}{label};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _mermaid_text(text: str) -> str:
    """Mermaid has no backslash escapes inside quoted labels; entity codes are its documented escape.
    Controls and line breaks are first shown as escapes (``\\n``), whose backslash becomes ``#92;``."""
    return "".join(f"#{ord(ch)};" if ch in '"<>&#;[]{}()|`\\' else ch for ch in escape_controls(text))


def to_mermaid(graph: nx.DiGraph) -> str:
    ids = {node: f"n{i}" for i, node in enumerate(sorted(graph.nodes))}
    lines = ["flowchart LR"]
    for node in sorted(graph.nodes):
        label = _mermaid_text(_shown(node, graph.nodes[node]))
        lines.append(f'  {ids[node]}["{label}"]')
    for source, target, data in sorted(graph.edges(data=True)):
        label = f'|"{_mermaid_text(str(data["label"]))}"|' if data.get("label") else ""
        lines.append(f"  {ids[source]} -->{label} {ids[target]}")
    return "\n".join(lines) + "\n"


def to_graphml(graph: nx.DiGraph) -> str:
    clean = nx.DiGraph()
    for node, data in sorted(graph.nodes(data=True)):
        clean.add_node(node, **{k: _xml_safe("; ".join(map(str, v)) if isinstance(v, list) else str(v))
                                for k, v in data.items()})
    for source, target, data in sorted(graph.edges(data=True)):
        clean.add_edge(source, target, **{k: _xml_safe(str(v)) for k, v in data.items()})
    buffer = io.BytesIO()
    nx.write_graphml(clean, buffer, encoding="utf-8")
    return buffer.getvalue().decode("utf-8")


_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _xml_safe(text: str) -> str:
    return _XML_ILLEGAL.sub("", text)


EXPORTERS = {"json": to_json, "dot": to_dot, "mermaid": to_mermaid, "graphml": to_graphml}

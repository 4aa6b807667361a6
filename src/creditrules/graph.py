"""The rule graph (networkx) and its exports.

Nodes are typed by a ``type`` attribute: ``code`` (an achievement code or a
certified outcome), ``rule``, ``course``, ``category``, ``program`` and
``standard``. Edges run the way credit flows: code → rule → course →
category → program, and rule → outcome code for certification rules;
standards point at the standards they extend or use.
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

from .compiled import CompiledRuleset, from_centi
from .safe_text import escape_controls

if TYPE_CHECKING:
    from .compiled import CompiledStandard
    from .loader import StandardLibrary


def _add_ruleset(graph: nx.DiGraph, ruleset: CompiledRuleset) -> None:
    std_node = f"standard:{ruleset.id}@{ruleset.version}"
    graph.add_node(std_node, type="standard", label=f"{ruleset.name_en} {ruleset.version}", name_zh=ruleset.name_zh)
    program = ruleset.program
    if program is not None:
        program_node = f"program:{program.code}"
        graph.add_node(program_node, type="program", label=program.name_en, name_zh=program.name_zh,
                       credits=from_centi(program.total_credits))
        for category in program.categories.values():
            node = f"category:{category.id}"
            graph.add_node(node, type="category", label=category.name_en, name_zh=category.name_zh,
                           required=from_centi(category.required))
            graph.add_edge(node, program_node)
        for course in program.courses.values():
            node = f"course:{course.code}"
            graph.add_node(node, type="course", label=f"{course.code} {course.name_en}", name_zh=course.name_zh,
                           credits=from_centi(course.credits))
            graph.add_edge(node, f"category:{course.category}")
    for certification in ruleset.certifications:
        _add_ruleset(graph, certification)
        graph.add_edge(std_node, f"standard:{certification.id}@{certification.version}", relation="uses")
    for rule in ruleset.rules:
        rule_node = f"rule:{rule.id}"
        graph.add_node(rule_node, type="rule", label=rule.name_en, name_zh=rule.name_zh,
                       standard=rule.origin.standard_id, version=rule.origin.version)
        graph.add_edge(std_node, rule_node, relation="defines")
        for slot in rule.slots:
            codes = slot.codes if slot.codes is not None else frozenset(
                c for c, info in ruleset.catalog.items() if info.kind in slot.kinds)
            for code in sorted(codes):
                info = ruleset.catalog[code]
                graph.add_node(f"code:{code}", type="code", label=f"{code} {info.name_en}", name_zh=info.name_zh)
                graph.add_edge(f"code:{code}", rule_node)
        for course in rule.courses:
            graph.add_edge(rule_node, f"course:{course}")
        if rule.category:
            graph.add_edge(rule_node, f"category:{rule.category}")
        if rule.outcome:
            info = ruleset.catalog.get(rule.outcome)
            graph.add_node(f"code:{rule.outcome}", type="code",
                           label=f"{rule.outcome} {info.name_en if info else ''}".strip(),
                           name_zh=info.name_zh if info else "")
            graph.add_edge(rule_node, f"code:{rule.outcome}")


def rule_graph(rulesets: Iterable[CompiledRuleset]) -> nx.DiGraph:
    """Achievements → rules → courses → categories → program, for every version."""
    graph = nx.DiGraph()
    for ruleset in rulesets:
        _add_ruleset(graph, ruleset)
    return graph


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


_DOT_SHAPES = {"code": "note", "rule": "box", "course": "ellipse", "category": "folder", "program": "doubleoctagon",
               "standard": "component"}


def to_dot(graph: nx.DiGraph) -> str:
    lines = ["digraph creditrules {", "  rankdir=LR;"]
    for node, data in sorted(graph.nodes(data=True)):
        shape = _DOT_SHAPES.get(data.get("type", ""), "box")
        lines.append(f"  {_dot_quote(node)} [label={_dot_quote(str(data.get('label', node)))}, shape={shape}];")
    for source, target in sorted(graph.edges()):
        lines.append(f"  {_dot_quote(source)} -> {_dot_quote(target)};")
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
        label = _mermaid_text(str(graph.nodes[node].get("label", node)))
        lines.append(f'  {ids[node]}["{label}"]')
    for source, target in sorted(graph.edges()):
        lines.append(f"  {ids[source]} --> {ids[target]}")
    return "\n".join(lines) + "\n"


def to_graphml(graph: nx.DiGraph) -> str:
    clean = nx.DiGraph()
    for node, data in sorted(graph.nodes(data=True)):
        clean.add_node(node, **{k: _xml_safe(str(v)) for k, v in data.items()})
    for source, target, data in sorted(graph.edges(data=True)):
        clean.add_edge(source, target, **{k: _xml_safe(str(v)) for k, v in data.items()})
    buffer = io.BytesIO()
    nx.write_graphml(clean, buffer, encoding="utf-8")
    return buffer.getvalue().decode("utf-8")


_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _xml_safe(text: str) -> str:
    return _XML_ILLEGAL.sub("", text)


EXPORTERS = {"json": to_json, "dot": to_dot, "mermaid": to_mermaid, "graphml": to_graphml}

"""The rule graph of one version as an inline SVG picture, drawn here (no Graphviz, nothing fetched).

A simple layered drawing, in the direction credit flows, left to right: achievement codes, rules,
courses (and certified outcomes), categories, the program. Each node's column is its longest path
from a node with no predecessor (a node with no predecessor sits just left of its first successor,
so a course no rule credits still stands with the courses), and all categories share a column;
within a column nodes are ordered by the barycentre of their neighbours, sweeping left and right a
few times, starting from the sorted ids, so the same graph is always drawn the same way. A long
label is cut to its column's width with "…"; its whole text is the node's tooltip (``<title>``). Every text is escaped.
"""

from __future__ import annotations

import unicodedata

import networkx as nx

from .html import Markup, el

FONT = 12  # px
NODE_H = 38
ROW_GAP = 12
COL_GAP = 150
MAX_W = 240
MIN_W = 90
PAD = 10

ALIGNED = ("category", "program")  # kinds of node drawn in one column each
KIND_ORDER = {"code": 0, "rule": 1, "course": 2, "category": 3, "program": 4}

COLOURS = {  # fill, stroke
    "code": ("#eef4ff", "#1f5fa8"),
    "rule": ("#fff7e6", "#b26b00"),
    "course": ("#eefaf2", "#1d7a46"),
    "category": ("#f5eefc", "#6b3fa0"),
    "program": ("#fdeeee", "#a33b2b"),
}


def text_width(text: str, size: float = FONT) -> float:
    """About how wide ``text`` is drawn: wide (CJK) characters a full em, others a little over half."""
    return sum(size if unicodedata.east_asian_width(ch) in "WF" else size * 0.6 for ch in text)


def clip(text: str, width: float, size: float = FONT) -> str:
    """``text`` cut with "…" so that it fits ``width``."""
    if text_width(text, size) <= width:
        return text
    out = ""
    for ch in text:
        if text_width(out + ch + "…", size) > width:
            break
        out += ch
    return out + "…"


def layers(graph: nx.DiGraph) -> dict[str, int]:
    """Each node's column: the longest path to it; nodes with no predecessor just left of their successors."""
    column: dict[str, int] = {}
    if not nx.is_directed_acyclic_graph(graph):  # not from a compiled standard; drawn by kind of node
        return {n: KIND_ORDER.get(str(graph.nodes[n].get("type")), 0) for n in graph.nodes}
    order = list(nx.topological_sort(graph))
    for node in order:
        column[node] = max((column[p] + 1 for p in graph.predecessors(node)), default=0)
    for kind in ALIGNED:  # every category in one column, the program after them
        nodes = [n for n in order if graph.nodes[n].get("type") == kind]
        for node in nodes:
            column[node] = max(column[n] for n in nodes)
        for node in order:
            column[node] = max([column[node], *(column[p] + 1 for p in graph.predecessors(node))])
    for node in sorted(graph.nodes):
        if graph.in_degree(node) == 0 and graph.out_degree(node) > 0:
            column[node] = max(0, min(column[s] for s in graph.successors(node)) - 1)
    return column


def _order(graph: nx.DiGraph, column: dict[str, int]) -> list[list[str]]:
    count = max(column.values(), default=-1) + 1
    cols: list[list[str]] = [sorted(n for n in graph.nodes if column[n] == c) for c in range(count)]
    for sweep in range(4):
        forward = sweep % 2 == 0
        indices = range(1, count) if forward else range(count - 2, -1, -1)
        for c in indices:
            ref = cols[c - 1] if forward else cols[c + 1]
            place = {n: i for i, n in enumerate(ref)}

            def centre(node: str, place: dict[str, int] = place, forward: bool = forward,
                       cur: list[str] = cols[c]) -> tuple[float, int]:
                near = graph.predecessors(node) if forward else graph.successors(node)
                spots = [place[n] for n in near if n in place]
                return (sum(spots) / len(spots) if spots else float(cur.index(node)), cur.index(node))

            cols[c] = sorted(cols[c], key=centre)
    return cols


def _point_at(x: float, *points: tuple[float, float]) -> tuple[float, float]:
    """The point of a cubic Bézier curve whose x is nearest ``x``: an edge's label sits in the gap
    right after its source, never on a box the edge passes over."""
    (ax, ay), (bx, by), (cx, cy), (dx, dy) = points
    best = (ax, ay)
    for step in range(101):
        u = step / 100
        v = 1 - u
        px = v**3 * ax + 3 * v * v * u * bx + 3 * v * u * u * cx + u**3 * dx
        py = v**3 * ay + 3 * v * v * u * by + 3 * v * u * u * cy + u**3 * dy
        if abs(px - x) < abs(best[0] - x):
            best = (px, py)
    return best


def draw(graph: nx.DiGraph, title: str) -> Markup:
    """``graph`` (labels from :func:`creditrules.graph.localise`) as one ``<svg>`` element; standard
    nodes are left out (the page says which standard it draws)."""
    shown = graph.subgraph(n for n, d in graph.nodes(data=True) if d.get("type") != "standard").copy()
    if shown.number_of_nodes() == 0:
        return el("svg", el("title", title), xmlns="http://www.w3.org/2000/svg", width=10, height=10)
    column = layers(shown)
    cols = _order(shown, column)
    widths = []
    for nodes in cols:
        longest = max((max(text_width(str(shown.nodes[n].get("label", n))),
                           text_width(str(shown.nodes[n].get("note", "")), FONT - 1)) for n in nodes), default=0)
        widths.append(max(MIN_W, min(MAX_W, longest + 2 * PAD)))
    tallest = max(len(nodes) for nodes in cols)
    height = tallest * (NODE_H + ROW_GAP) + 2 * PAD
    xs: list[float] = []
    x: float = PAD
    for w in widths:
        xs.append(x)
        x += w + COL_GAP
    width = x - COL_GAP + PAD
    box: dict[str, tuple[float, float, float]] = {}  # node → (x, y, width)
    for c, nodes in enumerate(cols):
        top = PAD + (tallest - len(nodes)) * (NODE_H + ROW_GAP) / 2
        for i, node in enumerate(nodes):
            box[node] = (xs[c], top + i * (NODE_H + ROW_GAP), widths[c])
    parts: list[Markup] = [
        el("title", title),
        Markup('<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
               'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#7a8594"/></marker></defs>'),
    ]
    labels: list[Markup] = []
    for source, target, data in sorted(shown.edges(data=True)):
        sx, sy, sw = box[source]
        tx, ty, _ = box[target]
        x1, y1, x2, y2 = sx + sw, sy + NODE_H / 2, tx, ty + NODE_H / 2
        bend = max(40.0, (x2 - x1) / 2)
        path = f"M{x1:.1f},{y1:.1f} C{x1 + bend:.1f},{y1:.1f} {x2 - bend:.1f},{y2:.1f} {x2:.1f},{y2:.1f}"
        parts.append(el("path", d=path, fill="none", stroke="#9aa4b1", stroke_width="1.2",
                        marker_end="url(#arrow)"))
        if data.get("label"):
            label = str(data["label"])
            mx, my = _point_at(x1 + COL_GAP / 2, (x1, y1), (x1 + bend, y1), (x2 - bend, y2), (x2, y2))
            labels.append(el("text", el("title", label), clip(label, COL_GAP - 12, FONT - 2), x=f"{mx:.1f}",
                             y=f"{my - 3:.1f}", class_="edge"))
    for node, (nx_, ny, nw) in sorted(box.items()):
        data = shown.nodes[node]
        fill, stroke = COLOURS.get(str(data.get("type", "")), ("#ffffff", "#5b6675"))
        label = str(data.get("label", node))
        note = str(data.get("note", ""))
        tooltip = f"{label} — {note}" if note else label
        inner: list[Markup] = [
            el("title", tooltip),
            el("rect", x=f"{nx_:.1f}", y=f"{ny:.1f}", width=f"{nw:.1f}", height=NODE_H, rx=5, fill=fill,
               stroke=stroke),
            el("text", clip(label, nw - 2 * PAD), x=f"{nx_ + PAD:.1f}", y=f"{ny + (16 if note else 23):.1f}",
               class_="label"),
        ]
        if note:
            inner.append(el("text", clip(note, nw - 2 * PAD, FONT - 1), x=f"{nx_ + PAD:.1f}", y=f"{ny + 31:.1f}",
                            class_="note"))
        parts.append(el("g", *inner, class_=f"node {data.get('type', '')}", data_id=node))
    style = Markup("<style>text{font-family:inherit;font-size:12px;fill:#1d2733}"
                   "text.note{font-size:11px;fill:#5b6675}"
                   "text.edge{font-size:10px;fill:#3d4a5a;text-anchor:middle;paint-order:stroke;"
                   "stroke:#fff;stroke-width:3px}</style>")
    return el("svg", style, *parts, *labels, xmlns="http://www.w3.org/2000/svg",
              viewBox=f"0 0 {width:.0f} {height:.0f}", width=f"{width:.0f}", height=f"{height:.0f}", role="img",
              aria_label=title)


def standalone(graph: nx.DiGraph, title: str) -> str:
    """An SVG file of its own (``creditrules graph --format svg``)."""
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + draw(graph, title) + "\n"


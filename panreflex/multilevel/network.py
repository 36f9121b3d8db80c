"""The actors network of a municipality: graph, metrics and layout with networkx, drawn as SVG.

Metrics per actor (undirected view of the relations):
- degree: how many other actors it has a relation with;
- betweenness: the share of shortest paths between two other actors that pass through it (0–1);
- brokerage between levels: how many pairs of its partners sit on two different levels and have no
  relation of their own, so that this actor is their only direct link (a broker between levels when > 0).
Layout: one row per level (federal at the top, civil society at the bottom), ordered inside the row by
networkx' spring layout, so the same network always draws the same way.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from html import escape
from itertools import combinations

import networkx as nx

from .models import LEVEL_RANK, Level

WIDTH = 1000
ROW_H = 100
MARGIN = 60


@dataclass
class ActorMetrics:
    actor: object
    degree: int
    betweenness: float
    brokerage: int

    @property
    def is_broker(self) -> bool:
        return self.brokerage > 0


def build_graph(actors, relations) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph()
    for a in actors:
        graph.add_node(a.pk, name=a.name, level=a.level, kind=a.kind, contact_role=a.contact_role,
                       parent_body=a.parent_body)
    for r in relations:
        if r.source_id in graph and r.target_id in graph:
            graph.add_edge(r.source_id, r.target_id, key=r.pk, kind=r.kind, topic=r.topic,
                           valid_from=r.valid_from.isoformat() if r.valid_from else "",
                           valid_to=r.valid_to.isoformat() if r.valid_to else "", source=r.source_ref, note=r.note)
    return graph


def metrics(graph: nx.MultiDiGraph, actors) -> list[ActorMetrics]:
    simple = nx.Graph(graph.to_undirected())
    between = nx.betweenness_centrality(simple, normalized=True) if simple.number_of_nodes() > 2 else {}
    out = []
    for a in actors:
        if a.pk not in simple:
            continue
        neighbours = list(simple.neighbors(a.pk))
        brokerage = sum(
            1 for u, w in combinations(neighbours, 2)
            if simple.nodes[u]["level"] != simple.nodes[w]["level"] and not simple.has_edge(u, w)
        )
        out.append(ActorMetrics(a, simple.degree(a.pk), round(between.get(a.pk, 0.0), 3), brokerage))
    return sorted(out, key=lambda m: (-m.betweenness, -m.degree, m.actor.name))


def layout(graph: nx.MultiDiGraph) -> tuple[dict[int, tuple[float, float]], list[str], int]:
    levels = sorted({d["level"] for _n, d in graph.nodes(data=True)}, key=lambda lv: LEVEL_RANK[Level(lv)])
    row = {lv: i for i, lv in enumerate(levels)}
    spring = nx.spring_layout(nx.Graph(graph.to_undirected()), seed=18) if graph.number_of_nodes() else {}
    positions: dict[int, tuple[float, float]] = {}
    for lv in levels:
        nodes = sorted((n for n, d in graph.nodes(data=True) if d["level"] == lv), key=lambda n: (spring[n][0], n))
        step = (WIDTH - 2 * MARGIN) / max(1, len(nodes))
        for i, n in enumerate(nodes):
            positions[n] = (MARGIN + step * (i + 0.5), 40 + row[lv] * ROW_H)
    height = 40 + max(1, len(levels)) * ROW_H
    return positions, levels, height


def render_svg(graph: nx.MultiDiGraph, *, level_labels: dict[str, str], kind_labels: dict[str, str],
               title: str, brokers: set[int]) -> str:
    positions, levels, height = layout(graph)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="network-svg" viewBox="0 0 {WIDTH} {height}" role="group" '
        f'aria-labelledby="nw-title">',
        f'<title id="nw-title">{escape(title)}</title>',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="arrow"/></marker></defs>',
    ]
    for i, lv in enumerate(levels):
        y = 40 + i * ROW_H
        parts.append(f'<rect class="nw-row" x="0" y="{y - 32}" width="{WIDTH}" height="{ROW_H - 6}"/>')
        parts.append(f'<text class="nw-row-label" x="6" y="{y - 18}">{escape(level_labels.get(lv, lv))}</text>')
    for s, t, d in graph.edges(data=True):
        (x1, y1), (x2, y2) = positions[s], positions[t]
        label = f"{graph.nodes[s]['name']} {kind_labels.get(d['kind'], d['kind'])} {graph.nodes[t]['name']}"
        if abs(y1 - y2) < 1:  # same level: an arc above the row, so it does not run through other nodes
            lift = min(ROW_H * 0.45, 14 + abs(x2 - x1) * 0.12)
            mx, my = (x1 + x2) / 2, y1 - lift
            ex = x2 - (12 if x2 > x1 else -12) * 0.7
            ey = y2 - 8
            geometry = f'<path class="edge edge-{d["kind"]}" d="M{x1:.1f},{y1 - 6:.1f} Q{mx:.1f},{my:.1f} {ex:.1f},{ey:.1f}"'
        else:
            dx, dy = x2 - x1, y2 - y1
            length = max(1.0, (dx * dx + dy * dy) ** 0.5)
            ex, ey = x2 - dx / length * 12, y2 - dy / length * 12
            geometry = f'<path class="edge edge-{d["kind"]}" d="M{x1:.1f},{y1:.1f} L{ex:.1f},{ey:.1f}"'
        parts.append(f'{geometry} data-from="{s}" data-to="{t}" marker-end="url(#arrow)"><title>{escape(label)}</title></path>')
    for n, d in graph.nodes(data=True):
        x, y = positions[n]
        cls = "node broker" if n in brokers else "node"
        words, lines = d["name"].replace("[Demo] ", "").split(), [""]
        for word in words:
            if lines[-1] and len(lines[-1]) + len(word) > 18 and len(lines) < 2:
                lines.append("")
            lines[-1] = f"{lines[-1]} {word}".strip()
        text = "".join(f'<tspan x="{x:.1f}" dy="{0 if i == 0 else 11}">{escape(line[:30])}</tspan>'
                       for i, line in enumerate(lines))
        parts.append(f'<g class="{cls}" data-node="{n}" tabindex="0" role="button" aria-pressed="false" '
                     f'aria-label="{escape(d["name"])}"><circle cx="{x:.1f}" cy="{y:.1f}" r="10"/>'
                     f'<title>{escape(d["name"])}</title>'
                     f'<text x="{x:.1f}" y="{y + 22:.1f}" text-anchor="middle">{text}</text></g>')
    parts.append("</svg>")
    return "".join(parts)


def graphml(graph: nx.MultiDiGraph) -> bytes:
    out = io.BytesIO()
    nx.write_graphml(graph, out, encoding="utf-8")
    return out.getvalue()

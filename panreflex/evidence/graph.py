"""The evidence chain as an SVG graph, laid out with networkx (layers: recommendation → evidence →
sources). Pure server-side SVG: no JavaScript, all text escaped, a title and description for screen
readers; the plain list on the same page is the text alternative."""

from __future__ import annotations

from html import escape

import networkx as nx
from django.utils.translation import gettext as _

from .chain import Chain, Node

NODE_W, NODE_H = 290, 54
COL_GAP, ROW_GAP = 90, 18
STYLE = {  # fill, stroke dash (strength is also written as text; colour is never the only cue)
    "evaluated": ("#e3f1e6", ""),
    "documented": ("#e7eef8", ""),
    "press": ("#fff1d6", "6 3"),
    None: ("#f2f2f2", "2 3"),
}


def _wrap(text: str, width: int = 38, lines: int = 2) -> list[str]:
    words, out, cur = text.split(), [], ""
    for word in words:
        if len(cur) + len(word) + 1 > width:
            out.append(cur)
            cur = word
            if len(out) == lines:
                break
        else:
            cur = f"{cur} {word}".strip()
    if len(out) < lines and cur:
        out.append(cur)
    if len(" ".join(out)) < len(text):
        out[-1] = out[-1][: width - 1].rstrip() + "…"
    return out or [""]


def build_graph(chain: Chain) -> nx.DiGraph:
    g = nx.DiGraph()

    def add(node: Node, layer: int, parent: str | None):
        g.add_node(node.key, layer=layer, node=node)
        if parent:
            g.add_edge(parent, node.key)
        for child in node.children:
            if child.key not in g:
                add(child, layer + 1, node.key)
            else:
                g.add_edge(node.key, child.key)

    add(chain.root, 0, None)
    return g


def render_svg(chain: Chain, *, title_id: str = "graph-title", desc_id: str = "graph-desc") -> str:
    g = build_graph(chain)
    layers: dict[int, list[str]] = {}
    for key, data in g.nodes(data=True):
        layers.setdefault(data["layer"], []).append(key)
    # networkx multipartite layout gives the layered positions; we scale them to rows of equal height
    pos = nx.multipartite_layout(g, subset_key="layer", align="vertical") if len(g) > 1 else {chain.root.key: (0, 0)}
    rows = max(len(v) for v in layers.values())
    height = max(rows * (NODE_H + ROW_GAP) + ROW_GAP + 30, 140)
    width = len(layers) * (NODE_W + COL_GAP) + 20
    coords = {}
    for layer, keys in layers.items():
        keys.sort(key=lambda k: -pos[k][1])
        block = len(keys) * (NODE_H + ROW_GAP) - ROW_GAP
        top = (height - 30 - block) / 2 + 30
        for i, key in enumerate(keys):
            coords[key] = (10 + layer * (NODE_W + COL_GAP), top + i * (NODE_H + ROW_GAP))
    desc = _("Evidence graph of “%(title)s”: %(n)s pieces of evidence. The same chain is listed as text below.") % {
        "title": chain.root.label, "n": len(chain.links)}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="evidence-graph" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="{title_id} {desc_id}">',
        f'<title id="{title_id}">{escape(_("Evidence chain"))}</title><desc id="{desc_id}">{escape(desc)}</desc>',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#555"/></marker></defs>',
    ]
    heads = [_("Recommendation"), _("Evidence"), _("Sources")]
    for layer in layers:
        x = 10 + layer * (NODE_W + COL_GAP)
        parts.append(f'<text x="{x}" y="18" font-size="13" font-weight="700" fill="#222">'
                     f'{escape(heads[layer] if layer < len(heads) else "")}</text>')
    for a, b in g.edges():
        (x1, y1), (x2, y2) = coords[a], coords[b]
        parts.append(f'<line x1="{x1 + NODE_W}" y1="{y1 + NODE_H / 2}" x2="{x2}" y2="{y2 + NODE_H / 2}" '
                     f'stroke="#555" stroke-width="1.3" marker-end="url(#arrow)"/>')
    for key, data in g.nodes(data=True):
        node: Node = data["node"]
        x, y = coords[key]
        fill, dash = STYLE.get(node.strength, STYLE[None])
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(f'<g><rect x="{x}" y="{y}" width="{NODE_W}" height="{NODE_H}" rx="5" fill="{fill}" '
                     f'stroke="#333"{dash_attr}/>')
        kind = node.kind_label or _("Recommendation")
        strength = node.strength_label or _("strength unknown")
        parts.append(f'<text x="{x + 8}" y="{y + 15}" font-size="10" fill="#333">{escape(kind)} · {escape(strength)}</text>')
        for i, line in enumerate(_wrap(node.label)):
            parts.append(f'<text x="{x + 8}" y="{y + 31 + i * 14}" font-size="12" fill="#111">{escape(line)}</text>')
        parts.append("</g>")
    if not chain.links:
        x, y = coords[chain.root.key]
        parts.append(f'<text x="{x + NODE_W + 20}" y="{y + NODE_H / 2 + 4}" font-size="13" font-weight="700" '
                     f'fill="#a00">⚠ {escape(_("No evidence"))}</text>')
    parts.append("</svg>")
    return "".join(parts)

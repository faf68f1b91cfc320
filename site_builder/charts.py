"""Charts drawn at build time as inline SVG: verdict bars, claim maps, timelines.

No script and no inline style (the pages' CSP forbids both): colours come
from the stylesheet's `tone-*` classes, so a chart follows the light and dark
themes like the badges do. Every chart carries its words as text (labels,
counts, <title>, <desc>) and the page shows a text equivalent after it.
Layouts depend only on their input's order, so the same archive draws the
same bytes.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from markupsafe import Markup, escape

SVG_NS = "http://www.w3.org/2000/svg"
MAP_LABEL_CHARS = 22


@dataclass(frozen=True, slots=True)
class Bar:
    label: str  # the verdict's name
    tone: str  # its colour family, as the stylesheet's tone-* classes name it
    count: int


@dataclass(frozen=True, slots=True)
class MapNode:
    url: str  # the claim's page
    claim: str  # the claim, in full
    verdict: str  # its verdict's label
    tone: str  # the verdict's colour family


@dataclass(frozen=True, slots=True)
class MapEdge:
    a: int  # indices into the map's nodes
    b: int
    relation: str  # "counterclaim" or "shared": a quote or source in common


@dataclass(frozen=True, slots=True)
class TimelinePoint:
    date: dt.date  # when the claim was made
    claim: str
    verdict: str  # the verdict's label
    tone: str


def truncate(text: str, limit: int) -> str:
    """At most `limit` characters, an ellipsis marking a cut."""
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _svg(css_class: str, width: float, height: float, title: str, desc: str, body: list[str], role: str = "img") -> Markup:
    return Markup(
        f'<svg xmlns="{SVG_NS}" class="chart {css_class}" viewBox="0 0 {_num(width)} {_num(height)}" role="{role}">'
        f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>{''.join(body)}</svg>"
    )


def verdict_bars(bars: list[Bar], title: str) -> Markup:
    """One labelled bar per verdict with its count; the widest bar is the most common verdict."""
    row, label_width, bar_space, width = 30, 170, 250, 480
    most = max((bar.count for bar in bars), default=0) or 1
    body = []
    for index, bar in enumerate(bars):
        y = index * row
        length = max(2.0, bar_space * bar.count / most)
        body.append(
            f'<g class="tone-{escape(bar.tone)}">'
            f'<text class="chart-label" x="0" y="{y + 19}">{escape(truncate(bar.label, 24))}</text>'
            f'<rect class="chart-bar" x="{label_width}" y="{y + 5}" width="{_num(length)}" height="20" rx="3"/>'
            f'<text class="chart-count" x="{_num(label_width + length + 8)}" y="{y + 19}">{bar.count}</text></g>'
        )
    desc = "; ".join(f"{bar.label}: {_plural(bar.count, 'claim', 'claims')}" for bar in bars) + "."
    return _svg("chart-bars", width, max(row, row * len(bars)), title, desc, body)


def claim_map(nodes: list[MapNode], edges: list[MapEdge], title: str, desc: str, centred: bool) -> Markup:
    """Nodes on an ellipse, the first in the middle when `centred`; every node a link to its claim.

    Labels alternate below and above their node, so neighbours on the ring
    never write on the same line.
    """
    width, height = 760.0, 520.0
    cx, cy, rx, ry = width / 2, (height - 40) / 2, 290.0, 180.0
    ring = nodes[1:] if centred else nodes
    positions = [(cx, cy)] if centred else []
    for index in range(len(ring)):
        angle = -math.pi / 2 + 2 * math.pi * index / max(1, len(ring))
        positions.append((cx + rx * math.cos(angle), cy + ry * math.sin(angle)))
    if not centred and len(ring) == 1:
        positions = [(cx, cy)]
    body = [_edge(positions[e.a], positions[e.b], e.relation) for e in edges]
    labels = []
    for index, (node, (x, y)) in enumerate(zip(nodes, positions)):
        radius = 16 if centred and index == 0 else 13
        above = (index % 2 == 1) and not (centred and index == 0)
        first_line = y - radius - 22 if above else y + radius + 16
        name = f"{node.claim} (verdict: {node.verdict})"
        # The labels are drawn outside the link, over a clear area of it: truncated
        # words inside would make a link whose visible text its name does not contain.
        area_top = first_line - 13 if above else y - radius
        body.append(
            f'<a href="{escape(node.url)}" class="map-node tone-{escape(node.tone)}" aria-label="{escape(name)}">'
            f"<title>{escape(name)}</title>"
            f'<rect class="map-hit" x="{_num(x - 75)}" y="{_num(area_top)}" width="150" height="{_num(first_line + 19 - area_top if not above else y + radius - area_top)}"/>'
            f'<circle cx="{_num(x)}" cy="{_num(y)}" r="{radius}"/></a>'
        )
        labels.append(
            f'<g class="map-label tone-{escape(node.tone)}" aria-hidden="true">'
            f'<text class="map-claim" x="{_num(x)}" y="{_num(first_line)}">{escape(truncate(node.claim, MAP_LABEL_CHARS))}</text>'
            f'<text class="map-verdict" x="{_num(x)}" y="{_num(first_line + 15)}">{escape(truncate(node.verdict, MAP_LABEL_CHARS))}</text></g>'
        )
    body += labels
    body.append(_legend(height))
    return _svg("claim-map", width, height, title, desc, body, role="group")


def _edge(a: tuple[float, float], b: tuple[float, float], relation: str) -> str:
    return (f'<line class="map-edge edge-{relation}" x1="{_num(a[0])}" y1="{_num(a[1])}" '
            f'x2="{_num(b[0])}" y2="{_num(b[1])}"/>')


def _legend(height: float) -> str:
    y = height - 14
    return (
        f'<g class="map-legend" aria-hidden="true">'
        f'<line class="map-edge edge-counterclaim" x1="10" y1="{_num(y - 5)}" x2="50" y2="{_num(y - 5)}"/>'
        f'<text x="58" y="{_num(y)}">Counterclaim</text>'
        f'<line class="map-edge edge-shared" x1="200" y1="{_num(y - 5)}" x2="240" y2="{_num(y - 5)}"/>'
        f'<text x="248" y="{_num(y)}">Shares a quote or source</text></g>'
    )


def timeline(points: list[TimelinePoint], title: str, first_label: str, last_label: str) -> Markup:
    """Claims as dots on a time axis by the date they were made; claims of one day stack up."""
    width, left, right, dot, gap = 720.0, 20.0, 700.0, 7, 16
    points = sorted(points, key=lambda p: p.date)
    first, last = points[0].date, points[-1].date
    span = (last - first).days

    def x_of(day: dt.date) -> float:
        return (left + right) / 2 if span == 0 else left + (right - left) * (day - first).days / span

    stacks: dict[int, int] = {}
    placed = []
    for point in points:
        column = round(x_of(point.date) / gap)
        level = stacks.get(column, 0)
        stacks[column] = level + 1
        placed.append((point, x_of(point.date), level))
    levels = max(stacks.values())
    axis_y = 20 + levels * gap
    body = [f'<line class="timeline-axis" x1="{left}" y1="{axis_y}" x2="{right}" y2="{axis_y}"/>']
    for point, x, level in placed:
        body.append(f'<circle class="timeline-dot tone-{escape(point.tone)}" cx="{_num(x)}" cy="{_num(axis_y - 10 - level * gap)}" r="{dot}"/>')
    body.append(f'<text class="timeline-date" x="{left}" y="{axis_y + 22}">{escape(first_label)}</text>')
    if span:
        body.append(f'<text class="timeline-date timeline-end" x="{right}" y="{axis_y + 22}">{escape(last_label)}</text>')
    legend_y = axis_y + 50
    seen: dict[str, str] = {}
    for point in points:
        seen.setdefault(point.verdict, point.tone)
    x = left
    for verdict, tone in sorted(seen.items()):
        step = 2 * dot + 18 + 8 * len(verdict)
        if x + step > right and x > left:
            x, legend_y = left, legend_y + 22
        body.append(f'<circle class="timeline-dot tone-{escape(tone)}" cx="{_num(x + dot)}" cy="{legend_y - 5}" r="{dot}"/>'
                    f'<text class="chart-label" x="{_num(x + 2 * dot + 6)}" y="{legend_y}">{escape(verdict)}</text>')
        x += step
    desc = (f"{_plural(len(points), 'claim', 'claims')} made between {first_label} and {last_label}: "
            + "; ".join(f"{p.date.isoformat()}, {p.verdict}" for p in points) + ".")
    return _svg("timeline", width, legend_y + 10, title, desc, body)

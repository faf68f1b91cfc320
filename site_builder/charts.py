"""Charts drawn at build time as inline SVG: verdict bars, claim maps, timelines.

No script and no inline style (the pages' CSP forbids both): colours come
from the stylesheet's `tone-*` classes, so a chart follows the light and dark
themes like the badges do. Every chart carries its words as text (labels,
counts, <title>, <desc>) and the page shows a text equivalent after it.
Layouts depend only on their input's order, so the same archive draws the
same bytes.

Every word comes from the interface's catalogue, as whole sentences. In a
right-to-left language the layouts are mirrored by their coordinates (bars
grow leftwards from the labels on the right, time runs from right to left),
never by a transform, which would mirror the glyphs too; the <svg> carries
direction="rtl", so text shapes and orders right to left and its `start`
anchor is its right end.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup, escape

from .i18n import Interface
from .text import direction

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
    lang: str | None = None  # the claim's language when it is not the site's


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
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _mirror(ui: Interface, width: float) -> Callable[[float], float]:
    """An x coordinate as the interface's direction places it: itself, or its reflection across the chart."""
    return (lambda x: width - x) if ui.dir == "rtl" else (lambda x: x)


def _listing(ui: Interface, items: list[str]) -> str:
    # Translators: separates the entries of a chart's description, as in "False: 2 claims; True: 1 claim".
    return ui.gettext("; ").join(items)


def _svg(
    css_class: str,
    width: float,
    height: float,
    title: str,
    desc: str,
    body: list[str],
    ui: Interface,
    role: str = "img",
) -> Markup:
    direction = ' direction="rtl"' if ui.dir == "rtl" else ""
    return Markup(
        f'<svg xmlns="{SVG_NS}" class="chart {css_class}" viewBox="0 0 {_num(width)} {_num(height)}" role="{role}"{direction}>'
        f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>{''.join(body)}</svg>"
    )


def verdict_bars(bars: list[Bar], title: str, ui: Interface) -> Markup:
    """One labelled bar per verdict with its count; the widest bar is the most common verdict.

    Labels stand at the reading side's edge, the bars grow away from them and
    each count follows its bar's end.
    """
    row, label_width, bar_space, width = 30, 170, 250, 480
    mx = _mirror(ui, width)
    most = max((bar.count for bar in bars), default=0) or 1
    body = []
    for index, bar in enumerate(bars):
        y = index * row
        length = max(2.0, bar_space * bar.count / most)
        drawn = _num(length)
        # The left end as drawn, from the rounded length: right to left, every bar then ends on one line.
        start = _num(min(mx(label_width), mx(label_width + float(drawn))))
        body.append(
            f'<g class="tone-{escape(bar.tone)}">'
            f'<text class="chart-label" x="{_num(mx(0))}" y="{y + 19}">{escape(truncate(bar.label, 24))}</text>'
            f'<rect class="chart-bar" x="{start}" y="{y + 5}" width="{drawn}" height="20" rx="3"/>'
            f'<text class="chart-count" x="{_num(mx(label_width + length + 8))}" y="{y + 19}">{bar.count}</text></g>'
        )
    # Translators: one verdict in a verdict chart's description, with how many claims have it.
    desc = (
        _listing(
            ui,
            [
                ui.ngettext("%(verdict)s: %(num)d claim", "%(verdict)s: %(num)d claims", bar.count, verdict=bar.label)
                for bar in bars
            ],
        )
        + "."
    )
    return _svg("chart-bars", width, max(row, row * len(bars)), title, desc, body, ui)


# A phone's screen: 360 px less the page's margins. Narrow layouts are drawn at
# this width so that they show at their own size there, their text at 13 px.
NARROW_WIDTH = 328.0
NARROW_LINE_CHARS = 34  # claim words per line beside a narrow map's node (an estimate: no fonts at build time)


def wrap(text: str, limit: int) -> list[str]:
    """Lines of at most `limit` characters, broken between words (a longer word stands alone)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= limit:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def claim_map_narrow(
    nodes: list[MapNode], edges: list[MapEdge], title: str, desc: str, centred: bool, ui: Interface
) -> Markup:
    """The claim map for a phone: the claims in a column, each written out in full beside its node,
    and the links between them as arcs along the reading side (an arc diagram).

    Nothing is scaled down or cut: the column grows as long as the claims need.
    """
    width = NARROW_WIDTH
    mx = _mirror(ui, width)
    node_x, text_x, line = 44.0, 66.0, 17
    tops, lines_of = [], []
    y = 10.0
    for node in nodes:
        lines = wrap(node.claim, NARROW_LINE_CHARS)
        tops.append(y)
        lines_of.append(lines)
        y += line * (len(lines) + 1) + 16
    centres = [top + line * (len(lines) + 1) / 2 - 4 for top, lines in zip(tops, lines_of)]
    arcs = []
    for e in edges:
        y1, y2 = centres[e.a], centres[e.b]
        bulge = min(node_x - 6, 10 + abs(y2 - y1) / 6)
        arcs.append(
            (
                e.relation,
                f"M{_num(mx(node_x))} {_num(y1)}C{_num(mx(node_x - bulge))} {_num(y1)} "
                f"{_num(mx(node_x - bulge))} {_num(y2)} {_num(mx(node_x))} {_num(y2)}",
            )
        )
    body = _edge_paths(arcs)
    for index, (node, top, lines, cy) in enumerate(zip(nodes, tops, lines_of, centres)):
        radius = 12 if centred and index == 0 else 9
        height = line * (len(lines) + 1) + 8
        # A space ends each line but the last, so the link's name reads as words, not "alldistricts".
        # The first line starts where its <text> does, so only the others say where they go.
        places = [""] + [f' x="{_num(mx(text_x))}" y="{_num(top + line * (n + 1))}"' for n in range(1, len(lines))]
        text = "".join(
            f"<tspan{place}>{escape(words)}{' ' if n < len(lines) - 1 else ''}</tspan>"
            for n, (words, place) in enumerate(zip(lines, places))
        )
        # The words are whole here, so they are the link's name, as a reader sees them: claim, then verdict.
        body.append(
            f'<a href="{escape(node.url)}" class="map-node tone-{escape(node.tone)}">'
            f'<rect class="map-hit" x="{_num(min(mx(node_x - 14), mx(width)))}" y="{_num(top)}" width="{_num(width - node_x + 14)}" height="{_num(height)}"/>'
            f'<circle cx="{_num(mx(node_x))}" cy="{_num(cy)}" r="{radius}"/>'
            f'<text class="map-claim{_against(node.lang, ui)}" x="{_num(mx(text_x))}" y="{_num(top + line)}"{_language(node.lang)}>{text} </text>'
            f'<text class="map-verdict" x="{_num(mx(text_x))}" y="{_num(top + line * (len(lines) + 1))}">{escape(node.verdict)}</text></a>'
        )
    body.append(_legend_narrow(y + 6, ui, mx))
    return _svg("claim-map claim-map-narrow chart-narrow", width, y + 50, title, desc, body, ui, role="group")


def _against(lang: str | None, ui: Interface) -> str:
    """A class for a claim written against the chart's direction (English in a Dari chart):
    its words then end at the column's edge instead of starting there, and stay inside."""
    return " against-direction" if lang and direction(lang) != ui.dir else ""


def _legend_narrow(y: float, ui: Interface, mx: Callable[[float], float]) -> str:
    """The legend's two kinds of line, one under the other."""
    entries = []
    for n, (relation, name) in enumerate(
        (("counterclaim", ui.gettext("Counterclaim")), ("shared", ui.gettext("Shares a quote or source")))
    ):
        at = y + 16 + 20 * n
        entries.append(
            f'<line class="map-edge edge-{relation}" x1="{_num(mx(4))}" y1="{_num(at - 5)}" '
            f'x2="{_num(mx(40))}" y2="{_num(at - 5)}"/>'
            f'<text x="{_num(mx(48))}" y="{_num(at)}">{escape(name)}</text>'
        )
    return f'<g class="map-legend" aria-hidden="true">{"".join(entries)}</g>'


def claim_map(
    nodes: list[MapNode],
    edges: list[MapEdge],
    title: str,
    desc: str,
    centred: bool,
    ui: Interface,
    named: bool = True,
) -> Markup:
    """Nodes on an ellipse, the first in the middle when `centred`; every node a link to its claim.

    Labels alternate below and above their node, so neighbours on the ring
    never write on the same line. The ring starts at the top and runs in the
    reading direction: clockwise, or anticlockwise right to left.

    Unless `named`, the map is a picture of a list the page gives beside it, which is
    the map's text: hidden from assistive technology, with no name for itself or its
    links, which a mouse can follow but the keyboard skips (the list's links are the same).
    """
    width, height = 760.0, 520.0
    mx = _mirror(ui, width)
    cx, cy, rx, ry = width / 2, (height - 40) / 2, 290.0, 180.0
    ring = nodes[1:] if centred else nodes
    positions = [(cx, cy)] if centred else []
    for index in range(len(ring)):
        angle = -math.pi / 2 + 2 * math.pi * index / max(1, len(ring))
        positions.append((mx(cx + rx * math.cos(angle)), cy + ry * math.sin(angle)))
    if not centred and len(ring) == 1:
        positions = [(cx, cy)]
    body = _edge_paths(
        [
            (
                e.relation,
                f"M{_num(positions[e.a][0])} {_num(positions[e.a][1])}"
                f"L{_num(positions[e.b][0])} {_num(positions[e.b][1])}",
            )
            for e in edges
        ]
    )
    labels = []
    hidden = ' aria-hidden="true"' if named else ""  # inside a hidden map, once for all
    for index, (node, (x, y)) in enumerate(zip(nodes, positions)):
        radius = 16 if centred and index == 0 else 13
        above = (index % 2 == 1) and not (centred and index == 0)
        first_line = y - radius - 22 if above else y + radius + 16
        # Translators: a claim map's link to a claim, as screen readers announce it.
        name = ui.gettext("%(claim)s (verdict: %(verdict)s)", claim=node.claim, verdict=node.verdict)
        named_as = f' aria-label="{escape(name)}"><title>{escape(name)}</title>' if named else ' tabindex="-1">'
        area_top = first_line - 13 if above else y - radius
        area = (
            f'x="{_num(x - 75)}" y="{_num(area_top)}" width="150" '
            f'height="{_num(first_line + 19 - area_top if not above else y + radius - area_top)}"'
        )
        claim_words = escape(truncate(node.claim, MAP_LABEL_CHARS))
        verdict_words = escape(truncate(node.verdict, MAP_LABEL_CHARS))
        if not named:
            # A picture of the page's list, named by nothing: its label goes inside its link, one
            # <text> with the verdict's line a <tspan>, its tone and the hit area's fill from the
            # link's classes (site.css, .map-node rect): 75 bytes a node, 2.5% of a claim page.
            body.append(
                f'<a href="{escape(node.url)}" class="map-node tone-{escape(node.tone)}"{named_as}'
                f'<rect {area}/><circle cx="{_num(x)}" cy="{_num(y)}" r="{radius}"/>'
                f'<text class="map-claim" x="{_num(x)}" y="{_num(first_line)}"{_language(node.lang)}>{claim_words}'
                f'<tspan class="map-verdict" x="{_num(x)}" dy="15">{verdict_words}</tspan></text></a>'
            )
            continue
        # The labels are drawn outside the link, over a clear area of it: truncated
        # words inside would make a link whose visible text its name does not contain.
        body.append(
            f'<a href="{escape(node.url)}" class="map-node tone-{escape(node.tone)}"{named_as}'
            f'<rect class="map-hit" {area}/>'
            f'<circle cx="{_num(x)}" cy="{_num(y)}" r="{radius}"/></a>'
        )
        labels.append(
            f'<g class="map-label tone-{escape(node.tone)}"{hidden}>'
            f'<text class="map-claim" x="{_num(x)}" y="{_num(first_line)}"{_language(node.lang)}>{claim_words}</text>'
            f'<text class="map-verdict" x="{_num(x)}" y="{_num(first_line + 15)}">{verdict_words}</text></g>'
        )
    body += labels
    body.append(_legend(height, ui, mx, hidden))
    if not named:
        direction = ' direction="rtl"' if ui.dir == "rtl" else ""
        return Markup(
            f'<svg xmlns="{SVG_NS}" class="chart claim-map chart-wide" viewBox="0 0 {_num(width)} {_num(height)}" '
            f'aria-hidden="true" focusable="false"{direction}>{"".join(body)}</svg>'
        )
    return _svg("claim-map chart-wide", width, height, title, desc, body, ui, role="group")


def _language(lang: str | None) -> str:
    """A claim's own language and direction, inside a chart drawn in the site's."""
    return f' lang="{escape(lang)}" direction="{direction(lang)}"' if lang else ""


def _edge_paths(edges: list[tuple[str, str]]) -> list[str]:
    """The links between claims as one path per kind, each link a subpath of it ("M…"): a map with
    a dozen links drew a dozen elements, every one repeating its classes."""
    by_relation: dict[str, list[str]] = {}
    for relation, subpath in edges:
        by_relation.setdefault(relation, []).append(subpath)
    return [
        f'<path class="map-edge edge-{relation}" d="{"".join(subpaths)}"/>'
        for relation, subpaths in by_relation.items()
    ]


def _legend(height: float, ui: Interface, mx: Callable[[float], float], hidden: str = ' aria-hidden="true"') -> str:
    """A sample of each kind of line and its name, from the reading side's edge."""
    y = height - 14
    # Translators: the claim map's legend: the line joining a claim and its counterclaim.
    counterclaim = ui.gettext("Counterclaim")
    # Translators: the claim map's legend: the line joining claims that cite a quote or source in common.
    shared = ui.gettext("Shares a quote or source")
    # The second entry moves along when the first one's name is long (an estimate: no fonts at build time).
    second = max(200, 58 + 8 * len(counterclaim) + 24)
    entries = []
    for at, relation, name in ((10, "counterclaim", counterclaim), (second, "shared", shared)):
        entries.append(
            f'<line class="map-edge edge-{relation}" x1="{_num(mx(at))}" y1="{_num(y - 5)}" '
            f'x2="{_num(mx(at + 40))}" y2="{_num(y - 5)}"/>'
            f'<text x="{_num(mx(at + 48))}" y="{_num(y)}">{escape(name)}</text>'
        )
    return f'<g class="map-legend"{hidden}>{"".join(entries)}</g>'


def timeline(points: list[TimelinePoint], title: str, ui: Interface, narrow: bool = False) -> Markup:
    """Claims as dots on a time axis by the date they were made; claims of one day stack up.

    Time runs in the reading direction: right to left, the earliest claim is at the right end.
    `narrow` draws it for a phone's width, at its own size there, rather than the wide one scaled down.
    """
    width = NARROW_WIDTH if narrow else 720.0
    left, right, dot, gap = 20.0, width - 20, 7, 16
    mx = _mirror(ui, width)
    points = sorted(points, key=lambda p: p.date)
    first, last = points[0].date, points[-1].date
    first_label, last_label = ui.date(first), ui.date(last)
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
    body = [f'<line class="timeline-axis" x1="{mx(left)}" y1="{axis_y}" x2="{mx(right)}" y2="{axis_y}"/>']
    for point, x, level in placed:
        body.append(
            f'<circle class="timeline-dot tone-{escape(point.tone)}" cx="{_num(mx(x))}" cy="{_num(axis_y - 10 - level * gap)}" r="{dot}"/>'
        )
    # Each date reads away from its end of the axis: `start` and the stylesheet's `end` follow the direction.
    body.append(f'<text class="timeline-date" x="{mx(left)}" y="{axis_y + 22}">{escape(first_label)}</text>')
    if span:
        body.append(
            f'<text class="timeline-date timeline-end" x="{mx(right)}" y="{axis_y + 22}">{escape(last_label)}</text>'
        )
    legend_y = axis_y + 50
    seen: dict[str, str] = {}
    for point in points:
        seen.setdefault(point.verdict, point.tone)
    x = left
    for verdict, tone in sorted(seen.items()):
        step = 2 * dot + 18 + 8 * len(verdict)
        if x + step > right and x > left:
            x, legend_y = left, legend_y + 22
        body.append(
            f'<circle class="timeline-dot tone-{escape(tone)}" cx="{_num(mx(x + dot))}" cy="{legend_y - 5}" r="{dot}"/>'
            f'<text class="chart-label" x="{_num(mx(x + 2 * dot + 6))}" y="{legend_y}">{escape(verdict)}</text>'
        )
        x += step
    # Translators: one claim in a timeline's description: the date it was made (YYYY-MM-DD) and its verdict.
    entries = [ui.gettext("%(date)s, %(verdict)s", date=p.date.isoformat(), verdict=p.verdict) for p in points]
    if span:
        desc = ui.ngettext(
            "%(num)d claim made between %(first)s and %(last)s: %(claims)s.",
            "%(num)d claims made between %(first)s and %(last)s: %(claims)s.",
            len(points),
            first=first_label,
            last=last_label,
            claims=_listing(ui, entries),
        )
    else:
        desc = ui.ngettext(
            "%(num)d claim made on %(date)s: %(claims)s.",
            "%(num)d claims made on %(date)s: %(claims)s.",
            len(points),
            date=first_label,
            claims=_listing(ui, entries),
        )
    return _svg(
        "timeline chart-narrow" if narrow else "timeline chart-wide", width, legend_y + 10, title, desc, body, ui
    )

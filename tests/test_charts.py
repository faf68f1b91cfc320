"""The SVG charts on their own: well-formed, named, in the interface's words, and mirrored right to left.

Each chart is drawn for English and for Dari (right to left) and parsed as
XML. A shouting interface (every word upper-cased) and a small Dari catalogue
show that the charts' words come from the interface, not from the code.
"""

from __future__ import annotations

import ast
import datetime as dt
import gettext
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file

from site_builder import charts, i18n
from site_builder.charts import Bar, MapEdge, MapNode, TimelinePoint

SVG = "{http://www.w3.org/2000/svg}"
LANGUAGES = ["en", "fa-AF"]

BARS = [
    Bar("False", "false", 5),
    Bar("Mostly true", "mostly-true", 2),
    Bar("True", "true", 1),
    Bar("Unproven", "unproven", 0),
]
NODES = [
    MapNode(f"/claims/c{i}/", f"Claim number {i} about the harbour bridge", f"Verdict {i}", "false") for i in range(5)
]
EDGES = [MapEdge(0, 1, "counterclaim"), MapEdge(0, 2, "shared"), MapEdge(3, 4, "shared")]
FIRST, LAST = dt.date(2021, 9, 4), dt.date(2023, 8, 5)
# Given out of order: the timeline sorts them by date.
POINTS = [
    TimelinePoint(LAST, "Latest", "True", "true"),
    TimelinePoint(FIRST, "Earliest", "False", "false"),
    TimelinePoint(dt.date(2022, 3, 1), "Middle", "Mostly true", "mostly-true"),
]


def parse(markup: str) -> ET.Element:
    svg = ET.fromstring(str(markup))
    assert svg.tag == f"{SVG}svg"
    return svg


def view_width(svg: ET.Element) -> float:
    return float(svg.get("viewBox").split()[2])


def draw_all(ui: i18n.Interface) -> dict[str, ET.Element]:
    """Every kind of chart, with the edge cases of each (one bar, one node, one day)."""
    return {
        "bars": parse(charts.verdict_bars(BARS, "Verdicts", ui)),
        "one bar": parse(charts.verdict_bars(BARS[:1], "Verdicts", ui)),
        "centred map": parse(charts.claim_map(NODES, EDGES, "Related claims", "The claims and their links.", True, ui)),
        "ring map": parse(
            charts.claim_map(NODES, EDGES, "Claims on the topic", "The claims and their links.", False, ui)
        ),
        "one-node map": parse(charts.claim_map(NODES[:1], [], "Claims on the topic", "One claim.", False, ui)),
        "timeline": parse(charts.timeline(POINTS, "Claims by date", ui)),
        "one-day timeline": parse(charts.timeline(POINTS[:1], "Claims by date", ui)),
        "narrow centred map": parse(
            charts.claim_map_narrow(NODES, EDGES, "Related claims", "The claims and their links.", True, ui)
        ),
        "narrow map": parse(
            charts.claim_map_narrow(NODES, EDGES, "Claims on the topic", "The claims and their links.", False, ui)
        ),
        "narrow timeline": parse(charts.timeline(POINTS, "Claims by date", ui, narrow=True)),
    }


class Shouting(gettext.NullTranslations):
    """Translates into capitals, leaving the %(name)s placeholders as they are."""

    @staticmethod
    def _shout(message: str) -> str:
        return "".join(part if part.startswith("%(") else part.upper() for part in re.split(r"(%\(\w+\)[sd])", message))

    def gettext(self, message: str) -> str:
        return self._shout(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._shout(singular if n == 1 else plural)


def shouting(tag: str) -> i18n.Interface:
    return i18n.Interface(tag, Shouting(), i18n.cldr_locale(tag))


@pytest.mark.parametrize("tag", LANGUAGES)
def test_every_chart_is_well_formed_named_and_says_its_direction(tag):
    ui = i18n.interface(tag)
    for name, svg in draw_all(ui).items():
        assert svg.findtext(f"{SVG}title"), name
        assert svg.findtext(f"{SVG}desc"), name
        assert svg.get("direction") == ("rtl" if tag == "fa-AF" else None), name
        # Mirrored by coordinates: a transform would mirror the glyphs too.
        assert not [el for el in svg.iter() if el.get("transform")], name


@pytest.mark.parametrize("tag", LANGUAGES)
@pytest.mark.parametrize("centred", [True, False])
def test_claim_map_has_one_named_link_per_claim(tag, centred):
    ui = i18n.interface(tag)
    svg = parse(charts.claim_map(NODES, EDGES, "Related claims", "The claims and their links.", centred, ui))
    links = svg.findall(f"{SVG}a")
    assert [a.get("href") for a in links] == [node.url for node in NODES]
    for a, node in zip(links, NODES):
        label = a.get("aria-label")
        assert label and node.claim in label and node.verdict in label
        assert a.findtext(f"{SVG}title") == label
    assert map_edges(svg) == [e.relation for e in EDGES]


def map_edges(svg: ET.Element) -> list[str]:
    """The relation of each link a map draws: one path per relation, one subpath ("M…") per link."""
    found = []
    for path in svg.findall(f"{SVG}path"):
        relation = path.get("class").removeprefix("map-edge edge-")
        found += [relation] * path.get("d").count("M")
    return found


def bar_rows(svg: ET.Element) -> list[tuple[float, float, float, float]]:
    """(label x, bar x, bar width, count x) for each bar."""
    rows = []
    for row in svg.findall(f"{SVG}g"):
        rect = row.find(f"{SVG}rect")
        label = row.find(f"{SVG}text[@class='chart-label']")
        count = row.find(f"{SVG}text[@class='chart-count']")
        rows.append((float(label.get("x")), float(rect.get("x")), float(rect.get("width")), float(count.get("x"))))
    return rows


def test_bars_grow_rightwards_from_labels_on_the_left():
    rows = bar_rows(parse(charts.verdict_bars(BARS, "Verdicts", i18n.interface("en"))))
    assert len(rows) == len(BARS)
    assert len({x for _, x, _, _ in rows}) == 1  # every bar starts on one line
    for label_x, x, width, count_x in rows:
        assert label_x < x and count_x > x + width
    assert [w for _, _, w, _ in rows] == sorted((w for _, _, w, _ in rows), reverse=True)


def test_bars_grow_leftwards_from_labels_on_the_right():
    svg = parse(charts.verdict_bars(BARS, "Verdicts", i18n.interface("fa-AF")))
    rows = bar_rows(svg)
    assert len(rows) == len(BARS)
    right_edge = rows[0][1] + rows[0][2]
    for label_x, x, width, count_x in rows:
        assert x + width == pytest.approx(right_edge, abs=1e-6)  # every bar ends on one line
        assert label_x > right_edge and label_x == pytest.approx(view_width(svg))  # labels anchored at the right edge
        assert count_x < x  # each count to the left of its bar's end
    assert [w for _, _, w, _ in rows] == sorted((w for _, _, w, _ in rows), reverse=True)


def timeline_parts(svg: ET.Element) -> tuple[list[float], list[tuple[str, float]]]:
    """The x of each claim's dot (not the legend's), in the order drawn, and the date labels with their x."""
    axis_y = float(svg.find(f"{SVG}line[@class='timeline-axis']").get("y1"))
    dots = [float(c.get("cx")) for c in svg.findall(f"{SVG}circle") if float(c.get("cy")) < axis_y]
    dates = [(t.text, float(t.get("x"))) for t in svg.findall(f"{SVG}text") if "timeline-date" in t.get("class", "")]
    return dots, dates


@pytest.mark.parametrize("tag", LANGUAGES)
def test_timeline_runs_in_the_reading_direction(tag):
    ui = i18n.interface(tag)
    dots, dates = timeline_parts(parse(charts.timeline(POINTS, "Claims by date", ui)))
    earliest, middle, latest = dots  # drawn in date order
    assert [text for text, _ in dates] == [ui.date(FIRST), ui.date(LAST)]
    (_, first_x), (_, last_x) = dates
    if tag == "fa-AF":
        assert earliest > middle > latest and first_x > last_x
    else:
        assert earliest < middle < latest and first_x < last_x


@pytest.mark.parametrize("tag", LANGUAGES)
def test_text_is_anchored_inside_the_chart(tag):
    for name, svg in draw_all(i18n.interface(tag)).items():
        width = view_width(svg)
        texts = svg.findall(f".//{SVG}text")
        assert texts, name
        for text in texts:
            assert 0 <= float(text.get("x")) <= width, (name, text.text, text.get("x"))


@pytest.mark.parametrize("tag", LANGUAGES)
def test_map_legend_starts_at_the_reading_side(tag):
    svg = parse(charts.claim_map(NODES, EDGES, "Related claims", "The claims.", True, i18n.interface(tag)))
    legend = svg.find(f"{SVG}g[@class='map-legend']")
    texts = [float(t.get("x")) for t in legend.findall(f"{SVG}text")]
    samples = [float(line.get("x1")) for line in legend.findall(f"{SVG}line")]
    middle = view_width(svg) / 2
    # Sample, name, sample, name, from the edge the reader starts at.
    if tag == "fa-AF":
        assert middle < texts[0] < samples[0] and samples[1] > texts[1] and texts[0] > samples[1]
    else:
        assert samples[0] < texts[0] < middle and samples[1] < texts[1] and texts[0] < samples[1]


def test_english_words_are_unchanged():
    ui = i18n.interface("en")
    assert (
        parse(charts.verdict_bars(BARS, "Verdicts", ui)).findtext(f"{SVG}desc")
        == "False: 5 claims; Mostly true: 2 claims; True: 1 claim; Unproven: 0 claims."
    )
    assert (
        parse(charts.timeline(POINTS, "Claims by date", ui)).findtext(f"{SVG}desc")
        == "3 claims made between 4 September 2021 and 5 August 2023: "
        "2021-09-04, False; 2022-03-01, Mostly true; 2023-08-05, True."
    )
    one_day = [charts.TimelinePoint(FIRST, "One", "False", "false"), charts.TimelinePoint(FIRST, "Two", "True", "true")]
    assert (
        parse(charts.timeline(one_day, "Claims by date", ui)).findtext(f"{SVG}desc")
        == "2 claims made on 4 September 2021: 2021-09-04, False; 2021-09-04, True."
    )
    svg = parse(charts.claim_map(NODES, EDGES, "Related claims", "The claims.", True, ui))
    assert svg.find(f"{SVG}a").get("aria-label") == "Claim number 0 about the harbour bridge (verdict: Verdict 0)"
    assert [t.text for t in svg.findall(f"{SVG}g[@class='map-legend']/{SVG}text")] == [
        "Counterclaim",
        "Shares a quote or source",
    ]


@pytest.mark.parametrize("tag", LANGUAGES)
def test_words_come_from_the_interface(tag):
    ui = shouting(tag)
    assert (
        parse(charts.verdict_bars(BARS, "Verdicts", ui)).findtext(f"{SVG}desc")
        == "False: 5 CLAIMS; Mostly true: 2 CLAIMS; True: 1 CLAIM; Unproven: 0 CLAIMS."
    )
    desc = parse(charts.timeline(POINTS, "Claims by date", ui)).findtext(f"{SVG}desc")
    assert desc.startswith(f"3 CLAIMS MADE BETWEEN {ui.date(FIRST)} AND {ui.date(LAST)}: 2021-09-04, False;")
    assert parse(charts.timeline(POINTS[:1], "Claims by date", ui)).findtext(f"{SVG}desc").startswith("1 CLAIM MADE ON")
    svg = parse(charts.claim_map(NODES, EDGES, "Related claims", "The claims.", True, ui))
    assert svg.find(f"{SVG}a").get("aria-label") == "Claim number 0 about the harbour bridge (VERDICT: Verdict 0)"
    assert [t.text for t in svg.findall(f"{SVG}g[@class='map-legend']/{SVG}text")] == [
        "COUNTERCLAIM",
        "SHARES A QUOTE OR SOURCE",
    ]


DARI_PO = r"""
msgid ""
msgstr ""
"Language: fa_AF\n"
"Content-Type: text/plain; charset=UTF-8\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\n"

msgid "; "
msgstr "؛ "

msgid "%(verdict)s: %(num)d claim"
msgid_plural "%(verdict)s: %(num)d claims"
msgstr[0] "%(verdict)s: %(num)d ادعا"
msgstr[1] "%(verdict)s: %(num)d ادعا"

msgid "%(claim)s (verdict: %(verdict)s)"
msgstr "%(claim)s (حکم: %(verdict)s)"

msgid "Counterclaim"
msgstr "ادعای مخالف"

msgid "%(num)d claim made between %(first)s and %(last)s: %(claims)s."
msgid_plural "%(num)d claims made between %(first)s and %(last)s: %(claims)s."
msgstr[0] "%(num)d ادعا از %(first)s تا %(last)s: %(claims)s."
msgstr[1] "%(num)d ادعا از %(first)s تا %(last)s: %(claims)s."
"""


def test_a_dari_catalogue_translates_the_charts(tmp_path):
    folder = tmp_path / "fa_AF" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "messages.po").write_text(DARI_PO, encoding="utf-8")
    ui = i18n.interface("fa-AF", (str(tmp_path),))
    assert (
        parse(charts.verdict_bars(BARS[:2], "Verdicts", ui)).findtext(f"{SVG}desc")
        == "False: 5 ادعا؛ Mostly true: 2 ادعا."
    )
    desc = parse(charts.timeline(POINTS, "Claims by date", ui)).findtext(f"{SVG}desc")
    assert desc.startswith(f"3 ادعا از {ui.date(FIRST)} تا {ui.date(LAST)}: ")
    svg = parse(charts.claim_map(NODES, EDGES, "Related claims", "The claims.", True, ui))
    assert "(حکم: Verdict 0)" in svg.find(f"{SVG}a").get("aria-label")
    # Words this catalogue lacks come from the shipped one, which it overrides.
    shipped = i18n.interface("fa-AF").gettext("Shares a quote or source")
    assert shipped != "Shares a quote or source"
    assert [t.text for t in svg.findall(f"{SVG}g[@class='map-legend']/{SVG}text")] == ["ادعای مخالف", shipped]


def test_every_message_is_a_literal_the_extractor_finds():
    """Babel's extractor reads the source: a message built at run time would never reach a translator."""
    source = Path(charts.__file__)
    calls = [
        node
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("gettext", "ngettext")
    ]
    literals = {"gettext": 1, "ngettext": 2}
    for call in calls:
        first = call.args[: literals[call.func.attr]]
        assert all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in first), ast.unparse(call)
    extracted = [message for _, message, _, _ in extract_from_file("python", str(source))]
    assert len(extracted) == len(calls) >= 7
    assert (
        "Counterclaim" in extracted
        and (
            "%(num)d claim made between %(first)s and %(last)s: %(claims)s.",
            "%(num)d claims made between %(first)s and %(last)s: %(claims)s.",
        )
        in extracted
    )


@pytest.mark.parametrize("tag", LANGUAGES)
def test_map_ring_runs_in_the_reading_direction(tag):
    svg = parse(charts.claim_map(NODES, EDGES, "Claims on the topic", "The claims.", False, i18n.interface(tag)))
    top, after = [float(a.find(f"{SVG}circle").get("cx")) for a in svg.findall(f"{SVG}a")[:2]]
    assert after < top if tag == "fa-AF" else after > top


LONG = MapNode(
    "/claims/long/",
    "The Taliban have captured all districts of Panjshir province, every one of them, by Sunday",
    "Disputed",
    "unrated-2",
)


@pytest.mark.parametrize("tag", LANGUAGES)
def test_the_narrow_map_writes_every_claim_whole_in_lines_that_fit(tag):
    ui = i18n.interface(tag)
    svg = parse(charts.claim_map_narrow([LONG, *NODES], EDGES, "Related claims", "The claims.", True, ui))
    assert view_width(svg) == charts.NARROW_WIDTH
    links = svg.findall(f"{SVG}a")
    assert [a.get("href") for a in links] == [LONG.url] + [node.url for node in NODES]
    for a, node in zip(links, [LONG, *NODES]):
        lines = [t.text for t in a.iter(f"{SVG}tspan")]
        # Whole, so the words themselves name the link: claim, then verdict.
        assert " ".join(line.strip() for line in lines) == node.claim
        assert all(len(line.strip()) <= charts.NARROW_LINE_CHARS for line in lines)
        assert a.find(f"{SVG}text[@class='map-verdict']").text == node.verdict
        assert "…" not in "".join(a.itertext())
    assert sorted(map_edges(svg)) == sorted(e.relation for e in EDGES)
    # The lines of a claim stand one under the other at the same x: the first where its <text> is.
    for a in links:
        text = a.find(f"{SVG}text")
        places = [
            (float(t.get("x", text.get("x"))), float(t.get("y", text.get("y")))) for t in text.iter(f"{SVG}tspan")
        ]
        assert len({x for x, _ in places}) == 1 and [y for _, y in places] == sorted({y for _, y in places})
    # The nodes stand at the reading side, the words after them.
    circle, text = float(links[0].find(f"{SVG}circle").get("cx")), float(links[0].find(f"{SVG}text").get("x"))
    assert (circle > text) if tag == "fa-AF" else (circle < text)

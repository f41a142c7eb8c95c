"""Build-time pictures: valid, accessible, escaped, deterministic SVG with text equivalents."""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.browser import CHROMIUM_ARGS, need_chromium
from support.cli import run
from support.paths import REAL

from generator.model import BriefingData
from generator.pictures import (
    Picture,
    attendance_svg,
    date_span,
    matrix_dates,
    matrix_svg,
    pack_rows,
    pictures_css,
    text_width,
    timeline_svg,
    truncate,
)

NS = "{http://www.w3.org/2000/svg}"
EVIL = '<script>alert(1)</script> & "x"'
TRICKY = "Ahrar *al*-Sham_ | {{ config }} [x](y) `z`"


def sample_data(**overrides: Any) -> BriefingData:
    raw: dict[str, Any] = {
        "slug": "syria-2016",
        "briefing": {
            "title": "Aleppo talks",
            "summary": "Talks on Aleppo, autumn 2016.",
            "as_of": "2016-12-15",
            "period": {"start_date": "2016-09-01", "end_date": "2016-12-31"},
        },
        "actors": [
            {"id": "russia", "name": "Russia", "classification": "state"},
            {"id": "usa", "name": "United States", "classification": "state"},
            {"id": "un-envoy", "name": "Staffan de Mistura", "classification": "person"},
            {"id": "evil", "name": EVIL, "classification": "organization"},
            {"id": "ahrar", "name": TRICKY, "classification": "armed-group"},
        ],
        "issues": [
            {"id": "ceasefire", "name": "Nationwide ceasefire"},
            {"id": "aid", "name": "Humanitarian access to eastern Aleppo"},
        ],
        "meetings": [
            {
                "id": "geneva-sep",
                "name": "Kerry\u2013Lavrov talks, Geneva",
                "start_date": "2016-09-09",
                "end_date": "2016-09-10",
                "format": "bilateral",
                "attendees": [{"actor": "usa"}, {"actor": "russia"}],
                "absentees": [{"actor": "evil", "reason": "not invited"}],
            },
            {
                "id": "lausanne",
                "name": "Lausanne meeting",
                "start_date": "2016-10",
                "format": "multilateral",
                "attendees": [
                    {"actor": "usa"},
                    {"actor": "russia"},
                    {"actor": "un-envoy", "participation": "video-link"},
                ],
                "absentees": [{"actor": "ahrar"}],
            },
            {
                "id": "hamburg",
                "name": "Hamburg side meeting",
                "start_date": "2016-12-08",
                "format": "bilateral",
                "attendees": [
                    {"actor": "russia", "participation": "delegate", "via": "un-envoy"},
                    {"actor": "evil", "participation": "phone"},
                ],
            },
        ],
        "events": [
            {
                "id": "veto-oct",
                "name": "Russian veto of French draft",
                "kind": "veto",
                "start_date": "2016-10-08",
            },
            {
                "id": "truce",
                "name": "Seven-day truce",
                "kind": "ceasefire",
                "start_date": "2016-09-12",
                "end_date": "2016-09-19",
            },
            {"id": "convoy", "name": EVIL, "kind": "attack", "start_date": "2016-09-19"},
            {"id": "year-report", "name": "Annual report", "kind": "report", "start_date": "2016"},
        ],
        "positions": [
            {
                "id": "ru-cf-1",
                "actor": "russia",
                "issue": "ceasefire",
                "stance": "favor",
                "summary": "Backs the truce.",
                "date": "2016-09",
            },
            {
                "id": "ru-cf-2",
                "actor": "russia",
                "issue": "ceasefire",
                "stance": "against",
                "summary": "Says the truce has failed.",
                "date": "2016-10-08",
            },
            {
                "id": "us-cf-1",
                "actor": "usa",
                "issue": "ceasefire",
                "stance": "favor",
                "summary": "Wants it restored.",
                "date": "2016-10-08",
            },
            {
                "id": "evil-aid",
                "actor": "evil",
                "issue": "aid",
                "stance": "unclear",
                "summary": EVIL,
                "date": "2016-11-02",
            },
            {
                "id": "ahrar-aid",
                "actor": "ahrar",
                "issue": "aid",
                "stance": "mixed",
                "summary": "Conditional.",
                "date": "2016-11",
            },
        ],
    }
    raw.update(overrides)
    return BriefingData.model_validate(raw)


class Hrefs:
    """An href callback that remembers every URL it handed out."""

    def __init__(self) -> None:
        self.made: set[str] = set()

    def __call__(self, kind: str, ident: str) -> str:
        assert kind in {"meeting", "event", "actor", "issue"}
        url = f"../{kind}s/{ident}/"
        self.made.add(url)
        return url


def all_pictures(data: BriefingData, href: Hrefs) -> Iterator[Picture]:
    yield timeline_svg(data, href)
    yield matrix_svg(data, href)
    for when in matrix_dates(data):
        yield matrix_svg(data, href, as_of=when)
    yield attendance_svg(data, href)
    for actor in sorted(a.id for a in data.actors):
        yield attendance_svg(data, href, actor_id=actor)


def parse(pic: Picture) -> ET.Element:
    return ET.fromstring(pic.svg)


def cell(root: ET.Element, **attrs: str) -> ET.Element:
    found = [el for el in root.iter() if all(el.get(f"data-{k}") == v for k, v in attrs.items())]
    assert len(found) == 1, (attrs, found)
    return found[0]


def test_every_picture_is_one_line_of_accessible_svg() -> None:
    href = Hrefs()
    for pic in all_pictures(sample_data(), href):
        assert "\n" not in pic.svg and not pic.svg.startswith("<?xml")
        root = parse(pic)
        assert root.tag == f"{NS}svg"
        # Links inside an image would be presentational: a picture with links is a group of them.
        assert root.get("role") == ("group" if root.find(f".//{NS}a") is not None else "img")
        # Drawn at its own size: a unit of the drawing is a CSS pixel, whatever the page's width.
        _x, _y, width, height = root.get("viewBox", "").split()
        assert (root.get("width"), root.get("height")) == (width, height)
        assert root.get("style") == "max-width:none"
        title, desc = root.find(f"{NS}title"), root.find(f"{NS}desc")
        assert title is not None and desc is not None
        assert title.text == pic.title and desc.text
        assert root.get("aria-labelledby") == title.get("id")
        assert root.get("aria-describedby") == desc.get("id")
        assert root.find(f".//{NS}script") is None and root.find(f".//{NS}foreignObject") is None
        assert pic.text.strip()


def test_links_are_only_those_the_callback_made() -> None:
    href = Hrefs()
    pics = list(all_pictures(sample_data(), href))
    seen = set()
    for pic in pics:
        for a in parse(pic).iter(f"{NS}a"):
            url = a.get("href")
            assert url in href.made
            seen.add(url)
        for url in re.findall(r"(?<!\\)\]\(([^)]*)\)", pic.text):  # not a name's escaped \](
            assert url in href.made
    assert {"../meetings/lausanne/", "../events/veto-oct/", "../actors/russia/", "../issues/aid/"} <= seen


def test_same_data_same_bytes_whatever_the_order() -> None:
    data = sample_data()
    shuffled = sample_data(
        **{
            name: list(reversed(getattr(data, name)))
            for name in ("actors", "issues", "meetings", "events", "positions")
        }
    )
    for one, two, three in zip(
        all_pictures(data, Hrefs()), all_pictures(data, Hrefs()), all_pictures(shuffled, Hrefs()), strict=True
    ):
        assert one == two == three
    assert pictures_css() == pictures_css()


def test_hostile_names_are_escaped_everywhere() -> None:
    for pic in all_pictures(sample_data(), Hrefs()):
        for raw in ("<script", "{{", "`z`", "*al*", "[x](y)"):
            assert raw not in pic.svg
            assert raw not in pic.text
    pic = matrix_svg(sample_data(), Hrefs())
    # The parser gets the name back exactly: escaped, not mangled.
    titles = {el.text for el in parse(pic).iter(f"{NS}title")}
    assert EVIL in titles
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;" in pic.text
    # Pipes in names must not add table columns.
    widths = {len(re.findall(r"(?<!\\)\|", line)) for line in pic.text.splitlines() if line.startswith("|")}
    assert widths == {4}


def test_timeline_marks_lanes_and_imprecise_dates() -> None:
    data = sample_data()
    root = parse(timeline_svg(data, Hrefs()))
    lanes = [g.get("data-lane") for g in root.iter(f"{NS}g") if g.get("class") == "bp-lane"]
    assert lanes == ["meeting", "veto", "attack", "ceasefire", "report"]  # the model's order of kinds
    links = {a.get("data-id"): a for a in root.iter(f"{NS}a")}
    assert set(links) == {m.id for m in data.meetings} | {e.id for e in data.events}

    def mark(ident: str) -> ET.Element:
        shape = next(el for el in links[ident] if el.tag != f"{NS}title")
        return shape

    # An exact day is a dot; a month or a year is a dashed bar as wide as that month or year.
    assert mark("veto-oct").tag == f"{NS}circle"
    october = mark("lausanne")
    assert october.tag == f"{NS}rect" and "bp-imprecise" in (october.get("class") or "")
    year = mark("year-report")
    assert "bp-imprecise" in (year.get("class") or "")
    truce = mark("truce")
    assert truce.tag == f"{NS}rect" and "bp-imprecise" not in (truce.get("class") or "")
    # The axis is the period, 1 Sep 2016 to 1 Jan 2017 (122 days); October is 31 of them.
    axis = next(el for el in root.iter(f"{NS}line") if el.get("class") == "bp-axis-line")
    x0, x1 = float(axis.get("x1", 0)), float(axis.get("x2", 0))
    assert float(october.get("width", 0)) == pytest.approx((x1 - x0) * 31 / 122, abs=0.1)
    assert float(october.get("x", 0)) == pytest.approx(x0 + (x1 - x0) * 30 / 122, abs=0.1)
    # The year-only report overlaps the period: it is cut at the axis ends, not widening it.
    assert (float(year.get("x", 0)), float(year.get("width", 0))) == (x0, x1 - x0)
    ticks = [t.text for t in root.iter(f"{NS}text") if t.get("class") == "bp-tick"]
    assert ticks == ["Sept 2016", "Oct", "Nov", "Dec"]  # CLDR British English


def test_timeline_axis_widens_for_entries_outside_the_period() -> None:
    data = sample_data(events=[{"id": "old", "name": "Old veto", "kind": "veto", "start_date": "2015-03-02"}])
    root = parse(timeline_svg(data, Hrefs()))
    ticks = [t.text for t in root.iter(f"{NS}text") if t.get("class") == "bp-tick"]
    assert ticks[0] == "Apr 2015" and "Jan 2016" in ticks and len(ticks) <= 8  # quarters from March 2015
    axis = next(el for el in root.iter(f"{NS}line") if el.get("class") == "bp-axis-line")
    old = next(a for a in root.iter(f"{NS}a") if a.get("data-id") == "old").find(f"{NS}circle")
    assert old is not None and float(axis.get("x1", 0)) <= float(old.get("cx", 0)) < 200


def label_boxes(pic: Picture) -> list[tuple[str, float, float, float]]:
    """(lane, x0, x1, first baseline) for each timeline label (one line or two), by the module's own
    width estimate."""
    root = parse(pic)
    boxes = []
    for lane in root.iter(f"{NS}g"):
        if lane.get("class") != "bp-lane":
            continue
        for link in lane.iter(f"{NS}a"):
            lines = [t for t in link.iter(f"{NS}text") if t.get("class") == "bp-label"]
            x, y = float(lines[0].get("x", 0)), float(lines[0].get("y", 0))
            assert all(float(t.get("x", 0)) == x for t in lines) and len(lines) <= 2
            right = max(x + text_width(t.text or "", 12) for t in lines)
            boxes.append((lane.get("data-lane", ""), x, right, y))
    return boxes


def many_events(n: int = 300) -> list[dict[str, str]]:
    """Crowded on purpose: three kinds, a dozen months, some dates only to the month."""
    kinds = ["veto", "attack", "statement"]
    return [
        {
            "id": f"e{i:03d}",
            "name": f"Event number {i} " + "with a long descriptive name " * (i % 4),
            "kind": kinds[i % 3],
            "start_date": f"2016-{1 + i % 12:02d}" + ("" if i % 5 == 0 else f"-{1 + (i * 7) % 28:02d}"),
        }
        for i in range(n)
    ]


def test_three_hundred_events_get_labels_that_do_not_collide() -> None:
    events = many_events()
    data = sample_data(events=events)
    pic = timeline_svg(data, Hrefs())
    root = parse(pic)
    width = float((root.get("viewBox") or "").split()[2])
    boxes = label_boxes(pic)
    assert len(boxes) == 300 + len(data.meetings)
    for i, (lane, x0, x1, y) in enumerate(boxes):
        assert x0 >= 0 and x1 <= width
        for lane2, u0, u1, v in boxes[i + 1 :]:
            if abs(y - v) < 14:  # same row: the lanes' rows never share a baseline
                assert x1 <= u0 or u1 <= x0, (lane, lane2, x0, x1, u0, u1, y)
    # Long names are cut with an ellipsis; the full name is in the link's tooltip.
    cut = [t for t in root.iter(f"{NS}text") if (t.text or "").endswith("…")]
    assert cut
    tooltips = {el.text for el in root.iter(f"{NS}title")}
    assert any(t and t.startswith(events[3]["name"].strip()) for t in tooltips)


@given(st.lists(st.tuples(st.floats(0, 1000), st.floats(0, 300)), max_size=60))
def test_pack_rows_never_overlaps(raw: list[tuple[float, float]]) -> None:
    boxes = [(x, x + w) for x, w in raw]
    rows = pack_rows(boxes, gap=8)
    for i, (a0, a1) in enumerate(boxes):
        for j in range(i + 1, len(boxes)):
            if rows[i] == rows[j]:
                b0, b1 = boxes[j]
                assert a1 + 8 <= b0 or b1 + 8 <= a0
    # Greedy by start is optimal: never more rows than the most boxes stacked at one point.
    if boxes:
        depth = max(sum(1 for b0, b1 in boxes if b0 <= x < b1 + 8) for x, _ in boxes)
        assert max(rows) + 1 <= depth


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 400).map(float), st.integers(0, 120).map(float)), max_size=60))
def test_pack_rows_takes_the_first_row_with_room(raw: list[tuple[float, float]]) -> None:
    """The same rows as the plain scan of every row, for each box in turn."""
    boxes = [(x, x + w) for x, w in raw]
    ends: list[float] = []
    expected = [0] * len(boxes)
    for i in sorted(range(len(boxes)), key=lambda i: (*boxes[i], i)):
        r = next((r for r, end in enumerate(ends) if end + 8 <= boxes[i][0]), len(ends))
        ends[r : r + 1] = [boxes[i][1]]
        expected[i] = r
    assert pack_rows(boxes, gap=8) == expected


def test_truncate_keeps_short_names_and_cuts_long_ones() -> None:
    assert truncate("Geneva", 100, 12) == "Geneva"
    cut = truncate("A very long meeting name indeed, far too long for the space", 100, 12)
    assert cut.endswith("…") and text_width(cut, 12) <= 100


def test_matrix_as_of_gives_the_stance_then() -> None:
    data = sample_data()
    href = Hrefs()
    assert matrix_dates(data) == ["2016-09", "2016-10-08", "2016-11", "2016-11-02"]
    early = parse(matrix_svg(data, href, as_of="2016-09-30"))
    late = parse(matrix_svg(data, href, as_of="2016-10-08"))
    latest = parse(matrix_svg(data, href))
    assert cell(early, actor="russia", issue="ceasefire").get("data-stance") == "favor"
    assert cell(late, actor="russia", issue="ceasefire").get("data-stance") == "against"
    assert cell(early, actor="usa", issue="ceasefire").get("data-stance") == "none"
    # A month as_of includes the whole month.
    nov = parse(matrix_svg(data, href, as_of="2016-11"))
    assert cell(nov, actor="evil", issue="aid").get("data-stance") == "unclear"
    # The stance word is on the cell, and the history strip has one segment per position.
    ru = cell(latest, actor="russia", issue="ceasefire")
    # The word, then the marks the stance badges carry.
    assert [t.text for t in ru.iter(f"{NS}text")] == ["Against", "\u2713", "\u2717"]
    segs = [r for r in ru.iter(f"{NS}rect") if "bp-seg" in (r.get("class") or "")]
    assert [s.get("class") for s in segs] == ["bp-seg bp-stance-favor", "bp-seg bp-stance-against"]
    # Same rows and columns at every date, so the snapshots can be compared.
    assert len(list(early.iter(f"{NS}a"))) <= len(list(latest.iter(f"{NS}a")))
    assert {g.get("data-actor") for g in early.iter(f"{NS}g") if g.get("data-actor")} == {
        g.get("data-actor") for g in latest.iter(f"{NS}g") if g.get("data-actor")
    }


def test_matrix_text_equivalent_lists_history() -> None:
    text = matrix_svg(sample_data(), Hrefs()).text
    assert "Against, 8 Oct 2016 (earlier: For, Sept 2016 (month only))" in text
    assert "[Russia](../actors/russia/)" in text


def test_attendance_marks_differ_by_shape() -> None:
    root = parse(attendance_svg(sample_data(), Hrefs()))

    def shape(actor: str, meeting: str) -> tuple[str, str | None, str | None]:
        link = cell(root, actor=actor, meeting=meeting)
        el = next(el for el in link if el.tag != f"{NS}title")
        return (el.tag.removeprefix(NS), el.get("fill"), el.get("class"))

    in_person = shape("usa", "geneva-sep")
    video = shape("un-envoy", "lausanne")
    absent = shape("evil", "geneva-sep")
    assert in_person[:2] == ("circle", "#1f5fa8")  # filled
    assert video[:2] == ("circle", "none")  # ring
    assert absent[:2] == ("path", "none")  # cross
    assert len({in_person, video, absent}) == 3
    assert shape("russia", "hamburg")[0] == "g"  # delegate: ring with a dot
    assert shape("evil", "hamburg")[:2] == ("circle", "none")  # phone: a ring, like video
    legend = [
        t.text for g in root.iter(f"{NS}g") if g.get("class") == "bp-legend" for t in g.iter(f"{NS}text")
    ]
    assert legend == ["in person", "video link or phone", "through a delegate", "absent or excluded"]
    # Columns follow the meetings' dates.
    columns = [
        a.get("data-meeting")
        for a in root.iter(f"{NS}a")
        if a.get("data-meeting") and not a.get("data-actor")
    ]
    assert columns == ["geneva-sep", "lausanne", "hamburg"]


def test_attendance_for_one_actor() -> None:
    data = sample_data()
    pic = attendance_svg(data, Hrefs(), actor_id="evil")
    root = parse(pic)
    marks = {a.get("data-meeting"): a.get("data-mark") for a in root.iter(f"{NS}a") if a.get("data-mark")}
    assert marks == {"geneva-sep": "absent", "hamburg": "remote"}
    assert pic.title == f"Meetings: {EVIL}"
    assert "Lausanne" not in pic.svg and "Lausanne" not in pic.text
    assert "absent or excluded&#58;" not in pic.text and "not invited" in pic.text


def test_every_class_the_pictures_use_is_styled() -> None:
    css = pictures_css()
    used = set()
    for pic in all_pictures(sample_data(), Hrefs()):
        for el in parse(pic).iter():
            used.update((el.get("class") or "").split())
    structural = {"bp-pic", "bp-lane", "bp-cell", "bp-legend", "bp-axis", "bp-label", "bp-lane-title"}
    structural |= {"bp-row-head", "bp-col-head", "bp-word", "bp-letter", "bp-legend-text", "bp-axis-line"}
    structural |= {"bp-timeline", "bp-matrix", "bp-attendance", "bp-mark"}
    for cls in used - structural:
        assert f".{cls}" in css, cls
    assert '[data-md-color-scheme="slate"] .bp-stance-favor' in css
    assert "@media print{" in css
    for stance in ("favor", "against", "mixed", "neutral", "unclear"):
        assert f".bp-stance-{stance}" in css


def test_empty_briefing_still_draws() -> None:
    data = sample_data(meetings=[], events=[], positions=[])
    for pic in all_pictures(data, Hrefs()):
        parse(pic)
    assert "No meetings or events" in timeline_svg(data, Hrefs()).text


@pytest.mark.parametrize(
    ("value", "start", "end"),
    [
        ("2016", "2016-01-01", "2017-01-01"),
        ("2016-02", "2016-02-01", "2016-03-01"),
        ("2016-02-29", "2016-02-29", "2016-03-01"),
    ],
)
def test_date_span(value: str, start: str, end: str) -> None:
    span = date_span(value)
    assert (span.start.isoformat(), span.end.isoformat()) == (start, end)


# Measures what Chromium actually draws, to check the width estimate against real fonts.
MEASURE = """<script>
const out = [];
document.querySelectorAll("svg").forEach((svg, n) => {
  const vb = svg.viewBox.baseVal;
  const boxes = [...svg.querySelectorAll("text")]
    .filter(t => !t.hasAttribute("transform"))
    .map(t => [t.textContent, t.getBBox()]);
  boxes.forEach(([s, b], i) => {
    if (b.x < -0.5 || b.x + b.width > vb.width + 0.5) out.push(["outside", n, s]);
    boxes.slice(i + 1).forEach(([s2, c]) => {
      const apart = b.x + b.width <= c.x + 0.5 || c.x + c.width <= b.x + 0.5
        || b.y + b.height <= c.y + 0.5 || c.y + c.height <= b.y + 0.5;
      if (!apart) out.push(["overlap", n, s, s2]);
    });
  });
  out.push(["checked", n, String(boxes.length)]);
});
document.getElementById("out").textContent = JSON.stringify(out);
</script>"""


@pytest.mark.browser
def test_rendered_text_does_not_overlap_in_chromium(tmp_path: Path) -> None:
    chromium = need_chromium()
    href = Hrefs()
    data = sample_data()
    pics = [timeline_svg(sample_data(events=many_events()), href), *all_pictures(data, href)]
    page = tmp_path / "pics.html"
    figures = "".join(f"<figure>{p.svg}</figure>" for p in pics)
    page.write_text(
        f"<!doctype html><meta charset=utf-8><style>{pictures_css()}</style>"
        f"<body>{figures}<pre id=out></pre>{MEASURE}</body>",
        encoding="utf-8",
    )
    dumped = run(
        chromium,
        "--headless",
        *CHROMIUM_ARGS,
        f"--user-data-dir={tmp_path / 'profile'}",
        "--dump-dom",
        page.as_uri(),
        cwd=tmp_path,
        timeout=120,
        check=True,
    )
    found = re.search(r'<pre id="out">(.*?)</pre>', dumped.stdout, re.S)
    assert found, dumped.stdout[-2000:]
    results = json.loads(html.unescape(found.group(1)))
    problems = [r for r in results if r[0] != "checked"]
    assert problems == []
    assert len([r for r in results if r[0] == "checked"]) == len(pics)


def test_markdown_leaves_the_picture_alone_and_renders_the_table() -> None:
    markdown = pytest.importorskip("markdown")
    pic = matrix_svg(sample_data(), Hrefs())
    out = markdown.markdown(pic.as_markdown(), extensions=["tables"])
    svg = out[out.index("<svg") : out.index("</svg>") + 6]
    assert svg == pic.svg  # Python-Markdown does not treat <svg> as a block; <figure> is one
    table = out[out.index("<table>") :]
    assert table.count("<tr>") == 5 and table.count("<th>") == 3
    assert "<script>" not in out and "&lt;script&gt;" in table
    assert "Ahrar *al*-Sham_ | {{ config }}" in html.unescape(table)


def test_control_characters_do_not_break_the_xml() -> None:
    name = "Bell\x07 and\x00 null\nnewline \u200dZWJ"
    data = sample_data(events=[{"id": "odd", "name": name, "kind": "other", "start_date": "2016-10-01"}])
    pic = timeline_svg(data, Hrefs())
    tooltips = {el.text for el in parse(pic).iter(f"{NS}title")}
    assert "Bell and null newline \u200dZWJ \u2014 1 Oct 2016" in tooltips


# --- on the pages of the real briefing ---------------------------------------------------------------


@pytest.fixture(scope="module")
def real_pages() -> dict[str, str]:
    from generator.build import build_pages
    from generator.errors import Report

    report = Report()
    pages = build_pages(REAL.parent, None, report)
    assert pages is not None, report.summary()
    return dict(pages.items())


def page_pictures(page: str) -> list[ET.Element]:
    return [ET.fromstring(svg) for svg in re.findall(r"<svg .*?</svg>", page)]


def sized_texts(el: ET.Element, size: float = 0.0) -> Iterator[tuple[ET.Element, float]]:
    """Every <text> under `el` with the font size it is drawn at (its own or the nearest ancestor's)."""
    size = float(el.get("font-size", size))
    if el.tag == f"{NS}text":
        yield el, size
    for child in el:
        yield from sized_texts(child, size)


def test_no_text_is_smaller_than_twelve_pixels(real_pages: dict[str, str]) -> None:
    """Drawn at their own size (one unit a CSS pixel), pictures whose text is at least 12 units
    have text at least 12 px tall on the screen."""
    roots = [parse(pic) for pic in all_pictures(sample_data(events=many_events(40)), Hrefs())]
    roots += [root for page in real_pages.values() for root in page_pictures(page)]
    assert len(roots) > 30
    small = {(t.text, size) for root in roots for t, size in sized_texts(root) if size < 12}
    assert small == set()


def heading_texts(link: ET.Element) -> str:
    return " ".join(t.text or "" for t in link.iter(f"{NS}text"))


def test_names_of_the_real_briefing_are_shown_whole(real_pages: dict[str, str]) -> None:
    """Meetings head their columns in the attendance picture on one line or two; issues head theirs in
    the matrix on up to six; actors' names are whole; only a heading longer than that is shortened,
    and its link's tooltip says it whole."""
    (attendance,) = [
        r for r in page_pictures(real_pages["syria-2016/index.md"]) if "bp-attendance" in r.get("class", "")
    ]
    heads = [
        a for a in attendance.iter(f"{NS}a") if a.get("data-meeting") and a.find(f"{NS}text") is not None
    ]
    assert len(heads) == 8
    whole = 0
    for link in heads:
        text, tooltip = heading_texts(link), link.findtext(f"{NS}title") or ""
        date, shown = text.split(" ", 1)
        name = tooltip.split(" \u2014 ")[0]
        if shown.endswith("\u2026"):  # two lines of 270 px, less what wrapping at words leaves
            assert text_width(f"{date} {name}", 12) > 1.6 * 270 and shown.rstrip("\u2026") in name
        else:
            assert shown == name
            whole += 1
    assert whole >= 7
    for path in ("syria-2016/positions.md", "syria-2016/positions/page-2.md"):
        (matrix,) = page_pictures(real_pages[path])
        for link in matrix.iter(f"{NS}a"):
            if link.get("data-issue") or (link.get("data-actor") and link.find(f"{NS}text") is not None):
                assert heading_texts(link) == link.findtext(f"{NS}title"), path


def test_matrix_keeps_the_order_of_the_table_under_it(real_pages: dict[str, str]) -> None:
    """The issues (the most discussed first) and the actors (by name) run as in the positions page's
    table, on every page of it."""
    assert real_pages["syria-2016/positions.md"].count("](issues/") > 2
    for path in ("syria-2016/positions.md", "syria-2016/positions/page-2.md"):
        page = real_pages[path]
        (matrix,) = page_pictures(page)
        header = next(line for line in page.splitlines() if line.startswith("| Actor |"))
        table_issues = re.findall(r"\]\((?:\.\./)?issues/([\w-]+)\.md\)", header)
        rows = [line for line in page.splitlines() if re.match(r"\| \[[^]]+\]\((?:\.\./)?actors/", line)]
        table_actors = [re.search(r"actors/([\w-]+)\.md", line).group(1) for line in rows]  # type: ignore[union-attr]
        links = list(matrix.iter(f"{NS}a"))
        picture_issues = [a.get("data-issue") for a in links if a.get("data-issue")]
        picture_actors = [a.get("data-actor") for a in links if a.get("data-actor")]
        assert table_issues and picture_issues == table_issues, path
        assert len(table_actors) > 10 and list(dict.fromkeys(picture_actors)) == table_actors, path


def test_matrix_draws_the_rows_and_columns_it_is_given() -> None:
    """Given rows and columns, in their order, even one with no position in this part; by default
    the issues with the most positions first."""
    data = sample_data()
    default = parse(matrix_svg(data, Hrefs()))
    issues = [a.get("data-issue") for a in default.iter(f"{NS}a") if a.get("data-issue")]
    assert issues == ["ceasefire", "aid"]  # 3 positions, then 2 (by name, "Humanitarian…" would lead)
    data = sample_data(positions=[*sample_data().model_dump()["positions"][:3]])  # ceasefire only
    given = parse(matrix_svg(data, Hrefs(), actors=["usa", "russia"], issues=["aid", "ceasefire"]))
    links = list(given.iter(f"{NS}a"))
    assert [a.get("data-issue") for a in links if a.get("data-issue")] == ["aid", "ceasefire"]
    assert list(dict.fromkeys(a.get("data-actor") for a in links if a.get("data-actor"))) == ["usa", "russia"]
    assert cell(given, actor="usa", issue="aid").get("data-stance") == "none"

"""Figures: node and edge counts, widths, the day axis, flow link values, empty views."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pandas as pd
import plotly.graph_objects as go
import pytest
from factory import write_corpus

from dashboard.context import Context
from dashboard.figures import (
    CHOSEN_LABEL,
    LIT_LABEL,
    MESSAGE_LABEL_CHARS,
    OFF_STRIP,
    STRIP_PX,
    TOOLBAR_COLUMN_PX,
    described_look,
    event_lanes,
    flow_figure,
    flow_spec,
    is_event_trace,
    narrow_look,
    network_figure,
    network_spec,
    no_messages_text,
    node_size,
    presentation_look,
    refit_strip,
    strip_mark_px,
    strip_range,
    timeline_figure,
    timeline_spec,
)
from dashboard.model import load_corpus
from dashboard.state import ViewState

JAN = (date(1949, 1, 1), date(1949, 1, 31))


@pytest.fixture
def context(tmp_path):
    return Context.build(load_corpus(write_corpus(tmp_path)))


def edge_traces(figure):
    """The lines drawn for edges (their clicks go to the hit areas beside them)."""
    return [
        t
        for t in figure.data
        if t.mode == "lines" and t.name and t.name.count("→") == 1 and not t.name.endswith("(lit)")
    ]


def hit_areas(figure):
    return [t for t in figure.data if t.customdata is not None and t.customdata[0][0] == "edge"]


def node_points(figure):
    return {
        key: (trace, i)
        for trace in figure.data
        if trace.customdata is not None and trace.customdata[0][0] == "person"
        for i, (_, key) in enumerate(trace.customdata)
    }


def test_network_edges_and_widths(context):
    corpus = context.corpus
    figure = network_figure(corpus, corpus, context.positions["default"])
    traces = {t.name: t for t in edge_traces(figure)}
    assert set(traces) == {"stalin→mao", "mao→stalin", "stalin→terebin", "terebin→mao"}
    assert traces["mao→stalin"].line.width > traces["stalin→mao"].line.width
    hits = {t.name: t for t in hit_areas(figure)}
    assert hits["mao→stalin (hit area)"].customdata[0][1] == "b,d"
    assert all(t.hoverinfo == "skip" for t in traces.values())  # a line takes no click itself
    assert traces["stalin→terebin"].line.dash == "dash"  # a relayed hop
    assert len(figure.layout.annotations) == 4  # one arrowhead per edge


def test_network_keeps_every_node_in_place_when_filtered(context):
    corpus = context.corpus
    whole = network_figure(corpus, corpus, context.positions["default"])
    part = network_figure(corpus, corpus.filter(start="1949-03-01"), context.positions["default"])
    assert node_points(whole).keys() == node_points(part).keys() == {"stalin", "mao", "terebin"}
    for person, (trace, i) in node_points(part).items():
        whole_trace, j = node_points(whole)[person]
        assert (trace.x[i], trace.y[i]) == (whole_trace.x[j], whole_trace.y[j])
    trace, i = node_points(part)["terebin"]
    assert trace.marker.size[i] == node_size(0)  # no message in March: faded, smallest
    assert len(edge_traces(part)) == 1


def test_network_codenames_relabel(context):
    corpus = context.corpus
    figure = network_figure(corpus, corpus, context.positions["default"], codenames=True)
    trace, i = node_points(figure)["stalin"]
    assert trace.text[i] == "Filippov"


def test_network_escapes_text(tmp_path):
    from factory import PEOPLE

    people = [dict(p) for p in PEOPLE]
    people[2]["name"] = "<script>alert(1)</script>"
    corpus = load_corpus(write_corpus(tmp_path, people=people))
    context = Context.build(corpus)
    figure = network_figure(corpus, corpus, context.positions["default"])
    trace, i = node_points(figure)["terebin"]
    assert trace.text[i] == "&lt;script&gt;alert(1)&lt;/script&gt;"


def test_timeline_day_axis_and_marks(context):
    corpus = context.corpus
    figure = timeline_figure(corpus, corpus, *JAN)
    axis = figure.layout.xaxis
    assert axis.range[0].startswith("1948-12-31 12:00") and axis.range[1].startswith(
        "1949-01-31 12:00"
    )
    assert axis.rangeslider.range[1].startswith("1949-03-31 12:00")  # the whole period
    marks = {t.name: t for t in figure.data if t.customdata and t.customdata[0][0] == "message"}
    assert len(marks["exact date"].x) == 3 and len(marks["approximate date"].x) == 1
    assert marks["approximate date"].marker.symbol == "circle-open"
    assert marks["exact date"].marker.symbol == "circle"


def test_timeline_events_behind_marks(context):
    figure = timeline_figure(context.corpus, context.corpus, *JAN)
    events = [t for t in figure.data if t.customdata and t.customdata[0][0] == "event"]
    assert {t.customdata[0][1] for t in events} == {"e1", "e2"}
    spans = [s for s in figure.layout.shapes if s.type == "rect"]
    assert len(spans) == 1 and spans[0].x0.startswith("1949-01-29 12:00")


def test_timeline_says_when_empty(context):
    figure = timeline_figure(context.corpus, context.corpus, date(1949, 3, 10), date(1949, 3, 31))
    texts = [a.text for a in figure.layout.annotations]
    assert "No messages between 10 and 31 Mar 1949" in texts


def test_flow_link_values(context):
    corpus = context.corpus
    figure = flow_figure(corpus, corpus, *JAN)
    sankey = figure.data[0]
    labels = list(sankey.node.label)
    links = {
        (labels[s], labels[t]): v
        for s, t, v in zip(sankey.link.source, sankey.link.target, sankey.link.value, strict=True)
    }
    message = next(label for label in labels if "Reply" in label)
    assert links[("Mao Zedong", message)] == 4
    assert links[(message, "Iosif Stalin")] == 2
    assert links[(message, "Andrey Vyshinsky (not in Politburo)")] == 1
    assert sum(links.values()) == 8


def test_flow_wraps_telegram_titles_into_short_lines():
    corpus = load_corpus()  # the bundled corpus: its telegrams have long titles
    first, last = (day.date() for day in corpus.period)
    sankey = flow_spec(corpus, corpus, first, last)["data"][0]
    titled = [
        label
        for (kind, _, whole), label in zip(
            sankey["node"]["customdata"], sankey["node"]["label"], strict=True
        )
        if kind == "message" and len(whole) > MESSAGE_LABEL_CHARS
    ]
    assert titled, "the bundled corpus has telegram titles longer than a line"
    for label in titled:
        lines = label.split("<br>")
        assert len(lines) > 1 and all(len(line) <= MESSAGE_LABEL_CHARS for line in lines)


def test_the_range_strip_keeps_every_mark_whole_and_the_context_out():
    corpus = load_corpus()
    first, last = (day.date() for day in corpus.period)
    spec = timeline_spec(corpus, corpus, first, last, day=date(1949, 1, 14), chosen=("m06",))
    go.Figure(spec)
    off = [t for t in spec["data"] if t.get("xaxis") == OFF_STRIP]
    assert {t["name"] for t in off} >= {LIT_LABEL, CHOSEN_LABEL}
    assert all(t.get("xaxis") == OFF_STRIP for t in spec["data"] if is_event_trace(t))
    low, high = spec["layout"]["xaxis"]["rangeslider"]["yaxis"]["range"]
    marks = [
        y
        for t in spec["data"]
        if t.get("xaxis", "x") == "x" and "markers" in t.get("mode", "")
        for y in t["y"]
        if y is not None
    ]
    px_per_unit = STRIP_PX / (low - high)
    half_mark = strip_mark_px(spec["data"]) / 2
    assert half_mark >= 17 / 2
    assert all(
        (y - high) * px_per_unit >= half_mark - 1e-6
        and (low - y) * px_per_unit >= half_mark - 1e-6
        for y in marks
    )


def test_the_timelines_toolbar_stands_upright_in_its_own_margin(context):
    corpus = context.corpus
    wide = timeline_spec(corpus, corpus, *JAN)["layout"]
    assert wide["modebar"]["orientation"] == "v"
    assert wide["margin"]["r"] >= TOOLBAR_COLUMN_PX
    # A narrow frame's legend goes under the chart: the toolbar lies along the top again.
    narrow = narrow_look(timeline_spec(corpus, corpus, *JAN), "timeline")["layout"]
    assert narrow["modebar"]["orientation"] == "h" and narrow["margin"]["t"] >= 28


def test_a_described_image_hangs_its_legend_under_the_heading_in_the_charts_order(context):
    state = ViewState.default(context.corpus)
    network = context.spec("network", state)
    described = described_look(network, "Title", "dates", "source", 900, 620)["layout"]
    legend, top = described["legend"], described["margin"]["t"]
    # The network's keys are counted (they do not say showlegend), and its top name keeps
    # the room above the plot it has on the page.
    legend_top_px = (1 - legend["y"]) * 620
    assert legend["yref"] == "container" and legend["yanchor"] == "top"
    assert top >= legend_top_px + 20 + network["layout"]["margin"]["t"]
    timeline = context.spec("timeline", state)
    described = described_look(timeline, "Title", "dates", "source", 1200, 460)["layout"]
    assert described["legend"]["traceorder"] == "normal"


def test_strip_range_refits_for_a_lower_strip():
    span = strip_range((3, 10), 20, 52)
    assert refit_strip(span, (20, 52), (20, 52)) == pytest.approx(span)
    assert refit_strip(span, (20, 52), (14, 30)) == pytest.approx(strip_range((3, 10), 14, 30))


def test_flow_says_when_empty(context):
    corpus = context.corpus
    figure = flow_figure(
        corpus, corpus.filter(start="1949-03-01"), date(1949, 3, 1), date(1949, 3, 31)
    )
    assert not figure.data
    assert (
        "No distribution copies recorded between 1 and 31 Mar 1949"
        in figure.layout.annotations[0].text
    )


def test_presentation_look_is_bigger_and_leaves_input_alone(context):
    corpus = context.corpus
    spec = network_spec(corpus, corpus, context.positions["default"])
    before = json.dumps(spec, default=str)
    big = presentation_look(spec)
    assert json.dumps(spec, default=str) == before
    assert big["layout"]["font"]["size"] == 22
    edge = next(t for t in big["data"] if t["name"] == "stalin→mao")
    original = next(t for t in spec["data"] if t["name"] == "stalin→mao")
    assert edge["line"]["width"] == pytest.approx(original["line"]["width"] * 1.8)


def test_edge_hit_areas_stay_off_every_node(context):
    """Plotly gives a click to the nearest point: no point of a line may lie on a node."""
    corpus = context.corpus
    positions = context.positions["default"]
    figure = network_figure(corpus, corpus, positions)
    hits = hit_areas(figure)
    assert len(hits) == 4 and all(len(t.x) >= 10 for t in hits)
    for trace in hits:
        for x, y in zip(trace.x, trace.y, strict=True):
            for px, py in positions.values():
                # At the smallest plot drawn (about 290 px), more than a node's radius + 7 px.
                assert ((x - px) ** 2 + (y - py) ** 2) ** 0.5 * 290 > 10


@pytest.mark.parametrize("view", ["network", "timeline", "flow"])
def test_context_figure_for_every_view(context, view):
    figure = context.figure(view, ViewState.default(context.corpus))
    assert isinstance(figure, go.Figure) and figure.data


def test_context_rejects_unknown_view(context):
    with pytest.raises(ValueError, match="unknown view 'map'"):
        context.figure("map", ViewState.default(context.corpus))


@pytest.mark.parametrize(
    "query",
    ["", "?start=1949-03-01&end=1949-03-31", "?people=mikoyan&names=codename&look=presentation"],
)
@pytest.mark.parametrize("view", ["network", "timeline", "flow"])
def test_figures_are_valid_plotly(view, query):
    """Figures are built without per-property validation for speed; validate them here."""
    context = Context.build(load_corpus())
    figure = context.figure(view, ViewState.from_query(query, context.corpus))
    go.Figure(figure.to_plotly_json())  # raises on any invalid property


def test_event_lanes_keep_labels_apart():
    corpus = load_corpus()
    lanes = event_lanes(corpus.events)
    events = corpus.events.set_index("event_id")
    # Chiang's offer and the Berlin crisis both start on 1 January: two lanes.
    assert lanes["e01"] != lanes["e02"]
    # Within a lane, each event starts after the one before has ended, label included.
    for lane in set(lanes.values()):
        members = events.loc[[e for e, n in lanes.items() if n == lane]].sort_values("start")
        for (_, a), (_, b) in zip(members.iterrows(), members.iloc[1:].iterrows(), strict=False):
            label_end = a["start"] + pd.Timedelta(days=len(a["title"]))
            assert b["start"] > max(label_end, a["end"] if pd.notna(a["end"]) else a["start"])


def test_empty_texts_name_the_dates():
    assert no_messages_text(date(1949, 1, 14), date(1949, 1, 14)) == "No messages on 14 Jan 1949"
    context = Context.build(load_corpus())
    state = ViewState.from_query("?start=1949-03-01&end=1949-03-31", context.corpus)
    network = context.spec("network", state)
    assert network["layout"]["annotations"][-1]["text"] == "No messages between 1 and 31 Mar 1949"


def test_ticks_name_the_year_once_and_every_day_of_a_short_span(context):
    spec = context.spec(
        "timeline", ViewState.from_query("?start=1949-01-10&end=1949-01-15", context.corpus)
    )
    assert spec["layout"]["xaxis"]["ticktext"] == [
        "10 Jan 1949",
        "11 Jan",
        "12 Jan",
        "13 Jan",
        "14 Jan",
        "15 Jan",
    ]
    whole = context.spec("timeline", ViewState.default(context.corpus))
    assert whole["layout"]["xaxis"]["ticktext"][:3] == ["1 Jan 1949", "15 Jan", "1 Feb"]


def test_timeline_legend_keys_sides_and_dates_not_marks(context):
    corpus = context.corpus
    spec = timeline_spec(corpus, corpus, *JAN)
    keyed = [t["name"] for t in spec["data"] if t.get("showlegend")]
    assert keyed[:2] == ["CPC", "Soviet"] and "hollow: approx. date" in keyed
    marks = [t for t in spec["data"] if t.get("customdata") and t["customdata"][0][0] == "message"]
    assert marks and not any(t["showlegend"] for t in marks)
    assert spec["layout"]["legend"]["itemclick"] is False


def test_a_span_that_began_earlier_is_labelled_on_the_first_day_shown(context):
    corpus = context.corpus
    spec = timeline_spec(corpus, corpus, date(1949, 2, 3), date(1949, 2, 28))
    span = next(
        t for t in spec["data"] if t.get("customdata", [[0]])[0][0] == "event" and len(t["x"]) == 3
    )
    assert [bool(text) for text in span["text"]] == [False, True, False]
    assert span["x"][1] == pd.Timestamp("1949-02-03")


def test_copy_lists_follow_the_codename_toggle(context):
    corpus = context.corpus
    labels = list(flow_figure(corpus, corpus, *JAN, codenames=True).data[0].node.label)
    assert "Filippov" in labels and "Iosif Stalin" not in labels


# --- the narrow look -----------------------------------------------------------------------


def node_labels(spec: dict) -> set[str]:
    return {
        text
        for trace in spec["data"]
        if (trace.get("customdata") or [[None]])[0][0] == "person"
        for text in trace["text"]
    }


def test_narrow_network_has_short_names_and_no_legend(context):
    state = ViewState.default(context.corpus)
    wide = context.spec("network", state)
    narrow = context.spec("network", state, narrow=True)
    assert {"Iosif Stalin", "Mao Zedong"} <= node_labels(wide)
    # Mao Zedong has no short name in this corpus: his name stands.
    assert {"Stalin", "Mao Zedong"} <= node_labels(narrow)
    assert "Iosif Stalin" not in node_labels(narrow)
    assert wide["layout"]["showlegend"] and not narrow["layout"]["showlegend"]
    codenames = context.spec("network", replace(state, codenames=True), narrow=True)
    assert "Filippov" in node_labels(codenames)


def test_narrow_timeline_keeps_event_lanes_without_their_titles(context):
    state = ViewState.default(context.corpus)
    wide = context.spec("timeline", state)
    narrow = context.spec("timeline", state, narrow=True)
    events = [t for t in narrow["data"] if is_event_trace(t)]
    assert events and all("text" not in t["mode"] for t in events)
    assert all("text" in t["mode"] for t in wide["data"] if is_event_trace(t))
    assert "Stalin" in narrow["layout"]["yaxis"]["ticktext"]
    assert "Iosif Stalin" in wide["layout"]["yaxis"]["ticktext"]
    assert narrow["layout"]["font"]["size"] < wide["layout"]["font"]["size"]


def test_narrow_flow_labels_messages_by_day_and_hovers_the_whole_label(context):
    state = ViewState.default(context.corpus)
    node = context.spec("flow", state, narrow=True)["data"][0]["node"]
    labels = dict(zip((key for _, key, _ in node["customdata"]), node["label"], strict=True))
    full = {key: whole for _, key, whole in node["customdata"]}
    assert labels["b"] == "12 Jan" and full["b"].startswith("12 Jan: ")
    assert labels["stalin"] == "Stalin" and full["stalin"] == "Iosif Stalin"
    assert labels["vyshinskiy"] == full["vyshinskiy"] == "Andrey Vyshinsky (not in Politburo)"
    assert "customdata[2]" in node["hovertemplate"]


def test_narrow_look_leaves_its_input_alone(context):
    corpus = context.corpus
    spec = network_spec(corpus, corpus, context.positions["default"])
    before = json.dumps(spec, default=str)
    narrow_look(spec, "network")
    assert json.dumps(spec, default=str) == before


@pytest.mark.parametrize("view", ["network", "timeline", "flow"])
def test_narrow_figures_are_valid_plotly(view):
    context = Context.build(load_corpus())
    state = ViewState.from_query("?look=presentation&day=1949-01-12", context.corpus)
    figure = context.figure(view, state, narrow=True)
    go.Figure(figure.to_plotly_json())  # raises on any invalid property

"""Playback in the figures: the day's messages light up by width, outline and ring, not hue alone.

Kept apart from test_figures.py, which covers the figures without a playback day.
"""

from __future__ import annotations

from datetime import date

import plotly.graph_objects as go
import pytest
from factory import write_corpus

from dashboard.context import Context
from dashboard.figures import FADED, LIT_LABEL, flow_spec, network_spec, timeline_spec
from dashboard.model import load_corpus
from dashboard.state import ViewState

JAN = (date(1949, 1, 1), date(1949, 1, 31))


@pytest.fixture
def context(tmp_path):
    return Context.build(load_corpus(write_corpus(tmp_path)))


def network(context, day: date) -> dict:
    corpus = context.corpus
    spec = network_spec(
        corpus, corpus.until(day), context.positions["default"], lit=corpus.sent_on(day)
    )
    go.Figure(spec)  # every property is one plotly knows
    return spec


def edge_lines(spec):
    return [
        t
        for t in spec["data"]
        if t["mode"] == "lines" and t["name"].count("→") == 1 and not t["name"].endswith("(lit)")
    ]


def test_network_grows_to_the_day_and_lights_its_messages(context):
    spec = network(context, date(1949, 1, 12))
    edges = edge_lines(spec)
    assert sorted(t["name"] for t in edges) == ["mao→stalin", "stalin→mao"]  # not c or d yet
    glows = [t for t in spec["data"] if t["name"].endswith("(lit)")]
    assert [g["name"] for g in glows] == ["mao→stalin (lit)"]
    assert glows[0]["hoverinfo"] == "skip"
    lit = next(t for t in edges if t["name"] == "mao→stalin")
    unlit = next(t for t in edges if t["name"] == "stalin→mao")
    assert lit["opacity"] == 1 and unlit["opacity"] == FADED
    assert glows[0]["line"]["width"] > lit["line"]["width"]
    # The people of the day's message are outlined thick and dark.
    nodes = [t for t in spec["data"] if t.get("mode") == "markers+text"]
    outlines = {
        data[1]: width
        for trace in nodes
        for data, width in zip(trace["customdata"], trace["marker"]["line"]["width"], strict=True)
    }
    assert outlines["mao"] == outlines["stalin"] == 5 and outlines["terebin"] == 2
    assert LIT_LABEL in [t.get("name") for t in spec["data"]]


def test_network_without_a_day_has_no_glow(context):
    corpus = context.corpus
    spec = network_spec(corpus, corpus, context.positions["default"])
    assert not any(t["name"].endswith("(lit)") for t in spec["data"])
    assert LIT_LABEL not in [t.get("name") for t in spec["data"]]


def test_timeline_marks_the_day_with_a_band_a_line_and_rings(context):
    corpus = context.corpus
    spec = timeline_spec(corpus, corpus, *JAN, day=date(1949, 1, 28))
    go.Figure(spec)
    shapes = spec["layout"]["shapes"]
    band = [s for s in shapes if s["type"] == "rect" and s["x0"].startswith("1949-01-27 12:00")]
    line = [s for s in shapes if s["type"] == "line" and s["x0"] == "1949-01-28 00:00"]
    assert len(band) == 1 and len(line) == 1
    rings = next(t for t in spec["data"] if t["name"] == LIT_LABEL)
    assert rings["marker"]["symbol"] == "circle-open" and len(rings["x"]) == 1
    assert rings["showlegend"] is True


def test_timeline_on_an_empty_day_keeps_its_legend_entry(context):
    corpus = context.corpus
    spec = timeline_spec(corpus, corpus, *JAN, day=date(1949, 1, 20))
    rings = next(t for t in spec["data"] if t["name"] == LIT_LABEL)
    assert rings["x"] == [None]


def test_flow_labels_and_colours_the_days_copies(context):
    corpus = context.corpus
    day = date(1949, 1, 12)
    spec = flow_spec(corpus, corpus.until(day), *JAN, lit=corpus.sent_on(day))
    go.Figure(spec)
    sankey = spec["data"][0]
    # On a line of its own, so the telegram's label stays as narrow as its title.
    assert "12 Jan: Reply<br>(sent this day)" in sankey["node"]["label"]
    assert set(sankey["link"]["color"]) == {"rgba(138, 59, 18, 0.75)"}


def test_context_gives_every_view_the_playback_day(context):
    state = ViewState.from_query("?day=1949-01-12", context.corpus)
    network = context.spec("network", state)
    assert any(t["name"] == "mao→stalin (lit)" for t in network["data"])
    flow = context.spec("flow", state)
    assert any("sent this day" in label for label in flow["data"][0]["node"]["label"])
    timeline = context.spec("timeline", state)
    assert any(t["name"] == LIT_LABEL for t in timeline["data"])


def test_on_a_day_without_messages_everything_sent_fades(context):
    spec = network(context, date(1949, 1, 20))
    edges = edge_lines(spec)
    assert edges and all(t["opacity"] == FADED for t in edges)
    assert not any(t["name"].endswith("(lit)") for t in spec["data"])
    # The legend keeps its entry, so it does not jump as the days go by.
    assert LIT_LABEL in [t.get("name") for t in spec["data"]]

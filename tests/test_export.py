"""Exports: every format of a filtered view holds that view, reloads, and is written whole."""

from __future__ import annotations

import json
import re
import struct

import pandas as pd
import pytest
from defusedxml.common import DTDForbidden
from factory import MESSAGES, write_corpus
from plotly.offline import get_plotlyjs

from dashboard import export as ex
from dashboard.context import PRESENTATION_SIZE_PX, Context
from dashboard.formats import folder as folder_format
from dashboard.model import load_corpus
from dashboard.state import ViewState

# The tiny corpus: a (10 Jan, Stalin -> Mao), b (12 Jan, Mao -> Stalin, with copies),
# c (28 Jan, Stalin -> Terebin -> Mao), d (2 Mar, a cable from Mao to Stalin).
JANUARY = "?start=1949-01-10&end=1949-01-31"


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    # d answers b, so an extract holding d but not b points outside itself.
    messages = [dict(m) for m in MESSAGES]
    messages[3]["in_reply_to"] = "b"
    return write_corpus(tmp_path_factory.mktemp("corpus"), messages=messages)


@pytest.fixture(scope="module")
def context(folder):
    return Context.build(load_corpus(folder))


def state(context, query):
    parsed = ViewState.from_query(query, context.corpus)
    assert parsed.warnings == ()
    return parsed


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk, which always follows the 8-byte signature."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


# --- figures -------------------------------------------------------------------------------


def test_png_has_the_asked_size_times_the_scale(context):
    size = ex.image_size("network", 400, 300, 2)
    made = ex.export(context, "network", "png", state(context, JANUARY), size=size)
    assert made.media_type == "image/png"
    assert made.filename == "dispatches-network-1949-01-10-to-1949-01-31.png"
    assert png_size(made.content) == (800, 600)


def test_svg_has_the_size_and_the_filtered_people(context):
    size = ex.image_size("network", 500, 350, 1)
    made = ex.export(context, "network", "svg", state(context, "?kind=cable"), size=size)
    svg = made.content.decode("utf-8")
    root = re.search(r"<svg[^>]*>", svg).group(0)
    assert 'width="500"' in root and 'height="350"' in root
    # Narrower than a page's chart: short names where the corpus gives them.
    texts = re.findall(r">([^<>]+)</text>", svg)
    assert {"Stalin", "Mao Zedong"} <= set(texts) and "Iosif Stalin" not in texts
    # One cable, one line: a single edge trace between the two of them.
    assert svg.count('class="js-line"') == 1


def test_timeline_svg_shows_the_dates_asked_for(context):
    size = ex.image_size("timeline", 700, 300, 1)
    made = ex.export(context, "timeline", "svg", state(context, JANUARY), size=size)
    svg = made.content.decode("utf-8")
    assert 'width="700"' in re.search(r"<svg[^>]*>", svg).group(0)
    texts = re.findall(r">([^<>]+)</text>", svg)
    ticks = [t for t in texts if re.fullmatch(r"\d{2} [A-Z][a-z]{2}", t)]
    # The axis spans 10 - 31 January only: every tick is a January day from the 10th.
    assert ticks and all(t.endswith("Jan") and int(t[:2]) >= 10 for t in ticks)
    assert {"Iosif Stalin", "Mao Zedong"} <= set(texts)


def test_html_inlines_plotly_and_asks_no_other_host(context):
    made = ex.export(context, "network", "html", state(context, JANUARY), link="http://localhost/")
    page = made.content.decode("utf-8")
    plotly_js = get_plotlyjs()
    assert plotly_js in page
    outside = page.replace(plotly_js, "")
    assert not re.search(r"<script[^>]+src=", outside)
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", outside)
    assert "MathJax.js" not in outside and "mathjax" not in outside.lower().replace(
        "mathjaxconfig", ""
    )
    # The caption says what the chart shows.
    assert "10 - 31 Jan 1949" in outside and "data set version" in outside


def test_figure_json_is_the_figure_the_page_draws(context):
    view = state(context, JANUARY)
    made = ex.export(context, "timeline", "json", view)
    assert json.loads(made.content) == json.loads(context.figure("timeline", view).to_json())


def test_image_size_defaults_and_refusals():
    assert ex.image_size("network") == ex.ImageSize(900, 620, 2.0)
    # The presentation look's network is laid out wide and low in large type: its picture
    # is as wide as that layout, with room for the heading, key and citation.
    wide = ex.image_size("network", look="presentation")
    assert wide.width >= PRESENTATION_SIZE_PX[0] and wide.height > PRESENTATION_SIZE_PX[1]
    assert ex.image_size("timeline", look="presentation") == ex.image_size("timeline")
    assert ex.image_size("flow", fmt="svg") == ex.ImageSize(1200, 420, 1.0)
    with pytest.raises(ex.ExportError, match="width='wide' is not a whole number"):
        ex.image_size("network", width="wide")
    with pytest.raises(ex.ExportError, match="scale='0' is out of range"):
        ex.image_size("network", scale="0")
    with pytest.raises(ex.ExportError, match="too large"):
        ex.image_size("network", 6000, 6000, 8)


def test_unknown_view_or_format_is_refused(context):
    with pytest.raises(ex.ExportError, match="nothing called 'map'"):
        ex.check_request("map", "png")
    with pytest.raises(ex.ExportError, match="messages cannot be exported as 'png'"):
        ex.export(context, "messages", "png", ViewState.default(context.corpus))


def test_missing_browser_says_what_to_install(monkeypatch):
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    monkeypatch.setenv("PATH", "")
    monkeypatch.setattr(ex, "BROWSER_PATHS", ())
    with pytest.raises(ex.BrowserNotFoundError, match="apt-get install chromium"):
        ex.find_browser()
    monkeypatch.setenv("BROWSER_PATH", "/nowhere/chromium")
    with pytest.raises(ex.BrowserNotFoundError, match="BROWSER_PATH='/nowhere/chromium'"):
        ex.find_browser()


# --- data ----------------------------------------------------------------------------------


def test_csv_holds_the_filter_and_reloads_through_the_loader(context, folder):
    made = ex.export(context, "messages", "csv", state(context, "?kind=cable"))
    path = ex.write_atomic(folder / "cables.csv", made.content)
    # Beside it: the full people and copies files, whose copies are of message b only.
    reloaded = load_corpus(path)
    assert list(reloaded.messages["message_id"]) == ["d"]
    assert reloaded.messages.loc[0, "in_reply_to"] == "b"
    assert reloaded.copies.empty
    original = context.corpus.messages[context.corpus.messages["message_id"] == "d"]
    pd.testing.assert_frame_equal(
        reloaded.messages.reset_index(drop=True),
        original[ex.MESSAGE_COLUMNS].reset_index(drop=True),
    )


def test_csv_has_the_columns_of_messages_csv(context):
    made = ex.export(context, "messages", "csv", state(context, JANUARY))
    header, *rows = made.content.decode("utf-8").splitlines()
    bundled = (ex.MESSAGE_COLUMNS, header.split(","))
    assert bundled[0] == bundled[1]
    assert [row.split(",")[0] for row in rows] == ["a", "b", "c"]


def test_json_matches_the_filter(context):
    view = state(context, JANUARY + "&people=Filippov")
    made = ex.export(context, "messages", "json", view, link="http://localhost/x")
    document = json.loads(made.content)
    assert document["filter"] == {
        "start": "1949-01-10",
        "end": "1949-01-31",
        "people": ["stalin"],
        "kinds": [],
        "names": "name",
        "query": "?start=1949-01-10&end=1949-01-31&people=stalin",
    }
    assert document["count"] == 3
    records = {r["message_id"]: r for r in document["messages"]}
    assert sorted(records) == ["a", "b", "c"]
    assert records["a"]["date"] == "1949-01-10" and records["a"]["archive_ref"] == "ref-a"
    assert "source" in records["a"]
    assert records["b"]["copies"] == [
        {"member": "stalin", "copies": 2},
        {"member": "molotov", "copies": 1},
        {"member": "vyshinskiy", "copies": 1},
    ]
    assert records["c"]["via_name"] == "Terebin"
    assert "people: Iosif Stalin" in document["citation"]


def test_gexf_reloads_with_dated_dynamic_edges(context, tmp_path):
    made = ex.export(context, "messages", "gexf", state(context, JANUARY))
    graph = ex.read_network(ex.write_atomic(tmp_path / "january.gexf", made.content))
    assert graph.graph["mode"] == "dynamic"
    assert sorted(graph.nodes) == ["mao", "stalin", "terebin"]
    # a and b are one leg each; the relayed c is two.
    assert graph.number_of_edges() == 4
    dates = sorted((d["message_id"], d["start"], d["end"]) for *_, d in graph.edges(data=True))
    assert dates == [
        ("a", "1949-01-10", "1949-01-10"),
        ("b", "1949-01-12", "1949-01-12"),
        ("c", "1949-01-28", "1949-01-28"),
        ("c", "1949-01-28", "1949-01-28"),
    ]
    assert graph.nodes["stalin"]["label"] == "Iosif Stalin"
    assert b'timeformat="date"' in made.content


def test_graphml_reloads_with_a_date_on_every_edge(context, tmp_path):
    made = ex.export(context, "messages", "graphml", state(context, "?start=1949-01-20"))
    graph = ex.read_network(ex.write_atomic(tmp_path / "late.graphml", made.content))
    assert sorted(graph.nodes) == ["mao", "stalin", "terebin"]
    edges = sorted((u, v, d["date"], d["relayed"]) for u, v, d in graph.edges(data=True))
    assert edges == [
        ("mao", "stalin", "1949-03-02", False),
        ("stalin", "terebin", "1949-01-28", True),
        ("terebin", "mao", "1949-01-28", True),
    ]


def test_an_empty_filter_gives_an_empty_network(context, tmp_path):
    made = ex.export(context, "messages", "graphml", state(context, "?kind=cable&end=1949-01-31"))
    graph = ex.read_network(ex.write_atomic(tmp_path / "none.graphml", made.content))
    assert graph.number_of_nodes() == 0 and graph.number_of_edges() == 0


def test_reading_back_refuses_xml_with_a_dtd(tmp_path):
    bomb = tmp_path / "bomb.graphml"
    bomb.write_text('<?xml version="1.0"?><!DOCTYPE g [<!ENTITY a "aaaa">]><graphml>&a;</graphml>')
    with pytest.raises(DTDForbidden):
        ex.read_network(bomb)


# --- writing -------------------------------------------------------------------------------


def test_write_atomic_replaces_whole_files(tmp_path):
    target = tmp_path / "out.csv"
    target.write_bytes(b"old")
    ex.write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_failed_write_leaves_the_old_file_and_no_partial_one(tmp_path, monkeypatch):
    target = tmp_path / "out.png"
    target.write_bytes(b"the old image")

    def crash(*_args):
        raise OSError("disk full")

    monkeypatch.setattr(ex.os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        ex.write_atomic(target, b"half an image")
    assert target.read_bytes() == b"the old image"
    assert [p.name for p in tmp_path.iterdir()] == ["out.png"]


def test_failed_write_of_a_new_file_leaves_nothing(tmp_path):
    with pytest.raises(TypeError):
        ex.write_atomic(tmp_path / "out.json", "not bytes")  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []


# --- CSV that no spreadsheet runs ---------------------------------------------------------------

FORMULAS = {
    "title": '=HYPERLINK("http://example.invalid","open")',
    "summary": "-2+3 a summary that starts with a minus",
    "archive_ref": "+cmd|' /C calc'!A0",
    "source": "@SUM(1+1)",
}


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("a=1", "a=1"),
        ("1949-01-10", "1949-01-10"),
        ("", ""),
        ("'=already", "'=already"),
    ],
)
def test_a_cell_a_spreadsheet_would_run_gets_a_quote(value, written):
    assert folder_format.spreadsheet_safe(value) == written


def test_csv_cells_that_are_formulas_are_neutralised_and_reload_as_they_were(tmp_path):
    messages = [dict(m) for m in MESSAGES]
    messages[0].update(FORMULAS)
    folder = write_corpus(tmp_path, messages=messages)
    context = Context.build(load_corpus(folder))
    made = ex.export(context, "messages", "csv", ViewState.default(context.corpus))
    text = made.content.decode("utf-8")
    for value in FORMULAS.values():
        assert value not in text.replace("'" + value, "")  # never without its quote
    assert "'=HYPERLINK(" in text and "'@SUM(1+1)" in text and "'-2+3 a summary" in text
    # The loader reads the quote back off: the record is what the corpus holds.
    path = ex.write_atomic(folder / "export.csv", made.content)
    reloaded = load_corpus(path).messages.set_index("message_id")
    for column, value in FORMULAS.items():
        assert reloaded.loc["a", column] == value

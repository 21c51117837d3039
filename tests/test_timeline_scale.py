"""The timeline and playback at any span: bins, rows, playback steps and the slider's marks."""

from __future__ import annotations

import importlib.util
import itertools
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest

from dashboard import ids
from dashboard.citation import LONG_TIMELINE_TITLE, chart_title
from dashboard.context import Context
from dashboard.corpora import open_corpus
from dashboard.figures import (
    LIT_LABEL,
    MOST_BINS,
    MOST_MARKS,
    OFF_STRIP,
    OTHERS_ROW,
    TOP_ROWS,
    bin_floor,
    bin_unit,
    binned_counts,
    playback_step,
    playback_unit,
    timeline_rows,
    timeline_spec,
)
from dashboard.formats import cmif
from dashboard.letters import Metadata
from dashboard.model import DATE, SENDER, load_corpus
from dashboard.state import ViewState, describe_span
from dashboard.views import describe, exhibit
from dashboard.views.interactions import next_state, next_step

BENCH = Path(__file__).parent / "benchmarks" / "bench_import.py"


def _bench():
    spec = importlib.util.spec_from_file_location("bench_import", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def centuries(tmp_path_factory):
    """6,000 made-up letters among 300 people over two centuries (1750-1949): about 30 a year."""
    path = tmp_path_factory.mktemp("centuries") / "letters.xml"
    cmif.write(Metadata(title="Made-up letters"), _bench().letters(6000), path)
    return open_corpus(path)[0]


@pytest.fixture(scope="module")
def bundled():
    return load_corpus()


# --- bins ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "unit"),
    [
        (1, "day"),
        (150, "day"),
        (151, "week"),
        (2 * 365, "week"),
        (3 * 365, "month"),
        (12 * 365, "month"),
        (20 * 365, "year"),
        (150 * 365, "year"),
        (300 * 365, "decade"),
    ],
)
def test_the_bin_is_the_finest_that_keeps_the_span_under_the_limit(days, unit):
    start = date(1800, 1, 1)
    assert bin_unit(start, start + timedelta(days=days - 1)) == unit


@pytest.mark.parametrize("days", [10, 200, 800, 2000, 9000, 40000, 80000])
def test_no_span_has_more_bins_than_the_limit(days):
    start = date(1700, 3, 5)
    end = start + timedelta(days=days)
    unit = bin_unit(start, end)
    firsts = bin_floor(pd.Series(pd.date_range(start, end, freq="D")), unit)
    assert firsts.nunique() <= MOST_BINS + 1  # a bin cut at each end of the span


def test_bins_start_on_a_monday_the_first_of_a_month_a_year_or_a_decade():
    days = pd.Series(pd.to_datetime(["1894-03-16", "1907-12-31"]))  # a Friday, a Tuesday
    assert list(bin_floor(days, "week").dt.date) == [date(1894, 3, 12), date(1907, 12, 30)]
    assert list(bin_floor(days, "month").dt.date) == [date(1894, 3, 1), date(1907, 12, 1)]
    assert list(bin_floor(days, "year").dt.date) == [date(1894, 1, 1), date(1907, 1, 1)]
    assert list(bin_floor(days, "decade").dt.date) == [date(1890, 1, 1), date(1900, 1, 1)]


# --- rows ----------------------------------------------------------------------------------


def test_a_few_senders_keep_every_row_in_their_order():
    every = ["b", "a", "c"]
    assert timeline_rows({"a": 5}, every) == (every, 0)


def test_many_senders_give_the_busiest_rows_and_one_for_the_rest():
    every = [f"p{i:02}" for i in range(40)]
    counts = {p: 40 - i for i, p in enumerate(every)} | {"p39": 0, "p05": 35}
    rows, others = timeline_rows(counts, every)
    # p05 ties with p04 (35 letters each) and comes after it, by id; p39 wrote nothing here.
    assert rows[:6] == ["p00", "p01", "p02", "p03", "p04", "p05"]
    assert len(rows) == TOP_ROWS + 1 and rows[-1] == OTHERS_ROW
    assert others == 39 - TOP_ROWS


def test_no_row_of_others_for_a_single_other():
    every = [f"p{i:02}" for i in range(25)]
    counts = {p: 1 for p in every[: TOP_ROWS + 1]}
    rows, others = timeline_rows(counts, every)
    assert OTHERS_ROW not in rows and len(rows) == TOP_ROWS + 1 and others == 0


# --- the binned timeline -------------------------------------------------------------------


def _cell_traces(spec):
    """The traces of binned letters (not their legend entry)."""
    return [t for t in spec["data"] if t.get("customdata") and t["customdata"][0][0] == "bin"]


def _view_cells(spec):
    """The squares of the dates shown, which the range strip leaves out."""
    return [t for t in _cell_traces(spec) if t.get("xaxis") == OFF_STRIP]


def _strip_cells(spec):
    """The range strip's coarse squares."""
    return [t for t in _cell_traces(spec) if t.get("xaxis", "x") == "x"]


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(1750, 1, 1), date(1949, 12, 31)),
        (date(1800, 1, 1), date(1849, 12, 31)),
        (date(1850, 6, 1), date(1853, 5, 31)),
    ],
)
def test_binned_counts_sum_to_the_letters_in_view(centuries, start, end):
    messages = centuries.messages
    days = messages[DATE]
    in_view = int(((days >= pd.Timestamp(start)) & (days <= pd.Timestamp(end))).sum())
    spec = timeline_spec(centuries, centuries, start, end)
    cells = _view_cells(spec)
    if in_view > MOST_MARKS:
        assert sum(sum(c[2] for c in t["customdata"]) for t in cells) == in_view
        # The strip counts every dated letter once, in its own rows below the plot's range.
        strip = _strip_cells(spec)
        assert sum(sum(c[2] for c in t["customdata"]) for t in strip) == len(days.dropna())
        lowest_row = max(spec["layout"]["yaxis"]["range"])
        assert all(min(t["y"]) > lowest_row for t in strip)
        strip_range = spec["layout"]["xaxis"]["rangeslider"]["yaxis"]["range"]
        assert min(strip_range) < min(min(t["y"]) for t in strip)
        assert max(strip_range) > max(max(t["y"]) for t in strip)
    else:
        assert not cells
        marks = [
            t for t in spec["data"] if t.get("customdata") and t["customdata"][0][0] == "message"
        ]
        assert sum(len(t["x"]) for t in marks) == in_view
    # Rows: the busiest fifteen and the others, never one per sender of the corpus.
    assert len(spec["layout"]["yaxis"]["ticktext"]) <= TOP_ROWS + 2


def test_binned_counts_cut_bins_to_the_span_and_fold_the_rest(centuries):
    start, end = date(1850, 1, 10), date(1859, 12, 20)
    messages = centuries.messages
    days = messages[DATE]
    in_view = messages[(days >= pd.Timestamp(start)) & (days <= pd.Timestamp(end))]
    busiest = in_view[SENDER].value_counts().index[0]
    cells = binned_counts(messages, {busiest: busiest}, "month", start, end)
    assert cells["letters"].sum() == len(in_view)
    assert set(cells["row"]) == {busiest, OTHERS_ROW}
    assert cells["letters"][cells["row"] == busiest].sum() == (in_view[SENDER] == busiest).sum()
    assert min(cells["first"]) >= start and max(cells["last"]) <= end
    assert (cells["first"] <= cells["last"]).all()


def test_a_few_senders_in_view_still_leave_the_rest_a_row_for_the_slider(centuries):
    # A fortnight: a handful of letters, each sender with a row; the range slider's letters
    # outside it, from every other sender, go to the row of others.
    spec = timeline_spec(centuries, centuries, date(1850, 1, 1), date(1850, 1, 14))
    assert spec["layout"]["yaxis"]["ticktext"][-1].startswith("<i>others: ")
    total = sum(sum(c[2] for c in t["customdata"]) for t in _cell_traces(spec))
    marks = [t for t in spec["data"] if t.get("customdata") and t["customdata"][0][0] == "message"]
    drawn = total + sum(len(t["x"]) for t in marks)
    assert drawn == int(centuries.messages[DATE].notna().sum())


def test_binned_cells_say_their_count_and_dates_and_click_to_them(centuries):
    spec = timeline_spec(centuries, centuries, date(1800, 1, 1), date(1811, 12, 31))
    # A trace a row, which names its row in its hover.
    rows = _view_cells(spec)
    names = spec["layout"]["yaxis"]["ticktext"]
    assert len(rows) == len(names) and {t["meta"] for t in rows} <= {*names, "others"}
    cells = rows[0]
    assert cells["name"] == "letters per month" and len(set(cells["y"])) == 1
    first = cells["customdata"][0]
    assert first[0] == "bin"
    low, high = (date.fromisoformat(d) for d in first[1].split("/"))
    assert low.day == 1 and (high + timedelta(days=1)).day == 1
    # The hover: the count (one letter, or letters), the month, whose, and what a click does.
    assert first[3] == ("letter" if first[2] == 1 else "letters")
    assert cells["text"][0] == describe_span(low, high)
    template = cells["hovertemplate"]
    assert "%{customdata[2]:,} %{customdata[3]}" in template and "%{meta}" in template
    assert "Click to show these dates" in template
    # Each row's busiest bin is its largest and darkest square.
    for row in rows:
        assert max(row["marker"]["color"]) == 1 and max(row["marker"]["size"]) <= 22
    assert "others" in spec["layout"]["yaxis"]["ticktext"][-1]
    # A corpus without context events has no empty context row.
    assert not any("Context" in text for text in spec["layout"]["yaxis"]["ticktext"])
    # The range slider counts the whole period in coarse bins, those outside the dates
    # shown faint.
    strip = _strip_cells(spec)
    faint = [t for t in strip if t["marker"]["opacity"] < 1]
    total = sum(sum(c[2] for c in t["customdata"]) for t in strip)
    assert faint and total == int(centuries.messages[DATE].notna().sum())
    assert all(t["name"].endswith("(range strip)") for t in strip)


def test_a_click_on_a_bin_shows_its_dates(centuries):
    state = ViewState.default(centuries)
    click = {"points": [{"customdata": ["bin", "1801-03-01/1801-03-31"]}]}
    new = next_state(state, ids.TIMELINE, click, centuries)
    assert (new.start, new.end) == (date(1801, 3, 1), date(1801, 3, 31))
    assert "start=1801-03-01" in new.to_query(centuries)
    garbled = {"points": [{"customdata": ["bin", "1801-03-31/nonsense"]}]}
    assert next_state(state, ids.TIMELINE, garbled, centuries) == state


def test_playback_rings_the_bins_of_its_step(centuries):
    # Forty years: yearly bins, monthly playback.
    start, end = date(1800, 1, 1), date(1839, 12, 31)
    spec = timeline_spec(centuries, centuries, start, end, day=date(1805, 6, 1))
    band = next(s for s in spec["layout"]["shapes"] if s["type"] == "rect")
    assert (band["x0"][:10], band["x1"][:10]) == ("1805-05-31", "1805-06-30")
    (rings,) = [t for t in spec["data"] if t["name"] == LIT_LABEL]
    # The bins of 1805 hold June 1805: one ring a row at most.
    assert 1 <= len(rings["x"]) <= TOP_ROWS + 1
    assert all(x[:4] == "1805" for x in rings["x"])


def test_the_binned_timeline_is_described_by_its_bins(centuries):
    state = ViewState.from_query("?start=1800-01-01&end=1811-12-31", centuries)
    alternative = describe.timeline(centuries, state.filter(centuries), state)
    assert "letters per month" in alternative.sentence or "by month" in alternative.sentence
    assert alternative.columns[:2] == ("From", "To")
    assert sum(int(row[2].replace(",", "")) for row in alternative.rows) == len(
        state.filter(centuries).messages[state.filter(centuries).messages[DATE].notna()]
    )


# --- playback ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "unit"),
    [
        (31, "day"),
        (151, "day"),
        (365, "week"),
        (3 * 365, "week"),
        (20 * 365, "month"),
        (200 * 365, "year"),
    ],
)
def test_playback_steps_with_the_span(days, unit):
    start = date(1894, 5, 1)
    assert playback_unit(start, start + timedelta(days=days - 1)) == unit


@pytest.mark.parametrize("years", [1, 3, 20, 200])
def test_playback_walks_a_span_in_a_few_hundred_steps_each_a_whole_step(years):
    start, end = date(1894, 5, 17), date(1894 + years, 3, 2)
    day, steps = start, 0
    while day <= end:
        first, last = playback_step(day, start, end)
        assert first == day and last >= first
        following = next_step(day, start, end)
        assert following == last + timedelta(days=1) or last == end
        day, steps = following, steps + 1
    assert steps <= 500


def test_the_bundled_corpus_still_plays_day_by_day(bundled):
    state = ViewState.from_query("?play=on&day=1949-01-30", bundled)
    assert next_state(state, ids.CLOCK, 1, bundled).day == date(1949, 1, 31)


def test_a_tick_goes_on_a_week_and_the_slider_lands_on_its_step(centuries):
    state = ViewState.from_query(
        "?start=1800-01-01&end=1800-12-31&play=on&day=1800-01-01", centuries
    )
    assert next_state(state, ids.CLOCK, 1, centuries).day == date(1800, 1, 8)
    offset = exhibit.day_offset(date(1800, 1, 12), centuries)
    assert next_state(state, ids.DAY, offset, centuries).day == date(1800, 1, 8)
    # The label names the week and counts its letters, whatever day they were sent on.
    week = ViewState.from_query("?start=1800-01-01&end=1800-12-31&day=1800-03-05", centuries)
    days = centuries.messages[DATE]
    sent = int(((days >= "1800-03-05") & (days <= "1800-03-11")).sum())
    label = str(exhibit.day_label(centuries.filter(), week))
    assert sent > len(centuries.sent_on(date(1800, 3, 5)))
    assert "5 - 11 Mar 1800" in label and f"{sent} message" in label and "sent this week" in label


def test_a_nudge_of_the_slider_moves_a_whole_step_either_way(centuries):
    # A century plays by the year: an arrow key moves the thumb one day, which must not
    # snap back to the year it left.
    state = ViewState.from_query("?start=1800-01-01&end=1899-12-31&day=1805-01-01", centuries)
    offset = exhibit.day_offset(date(1805, 1, 1), centuries)
    assert next_state(state, ids.DAY, offset + 1, centuries).day == date(1806, 1, 1)
    assert next_state(state, ids.DAY, offset - 1, centuries).day == date(1804, 1, 1)
    assert next_state(state, ids.DAY, offset, centuries).day == date(1805, 1, 1)
    last = ViewState.from_query("?start=1800-01-01&end=1899-12-31&day=1899-01-01", centuries)
    end = exhibit.day_offset(date(1899, 1, 1), centuries)
    assert next_state(last, ids.DAY, end + 1, centuries).day == date(1899, 1, 1)


def test_the_timeline_is_titled_for_its_span(centuries, bundled):
    assert chart_title("timeline", bundled) == "Day by day"
    assert chart_title("timeline", centuries) == LONG_TIMELINE_TITLE
    assert chart_title("network", centuries) == chart_title("network", bundled)


def test_the_last_step_ends_playback(centuries):
    state = ViewState.from_query(
        "?start=1800-01-01&end=1819-12-31&play=on&day=1819-12-01", centuries
    )
    assert not next_state(state, ids.CLOCK, 1, centuries).playing


# --- the slider's marks --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(1949, 1, 1), date(1949, 5, 31)),
        (date(1890, 3, 1), date(1890, 5, 31)),
        (date(1894, 1, 1), date(1894, 12, 31)),
        (date(1894, 5, 1), date(1897, 4, 30)),
        (date(1894, 5, 1), date(1913, 11, 30)),
        (date(1750, 1, 1), date(1949, 11, 30)),
        (date(1541, 7, 18), date(1911, 2, 2)),
    ],
)
def test_slider_marks_never_touch_at_the_default_width(bundled, start, end):
    marks = exhibit.slider_marks(start, end, bundled)
    assert 1 <= len(marks) <= exhibit.MOST_SLIDER_MARKS
    first = exhibit.day_offset(start, bundled)
    per_day = exhibit.SLIDER_WIDTH_PX / max((end - start).days, 1)
    placed = sorted(((offset - first) * per_day, text) for offset, text in marks.items())
    for (x0, a), (x1, b) in itertools.pairwise(placed):
        assert x1 - x0 >= (len(a) + len(b)) * exhibit.MARK_CHAR_PX / 2, (a, b)
    if (end - start).days > 10 * 365:
        assert all(text.isdigit() for text in marks.values())


def test_the_bundled_corpus_keeps_its_month_marks(bundled):
    first, last = (day.date() for day in bundled.period)
    assert list(exhibit.slider_marks(first, last, bundled).values()) == [
        "1 Jan",
        "1 Feb",
        "1 Mar",
        "1 Apr",
        "1 May",
    ]


def test_the_brahm_edition_is_binned_and_plays_by_the_month(shared_corpora):
    corpus = open_corpus(shared_corpora / "cmif" / "brahm-schnitzler.xml")[0]
    context = Context.build(corpus)
    state = ViewState.default(corpus)
    spec = context.spec("timeline", state)
    dated = int(corpus.messages[DATE].notna().sum())
    for cells in (_view_cells(spec), _strip_cells(spec)):
        assert cells and sum(sum(c[2] for c in t["customdata"]) for t in cells) == dated
    assert playback_unit(state.start, state.end) == "month"
    assert all(len(t) == 4 for t in spec["layout"]["xaxis"]["ticktext"])


def test_a_long_step_names_a_few_of_its_letters_and_counts_the_rest(centuries):
    """A year's step over two centuries lights hundreds of letters: the network's sentence
    names the first few and counts the others; the timeline's text is the still view's,
    with the step said at its end."""
    state = ViewState.from_query("?day=1850-01-01", centuries)
    shown = state.filter(centuries)
    _until, lit = describe.played(shown, state)
    assert len(lit) > describe.TITLES_PER_LINE
    sentence = describe.network(centuries, shown, state).sentence
    highlighted = sentence[sentence.index("Highlighted") :]
    assert highlighted.count("; ") == describe.TITLES_PER_LINE
    assert highlighted.endswith(f"; and {len(lit) - describe.TITLES_PER_LINE:,} more.")
    still = describe.timeline(centuries, shown, replace(state, day=None))
    moving = describe.timeline(centuries, shown, state)
    assert moving.rows == still.rows
    assert moving.sentence == f"{still.sentence} A band marks the playback step from 1 Jan 1850."

"""ViewState: the URL query string round trip, and bad values that fall back with a warning."""

from __future__ import annotations

from datetime import date

import pytest
from factory import write_corpus

from dashboard.model import load_corpus
from dashboard.state import ViewState, describe_span


@pytest.fixture
def corpus(tmp_path):
    return load_corpus(write_corpus(tmp_path))


def test_default_view_has_empty_query(corpus):
    state = ViewState.default(corpus)
    assert (state.start, state.end) == (date(1949, 1, 1), date(1949, 3, 31))
    assert state.to_query(corpus) == ""
    assert ViewState.from_query("", corpus) == state


def test_round_trip(corpus):
    state = ViewState.default(corpus).with_changes(
        start=date(1949, 1, 10),
        end=date(1949, 1, 15),
        people=("stalin", "mao"),
        kinds=("coded telegram",),
        message=("b",),
        codenames=True,
        look="presentation",
    )
    query = state.to_query(corpus)
    assert query == (
        "?start=1949-01-10&end=1949-01-15&people=stalin,mao&kind=coded+telegram"
        "&message=b&names=codename&look=presentation"
    )
    again = ViewState.from_query(query, corpus)
    assert again == state and again.warnings == ()


def test_an_open_context_event_round_trips(corpus):
    state = ViewState.default(corpus).with_changes(event="e2", end=date(1949, 2, 28))
    assert state.to_query(corpus) == "?end=1949-02-28&event=e2"
    assert ViewState.from_query("?end=1949-02-28&event=e2", corpus) == state


def test_aliases_in_the_url_find_people(corpus):
    state = ViewState.from_query("?people=Filippov,Mao%20Tse-tung", corpus)
    assert state.people == ("stalin", "mao") and state.warnings == ()


@pytest.mark.parametrize(
    ("query", "field", "expected", "words"),
    [
        ("?start=1949-02-30", "start", date(1949, 1, 1), "not a day in the calendar"),
        ("?start=1949-01-10garbage", "start", date(1949, 1, 1), "not a date"),
        ("?start=19490110", "start", date(1949, 1, 1), "not a date"),
        ("?end=yesterday", "end", date(1949, 3, 31), "not a date"),
        ("?start=1950-01-01", "start", date(1949, 1, 1), "outside"),
        ("?people=Zhukov", "people", (), "Zhukov"),
        ("?kind=postcard", "kinds", (), "postcard"),
        ("?message=zz", "message", (), "zz"),
        ("?event=e99", "event", None, "e99"),
        ("?look=neon", "look", "default", "neon"),
        ("?colour=red", "codenames", False, "colour"),
    ],
)
def test_bad_values_fall_back_with_a_warning(corpus, query, field, expected, words):
    state = ViewState.from_query(query, corpus)
    assert getattr(state, field) == expected
    assert len(state.warnings) == 1 and words in state.warnings[0]


def test_start_after_end_is_swapped(corpus):
    state = ViewState.from_query("?start=1949-02-10&end=1949-01-05", corpus)
    assert (state.start, state.end) == (date(1949, 1, 5), date(1949, 2, 10))
    assert "swapped" in state.warnings[0]


def test_filter_uses_the_state(corpus):
    state = ViewState.from_query("?start=1949-01-11&end=1949-01-31&people=terebin", corpus)
    assert list(state.filter(corpus).messages["message_id"]) == ["c"]


@pytest.mark.parametrize(
    ("start", "end", "text"),
    [
        (date(1949, 1, 10), date(1949, 1, 15), "10 - 15 Jan 1949"),
        (date(1949, 1, 1), date(1949, 5, 31), "1 Jan - 31 May 1949"),
        (date(1949, 3, 1), date(1949, 3, 1), "1 Mar 1949"),
    ],
)
def test_describe_span(start, end, text):
    assert describe_span(start, end) == text

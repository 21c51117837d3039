"""ViewState: the URL query string round trip, and bad values that fall back with a warning."""

from __future__ import annotations

from datetime import date
from functools import partial
from urllib.parse import urlencode

import pytest
from factory import write_corpus
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.model import load_corpus
from dashboard.state import (
    LOOKS,
    MAX_WARNINGS,
    PARAMETERS,
    SPEEDS,
    ViewState,
    describe_span,
)


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


# --- any query string: a valid state, never an exception ------------------------------------

BUNDLED = load_corpus()
KEYS = sorted(PARAMETERS)
# Values that once broke the parser or look like what it wants: unicode digits pass
# str.isdigit() and int() refuses them; \d accepts them in a date.
NASTY = st.sampled_from(
    [
        "\u00b2",
        "\u0663",
        "\uff11",
        "1\u00b2",
        "-1",
        "0",
        "99999999999999999999",
        "9" * 5000,
        "1949-01-1\u0663",
        "\u0661\u0669\u0664\u0669-01-01",
        "0000-01-01",
        "9999-12-31",
        "NaN",
        "%FF",
        "%00",
        "\x00",
        "on,on",
        ",,,",
        "codename",
        "presentation",
        "fast",
        "1949-02-29",
    ]
)
VALUES = st.one_of(NASTY, st.text(max_size=30), st.from_regex(r"[0-9]{1,5}(-[0-9]{1,3}){0,2}"))


@st.composite
def queries(draw) -> str:
    pairs = draw(
        st.lists(
            st.tuples(st.one_of(st.sampled_from(KEYS), st.text(max_size=8)), VALUES), max_size=8
        )
    )
    raw = draw(st.booleans())
    if raw:  # a query as a person might type it, percent signs and all
        return "?" + "&".join(f"{key}={value}" for key, value in pairs)
    return "?" + urlencode(pairs)


def assert_valid(state: ViewState, corpus) -> None:
    first, last = (day.date() for day in corpus.period)
    assert first <= state.start <= state.end <= last
    assert set(state.people) <= set(corpus.people["person_id"])
    assert set(state.kinds) <= set(corpus.kinds)
    assert set(state.message) <= set(corpus.messages["message_id"])
    assert state.day is None or state.start <= state.day <= state.end
    assert state.step is None or 1 <= state.step <= len(corpus.story)
    assert state.look in LOOKS and state.speed in SPEEDS
    assert len(state.warnings) <= MAX_WARNINGS
    assert all(len(warning) < 400 for warning in state.warnings)


@settings(max_examples=300, deadline=None)
@given(query=st.one_of(queries(), st.text(max_size=60)))
def test_any_query_gives_a_valid_state(query):
    state = ViewState.from_query(query, BUNDLED)
    assert_valid(state, BUNDLED)
    # What the page writes back for it is clean: read again, it warns of nothing.
    again = ViewState.from_query(state.to_query(BUNDLED), BUNDLED)
    assert again == state and again.warnings == ()


@pytest.mark.parametrize("query", [None, 12, ["?step=1"], {"step": "1"}, b"?step=1", 1e309])
def test_a_query_that_is_not_text_gives_the_default_view(query):
    state = ViewState.from_query(query, BUNDLED)
    assert state == ViewState.default(BUNDLED)
    if query is None:
        assert state.warnings == ()
    else:
        assert state.warnings == ("The link's query is not text; showing the default view.",)


@pytest.mark.parametrize("step", ["\u00b2", "\u0663", "1\u00b2", "9" * 5000, "-1", "0"])
def test_a_story_step_in_other_digits_is_named_and_dropped(step):
    state = ViewState.from_query("?" + urlencode({"step": step}), BUNDLED)
    assert state.step is None
    assert len(state.warnings) == 1 and "no story step" in state.warnings[0]


def test_dates_in_other_digits_are_not_dates():
    state = ViewState.from_query("?start=\u0661\u0669\u0664\u0669-01-05", BUNDLED)
    assert state.start == date(1949, 1, 1) and "not a date" in state.warnings[0]


def test_a_long_value_is_cut_short_in_its_warning():
    state = ViewState.from_query("?people=" + "x" * 10_000, BUNDLED)
    assert len(state.warnings[0]) < 120 and "\u2026" in state.warnings[0]


def test_an_unknown_parameter_leaves_the_others_alone():
    state = ViewState.from_query("?names=codename&colour=red&look=presentation", BUNDLED)
    assert state.codenames and state.look == "presentation"
    assert state.warnings == ("Unknown URL parameter 'colour'; ignored.",)


def test_many_problems_end_in_a_count():
    state = ViewState.from_query("?people=" + ",".join(f"p{n}" for n in range(50)), BUNDLED)
    assert len(state.warnings) == MAX_WARNINGS
    assert state.warnings[-1] == f"... and {50 - MAX_WARNINGS + 1} more problems in the link."


@st.composite
def valid_states(draw) -> ViewState:
    corpus = BUNDLED
    first, last = (day.date() for day in corpus.period)
    days = st.dates(min_value=first, max_value=last)
    start, end = sorted((draw(days), draw(days)))
    unique = partial(st.lists, unique=True, max_size=3)
    day = draw(st.one_of(st.none(), st.dates(min_value=start, max_value=end)))
    return ViewState(
        start=start,
        end=end,
        people=tuple(draw(unique(st.sampled_from(sorted(corpus.people["person_id"]))))),
        kinds=tuple(draw(unique(st.sampled_from(corpus.kinds)))),
        message=tuple(draw(unique(st.sampled_from(sorted(corpus.messages["message_id"]))))),
        event=draw(st.one_of(st.none(), st.sampled_from(sorted(corpus.events["event_id"])))),
        codenames=draw(st.booleans()),
        look=draw(st.sampled_from(LOOKS)),
        day=day,
        playing=draw(st.booleans()),
        speed=draw(st.sampled_from(SPEEDS)),
        step=draw(st.one_of(st.none(), st.integers(1, len(corpus.story)))),
        attract=draw(st.booleans()),
    )


@settings(max_examples=200, deadline=None)
@given(state=valid_states())
def test_every_valid_state_round_trips(state):
    query = state.to_query(BUNDLED)
    again = ViewState.from_query(query, BUNDLED)
    assert again == state and again.warnings == ()
    # A parameter the page does not know is named, and changes nothing else.
    noisy = ViewState.from_query(f"{query or '?'}&colour=red", BUNDLED)
    assert noisy == state and noisy.warnings == ("Unknown URL parameter 'colour'; ignored.",)

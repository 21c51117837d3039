"""Hostile input, sampled: the callbacks called with any value, and HTTP that never gets a 500.

A small sample of tests/benchmarks/fuzz.py runs here on every CI run; the script runs the full
10,000 URLs and 4,000 callback payloads.
"""

from __future__ import annotations

import json
import logging
import math
from datetime import date

import pytest
from benchmarks.fuzz import (
    CALLBACK_PATH,
    NASTY_JSON,
    LogCounter,
    envelopes,
    fuzz_payload,
    fuzz_url,
    is_page,
    page_requests,
)
from dash import no_update
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard import export, ids
from dashboard.app import create_app, render_page, sync_outputs
from dashboard.context import Context
from dashboard.model import load_corpus
from dashboard.state import ViewState
from dashboard.views import share
from dashboard.views.interactions import HANDLERS

CORPUS = load_corpus()
CONTEXT = Context.build(CORPUS)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Any JSON a request can carry, the values that once broke a handler among them.
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from([v for v in NASTY_JSON if not isinstance(v, list | dict)]),
)
JSON = st.one_of(
    st.sampled_from(NASTY_JSON),
    st.recursive(
        SCALARS,
        lambda inner: st.one_of(
            st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=12), inner, max_size=3)
        ),
        max_leaves=8,
    ),
)
TRIGGERS = st.one_of(
    st.sampled_from([*HANDLERS, ids.URL, None]),
    st.dictionaries(st.sampled_from(["type", "message", "index"]), JSON, max_size=2),
    st.fixed_dictionaries({"type": st.just(ids.RECORD_LINK), "message": JSON}),
    st.text(max_size=10),
)
SEARCHES = st.one_of(
    st.sampled_from(["", "?start=1949-01-10&end=1949-01-15", "?day=1949-01-12&play=on", "?step=2"]),
    JSON,
)


# The URL-owning callback's outputs, as the app registers them: the URL and every control.
URL_OUTPUTS = next(
    len(outputs.strip(".").split("..."))
    for outputs in create_app(CORPUS).callback_map
    if outputs.startswith(f"..{ids.URL}.search.")
)


def clean_state(search: object) -> ViewState:
    """The state a search gives; it must hold only what the corpus has."""
    state = ViewState.from_query(search, CORPUS)
    first, last = (day.date() for day in CORPUS.period)
    assert first <= state.start <= state.end <= last
    return state


# --- the callbacks, as plain functions ------------------------------------------------------


@FAST
@given(search=SEARCHES, trigger=TRIGGERS, value=JSON)
def test_the_url_callback_takes_any_input(search, trigger, value):
    value = (value, value) if trigger == ids.DATES else value
    outputs = sync_outputs(CORPUS, search, trigger, value)
    assert len(outputs) == URL_OUTPUTS
    new_search, start, end = outputs[:3]
    assert new_search is no_update or isinstance(new_search, str)
    clean_state(new_search if isinstance(new_search, str) else search)
    assert date.fromisoformat(start) <= date.fromisoformat(end)


@FAST
@given(start=JSON, end=JSON)
def test_the_date_picker_takes_any_pair(start, end):
    outputs = sync_outputs(CORPUS, "", ids.DATES, (start, end))
    assert date.fromisoformat(outputs[1]) <= date.fromisoformat(outputs[2])


@pytest.mark.parametrize("offset", [10**9, -(10**9), 10**30, 1e300, math.nan, True, "3", 3.5])
def test_the_day_slider_holds_any_number_inside_the_dates_shown(offset):
    search, _, _, *_rest, day = sync_outputs(CORPUS, "?play=on", ids.DAY, offset)
    state = clean_state(search if isinstance(search, str) else "?play=on")
    assert state.day is None or state.start <= state.day <= state.end
    assert isinstance(day, int) and 0 <= day <= (state.end - CORPUS.period[0].date()).days


@FAST
@given(search=SEARCHES, pathname=JSON, narrow=JSON)
def test_the_render_callback_takes_any_input(search, pathname, narrow):
    outputs = render_page(CONTEXT, search, pathname, bool(narrow))
    assert len(outputs) == 23
    warnings = outputs[6]
    if not isinstance(search, str | None):
        assert any("not text" in warning.children for warning in warnings)


@FAST
@given(href=JSON, search=SEARCHES, view=JSON)
def test_the_share_callback_takes_any_input(href, search, view):
    link, snippet, *_ = share.contents(
        CORPUS, href, search, view, lambda path: path, date(2026, 1, 1)
    )
    assert link.startswith(("/", "http")) and snippet.startswith("<iframe")


# --- over HTTP ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client():
    with pytest.MonkeyPatch.context() as patch:
        # Drawing images is tested in test_export and test_images; here, only that no
        # request reaches a 500 on its way there.
        patch.setattr(export, "render_image", lambda figure, fmt, size, browser=None: b"<svg/>")
        app = create_app(CORPUS)
        yield app.server.test_client(), envelopes(app)


@pytest.fixture(scope="module")
def log():
    counter = LogCounter()
    logging.getLogger().addHandler(counter)
    yield counter
    logging.getLogger().removeHandler(counter)


@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
@given(rng=st.randoms(use_true_random=False))
def test_fuzzed_urls_never_get_a_500(client, log, rng):
    http, valid = client
    url = fuzz_url(rng)
    response = http.get(url)
    assert response.status_code < 500, url
    if is_page(response):
        for envelope in page_requests(url, valid):
            answer = http.post(CALLBACK_PATH, json=envelope)
            assert answer.status_code == 200, (url, answer.get_data(as_text=True)[:300])
    assert log.tracebacks == 0, log.first


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(rng=st.randoms(use_true_random=False))
def test_mutated_callback_payloads_never_get_a_500(client, log, rng):
    http, valid = client
    body, content_type = fuzz_payload(rng, valid)
    response = http.post(CALLBACK_PATH, data=body, content_type=content_type)
    assert response.status_code in (200, 204, 400), body[:300]
    assert log.tracebacks == 0, log.first


@pytest.mark.parametrize(
    "url",
    ["/?step=%C2%B2", "/kiosk?step=%D9%A3", "/embed/network?day=1949-01-1%C2%B2"],
)
def test_a_page_with_unicode_digits_draws_its_charts_and_names_the_value(client, url):
    http, valid = client
    assert http.get(url).status_code == 200
    render = next(page_requests(url, valid[1:2]))
    assert render["output"].startswith("..network-graph.figure")
    answer = http.post(CALLBACK_PATH, json=render)
    assert answer.status_code == 200
    outputs = answer.get_json()["response"]
    assert outputs["network-graph"]["figure"]["data"]
    assert outputs["warnings"]["children"], "the bad value is named at the top of the page"


def test_a_download_with_unicode_digits_is_a_400_that_names_the_step(client):
    response = client[0].get("/download/messages.csv?step=%C2%B2")
    assert response.status_code == 400
    assert "story step '²'" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("component", "value"),
    [
        (ids.PEOPLE, ["\ud800"]),
        (ids.KINDS, "\udfff"),
        (ids.NETWORK, {"points": [{"customdata": ["person", "\ud800"]}]}),
    ],
)
def test_text_no_url_can_hold_changes_nothing(client, component, value):
    """JSON can carry a lone surrogate; a URL cannot, so the input is ignored."""
    http, valid = client
    sync = json.loads(json.dumps(valid[0]))
    prop = "clickData" if component == ids.NETWORK else "value"
    for entry in sync["inputs"]:
        if isinstance(entry, dict) and (entry["id"], entry["property"]) == (component, prop):
            entry["value"] = value
    sync["changedPropIds"] = [f"{component}.{prop}"]
    answer = http.post(CALLBACK_PATH, json=sync)
    assert answer.status_code == 200
    assert ids.URL not in answer.get_json()["response"]


def test_a_huge_slider_value_over_http_is_held(client):
    http, valid = client
    sync = json.loads(json.dumps(valid[0]))
    assert sync["output"].startswith("..url.search")
    for entry in sync["inputs"]:
        if isinstance(entry, dict) and entry["id"] == ids.DAY:
            entry["value"] = 1_000_000_000
    sync["changedPropIds"] = [f"{ids.DAY}.value"]
    answer = http.post(CALLBACK_PATH, json=sync)
    assert answer.status_code == 200
    assert (
        answer.get_json()["response"][ids.DAY]["value"]
        == (CORPUS.period[1].date() - CORPUS.period[0].date()).days
    )

"""The records: a page of the list of messages in view, and links to the other pages."""

from __future__ import annotations

import json

import pytest
from benchmarks.bench_import import letters
from plotly.utils import PlotlyJSONEncoder

from dashboard.build import corpus_from_letters
from dashboard.letters import Metadata
from dashboard.state import ViewState
from dashboard.views import details


@pytest.fixture(scope="module")
def corpus():
    return corpus_from_letters(list(letters(130, seed=3)), Metadata(title="Made up"))


def texts(component) -> str:
    return json.dumps(component, cls=PlotlyJSONEncoder)


def listed(corpus, query: str) -> list[str]:
    state = ViewState.from_query(query, corpus)
    parts = details.render(corpus, state.filter(corpus), state, "/")
    items = parts[2].children
    return [item.children.id["message"] for item in items]


def test_each_page_lists_its_forty_records_in_order(corpus):
    ids = list(corpus.messages["message_id"])
    assert listed(corpus, "") == ids[:40]
    assert listed(corpus, "?page=2") == ids[40:80]
    assert listed(corpus, "?page=4") == ids[120:130]
    # A page past the end shows the last one.
    assert listed(corpus, "?page=99") == ids[120:130]


def test_the_pager_links_write_the_page_into_the_url(corpus):
    state = ViewState.from_query("?page=2&names=codename", corpus)
    pager = details.render(corpus, corpus, state, "/kiosk")[-1]
    hrefs = [getattr(link, "href", None) for link in pager.children]
    assert hrefs == [
        "/kiosk?names=codename",
        "/kiosk?names=codename",
        None,
        "/kiosk?names=codename&page=3",
        "/kiosk?names=codename&page=4",
    ]
    assert "Records 41-80 of 130 (page 2 of 4)" in texts(pager)


def test_a_short_list_has_no_pager(corpus):
    state = ViewState.from_query("", corpus)
    shown = corpus.filter(people=[corpus.messages["sender"].iloc[0]])
    assert len(shown.messages) <= details.LIST_LIMIT
    parts = details.render(corpus, shown, state)
    assert "pager" not in texts(parts)


def test_a_bad_page_is_named_and_the_first_shown(corpus):
    state = ViewState.from_query("?page=0", corpus)
    assert state.page == 1 and "There is no page '0'" in state.warnings[0]
    assert ViewState.from_query("?page=²", corpus).page == 1

"""The Share panel's contents, computed from the URL as a plain function."""

from __future__ import annotations

from datetime import date

import pytest

from dashboard.model import load_corpus
from dashboard.views import share


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


def relative(path: str) -> str:
    return path


def test_link_snippet_citation_and_downloads_follow_the_url(corpus):
    search = "?start=1949-01-10&end=1949-01-15&people=Filippov"
    link, snippet, citation, downloads = share.contents(
        corpus, "http://localhost:8050/" + search, search, "timeline", relative, date(2026, 5, 1)
    )
    query = "?start=1949-01-10&end=1949-01-15&people=stalin"
    assert link == "http://localhost:8050/" + query
    assert snippet.startswith(
        '<iframe src="http://localhost:8050/embed/timeline?start=1949-01-10&amp;end=1949-01-15'
        '&amp;people=stalin" title="Dispatches: timeline, 10 - 15 Jan 1949"'
    )
    assert 'width="100%"' in snippet and 'height="420"' in snippet
    assert "people: Iosif Stalin" in citation and "(accessed 1 May 2026)" in citation
    hrefs = [a.href for item in downloads[1].children for a in item.children if hasattr(a, "href")]
    assert f"/download/network.png{query}" in hrefs
    assert f"/download/messages.graphml{query}" in hrefs
    # Three charts in three formats; the messages as CSV, JSON, GEXF, GraphML and CMIF.
    assert len(hrefs) == 3 * 3 + 5


def test_values_the_page_ignored_are_left_out_of_the_link(corpus):
    link, *_ = share.contents(
        corpus,
        "http://localhost:8050/?people=Zhukov",
        "?people=Zhukov",
        None,
        relative,
        date.today(),
    )
    assert link == "http://localhost:8050/"

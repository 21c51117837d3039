"""Citations: the data set and its version, the filter in words, the link and the day."""

from __future__ import annotations

from datetime import date
from importlib import metadata

import pytest

from dashboard import citation as cite
from dashboard.model import load_corpus
from dashboard.state import ViewState


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


def test_citation_names_every_active_filter(corpus):
    query = "?start=1949-01-10&end=1949-01-15&people=Filippov,mao&kind=coded telegram"
    state = ViewState.from_query(query, corpus)
    line = cite.citation(corpus, state, "http://localhost:8050/" + query, date(2026, 3, 4))
    assert line.startswith(f"{cite.DATASET_NAME}, data set version {cite.dataset_version()}.")
    assert "10 - 15 Jan 1949" in line
    assert "people: Iosif Stalin, Mao Zedong" in line
    assert "kinds: coded telegram" in line
    assert line.endswith(f"http://localhost:8050/{query} (accessed 4 March 2026)")


def test_unfiltered_view_says_so(corpus):
    line = cite.citation(
        corpus, ViewState.default(corpus), view="network", accessed=date(2026, 1, 2)
    )
    assert "Message network: 1 Jan - 31 May 1949 (all dates); all people; all kinds." in line
    assert line.endswith("Accessed 2 January 2026.")


def test_display_choices_and_open_records_are_named(corpus):
    state = ViewState.from_query("?names=codename&message=m05", corpus)
    phrases = cite.describe_filters(corpus, state)
    assert "people named as in the documents" in phrases
    assert "records open: m05" in phrases


def test_version_comes_from_the_installed_package_or_pyproject(monkeypatch):
    assert cite.dataset_version() == metadata.version("dispatches")

    def missing(_name):
        raise metadata.PackageNotFoundError(_name)

    monkeypatch.setattr(cite.metadata, "version", missing)
    text = cite.PYPROJECT.read_text(encoding="utf-8")
    assert f'version = "{cite.dataset_version()}"' in text

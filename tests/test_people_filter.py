"""The people filter's menu: everyone in a small corpus, the busiest and a search in a large one."""

from __future__ import annotations

import pytest
from benchmarks.made_up import letters

from dashboard import ids
from dashboard.app import create_app
from dashboard.corpora import open_corpus
from dashboard.formats import cmif
from dashboard.letters import Metadata
from dashboard.model import load_corpus
from dashboard.views import filters


@pytest.fixture(scope="module")
def crowd(tmp_path_factory):
    """5,000 made-up letters among 333 people: more than the menu lists."""
    path = tmp_path_factory.mktemp("crowd") / "letters.xml"
    cmif.write(Metadata(title="Made-up letters"), letters(5000), path)
    return open_corpus(path)[0]


def test_a_small_corpus_lists_everyone_and_asks_the_server_nothing():
    corpus = load_corpus()
    assert not filters.has_more_people(corpus)
    everyone = {o["value"] for o in filters.people_options(corpus)}
    assert everyone == set(corpus.parties["person_id"])
    app = create_app(corpus)
    assert not any(f"{ids.PEOPLE}.options" in outputs for outputs in app.callback_map)


def test_a_large_corpus_lists_its_busiest_and_finds_the_rest(crowd):
    assert filters.has_more_people(crowd)
    listed = [o["value"] for o in filters.people_options(crowd)]
    assert len(listed) == filters.PEOPLE_LISTED
    letters_of = crowd.parties["person_id"].value_counts()
    unlisted = letters_of.drop(listed)
    assert max(unlisted) <= min(letters_of[listed])
    # Someone left out of the menu is found by a piece of their name, any case or accent.
    quiet = unlisted.index[-1]
    name = crowd.people.set_index("person_id").loc[quiet, "name"]
    piece = name.split()[-1][:5].upper()
    found = [o["value"] for o in filters.matching_people(crowd, piece, [])]
    assert quiet in found and len(found) <= filters.PEOPLE_FOUND
    assert all(
        piece.casefold() in o["search"].casefold()
        for o in filters.matching_people(crowd, piece, [])
    )
    # The people already chosen stay in the menu whatever is typed.
    kept = [o["value"] for o in filters.matching_people(crowd, "zzzz", [quiet])]
    assert kept == [quiet]
    app = create_app(crowd)
    assert any(f"{ids.PEOPLE}.options" in outputs for outputs in app.callback_map)


@pytest.mark.parametrize("search", [None, 3, ["x"], {"a": 1}, "", "   "])
@pytest.mark.parametrize("chosen", [None, "x", [1, None], ["nobody"], {"a": 1}])
def test_any_request_gives_a_menu(crowd, search, chosen):
    menu = filters.matching_people(crowd, search, chosen)
    assert all({"label", "value"} <= set(o) for o in menu)
    assert len(menu) <= filters.PEOPLE_LISTED

"""A researcher's own edition, larger than the network can name: the chart says how many it
names, the names box changes it through the URL, and everything is drawn without WebGL."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from benchmarks.made_up import letters
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from dashboard import ids
from dashboard.app import create_app
from dashboard.corpora import open_corpus
from dashboard.formats import cmif
from dashboard.letters import Metadata
from dashboard.views import filters

NOTE = (
    "return [...document.querySelectorAll('#{graph} .annotation-text')]"
    ".map(a => a.textContent).join(' ')"
)


@pytest.fixture
def edition(dash_duo, tmp_path):
    path = tmp_path / "letters.xml"
    cmif.write(Metadata(title="Made-up letters"), letters(1500), path)
    corpus, _report = open_corpus(path)
    dash_duo.start_server(create_app(corpus))
    dash_duo.wait_for_element(f"#{ids.NETWORK} .main-svg", timeout=20)
    return dash_duo, corpus


def note(duo) -> str:
    return duo.driver.execute_script(NOTE.format(graph=ids.NETWORK))


def test_the_names_box_sets_how_many_people_the_network_names(edition):
    duo, corpus = edition
    WebDriverWait(duo.driver, 15).until(lambda _d: "people by name" in note(duo))
    people = f"{len(corpus.parties['person_id'].unique()):,} people"
    assert "showing" in note(duo) and people in note(duo)
    box = duo.find_element(f"#{ids.LABELS}")
    assert box.is_displayed()
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys("5", Keys.ENTER)
    WebDriverWait(duo.driver, 15).until(
        lambda d: parse_qs(urlsplit(d.current_url).query).get("labels") == ["5"]
    )
    WebDriverWait(duo.driver, 15).until(lambda _d: note(duo).startswith("showing 5 of"))
    named = duo.driver.execute_script(
        f"return document.querySelectorAll('#{ids.NETWORK} .scatterlayer text').length"
    )
    assert 0 < named <= 5


def test_a_large_network_needs_no_webgl(edition):
    duo, _corpus = edition
    WebDriverWait(duo.driver, 15).until(lambda _d: "people by name" in note(duo))
    text = duo.find_element(f"#{ids.NETWORK}").text
    assert "WebGL" not in text
    assert not duo.driver.find_elements("css selector", f"#{ids.NETWORK} canvas.gl-canvas")
    dots = duo.driver.execute_script(
        f"return document.querySelectorAll('#{ids.NETWORK} .scatterlayer .point').length"
    )
    assert dots > 40


def test_someone_left_out_of_the_menu_is_found_by_typing(dash_duo, tmp_path):
    path = tmp_path / "crowd.xml"
    cmif.write(Metadata(title="Made-up letters"), letters(5000), path)
    corpus, _report = open_corpus(path)
    dash_duo.start_server(create_app(corpus))
    dash_duo.wait_for_element(f"#{ids.NETWORK} .main-svg", timeout=20)
    listed = {o["value"] for o in filters.people_options(corpus)}
    letters_of = corpus.parties["person_id"].value_counts()
    quiet = next(p for p in letters_of.index[::-1] if p not in listed)
    name = corpus.people.set_index("person_id").loc[quiet, "name"]
    # The innermost element that reads the name: the menu's entry for them.
    entry = f"//*[normalize-space(.)='{name}' and not(*[normalize-space(.)='{name}'])]"
    dash_duo.find_element(f"#{ids.PEOPLE}").click()
    box = dash_duo.wait_for_element(".dash-dropdown-search")
    assert not dash_duo.driver.find_elements("xpath", entry)  # not listed before typing
    box.send_keys(name)
    option = WebDriverWait(dash_duo.driver, 15).until(
        lambda d: (d.find_elements("xpath", entry) or [None])[0]
    )
    option.click()
    WebDriverWait(dash_duo.driver, 15).until(
        lambda d: parse_qs(urlsplit(d.current_url).query).get("people") == [quiet]
    )

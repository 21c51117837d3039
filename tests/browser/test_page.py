"""The linked page in headless Chromium: load, filter by dates, click, share a URL, relabel."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from dashboard import ids
from dashboard.app import create_app
from dashboard.model import load_corpus

WHOLE = "21 messages, 22 copies, 1 Jan - 31 May 1949"


@pytest.fixture
def page(dash_duo):
    dash_duo.start_server(create_app(load_corpus()))
    wait_for_charts(dash_duo)
    return dash_duo


def wait_for_charts(duo):
    for graph in (ids.NETWORK, ids.TIMELINE, ids.FLOW):
        duo.wait_for_element(f"#{graph} .main-svg", timeout=15)


def summary(duo) -> str:
    return duo.find_element(f"#{ids.SUMMARY}").text


def wait_for_summary(duo, text: str) -> None:
    duo.wait_for_contains_text(f"#{ids.SUMMARY}", text, timeout=10)


def figure_value(duo, graph: str, expression: str):
    """Evaluate `expression` on the plotly graph div (as `gd`) of a dcc.Graph."""
    return duo.driver.execute_script(
        f"const gd = document.querySelector('#{graph} .js-plotly-plot'); return {expression};"
    )


def click_point(duo, graph: str, x: float, y: float) -> None:
    """A real mouse click at data coordinates (x, y) of a graph, through its drag layer."""
    left, top = figure_value(
        duo,
        graph,
        f"[gd._fullLayout.xaxis.l2p({x}) + gd._fullLayout._size.l,"
        f" gd._fullLayout.yaxis.l2p({y}) + gd._fullLayout._size.t]",
    )
    surface = duo.find_element(f"#{graph} .main-svg")
    duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", surface)
    width, height = surface.size["width"], surface.size["height"]
    # Offsets from the element's centre: Selenium versions disagree on the corner.
    ActionChains(duo.driver).move_to_element(surface).move_by_offset(
        round(left - width / 2), round(top - height / 2)
    ).click().perform()


def node_position(duo, person: str) -> tuple[float, float]:
    return figure_value(
        duo,
        ids.NETWORK,
        "(() => { for (const t of gd.data) { if (!t.customdata) continue;"
        f" const i = t.customdata.findIndex(c => c[0] === 'person' && c[1] === '{person}');"
        " if (i >= 0) return [t.x[i], t.y[i]]; } })()",
    )


def test_page_loads_without_console_errors(page):
    assert summary(page).startswith(WHOLE)
    assert page.get_logs() == []
    page.driver.save_screenshot("/tmp/dispatches-page.png")


def test_typed_dates_update_all_three_views(page):
    start = page.find_element(f"#{ids.DATES}")
    end = page.find_element(".dash-datepicker-end-date")
    # As a person would, the second date is typed once the page has taken the first.
    for field, text, shown in (
        (start, "10 Jan 1949", "10 Jan - 31 May 1949"),
        (end, "15 Jan 1949", "10 messages, 22 copies, 10 - 15 Jan 1949"),
    ):
        field.send_keys(Keys.CONTROL, "a")
        field.send_keys(text, Keys.ENTER)
        wait_for_summary(page, shown)
    edges = figure_value(
        page,
        ids.NETWORK,
        "gd.data.filter(t => t.customdata && t.customdata[0][0] === 'edge').length",
    )
    assert edges == 6  # hit areas of lines, of 14 in the whole corpus
    axis = figure_value(page, ids.TIMELINE, "gd.layout.xaxis.range")
    assert axis[0].startswith("1949-01-09 12:00") and axis[1].startswith("1949-01-15 12:00")
    copies = figure_value(page, ids.FLOW, "gd.data[0].link.value.reduce((a, b) => a + b, 0)")
    assert copies == 44  # 22 copies, each counted on both sides of its message
    assert "start=1949-01-10&end=1949-01-15" in page.driver.current_url
    assert page.get_logs() == []


def test_empty_range_says_so_in_each_view(page):
    page.driver.get(page.server_url + "/?start=1949-03-01&end=1949-03-31")
    wait_for_summary(page, "0 messages, 0 copies, 1 - 31 Mar 1949")
    page.wait_for_contains_text(f"#{ids.TIMELINE}", "No messages between 1 and 31 Mar 1949")
    page.wait_for_contains_text(f"#{ids.FLOW}", "No distribution copies recorded")
    page.wait_for_contains_text(f"#{ids.DETAILS}", "No messages match the filter")


def test_clicking_a_node_shows_their_messages(page):
    x, y = node_position(page, "mikoyan")
    click_point(page, ids.NETWORK, x, y)
    wait_for_summary(page, "People: Anastas Mikoyan")
    page.wait_for_contains_text(f"#{ids.DETAILS}", "Messages in view (5)")
    page.wait_for_contains_text(f"#{ids.DETAILS}", "Arrest Rittenberg")
    assert "people=mikoyan" in page.driver.current_url
    page.find_element(f"#{ids.DETAILS} .record-link").click()
    page.wait_for_contains_text(f"#{ids.DETAILS}", "Archival reference")
    # Back returns to the list, then to the whole corpus.
    page.driver.back()
    page.wait_for_contains_text(f"#{ids.DETAILS}", "Messages in view (5)")
    page.driver.back()
    wait_for_summary(page, WHOLE)


def test_a_copied_url_reproduces_the_view(page):
    url = "/?start=1949-01-10&end=1949-01-15&people=Filippov&message=m08&names=codename"
    page.driver.get(page.server_url + url)
    wait_for_summary(page, "6 messages, 22 copies, 10 - 15 Jan 1949 · People: Filippov")
    assert page.find_element(f"#{ids.DATES}").get_attribute("value") == "10 Jan 1949"
    assert "Iosif Stalin" in page.find_element(f"#{ids.PEOPLE}").text
    page.wait_for_contains_text(f"#{ids.DETAILS}", "RGASPI F. 558 Op. 11 D. 330 L. 110-112")
    labels = figure_value(page, ids.NETWORK, "gd.data.flatMap(t => t.text || [])")
    assert "Filippov" in labels and "Iosif Stalin" not in labels


def test_codename_toggle_relabels_the_network(page):
    labels = figure_value(page, ids.NETWORK, "gd.data.flatMap(t => t.text || [])")
    assert "Iosif Stalin" in labels and "Anastas Mikoyan" in labels
    page.find_element(f"#{ids.NAMES} input[value='codename']").click()
    page.wait_for_contains_text(f"#{ids.NETWORK}", "Filippov")
    labels = figure_value(page, ids.NETWORK, "gd.data.flatMap(t => t.text || [])")
    assert "Filippov" in labels and "Andreev" in labels and "Iosif Stalin" not in labels
    assert "names=codename" in page.driver.current_url


def test_a_bad_url_value_shows_a_message(page):
    page.driver.get(page.server_url + "/?start=1949-13-01&people=Zhukov")
    page.wait_for_contains_text(f"#{ids.WARNINGS}", "Zhukov")
    assert "1949-13-01" in page.find_element(f"#{ids.WARNINGS}").text
    wait_for_summary(page, WHOLE)


def test_clicking_a_flow_link_opens_its_record(page):
    link = page.find_element(f"#{ids.FLOW} path.sankey-link")
    page.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", link)
    ActionChains(page.driver).move_to_element(link).click().perform()
    page.wait_for_contains_text(f"#{ids.DETAILS}", "Archival reference")
    assert "message=m0" in page.driver.current_url
    assert "Copies" in page.find_element(f"#{ids.DETAILS}").text


def test_brushing_the_timeline_sets_the_dates(page):
    left, right, top = figure_value(
        page,
        ids.TIMELINE,
        "[gd._fullLayout.xaxis.d2p('1949-01-09 15:00') + gd._fullLayout._size.l,"
        " gd._fullLayout.xaxis.d2p('1949-01-20 09:00') + gd._fullLayout._size.l,"
        " gd._fullLayout._size.t + 30]",
    )
    surface = page.find_element(f"#{ids.TIMELINE} .main-svg")
    page.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", surface)
    width, height = surface.size["width"], surface.size["height"]
    ActionChains(page.driver).move_to_element(surface).move_by_offset(
        round(left - width / 2), round(top - height / 2)
    ).click_and_hold().move_by_offset(round((right - left) / 2), 40).move_by_offset(
        round((right - left) / 2), 40
    ).release().perform()
    page.wait_for_contains_text(f"#{ids.SUMMARY}", "10 - 20 Jan 1949", timeout=10)
    assert "start=1949-01-10&end=1949-01-20" in page.driver.current_url


def test_clicking_a_context_event_opens_its_record(page):
    page.driver.get(page.server_url + "/?end=1949-01-09")
    wait_for_summary(page, "1 - 9 Jan 1949")
    # Where plotly drew the marker of the first context event (1 January), from the middle.
    dx, dy = figure_value(
        page,
        ids.TIMELINE,
        "(() => { const l = gd._fullLayout; const box = gd.getBoundingClientRect();"
        " const t = gd._fullData.find(t => t.customdata && t.customdata[0][0] === 'event'"
        "  && t.customdata[0][1] === 'e01');"
        " return [l._size.l + l.xaxis.d2p(t.x[0]) - box.width / 2,"
        "  l._size.t + l.yaxis.d2p(t.y[0]) - box.height / 2]; })()",
    )
    surface = page.find_element(f"#{ids.TIMELINE} .main-svg")
    page.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", surface)
    ActionChains(page.driver).move_to_element(surface).move_by_offset(
        round(dx), round(dy)
    ).click().perform()
    page.wait_for_contains_text(f"#{ids.DETAILS}", "Chiang's peace offer", timeout=10)
    assert "event=e01" in page.driver.current_url
    assert "Record id" in page.find_element(f"#{ids.DETAILS}").text
    page.find_element(f"#{ids.DETAILS_CLOSE}").click()
    page.wait_for_contains_text(f"#{ids.DETAILS}", "Messages in view", timeout=10)
    assert page.get_logs() == []

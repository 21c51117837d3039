"""The page on a phone, in headless Chromium: the charts come first and the filters fold
behind one button."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from dashboard import ids
from dashboard.app import create_app
from dashboard.model import load_corpus

PHONE = (390, 844)
DESKTOP = (1920, 1080)
# The least size of a target a finger can hit (WCAG 2.5.5, and Apple's and Google's guides).
TARGET_PX = 44
WHOLE = "21 messages, 22 copies, 1 Jan - 31 May 1949"


@pytest.fixture
def app(dash_duo):
    dash_duo.start_server(create_app(load_corpus(), idle_seconds=600))
    return dash_duo


def open_on(duo, path: str, size: tuple[int, int]) -> None:
    """Open `path` on a screen of `size` (a phone's is a mobile one), once its charts are drawn
    and the app has answered (the network's sentence comes from the app)."""
    width, height = size
    duo.driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width <= 600},
    )
    duo.driver.get(duo.server_url + path)
    for graph in (ids.NETWORK, ids.TIMELINE, ids.FLOW):
        duo.wait_for_element(f"#{graph} .main-svg", timeout=15)
    duo.wait_for_element(f"#{ids.NETWORK_TEXT} .chart-sentence", timeout=15)


def box(duo, selector: str) -> dict:
    return duo.driver.execute_script(
        "const r = document.querySelector(arguments[0]).getBoundingClientRect();"
        "return {top: r.top, bottom: r.bottom, width: r.width, height: r.height};",
        selector,
    )


def tap(duo, selector: str) -> None:
    element = duo.find_element(selector)
    duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    ActionChains(duo.driver).move_to_element(element).click().perform()


def query(duo) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlsplit(duo.driver.current_url).query).items()}


def summary_text(duo) -> str:
    """The summary as written, also while the panel that holds it is folded away."""
    return duo.find_element(f"#{ids.SUMMARY}").get_attribute("textContent")


def test_on_a_phone_the_charts_come_first_and_the_filters_wait_behind_one_button(app):
    open_on(app, "/", PHONE)
    fold = app.find_element(f"#{ids.FILTERS_FOLD}")
    assert fold.is_displayed() and fold.accessible_name == "Filters"
    assert fold.get_attribute("aria-expanded") == "false"
    assert fold.get_attribute("aria-controls") == ids.FILTERS
    assert not app.find_element(f"#{ids.FILTERS}").is_displayed()
    assert not app.find_element(f"#{ids.DATES}").is_displayed()
    assert app.driver.execute_script("return scrollY") == 0
    network = box(app, f"#{ids.NETWORK}")
    assert box(app, f"#{ids.FILTERS_FOLD}")["bottom"] <= network["top"]
    assert 0 < network["top"] < PHONE[1], f"the network starts at {network['top']} px"
    # The three charts, then what plays them and the records.
    tops = [box(app, f"#{graph}")["top"] for graph in (ids.NETWORK, ids.TIMELINE, ids.FLOW)]
    assert tops == sorted(tops)
    for later in (f"#{ids.DETAILS}", ".playback", f"#{ids.STORY}", f"#{ids.SHARE}"):
        assert box(app, later)["top"] > tops[-1], f"{later} comes after the charts"
    assert app.get_logs() == []


def test_the_folded_filters_open_with_one_tap_and_still_write_the_url(app):
    violations = "window.cspViolations = []; document.addEventListener("
    violations += "'securitypolicyviolation', e => window.cspViolations.push(e.violatedDirective));"
    app.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": violations})
    open_on(app, "/", PHONE)
    app._wait_for(lambda _d: summary_text(app).startswith(WHOLE), timeout=10, msg="the summary")
    tap(app, f"#{ids.FILTERS_FOLD}")
    fold = app.find_element(f"#{ids.FILTERS_FOLD}")
    app._wait_for(lambda _d: fold.get_attribute("aria-expanded") == "true", timeout=5, msg="open")
    start = app.find_element(f"#{ids.DATES}")
    assert start.is_displayed()
    # The date fields size themselves to their text: laid out while folded, they show it whole.
    for field in (f"#{ids.DATES}", f"#{ids.DATES}-end-date"):
        fits = "const e = document.querySelector(arguments[0]);"
        fits += "return e.value !== '' && e.scrollWidth <= e.clientWidth + 1;"
        assert app.driver.execute_script(fits, field), f"{field} shows its whole date"
    # The opened panel stands between its button and the charts.
    assert box(app, f"#{ids.FILTERS_FOLD}")["bottom"] <= box(app, f"#{ids.DATES}")["top"]
    assert box(app, f"#{ids.FILTERS}")["bottom"] <= box(app, f"#{ids.NETWORK}")["top"]
    assert query(app) == {}, "opening the panel writes nothing in the URL"
    edges = "gd.data.filter(t => t.customdata && t.customdata[0][0] === 'edge').length"
    network = f"const gd = document.querySelector('#{ids.NETWORK} .js-plotly-plot');"
    before = app.driver.execute_script(f"{network} return {edges};")

    start.send_keys(Keys.CONTROL, "a")
    start.send_keys("10 Jan 1949", Keys.ENTER)
    app._wait_for(
        lambda _d: query(app).get("start") == "1949-01-10", timeout=10, msg="start= in the URL"
    )
    app.wait_for_contains_text(f"#{ids.SUMMARY}", "10 Jan - 31 May 1949", timeout=10)
    app._wait_for(
        lambda _d: app.driver.execute_script(f"{network} return {edges};") < before,
        timeout=10,
        msg="the network draws fewer lines",
    )

    tap(app, f"#{ids.FILTERS_FOLD}")
    app._wait_for(lambda _d: not start.is_displayed(), timeout=5, msg="the panel folds again")
    assert fold.get_attribute("aria-expanded") == "false"
    assert query(app) == {"start": "1949-01-10"}, "folding keeps the choice, and adds nothing"
    assert "10 Jan - 31 May 1949" in summary_text(app)
    assert app.driver.execute_script("return window.cspViolations") == []
    assert app.get_logs() == []


def test_a_wide_screen_keeps_its_filters_open_above_the_charts(app):
    open_on(app, "/", DESKTOP)
    assert not app.find_element(f"#{ids.FILTERS_FOLD}").is_displayed()
    assert app.find_element(f"#{ids.DATES}").is_displayed()
    assert box(app, f"#{ids.FILTERS}")["bottom"] < box(app, ".playback")["top"]
    assert box(app, ".playback")["bottom"] < box(app, f"#{ids.NETWORK}")["top"]
    # The phone's sizes stay on the phone: the page's own fields and buttons, as they were.
    assert box(app, f"#{ids.DATES}")["height"] == 32
    assert box(app, f"#{ids.PLAY}")["height"] < TARGET_PX

"""The page on a phone and in the kiosk, in headless Chromium: on a phone the charts come first
and the filters fold behind one button; there and in the kiosk every target is a fingertip,
at least 44 x 44 px."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from dashboard import ids
from dashboard.app import create_app
from dashboard.model import PERSON_ID, load_corpus
from dashboard.state import DEFAULT_LABELS

PHONE = (390, 844)
KIOSK_SCREENS = {"landscape": (1920, 1080), "portrait": (1080, 1920), "tablet": (768, 1024)}
DESKTOP = (1920, 1080)
# The least size of a target a finger can hit (WCAG 2.5.5, and Apple's and Google's guides).
TARGET_PX = 44
WHOLE = "21 messages, 22 copies, 1 Jan - 31 May 1949"

# Every target on the page that is drawn, as [what it is, width, height]: what a browser makes
# interactive, and what Dash's components make so with no role (the date picker's days, the
# people list's clearing cross, the Copy of a Clipboard). A checkbox or radio is tapped through
# its label row, so that row is measured. Not targets: what is hidden or in a
# closed panel, the skip link while it waits off the page's left edge for keyboard focus, and a
# component's own stand-in that takes no pointer (pointer-events: none, as the people list's
# hidden focus field). The one exception allowed: links inside a sentence (a record's authority
# ids and edition page, the CSV link under a long table), which WCAG exempts as inline text.
TARGETS = """
const SELECTOR = 'a[href], button, input:not([type=hidden]), select, textarea, summary, '
  + '[role=slider], [role=button], [role=option], [tabindex]:not([tabindex="-1"]), '
  + '.dash-datepicker-calendar td, .dash-dropdown-clear, .share-copy';
const INLINE_LINKS = '.record a, .table-more a';
return [...document.querySelectorAll(SELECTOR)]
  .filter(e => e.checkVisibility({visibilityProperty: true}) && !e.matches(INLINE_LINKS))
  .map(e => (e.matches('input[type=checkbox], input[type=radio]') && e.closest('label')) || e)
  .filter((e, i, all) => all.indexOf(e) === i && getComputedStyle(e).pointerEvents !== 'none')
  .map(e => [e, e.getBoundingClientRect()])
  .filter(([e, box]) => box.right > 0 && box.width > 0)
  .map(([e, box]) => [
    [e.id, e.className.toString(), e.getAttribute('aria-label') || e.textContent.trim()]
      .filter(Boolean).join(' ').slice(0, 70),
    box.width, box.height]);
"""


@pytest.fixture
def app(dash_duo):
    dash_duo.start_server(create_app(load_corpus(), idle_seconds=600))
    return dash_duo


@pytest.fixture
def crowded(dash_duo):
    """The bundled corpus with more people than the network names by default, so that the
    filter panel shows every box it has (the number of names on the network as well)."""
    corpus = load_corpus()
    more = corpus.people.sample(DEFAULT_LABELS, replace=True, random_state=1)
    more = more.assign(**{PERSON_ID: [f"extra{i}" for i in range(DEFAULT_LABELS)]})
    people = pd.concat([corpus.people, more], ignore_index=True)
    dash_duo.start_server(create_app(replace(corpus, people=people), idle_seconds=600))
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


def too_small(duo) -> tuple[list, list]:
    """Every target drawn now, and those smaller than TARGET_PX either way."""
    targets = duo.driver.execute_script(TARGETS)
    return targets, [t for t in targets if t[1] < TARGET_PX or t[2] < TARGET_PX]


def assert_fingertip_targets(duo, where: str, expected: tuple[str, ...] = ()) -> None:
    """No target under TARGET_PX; and the ones named in `expected` were among those measured,
    so that a control that failed to open cannot pass for a small one that was not drawn."""
    targets, small = too_small(duo)
    assert small == [], f"{where}: targets under {TARGET_PX} px: {small}"
    names = " | ".join(name for name, _w, _h in targets)
    for part in expected:
        assert part in names, f"{where}: no {part!r} among the targets measured: {names}"


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


def test_every_target_on_a_phone_is_a_fingertip_wide(crowded):
    duo = crowded
    # A person chosen, so that the people list has its clearing cross.
    open_on(duo, "/?people=mao", PHONE)
    assert_fingertip_targets(duo, "folded", (ids.FILTERS_FOLD, ids.PLAY, "modebar-btn"))
    tap(duo, f"#{ids.FILTERS_FOLD}")
    duo.wait_for_element(f"#{ids.LABELS}")
    # Every box of the panel: dates, people (with its cross), kinds, names, how many names.
    shown = (ids.DATES, f"{ids.DATES}-end-date", ids.PEOPLE, "dash-dropdown-clear", "cable")
    shown += ("documents", ids.LABELS, "dash-input-stepper", ids.RESET)
    assert_fingertip_targets(duo, "the filters open", shown)
    tap(duo, f"#{ids.DATES}")
    duo.wait_for_element(".dash-datepicker-calendar td")
    assert_fingertip_targets(
        duo, "the date picker open", ("dash-datepicker-calendar-date", "dash-datepicker-month-nav")
    )
    ActionChains(duo.driver).send_keys(Keys.ESCAPE).perform()
    tap(duo, f"#{ids.PEOPLE}")
    duo.wait_for_element(".dash-dropdown-search")
    assert_fingertip_targets(
        duo, "the people list open", ("dash-dropdown-search", "Select All", "Anastas Mikoyan")
    )
    ActionChains(duo.driver).send_keys(Keys.ESCAPE).perform()
    tap(duo, f"#{ids.SHARE} > summary")
    duo.wait_for_element(f"#{ids.SHARE_DOWNLOADS} a")
    assert_fingertip_targets(
        duo, "the share panel open", (ids.SHARE_LINK, "share-download", "share-copy")
    )


def test_every_target_with_a_record_open_on_a_phone_is_a_fingertip_wide(app):
    open_on(app, "/?message=m09", PHONE)
    app.wait_for_contains_text(f"#{ids.DETAILS}", "Archival reference", timeout=10)
    assert_fingertip_targets(app, "a record open", (ids.DETAILS_CLOSE,))


@pytest.mark.parametrize("screen", KIOSK_SCREENS.values(), ids=KIOSK_SCREENS.keys())
def test_every_target_in_the_kiosk_is_a_fingertip_wide(crowded, screen):
    duo = crowded
    open_on(duo, "/kiosk?people=mao&message=m09", screen)
    duo.wait_for_contains_text(f"#{ids.DETAILS}", "Archival reference", timeout=10)
    assert_fingertip_targets(
        duo,
        "the kiosk",
        (ids.PEOPLE, "dash-dropdown-clear", ids.LABELS, ids.PLAY, ids.DETAILS_CLOSE, ids.RESET),
    )
    tap(duo, f"#{ids.PEOPLE}")
    duo.wait_for_element(".dash-dropdown-search")
    assert_fingertip_targets(
        duo, "the kiosk's people list open", ("dash-dropdown-search", "Select All")
    )
    # The kiosk keeps its filters in sight: nothing folds there.
    folds = duo.driver.find_elements("css selector", f"#{ids.FILTERS_FOLD}")
    assert not any(fold.is_displayed() for fold in folds)


def test_a_wide_screen_keeps_its_filters_open_above_the_charts(app):
    open_on(app, "/", DESKTOP)
    assert not app.find_element(f"#{ids.FILTERS_FOLD}").is_displayed()
    assert app.find_element(f"#{ids.DATES}").is_displayed()
    assert box(app, f"#{ids.FILTERS}")["bottom"] < box(app, ".playback")["top"]
    assert box(app, ".playback")["bottom"] < box(app, f"#{ids.NETWORK}")["top"]
    # The phone's sizes stay on the phone: the page's own fields and buttons, as they were.
    assert box(app, f"#{ids.DATES}")["height"] == 32
    assert box(app, f"#{ids.PLAY}")["height"] < TARGET_PX

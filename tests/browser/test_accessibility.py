"""Accessibility in every mode: axe-core finds nothing serious; the keyboard reaches everything."""

from __future__ import annotations

from pathlib import Path

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from dashboard import ids
from dashboard.app import create_app
from dashboard.model import load_corpus

# scripts/test installs axe-core here from the npm registry (npm install --prefix .test-deps).
AXE = (
    Path(__file__).resolve().parents[2] / ".test-deps" / "node_modules" / "axe-core" / "axe.min.js"
)
SEVERE = ("serious", "critical")
PAGES = {
    "main page": "/",
    "main page, playback and a record": "/?day=1949-01-14&message=m09",
    "main page, a story step": "/?step=2&end=1949-01-15&start=1949-01-10&people=stalin,mao",
    "kiosk": "/kiosk",
    "kiosk, a story step with a record": "/kiosk?step=4&start=1949-01-14&end=1949-01-14"
    "&people=terebin&message=m11",
    "kiosk, attract loop": "/kiosk?attract=on&day=1949-01-12",
    "kiosk, codenames": "/kiosk?names=codename&day=1949-02-06",
}
EMBEDS = ("/embed/network", "/embed/timeline?start=1949-01-10&end=1949-01-15", "/embed/flow")


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        pytest.fail(
            f"axe-core is missing at {AXE}. Run scripts/test, which installs it, or "
            "`npm install --prefix .test-deps axe-core@4`.",
            pytrace=False,
        )
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def app(dash_duo):
    dash_duo.start_server(create_app(load_corpus(), idle_seconds=600))
    return dash_duo


def open_page(duo, path: str) -> None:
    duo.driver.get(duo.server_url + path)
    duo.wait_for_element(".js-plotly-plot .main-svg", timeout=15)
    # An embed builds its own chart's text alternative only.
    view = path.split("?")[0].removeprefix("/embed/") if path.startswith("/embed/") else "network"
    text = {"network": ids.NETWORK_TEXT, "timeline": ids.TIMELINE_TEXT, "flow": ids.FLOW_TEXT}
    duo.wait_for_element(f"#{text[view]} .chart-sentence", timeout=10)


def violations(duo, source: str) -> list[dict]:
    """axe-core's violations on the page as it stands, every table opened first."""
    duo.driver.execute_script("document.querySelectorAll('details').forEach(d => d.open = true)")
    duo.driver.execute_script(source)
    duo.driver.set_script_timeout(60)
    return duo.driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']})"
        "  .then(r => done(r.violations))"
        "  .catch(e => done([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}]));"
    )


def describe(found: list[dict]) -> str:
    return "\n".join(
        f"{v['impact']} {v['id']}: {v['help']} at "
        + ", ".join(str(n["target"]) for n in v["nodes"][:5])
        for v in found
    )


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_axe_finds_nothing_serious(app, axe_source, path):
    open_page(app, path)
    severe = [v for v in violations(app, axe_source) if v["impact"] in SEVERE]
    assert severe == [], describe(severe)


@pytest.mark.parametrize("path", EMBEDS)
def test_embeds_have_no_finding_at_all(app, axe_source, path):
    """An embed is one chart on a page of its own: it keeps a title and its chart's heading
    for screen readers, out of sight."""
    open_page(app, path)
    found = violations(app, axe_source)
    assert found == [], describe(found)


def test_keyboard_reaches_and_works_the_exhibit(app):
    open_page(app, "/kiosk")
    reached = []
    for _ in range(40):
        ActionChains(app.driver).send_keys(Keys.TAB).perform()
        element = app.driver.switch_to.active_element
        reached.append(element.get_attribute("id") or element.get_attribute("class"))
        if element.get_attribute("id") == ids.PLAY:
            break
    assert reached[0] == "skip-link", reached  # the first stop skips to the charts
    assert ids.PLAY in reached, reached
    play = app.driver.switch_to.active_element
    # Focus is visible: the outline the stylesheet draws for keyboard focus.
    outline = app.driver.execute_script("return getComputedStyle(arguments[0]).outlineStyle", play)
    assert outline not in ("", "none")
    play.send_keys(Keys.SPACE)
    app.wait_for_contains_text(f"#{ids.DAY_LABEL}", "January 1949")
    assert play.accessible_name == "Pause"
    play.send_keys(Keys.SPACE)
    app._wait_for(lambda _d: play.accessible_name == "Play", timeout=5, msg="Play again")


def test_every_control_has_a_name(app):
    for path in ("/", "/kiosk?step=3&start=1949-01-11&end=1949-01-14&people=nanjing_gov,cpc"):
        open_page(app, path)
        unnamed = app.driver.execute_script(
            "return [...document.querySelectorAll("
            "'button, input, select, textarea, [role=slider], a[href], summary')]"
            ".filter(e => e.offsetParent !== null && e.tabIndex >= 0)"
            ".filter(e => !e.closest('[aria-hidden=true]'))"
            ".filter(e => !(e.getAttribute('aria-label') || e.getAttribute('aria-labelledby')"
            " || e.labels?.length || e.textContent.trim()))"
            ".map(e => e.outerHTML.slice(0, 120))"
        )
        assert unnamed == [], unnamed


def test_each_chart_has_a_sentence_and_a_table(app):
    open_page(app, "/?start=1949-01-10&end=1949-01-15")
    for text in (ids.NETWORK_TEXT, ids.TIMELINE_TEXT, ids.FLOW_TEXT):
        app.wait_for_element(f"#{text} .chart-sentence")
    sentence = app.find_element(f"#{ids.NETWORK_TEXT} .chart-sentence").text
    assert sentence.startswith("10 messages between 9 people and bodies, from 10 to 15 Jan 1949")
    app.find_element(f"#{ids.FLOW_TEXT} summary").click()
    rows = app.driver.find_elements("css selector", f"#{ids.FLOW_TEXT} tbody tr")
    assert len(rows) == 20
    headers = [th.text for th in app.driver.find_elements("css selector", f"#{ids.FLOW_TEXT} th")]
    assert headers == ["Telegram", "Date", "Sender", "Copies to", "Copies", "In the Politburo"]

"""The Content-Security-Policy in Chromium: the page, the kiosk and an embed draw their charts
and play, and the browser reports no violation of the policy."""

from __future__ import annotations

import pytest
from selenium.webdriver.support.ui import WebDriverWait

from dashboard import ids
from dashboard.app import create_app
from dashboard.model import load_corpus

# Runs in every document before its own scripts (and outside the page's policy): each
# violation the browser reports is kept, with what was blocked and which rule blocked it.
WATCH = """
window.cspViolations = [];
document.addEventListener('securitypolicyviolation', function (event) {
    window.cspViolations.push(event.violatedDirective + ' blocked ' + event.blockedURI);
});
"""
VIOLATIONS = "return window.cspViolations || [];"
CHARTS = [ids.NETWORK, ids.TIMELINE, ids.FLOW]


@pytest.fixture
def browser(dash_duo):
    dash_duo.start_server(create_app(load_corpus()))
    dash_duo.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": WATCH})
    return dash_duo


def drawn(duo, graph: str) -> bool:
    return bool(
        duo.driver.execute_script(
            f"const gd = document.querySelector('#{graph} .js-plotly-plot');"
            "return !!(gd && gd._fullLayout && gd.querySelector('.main-svg')"
            " && gd.data.length);"
        )
    )


def wait(duo, condition, timeout: float = 20) -> None:
    WebDriverWait(duo.driver, timeout).until(lambda _driver: condition())


def csp_logs(duo) -> list[dict]:
    return [entry for entry in duo.get_logs() if "Content Security Policy" in entry["message"]]


def test_the_policy_is_sent_and_the_watch_sees_what_it_blocks(browser):
    """The check below could fail: an inline script the policy does not name is blocked."""
    page = browser.driver
    page.get(browser.server_url + "/")
    wait(browser, lambda: drawn(browser, ids.NETWORK))
    page.execute_script(
        "const s = document.createElement('script');"
        "s.textContent = 'window.ranInline = true';"
        "document.body.appendChild(s);"
    )
    wait(browser, lambda: page.execute_script(VIOLATIONS))
    assert page.execute_script("return window.ranInline === undefined")
    assert "script-src" in page.execute_script(VIOLATIONS)[0]


def test_page_kiosk_and_embed_run_under_the_policy(browser):
    page = browser.driver
    for path, graphs in [
        ("/?start=1949-01-10&end=1949-01-15&people=Filippov", CHARTS),
        ("/kiosk?day=1949-01-10&play=on&speed=fast", CHARTS),
        ("/embed/timeline?start=1949-01-10&end=1949-01-20", [ids.TIMELINE]),
    ]:
        page.get(browser.server_url + path)
        for graph in graphs:
            wait(browser, lambda graph=graph: drawn(browser, graph))
        if path.startswith("/kiosk"):
            # Playback walks on: callbacks keep answering and the charts redraw.
            wait(browser, lambda: "day=1949-01-1" in page.current_url)
            wait(browser, lambda: "day=1949-01-10" not in page.current_url)
        # Plotly's hover labels and mode bar (styles, icons as data: images) work too.
        page.execute_script(
            "const gd = document.querySelector('.js-plotly-plot');"
            "Plotly.Fx.hover(gd, [{curveNumber: gd.data.length - 1, pointNumber: 0}]);"
        )
        assert page.execute_script(VIOLATIONS) == [], path
    assert csp_logs(browser) == []
    assert browser.get_logs() == []

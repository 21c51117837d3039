"""Clicks on the network at many window sizes: a person's node chooses the person, a line its
messages, and neither ever takes the other's click."""

from __future__ import annotations

import time

import pytest
from selenium.webdriver.common.actions.action_builder import ActionBuilder
from selenium.webdriver.support.ui import WebDriverWait

from dashboard import ids
from dashboard.app import create_app
from dashboard.model import load_corpus

# (width, height, path): the page in windows of the sizes people use, in the presentation
# look, and embeds in frames of that size on a presenter's page (the smallest the README
# promises, and a projector's).
SIZES = [
    (1920, 1080, "/"),
    (1440, 900, "/"),
    (1280, 800, "/"),
    (1000, 800, "/"),
    (800, 600, "/"),
    (1280, 800, "/?look=presentation"),
    (400, 300, "/embed/network"),
    (800, 500, "/embed/network?look=presentation"),
]
FRAME = """<!doctype html><html><head><title>frame</title></head><body style="margin:0">
<iframe id="chart" src="{path}" width="{width}" height="{height}" style="border:0"></iframe>
</body></html>"""

# Keep plotly's click events in a list and keep them from the app, so the figure under test
# stays the one drawn for the whole corpus while every node and line is clicked in turn.
LISTEN = f"""
const gd = document.querySelector('#{ids.NETWORK} .js-plotly-plot');
gd.removeAllListeners('plotly_click');
window.networkClicks = [];
gd.on('plotly_click', e => window.networkClicks.push(e.points[0].customdata || null));
"""
# Document coordinates of the people and the middle of each line of the network.
TARGETS = f"""
const gd = document.querySelector('#{ids.NETWORK} .js-plotly-plot');
const l = gd._fullLayout, box = gd.getBoundingClientRect();
const at = (x, y) => [box.left + scrollX + l._size.l + l.xaxis.l2p(x),
                      box.top + scrollY + l._size.t + l.yaxis.l2p(y)];
const people = [], lines = [];
for (const t of gd._fullData) {{
  if (!t.customdata || !t.visible) continue;
  t.customdata.forEach((c, i) => {{
    if (c[0] === 'person') people.push([c[1], ...at(t.x[i], t.y[i])]);
  }});
  if (t.customdata[0][0] === 'edge') {{
    const i = Math.floor(t.x.length / 2);
    lines.push([t.customdata[0][1], ...at(t.x[i], t.y[i])]);
  }}
}}
return [people, lines];
"""


def click_at(driver, x: float, y: float) -> object:
    """A real mouse click at document coordinates, scrolled into view; what plotly reported."""
    before = driver.execute_script("return window.networkClicks.length")
    left, top = driver.execute_script(
        f"window.scrollTo({x} - innerWidth / 2, {y} - innerHeight / 2); return [scrollX, scrollY]"
    )
    x, y = x - left, y - top
    actions = ActionBuilder(driver)
    actions.pointer_action.move_to_location(round(x), round(y)).click()
    actions.perform()
    WebDriverWait(driver, 10).until(
        lambda d: d.execute_script("return window.networkClicks.length") > before
    )
    return driver.execute_script("return window.networkClicks[window.networkClicks.length - 1]")


def open_at(duo, width: int, height: int, path: str) -> None:
    """The page in a viewport of exactly width x height, or an embed in a frame that size."""
    app = create_app(load_corpus())
    frame = FRAME.format(path=path, width=width, height=height)
    app.server.add_url_rule("/test-frame", "test_frame", lambda: frame)
    duo.start_server(app)
    if path.startswith("/embed/"):
        duo.driver.set_window_size(max(width, 1000), max(height, 800) + 200)
        duo.driver.get(duo.server_url + "/test-frame")
        duo.driver.switch_to.frame("chart")
    else:
        duo.driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
        )
        duo.driver.get(duo.server_url + path)


def settled_targets(driver) -> list:
    """The targets once the figure stands still: an embed draws again in the look that fits
    its frame once it has measured it, which a busy machine may take a while to do."""
    last = None
    for _ in range(30):
        now = driver.execute_script(TARGETS)
        if now == last:
            return now
        last = now
        time.sleep(0.7)
    return last


@pytest.mark.parametrize(("width", "height", "path"), SIZES)
def test_every_node_and_line_takes_its_own_click(dash_duo, width, height, path):
    open_at(dash_duo, width, height, path)
    driver = dash_duo.driver
    assert driver.execute_script("return [innerWidth, innerHeight]") == [width, height]
    dash_duo.wait_for_element(f"#{ids.NETWORK} .scatterlayer .point", timeout=15)
    graph = dash_duo.find_element(f"#{ids.NETWORK}")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", graph)
    people, lines = settled_targets(driver)
    driver.execute_script(LISTEN)
    assert len(people) >= 12 and len(lines) >= 10
    wrong = []
    for person, x, y in people:
        got = click_at(driver, x, y)
        if got != ["person", person]:
            wrong.append((person, got))
    for messages, x, y in lines:
        got = click_at(driver, x, y)
        if got != ["edge", messages]:
            wrong.append((messages, got))
    assert wrong == [], f"{len(wrong)} clicks at {width}x{height} {path} took the wrong target"


def test_a_click_on_stalin_chooses_him_at_full_hd(dash_duo):
    open_at(dash_duo, 1920, 1080, "/")
    dash_duo.wait_for_element(f"#{ids.NETWORK} .scatterlayer .point", timeout=15)
    graph = dash_duo.find_element(f"#{ids.NETWORK}")
    dash_duo.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", graph)
    driver = dash_duo.driver
    people, _ = settled_targets(driver)
    x, y = next((x, y) for person, x, y in people if person == "stalin")
    driver.execute_script("window.networkClicks = []")
    # The app's own listener stays: the click goes round to the server and back.
    driver.execute_script(
        f"document.querySelector('#{ids.NETWORK} .js-plotly-plot')"
        ".on('plotly_click', e => window.networkClicks.push(e.points[0].customdata))"
    )
    click_at(driver, x, y)
    dash_duo.wait_for_contains_text(f"#{ids.SUMMARY}", "People: Iosif Stalin", timeout=10)
    assert "people=stalin" in driver.current_url
    assert "message=" not in driver.current_url

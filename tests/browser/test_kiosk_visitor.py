"""What a visitor at the kiosk meets: a copy flow with something to say in every story step,
and legends that a tap cannot turn into switches."""

from __future__ import annotations

from selenium.webdriver.common.actions.action_builder import ActionBuilder
from selenium.webdriver.support.ui import WebDriverWait

from dashboard import ids
from dashboard.app import create_app
from dashboard.model import load_corpus

# The flow's drawing: its kind of trace, the copies its links carry, and the words over it.
FLOW = f"""
const gd = document.querySelector('#{ids.FLOW} .js-plotly-plot');
const url = new URLSearchParams(location.search);
if (!gd || !gd._fullData) return null;
const trace = gd._fullData[0];
const said = [...gd.querySelectorAll('.annotation-text')].map(t => t.textContent).join(' ');
return [url.get('step'), trace ? trace.type : null, said];
"""


def test_the_copy_flow_has_something_to_show_in_every_story_step(dash_duo):
    dash_duo.start_server(create_app(load_corpus(), idle_seconds=600))
    driver = dash_duo.driver
    driver.set_window_size(1920, 1080)
    driver.get(dash_duo.server_url + "/kiosk")
    dash_duo.wait_for_contains_text(f"#{ids.SUMMARY}", "message", timeout=20)
    for step in range(1, 9):
        dash_duo.find_element(f"#{ids.STORY_NEXT}").click()
        WebDriverWait(driver, 15).until(
            lambda d, step=step: (d.execute_script(FLOW) or [None])[0] == str(step)
        )
        WebDriverWait(driver, 10).until(
            lambda d: (d.execute_script(FLOW) or [0, None])[1] == "sankey",
            message=f"step {step}: the flow draws no copies at all",
        )
        _, _, said = driver.execute_script(FLOW)
        copies = dash_duo.find_element(f"#{ids.SUMMARY}").text
        if " 0 copies" in copies:
            assert "No distribution copies" in said, f"step {step}: a faded flow says why"


def test_a_tap_on_a_legend_hides_nothing_in_the_kiosk(dash_duo):
    dash_duo.start_server(create_app(load_corpus(), idle_seconds=600))
    driver = dash_duo.driver
    driver.set_window_size(1920, 1080)
    driver.get(dash_duo.server_url + "/kiosk")
    dash_duo.wait_for_contains_text(f"#{ids.SUMMARY}", "message", timeout=20)
    for graph in (ids.NETWORK, ids.TIMELINE):
        dash_duo.wait_for_element(f"#{graph} .legend .traces", timeout=15)
        for entry in dash_duo.find_elements(f"#{graph} .legend .traces"):
            # A finger on the entry's words, where plotly listens for legend clicks.
            box = entry.rect
            actions = ActionBuilder(driver)
            actions.pointer_action.move_to_location(
                round(box["x"] + min(box["width"] / 2, 40)), round(box["y"] + box["height"] / 2)
            ).click()
            actions.perform()
        hidden = driver.execute_script(
            f"return document.querySelector('#{graph} .js-plotly-plot')._fullData"
            ".filter(t => t.visible !== true).map(t => t.name)"
        )
        assert hidden == [], f"a tap on the legend of {graph} hid {hidden}"


def test_a_portrait_kiosk_shows_all_three_charts_without_scrolling(dash_duo):
    dash_duo.start_server(create_app(load_corpus(), idle_seconds=600))
    driver = dash_duo.driver
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 1080, "height": 1920, "deviceScaleFactor": 1, "mobile": False},
    )
    driver.get(dash_duo.server_url + "/kiosk")
    dash_duo.wait_for_contains_text(f"#{ids.SUMMARY}", "message", timeout=20)
    for graph in (ids.NETWORK, ids.TIMELINE, ids.FLOW):
        dash_duo.wait_for_element(f"#{graph} .main-svg", timeout=15)
    boxes = driver.execute_script(
        "return [scrollY, innerHeight, ...['NETWORK', 'TIMELINE', 'FLOW'].map(g => {"
        " const r = document.getElementById(g).getBoundingClientRect();"
        " return [r.top, r.bottom, r.height]; })]".replace("NETWORK", ids.NETWORK)
        .replace("TIMELINE", ids.TIMELINE)
        .replace("FLOW", ids.FLOW)
    )
    scrolled, height, *charts = boxes
    assert scrolled == 0
    for name, (top, bottom, tall) in zip(("network", "timeline", "flow"), charts, strict=True):
        assert tall >= 200, f"the {name} is drawn at least 200 px tall"
        assert top >= 0 and bottom <= height, (
            f"the {name} is on screen ({top}-{bottom} of {height})"
        )


# The type size of every text drawn in the kiosk's charts (not the hover boxes).
CHART_TYPE = """
return [...document.querySelectorAll('#GRAPH .main-svg text')]
  .filter(t => t.textContent.trim() && !t.closest('.hoverlayer')
          && t.getBoundingClientRect().width > 0)
  .map(t => [t.textContent, parseFloat(getComputedStyle(t).fontSize)]);
"""


def test_every_chart_text_in_the_kiosk_is_at_least_20_px(dash_duo):
    dash_duo.start_server(create_app(load_corpus(), idle_seconds=600))
    driver = dash_duo.driver
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 1920, "height": 1080, "deviceScaleFactor": 1, "mobile": False},
    )
    for query in ("", "?start=1949-03-01&end=1949-03-31"):
        driver.get(dash_duo.server_url + "/kiosk" + query)
        dash_duo.wait_for_contains_text(f"#{ids.SUMMARY}", "message", timeout=20)
        for graph in (ids.NETWORK, ids.TIMELINE, ids.FLOW):
            dash_duo.wait_for_element(f"#{graph} .main-svg text", timeout=15)
            texts = driver.execute_script(CHART_TYPE.replace("GRAPH", graph))
            assert texts, graph
            small = [(words, size) for words, size in texts if size < 20]
            assert small == [], f"{graph}{query}: text under 20 px"

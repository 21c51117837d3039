"""Embeds in an iframe, the Share panel, the presentation look and the offline HTML export."""

from __future__ import annotations

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.support.ui import WebDriverWait

from dashboard import ids
from dashboard.app import create_app
from dashboard.context import Context
from dashboard.export import export
from dashboard.model import load_corpus
from dashboard.state import ViewState

JANUARY = "start=1949-01-10&end=1949-01-15"
# A page on the app's own server that frames two embeds, as a presenter's page would.
FRAMES = f"""<!doctype html>
<html><head><title>frames</title></head><body style="margin:0">
<iframe id="narrow" src="/embed/network?{JANUARY}" width="320" height="400"
  style="border:0; display:block"></iframe>
<iframe id="wide" src="/embed/timeline?{JANUARY}" width="700" height="420"
  style="border:0; display:block"></iframe>
</body></html>"""


def framing_app():
    app = create_app(load_corpus())
    app.server.add_url_rule("/test-frames", "test_frames", lambda: FRAMES)
    return app


def wait(duo, condition, timeout=15):
    return WebDriverWait(duo.driver, timeout).until(lambda driver: condition(driver))


def plot_box(driver, graph: str) -> list[float]:
    return driver.execute_script(
        f"const r = document.querySelector('#{graph} .js-plotly-plot').getBoundingClientRect();"
        "return [r.width, r.height, innerWidth, innerHeight,"
        " document.scrollingElement.scrollHeight];"
    )


def svg_width(driver, graph: str) -> str | None:
    return driver.execute_script(
        f"const s = document.querySelector('#{graph} .main-svg');"
        "return s && s.getAttribute('width');"
    )


def resize_frame(driver, frame: str, width: int) -> None:
    """Set the width of a frame on the presenter's page, as its author would, and go back in."""
    driver.switch_to.default_content()
    driver.execute_script(f"document.getElementById('{frame}').width = '{width}'")
    driver.switch_to.frame(frame)


def test_embed_fills_a_narrow_iframe_and_follows_its_size(dash_duo):
    dash_duo.start_server(framing_app())
    driver = dash_duo.driver
    driver.get(dash_duo.server_url + "/test-frames")
    driver.switch_to.frame("narrow")
    wait(dash_duo, lambda d: svg_width(d, ids.NETWORK) == "320")
    width, height, inner_width, inner_height, scroll = plot_box(driver, ids.NETWORK)
    assert (width, height) == (inner_width, inner_height) == (320, 400)
    assert scroll <= 400, "the embed must not scroll inside its frame"
    # The page's title is out of sight, kept for screen readers only.
    masthead = driver.find_element("css selector", ".masthead")
    assert masthead.size["width"] <= 1 and masthead.size["height"] <= 1
    assert masthead.get_attribute("textContent").startswith("Dispatches")
    assert not driver.find_element("css selector", ".filters").is_displayed()

    # Hovering a person shows their details, as on the page.
    person = driver.find_element("css selector", f"#{ids.NETWORK} .scatterlayer .point")
    ActionChains(driver).move_to_element(person).perform()
    wait(dash_duo, lambda d: d.find_elements("css selector", ".hoverlayer .hovertext"))

    # The presenter's page widens the frame: the chart follows.
    resize_frame(driver, "narrow", 600)
    wait(dash_duo, lambda d: svg_width(d, ids.NETWORK) == "600")
    assert plot_box(driver, ids.NETWORK)[:2] == [600, 400]
    assert dash_duo.get_logs() == []


def network_labels(driver) -> list[str]:
    return driver.execute_script(
        f"const gd = document.querySelector('#{ids.NETWORK} .js-plotly-plot');"
        "return gd.data.filter(t => t.mode === 'markers+text').flatMap(t => t.text);"
    )


def test_a_narrow_frame_gets_short_names_until_it_widens(dash_duo):
    dash_duo.start_server(framing_app())
    driver = dash_duo.driver
    driver.get(dash_duo.server_url + "/test-frames")
    driver.switch_to.frame("narrow")
    wait(dash_duo, lambda d: "Stalin" in network_labels(d))
    assert "Iosif Stalin" not in network_labels(driver)
    assert not driver.find_elements("css selector", f"#{ids.NETWORK} .legend")

    resize_frame(driver, "narrow", 900)
    wait(dash_duo, lambda d: "Iosif Stalin" in network_labels(d))
    assert driver.find_elements("css selector", f"#{ids.NETWORK} .legend")

    resize_frame(driver, "narrow", 400)
    wait(dash_duo, lambda d: "Stalin" in network_labels(d))
    assert dash_duo.get_logs() == []


def test_a_frame_just_wider_than_the_line_gets_the_full_names(dash_duo):
    """Measured as an embed, not as the page it is drawn from before its first render."""
    dash_duo.start_server(framing_app())
    driver = dash_duo.driver
    driver.get(dash_duo.server_url + "/test-frames")
    resize_frame(driver, "narrow", 680)
    driver.execute_script("location.reload()")
    wait(dash_duo, lambda d: d.find_elements("css selector", f"#{ids.NETWORK} .main-svg"))
    wait(dash_duo, lambda d: "Iosif Stalin" in network_labels(d))
    assert dash_duo.get_logs() == []


def test_click_in_an_embed_opens_the_record_over_the_chart(dash_duo):
    dash_duo.start_server(framing_app())
    driver = dash_duo.driver
    driver.get(dash_duo.server_url + "/test-frames")
    driver.switch_to.frame("wide")
    wait(dash_duo, lambda d: svg_width(d, ids.TIMELINE) == "700")
    details = driver.find_element("css selector", ".details")
    assert not details.is_displayed()

    # The first message mark on the timeline: its pixel position from the figure itself.
    left, top, message = driver.execute_script(
        f"const gd = document.querySelector('#{ids.TIMELINE} .js-plotly-plot');"
        "const trace = gd.data.find(t => t.customdata && t.customdata.length"
        " && t.customdata[0][0] === 'message');"
        "const size = gd._fullLayout._size;"
        "return [gd._fullLayout.xaxis.d2p(trace.x[0]) + size.l,"
        " gd._fullLayout.yaxis.d2p(trace.y[0]) + size.t, trace.customdata[0][1]];"
    )
    surface = driver.find_element("css selector", f"#{ids.TIMELINE} .main-svg")
    width, height = surface.size["width"], surface.size["height"]
    ActionChains(driver).move_to_element(surface).move_by_offset(
        round(left - width / 2), round(top - height / 2)
    ).click().perform()

    wait(dash_duo, lambda d: details.is_displayed())
    record = driver.find_element("css selector", ".details .record")
    assert message in record.text, "the record names its id"
    assert f"message={message}" in driver.execute_script("return location.search")
    box = driver.execute_script(
        "const r = document.querySelector('.details').getBoundingClientRect();"
        "return [r.top, r.bottom, innerHeight];"
    )
    assert box[0] > 0 and box[1] <= box[2], "the record sits inside the frame"

    # Closing it gives the whole chart back.
    driver.find_element("css selector", f"#{ids.DETAILS_CLOSE}").click()
    wait(dash_duo, lambda d: not details.is_displayed())
    assert dash_duo.get_logs() == []


def test_share_panel_gives_link_embed_code_and_citation(dash_duo):
    dash_duo.start_server(create_app(load_corpus()))
    dash_duo.driver.get(dash_duo.server_url + f"/?{JANUARY}&people=Filippov")
    dash_duo.wait_for_element(f"#{ids.NETWORK} .main-svg", timeout=15)
    dash_duo.find_element(f"#{ids.SHARE} > summary").click()
    query = f"?{JANUARY}&people=stalin"
    link = dash_duo.find_element(f"#{ids.SHARE_LINK}")
    wait(dash_duo, lambda d: link.get_attribute("value") == f"{dash_duo.server_url}/{query}")
    snippet = dash_duo.find_element(f"#{ids.SHARE_SNIPPET}")
    assert f"{dash_duo.server_url}/embed/network?" in snippet.get_attribute("value")

    dash_duo.find_element(f"#{ids.SHARE_VIEW} input[value='flow']").click()
    wait(dash_duo, lambda d: "/embed/flow?" in snippet.get_attribute("value"))
    citation = dash_duo.find_element(f"#{ids.SHARE_CITATION}").text
    assert "people: Iosif Stalin" in citation and "10 - 15 Jan 1949" in citation
    hrefs = [a.get_attribute("href") for a in dash_duo.find_elements(f"#{ids.SHARE_DOWNLOADS} a")]
    assert f"{dash_duo.server_url}/download/messages.csv{query}" in hrefs
    assert dash_duo.get_logs() == []


def test_presentation_look_enlarges_the_page(dash_duo):
    dash_duo.start_server(create_app(load_corpus()))
    dash_duo.driver.get(dash_duo.server_url + "/?look=presentation")
    dash_duo.wait_for_element(f"#{ids.NETWORK} .main-svg", timeout=15)
    wait(
        dash_duo,
        lambda d: "look-presentation" in d.find_element("id", ids.ROOT).get_attribute("class"),
    )
    size, ink = dash_duo.driver.execute_script(
        "const s = getComputedStyle(document.documentElement);"
        f"return [s.fontSize, getComputedStyle(document.getElementById('{ids.ROOT}')).color];"
    )
    assert size == "21px" and ink == "rgb(0, 0, 0)"


def test_html_export_loads_offline_with_no_request_to_another_host(dash_br, tmp_path):
    context = Context.build(load_corpus())
    state = ViewState.from_query(f"?{JANUARY}", context.corpus)
    made = export(context, "network", "html", state, link="http://localhost:8050/")
    page = tmp_path / made.filename
    page.write_bytes(made.content)

    driver = dash_br.driver
    driver.get(page.as_uri())
    wait(dash_br, lambda d: d.find_elements("css selector", ".plotly-graph-div .main-svg"))
    # Nodes drawn: the figure really rendered from the inlined plotly.js.
    assert driver.find_elements("css selector", ".scatterlayer .point")
    requested = driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
    )
    assert all(name.split(":", 1)[0] in ("file", "data", "blob") for name in requested), requested
    remote = driver.execute_script(
        "return [...document.querySelectorAll('[src], link[href]')]"
        ".map(e => e.src || e.href).filter(u => !u.startsWith('file:'))"
    )
    assert remote == []
    assert dash_br.get_logs() == []

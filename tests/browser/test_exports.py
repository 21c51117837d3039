"""Exported charts describe themselves: the chart's title, the dates and filters shown and the
citation, all in sight at any size; static images draw no range slider."""

from __future__ import annotations

from dataclasses import replace

import pytest
from selenium.webdriver.support.ui import WebDriverWait

from dashboard import ids
from dashboard.context import Context
from dashboard.export import export, image_size
from dashboard.model import load_corpus
from dashboard.state import ViewState

QUERY = "?start=1949-01-10&end=1949-01-15&people=Filippov"
TITLES = {"network": "Who wrote to whom", "timeline": "Day by day", "flow": "Where the copies went"}


@pytest.fixture(scope="module")
def context():
    return Context.build(load_corpus())


def wait(driver, condition, timeout=15):
    return WebDriverWait(driver, timeout).until(lambda d: condition(d))


# Each text of an SVG (its lines joined by spaces), and whether it is cut by the image's
# edge: partly inside and partly out. Texts wholly outside are clipped away by plotly.
SVG_TEXTS = """
const svg = document.querySelector('svg');
const frame = svg.getBoundingClientRect();
return [...svg.querySelectorAll('text')].filter(t => t.textContent.trim()).map(t => {
  const r = t.getBoundingClientRect();
  const lines = [...t.querySelectorAll('tspan.line')];
  const words = lines.length ? lines.map(l => l.textContent).join(' ') : t.textContent;
  const inside = r.left >= frame.left - 1 && r.right <= frame.right + 1
                 && r.top >= frame.top - 1 && r.bottom <= frame.bottom + 1;
  const outside = r.right < frame.left || r.left > frame.right
                  || r.bottom < frame.top || r.top > frame.bottom;
  return [words, inside || outside];
});
"""


@pytest.mark.parametrize("view", ["network", "timeline", "flow"])
@pytest.mark.parametrize("size", [(900, 560), (480, 360)])
def test_an_svg_names_its_chart_dates_filter_and_source_inside_its_frame(
    dash_br, context, tmp_path, view, size
):
    state = ViewState.from_query(QUERY, context.corpus)
    made = export(context, view, "svg", state, size=image_size(view, *size, fmt="svg"))
    path = tmp_path / made.filename
    path.write_bytes(made.content)
    driver = dash_br.driver
    driver.get(path.as_uri())
    wait(driver, lambda d: d.find_elements("css selector", "svg text"))
    texts = driver.execute_script(SVG_TEXTS)
    words = " ".join(text for text, _ in texts)
    assert TITLES[view] in words
    assert "10 - 15 Jan 1949" in words and "Iosif Stalin" in words
    assert "data set version" in words and "Accessed" in words
    clipped = [text for text, whole in texts if not whole]
    assert clipped == [], f"{view} at {size}: text outside the image"
    if view == "timeline":
        assert not driver.find_elements("css selector", ".rangeslider-container")


# The box of an image's legend, and every text outside it: the title and its lines, the
# chart's names, the citation.
LEGEND_AND_TEXTS = """
const legend = document.querySelector('svg .legend');
if (!legend) return null;
const box = e => {
  const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
const texts = [...document.querySelectorAll('svg text')]
  .filter(t => t.textContent.trim() && !t.closest('.legend'))
  .map(t => [t.textContent, box(t)]);
return [box(legend), texts];
"""


@pytest.mark.parametrize("view", ["network", "timeline"])
def test_an_images_legend_keeps_clear_of_its_heading_and_names(dash_br, context, tmp_path, view):
    """The whole corpus at the default size: the network's top name reaches above its plot,
    and the timeline's legend is long enough to take a second row."""
    state = ViewState.default(context.corpus)
    made = export(context, view, "svg", state, size=image_size(view, fmt="svg"))
    path = tmp_path / made.filename
    path.write_bytes(made.content)
    driver = dash_br.driver
    driver.get(path.as_uri())
    wait(driver, lambda d: d.execute_script(LEGEND_AND_TEXTS))
    (left, top, right, bottom), texts = driver.execute_script(LEGEND_AND_TEXTS)
    under = [
        words
        for words, (l2, t2, r2, b2) in texts
        if min(right, r2) - max(left, l2) > 1 and min(bottom, b2) - max(top, t2) > 1
    ]
    assert under == [], f"{view}: words under the legend"


NAME_BOXES = """
return [...document.querySelectorAll('svg .scatterlayer text')]
  .filter(t => t.textContent.trim())
  .map(t => { const r = t.getBoundingClientRect();
    return [t.textContent, [r.left, r.top, r.right, r.bottom]]; });
"""


@pytest.mark.parametrize("look", ["default", "presentation"])
def test_a_network_pictures_names_never_meet(dash_br, context, tmp_path, look):
    """The whole corpus at the look's own default size: a slide's names in large type."""
    state = replace(ViewState.default(context.corpus), look=look)
    size = image_size("network", fmt="svg", look=look)
    made = export(context, "network", "svg", state, size=size)
    path = tmp_path / made.filename
    path.write_bytes(made.content)
    driver = dash_br.driver
    driver.get(path.as_uri())
    wait(driver, lambda d: d.execute_script(NAME_BOXES))
    names = driver.execute_script(NAME_BOXES)
    assert len(names) >= 12
    meeting = [
        (one, other)
        for i, (one, a) in enumerate(names)
        for other, b in names[i + 1 :]
        if min(a[2], b[2]) - max(a[0], b[0]) > 1 and min(a[3], b[3]) - max(a[1], b[1]) > 1
    ]
    assert meeting == [], f"{look}: names that meet"


@pytest.mark.parametrize("window", [(1280, 800), (700, 420)])
def test_the_html_export_shows_title_filter_and_citation_beside_the_chart(
    dash_br, context, tmp_path, window
):
    state = ViewState.from_query(QUERY, context.corpus)
    made = export(context, "timeline", "html", state, link="http://localhost:8050/")
    path = tmp_path / made.filename
    path.write_bytes(made.content)
    driver = dash_br.driver
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": window[0], "height": window[1], "deviceScaleFactor": 1, "mobile": False},
    )
    driver.get(path.as_uri())
    wait(driver, lambda d: d.find_elements("css selector", ".main-svg"))
    boxes = driver.execute_script(
        "const box = s => { const r = document.querySelector(s).getBoundingClientRect();"
        " return [r.top, r.bottom]; };"
        "return {chart: box('.plotly-graph-div'), caption: box('.caption'),"
        " heading: box('h1'), height: innerHeight, text: document.body.innerText};"
    )
    assert "Day by day" in boxes["text"] and "10 - 15 Jan 1949" in boxes["text"]
    assert "data set version" in boxes["text"]
    assert boxes["heading"][1] <= boxes["chart"][0] + 1, "the title stands above the chart"
    assert boxes["chart"][1] <= boxes["caption"][0] + 1, "the citation stands below the chart"
    assert boxes["caption"][1] <= boxes["height"], "and inside the window"


FRAME = """<!doctype html><html><head><title>frame</title></head><body style="margin:0">
<iframe id="chart" src="{path}" width="{width}" height="{height}" style="border:0"></iframe>
</body></html>"""
# Every text of a chart: its words, its box, and whether the box lies inside the frame.
CHART_TEXTS = """
return [...document.querySelectorAll('#GRAPH .js-plotly-plot text')]
  .filter(t => t.textContent.trim() && t.getBoundingClientRect().width > 0)
  .filter(t => !t.closest('.hoverlayer, .modebar, .rangeslider-container'))
  .map(t => { const r = t.getBoundingClientRect();
    return [t.textContent, [r.left, r.top, r.right, r.bottom],
            r.left >= -1 && r.top >= -1 && r.right <= innerWidth + 1
            && r.bottom <= innerHeight + 1, !!t.closest('.textpoint')]; });
"""


def overlapping(boxes: list[tuple[str, list[float]]]) -> list[tuple[str, str]]:
    pairs = []
    for i, (a, (l1, t1, r1, b1)) in enumerate(boxes):
        for b, (l2, t2, r2, b2) in boxes[i + 1 :]:
            # A pixel of slack: glyph boxes touch without the words colliding.
            if min(r1, r2) - max(l1, l2) > 1 and min(b1, b2) - max(t1, t2) > 1:
                pairs.append((a, b))
    return pairs


@pytest.mark.parametrize("view", ["network", "timeline", "flow"])
@pytest.mark.parametrize(
    ("width", "height", "look"),
    [
        (400, 300, ""),
        (800, 500, ""),
        (800, 500, "look=presentation"),
        (1280, 720, "look=presentation"),
    ],
)
def test_an_embed_clips_no_label_and_no_two_names_collide(dash_duo, view, width, height, look):
    from dashboard.app import create_app

    app = create_app(load_corpus())
    frame = FRAME.format(path=f"/embed/{view}?{look}", width=width, height=height)
    app.server.add_url_rule("/test-frame", "test_frame", lambda: frame)
    dash_duo.start_server(app)
    driver = dash_duo.driver
    driver.set_window_size(max(width, 1000) + 40, max(height, 800) + 200)
    driver.get(dash_duo.server_url + "/test-frame")
    driver.switch_to.frame("chart")
    graph = {"network": ids.NETWORK, "timeline": ids.TIMELINE, "flow": ids.FLOW}[view]
    wait(driver, lambda d: d.find_elements("css selector", f"#{graph} .main-svg"))
    # Let the embed measure its frame and draw again in the look that fits it.
    wait(
        driver,
        lambda d: d.execute_script(
            f"const s = document.querySelector('#{graph} .main-svg');"
            f"return s && +s.getAttribute('width') === {width}"
        ),
    )
    import time

    time.sleep(1.5)
    texts = driver.execute_script(CHART_TEXTS.replace("GRAPH", graph))
    assert texts
    cut = [words for words, _, inside, _ in texts if not inside]
    assert cut == [], f"{view} {width}x{height} {look}: labels cut by the frame"
    if view == "network":
        names = [(words, box) for words, box, _, point in texts if point]
        assert overlapping(names) == [], "two names drawn over each other"

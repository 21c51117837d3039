"""Words and marks of the bundled corpus's charts kept apart, measured by their boxes on
screen: the copy flow's labels, the kiosk's network names, the timeline's range strip and the
legend beside the chart's toolbar."""

from __future__ import annotations

from selenium.webdriver.support.ui import WebDriverWait

from dashboard import ids
from dashboard.app import create_app
from dashboard.model import load_corpus

# Two words on one line read as one when less than about a quarter of their type's size
# stands between them: a space.
WORD_GAP_EM = 0.25

# Every word drawn in a chart (not its hover boxes): text, box and type size in px.
TEXT_BOXES = """
const gd = document.querySelector('#GRAPH .js-plotly-plot');
if (!gd) return null;
return [...gd.querySelectorAll('.main-svg SELECTOR')]
  .filter(t => t.textContent.trim() && !t.closest('.hoverlayer'))
  .map(t => { const r = t.getBoundingClientRect();
    return [t.textContent, [r.left, r.top, r.right, r.bottom],
            parseFloat(getComputedStyle(t).fontSize)]; })
  .filter(([, box]) => box[2] > box[0]);
"""


def text_boxes(driver, graph: str, selector: str = "text") -> list:
    script = TEXT_BOXES.replace("GRAPH", graph).replace("SELECTOR", selector)
    return driver.execute_script(script) or []


def too_close(texts: list) -> list[tuple[str, str]]:
    """Pairs of words whose boxes meet, or stand on one line less than a space apart."""
    pairs = []
    for i, (one, a, size) in enumerate(texts):
        for other, b, other_size in texts[i + 1 :]:
            gap = WORD_GAP_EM * max(size, other_size)
            same_line = a[1] < b[3] and b[1] < a[3]
            if same_line and a[0] < b[2] + gap and b[0] < a[2] + gap:
                pairs.append((one, other))
    return pairs


def emulate(driver, width: int, height: int) -> None:
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
    )


def settled(driver, read, ready=bool):
    """What `read(driver)` gives once it is `ready` and the same twice in a row: the chart
    has drawn and stopped moving."""
    last: list = [None]

    def still(driver) -> bool:
        now = read(driver)
        steady = bool(now) and ready(now) and now == last[0]
        last[0] = now
        return steady

    WebDriverWait(driver, 20, poll_frequency=0.5).until(still)
    return last[0]


def test_the_flows_telegram_labels_keep_clear_of_the_recipients_names(dash_duo):
    dash_duo.start_server(create_app(load_corpus(), idle_seconds=600))
    driver = dash_duo.driver
    day = "day=1949-01-14"  # playback on the day of the second telegram: it is labelled so
    for path, (width, height) in (
        (f"/kiosk?{day}", (1920, 1080)),
        (f"/?{day}", (1920, 1080)),
        ("/embed/flow", (800, 500)),
    ):
        emulate(driver, width, height)
        driver.get(dash_duo.server_url + path)
        labels = settled(
            driver,
            lambda d: text_boxes(d, ids.FLOW, ".sankey-node text"),
            lambda texts, path=path: (
                "embed" in path or any("sent this day" in text for text, _, _ in texts)
            ),
        )
        assert len(labels) >= 12, labels
        assert too_close(labels) == [], f"{path} at {width}x{height}"
    assert dash_duo.get_logs() == []


def chart_box(driver, graph: str) -> list[float]:
    return driver.execute_script(
        f"const r = document.querySelector('#{graph} .main-svg').getBoundingClientRect();"
        "return [r.left, r.top, r.right, r.bottom];"
    )


def legend_box(driver, graph: str) -> list[float]:
    return driver.execute_script(
        f"const r = document.querySelector('#{graph} .legend').getBoundingClientRect();"
        "return [r.left, r.top, r.right, r.bottom];"
    )


def meets(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_the_kiosks_network_names_stand_apart_on_every_screen(dash_duo):
    dash_duo.start_server(create_app(load_corpus(), idle_seconds=600))
    driver = dash_duo.driver
    for width, height in ((1920, 1080), (1080, 1920), (768, 1024)):
        emulate(driver, width, height)
        driver.get(dash_duo.server_url + "/kiosk")
        names = settled(
            driver,
            lambda d: text_boxes(d, ids.NETWORK, ".textpoint text"),
            lambda texts: len(texts) >= 12,
        )
        assert len(names) == 12, names  # everyone in the corpus is named
        assert too_close(names) == [], f"the kiosk at {width}x{height}"
        left, _, right, _ = chart_box(driver, ids.NETWORK)
        cut = [text for text, box, _ in names if box[0] < left or box[2] > right]
        assert cut == [], f"names cut at the chart's sides at {width}x{height}"
        key = legend_box(driver, ids.NETWORK)
        hidden = [text for text, box, _ in names if meets(box, key)]
        assert hidden == [], f"names under the legend at {width}x{height}"
    assert dash_duo.get_logs() == []


# What the timeline's range strip draws (marks, lines and words), measured against the strip.
STRIP_MARKS = f"""
const gd = document.querySelector('#{ids.TIMELINE} .js-plotly-plot');
const strip = gd && gd.querySelector('.rangeslider-container .rangeslider-bg');
if (!strip) return null;
const s = strip.getBoundingClientRect();
const drawn = [...gd.querySelectorAll('.rangeslider-container .scatterlayer .trace')]
  .flatMap(t => [...t.querySelectorAll('.point, .js-line, text')])
  .map(e => e.getBoundingClientRect()).filter(r => r.width > 0)
  .map(r => [r.left, r.top, r.right, r.bottom]);
const shades = [...gd.querySelectorAll('[class*="opp-axis"]')]
  .map(e => e.getBoundingClientRect()).filter(r => r.width > 0 && r.height > 0).length;
return [[s.left, s.top, s.right, s.bottom], drawn, shades];
"""


def test_the_timelines_range_strip_draws_every_mark_whole(dash_duo):
    dash_duo.start_server(create_app(load_corpus()))
    driver = dash_duo.driver
    for path, (width, height) in (
        ("/", (1920, 1080)),
        ("/embed/timeline", (800, 500)),
        ("/embed/timeline", (400, 300)),
    ):
        emulate(driver, width, height)
        driver.get(dash_duo.server_url + path)
        strip, drawn, shades = settled(
            driver, lambda d: d.execute_script(STRIP_MARKS), lambda found: found[1]
        )
        seen = [box for box in drawn if meets(box, strip)]
        assert len(seen) >= 21, "every message of the corpus has its mark in the strip"
        cut = [box for box in seen if box[1] < strip[1] - 0.5 or box[3] > strip[3] + 0.5]
        assert cut == [], f"{path} at {width}x{height}: strip {strip}, marks beyond it {cut}"
        assert shades == 0, "no shade over the room kept round the strip's rows"
    assert dash_duo.get_logs() == []


# The boxes of a chart's legend and of its toolbar (plotly's mode bar), drawn or not yet.
LEGEND_AND_TOOLBAR = """
const gd = document.querySelector('#GRAPH .js-plotly-plot');
const legend = gd && gd.querySelector('.legend');
const toolbar = gd && gd.querySelector('.modebar');
if (!legend || !toolbar) return null;
const box = e => e.getBoundingClientRect();
return [legend, toolbar].map(box).map(r => [r.left, r.top, r.right, r.bottom]);
"""


def test_the_timelines_legend_keeps_clear_of_the_toolbar(dash_duo):
    dash_duo.start_server(create_app(load_corpus()))
    driver = dash_duo.driver
    script = LEGEND_AND_TOOLBAR.replace("GRAPH", ids.TIMELINE)
    # The whole corpus, with the day's key in playback, in the presentation look's large
    # type, and a few people with short names but every side, in windows from 1100 to 1600 px
    # wide; and the embed, whose narrow look puts the legend under the chart.
    pages = [
        (f"/{query}", width, 900)
        for query in ("", "?day=1949-01-14", "?look=presentation", "?people=mao,stuart,nanjing_gov")
        for width in (1100, 1280, 1400, 1600)
    ] + [("/embed/timeline", 800, 500), ("/embed/timeline", 400, 300)]
    for path, width, height in pages:
        emulate(driver, width, height)
        driver.get(dash_duo.server_url + path)
        legend, toolbar = settled(driver, lambda d: d.execute_script(script))
        assert legend[2] > legend[0] and toolbar[2] > toolbar[0]
        assert not meets(legend, toolbar), f"{path} at {width} px: {legend} {toolbar}"
    assert dash_duo.get_logs() == []


# Where a chart's plot begins and where its toolbar ends, in px from the top of the window.
PLOT_TOP_AND_TOOLBAR = """
const gd = document.querySelector('#GRAPH .js-plotly-plot');
const toolbar = gd && gd.querySelector('.modebar');
if (!gd || !gd._fullLayout || !toolbar) return null;
const t = toolbar.getBoundingClientRect();
return [gd.getBoundingClientRect().top + gd._fullLayout._size.t, t.bottom, t.height];
"""


def test_a_phones_fingertip_toolbar_stands_above_the_chart(dash_duo):
    """In a frame a phone's width, plotly's tool buttons are 44 px, a fingertip: the flow's
    first recipient and the timeline's top lane stood under them."""
    dash_duo.start_server(create_app(load_corpus()))
    driver = dash_duo.driver
    for view, graph in (("flow", ids.FLOW), ("timeline", ids.TIMELINE)):
        for width, height in ((400, 300), (600, 400)):
            emulate(driver, width, height)
            driver.get(f"{dash_duo.server_url}/embed/{view}")
            script = PLOT_TOP_AND_TOOLBAR.replace("GRAPH", graph)
            plot_top, toolbar_bottom, toolbar_height = settled(
                driver, lambda d, script=script: d.execute_script(script)
            )
            assert toolbar_height >= 44, "a fingertip's buttons (assets/style.css)"
            assert plot_top >= toolbar_bottom, f"{view} at {width}x{height}"
    assert dash_duo.get_logs() == []


def rows_overlapping(texts: list) -> list[tuple[str, str]]:
    """Pairs of row names one above the other with less than their type's size between
    their middles: their letters would touch (a text's box also holds the room above and
    below its letters, which may meet the next row's without harm)."""
    return [
        (one, other)
        for i, (one, a, size) in enumerate(texts)
        for other, b, other_size in texts[i + 1 :]
        if abs((a[1] + a[3]) / 2 - (b[1] + b[3]) / 2) < max(size, other_size)
        and a[0] < b[2]
        and b[0] < a[2]
    ]


def test_the_kiosks_timeline_rows_and_table_buttons_stand_apart(dash_duo):
    dash_duo.start_server(create_app(load_corpus(), idle_seconds=600))
    driver = dash_duo.driver
    for width, height in ((1920, 1080), (1080, 1920)):
        emulate(driver, width, height)
        driver.get(dash_duo.server_url + "/kiosk")
        rows = settled(
            driver,
            lambda d: text_boxes(d, ids.TIMELINE, ".ytick text"),
            lambda texts: len(texts) >= 8,
        )
        assert rows_overlapping(rows) == [], f"the timeline's rows at {width}x{height}"
        # Each chart's heading and the button that opens its table, in the same corner row.
        crowded = driver.execute_script(
            "return [...document.querySelectorAll('.panel')].filter(p => p.offsetParent)"
            ".map(p => { const h = p.querySelector('h2'), s = p.querySelector("
            "'.chart-table > summary'); if (!h || !s) return null;"
            " const words = document.createRange(); words.selectNodeContents(h);"
            " const a = words.getBoundingClientRect(), b = s.getBoundingClientRect();"
            " return (a.left < b.right && b.left < a.right && a.top < b.bottom && "
            "b.top < a.bottom) ? h.textContent : null; }).filter(x => x)"
        )
        assert crowded == [], f"headings under their table's button at {width}x{height}"


def test_an_embeds_timeline_keeps_its_event_titles_apart(dash_duo):
    """An 800 x 500 embed gives each day about half the width of the page's timeline: its
    event titles take more lanes there, and none runs into another."""
    dash_duo.start_server(create_app(load_corpus()))
    driver = dash_duo.driver
    emulate(driver, 800, 500)
    driver.get(dash_duo.server_url + "/embed/timeline")
    texts = settled(
        driver,
        lambda d: text_boxes(d, ids.TIMELINE),
        lambda found: any("Nanjing falls" in text for text, _, _ in found),
    )
    # Lanes stand half a row apart, closer than a text's box is tall: two titles share a
    # line when their middles are less than half their type's size apart.
    on_one_line = [
        (one, other)
        for i, (one, a, size) in enumerate(texts)
        for other, b, _ in texts[i + 1 :]
        if abs((a[1] + a[3]) / 2 - (b[1] + b[3]) / 2) < size / 2
        and a[0] < b[2] + WORD_GAP_EM * size
        and b[0] < a[2] + WORD_GAP_EM * size
    ]
    assert on_one_line == []

"""What a researcher meets first: records that come into view, names that follow the toggle in
every chart, a timeline that explains itself, and a toolbar that stays on this machine."""

from __future__ import annotations

from selenium.webdriver.common.actions.action_builder import ActionBuilder
from selenium.webdriver.support.ui import WebDriverWait

from dashboard import ids
from dashboard.app import create_app
from dashboard.context import Context
from dashboard.export import export
from dashboard.model import load_corpus
from dashboard.state import ViewState

# Words of plotly's buttons that send a chart to a server on the internet.
CLOUD_WORDS = ("share chart", "cloud", "chart studio", "edit in", "plotly.com")
MODEBAR_TITLES = (
    "return [...document.querySelectorAll('.modebar-btn')]"
    ".map(b => (b.getAttribute('data-title') || '').toLowerCase())"
)


def wait(driver, condition, timeout=15):
    return WebDriverWait(driver, timeout).until(lambda d: condition(d))


def start(duo, query: str = "") -> None:
    duo.start_server(create_app(load_corpus()))
    if query:
        duo.driver.get(duo.server_url + "/" + query)
    for graph in (ids.NETWORK, ids.TIMELINE, ids.FLOW):
        duo.wait_for_element(f"#{graph} .main-svg", timeout=15)


def graph_value(driver, graph: str, expression: str):
    return driver.execute_script(
        f"const gd = document.querySelector('#{graph} .js-plotly-plot'); return {expression};"
    )


def test_no_toolbar_button_sends_a_chart_off_the_machine(dash_duo, tmp_path):
    start(dash_duo)
    titles = dash_duo.driver.execute_script(MODEBAR_TITLES)
    assert len(titles) >= 9  # three charts' toolbars, each with a download button
    assert not [t for t in titles if any(word in t for word in CLOUD_WORDS)], titles
    for graph in (ids.NETWORK, ids.TIMELINE, ids.FLOW):
        assert not graph_value(dash_duo.driver, graph, "gd._context.plotlyServerURL")

    # The standalone HTML export has the same toolbar.
    context = Context.build(load_corpus())
    made = export(context, "timeline", "html", ViewState.default(context.corpus))
    page = tmp_path / made.filename
    page.write_bytes(made.content)
    dash_duo.driver.get(page.as_uri())
    wait(dash_duo.driver, lambda d: d.find_elements("css selector", ".modebar-btn"))
    titles = dash_duo.driver.execute_script(MODEBAR_TITLES)
    assert titles and not [t for t in titles if any(word in t for word in CLOUD_WORDS)], titles


def legend_entries(driver, graph: str) -> list[tuple[str, str]]:
    """Each legend entry's text and the colour its symbol is drawn in (stroke, else fill)."""
    return driver.execute_script(
        f"return [...document.querySelectorAll('#{graph} .legend .traces')].map(e => {{"
        " const p = e.querySelector('.legendpoints path'); const s = p && p.style;"
        " const ink = s && (s.fill && s.fill !== 'none' && s.fill !== 'rgba(0, 0, 0, 0)' ?"
        "   s.fill : s.stroke);"
        " return [e.querySelector('.legendtext').textContent, ink || ''] })"
    )


def test_timeline_legend_says_colour_is_the_side_and_hollow_an_uncertain_date(dash_duo):
    start(dash_duo)
    entries = dict(legend_entries(dash_duo.driver, ids.TIMELINE))
    # Soviet vermilion and CPC blue, as the marks are coloured.
    assert entries.get("Soviet") == "rgb(213, 94, 0)", entries
    assert entries.get("CPC") == "rgb(0, 114, 178)", entries
    dates = {text: ink for text, ink in entries.items() if "date" in text}
    assert any("hollow" in text for text in dates), entries
    side_colours = {"rgb(213, 94, 0)", "rgb(0, 114, 178)", "rgb(0, 158, 115)", "rgb(204, 121, 167)"}
    assert dates and not side_colours & set(dates.values()), "a date's key is in no side's colour"


def text_box(driver, graph: str, words: str) -> list[float] | None:
    """Where a text of the chart is drawn, and the plot area's left and right, in px."""
    return driver.execute_script(
        f"const gd = document.querySelector('#{graph} .js-plotly-plot');"
        "const t = [...gd.querySelectorAll('.textpoint text')]"
        f".find(e => e.textContent === '{words}');"
        "if (!t) return null; const r = t.getBoundingClientRect();"
        "const area = gd.querySelector('.nsewdrag').getBoundingClientRect();"
        "return [r.left, r.right, area.left, area.right];"
    )


def test_a_context_bar_keeps_its_label_when_it_began_before_the_dates_shown(dash_duo):
    start(dash_duo, "?start=1949-02-10&end=1949-03-20")
    dash_duo.wait_for_contains_text(f"#{ids.SUMMARY}", "10 Feb - 20 Mar 1949")
    wait(dash_duo.driver, lambda d: text_box(d, ids.TIMELINE, "Berlin crisis"))
    left, right, area_left, area_right = text_box(dash_duo.driver, ids.TIMELINE, "Berlin crisis")
    assert area_left <= left < right <= area_right


def row_names(driver) -> list[str]:
    return driver.execute_script(
        f"return [...document.querySelectorAll('#{ids.TIMELINE} .ytick text')]"
        ".map(e => e.textContent)"
    )


def test_a_person_filter_leaves_no_empty_row(dash_duo):
    start(dash_duo)
    assert len(row_names(dash_duo.driver)) == 9  # the context lanes and 8 senders
    dash_duo.driver.get(dash_duo.server_url + "/?people=mikoyan")
    dash_duo.wait_for_contains_text(f"#{ids.SUMMARY}", "People: Anastas Mikoyan")
    # Mikoyan wrote to Stalin and Stalin to him: two senders, besides the context lanes.
    wait(dash_duo.driver, lambda d: len(row_names(d)) == 3)
    assert row_names(dash_duo.driver) == ["Context", "Anastas Mikoyan", "Iosif Stalin"]


def test_the_first_tick_of_the_whole_period_names_the_year(dash_duo):
    start(dash_duo)
    ticks = dash_duo.driver.execute_script(
        f"return [...document.querySelectorAll('#{ids.TIMELINE} .xtick text')]"
        ".map(e => e.textContent)"
    )
    assert "1949" in ticks[0] and "Jan" in ticks[0], ticks
    assert not any("1949" in tick for tick in ticks[1:]), "the year once, not on every tick"


def test_codenames_reach_every_chart_and_caption(dash_duo):
    start(dash_duo, "?names=codename")
    dash_duo.wait_for_contains_text(f"#{ids.NETWORK}", "Filippov")
    driver = dash_duo.driver
    flow_labels = graph_value(driver, ids.FLOW, "gd.data[0].node.label")
    assert "Filippov" in flow_labels and "Iosif Stalin" not in flow_labels
    for graph in (ids.NETWORK, ids.TIMELINE, ids.FLOW):
        drawn = driver.find_element("id", graph).text
        assert "Iosif Stalin" not in drawn and "Anastas Mikoyan" not in drawn, graph
    for text in (ids.NETWORK_TEXT, ids.TIMELINE_TEXT, ids.FLOW_TEXT):
        words = driver.find_element("id", text).get_attribute("textContent")
        assert "Iosif Stalin" not in words and "Anastas Mikoyan" not in words, text


def test_a_record_opened_from_a_timeline_mark_comes_into_view_with_focus(dash_duo):
    start(dash_duo)
    driver = dash_duo.driver
    # The mark of a message in the middle of the period, scrolled to the middle of the window.
    graph = dash_duo.find_element(f"#{ids.TIMELINE}")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", graph)
    x, y, message = driver.execute_script(
        f"const gd = document.querySelector('#{ids.TIMELINE} .js-plotly-plot');"
        "const l = gd._fullLayout, box = gd.getBoundingClientRect();"
        "const t = gd.data.find(t => t.customdata && t.customdata.length"
        " && t.customdata[0][0] === 'message' && t.marker.symbol === 'circle');"
        "const i = t.customdata.findIndex(c => c[1] === 'm15');"
        "return [box.left + l._size.l + l.xaxis.d2p(t.x[i]),"
        " box.top + l._size.t + l.yaxis.d2p(t.y[i]), t.customdata[i][1]];"
    )
    actions = ActionBuilder(driver)
    actions.pointer_action.move_to_location(round(x), round(y)).click()
    actions.perform()
    dash_duo.wait_for_contains_text(f"#{ids.DETAILS}", "Archival reference", timeout=10)
    assert f"message={message}" in driver.current_url
    # Its source is cited in words, with the passage: no file name, no bare id.
    details = dash_duo.find_element(f"#{ids.DETAILS}").text
    assert "Muhsin Yorulmaz (trans. from Turkish)" in details and "footnote 17" in details
    assert ".txt" not in details and "yorulmaz-1949-telegrams" not in details

    def in_view(d) -> bool:
        top, height = d.execute_script(
            f"const r = document.querySelector('#{ids.DETAILS} .record').getBoundingClientRect();"
            "return [r.top, innerHeight]"
        )
        return 0 <= top < height

    wait(driver, in_view, timeout=5)
    focused = driver.execute_script(
        f"return !!document.activeElement.closest('#{ids.DETAILS}')"
        " || document.activeElement.id === '" + ids.DETAILS + "'"
    )
    assert focused, "focus moves to the record"
    # The chosen mark is ringed on the timeline.
    ring = graph_value(
        driver, ids.TIMELINE, "gd.data.filter(t => t.name === 'record open').map(t => t.x.length)"
    )
    assert ring == [1]

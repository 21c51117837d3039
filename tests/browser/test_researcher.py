"""What a researcher meets first: records that come into view, names that follow the toggle in
every chart, a timeline that explains itself, and a toolbar that stays on this machine."""

from __future__ import annotations

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

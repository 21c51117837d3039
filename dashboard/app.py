"""The Dash app: the page's layout and two thin callbacks (URL -> state -> views)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from dash import ALL, Dash, Input, Output, ctx, dcc, html, no_update

from dashboard import guard, ids, routes
from dashboard.bundled import bundled_folder
from dashboard.citation import CHART_TITLES
from dashboard.context import COMPACT_BELOW_PX, NARROW_BELOW_PX, Context
from dashboard.figures import OFFLINE_CONFIG
from dashboard.model import Corpus
from dashboard.report import ImportReport
from dashboard.state import ViewState
from dashboard.views import describe, details, exhibit, filters, report_page, share
from dashboard.views.filters import NAMES_CODENAME, NAMES_REAL
from dashboard.views.interactions import AUTOMATIC_INPUTS, next_state
from dashboard.views.pages import page_for
from dashboard.views.report_page import REPORT_PATH

ASSETS = bundled_folder("assets")
TITLE = "Dispatches"
# The width class of the frame the charts stand in, as the browser reports it.
FRAME_NARROW = "narrow"
FRAME_COMPACT = "compact"
GRAPH_CONFIG = {
    **OFFLINE_CONFIG,
    "responsive": True,
    "scrollZoom": False,
    "modeBarButtonsToRemove": [
        "lasso2d",
        "select2d",
        "autoScale2d",
        "toggleSpikelines",
        *OFFLINE_CONFIG["modeBarButtonsToRemove"],
    ],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}
# The page shell: in English for screen readers, and Dash's scripts outside any <footer>,
# so that the page has one contentinfo landmark, ours.
INDEX_STRING = """<!DOCTYPE html>
<html lang="en">
    <head>
        {%metas%}
        <title>{%title%}</title>
        {%favicon%}
        {%css%}
    </head>
    <body>
        {%app_entry%}
        {%config%}
        {%scripts%}
        {%renderer%}
    </body>
</html>"""


def chart_panel(
    view_id: str, heading: str, blurb: str, class_name: str, height_px: int, shown: bool = True
) -> html.Section:
    """A chart with its heading, blurb and text alternative; `shown` False for a chart the
    corpus has no data for (kept in the page, hidden, so that callbacks need no special case)."""
    return html.Section(
        hidden=not shown,
        className=f"panel {class_name}",
        **{"aria-labelledby": f"{view_id}-heading"},
        children=[
            html.H2(heading, id=f"{view_id}-heading"),
            html.P(blurb, className="blurb"),
            dcc.Graph(
                id=view_id,
                config=GRAPH_CONFIG,
                className="chart",
                style={"height": f"{height_px}px"},
            ),
            html.Div(id=describe.TEXT_IDS[view_id], className="chart-text"),
        ],
    )


def build_layout(
    context: Context,
    idle_seconds: float = exhibit.DEFAULT_IDLE_SECONDS,
    report: ImportReport | None = None,
) -> html.Div:
    corpus = context.corpus
    return html.Div(
        id=ids.ROOT,
        className="app",
        children=[
            dcc.Location(id=ids.URL, refresh=False),
            # Whether the charts stand in a narrow frame: set in the browser, read by render.
            dcc.Store(id=ids.NARROW, data=False),
            html.A("Skip to the charts", href="#charts", className="skip-link"),
            html.Header(
                className="masthead",
                children=[
                    html.H1(TITLE),
                    html.P(tagline(corpus), className="tagline"),
                    *report_link(report),
                ],
            ),
            html.Div(id=ids.WARNINGS, role="alert", className="warnings"),
            filters.layout(corpus),
            share.layout(),
            *exhibit.layout(corpus, idle_seconds),
            html.Main(
                id="charts",
                className="charts",
                children=[
                    exhibit.story_panel(corpus),
                    chart_panel(
                        ids.NETWORK,
                        CHART_TITLES["network"],
                        "Line width counts messages; dashed lines are relayed. "
                        "Choose a person to see only their messages.",
                        "panel-network",
                        620,
                    ),
                    details.layout(),
                    chart_panel(
                        ids.TIMELINE,
                        CHART_TITLES["timeline"],
                        "One mark per message in its sender's row; hollow marks have uncertain "
                        "dates, and the lanes on top are context. Choose any mark to read its "
                        "record; drag across the chart or the strip below it to pick dates.",
                        "panel-timeline",
                        460,
                    ),
                    chart_panel(
                        ids.FLOW,
                        CHART_TITLES["flow"],
                        "Distribution copies of each decoded telegram, from sender to "
                        "message to the Soviet leaders who received them. Choose a leader to "
                        "read the telegrams they were sent.",
                        "panel-flow",
                        380,
                        shown=corpus.has_copies,
                    ),
                ],
            ),
            html.Footer(className="footer", children=[html.P(footer_text(corpus))]),
        ],
    )


def tagline(corpus: Corpus) -> str:
    """What the page shows: the corpus's own title and the span of its dates."""
    first, last = (day.date() for day in corpus.period)
    start = f"{first.day} {first:%B}" if first.year == last.year else f"{first.day} {first:%B %Y}"
    title = corpus.meta.title or "Letters"
    return f"{title}, {start} to {last.day} {last:%B %Y}"


def footer_text(corpus: Corpus) -> str:
    """Where the letters come from and under which terms, in the edition's own words where
    it has them (the bundled corpus's corpus.json, a CMIF header)."""
    meta = corpus.meta
    if meta.description:
        return meta.description
    parts = []
    editions = [text for _kind, text in meta.editions.values() if text]
    if editions:
        parts.append("Letters as listed in " + "; ".join(editions[:3]))
    if meta.publisher:
        parts.append(f"published by {meta.publisher}")
    if meta.licence:
        parts.append(f"licence: {meta.licence}")
    parts.append("every record names where it stands in the source file")
    text = ", ".join(parts)
    return text[0].upper() + text[1:] + "."


def report_link(report: ImportReport | None) -> list:
    """A link to the import report when reading the corpus met problems."""
    if report is None or not report.problems:
        return []
    count = len(report.problems)
    return [
        html.P(
            html.A(
                f"Import report: {count} problem{'s' if count != 1 else ''} in the file",
                href=REPORT_PATH,
            ),
            className="import-report-link",
        )
    ]


def create_app(
    corpus: Corpus,
    frame_ancestors: str | Iterable[str] | None = None,
    idle_seconds: float = exhibit.DEFAULT_IDLE_SECONDS,
    report: ImportReport | None = None,
) -> Dash:
    """A Dash app over `corpus`; positions and indexes are computed here, once.

    `idle_seconds` is how long the kiosk waits untouched before it resets and plays its loop.

    `frame_ancestors` lists the origins whose pages may frame /embed/<view> (default: any);
    no other page may be framed.
    """
    context = Context.build(corpus)
    app = Dash(
        __name__,
        title=TITLE,
        assets_folder=str(ASSETS),
        serve_locally=True,
        update_title=None,
    )
    app.index_string = INDEX_STRING
    app.layout = build_layout(context, idle_seconds, report)
    register_callbacks(app, context)
    share.register_callbacks(app, context)
    routes.register(app, context, frame_ancestors)
    report_page.register(app.server, report)
    guard.register(app)
    return app


def register_callbacks(app: Dash, context: Context) -> None:
    corpus = context.corpus

    @app.callback(
        Output(ids.URL, "search"),
        Output(ids.DATES, "start_date"),
        Output(ids.DATES, "end_date"),
        Output(ids.PEOPLE, "value"),
        Output(ids.KINDS, "value"),
        Output(ids.NAMES, "value"),
        Output(ids.SPEED, "value"),
        Output(ids.DAY, "value"),
        Input(ids.URL, "search"),
        Input(ids.DATES, "start_date"),
        Input(ids.DATES, "end_date"),
        Input(ids.PEOPLE, "value"),
        Input(ids.KINDS, "value"),
        Input(ids.NAMES, "value"),
        Input(ids.RESET, "n_clicks"),
        Input(ids.NETWORK, "clickData"),
        Input(ids.TIMELINE, "clickData"),
        Input(ids.TIMELINE, "relayoutData"),
        Input(ids.FLOW, "clickData"),
        Input(ids.DETAILS_CLOSE, "n_clicks"),
        Input({"type": ids.RECORD_LINK, "message": ALL}, "n_clicks"),
        # The exhibit: playback, its clock and speed, the day slider, the story, the kiosk.
        Input(ids.PLAY, "n_clicks"),
        Input(ids.CLOCK, "n_intervals"),
        Input(ids.SPEED, "value"),
        Input(ids.DAY, "value"),
        Input(ids.STORY_NEXT, "n_clicks"),
        Input(ids.STORY_BACK, "n_clicks"),
        Input(ids.STORY_EXIT, "n_clicks"),
        Input(ids.IDLE, "data"),
        Input(ids.WAKE, "n_clicks"),
    )
    def sync_url(search, start, end, people, kinds, names, *_clicks):
        """The one owner of the URL: every control and click becomes a new query string."""
        trigger, value = _trigger()
        value = (start, end) if trigger == ids.DATES else value
        return sync_outputs(corpus, search, trigger, value)

    @app.callback(
        Output(ids.NETWORK, "figure"),
        Output(ids.TIMELINE, "figure"),
        Output(ids.FLOW, "figure"),
        Output(ids.SUMMARY, "children"),
        Output(ids.DETAILS, "children"),
        Output(ids.DETAILS_CLOSE, "hidden"),
        Output(ids.WARNINGS, "children"),
        Output(ids.ROOT, "className"),
        # Each chart's text alternative, then the exhibit (in the order exhibit.render gives).
        Output(ids.NETWORK_TEXT, "children"),
        Output(ids.TIMELINE_TEXT, "children"),
        Output(ids.FLOW_TEXT, "children"),
        Output(ids.PLAY, "children"),
        Output(ids.CLOCK, "disabled"),
        Output(ids.CLOCK, "interval"),
        Output(ids.DAY, "min"),
        Output(ids.DAY, "max"),
        Output(ids.DAY, "marks"),
        Output(ids.DAY_LABEL, "children"),
        Output(ids.STORY, "children"),
        Output(ids.STORY_NEXT, "children"),
        Output(ids.STORY_BACK, "disabled"),
        Output(ids.STORY_EXIT, "hidden"),
        Output(ids.WAKE, "hidden"),
        Input(ids.URL, "search"),
        Input(ids.URL, "pathname"),
        Input(ids.NARROW, "data"),
    )
    def render(search, pathname, frame):
        """Everything the user sees, from the URL (and the width of the frame it is seen in)."""
        return render_page(context, search, pathname, frame in (True, FRAME_NARROW), frame)

    # The frame's width is the browser's to know: measured at load and again after a resize
    # (a presenter's iframe, a phone turned sideways), told to the app only when it crosses.
    app.clientside_callback(
        NARROW_WATCH.replace("THRESHOLD", str(NARROW_BELOW_PX)).replace(
            "COMPACT", str(COMPACT_BELOW_PX)
        ),
        Output(ids.NARROW, "data"),
        Input(ids.URL, "pathname"),
    )


# How wide the frame is: "narrow" under THRESHOLD px, "compact" under COMPACT, else "". The
# page is watched, not the window
# or the charts: the charts may not be drawn yet at the first measure, and the page changes
# width with no resize of the window when it dresses itself as an embed after its first answer.
NARROW_WATCH = f"""function (pathname) {{
    var page = document.getElementById("{ids.ROOT}");
    function narrow() {{
        var width = page ? page.clientWidth : window.innerWidth;
        return width < THRESHOLD ? "{FRAME_NARROW}" : width < COMPACT ? "{FRAME_COMPACT}" : "";
    }}
    if (page && !window.dispatchesWatchesWidth && window.ResizeObserver) {{
        window.dispatchesWatchesWidth = true;
        var settle = null;
        new ResizeObserver(function () {{
            window.clearTimeout(settle);
            settle = window.setTimeout(function () {{
                var now = narrow();
                if (now !== window.dispatchesNarrow) {{
                    window.dispatchesNarrow = now;
                    window.dash_clientside.set_props("{ids.NARROW}", {{data: now}});
                }}
            }}, 150);
        }}).observe(page);
    }}
    window.dispatchesNarrow = narrow();
    return window.dispatchesNarrow;
}}"""


def sync_outputs(
    corpus: Corpus, search: str | None, trigger: str | dict | None, value: object
) -> tuple:
    """Every output of the URL-owning callback: the URL and filter controls, then the exhibit's."""
    state, new_search = next_view(corpus, search, trigger, value)
    return (*_sync_values(state, new_search), *exhibit.controls(corpus, state))


def sync(corpus: Corpus, search: str | None, trigger: str | dict | None, value: object) -> tuple:
    """The new query string (or no_update) and the controls' values, after one input fired."""
    return _sync_values(*next_view(corpus, search, trigger, value))


def next_view(
    corpus: Corpus, search: str | None, trigger: str | dict | None, value: object
) -> tuple[ViewState, str | object]:
    """The state after one input fired, and its query string (no_update if nothing changed)."""
    current = ViewState.from_query(search, corpus)
    if trigger in (None, ids.URL):
        return current, no_update
    state = next_state(current, trigger, value, corpus)
    # Controls echo the values the URL gave them; only a real change makes a new URL,
    # so a link with a bad value keeps it (and its warning) until the user acts.
    return state, (state.to_query(corpus) if state != current else no_update)


def _sync_values(state: ViewState, new_search: str | object) -> tuple:
    return (
        new_search,
        state.start.isoformat(),
        state.end.isoformat(),
        list(state.people),
        list(state.kinds),
        NAMES_CODENAME if state.codenames else NAMES_REAL,
    )


def render_page(
    context: Context,
    search: str | None,
    pathname: str | None,
    narrow: bool = False,
    frame: object = None,
) -> tuple:
    """Every output of the render callback for a URL, in its order: the figures, summary,
    records, warnings and page class, then the charts' text alternatives, then the exhibit.
    `narrow` when the charts stand in a frame narrower than NARROW_BELOW_PX (not the kiosk's);
    a `frame` of FRAME_COMPACT, narrower than COMPACT_BELOW_PX, gives the presentation look's
    large type short labels, so that they fit."""
    state = ViewState.from_query(search, context.corpus)
    page, page_warnings = page_for(pathname)
    shown = context.shown(state)
    # What playback has drawn by its day: two charts and their text alternatives share it.
    playback = shown.played(state.day)
    if page.kind == "kiosk":
        spec = partial(exhibit.kiosk_spec, context, shown=shown, playback=playback)
    else:
        short = narrow or (frame == FRAME_COMPACT and state.look == "presentation")
        spec = partial(context.spec, shown=shown, narrow=narrow, short=short, playback=playback)
    return (
        spec("network", state),
        spec("timeline", state),
        spec("flow", state),
        filters.summary(shown, state, context.corpus.has_copies),
        details.render(context.corpus, shown, state),
        not (state.message or state.event),
        [html.P(text) for text in (*page_warnings, *state.warnings)],
        page.class_for(state.look),
        *describe.render(context.corpus, shown, state, playback),
        *exhibit.render(context.corpus, shown, state),
    )


def _trigger() -> tuple[str | dict | None, object]:
    """Which input fired (the timeline zoom as `.relayoutData`), and its value.

    The browser sends inputs that fire close together as one request, and a tap that travels
    with a clock tick must not be lost to it. Of several in one request: a person's input that
    carries a value, then the clock or the idle store, then the rest (such as the records'
    buttons, which report themselves with no clicks when a render rebuilds them); in the
    request's order within each.
    """
    values = {fired["prop_id"]: fired["value"] for fired in ctx.triggered}
    fired = list(ctx.triggered_prop_ids.items())
    if not fired:
        return ids.URL, None

    def rank(item: tuple[str, object]) -> int:
        prop_id, component = item
        if component in AUTOMATIC_INPUTS:
            return 1
        return 0 if values.get(prop_id) is not None else 2

    prop_id, component = min(fired, key=rank)  # the first of the best rank
    value = values.get(prop_id)
    if prop_id.endswith(".relayoutData"):
        return f"{ids.TIMELINE}.relayoutData", value
    return (dict(component) if isinstance(component, dict) else component), value

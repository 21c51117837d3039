"""The Dash app: the page's layout and two thin callbacks (URL -> state -> views)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import replace
from functools import partial

import numpy as np
import plotly.io
from dash import ALL, Dash, Input, Output, Patch, State, ctx, dcc, html, no_update

from dashboard import guard, ids, routes
from dashboard.bundled import bundled_folder
from dashboard.citation import chart_title
from dashboard.context import COMPACT_BELOW_PX, NARROW_BELOW_PX, VIEWS, Context
from dashboard.figures import MOST_MARKS, OFFLINE_CONFIG
from dashboard.model import DATE, Corpus
from dashboard.report import ImportReport
from dashboard.state import DEFAULT_SPEED, ViewState
from dashboard.views import describe, details, exhibit, filters, report_page, share
from dashboard.views.filters import NAMES_CODENAME, NAMES_REAL
from dashboard.views.interactions import AUTOMATIC_INPUTS, next_state
from dashboard.views.pages import Page, page_for
from dashboard.views.report_page import REPORT_PATH

ASSETS = bundled_folder("assets")
TITLE = "Dispatches"
RENDERED = "rendered"
# Figures the render callback keeps, as it sent them, to send the next one as a difference.
FIGURES_KEPT = 12
# The exhibit's outputs, in the order of exhibit.render: the positions of the day slider's
# min, max and marks among them.
EXHIBIT_OUTPUTS = 12
SLIDER_RANGE = range(3, 6)
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
            # What the browser was last sent (query, path and frame): the render callback
            # sends only what differs from it. A copy of what the page holds, never state.
            dcc.Store(id=RENDERED, data=None),
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
            filters.fold_control(),
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
                        chart_title("network", corpus),
                        "Line width counts messages; dashed lines are relayed. "
                        "Choose a person to see only their messages.",
                        "panel-network",
                        620,
                    ),
                    details.layout(),
                    chart_panel(
                        ids.TIMELINE,
                        chart_title("timeline", corpus),
                        timeline_blurb(corpus),
                        "panel-timeline",
                        460,
                    ),
                    chart_panel(
                        ids.FLOW,
                        chart_title("flow", corpus),
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


def timeline_blurb(corpus: Corpus) -> str:
    """How to read the timeline: one mark a letter, or, for a corpus too large for that,
    squares that count letters whenever more are in view than can be marked one by one."""
    if corpus.messages[DATE].notna().sum() <= MOST_MARKS:
        return (
            "One mark per message in its sender's row; hollow marks have uncertain "
            "dates, and the lanes on top are context. Choose any mark to read its "
            "record; drag across the chart or the strip below it to pick dates."
        )
    return (
        "One mark per letter in its sender's row while few are in view; when many are, "
        "squares count them per day, week, month or year (larger and darker: more), for the "
        "busiest writers and a row of all others. Choose a square to narrow the dates; drag "
        "across the chart or the strip below it to pick dates."
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
    editions = [text.rstrip(". ") for _kind, text in meta.editions.values() if text]
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
        # gzip or brotli for every answer the browser accepts it for: plotly.js, the
        # layout and a large corpus's figures shrink to a fifth on the way to a visitor.
        compress=True,
    )
    app.index_string = INDEX_STRING
    app.layout = build_layout(context, idle_seconds, report)
    register_callbacks(app, context)
    share.register_callbacks(app, context)
    routes.register(app, context, frame_ancestors)
    report_page.register(app.server, report)
    guard.register(app)
    # The view every visitor opens first, the whole corpus, is drawn once here: its edges,
    # busiest pairs and bins stay with the corpus, and no visitor waits for them.
    render_page(context, "", "/")
    return app


def register_callbacks(app: Dash, context: Context) -> None:
    corpus = context.corpus
    sent = SentFigures()

    @app.callback(
        Output(ids.URL, "search"),
        Output(ids.DATES, "start_date"),
        Output(ids.DATES, "end_date"),
        Output(ids.PEOPLE, "value"),
        Output(ids.KINDS, "value"),
        Output(ids.NAMES, "value"),
        Output(ids.LABELS, "value"),
        Output(ids.SPEED, "value"),
        Output(ids.DAY, "value"),
        Input(ids.URL, "search"),
        Input(ids.DATES, "start_date"),
        Input(ids.DATES, "end_date"),
        Input(ids.PEOPLE, "value"),
        Input(ids.KINDS, "value"),
        Input(ids.NAMES, "value"),
        Input(ids.LABELS, "value"),
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
        Output(RENDERED, "data"),
        Input(ids.URL, "search"),
        Input(ids.URL, "pathname"),
        Input(ids.NARROW, "data"),
        State(RENDERED, "data"),
    )
    def render(search, pathname, frame, rendered):
        """What the user sees, from the URL (and the width of the frame it is seen in): only
        what differs from what the page was last sent."""
        narrow = frame in (True, FRAME_NARROW)
        return render_update(context, search, pathname, narrow, frame, rendered, sent)

    # Opening and closing the folded filters (on a phone) happens in the browser alone: no
    # request, and nothing in the URL, which holds what is chosen, not how the page is laid out.
    app.clientside_callback(
        """function (_clicks, expanded) { return expanded === "true" ? "false" : "true"; }""",
        Output(ids.FILTERS_FOLD, "aria-expanded"),
        Input(ids.FILTERS_FOLD, "n_clicks"),
        State(ids.FILTERS_FOLD, "aria-expanded"),
        prevent_initial_call=True,
    )

    if filters.has_more_people(corpus):
        # A large corpus's menu lists its busiest people; the rest are found as one types.
        # The menu is no view state: it never reaches the URL.
        @app.callback(
            Output(ids.PEOPLE, "options"),
            Input(ids.PEOPLE, "search_value"),
            Input(ids.PEOPLE, "value"),
            prevent_initial_call=True,
        )
        def find_people(search, chosen):
            return filters.matching_people(corpus, search, chosen)

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
    if _filtered(state) != _filtered(current):
        # Another filter lists other records: page 3 of the old list means nothing in it.
        state = replace(state, page=1)
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
        state.labels,
    )


def render_page(
    context: Context,
    search: str | None,
    pathname: str | None,
    narrow: bool = False,
    frame: object = None,
) -> tuple:
    """Every output of the render callback for a URL opened afresh, in its order: the figures,
    summary, records, warnings and page class, then the charts' text alternatives, then the
    exhibit. `narrow` when the charts stand in a frame narrower than NARROW_BELOW_PX (not the
    kiosk's); a `frame` of FRAME_COMPACT, narrower than COMPACT_BELOW_PX, gives the
    presentation look's large type short labels, so that they fit. An embed builds its own
    chart only: the rest, hidden, is no_update."""
    return render_update(context, search, pathname, narrow, frame)[:-1]


class SentFigures:
    """The figures last sent, by what they were drawn from: the next render sends a Patch of
    what differs. Each worker keeps its own; a figure it does not hold goes out whole."""

    def __init__(self, size: int = FIGURES_KEPT) -> None:
        self.size = size
        self.figures: OrderedDict[tuple, dict] = OrderedDict()

    def get(self, key: tuple) -> dict | None:
        figure = self.figures.get(key)
        if figure is not None:
            self.figures.move_to_end(key)
        return figure

    def keep(self, key: tuple, figure: dict) -> None:
        self.figures[key] = figure
        self.figures.move_to_end(key)
        while len(self.figures) > self.size:
            self.figures.popitem(last=False)


def _filtered(state: ViewState) -> tuple:
    """What chooses the letters in view."""
    return state.start, state.end, state.people, state.kinds


def _drawn(state: ViewState) -> ViewState:
    """The state with what no chart draws set aside: the playback clock and speed, the page
    of records, the open event, the story step, the attract loop and the URL's warnings."""
    return replace(
        state,
        playing=False,
        speed=DEFAULT_SPEED,
        page=1,
        event=None,
        step=None,
        attract=False,
        warnings=(),
    )


def _described(state: ViewState) -> tuple:
    return (*_filtered(state), state.codenames, state.day)


def _exhibited(state: ViewState) -> tuple:
    return (*_filtered(state), state.day, state.playing, state.speed, state.step, state.attract)


def _recorded(state: ViewState) -> tuple:
    return (*_filtered(state), state.codenames, state.message, state.event, state.page)


def render_update(
    context: Context,
    search: str | None,
    pathname: str | None,
    narrow: bool = False,
    frame: object = None,
    rendered: object = None,
    sent: SentFigures | None = None,
) -> tuple:
    """The render callback's outputs (render_page's, then what was rendered), sending only
    what differs from `rendered`, the query, path and frame the page was last sent: no_update
    for what is the same, a Patch for a figure `sent` holds as it was sent."""
    corpus = context.corpus
    # Only the width classes mean anything: a request may carry any JSON here.
    frame = frame if frame in (True, FRAME_NARROW, FRAME_COMPACT) else ""
    state = ViewState.from_query(search, corpus)
    page, page_warnings = page_for(pathname)
    before = None
    if (
        isinstance(rendered, dict)
        and rendered.get("path") == pathname
        and rendered.get("frame") == frame
    ):
        before = ViewState.from_query(rendered.get("search"), corpus)
    main = page.kind != "embed"
    shown = context.shown(state)
    # What playback has drawn by its day: two charts and their text alternatives share it.
    playback = state.played(shown)
    figures = _figures(context, state, before, page, narrow, frame, shown, playback, sent)
    # An embed shows a record over its chart once one is open, and never the list.
    opened = state.message or state.event
    if (not main and not opened) or (before is not None and _recorded(before) == _recorded(state)):
        records = (no_update, not opened)
    else:
        records = (details.render(corpus, shown, state, pathname or "/"), not opened)
    if before is not None and _described(before) == _described(state):
        texts = (no_update,) * len(VIEWS)
    else:
        # An embed keeps its own chart's text alternative, out of sight, for screen readers.
        built = describe.render(corpus, shown, state, playback, VIEWS if main else (page.view,))
        texts = tuple(no_update if text is None else text for text in built)
    summary = (
        no_update
        if before is not None and _described(before)[:-1] == _described(state)[:-1]
        else filters.summary(shown, state, corpus.has_copies)
    )
    if before is not None and _exhibited(before) == _exhibited(state):
        exhibit_now: tuple = (no_update,) * EXHIBIT_OUTPUTS
    else:
        exhibit_now = exhibit.render(corpus, shown, state)
        if before is not None and (before.start, before.end) == (state.start, state.end):
            # The slider's range and marks follow the dates shown alone: a tick keeps them.
            exhibit_now = tuple(
                no_update if position in SLIDER_RANGE else output
                for position, output in enumerate(exhibit_now)
            )
    return (
        *figures,
        summary,
        *records,
        [html.P(text) for text in (*page_warnings, *state.warnings)],
        page.class_for(state.look),
        *texts,
        *exhibit_now,
        {"search": search, "path": pathname, "frame": frame},
    )


def _figures(
    context: Context,
    state: ViewState,
    before: ViewState | None,
    page: Page,
    narrow: bool,
    frame: object,
    shown: Corpus,
    playback: tuple,
    sent: SentFigures | None,
) -> list:
    """Each chart's figure: no_update when nothing it draws changed (or, in an embed, for the
    charts it leaves out), a Patch of the difference from the figure sent before when this
    worker holds it, else the whole figure."""
    if page.kind == "kiosk":
        spec: Callable = partial(exhibit.kiosk_spec, context, shown=shown, playback=playback)
    else:
        short = narrow or (frame == FRAME_COMPACT and state.look == "presentation")
        spec = partial(
            context.spec,
            shown=shown,
            narrow=narrow,
            short=short,
            playback=playback,
            compact=frame == FRAME_COMPACT,
        )
    out = []
    for view in VIEWS:
        if page.kind == "embed" and view != page.view:
            out.append(no_update)
            continue
        if before is not None and _drawn(before) == _drawn(state):
            out.append(no_update)
            continue
        if sent is None:
            out.append(spec(view, state))
            continue
        drawn = (page.kind, view, narrow, frame, _drawn(state))
        # A view this worker drew lately (another visitor's, or this page's before a step
        # back) is not drawn again.
        figure = sent.get(drawn) or spec(view, state)
        old = sent.get((*drawn[:-1], _drawn(before))) if before is not None else None
        sent.keep(drawn, figure)
        out.append(figure if old is None else figure_patch(old, figure))
    return out


def figure_patch(old: dict, new: dict) -> Patch | dict:
    """The changes that turn `old` into `new` as a Patch (or `new` whole, when that is no
    bigger): what a browser holding `old` needs to draw `new`."""
    patch = Patch()
    _diff(old, new, patch)
    operations = patch._operations
    if not operations:
        return no_update
    if any(
        op["operation"] == "Assign" and op["location"] in ([], ["data"], ["layout"])
        for op in operations
    ):
        return new
    return patch


def _diff(old: object, new: object, patch: Patch) -> None:
    """Record in `patch` (standing at `old`) the assignments and deletions that make it `new`."""
    if isinstance(old, dict) and isinstance(new, dict):
        for key, value in new.items():
            if key not in old:
                patch[key] = value
            elif not _same(old[key], value):
                if _nested(old[key], value):
                    _diff(old[key], value, patch[key])
                else:
                    patch[key] = value
        for key in old.keys() - new.keys():
            del patch[key]
    elif isinstance(old, list) and isinstance(new, list):
        for position, (was, now) in enumerate(zip(old, new, strict=False)):
            if not _same(was, now):
                if _nested(was, now):
                    _diff(was, now, patch[position])
                else:
                    patch[position] = now
        # Playback adds lines as the days go: new traces at the end, or old ones let go.
        if len(new) > len(old):
            patch.extend(new[len(old) :])
        for position in reversed(range(len(new), len(old))):
            del patch[position]


def _nested(old: object, new: object) -> bool:
    """Whether a changed value is worth a difference of its own: two dicts, or two lists of
    dicts (traces, shapes); a list of numbers goes whole."""
    if isinstance(old, dict) and isinstance(new, dict):
        return True
    return (
        isinstance(old, list)
        and isinstance(new, list)
        and bool(old)
        and bool(new)
        and all(isinstance(item, dict) for item in (old[0], new[0]))
    )


def _same(old: object, new: object) -> bool:
    if type(old) is not type(new):
        return False
    if isinstance(old, np.ndarray):
        return old.shape == new.shape and bool(np.array_equal(old, new))
    try:
        return bool(old == new)
    except ValueError:  # containers of arrays
        return _json(old) == _json(new)


def _json(value: object) -> str:
    return plotly.io.json.to_json_plotly(value)


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

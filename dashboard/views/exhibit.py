"""The exhibit: playback step by step, the guided story, and the kiosk's attract loop."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd
from dash import dcc, html

from dashboard import ids
from dashboard.context import Context
from dashboard.figures import (
    MUTED,
    SIDE_KEY_GROUP,
    faded_flow_spec,
    playback_step,
    playback_unit,
    without_title,
)
from dashboard.model import (
    ARCHIVE_REFS,
    COPIES,
    DATE,
    MESSAGE_ID,
    SOURCE,
    TEXT,
    TITLE,
    Corpus,
    split_list,
)
from dashboard.state import DEFAULT_LOOK, DEFAULT_SPEED, SPEEDS, ViewState, describe_span
from dashboard.views.interactions import day_offset

# Milliseconds a day stays on screen at each speed.
SPEED_MS = {"slow": 1500, DEFAULT_SPEED: 700, "fast": 300}
SPEED_LABELS = {"slow": "Slow", DEFAULT_SPEED: "Normal", "fast": "Fast"}
DEFAULT_IDLE_SECONDS = 90.0
# The idle script reads its settings from this element's data attributes.
KIOSK_CONFIG = "kiosk-config"
# The browser function, in window.dccFunctions, that turns the slider's number into a day.
DAY_TOOLTIP = "dispatchesDay"
# The day slider's marks are chosen to fit its narrowest common frame: the kiosk at 1920 px
# gives it 760 px and prints its marks in 20 px type (about 12 px a character); the page's is
# wider (1100 px) and smaller (12.8 px).
SLIDER_WIDTH_PX = 760
MARK_CHAR_PX = 12.0
MARK_GAP_PX = 16
MOST_SLIDER_MARKS = 12
# Spans up to this many days are marked at their two ends only.
SHORT_SLIDER_DAYS = 45
STEP_WORDS = {"day": "day by day", "week": "week by week", "month": "month by month"}
PLAY_ICON, PAUSE_ICON = "▶", "❚❚"


def layout(corpus: Corpus, idle_seconds: float = DEFAULT_IDLE_SECONDS) -> list:
    """The playback bar, the attract cover and the idle timer's wiring."""
    first, last = (day.date() for day in corpus.period)
    playback = html.Section(
        className="exhibit playback",
        **{"aria-label": "Playback"},
        children=[
            html.Button(
                _play_label(playing=False),
                id=ids.PLAY,
                className="button play-button",
                n_clicks=0,
                type="button",
            ),
            html.P(id=ids.DAY_LABEL, className="play-date"),
            html.Div(
                className="play-slider",
                # assets/a11y.js names the slider's thumb and says its value as a date.
                **{
                    "data-slider-label": f"{ids.DAY}-label",
                    "data-first-day": first.isoformat(),
                },
                children=[
                    html.Span("Day", id=f"{ids.DAY}-label", className="visually-hidden"),
                    dcc.Slider(
                        id=ids.DAY,
                        min=0,
                        max=day_offset(last, corpus),
                        step=1,
                        value=0,
                        marks=slider_marks(first, last, corpus),
                        updatemode="mouseup",
                        allow_direct_input=False,
                        included=True,
                        # While a finger drags the thumb, the day it stands on shows above it
                        # (assets/kiosk.js); the charts follow when it lets go.
                        tooltip={"placement": "top", "transform": DAY_TOOLTIP},
                    ),
                ],
            ),
            html.Fieldset(
                className="play-speed",
                children=[
                    html.Legend("Speed", className="filter-label"),
                    dcc.RadioItems(
                        id=ids.SPEED,
                        options=[{"label": SPEED_LABELS[s], "value": s} for s in SPEEDS],
                        value=DEFAULT_SPEED,
                        inline=True,
                    ),
                ],
            ),
            dcc.Interval(id=ids.CLOCK, interval=SPEED_MS[DEFAULT_SPEED], disabled=True),
        ],
    )
    cover = html.Button(
        id=ids.WAKE,
        className="attract-cover",
        hidden=True,
        n_clicks=0,
        children=[
            html.Span("Dispatches", className="attract-title"),
            html.Span(
                "Telegrams between Stalin and Mao, January to May 1949",
                className="attract-tagline",
            ),
            html.Span("Touch the screen to explore", className="attract-call"),
        ],
    )
    config = html.Div(id=KIOSK_CONFIG, hidden=True, **{"data-idle-seconds": f"{idle_seconds:g}"})
    return [playback, cover, dcc.Store(id=ids.IDLE), config]


def story_panel(corpus: Corpus) -> html.Section:
    """The guided story: its step's text and references, with Back, Next and Leave."""
    return html.Section(
        className="story panel",
        hidden=corpus.story.empty,
        **{"aria-label": "Guided story"},
        children=[
            # Focusable: on the kiosk a long step scrolls inside the panel, by keys as well.
            html.Div(
                id=ids.STORY,
                className="story-text",
                tabIndex="0",
                role="region",
                **{"aria-live": "polite", "aria-label": "Story step"},
            ),
            html.Div(
                className="story-nav",
                children=[
                    html.Button("Back", id=ids.STORY_BACK, className="button", n_clicks=0),
                    html.Button(
                        "Start the story",
                        id=ids.STORY_NEXT,
                        className="button button-primary",
                        n_clicks=0,
                    ),
                    html.Button(
                        "Leave the story", id=ids.STORY_EXIT, className="button", n_clicks=0
                    ),
                ],
            ),
        ],
    )


def kiosk_spec(
    context: Context,
    view: str,
    state: ViewState,
    shown: Corpus | None = None,
    playback: tuple[Corpus, frozenset[str] | None] | None = None,
) -> dict:
    """A chart as the kiosk draws it, on a screen read from a step away.

    The network takes the presentation look, large labels and thick lines; its labels may
    reach past the plot area, where the circle's top and bottom nodes put them. The timeline
    and the flow, strips under it, keep the page's look so that all their rows fit, and the
    timeline leaves its range strip to the day slider above it.
    """
    look = "presentation" if view == "network" else DEFAULT_LOOK
    # No chart of the kiosk has room for telegram titles or full names at its type size:
    # the strips name telegrams by day, and every chart names people by short names (a tap
    # shows the whole label). The network is 380 px tall or less on every kiosk screen, and
    # there full names met on the circle ('Mao Zedong' and 'Communist Party of China').
    spec = context.spec(view, replace(state, look=look), shown, short=True, playback=playback)
    spec = kiosk_type(spec)
    if view == "network":
        layout = spec["layout"]
        low, high = layout["yaxis"]["range"]
        spec["layout"] = {
            **layout,
            "margin": {**layout.get("margin", {}), "t": 34},
            "yaxis": {**layout["yaxis"], "range": [low - KIOSK_NETWORK_FLOOR, high]},
        }
        spec["data"] = [
            {**trace, "cliponaxis": False} if "text" in trace.get("mode", "") else trace
            for trace in spec["data"]
        ]
    elif view == "timeline":
        xaxis = spec["layout"]["xaxis"]
        xaxis = {**xaxis, "rangeslider": {"visible": False}, "automargin": True}
        # The kiosk shows no chart toolbar: no margin kept for it either.
        margin = {**spec["layout"]["margin"], "r": 20}
        spec["layout"] = {**spec["layout"], "xaxis": xaxis, "margin": margin}
        # The strip is too low for the context lanes' labels: the events keep their marks.
        # Its colours are the network's, whose legend stands just above: only the kinds of
        # date are keyed here, in one row, which leaves the senders' rows room to be read.
        spec["data"] = [
            without_title(trace)
            for trace in spec["data"]
            if trace.get("legendgroup") != SIDE_KEY_GROUP
        ]
    elif view == "flow" and not spec["data"] and context.corpus.has_copies:
        # A story step with no copies: the copies of the whole collection, faded, and why.
        # (A corpus that records no copies has no flow to show, faded or not.)
        spec = faded_flow_spec(
            context.corpus, _no_copies_sentence(context.corpus, state), state.codenames, True
        )
        spec = kiosk_type(spec)
        spec["data"] = [{**spec["data"][0], "textfont": {"size": KIOSK_TYPE_PX, "color": MUTED}}]
    elif view == "flow" and spec["data"]:
        # The kiosk shows no chart toolbar: the flow needs no room kept for one.
        layout = spec["layout"]
        spec["layout"] = {**layout, "margin": {**layout["margin"], "t": 10}}
        spec["data"] = [{**spec["data"][0], "textfont": {"size": KIOSK_TYPE_PX}}]
    return spec


# The smallest type on the kiosk's screen, read from a step away (docs/kiosk.md).
KIOSK_TYPE_PX = 20
# The names under the lowest people reach below the plot area, where the network's legend
# stands: the axis goes this much lower (a share of its span) so that they keep above the
# legend on the kiosk's shortest network, about 230 px of plot on a portrait 768 px screen.
KIOSK_NETWORK_FLOOR = 0.1


def kiosk_type(spec: dict) -> dict:
    """A chart's every text at the kiosk's type size or larger: axes, legend, words over it."""

    def at_least(font: dict | None) -> dict:
        return {**(font or {}), "size": max((font or {}).get("size", 0), KIOSK_TYPE_PX)}

    layout = dict(spec["layout"])
    layout["font"] = at_least(layout.get("font"))
    if "legend" in layout:
        layout["legend"] = {**layout["legend"], "font": at_least(layout["legend"].get("font"))}
    layout["annotations"] = [
        {**a, "font": at_least(a.get("font"))} if a.get("text") else a
        for a in layout.get("annotations", [])
    ]
    return {"data": spec["data"], "layout": layout}


def _no_copies_sentence(corpus: Corpus, state: ViewState) -> str:
    """Why the flow is faded: no copies for this view, and what the faded copies are."""
    total = int(corpus.copies[COPIES].sum())
    telegrams = corpus.copies[MESSAGE_ID].nunique()
    return (
        f"No distribution copies are recorded for {describe_span(state.start, state.end)}. "
        f"Faded: all {total} copies of the {telegrams} telegrams whose lists survive."
    )


def slider_marks(
    start: date,
    end: date,
    corpus: Corpus,
    width_px: float = SLIDER_WIDTH_PX,
    char_px: float = MARK_CHAR_PX,
) -> dict[int, str]:
    """Labels along the day slider, as many as fit its width without touching: the ends of a
    short span; else its first day and the first of every month, two, three or six months;
    else every year, two, five, ten... years, labelled with the year alone."""
    for days, yearly in _mark_choices(start, end):
        labels = [
            f"{day.year}" if yearly else _mark_label(day, start, end, i == 0)
            for i, day in enumerate(days)
        ]
        if not yearly and (end - start).days > SHORT_SLIDER_DAYS:
            # A month's first day too close to the start would print over it: left out.
            keep = [0] + [
                i
                for i in range(1, len(days))
                if _apart(days[0], days[i], labels[0], labels[i], start, end, width_px, char_px)
            ]
            days, labels = [days[i] for i in keep], [labels[i] for i in keep]
        if len(days) <= MOST_SLIDER_MARKS and all(
            _apart(days[i - 1], days[i], labels[i - 1], labels[i], start, end, width_px, char_px)
            for i in range(1, len(days))
        ):
            return {day_offset(day, corpus): text for day, text in zip(days, labels, strict=True)}
    return {day_offset(start, corpus): f"{start.year}"}


def _mark_choices(start: date, end: date) -> list[tuple[list[date], bool]]:
    """The sets of days the slider may mark, from the most to the fewest, each saying whether
    it marks years (labelled with the year alone)."""
    if (end - start).days <= SHORT_SLIDER_DAYS:
        return [([start, end] if start != end else [start], False), ([start], False)]
    choices = []
    every = pd.date_range(start, end, freq="MS").date
    for months in (1, 2, 3, 6):
        firsts = every
        # Calendar quarters and halves, not every third month from the start.
        firsts = [m for m in firsts if (m.month - 1) % months == 0 and m > start]
        if len(firsts) < MOST_SLIDER_MARKS * 2:
            choices.append(([start, *firsts], False))
    for years in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        begin = start.year + ((start.month, start.day) != (1, 1))
        first = -(-begin // years) * years
        if (end.year - first) // years + 1 > MOST_SLIDER_MARKS * 2:
            continue
        choices.append(([date(y, 1, 1) for y in range(first, end.year + 1, years)], True))
    return [(days, yearly) for days, yearly in choices if days]


def _mark_label(day: date, start: date, end: date, first: bool) -> str:
    """'1 Mar' within one year; across years 'Mar 1895', and the first '14 Feb 1894'."""
    if start.year == end.year:
        return f"{day.day} {day:%b}"
    return f"{day.day} {day:%b %Y}" if first else f"{day:%b %Y}"


def _apart(
    one: date,
    other: date,
    one_label: str,
    other_label: str,
    start: date,
    end: date,
    width_px: float,
    char_px: float,
) -> bool:
    """Whether two marks' labels, centred on their days, keep MARK_GAP_PX between them."""
    per_day = width_px / max((end - start).days, 1)
    needed = (len(one_label) + len(other_label)) * char_px / 2 + MARK_GAP_PX
    return abs((other - one).days) * per_day >= needed


def controls(corpus: Corpus, state: ViewState) -> tuple[str, int]:
    """The values the speed choice and the day slider take from the view's state."""
    return state.speed, day_offset(state.day or state.start, corpus)


def render(corpus: Corpus, shown: Corpus, state: ViewState) -> tuple:
    """Everything of the exhibit that follows from the URL, in the order of its outputs."""
    steps = len(corpus.story)
    in_story = state.step is not None
    return (
        _play_label(state.playing),
        not state.playing,
        SPEED_MS[state.speed],
        day_offset(state.start, corpus),
        day_offset(state.end, corpus),
        slider_marks(state.start, state.end, corpus),
        day_label(shown, state),
        story_text(corpus, state),
        "Start the story" if not in_story else "Finish" if state.step == steps else "Next",
        not in_story or state.step == 1,
        not in_story,
        not state.attract,
    )


def day_label(shown: Corpus, state: ViewState) -> list:
    """The date shown large: the step playback stands on (a day, or the week, month or year
    it walks by over a longer span), or the span of the dates shown."""
    unit = playback_unit(state.start, state.end)
    if state.day is None:
        span = describe_span(state.start, state.end)
        hint = f"Press Play to walk through it {STEP_WORDS.get(unit, 'year by year')}"
        return [html.Span(span, className="play-day"), html.Span(hint, className="play-count")]
    if unit == "day":
        sent = len(shown.sent_on(state.day))
        when, this = f"{state.day.day} {state.day:%B %Y}", "this day"
    else:
        first, last = playback_step(state.day, state.start, state.end)
        days = shown.messages[DATE]
        sent = int(((days >= pd.Timestamp(first)) & (days <= pd.Timestamp(last))).sum())
        when, this = describe_span(first, last), f"this {unit}"
    count = f"{sent} message{'s' if sent != 1 else ''} sent {this}" if sent else "No messages"
    return [html.Span(when, className="play-day"), html.Span(count, className="play-count")]


def story_text(corpus: Corpus, state: ViewState) -> list:
    """The story step's heading, text, archival references and source; or an invitation."""
    steps = len(corpus.story)
    if state.step is None:
        return [
            html.H2(f"The story in {steps} steps"),
            html.P(
                "From Chiang's peace offer of 1 January to Stalin's warning of 26 May. "
                "Each step sets the charts to its dates and people.",
                className="story-intro",
            ),
        ]
    row = corpus.story.iloc[state.step - 1]
    refs = split_list(row[ARCHIVE_REFS])
    return [
        html.P(f"Step {state.step} of {steps}", className="story-count"),
        html.H2(row[TITLE]),
        html.P(row[TEXT], className="story-body"),
        html.H3("Archival references"),
        html.Ul([html.Li(ref) for ref in refs], className="story-refs")
        if refs
        else html.P("The sources print no archival reference for this step.", className="muted"),
        html.P(f"Source: {corpus.cite(row[SOURCE])}", className="story-source")
        if row[SOURCE]
        else None,
    ]


def _play_label(playing: bool) -> list:
    icon, word = (PAUSE_ICON, "Pause") if playing else (PLAY_ICON, "Play")
    return [html.Span(icon, className="icon", **{"aria-hidden": "true"}), html.Span(word)]

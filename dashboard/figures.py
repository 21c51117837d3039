"""Pure functions from corpus data to plotly figures: the network, the timeline, the copy flow."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date, timedelta
from html import escape

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.graph import (
    CIRCLE_MAX_PEOPLE,
    DEFAULT_HEIGHT_PX,
    DEFAULT_WIDTH_PX,
    LABEL_FONT_PX,
    MESSAGE_IDS,
    RELAYED,
    SOURCE_NODE,
    TARGET_NODE,
    WEIGHT,
    degrees_of,
    edges_of,
    fit_labels,
)
from dashboard.model import (
    CATEGORY,
    CERTAINTY_LABEL,
    COPIES,
    DATE,
    DATE_CERTAINTY,
    DATE_FROM,
    DATE_PRECISION,
    DATE_TO,
    END,
    EVENT_ID,
    KIND,
    MEMBER,
    MESSAGE_ID,
    NAME,
    POLITBURO,
    ROLE,
    SENDER,
    SIDE,
    START,
    SUMMARY,
    TITLE,
    Corpus,
    date_words,
    people_in,
)
from dashboard.state import DEFAULT_LABELS, describe_span

# Okabe-Ito: distinguishable with every common colour-vision deficiency. Each side also has
# its own marker shape, so colour is never the only thing that tells sides apart.
SIDE_STYLE: dict[str, tuple[str, str]] = {
    "Soviet": ("#D55E00", "circle"),
    "CPC": ("#0072B2", "square"),
    "Nanjing government": ("#009E73", "diamond"),
    "United States": ("#CC79A7", "triangle-up"),
    "Britain": ("#56B4E9", "triangle-down"),
    "France": ("#8C6D00", "pentagon"),
}
OTHER_STYLE = ("#555555", "hexagon")
CERTAINTY_SYMBOL = {
    "exact": "circle",
    "approximate": "circle-open",
    "uncertain": "square-open",
    "unknown": "diamond-open",
}
INK = "#1a1a1a"
# Names of people with nothing in view: lighter than ink, still 4.5:1 on white.
MUTED = "#767676"
FONT = "Inter, 'Source Sans 3', 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"
CONTEXT_ROW = "Context"
SHORT_RANGE_DAYS = 14
# Ticks on the timeline's axis over a long span, at most: each label keeps clear of the next.
MOST_TICKS = 12
# Context events stack in lanes this far apart (in rows) above the senders' rows.
LANE_SPACING = 0.5
# Days a character of an event's label covers on the whole-period axis, to keep labels apart.
LABEL_DAYS_PER_CHAR = 1.0
# The same in a compact frame (640 to 1000 px wide: an 800 x 500 embed), whose plot gives
# each day about half the width.
COMPACT_LABEL_DAYS_PER_CHAR = 1.9
# Spans longer than this are listed in the context row but not shaded across the chart.
LONGEST_SHADED_SPAN_DAYS = 60
# Playback lights up the day's messages: a glow under their lines, a ring round their marks,
# a thick outline on their people; the rest fades. Width and shape carry it, not colour alone.
# Type size in charts drawn for a narrow frame.
NARROW_FONT_PX = 11
# The top margin a narrow frame keeps for the chart's toolbar: a phone draws its buttons
# 44 px tall, a fingertip (assets/style.css).
TOUCH_TOOLBAR_PX = 48
HIGHLIGHT = "#f2b705"
LIT_LABEL = "sent on the day shown"
# The marks, lines and links of messages whose records are open.
CHOSEN_LABEL = "record open"
FADED = 0.35


# Plotly's config with no button or link that sends a chart to a server on the internet
# (dcc.Graph offers "Share chart..." to Plotly's cloud unless told not to).
OFFLINE_CONFIG: dict = {
    "displaylogo": False,
    "showSendToCloud": False,
    "plotlyServerURL": "",
    "modeBarButtonsToRemove": ["sendDataToCloud", "sendChartToCloud", "editInChartStudio"],
}


class _Spec:
    """A figure under construction, as plain dicts.

    Plotly's graph objects validate every property as it is set, which costs more than the
    rest of a callback together; building dicts and validating once, in the tests
    (tests/test_figures.py), keeps each callback fast.
    """

    def __init__(self, layout: dict) -> None:
        self.data: list[dict] = []
        self.layout = layout

    def add_trace(self, trace: dict) -> None:
        self.data.append(trace)

    def add_annotation(self, annotation: dict | None = None, **properties: object) -> None:
        self.layout.setdefault("annotations", []).append({**(annotation or {}), **properties})

    def say(self, text: str, y: float = 0.5) -> None:
        """Words across the middle of the chart: why it has nothing (or little) to show."""
        self.add_annotation(
            text=escape(text),
            x=0.5,
            y=y,
            xref="paper",
            yref="paper",
            showarrow=False,
            font={"size": 18, "color": "#444"},
            bgcolor="rgba(255,255,255,0.9)",
        )

    def add_shape(self, **properties: object) -> None:
        self.layout.setdefault("shapes", []).append(properties)

    def spec(self) -> dict:
        return {"data": self.data, "layout": self.layout}


def _scatter(**properties: object) -> dict:
    return {"type": "scatter", **properties}


def side_style(side: str) -> tuple[str, str]:
    return SIDE_STYLE.get(side, OTHER_STYLE)


def _base_layout(**overrides: object) -> dict:
    layout = {
        "font": {"family": FONT, "size": 14, "color": INK},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
        "hoverlabel": {"font": {"family": FONT, "size": 14}, "align": "left"},
        "clickmode": "event",
    }
    layout.update(overrides)
    if "legend" in layout:
        # A legend is a key, not a switch: a tap on it must not hide a side (nothing brings
        # it back but a double tap few people know of).
        layout["legend"] = {"itemclick": False, "itemdoubleclick": False, **layout["legend"]}
    return layout


def empty_spec(message: str) -> dict:
    """A figure that says, in words, why there is nothing to draw."""
    figure = _Spec(_base_layout(xaxis={"visible": False}, yaxis={"visible": False}))
    figure.say(message)
    return figure.spec()


def no_messages_text(start: date, end: date, what: str = "messages") -> str:
    """'No messages between 1 and 31 Mar 1949', or 'No messages on 14 Jan 1949'."""
    if start == end:
        return f"No {what} on {describe_span(start, end)}"
    return f"No {what} between {describe_span(start, end).replace(' - ', ' and ', 1)}"


# --- network -----------------------------------------------------------------------------


def network_spec(
    whole: Corpus,
    shown: Corpus,
    positions: dict[str, tuple[float, float]],
    codenames: bool = False,
    lit: frozenset[str] | None = None,
    empty_text: str = "No messages match the filter",
    short: bool = False,
    chosen: tuple[str, ...] = (),
    people: tuple[str, ...] = (),
    labels: int = DEFAULT_LABELS,
    frame: tuple[int, int, int] = (DEFAULT_WIDTH_PX, DEFAULT_HEIGHT_PX, LABEL_FONT_PX),
) -> dict:
    """Everyone in the whole corpus at fixed positions; the shown messages as directed edges.

    People with no message in `shown` stay in place, faded, so the drawing never jumps.
    Edge width counts messages; relayed hops are dashed so the route can be followed.
    During playback `lit` holds the day's messages: they glow, their people are outlined, and
    the rest fades (all of it on a day when nothing was sent). None when nothing plays.
    At most `labels` people are named, the busiest first. A corpus of more than
    CIRCLE_MAX_PEOPLE people is drawn by `large_network_spec`, for a chart of `frame`
    (width, height and type size in px); `people` are the ones the filter chose.
    """
    if not positions:
        return empty_spec("This corpus has no messages to draw.")
    if len(positions) > CIRCLE_MAX_PEOPLE:
        return large_network_spec(
            whole,
            shown,
            positions,
            codenames,
            lit,
            empty_text,
            short,
            chosen,
            people,
            labels,
            frame,
        )
    figure = _Spec(
        _base_layout(
            xaxis={"visible": False, "range": [-0.02, 1.02], "fixedrange": True},
            yaxis={"visible": False, "range": [-0.03, 1.03], "fixedrange": True},
            showlegend=True,
            legend={"orientation": "h", "y": -0.02, "yanchor": "top", "x": 0, "title": None},
            # Room above the top node for its name, which may reach past the plot area.
            margin={"l": 10, "r": 10, "t": 24, "b": 40},
            dragmode=False,
        )
    )
    table = edges_of(shown)
    degrees = degrees_of(shown)
    most = int(degrees.max()) if len(degrees) else 0
    titles = shown.messages.set_index(MESSAGE_ID)[TITLE].to_dict()
    # Every person drawn keeps a line's hit area off their node, in view or faded.
    counts = {p: int(degrees.get(p, 0)) for p in positions}
    _add_curved_edges(figure, whole, table, positions, counts, most, lit, chosen, titles, codenames)
    on_day = shown.messages[shown.messages[MESSAGE_ID].isin(lit or ())]
    lit_people = people_in(on_day)
    everyone = whole.people_by_id
    # Every name fits the circle; a researcher who asks for fewer gets the busiest.
    named = set(sorted(positions, key=lambda p: (-int(degrees.get(p, 0)), p))[: max(labels, 0)])
    for side in sorted({everyone[p][SIDE] for p in positions}):
        members = [p for p in sorted(positions) if everyone[p][SIDE] == side]
        colour, symbol = side_style(side)
        counts = [int(degrees.get(p, 0)) for p in members]
        figure.add_trace(
            _scatter(
                x=[positions[p][0] for p in members],
                y=[positions[p][1] for p in members],
                mode="markers+text",
                name=escape(side or "other"),
                text=[
                    escape(whole.label(p, codenames, short)) if p in named else "" for p in members
                ],
                # Labels face outward, away from the lines that meet in the middle.
                textposition=[
                    "top center" if positions[p][1] > 0.5 else "bottom center" for p in members
                ],
                textfont={"size": LABEL_FONT_PX, "color": [INK if c else MUTED for c in counts]},
                marker={
                    "size": [node_size(c, most) for c in counts],
                    "color": [colour if c else "white" for c in counts],
                    "symbol": symbol,
                    "line": {
                        "width": [5 if p in lit_people else 2 for p in members],
                        "color": [INK if p in lit_people else colour for p in members],
                    },
                    "opacity": [1 if c else 0.45 for c in counts],
                },
                # Names drawn whole, into the margin, rather than cut at the plot's edge.
                cliponaxis=False,
                customdata=[["person", p] for p in members],
                hovertext=[
                    _person_hover(whole, p, c, codenames)
                    for p, c in zip(members, counts, strict=True)
                ],
                hovertemplate="%{hovertext}<extra></extra>",
                legendgroup=side,
                showlegend=False,
            )
        )
        # The legend shows each side at full strength, whatever its first node looks like.
        figure.add_trace(side_key(side))
    if lit is not None:
        figure.add_trace(
            _scatter(
                x=[None],
                y=[None],
                mode="lines",
                name=LIT_LABEL,
                line={"width": 10, "color": HIGHLIGHT},
                hoverinfo="skip",
            )
        )
    if shown.messages.empty:
        # Centred between the nodes on the circle, where no label stands.
        figure.say(empty_text)
    return figure.spec()


# A large corpus's view with this many edges or fewer keeps one curved line, arrowhead and
# hit area per edge, as a small corpus has; past it edges are drawn in a few line traces.
CURVED_EDGES_MAX = 60
# Everything stays SVG: a WebGL canvas is drawn over every SVG layer, so lines or dots in it
# would cross out the names, and a browser without WebGL (a virtual machine, some kiosks, a
# headless export) would show no network at all. A band of 3,000 lines is one SVG path;
# dots are one element each, so a view draws the busiest DOTS_MAX people as dots (the rest
# are found by name in the people filter, and the chart says how many are drawn).
DOTS_MAX = 1200
# How many of the busiest are tried for each name asked for (a name goes where it fits).
NAME_TRIES_PER_NAME = 10
# Faint dots for people with nothing in view, the busiest of the corpus: enough to keep the
# drawing's shape under a narrow filter, few enough to cost the browser little.
CONTEXT_DOTS_MAX = 400
NAME_HALO = "0 0 3px white, 0 0 3px white, 0 0 2px white"
# The busiest pairs drawn in a large view: more lines add bytes, not information.
LINES_MAX = 3000
# Message ids carried by the large view's edge hit points, busiest pairs first: a click on
# one of those opens its letters, and the figure stays small.
EDGE_HIT_IDS_MAX = 3000
EDGE_HITS_MAX = 400
# Lines of a large view by how many letters a pair exchanged: (fewest, width px, opacity).
LINE_BANDS = ((1, 0.8, 0.22), (2, 1.4, 0.32), (4, 2.2, 0.45), (9, 3.4, 0.6), (33, 5.0, 0.75))
LINE_COLOUR = "85,85,85"
# A large view's axes leave room round the outermost people for a name beside them.
LARGE_RANGE = ((-0.05, 1.05), (-0.06, 1.06))
LARGE_MARGIN = {"l": 10, "r": 10, "t": 28, "b": 34}
UNNAMED_SIZE_PX = 5
CONTEXT_DOT = "#cfcfcf"


def large_network_spec(
    whole: Corpus,
    shown: Corpus,
    positions: dict[str, tuple[float, float]],
    codenames: bool,
    lit: frozenset[str] | None,
    empty_text: str,
    short: bool,
    chosen: tuple[str, ...],
    people: tuple[str, ...],
    labels: int,
    frame: tuple[int, int, int],
) -> dict:
    """The network of a corpus too large to name everyone: dots and a few line traces.

    The people in view are dots sized by their letters; names go to the busiest (the chosen
    people and, with them, all their correspondents first) as long as each fits without
    meeting another at the chart's size, `frame`. People with nothing in view stay as
    faint dots in one trace, so the drawing never jumps. The chart says how many are named.
    """
    width_px, height_px, font_px = frame
    figure = _Spec(
        _base_layout(
            xaxis={"visible": False, "range": list(LARGE_RANGE[0]), "fixedrange": True},
            yaxis={"visible": False, "range": list(LARGE_RANGE[1]), "fixedrange": True},
            showlegend=False,
            legend={"orientation": "h", "y": -0.01, "yanchor": "top", "x": 0, "title": None},
            margin=dict(LARGE_MARGIN),
            dragmode=False,
        )
    )
    table = edges_of(shown)
    # Kept per layout: the positions are the context's, held as long as the app runs.
    key = ("busiest in view", id(positions))
    degrees, in_view = shown.memo(key, lambda c: _busiest_people(c, positions))
    most = degrees[in_view[0]] if in_view else 0
    # The named, then the busiest in view, then (faint, so that the drawing keeps its shape
    # under any filter) the busiest of the whole corpus with nothing in view.
    room = max(min(DOTS_MAX - len(in_view), CONTEXT_DOTS_MAX), 0)
    unseen = [p for p in positions if p not in degrees][:room]  # positions: busiest first
    if unseen:
        figure.add_trace(
            {
                "type": "scatter",
                "x": [positions[p][0] for p in unseen],
                "y": [positions[p][1] for p in unseen],
                "mode": "markers",
                "marker": {"size": 4, "color": CONTEXT_DOT},
                "hoverinfo": "skip",
                "showlegend": False,
                "name": "people with nothing in view",
            }
        )
    if len(table) <= CURVED_EDGES_MAX:
        titles = shown.messages.set_index(MESSAGE_ID)[TITLE].to_dict()
        _add_curved_edges(
            figure, whole, table, positions, degrees, most, lit, chosen, titles, codenames
        )
        drawn = len(table)
        pairs = drawn
    else:
        drawn, pairs = _add_line_bands(figure, whole, shown, positions, lit, chosen, codenames)
    everyone = whole.people_by_id
    chosen_people = [p for p in people if p in degrees]
    picked = set(chosen_people)
    ranked = chosen_people + [p for p in in_view if p not in picked]
    # A chosen person is shown with everyone they wrote to or heard from, by name.
    limit = max(labels, len(in_view)) if chosen_people else labels
    if lit is not None:
        # Playback names only among the DOTS_MAX busiest (or ten times the names asked
        # for): its ticks would otherwise try a dense centre's thousands at every step.
        # A still view tries everyone, so that names fill the quieter edges too.
        ranked = ranked[: max(DOTS_MAX, limit * NAME_TRIES_PER_NAME)]
    texts = {p: escape(whole.label(p, codenames, short)) for p in ranked}
    radii = {p: node_size(degrees[p], most) / 2 for p in ranked}
    (plot_w, plot_h), to_px = large_plot_px(width_px, height_px)
    named = fit_labels(ranked, positions, texts, radii, to_px, font_px, limit, (plot_w, plot_h))
    dotted = set(named) | set(chosen_people)
    dotted.update([p for p in ranked if p not in dotted][: max(DOTS_MAX - len(dotted), 0)])
    on_day = shown.messages[shown.messages[MESSAGE_ID].isin(lit or ())]
    lit_people = people_in(on_day)
    sides = sorted({everyone[p][SIDE] for p in in_view})
    for side in sides:
        colour, symbol = side_style(side)
        members = [p for p in in_view if everyone[p][SIDE] == side]
        unnamed = [p for p in members if p not in named and p in dotted]
        if unnamed:
            figure.add_trace(
                {
                    "type": "scatter",
                    "x": [positions[p][0] for p in unnamed],
                    "y": [positions[p][1] for p in unnamed],
                    "mode": "markers",
                    "name": escape(side or "other"),
                    "marker": {
                        # Small, so that they never hide a name: size tells only among
                        # the named, whom the reader compares.
                        "size": [
                            round(UNNAMED_SIZE_PX + 3 * degrees[p] / max(most, 1), 2)
                            for p in unnamed
                        ],
                        "color": colour,
                        "symbol": symbol,
                        "opacity": 0.6,
                        "line": {
                            "width": [3 if p in lit_people else 0 for p in unnamed],
                            "color": INK,
                        },
                    },
                    "customdata": [["person", p] for p in unnamed],
                    # Short, for thousands of dots: the name and the count, the markup once
                    # in the template (in JSON each tag costs six characters a dot).
                    "text": [texts[p] for p in unnamed],
                    "hovertext": [letters_text(degrees[p]) for p in unnamed],
                    "hovertemplate": "<b>%{text}</b><br>%{hovertext}<extra></extra>",
                    "legendgroup": side,
                    "showlegend": False,
                }
            )
        labelled = [p for p in members if p in named]
        if labelled:
            figure.add_trace(
                _scatter(
                    x=[positions[p][0] for p in labelled],
                    y=[positions[p][1] for p in labelled],
                    mode="markers+text",
                    name=escape(side or "other"),
                    text=[texts[p] for p in labelled],
                    textposition=[named[p] for p in labelled],
                    # A white halo keeps a name legible where many lines cross under it.
                    textfont={"size": font_px, "color": INK, "shadow": NAME_HALO},
                    marker={
                        "size": [node_size(degrees[p], most) for p in labelled],
                        "color": colour,
                        "symbol": symbol,
                        "line": {
                            "width": [5 if p in lit_people else 1 for p in labelled],
                            "color": [INK if p in lit_people else "white" for p in labelled],
                        },
                    },
                    cliponaxis=False,
                    customdata=[["person", p] for p in labelled],
                    hovertext=[_person_hover(whole, p, degrees[p], codenames) for p in labelled],
                    hovertemplate="%{hovertext}<extra></extra>",
                    legendgroup=side,
                    showlegend=False,
                )
            )
    if len(sides) > 1:
        figure.layout["showlegend"] = True
        for side in sides:
            figure.add_trace(side_key(side))
    if in_view:
        figure.add_annotation(
            text=escape(scale_note(len(named), len(in_view), drawn, pairs, len(dotted))),
            # Top left, clear of the chart's toolbar at the top right.
            x=0,
            y=1,
            xref="paper",
            yref="paper",
            xanchor="left",
            yanchor="bottom",
            showarrow=False,
            font={"size": 13, "color": MUTED},
        )
    if shown.messages.empty:
        figure.say(empty_text)
    return figure.spec()


def side_key(side: str) -> dict:
    """A side's entry in the network's legend, at full strength whatever its nodes look like."""
    colour, symbol = side_style(side)
    return _scatter(
        x=[None],
        y=[None],
        mode="markers",
        name=escape(side or "other"),
        marker={"size": 14, "color": colour, "symbol": symbol},
        legendgroup=side,
        hoverinfo="skip",
    )


def large_plot_px(
    width_px: int, height_px: int
) -> tuple[tuple[float, float], tuple[float, float, float, float]]:
    """A large network's plot area in a chart of width_px x height_px, and the scale and
    offset (x, then y) that take its data units to the plot's pixels."""
    plot_w = width_px - LARGE_MARGIN["l"] - LARGE_MARGIN["r"]
    plot_h = height_px - LARGE_MARGIN["t"] - LARGE_MARGIN["b"]
    (x0, x1), (y0, y1) = LARGE_RANGE
    to_px = (
        plot_w / (x1 - x0),
        -x0 * plot_w / (x1 - x0),
        plot_h / (y1 - y0),
        -y0 * plot_h / (y1 - y0),
    )
    return (plot_w, plot_h), to_px


def letters_text(count: int) -> str:
    return f"{count:,} letter{'s' if count != 1 else ''}"


def scale_note(
    named: int, in_view: int, drawn: int, pairs: int, dotted: int | None = None
) -> str:
    """'showing 40 of 2,153 people by name; lines for the 3,000 busiest of 9,870 pairs', and
    'dots for the 1,200 busiest' when not everyone in view is drawn."""
    note = (
        f"showing {named:,} of {in_view:,} people by name"
        if named < in_view
        else f"{in_view:,} {'person' if in_view == 1 else 'people'}"
    )
    if dotted is not None and dotted < in_view:
        note += f"; dots for the {dotted:,} busiest"
    if drawn < pairs:
        note += f"; lines for the {drawn:,} busiest of {pairs:,} pairs"
    return note


def _add_curved_edges(
    figure: _Spec,
    whole: Corpus,
    table: pd.DataFrame,
    positions: dict[str, tuple[float, float]],
    degrees: dict[str, int],
    most: int,
    lit: frozenset[str] | None,
    chosen: tuple[str, ...],
    titles: dict[str, str],
    codenames: bool,
) -> None:
    """Edges one by one, for a small corpus and for a narrow view of a large one: a curve,
    an arrowhead and a hit area each, the hit area kept clear of every node in `degrees`.
    Every edge curves to its right, so a reply never hides under the message it answers;
    the hit areas go in after every line."""
    reach = {p: (*positions[p], node_reach(degrees[p], most)) for p in degrees}
    reciprocal = set(zip(table[SOURCE_NODE], table[TARGET_NODE], strict=True))
    hits = []
    for edge in table.to_dict("records"):
        bend = 0.12 if (edge[TARGET_NODE], edge[SOURCE_NODE]) in reciprocal else 0.06
        trace = _edge_trace(whole, edge, positions, bend)
        arrow = _arrowhead(trace)
        if set(chosen) & set(edge[MESSAGE_IDS]):
            figure.add_trace(_glow(trace, INK, CHOSEN_LABEL))
        if lit and lit & set(edge[MESSAGE_IDS]):
            figure.add_trace(_glow(trace))
            trace["opacity"] = 1
        elif lit is not None:
            trace["opacity"] = arrow["opacity"] = FADED
        figure.add_trace(trace)
        figure.add_annotation(arrow)
        hits.append(_edge_hits(trace, edge, _edge_hover(whole, edge, titles, codenames), reach))
    for hit in hits:
        figure.add_trace(hit)


def _busiest_people(
    corpus: Corpus, positions: Mapping[str, tuple[float, float]]
) -> tuple[dict[str, int], list[str]]:
    """Each person in view (who has a place) with their count of letters, and the people
    busiest first (ties by id): sorted in arrays, for the tens of thousands of a large view."""
    counts = degrees_of(corpus)
    counts = counts[counts.index.isin(list(positions))]
    table = pd.DataFrame({"person": counts.index.astype(object), "letters": counts.to_numpy()})
    table = table.sort_values(["letters", "person"], ascending=[False, True], kind="stable")
    people, letters = table["person"].tolist(), table["letters"].tolist()
    return dict(zip(people, letters, strict=True)), people


def _busiest_pairs(corpus: Corpus) -> tuple[dict[tuple[str, str], list[str]], list, int]:
    """The LINES_MAX pairs of correspondents (either way round) with the most letters,
    busiest first, with the letters of each; and how many pairs are in view. Pairs are
    counted in arrays: only the busiest have their lists of letters gathered."""
    table = edges_of(corpus)
    sources = table[SOURCE_NODE].to_numpy(dtype=object)
    targets = table[TARGET_NODE].to_numpy(dtype=object)
    in_order = sources <= targets
    pairs = pd.DataFrame(
        {
            "a": np.where(in_order, sources, targets),
            "b": np.where(in_order, targets, sources),
            "letters": table[WEIGHT].to_numpy(),
        }
    )
    counts = pairs.groupby(["a", "b"], sort=False)["letters"].sum().reset_index()
    counts = counts.sort_values(["letters", "a", "b"], ascending=[False, True, True])
    busiest = list(zip(counts["a"].head(LINES_MAX), counts["b"].head(LINES_MAX), strict=True))
    by_pair: dict[tuple[str, str], list[str]] = {pair: [] for pair in busiest}
    columns = (pairs["a"].tolist(), pairs["b"].tolist(), table[MESSAGE_IDS].tolist())
    for a, b, ids in zip(*columns, strict=True):
        listed = by_pair.get((a, b))
        if listed is not None:
            listed.extend(ids)
    return by_pair, busiest, len(counts)


def _add_line_bands(
    figure: _Spec,
    whole: Corpus,
    shown: Corpus,
    positions: dict[str, tuple[float, float]],
    lit: frozenset[str] | None,
    chosen: tuple[str, ...],
    codenames: bool,
) -> tuple[int, int]:
    """The busiest pairs of a large view as straight lines, one SVG trace per band of
    letters (segments apart by None), a glow trace for the lit and the open, and invisible
    points mid-line that open a pair's letters. Returns (pairs drawn, pairs in view)."""
    by_pair, busiest, pairs_in_view = shown.memo("busiest pairs", _busiest_pairs)

    def segments(pairs: list[tuple[str, str]]) -> tuple[list, list]:
        xs: list = []
        ys: list = []
        for a, b in pairs:
            xs += [positions[a][0], positions[b][0], None]
            ys += [positions[a][1], positions[b][1], None]
        return xs, ys

    for why, colour, ids in (
        (CHOSEN_LABEL, INK, set(chosen)),
        ("lit", HIGHLIGHT, set(lit or ())),
    ):
        glowing = [pair for pair in busiest if ids & set(by_pair[pair])]
        if glowing:
            xs, ys = segments(glowing)
            figure.add_trace(
                {
                    "type": "scatter",
                    "x": xs,
                    "y": ys,
                    "mode": "lines",
                    "line": {"width": 6, "color": colour},
                    "opacity": 0.7,
                    "hoverinfo": "skip",
                    "showlegend": False,
                    "name": f"lines ({why})",
                }
            )
    faded = lit is not None
    for i, (fewest, width, opacity) in enumerate(LINE_BANDS):
        most = LINE_BANDS[i + 1][0] if i + 1 < len(LINE_BANDS) else math.inf
        band = [pair for pair in busiest if fewest <= len(by_pair[pair]) < most]
        if not band:
            continue
        xs, ys = segments(band)
        alpha = opacity * (FADED if faded else 1)
        figure.add_trace(
            {
                "type": "scatter",
                "x": xs,
                "y": ys,
                "mode": "lines",
                "line": {"width": width, "color": f"rgba({LINE_COLOUR},{alpha:.2f})"},
                "hoverinfo": "skip",
                "showlegend": False,
                "name": f"lines of {fewest}+ letters",
            }
        )
    hit_pairs, carried = [], 0
    for pair in busiest:
        if len(hit_pairs) < EDGE_HITS_MAX and carried + len(by_pair[pair]) <= EDGE_HIT_IDS_MAX:
            hit_pairs.append(pair)
            carried += len(by_pair[pair])
    if hit_pairs:
        figure.add_trace(
            _scatter(
                x=[(positions[a][0] + positions[b][0]) / 2 for a, b in hit_pairs],
                y=[(positions[a][1] + positions[b][1]) / 2 for a, b in hit_pairs],
                mode="markers",
                marker={"size": 6, "color": "#555555", "opacity": 0},
                customdata=[["edge", ",".join(by_pair[pair])] for pair in hit_pairs],
                hovertext=[
                    f"<b>{escape(whole.label(a, codenames))} – {escape(whole.label(b, codenames))}"
                    f"</b><br>{letters_text(len(by_pair[(a, b)]))}"
                    for a, b in hit_pairs
                ],
                hovertemplate="%{hovertext}<extra></extra>",
                showlegend=False,
                name="lines (hit areas)",
            )
        )
    return len(busiest), pairs_in_view


def _glow(trace: dict, colour: str = HIGHLIGHT, why: str = "lit") -> dict:
    """A wide band under an edge, following its curve; not clickable itself. Playback's day
    lights its lines in yellow; an open record's line has an ink band."""
    return _scatter(
        x=trace["x"],
        y=trace["y"],
        mode="lines",
        line={"width": trace["line"]["width"] + 12, "color": colour},
        opacity=0.7,
        hoverinfo="skip",
        showlegend=False,
        name=f"{trace['name']} ({why})",
    )


# The smallest plot a network is drawn in, in px (a 320 x 300 embed less its margins): a
# node's hit area is measured against it, so it is at least as large at any bigger size.
SMALLEST_PLOT_PX = 290
# Plotly gives a click to the nearest point, and a point of a line counts as near from 3 px
# closer than its own position: the lines' points keep this much further off a node's rim.
HIT_CLEARANCE_PX = 7


def node_reach(count: int, most: int = 0) -> float:
    """How far from a node's centre, in data units, a click belongs to the node alone."""
    return (node_size(count, most) / 2 + HIT_CLEARANCE_PX) / SMALLEST_PLOT_PX


def _edge_hits(line: dict, edge: Mapping, hover: str, reach: dict[str, tuple]) -> dict:
    """Where a click chooses an edge: invisible points along its curve, none within reach of a
    node. Plotly gives a click to the nearest point, and the curve's ends lie on nodes."""
    xs, ys = _resample(line["x"], line["y"], 60)
    kept = [
        (x, y)
        for x, y in zip(xs, ys, strict=True)
        if all(math.hypot(x - px, y - py) > r for px, py, r in reach.values())
    ]
    return _scatter(
        x=[x for x, _ in kept],
        y=[y for _, y in kept],
        mode="markers",
        marker={"size": 6, "color": line["line"]["color"], "opacity": 0},
        customdata=[["edge", ",".join(edge[MESSAGE_IDS])]] * len(kept),
        # One template for the whole edge, not a copy of the text on each of its points.
        hovertemplate=hover,
        showlegend=False,
        name=f"{line['name']} (hit area)",
    )


def _resample(xs: list[float], ys: list[float], steps: int) -> tuple[list[float], list[float]]:
    """`steps` + 1 points along a polyline, evenly spaced by index between its own points."""
    out_x, out_y = [], []
    last = len(xs) - 1
    for i in range(steps + 1):
        t = i * last / steps
        j = min(int(t), last - 1)
        f = t - j
        out_x.append(xs[j] + f * (xs[j + 1] - xs[j]))
        out_y.append(ys[j] + f * (ys[j + 1] - ys[j]))
    return out_x, out_y


# Past this many messages a node stops growing as the square root and is scaled to the
# busiest one, so an edition's central correspondent does not cover the chart.
NODE_COUNT_SCALE = 25


def node_size(count: int, most: int = 0) -> float:
    """Marker diameter in px: grows with the square root, so area tracks the message count;
    when the busiest person (`most`) has more than NODE_COUNT_SCALE, relative to them."""
    if most > NODE_COUNT_SCALE:
        count = count * NODE_COUNT_SCALE / most
    return 14 + 7 * math.sqrt(count) if count else 12


def edge_width(count: int) -> float:
    """Line width in px: linear for the few messages of most pairs, then slower, so that a
    pair with hundreds of letters stays a line."""
    if count <= 8:
        return 1.5 + 1.6 * count
    return min(14.3 + 2.5 * math.log2(count / 8), 24)


def _person_hover(corpus: Corpus, person: str, count: int, codenames: bool) -> str:
    row = corpus.people_by_id[person]
    names = [corpus.label(person, codenames)]
    other = corpus.label(person, not codenames)
    if other != names[0]:
        names.append(f"({other})")
    lines = [f"<b>{escape(' '.join(names))}</b>", escape(row[ROLE] or row[SIDE])]
    lines.append(f"{count} message{'s' if count != 1 else ''} in this view")
    return "<br>".join(lines)


def _edge_trace(
    corpus: Corpus, edge: Mapping, positions: dict[str, tuple[float, float]], bend: float
) -> dict:
    """The line of an edge as drawn; it takes no hover or click (its hit area does)."""
    source, target = edge[SOURCE_NODE], edge[TARGET_NODE]
    (x0, y0), (x1, y1) = positions[source], positions[target]
    xs, ys = _curve(x0, y0, x1, y1, bend)
    colour = side_style(corpus.people_by_id[source][SIDE])[0]
    return _scatter(
        x=xs,
        y=ys,
        mode="lines",
        line={
            "width": edge_width(int(edge[WEIGHT])),
            "color": colour,
            "dash": "dash" if edge[RELAYED] else "solid",
        },
        opacity=0.85,
        hoverinfo="skip",
        showlegend=False,
        name=f"{source}→{target}",
    )


def _edge_hover(corpus: Corpus, edge: Mapping, titles: dict[str, str], codenames: bool) -> str:
    ids = list(edge[MESSAGE_IDS])
    count = len(ids)
    listing = "<br>".join(f"· {escape(titles.get(i, i))}" for i in ids[:6])
    if len(ids) > 6:
        listing += f"<br>… and {len(ids) - 6} more"
    route = "relayed hop" if edge[RELAYED] else "direct"
    source, target = (corpus.label(edge[k], codenames) for k in (SOURCE_NODE, TARGET_NODE))
    names = f"{escape(source)} → {escape(target)}"
    hover = f"<b>{names}</b><br>{count} message{'s' if count != 1 else ''} ({route})<br>{listing}"
    # '%{' would start a template field, so data text must not contain it.
    return hover.replace("%{", "% {") + "<extra></extra>"


def _arrowhead(trace: dict) -> dict:
    """An arrowhead two thirds of the way along an edge trace, pointing at its target."""
    tip = int(len(trace["x"]) * 0.68)
    return {
        "x": trace["x"][tip],
        "y": trace["y"][tip],
        "ax": trace["x"][tip - 3],
        "ay": trace["y"][tip - 3],
        "xref": "x",
        "yref": "y",
        "axref": "x",
        "ayref": "y",
        "text": "",
        "showarrow": True,
        "arrowhead": 2,
        "arrowsize": 1.1,
        "arrowwidth": min(max(trace["line"]["width"] * 0.9, 2), 5),
        "arrowcolor": trace["line"]["color"],
        "standoff": 0,
    }


def _curve(
    x0: float, y0: float, x1: float, y1: float, bend: float, steps: int = 14
) -> tuple[list[float], list[float]]:
    """Points on a quadratic Bezier from (x0, y0) to (x1, y1), bowed to the right."""
    mx, my = (x0 + x1) / 2, (y0 + y1) / 2
    dx, dy = x1 - x0, y1 - y0
    cx, cy = mx + bend * dy, my - bend * dx
    ts = [i / steps for i in range(steps + 1)]
    xs = [(1 - t) ** 2 * x0 + 2 * (1 - t) * t * cx + t**2 * x1 for t in ts]
    ys = [(1 - t) ** 2 * y0 + 2 * (1 - t) * t * cy + t**2 * y1 for t in ts]
    return xs, ys


# --- timeline ----------------------------------------------------------------------------


# --- the timeline's scale: marks or bins, rows, playback steps ----------------------------

# One mark per letter while the dates shown hold at most this many; beyond, counts per bin.
MOST_MARKS = 300
# With more senders than this, the busiest TOP_ROWS keep a row and the rest share one.
MOST_ROWS = 20
TOP_ROWS = 15
OTHERS_ROW = "\x00others"
# Bins across the dates shown, at most: a 1920 px screen gives each ten pixels or more.
MOST_BINS = 150
BIN_DAYS = {"day": 1, "week": 7, "month": 30.44, "year": 365.25, "decade": 3652.5}
# Playback walks day by day up to this many days shown, week by week up to PLAY_WEEKS_UP_TO,
# month by month up to PLAY_MONTHS_UP_TO, and year by year beyond: 150 to 500 steps at most.
PLAY_DAYS_UP_TO = 183
PLAY_WEEKS_UP_TO = 3 * 366
PLAY_MONTHS_UP_TO = 40 * 366


def bin_unit(start: date, end: date, most: int = MOST_BINS) -> str:
    """The finest of day, week, month, year or decade that splits [start, end] into at most
    `most` bins."""
    days = (end - start).days + 1
    return next((unit for unit, size in BIN_DAYS.items() if days / size <= most), "decade")


def bin_floor(days: pd.Series, unit: str) -> pd.Series:
    """The first day of the bin each day falls in; weeks start on Monday, decades in a year
    ending in 0."""
    days = days.dt.normalize()
    if unit == "day":
        return days
    if unit == "week":
        return days - pd.to_timedelta(days.dt.day_of_week, unit="D")
    if unit == "month":
        return days - pd.to_timedelta(days.dt.day - 1, unit="D")
    years = days.dt.year if unit == "year" else days.dt.year // 10 * 10
    return pd.to_datetime({"year": years, "month": 1, "day": 1})


def next_bin(begin: date, unit: str) -> date:
    """The first day of the bin after the one that starts (or contains) `begin`."""
    if unit == "day":
        return begin + timedelta(days=1)
    if unit == "week":
        return begin + timedelta(days=7)
    if unit == "month":
        return date(begin.year + begin.month // 12, begin.month % 12 + 1, 1)
    if unit == "year":
        return date(begin.year + 1, 1, 1)
    return date(begin.year // 10 * 10 + 10, 1, 1)


def timeline_rows(
    counts: Mapping[str, int], every: list[str], most: int = MOST_ROWS, top: int = TOP_ROWS
) -> tuple[list[str], int]:
    """The senders that get a row of their own, and how many more share the last row.

    Every sender of `every` while there are at most `most`; beyond, the `top` with the most
    letters in `counts` (ties by id, so a redraw does not shuffle them), busiest first, and
    OTHERS_ROW for everyone else with letters shown.
    """
    if len(every) <= most:
        return every, 0
    active = sorted((p for p, n in counts.items() if n > 0), key=lambda p: (-counts[p], p))
    if len(active) <= top + 1:
        return active, 0
    return [*active[:top], OTHERS_ROW], len(active) - top


def binned_counts(
    messages: pd.DataFrame, row_of_sender: Mapping[str, str], unit: str, start: date, end: date
) -> pd.DataFrame:
    """Letters per row and bin among the dated `messages` in [start, end]: columns row, first
    and last (the bin's days within [start, end]) and letters."""
    days = messages[DATE]
    inside = messages[days.notna() & (days >= pd.Timestamp(start)) & (days <= pd.Timestamp(end))]
    cells = pd.DataFrame(
        {
            "row": inside[SENDER].map(row_of_sender).fillna(OTHERS_ROW),
            "first": bin_floor(inside[DATE], unit),
        }
    )
    counted = cells.groupby(["row", "first"], sort=True).size().rename("letters").reset_index()
    counted["last"] = [
        min(next_bin(day.date(), unit) - timedelta(days=1), end) for day in counted["first"]
    ]
    counted["first"] = [max(day.date(), start) for day in counted["first"]]
    return counted[["row", "first", "last", "letters"]]


def playback_unit(start: date, end: date) -> str:
    """How far one playback step goes over [start, end]: a day, a week, a month or a year."""
    days = (end - start).days + 1
    if days <= PLAY_DAYS_UP_TO:
        return "day"
    if days <= PLAY_WEEKS_UP_TO:
        return "week"
    return "month" if days <= PLAY_MONTHS_UP_TO else "year"


def playback_step(day: date, start: date, end: date) -> tuple[date, date]:
    """The first and last day of the playback step holding `day`: weeks counted from `start`,
    months and years by the calendar, each cut to [start, end]."""
    unit = playback_unit(start, end)
    if unit == "week":
        first = start + timedelta(days=(day - start).days // 7 * 7)
        last = first + timedelta(days=6)
    elif unit == "day":
        first = last = day
    else:
        first = date(day.year, day.month if unit == "month" else 1, 1)
        last = next_bin(first, unit) - timedelta(days=1)
    return max(first, start), min(last, end)


# The right margin of a timeline, in px: the width of the chart's toolbar set upright.
TOOLBAR_COLUMN_PX = 36
# The twin of the timeline's date axis: traces against it stay out of the range strip.
OFF_STRIP = "x2"
# Binned, the strip's rows stand this far below the plot's (outside its fixed range), and
# count the whole period in at most this many bins across.
STRIP_SHIFT = 1000
STRIP_MOST_BINS = 60
# The range strip is 14% of the plot's height: 52 px in a 420 px chart (the embed's default;
# the page's is 460 px), 30 px in a narrow frame's 300 px.
STRIP_PX = 52
NARROW_STRIP_PX = 30


def strip_mark_px(data: list[dict]) -> float:
    """The widest mark the range strip draws, in px, with its outline: of the traces against
    the main date axis."""
    widest = 0.0
    for trace in data:
        marker = trace.get("marker")
        if trace.get("xaxis", "x") != "x" or not marker or "markers" not in trace.get("mode", ""):
            continue
        sizes = marker.get("size", 6)
        size = max(sizes) if isinstance(sizes, list) else sizes
        outline = marker.get("line", {}).get("width", 0)
        widest = max(widest, size + (max(outline) if isinstance(outline, list) else outline))
    return widest


def strip_range(
    rows: tuple[float, float], mark_px: float, strip_px: float = STRIP_PX
) -> list[float]:
    """The range strip's y range, reversed as the chart's is, for rows from `rows[0]` to
    `rows[1]`: half a row beyond each (for the marks of one day stacked in a row) and half a
    mark's width of `mark_px` beyond that, in a strip `strip_px` tall, so no mark is cut."""
    top, bottom = rows[0] - 0.5, rows[1] + 0.5
    room = max(strip_px - mark_px, strip_px / 4)
    margin = (bottom - top) * mark_px / 2 / room
    return [bottom + margin, top - margin]


def refit_strip(
    span: list[float], old: tuple[float, float], new: tuple[float, float]
) -> list[float]:
    """A strip range made by strip_range for (mark, strip) px `old`, made again for `new`."""
    centre, half = (span[0] + span[1]) / 2, (span[0] - span[1]) / 2
    (old_mark, old_px), (new_mark, new_px) = old, new
    rows_half = half * max(old_px - old_mark, old_px / 4) / old_px
    half = rows_half * new_px / max(new_px - new_mark, new_px / 4)
    return [centre + half, centre - half]


def sender_rows(corpus: Corpus) -> list[str]:
    """Timeline rows, one per sender in the whole corpus, grouped by side."""
    people = corpus.people_by_id
    senders = sorted(set(corpus.messages[SENDER]))
    return sorted(senders, key=lambda p: (people[p][SIDE], people[p][NAME]))


def timeline_spec(
    whole: Corpus,
    shown: Corpus,
    start: date,
    end: date,
    codenames: bool = False,
    day: date | None = None,
    lanes: dict[str, int] | None = None,
    short: bool = False,
    chosen: tuple[str, ...] = (),
) -> dict:
    """Every day of the period on one axis; each message a mark on its day, in its sender's row.

    `shown` is filtered by people and kind but not by date: the main axis zooms to
    [start, end] while the range slider below keeps the whole period in view to brush.
    Playback's `day` is a band over its step (a day, week, month or year: playback_step) with
    a line at its start, and the step's marks are ringed. The marks of the `chosen` messages,
    whose records are open, have a square round them.

    A view stays readable at any size: with more than MOST_MARKS letters in the dates shown
    they are counted per row and bin (bin_unit) instead, and with more than MOST_ROWS senders
    the busiest have rows and the rest share one (timeline_rows). A corpus too large to send
    whole draws the letters outside the dates shown as coarse bins, for the range slider.
    """
    first, last = whole.period
    messages = shown.messages
    # Counting needs two columns: taking every column of 10^5 rows costs more than the rest.
    dated_mask = messages[DATE].notna()
    view_mask = (
        dated_mask & (messages[DATE] >= pd.Timestamp(start)) & (messages[DATE] <= pd.Timestamp(end))
    )
    dated = messages.loc[dated_mask, [DATE, SENDER]]
    in_view = messages.loc[view_mask, [DATE, SENDER]]
    # A row for each sender of the messages filtered by person and kind: no empty rows.
    source = shown if not messages.empty else whole
    # Who sends, and who sends a dated letter, do not change with the dates shown: kept.
    every = list(source.memo("senders", lambda c: c.messages[SENDER].unique().tolist()))
    dated_senders = shown.memo(
        "dated senders",
        lambda c: c.messages.loc[c.messages[DATE].notna(), SENDER].unique().tolist(),
    )
    # Sorted by side and name only when each sender gets a row: a large corpus's thousands
    # of senders are ranked by their letters instead (timeline_rows).
    every = sender_rows(source) if len(every) <= MOST_ROWS else every
    rows, others = timeline_rows(in_view[SENDER].value_counts().to_dict(), every)
    if len(every) > MOST_ROWS and OTHERS_ROW not in rows:
        # Few senders in the dates shown, but the range slider's letters around them come
        # from many: those without a row of their own share one.
        folded = set(dated_senders) - set(rows)
        rows, others = ([*rows, OTHERS_ROW], len(folded)) if folded else (rows, others)
    lanes = event_lanes(whole.events) if lanes is None else lanes
    context_height = LANE_SPACING * max(lanes.values(), default=0)
    row_y = {p: context_height + 1 + i for i, p in enumerate(rows)}
    # Senders folded into the last row stand at its height.
    row_of = {p: row_y.get(p, row_y.get(OTHERS_ROW)) for p in dated_senders}
    row_of = {p: y for p, y in row_of.items() if y is not None}
    labels = [
        f"<i>others: {others:,} people</i>"
        if p == OTHERS_ROW
        else escape(whole.label(p, codenames, short))
        for p in rows
    ]
    binned = len(in_view) > MOST_MARKS
    has_context = int(not whole.events.empty)
    # The whole corpus as marks while it is small (the range slider shows them all);
    # a larger one sends marks for the dates shown only.
    whole_marks = len(dated) <= MOST_MARKS
    ticks = date_ticks(start, end)
    figure = _Spec(
        _base_layout(
            xaxis={
                "type": "date",
                "range": [_day_edge(start, -0.5), _day_edge(end, 0.5)],
                "rangeslider": {
                    "visible": True,
                    "range": [_day_edge(first.date(), -0.5), _day_edge(last.date(), 0.5)],
                    "thickness": 0.14,
                    "bgcolor": "#f3f3f3",
                },
                "showgrid": True,
                "gridcolor": "#ececec",
                "tickvals": [_day_edge(day, 0) for day in ticks],
                "ticktext": _tick_texts(ticks),
                "hoverformat": "%d %b %Y",
            },
            yaxis={
                # Plotly.py's template used to widen the margin for the names; dicts sent
                # straight to the page have no template, so ask for it here.
                "automargin": True,
                # A corpus without context events has no context row.
                "tickvals": [context_height / 2] * has_context + list(row_y.values()),
                "ticktext": [f"<i>{CONTEXT_ROW}</i>"] * has_context + labels,
                "range": [context_height + len(rows) + 0.7, -0.7 if has_context else 0.3],
                "fixedrange": True,
                "showgrid": True,
                "gridcolor": "#f2f2f2",
                "zeroline": False,
            },
            # At the left, clear of the chart's toolbar on the right; each entry as wide as its
            # words (plotly otherwise wraps a long legend into columns of the widest entry's).
            legend={
                "orientation": "h",
                "y": 1.02,
                "yanchor": "bottom",
                "x": 0,
                "xanchor": "left",
                "entrywidthmode": "pixels",
                "entrywidth": 0,
                # In one row: the side keys' group would otherwise stand in a column.
                "traceorder": "normal",
            },
            # What the range strip leaves out (the context lanes, the rings round the day's
            # marks and the open records') is drawn against this twin of the date axis.
            xaxis2={"type": "date", "overlaying": "x", "matches": "x", "visible": False},
            # The chart's toolbar stands in a column in the right margin: along the top, it
            # lay over the legend's end once the legend filled the plot's width (at a 1400 px
            # window, or in larger type), and a legend cannot be told to stop short of it.
            modebar={"orientation": "v"},
            margin={"l": 10, "r": TOOLBAR_COLUMN_PX, "t": 36, "b": 10},
            dragmode="zoom",
            hovermode="closest",
        )
    )
    _add_events(figure, shown.events, lanes, start, end)
    step = playback_step(day, start, end) if day is not None else None
    people = whole.people_by_id
    rows_of_sender = {p: p if p in row_y else OTHERS_ROW for p in row_of}

    def counted(unit: str, low: date, high: date) -> pd.DataFrame:
        # Kept with `shown` for the next requests: a playback tick moves the day only.
        return shown.recent(
            "timeline cells",
            (unit, low, high, tuple(rows)),
            lambda: binned_counts(dated, rows_of_sender, unit, low, high),
        )
    # Binned, the range strip has rows of its own, below the plot's range: the view's squares
    # stay out of it (a strip that drew them again doubled the browser's work), and it shows
    # the whole period in coarse squares instead, those of the dates shown in full colour.
    strip_y = {p: y + STRIP_SHIFT for p, y in row_y.items()} if binned else row_y
    if not whole_marks:
        # Context for the range slider: the letters before and after the dates shown (and,
        # binned, within them), counted in bins sized for the whole period.
        unit = bin_unit(first.date(), last.date(), STRIP_MOST_BINS)
        windows = [
            (first.date(), start - timedelta(days=1), True),
            (end + timedelta(days=1), last.date(), True),
        ]
        if binned:
            windows.append((start, end, False))
        for low, high, faint in windows:
            _add_cells(
                figure,
                counted(unit, low, high),
                strip_y,
                whole,
                codenames,
                unit,
                first.date(),
                last.date(),
                None,
                faint=faint,
                strip=True,
            )
    records = (
        [] if binned else messages[dated_mask if whole_marks else view_mask].to_dict("records")
    )
    if binned:
        unit = bin_unit(start, end)
        cells = counted(unit, start, end)
        labels_of = dict(zip(rows, labels, strict=True))
        _add_cells(figure, cells, row_y, whole, codenames, unit, start, end, step, labels_of)
        figure.add_trace(
            _legend_entry(
                f"letters per {unit}: larger and darker, more (against the row's busiest)",
                "square",
                "#3b6ea5",
            )
        )
    # Several messages in one row on one day sit side by side in the row.
    same_day: dict[tuple[float, object], list[str]] = {}
    for row in records:
        same_day.setdefault((row_of[row[SENDER]], row[DATE]), []).append(row[MESSAGE_ID])
    _add_spans(figure, records, row_of, same_day, people)
    # A trace for each kind of date the corpus has: none for one it never uses.
    certainties = set(whole.memo("certainties", lambda c: c.messages[DATE_CERTAINTY].unique()))
    for certainty, symbol in () if binned else CERTAINTY_SYMBOL.items():
        if certainty not in certainties:
            continue
        part = [row for row in records if row[DATE_CERTAINTY] == certainty]
        colours = [side_style(people[row[SENDER]][SIDE])[0] for row in part]
        figure.add_trace(
            _scatter(
                x=[row[DATE] for row in part],
                y=[row_of[row[SENDER]] + _stack_offset(row, same_day, row_of) for row in part],
                mode="markers",
                name=CERTAINTY_LABEL[certainty],
                marker={
                    "symbol": symbol,
                    "size": 17,
                    "color": colours,
                    "line": {"width": 2.5, "color": colours},
                },
                customdata=[["message", row[MESSAGE_ID]] for row in part],
                hovertext=[_message_hover(whole, row, codenames) for row in part],
                hovertemplate="%{hovertext}<extra></extra>",
                showlegend=False,
            )
        )
    if not binned:
        _add_timeline_key(
            figure,
            sorted({people[p][SIDE] for p in rows if p != OTHERS_ROW}),
            certainties,
        )
    if step is not None:
        lit = [row for row in records if step[0] <= row[DATE].date() <= step[1]]
        # Binned, the bins of the step are ringed (_add_cells), not letters.
        _mark_day(figure, step, None if binned else lit, row_of, same_day)
    opened = [row for row in records if row[MESSAGE_ID] in chosen and row[SENDER] in row_of]
    if opened:
        figure.add_trace(
            _scatter(
                x=[row[DATE] for row in opened],
                y=[row_of[row[SENDER]] + _stack_offset(row, same_day, row_of) for row in opened],
                mode="markers",
                name=CHOSEN_LABEL,
                marker={"symbol": "square-open", "size": 30, "color": INK, "line": {"width": 3}},
                hoverinfo="skip",
                showlegend=False,
                xaxis=OFF_STRIP,
            )
        )
    # The strip shows the senders' rows only (its own, binned), each mark whole.
    strip_rows = (min(strip_y.values()), max(strip_y.values()))
    figure.layout["xaxis"]["rangeslider"]["yaxis"] = {
        "rangemode": "fixed",
        "range": strip_range(strip_rows, strip_mark_px(figure.data)),
    }
    if in_view.empty:
        figure.say(no_messages_text(start, end), y=0.55)
    if short:
        # A chart too small for full names has no room for event titles either (tap for
        # them), nor for a legend in large type.
        figure.data = [without_title(trace) for trace in figure.data]
        figure.layout["legend"]["font"] = {"size": 14}
    return figure.spec()


# What the shape of a timeline mark says, in the legend.
# Short: plotly wraps a long legend into columns as wide as its widest entry.
CERTAINTY_KEY = {
    "exact": "exact date",
    "approximate": "hollow: approx. date",
    "uncertain": "hollow □: uncertain date",
    "unknown": "hollow ◇: date unknown",
}


SIDE_KEY_GROUP = "side key"


def _add_timeline_key(figure: _Spec, sides: list[str], certainties: set[str]) -> None:
    """Legend entries that say what a mark encodes: its colour the sender's side, its shape
    how sure the date is. Each entry is a key of its own; the marks' traces have none."""
    for side in sides:
        entry = _legend_entry(escape(side or "other"), "circle", side_style(side)[0])
        figure.add_trace({**entry, "legendgroup": SIDE_KEY_GROUP})
    # A key for each kind of date the corpus has, even when none is in view.
    for certainty, symbol in CERTAINTY_SYMBOL.items():
        if certainty in certainties:
            figure.add_trace(_legend_entry(CERTAINTY_KEY[certainty], symbol, MUTED))


def _legend_entry(name: str, symbol: str, colour: str) -> dict:
    return _scatter(
        x=[None],
        y=[None],
        mode="markers",
        name=name,
        marker={
            "symbol": symbol,
            "size": 13,
            "color": colour,
            "line": {"width": 2.5, "color": colour},
        },
        hoverinfo="skip",
        showlegend=True,
    )


def date_ticks(start: date, end: date) -> list[date]:
    """Days to tick on the timeline's axis: every day of a short span, weeks, half months or
    months of longer ones; beyond a year, every so many months or years, a dozen ticks at most."""
    days = (end - start).days
    if days <= 100:
        every = pd.date_range(start, end, freq="D").date
        if days < SHORT_RANGE_DAYS:
            return list(every)
        if days <= 45:
            return list(every[::7])
        return [day for day in every if day.day in (1, 15)] or [start]
    for months in (1, 2, 3, 6, 12, 24, 60, 120, 240, 600, 1200):
        if days / 30.44 / months <= MOST_TICKS:
            break
    index = start.year * 12 + start.month - 1
    index = -(-index // months) * months
    ticks = []
    while True:
        day = date(index // 12, index % 12 + 1, 1)
        if day > end:
            return ticks or [start]
        if day >= start:
            ticks.append(day)
        index += months


def _tick_texts(ticks: list[date]) -> list[str]:
    """'1 Feb', with the year on the first tick and on each January's; only the year when
    every tick falls on a 1 January."""
    if len(ticks) > 1 and all((day.month, day.day) == (1, 1) for day in ticks):
        return [f"{day.year}" for day in ticks]
    return [
        _tick_text(day, i == 0 or (day.month, day.day) == (1, 1)) for i, day in enumerate(ticks)
    ]


def _tick_text(day: date, first: bool) -> str:
    """'1 Feb'; the first tick also names the year, as plotly's own ticks would."""
    return f"{day.day} {day:%b}" + (f" {day:%Y}" if first else "")


def _mark_day(
    figure: _Spec,
    step: tuple[date, date],
    rows: list[dict] | None,
    row_of: dict[str, float],
    same_day: dict[tuple[float, object], list[str]],
) -> None:
    """Playback's step (a day, or the week, month or year it walks by): a band behind the
    marks, a line at its first day, a ring round each of its marks."""
    common = {"type": "line", "xref": "x", "yref": "paper", "y0": 0, "y1": 1}
    figure.add_shape(
        **{**common, "type": "rect"},
        x0=_day_edge(step[0], -0.5),
        x1=_day_edge(step[1], 0.5),
        fillcolor=HIGHLIGHT,
        opacity=0.35,
        line={"width": 0},
        layer="below",
    )
    figure.add_shape(
        **common,
        x0=_day_edge(step[0], 0),
        x1=_day_edge(step[0], 0),
        line={"color": INK, "width": 2},
    )
    if rows is None:
        return
    figure.add_trace(
        _scatter(
            x=[row[DATE] for row in rows] or [None],
            y=[row_of[row[SENDER]] + _stack_offset(row, same_day, row_of) for row in rows]
            or [None],
            mode="markers",
            name=LIT_LABEL,
            marker={"symbol": "circle-open", "size": 28, "color": INK, "line": {"width": 3}},
            hoverinfo="skip",
            showlegend=True,
            xaxis=OFF_STRIP,
        )
    )


def _stack_offset(
    row: Mapping, same_day: dict[tuple[float, object], list[str]], row_of: dict[str, float]
) -> float:
    """How far a mark sits from its row's centre, so same-day messages do not hide each other."""
    group = same_day[(row_of[row[SENDER]], row[DATE])]
    return (group.index(row[MESSAGE_ID]) - (len(group) - 1) / 2) * 0.28


# Shades of the bins, light to dark: how many letters a bin holds, with its size.
BIN_SHADES = [[0, "#c6dbef"], [0.5, "#4a86bf"], [1, "#08306b"]]


def _add_cells(
    figure: _Spec,
    cells: pd.DataFrame,
    row_y: dict[str, float],
    whole: Corpus,
    codenames: bool,
    unit: str,
    start: date,
    end: date,
    step: tuple[date, date] | None,
    labels: dict[str, str] | None = None,
    faint: bool = False,
    strip: bool = False,
) -> None:
    """Letters counted per row and bin: a square in the middle of the bin's days, whose hover
    says how many and when and whose click shows those dates (its customdata also carries the
    count). `strip` ones are for the range slider (the others stay out of it); `faint` ones
    stand outside the dates shown.

    A square is as large and dark as its count against the busiest bin of its own row: the
    row of others, many people together, would otherwise shrink every named row to dots."""
    if cells.empty:
        return
    across = ((end - start).days + 1) / BIN_DAYS[unit]
    # A bin's square fits the bin's width on a plot about 1400 px wide.
    largest = min(22.0, max(7.0, 1400 / across * 0.9))
    # Sizes and shades to a precision the eye can tell apart: a long view sends thousands.
    share = (cells["letters"] / cells.groupby("row")["letters"].transform("max")).round(3)
    sizes = [round(4 + (largest - 4) * math.sqrt(part), 1) for part in share]
    share = share.tolist()
    names = labels or {}
    xs = [
        _day_edge(low, (high - low).days / 2)
        for low, high in zip(cells["first"], cells["last"], strict=True)
    ]
    ys = [row_y[row] for row in cells["row"]]
    marker = {
        "symbol": "square",
        "colorscale": BIN_SHADES,
        "cmin": 0,
        "cmax": 1,
        "opacity": 0.5 if faint else 1,
        "line": {"width": 0},
    }
    name = f"letters per {unit}" + (" (range strip)" if strip else "")
    counts = cells["letters"].tolist()
    dates = [
        f"{low.isoformat()}/{high.isoformat()}"
        for low, high in zip(cells["first"], cells["last"], strict=True)
    ]
    if strip:
        # The strip shows no hover: its squares carry their dates and counts, nothing more.
        figure.add_trace(
            _scatter(
                x=xs,
                y=ys,
                mode="markers",
                name=name,
                marker={**marker, "size": sizes, "color": share},
                customdata=[["bin", d, n] for d, n in zip(dates, counts, strict=True)],
                hoverinfo="skip",
                showlegend=False,
            )
        )
    else:
        # A trace a row: what all its squares say alike (whose they are, that a click
        # narrows the dates) is said once, in its hover template, not once a square.
        spans = [
            describe_span(low, high)
            for low, high in zip(cells["first"], cells["last"], strict=True)
        ]
        click = "" if faint else "<br>Click to show these dates"
        for row, places in cells.groupby("row", sort=False).indices.items():
            who = names.get(row) or (
                "others" if row == OTHERS_ROW else escape(whole.label(row, codenames))
            )
            figure.add_trace(
                _scatter(
                    x=[xs[i] for i in places],
                    y=[ys[i] for i in places],
                    mode="markers",
                    name=name,
                    marker={
                        **marker,
                        "size": [sizes[i] for i in places],
                        "color": [share[i] for i in places],
                    },
                    customdata=[
                        ["bin", dates[i], counts[i], "letter" if counts[i] == 1 else "letters"]
                        for i in places
                    ],
                    text=[spans[i] for i in places],
                    meta=who,
                    hovertemplate="<b>%{customdata[2]:,} %{customdata[3]}</b><br>%{text}"
                    "<br>%{meta}" + click + "<extra></extra>",
                    showlegend=False,
                    xaxis=OFF_STRIP,
                )
            )
    if step is not None:
        lit = (cells["first"] <= step[1]) & (cells["last"] >= step[0])
        figure.add_trace(
            _scatter(
                x=[x for x, on in zip(xs, lit, strict=True) if on] or [None],
                y=[y for y, on in zip(ys, lit, strict=True) if on] or [None],
                mode="markers",
                name=LIT_LABEL,
                marker={
                    "symbol": "square-open",
                    "size": [s + 10 for s, on in zip(sizes, lit, strict=True) if on] or 10,
                    "color": INK,
                    "line": {"width": 2.5},
                },
                hoverinfo="skip",
                showlegend=True,
                xaxis=OFF_STRIP,
            )
        )


def _add_spans(
    figure: _Spec,
    records: list[dict],
    row_of: dict[str, float],
    same_day: dict[tuple[float, object], list[str]],
    people: dict[str, dict],
) -> None:
    """A letter dated by a month, a year or a span: a line across the days it may have been
    written on, behind its mark (an open span reaches from its known end to the mark)."""
    xs: list = []
    ys: list = []
    colours = set()
    for row in records:
        if row[DATE_PRECISION] in ("", "day") or row[SENDER] not in row_of:
            continue
        low = row[DATE_FROM] if pd.notna(row[DATE_FROM]) else row[DATE]
        high = row[DATE_TO] if pd.notna(row[DATE_TO]) else row[DATE]
        if low == high:
            continue
        y = row_of[row[SENDER]] + _stack_offset(row, same_day, row_of)
        xs.extend([_day_edge(low.date(), -0.5), _day_edge(high.date(), 0.5), None])
        ys.extend([y, y, None])
        colours.add(side_style(people[row[SENDER]][SIDE])[0])
    if xs:
        figure.add_trace(
            _scatter(
                x=xs,
                y=ys,
                mode="lines",
                name="dated by a span",
                line={"width": 3, "color": colours.pop() if len(colours) == 1 else "#8a8a8a"},
                opacity=0.45,
                hoverinfo="skip",
                showlegend=True,
            )
        )


def _day_edge(day: date, shift: float) -> str:
    moment = pd.Timestamp(day) + timedelta(days=shift)
    return moment.strftime("%Y-%m-%d %H:%M")


def _message_hover(corpus: Corpus, row: Mapping, codenames: bool) -> str:
    when = date_words(row)
    lines = [
        f"<b>{escape(row[TITLE] or row[MESSAGE_ID])}</b>",
        when,
        escape(corpus.route(row, codenames)),
    ]
    if row[KIND]:
        lines.append(escape(row[KIND]))
    return "<br>".join(lines)


def event_lanes(
    events: pd.DataFrame, days_per_char: float = LABEL_DAYS_PER_CHAR
) -> dict[str, int]:
    """A lane in the context row for each event, so no two events or labels overlap, each
    character of a label taking `days_per_char` of the axis.

    Greedy by start date: an event takes the first lane free from its start, and holds it to
    its end or to the end of its label, whichever is later.
    """
    lanes: dict[str, int] = {}
    free_from: list[pd.Timestamp] = []
    for event in events.sort_values([START, EVENT_ID]).to_dict("records"):
        finish = event[END] if pd.notna(event[END]) else event[START]
        label_end = event[START] + pd.Timedelta(days=len(event[TITLE]) * days_per_char)
        held_until = max(finish, label_end)
        lane = next((i for i, day in enumerate(free_from) if day < event[START]), len(free_from))
        if lane == len(free_from):
            free_from.append(held_until)
        else:
            free_from[lane] = held_until
        lanes[event[EVENT_ID]] = lane
    return lanes


def _add_events(
    figure: _Spec,
    events: pd.DataFrame,
    lanes: dict[str, int],
    shown_from: date | None = None,
    shown_to: date | None = None,
) -> None:
    """Context events in their lanes, labelled; short spans are also shaded behind the marks.

    A span that began before `shown_from` (the first day shown) and lasts into it carries its
    label from that day, where it can be read. An event outside the days shown has no label
    (it would be cut at the plot's edge); one near `shown_to` ends its label at its marker."""
    for event in events.to_dict("records"):
        finish = event[END] if pd.notna(event[END]) else event[START]
        length = (finish - event[START]).days
        if pd.notna(event[END]) and length <= LONGEST_SHADED_SPAN_DAYS:
            figure.add_shape(
                type="rect",
                xref="x",
                yref="paper",
                x0=_day_edge(event[START].date(), -0.5),
                x1=_day_edge(finish.date(), 0.5),
                y0=0,
                y1=1,
                fillcolor="#e9e4d8",
                opacity=0.55,
                line={"width": 0},
                layer="below",
            )
        elif pd.isna(event[END]):
            figure.add_shape(
                type="line",
                xref="x",
                yref="paper",
                x0=event[START],
                x1=event[START],
                y0=0,
                y1=1,
                line={"color": "#b5a98a", "width": 1.5, "dash": "dot"},
                layer="below",
            )
        lane_y = lanes.get(event[EVENT_ID], 0) * LANE_SPACING
        label_at = event[START]
        if shown_from is not None and event[START] < pd.Timestamp(shown_from) <= finish:
            label_at = pd.Timestamp(shown_from)
        points = sorted({event[START], label_at, finish})
        title = escape(event[TITLE])
        position = "middle right"
        if shown_from is not None and shown_to is not None:
            first, last = pd.Timestamp(shown_from), pd.Timestamp(shown_to)
            if not first <= label_at <= last:
                title = ""
            elif label_at + (last - first) * _label_share(event[TITLE]) > last:
                position = "middle left"
        figure.add_trace(
            _scatter(
                x=points,
                y=[lane_y] * len(points),
                mode="lines+markers+text",
                line={"color": "#d9ceb0", "width": 10},
                marker={
                    "symbol": "triangle-right",
                    "size": [12] + [0] * (len(points) - 1),
                    "color": "#7a6a40",
                },
                text=[title if p == label_at else "" for p in points],
                textposition=position,
                textfont={"size": 12, "color": "#4a4030"},
                customdata=[["event", event[EVENT_ID]]] * len(points),
                hovertext=[_event_hover(event)] * len(points),
                hovertemplate="%{hovertext}<extra></extra>",
                showlegend=False,
                name=escape(event[TITLE]),
                xaxis=OFF_STRIP,
            )
        )


def _label_share(title: str) -> float:
    """The share of the axis an event's label may take: at most a 1280 px chart's in the
    presentation look's 22 px type (labels of a narrower chart are dropped by narrow_look)."""
    return (len(title) * 22 * CHAR_EM + 16) / 1100


def _event_hover(event: Mapping) -> str:
    when = f"{event[START]:%d %b %Y}"
    if pd.notna(event[END]):
        when += f" - {event[END]:%d %b %Y}"
    if event[DATE_CERTAINTY] != "exact":
        when += f" ({CERTAINTY_LABEL[event[DATE_CERTAINTY]]})"
    category = f" · {escape(event[CATEGORY])}" if event[CATEGORY] else ""
    return f"<b>{escape(event[TITLE])}</b><br>{when}{category}<br>{_wrap(escape(event[SUMMARY]))}"


def _wrap(text: str, width: int = 60) -> str:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "<br>".join([*lines, line])


# --- copy flow -----------------------------------------------------------------------------

# A telegram's label in the flow is wrapped to lines of at most this many characters. Its
# column's labels stand right of it, in the half of the chart where the recipients' names
# stand left of theirs: on one line, a title reached those names in charts narrower than
# about 1,100 px (in 800 px embeds and in the kiosk's playback).
MESSAGE_LABEL_CHARS = 26
SENT_THIS_DAY = "(sent this day)"


def flow_spec(
    whole: Corpus,
    shown: Corpus,
    start: date,
    end: date,
    codenames: bool = False,
    lit: frozenset[str] | None = None,
    short: bool = False,
    chosen: tuple[str, ...] = (),
) -> dict:
    """Sankey: sender -> message -> member; link width is the number of distribution copies.

    During playback `lit` holds the day's messages: their copies are drawn strong and their
    message is labelled as sent that day; the others fade. None when nothing plays.
    `short` labels people by short names and messages by their day only (the full label
    shows on hover), for a chart too narrow for titles.
    """
    table = shown.copy_counts()
    if table.empty:
        return empty_spec(no_messages_text(start, end, "distribution copies recorded"))
    people = whole.people_by_id
    messages = whole.messages_by_id
    senders = sorted(set(table[SENDER]))
    message_ids = list(dict.fromkeys(table[MESSAGE_ID]))
    totals = table.groupby(MEMBER)[COPIES].sum()
    members = sorted(set(table[MEMBER]), key=lambda m: (-totals[m], m))

    def member_label(member: str, short: bool = False) -> str:
        # By the names the toggle asks for, like the senders and the caption under the chart.
        label = whole.label(member, codenames, short)
        return label if people[member][POLITBURO] else f"{label} (not in Politburo)"

    def message_label(message: str, short: bool = False) -> str:
        day = f"{messages[message][DATE]:%d %b}"
        label = day if short else f"{day}: {messages[message][TITLE] or message}"
        return label + (f" {SENT_THIS_DAY}" if message in (lit or ()) else "")

    def drawn_message_label(message: str, short: bool) -> str:
        # Wrapped: the telegrams' names stand right of their column, in the half of the chart
        # where the recipients' names stand left of theirs.
        day = f"{messages[message][DATE]:%d %b}"
        label = day if short else f"{day}: {messages[message][TITLE] or message}"
        lines = [_wrap(escape(label), MESSAGE_LABEL_CHARS)]
        if message in (lit or ()):
            lines.append(SENT_THIS_DAY)
        return "<br>".join(lines)

    def all_labels(short: bool) -> list[str]:
        return (
            [whole.label(s, codenames, short) for s in senders]
            + [message_label(m, short) for m in message_ids]
            + [member_label(m, short) for m in members]
        )

    labels = all_labels(short=False)
    drawn_labels = (
        [escape(whole.label(s, codenames, short)) for s in senders]
        + [drawn_message_label(m, short) for m in message_ids]
        + [escape(member_label(m, short)) for m in members]
    )
    colours = (
        [side_style(people[s][SIDE])[0] for s in senders]
        + ["#7f7f7f"] * len(message_ids)
        + [side_style(people[m][SIDE])[0] if people[m][POLITBURO] else "#cfcfcf" for m in members]
    )
    index = {key: i for i, key in enumerate([*senders, *message_ids, *members])}
    per_message = table.groupby([SENDER, MESSAGE_ID], sort=False)[COPIES].sum().reset_index()
    sources = [index[s] for s in per_message[SENDER]] + [index[m] for m in table[MESSAGE_ID]]
    targets = [index[m] for m in per_message[MESSAGE_ID]] + [index[m] for m in table[MEMBER]]
    values = [int(v) for v in per_message[COPIES]] + [int(v) for v in table[COPIES]]
    link_messages = list(per_message[MESSAGE_ID]) + list(table[MESSAGE_ID])
    link_text = [
        f"{escape(labels[s])} → {escape(labels[t])}: {v} cop{'y' if v == 1 else 'ies'}"
        for s, t, v in zip(sources, targets, values, strict=True)
    ]
    node_kinds = (
        ["person"] * len(senders) + ["message"] * len(message_ids) + ["member"] * len(members)
    )
    node_keys = [*senders, *message_ids, *members]
    # The top margin keeps the chart's toolbar off the first member's name.
    figure = _Spec(_base_layout(margin={"l": 10, "r": 10, "t": 30, "b": 10}))
    figure.add_trace(
        dict(
            type="sankey",
            arrangement="fixed",
            node={
                "label": drawn_labels,
                "color": colours,
                "pad": 18,
                "thickness": 22,
                "line": {"color": "#333", "width": 0.6},
                # The full label rides along for the hover, where short labels are shown.
                "customdata": [
                    [kind, key, escape(label)]
                    for kind, key, label in zip(node_kinds, node_keys, labels, strict=True)
                ],
                "hovertemplate": "%{customdata[2]}<br>%{value} copies<extra></extra>",
            },
            link={
                "source": sources,
                "target": targets,
                "value": values,
                "customdata": [["message", m] for m in link_messages],
                "label": link_text,
                "hovertemplate": "%{label}<extra></extra>",
                "color": [
                    "rgba(26, 26, 26, 0.8)"
                    if m in chosen
                    else "rgba(138, 59, 18, 0.75)"
                    if lit and m in lit
                    else "rgba(120, 120, 120, 0.2)"
                    if lit is not None
                    else "rgba(120, 120, 120, 0.35)"
                    for m in link_messages
                ],
            },
        )
    )
    return figure.spec()


def faded_flow_spec(
    whole: Corpus, sentence: str, codenames: bool = False, short: bool = False
) -> dict:
    """Every copy of the corpus, faded and not clickable, under a sentence saying why: for a
    screen that must not stand empty when the dates shown have no copies (the kiosk's story)."""
    first, last = (day.date() for day in whole.period)
    spec = flow_spec(whole, whole, first, last, codenames, short=short)
    if not spec["data"]:
        return spec
    sankey = dict(spec["data"][0])
    sankey["node"] = {**sankey["node"], "color": "#d6d6d6", "line": {"color": "#bbbbbb"}}
    sankey["link"] = {**sankey["link"], "color": "rgba(160, 160, 160, 0.18)"}
    sankey["textfont"] = {"color": MUTED}
    sankey["hoverinfo"] = "skip"
    sankey["node"]["hoverinfo"] = sankey["link"]["hoverinfo"] = "skip"
    figure = _Spec(dict(spec["layout"]))
    figure.add_trace(sankey)
    figure.add_annotation(
        text=_wrap(escape(sentence), 44),
        x=0.5,
        y=0.5,
        xref="paper",
        yref="paper",
        showarrow=False,
        font={"size": 18, "color": "#333"},
        bgcolor="rgba(255,255,255,0.92)",
    )
    return figure.spec()


def flow_click_targets(whole: Corpus, shown: Corpus) -> tuple[list, list]:
    """The (kind, key) of each node and each link of the flow, in the order plotly numbers them.

    Dash reports a Sankey click by its point number only, so the click is resolved against
    the same figure the page drew.
    """
    first, last = whole.period
    spec = flow_spec(whole, shown, first.date(), last.date())
    if not spec["data"]:
        return [], []
    sankey = spec["data"][0]
    nodes = [data[:2] for data in sankey["node"]["customdata"]]
    return nodes, list(sankey["link"]["customdata"])


# --- looks ---------------------------------------------------------------------------------


def presentation_look(spec: dict) -> dict:
    """Large type, black ink and thick lines for a projector; returns a new figure spec."""
    layout = {**spec["layout"], "font": {**spec["layout"].get("font", {}), "size": 22}}
    layout["font"]["color"] = "#000000"
    layout["hoverlabel"] = {**layout.get("hoverlabel", {}), "font": {"size": 20}}
    data = []
    for trace in spec["data"]:
        trace = dict(trace)
        if trace.get("type") == "sankey":
            trace["textfont"] = {"size": 20, "color": "#000000"}
        else:
            if trace.get("line", {}).get("width"):
                trace["line"] = {**trace["line"], "width": trace["line"]["width"] * 1.8}
            if trace.get("textfont", {}).get("size"):
                trace["textfont"] = {**trace["textfont"], "size": 22}
        data.append(trace)
    return {"data": data, "layout": layout}


# Average advance of a character of the chart's type, as a share of its size, generous for
# the wide fallback fonts a machine without Inter draws with.
CHAR_EM = 0.62


def described_look(
    spec: dict,
    title: str,
    subtitle: str,
    citation: str,
    width_px: int,
    height_px: int,
    static: bool = True,
) -> dict:
    """A chart that says what it is, for a file that leaves the page: the chart's title and
    the dates and filters shown above it, with the legend under them, over the plot, and the
    citation under it; wrapped to `width_px`, with the margins of a `height_px` tall image
    grown to hold them. A `static` image has no range slider to drag. Returns a new figure
    spec."""
    layout = dict(spec["layout"])
    size = layout.get("font", {}).get("size", 14)
    small = max(round(size * 0.8), 10)
    margin = {"l": 10, "r": 10, "t": 10, "b": 10, **layout.get("margin", {})}
    # Row names widen the left margin (automargin); the texts start where the plot does.
    names = layout.get("yaxis", {}).get("ticktext") or [""]
    names_px = max(len(str(name)) for name in names) * size * CHAR_EM
    usable = max(width_px - margin["l"] - margin["r"] - names_px, 120)
    per_line = max(int(usable / (small * CHAR_EM)), 20)
    sub_lines = _wrap(escape(subtitle), per_line)
    cite_lines = _wrap(escape(citation), per_line)
    line_px = small * 1.3
    heading_px = round(size * 1.7 + line_px * (sub_lines.count("<br>") + 1)) + 16
    legend_px = 0
    if layout.get("showlegend", True) and "legend" in layout:
        # A trace has a legend entry unless it says otherwise (the network's keys do not say).
        keyed = [t.get("name", "") for t in spec["data"] if t.get("showlegend", True)]
        legend_size = layout["legend"].get("font", {}).get("size", size)
        wanted = sum(len(name) * legend_size * CHAR_EM + 44 for name in keyed)
        legend_px = math.ceil(wanted / usable) * round(legend_size * 1.5 + 4) + 4
        layout["legend"] = {
            "orientation": "h",
            "font": {"size": legend_size},
            "itemclick": False,
            "itemdoubleclick": False,
            "entrywidthmode": "pixels",
            "entrywidth": 0,
            # In the chart's own order (the timeline's side keys would stand in a column).
            "traceorder": layout["legend"].get("traceorder", "normal"),
            "x": 0,
            "xanchor": "left",
            # Hung from the heading: names that reach above the plot keep their own room.
            "yref": "container",
            "y": 1 - (10 + heading_px) / height_px,
            "yanchor": "top",
        }
    # A date axis draws its tick labels under the plot, in the bottom margin.
    ticks_px = round(size * 1.8) if layout.get("xaxis", {}).get("type") == "date" else 0
    cite_px = round(line_px * (cite_lines.count("<br>") + 1)) + 10
    layout["title"] = {
        "text": f"<b>{escape(title)}</b><br><span style='font-size:{small}px'>{sub_lines}</span>",
        "font": {"size": size + 3},
        "x": 0,
        "xref": "paper",
        "xanchor": "left",
        "y": 1,
        "yref": "container",
        "yanchor": "top",
        # Plotly sets a many-line title's first baseline at the pad: room for its capitals.
        "pad": {"t": size + 8},
    }
    # The network's names reach past its plot, into the room its margins keep for them.
    names_out = any(
        t.get("cliponaxis") is False and "text" in t.get("mode", "") for t in spec["data"]
    )
    top = 10 + heading_px + legend_px + (margin["t"] if names_out else 0)
    bottom = 10 + (0 if legend_px and not names_out else margin["b"] - 10) + ticks_px
    layout["margin"] = {**margin, "t": top, "b": bottom + cite_px}
    layout["annotations"] = [
        *layout.get("annotations", []),
        {
            "text": cite_lines,
            "xref": "paper",
            "yref": "paper",
            "x": 0,
            "y": 0,
            "xanchor": "left",
            "yanchor": "top",
            "align": "left",
            # Under whatever stands below the plot (an axis's ticks).
            "yshift": -bottom,
            "showarrow": False,
            "font": {"size": small, "color": "#333333"},
        },
    ]
    if static and "rangeslider" in layout.get("xaxis", {}):
        layout["xaxis"] = {**layout["xaxis"], "rangeslider": {"visible": False}}
    return {"data": spec["data"], "layout": layout}


def is_event_trace(trace: dict) -> bool:
    """Whether a timeline trace draws a context event (rather than messages)."""
    customdata = trace.get("customdata") or [[None]]
    return customdata[0][0] == "event"


def without_title(trace: dict) -> dict:
    """A context event's trace with its lane and marker but not its title (shown on tap)."""
    return {**trace, "mode": "lines+markers"} if is_event_trace(trace) else trace


def narrow_look(spec: dict, view: str) -> dict:
    """Small type, smaller marks and no words that cannot fit, for a chart in a narrow frame
    (a phone, or an embed a few hundred pixels wide); returns a new figure spec."""
    layout = {**spec["layout"], "font": {**spec["layout"].get("font", {}), "size": NARROW_FONT_PX}}
    layout["hoverlabel"] = {**layout.get("hoverlabel", {}), "font": {"size": NARROW_FONT_PX + 1}}
    layout["annotations"] = [
        {**a, "font": {**a["font"], "size": 14}} if a.get("font") else a
        for a in layout.get("annotations", [])
    ]
    # Touch screens show the chart's toolbar at all times, along its top right, with buttons a
    # fingertip tall on a phone: room for it above the timeline and the flow.
    if view == "network":
        # Colour and shape still tell the side, and a tap on a person names it.
        layout["showlegend"] = False
        layout["margin"] = {"l": 4, "r": 4, "t": 4, "b": 4}
    elif view == "timeline":
        # Under the chart, from the frame's left edge, where the toolbar is not.
        layout["legend"] = {
            **layout["legend"],
            "font": {"size": 10},
            "itemwidth": 30,
            "xref": "container",
            "x": 0,
            "yref": "container",
            "y": 0,
            "yanchor": "bottom",
        }
        layout["margin"] = {**layout["margin"], "l": 4, "r": 8, "t": TOUCH_TOOLBAR_PX, "b": 44}
        # The legend went under the chart: the toolbar lies along the top, in the room kept.
        layout["modebar"] = {**layout.get("modebar", {}), "orientation": "h"}
    elif view == "flow":
        layout["margin"] = {**layout["margin"], "t": TOUCH_TOOLBAR_PX}
    data = []
    for trace in spec["data"]:
        trace = dict(trace)
        if trace.get("type") == "sankey":
            trace["node"] = {**trace["node"], "pad": 8, "thickness": 14}
            trace["textfont"] = {**trace.get("textfont", {}), "size": NARROW_FONT_PX}
        elif is_event_trace(trace):
            # Event titles would pile up on a narrow axis; the lanes stay, titles show on tap.
            trace = without_title(trace)
        elif trace.get("legendgroup") == SIDE_KEY_GROUP:
            # As in the narrow network, colour and shape tell the side without a key: the
            # legend keeps to the dates, in rows the narrow frame has room for.
            trace = {**trace, "showlegend": False}
        else:
            if trace.get("textfont", {}).get("size"):
                trace["textfont"] = {**trace["textfont"], "size": NARROW_FONT_PX}
            marker = trace.get("marker", {})
            if isinstance(marker.get("size"), list):
                trace["marker"] = {**marker, "size": [size * 0.65 for size in marker["size"]]}
            elif marker.get("size"):
                trace["marker"] = {**marker, "size": marker["size"] * 0.75}
        data.append(trace)
    strip = layout.get("xaxis", {}).get("rangeslider", {}).get("yaxis", {})
    if "range" in strip:
        # Smaller marks in a lower strip: the strip's rows are spaced for them again.
        span = refit_strip(
            strip["range"],
            (strip_mark_px(spec["data"]), STRIP_PX),
            (strip_mark_px(data), NARROW_STRIP_PX),
        )
        rangeslider = {**layout["xaxis"]["rangeslider"], "yaxis": {**strip, "range": span}}
        layout["xaxis"] = {**layout["xaxis"], "rangeslider": rangeslider}
    return {"data": data, "layout": layout}


# --- figures ---------------------------------------------------------------------------------
# The *_spec functions return plain dicts: the page sends them as they are. These wrappers give
# the same figures as plotly objects, for exports and for anyone using the library.


def as_figure(spec: dict) -> go.Figure:
    return go.Figure(spec, _validate=False)


def network_figure(
    whole: Corpus,
    shown: Corpus,
    positions: dict[str, tuple[float, float]],
    codenames: bool = False,
) -> go.Figure:
    return as_figure(network_spec(whole, shown, positions, codenames))


def timeline_figure(
    whole: Corpus, shown: Corpus, start: date, end: date, codenames: bool = False
) -> go.Figure:
    return as_figure(timeline_spec(whole, shown, start, end, codenames))


def flow_figure(
    whole: Corpus, shown: Corpus, start: date, end: date, codenames: bool = False
) -> go.Figure:
    return as_figure(flow_spec(whole, shown, start, end, codenames))

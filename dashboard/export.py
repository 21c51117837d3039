"""Exports of a view: its figure as HTML, JSON, PNG or SVG; its data as CSV, JSON, GEXF, GraphML."""

from __future__ import annotations

import io
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from pathlib import Path

import networkx as nx
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from defusedxml import ElementTree as SafeElementTree

from dashboard import images
from dashboard.citation import (
    VIEW_NAMES,
    chart_title,
    citation,
    cited_sources,
    dataset_name,
    dataset_version,
    describe_filters,
)
from dashboard.context import COMPACT_BELOW_PX, NARROW_BELOW_PX, VIEWS, Context
from dashboard.figures import OFFLINE_CONFIG, as_figure, described_look
from dashboard.formats import folder
from dashboard.graph import DEFAULT_HEIGHT_PX, DEFAULT_WIDTH_PX, message_graph
from dashboard.model import (
    ARCHIVE_REF,
    CITATION,
    COPIES,
    DATE,
    DATE_CERTAINTY,
    DATE_FROM,
    DATE_PRECISION,
    DATE_TO,
    EXTRA,
    KIND,
    MEMBER,
    MESSAGE_ID,
    MESSAGES_FILE,
    NAME,
    PERSON_ID,
    PLACE_NAMES,
    RECEIVED_DATE,
    RECIPIENT,
    RECIPIENT_NAMES,
    RECIPIENTS,
    SCHEMAS,
    SENDER,
    SENDER_NAMES,
    SENDERS,
    SOURCE,
    TITLE,
    VIA,
    Corpus,
    split_list,
)
from dashboard.state import ViewState

MESSAGES = "messages"
# The letters of a view as CMIF: `export cmif` is `export messages --format cmif`.
CMIF = "cmif"
EXPORTABLE = (*VIEWS, MESSAGES, CMIF)
FIGURE_FORMATS = ("html", "json", "png", "svg")
DATA_FORMATS = ("csv", "json", "gexf", "graphml", CMIF)
IMAGE_FORMATS = ("png", "svg")
MEDIA_TYPES = {
    "html": "text/html; charset=utf-8",
    "json": "application/json",
    "png": "image/png",
    "svg": "image/svg+xml",
    "csv": "text/csv; charset=utf-8",
    "gexf": "application/gexf+xml",
    "graphml": "application/graphml+xml",
    CMIF: "application/tei+xml",
}
# Each chart's size in CSS pixels when none is asked for: roughly its size on the page.
DEFAULT_SIZES = {
    "network": (DEFAULT_WIDTH_PX, DEFAULT_HEIGHT_PX),
    "timeline": (1200, 460),
    "flow": (1200, 420),
}
# The presentation look lays the network out for a wide, low chart in large type
# (context.PRESENTATION_SIZE_PX): its picture needs that width, and room for the heading,
# the key and the citation above and below it.
PRESENTATION_SIZES = {"network": (1280, 760)}
DEFAULT_SCALE = 2.0
SIDE_RANGE_PX = (100, 6000)
SCALE_RANGE = (0.25, 8.0)
# Width x height x scale², in device pixels: about a 7000 x 7000 PNG, which Chromium renders.
MAX_DEVICE_PIXELS = 50_000_000
# Where Debian, Ubuntu and Chrome's own packages put the browser, in order of preference.
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome-stable", "google-chrome", "chrome")
BROWSER_PATHS = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
HTML_CONFIG = {**OFFLINE_CONFIG, "responsive": True, "scrollZoom": False}
GEXF_START = "start"
GEXF_END = "end"

Progress = Callable[[str], None]


class ExportError(ValueError):
    """An export that cannot be made as asked: the message names the value and the choices."""


class BrowserNotFoundError(RuntimeError):
    """PNG and SVG need a Chromium-family browser, and none was found."""


@dataclass(frozen=True)
class ImageSize:
    """A figure's size in CSS pixels, and how many device pixels each one becomes."""

    width: int
    height: int
    scale: float = DEFAULT_SCALE


@dataclass(frozen=True)
class Export:
    """A finished export: the bytes, what they are, and a file name that says what they hold."""

    content: bytes
    media_type: str
    filename: str


def _nothing(_message: str) -> None:
    return None


# --- what may be asked for ----------------------------------------------------------------


def check_request(what: str, fmt: str) -> None:
    """Raise ExportError unless `what` (a view or `messages`) can be exported as `fmt`."""
    if what not in EXPORTABLE:
        raise ExportError(
            f"There is nothing called {what!r} to export; choose one of {', '.join(EXPORTABLE)}."
        )
    formats = {MESSAGES: DATA_FORMATS, CMIF: (CMIF,)}.get(what, FIGURE_FORMATS)
    if fmt not in formats:
        raise ExportError(
            f"The {what} cannot be exported as {fmt!r}; choose one of {', '.join(formats)}."
        )


def image_size(
    view: str,
    width: float | str | None = None,
    height: float | str | None = None,
    scale: float | str | None = None,
    fmt: str = "png",
    look: str = "default",
) -> ImageSize:
    """The size asked for, each missing value from the view's default (in its `look`); bad
    values raise.

    A PNG is drawn at twice its size by default, sharp on any screen; an SVG keeps its size.
    """
    sizes = {**DEFAULT_SIZES, **(PRESENTATION_SIZES if look == "presentation" else {})}
    default_width, default_height = sizes.get(view, (DEFAULT_WIDTH_PX, DEFAULT_HEIGHT_PX))
    sides = [
        _number("width", width, default_width, int, SIDE_RANGE_PX),
        _number("height", height, default_height, int, SIDE_RANGE_PX),
    ]
    factor = _number("scale", scale, DEFAULT_SCALE if fmt == "png" else 1.0, float, SCALE_RANGE)
    size = ImageSize(int(sides[0]), int(sides[1]), float(factor))
    if size.width * size.height * size.scale**2 > MAX_DEVICE_PIXELS:
        raise ExportError(
            f"A {size.width} x {size.height} image at scale {size.scale:g} is too large to "
            f"render; keep width x height x scale² under {MAX_DEVICE_PIXELS:,} pixels."
        )
    return size


def _number(
    name: str,
    value: float | str | None,
    default: float,
    kind: type[int] | type[float],
    bounds: tuple[float, float],
) -> float:
    if value is None or value == "":
        return default
    try:
        number = kind(value)
    except (TypeError, ValueError):
        noun = "whole number" if kind is int else "number"
        raise ExportError(f"{name}={value!r} is not a {noun}.") from None
    low, high = bounds
    if not low <= number <= high:
        raise ExportError(f"{name}={value!r} is out of range; use {low:g} to {high:g}.")
    return number


# --- figures ------------------------------------------------------------------------------


def figure_json(figure: go.Figure) -> bytes:
    """The figure as plotly JSON: what `plotly.io.from_json` and plotly.js read back."""
    return pio.to_json(figure, validate=False).encode("utf-8")


def figure_html(figure: go.Figure, title: str, caption: str = "", filters: str = "") -> bytes:
    """A standalone page: plotly.js inlined and MathJax left out, so it asks no other host.

    The title and the filter stand above the chart and the citation under it, as text a
    reader can copy; the chart fills what is left of the window, so neither is ever hidden.
    """
    chart = pio.to_html(
        figure,
        full_html=False,
        include_plotlyjs=True,
        include_mathjax=False,
        config=HTML_CONFIG,
        default_width="100%",
        default_height="100%",
        validate=False,
    )
    note = f'<p class="caption">{escape(caption)}</p>' if caption else ""
    subtitle = f'<p class="filters">{escape(filters)}</p>' if filters else ""
    page = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Dispatches: {escape(title)}</title>
<style>
html, body {{ height: 100%; margin: 0; background: #fff; }}
body {{ display: flex; flex-direction: column; font: 14px/1.4 system-ui, sans-serif; }}
header {{ padding: 6px 10px 0; }}
h1 {{ font-size: 18px; margin: 0; }}
.filters {{ margin: 0; color: #333; }}
/* The chart takes the room left between the title and the citation, and no more: plotly
   would otherwise draw it as tall as the window and push the citation out of sight. */
.chart {{ flex: 1 1 auto; min-height: 160px; position: relative; }}
.chart > div {{ position: absolute; inset: 0; }}
.caption {{ margin: 0; padding: 6px 10px; color: #333; border-top: 1px solid #ddd; }}
/* As on the page (assets/style.css): the timeline's strip has room for whole marks beyond
   the chart's fixed rows, which plotly's shade would only mark. */
.rangeslider-mask-min-opp-axis, .rangeslider-mask-max-opp-axis {{ display: none; }}
</style>
</head>
<body>
<header><h1>{escape(title)}</h1>{subtitle}</header>
<div class="chart">{chart}</div>
{note}
</body>
</html>
"""
    return page.encode("utf-8")


def find_browser() -> str:
    """The Chromium (or Chrome) to draw images with: $BROWSER_PATH, then PATH, then usual places."""
    chosen = os.environ.get("BROWSER_PATH")
    if chosen:
        if Path(chosen).is_file() and os.access(chosen, os.X_OK):
            return chosen
        raise BrowserNotFoundError(
            f"BROWSER_PATH={chosen!r} is not an executable browser. Point it at Chromium "
            "or Chrome, or unset it and install Chromium: apt-get install chromium"
        )
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return found
    for candidate in BROWSER_PATHS:
        if os.access(candidate, os.X_OK):
            return candidate
    raise BrowserNotFoundError(
        "PNG and SVG export draws the chart in Chromium, and no Chromium or Chrome was "
        "found. Install it with: apt-get install chromium (Debian and Ubuntu), or set "
        "BROWSER_PATH to the browser's executable. HTML and JSON export need no browser."
    )


def render_image(figure: go.Figure, fmt: str, size: ImageSize, browser: str | None = None) -> bytes:
    """PNG or SVG bytes of the figure, drawn by kaleido in the machine's Chromium, offline."""
    if fmt not in IMAGE_FORMATS:
        raise ExportError(f"{fmt!r} is not an image format; choose one of png, svg.")
    from kaleido.errors import ChromeNotFoundError

    path = browser or find_browser()
    try:
        return images.render(figure, fmt, size.width, size.height, size.scale, path)
    except ChromeNotFoundError as error:
        raise BrowserNotFoundError(f"kaleido could not start {path}: {error}") from None


# --- data ---------------------------------------------------------------------------------

MESSAGE_COLUMNS = [column.name for column in SCHEMAS[MESSAGES_FILE]]
JSON_CELLS = (SENDER_NAMES, RECIPIENT_NAMES, PLACE_NAMES, RECEIVED_DATE, EXTRA)


def messages_table(shown: Corpus) -> pd.DataFrame:
    """The shown messages with the columns of messages.csv, dates as YYYY-MM-DD. A corpus
    that cites its sources by id (sources.csv) gets `citation` after `source`: the
    references written out, as a reader cites them."""
    table = folder.table(shown.messages, MESSAGES_FILE)
    if not shown.sources.empty:
        cited = table[SOURCE].map(shown.cite)
        table.insert(table.columns.get_loc(SOURCE) + 1, CITATION, cited)
    return table


def messages_csv(shown: Corpus) -> bytes:
    """A messages.csv that `load_corpus` reads back (people and copies from beside it), and
    that no spreadsheet runs: a cell that would be a formula starts with a single quote."""
    return folder.cells_csv(messages_table(shown))


def messages_json(whole: Corpus, shown: Corpus, state: ViewState, link: str = "") -> bytes:
    """The messages as records, with the filter that chose them and how to cite them."""
    records = messages_table(shown).to_dict(orient="records")
    copies = shown.copies.groupby(MESSAGE_ID)
    copies_of = {
        key: [{MEMBER: row[MEMBER], COPIES: int(row[COPIES])} for _, row in group.iterrows()]
        for key, group in copies
    }
    for record in records:
        for column in (SENDER, RECIPIENT, VIA):
            if record[column]:
                record[f"{column}_{NAME}"] = whole.label(record[column])
        # Cells that hold JSON in the CSV are data here, not strings of JSON.
        for column in JSON_CELLS:
            record[column] = json.loads(record[column]) if record[column] else None
        for column in (SENDERS, RECIPIENTS):
            record[column] = split_list(record[column])
        record[COPIES] = copies_of.get(record[MESSAGE_ID], [])
    document = {
        "dataset": {"name": dataset_name(whole), "version": dataset_version()},
        "filter": filter_record(whole, state),
        "citation": citation(whole, state, link, view=MESSAGES),
        "count": len(records),
        MESSAGES: records,
    }
    sources = cited_sources(whole, (record[SOURCE] for record in records))
    if sources:
        # The documents the records cite by id, each with its citation.
        document["sources"] = sources
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def letters_cmif(shown: Corpus) -> bytes:
    """The shown letters as CMIF, with the edition's header: what CMIF tools and
    correspSearch read, and what Dispatches reads back letter for letter."""
    from dashboard.build import letters_of
    from dashboard.formats import cmif

    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "letters.xml"
        cmif.write(shown.meta, letters_of(shown), out)
        return out.read_bytes()


def filter_record(corpus: Corpus, state: ViewState) -> dict:
    """The filter as data: what a script needs to make the same selection again."""
    return {
        "start": state.start.isoformat(),
        "end": state.end.isoformat(),
        "people": list(state.people),
        "kinds": list(state.kinds),
        "names": "codename" if state.codenames else "name",
        "query": state.to_query(corpus),
    }


def network(whole: Corpus, shown: Corpus, codenames: bool = False) -> nx.MultiDiGraph:
    """The shown messages as a graph: one edge per leg, dated, titled, with the person data."""
    graph = message_graph(shown)
    titles = shown.messages.set_index(MESSAGE_ID)
    for node, data in graph.nodes(data=True):
        data["label"] = whole.label(node, codenames)
        data.pop(PERSON_ID, None)
    for _source, _target, data in graph.edges(data=True):
        message = titles.loc[data[MESSAGE_ID]]
        # What the source says of the date travels with the edge: its bounds (a month, a span)
        # and its certainty, so an uncertain date never goes out looking exact.
        data[DATE] = _iso_day(data[DATE])
        data[DATE_FROM] = _iso_day(message[DATE_FROM])
        data[DATE_TO] = _iso_day(message[DATE_TO])
        data[DATE_PRECISION] = message[DATE_PRECISION]
        data[DATE_CERTAINTY] = message[DATE_CERTAINTY]
        data[TITLE] = message[TITLE]
        data[KIND] = message[KIND]
        data[ARCHIVE_REF] = message[ARCHIVE_REF]
    graph.graph["name"] = dataset_name(whole)
    return graph


def _iso_day(value: object) -> str:
    return "" if value is None or pd.isna(value) else f"{value:%Y-%m-%d}"


def network_gexf(whole: Corpus, shown: Corpus, codenames: bool = False) -> bytes:
    """GEXF with dynamic edges: each leg lives on its message's day, so Gephi's timeline plays."""
    graph = network(whole, shown, codenames)
    for _source, _target, key, data in graph.edges(keys=True, data=True):
        # A dated span lives on the timeline for its whole span; an undated letter always.
        start, end = data[DATE_FROM] or data[DATE], data[DATE_TO] or data[DATE]
        if start:
            data[GEXF_START] = start
        if end:
            data[GEXF_END] = end
        data["id"] = key
    graph.graph["mode"] = "dynamic"
    buffer = io.BytesIO()
    nx.write_gexf(graph, buffer)
    return buffer.getvalue()


def network_graphml(whole: Corpus, shown: Corpus, codenames: bool = False) -> bytes:
    """GraphML: every edge carries its message's `date` (YYYY-MM-DD) and id."""
    buffer = io.BytesIO()
    nx.write_graphml(network(whole, shown, codenames), buffer)
    return buffer.getvalue()


def read_network(path: str | Path) -> nx.MultiDiGraph:
    """Read an exported GEXF or GraphML file back, refusing XML with a DTD or entities."""
    path = Path(path)
    content = path.read_bytes()
    # defusedxml rejects DTDs and entity tricks; a document it accepts is plain XML, which
    # networkx's own parser can then read safely.
    SafeElementTree.fromstring(content, forbid_dtd=True)
    if path.suffix == ".gexf":
        return nx.read_gexf(io.BytesIO(content))
    if path.suffix == ".graphml":
        return nx.read_graphml(io.BytesIO(content))
    raise ExportError(f"{path.name}: only .gexf and .graphml files are read back.")


# --- one entry for the command line and the download routes --------------------------------


def export(
    context: Context,
    what: str,
    fmt: str,
    state: ViewState,
    size: ImageSize | None = None,
    link: str = "",
    progress: Progress = _nothing,
) -> Export:
    """Export one view (or the messages) of `state` as `fmt`: the same figure the page draws."""
    check_request(what, fmt)
    what = MESSAGES if what == CMIF else what
    shown = context.shown(state)
    count = len(shown.messages)
    progress(f"{count} message{'s' if count != 1 else ''} match the filter")
    if what == MESSAGES:
        makers = {
            "csv": lambda: messages_csv(shown),
            "json": lambda: messages_json(context.corpus, shown, state, link),
            "gexf": lambda: network_gexf(context.corpus, shown, state.codenames),
            "graphml": lambda: network_graphml(context.corpus, shown, state.codenames),
            CMIF: lambda: letters_cmif(shown),
        }
        content = makers[fmt]()
    else:
        progress(f"drawing the {VIEW_NAMES[what]}")
        title = chart_title(what, context.corpus)
        filters = "; ".join(describe_filters(context.corpus, state))
        cited = citation(context.corpus, state, link, view=what)
        if fmt in IMAGE_FORMATS:
            size = size or image_size(what, fmt=fmt, look=state.look)
            # A small image gets the look of a narrow frame: short names that fit.
            spec = context.spec(
                what,
                state,
                shown,
                narrow=size.width < NARROW_BELOW_PX,
                compact=size.width < COMPACT_BELOW_PX,
            )
            # A slide or a page gets the picture with its title, filter and source on it.
            figure = as_figure(
                described_look(spec, title, filters, cited, size.width, size.height)
            )
            browser = find_browser()
            progress(
                f"rendering {fmt.upper()} at {size.width} x {size.height}, scale {size.scale:g}, "
                f"in {browser} (a few seconds)"
            )
            content = render_image(figure, fmt, size, browser)
        elif fmt == "html":
            figure = context.figure(what, state, shown)
            content = figure_html(figure, title, cited, filters)
        else:
            content = figure_json(context.figure(what, state, shown))
    return Export(content, MEDIA_TYPES[fmt], export_filename(what, fmt, state))


def export_filename(what: str, fmt: str, state: ViewState) -> str:
    """'dispatches-network-1949-01-10-to-1949-01-15.png': the view and its dates."""
    # CMIF is TEI XML: the file says so in its suffix, as CMIF tools expect.
    suffix = "cmif.xml" if fmt == CMIF else fmt
    return f"dispatches-{what}-{state.start:%Y-%m-%d}-to-{state.end:%Y-%m-%d}.{suffix}"


# --- writing files ------------------------------------------------------------------------


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# Read once, at import, while nothing else runs: os.umask can only be read by setting it.
_UMASK = _current_umask()


def write_atomic(path: str | Path, content: bytes) -> Path:
    """Write `content` to `path` whole or not at all: a temporary file beside it, then a rename."""
    path = Path(path)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    replaced = False
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        # mkstemp makes the file private; give it the permissions a plain open() would.
        os.chmod(temporary, 0o666 & ~_UMASK)
        os.replace(temporary, path)
        replaced = True
    finally:
        if not replaced:
            Path(temporary).unlink(missing_ok=True)
    return path

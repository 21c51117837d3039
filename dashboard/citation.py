"""How to cite a view: the data set's name and version, the filter in words, the date accessed."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from datetime import date
from functools import cache
from importlib import metadata
from pathlib import Path

from dashboard.formats import folder
from dashboard.model import (
    BUNDLED_DATA,
    CITATION,
    MESSAGES_FILE,
    METADATA_FILE,
    PROVENANCE,
    SOURCE_ID,
    SOURCES_FILE,
    Corpus,
    parse_references,
    read_metadata,
    source_citation,
)
from dashboard.state import ViewState, describe_span

DATASET_NAME = "Dispatches: the coded telegrams between Stalin and Mao, January–May 1949"
DISTRIBUTION = "dispatches"
PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"
# Each chart's title on the page and in the files exported from it.
CHART_TITLES = {
    "network": "Who wrote to whom",
    "timeline": "Day by day",
    "flow": "Where the copies went",
}
VIEW_NAMES = {
    "network": "message network",
    "timeline": "timeline",
    "flow": "flow of distribution copies",
    "messages": "messages",
}
# The timeline's title over a corpus of years, whose marks and playback go by week, month
# or year: "Day by day" would say what it does not do.
LONG_TIMELINE_TITLE = "Over time"


@cache
def dataset_version() -> str:
    """The installed version; from pyproject.toml when the package is run uninstalled.
    Read once: the share panel cites it on every change of the URL."""
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        pass
    try:
        with PYPROJECT.open("rb") as handle:
            return str(tomllib.load(handle)["project"]["version"])
    except (OSError, tomllib.TOMLDecodeError, KeyError):
        return "unknown"


@cache
def _bundled_title() -> str:
    return read_metadata(BUNDLED_DATA / METADATA_FILE).title


def dataset_name(corpus: Corpus) -> str:
    """What the data is called: the bundled data set's name, or an edition's own title."""
    title = corpus.meta.title
    if not title or title == _bundled_title():
        return DATASET_NAME
    return title


def chart_title(view: str, corpus: Corpus) -> str:
    """A chart's title on the page and in its exports, fitted to the corpus's span."""
    from dashboard.figures import playback_unit  # figures draws; citation only names

    if view == "timeline":
        first, last = (day.date() for day in corpus.period)
        if playback_unit(first, last) != "day":
            return LONG_TIMELINE_TITLE
    return CHART_TITLES[view]


def describe_filters(corpus: Corpus, state: ViewState) -> list[str]:
    """The active filter as phrases: the dates, the people, the kinds, then display choices."""
    first, last = (day.date() for day in corpus.period)
    span = describe_span(state.start, state.end)
    whole = (state.start, state.end) == (first, last)
    phrases = [f"{span} (all dates)" if whole else span]
    if state.people:
        phrases.append(f"people: {', '.join(corpus.label(p) for p in state.people)}")
    else:
        phrases.append("all people")
    phrases.append(f"kinds: {', '.join(state.kinds)}" if state.kinds else "all kinds")
    if state.codenames:
        phrases.append("people named as in the documents")
    if state.message:
        phrases.append(f"records open: {', '.join(state.message)}")
    return phrases


def citation(
    corpus: Corpus,
    state: ViewState,
    link: str = "",
    accessed: date | None = None,
    view: str | None = None,
) -> str:
    """One line to paste into a bibliography: what, which version, which view, where, when."""
    accessed = accessed or date.today()
    name = dataset_name(corpus)
    if name == DATASET_NAME:
        source = f"{DATASET_NAME}, data set version {dataset_version()}"
    else:
        # An edition the user brought is cited by its own title; Dispatches only shows it.
        source = f"{name}, shown with Dispatches {dataset_version()}"
    if Path(corpus.origin) != BUNDLED_DATA / MESSAGES_FILE and corpus.origin != "bundled corpus":
        source += f", corpus file {Path(corpus.origin).name}"
    chart = VIEW_NAMES.get(view, view).capitalize() if view else "View"
    what = f"{chart}: {'; '.join(describe_filters(corpus, state))}"
    when = f"{accessed.day} {accessed:%B %Y}"
    # The link ends the line with no full stop of its own, so copying it takes nothing extra.
    where = f"{link} (accessed {when})" if link else f"Accessed {when}."
    return f"{source}. {what}. {where}"


def cited_sources(corpus: Corpus, cells: Iterable[str]) -> list[dict[str, str]]:
    """The sources that `source` cells cite, in the order of sources.csv: each one's fields
    and its citation, as a reader would give it. Where the facts were taken from while the
    corpus was made (`provenance`) is no part of a citation. Empty without sources.csv."""
    if corpus.sources.empty:
        return []
    wanted: set[str] = set()
    for cell in cells:
        try:
            wanted.update(reference.source_id for reference in parse_references(cell))
        except ValueError:
            continue
    rows = folder.table(corpus.sources, SOURCES_FILE).drop(columns=[PROVENANCE])
    cited = []
    for row, source in zip(rows.to_dict("records"), corpus.sources.to_dict("records"), strict=True):
        if row[SOURCE_ID] in wanted:
            cited.append({**row, CITATION: source_citation(source)})
    return cited

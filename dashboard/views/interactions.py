"""How each control or click changes the ViewState: pure functions, one per kind of input."""

from __future__ import annotations

from datetime import date

import pandas as pd

from dashboard import ids
from dashboard.model import Corpus
from dashboard.state import ViewState
from dashboard.views.filters import NAMES_CODENAME


def next_state(
    state: ViewState, trigger: str | dict | None, value: object, corpus: Corpus
) -> ViewState:
    """The state after one input changed; unchanged when the input says nothing new."""
    if isinstance(trigger, dict) and trigger.get("type") == ids.RECORD_LINK:
        return state.with_changes(message=(trigger["message"],)) if value else state
    handler = HANDLERS.get(trigger)
    return handler(state, value, corpus) if handler else state


def _dates(state: ViewState, value: object, corpus: Corpus) -> ViewState:
    start, end = value
    if not start or not end:
        return state
    start, end = _as_date(start), _as_date(end)
    if (start, end) == (state.start, state.end):
        return state
    return state.with_changes(start=min(start, end), end=max(start, end), message=())


def _people(state: ViewState, value: object, corpus: Corpus) -> ViewState:
    people = tuple(value or ())
    return state if people == state.people else state.with_changes(people=people, message=())


def _kinds(state: ViewState, value: object, corpus: Corpus) -> ViewState:
    kinds = tuple(value or ())
    return state if kinds == state.kinds else state.with_changes(kinds=kinds, message=())


def _names(state: ViewState, value: object, corpus: Corpus) -> ViewState:
    return state.with_changes(codenames=value == NAMES_CODENAME)


def _reset(state: ViewState, value: object, corpus: Corpus) -> ViewState:
    return ViewState.default(corpus).with_changes(look=state.look) if value else state


def _close(state: ViewState, value: object, corpus: Corpus) -> ViewState:
    return state.with_changes(message=()) if value else state


def clicked(click_data: dict | None) -> tuple[str, str] | None:
    """The (kind, key) a figure stored in the customdata of the clicked point, if any."""
    points = (click_data or {}).get("points") or []
    if not points:
        return None
    data = points[0].get("customdata")
    if isinstance(data, list) and len(data) == 2:
        return str(data[0]), str(data[1])
    return None


def _click(state: ViewState, value: object, corpus: Corpus) -> ViewState:
    """A person filters to their messages; a message or an edge opens its records."""
    target = clicked(value)  # type: ignore[arg-type]
    if target is None:
        return state
    kind, key = target
    if kind == "person":
        return state.with_changes(people=(key,), message=())
    if kind in ("message", "edge"):
        return state.with_changes(message=tuple(key.split(",")))
    return state


def _brush(state: ViewState, value: object, corpus: Corpus) -> ViewState:
    """Zooming, brushing or sliding the timeline's range sets the date filter."""
    relayout = value or {}
    if relayout.get("xaxis.autorange"):
        first, last = (day.date() for day in corpus.period)
        return state.with_changes(start=first, end=last, message=())
    bounds = relayout.get("xaxis.range") or [
        relayout.get("xaxis.range[0]"),
        relayout.get("xaxis.range[1]"),
    ]
    if not bounds or None in bounds:
        return state
    # The axis runs from the middle of the day before to the middle of the day after.
    start = (pd.Timestamp(bounds[0]) + pd.Timedelta(hours=12)).date()
    end = (pd.Timestamp(bounds[1]) - pd.Timedelta(hours=12)).date()
    first, last = (day.date() for day in corpus.period)
    start, end = max(start, first), min(end, last)
    if start > end or (start, end) == (state.start, state.end):
        return state
    return state.with_changes(start=start, end=end, message=())


def _as_date(text: str | date) -> date:
    return text if isinstance(text, date) else date.fromisoformat(str(text)[:10])


HANDLERS = {
    ids.DATES: _dates,
    ids.PEOPLE: _people,
    ids.KINDS: _kinds,
    ids.NAMES: _names,
    ids.RESET: _reset,
    ids.DETAILS_CLOSE: _close,
    ids.NETWORK: _click,
    ids.FLOW: _click,
    ids.TIMELINE: _click,
    f"{ids.TIMELINE}.relayoutData": _brush,
}

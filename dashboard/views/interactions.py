"""How each control or click changes the ViewState: pure functions, one per kind of input."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from dashboard import ids
from dashboard.figures import flow_click_targets, next_bin, playback_step, playback_unit
from dashboard.model import END, MEMBER, MESSAGE_ID, PEOPLE, START, Corpus, split_list
from dashboard.state import (
    MAX_LABELS,
    SPEEDS,
    ViewState,
    read_day,
    read_instant,
    read_text,
    read_texts,
    read_whole,
)
from dashboard.views.filters import NAMES_CODENAME

# Inputs that fire by themselves, not by a visitor's hand.
AUTOMATIC_INPUTS = (ids.CLOCK, ids.IDLE)


def next_state(
    state: ViewState, trigger: str | dict | None, value: object, corpus: Corpus
) -> ViewState:
    """The state after one input changed; unchanged when the input says nothing new.

    The one door from a callback's inputs to a state: `trigger` and `value` may be anything
    a request can carry, and it never raises. A value of the wrong shape changes nothing.
    """
    if isinstance(trigger, dict):
        message = read_text(trigger.get("message"))
        if trigger.get("type") == ids.RECORD_LINK and message and value:
            return state.with_changes(event=None, message=(message,))
        return state
    handler = HANDLERS.get(trigger) if isinstance(trigger, str) else None
    new = handler(state, value, corpus) if handler else state
    # A visitor's touch ends the kiosk's attract loop; the clock and the idle timer do not.
    if new.attract and new != state and trigger not in AUTOMATIC_INPUTS:
        new = replace(new, attract=False)
    if new.day is not None and not new.start <= new.day <= new.end:
        new = replace(new, day=None)
    return new


def _dates(state: ViewState, value: object, corpus: Corpus) -> ViewState:
    """The date picker's two ends, as (start, end)."""
    if not isinstance(value, tuple | list) or len(value) != 2:
        return state
    start, end = (read_day(side) for side in value)
    if start is None or end is None or (start, end) == (state.start, state.end):
        return state
    return state.with_changes(start=min(start, end), end=max(start, end), message=(), event=None)


def _people(state: ViewState, value: object, corpus: Corpus) -> ViewState:
    people = read_texts(value)
    return (
        state
        if people is None or people == state.people
        else state.with_changes(people=people, message=(), event=None)
    )


def _kinds(state: ViewState, value: object, corpus: Corpus) -> ViewState:
    kinds = read_texts(value)
    return (
        state
        if kinds is None or kinds == state.kinds
        else state.with_changes(kinds=kinds, message=(), event=None)
    )


def _names(state: ViewState, value: object, corpus: Corpus) -> ViewState:
    return state.with_changes(codenames=value == NAMES_CODENAME)


def _labels(state: ViewState, value: object, corpus: Corpus) -> ViewState:
    """How many people the network names: a whole number, held to 0..MAX_LABELS."""
    number = read_whole(value)
    if number is None:
        return state
    return state.with_changes(labels=min(max(number, 0), MAX_LABELS))


def _reset(state: ViewState, value: object, corpus: Corpus) -> ViewState:
    return ViewState.default(corpus).with_changes(look=state.look) if value else state


def _close(state: ViewState, value: object, corpus: Corpus) -> ViewState:
    return state.with_changes(message=(), event=None) if value else state


def clicked(click_data: object) -> tuple[str, str] | None:
    """The (kind, key) a figure stored in the customdata of the clicked point, if any."""
    point = _first_point(click_data)
    data = point.get("customdata")
    if isinstance(data, list) and len(data) >= 2:
        kind, key = read_text(data[0]), read_text(data[1])
        if kind is not None and key is not None:
            return kind, key
    return None


def _first_point(click_data: object) -> dict:
    """The first point of a chart's clickData, or {} when there is none (or it is no point)."""
    points = click_data.get("points") if isinstance(click_data, dict) else None
    point = points[0] if isinstance(points, list) and points else None
    return point if isinstance(point, dict) else {}


def _click(state: ViewState, value: object, corpus: Corpus) -> ViewState:
    """A person filters to their messages; a message or an edge opens its records, a context
    event its own."""
    target = clicked(value)  # type: ignore[arg-type]
    if target is None:
        return state
    kind, key = target
    if kind == "person":
        return state.with_changes(people=(key,), message=(), event=None)
    if kind in ("message", "edge"):
        return state.with_changes(event=None, message=tuple(key.split(",")))
    if kind == "event":
        return state.with_changes(event=key, message=())
    if kind == "bin":
        return _drill(state, key, corpus)
    return state


def _drill(state: ViewState, key: str, corpus: Corpus) -> ViewState:
    """A click on a timeline's bin ('1894-03-01/1894-03-31') shows its dates, as a brush
    over them would."""
    low, _, high = key.partition("/")
    start, end = read_day(low), read_day(high)
    first, last = (day.date() for day in corpus.period)
    if start is None or end is None or start > end or end < first or start > last:
        return state
    start, end = max(start, first), min(end, last)
    if (start, end) == (state.start, state.end):
        return state
    return state.with_changes(start=start, end=end, message=(), event=None)


def _flow_click(state: ViewState, value: object, corpus: Corpus) -> ViewState:
    """A Sankey click arrives as a point number: a node's has a depth, a link's has none.
    A member opens the telegrams they received copies of, among those drawn."""
    point = _first_point(value)
    number = read_whole(point.get("pointNumber"))

    # During playback the flow draws only the copies sent by the day.
    drawn = state.played(state.filter(corpus))[0]
    if "customdata" not in point and number is not None:
        nodes, links = flow_click_targets(corpus, drawn)
        targets = nodes if "depth" in point else links
        if 0 <= number < len(targets):
            value = {"points": [{"customdata": targets[number]}]}
    target = clicked(value)  # type: ignore[arg-type]
    if target is not None and target[0] == "member":
        copies = drawn.copies
        received = copies.loc[copies[MEMBER] == target[1], MESSAGE_ID].drop_duplicates()
        return state.with_changes(event=None, message=tuple(received)) if len(received) else state
    return _click(state, value, corpus)


def _brush(state: ViewState, value: object, corpus: Corpus) -> ViewState:
    """Zooming, brushing or sliding the timeline's range sets the date filter."""
    relayout = value if isinstance(value, dict) else {}
    if relayout.get("xaxis.autorange"):
        first, last = (day.date() for day in corpus.period)
        return state.with_changes(start=first, end=last, message=(), event=None)
    bounds = relayout.get("xaxis.range") or [
        relayout.get("xaxis.range[0]"),
        relayout.get("xaxis.range[1]"),
    ]
    if not isinstance(bounds, list) or len(bounds) != 2:
        return state
    low, high = (read_instant(bound) for bound in bounds)
    if low is None or high is None:
        return state
    # Each day's marks stand at its midnight: keep the days whose midnight the range covers.
    try:
        start, end = low.ceil("D").date(), high.floor("D").date()
    except (ValueError, OverflowError):  # a range that ends at the edge of pandas' calendar
        return state
    first, last = (day.date() for day in corpus.period)
    start, end = max(start, first), min(end, last)
    if start > end or (start, end) == (state.start, state.end):
        return state
    return state.with_changes(start=start, end=end, message=(), event=None)


# --- the exhibit: playback, the guided story, the kiosk's idle loop -----------------------


def _play(state: ViewState, value: object, corpus: Corpus) -> ViewState:
    """Play from the day shown (from the first day when none is, or at the last); or pause."""
    if not value:
        return state
    if state.playing:
        return state.with_changes(playing=False)
    day = state.day if state.day is not None and state.day < state.end else state.start
    return state.with_changes(playing=True, day=day)


def _tick(state: ViewState, value: object, corpus: Corpus) -> ViewState:
    """One step on (next_step); at the last step playback stops, or starts again in the
    attract loop."""
    if not state.playing:
        return state
    if state.day is None:
        return state.with_changes(day=state.start)
    day = next_step(state.day, state.start, state.end)
    if day > state.end:
        return (
            state.with_changes(day=state.start)
            if state.attract
            else state.with_changes(playing=False)
        )
    return state.with_changes(day=day)


def next_step(day: date, start: date, end: date) -> date:
    """The first day of the playback step after the one holding `day` (playback_step): a
    day, a week, a month or a year on, as the span [start, end] asks."""
    unit = playback_unit(start, end)
    first = playback_step(day, start, end)[0]
    if unit == "week":
        return first + timedelta(days=7)
    if unit == "day":
        return first + timedelta(days=1)
    return next_bin(date(first.year, first.month if unit == "month" else 1, 1), unit)


def _speed(state: ViewState, value: object, corpus: Corpus) -> ViewState:
    if value not in SPEEDS or value == state.speed:
        return state
    return state.with_changes(speed=value)


def day_offset(day: date, corpus: Corpus) -> int:
    """The day slider's value: days since the corpus period began."""
    return (day - corpus.period[0].date()).days


def _scrub(state: ViewState, value: object, corpus: Corpus) -> ViewState:
    """Dragging the day slider moves playback to that day's step, within the dates shown."""
    offset = read_whole(value)
    if offset is None:
        return state
    first = corpus.period[0].date()
    # Clamped before it becomes a date: a slider sends offsets within the corpus, a script
    # may send 10**9, which no date can hold.
    offset = min(max(offset, day_offset(state.start, corpus)), day_offset(state.end, corpus))
    # The thumb lands on the first day of the playback step it stands in.
    day = playback_step(first + timedelta(days=offset), state.start, state.end)[0]
    if state.day is not None and day == state.day and offset > day_offset(state.day, corpus):
        # A nudge forward that stays in the step (an arrow key moves the thumb one day, and
        # a step may be a month or a year) goes on to the next step, not back to this one.
        ahead = next_step(state.day, state.start, state.end)
        day = ahead if ahead <= state.end else day
    return state if day == state.day else state.with_changes(day=day, message=(), event=None)


def story_step(state: ViewState, corpus: Corpus, step: int) -> ViewState:
    """The view a story step sets: its dates and people, every kind, nothing open, paused."""
    row = corpus.story.iloc[step - 1]
    return state.with_changes(
        step=step,
        start=row[START].date(),
        end=row[END].date(),
        people=tuple(split_list(row[PEOPLE])),
        kinds=(),
        message=(),
        event=None,
        day=None,
        playing=False,
    )


def _leave_story(state: ViewState, corpus: Corpus) -> ViewState:
    """Free exploration starts from the whole corpus, keeping how things are shown."""
    return ViewState.default(corpus).with_changes(
        look=state.look, codenames=state.codenames, speed=state.speed
    )


def _story_next(state: ViewState, value: object, corpus: Corpus) -> ViewState:
    """Start the story, or go on to the next step; after the last, leave it."""
    if not value or corpus.story.empty:
        return state
    step = 1 if state.step is None else state.step + 1
    if step > len(corpus.story):
        return _leave_story(state, corpus)
    return story_step(state, corpus, step)


def _story_back(state: ViewState, value: object, corpus: Corpus) -> ViewState:
    if not value or state.step is None:
        return state
    return story_step(state, corpus, max(1, state.step - 1))


def _story_exit(state: ViewState, value: object, corpus: Corpus) -> ViewState:
    return _leave_story(state, corpus) if value and state.step is not None else state


def _idle(state: ViewState, value: object, corpus: Corpus) -> ViewState:
    """Nobody has touched the kiosk for a while: back to the start, playing in a loop."""
    if not value:
        return state
    first = corpus.period[0].date()
    return ViewState.default(corpus).with_changes(
        look=state.look, attract=True, playing=True, day=first
    )


def _wake(state: ViewState, value: object, corpus: Corpus) -> ViewState:
    """The first touch after the attract loop: the start screen, still, ready to explore."""
    return ViewState.default(corpus).with_changes(look=state.look) if value else state


HANDLERS = {
    ids.DATES: _dates,
    ids.PEOPLE: _people,
    ids.KINDS: _kinds,
    ids.NAMES: _names,
    ids.LABELS: _labels,
    ids.RESET: _reset,
    ids.DETAILS_CLOSE: _close,
    ids.NETWORK: _click,
    ids.FLOW: _flow_click,
    ids.TIMELINE: _click,
    f"{ids.TIMELINE}.relayoutData": _brush,
    ids.PLAY: _play,
    ids.CLOCK: _tick,
    ids.SPEED: _speed,
    ids.DAY: _scrub,
    ids.STORY_NEXT: _story_next,
    ids.STORY_BACK: _story_back,
    ids.STORY_EXIT: _story_exit,
    ids.IDLE: _idle,
    ids.WAKE: _wake,
}

"""ViewState: what the user sees, read from and written to the URL query string."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from datetime import date
from urllib.parse import parse_qs, urlencode

import pandas as pd

from dashboard.model import EVENT_ID, Corpus

# Every URL parameter, documented once; tests check that the README's table lists them all.
PARAMETERS: dict[str, str] = {
    "start": "first day shown, YYYY-MM-DD (default: 1949-01-01)",
    "end": "last day shown, YYYY-MM-DD, inclusive (default: 1949-05-31)",
    "people": "comma-separated people: ids, names, aliases or codenames (Filippov finds Stalin)",
    "kind": "comma-separated kinds of message (coded telegram, cable...)",
    "message": "comma-separated message ids whose records are open",
    "event": "id of a context event whose record is open (e01...), from a tap on the timeline",
    "names": "`codename` labels people by the names the documents use (Filippov, Andreev)",
    "look": "`presentation` for large type, high contrast and thick lines (projectors)",
    "day": "the day playback stands on, YYYY-MM-DD: its messages light up in every view",
    "play": "`on` while playback walks day by day through the dates shown",
    "speed": "playback speed: `slow`, `normal` (the default) or `fast`",
    "step": "guided story step shown (1, 2...); its buttons also write the step's dates and people",
    "attract": "`on` while the kiosk's idle loop plays, until a visitor touches the screen",
    "page": "the page of the list of records (1, 2...), 40 records a page",
    "labels": "how many people the network names at most, the busiest first (default: 40)",
}
DEFAULT_LOOK = "default"
LOOKS = (DEFAULT_LOOK, "presentation")
LIST_SEPARATOR = ","
DEFAULT_SPEED = "normal"
SPEEDS = ("slow", DEFAULT_SPEED, "fast")
ON = "on"
# People named on the network when more are in view than fit (the `labels` parameter).
DEFAULT_LABELS = 40
MAX_LABELS = 1000
_COUNT = re.compile(r"[0-9]{1,6}")
# A value is quoted in a warning up to this many characters; a link may hold anything.
QUOTED_CHARACTERS = 40
# Warnings shown for one link; a link with more problems gets a count of the rest.
MAX_WARNINGS = 12
# Only ASCII digits: str.isdigit() and \d also accept '²' or '٣', which int() or a date refuse.
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_STEP = re.compile(r"[0-9]{1,4}")
_PAGE = re.compile(r"[0-9]{1,7}")


@dataclass(frozen=True)
class ViewState:
    """The filter, the selection and the display options; immutable, compared by value."""

    start: date
    end: date
    people: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    message: tuple[str, ...] = ()
    event: str | None = None
    codenames: bool = False
    look: str = DEFAULT_LOOK
    day: date | None = None
    playing: bool = False
    speed: str = DEFAULT_SPEED
    step: int | None = None
    attract: bool = False
    # The page of the list of records; one past the last shows the last.
    page: int = 1
    labels: int = DEFAULT_LABELS
    warnings: tuple[str, ...] = field(default=(), compare=False)

    @classmethod
    def default(cls, corpus: Corpus) -> ViewState:
        first, last = corpus.period
        return cls(start=first.date(), end=last.date())

    def to_query(self, corpus: Corpus) -> str:
        """The query string (with its leading '?', or '' for the default view)."""
        default = ViewState.default(corpus)
        pairs = []
        if self.start != default.start:
            pairs.append(("start", self.start.isoformat()))
        if self.end != default.end:
            pairs.append(("end", self.end.isoformat()))
        for key, values in (("people", self.people), ("kind", self.kinds)):
            if values:
                pairs.append((key, LIST_SEPARATOR.join(values)))
        if self.message:
            pairs.append(("message", LIST_SEPARATOR.join(self.message)))
        if self.event is not None:
            pairs.append(("event", self.event))
        if self.codenames:
            pairs.append(("names", "codename"))
        if self.look != DEFAULT_LOOK:
            pairs.append(("look", self.look))
        if self.day is not None:
            pairs.append(("day", self.day.isoformat()))
        if self.playing:
            pairs.append(("play", ON))
        if self.speed != DEFAULT_SPEED:
            pairs.append(("speed", self.speed))
        if self.step is not None:
            pairs.append(("step", str(self.step)))
        if self.attract:
            pairs.append(("attract", ON))
        if self.page != 1:
            pairs.append(("page", str(self.page)))
        if self.labels != DEFAULT_LABELS:
            pairs.append(("labels", str(self.labels)))
        return "?" + urlencode(pairs, safe=LIST_SEPARATOR) if pairs else ""

    @classmethod
    def from_query(cls, query: object, corpus: Corpus) -> ViewState:
        """Parse a query string; a bad value falls back to its default with a warning.

        The one door from a link to a state: it takes anything (a script may send a number
        or a list where a browser sends text) and never raises.
        """
        warnings: list[str] = []
        if query is not None and not isinstance(query, str):
            warnings.append("The link's query is not text; showing the default view.")
            query = ""
        params = {k: v[-1] for k, v in parse_qs((query or "").lstrip("?")).items()}
        default = cls.default(corpus)
        first, last = default.start, default.end

        start = _date_param(params, "start", default.start, warnings)
        end = _date_param(params, "end", default.end, warnings)
        if start < first or start > last:
            warnings.append(
                f"The start date {day_text(start)} is outside the corpus; using {day_text(first)}."
            )
            start = first
        if end > last or end < first:
            warnings.append(
                f"The end date {day_text(end)} is outside the corpus; using {day_text(last)}."
            )
            end = last
        if start > end:
            warnings.append("The start date is after the end date; the two were swapped.")
            start, end = end, start

        people = []
        for text in _list_param(params, "people"):
            person = corpus.resolve(text)
            if person is None:
                warnings.append(
                    f"No one called {quoted(text)} is in the corpus; that name was ignored."
                )
            elif person not in people:
                people.append(person)

        known_kinds = set(corpus.kinds)
        kinds = []
        for kind in _list_param(params, "kind"):
            if kind in known_kinds:
                kinds.append(kind)
            else:
                warnings.append(
                    f"There is no kind of message called {quoted(kind)}; it was ignored."
                )

        message = []
        for ident in _list_param(params, "message"):
            if ident in corpus.message_ids:
                message.append(ident)
            else:
                warnings.append(f"There is no message {quoted(ident)}; nothing was opened for it.")
        event = params.get("event")
        if event is not None and event not in set(corpus.events[EVENT_ID]):
            warnings.append(
                f"There is no context event {quoted(event)}; nothing was opened for it."
            )
            event = None

        names = params.get("names", "")
        if names not in ("", "codename", "name"):
            warnings.append(f"names={quoted(names)} is not understood; use names=codename.")
        look = params.get("look", DEFAULT_LOOK)
        if look not in LOOKS:
            warnings.append(f"look={quoted(look)} is not understood; use look=presentation.")
            look = DEFAULT_LOOK
        day, playing, speed, step, attract = _exhibit_params(params, start, end, corpus, warnings)
        page = 1
        text = params.get("page", "").strip()
        if text:
            if _PAGE.fullmatch(text) and int(text) >= 1:
                page = int(text)
            else:
                warnings.append(f"There is no page {quoted(text)} of records; showing the first.")
        labels = _labels_param(params, warnings)
        unknown = sorted(set(params) - set(PARAMETERS))
        if unknown:
            listed = ", ".join(quoted(key) for key in unknown[:MAX_WARNINGS])
            warnings.append(f"Unknown URL parameter {listed}; ignored.")
        return cls(
            start=start,
            end=end,
            people=tuple(people),
            kinds=tuple(kinds),
            message=tuple(message),
            event=event,
            codenames=names == "codename",
            look=look,
            day=day,
            playing=playing,
            speed=speed,
            step=step,
            attract=attract,
            page=page,
            labels=labels,
            warnings=_capped(warnings),
        )

    def with_changes(self, **changes: object) -> ViewState:
        """A copy with some fields changed and the warnings of the old URL dropped."""
        return replace(self, warnings=(), **changes)

    def played(self, shown: Corpus) -> tuple[Corpus, frozenset[str] | None]:
        """What playback draws of `shown`: the letters sent by the end of the step that
        starts on `day` (a day, a week, a month or a year, as the span shown asks), and the
        ids of that step's letters, which light up. No day: `shown` whole, nothing lit."""
        if self.day is None:
            return shown, None
        from dashboard.figures import playback_step  # figures draws the steps it names

        _first, last = playback_step(self.day, self.start, self.end)
        return shown.played(self.day, max(last, self.day))

    def filter(self, corpus: Corpus) -> Corpus:
        """The corpus as this view shows it. All of its dates include the undated letters,
        which no narrower date range can hold."""
        whole = (self.start, self.end) == tuple(day.date() for day in corpus.period)
        return corpus.filter(
            start=None if whole else pd.Timestamp(self.start),
            end=None if whole else pd.Timestamp(self.end),
            people=self.people or None,
            kinds=self.kinds or None,
        )


def parse_day(text: str) -> date:
    """A YYYY-MM-DD date, or ValueError saying in words what is wrong with `text`."""
    text = text.strip()
    if not _DAY.fullmatch(text):
        raise ValueError(f"{quoted(text)} is not a date in the form YYYY-MM-DD")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{quoted(text)} is not a day in the calendar") from None


def quoted(text: str) -> str:
    """A value for a warning, in quotes, cut short: a link may carry anything, at any length."""
    if len(text) > QUOTED_CHARACTERS:
        text = text[: QUOTED_CHARACTERS - 1] + "\u2026"
    return repr(text)


def _capped(warnings: list[str]) -> tuple[str, ...]:
    if len(warnings) <= MAX_WARNINGS:
        return tuple(warnings)
    rest = len(warnings) - MAX_WARNINGS + 1
    return (*warnings[: MAX_WARNINGS - 1], f"... and {rest} more problems in the link.")


def day_text(day: date) -> str:
    """'1 Jan 1949': how the page writes a single day."""
    return f"{day.day} {day:%b %Y}"


def _date_param(params: dict[str, str], key: str, fallback: date, warnings: list[str]) -> date:
    text = params.get(key)
    if text is None or text == "":
        return fallback
    try:
        return parse_day(text)
    except ValueError as problem:
        warnings.append(f"The {key} date in the link: {problem}; using {day_text(fallback)}.")
        return fallback


def _exhibit_params(
    params: dict[str, str], start: date, end: date, corpus: Corpus, warnings: list[str]
) -> tuple[date | None, bool, str, int | None, bool]:
    """Playback and story: the day, whether it plays, its speed, the story step, attract."""
    day = None
    text = params.get("day", "").strip()
    if text:
        try:
            day = parse_day(text)
        except ValueError as problem:
            warnings.append(
                f"The playback day in the link: {problem}; playback starts at the first day shown."
            )
        if day is not None and not start <= day <= end:
            warnings.append(
                f"The day {day_text(day)} is outside the dates shown; playback starts at "
                f"{day_text(start)}."
            )
            day = None
    switches = []
    for key in ("play", "attract"):
        value = params.get(key, "")
        if value not in ("", ON):
            warnings.append(f"{key}={quoted(value)} is not understood; use {key}={ON}.")
        switches.append(value == ON)
    speed = params.get("speed", DEFAULT_SPEED)
    if speed not in SPEEDS:
        warnings.append(f"speed={quoted(speed)} is not understood; use {', '.join(SPEEDS)}.")
        speed = DEFAULT_SPEED
    step = None
    text = params.get("step", "")
    if text:
        steps = len(corpus.story)
        if _STEP.fullmatch(text) and 1 <= int(text) <= steps:
            step = int(text)
        else:
            warnings.append(
                f"There is no story step {quoted(text)}; the story has {steps} step"
                f"{'s' if steps != 1 else ''}."
            )
    return day, switches[0], speed, step, switches[1]


def _labels_param(params: dict[str, str], warnings: list[str]) -> int:
    """How many people the network names: a whole number up to MAX_LABELS."""
    text = params.get("labels", "").strip()
    if not text:
        return DEFAULT_LABELS
    if not _COUNT.fullmatch(text):
        warnings.append(
            f"labels={quoted(text)} is not a number of people; naming up to {DEFAULT_LABELS}."
        )
        return DEFAULT_LABELS
    if int(text) > MAX_LABELS:
        warnings.append(
            f"labels={quoted(text)} is more than can be named; naming up to {MAX_LABELS}."
        )
        return MAX_LABELS
    return int(text)


def _list_param(params: dict[str, str], key: str) -> list[str]:
    return [item.strip() for item in params.get(key, "").split(LIST_SEPARATOR) if item.strip()]


def describe_span(start: date, end: date) -> str:
    """'10 - 15 Jan 1949', '1 Jan - 31 May 1949': the date range in words."""
    if start == end:
        return f"{start.day} {start:%b %Y}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day} - {end.day} {end:%b %Y}"
    if start.year == end.year:
        return f"{start.day} {start:%b} - {end.day} {end:%b %Y}"
    return f"{start.day} {start:%b %Y} - {end.day} {end:%b %Y}"


# --- what the page's controls send: read without raising ----------------------------------
# A browser sends what each control holds, but a script can post anything to a callback.
# Each reader returns None for a value of the wrong shape, and the input is then ignored;
# a value of the right shape that names nothing (an unknown person, a day outside the
# corpus) goes into the URL, where `from_query` names it in the page's warning.


def read_text(value: object) -> str | None:
    """Text that a URL can carry: JSON may hold a lone surrogate ('\\ud800'), UTF-8 cannot."""
    if not isinstance(value, str):
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return None
    return value


def read_texts(value: object) -> tuple[str, ...] | None:
    """A dropdown's choices: None or [] for none, one text, or a list of texts."""
    if value is None:
        return ()
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list | tuple):
        return None
    texts = [read_text(item) for item in items]
    if None in texts:
        return None
    return tuple(text for text in texts if text)


def read_day(value: object) -> date | None:
    """A date picker's day: 'YYYY-MM-DD', perhaps followed by a time, or a date."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    try:
        return parse_day(value[:10])
    except ValueError:
        return None


def read_whole(value: object) -> int | None:
    """A slider's position: a whole number (a float that is one will do), never a bool."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    return None


def read_instant(value: object) -> pd.Timestamp | None:
    """An end of a date axis's range as plotly writes it: '1949-01-10 12:00:00.000'."""
    if not isinstance(value, str) or not _DAY.match(value.strip()):
        return None
    try:
        instant = pd.Timestamp(value.strip())
    except (ValueError, OverflowError):
        return None
    return None if pd.isna(instant) else instant

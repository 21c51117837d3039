"""ViewState: what the user sees, read from and written to the URL query string."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from urllib.parse import parse_qs, urlencode

import pandas as pd

from dashboard.model import Corpus

# Every URL parameter, documented once; tests check that the README's table lists them all.
PARAMETERS: dict[str, str] = {
    "start": "first day shown, YYYY-MM-DD (default: 1949-01-01)",
    "end": "last day shown, YYYY-MM-DD, inclusive (default: 1949-05-31)",
    "people": "comma-separated people: ids, names, aliases or codenames (Filippov finds Stalin)",
    "kind": "comma-separated kinds of message (coded telegram, cable...)",
    "message": "comma-separated message ids whose records are open",
    "names": "`codename` labels people by the names the documents use (Filippov, Andreev)",
    "look": "`presentation` for large type, high contrast and thick lines (projectors)",
}
DEFAULT_LOOK = "default"
LOOKS = (DEFAULT_LOOK, "presentation")
LIST_SEPARATOR = ","


@dataclass(frozen=True)
class ViewState:
    """The filter, the selection and the display options; immutable, compared by value."""

    start: date
    end: date
    people: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    message: tuple[str, ...] = ()
    codenames: bool = False
    look: str = DEFAULT_LOOK
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
        if self.codenames:
            pairs.append(("names", "codename"))
        if self.look != DEFAULT_LOOK:
            pairs.append(("look", self.look))
        return "?" + urlencode(pairs, safe=LIST_SEPARATOR) if pairs else ""

    @classmethod
    def from_query(cls, query: str | None, corpus: Corpus) -> ViewState:
        """Parse a query string; a bad value falls back to its default with a warning."""
        params = {k: v[-1] for k, v in parse_qs((query or "").lstrip("?")).items()}
        default = cls.default(corpus)
        warnings: list[str] = []
        first, last = default.start, default.end

        start = _date_param(params, "start", default.start, warnings)
        end = _date_param(params, "end", default.end, warnings)
        if start < first or start > last:
            warnings.append(
                f"The start date {start:%d %b %Y} is outside the corpus; using {first:%d %b %Y}."
            )
            start = first
        if end > last or end < first:
            warnings.append(
                f"The end date {end:%d %b %Y} is outside the corpus; using {last:%d %b %Y}."
            )
            end = last
        if start > end:
            warnings.append("The start date is after the end date; the two were swapped.")
            start, end = end, start

        people = []
        for text in _list_param(params, "people"):
            person = corpus.resolve(text)
            if person is None:
                warnings.append(f"No one called {text!r} is in the corpus; that name was ignored.")
            elif person not in people:
                people.append(person)

        known_kinds = set(corpus.kinds)
        kinds = []
        for kind in _list_param(params, "kind"):
            if kind in known_kinds:
                kinds.append(kind)
            else:
                warnings.append(f"There is no kind of message called {kind!r}; it was ignored.")

        known_messages = set(corpus.messages["message_id"])
        message = []
        for ident in _list_param(params, "message"):
            if ident in known_messages:
                message.append(ident)
            else:
                warnings.append(f"There is no message {ident!r}; nothing was opened for it.")

        names = params.get("names", "")
        if names not in ("", "codename", "name"):
            warnings.append(f"names={names!r} is not understood; use names=codename.")
        look = params.get("look", DEFAULT_LOOK)
        if look not in LOOKS:
            warnings.append(f"look={look!r} is not understood; use look=presentation.")
            look = DEFAULT_LOOK
        unknown = sorted(set(params) - set(PARAMETERS))
        if unknown:
            warnings.append(f"Unknown URL parameter {', '.join(unknown)}; ignored.")
        return cls(
            start=start,
            end=end,
            people=tuple(people),
            kinds=tuple(kinds),
            message=tuple(message),
            codenames=names == "codename",
            look=look,
            warnings=tuple(warnings),
        )

    def with_changes(self, **changes: object) -> ViewState:
        """A copy with some fields changed and the warnings of the old URL dropped."""
        return replace(self, warnings=(), **changes)

    def filter(self, corpus: Corpus) -> Corpus:
        return corpus.filter(
            start=pd.Timestamp(self.start),
            end=pd.Timestamp(self.end),
            people=self.people or None,
            kinds=self.kinds or None,
        )


def _date_param(params: dict[str, str], key: str, fallback: date, warnings: list[str]) -> date:
    text = params.get(key)
    if text is None or text == "":
        return fallback
    try:
        return date.fromisoformat(text.strip()[:10])
    except ValueError:
        warnings.append(
            f"The {key} date {text!r} in the link is not a date in the form YYYY-MM-DD; "
            f"using {fallback:%d %b %Y}."
        )
        return fallback


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

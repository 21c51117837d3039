"""The corpus: load and validate the CSV files, then filter and aggregate them (pandas only)."""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd

from dashboard.bundled import bundled_folder
from dashboard.dates import CERTAINTIES, DAY, NONE, PRECISIONS
from dashboard.letters import Metadata

T = TypeVar("T")
# Corpus.memo's name for the corpus a filtered or playback corpus was cut from, and where.
SUBSET_OF = "subset of"

BUNDLED_DATA = bundled_folder("data")

MESSAGES_FILE = "messages.csv"
PEOPLE_FILE = "people.csv"
COPIES_FILE = "copies.csv"
EVENTS_FILE = "events.csv"
STORY_FILE = "story.csv"
PLACES_FILE = "places.csv"
SOURCES_FILE = "sources.csv"

# Column names, defined once and imported wherever a frame is read.
MESSAGE_ID = "message_id"
DATE = "date"
DATE_CERTAINTY = "date_certainty"
DATE_NOTE = "date_note"
SENDER = "sender"
RECIPIENT = "recipient"
VIA = "via"
CODENAME = "codename"
SHORT_NAME = "short_name"
KIND = "kind"
TITLE = "title"
SUMMARY = "summary"
ARCHIVE_REF = "archive_ref"
CLASSIFICATION = "classification"
IN_REPLY_TO = "in_reply_to"
SOURCE = "source"
# Every party of a letter, `;`-separated in order: `sender` and `recipient` name the first.
SENDERS = "senders"
RECIPIENTS = "recipients"
# What the source says of the date; `date` is the day a chart plots, derived from these.
DATE_TEXT = "date_text"
DATE_PRECISION = "date_precision"
DATE_FROM = "date_from"
DATE_TO = "date_to"
DATE_CANDIDATES = "date_candidates"
RECEIVED_DATE = "received_date"
SENT_PLACE = "sent_place"
RECEIVED_PLACE = "received_place"
# The names as this letter writes them (JSON lists in the order of the parties, and of the
# places sent from and received at), where a person's own row keeps one form for all letters.
SENDER_NAMES = "sender_names"
RECIPIENT_NAMES = "recipient_names"
PLACE_NAMES = "place_names"
# The edition's page for the letter, the edition it is printed in, and its key in the source.
URL = "url"
EDITION = "edition"
KEY = "key"
POSITION = "position"
# Fields of the source that the model does not use, as a JSON object: kept, and written back.
EXTRA = "extra"
AUTHORITY = "authority"
# A person's name as the edition writes it most often ("Schnitzler, Arthur"), for writers.
WRITTEN_NAME = "written_name"
PLACE_ID = "place_id"
ROLE_IN_LETTER = "role"

PERSON_ID = "person_id"
NAME = "name"
ALIASES = "aliases"
PERSON_KIND = "kind"
SIDE = "side"
ROLE = "role"
POLITBURO = "soviet_politburo_1949"
MEMBERSHIP_NOTE = "membership_note"

MEMBER = "member"
COPIES = "copies"

EVENT_ID = "event_id"
START = "start"
END = "end"
CATEGORY = "category"
PEOPLE = "people"

STEP = "step"
TEXT = "text"
ARCHIVE_REFS = "archive_refs"

# The documents a corpus's facts come from (sources.csv), cited by id from `source` cells.
SOURCE_ID = "source_id"
SOURCE_KIND = "kind"
AUTHOR = "author"
TRANSLATOR = "translator"
TRANSLATED_FROM = "translated_from"
DOCUMENT_DATE = "date"
PUBLISHED_IN = "published_in"
YEAR = "year"
ARCHIVE_RECORD = "archive_record"
PROVIDER = "provider"
PROVENANCE = "provenance"
# A `source` cell of a corpus with sources.csv: references separated by " | ", each a
# source_id and, after a colon, where in the source ("yorulmaz-1949-telegrams: footnote 6").
REFERENCE_SEPARATOR = "|"
LOCATOR_SEPARATOR = ":"
# What an export writes beside `source`: the cell in words. Read back, it is recomputed.
CITATION = "citation"

COUNT = "messages"
DATE_CERTAINTIES = CERTAINTIES
CERTAINTY_LABEL = {
    "exact": "exact date",
    "approximate": "approximate date",
    "uncertain": "uncertain date",
    "unknown": "date unknown",
}
LIST_SEPARATOR = ";"
# Microseconds reach back to any year a letter was written in (nanoseconds stop at 1677).
DATE_UNIT = "datetime64[us]"


@dataclass(frozen=True)
class Column:
    """One column of a corpus file: its name, whether the file must have it, and its type."""

    name: str
    required: bool = False
    # text | date | int | bool | person | people | message | place | certainty | precision |
    # dates | sources (references to sources.csv, where the corpus has one)
    type: str = "text"
    nonempty: bool = False


SCHEMAS: dict[str, tuple[Column, ...]] = {
    MESSAGES_FILE: (
        Column(MESSAGE_ID, required=True, nonempty=True),
        # Empty only for a letter whose date_precision is `none`: the source gives no date.
        Column(DATE, required=True, type="date"),
        Column(DATE_CERTAINTY, type="certainty"),
        Column(DATE_NOTE),
        Column(DATE_TEXT),
        Column(DATE_PRECISION, type="precision"),
        Column(DATE_FROM, type="date"),
        Column(DATE_TO, type="date"),
        Column(DATE_CANDIDATES, type="dates"),
        Column(RECEIVED_DATE),
        Column(SENDER, required=True, type="person", nonempty=True),
        Column(RECIPIENT, required=True, type="person", nonempty=True),
        Column(SENDERS, type="people"),
        Column(RECIPIENTS, type="people"),
        Column(SENDER_NAMES),
        Column(RECIPIENT_NAMES),
        Column(SENT_PLACE, type="place"),
        Column(RECEIVED_PLACE, type="place"),
        Column(PLACE_NAMES),
        Column(VIA, type="person"),
        Column(CODENAME),
        Column(KIND),
        Column(TITLE),
        Column(SUMMARY),
        Column(ARCHIVE_REF),
        Column(CLASSIFICATION),
        Column(IN_REPLY_TO, type="message"),
        Column(SOURCE, type="sources"),
        Column(URL),
        Column(EDITION),
        Column(KEY),
        Column(POSITION),
        Column(EXTRA),
    ),
    PEOPLE_FILE: (
        Column(PERSON_ID, required=True, nonempty=True),
        Column(NAME, required=True, nonempty=True),
        Column(SHORT_NAME),
        Column(ALIASES),
        Column(CODENAME),
        Column(PERSON_KIND),
        Column(SIDE),
        Column(ROLE),
        Column(POLITBURO, type="bool"),
        Column(MEMBERSHIP_NOTE),
        Column(SOURCE, type="sources"),
        Column(AUTHORITY),
        Column(WRITTEN_NAME),
    ),
    COPIES_FILE: (
        Column(MESSAGE_ID, required=True, type="message", nonempty=True),
        Column(MEMBER, required=True, type="person", nonempty=True),
        Column(COPIES, required=True, type="int", nonempty=True),
        Column(SOURCE, type="sources"),
    ),
    EVENTS_FILE: (
        Column(EVENT_ID, required=True, nonempty=True),
        Column(START, required=True, type="date", nonempty=True),
        Column(END, type="date"),
        Column(DATE_CERTAINTY, type="certainty"),
        Column(CATEGORY),
        Column(TITLE, required=True, nonempty=True),
        Column(SUMMARY),
        Column(PEOPLE, type="people"),
        Column(SOURCE, type="sources"),
    ),
    # The kiosk's guided story: each step sets the dates and people the views show.
    STORY_FILE: (
        Column(STEP, required=True, type="int", nonempty=True),
        Column(TITLE, required=True, nonempty=True),
        Column(START, required=True, type="date", nonempty=True),
        Column(END, required=True, type="date", nonempty=True),
        Column(PEOPLE, type="people"),
        Column(TEXT, required=True, nonempty=True),
        Column(ARCHIVE_REFS),
        Column(SOURCE, type="sources"),
    ),
}
SCHEMAS[PLACES_FILE] = (
    Column(PLACE_ID, required=True, nonempty=True),
    Column(NAME, required=True, nonempty=True),
    Column(ALIASES),
    Column(AUTHORITY),
)
# One row per document the facts come from; the other files cite it by its id.
SCHEMAS[SOURCES_FILE] = (
    Column(SOURCE_ID, required=True, nonempty=True),
    Column(SOURCE_KIND),
    Column(AUTHOR),
    Column(TITLE, required=True, nonempty=True),
    Column(TRANSLATOR),
    Column(TRANSLATED_FROM),
    Column(DOCUMENT_DATE, type="date"),
    Column(PUBLISHED_IN),
    Column(YEAR, type="year"),
    Column(ARCHIVE_RECORD),
    Column(PROVIDER),
    Column(URL, type="url"),
    Column(PROVENANCE),
)
# Columns an export adds for the reader, which the loader accepts and recomputes.
DERIVED_COLUMNS = {MESSAGES_FILE: (CITATION,)}
LIST_FIRST = {SENDERS: SENDER, RECIPIENTS: RECIPIENT}
# What a corpus folder says of itself: its title, description, licence (all optional).
METADATA_FILE = "corpus.json"
METADATA_TEXT_FIELDS = (
    "title",
    "description",
    "publisher",
    "publisher_url",
    "licence",
    "licence_url",
    "url",
    "date",
)
DISPATCHES_CSV = "dispatches-csv"
# Files a corpus folder may leave out: a corpus of bare messages is still a corpus.
OPTIONAL_FILES = (COPIES_FILE, EVENTS_FILE, STORY_FILE, PLACES_FILE, SOURCES_FILE)
TRUE_WORDS = {"true", "yes", "1"}
MAX_COPIES = 1000
FALSE_WORDS = {"false", "no", "0", ""}
# Problems listed in a CorpusError; the rest are counted.
MAX_PROBLEMS = 200


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a corpus file, located so that a person can find and fix it."""

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        return f"{', '.join(where)}: {self.message}"


class CorpusError(ValueError):
    """Every problem found in a corpus, reported together so all can be fixed in one pass.

    `count` is how many there are; `problems` and the message hold the first MAX_PROBLEMS, then
    how many more: a broken file of a million rows must not print a million lines.
    """

    def __init__(self, problems: Iterable[Problem]):
        found = list(problems)
        self.count = len(found)
        self.problems = tuple(found[:MAX_PROBLEMS])
        lines = [f"  {p}" for p in self.problems]
        if self.count > MAX_PROBLEMS:
            lines.append(f"  and {self.count - MAX_PROBLEMS} more")
        plural = "s" if self.count != 1 else ""
        super().__init__(f"{self.count} problem{plural} in the corpus:\n" + "\n".join(lines))


def people_in(messages: pd.DataFrame) -> set[str]:
    """Everyone who sent, received or relayed one of `messages`."""
    involved = {*messages[SENDER].unique(), *messages[RECIPIENT].unique(), *messages[VIA].unique()}
    # Letters with several senders or recipients are few: look at their lists only.
    for column in (SENDERS, RECIPIENTS):
        several = messages[column][messages[column].str.contains(LIST_SEPARATOR, regex=False)]
        for value in several:
            involved.update(split_list(value))
    return involved - {""}


def parties_of(message: Mapping) -> tuple[list[str], list[str]]:
    """A letter's senders and recipients, in order, from one of its records."""
    senders = split_list(message.get(SENDERS, "")) or [message[SENDER]]
    recipients = split_list(message.get(RECIPIENTS, "")) or [message[RECIPIENT]]
    return senders, recipients


def party_table(messages: pd.DataFrame) -> pd.DataFrame:
    """One row per (letter, person, role): who a letter touches, for filtering by person."""
    frames = []
    for role, column in (("sender", SENDERS), ("recipient", RECIPIENTS), ("via", VIA)):
        ids = messages[column].str.split(LIST_SEPARATOR).explode().str.strip()
        frame = pd.DataFrame({MESSAGE_ID: messages[MESSAGE_ID].reindex(ids.index), PERSON_ID: ids})
        frame[ROLE_IN_LETTER] = role
        frames.append(frame[frame[PERSON_ID] != ""])
    return pd.concat(frames, ignore_index=True)


def fold(text: str) -> str:
    """Case- and accent-insensitive key, so 'filippov', 'Filippov' and 'Fílippov' all match."""
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def split_list(value: str) -> list[str]:
    return [item.strip() for item in value.split(LIST_SEPARATOR) if item.strip()]


# A source id: letters, digits, '-', '.' and '_', so that it stands in a cell without quotes.
SOURCE_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


@dataclass(frozen=True)
class Reference:
    """One reference of a `source` cell: the source's id, and where in it."""

    source_id: str
    locator: str = ""

    def __str__(self) -> str:
        return (
            f"{self.source_id}{LOCATOR_SEPARATOR} {self.locator}"
            if self.locator
            else self.source_id
        )


@dataclass(frozen=True)
class Citation:
    """A reference in words, and the source's stable address where it has one."""

    text: str
    url: str = ""
    source_id: str = ""

    def __str__(self) -> str:
        return f"{self.text}, {self.url}" if self.url else self.text


def parse_references(cell: str) -> list[Reference]:
    """The references of a `source` cell: 'yorulmaz-1949-telegrams: footnote 6 |
    wilson-121773: cable of 6 February'. A locator may hold any text but '|'.

    Raises ValueError, saying what is wrong, for a part that does not start with a source id.
    """
    if not cell.strip():
        return []
    references = []
    for part in cell.split(REFERENCE_SEPARATOR):
        ident, _colon, locator = part.partition(LOCATOR_SEPARATOR)
        ident = ident.strip()
        if not SOURCE_ID_PATTERN.fullmatch(ident):
            shown = part.strip()
            raise ValueError(
                (f"{shown!r} does not start with a source id" if shown else "an empty reference")
                + f": write 'source_id{LOCATOR_SEPARATOR} where in the source', references "
                f"separated by ' {REFERENCE_SEPARATOR} ' (ids from {SOURCES_FILE})"
            )
        references.append(Reference(ident, locator.strip()))
    return references


def source_citation(source: Mapping) -> str:
    """A source as a reader cites it, from its row of sources.csv: who wrote or translated
    it, its title, its date, where and when it was published, its record number."""
    title = f"'{source[TITLE]}'"
    author, translator = source.get(AUTHOR, ""), source.get(TRANSLATOR, "")
    original = source.get(TRANSLATED_FROM, "")
    trans = f"trans. from {original}" if original else "trans."
    if author:
        parts = [author, title]
        if translator:
            parts.append(f"{trans} by {translator}")
        elif original:
            parts.append(f"translated from {original}")
    elif translator:
        parts = [f"{translator} ({trans})", title]
    else:
        parts = [title] + ([f"translated from {original}"] if original else [])
    day = source.get(DOCUMENT_DATE)
    if day is not None and not pd.isna(day) and day != "":
        day = pd.Timestamp(day)
        parts.append(f"{day.day} {day:%B %Y}")
    parts += [source[c] for c in (PUBLISHED_IN, YEAR) if source.get(c)]
    if source.get(ARCHIVE_RECORD):
        parts.append(f"record {source[ARCHIVE_RECORD]}")
    return ", ".join(parts)


# Filters kept per corpus: a playback tick, a hover or a page turn repeats the last one.
FILTERS_KEPT = 8
# Letters dated within this span are found by a sorted search on their first day; the few
# with longer spans (a "18th century" guess) are checked one by one.
SHORT_SPAN = np.timedelta64(366, "D")


def _instant(day: pd.Timestamp) -> np.datetime64:
    return day.to_datetime64().astype(DATE_UNIT)


def _ranges(offsets: np.ndarray, order: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """The rows of `order` listed for each of `positions` (offsets[i]:offsets[i + 1]), sorted."""
    starts, lengths = offsets[positions], offsets[positions + 1] - offsets[positions]
    total = int(lengths.sum())
    if total == 0:
        return np.empty(0, dtype=np.int64)
    # Each row's place is its range's start plus its rank within the range.
    shift = np.repeat(starts - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths)
    return np.sort(order[shift + np.arange(total)])


def _grouped(keys: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Rows grouped by their message position (0 <= key < n): (offsets, rows in that order)."""
    order = np.argsort(keys, kind="stable")
    counts = np.bincount(keys[keys >= 0], minlength=n)
    offsets = np.concatenate(([0], np.cumsum(counts)))
    # Rows whose message is not in the corpus sort first, as key -1: step over them.
    return offsets + int((keys < 0).sum()), order


@dataclass
class CorpusIndex:
    """What a filter needs that the filter does not change, as arrays by message position."""

    date_from: np.ndarray
    date_to: np.ndarray
    short_order: np.ndarray  # letters with a short span, by their first day
    short_from: np.ndarray
    long_spans: np.ndarray  # the others with both bounds
    day_order: np.ndarray  # dated letters by the day a chart plots
    day_sorted: np.ndarray
    kind: np.ndarray
    kinds: tuple[str, ...]
    person_letters: dict[str, np.ndarray]
    party_offsets: np.ndarray
    party_order: np.ndarray
    copy_offsets: np.ndarray
    copy_order: np.ndarray
    filtered: OrderedDict = field(default_factory=OrderedDict)

    @classmethod
    def build(cls, corpus: Corpus) -> CorpusIndex:
        messages = corpus.messages
        n = len(messages)
        day = messages[DATE].to_numpy(dtype=DATE_UNIT)
        low = messages[DATE_FROM] if DATE_FROM in messages else messages[DATE]
        high = messages[DATE_TO] if DATE_TO in messages else messages[DATE]
        low, high = low.to_numpy(dtype=DATE_UNIT), high.to_numpy(dtype=DATE_UNIT)
        bounded = ~np.isnat(low) & ~np.isnat(high)
        short = bounded & (high - low <= SHORT_SPAN)
        short_positions = np.flatnonzero(short)
        short_order = short_positions[np.argsort(low[short_positions], kind="stable")]
        dated = np.flatnonzero(~np.isnat(day))
        day_order = dated[np.argsort(day[dated], kind="stable")]
        ids = pd.Index(messages[MESSAGE_ID])
        if not ids.is_unique:
            ids = ids.drop_duplicates()
        parties = corpus.parties
        party_keys = ids.get_indexer(parties[MESSAGE_ID])
        copy_keys = ids.get_indexer(corpus.copies[MESSAGE_ID])
        party_offsets, party_order = _grouped(party_keys, n)
        copy_offsets, copy_order = _grouped(copy_keys, n)
        touched = pd.DataFrame({PERSON_ID: parties[PERSON_ID].to_numpy(), "at": party_keys})
        touched = touched[touched["at"] >= 0].drop_duplicates().sort_values([PERSON_ID, "at"])
        people, firsts = np.unique(touched[PERSON_ID].to_numpy(dtype=object), return_index=True)
        letters = np.split(touched["at"].to_numpy(dtype=np.int64), firsts[1:])
        kind = messages[KIND].to_numpy(dtype=object)
        return cls(
            date_from=low,
            date_to=high,
            short_order=short_order,
            short_from=low[short_order],
            long_spans=np.flatnonzero(bounded & ~short),
            day_order=day_order,
            day_sorted=day[day_order],
            kind=kind,
            kinds=tuple(sorted(k for k in pd.unique(kind) if k)),
            person_letters=dict(zip(people, letters, strict=True)) if len(people) else {},
            party_offsets=party_offsets,
            party_order=party_order,
            copy_offsets=copy_offsets,
            copy_order=copy_order,
        )

    def select(
        self,
        start: pd.Timestamp | None,
        end: pd.Timestamp | None,
        people: tuple[str, ...],
        kinds: tuple[str, ...],
    ) -> np.ndarray | None:
        """The positions of the letters a filter keeps, in corpus order; None for all."""
        if start is None and end is None and not people and not kinds:
            return None
        low = None if start is None else _instant(start)
        high = None if end is None else _instant(end)
        if people:
            # From the people's own letters: a person's filter costs what they wrote.
            found = [self.person_letters[p] for p in people if p in self.person_letters]
            positions = np.unique(np.concatenate(found)) if found else np.empty(0, np.int64)
        elif low is not None and high is not None:
            positions = self.between(low, high)
        else:
            positions = np.arange(len(self.kind))
        # NaT compares false: an undated letter, or an open end, meets no date asked for.
        if low is not None and (people or high is None):
            positions = positions[self.date_to[positions] >= low]
        if high is not None and (people or low is None):
            positions = positions[self.date_from[positions] <= high]
        if kinds:
            positions = positions[np.isin(self.kind[positions], list(kinds))]
        return positions

    def between(self, low: np.datetime64, high: np.datetime64) -> np.ndarray:
        """Letters whose span meets [low, high]: a sorted search, then the few long spans."""
        first = np.searchsorted(self.short_from, low - SHORT_SPAN, side="left")
        last = np.searchsorted(self.short_from, high, side="right")
        near = self.short_order[first:last]
        near = near[self.date_to[near] >= low]
        longs = self.long_spans
        longs = longs[(self.date_from[longs] <= high) & (self.date_to[longs] >= low)]
        return np.sort(np.concatenate((near, longs)))

    def dated_until(self, day: pd.Timestamp) -> np.ndarray:
        last = np.searchsorted(self.day_sorted, _instant(day), side="right")
        return np.sort(self.day_order[:last])

    def dated_on(self, day: pd.Timestamp, through: pd.Timestamp | None = None) -> np.ndarray:
        """Letters plotted on `day`, or on any day from `day` to `through`."""
        first = np.searchsorted(self.day_sorted, _instant(day), side="left")
        end = _instant(day if through is None else through)
        last = np.searchsorted(self.day_sorted, end, side="right")
        return np.sort(self.day_order[first:last])

    def parties_of(self, positions: np.ndarray) -> np.ndarray:
        return _ranges(self.party_offsets, self.party_order, positions)

    def copies_of(self, positions: np.ndarray) -> np.ndarray:
        return _ranges(self.copy_offsets, self.copy_order, positions)


@dataclass(frozen=True)
class Corpus:
    """The messages, the people and bodies, the distribution copies and the context events.

    Immutable: every filter returns a new Corpus. `people` and `alias_index` always hold the
    whole cast, so that a filtered corpus can still name everyone.
    """

    messages: pd.DataFrame
    people: pd.DataFrame
    copies: pd.DataFrame
    events: pd.DataFrame
    origin: str = "bundled corpus"
    period: tuple[pd.Timestamp, pd.Timestamp] = field(
        default=(pd.Timestamp("1949-01-01"), pd.Timestamp("1949-05-31"))
    )
    alias_index: Mapping[str, str] = field(default_factory=dict, repr=False)
    # The guided story, one row a step in order; empty when the corpus has none.
    story: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=[c.name for c in SCHEMAS[STORY_FILE]]),
        repr=False,
    )
    places: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=[c.name for c in SCHEMAS[PLACES_FILE]]),
        repr=False,
    )
    # The documents the facts come from (sources.csv); empty for an imported edition, whose
    # `source` cells say in words where each letter is printed.
    sources: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=[c.name for c in SCHEMAS[SOURCES_FILE]]),
        repr=False,
    )
    # What the edition says of itself: its title names the page, its licence the exports.
    meta: Metadata = field(default_factory=Metadata, repr=False)
    # One row per (letter, person, role): built once at load, filtered with the letters.
    parties: pd.DataFrame | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.parties is None:
            object.__setattr__(self, "parties", party_table(self.messages))

    @cached_property
    def _derived(self) -> dict[Hashable, object]:
        return {}

    def memo(self, name: Hashable, make: Callable[[Corpus], T]) -> T:
        """`make(self)`, made once and kept with this corpus (which never changes): the
        tables other modules derive from it, such as its network's edges, shared by the
        chart and its text alternative and by the next request for the same filter."""
        kept = self._derived
        if name not in kept:
            kept[name] = make(self)
        return kept[name]  # type: ignore[return-value]

    def recent(self, name: Hashable, key: Hashable, make: Callable[[], T], size: int = 16) -> T:
        """`make()`, kept with this corpus under (`name`, `key`) while it is among the `size`
        keys of `name` asked for last: for what depends on a view (its dates, its rows) as
        well as on the corpus, so that a long session of new views does not fill the memory."""
        kept: OrderedDict = self.memo(name, lambda _: OrderedDict())
        if key in kept:
            kept.move_to_end(key)
            return kept[key]
        value = kept[key] = make()
        while len(kept) > size:
            kept.popitem(last=False)
        return value

    # --- filtering --------------------------------------------------------------------
    @cached_property
    def index(self) -> CorpusIndex:
        """The letters' dates, people and parties as sorted arrays: built once per corpus
        (the app builds the whole corpus's at start-up), so that filters search, not scan."""
        return CorpusIndex.build(self)

    def filter(
        self,
        start: pd.Timestamp | str | None = None,
        end: pd.Timestamp | str | None = None,
        people: Iterable[str] | None = None,
        kinds: Iterable[str] | None = None,
    ) -> Corpus:
        """Letters within [start, end] (inclusive), touching any of `people`, of any of `kinds`.

        A letter touches a person who sent, received or relayed it. A letter dated by a
        span is kept when its span meets [start, end]; an undated letter is kept only when
        no dates are asked for. Copies follow their letters; events are kept when they
        overlap the date range.
        """
        start = None if start is None else pd.Timestamp(start)
        end = None if end is None else pd.Timestamp(end)
        people = tuple(people) if people else ()
        kinds = tuple(kinds) if kinds else ()
        key = (start, end, people, kinds)
        # A playback tick, a hover and a page turn ask again for the filter just made.
        cached = self.index.filtered.get(key)
        if cached is not None:
            self.index.filtered.move_to_end(key)
            return cached
        positions = self.index.select(start, end, people, kinds)
        events = self.events
        if start is not None:
            events = events[events[END].fillna(events[START]) >= start]
        if end is not None:
            events = events[events[START] <= end]
        if positions is not None:
            part = self._subset(positions, events=events)
        else:
            copies = self._copies_of(None)
            unchanged = len(copies) == len(self.copies) and len(events) == len(self.events)
            part = self if unchanged else replace(self, copies=copies, events=events)
        self.index.filtered[key] = part
        while len(self.index.filtered) > FILTERS_KEPT:
            self.index.filtered.popitem(last=False)
        return part

    def _subset(self, positions: np.ndarray, **changes: object) -> Corpus:
        """The corpus cut to the letters at `positions` (sorted), with their parties and copies
        (and any other field in `changes`). It remembers where it was cut from: what it
        derives (graph.edges_of) can be cut from this corpus's instead of walking its letters
        again."""
        index = self.index
        part = replace(
            self,
            messages=self.messages.iloc[positions],
            parties=self.parties.iloc[index.parties_of(positions)],
            copies=self._copies_of(positions),
            **changes,
        )
        part.memo(SUBSET_OF, lambda _: (self, positions))
        return part

    def _copies_of(self, positions: np.ndarray | None) -> pd.DataFrame:
        if self.copies.empty:
            return self.copies
        if positions is None:
            # Copies of letters outside the corpus (an extract's) are never shown.
            return self.copies[self.copies[MESSAGE_ID].isin(self.messages[MESSAGE_ID])]
        return self.copies.iloc[self.index.copies_of(positions)]

    @property
    def undated(self) -> pd.DataFrame:
        """The letters whose source gives no date: counted and listed, never plotted."""
        return self.messages[self.messages[DATE].isna()]

    @property
    def has_copies(self) -> bool:
        """Whether the corpus records distribution copies (the copy flow has something)."""
        return not self.copies.empty

    def until(self, day: pd.Timestamp | date) -> Corpus:
        """What playback shows on `day`: the messages sent by then (and their copies)."""
        return self._subset(self.index.dated_until(pd.Timestamp(day)))

    def subset_of(self) -> tuple[Corpus, np.ndarray] | None:
        """The corpus this one was cut from (by a filter, or by playback's day) and the
        positions of its letters there; None for a corpus read whole."""
        return self.memo(SUBSET_OF, lambda _: None)

    def played(
        self, day: date | None, through: date | None = None
    ) -> tuple[Corpus, frozenset[str] | None]:
        """What playback draws on `day`: the messages sent by then, and the ids that light up.
        A step longer than a day (a week, a month, a year over a long span) runs from `day`
        `through` its last day: everything sent by then is drawn and the step's letters lit.

        With no day (no playback) the corpus is drawn whole and nothing is lit: None, not an
        empty set, which means a playback day without messages.
        """
        if day is None:
            return self, None
        return self.until(through or day), self.sent_on(day, through)

    def sent_on(
        self, day: pd.Timestamp | date, through: pd.Timestamp | date | None = None
    ) -> frozenset[str]:
        """The ids of the messages dated `day` (or from `day` through `through`): the ones
        playback lights up."""
        last = None if through is None else pd.Timestamp(through)
        positions = self.index.dated_on(pd.Timestamp(day), last)
        return frozenset(self.messages[MESSAGE_ID].to_numpy()[positions])

    # --- lookups ----------------------------------------------------------------------
    def resolve(self, text: str) -> str | None:
        """The person_id that a name, alias, codename or id stands for, or None."""
        return self.alias_index.get(fold(text))

    def label(self, person_id: str, codenames: bool = False, short: bool = False) -> str:
        """How to show a person: by name, or by the codename the documents use for them;
        `short` for a small chart, where a short name stands in for a long one."""
        row = self.people_by_id.get(person_id)
        if row is None:
            return person_id
        if codenames and row[CODENAME]:
            return row[CODENAME]
        return (short and row[SHORT_NAME]) or row[NAME]

    def route(self, message: Mapping, codenames: bool = False) -> str:
        """'Iosif Stalin → via Terebin → Mao Zedong': who a message went from and to."""
        senders, recipients = parties_of(message)
        hops = [", ".join(self.label(p, codenames) for p in senders)]
        if message[VIA]:
            hops.append(f"via {self.label(message[VIA], codenames)}")
        hops.append(", ".join(self.label(p, codenames) for p in recipients))
        return " → ".join(hops)

    @property
    def sources_by_id(self) -> dict[str, dict]:
        return _records_by(self.sources, SOURCE_ID)

    def citations(self, cell: str) -> list[Citation]:
        """A `source` cell as citations a reader can look up, one per reference.

        Without sources.csv (an imported edition) the cell is its own citation, as written.
        """
        if not cell:
            return []
        if self.sources.empty:
            return [Citation(cell)]
        try:
            references = parse_references(cell)
        except ValueError:
            return [Citation(cell)]
        found = self.sources_by_id
        cited = []
        for reference in references:
            source = found.get(reference.source_id)
            if source is None:
                cited.append(Citation(str(reference)))
                continue
            text = source_citation(source)
            if reference.locator:
                text += f", {reference.locator}"
            cited.append(Citation(text, source[URL], reference.source_id))
        return cited

    def cite(self, cell: str) -> str:
        """A `source` cell as one line a reader can cite: "Muhsin Yorulmaz (trans. from
        Turkish), 'The 1949 telegrammes ...', footnote 6"; references joined by '; '."""
        return "; ".join(str(citation) for citation in self.citations(cell))

    @property
    def people_by_id(self) -> dict[str, dict]:
        return _records_by(self.people, PERSON_ID)

    @property
    def places_by_id(self) -> dict[str, dict]:
        return _records_by(self.places, PLACE_ID)

    @property
    def messages_by_id(self) -> dict[str, dict]:
        return _records_by(self.messages, MESSAGE_ID)

    @property
    def kinds(self) -> list[str]:
        return list(self.index.kinds)

    @cached_property
    def message_ids(self) -> frozenset[str]:
        """Every letter's id, for checking a link's ids against: built once per corpus, as
        every request reads its URL."""
        return frozenset(self.messages[MESSAGE_ID])

    # --- aggregation ------------------------------------------------------------------
    def pair_counts(self) -> pd.DataFrame:
        """Messages per (sender, recipient), every sender of a letter to every recipient."""
        pairs = self.messages[[SENDERS, RECIPIENTS]].apply(
            lambda column: column.str.split(LIST_SEPARATOR)
        )
        pairs = (
            pairs.explode(SENDERS)
            .explode(RECIPIENTS)
            .rename(columns={SENDERS: SENDER, RECIPIENTS: RECIPIENT})
        )
        return pairs.groupby([SENDER, RECIPIENT], sort=True).size().rename(COUNT).reset_index()

    def daily_counts(self) -> pd.DataFrame:
        """Messages per day over the whole period, days without messages included as 0."""
        days = pd.date_range(*self.period, freq="D", name=DATE)
        counts = self.messages.groupby(DATE).size().reindex(days, fill_value=0)
        return counts.rename(COUNT).reset_index()

    def copy_counts(self) -> pd.DataFrame:
        """Distribution copies per (message, member), with the message's sender and date."""
        columns = [MESSAGE_ID, SENDER, DATE, MEMBER, COPIES]
        if self.copies.empty:
            return pd.DataFrame(columns=columns)
        # A dict join of the letters that have copies only: on tables this small it is
        # several times faster than DataFrame.merge, and a large edition has few or none.
        copied = self.messages[self.messages[MESSAGE_ID].isin(self.copies[MESSAGE_ID])]
        messages = {
            message: (sender, day)
            for message, sender, day in zip(
                copied[MESSAGE_ID].tolist(), copied[SENDER].tolist(), copied[DATE], strict=True
            )
        }
        rows = [
            (message, *messages[message], member, count)
            for message, member, count in zip(
                self.copies[MESSAGE_ID], self.copies[MEMBER], self.copies[COPIES], strict=True
            )
            if message in messages
        ]
        table = pd.DataFrame(rows, columns=columns)
        table[COPIES] = table[COPIES].astype("int64")
        return table.sort_values([DATE, MESSAGE_ID, MEMBER], ignore_index=True)

    def copies_per_member(self) -> pd.DataFrame:
        """Total copies each member received, largest first."""
        totals = self.copies.groupby(MEMBER)[COPIES].sum().sort_values(ascending=False)
        return totals.reset_index()

    def summary(self) -> str:
        """One line: counts and date span, e.g. for `validate` on a clean corpus."""
        dates = self.messages[DATE].dropna()
        span = f"{dates.min():%d %b %Y} - {dates.max():%d %b %Y}" if len(dates) else "no dates"
        undated = len(self.messages) - len(dates)
        return (
            f"{len(self.messages)} messages, {len(self.people)} people, "
            f"{int(self.copies[COPIES].sum())} copies in {len(self.copies)} rows, "
            f"{len(self.events)} events, {span}" + (f", {undated} undated" if undated else "")
        )


_RECORDS_CACHE: OrderedDict[tuple[int, str], tuple[pd.DataFrame, dict[str, dict]]] = OrderedDict()
# Every filter makes new frames; keeping the indexes of the last few is enough for one
# request, and bounds what a long-running server holds.
_RECORDS_CACHE_SIZE = 64


def _records_by(frame: pd.DataFrame, key: str) -> dict[str, dict]:
    """Rows as dicts by their id, built once per frame: a corpus never changes its frames.

    The frame is kept beside its index so that its id cannot be reused by another frame.
    """
    cached = _RECORDS_CACHE.get((id(frame), key))
    if cached is None or cached[0] is not frame:
        cached = (frame, {row[key]: row for row in frame.to_dict("records")})
        _RECORDS_CACHE[(id(frame), key)] = cached
        while len(_RECORDS_CACHE) > _RECORDS_CACHE_SIZE:
            _RECORDS_CACHE.popitem(last=False)
    else:
        _RECORDS_CACHE.move_to_end((id(frame), key))
    return cached[1]


# --- loading and validation ---------------------------------------------------------------


def load_corpus(path: str | Path | None = None) -> Corpus:
    """Read and validate a corpus; raise CorpusError naming every problem found.

    `path` is a folder holding messages.csv and people.csv (copies.csv and events.csv are
    optional), or a single messages CSV, such as one exported from the app: its people,
    copies and events come from beside it when present, else from the bundled corpus.
    With no path, the bundled corpus. Files are only read, never written.
    """
    files = corpus_files(path)
    problems: list[Problem] = []
    raw = {name: _read_csv(file_path, name, problems) for name, file_path in files.items()}
    # Every file that could be read is checked, so one pass reports everything there is.
    frames = {
        name: _typed(frame, name, problems) for name, frame in raw.items() if frame is not None
    }
    if len(frames) == len(SCHEMAS):
        extract = path is not None and not Path(path).is_dir()
        if extract:
            frames = _cut_to_extract(frames)
        _check_references(frames, problems, replies_outside=extract)
        _check_story_period(frames, problems)
    alias_index: dict[str, str] = {}
    if PEOPLE_FILE in frames:
        alias_index, clashes = index_names(frames[PEOPLE_FILE])
        problems.extend(clashes)
    if problems:
        raise CorpusError(problems)

    messages = frames[MESSAGES_FILE].sort_values([DATE, MESSAGE_ID], ignore_index=True)
    folder = files[MESSAGES_FILE].parent
    return Corpus(
        messages=messages,
        people=frames[PEOPLE_FILE],
        copies=frames[COPIES_FILE],
        events=frames[EVENTS_FILE].sort_values([START, EVENT_ID], ignore_index=True),
        story=frames[STORY_FILE],
        places=frames[PLACES_FILE],
        sources=frames[SOURCES_FILE],
        origin=str(files[MESSAGES_FILE]),
        period=period_of(messages[DATE]),
        alias_index=alias_index,
        meta=read_metadata(folder / METADATA_FILE),
    )


def read_metadata(path: Path) -> Metadata:
    """What a corpus folder says of itself (corpus.json), or nothing when it says nothing.

    A file that cannot be read leaves the corpus untitled; its letters are what matters.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Metadata(source_format=DISPATCHES_CSV)
    if not isinstance(data, dict):
        return Metadata(source_format=DISPATCHES_CSV)
    known = {name: data[name] for name in METADATA_TEXT_FIELDS if isinstance(data.get(name), str)}
    editors = data.get("editors", [])
    editions = data.get("editions", {})
    return Metadata(
        **known,
        editors=tuple(str(e) for e in editors) if isinstance(editors, list) else (),
        # The editions the letters come from, by id: [kind, text], as CMIF's bibl gives them.
        editions={
            str(key): (str(value[0]), str(value[1]))
            for key, value in editions.items()
            if isinstance(value, list) and len(value) == 2
        }
        if isinstance(editions, dict)
        else {},
        source_format=DISPATCHES_CSV,
    )


def corpus_files(path: str | Path | None) -> dict[str, Path]:
    """Where each corpus file is read from, for a folder, a lone messages CSV, or None."""
    folder = BUNDLED_DATA if path is None else Path(path)
    if path is None or folder.is_dir():
        return {name: folder / name for name in SCHEMAS}
    # A lone messages file: the other files from beside it if there, else the bundled ones.
    files = {MESSAGES_FILE: folder}
    for name in SCHEMAS:
        if name != MESSAGES_FILE:
            beside = folder.parent / name
            # The bundled story narrates the bundled corpus: it never joins other messages.
            fallback = beside if name == STORY_FILE else BUNDLED_DATA / name
            files[name] = beside if beside.exists() else fallback
    # The bundled sources are cited by the bundled people, copies and events: they join the
    # extract that takes those, not one whose people are its own.
    if files[PEOPLE_FILE].parent != BUNDLED_DATA and files[SOURCES_FILE].parent == BUNDLED_DATA:
        files[SOURCES_FILE] = folder.parent / SOURCES_FILE
    return files


def _read_csv(path: Path, name: str, problems: list[Problem]) -> pd.DataFrame | None:
    """The file as text cells, or None (with the reasons in `problems`) if it cannot be read.

    Read strictly: a row with more or fewer fields than the header (a record cut short, a
    stray comma), text that is not UTF-8 and a quote left open are each named by row, and a
    file with any of them is not used further, so that no record is checked with its fields
    shifted or lost. Missing optional columns are added empty; columns the schema does not
    know, and headers given twice, are problems, so a misspelt column is never silently ignored.
    """
    schema = SCHEMAS[name]
    where = str(path)
    if not path.exists():
        if name in OPTIONAL_FILES:
            return pd.DataFrame({c.name: pd.Series(dtype="str") for c in schema})
        problems.append(Problem(where, None, None, "file not found"))
        return None
    records = _records(path, problems)
    if records is None:
        return None
    header, *rows = records
    names = [cell.strip() for cell in header]
    broken = False
    for number, record in enumerate(records, start=1):
        bad = [i for i, cell in enumerate(record) if _UNDECODED.search(cell)]
        if bad:
            column = names[bad[0]] if number > 1 and bad[0] < len(names) else None
            problems.append(Problem(where, number, column, "not UTF-8 text; save it as UTF-8"))
            broken = True
        elif number > 1 and len(record) != len(names) and any(c.strip() for c in record):
            problems.append(
                Problem(
                    where,
                    number,
                    None,
                    f"this row has {len(record)} field{'s' if len(record) != 1 else ''} and "
                    f"the header {len(names)}: a row cut short, or a comma outside quotes",
                )
            )
            broken = True
    if broken:
        return None
    # Blank lines are kept as rows (and dropped below) so that row numbers stay true.
    cells = [row if len(row) == len(names) else [""] * len(names) for row in rows]
    frame = pd.DataFrame(cells, columns=names, dtype=str)
    known = {c.name for c in schema}
    derived = set(DERIVED_COLUMNS.get(name, ()))
    seen: set[str] = set()
    for column in names:
        if column in seen:
            problems.append(Problem(where, 1, column, "this column appears twice"))
        elif column not in known | derived:
            expected = ", ".join(c.name for c in schema)
            problems.append(
                Problem(where, 1, column, f"unknown column (the columns are: {expected})")
            )
        seen.add(column)
    frame = frame.loc[:, ~frame.columns.duplicated()]
    # An export's citation column says in words what `source` says by id: made again on load.
    frame = frame.drop(columns=[c for c in frame.columns if c in derived])
    missing = [c.name for c in schema if c.required and c.name not in frame.columns]
    for column in missing:
        problems.append(Problem(where, 1, column, "required column is missing"))
    for column in schema:
        if column.name not in frame.columns:
            frame[column.name] = ""
    frame = frame.map(_cell)
    frame = frame[(frame != "").any(axis=1)]
    frame.attrs["path"] = where
    frame.attrs["missing"] = [c.name for c in schema if c.name not in names]
    return frame


def _cell(text: str) -> str:
    """A cell without its blanks, and without the quote that a CSV export puts before text a
    spreadsheet would run ("'=SUM(A1)"), so that an exported file reloads as it was."""
    text = text.strip()
    return text[1:] if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@") else text


# A byte that is not UTF-8, as `surrogateescape` keeps it: read on, then name its row.
_UNDECODED = re.compile("[\udc80-\udcff]")


def _records(path: Path, problems: list[Problem]) -> list[list[str]] | None:
    """Every record of the file, the header first; None, with the row, if it is no CSV."""
    try:
        text = path.read_bytes().decode("utf-8-sig", errors="surrogateescape")
    except OSError as exc:
        problems.append(Problem(str(path), None, None, f"cannot be read: {exc.strerror}"))
        return None
    records: list[list[str]] = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        for record in reader:
            records.append(record)
    except csv.Error as exc:
        # The record that failed is the one after those read: a quote left open runs to the end.
        row = len(records) + 1
        problems.append(Problem(str(path), row, None, f"not a readable CSV row: {exc}"))
        return None
    if not records or not any(cell.strip() for cell in records[0]):
        problems.append(Problem(str(path), 1, None, "the file has no header row"))
        return None
    return records


def _row(index: int) -> int:
    """The spreadsheet row of a data row: the header is row 1."""
    return int(index) + 2


def _typed(frame: pd.DataFrame, name: str, problems: list[Problem]) -> pd.DataFrame:
    """Convert each column to its type, reporting every value that does not fit."""
    path = frame.attrs.get("path", name)
    raw, frame = frame, frame.copy()

    def report(rows: pd.Index, column: str, message: str) -> None:
        for index in rows:
            text = message.format(value=frame[column][index])
            problems.append(Problem(path, _row(index), column, text))

    missing = set(frame.attrs.get("missing", ()))
    for column in SCHEMAS[name]:
        values = frame[column.name]
        if column.nonempty and column.name not in missing:
            report(values.index[values == ""], column.name, "value is empty")
        if column.type == "date":
            parsed = pd.to_datetime(values, format="%Y-%m-%d", errors="coerce")
            bad = parsed.isna() & (values != "")
            shaped = values.str.fullmatch(r"\d{4}-\d{2}-\d{2}")
            report(
                values.index[bad & ~shaped],
                column.name,
                "{value!r} is not a date in the form YYYY-MM-DD",
            )
            report(
                values.index[bad & shaped], column.name, "{value!r} is not a day in the calendar"
            )
            # One unit for every date column, whether or not it holds any date.
            frame[column.name] = parsed.astype(DATE_UNIT)
        elif column.type == "int":
            whole = values.str.fullmatch(r"-?\d{1,9}")
            report(
                values.index[~whole & (values != "")],
                column.name,
                "{value!r} is not a whole number",
            )
            numbers = pd.to_numeric(values.where(whole, "0")).astype("int64")
            report(
                values.index[whole & (numbers <= 0)], column.name, "{value} is not a positive count"
            )
            report(
                values.index[numbers > MAX_COPIES],
                column.name,
                f"{{value}} is more than {MAX_COPIES}; a copy count that large is surely a typo",
            )
            frame[column.name] = numbers
        elif column.type == "bool":
            lowered = values.str.lower()
            unknown = ~lowered.isin(TRUE_WORDS | FALSE_WORDS)
            report(values.index[unknown], column.name, "{value!r} is not true or false")
            frame[column.name] = lowered.isin(TRUE_WORDS)
        elif column.type == "certainty":
            unknown = ~values.isin((*DATE_CERTAINTIES, ""))
            allowed = ", ".join(DATE_CERTAINTIES)
            report(values.index[unknown], column.name, f"{{value!r}} is not one of {allowed}")
            frame[column.name] = values.replace("", DATE_CERTAINTIES[0])
        elif column.type == "precision":
            unknown = ~values.isin((*PRECISIONS, ""))
            allowed = ", ".join(PRECISIONS)
            report(values.index[unknown], column.name, f"{{value!r}} is not one of {allowed}")
        elif column.type == "year":
            report(
                values.index[~values.str.fullmatch(r"\d{1,4}") & (values != "")],
                column.name,
                "{value!r} is not a year",
            )
        elif column.type == "url":
            report(
                values.index[~values.str.match(r"https?://\S+$") & (values != "")],
                column.name,
                "{value!r} is not a web address (http:// or https://)",
            )
        elif column.type == "dates":
            for index, value in values[values != ""].items():
                for day in split_list(value):
                    if pd.isna(pd.to_datetime(day, format="%Y-%m-%d", errors="coerce")):
                        problems.append(
                            Problem(
                                path, _row(index), column.name, f"{day!r} is not a YYYY-MM-DD day"
                            )
                        )
    key = {
        MESSAGES_FILE: MESSAGE_ID,
        PEOPLE_FILE: PERSON_ID,
        EVENTS_FILE: EVENT_ID,
        STORY_FILE: STEP,
        SOURCES_FILE: SOURCE_ID,
    }.get(name)
    if key:
        duplicated = frame[key].duplicated(keep="first") & (frame[key] != "")
        report(frame.index[duplicated], key, "{value!r} appears more than once")
    if name == SOURCES_FILE:
        ids = frame[SOURCE_ID]
        report(
            ids.index[~ids.str.fullmatch(SOURCE_ID_PATTERN.pattern) & (ids != "")],
            SOURCE_ID,
            "{value!r} is not a source id: use letters, digits and '-' (yorulmaz-1949)",
        )
    if name == STORY_FILE:
        # The URL names a step by its number, so the numbers must be the file's order.
        expected = pd.Series(range(1, len(frame) + 1), index=frame.index)
        numbered = pd.to_numeric(raw[STEP], errors="coerce").notna()
        misnumbered = (frame[STEP] != expected) & numbered
        for index in frame.index[misnumbered]:
            problems.append(
                Problem(
                    path,
                    _row(index),
                    STEP,
                    f"step {frame[STEP][index]} should be {expected[index]}: "
                    "number the steps 1, 2, 3... in the order of the file",
                )
            )
    if name in (EVENTS_FILE, STORY_FILE):
        backwards = frame[END].notna() & (frame[END] < frame[START])
        report(frame.index[backwards], END, "the span ends before it starts")
    if name == MESSAGES_FILE:
        frame = _derive_dates_and_parties(frame, raw[DATE] == "", report)
    return frame


def _derive_dates_and_parties(
    frame: pd.DataFrame, blank_date: pd.Series, report: Callable[[pd.Index, str, str], None]
) -> pd.DataFrame:
    """Fill what a simple messages file leaves out: a day's bounds and precision, and the
    party lists, which name the one sender and recipient when not given."""
    undated = frame[DATE].isna()
    precision = frame[DATE_PRECISION]
    said_none = precision == NONE
    report(
        frame.index[blank_date & ~said_none],
        DATE,
        "value is empty (leave it empty only with date_precision 'none')",
    )
    frame[DATE_PRECISION] = precision.where(precision != "", DAY).where(~undated, NONE)
    frame[DATE_FROM] = frame[DATE_FROM].fillna(frame[DATE])
    frame[DATE_TO] = frame[DATE_TO].fillna(frame[DATE])
    backwards = frame[DATE_TO] < frame[DATE_FROM]
    report(frame.index[backwards], DATE_TO, "the span ends before it starts")
    outside = (frame[DATE] < frame[DATE_FROM]) | (frame[DATE] > frame[DATE_TO])
    report(frame.index[outside & ~backwards], DATE, "the day to plot is outside date_from-date_to")
    frame[SENDERS] = frame[SENDERS].where(frame[SENDERS] != "", frame[SENDER])
    frame[RECIPIENTS] = frame[RECIPIENTS].where(frame[RECIPIENTS] != "", frame[RECIPIENT])
    return frame


def _cut_to_extract(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """A lone messages CSV is an extract, such as a filtered export: copies follow its messages.

    The files beside it (or the bundled ones) describe the whole corpus it was cut from.
    """
    present = frames[MESSAGES_FILE][MESSAGE_ID]
    copies = frames[COPIES_FILE]
    return {**frames, COPIES_FILE: copies[copies[MESSAGE_ID].isin(present)]}


def _check_references(
    frames: dict[str, pd.DataFrame], problems: list[Problem], replies_outside: bool = False
) -> None:
    """Every person and message a row points to must exist.

    In an extract (`replies_outside`), a message may answer one that was left out of it.
    """
    people = set(frames[PEOPLE_FILE][PERSON_ID])
    messages = set(frames[MESSAGES_FILE][MESSAGE_ID])
    places = set(frames[PLACES_FILE][PLACE_ID])
    sources = set(frames[SOURCES_FILE][SOURCE_ID])
    for name, frame in frames.items():
        path = frame.attrs.get("path", name)
        for column in SCHEMAS[name]:
            if column.type == "sources":
                # Without sources.csv a source cell is free text, as an edition writes it.
                if sources:
                    _check_sources(frame, column.name, sources, path, problems)
                continue
            known, what, home = {
                "person": (people, "person", PEOPLE_FILE),
                "people": (people, "person", PEOPLE_FILE),
                "message": (messages, "message", MESSAGES_FILE),
                "place": (places, "place", PLACES_FILE),
            }.get(column.type, (None, None, None))
            if known is None or (replies_outside and column.name == IN_REPLY_TO):
                continue
            # A party list repeats its first party, which its own column reports.
            first = LIST_FIRST.get(column.name)
            for index, value in frame[column.name].items():
                ids = split_list(value) if column.type == "people" else [value]
                for ident in ids:
                    if first and ident == frame[first][index]:
                        continue
                    if ident and ident not in known:
                        problems.append(
                            Problem(
                                path,
                                _row(index),
                                column.name,
                                f"unknown {what} {ident!r} (not in {home})",
                            )
                        )


def _check_sources(
    frame: pd.DataFrame, column: str, known: set[str], path: str, problems: list[Problem]
) -> None:
    """Every reference of a `source` cell names a source of sources.csv."""
    for index, value in frame[column].items():
        try:
            references = parse_references(value)
        except ValueError as error:
            problems.append(Problem(path, _row(index), column, str(error)))
            continue
        for reference in references:
            if reference.source_id not in known:
                problems.append(
                    Problem(
                        path,
                        _row(index),
                        column,
                        f"unknown source {reference.source_id!r} (not in {SOURCES_FILE})",
                    )
                )


def _check_story_period(frames: dict[str, pd.DataFrame], problems: list[Problem]) -> None:
    """A story step must show days the views can show: inside the corpus period."""
    story = frames[STORY_FILE]
    first, last = period_of(frames[MESSAGES_FILE][DATE].dropna())
    path = story.attrs.get("path", STORY_FILE)
    for column in (START, END):
        outside = story[column].notna() & ((story[column] < first) | (story[column] > last))
        for index in story.index[outside]:
            problems.append(
                Problem(
                    path,
                    _row(index),
                    column,
                    f"{story[column][index]:%Y-%m-%d} is outside the corpus period "
                    f"{first:%Y-%m-%d} to {last:%Y-%m-%d}",
                )
            )


def index_names(people: pd.DataFrame) -> tuple[dict[str, str], list[Problem]]:
    """Map every id, authority id, name, short name, codename and alias to its person.

    In a hand-made corpus one name finds one person, and a name given to two is a problem.
    An edition's people are told apart by their ids (two Johann Müllers with two GND ids):
    a name form two of them share finds the first, and each id finds its own.
    """
    index: dict[str, str] = {}
    clashes: list[Problem] = []
    path = people.attrs.get("path", PEOPLE_FILE)
    columns = (PERSON_ID, AUTHORITY, NAME, SHORT_NAME, CODENAME, ALIASES)
    rows = list(zip(*(people[c] for c in columns), strict=True))
    imported = {row[0]: bool(row[1]) or str(row[0]).startswith("unknown-") for row in rows}
    for position, row in zip(people.index, rows, strict=True):
        person = row[0]
        names = [
            *zip(columns[:5], row[:5], strict=True),
            *((ALIASES, alias) for alias in split_list(row[5])),
        ]
        for column, alias in names:
            if not alias:
                continue
            owner = index.setdefault(fold(alias), person)
            if owner != person and not (imported[person] or imported[owner]):
                clashes.append(
                    Problem(path, _row(position), column, f"{alias!r} already names {owner!r}")
                )
    return index, clashes


def period_of(dates: pd.Series) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Whole months around the messages: for the bundled corpus, 1 January to 31 May 1949."""
    dates = dates.dropna()
    if dates.empty:
        return Corpus.__dataclass_fields__["period"].default
    first = dates.min().to_period("M").start_time
    last = dates.max().to_period("M").end_time.normalize()
    return first, last


def date_words(row: Mapping, certainty: bool = True) -> str:
    """A letter's date as its source gives it, in words (with how sure, unless `certainty`
    is False): '20 May 1894', 'May 1894', '1894',
    '26 Sep 1541 or later', 'between 1 and 9 May 1894', 'Sep or Oct 1774', 'no date'."""
    precision = row.get(DATE_PRECISION) or "day"
    low, high, day = row.get(DATE_FROM), row.get(DATE_TO), row.get(DATE)

    def known(value: object) -> bool:
        return value is not None and not pd.isna(value)

    if precision == "none" or not known(day):
        text = "no date"
    elif precision == "month":
        text = f"{day:%b %Y}"
    elif precision == "year":
        text = f"{day.year}"
    elif precision == "set" and row.get(DATE_CANDIDATES):
        text = " or ".join(
            f"{pd.Timestamp(d).day} {pd.Timestamp(d):%b %Y}"
            for d in split_list(row[DATE_CANDIDATES])
        )
    elif precision in ("range", "set") and known(low) and known(high) and low != high:
        text = f"between {low.day} {low:%b %Y} and {high.day} {high:%b %Y}"
    elif precision in ("range", "set") and known(low) and not known(high):
        text = f"{low.day} {low:%b %Y} or later"
    elif precision in ("range", "set") and known(high) and not known(low):
        text = f"{high.day} {high:%b %Y} or earlier"
    else:
        text = f"{day.day} {day:%b %Y}"
    sureness = row.get(DATE_CERTAINTY) or "exact"
    if certainty and sureness != "exact" and text != "no date":
        text += f" ({CERTAINTY_LABEL.get(sureness, sureness)})"
    return text

"""From letters to a corpus: people and places keyed on authority ids, dates kept as stated.

Every reader hands over `Letter`s; this module turns them into the model's tables once,
in one pass that keeps only plain lists per column, so that a 100,000-letter file costs
its tables and little more. People and places with an authority id (GND, VIAF, GeoNames,
LoC, Wikidata, however the file spells it) are one person or place each; a party without
one is keyed on its name; an anonymous party ("unknown", "N.N.") is a person of its own
in each letter, never merged with the others.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import pandas as pd

from dashboard import authority
from dashboard.dates import DAY, NONE, LetterDate
from dashboard.letters import (
    BODY,
    PERSON,
    Letter,
    Metadata,
    Party,
    Place,
    Source,
)
from dashboard.model import (
    ALIASES,
    AUTHORITY,
    CODENAME,
    COPIES_FILE,
    DATE,
    DATE_CANDIDATES,
    DATE_CERTAINTY,
    DATE_FROM,
    DATE_NOTE,
    DATE_PRECISION,
    DATE_TEXT,
    DATE_TO,
    DATE_UNIT,
    EDITION,
    EVENT_ID,
    EVENTS_FILE,
    EXTRA,
    KEY,
    KIND,
    LIST_SEPARATOR,
    MESSAGE_ID,
    MESSAGES_FILE,
    NAME,
    PEOPLE_FILE,
    PERSON_ID,
    PERSON_KIND,
    PLACE_ID,
    PLACE_NAMES,
    PLACES_FILE,
    POLITBURO,
    POSITION,
    RECEIVED_DATE,
    RECEIVED_PLACE,
    RECIPIENT,
    RECIPIENT_NAMES,
    RECIPIENTS,
    SCHEMAS,
    SENDER,
    SENDER_NAMES,
    SENDERS,
    SENT_PLACE,
    SHORT_NAME,
    SOURCE,
    START,
    STORY_FILE,
    TITLE,
    URL,
    WRITTEN_NAME,
    Corpus,
    fold,
    index_names,
    parties_of,
    period_of,
    split_list,
)

LETTER_KIND = "letter"
# Names that say nobody knows who wrote or received a letter: each such party is its own
# person, so that "unknown" never becomes the best-connected correspondent of an edition.
ANONYMOUS = re.compile(
    r"^[\[(]?\s*(unknown|unbekannt\w*|anonym\w*|anonymous|inconnu\w*|ignot\w*|n\.?\s*n\.?|"
    r"nn|\?+|x+|unidentified|not known|sconosciut\w*)\s*[\])]?\.?$"
)


@lru_cache(maxsize=65536)
def is_anonymous(name: str) -> bool:
    """Whether a name stands for nobody in particular ("N.N.", "[Unbekannt]", "", "?")."""
    return not name.strip() or bool(ANONYMOUS.match(fold(name)))


def display_name(name: str, kind: str) -> tuple[str, str]:
    """The name to show and a short one: 'Schnitzler, Arthur' shows as 'Arthur Schnitzler',
    short 'Schnitzler'. Bodies and names without one comma stay as written."""
    parts = [part.strip() for part in name.split(",")]
    if kind != BODY and len(parts) == 2 and all(parts):
        return f"{parts[1]} {parts[0]}", parts[0]
    return name, ""


def slug(text: str) -> str:
    """A URL-safe id from a name: lower case, ASCII letters and digits joined by hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")[:60] or "x"


@dataclass
class _Entity:
    """A person or place as the letters name it, gathered while they are read."""

    ident: str
    authority: str
    kind: str
    names: Counter = field(default_factory=Counter)


class _Register:
    """People (or places) keyed once: by authority id where there is one, else by name."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.entities: dict[str, _Entity] = {}
        self.by_key: dict[str, str] = {}

    def add(self, name: str, ref: str, kind: str, anonymous_key: str = "") -> tuple[str, bool]:
        """The id of the person or place named; whether its ref was recognised (or absent)."""
        name = " ".join(name.split())
        canonical = _normalised(ref) if ref.strip() else None
        recognised = canonical is not None or not ref.strip()
        if canonical:
            key, ident = canonical, authority.short_id(canonical)
        elif ref.strip() and authority.is_uri(ref.strip()):
            # An id of a scheme we do not know is still an id: it keys its person.
            key, ident = ref.strip(), f"{self.prefix}ref-{slug(ref)}"
        elif anonymous_key:
            key, ident = anonymous_key, anonymous_key
        else:
            key, ident = f"name:{fold(name)}", f"{self.prefix}{slug(name)}"
        known = self.by_key.get(key)
        if known is None:
            known = ident
            while known in self.entities:  # two names that slug alike stay two people
                known = f"{ident}-{len(self.entities)}"
            self.by_key[key] = known
            self.entities[known] = _Entity(known, canonical or "", kind)
        if name:
            self.entities[known].names[name] += 1
        return known, recognised


# An edition names the same few thousand people and places in every letter: each spelling
# of an id is read once.
_normalised = lru_cache(maxsize=65536)(authority.normalise)


def _day(value: date | None) -> pd.Timestamp | None:
    return pd.Timestamp(value) if value is not None else None


def date_record(value: LetterDate | None) -> str:
    """A second date (of receipt) as one JSON cell: the first date has columns of its own."""
    if value is None:
        return ""
    return json.dumps(
        {
            "text": value.text,
            "precision": value.precision,
            "earliest": value.earliest.isoformat() if value.earliest else None,
            "latest": value.latest.isoformat() if value.latest else None,
            "certainty": value.certainty,
            "candidates": [d.isoformat() for d in value.candidates],
        },
        ensure_ascii=False,
    )


def date_from_record(text: str) -> LetterDate | None:
    """The inverse of date_record; None for an empty or unreadable cell."""
    try:
        data = json.loads(text) if text else None
        if not isinstance(data, dict):
            return None
        return LetterDate(
            text=str(data.get("text", "")),
            precision=str(data.get("precision", NONE)),
            earliest=date.fromisoformat(data["earliest"]) if data.get("earliest") else None,
            latest=date.fromisoformat(data["latest"]) if data.get("latest") else None,
            certainty=str(data.get("certainty", "")),
            candidates=tuple(date.fromisoformat(d) for d in data.get("candidates", [])),
        )
    except (ValueError, TypeError, KeyError):
        return None


def corpus_from_letters(
    letters: Iterable[Letter],
    metadata: Metadata,
    origin: str = "",
) -> Corpus:
    """Build the corpus: one pass over the letters, column lists, then the tables."""
    people = _Register("")
    places = _Register("place-")
    columns: dict[str, list] = {c.name: [] for c in SCHEMAS[MESSAGES_FILE]}
    used_ids: set[str] = set()
    for number, letter in enumerate(letters, start=1):
        message_id = _message_id(letter.key, number, used_ids)
        senders, sender_names = _parties(letter.senders, "s", message_id, people)
        recipients, recipient_names = _parties(letter.recipients, "r", message_id, people)
        when = letter.date
        row = {
            MESSAGE_ID: message_id,
            DATE: _day(when.plot_day),
            DATE_CERTAINTY: when.certainty,
            DATE_NOTE: "",
            DATE_TEXT: when.text,
            DATE_PRECISION: when.precision,
            DATE_FROM: _day(when.earliest),
            DATE_TO: _day(when.latest),
            DATE_CANDIDATES: LIST_SEPARATOR.join(d.isoformat() for d in when.candidates),
            RECEIVED_DATE: date_record(letter.received_date),
            SENDER: senders[0],
            RECIPIENT: recipients[0],
            SENDERS: LIST_SEPARATOR.join(senders),
            RECIPIENTS: LIST_SEPARATOR.join(recipients),
            SENDER_NAMES: names_cell(sender_names),
            RECIPIENT_NAMES: names_cell(recipient_names),
            SENT_PLACE: _place(letter.sent_place, places),
            RECEIVED_PLACE: _place(letter.received_place, places),
            PLACE_NAMES: names_cell(
                [p.name.strip() if p else "" for p in (letter.sent_place, letter.received_place)]
            ),
            KIND: LETTER_KIND,
            TITLE: letter.title,
            SOURCE: letter.edition,
            URL: letter.url,
            EDITION: letter.edition,
            KEY: letter.key,
            POSITION: letter.where,
            EXTRA: json.dumps([list(pair) for pair in letter.extra], ensure_ascii=False)
            if letter.extra
            else "",
        }
        for name, values in columns.items():
            values.append(row.get(name, ""))
    messages = _messages_frame(columns)
    people_frame = _people_frame(people)
    places_frame = _places_frame(places)
    return Corpus(
        messages=messages,
        people=people_frame,
        copies=_empty(COPIES_FILE),
        events=_empty(EVENTS_FILE),
        story=_empty(STORY_FILE),
        places=places_frame,
        origin=origin,
        period=period_of(messages[DATE]),
        alias_index=index_names(people_frame)[0],
        meta=metadata,
    )


def _message_id(key: str, number: int, used: set[str]) -> str:
    """The letter's own key when it can stand in a URL list and is not taken, else L00042."""
    candidate = key.strip()
    if not candidate or candidate in used or re.search(r"[,\s]", candidate):
        candidate = f"L{number:05d}"
        while candidate in used:
            candidate += "x"
    used.add(candidate)
    return candidate


def _parties(
    parties: tuple[Party, ...],
    role: str,
    message_id: str,
    people: _Register,
) -> tuple[list[str], list[str]]:
    """The ids of a letter's senders (or recipients), and their names as this letter writes
    them; one unknown person if there are none. A person named twice is one party."""
    named: dict[str, str] = {}
    for position, party in enumerate(parties or (Party(""),), start=1):
        anonymous = (
            f"unknown-{slug(message_id)}-{role}{position}" if is_anonymous(party.name) else ""
        )
        # A ref no scheme recognises was reported by the reader; the person stays, without it.
        ident, _ = people.add(party.name, party.ref, party.kind, anonymous)
        named.setdefault(ident, " ".join(party.name.split()))
    return list(named), list(named.values())


def names_cell(names: list[str]) -> str:
    """Names as one cell: a JSON list, since a name may hold any separator."""
    return json.dumps(names, ensure_ascii=False) if any(names) else ""


def names_from_cell(text: str) -> list[str]:
    try:
        names = json.loads(text) if text else []
    except ValueError:
        return []
    return [str(n) for n in names] if isinstance(names, list) else []


def _place(place: Place | None, places: _Register) -> str:
    if place is None or not (place.name.strip() or place.ref.strip()):
        return ""
    ident, _ = places.add(place.name, place.ref, "place")
    return ident


def _messages_frame(columns: dict[str, list]) -> pd.DataFrame:
    frame = pd.DataFrame(columns)
    for column in SCHEMAS[MESSAGES_FILE]:
        if column.type == "date":
            frame[column.name] = pd.to_datetime(frame[column.name]).astype(DATE_UNIT)
        else:
            frame[column.name] = frame[column.name].fillna("").astype(str)
    return frame.sort_values([DATE, MESSAGE_ID], ignore_index=True, na_position="last")


def _people_frame(people: _Register) -> pd.DataFrame:
    rows = []
    for ident, entity in people.entities.items():
        written = [name for name, _ in entity.names.most_common()]
        first = written[0] if written else "unknown correspondent"
        name, short = display_name(first, entity.kind)
        aliases = [n for n in written if n != name]
        rows.append(
            {
                PERSON_ID: ident,
                NAME: name,
                WRITTEN_NAME: first if written else "",
                SHORT_NAME: short,
                ALIASES: LIST_SEPARATOR.join(aliases),
                CODENAME: "",
                PERSON_KIND: entity.kind,
                AUTHORITY: entity.authority,
                POLITBURO: False,
            }
        )
    return _table(PEOPLE_FILE, rows)


def _places_frame(places: _Register) -> pd.DataFrame:
    rows = []
    for ident, entity in places.entities.items():
        written = [name for name, _ in entity.names.most_common()] or [ident]
        rows.append(
            {
                PLACE_ID: ident,
                NAME: written[0],
                ALIASES: LIST_SEPARATOR.join(written[1:]),
                AUTHORITY: entity.authority,
            }
        )
    return _table(PLACES_FILE, rows)


def _table(name: str, rows: list[dict]) -> pd.DataFrame:
    """Rows as a frame with every column of the file's schema, empty text where not given."""
    frame = pd.DataFrame(rows, columns=[c.name for c in SCHEMAS[name]], dtype=object)
    for column in SCHEMAS[name]:
        if column.type == "bool":
            frame[column.name] = frame[column.name].fillna(False).astype(bool)
        else:
            frame[column.name] = frame[column.name].fillna("").astype(str)
    return frame


def _empty(name: str) -> pd.DataFrame:
    frame = _table(name, [])
    for column in SCHEMAS[name]:
        if column.type == "date":
            frame[column.name] = frame[column.name].astype(DATE_UNIT)
        elif column.type == "int":
            frame[column.name] = frame[column.name].astype("int64")
    if name == EVENTS_FILE:
        frame = frame.sort_values([START, EVENT_ID])
    return frame


def read_corpus(source: Source) -> Corpus:
    """The corpus a reader's letters make; its notices fill `source.notices` meanwhile."""
    return corpus_from_letters(source.letters, source.metadata, source.path)


def letters_of(corpus: Corpus) -> Iterator[Letter]:
    """The corpus's letters as a writer needs them: the inverse of corpus_from_letters, so
    that a CMIF file read and written again keeps its letters, parties, places and dates."""
    people = corpus.people_by_id
    places = corpus.places_by_id
    columns = [c.name for c in SCHEMAS[MESSAGES_FILE]]
    for values in zip(*(corpus.messages[c] for c in columns), strict=True):
        row = dict(zip(columns, values, strict=True))
        senders, recipients = parties_of(row)
        sent_at, received_at = [*names_from_cell(row[PLACE_NAMES]), "", ""][:2]
        yield Letter(
            key=row[KEY] or row[MESSAGE_ID],
            where=row[POSITION],
            senders=_parties_of(people, senders, names_from_cell(row[SENDER_NAMES])),
            recipients=_parties_of(people, recipients, names_from_cell(row[RECIPIENT_NAMES])),
            date=_letter_date(row),
            sent_place=_place_of(places, row[SENT_PLACE], sent_at),
            received_place=_place_of(places, row[RECEIVED_PLACE], received_at),
            received_date=date_from_record(row[RECEIVED_DATE]),
            title=row[TITLE],
            url=row[URL],
            edition=row[EDITION],
            extra=tuple(tuple(pair) for pair in json.loads(row[EXTRA])) if row[EXTRA] else (),
        )


def _parties_of(people: dict[str, dict], ids: list[str], written: list[str]) -> tuple:
    """Parties as the letter named them: its own name forms where it kept them."""
    written = written if len(written) == len(ids) else [""] * len(ids)
    return tuple(_party(people, ident, name) for ident, name in zip(ids, written, strict=True))


def _party(people: dict[str, dict], ident: str, written: str = "") -> Party:
    person = people.get(ident)
    if person is None:
        return Party(written or ident)
    anonymous = ident.startswith("unknown-")
    name = written or person[WRITTEN_NAME] or ("" if anonymous else person[NAME])
    kind = BODY if person[PERSON_KIND] == BODY else PERSON
    return Party(name, person[AUTHORITY], kind)


def _place_of(places: dict[str, dict], ident: str, written: str = "") -> Place | None:
    place = places.get(ident)
    if place is None:
        return None
    return Place(written or place[NAME], place[AUTHORITY])


def _letter_date(row: dict) -> LetterDate:
    def day(value: pd.Timestamp) -> date | None:
        return None if pd.isna(value) else value.date()

    if row[DATE_PRECISION] == NONE and not row[DATE_TEXT]:
        return LetterDate.none()
    candidates = tuple(date.fromisoformat(d) for d in split_list(row[DATE_CANDIDATES]))
    return LetterDate(
        text=row[DATE_TEXT] or (day(row[DATE]).isoformat() if day(row[DATE]) else ""),
        precision=row[DATE_PRECISION] or DAY,
        earliest=day(row[DATE_FROM]),
        latest=day(row[DATE_TO]),
        certainty=row[DATE_CERTAINTY],
        candidates=candidates,
    )

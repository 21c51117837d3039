"""Letters as an edition states them: what every reader hands the model, whatever the format.

A reader (CMIF, csv2cmi, the project's own CSV) turns its file into `Letter`s, a
`Metadata` and `Notice`s, and never builds DataFrames itself; `model.from_letters` keys
the people and places on their authority ids and builds the Corpus. So the model never
knows which format a corpus came in, and every format gets the same checks and report.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from dashboard.dates import LetterDate

PERSON = "person"
BODY = "body"  # an organisation: CMIF's orgName, a government, a party organ


@dataclass(frozen=True)
class Party:
    """A sender or recipient as the file names it; `ref` is the authority URI as written."""

    name: str
    ref: str = ""
    kind: str = PERSON


@dataclass(frozen=True)
class Place:
    """A place of sending or receipt as the file names it; `ref` as written (GeoNames...)."""

    name: str
    ref: str = ""


@dataclass(frozen=True)
class Letter:
    """One letter. `key` is its key in the source (CMIF @key, csv2cmi's key column), or ""
    when the source gives none; `where` says where it stands ("letters.xml, line 42")."""

    key: str
    where: str
    senders: tuple[Party, ...]
    recipients: tuple[Party, ...]
    date: LetterDate
    sent_place: Place | None = None
    received_place: Place | None = None
    received_date: LetterDate | None = None
    title: str = ""
    # The edition's own page for the letter (CMIF correspDesc/@ref) and the edition it is in.
    url: str = ""
    edition: str = ""
    # Fields the model does not use, by name, kept so that nothing a user brought is lost
    # and a writer can put them back (CMIF: @sameAs, note, ...; csv2cmi: extra columns).
    extra: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Notice:
    """Something an import met and what it did about it, located for the person who fixes it.

    `where` is the file and line (or row); `key` the letter's key when there is one;
    `action` one of the ACTIONS below, in words a reader of the report understands.
    """

    where: str
    message: str
    action: str = ""
    key: str = ""
    column: str = ""

    def __str__(self) -> str:
        place = self.where
        if self.key:
            place += f", letter {self.key}"
        if self.column:
            place += f", column {self.column!r}"
        text = f"{place}: {self.message}"
        return f"{text} ({self.action})" if self.action else text

    def as_dict(self) -> dict[str, str]:
        where = self.where + (f", letter {self.key}" if self.key else "")
        return {
            "where": where,
            "file_position": self.where,
            "key": self.key,
            "column": self.column,
            "message": self.message,
            "action": self.action,
        }


# What an import did about a problem: a report groups and counts by these.
IMPORTED_UNCERTAIN_DATE = "imported with an uncertain date"
IMPORTED_UNDATED = "imported without a date"
KEPT_WITHOUT_ID = "party kept without an authority id"
PLACE_WITHOUT_ID = "place kept without an authority id"
SKIPPED = "letter skipped"
IGNORED = "ignored"
IMPORTED = "imported as it is"


@dataclass
class Metadata:
    """What an edition says of itself (CMIF teiHeader, the bundled corpus's corpus.json)."""

    title: str = ""
    description: str = ""
    editors: tuple[str, ...] = ()
    publisher: str = ""
    publisher_url: str = ""
    licence: str = ""
    licence_url: str = ""
    url: str = ""
    date: str = ""
    # Printed or digital editions the letters come from: id (xml:id) -> (kind, text).
    editions: dict[str, tuple[str, str]] = field(default_factory=dict)
    source_format: str = ""


@dataclass
class Source:
    """A reader's answer: where and in which format, what the edition says of itself,
    the letters (an iterator, so that a large file streams) and the notices met so far."""

    path: str
    format: str  # "cmif", "csv2cmi", "dispatches-csv"
    metadata: Metadata
    letters: Iterator[Letter]
    notices: list[Notice]  # filled while `letters` is consumed
    skipped: list[Notice]  # letters that could not be imported at all (also in notices)

"""Reader for csv2cmi spreadsheets: one letter a row, in the columns editors fill to make CMIF.

The convention (saw-leipzig/csv2cmi): sender, senderID, senderPlace, senderPlaceID,
senderDate, addressee, addresseeID, addresseePlace, addresseePlaceID, addresseeDate,
edition, key; header names in any case. Several parties share a cell joined by "|", their
ids in the same order in the ID cell. Every other column (senderDateText, note, the
editor's own) is kept in `Letter.extra` under its header name, so nothing is lost.

csv2cmi has no column that says whether a party is a person or an organisation, so every
party is read as a person; a GND number does not say it reliably either.
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from dashboard import authority
from dashboard.dates import NONE, LetterDate, from_edtf
from dashboard.formats import UnreadableFile
from dashboard.letters import (
    IGNORED,
    IMPORTED,
    IMPORTED_UNCERTAIN_DATE,
    IMPORTED_UNDATED,
    KEPT_WITHOUT_ID,
    PERSON,
    PLACE_WITHOUT_ID,
    SKIPPED,
    Letter,
    Metadata,
    Notice,
    Party,
    Place,
    Source,
)

FORMAT = "csv2cmi"

SENDER = "sender"
SENDER_ID = "senderID"
SENDER_PLACE = "senderPlace"
SENDER_PLACE_ID = "senderPlaceID"
SENDER_DATE = "senderDate"
ADDRESSEE = "addressee"
ADDRESSEE_ID = "addresseeID"
ADDRESSEE_PLACE = "addresseePlace"
ADDRESSEE_PLACE_ID = "addresseePlaceID"
ADDRESSEE_DATE = "addresseeDate"
EDITION = "edition"
KEY = "key"
# The columns a Letter has a field for; any other column goes to Letter.extra.
COLUMNS = (
    SENDER,
    SENDER_ID,
    SENDER_PLACE,
    SENDER_PLACE_ID,
    SENDER_DATE,
    ADDRESSEE,
    ADDRESSEE_ID,
    ADDRESSEE_PLACE,
    ADDRESSEE_PLACE_ID,
    ADDRESSEE_DATE,
    EDITION,
    KEY,
)
_BY_LOWER = {name.lower(): name for name in COLUMNS}
# Spreadsheet programs save "CSV" with commas, or semicolons where the comma is the decimal
# mark, or tabs; the header, which must name sender and addressee, tells which.
_DELIMITERS = (",", ";", "\t")
_KNOWN_IDS = "GND, VIAF, GeoNames, LoC, Wikidata"

# The same few ids repeat on thousands of rows; recognising one is a few regexes.
_normalise = functools.lru_cache(maxsize=1 << 16)(authority.normalise)
_scheme = functools.lru_cache(maxsize=1 << 16)(authority.scheme)


def looks_like(head: str) -> bool:
    """Whether the start of a file looks like a csv2cmi sheet: a first line that, split by
    comma, semicolon or tab, names a sender and an addressee column."""
    lines = head.lstrip("\ufeff").splitlines()
    return bool(lines) and _delimiter(lines[0]) is not None


def _delimiter(header: str) -> str | None:
    for delimiter in _DELIMITERS:
        cells = next(csv.reader([header], delimiter=delimiter), [])
        names = {cell.strip().lower() for cell in cells}
        if SENDER in names and ADDRESSEE in names:
            return delimiter
    return None


def read(path: Path) -> Source:
    """Open a csv2cmi sheet: its header now, its letters one row at a time as consumed.

    Raises `UnreadableFile` when the file cannot be opened or its first line names neither
    a sender nor an addressee column. Everything met in the rows becomes a Notice in
    `Source.notices` (rows that give no letter also in `Source.skipped`), located as
    "<file>, row N" with the header as row 1, the way a spreadsheet numbers them.
    """
    path = Path(path)
    try:
        with path.open("rb") as handle:
            wide = utf16(handle.read(2))
            handle.seek(0)
            header = next(iter(_lines(handle, wide, {})), "")
    except OSError as error:
        raise UnreadableFile(path, error.strerror or str(error)) from None
    delimiter = _delimiter(header)
    if delimiter is None:
        delimiter = max(_DELIMITERS, key=header.count)
        names = {cell.strip().lower() for cell in next(csv.reader([header], delimiter=delimiter))}
        if SENDER not in names and ADDRESSEE not in names:
            raise UnreadableFile(
                path, "the first line names no sender or addressee column: not a csv2cmi sheet"
            )
    source = Source(
        path=str(path),
        format=FORMAT,
        metadata=Metadata(source_format=FORMAT),
        letters=iter(()),
        notices=[],
        skipped=[],
    )
    source.letters = _letters(path, delimiter, wide, source.notices, source.skipped)
    return source


def utf16(head: bytes) -> bool:
    """Whether a file begins with a UTF-16 byte order mark, as a spreadsheet saved as
    "Unicode text" does (with tabs between its columns)."""
    return head[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def _lines(handle: BinaryIO, wide: bool, bad: dict[int, str]) -> Iterator[str]:
    """The file's lines as text: UTF-16 when it begins with its byte order mark (a character
    it cannot decode is replaced), else UTF-8 (_decoded)."""
    if not wide:
        return _decoded(handle, bad)
    text = io.TextIOWrapper(handle, encoding="utf-16", errors="replace", newline="")
    return (line.removeprefix("\ufeff") for line in text)


def _decoded(handle: BinaryIO, bad: dict[int, str]) -> Iterator[str]:
    """The file's lines as text, noting in `bad` (by line number) the ones that are not
    UTF-8, so that the row they belong to can be named rather than the import failing."""
    for number, raw in enumerate(handle, start=1):
        if number == 1:
            raw = raw.removeprefix(codecs.BOM_UTF8)
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError as error:
            bad[number] = f"byte 0x{raw[error.start]:02x}"
            yield raw.decode("utf-8", errors="replace")


def _letters(
    path: Path, delimiter: str, wide: bool, notices: list[Notice], skipped: list[Notice]
) -> Iterator[Letter]:
    bad: dict[int, str] = {}
    with path.open("rb") as handle:
        rows = csv.reader(_lines(handle, wide, bad), delimiter=delimiter)
        header = next(rows, [])
        sheet = _Sheet(path.name, [cell.strip() for cell in header], notices, skipped)
        row, last_line = 1, rows.line_num
        broken = [bad.pop(line) for line in range(1, last_line + 1) if line in bad]
        if broken:
            sheet.notice(1, f"the header is not UTF-8 text ({broken[0]}); save the sheet as UTF-8")
        while True:
            row += 1
            try:
                cells = next(rows)
            except StopIteration:
                return
            except csv.Error as error:
                sheet.skip(row, f"the row cannot be read as CSV ({error})")
                if rows.line_num == last_line:  # the reader cannot move past it
                    return
                last_line = rows.line_num
                continue
            lines = range(last_line + 1, rows.line_num + 1)
            last_line = rows.line_num
            broken = [f"line {line}: {bad.pop(line)}" for line in lines if line in bad]
            if broken:
                sheet.skip(
                    row,
                    f"the row is not UTF-8 text ({'; '.join(broken)}); save the sheet as UTF-8",
                )
                continue
            letter = sheet.letter(row, cells, len(lines))
            if letter is not None:
                yield letter


class _Sheet:
    """What the header says about the columns, and how one row becomes a Letter."""

    def __init__(
        self, file_name: str, header: list[str], notices: list[Notice], skipped: list[Notice]
    ) -> None:
        self.file_name = file_name
        self.header = header
        self.notices = notices
        self.skipped = skipped
        # Where each known column stands, and its name as this sheet spells it.
        self.index: dict[str, int] = {}
        self.names: dict[str, str] = {name: name for name in COLUMNS}
        self.others: list[tuple[int, str]] = []
        for position, written in enumerate(header):
            known = _BY_LOWER.get(written.lower())
            if known and known not in self.index:
                self.index[known] = position
                self.names[known] = written
            else:
                self.others.append((position, written or f"column {position + 1}"))
        for needed in (SENDER, ADDRESSEE):
            if needed not in self.index:
                self.notice(1, f"the header has no {needed} column", IMPORTED, "")
        self._key = ""

    def where(self, row: int) -> str:
        return f"{self.file_name}, row {row}"

    def notice(self, row: int, message: str, action: str = IMPORTED, column: str = "") -> None:
        self.notices.append(Notice(self.where(row), message, action, self._key, column))

    def skip(self, row: int, message: str, key: str = "") -> None:
        notice = Notice(self.where(row), message, SKIPPED, key)
        self.notices.append(notice)
        self.skipped.append(notice)

    def letter(self, row: int, cells: list[str], lines: int) -> Letter | None:
        self._key = ""
        if not any(cell.strip() for cell in cells):
            self.notice(row, "the row is empty", IGNORED)
            return None
        values = {name: cells[at] for name, at in self.index.items() if at < len(cells)}
        self._key = values.get(KEY, "").strip()
        if len(cells) != len(self.header) and lines > 1:
            # A quote left open joins the rows after it into one field: what comes out is
            # no letter, and the rows it swallowed are named by the lines it spans.
            self.skip(
                row,
                f"the row has {len(cells)} fields where the header has {len(self.header)} "
                f"and runs over {lines} lines: is a quote left open?",
                self._key,
            )
            return None
        extra = [(name, cells[at]) for at, name in self.others if at < len(cells) and cells[at]]
        if len(cells) != len(self.header):
            self._uneven(row, cells, extra)
        senders = self._parties(row, values, SENDER, SENDER_ID, extra)
        recipients = self._parties(row, values, ADDRESSEE, ADDRESSEE_ID, extra)
        if not senders and not recipients:
            self.skip(row, "the row names neither a sender nor an addressee", self._key)
            return None
        for side, parties in ((SENDER, senders), (ADDRESSEE, recipients)):
            if not parties:
                self.notice(row, f"the row names no {side}", IMPORTED, self.names[side])
        sent = self._date(row, values, SENDER_DATE, IMPORTED_UNDATED)
        received = self._date(row, values, ADDRESSEE_DATE, IGNORED)
        return Letter(
            key=self._key,
            where=self.where(row),
            senders=senders,
            recipients=recipients,
            date=sent or LetterDate.none(),
            sent_place=self._place(row, values, SENDER_PLACE, SENDER_PLACE_ID, extra),
            received_place=self._place(row, values, ADDRESSEE_PLACE, ADDRESSEE_PLACE_ID, extra),
            received_date=received,
            edition=values.get(EDITION, "").strip(),
            extra=tuple(extra),
        )

    def _uneven(self, row: int, cells: list[str], extra: list[tuple[str, str]]) -> None:
        have, want = len(cells), len(self.header)
        message = f"the row has {have} fields where the header has {want}; "
        if have < want:
            message += "the missing ones are read as empty"
        else:
            extra.extend((f"column {at + 1}", cells[at]) for at in range(want, have) if cells[at])
            message += "those beyond are kept as extra columns"
        self.notice(row, message)

    def _parties(
        self, row: int, values: dict[str, str], names_at: str, ids_at: str, extra: list
    ) -> tuple[Party, ...]:
        names = _split(values.get(names_at, ""))
        ids = _split(values.get(ids_at, ""))
        column, id_column = self.names[names_at], self.names[ids_at]
        kept_cell = False
        if names and ids and len(names) != len(ids):
            if len(names) > len(ids):
                rest = ", ".join(repr(name) for name in names[len(ids) :])
                message = f"{len(names)} names but only {len(ids)} ids: {rest} kept without id"
                self.notice(row, message, KEPT_WITHOUT_ID, id_column)
            else:
                rest = ", ".join(repr(ref) for ref in ids[len(names) :])
                message = (
                    f"{len(ids)} ids but only {len(names)} names: {rest} name no one and are "
                    "not used (the cell is kept as written)"
                )
                self.notice(row, message, IGNORED, id_column)
                kept_cell = True
                ids = ids[: len(names)]
        parties = []
        for at in range(max(len(names), len(ids))):
            name = names[at] if at < len(names) else ""
            written = ids[at] if at < len(ids) else ""
            if not name and not written:
                if len(names) > 1:
                    self.notice(row, "an empty name between the pipes is left out", IGNORED, column)
                continue
            if not name:
                self.notice(row, f"a party with id {written!r} has no name", IMPORTED, column)
            ref = self._reference(row, name, written, id_column, KEPT_WITHOUT_ID, place=False)
            kept_cell = kept_cell or ref != written
            parties.append(Party(name=name, ref=ref, kind=PERSON))
        if kept_cell:
            extra.append((id_column, values.get(ids_at, "")))
        return tuple(parties)

    def _place(
        self, row: int, values: dict[str, str], name_at: str, id_at: str, extra: list
    ) -> Place | None:
        name = values.get(name_at, "").strip()
        written = values.get(id_at, "").strip()
        if not name and not written:
            return None
        id_column = self.names[id_at]
        ref = self._reference(row, name, written, id_column, PLACE_WITHOUT_ID, place=True)
        if ref != written:
            extra.append((id_column, values.get(id_at, "")))
        return Place(name=name, ref=ref)

    def _reference(
        self, row: int, name: str, written: str, column: str, action: str, place: bool
    ) -> str:
        """The id to keep for a party or place: as written when it is an authority id (or
        a URI of an authority this import does not know, which still keys it), else ""."""
        if not written:
            return ""
        who = repr(name) if name else "the unnamed party"
        canonical = _normalise(written)
        if canonical is not None:
            if not place and _scheme(canonical) == authority.GEONAMES:
                why = "a GeoNames id, which names a place, not a person"
                self.notice(row, f"{who} has {written!r}, {why}; kept without id", action, column)
                return ""
            return written
        claimed = authority.claimed_scheme(written)
        if claimed:
            self.notice(
                row,
                f"{who} has {written!r}, a {authority.NAMES[claimed]} address whose id is "
                "malformed; kept without id",
                action,
                column,
            )
            return ""
        if authority.is_uri(written):
            self.notice(
                row,
                f"{who} has {written!r}, not an authority this import knows ({_KNOWN_IDS}); "
                "the URI is kept as its id",
                IMPORTED,
                column,
            )
            return written
        message = f"{who} has {written!r}, which is not an authority id; kept without id"
        self.notice(row, message, action, column)
        return ""

    def _date(
        self, row: int, values: dict[str, str], column: str, undated: str
    ) -> LetterDate | None:
        cell = values.get(column, "")
        if not cell.strip():
            return None
        date, problems = from_edtf(cell)
        action = undated if date.precision == NONE else IMPORTED_UNCERTAIN_DATE
        for problem in problems:
            self.notice(row, problem, action, self.names[column])
        return date


def _split(cell: str) -> list[str]:
    """The parts of a pipe-joined cell, stripped; [] for an empty cell."""
    return [part.strip() for part in cell.split("|")] if cell.strip() else []

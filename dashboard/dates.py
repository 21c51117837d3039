"""Dates as sources give them: a day, a month, a year, a range, one of a set, or nothing.

A `LetterDate` keeps what the source says (its text, its precision, its bounds and its
certainty); the day a chart plots is derived from it (`plot_day`), never the other way
round. Readers build one with `from_edtf` (csv2cmi's EDTF-like cells) or `from_tei`
(CMIF's `<date>` attributes).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

# How precisely a date is known.
DAY = "day"
MONTH = "month"
YEAR = "year"
RANGE = "range"  # between two bounds, or open at one end
SET = "set"  # one of several candidates
NONE = "none"  # the source gives no date
PRECISIONS = (DAY, MONTH, YEAR, RANGE, SET, NONE)

# How sure the source is. `exact` unless it says otherwise: `approximate` for EDTF `~`
# (about this date), `uncertain` for EDTF `?`, TEI cert="low"/"unknown", evidence=
# "conjecture" (this date is a guess), `unknown` when no date is given at all.
EXACT = "exact"
APPROXIMATE = "approximate"
UNCERTAIN = "uncertain"
UNKNOWN = "unknown"
CERTAINTIES = (EXACT, APPROXIMATE, UNCERTAIN, UNKNOWN)


@dataclass(frozen=True)
class LetterDate:
    """What a source says of a letter's date.

    `earliest` and `latest` bound it (both the same day for a day; the month's first and
    last day for a month; None for an open end). `candidates` lists a set's members in
    order. `text` is the original, as written (EDTF cell, or the TEI attributes).
    """

    text: str
    precision: str
    earliest: date | None = None
    latest: date | None = None
    certainty: str = EXACT
    candidates: tuple[date, ...] = ()

    @property
    def plot_day(self) -> date | None:
        """The one day a chart places the letter on: the day itself; a closed span's middle;
        an open span's known end; a set's first candidate; None for no date."""
        if self.precision == SET and self.candidates:
            return self.candidates[0]
        low, high = self.earliest, self.latest
        if low and high:
            return low + (high - low) // 2
        return low or high

    @property
    def is_span(self) -> bool:
        """Whether the date covers more than one day (drawn as a range)."""
        return self.earliest != self.latest or self.earliest is None

    @classmethod
    def none(cls, text: str = "") -> LetterDate:
        return cls(text=text, precision=NONE, certainty=UNKNOWN)

    @classmethod
    def day(cls, day: date, certainty: str = EXACT, text: str | None = None) -> LetterDate:
        return cls(
            text=day.isoformat() if text is None else text,
            precision=DAY,
            earliest=day,
            latest=day,
            certainty=certainty,
        )

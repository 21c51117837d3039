"""Dates as sources give them: a day, a month, a year, a range, one of a set, or nothing.

A `LetterDate` keeps what the source says (its text, its precision, its bounds and its
certainty); the day a chart plots is derived from it (`plot_day`), never the other way
round. Readers build one with `from_edtf` (csv2cmi's EDTF-like cells) or `from_tei`
(CMIF's `<date>` attributes); writers turn one back with `to_edtf` and `to_tei`.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping
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


# Reading and writing dates. Readers never raise on a bad date: every parser below turns
# whatever it cannot place into a LetterDate that keeps the text, plus a sentence saying why.


class _Malformed(ValueError):
    """The text is not a date this module can read; the message says what is wrong."""


class _Unplaceable(ValueError):
    """A well-formed date whose year Python's `date` cannot hold (before 1 or after 9999)."""


# EDTF qualifiers: `?` uncertain, `~` approximate, `%` both. EDTF level 2 lets them stand on
# any component ("2004-?06-11"); a letter has one certainty, so any mark counts for the whole.
_QUALIFIERS = str.maketrans("", "", "?~%")
_SINGLE = re.compile(
    r"(?P<year>Y-?\d+|-?\d+X*)"
    r"(?:-(?P<month>\d\d|XX)(?:-(?P<day>\d\d|XX)"
    r"(?:T\d\d(?::\d\d(?::\d\d(?:\.\d+)?)?)?(?:Z|[+-]\d\d(?::?\d\d)?)?)?)?)?"
)
_TEI_VALUE = re.compile(r"-?\d{4,}(?:-\d\d(?:-\d\d(?:T\S*)?)?)?")
_SEASONS = range(21, 42)  # EDTF level 2 sub-year groupings: seasons, quarters, halves
_FORM = "YYYY, YYYY-MM or YYYY-MM-DD"
_OPEN_ENDS = ("", "..", "unknown", "open")

# A span is what one written date covers: (earliest, latest, precision).
_Span = tuple[date, date, str]


def _q(text: str) -> str:
    """A value quoted for a message, cut short so that a runaway cell cannot flood a report."""
    return f"'{text}'" if len(text) <= 40 else f"'{text[:37]}...'"


def _certainty_marks(text: str) -> str:
    if "?" in text or "%" in text:
        return UNCERTAIN
    return APPROXIMATE if "~" in text else EXACT


def _year(text: str) -> int:
    """The year as a number, refusing the ones `date` cannot hold (and huge digit strings,
    which `int` itself would refuse past a few thousand digits)."""
    sign = -1 if text.startswith("-") else 1
    digits = text.lstrip("-").lstrip("0") or "0"
    if len(digits) > 4:
        raise _Unplaceable(f"the year {_q(text)} lies after 9999")
    year = sign * int(digits)
    if not 1 <= year <= 9999:
        raise _Unplaceable(f"the year {_q(text)} lies before year 1")
    return year


def _single(token: str) -> _Span:
    """One EDTF date without qualifiers: a day, a month, a year, or a year with unspecified
    trailing digits ("17XX", a span of years)."""
    match = _SINGLE.fullmatch(token)
    if match is None:
        raise _Malformed(f"{_q(token)} is not a date of the form {_FORM}")
    year_text, month_text, day_text = match["year"], match["month"], match["day"]
    if year_text.startswith("Y"):
        year_text = year_text[1:]
    elif len(year_text.lstrip("-")) < 4:
        raise _Malformed(f"{_q(token)} has a year of fewer than four digits")
    if "X" in year_text:
        if month_text:
            raise _Malformed(f"{_q(token)} gives a month for a year it does not know")
        low, high = _year(year_text.replace("X", "0")), _year(year_text.replace("X", "9"))
        low, high = min(low, high), max(low, high)
        return date(low, 1, 1), date(high, 12, 31), RANGE
    year = _year(year_text)
    if month_text is None or month_text == "XX":
        if day_text not in (None, "XX"):
            raise _Malformed(f"{_q(token)} gives a day for a month it does not know")
        return date(year, 1, 1), date(year, 12, 31), YEAR
    month = int(month_text)
    if month in _SEASONS:
        raise _Malformed(f"{_q(token)} names a season or quarter (EDTF {month}), not a month")
    if not 1 <= month <= 12:
        raise _Malformed(f"{_q(token)} has month {month}; months run from 01 to 12")
    last = calendar.monthrange(year, month)[1]
    if day_text is None or day_text == "XX":
        return date(year, month, 1), date(year, month, last), MONTH
    day = int(day_text)
    if not 1 <= day <= last:
        name = calendar.month_name[month]
        raise _Malformed(f"{_q(token)} has day {day}, but {name} {year} has {last} days")
    return date(year, month, day), date(year, month, day), DAY


def _dated(text: str, span: _Span, certainty: str) -> LetterDate:
    earliest, latest, precision = span
    return LetterDate(text, precision, earliest, latest, certainty)


def _between(
    text: str, start: _Span | None, end: _Span | None, certainty: str, what: str
) -> LetterDate:
    """A date between two written bounds, either of which may be open. Bounds written the
    same are that date, and bounds that meet on one day are that day: a range would claim
    a doubt the source does not have."""
    if start is not None and start == end:
        return _dated(text, start, certainty)
    earliest = start[0] if start else None
    latest = end[1] if end else None
    if earliest and latest and earliest > latest:
        raise _Malformed(f"{what} ends before it begins")
    if earliest and earliest == latest:
        return LetterDate(text, DAY, earliest, latest, certainty)
    return LetterDate(text, RANGE, earliest, latest, certainty)


def _interval(body: str, text: str, certainty: str) -> LetterDate:
    parts = body.split("/")
    if len(parts) != 2:
        raise _Malformed(f"{_q(body)} has more than one '/'; an interval has a start and an end")
    # "" is EDTF's unknown end, ".." its open end; the 2012 draft, which older sheets
    # follow, spelled them "unknown" and "open". A letter's date is open either way.
    start, end = (
        None if part in _OPEN_ENDS else _single(part.translate(_QUALIFIERS)) for part in parts
    )
    if start is None and end is None:
        raise _Malformed("an interval open at both ends says nothing about the date")
    return _between(text, start, end, certainty, _q(body))


def _member(member: str) -> tuple[date | None, date | None, str]:
    """One member of an EDTF set: a date, a range "a..b", or open "..b" / "a.."."""
    if member.startswith(".."):
        return None, _single(member[2:])[1], RANGE
    if member.endswith(".."):
        return _single(member[:-2])[0], None, RANGE
    if ".." in member:
        first, last = member.split("..", 1)
        start, end = _single(first), _single(last)
        if start == end:
            return start
        if start[0] > end[1]:
            raise _Malformed(f"the range {_q(member)} ends before it begins")
        return start[0], end[1], RANGE
    return _single(member)


def _set(body: str, text: str, certainty: str) -> tuple[LetterDate, list[str]]:
    opening, closing = body[0], "]" if body[0] == "[" else "}"
    if not body.endswith(closing) or len(body) < 2:
        raise _Malformed(f"{_q(body)} opens a set with '{opening}' but does not close it")
    inner = body[1:-1].translate(_QUALIFIERS).strip()
    if not inner:
        raise _Malformed("the set is empty")
    members = [_member(part.strip()) for part in inner.split(",")]
    problems = []
    if opening == "{" and len(set(members)) > 1:
        # EDTF's "all of" (a letter written over several days) has no place in LetterDate;
        # its dates are kept as a set, plotted on the first, and the report says so.
        problems.append(
            f"{_q(body)} means all of these dates (a letter written over several days); "
            "kept as a set of its dates and placed on the first"
        )
    if len(set(members)) == 1:  # one candidate, however often written, is that date
        return _dated(text, members[0], certainty), problems
    plot_days = [LetterDate("", RANGE, low, high).plot_day for low, high, _ in members]
    lows = [low for low, _, _ in members]
    highs = [high for _, high, _ in members]
    return (
        LetterDate(
            text,
            SET,
            earliest=None if None in lows else min(lows),
            latest=None if None in highs else max(highs),
            certainty=certainty,
            candidates=tuple(day for day in plot_days if day is not None),
        ),
        problems,
    )


def from_edtf(text: str) -> tuple[LetterDate, list[str]]:
    """Read a csv2cmi date cell (EDTF levels 0 and 1, and sets from level 2).

    Returns the date and the problems met, in words, empty when the cell is clean. A day,
    month or year gives that precision; "a/b", "a/", "/b" (or ".." for an open end) a
    RANGE; "[a,b]" one of a SET whose candidates are each member's plot day; "{a,b}" (all
    of) is kept as a SET too, with a problem saying so. "?" and "%" make the date
    UNCERTAIN, "~" APPROXIMATE. A year before 1 or after 9999 keeps its text and certainty
    with no bounds; anything unreadable gives `LetterDate.none` with its text. Never raises.
    """
    written = text.strip()
    if not written:
        return LetterDate.none(text=written), []
    certainty = _certainty_marks(written)
    try:
        # A mark after the closing bracket is not EDTF, but its meaning is plain.
        if written[0] in "[{":
            return _set(written.rstrip("?~%"), written, certainty)
        if "/" in written:
            return _interval(written, written, certainty), []
        return _dated(written, _single(written.translate(_QUALIFIERS)), certainty), []
    except _Unplaceable as why:
        problem = f"{why}: no timeline can place it, so {_q(written)} is kept as text only"
        return LetterDate(written, NONE, certainty=certainty), [problem]
    except ValueError as why:  # _Malformed, and anything `date` refuses
        reason = str(why)
        if not reason.startswith(_q(written)):
            reason = f"{_q(written)}: {reason}"
        return LetterDate.none(text=written), [f"{reason}; kept as text, without a date"]


def _same(one: LetterDate, other: LetterDate) -> bool:
    """Whether two dates say the same thing, whatever text they were read from."""
    fields = ("precision", "earliest", "latest", "certainty", "candidates")
    return all(getattr(one, name) == getattr(other, name) for name in fields)


def _month(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def to_edtf(d: LetterDate) -> str:
    """The csv2cmi cell for a date: its own text when that reads back to the same date (so
    a sheet's cells, even unreadable ones, go out as they came in), otherwise EDTF built
    from the date. A set without its text is written as its candidate days."""
    if _same(from_edtf(d.text)[0], d):
        return d.text
    mark = "" if d.certainty == EXACT else "~" if d.certainty == APPROXIMATE else "?"

    def day(value: date | None) -> str:
        return value.isoformat() + mark if value else ""

    if d.precision == DAY and d.earliest:
        return day(d.earliest)
    if d.precision == MONTH and d.earliest:
        return _month(d.earliest) + mark
    if d.precision == YEAR and d.earliest:
        return f"{d.earliest.year:04d}{mark}"
    if d.precision == SET and d.candidates:
        return "[" + ",".join(day(value) for value in d.candidates) + "]"
    if d.precision in (RANGE, SET) and (d.earliest or d.latest):
        return f"{day(d.earliest)}/{day(d.latest)}"
    return ""


# TEI's att.datable attributes a CMIF <date> may carry, with their ISO twins ("when-iso").
_TEI_DATING = ("when", "notBefore", "notAfter", "from", "to")
_TEI_KEPT = (*_TEI_DATING, "cert", "evidence")
# TEI has no "about this day": cert="medium" is the nearest, a date the source commits to
# without vouching for it, so it stands for APPROXIMATE and APPROXIMATE is written as it.
_TEI_CERT = {"high": EXACT, "medium": APPROXIMATE, "low": UNCERTAIN, "unknown": UNCERTAIN}
_CERT_TEI = {APPROXIMATE: "medium", UNCERTAIN: "low", UNKNOWN: "unknown"}
_ATTRIBUTE = re.compile(r'\s*([\w:.-]+)="([^"]*)"')


def _tei_value(value: str) -> _Span:
    if not _TEI_VALUE.fullmatch(value):
        raise _Malformed(f"{_q(value)} is not a date of the form {_FORM}")
    return _single(value.split("T", 1)[0])


def _tei_certainty(values: Mapping[str, str], problems: list[str]) -> str:
    certainty = EXACT
    cert = values.get("cert", "").strip().lower()
    if cert in _TEI_CERT:
        certainty = _TEI_CERT[cert]
    elif cert:
        problems.append(f'cert="{values["cert"]}" is not high, medium, low or unknown; ignored')
    if values.get("evidence", "").lower() == "conjecture":
        certainty = UNCERTAIN  # a guess: as doubtful as cert="low", whatever cert says
    return certainty


def _tei_dated(
    values: Mapping[str, str], shown: str, certainty: str, problems: list[str]
) -> LetterDate:
    if "when" in values:
        others = [name for name in _TEI_DATING[1:] if name in values]
        if others:
            problems.append(f"the date gives when and also {', '.join(others)}; when is used")
        return _dated(shown, _tei_value(values["when"]), certainty)
    if "notBefore" in values and "from" in values:
        problems.append("the date gives both notBefore and from; notBefore is used")
    if "notAfter" in values and "to" in values:
        problems.append("the date gives both notAfter and to; notAfter is used")
    lower = values.get("notBefore") or values.get("from")
    upper = values.get("notAfter") or values.get("to")
    start = _tei_value(lower) if lower else None
    end = _tei_value(upper) if upper else None
    return _between(shown, start, end, certainty, f"the span from {lower} to {upper}")


def from_tei(attrs: Mapping[str, str], text: str = "") -> tuple[LetterDate, list[str]]:
    """Read a CMIF `<date>` from its attributes and its text content.

    `when` gives a day, month or year; notBefore/notAfter (or from/to) a RANGE, open when
    one is missing, or the bound's own precision when both are the same. cert="low" or
    "unknown" and evidence="conjecture" make it UNCERTAIN, cert="medium" APPROXIMATE. A
    range whose text content is an EDTF set inside its bounds (what `tei_text` writes) is
    read back as that SET. The date's text is the attributes as written, or the content
    when there are none. Never raises.
    """
    kept = {name: value for name, value in attrs.items() if name.removesuffix("-iso") in _TEI_KEPT}
    shown = " ".join(f'{name}="{value}"' for name, value in kept.items()) or text.strip()
    values = {
        name.removesuffix("-iso"): value.strip() for name, value in kept.items() if value.strip()
    }
    problems: list[str] = []
    certainty = _tei_certainty(values, problems)
    if not any(name in values for name in _TEI_DATING):
        if shown:
            problems.append("the date has no when, notBefore, notAfter, from or to: undated")
        if not values:
            return LetterDate.none(text=shown), problems
        return LetterDate(shown, NONE, certainty=certainty), problems
    try:
        dated = _tei_dated(values, shown, certainty, problems)
    except _Unplaceable as why:
        problems.append(f"{why}: no timeline can place it, so {shown} is kept as text only")
        return LetterDate(shown, NONE, certainty=certainty), problems
    except ValueError as why:
        problems.append(f"{shown}: {why}; kept as text, without a date")
        return LetterDate.none(text=shown), problems
    candidates = _written_candidates(text)
    if dated.precision == RANGE and len(candidates) > 1:
        low, high = dated.earliest, dated.latest
        if all((not low or low <= day) and (not high or day <= high) for day in candidates):
            return LetterDate(shown, SET, low, high, certainty, candidates), problems
    return dated, problems


def _written_candidates(text: str) -> tuple[date, ...]:
    """The candidate days of an EDTF set in a date's text content (as `tei_text` writes
    it), each member as it is even where two fall on one day; () for any other text."""
    body = text.strip().rstrip("?~%")
    if body[:1] + body[-1:] not in ("[]", "{}"):
        return ()
    try:
        members = [_member(part.strip()) for part in body[1:-1].translate(_QUALIFIERS).split(",")]
    except ValueError:  # not a set this module wrote: the text is only a label
        return ()
    days = (LetterDate("", RANGE, low, high).plot_day for low, high, _ in members)
    return tuple(day for day in days if day is not None)


def tei_text(d: LetterDate) -> str:
    """The text content to write in a CMIF `<date>` beside `to_tei`'s attributes: a set's
    members as EDTF, since TEI has no "one of"; empty for every other date."""
    return to_edtf(d) if d.precision == SET else ""


def to_tei(d: LetterDate) -> dict[str, str]:
    """The attributes of a CMIF `<date>` for this date: its own attributes when it was read
    from TEI and they still say the same, otherwise `when` for a day, month or year and
    notBefore/notAfter for a range or a set (whose members go in `tei_text`). Reading the
    pair back with `from_tei` gives the same date, except that an undated date the source
    did not doubt reads back with certainty unknown, and a dated one of unknown certainty
    (which no reader makes) reads back uncertain."""
    original = _tei_attributes(d.text)
    if original is not None and _same(from_tei(original, tei_text(d))[0], d):
        return original
    attrs: dict[str, str] = {}
    if d.precision == DAY and d.earliest:
        attrs["when"] = d.earliest.isoformat()
    elif d.precision == MONTH and d.earliest:
        attrs["when"] = _month(d.earliest)
    elif d.precision == YEAR and d.earliest:
        attrs["when"] = f"{d.earliest.year:04d}"
    elif d.precision in (RANGE, SET):
        if d.earliest:
            attrs["notBefore"] = d.earliest.isoformat()
        if d.latest:
            attrs["notAfter"] = d.latest.isoformat()
    elif d.precision == NONE and _TEI_VALUE.fullmatch(d.text):
        attrs["when"] = d.text  # a year TEI can write but `date` cannot hold, e.g. -0350
    if d.certainty in _CERT_TEI and not (d.precision == NONE and d.certainty == UNKNOWN):
        attrs["cert"] = _CERT_TEI[d.certainty]
    return attrs


def _tei_attributes(text: str) -> dict[str, str] | None:
    """The attributes in a date's text when it is nothing but name="value" pairs."""
    found = dict(_ATTRIBUTE.findall(text))
    rebuilt = " ".join(f'{name}="{value}"' for name, value in found.items())
    return found if rebuilt == text.strip() else None

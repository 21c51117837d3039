"""Dates: reading csv2cmi's EDTF cells and CMIF's <date> attributes, and writing them back."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.dates import (
    APPROXIMATE,
    DAY,
    EXACT,
    MONTH,
    NONE,
    RANGE,
    SET,
    UNCERTAIN,
    UNKNOWN,
    YEAR,
    LetterDate,
    from_edtf,
    from_tei,
    tei_text,
    to_edtf,
    to_tei,
)


def said(d: LetterDate) -> tuple:
    """What a date says, whatever text it was read from."""
    return d.precision, d.earliest, d.latest, d.certainty, d.candidates


# --- from_edtf: the forms csv2cmi documents -------------------------------------------


@pytest.mark.parametrize(
    ("text", "precision", "earliest", "latest"),
    [
        ("1762-01-27", DAY, date(1762, 1, 27), date(1762, 1, 27)),
        ("1774-09", MONTH, date(1774, 9, 1), date(1774, 9, 30)),
        ("1776-02", MONTH, date(1776, 2, 1), date(1776, 2, 29)),  # a leap year
        ("1774", YEAR, date(1774, 1, 1), date(1774, 12, 31)),
        ("1541-09-26/", RANGE, date(1541, 9, 26), None),
        ("/1541-07-18", RANGE, None, date(1541, 7, 18)),
        ("1541/..", RANGE, date(1541, 1, 1), None),
        ("1541-09-26/unknown", RANGE, date(1541, 9, 26), None),
        ("open/1541-07-18", RANGE, None, date(1541, 7, 18)),
        ("../1541-07", RANGE, None, date(1541, 7, 31)),
        ("1541-09-26/1541-10-02", RANGE, date(1541, 9, 26), date(1541, 10, 2)),
        ("1541-09/1541-10", RANGE, date(1541, 9, 1), date(1541, 10, 31)),
        ("17XX", RANGE, date(1700, 1, 1), date(1799, 12, 31)),
        ("1774-XX", YEAR, date(1774, 1, 1), date(1774, 12, 31)),
        ("1985-04-12T23:20:30Z", DAY, date(1985, 4, 12), date(1985, 4, 12)),
        ("[..1760-12-03]", RANGE, None, date(1760, 12, 3)),
    ],
)
def test_edtf_forms(text, precision, earliest, latest):
    d, problems = from_edtf(text)
    assert problems == []
    assert (d.precision, d.earliest, d.latest, d.certainty) == (precision, earliest, latest, EXACT)
    assert d.text == text


def test_a_closed_range_of_one_day_is_that_day():
    d, _ = from_edtf("1541-09-26/1541-09-26")
    assert (d.precision, d.plot_day) == (DAY, date(1541, 9, 26))


def test_one_of_a_set_keeps_each_members_plot_day_and_the_outer_bounds():
    d, problems = from_edtf("[1774-09,1774-10]")
    assert problems == []
    assert d.precision == SET
    assert (d.earliest, d.latest) == (date(1774, 9, 1), date(1774, 10, 31))
    assert d.candidates == (date(1774, 9, 15), date(1774, 10, 16))
    assert d.plot_day == date(1774, 9, 15)


def test_a_set_with_ranges_and_an_open_member():
    d, _ = from_edtf("[..1667-03, 1670..1672]")
    assert d.precision == SET
    assert (d.earliest, d.latest) == (None, date(1672, 12, 31))
    assert d.candidates == (date(1667, 3, 31), date(1671, 7, 2))


def test_all_of_is_kept_as_a_set_and_said_so():
    d, problems = from_edtf("{1774-09-01,1774-09-03}")
    assert d.precision == SET
    assert d.candidates == (date(1774, 9, 1), date(1774, 9, 3))
    assert len(problems) == 1
    assert "all of" in problems[0]


@pytest.mark.parametrize(
    ("text", "certainty"),
    [
        ("1547-01-07?", UNCERTAIN),
        ("1538-09-20~", APPROXIMATE),
        ("1538-09-20%", UNCERTAIN),
        ("2004-?06-11", UNCERTAIN),
        ("[1774-09?,1774-10]", UNCERTAIN),
        ("1541-09-26~/1541-10-02", APPROXIMATE),
    ],
)
def test_qualifiers_set_certainty_not_the_day(text, certainty):
    d, problems = from_edtf(text)
    assert problems == []
    assert d.certainty == certainty
    assert d.precision != NONE


def test_an_empty_cell_is_undated_without_a_problem():
    assert from_edtf("") == (LetterDate.none(), [])
    assert from_edtf("  ")[0].precision == NONE


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("-", "YYYY-MM-DD"),
        ("[]", "empty"),
        ("[-]", "'-'"),
        ("-----", "YYYY-MM-DD"),
        ("--03", "YYYY-MM-DD"),
        ("---03", "YYYY-MM-DD"),
        ("--12-12", "YYYY-MM-DD"),
        ("2016-02-30", "February 2016 has 29 days"),
        ("1774-13", "month 13"),
        ("1774-21", "season"),
        ("1774-9-1", "YYYY-MM-DD"),
        ("774", "four digits"),
        ("1541-10-02/1541-09-26", "ends before it begins"),
        ("1541/1542/1543", "more than one"),
        ("[1774-09,1774-10", "does not close"),
        ("/", "both ends"),
        ("Brief vom Montag", "YYYY-MM-DD"),
    ],
)
def test_malformed_cells_keep_their_text_and_say_why(text, why):
    d, problems = from_edtf(text)
    assert d == LetterDate.none(text=text)
    assert len(problems) == 1
    assert why in problems[0]
    assert text[:10] in problems[0]


@pytest.mark.parametrize("text", ["-0350", "[..-0350]", "Y17000000002", "0000", "12345"])
def test_years_no_calendar_holds_keep_text_and_certainty(text):
    d, problems = from_edtf(text)
    assert (d.precision, d.earliest, d.latest, d.text) == (NONE, None, None, text)
    assert d.certainty == EXACT
    assert "timeline" in problems[0]
    assert from_edtf(text + "?")[0].certainty == UNCERTAIN


def test_a_runaway_cell_is_quoted_short_in_its_problem():
    _, problems = from_edtf("1" * 5000)
    assert len(problems[0]) < 200


# Characters EDTF uses, so that the generated text gets deep into the parser.
EDTF_TEXT = st.text(alphabet="0123456789-/[]{},.?~%XYTZ: ", max_size=30)


@given(st.one_of(st.text(), EDTF_TEXT))
def test_from_edtf_never_raises_and_always_explains_an_undated_cell(text):
    d, problems = from_edtf(text)
    assert d.precision in (DAY, MONTH, YEAR, RANGE, SET, NONE)
    if d.precision == NONE and text.strip():
        assert problems
    if d.earliest and d.latest:
        assert d.earliest <= d.latest


@given(EDTF_TEXT)
def test_to_edtf_gives_back_the_cell_it_was_read_from(text):
    d, _ = from_edtf(text)
    assert to_edtf(d) == d.text


# Dates a reader makes, built from the pieces of EDTF.
DAYS = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))
SINGLE = st.one_of(
    DAYS.map(date.isoformat),
    DAYS.map(lambda day: day.isoformat()[:7]),
    DAYS.map(lambda day: day.isoformat()[:4]),
)
MARK = st.sampled_from(["", "?", "~", "%"])
EDTF = st.one_of(
    st.tuples(SINGLE, MARK).map("".join),
    st.tuples(st.one_of(SINGLE, st.just("")), st.one_of(SINGLE, st.just("")), MARK).map(
        lambda parts: f"{parts[0]}{parts[2]}/{parts[1]}"
    ),
    st.tuples(st.lists(SINGLE, min_size=2, max_size=4), MARK).map(
        lambda parts: "[" + ",".join(parts[0]) + "]" + parts[1]
    ),
)


@given(EDTF)
def test_a_date_without_its_text_is_written_to_edtf_and_read_back(text):
    d, _ = from_edtf(text)
    bare = dataclasses.replace(d, text="")
    again, problems = from_edtf(to_edtf(bare))
    if d.precision == SET:
        # A set without its text is written as its candidate days: its bounds narrow, and
        # candidates that fall on one day become that day.
        assert again.plot_day == d.plot_day
        if len(set(d.candidates)) > 1:
            assert (again.precision, again.candidates) == (SET, d.candidates)
    elif d.precision != NONE:
        assert said(again) == said(d)
        assert problems == []


@given(EDTF)
def test_tei_round_trip_of_every_date_a_csv_reader_makes(text):
    d, _ = from_edtf(text)
    assert said(from_tei(to_tei(d), tei_text(d))[0]) == said(d)
    bare = dataclasses.replace(d, text="")
    if not (d.precision == NONE and d.certainty == EXACT):
        assert said(from_tei(to_tei(bare), tei_text(bare))[0]) == said(d)


# --- from_tei: CMIF <date> --------------------------------------------------------------


def test_tei_when_gives_day_month_or_year():
    assert from_tei({"when": "1894-05-20"})[0] == LetterDate(
        'when="1894-05-20"', DAY, date(1894, 5, 20), date(1894, 5, 20)
    )
    assert from_tei({"when": "1894-05"})[0].precision == MONTH
    assert from_tei({"when": "1894"})[0].precision == YEAR


def test_tei_tolerates_a_time_part():
    d, problems = from_tei({"when": "2018-03-30T13:47:49.11+02:00"})
    assert (d.precision, d.earliest, problems) == (DAY, date(2018, 3, 30), [])


def test_tei_range_keeps_the_attributes_as_written():
    d, problems = from_tei({"notBefore": "1894-05", "notAfter": "1894-06", "cert": "low"})
    assert problems == []
    assert d.text == 'notBefore="1894-05" notAfter="1894-06" cert="low"'
    assert (d.precision, d.earliest, d.latest) == (RANGE, date(1894, 5, 1), date(1894, 6, 30))
    assert d.certainty == UNCERTAIN


@pytest.mark.parametrize(
    ("attrs", "earliest", "latest"),
    [
        ({"notBefore": "1898-09-19"}, date(1898, 9, 19), None),
        ({"notAfter": "1898-09-24"}, None, date(1898, 9, 24)),
        ({"from": "1898-09-19", "to": "1898-09-24"}, date(1898, 9, 19), date(1898, 9, 24)),
        ({"notBefore-iso": "1898-09"}, date(1898, 9, 1), None),
    ],
)
def test_tei_open_and_closed_ranges(attrs, earliest, latest):
    d, _ = from_tei(attrs)
    assert (d.precision, d.earliest, d.latest) == (RANGE, earliest, latest)


def test_tei_bounds_on_the_same_day_are_that_day():
    d, _ = from_tei({"notBefore": "1894-05-20", "notAfter": "1894-05-20"})
    assert d.precision == DAY


@pytest.mark.parametrize(
    ("attrs", "certainty"),
    [
        ({"when": "1908-01-15", "cert": "high"}, EXACT),
        ({"when": "1908-01-15", "cert": "medium"}, APPROXIMATE),
        ({"when": "1908-01-15", "cert": "low"}, UNCERTAIN),
        ({"when": "1908-01-15", "cert": "unknown"}, UNCERTAIN),
        ({"when": "1908-01-15", "evidence": "conjecture"}, UNCERTAIN),
        ({"when": "1908-01-15", "cert": "high", "evidence": "conjecture"}, UNCERTAIN),
        ({"when": "1908-01-15", "evidence": "external"}, EXACT),
    ],
)
def test_tei_certainty(attrs, certainty):
    assert from_tei(attrs)[0].certainty == certainty


def test_brahm_b310_a_doubted_date_with_no_day_at_all():
    d, problems = from_tei({"cert": "low"})
    assert (d.precision, d.certainty, d.text) == (NONE, UNCERTAIN, 'cert="low"')
    assert "undated" in problems[0]


def test_tei_without_attributes_is_undated_quietly():
    assert from_tei({}) == (LetterDate.none(), [])


@pytest.mark.parametrize(
    ("attrs", "why"),
    [
        ({"when": "1894-13"}, "month 13"),
        ({"when": "20.5.1894"}, "YYYY-MM-DD"),
        ({"when": "1894-05-20?"}, "YYYY-MM-DD"),
        ({"notBefore": "1895", "notAfter": "1894"}, "before it begins"),
    ],
)
def test_tei_bad_values_keep_their_text_and_say_why(attrs, why):
    d, problems = from_tei(attrs)
    assert d.precision == NONE
    assert d.text == " ".join(f'{name}="{value}"' for name, value in attrs.items())
    assert why in problems[-1]


def test_tei_conflicts_are_reported_and_when_wins():
    d, problems = from_tei({"when": "1894-05-20", "notBefore": "1894-01-01"})
    assert d.precision == DAY
    assert "notBefore" in problems[0]


def test_tei_unknown_cert_is_reported():
    d, problems = from_tei({"when": "1894-05-20", "cert": "0.5"})
    assert d.certainty == EXACT
    assert "0.5" in problems[0]


def test_tei_a_year_before_one_keeps_its_text():
    d, problems = from_tei({"when": "-0350"})
    assert (d.precision, d.text) == (NONE, 'when="-0350"')
    assert "timeline" in problems[0]


@given(
    st.dictionaries(
        st.sampled_from(
            ["when", "notBefore", "notAfter", "from", "to", "cert", "evidence", "type"]
        ),
        EDTF_TEXT,
    ),
    EDTF_TEXT,
)
def test_from_tei_never_raises(attrs, text):
    d, _ = from_tei(attrs, text)
    assert d.precision in (DAY, MONTH, YEAR, RANGE, SET, NONE)


# --- to_tei -----------------------------------------------------------------------------


def test_to_tei_gives_back_the_attributes_it_was_read_from():
    attrs = {"when": "1908-01-15", "evidence": "conjecture"}
    assert to_tei(from_tei(attrs)[0]) == attrs


def test_to_tei_writes_a_set_as_its_bounds_and_its_members_as_text():
    d, _ = from_edtf("[1774-09,1774-10]")
    assert to_tei(d) == {"notBefore": "1774-09-01", "notAfter": "1774-10-31"}
    assert tei_text(d) == "[1774-09,1774-10]"
    assert said(from_tei(to_tei(d), tei_text(d))[0]) == said(d)
    # Without the text, the same attributes are only a range.
    assert from_tei(to_tei(d))[0].precision == RANGE


@pytest.mark.parametrize(
    ("text", "attrs"),
    [
        ("1547-01-07?", {"when": "1547-01-07", "cert": "low"}),
        ("1538-09~", {"when": "1538-09", "cert": "medium"}),
        ("1541-09-26/", {"notBefore": "1541-09-26"}),
        ("-0350", {"when": "-0350"}),
        ("2016-02-30", {"when": "2016-02-30"}),  # nothing the user wrote is lost
        ("", {}),
    ],
)
def test_to_tei_from_csv_dates(text, attrs):
    assert to_tei(from_edtf(text)[0]) == attrs


def test_unknown_certainty_on_a_dated_letter_is_written_and_read_as_doubt():
    d = LetterDate("", DAY, date(1900, 1, 1), date(1900, 1, 1), certainty=UNKNOWN)
    assert to_tei(d)["cert"] == "unknown"
    assert to_edtf(d) == "1900-01-01?"


def test_all_of_survives_the_trip_through_tei():
    d, _ = from_edtf("{1774-09-01,1774-09-03}")
    assert said(from_tei(to_tei(d), tei_text(d))[0]) == said(d)
    assert tei_text(d) == "{1774-09-01,1774-09-03}"


def test_a_dates_text_content_that_is_only_a_label_is_not_read():
    d, problems = from_tei({"notBefore": "1774-09", "notAfter": "1774-10"}, "[Herbst 1774]")
    assert (d.precision, problems) == (RANGE, [])
    # A set whose members lie outside the attributes' bounds is not this date's set.
    d, _ = from_tei({"notBefore": "1774-09", "notAfter": "1774-10"}, "[1780,1781]")
    assert d.precision == RANGE

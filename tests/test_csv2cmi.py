"""The csv2cmi reader: real sample sheets, and every awkward row a spreadsheet can hold."""

from __future__ import annotations

import csv
import io
import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from conftest import SHARED_CORPORA

from dashboard import authority
from dashboard.dates import NONE, SET, UNCERTAIN
from dashboard.formats import UnreadableFile, csv2cmi
from dashboard.letters import (
    IGNORED,
    IMPORTED,
    IMPORTED_UNDATED,
    KEPT_WITHOUT_ID,
    PLACE_WITHOUT_ID,
    SKIPPED,
    Letter,
    Party,
    Source,
)

SAMPLES = SHARED_CORPORA / "csv2cmi"
# Every test here reads the real editions: the fixture fails in CI when they are missing.
pytestmark = pytest.mark.usefixtures("shared_corpora")
HEADER = (
    "sender,senderID,senderPlace,senderPlaceID,senderDate,"
    "addressee,addresseeID,addresseePlace,addresseePlaceID,addresseeDate,edition,key,note"
)


def sheet(tmp_path: Path, *rows: str, header: str = HEADER, name: str = "sheet.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join((header, *rows)) + "\n", encoding="utf-8")
    return path


def read_all(path: Path) -> tuple[list[Letter], Source]:
    source = csv2cmi.read(path)
    return list(source.letters), source


def row_of(where: str) -> int:
    return int(where.rsplit("row ", 1)[1])


@pytest.fixture(params=sorted(p.name for p in SAMPLES.glob("*.csv")))
def sample(request, tmp_path) -> Path:
    # A copy, so that nothing a test does can touch the shared files.
    return Path(shutil.copy(SAMPLES / request.param, tmp_path / request.param))


def test_every_row_of_every_sample_is_a_letter_or_a_named_notice(sample):
    with sample.open(encoding="utf-8-sig", newline="") as handle:
        data_rows = len(list(csv.reader(handle))) - 1
    letters, source = read_all(sample)
    imported = [row_of(letter.where) for letter in letters]
    skipped = [row_of(notice.where) for notice in source.skipped]
    assert sorted(imported + skipped) == list(range(2, data_rows + 2))
    assert all(letter.where.startswith(f"{sample.name}, row ") for letter in letters)
    assert source.format == "csv2cmi"
    assert source.metadata.source_format == "csv2cmi"


def test_the_bach_example():
    letters, source = read_all(SAMPLES / "Example.csv")
    (letter,) = letters
    assert letter.key == "23"
    assert [(p.name, p.ref) for p in letter.senders] == [
        ("Johann Sebastian Bach", "http://viaf.org/viaf/12304462")
    ]
    assert letter.recipients[0].name == "Georg Erdmann"
    assert letter.date.earliest == date(1730, 10, 28)
    assert letter.sent_place.name == "Leipzig"
    assert authority.short_id(letter.sent_place.ref) == "geonames-2879139"
    assert letter.edition == "Bach-Dokumente Bd. 1, Leipzig 1963"
    assert letter.received_date is None
    assert source.notices == []


def test_shorttitle_sheet_bare_gnd_ids_a_set_and_its_date_text():
    letters, source = read_all(SAMPLES / "shorttitle-Example.csv")
    assert [letter.key for letter in letters] == ["2", "*276.2", "*349.2"]
    assert [authority.short_id(p.ref) for p in letters[0].senders] == ["gnd-116948078"]
    assert letters[0].sent_place.name == "Genf"
    assert letters[0].sent_place.ref == ""
    goethe = letters[2]
    assert goethe.date.precision == SET
    assert goethe.date.text == "[1774-09,1774-10]"
    assert ("senderDateText", "September oder Oktober 1774") in goethe.extra
    assert goethe.edition == "JBWI10"
    # An empty place ID is no problem worth a notice: the sheet simply gives none.
    assert source.notices == []


@pytest.fixture
def hostile() -> tuple[list[Letter], Source]:
    return read_all(SAMPLES / "hostile-tests.csv")


def notices_at(source: Source, row: int) -> list:
    return [notice for notice in source.notices if notice.where.endswith(f", row {row}")]


def test_hostile_greek_names_survive(hostile):
    letters, _ = hostile
    assert letters[1].senders[0].name == "Πλάτων"


def test_hostile_bad_dates_are_undated_letters_with_their_text_and_a_notice(hostile):
    letters, source = hostile
    bad = {letter.where: letter.date for letter in letters if letter.date.precision == NONE}
    assert [d.text for d in bad.values()] == [
        "[..-0350]",
        "-",
        "[]",
        "[-]",
        "-----",
        "--03",
        "---03",
        "--12-12",
    ]
    dated = [n for n in source.notices if n.column == "senderDate"]
    assert [n.where for n in dated] == list(bad)
    assert {n.action for n in dated} == {IMPORTED_UNDATED}
    assert all(n.key == "89274" for n in dated)


def test_hostile_malformed_and_non_ids_are_dropped_and_named(hostile):
    letters, source = hostile
    loc = next(n for n in notices_at(source, 7) if n.column == "senderID")
    assert loc.action == KEPT_WITHOUT_ID
    assert "xhsrgoije" in loc.message
    assert letters[5].senders[0].ref == ""
    # The cell as written stays with the letter, so that a writer can put it back.
    assert ("senderID", "http://id.loc.gov/authorities/names/xhsrgoije") in letters[5].extra
    roman = next(n for n in notices_at(source, 8) if n.column == "addresseeID")
    assert roman.action == KEPT_WITHOUT_ID
    assert "Roman Empire" in str(roman)
    assert letters[6].recipients == (Party("Roman Empire"),)


def test_hostile_first_row_has_no_key(hostile):
    letters, _ = hostile
    assert letters[0].key == ""
    assert letters[0].where == "hostile-tests.csv, row 2"
    assert ("note", "LOC with wrong addresseePlaceID") in letters[0].extra


def test_more_names_than_ids_keeps_the_extra_names_without_id(tmp_path):
    path = sheet(
        tmp_path,
        "Anna|Bert|Carl,118609807|4076778-4,,,1900,Dora,,,,,,k1,",
    )
    (letter,), source = read_all(path)
    assert [(p.name, p.ref) for p in letter.senders] == [
        ("Anna", "118609807"),
        ("Bert", "4076778-4"),
        ("Carl", ""),
    ]
    (notice,) = source.notices
    assert (notice.action, notice.column, notice.key) == (KEPT_WITHOUT_ID, "senderID", "k1")
    assert "'Carl'" in notice.message
    assert notice.where == "sheet.csv, row 2"


def test_more_ids_than_names_drops_the_ids_beyond_and_keeps_the_cell(tmp_path):
    path = sheet(tmp_path, "Anna,118609807|10283220X,,,1900,Dora,,,,,,,")
    (letter,), source = read_all(path)
    assert [(p.name, p.ref) for p in letter.senders] == [("Anna", "118609807")]
    (notice,) = source.notices
    assert (notice.action, notice.column) == (IGNORED, "senderID")
    assert "10283220X" in notice.message
    assert ("senderID", "118609807|10283220X") in letter.extra


def test_pipes_with_spaces_and_an_empty_part(tmp_path):
    path = sheet(tmp_path, "Anna | | Carl,118609807 | | Q42,,,1900,Dora,,,,,,,")
    (letter,), source = read_all(path)
    assert [(p.name, p.ref) for p in letter.senders] == [("Anna", "118609807"), ("Carl", "Q42")]
    assert [n.action for n in source.notices] == [IGNORED]


def test_a_foreign_uri_is_kept_as_the_id_and_a_geonames_person_is_not(tmp_path):
    path = sheet(
        tmp_path,
        "Anna,https://example.org/p/1,,,1900,Dora,https://sws.geonames.org/2761369/,,,,,,",
    )
    (letter,), source = read_all(path)
    assert letter.senders[0].ref == "https://example.org/p/1"
    assert letter.recipients[0].ref == ""
    assert [(n.column, n.action) for n in source.notices] == [
        ("senderID", IMPORTED),
        ("addresseeID", KEPT_WITHOUT_ID),
    ]


def test_a_place_with_a_bad_id_keeps_its_name(tmp_path):
    path = sheet(tmp_path, "Anna,,Wien,Vienna,1900,Dora,,Rom,http://www.geonames.org/3169070,,,,")
    (letter,), source = read_all(path)
    assert letter.sent_place.name == "Wien"
    assert letter.sent_place.ref == ""
    assert letter.received_place.ref == "http://www.geonames.org/3169070"
    assert [(n.column, n.action) for n in source.notices] == [("senderPlaceID", PLACE_WITHOUT_ID)]


def test_a_byte_order_mark_does_not_hide_the_first_column(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + (SAMPLES / "Example.csv").read_bytes())
    (letter,), source = read_all(path)
    assert letter.senders[0].name == "Johann Sebastian Bach"
    assert source.notices == []


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_a_sheet_saved_as_unicode_text_reads_as_its_utf8_original(tmp_path, encoding):
    """A spreadsheet saved as "Unicode text" is UTF-16, with a byte order mark and tabs:
    it gives the same letters, and is recognised as a csv2cmi sheet."""
    from dashboard.formats import CSV2CMI, sniff

    original = (SAMPLES / "hostile-tests.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(original)))
    tabbed = io.StringIO()
    csv.writer(tabbed, delimiter="\t", lineterminator="\r\n").writerows(rows)
    path = tmp_path / "unicode.txt"
    path.write_bytes("\ufeff".encode(encoding) + tabbed.getvalue().encode(encoding))
    letters, source = read_all(path)
    expected, expected_source = read_all(SAMPLES / "hostile-tests.csv")

    def rows(items):  # the same rows of another file
        return [
            replace(item, where=item.where.replace("hostile-tests.csv", "unicode.txt"))
            for item in items
        ]

    assert letters == rows(expected) and len(letters) > 5
    assert source.notices == rows(expected_source.notices)
    assert sniff(path) == CSV2CMI


def test_a_cut_short_row_keeps_what_it_has(tmp_path):
    path = sheet(tmp_path, "Anna,118609807,Wien,,1900-01-02,Dora,,,", "Bert,,,,1901,Emil,,,,,,k3,")
    letters, source = read_all(path)
    assert [letter.recipients[0].name for letter in letters] == ["Dora", "Emil"]
    assert letters[0].date.earliest == date(1900, 1, 2)
    (notice,) = source.notices
    assert notice.where == "sheet.csv, row 2"
    assert "9 fields where the header has 13" in notice.message


def test_a_row_too_long_keeps_the_fields_beyond_the_header(tmp_path):
    path = sheet(tmp_path, "Anna,,,,1900,Dora,,,,,,,,surplus")
    (letter,), source = read_all(path)
    assert ("column 14", "surplus") in letter.extra
    assert "14 fields" in source.notices[0].message


def test_a_row_that_is_not_utf8_is_named_and_the_rest_read(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes(
        (HEADER + "\nAnna,,,,1900,Dora,,,,,,,\n").encode()
        + "Jos\xe9,,,,1901,Dora,,,,,,,\n".encode("latin-1")
        + b"Carl,,,,1902,Dora,,,,,,,\n"
    )
    letters, source = read_all(path)
    assert [letter.senders[0].name for letter in letters] == ["Anna", "Carl"]
    (notice,) = source.skipped
    assert notice.where == "latin1.csv, row 3"
    assert "UTF-8" in notice.message
    assert "0xe9" in notice.message


def test_a_row_with_neither_sender_nor_addressee_is_skipped_and_an_empty_one_ignored(tmp_path):
    path = sheet(tmp_path, ",,Wien,,1900,,,,,,,k9,", ",,,,,,,,,,,,", "Anna,,,,,,,,,,,,")
    letters, source = read_all(path)
    assert [row_of(letter.where) for letter in letters] == [4]
    (skipped,) = source.skipped
    assert (skipped.where, skipped.key, skipped.action) == ("sheet.csv, row 2", "k9", SKIPPED)
    assert notices_at(source, 3)[0].action == IGNORED
    assert "no addressee" in notices_at(source, 4)[0].message


def test_a_quoted_line_break_is_one_row(tmp_path):
    path = sheet(tmp_path, 'Anna,,,,1900,Dora,,,,,,,"two\nlines"', "Bert,,,,1901,Emil,,,,,,,")
    letters, _ = read_all(path)
    assert [row_of(letter.where) for letter in letters] == [2, 3]
    assert ("note", "two\nlines") in letters[0].extra


def test_a_quote_left_open_is_named_not_imported(tmp_path):
    path = sheet(
        tmp_path,
        "Anna,,,,1900,Dora,,,,,,,",
        '"Bert,,,,1901,Emil,,,,,,,',
        "Carl,,,,1902,Fritz,,,,,,,",
    )
    letters, source = read_all(path)
    assert [letter.senders[0].name for letter in letters] == ["Anna"]
    (notice,) = source.skipped
    assert notice.where == "sheet.csv, row 3"
    assert "quote left open" in notice.message


def test_a_field_too_large_for_csv_is_named_and_the_rest_read(tmp_path):
    path = sheet(tmp_path, "Anna,,,,1900,Dora,,,,,,," + "x" * 200_000, "Carl,,,,1902,Fritz,,,,,,,")
    letters, source = read_all(path)
    assert [letter.senders[0].name for letter in letters] == ["Carl"]
    assert "field" in source.skipped[0].message
    assert source.skipped[0].where == "sheet.csv, row 2"


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_semicolons_tabs_and_header_case(tmp_path, delimiter):
    header = HEADER.upper().replace(",", delimiter)
    row = delimiter.join(["Anna, die Ältere", "118609807", "", "", "1900-05~", "Dora"])
    path = sheet(tmp_path, row, header=header)
    (letter,), source = read_all(path)
    assert letter.senders[0].name == "Anna, die Ältere"
    assert letter.date.certainty != "exact"
    assert "6 fields where the header has 13" in source.notices[0].message


def test_a_received_date_and_its_problems(tmp_path):
    path = sheet(
        tmp_path, "Anna,,,,1900-01-02,Dora,,,,1900-01-05?,,,", "Bert,,,,,Emil,,,,1901-13,,,"
    )
    letters, source = read_all(path)
    assert letters[0].received_date.earliest == date(1900, 1, 5)
    assert letters[0].received_date.certainty == UNCERTAIN
    assert letters[1].date.precision == NONE
    assert letters[1].received_date.text == "1901-13"
    (notice,) = source.notices
    assert (notice.column, notice.action) == ("addresseeDate", IGNORED)


def test_letters_stream_and_notices_fill_as_they_are_read(tmp_path):
    path = sheet(
        tmp_path, *[f"P{n},,,,1900,Q,,,,,,{n}," for n in range(5)], "Anna,,,,-,Dora,,,,,,,"
    )
    source = csv2cmi.read(path)
    assert iter(source.letters) is source.letters
    assert next(source.letters).key == "0"
    assert source.notices == []
    rest = list(source.letters)
    assert len(rest) == 5
    assert [row_of(n.where) for n in source.notices] == [7]


def test_a_file_that_is_no_csv2cmi_sheet_is_refused(tmp_path):
    path = sheet(tmp_path, "a,b", header="message_id,date")
    with pytest.raises(UnreadableFile, match="no sender or addressee"):
        csv2cmi.read(path)


def test_looks_like():
    assert csv2cmi.looks_like((SAMPLES / "shorttitle-Example.csv").read_text()[:1024])
    assert csv2cmi.looks_like("\ufeffSender;Addressee;senderDate\nA;B;1900")
    assert not csv2cmi.looks_like("message_id,date,sender,recipient\n")
    assert not csv2cmi.looks_like('<?xml version="1.0"?><TEI>')
    assert not csv2cmi.looks_like("")

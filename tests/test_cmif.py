"""Tests for dashboard.formats.cmif: real files, their round trip, hostile files and memory."""

from __future__ import annotations

import socket
import subprocess
import sys
import textwrap
import tracemalloc
from datetime import date
from pathlib import Path

import pytest
from conftest import SHARED_CORPORA
from lxml import etree

from dashboard import authority, dates
from dashboard.dates import DAY, NONE, RANGE, UNCERTAIN, LetterDate
from dashboard.formats import UnreadableFile, cmif
from dashboard.letters import (
    BODY,
    IGNORED,
    IMPORTED_UNDATED,
    KEPT_WITHOUT_ID,
    PERSON,
    SKIPPED,
    Letter,
    Metadata,
    Party,
    Place,
)

CORPORA = SHARED_CORPORA / "cmif"
# Every test here reads the real editions: the fixture fails in CI when they are missing.
pytestmark = pytest.mark.usefixtures("shared_corpora")
BRAHM = CORPORA / "brahm-schnitzler.xml"
EXAMPLE1 = CORPORA / "example01_basic.xml"
EXAMPLE2 = CORPORA / "example02_cmi-with-printed-edition.xml"
GIVEN = [BRAHM, EXAMPLE1, EXAMPLE2]
BRAHM_EDITION = "ya489e21-54d5-40de-a56d-f4548e894428"
TEI_NS = 'xmlns="http://www.tei-c.org/ns/1.0"'


def letters_of(path: Path) -> list[Letter]:
    return list(cmif.read(path).letters)


def tei(body: str, namespace: str = TEI_NS) -> str:
    """A whole CMIF file around some correspDesc elements, with a minimal header."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<TEI {namespace}>\n"
        "  <teiHeader>\n"
        "    <fileDesc>\n"
        "      <titleStmt><title>Test</title><editor>Ed Itor</editor></titleStmt>\n"
        "      <publicationStmt><publisher>P</publisher></publicationStmt>\n"
        '      <sourceDesc><bibl type="online" xml:id="ed1">The edition</bibl></sourceDesc>\n'
        "    </fileDesc>\n"
        "    <profileDesc>\n"
        f"{textwrap.dedent(body)}"
        "    </profileDesc>\n"
        "  </teiHeader>\n"
        "</TEI>\n"
    )


def save(folder: Path, text: str, name: str = "letters.xml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


LETTER = """\
<correspDesc key="k{n}" source="#ed1">
  <correspAction type="sent">
    <persName ref="https://d-nb.info/gnd/118609807">Schnitzler, Arthur</persName>
    <placeName ref="https://sws.geonames.org/2761369/">Wien</placeName>
    <date when="1900-01-{day:02d}"/>
  </correspAction>
  <correspAction type="received">
    <persName ref="https://d-nb.info/gnd/118514245">Brahm, Otto</persName>
  </correspAction>
</correspDesc>
"""


# The real files ---------------------------------------------------------------------------


def test_brahm_has_its_429_letters_and_their_several_senders():
    letters = letters_of(BRAHM)
    assert len(letters) == 429
    # The edition gives two letters the key B76; the reader keeps both as they stand.
    keys = [letter.key for letter in letters]
    assert len(set(keys)) == 428 and keys.count("B76") == 2
    assert sum(len(letter.senders) > 1 for letter in letters) == 13
    assert sum(("sameAs", "briefe-i") in letter.extra for letter in letters) > 0
    assert sum(any(name == "sameAs" for name, _ in letter.extra) for letter in letters) == 32
    first = letters[0]
    assert first.key == "S1"
    assert first.where == "brahm-schnitzler.xml, line 27"
    assert first.senders == (Party("Schnitzler, Arthur", "https://d-nb.info/gnd/118609807"),)
    assert first.recipients == (Party("Brahm, Otto", "https://d-nb.info/gnd/118514245"),)
    assert first.date.precision == DAY and str(first.date.earliest) == "1894-05-20"
    assert first.sent_place == Place("Wien", "https://sws.geonames.org/2761369/")
    assert first.received_place == Place("Berlin", "https://sws.geonames.org/2950159/")
    assert ("received_place@evidence", "conjecture") in first.extra
    assert first.edition.startswith("Der Briefwechsel Arthur Schnitzler – Otto Brahm.")
    assert ("source", "#" + BRAHM_EDITION) in first.extra
    # The file says 1894-1912, but one letter (S102a, to Clara Jonas) is dated 1913.
    years = sorted(letter.date.earliest.year for letter in letters if letter.date.earliest)
    assert (years[0], years[-2], years[-1]) == (1894, 1912, 1913)


def test_brahm_b310_keeps_three_senders_and_its_doubtful_missing_date():
    (b310,) = [letter for letter in letters_of(BRAHM) if letter.key == "B310"]
    assert [(party.name, party.ref) for party in b310.senders] == [
        ("Brahm, Otto", "https://d-nb.info/gnd/118514245"),
        ("Hirschfeld, Georg", "https://d-nb.info/gnd/101708122"),
        ("Elly Hirschfeld", ""),
    ]
    assert b310.date.precision == NONE
    assert b310.date.certainty == UNCERTAIN
    assert b310.date.plot_day is None
    assert b310.sent_place == Place("Dachau", "https://sws.geonames.org/2939623/")
    assert b310.where == "brahm-schnitzler.xml, line 4621"


def test_brahm_metadata():
    metadata = cmif.read(BRAHM).metadata
    assert metadata.title == "Der Briefwechsel Arthur Schnitzler – Otto Brahm"
    assert metadata.editors == ("Kathrin Heinrich",)  # the email is not part of the name
    assert metadata.publisher == "Martin Anton Müller"
    assert metadata.publisher_url == "https://schnitzler-briefe.acdh.oeaw.ac.at/"
    assert (metadata.licence, metadata.licence_url) == (
        "CC0",
        "https://creativecommons.org/publicdomain/zero/1.0/",
    )
    assert metadata.url.endswith("/schnitzler-cmif/main/1975_Brahm_Schnitzler.xml")
    assert metadata.date == "2022-01-04T15:57:48.314-01:00"
    kind, text = metadata.editions[BRAHM_EDITION]
    assert kind == "print"
    assert text.endswith("Seidlin. Tübingen: Niemeyer, 1975.") and "\n" not in text
    assert metadata.source_format == "cmif"


def test_brahm_notices_name_the_line_and_the_letter():
    source = cmif.read(BRAHM)
    list(source.letters)
    found = [(n.where, n.key, n.column, n.action) for n in source.notices]
    assert found == [
        ("brahm-schnitzler.xml, line 3622", "B241", "sender[2]", KEPT_WITHOUT_ID),
        ("brahm-schnitzler.xml, line 4625", "B310", "sender[3]", KEPT_WITHOUT_ID),
        ("brahm-schnitzler.xml, line 4626", "B310", "date", IMPORTED_UNDATED),
        ("brahm-schnitzler.xml, line 4768", "B320", "sender[2]", KEPT_WITHOUT_ID),
        ("brahm-schnitzler.xml, line 4851", "S102a", "recipient[1]", KEPT_WITHOUT_ID),
    ]
    assert source.skipped == []
    # Each line named is the element the notice is about, in the file as it stands.
    lines = BRAHM.read_text(encoding="utf-8").splitlines()
    for notice in source.notices:
        line = lines[int(notice.where.rsplit(" ", 1)[1]) - 1]
        assert ("<date" in line) if notice.column == "date" else ("<persName>" in line)
    assert "Elly Hirschfeld" in str(source.notices[1])


def test_example01_keys_come_from_the_letter_urls():
    source = cmif.read(EXAMPLE1)
    letters = list(source.letters)
    assert [letter.key for letter in letters] == ["A044980", "A044943", "A041523"]
    first = letters[0]
    assert first.url == "http://www.weber-gesamtausgabe.de/A044980"
    assert first.date.precision == RANGE
    assert (str(first.date.earliest), str(first.date.latest)) == ("1810-07-11", "1810-07-18")
    assert first.sent_place is None
    assert first.received_place == Place("Mannheim", "http://www.geonames.org/2873891")
    assert first.received_date == LetterDate.day(
        first.received_date.earliest, text='when="1810-07-18"'
    )
    assert letters[1].received_date is None
    assert letters[2].recipients == (Party("Pastenaci, E."),)
    assert [(n.where, n.key, n.action) for n in source.notices] == [
        ("example01_basic.xml, line 70", "A041523", KEPT_WITHOUT_ID)
    ]
    assert source.metadata.editors == ("Peter Stadler",)
    assert source.metadata.publisher_url == "http://weber-gesamtausgabe.de"
    assert source.metadata.editions == {
        "f5055f00-9182-4728-8f81-a0cf016b616b": (
            "online",
            "Carl-Maria-von-Weber-Gesamtausgabe. Digitale Edition, "
            "http://www.weber-gesamtausgabe.de (Version 1.2 vom 12. Juni 2014)",
        )
    }


def test_example02_printed_edition_letters_keep_their_keys_and_viaf_ids():
    source = cmif.read(EXAMPLE2)
    letters = list(source.letters)
    assert [letter.key for letter in letters] == ["631", "632", "633"]
    assert all(letter.url == "" for letter in letters)
    assert letters[0].recipients == (
        Party("Melchior von Birkenstock", "http://viaf.org/viaf/59894734/"),
    )
    assert letters[0].received_date.certainty == "exact"  # cert="high"
    assert source.notices == []
    assert source.metadata.title.startswith("Example correspondence descriptions")
    assert source.metadata.licence_url == "http://creativecommons.org/licenses/by/4.0/"


def test_looks_like():
    assert cmif.looks_like(BRAHM.read_bytes()[:4096])
    assert cmif.looks_like(EXAMPLE1.read_bytes()[:4096])
    assert cmif.looks_like(b"<TEI><teiHeader><profileDesc><correspDesc>")
    assert not cmif.looks_like(b"sender,senderID,senderPlace\nA,,\n")
    assert not cmif.looks_like(b"<html><body>TEI correspDesc</body></html>")
    assert not cmif.looks_like(b'<TEI xmlns="http://www.tei-c.org/ns/1.0"><text>')
    assert not cmif.looks_like(b"")


# Round trip -------------------------------------------------------------------------------


def same_party(one: Party | Place | None, other: Party | Place | None) -> bool:
    if one is None or other is None:
        return one is other
    key = authority.normalise
    return (one.name, key(one.ref) or one.ref) == (other.name, key(other.ref) or other.ref) and (
        getattr(one, "kind", None) == getattr(other, "kind", None)
    )


def assert_same_letters(before: list[Letter], after: list[Letter]) -> None:
    assert len(after) == len(before)
    for one, other in zip(before, after, strict=True):
        assert other.key == one.key
        for side in ("senders", "recipients"):
            ones, others = getattr(one, side), getattr(other, side)
            assert len(ones) == len(others), (one.key, side)
            assert all(map(same_party, ones, others)), (one.key, side)
        assert same_party(one.sent_place, other.sent_place), one.key
        assert same_party(one.received_place, other.received_place), one.key
        assert other.date == one.date, one.key
        assert other.received_date == one.received_date, one.key
        assert (other.url, other.edition, other.title) == (one.url, one.edition, one.title)
        assert other.extra == one.extra, one.key


@pytest.mark.parametrize("path", GIVEN, ids=lambda path: path.stem)
def test_round_trip_of_the_given_files(path, tmp_path):
    source = cmif.read(path)
    letters = list(source.letters)
    out = tmp_path / "written.xml"
    cmif.write(source.metadata, letters, out)
    again = cmif.read(out)
    assert_same_letters(letters, list(again.letters))
    assert again.metadata == source.metadata
    # Ids go out in their one canonical spelling.
    written = out.read_text(encoding="utf-8")
    for letter in letters:
        for party in letter.senders + letter.recipients:
            if authority.normalise(party.ref):
                assert f'ref="{authority.normalise(party.ref)}"' in written
    assert [n.message for n in again.notices] == [n.message for n in source.notices]
    assert list(tmp_path.iterdir()) == [out]


RICH = """\
<correspDesc key="r1" ref="https://edition.example/r1" source="#ed1" sameAs="#other"
             xml:id="cd-r1">
  <!-- a comment is the file's own, not data -->
  <correspAction type="sent" xml:id="act1">
    <persName ref="http://d-nb.info/gnd/118609807 https://viaf.org/viaf/12345"
              evidence="conjecture">Schnitzler, Arthur</persName>
    <orgName ref="https://d-nb.info/gnd/2004516-5">S. Fischer Verlag</orgName>
    <persName ref="not-an-id">Doe, <roleName>Dr.</roleName> Jane</persName>
    <date notBefore="1900-01-01" notAfter="1900-01-31" xml:id="d1">January 1900</date>
    <date when="1900-02-01"/>
    <placeName ref="http://www.geonames.org/2761369/wien.html" cert="low">Wien</placeName>
    <roleName>Dramatist</roleName>
  </correspAction>
  <correspAction type="received">
    <persName ref="https://d-nb.info/gnd/118514245">Brahm &amp; &lt;Otto&gt;</persName>
    <date when="1900-02-03" cert="low"/>
  </correspAction>
  <correspAction type="forwarded">
    <persName>Someone Else</persName>
  </correspAction>
  <note>Written <hi>in haste</hi>, see  the postscript.</note>
  <correspContext>
    <ref type="prev" target="https://edition.example/r0">r0</ref>
  </correspContext>
</correspDesc>
<correspDesc ref="https://edition.example/letters/r2/">
  <correspAction type="received">
    <persName ref="https://d-nb.info/gnd/118514245">Brahm, Otto</persName>
  </correspAction>
</correspDesc>
"""


@pytest.mark.parametrize("namespace", [TEI_NS, ""], ids=["tei-namespace", "no-namespace"])
def test_what_the_model_does_not_use_is_kept_and_written_back(tmp_path, namespace):
    source = cmif.read(save(tmp_path, tei(RICH, namespace)))
    rich, bare = list(source.letters)
    assert [(p.name, p.kind) for p in rich.senders] == [
        ("Schnitzler, Arthur", PERSON),
        ("S. Fischer Verlag", BODY),
        ("Doe, Dr. Jane", PERSON),
    ]
    assert rich.senders[0].ref == "http://d-nb.info/gnd/118609807"
    assert rich.recipients == (Party("Brahm & <Otto>", "https://d-nb.info/gnd/118514245"),)
    assert rich.date.precision == RANGE and rich.date.earliest.month == 1
    assert rich.received_date.certainty == UNCERTAIN
    assert rich.sent_place.ref == "http://www.geonames.org/2761369/wien.html"
    assert rich.url == "https://edition.example/r1" and rich.edition == "The edition"
    extra = dict(rich.extra)
    assert extra["sameAs"] == "#other" and extra["xml:id"] == "cd-r1"
    assert extra["sent@xml:id"] == "act1"
    assert extra["sender[1]@evidence"] == "conjecture"
    assert extra["sender[1]@ref+"] == "https://viaf.org/viaf/12345"
    assert extra["sender[3]"] == (
        '<persName ref="not-an-id">Doe, <roleName>Dr.</roleName> Jane</persName>'
    )
    assert extra["sent_date@xml:id"] == "d1"
    assert "January 1900" in extra["sent_date"]
    assert extra["sent:date"] == '<date when="1900-02-01"/>'
    assert extra["sent:roleName"] == "<roleName>Dramatist</roleName>"
    assert extra["sent_place@cert"] == "low"
    assert extra["action:forwarded"].startswith('<correspAction type="forwarded">')
    assert "Someone Else" in extra["action:forwarded"]
    assert extra["note"] == "<note>Written <hi>in haste</hi>, see  the postscript.</note>"
    assert extra["correspContext"].startswith("<correspContext>")
    assert "xmlns" not in "".join(extra.values())  # kept as an editor would type it

    # The second letter has no key and only a recipient: its key is its URL's last part.
    assert bare.key == "r2" and bare.senders == () and bare.date.precision == NONE

    notices = {(n.key, n.column, n.action) for n in source.notices}
    assert ("r1", "sender[1]", IGNORED) in notices  # the second id in @ref
    assert ("r1", "sender[3]", KEPT_WITHOUT_ID) in notices  # "not-an-id"
    assert ("r1", "sent:date", IGNORED) in notices
    assert ("r1", "action:forwarded", IGNORED) in notices
    assert ("r2", "date", IMPORTED_UNDATED) in notices

    out = tmp_path / "again.xml"
    cmif.write(source.metadata, [rich, bare], out)
    assert_same_letters([rich, bare], list(cmif.read(out).letters))
    written = out.read_text(encoding="utf-8")
    gnd = authority.normalise("http://d-nb.info/gnd/118609807")
    assert f'ref="{gnd} https://viaf.org/viaf/12345"' in written
    assert "Brahm &amp; &lt;Otto&gt;" in written
    assert written.count(TEI_NS) == 1


def test_a_letter_without_sender_or_recipient_is_skipped_and_reported(tmp_path):
    body = textwrap.dedent("""\
        <correspDesc key="empty"/>
        <correspDesc key="places-only">
          <correspAction type="sent"><placeName>Wien</placeName><date when="1900"/></correspAction>
        </correspDesc>
        """) + LETTER.format(n=3, day=3)
    source = cmif.read(save(tmp_path, tei(body)))
    assert [letter.key for letter in source.letters] == ["k3"]
    assert [(n.key, n.action) for n in source.skipped] == [
        ("empty", SKIPPED),
        ("places-only", SKIPPED),
    ]
    assert source.skipped == [n for n in source.notices if n.action == SKIPPED]
    line = tei(body).splitlines().index('<correspDesc key="empty"/>') + 1
    assert source.skipped[0].where == f"letters.xml, line {line}"


def test_letters_are_found_wherever_they_stand(tmp_path):
    # Some files group letters in wrappers, or put them in <text>; all of them are letters.
    wrapped = "<div>\n" + LETTER.format(n=1, day=1) + "</div>\n"
    inside_text = "<text><body><div>" + LETTER.format(n=2, day=2) + "</div></body></text>"
    text = tei(wrapped).replace("</teiHeader>", "</teiHeader>\n" + inside_text)
    source = cmif.read(save(tmp_path, text))
    assert [letter.key for letter in source.letters] == ["k1", "k2"]
    assert source.metadata.title == "Test"


def test_several_sending_actions_make_one_side(tmp_path):
    body = """\
    <correspDesc key="two">
      <correspAction type="sent"><persName ref="https://d-nb.info/gnd/1">A</persName>
        <date when="1900-01-02"/></correspAction>
      <correspAction type="sent"><persName>B</persName></correspAction>
    </correspDesc>
    """
    (letter,) = cmif.read(save(tmp_path, tei(body))).letters
    assert [party.name for party in letter.senders] == ["A", "B"]
    assert letter.date.precision == DAY


# Writing ----------------------------------------------------------------------------------


def test_letters_from_another_format_get_a_bibl_for_their_edition(tmp_path):
    letter = Letter(
        key="x1",
        where="sheet.csv, row 2",
        senders=(Party('Ada <&> "Lovelace"\x07', "https://d-nb.info/gnd/118729293"),),
        recipients=(Party("Royal Society", "", BODY),),
        date=LetterDate.none(),
        title="not a CMIF field",
        edition="Letters of Ada, vol. 1",
        extra=(("Bemerkung", "a sheet column"), ("two words", "kept as a note")),
    )
    out = tmp_path / "out.xml"
    cmif.write(Metadata(title="Sheet"), [letter], out)
    source = cmif.read(out)
    (back,) = source.letters
    assert back.senders[0].name == 'Ada <&> "Lovelace"\ufffd'  # XML cannot carry \x07
    assert back.recipients == (Party("Royal Society", "", BODY),)
    assert back.edition == "Letters of Ada, vol. 1"
    assert source.metadata.editions == {"edition-1": ("", "Letters of Ada, vol. 1")}
    assert ("Bemerkung", "a sheet column") in back.extra
    assert ("note", '<note type="extra" n="two words">kept as a note</note>') in back.extra
    assert source.metadata.date  # CMIF wants the file's date; a new file is dated now


@pytest.mark.parametrize("cell", ["[1774-09,1774-10]", "1541-09-26/", "/1541-07-18", "1538-09-20~"])
def test_csv2cmi_dates_survive_a_cmif_file(tmp_path, cell):
    written, _ = dates.from_edtf(cell)
    letter = Letter("d", "sheet.csv, row 2", (Party("A"),), (Party("B"),), written)
    cmif.write(Metadata(), [letter], tmp_path / "out.xml")
    (back,) = cmif.read(tmp_path / "out.xml").letters
    fields = ("precision", "earliest", "latest", "certainty", "candidates")
    assert [getattr(back.date, name) for name in fields] == [
        getattr(written, name) for name in fields
    ]


def schema_errors(path: Path) -> set[str]:
    schema = etree.RelaxNG(etree.parse(str(CORPORA / "cmi-customization.rng")))
    schema.validate(etree.parse(str(path)))
    return {error.message for error in schema.error_log}


def test_written_files_satisfy_the_cmif_schema(tmp_path):
    # Brahm written back breaks the schema only where the edition itself does: sameAs.
    source = cmif.read(BRAHM)
    cmif.write(source.metadata, source.letters, tmp_path / "brahm.xml")
    assert schema_errors(tmp_path / "brahm.xml") == {
        "Invalid attribute sameAs for element correspDesc"
    }
    # Letters from elsewhere, with the metadata CMIF requires, make a valid file.
    day = date(1900, 5, 1)
    letters = [
        Letter(
            "a",
            "sheet.csv, row 2",
            (Party("A", "http://d-nb.info/gnd/118609807"), Party("Verlag", "", BODY)),
            (Party("B"),),
            LetterDate.day(day, UNCERTAIN),
            sent_place=Place("Wien", "http://www.geonames.org/2761369"),
            received_place=Place("Berlin"),
            received_date=LetterDate.day(day),
            edition="Letters, vol. 1",
        ),
        Letter("b", "sheet.csv, row 3", (Party("B"),), (), LetterDate("", RANGE, day, None)),
    ]
    metadata = Metadata(
        title="Letters",
        editors=("Ed Itor",),
        publisher="Press",
        publisher_url="https://press.example/",
        licence="CC BY 4.0",
        licence_url="https://creativecommons.org/licenses/by/4.0/",
        url="https://press.example/cmif.xml",
        # CMIF requires each bibl's type, which only the metadata can say.
        editions={"vol1": ("print", "Letters, vol. 1")},
    )
    cmif.write(metadata, letters, tmp_path / "sheet.xml")
    assert schema_errors(tmp_path / "sheet.xml") == set()


def test_a_failed_write_leaves_the_old_file_and_no_temporary_files(tmp_path):
    out = tmp_path / "out.xml"
    out.write_text("the previous export", encoding="utf-8")
    good = letters_of(EXAMPLE1)

    def letters():
        yield good[0]
        raise RuntimeError("the reader broke halfway")

    with pytest.raises(RuntimeError):
        cmif.write(Metadata(), letters(), out)
    assert out.read_text(encoding="utf-8") == "the previous export"
    assert list(tmp_path.iterdir()) == [out]


# Hostile files ------------------------------------------------------------------------------


LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE TEI [\n<!ENTITY lol "lol">\n'
    + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">\n'
        for i in range(1, 10)
    )
    + "]>\n"
)


def test_billion_laughs_is_refused(tmp_path):
    path = save(tmp_path, LAUGHS + tei(LETTER.format(n=1, day=1)).split("\n", 1)[1])
    with pytest.raises(UnreadableFile, match="entit"):
        list(cmif.read(path).letters)


def test_billion_laughs_used_in_a_name_is_refused(tmp_path):
    body = LETTER.format(n=1, day=1).replace("Brahm, Otto", "&lol9;")
    path = save(tmp_path, LAUGHS + tei(body).split("\n", 1)[1])
    with pytest.raises(UnreadableFile, match="entit"):
        list(cmif.read(path).letters)


def test_an_external_entity_is_never_read(tmp_path):
    secret = save(tmp_path, "SECRET-TEXT", "secret.txt")
    doctype = f'<!DOCTYPE TEI [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>\n'
    body = LETTER.format(n=1, day=1).replace("Brahm, Otto", "&xxe;")
    path = save(tmp_path, doctype + tei(body).split("\n", 1)[1])
    with pytest.raises(UnreadableFile, match="xxe") as refused:
        list(cmif.read(path).letters)
    assert "SECRET-TEXT" not in str(refused.value)


def test_an_external_dtd_is_neither_loaded_nor_fetched(tmp_path):
    # A DTD on disk that would define the entity, and one on a local port that would
    # see a connection if the reader went to fetch it.
    dtd = save(tmp_path, '<!ENTITY who "LOADED-FROM-DTD">', "letters.dtd")
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        server.setblocking(False)
        port = server.getsockname()[1]
        for system in (dtd.as_uri(), f"http://127.0.0.1:{port}/letters.dtd"):
            doctype = f'<!DOCTYPE TEI SYSTEM "{system}">\n'
            body = LETTER.format(n=1, day=1).replace("Brahm, Otto", "&who;")
            path = save(tmp_path, doctype + tei(body).split("\n", 1)[1])
            (letter,) = cmif.read(path).letters
            assert letter.recipients[0].name == "&who;"  # left as written, not expanded
        with pytest.raises(BlockingIOError):
            server.accept()


@pytest.mark.parametrize(
    "content",
    [b"", b"sender,recipient\nA,B\n", b"\x89PNG\r\n\x1a\n\x00\x00", b"<TEI><teiHeader>"],
    ids=["empty", "csv", "binary", "cut-in-header"],
)
def test_a_file_that_is_not_xml_is_unreadable(tmp_path, content):
    path = tmp_path / "letters.xml"
    path.write_bytes(content)
    with pytest.raises(UnreadableFile) as refused:
        cmif.read(path)
    assert refused.value.path == str(path)


def test_a_missing_file_is_unreadable(tmp_path):
    with pytest.raises(UnreadableFile, match="No such file"):
        cmif.read(tmp_path / "absent.xml")


def test_a_file_cut_off_among_the_letters_fails_where_it_breaks(tmp_path):
    whole = tei("".join(LETTER.format(n=n, day=n) for n in range(1, 4)))
    path = save(tmp_path, whole[: whole.index('<correspDesc key="k3"') + 40])
    source = cmif.read(path)  # the header and the first letter are fine
    read = []
    with pytest.raises(UnreadableFile, match="well-formed"):
        read.extend(source.letters)
    assert [letter.key for letter in read] == ["k1", "k2"]


@pytest.mark.parametrize(
    "text",
    [
        tei(""),
        '<?xml version="1.0"?><html><body><p>correspDesc</p></body></html>',
        '<TEI xmlns="urn:not-tei"><correspDesc key="x"/></TEI>',
    ],
    ids=["no-letters", "html", "other-namespace"],
)
def test_xml_without_any_correspdesc_is_unreadable(tmp_path, text):
    with pytest.raises(UnreadableFile, match="no correspDesc"):
        cmif.read(save(tmp_path, text))


# Memory ----------------------------------------------------------------------------------


def big_file(folder: Path, letters: int) -> Path:
    path = folder / f"big-{letters}.xml"
    head, tail = tei("@@").split("@@")
    with path.open("w", encoding="utf-8") as out:
        out.write(head)
        for n in range(letters):
            out.write(LETTER.format(n=n, day=n % 28 + 1))
        out.write(tail)
    return path


def test_twenty_thousand_letters_are_read_without_keeping_them(tmp_path):
    # tracemalloc sees Python's side only (letters or state kept by mistake); the tree
    # libxml2 builds is invisible to it and is the next test's business.
    path = big_file(tmp_path, 20_000)
    size = path.stat().st_size
    tracemalloc.start()
    try:
        count = sum(1 for _ in cmif.read(path).letters)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == 20_000
    assert peak < size / 10, (peak, size)


MAXRSS = """\
import resource, sys
from pathlib import Path
from dashboard.formats import cmif
count = sum(1 for _ in cmif.read(Path(sys.argv[1])).letters)
print(count, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
"""


def test_the_parsed_tree_does_not_grow_with_the_file(tmp_path):
    # tracemalloc cannot see libxml2's own allocations, so compare the whole process's
    # peak for a big file against a small one: a tree kept whole would cost several
    # times the file's size.
    def peak(path: Path) -> int:
        run = [sys.executable, "-c", MAXRSS, str(path)]
        out = subprocess.run(run, capture_output=True, text=True, check=True).stdout
        return int(out.split()[1])

    big = big_file(tmp_path, 20_000)
    small = big_file(tmp_path, 200)
    grown = peak(big) - peak(small)
    assert grown < big.stat().st_size / 2, (grown, big.stat().st_size)

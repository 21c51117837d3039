"""Letters become a corpus: people keyed on authority ids, anonymous parties apart, dates kept."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from dashboard.build import corpus_from_letters, display_name, is_anonymous, letters_of
from dashboard.dates import DAY, MONTH, NONE, RANGE, UNCERTAIN, LetterDate
from dashboard.letters import BODY, Letter, Metadata, Party, Place

GND_BRAHM = "https://d-nb.info/gnd/118514245"
GND_SCHNITZLER = "https://d-nb.info/gnd/118609807"


def letter(key, senders, recipients, when=None, **more) -> Letter:
    return Letter(
        key=key,
        where=f"test.xml, line {len(key)}",
        senders=tuple(senders),
        recipients=tuple(recipients),
        date=when or LetterDate.day(date(1894, 5, 20)),
        **more,
    )


def build(*letters: Letter):
    return corpus_from_letters(letters, Metadata(title="Test letters"))


def test_one_person_however_the_file_spells_their_id():
    corpus = build(
        letter("a", [Party("Brahm, Otto", "http://d-nb.info/gnd/118514245")], [Party("X")]),
        letter("b", [Party("Otto Brahm", GND_BRAHM + "/")], [Party("X")]),
    )
    brahm = corpus.messages["sender"].unique()
    assert len(brahm) == 1
    assert corpus.resolve("Brahm, Otto") == corpus.resolve("Otto Brahm") == brahm[0]
    assert corpus.resolve(GND_BRAHM) == brahm[0]
    row = corpus.people_by_id[brahm[0]]
    assert row["authority"] == GND_BRAHM
    assert row["name"] == "Otto Brahm" and row["short_name"] == "Brahm"


def test_anonymous_parties_stay_apart_and_are_never_dropped():
    corpus = build(
        letter("a", [Party("Unbekannt")], [Party("Schnitzler, Arthur", GND_SCHNITZLER)]),
        letter("b", [Party("N.N.")], [Party("Schnitzler, Arthur", GND_SCHNITZLER)]),
        letter("c", [Party("")], [Party("Schnitzler, Arthur", GND_SCHNITZLER)]),
    )
    senders = list(corpus.messages["sender"])
    assert len(set(senders)) == 3
    assert len(corpus.people) == 4


def test_several_senders_all_reach_the_network_and_the_filter():
    elly = Party("Elly Hirschfeld")
    corpus = build(
        letter(
            "B310",
            [Party("Brahm, Otto", GND_BRAHM), Party("Hirschfeld, Georg", "gnd"), elly],
            [Party("Schnitzler, Arthur", GND_SCHNITZLER)],
            LetterDate(text='cert="low"', precision=NONE, certainty=UNCERTAIN),
        ),
        letter(
            "S1", [Party("Schnitzler, Arthur", GND_SCHNITZLER)], [Party("Brahm, Otto", GND_BRAHM)]
        ),
    )
    elly_id = corpus.resolve("Elly Hirschfeld")
    assert elly_id
    found = corpus.filter(people=[elly_id]).messages["message_id"].tolist()
    assert found == ["B310"]
    pairs = corpus.pair_counts()
    assert len(pairs[pairs["recipient"] == corpus.resolve(GND_SCHNITZLER)]) == 3
    # Undated: counted and kept with all dates, not placed on a made-up day.
    assert corpus.messages.set_index("message_id").loc["B310", "date"] is pd.NaT
    assert corpus.undated["message_id"].tolist() == ["B310"]
    assert corpus.filter(start="1800-01-01", end="2000-01-01").undated.empty


def test_a_month_and_a_range_keep_what_the_source_says():
    may = LetterDate("1894-05", MONTH, date(1894, 5, 1), date(1894, 5, 31))
    open_end = LetterDate("1541-09-26/", RANGE, date(1541, 9, 26), None)
    corpus = build(
        letter("m", [Party("A")], [Party("B")], may),
        letter("r", [Party("A")], [Party("B")], open_end),
    )
    rows = corpus.messages.set_index("message_id")
    assert rows.loc["m", "date"] == pd.Timestamp("1894-05-16")
    assert rows.loc["m", "date_precision"] == MONTH
    assert rows.loc["r", "date"] == pd.Timestamp("1541-09-26")
    assert pd.isna(rows.loc["r", "date_to"])
    # A span meets a filter that overlaps it; an open span counts from its known end.
    assert corpus.filter(start="1894-05-30", end="1894-06-30").messages["message_id"].tolist() == [
        "m"
    ]
    assert corpus.period[0] == pd.Timestamp("1541-09-01")


def test_letters_come_back_as_they_went_in():
    original = [
        letter(
            "k1",
            [Party("Brahm, Otto", GND_BRAHM), Party("Deutsches Theater", "", BODY)],
            [Party("Schnitzler, Arthur", GND_SCHNITZLER)],
            LetterDate("1894-05", MONTH, date(1894, 5, 1), date(1894, 5, 31), UNCERTAIN),
            sent_place=Place("Berlin", "https://www.geonames.org/2950159"),
            url="https://example.org/letter/1",
            edition="An edition",
            extra=(("sameAs", "https://example.org/other/1"),),
        ),
        letter("k2", [Party("")], [Party("Brahm, Otto", GND_BRAHM)], LetterDate.none()),
    ]
    back = {item.key: item for item in letters_of(build(*original))}
    first = back["k1"]
    assert [p.name for p in first.senders] == ["Brahm, Otto", "Deutsches Theater"]
    assert first.senders[0].ref == GND_BRAHM and first.senders[1].kind == BODY
    assert first.date == original[0].date
    assert first.sent_place == Place("Berlin", "https://www.geonames.org/2950159")
    assert first.extra == original[0].extra and first.url == original[0].url
    assert back["k2"].date.precision == NONE
    assert back["k2"].senders == (Party(""),)


def test_keys_that_cannot_stand_in_a_url_get_a_number_and_are_kept():
    corpus = build(
        letter("a,b", [Party("A")], [Party("B")]),
        letter("dup", [Party("A")], [Party("B")]),
        letter("dup", [Party("A")], [Party("B")]),
    )
    ids = corpus.messages.set_index("key")["message_id"]
    assert ids["a,b"].startswith("L") and sorted(corpus.messages["key"]) == ["a,b", "dup", "dup"]
    assert corpus.messages["message_id"].is_unique


@pytest.mark.parametrize(
    ("name", "anonymous"),
    [
        ("Unbekannt", True),
        ("[unbekannt]", True),
        ("N. N.", True),
        ("", True),
        ("?", True),
        ("Nina Brahm", False),
        ("Unger, Max", False),
    ],
)
def test_anonymous_names(name, anonymous):
    assert is_anonymous(name) is anonymous


def test_display_name_turns_surname_first_round_for_people_only():
    assert display_name("Schnitzler, Arthur", "person") == ("Arthur Schnitzler", "Schnitzler")
    assert display_name("Verlag, Berlin", BODY) == ("Verlag, Berlin", "")
    assert display_name("Goethe", "person") == ("Goethe", "")
    assert DAY == "day"


def test_a_folder_written_from_letters_reads_back_with_shared_names(tmp_path):
    from dashboard.formats import folder
    from dashboard.model import load_corpus

    one, two = "https://d-nb.info/gnd/1000000001", "https://d-nb.info/gnd/1000000002"
    corpus = build(
        letter("a", [Party("Müller, Johann", one)], [Party("N.N.")]),
        letter("b", [Party("Müller, Johann", two)], [Party("Unbekannt")]),
    )
    folder.write(corpus, tmp_path / "out")
    again = load_corpus(tmp_path / "out")
    assert again.resolve(one) == "gnd-1000000001" and again.resolve(two) == "gnd-1000000002"
    assert again.resolve("Johann Müller") == "gnd-1000000001"
    assert len(again.people) == 4

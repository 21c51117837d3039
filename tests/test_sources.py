"""Sources a reader can cite: sources.csv, the references in `source` cells, their citations."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from factory import COPIES, EVENTS, MESSAGES, write_corpus, write_csv
from plotly.utils import PlotlyJSONEncoder

from dashboard import export as ex
from dashboard.app import create_app, render_page
from dashboard.cli import main
from dashboard.context import Context
from dashboard.corpora import open_corpus
from dashboard.formats import folder as folder_format
from dashboard.model import (
    CorpusError,
    Reference,
    load_corpus,
    parse_references,
    source_citation,
)
from dashboard.state import ViewState
from dashboard.views.pages import KIOSK_PATH

SOURCES = [
    {
        "source_id": "art",
        "kind": "article",
        "title": "Letters of a winter",
        "translator": "A. Translator",
        "translated_from": "Turkish",
    },
    {
        "source_id": "rec-42",
        "kind": "archive record",
        "title": "Cable, One to Another",
        "date": "1949-02-04",
        "published_in": "An Online Archive",
        "year": "2015",
        "archive_record": "42",
        "url": "https://archive.example/document/42",
        "provenance": "seed_file.txt",
    },
]
SOURCE_COLUMNS = [
    "source_id",
    "kind",
    "author",
    "title",
    "translator",
    "translated_from",
    "date",
    "published_in",
    "year",
    "archive_record",
    "url",
    "provenance",
]


def cited_corpus(folder, sources=SOURCES, **cells):
    """The tiny corpus with sources.csv; `cells` sets message a's source and others."""
    messages = [dict(m) for m in MESSAGES]
    messages[0]["source"] = cells.get("a", "art: footnote 6")
    messages[1]["source"] = cells.get("b", "art: footnote 9 | rec-42: cable of 6 February")
    copies = [{**c, "source": cells.get("copies", "art: footnote 9")} for c in COPIES]
    events = [{**e, "source": cells.get("events", "rec-42")} for e in EVENTS]
    write_corpus(folder, messages=messages, copies=copies, events=events)
    write_csv(folder / "sources.csv", sources, SOURCE_COLUMNS)
    return folder


def only_problem(folder):
    with pytest.raises(CorpusError) as caught:
        load_corpus(folder)
    assert len(caught.value.problems) == 1, [str(p) for p in caught.value.problems]
    return caught.value.problems[0]


# --- the cell syntax ----------------------------------------------------------------------


def test_a_cell_holds_references_separated_by_a_bar():
    assert parse_references("art: footnote 6") == [Reference("art", "footnote 6")]
    assert parse_references("art: introduction; the telegram of 12 January, point 1 | rec-42") == [
        Reference("art", "introduction; the telegram of 12 January, point 1"),
        Reference("rec-42", ""),
    ]
    assert parse_references("") == []


@pytest.mark.parametrize("cell", ["seed_file.txt, footnote 6", "art footnote 6", "art: x |", ": x"])
def test_a_cell_that_does_not_start_with_an_id_is_refused(cell):
    with pytest.raises(ValueError, match=r"source id|empty reference"):
        parse_references(cell)


# --- citations ----------------------------------------------------------------------------


def test_a_source_is_cited_by_its_translator_title_and_record():
    article, record = SOURCES
    assert source_citation(article) == (
        "A. Translator (trans. from Turkish), 'Letters of a winter'"
    )
    assert source_citation({**article, "author": "B. Writer"}) == (
        "B. Writer, 'Letters of a winter', trans. from Turkish by A. Translator"
    )
    assert source_citation(record) == (
        "'Cable, One to Another', 4 February 1949, An Online Archive, 2015, record 42"
    )


def test_a_cell_becomes_a_citation_with_its_locators(tmp_path):
    corpus = load_corpus(cited_corpus(tmp_path))
    cell = corpus.messages.set_index("message_id")["source"]["b"]
    assert corpus.cite(cell) == (
        "A. Translator (trans. from Turkish), 'Letters of a winter', footnote 9; "
        "'Cable, One to Another', 4 February 1949, An Online Archive, 2015, record 42, "
        "cable of 6 February, https://archive.example/document/42"
    )
    first, second = corpus.citations(cell)
    assert (first.source_id, first.url) == ("art", "")
    assert (second.source_id, second.url) == ("rec-42", "https://archive.example/document/42")
    assert corpus.cite("") == ""
    # The provenance is kept in sources.csv, never shown.
    assert "seed_file" not in corpus.cite(cell)


def test_without_sources_csv_a_cell_is_its_own_citation(tmp_path):
    messages = [{**MESSAGES[0], "source": "Printed in: Some Edition, no. 4"}, *MESSAGES[1:]]
    corpus = load_corpus(write_corpus(tmp_path, messages=messages))
    assert corpus.sources.empty
    assert corpus.cite("Printed in: Some Edition, no. 4") == "Printed in: Some Edition, no. 4"


# --- validation ---------------------------------------------------------------------------


def test_sources_csv_loads(tmp_path):
    corpus = load_corpus(cited_corpus(tmp_path))
    assert list(corpus.sources["source_id"]) == ["art", "rec-42"]
    assert set(corpus.sources_by_id) == {"art", "rec-42"}


def test_an_unknown_source_is_named_with_its_file_row_and_column(tmp_path):
    problem = only_problem(cited_corpus(tmp_path, b="art: footnote 9 | rec-43: cable"))
    assert problem.file.endswith("messages.csv")
    assert (problem.row, problem.column) == (3, "source")
    assert "unknown source 'rec-43' (not in sources.csv)" in problem.message
    assert "messages.csv, row 3, column 'source': unknown source 'rec-43'" in str(problem)


@pytest.mark.parametrize(
    ("where", "file", "row"),
    [("copies", "copies.csv", 2), ("events", "events.csv", 2), ("a", "messages.csv", 2)],
)
def test_a_file_name_where_an_id_belongs_is_refused(tmp_path, where, file, row):
    cited_corpus(tmp_path, **{where: "seed_file.txt, footnote 6"})
    with pytest.raises(CorpusError) as caught:
        load_corpus(tmp_path)
    first = caught.value.problems[0]
    assert first.file.endswith(file) and (first.row, first.column) == (row, "source")
    assert "'seed_file.txt, footnote 6' does not start with a source id" in first.message


def test_sources_csv_is_checked_itself(tmp_path):
    bad = [
        {**SOURCES[0], "source_id": "has space"},
        {**SOURCES[1], "year": "c. 2015", "url": "archive.example/42"},
        {**SOURCES[1], "title": ""},
    ]
    cited_corpus(tmp_path, sources=bad, a="", b="", copies="", events="")
    with pytest.raises(CorpusError) as caught:
        load_corpus(tmp_path)
    found = {(p.row, p.column) for p in caught.value.problems}
    assert {(2, "source_id"), (3, "year"), (3, "url"), (4, "title"), (4, "source_id")} <= found


def test_a_lone_messages_file_with_its_own_people_does_not_take_the_bundled_sources(tmp_path):
    """The bundled sources cite the bundled rows; free text beside other people stays text."""
    messages = [{**MESSAGES[0], "source": "Letters, vol. 2, no. 14"}, *MESSAGES[1:]]
    write_corpus(tmp_path, messages=messages)
    corpus = load_corpus(tmp_path / "messages.csv")
    assert corpus.sources.empty
    assert corpus.cite("Letters, vol. 2, no. 14") == "Letters, vol. 2, no. 14"


# --- writing and reading back --------------------------------------------------------------


def test_a_written_corpus_keeps_its_sources(tmp_path):
    (tmp_path / "in").mkdir()
    corpus = load_corpus(cited_corpus(tmp_path / "in"))
    written = folder_format.write(corpus, tmp_path / "out")
    assert tmp_path / "out" / "sources.csv" in written
    again = load_corpus(tmp_path / "out")
    written_rows = folder_format.table(again.sources, "sources.csv")
    assert written_rows.equals(folder_format.table(corpus.sources, "sources.csv"))
    assert list(written_rows["provenance"]) == ["", "seed_file.txt"]
    assert list(again.messages["source"]) == list(corpus.messages["source"])


def test_a_messages_file_with_a_citation_column_reads_back(tmp_path):
    """An export writes the citation beside `source`; loading it makes it again."""
    cited_corpus(tmp_path)
    text = (tmp_path / "messages.csv").read_text(encoding="utf-8").splitlines()
    text = [text[0] + ",citation", *(line + ",whatever it said" for line in text[1:])]
    (tmp_path / "messages.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    corpus = load_corpus(tmp_path)
    assert "citation" not in corpus.messages.columns


# --- the bundled corpus -----------------------------------------------------------------------

SEED_NAMES = ("000_e016215c6614d9f2.txt", "004_27a86a64b866bec5.txt")
# A file name of the kind the sources were kept in, shown instead of a citation. (Not any
# ".txt": plotly.js, inlined in an HTML export, names its own LICENSE.txt.)
FILE_NAME = re.compile(r"\b\d{3}_[0-9a-f]{16}\.txt\b")


@pytest.fixture(scope="module")
def bundled():
    return load_corpus()


@pytest.fixture(scope="module")
def bundled_context(bundled):
    return Context.build(bundled)


def no_file_name(text: str, where: str) -> None:
    assert not FILE_NAME.search(text), (where, FILE_NAME.search(text).group())
    assert not any(seed in text for seed in SEED_NAMES), where


def page_text(outputs) -> str:
    """What the render callback sends: figures (tooltips too), records, story, as JSON."""
    return json.dumps(outputs, cls=PlotlyJSONEncoder, ensure_ascii=False)


def test_the_bundled_sources_load_and_every_reference_resolves(bundled):
    assert list(bundled.sources["source_id"]) == ["yorulmaz-1949-telegrams", "wilson-121773"]
    for frame in (bundled.messages, bundled.people, bundled.copies, bundled.events, bundled.story):
        for cell in frame["source"]:
            for cited in bundled.citations(cell):
                assert cited.source_id in bundled.sources_by_id, cell


def test_a_bundled_record_is_cited_in_words(bundled):
    cell = bundled.messages.set_index("message_id")["source"]["m07"]
    assert bundled.cite(cell) == (
        "Muhsin Yorulmaz (trans. from Turkish), 'The 1949 telegrammes between Stalin and Mao …', "
        "Mao's first reply and footnote 6"
    )
    record = bundled.sources_by_id["wilson-121773"]
    assert source_citation(record) == (
        "Sergey Radchenko (trans.), 'Cable, Joseph Stalin to Anastas Mikoyan', 4 February 1949, "
        "History and Public Policy Program Digital Archive, 2015, record 121773"
    )


def test_no_page_record_or_story_step_shows_a_file_name(bundled, bundled_context):
    """Every message's record, every event's, every story step and the charts' tooltips."""
    rows = [
        *((f"?message={m}", "/", s) for m, s in bundled.messages[["message_id", "source"]].values),
        *((f"?event={e}", "/", s) for e, s in bundled.events[["event_id", "source"]].values),
        *((f"?step={n}", KIOSK_PATH, s) for n, s in bundled.story[["step", "source"]].values),
    ]
    for query, path, cell in rows:
        shown = page_text(render_page(bundled_context, query, path))
        no_file_name(shown, query)
        # The source in words, each reference of the cell; never the bare cell.
        for cited in bundled.citations(cell):
            assert cited.text in shown, (query, cited.text)
        assert cell not in shown, query


def test_an_opened_record_cites_its_source_with_a_link(bundled, bundled_context):
    shown = page_text(render_page(bundled_context, "?message=m17", "/"))
    assert "History and Public Policy Program Digital Archive, 2015, record 121773" in shown
    assert '"href": "https://digitalarchive.wilsoncenter.org/document/121773"' in shown
    assert "wilson-121773" not in shown


@pytest.mark.parametrize(
    "download",
    [
        "messages.csv",
        "messages.json",
        "messages.gexf",
        "messages.graphml",
        "messages.cmif",
        "network.html",
        "timeline.html",
        "flow.json",
    ],
)
def test_no_export_shows_a_file_name(bundled, download):
    response = create_app(bundled).server.test_client().get(f"/download/{download}")
    assert response.status_code == 200, response.get_data(as_text=True)
    no_file_name(response.get_data(as_text=True), download)


def test_the_page_itself_shows_no_file_name(bundled):
    client = create_app(bundled).server.test_client()
    for path in ("/", "/kiosk"):
        no_file_name(client.get(path).get_data(as_text=True), path)


def test_csv_and_json_exports_carry_the_citation(bundled, bundled_context):
    state = ViewState.default(bundled)
    made = ex.export(bundled_context, "messages", "csv", state)
    rows = list(csv.DictReader(io.StringIO(made.content.decode("utf-8"))))
    header = list(rows[0])
    assert header.index("citation") == header.index("source") + 1
    for row in rows:
        assert row["citation"] == bundled.cite(row["source"]) != ""
    document = json.loads(ex.export(bundled_context, "messages", "json", state).content)
    for record in document["messages"]:
        assert record["citation"] == bundled.cite(record["source"])
    assert [s["source_id"] for s in document["sources"]] == [
        "yorulmaz-1949-telegrams",
        "wilson-121773",
    ]
    assert all("provenance" not in source for source in document["sources"])


def test_an_exported_messages_csv_reads_back(bundled, bundled_context, tmp_path):
    made = ex.export(bundled_context, "messages", "csv", ViewState.default(bundled))
    again = load_corpus(ex.write_atomic(tmp_path / "messages.csv", made.content))
    assert list(again.messages["source"]) == list(bundled.messages["source"])
    assert "citation" not in again.messages.columns
    assert again.cite(again.messages["source"][0]) == bundled.cite(bundled.messages["source"][0])


def test_export_corpus_round_trip_keeps_the_sources(bundled, tmp_path):
    assert main(["export", "corpus", "-o", str(tmp_path / "out")]) == 0
    again = load_corpus(tmp_path / "out")
    table = folder_format.table
    assert table(again.sources, "sources.csv").equals(table(bundled.sources, "sources.csv"))
    for name in ("messages", "people", "copies", "events", "story"):
        before, after = getattr(bundled, name)["source"], getattr(again, name)["source"]
        assert sorted(after) == sorted(before), name
    cells = bundled.messages["source"]
    assert [again.cite(c) for c in cells] == [bundled.cite(c) for c in cells]
    # And once more: what it wrote reads back the same.
    assert (
        main(["export", "corpus", "--corpus", str(tmp_path / "out"), "-o", str(tmp_path / "2")])
        == 0
    )
    assert (tmp_path / "2" / "sources.csv").read_bytes() == (
        tmp_path / "out" / "sources.csv"
    ).read_bytes()


CMIF_LETTER = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0">
  <teiHeader>
    <fileDesc>
      <titleStmt><title>Test</title><editor>Ed Itor</editor></titleStmt>
      <publicationStmt><publisher>P</publisher></publicationStmt>
      <sourceDesc><bibl type="print" xml:id="ed1">Letters, vol. 2 (Wien 1900)</bibl></sourceDesc>
    </fileDesc>
    <profileDesc>
      <correspDesc key="k1" source="#ed1">
        <correspAction type="sent">
          <persName>Schnitzler, Arthur</persName><date when="1900-01-02"/>
        </correspAction>
        <correspAction type="received"><persName>Brahm, Otto</persName></correspAction>
      </correspDesc>
    </profileDesc>
  </teiHeader>
</TEI>
"""


def test_an_imported_edition_is_cited_as_before(tmp_path):
    """A CMIF corpus has no sources.csv: its source is the edition, shown as written."""
    (tmp_path / "letters.xml").write_text(CMIF_LETTER, encoding="utf-8")
    corpus, _report = open_corpus(tmp_path / "letters.xml")
    assert corpus is not None and corpus.sources.empty
    row = corpus.messages.iloc[0]
    assert row["source"] == "Letters, vol. 2 (Wien 1900)"
    assert corpus.cite(row["source"]) == row["source"]
    assert "citation" not in ex.messages_table(corpus).columns
    written = folder_format.write(corpus, tmp_path / "out")
    assert not (tmp_path / "out" / "sources.csv").exists() and written
    assert load_corpus(tmp_path / "out").sources.empty

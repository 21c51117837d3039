"""Sources a reader can cite: sources.csv, the references in `source` cells, their citations."""

from __future__ import annotations

import pytest
from factory import COPIES, EVENTS, MESSAGES, write_corpus, write_csv

from dashboard.formats import folder as folder_format
from dashboard.model import (
    CorpusError,
    Reference,
    load_corpus,
    parse_references,
    source_citation,
)

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

"""Real editions through the whole door: validate, serve, export and read back again."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
from conftest import SHARED_CORPORA

from dashboard import authority
from dashboard.app import create_app, render_page
from dashboard.build import letters_of
from dashboard.cli import main
from dashboard.context import Context
from dashboard.corpora import open_corpus
from dashboard.export import export
from dashboard.formats import cmif, folder
from dashboard.model import load_corpus
from dashboard.report import ALL_IMPORTED, UNREADABLE
from dashboard.state import ViewState

pytestmark = pytest.mark.usefixtures("shared_corpora")

CMIF_FILES = sorted((SHARED_CORPORA / "cmif").glob("*.xml"))
CSV2CMI_FILES = sorted((SHARED_CORPORA / "csv2cmi").glob("*.csv"))
BRAHM = SHARED_CORPORA / "cmif" / "brahm-schnitzler.xml"
GND_SCHNITZLER = "https://d-nb.info/gnd/118609807"


@pytest.fixture(scope="module")
def brahm():
    corpus, report = open_corpus(BRAHM)
    assert corpus is not None, report.lines()
    return corpus, report


def comparable(letter) -> tuple:
    """What a round trip must keep of a letter: parties with their ids, places, the date
    with its bounds and certainty, the edition's link and every field kept aside."""

    def party(p):
        return (p.name, authority.normalise(p.ref) or p.ref, p.kind)

    def place(p):
        return None if p is None else (p.name, authority.normalise(p.ref) or p.ref)

    def when(d):
        if d is None:
            return None
        return (d.precision, d.earliest, d.latest, d.certainty, d.candidates)

    return (
        letter.key,
        tuple(party(p) for p in letter.senders),
        tuple(party(p) for p in letter.recipients),
        place(letter.sent_place),
        place(letter.received_place),
        when(letter.date),
        when(letter.received_date),
        letter.url,
        letter.edition,
        tuple(sorted(letter.extra)),
    )


def read_letters(path: Path) -> Counter:
    return Counter(comparable(letter) for letter in cmif.read(path).letters)


@pytest.mark.parametrize("path", CMIF_FILES, ids=lambda p: p.name)
def test_cmif_round_trip_through_the_model_keeps_every_letter(path, tmp_path):
    corpus, report = open_corpus(path)
    assert report.exit_code == ALL_IMPORTED
    out = tmp_path / "back.xml"
    cmif.write(corpus.meta, letters_of(corpus), out)
    assert read_letters(out) == read_letters(path)
    assert sum(read_letters(out).values()) == report.letters


@pytest.mark.parametrize("path", CMIF_FILES, ids=lambda p: p.name)
def test_cmif_export_of_the_whole_view_is_the_file_again(path, tmp_path):
    corpus, _ = open_corpus(path)
    context = Context(corpus, {}, {})
    made = export(context, "cmif", "cmif", ViewState.default(corpus))
    assert made.filename.endswith(".cmif.xml")
    out = tmp_path / made.filename
    out.write_bytes(made.content)
    assert read_letters(out) == read_letters(path)


def test_brahm_report_names_its_letters_by_key(brahm, capsys):
    _, report = brahm
    assert report.letters == 429
    assert report.undated == ["B310"]
    assert "B310" in report.several_senders and len(report.several_senders) == 13
    assert report.exit_code == ALL_IMPORTED
    assert main(["validate", str(BRAHM), "--json"]) == ALL_IMPORTED
    data = json.loads(capsys.readouterr().out)
    assert {"letters", "people", "places", "skipped", "problems"} <= set(data)
    assert data["letters"] == 429 and data["skipped"] == []
    b310 = [p for p in data["problems"] if p["key"] == "B310"]
    assert any("Elly Hirschfeld" in p["message"] for p in b310)
    assert all(p["where"].startswith("brahm-schnitzler.xml, line ") for p in data["problems"])


@pytest.mark.parametrize("path", CSV2CMI_FILES, ids=lambda p: p.name)
def test_every_csv2cmi_row_is_imported_or_named(path, capsys):
    rows = len(path.read_text(encoding="utf-8-sig").splitlines()) - 1
    corpus, report = open_corpus(path)
    assert corpus is not None
    assert report.letters + len(report.skipped) == rows
    assert main(["validate", str(path)]) == report.exit_code
    assert "letters" in capsys.readouterr().out


@pytest.mark.parametrize("name", ["cmi-customization.rng", "README.md"], ids=["schema", "readme"])
def test_a_file_in_no_known_format_is_refused_with_exit_2(name, capsys):
    path = SHARED_CORPORA / ("cmif" if name.endswith(".rng") else "") / name
    assert main(["validate", str(path)]) == UNREADABLE
    assert "could not be read" in capsys.readouterr().err
    assert main(["validate", str(path), "--json"]) == UNREADABLE
    assert json.loads(capsys.readouterr().out)["readable"] is False


def test_the_page_names_the_correspondence_and_its_people(brahm):
    corpus, report = brahm
    app = create_app(corpus, report=report)
    client = app.server.test_client()
    layout = json.dumps(client.get("/_dash-layout").get_json())
    assert "Der Briefwechsel Arthur Schnitzler" in layout and "1894" in layout
    assert "Coded telegrams" not in layout
    # The two main nodes are the two correspondents.
    busiest = corpus.pair_counts().groupby("sender")["messages"].sum().nlargest(2)
    names = {corpus.label(p) for p in busiest.index}
    assert names == {"Otto Brahm", "Arthur Schnitzler"}
    # A record links the person's GND id.
    context = Context.build(corpus)
    outputs = render_page(context, "?message=S1", "/")
    assert GND_SCHNITZLER in json.dumps(outputs[4], default=str)
    # The import report has a page and a JSON twin, its text escaped.
    page = client.get("/report")
    assert page.status_code == 200 and b"Elly Hirschfeld" in page.data
    assert client.get("/report.json").get_json()["letters"] == 429


def test_no_copy_flow_for_a_corpus_without_copies(brahm):
    corpus, report = brahm
    layout = create_app(corpus, report=report).layout
    flow = [
        section
        for section in layout.children[-2].children
        if "panel-flow" in getattr(section, "className", "")
    ]
    assert flow and flow[0].hidden is True


def test_exported_folder_reloads_with_the_projects_loader(brahm, tmp_path):
    corpus, _ = brahm
    folder.write(corpus, tmp_path / "brahm")
    again = load_corpus(tmp_path / "brahm")
    assert again.meta.title == corpus.meta.title
    assert Counter(comparable(x) for x in letters_of(again)) == Counter(
        comparable(x) for x in letters_of(corpus)
    )
    messages = (tmp_path / "brahm" / "messages.csv").read_text(encoding="utf-8")
    for column in ("senders", "date_precision", "date_from", "sent_place", "key", "extra"):
        assert column in messages.splitlines()[0]


def test_the_source_file_is_never_written(tmp_path):
    copy = Path(shutil.copy(BRAHM, tmp_path / "letters.xml"))
    before = copy.stat().st_mtime_ns, copy.read_bytes()
    open_corpus(copy)
    assert main(["validate", str(copy)]) == ALL_IMPORTED
    assert (copy.stat().st_mtime_ns, copy.read_bytes()) == before


@pytest.mark.parametrize("path", [*CMIF_FILES, *CSV2CMI_FILES], ids=lambda p: p.name)
def test_every_edition_is_served(path):
    corpus, report = open_corpus(path)
    app = create_app(corpus, report=report)
    client = app.server.test_client()
    assert client.get("/").status_code == 200
    context = Context.build(corpus)
    # Every page a visitor, a researcher or a presenter may open draws for an edition too,
    # though it has no story, no copies and no codenames.
    for path in ("/kiosk", "/embed/network", "/embed/timeline", "/embed/flow"):
        for query in ("", "?step=1", "?attract=on", "?play=on"):
            render_page(context, query, path)
    outputs = render_page(context, "", "/")
    network, timeline = outputs[0], outputs[1]
    assert network["data"] and timeline["layout"]["xaxis"]["type"] == "date"
    # Every dated letter is on the timeline once, as a mark or counted in a bin, and every
    # undated one is left to the records. (Binned, the range strip counts them again, in
    # coarse bins of its own: those are not the plot's.)
    dated = set(corpus.messages.dropna(subset=["date"])["message_id"])
    points = [
        (trace, point)
        for trace in timeline["data"]
        for point in trace.get("customdata") or []
        if point and point[0] in ("message", "bin")
    ]
    marks = {point[1] for _, point in points if point[0] == "message"}
    binned = sum(
        point[2]
        for trace, point in points
        if point[0] == "bin" and not trace["name"].endswith("(range strip)")
    )
    assert (marks == dated and not binned) or (not marks and binned == len(dated))


def test_an_edition_is_cited_by_its_own_title(brahm):
    from dashboard.citation import citation

    corpus, _ = brahm
    line = citation(corpus, ViewState.default(corpus), view="network")
    assert line.startswith("Der Briefwechsel Arthur Schnitzler – Otto Brahm, shown with Dispatches")
    assert "Stalin" not in line and "brahm-schnitzler.xml" in line


def test_json_export_carries_every_party_and_the_date_as_written(brahm):
    corpus, _ = brahm
    state = ViewState.from_query("?message=B310", corpus)
    made = export(Context(corpus, {}, {}), "messages", "json", state)
    records = {r["message_id"]: r for r in json.loads(made.content)["messages"]}
    b310 = records["B310"]
    assert len(b310["senders"]) == 3 and b310["sender_names"][2] == "Elly Hirschfeld"
    assert b310["date"] == "" and b310["date_precision"] == "none"
    assert b310["date_certainty"] == "uncertain"


def test_the_timeline_says_how_to_read_its_squares_for_a_large_edition(brahm):
    from dashboard.app import timeline_blurb

    corpus, _ = brahm
    assert "squares count them" in timeline_blurb(corpus)
    bundled, _ = open_corpus(None)
    assert timeline_blurb(bundled).startswith("One mark per message")

"""`python -m dashboard export`: files of a filtered view, progress on stderr, clear refusals."""

from __future__ import annotations

import json
import struct

import pytest
from factory import write_corpus

from dashboard.cli import main
from dashboard.export import read_network
from dashboard.model import load_corpus


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "corpus").mkdir()
    return write_corpus(tmp_path / "corpus")


def run(folder, *args):
    return main(["export", *args, "--corpus", str(folder)])


def test_png_at_a_chosen_size_with_progress(folder, tmp_path, capsys):
    out = tmp_path / "network.png"
    code = run(
        folder, "network", "--start", "1949-01-10", "--end", "1949-01-31",
        "--width", "320", "--height", "240", "--scale", "3", "-o", str(out),
    )  # fmt: skip
    assert code == 0
    data = out.read_bytes()
    assert struct.unpack(">II", data[16:24]) == (960, 720)
    err = capsys.readouterr().err
    assert "export: 3 messages match the filter" in err
    assert "rendering PNG at 320 x 240, scale 3" in err
    assert f"export: wrote {out}" in err


def test_svg_format_given_explicitly(folder, tmp_path):
    out = tmp_path / "flow.image"
    assert run(folder, "flow", "--format", "svg", "--look", "presentation", "-o", str(out)) == 0
    svg = out.read_text(encoding="utf-8")
    assert svg.startswith("<svg") and "Andrey Vyshinsky (not in Politburo)" in svg


def test_messages_csv_reloads_and_matches_the_filter(folder, tmp_path, capsys):
    out = tmp_path / "extract.csv"
    assert run(folder, "messages", "--people", "Terebin", "-q", "-o", str(out)) == 0
    assert capsys.readouterr().err == ""
    # Nothing beside it: people and copies come from the bundled corpus.
    assert list(load_corpus(out).messages["message_id"]) == ["c"]


def test_a_page_link_chooses_the_view_and_options_override_it(folder, tmp_path):
    out = tmp_path / "data.json"
    link = "http://localhost:8050/?start=1949-01-10&end=1949-03-31&kind=cable"
    assert run(folder, "messages", "--query", link, "--end", "1949-01-31", "-o", str(out)) == 0
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["filter"]["end"] == "1949-01-31" and document["filter"]["kinds"] == ["cable"]
    assert document["count"] == 0


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_network_files_reload(folder, tmp_path, fmt):
    out = tmp_path / f"net.{fmt}"
    assert run(folder, "messages", "--kind", "coded telegram", "-q", "-o", str(out)) == 0
    graph = read_network(out)
    assert graph.number_of_nodes() == 3 and graph.number_of_edges() == 4


def test_html_to_stdout(folder, capsysbinary):
    assert run(folder, "timeline", "--format", "html", "-q", "-o", "-") == 0
    page = capsysbinary.readouterr().out
    assert page.startswith(b"<!doctype html>") and b"Plotly.newPlot" in page


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["network", "--start", "1949-02-30"], "'1949-02-30'"),
        (["messages", "--people", "Zhukov", "--format", "csv"], "'Zhukov'"),
        (["network", "--width", "huge", "--format", "png"], "width='huge'"),
        (["messages", "--format", "png"], "cannot be exported as 'png'"),
    ],
)
def test_bad_requests_exit_2_and_write_nothing(folder, tmp_path, capsys, args, message):
    out = tmp_path / "out.svg"
    out.write_bytes(b"kept")
    assert run(folder, *args, "-o", str(out)) == 2
    assert message in capsys.readouterr().err
    assert out.read_bytes() == b"kept"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "out.svg"]


def test_format_must_be_known(folder, tmp_path, capsys):
    assert run(folder, "messages", "-o", str(tmp_path / "out")) == 2
    assert "cannot tell the format" in capsys.readouterr().err


def test_no_browser_exits_1_and_says_what_to_install(folder, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-chromium"))
    assert run(folder, "network", "-o", str(tmp_path / "n.png")) == 1
    assert "apt-get install chromium" in capsys.readouterr().err
    assert not (tmp_path / "n.png").exists()


def test_unwritable_destination_is_reported(folder, tmp_path, capsys):
    assert run(folder, "messages", "-q", "-o", str(tmp_path / "missing" / "m.csv")) == 1
    assert "cannot write" in capsys.readouterr().err


def test_serve_refuses_an_origin_that_could_break_the_header(capsys):
    assert main(["--frame-ancestors", "http://localhost; script-src *"]) == 2
    assert "is not an origin" in capsys.readouterr().err

"""The command line: validate reports problems or a one-line summary, with the right exit code."""

from __future__ import annotations

from factory import MESSAGES, write_corpus

from dashboard.cli import main


def test_validate_bundled(capsys):
    assert main(["validate"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("OK: 21 messages, 22 people, 22 copies")
    assert "09 Jan 1949 - 26 May 1949" in out


def test_validate_reports_problems(tmp_path, capsys):
    bad = [dict(m) for m in MESSAGES]
    bad[0]["sender"] = "ghost"
    assert main(["validate", str(write_corpus(tmp_path, messages=bad))]) == 1
    err = capsys.readouterr().err
    assert "messages.csv, row 2, column 'sender': unknown person 'ghost'" in err

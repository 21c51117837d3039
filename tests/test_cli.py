"""The command line: validate reports problems or a one-line summary, with the right exit code."""

from __future__ import annotations

import pytest
from factory import MESSAGES, write_corpus

from dashboard.cli import main
from dashboard.server import DEFAULT_TIMEOUT, DEFAULT_WORKERS


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


def test_serve_runs_gunicorn_workers_on_loopback(monkeypatch):
    served = {}

    def fake_serve(server, host, port, workers, timeout):
        served.update(server=server, host=host, port=port, workers=workers, timeout=timeout)

    monkeypatch.setattr("dashboard.server.serve", fake_serve)
    monkeypatch.delenv("DASH_DEBUG", raising=False)
    assert main(["serve", "--workers", "3", "--port", "8123"]) == 0
    assert served["host"] == "127.0.0.1" and served["port"] == 8123
    assert served["workers"] == 3 and served["timeout"] == DEFAULT_TIMEOUT
    assert served["server"].name == "dashboard.app"

    assert served["server"].test_client().get("/").status_code == 200

    # With no command the same server runs, with its default workers; --kiosk reaches it.
    served.clear()
    assert main(["--kiosk"]) == 0
    assert served["workers"] == DEFAULT_WORKERS and served["port"] == 8050
    assert served["server"].test_client().get("/?day=1949-01-10").location == (
        "/kiosk?day=1949-01-10"
    )


def test_debug_runs_the_development_server_without_its_version(monkeypatch):
    ran = {}
    monkeypatch.setattr("dashboard.server.serve", lambda *a, **k: pytest.fail("gunicorn"))
    monkeypatch.setattr("dash.Dash.run", lambda app, **options: ran.update(options))
    assert main(["--debug", "--port", "8124"]) == 0
    assert ran["debug"] is True and ran["host"] == "127.0.0.1" and ran["port"] == 8124
    assert ran["dev_tools_disable_version_check"] is True  # no request to the internet
    handler = ran["request_handler"].__new__(ran["request_handler"])
    assert handler.version_string() == "Dispatches"


@pytest.mark.parametrize("workers", ["0", "-1", "two"])
def test_workers_must_be_a_positive_whole_number(workers, capsys):
    with pytest.raises(SystemExit):
        main(["serve", "--workers", workers])
    assert "--workers" in capsys.readouterr().err


def test_serve_refuses_a_corpus_with_problems_before_starting(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr("dashboard.server.serve", lambda *a, **k: pytest.fail("started"))
    bad = [dict(m) for m in MESSAGES]
    bad[0]["sender"] = "ghost"
    assert main(["serve", "--corpus", str(write_corpus(tmp_path, messages=bad))]) == 1
    assert "unknown person 'ghost'" in capsys.readouterr().err

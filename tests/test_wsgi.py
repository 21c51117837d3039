"""The WSGI entry point: settings from the environment, any WSGI host, and no visitor's state
kept in the process (the URL is the state)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from benchmarks.load import PAYLOADS, request, running_server, with_view

from dashboard.app import create_app
from dashboard.model import load_corpus
from dashboard.server import Settings
from dashboard.views.exhibit import DEFAULT_IDLE_SECONDS

ROOT = Path(__file__).resolve().parent.parent
UPDATE = "/_dash-update-component"


def test_settings_from_the_environment():
    assert Settings.from_env({}) == Settings(None, False, None, DEFAULT_IDLE_SECONDS)
    settings = Settings.from_env(
        {
            "DISPATCHES_CORPUS": "/srv/corpus",
            "DISPATCHES_KIOSK": "true",
            "DISPATCHES_FRAME_ANCESTORS": "https://slides.localhost",
            "DISPATCHES_IDLE_SECONDS": "45",
        }
    )
    assert settings == Settings("/srv/corpus", True, "https://slides.localhost", 45.0)
    assert Settings.from_env({"DISPATCHES_KIOSK": "no"}).kiosk is False
    assert Settings.from_env({"DISPATCHES_TITLE": "Letters of 1900"}).title == "Letters of 1900"


@pytest.mark.parametrize("idle", ["soon", "0", "-3"])
def test_a_bad_idle_time_in_the_environment_is_named(idle):
    with pytest.raises(ValueError, match="DISPATCHES_IDLE_SECONDS"):
        Settings.from_env({"DISPATCHES_IDLE_SECONDS": idle})


def test_gunicorn_runs_the_wsgi_module_with_its_environment():
    env = {
        **os.environ,
        "DISPATCHES_KIOSK": "true",
        "DISPATCHES_FRAME_ANCESTORS": "https://slides.localhost",
    }
    command = [sys.executable, "-m", "gunicorn", "--bind", "127.0.0.1:{port}"]
    command += ["--workers", "1", "dashboard.wsgi:server"]
    with running_server(command=command, cwd=ROOT, env=env) as (_process, url):
        status, _body, headers = request(url, "GET", "/?day=1949-01-10")
        assert status == 302 and headers["Location"] == "/kiosk?day=1949-01-10"
        status, _body, headers = request(url, "GET", "/embed/flow")
        assert status == 200
        framing = headers.get_all("Content-Security-Policy")[0]
        assert framing == "frame-ancestors https://slides.localhost"


def test_a_request_is_answered_the_same_whatever_came_before():
    """Nothing a visitor does stays in the process: the same request, asked before and after
    other visitors' view changes, gets the same answer."""
    client = create_app(load_corpus()).server.test_client()
    payloads = json.loads(PAYLOADS.read_text(encoding="utf-8"))
    view = "?start=1949-01-10&end=1949-01-20&people=mao"

    def answer(name: str, search: str, path: str = "/") -> dict:
        response = client.post(UPDATE, json=with_view(payloads[name], search, path))
        assert response.status_code == 200
        return response.get_json()

    first = answer("render", view)
    person = answer("person", view)
    for name, search, path in [
        ("dates", "", "/"),
        ("person", "?names=codename", "/"),
        ("tick", "?day=1949-01-10&play=on", "/kiosk"),
        ("render", "?look=presentation&message=m06", "/embed/network"),
        ("render", "?step=2", "/kiosk"),
    ]:
        answer(name, search, path)
    assert answer("render", view) == first
    assert answer("person", view) == person

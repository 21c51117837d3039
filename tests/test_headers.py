"""Every response's security headers, and the size limits, in-process and from gunicorn."""

from __future__ import annotations

from pathlib import Path

import pytest
from benchmarks.load import request, running_server

from dashboard.app import create_app
from dashboard.model import load_corpus
from dashboard.routes import MAX_BODY_BYTES, MAX_URL_BYTES

ROOT = Path(__file__).resolve().parent.parent
UPDATE = "/_dash-update-component"


@pytest.fixture(scope="module")
def app():
    return create_app(load_corpus())


@pytest.fixture
def client(app):
    return app.server.test_client()


def policies(response) -> tuple[str, dict[str, str]]:
    framing, content = response.headers.getlist("Content-Security-Policy")
    directives = dict(part.strip().split(" ", 1) for part in content.split(";"))
    return framing, directives


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/kiosk",
        "/embed/network",
        "/_dash-layout",
        "/assets/style.css",
        "/download/messages.csv",
        "/no/such/page",
    ],
)
def test_every_response_says_what_its_page_may_load(client, app, path):
    response = client.get(path)
    framing, directives = policies(response)
    assert framing.startswith("frame-ancestors ")
    scripts = directives["script-src"].split()
    # Scripts from the server itself, and Dash's inline ones by their hash: nothing else.
    assert scripts == ["'self'", *app.csp_hashes()]
    assert len(scripts) >= 3  # the renderer's start and the narrow-frame watcher at least
    assert directives["default-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == directives["form-action"] == "'self'"
    assert directives["img-src"] == "'self' data: blob:"
    assert directives["style-src"] == "'self' 'unsafe-inline'"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_the_hashed_scripts_are_the_page_s_inline_scripts(client, app):
    import base64
    import hashlib
    import re

    page = client.get("/").get_data(as_text=True)
    inline = re.findall(
        r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>(.*?)</script>", page, flags=re.S
    )
    assert inline, "the page has Dash's inline scripts"
    hashes = {
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
        for s in inline
    }
    _framing, directives = policies(client.get("/"))
    assert hashes <= set(directives["script-src"].split())


def test_a_body_over_the_limit_is_refused_unread(client):
    too_big = b"x" * (MAX_BODY_BYTES + 1)
    response = client.post(UPDATE, data=too_big, content_type="application/json")
    assert response.status_code == 413
    # At the limit the body reaches Dash, which finds it is no callback request.
    at_limit = client.post(UPDATE, data=too_big[:-1], content_type="application/json")
    assert at_limit.status_code != 413


def test_a_url_over_the_limit_is_refused(client):
    base = "/?people="
    assert client.get(base + "a" * (MAX_URL_BYTES - len(base))).status_code == 200
    response = client.get(base + "a" * (MAX_URL_BYTES + 1 - len(base)))
    assert response.status_code == 414


def test_gunicorn_names_no_software_and_keeps_the_limits():
    with running_server("serve", "--workers", "1", cwd=ROOT) as (_process, url):
        status, _body, headers = request(url, "GET", "/?start=1949-01-10")
        assert status == 200
        assert headers.get_all("Server") == ["Dispatches"]
        assert len(headers.get_all("Content-Security-Policy")) == 2
        assert headers["Referrer-Policy"] == "no-referrer"
        status, _body, _headers = request(url, "GET", "/?people=" + "a" * 9000)
        assert status == 414
        status, _body, _headers = request(url, "POST", UPDATE, b"{" * (2 * MAX_BODY_BYTES))
        assert status == 413


@pytest.mark.parametrize(
    "path", ["/", "/_dash-layout", "/_dash-component-suites/plotly/package_data/plotly.min.js"]
)
def test_answers_are_compressed_for_a_browser_that_accepts_it(client, path):
    plain = client.get(path)
    packed = client.get(path, headers={"Accept-Encoding": "gzip"})
    assert plain.status_code == packed.status_code == 200
    assert packed.headers.get("Content-Encoding") == "gzip"
    assert "Accept-Encoding" in packed.headers.get("Vary", "")
    assert len(packed.data) < len(plain.data)
    # Compression keeps every security header.
    assert packed.headers.getlist("Content-Security-Policy") == plain.headers.getlist(
        "Content-Security-Policy"
    )

"""The callback door: envelopes the page would never send get a 400, never a 500."""

from __future__ import annotations

import copy
import json

import pytest
from benchmarks.fuzz import envelopes

from dashboard import ids
from dashboard.app import create_app
from dashboard.guard import EnvelopeError, check_envelope
from dashboard.model import load_corpus

ROUTE = "/_dash-update-component"


@pytest.fixture(scope="module")
def app():
    return create_app(load_corpus())


@pytest.fixture(scope="module")
def client(app):
    return app.server.test_client()


@pytest.fixture(scope="module")
def sync(app):
    """The URL-owning callback's envelope, as the page's first request sends it."""
    found = [e for e in envelopes(app) if e["output"].startswith(f"..{ids.URL}.search")]
    return found[0]


def changed(envelope: dict, **edits) -> dict:
    body = copy.deepcopy(envelope)
    body.update(edits)
    return body


def test_the_page_s_own_envelope_is_answered(client, sync):
    response = client.post(ROUTE, json=changed(sync, changedPropIds=[f"{ids.URL}.search"]))
    assert response.status_code == 200
    answered = response.get_json()["response"]
    assert ids.DATES in answered and ids.URL not in answered  # a URL is not written back


def test_a_tap_on_a_record_link_opens_its_record(client, sync):
    body = copy.deepcopy(sync)
    links = next(entry for entry in body["inputs"] if isinstance(entry, list))
    links[:] = [
        {"id": {"type": ids.RECORD_LINK, "message": "m01"}, "property": "n_clicks", "value": 1}
    ]
    # As the browser writes a pattern-matching id: keys in order, no spaces.
    body["changedPropIds"] = ['{"message":"m01","type":"record-link"}.n_clicks']
    response = client.post(ROUTE, json=body)
    assert response.status_code == 200
    assert "message=m01" in response.get_json()["response"][ids.URL]["search"]


def broken(envelope: dict) -> dict[str, object]:
    """Envelopes no page sends, each named for what is wrong with it."""
    inputs = envelope["inputs"]
    first = inputs[0]
    return {
        "not an object": [envelope],
        "no output": {k: v for k, v in envelope.items() if k != "output"},
        "unknown output": changed(envelope, output="nothing.children"),
        "a clientside output": changed(envelope, output=f"{ids.NARROW}.data"),
        "output not text": changed(envelope, output=["x"]),
        "outputs missing": {k: v for k, v in envelope.items() if k != "outputs"},
        "one output short": changed(envelope, outputs=envelope["outputs"][:-1]),
        "outputs renamed": changed(
            envelope, outputs=[{**envelope["outputs"][0], "id": "x"}, *envelope["outputs"][1:]]
        ),
        "inputs not a list": changed(envelope, inputs={"a": 1}),
        "one input short": changed(envelope, inputs=inputs[:-1]),
        "one input too many": changed(envelope, inputs=[*inputs, first]),
        "input not an object": changed(envelope, inputs=["x", *inputs[1:]]),
        "input with another id": changed(envelope, inputs=[{**first, "id": "x"}, *inputs[1:]]),
        "pattern input not a list": changed(
            envelope, inputs=[i if not isinstance(i, list) else {} for i in inputs]
        ),
        "state not a list": changed(envelope, state="x"),
        "changed not a list": changed(envelope, changedPropIds="url.search"),
        "changed not text": changed(envelope, changedPropIds=[1]),
        "changed names nothing": changed(envelope, changedPropIds=["nothing.value"]),
        "changed is bad JSON": changed(envelope, changedPropIds=["{bad.n_clicks"]),
        "changed has no prop": changed(envelope, changedPropIds=["url"]),
        "changed is a partial id": changed(
            envelope, changedPropIds=['{"type":"record-link"}.n_clicks']
        ),
    }


@pytest.mark.parametrize("name", list(broken({"inputs": [{}], "outputs": [{}]})))
def test_broken_envelopes_get_a_400(app, client, sync, name):
    body = broken(sync)[name]
    response = client.post(ROUTE, json=body)
    assert response.status_code == 400, name
    assert response.get_data(as_text=True).startswith("Bad request: ")
    with pytest.raises(EnvelopeError):
        check_envelope(body, app.callback_map)


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (b"{bad", "application/json"),
        (b"", "application/json"),
        (b"[" * 100_000 + b"]" * 100_000, "application/json"),
        (b'{"output": 1e999999}', "application/json"),
        (b'{"output": ' + b"9" * 5000 + b"}", "application/json"),
        (b"output=x", "application/x-www-form-urlencoded"),
        (b'{"output": "x"}', "text/plain"),
    ],
)
def test_bodies_that_are_not_json_envelopes_get_a_400(client, data, content_type):
    response = client.post(ROUTE, data=data, content_type=content_type)
    assert response.status_code == 400


def test_a_script_dash_does_not_have_is_a_404(client):
    for path in ("/_dash-component-suites/dash/nothing.js", "/_dash-component-suites/x/y.js"):
        assert client.get(path).status_code == 404


def test_other_routes_are_left_alone(client):
    assert client.get("/_dash-layout").status_code == 200
    assert client.get("/download/messages.json").status_code == 200
    assert json.loads(client.get("/_dash-dependencies").data)

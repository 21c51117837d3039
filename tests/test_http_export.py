"""Download routes and framing headers, through the Flask test client."""

from __future__ import annotations

import io
import json
import re

import networkx as nx
import pytest

from dashboard.app import create_app
from dashboard.model import load_corpus
from dashboard.routes import frame_ancestors

JANUARY = "start=1949-01-10&end=1949-01-15"


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


@pytest.fixture(scope="module")
def client(corpus):
    return create_app(corpus).server.test_client()


# --- downloads -----------------------------------------------------------------------------


def test_svg_download_is_the_view_at_the_asked_size(client):
    response = client.get(f"/download/network.svg?{JANUARY}&people=Filippov&width=640&height=480")
    assert response.status_code == 200
    assert response.content_type == "image/svg+xml"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="dispatches-network-1949-01-10-to-1949-01-15.svg"'
    )
    root = re.search(r"<svg[^>]*>", response.get_data(as_text=True)).group(0)
    assert 'width="640"' in root and 'height="480"' in root


def test_png_download_scales(client):
    response = client.get(f"/download/flow.png?{JANUARY}&width=500&height=300&scale=1.5")
    assert response.status_code == 200 and response.content_type == "image/png"
    data = response.get_data()
    assert (int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")) == (750, 450)


def test_csv_download_holds_the_filtered_messages(client, corpus):
    response = client.get(f"/download/messages.csv?{JANUARY}&kind=coded telegram")
    assert response.status_code == 200
    assert response.content_type == "text/csv; charset=utf-8"
    rows = response.get_data(as_text=True).splitlines()[1:]
    expected = corpus.filter("1949-01-10", "1949-01-15", kinds=["coded telegram"]).messages
    assert [row.split(",")[0] for row in rows] == list(expected["message_id"])


def test_json_download_carries_its_filter_and_citation(client):
    response = client.get(f"/download/messages.json?{JANUARY}")
    document = json.loads(response.get_data())
    assert response.content_type == "application/json"
    assert document["filter"]["query"] == f"?{JANUARY}"
    assert document["count"] == 10
    assert f"http://localhost/?{JANUARY}" in document["citation"]


@pytest.mark.parametrize(("fmt", "reader"), [("gexf", nx.read_gexf), ("graphml", nx.read_graphml)])
def test_network_downloads_reload(client, fmt, reader):
    response = client.get(f"/download/messages.{fmt}?{JANUARY}")
    assert response.status_code == 200 and response.content_type == f"application/{fmt}+xml"
    graph = reader(io.BytesIO(response.get_data()))
    assert graph.number_of_edges() == 10  # ten messages, none relayed in these days
    assert all(data["date"].startswith("1949-01-1") for *_, data in graph.edges(data=True))


def test_html_download_is_a_standalone_page(client):
    response = client.get(f"/download/timeline.html?{JANUARY}&look=presentation")
    page = response.get_data(as_text=True)
    assert response.content_type == "text/html; charset=utf-8"
    assert "Plotly.newPlot" in page and "<script src=" not in page


@pytest.mark.parametrize(
    ("path", "named"),
    [
        ("/download/network.png?start=1949-02-30", "'1949-02-30'"),
        ("/download/messages.csv?people=Zhukov", "'Zhukov'"),
        ("/download/messages.csv?kind=postcard", "'postcard'"),
        ("/download/messages.csv?colour=red", "colour"),
        ("/download/network.png?width=wide", "width='wide'"),
        ("/download/network.svg?scale=100", "scale='100'"),
        ("/download/messages.png", "'png'"),
        ("/download/map.csv", "'map'"),
        ("/download/network", "''"),
    ],
)
def test_bad_values_get_a_400_that_names_them(client, path, named):
    response = client.get(path)
    assert response.status_code == 400
    assert response.content_type.startswith("text/plain")
    assert named in response.get_data(as_text=True)


# --- framing --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/", "/kiosk", "/embed/nothing", "/_dash-layout", "/download/messages.csv"]
)
def test_only_embeds_may_be_framed(client, path):
    response = client.get(path)
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Content-Security-Policy"] == "frame-ancestors 'none'"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("view", ["network", "timeline", "flow"])
def test_embeds_may_be_framed_by_anyone_by_default(client, view):
    response = client.get(f"/embed/{view}?{JANUARY}")
    assert response.status_code == 200
    assert "X-Frame-Options" not in response.headers
    assert response.headers["Content-Security-Policy"] == "frame-ancestors *"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_embedding_origins_are_configurable(corpus):
    app = create_app(corpus, frame_ancestors="'self', https://slides.localhost:8443")
    client = app.server.test_client()
    policy = client.get("/embed/network").headers["Content-Security-Policy"]
    assert policy == "frame-ancestors 'self' https://slides.localhost:8443"
    assert client.get("/").headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("bad", ["https://a.localhost; script-src *", "'unsafe-inline'", 'a b"c'])
def test_origins_that_could_break_the_header_are_refused(bad):
    with pytest.raises(ValueError, match="is not an origin"):
        frame_ancestors(bad)

"""The app: callbacks called as functions, and HTTP through the Flask test client."""

from __future__ import annotations

import json
from dataclasses import replace

import pandas as pd
import pytest
from dash import Patch, no_update
from plotly.utils import PlotlyJSONEncoder

from dashboard import ids
from dashboard.app import (
    RENDERED,
    SentFigures,
    create_app,
    figure_patch,
    render_page,
    render_update,
    sync,
)
from dashboard.context import Context
from dashboard.figures import flow_figure
from dashboard.model import load_corpus
from dashboard.state import DEFAULT_LABELS, MAX_LABELS
from dashboard.views import filters


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


@pytest.fixture(scope="module")
def context(corpus):
    return Context.build(corpus)


@pytest.fixture(scope="module")
def client(corpus):
    return create_app(corpus).server.test_client()


# --- callbacks as functions -------------------------------------------------------------------


def test_sync_from_url_sets_controls_without_rewriting_it(corpus):
    search, start, end, people, kinds, names, _labels = sync(
        corpus, "?start=1949-01-10&end=1949-01-15&people=Filippov", ids.URL, None
    )
    assert search is no_update
    assert (start, end, people, kinds, names) == (
        "1949-01-10",
        "1949-01-15",
        ["stalin"],
        [],
        "name",
    )


def test_sync_date_picker_writes_url(corpus):
    search, *_ = sync(corpus, "", ids.DATES, ("1949-01-10", "1949-01-15T00:00:00"))
    assert search == "?start=1949-01-10&end=1949-01-15"


def test_sync_node_click_filters_to_person(corpus):
    click = {"points": [{"customdata": ["person", "mikoyan"]}]}
    search, *_, people, _kinds, _names, _labels = sync(corpus, "?message=m05", ids.NETWORK, click)
    assert search == "?people=mikoyan" and people == ["mikoyan"]


def test_the_number_of_names_on_the_network_is_set_in_the_url_and_held_in_bounds(corpus):
    search, *_, labels = sync(corpus, "?people=mao", ids.LABELS, 120)
    assert search == "?people=mao&labels=120" and labels == 120
    assert sync(corpus, "", ids.LABELS, 10**9)[0] == f"?labels={MAX_LABELS}"
    assert sync(corpus, "", ids.LABELS, -5)[0] == "?labels=0"
    # An emptied or half-typed box changes nothing, and the box shows the URL's number.
    assert sync(corpus, "?labels=120", ids.LABELS, None)[0] is no_update
    assert sync(corpus, "?labels=120", ids.LABELS, "12a")[-1] == 120
    assert sync(corpus, "?labels=120", ids.URL, None)[-1] == 120


def test_the_names_control_shows_only_when_not_everyone_can_be_named(corpus, tmp_path):
    def hidden(layout_of):
        box = next(
            item
            for item in _walk(filters.layout(layout_of))
            if "filter-labels" in (getattr(item, "className", "") or "")
        )
        return box.hidden

    assert hidden(corpus)  # 22 people: every one is named
    more = corpus.people.sample(DEFAULT_LABELS, replace=True, random_state=1).assign(
        person_id=[f"extra{i}" for i in range(DEFAULT_LABELS)]
    )
    crowded = replace(corpus, people=pd.concat([corpus.people, more], ignore_index=True))
    assert not hidden(crowded)


def _walk(component):
    yield component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list) else [children]:
        if child is not None and not isinstance(child, str):
            yield from _walk(child)


def test_sync_edge_click_opens_its_messages(corpus):
    click = {"points": [{"customdata": ["edge", "m07,m09"]}]}
    search, *_ = sync(corpus, "?people=mao", ids.NETWORK, click)
    assert search == "?people=mao&message=m07,m09"


def test_sync_timeline_brush_sets_dates(corpus):
    relayout = {"xaxis.range[0]": "1949-01-09 12:00", "xaxis.range[1]": "1949-01-15 12:00"}
    search, start, end, *_ = sync(corpus, "", f"{ids.TIMELINE}.relayoutData", relayout)
    assert (search, start, end) == ("?start=1949-01-10&end=1949-01-15", "1949-01-10", "1949-01-15")


def test_sync_reset_keeps_only_the_look(corpus):
    search, *_ = sync(corpus, "?people=mao&look=presentation&names=codename", ids.RESET, 1)
    assert search == "?look=presentation"


def test_sync_record_link_opens_record(corpus):
    search, *_ = sync(corpus, "", {"type": ids.RECORD_LINK, "message": "m15"}, 1)
    assert search == "?message=m15"


def test_sync_a_tap_on_a_context_event_opens_its_record(corpus):
    tap = {"points": [{"customdata": ["event", "e01"]}]}
    assert sync(corpus, "?message=m07", ids.TIMELINE, tap)[0] == "?event=e01"
    # One record at a time: a message replaces the event; closing leaves neither.
    link = {"type": ids.RECORD_LINK, "message": "m15"}
    assert sync(corpus, "?event=e01", link, 1)[0] == "?message=m15"
    assert sync(corpus, "?event=e01", ids.DETAILS_CLOSE, 1)[0] == ""


def as_text(components) -> str:
    """Dash components as the JSON the page receives, to look for words in."""
    return json.dumps(components, default=lambda c: c.to_plotly_json(), ensure_ascii=False)


def test_render_an_open_context_event(context):
    records, close_hidden = render_page(context, "?event=e01", "/")[4:6]
    text = as_text(records)
    event = context.corpus.events.set_index("event_id").loc["e01"]
    assert event["title"] in text and "1 Jan 1949" in text
    # The source is cited in words, not by its id.
    assert context.corpus.cite(event["source"]) in text and event["source"] not in text
    assert "Muhsin Yorulmaz (trans. from Turkish)" in text
    assert close_hidden is False


def test_an_event_record_follows_the_codename_toggle_and_a_message_can_open_beside_it(context):
    def records(search):
        return as_text(render_page(context, search, "/")[4])

    event = next(
        e for e in context.corpus.events.to_dict("records") if "mikoyan" in e["people"].split(";")
    )
    # Its people: by name, or by the name the documents use.
    assert "Anastas Mikoyan" in records(f"?event={event['event_id']}")
    assert "Anastas Mikoyan" not in records(f"?event={event['event_id']}&names=codename")
    both = records(f"?event={event['event_id']}&message=m07")
    assert event["title"] in both and "Mao proposes a flat Soviet refusal" in both


def test_render_summary_and_records(context):
    _network, _timeline, _flow, summary, records, close_hidden, warnings, page = render_page(
        context, "?start=1949-01-10&end=1949-01-15&message=m07", "/"
    )[:8]
    assert summary.startswith("10 messages, 22 copies, 10 - 15 Jan 1949")
    text = as_text(records)
    assert "RGASPI – F. 558. Op. 11 D. 330 L. 100-103" in text
    assert "Andrey Vyshinsky 1 (not in Politburo)" in text
    assert close_hidden is False and warnings == [] and page == "app page-main"


def test_render_bad_url_warns_and_falls_back(context):
    *_, summary, _records, _hidden, warnings, _page = render_page(
        context, "?start=1949-99-01&people=Zhukov", "/"
    )[:8]
    assert summary.startswith("21 messages")
    texts = " ".join(w.children for w in warnings)
    assert "1949-99-01" in texts and "Zhukov" in texts


def test_render_empty_range_says_so(context):
    _network, timeline, flow, summary, *_ = render_page(
        context, "?start=1949-03-01&end=1949-03-31", "/"
    )
    assert summary.startswith("0 messages, 0 copies")
    assert "No messages between 1 and 31 Mar 1949" in [
        a["text"] for a in timeline["layout"]["annotations"]
    ]
    assert "No distribution copies recorded" in flow["layout"]["annotations"][0]["text"]


# --- HTTP ------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/embed/network", "/kiosk", "/no/such/page"])
def test_pages_answer(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert b"_dash-renderer" in response.data or b"dash-renderer" in response.data


def test_layout_answers(client):
    response = client.get("/_dash-layout")
    assert response.status_code == 200
    assert ids.NETWORK in response.get_data(as_text=True)


def render_request(client, search, pathname="/", narrow=False, rendered=None):
    dependencies = client.get("/_dash-dependencies").get_json()
    render = next(d for d in dependencies if d["output"].startswith(f"..{ids.NETWORK}.figure"))
    payload = {
        "output": render["output"],
        "outputs": [
            {"id": part.rsplit(".", 1)[0], "property": part.rsplit(".", 1)[1]}
            for part in render["output"].strip(".").split("...")
        ],
        "inputs": [
            {"id": ids.URL, "property": "search", "value": search},
            {"id": ids.URL, "property": "pathname", "value": pathname},
            {"id": ids.NARROW, "property": "data", "value": narrow},
        ],
        "changedPropIds": [f"{ids.URL}.search"],
        "state": [{"id": RENDERED, "property": "data", "value": rendered}],
    }
    return client.post("/_dash-update-component", json=payload)


def test_render_over_http(client):
    response = render_request(client, "?start=1949-01-10&end=1949-01-15")
    assert response.status_code == 200
    body = response.get_json()["response"]
    assert body[ids.SUMMARY]["children"].startswith("10 messages")


def test_render_in_a_narrow_frame_sends_short_names(client):
    def labels(narrow):
        figure = render_request(client, "", narrow=narrow).get_json()["response"][ids.NETWORK]
        return {text for trace in figure["figure"]["data"] for text in trace.get("text") or []}

    assert "Iosif Stalin" in labels(False) and "Stalin" not in labels(False)
    assert "Stalin" in labels(True) and "Iosif Stalin" not in labels(True)


@pytest.mark.parametrize(
    ("search", "named"),
    [
        ("?start=not-a-date", "'not-a-date'"),
        ("?end=1949-02-31", "'1949-02-31' is not a day in the calendar"),
        ("?people=%3Cscript%3E", "'<script>'"),
        ("?message=..%2F", "'../'"),
        ("?kind=", None),
    ],
)
def test_bad_url_values_warn_and_never_give_a_server_error(client, search, named):
    response = render_request(client, search)
    assert response.status_code == 200
    body = response.get_json()["response"]
    warnings = " ".join(p["props"]["children"] for p in body[ids.WARNINGS]["children"])
    if named is None:
        assert warnings == ""
    else:
        assert named in warnings
    assert body[ids.SUMMARY]["children"].startswith("21 messages")  # the default view


def test_sync_flow_link_click_opens_its_message(corpus):
    # Dash reports Sankey clicks by point number; links 0 and 1 carry each message's copies.
    search, *_ = sync(corpus, "", ids.FLOW, {"points": [{"pointNumber": 1, "value": 11}]})
    assert search == "?message=m09"


def test_sync_flow_node_click(corpus):
    # Nodes: the sender (Mao), then the two messages, then the members.
    click = {"points": [{"pointNumber": 1, "depth": 1, "label": "12 Jan"}]}
    search, *_ = sync(corpus, "", ids.FLOW, click)
    assert search == "?message=m07"
    click = {"points": [{"pointNumber": 0, "depth": 0, "label": "Mao Zedong"}]}
    assert sync(corpus, "", ids.FLOW, click)[0] == "?people=mao"


def test_sync_flow_member_click_opens_the_telegrams_they_received(corpus):
    # Nodes: Mao, his two telegrams (m07, m09), then the members by copies received.
    sankey = flow_figure(corpus, corpus, *corpus.period).data[0]
    number = next(
        i for i, (kind, key, _) in enumerate(sankey.node.customdata) if key == "vyshinskiy"
    )
    click = {"points": [{"pointNumber": number, "depth": 2}]}
    received = set(corpus.copies.loc[corpus.copies["member"] == "vyshinskiy", "message_id"])
    assert sync(corpus, "", ids.FLOW, click)[0] == f"?message={','.join(sorted(received))}"
    # Within 10-12 January only the first of them was drawn.
    search = "?start=1949-01-10&end=1949-01-12"
    state = sync(corpus, search, ids.FLOW, {"points": [{"pointNumber": 2, "depth": 2}]})
    assert state[0] == f"{search}&message=m07"


def test_sync_flow_click_during_playback_uses_the_flow_drawn(corpus):
    # On 12 January only Mao's first telegram has been sent: its copies are all the flow has,
    # so link 1 runs from m07 to a member (in the whole flow it would be Mao -> m09).
    link = {"points": [{"pointNumber": 1, "value": 2}]}
    assert "message=m07" in sync(corpus, "?day=1949-01-12", ids.FLOW, link)[0]
    assert "message=m09" in sync(corpus, "", ids.FLOW, link)[0]


def sync_request(
    client, search, changed: dict[str, object], links: dict[str, object] | None = None
):
    """Ask the URL-owning callback, as the browser does, after the inputs in `changed` fired
    together (the browser merges inputs that fire before their request goes out). `links`
    gives the records' buttons on the page, message id: clicks."""
    dependencies = client.get("/_dash-dependencies").get_json()
    sync_url = next(d for d in dependencies if d["output"].startswith(f"..{ids.URL}.search"))
    current = {f"{ids.URL}.search": search, **changed}

    def given(entry):
        if str(entry["id"]).startswith("{"):  # the records' buttons, a pattern: one each
            return [
                {"id": record_link(m), "property": "n_clicks", "value": clicks}
                for m, clicks in (links or {}).items()
            ]
        return {**entry, "value": current.get(f"{entry['id']}.{entry['property']}")}

    payload = {
        "output": sync_url["output"],
        "outputs": [
            {"id": part.rsplit(".", 1)[0], "property": part.rsplit(".", 1)[1]}
            for part in sync_url["output"].strip(".").split("...")
        ],
        "inputs": [given(entry) for entry in sync_url["inputs"]],
        "changedPropIds": list(changed),
        "state": [],
    }
    response = client.post("/_dash-update-component", json=payload)
    assert response.status_code == 200
    return response.get_json()["response"]


@pytest.mark.parametrize("tick_first", [True, False])
def test_a_pause_that_fires_with_a_clock_tick_still_pauses(client, tick_first):
    tick, pause = {f"{ids.CLOCK}.n_intervals": 7}, {f"{ids.PLAY}.n_clicks": 2}
    changed = {**tick, **pause} if tick_first else {**pause, **tick}
    answer = sync_request(client, "?day=1949-01-10&play=on", changed)
    assert answer[ids.URL]["search"] == "?day=1949-01-10"


def record_link(message: str) -> dict:
    return {"message": message, "type": ids.RECORD_LINK}


def test_a_tick_beats_record_buttons_that_report_no_click(client):
    # A render rebuilds the list of records; its buttons then report themselves, unclicked.
    button = json.dumps(record_link("m07"), separators=(",", ":"), sort_keys=True)
    changed = {f"{button}.n_clicks": None, f"{ids.CLOCK}.n_intervals": 7}
    answer = sync_request(client, "?day=1949-01-10&play=on", changed, links={"m07": None})
    assert answer[ids.URL]["search"] == "?day=1949-01-11&play=on"
    # A real click on one of them still opens its record, over the tick.
    changed[f"{button}.n_clicks"] = 1
    answer = sync_request(client, "?day=1949-01-10&play=on", changed, links={"m07": 1})
    assert answer[ids.URL]["search"] == "?message=m07&day=1949-01-10&play=on"


def test_a_clock_tick_alone_moves_playback_on(client):
    answer = sync_request(client, "?day=1949-01-10&play=on", {f"{ids.CLOCK}.n_intervals": 7})
    assert answer[ids.URL]["search"] == "?day=1949-01-11&play=on"


# --- sending only what changed ---------------------------------------------------------------


def patched(figure, patch):
    """`figure` with a Patch's operations applied, as the browser applies them."""
    figure = as_json(figure)
    for operation in patch.to_plotly_json()["operations"]:
        location, kind = operation["location"], operation["operation"]
        value = as_json(operation["params"].get("value"))
        if kind == "Extend":  # at the list itself
            parent, last = location, None
        else:
            *parent, last = location
        target = figure
        for key in parent:
            target = target[key]
        if kind == "Assign":
            target[last] = value
        elif kind == "Extend":
            target.extend(value)
        else:
            assert kind == "Delete", kind
            del target[last]
    return figure


def as_json(value):
    return json.loads(json.dumps(value, cls=PlotlyJSONEncoder))


def rendered(search, path="/"):
    return {"search": search, "path": path, "frame": ""}


def test_a_playback_tick_sends_the_charts_as_patches_that_draw_the_new_day(context):
    sent = SentFigures()
    first = render_update(context, "?day=1949-01-12&play=on", "/", rendered=None, sent=sent)
    tick = render_update(
        context,
        "?day=1949-01-13&play=on",
        "/",
        rendered=rendered("?day=1949-01-12&play=on"),
        sent=sent,
    )
    whole = render_page(context, "?day=1949-01-13&play=on", "/")
    for position in range(3):  # network, timeline, flow
        assert isinstance(tick[position], Patch), position
        assert patched(first[position], tick[position]) == as_json(whole[position])
    # The records did not change; the day's label did.
    assert tick[4] is no_update and tick[5] is True  # no record open
    assert as_json(tick[8:11]) == as_json(whole[8:11])
    # The day slider keeps its range and marks; the day's label is new.
    assert tick[14:17] == (no_update,) * 3
    assert as_json(tick[17]) == as_json(whole[17]) != as_json(first[17])
    assert tick[-1] == rendered("?day=1949-01-13&play=on")


def test_a_worker_that_did_not_send_the_figure_sends_it_whole(context):
    tick = render_update(
        context, "?day=1949-01-13", "/", rendered=rendered("?day=1949-01-12"), sent=SentFigures()
    )
    assert as_json(tick[0]) == as_json(render_page(context, "?day=1949-01-13", "/")[0])


def test_a_page_turn_or_an_opened_event_leaves_the_charts_alone(context):
    before = rendered("?start=1949-01-10&end=1949-01-15")
    outputs = render_update(
        context, "?start=1949-01-10&end=1949-01-15&event=e01", "/", rendered=before
    )
    assert outputs[:3] == (no_update,) * 3
    assert outputs[8:11] == (no_update,) * 3  # the text alternatives too
    assert "Context event" in json.dumps(outputs[4], cls=PlotlyJSONEncoder)
    assert outputs[3] is no_update  # the summary: same messages
    assert outputs[11:23] == (no_update,) * 12  # the exhibit: same day, same story


def test_a_new_filter_sends_everything_again(context):
    outputs = render_update(context, "?people=mikoyan", "/", rendered=rendered(""))
    assert all(output is not no_update for output in outputs[:11])


def test_an_embed_builds_only_its_own_chart(context):
    outputs = render_page(context, "?start=1949-01-10&end=1949-01-15", "/embed/timeline")
    assert outputs[0] is no_update and outputs[2] is no_update
    assert outputs[1]["data"]
    assert outputs[4:6] == (no_update, True)  # no record open: no list either
    assert outputs[8] is no_update and outputs[10] is no_update
    assert outputs[9][0].children.startswith("10 messages")  # its own text alternative
    opened = render_page(context, "?message=m07", "/embed/timeline")
    assert "Record" in json.dumps(opened[4], cls=PlotlyJSONEncoder) and opened[5] is False


def test_figure_patch_of_a_changed_trace_and_a_removed_key():
    old = {"data": [{"x": [1, 2], "name": "a"}, {"x": [3]}], "layout": {"title": "t", "shapes": []}}
    new = {"data": [{"x": [1, 2], "name": "b"}, {"x": [3]}], "layout": {"title": "t"}}
    patch = figure_patch(old, new)
    assert len(patch.to_plotly_json()["operations"]) == 2
    assert patched(old, patch) == new
    assert figure_patch(old, old) is no_update
    assert figure_patch(old, {"data": [], "layout": {}}) == {"data": [], "layout": {}}


def test_a_view_a_worker_drew_lately_is_sent_again_without_drawing_it(corpus, monkeypatch):
    context = Context.build(corpus)
    sent = SentFigures()
    first = render_update(context, "?people=mao", "/", sent=sent)
    drawn = []
    original = Context.spec

    def counting(self, view, *args, **kwargs):
        drawn.append(view)
        return original(self, view, *args, **kwargs)

    monkeypatch.setattr(Context, "spec", counting)
    # Another visitor opens the same view, with a stray parameter the charts do not draw.
    again = render_update(context, "?people=mao&utm=x", "/", sent=sent)
    assert drawn == []
    assert again[:3] == first[:3]
    render_update(context, "?people=stalin", "/", sent=sent)
    assert sorted(drawn) == ["flow", "network", "timeline"]

"""The exhibit: playback, story and kiosk state in the URL, how inputs change it, what it shows."""

from __future__ import annotations

import json
from datetime import date

import pytest
from dash import no_update
from factory import write_corpus

from dashboard import ids, routes
from dashboard.app import create_app, render_page, sync, sync_outputs
from dashboard.cli import build_parser
from dashboard.context import Context
from dashboard.model import load_corpus
from dashboard.state import PARAMETERS, ViewState
from dashboard.views import exhibit
from dashboard.views.interactions import next_state


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


@pytest.fixture(scope="module")
def context(corpus):
    return Context.build(corpus)


@pytest.fixture
def tiny(tmp_path):
    return load_corpus(write_corpus(tmp_path))


def state_of(query: str, corpus) -> ViewState:
    return ViewState.from_query(query, corpus)


# --- the URL ------------------------------------------------------------------------------


def test_new_parameters_are_documented():
    for key in ("day", "play", "speed", "step", "attract"):
        assert PARAMETERS[key]


def test_playback_and_story_round_trip(corpus):
    state = ViewState.default(corpus).with_changes(
        start=date(1949, 1, 10),
        end=date(1949, 1, 15),
        people=("stalin", "mao"),
        day=date(1949, 1, 12),
        playing=True,
        speed="fast",
        step=2,
        attract=True,
    )
    query = state.to_query(corpus)
    assert query == (
        "?start=1949-01-10&end=1949-01-15&people=stalin,mao"
        "&day=1949-01-12&play=on&speed=fast&step=2&attract=on"
    )
    assert state_of(query, corpus) == state
    assert state_of("", corpus).to_query(corpus) == ""


@pytest.mark.parametrize(
    ("query", "warning"),
    [
        ("?day=1949-02-30", "'1949-02-30' is not a day in the calendar"),
        ("?end=1949-01-31&day=1949-03-01", "The day 1 Mar 1949 is outside the dates shown"),
        ("?play=yes", "play='yes' is not understood; use play=on."),
        ("?attract=1", "attract='1' is not understood; use attract=on."),
        ("?speed=warp", "speed='warp' is not understood; use slow, normal, fast."),
        ("?step=9", "There is no story step '9'; the story has 8 steps."),
        ("?step=one", "There is no story step 'one'"),
    ],
)
def test_bad_values_fall_back_with_a_warning(corpus, query, warning):
    state = state_of(query, corpus)
    assert (state.day, state.playing, state.speed, state.step, state.attract) == (
        None,
        False,
        "normal",
        None,
        False,
    )
    assert any(warning in w for w in state.warnings), state.warnings


def test_a_corpus_without_a_story_has_no_steps(tiny):
    assert "the story has 0 steps" in state_of("?step=1", tiny).warnings[0]


# --- how inputs change the state ------------------------------------------------------------


def after(query: str, trigger, value, corpus) -> str:
    return next_state(state_of(query, corpus), trigger, value, corpus).to_query(corpus)


def test_play_starts_at_the_first_day_shown_and_pauses(corpus):
    assert after("?start=1949-01-10", ids.PLAY, 1, corpus) == (
        "?start=1949-01-10&day=1949-01-10&play=on"
    )
    assert after("?day=1949-02-01&play=on", ids.PLAY, 2, corpus) == "?day=1949-02-01"
    # At the last day, play starts again from the first.
    assert after("?end=1949-01-31&day=1949-01-31", ids.PLAY, 3, corpus) == (
        "?end=1949-01-31&day=1949-01-01&play=on"
    )


def test_each_tick_is_one_day_until_the_last(corpus):
    assert after("?day=1949-01-08&play=on", ids.CLOCK, 5, corpus) == "?day=1949-01-09&play=on"
    assert after("?day=1949-05-31&play=on", ids.CLOCK, 6, corpus) == "?day=1949-05-31"
    # A late tick after a pause changes nothing.
    assert after("?day=1949-01-08", ids.CLOCK, 7, corpus) == "?day=1949-01-08"


def test_the_attract_loop_starts_again_and_survives_its_ticks(corpus):
    loop = "?day=1949-05-31&play=on&attract=on"
    assert after(loop, ids.CLOCK, 1, corpus) == "?day=1949-01-01&play=on&attract=on"


def test_any_real_change_ends_the_attract_loop(corpus):
    loop = "?day=1949-01-05&play=on&attract=on"
    assert after(loop, ids.SPEED, "fast", corpus) == "?day=1949-01-05&play=on&speed=fast"
    assert after(loop, ids.WAKE, 1, corpus) == ""
    # A control echoing its value changes nothing, so the loop goes on.
    assert after(loop, ids.SPEED, "normal", corpus) == loop


def test_idle_goes_back_to_the_start_and_plays(corpus):
    busy = "?start=1949-01-10&end=1949-01-15&people=mao&message=m07&step=2&look=presentation"
    assert after(busy, ids.IDLE, 1795000000000, corpus) == (
        "?look=presentation&day=1949-01-01&play=on&attract=on"
    )


def test_scrubbing_moves_the_day_within_the_dates_shown(corpus):
    assert after("", ids.DAY, 40, corpus) == "?day=1949-02-10"
    assert after("?start=1949-01-10&end=1949-01-15", ids.DAY, 40, corpus) == (
        "?start=1949-01-10&end=1949-01-15&day=1949-01-15"
    )


def test_a_new_filter_drops_a_day_it_leaves_out(corpus):
    dates = ("1949-02-01", "1949-02-28")
    assert after("?day=1949-01-12", ids.DATES, dates, corpus) == (
        "?start=1949-02-01&end=1949-02-28"
    )


def test_story_steps_set_dates_and_people_and_leave(corpus):
    first = after("?people=zhou&kind=cable&day=1949-01-05&play=on", ids.STORY_NEXT, 1, corpus)
    assert first == "?end=1949-01-09&people=nanjing_gov&step=1"
    second = after(first, ids.STORY_NEXT, 2, corpus)
    assert second == "?start=1949-01-10&end=1949-01-15&people=stalin,mao&step=2"
    assert after(second, ids.STORY_BACK, 1, corpus) == first
    assert after(first, ids.STORY_BACK, 2, corpus) == first
    assert after(second + "&names=codename", ids.STORY_EXIT, 1, corpus) == "?names=codename"
    # After the last step, Next leaves the story.
    assert after("?step=8", ids.STORY_NEXT, 9, corpus) == ""


def test_sync_writes_the_tick_and_sets_the_slider(corpus):
    result = sync_outputs(corpus, "?day=1949-01-08&play=on&speed=fast", ids.CLOCK, 3)
    assert result[0] == "?day=1949-01-09&play=on&speed=fast"
    # The speed choice and the slider (days since 1 January) follow the new URL.
    assert result[-2:] == ("fast", 8)
    assert sync(corpus, "?day=1949-01-08", ids.CLOCK, 4)[0] is no_update


# --- what the exhibit shows -------------------------------------------------------------------


def test_render_paused_on_the_whole_period(corpus):
    state = state_of("", corpus)
    (
        play,
        clock_off,
        interval,
        low,
        high,
        marks,
        label,
        story,
        next_label,
        back_off,
        exit_hidden,
        cover_hidden,
    ) = exhibit.render(corpus, state.filter(corpus), state)
    assert [part.children for part in play] == ["▶", "Play"]
    assert play[0].to_plotly_json()["props"]["aria-hidden"] == "true"
    assert clock_off and interval == exhibit.SPEED_MS["normal"]
    assert (low, high) == (0, 150)
    assert marks == {0: "1 Jan", 31: "1 Feb", 59: "1 Mar", 90: "1 Apr", 120: "1 May"}
    assert label[0].children == "1 Jan - 31 May 1949"
    assert story[0].children == "The story in 8 steps"
    assert (next_label, back_off, exit_hidden, cover_hidden) == (
        "Start the story",
        True,
        True,
        True,
    )


def test_render_playing_a_story_step(corpus):
    state = state_of("?start=1949-01-10&end=1949-01-15&day=1949-01-14&play=on&step=2", corpus)
    output = exhibit.render(corpus, state.filter(corpus), state)
    play, clock_off, _interval, low, high, marks, label, story, next_label, back_off, *_ = output
    assert [part.children for part in play] == ["❚❚", "Pause"] and not clock_off
    assert (low, high, marks) == (9, 14, {9: "10 Jan", 14: "15 Jan"})
    assert [part.children for part in label] == ["14 January 1949", "4 messages sent this day"]
    text = json.dumps([c.to_plotly_json() for c in story if c], default=str)
    assert "Step 2 of 8" in text and "RGASPI F. 558 Op. 11 D. 330 L. 118" in text
    assert (next_label, back_off) == ("Next", False)


def test_the_last_step_offers_to_finish_and_a_step_without_references_says_so(corpus):
    last = state_of("?step=8", corpus)
    assert exhibit.render(corpus, last.filter(corpus), last)[8] == "Finish"
    silent = state_of("?step=7", corpus)
    text = json.dumps([c.to_plotly_json() for c in exhibit.story_text(corpus, silent) if c])
    assert "The sources print no archival reference for this step." in text


def test_slider_marks_for_short_and_long_spans(corpus):
    assert exhibit.slider_marks(date(1949, 1, 14), date(1949, 1, 14), corpus) == {13: "14 Jan"}
    # A month's first day too close to the start would print over it, so it is left out;
    # twelve days away it has room (the kiosk's 760 px slider gives it 114 px).
    assert exhibit.slider_marks(date(1949, 1, 27), date(1949, 4, 10), corpus) == {
        26: "27 Jan",
        59: "1 Mar",
        90: "1 Apr",
    }
    assert exhibit.slider_marks(date(1949, 1, 20), date(1949, 4, 10), corpus) == {
        19: "20 Jan",
        31: "1 Feb",
        59: "1 Mar",
        90: "1 Apr",
    }


def test_the_kiosk_draws_a_large_network_and_lets_the_slider_replace_the_strip(context):
    state = state_of("?day=1949-01-14", context.corpus)
    network = exhibit.kiosk_spec(context, "network", state)
    assert network["layout"]["font"]["size"] == 22
    labelled = [t for t in network["data"] if "text" in t.get("mode", "")]
    assert labelled and all(t["cliponaxis"] is False for t in labelled)
    # Short names: full ones at the kiosk's type size do not fit its network's height.
    names = [name for t in labelled for name in t["text"]]
    assert "Stalin" in names and "Iosif Stalin" not in names
    timeline = exhibit.kiosk_spec(context, "timeline", state)
    assert timeline["layout"]["xaxis"]["rangeslider"] == {"visible": False}
    # The strips' type is the kiosk's smallest, 20 px, with short names for the rows.
    assert timeline["layout"]["font"]["size"] == 20
    assert "Stalin" in timeline["layout"]["yaxis"]["ticktext"]
    # The flow's strip names telegrams by day.
    flow = exhibit.kiosk_spec(context, "flow", state)["data"][0]
    assert "12 Jan" in flow["node"]["label"] and flow["textfont"]["size"] >= 20
    assert any(label.startswith("12 Jan: ") for _, _, label in flow["node"]["customdata"])


def test_render_page_uses_the_kiosk_look_only_on_the_kiosk(context):
    kiosk = render_page(context, "", "/kiosk")
    main = render_page(context, "", "/")
    assert kiosk[0]["layout"]["font"]["size"] == 22 and main[0]["layout"]["font"]["size"] == 14
    assert kiosk[7] == "app page-kiosk"


# --- serving the kiosk ------------------------------------------------------------------------


def test_kiosk_flags_parse():
    args = build_parser().parse_args(["--kiosk", "--idle-seconds", "30"])
    assert args.kiosk is True and args.idle_seconds == 30.0
    args = build_parser().parse_args(["serve", "--kiosk"])
    assert args.kiosk is True and not hasattr(args, "idle_seconds")


@pytest.mark.parametrize("seconds", ["0", "-5", "soon"])
def test_idle_seconds_must_be_positive(seconds, capsys):
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--idle-seconds", seconds])
    assert "--idle-seconds" in capsys.readouterr().err


def test_kiosk_mode_opens_the_kiosk_at_the_root(corpus):
    app = create_app(corpus, idle_seconds=12)
    routes.open_kiosk_at_root(app.server)
    client = app.server.test_client()
    response = client.get("/?step=2")
    assert response.status_code == 302 and response.headers["Location"] == "/kiosk?step=2"
    assert client.get("/kiosk").status_code == 200
    layout = client.get("/_dash-layout").get_data(as_text=True)
    assert '"data-idle-seconds": "12"' in layout or '"data-idle-seconds":"12"' in layout


def test_the_page_is_in_english_with_one_footer(corpus):
    page = create_app(corpus).server.test_client().get("/").get_data(as_text=True)
    assert '<html lang="en">' in page and "<footer>" not in page


def test_a_tap_on_the_flow_during_playback_opens_the_telegram_drawn(corpus):
    # On 12 January the flow holds one telegram, so its first link and second node are m07's;
    # without playback they would be counted among the copies of both telegrams.
    link = {"points": [{"pointNumber": 0}]}
    node = {"points": [{"pointNumber": 1, "depth": 1}]}
    for click in (link, node):
        assert after("?day=1949-01-12", ids.FLOW, click, corpus) == "?message=m07&day=1949-01-12"

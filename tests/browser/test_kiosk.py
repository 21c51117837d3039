"""The kiosk in headless Chromium: playback, scrubbing, the guided story, idle reset, attract."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

import pytest
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from dashboard import ids
from dashboard.app import create_app
from dashboard.model import load_corpus

WHOLE = "21 messages, 22 copies, 1 Jan - 31 May 1949"
IDLE_SECONDS = 4


@pytest.fixture
def kiosk(dash_duo):
    """The kiosk with a long idle time, so that no test is reset halfway."""
    dash_duo.start_server(create_app(load_corpus(), idle_seconds=600))
    return dash_duo


@pytest.fixture
def restless(dash_duo):
    """The kiosk with an idle time of a few seconds."""
    dash_duo.start_server(create_app(load_corpus(), idle_seconds=IDLE_SECONDS))
    return dash_duo


def open_kiosk(duo, query: str = "") -> None:
    duo.driver.get(f"{duo.server_url}/kiosk{query}")
    duo.wait_for_element(f".page-kiosk #{ids.NETWORK} .main-svg", timeout=15)
    wait_until_drawn(duo)


def wait_until_drawn(duo) -> None:
    """An empty chart is drawn before any callback answers; the summary comes from the app,
    so once it is there the page's callbacks are wired and a tap will be heard."""
    duo.wait_for_contains_text(f"#{ids.SUMMARY}", "message", timeout=20)


def open_kiosk_touching(duo, query: str = "") -> None:
    """Open the kiosk as a visitor who keeps touching it until it has drawn (a busy test
    machine may take longer to draw than the short idle time)."""
    duo.driver.get(f"{duo.server_url}/kiosk{query}")
    for _ in range(30):
        touch(duo)
        if duo.driver.find_elements("css selector", f"#{ids.SUMMARY}") and "message" in (
            duo.find_element(f"#{ids.SUMMARY}").text
        ):
            return
        time.sleep(0.5)


def touch(duo) -> None:
    ActionChains(duo.driver).move_to_element(duo.find_element("h1")).click().perform()


# No callback of the page's is waiting, asked for or running (Dash's store).
SETTLED = """
const callbacks = window.store && window.store.getState().callbacks;
return !!callbacks && ["requested", "prioritized", "blocked", "executing", "watched",
    "executed"].every(function (stage) { return !(callbacks[stage] || []).length; });
"""


def press_play(duo) -> None:
    """Tap Play once, as a visitor would, and wait for playback to start.

    Once, on a settled page (no callback in flight): a second tap on a slow page would pause
    what the first started. But a tap that changed nothing at all, with the page settled
    again, was lost, and a visitor taps again: about one first tap in six after the kiosk
    opens is lost (a defect the project's notes describe, not what these tests are about)."""
    for _ in range(2):
        duo._wait_for(
            lambda d: d.execute_script(SETTLED),
            timeout=20,
            msg=lambda _d: "the page never settled",
        )
        before = query(duo)
        duo.find_element(f"#{ids.PLAY}").click()
        try:
            wait_for_query(duo, lambda q, b=before: q != b and q.get("play") == "on", timeout=8)
            return
        except TimeoutException:
            if query(duo) != before:
                raise  # the tap did something else: not a lost tap
    raise AssertionError("two taps on Play, on a settled page, did not start playback")


def query(duo) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlsplit(duo.driver.current_url).query).items()}


def wait_for_query(duo, test, timeout: float = 10) -> dict[str, str]:
    """Wait until the URL's query passes `test`; return it."""
    duo._wait_for(
        lambda _d: test(query(duo)),
        timeout=timeout,
        msg=lambda _d: f"the URL's query is {query(duo)}",
    )
    return query(duo)


def text_of(duo, selector: str) -> str:
    """The text a screen reader gets, hidden from sight or not, as written (not upper-cased)."""
    return duo.find_element(selector).get_attribute("textContent")


def wait_for_words(duo, selector: str, words: str) -> None:
    duo._wait_for(
        lambda _d: words in text_of(duo, selector),
        timeout=10,
        msg=lambda _d: f"{words!r} not in {text_of(duo, selector)!r}",
    )


def test_play_walks_day_by_day_and_pause_stops(kiosk):
    # Slowly, so that a busy test machine still sees the first days one by one.
    open_kiosk(kiosk, "?day=1949-01-08&speed=slow")
    kiosk.wait_for_contains_text(f"#{ids.DAY_LABEL}", "8 January 1949")
    play = kiosk.find_element(f"#{ids.PLAY}")
    assert play.accessible_name == "Play"
    play.click()
    kiosk._wait_for(lambda _d: play.accessible_name == "Pause", timeout=5, msg="a Pause button")
    days = [wait_for_query(kiosk, lambda q: q.get("day", "") > "1949-01-08")["day"]]
    days.append(wait_for_query(kiosk, lambda q: q.get("day", "") > days[0])["day"])
    assert "1949-01-09" <= days[0] < days[1] <= "1949-01-12"
    assert query(kiosk)["play"] == "on"
    play.click()
    paused = wait_for_query(kiosk, lambda q: "play" not in q, timeout=5)
    kiosk._wait_for(lambda _d: play.accessible_name == "Play", timeout=5, msg="Play again")
    time.sleep(1.5)
    assert query(kiosk) == paused and paused["day"] >= days[1]
    day = paused["day"]
    kiosk.wait_for_contains_text(f"#{ids.DAY_LABEL}", f"{int(day[-2:])} January 1949")
    assert kiosk.get_logs() == []


def test_a_pause_that_coincides_with_a_tick_still_pauses(kiosk):
    """A tap and the clock's tick that fire in the same instant travel in one request; the
    tap must win. Firing both from one script makes the coincidence certain."""
    open_kiosk(kiosk, "?day=1949-01-08&speed=slow")
    press_play(kiosk)
    wait_for_query(kiosk, lambda q: q.get("play") == "on")
    kiosk.driver.execute_script(
        "const dash = window.dash_clientside;"
        f"dash.set_props('{ids.CLOCK}', {{n_intervals: 1000}});"
        f"dash.set_props('{ids.PLAY}', {{n_clicks: 1000}});"
    )
    paused = wait_for_query(kiosk, lambda q: "play" not in q, timeout=5)
    time.sleep(2)
    assert query(kiosk) == paused


def test_the_days_messages_light_up(kiosk):
    open_kiosk(kiosk, "?day=1949-01-12")
    kiosk.wait_for_contains_text(f"#{ids.DAY_LABEL}", "12 January 1949")
    kiosk.wait_for_contains_text(f"#{ids.DAY_LABEL}", "1 message sent this day")
    assert "Highlighted, sent on 12 Jan 1949" in text_of(kiosk, f"#{ids.NETWORK_TEXT}")
    glowing = kiosk.driver.execute_script(
        f"return document.querySelector('#{ids.NETWORK} .js-plotly-plot').data"
        ".filter(t => (t.name || '').endsWith('(lit)')).map(t => t.name)"
    )
    assert glowing == ["mao→stalin (lit)"]
    node = kiosk.driver.execute_script(
        f"return document.querySelector('#{ids.FLOW} .js-plotly-plot').data[0].node"
    )
    # The kiosk's flow names telegrams by day, "sent this day" on a line of its own; a tap
    # shows the whole label.
    assert [label for label in node["label"] if "sent this day" in label] == [
        "12 Jan<br>(sent this day)"
    ]
    assert [data[2] for data in node["customdata"] if "sent this day" in data[2]] == [
        "12 Jan: Mao proposes a flat Soviet refusal (sent this day)"
    ]


def test_playback_stops_at_the_last_day(kiosk):
    open_kiosk(kiosk, "?start=1949-01-10&end=1949-01-12&speed=fast")
    press_play(kiosk)
    stopped = wait_for_query(
        kiosk, lambda q: q.get("day") == "1949-01-12" and "play" not in q, timeout=20
    )
    assert stopped["start"] == "1949-01-10"
    kiosk.wait_for_contains_text(f"#{ids.DAY_LABEL}", "12 January 1949")


def test_the_slider_scrubs_by_drag_and_by_keyboard(kiosk):
    open_kiosk(kiosk)
    thumb = kiosk.find_element(f"#{ids.DAY} [role='slider']")
    assert thumb.accessible_name == "Day"
    track = kiosk.find_element(f"#{ids.DAY} .dash-slider-track")
    # Drag the thumb to about the middle of the track: early March.
    ActionChains(kiosk.driver).click_and_hold(thumb).move_to_element(track).release().perform()
    dragged = wait_for_query(kiosk, lambda q: q.get("day", "") > "1949-02-15")
    assert "1949-02-15" < dragged["day"] < "1949-04-15"
    thumb = kiosk.find_element(f"#{ids.DAY} [role='slider']")
    thumb.send_keys(Keys.ARROW_RIGHT)
    moved = wait_for_query(kiosk, lambda q: q.get("day") != dragged["day"])
    assert moved["day"] > dragged["day"]
    assert "1949" in thumb.get_attribute("aria-valuetext")


def test_dragging_the_slider_shows_the_day_under_the_finger(kiosk):
    open_kiosk(kiosk)
    thumb = kiosk.find_element(f"#{ids.DAY} [role='slider']")
    track = kiosk.find_element(f"#{ids.DAY} .dash-slider-track")
    drag = ActionChains(kiosk.driver).click_and_hold(thumb)
    drag.move_by_offset(track.size["width"] // 3, 0).perform()
    tooltip = kiosk.find_element(f"#{ids.DAY}-tooltip-1-content")
    kiosk._wait_for(lambda _d: "1949" in tooltip.text, timeout=5, msg="a day in the tooltip")
    day = tooltip.text
    ActionChains(kiosk.driver).release().perform()
    # The day shown while dragging is the day the charts then go to.
    dropped = wait_for_query(kiosk, lambda q: "day" in q)
    kiosk.wait_for_contains_text(f"#{ids.DAY_LABEL}", day.replace(" 1949", ""))
    assert dropped["day"] > "1949-02-01"


def test_a_story_step_sets_the_views(kiosk):
    open_kiosk(kiosk)
    kiosk.wait_for_contains_text(f"#{ids.SUMMARY}", WHOLE)
    start = kiosk.find_element(f"#{ids.STORY_NEXT}")
    assert start.text == "Start the story"
    start.click()
    first = wait_for_query(kiosk, lambda q: q.get("step") == "1")
    # The step starts on the corpus's first day, which the URL leaves out.
    assert first == {"step": "1", "end": "1949-01-09", "people": "nanjing_gov"}
    kiosk.wait_for_contains_text(f"#{ids.SUMMARY}", "4 messages, 0 copies, 1 - 9 Jan 1949")
    wait_for_words(kiosk, f"#{ids.STORY}", "Step 1 of 8")
    kiosk.find_element(f"#{ids.STORY_NEXT}").click()
    kiosk.wait_for_contains_text(
        f"#{ids.SUMMARY}", "6 messages, 22 copies, 10 - 15 Jan 1949 · People: Iosif Stalin"
    )
    second = query(kiosk)
    assert (second["step"], second["people"]) == ("2", "stalin,mao")
    wait_for_words(kiosk, f"#{ids.STORY}", "Step 2 of 8")
    story = text_of(kiosk, f"#{ids.STORY}")
    assert "RGASPI F. 558 Op. 11 D. 330 L. 118" in story and "Step 2 of 8" in story
    kiosk.find_element(f"#{ids.STORY_BACK}").click()
    wait_for_words(kiosk, f"#{ids.STORY}", "Step 1 of 8")
    kiosk.find_element(f"#{ids.STORY_EXIT}").click()
    kiosk.wait_for_contains_text(f"#{ids.SUMMARY}", WHOLE)
    wait_for_query(kiosk, lambda q: q == {})
    # Keyboard focus stays on the story's controls when the pressed button goes away.
    assert kiosk.driver.switch_to.active_element.get_attribute("id") == ids.STORY_NEXT
    assert kiosk.get_logs() == []


def test_idle_returns_to_the_start_and_plays_until_touched(restless):
    kiosk = restless
    open_kiosk_touching(kiosk, "?people=mikoyan&step=6")
    touch(kiosk)
    kiosk.wait_for_contains_text(f"#{ids.SUMMARY}", "People: Anastas Mikoyan")
    # Nobody touches the screen: back to the whole corpus, playing in a loop under a cover.
    attract = wait_for_query(kiosk, lambda q: q.get("attract") == "on", timeout=IDLE_SECONDS + 10)
    assert attract["play"] == "on" and "people" not in attract and "step" not in attract
    cover = kiosk.find_element(f"#{ids.WAKE}")
    kiosk._wait_for(lambda _d: cover.is_displayed(), timeout=5, msg="the attract cover shows")
    kiosk.wait_for_contains_text(f"#{ids.SUMMARY}", WHOLE)
    first = query(kiosk)["day"]
    wait_for_query(kiosk, lambda q: q.get("day", first) > first)
    # The first touch ends the loop: the start screen, still.
    cover.click()
    wait_for_query(kiosk, lambda q: q == {})
    kiosk._wait_for(lambda _d: not cover.is_displayed(), timeout=5, msg="the cover goes")
    kiosk.wait_for_contains_text(f"#{ids.DAY_LABEL}", "1 Jan - 31 May 1949")
    assert kiosk.get_logs() == []


@pytest.mark.flaky(reruns=0)  # each trial must pass the first time: that is the point
def test_the_first_touch_on_the_attract_loop_always_wakes_the_kiosk(kiosk):
    for trial in range(6):
        open_kiosk(kiosk, "?attract=on&play=on&speed=fast")
        cover = kiosk.find_element(f"#{ids.WAKE}")
        kiosk._wait_for(lambda _d, c=cover: c.is_displayed(), timeout=10, msg="the cover shows")
        # Let the loop run for a varying while, so that taps fall between and during ticks.
        first = query(kiosk).get("day", "")
        wait_for_query(kiosk, lambda q, f=first: q.get("day", "") > f, timeout=15)
        time.sleep(0.13 * trial)
        cover.click()
        wait_for_query(kiosk, lambda q: q == {}, timeout=10)
        kiosk._wait_for(lambda _d, c=cover: not c.is_displayed(), timeout=5, msg="the cover goes")
        # And it stays awake: no tick already on its way brings the loop back.
        time.sleep(1.5)
        assert query(kiosk) == {}, f"trial {trial + 1}: the loop came back after the touch"


def test_touching_keeps_the_kiosk_awake(restless):
    kiosk = restless
    open_kiosk_touching(kiosk, "?people=mao")
    for _ in range(6):
        touch(kiosk)
        time.sleep(IDLE_SECONDS / 3)
    assert query(kiosk) == {"people": "mao"}


def test_watching_playback_keeps_the_kiosk_awake(restless):
    kiosk = restless
    open_kiosk_touching(kiosk, "?speed=slow")
    press_play(kiosk)
    time.sleep(IDLE_SECONDS + 2)
    assert "attract" not in query(kiosk) and query(kiosk)["play"] == "on"


def test_the_main_page_never_goes_idle(restless):
    kiosk = restless
    kiosk.driver.get(f"{kiosk.server_url}/?people=mao")
    kiosk.wait_for_contains_text(f"#{ids.SUMMARY}", "People: Mao Zedong")
    time.sleep(IDLE_SECONDS + 2)
    assert query(kiosk) == {"people": "mao"}


def test_a_whole_playback_is_one_step_back_in_history(kiosk):
    open_kiosk(kiosk, "?day=1949-01-08")
    kiosk.wait_for_contains_text(f"#{ids.DAY_LABEL}", "8 January 1949")
    press_play(kiosk)
    wait_for_query(kiosk, lambda q: q.get("day", "") >= "1949-01-10")
    kiosk.find_element(f"#{ids.PLAY}").click()
    wait_for_query(kiosk, lambda q: "play" not in q)
    kiosk.driver.back()
    wait_for_query(kiosk, lambda q: q == {"day": "1949-01-08"})
    kiosk.wait_for_contains_text(f"#{ids.DAY_LABEL}", "8 January 1949")


def test_a_tap_on_a_mark_opens_its_record(kiosk):
    open_kiosk(kiosk, "?start=1949-01-28&end=1949-01-28")
    kiosk.wait_for_contains_text(f"#{ids.SUMMARY}", "1 message, 0 copies, 28 Jan 1949")
    surface = kiosk.find_element(f"#{ids.TIMELINE} .main-svg")
    kiosk.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", surface)
    # Where plotly drew the mark of 28 January (m15), from the middle of the chart.
    dx, dy = kiosk.driver.execute_script(
        f"const gd = document.querySelector('#{ids.TIMELINE} .js-plotly-plot');"
        "const l = gd._fullLayout; const box = gd.getBoundingClientRect();"
        "for (const t of gd._fullData) { if (!t.customdata) continue;"
        " const i = t.customdata.findIndex(c => c[0] === 'message' && c[1] === 'm15');"
        " if (i >= 0) return [l._size.l + l.xaxis.d2p(t.x[i]) - box.width / 2,"
        "  l._size.t + l.yaxis.d2p(t.y[i]) - box.height / 2]; }"
    )
    ActionChains(kiosk.driver).move_to_element(surface).move_by_offset(
        round(dx), round(dy)
    ).click().perform()
    wait_for_query(kiosk, lambda q: q.get("message") == "m15")
    kiosk.wait_for_contains_text(f"#{ids.DETAILS}", "RGASPİ F. 558 Op. 11 D. 330 L. 126")

"""Text alternatives: each chart's sentence and table, from a tiny corpus whose answers we know."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from factory import EVENTS, MESSAGES, write_corpus

from dashboard.model import load_corpus
from dashboard.state import ViewState
from dashboard.views import describe


@pytest.fixture
def corpus(tmp_path):
    return load_corpus(write_corpus(tmp_path))


def view(corpus, query: str = ""):
    state = ViewState.from_query(query, corpus)
    return corpus, state.filter(corpus), state


def test_network_sentence_counts_people_lines_and_relays(corpus):
    alternative = describe.network(*view(corpus))
    assert alternative.sentence == (
        "4 messages between 3 people and bodies, from 1 Jan to 31 Mar 1949. "
        "The heaviest line runs from Mao Zedong to Iosif Stalin (2 messages). "
        "1 message went through Terebin."
    )
    assert alternative.columns == ("From", "To", "Messages", "Route", "Titles")
    rows = {(r[0], r[1]): r for r in alternative.rows}
    assert rows[("Mao Zedong", "Iosif Stalin")][2:] == ("2", "direct", "Reply; Later")
    assert rows[("Iosif Stalin", "Terebin")][3] == "relayed"
    assert len(alternative.rows) == 4  # a -> ; b and d <- ; two relayed hops of c


def test_network_in_codenames(corpus):
    alternative = describe.network(*view(corpus, "?names=codename"))
    assert "from Mao Zedong to Filippov" in alternative.sentence


def test_network_on_a_playback_day_names_what_lights_up(corpus):
    alternative = describe.network(*view(corpus, "?day=1949-01-12"))
    assert alternative.sentence.startswith(
        "Sent by 12 Jan 1949: 2 messages between 2 people and bodies, from 1 to 12 Jan 1949."
    )
    assert alternative.sentence.endswith(
        "Highlighted, sent on 12 Jan 1949: Mao Zedong to Iosif Stalin: Reply."
    )
    assert alternative.columns[-1] == "Sent on 12 Jan 1949"
    assert sorted(r[-1] for r in alternative.rows) == ["no", "yes"]


def test_network_before_anything_was_sent(corpus):
    alternative = describe.network(*view(corpus, "?day=1949-01-05"))
    assert alternative.sentence == (
        "No message has been sent by 5 Jan 1949 among those shown, so the network has no "
        "lines yet. Nothing was sent on 5 Jan 1949 itself."
    )
    assert alternative.rows == ()


def test_network_with_nothing_in_the_filter(corpus):
    alternative = describe.network(*view(corpus, "?start=1949-02-10&end=1949-02-20"))
    assert alternative.sentence == (
        "No messages match the filter (from 10 to 20 Feb 1949), so the network has no lines."
    )


def test_timeline_lists_messages_and_events_in_date_order(corpus):
    alternative = describe.timeline(*view(corpus))
    assert alternative.sentence == (
        "4 messages on 4 days, from 1 Jan to 31 Mar 1949. "
        "Dates marked hollow are not exact: 1 approximate. The top row marks 2 context events."
    )
    dates = [row[0] for row in alternative.rows]
    assert dates == [
        "1 Jan 1949",
        "10 Jan 1949",
        "12 Jan 1949",
        "28 Jan 1949",
        "30 Jan 1949 to 8 Feb 1949",
        "2 Mar 1949",
    ]
    relayed = alternative.rows[3]
    assert relayed[1:] == (
        "exact date",
        "coded telegram",
        "Relayed",
        "Iosif Stalin → via Terebin → Mao Zedong",
    )
    assert alternative.rows[4][2:] == ("event", "Journey", "Iosif Stalin, Mao Zedong")


def test_timeline_names_the_busiest_day_and_the_playback_day(tmp_path):
    messages = [*MESSAGES, {**MESSAGES[0], "message_id": "e", "title": "Second"}]
    corpus = load_corpus(write_corpus(tmp_path, messages=messages, events=EVENTS[:1]))
    alternative = describe.timeline(*view(corpus, "?day=1949-01-28"))
    assert "The busiest day is 10 Jan 1949 with 2 messages." in alternative.sentence
    assert alternative.sentence.endswith("A line marks 28 Jan 1949, the day playback stands on.")


def test_flow_counts_copies_and_names_outsiders(corpus):
    alternative = describe.flow(*view(corpus))
    assert alternative.sentence == (
        "1 telegram decoded in 4 copies for 3 recipients; Iosif Stalin received the most "
        "(2 copies). Andrey Vyshinsky was not in the Soviet Politburo."
    )
    last = ("Reply", "12 Jan 1949", "Mao Zedong", "Andrey Vyshinsky", "1", "no")
    assert alternative.rows[-1] == last
    assert {r[3]: r[5] for r in alternative.rows}["Vyacheslav Molotov"] == "yes"


def test_flow_before_the_copies_and_on_their_day(corpus):
    before = describe.flow(*view(corpus, "?day=1949-01-11"))
    assert before.sentence == (
        "No distribution copies are recorded for the messages shown, by 11 Jan 1949."
    )
    on_day = describe.flow(*view(corpus, "?day=1949-01-12"))
    assert on_day.sentence.endswith("Copies of 1 telegram sent on 12 Jan 1949 are highlighted.")


def test_as_html_is_a_sentence_and_a_readable_table(corpus):
    sentence, details = describe.as_html(describe.flow(*view(corpus)), "The copies")
    assert sentence.className == "chart-sentence"
    summary, region = details.children
    assert words(summary) == "The copies as a table (3 rows)"
    props = region.to_plotly_json()["props"]
    assert props["tabIndex"] == "0" and props["role"] == "region"
    caption, table = region.children
    assert caption.children.startswith("Distribution copies")
    assert props["aria-label"] == caption.children
    # The table is one Markdown component: a header of six columns, a rule, three rows.
    head, rule, *body = table.children.split("\n")
    assert head.count(" | ") == 5 and rule == "|" + " --- |" * 6
    assert len(body) == 3


def test_a_markdown_table_keeps_every_cell_as_text():
    """Whatever a name or title holds, it stays the text of its own cell: no mark that could
    start a link, emphasis, HTML, an address or another cell is left bare."""
    cells = ("[a](javascript:x) *b* <img src=x> http://x.org &amp;", "A | B\nC \\ _d_")
    text = describe.markdown_table(("Title", "From"), (cells,))
    head, rule, row = text.split("\n")
    assert head == "| Title | From |" and rule == "| --- | --- |"
    # Read the row as the renderer does: a backslash before one of its marks keeps the
    # mark; the three character references stand for their characters.
    entities = {"&lt;": "<", "&#58;": ":", "&amp;": "&"}
    for number, entity in enumerate(entities):
        row = row.replace(entity, chr(number + 1))
    read, bare, escaped = [""], [], False
    for character in row[1:-1]:
        if escaped:
            assert character in describe.MARKDOWN_BACKSLASHED
            read[-1] += character
        elif character == "|":
            read.append("")
        elif character != "\\":
            read[-1] += character
            bare.append(character)
        escaped = not escaped and character == "\\"
    for number, character in enumerate(entities.values()):
        read = [cell.replace(chr(number + 1), character) for cell in read]
    assert [cell.strip() for cell in read] == [cells[0], cells[1].replace("\n", " ")]
    assert not set(bare) & set(describe.MARKDOWN_BACKSLASHED + "<:")


def test_as_html_says_when_there_is_nothing_to_list(corpus):
    _sentence, details = describe.as_html(
        describe.flow(*view(corpus, "?start=1949-03-01")), "The copies"
    )
    assert words(details.children[0]) == "The copies as a table (0 rows)"
    assert details.children[1].children == "Nothing to list."


def test_render_gives_the_three_charts_in_order(corpus):
    whole, shown, state = view(corpus, "?day=1949-01-12")
    network, timeline, flow = describe.render(whole, shown, state)
    assert network[0].children.startswith("Sent by 12 Jan 1949")
    assert words(timeline[1].children[0]).startswith("The timeline as a table")
    assert "highlighted" in flow[0].children


def test_played_is_what_playback_shows(corpus):
    state = ViewState.default(corpus)
    until, lit = describe.played(corpus, replace(state, day=date(1949, 1, 12)))
    assert list(until.messages["message_id"]) == ["a", "b"] and lit == {"b"}
    assert describe.played(corpus, state) == (corpus, frozenset())


def test_a_step_longer_than_a_day_lights_all_its_letters(corpus):
    """Over a span of years playback steps by month: the whole month's letters light up."""
    state = replace(ViewState.default(corpus), start=date(1930, 1, 1), end=date(1949, 12, 31))
    until, lit = describe.played(corpus, replace(state, day=date(1949, 1, 1)))
    january = corpus.messages[corpus.messages["date"] < "1949-02-01"]
    assert lit == set(january["message_id"]) and len(lit) > 1
    assert set(until.messages["message_id"]) == lit


def test_a_long_table_lists_its_first_rows_and_points_to_the_csv():
    from benchmarks.bench_import import letters

    from dashboard.build import corpus_from_letters
    from dashboard.letters import Metadata

    many = corpus_from_letters(list(letters(300, seed=5)), Metadata(title="Made up"))
    whole, shown, state = view(many)
    alternative = describe.timeline(whole, shown, state)
    assert len(alternative.rows) == describe.TABLE_ROWS and alternative.count == 300
    # The first rows by date: the earliest letters, as the full table would begin.
    first_day = shown.messages["date"].min()
    assert alternative.rows[0][0].startswith(str(first_day.day))
    _sentence, table = describe.render(whole, shown, state)[1]
    summary, more, region = table.children
    assert words(summary) == "The timeline as a table (300 rows)"
    assert more.children[0] == "The first 100 of 300 rows. "
    assert more.children[1].href == "/download/messages.csv"
    _caption, markdown = region.children
    # A header line and a rule, then a line a row.
    assert len(markdown.children.split("\n")) == 2 + describe.TABLE_ROWS


def test_large_counts_are_written_with_thousands_separators():
    from dashboard.views.describe import _count

    assert _count(12345, "message") == "12,345 messages"
    assert _count(1, "message") == "1 message"


def words(component) -> str:
    """The text a component shows, its children's joined."""
    if isinstance(component, str):
        return component
    children = getattr(component, "children", None)
    if children is None:
        return ""
    if isinstance(children, list):
        return "".join(words(child) for child in children)
    return words(children)

"""Text alternatives for the charts: a sentence and a table of the records each one draws."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import partial

import pandas as pd
from dash import dcc, html

from dashboard import ids
from dashboard.export import MESSAGES
from dashboard.figures import CERTAINTY_LABEL, MOST_MARKS, bin_floor, bin_unit, next_bin
from dashboard.graph import (
    MESSAGE_IDS,
    RELAYED,
    SOURCE_NODE,
    TARGET_NODE,
    WEIGHT,
    degrees_of,
    edges_of,
)
from dashboard.model import (
    CATEGORY,
    COPIES,
    DATE,
    DATE_CANDIDATES,
    DATE_CERTAINTY,
    DATE_FROM,
    DATE_PRECISION,
    DATE_TO,
    END,
    KIND,
    MEMBER,
    MESSAGE_ID,
    PEOPLE,
    POLITBURO,
    RECIPIENT,
    RECIPIENTS,
    SENDER,
    SENDERS,
    START,
    TITLE,
    VIA,
    Corpus,
    date_words,
    split_list,
)
from dashboard.routes import DOWNLOAD_PREFIX
from dashboard.state import ViewState, day_text, describe_span

YES, NO = "yes", "no"
# Rows a text table lists: a screen reader's table of 10,000 rows helps no one, and costs
# the page 13 components a row. The rest are counted and downloadable as CSV.
TABLE_ROWS = 100
# The columns a listed letter needs (its date in words, what it is, its route): a row of
# every column costs several times as much to read.
LISTED = [
    MESSAGE_ID,
    DATE,
    DATE_PRECISION,
    DATE_FROM,
    DATE_TO,
    DATE_CANDIDATES,
    DATE_CERTAINTY,
    KIND,
    TITLE,
    SENDER,
    RECIPIENT,
    SENDERS,
    RECIPIENTS,
    VIA,
]
# Titles listed in one line of the network's table, for a line of many messages.
TITLES_PER_LINE = 12


@dataclass(frozen=True)
class TextAlternative:
    """What a chart shows, in words: one sentence, and its records as a table."""

    sentence: str
    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    # How many rows the whole table has; `rows` holds the first TABLE_ROWS of them.
    total: int | None = None

    @property
    def count(self) -> int:
        return len(self.rows) if self.total is None else self.total


Played = tuple[Corpus, frozenset[str]]


def played(shown: Corpus, state: ViewState) -> Played:
    """What playback shows on the state's day: the messages sent by the end of its step,
    and the ids sent in the step."""
    until, lit = state.played(shown)
    return until, lit or frozenset()


def network(
    whole: Corpus, shown: Corpus, state: ViewState, playback: Played | None = None
) -> TextAlternative:
    """The network: who wrote to whom, line by line, as the figure draws it."""
    until, lit = playback or played(shown, state)
    messages = until.messages
    table = edges_of(until)
    span = _span(state.start, min(state.day, state.end) if state.day else state.end)
    name = partial(whole.label, codenames=state.codenames)
    if messages.empty:
        sentence = (
            f"No message has been sent by {day_text(state.day)} among those shown, so the network "
            "has no lines yet."
            if state.day
            else f"No messages match the filter ({span}), so the network has no lines."
        )
    else:
        people = degrees_of(until)
        busiest = table.sort_values(WEIGHT, ascending=False, kind="stable").iloc[0]
        sentence = (
            f"{_count(len(messages), 'message')} between {len(people):,} people and bodies, {span}."
        )
        if busiest[WEIGHT] > 1:
            sentence += (
                f" The heaviest line runs from {name(busiest[SOURCE_NODE])} to "
                f"{name(busiest[TARGET_NODE])} ({_count(int(busiest[WEIGHT]), 'message')})."
            )
        relays = sorted({name(v) for v in messages[VIA][messages[VIA] != ""].unique()})
        if relays:
            relayed = int((messages[VIA] != "").sum())
            sentence += f" {_count(relayed, 'message')} went through {', '.join(relays)}."
        if state.day:
            sentence = f"Sent by {day_text(state.day)}: {sentence}"
    if state.day:
        sentence += " " + _lit_sentence(whole, until, lit, state)
    shown_edges = set().union(*table[MESSAGE_IDS].head(TABLE_ROWS)) if len(table) else set()
    drawn = until.messages
    if len(drawn) > TABLE_ROWS:
        drawn = drawn[drawn[MESSAGE_ID].isin(shown_edges)]
    titles = dict(zip(drawn[MESSAGE_ID].tolist(), drawn[TITLE].tolist(), strict=True))
    columns = ("From", "To", "Messages", "Route", "Titles")
    rows = []
    for edge in table.head(TABLE_ROWS).to_dict("records"):
        row = (
            name(edge[SOURCE_NODE]),
            name(edge[TARGET_NODE]),
            str(int(edge[WEIGHT])),
            "relayed" if edge[RELAYED] else "direct",
            _titles(
                [titles.get(m) or m for m in edge[MESSAGE_IDS][:TITLES_PER_LINE]],
                len(edge[MESSAGE_IDS]),
            ),
        )
        if state.day:
            row += (YES if lit & set(edge[MESSAGE_IDS]) else NO,)
        rows.append(row)
    if state.day:
        columns += (f"Sent on {day_text(state.day)}",)
    caption = "Lines of the network: sender, recipient and the messages drawn"
    return TextAlternative(sentence, caption, columns, tuple(rows), len(table))


def timeline(whole: Corpus, shown: Corpus, state: ViewState) -> TextAlternative:
    """The timeline: every message and context event in the dates shown, in date order.

    Playback's day changes only the last sentence: the rest is kept with `shown` (whose
    kept tables live as long as its filter is kept), so that a tick does not count again."""
    key = ("timeline text", state.start, state.end, state.codenames)
    alternative = shown.memo(key, lambda _: _timeline(whole, shown, replace(state, day=None)))
    if not state.day:
        return alternative
    binned = shown.messages[DATE].notna().sum() > MOST_MARKS
    marks = (
        f"A band marks the playback step from {day_text(state.day)}."
        if binned
        else f"A line marks {day_text(state.day)}, the day playback stands on."
    )
    return replace(alternative, sentence=f"{alternative.sentence} {marks}")


def _timeline(whole: Corpus, shown: Corpus, state: ViewState) -> TextAlternative:
    messages, events = shown.messages, shown.events
    span = _span(state.start, state.end)
    name = partial(whole.label, codenames=state.codenames)
    if messages[DATE].notna().sum() > MOST_MARKS:
        return _binned_timeline(whole, shown, state)
    if messages.empty:
        sentence = f"No messages, {span}."
    else:
        per_day = messages.groupby(DATE).size()
        sentence = f"{_count(len(messages), 'message')} on {_count(len(per_day), 'day')}, {span}."
        if per_day.max() > 1 and len(per_day) > 1:
            busiest = per_day.idxmax()
            sentence += (
                f" The busiest day is {day_text(busiest.date())} with "
                f"{_count(int(per_day.max()), 'message')}."
            )
        uncertain = messages[DATE_CERTAINTY].value_counts()
        notes = [f"{uncertain[c]} {c}" for c in ("approximate", "unknown") if uncertain.get(c, 0)]
        if notes:
            sentence += f" Dates marked hollow are not exact: {' and '.join(notes)}."
    if not events.empty:
        sentence += f" The top row marks {_count(len(events), 'context event')}."
    # Messages come in date order, undated last, and events by their start: the table's
    # first rows are among the first rows of each.
    dated = [
        (
            # Undated letters go last: they are listed, not placed.
            row[DATE] if pd.notna(row[DATE]) else pd.Timestamp.max,
            (
                date_words(row, certainty=False),
                CERTAINTY_LABEL[row[DATE_CERTAINTY]],
                row[KIND] or "message",
                row[TITLE] or row[MESSAGE_ID],
                whole.route(row, state.codenames),
            ),
        )
        for row in messages.head(TABLE_ROWS)[LISTED].to_dict("records")
    ]
    dated += [
        (
            row[START],
            (
                day_text(row[START].date())
                + (f" to {day_text(row[END].date())}" if pd.notna(row[END]) else ""),
                CERTAINTY_LABEL[row[DATE_CERTAINTY]],
                f"event: {row[CATEGORY]}" if row[CATEGORY] else "event",
                row[TITLE],
                ", ".join(name(p) for p in split_list(row[PEOPLE])),
            ),
        )
        for row in events.head(TABLE_ROWS).to_dict("records")
    ]
    dated.sort(key=lambda pair: pair[0])
    caption = "Messages and context events on the timeline, by date"
    return TextAlternative(
        sentence,
        caption,
        ("Date", "Date is", "What", "Title", "From → to, or people"),
        tuple(row for _, row in dated[:TABLE_ROWS]),
        len(messages) + len(events),
    )


def _binned_timeline(whole: Corpus, shown: Corpus, state: ViewState) -> TextAlternative:
    """A timeline that counts its letters per bin (figures.timeline_spec) is described by its
    bins: a row for each with letters, and who wrote most of them."""
    messages = shown.messages
    dated = messages[messages[DATE].notna()]
    unit = bin_unit(state.start, state.end)
    # Letters per (bin, sender), counted at once: the busiest three of each bin, most first
    # (ties by name), without a walk over the bins' letters.
    cells = pd.DataFrame({"bin": bin_floor(dated[DATE], unit), SENDER: dated[SENDER]})
    counted = cells.groupby(["bin", SENDER], sort=True).size().rename("letters").reset_index()
    totals = counted.groupby("bin", sort=True)["letters"].sum()
    busiest = counted.sort_values(["bin", "letters", SENDER], ascending=[True, False, True])
    busiest = busiest.groupby("bin", sort=True).head(3)
    most_of: dict = {}
    for first, person, n in zip(*(busiest[c].tolist() for c in busiest.columns), strict=True):
        most_of.setdefault(first, []).append(f"{whole.label(person, state.codenames)} ({n})")
    rows = []
    for first, total in zip(totals.index, totals.tolist(), strict=True):
        low = max(first.date(), state.start)
        high = min(next_bin(first.date(), unit) - timedelta(days=1), state.end)
        rows.append((day_text(low), day_text(high), f"{total:,}", ", ".join(most_of[first])))
    per_bin = [int(row[2].replace(",", "")) for row in rows]
    top = per_bin.index(max(per_bin))
    sentence = (
        f"{_count(len(dated), 'message')}, {_span(state.start, state.end)}: too many to mark "
        f"one by one, so the timeline counts them by {unit}, in {_count(len(rows), unit)} "
        f"with messages. The busiest {unit} {'is' if unit == 'day' else 'begins'} "
        f"{rows[top][0]}, with "
        f"{_count(per_bin[top], 'message')}."
    )
    if len(dated) < len(messages):
        sentence += f" {_count(len(messages) - len(dated), 'undated message')} not placed."
    caption = f"Messages on the timeline, counted by {unit}"
    return TextAlternative(sentence, caption, ("From", "To", "Messages", "Most from"), tuple(rows))


def flow(
    whole: Corpus, shown: Corpus, state: ViewState, playback: Played | None = None
) -> TextAlternative:
    """The copy flow: how many copies of each decoded telegram each member received."""
    until, lit = playback or played(shown, state)
    table = until.copy_counts()
    name = partial(whole.label, codenames=state.codenames)
    people = whole.people_by_id
    if table.empty:
        when = f"by {day_text(state.day)}" if state.day else _span(state.start, state.end)
        sentence = f"No distribution copies are recorded for the messages shown, {when}."
    else:
        telegrams = table[MESSAGE_ID].nunique()
        totals = table.groupby(MEMBER)[COPIES].sum().sort_values(ascending=False, kind="stable")
        top = totals.index[0]
        sentence = (
            f"{_count(telegrams, 'telegram')} decoded in "
            f"{_count(int(table[COPIES].sum()), 'copy', 'copies')} for "
            f"{_count(len(totals), 'recipient')}; {name(top)} received the most "
            f"({_count(int(totals.iloc[0]), 'copy', 'copies')})."
        )
        outsiders = [name(m) for m in totals.index if not people[m][POLITBURO]]
        if outsiders:
            verb = "was" if len(outsiders) == 1 else "were"
            sentence += f" {', '.join(outsiders)} {verb} not in the Soviet Politburo."
        if lit:
            lit_copies = table[table[MESSAGE_ID].isin(lit)]
            if not lit_copies.empty:
                sentence += (
                    f" Copies of {_count(lit_copies[MESSAGE_ID].nunique(), 'telegram')} "
                    f"sent on {day_text(state.day)} are highlighted."
                )
    copied = until.messages[until.messages[MESSAGE_ID].isin(table[MESSAGE_ID])]
    titles = dict(zip(copied[MESSAGE_ID].tolist(), copied[TITLE].tolist(), strict=True))
    rows = tuple(
        (
            titles.get(row[MESSAGE_ID]) or row[MESSAGE_ID],
            date_words(row, certainty=False),
            name(row[SENDER]),
            name(row[MEMBER]),
            str(int(row[COPIES])),
            YES if people[row[MEMBER]][POLITBURO] else NO,
        )
        for row in table.head(TABLE_ROWS).to_dict("records")
    )
    return TextAlternative(
        sentence,
        "Distribution copies: telegram, sender, recipient of the copies and how many",
        ("Telegram", "Date", "Sender", "Copies to", "Copies", "In the Politburo"),
        rows,
        len(table),
    )


# Where each chart's text alternative goes, and what its table is called.
TEXT_IDS = {ids.NETWORK: ids.NETWORK_TEXT, ids.TIMELINE: ids.TIMELINE_TEXT, ids.FLOW: ids.FLOW_TEXT}
CHART_NAMES = {"network": "The network", "timeline": "The timeline", "flow": "The copies"}


def render(
    whole: Corpus,
    shown: Corpus,
    state: ViewState,
    playback: tuple[Corpus, frozenset[str] | None] | None = None,
    views: tuple[str, ...] = ("network", "timeline", "flow"),
) -> tuple[list | None, ...]:
    """The text alternatives of the network, the timeline and the flow, in that order (None
    for a chart not in `views`); `playback` as `state.played(shown)` gives it, if the
    caller has it.

    Kept with `shown` (the filter's corpus, itself kept for the next requests), outside
    playback: the same view opened again, by another visitor or after a page turn, builds
    no component again."""
    if state.day is not None:
        # Each playback step is drawn once: keeping them would only fill the memory.
        return _render(whole, shown, state, playback, views)
    key = ("text alternatives", state.start, state.end, state.people, state.kinds)
    key += (state.codenames, views)
    return shown.memo(key, lambda _: _render(whole, shown, state, playback, views))


def _render(
    whole: Corpus,
    shown: Corpus,
    state: ViewState,
    playback: tuple[Corpus, frozenset[str] | None] | None,
    views: tuple[str, ...],
) -> tuple[list | None, ...]:
    until, lit = state.played(shown) if playback is None else playback
    playback = (until, lit or frozenset())
    # The whole table is the CSV of the letters in view: the filter, nothing else of the view.
    filtered = ViewState(state.start, state.end, state.people, state.kinds)
    download = f"/{DOWNLOAD_PREFIX}{MESSAGES}.csv{filtered.to_query(whole)}"
    makers = {
        "network": lambda: network(whole, shown, state, playback),
        "timeline": lambda: timeline(whole, shown, state),
        "flow": lambda: flow(whole, shown, state, playback),
    }
    return tuple(
        as_html(make(), CHART_NAMES[view], download) if view in views else None
        for view, make in makers.items()
    )


def as_html(alternative: TextAlternative, chart_name: str, download: str | None = None) -> list:
    """The sentence, shown under the chart, and the table in a disclosure a reader can open;
    a long table lists its first TABLE_ROWS rows and says where all of them are (`download`,
    the CSV of the messages in view)."""
    rows = alternative.count
    listed = len(alternative.rows)
    more = []
    if listed < rows:
        more = [
            html.P(
                [
                    f"The first {listed} of {rows:,} rows. ",
                    html.A("The messages in view as CSV", href=download)
                    if download
                    else "The CSV download of the messages in view",
                    " hold them all.",
                ],
                className="muted table-more",
            )
        ]
    return [
        html.P(alternative.sentence, className="chart-sentence"),
        html.Details(
            className="chart-table",
            children=[
                html.Summary(
                    [
                        f"{chart_name} as a table ",
                        # The kiosk's narrow columns leave the count out (assets/style.css).
                        html.Span(f"({_count(rows, 'row')})", className="table-count"),
                    ]
                ),
                *more,
                # A region of its own, focusable, so that a keyboard can scroll a long table.
                html.Div(
                    className="table-scroll",
                    tabIndex="0",
                    role="region",
                    **{"aria-label": alternative.caption},
                    children=[
                        html.P(alternative.caption, className="table-caption"),
                        dcc.Markdown(
                            markdown_table(alternative.columns, alternative.rows),
                            className="table-markdown",
                        ),
                    ],
                )
                if rows
                else html.P("Nothing to list.", className="muted"),
            ],
        ),
    ]


# How a cell's text is written in the Markdown of dcc.Markdown (GitHub's flavour): the marks
# that can start a link, emphasis, code or the next cell escaped by a backslash (of those it
# lets escape); "<", "&" and ":" as character references, so that no tag, entity or address
# forms (dcc.Markdown turns "http://..." into a link).
MARKDOWN_BACKSLASHED = "\\`*{}[]()#+-.!_>~|"
_MARKDOWN_ESCAPES = str.maketrans(
    {c: "\\" + c for c in MARKDOWN_BACKSLASHED}
    | {"<": "&lt;", "&": "&amp;", ":": "&#58;", "\n": " ", "\r": " ", "\t": " "}
)


def markdown_table(columns: tuple[str, ...], rows: tuple[tuple[str, ...], ...]) -> str:
    """A table in (GitHub's) Markdown, every cell's text escaped: the page draws it as one
    component, where a table of components costs the browser a component a cell."""

    def line(cells) -> str:
        return "| " + " | ".join(str(cell).translate(_MARKDOWN_ESCAPES) for cell in cells) + " |"

    return "\n".join([line(columns), "|" + " --- |" * len(columns), *map(line, rows)])


def _lit_sentence(whole: Corpus, until: Corpus, lit: frozenset[str], state: ViewState) -> str:
    if not lit:
        return f"Nothing was sent on {day_text(state.day)} itself."
    # A step of a month or a year lights thousands of letters: a sentence names the first
    # TITLES_PER_LINE (the table lists what is drawn) and counts the rest.
    lit_rows = until.messages[until.messages[MESSAGE_ID].isin(lit)]
    named = lit_rows.head(TITLES_PER_LINE)[[SENDER, RECIPIENT, TITLE, MESSAGE_ID]]
    titles = [
        f"{whole.label(sender, state.codenames)} to "
        f"{whole.label(recipient, state.codenames)}: {title or message}"
        for sender, recipient, title, message in named.itertuples(index=False)
    ]
    return f"Highlighted, sent on {day_text(state.day)}: {_titles(titles, len(lit_rows))}."


def _titles(titles: list[str], count: int | None = None) -> str:
    """The first TITLES_PER_LINE of `titles` and a count of the rest (of `count` in all)."""
    shown = "; ".join(titles[:TITLES_PER_LINE])
    rest = (len(titles) if count is None else count) - TITLES_PER_LINE
    return f"{shown}; and {rest:,} more" if rest > 0 else shown


def _span(start: date, end: date) -> str:
    text = describe_span(start, end)
    return f"on {text}" if start == end else f"from {text.replace(' - ', ' to ')}"


def _count(number: int, noun: str, plural: str | None = None) -> str:
    return f"{number:,} {noun if number == 1 else plural or noun + 's'}"

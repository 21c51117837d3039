"""The record behind every mark: the open messages in full, or the list of those in view."""

from __future__ import annotations

import pandas as pd
from dash import html

from dashboard import ids
from dashboard.figures import CERTAINTY_LABEL
from dashboard.model import (
    ARCHIVE_REF,
    CLASSIFICATION,
    CODENAME,
    COPIES,
    DATE,
    DATE_CERTAINTY,
    DATE_NOTE,
    END,
    EVENT_ID,
    IN_REPLY_TO,
    KIND,
    MEMBER,
    MESSAGE_ID,
    PEOPLE,
    POLITBURO,
    SOURCE,
    START,
    SUMMARY,
    TITLE,
    Corpus,
    split_list,
)
from dashboard.state import ViewState, day_text

LIST_LIMIT = 40


def layout() -> html.Aside:
    return html.Aside(
        className="details panel",
        **{"aria-label": "Records"},
        children=[
            html.Button("Close the record", id=ids.DETAILS_CLOSE, className="button", hidden=True),
            html.Div(id=ids.DETAILS, **{"aria-live": "polite"}),
        ],
    )


def render(whole: Corpus, shown: Corpus, state: ViewState) -> list:
    """Full records for the open messages, or the open context event; otherwise a list of the
    messages in view."""
    # A click opens one or the other; a link written by hand may ask for both.
    opened = []
    if state.event is not None:
        events = whole.events[whole.events[EVENT_ID] == state.event]
        opened += [
            html.H2("Context event"),
            *[event_record(whole, row, state.codenames) for _, row in events.iterrows()],
        ]
    if state.message:
        records = whole.messages[whole.messages[MESSAGE_ID].isin(state.message)]
        heading = "Record" if len(records) == 1 else f"{len(records)} records"
        opened += [
            html.H2(heading),
            *[record(whole, row, state.codenames) for _, row in records.iterrows()],
        ]
    return opened or message_list(shown, state)


def message_list(shown: Corpus, state: ViewState) -> list:
    messages = shown.messages
    heading = html.H2(f"Messages in view ({len(messages)})")
    if messages.empty:
        return [heading, html.P("No messages match the filter.", className="muted")]
    items = [
        html.Li(
            html.Button(
                className="record-link",
                id={"type": ids.RECORD_LINK, "message": row[MESSAGE_ID]},
                children=[
                    html.Span(_date_text(row), className="record-date"),
                    html.Span(row[TITLE] or row[MESSAGE_ID], className="record-title"),
                    html.Span(shown.route(row, state.codenames), className="record-route"),
                ],
            )
        )
        for _, row in messages.head(LIST_LIMIT).iterrows()
    ]
    more = len(messages) - LIST_LIMIT
    hint = html.P("Choose a message, a mark or a line to read its record.", className="muted")
    tail = [html.P(f"and {more} more; narrow the filter to see them.")] if more > 0 else []
    return [heading, hint, html.Ul(items, className="record-list"), *tail]


def record(corpus: Corpus, row: pd.Series, codenames: bool) -> html.Article:
    """One message as a citable record: every fact we hold about it, and where it comes from."""
    copies = corpus.copies[corpus.copies[MESSAGE_ID] == row[MESSAGE_ID]]
    people = corpus.people_by_id
    facts = [
        ("Date", _date_text(row) + (f" — {row[DATE_NOTE]}" if row[DATE_NOTE] else "")),
        ("From → to", corpus.route(row, codenames)),
        ("Name used", row[CODENAME]),
        ("Kind", row[KIND]),
        ("Summary", row[SUMMARY]),
        ("Archival reference", row[ARCHIVE_REF] or "none given in the sources"),
        ("Classification", row[CLASSIFICATION]),
        ("Answers", _answers(corpus, row[IN_REPLY_TO])),
        (
            "Copies",
            ", ".join(
                f"{corpus.label(c[MEMBER], codenames)} {c[COPIES]}"
                + ("" if people[c[MEMBER]][POLITBURO] else " (not in Politburo)")
                for _, c in copies.iterrows()
            ),
        ),
        ("Source", row[SOURCE]),
        ("Record id", row[MESSAGE_ID]),
    ]
    return html.Article(
        className="record",
        children=[
            html.H3(row[TITLE] or row[MESSAGE_ID]),
            html.Dl(
                [
                    part
                    for label, value in facts
                    if value
                    for part in (html.Dt(label), html.Dd(value))
                ]
            ),
        ],
    )


def event_record(corpus: Corpus, row: pd.Series, codenames: bool = False) -> html.Article:
    """A context event of the timeline: what happened, when, to whom, and the source."""
    when = day_text(row[START])
    if pd.notna(row[END]) and row[END] != row[START]:
        when += f" to {day_text(row[END])}"
    if row[DATE_CERTAINTY] not in ("", "exact"):
        when += f" ({CERTAINTY_LABEL.get(row[DATE_CERTAINTY], row[DATE_CERTAINTY])})"
    facts = [
        ("Date", when),
        ("Summary", row[SUMMARY]),
        ("People", ", ".join(corpus.label(p, codenames) for p in split_list(row[PEOPLE]))),
        ("Source", row[SOURCE]),
        ("Record id", row[EVENT_ID]),
    ]
    return html.Article(
        className="record",
        children=[
            html.H3(row[TITLE]),
            html.Dl(
                [
                    part
                    for label, value in facts
                    if value
                    for part in (html.Dt(label), html.Dd(value))
                ]
            ),
        ],
    )


def _date_text(row: pd.Series) -> str:
    text = f"{row[DATE]:%d %b %Y}".lstrip("0")
    if row[DATE_CERTAINTY] != "exact":
        text += f" ({CERTAINTY_LABEL[row[DATE_CERTAINTY]]})"
    return text


def _answers(corpus: Corpus, message_id: str) -> str:
    if not message_id:
        return ""
    target = corpus.messages[corpus.messages[MESSAGE_ID] == message_id]
    if target.empty:
        return message_id
    row = target.iloc[0]
    return f"{row[TITLE]} ({_date_text(row)})"

"""The record behind every mark: the open messages in full, or the list of those in view."""

from __future__ import annotations

import json
from dataclasses import replace

import pandas as pd
from dash import dcc, html

from dashboard import authority, ids
from dashboard.figures import CERTAINTY_LABEL
from dashboard.model import (
    ARCHIVE_REF,
    AUTHORITY,
    CLASSIFICATION,
    CODENAME,
    COPIES,
    DATE,
    DATE_CERTAINTY,
    DATE_NOTE,
    DATE_TEXT,
    EDITION,
    END,
    EVENT_ID,
    EXTRA,
    IN_REPLY_TO,
    KEY,
    KIND,
    MEMBER,
    MESSAGE_ID,
    NAME,
    PEOPLE,
    POLITBURO,
    POSITION,
    RECEIVED_PLACE,
    SENT_PLACE,
    SOURCE,
    START,
    SUMMARY,
    TITLE,
    URL,
    Corpus,
    date_words,
    parties_of,
    split_list,
)
from dashboard.state import ViewState, day_text
from dashboard.views.describe import LISTED

# Records a page of the list holds; a researcher pages through the rest (`page` in the URL).
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


def render(whole: Corpus, shown: Corpus, state: ViewState, path: str = "/") -> list:
    """Full records for the open messages, or the open context event; otherwise a page of the
    list of messages in view, whose links to other pages lead to `path` with a new query."""
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
    return opened or message_list(shown, state, path)


def pages(count: int) -> int:
    """How many pages a list of `count` records takes (one, even when empty)."""
    return max(1, -(-count // LIST_LIMIT))


def message_list(shown: Corpus, state: ViewState, path: str = "/") -> list:
    """The page of the messages in view that the URL asks for (the last, if it asks past it)."""
    messages = shown.messages
    heading = html.H2(f"Messages in view ({len(messages):,})")
    if messages.empty:
        return [heading, html.P("No messages match the filter.", className="muted")]
    last = pages(len(messages))
    page = min(state.page, last)
    first = (page - 1) * LIST_LIMIT
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
        for row in messages.iloc[first : first + LIST_LIMIT][LISTED].to_dict("records")
    ]
    hint = html.P("Choose a message, a mark or a line to read its record.", className="muted")
    listed = html.Ul(items, className="record-list")
    if last == 1:
        return [heading, hint, listed]
    return [heading, hint, listed, pager(shown, state, path, page, last)]


def pager(shown: Corpus, state: ViewState, path: str, page: int, last: int) -> html.Nav:
    """'Records 41-80 of 10,000' and links to the first, previous, next and last pages: links
    that write the URL, which stays the one place the page is kept."""

    def link(label: str, target: int, name: str) -> object:
        if target == page or not 1 <= target <= last:
            return html.Span(label, className="pager-link pager-off", **{"aria-hidden": "true"})
        query = replace(state, page=target, warnings=()).to_query(shown)
        return dcc.Link(label, href=path + query, className="pager-link", title=name)

    count = len(shown.messages)
    first = (page - 1) * LIST_LIMIT + 1
    return html.Nav(
        className="pager",
        **{"aria-label": "Pages of the list of messages"},
        children=[
            link("« First", 1, "The first page"),
            link("‹ Previous", page - 1, f"Page {page - 1}"),
            html.Span(
                f"Records {first:,}-{min(first + LIST_LIMIT - 1, count):,} of {count:,} "
                f"(page {page:,} of {last:,})",
                className="pager-where",
            ),
            link("Next ›", page + 1, f"Page {page + 1}"),
            link("Last »", last, f"The last page, {last:,}"),
        ],
    )


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
        ("Source", _source(corpus, row[SOURCE]) if row[SOURCE] != row[EDITION] else ""),
        ("Edition", _edition(row)),
        ("People", _people_with_ids(corpus, row, codenames)),
        ("Sent from", _place(corpus, row[SENT_PLACE])),
        ("Received at", _place(corpus, row[RECEIVED_PLACE])),
        ("Date as written", row[DATE_TEXT] if row[DATE_TEXT] != _iso(row) else ""),
        ("Key in the source", row[KEY] if row[KEY] != row[MESSAGE_ID] else ""),
        ("Where in the file", row[POSITION]),
        *_extra(row[EXTRA]),
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
        ("Source", _source(corpus, row[SOURCE])),
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
    return date_words(row)


def _iso(row: pd.Series) -> str:
    return "" if pd.isna(row[DATE]) else f"{row[DATE]:%Y-%m-%d}"


def _authority_link(uri: str) -> list:
    """' (GND 118609807)', the id a link to the authority's own page."""
    if not uri:
        return []
    return [" (", html.A(authority.label(uri), href=uri, rel="noopener noreferrer"), ")"]


def _people_with_ids(corpus: Corpus, row: pd.Series, codenames: bool) -> list:
    """Every party of a letter who has an authority id, with the id as a link."""
    senders, recipients = parties_of(row)
    people = corpus.people_by_id
    parts: list = []
    for ident in dict.fromkeys([*senders, *recipients]):
        uri = people.get(ident, {}).get(AUTHORITY, "")
        if uri:
            parts += [*(["; "] if parts else []), corpus.label(ident, codenames)]
            parts += _authority_link(uri)
    return parts


def _place(corpus: Corpus, place_id: str) -> list:
    if not place_id:
        return []
    place = corpus.places_by_id.get(place_id)
    if place is None:
        return [place_id]
    return [place[NAME], *_authority_link(place[AUTHORITY])]


def _source(corpus: Corpus, cell: str) -> list:
    """Where a record comes from, as citations: one a line, the source's address a link."""
    parts: list = []
    for cited in corpus.citations(cell):
        parts += [*([html.Br()] if parts else []), cited.text]
        if cited.url:
            parts += [", ", html.A(cited.url, href=cited.url, rel="noopener noreferrer")]
    return parts


def _edition(row: pd.Series) -> list:
    """The edition the letter is printed in, and the edition's own page for it."""
    parts: list = [row[EDITION]] if row[EDITION] else []
    if row[URL]:
        parts += [*(["; "] if parts else []), html.A(row[URL], href=row[URL], rel="noopener")]
    return parts


def _extra(text: str) -> list[tuple[str, str]]:
    """Fields of the source the model does not use, shown as they were read."""
    if not text:
        return []
    try:
        pairs = json.loads(text)
    except ValueError:
        return [("Other fields", text)]
    return [(str(name), str(value)) for name, value in pairs]


def _answers(corpus: Corpus, message_id: str) -> str:
    if not message_id:
        return ""
    target = corpus.messages[corpus.messages[MESSAGE_ID] == message_id]
    if target.empty:
        return message_id
    row = target.iloc[0]
    return f"{row[TITLE]} ({_date_text(row)})"

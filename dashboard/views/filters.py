"""The filter bar: dates, people, kinds, the codename toggle, the summary and the reset; and
the button that folds it away on a phone."""

from __future__ import annotations

from dash import dcc, html

from dashboard import ids
from dashboard.model import (
    ALIASES,
    CODENAME,
    COPIES,
    NAME,
    PERSON_ID,
    Corpus,
    fold,
    people_in,
)
from dashboard.state import DEFAULT_LABELS, MAX_LABELS, ViewState, describe_span

NAMES_REAL = "name"
NAMES_CODENAME = "codename"


# A corpus of more people than this lists its busiest in the people filter's menu, and
# finds the others as the user types (matching_people): a menu of thousands of names costs
# the browser seconds to build before the page can draw anything.
PEOPLE_LISTED = 300
# Most people a typed search offers at once, the busiest first.
PEOPLE_FOUND = 100


def people_options(corpus: Corpus) -> list[dict]:
    """Dropdown options for everyone who sent, received or relayed a message, by name;
    for a corpus of more than PEOPLE_LISTED of them, the busiest PEOPLE_LISTED.

    The search text holds every alias, so typing "Filippov" offers Stalin.
    """
    options = _all_options(corpus)
    if len(options) <= PEOPLE_LISTED:
        return options
    busiest = set(_by_letters(corpus)[:PEOPLE_LISTED])
    return [option for option in options if option["value"] in busiest]


def has_more_people(corpus: Corpus) -> bool:
    """Whether the people filter lists only some people and finds the rest by search."""
    return len(_all_options(corpus)) > PEOPLE_LISTED


def matching_people(corpus: Corpus, search: object, chosen: object) -> list[dict]:
    """The menu for what the user has typed: the people already chosen, then up to
    PEOPLE_FOUND whose name, codename, alias or id holds the typed text (accents and case
    aside), the busiest first; with nothing typed, the busiest PEOPLE_LISTED. Any value a
    request may carry is taken: what is not text is nothing typed, nothing chosen."""
    options = {option["value"]: option for option in _all_options(corpus)}
    picked = [p for p in (chosen if isinstance(chosen, list) else []) if p in options]
    text = fold(search) if isinstance(search, str) else ""
    if not text:
        found = _by_letters(corpus)[:PEOPLE_LISTED]
    else:
        folded = corpus.memo("people filter: folded search", _folded_search)
        found = [p for p in _by_letters(corpus) if text in folded[p]][:PEOPLE_FOUND]
    shown = dict.fromkeys([*picked, *found])
    return sorted((options[p] for p in shown), key=lambda option: option["label"])


def _all_options(corpus: Corpus) -> list[dict]:
    return corpus.memo("people filter: options", _options)


def _options(corpus: Corpus) -> list[dict]:
    involved = people_in(corpus.messages)
    options = []
    for person in corpus.people.to_dict("records"):
        if person[PERSON_ID] not in involved:
            continue
        label = person[NAME]
        if person[CODENAME]:
            label += f" ({person[CODENAME]})"
        options.append(
            {
                "label": label,
                "value": person[PERSON_ID],
                "search": " ".join(
                    [person[NAME], person[CODENAME], person[ALIASES], person[PERSON_ID]]
                ),
            }
        )
    return sorted(options, key=lambda option: option["label"])


def _by_letters(corpus: Corpus) -> list[str]:
    """Everyone in the menu, the busiest first."""

    def rank(c: Corpus) -> list[str]:
        letters = c.parties[PERSON_ID].value_counts()
        listed = [option["value"] for option in _all_options(c)]
        return sorted(listed, key=lambda p: (-int(letters.get(p, 0)), p))

    return corpus.memo("people filter: busiest", rank)


def _folded_search(corpus: Corpus) -> dict[str, str]:
    return {option["value"]: fold(option["search"]) for option in _all_options(corpus)}


def fold_control() -> html.Button:
    """The one button that opens the filter panel where it is folded away, on a phone, so that
    the charts come first. It stands just before the panel; assets/style.css shows it on narrow
    screens only (wider ones always show the panel) and folds the panel while it says
    aria-expanded="false". Opening is the browser's alone: the URL keeps what is chosen, not
    whether the panel is open."""
    return html.Button(
        [
            html.Span("Filters", className="filters-fold-label"),
            html.Span(className="filters-fold-icon", **{"aria-hidden": "true"}),
        ],
        id=ids.FILTERS_FOLD,
        className="button filters-fold",
        type="button",
        n_clicks=0,
        **{"aria-expanded": "false", "aria-controls": ids.FILTERS},
    )


def layout(corpus: Corpus) -> html.Section:
    first, last = (day.date() for day in corpus.period)
    return html.Section(
        id=ids.FILTERS,
        className="filters",
        **{"aria-label": "Filters"},
        children=[
            html.Div(
                className="filter",
                children=[
                    html.Label("Dates", htmlFor=ids.DATES, className="filter-label"),
                    dcc.DatePickerRange(
                        id=ids.DATES,
                        min_date_allowed=first,
                        max_date_allowed=last,
                        initial_visible_month=first,
                        start_date=first,
                        end_date=last,
                        display_format="D MMM YYYY",
                        start_date_placeholder_text="From",
                        end_date_placeholder_text="To",
                        first_day_of_week=1,
                        updatemode="bothdates",
                    ),
                ],
            ),
            html.Div(
                className="filter filter-people",
                children=[
                    html.Label("People", htmlFor=ids.PEOPLE, className="filter-label"),
                    dcc.Dropdown(
                        id=ids.PEOPLE,
                        options=people_options(corpus),
                        multi=True,
                        placeholder="Everyone (type a name or codename)"
                        if corpus.people[CODENAME].ne("").any()
                        else "Everyone (type a name)",
                    ),
                ],
            ),
            html.Fieldset(
                className="filter",
                # One kind (an edition of letters) leaves nothing to choose.
                hidden=len(corpus.kinds) < 2,
                children=[
                    html.Legend("Kind of message", className="filter-label"),
                    dcc.Checklist(
                        id=ids.KINDS,
                        options=[{"label": kind, "value": kind} for kind in corpus.kinds],
                        value=[],
                        inline=True,
                        className="kinds",
                    ),
                ],
            ),
            html.Fieldset(
                className="filter",
                # Only a corpus whose documents use other names (codenames) has the choice.
                hidden=not corpus.people[CODENAME].ne("").any(),
                children=[
                    html.Legend("Show people by", className="filter-label"),
                    dcc.RadioItems(
                        id=ids.NAMES,
                        options=[
                            {"label": "who they were", "value": NAMES_REAL},
                            {"label": "names in the documents", "value": NAMES_CODENAME},
                        ],
                        value=NAMES_REAL,
                        inline=True,
                    ),
                ],
            ),
            html.Div(
                className="filter filter-labels",
                # A corpus whose people all fit on the network by name has nothing to set.
                hidden=len(corpus.people) <= DEFAULT_LABELS,
                children=[
                    html.Label(
                        "Names on the network", htmlFor=ids.LABELS, className="filter-label"
                    ),
                    dcc.Input(
                        id=ids.LABELS,
                        type="number",
                        min=0,
                        max=MAX_LABELS,
                        step=1,
                        value=DEFAULT_LABELS,
                        # The network is redrawn when the number is entered, not per digit.
                        debounce=True,
                        inputMode="numeric",
                        className="labels-input",
                    ),
                    html.Span("the busiest first", className="filter-hint"),
                ],
            ),
            html.Div(
                className="filter filter-summary",
                children=[
                    html.P(id=ids.SUMMARY, className="summary", **{"aria-live": "polite"}),
                    html.Button("Reset", id=ids.RESET, className="button", n_clicks=0),
                ],
            ),
        ],
    )


def summary(shown: Corpus, state: ViewState, copies_recorded: bool = True) -> str:
    """'7 messages, 22 copies, 10 - 15 Jan 1949 · People: Iosif Stalin'."""
    count = len(shown.messages)
    copies = int(shown.copies[COPIES].sum())
    counted = f"{count:,} message{'s' if count != 1 else ''}, "
    # A corpus that records no distribution copies is not told it has none of them.
    if copies_recorded:
        counted += f"{copies:,} cop{'y' if copies == 1 else 'ies'}, "
    parts = [counted + describe_span(state.start, state.end)]
    undated = len(shown.undated)
    if undated:
        parts.append(f"{undated:,} undated (in the records, not on the timeline)")
    if state.people:
        names = ", ".join(shown.label(p, state.codenames) for p in state.people)
        parts.append(f"People: {names}")
    if state.kinds:
        parts.append(f"Kinds: {', '.join(state.kinds)}")
    return " · ".join(parts)

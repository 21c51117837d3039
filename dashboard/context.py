"""Everything computed once at start-up: the corpus, node positions, and the views' figures."""

from __future__ import annotations

from dataclasses import dataclass

import plotly.graph_objects as go

from dashboard import figures
from dashboard.graph import LABEL_FONT_PX, layout_positions
from dashboard.model import PERSON_ID, Corpus
from dashboard.state import ViewState

PRESENTATION_FONT_PX = 22
# Projectors and the kiosk are wide and short: the network there is about this size.
PRESENTATION_SIZE_PX = (1150, 420)
VIEWS = ("network", "timeline", "flow")


@dataclass(frozen=True)
class Context:
    """The corpus and what does not depend on the user's filter."""

    corpus: Corpus
    positions: dict[str, dict[str, tuple[float, float]]]
    event_lanes: dict[str, int]

    @classmethod
    def build(cls, corpus: Corpus) -> Context:
        labels = {
            person: [corpus.label(person), corpus.label(person, codenames=True)]
            for person in corpus.people[PERSON_ID]
        }
        return cls(
            corpus=corpus,
            positions={
                "default": layout_positions(corpus, labels, font_px=LABEL_FONT_PX),
                "presentation": layout_positions(
                    corpus,
                    labels,
                    width_px=PRESENTATION_SIZE_PX[0],
                    height_px=PRESENTATION_SIZE_PX[1],
                    font_px=PRESENTATION_FONT_PX,
                ),
            },
            event_lanes=figures.event_lanes(corpus.events),
        )

    def shown(self, state: ViewState) -> Corpus:
        return state.filter(self.corpus)

    def spec(self, view: str, state: ViewState, shown: Corpus | None = None) -> dict:
        """One view's figure for a state, as the plain dict the page sends."""
        shown = self.shown(state) if shown is None else shown
        # Playback: the network and the flow grow to the day, whose own messages light up.
        until, lit = shown.played(state.day)
        last = state.day or state.end
        if view == "network":
            spec = figures.network_spec(
                self.corpus,
                until,
                self.positions[state.look],
                state.codenames,
                lit,
                figures.no_messages_text(state.start, last),
            )
        elif view == "timeline":
            undated = self.corpus.filter(people=state.people or None, kinds=state.kinds or None)
            spec = figures.timeline_spec(
                self.corpus,
                undated,
                state.start,
                state.end,
                state.codenames,
                state.day,
                self.event_lanes,
            )
        elif view == "flow":
            spec = figures.flow_spec(self.corpus, until, state.start, last, state.codenames, lit)
        else:
            raise ValueError(f"unknown view {view!r}; choose one of {', '.join(VIEWS)}")
        if state.look == "presentation":
            spec = figures.presentation_look(spec)
        return spec

    def figure(self, view: str, state: ViewState, shown: Corpus | None = None) -> go.Figure:
        """The same figure as a plotly object: exports and embeds call this."""
        return figures.as_figure(self.spec(view, state, shown))

"""Everything computed once at start-up: the corpus, node positions, and the views' figures."""

from __future__ import annotations

from dataclasses import dataclass, field

import plotly.graph_objects as go

from dashboard import figures
from dashboard.graph import (
    CIRCLE_MAX_PEOPLE,
    LABEL_FONT_PX,
    cached_force_positions,
    layout_positions,
    node_degrees,
)
from dashboard.model import PERSON_ID, Corpus
from dashboard.state import ViewState

PRESENTATION_FONT_PX = 22
# Projectors and the kiosk are wide and short: the network there is about this size.
PRESENTATION_SIZE_PX = (1150, 420)
# A frame narrower than this (a phone, a small embed) gets the narrow look: short names,
# small type. Its network is laid out for the narrowest frame an embed promises to fill.
NARROW_BELOW_PX = 640
# The smallest chart a large network's names are fitted to outside a narrow frame: the
# network's panel on a 1280 px page, or an 800 x 500 embed. A larger chart has more room.
FITTED_SIZE_PX = (760, 460)
NARROW_SIZE_PX = (320, 300)
# Under this width the presentation look's large type needs short labels (Stalin, Politburo).
COMPACT_BELOW_PX = 1000
VIEWS = ("network", "timeline", "flow")


@dataclass(frozen=True)
class Context:
    """The corpus and what does not depend on the user's filter."""

    corpus: Corpus
    positions: dict[str, dict[str, tuple[float, float]]]
    event_lanes: dict[str, int]
    # The lanes of a compact frame, whose plot is narrower: labels need more of its days.
    compact_lanes: dict[str, int] = field(default_factory=dict)

    @classmethod
    def build(cls, corpus: Corpus) -> Context:
        # The filter's indexes: built with the rest of start-up, not in a visitor's request.
        _ = corpus.index
        return cls(
            corpus=corpus,
            positions=network_positions(corpus),
            event_lanes=figures.event_lanes(corpus.events),
            compact_lanes=figures.event_lanes(
                corpus.events, figures.COMPACT_LABEL_DAYS_PER_CHAR
            ),
        )

    def shown(self, state: ViewState) -> Corpus:
        return state.filter(self.corpus)

    def spec(
        self,
        view: str,
        state: ViewState,
        shown: Corpus | None = None,
        narrow: bool = False,
        short: bool | None = None,
        playback: tuple[Corpus, frozenset[str] | None] | None = None,
        compact: bool = False,
    ) -> dict:
        """One view's figure for a state, as the plain dict the page sends; `narrow` for a
        frame narrower than NARROW_BELOW_PX, `compact` for one narrower than
        COMPACT_BELOW_PX. `short` labels (short names, telegrams by day) come with `narrow`,
        or alone where a chart is small but its type must stay large. `playback` is
        `state.played(shown)`, for a caller that has it already."""
        short = narrow if short is None else short
        shown = self.shown(state) if shown is None else shown
        if view in ("network", "flow"):
            # Playback: they grow to the day, whose own messages light up.
            until, lit = state.played(shown) if playback is None else playback
        last = state.day or state.end
        if view == "network":
            spec = figures.network_spec(
                self.corpus,
                until,
                self.positions["narrow" if narrow else state.look],
                state.codenames,
                lit,
                figures.no_messages_text(state.start, last),
                short=short,
                chosen=state.message,
                people=state.people,
                labels=state.labels,
                frame=self.network_frame(state.look, narrow),
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
                self.compact_lanes if compact and self.compact_lanes else self.event_lanes,
                short=short,
                chosen=state.message,
            )
        elif view == "flow":
            spec = figures.flow_spec(
                self.corpus,
                until,
                state.start,
                last,
                state.codenames,
                lit,
                short=short,
                chosen=state.message,
            )
        else:
            raise ValueError(f"unknown view {view!r}; choose one of {', '.join(VIEWS)}")
        if state.look == "presentation":
            spec = figures.presentation_look(spec)
        if narrow:
            # After the presentation look: its high contrast stays, its large type cannot.
            spec = figures.narrow_look(spec, view)
        return spec

    @staticmethod
    def network_frame(look: str, narrow: bool) -> tuple[int, int, int]:
        """The smallest network chart a look is drawn in, and its type size, in px: names are
        fitted to it, so they do not meet in any larger chart."""
        if narrow:
            return (*NARROW_SIZE_PX, figures.NARROW_FONT_PX)
        if look == "presentation":
            return (*PRESENTATION_SIZE_PX, PRESENTATION_FONT_PX)
        return (*FITTED_SIZE_PX, LABEL_FONT_PX)

    def figure(
        self, view: str, state: ViewState, shown: Corpus | None = None, narrow: bool = False
    ) -> go.Figure:
        """The same figure as a plotly object: exports and embeds call this."""
        return figures.as_figure(self.spec(view, state, shown, narrow))


POSITION_DECIMALS = 4


def network_positions(corpus: Corpus) -> dict[str, dict[str, tuple[float, float]]]:
    """Each look's node positions. A small corpus sits on a circle spaced for every name at
    each look's size; a larger one has one force layout for all looks (cached on disk), and
    its names are chosen when a figure is drawn, by what fits."""
    degrees = node_degrees(corpus.messages)
    if len(degrees) > CIRCLE_MAX_PEOPLE:
        found = cached_force_positions(corpus.messages)
        # Busiest first: a view that cannot draw everyone draws the front of this order.
        order = sorted(found, key=lambda p: (-int(degrees.get(p, 0)), p))
        # Four decimals place a dot within a tenth of a pixel on any screen, and halve the
        # bytes of a figure that carries thousands of coordinates.
        positions = {
            person: (
                round(found[person][0], POSITION_DECIMALS),
                round(found[person][1], POSITION_DECIMALS),
            )
            for person in order
        }
        return {"default": positions, "presentation": positions, "narrow": positions}
    labels = {
        person: [corpus.label(person), corpus.label(person, codenames=True)]
        for person in corpus.people[PERSON_ID]
    }
    short_labels = {
        person: [corpus.label(person, short=True), corpus.label(person, True, short=True)]
        for person in corpus.people[PERSON_ID]
    }
    return {
        "default": layout_positions(corpus, labels, font_px=LABEL_FONT_PX),
        "presentation": layout_positions(
            corpus,
            labels,
            width_px=PRESENTATION_SIZE_PX[0],
            height_px=PRESENTATION_SIZE_PX[1],
            font_px=PRESENTATION_FONT_PX,
        ),
        "narrow": layout_positions(
            corpus,
            short_labels,
            width_px=NARROW_SIZE_PX[0],
            height_px=NARROW_SIZE_PX[1],
            font_px=figures.NARROW_FONT_PX,
        ),
    }

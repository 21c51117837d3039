"""The message network: legs of each message, the networkx graph, and stable node positions."""

from __future__ import annotations

import math

import networkx as nx
import pandas as pd

from dashboard.model import (
    DATE,
    LIST_SEPARATOR,
    MESSAGE_ID,
    PERSON_ID,
    RECIPIENTS,
    SENDERS,
    SIDE,
    VIA,
    Corpus,
    people_in,
)

SOURCE_NODE = "source"
TARGET_NODE = "target"
RELAYED = "relayed"
MESSAGE_IDS = "message_ids"
WEIGHT = "weight"

# The size the network figure has by default; label boxes are measured against it.
DEFAULT_WIDTH_PX = 900
DEFAULT_HEIGHT_PX = 620
LABEL_FONT_PX = 14
# Average advance of a character in the sans-serif label font, as a share of its size.
CHAR_WIDTH_EM = 0.58


def legs(messages: pd.DataFrame) -> pd.DataFrame:
    """One row per hop a message travels: each sender -> each recipient, or through `via`.

    `relayed` marks the hops of a relayed message, so the route can be drawn differently.
    Rows stay in date order. Plain Python: on a corpus this size it beats pandas tenfold.
    """
    rows = []
    columns = (MESSAGE_ID, DATE, SENDERS, VIA, RECIPIENTS)
    ordered = messages.sort_values([DATE, MESSAGE_ID])
    for message, day, senders, via, recipients in zip(*(ordered[c] for c in columns), strict=True):
        for sender in senders.split(LIST_SEPARATOR):
            for recipient in recipients.split(LIST_SEPARATOR):
                hops = [(sender, via), (via, recipient)] if via else [(sender, recipient)]
                rows.extend((message, day, a, b, bool(via)) for a, b in hops)
    table = pd.DataFrame(rows, columns=[MESSAGE_ID, DATE, SOURCE_NODE, TARGET_NODE, RELAYED])
    # Several senders relayed through one person share the leg to the recipient: once each.
    return table.drop_duplicates(ignore_index=True)


def edges(messages: pd.DataFrame) -> pd.DataFrame:
    """Legs grouped by (source, target, relayed): the message count and the ids behind it."""
    grouped: dict[tuple[str, str, bool], list[str]] = {}
    table = legs(messages)
    for message, source, target, relayed in zip(
        table[MESSAGE_ID], table[SOURCE_NODE], table[TARGET_NODE], table[RELAYED], strict=True
    ):
        grouped.setdefault((source, target, bool(relayed)), []).append(message)
    rows = [(*key, ids, len(ids)) for key, ids in sorted(grouped.items())]
    return pd.DataFrame(rows, columns=[SOURCE_NODE, TARGET_NODE, RELAYED, MESSAGE_IDS, WEIGHT])


def message_graph(corpus: Corpus) -> nx.MultiDiGraph:
    """People as nodes (with their attributes), one edge per leg of every message."""
    graph = nx.MultiDiGraph()
    involved = people_in(corpus.messages)
    for _, person in corpus.people[corpus.people[PERSON_ID].isin(involved)].iterrows():
        graph.add_node(person[PERSON_ID], **{k: _plain(v) for k, v in person.items()})
    for _, leg in legs(corpus.messages).iterrows():
        graph.add_edge(
            leg[SOURCE_NODE],
            leg[TARGET_NODE],
            key=f"{leg[MESSAGE_ID]}:{leg[SOURCE_NODE]}",
            **{MESSAGE_ID: leg[MESSAGE_ID], DATE: leg[DATE], RELAYED: bool(leg[RELAYED])},
        )
    return graph


def _plain(value: object) -> object:
    """numpy scalars to Python ones, so graph attributes serialise anywhere."""
    return value.item() if hasattr(value, "item") else value


def node_degrees(messages: pd.DataFrame) -> pd.Series:
    """Messages each person sent, received or relayed: the size of their node."""
    people = pd.concat(
        [
            messages[SENDERS].str.split(LIST_SEPARATOR).explode(),
            messages[RECIPIENTS].str.split(LIST_SEPARATOR).explode(),
            messages[VIA],
        ]
    )
    return people[people != ""].value_counts()


def layout_positions(
    corpus: Corpus,
    labels: dict[str, list[str]],
    width_px: int = DEFAULT_WIDTH_PX,
    height_px: int = DEFAULT_HEIGHT_PX,
    font_px: int = LABEL_FONT_PX,
) -> dict[str, tuple[float, float]]:
    """Positions in [0, 1] for every person in the whole corpus, computed once at start-up.

    People sit on a circle in arcs by side, sides ordered so that those who wrote to each
    other most are neighbours (the heaviest lines stay short), the busiest person of each
    side first. Label boxes are then pushed apart until none overlaps at the default size.
    `labels` gives every label a node may show (name and codename); the longest counts.
    """
    degrees = node_degrees(corpus.messages)
    if degrees.empty:
        return {}
    sides = corpus.people.set_index(PERSON_ID)[SIDE].to_dict()
    order = _side_order(corpus, degrees, sides)
    nodes = [
        person
        for side in order
        for person in sorted(
            (p for p in degrees.index if sides[p] == side), key=lambda p: (-degrees[p], p)
        )
    ]
    positions = {}
    for rank, person in enumerate(nodes):
        angle = math.pi / 2 + 2 * math.pi * rank / len(nodes)
        positions[person] = (0.5 + 0.5 * math.cos(angle), 0.5 + 0.5 * math.sin(angle))
    boxes = {
        node: label_box(max(labels.get(node, [node]), key=len), width_px, height_px, font_px)
        for node in positions
    }
    return _fit(positions, boxes)


def _side_order(corpus: Corpus, degrees: pd.Series, sides: dict[str, str]) -> list[str]:
    """Sides around the circle: the busiest first, then each time the one most tied to the last."""
    ties: dict[frozenset[str], int] = {}
    for _, edge in edges(corpus.messages).iterrows():
        pair = frozenset((sides[edge[SOURCE_NODE]], sides[edge[TARGET_NODE]]))
        if len(pair) == 2:
            ties[pair] = ties.get(pair, 0) + int(edge[WEIGHT])
    volume = degrees.groupby(degrees.index.map(sides)).sum()
    remaining = sorted(volume.index, key=lambda side: (-volume[side], side))
    order = [remaining.pop(0)]
    while remaining:
        # Ties to the first side count too: the circle closes on it.
        best = max(
            remaining,
            key=lambda s: (
                ties.get(frozenset((order[-1], s)), 0) + ties.get(frozenset((order[0], s)), 0) / 2,
                volume[s],
                s,
            ),
        )
        remaining.remove(best)
        order.append(best)
    return order


def label_box(text: str, width_px: int, height_px: int, font_px: int) -> tuple[float, float]:
    """Half-width and half-height, in [0, 1] plot units, of a node's marker and its label."""
    text_px = len(text) * font_px * CHAR_WIDTH_EM
    return (max(text_px, 40) / 2 / width_px, (font_px * 1.3 + 36) / 2 / height_px)


def _fit(
    positions: dict[str, tuple[float, float]], boxes: dict[str, tuple[float, float]]
) -> dict[str, tuple[float, float]]:
    """Separate the boxes, then scale everything into [0, 1] so boxes keep their pixel size.

    Pushing boxes apart widens the drawing, and scaling it back shrinks every box in plot
    units, so boxes are inflated by the span they will be scaled by until the span settles.
    """
    span = (1.0, 1.0)
    for _ in range(50):
        inflated = {n: (w * span[0], h * span[1]) for n, (w, h) in boxes.items()}
        positions = _separate(positions, inflated)
        low = [min(positions[n][i] - inflated[n][i] for n in positions) for i in (0, 1)]
        high = [max(positions[n][i] + inflated[n][i] for n in positions) for i in (0, 1)]
        extent = (high[0] - low[0], high[1] - low[1])
        settled = all(abs(extent[i] - span[i]) < 1e-4 for i in (0, 1))
        span = extent
        if settled:
            break
    return {
        n: ((x - low[0]) / extent[0], (y - low[1]) / extent[1]) for n, (x, y) in positions.items()
    }


def _separate(
    positions: dict[str, tuple[float, float]], boxes: dict[str, tuple[float, float]]
) -> dict[str, tuple[float, float]]:
    """Push apart every pair of overlapping label boxes, along the axis where they overlap least."""
    pos = {n: list(p) for n, p in positions.items()}
    nodes = sorted(pos)
    for _ in range(500):
        moved = False
        for i, a in enumerate(nodes):
            for b in nodes[i + 1 :]:
                overlap_x = boxes[a][0] + boxes[b][0] - abs(pos[a][0] - pos[b][0])
                overlap_y = boxes[a][1] + boxes[b][1] - abs(pos[a][1] - pos[b][1])
                if overlap_x <= 0 or overlap_y <= 0:
                    continue
                moved = True
                axis = 0 if overlap_x < overlap_y else 1
                push = (overlap_x if axis == 0 else overlap_y) / 2 + 1e-3
                direction = 1 if pos[a][axis] >= pos[b][axis] else -1
                pos[a][axis] += direction * push
                pos[b][axis] -= direction * push
        if not moved:
            break
    return {n: (x, y) for n, (x, y) in pos.items()}


def boxes_overlap(
    positions: dict[str, tuple[float, float]], boxes: dict[str, tuple[float, float]]
) -> list[tuple[str, str]]:
    """Pairs of nodes whose label boxes overlap (what the layout promises never to return)."""
    nodes = sorted(positions)
    return [
        (a, b)
        for i, a in enumerate(nodes)
        for b in nodes[i + 1 :]
        if abs(positions[a][0] - positions[b][0]) < boxes[a][0] + boxes[b][0]
        and abs(positions[a][1] - positions[b][1]) < boxes[a][1] + boxes[b][1]
    ]

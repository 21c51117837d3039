"""The message network: legs of each message, the networkx graph, and stable node positions."""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Mapping

import networkx as nx
import numpy as np
import pandas as pd

from dashboard import cache
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
# Up to this many people a corpus is drawn on a circle with every name (the bundled one has
# 12); beyond it, by a force layout with the names that fit.
CIRCLE_MAX_PEOPLE = 40
# The force layout moves this many of the busiest people; each of the others is set beside
# the correspondent they wrote with most, so the cost stays flat whatever the corpus's size.
LAYOUT_CORE = 300
LAYOUT_ITERATIONS = 60
LAYOUT_SEED = 1949
# Bump when the layout's rules change, so that positions cached by older rules are not read.
LAYOUT_VERSION = 2


def legs(messages: pd.DataFrame) -> pd.DataFrame:
    """One row per hop a message travels: each sender -> each recipient, or through `via`.

    `relayed` marks the hops of a relayed message, so the route can be drawn differently.
    Rows stay in date order. Plain Python: on a corpus this size it beats pandas tenfold.
    """
    rows = []
    columns = (MESSAGE_ID, DATE, SENDERS, VIA, RECIPIENTS)
    ordered = messages.sort_values([DATE, MESSAGE_ID])
    # Lists, not the columns: iterating a pandas string array costs ten times as much.
    values = (ordered[c].tolist() for c in columns)
    for message, day, senders, via, recipients in zip(*values, strict=True):
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
    columns = (MESSAGE_ID, SOURCE_NODE, TARGET_NODE, RELAYED)
    for message, source, target, relayed in zip(*(table[c].tolist() for c in columns), strict=True):
        grouped.setdefault((source, target, bool(relayed)), []).append(message)
    rows = [(*key, ids, len(ids)) for key, ids in sorted(grouped.items())]
    return pd.DataFrame(rows, columns=[SOURCE_NODE, TARGET_NODE, RELAYED, MESSAGE_IDS, WEIGHT])


def edges_of(corpus: Corpus) -> pd.DataFrame:
    """`edges(corpus.messages)`, kept with the corpus: the chart, its text alternative and
    the next request for the same filter share it. A filtered corpus, or playback's letters
    sent by a day, cuts them from the edges of the corpus it was cut from (edges_within)
    instead of walking its letters."""
    return corpus.memo("edges", _edges)


def _edges(corpus: Corpus) -> pd.DataFrame:
    origin = corpus.subset_of()
    return edges(corpus.messages) if origin is None else edges_within(*origin)


def edges_within(corpus: Corpus, positions: np.ndarray) -> pd.DataFrame:
    """`edges` of the letters at `positions` of `corpus`: each edge keeps those of its
    letters that are among them (in the order it lists them), counted without a walk."""
    table = edges_of(corpus)
    letters, owners = corpus.memo("edge letters", _edge_letters)
    chosen = np.zeros(len(corpus.messages), dtype=bool)
    chosen[positions] = True
    kept_letters = chosen[letters]
    counts = np.bincount(owners[kept_letters], minlength=len(table))
    kept = counts > 0
    cut = table[kept].copy()
    lists, kept_counts = cut[MESSAGE_IDS].tolist(), counts[kept]
    # An edge that keeps all its letters keeps its list (read only, never changed); the
    # others take a slice of the flat array, edge by edge as it is ordered: a view, not a
    # copy (a list a line cost 0.7 s at 10^6 letters). Readers only iterate, count, slice
    # and join them.
    ids = corpus.messages[MESSAGE_ID].to_numpy(dtype=object)[letters[kept_letters]]
    ends = np.cumsum(kept_counts)
    column = np.empty(len(lists), dtype=object)
    for row, (listed, n, end) in enumerate(
        zip(lists, kept_counts.tolist(), ends.tolist(), strict=True)
    ):
        column[row] = listed if n == len(listed) else ids[end - n : end]
    cut[MESSAGE_IDS] = column
    cut[WEIGHT] = kept_counts
    return cut.reset_index(drop=True)


def _edge_letters(corpus: Corpus) -> tuple[np.ndarray, np.ndarray]:
    """The position in `corpus.messages` of every letter of every edge, flat and in the
    edges' order, and the edge each belongs to."""
    lists = edges_of(corpus)[MESSAGE_IDS].tolist()
    position = {m: i for i, m in enumerate(corpus.messages[MESSAGE_ID].tolist())}
    owners = np.repeat(np.arange(len(lists)), [len(ids) for ids in lists])
    letters = np.fromiter(
        (position[m] for ids in lists for m in ids), dtype=np.int64, count=len(owners)
    )
    return letters, owners


def degrees_of(corpus: Corpus) -> pd.Series:
    """`node_degrees(corpus.messages)`, from the table of parties (split once, at load),
    kept with the corpus."""
    return corpus.memo("degrees", lambda c: c.parties[PERSON_ID].value_counts())


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


# --- the layout of a large corpus ---------------------------------------------------------


def pair_weights(messages: pd.DataFrame) -> dict[tuple[str, str], int]:
    """Letters between each pair of people, either way, relayed hops included: (a, b) with
    a < b. What the layout pulls together."""
    several = (
        messages[SENDERS].str.contains(LIST_SEPARATOR, regex=False)
        | messages[RECIPIENTS].str.contains(LIST_SEPARATOR, regex=False)
        | (messages[VIA] != "")
    )
    # Most letters go from one person to one other: those are counted as arrays, and only
    # the few with several parties or a relay are split into their legs.
    simple = messages[~several]
    hops = legs(messages[several])
    sources = pd.concat([simple[SENDERS], hops[SOURCE_NODE]], ignore_index=True)
    targets = pd.concat([simple[RECIPIENTS], hops[TARGET_NODE]], ignore_index=True)
    codes, names = pd.factorize(pd.concat([sources, targets], ignore_index=True), sort=True)
    a, b = codes[: len(sources)], codes[len(sources) :]
    low, high = np.minimum(a, b), np.maximum(a, b)
    keep = low != high
    pair_codes, counts = np.unique(low[keep] * len(names) + high[keep], return_counts=True)
    return {
        (names[code // len(names)], names[code % len(names)]): int(n)
        for code, n in zip(pair_codes.tolist(), counts.tolist(), strict=True)
    }


def force_positions(
    degrees: Mapping[str, int], pairs: Mapping[tuple[str, str], int]
) -> dict[str, tuple[float, float]]:
    """Positions in [0, 1] for everyone in `degrees`, the same on every run.

    The LAYOUT_CORE busiest people are laid out by networkx's spring layout (seeded, with a
    bounded number of iterations); everyone else joins, busiest first, beside the placed
    person they exchanged most letters with, on a small sunflower spiral around them. A
    group that never wrote to anyone placed starts on a ring outside the drawing.
    """
    ranked = sorted(degrees, key=lambda p: (-degrees[p], p))
    if not ranked:
        return {}
    core = set(ranked[:LAYOUT_CORE])
    graph = nx.Graph()
    graph.add_nodes_from(sorted(core))
    # Logarithmic pull: a pair of 400 letters must not swallow everyone else's distances.
    graph.add_weighted_edges_from(
        (a, b, 1 + math.log(n)) for (a, b), n in sorted(pairs.items()) if a in core and b in core
    )
    if len(core) == 1:
        placed = {ranked[0]: (0.0, 0.0)}
    else:
        layout = nx.spring_layout(graph, iterations=LAYOUT_ITERATIONS, seed=LAYOUT_SEED)
        placed = {p: (float(x), float(y)) for p, (x, y) in layout.items()}
    if len(placed) < len(ranked):
        _place_the_rest(placed, ranked, pairs)
    return _unit_square(placed)


def _place_the_rest(
    placed: dict[str, tuple[float, float]],
    ranked: list[str],
    pairs: Mapping[tuple[str, str], int],
) -> None:
    """Each person not yet placed goes beside their strongest placed tie, busiest first."""
    ties: dict[str, dict[str, int]] = {}
    for (a, b), n in pairs.items():
        ties.setdefault(a, {})[b] = n
        ties.setdefault(b, {})[a] = n
    rank = {p: i for i, p in enumerate(ranked)}
    xs = [x for x, _ in placed.values()]
    ys = [y for _, y in placed.values()]
    centre = (sum(xs) / len(xs), sum(ys) / len(ys))
    radius = max(math.hypot(x - centre[0], y - centre[1]) for x, y in placed.values()) or 1.0
    # Satellites sit closer than the core's people sit to each other, and spread out from
    # the centre of their anchor in a sunflower so that none lands on another.
    step = radius * 0.9 / math.sqrt(len(placed) + 1)
    satellites: dict[str, int] = {}
    outside = 0
    waiting = [p for p in ranked if p not in placed]
    while waiting:
        left = []
        for person in waiting:
            known = [(n, -rank[o], o) for o, n in ties.get(person, {}).items() if o in placed]
            if not known:
                left.append(person)
                continue
            anchor = max(known)[2]
            k = satellites.get(anchor, 0)
            satellites[anchor] = k + 1
            angle = k * GOLDEN_ANGLE
            distance = step * math.sqrt(k + 1)
            ax, ay = placed[anchor]
            placed[person] = (ax + distance * math.cos(angle), ay + distance * math.sin(angle))
        if len(left) == len(waiting):
            # No one left has a placed correspondent: their group starts outside the rest.
            first = left.pop(0)
            angle = outside * GOLDEN_ANGLE
            outside += 1
            placed[first] = (
                centre[0] + radius * 1.15 * math.cos(angle),
                centre[1] + radius * 1.15 * math.sin(angle),
            )
        waiting = left


GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))


def _unit_square(positions: dict[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
    """Scaled into [0, 1] on each axis, rounded so that a cached file reads back equal."""
    xs = [x for x, _ in positions.values()]
    ys = [y for _, y in positions.values()]
    low_x, low_y = min(xs), min(ys)
    span_x, span_y = (max(xs) - low_x) or 1.0, (max(ys) - low_y) or 1.0
    return {
        p: (round((x - low_x) / span_x, 5), round((y - low_y) / span_y, 5))
        for p, (x, y) in positions.items()
    }


def layout_key(degrees: Mapping[str, int], pairs: Mapping[tuple[str, str], int]) -> str:
    """A hash of what the layout depends on: its rules, the people and the letters between them."""
    digest = hashlib.sha256(f"layout {LAYOUT_VERSION} {LAYOUT_CORE} {LAYOUT_ITERATIONS}".encode())
    for person in sorted(degrees):
        digest.update(f"\n{person}\t{degrees[person]}".encode())
    for (a, b), n in sorted(pairs.items()):
        digest.update(f"\n{a}\t{b}\t{n}".encode())
    return digest.hexdigest()[:32]


def cached_force_positions(messages: pd.DataFrame) -> dict[str, tuple[float, float]]:
    """force_positions for these letters, read from the cache when an earlier run laid out
    the same people and pairs, and written there otherwise. A cache that cannot be read is
    computed again; one that cannot be written is left alone: neither stops the app."""
    degrees = {p: int(n) for p, n in node_degrees(messages).items()}
    pairs = pair_weights(messages)
    name = f"layout-{layout_key(degrees, pairs)}.json"
    try:
        stored = json.loads(cache.read(name) or b"null")
        positions = {p: (float(x), float(y)) for p, (x, y) in stored.items()}
        if positions.keys() == degrees.keys():
            return positions
    except (ValueError, TypeError, AttributeError):
        pass
    positions = force_positions(degrees, pairs)
    cache.write(name, json.dumps(positions).encode("utf-8"))
    return positions


# --- which names fit --------------------------------------------------------------------


# The labels' grid cells, in px: about a short name's width, so a box touches few cells.
LABEL_CELL_PX = 80
# Room kept clear around each label, in px.
LABEL_PAD_PX = 2


def fit_labels(
    ranked: Iterable[str],
    positions: Mapping[str, tuple[float, float]],
    texts: Mapping[str, str],
    radii_px: Mapping[str, float],
    to_px: tuple[float, float, float, float],
    font_px: int,
    limit: int,
    within: tuple[float, float] | None = None,
) -> dict[str, str]:
    """Which of `ranked` (most important first) get their name, and on which side.

    A greedy pass in pixel space: each name goes on its node's outer side (above in the
    upper half, below in the lower, as on the circle), or on the other if that is taken,
    when its box and its node's mark meet no name or named mark placed before and the box
    stays `within` the plot's (width, height);
    up to `limit` names. `to_px` is (x scale, x offset, y scale, y offset) from data units
    to the plot's pixels, y upward. Returns person -> 'top center' or 'bottom center',
    plotly's textposition.
    """
    scale_x, offset_x, scale_y, offset_y = to_px
    grid: dict[tuple[int, int], list[tuple[float, float, float, float]]] = {}
    chosen: dict[str, str] = {}
    for person in ranked:
        if len(chosen) >= limit:
            break
        x = positions[person][0] * scale_x + offset_x
        y = positions[person][1] * scale_y + offset_y
        half = len(texts[person]) * font_px * CHAR_WIDTH_EM / 2 + LABEL_PAD_PX
        height = font_px * 1.3 + LABEL_PAD_PX
        gap = radii_px[person] + 1
        sides = ("top center", "bottom center")
        if positions[person][1] <= 0.5:
            sides = sides[::-1]
        for side in sides:
            bottom = y + gap if side == "top center" else y - gap - height
            box = (x - half, bottom, x + half, bottom + height)
            if within and not (
                box[0] >= 0 and box[1] >= 0 and box[2] <= within[0] and box[3] <= within[1]
            ):
                continue
            cells = _cells(box)
            if any(_meets(box, other) for cell in cells for other in grid.get(cell, ())):
                continue
            # The named node's own mark is kept clear too: a later name must not cover it.
            mark = (x - gap, y - gap, x + gap, y + gap)
            if any(_meets(mark, other) for cell in _cells(mark) for other in grid.get(cell, ())):
                continue
            for placed in (box, mark):
                for cell in _cells(placed):
                    grid.setdefault(cell, []).append(placed)
            chosen[person] = side
            break
    return chosen


def label_boxes_px(
    chosen: Mapping[str, str],
    positions: Mapping[str, tuple[float, float]],
    texts: Mapping[str, str],
    radii_px: Mapping[str, float],
    to_px: tuple[float, float, float, float],
    font_px: int,
) -> dict[str, tuple[float, float, float, float]]:
    """The box each chosen name takes, in px (left, bottom, right, top), without padding."""
    scale_x, offset_x, scale_y, offset_y = to_px
    boxes = {}
    for person, side in chosen.items():
        x = positions[person][0] * scale_x + offset_x
        y = positions[person][1] * scale_y + offset_y
        half = len(texts[person]) * font_px * CHAR_WIDTH_EM / 2
        height = font_px * 1.3
        gap = radii_px[person] + 1
        bottom = y + gap if side == "top center" else y - gap - height
        boxes[person] = (x - half, bottom, x + half, bottom + height)
    return boxes


def _cells(box: tuple[float, float, float, float]) -> list[tuple[int, int]]:
    left, bottom, right, top = (int(v // LABEL_CELL_PX) for v in box)
    return [(i, j) for i in range(left, right + 1) for j in range(bottom, top + 1)]


def _meets(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]

"""The network of a large corpus: a seeded, cached layout, names that fit, the labels= link."""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from itertools import combinations
from statistics import median

import plotly.graph_objects as go
import pytest
from factory import write_corpus

from dashboard import figures, graph
from dashboard.context import FITTED_SIZE_PX, Context
from dashboard.figures import large_plot_px, network_spec, node_size
from dashboard.graph import (
    LABEL_FONT_PX,
    cached_force_positions,
    fit_labels,
    force_positions,
    label_boxes_px,
    node_degrees,
    pair_weights,
)
from dashboard.model import load_corpus
from dashboard.state import DEFAULT_LABELS, MAX_LABELS, ViewState

SYLLABLES = ["ka", "lo", "mi", "ren", "sa", "tu", "vel", "or", "an", "ber", "dom", "hel"]


def made_up_corpus(folder, people: int, letters: int, seed: int = 9):
    """`people` made-up correspondents and `letters` letters among them, heavy-tailed as an
    edition is: a few write most of the letters, most people write one or two."""
    rng = random.Random(seed)
    names: set[str] = set()
    while len(names) < people:
        names.add(
            " ".join(
                "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
                for _ in range(2)
            )
        )
    cast = [{"person_id": f"p{i:04d}", "name": name} for i, name in enumerate(sorted(names))]
    weights = [1 / (i + 1) for i in range(people)]
    rows = []
    for number in range(letters):
        # Everyone writes at least once; then the busy write most.
        sender = cast[number]["person_id"] if number < people else None
        sender = sender or rng.choices(cast, weights)[0]["person_id"]
        recipient = sender
        while recipient == sender:
            recipient = rng.choices(cast, weights)[0]["person_id"]
        rows.append(
            {
                "message_id": f"m{number}",
                "date": (date(1949, 1, 1) + timedelta(days=rng.randrange(150))).isoformat(),
                "sender": sender,
                "recipient": recipient,
                "title": f"Letter {number}",
            }
        )
    return load_corpus(write_corpus(folder, people=cast, messages=rows, copies=[], events=[]))


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    return made_up_corpus(tmp_path_factory.mktemp("large"), people=2000, letters=6000)


@pytest.fixture(scope="module")
def large_context(large, tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
        return Context.build(large)


def degrees_and_pairs(corpus):
    degrees = {p: int(n) for p, n in node_degrees(corpus.messages).items()}
    return degrees, pair_weights(corpus.messages)


# --- the layout ---------------------------------------------------------------------------


def test_force_layout_is_the_same_on_every_run_and_fills_the_square(large):
    degrees, pairs = degrees_and_pairs(large)
    first = force_positions(degrees, pairs)
    assert first == force_positions(degrees, pairs)
    assert first.keys() == degrees.keys() and len(first) == 2000
    xs, ys = [x for x, _ in first.values()], [y for _, y in first.values()]
    assert min(xs) == min(ys) == 0 and max(xs) == max(ys) == 1
    # Hardly anybody lands on anybody: a sunflower round each correspondent spreads them.
    assert len(set(first.values())) >= 0.99 * len(first)


def test_everyone_beyond_the_core_sits_beside_their_main_correspondent(large):
    degrees, pairs = degrees_and_pairs(large)
    positions = force_positions(degrees, pairs)
    core = sorted(degrees, key=lambda p: (-degrees[p], p))[: graph.LAYOUT_CORE]
    spread = max(
        ((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) ** 0.5
        for a, b in combinations([positions[p] for p in core[:50]], 2)
    )
    # Someone outside the core who wrote with one person only is placed near them.
    ties = {}
    for a, b in pairs:
        ties.setdefault(a, []).append(b)
        ties.setdefault(b, []).append(a)
    lone = [p for p in degrees if p not in core and len(ties[p]) == 1]
    assert len(lone) > 100
    apart = [
        (
            (positions[p][0] - positions[ties[p][0]][0]) ** 2
            + (positions[p][1] - positions[ties[p][0]][1]) ** 2
        )
        ** 0.5
        for p in lone
    ]
    # A busy correspondent's circle of one-letter people can be wide; most sit close.
    assert median(apart) < spread / 4


def test_pair_weights_count_letters_either_way_and_relayed_hops(tmp_path):
    corpus = load_corpus(write_corpus(tmp_path))
    # a and c go stalin -> mao (c through terebin), b and d come back.
    assert pair_weights(corpus.messages) == {
        ("mao", "stalin"): 3,
        ("stalin", "terebin"): 1,
        ("mao", "terebin"): 1,
    }


def test_positions_are_cached_and_read_back(large, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    first = cached_force_positions(large.messages)
    (stored,) = (tmp_path / "dispatches").glob("layout-*.json")
    assert {p: tuple(xy) for p, xy in json.loads(stored.read_text()).items()} == first

    def laid_out_again(*args):
        raise AssertionError("the cached positions were not read")

    monkeypatch.setattr(graph, "force_positions", laid_out_again)
    assert cached_force_positions(large.messages) == first
    # Other letters, other key: the cache is not read for a different corpus.
    with pytest.raises(AssertionError, match="not read"):
        cached_force_positions(large.messages.iloc[:-1])


def test_a_broken_or_unwritable_cache_only_costs_the_layout(large, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    expected = cached_force_positions(large.messages)
    (stored,) = (tmp_path / "dispatches").glob("layout-*.json")
    stored.write_text("{not json")
    assert cached_force_positions(large.messages) == expected
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))  # its 'dispatches' cannot be made
    assert cached_force_positions(large.messages) == expected


def test_a_small_corpus_keeps_its_circle(tmp_path):
    corpus = load_corpus(write_corpus(tmp_path))
    context = Context.build(corpus)
    # Three layouts, each spaced for its look's names, as before.
    assert context.positions["default"] != context.positions["narrow"]


# --- the names ------------------------------------------------------------------------------

SCALE = (100.0, 0.0, 100.0, 0.0)  # one data unit is 100 px


def test_fit_labels_names_the_first_ranked_and_stops_at_the_limit():
    positions = {"a": (0.5, 0.5), "b": (0.5, 0.5), "c": (0.5, 0.5), "d": (5, 5)}
    texts = {"a": "Anna", "b": "Bert", "c": "Carl", "d": "Dora"}
    radii = dict.fromkeys(positions, 5.0)
    named = fit_labels("abcd", positions, texts, radii, SCALE, 14, limit=10)
    # Three on one spot: the first is named, the others' marks would lie under it.
    assert named == {"a": "bottom center", "d": "top center"}
    assert fit_labels("abcd", positions, texts, radii, SCALE, 14, limit=1) == {"a": "bottom center"}
    assert fit_labels("dabc", positions, texts, radii, SCALE, 14, limit=0) == {}


def test_fit_labels_keeps_names_inside_the_plot():
    positions = {"edge": (0.0, 0.5), "inside": (2.0, 0.5)}
    texts = {"edge": "A long name at the edge", "inside": "Inside"}
    radii = dict.fromkeys(positions, 4.0)
    named = fit_labels(positions, positions, texts, radii, SCALE, 14, 10, within=(300, 100))
    assert named == {"inside": "bottom center"}


def drawn_labels(spec):
    """(person, textposition) of every name a network figure draws."""
    return {
        key: trace["textposition"][i]
        for trace in spec["data"]
        if "text" in trace["mode"]
        for i, (_, key) in enumerate(trace["customdata"])
        if trace["text"][i]
    }


def boxes_of(
    spec, corpus, positions, size=(*FITTED_SIZE_PX, LABEL_FONT_PX), sides=True, radii=None
):
    """Each drawn name's box in px, in a chart of `size` (by default the one names are fitted
    to), from the figure's own text, marker sizes and positions;
    with `sides` None, the boxes every person in view would have on either side, by
    (person, side)."""
    width, height, font = size
    (plot_w, plot_h), to_px = large_plot_px(width, height)
    if sides is None:
        # The name and the size a person would have if named: their text (a dot's, in its
        # hover) and their count, sized as named nodes are.
        return {
            (key, side): box
            for trace in spec["data"]
            if (trace.get("customdata") or [[None]])[0][0] == "person"
            for i, (_, key) in enumerate(trace["customdata"])
            for side in ("top center", "bottom center")
            for box in label_boxes_px(
                {key: side},
                positions,
                {key: trace["text"][i]},
                {key: (radii or {}).get(key, 7.0)},
                to_px,
                font,
            ).values()
        }
    texts, radii, chosen = {}, {}, {}
    for trace in spec["data"]:
        if "text" not in trace["mode"]:
            continue
        for i, (_, key) in enumerate(trace["customdata"]):
            texts[key], radii[key] = trace["text"][i], trace["marker"]["size"][i] / 2
            chosen[key] = trace["textposition"][i]
            assert (trace["x"][i], trace["y"][i]) == positions[key]
    return label_boxes_px(chosen, positions, texts, radii, to_px, font), (plot_w, plot_h)


def meet(p, q):
    return p[0] < q[2] and q[0] < p[2] and p[1] < q[3] and q[1] < p[3]


def marks_px(spec, positions, size=FITTED_SIZE_PX):
    """Each person's node as (x, y, radius) in px, the radius as if named (at least 7)."""
    _, (scale_x, offset_x, scale_y, offset_y) = large_plot_px(*size[:2])
    out = {}
    for trace in spec["data"]:
        if (trace.get("customdata") or [[None]])[0][0] != "person":
            continue
        for i, (_, key) in enumerate(trace["customdata"]):
            x = positions[key][0] * scale_x + offset_x
            y = positions[key][1] * scale_y + offset_y
            named = "text" in trace["mode"]
            out[key] = (x, y, trace["marker"]["size"][i] / 2 + 1 if named else 7.0)
    return out


def overlapping(boxes):
    return [
        (a, b)
        for (a, p), (b, q) in combinations(boxes.items(), 2)
        if p[0] < q[2] and q[0] < p[2] and p[1] < q[3] and q[1] < p[3]
    ]


def test_no_two_names_meet_in_a_2000_person_network(large, large_context):
    state = ViewState.default(large)
    spec = large_context.spec("network", state)
    positions = large_context.positions["default"]
    boxes, (plot_w, plot_h) = boxes_of(spec, large, positions)
    assert 20 <= len(boxes) <= DEFAULT_LABELS
    assert overlapping(boxes) == []
    assert all(
        b[0] >= 0 and b[1] >= 0 and b[2] <= plot_w and b[3] <= plot_h for b in boxes.values()
    )
    # The busiest person is always named, and the chart says how many are.
    busiest = node_degrees(large.messages).index[0]
    assert busiest in boxes
    notes = [a["text"] for a in spec["layout"]["annotations"]]
    assert f"showing {len(boxes)} of 2,000 people by name" in notes[0]
    go.Figure(spec)  # every property is one plotly knows


def test_more_names_on_request_still_never_meet(large, large_context):
    state = ViewState.from_query("?labels=300", large)
    spec = large_context.spec("network", state)
    boxes, _ = boxes_of(spec, large, large_context.positions["default"])
    assert len(boxes) > DEFAULT_LABELS
    assert overlapping(boxes) == []


def test_presentation_names_fit_their_larger_type(large, large_context):
    from dashboard.context import PRESENTATION_FONT_PX, PRESENTATION_SIZE_PX

    spec = large_context.spec("network", ViewState.from_query("?look=presentation", large))
    size = (*PRESENTATION_SIZE_PX, PRESENTATION_FONT_PX)
    boxes, _ = boxes_of(spec, large, large_context.positions["default"], size)
    assert boxes and overlapping(boxes) == []


def test_a_large_view_draws_lines_in_a_few_svg_traces_under_the_names(large, large_context):
    spec = large_context.spec("network", ViewState.default(large))
    assert len(spec["data"]) < 15
    lines = [t for t in spec["data"] if t.get("mode") == "lines"]
    # SVG, drawn before the names: a WebGL canvas would lie over them.
    assert lines and all(t["type"] == "scatter" for t in lines)
    order = {id(t): i for i, t in enumerate(spec["data"])}
    names = [order[id(t)] for t in spec["data"] if "text" in t.get("mode", "")]
    assert names and max(order[id(t)] for t in lines) < min(names)
    # No WebGL, which not every browser has and whose canvas lies over the names.
    assert all(t["type"] == "scatter" for t in spec["data"])
    # Segments apart by None: three values a line.
    assert all(len(t["x"]) % 3 == 0 and t["x"][2::3] == [None] * (len(t["x"]) // 3) for t in lines)
    assert spec["layout"].get("annotations") and not any(
        a.get("showarrow") for a in spec["layout"]["annotations"]
    )
    # The busiest in view, up to DOTS_MAX, answer a click with their id; the busiest lines
    # open their letters.
    people = {c[1] for t in spec["data"] for c in t.get("customdata") or [] if c[0] == "person"}
    in_view = node_degrees(large.messages)
    assert people <= set(in_view.index)
    assert len(people) == min(len(in_view), figures.DOTS_MAX)
    edges = [c[1] for t in spec["data"] for c in t.get("customdata") or [] if c[0] == "edge"]
    assert edges and all(set(e.split(",")) <= set(large.messages["message_id"]) for e in edges)


def test_a_chosen_person_is_named_with_their_correspondents(large, large_context):
    person = "p0150"
    # More than `labels` asks for: a chosen person's correspondents are all named.
    state = ViewState.from_query(f"?people={person}&labels=2", large)
    shown = large_context.shown(state)
    spec = large_context.spec("network", state, shown)
    named = drawn_labels(spec)
    correspondents = set(node_degrees(shown.messages).index) - {person}
    assert person in named and len(named) > 2
    boxes, (plot_w, plot_h) = boxes_of(spec, large, large_context.positions["default"])
    assert overlapping(boxes) == []
    # A correspondent left unnamed had no room: either side of them meets a drawn name or
    # leaves the chart.
    positions = large_context.positions["default"]
    degrees = node_degrees(shown.messages)
    # As the names were fitted: each person's gap is the radius they would have if named.
    radii = {p: node_size(int(n), int(degrees.max())) / 2 for p, n in degrees.items()}
    spare = {**boxes_of(spec, large, positions, sides=None, radii=radii)}
    marks = {
        p: (x - r, y - r, x + r, y + r)
        for p, (x, y, r) in marks_px(spec, large_context.positions["default"]).items()
    }
    taken = [*boxes.values(), *(marks[p] for p in named)]
    centres = marks_px(spec, large_context.positions["default"])
    for other in correspondents - set(named):
        # The mark they would have if named, which must stay clear too.
        x, y, _ = centres[other]
        gap = radii[other] + 1
        mark = (x - gap, y - gap, x + gap, y + gap)
        if any(meet(mark, b) for b in taken):
            continue
        for side in ("top center", "bottom center"):
            box = spare[(other, side)]
            outside = box[0] < 0 or box[1] < 0 or box[2] > plot_w or box[3] > plot_h
            assert outside or any(meet(box, b) for b in taken) or any(
                box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3]
                for b in boxes.values()
            ), other
    # The busiest of everyone else are faint dots, in place, in one trace that takes no hover.
    (faint,) = [t for t in spec["data"] if t.get("name") == "people with nothing in view"]
    unseen = 2000 - len(correspondents) - 1
    assert len(faint["x"]) == min(unseen, figures.CONTEXT_DOTS_MAX)
    assert faint["hoverinfo"] == "skip"


def test_a_narrow_view_keeps_curves_arrows_and_hit_areas(large, large_context):
    state = ViewState.from_query("?people=p1500", large)
    spec = large_context.spec("network", state)
    arrows = [a for a in spec["layout"]["annotations"] if a.get("showarrow")]
    hits = [t for t in spec["data"] if (t.get("customdata") or [[None]])[0][0] == "edge"]
    # A line between two people drawn side by side is under their nodes, which take the click.
    assert arrows and 1 <= len(hits) <= len(arrows)


def test_the_bundled_corpus_names_only_as_many_as_asked():
    from dashboard.model import load_corpus as load

    context = Context.build(load())
    corpus = context.corpus
    everyone = network_spec(corpus, corpus, context.positions["default"])
    assert len(drawn_labels(everyone)) == 12  # every name, as always
    two = network_spec(corpus, corpus, context.positions["default"], labels=2)
    busiest = set(node_degrees(corpus.messages).index[:2])
    assert set(drawn_labels(two)) == busiest


# --- the link -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "labels", "warned"),
    [
        ("", DEFAULT_LABELS, False),
        ("?labels=12", 12, False),
        ("?labels=0", 0, False),
        ("?labels=%2012%20", 12, False),
        ("?labels=many", DEFAULT_LABELS, True),
        ("?labels=-3", DEFAULT_LABELS, True),
        ("?labels=4.5", DEFAULT_LABELS, True),
        ("?labels=%C2%B2", DEFAULT_LABELS, True),  # a superscript two is no number of people
        ("?labels=99999999999999999999", DEFAULT_LABELS, True),
        ("?labels=5000", MAX_LABELS, True),
    ],
)
def test_labels_parameter_is_read_safely(query, labels, warned):
    corpus = load_corpus()
    state = ViewState.from_query(query, corpus)
    assert state.labels == labels
    assert any("labels=" in w for w in state.warnings) == warned


def test_labels_parameter_round_trips():
    corpus = load_corpus()
    state = ViewState.from_query("?labels=7", corpus)
    assert state.to_query(corpus) == "?labels=7"
    assert ViewState.from_query(state.to_query(corpus), corpus) == state
    assert ViewState.default(corpus).to_query(corpus) == ""


def test_a_view_of_more_people_than_dots_draws_the_busiest_and_says_so(
    large, large_context, monkeypatch
):
    monkeypatch.setattr(figures, "DOTS_MAX", 150)
    spec = large_context.spec("network", ViewState.default(large))

    def people(mode: str) -> list[str]:
        return [
            c[1]
            for t in spec["data"]
            if t.get("mode") == mode
            for c in t.get("customdata") or []
            if c[0] == "person"
        ]

    named, unnamed = people("markers+text"), people("markers")
    assert named and unnamed and len(named) + len(unnamed) == 150
    degrees = node_degrees(large.messages)
    # Past the named, the busiest are drawn: no one left out wrote more than any drawn.
    assert max(degrees.drop(named + unnamed)) <= min(degrees[unnamed])
    notes = " ".join(a["text"] for a in spec["layout"]["annotations"])
    assert "dots for the 150 busiest" in notes

"""The message graph: legs of relayed messages, edge counts, and stable non-overlapping layout."""

from __future__ import annotations

import pandas as pd
import pytest
from factory import write_corpus

from dashboard.graph import (
    MESSAGE_IDS,
    boxes_overlap,
    edges,
    label_box,
    layout_positions,
    legs,
    message_graph,
    node_degrees,
)
from dashboard.model import load_corpus


@pytest.fixture
def corpus(tmp_path):
    return load_corpus(write_corpus(tmp_path))


def all_labels(corpus):
    return {p: [corpus.label(p), corpus.label(p, True)] for p in corpus.people["person_id"]}


def test_relayed_message_travels_two_legs(corpus):
    hops = legs(corpus.messages)
    relayed = hops[hops["message_id"] == "c"]
    assert list(zip(relayed["source"], relayed["target"], strict=True)) == [
        ("stalin", "terebin"),
        ("terebin", "mao"),
    ]
    assert relayed["relayed"].all()
    assert len(hops) == 5  # four messages, one of them in two hops


def test_edges_count_messages(corpus):
    table = edges(corpus.messages).set_index(["source", "target"])
    assert table.loc[("stalin", "mao"), "weight"] == 1
    assert table.loc[("mao", "stalin"), "weight"] == 2
    assert table.loc[("mao", "stalin"), "message_ids"] == ["b", "d"]
    assert bool(table.loc[("terebin", "mao"), "relayed"]) is True


def test_message_graph(corpus):
    graph = message_graph(corpus)
    assert set(graph.nodes) == {"stalin", "mao", "terebin"}  # copy recipients send nothing
    assert graph.number_of_edges() == 5
    assert graph.nodes["stalin"]["name"] == "Iosif Stalin"


def test_degrees_count_relays(corpus):
    assert node_degrees(corpus.messages).to_dict() == {"stalin": 4, "mao": 4, "terebin": 1}


def test_layout_is_deterministic_and_within_bounds(corpus):
    first = layout_positions(corpus, all_labels(corpus))
    assert first == layout_positions(corpus, all_labels(corpus))
    assert all(0 <= x <= 1 and 0 <= y <= 1 for x, y in first.values())


def test_bundled_labels_never_overlap_at_default_size():
    corpus = load_corpus()
    labels = all_labels(corpus)
    positions = layout_positions(corpus, labels)
    boxes = {n: label_box(max(labels[n], key=len), 900, 620, 14) for n in positions}
    assert len(positions) == 12
    assert boxes_overlap(positions, boxes) == []


def test_overlap_check_detects_overlap():
    positions = {"a": (0.5, 0.5), "b": (0.52, 0.5)}
    boxes = {"a": (0.05, 0.05), "b": (0.05, 0.05)}
    assert boxes_overlap(positions, boxes) == [("a", "b")]


def test_presentation_labels_never_overlap_at_their_size():
    from dashboard.context import PRESENTATION_FONT_PX, PRESENTATION_SIZE_PX, Context

    context = Context.build(load_corpus())
    labels = all_labels(context.corpus)
    positions = context.positions["presentation"]
    width, height = PRESENTATION_SIZE_PX
    boxes = {
        n: label_box(max(labels[n], key=len), width, height, PRESENTATION_FONT_PX)
        for n in positions
    }
    assert boxes_overlap(positions, boxes) == []


def test_narrow_short_labels_never_overlap_at_their_size():
    from dashboard.context import NARROW_SIZE_PX, Context
    from dashboard.figures import NARROW_FONT_PX

    context = Context.build(load_corpus())
    corpus = context.corpus
    positions = context.positions["narrow"]
    width, height = NARROW_SIZE_PX
    labels = {
        p: [corpus.label(p, short=True), corpus.label(p, True, short=True)] for p in positions
    }
    boxes = {
        n: label_box(max(labels[n], key=len), width, height, NARROW_FONT_PX) for n in positions
    }
    assert len(positions) == 12
    assert boxes_overlap(positions, boxes) == []


@pytest.mark.parametrize("count", [0, 600])
@pytest.mark.parametrize("day", ["1949-01-14", "1949-03-01", "1800-01-01", "1949-05-31"])
def test_playback_edges_cut_from_the_whole_are_the_edges_of_its_letters(count, day, tmp_path):
    from benchmarks.made_up import FOUR_MONTHS, letters

    from dashboard.corpora import open_corpus
    from dashboard.formats import cmif
    from dashboard.graph import edges_of
    from dashboard.letters import Metadata

    if count:
        path = tmp_path / "letters.xml"
        cmif.write(Metadata(title="Made-up"), letters(count, span=FOUR_MONTHS), path)
        corpus = open_corpus(path)[0]
    else:
        corpus = load_corpus()
    until = corpus.until(pd.Timestamp(day))
    expected = edges(until.messages).reset_index(drop=True)
    assert until.subset_of() is not None
    pd.testing.assert_frame_equal(as_lists(edges_of(until)), expected, check_dtype=False)


@pytest.mark.parametrize(
    "cut",
    [
        {"start": "1949-02-01", "end": "1949-03-15"},
        {"people": ("p1", "p7")},
        {"start": "1949-01-20", "end": "1949-04-30", "people": ("p2",)},
        {"start": "1700-01-01", "end": "1700-12-31"},
    ],
)
def test_filtered_edges_cut_from_the_whole_are_the_edges_of_its_letters(cut, tmp_path):
    """A filter's network is cut from the whole corpus's edges by counting: it must list the
    same edges, weights and letters (in date order) as a walk over the filter's letters,
    and so must playback within the filter, cut from the filter's edges in turn."""
    from benchmarks.made_up import FOUR_MONTHS, letters

    from dashboard.corpora import open_corpus
    from dashboard.formats import cmif
    from dashboard.graph import edges_of
    from dashboard.letters import Metadata

    path = tmp_path / "letters.xml"
    cmif.write(Metadata(title="Made-up"), letters(800, span=FOUR_MONTHS), path)
    corpus = open_corpus(path)[0]
    people = cut.get("people")
    if people:
        busiest = corpus.parties["person_id"].value_counts().index
        cut = {**cut, "people": tuple(busiest[int(p[1:])] for p in people)}
    edges_of(corpus)
    shown = corpus.filter(**cut)
    assert shown.subset_of() is not None
    expected = edges(shown.messages).reset_index(drop=True)
    pd.testing.assert_frame_equal(as_lists(edges_of(shown)), expected, check_dtype=False)
    until = shown.until(pd.Timestamp("1949-03-01"))
    expected = edges(until.messages).reset_index(drop=True)
    pd.testing.assert_frame_equal(as_lists(edges_of(until)), expected, check_dtype=False)


def as_lists(table: pd.DataFrame) -> pd.DataFrame:
    """Edges with each line's letters as a list: a cut keeps slices of an array instead."""
    return table.assign(**{MESSAGE_IDS: [list(ids) for ids in table[MESSAGE_IDS]]})

"""The guided story: the bundled steps, and every way a story file can be wrong."""

from __future__ import annotations

import pandas as pd
import pytest
from factory import write_corpus, write_csv

from dashboard.model import CorpusError, load_corpus

STORY_COLUMNS = ["step", "title", "start", "end", "people", "text", "archive_refs", "source"]
STEPS = [
    {
        "step": "1",
        "title": "Opening",
        "start": "1949-01-10",
        "end": "1949-01-12",
        "people": "stalin;mao",
        "text": "Two telegrams.",
        "archive_refs": "ref-a; ref-b",
    },
    {
        "step": "2",
        "title": "Relay",
        "start": "1949-01-28",
        "end": "1949-01-28",
        "people": "terebin",
        "text": "One relayed telegram.",
    },
]


def story_corpus(tmp_path, steps):
    write_corpus(tmp_path)
    write_csv(tmp_path / "story.csv", steps, STORY_COLUMNS)
    return tmp_path


def problems(tmp_path, steps) -> list[str]:
    with pytest.raises(CorpusError) as caught:
        load_corpus(story_corpus(tmp_path, steps))
    return [str(p) for p in caught.value.problems]


def test_bundled_story_walks_the_episode():
    story = load_corpus().story
    assert 6 <= len(story) <= 10
    assert list(story["step"]) == list(range(1, len(story) + 1))
    titles = " ".join(story["title"]).lower()
    for moment in ("peace offer", "terebin", "andreev", "mikoyan", "yangtze", "26 may"):
        assert moment in titles, moment
    # The references are the archive's, as the messages print them.
    assert "RGASPI F. 558 Op. 11 D. 331 L. 074-077" in story["archive_refs"].iloc[-1]
    assert story["start"].is_monotonic_increasing
    assert (story["end"] >= story["start"]).all()


def test_story_is_typed(tmp_path):
    story = load_corpus(story_corpus(tmp_path, STEPS)).story
    assert story["step"].dtype == "int64"
    assert story["start"].iloc[1] == pd.Timestamp("1949-01-28")
    assert story["people"].iloc[0] == "stalin;mao"


def test_corpus_without_story_has_none(tmp_path):
    assert load_corpus(write_corpus(tmp_path)).story.empty


def test_lone_messages_file_never_borrows_the_bundled_story(tmp_path):
    write_corpus(tmp_path)
    assert load_corpus(tmp_path / "messages.csv").story.empty


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"step": "3"}, "row 3, column 'step': step 3 should be 2"),
        ({"step": "two"}, "row 3, column 'step': 'two' is not a whole number"),
        ({"people": "zhukov"}, "row 3, column 'people': unknown person 'zhukov'"),
        ({"start": "28/01/1949"}, "row 3, column 'start': '28/01/1949' is not a date"),
        ({"end": "1949-01-20"}, "row 3, column 'end': the span ends before it starts"),
        ({"end": "1949-06-02"}, "row 3, column 'end': 1949-06-02 is outside the corpus period"),
        ({"text": ""}, "row 3, column 'text': value is empty"),
    ],
)
def test_bad_step_is_named_by_file_row_and_column(tmp_path, change, expected):
    found = problems(tmp_path, [STEPS[0], {**STEPS[1], **change}])
    assert len(found) == 1, found
    assert found[0].startswith(str(tmp_path / "story.csv"))
    assert expected in found[0]


def test_missing_column_is_reported(tmp_path):
    write_corpus(tmp_path)
    write_csv(tmp_path / "story.csv", STEPS, [c for c in STORY_COLUMNS if c != "title"])
    with pytest.raises(CorpusError) as caught:
        load_corpus(tmp_path)
    assert [str(p) for p in caught.value.problems] == [
        f"{tmp_path / 'story.csv'}, row 1, column 'title': required column is missing"
    ]

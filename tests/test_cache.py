"""What is kept between runs: a corpus read once is read back, never served stale."""

from __future__ import annotations

import pandas as pd
import pytest
from benchmarks.made_up import letters

from dashboard import cache, corpora
from dashboard.corpora import open_corpus
from dashboard.formats import cmif
from dashboard.letters import Metadata


@pytest.fixture
def edition(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = tmp_path / "letters.xml"
    cmif.write(Metadata(title="Made-up letters"), letters(300), path)
    return path


def kept_files() -> list:
    return sorted(cache.cache_folder().glob("corpus-*.pickle"))


def test_a_corpus_read_once_is_read_back_the_same_without_the_reader(edition, monkeypatch):
    first, report = open_corpus(edition)
    assert len(kept_files()) == 1

    def no_reading(*_args, **_kwargs):
        raise AssertionError("the file was read again")

    monkeypatch.setattr(cmif, "read", no_reading)
    again, report_again = open_corpus(edition)
    pd.testing.assert_frame_equal(again.messages, first.messages)
    pd.testing.assert_frame_equal(again.people, first.people)
    pd.testing.assert_frame_equal(again.parties, first.parties)
    assert again.meta == first.meta and again.period == first.period
    assert report_again.lines() == report.lines()


def test_an_edited_file_or_another_title_is_read_again(edition):
    first, _ = open_corpus(edition)
    titled, _ = open_corpus(edition, title="Another name")
    assert titled.meta.title == "Another name"
    assert first.meta.title == "Made-up letters"
    cmif.write(Metadata(title="Made-up letters"), letters(200), edition)
    edited, _ = open_corpus(edition)
    assert len(edited.messages) == 200 != len(first.messages)
    assert len(kept_files()) == 3


def test_a_broken_kept_file_costs_only_a_fresh_read(edition):
    first, _ = open_corpus(edition)
    (kept,) = kept_files()
    kept.write_bytes(b"not a pickle")
    again, _ = open_corpus(edition)
    pd.testing.assert_frame_equal(again.messages, first.messages)
    # And it is kept again, whole.
    assert corpora._read_kept(kept.name, str(edition)) is not None


def test_an_unwritable_cache_does_not_stop_the_app(edition, monkeypatch, tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    corpus, report = open_corpus(edition)
    assert corpus is not None and report.letters == 300

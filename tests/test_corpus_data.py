"""The bundled corpus holds what the two source documents say."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from dashboard.model import load_corpus, parse_references

SEEDS = ("000_e016215c6614d9f2.txt", "004_27a86a64b866bec5.txt")
SEED_DIR = Path(__file__).resolve().parents[2] / "shared" / "seeds"


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


def test_messages_per_sender(corpus):
    sent = corpus.messages["sender"].value_counts().to_dict()
    # Stalin: four January telegrams to Mao (10, 11, 14, 15), the 28 January relay,
    # three cables to Mikoyan, the 26 May telegram. Mao: his replies of 12 and 14 January.
    # Mikoyan: two cables.
    assert sent["stalin"] == 9
    assert sent["mao"] == 2
    assert sent["mikoyan"] == 2
    assert sent["terebin"] == 1
    assert sent["nanjing_gov"] == 4  # to Moscow, Washington, London and Paris


def test_january_exchange_dates_and_leaves(corpus):
    exchange = corpus.messages[
        corpus.messages["sender"].isin(["stalin", "mao"])
        & corpus.messages["recipient"].isin(["stalin", "mao"])
        & (corpus.messages["date"] <= "1949-01-31")
    ]
    assert [(d.day, s) for d, s in zip(exchange["date"], exchange["sender"], strict=True)] == [
        (10, "stalin"),
        (11, "stalin"),
        (12, "mao"),
        (14, "stalin"),
        (14, "mao"),
        (15, "stalin"),
        (28, "stalin"),
    ]
    leaves = dict(
        zip(
            exchange["date"].dt.day.astype(str) + exchange["sender"],
            exchange["archive_ref"],
            strict=False,
        )
    )
    assert leaves["10stalin"].endswith("D. 330 L. 095-096")
    assert leaves["12mao"].endswith("D. 330 L. 100-103")
    assert leaves["15stalin"].endswith("D. 330 L. 118")
    assert leaves["28stalin"].endswith("D. 330 L. 126")


def test_copy_counts_per_member(corpus):
    per_member = corpus.copies_per_member().set_index("member")["copies"].to_dict()
    # Footnotes 6 and 9: two copies to Stalin, one to each of nine others, for both telegrams.
    assert per_member == {
        "stalin": 4,
        "molotov": 2,
        "beria": 2,
        "malenkov": 2,
        "mikoyan": 2,
        "kaganovich": 2,
        "voznesenskiy": 2,
        "bulganin": 2,
        "kosygin": 2,
        "vyshinskiy": 2,
    }
    copied = corpus.messages.set_index("message_id").loc[sorted(set(corpus.copies["message_id"]))]
    assert list(copied["sender"]) == ["mao", "mao"]
    assert sorted(copied["date"].dt.day) == [12, 14]


def test_not_every_copy_recipient_was_in_the_politburo(corpus):
    people = corpus.people.set_index("person_id")
    members = set(corpus.copies["member"])
    outside = {m for m in members if not people.loc[m, "soviet_politburo_1949"]}
    assert outside == {"vyshinskiy"}


def test_codenames(corpus):
    assert corpus.resolve("Filippov") == "stalin"
    assert corpus.resolve("Instantsiya") == "stalin"
    assert corpus.resolve("Andreev") == "mikoyan"
    assert corpus.resolve("Mao Tse-tung") == "mao"
    assert corpus.resolve("Vyshinsky") == corpus.resolve("Vyshinskiy") == "vyshinskiy"
    stalin_to_mao = corpus.messages[
        (corpus.messages["sender"] == "stalin")
        & (corpus.messages["recipient"] == "mao")
        & (corpus.messages["date"] < "1949-02-01")
    ]
    assert set(stalin_to_mao["codename"]) == {"Filippov"}
    cable = corpus.messages[corpus.messages["date"] == pd.Timestamp("1949-02-06")].iloc[0]
    # Signed with his own name; Instantsiya appears in the third person, in the summary.
    assert (cable["codename"], cable["classification"]) == ("", "Strictly Secret")
    assert "Instantsiya" in cable["summary"]


def test_archive_references_are_printed_as_in_the_sources(corpus):
    if not SEED_DIR.is_dir():
        pytest.skip(f"the source documents are not beside the repository ({SEED_DIR})")
    seeds = {
        name: " ".join((SEED_DIR / name).read_text(encoding="utf-8").split()) for name in SEEDS
    }
    provenance = corpus.sources.set_index("source_id")["provenance"]
    refs = corpus.messages[corpus.messages["archive_ref"] != ""]
    assert len(refs) == 10
    for _, row in refs.iterrows():
        cited = [seeds[provenance[r.source_id]] for r in parse_references(row["source"])]
        for part in row["archive_ref"].split(";"):
            printed = " ".join(part.split())
            assert any(printed in seed for seed in cited), (row["message_id"], part)


def test_relay_through_terebin(corpus):
    relayed = corpus.messages[corpus.messages["via"] != ""]
    assert len(relayed) == 1
    row = relayed.iloc[0]
    assert (row["sender"], row["via"], row["recipient"]) == ("stalin", "terebin", "mao")
    assert row["date"] == pd.Timestamp("1949-01-28")


def test_the_two_sources_are_the_seeds(corpus):
    sources = corpus.sources.set_index("source_id")
    assert dict(sources["provenance"]) == {
        "yorulmaz-1949-telegrams": SEEDS[0],
        "wilson-121773": SEEDS[1],
    }
    article, record = sources.loc["yorulmaz-1949-telegrams"], sources.loc["wilson-121773"]
    assert (article["translator"], article["translated_from"]) == ("Muhsin Yorulmaz", "Turkish")
    assert article["title"].startswith("The 1949 telegrammes between Stalin and Mao")
    # The article names no author, no place of publication and no year: none is made up.
    assert (article["author"], article["published_in"], article["year"], article["url"]) == (
        ("", "", "", "")
    )
    assert (record["archive_record"], record["translator"]) == ("121773", "Sergey Radchenko")
    assert record["url"].endswith("/document/121773")


def test_every_row_cites_a_source_by_id_and_passage(corpus):
    known = set(corpus.sources["source_id"])
    for name, frame in [
        ("messages", corpus.messages),
        ("copies", corpus.copies),
        ("events", corpus.events),
        ("people", corpus.people),
        ("story", corpus.story),
    ]:
        references = frame["source"].map(parse_references)
        cited = references.map(lambda refs: bool(refs) and {r.source_id for r in refs} <= known)
        assert cited.all(), f"{name} rows without a source: {list(frame[~cited].index)}"
        # Every row but one says where in the source; Mikoyan's cites the archive record whole.
        located = references.map(lambda refs: all(r.locator for r in refs))
        assert located.sum() >= len(frame) - (name == "people"), name
        text = " ".join(frame["source"])
        assert not any(seed in text for seed in SEEDS), name


def test_uncertain_dates_carry_a_note(corpus):
    uncertain = corpus.messages[corpus.messages["date_certainty"] != "exact"]
    assert len(uncertain) >= 5
    assert (uncertain["date_note"] != "").all()


def test_events_cover_the_episode(corpus):
    events = corpus.events.set_index("event_id")
    journey = events[events["title"].str.contains("mission")].iloc[0]
    assert (journey["start"], journey["end"]) == (
        pd.Timestamp("1949-01-30"),
        pd.Timestamp("1949-02-08"),
    )
    crossing = events[events["title"].str.contains("Yangtze")].iloc[0]
    assert crossing["start"] == pd.Timestamp("1949-04-21")


def test_period_is_january_to_may(corpus):
    assert corpus.period == (pd.Timestamp("1949-01-01"), pd.Timestamp("1949-05-31"))

"""Tiny corpora written to a temporary folder, so each test states exactly the data it needs."""

from __future__ import annotations

import csv
from pathlib import Path

PEOPLE = [
    {
        "person_id": "stalin",
        "name": "Iosif Stalin",
        "short_name": "Stalin",
        "aliases": "Filippov;Instantsiya",
        "codename": "Filippov",
        "kind": "person",
        "side": "Soviet",
        "soviet_politburo_1949": "true",
    },
    {
        "person_id": "mao",
        "name": "Mao Zedong",
        "aliases": "Mao Tse-tung",
        "codename": "",
        "kind": "person",
        "side": "CPC",
        "soviet_politburo_1949": "false",
    },
    {
        "person_id": "terebin",
        "name": "Terebin",
        "aliases": "",
        "codename": "",
        "kind": "person",
        "side": "Soviet",
        "soviet_politburo_1949": "false",
    },
    {
        "person_id": "molotov",
        "name": "Vyacheslav Molotov",
        "short_name": "Molotov",
        "aliases": "",
        "codename": "",
        "kind": "person",
        "side": "Soviet",
        "soviet_politburo_1949": "true",
    },
    {
        "person_id": "vyshinskiy",
        "name": "Andrey Vyshinsky",
        "aliases": "Vyshinskiy",
        "codename": "",
        "kind": "person",
        "side": "Soviet",
        "soviet_politburo_1949": "false",
    },
]

MESSAGES = [
    {
        "message_id": "a",
        "date": "1949-01-10",
        "sender": "stalin",
        "recipient": "mao",
        "codename": "Filippov",
        "kind": "coded telegram",
        "title": "First",
        "archive_ref": "ref-a",
    },
    {
        "message_id": "b",
        "date": "1949-01-12",
        "sender": "mao",
        "recipient": "stalin",
        "codename": "Filippov",
        "kind": "coded telegram",
        "title": "Reply",
        "archive_ref": "ref-b",
    },
    {
        "message_id": "c",
        "date": "1949-01-28",
        "sender": "stalin",
        "recipient": "mao",
        "via": "terebin",
        "kind": "coded telegram",
        "title": "Relayed",
        "date_certainty": "exact",
    },
    {
        "message_id": "d",
        "date": "1949-03-02",
        "sender": "mao",
        "recipient": "stalin",
        "kind": "cable",
        "title": "Later",
        "date_certainty": "approximate",
    },
]

COPIES = [
    {"message_id": "b", "member": "stalin", "copies": "2"},
    {"message_id": "b", "member": "molotov", "copies": "1"},
    {"message_id": "b", "member": "vyshinskiy", "copies": "1"},
]

EVENTS = [
    {"event_id": "e1", "start": "1949-01-01", "end": "", "title": "Offer", "people": "mao"},
    {
        "event_id": "e2",
        "start": "1949-01-30",
        "end": "1949-02-08",
        "title": "Journey",
        "people": "stalin;mao",
    },
]


def write_csv(path: Path, rows: list[dict[str, str]], columns: list[str] | None = None) -> Path:
    columns = columns or sorted({key for row in rows for key in row})
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, restval="", extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_corpus(folder: Path, **overrides: list[dict[str, str]]) -> Path:
    """Write the tiny corpus into `folder`; pass messages=[...] etc. to replace a file's rows."""
    tables = {"messages": MESSAGES, "people": PEOPLE, "copies": COPIES, "events": EVENTS}
    tables.update(overrides)
    required = {
        "messages": ["message_id", "date", "sender", "recipient"],
        "people": ["person_id", "name"],
        "copies": ["message_id", "member", "copies"],
        "events": ["event_id", "start", "title"],
    }
    for name, rows in tables.items():
        columns = list(dict.fromkeys([*required[name], *(k for r in rows for k in r)]))
        write_csv(folder / f"{name}.csv", rows, columns)
    return folder

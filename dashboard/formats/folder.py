"""The project's own format written out: a folder of CSV files and corpus.json that
`load_corpus` reads back, whatever format the corpus first came in."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import pandas as pd

from dashboard.model import (
    COPIES_FILE,
    EVENTS_FILE,
    MESSAGES_FILE,
    METADATA_FILE,
    METADATA_TEXT_FIELDS,
    PEOPLE_FILE,
    PLACES_FILE,
    SCHEMAS,
    SOURCES_FILE,
    STORY_FILE,
    Corpus,
)


def table(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """A corpus frame as the text cells of its file: days as YYYY-MM-DD, flags as true/false."""
    out = frame[[c.name for c in SCHEMAS[name]]].copy()
    for column in SCHEMAS[name]:
        values = out[column.name]
        if column.type == "date":
            out[column.name] = values.dt.strftime("%Y-%m-%d").fillna("")
        elif column.type == "bool":
            out[column.name] = values.map({True: "true", False: "false"}).fillna("false")
        else:
            out[column.name] = values.astype(str)
    return out.reset_index(drop=True)


def csv_bytes(frame: pd.DataFrame, name: str) -> bytes:
    """The file's bytes, safe to open in a spreadsheet (see spreadsheet_safe)."""
    return cells_csv(table(frame, name))


def cells_csv(cells: pd.DataFrame) -> bytes:
    """Text cells as CSV bytes, each made safe to open in a spreadsheet."""
    return cells.map(spreadsheet_safe).to_csv(index=False, lineterminator="\n").encode("utf-8")


# What a spreadsheet takes for the start of a formula, and would run.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """'=SUM(A1)' -> "'=SUM(A1)": text a spreadsheet would run, made text it shows.
    The loader takes the quote off again, so the file reads back as it was."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write(corpus: Corpus, folder: Path) -> list[Path]:
    """Write the corpus into `folder` (made if missing); each file whole or not at all.
    Returns the files written. Files of a corpus without copies, events, a story or
    sources are left out, as the loader allows."""
    from dashboard.export import write_atomic

    folder.mkdir(parents=True, exist_ok=True)
    frames = {
        MESSAGES_FILE: corpus.messages,
        PEOPLE_FILE: corpus.people,
        PLACES_FILE: corpus.places,
        COPIES_FILE: corpus.copies,
        EVENTS_FILE: corpus.events,
        STORY_FILE: corpus.story,
        SOURCES_FILE: corpus.sources,
    }
    written = [
        write_atomic(folder / name, csv_bytes(frame, name))
        for name, frame in frames.items()
        if name in (MESSAGES_FILE, PEOPLE_FILE) or not frame.empty
    ]
    meta = {key: value for key, value in asdict(corpus.meta).items() if value}
    meta = {k: v for k, v in meta.items() if k in (*METADATA_TEXT_FIELDS, "editors", "editions")}
    text = json.dumps(meta, ensure_ascii=False, indent=2) + "\n"
    written.append(write_atomic(folder / METADATA_FILE, text.encode("utf-8")))
    return written

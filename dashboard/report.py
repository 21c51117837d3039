"""The import report: what was read from a file, and every problem with where it is and what
was done about it, as text for a person and as JSON for an editor's own pipeline."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from dashboard.dates import PRECISIONS
from dashboard.letters import SKIPPED, Notice
from dashboard.model import (
    DATE_PRECISION,
    KEY,
    LIST_SEPARATOR,
    MESSAGE_ID,
    PERSON_KIND,
    RECIPIENTS,
    SENDERS,
    Corpus,
)

# Exit codes of `validate`: every letter imported; some could not be; the file not at all.
ALL_IMPORTED = 0
SOME_SKIPPED = 1
UNREADABLE = 2
# A broken file can hold a problem on every line: the report names the first ones and counts
# the rest, so that it stays readable (and a page of it stays small).
SHOWN_PROBLEMS = 200


@dataclass
class ImportReport:
    """Counts of what a file held and the notices met while reading it."""

    path: str
    format: str = ""
    title: str = ""
    letters: int = 0
    people: int = 0
    organisations: int = 0
    places: int = 0
    dates: dict[str, int] = field(default_factory=dict)
    several_senders: list[str] = field(default_factory=list)
    several_recipients: list[str] = field(default_factory=list)
    undated: list[str] = field(default_factory=list)
    problems: list[Notice] = field(default_factory=list)
    skipped: list[Notice] = field(default_factory=list)
    # Set when the file could not be read at all: why.
    unreadable: str = ""

    @property
    def exit_code(self) -> int:
        if self.unreadable:
            return UNREADABLE
        return SOME_SKIPPED if self.skipped else ALL_IMPORTED

    @classmethod
    def of(
        cls, corpus: Corpus, path: str, fmt: str, notices: list[Notice], skipped: list[Notice]
    ) -> ImportReport:
        """The report of a corpus that was built, with the notices its reader met."""
        messages = corpus.messages
        keys = messages[KEY].where(messages[KEY] != "", messages[MESSAGE_ID])
        kinds = Counter(corpus.people[PERSON_KIND])
        precisions = Counter(messages[DATE_PRECISION])

        def several(column: str) -> list[str]:
            return list(keys[messages[column].str.contains(LIST_SEPARATOR, regex=False)])

        return cls(
            path=path,
            format=fmt,
            title=corpus.meta.title,
            letters=len(messages),
            people=len(corpus.people) - kinds.get("body", 0),
            organisations=kinds.get("body", 0),
            places=len(corpus.places),
            dates={p: precisions[p] for p in PRECISIONS if precisions.get(p)},
            several_senders=several(SENDERS),
            several_recipients=several(RECIPIENTS),
            undated=list(keys[messages[DATE_PRECISION] == "none"]),
            problems=list(notices),
            skipped=[n for n in notices if n.action == SKIPPED] or list(skipped),
        )

    def as_dict(self) -> dict:
        shown = self.problems[:SHOWN_PROBLEMS]
        return {
            "path": self.path,
            "format": self.format,
            "title": self.title,
            "readable": not self.unreadable,
            "unreadable": self.unreadable,
            "letters": self.letters,
            "people": self.people,
            "organisations": self.organisations,
            "places": self.places,
            "dates": self.dates,
            "several_senders": self.several_senders,
            "several_recipients": self.several_recipients,
            "undated": self.undated,
            "skipped": [n.as_dict() for n in self.skipped],
            "problems": [n.as_dict() for n in shown],
            "problems_total": len(self.problems),
            "problems_not_shown": len(self.problems) - len(shown),
            "exit_code": self.exit_code,
        }

    def lines(self) -> list[str]:
        """The report as lines of text: what was read, then each problem."""
        if self.unreadable:
            return [f"{self.path}: could not be read: {self.unreadable}"]
        dates = ", ".join(f"{count} {DATE_WORDS[p]}" for p, count in self.dates.items())
        lines = [
            f"{self.path} ({FORMAT_NAMES.get(self.format, self.format)})"
            + (f": {self.title}" if self.title else ""),
            f"  {self.letters} letters, {self.people} people, {self.organisations} "
            f"organisations, {self.places} places",
            f"  dates: {dates or 'none'}",
        ]
        for label, keys in (
            ("several senders", self.several_senders),
            ("several recipients", self.several_recipients),
            ("no date", self.undated),
        ):
            if keys:
                lines.append(f"  {len(keys)} with {label}: {_some(keys)}")
        if self.skipped:
            lines.append(f"  {len(self.skipped)} letters skipped")
        if self.problems:
            count = len(self.problems)
            lines.append(f"{count} problem{'s' if count != 1 else ''}:")
            lines.extend(f"  {notice}" for notice in self.problems[:SHOWN_PROBLEMS])
            if len(self.problems) > SHOWN_PROBLEMS:
                lines.append(f"  ... and {len(self.problems) - SHOWN_PROBLEMS} more")
        return lines


DATE_WORDS = {
    "day": "to the day",
    "month": "to the month",
    "year": "to the year",
    "range": "as a span",
    "set": "as one of several dates",
    "none": "undated",
}
FORMAT_NAMES = {
    "cmif": "CMIF",
    "csv2cmi": "csv2cmi spreadsheet",
    "dispatches-csv": "Dispatches CSV",
}


def _some(keys: list[str], shown: int = 12) -> str:
    text = ", ".join(keys[:shown])
    return text + (f" and {len(keys) - shown} more" if len(keys) > shown else "")

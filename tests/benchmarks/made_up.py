"""Made-up letters shaped like a real edition's, seeded so that every run makes the same ones.

Shared by the benchmarks (scripts/bench, bench_import.py) and by tests that need a corpus larger
than the bundled one. Nothing here is real: names are strings of syllables, ids are random.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator, Sequence
from datetime import date, timedelta

from dashboard.dates import APPROXIMATE, EXACT, RANGE, UNCERTAIN, LetterDate
from dashboard.letters import BODY, PERSON, Letter, Party, Place

SEED = 1949
SYLLABLES = ["ka", "lo", "mi", "ren", "sa", "tu", "vel", "or", "an", "ber", "dom", "hel", "win"]
# Two centuries of letters, or (for a short corpus) four months of dense traffic.
CENTURIES = (date(1750, 1, 1), 200 * 365)
FOUR_MONTHS = (date(1949, 1, 1), 120)


def made_up_name(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


def letters(
    count: int, seed: int = SEED, span: tuple[date, int] = CENTURIES
) -> Iterator[Letter]:
    """`count` letters over `span` (its first day and length in days), with the mix real
    files have: a few people write most of them (weights 1/rank), some parties have no
    authority id, a few are organisations; a tenth are dated by a span of days and some are
    doubted, a few are undated; one in twenty has two senders, one in thirty two recipients;
    some carry a field the model does not use."""
    rng = random.Random(seed)
    cast = max(30, count // 15)
    people = [
        Party(
            f"{made_up_name(rng, 3)}, {made_up_name(rng, 2)}",
            "" if rng.random() < 0.05 else f"https://d-nb.info/gnd/1{rng.randrange(10**8):08d}",
            BODY if rng.random() < 0.03 else PERSON,
        )
        for _ in range(cast)
    ]
    # Summed once: random.choices would sum them again at every call (the same draws).
    cumulative = list(itertools.accumulate(1 / (rank + 1) for rank in range(cast)))
    positions: dict[Party, list[int]] = {}
    for position, person in enumerate(people):
        positions.setdefault(person, []).append(position)
    places = [
        Place(made_up_name(rng, 2), f"https://sws.geonames.org/{rng.randrange(10**7)}/")
        for _ in range(max(10, count // 200))
    ]
    start, days = span
    for number in range(count):
        day = start + timedelta(days=rng.randrange(days))
        roll = rng.random()
        if roll < 0.02:
            when = LetterDate.none()
        elif roll < 0.12:
            certainty = rng.choice((EXACT, APPROXIMATE, UNCERTAIN))
            when = LetterDate("", RANGE, day, day + timedelta(days=rng.randrange(2, 60)), certainty)
        else:
            when = LetterDate.day(day, UNCERTAIN if roll > 0.97 else EXACT)
        chosen = rng.choices(people, cum_weights=cumulative, k=4)
        senders = tuple(dict.fromkeys(chosen[:2] if rng.random() < 0.05 else chosen[:1]))
        recipients = tuple(dict.fromkeys(chosen[2:] if rng.random() < 0.03 else chosen[2:3]))
        if set(recipients) & set(senders):
            skipped = sorted(i for person in senders for i in positions[person])
            recipients = (rng.choice(_Without(people, skipped)),)
        extra = (("sameAs", f"https://other.example/{number}"),) if rng.random() < 0.07 else ()
        yield Letter(
            key=f"L{number}",
            where="",
            senders=senders,
            recipients=recipients,
            date=when,
            sent_place=rng.choice(places),
            received_place=rng.choice(places) if rng.random() < 0.3 else None,
            url=f"https://edition.example/letters/L{number}",
            edition="Made-up letters, a benchmark edition",
            extra=extra,
        )


class _Without(Sequence):
    """`items` without the positions in `skipped` (sorted), as a list of them would be, but
    built in no time: random.choice needs only its length and one item."""

    def __init__(self, items: list, skipped: list[int]) -> None:
        self.items, self.skipped = items, skipped

    def __len__(self) -> int:
        return len(self.items) - len(self.skipped)

    def __getitem__(self, index: int):  # type: ignore[override]
        for position in self.skipped:
            if position <= index:
                index += 1
        return self.items[index]

"""Time each callback's server-side work on the bundled corpus; print median and p95 as JSON.

Run as a script, not collected by pytest:  .venv/bin/python tests/benchmarks/bench_callbacks.py
Each case calls the same function the callback calls, then serialises the result the way
Dash does before sending it, so the figure reflects what a user waits for on the server.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable

import plotly.io

from dashboard import ids
from dashboard.app import render_page, sync_outputs
from dashboard.context import Context
from dashboard.model import load_corpus

# name: (path, query[, drawn for a narrow frame])
URLS = {
    "whole period": ("/", ""),
    "10-15 January": ("/", "?start=1949-01-10&end=1949-01-15"),
    "one person": ("/", "?people=mikoyan"),
    "open records": ("/", "?start=1949-01-10&end=1949-01-15&message=m07,m09"),
    "empty March": ("/", "?start=1949-03-01&end=1949-03-31"),
    "presentation look": ("/", "?look=presentation&names=codename"),
    "playback tick": ("/", "?day=1949-01-14&play=on"),
    "kiosk story step": ("/kiosk", "?start=1949-01-10&end=1949-01-15&step=2"),
    "embedded network": ("/embed/network", "?start=1949-01-10&end=1949-01-15"),
    "embed in a narrow frame": ("/embed/network", "?start=1949-01-10&end=1949-01-15", True),
}


def serialised(result: tuple) -> str:
    return plotly.io.json.to_json_plotly(result)


def measure(work: Callable[[], object], runs: int) -> dict[str, float]:
    work()  # warm caches, as a running server has
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        work()
        times.append((time.perf_counter() - began) * 1000)
    times.sort()
    return {
        "median_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[int(0.95 * (len(times) - 1))], 2),
        "runs": runs,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    runs = parser.parse_args().runs
    began = time.perf_counter()
    context = Context.build(load_corpus())
    startup_ms = (time.perf_counter() - began) * 1000
    corpus = context.corpus
    report: dict[str, object] = {"startup_ms": round(startup_ms, 1), "render": {}, "sync_url": {}}
    for name, (path, search, *narrow) in URLS.items():
        report["render"][name] = measure(
            lambda p=path, s=search, n=bool(narrow): serialised(render_page(context, s, p, n)),
            runs,
        )
    clicks = {
        "date picker": (ids.DATES, ("1949-01-10", "1949-01-15")),
        "node click": (ids.NETWORK, {"points": [{"customdata": ["person", "stalin"]}]}),
        "timeline brush": (
            f"{ids.TIMELINE}.relayoutData",
            {"xaxis.range[0]": "1949-01-09 12:00", "xaxis.range[1]": "1949-02-01 12:00"},
        ),
    }
    for name, (trigger, value) in clicks.items():
        report["sync_url"][name] = measure(
            lambda t=trigger, v=value: sync_outputs(corpus, "", t, v), runs
        )
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()

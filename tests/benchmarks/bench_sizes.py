"""Time start-up and every callback on made-up corpora of 10^3, 10^4 and 10^5 letters.

Run as a script, not collected by pytest:  scripts/bench  (or  scripts/bench --sizes 1000)
For each size a seeded CMIF file is written (heavy-tailed correspondents; a few months of
dense traffic or two centuries; date ranges, undated letters, several-party letters), then
read, started and called in fresh Python processes: start-up twice (cold, then with whatever
a first start left behind, such as the operating system's file cache), and in the second the
callbacks, each timed on the server (median and 95th percentile) with the bytes of the JSON
Dash would send for its outputs. Peak memory is the process's ru_maxrss. The bundled corpus
is measured the same way. Prints a Markdown table per corpus, with the budgets of issue 9.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Run from anywhere: the package of this source tree, not an installed one.
ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]

from made_up import CENTURIES, FOUR_MONTHS, letters  # noqa: E402

from dashboard.formats import cmif  # noqa: E402
from dashboard.letters import Metadata  # noqa: E402

SIZES = (1_000, 10_000, 100_000)
# (start-up cold, start-up cached, callback p95 ms, bytes per render, peak memory MB)
BUDGETS = {
    "bundled": (2, 2, 50, 300_000, None),
    1_000: (None, None, None, None, None),
    10_000: (10, 3, 100, 500_000, 1024),
    100_000: (60, 10, 250, 1_000_000, 2048),
    # Loads and serves; no callback over 2 s (read against the slowest call, not the p95).
    1_000_000: (None, None, 2000, None, 8192),
}
# Sizes whose callback budget holds for every call, not for the 95th percentile.
BUDGET_IS_MAX = {1_000_000}
# Each callback is timed this many times at most, and for about this long at most.
RUNS, SECONDS_PER_CASE = 40, 20.0


# Run in a fresh process: open the corpus, start the app, and (with "callbacks") time them.
CHILD = r"""
import json, resource, statistics, sys, time
sys.path.insert(0, sys.argv[4])
path, what = sys.argv[1], sys.argv[2]
import plotly.io
from dash import no_update
from dashboard.app import SentFigures, create_app, render_update, sync_outputs
from dashboard.context import Context
from dashboard.corpora import open_corpus
from dashboard.model import load_corpus
from dashboard import ids
from dashboard.state import ViewState

began = time.perf_counter()
corpus = load_corpus() if path == "bundled" else open_corpus(path)[0]
loaded = time.perf_counter() - began
create_app(corpus)
# As the server does once its app is built (dashboard.server.build_app).
__import__("gc").freeze()
started = time.perf_counter() - began
result = {"load_s": loaded, "startup_s": started}
if what == "callbacks":
    runs, budget, limit = int(sys.argv[5]), float(sys.argv[6]), int(sys.argv[7])
    context = Context.build(corpus)
    messages = corpus.messages
    dated = messages["date"].dropna()
    # Ten days where letters are thickest, and the person who wrote or received the most.
    busiest = dated.dt.normalize().value_counts().index[0]
    first, last = (d.date() for d in corpus.period)
    start = max(busiest.date() - __import__("datetime").timedelta(days=4), first)
    end = min(start + __import__("datetime").timedelta(days=9), last)
    ten = f"?start={start}&end={end}"
    person = corpus.parties["person_id"].value_counts().index[0]

    def sent_bytes(outputs):
        kept = [o for o in outputs if o is not no_update]
        return len(plotly.io.json.to_json_plotly(kept))

    import signal

    class TooLong(Exception):
        pass

    def stop(*_):
        raise TooLong

    signal.signal(signal.SIGALRM, stop)

    def timed(call):
        # One call over the limit stops its case: the others are still measured.
        signal.alarm(limit)
        try:
            return call()
        finally:
            signal.alarm(0)

    def measure(call):
        times, size = [], 0
        try:
            timed(call)  # warm, as a running server is
            spent = time.perf_counter()
            while len(times) < runs and (time.perf_counter() - spent < budget or len(times) < 3):
                t = time.perf_counter()
                out = timed(call)
                size = sent_bytes(out) if out is not None else 0
                times.append((time.perf_counter() - t) * 1000)
        except TooLong:
            return {"error": f"a call took over {limit} s"}
        times.sort()
        return {"median_ms": statistics.median(times),
                "p95_ms": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))],
                "max_ms": times[-1], "runs": len(times), "bytes": size}

    # As a server's worker does, the renders keep the figures they sent (a few, by view).
    worker = SentFigures()

    def render(search, path="/", rendered=None, sent=None):
        sent = worker if sent is None else sent
        outputs = render_update(context, search, path, False, "", rendered, sent)
        return outputs

    cases = {}
    cases["render, whole period"] = measure(lambda: render(""))
    cases["render, ten days"] = measure(lambda: render(ten))
    cases["render, one person"] = measure(lambda: render(f"?people={person}"))
    # Each run a window never asked for before: nothing of it is kept from an earlier call.
    fresh = {"at": 0}
    def new_days():
        fresh["at"] += 1
        low = first + __import__("datetime").timedelta(days=11 * fresh["at"])
        high = min(low + __import__("datetime").timedelta(days=9), last)
        return render(f"?start={low}&end={high}")
    cases["render, ten new days each run"] = measure(new_days)
    # A researcher's wide date filter: a third of the corpus's span, never asked for before.
    third = (last - first) // 3
    def new_third():
        fresh["at"] += 1
        low = first + __import__("datetime").timedelta(days=37 * fresh["at"])
        return render(f"?start={low}&end={min(low + third, last)}")
    cases["render, a new third of the span each run"] = measure(new_third)
    # Playback along `days`, each tick answered knowing what the page was sent (a worker's
    # own store of figures), back to the first day after the last.
    def ticks(prefix, days):
        sent, at = SentFigures(), {"i": 0}
        render(f"{prefix}day={days[0]}&play=on", sent=sent)
        def tick():
            i = at["i"] % (len(days) - 1)
            at["i"] += 1
            before = f"{prefix}day={days[i]}&play=on"
            if i == 0:
                render(before, sent=sent)
            now = f"{prefix}day={days[i + 1]}&play=on"
            return render(now, rendered={"search": before, "path": "/", "frame": ""}, sent=sent)
        return tick
    # Playback walks the ten days.
    days = [start + __import__("datetime").timedelta(days=i) for i in range((end - start).days + 1)]
    cases["playback tick"] = measure(ticks(f"{ten}&", days))
    # Playback over the whole corpus: a step is a day, a week, a month or a year by its span.
    from dashboard.figures import playback_step
    steps, day = [], first
    while day <= last and len(steps) < 400:
        steps.append(day)
        day = playback_step(day, first, last)[1] + __import__("datetime").timedelta(days=1)
    cases["playback tick, whole period"] = measure(ticks("?", steps))
    cases["page of records"] = measure(lambda: render(
        "?page=3", rendered={"search": "?page=2", "path": "/", "frame": ""}))
    cases["embed, ten days"] = measure(lambda: render(ten, "/embed/network"))
    cases["URL callback, dates"] = measure(
        lambda: sync_outputs(corpus, "", ids.DATES, (str(start), str(end))))
    result["cases"] = cases
    result["letters"], result["people"] = len(messages), len(corpus.people)
result["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(result))
"""


def child(
    path: str, what: str, cache: Path, runs: int, seconds: float, limit: int, timeout: float
) -> dict:
    """One fresh process; `cache` is its XDG_CACHE_HOME, where the network's layout is kept
    between runs (empty for a cold start)."""
    command = [
        sys.executable,
        "-c",
        CHILD,
        path,
        what,
        "",
        str(ROOT),
        str(runs),
        str(seconds),
        str(limit),
    ]
    environment = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=timeout, env=environment
        )
    except subprocess.TimeoutExpired:
        return {"error": f"did not finish within {timeout:.0f} s"}
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr else "failed"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def under(budget: float | None, unit: str) -> str:
    return f"< {budget} {unit}" if budget else "-"


def verdict(value: float | None, budget: float | None) -> str:
    if value is None:
        return "not measured"
    if budget is None:
        return "-"
    return "yes" if value < budget else "**no**"


def table(
    name: str, budgets: tuple, cold: dict, cached: dict, budget_is_max: bool = False
) -> str:
    cold_budget, cached_budget, p95_budget, bytes_budget, memory_budget = budgets
    lines = [f"#### {name}", "", "| measure | median | p95 | max | bytes sent | budget | met |"]
    lines.append("| --- | ---: | ---: | ---: | ---: | --- | --- |")
    if "error" in cold or "error" in cached:
        lines.append(f"| run | {cold.get('error') or cached.get('error')} | | | | | |")
        return "\n".join(lines)
    lines.append(
        f"| load (read and model), cold | {cold['load_s']:.2f} s | | | | | |"
        f"\n| start-up (load + app), cold | {cold['startup_s']:.2f} s | | | | "
        f"{under(cold_budget, 's')} | "
        f"{verdict(cold['startup_s'], cold_budget)} |"
        f"\n| start-up (load + app), second run | {cached['startup_s']:.2f} s | | | | "
        f"{under(cached_budget, 's')} | "
        f"{verdict(cached['startup_s'], cached_budget)} |"
    )
    for case, numbers in cached["cases"].items():
        if "error" in numbers:
            lines.append(f"| {case} | {numbers['error']} | | | | | **no** |")
            continue
        slowest = numbers.get("max_ms", numbers["p95_ms"])
        p95_ok = verdict(slowest if budget_is_max else numbers["p95_ms"], p95_budget)
        renders = case.startswith("render") or case.startswith("embed")
        bytes_ok = verdict(numbers["bytes"], bytes_budget) if renders else "-"
        met = p95_ok if bytes_ok in ("-", "yes") else f"{p95_ok}; bytes **no**"
        measured = "every call" if budget_is_max else "p95"
        budget = (f"{measured} < {p95_budget} ms" if p95_budget else "-") + (
            f", < {bytes_budget // 1000} KB" if renders and bytes_budget else ""
        )
        lines.append(
            f"| {case} ({numbers['runs']} runs) | {numbers['median_ms']:.1f} ms | "
            f"{numbers['p95_ms']:.1f} ms | {slowest:.1f} ms | {numbers['bytes'] / 1000:,.1f} KB | "
            f"{budget} | {met} |"
        )
    memory = cached["maxrss_mb"]
    lines.append(
        f"| peak memory (ru_maxrss) | {memory:,.0f} MB | | | | "
        f"{under(memory_budget, 'MB')} | "
        f"{verdict(memory, memory_budget)} |"
    )
    return "\n".join(lines)


def machine() -> str:
    import numpy
    import pandas

    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    return (
        f"{os.cpu_count()} cores ({platform.processor() or platform.machine()}), "
        f"{memory:.1f} GB memory, Python {platform.python_version()}, pandas "
        f"{pandas.__version__}, numpy {numpy.__version__}, load average "
        f"{os.getloadavg()[0]:.1f} at the start"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=list(SIZES))
    parser.add_argument("--no-bundled", action="store_true", help="skip the bundled corpus")
    parser.add_argument("--runs", type=int, default=RUNS, help="most timings per callback")
    parser.add_argument("--seconds", type=float, default=SECONDS_PER_CASE)
    parser.add_argument("--limit", type=int, default=120, help="most seconds for one call")
    parser.add_argument("--timeout", type=float, default=1800, help="per process, in seconds")
    arguments = parser.parse_args()
    print(f"Machine: {machine()}\n", flush=True)
    timing = (arguments.runs, arguments.seconds, arguments.limit, arguments.timeout)
    with tempfile.TemporaryDirectory(prefix="bench-sizes-") as folder:
        if not arguments.no_bundled:
            cache = Path(folder) / "cache-bundled"
            cold = child("bundled", "startup", cache, *timing)
            cached = child("bundled", "callbacks", cache, *timing)
            print(table("The bundled corpus", BUDGETS["bundled"], cold, cached) + "\n", flush=True)
        for size in arguments.sizes:
            path = Path(folder) / f"letters-{size}.xml"
            began = time.perf_counter()
            span = FOUR_MONTHS if size <= 1_000 else CENTURIES
            cmif.write(Metadata(title=f"{size:,} made-up letters"), letters(size, span=span), path)
            written = time.perf_counter() - began
            # A cold start lays the network out; the second reads the layout the first kept.
            cache = Path(folder) / f"cache-{size}"
            cold = child(str(path), "startup", cache, *timing)
            cached = child(str(path), "callbacks", cache, *timing)
            shape = "four months" if size <= 1_000 else "two centuries"
            who = f", {cached['people']:,} people" if "people" in cached else ""
            name = (
                f"{size:,} letters{who}, {shape} ({path.stat().st_size / 1e6:.0f} MB of CMIF, "
                f"written in {written:.1f} s)"
            )
            budgets = BUDGETS.get(size, BUDGETS[1_000])
            print(table(name, budgets, cold, cached, size in BUDGET_IS_MAX) + "\n", flush=True)


if __name__ == "__main__":
    main()

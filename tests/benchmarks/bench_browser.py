"""Time the page in a browser: how long a visitor waits for the charts on a large corpus.

Run as a script, not collected by pytest:  scripts/bench --browser  (or --browser --size 10000)
A seeded made-up CMIF file of `--size` letters over two centuries is written (or `--corpus`
is read), served by `python -m dashboard` on 127.0.0.1, and opened in headless Chromium at
1920 x 1080 (the system chromium and chromedriver, with no network of their own). It times:

- opening the page: from the request until all three charts are drawn;
- a date filter: a new date range set in the date picker (as a person's choice reaches the
  app: through the URL-owning callback, then the render), until every chart that changed
  has been drawn again and the page is still. Each run is a range never asked for before.

"Drawn" is Plotly's own promise of each chart's drawing having resolved, read in the page,
then one frame painted. Prints a Markdown table with the budgets of issue 9 (3 s to open,
1 s to redraw after a date filter, at 10^5 letters).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]

from load import running_server  # noqa: E402
from made_up import CENTURIES, letters  # noqa: E402

from dashboard import ids  # noqa: E402
from dashboard.formats import cmif  # noqa: E402
from dashboard.letters import Metadata  # noqa: E402

OPEN_BUDGET_S, FILTER_BUDGET_S = 3.0, 1.0
WINDOW = (1920, 1080)
GRAPHS = (ids.NETWORK, ids.TIMELINE, ids.FLOW)
# The page is still when no chart has been drawn for this long after the last drawing.
STILL_S = 0.6

# Installed in the page before a change: counts each chart's drawings and notes when the
# last one finished (Plotly.react's promise), then waits a frame for the paint.
WATCH = """
window.dispatchesDrawn = {count: 0, last: 0};
if (!window.dispatchesWatching) {
    window.dispatchesWatching = true;
    const react = window.Plotly.react;
    window.Plotly.react = function () {
        const drawing = react.apply(this, arguments);
        Promise.resolve(drawing).then(function () {
            window.requestAnimationFrame(function () {
                window.dispatchesDrawn.count += 1;
                window.dispatchesDrawn.last = performance.now();
            });
        });
        return drawing;
    };
}
return performance.now();
"""
DRAWN = "return [window.dispatchesDrawn.count, window.dispatchesDrawn.last, performance.now()];"
# Every chart has its plot drawn: Plotly's full layout and its SVG in the page.
ALL_DRAWN = f"""
return {list(GRAPHS)!r}.every(function (id) {{
    const graph = document.querySelector('#' + id + ' .js-plotly-plot');
    return graph && graph._fullLayout && graph.querySelector('.main-svg');
}}) && document.getElementById({ids.SUMMARY!r}).textContent.length > 0;
"""


def browser():
    os.environ.setdefault("SE_OFFLINE", "true")
    os.environ.setdefault("SE_AVOID_STATS", "true")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    chromium = shutil.which("chromium")
    if chromium:
        options.binary_location = chromium
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--window-size={WINDOW[0]},{WINDOW[1]}",
    ):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    driver.set_window_size(*WINDOW)
    return driver


def wait(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} did not happen within {timeout:g} s")
        time.sleep(0.02)


def open_page(driver, url: str, timeout: float) -> float:
    """Seconds from asking for the page until its three charts are drawn."""
    began = time.perf_counter()
    driver.get(url)
    wait(lambda: driver.execute_script(ALL_DRAWN), timeout, "drawing the page")
    return time.perf_counter() - began


# No callback of the page's is waiting, asked for or running (Dash's store).
IDLE = """
const callbacks = window.store && window.store.getState().callbacks;
return !!callbacks && ["requested", "prioritized", "blocked", "executing", "watched",
    "executed"].every(function (stage) { return !(callbacks[stage] || []).length; });
"""


def filter_dates(driver, low: date, high: date, timeout: float) -> float:
    """Seconds from a new date range in the picker until the charts are drawn again and
    stay still, measured by the page's own clock. The range is set once the page has no
    callback in flight, as a person's next choice comes after the last one has settled."""
    wait(lambda: driver.execute_script(IDLE), timeout, "the page settling")
    summary = driver.execute_script(f"return document.getElementById({ids.SUMMARY!r}).textContent;")
    began = driver.execute_script(WATCH)
    driver.execute_script(
        "window.dash_clientside.set_props(arguments[0], "
        "{start_date: arguments[1], end_date: arguments[2]});",
        ids.DATES,
        low.isoformat(),
        high.isoformat(),
    )

    def settled() -> bool:
        count, last, now = driver.execute_script(DRAWN)
        changed = driver.execute_script(
            f"return document.getElementById({ids.SUMMARY!r}).textContent;"
        )
        return changed != summary and count > 0 and (now - last) / 1000 > STILL_S

    try:
        wait(settled, timeout, f"redrawing for {low} to {high}")
    except TimeoutError as error:
        count, _last, _now = driver.execute_script(DRAWN)
        state = driver.execute_script(
            f"return [window.location.search, "
            f"document.getElementById({ids.SUMMARY!r}).textContent];"
        )
        raise TimeoutError(f"{error}: {count} drawings; the page at {state}") from None
    _count, last, _now = driver.execute_script(DRAWN)
    return (last - began) / 1000


def windows(first: date, last: date, runs: int, seed: int) -> list[tuple[date, date]]:
    """Date ranges a researcher might pick: from a year to half the span, each new."""
    rng = random.Random(seed)
    span = (last - first).days
    picked: list[tuple[date, date]] = []
    while len(picked) < runs:
        length = rng.randint(365, max(366, span // 2))
        low = first + timedelta(days=rng.randint(0, span - length))
        window = (low, low + timedelta(days=length))
        if window not in picked:
            picked.append(window)
    return picked


def table(name: str, opened: list[float], filtered: list[float]) -> str:
    def row(what: str, times: list[float], budget: float) -> str:
        ordered = sorted(times)
        p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        met = "yes" if p95 < budget else "**no**"
        return (
            f"| {what} ({len(times)} runs) | {statistics.median(times):.2f} s | {p95:.2f} s | "
            f"{ordered[-1]:.2f} s | < {budget:g} s | {met} |"
        )

    return "\n".join(
        [
            f"#### {name}",
            "",
            "| in Chromium at 1920 x 1080 | median | p95 | max | budget | met |",
            "| --- | ---: | ---: | ---: | --- | --- |",
            row("open the page, charts drawn", opened, OPEN_BUDGET_S),
            row("a new date filter, charts drawn again", filtered, FILTER_BUDGET_S),
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000, help="made-up letters")
    parser.add_argument("--corpus", type=Path, help="a corpus to open instead of made-up one")
    parser.add_argument("--runs", type=int, default=8, help="date filters (and page opens)")
    parser.add_argument("--timeout", type=float, default=120, help="most seconds for one wait")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-browser-") as folder:
        path = arguments.corpus
        if path is None:
            path = Path(folder) / f"letters-{arguments.size}.xml"
            title = f"{arguments.size:,} made-up letters"
            cmif.write(Metadata(title=title), letters(arguments.size, span=CENTURIES), path)
            first, last = CENTURIES[0], CENTURIES[0] + timedelta(days=CENTURIES[1] - 1)
        else:
            from dashboard.corpora import open_corpus

            first, last = (day.date() for day in open_corpus(path)[0].period)
        environment = {**os.environ, "XDG_CACHE_HOME": str(Path(folder) / "cache")}
        serve = ("--corpus", str(path), "--workers", "1")
        with running_server(*serve, cwd=ROOT, env=environment, ready_timeout=900) as (_, url):
            driver = browser()
            try:
                open_page(driver, url, arguments.timeout)  # the browser's own caches, warm
                opened = [open_page(driver, url, arguments.timeout)]
                filtered = []
                for run, (low, high) in enumerate(windows(first, last, arguments.runs, 9)):
                    filtered.append(filter_dates(driver, low, high, arguments.timeout))
                    if run % 2:
                        opened.append(open_page(driver, url, arguments.timeout))
            finally:
                driver.quit()
    name = str(arguments.corpus) if arguments.corpus else f"{arguments.size:,} made-up letters"
    print(table(name, opened, filtered), flush=True)


if __name__ == "__main__":
    main()

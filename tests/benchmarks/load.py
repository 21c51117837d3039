"""Load and fault test: many visitors on `serve --workers 2` over loopback, one worker killed.

    python tests/benchmarks/load.py                        # 50 users for 60 s, a kill at 20 s
    python tests/benchmarks/load.py --users 5 --duration 5
    python tests/benchmarks/load.py --capture              # record the page's requests again

It starts `python -m dashboard serve` on 127.0.0.1 at a free port, and each user does what a
browser on the page does: loads a page (main, kiosk or embed, with a query string), fetches
the layout and the callbacks' graph, and posts the page's own callback requests: a date
change, a person chosen, a tick of playback, each followed by the redraw of the new view.
Those requests are the ones a real page sent, recorded in Chromium by `--capture` into
payloads.json beside this file.

A third of the way through, one gunicorn worker gets SIGKILL. Each worker answers one
request at a time, so only the request it was answering can be lost; every other request
must succeed, served by the other worker or by the one gunicorn starts in its place. Nothing
is retried. The script prints requests per second, latency percentiles and errors (JSON with
--json), exits 1 if any request failed that another worker could serve, and stops by itself:
every request has a timeout and the run has a deadline.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
PAYLOADS = HERE / "payloads.json"
HOST = "127.0.0.1"
REQUEST_TIMEOUT = 20.0
UPDATE = "/_dash-update-component"
# View changes a visitor makes: their query strings, for pages and for redraws.
QUERIES = [
    "",
    "start=1949-01-10&end=1949-01-15",
    "start=1949-01-01&end=1949-02-28&people=mikoyan",
    "people=Filippov&names=codename",
    "kind=coded+telegram",
    "start=1949-01-08&end=1949-01-20&message=m06",
    "day=1949-01-14&speed=fast",
    "step=3",
    "look=presentation&start=1949-04-01&end=1949-05-31",
    "people=mao%2Cterebin&start=1949-01-20&end=1949-02-10",
]
PAGES = ["/", "/", "/", "/kiosk", "/embed/network", "/embed/timeline", "/embed/flow"]


# --- the server ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def running_server(
    *args: str,
    port: int | None = None,
    python: str = sys.executable,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    ready_timeout: float = 90.0,
    command: list[str] | None = None,
) -> Iterator[tuple[subprocess.Popen, str]]:
    """`python -m dashboard ARGS --host 127.0.0.1 --port P` until the block ends; yields the
    process (gunicorn's arbiter) and the base URL once the app answers. With `command`,
    that command instead, `{port}` in it replaced by the port."""
    port = port or free_port()
    if command is None:
        command = [python, "-m", "dashboard", *args, "--host", HOST, "--port", "{port}"]
    command = [part.replace("{port}", str(port)) for part in command]
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    log: list[str] = []
    reader = threading.Thread(target=lambda: log.extend(process.stdout), daemon=True)
    reader.start()
    url = f"http://{HOST}:{port}"
    try:
        deadline = time.monotonic() + ready_timeout
        while True:
            if process.poll() is not None:
                reader.join(5)
                raise RuntimeError(f"the server stopped: {' '.join(command)}\n{''.join(log)}")
            with contextlib.suppress(OSError):
                if get_status(url, "/_dash-layout", timeout=5) == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"the server did not answer in {ready_timeout:g} s")
            time.sleep(0.25)
        process.log = log  # type: ignore[attr-defined]
        yield process, url
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)  # gunicorn: finish requests, then stop
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)
        reader.join(5)


def get_status(url: str, path: str, timeout: float = REQUEST_TIMEOUT) -> int:
    status, _body, _headers = request(url, "GET", path, timeout=timeout)
    return status


def request(
    url: str, method: str, path: str, body: bytes | None = None, timeout: float = REQUEST_TIMEOUT
) -> tuple[int, bytes, http.client.HTTPMessage]:
    host, port = url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=timeout)
    try:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read(), response.headers
    finally:
        connection.close()


def workers_of(arbiter: int) -> list[int]:
    """The pids of gunicorn's workers: the arbiter's children (Linux /proc)."""
    children = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            stat = (entry / "stat").read_text()
            # pid (comm) state ppid ...: comm may hold spaces, so split after its ')'.
            if int(stat.rpartition(")")[2].split()[1]) == arbiter:
                children.append(int(entry.name))
    return sorted(children)


# --- the visitors -------------------------------------------------------------------------


@dataclass
class Result:
    kind: str
    start: float
    seconds: float
    status: int | None
    error: str | None = None


@dataclass
class Run:
    results: list[Result] = field(default_factory=list)
    kill_at: float | None = None
    killed: int | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, result: Result) -> None:
        with self.lock:
            self.results.append(result)


def with_view(payload: dict, search: str, pathname: str = "/") -> dict:
    """A copy of a recorded callback request whose URL inputs are `pathname` and `search`."""
    copy = json.loads(json.dumps(payload))
    url = {"search": search, "pathname": pathname}
    for item in copy["inputs"]:
        if isinstance(item, dict) and item["id"] == "url" and item["property"] in url:
            item["value"] = url[item["property"]]
    return copy


def visitor(url: str, payloads: dict, deadline: float, run: Run, seed: int) -> None:
    try:
        visit(url, payloads, deadline, run, random.Random(seed))
    except Exception as error:  # a fault in this script, not the server's: counted, shown
        run.add(Result("client", time.monotonic(), 0.0, None, repr(error)))


def visit(url: str, payloads: dict, deadline: float, run: Run, rng: random.Random) -> None:

    def call(kind: str, method: str, path: str, body: dict | None = None) -> bytes | None:
        started = time.monotonic()
        data = None if body is None else json.dumps(body).encode()
        try:
            status, content, _headers = request(url, method, path, data)
        except (OSError, http.client.HTTPException) as error:
            run.add(Result(kind, started, time.monotonic() - started, None, repr(error)))
            return None
        ok = status in (200, 204)
        error = None if ok else f"HTTP {status}"
        run.add(Result(kind, started, time.monotonic() - started, status, error))
        return content if ok else None

    while time.monotonic() < deadline:
        # Arrive: the page, its layout and callbacks, its first drawing.
        query = rng.choice(QUERIES)
        search = f"?{query}" if query else ""
        page = rng.choice(PAGES)
        call("page", "GET", page + search)
        call("layout", "GET", "/_dash-layout")
        call("dependencies", "GET", "/_dash-dependencies")
        call("render", "POST", UPDATE, with_view(payloads["render"], search, page))
        # Change the view a few times: each change, then the redraw of the new URL.
        for _ in range(rng.randint(2, 5)):
            if time.monotonic() >= deadline:
                return
            change = rng.choice(["dates", "person", "tick"])
            answer = call(change, "POST", UPDATE, with_view(payloads[change], search, page))
            new_search = _new_search(answer)
            if new_search is not None:
                search = new_search
            call("render", "POST", UPDATE, with_view(payloads["render"], search, page))
            time.sleep(rng.uniform(0.0, 0.5))  # a visitor reads for a moment


def _new_search(answer: bytes | None) -> str | None:
    if not answer:
        return None
    response = json.loads(answer).get("response", {})
    search = response.get("url", {}).get("search")
    return search if isinstance(search, str) else None


def killer(arbiter: int, at: float, run: Run) -> None:
    time.sleep(max(0.0, at - time.monotonic()))
    workers = workers_of(arbiter)
    if not workers:
        return
    run.killed = workers[0]
    run.kill_at = time.monotonic()
    os.kill(workers[0], signal.SIGKILL)


def load(url: str, users: int, duration: float, arbiter: int | None, kill: bool) -> Run:
    payloads = json.loads(PAYLOADS.read_text(encoding="utf-8"))
    run = Run()
    start = time.monotonic()
    deadline = start + duration
    threads = [
        threading.Thread(target=visitor, args=(url, payloads, deadline, run, n), daemon=True)
        for n in range(users)
    ]
    if kill and arbiter is not None:
        threads.append(
            threading.Thread(target=killer, args=(arbiter, start + duration / 3, run), daemon=True)
        )
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(duration + REQUEST_TIMEOUT + 5)
    run.duration = time.monotonic() - start  # type: ignore[attr-defined]
    return run


def summarise(run: Run, users: int) -> dict:
    times = sorted(result.seconds for result in run.results)
    failed = [result for result in run.results if result.error]
    # The one request the killed worker was answering: begun before the kill, ended by it.
    at_kill = [
        result
        for result in failed
        if run.kill_at is not None
        and result.status is None
        and result.start <= run.kill_at <= result.start + result.seconds + 0.05
    ]
    # A sync worker answers one request at a time: any more lost at the kill are errors.
    at_kill = sorted(at_kill, key=lambda result: result.start)
    other = [result for result in failed if result not in at_kill[:1]]
    at_kill = at_kill[:1]
    duration = run.duration  # type: ignore[attr-defined]

    def percentile(share: float) -> float:
        return round(1000 * times[min(len(times) - 1, int(share * len(times)))], 1) if times else 0

    return {
        "users": users,
        "seconds": round(duration, 1),
        "requests": len(run.results),
        "requests_per_second": round(len(run.results) / duration, 1),
        "p50_ms": percentile(0.50),
        "p95_ms": percentile(0.95),
        "p99_ms": percentile(0.99),
        "max_ms": round(1000 * times[-1], 1) if times else 0,
        "killed_worker": run.killed,
        "lost_with_killed_worker": len(at_kill),
        "errors": len(other),
        "error_samples": sorted({f"{r.kind}: {r.error}" for r in other})[:10],
        "by_kind": {
            kind: sum(1 for r in run.results if r.kind == kind)
            for kind in sorted({r.kind for r in run.results})
        },
    }


def report(summary: dict) -> str:
    lines = [
        f"{summary['users']} users for {summary['seconds']} s: {summary['requests']} requests, "
        f"{summary['requests_per_second']} requests/s",
        f"latency: p50 {summary['p50_ms']} ms, p95 {summary['p95_ms']} ms, "
        f"p99 {summary['p99_ms']} ms, max {summary['max_ms']} ms",
    ]
    if summary["killed_worker"]:
        lines.append(
            f"worker {summary['killed_worker']} killed (SIGKILL): "
            f"{summary['lost_with_killed_worker']} request lost with it (the one it was "
            "answering)"
        )
    lines.append(f"errors: {summary['errors']}")
    lines.extend(f"  {sample}" for sample in summary["error_samples"])
    return "\n".join(lines)


# --- recording the page's requests --------------------------------------------------------


def capture() -> dict:
    """Drive the page in headless Chromium and keep one callback request of each kind."""
    from flask import request as flask_request
    from selenium import webdriver
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait
    from werkzeug.serving import make_server

    from dashboard import ids
    from dashboard.app import create_app
    from dashboard.model import load_corpus

    app = create_app(load_corpus())
    seen: list[dict] = []

    @app.server.before_request
    def keep() -> None:
        if flask_request.method == "POST" and flask_request.path == UPDATE:
            seen.append(flask_request.get_json())

    http_server = make_server(HOST, 0, app.server, threaded=True)
    threading.Thread(target=http_server.serve_forever, daemon=True).start()
    base = f"http://{HOST}:{http_server.server_port}"
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--window-size=1280,900",
        "--disable-background-networking",
        "--disable-component-update",
    ):
        options.add_argument(arg)
    driver = webdriver.Chrome(options=options)
    wait = WebDriverWait(driver, 20)

    def triggered_by(component: str) -> dict:
        def by(payload: dict) -> bool:
            changed = payload.get("changedPropIds", [])
            return len(changed) == 1 and changed[0].startswith(component)

        wait.until(lambda _d: any(by(payload) for payload in seen))
        return next(payload for payload in seen if by(payload))

    try:
        driver.get(base + "/")
        for graph in (ids.NETWORK, ids.TIMELINE, ids.FLOW):
            wait.until(lambda d, g=graph: d.find_elements("css selector", f"#{g} .main-svg"))
        time.sleep(1)  # the page's first callbacks settle before a visitor types
        render = next(p for p in seen if p["output"].startswith(f"..{ids.NETWORK}.figure"))
        field_ = driver.find_element("css selector", f"#{ids.DATES}")
        field_.click()
        field_.send_keys(Keys.CONTROL, "a")
        field_.send_keys("10 Jan 1949", Keys.ENTER)
        dates = triggered_by(f"{ids.DATES}.")
        driver.switch_to.active_element.send_keys(Keys.ESCAPE)  # the calendar closes
        option = ".dash-dropdown-option input[value=mikoyan]"

        def open_people(d: webdriver.Chrome) -> bool:
            if not d.find_elements("css selector", ".dash-dropdown-content"):
                d.find_element("css selector", f"#{ids.PEOPLE}").click()
                d.switch_to.active_element.send_keys("Mikoyan")
            return bool(d.find_elements("css selector", option))

        wait.until(open_people)
        driver.find_element("css selector", option).click()
        person = triggered_by(f"{ids.PEOPLE}.")
        driver.get(base + "/kiosk?day=1949-01-10&play=on&speed=fast")
        tick = triggered_by(f"{ids.CLOCK}.")
    finally:
        driver.quit()
        http_server.shutdown()
    return {"render": render, "dates": dates, "person": person, "tick": tick}


# --- the command --------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50, help="concurrent users (default 50)")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds (default 60)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--no-kill", action="store_true", help="leave the workers alone")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--capture", action="store_true", help=f"rewrite {PAYLOADS.name}")
    args = parser.parse_args(argv)
    if args.capture:
        PAYLOADS.write_text(json.dumps(capture(), indent=1) + "\n", encoding="utf-8")
        print(f"wrote {PAYLOADS}")
        return 0
    if not 1 <= args.users <= 200 or not 0 < args.duration <= 600:
        parser.error("--users 1 to 200, --duration up to 600 s: this is a bounded test")
    with running_server("serve", "--workers", str(args.workers)) as (process, url):
        run = load(url, args.users, args.duration, process.pid, kill=not args.no_kill)
        summary = summarise(run, args.users)
        if run.killed:
            summary["workers_after"] = len(workers_of(process.pid))
    print(json.dumps(summary, indent=1) if args.json else report(summary))
    return 1 if summary["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())

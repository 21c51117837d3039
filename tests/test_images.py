"""Images: drawn offline, in one warm browser per process, and nothing left behind."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import plotly.graph_objects as go
import pytest

from dashboard import export, images

ROOT = Path(__file__).resolve().parent.parent
FIGURE = go.Figure(go.Scatter(x=[1, 2, 3], y=[3, 1, 2]))
PNG = b"\x89PNG\r\n\x1a\n"
LOOPBACK = ("127.0.0.1:", "[::1]:")
# Chromium's one check that a UDP socket "connects" to a public address: it asks the kernel
# whether IPv6 has a route (to Google's DNS address), and sends nothing. strace agrees.
IPV6_PROBE = "[2001:4860:4860::8888]:443"


@pytest.fixture(scope="module")
def browser():
    return export.find_browser()


def net_log(path: Path) -> list[tuple[str, dict]]:
    """(event type, params) of every event in a Chromium net log."""
    text = path.read_text("utf-8")
    try:
        data = json.loads(text)
    except ValueError:  # a log whose browser stopped before closing its list
        data = json.loads(text.rstrip().rstrip(",") + "]}")
    names = {number: name for name, number in data["constants"]["logEventTypes"].items()}
    return [(names[event["type"]], event.get("params", {})) for event in data["events"]]


def test_an_image_looks_up_no_host_and_connects_only_to_this_machine(browser, tmp_path):
    log = tmp_path / "net.json"
    renderer = images.Renderer(browser, extra_flags=(f"--log-net-log={log}",))
    try:
        assert renderer.render(FIGURE, "png", 300, 200, 1.0).startswith(PNG)
        time.sleep(2)  # Chromium's own start-up requests come in the first seconds
    finally:
        renderer.close()
    events = net_log(log)
    assert len(events) > 100, "the net log recorded the browser's work"
    # No query to a DNS server and no call to the system's resolver: not one lookup.
    lookups = [
        name for name, _ in events if name.startswith("DNS_") and name != "DNS_CONFIG_CHANGED"
    ]
    lookups += [
        name
        for name, _ in events
        if name.startswith(("HOST_RESOLVER_SYSTEM_TASK", "HOST_RESOLVER_DNS_TASK"))
    ]
    assert lookups == []
    # Every name Chromium asked for was answered "not found" by the rule, before any lookup.
    asked = {
        p["host"] for name, p in events if name == "HOST_RESOLVER_MANAGER_REQUEST" and "host" in p
    }
    assert all("~notfound" in host or "127.0.0.1" in host for host in asked), asked
    connects = [
        p["address"]
        for name, p in events
        if name in ("TCP_CONNECT_ATTEMPT", "SOCKET_CONNECT", "UDP_CONNECT") and "address" in p
    ]
    assert all(a.startswith(LOOPBACK) or a == IPV6_PROBE for a in connects), connects
    assert not [name for name, _ in events if name in ("UDP_BYTES_SENT", "SOCKET_BYTES_SENT")]


def test_every_image_of_a_process_is_drawn_in_one_warm_browser(browser):
    images.stop()
    first = images.shared(browser)
    try:
        sizes = []

        def draw(fmt: str) -> None:
            sizes.append(len(images.render(FIGURE, fmt, 400, 300, 1.0, browser)))

        threads = [threading.Thread(target=draw, args=(fmt,)) for fmt in ("png", "svg") * 3]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert len(sizes) == 6 and all(sizes)
        assert images.shared(browser) is first and first.folder.is_dir()
    finally:
        images.stop()
    assert not first.folder.exists()


def run_python(code: str, tmp: Path) -> subprocess.Popen:
    """A Python process of this checkout whose temporary files go to `tmp`."""
    env = {**os.environ, "TMPDIR": str(tmp), "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-c", code], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
    )


DRAW = """
import sys
from dashboard import images
import plotly.graph_objects as go
data = images.render(go.Figure(go.Bar(y=[1, 2])), "svg", 300, 200, 1.0, {browser!r})
print(images.shared({browser!r}).folder, flush=True)
{then}
"""


def browser_processes(folder: Path) -> list[str]:
    listing = subprocess.run(
        ["ps", "-ww", "-eo", "pid,args"], capture_output=True, text=True
    ).stdout
    return [line for line in listing.splitlines() if str(folder) in line and " -ww " not in line]


@pytest.fixture
def tmp():
    """An empty temporary folder with a short path: Chromium's socket path must stay short."""
    folder = Path(tempfile.mkdtemp(prefix="dsp-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_a_process_that_exits_leaves_nothing_behind(browser, tmp):
    process = run_python(DRAW.format(browser=browser, then="sys.exit(0)"), tmp)
    folder = Path(process.communicate(timeout=120)[0].strip())
    assert process.returncode == 0 and folder.parent == tmp
    assert list(tmp.iterdir()) == []  # no profile, no page, no Chromium temporary files
    assert browser_processes(folder) == []


def test_a_killed_process_stops_its_browser_and_the_next_removes_its_folder(browser, tmp):
    process = run_python(DRAW.format(browser=browser, then="import time; time.sleep(120)"), tmp)
    try:
        folder = Path(process.stdout.readline().strip())
        assert folder.is_dir() and browser_processes(folder)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(10)
        process.stdout.close()
    deadline = time.monotonic() + 20
    while browser_processes(folder) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert browser_processes(folder) == [], "Chromium stops when its server is killed"
    assert folder.is_dir()  # a kill leaves the folder: the next process that draws removes it
    assert images.remove_leftovers(tmp) == [folder] and list(tmp.iterdir()) == []


def test_leftovers_of_live_processes_are_kept(tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    mine = tmp_path / f"{images.FOLDER_PREFIX}{os.getpid()}-abc"
    gone = tmp_path / f"{images.FOLDER_PREFIX}{dead.pid}-abc"
    odd = tmp_path / f"{images.FOLDER_PREFIX}\u00b2-abc"
    for folder in (mine, gone, odd):
        folder.mkdir()
    assert images.remove_leftovers(tmp_path) == [gone]
    assert mine.is_dir() and odd.is_dir() and not gone.exists()


def test_the_offline_switches_are_all_there():
    flags = " ".join(images.OFFLINE_FLAGS)
    for switch in (
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-domain-reliability",
        "--disable-client-side-phishing-detection",
        "--no-pings",
        "--dns-prefetch-disable",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    ):
        assert switch in flags

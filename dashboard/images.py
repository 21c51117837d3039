"""PNG and SVG of a figure, drawn by kaleido in one warm, offline Chromium per process.

Starting Chromium takes seconds, so the first image of a process starts one and every later
image, from any thread, is drawn in it (two tabs, so two downloads draw at once). The browser
is started with every network feature off and a host resolver that knows no host but this
machine's, so drawing a chart looks nothing up. Its profile and temporary files live in one
folder per process, removed when the process exits; a folder left by a process that was
killed is removed by the next process that draws an image.
"""

from __future__ import annotations

import asyncio
import atexit
import os
import shutil
import sys
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import plotly

# Chromium's switches for everything it would otherwise fetch or report on its own: component
# and safe-browsing updates, sync, domain reliability, pings, DNS prefetch, a proxy from the
# environment. The resolver rule answers every name but the loopback address with "not found",
# so that a request that slips past the switches goes nowhere.
OFFLINE_FLAGS = (
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
    "--safebrowsing-disable-auto-update",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-breakpad",
    "--disable-crash-reporter",
    "--no-pings",
    "--dns-prefetch-disable",
    "--no-proxy-server",
    "--disable-features=MediaRouter,OptimizationHints,Translate,NetworkTimeServiceQuerying,"
    "AutofillServerCommunication,CertificateTransparencyComponentUpdater",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
)
TABS = 2
TIMEOUT_SECONDS = 60.0
# kaleido starts Chromium through a small Python wrapper, and a Chromium whose server was
# killed (kill -9, an out-of-memory kill) would run on with nobody to close it. This runs that
# wrapper with a watch on its parent: when the parent is gone, the wrapper is sent SIGTERM,
# and its own handler stops Chromium.
WATCHED_WRAPPER = """
import os, runpy, signal, sys, threading, time
parent = os.getppid()
def watch():
    while os.getppid() == parent:
        time.sleep(0.5)
    os.kill(os.getpid(), signal.SIGTERM)
threading.Thread(target=watch, daemon=True).start()
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")
"""
# One folder per process, named for it, so a later process knows whose folder it finds.
FOLDER_PREFIX = "dispatches-images-"
# The plotly.js that ships with plotly.py: kaleido's page loads it from disk.
PLOTLY_JS = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"


class Renderer:
    """A Chromium in a thread of its own, drawing figures for every thread that asks."""

    def __init__(self, browser: str, extra_flags: Sequence[str] = (), tabs: int = TABS):
        # Imported here: only image exports need kaleido, and the app starts quicker without it.
        import kaleido
        from choreographer.browsers.chromium import Chromium

        self.pid = os.getpid()
        self.browser = browser
        self.folder = Path(tempfile.mkdtemp(prefix=f"{FOLDER_PREFIX}{self.pid}-"))
        flags = (*OFFLINE_FLAGS, *extra_flags)
        folder = self.folder

        class OfflineChromium(Chromium):
            def get_cli(self) -> Sequence[str]:
                cli = [arg for arg in super().get_cli() if not arg.startswith("--proxy-server")]
                if cli[0] == sys.executable and cli[1].endswith("_wrapper.py"):
                    cli = [sys.executable, "-c", WATCHED_WRAPPER, *cli[1:]]
                return [*cli, *flags]

            def get_env(self) -> Any:
                env = super().get_env()
                env["TMPDIR"] = str(folder)  # Chromium's own temporary files, in our folder
                return env

        page = self.folder / "index.html"
        generator = kaleido.PageGenerator(plotly=str(PLOTLY_JS), mathjax=False)
        page.write_text(generator.generate_index(), encoding="utf-8")
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="dispatches-images", daemon=True
        )
        self._thread.start()

        async def open_browser() -> Any:
            browser_process = kaleido.Kaleido(
                n=tabs,
                timeout=TIMEOUT_SECONDS,
                page_generator=page,
                path=browser,
                browser_cls=OfflineChromium,
                tmp_dir=str(self.folder),
            )
            await browser_process.open()
            return browser_process

        try:
            self._kaleido = self._run(open_browser())
        except BaseException:
            self._stop_loop()
            raise

    def render(self, figure: object, fmt: str, width: int, height: int, scale: float) -> bytes:
        layout = {"format": fmt, "width": width, "height": height, "scale": scale}
        data = self._run(self._kaleido.calc_fig(figure, opts=layout))
        return data if isinstance(data, bytes) else str(data).encode("utf-8")

    def close(self) -> None:
        """Close the browser and remove the folder; safe to call twice."""
        if self._loop.is_closed():
            return
        try:
            self._run(self._kaleido.close())
        finally:
            self._stop_loop()

    def _run(self, coroutine: Any) -> Any:
        future = asyncio.run_coroutine_threadsafe(coroutine, self._loop)
        return future.result(TIMEOUT_SECONDS + 10)

    def _stop_loop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        if not self._thread.is_alive():
            self._loop.close()
        shutil.rmtree(self.folder, ignore_errors=True)


_shared: Renderer | None = None
_starting = threading.Lock()


def render(figure: object, fmt: str, width: int, height: int, scale: float, browser: str) -> bytes:
    """PNG or SVG bytes of `figure`, drawn in this process's browser (started if need be)."""
    renderer = shared(browser)
    try:
        return renderer.render(figure, fmt, width, height, scale)
    except Exception:
        # A browser that failed once (crashed, killed, timed out) is not trusted again: the
        # next image starts a new one.
        discard(renderer)
        raise


def shared(browser: str) -> Renderer:
    """The process's renderer, started on first use; a new one after a fork or a failure."""
    global _shared
    with _starting:
        if _shared is not None and (_shared.pid != os.getpid() or _shared.browser != browser):
            if _shared.pid == os.getpid():
                _shared.close()
            _shared = None  # a parent's browser is the parent's to close
        if _shared is None:
            remove_leftovers()
            _shared = Renderer(browser)
        return _shared


def discard(renderer: Renderer) -> None:
    global _shared
    with _starting:
        if _shared is renderer:
            _shared = None
    try:
        renderer.close()
    except (RuntimeError, OSError, TimeoutError):
        # A browser that broke may fail to close as well; its folder goes all the same.
        shutil.rmtree(renderer.folder, ignore_errors=True)


def stop() -> None:
    """Close the process's browser, if it started one: at exit, and in tests."""
    global _shared
    with _starting:
        renderer, _shared = _shared, None
    if renderer is not None and renderer.pid == os.getpid():
        renderer.close()


def remove_leftovers(folder: Path | None = None) -> list[Path]:
    """Remove the folders of processes that died without removing their own (a kill -9)."""
    removed = []
    for path in Path(folder or tempfile.gettempdir()).glob(f"{FOLDER_PREFIX}*"):
        pid = path.name.removeprefix(FOLDER_PREFIX).partition("-")[0]
        try:
            mine = path.is_dir() and path.stat().st_uid == os.getuid()
        except OSError:
            continue
        if mine and pid.isascii() and pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


atexit.register(stop)

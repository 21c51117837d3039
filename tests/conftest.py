"""Shared pytest configuration for the whole Dispatches suite.

Browser tests (everything under ``tests/browser/``) use dash.testing's
``dash_duo`` / ``dash_br`` fixtures, which build their Selenium driver from
whatever the ``pytest_setup_options`` hook below returns.  They run in the
system Chromium (Debian's ``chromium``) driven by the system ``chromedriver``
found on PATH; ``scripts/test`` installs both.  If either is missing the
browser tests fail with a clear message -- they are never skipped, in CI or
anywhere else.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from selenium.webdriver.chrome.options import Options as ChromeOptions

BROWSER_TESTS_DIR = Path(__file__).resolve().parent / "browser"

CHROMIUM_ARGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    "--window-size=1280,900",
)

_config: pytest.Config | None = None


def pytest_configure(config: pytest.Config) -> None:
    global _config
    _config = config
    # Layouts and corpora the app keeps between runs go to a folder of this run's own, not
    # the user's cache: every run starts cold, and leaves nothing behind in their home.
    os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="dispatches-test-cache-")


def pytest_unconfigure(config: pytest.Config) -> None:
    folder = os.environ.get("XDG_CACHE_HOME", "")
    if Path(folder).name.startswith("dispatches-test-cache-"):
        shutil.rmtree(folder, ignore_errors=True)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test under tests/browser/ with the ``browser`` marker, and let it run
    twice more before it fails: a real browser on a loaded machine can lose a tap or a
    keystroke to the page's own answers, which a second try tells from a real fault."""
    for item in items:
        if BROWSER_TESTS_DIR in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)
            # A test that counts trials itself says so with its own flaky(reruns=0).
            if item.get_closest_marker("flaky") is None:
                item.add_marker(pytest.mark.flaky(reruns=2, reruns_delay=1))


def _require(executable: str, debian_package: str) -> str:
    path = shutil.which(executable)
    if path is None:
        pytest.fail(
            f"browser tests need `{executable}` on PATH but it was not found. "
            f"Run scripts/test (it installs it) or `apt-get install {debian_package}`.",
            pytrace=False,
        )
    return path


def pytest_setup_options() -> ChromeOptions | None:
    """dash.testing hook: the options its Browser builds the webdriver from.

    Called by the ``dash_duo``/``dash_br`` fixtures right before the driver
    starts.  dash then adds its own flags (``--headless`` when pytest runs with
    ``--headless``, ``--remote-debugging-port=0``, ...) and calls
    ``webdriver.Chrome(options=...)`` without a Service, so Selenium 4.2 runs
    ``chromedriver`` from PATH.
    """
    if _config is not None and _config.getoption("webdriver", "Chrome") != "Chrome":
        return None  # e.g. --webdriver Firefox: let dash use its defaults

    options = ChromeOptions()
    options.binary_location = _require("chromium", "chromium")
    _require("chromedriver", "chromium-driver")
    for arg in CHROMIUM_ARGS:
        options.add_argument(arg)
    # Console capture for dash_duo.get_logs().  NB: dash's Browser._get_chrome
    # overwrites this capability with {"browser": "SEVERE"} afterwards, so
    # get_logs() returns console *errors* only -- which is what
    # `assert dash_duo.get_logs() == []` wants.
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return options


# Real editions from public projects, laid beside the repository (read-only): ../shared/corpora.
SHARED_CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"


@pytest.fixture(scope="session")
def shared_corpora() -> Path:
    """The folder of real CMIF and csv2cmi files. CI always has it (a missing folder fails
    there); a clone without it skips the tests that read real editions, saying why."""
    if not SHARED_CORPORA.is_dir():
        message = f"the real editions are not at {SHARED_CORPORA}"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return SHARED_CORPORA

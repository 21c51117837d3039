"""The wheel works on its own: built from a copy of the sources, installed into an empty
folder, it loads the bundled corpus and serves the page with its CSS and scripts."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from benchmarks.load import request, running_server

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ["pyproject.toml", "README.md", "LICENSE", "dashboard", "data", "assets"]
PIP = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
OFFLINE = ["--no-deps", "--no-index"]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """A wheel built from a copy of the sources, with this environment's setuptools: no build
    environment, no download."""
    tmp = tmp_path_factory.mktemp("wheel")
    source = tmp / "source"
    source.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in SOURCES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=ignore)
        else:
            shutil.copy2(path, source / name)
    subprocess.run(
        [*PIP, "wheel", *OFFLINE, "--no-build-isolation", "-q", "-w", str(tmp / "dist"), "."],
        cwd=source,
        check=True,
    )
    (built,) = (tmp / "dist").glob("dispatches-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """The wheel installed into a folder of its own, and an environment that sees only it
    (the test environment's dependencies come from the interpreter's own site-packages)."""
    target = tmp_path_factory.mktemp("site")
    subprocess.run(
        [*PIP, "install", *OFFLINE, "-q", "--target", str(target), str(wheel)], check=True
    )
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP"}
    }
    env["PYTHONPATH"] = str(target)
    return target, env


def test_the_wheel_carries_the_licences(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        assert "dispatches-0.1.0.dist-info/licenses/LICENSE" in names
        data_readme = archive.read("dashboard/data/README.md").decode("utf-8")
        metadata = archive.read("dispatches-0.1.0.dist-info/METADATA").decode("utf-8")
    assert "## Licence and rights" in data_readme and "CC BY 4.0" in data_readme
    assert "License-Expression: MIT" in metadata


def test_the_citation_names_the_released_version():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    citation = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    assert re.search(r"^cff-version: 1\.2\.0$", citation, flags=re.MULTILINE)
    assert re.search(rf"^version: {re.escape(project['version'])}$", citation, flags=re.MULTILINE)
    assert "name: Dispatches contributors" in citation


def run_python(code: str, env: dict[str, str], cwd: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=cwd, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_installed_package_has_its_corpus_and_assets(installed, tmp_path):
    target, env = installed
    out = run_python(
        "import dashboard, dashboard.app as app, dashboard.model as model\n"
        "print(dashboard.__file__)\n"
        "print(model.BUNDLED_DATA)\n"
        "print(app.ASSETS)\n"
        "print(','.join(sorted(p.name for p in app.ASSETS.iterdir())))\n"
        "print(model.load_corpus().summary())\n"
        "print(model.load_corpus().meta.title)\n"
        "import dashboard.formats.cmif, dashboard.formats.csv2cmi\n",
        env,
        cwd=tmp_path,
    )
    module, data, assets, files, summary, title = out.splitlines()
    # Nothing comes from the source tree: the module, its data and assets are the wheel's.
    assert Path(module).is_relative_to(target), module
    assert Path(data) == target / "dashboard" / "data"
    assert Path(assets) == target / "dashboard" / "assets"
    assert {"style.css", "kiosk.js", "a11y.js"} <= set(files.split(","))
    assert summary.startswith("21 messages, 22 people, 22 copies")
    # The corpus's own description travels too, and the readers of other editions.
    assert title.startswith("Coded telegrams")


def test_the_dispatches_command_runs(installed, tmp_path):
    target, env = installed
    done = subprocess.run(
        [sys.executable, str(target / "bin" / "dispatches"), "--help"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "serve" in done.stdout and "--workers" in done.stdout


def test_the_installed_app_serves_its_page_and_assets(installed, tmp_path):
    _target, env = installed
    with running_server("serve", "--workers", "1", cwd=tmp_path, env=env) as (_process, url):
        status, page, _headers = request(url, "GET", "/")
        assert status == 200 and b"/assets/style.css" in page
        for asset, text in [("style.css", b"{"), ("kiosk.js", b"function"), ("a11y.js", b"")]:
            status, body, _headers = request(url, "GET", f"/assets/{asset}")
            assert status == 200 and text in body and body, asset

"""The README documents what the code offers: every URL parameter, and the CI test command."""

from __future__ import annotations

import re
from pathlib import Path

from dashboard.state import PARAMETERS

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_url_parameter_is_in_the_readme_table():
    documented = set(re.findall(r"^\| `(\w+)` \|", README, flags=re.MULTILINE))
    assert set(PARAMETERS) <= documented, sorted(set(PARAMETERS) - documented)


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "scripts/test" in README
    assert re.search(r"^exec bash scripts/test\s*$", ci, flags=re.MULTILINE)


def test_readme_links_resolve():
    for target in re.findall(r"\]\(([^)#:]+)\)", README):
        assert (ROOT / target).exists(), target

"""Where the bundled corpus and the page's assets are, from a source tree or an installed wheel."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def bundled_folder(name: str) -> Path:
    """`data` or `assets`: inside the package when installed (the wheel maps the repository's
    top-level folders into it), else beside the package, at the top of the source tree."""
    inside = PACKAGE / name
    return inside if inside.is_dir() else PACKAGE.parent / name

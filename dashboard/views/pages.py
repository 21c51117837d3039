"""Which page a path asks for: the full page, one chart to embed, or the museum kiosk."""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.context import VIEWS
from dashboard.state import DEFAULT_LOOK, quoted

EMBED_PREFIX = "/embed/"
KIOSK_PATH = "/kiosk"


@dataclass(frozen=True)
class Page:
    """A page is the same layout dressed by a class on the root: CSS hides what it leaves out."""

    kind: str  # main | embed | kiosk
    view: str | None = None

    @property
    def class_name(self) -> str:
        classes = ["app", f"page-{self.kind}"]
        if self.view:
            classes.append(f"embed-{self.view}")
        return " ".join(classes)

    def class_for(self, look: str) -> str:
        """The root class with the look: `look-presentation` makes type larger, ink darker."""
        return self.class_name if look == DEFAULT_LOOK else f"{self.class_name} look-{look}"


MAIN = Page("main")


def page_for(pathname: object) -> tuple[Page, list[str]]:
    """The page for a path, and a warning when the path names nothing we serve."""
    if pathname is not None and not isinstance(pathname, str):
        return MAIN, ["The page's path is not text; showing the main page."]
    path = (pathname or "/").rstrip("/") or "/"
    if path == "/":
        return MAIN, []
    if path == KIOSK_PATH:
        return Page("kiosk"), []
    if path.startswith(EMBED_PREFIX):
        view = path.removeprefix(EMBED_PREFIX)
        if view in VIEWS:
            return Page("embed", view), []
        return MAIN, [
            f"There is no chart called {quoted(view)} to embed; choose {', '.join(VIEWS)}."
        ]
    return MAIN, [f"There is no page at {quoted(path)}; showing the main page."]

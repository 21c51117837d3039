"""HTTP beside the Dash page: file downloads of any view, the security headers of every
response (who may frame which page, where scripts may come from), the limits on a request's
size, and the kiosk as the start page."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from contextlib import nullcontext
from urllib.parse import parse_qsl, urlencode

from dash import Dash
from flask import Flask, Response, abort, redirect, request

from dashboard.context import Context
from dashboard.export import (
    IMAGE_FORMATS,
    BrowserNotFoundError,
    ExportError,
    check_request,
    export,
    image_size,
)
from dashboard.state import ViewState
from dashboard.views.pages import KIOSK_PATH, page_for

DOWNLOAD_PREFIX = "download/"
SIZE_PARAMETERS = {
    "width": "PNG and SVG downloads only: width in CSS pixels",
    "height": "PNG and SVG downloads only: height in CSS pixels",
    "scale": "PNG and SVG downloads only: device pixels per CSS pixel (PNG 2, SVG 1)",
}
ANY_ORIGIN = "*"
# A page update posts a few kB; a request line is a path and a query string a person could
# share. Larger ones are refused before any work: 413 and 414.
MAX_BODY_BYTES = 1_000_000
MAX_URL_BYTES = 8192
# What every page may load, beside the framing rules. Dash and plotly.js need no more:
# - script-src 'self' and the hashes of Dash's own inline scripts (the renderer's start and
#   the clientside callbacks), added per app; no other inline script, no eval;
# - style-src 'unsafe-inline': plotly.js and Dash's components set styles from script;
# - img-src data: blob: plotly.js draws its mode bar icons and "download as PNG" that way;
# - everything else (fonts, the page's requests to its callbacks) from the same server only.
CONTENT_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data: blob:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
}
# A CSP source that may appear in frame-ancestors: a keyword, a scheme, or an origin whose
# host may start with a wildcard label. Nothing that could end the directive (; or ,).
_SOURCE = re.compile(
    r"""^(?:\*|'self'|'none'|[a-z][a-z0-9+.-]*:|"""
    r"""(?:[a-z][a-z0-9+.-]*://)?(?:\*\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*(?::(?:\d{1,5}|\*))?)$""",
    re.IGNORECASE,
)


def frame_ancestors(origins: str | Iterable[str] | None) -> str:
    """The frame-ancestors sources for embeds, from a space- or comma-separated list."""
    if origins is None:
        return ANY_ORIGIN
    items = re.split(r"[\s,]+", origins) if isinstance(origins, str) else list(origins)
    sources = [item.strip() for item in items if item.strip()]
    if not sources:
        return ANY_ORIGIN
    for source in sources:
        if not _SOURCE.match(source):
            raise ValueError(
                f"{source!r} is not an origin that may frame the embeds; give origins such "
                "as https://YOUR-SITE, 'self', or * for any."
            )
    return " ".join(sources)


def register(app: Dash, context: Context, origins: str | Iterable[str] | None = None) -> None:
    """Add the download route and the framing headers to the app's Flask server."""
    server = app.server
    ancestors = frame_ancestors(origins)
    prefix = app.config.routes_pathname_prefix
    server.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    policy = _ContentPolicy(app)
    # One Chromium at a time: each image starts a browser, and a burst must not start many.
    rendering = threading.Lock()

    @server.get(f"{prefix}{DOWNLOAD_PREFIX}<name>")
    def download(name: str) -> Response:
        """/download/network.png?start=...: the view the same query shows on the page."""
        what, dot, fmt = name.rpartition(".")
        what, fmt = (what, fmt) if dot else (name, "")
        query, sizes = _split_query(request.query_string.decode("utf-8", "replace"))
        state = ViewState.from_query(query, context.corpus)
        try:
            check_request(what, fmt)
            if state.warnings:
                raise ExportError(
                    "the page would show this link with a fallback, but a download must "
                    "match its query exactly.\n" + "\n".join(state.warnings)
                )
            size = (
                image_size(what, **sizes, fmt=fmt, look=state.look)
                if fmt in IMAGE_FORMATS
                else None
            )
            link = f"{request.host_url.rstrip('/')}{prefix}{state.to_query(context.corpus)}"
            with rendering if size else nullcontext():
                made = export(context, what, fmt, state, size=size, link=link)
        except ExportError as error:
            return _text(f"Bad request: {error}", 400)
        except BrowserNotFoundError as error:
            return _text(str(error), 503)
        response = Response(made.content, content_type=made.media_type)
        response.headers["Content-Disposition"] = f'attachment; filename="{made.filename}"'
        return response

    @server.before_request
    def limits() -> None:
        """A body or a URL larger than any page sends is refused before it is read."""
        if (request.content_length or 0) > MAX_BODY_BYTES:
            abort(413)
        if _url_bytes(request.environ) > MAX_URL_BYTES:
            abort(414)

    @server.after_request
    def headers(response: Response) -> Response:
        """Only the embed pages may be framed, and only by the configured origins; every
        response says where its page may load from and sends no referrer."""
        path = "/" + request.path.removeprefix(prefix)
        # Two policies, both enforced by the browser: who may frame the page, then what the
        # page may load.
        if page_for(path)[0].kind == "embed":
            response.headers["Content-Security-Policy"] = f"frame-ancestors {ancestors}"
        else:
            response.headers["X-Frame-Options"] = "DENY"
            response.headers["Content-Security-Policy"] = "frame-ancestors 'none'"
        response.headers.add("Content-Security-Policy", policy.header())
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response


class _ContentPolicy:
    """CONTENT_POLICY with the hashes of the app's inline scripts, known once every callback
    is registered: at the first response."""

    def __init__(self, app: Dash) -> None:
        self._app = app
        self._header: str | None = None

    def header(self) -> str:
        if self._header is None:
            directives = dict(CONTENT_POLICY)
            hashes = " ".join(self._app.csp_hashes())
            directives["script-src"] = f"{directives['script-src']} {hashes}"
            self._header = "; ".join(f"{name} {value}" for name, value in directives.items())
        return self._header


def _url_bytes(environ: dict) -> int:
    """The length of the request's path and query string, as the client sent them."""
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if raw:
        return len(raw)
    path = environ.get("PATH_INFO", "").encode("latin-1", "replace")
    return len(path) + len(environ.get("QUERY_STRING", "")) + 1


def _split_query(query: str) -> tuple[str, dict[str, str]]:
    """The page's query, and the image size parameters that only downloads understand."""
    pairs = parse_qsl(query, keep_blank_values=True)
    sizes = {key: value for key, value in pairs if key in SIZE_PARAMETERS}
    rest = [(key, value) for key, value in pairs if key not in SIZE_PARAMETERS]
    return urlencode(rest), sizes


def _text(message: str, status: int) -> Response:
    return Response(message + "\n", status=status, mimetype="text/plain")


def open_kiosk_at_root(server: Flask) -> None:
    """Serve the kiosk as the start page: the site's root sends the browser to /kiosk."""

    @server.before_request
    def _kiosk_first() -> Response | None:
        if request.path != "/":
            return None
        query = request.query_string.decode("utf-8", "replace")
        return redirect(KIOSK_PATH + (f"?{query}" if query else ""), code=302)

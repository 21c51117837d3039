"""The command line: serve the app, validate a corpus, export figures and data."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

from dashboard.context import Context
from dashboard.export import (
    DATA_FORMATS,
    EXPORTABLE,
    FIGURE_FORMATS,
    IMAGE_FORMATS,
    BrowserNotFoundError,
    ExportError,
    check_request,
    export,
    image_size,
    write_atomic,
)
from dashboard.model import CorpusError, load_corpus
from dashboard.server import (
    DEFAULT_HOST,
    DEFAULT_PORT,
    DEFAULT_TIMEOUT,
    DEFAULT_WORKERS,
    SERVER_NAME,
    Settings,
    build_app,
    env_flag,
)
from dashboard.state import LOOKS, ViewState
from dashboard.views.exhibit import DEFAULT_IDLE_SECONDS
from dashboard.views.pages import KIOSK_PATH


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m dashboard",
        description="Dispatches: the 1949 Stalin-Mao telegram network. "
        "With no command, serves the app as `serve` does.",
    )
    add_serve_options(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    serve = commands.add_parser(
        "serve",
        help="serve the app (the default)",
        description="Serve the app with gunicorn's worker processes, or with the development "
        "server under --debug.",
    )
    add_serve_options(serve)

    validate = commands.add_parser("validate", help="check a corpus and report every problem")
    validate.add_argument(
        "path", nargs="?", help="corpus folder or messages CSV (default: bundled)"
    )
    add_export_command(commands)
    return parser


def add_serve_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--host", default=DEFAULT_HOST, help=f"address to bind (default {DEFAULT_HOST})"
    )
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})"
    )
    parser.add_argument("--corpus", metavar="PATH", help="corpus folder or messages CSV")
    parser.add_argument(
        "--workers",
        type=_positive_int,
        default=DEFAULT_WORKERS,
        metavar="N",
        help=f"worker processes answering requests side by side (default {DEFAULT_WORKERS})",
    )
    parser.add_argument(
        "--timeout",
        type=_positive_int,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"a worker busy this long with one request is restarted (default {DEFAULT_TIMEOUT})",
    )
    parser.add_argument(
        "--debug",
        action="store_true",
        default=None,
        help="Dash debug mode on the development server, one process (also DASH_DEBUG=true); "
        "never for the public",
    )
    parser.add_argument(
        "--frame-ancestors",
        metavar="ORIGINS",
        default=argparse.SUPPRESS,
        help="origins whose pages may frame /embed/<view>, space- or comma-separated, "
        "e.g. \"'self' https://YOUR-SITE\" (default: any); other pages are never framed",
    )
    parser.add_argument(
        "--kiosk",
        action="store_true",
        default=argparse.SUPPRESS,
        help="museum kiosk: / opens /kiosk, the touch-screen page (see docs/kiosk.md)",
    )
    parser.add_argument(
        "--idle-seconds",
        type=_positive_seconds,
        metavar="SECONDS",
        default=argparse.SUPPRESS,
        help=f"untouched this long, the kiosk returns to its start and plays its loop "
        f"(default {DEFAULT_IDLE_SECONDS:g})",
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler = {"validate": run_validate, "export": run_export}.get(args.command, run_serve)
    return handler(args)


def run_validate(args: argparse.Namespace) -> int:
    try:
        corpus = load_corpus(args.path)
    except CorpusError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"OK: {corpus.summary()} ({corpus.origin})")
    return 0


def run_serve(args: argparse.Namespace) -> int:
    settings = Settings(
        corpus=args.corpus,
        kiosk=getattr(args, "kiosk", False),
        frame_ancestors=getattr(args, "frame_ancestors", None),
        idle_seconds=getattr(args, "idle_seconds", DEFAULT_IDLE_SECONDS),
    )
    try:
        app = build_app(settings)
    except CorpusError as error:
        print(error, file=sys.stderr)
        return 1
    except ValueError as error:
        print(f"error: --frame-ancestors: {error}", file=sys.stderr)
        return 2
    if settings.kiosk:
        print(f"Kiosk: http://{args.host}:{args.port}{KIOSK_PATH}", file=sys.stderr)
    debug = args.debug if args.debug is not None else env_flag("DASH_DEBUG")
    if debug:
        # Dash's debug tools would ask Plotly's server for the latest version; the page's
        # policy forbids it, and nothing is fetched from the internet.
        app.run(
            host=args.host,
            port=args.port,
            debug=True,
            dev_tools_disable_version_check=True,
            request_handler=_quiet_handler(),
        )
    else:
        from dashboard.server import serve

        serve(app.server, args.host, args.port, workers=args.workers, timeout=args.timeout)
    return 0


def _quiet_handler() -> type:
    """The development server's request handler, with no software or version in `Server`."""
    from werkzeug.serving import WSGIRequestHandler

    class Handler(WSGIRequestHandler):
        def version_string(self) -> str:
            return SERVER_NAME

    return Handler


def _positive_int(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive whole number")
    return number


def _positive_seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not seconds > 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive number of seconds")
    return seconds


# --- export ---------------------------------------------------------------------------------

SUFFIX_FORMATS = {".htm": "html"}


def add_export_command(commands: argparse._SubParsersAction) -> None:
    export = commands.add_parser(
        "export",
        help="write a chart or the filtered messages to a file",
        description="Write one chart of a view (html, json, png, svg) or the messages in it "
        "(csv, json, gexf, graphml). The view is chosen as on the page: by the options "
        "below or by a link copied from the browser (--query). PNG and SVG are drawn in "
        "the machine's Chromium.",
    )
    export.add_argument(
        "what",
        choices=EXPORTABLE,
        help="a chart, or `messages` for the data of the view",
    )
    export.add_argument(
        "-o", "--output", required=True, metavar="FILE", help="file to write; - for stdout"
    )
    export.add_argument(
        "-f",
        "--format",
        choices=sorted({*FIGURE_FORMATS, *DATA_FORMATS}),
        help="charts: html, json, png, svg; messages: csv, json, gexf, graphml "
        "(default: from FILE's suffix)",
    )
    export.add_argument(
        "--corpus", metavar="PATH", default=argparse.SUPPRESS, help="corpus folder or CSV"
    )
    export.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    view = export.add_argument_group("the view (default: the whole corpus)")
    view.add_argument(
        "--query", metavar="LINK", help="a page link or query string, e.g. '?start=1949-01-10'"
    )
    view.add_argument("--start", metavar="YYYY-MM-DD", help="first day")
    view.add_argument("--end", metavar="YYYY-MM-DD", help="last day, inclusive")
    view.add_argument("--people", metavar="NAMES", help="comma-separated ids, names or codenames")
    view.add_argument("--kind", metavar="KINDS", help="comma-separated kinds of message")
    view.add_argument("--names", choices=("name", "codename"), help="label people by")
    view.add_argument("--look", choices=LOOKS, help="presentation: large type, thick lines")
    size = export.add_argument_group("image size (png, svg)")
    size.add_argument("--width", metavar="PX", help="width in CSS pixels")
    size.add_argument("--height", metavar="PX", help="height in CSS pixels")
    size.add_argument(
        "--scale", metavar="N", help="device pixels per CSS pixel (default: 2 for png, 1 for svg)"
    )


def export_query(args: argparse.Namespace) -> str:
    """The query string of the view: --query first, then each option overriding its part."""
    link = args.query or ""
    query = urlsplit(link).query if "?" in link or "://" in link else link
    params = dict(parse_qsl(query.lstrip("?"), keep_blank_values=True))
    for option, key in (
        ("start", "start"),
        ("end", "end"),
        ("people", "people"),
        ("kind", "kind"),
        ("names", "names"),
        ("look", "look"),
    ):
        value = getattr(args, option)
        if value is not None:
            params[key] = value
    return urlencode(params)


def export_format(fmt: str | None, output: str) -> str:
    """--format, else the output file's suffix."""
    if fmt:
        return fmt
    suffix = Path(output).suffix.lower()
    fmt = SUFFIX_FORMATS.get(suffix, suffix.lstrip("."))
    if not fmt or output == "-":
        raise ExportError(f"cannot tell the format from {output!r}; add --format")
    return fmt


def run_export(args: argparse.Namespace) -> int:
    """Exit 0 when written; 2 for a bad request; 1 when the corpus, browser or disk fails."""

    def progress(message: str) -> None:
        if not args.quiet:
            print(f"export: {message}", file=sys.stderr, flush=True)

    try:
        corpus = load_corpus(getattr(args, "corpus", None))
    except CorpusError as error:
        print(error, file=sys.stderr)
        return 1
    try:
        fmt = export_format(args.format, args.output)
        check_request(args.what, fmt)
        state = ViewState.from_query(export_query(args), corpus)
        if state.warnings:
            # The page would fall back to defaults; a file must be exactly what was asked.
            raise ExportError(
                "nothing was written: the page would show this view with a fallback, but "
                "an export must match what was asked.\n" + "\n".join(state.warnings)
            )
        size = None
        if fmt in IMAGE_FORMATS:
            size = image_size(args.what, args.width, args.height, args.scale, fmt)
        progress(f"loaded {corpus.summary()}")
        made = export(Context.build(corpus), args.what, fmt, state, size=size, progress=progress)
    except ExportError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except BrowserNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    if args.output == "-":
        sys.stdout.buffer.write(made.content)
        sys.stdout.buffer.flush()
        return 0
    try:
        write_atomic(args.output, made.content)
    except OSError as error:
        print(f"error: cannot write {args.output}: {error.strerror or error}", file=sys.stderr)
        return 1
    progress(f"wrote {args.output} ({_size_text(len(made.content))})")
    return 0


def _size_text(count: int) -> str:
    return f"{count / 1_000_000:.1f} MB" if count >= 1_000_000 else f"{count / 1000:.1f} kB"

"""The command line: serve the app, validate a corpus, export figures and data."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

from dashboard.context import VIEWS, Context
from dashboard.corpora import CorpusRefused, open_corpus
from dashboard.export import (
    CMIF,
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
from dashboard.formats import folder
from dashboard.model import Corpus
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

    validate = commands.add_parser(
        "validate",
        help="read a corpus and report what it holds and every problem "
        "(exit 0: all letters read, 1: some could not be, 2: the file could not be read)",
    )
    validate.add_argument(
        "path",
        nargs="?",
        help="CMIF file, csv2cmi spreadsheet, corpus folder or messages CSV (default: bundled)",
    )
    validate.add_argument("--json", action="store_true", help="print the report as one JSON object")
    add_export_command(commands)
    return parser


def add_serve_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--host", default=DEFAULT_HOST, help=f"address to bind (default {DEFAULT_HOST})"
    )
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})"
    )
    parser.add_argument(
        "--corpus",
        metavar="PATH",
        help="CMIF file, csv2cmi spreadsheet, corpus folder or messages CSV (default: bundled)",
    )
    parser.add_argument(
        "--title", metavar="TEXT", help="the corpus's name on the page (default: its own)"
    )
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
    corpus, report = open_corpus(args.path)
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        if corpus is not None and report.format == "dispatches-csv":
            print(f"OK: {corpus.summary()} ({corpus.origin})")
        stream = sys.stdout if corpus is not None else sys.stderr
        print("\n".join(report.lines()), file=stream)
    return report.exit_code if corpus is not None or report.unreadable else 1


def run_serve(args: argparse.Namespace) -> int:
    settings = Settings(
        corpus=args.corpus,
        title=args.title or "",
        kiosk=getattr(args, "kiosk", False),
        frame_ancestors=getattr(args, "frame_ancestors", None),
        idle_seconds=getattr(args, "idle_seconds", DEFAULT_IDLE_SECONDS),
    )
    try:
        app = build_app(settings)
    except CorpusRefused as refused:
        print("\n".join(refused.report.lines()), file=sys.stderr)
        return refused.report.exit_code or 1
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
# Not a file but a folder: the view's letters in the project's own CSV format.
CORPUS = "corpus"


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
        choices=(*EXPORTABLE, CORPUS),
        help="a chart, `messages` for the data of the view, `cmif` for its letters as CMIF, "
        "or `corpus` for a folder of CSV files that --corpus reads back",
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


def export_format(fmt: str | None, output: str, what: str = "") -> str:
    """--format, else the output file's suffix (`export cmif` is always CMIF)."""
    if fmt or what == CMIF:
        return fmt or CMIF
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

    corpus, report = open_corpus(getattr(args, "corpus", None))
    if corpus is None:
        print("\n".join(report.lines()), file=sys.stderr)
        return 1
    if args.what == CORPUS:
        return export_corpus(args, corpus, progress)
    try:
        fmt = export_format(args.format, args.output, args.what)
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
            size = image_size(args.what, args.width, args.height, args.scale, fmt, state.look)
        progress(f"loaded {corpus.summary()}")
        # Only a chart needs the layouts; data goes out without waiting for them.
        context = Context.build(corpus) if args.what in VIEWS else Context(corpus, {}, {})
        made = export(context, args.what, fmt, state, size=size, progress=progress)
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


def export_corpus(args: argparse.Namespace, corpus: Corpus, progress: Callable) -> int:
    """The letters of a view, with their people and places, as a Dispatches CSV folder."""
    state = ViewState.from_query(export_query(args), corpus)
    if state.warnings:
        print("error: nothing was written:\n" + "\n".join(state.warnings), file=sys.stderr)
        return 2
    try:
        written = folder.write(state.filter(corpus), Path(args.output))
    except OSError as error:
        print(f"error: cannot write {args.output}: {error.strerror or error}", file=sys.stderr)
        return 1
    progress(f"wrote {', '.join(path.name for path in written)} into {args.output}")
    return 0


def _size_text(count: int) -> str:
    return f"{count / 1_000_000:.1f} MB" if count >= 1_000_000 else f"{count / 1000:.1f} kB"

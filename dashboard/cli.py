"""The command line: serve the app, validate a corpus, export figures and data."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from dashboard.model import CorpusError, load_corpus

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8050


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m dashboard",
        description="Dispatches: the 1949 Stalin-Mao telegram network. "
        "With no command, serves the app.",
    )
    add_serve_options(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    serve = commands.add_parser("serve", help="serve the app (the default)")
    add_serve_options(serve)

    validate = commands.add_parser("validate", help="check a corpus and report every problem")
    validate.add_argument(
        "path", nargs="?", help="corpus folder or messages CSV (default: bundled)"
    )
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
        "--debug",
        action="store_true",
        default=None,
        help="Dash debug mode (also DASH_DEBUG=true); off by default",
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler = {"validate": run_validate}.get(args.command, run_serve)
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
    from dashboard.app import create_app

    try:
        corpus = load_corpus(args.corpus)
    except CorpusError as error:
        print(error, file=sys.stderr)
        return 1
    debug = args.debug if args.debug is not None else _env_flag("DASH_DEBUG")
    app = create_app(corpus)
    app.run(host=args.host, port=args.port, debug=debug)
    return 0


def _env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}

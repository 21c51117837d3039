"""Serving the app to the public: one app built from the settings, run by gunicorn's workers."""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass

from dash import Dash
from flask import Flask

from dashboard.corpora import CorpusRefused, open_corpus
from dashboard.routes import frame_ancestors, open_kiosk_at_root
from dashboard.views.exhibit import DEFAULT_IDLE_SECONDS

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8050
DEFAULT_WORKERS = 2
# A request that takes longer than this is stuck: gunicorn kills its worker and starts another.
# A page update takes well under a second and an image a few; an image that hangs is given up
# by dashboard/images.py after 70 s with an answer, so this only catches what nothing else does.
DEFAULT_TIMEOUT = 90
# What `Server` says on every response: no software name, no version.
SERVER_NAME = "Dispatches"
# Gunicorn's longest request line (the URL and method); longer ones get 414 before any work.
MAX_REQUEST_LINE = 8190


@dataclass(frozen=True)
class Settings:
    """What the app is built from: the same whether the command line or the environment says it."""

    corpus: str | None = None
    kiosk: bool = False
    frame_ancestors: str | None = None
    idle_seconds: float = DEFAULT_IDLE_SECONDS
    # The corpus's name on the page, where its own (a CMIF title) will not do.
    title: str = ""

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> Settings:
        """The settings named by DISPATCHES_CORPUS, _KIOSK, _FRAME_ANCESTORS, _IDLE_SECONDS."""
        idle = environ.get("DISPATCHES_IDLE_SECONDS", "").strip()
        try:
            seconds = float(idle) if idle else DEFAULT_IDLE_SECONDS
        except ValueError:
            raise ValueError(f"DISPATCHES_IDLE_SECONDS={idle!r} is not a number") from None
        if not seconds > 0:
            raise ValueError(f"DISPATCHES_IDLE_SECONDS={idle!r} is not a positive number")
        return cls(
            corpus=environ.get("DISPATCHES_CORPUS") or None,
            title=environ.get("DISPATCHES_TITLE", ""),
            kiosk=env_flag("DISPATCHES_KIOSK", environ),
            frame_ancestors=environ.get("DISPATCHES_FRAME_ANCESTORS") or None,
            idle_seconds=seconds,
        )


def env_flag(name: str, environ: Mapping[str, str] = os.environ) -> bool:
    return environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def build_app(settings: Settings) -> Dash:
    """The app for `settings`; raises CorpusRefused (with the import report) for a corpus
    that cannot be served, ValueError for origins that may not frame the embeds.

    A corpus read with warnings is served; the page links its import report, and the
    count of problems is said once on stderr."""
    from dashboard.app import create_app

    ancestors = frame_ancestors(settings.frame_ancestors)
    corpus, report = open_corpus(settings.corpus, settings.title)
    if corpus is None:
        raise CorpusRefused(report)
    if report.problems:
        print(
            f"{report.path}: {len(report.problems)} problems while reading; "
            "the page links to the import report (/report)",
            file=sys.stderr,
        )
    app = create_app(
        corpus,
        frame_ancestors=ancestors,
        idle_seconds=settings.idle_seconds,
        report=report,
    )
    if settings.kiosk:
        open_kiosk_at_root(app.server)
    # The corpus, its indexes and its layouts live as long as the server: set them outside
    # the cyclic collector's reach, whose full collections would otherwise walk a million
    # objects in the middle of a request (a 60 ms pause every few renders at 10^4 letters).
    gc.freeze()
    return app


def serve(
    server: Flask,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    workers: int = DEFAULT_WORKERS,
    timeout: int = DEFAULT_TIMEOUT,
) -> None:
    """Run `server` under gunicorn until stopped (Ctrl-C or SIGTERM: workers finish first)."""
    from gunicorn.app.base import BaseApplication

    _hide_gunicorn_name()

    class Gunicorn(BaseApplication):
        # The app is built before gunicorn starts (by the caller, which reported any problem
        # with the corpus); its workers are forked from this process and share it.
        def load_config(self) -> None:
            options = {
                "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
                "workers": workers,
                # Sync workers: one request each at a time, so a stuck render holds one
                # worker, which the timeout then replaces, and a killed worker loses only
                # the one request it was answering.
                "worker_class": "sync",
                "timeout": timeout,
                "graceful_timeout": 10,
                "preload_app": True,
                "limit_request_line": MAX_REQUEST_LINE,
                "proc_name": "dispatches",
                # No control socket in the home folder: signals do what a kiosk needs.
                "control_socket_disable": True,
            }
            for key, value in options.items():
                if key in self.cfg.settings:  # control_socket_disable: gunicorn 25.1 on
                    self.cfg.set(key, value)

        def load(self) -> Flask:
            return server

    Gunicorn(prog="dispatches").run()


def _hide_gunicorn_name() -> None:
    """Make gunicorn's own `Server` header say SERVER_NAME.

    Gunicorn writes `Server: gunicorn` on every response from a module constant and has no
    setting for it; a header set by the app would be a second `Server` line, not a
    replacement. The constant is read when each response starts, so setting it here, before
    the workers are forked, changes every response they send."""
    import gunicorn.http.wsgi

    gunicorn.http.wsgi.SERVER = SERVER_NAME

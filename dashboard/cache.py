"""What the app keeps between runs to start faster: network layouts and corpora already read.

Everything lives in $XDG_CACHE_HOME/dispatches (or ~/.cache/dispatches), named by a hash of
what it was made from, so a changed input is never served from an old file. The cache is
an aid only: a file that cannot be read is made again, a folder that cannot be written is
left alone, and neither stops the app.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def cache_folder() -> Path:
    """$XDG_CACHE_HOME/dispatches, or ~/.cache/dispatches."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "dispatches"


def read(name: str) -> bytes | None:
    """The cached file `name`, or None when there is none or it cannot be read."""
    try:
        return (cache_folder() / name).read_bytes()
    except OSError:
        return None


def write(name: str, data: bytes) -> None:
    """Keep `data` as `name`. Written aside and renamed, so that two workers starting
    together never read half a file; a cache that cannot be written is skipped."""
    path = cache_folder() / name
    partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial.write_bytes(data)
        os.replace(partial, path)
    except OSError:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)

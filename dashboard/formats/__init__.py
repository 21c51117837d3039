"""Readers and writers of correspondence files, one module per format."""

from __future__ import annotations

from pathlib import Path


class UnreadableFile(ValueError):
    """A file no reader can take at all (not XML, not well-formed, not the format it claims);
    problems inside a readable file are Notices instead."""

    def __init__(self, path: Path | str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = str(path)
        self.message = message

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


# How much of a file is read to tell its format: enough for an XML prolog and a TEI header's
# start, or a spreadsheet's header line.
HEAD_BYTES = 8192


def sniff(path: Path) -> str:
    """The format a file is in, from its content (the name is only a last hint):
    "dispatches-csv" for a folder or a messages CSV, "cmif", or "csv2cmi".

    Raises UnreadableFile when it is none of them."""
    from dashboard.formats import cmif, csv2cmi

    if path.is_dir():
        return DISPATCHES_CSV
    try:
        with path.open("rb") as handle:
            head = handle.read(HEAD_BYTES)
    except OSError as error:
        raise UnreadableFile(path, error.strerror or str(error)) from None
    if not head.strip():
        raise UnreadableFile(path, "the file is empty")
    if cmif.looks_like(head) or head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return CMIF
    wide = csv2cmi.utf16(head)
    text = head.decode("utf-16" if wide else "utf-8", errors="replace").lstrip("\ufeff")
    first_line = text.splitlines()[0] if text else ""
    if csv2cmi.looks_like(text):
        return CSV2CMI
    if "message_id" in first_line:
        return DISPATCHES_CSV
    raise UnreadableFile(
        path,
        "not a format Dispatches reads: expected CMIF (TEI XML with correspDesc), a csv2cmi "
        "spreadsheet (columns sender, addressee, senderDate...) or a Dispatches corpus "
        "(a folder with messages.csv and people.csv, or a messages.csv)",
    )


CMIF = "cmif"
CSV2CMI = "csv2cmi"
DISPATCHES_CSV = "dispatches-csv"

"""Open any corpus a user brings, in whichever format, and say what was found in it."""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import fields
from pathlib import Path

from dashboard import cache
from dashboard.build import read_corpus
from dashboard.formats import CMIF, CSV2CMI, DISPATCHES_CSV, UnreadableFile, sniff
from dashboard.letters import Notice
from dashboard.model import Corpus, CorpusError, Problem, load_corpus
from dashboard.report import ImportReport


class CorpusRefused(ValueError):
    """A corpus that cannot be served; its import report says why and where."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__("\n".join(report.lines()))
        self.report = report


def open_corpus(
    path: str | Path | None = None, title: str = ""
) -> tuple[Corpus | None, ImportReport]:
    """The corpus at `path` (the bundled one for None) and its import report.

    The corpus is None only when nothing could be read (report.unreadable says why) or
    when a Dispatches CSV corpus has problems, which it must not be served with. Never
    raises for a bad file; never writes to it.
    """
    where = "bundled corpus" if path is None else str(path)
    try:
        fmt = DISPATCHES_CSV if path is None else sniff(Path(path))
        if fmt == DISPATCHES_CSV:
            return _dispatches_csv(path, where)
        name = _cache_name(Path(path), fmt, title)  # type: ignore[arg-type]
        kept = _read_kept(name, where) if name else None
        if kept is not None:
            return kept
        from dashboard.formats import cmif, csv2cmi

        reader = {CMIF: cmif.read, CSV2CMI: csv2cmi.read}[fmt]
        source = reader(Path(path))  # type: ignore[arg-type]
        corpus = read_corpus(source)
    except UnreadableFile as error:
        return None, ImportReport(where, unreadable=error.message)
    if title:
        corpus.meta.title = title
    report = ImportReport.of(corpus, where, fmt, source.notices, source.skipped)
    if not len(corpus.messages):
        report.unreadable = "no letter in the file could be imported"
        return None, report
    if name:
        _keep(name, corpus, report)
    return corpus, report


# Bump when what a reader makes of a file changes, so that corpora kept by older code are
# read again rather than served.
CORPUS_CACHE_VERSION = 1
CHUNK_BYTES = 1 << 20


def _cache_name(path: Path, fmt: str, title: str) -> str | None:
    """The name a read of this file is kept under: a hash of its bytes, place and format,
    the title asked for and the code's version, so that an edited file is read again."""
    from dashboard.citation import dataset_version

    digest = hashlib.sha256(
        f"{CORPUS_CACHE_VERSION}|{dataset_version()}|{fmt}|{title}|{path.resolve()}|".encode()
    )
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(CHUNK_BYTES):
                digest.update(chunk)
    except OSError:
        return None  # the reader will say what is wrong with the file
    return f"corpus-{digest.hexdigest()[:32]}.pickle"


def _keep(name: str, corpus: Corpus, report: ImportReport) -> None:
    """Keep the corpus's tables (not what it derives from them: indexes, filters) and its
    report, for the next start on the same file."""
    tables = {f.name: getattr(corpus, f.name) for f in fields(Corpus)}
    cache.write(name, pickle.dumps((tables, report), protocol=pickle.HIGHEST_PROTOCOL))


def _read_kept(name: str, where: str) -> tuple[Corpus, ImportReport] | None:
    """The corpus and report kept under `name`, or None. Only files this app wrote, under
    the user's own cache folder, are ever unpickled; any fault there means a fresh read."""
    data = cache.read(name)
    if data is None:
        return None
    try:
        tables, report = pickle.loads(data)
        corpus = Corpus(**tables)
    except Exception:  # a truncated or foreign file: read the corpus again
        return None
    if not isinstance(report, ImportReport):
        return None
    report.path = where
    return corpus, report


def _dispatches_csv(path: str | Path | None, where: str) -> tuple[Corpus | None, ImportReport]:
    try:
        corpus = load_corpus(path)
    except CorpusError as error:
        report = ImportReport(where, format=DISPATCHES_CSV)
        report.problems = [_notice(problem) for problem in error.problems]
        report.skipped = list(report.problems)
        return None, report
    return corpus, ImportReport.of(corpus, where, DISPATCHES_CSV, [], [])


def _notice(problem: Problem) -> Notice:
    where = problem.file + (f", row {problem.row}" if problem.row is not None else "")
    return Notice(where, problem.message, "the corpus is not served", column=problem.column or "")

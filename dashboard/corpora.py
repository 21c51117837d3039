"""Open any corpus a user brings, in whichever format, and say what was found in it."""

from __future__ import annotations

from pathlib import Path

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

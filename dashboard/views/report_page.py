"""The import report as a page of its own: what was read and every problem, escaped HTML and
JSON, so that a researcher who brought a file sees what became of each letter."""

from __future__ import annotations

import json
from html import escape

from flask import Flask, Response

from dashboard.report import SHOWN_PROBLEMS, ImportReport

REPORT_PATH = "/report"
REPORT_JSON_PATH = "/report.json"


def register(server: Flask, report: ImportReport | None) -> None:
    """Serve the report at /report and /report.json (a short note when there is none)."""

    def page() -> Response:
        return Response(report_html(report), mimetype="text/html")

    def data() -> Response:
        body = json.dumps(report.as_dict() if report else {}, ensure_ascii=False, indent=2)
        return Response(body + "\n", mimetype="application/json")

    server.add_url_rule(REPORT_PATH, "import_report", page)
    server.add_url_rule(REPORT_JSON_PATH, "import_report_json", data)


def report_html(report: ImportReport | None) -> str:
    if report is None:
        body = "<p>This corpus was not imported from a file, so there is no import report.</p>"
    else:
        summary = "".join(f"<li>{escape(line.strip())}</li>" for line in report.lines()[1:4])
        rows = "".join(
            "<tr>"
            + "".join(
                f"<td>{escape(cell)}</td>"
                for cell in (n.where, n.key, n.column, n.message, n.action)
            )
            + "</tr>"
            for n in report.problems[:SHOWN_PROBLEMS]
        )
        more = len(report.problems) - SHOWN_PROBLEMS
        body = (
            f"<p>{escape(report.path)}</p><ul>{summary}</ul>"
            f"<h2>{len(report.problems)} problems</h2>"
            + (
                "<table><thead><tr><th>where</th><th>letter</th><th>field</th>"
                "<th>problem</th><th>what was done</th></tr></thead>"
                f"<tbody>{rows}</tbody></table>"
                if rows
                else "<p>None: every letter was read as it stands.</p>"
            )
            + (f"<p>... and {more} more, all in the JSON report.</p>" if more > 0 else "")
        )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        "<title>Import report - Dispatches</title>"
        '<link rel="stylesheet" href="/assets/style.css"></head>'
        '<body class="report-page"><main><h1>Import report</h1>'
        f'{body}<p><a href="/">Back to the letters</a> · '
        f'<a href="{REPORT_JSON_PATH}">the report as JSON</a></p></main></body></html>'
    )

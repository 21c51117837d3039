"""The Share panel: the link to this view, an iframe to embed a chart, a citation, downloads."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from html import escape
from urllib.parse import urlsplit

from dash import Dash, Input, Output, dcc, html

from dashboard import ids
from dashboard.citation import citation
from dashboard.context import VIEWS, Context
from dashboard.export import DATA_FORMATS, MESSAGES
from dashboard.model import Corpus
from dashboard.routes import DOWNLOAD_PREFIX
from dashboard.state import ViewState, describe_span
from dashboard.views.pages import EMBED_PREFIX

VIEW_LABELS = {"network": "Network", "timeline": "Timeline", "flow": "Copy flow"}
# A height that suits each chart in a column of text; the embed fills whatever it is given.
EMBED_HEIGHTS = {"network": 520, "timeline": 420, "flow": 380}
CHART_DOWNLOADS = ("html", "png", "svg")
FORMAT_LABELS = {
    "html": "HTML (interactive, offline)",
    "png": "PNG",
    "svg": "SVG",
    "csv": "CSV",
    "json": "JSON",
    "gexf": "GEXF (Gephi)",
    "graphml": "GraphML",
    "cmif": "CMIF (TEI XML)",
}


def layout() -> html.Details:
    """Closed until asked for; its contents follow the URL."""

    def field(label: str, target: str, control: object, copy_title: str) -> html.Div:
        return html.Div(
            className="share-field",
            children=[
                html.Label(label, htmlFor=target, className="filter-label"),
                control,
                copy_button(target, copy_title),
            ],
        )

    return html.Details(
        id=ids.SHARE,
        className="share",
        children=[
            html.Summary("Share, embed, cite or download this view"),
            html.Div(
                className="share-body",
                children=[
                    field(
                        "Link to this view",
                        ids.SHARE_LINK,
                        dcc.Input(id=ids.SHARE_LINK, type="text", readOnly=True),
                        "Copy the link",
                    ),
                    html.Div(
                        className="share-field",
                        children=[
                            html.Label(
                                "Embed code for a web page or slides",
                                htmlFor=ids.SHARE_SNIPPET,
                                className="filter-label",
                            ),
                            html.Fieldset(
                                className="share-embed",
                                children=[
                                    html.Legend("Chart:", className="share-embed-legend"),
                                    dcc.RadioItems(
                                        id=ids.SHARE_VIEW,
                                        options=[
                                            {"label": VIEW_LABELS[v], "value": v} for v in VIEWS
                                        ],
                                        value=VIEWS[0],
                                        inline=True,
                                    ),
                                ],
                            ),
                            dcc.Textarea(id=ids.SHARE_SNIPPET, readOnly=True, rows=4),
                            copy_button(ids.SHARE_SNIPPET, "Copy the embed code"),
                        ],
                    ),
                    html.Div(
                        className="share-field",
                        children=[
                            html.P("Cite this view", className="filter-label"),
                            html.P(id=ids.SHARE_CITATION, className="share-citation"),
                            copy_button(ids.SHARE_CITATION, "Copy the citation"),
                        ],
                    ),
                    html.Div(id=ids.SHARE_DOWNLOADS, className="share-downloads"),
                ],
            ),
        ],
    )


def copy_button(target: str, title: str) -> dcc.Clipboard:
    """A button that copies the text of the element `target` ("Copied" once it has)."""
    return dcc.Clipboard(
        target_id=target,
        title=title,
        className="share-copy",
        children="Copy",
        copied_children="Copied",
    )


def register_callbacks(app: Dash, context: Context) -> None:
    @app.callback(
        Output(ids.SHARE_LINK, "value"),
        Output(ids.SHARE_SNIPPET, "value"),
        Output(ids.SHARE_CITATION, "children"),
        Output(ids.SHARE_DOWNLOADS, "children"),
        Input(ids.URL, "href"),
        Input(ids.URL, "search"),
        Input(ids.SHARE_VIEW, "value"),
    )
    def share(href, search, view):
        """The panel's contents, from the URL: the page's own address gives the host."""
        return contents(context.corpus, href, search, view, app.get_relative_path, date.today())


def contents(
    corpus: Corpus,
    href: str | None,
    search: str | None,
    view: str | None,
    relative: Callable[[str], str],
    accessed: date,
) -> tuple[str, str, str, list]:
    """Link, embed snippet, citation and download links for the view in the URL."""
    state = ViewState.from_query(search, corpus)
    # The canonical query: a value the page warned about and ignored is left out.
    query = state.to_query(corpus)
    origin = _origin(href)
    link = f"{origin}{relative('/')}{query}"
    view = view if view in VIEWS else VIEWS[0]
    return (
        link,
        embed_snippet(f"{origin}{relative(EMBED_PREFIX + view)}{query}", view, state),
        citation(corpus, state, link, accessed),
        downloads(query, relative),
    )


def _origin(href: object) -> str:
    """'https://host:port' of the page's address, or '' when it has none a link could use."""
    try:
        parts = urlsplit(href if isinstance(href, str) else "")
    except ValueError:  # such as an unclosed '[' where an IPv6 host would be
        return ""
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def embed_snippet(src: str, view: str, state: ViewState) -> str:
    """An iframe that fills the width of where it is pasted."""
    title = f"Dispatches: {VIEW_LABELS[view].lower()}, {describe_span(state.start, state.end)}"
    return (
        f'<iframe src="{escape(src)}" title="{escape(title)}" width="100%" '
        f'height="{EMBED_HEIGHTS[view]}" style="border:0" loading="lazy"></iframe>'
    )


def downloads(query: str, relative: Callable[[str], str]) -> list:
    """Links to the download routes, carrying the view's query."""

    def links(what: str, formats: tuple[str, ...]) -> list:
        return [
            html.A(
                FORMAT_LABELS[fmt],
                href=relative(f"/{DOWNLOAD_PREFIX}{what}.{fmt}") + query,
                className="share-download",
            )
            for fmt in formats
        ]

    rows = [
        html.Li(
            [html.Span(VIEW_LABELS[view], className="share-what"), *links(view, CHART_DOWNLOADS)]
        )
        for view in VIEWS
    ]
    rows.append(
        html.Li(
            [
                html.Span("Messages in view", className="share-what"),
                *links(MESSAGES, DATA_FORMATS),
            ]
        )
    )
    return [html.P("Download", className="filter-label"), html.Ul(rows, className="share-list")]

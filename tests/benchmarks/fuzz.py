"""Fuzz the app through Flask's test client: mutated URLs and callback envelopes, 500s counted.

Run as a script, not collected by pytest (tests/test_fuzz.py runs a small sample of it):

    .venv/bin/python tests/benchmarks/fuzz.py [--urls 10000] [--payloads 4000] [--seed 1]

Every request is one a browser or a script could send; a URL that gets a page is followed
by the callback requests the page would make for it, and counts as their worst answer (a
page whose charts fail is a failed URL). The script prints, as JSON, how many
of each status came back, the first few requests that got a 500, and how many tracebacks
reached the log; it exits 1 if there was any 500 or traceback. PNG and SVG downloads are drawn
for real unless --stub-images is given.
"""

from __future__ import annotations

import argparse
import copy
import json
import logging
import random
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # run as a script from anywhere: the checkout's own package
    sys.path.insert(0, str(ROOT))

from dashboard.state import PARAMETERS  # noqa: E402

CALLBACK_PATH = "/_dash-update-component"
VALID = {
    "start": ["1949-01-10", "1949-01-01", "1949-05-31"],
    "end": ["1949-01-15", "1949-05-31"],
    "people": ["stalin", "Filippov", "mao,mikoyan", "Andreev"],
    "kind": ["coded telegram", "cable"],
    "message": ["m01", "m07,m09"],
    "event": ["e01", "e02"],
    "names": ["codename", "name"],
    "look": ["presentation"],
    "day": ["1949-01-12"],
    "play": ["on"],
    "speed": ["slow", "fast"],
    "step": ["1", "2", "8"],
    "attract": ["on"],
    "width": ["640", "100", "6000"],
    "height": ["480"],
    "scale": ["1", "2.5"],
}
# Texts that broke, or look like they could break, a parser: other digits, huge numbers,
# impossible dates, control characters, separators, markup, formulas, long runs.
NASTY_TEXTS = [
    "\u00b2",
    "\u0663",
    "\uff11",
    "1\u00b2",
    "-1",
    "0",
    "-0",
    "1e309",
    "nan",
    "NaN",
    "inf",
    "99999999999999999999",
    "9" * 5000,
    "1949-02-30",
    "1949-13-01",
    "0000-01-01",
    "9999-12-31",
    "1677-09-21",
    "2262-04-12",
    "\u0661\u0669\u0664\u0669-01-01",
    "1949-01-10T25:00",
    "",
    " ",
    ",",
    ",,,",
    ";",
    "&",
    "=",
    "?",
    "#",
    "%",
    "%%",
    "\x00",
    "\r\n",
    "\t",
    "\u202e",
    "\ufeff",
    "<script>alert(1)</script>",
    "'\"",
    '=HYPERLINK("x")',
    "@SUM(1)",
    "../../etc/passwd",
    "x" * 3000,
    "on,on",
    "ON",
    "true",
    "[]",
    "{}",
    "null",
    "\u00e9",
    "Fi\u0301lippov",
    "\U0001f600",
]
NASTY_JSON: list[object] = [
    None,
    True,
    False,
    0,
    1,
    -1,
    10**9,
    -(10**9),
    10**30,
    1.5,
    -0.0,
    float("nan"),
    float("inf"),
    float("-inf"),
    "",
    [],
    {},
    [[[]]],
    [None],
    [1, 2],
    ["stalin", None],
    ["stalin", "stalin"],
    ["\u00b2"],
    {"points": []},
    {"points": None},
    {"points": [None]},
    {"points": ["x"]},
    {"points": [{}]},
    {"points": [{"pointNumber": 10**9}]},
    {"points": [{"pointNumber": -1, "depth": 0}]},
    {"points": [{"pointNumber": 1.5}]},
    {"points": [{"pointNumber": "3"}]},
    {"points": [{"customdata": ["person", "nobody"]}]},
    {"points": [{"customdata": ["message", "m01,zz,,"]}]},
    {"points": [{"customdata": ["event", {"a": 1}]}]},
    {"points": [{"customdata": ["member", "stalin"]}]},
    {"points": [{"customdata": [None]}]},
    {"points": [{"customdata": "person"}]},
    {"xaxis.autorange": True},
    {"xaxis.range": ["a", "b"]},
    {"xaxis.range": [1, 2]},
    {"xaxis.range": ["9999-01-01", "0001-01-01"]},
    {"xaxis.range": [None, None]},
    {"xaxis.range": ["1949-01-10"]},
    {"xaxis.range": "1949-01-10"},
    {"xaxis.range[0]": "1677-09-21 00:12", "xaxis.range[1]": "2262-04-11 23:59"},
    {"xaxis.range[0]": "1949-01-10", "xaxis.range[1]": "1949-01-05"},
    {"type": "record-link"},
    {"type": "record-link", "message": ["m01"]},
]
# A lone surrogate: JSON can carry it, UTF-8 (and so a URL) cannot.
NASTY_JSON += [
    *NASTY_TEXTS,
    "\ud800",
    ["\ud800"],
    {"points": [{"customdata": ["person", "\ud800"]}]},
    {"type": "record-link", "message": "\udfff"},
]
PATHS = [
    "/",
    "/kiosk",
    "/kiosk/",
    "/embed/network",
    "/embed/timeline",
    "/embed/flow",
    "/embed/",
    "/embed/nothing",
    "/embed/%00",
    "/embed/network/extra",
    "/nowhere",
    "/download/messages.csv",
    "/download/messages.json",
    "/download/messages.gexf",
    "/download/messages.graphml",
    "/download/network.html",
    "/download/timeline.json",
    "/download/flow.svg",
    "/download/network.png",
    "/download/messages.png",
    "/download/network.csv",
    "/download/messages",
    "/download/.csv",
    "/download/..",
    "/download/%FF.csv",
    "/download/messages.csv.csv",
    "/download/messages.CSV",
    "/_dash-layout",
    "/_dash-dependencies",
    "/_favicon.ico",
    "/assets/nothing.css",
    "/assets/../dashboard/app.py",
    "/_dash-component-suites/dash/nothing.js",
    "/_dash-component-suites/%2e%2e/x.js",
    "//",
    "/%2F%2F",
    "/%FF",
    "/%C0%AF",
]
KEYS = [*PARAMETERS, "width", "height", "scale", "colour", "", "start[]", "START"]
# Invalid UTF-8 and overlong forms, written straight into the query.
RAW_BYTES = ["%FF", "%C0%AF", "%ED%A0%80", "%F4%90%80%80", "%C2", "%00", "%E2%80%AE"]


def mutate_text(rng: random.Random, text: str) -> str:
    """A valid value nudged: a character dropped, doubled, swapped for a nasty one."""
    if not text or rng.random() < 0.3:
        return rng.choice(NASTY_TEXTS)
    position = rng.randrange(len(text))
    how = rng.randrange(4)
    if how == 0:
        return text[:position] + text[position + 1 :]
    if how == 1:
        return text[:position] + text[position] * rng.randint(2, 50) + text[position:]
    if how == 2:
        return text[:position] + rng.choice("\u00b2\u0663-+.,;%0\x00 ") + text[position + 1 :]
    return text + rng.choice(NASTY_TEXTS)


def fuzz_url(rng: random.Random) -> str:
    """A path the app serves (or nearly), with a query of known and unknown keys."""
    path = rng.choice(PATHS)
    pairs = []
    for _ in range(rng.choice((0, 1, 1, 2, 3, 5, 12))):
        key = rng.choice(KEYS)
        good = VALID.get(key, ["x"])
        value = rng.choice(good) if rng.random() < 0.4 else mutate_text(rng, rng.choice(good))
        pairs.append((key, value))
    how = rng.random()
    if how < 0.6:
        query = urlencode(pairs)
    elif how < 0.85:  # as a person would type it: only what a URL cannot hold is escaped
        query = "&".join(f"{quote(k, safe='')}={quote(v, safe=',:-')}" for k, v in pairs)
    else:  # bytes that are not UTF-8, or a separator where a value should be
        query = "&".join(
            f"{quote(k, safe='')}={rng.choice(RAW_BYTES)}{quote(v, safe='')}" for k, v in pairs
        )
    return path + (f"?{query}" if pairs or rng.random() < 0.5 else "")


def envelopes(app) -> list[dict]:
    """One well-formed envelope per server callback, as the page's first request sends it."""
    found = []
    for output, callback in app.callback_map.items():
        if "callback" not in callback:
            continue  # a clientside callback: the server never runs it
        declared = callback["output"]
        specs = declared if isinstance(declared, list | tuple) else [declared]
        outputs = [{"id": o.component_id, "property": o.component_property} for o in specs]
        inputs: list[object] = []
        for item in callback["inputs"]:
            if item["id"].startswith("{"):
                pattern = json.loads(item["id"])
                ident = {k: ("m01" if isinstance(v, list) else v) for k, v in pattern.items()}
                inputs.append([{"id": ident, "property": item["property"], "value": None}])
            else:
                inputs.append({"id": item["id"], "property": item["property"], "value": None})
        found.append(
            {
                "output": output,
                "outputs": outputs if isinstance(declared, list | tuple) else outputs[0],
                "inputs": inputs,
                "changedPropIds": [],
                "state": [
                    {"id": item["id"], "property": item["property"], "value": None}
                    for item in callback.get("state", [])
                ],
            }
        )
    return found


def prop_id(entry: dict) -> str:
    ident = entry["id"]
    text = (
        json.dumps(ident, sort_keys=True, separators=(",", ":"))
        if isinstance(ident, dict)
        else ident
    )
    return f"{text}.{entry['property']}"


def mutate_values(rng: random.Random, envelope: dict) -> dict:
    """Well formed, with nasty values in one to three inputs, which are named as changed."""
    body = copy.deepcopy(envelope)
    changed = []
    for _ in range(rng.randint(1, 3)):
        index = rng.randrange(len(body["inputs"]))
        entry = body["inputs"][index]
        entries = entry if isinstance(entry, list) else [entry]
        for one in entries:
            one["value"] = copy.deepcopy(rng.choice(NASTY_JSON))
            changed.append(prop_id(one))
    body["changedPropIds"] = list(dict.fromkeys(changed))
    return body


def mutate_shape(rng: random.Random, envelope: dict) -> object:
    """The envelope bent out of shape: a key dropped or retyped, an id or list wrong."""
    body = mutate_values(rng, envelope) if rng.random() < 0.5 else copy.deepcopy(envelope)
    how = rng.randrange(9)
    key = rng.choice(["output", "outputs", "inputs", "state", "changedPropIds"])
    if how == 0:
        body.pop(key, None)
    elif how == 1:
        body[key] = copy.deepcopy(rng.choice(NASTY_JSON))
    elif how == 2 and body["inputs"]:
        body["inputs"] = body["inputs"][: rng.randrange(len(body["inputs"]))]
    elif how == 3:
        body["inputs"].append({"id": "url", "property": "search", "value": "?step=1"})
    elif how == 4:
        entry = rng.choice(body["inputs"])
        target = entry[0] if isinstance(entry, list) and entry else entry
        if isinstance(target, dict):
            target[rng.choice(["id", "property", "value"])] = rng.choice(NASTY_JSON)
    elif how == 5:
        body["changedPropIds"] = [
            rng.choice(
                [
                    "{bad json.n_clicks",
                    "url",
                    ".",
                    "nothing.value",
                    "{}.n_clicks",
                    '{"type":"record-link"}.n_clicks',
                    "url.search.search",
                    "\u00b2.x",
                ]
            )
        ]
    elif how == 6:
        body["output"] = rng.choice(["narrow-frame.data", "nothing.children", "", "..url.search.."])
    elif how == 7:
        body["outputs"] = body["outputs"][:-1] if isinstance(body["outputs"], list) else []
    else:
        return rng.choice([[], "x", 1, None, [body]])
    return body


def fuzz_payload(rng: random.Random, valid: list[dict]) -> tuple[bytes, str]:
    """A request body and its content type: mostly JSON envelopes, some not JSON at all."""
    envelope = rng.choice(valid)
    roll = rng.random()
    if roll < 0.65:
        return json.dumps(mutate_values(rng, envelope)).encode(), "application/json"
    if roll < 0.92:
        return json.dumps(mutate_shape(rng, envelope)).encode(), "application/json"
    text = json.dumps(mutate_values(rng, envelope)).encode()
    how = rng.randrange(4)
    if how == 0:
        return text[: rng.randrange(len(text))], "application/json"  # cut short
    if how == 1:
        return b"[" * 100_000 + b"]" * 100_000, "application/json"  # deeper than any parser
    if how == 2:
        return text, "text/plain"
    return text.replace(b'"', b"'"), "application/json"


class LogCounter(logging.Handler):
    """Counts log records that carry a traceback, and keeps the first few."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.tracebacks = 0
        self.first: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info or "Traceback" in record.getMessage():
            self.tracebacks += 1
            if len(self.first) < 5:
                self.first.append(self.format(record)[-1500:])


def requests(rng: random.Random, urls: int, payloads: int, valid: list[dict]) -> Iterator[tuple]:
    for _ in range(urls):
        yield "GET", fuzz_url(rng), None, None
    for _ in range(payloads):
        body, content_type = fuzz_payload(rng, valid)
        yield "POST", CALLBACK_PATH, body, content_type


def page_requests(url: str, valid: list[dict]) -> Iterator[dict]:
    """What the browser posts after loading a page: each callback, with the URL's parts."""
    path, _, query = url.partition("?")
    parts = {
        "search": f"?{query}" if query else "",
        "pathname": path,
        "href": f"http://localhost{url}",
    }
    for envelope in valid:
        body = copy.deepcopy(envelope)
        for entry in body["inputs"]:
            if isinstance(entry, dict) and entry["id"] == "url":
                entry["value"] = parts[entry["property"]]
        body["changedPropIds"] = ["url.search"]
        yield body


def is_page(response) -> bool:
    return response.status_code == 200 and response.mimetype == "text/html"


def run(app, urls: int, payloads: int, seed: int = 1) -> dict:
    """Send the requests; return counts by kind and status, and what failed."""
    counter = LogCounter()
    logging.getLogger().addHandler(counter)
    statuses: dict[str, Counter] = {"url": Counter(), "payload": Counter()}
    failures: list[str] = []
    client = app.server.test_client()
    rng = random.Random(seed)
    started = time.monotonic()
    valid = envelopes(app)
    try:
        for method, url, body, content_type in requests(rng, urls, payloads, valid):
            kind = "url" if method == "GET" else "payload"
            if method == "GET":
                response = client.get(url)
                # A page is only whole once its callbacks have answered for its URL.
                if is_page(response):
                    for envelope in page_requests(url, valid):
                        answer = client.post(CALLBACK_PATH, json=envelope)
                        if answer.status_code != 200:
                            response = answer
                            break
            else:
                response = client.post(url, data=body, content_type=content_type)
            statuses[kind][response.status_code] += 1
            if response.status_code >= 500 and len(failures) < 10:
                failures.append(f"{method} {url[:200]} {(body or b'')[:200]!r}")
    finally:
        logging.getLogger().removeHandler(counter)
    return {
        "urls": urls,
        "payloads": payloads,
        "seed": seed,
        "seconds": round(time.monotonic() - started, 1),
        "url_statuses": dict(sorted(statuses["url"].items())),
        "payload_statuses": dict(sorted(statuses["payload"].items())),
        "server_errors": sum(n for c in statuses.values() for s, n in c.items() if s >= 500),
        "tracebacks": counter.tracebacks,
        "first_failures": failures,
        "first_tracebacks": counter.first,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--urls", type=int, default=10_000)
    parser.add_argument("--payloads", type=int, default=4_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--stub-images", action="store_true", help="skip drawing PNG and SVG")
    args = parser.parse_args()

    from dashboard import export
    from dashboard.app import create_app
    from dashboard.model import load_corpus

    if args.stub_images:
        export.render_image = lambda figure, fmt, size, browser=None: b"stub"
    report = run(create_app(load_corpus()), args.urls, args.payloads, args.seed)
    print(json.dumps(report, indent=2))
    return 1 if report["server_errors"] or report["tracebacks"] else 0


if __name__ == "__main__":
    sys.exit(main())

"""The callback door: a request to /_dash-update-component must be an envelope the page sends.

Dash reads the body of a callback request as it comes and fails with a 500 on a body that
is not what its own page sends (not JSON, a key missing, an output it has no callback for,
an input list of the wrong length, a `changedPropIds` that is not an input). This module
checks the envelope's shape against the app's declared callbacks before Dash sees it, and
answers a wrong one with a 400 that says what is wrong. The values inside a well-formed
envelope are the callbacks' to read: `ViewState.from_query` and `next_state` take anything.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from dash import Dash
from dash.exceptions import DependencyException
from flask import Response, request

CALLBACK_ROUTE = "_dash-update-component"
# Values a pattern-matching id may hold where its pattern has a wildcard (ALL, MATCH...).
_ID_VALUES = (str, int, float, bool)

Declared = tuple[object, str]  # a component id (text, or a dict for pattern-matching) and a prop


class EnvelopeError(ValueError):
    """A callback request that no page of this app could have sent: the message says why."""


def register(app: Dash) -> None:
    """Refuse malformed callback envelopes with 400 before Dash reads them, and answer a
    request for a script Dash does not have with 404 (Dash raises, which Flask makes a 500)."""
    path = app.config.routes_pathname_prefix + CALLBACK_ROUTE

    @app.server.errorhandler(DependencyException)
    def _no_such_script(_error: DependencyException) -> Response:
        return Response("Not found: no such script or style.\n", status=404, mimetype="text/plain")

    @app.server.before_request
    def _check_envelope() -> Response | None:
        if request.path != path or request.method != "POST":
            return None
        try:
            # Parsed once: Flask keeps the result, and Dash's own get_json() reuses it.
            body = request.get_json(silent=True)
        except RecursionError:
            body = None  # nested deeper than Python's parser goes: no page sends that
        try:
            check_envelope(body, app.callback_map)
        except EnvelopeError as problem:
            return Response(f"Bad request: {problem}\n", status=400, mimetype="text/plain")
        return None


def check_envelope(body: object, callbacks: Mapping[str, Mapping]) -> None:
    """Raise EnvelopeError unless `body` asks for a server callback the way the page does."""
    if not isinstance(body, dict):
        raise EnvelopeError("the body is not a JSON object.")
    output = body.get("output")
    if not isinstance(output, str) or "callback" not in callbacks.get(output, {}):
        raise EnvelopeError("'output' names no callback of this app.")
    callback = callbacks[output]
    _check_outputs(body.get("outputs"), callback["output"])
    given: set[tuple[str, str]] = set()
    for key in ("inputs", "state"):
        declared = [(item["id"], item["property"]) for item in callback.get(key, [])]
        entries = body.get(key, [])
        if not isinstance(entries, list) or len(entries) != len(declared):
            raise EnvelopeError(f"{key!r} must list the callback's {len(declared)} values.")
        for entry, (component, prop) in zip(entries, declared, strict=True):
            given.update(_check_value(entry, _declared_id(component), prop, key))
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(item, str) for item in changed):
        raise EnvelopeError("'changedPropIds' must be a list of texts.")
    for prop_id in changed:
        if _prop_key(prop_id) not in given:
            raise EnvelopeError("'changedPropIds' names a value the request does not carry.")


def _check_outputs(outputs: object, declared: object) -> None:
    many = isinstance(declared, list | tuple)
    specs = list(declared) if many else [declared]  # type: ignore[call-overload]
    entries = outputs if many else [outputs]
    if not isinstance(entries, list) or len(entries) != len(specs):
        raise EnvelopeError(f"'outputs' must name the callback's {len(specs)} outputs.")
    for entry, spec in zip(entries, specs, strict=True):
        wanted = (spec.component_id, spec.component_property)  # type: ignore[attr-defined]
        if not isinstance(entry, dict) or (entry.get("id"), entry.get("property")) != wanted:
            raise EnvelopeError("'outputs' do not match the callback's outputs.")


def _declared_id(component: object) -> object:
    """Dash keeps a pattern-matching id as its JSON text: '{"message":["ALL"],...}'."""
    if isinstance(component, str) and component.startswith("{"):
        return json.loads(component)
    return component


def _check_value(entry: object, component: object, prop: str, key: str) -> list[tuple[str, str]]:
    """The (id, prop) keys an input entry carries; a pattern-matching input carries a list."""
    if isinstance(component, dict):
        if not isinstance(entry, list):
            raise EnvelopeError(f"{key!r}: a pattern-matching value must be a list.")
        return [_check_one(item, component, prop, key) for item in entry]
    return [_check_one(entry, component, prop, key)]


def _check_one(entry: object, component: object, prop: str, key: str) -> tuple[str, str]:
    if not isinstance(entry, dict) or entry.get("property") != prop:
        raise EnvelopeError(f"{key!r}: each value needs the id and property it was declared with.")
    given = entry.get("id")
    if isinstance(component, dict):
        if not isinstance(given, dict) or set(given) != set(component):
            raise EnvelopeError(f"{key!r}: an id does not match its pattern.")
        for name, wanted in component.items():
            value = given[name]
            wildcard = isinstance(wanted, list)  # ["ALL"], ["MATCH"]...
            if not isinstance(value, _ID_VALUES) or (not wildcard and value != wanted):
                raise EnvelopeError(f"{key!r}: an id does not match its pattern.")
    elif given != component:
        raise EnvelopeError(f"{key!r}: each value needs the id and property it was declared with.")
    return _canonical(given), prop


def _prop_key(prop_id: str) -> tuple[str, str] | None:
    """('id', 'prop') of 'id.prop'; a dict id is compared as data, however it was spelt."""
    component, dot, prop = prop_id.rpartition(".")
    if not dot:
        return None
    if component.startswith("{"):
        try:
            parsed = json.loads(component)
        except (ValueError, RecursionError):
            return None
        if not isinstance(parsed, dict):
            return None
        return _canonical(parsed), prop
    return component, prop


def _canonical(component: object) -> str:
    if isinstance(component, dict):
        return json.dumps(component, sort_keys=True)
    return str(component)

"""Authority ids (GND, VIAF, GeoNames, LoC, Wikidata): one canonical URI for each id's spellings."""

from __future__ import annotations

import re

GND = "gnd"
VIAF = "viaf"
GEONAMES = "geonames"
LOC = "loc"
WIKIDATA = "wikidata"

# How each scheme is named to a reader, and the canonical URI an id is keyed on.
NAMES = {GND: "GND", VIAF: "VIAF", GEONAMES: "GeoNames", LOC: "LoC", WIKIDATA: "Wikidata"}
_CANONICAL = {
    GND: "https://d-nb.info/gnd/",
    VIAF: "https://viaf.org/viaf/",
    GEONAMES: "https://www.geonames.org/",
    LOC: "https://id.loc.gov/authorities/names/",
    WIKIDATA: "https://www.wikidata.org/entity/",
}

# The ids themselves. GND: digits with an optional check character, which is "X" or, in
# the older corporate-body and place numbers, a hyphenated digit ("4076778-4"). LoC name
# ids: "n", "nb", "no", "nr" or "ns", then eight or ten digits.
_GND_ID = r"\d+(?:-[\dX]|X)?"
_LOC_ID = r"n[bors]?\d{8}(?:\d{2})?"
_ID = {
    GND: _GND_ID,
    VIAF: r"\d+",
    GEONAMES: r"\d+",
    LOC: _LOC_ID,
    WIKIDATA: r"Q\d+",
}

# ASCII only: `\d` would otherwise take any script's digits for an id.
_FLAGS = re.I | re.A

# Where each scheme's URIs live, and what may follow the id (a format, a page name).
_HOSTS = {
    GND: r"d-nb\.info/gnd/",
    VIAF: r"(?:www\.)?viaf\.org/viaf/",
    GEONAMES: r"(?:www\.|sws\.)?geonames\.org/",
    LOC: r"id\.loc\.gov/authorities/names/",
    WIKIDATA: r"(?:www\.|m\.)?wikidata\.org/(?:entity|wiki)/",
}
_TAILS = {
    GND: r"(?:/about(?:/\w+)?)?/?",
    VIAF: r"(?:/[\w.]*)?/?",
    GEONAMES: r"(?:/[^/\s]*)?/?",
    LOC: r"(?:\.\w+)?/?",
    WIKIDATA: r"/?",
}
_URIS = {
    name: re.compile(rf"(?:https?://)?{_HOSTS[name]}(?P<id>{_ID[name]}){_TAILS[name]}", _FLAGS)
    for name in _ID
}
_CLAIMS = {name: re.compile(rf"(?:https?://)?{_HOSTS[name]}", _FLAGS) for name in _HOSTS}
# Prefixed forms some tools write ("gnd:118609807", "wd:Q42").
_PREFIXES = {
    "gnd": GND,
    "viaf": VIAF,
    "geonames": GEONAMES,
    "loc": LOC,
    "wd": WIKIDATA,
    "wikidata": WIKIDATA,
}
_PREFIXED = re.compile(rf"(?P<prefix>{'|'.join(_PREFIXES)}):(?P<id>\S+)", _FLAGS)
# A bare id: csv2cmi sheets write GND numbers alone in the ID columns. Six digits at the
# least, so that a row number or a key is not taken for a person.
_BARE_GND = re.compile(r"\d{6,}(?:-[\dX]|X)?", _FLAGS)
_BARE_WIKIDATA = re.compile(r"Q\d+", re.A)
_URI = re.compile(r"[a-z][a-z0-9+.-]*://[^\s/]+\S*", _FLAGS)


def _identify(ref: str) -> tuple[str, str] | None:
    """(scheme, id) for a reference in any spelling this module knows, else None."""
    text = ref.strip()
    for name, pattern in _URIS.items():
        match = pattern.fullmatch(text)
        if match:
            return name, match["id"]
    match = _PREFIXED.fullmatch(text)
    if match:
        name = _PREFIXES[match["prefix"].lower()]
        if re.fullmatch(_ID[name], match["id"], _FLAGS):
            return name, match["id"]
        return None
    if _BARE_GND.fullmatch(text):
        return GND, text
    if _BARE_WIKIDATA.fullmatch(text):
        return WIKIDATA, text
    return None


def _canonical_id(name: str, ident: str) -> str:
    # GND's check character is an upper-case X; LoC ids are lower case; Wikidata's Q upper.
    return ident.lower() if name == LOC else ident.upper()


def normalise(ref: str) -> str | None:
    """The canonical URI of an authority reference written in any of its usual spellings
    (http or https, with or without www or sws, a trailing page name or format, a bare GND
    number or Wikidata Q-id), or None when the text is not a reference this module knows."""
    found = _identify(ref)
    if found is None:
        return None
    name, ident = found
    return _CANONICAL[name] + _canonical_id(name, ident)


def scheme(uri: str) -> str:
    """The scheme of a reference ("gnd", "viaf", "geonames", "loc", "wikidata"), or "" when
    it is not one this module knows."""
    found = _identify(uri)
    return found[0] if found else ""


def label(uri: str) -> str:
    """A short name for a reference, as a reader would cite it ("GND 118609807"); the text
    itself when it is not a reference this module knows."""
    found = _identify(uri)
    if found is None:
        return uri
    name, ident = found
    return f"{NAMES[name]} {_canonical_id(name, ident)}"


def short_id(uri: str) -> str:
    """A URL-safe id for a reference ("gnd-118609807", "wikidata-Q42"), for keying people
    and places. Raises ValueError for a text that is no known reference: an id made up from
    arbitrary text would not be stable, and the caller must decide what to key on instead."""
    found = _identify(uri)
    if found is None:
        raise ValueError(f"{uri!r} is not a GND, VIAF, GeoNames, LoC or Wikidata reference")
    name, ident = found
    return f"{name}-{_canonical_id(name, ident)}"


def claimed_scheme(text: str) -> str:
    """The scheme whose address a text uses, even when its id is malformed
    ("http://id.loc.gov/authorities/names/xhsrgoije" claims "loc"); "" for none. Lets a
    reader tell a broken reference from a reference to an authority it does not know."""
    stripped = text.strip()
    for name, pattern in _CLAIMS.items():
        if pattern.match(stripped):
            return name
    return ""


def is_uri(text: str) -> bool:
    """Whether a text is an absolute URI ("https://example.org/p/1"), known scheme or not,
    so that a reader can keep a reference this module cannot normalise."""
    return _URI.fullmatch(text.strip()) is not None

"""Authority ids: every spelling of one id normalises to one URI, and nothing else does."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.authority import claimed_scheme, is_uri, label, normalise, scheme, short_id

CORPORA = Path("/work/shared/corpora")


@pytest.mark.parametrize(
    ("spellings", "canonical"),
    [
        (
            [
                "http://d-nb.info/gnd/118609807",
                "https://d-nb.info/gnd/118609807",
                "https://d-nb.info/gnd/118609807/",
                "https://d-nb.info/gnd/118609807/about/html",
                "gnd:118609807",
                "118609807",
                " 118609807 ",
            ],
            "https://d-nb.info/gnd/118609807",
        ),
        (["http://d-nb.info/gnd/10283220X", "10283220x"], "https://d-nb.info/gnd/10283220X"),
        (["http://d-nb.info/gnd/4076778-4", "4076778-4"], "https://d-nb.info/gnd/4076778-4"),
        (
            [
                "http://viaf.org/viaf/12304462",
                "https://viaf.org/viaf/12304462/",
                "http://www.viaf.org/viaf/12304462",
            ],
            "https://viaf.org/viaf/12304462",
        ),
        (
            [
                "https://sws.geonames.org/2761369/",
                "http://www.geonames.org/2761369",
                "http://www.geonames.org/2761369/vienna.html",
                "geonames.org/2761369",
                "HTTP://WWW.GEONAMES.ORG/2761369",
            ],
            "https://www.geonames.org/2761369",
        ),
        (
            [
                "http://id.loc.gov/authorities/names/n85387872",
                "https://id.loc.gov/authorities/names/n85387872.html",
            ],
            "https://id.loc.gov/authorities/names/n85387872",
        ),
        (
            ["http://id.loc.gov/authorities/names/no2016036349"],
            "https://id.loc.gov/authorities/names/no2016036349",
        ),
        (
            [
                "http://www.wikidata.org/entity/Q42",
                "https://www.wikidata.org/wiki/Q42",
                "Q42",
                "wd:Q42",
            ],
            "https://www.wikidata.org/entity/Q42",
        ),
    ],
)
def test_every_spelling_of_one_id_is_one_uri(spellings, canonical):
    assert {normalise(spelling) for spelling in spellings} == {canonical}


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Roman Empire",
        "http://id.loc.gov/authorities/names/xhsrgoije",
        "https://example.org/p/1",
        "http://www.weber-gesamtausgabe.de/A002068",
        "https://d-nb.info/gnd/",
        "23",  # a row number or a key, not a GND id
        "http://d-nb.info/gnd/118609807/extra/path",
        "١١٨٦٠٩٨٠٧",  # digits, but not ASCII ones
        "q42",
    ],
)
def test_texts_that_are_not_known_references(text):
    assert normalise(text) is None
    assert scheme(text) == ""
    assert label(text) == text
    with pytest.raises(ValueError, match="not a GND"):
        short_id(text)


@pytest.mark.parametrize(
    ("ref", "name", "shown", "key"),
    [
        ("http://d-nb.info/gnd/118609807", "gnd", "GND 118609807", "gnd-118609807"),
        ("4076778-4", "gnd", "GND 4076778-4", "gnd-4076778-4"),
        ("https://sws.geonames.org/2761369/", "geonames", "GeoNames 2761369", "geonames-2761369"),
        ("http://viaf.org/viaf/12304462", "viaf", "VIAF 12304462", "viaf-12304462"),
        ("Q42", "wikidata", "Wikidata Q42", "wikidata-Q42"),
        ("http://id.loc.gov/authorities/names/n85387872", "loc", "LoC n85387872", "loc-n85387872"),
    ],
)
def test_scheme_label_and_short_id(ref, name, shown, key):
    assert (scheme(ref), label(ref), short_id(ref)) == (name, shown, key)
    assert re.fullmatch(r"[A-Za-z0-9-]+", short_id(ref))


def test_a_broken_reference_still_says_which_authority_it_claims():
    broken = "http://id.loc.gov/authorities/names/xhsrgoije"
    assert (normalise(broken), claimed_scheme(broken)) == (None, "loc")
    assert claimed_scheme("https://example.org/p/1") == ""
    assert claimed_scheme("Roman Empire") == ""


def test_is_uri_tells_a_foreign_uri_from_a_name():
    assert is_uri("https://example.org/p/1")
    assert is_uri("http://www.weber-gesamtausgabe.de/A002068")
    assert not is_uri("Roman Empire")
    assert not is_uri("118609807")
    assert not is_uri("http://")


def refs_in_samples() -> list[str]:
    """Every authority reference the sample files write, as they write it."""
    refs = []
    for path in sorted((CORPORA / "cmif").glob("*.xml")):
        refs += re.findall(r'<(?:persName|placeName|orgName)[^>]* ref="([^"]+)"', path.read_text())
    for path in sorted((CORPORA / "csv2cmi").glob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                refs += [row[column] for column in row if column.endswith("ID") and row[column]]
    return refs


def test_every_reference_in_the_samples_is_known_or_named_bad():
    refs = refs_in_samples()
    assert len(refs) > 1500
    unknown = {ref for ref in refs if normalise(ref) is None}
    # csv2cmi's deliberately broken ones; every other person and place is known.
    assert unknown == {"http://id.loc.gov/authorities/names/xhsrgoije", "Roman Empire"}


def test_the_brahm_files_https_spellings_match_the_older_http_ones():
    brahm = (CORPORA / "cmif" / "brahm-schnitzler.xml").read_text()
    assert normalise("https://d-nb.info/gnd/118514008") == normalise(
        "http://d-nb.info/gnd/118514008"
    )
    vienna = "https://sws.geonames.org/2761369/"
    assert vienna in brahm
    assert normalise(vienna) == normalise("http://www.geonames.org/2761369")


# Texts near the forms the module reads, so that generated input reaches its patterns.
NEAR_REFS = st.builds(
    "".join,
    st.lists(
        st.sampled_from(
            [
                "http://",
                "https://",
                "www.",
                "sws.",
                "d-nb.info/gnd/",
                "viaf.org/viaf/",
                "geonames.org/",
                "id.loc.gov/authorities/names/",
                "wikidata.org/entity/",
                "wikidata.org/wiki/",
                "gnd:",
                "wd:",
                "Q",
                "n",
                "no",
                "X",
                "x",
                "-",
                "/",
                ".html",
                "/about/html",
                "1",
                "18609807",
                "4",
                "2016036349",
                " ",
            ]
        ),
        max_size=8,
    ),
)


@given(st.one_of(st.text(), NEAR_REFS))
def test_normalise_never_raises_and_is_idempotent(text):
    uri = normalise(text)
    if uri is not None:
        assert normalise(uri) == uri
        assert short_id(uri) == short_id(text)
        assert label(uri) == label(text)
        assert is_uri(uri)
    scheme(text), label(text), claimed_scheme(text), is_uri(text)

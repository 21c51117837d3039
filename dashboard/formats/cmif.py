"""CMIF (TEI correspDesc) files: a lenient streaming reader and a writer that round-trips.

The reader walks the file with lxml's iterparse and forgets each correspDesc once it has
become a `Letter`, so memory stays flat however many letters a file holds. It never raises
on a file that parses as XML: what it cannot use becomes a `Notice`, and what the model
does not use goes into `Letter.extra` under a name the writer maps back to its place.

Names in `Letter.extra` (N counts a side's persName/orgName elements from 1):

    sameAs, xml:id, source, ...    an attribute of correspDesc
    note, correspContext, ...      a child element of correspDesc, as XML
    action:forwarded               a correspAction of a type other than sent/received, as XML
    sent@A, received@A             an attribute of that correspAction
    sent:E, received:E             a child element of that correspAction the model does not
                                   use (a second date or place, a roleName, ...), as XML
    sender[N]@A, recipient[N]@A    an attribute of that party's element other than its @ref
    sender[N]@ref+                 the party's further authority ids, after the one used
    sender[N]                      the party's element as XML, when it has markup inside
    sent_place@A, sent_place ...   the same for the place of sending (received_place too)
    sent_date@A, sent_date ...     a date attribute `dates.to_tei` would not write back, and
                                   the date element as XML when it has content

XML is kept without the TEI namespace, the way an editor would type it.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from lxml import etree

from dashboard import authority, dates
from dashboard.dates import LetterDate
from dashboard.formats import UnreadableFile
from dashboard.letters import (
    BODY,
    IGNORED,
    IMPORTED,
    IMPORTED_UNCERTAIN_DATE,
    IMPORTED_UNDATED,
    KEPT_WITHOUT_ID,
    PERSON,
    PLACE_WITHOUT_ID,
    SKIPPED,
    Letter,
    Metadata,
    Notice,
    Party,
    Place,
    Source,
)

FORMAT = "cmif"
TEI = "http://www.tei-c.org/ns/1.0"
_IN_TEI = "{" + TEI + "}"
_XML = "{http://www.w3.org/XML/1998/namespace}"

# Files in the wild come with and without the TEI namespace; both spellings are watched.
_WATCHED = tuple(f"{ns}{name}" for name in ("correspDesc", "fileDesc") for ns in (_IN_TEI, ""))
_SIDES = {"sent": "sender", "received": "recipient"}
_KINDS = {"persName": PERSON, "orgName": BODY}
_TAGS = {PERSON: "persName", BODY: "orgName"}

# For fragments kept in Letter.extra and parsed again by the writer: no DTD, no entities,
# no network, whatever the text holds.
_FRAGMENTS = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
)
# Characters XML 1.0 cannot carry at all, not even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_NCNAME = re.compile(r"[A-Za-z_][\w.-]*")
_PARTY_EXTRA = re.compile(r"(sender|recipient)\[(\d+)\](@.+)?")
_SIDE_EXTRA = re.compile(r"(sent|received)(@|:|_place@|_date@)(.+)")
_SIDE_WHOLE = re.compile(r"(sent|received)_(place|date)")

# Authority ids repeat thousands of times in a large file; recognising one is a few regexes.
_recognised = functools.lru_cache(maxsize=1 << 16)(authority.normalise)


# Reading -------------------------------------------------------------------------------


def looks_like(head: bytes) -> bool:
    """Whether the first few KB of a file look like CMIF: XML naming TEI and either
    correspDesc or profileDesc (the header may push the first letter past the head)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", errors="ignore")
    else:
        text = head.decode("utf-8", errors="replace")
    if not text.lstrip("\ufeff \t\r\n").startswith("<"):
        return False
    tei = TEI in text or re.search(r"<(?:[\w.-]+:)?TEI[\s>/]", text) is not None
    return tei and ("correspDesc" in text or "profileDesc" in text)


def read(path: Path) -> Source:
    """Open a CMIF file: its metadata now, its letters as they are consumed.

    Raises `UnreadableFile` when the file cannot be opened, is not XML, declares entities
    (refused so that nothing is expanded or fetched), or holds no correspDesc; a file cut
    short or broken further down raises it from `letters` when the reader gets there.
    Everything else becomes a Notice in `Source.notices`, filled while `letters` is consumed.
    """
    path = Path(path)
    try:
        handle = path.open("rb")
    except OSError as error:
        raise UnreadableFile(path, error.strerror or str(error)) from error
    try:
        events = etree.iterparse(
            handle,
            events=("end",),
            tag=_WATCHED,
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
        )
        metadata, first = _header(path, events)
    except BaseException:
        handle.close()
        raise
    source = Source(
        path=str(path),
        format=FORMAT,
        metadata=metadata,
        letters=iter(()),
        notices=[],
        skipped=[],
    )
    reader = _Reader(path.name, metadata, source.notices, source.skipped)
    source.letters = _letters(path, handle, events, first, reader)
    return source


def _header(path: Path, events: Iterator) -> tuple[Metadata, etree._Element]:
    """Read up to the first correspDesc: the metadata if the header comes first (it should),
    and the first letter's element, so that a file without letters fails here and now."""
    metadata = Metadata(source_format=FORMAT)
    checked = False
    try:
        for _, element in events:
            if not checked:
                _refuse_entities(path, element)
                checked = True
            if _local(element.tag) == "fileDesc":
                metadata = _metadata(element)
            else:
                return metadata, element
    except etree.XMLSyntaxError as error:
        raise UnreadableFile(path, f"not well-formed XML: {error}") from error
    raise UnreadableFile(path, "no correspDesc anywhere: this is not a CMIF file")


def _refuse_entities(path: Path, element: etree._Element) -> None:
    # resolve_entities=False already keeps them unexpanded; refusing the file says so
    # plainly instead of handing the model names with "&lol9;" in them.
    dtd = element.getroottree().docinfo.internalDTD
    names = [entity.name for entity in dtd.iterentities()] if dtd is not None else []
    if names:
        shown = ", ".join(names[:5]) + (", ..." if len(names) > 5 else "")
        raise UnreadableFile(
            path, f"the DOCTYPE declares entities ({shown}); such files are refused unread"
        )


def _letters(
    path: Path, handle: IO[bytes], events: Iterator, first: etree._Element, reader: _Reader
) -> Iterator[Letter]:
    try:
        element = first
        while element is not None:
            letter = reader.letter(element)
            _forget(element)
            if letter is not None:
                yield letter
            element = _next_letter(events)
    except etree.XMLSyntaxError as error:
        raise UnreadableFile(path, f"not well-formed XML: {error}") from error
    finally:
        handle.close()


def _next_letter(events: Iterator) -> etree._Element | None:
    for _, element in events:
        if _local(element.tag) == "correspDesc":
            return element
    return None


def _forget(element: etree._Element) -> None:
    """Drop a letter's element and everything before it, up every ancestor, so the tree
    iterparse builds never holds more than the letter being read."""
    element.clear(keep_tail=True)
    node = element
    while (parent := node.getparent()) is not None:
        while node.getprevious() is not None:
            del parent[0]
        node = parent


def _metadata(file_desc: etree._Element) -> Metadata:
    metadata = Metadata(source_format=FORMAT)
    title_stmt = _first(file_desc, "titleStmt")
    if title_stmt is not None:
        title = _first(title_stmt, "title")
        metadata.title = _text(title) if title is not None else ""
        editors = (_text(editor, skip="email") for editor in _children(title_stmt, "editor"))
        metadata.editors = tuple(name for name in editors if name)
    publication = _first(file_desc, "publicationStmt")
    if publication is not None:
        publisher = _first(publication, "publisher")
        if publisher is not None:
            metadata.publisher = _text(publisher)
            link = next((ref for ref in _all(publisher, "ref", "ptr") if ref.get("target")), None)
            metadata.publisher_url = link.get("target", "") if link is not None else ""
        licence = next(_all(publication, "licence"), None)
        if licence is not None:
            metadata.licence = _text(licence)
            metadata.licence_url = licence.get("target", "")
        idno = next((i for i in _children(publication, "idno") if i.get("type") == "url"), None)
        metadata.url = _text(idno) if idno is not None else ""
        published = _first(publication, "date")
        if published is not None:
            metadata.date = published.get("when") or _text(published)
    for source_desc in _children(file_desc, "sourceDesc"):
        for number, bibl in enumerate(_children(source_desc, "bibl"), 1):
            # A bibl without xml:id cannot be pointed at; it still names an edition.
            ident = bibl.get(_XML + "id") or f"bibl-{number}"
            metadata.editions[ident] = (bibl.get("type", ""), _text(bibl))
    return metadata


@dataclass
class _Side:
    """What one side of a letter (sending or receipt) says, gathered from its actions."""

    kind: str
    parties: list[Party] = field(default_factory=list)
    place: Place | None = None
    date: LetterDate | None = None
    # Extras by where they stand, so that a letter lists them in an order that does not
    # depend on how the file ordered the elements, and a written file reads back the same.
    attributes: list[tuple[str, str]] = field(default_factory=list)
    party_extra: list[tuple[str, str]] = field(default_factory=list)
    place_extra: list[tuple[str, str]] = field(default_factory=list)
    date_extra: list[tuple[str, str]] = field(default_factory=list)
    elements: list[tuple[str, str]] = field(default_factory=list)

    @property
    def extra(self) -> list[tuple[str, str]]:
        return (
            self.attributes + self.party_extra + self.place_extra + self.date_extra + self.elements
        )


class _Reader:
    """Turns correspDesc elements into Letters, noting what it met on the way."""

    def __init__(
        self, file_name: str, metadata: Metadata, notices: list[Notice], skipped: list[Notice]
    ) -> None:
        self.file_name = file_name
        self.metadata = metadata
        self.notices = notices
        self.skipped = skipped
        self._key = ""
        self._met: list[Notice] = []

    def _where(self, element: etree._Element) -> str:
        return f"{self.file_name}, line {element.sourceline}"

    def _notice(self, element: etree._Element, message: str, action: str, column: str) -> None:
        self._met.append(Notice(self._where(element), message, action, self._key, column))

    def letter(self, element: etree._Element) -> Letter | None:
        url = element.get("ref", "")
        self._key = element.get("key", "") or _key_from(url)
        self._met = []
        head: list[tuple[str, str]] = []
        tail: list[tuple[str, str]] = []
        edition = ""
        for name, value in element.attrib.items():
            if name in ("key", "ref"):
                continue
            head.append((_attribute_name(name), value))
            if name == "source":
                edition = self._edition(value)
        sides = {"sent": _Side("sent"), "received": _Side("received")}
        for child in element:
            if not isinstance(child.tag, str):
                continue  # comments and processing instructions are the file's, not data
            local = _local(child.tag)
            kind = child.get("type", "")
            if local == "correspAction" and kind in sides:
                self._action(child, sides[kind])
            elif local == "correspAction":
                tail.append((f"action:{kind}", _fragment(child)))
                self._notice(
                    child,
                    f"a correspAction of type {kind!r} is kept aside; only sent and received "
                    "actions make the network",
                    IGNORED,
                    f"action:{kind}",
                )
            else:
                tail.append((local, _fragment(child)))
        sent, received = sides["sent"], sides["received"]
        if not sent.parties and not received.parties:
            skipped = Notice(
                self._where(element),
                "the letter names neither a sender nor a recipient",
                SKIPPED,
                self._key,
            )
            self.notices.append(skipped)
            self.skipped.append(skipped)
            return None
        if sent.date is None:
            self._notice(element, "no date of sending", IMPORTED_UNDATED, "date")
        self.notices.extend(self._met)
        return Letter(
            key=self._key,
            where=self._where(element),
            senders=tuple(sent.parties),
            recipients=tuple(received.parties),
            date=sent.date or LetterDate.none(),
            sent_place=sent.place,
            received_place=received.place,
            received_date=received.date,
            url=url,
            edition=edition,
            extra=tuple(head + sent.extra + received.extra + tail),
        )

    def _edition(self, source: str) -> str:
        ident = source.removeprefix("#")
        if source.startswith("#") and ident in self.metadata.editions:
            return self.metadata.editions[ident][1]
        return source

    def _action(self, action: etree._Element, side: _Side) -> None:
        kind = side.kind
        for name, value in action.attrib.items():
            if name != "type":
                side.attributes.append((f"{kind}@{_attribute_name(name)}", value))
        for child in action:
            if not isinstance(child.tag, str):
                continue
            local = _local(child.tag)
            if local in _KINDS:
                label = f"{_SIDES[kind]}[{len(side.parties) + 1}]"
                name, ref = self._named(child, label, side.party_extra, KEPT_WITHOUT_ID)
                side.parties.append(Party(name=name, ref=ref, kind=_KINDS[local]))
            elif local == "placeName" and side.place is None:
                label = f"{kind}_place"
                name, ref = self._named(child, label, side.place_extra, PLACE_WITHOUT_ID)
                side.place = Place(name=name, ref=ref)
            elif local == "date" and side.date is None:
                side.date = self._date(child, side)
            else:
                side.elements.append((f"{kind}:{local}", _fragment(child)))
                if local in ("placeName", "date"):
                    what = "place" if local == "placeName" else "date"
                    self._notice(
                        child,
                        f"a second {what} of the {kind} action; the first is used, this one "
                        "is kept aside",
                        IGNORED,
                        f"{kind}:{local}",
                    )

    def _named(
        self,
        element: etree._Element,
        label: str,
        extra: list[tuple[str, str]],
        missing: str,
    ) -> tuple[str, str]:
        """The name and the authority id of a party or place, its other attributes put
        aside in `extra`. Of several ids in @ref the first recognised one is used."""
        name = _text(element)
        if len(element):
            extra.append((label, _fragment(element)))
        for attribute, value in element.attrib.items():
            if attribute != "ref":
                extra.append((f"{label}@{_attribute_name(attribute)}", value))
        refs = element.get("ref", "").split()
        if not name:
            self._notice(element, "the name is empty; only its id names it", IMPORTED, label)
        if not refs:
            self._notice(element, f"{name!r} has no authority id (@ref)", missing, label)
            return name, ""
        known = [ref for ref in refs if _recognised(ref)]
        used = known[0] if known else refs[0]
        rest = refs.copy()
        rest.remove(used)
        if not known:
            self._notice(
                element,
                f"{name!r} has @ref {used!r}, which is not an authority id this import knows",
                missing,
                label,
            )
        if rest:
            extra.append((f"{label}@ref+", " ".join(rest)))
            self._notice(
                element,
                f"{name!r} has several ids in @ref; {used!r} is used, "
                f"{' '.join(rest)!r} kept aside",
                IGNORED,
                label,
            )
        return name, used

    def _date(self, element: etree._Element, side: _Side) -> LetterDate:
        attributes = {_attribute_name(name): value for name, value in element.attrib.items()}
        text = _text(element)
        date, problems = dates.from_tei(attributes, text)
        # Whatever to_tei would not write back (xml:id, calendar, a differing spelling)
        # is kept so that the writer can put the element back as it was.
        written = dates.to_tei(date)
        for name, value in attributes.items():
            if written.get(name) != value:
                side.date_extra.append((f"{side.kind}_date@{name}", value))
        if text or len(element):
            side.date_extra.append((f"{side.kind}_date", _fragment(element)))
        column = "date" if side.kind == "sent" else "date of receipt"
        undated = date.precision == dates.NONE
        if side.kind == "sent":
            action = IMPORTED_UNDATED if undated else IMPORTED_UNCERTAIN_DATE
        else:
            action = IGNORED if undated else IMPORTED_UNCERTAIN_DATE
        for problem in problems:
            self._notice(element, problem, action, column)
        if undated and not problems:
            self._notice(element, "the date element gives no date", action, column)
        return date


# Writing -------------------------------------------------------------------------------


def write(metadata: Metadata, letters: Iterable[Letter], out: Path) -> None:
    """Write letters as a CMIF file that `read` gives back the same.

    Letters are written one at a time, first to a body file: editions that the metadata
    does not list are only known once every letter is seen, and the header must list them
    for each correspDesc/@source to point at a bibl. Both files sit in `out`'s folder and
    the finished one replaces `out` in a single rename, so a failed write leaves nothing.
    """
    out = Path(out)
    editions = _Editions(metadata)
    with _scratch(out, ".letters") as body_path, body_path.open("w+b") as body:
        for letter in letters:
            element = _letter_element(letter, editions)
            body.write(b"      ")
            body.write(etree.tostring(element, encoding="utf-8", xml_declaration=False))
            body.write(b"\n")
        body.seek(0)
        header = etree.tostring(
            _file_desc(metadata, editions), encoding="utf-8", xml_declaration=False
        )
        with _scratch(out, ".tmp") as whole_path:
            with whole_path.open("wb") as whole:
                whole.write(b'<?xml version="1.0" encoding="UTF-8"?>\n')
                whole.write(f'<TEI xmlns="{TEI}">\n  <teiHeader>\n    '.encode())
                whole.write(header)
                whole.write(b"\n    <profileDesc>\n")
                shutil.copyfileobj(body, whole)
                whole.write(b"    </profileDesc>\n  </teiHeader>\n")
                whole.write(b"  <text>\n    <body>\n      <p/>\n    </body>\n  </text>\n</TEI>\n")
                whole.flush()
                os.fsync(whole.fileno())
            _keep_mode(out, whole_path)
            os.replace(whole_path, out)


@contextlib.contextmanager
def _scratch(out: Path, suffix: str) -> Iterator[Path]:
    """A hidden file beside `out`, gone afterwards unless it was renamed into place."""
    handle, name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=suffix)
    os.close(handle)
    try:
        yield Path(name)
    finally:
        Path(name).unlink(missing_ok=True)


def _keep_mode(out: Path, written: Path) -> None:
    # A temporary file is private (0600); the file it replaces, or a fresh one, should not be.
    mode = out.stat().st_mode & 0o777 if out.exists() else 0o644
    os.chmod(written, mode)


class _Editions:
    """The bibls a written file lists: the metadata's own, then one per edition text that
    a letter names and the metadata does not (letters from other formats). Those go without
    the @type CMIF requires: print, online or hybrid is for the metadata to say, not a guess."""

    def __init__(self, metadata: Metadata) -> None:
        self.listed = dict(metadata.editions)
        self.ids = {text: ident for ident, (_, text) in self.listed.items()}
        self.added: dict[str, tuple[str, str]] = {}

    def pointer(self, text: str) -> str:
        if text not in self.ids:
            number = len(self.added) + 1
            while f"edition-{number}" in self.listed:
                number += 1
            ident = f"edition-{number}"
            self.ids[text] = ident
            self.added[ident] = ("", text)
            self.listed[ident] = ("", text)
        return "#" + self.ids[text]


def _file_desc(metadata: Metadata, editions: _Editions) -> etree._Element:
    file_desc = etree.Element("fileDesc")
    title_stmt = etree.SubElement(file_desc, "titleStmt")
    _sub(title_stmt, "title", metadata.title)
    for editor in metadata.editors:
        _sub(title_stmt, "editor", editor)
    publication = etree.SubElement(file_desc, "publicationStmt")
    publisher = _sub(publication, "publisher", "" if metadata.publisher_url else metadata.publisher)
    if metadata.publisher_url:
        _sub(publisher, "ref", metadata.publisher, target=metadata.publisher_url)
    if metadata.url:
        _sub(publication, "idno", metadata.url, type="url")
    # CMIF asks when the file was made; a corpus that does not say was made now.
    when = metadata.date or datetime.now(UTC).isoformat(timespec="seconds")
    _sub(publication, "date", when=when)
    if metadata.licence or metadata.licence_url:
        availability = etree.SubElement(publication, "availability")
        attributes = {"target": metadata.licence_url} if metadata.licence_url else {}
        _sub(availability, "licence", metadata.licence, **attributes)
    source_desc = etree.SubElement(file_desc, "sourceDesc")
    for ident, (kind, text) in editions.listed.items():
        bibl = _sub(source_desc, "bibl", text, **({"type": kind} if kind else {}))
        bibl.set(_XML + "id", ident)
    _indent(file_desc, 2)
    return file_desc


def _letter_element(letter: Letter, editions: _Editions) -> etree._Element:
    element = etree.Element("correspDesc")
    if letter.key and letter.key != _key_from(letter.url):
        element.set("key", _clean(letter.key))
    if letter.url:
        element.set("ref", _clean(letter.url))
    placed = _Placed()
    for name, value in letter.extra:
        placed.take(name, value)
    for name, value in placed.attributes:
        if element.get(name) is None:
            element.set(name, value)
    if letter.edition and element.get("source") is None:
        element.set("source", editions.pointer(letter.edition))
    sides = (
        ("sent", letter.senders, letter.sent_place, letter.date),
        ("received", letter.recipients, letter.received_place, letter.received_date),
    )
    for kind, parties, place, date in sides:
        action = _action_element(kind, parties, place, date, placed)
        if action is not None:
            element.append(action)
    for name, value in placed.elements:
        element.append(_element(name, value))
    _indent(element, 3)
    return element


@dataclass
class _Placed:
    """A letter's extras sorted by where the writer puts them."""

    attributes: list[tuple[str, str]] = field(default_factory=list)
    elements: list[tuple[str, str]] = field(default_factory=list)
    # (side or party label) -> [(attribute or "" for the element itself, value)]
    inside: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def take(self, name: str, value: str) -> None:
        value = _clean(value)
        party = _PARTY_EXTRA.fullmatch(name)
        side = _SIDE_EXTRA.fullmatch(name)
        if party:
            label = f"{party[1]}[{int(party[2])}]"
            self.inside.setdefault(label, []).append(((party[3] or "")[1:], value))
        elif side:
            label = side[1] + {"@": "@", ":": ":", "_place@": "_place", "_date@": "_date"}[side[2]]
            self.inside.setdefault(label, []).append((side[3], value))
        elif _SIDE_WHOLE.fullmatch(name):
            self.inside.setdefault(name, []).append(("", value))
        elif name.startswith("action:") or name == "note" or _is_element(name, value):
            self.elements.append((name, value))
        elif _attribute_clark(name) is not None:
            self.attributes.append((_attribute_clark(name), value))
        else:
            self.elements.append((name, value))

    def attributes_of(self, label: str) -> list[tuple[str, str]]:
        return [(name, value) for name, value in self.inside.get(label, []) if name]

    def markup_of(self, label: str) -> str:
        return next((value for name, value in self.inside.get(label, []) if not name), "")


def _action_element(
    kind: str,
    parties: tuple[Party, ...],
    place: Place | None,
    date: LetterDate | None,
    placed: _Placed,
) -> etree._Element | None:
    action = etree.Element("correspAction", type=kind)
    for name, value in placed.inside.get(f"{kind}@", []):
        clark = _attribute_clark(name)
        if clark is not None and clark != "type":
            action.set(clark, value)
    role = _SIDES[kind]
    for number, party in enumerate(parties, 1):
        tag = _TAGS.get(party.kind, "persName")
        action.append(_named_element(tag, party.name, party.ref, f"{role}[{number}]", placed))
    if place is not None:
        action.append(_named_element("placeName", place.name, place.ref, f"{kind}_place", placed))
    if date is not None:
        written = _date_element(date, f"{kind}_date", placed)
        if written is not None:
            action.append(written)
    for name, value in placed.inside.get(f"{kind}:", []):
        action.append(_element(name, value))
    if len(action) == 0 and len(action.attrib) == 1:
        return None
    _indent(action, 4)
    return action


def _named_element(tag: str, name: str, ref: str, label: str, placed: _Placed) -> etree._Element:
    """A persName, orgName or placeName with the canonical form of its id, its markup put
    back when it still spells the same name, and its other attributes."""
    element = _parsed(placed.markup_of(label))
    if element is None or _local(element.tag) != tag or _text(element) != " ".join(name.split()):
        element = etree.Element(tag)
        element.text = _clean(name)
    else:
        element.attrib.clear()
        element.tail = None
    further = ""
    for attribute, value in placed.attributes_of(label):
        if attribute == "ref+":
            further = value
        elif (clark := _attribute_clark(attribute)) is not None and clark != "ref":
            element.set(clark, value)
    refs = " ".join(part for part in (_clean(_canonical(ref)), further) if part)
    if refs:
        # @ref first, as editors write it; set() appends, so rebuild the order.
        others = dict(element.attrib)
        element.attrib.clear()
        element.set("ref", refs)
        for attribute, value in others.items():
            element.set(attribute, value)
    return element


def _date_element(date: LetterDate, label: str, placed: _Placed) -> etree._Element | None:
    attributes = {name: _clean(value) for name, value in dates.to_tei(date).items()}
    for name, value in placed.attributes_of(label):
        attributes[name] = value
    markup = _parsed(placed.markup_of(label))
    # A set's members, which TEI's attributes cannot say, go in the element's text.
    content = dates.tei_text(date)
    if not attributes and markup is None and not content:
        return None
    if markup is None or _local(markup.tag) != "date":
        markup = etree.Element("date")
        markup.text = _clean(content) or None
    markup.attrib.clear()
    markup.tail = None
    for name, value in attributes.items():
        clark = _attribute_clark(name)
        if clark is not None:
            markup.set(clark, value)
    return markup


def _element(name: str, value: str) -> etree._Element:
    """An extra written back as an element: its own XML when it is some, else a note
    that names it, so that nothing a letter carried is dropped."""
    parsed = _parsed(value)
    if parsed is not None:
        parsed.tail = None
        return parsed
    if name == "note":
        note = etree.Element("note")
        note.text = value
        return note
    note = etree.Element("note", type="extra", n=name)
    note.text = value
    return note


# Shared helpers -------------------------------------------------------------------------


def _local(tag: str) -> str:
    """A tag's name with the TEI namespace dropped; other vocabularies keep theirs."""
    # A file uses a few dozen tags a hundred thousand times each: look each up once.
    local = _LOCAL_NAMES.get(tag)
    if local is None:
        local = tag[len(_IN_TEI) :] if tag.startswith(_IN_TEI) else tag
        if len(_LOCAL_NAMES) < 1000:  # a hostile file's million made-up tags stay uncached
            _LOCAL_NAMES[tag] = local
    return local


_LOCAL_NAMES: dict[str, str] = {}


def _children(element: etree._Element, name: str) -> list[etree._Element]:
    return [c for c in element if isinstance(c.tag, str) and _local(c.tag) == name]


def _first(element: etree._Element, name: str) -> etree._Element | None:
    return next(iter(_children(element, name)), None)


def _all(element: etree._Element, *names: str) -> Iterator[etree._Element]:
    return (e for e in element.iter() if isinstance(e.tag, str) and _local(e.tag) in names)


def _text(element: etree._Element, skip: str = "") -> str:
    """An element's text with its whitespace normalised, leaving out `skip` elements
    (an editor's email) and comments, keeping an unexpanded entity as written."""
    if len(element) == 0:
        return " ".join((element.text or "").split())
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        parts.append(node.text or "")
        for child in node:
            if child.tag is etree.Entity:
                parts.append(child.text or "")
            elif isinstance(child.tag, str) and _local(child.tag) != skip:
                walk(child)
            parts.append(child.tail or "")

    walk(element)
    return " ".join("".join(parts).split())


def _fragment(element: etree._Element) -> str:
    """An element as XML text, without the TEI namespace and without its tail."""
    kept = copy.deepcopy(element)
    kept.tail = None
    for node in kept.iter():
        if isinstance(node.tag, str) and node.tag.startswith(_IN_TEI):
            node.tag = node.tag[len(_IN_TEI) :]
    etree.cleanup_namespaces(kept)
    return etree.tostring(kept, encoding="unicode", with_tail=False)


def _parsed(text: str) -> etree._Element | None:
    if not text.startswith("<"):
        return None
    try:
        return etree.fromstring(text, _FRAGMENTS)
    except etree.XMLSyntaxError:
        return None


def _is_element(name: str, value: str) -> bool:
    """Whether an extra is a kept child element (its XML, rooted in an element of its own
    name) rather than an attribute of correspDesc."""
    parsed = _parsed(value)
    return parsed is not None and _local(parsed.tag) == name


def _attribute_name(clark: str) -> str:
    return "xml:" + clark[len(_XML) :] if clark.startswith(_XML) else clark


def _attribute_clark(name: str) -> str | None:
    """The lxml name of an attribute given as in Letter.extra, None when it cannot be one."""
    if name.startswith("xml:"):
        return _XML + name[4:] if _NCNAME.fullmatch(name[4:]) else None
    if name.startswith("{") and "}" in name:
        return name if _NCNAME.fullmatch(name.split("}", 1)[1]) else None
    return name if _NCNAME.fullmatch(name) else None


def _key_from(url: str) -> str:
    """A letter's key when the file gives only its URL: the URL's last part."""
    return url.rstrip("/").rsplit("/", 1)[-1] if url else ""


def _canonical(ref: str) -> str:
    return (_recognised(ref) or ref) if ref else ""


def _clean(text: str) -> str:
    # XML cannot carry these at all; a stray one in a name must not lose the whole file.
    return _NOT_XML.sub("\ufffd", text)


def _sub(parent: etree._Element, tag: str, text: str = "", **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, tag, {k: _clean(v) for k, v in attributes.items()})
    element.text = _clean(text) or None
    return element


def _indent(element: etree._Element, level: int) -> None:
    """Lay out the elements the writer builds one per line, without touching the inside
    of kept XML (whose whitespace may be part of its text)."""
    if len(element) == 0:
        return
    inner = "\n" + "  " * (level + 1)
    element.text = inner
    for child in element:
        child.tail = inner
        if child.tag in ("titleStmt", "publicationStmt", "sourceDesc", "availability"):
            _indent(child, level + 1)
    element[-1].tail = "\n" + "  " * level

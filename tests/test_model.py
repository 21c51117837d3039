"""The model: loading, every validation error, filtering, aggregation and alias lookup."""

from __future__ import annotations

import contextlib
import hashlib

import pandas as pd
import pytest
from factory import COPIES, MESSAGES, PEOPLE, write_corpus, write_csv

from dashboard.model import MAX_PROBLEMS, CorpusError, load_corpus


@pytest.fixture
def corpus(tmp_path):
    return load_corpus(write_corpus(tmp_path))


def error_for(folder) -> CorpusError:
    with pytest.raises(CorpusError) as caught:
        load_corpus(folder)
    return caught.value


def only_problem(error: CorpusError):
    assert len(error.problems) == 1, [str(p) for p in error.problems]
    return error.problems[0]


# --- loading ----------------------------------------------------------------------------


def test_load_types_and_order(corpus):
    assert list(corpus.messages["message_id"]) == ["a", "b", "c", "d"]
    assert pd.api.types.is_datetime64_any_dtype(corpus.messages["date"])
    assert corpus.copies["copies"].dtype == "int64"
    assert corpus.people.set_index("person_id")["soviet_politburo_1949"].to_dict() == {
        "stalin": True,
        "mao": False,
        "terebin": False,
        "molotov": True,
        "vyshinskiy": False,
    }
    # Certainty defaults to exact when a row leaves it blank.
    assert corpus.messages.set_index("message_id")["date_certainty"]["a"] == "exact"
    assert corpus.messages.set_index("message_id")["date_certainty"]["d"] == "approximate"


def test_period_spans_whole_months(corpus):
    assert corpus.period == (pd.Timestamp("1949-01-01"), pd.Timestamp("1949-03-31"))


def test_optional_files_may_be_absent(tmp_path):
    write_corpus(tmp_path)
    (tmp_path / "copies.csv").unlink()
    (tmp_path / "events.csv").unlink()
    corpus = load_corpus(tmp_path)
    assert corpus.copies.empty and corpus.events.empty
    assert len(corpus.messages) == 4


def test_lone_messages_csv_takes_people_from_beside_it(tmp_path):
    write_corpus(tmp_path)
    corpus = load_corpus(tmp_path / "messages.csv")
    assert len(corpus.messages) == 4 and len(corpus.people) == len(PEOPLE)


def digests(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}


@pytest.mark.parametrize("date", ["1949-01-10", "1949-13-45"])
def test_loading_never_modifies_the_files(tmp_path, date):
    write_corpus(tmp_path, messages=[*MESSAGES[1:], {**MESSAGES[0], "date": date}])
    before = digests(tmp_path)
    with contextlib.suppress(CorpusError):
        load_corpus(tmp_path)
    assert digests(tmp_path) == before


# --- validation: one bad file per error, each naming file, row and column --------------------


def test_missing_required_column(tmp_path):
    write_corpus(tmp_path)
    rows = [{k: v for k, v in m.items() if k != "sender"} for m in MESSAGES]
    write_csv(tmp_path / "messages.csv", rows, ["message_id", "date", "recipient", "title"])
    problem = only_problem(error_for(tmp_path))
    assert problem.file.endswith("messages.csv")
    assert (problem.row, problem.column) == (1, "sender")
    assert "missing" in problem.message


def test_unparseable_date(tmp_path):
    bad = [dict(m) for m in MESSAGES]
    bad[2]["date"] = "28/01/1949"
    problem = only_problem(error_for(write_corpus(tmp_path, messages=bad)))
    assert problem.file.endswith("messages.csv")
    assert (problem.row, problem.column) == (4, "date")  # header is row 1, so the third row is 4
    assert "28/01/1949" in problem.message


def test_impossible_date(tmp_path):
    bad = [dict(m) for m in MESSAGES]
    bad[0]["date"] = "1949-02-30"
    problem = only_problem(error_for(write_corpus(tmp_path, messages=bad)))
    assert (problem.row, problem.column) == (2, "date")


def test_unknown_person(tmp_path):
    bad = [dict(m) for m in MESSAGES]
    bad[1]["recipient"] = "zhukov"
    problem = only_problem(error_for(write_corpus(tmp_path, messages=bad)))
    assert problem.file.endswith("messages.csv")
    assert (problem.row, problem.column) == (3, "recipient")
    assert "zhukov" in problem.message and "people.csv" in problem.message


def test_unknown_relay(tmp_path):
    bad = [dict(m) for m in MESSAGES]
    bad[2]["via"] = "nobody"
    problem = only_problem(error_for(write_corpus(tmp_path, messages=bad)))
    assert (problem.row, problem.column) == (4, "via")


def test_unknown_copy_member(tmp_path):
    bad = [*COPIES, {"message_id": "b", "member": "beria", "copies": "1"}]
    problem = only_problem(error_for(write_corpus(tmp_path, copies=bad)))
    assert problem.file.endswith("copies.csv")
    assert (problem.row, problem.column) == (5, "member")


def test_duplicate_message_id(tmp_path):
    bad = [*MESSAGES, {**MESSAGES[0], "title": "again"}]
    problem = only_problem(error_for(write_corpus(tmp_path, messages=bad)))
    assert (problem.row, problem.column) == (6, "message_id")
    assert "'a'" in problem.message


def test_copies_for_unknown_message(tmp_path):
    bad = [*COPIES, {"message_id": "zz", "member": "stalin", "copies": "1"}]
    problem = only_problem(error_for(write_corpus(tmp_path, copies=bad)))
    assert problem.file.endswith("copies.csv")
    assert (problem.row, problem.column) == (5, "message_id")
    assert "zz" in problem.message


@pytest.mark.parametrize("count", ["0", "-2"])
def test_non_positive_copy_count(tmp_path, count):
    bad = [dict(c) for c in COPIES]
    bad[1]["copies"] = count
    problem = only_problem(error_for(write_corpus(tmp_path, copies=bad)))
    assert (problem.file.endswith("copies.csv"), problem.row, problem.column) == (True, 3, "copies")
    assert "positive" in problem.message


def test_non_numeric_copy_count(tmp_path):
    bad = [dict(c) for c in COPIES]
    bad[0]["copies"] = "two"
    problem = only_problem(error_for(write_corpus(tmp_path, copies=bad)))
    assert (problem.row, problem.column) == (2, "copies")


def test_bad_certainty(tmp_path):
    bad = [dict(m) for m in MESSAGES]
    bad[0]["date_certainty"] = "probably"
    problem = only_problem(error_for(write_corpus(tmp_path, messages=bad)))
    assert (problem.row, problem.column) == (2, "date_certainty")


def test_unknown_reply_target(tmp_path):
    bad = [dict(m) for m in MESSAGES]
    bad[1]["in_reply_to"] = "nope"
    problem = only_problem(error_for(write_corpus(tmp_path, messages=bad)))
    assert (problem.row, problem.column) == (3, "in_reply_to")


def test_event_span_backwards(tmp_path):
    bad = [{"event_id": "e", "start": "1949-02-08", "end": "1949-01-30", "title": "x"}]
    problem = only_problem(error_for(write_corpus(tmp_path, events=bad)))
    assert problem.file.endswith("events.csv")
    assert (problem.row, problem.column) == (2, "end")


def test_alias_naming_two_people(tmp_path):
    bad = [dict(p) for p in PEOPLE]
    bad[1]["aliases"] = "Filippov"
    problem = only_problem(error_for(write_corpus(tmp_path, people=bad)))
    assert problem.file.endswith("people.csv")
    assert (problem.row, problem.column) == (3, "aliases")


def test_short_name_naming_two_people(tmp_path):
    bad = [dict(p) for p in PEOPLE]
    bad[3]["short_name"] = "Stalin"  # Molotov's row, 5 in the file
    problem = only_problem(error_for(write_corpus(tmp_path, people=bad)))
    assert (problem.row, problem.column) == (5, "short_name") and "'Stalin'" in problem.message


def test_short_names_label_and_find_their_person(tmp_path):
    people = [dict(p) for p in PEOPLE]
    people[3]["short_name"] = "V. M. Molotov"
    corpus = load_corpus(write_corpus(tmp_path, people=people))
    assert corpus.resolve("v. m. molotov") == "molotov"
    assert corpus.label("molotov", short=True) == "V. M. Molotov"
    assert corpus.label("molotov") == "Vyacheslav Molotov"
    assert corpus.label("mao", short=True) == "Mao Zedong"  # none given: the name stands


def test_all_problems_reported_together(tmp_path):
    messages = [dict(m) for m in MESSAGES]
    messages[0]["date"] = "soon"
    messages[3]["sender"] = "ghost"
    copies = [{"message_id": "b", "member": "stalin", "copies": "0"}]
    error = error_for(write_corpus(tmp_path, messages=messages, copies=copies))
    located = {(p.file.rsplit("/", 1)[-1], p.row, p.column) for p in error.problems}
    assert located == {
        ("messages.csv", 2, "date"),
        ("messages.csv", 5, "sender"),
        ("copies.csv", 2, "copies"),
    }
    assert "3 problems" in str(error)


def test_malformed_csv(tmp_path):
    write_corpus(tmp_path)
    (tmp_path / "copies.csv").write_text('message_id,member,copies\n"b,stalin,2\n', "utf-8")
    problem = only_problem(error_for(tmp_path))
    assert problem.file.endswith("copies.csv")


def test_missing_folder(tmp_path):
    problem = only_problem(error_for(tmp_path / "nowhere"))
    assert "not found" in problem.message


def test_not_utf8(tmp_path):
    write_corpus(tmp_path)
    (tmp_path / "people.csv").write_bytes("person_id,name\nx,Fran\xe7ois\n".encode("latin-1"))
    problem = only_problem(error_for(tmp_path))
    assert problem.file.endswith("people.csv") and "UTF-8" in problem.message


# --- filtering -----------------------------------------------------------------------------


def test_filter_dates_inclusive(corpus):
    part = corpus.filter(start="1949-01-10", end="1949-01-28")
    assert list(part.messages["message_id"]) == ["a", "b", "c"]
    assert part is not corpus and len(corpus.messages) == 4  # the original is untouched


def test_filter_people_includes_relays(corpus):
    assert list(corpus.filter(people=["terebin"]).messages["message_id"]) == ["c"]
    assert len(corpus.filter(people=["mao"]).messages) == 4


def test_filter_kinds(corpus):
    assert list(corpus.filter(kinds=["cable"]).messages["message_id"]) == ["d"]


def test_filter_carries_copies_and_events(corpus):
    part = corpus.filter(start="1949-01-20", end="1949-02-01")
    assert part.copies.empty  # the only copied message, b, is outside
    assert list(part.events["event_id"]) == ["e2"]  # the span overlaps; the 1 Jan offer does not
    assert len(part.people) == len(corpus.people)


def test_filter_to_nothing(corpus):
    part = corpus.filter(start="1949-04-01", end="1949-04-30")
    assert part.messages.empty and part.daily_counts()["messages"].sum() == 0


# --- aggregation and lookups -----------------------------------------------------------------


def test_pair_counts(corpus):
    counts = corpus.pair_counts().set_index(["sender", "recipient"])["messages"].to_dict()
    assert counts == {("mao", "stalin"): 2, ("stalin", "mao"): 2}


def test_daily_counts_cover_every_day(corpus):
    daily = corpus.daily_counts()
    assert len(daily) == 31 + 28 + 31
    assert daily["date"].iloc[0] == pd.Timestamp("1949-01-01")
    by_day = daily.set_index("date")["messages"]
    assert by_day[pd.Timestamp("1949-01-12")] == 1 and by_day.sum() == 4


def test_copy_counts(corpus):
    table = corpus.copy_counts()
    assert list(table["member"]) == ["molotov", "stalin", "vyshinskiy"]
    assert set(table["sender"]) == {"mao"}
    assert corpus.copies_per_member().iloc[0].to_dict() == {"member": "stalin", "copies": 2}


@pytest.mark.parametrize(
    ("text", "person"),
    [
        ("Filippov", "stalin"),
        ("filippov", "stalin"),
        ("INSTANTSIYA", "stalin"),
        ("Mao Tse-tung", "mao"),
        ("mao", "mao"),
        ("Vyshinskiy", "vyshinskiy"),
        ("Beria", None),
    ],
)
def test_resolve_alias(corpus, text, person):
    assert corpus.resolve(text) == person


def test_labels_by_name_or_codename(corpus):
    assert corpus.label("stalin") == "Iosif Stalin"
    assert corpus.label("stalin", codenames=True) == "Filippov"
    assert corpus.label("mao", codenames=True) == "Mao Zedong"  # no codename: keep the name


def test_blank_lines_keep_row_numbers_true(tmp_path):
    write_corpus(tmp_path)
    text = (tmp_path / "copies.csv").read_text("utf-8").splitlines()
    text.insert(2, "")  # a blank line after the first record
    text[-1] = text[-1].replace(",1", ",zero")
    (tmp_path / "copies.csv").write_text("\n".join(text) + "\n", "utf-8")
    problem = only_problem(error_for(tmp_path))
    assert (problem.row, problem.column) == (5, "copies")  # the fifth line of the file


def test_byte_order_mark_is_accepted(tmp_path):
    write_corpus(tmp_path)
    path = tmp_path / "people.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert load_corpus(tmp_path).resolve("Filippov") == "stalin"


def test_column_given_twice(tmp_path):
    write_corpus(tmp_path)
    (tmp_path / "copies.csv").write_text(
        "message_id,member,copies, copies\nb,stalin,2,3\n", "utf-8"
    )
    problem = only_problem(error_for(tmp_path))
    assert (problem.row, problem.column) == (1, "copies") and "twice" in problem.message


def test_misspelt_column_is_named(tmp_path):
    bad = [{**m, "vai": ""} for m in MESSAGES]
    problem = only_problem(error_for(write_corpus(tmp_path, messages=bad)))
    assert (problem.row, problem.column) == (1, "vai") and "unknown column" in problem.message


@pytest.mark.parametrize("count", ["inf", "1e3", "2.5", "99999999999999999999"])
def test_odd_copy_counts_are_problems_not_crashes(tmp_path, count):
    bad = [dict(c) for c in COPIES]
    bad[0]["copies"] = count
    problem = only_problem(error_for(write_corpus(tmp_path, copies=bad)))
    assert (problem.row, problem.column) == (2, "copies")


def test_implausible_copy_count(tmp_path):
    bad = [dict(c) for c in COPIES]
    bad[0]["copies"] = "5000"
    problem = only_problem(error_for(write_corpus(tmp_path, copies=bad)))
    assert "more than 1000" in problem.message


def test_day_not_in_calendar_is_named_as_such(tmp_path):
    bad = [dict(m) for m in MESSAGES]
    bad[0]["date"] = "1949-02-30"
    problem = only_problem(error_for(write_corpus(tmp_path, messages=bad)))
    assert "not a day in the calendar" in problem.message


def test_problems_of_every_kind_come_in_one_error(tmp_path):
    messages = [{k: v for k, v in m.items() if k != "recipient"} for m in MESSAGES]
    messages[1]["date"] = "someday"
    people = [dict(p) for p in PEOPLE]
    people[1]["aliases"] = "Filippov"
    write_corpus(tmp_path, people=people)
    write_csv(tmp_path / "messages.csv", messages, ["message_id", "date", "sender", "title"])
    located = {(p.file.rsplit("/", 1)[-1], p.row, p.column) for p in error_for(tmp_path).problems}
    assert located == {
        ("messages.csv", 1, "recipient"),
        ("messages.csv", 3, "date"),
        ("people.csv", 3, "aliases"),
    }


def test_row_indexes_do_not_pile_up(corpus):
    from dashboard import model

    for day in pd.date_range("1949-01-01", "1949-03-31"):  # more filters than the cache holds
        corpus.filter(end=day).copy_counts()
    assert len(model._RECORDS_CACHE) <= model._RECORDS_CACHE_SIZE
    assert corpus.messages_by_id["a"]["title"] == "First"


# --- read strictly: every row whole, every byte UTF-8, and a bounded report -------------------


def test_a_row_cut_short_outside_quotes_is_named(tmp_path):
    write_corpus(tmp_path)
    path = tmp_path / "messages.csv"
    lines = path.read_text("utf-8").splitlines()
    header = lines[0].split(",")
    # The last record loses its last two fields, as a file cut short in the middle would.
    lines[-1] = ",".join(lines[-1].split(",")[:-2])
    path.write_text("\n".join(lines), "utf-8")
    problem = only_problem(error_for(tmp_path))
    assert problem.file.endswith("messages.csv") and problem.row == len(lines)
    assert f"{len(header) - 2} fields and the header {len(header)}" in problem.message


def test_a_row_with_a_field_too_many_is_named(tmp_path):
    write_corpus(tmp_path)
    (tmp_path / "copies.csv").write_text(
        "message_id,member,copies\nb,stalin,2\nb,molotov,1,extra\nb,vyshinskiy,1\n", "utf-8"
    )
    problem = only_problem(error_for(tmp_path))
    assert problem.row == 3 and "4 fields and the header 3" in problem.message


def test_a_quoted_comma_is_one_field_and_blank_lines_are_no_rows(tmp_path):
    write_corpus(tmp_path)
    (tmp_path / "copies.csv").write_text(
        'message_id,member,copies\n"b",stalin,2\n\n   \n"b","molotov","1"\n', "utf-8"
    )
    people = tmp_path / "people.csv"
    people.write_text(people.read_text("utf-8").replace("Terebin", '"Terebin, Pyotr"'), "utf-8")
    corpus = load_corpus(tmp_path)
    assert len(corpus.copies) == 2 and corpus.label("terebin") == "Terebin, Pyotr"


def test_text_that_is_not_utf8_names_its_row_and_column(tmp_path):
    write_corpus(tmp_path)
    (tmp_path / "people.csv").write_bytes(
        "person_id,name\nstalin,Stalin\nx,Fran\xe7ois\ny,Y\nz,Jos\xe9\n".encode("latin-1")
    )
    error = error_for(tmp_path)
    located = [(p.file.rsplit("/", 1)[-1], p.row, p.column) for p in error.problems]
    assert located == [("people.csv", 3, "name"), ("people.csv", 5, "name")]
    assert all("UTF-8" in p.message for p in error.problems)


def test_a_quote_left_open_names_the_row_it_opens(tmp_path):
    write_corpus(tmp_path)
    (tmp_path / "copies.csv").write_text(
        'message_id,member,copies\nb,stalin,2\nb,"molotov,1\nb,vyshinskiy,1\n', "utf-8"
    )
    problem = only_problem(error_for(tmp_path))
    assert problem.row == 3 and "not a readable CSV row" in problem.message


def test_an_empty_file_has_no_header(tmp_path):
    write_corpus(tmp_path)
    (tmp_path / "copies.csv").write_text("", "utf-8")
    assert "no header" in only_problem(error_for(tmp_path)).message


def test_the_problem_list_is_capped_with_a_count(tmp_path):
    write_corpus(tmp_path)
    rows = "".join(f"b,stalin,{n},x\n" for n in range(250))
    (tmp_path / "copies.csv").write_text("message_id,member,copies\n" + rows, "utf-8")
    error = error_for(tmp_path)
    assert error.count == 250 and len(error.problems) == MAX_PROBLEMS
    lines = str(error).splitlines()
    assert lines[0] == "250 problems in the corpus:"
    assert len(lines) == 1 + MAX_PROBLEMS + 1 and lines[-1] == "  and 50 more"
    assert error.problems[-1].row == MAX_PROBLEMS + 1


# --- the filter's indexes against a plain scan --------------------------------------------


def scanned(corpus, start=None, end=None, people=(), kinds=()) -> list[str]:
    """What a filter keeps, by the definition: every letter checked one by one."""
    messages = corpus.messages
    keep = pd.Series(True, index=messages.index)
    if start is not None:
        keep &= messages["date_to"] >= pd.Timestamp(start)
    if end is not None:
        keep &= messages["date_from"] <= pd.Timestamp(end)
    if people:
        touched = corpus.parties["message_id"][corpus.parties["person_id"].isin(people)]
        keep &= messages["message_id"].isin(touched)
    if kinds:
        keep &= messages["kind"].isin(kinds)
    return list(messages["message_id"][keep])


@pytest.fixture(scope="module")
def made_up():
    from benchmarks.bench_import import letters

    from dashboard.build import corpus_from_letters
    from dashboard.letters import Metadata

    return corpus_from_letters(list(letters(800, seed=7)), Metadata(title="Made up"))


@pytest.mark.parametrize(
    "start, end",
    [
        ("1750-01-01", "1760-12-31"),
        ("1800-03-01", "1800-03-10"),  # ten days: spans that began before still meet them
        ("1949-01-01", "1949-12-31"),  # after every letter
        (None, "1800-01-01"),
        ("1900-01-01", None),
    ],
)
def test_indexed_filter_keeps_what_a_scan_keeps(made_up, start, end):
    part = made_up.filter(start=start, end=end)
    assert list(part.messages["message_id"]) == scanned(made_up, start, end)
    # Parties follow their letters, every one of them and no other.
    kept = set(part.messages["message_id"])
    assert set(part.parties["message_id"]) == kept
    assert len(part.parties) == made_up.parties["message_id"].isin(kept).sum()


def test_indexed_filter_of_people_and_dates(made_up):
    busiest = made_up.parties["person_id"].value_counts().index[:2].tolist()
    part = made_up.filter(start="1760-01-01", end="1850-12-31", people=busiest)
    assert list(part.messages["message_id"]) == scanned(
        made_up, "1760-01-01", "1850-12-31", busiest
    )
    assert 0 < len(part.messages) < len(made_up.messages)
    assert made_up.filter(people=["no one"]).messages.empty


def test_playback_by_sorted_search_matches_the_dates(made_up):
    part = made_up.filter(start="1760-01-01", end="1790-12-31")
    day = part.messages["date"].dropna().iloc[len(part.messages) // 2]
    until = part.until(day)
    dates = part.messages["date"]
    assert list(until.messages["message_id"]) == list(part.messages["message_id"][dates <= day])
    assert part.sent_on(day) == set(part.messages["message_id"][dates == day])
    # The same filter again is the same corpus: a tick does not filter twice.
    assert made_up.filter(start="1760-01-01", end="1790-12-31") is part

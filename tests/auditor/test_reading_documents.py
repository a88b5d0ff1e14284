"""Reading single case logs (YAML, JSON): the spec examples, and every rule of "Reading a log safely"."""

from __future__ import annotations

import json
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from auditor.case import Case
from auditor.errors import InputError, InputErrors
from auditor.reading import iter_cases, read_case_text

DATA = Path(__file__).parent / "data"
EXAMPLES = DATA / "spec-examples"
BAD = DATA / "bad"

HEAD = """format: rtw-case-log/1
case: C-T
parties:
  W: {role: worker, name: Secret Person}
  C: {role: coordinator}
  S: {role: supervisor}
  MD: {role: physician}
events:
"""


def read(text: str, fmt: str = "yaml") -> Case:
    return read_case_text(text, f"t.{fmt}", fmt)


def errors_of(text: str | bytes, fmt: str = "yaml") -> list[InputError]:
    with pytest.raises(InputErrors) as info:
        read_case_text(text, f"t.{fmt}", fmt)
    return info.value.errors


# --- the spec's examples -----------------------------------------------------------------------------


def test_compliant_example_reads_whole():
    case = read_case_text((EXAMPLES / "compliant-full-process.yaml").read_bytes(), "ex1.yaml")
    assert case.case == "C-EX-001"
    assert case.parties == {
        "W": "worker", "C": "coordinator", "S": "supervisor", "U": "union_rep", "HR": "hr",
        "MD": "physician", "INS": "insurer", "COM": "committee",
    }
    assert list(case.parties) == ["W", "C", "S", "U", "HR", "MD", "INS", "COM"]  # declaration order
    assert case.context == {"union": True, "collective_agreement": True}
    assert case.as_of == date(2026, 6, 1)
    assert [e.id for e in case.events] == [f"e{i}" for i in range(1, 32)]
    assert [e.position for e in case.events] == list(range(1, 32))
    assert case.warnings == []
    e7 = case.events[6]
    assert e7.type == "contact" and e7.at == datetime(2026, 2, 13, 10, 0) and not e7.date_only
    assert e7.fields == {
        "with": ["W"], "channel": "phone", "purpose": "invitation",
        "topics": ["process_steps", "confidentiality", "voluntary_participation"],
    }
    assert "notes" not in e7.fields
    assert e7.line == 24
    e1 = case.events[0]
    assert e1.date_only and e1.at == datetime(2026, 2, 2) and e1.day == date(2026, 2, 2) and e1.by is None
    e22 = case.events[21]
    assert e22.fields["actions"][0] == {
        "concern": "workload", "action": "file quota lowered by a third for six weeks", "owner": "S", "due": date(2026, 5, 31),
    }
    assert e22.fields["pending_validation"] == ["relations with co-workers"]
    assert case.events[15].fields == {"date": date(2026, 4, 20)}
    assert case.events[7].fields == {"decision": "agreed", "follow_up_every_days": 14}
    assert case.events[18].fields["actions"] == []


def test_faulty_example_reads_whole():
    case = read_case_text((EXAMPLES / "pre-briefing-and-missed-follow-up.yaml").read_bytes(), "ex2.yaml")
    assert case.case == "C-EX-002"
    assert case.with_role("supervisor") == ["S"]
    assert case.context == {}
    assert case.as_of == date(2026, 7, 1)
    assert len(case.events) == 18
    assert case.events[11].fields["actions"] == ["reduce workload by half"]
    assert "due" not in case.events[14].fields["actions"][0]


def test_examples_through_iter_cases():
    cases = list(iter_cases([EXAMPLES]))
    assert [c.case for c in cases] == ["C-EX-001", "C-EX-002"]
    assert all(isinstance(c, Case) and c.source and c.source.endswith(".yaml") for c in cases)


# --- every rule of "Reading a log safely", with a bad file each ---------------------------------------

# file, line, words the message must hold
BAD_FILES = [
    ("not-utf8.yaml", 9, "not UTF-8"),
    ("tag.yaml", 9, "tags"),
    ("anchor.yaml", 8, "anchors"),
    ("billion-laughs.yaml", 3, "anchors"),
    ("duplicate-key.yaml", 14, "'by' appears twice"),
    ("duplicate-key.json", 6, "'type' appears twice"),
    ("deep-nesting.yaml", 5, "nested more than 64"),
    ("deep-nesting.json", 1, "nested more than 64"),
    ("two-documents.yaml", 9, "more than one YAML document"),
    ("boolean-yes.yaml", 9, "`coordinator_informed` must be true or false, not 'yes'"),
    ("no-such-date.yaml", 9, "not a real date"),
    ("as-of-too-early.yaml", 10, "after the log's `as_of`"),
    ("mixed-offsets.yaml", 10, "offset"),
    ("unknown-field.yaml", 9, "did you mean 'coordinator_informed'?"),
    ("unknown-field.json", 7, "unknown field 'chanel'"),
    ("unknown-party.yaml", 9, "'SS', who is not a declared party"),
    ("unknown-type.yaml", 9, "did you mean 'file_forwarded'?"),
    ("notes-not-text.yaml", 9, "`notes` must be text"),
    ("name-not-text.yaml", 6, "`parties.S.name` must be text"),
    ("two-workers.yaml", 3, "exactly one party with role `worker`"),
    ("wrong-format.yaml", 1, "`format` must be `rtw-case-log/1`"),
    ("at-not-iso.yaml", 8, "ISO date"),
    ("not-a-number.yaml", 8, "whole number"),
    ("syntax-error.json", 4, "not valid JSON"),
    ("nan.json", 1, "NaN"),
    ("unknown-column.csv", 1, "did you mean 'channel'?"),
    ("rows.jsonl", 4, "`coordinator_informed` must be true or false, not 'yes'"),
    ("rows.jsonl", 5, "'id' appears twice"),
    ("rows.jsonl", 6, "not valid JSON"),
    ("rows.csv", 5, "not 'maybe'"),
    ("rows.csv", 6, "not a real date"),
]


@pytest.mark.parametrize("name,line,words", BAD_FILES, ids=[f"{b[0]}:{b[1]}" for b in BAD_FILES])
def test_bad_file_is_reported_with_file_and_line(name, line, words):
    path = BAD / name
    items = list(iter_cases([path]))
    assert items and all(isinstance(i, InputErrors) for i in items), items
    errors = [e for i in items if isinstance(i, InputErrors) for e in i.errors]
    matching = [e for e in errors if words in e.message]
    assert matching, "\n".join(map(str, errors))
    e = matching[0]
    assert e.file == str(path)
    assert e.line == line, str(e)
    assert str(e).startswith(f"{path}:{line}")


def test_bad_files_never_echo_notes_or_names():
    for path in sorted(BAD.iterdir()):
        for item in iter_cases([path]):
            text = str(item)
            assert "Secret" not in text and "secret" not in text, text


def test_bom_is_allowed():
    case = read_case_text((BAD / "bom.yaml").read_bytes(), "bom.yaml")
    assert case.case == "C-BAD"


def test_billion_laughs_and_deep_bombs_are_refused_quickly(tmp_path):
    bombs = {
        "laughs.yaml": (BAD / "billion-laughs.yaml").read_bytes(),
        "deep.yaml": b"a: " + b"[" * 1_000_000,
        "deep2.yaml": b"a:\n" + b"".join(b" " * i + b"- \n" for i in range(2000)),
        "deep.json": b'{"a": ' + b"[" * 1_000_000 + b"]" * 1_000_000 + b"}",
        "deep.jsonl": b'{"case": "A", "x-a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}\n",
        "deep.csv": b"case,type,with\nA,contact," + b"[" * 100_000 + b"\n",
    }
    for name, data in bombs.items():
        path = tmp_path / name
        path.write_bytes(data)
        start = time.perf_counter()
        items = list(iter_cases([path]))
        assert time.perf_counter() - start < 5, name
        assert items and all(isinstance(i, InputErrors) for i in items), (name, items)


# --- values: ids, booleans, numbers, dates ---------------------------------------------------------------


def test_ids_and_case_names_are_strings_whatever_they_look_like():
    case = read(
        HEAD.replace("case: C-T", "case: NO")
        + "  - {id: 007, at: 2026-02-02, type: absence_started}\n"
        + "  - {id: true, at: 2026-02-03, type: file_opened, by: C}\n"
        + "  - {id: 1.50, at: 2026-02-04, type: file_forwarded, by: C, to: C}\n"
    )
    assert case.case == "NO"
    assert [e.id for e in case.events] == ["007", "true", "1.50"]


def test_json_number_ids_become_strings():
    log = {
        "format": "rtw-case-log/1", "case": 12,
        "parties": {"W": {"role": "worker"}, "C": {"role": "coordinator"}, "S": {"role": "supervisor"}},
        "events": [{"id": 7, "at": "2026-02-02", "type": "absence_started"}],
    }
    case = read(json.dumps(log), "json")
    assert case.case == "12" and case.events[0].id == "7"


@pytest.mark.parametrize("word", ["yes", "no", "on", "off", "maybe", "Yes", "1", "0", '"true"'])
def test_only_true_and_false_are_booleans(word):
    errors = errors_of(HEAD + f"  - {{at: 2026-02-03, type: insurer_terms_checked, by: C, conflict: {word}}}\n")
    assert len(errors) == 1 and "`conflict` must be true or false" in errors[0].message and errors[0].line == 9


@pytest.mark.parametrize("word", ["true", "True", "TRUE", "false", "False", "FALSE"])
def test_yaml_core_booleans(word):
    case = read(HEAD + f"  - {{at: 2026-02-03, type: insurer_terms_checked, by: C, conflict: {word}}}\n")
    assert case.events[0].fields["conflict"] is (word.lower() == "true")


@pytest.mark.parametrize("value,ok", [("14", True), ("0", False), ("1_4", False), ("14.0", False), ("true", False), ("-3", False)])
def test_day_counts_are_whole_numbers(value, ok):
    text = HEAD + f"  - {{at: 2026-02-03, type: participation, by: W, decision: agreed, follow_up_every_days: {value}}}\n"
    if ok:
        assert read(text).events[0].fields["follow_up_every_days"] == 14
    else:
        assert "follow_up_every_days" in errors_of(text)[0].message


@pytest.mark.parametrize("at", ["2026-02-29", "2026-13-01", "2026-04-31", "2026-02-03T24:00", "2026-02-03T10:61"])
def test_dates_must_exist(at):
    errors = errors_of(HEAD + f"  - {{at: {at}, type: absence_started}}\n")
    assert "not a real date" in errors[0].message and errors[0].line == 9


@pytest.mark.parametrize("field", ["next_contact"])
def test_other_dates_must_exist(field):
    errors = errors_of(HEAD + f"  - {{at: 2026-02-03, type: participation, by: W, decision: not_ready, {field}: 2026-02-30}}\n")
    assert f"`{field}` is not a real date" in errors[0].message


@pytest.mark.parametrize("at", ["2026-03-04T10:30", "2026-03-04T10:30:15", "2026-03-04T10:30:15.250", "2026-03-04"])
def test_at_spellings_accepted(at):
    e = read(HEAD + f"  - {{at: {at}, type: absence_started}}\n").events[0]
    assert e.day == date(2026, 3, 4) and e.date_only == (len(at) == 10)


@pytest.mark.parametrize("at", ["2026-3-4", "20260304", "2026-03-04 10:30", "2026-W10-3", "2026-03-04T10", "tomorrow"])
def test_at_spellings_refused(at):
    assert "ISO date" in errors_of(HEAD + f"  - {{at: '{at}', type: absence_started}}\n")[0].message


def test_offsets_everywhere_compare_as_instants_and_dates_sort_before_every_time_that_day():
    case = read(
        HEAD
        + "  - {id: a, at: 2026-03-04T01:00+02:00, type: file_opened, by: C}\n"  # 03-03T23:00Z
        + "  - {id: b, at: 2026-03-03T23:30Z, type: file_secured, by: C}\n"
        + "  - {id: c, at: 2026-03-03, type: absence_started}\n"
    )
    assert [e.id for e in case.events] == ["c", "a", "b"]
    c = case.events[0]
    assert c.at == datetime(2026, 3, 3, tzinfo=timezone(timedelta(hours=14))) and c.date_only
    assert case.events[1].day == date(2026, 3, 4)  # the date as written, not the UTC date
    assert case.as_of == date(2026, 3, 4)
    # A date-only event sorts before every time written on its day, whatever that time's offset.
    late = read(
        HEAD
        + "  - {id: t, at: 2026-03-05T01:00+02:00, type: file_opened, by: C}\n"  # 03-04T23:00Z
        + "  - {id: d, at: 2026-03-05, type: file_secured, by: C}\n"
    )
    assert [e.id for e in late.events] == ["d", "t"]


def test_out_of_order_events_are_sorted_with_a_warning():
    case = read(
        HEAD
        + "  - {id: e1, at: 2026-02-05, type: file_opened, by: C}\n"
        + "  - {id: e2, at: 2026-02-05T09:00, type: file_secured, by: C}\n"
        + "  - {id: e3, at: 2026-02-02, type: absence_started}\n"
        + "  - {at: 2026-02-05, type: file_forwarded, by: C, to: C}\n"
    )
    assert [e.label for e in case.events] == ["e3", "e1", "#4", "e2"]
    assert [e.position for e in case.events] == [3, 1, 4, 2]
    assert len(case.warnings) == 1 and "e3" in case.warnings[0] and "line 11" in case.warnings[0]
    assert [e.sort_key() for e in case.events] == sorted(e.sort_key() for e in case.events)


def test_as_of_defaults_to_last_event_date_and_may_equal_it():
    case = read(HEAD + "  - {at: 2026-02-05T23:00, type: absence_started}\n  - {at: 2026-02-01, type: file_opened}\n")
    assert case.as_of == date(2026, 2, 5)
    case = read(HEAD.replace("events:", "as_of: 2026-02-05\nevents:") + "  - {at: 2026-02-05T23:00, type: absence_started}\n")
    assert case.as_of == date(2026, 2, 5)


def test_x_fields_notes_and_nulls_are_dropped():
    case = read(
        HEAD.replace("events:", "x-exported: {by: tool}\ncontext: {union: true, x-note: 1}\nevents:")
        + "  - {at: 2026-02-05, type: contact, by: C, with: [W], x-source: crm, notes: hi, channel: ~, topics: null}\n"
    )
    assert case.events[0].fields == {"with": ["W"]}
    assert case.context == {"union": True}


def test_free_labels_and_typo_warning():
    case = read(
        HEAD
        + "  - {at: 2026-02-05, type: referral, by: C, to: md}\n"
        + "  - {at: 2026-02-06, type: referral, by: C, to: Psychologist clinic}\n"
        + "  - {at: 2026-02-07, type: mediation_started, by: C, mediator: MD, with: [W, S]}\n"
    )
    assert case.events[1].fields["to"] == "Psychologist clinic"
    assert len(case.warnings) == 1 and "'md'" in case.warnings[0] and "'MD'" in case.warnings[0]


@pytest.mark.parametrize(
    "event,field",
    [
        ("{at: 2026-02-05, type: file_forwarded, by: HR, to: C}", "by"),
        ("{at: 2026-02-05, type: file_forwarded, by: C, to: X}", "to"),
        ("{at: 2026-02-05, type: contact, by: C, with: [W], first_speaker: Z}", "first_speaker"),
        ("{at: 2026-02-05, type: conflict_identified, between: [W, Q]}", "between"),
        ("{at: 2026-02-05, type: reassigned, new_supervisor: S2}", "new_supervisor"),
        ("{at: 2026-02-05, type: referral, to: MD, requested_by: Q}", "requested_by"),
        ("{at: 2026-02-05, type: consent, by: W, scope: disclosure, to: [Q]}", "to"),
        ("{at: 2026-02-05, type: consent_withdrawn, by: W, scope: disclosure, to: [Q]}", "to"),
        ("{at: 2026-02-05, type: disclosure, to: [S, Q]}", "to"),
        ("{at: 2026-02-05, type: letter_sent, to: Q}", "to"),
        ("{at: 2026-02-05, type: oap_submission, to: Q}", "to"),
        ("{at: 2026-02-05, type: oap_submission, subjects: [Q]}", "subjects"),
        ("{at: 2026-02-05, type: medicolegal_evaluation, requested_by: Q}", "requested_by"),
        ("{at: 2026-02-05, type: administrative_action, kind: sanction, requested_by: Q}", "requested_by"),
        ("{at: 2026-02-05, type: plan_adopted, with: [Q]}", "with"),
        ("{at: 2026-02-05, type: plan_adjusted, with: [Q]}", "with"),
        ("{at: 2026-02-05, type: mediation_started, with: [Q]}", "with"),
    ],
)
def test_every_party_field_must_name_a_party(event, field):
    errors = errors_of(HEAD + f"  - {event}\n")
    assert len(errors) == 1 and f"`{field}` names" in errors[0].message and errors[0].line == 9


@pytest.mark.parametrize(
    "event,field",
    [
        ("{at: 2026-02-05, type: file_forwarded, by: C}", "to"),
        ("{at: 2026-02-05, type: contact, by: C}", "with"),
        ("{at: 2026-02-05, type: consent, by: W}", "scope"),
        ("{at: 2026-02-05, type: participation, by: W}", "decision"),
        ("{at: 2026-02-05, type: return_date_set, by: MD}", "date"),
        ("{at: 2026-02-05, type: case_closed, by: C}", "reason"),
        ("{at: 2026-02-05, type: conflict_identified}", "between"),
        ("{at: 2026-02-05, type: reassigned}", "new_supervisor"),
        ("{at: 2026-02-05, type: assessment}", "kind"),
        ("{at: 2026-02-05, type: referral}", "to"),
        ("{type: absence_started}", "at"),
    ],
)
def test_required_fields(event, field):
    errors = errors_of(HEAD + f"  - {event}\n")
    assert any(f"needs `{field}`" in e.message for e in errors), errors


@pytest.mark.parametrize(
    "event,words",
    [
        ("{at: 2026-02-05, type: contact, by: C, with: [W], channel: phnoe}", "did you mean 'phone'?"),
        ("{at: 2026-02-05, type: contact, by: C, with: [W], purpose: planing}", "did you mean 'planning'?"),
        ("{at: 2026-02-05, type: contact, by: C, with: [W], location: home}", "`location`"),
        ("{at: 2026-02-05, type: contact, by: C, with: [W], topics: [helth]}", "did you mean 'health'?"),
        ("{at: 2026-02-05, type: participation, by: W, decision: yes}", "`decision`"),
        ("{at: 2026-02-05, type: consent, by: W, scope: everything}", "`scope`"),
        ("{at: 2026-02-05, type: consent, by: W, scope: disclosure, about: [secrets]}", "`about[1]`"),
        ("{at: 2026-02-05, type: administrative_action, kind: firing}", "`kind`"),
        ("{at: 2026-02-05, type: assessment, kind: middle}", "`kind`"),
        ("{at: 2026-02-05, type: return_to_work, measures_in_place: some}", "`measures_in_place`"),
        ("{at: 2026-02-05, type: oap_submission, source: hr}", "`source`"),
        ("{at: 2026-02-05, type: case_closed, reason: done}", "`reason`"),
        ("{at: 2026-02-05, type: contact, by: C, with: W}", "must be a list"),
        ("{at: 2026-02-05, type: plan_adopted, actions: [{concern: a}]}", "`actions[1].action` is required"),
        ("{at: 2026-02-05, type: plan_adopted, actions: [{action: a, due: 2026-02-31}]}", "`actions[1].due` is not a real date"),
        ("{at: 2026-02-05, type: plan_adopted, actions: [{action: a, when: soon}]}", "unknown field a 4-character text in a plan action"),
        ("{at: 2026-02-05, type: plan_adopted, actions: [just text]}", "`actions[1]` must be a mapping"),
        ("{at: 2026-02-05, type: tentative_plan, actions: [text, {action: a, x: 1}]}", "unknown field a 1-character text"),
        ("{at: 2026-02-05, type: letter_sent, to: W, coordinator_informed: true}", "belongs to other event types"),
        ("{at: 2026-02-05, type: absence_started, id: ''}", "`id` must not be empty"),
        ("[not, a, mapping]", "an event must be a mapping"),
    ],
)
def test_enumerations_and_shapes(event, words):
    errors = errors_of(HEAD + f"  - {event}\n")
    assert any(words in e.message for e in errors), errors
    assert all(e.line == 9 for e in errors)


def test_tentative_plan_topics_and_plan_concerns_are_free_text():
    case = read(
        HEAD
        + "  - {at: 2026-02-05, type: tentative_plan, topics: [workload, 'yes'], actions: [a, {action: b, owner: team lead}]}\n"
        + "  - {at: 2026-02-06, type: plan_adopted, concerns: [workload, true], pending_validation: [x]}\n"
    )
    assert case.events[0].fields["topics"] == ["workload", "yes"]
    assert case.events[0].fields["actions"] == ["a", {"action": "b", "owner": "team lead"}]
    assert case.events[1].fields["concerns"] == ["workload", "true"]


def test_all_problems_of_a_file_are_reported_in_line_order():
    errors = errors_of(
        HEAD
        + "  - {at: 2026-02-05, type: contact, by: C, with: [W], channel: phnoe}\n"
        + "  - {at: 2026-02-31, type: absence_started}\n"
        + "  - {at: 2026-02-06, type: nope}\n"
        + "  - {at: 2026-02-07, type: file_opened, by: ZZ}\n"
    )
    assert [e.line for e in errors] == [9, 10, 11, 12]
    assert [e.event for e in errors] == ["#1", "#2", "#3", "#4"]
    assert all(e.case == "C-T" for e in errors)


def test_error_cap():
    errors = errors_of(HEAD + "".join(f"  - {{at: 2026-02-05, type: nope{i}}}\n" for i in range(80)))
    assert len(errors) == 51 and "more than 50 problems" in errors[-1].message


def test_top_level_problems():
    errors = errors_of("format: rtw-case-log/1\ncase: C\nparties: {W: {role: worker}}\nevnts: []\n")
    messages = " | ".join(e.message for e in errors)
    assert "did you mean 'events'?" in messages and "`events` is required" in messages
    assert errors_of("- a\n- b\n")[0].message.startswith("a case log must be a mapping")
    assert errors_of("")[0].message == "the file is empty"
    errors = errors_of(HEAD.replace("role: coordinator", "role: coordinater") + "  - {at: 2026-02-05, type: absence_started}\n")
    assert errors[0].line == 5 and "did you mean 'coordinator'?" in errors[0].message


def test_error_str_format():
    e = InputError("`x` is wrong", file="logs/c1.yaml", line=14, column=5, case="C-1", event="e9")
    assert str(e) == "logs/c1.yaml:14:5: case C-1, event e9: `x` is wrong"
    assert str(InputError("no such file or folder", file="a.yaml")) == "a.yaml: no such file or folder"
    assert str(InputErrors([e, e])).count("\n") == 1


def test_missing_path_and_unknown_suffix_are_yielded(tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    items = list(iter_cases([tmp_path / "missing.yaml", tmp_path / "notes.txt", tmp_path]))
    assert all(isinstance(i, InputErrors) for i in items) and len(items) == 3
    assert "no such file" in str(items[0])


def test_directory_is_read_recursively_and_sorted(tmp_path):
    text = (EXAMPLES / "compliant-full-process.yaml").read_text()
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "one.yml").write_text(text)
    (tmp_path / "a.json").write_text(json.dumps({"format": "rtw-case-log/1"}))
    items = list(iter_cases([tmp_path]))
    assert isinstance(items[0], InputErrors) and str(items[0].file).endswith("a.json")
    assert isinstance(items[1], Case)


def test_reading_never_modifies_the_input(tmp_path):
    import shutil

    for src in sorted(BAD.iterdir()) + sorted(EXAMPLES.iterdir()):
        copy = tmp_path / src.name
        shutil.copyfile(src, copy)
        before = (copy.read_bytes(), copy.stat().st_mtime_ns)
        list(iter_cases([copy]))
        assert (copy.read_bytes(), copy.stat().st_mtime_ns) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in [*BAD.iterdir(), *EXAMPLES.iterdir()])


def test_errors_pickle_with_their_places():
    import pickle

    e = InputError("`x` is wrong", file="a.yaml", line=3, column=2, case="C", event="e1")
    errors = pickle.loads(pickle.dumps(InputErrors([e], file="a.yaml")))
    assert errors.errors == [e] and str(errors.errors[0]) == str(e) and errors.file == "a.yaml"

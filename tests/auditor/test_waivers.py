"""``rtw-audit check --waivers FILE``: justified exceptions, in every output format.

A valid waiver shows its finding as waived (outcome kept, justification shown) and takes it out of
``--fail-on`` and fidelity; an expired one no longer applies and is reported; an unused one is
reported; a malformed file exits 2 naming the file and the line; an empty file changes nothing.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.cli import main
from auditor.engine import audit_case
from auditor.outcomes import PENDING, VIOLATED, fidelity
from auditor.reading import read_case_text
from auditor.rubric import load_rubric
from auditor.safe_text import markdown_cell
from auditor.waivers import Waiver, Waivers
from tests.auditor.rule_case_files import build_log, load_cases

HERE = Path(__file__).parent
DATA = HERE / "data" / "waivers"
FAULTY = HERE / "data" / "spec-examples" / "pre-briefing-and-missed-follow-up.yaml"
EXAMPLES = HERE / "data" / "spec-examples"
AS_OF = ("--as-of", "2026-07-01")
FORMATS = ("text", "markdown", "json")
JUSTIFICATION = "The worker asked in writing that the supervisor be told of the accommodations before the meeting."
RUBRIC = load_rubric()


def check(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(["check", *argv])
    out, err = capsys.readouterr()
    return status, out, err


# ------------------------------------------------------------------ a valid waiver


def test_valid_waiver_in_json_keeps_the_outcome_and_adds_the_waiver(capsys):
    _, before, _ = check(capsys, str(FAULTY), "--format", "json", *AS_OF)
    status, out, _ = check(capsys, str(FAULTY), "--format", "json", *AS_OF, "--waivers", str(DATA / "valid.yaml"))
    plain, waived = json.loads(before), json.loads(out)
    result = next(r for r in waived["cases"][0]["results"] if r["rule"] == "RTW405")
    assert result["outcome"] == "violated" and result["events"] == ["e13"]
    assert result["waiver"] == {
        "justification": JUSTIFICATION, "approved_by": "Implementation committee chair", "expires": "2026-12-31",
    }
    others = [r for r in waived["cases"][0]["results"] if r["rule"] != "RTW405"]
    assert all("waiver" not in r for r in others)
    assert waived["summary"]["waived"] == 1
    assert waived["summary"]["violated_by_severity"]["error"] == plain["summary"]["violated_by_severity"]["error"] - 1
    assert waived["summary"]["outcomes"] == plain["summary"]["outcomes"], "outcomes stay as judged"
    assert waived["cases"][0]["fidelity"] > plain["cases"][0]["fidelity"]
    assert "waiver_warnings" not in waived
    assert status == 1  # other errors remain


def test_valid_waiver_in_text(capsys):
    _, out, _ = check(capsys, str(FAULTY), *AS_OF, "--waivers", str(DATA / "valid.yaml"))
    assert "○ waived   RTW405 no-pre-briefing: e13 (line 31)" in out
    assert f"waived (violated, error): {JUSTIFICATION}" in out
    assert "approved by Implementation committee chair, until 2026-12-31" in out
    assert "· 1 waived" in out and "; 1 waived;" in out
    assert "warning: waiver" not in out


def test_valid_waiver_in_markdown(capsys):
    _, out, _ = check(capsys, str(FAULTY), "--format", "markdown", *AS_OF, "--waivers", str(DATA / "valid.yaml"))
    assert f"| 4 | waived (violated) | error | RTW405 no-pre-briefing | e13 ({markdown_cell(str(FAULTY))}:31) |" in out
    assert f"- RTW405: {JUSTIFICATION} (approved by Implementation committee chair, until 2026-12-31)" in out
    assert "Waived findings (not counted above nor in fidelity): 1" in out
    assert "Waivers to review" not in out


def test_a_waiver_of_every_error_lets_the_run_pass(capsys, tmp_path):
    _, out, _ = check(capsys, str(FAULTY), "--format", "json", *AS_OF)
    results = json.loads(out)["cases"][0]["results"]
    errors = [r for r in results if r["outcome"] == VIOLATED and r["severity"] == "error"]
    entries = [
        {"case": "C-EX-002", "rule": r["rule"], "events": r["events"] or None, "justification": "Agreed exception.",
         "approved_by": "Coordinator lead"}
        for r in errors
    ]
    path = tmp_path / "all-errors.yaml"
    path.write_text(json.dumps({"format": "rtw-waivers/1", "waivers": entries}), encoding="utf-8")
    status, _, _ = check(capsys, str(FAULTY), *AS_OF, "--waivers", str(path))
    assert status == 0
    status, _, _ = check(capsys, str(FAULTY), *AS_OF, "--waivers", str(path), "--fail-on", "warning")
    assert status == 1, "the warnings are not waived"


# ------------------------------------------------------------------ expired and unused waivers


@pytest.mark.parametrize("fmt", FORMATS)
def test_expired_waiver_does_not_apply_and_is_reported(capsys, fmt):
    _, plain, _ = check(capsys, str(FAULTY), "--format", fmt, *AS_OF)
    status, out, _ = check(capsys, str(FAULTY), "--format", fmt, *AS_OF, "--waivers", str(DATA / "expired.yaml"))
    assert status == 1
    warning = "waiver 1, line 3 (case C-EX-002, rule RTW405) expired on 2026-06-30; it no longer applies"
    if fmt == "json":
        doc, before = json.loads(out), json.loads(plain)
        assert doc["waiver_warnings"] == {"expired": [warning], "unused": []}
        del doc["waiver_warnings"]
        assert doc == before, "the findings are judged as without the waiver"
    else:
        assert warning in out
        assert out.startswith(plain.rstrip("\n").rsplit("\n", 1)[0]), "the findings are judged as without the waiver"
    assert JUSTIFICATION not in out


@pytest.mark.parametrize("fmt", FORMATS)
def test_unused_waiver_is_reported_as_a_warning(capsys, fmt):
    status, out, _ = check(capsys, str(EXAMPLES), "--format", fmt, *AS_OF, "--waivers", str(DATA / "unused.yaml"))
    assert status == 1
    warning = "waiver 1, line 3 (case C-EX-001, rule RTW405) matched no finding; remove it or correct its case, rule or events"
    if fmt == "json":
        assert json.loads(out)["waiver_warnings"] == {"expired": [], "unused": [warning]}
    else:
        assert f"warning: {warning}" in out


def test_a_waiver_naming_events_covers_only_those_events(capsys, tmp_path):
    """RTW302 names e8 and e11: a waiver for e8 alone does not cover the finding (and goes unused)."""
    path = tmp_path / "w.yaml"
    path.write_text(
        "format: rtw-waivers/1\nwaivers:\n"
        "  - {case: C-EX-002, rule: RTW302, events: [e8], justification: Holidays., approved_by: Lead}\n"
        "  - {case: C-EX-002, rule: RTW302, events: [e8, e11, '#30'], justification: Worker's request., approved_by: Lead}\n",
        encoding="utf-8",
    )
    _, out, _ = check(capsys, str(FAULTY), "--format", "json", *AS_OF, "--waivers", str(path))
    doc = json.loads(out)
    result = next(r for r in doc["cases"][0]["results"] if r["rule"] == "RTW302")
    assert result["waiver"]["justification"] == "Worker's request."
    assert doc["waiver_warnings"]["unused"] == [
        "waiver 1, line 3 (case C-EX-002, rule RTW302) matched no finding; remove it or correct its case, rule or events"
    ]


# ------------------------------------------------------------------ malformed files


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("format: rtw-waivers/1\nwaivers:\n  - case: C-1\n    rule: RTW405\n    justfication: x\n    approved_by: L\n",
         [":5:5: unknown key `justfication`; did you mean `justification`?", "`waivers.0.justification` is required"]),
        ("format: rtw-waivers/1\nwaivers:\n  - {case: C-1, rule: RTW405, justification: '  ', approved_by: L}\n",
         [":3:", "`waivers.0.justification`: Value error, must not be empty"]),
        ("format: rtw-waivers/1\nwaivers:\n  - {case: C-1, rule: RTW4055, justification: x, approved_by: L}\n",
         [":3:", "no rule RTW4055 in the rubric; did you mean `RTW405`?"]),
        ("format: rtw-waivers/1\nwaivers:\n  - {case: C-1, rule: RTW405, justification: x, approved_by: L, expires: 2026-02-30}\n",
         [":3:", "`waivers.0.expires`"]),
        ("format: rtw-waivers/1\nwaivers:\n  - {case: C-1, rule: RTW405, justification: x}\n",
         [":3:", "`waivers.0.approved_by` is required"]),
        ("format: rtw-waiver/1\nwaivers: []\n", [":1:", "`format` must be `rtw-waivers/1`"]),
        ("- case: C-1\n", [":1", "a waiver file is a mapping"]),
        ("format: rtw-waivers/1\nwaivers:\n  - {case: C-1, rule: RTW405, events: [], justification: x, approved_by: L}\n",
         [":3:", "`waivers.0.events`"]),
        ("format: rtw-waivers/1\nformat: rtw-waivers/1\n", [":2:"]),
    ],
)
@pytest.mark.parametrize("fmt", FORMATS)
def test_malformed_waiver_file_exits_2_naming_file_and_line(capsys, tmp_path, text, expected, fmt):
    path = tmp_path / "waivers.yaml"
    path.write_text(text, encoding="utf-8")
    status, out, err = check(capsys, str(FAULTY), "--format", fmt, "--waivers", str(path))
    assert status == 2
    assert out == "", "nothing is judged with an unusable waiver file"
    assert "Traceback" not in err and str(path) in err
    for piece in expected:
        assert piece in err


def test_malformed_waiver_file_in_the_data_folder(capsys):
    status, out, err = check(capsys, str(FAULTY), "--waivers", str(DATA / "malformed.yaml"))
    assert status == 2 and out == ""
    assert "malformed.yaml:5:5: unknown key `justfication`; did you mean `justification`?" in err


def test_missing_waiver_file(capsys, tmp_path):
    status, _, err = check(capsys, str(FAULTY), "--waivers", str(tmp_path / "nope.yaml"))
    assert status == 2 and "nope.yaml" in err and "cannot read the waiver file" in err


# ------------------------------------------------------------------ properties


def _rule_case_logs(root: Path) -> Path:
    logs = root / "logs"
    logs.mkdir(exist_ok=True)
    for param in load_cases():
        rule, case = param.values
        if "params" in case:
            continue
        log = build_log(case)
        log["case"] = f"{rule}-{case['name']}"
        (logs / f"{log['case']}.json").write_text(json.dumps(log, default=lambda v: v.isoformat()), encoding="utf-8")
    return logs


EMPTY_FILES = ("", "# nothing waived yet\n", "format: rtw-waivers/1\n", "format: rtw-waivers/1\nwaivers: []\n")


@pytest.fixture(scope="module")
def rule_logs(tmp_path_factory) -> Path:
    return _rule_case_logs(tmp_path_factory.mktemp("rule-logs"))


@settings(max_examples=24, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(empty=st.sampled_from(EMPTY_FILES), fmt=st.sampled_from(FORMATS), inputs=st.sampled_from(["examples", "rules"]))
def test_an_empty_waiver_file_changes_no_byte(capsys, tmp_path, rule_logs, empty, fmt, inputs):
    path = tmp_path / "empty-waivers.yaml"
    path.write_text(empty, encoding="utf-8")
    target = str(EXAMPLES if inputs == "examples" else rule_logs)
    without = check(capsys, target, "--format", fmt, "--as-of", "2027-01-01")
    with_file = check(capsys, target, "--format", fmt, "--as-of", "2027-01-01", "--waivers", str(path))
    assert with_file == without


def _audits():
    out = []
    for param in load_cases():
        rule, case = param.values
        if "params" in case:
            continue
        log = build_log(case)
        text = json.dumps(log, default=lambda v: v.isoformat())
        out.append(read_case_text(text, f"{rule}.json", fmt="json"))
    return out


CASES = _audits()


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_waived_findings_are_exactly_those_covered_and_leave_fail_on_and_fidelity(data):
    """For any case and any set of waivers of its findings (some for its events, some expired):
    the outcomes stay as judged, exactly the covered findings are waived, and neither ``--fail-on``
    nor fidelity counts them."""
    case = data.draw(st.sampled_from(CASES))
    plain = audit_case(case, RUBRIC)
    findings = [r for r in plain.results if r.outcome in (VIOLATED, PENDING)]
    chosen = data.draw(st.lists(st.sampled_from(findings), unique_by=lambda r: r.rule)) if findings else []
    today = date(2027, 1, 1)
    entries = []
    for n, r in enumerate(chosen, 1):
        expired = data.draw(st.booleans())
        entries.append(Waiver(
            number=n, line=n, case=case.case, rule=r.rule, events=None, justification="j", approved_by="a",
            expires=date(2026, 12, 31) if expired else None,
        ))
    waivers = Waivers(entries, today)
    audit = audit_case(case, RUBRIC, waivers)
    active = {w.rule for w in entries if w.expires is None}
    assert [r.outcome for r in audit.results] == [r.outcome for r in plain.results]
    assert {r.rule for r in audit.results if r.waived} == active
    assert waivers.used == {w.number for w in entries if w.expires is None}
    kept = [r for r in plain.results if r.rule not in active]
    assert audit.fidelity == fidelity(kept)
    rank = {"info": 0, "warning": 1, "error": 2}
    for severity in rank:
        expected = any(
            r.outcome == VIOLATED and r.rule not in active and rank[r.severity] >= rank[severity] for r in plain.results
        )
        assert audit.violated_at_or_above(severity) == expected
    assert len(waivers.unused_notes()) == 0
    assert len(waivers.expired_notes()) == len(entries) - len(active)


@pytest.mark.parametrize("fmt", FORMATS)
def test_waived_findings_show_no_notes_nor_party_names(capsys, tmp_path, fmt):
    """A waived finding is rendered from the same record as any finding: nothing of the log's
    ``notes`` or parties' ``name`` reaches it, nor the warnings about waivers."""
    log = {
        "format": "rtw-case-log/1",
        "case": "P-1",
        "parties": {
            "W": {"role": "worker", "name": "SECRET-NAME-W"},
            "C": {"role": "coordinator", "name": "SECRET-NAME-C"},
            "S": {"role": "supervisor", "name": "SECRET-NAME-S"},
        },
        "events": [
            {"id": "f", "at": "2026-02-04", "type": "file_forwarded", "by": "C", "to": "C", "notes": "SECRET-NOTE-1"},
            {"id": "k", "at": "2026-02-06", "type": "contact", "by": "S", "with": ["W"], "channel": "phone",
             "purpose": "social", "notes": "SECRET-NOTE-2"},
        ],
    }
    path = tmp_path / "p.json"
    path.write_text(json.dumps(log), encoding="utf-8")
    waivers = tmp_path / "w.yaml"
    waivers.write_text(
        "format: rtw-waivers/1\nwaivers:\n"
        "  - {case: P-1, rule: RTW102, events: [k], justification: Supervisor's social call agreed., approved_by: Lead}\n"
        "  - {case: P-1, rule: RTW101, justification: Nothing to waive., approved_by: Lead}\n",
        encoding="utf-8",
    )
    status, out, err = check(capsys, str(path), "--format", fmt, "--waivers", str(waivers))
    assert status != 2, err
    shown = markdown_cell("Supervisor's social call agreed.") if fmt == "markdown" else "Supervisor's social call agreed."
    assert shown in out and "matched no finding" in out
    assert "SECRET" not in out + err

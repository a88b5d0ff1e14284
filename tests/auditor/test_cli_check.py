"""rtw-audit as a user runs it: exit statuses, the three formats, rules/explain, rubric extensions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from auditor.cli import main

EXAMPLES = Path(__file__).parent / "data" / "spec-examples"
COMPLIANT = EXAMPLES / "compliant-full-process.yaml"
FAULTY = EXAMPLES / "pre-briefing-and-missed-follow-up.yaml"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_compliant_example_exits_zero(capsys):
    status, out, _ = run(capsys, "check", str(COMPLIANT))
    assert status == 0
    assert "case C-EX-001" in out
    assert "no findings" in out


def test_faulty_example_exits_one_and_names_events_with_lines(capsys):
    status, out, _ = run(capsys, "check", str(FAULTY))
    assert status == 1
    assert "RTW405 no-pre-briefing: e13 (line 31)" in out
    assert "Step 4 — Prepare for the meeting with the direct supervisor" in out
    assert "source: IRSST guide, step 4" in out


def test_json_shape_has_one_result_per_rule_per_case(capsys):
    status, out, _ = run(capsys, "check", str(EXAMPLES), "--format", "json")
    assert status == 1
    doc = json.loads(out)
    assert [c["case"] for c in doc["cases"]] == ["C-EX-001", "C-EX-002"]
    for case in doc["cases"]:
        assert len(case["results"]) == 41
        assert len({r["rule"] for r in case["results"]}) == 41
        assert set(case["results"][0]) >= {"rule", "outcome", "events"}
    assert doc["cases"][0]["fidelity"] == 1.0
    faulty = {r["rule"]: r for r in doc["cases"][1]["results"]}
    assert faulty["RTW302"]["events"] == ["e8", "e11"]
    assert faulty["RTW701"]["outcome"] == "violated"


def test_markdown_format(capsys):
    status, out, _ = run(capsys, "check", str(FAULTY), "--format", "markdown")
    assert status == 1
    assert out.startswith("# Audit of case logs")
    # The event's place keeps the file's name with the line (escaped for Markdown: `_` in a name).
    place = str(FAULTY).replace("_", "\\_")
    assert f"| 4 | violated | error | RTW405 no-pre-briefing | e13 ({place}:31) |" in out


@pytest.mark.parametrize(("fail_on", "expected"), [("error", 1), ("warning", 1), ("never", 0)])
def test_fail_on(capsys, fail_on, expected):
    status, _, _ = run(capsys, "check", str(FAULTY), "--fail-on", fail_on)
    assert status == expected


def test_as_of_earlier_than_an_event_is_an_input_error(capsys):
    status, _, err = run(capsys, "check", str(FAULTY), "--as-of", "2026-05-01")
    assert status == 2
    assert "earlier than this event" in err


def test_missing_file_exits_two_with_message(capsys, tmp_path):
    status, _, err = run(capsys, "check", str(tmp_path / "nope.yaml"))
    assert status == 2
    assert "nope.yaml" in err
    assert "Traceback" not in err


def test_bad_arguments_exit_two(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["check", str(FAULTY), "--format", "pdf"])
    assert exc.value.code == 2


def test_rules_lists_all_codes(capsys):
    status, out, _ = run(capsys, "rules")
    assert status == 0
    assert "RTW101" in out and "RTW902" in out
    assert "41 rules" in out


def test_explain_shows_why_parameters_and_source(capsys):
    status, out, _ = run(capsys, "explain", "RTW405")
    assert status == 0
    assert "What it checks:" in out and "Why:" in out
    assert "topics: [worker_concerns, health, diagnosis, personal]" in out
    assert "IRSST guide, step 4" in out


def test_explain_shows_independent_roles_and_who_follows_them(capsys, tmp_path):
    status, out, _ = run(capsys, "explain", "RTW102")
    assert status == 0
    assert "independent_roles: [union_rep] (also followed by RTW201)" in out
    assert "part 2, union representatives" in out
    status, out, _ = run(capsys, "explain", "RTW201")
    assert "independent_roles: [union_rep] (follows RTW102's `independent_roles`)" in out
    ours = tmp_path / "ours.yaml"
    ours.write_text(
        "format: rtw-rubric/1\nname: Ours\nextends: default\nrules:\n  - {code: RTW102, params: {independent_roles: []}}\n",
        encoding="utf-8",
    )
    status, out, _ = run(capsys, "explain", "RTW201", "--rubric", str(ours))
    assert status == 0
    assert "independent_roles: [] (follows RTW102's `independent_roles`)" in out


def test_independent_roles_must_name_known_roles(capsys, tmp_path):
    ours = tmp_path / "ours.yaml"
    ours.write_text(
        "format: rtw-rubric/1\nname: Ours\nextends: default\nrules:\n  - {code: RTW102, params: {independent_roles: [union]}}\n",
        encoding="utf-8",
    )
    status, _, err = run(capsys, "rules", "--rubric", str(ours))
    assert status == 2
    assert "unknown role `union`; did you mean `union_rep`?" in err
    assert "ours.yaml" in err and "Traceback" not in err


def test_explain_unknown_rule_suggests(capsys):
    status, _, err = run(capsys, "explain", "RTW40")
    assert status == 2
    assert "did you mean" in err


def test_output_file_is_written(capsys, tmp_path):
    target = tmp_path / "audit.json"
    status, out, _ = run(capsys, "check", str(COMPLIANT), "--format", "json", "-o", str(target))
    assert status == 0 and out == ""
    assert json.loads(target.read_text())["cases"][0]["case"] == "C-EX-001"


def test_workplace_rubric_extends_default(capsys, tmp_path):
    ours = tmp_path / "ours.yaml"
    ours.write_text(
        "format: rtw-rubric/1\nname: Our framework\nextends: default\nrules:\n"
        "  - code: RTW701\n    params: {max_days: 60}\n"
        "  - code: RTW405\n    enabled: false\n"
        "  - code: RTW302\n    severity: info\n",
        encoding="utf-8",
    )
    status, out, _ = run(capsys, "check", str(FAULTY), "--rubric", str(ours), "--format", "json")
    results = {r["rule"]: r for r in json.loads(out)["cases"][0]["results"]}
    assert "RTW405" not in results
    assert results["RTW302"]["severity"] == "info"
    assert results["RTW701"]["outcome"] == "pending"  # return 2026-05-11, as_of 2026-07-01: within 60 days
    assert status == 1  # RTW102 and others still violated


def test_workplace_rubric_can_add_a_rule_from_templates(capsys, tmp_path):
    ours = tmp_path / "ours.yaml"
    ours.write_text(
        """format: rtw-rubric/1
name: Ours
extends: default
rules:
  - code: ORG001
    name: plan-has-due-dates
    step: "5"
    severity: warning
    source: Our framework, section 3
    summary: Every action of an adopted plan has a due date.
    explanation: Without a due date nobody knows when a measure is late, so the follow-up has nothing to check.
    check:
      template: every
      subject: {events: plan_adopted}
      require: {check: concerns_addressed}
""",
        encoding="utf-8",
    )
    status, out, _ = run(capsys, "check", str(COMPLIANT), "--rubric", str(ours), "--format", "json")
    results = {r["rule"]: r for r in json.loads(out)["cases"][0]["results"]}
    assert results["ORG001"]["outcome"] == "satisfied"
    assert status == 0


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("  - code: RTW101\n    params: {max_day: 3}\n", "rule RTW101 has no parameter `max_day`; did you mean `max_days`?"),
        ("  - code: RTW101\n    severity: fatal\n", "severity"),
        ("  - code: RTW101\n    check: {template: respons}\n", "Did you mean `response`?"),
        (
            "  - code: RTW101\n    check: {template: every, subject: {events: contakt}, require: {location: neutral}}\n",
            "Did you mean `contact`?",
        ),
        ("  - code: RTW101\n    colour: red\n", "unknown key `colour`"),
    ],
)
def test_rubric_mistakes_are_reported_with_file_and_line(capsys, tmp_path, body, message):
    ours = tmp_path / "ours.yaml"
    ours.write_text(f"format: rtw-rubric/1\nname: Ours\nextends: default\nrules:\n{body}", encoding="utf-8")
    status, _, err = run(capsys, "check", str(COMPLIANT), "--rubric", str(ours))
    assert status == 2
    assert f"{ours}:5" in err or f"{ours}:6" in err
    assert message in err
    assert "Traceback" not in err


def test_templates_lists_the_building_blocks(capsys):
    status, out, _ = run(capsys, "templates")
    assert status == 0
    for name in ("every", "precedence", "response", "consent", "dedicated", "coordinator_worker_contact"):
        assert name in out


def test_streamed_json_equals_the_plain_record(capsys):
    """The cached-fragment encoder writes exactly the record every other renderer reads."""
    from auditor.engine import CaseAudit, audit_inputs
    from auditor.render import case_record
    from auditor.render.json_out import ResultFragments, case_json
    from auditor.rubric import load_rubric

    rubric = load_rubric()
    fragments = ResultFragments(rubric)
    for audit in audit_inputs([EXAMPLES], rubric):
        assert isinstance(audit, CaseAudit)
        assert json.loads(case_json(audit, fragments)) == case_record(audit, rubric)

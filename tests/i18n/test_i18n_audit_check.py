"""``rtw-audit`` in French and under the pseudo-locale: check (text, Markdown), waivers, errors, rules, explain.

The pseudo-locale shows every catalogued message as ``⟦àççéñtéd⟧``; a sentence shown plain is one that
escaped the catalogue. Each leak test strips the pseudo-translated parts and the data the run was given
(case ids, rule codes, event ids, file names, backquoted field names, numbers) and asserts that no word of
three letters or more is left: a newly added plain English string fails it.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor import cli, i18n
from auditor.i18n_domains import RULES
from auditor.render import summary_text
from auditor.rubric import load_rubric
from tests.auditor.rule_case_files import build_log, load_cases

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "tests" / "auditor" / "data" / "spec-examples"
RUBRIC = load_rubric()


def _spec(code: str):
    rule = RUBRIC.rule(code)
    assert rule is not None, code
    return rule.spec
JUSTIFICATION = "Agreed exception."
APPROVER = "Committee chair"


@pytest.fixture(autouse=True)
def _english_afterwards():
    yield
    i18n.set_language("en")


def _strip_pseudo(text: str) -> str:
    """Remove every ``⟦…⟧`` (innermost first: a parameter's value is pseudo-translated inside a summary)."""
    previous = None
    while previous != text:
        previous, text = text, re.sub(r"⟦[^⟦⟧]*⟧", " ", text)
    return text


DATA_PATTERNS = (
    r"`[^`]*`",                       # field and parameter names, as the rubric writes them
    r"[\w./-]+\.(?:yaml|yml|jsonl|json)(?::\d+)*",  # file names, with line numbers
    r"\bRTW\d{3}(?:-\d+)?\b",         # rule codes, and the case ids these tests give
    r"\bC-EX-\d{3}\b",                # the spec examples' case ids
    r"\brtw-audit\b",                 # the command's name
)


def _leftover_words(text: str, data_words: set[str] | frozenset[str] = frozenset()) -> list[str]:
    text = _strip_pseudo(text)
    for pattern in DATA_PATTERNS:
        text = re.sub(pattern, " ", text)
    words = re.findall(r"[A-Za-z]{3,}", text)
    return [w for w in words if w not in data_words]


def _run(capsys, monkeypatch, language: str, *argv: str) -> tuple[int, str, str]:
    if language == i18n.PSEUDO:  # --lang offers en and fr only; the pseudo-locale is for tests
        monkeypatch.setattr(cli, "language_from_argv", lambda argv: i18n.PSEUDO)
        status = cli.main(list(argv))
    else:
        status = cli.main([*argv, "--lang", language])
    out, err = capsys.readouterr()
    return status, out, err


def _rule_case_logs(root: Path) -> set[str]:
    """Every rule case as a log under ``root`` (findings of every outcome); returns their event ids."""
    events: set[str] = set()
    for n, param in enumerate(load_cases()):
        rule, case = param.values
        if "params" in case:
            continue
        log = build_log(case)
        log["case"] = f"{rule}-{n}"
        events.update(str(e.get("id")) for e in log["events"] if e.get("id"))
        (root / f"{rule}-{n}.json").write_text(json.dumps(log, default=str), encoding="utf-8")
    return events


def _waivers(root: Path) -> Path:
    """A valid waiver (RTW405 on C-EX-002), an expired one and one that matches nothing."""
    path = root / "waivers.yaml"
    entries = [
        {"case": "C-EX-002", "rule": "RTW405", "justification": JUSTIFICATION, "approved_by": APPROVER,
         "expires": date(2030, 1, 1)},
        {"case": "C-EX-002", "rule": "RTW302", "justification": JUSTIFICATION, "approved_by": APPROVER,
         "expires": date(2026, 1, 1)},
        {"case": "C-EX-001", "rule": "RTW101", "justification": JUSTIFICATION, "approved_by": APPROVER},
    ]
    path.write_text(yaml.safe_dump({"format": "rtw-waivers/1", "waivers": entries}), encoding="utf-8")
    return path


DATA_WORDS = {*JUSTIFICATION.split(), *APPROVER.split()}
DATA_WORDS = {w.strip(".") for w in DATA_WORDS}
#: The ids of the rubric's groups of rules that are not steps of the guide (Markdown's step column).
STEP_IDS = {step for step in RUBRIC.steps if not step.isdigit()}
#: Every parameter's name and value (``explain`` lists them as the rubric writes them).
PARAM_WORDS = {word for rule in RUBRIC.rules for name, value in rule.spec.params.items()
               for word in re.findall(r"[A-Za-z]+", f"{name} {value}")}


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_check_under_the_pseudo_locale_shows_no_plain_english(tmp_path, capsys, monkeypatch, fmt):
    monkeypatch.chdir(tmp_path)  # relative file names in the report (Markdown escapes a temporary path's "_")
    Path("rules").mkdir()
    events = _rule_case_logs(Path("rules"))
    status, out, err = _run(capsys, monkeypatch, i18n.PSEUDO, "check", "rules", "--format", fmt)
    assert status in (0, 1), err
    assert "⟦" in out and "✗" in out or "violated" in _strip_pseudo(out) or fmt == "markdown"
    assert _leftover_words(out, events | STEP_IDS) == []
    status, out, err = _run(capsys, monkeypatch, i18n.PSEUDO, "check", str(EXAMPLES), "--format", fmt,
                            "--as-of", "2026-07-01", "--waivers", str(_waivers(tmp_path)))
    assert status in (0, 1), err
    assert JUSTIFICATION in out  # the waived finding is there, its justification shown as written
    assert _leftover_words(out, DATA_WORDS | STEP_IDS) == []


def test_the_leak_check_catches_a_plain_sentence():
    assert _leftover_words("⟦çåsé⟧ C-EX-001 RTW405 and a new sentence") == ["and", "new", "sentence"]


def test_every_outcome_is_in_the_pseudo_run(tmp_path, capsys, monkeypatch):
    logs = tmp_path / "rules"
    logs.mkdir()
    _rule_case_logs(logs)
    _, out, _ = _run(capsys, monkeypatch, "en", "check", str(logs))
    assert "✗ error" in out and "… pending" in out and "not applicable" in out


def test_input_errors_and_usage_errors_under_the_pseudo_locale(tmp_path, capsys, monkeypatch):
    bad = tmp_path / "waivers.yaml"
    bad.write_text("format: rtw-waivers/1\nwaivers:\n  - {case: C-1, rule: RTW4055, justfication: x, approved_by: L}\n",
                   encoding="utf-8")
    status, _, err = _run(capsys, monkeypatch, i18n.PSEUDO, "check", str(EXAMPLES), "--waivers", str(bad))
    assert status == 2
    assert _leftover_words(err, {"justfication", "justification", "waivers"}) == []
    status, _, err = _run(capsys, monkeypatch, i18n.PSEUDO, "explain", "RTW999")
    assert status == 2 and _leftover_words(err) == []
    with pytest.raises(SystemExit) as stop:
        _run(capsys, monkeypatch, i18n.PSEUDO, "check", str(EXAMPLES), "--format", "xml")
    assert stop.value.code == 2
    err = capsys.readouterr().err
    usage_tokens = {"check", "PATH", "RUBRIC", "MAPPING", "AS_OF", "FILE", "FAIL_ON", "OUTPUT", "lang", "rubric",
                    "mapping", "waivers", "format", "text", "json", "markdown", "xml", "fail", "output", "pending",
                    "jobs", "error", "warning", "info", "never", "FORMAT", "LANG"}
    assert _leftover_words(err, usage_tokens) == []


@pytest.mark.parametrize("code", RUBRIC.all_codes())
def test_explain_every_rule_under_the_pseudo_locale(capsys, monkeypatch, code):
    status, out, _ = _run(capsys, monkeypatch, i18n.PSEUDO, "explain", code)
    assert status == 0
    template = str(_spec(code).check.get("template"))
    assert _leftover_words(out, PARAM_WORDS | {template}) == []


def test_rules_list_under_the_pseudo_locale(capsys, monkeypatch):
    status, out, _ = _run(capsys, monkeypatch, i18n.PSEUDO, "rules")
    assert status == 0 and _leftover_words(out) == []


# ------------------------------------------------------------------ French reads as French


def test_check_in_french(capsys, monkeypatch):
    _, out, _ = _run(capsys, monkeypatch, "fr", "check", str(EXAMPLES), "--as-of", "2026-07-01")
    assert "Étape 4 — Préparer la rencontre avec le supérieur immédiat" in out
    assert "fidélité 66\u00a0% · au 1er juillet 2026" in out
    assert "aucun constat\u00a0: toutes les règles applicables sont respectées" in out
    assert "RTW405 aucune-information-prealable-au-superieur\u00a0: e13" in out
    assert "fidélité moyenne 83\u00a0%" in out
    assert "source\u00a0: Guide de l'IRSST, étape 4" in out


def test_markdown_in_french(capsys, monkeypatch):
    _, out, _ = _run(capsys, monkeypatch, "fr", "check", str(EXAMPLES), "--format", "markdown", "--as-of", "2026-07-01")
    assert out.startswith("# Audit des journaux de dossiers\n")
    assert "| étape | résultat | gravité | règle |" in out and "## Sommaire" in out


def test_explain_in_french_cites_the_french_guide(capsys, monkeypatch):
    _, out, _ = _run(capsys, monkeypatch, "fr", "explain", "RTW405")
    assert out.startswith("RTW405 aucune-information-prealable-au-superieur  (erreur)\nÉtape 4 — ")
    assert "Ce qu'elle vérifie\u00a0:" in out and "Guide de l'IRSST, étape 4 «\u00a0il ne doit pas" in out
    assert "rassurez-le\u00a0:" in out  # no-break space kept by the wrapping, hyphenated word whole


def test_help_and_usage_errors_in_french(capsys, monkeypatch):
    with pytest.raises(SystemExit):
        cli.main(["--lang", "fr", "--help"])
    out = capsys.readouterr().out
    assert out.startswith("utilisation\u00a0: rtw-audit") and "arguments positionnels\u00a0:" in out
    with pytest.raises(SystemExit):
        cli.main(["check", "x", "--format", "xml", "--lang", "fr"])
    err = capsys.readouterr().err
    assert "rtw-audit check\u00a0: erreur\u00a0: argument --format\u00a0: choix invalide\u00a0: 'xml'" in err


def test_english_is_unchanged_by_the_language_layer(capsys, monkeypatch):
    _, out, _ = _run(capsys, monkeypatch, "en", "explain", "RTW405")
    spec = _spec("RTW405")
    assert out.startswith("RTW405 no-pre-briefing  (error)\nStep 4 — Prepare for the meeting with the direct supervisor\n")
    assert " ".join(spec.summary.split()[:6]) in out


# ------------------------------------------------------------------ the French rule texts


def _french_rule_texts() -> dict[str, tuple[str, str]]:
    """context -> (English, French) for every text of the audit-rules catalogue (one form each)."""
    from babel.messages.pofile import read_po

    with open(RULES.po_file("fr"), "rb") as handle:
        return {str(m.context): (str(m.id), str(m.string)) for m in read_po(handle) if m.id}


def test_each_french_rule_text_keeps_the_backquoted_names_and_cites_the_french_guide():
    for context, (english, french) in _french_rule_texts().items():
        assert sorted(re.findall(r"`[^`]*`", english)) == sorted(re.findall(r"`[^`]*`", french)), context
        if context.endswith(".source"):
            assert french.startswith(("Guide de l'IRSST", "AISS")), context
            assert "IRSST guide" not in french and "ISSA" not in french, context
        if context.startswith("RTW") and context.endswith(".name"):
            assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", french), context
        # OQLF: a no-break space before a colon and inside guillemets, never a plain one
        assert " :" not in french and "« " not in french and " »" not in french, context


@settings(max_examples=60, deadline=None)
@given(code=st.sampled_from([r.code for r in RUBRIC.rules if any(k.endswith("_days") for k in r.spec.params)]),
       days=st.integers(min_value=0, max_value=365))
def test_a_french_summary_shows_its_parameters_values(code, days):
    spec = _spec(code).model_copy(deep=True)
    for name in spec.params:
        if name.endswith("_days"):
            spec.params[name] = days
    i18n.set_language("fr")
    try:
        text = summary_text(spec)
    finally:
        i18n.set_language("en")
    for name in spec.params:
        assert f"`{name}`" not in text or not name.endswith("_days")
    assert f"{days} jour" + ("s" if days > 1 else "") in text


# ------------------------------------------------------------------ input errors

BAD = ROOT / "tests" / "auditor" / "data" / "bad"
#: The parsers' own words, quoted as the reason a file cannot be read (the JSON decoder's "Expecting ','
#: delimiter"): data, like the values a message quotes.
PARSER_WORDS = {"Expecting", "delimiter"}
#: Not an error at all: a byte-order mark is read as UTF-8.
FINE = {"bom.yaml"}


@pytest.mark.parametrize("name", sorted(p.name for p in BAD.iterdir() if p.name not in FINE))
def test_input_errors_under_the_pseudo_locale(capsys, monkeypatch, name):
    status, _, err = _run(capsys, monkeypatch, i18n.PSEUDO, "check", str(BAD / name))
    assert status == 2 and "⟦" in err
    text = re.sub(r"'[^']*'", " ", err)  # quoted values from the log (codes, ids, dates)
    assert _leftover_words(text, {"BAD", "NaN", *PARSER_WORDS}) == []


def test_input_errors_in_french(capsys, monkeypatch):
    _, _, err = _run(capsys, monkeypatch, "fr", "check", str(BAD / "unknown-field.yaml"))
    assert ("dossier C-BAD, événement e2\u00a0: champ inconnu 'coordinator_informd' dans un événement `contact`; "
            "vouliez-vous dire 'coordinator_informed'?") in err
    assert err.startswith("rtw-audit\u00a0: erreur dans les données\u00a0: ")
    _, _, err = _run(capsys, monkeypatch, "fr", "check", str(BAD / "not-a-number.yaml"))
    assert "`call_within_days` doit être un nombre entier de jours, et non un texte de 3 caractères" in err

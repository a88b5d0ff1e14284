"""``rtw-audit`` in French and under the pseudo-locale for what a committee authors: event tables,
mapping files, rubrics, committee settings, and the ``templates`` listing.

Why a stricter leak check than "strip every ``⟦…⟧``": these messages nest (``rule {code}: {path}:
{message}`` holds a condition's message), and a plain English sentence inside a pseudo-translated
one would be stripped with it. Here every word of three letters or more must carry the pseudo-locale's
accents (``ûñkñöwñ``) unless it is data: a backquoted name, a quoted value, a file name, a dotted
rubric path, an identifier (``worker_contact``) or one of the names the rubric language knows
(template, event set, period, role and check names). A word left in plain ASCII escaped the catalogue.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor import cli, i18n
from auditor.checks import TEMPLATES
from auditor.checks.dedicated import DEDICATED, INPUTS
from auditor.conditions import DURING, EVENT_SETS, EVENT_TYPES, NAMED_CASE_CHECKS, NAMED_EVENT_CHECKS, ROLES
from auditor.rubric import load_rubric

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "tests" / "auditor" / "data" / "spec-examples"
BAD = ROOT / "tests" / "auditor" / "data" / "bad"

#: Names the rubric language knows, listed in messages as data ("known: every, precedence, ...").
KNOWN_NAMES = frozenset({
    *TEMPLATES, *DEDICATED, *INPUTS, *EVENT_SETS, *EVENT_TYPES, *DURING, *NAMED_CASE_CHECKS,
    *NAMED_EVENT_CHECKS, *ROLES, *(key for _fn, keys, _doc in TEMPLATES.values() for key in keys),
    "one_of", "any_of", "all_of", "none_of", "empty", "present", "not", "role",  # condition operators
    "each", "first", "last",  # `which`
    "has_party", "context", "exists", "check", "all", "any",  # case conditions
    "quarter", "half", "year",  # committee periods
    "format", "key", "rounding_base", "threshold", "minimum_caseload", "period",  # committee settings
    "rtw",  # the command's name, in "rtw-audit"
})


@pytest.fixture(autouse=True)
def _english_afterwards():
    yield
    i18n.set_language("en")


def plain_words(text: str, data_words: frozenset[str] | set[str] = frozenset()) -> list[str]:
    """The words of ``text`` (3+ letters) that are neither pseudo-translated nor data."""
    text = text.replace("⟦", " ").replace("⟧", " ")
    text = re.sub(r"`[^`\n]*`", " ", text)                        # backquoted names and commands
    text = re.sub(r"(?<![\w\u00c0-\u024f])'[^'\n]*'", " ", text)  # quoted values ('chanel')
    text = re.sub(r"[\w./-]+\.(?:yaml|yml|jsonl|json|csv)(?::\d+)*", " ", text)  # file names, lines
    text = re.sub(r"\b[A-Za-z_]\w*(?:\.[\w\[\]]+)+", " ", text)   # rubric paths: check.subject.events
    words = re.findall(r"[A-Za-z\u00c0-\u024f_][\w\u00c0-\u024f]*", text)
    return [w for w in words
            if w.isascii() and len(w.replace("_", "")) >= 3 and "_" not in w
            and w not in KNOWN_NAMES and w not in data_words and not re.fullmatch(r"[A-Z]+\d+", w)]


def run(capsys, monkeypatch, language: str, *argv: str) -> tuple[int, str, str]:
    if language == i18n.PSEUDO:  # --lang offers en and fr only; the pseudo-locale is for tests
        monkeypatch.setattr(cli, "language_from_argv", lambda argv: i18n.PSEUDO)
        status = cli.main(list(argv))
    else:
        status = cli.main([*argv, "--lang", language])
    out, err = capsys.readouterr()
    return status, out, err


def test_the_check_catches_a_sentence_nested_in_a_pseudo_translated_one():
    nested = "⟦rtw-åûdît: îñpût érrör: m.yaml:3: ⟦rûlé XT999: check.subject: unknown thing `boss`⟧⟧"
    assert plain_words(nested) == ["unknown", "thing"]
    assert plain_words("⟦ûñkñöwñ çölûmñ 'chanel' îñ thé héådér⟧ every worker_contact") == []


# ------------------------------------------------------------------ event tables


#: The JSON decoder's words each bad input quotes ("Expecting value" for a blank row's neighbour).
QUOTED_PARSER_WORDS = {"syntax-error.json": {"Expecting", "delimiter"}, "rows.jsonl": {"Expecting", "value"}}


@pytest.mark.parametrize("name", sorted(p.name for p in BAD.iterdir() if p.name != "bom.yaml"))
def test_every_bad_input_under_the_pseudo_locale_with_the_strict_check(capsys, monkeypatch, name):
    status, _, err = run(capsys, monkeypatch, i18n.PSEUDO, "check", str(BAD / name))
    assert status == 2 and "⟦" in err
    assert plain_words(err, QUOTED_PARSER_WORDS.get(name, set()) | {"BAD", "NaN"}) == [], err


TABLES = {
    "no-case.csv": "when,type\n2026-01-02,contact\n",
    "twice.csv": "case,type,type\nA,contact,contact\n",
    "short-row.csv": "case,type,at\nA,contact\n",
    "empty.csv": "\n",
    "row-not-object.jsonl": '{"case": "A", "type": "party", "id": "W", "role": "worker"}\n[1, 2]\n',
    "no-case.jsonl": '{"type": "party", "id": "W", "role": "worker"}\n',
    "not-utf8.csv": "case,type\nA,contact\xe9\n",
}


@pytest.mark.parametrize("name", sorted(TABLES))
def test_event_table_errors_under_the_pseudo_locale(tmp_path, capsys, monkeypatch, name):
    path = tmp_path / name
    text = TABLES[name]
    path.write_bytes(text.encode("latin-1") if name.startswith("not-utf8") else text.encode("utf-8"))
    status, _, err = run(capsys, monkeypatch, i18n.PSEUDO, "check", str(path))
    assert status == 2 and "⟦" in err
    assert plain_words(err) == []


def test_event_table_errors_in_french(capsys, monkeypatch, tmp_path):
    status, _, err = run(capsys, monkeypatch, "fr", "check", str(BAD / "unknown-column.csv"))
    assert status == 2
    assert ("colonne inconnue 'chanel' dans l'en-tête; vouliez-vous dire 'channel'? (un fichier de correspondance "
            "peut renommer les colonnes d'une exportation)") in err
    path = tmp_path / "short-row.csv"
    path.write_text(TABLES["short-row.csv"], encoding="utf-8")
    _, _, err = run(capsys, monkeypatch, "fr", "check", str(path))
    assert "le nombre de cellules de la ligne (2) diffère du nombre de colonnes de l'en-tête (3)" in err


def test_event_table_errors_in_english_are_unchanged(capsys, monkeypatch):
    _, _, err = run(capsys, monkeypatch, "en", "check", str(BAD / "unknown-column.csv"))
    assert ("unknown column 'chanel' in the header; did you mean 'channel'? "
            "(a mapping file can rename an export's columns)") in err


# ------------------------------------------------------------------ mapping files

MAPPINGS = {
    "not-a-mapping.yaml": "- columns\n",
    "unknown-field.yaml": "format: rtw-mapping/1\ncolumn: {a: case}\n",
    "wrong-format.yaml": "format: rtw-mapping/2\n",
    "no-format.yaml": "columns: {a: case}\n",
    "columns-not-a-mapping.yaml": "format: rtw-mapping/1\ncolumns: [a, b]\n",
    "ignore-not-a-list.yaml": "format: rtw-mapping/1\nignore_columns: {a: b}\n",
    "not-text.yaml": "format: rtw-mapping/1\ncolumns: {a: [case]}\n",
    "bad-target.yaml": "format: rtw-mapping/1\ncolumns: {dossier: cas}\n",
    "two-sources.yaml": "format: rtw-mapping/1\ncolumns: {dossier: case, numero: case}\n",
    "bad-type.yaml": "format: rtw-mapping/1\ntypes: {Appel: contakt}\n",
    "bad-field.yaml": "format: rtw-mapping/1\nvalues: {chanel: {tel: phone}}\n",
    "bad-value.yaml": "format: rtw-mapping/1\nvalues: {channel: {tel: telephone}}\n",
}


@pytest.mark.parametrize("name", sorted(MAPPINGS))
def test_mapping_file_errors_under_the_pseudo_locale(tmp_path, capsys, monkeypatch, name):
    mapping = tmp_path / name
    mapping.write_text(MAPPINGS[name], encoding="utf-8")
    status, _, err = run(capsys, monkeypatch, i18n.PSEUDO, "check", str(BAD / "rows.csv"), "--mapping", str(mapping))
    assert status == 2 and "⟦" in err
    assert plain_words(err) == []


def test_mapping_file_errors_in_french(tmp_path, capsys, monkeypatch):
    mapping = tmp_path / "map.yaml"
    mapping.write_text(MAPPINGS["bad-type.yaml"], encoding="utf-8")
    _, _, err = run(capsys, monkeypatch, "fr", "check", str(BAD / "rows.csv"), "--mapping", str(mapping))
    assert "l'activité 'Appel' correspond à 'contakt', qui n'est pas un type d'événement; vouliez-vous dire 'contact'?" in err
    mapping.write_text(MAPPINGS["two-sources.yaml"], encoding="utf-8")
    _, _, err = run(capsys, monkeypatch, "fr", "check", str(BAD / "rows.csv"), "--mapping", str(mapping))
    assert "les colonnes 'dossier' et 'numero' correspondent toutes deux à `case`" in err


# ------------------------------------------------------------------ rubrics

RULE = """format: rtw-rubric/1
name: Test workplace rubric
extends: default
rules:
  - code: XT999
    name: a-test-rule
    step: "{step}"
    severity: warning
    source: IRSST guide, step 2
    summary: A test rule that checks something.
    explanation: Written to see how a mistake in it is reported.
    check: {check}
"""



def _rule(check: str, step: str = "2") -> str:
    """A workplace rubric adding one rule whose ``check`` is the flow mapping ``{check}``."""
    return RULE.format(step=step, check="{" + check + "}")


RUBRICS = {
    "unknown-template": _rule("template: evry, subject: contact"),
    "template-extra-key": _rule("template: every, subject: contact, require: {by: coordinator}, color: red"),
    "template-missing-key": _rule("template: every, require: {by: coordinator}"),
    "unknown-event-set": _rule("template: every, subject: contacts, require: {by: coordinator}"),
    "unknown-period": _rule("template: every, subject: {events: contact, during: holiday}, require: {by: coordinator}"),
    "bad-which": _rule("template: every, subject: {events: contact, which: middle}, require: {by: coordinator}"),
    "selector-key": _rule("template: every, subject: {events: contact, colour: red}, require: {by: coordinator}"),
    "unknown-operator": _rule("template: every, subject: contact, require: {by: {most_of: [worker]}}"),
    "unknown-role": _rule("template: every, subject: contact, require: {with: {role: boss}}"),
    "empty-condition": _rule("template: every, subject: contact, require: {}"),
    "unknown-named-check": _rule("template: every, subject: contact, require: {check: all_good}"),
    "undefined-parameter": _rule("template: response, trigger: contact, targets: [contact], window: {anchor: trigger, max_days: $delay}"),
    "both-require-and-forbid": _rule("template: every, subject: contact, require: {by: coordinator}, forbid: {by: worker}"),
    "unknown-dedicated": _rule("template: dedicated, name: magic"),
    "unknown-step": _rule("template: every, subject: contact, require: {by: coordinator}", step="22"),
    "unknown-case-condition": _rule("template: every, subject: contact, require: {by: coordinator}, applies_when: {weather: sunny}"),
    "unknown-parameter": "format: rtw-rubric/1\nname: Test\nextends: default\nrules:\n  - code: RTW405\n    params: {delay_days: 3}\n",
    "no-code": "format: rtw-rubric/1\nname: Test\nextends: default\nrules:\n  - {name: nameless}\n",
    "not-a-mapping": "- rules\n",
    "unknown-key": "format: rtw-rubric/1\nname: Test\nextends: default\nrulez: []\n",
}


#: What the rubrics above write that a message quotes bare: a selector key, the default rules' parameters.
RUBRIC_DATA = {"colour"} | {name for rule in load_rubric().rules for name in rule.spec.params}


@pytest.mark.parametrize("name", sorted(RUBRICS))
def test_rubric_errors_under_the_pseudo_locale(tmp_path, capsys, monkeypatch, name):
    rubric = tmp_path / f"{name}.yaml"
    rubric.write_text(RUBRICS[name], encoding="utf-8")
    status, _, err = run(capsys, monkeypatch, i18n.PSEUDO, "check", str(EXAMPLES), "--rubric", str(rubric))
    assert status == 2 and "⟦" in err, err
    assert plain_words(err, RUBRIC_DATA) == [], err


def test_rubric_cycle_under_the_pseudo_locale(tmp_path, capsys, monkeypatch):
    (tmp_path / "a.yaml").write_text("format: rtw-rubric/1\nname: A\nextends: b.yaml\nrules: []\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("format: rtw-rubric/1\nname: B\nextends: a.yaml\nrules: []\n", encoding="utf-8")
    status, _, err = run(capsys, monkeypatch, i18n.PSEUDO, "check", str(EXAMPLES), "--rubric", str(tmp_path / "a.yaml"))
    assert status == 2 and plain_words(err) == []


def test_rubric_errors_in_french_and_english(tmp_path, capsys, monkeypatch):
    rubric = tmp_path / "r.yaml"
    rubric.write_text(RUBRICS["unknown-template"], encoding="utf-8")
    _, _, err = run(capsys, monkeypatch, "fr", "check", str(EXAMPLES), "--rubric", str(rubric))
    assert "règle XT999\u00a0: check.template\u00a0: modèle inconnu `evry` (connus\u00a0: " in err
    assert "Vouliez-vous dire `every`?" in err
    _, _, err = run(capsys, monkeypatch, "en", "check", str(EXAMPLES), "--rubric", str(rubric))
    assert "rule XT999: check.template: unknown template `evry` (known: consent, dedicated, every, precedence, response). " \
           "Did you mean `every`?" in err
    rubric.write_text(RUBRICS["unknown-role"], encoding="utf-8")
    _, _, err = run(capsys, monkeypatch, "fr", "check", str(EXAMPLES), "--rubric", str(rubric))
    assert "rôle inconnu `boss`" in err


# ------------------------------------------------------------------ committee settings

KEY = 'key: "a committee key for the translation tests"\n'
SETTINGS = {
    "not-a-mapping": "- format\n",
    "unknown-setting": "format: rtw-committee-settings/1\n" + KEY + "colour: red\n",
    "wrong-format": "format: rtw-committee-settings/9\n" + KEY,
    "short-key": 'format: rtw-committee-settings/1\nkey: "short"\n',
    "not-a-number": "format: rtw-committee-settings/1\n" + KEY + "rounding_base: five\n",
    "below-floor": "format: rtw-committee-settings/1\n" + KEY + "rounding_base: 2\n",
    "threshold-below-base": "format: rtw-committee-settings/1\n" + KEY + "rounding_base: 20\nthreshold: 15\n",
    "bad-period": "format: rtw-committee-settings/1\n" + KEY + "period: month\n",
}


@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_committee_settings_errors_under_the_pseudo_locale(tmp_path, capsys, monkeypatch, name):
    path = tmp_path / "committee.yaml"
    path.write_text(SETTINGS[name], encoding="utf-8")
    status, _, err = run(capsys, monkeypatch, i18n.PSEUDO, "report", str(EXAMPLES), "--settings", str(path))
    assert status == 2 and "⟦" in err, err
    assert plain_words(err, {"five", "month", "colour"}) == [], err


def test_committee_settings_file_not_utf8_under_the_pseudo_locale(tmp_path, capsys, monkeypatch):
    path = tmp_path / "committee.yaml"
    path.write_bytes(b"format: rtw-committee-settings/1\nkey: \"caf\xe9 caf\xe9 caf\xe9 caf\xe9\"\n")
    status, _, err = run(capsys, monkeypatch, i18n.PSEUDO, "report", str(EXAMPLES), "--settings", str(path))
    assert status == 2 and plain_words(err) == [], err


def test_committee_settings_errors_in_french(tmp_path, capsys, monkeypatch):
    path = tmp_path / "committee.yaml"
    path.write_text(SETTINGS["bad-period"], encoding="utf-8")
    _, _, err = run(capsys, monkeypatch, "fr", "report", str(EXAMPLES), "--settings", str(path))
    assert "`period` doit être l'une des valeurs quarter, half, year, et non 'month' (le mois est réservé au coordonnateur)" in err
    path.write_text(SETTINGS["threshold-below-base"], encoding="utf-8")
    _, _, err = run(capsys, monkeypatch, "fr", "report", str(EXAMPLES), "--settings", str(path))
    assert "`threshold` ne peut pas être inférieur à `rounding_base`" in err


@settings(max_examples=60, deadline=None)
@given(value=st.integers(min_value=-1000, max_value=4))
def test_a_rounding_base_below_its_floor_is_said_with_its_value_in_both_languages(value):
    from auditor.errors import InputError
    from auditor.report.settings import parse_settings

    text = "format: rtw-committee-settings/1\n" + KEY + f"rounding_base: {value}\n"
    for language, expected in (("en", f"`rounding_base` is {value}: it may not be below 5"),
                               ("fr", f"`rounding_base` vaut {value}\u00a0: il ne peut pas être inférieur à 5")):
        i18n.set_language(language)
        try:
            with pytest.raises(InputError) as raised:
                parse_settings(text, "committee.yaml")
        finally:
            i18n.set_language("en")
        assert raised.value.message == expected


# ------------------------------------------------------------------ the templates listing


def test_templates_under_the_pseudo_locale(capsys, monkeypatch):
    status, out, _ = run(capsys, monkeypatch, i18n.PSEUDO, "templates")
    assert status == 0 and out.count("⟦") >= len(TEMPLATES) + len(EVENT_SETS) + len(DEDICATED)
    # "every × (1 + tolerance) days": the parameters' names in a dedicated check's description
    assert plain_words(out, {"tolerance"}) == []


def test_templates_in_french_and_english(capsys, monkeypatch):
    _, out, _ = run(capsys, monkeypatch, "fr", "templates")
    assert out.startswith("Modèles de vérification\u00a0:\n  consent     chaque acte que sélectionne `subject`")
    assert "\nPériodes (`during`)\u00a0:\n" in out and "clés\u00a0: applies_when, forbid, require, subject" in out
    assert "  return" in out and "le premier `return_to_work`" in out
    _, out, _ = run(capsys, monkeypatch, "en", "templates")
    assert out.startswith("Check templates:\n  consent     each act the `subject` selects")
    assert "              keys: applies_when, forbid, require, subject, when_no_subject\n" in out


# ------------------------------------------------------------------ files that cannot be read


@pytest.mark.parametrize("option", ["--mapping", "--rubric"])
def test_a_folder_given_as_a_file_under_the_pseudo_locale_and_in_french(tmp_path, capsys, monkeypatch, option):
    folder = tmp_path / "named-like-a-file.yaml"  # its name is data, stripped like a file's
    folder.mkdir()
    status, _, err = run(capsys, monkeypatch, i18n.PSEUDO, "check", str(BAD / "rows.csv"), option, str(folder))
    assert status == 2 and "⟦" in err and plain_words(err) == [], err
    monkeypatch.undo()  # the language from the command line again
    _, _, err = run(capsys, monkeypatch, "fr", "check", str(BAD / "rows.csv"), option, str(folder))
    expected = "un fichier de correspondance" if option == "--mapping" else "une grille"
    assert f"ceci est un répertoire, et non {expected}" in err


def test_a_rubric_that_is_not_utf8_under_the_pseudo_locale(tmp_path, capsys, monkeypatch):
    rubric = tmp_path / "r.yaml"
    rubric.write_bytes(b"format: rtw-rubric/1\nname: caf\xe9\n")
    status, _, err = run(capsys, monkeypatch, i18n.PSEUDO, "check", str(EXAMPLES), "--rubric", str(rubric))
    assert status == 2 and "⟦" in err and plain_words(err) == [], err

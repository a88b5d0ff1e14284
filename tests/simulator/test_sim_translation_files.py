"""Translation files: lint (SC501-SC505), playing in French with English fallback, the PO round trip, and
the shipped French content (no missing or stale entry in any scenario that has a French file)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.i18n import language_from_environment
from simulator.cli import main
from simulator.lint import lint_file
from simulator.loader import load_scenario
from simulator.localize import localize_catalog, localized
from simulator.translation import source_strings, string_table
from simulator.translation_file import fingerprint, read_translation, render_translation, translation_path
from simulator.translation_lint import cites_guides, lint_translation
from simulator.translation_po import TranslationImportError, export_po, import_po

HERE = Path(__file__).resolve().parent
MINI = HERE / "data" / "mini.yaml"
SCENARIOS = HERE.parents[1] / "scenarios"


@pytest.fixture
def folder(tmp_path):
    """A scenario folder with mini.yaml, as a trainer's own folder would be."""
    shutil.copy(MINI, tmp_path / "mini.yaml")
    return tmp_path


def _write(folder: Path, entries: list[tuple[str, str, str]], sid: str = "mini") -> Path:
    path = translation_path(folder, "fr", sid)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_translation(sid, "fr", entries), encoding="utf-8")
    return path


def _full(scenario, prefix: str = "FR ") -> list[tuple[str, str, str]]:
    return [(s.id, fingerprint(s.text), prefix + s.text) for s in source_strings(scenario)]


# -- lint -------------------------------------------------------------------------------------------------
def test_complete_translation_is_clean(folder):
    path = _write(folder, _full(load_scenario(folder / "mini.yaml")))
    _, problems = lint_translation(path)
    assert problems == []


def test_missing_entries_are_each_reported_as_warnings(folder):
    entries = _full(load_scenario(folder / "mini.yaml"))
    dropped = [entries[3][0], entries[7][0]]
    path = _write(folder, [e for e in entries if e[0] not in dropped])
    _, problems = lint_translation(path)
    assert [(d.code, d.severity) for d in problems] == [("SC501", "warning")] * 2
    assert all(any(sid in d.message for d in problems) for sid in dropped)
    strings_line = path.read_text(encoding="utf-8").splitlines().index("strings:") + 1
    assert {d.line for d in problems} == {strings_line}


def test_english_change_makes_the_entry_stale_at_its_line(folder):
    scenario_file = folder / "mini.yaml"
    path = _write(folder, _full(load_scenario(scenario_file)))
    scenario_file.write_text(scenario_file.read_text(encoding="utf-8").replace('"So, what is this about?"',
                                                                             '"So, what brings us here?"'))
    _, problems = lint_translation(path)
    assert [d.code for d in problems] == ["SC502"]
    line = next(n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if text.startswith("  nodes.d1.lines.1.text:"))
    assert problems[0].line == line and problems[0].is_warning


def test_unknown_id_and_unknown_scenario_are_errors(folder):
    entries = _full(load_scenario(folder / "mini.yaml")) + [("nodes.gone.prompt", "0123abcd", "Parti")]
    _, problems = lint_translation(_write(folder, entries))
    assert [(d.code, d.severity) for d in problems] == [("SC503", "error")]
    _, problems = lint_translation(_write(folder, [], sid="nobody"))
    assert [(d.code, d.line) for d in problems] == [("SC504", 3)]


@pytest.mark.parametrize("text, line", [
    ("translates: mini\nlanguage: fr\nstrings:\n  title: {source: 12345678, text: T}\n", 4),
    ("translates: mini\nlanguage: fr\nstrings:\n  title: {source: abc, text: T}\n", 4),
    ("translates: mini\nlanguage: fr\nstrings:\n  title: {text: T}\n", 4),
    ("translates: mini\nlanguage: french\n", 2),
    ("translates: mini\nlanguage: fr\nstrings:\n  title: {source: 0123abcd, text: T}\n  title: x\n", 5),
    ("translates: mini\nlanguage: fr\nstrings: [\n", 4),
])
def test_malformed_files_are_sc505_with_their_line(folder, text, line):
    path = translation_path(folder, "fr", "mini")
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    _, problems = lint_translation(path)
    assert [d.code for d in problems] == ["SC505"]
    assert problems[0].line == line


def test_translated_source_must_cite_the_guides(folder):
    scenario = load_scenario(folder / "mini.yaml")
    entries = [(sid, fp, "Le guide" if sid.endswith(".source") else text) for sid, fp, text in _full(scenario)]
    _, problems = lint_translation(_write(folder, entries))
    assert problems and {d.code for d in problems} == {"SC505"}


@pytest.mark.parametrize("source, ok", [
    ("Guide de l'IRSST, étape 2 — Le premier appel téléphonique", True),
    ("Guide de l’IRSST, partie 1", True),
    ("AISS, ligne directrice 21", True),
    ("AISS, lignes directrices, B.5", True),
    ("IRSST guide, step 3", True),
    ("le guide de l'entreprise", False),
    ("AISS", False),
])
def test_citations_in_both_languages(source, ok):
    assert cites_guides(source) is ok


def test_lint_cli_strict_fails_on_missing_entries_only_with_strict(folder, capsys):
    entries = _full(load_scenario(folder / "mini.yaml"))[1:]
    path = _write(folder, entries)
    assert main(["lint", str(path)]) == 0
    assert main(["lint", "--strict", str(path)]) == 1
    out = capsys.readouterr().out
    assert "SC501 [warning] missing translation of 'title'" in out
    assert main(["lint", "--format", "json", str(path)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["problems"][0]["code"] == "SC501"


def test_lint_file_recognises_a_translation_file(folder, rubric):
    path = _write(folder, [("title", "00000000", "Titre")])
    report = lint_file(path, rubric)
    assert report.scenario is None
    assert {d.code for d in report.problems} == {"SC501", "SC502"}


# -- playing in French ---------------------------------------------------------------------------------------
def test_localized_falls_back_to_english_for_missing_and_stale_entries(folder):
    scenario = load_scenario(folder / "mini.yaml")
    entries = _full(scenario)
    entries = [e for e in entries if e[0] != "nodes.d1.prompt"]
    entries = [(sid, "00000000" if sid == "title" else fp, text) for sid, fp, text in entries]
    _write(folder, entries)
    french = localized(scenario, "fr")
    table, english = string_table(french), string_table(scenario)
    assert table["nodes.d1.prompt"] == english["nodes.d1.prompt"]  # missing
    assert table["title"] == english["title"]  # stale: the English is the reference
    assert table["nodes.d1.lines.1.text"] == "FR " + english["nodes.d1.lines.1.text"]
    assert localized(scenario, "en") is scenario


def test_play_lang_fr_shows_french_and_english_where_missing(folder, capsys):
    scenario = load_scenario(folder / "mini.yaml")
    _write(folder, [e for e in _full(scenario) if e[0] != "nodes.d1.choices.d1#1.feedback"])
    assert main(["--lang", "fr", "play", str(folder / "mini.yaml"), "--choices", "1"]) == 3  # stopped before an ending
    out = capsys.readouterr().out
    assert "FR What would you like to talk about?" in out
    assert "Open. (FR IRSST guide, step 5)" in out  # feedback missing -> English, source translated
    assert main(["play", str(folder / "mini.yaml"), "--choices", "1", "--lang", "en"]) == 3
    assert "FR " not in capsys.readouterr().out


def test_play_with_a_broken_translation_exits_2_naming_the_file(folder, capsys):
    path = translation_path(folder, "fr", "mini")
    path.parent.mkdir(parents=True)
    path.write_text("translates: mini\nlanguage: fr\nstrings: {title: {source: zz, text: T}}\n", encoding="utf-8")
    assert main(["--lang", "fr", "play", str(folder / "mini.yaml"), "--choices", "1"]) == 2
    err = capsys.readouterr().err
    assert "mini.yaml:3" in err and "SC505" in err and "Traceback" not in err


def test_packaged_first_call_plays_in_french(capsys):
    assert main(["--lang", "fr", "play", "first-call", "--choices", "1,1,1,1", "--format", "json"]) == 3
    data = json.loads(capsys.readouterr().out)
    assert data["title"].startswith("Le premier appel")
    assert data["transcript"][0]["text"] == "Allô?"
    assert data["scenario"] == "first-call"  # ids and codes stay English


def test_app_catalog_is_localized(folder):
    from simulator.training import load_catalog

    scenario = load_scenario(folder / "mini.yaml")
    _write(folder, _full(scenario))
    catalog = load_catalog(folder)
    localize_catalog(catalog, "fr")
    translated = catalog.get("mini")
    assert translated is not None and translated.title == "FR " + scenario.title
    assert catalog.problems == []
    translation_path(folder, "fr", "mini").write_text("translates: [", encoding="utf-8")
    catalog = load_catalog(folder)
    localize_catalog(catalog, "fr")
    untranslated = catalog.get("mini")
    assert untranslated is not None and untranslated.title == scenario.title
    assert [p.title for p in catalog.problems] == ["A translation file has a problem"]


@pytest.mark.parametrize("env, lang", [
    ({}, "en"), ({"LANG": "fr_CA.UTF-8"}, "fr"), ({"LANG": "en_CA.UTF-8"}, "en"),
    ({"LANG": "fr_CA.UTF-8", "LC_MESSAGES": "C"}, "en"), ({"LANG": "C", "LC_ALL": "fr_FR"}, "fr"),
    ({"LC_ALL": "", "LANG": "fr"}, "fr"),
])
def test_default_language_follows_the_locale(env, lang):
    assert language_from_environment(env) == lang


# -- PO export and import ------------------------------------------------------------------------------------
# Text a translator may type, hostile to PO and YAML syntax. Control characters (a carriage return, an escape)
# are not in it: scenario text refuses them at reading, translations included (they act on a terminal).
_hostile = st.lists(
    st.sampled_from(list("aé \"'#\\\n\t:{}[]%,-«»—\u00a0") + ["\\n", "msgid ", '"\n"', "\\\""]),
    min_size=1, max_size=12,
).map("".join).map(str.strip).filter(bool)


def _draw_entries(data, scenario, texts) -> list[tuple[str, str, str]]:
    """A translation of ``scenario`` as a translator leaves it: each text current, stale or missing."""
    entries = []
    for item in source_strings(scenario):
        kind = data.draw(st.sampled_from(["current", "stale", "missing"]))
        if kind == "missing":
            continue
        fp = fingerprint(item.text) if kind == "current" else data.draw(st.sampled_from(["00000000", "0123abcd"]))
        entries.append((item.id, fp, data.draw(texts)))
    return entries


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_export_then_import_gives_the_same_file(folder, data):
    scenario = load_scenario(folder / "mini.yaml")
    entries = _draw_entries(data, scenario, _hostile)
    text = render_translation("mini", "fr", entries)
    path = _write(folder, entries)
    loaded, problems = read_translation(path)
    assert loaded is not None, problems
    assert {sid: e.text for sid, e in loaded.data.strings.items()} == {sid: t for sid, _, t in entries}
    po = export_po(scenario, "fr", loaded)
    assert import_po(scenario, "fr", po, "x.po") == text


def test_po_marks_stale_entries_fuzzy_and_names_the_speaker(folder):
    scenario = load_scenario(folder / "mini.yaml")
    entries = [(sid, "00000000" if sid == "nodes.d1.lines.1.text" else fp, t) for sid, fp, t in _full(scenario)]
    loaded, _ = read_translation(_write(folder, entries))
    po = export_po(scenario, "fr", loaded).decode("utf-8")
    block = po[po.index('msgctxt "nodes.d1.lines.1.text"') - 200: po.index('msgctxt "nodes.d1.lines.1.text"')]
    assert "#, fuzzy" in block and "#. said by Pat Doe (worker)" in block
    assert '#. said by the trainee (supervisor)' in po
    assert po.count("#, fuzzy") == 1


def test_translator_clears_fuzzy_then_entry_is_current(folder):
    scenario = load_scenario(folder / "mini.yaml")
    entries = [(sid, "00000000" if sid == "title" else fp, t) for sid, fp, t in _full(scenario)]
    loaded, _ = read_translation(_write(folder, entries))
    po = export_po(scenario, "fr", loaded).decode("utf-8").replace("#, fuzzy\n", "")
    text = import_po(scenario, "fr", po.encode("utf-8"), "x.po")
    assert f"title: {{source: {fingerprint(scenario.title)}," in text


def test_import_refuses_an_unknown_context_with_its_line(folder):
    scenario = load_scenario(folder / "mini.yaml")
    po = export_po(scenario, "fr", None).decode("utf-8").replace('msgctxt "title"', 'msgctxt "titel"')
    line = po.splitlines().index('msgctxt "titel"') + 2  # the entry's msgid line, as PO tools count
    with pytest.raises(TranslationImportError) as info:
        import_po(scenario, "fr", po.encode("utf-8"), "x.po")
    assert info.value.line == line and "titel" in info.value.message


def test_translate_cli_round_trip(folder, tmp_path, capsys):
    scenario_file = str(folder / "mini.yaml")
    po_path = tmp_path / "mini.fr.po"
    assert main(["translate", scenario_file, "--lang", "fr", "--export", str(po_path)]) == 0
    po = po_path.read_text(encoding="utf-8")
    po = po.replace('msgid "Mini engine fixture"\nmsgstr ""', 'msgid "Mini engine fixture"\nmsgstr "Mini « fixture »"')
    po_path.write_text(po, encoding="utf-8")
    before = MINI.read_bytes()
    assert main(["translate", scenario_file, "--import", str(po_path)]) == 0
    assert (folder / "mini.yaml").read_bytes() == before  # the scenario is never modified
    assert localized(load_scenario(folder / "mini.yaml"), "fr").title == "Mini « fixture »"
    (tmp_path / "bad.po").write_text('msgctxt "title"\nmsgid "x\nmsgstr ""\n', encoding="utf-8")
    assert main(["translate", scenario_file, "--import", str(tmp_path / "bad.po")]) == 2
    assert "bad.po" in capsys.readouterr().err


# -- the shipped French content ------------------------------------------------------------------------------
def test_shipped_french_translations_have_no_missing_or_stale_entry(scenario_path):
    scenario = load_scenario(scenario_path)
    path = translation_path(SCENARIOS, "fr", scenario.id)
    if not path.is_file():
        pytest.skip(f"no French translation of {scenario.id}")
    _, problems = lint_translation(path, scenario)
    assert [d.render() for d in problems] == []


def test_every_shipped_translation_file_translates_a_scenario():
    ids = {load_scenario(p).id for p in SCENARIOS.glob("*.yaml")}
    files = sorted((SCENARIOS / "translations").glob("*/*.yaml"))
    assert files, "no translation file shipped"
    for path in files:
        loaded, problems = read_translation(path)
        assert loaded is not None, problems
        assert loaded.data.translates in ids and path.stem == loaded.data.translates
        assert path.parent.name == loaded.data.language


def test_shipped_french_fits_the_screen():
    """French runs longer than English; the app is 80 columns wide. Each string stays within 20 % of its
    English plus 20 characters (short lines such as 'Hello?' need the slack), and each file within 20 %."""
    for path in sorted((SCENARIOS / "translations" / "fr").glob("*.yaml")):
        loaded, _ = read_translation(path)
        assert loaded is not None, path.name
        scenario = load_scenario(SCENARIOS / f"{loaded.data.translates}.yaml")
        english = string_table(scenario)
        too_long = [sid for sid, e in loaded.data.strings.items() if len(e.text) > 1.2 * len(english[sid]) + 20]
        assert too_long == [], path.name
        total_fr: int = sum(len(e.text) for e in loaded.data.strings.values())
        total_en: int = sum(len(english[sid]) for sid in loaded.data.strings)
        assert total_fr <= 1.2 * total_en, path.name


# -- CSV export and import ------------------------------------------------------------------------------------
_formulaic = st.lists(
    st.sampled_from(["=", "+", "-", "@", "'", "\t", "a", "é", ",", '"', "\n", "#", "\\", " ", "SUM(A1)"]),
    min_size=1, max_size=10,
).map("".join).map(str.strip).filter(bool)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_csv_export_then_import_gives_the_same_file(folder, data):
    from simulator.translation_csv import export_csv, import_csv

    scenario = load_scenario(folder / "mini.yaml")
    entries = _draw_entries(data, scenario, _formulaic | _hostile)
    loaded, problems = read_translation(_write(folder, entries))
    assert loaded is not None, problems
    exported = export_csv(scenario, loaded)
    assert import_csv(scenario, "fr", exported, "x.csv") == render_translation("mini", "fr", entries)


def test_csv_cells_never_start_a_formula(folder):
    import csv as csv_module
    import io

    from simulator.translation_csv import export_csv

    scenario = load_scenario(folder / "mini.yaml")
    entries = [(sid, fp, "=HYPERLINK(\"x\")" if i % 2 else "-1+2") for i, (sid, fp, _) in enumerate(_full(scenario))]
    loaded, _ = read_translation(_write(folder, entries))
    rows = list(csv_module.reader(io.StringIO(export_csv(scenario, loaded))))
    assert rows[0] == ["id", "stale", "translated_from", "note", "english", "translation"]
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@")), row


def test_csv_import_errors_name_the_line(folder):
    from simulator.translation_csv import export_csv, import_csv

    scenario = load_scenario(folder / "mini.yaml")
    good = export_csv(scenario, None)
    with pytest.raises(TranslationImportError) as info:
        import_csv(scenario, "fr", "a,b\n", "x.csv")
    assert info.value.line == 1
    lines = good.split("\r\n")
    lines[3] = lines[3].replace(lines[3].split(",")[0], "nodes.nowhere.prompt", 1)
    with pytest.raises(TranslationImportError) as info:
        import_csv(scenario, "fr", "\r\n".join(lines), "x.csv")
    assert info.value.line == 4 and "nodes.nowhere.prompt" in info.value.message


def test_translate_cli_csv_round_trip(folder, tmp_path, capsys):
    scenario_file = str(folder / "mini.yaml")
    sheet = tmp_path / "mini.fr.csv"
    assert main(["translate", scenario_file, "--lang", "fr", "--export", str(sheet)]) == 0
    raw = sheet.read_bytes()
    assert raw.startswith("\ufeff".encode("utf-8"))
    text = raw.decode("utf-8-sig").replace("Mini engine fixture,", "Mini engine fixture,=Banc d'essai", 1)
    sheet.write_text(text, encoding="utf-8")
    assert main(["translate", scenario_file, "--import", str(sheet)]) == 0
    assert localized(load_scenario(folder / "mini.yaml"), "fr").title == "=Banc d'essai"


def test_an_unparsable_file_in_a_translations_folder_is_linted_as_a_translation(folder, rubric):
    path = translation_path(folder, "fr", "mini")
    path.parent.mkdir(parents=True)
    path.write_text("translates: mini\nstrings: [\n", encoding="utf-8")
    assert [d.code for d in lint_file(path, rubric).problems] == ["SC505"]
    elsewhere = folder / "draft.yaml"
    elsewhere.write_text("translates: mini\nstrings: [\n", encoding="utf-8")
    assert [d.code for d in lint_file(elsewhere, rubric).problems] == ["SC001"]

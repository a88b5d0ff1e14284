"""rtw-train's command line in every language: no string escapes the catalogue, French reads as French,
English is byte for byte what it was.

The pseudo-locale check strips every ``⟦…⟧`` (a catalogue message) and every token listed below as data
(option names, subcommands, ids, codes, paths, numbers, the scenario's own texts), then asserts that no
word of three letters or more is left: a sentence added without ``_()`` fails it.
"""

from __future__ import annotations

import hashlib
import re
from argparse import Namespace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import simulator.cli as cli
from auditor import i18n
from auditor.localized_argparse import translate_argparse_error
from simulator.loader import load_rubric, load_scenario
from simulator.records import ChoiceRecord, ScoreRecord, TrainingRecords
from simulator.reports import cli_history

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "simulator" / "data"
NBSP = "\u00a0"

SUBCOMMANDS = ("lint", "play", "graph", "schema", "history", "export", "translate", "room")

# Data, never translated: option names and values, the program and its subcommands, environment variables,
# file patterns, format names, codes (SC…), ids in quotes or backquotes, paths, numbers.
DATA_TOKENS = [
    r"(?:[\w.-]*/)+[\w.#-]*(?::\d+)*",     # paths, with :line:col (first: a path may hold a subcommand's name)
    r"\brtw-train\b",
    r"(?<![\w-])--?[a-z][\w-]*",            # --lang, -o, -h
    r"\{[\w,.-]+\}",                       # {en,fr}, {text,json}
    r"\b(" + "|".join(SUBCOMMANDS) + r")\b",
    r"\b(URL|ID|N)\b", r"N,N,\.\.\.",
    r"(?<=SC\d{3} )[\w.\[\]#-]+:",           # the YAML place a schema problem is at: nodes.a.choices[0]:
    r"\bSC\d{3}\b",
    r"'[^'\n]*'", r"`[^`\n]*`",
    r"\b\w+\.ya?ml\b",
]


def _without_pseudo(text: str) -> str:
    """``text`` with every catalogue message removed (they may nest: a message inside another's field)."""
    while True:
        stripped = re.sub(r"⟦[^⟦⟧]*⟧", " ", text)
        if stripped == text:
            return text
        text = stripped


def leaks(text: str, extra: tuple[str, ...] = ()) -> list[str]:
    """The words (3+ letters) left once catalogue messages, ``extra`` literal texts and data are removed."""
    text = _without_pseudo(text)
    for literal in sorted(extra, key=len, reverse=True):
        text = text.replace(literal, " ")
    for pattern in DATA_TOKENS:
        text = re.sub(pattern, " ", text)
    return re.findall(r"[^\W\d_]{3,}", text)


def run(monkeypatch, capsys, language: str, argv: list[str]) -> tuple[int, str, str]:
    """``rtw-train argv`` in ``language`` (the pseudo-locale too, which ``--lang`` does not offer)."""
    monkeypatch.setattr(cli, "_interface_language", lambda _argv: language)
    try:
        status = cli.main(argv)
    except SystemExit as exit_:  # --help and argparse's own errors
        status = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture(autouse=True)
def _english_afterwards():
    yield
    i18n.set_language("en")


def _scenario_texts(path: Path) -> tuple[str, ...]:
    """Every text of a scenario file (data for the leak check: the scenario's words are not the catalogue's)."""
    found: list[str] = []

    def walk(value) -> None:
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, (list, tuple)):
            for item in value:
                walk(item)

    scenario = load_scenario(path)
    walk(scenario.model_dump())
    walk(list(scenario.nodes))
    walk(sorted(load_rubric().code_ids()))
    return tuple(t for t in found if t)


# --- the pseudo-locale: nothing escapes the catalogue -----------------------------------------------

@pytest.mark.parametrize("command", [None, *SUBCOMMANDS])
def test_help_of_every_subcommand_is_in_the_catalogue(monkeypatch, capsys, command):
    argv = ["--help"] if command is None else [command, "--help"]
    status, out, _err = run(monkeypatch, capsys, i18n.PSEUDO, argv)
    assert status == 0
    assert "⟦" in out
    assert leaks(out) == [], out


@pytest.mark.parametrize("argv", [["--bogus"], ["play"], ["play", "x", "--format", "yaml"], ["lint", "--max-states", "0"],
                                  ["nosuch"], ["translate", "x"]])
def test_usage_errors_are_in_the_catalogue(monkeypatch, capsys, argv):
    status, _out, err = run(monkeypatch, capsys, i18n.PSEUDO, argv)
    assert status == 2
    assert leaks(err) == [], err


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_play_to_its_debrief_is_in_the_catalogue(monkeypatch, capsys, seed):
    scenario = DATA / "mini.yaml"
    status, out, err = run(monkeypatch, capsys, i18n.PSEUDO, ["play", str(scenario), "--random", str(seed)])
    assert status == 0
    assert leaks(out + err, _scenario_texts(scenario)) == [], out


def test_play_stopped_and_refused_choices_are_in_the_catalogue(monkeypatch, capsys):
    scenario = DATA / "mini.yaml"
    texts = _scenario_texts(scenario)
    status, out, err = run(monkeypatch, capsys, i18n.PSEUDO, ["play", str(scenario), "--choices", "1"])
    assert status == 3
    assert leaks(out + err, texts) == [], out + err
    status, out, err = run(monkeypatch, capsys, i18n.PSEUDO, ["play", str(scenario), "--choices", "1,9"])
    assert status == 2
    assert leaks(err, texts) == [], err


# PyYAML's and pydantic's own explanations are quoted inside a
# catalogue message, in English: these fixtures show only such details, the rest of the lint output is checked.
THIRD_PARTY_DETAILS = {"bad-yaml.yaml", "schema.yaml", "translation-malformed.yaml"}


def test_lint_output_on_every_fixture_is_in_the_catalogue(monkeypatch, capsys):
    files = sorted(p for p in (DATA / "lint").glob("*.yaml") if p.name not in THIRD_PARTY_DETAILS)
    status, out, _err = run(monkeypatch, capsys, i18n.PSEUDO, ["lint", *map(str, files)])
    assert status == 1
    assert out.count("\n") > 50  # the fixtures' problems were reported
    assert leaks(out) == [], [line for line in out.splitlines() if leaks(line)][:5]


def _records(path: Path) -> None:
    state = {"format": 1, "scenario_id": "practice-call", "node_id": "open", "turns": []}
    ticks = iter(range(1000))
    with TrainingRecords.open(path, now=lambda: f"2025-03-01T09:30:{next(ticks) % 60:02d}+00:00") as store:
        attempt = store.start_attempt("Sam", "practice-call", "1.0", state, coached=True)
        store.save_choice(attempt, state, ChoiceRecord(1, "open", 2, ("open_question",)), coached=True)
        store.finish_attempt(attempt, {**state, "finished": True}, "good_end",
                             ScoreRecord(72.0, 0, {"let_worker_lead": 80.0}, {}, {}))
        store.start_attempt("Kim", "practice-call", "1.0", state, coached=False, retry_of=attempt)


def test_history_is_in_the_catalogue(tmp_path, capsys):
    db = tmp_path / "records.sqlite"
    _records(db)
    i18n.set_language(i18n.PSEUDO)
    assert cli_history(Namespace(db=str(db), scenarios=str(tmp_path))) == 0
    out = capsys.readouterr().out
    assert leaks(out, ("Sam", "Kim", "practice-call")) == [], out
    assert cli_history(Namespace(db=str(tmp_path / "none.sqlite"))) == 0
    assert leaks(capsys.readouterr().out) == []


# Graphviz's own words in a DOT file: syntax, not text for the reader.
DOT_SYNTAX = r"\b(digraph|scenario|graph|node|edge|subgraph|cluster_legend|legend_\w+|label|labelloc|fontname|Helvetica|" \
             r"fontsize|shape|box|diamond|style|rounded|filled|fillcolor|color|fontcolor|penwidth|dashed|n\d+)\b"


def test_graph_legend_and_labels_are_in_the_catalogue(monkeypatch, capsys):
    scenario = DATA / "conditional.yaml"
    status, out, _err = run(monkeypatch, capsys, i18n.PSEUDO, ["graph", str(scenario), "--format", "dot"])
    assert status == 0 and "⟦" in out
    text = re.sub(DOT_SYNTAX + r"|#[0-9a-f]{6}", " ", _without_pseudo(out))
    assert leaks(text, _scenario_texts(scenario)) == [], out


def test_export_messages_are_in_the_catalogue(tmp_path, capsys):
    from simulator.lms_export import cli_export_lms
    from simulator.reports import cli_export

    db = tmp_path / "records.sqlite"
    _records(db)
    i18n.set_language(i18n.PSEUDO)
    assert cli_export(Namespace(db=str(db), csv=str(tmp_path / "group.csv"))) == 0
    assert cli_export(Namespace(db=str(db), csv=str(tmp_path / "no" / "group.csv"))) == 2
    assert cli_export_lms(Namespace(db=str(db), xapi=str(tmp_path / "x.json"), lrs=None)) == 0
    assert cli_export_lms(Namespace(db=str(db), xapi=None, lrs="ftp://lrs.example")) == 2
    err = capsys.readouterr().err
    assert err.count("⟦") >= 4
    assert leaks(err) == [], err


def test_the_leak_check_can_fail():
    """The check is not vacuous: an English sentence outside the catalogue is caught, data is not."""
    assert leaks("⟦Fîñdîñg⟧ a stray sentence") == ["stray", "sentence"]
    assert leaks("scenarios/x.yaml:3:1: SC206 ⟦öptîöñ 1 öf 'greet'⟧ --strict {text,json}") == []


# --- French reads as French ---------------------------------------------------------------------

def test_french_help_and_errors(monkeypatch, capsys):
    _status, out, _err = run(monkeypatch, capsys, "fr", ["--help"])
    assert out.startswith(f"utilisation{NBSP}: rtw-train")
    assert f"options{NBSP}:" in out and "afficher cette aide et quitter" in out
    assert f"codes de sortie{NBSP}:" in out
    assert all(len(line) <= 79 for line in out.splitlines()), "the help fits 80 columns"
    status, _out, err = run(monkeypatch, capsys, "fr", ["play", "x", "--format", "yaml"])
    assert status == 2
    assert f"rtw-train play{NBSP}: erreur{NBSP}: argument --format{NBSP}: choix invalide{NBSP}: 'yaml'" in err


def test_french_debrief_uses_the_rubric_catalogue_and_locale_formats(monkeypatch, capsys):
    status, out, _err = run(monkeypatch, capsys, "fr", ["play", str(DATA / "mini.yaml"), "--random", "1"])
    assert status == 0
    assert f"Pointage global{NBSP}: 100/100" in out
    assert "Laisser l'autre personne mener (atteint, seuil 70)" in out
    assert f"Part des questions ouvertes{NBSP}: 100{NBSP}% (bon; passable ≥50{NBSP}% · bon ≥70{NBSP}%)" in out
    assert f"Ratio reflets/questions{NBSP}: 0,0 (sous «{NBSP}passable{NBSP}»" in out
    assert f"Aucune réponse nuisible — cible{NBSP}: aucune" in out
    assert "vous jouez" in out and "supérieur immédiat" in out


def test_french_lint_and_history(monkeypatch, capsys, tmp_path):
    _status, out, _err = run(monkeypatch, capsys, "fr", ["lint", str(DATA / "lint" / "pedagogy.yaml")])
    assert "n'a aucune rétroaction" in out or "n'a aucun code de comportement" in out
    assert "problème(s) trouvé(s)" in out
    db = tmp_path / "records.sqlite"
    _records(db)
    i18n.set_language("fr")
    assert cli_history(Namespace(db=str(db))) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["no", "participant", "scénario", "langue", "début", "mode", "grille", "pointage"]
    assert "2025-03-01 09 h 30" in lines[2] and "coach" in lines[2]
    assert "libre, reprise #1" in lines[3] and "ouvert (0)" in lines[3]
    assert all(len(line) <= 100 for line in lines)


def test_translate_keeps_its_own_lang_for_the_translation():
    """``translate … --lang fr`` names the translation's language; the interface follows the locale."""
    assert cli._interface_language(["translate", "x", "--lang", "fr", "--export", "-"]) in ("en", "fr")
    assert cli._interface_language(["--lang", "fr", "translate", "x"]) == "fr"
    assert cli._interface_language(["--lang", "fr", "play", "x"]) == "fr"
    assert cli._interface_language(["play", "x", "--lang=fr"]) == "fr"


# --- argparse's own messages --------------------------------------------------------------------

@settings(max_examples=100)
@given(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=30),
       st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=30))
def test_argparse_errors_keep_their_values_in_every_language(value, choices):
    english = f"argument --format: invalid choice: {value!r} (choose from {choices})"
    i18n.set_language("en")
    assert translate_argparse_error(english) == english
    i18n.set_language("fr")
    french = translate_argparse_error(english)
    assert french.startswith(f"argument --format{NBSP}: choix invalide{NBSP}: ")
    assert repr(value) in french and choices in french


def test_an_unknown_argparse_message_is_shown_as_argparse_wrote_it():
    i18n.set_language("fr")
    assert translate_argparse_error("some future argparse message") == "some future argparse message"


# --- English is exactly what it was -------------------------------------------------------------
# sha256 of stdout + "\n--stderr--\n" + stderr (the repository's path written <ROOT>/), recorded before the
# interface was translated. Why fixtures and not the packaged scenarios: their content may change.
_LINT_FILES = sorted(p for p in (DATA / "lint").glob("*.yaml") if not p.name.startswith("translation-"))
ENGLISH_DIGESTS = [
    (["play", str(DATA / "mini.yaml"), "--random", "1"], 0,
     "3e546efafbf06f4ddb7b48e9a4d0d962d8740530239c7056da9ffc7692cabc43"),
    (["play", str(DATA / "marked.yaml"), "--random", "2"], 0,
     "c30ea18c16ffe1dd03151db5aa3638f7ff4b9391e17891d1fc6c5d8dfc231328"),
    (["play", str(DATA / "mini.yaml"), "--choices", "1,9"], 2,
     "78768e8f16ddff0b690ad54492802448db3b03b39064a5052af5f13577215f34"),
    (["lint", *map(str, _LINT_FILES)], 1,
     "45e6fb0975a08ba2bee48f8ae022d85d7a9a009f588e4101d3b57ec342382d9c"),
    (["graph", str(DATA / "conditional.yaml")], 0,
     "4a932ff7bf43ff8e5fc972bb991a53d4f803ee8e83d478cb390421f422fb8377"),
    (["graph", str(DATA / "conditional.yaml"), "--format", "dot"], 0,
     "1a8d897cc42c89b5763f768e62d3be772b2d05d4a042c7895a4647b65f442630"),
]


@pytest.mark.parametrize(("argv", "expected_status", "digest"), ENGLISH_DIGESTS,
                         ids=["play-1", "play-2", "refused", "lint", "mermaid", "dot"])
def test_english_output_is_unchanged(monkeypatch, capsys, argv, expected_status, digest):
    status, out, err = run(monkeypatch, capsys, "en", argv)
    text = (out + "\n--stderr--\n" + err).replace(str(ROOT) + "/", "<ROOT>/")
    assert status == expected_status
    assert hashlib.sha256(text.encode()).hexdigest() == digest, text[:2000]

"""``rtw-audit report`` in French and under the pseudo-locale: HTML (its charts too) and Markdown, for the
committee and the coordinator; JSON and CSV stay English.

The leak check strips the markup, every ``⟦…⟧`` and the data (rule codes, case ids, period keys, numbers)
and asserts that no word of three letters or more is left: a sentence added without ``_()`` fails it.
"""

from __future__ import annotations

import io
import json
import re
from datetime import date
from html import unescape

import pytest

from auditor import cli, i18n
from auditor.engine import audit_case
from auditor.reading import read_case_text
from auditor.report.aggregate import Aggregate
from auditor.report.html import write_html
from auditor.report.markdown import write_markdown
from auditor.report.model import build_report
from auditor.report.rounding import Rounder
from auditor.rubric import load_rubric
from benchmarks.generate import iter_cases

TODAY = date(2026, 7, 15)
KEY = b"a committee key for the language tests only"


@pytest.fixture(autouse=True)
def _english_afterwards():
    yield
    i18n.set_language("en")


@pytest.fixture(scope="module")
def cases() -> list[dict]:
    return list(iter_cases(120, seed=5))


@pytest.fixture(scope="module")
def audits(cases):
    rubric = load_rubric()
    return rubric, [audit_case(read_case_text(json.dumps(c).encode(), f"{c['case']}.json", "json"), rubric) for c in cases]


def _report(audits, language: str, audience: str):
    rubric, done = audits
    i18n.set_language(language)
    agg = Aggregate(rubric, by="quarter", keep_cases=audience == "coordinator")
    for a in done:
        agg.add(a)
    return build_report(agg, audience=audience, rounder=Rounder(KEY), threshold=10, minimum_caseload=10, today=TODAY)


def _render(report, fmt: str) -> str:
    out = io.StringIO()
    (write_html if fmt == "html" else write_markdown)(report, out)
    return out.getvalue()


def _plain_text(html: str) -> str:
    html = re.sub(r"<style>.*?</style>", " ", html, flags=re.S)
    html = re.sub(r"<title>.*?</title>", " ", html, flags=re.S)  # the title is the report's heading, checked there
    return unescape(re.sub(r"<[^>]*>", " ", html))


def _strip_pseudo(text: str) -> str:
    previous = None
    while previous != text:
        previous, text = text, re.sub(r"⟦[^⟦⟧]*⟧", " ", text)
    return text


DATA = (
    r"\bRTW\d{3}\b",                 # rule codes
    r"\bC-\d+\b",                    # the generated case ids (coordinator audience)
    r"\b\d{4}-(?:Q|H)\d\b",          # period keys
    r"\bn\b",                        # "n = 12" beside a count (the letter, as statisticians write it)
)


def _leftover_words(text: str) -> list[str]:
    text = _strip_pseudo(text)
    for pattern in DATA:
        text = re.sub(pattern, " ", text)
    return re.findall(r"[A-Za-z]{3,}", text)


@pytest.mark.parametrize("audience", ["committee", "coordinator"])
@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_report_under_the_pseudo_locale_shows_no_plain_english(audits, audience, fmt):
    text = _render(_report(audits, i18n.PSEUDO, audience), fmt)
    if fmt == "html":
        text = _plain_text(text)
    assert "⟦" in text
    assert _leftover_words(text) == []


def test_the_report_leak_check_catches_a_plain_sentence():
    assert _leftover_words(_plain_text("<p>⟦Çåsés⟧ RTW405 2026-Q1 n = 4 <b>Not translated</b></p>")) == [
        "Not", "translated"]


def test_french_html_report_reads_as_french(audits):
    html = _render(_report(audits, "fr", "committee"), "html")
    assert html.startswith('<!DOCTYPE html>\n<html lang="fr">')
    for phrase in ("<h1>Rapport de fidélité de la démarche de retour au travail</h1>",
                   "Produit pour le comité de mise en œuvre", "Comment lire ce rapport", "Là où la démarche flanche",
                   "Recommandations", "Étape 3 — Accompagner le travailleur dans son rétablissement",
                   "Date du rapport</dt><dd>juillet 2026</dd>"):
        assert phrase in html, phrase
    assert re.search(r"Regroupement</dt><dd>(mois|trimestre|semestre|année)</dd>", html)
    assert re.search(r"\d+\u00a0%", html)  # a percentage as French writes it
    assert not re.search(r"\d%", _plain_text(html).replace("100% −", ""))


def test_french_coordinator_report_dates_and_states(audits):
    md = _render(_report(audits, "fr", "coordinator"), "markdown")
    assert md.startswith("# Rapport de fidélité de la démarche de retour au travail\n")
    assert "- Date du rapport\u00a0: 15 juillet 2026" in md
    assert re.search(r"\| (fermé|ouvert), (retour au travail|refus|retrait|autre) \|", md)


def test_english_report_keeps_its_words(audits):
    html = _render(_report(audits, "en", "committee"), "html")
    assert html.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert "Report made</dt><dd>2026-07</dd>" in html
    assert re.search(r"Grouped by</dt><dd>(month|quarter|half|year)</dd>", html)


def test_report_cli_in_french_keeps_json_english(tmp_path, cases, capsys):
    logs = tmp_path / "logs"
    logs.mkdir()
    for case in cases:
        (logs / f"{case['case']}.json").write_text(json.dumps(case), encoding="utf-8")
    base = ["report", str(logs), "--audience", "coordinator"]
    assert cli.main([*base, "--format", "json", "--lang", "fr"]) == 0
    french_json = capsys.readouterr().out
    assert cli.main([*base, "--format", "json", "--lang", "en"]) == 0
    assert capsys.readouterr().out == french_json  # the same document, in English, whatever the language
    assert cli.main([*base, "--format", "csv", "--lang", "fr"]) == 0
    assert "é" not in capsys.readouterr().out
    assert cli.main([*base, "--lang", "fr"]) == 0
    assert '<html lang="fr">' in capsys.readouterr().out
    assert i18n.current_language() == "fr"  # the run's language is back once the English formats are written


def test_report_cli_messages_in_french(tmp_path, capsys):
    status = cli.main(["report", str(tmp_path), "--lang", "fr"])
    assert status == 2
    err = capsys.readouterr().err
    assert err.startswith("rtw-audit\u00a0: erreur\u00a0: aucun paramètre du comité trouvé")
    status = cli.main(["report", str(tmp_path), "--audience", "coordinator", "--from", "2026-05", "--to", "2026-01",
                       "--lang", "fr"])
    assert status == 2
    assert "--from 2026-05-01 est postérieur à --to 2026-01-31" in capsys.readouterr().err

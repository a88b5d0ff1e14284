"""Which language to play in, and a scenario in that language (falling back to English text by text).

Why separate from the engine: the engine plays whatever Scenario it is given; the language only changes
the texts, so a translated copy (``simulator.translation.translated_copy``) is all it needs. Missing or
stale entries fall back to the English: the English is the reference, and a stale translation may no
longer say what the scenario now says (lint reports both, and CI fails on them).
"""

from __future__ import annotations

from pathlib import Path
from typing import Mapping

from .errors import ScenarioError
from .scenario import Scenario
from .translation import source_strings, translated_copy
from .translation_file import LANGUAGES, fingerprint, read_translation, translation_path

__all__ = ["localized", "current_texts", "localize_catalog"]


def current_texts(scenario: Scenario, entries: Mapping[str, tuple[str, str]]) -> dict[str, str]:
    """``{id: translated text}`` for the entries (id -> (fingerprint, text)) that match today's English."""
    out: dict[str, str] = {}
    for item in source_strings(scenario):
        entry = entries.get(item.id)
        if entry is not None and entry[0] == fingerprint(item.text):
            out[item.id] = entry[1]
    return out


def localized(scenario: Scenario, language: str, folder: str | Path | None = None) -> Scenario:
    """``scenario`` in ``language``: the scenario itself for English or when no translation file exists.

    ``folder`` is the scenario folder holding ``translations/`` (default: the scenario file's folder).
    Raises :class:`ScenarioError` (with the translation file's line) if the file exists but is malformed
    or translates another scenario."""
    if language == "en" or language not in LANGUAGES:
        return scenario
    if folder is None:
        if scenario.path is None:
            return scenario
        folder = Path(scenario.path).parent
    path = translation_path(folder, language, scenario.id)
    if not path.is_file():
        return scenario
    loaded, problems = read_translation(path)
    if loaded is None:
        first = problems[0]
        raise ScenarioError(first.file, first.line, first.message, first.column, first.code)
    if loaded.data.translates != scenario.id:
        line, col = loaded.line_of("translates")
        raise ScenarioError(path, line, f"this file translates {loaded.data.translates!r}, not {scenario.id!r}",
                            col, "SC504")
    entries = {sid: (e.source, e.text) for sid, e in loaded.data.strings.items()}
    return translated_copy(scenario, current_texts(scenario, entries))


def localize_catalog(catalog, language: str) -> None:
    """Replace each scenario of the app's catalog by its copy in ``language``, in place.

    A translation file that cannot be used leaves its scenario in English and adds a problem for the app
    to show (never an exception: one bad translation must not hide the other scenarios)."""
    from .i18n import _
    from .training import Problem

    for scenario_id, scenario in list(catalog.scenarios.items()):
        try:
            catalog.scenarios[scenario_id] = localized(scenario, language)
        except ScenarioError as exc:
            catalog.problems.append(Problem(
                _("A translation file has a problem"),
                _("{file}, line {line}: {problem}.\n\nThis scenario is shown "
                  "in English. `rtw-train lint` lists every problem of the translation files.").format(
                    file=Path(exc.file).name, line=exc.line, problem=exc.message.rstrip(".")),
            ))

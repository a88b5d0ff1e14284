"""Lint of a translation file (SC501-SC505) and the French/English citation check shared with SC404.

Why its own module: ``simulator.lint`` only needs one call (``lint_translation``) when it meets a file
with a ``translates`` key; everything about string tables stays here.

- SC501 *warning* missing: a string id of the scenario has no entry (the English is shown instead).
- SC502 *warning* stale: the English changed since the entry was translated (fingerprint differs).
- SC503 unknown id: an entry for a text the scenario does not have (renamed node or choice?).
- SC504 the file translates a scenario that cannot be found.
- SC505 the file is malformed (YAML, fields, fingerprint syntax), or a translated citation does not
  cite the guides in either language.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Optional

from .diagnostics import Diagnostic
from .errors import ScenarioError
from .i18n import _
from .loader import did_you_mean, load_scenario, scenario_files
from .paths import scenarios_dir
from .scenario import Scenario
from .translation import DuplicateStringId, source_strings
from .translation_file import LoadedTranslation, fingerprint, read_translation

__all__ = ["TRANSLATION_CODES", "TRANSLATION_WARNINGS", "GUIDE_SOURCE", "cites_guides", "lint_translation",
           "find_scenario_for"]

TRANSLATION_CODES = {
    "SC501": "missing translation: a text of the scenario has no entry",
    "SC502": "stale translation: the English changed since it was translated",
    "SC503": "translation of a text the scenario does not have",
    "SC504": "translation of an unknown scenario",
    "SC505": "malformed translation file",
}
TRANSLATION_WARNINGS = {"SC501", "SC502"}

# Citations of the guides in English or in French (the French edition's names for the same guides).
GUIDE_SOURCE = re.compile(
    r"\b(IRSST guide|ISSA guidelines?)\b|Guide de l['’]IRSST|\bAISS,? lignes? directrices?\b",
    re.IGNORECASE,
)


def cites_guides(source: str) -> bool:
    """True when a ``source`` names one of the two guides, in English or in French."""
    return GUIDE_SOURCE.search(source) is not None


def find_scenario_for(scenario_id: str, translation_file: str | Path) -> Optional[Scenario]:
    """The scenario a translation file translates: looked up in the scenario folder the file belongs to
    (``<folder>/translations/<lang>/<id>.yaml``), then among the packaged scenarios. None if not found
    or unusable (a broken scenario is reported when lint reads the scenario file itself)."""
    here = Path(translation_file).resolve().parent
    folders = [here.parent.parent, scenarios_dir()] if here.parent.name == "translations" else [scenarios_dir()]
    for folder in folders:
        if not folder.is_dir():
            continue
        candidates = scenario_files(folder)
        candidates.sort(key=lambda p: p.stem != scenario_id)  # the file named after the id first
        for path in candidates:
            try:
                scenario = load_scenario(path)
            except ScenarioError:
                continue
            if scenario.id == scenario_id:
                return scenario
    return None


def lint_translation(path: str | Path, scenario: Optional[Scenario] = None) -> tuple[Optional[LoadedTranslation], list[Diagnostic]]:
    """Every problem of one translation file. ``scenario`` defaults to :func:`find_scenario_for`."""
    file = str(path)
    loaded, problems = read_translation(path)
    if loaded is None:
        return None, problems
    data = loaded.data
    if scenario is None:
        scenario = find_scenario_for(data.translates, path)
    if scenario is None or scenario.id != data.translates:
        line, col = loaded.line_of("translates")
        return loaded, [Diagnostic(file, line, col, "SC504",
                                   _("translates {id!r}, but no scenario has this id").format(id=data.translates))]
    try:
        strings = source_strings(scenario)
    except DuplicateStringId as exc:
        line, col = loaded.line_of("translates")
        return loaded, [Diagnostic(file, line, col, "SC504", str(exc))]
    out: list[Diagnostic] = []
    english = {s.id: s.text for s in strings}
    where = scenario.path or scenario.id
    for item in strings:
        entry = data.strings.get(item.id)
        if entry is None:
            line, col = loaded.line_of("strings")
            eline, _col = scenario.position(*item.loc)
            out.append(Diagnostic(file, line, col, "SC501",
                                  _("missing translation of {id!r} ({file}:{line})").format(
                                      id=item.id, file=where, line=eline), "warning"))
        elif entry.source != fingerprint(item.text):
            line, col = loaded.line_of("strings", item.id)
            eline, _col = scenario.position(*item.loc)
            out.append(Diagnostic(file, line, col, "SC502",
                                  _("stale translation of {id!r}: the English changed since it was translated "
                                    "(fingerprint {old}, now {new}; {file}:{line})").format(
                                      id=item.id, old=entry.source, new=fingerprint(item.text), file=where, line=eline),
                                  "warning"))
    for sid, entry in data.strings.items():
        line, col = loaded.line_of("strings", sid)
        if sid not in english:
            out.append(Diagnostic(file, line, col, "SC503",
                                  _("{id!r} is not a text of scenario {scenario!r}{hint}").format(
                                      id=sid, scenario=scenario.id, hint=did_you_mean(sid, english))))
        elif sid.endswith(".source") and not cites_guides(entry.text):
            out.append(Diagnostic(file, line, col, "SC505",
                                  _("{id!r}: the translated source does not cite the guides "
                                    "(\"Guide de l'IRSST, étape N\" or \"AISS, ligne directrice N\")").format(id=sid)))
    return loaded, sorted(out, key=lambda d: (d.line, d.column, d.code, d.message))


def is_translation_file(path: str | Path) -> bool:
    """True when ``path`` lies in a ``translations/<lang>/`` folder, or is a YAML mapping with a
    ``translates`` key. Why both: a translation file broken beyond parsing is still reported as one
    (SC505) when it sits where translations live; elsewhere an unparsable file is the scenario lint's."""
    from .translation_file import is_translation_data
    from .yamlsource import YamlProblem, load_with_positions

    if Path(path).parent.parent.name == "translations":
        return True
    try:
        text = Path(path).read_text(encoding="utf-8")
        data, _positions = load_with_positions(text)
    except (OSError, UnicodeDecodeError, YamlProblem):
        return False
    return is_translation_data(data)

"""Translation files (``scenarios/translations/<lang>/<scenario-id>.yaml``): read, validate, write.

Why a string table rather than a translated copy of the scenario: the branching, codes and effects stay in
one file, and each entry records a fingerprint of the English text it was translated from, so lint can
say which entries are missing and which went stale when the English changed (as Yarn Spinner's string
tables do). The file is read with the project's strict YAML reader so every problem has a line.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Optional

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, field_validator

from auditor.i18n import LANGUAGES as I18N_LANGUAGES

from .diagnostics import Diagnostic
from .i18n import _
from .loader import _validation_diagnostics
from .yamlsource import Positions, YamlProblem, load_with_positions, position_of

__all__ = [
    "TRANSLATION_KEY",
    "LANGUAGES",
    "Entry",
    "TranslationFile",
    "LoadedTranslation",
    "fingerprint",
    "is_translation_data",
    "read_translation",
    "render_translation",
    "write_translation",
    "translation_path",
]

# The top-level key that marks a YAML file as a translation (lint recognises translation files by it).
TRANSLATION_KEY = "translates"
# Languages the toolkit ships content in (the interface's, one list for both): English is the source.
LANGUAGES = I18N_LANGUAGES

Fingerprint = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{8}$")]
LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")]
ScenarioId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=80)]


def fingerprint(text: str) -> str:
    """First 8 hex digits of the SHA-256 of the (stripped, UTF-8) English text."""
    return hashlib.sha256(text.strip().encode("utf-8")).hexdigest()[:8]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Entry(_Model):
    """One translated text and the fingerprint of the English it was translated from."""

    source: Fingerprint = Field(description="fingerprint of the English text when it was translated")
    text: Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]

    @field_validator("source", mode="before")
    @classmethod
    def _quoted(cls, value: object) -> object:
        # YAML reads 12345678 or 1e345678 as a number (and 01234567 as octal): the digits are lost.
        if not isinstance(value, str):
            raise ValueError(_("a fingerprint is 8 hexadecimal digits in quotes when YAML could read it as a "
                               'number, e.g. "01234567"'))
        return value


class TranslationFile(_Model):
    translates: ScenarioId = Field(description="id of the scenario this file translates")
    language: LanguageCode
    strings: dict[str, Entry] = Field(default_factory=dict)


@dataclass
class LoadedTranslation:
    file: str
    data: TranslationFile
    positions: Positions

    def line_of(self, *loc: object) -> tuple[int, int]:
        return position_of(self.positions, tuple(loc))


def is_translation_data(data: object) -> bool:
    """A parsed YAML document is a translation file when it is a mapping with a ``translates`` key."""
    return isinstance(data, dict) and TRANSLATION_KEY in data


def read_translation(path: str | Path) -> tuple[Optional[LoadedTranslation], list[Diagnostic]]:
    """Parse and validate one translation file; problems are SC505 with the file's line and column."""
    file = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
        return None, [Diagnostic(file, 1, 1, "SC505", _("cannot read translation file: {reason}").format(reason=reason))]
    try:
        data, positions = load_with_positions(text)
    except YamlProblem as exc:
        return None, [Diagnostic(file, exc.line, exc.column, "SC505", exc.message)]
    if not isinstance(data, dict):
        return None, [Diagnostic(file, 1, 1, "SC505", _("a translation file must be a mapping with "
                                                         "'translates', 'language' and 'strings'"))]
    try:
        model = TranslationFile.model_validate(data)
    except ValidationError as exc:
        diags = _validation_diagnostics(file, exc, positions, TranslationFile)
        return None, [Diagnostic(d.file, d.line, d.column, "SC505", d.message) for d in diags]
    return LoadedTranslation(file, model, positions), []


def translation_path(scenarios_folder: str | Path, language: str, scenario_id: str) -> Path:
    """Where the translation of a scenario lives, next to the scenarios it translates."""
    return Path(scenarios_folder) / "translations" / language / f"{scenario_id}.yaml"


def _scalar(value: str) -> str:
    """``value`` as a double-quoted YAML scalar on one line (quotes, backslashes, newlines escaped)."""
    dumped = yaml.safe_dump(value, default_style='"', allow_unicode=True, width=2**31 - 1)
    return dumped.rstrip("\n").removesuffix("\n...").rstrip("\n")


def _fingerprint(value: str) -> str:
    """A fingerprint as YAML: bare when YAML reads it back as this string, quoted otherwise (12345678)."""
    return value if yaml.safe_load(value) == value else f'"{value}"'


def _key(value: str) -> str:
    """A string id as a YAML key: bare when it is plain (letters, digits, '.', '_', '-', '#'), else quoted."""
    if value and value[0].isalpha() and all(c.isalnum() or c in "._-#" for c in value) and yaml.safe_load(value) == value:
        return value
    return _scalar(value)


def render_translation(scenario_id: str, language: str, entries: list[tuple[str, str, str]]) -> str:
    """The text of a translation file: ``entries`` are (string id, fingerprint, text), in scenario order.

    Written by hand rather than ``yaml.dump`` so that each entry stays on one line (a diff shows exactly
    which strings changed) and the file reads like the documented format."""
    out = [
        f"# Translation of scenario {scenario_id!r} ({language}). Edit 'text'; 'source' is the fingerprint of the",
        "# English text it translates (rtw-train lint reports it as stale when the English changes).",
        f"{TRANSLATION_KEY}: {scenario_id}",
        f"language: {language}",
        "strings:" + ("" if entries else " {}"),
    ]
    for sid, source, text in entries:
        out.append(f"  {_key(sid)}: {{source: {_fingerprint(source)}, text: {_scalar(text)}}}")
    return "\n".join(out) + "\n"


def write_translation(path: str | Path, text: str) -> None:
    """Write atomically (a temporary file renamed over the target), creating the language folder."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


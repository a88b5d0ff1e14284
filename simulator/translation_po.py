"""PO export and import of a scenario's translation, for translators' tools (Poedit, Lokalize, Weblate...).

Why PO: it is what translators' tools read, and it carries what they need per entry: a context
(``msgctxt`` = the string id, so the same English sentence in two places stays two entries), the English
(``msgid``), the current translation (``msgstr``), who says the text (an extracted comment ``#.``), and
``#, fuzzy`` on entries whose English changed since they were translated.

Import writes the YAML string table back with fingerprints: an entry the translator left fuzzy keeps its
old fingerprint (so lint still reports it stale); any other translated entry gets the fingerprint of the
English it was exported with (if the English changed since the export, lint reports that too).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, read_po, write_po

from .scenario import Scenario
from .translation import source_strings
from .translation_file import LoadedTranslation, fingerprint, render_translation

__all__ = ["TranslationImportError", "export_po", "import_po"]

_STALE_NOTE = "translated from fingerprint {fp}: the English changed since"
_STALE_RE = re.compile(r"translated from fingerprint ([0-9a-f]{8})")


@dataclass
class TranslationImportError(Exception):
    """A PO file cannot be imported; ``line`` is 1-based in the PO file (0 when unknown)."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}" if self.line else f"{self.file}: {self.message}"


def export_po(scenario: Scenario, language: str, existing: Optional[LoadedTranslation]) -> bytes:
    """The PO file of ``scenario`` for ``language``, with the current translations of ``existing``."""
    catalog = Catalog(locale=language, project=f"rtw-train scenario {scenario.id}", version=scenario.version,
                      fuzzy=False)
    entries = existing.data.strings if existing is not None else {}
    file_name = Path(scenario.path).name if scenario.path else f"{scenario.id}.yaml"
    for item in source_strings(scenario):
        entry = entries.get(item.id)
        comments = [item.note] if item.note else []
        flags: list[str] = []
        if entry is not None and entry.source != fingerprint(item.text):
            flags.append("fuzzy")
            comments.append(_STALE_NOTE.format(fp=entry.source))
        line, _ = scenario.position(*item.loc)
        catalog.add(item.text, entry.text if entry is not None else "", locations=[(file_name, line)],
                    flags=flags, auto_comments=comments, context=item.id)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0)
    return buffer.getvalue()


_PO_LINE = re.compile(r'^(?:(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?"(?:[^"\\]|\\.)*"\s*$')


def _check_syntax(data: bytes, file: str) -> None:
    """Refuse lines Babel's lenient reader would skip in silence (an unterminated string drops its entry,
    and an import would then lose that translation)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise TranslationImportError(file, data[: exc.start].count(b"\n") + 1, "not UTF-8 text") from None
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if not _PO_LINE.match(stripped):
            raise TranslationImportError(file, number, f"not a PO line (a keyword and a quoted string): {stripped[:60]!r}")


def import_po(scenario: Scenario, language: str, data: bytes, file: str) -> str:
    """The translation file text for the PO ``data``. Raises :class:`TranslationImportError`."""
    _check_syntax(data, file)
    try:
        catalog = read_po(io.BytesIO(data), locale=None, abort_invalid=True)
    except PoFileError as exc:
        raise TranslationImportError(file, 0, f"not a valid PO file: {exc}") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise TranslationImportError(file, 0, f"cannot read the PO file: {exc}") from None
    known = {s.id: s for s in source_strings(scenario)}
    found: dict[str, tuple[str, str]] = {}
    for message in catalog:
        if not message.id:  # the header
            continue
        line = message.lineno or 0
        if not isinstance(message.id, str) or not isinstance(message.string, str):
            raise TranslationImportError(file, line, "plural entries have no place in a scenario translation")
        sid = message.context
        if not sid:
            raise TranslationImportError(file, line, "entry without msgctxt (the string id)")
        if sid not in known:
            raise TranslationImportError(file, line, f"msgctxt {sid!r} is not a text of scenario {scenario.id!r}")
        text = message.string.strip()
        if not text:
            continue
        source = fingerprint(message.id)
        if message.fuzzy:
            # Babel wraps long comments over several lines: search them joined.
            found_note = _STALE_RE.search(" ".join(message.auto_comments))
            old = found_note.group(1) if found_note else None
            source = old if old is not None and old != fingerprint(known[sid].text) else _never(known[sid].text)
        found[sid] = (source, text)
    if not any(message.id and message.context in known for message in catalog):
        raise TranslationImportError(file, 0, f"no entry of scenario {scenario.id!r}: is it the PO file of another scenario?")
    entries = [(sid, *found[sid]) for sid in known if sid in found]
    return render_translation(scenario.id, language, entries)


def _never(text: str) -> str:
    """A fingerprint that is not the text's own: a fuzzy entry stays stale whatever its history."""
    current = fingerprint(text)
    return "00000000" if current != "00000000" else "ffffffff"

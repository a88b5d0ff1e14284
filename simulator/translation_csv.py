"""CSV export and import of a scenario's translation, for translators who work in a spreadsheet.

Why CSV next to PO: many trainers and translators have a spreadsheet, not a PO editor. The columns carry
what the PO file carries: the string id, who says it, the English, the current translation, and a
``stale`` column ("yes" when the English changed since the translation; clear it once checked).

Spreadsheets run a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula (CSV injection), so
such cells are written with a leading apostrophe, which spreadsheets show as text. Import removes exactly
that apostrophe: every exported cell that starts with one had it added (cells starting with an
apostrophe are escaped too), so export then import gives back the same texts.
"""

from __future__ import annotations

import csv
import io

from auditor.safe_text import FORMULA_LEADS

from .scenario import Scenario
from .translation import source_strings
from .translation_file import LoadedTranslation, fingerprint, render_translation
from .translation_po import TranslationImportError

__all__ = ["COLUMNS", "export_csv", "import_csv"]

COLUMNS = ["id", "stale", "translated_from", "note", "english", "translation"]
# The formula leads every CSV of the toolkit neutralises, and the apostrophe itself, so import can undo it.
_RISKY = (*FORMULA_LEADS, "'")


def _cell(text: str) -> str:
    return "'" + text if text.startswith(_RISKY) else text


def _uncell(text: str) -> str:
    return text[1:] if text.startswith("'") else text


def export_csv(scenario: Scenario, existing: LoadedTranslation | None) -> str:
    """The CSV text (UTF-8, one row per string, in scenario order) with the current translations."""
    entries = existing.data.strings if existing is not None else {}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # standard CSV; quotes any field holding \r or \n
    writer.writerow(COLUMNS)
    for item in source_strings(scenario):
        entry = entries.get(item.id)
        old_source = entry.source if entry is not None and entry.source != fingerprint(item.text) else ""
        writer.writerow([
            _cell(item.id), "yes" if old_source else "", old_source, _cell(item.note),
            _cell(item.text), _cell(entry.text) if entry is not None else "",
        ])
    return out.getvalue()


def import_csv(scenario: Scenario, language: str, text: str, file: str) -> str:
    """The translation file text for the CSV ``text``. Raises :class:`TranslationImportError` (with the
    CSV line) on a wrong header, an unknown id, a duplicate id or a malformed row."""
    known = {s.id: s for s in source_strings(scenario)}
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader, None)
        if header is None or [h.strip() for h in header] != COLUMNS:
            raise TranslationImportError(file, 1, f"the first row must be the columns {', '.join(COLUMNS)}")
        found: dict[str, tuple[str, str]] = {}
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(COLUMNS):
                raise TranslationImportError(file, line, f"expected {len(COLUMNS)} columns, found {len(row)}")
            sid, stale, old, _note, english, translated = row
            sid = _uncell(sid)
            if sid not in known:
                raise TranslationImportError(file, line, f"{sid!r} is not a text of scenario {scenario.id!r}")
            if sid in found:
                raise TranslationImportError(file, line, f"{sid!r} appears twice")
            translated = _uncell(translated).strip()
            if not translated:
                continue
            current = fingerprint(known[sid].text)
            if stale.strip().lower() in ("yes", "y", "oui", "o", "x", "1", "true"):
                source = old.strip().lower()
                if len(source) != 8 or any(c not in "0123456789abcdef" for c in source) or source == current:
                    source = "00000000" if current != "00000000" else "ffffffff"
            else:
                source = fingerprint(_uncell(english))
            found[sid] = (source, translated)
    except csv.Error as exc:
        raise TranslationImportError(file, reader.line_num, f"not valid CSV: {exc}") from None
    entries = [(sid, *found[sid]) for sid in known if sid in found]
    return render_translation(scenario.id, language, entries)

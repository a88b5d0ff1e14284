"""``rtw-train translate SCENARIO --lang fr --export FILE.po | --import FILE.po``: the translators' round trip.

Why a module apart from ``simulator.cli``: the CLI only registers the subcommand and calls ``run``; the
export/import logic lives in ``simulator.translation_po``. Exit statuses follow the CLI: 0 done,
2 unusable input (with the file and line).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Callable

from .i18n import _
from .translation_file import LANGUAGES, read_translation, translation_path, write_translation

__all__ = ["add_parser", "run"]


def add_parser(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = sub.add_parser(
        "translate", help=_("export or import a scenario's translation (PO or CSV)"),
        description=_("Export a scenario's texts and their current translation to a PO file (or a CSV file, "
                      "for a spreadsheet) for a translator, or import it back into "
                      "scenarios/translations/LANG/ID.yaml. The format follows the file name: .csv is CSV, anything "
                      "else is PO."),
    )
    parser.add_argument("scenario", metavar=_("SCENARIO"), help=_("scenario id or path to a scenario file"))
    parser.add_argument("--lang", choices=[lang for lang in LANGUAGES if lang != "en"], default=argparse.SUPPRESS,
                        help=_("language of the translation (default: fr)"))
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--export", metavar=_("FILE.po"),
                        help=_("write the PO (or .csv) file, atomically; '-' for PO on standard output"))
    action.add_argument("--import", dest="import_", metavar=_("FILE.po"),
                        help=_("read the translated PO (or .csv) file"))
    parser.add_argument("--output", metavar=_("PATH"),
                        help=_("translation file to write on --import (default: translations/LANG/ID.yaml next to "
                               "the scenario)"))


def run(args: argparse.Namespace, find: Callable, usage: Callable[[str], Exception]) -> int:
    """``find(ref)`` loads the scenario (raising ``usage`` errors); ``usage(msg)`` builds the exit-2 error."""
    from .translation_csv import export_csv, import_csv
    from .translation_po import TranslationImportError, export_po, import_po

    scenario = find(args.scenario)
    language = getattr(args, "lang", None) or "fr"
    if language == "en":
        raise usage(_("--lang en: English is the source language; translate into another one (--lang fr)"))
    folder = Path(scenario.path).parent
    path = translation_path(folder, language, scenario.id)
    if args.export is not None:
        existing = None
        if path.is_file():
            existing, problems = read_translation(path)
            if existing is None:
                first = problems[0]
                raise usage(_("{file}:{line}:{column}: {message} (fix it before exporting)").format(
                    file=first.file, line=first.line, column=first.column, message=first.message))
        if args.export.lower().endswith(".csv"):
            data = ("\ufeff" + export_csv(scenario, existing)).encode("utf-8")  # the BOM tells spreadsheets it is UTF-8
        else:
            data = export_po(scenario, language, existing)
        if args.export == "-":
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        else:
            target = Path(args.export)
            if not target.parent.is_dir():
                raise usage(_("{file}: directory {folder} does not exist").format(file=target, folder=target.parent))
            write_translation(target, data.decode("utf-8"))
            print(_("wrote {file} ({language}, {id})").format(file=target, language=language, id=scenario.id),
                  file=sys.stderr)
        return 0
    source = Path(args.import_)
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise usage(f"{source}: {exc.strerror or exc}") from None  # the system's own words
    try:
        if source.name.lower().endswith(".csv"):
            try:
                decoded = data.decode("utf-8-sig")
            except UnicodeDecodeError:
                raise TranslationImportError(str(source), 0, _("not UTF-8 text (save the sheet as CSV UTF-8)")) from None
            text = import_csv(scenario, language, decoded, str(source))
        else:
            text = import_po(scenario, language, data, str(source))
    except TranslationImportError as exc:
        raise usage(str(exc)) from None
    target = Path(args.output) if args.output else path
    write_translation(target, text)
    print(_("wrote {file}").format(file=target), file=sys.stderr)
    return 0

"""Keep the message catalogues in step with the code and the rubrics: extract, update, compile, check.

    python -m auditor.catalogues update    # re-extract every template, merge it into each language's .po
    python -m auditor.catalogues compile   # write the .mo beside each .po (both are committed)
    python -m auditor.catalogues check     # what is untranslated, fuzzy, stale or broken (exit 1 if any)

Why a module and not ``pybabel`` commands in a script: the rubric domains are extracted from YAML, not
from Python, and the test suite runs the same ``check`` as a maintainer does, so a string added without
its French, a French that lost a ``{field}``, or a ``.mo`` older than its ``.po`` fails CI with the file
and the message named. The workflow for translators is in ``docs/translating.md``.
"""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .i18n import LANGUAGES, Domain

__all__ = ["CatalogueDomain", "DOMAINS", "Problem", "check", "compile_all", "extract", "register", "update"]

ROOT = Path(__file__).resolve().parents[1]
TRANSLATED = tuple(language for language in LANGUAGES if language != "en")

# (context or None, message id or (singular, plural), comment for the translator)
Entry = tuple["str | None", "str | tuple[str, ...]", str]


@dataclass(frozen=True)
class CatalogueDomain:
    """A domain and where its messages come from: Python sources (``_``, ``N_``, ``ngettext``, ``pgettext``
    calls) or an ``extractor`` that yields entries from data (a rubric's YAML)."""

    domain: Domain
    sources: tuple[Path, ...] = ()
    extractor: Callable[[], Iterable[Entry]] | None = None


DOMAINS: dict[str, CatalogueDomain] = {}


def register(entry: CatalogueDomain) -> CatalogueDomain:
    DOMAINS[entry.domain.name] = entry
    return entry


def _known_domains() -> dict[str, CatalogueDomain]:
    """Every domain of the toolkit. Imported here, not at the top, so that each package declares its own
    domain where its strings live and this tool only gathers them."""
    import importlib

    for module in ("auditor.i18n_domains", "simulator.i18n"):
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as error:  # a package without a catalogue yet
            if error.name != module:
                raise
    return DOMAINS


_KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2), "npgettext": ((1, "c"), 2, 3)}


def _shown(path: Path) -> str:
    """A path as the catalogues and messages show it: relative to the repository when inside it."""
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)


def _python_entries(sources: tuple[Path, ...]) -> Iterator[tuple[str, int, Entry]]:
    from babel.messages.extract import extract_from_file

    for source in sources:
        files = sorted(source.rglob("*.py")) if source.is_dir() else [source]
        for path in files:
            for lineno, message, comments, context in extract_from_file(
                "python", str(path), keywords=_KEYWORDS, comment_tags=("Translators:",), strip_comment_tags=True,
            ):
                yield _shown(path), lineno, (context, message, " ".join(comments))


def extract(entry: CatalogueDomain):
    """The template (a Babel ``Catalog``) of what the domain's sources say today."""
    catalog = _new_catalog(entry.domain.name, None)
    if entry.sources:
        for filename, lineno, (context, message, comment) in _python_entries(entry.sources):
            catalog.add(message, locations=[(filename, lineno)], auto_comments=[comment] if comment else [],
                        context=context)
    if entry.extractor is not None:
        for context, message, comment in entry.extractor():
            catalog.add(message, auto_comments=[comment] if comment else [], context=context)
    return catalog


# French counts "0 case" and "1 case" alike; the classic gettext rule, not CLDR's three-form one that Babel
# would write (whose extra form, for round millions, no message of the toolkit needs).
_PLURAL_FORMS = {"fr": "nplurals=2; plural=(n > 1);"}


def _new_catalog(name: str, language: str | None):
    from babel.messages.catalog import Catalog

    catalog = Catalog(locale=language, domain=name, project="rtw-toolkit", version="1",
                      copyright_holder="the rtw-toolkit authors", charset="utf-8",
                      header_comment=f"# Messages of rtw-toolkit ({name}). How to translate: docs/translating.md")
    if language in _PLURAL_FORMS:
        catalog.mime_headers = [*(h for h in catalog.mime_headers if h[0] != "Plural-Forms"),
                                ("Plural-Forms", _PLURAL_FORMS[language])]
    return catalog


_DATE_LINE = re.compile(rb'^"(POT-Creation-Date|PO-Revision-Date): .*\\n"$', re.M)


def _write_atomically(path: Path, data: bytes) -> bool:
    """Replace ``path`` only once the new bytes are on disk (a catalogue is a translator's work); False
    when there was nothing to change."""
    import os
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() and _DATE_LINE.sub(b"", path.read_bytes()) == _DATE_LINE.sub(b"", data):
        return False  # only the extraction date would change: keep the file (and the diff) as it is
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        os.unlink(temp)
        raise
    return True


def _po_bytes(catalog) -> bytes:
    from babel.messages.pofile import write_po

    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, include_lineno=False, ignore_obsolete=True, sort_output=True)
    return buffer.getvalue()


def _mo_bytes(catalog) -> bytes:
    from babel.messages.mofile import write_mo

    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


def _read(path: Path, locale: str | None = None):
    from babel.messages.pofile import read_po

    with open(path, "rb") as handle:
        return read_po(handle, locale=locale)


def update(names: Iterable[str] | None = None) -> list[Path]:
    """Re-extract each template and merge it into every language's catalogue; returns the files written."""
    written: list[Path] = []
    domains = _known_domains()
    for name in names or sorted(domains):
        entry = domains[name]
        template = extract(entry)
        if _write_atomically(entry.domain.template, _po_bytes(template)):
            written.append(entry.domain.template)
        for language in TRANSLATED:
            po = entry.domain.po_file(language)
            catalog = _read(po, language) if po.exists() else _new_catalog(name, language)
            catalog.update(template, update_header_comment=False)
            if _write_atomically(po, _po_bytes(catalog)):
                written.append(po)
        entry.domain.forget()
    return written


def compile_all(names: Iterable[str] | None = None) -> list[Path]:
    """Write each language's ``.mo`` from its ``.po`` (fuzzy entries left out, as gettext does)."""
    written: list[Path] = []
    domains = _known_domains()
    for name in names or sorted(domains):
        entry = domains[name]
        for language in TRANSLATED:
            po = entry.domain.po_file(language)
            if po.exists():
                if _write_atomically(entry.domain.mo_file(language), _mo_bytes(_read(po, language))):
                    written.append(entry.domain.mo_file(language))
        entry.domain.forget()
    return written


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


_FIELD = re.compile(r"\{[^{}]*\}")


def _fields(text: str) -> list[str]:
    return sorted(_FIELD.findall(text))


def _key(message) -> tuple[str | None, str]:
    return message.context, message.id if isinstance(message.id, str) else message.id[0]


def check(names: Iterable[str] | None = None) -> list[Problem]:
    """Every reason the catalogues are not ready to ship, with file and line; empty when they are."""
    problems: list[Problem] = []
    domains = _known_domains()
    for name in names or sorted(domains):
        entry = domains[name]
        rel = _shown(entry.domain.template)
        template = extract(entry)
        wanted = {_key(m) for m in template if m.id}
        if not entry.domain.template.exists():
            problems.append(Problem(rel, 0, "template missing: run `python -m auditor.catalogues update`"))
        else:
            recorded = {_key(m) for m in _read(entry.domain.template) if m.id}
            for _context, message in sorted(wanted - recorded, key=str):
                problems.append(Problem(rel, 0, f"not in the template (run update): {message!r}"))
            for _context, message in sorted(recorded - wanted, key=str):
                problems.append(Problem(rel, 0, f"no longer in the sources (run update): {message!r}"))
        for language in TRANSLATED:
            problems.extend(_check_language(entry, language, wanted))
    return problems


def _check_language(entry: CatalogueDomain, language: str, wanted: set[tuple[str | None, str]]) -> list[Problem]:
    po = entry.domain.po_file(language)
    rel = _shown(po)
    if not po.exists():
        return [Problem(rel, 0, f"no {language} catalogue: run `python -m auditor.catalogues update`")]
    catalog = _read(po, language)
    problems: list[Problem] = []
    seen: set[tuple[str | None, str]] = set()
    for message in catalog:
        if not message.id:
            continue
        key = _key(message)
        seen.add(key)
        line = message.lineno or 0
        shown = key[1] if len(key[1]) <= 60 else key[1][:57] + "..."
        if key not in wanted:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            problems.append(Problem(rel, line, f"untranslated: {shown!r}"))
        elif message.fuzzy:
            problems.append(Problem(rel, line, f"fuzzy (the English changed; review the translation): {shown!r}"))
        else:
            sources = message.id if isinstance(message.id, tuple) else (message.id,)
            if any(_fields(s) != _fields(sources[-1 if i else 0]) for i, s in enumerate(strings)):
                problems.append(Problem(rel, line, f"the translation's {{fields}} differ from the English: {shown!r}"))
    for _context, message in sorted(wanted - seen, key=str):
        problems.append(Problem(rel, 0, f"missing (run update): {message!r}"))
    mo = entry.domain.mo_file(language)
    mo_rel = _shown(mo)
    if not mo.exists() or mo.read_bytes() != _mo_bytes(catalog):
        problems.append(Problem(mo_rel, 0, "compiled catalogue out of date: run `python -m auditor.catalogues compile`"))
    return problems


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] not in {"update", "compile", "check"}:
        print("usage: python -m auditor.catalogues update|compile|check [DOMAIN...]", file=sys.stderr)
        return 2
    names = args[1:] or None
    unknown = [n for n in names or () if n not in _known_domains()]
    if unknown:
        print(f"unknown domain: {', '.join(unknown)} (known: {', '.join(sorted(DOMAINS))})", file=sys.stderr)
        return 2
    if args[0] == "update":
        for path in update(names):
            print(f"wrote {_shown(path)}")
        print("next: translate what `check` lists, then `compile`")
        return 0
    if args[0] == "compile":
        for path in compile_all(names):
            print(f"wrote {_shown(path)}")
        return 0
    problems = check(names)
    for problem in problems:
        print(problem)
    print(f"{len(problems)} problem(s)" if problems else "catalogues complete")
    return 1 if problems else 0


if __name__ == "__main__":
    # Run as ``python -m``, this file is ``__main__``: the packages register their domains with the module
    # ``auditor.catalogues``, so its ``main`` is the one that sees them.
    from auditor.catalogues import main as _main

    raise SystemExit(_main())

"""The toolkit's one language layer: which language a run speaks, its message catalogues, locale formats.

Why one module for both tools: a coordinator who sets ``LANG=fr_CA.UTF-8`` expects ``rtw-audit`` and
``rtw-train`` to answer in French alike, with the same precedence of settings and the same date and number
formats. Each tool keeps its own gettext *domain* (its own catalogue, so the two can be translated and
released apart); the rubrics have one domain per rubric file. This module holds what they share:

- the **active language**, process-wide, set once by each command's entry point (``--lang`` first, then
  the locale) and changeable at run time (the app's language setting);
- :class:`Domain`, a lazily loaded gettext catalogue that follows the active language, so a string is
  translated when it is *shown*, not when its module is imported;
- the **pseudo-locale**, ``"pseudo"``: every message of a domain's template is shown accented and wrapped in
  ``⟦…⟧``, so a test can see at a glance any text that escaped the catalogue;
- locale formats through Babel ("2 décembre 2026", "93 %"), imported only when first used.

Messages use ``str.format`` fields (``_("{count} cases").format(count=n)``): they survive translation and the
pseudo-locale untouched, and a check (``auditor.catalogues``) verifies that every translation keeps them.
"""

from __future__ import annotations

import gettext
import os
import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path

__all__ = [
    "LANGUAGES",
    "PSEUDO",
    "Domain",
    "N_",
    "current_language",
    "format_date",
    "format_day",
    "format_datetime",
    "format_decimal",
    "format_percent",
    "language_from_argv",
    "language_from_environment",
    "pseudo_text",
    "set_language",
]

LANGUAGES = ("en", "fr")
"""The languages a user can choose (``--lang``); English is the source language of every catalogue."""

PSEUDO = "pseudo"
"""A language for tests and translators only: not offered by ``--lang``, accepted by :func:`set_language`."""

# The Babel locale behind each language: the toolkit is written for Québec workplaces.
_BABEL_LOCALES = {"en": "en_CA", "fr": "fr_CA", PSEUDO: "en_CA"}

_active = {"language": "en"}


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now (a class attribute, a table of labels):
    the code that shows it calls the domain's ``gettext`` on it at that time."""
    return message


def language_from_environment(environ: Mapping[str, str] | None = None) -> str:
    """'fr' when the locale (``LC_ALL``, then ``LC_MESSAGES``, then ``LANG``: the first one set, the usual
    POSIX precedence) starts with 'fr', else 'en'."""
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name)
        if value:
            return "fr" if value.lower().startswith("fr") else "en"
    return "en"


def language_from_argv(argv: Sequence[str], environ: Mapping[str, str] | None = None) -> str:
    """The language a command line asks for (``--lang fr`` or ``--lang=fr``, the last one wins), else the
    locale's. Why before argparse: the parser's own help and error messages must already be translated
    when argparse prints them. An unknown value is left for argparse to refuse (in the locale's language)."""
    chosen = None
    for index, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and index + 1 < len(argv):
            chosen = argv[index + 1]
        elif arg.startswith("--lang="):
            chosen = arg.split("=", 1)[1]
    if chosen in LANGUAGES:
        return chosen
    return language_from_environment(environ)


def set_language(language: str) -> None:
    """Make ``language`` the one every domain speaks from now on (``en``, ``fr`` or :data:`PSEUDO`)."""
    if language not in LANGUAGES and language != PSEUDO:
        raise ValueError(f"unknown language {language!r}: expected one of {', '.join(LANGUAGES)}")
    _active["language"] = language


def current_language() -> str:
    return _active["language"]


# --- catalogues -------------------------------------------------------------------------------------

class Domain:
    """One gettext catalogue (``<localedir>/<lang>/LC_MESSAGES/<name>.mo``), following the active language.

    The compiled ``.mo`` files are committed beside their ``.po`` sources (``auditor.catalogues`` compiles
    them and a test checks they are current), so reading one costs a single small file at first use and
    nothing at import. A missing catalogue, or a message it lacks, falls back to the English source."""

    def __init__(self, name: str, localedir: Path) -> None:
        self.name = name
        self.localedir = localedir
        self._loaded: dict[str, gettext.NullTranslations] = {}

    @property
    def template(self) -> Path:
        """The extracted template (``<localedir>/<name>.pot``): every message the domain knows."""
        return self.localedir / f"{self.name}.pot"

    def po_file(self, language: str) -> Path:
        return self.localedir / language / "LC_MESSAGES" / f"{self.name}.po"

    def mo_file(self, language: str) -> Path:
        return self.localedir / language / "LC_MESSAGES" / f"{self.name}.mo"

    def translations(self, language: str | None = None) -> gettext.NullTranslations:
        language = language or current_language()
        found = self._loaded.get(language)
        if found is None:
            found = self._load(language)
            self._loaded[language] = found
        return found

    def _load(self, language: str) -> gettext.NullTranslations:
        if language == PSEUDO:
            return _PseudoTranslations(self.template)
        if language == "en":
            return gettext.NullTranslations()
        try:
            with open(self.mo_file(language), "rb") as handle:
                return gettext.GNUTranslations(handle)
        except OSError:
            return gettext.NullTranslations()

    def forget(self) -> None:
        """Drop the loaded catalogues (after ``auditor.catalogues`` rewrote them, or in tests)."""
        self._loaded.clear()

    def gettext(self, message: str) -> str:
        return self.translations().gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.translations().ngettext(singular, plural, n)

    def pgettext(self, context: str, message: str) -> str:
        """The translation of ``message`` in ``context`` (a rubric's text keyed by its place: the same English
        words may need different French in two places)."""
        return self.translations().pgettext(context, message)


# --- the pseudo-locale ------------------------------------------------------------------------------

_ACCENTED = str.maketrans(
    "AaCcEeIiNnOoUuYy",
    "ÅåÇçÉéÎîÑñÖöÛûÝý",
)
# What must survive untouched: str.format fields, Rich/Textual markup tags, printf fields (argparse's
# ``%(value)r`` too), and anything in backquotes (a command or a file name the user types as is).
_KEEP = re.compile(r"\{[^{}]*\}|\[/?[a-z@$#][^\[\]]*\]|%\(\w+\)[sdr]|%[sdr]|`[^`]*`")


def pseudo_text(message: str) -> str:
    """``message`` accented and wrapped in ``⟦…⟧``, its fields and markup untouched: ``"{n} cases"`` →
    ``"⟦{n} çåsés⟧"``. Why accents and not only brackets: a screen that mangles non-ASCII text is caught too."""
    out: list[str] = []
    last = 0
    for match in _KEEP.finditer(message):
        out.append(message[last:match.start()].translate(_ACCENTED))
        out.append(match.group())
        last = match.end()
    out.append(message[last:].translate(_ACCENTED))
    return "⟦" + "".join(out) + "⟧"


class _PseudoTranslations(gettext.NullTranslations):
    """Translates exactly the messages of the domain's template, and nothing else: a string shown in
    English under the pseudo-locale is one the catalogue does not hold."""

    def __init__(self, template: Path) -> None:
        super().__init__()
        self._known: set[tuple[str | None, str]] = set()
        try:
            from babel.messages.pofile import read_po

            with open(template, "rb") as handle:
                catalog = read_po(handle)
        except OSError:
            return
        for message in catalog:
            if not message.id:
                continue
            ids = (message.id,) if isinstance(message.id, str) else tuple(message.id)
            for one in ids:
                self._known.add((message.context, one))

    def _pseudo(self, context: str | None, message: str) -> str:
        return pseudo_text(message) if (context, message) in self._known else message

    def gettext(self, message: str) -> str:
        return self._pseudo(None, message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return self._pseudo(None, msgid1 if n == 1 else msgid2)

    def pgettext(self, context: str, message: str) -> str:
        return self._pseudo(context, message)

    def npgettext(self, context: str, msgid1: str, msgid2: str, n: int) -> str:
        return self._pseudo(context, msgid1 if n == 1 else msgid2)


# --- locale formats ---------------------------------------------------------------------------------
# English output keeps the digits it always had (no thousands separator): reports and tests compare it.

def _babel_locale() -> str:
    return _BABEL_LOCALES[current_language()]


def format_date(value: date) -> str:
    """A day as a reader of the language writes it: "2 décembre 2026", "December 2, 2026"."""
    from babel.dates import format_date as babel_format_date

    text = babel_format_date(value, format="long", locale=_babel_locale())
    if current_language() == "fr" and value.day == 1:
        text = "1er" + text[1:]  # French writes the first of the month as an ordinal: "1er juin 2026"
    return text


def format_day(value: date) -> str:
    """A day inside a sentence of the tools' output: ISO in English ("2026-12-02", the form the English
    reports have always printed and scripts read), the language's long form otherwise ("2 décembre 2026")."""
    return value.isoformat() if current_language() in ("en", PSEUDO) else format_date(value)


def format_datetime(value: datetime) -> str:
    """A moment to the minute: "2 décembre 2026 à 14 h 05", "December 2, 2026 at 2:05 PM"."""
    from babel.dates import format_datetime as babel_format_datetime

    skeleton = "d MMMM y 'à' HH 'h' mm" if current_language() == "fr" else "MMMM d, y 'at' h:mm a"
    return babel_format_datetime(value, skeleton, locale=_babel_locale())


def format_percent(fraction: float, digits: int = 0) -> str:
    """``0.93`` → "93 %" in French (with a no-break space), "93%" in English."""
    if current_language() != "fr":
        return f"{fraction * 100:.{digits}f}%"
    from babel.numbers import format_percent as babel_format_percent

    pattern = ("#,##0" if digits == 0 else "#,##0." + "0" * digits) + "\u00a0%"
    return babel_format_percent(fraction, format=pattern, locale="fr_CA")


def format_decimal(value: float, digits: int | None = 1) -> str:
    """``2.5`` → "2,5" in French, "2.5" in English, to ``digits`` decimals (``None``: as Python's ``g``
    format writes it, "2.5", "12", "0.25")."""
    text = f"{value:g}" if digits is None else f"{value:.{digits}f}"
    return text.replace(".", ",") if current_language() == "fr" else text


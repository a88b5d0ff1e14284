"""The report's words that depend on the language: units of time, periods, dates, percentages, days.

Why a module of its own: the report's record (``model.py``) is built in the language of the run, so the
HTML and Markdown read as one language throughout, while JSON and CSV are built in English (their texts
are part of a stable format). Everything that turns a value into words goes through here, so that English
output keeps its exact old form (ISO dates, "2026-Q1", "93%") and French gets Québec forms
("mars 2026", "2026-T1", "93 %", "2 décembre 2026").
"""

from __future__ import annotations

from datetime import date

from ..i18n import N_, current_language, format_decimal
from ..i18n_domains import _, ngettext, pgettext

#: A report's grain as a word in running text ("by quarter"), and as a column heading.
UNITS = {"month": N_("month"), "quarter": N_("quarter"), "half": N_("half"), "year": N_("year")}
UNIT_HEADINGS = {"month": N_("Month"), "quarter": N_("Quarter"), "half": N_("Half"), "year": N_("Year")}
#: The same unit with its article, and whole units, for the committee's window messages.
A_UNIT = {"month": N_("a month"), "quarter": N_("a quarter"), "half": N_("a half"), "year": N_("a year")}
WHOLE_UNITS = {"month": N_("whole months"), "quarter": N_("whole quarters"), "half": N_("whole halves"),
               "year": N_("whole years")}
AUDIENCES = {"committee": N_("committee"), "coordinator": N_("coordinator")}


def french() -> bool:
    return current_language() == "fr"


def unit(by: str) -> str:
    return _(UNITS[by]) if by in UNITS else by


def unit_heading(by: str) -> str:
    return _(UNIT_HEADINGS[by]) if by in UNIT_HEADINGS else by.capitalize()


def audience(name: str) -> str:
    return _(AUDIENCES[name]) if name in AUDIENCES else name


def percent_label(text: str) -> str:
    """A label already written with "%" ("40–49%") in the French typography ("40–49 %")."""
    return text.replace("%", "\u00a0%") if french() else text


def number(x: float) -> str:
    """A measure as ``{:g}`` writes it, with a decimal comma in French."""
    return format_decimal(x, None)


def days_text(x: float) -> str:
    """"12 days" / "12 jours" (French: singular under 2, as French counts)."""
    return ngettext("{days} days", "{days} days", 2 if x >= 2 else 1).format(days=number(x))


def day_range(low: float, high: float) -> str:
    return _("{low}–{high} days").format(low=number(low), high=number(high))


def month_text(year: int, month: int) -> str:
    """"2026-03" in English (as before); "mars 2026" in French."""
    if not french():
        return f"{year:04d}-{month:02d}"
    from babel.dates import format_date as babel_format_date

    return babel_format_date(date(year, month, 1), "MMMM y", locale="fr_CA")


def period_text(key: str) -> str:
    """A period key ("2026-Q1", "2026-H2", "2026-03", "2026") as the reader writes it."""
    if not french():
        return key
    year, _sep, rest = key.partition("-")
    if rest.startswith("Q"):
        return _("{year}-Q{number}").format(year=year, number=rest[1:])
    if rest.startswith("H"):
        return _("{year}-H{number}").format(year=year, number=rest[1:])
    if rest.isdigit():
        return month_text(int(year), int(rest))
    return key


SEVERITIES = {"error": N_("error"), "warning": N_("warning"), "info": N_("info")}
#: How a case ended, for the coordinator's list of cases to follow up.
CASE_STATUSES = {"returned": N_("returned"), "declined": N_("declined"), "withdrew": N_("withdrew"),
                 "other": N_("other")}


def severity_word(severity: str) -> str:
    return _(SEVERITIES[severity]) if severity in SEVERITIES else severity


def case_stands(entry) -> str:
    """"closed, returned": whether the case is closed, and how it ended (a coordinator's own list)."""
    # One case's state: its own context, for French says "fermé" of one case and "fermés" of a column of them.
    state = pgettext("one case", "closed") if entry.closed else pgettext("one case", "open")
    status = _(CASE_STATUSES[entry.status]) if entry.status in CASE_STATUSES else entry.status
    return _("{state}, {status}").format(state=state, status=status)

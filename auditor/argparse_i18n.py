"""argparse's own words ("usage:", "options", "invalid choice…") in the active language.

Why this module: argparse translates its messages through the ``gettext`` module's global domain, which
the toolkit does not use (each tool has its own catalogue). Its messages are listed here so that they are
extracted into the ``rtw-audit`` catalogue, and argparse's translation function is pointed at that
catalogue, so ``rtw-audit --lang fr --help`` and a French usage error read as French throughout.
The messages are argparse's msgids, word for word: a msgid that does not match is simply not translated.
"""

from __future__ import annotations

import argparse

from .i18n import N_
from .i18n_domains import AUDIT

ARGPARSE_MESSAGES = (
    # Translators: argparse's heading of the usage line; keep the trailing space.
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("unrecognized arguments: %s"),
    N_("the following arguments are required: %s"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("ignored explicit argument %r"),
    N_("not allowed with argument %s"),
    N_("one of the arguments %s is required"),
)


def _translate(message: str) -> str:
    return AUDIT.gettext(message)


def _ntranslate(singular: str, plural: str, n: int) -> str:
    return AUDIT.ngettext(singular, plural, n)


def speak_argparse() -> None:
    """Route argparse's messages through the auditor's catalogue (it follows the active language, so
    English stays argparse's own English). Idempotent."""
    argparse._ = _translate  # type: ignore[attr-defined]
    argparse.ngettext = _ntranslate  # type: ignore[attr-defined]

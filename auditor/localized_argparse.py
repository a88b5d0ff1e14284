"""An ``argparse`` parser that speaks the active language: its "usage:", headings, ``-h`` help and errors.

Why: ``rtw-train --lang fr --help`` and ``rtw-audit --lang fr check`` must be French from the first line, but
argparse builds its own words ("usage:", "options", "the following arguments are required: …") from Python's
``gettext`` domain, which ships no French. Rather than install a translation into the standard library for
the whole process (two tools, or a test suite, in one process would then translate twice), this subclass
asks a catalogue for the headings and reads each argparse error back against the
English patterns argparse uses, to say it again, translated, with the same values. An error argparse might
add in a later Python and that no pattern knows is shown as argparse wrote it (English), never lost.
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import Any, NoReturn

from .i18n import N_
from .i18n_domains import _  # argparse's words live in the rtw-audit catalogue; rtw-train uses them too

__all__ = ["LocalizedParser", "LocalizedHelpFormatter", "LocalizedRawFormatter", "translate_argparse_error"]


class _LocalizedUsage(argparse.HelpFormatter):
    """The "usage: " prefix and the headings' punctuation from the catalogue (a base for both formatters)."""

    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        if prefix is None:
            prefix = _("usage: ")
        super().add_usage(usage, actions, groups, prefix)


    def start_section(self, heading: str | None) -> None:
        # argparse writes "heading:" itself; French typography wants a no-break space before the colon, so
        # the catalogue says how a heading is punctuated and argparse adds the final colon back.
        punctuated = _("{heading}:").format(heading=heading) if heading else heading
        if punctuated and punctuated.endswith(":"):
            heading = punctuated[:-1]
        super().start_section(heading)


class LocalizedHelpFormatter(_LocalizedUsage):
    """argparse's default formatter (wraps descriptions), with a translated "usage: "."""


class LocalizedRawFormatter(_LocalizedUsage, argparse.RawDescriptionHelpFormatter):
    """The raw-description formatter (keeps the exit-status table as laid out), with a translated "usage: "."""


_FORMATTERS = {
    argparse.HelpFormatter: LocalizedHelpFormatter,
    argparse.RawDescriptionHelpFormatter: LocalizedRawFormatter,
}

# argparse's English messages (printf style, as in Lib/argparse.py) and the catalogue's message for each
# (str.format fields of the same names: ``%s`` becomes ``{0}``).
_ARGPARSE_MESSAGES = (
    ("argument %(argument_name)s: %(message)s", N_("argument {argument_name}: {message}")),
    ("the following arguments are required: %s", N_("the following arguments are required: {0}")),
    ("unrecognized arguments: %s", N_("unrecognized arguments: {0}")),
    ("invalid choice: %(value)r (choose from %(choices)s)", N_("invalid choice: {value} (choose from {choices})")),
    ("invalid %(type)s value: %(value)r", N_("invalid {type} value: {value}")),
    ("expected one argument", N_("expected one argument")),
    ("expected at most one argument", N_("expected at most one argument")),
    ("expected at least one argument", N_("expected at least one argument")),
    ("not allowed with argument %s", N_("not allowed with argument {0}")),
    ("one of the arguments %s is required", N_("one of the arguments {0} is required")),
    ("ignored explicit argument %r", N_("ignored explicit argument {0}")),
    ("ambiguous option: %(option)s could match %(matches)s", N_("ambiguous option: {option} could match {matches}")),
    ("unknown parser %(parser_name)r (choices: %(choices)s)", N_("unknown command {parser_name} (choices: {choices})")),
)
_FIELD = re.compile(r"%\((\w+)\)[sr]|%[sr]")


def _pattern(printf: str) -> re.Pattern[str]:
    """``'invalid choice: %(value)r (…)'`` -> a regex capturing ``value``; a bare ``%s`` is group ``_0``."""
    out, last = [], 0
    for match in _FIELD.finditer(printf):
        out.append(re.escape(printf[last:match.start()]))
        out.append(f"(?P<{match.group(1) or '_0'}>.*?)")
        last = match.end()
    out.append(re.escape(printf[last:]))
    return re.compile("".join(out), re.DOTALL)


_PATTERNS = tuple((_pattern(english), message) for english, message in _ARGPARSE_MESSAGES)


def translate_argparse_error(message: str) -> str:
    """One of argparse's English error messages in the active language (unchanged in English, and when no
    known pattern matches). ``argument X: <inner>`` translates its inner message too."""
    for pattern, catalogued in _PATTERNS:
        found = pattern.fullmatch(message)
        if found is None:
            continue
        fields = found.groupdict()
        if "message" in fields:
            fields["message"] = translate_argparse_error(fields["message"])
        positional = fields.pop("_0", None)
        text = _(catalogued)
        return text.format(positional, **fields) if positional is not None else text.format(**fields)
    return message


class LocalizedParser(argparse.ArgumentParser):
    """``ArgumentParser`` whose own words come from the catalogue (subcommands inherit it:
    argparse builds them with the parent's class)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        formatter = kwargs.get("formatter_class", argparse.HelpFormatter)
        kwargs["formatter_class"] = _FORMATTERS.get(formatter, formatter)
        add_help = kwargs.get("add_help", True)
        kwargs["add_help"] = False  # added below, with its help translated
        super().__init__(*args, **kwargs)
        self._positionals.title = _("positional arguments")
        self._optionals.title = _("options")
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                              help=_("show this help message and exit"))

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, _("{prog}: error: {message}").format(prog=self.prog, message=translate_argparse_error(message))
                  + "\n")

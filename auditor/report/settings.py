"""The committee's disclosure settings: one YAML file for every committee report, never a flag.

Why a file: the protection of a committee report depends on a few parameters (the rounding base, the
smallest group a median or rate is shown over, the period grain, the smallest caseload) and on a secret
key that fixes the rounding. If a reader could vary them run by run, two reports over the same data
with two thresholds or two grains would tell more than one. So the committee sets them once, in a
file kept with the logs (``rtw-committee.yaml`` beside the folder of logs or the exported table, or
``--settings FILE``), and the
committee audience refuses per-run overrides.

The file, with its defaults::

    format: rtw-committee-settings/1
    key: "a long random secret, never shared with the committee"   # required, at least 16 characters
    rounding_base: 5        # counts to a multiple of this (at least 5)
    threshold: 15           # medians, means and rates only over groups of at least this many (published) cases
    minimum_caseload: 15    # below this many cases the committee report is refused
    period: quarter         # quarter, half or year (month is for the coordinator only)
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..i18n_domains import _
from ..reading.yaml_strict import load, nearest

SETTINGS_FORMAT = "rtw-committee-settings/1"
FILE_NAME = "rtw-committee.yaml"
GRAINS = ("quarter", "half", "year")
MIN_KEY = 16


@dataclass(frozen=True, slots=True)
class CommitteeSettings:
    key: str
    rounding_base: int = 5
    threshold: int = 15
    minimum_caseload: int = 15
    period: str = "quarter"
    source: str | None = None  # the file they were read from

    @property
    def key_bytes(self) -> bytes:
        return self.key.encode("utf-8")


_INTS = {"rounding_base": 5, "threshold": 5, "minimum_caseload": 5}
_ALLOWED = ("format", "key", "rounding_base", "threshold", "minimum_caseload", "period")


def parse_settings(text: str, filename: str) -> CommitteeSettings:
    """Validate a settings file; every problem raises InputError naming the file and line."""
    data, positions = load(text, filename)

    def fail(message: str, path: tuple = ()) -> InputError:
        line, column = nearest(positions, path) if path else (1, None)
        return InputError(message, file=filename, line=line, column=column)

    if not isinstance(data, dict):
        raise fail(_("committee settings must be a mapping of `key: value` lines"))
    for name in data:
        if name not in _ALLOWED:
            raise fail(_("unknown setting `{name}` (allowed: {allowed})").format(name=name, allowed=", ".join(_ALLOWED)), (name,))
    if data.get("format") != SETTINGS_FORMAT:
        raise fail(_("`format` must be `{format}`").format(format=SETTINGS_FORMAT), ("format",))
    key = data.get("key")
    if not isinstance(key, str) or len(key.strip()) < MIN_KEY:
        raise fail(_("`key` must be a secret of at least {count} characters (make one with "
                     "`rtw-audit report --new-settings FILE`)").format(count=MIN_KEY), ("key",))
    values: dict[str, int] = {}
    for name, floor in _INTS.items():
        raw = data.get(name, CommitteeSettings.__dataclass_fields__[name].default)
        try:
            value = int(raw) if isinstance(raw, (int, str)) and str(raw).strip().lstrip("-").isdigit() else None
        except ValueError:  # pragma: no cover - isdigit guards it
            value = None
        if value is None:
            raise fail(_("`{name}` must be a whole number, not {value}").format(name=name, value=repr(raw)), (name,))
        if value < floor:
            raise fail(_("`{name}` is {value}: it may not be below {floor}").format(name=name, value=value, floor=floor), (name,))
        values[name] = value
    if values["threshold"] < values["rounding_base"]:
        raise fail(_("`threshold` may not be below `rounding_base`"), ("threshold",))
    period = data.get("period", "quarter")
    if period not in GRAINS:
        raise fail(_("`period` must be one of {grains}, not {value} (months are for the coordinator)").format(
            grains=", ".join(GRAINS), value=repr(period)), ("period",))
    return CommitteeSettings(key=key.strip(), period=period, source=filename, **values)


def read_settings(path: Path) -> CommitteeSettings:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(_("cannot read the committee settings: {reason}").format(reason=exc.strerror or exc),
                         file=str(path)) from None
    except UnicodeDecodeError:  # has no strerror: its own message, not a traceback
        raise InputError(_("cannot read the committee settings: the file is not UTF-8 text; save it as UTF-8"),
                         file=str(path)) from None
    return parse_settings(text, str(path))


def find_settings(paths: list[Path]) -> Path | None:
    """``rtw-committee.yaml`` beside an input (beside the folder of logs, not in it: it is not a case log)."""
    for p in paths:
        candidate = p.resolve().parent / FILE_NAME
        if candidate.is_file():
            return candidate
    return None


def new_settings_text() -> str:
    """A fresh settings file with a random key (the committee's defaults otherwise)."""
    return (
        f"format: {SETTINGS_FORMAT}\n"
        "# Keep this file with the case logs; do not send it to the committee. The key fixes the rounding:\n"
        "# with it, anyone could undo part of the protection.\n"
        f"key: \"{secrets.token_urlsafe(32)}\"\n"
        "rounding_base: 5        # counts are shown as multiples of this\n"
        "threshold: 15           # medians, means and rates only over at least this many cases\n"
        "minimum_caseload: 15    # below this many cases the committee report is refused\n"
        "period: quarter         # quarter, half or year\n"
    )

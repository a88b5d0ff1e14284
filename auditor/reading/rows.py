"""Case logs -> event-table rows, and rows -> CSV / JSON Lines text.

The inverse of the table reader, kept next to it so the two stay in step: tests use it to check
that a case reads the same from YAML, JSON, CSV and JSON Lines, and tools can use it to turn a
folder of logs into one table.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import Any

#: Column order of a written table: the fixed columns first, then the rest alphabetically.
LEAD_COLUMNS = ("case", "at", "type", "id", "by")


def log_rows(log: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The rows of one case log (a dict in the case-log shape): parties, context, then events."""
    case = log["case"]
    for pid, party in log.get("parties", {}).items():
        row = {"case": case, "type": "party", "id": pid, "role": party["role"]}
        if party.get("name") is not None:
            row["name"] = party["name"]
        yield row
    context = {k: v for k, v in (log.get("context") or {}).items() if v is not None}
    if log.get("as_of") is not None:
        context["as_of"] = log["as_of"]
    if context:
        yield {"case": case, "type": "context", **context}
    for event in log.get("events", []):
        yield {"case": case, **event}


def _plain(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def jsonl_text(rows: Iterable[dict[str, Any]]) -> str:
    return "".join(json.dumps(_plain(r), ensure_ascii=False) + "\n" for r in rows)


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        items = [_plain(v) for v in value]
        if not items or any(not isinstance(v, str) or ";" in v or v != v.strip() or not v for v in items) \
                or items[0].startswith("["):
            return json.dumps(items, ensure_ascii=False)
        return ";".join(items)
    return str(_plain(value))


def csv_text(rows: Iterable[dict[str, Any]]) -> str:
    """A CSV table (header + rows). Lists are ``;``-joined; lists holding objects are JSON."""
    rows = list(rows)
    seen = {k for r in rows for k in r}
    columns = [c for c in LEAD_COLUMNS if c in seen] + sorted(seen - set(LEAD_COLUMNS))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for r in rows:
        writer.writerow([_csv_cell(r.get(c)) for c in columns])
    return out.getvalue()


__all__ = ["log_rows", "jsonl_text", "csv_text"]

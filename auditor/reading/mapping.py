"""Mapping files: a committee's own column names, activity labels and values -> the event table's.

A case-management system exports its own words ("dossier", "Appel coordonnateur", "tel"). A
mapping file (``format: rtw-mapping/1``, see docs/reading-logs.md) says once how they translate, so
the export can be audited as it is. The mapping is checked as strictly as a log: an unknown target
column or type is an error with its line and a "did you mean".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union

from pydantic import ConfigDict, TypeAdapter, ValidationError
from typing_extensions import NotRequired, Required, TypedDict

from auditor import schema
from auditor.errors import InputError, InputErrors
from auditor.i18n_domains import _
from auditor.reading import json_doc, yaml_strict
from auditor.reading.capped import read_capped
from auditor.reading.messages import short, suggest
from auditor.reading.textio import decode

#: A mapping file is a few kilobytes; reading stops well before memory is at risk.
MAX_MAPPING_BYTES = 8 * 1024 * 1024

MAPPING_FORMAT = "rtw-mapping/1"
_VALUE_FIELDS = tuple(
    sorted({f for fs in schema.EVENT_FIELDS.values() for f in fs} | {"role", "by", "id", *schema.CONTEXT_ROW_FIELDS})
)

_BOOL_FIELDS = frozenset(
    {f for fs in schema.EVENT_FIELDS.values() for f, (k, _) in fs.items() if k == schema.BOOL} | set(schema.CONTEXT_FIELDS)
)


class _MappingFile(TypedDict, total=False):
    format: Required[str]
    columns: NotRequired[dict[str, str]]
    types: NotRequired[dict[str, str]]
    values: NotRequired[dict[str, dict[str, Union[str, bool]]]]
    ignore_columns: NotRequired[list[str]]
    ignore_types: NotRequired[list[str]]


_MappingFile.__pydantic_config__ = ConfigDict(extra="forbid")  # type: ignore[attr-defined]
_ADAPTER = TypeAdapter(_MappingFile)


@dataclass
class Mapping:
    """A validated mapping: source name -> canonical name, per kind of name."""

    columns: dict[str, str] = field(default_factory=dict)
    types: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    ignore_columns: frozenset[str] = frozenset()
    ignore_types: frozenset[str] = frozenset()
    source: str | None = None

    def column(self, name: str) -> str | None:
        """The canonical column for an export's column, or None when it is to be ignored."""
        if name in self.ignore_columns:
            return None
        return self.columns.get(name, name)

    def case_column(self) -> str:
        """The export's name for the ``case`` column."""
        for src, dst in self.columns.items():
            if dst == "case":
                return src
        return "case"

    def map_value(self, column: str, value: Any) -> Any:
        renames = self.values.get(column)
        if renames is None:
            return value
        if isinstance(value, str):
            return renames.get(value, value)
        if isinstance(value, list):
            return [renames.get(v, v) if isinstance(v, str) else v for v in value]
        return value

    def map_row(self, row: dict[str, Any]) -> dict[str, Any]:
        """A JSON Lines row with the export's names -> the table's names."""
        out: dict[str, Any] = {}
        for key, value in row.items():
            col = self.column(key)
            if col is None:
                continue
            if col == "type" and isinstance(value, str):
                value = self.types.get(value, value)
            elif self.values:
                value = self.map_value(col, value)
                if col in _BOOL_FIELDS and value in ("true", "false"):
                    value = value == "true"
            out[col] = value
        return out


def _fail(problems: list[InputError]) -> InputErrors:
    return InputErrors(problems)


def parse_mapping(text: str | bytes, filename: str = "<mapping>") -> Mapping:
    """Check a mapping file's text; raises InputErrors naming each mistake and its line."""
    try:
        decoded = decode(text, filename)
        if filename.endswith(".json"):
            data = json_doc.loads(decoded, filename)
            positions = json_doc.positions(decoded)
        else:
            data, positions = yaml_strict.load(decoded, filename)
    except InputError as exc:
        raise InputErrors([exc]) from None

    def err(message: str, path: tuple) -> InputError:
        line, column = yaml_strict.nearest(positions, path)
        return InputError(message, file=filename, line=line or 1, column=column)

    if not isinstance(data, dict):
        raise _fail([err(_("a mapping file is a mapping with `format: {format}`").format(format=MAPPING_FORMAT), ())])
    try:
        valid = _ADAPTER.validate_python(data)
    except ValidationError as exc:
        problems: list[InputError] = []
        for e in exc.errors(include_url=False):
            loc = tuple(p for p in e["loc"] if p != "[key]")
            name = ".".join(str(p) for p in loc)
            if e["type"] == "extra_forbidden":
                problems.append(err(
                    _("unknown field {field} in the mapping file").format(field=short(loc[-1]))
                    + suggest(loc[-1], ["format", "columns", "types", "values", "ignore_columns", "ignore_types"]),
                    loc,
                ))
            elif e["type"] == "missing":
                problems.append(err(_("`{field}` is required").format(field=name), loc))
            elif e["type"] in ("dict_type",):
                problems.append(err(_("`{field}` must be a mapping (name: name)").format(field=name), loc))
            elif e["type"] in ("list_type",):
                problems.append(err(_("`{field}` must be a list").format(field=name), loc))
            else:
                problems.append(err(_("`{field}` must be text (put it in quotes)").format(field=name), loc))
        raise _fail(problems) from None

    problems = []
    if valid["format"] != MAPPING_FORMAT:
        problems.append(err(_("`format` must be `{format}`, not {value}").format(format=MAPPING_FORMAT, value=short(valid["format"])),
                            ("format",)))
    columns = valid.get("columns", {})
    targets: dict[str, str] = {}
    for src, dst in columns.items():
        if dst not in schema.TABLE_COLUMNS and not dst.startswith("x-"):
            problems.append(err(
                _("column {source} is mapped to {target}, which is not an event-table column").format(
                    source=short(src), target=short(dst))
                + suggest(dst, schema.TABLE_COLUMNS),
                ("columns", src),
            ))
        elif dst in targets:
            problems.append(err(_("columns {first} and {second} are both mapped to `{target}`").format(
                first=short(targets[dst]), second=short(src), target=dst), ("columns", src)))
        else:
            targets[dst] = src
    kinds = (*schema.EVENT_TYPES, *schema.TABLE_ROW_TYPES)
    for label, type_ in valid.get("types", {}).items():
        if type_ not in kinds:
            problems.append(err(
                _("the activity {label} is mapped to {type}, which is not an event type").format(
                    label=short(label), type=short(type_)) + suggest(type_, kinds),
                ("types", label),
            ))
    values = {
        column: {src: ("true" if dst is True else "false" if dst is False else dst) for src, dst in renames.items()}
        for column, renames in valid.get("values", {}).items()
    }
    for column, renames in values.items():
        if column not in _VALUE_FIELDS:
            problems.append(err(
                _("`values` names the field {field}, which no event has").format(field=short(column))
                + suggest(column, _VALUE_FIELDS),
                ("values", column),
            ))
            continue
        allowed = _allowed_values(column)
        if allowed:
            for src, dst in renames.items():
                if dst not in allowed:
                    problems.append(err(
                        _("the value {value} of `{field}` is mapped to {target}, which `{field}` cannot hold").format(
                            value=short(src), field=column, target=short(dst))
                        + suggest(dst, allowed),
                        ("values", column, src),
                    ))
    if problems:
        raise _fail(problems)
    return Mapping(
        columns=dict(columns),
        types=dict(valid.get("types", {})),
        values={k: dict(v) for k, v in values.items()},
        ignore_columns=frozenset(valid.get("ignore_columns", [])),
        ignore_types=frozenset(valid.get("ignore_types", [])),
        source=filename,
    )


def _allowed_values(column: str) -> tuple[str, ...] | None:
    """The values a field may hold when it is an enumeration (for checking ``values`` targets)."""
    if column == "role":
        return schema.ROLES
    found: set[str] = set()
    for fields in schema.EVENT_FIELDS.values():
        spec = fields.get(column)
        if spec is None:
            continue
        kind = spec[0]
        if kind.startswith("enum"):
            found.update(schema.ENUMS[kind.split(":", 1)[1]])
        elif kind == schema.BOOL:
            found.update(("true", "false"))
        else:
            return None
    if column in schema.CONTEXT_FIELDS:
        found.update(("true", "false"))
    return tuple(sorted(found)) or None


def load_mapping(path: Path) -> Mapping:
    """Read and check a mapping file; raises InputErrors."""
    try:
        data = read_capped(path, MAX_MAPPING_BYTES, "mapping file")
    except InputError as exc:
        raise InputErrors([exc]) from None
    return parse_mapping(data, str(path))

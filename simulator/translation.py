"""String ids of a scenario's translatable texts, and a translated copy of a scenario.

Why ids derived from the structure: a translation must not copy the branching (the English file stays the
only place where nodes, conditions, codes and effects live). Each text gets a stable id such as
``nodes.opening.choices.opening#2.feedback``: node ids and choice ids already exist and are what records
and authors use, so an id survives the reordering of unrelated nodes. Numbers (``lines.N``,
``variants.M``, ``objectives.N``, ``reply.N``, ``what_matters.N``) count from 1, as authors do.

The translatable fields of each model are listed once in ``TRANSLATABLE``; ``NOT_TRANSLATED`` lists the
other string fields (ids, conditions, codes...). A test walks the pydantic models and fails if a string
field is in neither list, so a new text field cannot be forgotten silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator, Mapping

from .scenario import Branch, Character, Choice, Ending, EndingVariant, LineSpec, Node, Scenario, StateVar, Variant

__all__ = [
    "TRANSLATABLE",
    "NOT_TRANSLATED",
    "SourceString",
    "DuplicateStringId",
    "source_strings",
    "string_table",
    "translated_copy",
]

# Model -> its string fields whose text is shown to people (and so is translated).
TRANSLATABLE: dict[type, tuple[str, ...]] = {
    Scenario: ("title", "summary", "objectives"),
    Character: ("name", "job", "leave_context", "what_matters", "description"),
    StateVar: ("label",),
    Node: ("prompt",),
    LineSpec: ("text",),
    Variant: ("text",),
    Choice: ("text", "feedback", "source"),
    Ending: ("title", "summary"),
    EndingVariant: ("title", "summary"),
}

# Model -> its string fields that are identifiers, conditions or codes (never translated).
NOT_TRANSLATED: dict[type, tuple[str, ...]] = {
    Scenario: ("id", "version", "role", "difficulty", "trains", "start"),
    Character: ("role",),
    LineSpec: ("speaker",),
    Variant: ("when",),
    Choice: ("id", "when", "codes", "next"),
    Branch: ("when", "next"),
    Ending: ("id", "outcome"),
    EndingVariant: ("when",),
}


class DuplicateStringId(ValueError):
    """Two texts of a scenario would get the same id (possible only with dots inside node or choice ids)."""


@dataclass(frozen=True)
class SourceString:
    """One translatable text: its id, the English text, where it lives in the model, and who says it.

    ``loc`` is the attribute/key path from the Scenario (e.g. ``('nodes', 'a', 'choices', 0, 'text')``),
    used to replace the text in a copy and to find its YAML line. ``note`` tells translators who says the
    text or where it is shown (e.g. "said by Julie Marchand (worker)"); empty for the scenario's own texts."""

    id: str
    text: str
    loc: tuple
    note: str = ""


def _character_label(scenario: Scenario, character_id: str) -> str:
    character = scenario.characters.get(character_id)
    if character is None:
        return character_id
    return f"{character.name} ({character.role.replace('_', ' ')})"


def _lines(scenario: Scenario, lines: list[LineSpec], prefix: str, loc: tuple) -> Iterator[SourceString]:
    for i, line in enumerate(lines):
        who = "said by " + _character_label(scenario, line.speaker)
        yield SourceString(f"{prefix}.{i + 1}.text", line.text, loc + (i, "text"), who)
        for j, variant in enumerate(line.variants):
            yield SourceString(f"{prefix}.{i + 1}.variants.{j + 1}.text", variant.text,
                               loc + (i, "variants", j, "text"), who)


def _walk(scenario: Scenario) -> Iterator[SourceString]:
    yield SourceString("title", scenario.title, ("title",))
    if scenario.summary is not None:
        yield SourceString("summary", scenario.summary, ("summary",))
    for i, objective in enumerate(scenario.objectives):
        yield SourceString(f"objectives.{i + 1}", objective, ("objectives", i))
    for cid, character in scenario.characters.items():
        base = f"characters.{cid}"
        loc = ("characters", cid)
        for name in ("name", "job", "leave_context", "description"):
            value = getattr(character, name)
            if value is not None:
                yield SourceString(f"{base}.{name}", value, loc + (name,))
        for i, item in enumerate(character.what_matters):
            yield SourceString(f"{base}.what_matters.{i + 1}", item, loc + ("what_matters", i))
    for var, spec in scenario.state.items():
        if spec.label is not None:
            yield SourceString(f"state.{var}.label", spec.label, ("state", var, "label"))
    trainee = f"the trainee ({scenario.role.replace('_', ' ')})"
    said = "said by " + trainee
    for nid, node in scenario.nodes.items():
        base = f"nodes.{nid}"
        loc = ("nodes", nid)
        if node.prompt is not None:
            yield SourceString(f"{base}.prompt", node.prompt, loc + ("prompt",), "cue shown to " + trainee)
        yield from _lines(scenario, node.lines, f"{base}.lines", loc + ("lines",))
        for i, choice in enumerate(node.choices or []):
            cid = choice.id or f"{nid}#{i + 1}"
            cbase = f"{base}.choices.{cid}"
            cloc = loc + ("choices", i)
            yield SourceString(f"{cbase}.text", choice.text, cloc + ("text",), said)
            for j, variant in enumerate(choice.variants):
                yield SourceString(f"{cbase}.variants.{j + 1}.text", variant.text,
                                   cloc + ("variants", j, "text"), said)
            if choice.feedback:
                yield SourceString(f"{cbase}.feedback", choice.feedback, cloc + ("feedback",), "coach's feedback on this option")
            if choice.source:
                yield SourceString(f"{cbase}.source", choice.source, cloc + ("source",), "citation of the guides for this option")
            yield from _lines(scenario, choice.reply, f"{cbase}.reply", cloc + ("reply",))
        if node.ending is not None:
            ending = node.ending
            eloc = loc + ("ending",)
            yield SourceString(f"{base}.ending.title", ending.title, eloc + ("title",), "ending shown to the trainee")
            yield SourceString(f"{base}.ending.summary", ending.summary, eloc + ("summary",), "ending shown to the trainee")
            for j, ending_variant in enumerate(ending.variants):
                for name in ("title", "summary"):
                    value = getattr(ending_variant, name)
                    if value is not None:
                        yield SourceString(f"{base}.ending.variants.{j + 1}.{name}", value,
                                           eloc + ("variants", j, name), "ending shown to the trainee")


def source_strings(scenario: Scenario) -> list[SourceString]:
    """Every translatable text of ``scenario``, in file order. Raises :class:`DuplicateStringId` if two
    texts would share an id (only possible with node or choice ids that contain dots)."""
    out = list(_walk(scenario))
    seen: set[str] = set()
    for item in out:
        if item.id in seen:
            raise DuplicateStringId(
                f"two texts of scenario {scenario.id!r} would share the string id {item.id!r}: "
                "rename the node or choice id so that it has no dot"
            )
        seen.add(item.id)
    return out


def string_table(scenario: Scenario) -> dict[str, str]:
    """``{string id: English text}`` in file order."""
    return {s.id: s.text for s in source_strings(scenario)}


def _set(target: Any, loc: tuple, value: str) -> None:
    for part in loc[:-1]:
        target = target[part] if isinstance(target, (dict, list)) else getattr(target, part)
    last = loc[-1]
    if isinstance(target, (dict, list)):
        target[last] = value
    else:
        setattr(target, last, value)


def translated_copy(scenario: Scenario, texts: Mapping[str, str]) -> Scenario:
    """A deep copy of ``scenario`` with each text whose id is in ``texts`` replaced; the rest stays English.

    Why a copy: the engine, scoring and records keep working on a plain Scenario with the same ids,
    conditions and codes; only what people read changes. The loader's path and YAML positions are kept."""
    copy = scenario.model_copy(deep=True)
    copy._path = scenario._path
    copy._positions = scenario._positions
    for item in source_strings(scenario):
        text = texts.get(item.id)
        if text:
            _set(copy, item.loc, text)
    return copy

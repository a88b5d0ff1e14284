"""String ids: every text field of the scenario model is either translated or declared not to be, every
text of a scenario gets exactly one id, and ids are unique (a property over generated scenarios)."""

from __future__ import annotations

from typing import Annotated, Any, Union, get_args, get_origin

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from simulator.loader import load_scenario
from simulator.scenario import Scenario
from simulator.translation import (
    NOT_TRANSLATED,
    TRANSLATABLE,
    DuplicateStringId,
    source_strings,
    string_table,
    translated_copy,
)


def _types(tp: Any) -> list[Any]:
    """Every type named inside an annotation (Optional, Annotated, list, dict values unwrapped; dict keys are
    ids, never text)."""
    origin = get_origin(tp)
    if origin is Annotated:
        return _types(get_args(tp)[0])
    if origin is dict:
        return _types(get_args(tp)[1])
    if origin in (Union, list, dict) or (origin is not None and get_args(tp)):
        return [t for arg in get_args(tp) for t in _types(arg)]
    return [tp]


def _models(root: type[BaseModel]) -> set[type[BaseModel]]:
    seen: set[type[BaseModel]] = set()
    todo = [root]
    while todo:
        model = todo.pop()
        if model in seen:
            continue
        seen.add(model)
        for field in model.model_fields.values():
            for t in _types(field.annotation):
                if isinstance(t, type) and issubclass(t, BaseModel):
                    todo.append(t)
    return seen


def _has_str(annotation: Any) -> bool:
    return any(t is str for t in _types(annotation))


def test_every_string_field_of_the_model_is_classified():
    """A new text field added to a model fails here until it is put in TRANSLATABLE or NOT_TRANSLATED."""
    unclassified = []
    for model in _models(Scenario):
        for name, field in model.model_fields.items():
            if not _has_str(field.annotation):
                continue
            listed = name in TRANSLATABLE.get(model, ()) or name in NOT_TRANSLATED.get(model, ())
            if not listed:
                unclassified.append(f"{model.__name__}.{name}")
    assert unclassified == []


def test_classification_names_real_fields_once():
    for table in (TRANSLATABLE, NOT_TRANSLATED):
        for model, names in table.items():
            for name in names:
                assert issubclass(model, BaseModel) and name in model.model_fields, f"{model.__name__}.{name}"
    for model in TRANSLATABLE:
        assert not set(TRANSLATABLE[model]) & set(NOT_TRANSLATED.get(model, ())), model.__name__


def _generic_texts(value: Any, loc: tuple = ()) -> set[tuple]:
    """Locations of every non-empty translatable string, found by walking the model generically (not with
    the extraction under test): so a text the extraction forgets shows up as a difference."""
    out: set[tuple] = set()
    if isinstance(value, BaseModel):
        fields = TRANSLATABLE.get(type(value), ())
        for name in type(value).model_fields:
            child = getattr(value, name)
            if name in fields:
                if isinstance(child, str) and child:
                    out.add(loc + (name,))
                elif isinstance(child, list):
                    out.update(loc + (name, i) for i, item in enumerate(child) if isinstance(item, str) and item)
            else:
                out |= _generic_texts(child, loc + (name,))
    elif isinstance(value, dict):
        for key, child in value.items():
            out |= _generic_texts(child, loc + (key,))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            out |= _generic_texts(child, loc + (i,))
    return out


def _check(scenario: Scenario) -> None:
    strings = source_strings(scenario)
    ids = [s.id for s in strings]
    assert len(ids) == len(set(ids))
    assert {s.loc for s in strings} == _generic_texts(scenario)
    assert len({s.loc for s in strings}) == len(strings)


@pytest.mark.parametrize("name", ["mini.yaml", "conditional.yaml"])
def test_fixtures_every_text_has_one_id(name):
    from pathlib import Path

    _check(load_scenario(Path(__file__).resolve().parent / "data" / name))


def test_packaged_scenarios_every_text_has_one_id(scenario_path):
    _check(load_scenario(scenario_path))


# -- generated scenarios --------------------------------------------------------------------------------
_plain_id = st.from_regex(r"[A-Za-z0-9_][A-Za-z0-9_-]{0,5}", fullmatch=True)
_dotted_id = st.from_regex(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,5}", fullmatch=True)
_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=8).filter(str.strip)


def _lines(draw, speakers):
    return [
        {"speaker": draw(st.sampled_from(speakers)), "text": draw(_text),
         "variants": [{"when": "true", "text": draw(_text)} for _ in range(draw(st.integers(0, 2)))]}
        for _ in range(draw(st.integers(0, 2)))
    ]


@st.composite
def scenarios(draw, ids=_plain_id):
    node_ids = draw(st.lists(ids, min_size=1, max_size=5, unique=True))
    choice_ids = iter(draw(st.lists(ids, min_size=12, max_size=12, unique=True)))
    characters = {cid: {"name": draw(_text), "role": "worker",
                        "job": draw(st.none() | _text), "what_matters": draw(st.lists(_text, max_size=2))}
                  for cid in draw(st.lists(_plain_id, min_size=1, max_size=2, unique=True))}
    speakers = sorted(characters)
    nodes = {}
    for nid in node_ids:
        node: dict[str, Any] = {"lines": _lines(draw, speakers), "prompt": draw(st.none() | _text)}
        if draw(st.booleans()):
            node["choices"] = [
                {"id": next(choice_ids) if draw(st.booleans()) else None, "text": draw(_text),
                 "feedback": draw(st.just("") | _text), "source": draw(st.just("") | _text),
                 "variants": [{"when": "true", "text": draw(_text)} for _ in range(draw(st.integers(0, 2)))],
                 "reply": _lines(draw, speakers), "next": draw(st.sampled_from(node_ids))}
                for _ in range(draw(st.integers(1, 3)))
            ]
        else:
            node["ending"] = {"title": draw(_text), "outcome": "mixed", "summary": draw(_text),
                              "variants": [{"when": "true", "title": draw(st.none() | _text), "summary": draw(_text)}
                                           for _ in range(draw(st.integers(0, 2)))]}
        nodes[nid] = node
    data = {"id": "gen", "title": draw(_text), "version": "1", "role": "supervisor", "guide_steps": [1],
            "objectives": draw(st.lists(_text, min_size=1, max_size=3)), "duration_minutes": 5,
            "difficulty": "introductory", "summary": draw(st.none() | _text), "characters": characters,
            "state": {"v": {"initial": 0, "label": draw(st.none() | _text)}}, "start": node_ids[0], "nodes": nodes}
    return Scenario.model_validate(data)


@settings(max_examples=120, deadline=None)
@given(scenarios())
def test_generated_scenarios_have_unique_ids_covering_every_text(scenario):
    _check(scenario)


@settings(max_examples=120, deadline=None)
@given(scenarios(ids=_dotted_id))
def test_dotted_ids_either_stay_unique_or_are_refused(scenario):
    """Dots in node or choice ids can make two ids collide: the extraction then says so, never merges."""
    try:
        _check(scenario)
    except DuplicateStringId as exc:
        assert "rename the node or choice id" in str(exc)


def test_collision_is_reported():
    data = {"id": "gen", "title": "T", "version": "1", "role": "supervisor", "guide_steps": [1],
            "objectives": ["O"], "duration_minutes": 5, "difficulty": "introductory",
            "characters": {"w": {"name": "W", "role": "worker"}}, "start": "a",
            "nodes": {"a": {"choices": [
                {"id": "b", "text": "x", "variants": [{"when": "true", "text": "y"}], "next": "e"},
                {"id": "b.variants.1", "text": "z", "next": "e"}]},
                "e": {"ending": {"title": "E", "outcome": "mixed", "summary": "S"}}}}
    with pytest.raises(DuplicateStringId, match="b.variants.1.text"):
        source_strings(Scenario.model_validate(data))


@settings(max_examples=60, deadline=None)
@given(scenarios(), st.data())
def test_translated_copy_replaces_exactly_the_given_texts(scenario, data):
    table = string_table(scenario)
    chosen = data.draw(st.sets(st.sampled_from(sorted(table))))
    copy = translated_copy(scenario, {sid: f"«{table[sid]}»" for sid in chosen})
    after = string_table(copy)
    for sid, text in table.items():
        assert after[sid] == (f"«{text}»" if sid in chosen else text)
    # The structure the engine plays is untouched, and the original is not modified.
    assert copy.model_dump(exclude=None) != scenario.model_dump() or not chosen
    assert string_table(scenario) == table
    assert [n.kind for n in copy.nodes.values()] == [n.kind for n in scenario.nodes.values()]

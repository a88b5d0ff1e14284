"""Training attempts as xAPI 1.0.3 statements, for the organisation's learning-management system.

Why xAPI: it is what learning record stores (LRS) and most LMSs accept for training done outside them, and
the cmi5 profile says how a launched / completed / passed or failed assignable unit is reported. We follow
cmi5 where it applies (a registration per attempt, the cmi5 category on its defined verbs, ``completion``,
``success``, ``duration`` and a scaled score on them) and add one ``answered`` statement per decision, which
cmi5 allows as an "allowed statement" without its category.

Why stable ids: a statement's id is a UUID derived from the attempt (trainee pseudonym, scenario, start time,
attempt number), the verb and the step, so exporting or sending the same attempt twice yields the same ids
and an LRS stores it once. Nothing but the pseudonym identifies a trainee, and no free text is exported.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .records import Attempt, StoredChoice

XAPI_VERSION = "1.0.3"

#: Namespace of every id this module derives (a fixed random UUID: changing it would duplicate statements).
NAMESPACE = uuid.UUID("6f1b7c2e-4f0d-5a4e-9a57-3c1f0d2b8e61")

VERBS = {
    "launched": "http://adlnet.gov/expapi/verbs/launched",
    "answered": "http://adlnet.gov/expapi/verbs/answered",
    "completed": "http://adlnet.gov/expapi/verbs/completed",
    "passed": "http://adlnet.gov/expapi/verbs/passed",
    "failed": "http://adlnet.gov/expapi/verbs/failed",
}
CMI5_CATEGORY = {"id": "https://w3id.org/xapi/cmi5/context/categories/cmi5"}
MOVEON_CATEGORY = {"id": "https://w3id.org/xapi/cmi5/context/categories/moveon"}
ACTIVITY_TYPE_SCENARIO = "http://adlnet.gov/expapi/activities/simulation"
ACTIVITY_TYPE_DECISION = "http://adlnet.gov/expapi/activities/cmi.interaction"

DEFAULT_HOMEPAGE = "http://localhost/rtw-train"
"""The ``account.homePage`` of trainees' pseudonymous accounts; an LMS matches accounts on it, so an
organisation sets its own with ``--xapi-homepage``."""

EXTENSION_BASE = "https://w3id.org/rtw-toolkit/xapi/extensions/"
ACTIVITY_BASE = "urn:rtw-toolkit:scenario:"


@dataclass(frozen=True)
class AttemptRecord:
    """What one attempt contributes: its row, its saved decisions and the thresholds it was judged against."""

    attempt: Attempt
    choices: Sequence[StoredChoice]
    thresholds: Mapping[str, float]
    language: str | None = None  # default: the language the attempt was played in (its record), else "en"


def _ext(name: str) -> str:
    return EXTENSION_BASE + name


def attempt_key(attempt: Attempt) -> str:
    """What makes an attempt the same one across exports and databases (never the row id alone)."""
    return f"{attempt.trainee}\x1f{attempt.scenario_id}\x1f{attempt.started_at}\x1f{attempt.id}"


def statement_id(attempt: Attempt, verb: str, step: int = 0) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{attempt_key(attempt)}\x1f{verb}\x1f{step}"))


def registration(attempt: Attempt) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{attempt_key(attempt)}\x1fregistration"))


def scenario_activity(scenario_id: str, title: str | None = None) -> dict[str, Any]:
    definition: dict[str, Any] = {"type": ACTIVITY_TYPE_SCENARIO}
    if title:
        definition["name"] = {"en": title}
    return {"objectType": "Activity", "id": ACTIVITY_BASE + scenario_id, "definition": definition}


def decision_activity(scenario_id: str, node_id: str) -> dict[str, Any]:
    return {
        "objectType": "Activity",
        "id": f"{ACTIVITY_BASE}{scenario_id}:decision:{node_id}",
        "definition": {"type": ACTIVITY_TYPE_DECISION, "interactionType": "choice"},
    }


def actor(pseudonym: str, homepage: str = DEFAULT_HOMEPAGE) -> dict[str, Any]:
    return {"objectType": "Agent", "account": {"homePage": homepage, "name": pseudonym}}


def iso_duration(started: str, finished: str) -> str | None:
    """ISO 8601 duration between two of our timestamps (``PT125S``), or None if either cannot be read."""
    try:
        seconds = (datetime.fromisoformat(finished) - datetime.fromisoformat(started)).total_seconds()
    except (TypeError, ValueError):
        return None
    return f"PT{max(0, round(seconds))}S"


def passed(record: AttemptRecord) -> bool:
    """Passed against the rubric: no harmful response, and every judged dimension at or above its threshold."""
    attempt = record.attempt
    if attempt.harmful_count:
        return False
    judged = [(attempt.dimensions[d], t) for d, t in record.thresholds.items() if d in attempt.dimensions]
    return all(value >= threshold for value, threshold in judged)


def statements(
    records: Iterable[AttemptRecord],
    *,
    homepage: str = DEFAULT_HOMEPAGE,
    titles: Mapping[str, str] | None = None,
) -> list[dict[str, Any]]:
    """Every statement for these attempts, in time order per attempt: launched, answered…, then for a
    finished attempt completed and passed or failed."""
    titles = titles or {}
    out: list[dict[str, Any]] = []
    for record in records:
        out.extend(_attempt_statements(record, homepage, titles.get(record.attempt.scenario_id)))
    return out


def _attempt_statements(record: AttemptRecord, homepage: str, title: str | None) -> list[dict[str, Any]]:
    attempt = record.attempt
    who = actor(attempt.trainee, homepage)
    scenario = scenario_activity(attempt.scenario_id, title)

    def context(cmi5: bool, moveon: bool = False, parent: bool = False) -> dict[str, Any]:
        activities: dict[str, Any] = {}
        if cmi5:
            activities["category"] = [CMI5_CATEGORY, MOVEON_CATEGORY] if moveon else [CMI5_CATEGORY]
        if parent:
            activities["parent"] = [{"objectType": "Activity", "id": scenario["id"]}]
        ctx: dict[str, Any] = {
            "registration": registration(attempt),
            "language": record.language or record.attempt.language or "en",
            "extensions": {
                _ext("scenario-id"): attempt.scenario_id,
                _ext("scenario-version"): attempt.scenario_version,
                _ext("coached"): attempt.coached,
            },
        }
        if activities:
            ctx["contextActivities"] = activities
        return ctx

    def verb(name: str) -> dict[str, Any]:
        return {"id": VERBS[name], "display": {"en-US": name}}

    out = [
        {
            "id": statement_id(attempt, "launched"),
            "actor": who,
            "verb": verb("launched"),
            "object": scenario,
            "context": context(cmi5=True),
            "timestamp": attempt.started_at,
        }
    ]
    for choice in record.choices:
        out.append(
            {
                "id": statement_id(attempt, "answered", choice.step),
                "actor": who,
                "verb": verb("answered"),
                "object": decision_activity(attempt.scenario_id, choice.node_id),
                "result": {
                    "response": str(choice.number),
                    "extensions": {_ext("codes"): list(choice.codes), _ext("step"): choice.step},
                },
                "context": context(cmi5=False, parent=True),
                "timestamp": choice.chosen_at or attempt.updated_at,
            }
        )
    if attempt.finished_at is None:
        return out
    duration = iso_duration(attempt.started_at, attempt.finished_at)
    completed_result: dict[str, Any] = {"completion": True}
    if duration:
        completed_result["duration"] = duration
    out.append(
        {
            "id": statement_id(attempt, "completed"),
            "actor": who,
            "verb": verb("completed"),
            "object": scenario,
            "result": completed_result,
            "context": context(cmi5=True, moveon=True),
            "timestamp": attempt.finished_at,
        }
    )
    success = passed(record)
    verdict = "passed" if success else "failed"
    result: dict[str, Any] = {
        "success": success,
        "extensions": {
            _ext("dimension-scores"): {d: round(v / 100, 4) for d, v in sorted(attempt.dimensions.items())},
            _ext("harmful-responses"): attempt.harmful_count or 0,
        },
    }
    if attempt.overall is not None:
        result["score"] = {"scaled": round(max(0.0, min(100.0, attempt.overall)) / 100, 4), "raw": attempt.overall,
                           "min": 0, "max": 100}
    if attempt.ending:
        result["extensions"][_ext("ending")] = attempt.ending
    if duration:
        result["duration"] = duration
    out.append(
        {
            "id": statement_id(attempt, verdict),
            "actor": who,
            "verb": verb(verdict),
            "object": scenario,
            "result": result,
            "context": context(cmi5=True, moveon=success),
            "timestamp": attempt.finished_at,
        }
    )
    return out

"""The trainer's live picture of the room, computed from the shared records (no Textual here).

Why a pure module: the trainer's screen refreshes it every second and the tests check it directly. It covers
the attempts started since the room opened: where each trainee is, the spread of choices at each decision of
a scenario (with the coach's code of each option), the group's mean score per skill dimension and the endings
reached. With fewer than ``SMALL_GROUP`` trainees on a scenario the spread shows the options and their codes
but neither counts nor which were taken, so that nobody's choice can be singled out, unless the trainer asks.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from ..records import Attempt
from ..rubric import ListeningRubric
from ..scenario import Scenario
from .state import RoomStore

SMALL_GROUP = 5


@dataclass(frozen=True)
class TraineeStatus:
    pseudonym: str
    present: bool
    scenario_id: str | None
    step: int
    mode: str  # coach | plain | -
    status: str  # playing | finished | waiting


@dataclass(frozen=True)
class OptionSpread:
    number: int
    codes: tuple[str, ...]
    valence: str  # constructive | neutral | harmful | mixed
    count: int | None  # None: hidden (small group)
    taken: bool | None  # None: hidden too (with one player, "taken" would be that person's choice)


@dataclass(frozen=True)
class DecisionSpread:
    node_id: str
    prompt: str
    options: list[OptionSpread]


@dataclass
class GroupPicture:
    trainees: list[TraineeStatus] = field(default_factory=list)
    scenario_id: str | None = None
    players: int = 0
    counts_hidden: bool = False
    spread: list[DecisionSpread] = field(default_factory=list)
    dimensions: dict[str, tuple[float, int]] = field(default_factory=dict)  # mean, n (finished attempts)
    endings: dict[str, int | None] = field(default_factory=dict)


def decision_label(node, node_id: str, width: int = 48) -> str:
    """What the trainer recognises a decision by: its prompt, else the last line said before it."""
    text = node.prompt or (node.lines[-1].text if node.lines else node_id)
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def room_attempts(store: RoomStore, since: str) -> list[Attempt]:
    return store.records.attempts(started_since=since)


def trainee_statuses(store: RoomStore, attempts: list[Attempt]) -> list[TraineeStatus]:
    present = {p.pseudonym for p in store.present()}
    latest: dict[str, Attempt] = {}
    attempt: Attempt | None
    for attempt in attempts:
        if attempt.trainee not in latest or (attempt.updated_at, attempt.id) >= (
            latest[attempt.trainee].updated_at,
            latest[attempt.trainee].id,
        ):
            latest[attempt.trainee] = attempt
    out = []
    for name in sorted(present | set(latest)):
        attempt = latest.get(name)
        if attempt is None:
            out.append(TraineeStatus(name, True, None, 0, "-", "waiting"))
            continue
        out.append(
            TraineeStatus(
                name,
                name in present,
                attempt.scenario_id,
                attempt.steps,
                "coach" if attempt.coached else "plain",
                "finished" if attempt.finished else "playing",
            )
        )
    return out


def _valence(codes: tuple[str, ...], rubric: ListeningRubric | None) -> str:
    if rubric is None:
        return "-"
    kinds = {c.valence for cid in codes if (c := rubric.code(cid)) is not None}
    if "harmful" in kinds:
        return "harmful"
    if kinds == {"constructive"}:
        return "constructive"
    if kinds == {"neutral"}:
        return "neutral"
    return "mixed" if kinds else "-"


def most_played(statuses: list[TraineeStatus]) -> str | None:
    """The scenario most trainees are on (ties: the first id), for the spread when the trainer set none."""
    played = Counter(s.scenario_id for s in statuses if s.scenario_id)
    return max(played, key=lambda k: (played[k], k)) if played else None


def picture(
    store: RoomStore,
    scenario: Scenario | None,
    rubric: ListeningRubric | None,
    *,
    show_small_counts: bool = False,
    otherwise: Callable[[str], Scenario | None] | None = None,
) -> GroupPicture:
    """The room now. Without a ``scenario``, ``otherwise`` (a lookup by id) picks the most played one."""
    settings = store.settings()
    since = settings.opened_at if settings else ""
    attempts = room_attempts(store, since)
    result = GroupPicture(trainees=trainee_statuses(store, attempts))
    if scenario is None and otherwise is not None:
        popular = most_played(result.trainees)
        scenario = otherwise(popular) if popular else None
    if scenario is None:
        return result
    result.scenario_id = scenario.id
    on_scenario = [a for a in attempts if a.scenario_id == scenario.id]
    result.players = len({a.trainee for a in on_scenario})
    result.counts_hidden = result.players < SMALL_GROUP and not show_small_counts

    taken: dict[tuple[str, int, str], int] = Counter()
    for choices in store.records.choices_of_many([a.id for a in on_scenario]).values():
        for choice in choices:
            taken[(choice.node_id, choice.number, json.dumps(list(choice.codes)))] += 1
    per_node: dict[str, list[tuple[int, tuple[str, ...], int]]] = defaultdict(list)
    for (node_id, number, codes_json), count in taken.items():
        per_node[node_id].append((number, tuple(json.loads(codes_json)), count))
    for node_id, node in scenario.nodes.items():
        if node.choices is None:
            continue
        chosen = {(n, codes): c for n, codes, c in per_node.get(node_id, [])}
        # Numbers count the options offered at that moment: with conditional options they are not places
        # in the file, so a taken option is recognised by its codes (the first option carrying them).
        conditional = any(o.when for o in node.choices)
        first_place: dict[tuple[str, ...], int] = {}
        for place, option in enumerate(node.choices, start=1):
            first_place.setdefault(tuple(option.codes), place)
        options = []
        for place, option in enumerate(node.choices, start=1):
            codes = tuple(option.codes)
            if conditional:
                count = sum(c for (_, cs), c in chosen.items() if cs == codes and first_place[cs] == place)
            else:
                count = sum(c for (n, _), c in chosen.items() if n == place)
            options.append(
                OptionSpread(
                    number=place,
                    codes=codes,
                    valence=_valence(codes, rubric),
                    count=None if result.counts_hidden else count,
                    taken=None if result.counts_hidden else count > 0,
                )
            )
        result.spread.append(DecisionSpread(node_id, decision_label(node, node_id), options))

    finished = [a for a in on_scenario if a.finished]
    sums: dict[str, list[float]] = defaultdict(list)
    for attempt in finished:
        for key, value in attempt.dimensions.items():
            sums[key].append(value)
    if len(finished) >= SMALL_GROUP or show_small_counts:  # a mean of one or two is someone's own score
        result.dimensions = {k: (round(sum(v) / len(v), 1), len(v)) for k, v in sorted(sums.items())}
    ending_counts = Counter(a.ending for a in finished if a.ending)
    result.endings = {
        node_id: (None if result.counts_hidden else ending_counts.get(node_id, 0))
        for node_id in scenario.endings()
    }
    return result

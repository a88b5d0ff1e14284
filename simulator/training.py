"""What the app does with the engine and the records, without any Textual: load, play, save, resume, retry.

Why a module apart from the screens: every rule that matters for the records (save after each choice, finish
with the scores, resume only what still fits the scenario, a retry is a new attempt linked to the old one)
lives here once, is tested without a terminal, and the screens only display and forward keys.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from auditor.i18n import current_language

from .engine import Score, Session, Turn, score
from .errors import ScenarioError, SessionDataError, SessionError
from .i18n import _, ngettext
from .loader import load_rubric, load_scenario, scenario_files
from .records import Attempt, ChoiceRecord, RecordsError, ScoreRecord, TrainingRecords, utc_now
from .rubric import ListeningRubric
from .scenario import Scenario


@dataclass(frozen=True)
class Problem:
    """A file the app could not use, said in one sentence with where to look."""

    title: str
    message: str


@dataclass
class Catalog:
    """The playable scenarios (by id, in display order), the rubric, and what could not be loaded."""

    scenarios: dict[str, Scenario] = field(default_factory=dict)
    rubric: ListeningRubric | None = None
    problems: list[Problem] = field(default_factory=list)
    directory: Path | None = None

    def get(self, scenario_id: str) -> Scenario | None:
        return self.scenarios.get(scenario_id)


def load_catalog(scenarios_dir: Path, rubric_path: Path | None = None) -> Catalog:
    """Load every scenario file on its own, so one broken file hides only itself; never raises."""
    catalog = Catalog(directory=scenarios_dir)
    try:
        catalog.rubric = load_rubric(rubric_path)
    except ScenarioError as exc:  # RubricError is a ScenarioError
        catalog.problems.append(
            Problem(_("The scoring rubric cannot be read"), _("{where}: {problem}").format(
                where=_where(exc, Path(exc.file).parent), problem=exc.message))
        )
        return catalog
    if not scenarios_dir.is_dir():
        catalog.problems.append(Problem(_("No scenarios"), _("The scenario folder {folder} does not exist.").format(
            folder=scenarios_dir)))
        return catalog
    found: list[Scenario] = []
    seen: dict[str, str] = {}
    try:
        files = scenario_files(scenarios_dir)
    except OSError as exc:
        catalog.problems.append(Problem(_("No scenarios"), _("Cannot read {folder}: {reason}.").format(
            folder=scenarios_dir, reason=exc.strerror or exc)))
        return catalog
    for path in files:
        try:
            scenario = load_scenario(path)
        except ScenarioError as exc:
            catalog.problems.append(
                Problem(
                    _("A scenario file has a problem"),
                    _("{where}: {problem}.\n\nThis scenario is left out; the others can "
                      "be played. `rtw-train lint` lists every problem of the scenario files.").format(
                        where=_where(exc, scenarios_dir), problem=exc.message.rstrip(".")),
                )
            )
            continue
        if scenario.id in seen:
            catalog.problems.append(
                Problem(
                    _("Two scenarios share an id"),
                    _("{file}: the id {id} is also used by {other}; only the first one is offered.").format(
                        file=path.name, id=repr(scenario.id), other=Path(seen[scenario.id]).name),
                )
            )
            continue
        seen[scenario.id] = str(path)
        found.append(scenario)
    for scenario in sorted(found, key=_course_order):
        catalog.scenarios[scenario.id] = scenario
    return catalog


def _where(exc: ScenarioError, directory: Path) -> str:
    """``file.yaml, line 22, column 9``: the file named from the scenario folder, so the message stays short."""
    path = Path(exc.file)
    try:
        name = str(path.relative_to(directory))
    except ValueError:
        name = path.name if path.parent == directory else str(path)
    if exc.line and exc.column:
        return _("{file}, line {line}, column {column}").format(file=name, line=exc.line, column=exc.column)
    if exc.line:
        return _("{file}, line {line}").format(file=name, line=exc.line)
    return name


def flatten_score(result: Score) -> ScoreRecord:
    """The engine's Score as the plain numbers the records keep (dimensions without evidence are left out)."""
    return ScoreRecord(
        overall=float(result.overall),
        harmful_count=int(result.harmful_count),
        dimensions={k: float(d.value) for k, d in result.dimensions.items() if d.value is not None},
        thresholds={k: float(d.threshold) for k, d in result.dimensions.items()},
        indicators={i.id: (float(i.value), bool(i.meets)) for i in result.indicators if i.value is not None},
        rubric_version=result.rubric_version or None,
        verdicts={k: bool(d.meets) for k, d in result.dimensions.items() if d.meets is not None},
    )


def trust_series(session: Session) -> tuple[str, list[float], float, float] | None:
    """(label, values from the start and after each turn, min, max) of the worker's trust, if the scenario
    declares a visible variable (``trust`` preferred, else the first visible one)."""
    variables = {name: var for name, var in session.scenario.state.items() if not var.hidden}
    if not variables:
        return None
    name = "trust" if "trust" in variables else next(iter(variables))
    var = variables[name]
    start = session.turns[0].state_before[name] if session.turns else session.state[name]
    values = [start, *(t.state_after[name] for t in session.turns)]
    return var.label or name.replace("_", " ").capitalize(), [float(v) for v in values], float(var.min), float(var.max)


class TrainingRun:
    """One attempt being played: the engine session plus its row in the records, kept in step.

    Every choice is saved (engine ``to_dict`` and the choice, one transaction) before the screen shows what
    comes next; a save that fails is reported through ``last_save_error`` and the next choice tries again
    with the whole state, so nothing is lost once the disk is writable again.
    """

    def __init__(
        self,
        store: TrainingRecords,
        trainee: str,
        session: Session,
        attempt_id: int | None,
        *,
        started_at: str | None = None,
        retry_of: int | None = None,
        retry_from_step: int | None = None,
    ) -> None:
        self.store = store
        self.trainee = trainee
        self.session = session
        self.attempt_id = attempt_id
        self.started_at = started_at
        self.retry_of = retry_of
        self.retry_from_step = retry_from_step
        self.last_save_error: RecordsError | None = None
        self._pending: list[ChoiceRecord] = []
        self._finish_saved = session.finished  # a finished attempt loaded for review is already saved

    @property
    def scenario(self) -> Scenario:
        return self.session.scenario

    @property
    def rubric(self) -> ListeningRubric:
        return self.session.rubric

    @classmethod
    def start(
        cls, store: TrainingRecords, trainee: str, scenario: Scenario, rubric: ListeningRubric, *, coached: bool
    ) -> TrainingRun:
        """A fresh attempt. Its row is written with the first choice: opening a scenario and leaving at once
        leaves nothing behind to resume or to clutter the trainer's export."""
        return cls(store, trainee, Session.start(scenario, rubric), None, started_at=utc_now())

    @classmethod
    def resume(cls, store: TrainingRecords, attempt: Attempt, catalog: Catalog) -> TrainingRun:
        """Rebuild an unfinished attempt; SessionDataError says why it cannot be (scenario gone or changed)."""
        scenario = catalog.get(attempt.scenario_id)
        if scenario is None or catalog.rubric is None:
            raise SessionDataError(
                f"the scenario {attempt.scenario_id!r} is no longer available, so this attempt cannot be resumed"
            )
        session = Session.from_dict(scenario, catalog.rubric, attempt.state)
        run = cls(store, attempt.trainee, session, attempt.id)
        run._finish_saved = False  # the last choice was saved but not the finish (a crash in between)
        return run

    @classmethod
    def review(cls, store: TrainingRecords, attempt: Attempt, catalog: Catalog) -> TrainingRun:
        """A finished attempt loaded for its debrief (the scenario may have changed since: not checked)."""
        scenario = catalog.get(attempt.scenario_id)
        if scenario is None or catalog.rubric is None:
            raise SessionDataError(f"the scenario {attempt.scenario_id!r} is no longer available")
        session = Session.from_dict(scenario, catalog.rubric, attempt.state, check_version=False)
        return cls(store, attempt.trainee, session, attempt.id)

    def choose(self, number: int, *, coached: bool) -> Turn:
        """Apply a choice, then save it (and finish the attempt if this was the last decision)."""
        turn = self.session.choose(number)
        self._pending.append(ChoiceRecord(len(self.session.turns), turn.node_id, turn.number, tuple(turn.codes)))
        self.save(coached=coached)
        return turn

    def save(self, *, coached: bool) -> bool:
        """Write what is not saved yet: the attempt's row, pending choices (each with the state), the finish.

        Returns False and keeps ``last_save_error`` when the records refuse; calling again later saves
        everything still pending, so a full disk or a locked file costs nothing once it is fixed."""
        try:
            if self.attempt_id is None:
                self.attempt_id = self.store.start_attempt(
                    self.trainee,
                    self.scenario.id,
                    self.scenario.version,
                    self.session.to_dict(),
                    coached=coached,
                    retry_of=self.retry_of,
                    retry_from_step=self.retry_from_step,
                    started_at=self.started_at,
                )
            while self._pending:
                self.store.save_choice(self.attempt_id, self.session.to_dict(), self._pending[0], coached=coached)
                self._pending.pop(0)
            if self.session.finished and not self._finish_saved:
                ending = self.session.ending
                self.store.finish_attempt(
                    self.attempt_id,
                    self.session.to_dict(),
                    ending.id if ending else None,
                    flatten_score(self.score()),
                )
                self._finish_saved = True
        except RecordsError as exc:
            self.last_save_error = exc
            return False
        self.last_save_error = None
        return True

    @property
    def saved(self) -> bool:
        finish_pending = self.session.finished and not self._finish_saved
        return self.last_save_error is None and not self._pending and not finish_pending

    def score(self) -> Score:
        return score(self.session, self.rubric)

    def retry_from(self, turn_index: int) -> TrainingRun:
        """A new attempt that replays this one's first ``turn_index`` choices, linked to it in the records
        (written, like any attempt, with its first new choice)."""
        if not 0 <= turn_index <= len(self.session.turns):
            raise SessionError(f"there is no decision point {turn_index + 1} in this attempt")
        return TrainingRun(
            self.store,
            self.trainee,
            self.session.rewind(turn_index),
            None,
            started_at=utc_now(),
            retry_of=self.attempt_id,
            retry_from_step=turn_index + 1,
        )

def local_time(stamp: str | None) -> str:
    """A stored UTC timestamp in the trainee's local time, e.g. ``25 Nov 14:03`` (year added if not this one)."""
    if not stamp:
        return ""
    try:
        moment = datetime.fromisoformat(stamp).astimezone()
    except ValueError:
        return stamp
    this_year = moment.year == datetime.now().year
    if current_language() == "fr":  # "25 nov. 14 h 03", as Québec writes it (Babel's month abbreviations)
        from babel.dates import format_datetime

        pattern = "d MMM HH 'h' mm" if this_year else "d MMM y HH 'h' mm"
        return format_datetime(moment, pattern, locale="fr_CA")
    fmt = "%d %b %H:%M" if this_year else "%d %b %Y %H:%M"
    return moment.strftime(fmt)


def describe_attempt(attempt: Attempt, catalog: Catalog) -> str:
    """One line for lists: scenario title, how far it got, when."""
    scenario = catalog.get(attempt.scenario_id)
    title = scenario.title if scenario else attempt.scenario_id
    when = local_time(attempt.updated_at)
    if attempt.finished:
        return _("{title}: finished {when}").format(title=title, when=when)
    return ngettext("{title}: {count} choice made, last saved {when}", "{title}: {count} choices made, last saved {when}",
                    attempt.steps).format(title=title, count=attempt.steps, when=when)



_LEVELS = {"introductory": 0, "intermediate": 1, "advanced": 2}


def _course_order(scenario) -> tuple:
    """The order a trainer teaches them: by the guide's step, then by difficulty, then by title."""
    return (min(scenario.guide_steps), _LEVELS.get(scenario.difficulty, 9), scenario.title.lower(), scenario.id)

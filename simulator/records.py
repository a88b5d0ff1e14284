"""Training records: every attempt saved as it happens, in one SQLite file only its owner can read.

Why SQLite: a trainee's terminal can be closed or crash at any moment, and the trainer later needs the whole
group's results. Each choice is saved in its own transaction (WAL, synchronous=FULL), so nothing that was
chosen is ever lost, and an unfinished attempt can be resumed from the engine's own ``to_dict``.

What is kept is only what training needs: a pseudonym, the scenario id and version, the choices (node id and
choice number), the engine state, the scores and timestamps. No free text is ever stored.

This module never imports Textual: the trainer's commands (``simulator.reports``: ``rtw-train history`` and
``rtw-train export --csv``) read it directly, and the app is a thin layer over it.
"""

from __future__ import annotations

import json
import os
import sqlite3
import urllib.parse
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Literal

from auditor.i18n import LANGUAGES, current_language

from .i18n import _

APP_NAME = "rtw-toolkit"
DB_FILENAME = "training.sqlite3"
ENV_DB = "RTW_TRAIN_DB"
SCHEMA_VERSION = 3
MAX_PSEUDONYM = 40

_SCHEMA_V1 = """
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE trainees (
    id         INTEGER PRIMARY KEY,
    pseudonym  TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);
CREATE TABLE attempts (
    id               INTEGER PRIMARY KEY,
    trainee_id       INTEGER NOT NULL REFERENCES trainees(id),
    scenario_id      TEXT NOT NULL,
    scenario_version TEXT NOT NULL,
    started_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    finished_at      TEXT,
    ending           TEXT,
    coached          INTEGER NOT NULL DEFAULT 0,
    retry_of         INTEGER REFERENCES attempts(id),
    retry_from_step  INTEGER,
    overall          REAL,
    harmful_count    INTEGER,
    state_json       TEXT NOT NULL
);
CREATE INDEX attempts_by_trainee ON attempts(trainee_id, scenario_id);
CREATE TABLE choices (
    attempt_id INTEGER NOT NULL REFERENCES attempts(id),
    step       INTEGER NOT NULL,
    node_id    TEXT NOT NULL,
    number     INTEGER NOT NULL,
    codes_json TEXT NOT NULL,
    coached    INTEGER NOT NULL,
    chosen_at  TEXT NOT NULL,
    PRIMARY KEY (attempt_id, step)
);
CREATE TABLE scores (
    attempt_id INTEGER NOT NULL REFERENCES attempts(id),
    kind       TEXT NOT NULL CHECK (kind IN ('dimension', 'indicator')),
    key        TEXT NOT NULL,
    value      REAL NOT NULL,
    threshold  REAL,
    meets      INTEGER,
    PRIMARY KEY (attempt_id, kind, key)
);
"""

# Version 2: the version of the listening rubric an attempt was scored with (scores change meaning between
# rubric versions). Attempts finished before it were scored with rubric "1.0"; unfinished ones get the version
# of the rubric that scores them when they finish.
_SCHEMA_V2 = """
ALTER TABLE attempts ADD COLUMN rubric_version TEXT;
UPDATE attempts SET rubric_version = '1.0' WHERE finished_at IS NOT NULL
"""

# Version 3: the language an attempt was played in ('en', 'fr'), so history and exports can say it and the
# xAPI statements carry it. Attempts started before it stay NULL: the app could already play French scenarios
# with --lang, so their language is unknown rather than guessed.
_SCHEMA_V3 = """
ALTER TABLE attempts ADD COLUMN language TEXT
"""

_MIGRATIONS: dict[int, str] = {1: _SCHEMA_V1, 2: _SCHEMA_V2, 3: _SCHEMA_V3}
"""Schema version -> script that brings the previous version to it. Add a step, never edit one."""


class RecordsError(Exception):
    """A problem with the training records that the user can act on: a title and one plain sentence."""

    def __init__(self, message: str, title: str | None = None) -> None:
        super().__init__(message)
        self.title = title if title is not None else _("Training records")
        self.message = message


@dataclass(frozen=True)
class ChoiceRecord:
    """One decision as it is stored: where, which numbered option, and the rubric codes it carried."""

    step: int
    node_id: str
    number: int
    codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class StoredChoice(ChoiceRecord):
    """A saved decision read back, with whether the coach was on and when it was made."""

    coached: bool = False
    chosen_at: str = ""


@dataclass(frozen=True)
class ScoreRecord:
    """A finished attempt's scores, in plain numbers (the engine's Score flattened)."""

    overall: float | None
    harmful_count: int
    dimensions: Mapping[str, float] = field(default_factory=dict)
    thresholds: Mapping[str, float] = field(default_factory=dict)
    indicators: Mapping[str, tuple[float, bool]] = field(default_factory=dict)
    rubric_version: str | None = None
    # Verdict per dimension judged in the scenario (its ``trains``); a dimension left out has no verdict.
    verdicts: Mapping[str, bool] = field(default_factory=dict)


@dataclass(frozen=True)
class Attempt:
    """One attempt at one scenario, as read back from the database."""

    id: int
    trainee: str
    scenario_id: str
    scenario_version: str
    started_at: str
    updated_at: str
    finished_at: str | None
    ending: str | None
    coached: bool
    retry_of: int | None
    retry_from_step: int | None
    overall: float | None
    harmful_count: int | None
    state: dict[str, Any]
    dimensions: dict[str, float]
    steps: int  # decisions taken so far (from the saved engine state, so a retry counts its replayed ones)
    rubric_version: str | None = None  # the listening rubric's version the scores were computed with
    language: str | None = None  # the language it was played in ('en', 'fr'); None if started before it was kept

    @property
    def finished(self) -> bool:
        return self.finished_at is not None


def utc_now() -> str:
    """Timestamps are UTC, ISO 8601 to the second: sortable as text and unambiguous across sites."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def default_db_path(environ: Mapping[str, str] | None = None) -> Path:
    """``$RTW_TRAIN_DB`` if set, else ``training.sqlite3`` in the user's data directory for rtw-toolkit."""
    env = os.environ if environ is None else environ
    if env.get(ENV_DB):
        return Path(env[ENV_DB]).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False)) / DB_FILENAME


def resolve_db_path(db: str | os.PathLike[str] | None) -> Path:
    """The ``--db`` option wins over the environment, which wins over the default location."""
    return Path(db).expanduser() if db else default_db_path()


def clean_pseudonym(raw: str) -> str:
    """Trim and check a trainee's name or pseudonym; raise RecordsError with the reason if unusable."""
    name = " ".join(raw.split())
    if not name:
        raise RecordsError(_("Type a first name or a pseudonym."), title=_("Who is training?"))
    if len(name) > MAX_PSEUDONYM:
        raise RecordsError(
            _("Keep it to {count} characters: a first name or a pseudonym is enough.").format(count=MAX_PSEUDONYM),
            title=_("Who is training?"),
        )
    if any(not ch.isprintable() for ch in name):
        raise RecordsError(_("Use letters, digits and spaces only."), title=_("Who is training?"))
    return name


def _make_private_dirs(directory: Path) -> None:
    """Create missing parents with mode 0700; directories that already exist are left as they are."""
    missing: list[Path] = []
    current = directory
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for path in reversed(missing):
        path.mkdir(mode=0o700)
        os.chmod(path, 0o700)


def _create_private_file(path: Path) -> None:
    """Create an empty file readable by its owner only, before SQLite ever opens it."""
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)


def explain_error(exc: BaseException) -> str:
    text = getattr(exc, "strerror", None) or str(exc)
    return text[:1].lower() + text[1:] if text else exc.__class__.__name__


class TrainingRecords:
    """The records store. Open it with ``TrainingRecords.open(path)``; every write is one transaction."""

    def __init__(self, path: Path, conn: sqlite3.Connection, now: Callable[[], str] = utc_now) -> None:
        self.path = path
        self._conn = conn
        self._now = now

    # ---------------------------------------------------------------- opening
    @classmethod
    def open(cls, path: str | os.PathLike[str], *, now: Callable[[], str] = utc_now) -> TrainingRecords:
        """Open (creating if needed, file 0600, new directories 0700) and migrate the records at ``path``."""
        db_path = Path(path).expanduser()
        try:
            if db_path.is_dir():
                raise RecordsError(_("{path} is a folder; give a file name for the training records.").format(
                    path=db_path))
            _make_private_dirs(db_path.parent)
            if not db_path.exists():
                _create_private_file(db_path)
            conn = sqlite3.connect(db_path, isolation_level=None, timeout=5.0)
        except RecordsError:
            raise
        except OSError as exc:
            raise RecordsError(_("Cannot create the training records at {path}: {reason}.").format(
                path=db_path, reason=explain_error(exc))) from exc
        except sqlite3.Error as exc:
            raise RecordsError(_("Cannot open the training records at {path}: {reason}.").format(
                path=db_path, reason=explain_error(exc))) from exc
        store = cls(db_path, conn, now)
        try:
            store._prepare()
        except sqlite3.Error as exc:
            conn.close()
            raise RecordsError(
                _("Cannot use the training records at {path}: {reason}. "
                  "Check that the file is a training database and that you may write to it.").format(
                    path=db_path, reason=explain_error(exc))
            ) from exc
        except RecordsError:
            conn.close()
            raise
        return store

    @classmethod
    def open_readonly(cls, path: str | os.PathLike[str], *, now: Callable[[], str] = utc_now) -> TrainingRecords:
        """Open existing records for reading only (``history``, ``export``): nothing is created,
        migrated or written, so a trainer can read a read-only copy (the writable ``open`` switches
        to WAL mode and fails there with "attempt to write a readonly database")."""
        db_path = Path(path).expanduser()
        if db_path.is_dir():
            raise RecordsError(_("{path} is a folder; give the training records' file name.").format(path=db_path))
        uri = "file:" + urllib.parse.quote(str(db_path.absolute()))
        last: sqlite3.Error | None = None
        # Without a -wal file beside it everything is in the file itself: read it as immutable, which
        # creates no -wal/-shm file next to it. With one (the app is running, or stopped abruptly),
        # read through it so the latest attempts are seen.
        wal = db_path.with_name(db_path.name + "-wal").exists()
        for flags in (("?mode=ro", "?mode=ro&immutable=1") if wal else ("?mode=ro&immutable=1",)):
            conn = None
            try:
                conn = sqlite3.connect(uri + flags, uri=True, isolation_level=None, timeout=5.0)
                conn.row_factory = sqlite3.Row
                version = conn.execute("PRAGMA user_version").fetchone()[0]
            except sqlite3.Error as exc:
                if conn is not None:
                    conn.close()
                last = exc
                continue
            if version != SCHEMA_VERSION:
                conn.close()
                newer = version > SCHEMA_VERSION
                raise RecordsError(
                    (_("{path} has schema {version}; this rtw-train reads schema {current}. Update rtw-train.")
                     if newer else
                     _("{path} has schema {version}; this rtw-train reads schema {current}. "
                       "Open it once with `rtw-train --db` on a writable copy to upgrade it.")).format(
                        path=db_path, version=version, current=SCHEMA_VERSION)
                )
            return cls(db_path, conn, now)
        assert last is not None  # every way of opening failed (each one otherwise returns or raises)
        raise RecordsError(_("Cannot read the training records at {path}: {reason}.").format(
            path=db_path, reason=explain_error(last))) from last

    @classmethod
    def in_memory(cls, *, now: Callable[[], str] = utc_now) -> TrainingRecords:
        """A store that keeps nothing after the app closes: the app's fallback when the file is unusable,
        so a trainee can still practise (the app says clearly that nothing is being saved)."""
        store = cls(Path(":memory:"), sqlite3.connect(":memory:", isolation_level=None), now)
        store._prepare(wal=False)
        return store

    @property
    def persistent(self) -> bool:
        return str(self.path) != ":memory:"

    def _prepare(self, wal: bool = True) -> None:
        conn = self._conn
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA foreign_keys = ON")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0] if wal else "wal"
        if str(mode).lower() != "wal":
            raise RecordsError(_("Cannot switch {path} to write-ahead logging (got {mode}).").format(
                path=self.path, mode=mode))
        conn.execute("PRAGMA synchronous = FULL")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise RecordsError(
                _("{path} was written by a newer rtw-train (schema {version}, this one reads up to "
                  "{current}). Update rtw-train or choose another file with --db.").format(
                    path=self.path, version=version, current=SCHEMA_VERSION)
            )
        for target in range(version + 1, SCHEMA_VERSION + 1):
            with self._transaction():
                self._run_script(_MIGRATIONS[target])
                conn.execute(f"PRAGMA user_version = {target}")

    def _run_script(self, script: str) -> None:
        # executescript() would COMMIT our transaction; run the statements one by one inside it instead.
        for statement in script.split(";"):
            if statement.strip():
                self._conn.execute(statement)

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> TrainingRecords:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _transaction(self) -> _Transaction:
        return _Transaction(self._conn, self.path)

    def write(self) -> _Transaction:
        """One write transaction for a companion store in the same file (the training room's tables)."""
        return self._transaction()

    def read(self, sql: str, params: Iterable[Any] = ()) -> sqlite3.Cursor:
        """A read for a companion store in the same file; sqlite errors become RecordsError."""
        return self._read(sql, params)

    # ---------------------------------------------------------------- settings
    def get_setting(self, key: str, default: str | None = None) -> str | None:
        row = self._read("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row["value"] if row else default

    def set_setting(self, key: str, value: str) -> None:
        with self._transaction() as conn:
            conn.execute(
                "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    # ---------------------------------------------------------------- trainees
    def trainee_id(self, pseudonym: str) -> int:
        """The id of a trainee, created on first use."""
        name = clean_pseudonym(pseudonym)
        with self._transaction() as conn:
            row = conn.execute("SELECT id FROM trainees WHERE pseudonym = ?", (name,)).fetchone()
            if row:
                return int(row["id"])
            cur = conn.execute("INSERT INTO trainees(pseudonym, created_at) VALUES (?, ?)", (name, self._now()))
            assert cur.lastrowid is not None  # set by the INSERT just made
            return int(cur.lastrowid)

    # ---------------------------------------------------------------- attempts
    def start_attempt(
        self,
        trainee: str,
        scenario_id: str,
        scenario_version: str,
        state: Mapping[str, Any],
        *,
        coached: bool,
        retry_of: int | None = None,
        retry_from_step: int | None = None,
        started_at: str | None = None,
        language: str | None = None,
    ) -> int:
        """Record a new attempt (a fresh start or a retry) with the engine's state at its start.

        ``language`` defaults to the active language (the app's and ``play``'s ``--lang`` set it), which is
        also the language the scenario is shown in; the pseudo-locale of tests is no language and stays NULL."""
        if language is None:
            active = current_language()
            language = active if active in LANGUAGES else None
        trainee_id = self.trainee_id(trainee)
        now = self._now()
        started = started_at or now
        with self._transaction() as conn:
            cur = conn.execute(
                "INSERT INTO attempts(trainee_id, scenario_id, scenario_version, started_at, updated_at, coached,"
                " retry_of, retry_from_step, state_json, language) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    trainee_id,
                    scenario_id,
                    str(scenario_version),
                    started,
                    now,
                    int(coached),
                    retry_of,
                    retry_from_step,
                    _dump(state),
                    language,
                ),
            )
            assert cur.lastrowid is not None  # set by the INSERT just made
            return int(cur.lastrowid)

    def save_choice(
        self, attempt_id: int, state: Mapping[str, Any], choice: ChoiceRecord, *, coached: bool
    ) -> None:
        """Save one choice and the engine state after it, together: either both are saved or neither."""
        now = self._now()
        with self._transaction() as conn:
            self._require_open_attempt(conn, attempt_id)
            conn.execute(
                "INSERT OR REPLACE INTO choices(attempt_id, step, node_id, number, codes_json, coached, chosen_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (attempt_id, choice.step, choice.node_id, choice.number, _dump(list(choice.codes)), int(coached), now),
            )
            # A rewind inside the same attempt would leave later steps behind: drop them.
            conn.execute("DELETE FROM choices WHERE attempt_id = ? AND step > ?", (attempt_id, choice.step))
            conn.execute(
                "UPDATE attempts SET state_json = ?, updated_at = ?, coached = MAX(coached, ?) WHERE id = ?",
                (_dump(state), now, int(coached), attempt_id),
            )

    def finish_attempt(
        self, attempt_id: int, state: Mapping[str, Any], ending: str | None, score: ScoreRecord
    ) -> None:
        """Mark an attempt finished with its ending and scores, in one transaction."""
        now = self._now()
        with self._transaction() as conn:
            self._require_open_attempt(conn, attempt_id)
            conn.execute(
                "UPDATE attempts SET state_json = ?, updated_at = ?, finished_at = ?, ending = ?, overall = ?,"
                " harmful_count = ?, rubric_version = ? WHERE id = ?",
                (_dump(state), now, now, ending, score.overall, int(score.harmful_count), score.rubric_version,
                 attempt_id),
            )
            conn.execute("DELETE FROM scores WHERE attempt_id = ?", (attempt_id,))
            for key, value in score.dimensions.items():
                conn.execute(
                    "INSERT INTO scores(attempt_id, kind, key, value, threshold, meets)"
                    " VALUES (?, 'dimension', ?, ?, ?, ?)",
                    (attempt_id, key, float(value), score.thresholds.get(key),
                     None if key not in score.verdicts else int(bool(score.verdicts[key]))),
                )
            for key, (value, meets) in score.indicators.items():
                conn.execute(
                    "INSERT INTO scores(attempt_id, kind, key, value, meets) VALUES (?, 'indicator', ?, ?, ?)",
                    (attempt_id, key, float(value), int(bool(meets))),
                )

    @staticmethod
    def _require_open_attempt(conn: sqlite3.Connection, attempt_id: int) -> None:
        row = conn.execute("SELECT finished_at FROM attempts WHERE id = ?", (attempt_id,)).fetchone()
        if row is None:
            raise RecordsError(_("Attempt {id} is not in the training records.").format(id=attempt_id))
        if row["finished_at"] is not None:
            raise RecordsError(_("Attempt {id} is already finished; start a retry instead.").format(id=attempt_id))

    # ---------------------------------------------------------------- reading
    def attempt(self, attempt_id: int) -> Attempt:
        found = self.attempts(attempt_ids=[attempt_id])
        if not found:
            raise RecordsError(_("Attempt {id} is not in the training records.").format(id=attempt_id))
        return found[0]

    def attempts(
        self,
        *,
        trainee: str | None = None,
        scenario_id: str | None = None,
        unfinished: bool | None = None,
        attempt_ids: Sequence[int] | None = None,
        started_since: str | None = None,
    ) -> list[Attempt]:
        """Attempts, oldest first, filtered by trainee, scenario, finished state, ids or start time."""
        where: list[str] = []
        params: list[str | int] = []
        if trainee is not None:
            where.append("t.pseudonym = ?")
            params.append(trainee)
        if scenario_id is not None:
            where.append("a.scenario_id = ?")
            params.append(scenario_id)
        if unfinished is True:
            where.append("a.finished_at IS NULL")
        elif unfinished is False:
            where.append("a.finished_at IS NOT NULL")
        if attempt_ids is not None:
            where.append(f"a.id IN ({','.join('?' * len(attempt_ids))})")
            params.extend(attempt_ids)
        if started_since is not None:
            where.append("a.started_at >= ?")
            params.append(started_since)
        sql = (
            "SELECT a.*, t.pseudonym"
            " FROM attempts a JOIN trainees t ON t.id = a.trainee_id"
            + (" WHERE " + " AND ".join(where) if where else "")
            + " ORDER BY a.started_at, a.id"
        )
        rows = self._read(sql, params).fetchall()
        dims = self._dimensions([r["id"] for r in rows])
        return [_attempt_from_row(r, dims.get(r["id"], {})) for r in rows]

    def best_scores(self, trainee: str) -> dict[str, float]:
        """Best overall score per scenario among the trainee's finished attempts."""
        rows = self._read(
            "SELECT a.scenario_id, MAX(a.overall) AS best FROM attempts a JOIN trainees t ON t.id = a.trainee_id"
            " WHERE t.pseudonym = ? AND a.finished_at IS NOT NULL AND a.overall IS NOT NULL"
            " GROUP BY a.scenario_id",
            (trainee,),
        )
        return {r["scenario_id"]: float(r["best"]) for r in rows}

    def latest_unfinished(self, trainee: str, scenario_id: str | None = None) -> Attempt | None:
        found = self.attempts(trainee=trainee, scenario_id=scenario_id, unfinished=True)
        return max(found, key=lambda a: (a.updated_at, a.id)) if found else None

    def choices_of(self, attempt_id: int) -> list[StoredChoice]:
        """The decisions of one attempt as saved, in order (for exports that replay them, e.g. xAPI)."""
        return self.choices_of_many([attempt_id]).get(attempt_id, [])

    def choices_of_many(self, attempt_ids: Sequence[int]) -> dict[int, list[StoredChoice]]:
        """The decisions of several attempts, in order, in one read (the trainer's view, every second)."""
        out: dict[int, list[StoredChoice]] = {}
        for r in self._rows_for_attempts(
            "SELECT attempt_id, step, node_id, number, codes_json, coached, chosen_at FROM choices"
            " WHERE attempt_id IN ({ids}) ORDER BY attempt_id, step",
            attempt_ids,
        ):
            out.setdefault(r["attempt_id"], []).append(
                StoredChoice(
                    step=int(r["step"]),
                    node_id=r["node_id"],
                    number=int(r["number"]),
                    codes=tuple(json.loads(r["codes_json"])),
                    coached=bool(r["coached"]),
                    chosen_at=r["chosen_at"],
                )
            )
        return out

    def thresholds_of(self, attempt_id: int) -> dict[str, float]:
        """The threshold each dimension of a finished attempt was judged against (none: not judged)."""
        rows = self._read(
            "SELECT key, threshold FROM scores WHERE attempt_id = ? AND kind = 'dimension' AND threshold IS NOT NULL",
            (attempt_id,),
        )
        return {r["key"]: float(r["threshold"]) for r in rows}

    def _dimensions(self, attempt_ids: Sequence[int]) -> dict[int, dict[str, float]]:
        out: dict[int, dict[str, float]] = {}
        for r in self._rows_for_attempts(
            "SELECT attempt_id, key, value FROM scores WHERE kind = 'dimension' AND attempt_id IN ({ids})",
            attempt_ids,
        ):
            out.setdefault(r["attempt_id"], {})[r["key"]] = float(r["value"])
        return out

    def _rows_for_attempts(self, sql: str, attempt_ids: Sequence[int]) -> Iterator[sqlite3.Row]:
        """Rows of ``sql`` (its ``{ids}`` placeholder: the attempt ids), 500 ids a query (SQLite's limit on
        parameters is far above, but a long export must not build one huge statement)."""
        for start in range(0, len(attempt_ids), 500):
            chunk = list(attempt_ids[start : start + 500])
            yield from self._read(sql.format(ids=",".join("?" * len(chunk))), chunk)

    def _read(self, sql: str, params: Iterable[Any] = ()) -> sqlite3.Cursor:
        try:
            return self._conn.execute(sql, tuple(params))
        except sqlite3.Error as exc:
            raise RecordsError(_("Cannot read the training records at {path}: {reason}.").format(
                path=self.path, reason=explain_error(exc))) from exc


class _Transaction:
    """``BEGIN IMMEDIATE`` … ``COMMIT``, or ``ROLLBACK`` on any error; sqlite errors become RecordsError."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn = conn
        self._path = path

    def __enter__(self) -> sqlite3.Connection:
        try:
            self._conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise RecordsError(_("Cannot write to the training records at {path}: {reason}.").format(
                path=self._path, reason=explain_error(exc))) from exc
        return self._conn

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: object) -> Literal[False]:
        if exc_type is None:
            try:
                self._conn.execute("COMMIT")
                return False
            except sqlite3.Error as err:
                self._conn.execute("ROLLBACK")
                raise RecordsError(_("Cannot save to the training records at {path}: {reason}.").format(
                    path=self._path, reason=explain_error(err))) from err
        self._conn.execute("ROLLBACK")
        if isinstance(exc, sqlite3.Error):
            raise RecordsError(_("Cannot save to the training records at {path}: {reason}.").format(
                path=self._path, reason=explain_error(exc))) from exc
        return False


def _dump(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def _attempt_from_row(row: sqlite3.Row, dimensions: dict[str, float]) -> Attempt:
    state = json.loads(row["state_json"])
    turns = state.get("turns") if isinstance(state, dict) else None
    return Attempt(
        id=int(row["id"]),
        trainee=row["pseudonym"],
        scenario_id=row["scenario_id"],
        scenario_version=row["scenario_version"],
        started_at=row["started_at"],
        updated_at=row["updated_at"],
        finished_at=row["finished_at"],
        ending=row["ending"],
        coached=bool(row["coached"]),
        retry_of=row["retry_of"],
        retry_from_step=row["retry_from_step"],
        overall=row["overall"],
        harmful_count=row["harmful_count"],
        state=state,
        dimensions=dimensions,
        steps=len(turns) if isinstance(turns, list) else 0,
        rubric_version=row["rubric_version"],
        language=row["language"],
    )

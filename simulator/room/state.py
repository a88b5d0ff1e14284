"""The room's settings and who is in it, in the same SQLite file as the group's training records.

Why the same file: one database in WAL mode is what every trainee's app process already writes its choices
to, so the trainer's view reads the choices, the room settings and the presence from one place, and a
killed room restarted on the same file finds everything that was saved. The room's two tables are created
here (``IF NOT EXISTS``), apart from the records' own migrations: a file used only for solo practice never
gets them. They hold pseudonyms, codes and settings, nothing else.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from ..records import TrainingRecords, utc_now
from .codes import ROOM_CODE_LENGTH, TRAINER_CODE_LENGTH, matches, new_code

MODES = ("free", "coach", "plain")
PRESENT_SECONDS = 20
"""A session that has not been seen for this long has left (its browser tab was closed)."""

_TABLES = """
CREATE TABLE IF NOT EXISTS room (
    id                INTEGER PRIMARY KEY CHECK (id = 1),
    code              TEXT NOT NULL,
    trainer_code      TEXT NOT NULL,
    opened_at         TEXT NOT NULL,
    expires_at        TEXT NOT NULL,
    scenario_id       TEXT,
    mode              TEXT NOT NULL DEFAULT 'free',
    debrief_locked    INTEGER NOT NULL DEFAULT 0,
    show_small_counts INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS room_presence (
    session   TEXT PRIMARY KEY,
    pseudonym TEXT NOT NULL,
    joined_at TEXT NOT NULL,
    last_seen TEXT NOT NULL
)
"""


@dataclass(frozen=True)
class RoomSettings:
    code: str
    trainer_code: str
    opened_at: str
    expires_at: str
    scenario_id: str | None
    mode: str
    debrief_locked: bool
    show_small_counts: bool

    def expired(self, now: datetime | None = None) -> bool:
        now = now or datetime.now(timezone.utc)
        return now >= datetime.fromisoformat(self.expires_at)


@dataclass(frozen=True)
class Presence:
    session: str
    pseudonym: str
    joined_at: str
    last_seen: str


class RoomStore:
    """Room settings and presence, over the records store of the same file (its connection and transactions)."""

    def __init__(self, records: TrainingRecords, now: Callable[[], str] = utc_now) -> None:
        self.records = records
        self._now = now
        with records.write() as conn:
            for statement in _TABLES.split(";"):
                conn.execute(statement)

    @classmethod
    def open(cls, path: str | Path, *, now: Callable[[], str] = utc_now) -> RoomStore:
        """Open (creating and migrating) the records file at ``path`` and the room's tables in it."""
        return cls(TrainingRecords.open(path, now=now), now)

    @property
    def path(self) -> Path:
        return self.records.path

    def close(self) -> None:
        self.records.close()

    def __enter__(self) -> RoomStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ the room itself
    def open_room(self, *, hours: float, renew: bool = False) -> RoomSettings:
        """The room of this file: kept as it is when it has not expired (a restarted room keeps its codes),
        otherwise (or with ``renew``) new codes, valid for ``hours`` from now."""
        current = self.settings()
        if current is not None and not renew and not current.expired(self._clock()):
            return current
        now = datetime.fromisoformat(self._now())
        expires = (now + timedelta(hours=hours)).isoformat(timespec="seconds")
        with self._write() as conn:
            conn.execute("DELETE FROM room")
            conn.execute("DELETE FROM room_presence")
            conn.execute(
                "INSERT INTO room(id, code, trainer_code, opened_at, expires_at) VALUES (1, ?, ?, ?, ?)",
                (new_code(ROOM_CODE_LENGTH), new_code(TRAINER_CODE_LENGTH), now.isoformat(timespec="seconds"),
                 expires),
            )
        settings = self.settings()
        assert settings is not None
        return settings

    def settings(self) -> RoomSettings | None:
        row = self._read("SELECT * FROM room WHERE id = 1").fetchone()
        if row is None:
            return None
        return RoomSettings(
            code=row["code"],
            trainer_code=row["trainer_code"],
            opened_at=row["opened_at"],
            expires_at=row["expires_at"],
            scenario_id=row["scenario_id"],
            mode=row["mode"],
            debrief_locked=bool(row["debrief_locked"]),
            show_small_counts=bool(row["show_small_counts"]),
        )

    def check_code(self, typed: str) -> str:
        """``trainee``, ``trainer``, ``expired`` or ``wrong`` (also when no room is open in this file)."""
        settings = self.settings()
        if settings is None:
            return "wrong"
        if matches(typed, settings.trainer_code):
            return "expired" if settings.expired(self._clock()) else "trainer"
        if matches(typed, settings.code):
            return "expired" if settings.expired(self._clock()) else "trainee"
        return "wrong"

    def set_scenario(self, scenario_id: str | None) -> None:
        self._update("scenario_id", scenario_id)

    def set_mode(self, mode: str) -> None:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}")
        self._update("mode", mode)

    def set_debrief_locked(self, locked: bool) -> None:
        self._update("debrief_locked", int(locked))

    def set_show_small_counts(self, show: bool) -> None:
        self._update("show_small_counts", int(show))

    def _update(self, column: str, value: object) -> None:
        with self._write() as conn:
            conn.execute(f"UPDATE room SET {column} = ? WHERE id = 1", (value,))  # column: one of ours

    # ------------------------------------------------------------------ presence
    def join(self, pseudonym: str) -> str:
        """A new browser session for this pseudonym; returns its id for heartbeats."""
        session = uuid.uuid4().hex
        now = self._now()
        with self._write() as conn:
            conn.execute(
                "INSERT INTO room_presence(session, pseudonym, joined_at, last_seen) VALUES (?, ?, ?, ?)",
                (session, pseudonym, now, now),
            )
        return session

    def heartbeat(self, session: str) -> None:
        with self._write() as conn:
            conn.execute("UPDATE room_presence SET last_seen = ? WHERE session = ?", (self._now(), session))

    def leave(self, session: str) -> None:
        with self._write() as conn:
            conn.execute("DELETE FROM room_presence WHERE session = ?", (session,))

    def present(self, within_seconds: int = PRESENT_SECONDS) -> list[Presence]:
        """Sessions seen recently, one per pseudonym (the latest), sorted by pseudonym."""
        cutoff = (datetime.fromisoformat(self._now()) - timedelta(seconds=within_seconds)).isoformat(
            timespec="seconds"
        )
        rows = self._read(
            "SELECT session, pseudonym, joined_at, MAX(last_seen) AS last_seen FROM room_presence"
            " WHERE last_seen >= ? GROUP BY pseudonym ORDER BY pseudonym",
            (cutoff,),
        ).fetchall()
        return [Presence(r["session"], r["pseudonym"], r["joined_at"], r["last_seen"]) for r in rows]

    # ------------------------------------------------------------------ plumbing
    def _clock(self) -> datetime:
        return datetime.fromisoformat(self._now())

    def _read(self, sql: str, params: tuple = ()) -> sqlite3.Cursor:
        return self.records.read(sql, params)

    def _write(self):
        return self.records.write()

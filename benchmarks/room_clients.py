"""Simulated trainees for a real training room: each one is a browser's websocket, typing keys.

Why a websocket client and not the app's Pilot: the room serves the app through textual-serve, which starts
one app process per connection; only a client that speaks to the server the way the browser page does
(``["stdin", keys]`` and ``["resize", …]`` messages) exercises the room as trainees use it. A choice counts
as answered when it is saved in the room's records file, which is what the trainer's view reads.
Used by the room tests and by ``benchmarks/bench_room.py``.
"""

from __future__ import annotations

import asyncio
import os
import socket
import sqlite3
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import aiohttp


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running_room(db: Path, port: int, *, extra: list[str] | None = None, timeout: float = 30.0) -> Iterator[subprocess.Popen]:
    """``rtw-train room`` in a subprocess on 127.0.0.1:port, stopped (SIGTERM, then SIGKILL) afterwards; what
    it prints goes to ``room.log`` beside the database (a pipe nobody reads would stall the server)."""
    cmd = [sys.executable, "-m", "simulator.cli", "--db", str(db), "room", "--port", str(port), *(extra or [])]
    log = open(db.parent / "room.log", "a", encoding="utf-8")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        wait_until_serving(port, timeout, proc)
        yield proc
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(10)
        log.close()


def wait_until_serving(port: int, timeout: float, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"the room stopped at start-up (exit {proc.returncode})")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"no room answered on port {port} within {timeout} s")


def saved_steps(db: Path, pseudonym: str) -> tuple[int, bool, int]:
    """(choices saved in this trainee's latest attempt, whether it is finished, number of attempts)."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10) as conn:
        row = conn.execute(
            "SELECT a.id, a.finished_at IS NOT NULL, (SELECT COUNT(*) FROM attempts a2 WHERE a2.trainee_id = t.id)"
            " FROM attempts a JOIN trainees t ON t.id = a.trainee_id WHERE t.pseudonym = ?"
            " ORDER BY a.id DESC LIMIT 1",
            (pseudonym,),
        ).fetchone()
        if row is None:
            return 0, False, 0
        steps = conn.execute("SELECT COUNT(*) FROM choices WHERE attempt_id = ?", (row[0],)).fetchone()[0]
        return int(steps), bool(row[1]), int(row[2])


RESEND_AFTER = 10.0
"""A key press the app has not answered within this many seconds is pressed again, as a person would."""


@dataclass
class Trainee:
    """One simulated browser: joins with the code and a pseudonym, then answers with option keys."""

    url: str
    db: Path
    code: str
    pseudonym: str
    latencies: list[float] = field(default_factory=list)
    _screen: bytearray = field(default_factory=bytearray)

    async def play(self, *, max_choices: int = 60, stop_after: int | None = None, key: str = "1",
                   timeout: float = 60.0) -> int:
        """Play until the attempt is finished (or ``stop_after`` choices); returns the choices saved."""
        self._screen = bytearray()
        async with aiohttp.ClientSession() as session:
            async with session.ws_connect(f"{self.url}/ws?width=100&height=30", heartbeat=15) as ws:
                reader = asyncio.create_task(self._drain(ws))
                try:
                    await ws.send_json(["resize", {"width": 100, "height": 30}])
                    await self._shown(b"Join the training room", timeout)
                    await ws.send_json(["stdin", self.code + "\r"])
                    await self._shown(b"Who is training?", timeout)
                    await ws.send_json(["stdin", self.pseudonym + "\r"])
                    steps, finished, _ = await self._until(lambda: True, 0.0)
                    await self._shown(b"Scroll", timeout)  # the conversation's footer: the scenario is open
                    await asyncio.sleep(1.0)  # a person reads the first lines before choosing
                    deadline = time.monotonic() + timeout
                    made = 0
                    while not finished and made < max_choices and time.monotonic() < deadline:
                        if stop_after is not None and made >= stop_after:
                            break
                        before = steps
                        started = time.monotonic()
                        await ws.send_json(["stdin", key])
                        steps, finished, _ = await self._until(lambda s=before: self._last[0] > s, RESEND_AFTER)
                        if steps > before:
                            self.latencies.append(time.monotonic() - started)
                            made += steps - before
                        await asyncio.sleep(0.3)  # a person reads the reply before the next choice
                    return steps
                finally:
                    reader.cancel()

    async def _shown(self, text: bytes, timeout: float) -> None:
        """Wait until the app has drawn ``text`` since the last wait (then forget what was drawn)."""
        deadline = time.monotonic() + timeout
        while text not in self._screen:
            if time.monotonic() >= deadline:
                raise TimeoutError(f"{self.pseudonym}: {text.decode()!r} never appeared")
            await asyncio.sleep(0.05)
        self._screen.clear()

    _last: tuple[int, bool, int] = (0, False, 0)

    async def _until(self, condition, timeout: float) -> tuple[int, bool, int]:
        deadline = time.monotonic() + timeout
        while True:
            self._last = await asyncio.to_thread(saved_steps, self.db, self.pseudonym)
            if condition() or time.monotonic() >= deadline:
                return self._last
            await asyncio.sleep(0.05)

    async def _drain(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        """Read what the app draws, as a browser would, so the server never blocks on us; keep the last
        part of it to recognise the screen."""
        async for message in ws:
            data = message.data if isinstance(message.data, bytes) else str(message.data).encode()
            self._screen.extend(data)
            del self._screen[:-200_000]


async def play_all(trainees: list[Trainee], *, stagger: float = 0.5, **kwargs) -> list[int]:
    """Everyone plays at once; they arrive ``stagger`` seconds apart, as a room fills."""

    async def arrive(index: int, trainee: Trainee) -> int:
        await asyncio.sleep(index * stagger)
        return await trainee.play(**kwargs)

    return list(await asyncio.gather(*(arrive(i, t) for i, t in enumerate(trainees))))


def process_tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and its descendants, from /proc (Linux), in MB."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        stack.extend(children.get(current, []))
        try:
            with open(f"/proc/{current}/statm") as fh:
                total += int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError):
            pass
    return total / 1e6

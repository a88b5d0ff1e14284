"""Load on a training room: N simulated browsers, each playing a whole scenario at once.

Prints the response time to a choice (from the key press to the choice saved in the room's records, which is
what the trainer's view reads): median, 95th percentile and slowest; and the peak resident memory of the room
process alone and with the app processes it started (one per browser), sampled every half second.

    python benchmarks/bench_room.py --clients 20 --scenario first-call
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.room_clients import Trainee, free_port, play_all, process_tree_rss_mb, running_room, saved_steps
from simulator.room.state import RoomStore


def _own_rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/statm") as fh:
            import os

            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6
    except OSError:
        return 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--scenario", default="first-call")
    parser.add_argument("--stagger", type=float, default=0.5, help="seconds between two arrivals")
    args = parser.parse_args(argv)

    db = Path(tempfile.mkdtemp(prefix="rtw-room-bench-")) / "room.db"
    with RoomStore.open(db) as store:
        settings = store.open_room(hours=2)
        store.set_scenario(args.scenario)
    port = free_port()
    peaks = {"room": 0.0, "tree": 0.0}
    with running_room(db, port) as room:
        stop = threading.Event()

        def sample() -> None:
            while not stop.is_set():
                peaks["room"] = max(peaks["room"], _own_rss_mb(room.pid))
                peaks["tree"] = max(peaks["tree"], process_tree_rss_mb(room.pid))
                time.sleep(0.5)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        trainees = [Trainee(f"http://127.0.0.1:{port}", db, settings.code, f"bench-{i:02d}")
                    for i in range(args.clients)]
        started = time.monotonic()
        steps = asyncio.run(play_all(trainees, stagger=args.stagger, timeout=300))
        wall = time.monotonic() - started
        stop.set()
        sampler.join()

    latencies = sorted(x for t in trainees for x in t.latencies)
    finished = sum(1 for t in trainees if saved_steps(db, t.pseudonym)[1])
    print(f"clients: {args.clients}, scenario: {args.scenario}, finished: {finished}, choices saved: {sum(steps)}")
    print(f"wall time: {wall:.1f} s")
    if latencies:
        p95 = latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))]
        print(f"response to a choice: median {statistics.median(latencies):.2f} s, 95th percentile {p95:.2f} s, "
              f"slowest {latencies[-1]:.2f} s")
    print(f"peak memory: room process {peaks['room']:.0f} MB; with its {args.clients} app processes "
          f"{peaks['tree']:.0f} MB")
    return 0 if finished == args.clients else 1


if __name__ == "__main__":
    raise SystemExit(main())

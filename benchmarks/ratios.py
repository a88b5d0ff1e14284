"""What an audit costs next to the cheapest reading of the same file: the ratios issue 10 sets targets for.

Why a ratio: absolute seconds depend on the machine and on what else runs on it; "the audit costs k bare
parses of the same file" does not, or much less. Every figure here is measured in a fresh child process
(``os.wait4`` gives its own user + system CPU time and wall time), on the same files, in one run of this
script, keeping the best of ``--repeat`` runs:

- the floor: ``json.loads`` of every line of the JSON Lines table (CPU, and wall);
- ``rtw-audit check FILE --format json > /dev/null`` on the grouped table with ``--jobs 1`` (CPU ratio)
  and ``--jobs 2`` (wall ratio), on the interleaved table and on the CSV table (default ``--jobs``;
  CPU ratio to the JSON Lines floor, and for CSV also to a bare ``csv.reader`` pass over the CSV file);
- ``rtw-audit report FILE --format json`` next to ``check`` on the grouped table (CPU ratio);
- start-up: ``rtw-audit --help`` and ``rtw-train --help`` (wall and CPU), and ``rtw-train`` to its first
  screen in a pseudo-terminal (wall).

Two shapes of caseload: the generator's (``generate.py``) and the hand-written rule cases of
``tests/auditor/rule_cases`` replicated under distinct case ids until the table holds as many cases.

    python benchmarks/bench_audit.py --ratios                 # 10,000 cases, best of 3
    python benchmarks/ratios.py --cases 2000 --repeat 1       # the same, directly
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

_BARE_JSONL = r"""
import json, sys
loads = json.loads
with open(sys.argv[1], "rb") as fh:
    for line in fh:
        loads(line)
"""

_BARE_CSV = r"""
import csv, sys
with open(sys.argv[1], encoding="utf-8", newline="") as fh:
    for row in csv.reader(fh):
        pass
"""

SETTINGS = "format: rtw-committee-settings/1\nkey: \"benchmark key, not a committee's\"\n"


@dataclass
class Timing:
    cpu: float  # user + system seconds of the child
    wall: float
    status: int


def run_once(argv: list[str]) -> Timing:
    """One child process, its output discarded; its own CPU time from ``os.wait4``."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    return Timing(usage.ru_utime + usage.ru_stime, wall, os.waitstatus_to_exitcode(status))


def best_of(argv: list[str], repeat: int, ok: tuple[int, ...] = (0, 1)) -> Timing:
    """The fastest of ``repeat`` runs, CPU and wall each taken at its own best."""
    runs = [run_once(argv) for _ in range(repeat)]
    for r in runs:
        if r.status not in ok:
            raise SystemExit(f"ratios.py: {' '.join(argv)} exited {r.status}")
    return Timing(min(r.cpu for r in runs), min(r.wall for r in runs), runs[0].status)


# --- caseloads ------------------------------------------------------------------------------------


def generated(out_dir: Path, n: int, seed: int) -> dict[str, Path]:
    """The generator's caseload as a grouped JSON Lines table, an interleaved one and a CSV table (cached)."""
    sys.path.insert(0, str(ROOT))
    from benchmarks import generate

    folder = out_dir / f"ratios-gen-{n}-{seed}"
    folder.mkdir(parents=True, exist_ok=True)
    files = {"grouped": folder / "cases.jsonl", "interleaved": folder / "interleaved.jsonl", "csv": folder / "cases.csv"}
    if not files["grouped"].exists():
        generate.write_caseload(str(files["grouped"]), "jsonl", n, seed)
    if not files["interleaved"].exists():
        generate.write_caseload(str(files["interleaved"]), "jsonl", n, seed, interleave_rows=True)
    if not files["csv"].exists():
        generate.write_caseload(str(files["csv"]), "csv", n, seed)
    (folder / "rtw-committee.yaml").write_text(SETTINGS, encoding="utf-8")
    return files


def hand_written_logs() -> list[dict[str, Any]]:
    """Every rule case of ``tests/auditor/rule_cases`` as a case log (the tests' own reading of them)."""
    import yaml

    sys.path.insert(0, str(ROOT / "tests" / "auditor"))
    from rule_case_files import CASES_DIR, build_log  # type: ignore[import-not-found]

    logs = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in spec["cases"]:
            logs.append(build_log(case))
    return logs


def hand_written(out_dir: Path, n: int) -> dict[str, Path]:
    """The rule cases replicated under distinct ids up to ``n`` cases: grouped, interleaved (rows of
    neighbouring cases alternated, each case's own order kept) and CSV."""
    from auditor.reading.rows import csv_text, jsonl_text, log_rows

    folder = out_dir / f"ratios-hand-{n}"
    folder.mkdir(parents=True, exist_ok=True)
    files = {"grouped": folder / "cases.jsonl", "interleaved": folder / "interleaved.jsonl", "csv": folder / "cases.csv"}
    (folder / "rtw-committee.yaml").write_text(SETTINGS, encoding="utf-8")
    if all(p.exists() for p in files.values()):
        return files
    logs = hand_written_logs()
    cases = []
    for k in range(n):
        log = dict(logs[k % len(logs)])
        log["case"] = f"{log['case']}-{k}"
        cases.append(list(log_rows(log)))
    files["grouped"].write_text(jsonl_text(r for rows in cases for r in rows), encoding="utf-8")
    mixed: list[dict[str, Any]] = []
    for a in range(0, len(cases), 2):  # pairs of cases, their rows alternated
        pair = cases[a:a + 2]
        longest = max(len(rows) for rows in pair)
        for i in range(longest):
            mixed.extend(rows[i] for rows in pair if i < len(rows))
    files["interleaved"].write_text(jsonl_text(mixed), encoding="utf-8")
    files["csv"].write_text(csv_text(r for rows in cases for r in rows), encoding="utf-8")
    return files


# --- measuring ------------------------------------------------------------------------------------


def tool(name: str) -> str:
    exe = ROOT / ".venv" / "bin" / name
    found = str(exe) if exe.exists() else shutil.which(name)
    if found is None:
        raise SystemExit(f"ratios.py: {name} not found (install the project into .venv)")
    return found


def measure_shape(files: dict[str, Path], repeat: int, audit: str) -> dict[str, float]:
    py = sys.executable
    bare = best_of([py, "-c", _BARE_JSONL, str(files["grouped"])], repeat, ok=(0,))
    bare_csv = best_of([py, "-c", _BARE_CSV, str(files["csv"])], repeat, ok=(0,))

    def check(path: Path, *extra: str) -> Timing:
        return best_of([audit, "check", str(path), "--format", "json", *extra], repeat)

    jobs1 = check(files["grouped"], "--jobs", "1")
    jobs2 = check(files["grouped"], "--jobs", "2")
    inter = check(files["interleaved"])
    csv_run = check(files["csv"])
    report = best_of([audit, "report", str(files["grouped"]), "--format", "json"], repeat, ok=(0,))
    return {
        "bare_cpu": bare.cpu, "bare_wall": bare.wall, "bare_csv_cpu": bare_csv.cpu,
        "jobs1_cpu": jobs1.cpu, "jobs1_wall": jobs1.wall, "jobs2_cpu": jobs2.cpu, "jobs2_wall": jobs2.wall,
        "interleaved_cpu": inter.cpu, "interleaved_wall": inter.wall, "csv_cpu": csv_run.cpu, "csv_wall": csv_run.wall,
        "report_cpu": report.cpu, "report_wall": report.wall,
        "grouped_MB": files["grouped"].stat().st_size / 1e6,
        "parallel": files["grouped"].stat().st_size >= _parallel_threshold(),
    }


def _parallel_threshold() -> int:
    sys.path.insert(0, str(ROOT))
    from auditor.parallel import MIN_BYTES

    return MIN_BYTES


def first_screen(exe: str, timeout: float = 10.0) -> float | None:
    """Seconds from starting ``exe`` in a pseudo-terminal until it has painted a screen (its first 2 KB
    of output: a Textual app writes its whole first screen at once); None if it painted none."""
    import pty
    import select
    import signal

    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # the child: the app, in a terminal of its own
        os.environ["TERM"] = "xterm-256color"
        os.execv(exe, [exe])
    painted = None
    received = 0
    try:
        while painted is None and time.perf_counter() - start < timeout:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if not ready:
                continue
            try:
                received += len(os.read(fd, 65536))
            except OSError:
                break
            if received >= 2048:
                painted = time.perf_counter() - start
    finally:
        os.kill(pid, signal.SIGTERM)
        os.waitpid(pid, 0)
        os.close(fd)
    return painted


def startup(repeat: int, audit_cmd: str) -> dict[str, float | None]:
    audit = best_of([audit_cmd, "--help"], repeat, ok=(0,))
    train = best_of([tool("rtw-train"), "--help"], repeat, ok=(0,))
    screens = [t for t in (first_screen(tool("rtw-train")) for _ in range(repeat)) if t is not None]
    return {"audit_help_wall": audit.wall, "audit_help_cpu": audit.cpu, "train_help_wall": train.wall,
            "train_help_cpu": train.cpu, "train_first_screen": min(screens) if screens else None}


def lines(shape: str, m: dict[str, float]) -> list[str]:
    b, w = m["bare_cpu"], m["bare_wall"]
    return [
        f"{shape}: grouped JSONL {m['grouped_MB']:.0f} MB; bare json.loads {b:.2f} s CPU ({w:.2f} s wall); "
        f"bare csv.reader {m['bare_csv_cpu']:.2f} s CPU",
        f"  check --jobs 1, grouped JSONL   {m['jobs1_cpu']:6.2f} s CPU  {m['jobs1_cpu'] / b:5.2f}x CPU   (target <= 2)",
        f"  check --jobs 2, grouped JSONL   {m['jobs2_wall']:6.2f} s wall {m['jobs2_wall'] / w:5.2f}x wall  "
        f"({m['jobs2_cpu']:.2f} s CPU; target <= 1.5 wall)"
        + ("" if m["parallel"] else " (one process: the table is below the parallel threshold; use more --cases)"),
        f"  check, interleaved JSONL        {m['interleaved_cpu']:6.2f} s CPU  {m['interleaved_cpu'] / b:5.2f}x CPU   "
        f"({m['interleaved_wall'] / w:.2f}x wall; target <= 3)",
        f"  check, CSV                      {m['csv_cpu']:6.2f} s CPU  {m['csv_cpu'] / b:5.2f}x CPU   "
        f"({m['csv_cpu'] / m['bare_csv_cpu']:.2f}x a bare csv.reader; target <= 3)",
        f"  report vs check (--jobs 2)      {m['report_cpu']:6.2f} s CPU  {m['report_cpu'] / m['jobs2_cpu']:5.2f}x check CPU "
        f"({m['report_wall'] / m['jobs2_wall']:.2f}x wall; target <= 1.2)",
    ]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="ratios.py", description=__doc__.split("\n\n")[0])
    p.add_argument("--cases", type=int, default=10_000, help="cases in each table (default 10,000)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--repeat", type=int, default=3, help="runs per figure; the best is kept (default 3)")
    p.add_argument("--shapes", default="generated,hand-written", help="generated and/or hand-written")
    p.add_argument("--out-dir", type=Path, default=HERE / "out")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    p.add_argument("--audit-cmd", help="the auditor command to measure (default: .venv/bin/rtw-audit, else rtw-audit on "
                   "PATH): another version's, to compare two versions on the same files")
    args = p.parse_args(argv)
    if args.cases < 1 or args.repeat < 1:
        p.error("--cases and --repeat must be positive")
    shapes = [s.strip() for s in args.shapes.split(",") if s.strip()]
    if not shapes or set(shapes) - {"generated", "hand-written"}:
        p.error("--shapes: generated and/or hand-written")
    results: dict[str, Any] = {"cases": args.cases, "repeat": args.repeat, "load_before": os.getloadavg()[0]}
    for shape in shapes:
        files = generated(args.out_dir, args.cases, args.seed) if shape == "generated" else hand_written(args.out_dir, args.cases)
        results[shape] = measure_shape(files, args.repeat, args.audit_cmd or tool("rtw-audit"))
    results["startup"] = startup(args.repeat, args.audit_cmd or tool("rtw-audit"))
    results["load_after"] = os.getloadavg()[0]
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    print(f"{args.cases} cases a table, best of {args.repeat}, {os.cpu_count()} CPUs, "
          f"load average {results['load_before']:.2f} before, {results['load_after']:.2f} after")
    for shape in shapes:
        print("\n".join(lines(shape, results[shape])))
    s = results["startup"]
    screen = "none painted" if s["train_first_screen"] is None else f"{s['train_first_screen']:.2f} s wall"
    print(f"start-up: rtw-audit --help {s['audit_help_wall']:.2f} s wall ({s['audit_help_cpu']:.2f} s CPU); "
          f"rtw-train --help {s['train_help_wall']:.2f} s wall ({s['train_help_cpu']:.2f} s CPU); "
          f"rtw-train to its first screen {screen}  (target < 0.5)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""How fast, and in how much memory, does ``rtw-audit report`` make a committee report of a large export?

Why: the report reads the cases as a stream and keeps counters, a histogram and small per-case
integers for the medians; its memory should stay nearly flat as the caseload grows. This script runs
the command as a user would (``rtw-audit report FILE --format html -o OUT``, committee audience, with a
committee settings file beside the export) in a fresh child process per size, and reads the child's
own wall time and peak resident set size (``os.wait4``).

Generated exports are cached under ``benchmarks/out/`` (git-ignored), like bench_audit.py's.

    python benchmarks/bench_report.py                       # 5,000 and 100,000 cases
    python benchmarks/bench_report.py --sizes 300,5000 --format html,json
    python benchmarks/bench_report.py --ratios --sizes 10000   # report vs check vs a bare parse, best of 3
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

try:
    from benchmarks import generate
except ImportError:  # run as a script
    sys.path.insert(0, str(HERE))
    import generate  # type: ignore[no-redef,import-not-found]

SETTINGS = "format: rtw-committee-settings/1\nkey: \"benchmark key, not a committee's\"\n"


def export(out_dir: Path, n: int, seed: int) -> Path:
    """The JSON Lines export of ``n`` generated cases (cached), with committee settings beside it."""
    folder = out_dir / f"report-{n}-{seed}"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "cases.jsonl"
    if not path.exists():
        generate.write_caseload(str(path), "jsonl", n, seed)
    (folder / "rtw-committee.yaml").write_text(SETTINGS, encoding="utf-8")
    return path


def measure(cmd: list[str]) -> tuple[float, int, int]:
    """(seconds, peak RSS in KiB, exit status) of one child process."""
    start = time.perf_counter()
    child = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_maxrss, child.returncode


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="5000,100000", help="comma-separated case counts (default 5000,100000)")
    p.add_argument("--format", default="html", help="comma-separated report formats (default html)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out-dir", type=Path, default=HERE / "out")
    p.add_argument("--ratios", action="store_true",
                   help="print instead `report` next to `check` and a bare parse (benchmarks/ratios.py) at the first "
                        "of --sizes, best of 3")
    args = p.parse_args(argv)
    try:
        sizes = [int(s) for s in args.sizes.split(",")]
    except ValueError:
        p.error(f"--sizes {args.sizes!r}: comma-separated whole numbers")
    if args.ratios:
        try:
            from benchmarks.ratios import main as ratios_main
        except ImportError:  # run as a script
            from ratios import main as ratios_main  # type: ignore[no-redef, import-not-found]
        return ratios_main(["--cases", str(sizes[0]), "--seed", str(args.seed), "--out-dir", str(args.out_dir)])
    exe = ROOT / ".venv" / "bin" / "rtw-audit"
    audit = str(exe) if exe.exists() else shutil.which("rtw-audit")
    if audit is None:
        print("bench_report.py: rtw-audit not found (install the project into .venv)", file=sys.stderr)
        return 2
    print(f"{'cases':>8} {'format':>6} {'seconds':>8} {'cases/s':>8} {'peak MiB':>9}")
    for n in sizes:
        path = export(args.out_dir, n, args.seed)
        for fmt in args.format.split(","):
            target = path.parent / f"report.{fmt}"
            seconds, peak, code = measure([audit, "report", str(path), "--format", fmt, "-o", str(target)])
            if code != 0:
                print(f"bench_report.py: rtw-audit report exited {code} on {n} cases", file=sys.stderr)
                return 1
            print(f"{n:>8} {fmt:>6} {seconds:>8.1f} {n / seconds:>8.0f} {peak / 1024:>9.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""How fast, and in how much memory, does ``rtw-audit check`` read and judge a large event table?

Why: the spec promises that reading "takes time and memory in proportion to the file's size", and that
a grouped event table needs no memory that grows with the number of cases. This script measures both
on synthetic caseloads (``benchmarks/generate.py``) of increasing size, next to the cheapest possible
pass over the same file (``json.loads`` of every line, or ``csv.reader`` over every row), so the figures
read as "the audit costs k times a bare parse" on whatever machine runs it.

Every measurement runs in a fresh child process, spawned by a minimal wrapper interpreter that reads
the child's own peak resident set size with ``os.wait4`` (the per-child form of
``getrusage(RUSAGE_CHILDREN)``): no run inherits another's peak, nor this script's size. The audit is
run as a subprocess exactly as a user would run it (``rtw-audit check FILE --format json > /dev/null``):
its time includes interpreter start-up, reading, judging and writing the report. ``--engine`` adds an
in-process figure (``auditor.engine.audit_inputs`` with the default rubric, no report), which shows what
the rules and reading cost without the CLI.

Generated files are cached under ``benchmarks/out/`` (git-ignored), keyed by size, seed, fault rate
and a hash of ``generate.py``, so a second run only measures.

    python benchmarks/bench_audit.py                      # 10k, 40k, 100k cases; JSONL and CSV
    python benchmarks/bench_audit.py --sizes 2000 --formats jsonl --engine
    python benchmarks/bench_audit.py --ratios --sizes 10000 --repeat 3   # the ratios to a bare parse
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

try:
    from benchmarks import generate
except ImportError:  # run as a script: benchmarks/ is sys.path[0], the repo root may not be on the path
    sys.path.insert(0, str(HERE))
    import generate  # type: ignore[no-redef, import-not-found]

try:
    from benchmarks.ratios import main as ratios_main
except ImportError:  # run as a script
    from ratios import main as ratios_main  # type: ignore[no-redef, import-not-found]

NOT_AVAILABLE = "rtw-audit not available"

# The bare pass over the file, run in a fresh interpreter: the floor any reader of the format pays.
_PARSE_CHILD = r"""
import csv, json, sys, time
fmt, path = sys.argv[1], sys.argv[2]
t0 = time.perf_counter()
n = 0
with open(path, encoding="utf-8", newline="") as fh:
    if fmt == "jsonl":
        loads = json.loads
        for line in fh:
            loads(line)
            n += 1
    else:
        for row in csv.reader(fh):
            n += 1
        n -= 1  # the header
print(json.dumps({"seconds": time.perf_counter() - t0, "rows": n}))
"""

# The engine in-process, without the CLI or a report: reading + rules only.
_ENGINE_CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
from auditor.engine import audit_inputs
from auditor.rubric import load_rubric
rubric = load_rubric()
t1 = time.perf_counter()
cases = errors = 0
for item in audit_inputs([sys.argv[1]], rubric):
    if hasattr(item, "results"):
        cases += 1
    else:
        errors += 1
print(json.dumps({"seconds": time.perf_counter() - t1, "import_seconds": t1 - t0, "cases": cases,
                  "errors": errors}))
"""


@dataclass
class Run:
    """One child process: wall time, exit code, peak memory, CPU time, and what it printed."""

    seconds: float
    returncode: int
    maxrss_mb: float
    cpu_seconds: float
    stdout: str = ""
    stderr: str = ""
    timed_out: bool = False


# The wrapper between this script and each measured process. Why: a child's peak RSS as the kernel
# reports it (wait4 / RUSAGE_CHILDREN) includes the memory of the process it was spawned from, up to
# the exec (the old address space's high-water mark is folded in). Spawned straight from this script,
# every child would peak at least at this script's size. Spawned from a minimal interpreter (-S, a
# few modules), the floor is a few MB, below any measured Python process's own size.
_WRAPPER = r"""
import os, sys, time
result, argv = sys.argv[1], sys.argv[2:]
t0 = time.perf_counter()
pid = os.posix_spawnp(argv[0], argv, os.environ)
_, status, ru = os.wait4(pid, 0)
seconds = time.perf_counter() - t0
with open(result, "w") as fh:
    fh.write("%r %d %d %r" % (seconds, os.waitstatus_to_exitcode(status), ru.ru_maxrss, ru.ru_utime + ru.ru_stime))
"""


def run_child(argv: list[str], *, capture_stdout: bool = False, timeout: float | None = None,
              cwd: Path = ROOT) -> Run:
    """Run ``argv`` in a fresh process (through ``_WRAPPER``) and measure it.

    stdout goes to /dev/null unless captured; the wall time is the wrapper's, from spawn to exit.
    """
    with tempfile.TemporaryDirectory() as tmp:
        result = os.path.join(tmp, "result")
        err_path = os.path.join(tmp, "stderr")
        with open(err_path, "wb") as err:
            proc = subprocess.Popen([sys.executable, "-S", "-c", _WRAPPER, result, *argv],
                                    stdout=subprocess.PIPE if capture_stdout else subprocess.DEVNULL,
                                    stderr=err, stdin=subprocess.DEVNULL, cwd=cwd, start_new_session=True)
            timed_out = False
            try:
                out, _ = proc.communicate(timeout=timeout)
            except subprocess.TimeoutExpired:
                timed_out = True
                os.killpg(proc.pid, signal.SIGKILL)  # the wrapper and the measured process
                out, _ = proc.communicate()
        with open(err_path, "rb") as err:
            err.seek(max(0, os.path.getsize(err_path) - 4000))
            tail = err.read().decode("utf-8", "replace")
        if timed_out or not os.path.exists(result):
            return Run(float(timeout or 0), proc.returncode or -9, 0.0, 0.0, "", tail, timed_out)
        seconds, code, maxrss, cpu = open(result).read().split()
    # ru_maxrss is in KiB on Linux (bytes on macOS)
    scale = 1 / 1024 if sys.platform != "darwin" else 1 / (1024 * 1024)
    return Run(float(seconds), int(code), int(maxrss) * scale, float(cpu),
               (out or b"").decode("utf-8", "replace"), tail, False)


# ---------------------------------------------------------------------------------------------
# Inputs


@dataclass
class Caseload:
    path: Path
    fmt: str
    cases: int
    rows: int
    events: int
    interleaved: bool
    size_mb: float
    generated_seconds: float | None  # None: taken from the cache


def generator_hash() -> str:
    return hashlib.sha256((HERE / "generate.py").read_bytes()).hexdigest()[:10]


_CACHED = re.compile(r"^caseload-n\d+-s-?\d+-f[\d.e-]+-g([0-9a-f]{10})(-interleaved)?\.(jsonl|csv)(\.meta\.json)?$")


def prune_stale(out_dir: Path) -> int:
    """Delete cached caseloads made by another version of generate.py (they would never be read again)."""
    current, removed = generator_hash(), 0
    if out_dir.is_dir():
        for p in out_dir.iterdir():
            m = _CACHED.match(p.name)
            if m and m.group(1) != current:
                p.unlink()
                removed += 1
    return removed


def ensure_caseload(out_dir: Path, n: int, fmt: str, seed: int, fault_rate: float, interleaved: bool) -> Caseload:
    """The cached caseload file for these settings, generated first if it is not there yet."""
    tag = f"n{n}-s{seed}-f{fault_rate:g}-g{generator_hash()}{'-interleaved' if interleaved else ''}"
    path = out_dir / f"caseload-{tag}.{fmt}"
    meta_path = out_dir / f"caseload-{tag}.{fmt}.meta.json"
    took = None
    meta = None
    if path.exists() and meta_path.exists():
        try:
            meta = json.loads(meta_path.read_text())
        except ValueError:
            meta = None
    if meta is None:
        out_dir.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        stats = generate.write_caseload(str(path), fmt, n, seed, interleave_rows=interleaved,
                                        config=generate.Config(fault_rate=fault_rate))
        took = time.perf_counter() - t0
        meta = {"cases": stats.cases, "rows": stats.rows, "events": stats.events}
        fd, tmp = tempfile.mkstemp(dir=out_dir, prefix=".meta.", suffix=".tmp")
        with os.fdopen(fd, "w") as fh:
            json.dump(meta, fh)
        os.chmod(tmp, 0o666 & ~generate._umask())
        os.replace(tmp, meta_path)
    return Caseload(path, fmt, meta["cases"], meta["rows"], meta["events"], interleaved,
                    path.stat().st_size / 1e6, took)


# ---------------------------------------------------------------------------------------------
# The auditor


def find_audit_command(explicit: str | None) -> list[str] | None:
    if explicit:
        return shlex.split(explicit)
    local = ROOT / ".venv" / "bin" / "rtw-audit"
    if local.exists():
        return [str(local)]
    found = shutil.which("rtw-audit")
    return [found] if found else None


def probe_audit(cmd: list[str] | None) -> tuple[bool, str]:
    """Whether ``cmd check`` can run at all (the CLI may still be being written)."""
    if cmd is None:
        return False, "no rtw-audit command found"
    try:
        r = subprocess.run([*cmd, "check", "--help"], capture_output=True, text=True, timeout=60, cwd=ROOT)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return False, str(exc)
    if r.returncode != 0:
        last = (r.stderr.strip().splitlines() or ["exit %d" % r.returncode])[-1]
        return False, last[:200]
    return True, " ".join(cmd)


def probe_engine() -> tuple[bool, str]:
    r = subprocess.run([sys.executable, "-c", "import auditor.engine, auditor.rubric; "
                        "auditor.engine.audit_inputs; auditor.rubric.load_rubric"],
                       capture_output=True, text=True, cwd=ROOT, timeout=60)
    if r.returncode != 0:
        return False, (r.stderr.strip().splitlines() or ["import failed"])[-1][:200]
    return True, "auditor.engine.audit_inputs"


# ---------------------------------------------------------------------------------------------
# Measuring


@dataclass
class Measure:
    """The figures of one caseload file."""

    fmt: str
    cases: int
    events: int
    rows: int
    size_mb: float
    interleaved: bool
    parse_seconds: float | None = None
    parse_rows_per_s: float | None = None
    parse_rss_mb: float | None = None
    audit_status: str = NOT_AVAILABLE  # "ok", "skipped", NOT_AVAILABLE, or what went wrong
    audit_seconds: float | None = None
    audit_cpu_seconds: float | None = None
    audit_events_per_s: float | None = None
    audit_ratio: float | None = None  # audit time / bare parse time
    audit_rss_mb: float | None = None
    audit_exit: int | None = None
    engine_status: str = "skipped"
    engine_seconds: float | None = None
    engine_events_per_s: float | None = None
    engine_rss_mb: float | None = None
    notes: list[str] = field(default_factory=list)


def best(runs: list[Run]) -> Run:
    """The fastest run (noise only ever adds time); its peak memory is the highest seen."""
    fastest = min(runs, key=lambda r: r.seconds)
    fastest.maxrss_mb = max(r.maxrss_mb for r in runs)
    return fastest


def measure(load: Caseload, *, audit_cmd: list[str] | None, audit_state: str, engine: bool, repeat: int,
            timeout: float | None) -> Measure:
    m = Measure(load.fmt, load.cases, load.events, load.rows, load.size_mb, load.interleaved)
    runs = []
    for _ in range(repeat):
        r = run_child([sys.executable, "-c", _PARSE_CHILD, load.fmt, str(load.path)], capture_stdout=True,
                      timeout=timeout)
        if r.returncode != 0:
            raise RuntimeError(f"bare parse failed on {load.path}: {r.stderr.strip()[-300:]}")
        data = json.loads(r.stdout)
        if data["rows"] != load.rows:
            raise RuntimeError(f"{load.path}: {data['rows']} rows read, {load.rows} written")
        r.seconds = data["seconds"]  # the pass itself, without interpreter start-up
        runs.append(r)
    r = best(runs)
    m.parse_seconds, m.parse_rss_mb = r.seconds, r.maxrss_mb
    m.parse_rows_per_s = load.rows / r.seconds if r.seconds > 0 else None

    m.audit_status = audit_state
    if audit_state == "ok":
        assert audit_cmd is not None, "an auditor was found"
        runs = [run_child([*audit_cmd, "check", str(load.path), "--format", "json"], timeout=timeout)
                for _ in range(repeat)]
        bad = [x for x in runs if x.timed_out or x.returncode not in (0, 1)]
        if bad:
            x = bad[0]
            if x.timed_out:
                m.audit_status = f"timed out after {timeout:g} s"
            elif x.returncode == 2:
                m.audit_status = "input error (exit 2)"
            else:
                m.audit_status = f"failed (exit {x.returncode})"
            m.audit_exit = x.returncode
            m.notes.append(f"rtw-audit on {load.path.name}: {m.audit_status}: "
                           + " | ".join(x.stderr.strip().splitlines()[-3:])[:600])
        else:
            r = best(runs)
            m.audit_seconds, m.audit_cpu_seconds, m.audit_rss_mb, m.audit_exit = (
                r.seconds, r.cpu_seconds, r.maxrss_mb, r.returncode)
            m.audit_events_per_s = load.events / r.seconds
            m.audit_ratio = r.seconds / m.parse_seconds if m.parse_seconds else None

    if engine:
        runs = [run_child([sys.executable, "-c", _ENGINE_CHILD, str(load.path)], capture_stdout=True,
                          timeout=timeout) for _ in range(repeat)]
        if any(x.returncode != 0 for x in runs):
            m.engine_status = "failed"
            m.notes.append("engine: " + runs[0].stderr.strip()[-300:])
        else:
            for x in runs:
                x.seconds = json.loads(x.stdout)["seconds"]
            r = best(runs)
            m.engine_status = "ok"
            m.engine_seconds, m.engine_rss_mb = r.seconds, r.maxrss_mb
            m.engine_events_per_s = load.events / r.seconds if r.seconds > 0 else None
    return m


# ---------------------------------------------------------------------------------------------
# Printing


def _n(x: float | int | None, digits: int = 0) -> str:
    if x is None:
        return "-"
    return f"{x:,.{digits}f}"


def _table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
    lines = ["  ".join(h.rjust(w) if i else h.ljust(w) for i, (h, w) in enumerate(zip(headers, widths, strict=True)))]
    lines.append("  ".join("-" * w for w in widths))
    for r in rows:
        lines.append("  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True))))
    return "\n".join(lines)


def render(results: list[Measure], info: dict) -> str:
    out = [f"rtw-audit benchmark: seed {info['seed']}, fault rate {info['fault_rate']:g}, "
           f"generator {info['generator']}, python {info['python']}",
           f"auditor: {info['audit']}",
           f"a bare interpreter peaks at {info['baseline_rss_mb']:.1f} MB RSS on this machine", ""]
    main = [m for m in results if not m.interleaved]

    def audit_cells(m: Measure) -> list[str]:
        if m.audit_status != "ok":
            return [m.audit_status, "", "", "", ""]
        return [_n(m.audit_seconds, 2), _n(m.audit_cpu_seconds, 2), _n(m.audit_events_per_s),
                f"{m.audit_ratio:.1f}x" if m.audit_ratio else "-", _n(m.audit_rss_mb, 1)]

    headers = ["format", "cases", "events", "rows", "MB", "parse s", "parse rows/s", "audit s", "audit CPU s",
               "audit events/s", "audit/parse", "audit RSS MB"]
    rows = []
    for m in main:
        rows.append([m.fmt, _n(m.cases), _n(m.events), _n(m.rows), _n(m.size_mb, 1), _n(m.parse_seconds, 2),
                     _n(m.parse_rows_per_s), *audit_cells(m)])
    out.append(_table(headers, rows))
    out.append("parse = one json.loads per line (jsonl) or csv.reader over every row (csv), in a fresh "
               "process, start-up excluded.")
    out.append("audit = `rtw-audit check FILE --format json > /dev/null` in a fresh process, wall clock, "
               "start-up included; CPU = its user+sys time; RSS = the child's peak resident memory.")

    if any(m.engine_status != "skipped" for m in main):
        out += ["", "in-process engine (auditor.engine.audit_inputs, default rubric, no report; import excluded)"]
        rows = [[m.fmt, _n(m.cases), m.engine_status if m.engine_status != "ok" else _n(m.engine_seconds, 2),
                 _n(m.engine_events_per_s), _n(m.engine_rss_mb, 1)] for m in main]
        out.append(_table(["format", "cases", "engine s", "events/s", "RSS MB"], rows))

    inter = {(m.fmt, m.cases): m for m in results if m.interleaved}
    out += ["", "memory: grouped rows (each case's rows adjacent) vs --interleave (rows of many cases mixed)"]
    if not inter:
        out.append(f"  {info['interleave_note']}")
    else:
        rows = []
        for m in main:
            i = inter.get((m.fmt, m.cases))
            if i is None:
                continue
            ok = m.audit_status == "ok" and i.audit_status == "ok"
            rows.append([m.fmt, _n(m.cases), _n(m.audit_rss_mb, 1) if ok else m.audit_status,
                         _n(i.audit_rss_mb, 1) if ok else i.audit_status,
                         f"{i.audit_rss_mb / m.audit_rss_mb:.1f}x" if ok and i.audit_rss_mb and m.audit_rss_mb else "-",
                         _n(m.audit_seconds, 2) if ok else "-", _n(i.audit_seconds, 2) if ok else "-"])
        out.append(_table(["format", "cases", "grouped RSS MB", "interleaved RSS MB", "ratio", "grouped s",
                           "interleaved s"], rows))
        out.append("grouped RSS should stay flat as cases grow; interleaved RSS may grow with the caseload "
                   "(every case must be held until the end of the file).")
    notes = [n for m in results for n in m.notes]
    if notes:
        out += ["", "notes:"] + [f"  - {n}" for n in notes]
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(x.replace("_", "").replace("k", "000")) for x in text.split(",") if x.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: sizes are comma-separated integers, e.g. 10000,40000") from None
    if not sizes or any(s < 1 for s in sizes):
        raise argparse.ArgumentTypeError("sizes must be positive")
    return sizes


def _formats(text: str) -> list[str]:
    fmts = [x.strip() for x in text.split(",") if x.strip()]
    if not fmts or any(f not in ("jsonl", "csv") for f in fmts):
        raise argparse.ArgumentTypeError("formats: jsonl and/or csv")
    return fmts


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="bench_audit.py", description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", type=_sizes, default=[10_000, 40_000, 100_000],
                   help="numbers of cases, comma-separated (default 10000,40000,100000)")
    p.add_argument("--formats", type=_formats, default=["jsonl", "csv"], help="jsonl,csv (default both)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--fault-rate", type=float, default=0.3)
    p.add_argument("--out-dir", type=Path, default=HERE / "out", help="where generated files are cached")
    p.add_argument("--audit-cmd", help="the auditor command (default: .venv/bin/rtw-audit, else rtw-audit on PATH)")
    p.add_argument("--skip-audit", action="store_true", help="measure generation and the bare parse only")
    p.add_argument("--engine", action="store_true", help="also time auditor.engine in-process (no CLI, no report)")
    p.add_argument("--no-interleave", action="store_true", help="skip the grouped vs interleaved memory runs")
    p.add_argument("--repeat", type=int, default=1, help="runs per measurement; the fastest is kept")
    p.add_argument("--timeout", type=float, default=None, help="seconds before a child is killed")
    p.add_argument("--json", action="store_true", help="print the results as JSON instead of a table")
    p.add_argument("--ratios", action="store_true",
                   help="print instead the audit's cost as ratios to a bare parse (benchmarks/ratios.py) at the "
                        "first of --sizes, best of --repeat, generated and hand-written shapes")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.repeat < 1 or not 0 <= args.fault_rate <= 1:
        print("bench_audit.py: --repeat must be >= 1 and --fault-rate within 0..1", file=sys.stderr)
        return 2
    if args.ratios:
        return ratios_main(["--cases", str(args.sizes[0]), "--repeat", str(args.repeat), "--seed", str(args.seed),
                            "--out-dir", str(args.out_dir), *(["--json"] if args.json else []),
                            *(["--audit-cmd", args.audit_cmd] if args.audit_cmd else [])])
    def say(*a: object) -> None:
        print(*a, file=sys.stderr, flush=True)

    if args.skip_audit:
        audit_cmd, audit_state, audit_info = None, "skipped", "skipped (--skip-audit)"
    else:
        audit_cmd = find_audit_command(args.audit_cmd)
        ok, why = probe_audit(audit_cmd)
        audit_state = "ok" if ok else NOT_AVAILABLE
        audit_info = why if ok else f"{NOT_AVAILABLE} ({why})"
    engine = False
    if args.engine:
        engine, why = probe_engine()
        if not engine:
            say(f"engine: not available ({why})")
    interleave = not args.no_interleave and audit_state == "ok"
    interleave_note = ("skipped (--no-interleave)" if args.no_interleave
                       else f"not measured: {audit_info}" if audit_state != "ok" else "")

    if prune_stale(args.out_dir):
        say(f"removed cached caseloads of an older generate.py from {args.out_dir}")
    results: list[Measure] = []
    for n in args.sizes:
        jobs = [(fmt, False) for fmt in args.formats]
        if interleave:
            jobs += [(fmt, True) for fmt in args.formats if fmt == "jsonl"] or [(args.formats[0], True)]
        for fmt, inter in jobs:
            load = ensure_caseload(args.out_dir, n, fmt, args.seed, args.fault_rate, inter)
            if load.generated_seconds is not None:
                say(f"generated {load.path.name}: {load.events:,} events in {load.generated_seconds:.1f} s")
            say(f"measuring {load.path.name} ...")
            try:
                results.append(measure(load, audit_cmd=audit_cmd, audit_state=audit_state,
                                       engine=engine and not inter, repeat=args.repeat, timeout=args.timeout))
            except RuntimeError as exc:
                say(f"bench_audit.py: {exc}")
                return 1
    baseline = run_child([sys.executable, "-c", "pass"]).maxrss_mb
    info = {"seed": args.seed, "fault_rate": args.fault_rate, "generator": generator_hash(),
            "python": sys.version.split()[0], "audit": audit_info, "baseline_rss_mb": baseline,
            "interleave_note": interleave_note}
    if args.json:
        print(json.dumps({"info": info, "results": [asdict(m) for m in results]}, indent=1))
    else:
        print(render(results, info))
    failed = [m for m in results if m.audit_status not in ("ok", "skipped", NOT_AVAILABLE)]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

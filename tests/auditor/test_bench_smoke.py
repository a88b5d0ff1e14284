"""benchmarks/bench_audit.py runs end to end on a tiny caseload (never at 100k cases in the suite).

The audit part runs when the ``rtw-audit`` CLI works; otherwise the benchmark must still run and say
``rtw-audit not available``, which is checked with a command that cannot exist.
"""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "benchmarks" / "bench_audit.py"
AUDIT = f"{shlex.quote(sys.executable)} -m auditor.cli"  # the auditor of this interpreter, whatever its venv


def _bench(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(BENCH), "--sizes", "50", "--out-dir", str(tmp_path), *args],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)


def _events_written(tmp_path: Path, fmt: str) -> int:
    meta = [p for p in tmp_path.glob(f"caseload-n50-*.{fmt}.meta.json") if "interleaved" not in p.name]
    assert len(meta) == 1
    return json.loads(meta[0].read_text())["events"]


def test_bench_runs_without_the_auditor(tmp_path):
    stale = tmp_path / "caseload-n50-s1-f0.3-g0123456789.jsonl"  # made by another generate.py
    stale.write_text("{}\n")
    (tmp_path / "keep.txt").write_text("not ours")
    r = _bench(tmp_path, "--audit-cmd", str(tmp_path / "no-such-rtw-audit"))
    assert not stale.exists() and (tmp_path / "keep.txt").exists()
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "rtw-audit not available" in out
    assert "parse rows/s" in out and "jsonl" in out and "csv" in out
    # the cache is used on a second run: nothing generated again
    again = _bench(tmp_path, "--skip-audit", "--json")
    assert again.returncode == 0 and "generated" not in again.stderr
    data = json.loads(again.stdout)
    by_fmt = {m["fmt"]: m for m in data["results"]}
    assert set(by_fmt) == {"jsonl", "csv"}
    for fmt, m in by_fmt.items():
        assert m["cases"] == 50 and m["events"] == _events_written(tmp_path, fmt)
        assert m["rows"] > m["events"]  # party and context rows too
        assert m["parse_rows_per_s"] > 0 and m["parse_rss_mb"] > 1
        assert m["audit_status"] == "skipped" and m["audit_seconds"] is None
    assert not list(tmp_path.glob("*interleaved*")), "no interleaved run without an auditor"


def test_bench_measures_the_audit(tmp_path):
    r = _bench(tmp_path, "--formats", "jsonl", "--json", "--audit-cmd", AUDIT)
    assert r.returncode == 0, r.stderr + r.stdout
    results = json.loads(r.stdout)["results"]
    grouped = [m for m in results if not m["interleaved"]]
    inter = [m for m in results if m["interleaved"]]
    assert len(grouped) == 1 and len(inter) == 1
    for m in results:
        assert m["audit_status"] == "ok", m["notes"]
        assert m["audit_exit"] in (0, 1)
        assert m["audit_seconds"] > 0 and m["audit_events_per_s"] > 0 and m["audit_rss_mb"] > 1
        assert m["audit_ratio"] > 0
    table = _bench(tmp_path, "--formats", "jsonl", "--audit-cmd", AUDIT)
    assert table.returncode == 0
    assert "grouped RSS MB" in table.stdout and "interleaved RSS MB" in table.stdout


def test_bench_rejects_bad_arguments(tmp_path):
    for args in (["--sizes", "ten"], ["--formats", "xml"], ["--repeat", "0"]):
        r = _bench(tmp_path, *args)
        assert r.returncode == 2 and "Traceback" not in r.stderr

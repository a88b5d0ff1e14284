"""benchmarks/ratios.py (``bench_audit.py --ratios``) runs end to end on a tiny caseload of both shapes,
and its hand-written shape is the rule cases replicated: every case of it is audited without a problem."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_ratios_on_a_tiny_caseload(tmp_path):
    r = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_audit.py"), "--ratios", "--sizes", "30", "--repeat", "1",
         "--out-dir", str(tmp_path), "--json"],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
    )
    assert r.returncode == 0, r.stderr
    got = json.loads(r.stdout)
    for shape in ("generated", "hand-written"):
        figures = got[shape]
        for key in ("bare_cpu", "jobs1_cpu", "jobs2_wall", "interleaved_cpu", "csv_cpu", "report_cpu"):
            assert figures[key] > 0, (shape, key)
    startup = got["startup"]
    assert 0 < startup["audit_help_wall"] and 0 < startup["train_help_wall"] and 0 < startup["train_first_screen"]


def test_the_hand_written_tables_hold_every_rule_case(tmp_path):
    from benchmarks import ratios

    n = len(ratios.hand_written_logs())
    files = ratios.hand_written(tmp_path, n + 3)
    for kind in ("grouped", "interleaved", "csv"):
        r = subprocess.run([sys.executable, "-m", "auditor.cli", "check", str(files[kind]), "--format", "json"],
                           capture_output=True, text=True, cwd=ROOT, timeout=300)
        assert r.returncode in (0, 1) and r.stderr == "", (kind, r.stderr[:500])
        report = json.loads(r.stdout)
        assert len(report["cases"]) == n + 3 and "input_errors" not in report

"""What the audit's rules cost alone: ``audit_case`` over cases already read, in-process CPU time.

Why a separate figure: ``rtw-audit check`` spends its time reading, judging and rendering; issue 10
asks that the whole stay within 2x a bare ``json.loads`` pass, and each part must come down on its
own. This script reads every case of a JSON Lines table into a list first (reading is not timed),
then times ``auditor.engine.audit_case`` with the default rubric over that list with
``time.process_time()`` inside ``engine.batch_collection()`` (as ``rtw-audit`` runs it), best of
``--repeat``. ``--profile`` prints cProfile's top functions of one more pass.

Two shapes: ``--generated N`` (``generate.py``'s caseload, seed 1, fault rate 0.3) or ``--hand N``
(the hand-written rule cases of ``tests/auditor/rule_cases`` replicated under distinct ids, as
``ratios.py`` builds them); or ``--file PATH`` for any JSON Lines table.

    python benchmarks/bench_rules.py --generated 10000
    python benchmarks/bench_rules.py --hand 10000 --profile 25
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from auditor import engine  # noqa: E402
from auditor.case import Case  # noqa: E402
from auditor.reading.table import iter_table  # noqa: E402
from auditor.rubric import load_rubric  # noqa: E402


def read_all(path: Path) -> list[Case]:
    cases = [c for c in iter_table(path, "jsonl") if isinstance(c, Case)]
    if not cases:
        raise SystemExit(f"bench_rules.py: no case could be read from {path}")
    return cases


def run_rules(cases: list[Case], rubric) -> float:
    audit_case = engine.audit_case
    with engine.batch_collection():
        start = time.process_time()
        for case in cases:
            audit_case(case, rubric)
        return time.process_time() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    shape = parser.add_mutually_exclusive_group(required=True)
    shape.add_argument("--generated", type=int, metavar="N", help="N generated cases (seed 1, fault rate 0.3)")
    shape.add_argument("--hand", type=int, metavar="N", help="the rule cases replicated to N cases")
    shape.add_argument("--file", type=Path, help="a JSON Lines event table")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", type=int, default=0, metavar="K", help="print the K costliest functions")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        if args.file:
            path = args.file
        elif args.generated:
            from benchmarks import generate

            path = Path(tmp) / "generated.jsonl"
            generate.write_caseload(str(path), "jsonl", args.generated, 1)  # default fault rate 0.3
        else:
            from benchmarks.ratios import hand_written

            path = hand_written(Path(tmp), args.hand)["grouped"]
        cases = read_all(path)
    rubric = load_rubric()
    events = sum(len(c.events) for c in cases)
    runs = [run_rules(cases, rubric) for _ in range(max(1, args.repeat))]
    print(f"{len(cases)} cases, {events} events, {len(rubric.rules)} rules: "
          f"best {min(runs):.3f} s CPU of {len(runs)} ({', '.join(f'{r:.3f}' for r in runs)})")
    if args.profile:
        profiler = cProfile.Profile()
        with engine.batch_collection():
            profiler.enable()
            for case in cases:
                engine.audit_case(case, rubric)
            profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(args.profile)
        print(out.getvalue())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

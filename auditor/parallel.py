"""``rtw-audit check BIG.jsonl --jobs N``: one big JSON Lines table audited on several cores.

Why: reading, validating and judging a 100k-case export is pure Python and takes one core for about
a minute; a committee's machine usually has more. A table grouped by case (every export we know of)
can be cut at case boundaries into N regions that are audited independently, in forked worker
processes, and put back together in file order. The report is byte for byte the serial one.

How, and why it stays exact:

1. A table whose first block already mixes the rows of many cases (``reading.starts_interleaved``)
   goes to the serial path at once. Otherwise the parent cuts the file into N byte ranges of about
   equal size, each moved forward to the first line whose case differs from the line before (a few
   lines in a grouped table).
2. Each worker runs the reader's first pass over its own range (in parallel: it is a tenth of the
   work) and sends the parent its line count and its case ids (a fixed-size filter); then a
   key-only pass lists its ids that the other ranges' filter flags. If two ranges share a case (the
   table is interleaved), the parent calls the workers off before any case is audited, and the
   serial path runs instead.
   Otherwise a case's last line is the same in its range as in the whole file, so each worker's
   second pass (``auditor.reading.Region``, from the range's first line number) yields exactly what
   the serial reader yields for those lines, in the same order.
3. Each worker feeds its audits to the run's sink. For ``check`` the sink writes them to the
   worker's own temporary file beside the output, with the run's writer (``auditor.render.registry``,
   without the document's header and footer), and returns its summary, with every case's fidelity so
   that the mean is summed in the same order, its input errors and whether something at or above
   ``--fail-on`` was violated. The rendered report never goes through a pipe: the parent copies the
   parts into the output and deletes them. For ``report`` the sink is an empty copy of the report's
   aggregate, whose counts the parent merges (``region_results``).
4. Whatever could make the parts differ from a serial read falls back to the serial path before
   anything is written: a file-wide error budget that could run out (serially, reading stops after
   ``MAX_ERRORS`` problems), a case still open at the end of a range, no case at all, a worker
   that failed. So a parallel run is either exact or not used.

Memory stays as the serial reader's: one case at a time per worker, plus one small entry per case
of its range.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import shutil
import signal
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Protocol, TextIO

from .errors import MAX_ERRORS, InputError, InputErrors
from .reading.seen import SeenFilter
from .stopping import deferred_stop

#: Tables smaller than this are audited serially: forking and copying would cost more than they save.
MIN_BYTES = 16 * 1024 * 1024
#: How far (in lines) a cut may move forward to reach a case boundary before that cut is given up.
SCAN_LINES = 100_000


def default_jobs() -> int:
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return max(1, min(2, cpus))


@dataclass
class Parts:
    """What the workers produced: the run's totals, its input errors in serial order, and the
    rendered cases in temporary files, in file order (``write_bodies``; always ``cleanup``)."""

    summary: Any
    violated: bool
    errors: list[InputErrors]
    paths: list[str] = field(default_factory=list)

    def write_bodies(self, out: TextIO, part_prefix: str) -> None:
        """Copy the parts into ``out`` after what was written so far. Every case of a part starts
        with the writer's ``part_prefix`` (JSON: a comma); the first case of the document must not."""
        out.flush()
        raw = getattr(out, "buffer", None)
        skip = len(part_prefix.encode(_encoding(out)[0]))
        for path in self.paths:
            with open(path, "rb") as src:
                if skip:
                    if not src.read(skip):  # an empty part: the next one holds the first case
                        continue
                    skip = 0
                if raw is not None:  # the parts are encoded as ``out`` encodes: copy the bytes
                    shutil.copyfileobj(src, raw, 1 << 20)
                else:  # a text-only stream (tests)
                    encoding, errors = _encoding(out)
                    text = io.TextIOWrapper(src, encoding=encoding, errors=errors, newline="")
                    shutil.copyfileobj(text, out, 1 << 20)
                    text.detach()
        if raw is not None:
            raw.flush()

    def cleanup(self) -> None:
        for path in self.paths:
            try:
                os.unlink(path)
            except FileNotFoundError:
                pass
        self.paths = []


def _encoding(out: TextIO) -> tuple[str, str]:
    return getattr(out, "encoding", None) or "utf-8", getattr(out, "errors", None) or "strict"


def table_for(paths: list[str], jobs: int) -> Path | None:
    """The one table a parallel run applies to, or None: a single regular ``.jsonl`` file of at
    least ``MIN_BYTES``, more than one job, and ``fork`` (workers inherit the rubric, nothing is pickled)."""
    if jobs < 2 or len(paths) != 1:
        return None
    path = Path(paths[0])
    if path.suffix.lower() != ".jsonl":
        return None
    try:
        st = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode) or st.st_size < MIN_BYTES:
        return None
    try:
        multiprocessing.get_context("fork")
    except ValueError:
        return None
    return path


def _cuts(path: Path, size: int, n: int, key_of: Any) -> list[int]:
    """Byte offsets where the regions start: 0, then up to n-1 cuts, each at the start of a line
    whose case differs from the case of the lines before it."""
    starts = [0]
    with open(path, "rb") as f:
        for i in range(1, n):
            f.seek(size * i // n - 1)
            f.readline()  # to the start of the next line (the target itself if a line ends just before)
            pos: int | None = f.tell()
            first = None
            for _ in range(SCAN_LINES):
                line = f.readline()
                if not line:
                    pos = None
                    break
                key = key_of(line)
                if key is not None:
                    if first is None:
                        first = key
                    elif key != first:
                        break
                pos += len(line)  # type: ignore[operator]  # None only after the loop is left
            else:
                pos = None
            if pos is not None and starts[-1] < pos < size:
                starts.append(pos)
    return starts


@dataclass
class _Job:
    name: str  # the file's name as the serial reader names it (messages, ``source``)
    path: Path
    start: int
    limit: int | None  # bytes in the region; None: to the end
    part: str | None  # temporary file for the rendered cases (None: the run renders nothing in workers)


class _Sink(Protocol):
    """What a worker does with each audit of its region (render it, count it), and what it sends back."""

    def add(self, audit: Any) -> None: ...

    def result(self) -> Any: ...  # picklable: it goes through the pipe to the parent

    def close(self) -> None: ...


@dataclass
class _Run:
    """What every worker shares, inherited through fork."""

    rubric: Any
    mapping: Any
    sink: Callable[[_Job], _Sink]  # the run's sink for one region
    as_of: date | None
    waivers: Any


class _CheckSink:
    """``check``: each audit rendered into the region's part (the run's writer, without the
    document's header), counted in a summary, and whether something at or above ``--fail-on`` was violated."""

    def __init__(self, part: str, writer: Callable[[TextIO], Any], fail_on: str, encoding: tuple[str, str]) -> None:
        from .render.summary import RunSummary

        self.out = open(part, "w", encoding=encoding[0], errors=encoding[1], buffering=1 << 20)
        self.writer = writer(self.out)
        self.summary = RunSummary()
        self.violated = False
        self.fail_on = fail_on

    def add(self, audit: Any) -> None:
        self.summary.add(audit)
        self.writer.case(audit)
        if self.fail_on != "never" and not self.violated and audit.violated_at_or_above(self.fail_on):
            self.violated = True

    def result(self) -> Any:
        self.out.flush()
        return {"summary": self.summary, "violated": self.violated}

    def close(self) -> None:
        self.out.close()


def _worker(conn: Any, job: _Job, run: _Run) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C: the parent stops the workers
    try:
        _work(conn, job, run)
    except BaseException as exc:  # reported to the parent, which falls back to the serial path
        try:
            conn.send(("failed", f"{type(exc).__name__}: {exc}"))
        except Exception:
            pass
    finally:
        conn.close()


def _work(conn: Any, job: _Job, run: _Run) -> None:
    from .engine import audit_items
    from .reading import Region

    with Region(job.path, job.name, job.start, job.limit, run.mapping) as region:
        seen = region.scan()
        conn.send(("counted", region.lines, bytes(seen.bits)))
        del seen
        reply = conn.recv()
        if reply[0] != "go":
            return
        first_line = reply[1]
        # Cases shared with another region are found before auditing anything: the parent compares
        # the flagged ids of every region and calls the workers off if a case is in two.
        conn.send(("flagged", region.flagged(SeenFilter(reply[2]))))
        reply = conn.recv()
        if reply[0] != "audit":
            return
        errors: list[InputErrors] = []
        items = 0

        def read() -> Iterator[Any]:
            nonlocal items
            for item in region.cases(first_line):
                items += 1
                yield item

        sink = run.sink(job)
        try:
            for audit in audit_items(read(), run.rubric, as_of=run.as_of, waivers=run.waivers):
                if isinstance(audit, InputErrors):
                    errors.append(audit)
                    continue
                sink.add(audit)
            result = sink.result()
        finally:
            sink.close()
        conn.send(("done", {
            "result": result, "errors": errors, "file_errors": region.file_errors,
            "exact": region.exact, "budget_used": region.budget_used, "items": items,
            "waivers_used": set(run.waivers.used) if run.waivers is not None else set(),
        }))


def audit_table(
    path: Path, rubric: Any, out: TextIO, *, jobs: int, writer: Callable[[TextIO], Any],
    fail_on: str = "error", as_of: date | None = None, mapping: Path | None = None,
    part_dir: str | None = None, waivers: Any = None,
) -> Parts | None:
    """Audit ``path`` in ``jobs`` worker processes, each rendering its cases with ``writer(part)``
    (a writer without the document's header); None when the serial path must run instead (nothing
    has been written to ``out`` then). ``out`` is only looked at for its encoding. The waivers used
    in the workers are added to ``waivers.used``."""
    from .render.summary import RunSummary

    encoding = _encoding(out)

    def sink(job: _Job) -> _Sink:
        assert job.part is not None
        return _CheckSink(job.part, writer, fail_on, encoding)

    out.flush()
    done = _drive(path, rubric, jobs=jobs, sink=sink, as_of=as_of, mapping=mapping, part_dir=part_dir,
                  waivers=waivers, parts=True)
    if done is None:
        return None
    results, paths = done
    summary = RunSummary()
    violated = False
    errors: list[InputErrors] = []
    file_errors: list[InputError] = []
    for r in results:
        summary.merge(r["result"]["summary"])
        violated = violated or r["result"]["violated"]
        errors.extend(r["errors"])
        file_errors.extend(r["file_errors"])
    if file_errors:  # serially they come last, together, when the whole file has been read
        errors.append(InputErrors(file_errors, file=str(path)))
    return Parts(summary, violated, errors, paths)


def region_results(
    path: Path, rubric: Any, *, jobs: int, sink: Callable[[], _Sink], as_of: date | None = None,
    mapping: Path | None = None, waivers: Any = None,
) -> list[Any] | None:
    """Audit ``path`` in ``jobs`` worker processes, each feeding the audits of its region, in file
    order, to its own ``sink()``; the sinks' ``result()`` in region order. None when the serial path
    must run instead, and also when any input problem was found: the serial path reports problems in
    their order. For ``rtw-audit report``, whose counts merge (``report.aggregate.Aggregate.merge``)."""
    done = _drive(path, rubric, jobs=jobs, sink=lambda job: sink(), as_of=as_of, mapping=mapping,
                  part_dir=None, waivers=waivers, parts=False)
    if done is None:
        return None
    results, _ = done
    if any(r["errors"] or r["file_errors"] for r in results):
        return None
    return [r["result"] for r in results]


def _drive(
    path: Path, rubric: Any, *, jobs: int, sink: Callable[[_Job], _Sink], as_of: date | None,
    mapping: Path | None, part_dir: str | None, waivers: Any, parts: bool,
) -> tuple[list[dict], list[str]] | None:
    """Fork the workers, talk them through the rounds, and collect what each region sent back (with
    the temporary part files, when ``parts``); None when the serial path must run instead. The
    waivers used in the workers are added to ``waivers.used``."""
    from .reading import case_key_function, load_mapping, starts_interleaved

    table_mapping = None
    if mapping is not None:
        try:
            table_mapping = load_mapping(Path(mapping))
        except InputErrors:
            return None  # the serial path reports it
    case_column = table_mapping.case_column() if table_mapping else "case"
    try:
        if starts_interleaved(path, case_column):
            return None  # rows of many cases mixed from the start: the workers would only find it out later
        size = os.stat(path).st_size
        starts = _cuts(path, size, jobs, case_key_function(case_column))
    except OSError:
        return None
    if len(starts) < 2:
        return None
    run = _Run(rubric, table_mapping, sink, as_of, waivers)
    ctx = multiprocessing.get_context("fork")
    name = str(path)
    for stream in (sys.stdout, sys.stderr):  # a child flushes the std streams it inherits
        stream.flush()
    paths: list[str] = []
    workers: list[tuple[Any, Any]] = []
    finished = False
    try:
        for i, start in enumerate(starts):
            part = None
            if parts:
                fd, part = tempfile.mkstemp(prefix=".rtw-audit-part-", suffix=".tmp", dir=part_dir)
                os.close(fd)
                paths.append(part)
            limit = starts[i + 1] - start if i + 1 < len(starts) else None
            here, there = ctx.Pipe()
            proc = ctx.Process(target=_worker, args=(there, _Job(name, path, start, limit, part), run), daemon=True)
            with deferred_stop():  # a SIGTERM between the fork and the append would orphan the worker
                proc.start()
                workers.append((proc, here))
            there.close()
        results = _converse(workers)
        if results is None:
            return None
        if sum(r["budget_used"] for r in results) >= MAX_ERRORS or not all(r["exact"] for r in results):
            return None  # the serial reader's file-wide budget, or a case left open: serial decides
        if not any(r["items"] for r in results):
            return None  # nothing at all: the serial reader says what is wrong with the table
        if waivers is not None:
            for r in results:
                waivers.used.update(r["waivers_used"])
        finished = True
        return results, paths
    finally:
        for proc, conn in workers:
            if not finished:
                proc.terminate()  # stopped, failed or interrupted: its part is deleted below
            proc.join()
            conn.close()
        if not finished:
            for part in paths:
                try:
                    os.unlink(part)
                except FileNotFoundError:
                    pass


def _converse(workers: list[tuple[Any, Any]]) -> list[dict] | None:
    """The rounds with the workers: line counts and case ids; go (with each region's first line and
    the other regions' filter) or stop; the ids the filter flags, then audit or stop; their results.
    None if the table cannot be split or a worker failed."""
    counted = []
    for _, conn in workers:
        msg = _receive(conn)
        if msg is None or msg[0] != "counted":
            _stop_all(workers)
            return None
        counted.append(msg)
    # Each worker learns which case ids the other regions hold (as a fixed-size filter, never a list:
    # memory must not grow with the number of cases) and reports its own cases the filter flags.
    first_line = 1
    for i, ((_, conn), (_, nlines, _)) in enumerate(zip(workers, counted, strict=True)):
        others = SeenFilter()
        for j, (_, _, bits) in enumerate(counted):
            if j != i:
                others.update(SeenFilter(bits))
        conn.send(("go", first_line, bytes(others.bits)))
        first_line += nlines
    del counted
    # A case flagged by two regions is in both (a flag alone may be a false alarm): the table is
    # not grouped, and the serial path, which reads it whole, must decide. Known before any audit.
    flagged = []
    for _, conn in workers:
        msg = _receive(conn)
        if msg is None or msg[0] != "flagged":
            _stop_all(workers)
            return None
        flagged.append(msg[1])
    for i, a in enumerate(flagged):
        for b in flagged[i + 1:]:
            if a & b:
                _stop_all(workers)
                return None
    del flagged
    for _, conn in workers:
        conn.send(("audit",))
    results = []
    for _, conn in workers:
        msg = _receive(conn)
        if msg is None or msg[0] != "done":
            return None
        results.append(msg[1])
    return results


def _receive(conn: Any) -> tuple | None:
    try:
        return conn.recv()
    except (EOFError, OSError):
        return None


def _stop_all(workers: list[tuple[Any, Any]]) -> None:
    for _, conn in workers:
        try:
            conn.send(("stop",))
        except OSError:
            pass

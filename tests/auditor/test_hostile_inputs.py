"""Hostile inputs to ``rtw-audit``: devices, FIFOs, symlinks, endless streams, deep ``extends``
chains, standard input, wrong parameter values. Each one is a message with exit 2, never a
traceback, never an unbounded read, never a file silently left out."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.cli import main
from auditor.rubric import MAX_EXTENDS, load_rubric

DATA = Path(__file__).parent / "data"
EXAMPLE = DATA / "spec-examples" / "pre-briefing-and-missed-follow-up.yaml"
ZERO = "/dev/zero"
needs_zero = pytest.mark.skipif(not os.path.exists(ZERO), reason="no /dev/zero")


def _run(capsys, *argv) -> tuple[int, str, str]:
    status = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return status, out, err


@pytest.fixture
def log(tmp_path: Path) -> Path:
    path = tmp_path / "c.yaml"
    path.write_bytes(EXAMPLE.read_bytes())
    return path


def _rubric(tmp_path: Path, body: str, name: str = "ours.yaml") -> Path:
    path = tmp_path / name
    path.write_text("format: rtw-rubric/1\nname: ours\n" + body, encoding="utf-8")
    return path


# --- endless devices: the cap is on what is read ------------------------------------------------


@needs_zero
def test_rubric_from_dev_zero_is_refused(capsys, log):
    status, _, err = _run(capsys, "check", log, "--rubric", ZERO)
    assert status == 2 and "/dev/zero" in err and "far smaller" in err


@needs_zero
def test_extends_dev_zero_is_refused(capsys, log, tmp_path):
    status, _, err = _run(capsys, "check", log, "--rubric", _rubric(tmp_path, f"extends: {ZERO}\n"))
    assert status == 2 and "/dev/zero" in err


@needs_zero
def test_mapping_from_dev_zero_is_refused(capsys, log):
    status, _, err = _run(capsys, "check", log, "--mapping", ZERO)
    assert status == 2 and "mapping file is far smaller" in err


@needs_zero
def test_a_log_symlinked_to_dev_zero_is_refused_when_named(capsys, tmp_path):
    link = tmp_path / "x.yaml"
    link.symlink_to(ZERO)
    status, _, err = _run(capsys, "check", link)
    assert status == 2 and "x.yaml" in err and "far smaller" in err


@needs_zero
@pytest.mark.parametrize("suffix", [".jsonl", ".csv"])
def test_a_table_symlinked_to_dev_zero_is_refused_when_named(capsys, tmp_path, suffix, monkeypatch):
    from auditor.reading import table

    monkeypatch.setattr(table, "MAX_LINE_BYTES", 1 << 20)  # the same check, sooner
    link = tmp_path / f"z{suffix}"
    link.symlink_to(ZERO)
    status, _, err = _run(capsys, "check", link)
    assert status == 2 and f"z{suffix}" in err and "a line is longer than 1 MB" in err


def test_reading_is_capped_whatever_stat_says(tmp_path, monkeypatch):
    """A FIFO reports size 0; the reader must stop at the cap, not trust the size."""
    from auditor.reading import capped

    fifo = tmp_path / "big.yaml"
    os.mkfifo(fifo)

    def feed():
        with open(fifo, "wb") as f:
            try:
                f.write(b"#" * 5000)
            except BrokenPipeError:
                pass

    writer = threading.Thread(target=feed)
    writer.start()
    with pytest.raises(Exception, match="more than 1000 bytes"):
        capped.read_capped(fifo, 1000, "case log")
    writer.join(10)


# --- files in a folder that are not regular files -----------------------------------------------


def test_a_dangling_symlink_in_a_folder_is_reported(capsys, log, tmp_path):
    (tmp_path / "gone.yaml").symlink_to(tmp_path / "nowhere.yaml")
    status, out, err = _run(capsys, "check", tmp_path)
    assert status == 2
    assert "gone.yaml" in err and "symbolic link to nothing" in err
    assert "case C-EX-002" in out  # the good log is still audited


def test_a_fifo_in_a_folder_is_reported_not_read(capsys, log, tmp_path):
    os.mkfifo(tmp_path / "pipe.yaml")
    status, _, err = _run(capsys, "check", tmp_path)  # would block forever if it were opened
    assert status == 2 and "pipe.yaml" in err and "named pipe" in err


@needs_zero
def test_a_device_symlink_in_a_folder_is_reported_not_read(capsys, log, tmp_path):
    (tmp_path / "zero.yaml").symlink_to(ZERO)
    status, _, err = _run(capsys, "check", tmp_path)
    assert status == 2 and "zero.yaml" in err and "device" in err


# --- standard input, as documented ----------------------------------------------------------------


@pytest.mark.parametrize("name", ["-", "/dev/stdin"])
@pytest.mark.parametrize("source", ["spec-examples/pre-briefing-and-missed-follow-up.yaml", "bad/rows.jsonl"])
def test_standard_input_is_read(name, source):
    """Through a real pipe, as a user would: a case log or an event table, told from its content."""
    data = (DATA / source).read_bytes()
    proc = subprocess.run(
        [sys.executable, "-m", "auditor.cli", "check", name, "--format", "json"],
        input=data, capture_output=True, timeout=60, cwd=Path(__file__).parents[2],
    )
    assert b"Traceback" not in proc.stderr
    assert b"not a case log" not in proc.stderr and b"no such file" not in proc.stderr
    if source.endswith(".yaml"):
        assert proc.returncode == 1 and b'"case": "C-EX-002"' in proc.stdout
    else:  # the table's known problems, each with its line on standard input
        assert proc.returncode == 2 and f"{name}:4:".encode() in proc.stderr


def test_sniffing_standard_input():
    from auditor.reading.stdin import sniff

    assert sniff(b'{"case": "A"}\n{"case": "A"}\n') == "jsonl"
    assert sniff(b'{"format": "rtw-case-log/1",\n "case": "A"}') == "json"
    assert sniff(b"case,at,type\nA,2026-01-01,absence_started\n") == "csv"
    assert sniff(b"format: rtw-case-log/1\ncase: A\n") == "yaml"
    assert sniff(b"# a comment, with a comma\nformat: x\n") == "yaml"


# --- rubrics: extends chains and parameters ------------------------------------------------------


def test_a_deep_extends_chain_is_a_message_not_a_recursion_error(capsys, log, tmp_path):
    depth = 2000
    _rubric(tmp_path, "extends: default\n", "r0.yaml")
    for i in range(1, depth):
        _rubric(tmp_path, f"extends: r{i - 1}.yaml\n", f"r{i}.yaml")
    status, _, err = _run(capsys, "check", log, "--rubric", tmp_path / f"r{depth - 1}.yaml")
    assert status == 2 and f"more than {MAX_EXTENDS}" in err


def test_a_chain_within_the_bound_still_loads(tmp_path):
    _rubric(tmp_path, "extends: default\n", "r0.yaml")
    for i in range(1, MAX_EXTENDS - 2):
        _rubric(tmp_path, f"extends: r{i - 1}.yaml\n", f"r{i}.yaml")
    assert load_rubric(tmp_path / f"r{MAX_EXTENDS - 3}.yaml").rules


@pytest.mark.parametrize(
    "params, words",
    [
        ("{tolerance: abc}", "`tolerance` must be a number"),
        ("{tolerance: 1.0e308}", "`tolerance` must be a number"),
        ("{tolerance: 1e308}", "`tolerance` must be a number"),
        ("{tolerance: .nan}", "`tolerance` must be a number"),
        ("{default_every_days: [1, 2]}", "`default_every_days` must be a whole number of days"),
        ("{default_every_days: {a: 1}}", "`default_every_days` must be"),
        ("{default_every_days: 2.5}", "`default_every_days` must be a whole number of days"),
        ("{default_every_days: -3}", "`default_every_days` must be a whole number of days"),
        ("{default_every_days: true}", "`default_every_days` must be a whole number of days"),
    ],
)
def test_rtw302_parameters_are_checked_with_file_and_line(capsys, log, tmp_path, params, words):
    rubric = _rubric(tmp_path, f"extends: default\nrules:\n  - code: RTW302\n    params: {params}\n")
    status, _, err = _run(capsys, "check", log, "--rubric", rubric)
    assert status == 2
    assert f"{rubric}:6:" in err and words in err


def _default_params() -> list[tuple[str, str, object]]:
    rubric = load_rubric()
    return [(r.code, name, value) for r in rubric.rules for name, value in r.spec.params.items()]


_WRONG = st.one_of(
    st.text(max_size=12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-10**30, max_value=10**30),
    st.booleans(),
    st.lists(st.one_of(st.integers(), st.text(max_size=5)), max_size=3),
    st.dictionaries(st.text(min_size=1, max_size=4), st.integers(), max_size=2),
    st.none(),
)


def _yaml(value) -> str:
    import json

    if isinstance(value, float) and value != value:
        return ".nan"
    if isinstance(value, float) and value in (float("inf"), float("-inf")):
        return ".inf" if value > 0 else "-.inf"
    return json.dumps(value)  # JSON is YAML's flow style


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    target=st.sampled_from(_default_params()),
    value=_WRONG,
    field=st.sampled_from(["params", "severity", "enabled", "step", "check", "source", "summary"]),
)
def test_any_wrongly_typed_rubric_value_is_a_message(tmp_path_factory, capsys, target, value, field):
    code, name, _ = target
    folder = tmp_path_factory.mktemp("r")
    log = folder / "c.yaml"
    log.write_bytes(EXAMPLE.read_bytes())
    if field == "params":
        body = f"    params: {{{name}: {_yaml(value)}}}\n"
    else:
        body = f"    {field}: {_yaml(value)}\n"
    rubric = _rubric(folder, f"extends: default\nrules:\n  - code: {code}\n{body}")
    status, _, err = _run(capsys, "check", log, "--rubric", rubric, "--format", "json")
    assert status in (0, 1, 2)
    if status == 2:
        assert str(rubric) in err


# --- a run stopped from outside ---------------------------------------------------------------------


def test_sigterm_raises_inside_the_block_and_is_restored_after():
    import signal

    from auditor.stopping import Terminated, signals_as_exit

    before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(Terminated) as got:
        with signals_as_exit():
            os.kill(os.getpid(), signal.SIGTERM)
            signal.sigtimedwait([], 0.1) if hasattr(signal, "sigtimedwait") else None
            for _ in range(1000):  # the handler runs between bytecodes
                pass
    assert got.value.code == 143
    assert signal.getsignal(signal.SIGTERM) == before


def test_pipe_closed_status_is_documented_and_not_success(monkeypatch):
    from auditor import cli
    from auditor.stopping import PIPE_CLOSED

    assert PIPE_CLOSED not in (0, 1, 2)
    assert str(PIPE_CLOSED) in cli.__doc__

    def broken(args):
        raise BrokenPipeError

    monkeypatch.setitem(cli.COMMANDS, "rules", broken)
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    assert cli.main(["rules"]) == PIPE_CLOSED


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    key=st.sampled_from(["name", "extends", "steps", "rules", "format"]),
    value=st.one_of(_WRONG, st.lists(st.dictionaries(st.sampled_from(["id", "title", "code", "x"]), _WRONG, max_size=3), max_size=2)),
)
def test_any_wrongly_typed_top_level_rubric_value_is_a_message(tmp_path_factory, capsys, key, value):
    folder = tmp_path_factory.mktemp("t")
    log = folder / "c.yaml"
    log.write_bytes(EXAMPLE.read_bytes())
    fields = {"format": '"rtw-rubric/1"', "name": "ours", "extends": "default"}
    fields[key] = _yaml(value)
    rubric = folder / "ours.yaml"
    rubric.write_text("".join(f"{k}: {v}\n" for k, v in fields.items()), encoding="utf-8")
    status, _, err = _run(capsys, "check", log, "--rubric", rubric)
    assert status in (0, 1, 2)
    if status == 2:
        assert str(rubric) in err or "no such" in err or "rubric" in err


_UNHASHABLE_TYPES = st.one_of(
    st.lists(st.sampled_from(["absence_started", "x", ""]), max_size=3),
    st.dictionaries(st.sampled_from(["a", "type"]), st.integers(), max_size=2),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=_UNHASHABLE_TYPES)
def test_a_list_or_mapping_as_an_event_type_is_a_message(tmp_path_factory, capsys, value):
    """``type: [absence_started]`` once crashed both readers (a list cannot be looked up by name)."""
    import json

    import yaml

    folder = tmp_path_factory.mktemp("types")
    document = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    document["events"][0]["type"] = value
    (folder / "c.yaml").write_text(yaml.safe_dump(document), encoding="utf-8")
    row = {"case": "t1", "at": "2026-01-05", "type": value, "by": "w"}
    (folder / "t.jsonl").write_text(json.dumps(row) + "\n", encoding="utf-8")
    for name in ("c.yaml", "t.jsonl"):
        status, _, err = _run(capsys, "check", folder / name)
        assert status == 2, err
        assert f"{name}:" in err and "event" in err

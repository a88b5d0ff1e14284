"""Arbitrary malformed input gives exit 2 and a message naming the file, never a traceback."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.cli import main

EXAMPLE = (Path(__file__).parent / "data" / "spec-examples" / "pre-briefing-and-missed-follow-up.yaml").read_bytes()


def _mutate(data: bytes, cuts: list[tuple[int, bytes]]) -> bytes:
    out = bytearray(data)
    for position, junk in cuts:
        position %= max(len(out), 1)
        out[position : position + len(junk)] = junk
    return bytes(out)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.tuples(st.integers(0, 10_000), st.binary(min_size=1, max_size=6)), min_size=1, max_size=4),
    st.sampled_from([".yaml", ".json", ".jsonl", ".csv"]),
)
def test_mutated_logs_exit_cleanly(tmp_path_factory, capsys, cuts, suffix):
    path = tmp_path_factory.mktemp("m") / f"case{suffix}"
    path.write_bytes(_mutate(EXAMPLE, cuts))
    status = main(["check", str(path), "--format", "json"])
    out, err = capsys.readouterr()
    assert status in (0, 1, 2)
    assert "Traceback" not in err
    if status == 2:
        assert "case" + suffix in err  # the message names the file


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=400), st.sampled_from([".yaml", ".json", ".jsonl", ".csv"]))
def test_arbitrary_bytes_exit_two_or_audit(tmp_path_factory, capsys, data, suffix):
    path = tmp_path_factory.mktemp("b") / f"junk{suffix}"
    path.write_bytes(data)
    status = main(["check", str(path)])
    _, err = capsys.readouterr()
    assert status in (0, 1, 2)
    assert "Traceback" not in err
    if status == 2:
        assert "junk" + suffix in err

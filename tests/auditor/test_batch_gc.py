"""While cases stream through ``engine.audit_items`` the cyclic collector runs less often; whatever
way the stream ends (read to the end, abandoned, a failure), the thresholds are those of before."""

from __future__ import annotations

import gc

import pytest

from auditor.engine import BATCH_GC_THRESHOLDS, audit_items, batch_collection
from auditor.reading import read_case_text
from auditor.rubric import load_rubric

LOG = b"""format: rtw-case-log/1
case: GC-1
parties: {W: {role: worker}, C: {role: coordinator}, S: {role: supervisor}}
events:
  - {at: 2026-02-02, type: absence_started}
  - {at: 2026-02-04, type: file_forwarded, by: S, to: C}
"""


@pytest.fixture
def thresholds():
    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield
    gc.set_threshold(*before)


def test_raised_while_streaming_and_restored_at_the_end(thresholds):
    rubric = load_rubric()
    cases = [read_case_text(LOG, "gc.yaml", "yaml") for _ in range(3)]
    stream = audit_items(cases, rubric)
    next(stream)
    assert gc.get_threshold() == BATCH_GC_THRESHOLDS
    assert len(list(stream)) == 2
    assert gc.get_threshold() == (700, 10, 10)


def test_restored_when_the_stream_is_abandoned_or_fails(thresholds):
    rubric = load_rubric()
    stream = audit_items([read_case_text(LOG, "gc.yaml", "yaml")] * 2, rubric)
    next(stream)
    stream.close()  # type: ignore[attr-defined]  # a generator
    assert gc.get_threshold() == (700, 10, 10)
    with pytest.raises(RuntimeError), batch_collection():
        raise RuntimeError("a failing audit")
    assert gc.get_threshold() == (700, 10, 10)


def test_never_lowered(thresholds):
    gc.set_threshold(200_000, 10, 500)
    with batch_collection():
        assert gc.get_threshold() == (200_000, BATCH_GC_THRESHOLDS[1], 500)
    assert gc.get_threshold() == (200_000, 10, 500)

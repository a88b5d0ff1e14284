"""``--format json``: one document, written case by case so memory stays flat on big exports.

A result's JSON depends only on its rule and outcome unless it names events (or is waived), so those
fragments are encoded once per run and reused: on a 100k-case export this is most of the output, and
encoding it once instead of 4 million times keeps the JSON writer from dominating the audit.
"""

from __future__ import annotations

import json
from typing import Any, TextIO

from ..engine import CaseAudit
from ..outcomes import RuleResult
from ..rubric import Rubric
from ..safe_text import json_surrogates_escaped
from . import RunNotes, WriterOptions, case_record, finding_record
from .summary import RunSummary

_dumps = json.JSONEncoder(ensure_ascii=False).encode
_string = json.encoder.encode_basestring  # what ``_dumps`` does with a str
_float = float.__repr__  # what it does with a finite float


class ResultFragments:
    def __init__(self, rubric: Rubric) -> None:
        self.rubric = rubric
        self.cache: dict[tuple[str, str], str] = {}

    def result(self, audit: CaseAudit, result: RuleResult) -> str:
        """The result's JSON; one that names no event and is not waived is the same for every case,
        so it is cached."""
        if not result.events and result.waiver is None:
            key = (result.rule, result.outcome)
            got = self.cache.get(key)
            if got is None:
                got = self.cache[key] = _dumps(finding_record(audit, self.rubric, result).json())
            return got
        return _dumps(finding_record(audit, self.rubric, result).json())


def case_json(audit: CaseAudit, fragments: ResultFragments) -> str:
    """The same document as ``case_record``, encoded with cached fragments.

    Written out by hand as ``json.dumps`` would (its ``", "`` and ``": "`` separators; strings by
    its own ``encode_basestring``, a float by ``float.__repr__``, as its encoder does): this runs once
    per case of a 100k-case export, and a dict through the encoder costs more than the strings."""
    case = audit.case
    fid = audit.fidelity
    text = '{"case": ' + _string(case.case) + ', "fidelity": ' + ("null" if fid is None else _float(round(fid, 4)))
    cache = fragments.cache
    parts: list[str] = []
    append = parts.append
    for r in audit.results:
        got = None if (r.events or r.waiver is not None) else cache.get((r.rule, r.outcome))
        append(got if got is not None else fragments.result(audit, r))
    text += ', "results": [' + ", ".join(parts) + "], "
    if case.source is not None:
        text += '"source": ' + _string(case.source) + ", "
    text += '"as_of": ' + _string(case.as_of.isoformat())
    if audit.warnings:
        text += ', "warnings": ' + _dumps(list(audit.warnings))
    return text + "}"


class JsonWriter:
    """``header=False`` writes cases only, each after ``,``: one part of the ``cases`` list, for a
    parallel run (``auditor.parallel``) to put between the header and ``finish``."""

    part_prefix = ","

    def __init__(self, out: TextIO, rubric: Rubric, options: WriterOptions | None = None) -> None:
        header = (options or WriterOptions()).header
        self.out = out
        self.rubric = rubric
        self.fragments = ResultFragments(rubric)
        self.first = header
        if header:
            out.write('{"cases": [')

    def case(self, audit: CaseAudit) -> None:
        self.out.write("\n" if self.first else ",\n")
        self.first = False
        text = case_json(audit, self.fragments)
        # An ASCII text holds no lone surrogate: the scan for one is skipped (most cases, every run).
        self.out.write(text if text.isascii() else json_surrogates_escaped(text))

    def finish(self, summary: RunSummary, notes: RunNotes | None = None) -> None:
        tail: dict[str, Any] = {"rubric": self.rubric.name, "summary": summary.to_dict()}
        if notes is not None:
            if notes.input_errors:
                tail["input_errors"] = list(notes.input_errors)
            if notes.waiver_warnings:
                tail["waiver_warnings"] = {"expired": list(notes.expired_waivers), "unused": list(notes.unused_waivers)}
        self.out.write("\n], " + json_surrogates_escaped(json.dumps(tail, ensure_ascii=False))[1:] + "\n")


__all__ = ["JsonWriter", "case_json", "case_record", "ResultFragments"]

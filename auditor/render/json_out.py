"""``--format json``: one document, written case by case so memory stays flat on big exports."""

from __future__ import annotations

import json
from typing import TextIO

from ..engine import CaseAudit
from ..rubric import Rubric
from . import case_record
from .summary import RunSummary


class JsonWriter:
    def __init__(self, out: TextIO, rubric: Rubric) -> None:
        self.out = out
        self.rubric = rubric
        self.first = True
        self.extra: dict = {}
        out.write('{"cases": [')

    def case(self, audit: CaseAudit) -> None:
        self.out.write("\n" if self.first else ",\n")
        self.first = False
        self.out.write(json.dumps(case_record(audit, self.rubric), ensure_ascii=False))

    def finish(self, summary: RunSummary) -> None:
        tail = {"rubric": self.rubric.name, "summary": summary.to_dict(), **self.extra}
        self.out.write("\n], " + json.dumps(tail, ensure_ascii=False)[1:] + "\n")

"""``precedence``: the subject event is preceded by a required event."""

from __future__ import annotations

from ..conditions import RubricError, compile_case_condition, compile_selector
from ..i18n import N_
from ..i18n_domains import _
from ..outcomes import FAIL, NA, NOT_APPLICABLE, OK, PENDING, VIOLATED, WAIT, Verdict
from . import require, template


@template(
    "precedence",
    {"subject", "required", "applies_when", "when_no_subject"},
    N_("each event the `subject` selects has a `required` event before it; a subject without one is named"),
)
def compile_precedence(config, params, path):
    select = compile_selector(require(config, "subject", path), params, f"{path}.subject")
    required = compile_selector(require(config, "required", path), params, f"{path}.required")
    applies = compile_case_condition(config["applies_when"], params, f"{path}.applies_when") if "applies_when" in config else None
    # `pending`: with no subject yet, the rule waits for it (satisfied if the required event already happened).
    when_empty = config.get("when_no_subject", NOT_APPLICABLE)
    if when_empty not in (NOT_APPLICABLE, PENDING):
        raise RubricError(_("`when_no_subject` is `not_applicable` or `pending`"), f"{path}.when_no_subject")

    def check(ix):
        if applies is not None and not applies(ix):
            return NA
        subjects = select(ix)
        if not subjects:
            if when_empty == NOT_APPLICABLE:
                return NA
            if required(ix):
                return OK
            return FAIL if ix.closed else WAIT
        found = required(ix)
        if not found:
            return Verdict(VIOLATED, list(subjects))
        first_required = found[0]
        failing = [i for i in subjects if first_required > i]
        return Verdict(VIOLATED, failing) if failing else OK

    return check

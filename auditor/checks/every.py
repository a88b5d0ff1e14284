"""``every``: each selected event satisfies a condition (or avoids a forbidden one)."""

from __future__ import annotations

from ..conditions import RubricError, compile_case_condition, compile_condition, compile_selector
from ..i18n import N_
from ..i18n_domains import _
from ..outcomes import NA, NOT_APPLICABLE, OK, SATISFIED, VIOLATED, Verdict
from . import require, template


@template(
    "every",
    {"subject", "require", "forbid", "applies_when", "when_no_subject"},
    N_("each event the `subject` selects meets `require` (and not `forbid`); the failing events are named"),
)
def compile_every(config, params, path):
    select = compile_selector(require(config, "subject", path), params, f"{path}.subject")
    if ("require" in config) == ("forbid" in config):
        raise RubricError(_("give exactly one of `require` or `forbid`"), path)
    if "require" in config:
        test = compile_condition(config["require"], params, f"{path}.require")
    else:
        bad = compile_condition(config["forbid"], params, f"{path}.forbid")
        test = lambda ix, i: not bad(ix, i)  # noqa: E731
    applies = compile_case_condition(config["applies_when"], params, f"{path}.applies_when") if "applies_when" in config else None
    when_empty = config.get("when_no_subject", NOT_APPLICABLE)
    if when_empty not in (NOT_APPLICABLE, SATISFIED):
        raise RubricError(_("`when_no_subject` is `not_applicable` or `satisfied`"), f"{path}.when_no_subject")

    empty = NA if when_empty == NOT_APPLICABLE else OK

    def check(ix):
        if applies is not None and not applies(ix):
            return NA
        subjects = select(ix)
        if not subjects:
            return empty
        failing = [i for i in subjects if not test(ix, i)]
        return Verdict(VIOLATED, failing) if failing else OK

    return check

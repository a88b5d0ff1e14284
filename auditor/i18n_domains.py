"""The auditor's message catalogues: its own interface (``rtw-audit``) and the audit rules' texts.

Why here: ``auditor.i18n`` is shared with the simulator and knows no domain; each package declares the
domains its strings belong to, and ``auditor.catalogues`` gathers them to extract and check.

The rules' texts are data (``rubrics/audit-rules.yaml``), so their domain, ``audit-rules``, is extracted
from the YAML: one message per text, its context the rule's code (or the step's id) and the field
(``RTW405.summary``, ``step.4.title``). A workplace's own rubric that rewrites a text, or adds a rule,
is simply shown in its own words: only the default rubric's exact English has a translation.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from .catalogues import CatalogueDomain, Entry, register
from .i18n import Domain
from .paths import default_rubric_path, rubrics_dir

HERE = Path(__file__).resolve().parent

AUDIT = register(CatalogueDomain(Domain("rtw-audit", HERE / "locale"), sources=(HERE,))).domain
_ = AUDIT.gettext
ngettext = AUDIT.ngettext
pgettext = AUDIT.pgettext

#: The fields of a rule and of a step that a reader sees, in the order a translator meets them.
RULE_FIELDS = ("name", "summary", "explanation", "next_step", "pending_step", "source")
STEP_FIELDS = ("title", "recommendation", "source")

_RULE_NOTES = {
    "name": "the rule's short name, shown after its code: keep it in kebab-case (words-joined-by-hyphens)",
    "summary": "what the rule checks, in one sentence; keep `backquoted` parameter names as they are "
               "(they are replaced by their values)",
    "explanation": "why the guides ask for it",
    "next_step": "advice to a coordinator when the rule is violated",
    "pending_step": "advice to a coordinator while the rule is pending",
    "source": "the guide passages the rule enforces: cite them as the French guide is cited "
              "(docs/translating.md, section titles)",
}
_STEP_NOTES = {
    "title": "the title of a step of the guide (or a group of rules)",
    "recommendation": "advice to an implementation committee when this step is weak",
    "source": "where the guides describe the step",
}


def _rubric_entries() -> Iterator[Entry]:
    """Every text of the default rubric a reader sees, keyed by its place (see the module's docstring)."""
    import yaml

    with open(default_rubric_path(), encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    yield "rubric.name", data["name"], "the default rubric's name, shown in every report"
    for step in data.get("steps", []):
        for name in STEP_FIELDS:
            if step.get(name):
                yield f"step.{step['id']}.{name}", step[name], _STEP_NOTES[name]
    for rule in data.get("rules", []):
        for name in RULE_FIELDS:
            if rule.get(name):
                yield f"{rule['code']}.{name}", rule[name], f"{rule['code']}: {_RULE_NOTES[name]}"


RULES = register(CatalogueDomain(Domain("audit-rules", rubrics_dir() / "locale"), extractor=_rubric_entries)).domain

__all__ = ["AUDIT", "RULES", "RULE_FIELDS", "STEP_FIELDS", "_", "ngettext", "pgettext"]

"""A rule's and a step's texts as the reader sees them: in the active language when the catalogue has
the exact English of the rubric, else as the rubric wrote them.

Why one module: the text report, the Markdown report, ``rules``, ``explain`` and the committee report
all show the same texts; asking the ``audit-rules`` catalogue in one place keeps the context keys
(``RTW405.summary``) written once. JSON keeps the rubric's English (stable for the tools that read it).
"""

from __future__ import annotations

from .i18n_domains import RULES

# Not spelled ``pgettext`` at the call sites: the extractor would take their computed contexts for
# messages (the rubric's texts are extracted from the YAML instead).
_in_context = RULES.pgettext


def rule_field(spec, name: str) -> str:
    """``spec``'s field ``name`` (summary, explanation, next_step, pending_step, source, name) as shown;
    "" for an optional field the rule does not have."""
    text = getattr(spec, name)
    if not text:
        return ""
    return _in_context(f"{spec.code}.{name}", text)


def rule_name(spec) -> str:
    return _in_context(f"{spec.code}.name", spec.name)


def step_field(step, name: str) -> str:
    """A step's title, recommendation or source as shown."""
    return _in_context(f"step.{step.id}.{name}", getattr(step, name))


def rubric_name(rubric) -> str:
    """The rubric's name as shown: the default rubric's is translated, a workplace's stays its own."""
    return _in_context("rubric.name", rubric.name)

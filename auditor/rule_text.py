"""A rule's and a step's texts as the reader sees them: in the active language when the catalogue has
the exact English of the rubric, else as the rubric wrote them.

Why one module: the text report, the Markdown report, ``rules``, ``explain`` and the committee report
all show the same texts; asking the ``audit-rules`` catalogue in one place keeps the context keys
(``RTW405.summary``) written once. JSON keeps the rubric's English (stable for the tools that read it).
"""

from __future__ import annotations

from .i18n_domains import RULES


def rule_field(spec, name: str) -> str | None:
    """``spec``'s field ``name`` (summary, explanation, next_step, pending_step, source, name) as shown."""
    text = getattr(spec, name)
    if not text:
        return text
    return RULES.pgettext(f"{spec.code}.{name}", text)


def rule_name(spec) -> str:
    return RULES.pgettext(f"{spec.code}.name", spec.name)


def step_field(step, name: str) -> str:
    """A step's title, recommendation or source as shown."""
    return RULES.pgettext(f"step.{step.id}.{name}", getattr(step, name))


def rubric_name(rubric) -> str:
    """The rubric's name as shown: the default rubric's is translated, a workplace's stays its own."""
    return RULES.pgettext("rubric.name", rubric.name)

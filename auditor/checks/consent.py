"""``consent``: each selected act is covered by the right party's consent of the right scope.

Coverage follows the spec's "Consent" section: right scope, right party, recorded before the act
(file order breaks a tie), not cancelled in between by an overlapping withdrawal, and, where the
consent lists ``to`` / ``about``, the act's recipients / topics all among them.
"""

from __future__ import annotations

from ..conditions import RubricError, compile_condition, compile_selector
from ..i18n import N_
from ..i18n_domains import _
from ..index import CaseIndex
from ..outcomes import NA, OK, VIOLATED, Verdict
from . import require, template


def _overlap(a, b) -> bool:
    """Absent lists mean "everything", so they overlap anything."""
    if a is None or b is None:
        return True
    return not set(a).isdisjoint(b)


def covered(ix: CaseIndex, act: int, scope: str, party: str, recipients, topics) -> bool:
    """Whether ``party`` gave a consent of ``scope`` covering event ``act``, still in force at it."""
    events = ix.events
    for c in ix.by_type.get("consent", ()):
        if c >= act:
            break
        consent = events[c]
        f = consent.fields
        if consent.by != party or f.get("scope") != scope:
            continue
        to, about = f.get("to"), f.get("about")
        if recipients is not None and to is not None and not set(recipients) <= set(to):
            continue
        if topics is not None and about is not None and not set(topics) <= set(about):
            continue
        cancelled = False
        for w in ix.by_type.get("consent_withdrawn", ()):
            if w <= c:
                continue
            if w >= act:
                break
            wf = events[w].fields
            if events[w].by == party and wf.get("scope") == scope and _overlap(wf.get("to"), to) and _overlap(wf.get("about"), about):
                cancelled = True
                break
        if not cancelled:
            return True
    return False


def _field_values(ix: CaseIndex, i: int, name: str | None):
    if name is None:
        return None
    if name == "by":
        by = ix.events[i].by
        return [] if by is None else [by]
    value = ix.events[i].fields.get(name)
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _compile_requirement(spec, params, path):
    if not isinstance(spec, dict):
        raise RubricError(_("each requirement is a mapping with `scope` and `from`"), path)
    unknown = set(spec) - {"scope", "from", "recipients", "topics", "unless"}
    if unknown:
        raise RubricError(_("unknown key(s) {keys}").format(keys=", ".join(sorted(unknown))), path)
    scope = require(spec, "scope", path)
    who = spec.get("from", "worker")
    recipients_field = spec.get("recipients")
    topics_field = spec.get("topics")
    unless = compile_condition(spec["unless"], params, f"{path}.unless") if "unless" in spec else None

    if isinstance(who, dict):
        if set(who) - {"field", "default"} or "field" not in who:
            raise RubricError(_("`from` is a role, or `{field: NAME, default: ROLE}`"), f"{path}.from")

    def parties(ix: CaseIndex, i: int) -> list[str]:
        if isinstance(who, dict):
            listed = _field_values(ix, i, who["field"])
            if listed:
                return listed
            role = who.get("default", "worker")
        else:
            role = who
        if role == "worker":
            return [ix.worker] if ix.worker else []
        return [p for p, r in ix.roles.items() if r == role]

    any_of_role = not isinstance(who, dict) and who != "worker"

    def ok(ix: CaseIndex, i: int) -> bool:
        if unless is not None and unless(ix, i):
            return True
        recipients = _field_values(ix, i, recipients_field)
        topics = _field_values(ix, i, topics_field)
        who_must = parties(ix, i)
        if not who_must:
            return False
        results = (covered(ix, i, scope, p, recipients, topics) for p in who_must)
        # "the physician's consent": any party with that role will do; listed subjects must each consent.
        return any(results) if any_of_role else all(results)

    return ok


@template(
    "consent",
    {"subject", "unless", "requires"},
    N_("each act the `subject` selects is covered by every consent in `requires` (scope, from, recipients, topics)"),
)
def compile_consent(config, params, path):
    select = compile_selector(require(config, "subject", path), params, f"{path}.subject")
    reqs = require(config, "requires", path)
    if not isinstance(reqs, list) or not reqs:
        raise RubricError(_("`requires` is a non-empty list of consent requirements"), f"{path}.requires")
    checks = [_compile_requirement(r, params, f"{path}.requires[{n}]") for n, r in enumerate(reqs)]
    unless = compile_condition(config["unless"], params, f"{path}.unless") if "unless" in config else None

    def check(ix: CaseIndex) -> Verdict:
        acts = select(ix)
        if not acts:
            return NA
        failing = [i for i in acts if not ((unless is not None and unless(ix, i)) or all(c(ix, i) for c in checks))]
        return Verdict(VIOLATED, failing) if failing else OK

    check.requirements = checks  # type: ignore[attr-defined]  # read by the flat function (``checks.flat``)
    return check

"""Check templates: the reusable shapes a rubric rule is built from.

In the spirit of DECLARE, a handful of templates — ``every`` (each selected event satisfies a
condition), ``precedence`` (something must come before), ``response`` (something must follow,
within a window), ``consent`` (an act is covered by the right consent) — express most rules of the
guides as data. A rule no template fits names a ``dedicated`` check; its metadata and parameters
still live in the rubric.

Each template compiles a rule's ``check:`` mapping once into a function ``CaseIndex -> Verdict``:
its closure compiler (the reference) and, for every template but ``dedicated``, the same check
generated as one flat function (``flat.py``), which is what runs; ``plan.py`` then writes a whole
rubric's rules into one function per case.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..conditions import RubricError
from ..i18n_domains import _
from ..index import CaseIndex
from ..outcomes import Verdict

Check = Callable[[CaseIndex], Verdict]
Compiler = Callable[[dict[str, Any], dict[str, Any], str], Check]

TEMPLATES: dict[str, tuple[Compiler, frozenset[str], str]] = {}


def template(name: str, keys: set[str], doc: str):
    """Register a template: its compiler, the config keys it accepts, and a one-line description."""

    def register(fn: Compiler) -> Compiler:
        TEMPLATES[name] = (fn, frozenset(keys) | {"template"}, doc)
        return fn

    return register


def compile_check(config: dict[str, Any], params: dict[str, Any], path: str = "check", *, flat: bool = True) -> Check:
    """A rule's check, ready to run on a ``CaseIndex``.

    The closure compiler of the template runs first: it validates the configuration (its
    ``RubricError`` says where a rubric is wrong) and is the reference implementation. Unless
    ``flat`` is false, the same configuration is then generated as one flat function
    (``checks.flat``), which keeps the reference as its ``reference`` attribute; a configuration
    the generator does not cover runs as the reference closure itself.
    """
    if not isinstance(config, dict):
        raise RubricError(_("`check` must be a mapping with a `template`"), path)
    name = config.get("template")
    if name not in TEMPLATES:
        import difflib

        guess = difflib.get_close_matches(str(name), list(TEMPLATES), n=1)
        hint = _(" Did you mean `{name}`?").format(name=guess[0]) if guess else ""
        raise RubricError(_("unknown template `{name}` (known: {known}).").format(name=name, known=", ".join(sorted(TEMPLATES)))
                          + hint, f"{path}.template")
    compiler, keys, _doc = TEMPLATES[name]
    unknown = set(config) - keys
    if unknown:
        raise RubricError(
            _("template `{name}` does not take {keys} (it takes: {known})").format(
                name=name, keys=", ".join(f"`{k}`" for k in sorted(unknown)), known=", ".join(sorted(keys - {"template"}))),
            path,
        )
    reference = compiler(config, params, path)
    if not flat:
        return reference
    from .flat import generate

    try:
        fast = generate(config, params, path, reference)
    except Exception:  # noqa: BLE001
        # Not covered (``Unsupported``), beyond what Python compiles (a condition nested hundreds
        # deep), or a shape the generator never met: the reference judges the same, only slower.
        return reference
    fast.reference = reference
    return fast


def require(config: dict[str, Any], key: str, path: str) -> Any:
    if key not in config:
        raise RubricError(_("`{field}` is required").format(field=key), path)
    return config[key]


# Importing the modules registers their templates.
from . import consent, dedicated, every, precedence, response  # noqa: E402,F401

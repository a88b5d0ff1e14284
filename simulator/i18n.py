"""The simulator's message catalogues: ``rtw-train`` (its interface) and ``listening`` (the rubric's texts).

Why a domain of its own: the trainee's app and the auditor's report are translated and reviewed by
different people; each tool's catalogue can change without the other's. The active language and the
locale formats are shared (``auditor.i18n``).

Why the rubric has a domain apart (``rubrics/locale/listening.*``): its labels, descriptions and
definitions are data, written in ``rubrics/listening.yaml`` and reviewed against the guides by other
people than the interface. Each text is extracted with its key path as context
(``dimensions.let_worker_lead.label``) and shown with ``pgettext``: the same English words may need
different French in two places, and a rubric passed with ``--rubric`` whose English differs simply stays
in English.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from auditor.catalogues import CatalogueDomain, register
from auditor.i18n import N_, Domain
from auditor.paths import rubrics_dir

HERE = Path(__file__).resolve().parent

TRAIN = register(CatalogueDomain(Domain("rtw-train", HERE / "locale"), sources=(HERE,))).domain
_ = TRAIN.gettext
ngettext = TRAIN.ngettext

# (section, fields shown to a trainee or a trainer) of rubrics/listening.yaml, in the file's order.
RUBRIC_TEXTS = (
    ("dimensions", ("label", "description")),
    ("codes", ("label", "definition")),
    ("indicators", ("label", "description")),
)


def _rubric_entries() -> Iterator[tuple[str, str, str]]:
    """Every shown text of the packaged listening rubric as ``(key path, English, note)``."""
    import yaml

    data = yaml.safe_load((rubrics_dir() / "listening.yaml").read_text(encoding="utf-8"))
    yield "title", data["title"], "The listening rubric's title."
    for section, fields in RUBRIC_TEXTS:
        for item in data.get(section) or []:
            for name in fields:
                if item.get(name):
                    yield f"{section}.{item['id']}.{name}", item[name], ""
    ratings = data.get("global_ratings") or {}
    if ratings.get("note"):
        yield "global_ratings.note", ratings["note"], "Shown under the estimated MITI global ratings."
    for item in ratings.get("ratings") or []:
        for name in ("label", "description"):
            if item.get(name):
                yield f"global_ratings.{item['id']}.{name}", item[name], "A MITI 4.2.1 global rating."


LISTENING = register(CatalogueDomain(
    Domain("listening", rubrics_dir() / "locale"), extractor=_rubric_entries)).domain


def rubric_text(key: str, english: str) -> str:
    """The text of the listening rubric at ``key`` (``dimensions.<id>.label``…) in the active language;
    ``english`` itself when the catalogue has no translation of exactly these words."""
    if not english:
        return english
    return LISTENING.pgettext(key, english)


__all__ = ["LISTENING", "TRAIN", "N_", "_", "ngettext", "rubric_text"]

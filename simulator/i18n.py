"""The simulator's message catalogue (``rtw-train``): ``_``, ``ngettext`` and ``N_`` for its interface.

Why a domain of its own: the trainee's app and the auditor's report are translated and reviewed by
different people; each tool's catalogue can change without the other's. The active language and the
locale formats are shared (``auditor.i18n``).
"""

from __future__ import annotations

from pathlib import Path

from auditor.catalogues import CatalogueDomain, register
from auditor.i18n import N_, Domain

HERE = Path(__file__).resolve().parent

TRAIN = register(CatalogueDomain(Domain("rtw-train", HERE / "locale"), sources=(HERE,))).domain
_ = TRAIN.gettext
ngettext = TRAIN.ngettext

__all__ = ["TRAIN", "N_", "_", "ngettext"]

"""The auditor's message catalogues: its own interface (``rtw-audit``) and the audit rules' texts.

Why here: ``auditor.i18n`` is shared with the simulator and knows no domain; each package declares the
domains its strings belong to, and ``auditor.catalogues`` gathers them to extract and check.
"""

from __future__ import annotations

from pathlib import Path

from .catalogues import CatalogueDomain, register
from .i18n import Domain

HERE = Path(__file__).resolve().parent

AUDIT = register(CatalogueDomain(Domain("rtw-audit", HERE / "locale"), sources=(HERE,))).domain
_ = AUDIT.gettext
ngettext = AUDIT.ngettext

__all__ = ["AUDIT", "_", "ngettext"]

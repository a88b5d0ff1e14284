"""One reported problem in a file, shared by the loader and lint.

Why a tiny module of its own: the loader produces schema problems and lint adds graph/pedagogy problems;
both are printed the same ruff-like way (``file:line:col: CODE message``) and sorted together.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from .i18n import _

__all__ = ["Diagnostic"]


@dataclass(frozen=True, order=True)
class Diagnostic:
    file: str
    line: int
    column: int
    code: str
    message: str
    # "error" (the file must be fixed; lint exits 1) or "warning" (worth a look; fails only with --strict).
    severity: str = "error"

    @property
    def is_warning(self) -> bool:
        return self.severity == "warning"

    def render(self) -> str:
        tag = _("[warning] ") if self.is_warning else ""
        return f"{self.file}:{self.line}:{self.column}: {self.code} {tag}{self.message}"

    def to_dict(self) -> dict:
        return asdict(self)

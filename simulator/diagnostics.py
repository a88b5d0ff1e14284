"""One reported problem in a file, shared by the loader and lint.

Why a tiny module of its own: the loader produces schema problems and lint adds graph/pedagogy problems;
both are printed the same ruff-like way (``file:line:col: CODE message``) and sorted together.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

__all__ = ["Diagnostic"]


@dataclass(frozen=True, order=True)
class Diagnostic:
    file: str
    line: int
    column: int
    code: str
    message: str

    def render(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.code} {self.message}"

    def to_dict(self) -> dict:
        return asdict(self)

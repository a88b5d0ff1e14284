"""A fixed-size set of case ids that may answer "maybe" but never forgets: a Bloom filter.

Reading an event table grouped by case, a case is complete when the next case starts, unless the
same case comes back later in the file. Knowing that exactly would mean remembering every case id,
memory that grows with the number of cases. The first pass instead remembers the ids it has seen
in a Bloom filter of fixed size: a case that comes back is always flagged (no false negatives), and
a new case is wrongly flagged rarely (about once in ten million at 100,000 cases, a few hundred in
a million at a million cases). A flagged case is merely held until its last row, which is always
correct; so the filter costs 8 MiB whatever the size of the table.
"""

from __future__ import annotations

BITS = 1 << 26  # 8 MiB
_MASK = BITS - 1


class SeenFilter:
    __slots__ = ("bits",)

    def __init__(self, data: bytes | None = None) -> None:
        self.bits = bytearray(BITS // 8) if data is None else bytearray(data)

    @staticmethod
    def _spots(key: str) -> tuple[int, int, int]:
        # Python's string hash is per process (PYTHONHASHSEED); a filter is only ever used in the
        # process that built it, or in processes forked from the same parent.
        h = hash(key) & 0xFFFFFFFFFFFFFFFF
        g = hash((key, 0x9E3779B9)) & 0xFFFFFFFFFFFFFFFF
        return h & _MASK, (h >> 26) & _MASK, g & _MASK

    def add(self, key: str) -> None:
        bits = self.bits
        for i in self._spots(key):
            bits[i >> 3] |= 1 << (i & 7)

    def __contains__(self, key: str) -> bool:
        bits = self.bits
        for i in self._spots(key):
            if not bits[i >> 3] & (1 << (i & 7)):
                return False
        return True

    def update(self, other: SeenFilter) -> None:
        """Union in place (the cases seen by another part of the same table)."""
        merged = int.from_bytes(self.bits, "little") | int.from_bytes(other.bits, "little")
        self.bits = bytearray(merged.to_bytes(len(self.bits), "little"))

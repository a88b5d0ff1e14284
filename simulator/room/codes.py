"""Room and trainer codes: short enough to read aloud, hard enough to guess in a few tries.

Why this alphabet: no 0/O, 1/I/L, 5/S or 2/Z to confuse when a trainer reads the code to a room. A trainee's
code has 6 characters (about 3.9e8 combinations; the app closes a session after a few wrong tries); the
trainer's has 10, since it opens the group's view. The codes live in the trainer's private database file,
next to the records they protect, so a restarted room can print them again.
"""

from __future__ import annotations

import hmac
import secrets

ALPHABET = "ABCDEFGHJKMNPQRTUVWXY346789"
ROOM_CODE_LENGTH = 6
TRAINER_CODE_LENGTH = 10


def new_code(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def normalise(code: str) -> str:
    """What people type: lower case, spaces or dashes between groups are all accepted."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def matches(typed: str, code: str) -> bool:
    """Constant-time comparison, so response times say nothing about how much of a guess was right."""
    return hmac.compare_digest(normalise(typed).encode(), normalise(code).encode())


def spaced(code: str) -> str:
    """``ABC DEF`` for reading aloud and printing."""
    return " ".join(code[i : i + 3] for i in range(0, len(code), 3))

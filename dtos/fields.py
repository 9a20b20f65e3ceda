"""Field rules shared by the input DTOs of reads (``dtos.reads``) and writes (``dtos.writes``).

Each rule keeps a value the database would reject with an error (a 500) out of every query:
an id beyond a 64-bit integer (SQLite raises ``OverflowError``, PostgreSQL "out of range"),
text with a NUL character (PostgreSQL refuses it in text) or a lone surrogate (UTF-8 cannot
encode it).
"""

__all__ = ["MAX_ID", "TEXT_HAS_NUL", "TEXT_NOT_UTF8", "check_text"]

MAX_ID = 2**63 - 1  # PostgreSQL bigint, SQLite INTEGER
TEXT_HAS_NUL = "Text must not contain NUL characters."
TEXT_NOT_UTF8 = "Text must be valid Unicode (no lone surrogates)."


def check_text(value: str) -> str:
    """Return ``value``; raise ValueError if it holds a NUL or a lone surrogate."""
    if "\x00" in value:
        raise ValueError(TEXT_HAS_NUL)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(TEXT_NOT_UTF8) from None
    return value

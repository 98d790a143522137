"""A file name a client sent, made safe to show and to keep.

Neutralised: any directory part (``/``, ``\\``: path traversal), control characters, bidi
overrides and isolates (a name can be made to read ``exe.pdf`` backwards), other invisible
format characters, leading dots and spaces; the result is NFC and at most ``MAX_NAME``
characters, the extension kept. The name as sent is kept too, with everything that is not a
printable character escaped, for the record.
"""

from __future__ import annotations

import unicodedata

MAX_NAME = 200
FALLBACK = "unnamed"


def _visible(char: str) -> bool:
    category = unicodedata.category(char)
    # Cc: controls; Cf: format (bidi embeddings, overrides, isolates, marks, zero-width);
    # Cs, Co, Cn: surrogates, private use, unassigned; Zl, Zp: line and paragraph separators
    return category not in {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def neutralise(name: str) -> str:
    """The safe display name for ``name`` (never empty)."""
    text = unicodedata.normalize("NFC", name or "")
    text = text.replace("\\", "/").rsplit("/", 1)[-1]
    text = "".join(c if _visible(c) else "" for c in text)
    text = " ".join(text.split())  # any run of white space (tabs, odd spaces) is one space
    text = text.lstrip(". ").rstrip(" .") if text not in {".", ".."} else ""
    if not text:
        return FALLBACK
    if len(text) > MAX_NAME:
        stem, dot, extension = text.rpartition(".")
        if dot and 0 < len(extension) <= 16 and stem:
            text = f"{stem[: MAX_NAME - len(extension) - 2]}….{extension}"
        else:
            text = text[: MAX_NAME - 1] + "…"
    return text


def escaped(name: str, limit: int = 1000) -> str:
    """``name`` as sent, every character that is not printable written ``\\uXXXX``."""
    out = "".join(c if c.isprintable() and _visible(c) else f"\\u{ord(c):04x}" for c in name)
    return out[:limit]


def extension(name: str) -> str:
    """The lower-case extension of a (neutralised) name, without the dot; "" when none."""
    stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot and stem and ext and len(ext) <= 16 else ""

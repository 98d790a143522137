"""Deterministic transliteration of Cyrillic and Arabic names to Latin, and a name *key* that
lets the same name written in different scripts or spellings meet in one blind index.

The key is deliberately coarse (a consonant skeleton): it finds candidates for a human to
review ("possible duplicate"), never decides that two persons are the same.

    >>> name_key("Олександр Петренко") == name_key("Oleksandr Petrenko")
    True
    >>> name_key("محمد") == name_key("Mohammed")
    True
"""

from __future__ import annotations

import re

from justicework.encryption.fields import normalise

# Russian, Ukrainian and Belarusian letters (a simple, BGN/PCGN-like table).
CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "ё": "yo", "є": "ye",  # noqa: RUF001
    "ж": "zh", "з": "z", "и": "i", "і": "i", "ї": "yi", "й": "y", "к": "k", "л": "l", "м": "m",  # noqa: RUF001
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ў": "w", "ф": "f",  # noqa: RUF001
    "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e",  # noqa: RUF001
    "ю": "yu", "я": "ya",
}  # fmt: skip

# Arabic letters (short vowels are not written, so the key ignores vowels altogether).
ARABIC = {
    "ء": "", "آ": "a", "أ": "a", "ؤ": "", "إ": "i", "ئ": "", "ا": "a", "ب": "b", "ة": "a",  # noqa: RUF001
    "ت": "t", "ث": "th", "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "dh", "ر": "r", "ز": "z",
    "س": "s", "ش": "sh", "ص": "s", "ض": "d", "ط": "t", "ظ": "z", "ع": "", "غ": "gh", "ف": "f",
    "ق": "q", "ك": "k", "ل": "l", "م": "m", "ن": "n", "ه": "h", "و": "w", "ى": "a", "ي": "y",  # noqa: RUF001
    "پ": "p", "چ": "ch", "ژ": "zh", "گ": "g", "ک": "k", "ی": "y",
}  # fmt: skip

TABLE = str.maketrans({**CYRILLIC, **ARABIC})

# Spellings that differ across transliteration conventions, folded to one form for the key.
_FOLDS = [
    (re.compile(r"ph"), "f"),
    (re.compile(r"ck|q|c(?=[aou])|c\b"), "k"),
    (re.compile(r"dj|dzh|zh|j"), "j"),
    (re.compile(r"kh|x"), "h"),
    (re.compile(r"th|dh"), "t"),
    (re.compile(r"sch|shch|sh|ch"), "s"),
    (re.compile(r"ts|tz|z"), "s"),
    (re.compile(r"gh"), "g"),
    # Vowels, and the letters that stand for a vowel or a consonant depending on the convention:
    # ``w`` (Arabic ``و`` as u/o/w) and ``v`` (``в`` written ``v`` or, in German, ``w``).
    (re.compile(r"[aeiouywv]"), ""),
    (re.compile(r"h(?=\b)"), ""),
]
_REPEAT = re.compile(r"(.)\1+")
_NOT_LATIN = re.compile(r"[^a-z ]")


def transliterate(value: str) -> str:
    """Latin form of ``value`` (lower case, accents and Arabic diacritics removed)."""
    return normalise(value).translate(TABLE)


def name_key(value: str) -> str:
    """A script- and spelling-insensitive key: transliterate, fold similar spellings, drop
    vowels, collapse doubled letters, sort the words (name order varies)."""
    return name_key_of_normalised(normalise(value))


#: Folded form of each word seen (names repeat their words: ten patterns per word were most of
#: the key's cost). Bounded: cleared when it grows past ``_FOLDED_MAX`` words.
_FOLDED: dict[str, str] = {}
_FOLDED_MAX = 200_000


def _fold(word: str) -> str:
    for pattern, replacement in _FOLDS:
        word = pattern.sub(replacement, word)
    return _REPEAT.sub(r"\1", word)


def name_key_of_normalised(normalised: str) -> str:
    """:func:`name_key` of a value already passed through ``normalise``."""
    return " ".join(sorted(name_words_of_normalised(normalised)))


def name_words_of_normalised(normalised: str) -> list[str]:
    """The folded words (consonant skeletons) of a normalised name, in their order."""
    words = []
    folded = _FOLDED
    for word in _NOT_LATIN.sub(" ", normalised.translate(TABLE)).split():
        key = folded.get(word)
        if key is None:
            if len(folded) >= _FOLDED_MAX:
                folded.clear()
            key = folded[word] = _fold(word)
        if key:
            words.append(key)
    return words


#: Names longer than this many distinct words give half-keys for their first words only.
MAX_HALF_WORDS = 5


def name_halves(words: list[str]) -> set[str]:
    """Typo- and order-tolerant *half keys* of a name's folded words: each word followed by the
    initial of each other word ("smt j" for "John Smith"). An added middle name, suffix or
    patronymic, or a swapped order, keeps the halves of the words both spellings share; a typo
    in one word (past its first letter) keeps the half that spells that word out by its initial.
    A one-word name has none (a single word says too little)."""
    distinct = sorted(set(words))[:MAX_HALF_WORDS]
    return {f"{a} {b[0]}" for a in distinct for b in distinct if a != b}


def name_prefixes(words: list[str]) -> set[str]:
    """*Prefix keys* of a name's folded words: each word followed by the first two letters of
    each other word of at least two letters ("smt jn" for "John Smith"). With the half key of
    the same pair, it says that one word is spelt the same and the other starts the same: a typo
    later in that other word ("Smith Jhon" has ``smt j`` but not ``smt jn``; "Smith Jonh" has
    both). A word of one letter gives none (its prefix would be its initial: a half key)."""
    distinct = sorted(set(words))[:MAX_HALF_WORDS]
    return {f"{a} {b[:2]}" for a in distinct for b in distinct if a != b and len(b) > 1}

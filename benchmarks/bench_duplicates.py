"""Duplicate persons: recall and precision of blind-index matching on a synthetic list.

A stored list of persons (Faker: English, French, Spanish, Ukrainian, Russian and Arabic names)
and an imported list holding (a) known duplicates of stored persons, each varied by one or two of:
an added suffix, an added middle name or patronymic, swapped word order, another transliteration
(Cyrillic and Arabic names written in Latin letters by another convention), a typo; and
(b) distinct persons who share a stored person's name (another birth date) or birth date
(another name), twins (same surname and birth date, another first name), and new persons.
Some persons have an age instead of a date of birth (reported one year apart on some rows).

Every imported row is matched against the stored list through the same blind indexes and rule
as the importer (``identity_index_values`` + ``duplicates.match_in``). Recall: found known pairs
/ known pairs; precision: found known pairs / all pairs flagged. Baseline, same run: today's
matching before this change (exact name or name key, date of birth, two fields).
"""

from __future__ import annotations

import datetime as dt
import random
import re
from typing import Any

from faker import Faker

from benchmarks import figure, size
from justicework.encryption.keyring import blind_index_key
from justicework.violations import duplicates
from justicework.violations.identity import identity_index_values
from justicework.violations.models import PersonIndex

LOCALES = ["en_GB", "fr_FR", "es_ES", "uk_UA", "ru_RU", "ar_AA"]
TODAY = dt.date(2025, 6, 1)
SUFFIXES = ["Jr.", "Sr.", "II", "III", "IV"]
#: Another convention's spellings of Latin transliterations (French, German, scholarly).
CONVENTIONS = [
    [("sh", "ch"), ("u", "ou"), ("j", "dj"), ("kh", "kh")],
    [("sh", "sch"), ("ch", "tsch"), ("zh", "sh"), ("v", "w"), ("ts", "z")],
    [("kh", "h"), ("y", "i"), ("ya", "ia"), ("yu", "iu"), ("iy", "ii")],
    [("a", "aa"), ("k", "q"), ("th", "t")],
]
_OLD_KINDS = {
    PersonIndex.Kind.NAME,
    PersonIndex.Kind.NAME_KEY,
    PersonIndex.Kind.DATE_OF_BIRTH,
    PersonIndex.Kind.DOCUMENT,
}


def _person(fakes: dict[str, Faker], locale: str, rng: random.Random) -> dict[str, Any]:
    fake = fakes[locale]
    dob = TODAY - dt.timedelta(days=rng.randint(16 * 365, 80 * 365))
    return {"words": [fake.first_name(), fake.last_name()], "dob": dob, "locale": locale}


def _latin(word: str, rng: random.Random) -> str:
    from justicework.violations.translit import transliterate

    spellings = dict(rng.choice(CONVENTIONS))  # applied at once, longest first
    pattern = "|".join(sorted(map(re.escape, spellings), key=len, reverse=True))
    return re.sub(pattern, lambda m: spellings[m.group(0)], transliterate(word)).capitalize()


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 3:
        return word + word[-1]
    at = rng.randrange(1, len(word))
    letter = rng.choice("abcdefghijklmnopqrstuvwxyz" if word.isascii() else word)
    edits = [
        word[:at] + letter + word[at + 1 :],
        word[:at] + word[at + 1 :],
        word[:at] + letter + word[at:],
        word[: at - 1] + word[at] + word[at - 1] + word[at + 1 :],
    ]
    return rng.choice(edits)


def _vary(person: dict[str, Any], kind: str, fakes: dict[str, Faker], rng: random.Random) -> None:
    words = person["words"]
    fake = fakes[person["locale"]]
    if kind == "suffix":
        words.append(rng.choice(SUFFIXES))
    elif kind == "middle":
        middle = getattr(fake, "middle_name", fake.first_name)()
        words.insert(1, middle)
    elif kind == "order":
        words.reverse()
    elif kind == "translit":
        person["words"] = [_latin(w, rng) for w in words]
    else:  # typo, in one word
        at = rng.randrange(len(words))
        words[at] = _typo(words[at], rng)


def _identity(person: dict[str, Any]) -> dict[str, Any]:
    identity: dict[str, Any] = {"full_name": " ".join(person["words"])}
    if person.get("age") is not None:
        identity["age_range"] = {"min": person["age"], "max": person["age"]}
    else:
        identity["date_of_birth"] = person["dob"]
    return identity


def _age(dob: dt.date) -> int:
    return (TODAY - dob).days // 365


def _variations(person: dict[str, Any], rng: random.Random) -> list[str]:
    kinds = ["suffix", "middle", "order", "typo"]
    if person["locale"] in {"uk_UA", "ru_RU", "ar_AA"}:
        kinds.append("translit")
    chosen = rng.sample(kinds, 2 if rng.random() < 0.25 else 1)
    return sorted(chosen, key=lambda k: k != "translit")  # transliterate before other changes


def _duplicate(
    stored: dict[str, Any], fakes: dict[str, Faker], rng: random.Random
) -> dict[str, Any]:
    copy = {**stored, "words": list(stored["words"])}
    for kind in _variations(stored, rng):
        _vary(copy, kind, fakes, rng)
    if stored.get("age") is not None and rng.random() < 0.3:
        copy["age"] = stored["age"] + rng.choice((-1, 1))
    return copy


def _distinct(
    stored: dict[str, Any], fakes: dict[str, Faker], rng: random.Random
) -> dict[str, Any]:
    """Another person sharing the stored person's name, birth date, or surname and birth date."""
    other = _person(fakes, stored["locale"], rng)
    roll = rng.random()
    if roll < 0.4:  # same name, born at least two years apart
        shift = dt.timedelta(days=rng.choice((-1, 1)) * rng.randint(2 * 365, 20 * 365))
        other = {**other, "words": list(stored["words"]), "dob": stored["dob"] + shift}
    elif roll < 0.8:  # same birth date, another name
        other["dob"] = stored["dob"]
    elif roll < 0.9:  # a twin: same surname and birth date, another first name
        other = {**other, "words": [other["words"][0], stored["words"][1]], "dob": stored["dob"]}
    if stored.get("age") is not None:
        other["age"] = _age(other["dob"])
    return other


def synthetic(count: int, seed: int = 11) -> tuple[list[Any], list[Any], set[tuple[int, int]]]:
    """(stored, imported, known duplicate pairs (imported row, stored row))."""
    rng = random.Random(seed)
    Faker.seed(seed)
    fakes = {locale: Faker(locale) for locale in LOCALES}
    stored = []
    for number in range(count):
        person = _person(fakes, LOCALES[number % len(LOCALES)], rng)
        if rng.random() < 0.3:
            person["age"] = _age(person["dob"])
        stored.append(person)
    imported: list[dict[str, Any]] = []
    known: set[tuple[int, int]] = set()
    for number, person in enumerate(stored):
        if number % 5 < 2:
            known.add((len(imported), number))
            imported.append(_duplicate(person, fakes, rng))
        elif number % 5 == 2:
            imported.append(_distinct(person, fakes, rng))
        elif number % 5 == 3:
            imported.append(_person(fakes, person["locale"], rng))
    return stored, imported, known


def _scores(
    stored: list[set[tuple[str, str]]],
    lookups: list[set[tuple[str, str]]],
    known: set[tuple[int, int]],
    rule: Any,
) -> tuple[float, float]:
    index = duplicates.value_index(stored)
    flagged = {(row, hit) for row, lookup in enumerate(lookups) for hit in rule(index, lookup)}
    found = len(flagged & known)
    return found / len(known), (found / len(flagged) if flagged else 1.0)


def _old_rule(index: dict[tuple[str, str], list[int]], lookup: set[tuple[str, str]]) -> set[int]:
    fields: dict[int, set[str]] = {}
    for pair in lookup:
        if pair[0] in _OLD_KINDS:
            for number in index.get(pair, ()):
                fields.setdefault(number, set()).add(duplicates.FIELD_OF_KIND[pair[0]])
    return {number for number, found in fields.items() if len(found) >= duplicates.MIN_FIELDS}


def run() -> list[dict[str, Any]]:
    count = size(3000, 600)
    stored, imported, known = synthetic(count)
    key = blind_index_key()
    stored_values = [identity_index_values(_identity(p), key) for p in stored]
    lookups = [identity_index_values(_identity(p), key, age_tolerance=1) for p in imported]
    recall, precision = _scores(stored_values, lookups, known, duplicates.match_in)
    old_recall, old_precision = _scores(stored_values, lookups, known, _old_rule)
    extra = {"stored": len(stored), "imported": len(imported), "known_pairs": len(known)}
    baseline = "exact name or name key + date of birth (before issue 11)"
    return [
        figure("duplicate_recall", 100 * recall, "%", baseline, 100 * old_recall, **extra),
        figure("duplicate_precision", 100 * precision, "%", baseline, 100 * old_precision, **extra),
    ]

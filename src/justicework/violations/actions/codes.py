"""Pseudonymous codes of persons and victim groups (``P-7K3Q9``): drawn at random, never
derived from an identity, checked free in the organisation before use.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from justicework.violations.models import (
    Person,
    VictimGroup,
)

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud, written by hand
CODE_LENGTH = 5
PERSON_CODE_PREFIX = "P-"


def free_code(model: type[Person] | type[VictimGroup], organisation_id: int, prefix: str) -> str:
    return free_codes(model, organisation_id, prefix, 1)[0]


def draw_codes(prefix: str, count: int, taken: set[str] | None = None) -> list[str]:
    """``count`` random pseudonyms like ``P-7K3Q9`` (never derived from an identity), distinct
    from each other and from ``taken`` (which is updated); not checked against the database
    (:func:`free_codes` does that). No database: the importer draws them in its preparing
    process."""
    taken = set() if taken is None else taken
    base, space = len(CODE_ALPHABET), len(CODE_ALPHABET) ** CODE_LENGTH
    codes: list[str] = []
    while len(codes) < count:  # one randbelow per code: uniform, as secrets.choice per letter
        number = secrets.randbelow(space)
        chars = []
        for _position in range(CODE_LENGTH):
            number, digit = divmod(number, base)
            chars.append(CODE_ALPHABET[digit])
        code = prefix + "".join(chars)
        if code not in taken:
            taken.add(code)
            codes.append(code)
    return codes


def free_codes(
    model: type[Person] | type[VictimGroup],
    organisation_id: int,
    prefix: str,
    count: int,
    drawn: Sequence[str] = (),
) -> list[str]:
    """``count`` new random codes unused in the organisation (one query per round). ``drawn``:
    codes drawn ahead (:func:`draw_codes`), used in their order where still free (a code
    drawn twice, or taken meanwhile, is replaced by a new one at its place)."""
    taken: set[str] = set()
    codes: list[str] = []
    for code in drawn[:count]:
        if code.startswith(prefix) and code not in taken:
            taken.add(code)
            codes.append(code)
        else:
            codes.append("")
    codes.extend("" for _ in range(count - len(codes)))
    missing = [i for i, code in enumerate(codes) if not code]
    for i, code in zip(missing, draw_codes(prefix, len(missing), taken), strict=True):
        codes[i] = code
    pending = list(range(count))
    while pending:
        clash = set(
            model.objects.filter(
                organisation_id=organisation_id, code__in=[codes[i] for i in pending]
            ).values_list("code", flat=True)
        )
        pending = [i for i in pending if codes[i] in clash]
        for i, code in zip(pending, draw_codes(prefix, len(pending), taken), strict=True):
            codes[i] = code
    return codes

"""Pseudonymous codes: random, readable aloud, unique in their organisation."""

from __future__ import annotations

import pytest

from justicework.violations import actions
from justicework.violations.actions.codes import free_code
from justicework.violations.models import Person, VictimGroup


def test_drawn_codes_use_the_unambiguous_alphabet_and_are_distinct():
    codes = actions.draw_codes("P-", 500)
    assert len(set(codes)) == 500
    for code in codes:
        assert code.startswith("P-") and len(code) == 2 + actions.CODE_LENGTH
        assert set(code[2:]) <= set(actions.CODE_ALPHABET)
    assert not set("01IO") & set(actions.CODE_ALPHABET)


def test_drawn_codes_avoid_the_taken_ones_and_remember_theirs():
    taken = set(actions.draw_codes("G-", 50))
    before = set(taken)
    codes = actions.draw_codes("G-", 50, taken)
    assert before.isdisjoint(codes)
    assert taken == before | set(codes)


@pytest.mark.django_db
def test_free_codes_keep_the_drawn_ones_in_order_and_replace_clashes(cast):
    used = actions.create_person(None, cast.acme).code
    drawn = actions.draw_codes("P-", 2, {used})
    codes = actions.free_codes(Person, cast.acme.pk, "P-", 4, [drawn[0], used, drawn[0], "X-1"])
    assert codes[0] == drawn[0]
    assert len(set(codes)) == 4 and used not in codes
    assert all(code.startswith("P-") for code in codes)


@pytest.mark.django_db
def test_a_code_used_in_another_organisation_is_free_here(cast):
    group = actions.create_victim_group(
        None, cast.beacon, description="Family", number_of_persons=4
    )
    codes = actions.free_codes(VictimGroup, cast.acme.pk, "G-", 1, [group.code])
    assert codes == [group.code]
    assert free_code(VictimGroup, cast.acme.pk, "G-").startswith("G-")

"""``core.uses`` in effect: the qualifier and kind kept by ``using``, gate answers forgotten
when a person's consent changes, tasks running under a use, and what ``use_of`` reports."""

from __future__ import annotations

import pytest

from justicework.core import uses

USE = "violations.records"


def test_a_kind_qualifies_a_named_qualifier_only():
    with uses.using(USE, qualifier="Clinic Nadiya", kind=" medical ") as in_use:
        assert (in_use.qualifier, in_use.kind) == ("Clinic Nadiya", "medical")
    with uses.using(USE, kind="medical") as in_use:
        assert (in_use.qualifier, in_use.kind) == ("", "")
    with uses.using(USE, qualifier="medical", kind="medical") as in_use:
        assert (in_use.qualifier, in_use.kind) == ("medical", "")


def test_a_long_qualifier_is_cut_to_200_characters():
    with uses.using(USE, qualifier="x" * 500, kind="k" * 300) as in_use:
        assert len(in_use.qualifier) == 200 and len(in_use.kind) == 200


def test_only_a_real_use_counts_as_declared():
    with uses.using(USE) as in_use:
        assert in_use.declared
    with uses.using(uses.NO_PERSON_DATA.name) as in_use:
        assert not in_use.declared


def test_the_unknown_use_is_named():
    with pytest.raises(uses.UnknownUse, match=r"No app declares the use 'no\.such'"):
        uses.get("no.such")


def test_forget_drops_a_persons_answers_and_record_answers_only():
    with uses.using(USE) as in_use:
        in_use.memory.update({(7, "a"): 1, (8, "a"): 2, ("item", 3): 3})
        uses.forget(7)
        assert in_use.memory == {(8, "a"): 2}
    with uses.cleared():
        uses.forget(7)  # nothing in effect: nothing to forget, no error


def test_a_task_runs_under_its_use_and_leaves_none_behind():
    seen = []

    @uses.runs_as(USE)
    def task(value: int) -> int:
        seen.append(uses.current().use.name)  # type: ignore[union-attr]
        return value * 2

    with uses.cleared():
        assert task(21) == 42
        assert uses.current() is None
    assert seen == [USE]
    assert uses.use_of(task) == USE
    assert task.__name__ == "task"


def test_runs_as_an_unknown_use_fails_when_decorating():
    with pytest.raises(uses.UnknownUse):
        uses.runs_as("no.such")(lambda: None)


def test_use_of_reports_only_uses_in_effect():
    def plain() -> None: ...

    marked = uses.declares(USE)(lambda: None)
    assert uses.use_of(plain) is None
    assert uses.use_of(marked) is None
    assert uses.use_of(uses.applied(marked, "dataio.export")) == USE
    assert uses.use_of(uses.applied(plain, "dataio.export")) == "dataio.export"


def test_a_registered_use_is_declared_at_once():
    extra = uses.Use("tests.extra-use", uses.Scope.SHARING, "Registered by a test.")
    uses.register(extra)
    try:
        assert uses.declared()["tests.extra-use"] == extra
        assert uses.get("tests.extra-use").scope == uses.Scope.SHARING
    finally:
        uses._EXTRA.pop(extra.name)
        uses._found = None

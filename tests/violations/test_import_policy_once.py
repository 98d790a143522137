"""An import run asks its permission once (issue 10, "One import loop"): the run's own question
("commit" on the run, or "create" before the CLI records it) is asked once, and no question is
decided twice in a run, however many chunks it has (``policy.decided_once``)."""

from __future__ import annotations

import collections
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from justicework.core import policy
from justicework.dataio import actions as dataio_actions
from justicework.dataio import engine, runs
from justicework.dataio.models import ImportRun, Mapping

from .test_import import MAPPING, csv_file, row

#: 30 rows, 10 incidents of 3 violations each; chunks of 4 rows split incidents across chunks.
ROWS = [row(n, case=f"C{n // 3}") for n in range(30)]


class Questions:
    """Counts ``policy.can`` calls and the rules' decisions (``policy.decide``) by question."""

    def __init__(self) -> None:
        self.asked: collections.Counter[tuple[str, str, Any]] = collections.Counter()
        self.decided: collections.Counter[tuple[str, str, Any]] = collections.Counter()

    @staticmethod
    def key(action: str, obj: Any) -> tuple[str, str, Any]:
        if isinstance(obj, type):
            return (action, obj.__name__, None)
        return (action, type(obj).__name__, obj.pk)

    def run_questions(self) -> int:
        return sum(n for (action, model, _pk), n in self.asked.items() if model == "ImportRun")


@pytest.fixture
def questions(monkeypatch: pytest.MonkeyPatch) -> Iterator[Questions]:
    counted = Questions()
    can, decide = policy.can, policy.decide

    def counting_can(user: Any, action: str, obj: Any) -> policy.Decision:
        counted.asked[counted.key(action, obj)] += 1
        return can(user, action, obj)

    def counting_decide(user: Any, action: str, obj: Any) -> policy.Decision:
        counted.decided[counted.key(action, obj)] += 1
        return decide(user, action, obj)

    monkeypatch.setattr(policy, "can", counting_can)
    monkeypatch.setattr(policy, "decide", counting_decide)
    yield counted


def _uploaded_run(cast: Any, tmp_path: Any, mode: str) -> ImportRun:
    mapping = dataio_actions.save_mapping(
        cast.documenter, cast.acme, kind="violations", name="Survey", file_format="csv",
        spec=MAPPING,
    )  # fmt: skip
    return dataio_actions.start_run(
        cast.documenter, cast.acme, kind="violations", file_format="csv", filename="v.csv",
        chunks=[csv_file(tmp_path, ROWS).read_bytes()], mapping=mapping, mode=mode,
    )  # fmt: skip


@pytest.mark.parametrize("mode", ["atomic", "resumable"])
@pytest.mark.parametrize("chunk_size", [4, 2000])
def test_a_commit_run_asks_its_permission_once_and_each_question_once(
    cast: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch, questions: Questions, mode: str,
    chunk_size: int,
) -> None:  # fmt: skip
    monkeypatch.setattr(engine, "CHUNK_SIZE", chunk_size)
    run = _uploaded_run(cast, tmp_path, mode)
    questions.asked.clear()
    questions.decided.clear()
    run = runs.commit_run(cast.documenter, run)
    assert run.status == ImportRun.Status.COMMITTED and run.created_rows == 30
    assert questions.asked[("commit", "ImportRun", run.pk)] == 1
    assert questions.run_questions() == 1
    assert max(questions.decided.values()) == 1, questions.decided


def test_the_number_of_decisions_does_not_grow_with_the_chunks(
    cast: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch, questions: Questions
) -> None:
    decided = []
    for chunk_size, name in [(2000, "one"), (4, "many")]:
        monkeypatch.setattr(engine, "CHUNK_SIZE", chunk_size)
        mapping = Mapping.objects.create(
            organisation=cast.acme,
            kind="violations",
            name=name,
            spec={**MAPPING, "namespace": name},
        )
        path = csv_file(tmp_path, ROWS, f"{name}.csv")
        questions.decided.clear()
        run = runs.import_file(cast.documenter, cast.acme, kind="violations", path=path,
                               file_format="csv", mapping=mapping)  # fmt: skip
        assert run.status == ImportRun.Status.COMMITTED and run.created_rows == 30
        decided.append(sum(questions.decided.values()))
    assert decided[0] == decided[1]


def test_the_cli_import_asks_create_once_and_never_commit(
    cast: Any, tmp_path: Any, questions: Questions
) -> None:
    mapping = Mapping.objects.create(
        organisation=cast.acme, kind="violations", name="m", spec=MAPPING
    )
    path = csv_file(tmp_path, ROWS)
    run = runs.import_file(cast.documenter, cast.acme, kind="violations", path=path,
                           file_format="csv", mapping=mapping)  # fmt: skip
    assert run.status == ImportRun.Status.COMMITTED
    assert questions.asked[("create", "ImportRun", None)] == 1
    assert questions.run_questions() == 1
    assert max(questions.decided.values()) == 1


def test_outside_a_run_every_question_is_decided_again(cast: Any, questions: Questions) -> None:
    for _ in range(2):
        policy.can(cast.documenter, "create_incident", cast.acme)
    assert questions.decided[("create_incident", "Organisation", cast.acme.pk)] == 2
    with policy.decided_once():
        for _ in range(2):
            policy.can(cast.documenter, "create_incident", cast.acme)
    assert questions.decided[("create_incident", "Organisation", cast.acme.pk)] == 3


def test_a_refused_import_is_refused_once_and_writes_nothing(
    cast: Any, tmp_path: Any, questions: Questions
) -> None:
    run = _uploaded_run(cast, tmp_path, "atomic")
    with pytest.raises(PermissionDenied):
        runs.commit_run(cast.viewer, run)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.UPLOADED and run.created_rows == 0

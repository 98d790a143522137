"""``dataio.ahead``: what the preparing process sends (chunks, then the end; a file problem as
itself; any other error as its type and place, never its message, which may quote a cell), and
how the writer's side turns that back into chunks and exceptions, including a child that dies."""

from __future__ import annotations

import multiprocessing
import os
import pickle

import pytest

from justicework.core.models import Organisation
from justicework.dataio import ahead
from justicework.dataio.readers import FileProblem
from justicework.dataio.schema import ParsedRow, RowProblem


class Sender:
    """Collects what the preparing process would send through its pipe."""

    def __init__(self, fail: bool = False) -> None:
        self.sent: list[tuple[str, object]] = []
        self.fail = fail

    def send_bytes(self, data: bytes) -> None:
        if self.fail:
            raise OSError("the writer closed the pipe")
        self.sent.append(pickle.loads(data))  # noqa: S301 - our own test data


def chunk(n: int) -> ahead.Chunk:
    return ([ParsedRow(n, f"k{n}", {"name": f"Person {n}"})], [RowProblem(n + 1, "c", "bad")], 2)


def test_chunks_are_sent_in_order_then_the_end():
    sender = Sender()
    ahead._prepare_in_child(lambda: iter([chunk(1), chunk(3)]), sender)
    assert [kind for kind, _value in sender.sent] == ["chunk", "chunk", "done"]
    assert sender.sent[1][1] == chunk(3)


def test_a_file_problem_is_sent_as_its_reason_row_and_column():
    def make():
        yield chunk(1)
        raise FileProblem("The file is not valid CSV.", row=7, column="Name")

    sender = Sender()
    ahead._prepare_in_child(make, sender)
    assert sender.sent[-1] == ("file", ("The file is not valid CSV.", 7, "Name"))


CELL = "".join(["Оле", "на Коваленко, born ", "1990-02-03"])  # a value read from a file


def test_another_error_is_sent_as_its_type_and_place_never_its_message():
    def make():
        raise ValueError(CELL)  # the place is source text; the message would be data
        yield  # a generator

    sender = Sender()
    ahead._prepare_in_child(make, sender)
    kind, text = sender.sent[-1]
    assert kind == "error"
    assert str(text).startswith("ValueError\n")
    assert "Олена" not in str(text) and "1990" not in str(text)
    assert "test_ahead.py" in str(text)  # where it happened


@pytest.mark.django_db
def test_a_query_in_the_preparing_process_is_refused():
    def make():
        Organisation.objects.count()
        yield chunk(1)

    sender = Sender()
    ahead._prepare_in_child(make, sender)
    kind, text = sender.sent[-1]
    assert kind == "error" and str(text).startswith("RuntimeError\n")


def test_a_writer_that_stopped_reading_does_not_crash_the_preparing_process():
    ahead._prepare_in_child(lambda: iter([]), Sender(fail=True))


# --- the writer's side, with a real fork ------------------------------------------------------

needs_fork = pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="needs fork()"
)


@pytest.fixture
def fork():
    return multiprocessing.get_context("fork")


@needs_fork
def test_the_writer_receives_every_chunk_and_the_child_ends(fork):
    stream = ahead.ChunksAhead(lambda: iter([chunk(1), chunk(2), chunk(3)]), fork)
    assert list(stream) == [chunk(1), chunk(2), chunk(3)]
    stream.close()
    stream.close()  # closing twice is harmless
    assert not stream._process.is_alive()


@needs_fork
def test_a_file_problem_in_the_child_is_raised_as_itself_in_the_writer(fork):
    def make():
        yield chunk(1)
        raise FileProblem("The file is not valid CSV.", row=7, column="Name")

    stream = ahead.ChunksAhead(make, fork)
    assert next(stream) == chunk(1)
    with pytest.raises(FileProblem) as raised:
        next(stream)
    assert (raised.value.reason, raised.value.row, raised.value.column) == (
        "The file is not valid CSV.",
        7,
        "Name",
    )
    with pytest.raises(StopIteration):
        next(stream)


@needs_fork
def test_another_error_in_the_child_stops_the_writer_without_its_message(fork):
    def make():
        raise KeyError(CELL)
        yield

    stream = ahead.ChunksAhead(make, fork)
    with pytest.raises(ahead.PreparingProcessFailed) as raised:
        next(stream)
    assert "KeyError" in str(raised.value) and "Олена" not in str(raised.value)


@needs_fork
def test_a_child_that_dies_is_reported_with_its_exit_code(fork):
    def make():
        os._exit(3)
        yield

    stream = ahead.ChunksAhead(make, fork)
    with pytest.raises(ahead.PreparingProcessFailed, match=r"stopped \(exit code 3\)"):
        next(stream)


def test_a_process_running_other_threads_gets_no_fork_context(monkeypatch):
    monkeypatch.setattr(ahead.threading, "active_count", lambda: 2)
    assert ahead.fork_context() is None

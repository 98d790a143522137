"""The import's preparing process: the file read, parsed and prepared one chunk ahead of the
writer, in a forked process (``engine.PREPARE_AHEAD``), which dies with its parent.

The child gets everything from the fork and never uses the database; it sends pickled chunks
through a pipe. If the importing process is killed (``kill -9``), the child ends at once:
the kernel kills it (``prctl(PR_SET_PDEATHSIG)``, Linux) and, on every platform, a thread in
it waits for the end of file of a *lifeline* pipe that only the parent can write to.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing
import os
import pickle
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Generator
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections

from justicework.dataio.readers import FileProblem
from justicework.dataio.schema import ParsedRow, RowProblem

#: (good rows, problems, rows read) of one chunk of the file.
Chunk = tuple[list[ParsedRow], list[RowProblem], int]


def _refuse_queries(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
    raise RuntimeError(
        "dataio: a query in the preparing process (parsers and prepare_rows must not touch "
        "the database)"
    )


#: ``prctl`` option: the signal the kernel sends this process when its parent dies (Linux).
_PR_SET_PDEATHSIG = 1


def _kill_me_with_parent() -> None:
    """Linux: have the kernel send SIGKILL to this process the moment its parent dies
    (``prctl(PR_SET_PDEATHSIG)``). Elsewhere (or if it fails) :func:`_watch_lifeline` alone
    ends the child."""
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def _watch_lifeline(fd: int) -> None:
    """End this process when ``fd`` (the read end of a pipe whose only write end the parent
    holds) reaches end of file: the parent closed it, or died."""

    def watch() -> None:
        with contextlib.suppress(OSError):
            while os.read(fd, 1):
                pass
        os._exit(1)

    threading.Thread(target=watch, name="dataio-lifeline", daemon=True).start()


def _bound_to_parent(parent: int, lifeline: int, parent_ends: tuple[Any, ...]) -> None:
    """In the preparing process, first: close the parent's ends of the pipes (inherited by the
    fork; the chunk pipe's read end held here would keep a write blocked forever once the
    parent is gone), then die with the parent: a ``kill -9`` of the import must not leave this
    process behind holding the database, its WAL and the source file open."""
    for end in parent_ends:
        with contextlib.suppress(OSError):
            if isinstance(end, int):
                os.close(end)
            else:
                end.close()
    _kill_me_with_parent()
    if os.getppid() != parent:  # the parent died before prctl: nobody will read
        os._exit(1)
    _watch_lifeline(lifeline)


def _prepare_in_child(
    make: Callable[[], Generator[Chunk]],
    sender: Any,
    parent: int = 0,
    lifeline: int = -1,
    parent_ends: tuple[Any, ...] = (),
) -> None:
    """The preparing process: send each chunk pickled, then ``("done", None)``; an error is
    sent as ``("file", (reason, row, column))`` (a :class:`FileProblem`) or ``("error",
    text)``. Any query is refused (its inherited connections are never used). It ends when
    its parent dies (:func:`_bound_to_parent`)."""
    if lifeline >= 0:
        _bound_to_parent(parent, lifeline, parent_ends)
    try:
        with connections[DEFAULT_DB_ALIAS].execute_wrapper(_refuse_queries):
            for chunk in make():
                sender.send_bytes(pickle.dumps(("chunk", chunk), protocol=pickle.HIGHEST_PROTOCOL))
        message: tuple[str, Any] = ("done", None)
    except FileProblem as exc:
        message = ("file", (exc.reason, exc.row, exc.column))
    except BaseException as exc:  # reported to the writer, which aborts
        # The type and where, not the message: it may quote a cell (an identity).
        where = "".join(traceback.format_list(traceback.extract_tb(exc.__traceback__)[-3:]))
        message = ("error", f"{type(exc).__name__}\n{where}")
    with contextlib.suppress(OSError):  # the writer stopped reading (it closed the stream)
        sender.send_bytes(pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL))


class PreparingProcessFailed(RuntimeError):
    """The preparing process raised or died; nothing of the current chunk was written."""


class ChunksAhead:
    """The chunks of ``opening.read_chunks``, read, parsed and prepared in a forked process.

    The child gets the open file, the mapper and the configured schema from the fork; it
    reads the file, maps and parses rows and runs the schema's ``prepare_rows`` (pure Python,
    the caller's language and time zone, inherited), and sends each chunk pickled through a
    pipe. It never uses the database (its inherited connections are left alone; a query is
    refused). The caller's process does every check that queries and every write, in order,
    in its own transaction: all-or-nothing, resumable chunks, row-key dedupe and the audit
    chain are those of the sequential path. The pipe holds at most about one chunk: the child
    is at most one chunk ahead of the writer. An error in the child (a damaged file, a bug) is
    raised in the caller at the next chunk, where the sequential path would raise it: a
    :class:`FileProblem` as itself, anything else as :class:`PreparingProcessFailed`; a child
    that dies is reported the same way. ``close`` stops the child and waits for it."""

    def __init__(self, make: Callable[[], Generator[Chunk]], context: Any) -> None:
        self._finished = self._closed = False
        self._receiver, sender = context.Pipe(duplex=False)
        # The child's lifeline: it ends when this write end closes (here, or with this process).
        lifeline, self._lifeline = os.pipe()
        try:
            self._process = context.Process(
                target=_prepare_in_child,
                args=(make, sender, os.getpid(), lifeline, (self._receiver, self._lifeline)),
                name="dataio-prepare",
                daemon=True,
            )
            self._process.start()
        except BaseException:
            os.close(self._lifeline)
            self._receiver.close()
            raise
        finally:
            os.close(lifeline)  # the child's ends
            sender.close()

    @property
    def pid(self) -> int | None:
        pid: int | None = self._process.pid
        return pid

    def __iter__(self) -> ChunksAhead:
        return self

    def __next__(self) -> Chunk:
        if self._finished:
            raise StopIteration
        try:
            kind, value = pickle.loads(self._receiver.recv_bytes())  # noqa: S301 our own child
        except (EOFError, OSError) as exc:
            self.close()
            raise PreparingProcessFailed(
                f"dataio: the preparing process stopped (exit code {self._process.exitcode})"
            ) from exc
        if kind == "chunk":
            chunk: Chunk = value
            return chunk
        self.close()
        if kind == "file":
            reason, row, column = value
            raise FileProblem(reason, row=row, column=column)
        if kind == "error":
            raise PreparingProcessFailed(f"dataio: the preparing process failed:\n{value}")
        raise StopIteration

    def close(self) -> None:
        if self._closed:
            return
        self._closed = self._finished = True
        self._receiver.close()
        os.close(self._lifeline)
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()
        gc.unfreeze()  # frozen by engine._chunk_stream at the fork


def fork_context() -> Any:
    # Forking a process that runs other threads (a threaded web server running an import in
    # a request) can leave the child holding a lock another thread had taken: prepare in turn
    # there. The task worker and the command line run imports single-threaded.
    if "fork" not in multiprocessing.get_all_start_methods() or threading.active_count() > 1:
        return None
    return multiprocessing.get_context("fork")

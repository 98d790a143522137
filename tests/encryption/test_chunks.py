"""``encryption.chunks`` directly: the sealed chunk layout round-trips at chunk boundaries, the
reader seeks like a file, and a changed, moved, dropped or cut chunk refuses to open."""

from __future__ import annotations

import io
import os

import pytest

from justicework.encryption import chunks
from justicework.encryption.chunks import CHUNK, TAG, ChunkReader, ChunkWriter


class Damaged(Exception):
    pass


HEADER = b"HEAD"


def seal(data: bytes, key: bytes, header: bytes = HEADER) -> bytes:
    out = io.BytesIO()
    out.write(header)
    writer = ChunkWriter(out, key)
    writer.write(data)
    writer.finish()
    return out.getvalue()


def reader(sealed: bytes, key: bytes, start: int = len(HEADER)) -> ChunkReader:
    return ChunkReader(io.BytesIO(sealed), key, start, Damaged)


@pytest.fixture
def key() -> bytes:
    return os.urandom(32)


@pytest.mark.parametrize("size", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK, 2 * CHUNK + 7])
def test_content_of_any_size_reads_back_after_the_header(key, size):
    data = os.urandom(size)
    sealed = seal(data, key)
    full_chunks = max(1, -(-size // CHUNK))
    assert len(sealed) == len(HEADER) + size + full_chunks * TAG
    opened = reader(sealed, key)
    assert opened.size == size
    assert opened.read() == data


def test_writes_in_small_pieces_seal_the_same_layout_as_one_write(key):
    data = os.urandom(CHUNK + 100)
    out = io.BytesIO()
    writer = ChunkWriter(out, key)
    for start in range(0, len(data), 1000):
        writer.write(data[start : start + 1000])
    writer.finish()
    assert len(out.getvalue()) == len(data) + 2 * TAG
    assert reader(out.getvalue(), key, start=0).read() == data


def test_finish_twice_is_refused(key):
    writer = ChunkWriter(io.BytesIO(), key)
    writer.finish()
    with pytest.raises(RuntimeError, match=r"ChunkWriter\.finish called twice"):
        writer.finish()


def test_no_plaintext_is_left_in_the_sealed_bytes(key):
    data = b"Olena Kovalenko, born 1984 " * 100
    assert b"Kovalenko" not in seal(data, key)


def test_the_reader_seeks_and_tells_across_chunks(key):
    data = os.urandom(2 * CHUNK + 50)
    opened = reader(seal(data, key), key)
    assert opened.seekable() and opened.readable()
    assert opened.seek(CHUNK - 3) == CHUNK - 3
    assert opened.read(10) == data[CHUNK - 3 : CHUNK]  # a raw read stops at its chunk's end
    assert opened.read(7) == data[CHUNK : CHUNK + 7]
    assert opened.tell() == CHUNK + 7
    assert opened.seek(5, io.SEEK_CUR) == CHUNK + 12
    assert opened.read(4) == data[CHUNK + 12 : CHUNK + 16]
    assert opened.seek(-20, io.SEEK_END) == len(data) - 20
    assert opened.read() == data[-20:]
    assert opened.read() == b""


def test_a_seek_before_the_start_is_refused_and_keeps_the_position(key):
    opened = reader(seal(b"abcdef", key), key)
    opened.seek(3)
    with pytest.raises(ValueError, match="negative seek position"):
        opened.seek(-4, io.SEEK_CUR)
    assert opened.tell() == 3
    assert opened.read() == b"def"


def test_a_seek_past_the_end_reads_nothing(key):
    opened = reader(seal(b"abc", key), key)
    assert opened.seek(100) == 100
    assert opened.read() == b""


def test_the_wrong_key_fails_at_once(key):
    sealed = seal(b"data", key)
    with pytest.raises(Damaged):
        reader(sealed, os.urandom(32))


def test_a_changed_byte_fails_when_its_chunk_is_read(key):
    data = os.urandom(2 * CHUNK)
    sealed = bytearray(seal(data, key))
    sealed[len(HEADER) + 10] ^= 1
    opened = reader(bytes(sealed), key)  # the last chunk is intact: opening works
    with pytest.raises(Damaged):
        opened.read(1)


def test_swapped_chunks_fail(key):
    data = os.urandom(3 * CHUNK + 1)
    sealed = seal(data, key)
    size = CHUNK + TAG
    body = sealed[len(HEADER) :]
    first, second = body[:size], body[size : 2 * size]
    swapped = HEADER + second + first + body[2 * size :]
    opened = reader(swapped, key)
    with pytest.raises(Damaged):
        opened.read(1)


def test_a_stream_cut_at_a_chunk_boundary_fails_on_opening(key):
    sealed = seal(os.urandom(2 * CHUNK + 10), key)
    cut = sealed[: len(HEADER) + 2 * (CHUNK + TAG)]
    with pytest.raises(Damaged):
        reader(cut, key)


def test_a_dropped_middle_chunk_fails_on_opening(key):
    sealed = seal(os.urandom(3 * CHUNK + 10), key)
    size = CHUNK + TAG
    body = sealed[len(HEADER) :]
    dropped = HEADER + body[:size] + body[2 * size :]
    with pytest.raises(Damaged):
        reader(dropped, key)


def test_a_buffered_reader_reads_across_chunk_ends(key):
    data = os.urandom(2 * CHUNK + 50)
    buffered = io.BufferedReader(reader(seal(data, key), key), buffer_size=1000)
    buffered.seek(CHUNK - 3)
    assert buffered.read(10) == data[CHUNK - 3 : CHUNK + 7]


def test_a_file_shorter_than_a_tag_fails_on_opening(key):
    with pytest.raises(Damaged):
        reader(HEADER + b"short", key)


def test_the_layout_arithmetic():
    assert chunks.chunk_layout(4, 4 + TAG) == (1, TAG)
    assert chunks.chunk_layout(0, CHUNK + TAG) == (1, CHUNK + TAG)
    assert chunks.chunk_layout(0, CHUNK + 2 * TAG + 5) == (2, TAG + 5)
    assert chunks.plaintext_size(2, TAG + 5) == CHUNK + 5
    with pytest.raises(ValueError, match="too short for its last chunk"):
        chunks.chunk_layout(0, CHUNK + TAG + 3)


def test_closing_the_reader_closes_the_file_once(key):
    handle = io.BytesIO(seal(b"abc", key))
    opened = ChunkReader(handle, key, len(HEADER), Damaged)
    opened.close()
    opened.close()
    assert handle.closed and opened.closed

"""The streamed hashes equal hashlib's, however the bytes are split and however often the state
is saved to bytes and restored in between (as between two PATCH requests)."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from justicework.evidence.intake.hashing import SHA256_CTX_SIZE, SHA512_CTX_SIZE, StreamHasher


@settings(max_examples=150, deadline=None)
@given(data=st.binary(max_size=5000), cuts=st.lists(st.integers(0, 5000), max_size=12))
def test_digests_match_hashlib_on_any_split_with_state_saved_between(data, cuts):
    hasher = StreamHasher()
    start = 0
    for cut in [*sorted({min(c, len(data)) for c in cuts}), len(data)]:
        hasher.update(data[start:cut])
        hasher = StreamHasher(*hasher.states())  # a new request on another process
        start = cut
    digests = hasher.digests()
    assert digests.sha256 == hashlib.sha256(data).hexdigest()
    assert digests.sha512 == hashlib.sha512(data).hexdigest()


def test_states_are_the_fixed_sizes_of_the_openssl_contexts():
    first, second = StreamHasher().states()
    assert (len(first), len(second)) == (SHA256_CTX_SIZE, SHA512_CTX_SIZE)


def test_taking_the_digest_leaves_the_state_usable():
    hasher = StreamHasher()
    hasher.update(b"abc")
    assert hasher.digests().sha256 == hashlib.sha256(b"abc").hexdigest()
    hasher.update(b"def")
    assert hasher.digests().sha256 == hashlib.sha256(b"abcdef").hexdigest()


def test_a_saved_state_of_the_wrong_size_is_refused():
    with pytest.raises(ValueError, match="112 bytes"):
        StreamHasher(b"short", None)


def test_large_blocks_across_many_saves():
    block = bytes(range(256)) * 4096  # 1 MiB
    hasher, reference = StreamHasher(), hashlib.sha512()
    for _ in range(8):
        hasher.update(block)
        reference.update(block)
        hasher = StreamHasher(*hasher.states())
    assert hasher.digests().sha512 == reference.hexdigest()

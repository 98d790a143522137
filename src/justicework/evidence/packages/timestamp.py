"""RFC 3161 trusted timestamps of a package's manifest, from the authority whose URL is the
setting ``EVIDENCE_TSA_URL`` (``JUSTICEWORK_EVIDENCE_TSA_URL``), with ``rfc3161-client``.

The request carries the SHA-256 of the manifest's bytes and a nonce, and asks for the
authority's certificate in the token. The answer is refused (and the package with it) unless it
is granted and its imprint and nonce are the request's. ``check`` verifies a token against the
authority's root certificate when the verifier is given one (``--tsa-cert``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import urllib.error
import urllib.request

from cryptography import x509
from django.conf import settings

# ``rfc3161_client`` is imported where it is used: only instances with an authority (and
# verifications given ``--tsa-cert``) load it.

TIMEOUT = 30


class TimestampProblem(Exception):
    """The authority could not be reached or its answer is not a timestamp of the manifest."""


def _post(url: str, body: bytes) -> bytes:
    if not url.startswith(("http://", "https://")):
        raise TimestampProblem(f"the timestamp authority's URL must be http(s): {url!r}")
    request = urllib.request.Request(  # noqa: S310 (the scheme is checked above)
        url, data=body, method="POST", headers={"Content-Type": "application/timestamp-query"}
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
            return bytes(response.read(1 << 20))
    except (urllib.error.URLError, OSError) as exc:
        raise TimestampProblem(f"the timestamp authority {url} did not answer: {exc}") from exc


def stamp(manifest: bytes) -> bytes | None:
    """The DER timestamp response for ``manifest``; None when no authority is set."""
    url = settings.EVIDENCE_TSA_URL
    if not url:
        return None
    from rfc3161_client import (
        HashAlgorithm,
        PKIStatus,
        TimestampRequestBuilder,
        decode_timestamp_response,
    )

    request = (
        TimestampRequestBuilder()
        .data(manifest)
        .hash_algorithm(HashAlgorithm.SHA256)
        .nonce(nonce=True)
        .cert_request(cert_request=True)
        .build()
    )
    answer = _post(url, request.as_bytes())
    try:
        response = decode_timestamp_response(answer)
    except ValueError as exc:
        raise TimestampProblem(f"the answer of {url} is not an RFC 3161 response: {exc}") from exc
    if response.status not in (PKIStatus.GRANTED, PKIStatus.GRANTED_WITH_MODS):
        raise TimestampProblem(f"{url} refused to timestamp (status {response.status})")
    info = response.tst_info
    if info.message_imprint.message != hashlib.sha256(manifest).digest():
        raise TimestampProblem(f"{url} timestamped something other than the manifest")
    if info.nonce != request.nonce:
        raise TimestampProblem(f"{url} answered with another request's nonce")
    return answer


def gen_time(token: bytes) -> dt.datetime:
    from rfc3161_client import decode_timestamp_response

    when: dt.datetime = decode_timestamp_response(token).tst_info.gen_time
    return when


def check(token: bytes, manifest: bytes, root_pem: bytes) -> str | None:
    """What is wrong with ``token`` as a timestamp of ``manifest`` by an authority whose chain
    ends at ``root_pem`` (None: it verifies)."""
    from rfc3161_client import VerificationError, VerifierBuilder, decode_timestamp_response

    try:
        root = x509.load_pem_x509_certificate(root_pem)
        response = decode_timestamp_response(token)
        verifier = VerifierBuilder().add_root_certificate(root).build()
        verifier.verify_message(response, manifest)
    except (ValueError, VerificationError) as exc:
        return str(exc) or exc.__class__.__name__
    return None

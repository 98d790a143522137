"""Create local key files on first run (``python -m justicework.keyfiles``), and read the audit key.

Runs before Django is configured, because settings refuse to load without keys. Existing files
are never overwritten: a replaced master key would make every encrypted value unreadable, and a
replaced audit key would make every keyed audit entry fail ``audit verify``.

Key files, all in ``JUSTICEWORK_DATA_DIR`` (each overridden by its variable or its ``_FILE``):

* ``secret.key`` (``JUSTICEWORK_SECRET_KEY``): Django's signing secret.
* ``master.key`` (``JUSTICEWORK_MASTER_KEY``): wraps every data key in the database.
* ``audit.key`` (``JUSTICEWORK_AUDIT_KEY``): the HMAC key of the audit chain (32 bytes, base64).
  Never stored in the database, so someone holding only the database cannot append to, rewrite
  or rebuild the chain (``justicework.audit.chain``).
"""

from __future__ import annotations

import base64
import binascii
import functools
import os
import secrets
import sys
from pathlib import Path

AUDIT_KEY_VARIABLE = "JUSTICEWORK_AUDIT_KEY"
AUDIT_KEY_FILE = "audit.key"
EVIDENCE_SIGNING_KEY_FILE = "evidence-signing.key"


def _write_once(path: Path, content: str) -> bool:
    if path.exists():
        return False
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(content + "\n")
    return True


def _random_key() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode("ascii")


def ensure_local_keys(data_dir: Path) -> list[Path]:
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)  # the data directory: owner only
    created = []
    secret = data_dir / "secret.key"
    if _write_once(secret, secrets.token_urlsafe(64)):
        created.append(secret)
    for name in ("master.key", AUDIT_KEY_FILE, EVIDENCE_SIGNING_KEY_FILE):
        path = data_dir / name
        if _write_once(path, _random_key()):
            created.append(path)
    return created


class AuditKeyMissing(Exception):
    """No audit key is configured, or it is not 32 bytes of base64."""


@functools.cache
def audit_key() -> bytes:
    """The audit chain's HMAC key: ``JUSTICEWORK_AUDIT_KEY`` (or ``_FILE``), else
    ``<JUSTICEWORK_DATA_DIR>/audit.key``. Read once per process (``audit_key.cache_clear()``
    after changing it, in tests). Raises :class:`AuditKeyMissing` with what to do."""
    from django.conf import settings

    from justicework.config import env_str

    path = Path(settings.DATA_DIR) / AUDIT_KEY_FILE
    raw = env_str(AUDIT_KEY_VARIABLE)
    if not raw:
        try:
            raw = path.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            raise AuditKeyMissing(
                f"{AUDIT_KEY_VARIABLE} is not set and no key file exists at {path}. Create it "
                f"with `python -m justicework.keyfiles` (it only adds missing keys), or set "
                f"{AUDIT_KEY_VARIABLE} (or {AUDIT_KEY_VARIABLE}_FILE). Keep a copy with the "
                "master key: without it the audit chain cannot be verified."
            ) from None
    try:
        key = base64.b64decode(raw, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise AuditKeyMissing(
            f"{AUDIT_KEY_VARIABLE} must be base64; it could not be decoded."
        ) from exc
    if len(key) != 32:
        raise AuditKeyMissing(
            f"{AUDIT_KEY_VARIABLE} must decode to 32 bytes; it decodes to {len(key)}."
        )
    return key


def main() -> int:
    os.umask(0o077)  # as every entry point (encryption.filemodes): files 0600, directories 0700
    data_dir = Path(os.environ.get("JUSTICEWORK_DATA_DIR") or "./var").resolve()
    for path in ensure_local_keys(data_dir):
        print(f"created {path} (keep a copy somewhere safe: without it the data cannot be read)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

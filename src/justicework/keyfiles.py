"""Create local key files on first run (``python -m justicework.keyfiles``).

Runs before Django is configured, because settings refuse to load without keys. Existing files
are never overwritten: a replaced master key would make every encrypted value unreadable.
"""

from __future__ import annotations

import base64
import os
import secrets
import sys
from pathlib import Path


def _write_once(path: Path, content: str) -> bool:
    if path.exists():
        return False
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(content + "\n")
    return True


def ensure_local_keys(data_dir: Path) -> list[Path]:
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)  # the data directory: owner only
    created = []
    secret = data_dir / "secret.key"
    if _write_once(secret, secrets.token_urlsafe(64)):
        created.append(secret)
    master = data_dir / "master.key"
    if _write_once(master, base64.b64encode(secrets.token_bytes(32)).decode("ascii")):
        created.append(master)
    return created


def main() -> int:
    os.umask(0o077)  # as every entry point (encryption.filemodes): files 0600, directories 0700
    data_dir = Path(os.environ.get("JUSTICEWORK_DATA_DIR") or "./var").resolve()
    for path in ensure_local_keys(data_dir):
        print(f"created {path} (keep a copy somewhere safe: without it the data cannot be read)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

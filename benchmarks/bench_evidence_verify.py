"""Package verification (``evidence.packages.verify``, the code of the ``verify.py`` shipped in
every package: SHA-256 and SHA-512 and size of every file, signature, custody chains) against
``sha256sum`` of the same files, in the same run. The package is made by the real action from
items stored in the vault; the rate counts the files' bytes."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from benchmarks import figure, rate, size

MIB = 1 << 20


def _items(count: int, mib_each: int) -> tuple[Any, Any, list[Any], list[Path]]:
    from justicework.core import actions as core_actions
    from justicework.core.models import Organisation
    from justicework.core.roles import Role
    from justicework.evidence import actions
    from justicework.evidence.storage import store

    organisation = core_actions.create_organisation(
        None, name="Bench Evidence", kind=Organisation.Kind.MEMBER, countries=["UA"]
    )
    user = core_actions.create_user(None, email="packager@bench.test", password=None)
    core_actions.add_member(None, organisation, user, Role.DOCUMENTER)
    items, paths = [], []
    scratch = Path(tempfile.mkdtemp(prefix="jw-bench-verify-"))
    for number in range(count):
        source = scratch / f"{number}.bin"
        data = os.urandom(mib_each * MIB)
        source.write_bytes(data)
        sha256 = hashlib.sha256(data).hexdigest()
        store().put_once(sha256, source)
        original = {
            "sha256": sha256,
            "sha512": hashlib.sha512(data).hexdigest(),
            "size": len(data),
            "media_type": "application/octet-stream",
            "storage_key": store().key_for(sha256),
        }
        items.append(
            actions.create_item(
                user,
                organisation,
                original=original,
                display_name=f"file-{number}.bin",
                submitted_name=f"file-{number}.bin",
                extension_matches=None,
                record_fields={},
                received={},
            )
        )
        paths.append(store().path_for(sha256))
    shutil.rmtree(scratch)
    return user, organisation, items, paths


def run() -> list[dict[str, Any]]:
    from justicework.evidence.actions import packages
    from justicework.evidence.packages import verify

    count, mib_each = size(8, 4), size(64, 8)
    user, organisation, items, paths = _items(count, mib_each)
    out_dir = Path(tempfile.mkdtemp(prefix="jw-bench-package-"))
    package = out_dir / "package.zip"
    packages.package_items(user, organisation, items, package)
    sha256sum = shutil.which("sha256sum")
    assert sha256sum is not None, "sha256sum (coreutils) is needed for the baseline"

    def ours() -> None:
        report = verify.verify(str(package))
        assert report.ok, report.problems

    def theirs() -> None:
        subprocess.run([sha256sum, *map(str, paths)], check=True, capture_output=True)

    total = count * mib_each
    mine, baseline = rate(ours, total), rate(theirs, total)
    shutil.rmtree(out_dir)
    return [
        figure(
            "package verification (SHA-256+SHA-512, size, signature, custody)",
            mine,
            "MiB/s",
            "sha256sum of the same files",
            baseline,
            files=count,
            mib=total,
        )
    ]

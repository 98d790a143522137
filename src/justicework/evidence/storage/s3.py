"""Originals and derivatives in an S3-compatible bucket (``EVIDENCE_STORAGE = "s3"``): the
interface of ``storage.local`` (put-once, open, exists, size, retention, remove, listing; the
same for derivatives), the same keys under ``EVIDENCE_S3_PREFIX``. Files being written (uploads
in progress, captures and ingests before they are stored) stay local under the vault
directory. The client is made by django-storages' ``S3Storage`` from the settings
(endpoint, region, credentials); the calls it has no word for (conditional writes, object
lock, versions) are boto3's on that client.

* **Put once.** A key is never overwritten: a ``HEAD`` first (the same bytes stored already:
  nothing sent), then the write with ``If-None-Match: *``, which the store refuses (412) when
  another writer created the key meanwhile. Files up to ``EVIDENCE_S3_PART_BYTES`` go in one
  ``PutObject``; larger ones in a multipart upload read from the part file a part at a time
  (memory is one part whatever the size), completed with ``If-None-Match: *`` and aborted on
  any error. A process killed mid-way leaves an unfinished multipart upload, which is no object
  (a bucket lifecycle rule ``AbortIncompleteMultipartUpload`` clears it).
* **Object lock.** With ``EVIDENCE_S3_OBJECT_LOCK`` ``auto`` (the bucket's lock configuration
  is read once) or ``on`` (required: a bucket without it is an error), every new object gets
  ``ObjectLockMode`` (``EVIDENCE_S3_LOCK_MODE``) and ``ObjectLockRetainUntilDate`` (now plus
  ``EVIDENCE_S3_RETENTION_DAYS``); the mode and date read back from the object are recorded on
  the ``Original``.
* **Remove** deletes every version of the key (a plain delete in a versioned bucket would only
  hide it behind a delete marker). Under compliance retention the store refuses until the date
  passes; governance retention is bypassed only when ``EVIDENCE_S3_GOVERNANCE_BYPASS`` is on.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, cast

from botocore.exceptions import ClientError
from django.conf import settings
from storages.backends.s3 import S3Storage

from justicework.evidence.storage.local import (
    LocalStore,
    as_derivative_key,
    as_key,
    derivative_key,
    is_derivative_key,
    is_original_key,
    key_for,
)

MIB = 1 << 20
MAX_PARTS = 9000  # S3 allows 10,000; a margin for rounding


class StorageError(Exception):
    """The store refused or failed an operation; the message says which and why."""


@dataclass(frozen=True)
class S3Config:
    bucket: str
    endpoint_url: str
    region: str
    access_key: str
    secret_key: str
    prefix: str
    object_lock: str  # auto | on | off
    lock_mode: str  # COMPLIANCE | GOVERNANCE
    retention_days: int
    governance_bypass: bool
    part_bytes: int

    @classmethod
    def from_settings(cls) -> S3Config:
        return cls(
            bucket=settings.EVIDENCE_S3_BUCKET, endpoint_url=settings.EVIDENCE_S3_ENDPOINT_URL,
            region=settings.EVIDENCE_S3_REGION, access_key=settings.EVIDENCE_S3_ACCESS_KEY_ID,
            secret_key=settings.EVIDENCE_S3_SECRET_ACCESS_KEY, prefix=settings.EVIDENCE_S3_PREFIX,
            object_lock=settings.EVIDENCE_S3_OBJECT_LOCK, lock_mode=settings.EVIDENCE_S3_LOCK_MODE,
            retention_days=settings.EVIDENCE_S3_RETENTION_DAYS,
            governance_bypass=settings.EVIDENCE_S3_GOVERNANCE_BYPASS,
            part_bytes=settings.EVIDENCE_S3_PART_BYTES,
        )  # fmt: skip


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def _missing(error: ClientError) -> bool:
    return _code(error) in {"404", "NoSuchKey", "NotFound"}


class S3Store:
    """Originals in a bucket; uploads in progress stay local files (``root/uploads``)."""

    backend = "s3"
    key_for = staticmethod(key_for)

    def __init__(self, root: Path, config: S3Config) -> None:
        self.root = root
        self.config = config
        self._local = LocalStore(root)
        storage = S3Storage(
            bucket_name=config.bucket, endpoint_url=config.endpoint_url or None,
            region_name=config.region, access_key=config.access_key or None,
            secret_key=config.secret_key or None,
        )  # fmt: skip
        self.client: Any = storage.connection.meta.client
        self._lock_enabled: bool | None = None

    def object_name(self, name: str) -> str:
        return self.config.prefix + as_key(name)

    def _head(self, name: str) -> dict[str, Any] | None:
        return self._head_object(self.object_name(name))

    def _head_object(self, object_name: str) -> dict[str, Any] | None:
        try:
            found = self.client.head_object(Bucket=self.config.bucket, Key=object_name)
        except ClientError as exc:
            if _missing(exc):
                return None
            raise
        return cast(dict[str, Any], found)

    def exists(self, name: str) -> bool:
        return self._head(name) is not None

    def size(self, name: str) -> int:
        head = self._head(name)
        if head is None:
            raise FileNotFoundError(f"no object {self.object_name(name)} in the bucket")
        return int(head["ContentLength"])

    def open(self, name: str) -> BinaryIO:
        raw = _ObjectReader(
            self.client, self.config.bucket, self.object_name(name), self.size(name)
        )
        return cast(BinaryIO, io.BufferedReader(raw, buffer_size=MIB))

    def retention(self, name: str) -> tuple[str, dt.datetime | None]:
        head = self._head(name) or {}
        return str(head.get("ObjectLockMode", "")), head.get("ObjectLockRetainUntilDate")

    # --- writing -----------------------------------------------------------------------------

    def lock_enabled(self) -> bool:
        """Whether new objects get a retention (the setting, and the bucket's configuration)."""
        if self.config.object_lock == "off":
            return False
        if self._lock_enabled is None:
            try:
                found = self.client.get_object_lock_configuration(Bucket=self.config.bucket)
                enabled = found["ObjectLockConfiguration"].get("ObjectLockEnabled") == "Enabled"
            except ClientError as exc:
                if _code(exc) != "ObjectLockConfigurationNotFoundError":
                    raise
                enabled = False
            self._lock_enabled = enabled
        if not self._lock_enabled and self.config.object_lock == "on":
            raise StorageError(
                f"EVIDENCE_S3_OBJECT_LOCK is on but the bucket {self.config.bucket} has no object "
                "lock: nothing was stored. Create the bucket with object lock, or set it to auto."
            )
        return self._lock_enabled

    def _lock_args(self) -> dict[str, Any]:
        if not self.lock_enabled():
            return {}
        until = dt.datetime.now(dt.UTC) + dt.timedelta(days=self.config.retention_days)
        return {"ObjectLockMode": self.config.lock_mode, "ObjectLockRetainUntilDate": until}

    def put_once(self, name: str, source: Path) -> bool:
        """Store the whole file ``source`` as the original ``name``, never over an existing
        object: False (nothing written) when the key exists, or another writer created it
        meanwhile (the store answered 412 to ``If-None-Match: *``)."""
        if self.exists(name):
            return False
        lock = self._lock_args()
        size = source.stat().st_size
        try:
            if size <= self.config.part_bytes:
                with source.open("rb") as body:
                    self.client.put_object(
                        Bucket=self.config.bucket, Key=self.object_name(name), Body=body,
                        ContentLength=size, IfNoneMatch="*", **lock,
                    )  # fmt: skip
            else:
                self._multipart(name, source, size, lock)
        except ClientError as exc:
            if _code(exc) == "PreconditionFailed":
                return False
            raise
        if lock:
            self._ensure_retention(name, lock)
        return True

    def _multipart(self, name: str, source: Path, size: int, lock: dict[str, Any]) -> None:
        key, bucket = self.object_name(name), self.config.bucket
        part_bytes = max(self.config.part_bytes, math.ceil(size / MAX_PARTS / MIB) * MIB)
        started = self.client.create_multipart_upload(Bucket=bucket, Key=key, **lock)
        upload_id = started["UploadId"]
        try:
            parts = []
            with source.open("rb") as reading:
                number = 1
                while block := reading.read(part_bytes):
                    sent = self.client.upload_part(
                        Bucket=bucket, Key=key, UploadId=upload_id, PartNumber=number, Body=block
                    )
                    parts.append({"ETag": sent["ETag"], "PartNumber": number})
                    number += 1
                    del block
            self.client.complete_multipart_upload(
                Bucket=bucket, Key=key, UploadId=upload_id, IfNoneMatch="*",
                MultipartUpload={"Parts": parts},
            )  # fmt: skip
        except BaseException:
            self.client.abort_multipart_upload(Bucket=bucket, Key=key, UploadId=upload_id)
            raise

    def _ensure_retention(self, name: str, lock: dict[str, Any]) -> None:
        """Some stores (moto among them) drop the lock given when a multipart upload starts:
        set it on the new object then (S3 allows extending a retention, never shortening)."""
        if self.retention(name)[0]:
            return
        self.client.put_object_retention(
            Bucket=self.config.bucket, Key=self.object_name(name),
            Retention={"Mode": lock["ObjectLockMode"],
                       "RetainUntilDate": lock["ObjectLockRetainUntilDate"]},
        )  # fmt: skip

    # --- removal (two-person removal, issue 12) ----------------------------------------------

    def remove(self, key: str) -> None:
        """Delete every version of the original ``key`` (a missing key is no error). Refused
        with a ``StorageError`` saying why when a retention still holds it."""
        if not is_original_key(key):
            raise ValueError(f"not the storage key of an original: {key!r}")
        self._delete_versions(key)

    def _delete_versions(self, key: str) -> None:
        name, bucket = self.config.prefix + key, self.config.bucket
        listed = self.client.list_object_versions(Bucket=bucket, Prefix=name)
        versions = [
            entry["VersionId"]
            for entry in [*listed.get("Versions", []), *listed.get("DeleteMarkers", [])]
            if entry["Key"] == name
        ]
        if not versions:  # nothing stored (a delete now would only add a delete marker)
            return
        extra = {"BypassGovernanceRetention": True} if self.config.governance_bypass else {}
        head = self._head_object(name) or {}
        mode, until = str(head.get("ObjectLockMode", "")), head.get("ObjectLockRetainUntilDate")
        for version in versions:
            arguments = {"Bucket": bucket, "Key": name, **extra}
            if version != "null":  # "null": the one version of an unversioned bucket
                arguments["VersionId"] = version
            try:
                self.client.delete_object(**arguments)
            except ClientError as exc:
                if _code(exc) not in {"AccessDenied", "InvalidRequest"}:
                    raise
                raise StorageError(_refusal(name, mode, until)) from exc

    # --- listing (for ``evidence fsck``'s orphans) ----------------------------------------------

    def _keys(self, *folders: str) -> Iterator[str]:
        pages = self.client.get_paginator("list_objects_v2")
        for folder in folders:
            prefix = self.config.prefix + folder
            for page in pages.paginate(Bucket=self.config.bucket, Prefix=prefix):
                for entry in page.get("Contents", []):
                    yield str(entry["Key"])[len(self.config.prefix) :]

    def originals(self) -> Iterator[str]:
        """The key of every original in the bucket, plain and sealed."""
        yield from sorted(k for k in self._keys("originals/", "sealed/") if is_original_key(k))

    def derivatives(self) -> Iterator[str]:
        """The key of every derivative in the bucket, plain and sealed."""
        found = self._keys("derivatives/", "sealed/")
        yield from sorted(k for k in found if is_derivative_key(k))

    # --- derivatives ---------------------------------------------------------------------------

    derivative_key = staticmethod(derivative_key)

    def derivative_exists(self, name: str) -> bool:
        return self._head_object(self.config.prefix + as_derivative_key(name)) is not None

    def open_derivative(self, name: str) -> BinaryIO:
        """The stored bytes of the derivative ``name``; ``FileNotFoundError`` when missing."""
        key = self.config.prefix + as_derivative_key(name)
        head = self._head_object(key)
        if head is None:
            raise FileNotFoundError(f"no object {key} in the bucket")
        raw = _ObjectReader(self.client, self.config.bucket, key, int(head["ContentLength"]))
        return cast(BinaryIO, io.BufferedReader(raw, buffer_size=MIB))

    def put_derivative(self, name: str, data: bytes) -> bool:
        """Store ``data`` as the derivative ``name`` once (``If-None-Match: *``); False when it
        is there already. No retention: a derivative is made again from its original, and goes
        with its item's removal."""
        key = self.config.prefix + as_derivative_key(name)
        if self._head_object(key) is not None:
            return False
        try:
            self.client.put_object(Bucket=self.config.bucket, Key=key, Body=data, IfNoneMatch="*")
        except ClientError as exc:
            if _code(exc) == "PreconditionFailed":
                return False
            raise
        return True

    def remove_derivative(self, name: str) -> None:
        """Delete every version of the derivative ``name`` (a missing one is no error)."""
        self._delete_versions(as_derivative_key(name))

    # --- files being written: local, as with the local store ---------------------------------

    def part_path(self, upload_id: Any) -> Path:
        return self._local.part_path(upload_id)

    def discard_part(self, upload_id: Any) -> None:
        self._local.discard_part(upload_id)

    def incoming_dir(self) -> Path:
        """Where a capture or an ingest writes a file before it is sent to the bucket."""
        return self._local.incoming_dir()


def _refusal(name: str, mode: str, until: dt.datetime | None) -> str:
    when = until.isoformat() if until else "an unknown date"
    if mode == "COMPLIANCE":
        return (
            f"The object {name} is under compliance retention until {when}: no one can delete "
            "it before then, not even the bucket's owner."
        )
    if mode == "GOVERNANCE":
        return (
            f"The object {name} is under governance retention until {when}: deleting it needs "
            "EVIDENCE_S3_GOVERNANCE_BYPASS on and the s3:BypassGovernanceRetention permission."
        )
    return f"The store refused to delete the object {name}."


class _ObjectReader(io.RawIOBase):
    """An object read as a seekable file: one streamed ``GET`` from the position onwards, opened
    again (with a ``Range``) only after a seek elsewhere; memory is the caller's buffer."""

    def __init__(self, client: Any, bucket: str, key: str, size: int) -> None:
        super().__init__()
        self._client, self._bucket, self._key, self.size = client, bucket, key, size
        self._position = 0
        self._body: Any = None
        self._body_position = -1

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def _stream(self) -> Any:
        if self._body is None or self._body_position != self._position:
            self._drop()
            got = self._client.get_object(
                Bucket=self._bucket, Key=self._key, Range=f"bytes={self._position}-"
            )
            self._body, self._body_position = got["Body"], self._position
        return self._body

    def _drop(self) -> None:
        if self._body is not None:
            self._body.close()
            self._body = None

    def readinto(self, buffer: Any) -> int:
        if self._position >= self.size or not len(buffer):
            return 0
        data = self._stream().read(min(len(buffer), MIB))
        if not data:
            raise OSError(f"the object {self._key} ended before its size ({self.size} bytes)")
        count = len(data)
        buffer[:count] = data
        self._position += count
        self._body_position += count
        return count

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self.size}[whence]
        if base + offset < 0:
            raise ValueError("negative seek position")
        self._position = base + offset
        return self._position

    def tell(self) -> int:
        return self._position

    def close(self) -> None:
        self._drop()
        super().close()

"""Why an upload is refused: each error carries the HTTP status tus clients expect and a
message for people (what is wrong, and what was kept: nothing)."""

from __future__ import annotations


class IntakeError(Exception):
    status = 400

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status


class TooLarge(IntakeError):
    status = 413


class OverQuota(IntakeError):
    status = 413


class WrongOffset(IntakeError):
    status = 409


class ChecksumMismatch(IntakeError):
    status = 460  # tus checksum extension: "Checksum Mismatch"


class Gone(IntakeError):
    status = 410
